/* cli.h: private header of the command-line front end (commands and shared options). */
#ifndef KQ_CLI_H
#define KQ_CLI_H

#include <glib.h>

#include "kiosque/collect.h"
#include "kiosque/log.h"

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

/* Options shared by list and export: filters, grouping, input caps,
 * verbosity. Owned by the struct; see kq_cli_common_*(). */
typedef struct {
  KqCollectOptions collect;
  KqReadOptions read;
  char *since, *until, *month, *group_by, *edition_lang, *max_input;
  char **topics, **sites, **authors, **langs;
  gboolean reverse, strict, quiet, verbose;
} KqCliCommon;

/* Adds the shared options to a new GOptionGroup owned by the context. */
void kq_cli_common_add(GOptionContext *ctx, KqCliCommon *common);
/* Turns parsed strings into collect/read options; FALSE (usage error,
 * message printed) when a value is invalid. Sets log verbosity. */
gboolean kq_cli_common_finish(KqCliCommon *common, KqLog *log);
void kq_cli_common_clear(KqCliCommon *common);

/* Scans paths, drops duplicates and builds the edition the options ask
 * for; *n_unreadable counts inputs that gave nothing. Caller frees. */
KqEdition *kq_cli_collect(KqCliCommon *common, char **paths, KqLog *log, guint *n_unreadable);
/* The status list/export end with once their output is done: 4 with
 * --strict when inputs were unreadable, 3 when no article matched, else 0. */
int kq_cli_final_status(const KqCliCommon *common, const KqEdition *edition,
                        guint n_unreadable);

/* Prints "kiosque: error: ..." (through the log) and returns status. */
int kq_cli_fail(KqLog *log, int status, const char *format, ...) G_GNUC_PRINTF(3, 4);

/* Parses argv with ctx; on error prints it and returns FALSE. */
gboolean kq_cli_parse(GOptionContext *ctx, int *argc, char ***argv, KqLog *log);

#endif
