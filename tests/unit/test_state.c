/* test_state.c: --only-new job state (load, save sorted and atomic, lock, damaged files, names). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include <string.h>

#include "kiosque/state.h"

static char *tmp;

static int setup(void **state)
{
  tmp = g_dir_make_tmp("kq-state-XXXXXX", NULL);
  g_setenv("XDG_STATE_HOME", tmp, TRUE);
  return 0;
}

static int teardown(void **state)
{
  char *cmd = g_strdup_printf("rm -rf '%s'", tmp);
  assert_int_equal(system(cmd), 0);
  g_free(cmd);
  g_free(tmp);
  return 0;
}

static void test_names(void **state)
{
  static const char *const good[] = {"nightly", "a", "kindle-2026.v2", "A_b"};
  static const char *const bad[] = {"", ".hidden", "a/b", "../x", "sp ace", "é"};
  for (gsize i = 0; i < G_N_ELEMENTS(good); i++)
    assert_true(kq_job_name_valid(good[i]));
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++)
    assert_false(kq_job_name_valid(bad[i]));
  char *long_name = g_strnfill(65, 'x');
  assert_false(kq_job_name_valid(long_name));
  long_name[64] = '\0';
  assert_true(kq_job_name_valid(long_name));
  g_free(long_name);
  GError *err = NULL;
  assert_null(kq_job_state_open("../escape", &err));
  assert_true(g_error_matches(err, KQ_STATE_ERROR, KQ_STATE_ERROR_NAME));
  g_error_free(err);
}

static void test_dir(void **state)
{
  char *d = kq_job_state_dir();
  char *want = g_build_filename(tmp, "kiosque", NULL);
  assert_string_equal(d, want);
  g_free(d);
  g_free(want);
  g_setenv("XDG_STATE_HOME", "not/absolute", TRUE);
  char *saved_home = g_strdup(g_getenv("HOME"));
  g_setenv("HOME", "/home/someone", TRUE);
  d = kq_job_state_dir();
  assert_string_equal(d, "/home/someone/.local/state/kiosque");
  g_free(d);
  g_setenv("HOME", saved_home, TRUE);
  g_free(saved_home);
  g_setenv("XDG_STATE_HOME", tmp, TRUE);
}

static void test_round_trip(void **state)
{
  GError *err = NULL;
  KqJobState *s = kq_job_state_open("nightly", &err);
  assert_non_null(s);
  assert_int_equal(kq_job_state_count(s), 0); /* no file yet: empty */
  assert_false(g_file_test(kq_job_state_path(s), G_FILE_TEST_EXISTS));
  kq_job_state_add(s, "ffff0000aaaa1111");
  kq_job_state_add(s, "0123456789abcdef");
  kq_job_state_add(s, "0123456789abcdef");
  kq_job_state_add(s, "bad id\n"); /* never written: not an id */
  assert_int_equal(kq_job_state_count(s), 2);
  assert_true(kq_job_state_save(s, &err));
  char *text = NULL;
  assert_true(g_file_get_contents(kq_job_state_path(s), &text, NULL, NULL));
  assert_string_equal(text, "# kiosque --only-new nightly: ids of the articles exported\n"
                            "0123456789abcdef\nffff0000aaaa1111\n");
  g_free(text);
  kq_job_state_free(s);

  s = kq_job_state_open("nightly", &err);
  assert_non_null(s);
  assert_int_equal(kq_job_state_count(s), 2);
  assert_true(kq_job_state_has(s, "ffff0000aaaa1111"));
  assert_false(kq_job_state_has(s, "ffff0000aaaa1112"));
  kq_job_state_free(s);

  /* another job is another file */
  s = kq_job_state_open("weekly", &err);
  assert_int_equal(kq_job_state_count(s), 0);
  kq_job_state_free(s);
}

static void test_lock(void **state)
{
  GError *err = NULL;
  KqJobState *a = kq_job_state_open("locked", &err);
  assert_non_null(a);
  KqJobState *b = kq_job_state_open("locked", &err);
  assert_null(b);
  assert_true(g_error_matches(err, KQ_STATE_ERROR, KQ_STATE_ERROR_LOCKED));
  assert_non_null(strstr(err->message, "locked"));
  g_clear_error(&err);
  kq_job_state_free(a);
  b = kq_job_state_open("locked", &err); /* released */
  assert_non_null(b);
  kq_job_state_free(b);
}

static void test_damaged(void **state)
{
  char *dir = g_build_filename(tmp, "kiosque", NULL);
  g_mkdir_with_parents(dir, 0700);
  char *path = g_build_filename(dir, "damaged.ids", NULL);
  assert_true(g_file_set_contents(path, "# c\n0123456789abcdef\n\nnot an id!\n", -1, NULL));
  GError *err = NULL;
  assert_null(kq_job_state_open("damaged", &err));
  assert_true(g_error_matches(err, KQ_STATE_ERROR, KQ_STATE_ERROR_DAMAGED));
  assert_non_null(strstr(err->message, "damaged.ids:4:"));
  g_clear_error(&err);
  /* CRLF line ends are fine */
  assert_true(g_file_set_contents(path, "0123456789abcdef\r\nabc\r\n", -1, NULL));
  KqJobState *s = kq_job_state_open("damaged", &err);
  assert_non_null(s);
  assert_true(kq_job_state_has(s, "abc"));
  kq_job_state_free(s);
  g_free(path);
  g_free(dir);
}

static void test_unwritable(void **state)
{
  /* a state folder under a regular file: ENOTDIR (tests run as root) */
  char *file = g_build_filename(tmp, "plain-file", NULL);
  assert_true(g_file_set_contents(file, "x", -1, NULL));
  g_setenv("XDG_STATE_HOME", file, TRUE);
  GError *err = NULL;
  assert_null(kq_job_state_open("nightly", &err));
  assert_true(g_error_matches(err, KQ_STATE_ERROR, KQ_STATE_ERROR_IO));
  g_clear_error(&err);
  g_setenv("XDG_STATE_HOME", tmp, TRUE);
  g_free(file);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names),   cmocka_unit_test(test_dir),
      cmocka_unit_test(test_round_trip), cmocka_unit_test(test_lock),
      cmocka_unit_test(test_damaged), cmocka_unit_test(test_unwritable),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
