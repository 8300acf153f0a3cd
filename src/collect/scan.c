/* scan.c: walking the paths given on the command line and reading every input in them. */
#include "kiosque/collect.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Directory recursion is bounded even without loops (deep trees). */
#define KQ_MAX_SCAN_DEPTH 64

typedef struct {
  const KqReadOptions *ropts;
  KqLog *log;
  KqScan *scan;
  GPtrArray *roots;      /* char*: real paths of the given paths */
  GHashTable *visited;   /* "dev:ino" of directories entered (loop guard) */
} ScanCtx;

static gboolean inside_roots(const ScanCtx *ctx, const char *real)
{
  for (guint i = 0; i < ctx->roots->len; i++) {
    const char *root = g_ptr_array_index(ctx->roots, i);
    gsize n = strlen(root);
    if (strncmp(real, root, n) == 0 &&
        (real[n] == '\0' || real[n] == '/' || (n == 1 && root[0] == '/')))
      return TRUE;
  }
  return FALSE;
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
  ctx->scan->n_unreadable++;
}

static void read_one(ScanCtx *ctx, const char *path)
{
  GError *err = NULL;
  ctx->scan->n_inputs++;
  if (!kq_read_file(path, ctx->ropts, ctx->log, ctx->scan->articles, &err))
    warn_unreadable(ctx, path, err);
  g_clear_error(&err);
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
    ctx->scan->n_unreadable++;
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
    ctx->scan->n_unreadable++;
    return;
  }
  if (S_ISLNK(lst.st_mode)) {
    char *real = realpath(path, NULL);
    if (!real) {
      KQ_WARN(ctx->log, path, 0, "broken or looping symbolic link: %s", g_strerror(errno));
      ctx->scan->n_unreadable++;
      return;
    }
    gboolean ok = inside_roots(ctx, real);
    free(real);
    if (!ok) {
      KQ_WARN(ctx->log, path, 0,
              "symbolic link to a target outside the given paths: not followed");
      return;
    }
  }
  if (stat(path, &st) != 0) {
    KQ_WARN(ctx->log, path, 0, "%s", g_strerror(errno));
    ctx->scan->n_unreadable++;
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
      ctx->scan->n_unreadable++;
    } else
      KQ_INFO(ctx->log, path, 0, "not an input: ignored");
  } else if (explicit) {
    KQ_WARN(ctx->log, path, 0, "not a regular file or directory");
    ctx->scan->n_unreadable++;
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
  ScanCtx ctx = {ropts, log, scan, g_ptr_array_new_with_free_func(g_free),
                 g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
  for (const char *const *p = paths; p && *p; p++) {
    char *real = realpath(*p, NULL);
    if (real) {
      g_ptr_array_add(ctx.roots, g_strdup(real));
      free(real);
    }
  }
  for (const char *const *p = paths; p && *p; p++)
    scan_path(&ctx, *p, TRUE, 0);
  g_ptr_array_unref(ctx.roots);
  g_hash_table_unref(ctx.visited);
  return scan;
}

void kq_scan_free(KqScan *scan)
{
  if (!scan)
    return;
  if (scan->articles)
    g_ptr_array_unref(scan->articles);
  g_free(scan);
}
