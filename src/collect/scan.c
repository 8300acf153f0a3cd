/* scan.c: walking the paths given on the command line and reading every input in them. */
#include "kiosque/collect.h"
#include "kiosque/pool.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kiosque/dir.h"
#include "kiosque/roots.h"

/* Directory recursion is bounded even without loops (deep trees). */
#define KQ_MAX_SCAN_DEPTH 64

typedef struct {
  const KqReadOptions *ropts;
  KqLog *log;
  KqScan *scan;
  GPtrArray *files;      /* char*: inputs found, in scan order, read afterwards */
  char **roots;          /* the given paths (roots.h): symbolic links are followed inside only */
  GHashTable *visited;   /* "dev:ino" of directories entered (loop guard) */
} ScanCtx;

/* Counts an input that gave nothing and keeps its name (KqScan.unreadable). */
static void note_unreadable(ScanCtx *ctx, const char *path)
{
  ctx->scan->n_unreadable++;
  g_ptr_array_add(ctx->scan->unreadable, g_strdup(path));
}

/* "PATH:LINE: reason": the line travels beside the message (reader.h). */
static void warn_unreadable(ScanCtx *ctx, const char *path, const GError *err)
{
  KQ_WARN(ctx->log, path, kq_read_error_get_line(err), "%s", err ? err->message : "unreadable");
  note_unreadable(ctx, path);
}

static void read_one(ScanCtx *ctx, const char *path)
{
  g_ptr_array_add(ctx->files, g_strdup(path));
}

/* ---- Reading, on worker threads ------------------------------------------
 * Files are read in parallel by the ordered pool (pool.h); each keeps its
 * messages and articles, handed over in scan order, so output and warnings
 * come out the same whatever the threads did. */

typedef struct {
  GPtrArray *articles; /* KqArticle* */
  GError *error;
} ReadResult;

static void read_result_free(ReadResult *r)
{
  g_ptr_array_unref(r->articles);
  g_clear_error(&r->error);
  g_free(r);
}

static gpointer read_work(guint index, gpointer state, KqLog *log, gpointer data)
{
  (void)state;
  const ScanCtx *ctx = data;
  kq_log_quiet_libxml2(); /* libxml2's handlers are per thread */
  ReadResult *r = g_new0(ReadResult, 1);
  r->articles = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  kq_read_file(g_ptr_array_index(ctx->files, index), ctx->ropts, log, r->articles, &r->error);
  return r;
}

static void read_files(ScanCtx *ctx)
{
  guint n = ctx->files->len;
  KqPoolSpec spec = {
      .n_items = n,
      .work = read_work,
      .data = ctx,
      .result_free = (GDestroyNotify)read_result_free,
      .level = ctx->log ? ctx->log->level : KQ_LOG_ERROR,
  };
  kq_readers_prepare();
  KqPool *pool = kq_pool_new(&spec);
  KqProgressFunc progress = ctx->ropts->progress;
  for (guint i = 0; i < n; i++) {
    ReadResult *r = kq_pool_take(pool, i, ctx->log);
    ctx->scan->n_inputs++;
    if (r->error)
      warn_unreadable(ctx, g_ptr_array_index(ctx->files, i), r->error);
    g_ptr_array_extend_and_steal(ctx->scan->articles, r->articles);
    r->articles = NULL;
    g_clear_error(&r->error);
    g_free(r);
    if (progress)
      progress("inputs", i + 1, n, ctx->ropts->progress_data);
  }
  kq_pool_free(pool);
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
  GPtrArray *names = kq_dir_names(path, &err);
  if (!names) {
    KQ_WARN(ctx->log, path, 0, "%s", err->message);
    note_unreadable(ctx, path);
    g_clear_error(&err);
    return;
  }
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
  g_strfreev(ctx.roots);
  g_hash_table_unref(ctx.visited);
  return scan;
}

void kq_scan_free(KqScan *scan)
{
  if (!scan)
    return;
  g_clear_pointer(&scan->articles, g_ptr_array_unref);
  g_clear_pointer(&scan->unreadable, g_ptr_array_unref);
  g_free(scan);
}
