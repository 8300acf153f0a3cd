/* test_lock.c: the per-target export lock: exclusion, timeout, stale temporary files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosque/lock.h"
#include "kiosque/output.h"

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

/* Issue 12 item 5: only kiosque's own temporary files are removed; a
 * user's hidden files beside the target, even ones shaped like the old
 * ".NAME.XXXXXX" pattern, and another target's temporaries survive. */
static void test_stale_temporaries_removed_only_ours(void **state)
{
  char *dir = g_dir_make_tmp("kq-lock-XXXXXX", NULL);
  char *target = g_build_filename(dir, "revue.pdf", NULL);
  char *other_target = g_build_filename(dir, "other.pdf", NULL);
  KqOutput *left = kq_output_begin(target, FALSE, NULL); /* as a killed export leaves it */
  assert_non_null(left);
  char *stale = g_strdup(left->temp_path);
  close(left->fd);
  left->fd = -1;
  KqOutput *theirs = kq_output_begin(other_target, FALSE, NULL);
  assert_non_null(theirs);
  const char *users[] = {".revue.pdf.Ab12Cd", ".revue.pdf.backup", ".revue.pdf.old123",
                         ".kiosque-revue.pdf.tmp", "revue.pdf"};
  for (guint i = 0; i < G_N_ELEMENTS(users); i++) {
    char *p = g_build_filename(dir, users[i], NULL);
    g_file_set_contents(p, "user data", -1, NULL);
    g_free(p);
  }
  KqLock *l = kq_lock_acquire(target, 0, NULL);
  assert_non_null(l);
  assert_false(g_file_test(stale, G_FILE_TEST_EXISTS));
  assert_true(g_file_test(theirs->temp_path, G_FILE_TEST_EXISTS));
  for (guint i = 0; i < G_N_ELEMENTS(users); i++) {
    char *p = g_build_filename(dir, users[i], NULL);
    assert_true(g_file_test(p, G_FILE_TEST_EXISTS));
    g_unlink(p);
    g_free(p);
  }
  kq_lock_release(l);
  kq_output_abort(theirs);
  /* the temporary file's pattern, exactly */
  char *base = g_path_get_basename(stale);
  assert_true(kq_output_is_temp_name(target, base));
  assert_false(kq_output_is_temp_name(other_target, base));
  base[strlen(base) - 1] = 'x';
  assert_false(kq_output_is_temp_name(target, base));
  g_free(base);
  kq_output_abort(left); /* only frees: the file is gone */
  g_rmdir(dir);
  g_free(stale);
  g_free(other_target);
  g_free(target);
  g_free(dir);
}

/* Issue 12 item 5: a target name of 246-255 bytes gets a lock file and a
 * temporary file (both named by a hash, far under NAME_MAX). */
static void test_long_target_name(void **state)
{
  char *dir = g_dir_make_tmp("kq-lock-XXXXXX", NULL);
  for (gsize len = 246; len <= 255; len++) {
    char *name = g_strnfill(len, 'n');
    memcpy(name + len - 4, ".pdf", 4);
    char *target = g_build_filename(dir, name, NULL);
    GError *err = NULL;
    KqLock *l = kq_lock_acquire(target, 0, &err);
    assert_null(err);
    assert_non_null(l);
    KqOutput *out = kq_output_begin(target, FALSE, &err);
    assert_null(err);
    assert_non_null(out);
    assert_true(kq_output_write(out, "x", 1, &err));
    assert_true(kq_output_commit(out, &err));
    assert_true(g_file_test(target, G_FILE_TEST_IS_REGULAR));
    kq_lock_release(l);
    g_unlink(target);
    g_free(target);
    g_free(name);
  }
  g_rmdir(dir);
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
      cmocka_unit_test(test_stale_temporaries_removed_only_ours),
      cmocka_unit_test(test_long_target_name),
      cmocka_unit_test(test_unwritable_dir),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
