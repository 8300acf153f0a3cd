/* common.c: options shared by the commands (filters, grouping, caps, verbosity). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

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

gboolean kq_cli_parse(GOptionContext *ctx, int *argc, char ***argv, KqLog *log)
{
  GError *err = NULL;
  if (!g_option_context_parse(ctx, argc, argv, &err)) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "%s", err->message);
    g_error_free(err);
    return FALSE;
  }
  return TRUE;
}

void kq_cli_common_add(GOptionContext *ctx, KqCliCommon *c)
{
  memset(c, 0, sizeof *c);
  kq_collect_options_init(&c->collect);
  kq_read_options_init(&c->read);
  GOptionEntry entries[] = {
      {"since", 0, 0, G_OPTION_ARG_STRING, &c->since, "Articles published on or after DATE",
       "YYYY-MM-DD"},
      {"until", 0, 0, G_OPTION_ARG_STRING, &c->until, "Articles published on or before DATE",
       "YYYY-MM-DD"},
      {"month", 0, 0, G_OPTION_ARG_STRING, &c->month, "Articles of one month", "YYYY-MM"},
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
      {"strict", 0, 0, G_OPTION_ARG_NONE, &c->strict, "Exit 4 when some input cannot be read",
       NULL},
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &c->quiet, "Print errors only", NULL},
      {"verbose", 'v', 0, G_OPTION_ARG_NONE, &c->verbose, "Also print what is skipped and why",
       NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL},
  };
  GOptionGroup *group = g_option_group_new("filters", "Selection and grouping:",
                                           "Show selection and grouping options", NULL, NULL);
  g_option_group_add_entries(group, entries);
  g_option_context_add_group(ctx, group);
}

static gboolean parse_day(const char *text, KqDate *out)
{
  int y, m, d;
  char tail;
  if (sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || strlen(text) != 10)
    return FALSE;
  return kq_date_make(out, y, m, d, FALSE, 0, 0, 0, 0);
}

/* "16M", "512k", "2G", "1000": bytes. */
static gboolean parse_size(const char *text, gsize *out)
{
  char *end = NULL;
  guint64 n = g_ascii_strtoull(text, &end, 10);
  if (end == text)
    return FALSE;
  guint64 mult = 1;
  switch (g_ascii_toupper(*end)) {
  case 'K': mult = 1024; end++; break;
  case 'M': mult = 1024 * 1024; end++; break;
  case 'G': mult = 1024 * 1024 * 1024; end++; break;
  case '\0': break;
  default: return FALSE;
  }
  if (g_ascii_toupper(*end) == 'B')
    end++;
  if (*end || n == 0 || n > G_MAXSIZE / mult)
    return FALSE;
  *out = (gsize)(n * mult);
  return TRUE;
}

static void add_all(GPtrArray *to, char **values)
{
  for (char **v = values; v && *v; v++)
    g_ptr_array_add(to, g_strdup(*v));
}

gboolean kq_cli_common_finish(KqCliCommon *c, KqLog *log)
{
  KqCollectOptions *o = &c->collect;
  if (c->quiet)
    log->level = KQ_LOG_ERROR;
  else if (c->verbose)
    log->level = KQ_LOG_INFO;
  if (c->since && !parse_day(c->since, &o->since)) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "--since: '%s' is not a date (YYYY-MM-DD)", c->since);
    return FALSE;
  }
  if (c->until && !parse_day(c->until, &o->until)) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "--until: '%s' is not a date (YYYY-MM-DD)", c->until);
    return FALSE;
  }
  if (c->month) {
    int y, m;
    char tail;
    if (sscanf(c->month, "%4d-%2d%c", &y, &m, &tail) != 2 || strlen(c->month) != 7 || m < 1 ||
        m > 12 || y < 1) {
      kq_cli_fail(log, KQ_EXIT_USAGE, "--month: '%s' is not a month (YYYY-MM)", c->month);
      return FALSE;
    }
    o->month_year = y;
    o->month = m;
  }
  if (c->group_by && !kq_group_by_parse(c->group_by, &o->group_by)) {
    kq_cli_fail(log, KQ_EXIT_USAGE,
                "--group-by: '%s' is not one of day, week, month, year, topic, site",
                c->group_by);
    return FALSE;
  }
  if (c->max_input && !parse_size(c->max_input, &c->read.max_input)) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "--max-input: '%s' is not a size (e.g. 16M)", c->max_input);
    return FALSE;
  }
  add_all(o->topics, c->topics);
  add_all(o->sites, c->sites);
  add_all(o->authors, c->authors);
  add_all(o->langs, c->langs);
  o->reverse = c->reverse;
  if (c->edition_lang)
    o->edition_lang = g_strdup(c->edition_lang);
  return TRUE;
}

void kq_cli_common_clear(KqCliCommon *c)
{
  kq_collect_options_clear(&c->collect);
  g_free(c->since);
  g_free(c->until);
  g_free(c->month);
  g_free(c->group_by);
  g_free(c->edition_lang);
  g_free(c->max_input);
  g_strfreev(c->topics);
  g_strfreev(c->sites);
  g_strfreev(c->authors);
  g_strfreev(c->langs);
}

KqEdition *kq_cli_collect(KqCliCommon *c, char **paths, KqLog *log, guint *n_unreadable)
{
  KqScan *scan = kq_scan_paths((const char *const *)paths, &c->read, log);
  *n_unreadable = scan->n_unreadable;
  GPtrArray *articles = scan->articles;
  scan->articles = NULL;
  kq_scan_free(scan);
  kq_collect_dedupe(articles, log);
  return kq_edition_new_take(articles, &c->collect);
}

int kq_cli_final_status(const KqCliCommon *c, const KqEdition *ed, guint n_unreadable)
{
  if (c->strict && n_unreadable > 0)
    return KQ_EXIT_UNREADABLE;
  if (!ed || ed->articles->len == 0)
    return KQ_EXIT_NO_MATCH;
  return KQ_EXIT_OK;
}
