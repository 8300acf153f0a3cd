/* cmd_config.c: `kiosque config`: prints the effective configuration (file, command line, defaults). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kiosque/datadir.h"

int kq_cmd_config(int argc, char **argv, KqLog *log)
{
  gboolean show = FALSE, path_only = FALSE;
  char *max_size = NULL;
  KqCliExportSettings settings; /* export's, so that --show can show their effect */
  KqCliCommon common;
  GOptionEntry entries[] = {
      {"show", 0, 0, G_OPTION_ARG_NONE, &show,
       "Print the effective configuration (the default action)", NULL},
      {"path", 0, 0, G_OPTION_ARG_NONE, &path_only,
       "Print the configuration file's path (loaded or default)", NULL},
      {"max-size", 0, 0, G_OPTION_ARG_STRING, &max_size,
       "As for export: split an output larger than SIZE into volumes", "SIZE"},
      {NULL, 0, 0, 0, NULL, NULL, NULL},
  };
  GOptionContext *ctx =
      g_option_context_new("— print the effective configuration (kiosque.conf + options)");
  g_option_context_add_main_entries(ctx, entries, NULL);
  kq_cli_export_settings_add(ctx, &settings);
  kq_cli_common_add(ctx, &common);
  int status = KQ_EXIT_USAGE;
  if (!kq_cli_parse(ctx, &argc, &argv, log))
    goto out;
  if (argc > 1 && !common.config_argv) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "config: unexpected argument '%s'", argv[1]);
    goto out;
  }
  if (path_only) {
    const char *file = kq_config_get_file(common.config);
    char *def = file ? NULL : kq_config_default_path();
    printf("%s\n", file ? file : def);
    g_free(def);
    status = KQ_EXIT_OK;
    goto out;
  }
  if (!kq_cli_export_settings_merge(&settings, &common, log) ||
      !kq_cli_config_set(&common, "max-size", max_size, log))
    goto out;
  char *text = kq_config_to_string(common.config);
  fputs(text, stdout);
  g_free(text);
  /* where data files come from: useful to check an installation */
  char *styles = kq_datadir_find("styles");
  char *fonts = kq_datadir_find("fonts");
  char *dirs = kq_datadir_describe();
  printf("# data folders searched: %s\n# styles: %s\n# fonts: %s\n", dirs,
         styles ? styles : "(not found)", fonts ? fonts : "(not found)");
  printf("# today: %04d-%02d-%02d%s\n", common.today.year, common.today.month, common.today.day,
         g_getenv("KQ_TODAY") && *g_getenv("KQ_TODAY") ? " (KQ_TODAY)" : "");
  g_free(styles);
  g_free(fonts);
  g_free(dirs);
  status = KQ_EXIT_OK;
out:
  g_option_context_free(ctx);
  kq_cli_common_clear(&common);
  kq_cli_export_settings_clear(&settings);
  g_free(max_size);
  return status;
}
