/* cli.h: private header of the command-line front end (commands and shared options). */
#ifndef KQ_CLI_H
#define KQ_CLI_H

#include <glib.h>

#include "kiosque/collect.h"
#include "kiosque/config.h"
#include "kiosque/log.h"
#include "kiosque/state.h"
#include "kiosque/template.h"
#include "kiosque/writer.h"

/* Exit statuses (design.md, Command line). */
enum {
  KQ_EXIT_OK = 0,
  KQ_EXIT_FAILURE = 1,
  KQ_EXIT_USAGE = 2,
  KQ_EXIT_NO_MATCH = 3,
  KQ_EXIT_UNREADABLE = 4,
};

/* Each command gets argv without the program name ("list", args...) and
 * the shared log sink; returns the exit status. */
int kq_cmd_list(int argc, char **argv, KqLog *log);
int kq_cmd_check(int argc, char **argv, KqLog *log);
int kq_cmd_export(int argc, char **argv, KqLog *log);
int kq_cmd_typo(int argc, char **argv, KqLog *log);
int kq_cmd_config(int argc, char **argv, KqLog *log);
int kq_cmd_library(int argc, char **argv, KqLog *log);

/* Refreshes the library (catalog.xml, index.html, covers) of dir; prints
 * the files written when print. Returns 0, or the status of the error it
 * printed (4: dir cannot be listed, 1: a file cannot be written). */
int kq_cli_refresh_library(const char *dir, const char *title, gboolean print, KqLog *log);

/* Options shared by list, export and check. Owned by the struct; see
 * kq_cli_common_*(). The configuration file is loaded by kq_cli_parse()
 * (--config FILE, else the default location; --no-config skips it); the
 * command line overrides it, and kq_cli_parse() then merges both into
 * `config`, the effective settings export and `config --show` read. */
typedef struct {
  KqCollectOptions collect;
  KqReadOptions read;
  char *since, *until, *month, *week, *group_by, *edition_lang, *max_input;
  char *max_article; /* --max-article SIZE */
  int max_depth;     /* --max-depth N, 0: default */
  char *config_file, *log_format;
  char **topics, **sites, **authors, **langs;
  gboolean reverse, strict, quiet, verbose, debug, no_config;
  GPtrArray *unreadable; /* char*, owned: inputs that gave nothing (kq_cli_collect) */
  guint n_missing;       /* PATH operands that do not exist or cannot be read */
  KqConfig *config;    /* effective settings; NULL until kq_cli_parse() */
  KqDate today;        /* $KQ_TODAY, else the local date (set by kq_cli_parse) */
  KqDate period_end;   /* last day of the date filters (--until, --month,
                        * --week; today for --since alone); unset without them */
  char **config_argv;  /* argv rebuilt with the configured paths, owned */
  const KqJobState *seen; /* --only-new: articles to leave out (borrowed), or NULL */
} KqCliCommon;

/* Adds the shared options to a new GOptionGroup owned by the context. */
void kq_cli_common_add(GOptionContext *ctx, KqCliCommon *common);
void kq_cli_common_clear(KqCliCommon *common);

/* Scans paths, drops duplicates (and, with common->seen, the articles a
 * --only-new job exported before) and builds the edition the options ask
 * for. A PATH operand that does not exist or cannot be read is an error
 * (printed, counted in common->n_missing) and the others are still read;
 * *n_unreadable counts every input that gave nothing, operands included,
 * and common->unreadable names them. Caller frees. */
KqEdition *kq_cli_collect(KqCliCommon *common, char **paths, KqLog *log, guint *n_unreadable);
/* The PATH operands that exist and can be read (a new NULL-terminated
 * array of the borrowed strings: free it with g_free); each other one is
 * reported as an error, counted in n_missing and named in unreadable. */
char **kq_cli_check_operands(KqCliCommon *common, char **paths, KqLog *log);
/*
 * The status list/export end with once their output is done, with what
 * it needs said: 4 when a PATH operand was missing or, with --strict,
 * when inputs were unreadable (an error naming them, printed even with
 * -q); else 3 when ed is NULL or empty, with the plain note `nothing`
 * (e.g. "export: no article matched; nothing written") unless -q; else 0.
 */
int kq_cli_final_status(const KqCliCommon *common, const KqEdition *edition,
                        guint n_unreadable, const char *nothing, KqLog *log);

/* A plain note on stderr ("kiosque: MESSAGE", no level word) for what is
 * not a problem; nothing with -q. With --log-format json, an "info" line. */
void kq_cli_note(const KqCliCommon *common, KqLog *log, const char *format, ...)
    G_GNUC_PRINTF(3, 4);

/* Frees what the options of entries (NULL-terminated) own: the strings and
 * string arrays their variables hold, each set back to NULL. */
void kq_cli_entries_clear(const GOptionEntry *entries);

/* Prints "kiosque: error: ..." (through the log) and returns status. */
int kq_cli_fail(KqLog *log, int status, const char *format, ...) G_GNUC_PRINTF(3, 4);

/* Parses argv with ctx; on error prints it and returns FALSE. When ctx
 * carries the shared options (kq_cli_common_add), also loads the
 * configuration (an invalid file is a usage error: FALSE, status 2),
 * when no PATH is left in argv, replaces *argv by one holding the
 * configured `paths` (owned by the KqCliCommon), and turns the shared
 * options into collect/read options and the log's verbosity (an invalid
 * value is a usage error, message printed). A `--log-format json`
 * anywhere in argv switches log to JSON lines before parsing, so that
 * option errors come out as JSON too. */
gboolean kq_cli_parse(GOptionContext *ctx, int *argc, char ***argv, KqLog *log);

/* TRUE when argv (argc entries, the command's name first) holds a PATH;
 * else a usage error naming command, and FALSE. */
gboolean kq_cli_need_paths(int argc, const char *command, KqLog *log);

/* Sets a command-line value into common->config (source: command line);
 * value NULL does nothing. FALSE (usage error printed, "--KEY: ...") when
 * the value is bad. For export's own options. */
gboolean kq_cli_config_set(KqCliCommon *common, const char *key, const char *value,
                           KqLog *log);

/*
 * Template variables for an edition (template.h): {title} = title_base
 * (NULL: ed->title), {period} = ed->period, {group} = group (NULL: none),
 * {n} = n, the language = ed->lang, and the date = the end of the date
 * filters (period_end) for a whole edition, else today with --only-new,
 * else the newest article of ed (also for a --split volume, group !=
 * NULL), else today.
 */
KqTemplateVars kq_cli_template_vars(const KqCliCommon *common, const KqEdition *ed,
                                    const char *title_base, const char *group, int n);

/*
 * Applies a title template to an edition built without a user title:
 * ed->title becomes the expansion ({title} = the localized default title)
 * and ed->file_stem the slug of the template's own words plus the
 * period key, as for a plain --title. FALSE with error on a bad template.
 */
gboolean kq_cli_apply_title(const KqCliCommon *common, KqEdition *ed, const char *tmpl,
                            const char *group, int n, GError **error);

/* For export's own options: the command-line value *value (may be NULL)
 * goes into common->config, then *value is replaced by the effective value
 * (command line, else configuration file, else default; NULL when unset).
 * FALSE (usage error printed) when the value is bad. */
gboolean kq_cli_config_merge(KqCliCommon *common, const char *key, char **value, KqLog *log);
/* The same for a flag: TRUE on the command line wins, else the setting. */
gboolean kq_cli_config_merge_bool(KqCliCommon *common, const char *key, gboolean *value,
                                  KqLog *log);

/* Export's settings that kiosque.conf may hold too (config.c's keys),
 * defined once (cmd_export.c): export parses them, and `config` parses the
 * same so that --show shows their effect. Strings owned by the struct.
 * --max-size, also a setting, belongs to the unattended options (cron). */
typedef struct {
  char *format, *out, *title, *style, *css, *theme, *cover, *creator, *paper;
  int columns; /* 0: unset */
  gboolean split, fetch_images, no_clobber;
} KqCliExportSettings;

/* Adds the options to ctx's main group; zeroes s. */
void kq_cli_export_settings_add(GOptionContext *ctx, KqCliExportSettings *s);
/* After kq_cli_parse(): the command-line values go into
 * common->config, then every member holds the effective value (command
 * line, else configuration file, else default; NULL, 0 or FALSE when
 * unset). FALSE (usage error printed) when a value is bad. */
gboolean kq_cli_export_settings_merge(KqCliExportSettings *s, KqCliCommon *common, KqLog *log);
void kq_cli_export_settings_clear(KqCliExportSettings *s);

/* Expands a -o template (file-name mode: text values made slugs) for an
 * edition; a copy when out has no placeholder; NULL with error. */
char *kq_cli_expand_output(const KqCliCommon *common, const KqEdition *ed, const char *out,
                           const char *group, int n, GError **error);

/* ---- Unattended runs (cron.c): export's --only-new, --if-changed,
 * --max-size and progress line. */
typedef struct {
  char *only_new;          /* --only-new JOB */
  gboolean if_changed;     /* --if-changed */
  char *max_size;          /* --max-size SIZE (or the max-size setting) */
  gboolean progress, no_progress;
  guint64 max_bytes;       /* parsed max_size; 0: no limit */
  KqJobState *state;       /* the job's state, locked, while exporting */
  gboolean show_progress;  /* stderr is a terminal (or --progress), not -q, not JSON */
  gboolean progress_shown; /* a progress line is on screen */
  guint n_unchanged;       /* outputs --if-changed left alone */
  /* while a progress line may show, messages go through the cron so that
   * the line is erased before one is printed: the sink it replaced */
  KqLog *log;
  KqLogFunc inner_func;
  gpointer inner_data;
} KqCliCron;

/* Adds the options (group "unattended") to ctx; zeroes cron. */
void kq_cli_cron_add(GOptionContext *ctx, KqCliCron *cron);
/* After kq_cli_parse(): checks the values, opens (and locks) the
 * --only-new state and sets common->seen. Returns 0, or the exit status
 * of the error it printed (2 for a bad value, 1 when the state cannot be
 * opened or is locked by another run). */
int kq_cli_cron_finish(KqCliCron *cron, KqCliCommon *common, KqLog *log);
/* After every file was written: records the edition's articles in the
 * --only-new state (atomically). Returns 0, or 1 after printing an error. */
int kq_cli_cron_commit(KqCliCron *cron, const KqEdition *ed, KqLog *log);
void kq_cli_cron_clear(KqCliCron *cron);

/* A progress line on stderr ("\rkiosque: MESSAGE"), only when
 * cron->show_progress; _end erases it. cron may be NULL. */
void kq_cli_progress(KqCliCron *cron, const char *format, ...) G_GNUC_PRINTF(2, 3);
void kq_cli_progress_end(KqCliCron *cron);
/* A KqProgressFunc for the library (data: the KqCliCron): a bar with counts. */
void kq_cli_progress_count(const char *what, guint done, guint total, gpointer data);

typedef gboolean (*KqCliWriteFunc)(const KqEdition *edition, const KqWriteOptions *opts,
                                   const char *path, KqLog *log, GError **error);
/* The file name of volume v (1-based) of an output; caller frees. */
typedef char *(*KqCliVolumePath)(guint v, gpointer data);

/*
 * Writes ed to path with write(), honouring --if-changed (an existing path
 * holding the same bytes is left alone and not reported as written) and
 * --max-size (a file over the size is replaced by volumes 1..k, each
 * under it when its articles allow: "STEM-V.EXT", or volume_path(v) when
 * given). Without either option this is write() itself. Files are staged
 * in a hidden folder beside path and installed atomically (with
 * wopts->no_clobber). Each path written is appended (new string) to
 * written. FALSE with error when a write failed.
 */
gboolean kq_cli_cron_write(KqCliCron *cron, KqCliWriteFunc write, const KqEdition *ed,
                           const KqWriteOptions *wopts, const KqCollectOptions *copts,
                           const char *path, KqCliVolumePath volume_path, gpointer volume_data,
                           KqLog *log, GPtrArray *written, GError **error);

/* Sets the JSON-lines sink on log ("text" or "json"); FALSE when unknown. */
gboolean kq_cli_set_log_format(KqLog *log, const char *format);

#endif
