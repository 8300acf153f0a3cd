/* cmd_export.c: `kiosque export` (lands with the EPUB and PDF issues). */
#include "cli.h"

int kq_cmd_export(int argc, char **argv, KqLog *log)
{
  return kq_cli_fail(log, KQ_EXIT_USAGE, "export: not implemented yet");
}
