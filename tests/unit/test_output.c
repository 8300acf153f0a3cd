/* test_output.c: atomic output files: commit, abort, --no-clobber, unwritable targets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "kiosque/output.h"

typedef struct {
  char *dir;
} Fixture;

static int setup(void **state)
{
  Fixture *f = g_new0(Fixture, 1);
  f->dir = g_dir_make_tmp("kq-output-XXXXXX", NULL);
  assert_non_null(f->dir);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  Fixture *f = *state;
  GDir *d = g_dir_open(f->dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d))) {
    char *p = g_build_filename(f->dir, name, NULL);
    g_unlink(p);
    g_free(p);
  }
  if (d)
    g_dir_close(d);
  g_rmdir(f->dir);
  g_free(f->dir);
  g_free(f);
  return 0;
}

static guint count_entries(const char *dir)
{
  guint n = 0;
  GDir *d = g_dir_open(dir, 0, NULL);
  while (d && g_dir_read_name(d))
    n++;
  if (d)
    g_dir_close(d);
  return n;
}

static void assert_file(const char *path, const char *expect)
{
  char *text = NULL;
  assert_true(g_file_get_contents(path, &text, NULL, NULL));
  assert_string_equal(text, expect);
  g_free(text);
}

static void test_commit_replaces(void **state)
{
  Fixture *f = *state;
  char *target = g_build_filename(f->dir, "out.epub", NULL);
  assert_true(g_file_set_contents(target, "old", -1, NULL));
  GError *err = NULL;
  KqOutput *out = kq_output_begin(target, FALSE, &err);
  assert_non_null(out);
  /* the temporary file sits beside the target, hidden */
  char *dir = g_path_get_dirname(out->temp_path);
  assert_string_equal(dir, f->dir);
  g_free(dir);
  assert_true(g_file_test(out->temp_path, G_FILE_TEST_EXISTS));
  assert_true(kq_output_write(out, "new", 3, &err));
  assert_file(target, "old"); /* untouched until commit */
  assert_true(kq_output_commit(out, &err));
  assert_null(err);
  assert_file(target, "new");
  assert_int_equal(count_entries(f->dir), 1);
  g_free(target);
}

static void test_abort_keeps_previous(void **state)
{
  Fixture *f = *state;
  char *target = g_build_filename(f->dir, "out.epub", NULL);
  assert_true(g_file_set_contents(target, "old", -1, NULL));
  KqOutput *out = kq_output_begin(target, FALSE, NULL);
  assert_non_null(out);
  assert_true(kq_output_write(out, "partial", 7, NULL));
  kq_output_abort(out);
  assert_file(target, "old");
  assert_int_equal(count_entries(f->dir), 1);
  kq_output_abort(NULL);
  g_free(target);
}

static void test_no_clobber(void **state)
{
  Fixture *f = *state;
  char *target = g_build_filename(f->dir, "out.pdf", NULL);
  assert_true(g_file_set_contents(target, "old", -1, NULL));
  GError *err = NULL;
  assert_null(kq_output_begin(target, TRUE, &err));
  assert_true(g_error_matches(err, KQ_OUTPUT_ERROR, KQ_OUTPUT_ERROR_EXISTS));
  g_clear_error(&err);
  g_unlink(target);

  /* The target appears between begin and commit: commit refuses, atomically. */
  KqOutput *out = kq_output_begin(target, TRUE, &err);
  assert_non_null(out);
  assert_true(kq_output_write(out, "new", 3, NULL));
  assert_true(g_file_set_contents(target, "raced", -1, NULL));
  assert_false(kq_output_commit(out, &err));
  assert_true(g_error_matches(err, KQ_OUTPUT_ERROR, KQ_OUTPUT_ERROR_EXISTS));
  g_clear_error(&err);
  assert_file(target, "raced");
  assert_int_equal(count_entries(f->dir), 1);

  /* Nothing there: no_clobber writes. */
  g_unlink(target);
  out = kq_output_begin(target, TRUE, &err);
  assert_non_null(out);
  assert_true(kq_output_write(out, "new", 3, NULL));
  assert_true(kq_output_commit(out, &err));
  assert_file(target, "new");
  assert_int_equal(count_entries(f->dir), 1);
  g_free(target);
}

static void test_unwritable_targets(void **state)
{
  Fixture *f = *state;
  GError *err = NULL;
  /* A path under a regular file: ENOTDIR (works as root too). */
  char *file = g_build_filename(f->dir, "plain", NULL);
  assert_true(g_file_set_contents(file, "x", -1, NULL));
  char *under = g_build_filename(file, "out.epub", NULL);
  assert_null(kq_output_begin(under, FALSE, &err));
  assert_true(g_error_matches(err, KQ_OUTPUT_ERROR, KQ_OUTPUT_ERROR_IO));
  assert_non_null(strstr(err->message, under));
  g_clear_error(&err);
  /* A missing folder. */
  char *missing = g_build_filename(f->dir, "nope", "out.epub", NULL);
  assert_null(kq_output_begin(missing, FALSE, &err));
  assert_true(g_error_matches(err, KQ_OUTPUT_ERROR, KQ_OUTPUT_ERROR_IO));
  g_clear_error(&err);
  /* The target is a folder. */
  assert_null(kq_output_begin(f->dir, FALSE, &err));
  assert_true(g_error_matches(err, KQ_OUTPUT_ERROR, KQ_OUTPUT_ERROR_IO));
  g_clear_error(&err);
  assert_int_equal(count_entries(f->dir), 1);
  g_free(file);
  g_free(under);
  g_free(missing);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_commit_replaces, setup, teardown),
    cmocka_unit_test_setup_teardown(test_abort_keeps_previous, setup, teardown),
    cmocka_unit_test_setup_teardown(test_no_clobber, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unwritable_targets, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
