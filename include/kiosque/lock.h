/* lock.h: one export at a time per output file (a lock file beside the target). */
#ifndef KIOSQUE_LOCK_H
#define KIOSQUE_LOCK_H

#include <glib.h>

G_BEGIN_DECLS

#define KQ_LOCK_ERROR (kq_lock_error_quark())
GQuark kq_lock_error_quark(void);

typedef enum {
  KQ_LOCK_ERROR_IO = 1, /* the lock file cannot be created or locked */
  KQ_LOCK_ERROR_BUSY,   /* another export held it past the timeout */
} KqLockError;

#define KQ_DEFAULT_LOCK_TIMEOUT 60 /* seconds, --lock-timeout */

/*
 * Takes an exclusive lock for target: flock() on ".kiosque-HASH.lock"
 * beside it (kq_output_side_path(): never a user's file, never too long),
 * waiting up to timeout_s seconds (0: try once) for another kiosque to
 * finish. Release removes the lock file (a waiter that locked the removed
 * file notices and locks the new one); the lock dies with the process, so
 * a killed export never blocks the next one (it may leave the file).
 * While holding it, temporary files that a killed export left beside the
 * target (kq_output_remove_stale(): kiosque's own pattern only) are removed. Caller frees with kq_lock_release().
 */
typedef struct KqLock KqLock;
KqLock *kq_lock_acquire(const char *target, int timeout_s, GError **error);
void kq_lock_release(KqLock *lock);

G_END_DECLS

#endif
