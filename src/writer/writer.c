/* writer.c: what the EPUB and PDF writers share: options, the reproducible timestamp, styles. */
#include "kiosque/writer.h"

#include <string.h>

G_DEFINE_QUARK(kq-write-error-quark, kq_write_error)

void kq_write_options_init(KqWriteOptions *opts)
{
  memset(opts, 0, sizeof *opts);
  opts->style = "default";
  opts->timestamp = -1;
  opts->max_image_pixels = KQ_DEFAULT_MAX_IMAGE_PIXELS;
}

gint64 kq_edition_timestamp(const KqEdition *edition)
{
  const char *sde = g_getenv("SOURCE_DATE_EPOCH");
  if (sde && *sde) {
    guint64 v = 0;
    /* reproducible-builds.org: a decimal count of seconds; anything else
     * is ignored (and the article dates used). */
    if (g_ascii_string_to_unsigned(sde, 10, 0, G_MAXINT64, &v, NULL))
      return (gint64)v;
  }
  if (edition && edition->newest.set)
    return kq_date_to_unix(&edition->newest);
  gint64 newest = -1;
  if (edition && edition->articles)
    for (guint i = 0; i < edition->articles->len; i++) {
      const KqArticle *a = g_ptr_array_index(edition->articles, i);
      const KqDate *d = a->updated.set ? &a->updated : &a->published;
      if (d->set) {
        gint64 t = kq_date_to_unix(d);
        if (t > newest)
          newest = t;
      }
    }
  return newest >= 0 ? newest : 0;
}

static gboolean style_name_ok(const char *name)
{
  if (!*name || name[0] == '.')
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

char *kq_style_path(const char *style, const char *ext, GError **error)
{
  if (!style)
    style = "default";
  if (!style_name_ok(style)) {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE,
                "--style %s: a style name is letters, digits, '-', '_' and '.'", style);
    return NULL;
  }
  char *file = g_strdup_printf("%s.%s", style, ext);
  const char *dirs[4];
  guint n = 0;
  const char *env = g_getenv("KIOSQUE_STYLES_DIR");
  if (env && *env)
    dirs[n++] = env;
  dirs[n++] = KQ_DATADIR "/styles";
  dirs[n++] = KQ_SOURCE_DIR "/styles";
  char *found = NULL;
  for (guint i = 0; i < n && !found; i++) {
    char *p = g_build_filename(dirs[i], file, NULL);
    if (g_file_test(p, G_FILE_TEST_IS_REGULAR))
      found = p;
    else
      g_free(p);
  }
  if (!found)
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE,
                "style '%s': %s not found (looked in%s%s, %s, %s)", style, file,
                env && *env ? " " : "", env && *env ? env : "", KQ_DATADIR "/styles",
                KQ_SOURCE_DIR "/styles");
  g_free(file);
  return found;
}
