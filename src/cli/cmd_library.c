/* cmd_library.c: `kiosque library DIR`: the editions of a folder as an OPDS catalog and an index.html shelf. */
#include <stdio.h>

#include "cli.h"
#include "kiosque/library.h"

int kq_cli_refresh_library(const char *dir, const char *title, gboolean print, KqLog *log)
{
  GError *err = NULL;
  GPtrArray *written = g_ptr_array_new_with_free_func(g_free);
  int n = kq_library_write(dir, title, log, written, &err);
  if (print)
    for (guint i = 0; i < written->len; i++)
      printf("%s\n", (const char *)g_ptr_array_index(written, i));
  fflush(stdout);
  g_ptr_array_unref(written);
  if (n < 0) {
    int status = g_error_matches(err, KQ_LIBRARY_ERROR, KQ_LIBRARY_ERROR_FOLDER)
                     ? KQ_EXIT_UNREADABLE
                     : KQ_EXIT_FAILURE;
    kq_cli_fail(log, status, "library: %s: %s", dir, err->message);
    g_error_free(err);
    return status;
  }
  KQ_INFO(log, dir, 0, "library: %d edition%s in the catalog", n, n == 1 ? "" : "s");
  return KQ_EXIT_OK;
}

int kq_cmd_library(int argc, char **argv, KqLog *log)
{
  char *title = NULL;
  gboolean quiet = FALSE, verbose = FALSE;
  GOptionEntry entries[] = {
      {"title", 0, 0, G_OPTION_ARG_STRING, &title,
       "Title of the catalog (default: the folder's name)", "TEXT"},
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print errors only", NULL},
      {"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Also print what is skipped and why",
       NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL},
  };
  GOptionContext *ctx = g_option_context_new(
      "DIR — write an OPDS catalog (catalog.xml) and index.html of the editions in DIR");
  g_option_context_add_main_entries(ctx, entries, NULL);
  int status = KQ_EXIT_USAGE;
  if (!kq_cli_parse(ctx, &argc, &argv, log))
    goto out;
  if (argc != 2) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "library: one DIR needed (try 'kiosque library --help')");
    goto out;
  }
  if (verbose)
    log->level = KQ_LOG_INFO;
  else if (quiet)
    log->level = KQ_LOG_ERROR;
  status = kq_cli_refresh_library(argv[1], title, TRUE, log);
out:
  g_option_context_free(ctx);
  g_free(title);
  return status;
}
