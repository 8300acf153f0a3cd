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

KqImageResolver *kq_write_options_images(const KqWriteOptions *opts, KqLog *log,
                                         KqImageResolver **own)
{
  *own = NULL;
  if (opts->images)
    return opts->images;
  *own = kq_image_resolver_new(opts->roots, opts->max_image_pixels, opts->max_image_edge, log);
  return *own;
}
