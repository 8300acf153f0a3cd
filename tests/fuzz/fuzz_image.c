/* fuzz_image.c: the image resolver's checks and decoding (image.h) on arbitrary bytes; what it accepts decodes again to the same size. */
#include <stdint.h>
#include <string.h>

#include "kiosque/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1 || size > 256 * 1024)
    return 0;
  /* first byte: the caps; small ones keep each input fast under ASan */
  static const guint64 caps[] = {1000u * 1000u, 250u * 1000u, 4000u * 1000u, 64u * 64u};
  static const int edges[] = {0, 300, 1200, 16};
  guint64 max_pixels = caps[data[0] & 3];
  int max_edge = edges[(data[0] >> 2) & 3];
  GBytes *bytes = g_bytes_new(data + 1, size - 1);
  KqImage *img = kq_image_decode(bytes, max_pixels, max_edge, NULL);
  if (img) {
    /* what the resolver hands the writers is an image it accepts itself,
     * of the size it says (the PDF decodes it again to draw it) */
    if (!img->data || g_bytes_get_size(img->data) == 0 || img->width <= 0 || img->height <= 0)
      __builtin_trap();
    if (strcmp(img->media_type, "image/jpeg") != 0 && strcmp(img->media_type, "image/png") != 0 &&
        strcmp(img->media_type, "image/gif") != 0)
      __builtin_trap();
    if (max_edge > 0 && MAX(img->width, img->height) > max_edge)
      __builtin_trap(); /* --max-size's edge holds for every format */
    KqImage *again = kq_image_decode(img->data, 0, 0, NULL);
    if (!again || again->width != img->width || again->height != img->height)
      __builtin_trap();
    kq_image_free(again);
    kq_image_free(img);
  }
  g_bytes_unref(bytes);
  return 0;
}
