/* test_lock.c: the per-target export lock: exclusion, timeout, stale temporary files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosque/lock.h"

static void test_second_lock_times_out(void **state)
{
  char *dir = g_dir_make_tmp("kq-lock-XXXXXX", NULL);
  char *target = g_build_filename(dir, "revue.epub", NULL);
  GError *err = NULL;
  KqLock *a = kq_lock_acquire(target, 0, &err);
  assert_non_null(a);
  /* flock locks belong to the open file: a child process competes for real */
  pid_t pid = fork();
  if (pid == 0) {
    GError *e = NULL;
    KqLock *b = kq_lock_acquire(target, 1, &e);
    _exit(b == NULL && g_error_matches(e, KQ_LOCK_ERROR, KQ_LOCK_ERROR_BUSY) ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  kq_lock_release(a);
  /* released: taken at once */
  KqLock *c = kq_lock_acquire(target, 0, &err);
  assert_non_null(c);
  kq_lock_release(c);
  g_free(target);
  g_free(dir);
}

static void test_stale_temporaries_removed(void **state)
{
  char *dir = g_dir_make_tmp("kq-lock-XXXXXX", NULL);
  char *target = g_build_filename(dir, "revue.pdf", NULL);
  char *stale = g_build_filename(dir, ".revue.pdf.Ab12Cd", NULL);
  char *other = g_build_filename(dir, ".other.pdf.Ab12Cd", NULL);
  char *keep = g_build_filename(dir, "revue.pdf", NULL);
  g_file_set_contents(stale, "partial", -1, NULL);
  g_file_set_contents(other, "not ours", -1, NULL);
  g_file_set_contents(keep, "previous good export", -1, NULL);
  KqLock *l = kq_lock_acquire(target, 0, NULL);
  assert_non_null(l);
  assert_false(g_file_test(stale, G_FILE_TEST_EXISTS));
  assert_true(g_file_test(other, G_FILE_TEST_EXISTS));
  assert_true(g_file_test(keep, G_FILE_TEST_EXISTS));
  kq_lock_release(l);
  g_free(stale);
  g_free(other);
  g_free(keep);
  g_free(target);
  g_free(dir);
}

static void test_unwritable_dir(void **state)
{
  GError *err = NULL;
  /* a path under a regular file: ENOTDIR even as root */
  KqLock *l = kq_lock_acquire("/etc/hostname/revue.epub", 0, &err);
  assert_null(l);
  assert_true(g_error_matches(err, KQ_LOCK_ERROR, KQ_LOCK_ERROR_IO));
  g_clear_error(&err);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_second_lock_times_out),
      cmocka_unit_test(test_stale_temporaries_removed),
      cmocka_unit_test(test_unwritable_dir),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
