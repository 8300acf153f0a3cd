/* output.h: atomic output files (temporary file beside the target, fsync, rename). */
#ifndef KIOSQUE_OUTPUT_H
#define KIOSQUE_OUTPUT_H

#include <glib.h>
#include <stdio.h>

G_BEGIN_DECLS

/* The writers' domain: everything that can fail while making an output
 * (the file, fonts, styles, the format libraries), from writers and render/. */
#define KQ_WRITE_ERROR (kq_write_error_quark())
GQuark kq_write_error_quark(void);

typedef enum {
  KQ_WRITE_ERROR_IO = 1,     /* output could not be written */
  KQ_WRITE_ERROR_FONT,       /* a font the theme names is missing */
  KQ_WRITE_ERROR_STYLE,      /* style, css or theme file unreadable or invalid */
  KQ_WRITE_ERROR_FORMAT,     /* libzip/cairo failure */
} KqWriteError;

#define KQ_OUTPUT_ERROR (kq_output_error_quark())
GQuark kq_output_error_quark(void);

typedef enum {
  KQ_OUTPUT_ERROR_IO = 1,   /* create, write, fsync or rename failed */
  KQ_OUTPUT_ERROR_EXISTS,   /* --no-clobber and the target exists */
  KQ_OUTPUT_ERROR_FORMAT,   /* the writer's library failed (libzip, cairo) */
} KqOutputError;

/*
 * An output being written: a temporary file created beside target (same
 * directory, so rename is atomic). Writers write to temp_path (or through
 * the stream), then kq_output_commit() flushes, fsyncs and renames it into
 * place; kq_output_abort() (also called by commit on failure) removes the
 * temporary file and leaves the previous target untouched.
 */
typedef struct {
  char *target;    /* owned */
  char *temp_path; /* owned */
  int fd;          /* open on temp_path until commit/abort */
  gboolean no_clobber; /* commit refuses to replace an existing target */
} KqOutput;

/*
 * Files kiosque keeps beside a target are named so that they can never be
 * a user's file and never overflow NAME_MAX, whatever the target's name:
 * ".kiosque-HASH.SUFFIX" where HASH is 16 hex digits of the SHA-256 of the
 * target's file name. Temporary files are ".kiosque-HASH.XXXXXX.tmp" (six
 * characters from mkstemp), the lock file ".kiosque-HASH.lock" (lock.c).
 * kq_output_side_path() returns "DIR/.kiosque-HASH.SUFFIX"; caller frees.
 */
char *kq_output_side_path(const char *target, const char *suffix);
/* TRUE when name (a bare file name) is one of the temporary files
 * kq_output_begin() creates for target: exactly the pattern above. */
gboolean kq_output_is_temp_name(const char *target, const char *name);
/* Removes the temporary files an interrupted export of target left beside
 * it, and nothing else. Call only while holding target's lock (lock.c). */
void kq_output_remove_stale(const char *target);

/* no_clobber: fail with KQ_OUTPUT_ERROR_EXISTS when target exists (checked
 * here and again, atomically, at commit). The temporary file is
 * "DIR/.kiosque-HASH.XXXXXX.tmp" (see above), mode 0666 minus the umask.
 * Caller owns the result. */
KqOutput *kq_output_begin(const char *target, gboolean no_clobber, GError **error);
/* Writes all of data to the temporary file (retrying short writes). */
gboolean kq_output_write(KqOutput *out, const void *data, gsize len, GError **error);
/* Closes, fsyncs, renames; frees out in every case. */
gboolean kq_output_commit(KqOutput *out, GError **error);
/* Removes the temporary file and frees out; accepts NULL. */
void kq_output_abort(KqOutput *out);

G_END_DECLS

#endif
