/* main.c: kiosque's entry point: picks the command and sets up the message sink. */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct {
  const char *name;
  int (*run)(int argc, char **argv, KqLog *log);
  const char *summary;
} Command;

static const Command commands[] = {
    {"export", kq_cmd_export, "write EPUB and/or PDF editions of an archive"},
    {"list", kq_cmd_list, "list the articles of an archive (table or --json)"},
    {"check", kq_cmd_check, "report every input that cannot be read (exit 4 if any)"},
    {"typo", kq_cmd_typo, "apply French or English typography to stdin (a filter)"},
    {"config", kq_cmd_config, "print the effective configuration (kiosque.conf and options)"},
    {"library", kq_cmd_library, "write an OPDS catalog and index.html of a folder of editions"},
};

static void usage(FILE *to)
{
  fputs("Usage: kiosque COMMAND [OPTION…] PATH…\n\n"
        "Turns an archive of tech-news articles (HTML pages, RSS/Atom feeds, Markdown,\n"
        "JSON, plain-text page dumps) into EPUB and PDF reading editions.\n\n"
        "Commands:\n",
        to);
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
    fprintf(to, "  %-8s %s\n", commands[i].name, commands[i].summary);
  fputs("\n'kiosque COMMAND --help' lists a command's options.\n\n"
        "Exit status: 0 done (warnings on stderr); 1 run-time failure; 2 bad command\n"
        "line or configuration; 3 no article matched; 4 some input could not be read\n"
        "(with --strict, or always for check).\n",
        to);
}

int main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  /* A file-size limit (RLIMIT_FSIZE) must fail the write with EFBIG, which
   * the writers report and clean up after, not kill the export midway. */
  signal(SIGXFSZ, SIG_IGN);
  KqLog log = {kq_log_stderr, NULL, KQ_LOG_WARNING, 0, 0};
  if (argc < 2) {
    usage(stderr);
    return KQ_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    usage(stdout);
    return KQ_EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
    printf("kiosque %s\n", KQ_VERSION);
    return KQ_EXIT_OK;
  }
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++) {
    if (strcmp(cmd, commands[i].name) != 0)
      continue;
    /* usage lines read "kiosque export [OPTION…]" */
    char *prgname = g_strdup_printf("kiosque %s", cmd);
    g_set_prgname(prgname);
    g_free(prgname);
    KqLogHandlers *handlers = kq_log_install_library_handlers(&log);
    int status = commands[i].run(argc - 1, argv + 1, &log);
    kq_log_uninstall_library_handlers(handlers);
    return status;
  }
  return kq_cli_fail(&log, KQ_EXIT_USAGE, "unknown command '%s' (try 'kiosque --help')", cmd);
}
