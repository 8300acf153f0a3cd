/* cmd_check.c: `kiosque check`, every unreadable input reported, exit 4 if any. */
#include <stdio.h>

#include "cli.h"

int kq_cmd_check(int argc, char **argv, KqLog *log)
{
  KqCliCommon common;
  GOptionContext *ctx = g_option_context_new("PATH… — report every input that cannot be read");
  kq_cli_common_add(ctx, &common);
  int status = KQ_EXIT_USAGE;
  if (!kq_cli_parse(ctx, &argc, &argv, log) || !kq_cli_need_paths(argc, "check", log))
    goto out;
  /* a PATH that does not exist is an error (also with -q), as for export */
  char **good = kq_cli_check_operands(&common, argv + 1, log);
  KqScan *scan = kq_scan_paths((const char *const *)good, &common.read, log);
  g_free(good);
  guint unreadable = scan->n_unreadable + common.n_missing;
  printf("%u input%s read, %u article%s, %u unreadable\n", scan->n_inputs,
         scan->n_inputs == 1 ? "" : "s", scan->articles->len,
         scan->articles->len == 1 ? "" : "s", unreadable);
  status = unreadable > 0 ? KQ_EXIT_UNREADABLE : KQ_EXIT_OK;
  kq_scan_free(scan);
out:
  g_option_context_free(ctx);
  kq_cli_common_clear(&common);
  return status;
}
