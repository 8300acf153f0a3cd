/* writer.c: what the EPUB and PDF writers share: options and the reproducible timestamp (above collect/, beside epub/ and pdf/). */
#include "kiosque/writer.h"

#include <string.h>


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

