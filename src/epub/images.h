/* images.h: private to the EPUB writer: local images checked, sniffed, converted and named. */
#ifndef KQ_EPUB_IMAGES_H
#define KQ_EPUB_IMAGES_H

#include <glib.h>

#include "kiosque/log.h"

G_BEGIN_DECLS

/* Files larger than this are not read. */
#define KQ_EPUB_MAX_IMAGE_BYTES (32u * 1024u * 1024u)
/* Decoded images over this many pixels are refused (decompression bombs). */
#define KQ_EPUB_MAX_IMAGE_PIXELS (50u * 1000u * 1000u)

/* One packaged image. */
typedef struct {
  char *href;       /* in the package, relative to the OPF: "images/img-0001.png" */
  char *id;         /* manifest id: "img-0001" */
  const char *media_type; /* static: image/jpeg, image/png, image/gif */
  GBytes *data;
} KqEpubImage;

typedef struct KqEpubImages KqEpubImages;

/* roots: the paths given on the command line (NULL: no local image is
 * allowed). Borrowed for the lifetime of the object. */
KqEpubImages *kq_epub_images_new(const char *const *roots, guint64 max_pixels, KqLog *log);
/* Images whose longer side exceeds max_edge pixels are scaled down and
 * re-encoded (0: no limit). */
void kq_epub_images_set_max_edge(KqEpubImages *images, int max_edge);
void kq_epub_images_free(KqEpubImages *images);

/*
 * The package href of src as used by the article read from source_path, or
 * NULL (with a warning naming source_path) when the image is remote,
 * missing, outside the roots, too large or undecodable. A file used twice
 * is packaged once. JPEG, PNG and GIF are kept as they are (after a full
 * decode proves them sound); SVG, WebP and every other format gdk-pixbuf
 * reads become PNG (with transparency) or JPEG. Borrowed result.
 */
const char *kq_epub_images_add(KqEpubImages *images, const char *source_path, const char *src);

/* Loads any image file (the user's --cover) the same way, without the
 * roots check. NULL with error when it cannot be used. */
KqEpubImage *kq_epub_image_load(const char *path, const char *href_stem, GError **error);
void kq_epub_image_free(KqEpubImage *image);

/* Packaged images in the order they were first used (borrowed). */
const GPtrArray *kq_epub_images_list(const KqEpubImages *images);

G_END_DECLS

#endif
