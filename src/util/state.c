/* state.c: the ids an --only-new job exported, in $XDG_STATE_HOME/kiosque/JOB.ids, locked and written atomically. */
#include "kiosque/state.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

G_DEFINE_QUARK(kq-state-error-quark, kq_state_error)

/* An id in the file: what kq_article ids look like (hex), with room. */
#define MAX_ID_LEN 128

struct KqJobState {
  char *job;
  char *path;       /* DIR/JOB.ids */
  GHashTable *ids;  /* char* set */
  int lock_fd;      /* DIR/JOB.lock, flock'ed; -1 when none */
};

gboolean kq_job_name_valid(const char *job)
{
  if (!job || !*job || job[0] == '.' || strlen(job) > 64)
    return FALSE;
  for (const char *p = job; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

char *kq_job_state_dir(void)
{
  const char *xdg = g_getenv("XDG_STATE_HOME");
  if (xdg && g_path_is_absolute(xdg))
    return g_build_filename(xdg, "kiosque", NULL);
  const char *home = g_getenv("HOME");
  if (!home || !*home)
    home = g_get_home_dir();
  return g_build_filename(home, ".local", "state", "kiosque", NULL);
}

static gboolean id_valid(const char *s, gsize len)
{
  if (len == 0 || len > MAX_ID_LEN)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.' && s[i] != ':')
      return FALSE;
  return TRUE;
}

static gboolean load(KqJobState *s, GError **error)
{
  char *text = NULL;
  gsize len = 0;
  GError *err = NULL;
  if (!g_file_get_contents(s->path, &text, &len, &err)) {
    gboolean missing = g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
    if (!missing)
      g_set_error(error, KQ_STATE_ERROR, KQ_STATE_ERROR_IO, "%s: %s", s->path, err->message);
    g_error_free(err);
    return missing;
  }
  gboolean ok = TRUE;
  int line = 1;
  for (const char *p = text, *end = text + len; p < end && ok; line++) {
    const char *nl = memchr(p, '\n', (gsize)(end - p));
    const char *stop = nl ? nl : end;
    gsize n = (gsize)(stop - p);
    if (n && p[n - 1] == '\r')
      n--;
    if (n > 0 && p[0] != '#') {
      if (id_valid(p, n)) {
        g_hash_table_add(s->ids, g_strndup(p, n));
      } else {
        g_set_error(error, KQ_STATE_ERROR, KQ_STATE_ERROR_DAMAGED,
                    "%s:%d: not an article id (the state file is damaged; remove it to "
                    "export everything again)",
                    s->path, line);
        ok = FALSE;
      }
    }
    p = nl ? nl + 1 : end;
  }
  g_free(text);
  return ok;
}

KqJobState *kq_job_state_open(const char *job, GError **error)
{
  if (!kq_job_name_valid(job)) {
    g_set_error(error, KQ_STATE_ERROR, KQ_STATE_ERROR_NAME,
                "'%s' is not a job name (1 to 64 letters, digits, '-', '_', '.')",
                job ? job : "");
    return NULL;
  }
  KqJobState *s = g_new0(KqJobState, 1);
  s->job = g_strdup(job);
  s->ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  s->lock_fd = -1;
  g_autofree char *dir = kq_job_state_dir();
  g_autofree char *file = g_strconcat(job, ".ids", NULL);
  g_autofree char *lock_file = g_strconcat(job, ".lock", NULL);
  g_autofree char *lock_path = g_build_filename(dir, lock_file, NULL);
  s->path = g_build_filename(dir, file, NULL);
  gboolean ok = FALSE;
  if (g_mkdir_with_parents(dir, 0700) != 0) {
    int e = errno;
    g_set_error(error, KQ_STATE_ERROR, KQ_STATE_ERROR_IO, "%s: cannot create the state folder: %s",
                dir, g_strerror(e));
    goto out;
  }
  s->lock_fd = g_open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (s->lock_fd < 0) {
    int e = errno;
    g_set_error(error, KQ_STATE_ERROR, KQ_STATE_ERROR_IO, "%s: %s", lock_path, g_strerror(e));
    goto out;
  }
  if (flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
    int e = errno;
    if (e == EWOULDBLOCK)
      g_set_error(error, KQ_STATE_ERROR, KQ_STATE_ERROR_LOCKED,
                  "job '%s' is running already (%s is locked)", job, lock_path);
    else
      g_set_error(error, KQ_STATE_ERROR, KQ_STATE_ERROR_IO, "%s: cannot lock: %s", lock_path,
                  g_strerror(e));
    goto out;
  }
  ok = load(s, error);
out:
  if (!ok)
    g_clear_pointer(&s, kq_job_state_free);
  return s;
}

void kq_job_state_free(KqJobState *s)
{
  if (!s)
    return;
  if (s->lock_fd >= 0)
    close(s->lock_fd); /* releases the flock */
  g_hash_table_unref(s->ids);
  g_free(s->path);
  g_free(s->job);
  g_free(s);
}

gboolean kq_job_state_has(const KqJobState *s, const char *id)
{
  return s && id && g_hash_table_contains(s->ids, id);
}

void kq_job_state_add(KqJobState *s, const char *id)
{
  if (s && id && id_valid(id, strlen(id)))
    g_hash_table_add(s->ids, g_strdup(id));
}

guint kq_job_state_count(const KqJobState *s)
{
  return s ? g_hash_table_size(s->ids) : 0;
}

const char *kq_job_state_path(const KqJobState *s)
{
  return s->path;
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

gboolean kq_job_state_save(KqJobState *s, GError **error)
{
  /* sorted: the file never depends on hash order */
  guint n = 0;
  const char **ids = (const char **)g_hash_table_get_keys_as_array(s->ids, &n);
  qsort(ids, n, sizeof *ids, compare_strings);
  GString *text = g_string_new(NULL);
  g_string_append_printf(text, "# kiosque --only-new %s: ids of the articles exported\n",
                         s->job);
  for (guint i = 0; i < n; i++) {
    g_string_append(text, ids[i]);
    g_string_append_c(text, '\n');
  }
  g_free(ids);
  GError *err = NULL;
  gboolean ok = g_file_set_contents_full(
      s->path, text->str, (gssize)text->len,
      G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, &err);
  if (!ok) {
    g_set_error(error, KQ_STATE_ERROR, KQ_STATE_ERROR_IO, "%s: cannot save the job state: %s",
                s->path, err->message);
    g_error_free(err);
  }
  g_string_free(text, TRUE);
  return ok;
}
