/* scan.c: walking the paths given on the command line and reading every input in them. */
#include "kiosque/collect.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kiosque/roots.h"

/* Directory recursion is bounded even without loops (deep trees). */
#define KQ_MAX_SCAN_DEPTH 64

typedef struct {
  const KqReadOptions *ropts;
  KqLog *log;
  KqScan *scan;
  GPtrArray *files;      /* char*: inputs found, in scan order, read afterwards */
  KqRoots *roots;        /* the given paths: symbolic links are followed inside only */
  GHashTable *visited;   /* "dev:ino" of directories entered (loop guard) */
} ScanCtx;

/* Counts an input that gave nothing and keeps its name (KqScan.unreadable). */
static void note_unreadable(ScanCtx *ctx, const char *path)
{
  ctx->scan->n_unreadable++;
  g_ptr_array_add(ctx->scan->unreadable, g_strdup(path));
}

/* Splits a leading "line N: " off a reader's message so the warning reads
 * "PATH:N: reason". */
static void warn_unreadable(ScanCtx *ctx, const char *path, const GError *err)
{
  const char *msg = err ? err->message : "unreadable";
  int line = 0, used = 0;
  if (sscanf(msg, "line %d: %n", &line, &used) == 1 && used > 0)
    msg += used;
  else
    line = 0;
  KQ_WARN(ctx->log, path, line, "%s", msg);
  note_unreadable(ctx, path);
}

static void read_one(ScanCtx *ctx, const char *path)
{
  g_ptr_array_add(ctx->files, g_strdup(path));
}

/* ---- Reading, on worker threads ------------------------------------------
 * Files are read in parallel; each keeps its messages and articles, and
 * they are handed over in scan order, so output and warnings come out the
 * same whatever the threads did. */

typedef struct {
  KqLogLevel level;
  char *path;
  int line;
  char *msg;
} Message;

typedef struct {
  const char *path;        /* borrowed from ScanCtx.files */
  const KqReadOptions *ropts;
  KqLogLevel level;        /* the real sink's level */
  GPtrArray *articles;     /* KqArticle*, owned until handed over */
  GPtrArray *messages;     /* Message* */
  GError *error;
  GAsyncQueue *done;       /* told when the job is finished (progress) */
} ReadJob;

static void message_free(Message *m)
{
  g_free(m->path);
  g_free(m->msg);
  g_free(m);
}

static void capture(KqLogLevel level, const char *path, int line, const char *msg, gpointer user)
{
  Message *m = g_new0(Message, 1);
  m->level = level;
  m->path = g_strdup(path);
  m->line = line;
  m->msg = g_strdup(msg);
  g_ptr_array_add(user, m);
}

static void run_job(gpointer data, gpointer unused)
{
  ReadJob *job = data;
  KqLog log = {capture, job->messages, job->level, 0, 0};
  kq_log_quiet_libxml2();
  kq_read_file(job->path, job->ropts, &log, job->articles, &job->error);
  g_async_queue_push(job->done, job);
}

static guint reader_threads(guint files)
{
  const char *env = g_getenv("KIOSQUE_THREADS");
  guint64 n = 0;
  if (!env || !g_ascii_string_to_unsigned(env, 10, 1, 64, &n, NULL))
    n = MIN(g_get_num_processors(), 8u);
  return (guint)MAX(1, MIN(n, files));
}

static void read_files(ScanCtx *ctx)
{
  guint n = ctx->files->len;
  ReadJob *jobs = g_new0(ReadJob, n);
  guint threads = reader_threads(n);
  GThreadPool *pool = threads > 1 ? g_thread_pool_new(run_job, NULL, (gint)threads, FALSE, NULL)
                                  : NULL;
  GAsyncQueue *done = g_async_queue_new();
  KqProgressFunc progress = ctx->ropts->progress;
  for (guint i = 0; i < n; i++) {
    ReadJob *job = &jobs[i];
    job->path = g_ptr_array_index(ctx->files, i);
    job->ropts = ctx->ropts;
    job->level = ctx->log ? ctx->log->level : KQ_LOG_ERROR;
    job->articles = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
    job->messages = g_ptr_array_new_with_free_func((GDestroyNotify)message_free);
    job->done = done;
    if (pool)
      g_thread_pool_push(pool, job, NULL);
  }
  for (guint i = 0; i < n; i++) {
    if (pool)
      g_async_queue_pop(done);
    else
      run_job(&jobs[i], NULL), g_async_queue_pop(done);
    if (progress)
      progress("inputs", i + 1, n, ctx->ropts->progress_data);
  }
  if (pool)
    g_thread_pool_free(pool, FALSE, TRUE); /* every job has finished */
  g_async_queue_unref(done);
  for (guint i = 0; i < n; i++) {
    ReadJob *job = &jobs[i];
    for (guint k = 0; k < job->messages->len; k++) {
      const Message *m = g_ptr_array_index(job->messages, k);
      kq_log_message(ctx->log, m->level, m->path, m->line, "%s", m->msg);
    }
    ctx->scan->n_inputs++;
    if (job->error)
      warn_unreadable(ctx, job->path, job->error);
    g_ptr_array_extend_and_steal(ctx->scan->articles, job->articles);
    g_ptr_array_unref(job->messages);
    g_clear_error(&job->error);
  }
  g_free(jobs);
}

static void scan_path(ScanCtx *ctx, const char *path, gboolean explicit, int depth);

static void scan_dir(ScanCtx *ctx, const char *path, const struct stat *st, int depth)
{
  char *key = g_strdup_printf("%lu:%lu", (unsigned long)st->st_dev, (unsigned long)st->st_ino);
  if (g_hash_table_contains(ctx->visited, key)) {
    KQ_WARN(ctx->log, path, 0, "directory already scanned (symbolic link loop): skipped");
    g_free(key);
    return;
  }
  g_hash_table_add(ctx->visited, key);
  if (depth > KQ_MAX_SCAN_DEPTH) {
    KQ_WARN(ctx->log, path, 0, "directories nested deeper than %d: skipped",
            KQ_MAX_SCAN_DEPTH);
    return;
  }
  GError *err = NULL;
  GDir *dir = g_dir_open(path, 0, &err);
  if (!dir) {
    KQ_WARN(ctx->log, path, 0, "%s", err->message);
    note_unreadable(ctx, path);
    g_clear_error(&err);
    return;
  }
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while ((name = g_dir_read_name(dir)))
    if (name[0] != '.')
      g_ptr_array_add(names, g_strdup(name));
  g_dir_close(dir);
  /* byte order, not locale order: the same tree scans the same everywhere */
  g_ptr_array_sort(names, (GCompareFunc)(void (*)(void))g_strcmp0);
  for (guint i = 0; i < names->len; i++) {
    char *child = g_build_filename(path, g_ptr_array_index(names, i), NULL);
    scan_path(ctx, child, FALSE, depth + 1);
    g_free(child);
  }
  g_ptr_array_unref(names);
}

static void scan_path(ScanCtx *ctx, const char *path, gboolean explicit, int depth)
{
  struct stat lst, st;
  if (lstat(path, &lst) != 0) {
    KQ_WARN(ctx->log, path, 0, "%s", g_strerror(errno));
    note_unreadable(ctx, path);
    return;
  }
  if (S_ISLNK(lst.st_mode)) {
    char *real = realpath(path, NULL);
    if (!real) {
      KQ_WARN(ctx->log, path, 0, "broken or looping symbolic link: %s", g_strerror(errno));
      note_unreadable(ctx, path);
      return;
    }
    gboolean ok = kq_roots_contain(ctx->roots, real);
    free(real);
    if (!ok) {
      KQ_WARN(ctx->log, path, 0,
              "symbolic link to a target outside the given paths: not followed");
      return;
    }
  }
  if (stat(path, &st) != 0) {
    KQ_WARN(ctx->log, path, 0, "%s", g_strerror(errno));
    note_unreadable(ctx, path);
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    scan_dir(ctx, path, &st, depth);
  } else if (S_ISREG(st.st_mode)) {
    if (kq_reader_is_input_name(path))
      read_one(ctx, path);
    else if (explicit) {
      KQ_WARN(ctx->log, path, 0, "not an input format (known: .html .htm .xhtml .xml .rss "
                                 ".atom .rdf .md .markdown .json .jsonl .txt)");
      note_unreadable(ctx, path);
    } else
      KQ_INFO(ctx->log, path, 0, "not an input: ignored");
  } else if (explicit) {
    KQ_WARN(ctx->log, path, 0, "not a regular file or directory");
    note_unreadable(ctx, path);
  }
}

KqScan *kq_scan_paths(const char *const *paths, const KqReadOptions *ropts, KqLog *log)
{
  KqReadOptions defaults;
  if (!ropts) {
    kq_read_options_init(&defaults);
    ropts = &defaults;
  }
  KqScan *scan = g_new0(KqScan, 1);
  scan->articles = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  scan->unreadable = g_ptr_array_new_with_free_func(g_free);
  ScanCtx ctx = {ropts, log, scan, g_ptr_array_new_with_free_func(g_free), kq_roots_new(paths),
                 g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
  for (const char *const *p = paths; p && *p; p++)
    scan_path(&ctx, *p, TRUE, 0);
  read_files(&ctx);
  g_ptr_array_unref(ctx.files);
  kq_roots_free(ctx.roots);
  g_hash_table_unref(ctx.visited);
  return scan;
}

void kq_scan_free(KqScan *scan)
{
  if (!scan)
    return;
  if (scan->articles)
    g_ptr_array_unref(scan->articles);
  if (scan->unreadable)
    g_ptr_array_unref(scan->unreadable);
  g_free(scan);
}
