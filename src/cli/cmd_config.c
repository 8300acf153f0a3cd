/* cmd_config.c: `kiosque config`: prints the effective configuration (file, command line, defaults). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kiosque/datadir.h"

int kq_cmd_config(int argc, char **argv, KqLog *log)
{
  gboolean show = FALSE, path_only = FALSE;
  char *format = NULL, *out = NULL, *title = NULL, *style = NULL, *css = NULL, *theme = NULL;
  char *paper = NULL, *cover = NULL, *columns = NULL, *max_size = NULL;
  gboolean split = FALSE, no_clobber = FALSE;
  KqCliCommon common;
  GOptionEntry entries[] = {
      {"show", 0, 0, G_OPTION_ARG_NONE, &show,
       "Print the effective configuration (the default action)", NULL},
      {"path", 0, 0, G_OPTION_ARG_NONE, &path_only,
       "Print the configuration file's path (loaded or default)", NULL},
      /* export's settings, so that --show can show their effect */
      {"format", 'f', 0, G_OPTION_ARG_STRING, &format, "As for export", "epub,pdf"},
      {"output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "As for export", "OUT"},
      {"split", 0, 0, G_OPTION_ARG_NONE, &split, "As for export", NULL},
      {"title", 0, 0, G_OPTION_ARG_STRING, &title, "As for export", "TEXT"},
      {"style", 0, 0, G_OPTION_ARG_STRING, &style, "As for export", "NAME"},
      {"css", 0, 0, G_OPTION_ARG_FILENAME, &css, "As for export", "FILE"},
      {"theme", 0, 0, G_OPTION_ARG_FILENAME, &theme, "As for export", "FILE"},
      {"cover", 0, 0, G_OPTION_ARG_FILENAME, &cover, "As for export", "FILE"},
      {"paper", 0, 0, G_OPTION_ARG_STRING, &paper, "As for export", "SIZE"},
      {"columns", 0, 0, G_OPTION_ARG_STRING, &columns, "As for export", "N"},
      {"max-size", 0, 0, G_OPTION_ARG_STRING, &max_size, "As for export", "SIZE"},
      {"no-clobber", 0, 0, G_OPTION_ARG_NONE, &no_clobber, "As for export", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL},
  };
  GOptionContext *ctx =
      g_option_context_new("— print the effective configuration (kiosque.conf + options)");
  g_option_context_add_main_entries(ctx, entries, NULL);
  kq_cli_common_add(ctx, &common);
  int status = KQ_EXIT_USAGE;
  if (!kq_cli_parse(ctx, &argc, &argv, log) || !kq_cli_common_finish(&common, log))
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
  const struct {
    const char *key, *value;
  } sets[] = {
      {"formats", format},        {"output", out},
      {"split", split ? "true" : NULL}, {"title", title},
      {"style", style},           {"css", css},
      {"theme", theme},           {"cover", cover},
      {"paper", paper},           {"columns", columns},
      {"max-size", max_size},     {"no-clobber", no_clobber ? "true" : NULL},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(sets); i++)
    if (!kq_cli_config_set(&common, sets[i].key, sets[i].value, log))
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
  g_free(format);
  g_free(out);
  g_free(title);
  g_free(style);
  g_free(css);
  g_free(theme);
  g_free(paper);
  g_free(cover);
  g_free(columns);
  g_free(max_size);
  return status;
}
