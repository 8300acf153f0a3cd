/* test_dir.c: a folder's names, hidden ones left out, in byte order whatever the
 * order they were made in (the scan's order of inputs rests on it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include <string.h>

#include "kiosque/dir.h"

#define N_FILES 200

static void touch(const char *dir, const char *name)
{
  char *path = g_build_filename(dir, name, NULL);
  assert_true(g_file_set_contents(path, "x", 1, NULL));
  g_free(path);
}

static void test_dir_names_byte_order(void **state)
{
  (void)state;
  char *dir = g_dir_make_tmp("kq-dir-XXXXXX", NULL);
  assert_non_null(dir);
  /* made last first, so that neither the order of creation nor that of
   * the allocations is the answer */
  for (int i = N_FILES - 1; i >= 0; i--) {
    char name[16];
    g_snprintf(name, sizeof name, "n%03d", i);
    touch(dir, name);
  }
  const char *extra[] = {"\xc3\xa9t\xc3\xa9", "Z", "a", ".hidden", "B"};
  for (guint i = 0; i < G_N_ELEMENTS(extra); i++)
    touch(dir, extra[i]);
  GPtrArray *names = kq_dir_names(dir, NULL);
  assert_non_null(names);
  assert_int_equal(names->len, N_FILES + 4);
  assert_string_equal(g_ptr_array_index(names, 0), "B");
  assert_string_equal(g_ptr_array_index(names, 1), "Z");
  assert_string_equal(g_ptr_array_index(names, 2), "a");
  for (int i = 0; i < N_FILES; i++) {
    char name[16];
    g_snprintf(name, sizeof name, "n%03d", i);
    assert_string_equal(g_ptr_array_index(names, 3 + i), name);
  }
  assert_string_equal(g_ptr_array_index(names, N_FILES + 3), "\xc3\xa9t\xc3\xa9");
  for (guint i = 0; i < names->len; i++) {
    char *path = g_build_filename(dir, g_ptr_array_index(names, i), NULL);
    g_unlink(path);
    g_free(path);
  }
  char *hidden = g_build_filename(dir, ".hidden", NULL);
  g_unlink(hidden);
  g_free(hidden);
  g_ptr_array_unref(names);
  g_rmdir(dir);
  g_free(dir);
}

static void test_dir_names_missing(void **state)
{
  (void)state;
  GError *err = NULL;
  assert_null(kq_dir_names("/nonexistent/kq-dir-test", &err));
  assert_non_null(err);
  assert_true(err->domain == G_FILE_ERROR);
  g_error_free(err);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dir_names_byte_order),
      cmocka_unit_test(test_dir_names_missing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
