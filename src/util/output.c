/* output.c: atomic output files: a temporary file beside the target, fsync, rename. */
#include "kiosque/output.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK(kq-output-error-quark, kq_output_error)
G_DEFINE_QUARK(kq-write-error-quark, kq_write_error)

static void set_errno_error(GError **error, int code, int err, const char *what,
                            const char *path)
{
  g_set_error(error, KQ_OUTPUT_ERROR, code, "%s: %s: %s", path, what, g_strerror(err));
}

#define SIDE_PREFIX ".kiosque-"
#define SIDE_HASH_LEN 16
#define TEMP_SUFFIX ".tmp"

/* ".kiosque-HASH" for target's file name: the hash keeps the name short
 * (a 255-byte target still gets a valid name) and tied to this target. */
static char *side_name(const char *target)
{
  char *base = g_path_get_basename(target);
  char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, base, -1);
  char *name = g_strdup_printf(SIDE_PREFIX "%.*s", SIDE_HASH_LEN, sum);
  g_free(sum);
  g_free(base);
  return name;
}

char *kq_output_side_path(const char *target, const char *suffix)
{
  char *dir = g_path_get_dirname(target);
  char *side = side_name(target);
  char *name = g_strconcat(side, ".", suffix, NULL);
  char *path = g_build_filename(dir, name, NULL);
  g_free(name);
  g_free(side);
  g_free(dir);
  return path;
}

/* Whether name is side's temporary name: side, '.', six letters or digits, TEMP_SUFFIX. */
static gboolean is_temp_of(const char *side, const char *name)
{
  gsize n = strlen(side);
  gboolean ours = strncmp(name, side, n) == 0 && name[n] == '.' &&
                  strlen(name + n + 1) == 6 + strlen(TEMP_SUFFIX) &&
                  strcmp(name + n + 1 + 6, TEMP_SUFFIX) == 0;
  for (gsize i = 0; ours && i < 6; i++)
    ours = g_ascii_isalnum(name[n + 1 + i]);
  return ours;
}

gboolean kq_output_is_temp_name(const char *target, const char *name)
{
  char *side = side_name(target);
  gboolean ours = is_temp_of(side, name);
  g_free(side);
  return ours;
}

void kq_output_remove_stale(const char *target)
{
  char *dir = g_path_get_dirname(target);
  char *side = side_name(target); /* hashed once, not once per entry of a full folder */
  GDir *d = g_dir_open(dir, 0, NULL);
  const char *entry;
  while (d && (entry = g_dir_read_name(d)))
    if (is_temp_of(side, entry)) {
      char *path = g_build_filename(dir, entry, NULL);
      g_unlink(path);
      g_free(path);
    }
  g_clear_pointer(&d, g_dir_close);
  g_free(side);
  g_free(dir);
}

KqOutput *kq_output_begin(const char *target, gboolean no_clobber, GError **error)
{
  g_return_val_if_fail(target && *target, NULL);
  if (no_clobber && g_file_test(target, G_FILE_TEST_EXISTS)) {
    g_set_error(error, KQ_OUTPUT_ERROR, KQ_OUTPUT_ERROR_EXISTS,
                "%s: already exists (--no-clobber)", target);
    return NULL;
  }
  if (g_file_test(target, G_FILE_TEST_IS_DIR)) {
    g_set_error(error, KQ_OUTPUT_ERROR, KQ_OUTPUT_ERROR_IO, "%s: is a directory", target);
    return NULL;
  }
  char *temp = kq_output_side_path(target, "XXXXXX" TEMP_SUFFIX);
  int fd = g_mkstemp_full(temp, O_RDWR | O_CLOEXEC, 0666);
  if (fd < 0) {
    int err = errno;
    set_errno_error(error, KQ_OUTPUT_ERROR_IO, err, "cannot create a temporary file", target);
    g_free(temp);
    return NULL;
  }
  /* g_mkstemp_full() creates 0666 & ~umask already; nothing else to fix. */
  KqOutput *out = g_new0(KqOutput, 1);
  out->target = g_strdup(target);
  out->temp_path = temp;
  out->fd = fd;
  out->no_clobber = no_clobber;
  return out;
}

/* Releases out's memory (its file is the caller's business). */
static void output_free(KqOutput *out)
{
  g_free(out->target);
  g_free(out->temp_path);
  g_free(out);
}

gboolean kq_output_write(KqOutput *out, const void *data, gsize len, GError **error)
{
  const char *p = data;
  while (len > 0) {
    ssize_t n = write(out->fd, p, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      set_errno_error(error, KQ_OUTPUT_ERROR_IO, errno, "write failed", out->target);
      return FALSE;
    }
    p += n;
    len -= (gsize)n;
  }
  return TRUE;
}

/* Makes the rename durable: fsync the directory holding the target. */
static gboolean sync_dir(const char *target, GError **error)
{
  char *dir = g_path_get_dirname(target);
  gboolean ok = TRUE;
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0 || (fsync(dfd) != 0 && errno != EINVAL && errno != EROFS)) {
    set_errno_error(error, KQ_OUTPUT_ERROR_IO, errno, "cannot sync the directory", target);
    ok = FALSE;
  }
  if (dfd >= 0)
    close(dfd);
  g_free(dir);
  return ok;
}

gboolean kq_output_commit(KqOutput *out, GError **error)
{
  g_return_val_if_fail(out != NULL, FALSE);
  if (fsync(out->fd) != 0) {
    set_errno_error(error, KQ_OUTPUT_ERROR_IO, errno, "fsync failed", out->target);
    goto fail;
  }
  int fd = out->fd;
  out->fd = -1;
  if (close(fd) != 0) {
    set_errno_error(error, KQ_OUTPUT_ERROR_IO, errno, "close failed", out->target);
    goto fail;
  }
  if (out->no_clobber) {
    /* link() fails with EEXIST when the target appeared meanwhile. */
    if (link(out->temp_path, out->target) != 0) {
      int err = errno;
      if (err == EEXIST)
        g_set_error(error, KQ_OUTPUT_ERROR, KQ_OUTPUT_ERROR_EXISTS,
                    "%s: already exists (--no-clobber)", out->target);
      else
        set_errno_error(error, KQ_OUTPUT_ERROR_IO, err, "cannot create", out->target);
      goto fail;
    }
    g_unlink(out->temp_path);
  } else if (g_rename(out->temp_path, out->target) != 0) {
    set_errno_error(error, KQ_OUTPUT_ERROR_IO, errno, "cannot rename the temporary file onto",
                    out->target);
    goto fail;
  }
  gboolean ok = sync_dir(out->target, error);
  output_free(out);
  return ok;
fail:
  kq_output_abort(out);
  return FALSE;
}

void kq_output_abort(KqOutput *out)
{
  if (!out)
    return;
  if (out->fd >= 0)
    close(out->fd);
  if (out->temp_path)
    g_unlink(out->temp_path);
  output_free(out);
}
