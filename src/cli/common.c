/* common.c: options shared by the commands (filters, relative periods, grouping, caps, verbosity, configuration file, log format). */
#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kiosque/datadir.h"
#include "kiosque/period.h"
#include "kiosque/pool.h"

/* The shared options of the running command: kq_cli_parse() needs them to
 * load the configuration and fill in its paths. One command per process. */
static KqCliCommon *active_common;

static gboolean common_finish(KqCliCommon *c, KqLog *log);

int kq_cli_fail(KqLog *log, int status, const char *format, ...)
{
  va_list ap;
  va_start(ap, format);
  char *msg = g_strdup_vprintf(format, ap);
  va_end(ap);
  kq_log_message(log, KQ_LOG_ERROR, NULL, 0, "%s", msg);
  g_free(msg);
  return status;
}

/* ---- Log formats ------------------------------------------------------------ */

/* One JSON object per line on stderr:
 * {"program":"kiosque","level":"warning","path":"a.md","line":3,"message":"…"}
 * (path and line only when known; line a number). Strings are made valid
 * UTF-8 first (a byte that is not becomes the text \xNN), so every line is
 * valid JSON whatever a file name holds; json-glib escapes the controls. */
static void log_json(KqLogLevel level, const char *path, int line, const char *msg,
                     gpointer user_data)
{
  static const char *const names[] = {"error", "warning", "info", "debug"};
  JsonBuilder *b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "program");
  json_builder_add_string_value(b, "kiosque");
  json_builder_set_member_name(b, "level");
  json_builder_add_string_value(b, names[level <= KQ_LOG_DEBUG ? level : KQ_LOG_DEBUG]);
  if (path) {
    char *p = kq_log_escape(path, FALSE);
    json_builder_set_member_name(b, "path");
    json_builder_add_string_value(b, p);
    g_free(p);
    if (line > 0) {
      json_builder_set_member_name(b, "line");
      json_builder_add_int_value(b, line);
    }
  }
  char *m = kq_log_escape(msg, FALSE);
  json_builder_set_member_name(b, "message");
  json_builder_add_string_value(b, m);
  g_free(m);
  json_builder_end_object(b);
  JsonGenerator *gen = json_generator_new();
  JsonNode *root = json_builder_get_root(b);
  json_generator_set_root(gen, root);
  char *text = json_generator_to_data(gen, NULL);
  fprintf(stderr, "%s\n", text);
  g_free(text);
  json_node_unref(root);
  g_object_unref(gen);
  g_object_unref(b);
}

gboolean kq_cli_set_log_format(KqLog *log, const char *format)
{
  if (!format || strcmp(format, "text") == 0)
    log->func = kq_log_stderr;
  else if (strcmp(format, "json") == 0)
    log->func = log_json;
  else
    return FALSE;
  return TRUE;
}

/* "--log-format json" / "--log-format=json" before "--": switch early so
 * that option errors are JSON too. */
static void early_log_format(int argc, char **argv, KqLog *log)
{
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0)
      break;
    const char *v = NULL;
    if (strcmp(argv[i], "--log-format") == 0 && i + 1 < argc)
      v = argv[i + 1];
    else if (g_str_has_prefix(argv[i], "--log-format="))
      v = argv[i] + strlen("--log-format=");
    if (v)
      kq_cli_set_log_format(log, v); /* an unknown value is reported by _finish */
  }
}

/* ---- Parsing ------------------------------------------------------------------ */

static gboolean load_config(KqCliCommon *c, KqLog *log)
{
  if (c->config)
    return TRUE;
  if (c->no_config) {
    c->config = kq_config_new();
    return TRUE;
  }
  GError *err = NULL;
  char *file = c->config_file ? kq_config_expand_home(c->config_file) : NULL;
  c->config = kq_config_load(file, &err);
  g_free(file);
  if (!c->config) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "%s", err->message);
    g_error_free(err);
    return FALSE;
  }
  return TRUE;
}

gboolean kq_cli_parse(GOptionContext *ctx, int *argc, char ***argv, KqLog *log)
{
  GError *err = NULL;
  early_log_format(*argc, *argv, log);
  /* --help shows every group (filters, unattended runs...), not only the
   * main one: a job's options must be found where users look first. */
  for (int i = 1; i < *argc; i++) {
    if (strcmp((*argv)[i], "--") == 0)
      break;
    if (strcmp((*argv)[i], "--help") == 0 || strcmp((*argv)[i], "-h") == 0) {
      char *help = g_option_context_get_help(ctx, FALSE, NULL);
      fputs(help, stdout);
      g_free(help);
      exit(KQ_EXIT_OK); /* as GLib's own --help-all does */
    }
  }
  if (!g_option_context_parse(ctx, argc, argv, &err)) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "%s", err->message);
    g_error_free(err);
    return FALSE;
  }
  gboolean bad_threads = FALSE;
  guint threads = kq_pool_threads(&bad_threads);
  if (bad_threads)
    KQ_WARN(log, NULL, 0, "KIOSQUE_THREADS=%s is not a number from 1 to 64: using %u threads",
            g_getenv("KIOSQUE_THREADS"), threads);
  KqCliCommon *c = active_common;
  if (!c)
    return TRUE;
  if (c->config_file && c->no_config) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "--config and --no-config exclude each other");
    return FALSE;
  }
  if (!load_config(c, log))
    return FALSE;
  const char *const *paths = kq_config_get_list(c->config, "paths");
  if (*argc < 2 && paths && paths[0]) {
    GPtrArray *v = g_ptr_array_new();
    g_ptr_array_add(v, g_strdup(*argc > 0 ? (*argv)[0] : "kiosque"));
    for (const char *const *p = paths; *p; p++)
      g_ptr_array_add(v, g_strdup(*p));
    g_ptr_array_add(v, NULL);
    g_strfreev(c->config_argv);
    c->config_argv = (char **)g_ptr_array_free(v, FALSE);
    *argv = c->config_argv;
    *argc = (int)g_strv_length(c->config_argv);
  }
  return common_finish(c, log);
}

void kq_cli_entries_clear(const GOptionEntry *entries)
{
  for (const GOptionEntry *e = entries; e->long_name; e++)
    switch (e->arg) {
    case G_OPTION_ARG_STRING:
    case G_OPTION_ARG_FILENAME:
      g_clear_pointer((char **)e->arg_data, g_free);
      break;
    case G_OPTION_ARG_STRING_ARRAY:
    case G_OPTION_ARG_FILENAME_ARRAY:
      g_clear_pointer((char ***)e->arg_data, g_strfreev);
      break;
    default:
      break;
    }
}

/* The shared options, pointing into c: one table adds them and says what
 * kq_cli_common_clear() frees. A new NULL-terminated array: g_free() it. */
static GOptionEntry *common_entries(KqCliCommon *c)
{
  const GOptionEntry entries[] = {
      {"since", 0, 0, G_OPTION_ARG_STRING, &c->since,
       "Articles published on or after DAY (YYYY-MM-DD, today, yesterday, -30d, -2w, -1m, -1y)",
       "DAY"},
      {"until", 0, 0, G_OPTION_ARG_STRING, &c->until,
       "Articles published on or before DAY (same forms as --since)", "DAY"},
      {"month", 0, 0, G_OPTION_ARG_STRING, &c->month,
       "Articles of one month: YYYY-MM, this or last", "MONTH"},
      {"week", 0, 0, G_OPTION_ARG_STRING, &c->week,
       "Articles of one ISO week: YYYY-Www, this or last", "WEEK"},
      {"topic", 0, 0, G_OPTION_ARG_STRING_ARRAY, &c->topics,
       "Articles with this topic (repeatable: any matches)", "TOPIC"},
      {"site", 0, 0, G_OPTION_ARG_STRING_ARRAY, &c->sites, "Articles from this site (repeatable)",
       "SITE"},
      {"author", 0, 0, G_OPTION_ARG_STRING_ARRAY, &c->authors,
       "Articles by this author (repeatable)", "NAME"},
      {"lang", 0, 0, G_OPTION_ARG_STRING_ARRAY, &c->langs,
       "Articles in this language (repeatable; 'fr' matches fr-CA)", "LANG"},
      {"reverse", 0, 0, G_OPTION_ARG_NONE, &c->reverse, "Newest first", NULL},
      {"group-by", 'g', 0, G_OPTION_ARG_STRING, &c->group_by,
       "Group by day, week, month (default), year, topic or site", "KEY"},
      {"edition-lang", 0, 0, G_OPTION_ARG_STRING, &c->edition_lang,
       "Language of the edition's own texts (default: most articles')", "LANG"},
      {"max-input", 0, 0, G_OPTION_ARG_STRING, &c->max_input,
       "Skip input files larger than SIZE (default 16M)", "SIZE"},
      {"max-article", 0, 0, G_OPTION_ARG_STRING, &c->max_article,
       "Drop what an article holds past SIZE of text (default 4M)", "SIZE"},
      {"max-depth", 0, 0, G_OPTION_ARG_INT, &c->max_depth,
       "Drop content nested deeper than N levels (default 256)", "N"},
      {"strict", 0, 0, G_OPTION_ARG_NONE, &c->strict, "Exit 4 when some input cannot be read",
       NULL},
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &c->quiet, "Print errors only", NULL},
      {"verbose", 'v', 0, G_OPTION_ARG_NONE, &c->verbose, "Also print what is skipped and why",
       NULL},
      {"debug", 0, 0, G_OPTION_ARG_NONE, &c->debug,
       "Also print internal figures (pages, layouts, timings)", NULL},
      {"log-format", 0, 0, G_OPTION_ARG_STRING, &c->log_format,
       "Messages on stderr as text (default) or json (one object per line)", "FORMAT"},
      {"config", 0, 0, G_OPTION_ARG_FILENAME, &c->config_file,
       "Configuration file (default $XDG_CONFIG_HOME/kiosque/kiosque.conf)", "FILE"},
      {"no-config", 0, 0, G_OPTION_ARG_NONE, &c->no_config, "Read no configuration file", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL},
  };
  return g_memdup2(entries, sizeof entries);
}

void kq_cli_common_add(GOptionContext *ctx, KqCliCommon *c)
{
  memset(c, 0, sizeof *c);
  kq_collect_options_init(&c->collect);
  kq_read_options_init(&c->read);
  active_common = c;
  GOptionEntry *entries = common_entries(c);
  GOptionGroup *group = g_option_group_new("filters", "Selection, grouping and messages:",
                                           "Show selection and grouping options", NULL, NULL);
  g_option_group_add_entries(group, entries); /* copies them */
  g_option_context_add_group(ctx, group);
  g_free(entries);
}

/* ---- Finishing ------------------------------------------------------------------ */

gboolean kq_cli_config_set(KqCliCommon *c, const char *key, const char *value, KqLog *log)
{
  if (!value)
    return TRUE;
  if (!c->config)
    c->config = kq_config_new();
  GError *err = NULL;
  if (!kq_config_set(c->config, key, value, KQ_CONFIG_SOURCE_COMMAND_LINE, &err)) {
    /* the message starts with the setting's name: say the option's */
    const char *msg = err->message;
    if (g_str_has_prefix(msg, key) && msg[strlen(key)] == ':')
      msg += strlen(key);
    else
      msg = NULL;
    if (msg)
      kq_cli_fail(log, KQ_EXIT_USAGE, "--%s%s", strcmp(key, "formats") == 0 ? "format" : key, msg);
    else
      kq_cli_fail(log, KQ_EXIT_USAGE, "--%s", err->message);
    g_error_free(err);
    return FALSE;
  }
  return TRUE;
}

gboolean kq_cli_config_merge(KqCliCommon *c, const char *key, char **value, KqLog *log)
{
  if (!kq_cli_config_set(c, key, *value, log))
    return FALSE;
  g_free(*value);
  *value = g_strdup(kq_config_get(c->config, key));
  return TRUE;
}

gboolean kq_cli_config_merge_bool(KqCliCommon *c, const char *key, gboolean *value, KqLog *log)
{
  if (!kq_cli_config_set(c, key, *value ? "true" : NULL, log))
    return FALSE;
  *value = kq_config_get_bool(c->config, key);
  return TRUE;
}

static void add_all(GPtrArray *to, char **values)
{
  for (char **v = values; v && *v; v++)
    g_ptr_array_add(to, g_strdup(*v));
}

static KqDate later(const KqDate *a, const KqDate *b)
{
  if (!a->set)
    return *b;
  return kq_date_compare(a, b) >= 0 ? *a : *b;
}

static KqDate earlier(const KqDate *a, const KqDate *b)
{
  if (!a->set)
    return *b;
  return kq_date_compare(a, b) <= 0 ? *a : *b;
}

static gboolean period_fail(KqLog *log, const char *option, GError *err)
{
  kq_cli_fail(log, KQ_EXIT_USAGE, "%s: %s", option, err->message);
  g_error_free(err);
  return FALSE;
}

/* --since, --until, --month, --week against today; fills the collect
 * options and period_end. */
static gboolean finish_dates(KqCliCommon *c, KqLog *log)
{
  KqCollectOptions *o = &c->collect;
  GError *err = NULL;
  if (!kq_period_today(g_getenv("KQ_TODAY"), &c->today, &err))
    return period_fail(log, "environment", err);
  if (c->since && !kq_period_parse_day(c->since, &c->today, &o->since, &err))
    return period_fail(log, "--since", err);
  if (c->until && !kq_period_parse_day(c->until, &c->today, &o->until, &err))
    return period_fail(log, "--until", err);
  KqDate end = o->until;
  if (c->month) {
    int y, m;
    KqDate first, last;
    if (!kq_period_parse_month(c->month, &c->today, &y, &m, &err))
      return period_fail(log, "--month", err);
    o->month_year = y;
    o->month = m;
    kq_period_month_bounds(y, m, &first, &last);
    end = earlier(&end, &last);
  }
  if (c->week) {
    KqDate first, last;
    if (!kq_period_parse_week(c->week, &c->today, &first, &last, NULL, NULL, &err))
      return period_fail(log, "--week", err);
    /* a week is a since/until pair, intersected with any given */
    o->since = later(&o->since, &first);
    o->until = earlier(&o->until, &last);
    end = earlier(&end, &last);
  }
  if (!end.set && o->since.set)
    end = c->today;
  c->period_end = end;
  if (o->since.set && o->until.set && kq_date_compare(&o->since, &o->until) > 0)
    KQ_WARN(log, NULL, 0, "the date filters leave no day (since %04d-%02d-%02d, until "
            "%04d-%02d-%02d)", o->since.year, o->since.month, o->since.day, o->until.year,
            o->until.month, o->until.day);
  return TRUE;
}

gboolean kq_cli_need_paths(int argc, const char *command, KqLog *log)
{
  if (argc >= 2)
    return TRUE;
  kq_cli_fail(log, KQ_EXIT_USAGE, "%s: no PATH given (try 'kiosque %s --help')", command,
              command);
  return FALSE;
}

/* Turns the parsed strings into collect/read options; FALSE (usage error,
 * message printed) when a value is invalid. Sets the log's verbosity. */
static gboolean common_finish(KqCliCommon *c, KqLog *log)
{
  KqCollectOptions *o = &c->collect;
  /* the command line over the file over the defaults */
  if (!kq_cli_config_set(c, "group-by", c->group_by, log) ||
      !kq_cli_config_set(c, "edition-lang", c->edition_lang, log) ||
      !kq_cli_config_set(c, "max-input", c->max_input, log) ||
      !kq_cli_config_set(c, "log-format", c->log_format, log) ||
      !kq_cli_config_set(c, "reverse", c->reverse ? "true" : NULL, log) ||
      !kq_cli_config_set(c, "strict", c->strict ? "true" : NULL, log) ||
      !kq_cli_config_set(c, "quiet", c->quiet ? "true" : NULL, log))
    return FALSE;
  kq_cli_set_log_format(log, kq_config_get(c->config, "log-format"));
  c->quiet = kq_config_get_bool(c->config, "quiet");
  c->strict = kq_config_get_bool(c->config, "strict");
  c->reverse = kq_config_get_bool(c->config, "reverse");
  if (c->debug)
    log->level = KQ_LOG_DEBUG;
  else if (c->verbose)
    log->level = KQ_LOG_INFO; /* -v wins over a configured quiet */
  else if (c->quiet)
    log->level = KQ_LOG_ERROR;
  if (!finish_dates(c, log))
    return FALSE;
  kq_group_by_parse(kq_config_get(c->config, "group-by"), &o->group_by); /* checked by config */
  guint64 max_input = 0;
  if (kq_config_parse_size(kq_config_get(c->config, "max-input"), &max_input))
    c->read.max_input = (gsize)MIN(max_input, (guint64)G_MAXSIZE);
  if (c->max_article) {
    guint64 n = 0;
    if (!kq_config_parse_size(c->max_article, &n) || n == 0) {
      kq_cli_fail(log, KQ_EXIT_USAGE,
                  "--max-article: '%s' is not a size with a unit (e.g. 4M, 900K)", c->max_article);
      return FALSE;
    }
    c->read.max_article = (gsize)MIN(n, (guint64)G_MAXSIZE);
  }
  if (c->max_depth < 0 || c->max_depth > 100000) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "--max-depth: %d is not between 1 and 100000", c->max_depth);
    return FALSE;
  }
  if (c->max_depth > 0)
    c->read.max_depth = c->max_depth;
  add_all(o->topics, c->topics);
  add_all(o->sites, c->sites);
  add_all(o->authors, c->authors);
  add_all(o->langs, c->langs);
  o->reverse = c->reverse;
  const char *lang = kq_config_get(c->config, "edition-lang");
  if (lang)
    o->edition_lang = g_strdup(lang);
  return TRUE;
}

void kq_cli_common_clear(KqCliCommon *c)
{
  if (active_common == c)
    active_common = NULL;
  kq_collect_options_clear(&c->collect);
  GOptionEntry *entries = common_entries(c);
  kq_cli_entries_clear(entries);
  g_free(entries);
  kq_config_free(c->config);
  c->config = NULL;
  g_strfreev(c->config_argv);
  c->config_argv = NULL;
  g_clear_pointer(&c->unreadable, g_ptr_array_unref);
  c->unreadable = NULL;
}

/* A PATH operand must exist and be readable (a folder: listable): a typo
 * in a crontab must not pass for a quiet month. */
static gboolean operand_ok(const char *path, KqLog *log)
{
  GStatBuf st;
  int e = 0;
  if (g_stat(path, &st) != 0)
    e = errno;
  else if (g_access(path, S_ISDIR(st.st_mode) ? R_OK | X_OK : R_OK) != 0)
    e = errno;
  if (!e)
    return TRUE;
  kq_cli_fail(log, KQ_EXIT_UNREADABLE, "%s: %s", path, g_strerror(e));
  return FALSE;
}

char **kq_cli_check_operands(KqCliCommon *c, char **paths, KqLog *log)
{
  GPtrArray *good = g_ptr_array_new();
  if (!c->unreadable)
    c->unreadable = g_ptr_array_new_with_free_func(g_free);
  for (char **p = paths; p && *p; p++) {
    if (operand_ok(*p, log)) {
      g_ptr_array_add(good, *p);
    } else {
      c->n_missing++;
      g_ptr_array_add(c->unreadable, g_strdup(*p));
    }
  }
  g_ptr_array_add(good, NULL);
  return (char **)g_ptr_array_free(good, FALSE);
}

KqEdition *kq_cli_collect(KqCliCommon *c, char **paths, KqLog *log, guint *n_unreadable)
{
  char **good = kq_cli_check_operands(c, paths, log);
  KqScan *scan = kq_scan_paths((const char *const *)good, &c->read, log);
  g_free(good);
  *n_unreadable = scan->n_unreadable + c->n_missing;
  for (guint i = 0; i < scan->unreadable->len; i++)
    g_ptr_array_add(c->unreadable, g_strdup(g_ptr_array_index(scan->unreadable, i)));
  GPtrArray *articles = scan->articles;
  scan->articles = NULL;
  kq_scan_free(scan);
  kq_collect_dedupe(articles, log);
  if (c->seen) {
    guint before = articles->len;
    for (guint i = articles->len; i-- > 0;) {
      const KqArticle *a = g_ptr_array_index(articles, i);
      if (kq_job_state_has(c->seen, a->id))
        g_ptr_array_remove_index(articles, i); /* keeps the order of the rest */
    }
    KQ_INFO(log, NULL, 0, "--only-new: %u article%s exported before, left out",
            before - articles->len, before - articles->len == 1 ? "" : "s");
  }
  guint read = articles->len;
  KqEdition *ed = kq_edition_new_take(articles, &c->collect);
  if (ed->articles->len < read)
    KQ_INFO(log, NULL, 0, "%u article%s outside the filters, left out", read - ed->articles->len,
            read - ed->articles->len == 1 ? "" : "s");
  return ed;
}

void kq_cli_note(const KqCliCommon *c, KqLog *log, const char *format, ...)
{
  if (c->quiet && !c->verbose)
    return;
  va_list ap;
  va_start(ap, format);
  char *msg = g_strdup_vprintf(format, ap);
  va_end(ap);
  if (g_strcmp0(kq_config_get(c->config, "log-format"), "json") == 0)
    log->func(KQ_LOG_INFO, NULL, 0, msg, log->user_data);
  else
    fprintf(stderr, "kiosque: %s\n", msg);
  g_free(msg);
}

int kq_cli_final_status(const KqCliCommon *c, const KqEdition *ed, guint n_unreadable,
                        const char *nothing, KqLog *log)
{
  int status = KQ_EXIT_OK;
  if (c->strict && n_unreadable > c->n_missing) {
    /* named even with -q: the job's owner must learn what failed */
    GString *names = g_string_new(NULL);
    guint shown = 0, n = c->unreadable ? c->unreadable->len : 0;
    for (guint i = 0; i < n && shown < 5; i++, shown++)
      g_string_append_printf(names, "%s%s", i ? ", " : "",
                             (const char *)g_ptr_array_index(c->unreadable, i));
    if (n > shown)
      g_string_append_printf(names, " and %u more", n - shown);
    kq_cli_fail(log, KQ_EXIT_UNREADABLE, "--strict: %u input%s could not be read: %s",
                n_unreadable, n_unreadable == 1 ? "" : "s", names->str);
    g_string_free(names, TRUE);
    status = KQ_EXIT_UNREADABLE;
  } else if (c->n_missing > 0) {
    status = KQ_EXIT_UNREADABLE; /* each one already reported as an error */
  }
  if (!ed || ed->articles->len == 0) {
    if (nothing)
      kq_cli_note(c, log, "%s", nothing);
    if (status == KQ_EXIT_OK)
      status = KQ_EXIT_NO_MATCH;
  }
  return status;
}

/* ---- Templates ------------------------------------------------------------------ */

KqTemplateVars kq_cli_template_vars(const KqCliCommon *c, const KqEdition *ed,
                                    const char *title_base, const char *group, int n)
{
  KqTemplateVars v;
  memset(&v, 0, sizeof v);
  v.title = title_base ? title_base : ed->title;
  v.period = ed->period;
  v.group = group;
  v.lang = ed->lang;
  v.n = n;
  if (!group && c->period_end.set)
    v.date = c->period_end;
  else if (!group && c->seen)
    v.date = c->today; /* --only-new: each run is named after its own day */
  else if (ed->newest.set)
    v.date = ed->newest;
  else
    v.date = c->today;
  return v;
}

gboolean kq_cli_apply_title(const KqCliCommon *c, KqEdition *ed, const char *tmpl,
                            const char *group, int n, GError **error)
{
  const char *base = kq_l10n(ed->lang, "default_title");
  KqTemplateVars v = kq_cli_template_vars(c, ed, base, group, n);
  char *title = kq_template_expand(tmpl, &v, KQ_TEMPLATE_TEXT, error);
  if (!title)
    return FALSE;
  /* the file name keeps the template's own words, as for a plain title */
  KqTemplateVars none;
  memset(&none, 0, sizeof none);
  char *words = kq_template_expand(tmpl, &none, KQ_TEMPLATE_TEXT, NULL);
  kq_edition_set_title(ed, title); /* and the furniture made of it */
  kq_edition_set_file_stem(ed, words);
  g_free(title);
  g_free(words);
  return TRUE;
}

char *kq_cli_expand_output(const KqCliCommon *c, const KqEdition *ed, const char *out,
                           const char *group, int n, GError **error)
{
  if (!out || (!strchr(out, '{') && !strstr(out, "}}")))
    return g_strdup(out);
  KqTemplateVars v = kq_cli_template_vars(c, ed, NULL, group, n);
  return kq_template_expand(out, &v, KQ_TEMPLATE_FILE_NAME, error);
}
