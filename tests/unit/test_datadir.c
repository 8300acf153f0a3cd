/* test_datadir.c: data-file lookup ($KQ_DATADIR, beside the binary, source tree). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include <string.h>

#include "kiosque/datadir.h"

static void test_env_first(void **state)
{
  char *tmp = g_dir_make_tmp("kq-datadir-XXXXXX", NULL);
  assert_non_null(tmp);
  char *styles = g_build_filename(tmp, "styles", NULL);
  assert_int_equal(g_mkdir(styles, 0700), 0);
  char *css = g_build_filename(styles, "default.css", NULL);
  assert_true(g_file_set_contents(css, "p{}", -1, NULL));
  g_setenv("KQ_DATADIR", tmp, TRUE);

  char *found = kq_datadir_find("styles/default.css");
  assert_non_null(found);
  assert_string_equal(found, css);
  g_free(found);

  /* what the env folder lacks still comes from the next folders */
  found = kq_datadir_find("fonts/fonts.conf");
  assert_non_null(found);
  assert_true(g_str_has_prefix(found, KQ_SOURCE_DIR));
  g_free(found);

  char **list = kq_datadir_list();
  assert_non_null(list[0]);
  assert_string_equal(list[0], tmp);
  g_strfreev(list);

  char *desc = kq_datadir_describe();
  assert_true(g_str_has_prefix(desc, tmp));
  g_free(desc);

  g_unsetenv("KQ_DATADIR");
  g_remove(css);
  g_rmdir(styles);
  g_rmdir(tmp);
  g_free(css);
  g_free(styles);
  g_free(tmp);
}

static void test_uninstalled_uses_source_tree(void **state)
{
  g_unsetenv("KQ_DATADIR");
  char *found = kq_datadir_find("styles/default.css");
  assert_non_null(found);
  char *want = g_build_filename(KQ_SOURCE_DIR, "styles", "default.css", NULL);
  char *want_canon = g_canonicalize_filename(want, NULL);
  assert_string_equal(found, want_canon);
  assert_true(g_path_is_absolute(found));
  g_free(want_canon);
  g_free(want);
  g_free(found);
  assert_non_null(kq_datadir_exe_dir());
  /* this test runs from the build folder (issue 13 item 6) */
  assert_true(kq_datadir_in_build_tree());
}

static void test_bad_relpaths(void **state)
{
  static const char *const bad[] = {"", "/etc/passwd", "../CMakeLists.txt", "styles/../../x",
                                    "no-such-file.conf"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++)
    assert_null(kq_datadir_find(bad[i]));
  assert_null(kq_datadir_find(NULL));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_env_first),
      cmocka_unit_test(test_uninstalled_uses_source_tree),
      cmocka_unit_test(test_bad_relpaths),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
