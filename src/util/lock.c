/* lock.c: per-target export lock (flock on a lock file) and removal of stale temporary files. */
#include "kiosque/lock.h"
#include "kiosque/output.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK(kq-lock-error-quark, kq_lock_error)

struct KqLock {
  int fd;
  char *path; /* the lock file, removed on release */
};

/* TRUE when fd still is the file at path: a holder that released the lock
 * may have removed the file, and a lock on the removed file locks nothing. */
static gboolean still_linked(int fd, const char *path)
{
  struct stat a, b;
  return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
         a.st_ino == b.st_ino;
}

KqLock *kq_lock_acquire(const char *target, int timeout_s, GError **error)
{
  g_autofree char *path = kq_output_side_path(target, "lock");
  gint64 deadline = g_get_monotonic_time() + (gint64)MAX(timeout_s, 0) * G_USEC_PER_SEC;
  for (;;) {
    /* read-only is enough for flock(), and lets any user who may read it wait */
    int fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
      int e = errno;
      g_set_error(error, KQ_LOCK_ERROR, KQ_LOCK_ERROR_IO,
                  "%s: cannot create the lock file %s: %s", target, path, g_strerror(e));
      return NULL;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
      if (still_linked(fd, path)) {
        KqLock *lock = g_new0(KqLock, 1);
        lock->fd = fd;
        lock->path = g_steal_pointer(&path);
        kq_output_remove_stale(target);
        return lock;
      }
      close(fd); /* the holder removed it as we opened it: take the new one */
      continue;
    }
    int e = errno;
    close(fd);
    if (e != EWOULDBLOCK && e != EINTR) {
      g_set_error(error, KQ_LOCK_ERROR, KQ_LOCK_ERROR_IO, "%s: cannot lock %s: %s", target, path,
                  g_strerror(e));
      return NULL;
    }
    if (g_get_monotonic_time() >= deadline) {
      g_set_error(error, KQ_LOCK_ERROR, KQ_LOCK_ERROR_BUSY,
                  "%s: another export is writing it (waited %d s; see --lock-timeout)", target,
                  timeout_s);
      return NULL;
    }
    g_usleep(100 * 1000);
  }
}

void kq_lock_release(KqLock *lock)
{
  if (!lock)
    return;
  /* remove while still holding it: a waiter then finds its file unlinked
   * and opens a fresh one (still_linked) */
  g_unlink(lock->path);
  flock(lock->fd, LOCK_UN);
  close(lock->fd);
  g_free(lock->path);
  g_free(lock);
}
