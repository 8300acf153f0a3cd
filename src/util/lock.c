/* lock.c: per-target export lock (flock on a lock file) and removal of stale temporary files. */
#include "kiosque/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

G_DEFINE_QUARK(kq-lock-error-quark, kq_lock_error)

struct KqLock {
  int fd;
};

/* ".NAME." followed by exactly the six characters g_mkstemp() fills in:
 * the temporary files output.c creates for this target. */
static gboolean is_temp_of(const char *entry, const char *base)
{
  gsize n = strlen(base);
  return entry[0] == '.' && strncmp(entry + 1, base, n) == 0 && entry[n + 1] == '.' &&
         strlen(entry + n + 2) == 6 && strcmp(entry + n + 2, "lock") != 0;
}

static void remove_stale_temps(const char *target)
{
  char *dir = g_path_get_dirname(target);
  char *base = g_path_get_basename(target);
  GDir *d = g_dir_open(dir, 0, NULL);
  const char *entry;
  while (d && (entry = g_dir_read_name(d)))
    if (is_temp_of(entry, base)) {
      char *path = g_build_filename(dir, entry, NULL);
      g_unlink(path);
      g_free(path);
    }
  if (d)
    g_dir_close(d);
  g_free(base);
  g_free(dir);
}

KqLock *kq_lock_acquire(const char *target, int timeout_s, GError **error)
{
  char *dir = g_path_get_dirname(target);
  char *base = g_path_get_basename(target);
  char *name = g_strdup_printf(".%s.lock", base);
  char *path = g_build_filename(dir, name, NULL);
  KqLock *lock = NULL;
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
  if (fd < 0) {
    int e = errno;
    g_set_error(error, KQ_LOCK_ERROR, KQ_LOCK_ERROR_IO, "%s: cannot create the lock file %s: %s",
                target, path, g_strerror(e));
    goto out;
  }
  gint64 deadline = g_get_monotonic_time() + (gint64)MAX(timeout_s, 0) * G_USEC_PER_SEC;
  while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int e = errno;
    if (e == EINTR)
      continue;
    if (e != EWOULDBLOCK) {
      g_set_error(error, KQ_LOCK_ERROR, KQ_LOCK_ERROR_IO, "%s: cannot lock %s: %s", target, path,
                  g_strerror(e));
      close(fd);
      goto out;
    }
    if (g_get_monotonic_time() >= deadline) {
      g_set_error(error, KQ_LOCK_ERROR, KQ_LOCK_ERROR_BUSY,
                  "%s: another export is writing it (waited %d s; see --lock-timeout)", target,
                  timeout_s);
      close(fd);
      goto out;
    }
    g_usleep(100 * 1000);
  }
  remove_stale_temps(target);
  lock = g_new0(KqLock, 1);
  lock->fd = fd;
out:
  g_free(path);
  g_free(name);
  g_free(base);
  g_free(dir);
  return lock;
}

void kq_lock_release(KqLock *lock)
{
  if (!lock)
    return;
  flock(lock->fd, LOCK_UN);
  close(lock->fd);
  g_free(lock);
}
