/* state.h: what an --only-new job has already exported (ids kept under $XDG_STATE_HOME/kiosque/). */
#ifndef KIOSQUE_STATE_H
#define KIOSQUE_STATE_H

#include <glib.h>

G_BEGIN_DECLS

#define KQ_STATE_ERROR (kq_state_error_quark())
GQuark kq_state_error_quark(void);

typedef enum {
  KQ_STATE_ERROR_NAME = 1, /* not a job name */
  KQ_STATE_ERROR_IO,       /* the state folder or file cannot be read or written */
  KQ_STATE_ERROR_LOCKED,   /* another run of the same job holds the lock */
  KQ_STATE_ERROR_DAMAGED,  /* the state file holds a line that is not an id */
} KqStateError;

/* A job name: 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'. */
gboolean kq_job_name_valid(const char *job);

/* $XDG_STATE_HOME/kiosque when XDG_STATE_HOME is absolute, else
 * ~/.local/state/kiosque. Reads the environment at each call; caller frees. */
char *kq_job_state_dir(void);

/*
 * One job's state: the ids of the articles it exported, in the text file
 * DIR/JOB.ids (a comment line, then one id per line, sorted). Opening takes
 * an exclusive lock on DIR/JOB.lock (flock) held until kq_job_state_free(),
 * so that two runs of one job never interleave; a second opener fails with
 * KQ_STATE_ERROR_LOCKED. A missing file is an empty state.
 */
typedef struct KqJobState KqJobState;

KqJobState *kq_job_state_open(const char *job, GError **error);
void kq_job_state_free(KqJobState *state);

gboolean kq_job_state_has(const KqJobState *state, const char *id);
void kq_job_state_add(KqJobState *state, const char *id);
guint kq_job_state_count(const KqJobState *state);
/* The state file's path. Borrowed, lives as long as state. */
const char *kq_job_state_path(const KqJobState *state);

/* Writes the file atomically (temporary file, fsync, rename): a failed or
 * interrupted save leaves the previous state. FALSE with KQ_STATE_ERROR_IO. */
gboolean kq_job_state_save(KqJobState *state, GError **error);

G_END_DECLS

#endif
