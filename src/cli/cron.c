/* cron.c: export for unattended runs: --only-new JOB, --if-changed, --max-size volumes, progress line. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "cli.h"
#include "kiosque/output.h"

/* ---- Options ------------------------------------------------------------------ */

void kq_cli_cron_add(GOptionContext *ctx, KqCliCron *cron)
{
  memset(cron, 0, sizeof *cron);
  GOptionEntry entries[] = {
      {"only-new", 0, 0, G_OPTION_ARG_STRING, &cron->only_new,
       "Only articles JOB has not exported before (exit 3 when none)", "JOB"},
      {"if-changed", 0, 0, G_OPTION_ARG_NONE, &cron->if_changed,
       "Leave an output alone when its bytes would not change", NULL},
      {"max-size", 0, 0, G_OPTION_ARG_STRING, &cron->max_size,
       "Split a file larger than SIZE into numbered volumes (e.g. 45M)", "SIZE"},
      {"progress", 0, 0, G_OPTION_ARG_NONE, &cron->progress,
       "Show a progress line even when stderr is not a terminal", NULL},
      {"no-progress", 0, 0, G_OPTION_ARG_NONE, &cron->no_progress,
       "Never show a progress line", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL},
  };
  GOptionGroup *group = g_option_group_new("unattended", "Unattended runs (cron):",
                                           "Show options for unattended runs", NULL, NULL);
  g_option_group_add_entries(group, entries);
  g_option_context_add_group(ctx, group);
}

/* The sink while a progress line may be on screen: the line is erased
 * first, so a message never lands on "…[####] 5/5". */
static void progress_aware_log(KqLogLevel level, const char *path, int line, const char *msg,
                               gpointer user_data)
{
  KqCliCron *cron = user_data;
  kq_cli_progress_end(cron);
  cron->inner_func(level, path, line, msg, cron->inner_data);
}

int kq_cli_cron_finish(KqCliCron *cron, KqCliCommon *common, KqLog *log)
{
  if (!kq_cli_config_merge(common, "max-size", &cron->max_size, log))
    return KQ_EXIT_USAGE;
  if (cron->max_size && !kq_config_parse_size(cron->max_size, &cron->max_bytes))
    return kq_cli_fail(log, KQ_EXIT_USAGE,
                       "--max-size: '%s' is not a size with a unit (e.g. 45M, 900K)",
                       cron->max_size);
  if (cron->progress && cron->no_progress)
    return kq_cli_fail(log, KQ_EXIT_USAGE, "--progress and --no-progress exclude each other");
  gboolean text_log = g_strcmp0(kq_config_get(common->config, "log-format"), "json") != 0;
  cron->show_progress = !cron->no_progress && !common->quiet && text_log &&
                        (cron->progress || isatty(STDERR_FILENO));
  if (cron->show_progress && log->func) {
    cron->log = log;
    cron->inner_func = log->func;
    cron->inner_data = log->user_data;
    log->func = progress_aware_log;
    log->user_data = cron;
  }
  if (cron->only_new) {
    GError *err = NULL;
    cron->state = kq_job_state_open(cron->only_new, &err);
    if (!cron->state) {
      int status = g_error_matches(err, KQ_STATE_ERROR, KQ_STATE_ERROR_NAME) ? KQ_EXIT_USAGE
                                                                             : KQ_EXIT_FAILURE;
      kq_cli_fail(log, status, "--only-new: %s", err->message);
      g_error_free(err);
      return status;
    }
    common->seen = cron->state;
  }
  return KQ_EXIT_OK;
}

void kq_cli_cron_clear(KqCliCron *cron)
{
  kq_cli_progress_end(cron);
  if (cron->log) {
    cron->log->func = cron->inner_func;
    cron->log->user_data = cron->inner_data;
    cron->log = NULL;
  }
  kq_job_state_free(cron->state);
  cron->state = NULL;
  g_free(cron->only_new);
  g_free(cron->max_size);
  cron->only_new = cron->max_size = NULL;
}

int kq_cli_cron_commit(KqCliCron *cron, const KqEdition *ed, KqLog *log)
{
  if (!cron->state)
    return KQ_EXIT_OK;
  for (guint i = 0; i < ed->articles->len; i++) {
    const KqArticle *a = g_ptr_array_index(ed->articles, i);
    kq_job_state_add(cron->state, a->id);
  }
  GError *err = NULL;
  if (!kq_job_state_save(cron->state, &err)) {
    kq_cli_fail(log, KQ_EXIT_FAILURE, "%s", err->message);
    g_error_free(err);
    return KQ_EXIT_FAILURE;
  }
  KQ_INFO(log, NULL, 0, "job '%s': %u article%s exported so far (%s)", cron->only_new,
          kq_job_state_count(cron->state), kq_job_state_count(cron->state) == 1 ? "" : "s",
          kq_job_state_path(cron->state));
  return KQ_EXIT_OK;
}

/* ---- Progress line ---------------------------------------------------------------- */

void kq_cli_progress(KqCliCron *cron, const char *format, ...)
{
  if (!cron || !cron->show_progress)
    return;
  va_list ap;
  va_start(ap, format);
  char *msg = g_strdup_vprintf(format, ap);
  va_end(ap);
  /* one line, redrawn in place: carriage return, then erase to end of line */
  fprintf(stderr, "\rkiosque: %s\033[K", msg);
  fflush(stderr);
  cron->progress_shown = TRUE;
  g_free(msg);
}

void kq_cli_progress_count(const char *what, guint done, guint total, gpointer data)
{
  KqCliCron *cron = data;
  if (!cron || !cron->show_progress)
    return;
  /* a bar of 20 cells, then the count: "inputs [#######.............] 96/264" */
  char bar[21];
  guint full = total ? (guint)((guint64)done * 20 / total) : 0;
  for (guint i = 0; i < 20; i++)
    bar[i] = i < full ? '#' : '.';
  bar[20] = '\0';
  kq_cli_progress(cron, "%s [%s] %u/%u", what, bar, done, total);
}

void kq_cli_progress_end(KqCliCron *cron)
{
  if (cron && cron->progress_shown) {
    fputs("\r\033[K", stderr);
    fflush(stderr);
    cron->progress_shown = FALSE;
  }
}

/* ---- Writing: staging, comparison, volumes ----------------------------------------- */

/* TRUE when both files exist and hold the same bytes. */
static gboolean same_bytes(const char *a, const char *b)
{
  GStatBuf sa, sb;
  if (g_stat(a, &sa) != 0 || g_stat(b, &sb) != 0 || sa.st_size != sb.st_size)
    return FALSE;
  FILE *fa = g_fopen(a, "rb"), *fb = g_fopen(b, "rb");
  gboolean same = fa && fb;
  static char ba[65536], bb[65536];
  while (same) {
    size_t na = fread(ba, 1, sizeof ba, fa), nb = fread(bb, 1, sizeof bb, fb);
    if (na != nb || memcmp(ba, bb, na) != 0)
      same = FALSE;
    else if (na == 0)
      break;
  }
  if (fa)
    fclose(fa);
  if (fb)
    fclose(fb);
  return same;
}

/* Copies a staged file onto target through the atomic output (same
 * --no-clobber rule and messages as a direct write). */
static gboolean install_staged(const char *staged, const char *target, gboolean no_clobber,
                               GError **error)
{
  KqOutput *out = kq_output_begin(target, no_clobber, error);
  if (!out)
    return FALSE;
  FILE *in = g_fopen(staged, "rb");
  if (!in) {
    int e = errno;
    g_set_error(error, KQ_OUTPUT_ERROR, KQ_OUTPUT_ERROR_IO, "%s: %s", staged, g_strerror(e));
    kq_output_abort(out);
    return FALSE;
  }
  static char buf[65536];
  size_t n;
  gboolean ok = TRUE;
  while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
    ok = kq_output_write(out, buf, n, error);
  if (ok && ferror(in)) {
    g_set_error(error, KQ_OUTPUT_ERROR, KQ_OUTPUT_ERROR_IO, "%s: read error", staged);
    ok = FALSE;
  }
  fclose(in);
  if (!ok) {
    kq_output_abort(out);
    return FALSE;
  }
  return kq_output_commit(out, error);
}

/* A staged file becomes target, unless --if-changed finds target holds
 * the same bytes already. Appends target to written when it was written. */
static gboolean settle(KqCliCron *cron, const char *staged, const char *target,
                       const KqWriteOptions *wopts, KqLog *log, GPtrArray *written,
                       GError **error)
{
  if (cron->if_changed && same_bytes(staged, target)) {
    cron->n_unchanged++;
    KQ_INFO(log, target, 0, "unchanged, left alone (--if-changed)");
    return TRUE;
  }
  if (!install_staged(staged, target, wopts->no_clobber, error))
    return FALSE;
  g_ptr_array_add(written, g_strdup(target));
  return TRUE;
}

static gint64 file_size(const char *path)
{
  GStatBuf st;
  return g_stat(path, &st) == 0 ? (gint64)st.st_size : -1;
}

/* Bytes of the local images of a block tree (depth-capped). */
static gint64 image_bytes(const GPtrArray *blocks, const char *article_dir, int depth)
{
  gint64 sum = 0;
  if (!blocks || depth > 64)
    return 0;
  for (guint i = 0; i < blocks->len; i++) {
    const KqBlock *b = g_ptr_array_index(blocks, i);
    if (b->kind == KQ_BLOCK_IMAGE && b->src && !strstr(b->src, "://")) {
      char *p = g_path_is_absolute(b->src) ? g_strdup(b->src)
                                           : g_build_filename(article_dir, b->src, NULL);
      gint64 n = file_size(p);
      if (n > 0)
        sum += n;
      g_free(p);
    }
    sum += image_bytes(b->children, article_dir, depth + 1);
  }
  return sum;
}

/* An article's share of an output: its text and its images. */
static gint64 article_weight(const KqArticle *a)
{
  char *dir = g_path_get_dirname(a->source_path ? a->source_path : ".");
  gint64 w = 1024 + (gint64)kq_article_count_words(a) * 7 + image_bytes(a->blocks, dir, 0);
  g_free(dir);
  return w;
}

/* Why a volume of one article is over the size: in an EPUB (a zip), the
 * cover image every volume carries, else its largest part; in a PDF, the
 * pages and fonts every volume repeats. New string. */
static char *fixed_weight_note(const char *volume, gint64 size)
{
  int zerr = 0;
  zip_t *z = zip_open(volume, ZIP_RDONLY, &zerr);
  if (!z)
    return g_strdup_printf("the cover page and the fonts every volume repeats weigh most of "
                           "its %" G_GINT64_FORMAT " bytes", size);
  zip_int64_t n = zip_get_num_entries(z, 0);
  char *cover = NULL, *largest = NULL;
  zip_uint64_t cover_size = 0, largest_size = 0;
  for (zip_int64_t i = 0; i < n; i++) {
    zip_stat_t st;
    if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
        !(st.valid & ZIP_STAT_COMP_SIZE))
      continue;
    const char *base = strrchr(st.name, '/') ? strrchr(st.name, '/') + 1 : st.name;
    char *lower = g_ascii_strdown(base, -1);
    gboolean image = g_str_has_suffix(lower, ".jpg") || g_str_has_suffix(lower, ".jpeg") ||
                     g_str_has_suffix(lower, ".png") || g_str_has_suffix(lower, ".gif") ||
                     g_str_has_suffix(lower, ".webp") || g_str_has_suffix(lower, ".svg");
    if (image && g_str_has_prefix(lower, "cover") && st.comp_size > cover_size) {
      g_free(cover);
      cover = g_strdup(st.name);
      cover_size = st.comp_size;
    }
    if (st.comp_size > largest_size) {
      g_free(largest);
      largest = g_strdup(st.name);
      largest_size = st.comp_size;
    }
    g_free(lower);
  }
  zip_discard(z);
  char *note;
  if (cover)
    note = g_strdup_printf("the cover image every volume carries (%s) weighs %" G_GUINT64_FORMAT
                           " bytes of it", cover, cover_size);
  else if (largest)
    note = g_strdup_printf("its largest part, %s, weighs %" G_GUINT64_FORMAT " bytes", largest,
                           largest_size);
  else
    note = g_strdup("the parts every volume repeats weigh most of it");
  g_free(cover);
  g_free(largest);
  return note;
}

/* Cuts n articles (weights w) into k contiguous runs of about equal
 * weight; bounds[v] is the first article of volume v, bounds[k] = n. */
static void partition(const gint64 *w, guint n, guint k, guint *bounds)
{
  gint64 total = 0;
  for (guint i = 0; i < n; i++)
    total += w[i];
  guint v = 0, i = 0;
  gint64 acc = 0;
  bounds[0] = 0;
  for (v = 1; v < k; v++) {
    gint64 goal = total * v / k;
    /* at least one article per volume, and leave one for each after */
    while (i < n - (k - v) && (i < bounds[v - 1] + 1 || acc + w[i] / 2 <= goal))
      acc += w[i++];
    bounds[v] = i;
  }
  bounds[k] = n;
}

/* The volume v (1-based) of count: copies of articles [from, to) with the
 * edition's language and the title "TITLE (v/count)". */
static KqEdition *volume_new(const KqEdition *ed, const KqCollectOptions *copts, guint from,
                             guint to, guint v, guint count)
{
  GPtrArray *copies = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  for (guint i = from; i < to; i++)
    g_ptr_array_add(copies, kq_article_dup(g_ptr_array_index(ed->articles, i)));
  /* same options, but the whole edition's language: a shallow copy whose
   * owned members stay the caller's */
  KqCollectOptions o = *copts;
  o.edition_lang = ed->lang;
  o.title = NULL;
  KqEdition *vol = kq_edition_new_take(copies, &o);
  char *title = g_strdup_printf("%s (%u/%u)", ed->title, v, count);
  kq_edition_set_title(vol, title); /* and the furniture made of it */
  g_free(title);
  return vol;
}

/* Writes volume v of count (articles [from, to), volume_new()) to path,
 * with opts and the volume's own timestamp. */
static gboolean write_volume(KqCliWriteFunc write, const KqEdition *ed,
                             const KqCollectOptions *copts, const KqWriteOptions *opts,
                             guint from, guint to, guint v, guint count, const char *path,
                             KqLog *log, GError **error)
{
  KqEdition *vol = volume_new(ed, copts, from, to, v, count);
  KqWriteOptions vopts = *opts;
  vopts.timestamp = kq_edition_timestamp(vol);
  gboolean ok = write(vol, &vopts, path, log, error);
  kq_edition_free(vol);
  return ok;
}

/* Default volume names: "DIR/STEM-V.EXT". */
static char *default_volume_path(const char *path, guint v)
{
  const char *slash = strrchr(path, '/');
  const char *dot = strrchr(path, '.');
  if (!dot || (slash && dot < slash) || dot == (slash ? slash + 1 : path))
    return g_strdup_printf("%s-%u", path, v);
  return g_strdup_printf("%.*s-%u%s", (int)(dot - path), path, v, dot);
}

gboolean kq_cli_cron_write(KqCliCron *cron, KqCliWriteFunc write, const KqEdition *ed,
                           const KqWriteOptions *wopts, const KqCollectOptions *copts,
                           const char *path, KqCliVolumePath volume_path, gpointer volume_data,
                           KqLog *log, GPtrArray *written, GError **error)
{
  char *base = g_path_get_basename(path);
  kq_cli_progress(cron, "writing %s…", base);
  if (!cron->if_changed && cron->max_bytes == 0) {
    /* the plain case: the writer's own atomic output */
    gboolean ok = write(ed, wopts, path, log, error);
    if (ok)
      g_ptr_array_add(written, g_strdup(path));
    g_free(base);
    return ok;
  }
  gboolean ok = FALSE;
  char *dir = g_path_get_dirname(path);
  char *tmpl = g_build_filename(dir, ".kiosque-stage-XXXXXX", NULL);
  char *stage = g_mkdtemp(tmpl);
  GPtrArray *staged = g_ptr_array_new_with_free_func(g_free);  /* files to remove */
  GPtrArray *targets = g_ptr_array_new_with_free_func(g_free); /* same order */
  gint64 *weights = NULL;
  guint *bounds = NULL;
  if (!stage) {
    int e = errno;
    g_set_error(error, KQ_OUTPUT_ERROR, KQ_OUTPUT_ERROR_IO, "%s: cannot create a folder: %s",
                tmpl, g_strerror(e));
    g_free(tmpl);
    goto out;
  }
  KqWriteOptions staged_opts = *wopts;
  staged_opts.no_clobber = FALSE; /* checked when the staged file is installed */
  if (cron->max_bytes > 0 && staged_opts.max_image_edge == 0)
    /* large pictures are scaled down before anything is split */
    staged_opts.max_image_edge = KQ_SIZE_LIMITED_IMAGE_EDGE;

  char *whole = g_build_filename(stage, base, NULL);
  g_ptr_array_add(staged, whole);
  if (!write(ed, &staged_opts, whole, log, error))
    goto out;
  gint64 size = file_size(whole);
  guint n = ed->articles->len;
  if (cron->max_bytes == 0 || size <= (gint64)cron->max_bytes || n < 2) {
    if (cron->max_bytes && size > (gint64)cron->max_bytes)
      KQ_WARN(log, path, 0, "%" G_GINT64_FORMAT " bytes, over --max-size, but a single article "
              "cannot be split", size);
    g_ptr_array_add(targets, g_strdup(path));
  } else {
    /* volumes: as few as the size asks for, more until each fits (or is a
     * single article too large on its own) */
    weights = g_new(gint64, n);
    for (guint i = 0; i < n; i++)
      weights[i] = article_weight(g_ptr_array_index(ed->articles, i));
    bounds = g_new(guint, n + 1);
    /* a limit that no volume can meet (the cover alone weighs more) is said
     * once, and the edition written whole, not as n one-article volumes */
    guint lightest = 0;
    for (guint i = 1; i < n; i++)
      if (weights[i] < weights[lightest])
        lightest = i;
    char *floor_path = g_build_filename(stage, "floor", NULL);
    g_ptr_array_add(staged, floor_path);
    if (!write_volume(write, ed, copts, &staged_opts, lightest, lightest + 1, 1, 1, floor_path,
                      log, error))
      goto out;
    gint64 floor_size = file_size(floor_path);
    if (floor_size > (gint64)cron->max_bytes) {
      char *why = fixed_weight_note(floor_path, floor_size);
      KQ_WARN(log, path, 0, "--max-size %s cannot be met: a volume of a single article is "
              "%" G_GINT64_FORMAT " bytes, and %s; written whole (%" G_GINT64_FORMAT " bytes)",
              cron->max_size, floor_size, why, size);
      g_free(why);
      g_ptr_array_add(targets, g_strdup(path));
      goto install;
    }
    g_unlink(floor_path);
    g_ptr_array_set_size(staged, staged->len - 1);
    guint k = (guint)MIN((guint64)n, ((guint64)size + cron->max_bytes - 1) / cron->max_bytes);
    if (k < 2)
      k = 2;
    for (;;) {
      partition(weights, n, k, bounds);
      for (guint i = 1; i < staged->len; i++) /* the previous attempt's volumes */
        g_unlink(g_ptr_array_index(staged, i));
      g_ptr_array_set_size(staged, 1);
      gboolean all_fit = TRUE, splittable = FALSE;
      for (guint v = 0; v < k; v++) {
        char *name = g_strdup_printf("vol-%u-%s", v + 1, base);
        char *p = g_build_filename(stage, name, NULL);
        g_free(name);
        g_ptr_array_add(staged, p);
        kq_cli_progress(cron, "writing %s, volume %u/%u…", base, v + 1, k);
        if (!write_volume(write, ed, copts, &staged_opts, bounds[v], bounds[v + 1], v + 1, k, p,
                          log, error))
          goto out;
        if (file_size(p) > (gint64)cron->max_bytes) {
          all_fit = FALSE;
          if (bounds[v + 1] - bounds[v] > 1)
            splittable = TRUE;
        }
      }
      if (all_fit || !splittable || k >= n)
        break;
      k++;
    }
    for (guint v = 0; v < k; v++) {
      const char *p = g_ptr_array_index(staged, v + 1);
      if (file_size(p) > (gint64)cron->max_bytes)
        KQ_WARN(log, path, 0, "volume %u/%u is over --max-size (%" G_GINT64_FORMAT
                " bytes): its article is too large on its own", v + 1, k, file_size(p));
      g_ptr_array_add(targets, volume_path ? volume_path(v + 1, volume_data)
                                           : default_volume_path(path, v + 1));
    }
    KQ_INFO(log, path, 0, "%" G_GINT64_FORMAT " bytes: split into %u volumes under --max-size",
            size, k);
  }
install:
  /* install: the whole file (staged[0]), or volumes 1..k (staged[1..k]) */
  ok = TRUE;
  for (guint t = 0; t < targets->len && ok; t++) {
    const char *from = g_ptr_array_index(staged, targets->len == 1 ? 0 : t + 1);
    ok = settle(cron, from, g_ptr_array_index(targets, t), wopts, log, written, error);
  }
out:
  for (guint i = 0; i < staged->len; i++)
    g_unlink(g_ptr_array_index(staged, i));
  if (stage)
    g_rmdir(stage);
  g_free(stage);
  g_free(dir);
  g_free(base);
  g_free(weights);
  g_free(bounds);
  g_ptr_array_unref(staged);
  g_ptr_array_unref(targets);
  return ok;
}
