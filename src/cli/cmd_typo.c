/* cmd_typo.c: `kiosque typo`, the typography filter (lands with the typography issue). */
#include "cli.h"

int kq_cmd_typo(int argc, char **argv, KqLog *log)
{
  return kq_cli_fail(log, KQ_EXIT_USAGE, "typo: not implemented yet");
}
