/* cmd_export.c: `kiosque export`: collects an edition and writes it as EPUB and/or PDF files. */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "kiosque/fetch.h"
#include "kiosque/lock.h"
#include "kiosque/theme.h"
#include "kiosque/writer.h"

typedef enum { FMT_EPUB = 1 << 0, FMT_PDF = 1 << 1 } Formats;

static const struct {
  const char *name;
  Formats flag;
  gboolean (*write)(const KqEdition *, const KqWriteOptions *, const char *, KqLog *, GError **);
} formats[] = {
    {"epub", FMT_EPUB, kq_epub_write},
    {"pdf", FMT_PDF, kq_pdf_write},
};

/* TRUE when text holds no format name at all (only commas and blanks). */
static gboolean blank_list(const char *text)
{
  for (const char *p = text; *p; p++)
    if (*p != ',' && !g_ascii_isspace(*p))
      return FALSE;
  return TRUE;
}

/* "epub,pdf" -> flags; 0 when a name is unknown or the list is empty. */
static guint parse_formats(const char *text, KqLog *log)
{
  guint flags = 0;
  char **names = g_strsplit(text, ",", -1);
  for (int i = 0; names[i]; i++) {
    char *n = g_strstrip(names[i]);
    if (!*n)
      continue;
    gboolean known = FALSE;
    for (gsize k = 0; k < G_N_ELEMENTS(formats); k++)
      if (g_ascii_strcasecmp(n, formats[k].name) == 0) {
        flags |= formats[k].flag;
        known = TRUE;
      }
    if (!known) {
      kq_cli_fail(log, KQ_EXIT_USAGE, "export: --format: unknown format '%s' (epub, pdf)", n);
      flags = 0;
      break;
    }
  }
  g_strfreev(names);
  if (!flags && blank_list(text))
    kq_cli_fail(log, KQ_EXIT_USAGE, "export: --format needs epub, pdf or epub,pdf");
  return flags;
}

/* Where files go: a folder and, when -o names a file, the stem to use
 * instead of the edition's default name. */
typedef struct {
  char *dir;
  char *stem; /* NULL: the edition's file_stem */
} Target;

static void target_init(Target *t, const char *out)
{
  t->dir = NULL;
  t->stem = NULL;
  if (!out || !*out) {
    t->dir = g_strdup(".");
    return;
  }
  if (g_str_has_suffix(out, "/") || g_file_test(out, G_FILE_TEST_IS_DIR)) {
    t->dir = g_strdup(out);
    return;
  }
  t->dir = g_path_get_dirname(out);
  char *base = g_path_get_basename(out);
  /* A known output extension is replaced for each format; any other name
   * gets the extension appended. */
  char *dot = strrchr(base, '.');
  if (dot && dot != base &&
      (g_ascii_strcasecmp(dot, ".epub") == 0 || g_ascii_strcasecmp(dot, ".pdf") == 0))
    *dot = '\0';
  t->stem = base;
}

static void target_clear(Target *t)
{
  g_free(t->dir);
  g_free(t->stem);
}

/* The file of one edition in one format. group_key: with --split and a
 * user-named file, the group key appended to the user's stem. */
static char *output_path(const Target *t, const KqEdition *ed, const char *group_key,
                         const char *ext)
{
  char *name;
  if (t->stem && group_key)
    name = g_strdup_printf("%s-%s.%s", t->stem, group_key, ext);
  else if (t->stem)
    name = g_strdup_printf("%s.%s", t->stem, ext);
  else
    name = g_strdup_printf("%s.%s", ed->file_stem, ext);
  char *path = strcmp(t->dir, ".") == 0 ? g_strdup(name) : g_build_filename(t->dir, name, NULL);
  g_free(name);
  return path;
}

/* What names a --max-size volume when -o holds {n} (cron.c). */
typedef struct {
  const KqCliCommon *common;
  const KqEdition *ed;
  const char *out;   /* the -o template */
  const char *group; /* --split group title, or NULL */
  const char *group_key;
  const char *ext;
} VolumeNaming;

static char *volume_path(guint v, gpointer data)
{
  const VolumeNaming *vn = data;
  char *o = kq_cli_expand_output(vn->common, vn->ed, vn->out, vn->group, (int)v, NULL);
  Target t;
  target_init(&t, o);
  char *path = output_path(&t, vn->ed, vn->group_key, vn->ext);
  target_clear(&t);
  g_free(o);
  return path;
}

/* The folder a file goes to must exist and take new files: said plainly,
 * before the lock file beside the target fails with a message naming the
 * lock. kiosque creates the folder only when -o ends in '/' (a typo in a
 * crontab's file name must not scatter new folders). */
static gboolean folder_ok(const char *path, KqLog *log)
{
  char *dir = g_path_get_dirname(path);
  GStatBuf st;
  gboolean ok = FALSE;
  if (g_stat(dir, &st) != 0) {
    int e = errno;
    if (e == ENOENT)
      kq_cli_fail(log, KQ_EXIT_FAILURE, "%s: the folder %s does not exist (create it, or end "
                  "-o with '/' to have kiosque create it)", path, dir);
    else
      kq_cli_fail(log, KQ_EXIT_FAILURE, "%s: the folder %s: %s", path, dir, g_strerror(e));
  } else if (!S_ISDIR(st.st_mode)) {
    kq_cli_fail(log, KQ_EXIT_FAILURE, "%s: the folder %s: %s", path, dir, g_strerror(ENOTDIR));
  } else if (g_access(dir, W_OK | X_OK) != 0) {
    int e = errno;
    kq_cli_fail(log, KQ_EXIT_FAILURE, "%s: cannot write in the folder %s: %s", path, dir,
                g_strerror(e));
  } else {
    ok = TRUE;
  }
  g_free(dir);
  return ok;
}

/* Copies a finished file to standard output (-o -). */
static gboolean copy_to_stdout(const char *path, GError **error)
{
  FILE *in = g_fopen(path, "rb");
  if (!in) {
    int e = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s: %s", path, g_strerror(e));
    return FALSE;
  }
  char buf[65536];
  size_t n;
  gboolean ok = TRUE;
  while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
    ok = fwrite(buf, 1, n, stdout) == n;
  ok = ok && !ferror(in) && fflush(stdout) == 0;
  fclose(in);
  if (!ok)
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "standard output: %s",
                g_strerror(errno ? errno : EIO));
  return ok;
}

/* Writes one edition in every asked format (through cron.c: --if-changed,
 * --max-size); prints each written path. naming: set when -o holds {n}.
 * stdout_dir: with -o -, the private folder t points to; the file is
 * copied to standard output, then removed.
 * Returns FALSE when a write failed (already reported). */
static gboolean write_edition(const KqEdition *ed, KqWriteOptions *wopts, guint flags,
                              const Target *t, const char *group_key, int lock_timeout,
                              KqCliCron *cron, const KqCollectOptions *copts,
                              VolumeNaming *naming, const char *stdout_dir,
                              GPtrArray *folders, KqLog *log)
{
  gboolean ok = TRUE;
  wopts->timestamp = kq_edition_timestamp(ed);
  /* each format reads the typeset bodies; the last frees each body */
  guint writes = 0;
  for (gsize k = 0; k < G_N_ELEMENTS(formats); k++)
    writes += (flags & formats[k].flag) != 0;
  kq_edition_expect_body_readers(ed, writes);
  for (gsize k = 0; k < G_N_ELEMENTS(formats); k++) {
    if (!(flags & formats[k].flag))
      continue;
    char *path = output_path(t, ed, group_key, formats[k].name);
    GError *err = NULL;
    GPtrArray *written = g_ptr_array_new_with_free_func(g_free);
    if (naming)
      naming->ext = formats[k].name;
    if (!stdout_dir && !folder_ok(path, log)) {
      ok = FALSE;
      g_ptr_array_unref(written);
      g_free(path);
      continue;
    }
    /* one export at a time per target: a second one waits, then gives up
     * (-o -: the file is private to this run) */
    KqLock *lock = stdout_dir ? NULL : kq_lock_acquire(path, lock_timeout, &err);
    gboolean w = (lock || stdout_dir) &&
                 kq_cli_cron_write(cron, formats[k].write, ed, wopts, copts, path,
                                   naming ? volume_path : NULL, naming, log, written, &err);
    kq_cli_progress_end(cron);
    if (stdout_dir) {
      if (w)
        w = copy_to_stdout(path, &err);
      g_unlink(path);
    } else {
      for (guint i = 0; i < written->len; i++)
        printf("%s\n", (const char *)g_ptr_array_index(written, i));
    }
    fflush(stdout);
    if (w && folders && !stdout_dir) {
      char *folder = g_path_get_dirname(path);
      if (g_ptr_array_find_with_equal_func(folders, folder, g_str_equal, NULL))
        g_free(folder);
      else
        g_ptr_array_add(folders, folder);
    }
    if (!w) {
      kq_cli_fail(log, KQ_EXIT_FAILURE, "%s", err ? err->message : path);
      g_clear_error(&err);
      ok = FALSE;
    }
    kq_lock_release(lock);
    g_ptr_array_unref(written);
    g_free(path);
  }
  return ok;
}

/* value reads as a template (template.h): it holds a placeholder */
static gboolean has_placeholder(const char *value)
{
  return value && (strchr(value, '{') || strstr(value, "}}"));
}

/* A --title or --output template must be valid: FALSE (usage error printed,
 * "--OPTION: ...") when it is not. */
static gboolean template_ok(const char *option, const char *value, KqLog *log)
{
  GError *err = NULL;
  if (!has_placeholder(value) || kq_template_check(value, &err))
    return TRUE;
  kq_cli_fail(log, KQ_EXIT_USAGE, "--%s: %s", option, err->message);
  g_error_free(err);
  return FALSE;
}

/* ---- Export's settings ------------------------------------------------------------ */

/* Export's settings as options, pointing into s: one table adds them and
 * says what kq_cli_export_settings_clear() frees. A new NULL-terminated
 * array: g_free() it. */
static GOptionEntry *settings_entries(KqCliExportSettings *s)
{
  const GOptionEntry entries[] = {
      {"format", 'f', 0, G_OPTION_ARG_STRING, &s->format,
       "Formats to write, comma-separated (default epub,pdf)", "epub,pdf"},
      {"output", 'o', 0, G_OPTION_ARG_FILENAME, &s->out,
       "Output folder (ends in / or exists) or file name (extension replaced per format)",
       "OUT"},
      {"split", 0, 0, G_OPTION_ARG_NONE, &s->split,
       "One file per group (key appended to the name)", NULL},
      {"title", 0, 0, G_OPTION_ARG_STRING, &s->title, "Edition title", "TEXT"},
      {"style", 0, 0, G_OPTION_ARG_STRING, &s->style,
       "Style NAME: styles/NAME.css (EPUB) and styles/NAME.theme (PDF)", "NAME"},
      {"css", 0, 0, G_OPTION_ARG_FILENAME, &s->css, "CSS file for the EPUB (replaces the style's)",
       "FILE"},
      {"theme", 0, 0, G_OPTION_ARG_FILENAME, &s->theme,
       "Theme file for the PDF (replaces the style's)", "FILE"},
      {"paper", 0, 0, G_OPTION_ARG_STRING, &s->paper, "PDF paper size: a4, a5 or letter",
       "SIZE"},
      {"columns", 0, 0, G_OPTION_ARG_INT, &s->columns, "PDF text columns: 1 or 2", "N"},
      {"cover", 0, 0, G_OPTION_ARG_FILENAME, &s->cover,
       "Cover image (JPEG, PNG, GIF, SVG, WebP…) instead of the generated one", "FILE"},
      {"creator", 0, 0, G_OPTION_ARG_STRING, &s->creator,
       "The edition's author in the EPUB and PDF metadata (default: kiosque)", "NAME"},
      {"fetch-images", 0, 0, G_OPTION_ARG_NONE, &s->fetch_images,
       "Fetch remote images (http, https) into the cache ($XDG_CACHE_HOME/kiosque)", NULL},
      {"no-clobber", 0, 0, G_OPTION_ARG_NONE, &s->no_clobber, "Never replace an existing file",
       NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL},
  };
  return g_memdup2(entries, sizeof entries);
}

void kq_cli_export_settings_add(GOptionContext *ctx, KqCliExportSettings *s)
{
  memset(s, 0, sizeof *s);
  GOptionEntry *entries = settings_entries(s);
  g_option_context_add_main_entries(ctx, entries, NULL); /* copies them */
  g_free(entries);
}

gboolean kq_cli_export_settings_merge(KqCliExportSettings *s, KqCliCommon *common, KqLog *log)
{
  /* the configuration holds columns as text ("1", "2") */
  char *columns = s->columns ? g_strdup_printf("%d", s->columns) : NULL;
  gboolean ok = kq_cli_config_merge(common, "formats", &s->format, log) &&
                kq_cli_config_merge(common, "output", &s->out, log) &&
                kq_cli_config_merge(common, "title", &s->title, log) &&
                kq_cli_config_merge(common, "style", &s->style, log) &&
                kq_cli_config_merge(common, "css", &s->css, log) &&
                kq_cli_config_merge(common, "theme", &s->theme, log) &&
                kq_cli_config_merge(common, "cover", &s->cover, log) &&
                kq_cli_config_merge(common, "creator", &s->creator, log) &&
                kq_cli_config_merge(common, "paper", &s->paper, log) &&
                kq_cli_config_merge(common, "columns", &columns, log) &&
                kq_cli_config_merge_bool(common, "split", &s->split, log) &&
                kq_cli_config_merge_bool(common, "fetch-images", &s->fetch_images, log) &&
                kq_cli_config_merge_bool(common, "no-clobber", &s->no_clobber, log);
  s->columns = columns ? atoi(columns) : 0;
  g_free(columns);
  return ok;
}

void kq_cli_export_settings_clear(KqCliExportSettings *s)
{
  GOptionEntry *entries = settings_entries(s);
  kq_cli_entries_clear(entries);
  g_free(entries);
  memset(s, 0, sizeof *s);
}

int kq_cmd_export(int argc, char **argv, KqLog *log)
{
  KqCliExportSettings settings; /* the ones kiosque.conf may hold too */
  char *max_pixels = NULL, *fetch_max_bytes = NULL, *fetch_max_total = NULL;
  gboolean fetch_private = FALSE;
  int fetch_timeout = 0;
  KqFetcher *fetched = NULL;
  guint64 max_px = 0;
  int lock_timeout = KQ_DEFAULT_LOCK_TIMEOUT;
  gboolean embed_fonts = FALSE, library = FALSE;
  GPtrArray *folders = g_ptr_array_new_with_free_func(g_free); /* written to, for --library */
  KqCliCommon common;
  KqCliCron cron;
  KqImageResolver *images = NULL;
  GOptionEntry entries[] = {
      {"fetch-allow-private", 0, 0, G_OPTION_ARG_NONE, &fetch_private,
       "Also fetch from loopback, private and link-local addresses (intranets, tests)", NULL},
      {"fetch-timeout", 0, 0, G_OPTION_ARG_INT, &fetch_timeout,
       "Give up an image after SECONDS (default 30; connecting: 10)", "SECONDS"},
      {"fetch-max-bytes", 0, 0, G_OPTION_ARG_STRING, &fetch_max_bytes,
       "Largest image fetched (default 16M)", "SIZE"},
      {"fetch-max-total", 0, 0, G_OPTION_ARG_STRING, &fetch_max_total,
       "Most bytes fetched per export (default 256M)", "SIZE"},
      {"embed-fonts", 0, 0, G_OPTION_ARG_NONE, &embed_fonts,
       "EPUB: embed the PDF's body font (Linux Libertine O)", NULL},
      {"max-image-pixels", 0, 0, G_OPTION_ARG_STRING, &max_pixels,
       "Drop images larger than N pixels, before decoding (default 40M)", "N"},
      {"library", 0, 0, G_OPTION_ARG_NONE, &library,
       "Then refresh the library of the folder written to (catalog.xml, index.html: "
       "see 'kiosque library')", NULL},
      {"lock-timeout", 0, 0, G_OPTION_ARG_INT, &lock_timeout,
       "Wait at most SECONDS for another export of the same file (default 60)", "SECONDS"},
      {NULL, 0, 0, 0, NULL, NULL, NULL},
  };
  GOptionContext *ctx = g_option_context_new("PATH… — write EPUB and PDF editions of an archive");
  kq_cli_export_settings_add(ctx, &settings);
  g_option_context_add_main_entries(ctx, entries, NULL);
  kq_cli_common_add(ctx, &common);
  kq_cli_cron_add(ctx, &cron);
  int status = KQ_EXIT_USAGE;
  KqEdition *ed = NULL;
  Target target = {NULL, NULL};
  guint flags = 0;
  char *out_path = NULL, *title_tmpl = NULL, *stdout_dir = NULL;
  gboolean to_stdout = FALSE;
  if (!kq_cli_parse(ctx, &argc, &argv, log))
    goto out;
  /* the command line over the configuration file (cli.h) */
  if (!kq_cli_export_settings_merge(&settings, &common, log))
    goto out;
  status = kq_cli_cron_finish(&cron, &common, log);
  if (status != KQ_EXIT_OK)
    goto out;
  status = KQ_EXIT_USAGE;
  if (!kq_cli_need_paths(argc, "export", log))
    goto out;
  flags = parse_formats(settings.format ? settings.format : "epub,pdf", log);
  if (!flags)
    goto out;
  /* -o -: one file, whole, to standard output (nothing else printed there) */
  to_stdout = settings.out && strcmp(settings.out, "-") == 0;
  if (to_stdout) {
    const char *why = NULL;
    if (flags != FMT_EPUB && flags != FMT_PDF)
      why = "standard output takes a single format: add -f epub or -f pdf";
    else if (settings.split)
      why = "--split writes several files; standard output takes one";
    else if (cron.max_bytes)
      why = "--max-size may write several volumes; standard output takes one file";
    else if (cron.if_changed)
      why = "--if-changed compares with the file already written; standard output has none";
    else if (library)
      why = "--library needs a folder to keep the editions in";
    else if (isatty(STDOUT_FILENO))
      why = "standard output is a terminal: redirect it to a file or a pipe";
    if (why) {
      kq_cli_fail(log, KQ_EXIT_USAGE, "export: -o -: %s", why);
      goto out;
    }
  }
  if (settings.paper && strcmp(settings.paper, "a4") != 0 && strcmp(settings.paper, "a5") != 0 &&
      strcmp(settings.paper, "letter") != 0) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "export: --paper %s: a4, a5 or letter", settings.paper);
    goto out;
  }
  if (max_pixels) {
    /* "40M", "2.5M", "1000000" */
    char *end = NULL;
    double n = g_ascii_strtod(max_pixels, &end);
    if (end && (*end == 'M' || *end == 'm'))
      n *= 1e6, end++;
    else if (end && (*end == 'K' || *end == 'k'))
      n *= 1e3, end++;
    if (!end || *end || !(n >= 1 && n <= 1e12)) {
      kq_cli_fail(log, KQ_EXIT_USAGE, "export: --max-image-pixels %s: a pixel count "
                           "such as 40M", max_pixels);
      goto out;
    }
    max_px = (guint64)n;
  }
  KqFetchOptions fopts;
  kq_fetch_options_init(&fopts);
  fopts.allow_private = fetch_private;
  if (fetch_timeout < 0 || fetch_timeout > 3600) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "export: --fetch-timeout %d: seconds, 1 to 3600",
                fetch_timeout);
    goto out;
  }
  if (fetch_timeout > 0) {
    fopts.timeout_ms = fetch_timeout * 1000L;
    fopts.connect_timeout_ms = MIN(fopts.connect_timeout_ms, fopts.timeout_ms);
  }
  for (int k = 0; k < 2; k++) {
    const char *text = k == 0 ? fetch_max_bytes : fetch_max_total;
    if (text && !kq_config_parse_size(text, k == 0 ? &fopts.max_bytes : &fopts.max_total)) {
      kq_cli_fail(log, KQ_EXIT_USAGE, "export: --fetch-max-%s %s: a size such as 16M",
                  k == 0 ? "bytes" : "total", text);
      goto out;
    }
  }
  if (lock_timeout < 0) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "export: --lock-timeout %d: a number of seconds, 0 or more",
                lock_timeout);
    goto out;
  }
  if (settings.columns != 0 && settings.columns != 1 && settings.columns != 2) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "export: --columns %d: 1 or 2", settings.columns);
    goto out;
  }
  if (settings.cover && !g_file_test(settings.cover, G_FILE_TEST_IS_REGULAR)) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "export: --cover %s: no such file", settings.cover);
    goto out;
  }
  /* Styles are configuration: a missing one is a usage error (2), found
   * before any work. The PDF theme is checked the same way. */
  for (gsize k = 0; k < 2; k++) {
    Formats f = k == 0 ? FMT_EPUB : FMT_PDF;
    const char *given = k == 0 ? settings.css : settings.theme;
    if (!(flags & f))
      continue;
    if (given) {
      if (!g_file_test(given, G_FILE_TEST_IS_REGULAR)) {
        kq_cli_fail(log, KQ_EXIT_USAGE, "export: --%s %s: no such file", k == 0 ? "css" : "theme",
                    given);
        goto out;
      }
      continue;
    }
    GError *err = NULL;
    char *found = kq_style_path(settings.style, k == 0 ? "css" : "theme", &err);
    if (!found) {
      kq_cli_fail(log, KQ_EXIT_USAGE, "export: %s", err->message);
      g_error_free(err);
      goto out;
    }
    g_free(found);
  }
  /* A theme is configuration too: a bad value is a usage error (2), found
   * before reading the archive. */
  if (flags & FMT_PDF) {
    GError *err = NULL;
    char *path = kq_theme_find(settings.style, settings.theme, &err);
    KqTheme *th = path ? kq_theme_load(path, &err) : NULL;
    g_free(path);
    if (!th) {
      kq_cli_fail(log, KQ_EXIT_USAGE, "export: %s", err ? err->message : "bad theme");
      g_clear_error(&err);
      goto out;
    }
    kq_theme_free(th);
  }
  if (!template_ok("title", settings.title, log) || !template_ok("output", settings.out, log))
    goto out;
  if (has_placeholder(settings.title)) {
    title_tmpl = settings.title; /* expanded once the edition is known */
  } else if (settings.title) {
    g_free(common.collect.title);
    common.collect.title = g_strdup(settings.title);
  }

  guint unreadable = 0;
  kq_cli_progress(&cron, "reading %d input path%s…", argc - 1, argc == 2 ? "" : "s");
  common.read.progress = kq_cli_progress_count; /* articles read */
  common.read.progress_data = &cron;
  ed = kq_cli_collect(&common, argv + 1, log, &unreadable);
  kq_cli_progress_end(&cron);
  if (ed->articles->len == 0) {
    /* "nothing to do" is not a failure: a plain note, nothing with -q */
    char *nothing = cron.state ? g_strdup_printf("export: nothing new for job '%s'; nothing "
                                                 "written", cron.only_new)
                               : g_strdup("export: no article matched; nothing written");
    status = kq_cli_final_status(&common, ed, unreadable, nothing, log);
    g_free(nothing);
    goto out;
  }

  KqWriteOptions wopts;
  kq_write_options_init(&wopts);
  if (settings.style)
    wopts.style = settings.style;
  wopts.css_file = settings.css;
  wopts.theme_file = settings.theme;
  wopts.cover_file = settings.cover;
  wopts.paper = settings.paper;
  wopts.columns = settings.columns;
  wopts.embed_fonts = embed_fonts;
  if (settings.creator && *g_strstrip(settings.creator))
    wopts.creator = settings.creator;
  wopts.no_clobber = settings.no_clobber;
  if (max_px)
    wopts.max_image_pixels = max_px;
  wopts.roots = (const char *const *)(argv + 1);
  /* remote images: decided once for the edition, for both writers */
  fopts.max_pixels = max_px ? max_px : KQ_DEFAULT_MAX_IMAGE_PIXELS;
  fetched = kq_fetch_edition_images(ed, settings.fetch_images ? &fopts : NULL, log);
  wopts.progress = kq_cli_progress_count; /* pages laid out, articles packaged */
  wopts.progress_data = &cron;
  if (cron.max_bytes > 0)
    wopts.max_image_edge = KQ_SIZE_LIMITED_IMAGE_EDGE; /* as cron.c would */
  /* one resolver for every write of the run: each refused image is
   * reported once, and EPUB and PDF carry the same pictures */
  images = kq_image_resolver_new(wopts.roots, wopts.max_image_pixels, wopts.max_image_edge, log);
  /* remote images come from the fetcher's cache; kq_fetch_edition_images()
   * has reported the ones left out (one line per file, or per failed URL) */
  if (fetched)
    kq_image_resolver_set_fetch(images, kq_fetcher_read, fetched);
  kq_image_resolver_set_remote_reported(images, TRUE);
  wopts.images = images;
  GError *terr = NULL;
  if (title_tmpl && !kq_cli_apply_title(&common, ed, title_tmpl, NULL, 0, &terr)) {
    status = kq_cli_fail(log, KQ_EXIT_USAGE, "--title: %s", terr->message);
    g_error_free(terr);
    goto out;
  }
  /* -o with {n}: volume numbers start at 1, also for a single file */
  gboolean numbered = settings.out && kq_template_uses(settings.out, "n");
  gboolean out_by_group = settings.out && kq_template_uses(settings.out, "group");
  VolumeNaming naming = {&common, ed, settings.out, NULL, NULL, NULL};
  if (to_stdout) {
    GError *derr = NULL;
    stdout_dir = g_dir_make_tmp("kiosque-stdout-XXXXXX", &derr);
    if (!stdout_dir) {
      status = kq_cli_fail(log, KQ_EXIT_FAILURE, "-o -: %s", derr->message);
      g_error_free(derr);
      goto out;
    }
    target.dir = g_strdup(stdout_dir);
  } else {
    out_path = kq_cli_expand_output(&common, ed, settings.out, NULL, numbered ? 1 : 0, NULL);
    target_init(&target, out_path);
  }
  if (out_path && g_str_has_suffix(out_path, "/") && g_mkdir_with_parents(out_path, 0777) != 0) {
    status = kq_cli_fail(log, KQ_EXIT_FAILURE, "%s: cannot create the folder: %s", out_path,
                         g_strerror(errno));
    goto out;
  }

  gboolean ok = TRUE;
  if (settings.split) {
    wopts.collection = title_tmpl ? ed->title
                       : common.collect.title ? common.collect.title
                                              : kq_l10n(ed->lang, "default_title");
    for (guint gi = 0; gi < ed->groups->len; gi++) {
      KqEdition *sub = kq_edition_new_for_group(ed, gi, &common.collect);
      const KqGroup *grp = g_ptr_array_index(ed->groups, gi);
      if (title_tmpl)
        kq_cli_apply_title(&common, sub, title_tmpl, grp->title, 0, NULL);
      wopts.collection_position = (int)gi + 1;
      const char *key = out_by_group ? NULL : sub->period_key;
      Target sub_target = {NULL, NULL};
      char *sub_out =
          kq_cli_expand_output(&common, sub, settings.out, grp->title, numbered ? 1 : 0, NULL);
      target_init(&sub_target, sub_out);
      VolumeNaming sub_naming = {&common, sub, settings.out, grp->title, key, NULL};
      ok &= write_edition(sub, &wopts, flags, &sub_target, key, lock_timeout, &cron,
                          &common.collect, numbered ? &sub_naming : NULL, NULL, folders, log);
      target_clear(&sub_target);
      g_free(sub_out);
      kq_edition_free(sub);
    }
  } else {
    ok = write_edition(ed, &wopts, flags, &target, NULL, lock_timeout, &cron, &common.collect,
                       numbered ? &naming : NULL, stdout_dir, folders, log);
  }
  status = ok ? kq_cli_final_status(&common, ed, unreadable, NULL, log) : KQ_EXIT_FAILURE;
  if (ok && cron.n_unchanged)
    KQ_INFO(log, NULL, 0, "export: %u output%s unchanged (--if-changed)", cron.n_unchanged,
            cron.n_unchanged == 1 ? "" : "s");
  if (ok && status != KQ_EXIT_FAILURE) {
    int s = kq_cli_cron_commit(&cron, ed, log); /* --only-new: only after success */
    if (s != KQ_EXIT_OK)
      status = s;
  }
  /* --library: the shelf of every folder written to, once the files are in place */
  for (guint i = 0; ok && library && i < folders->len; i++) {
    int s = kq_cli_refresh_library(g_ptr_array_index(folders, i), NULL, FALSE, log);
    if (s != KQ_EXIT_OK)
      status = KQ_EXIT_FAILURE;
  }
out:
  g_ptr_array_unref(folders);
  if (stdout_dir)
    g_rmdir(stdout_dir);
  g_free(stdout_dir);
  kq_edition_free(ed);
  kq_image_resolver_free(images);
  target_clear(&target);
  kq_cli_cron_clear(&cron);
  g_option_context_free(ctx);
  kq_cli_common_clear(&common);
  g_free(out_path);
  kq_cli_export_settings_clear(&settings);
  g_free(fetch_max_bytes);
  g_free(fetch_max_total);
  kq_fetcher_free(fetched);
  g_free(max_pixels);
  return status;
}
