/* images.h: private to the EPUB writer: the images the shared resolver accepts, named and listed for the package. */
#ifndef KQ_EPUB_IMAGES_H
#define KQ_EPUB_IMAGES_H

#include <glib.h>

#include "kiosque/log.h"
#include "kiosque/writer.h"

G_BEGIN_DECLS

/* One packaged image. */
typedef struct {
  char *href;       /* in the package, relative to the OPF: "images/img-0001.png" */
  char *id;         /* manifest id: "img-0001" */
  const char *media_type; /* static: image/jpeg, image/png, image/gif */
  GBytes *data;
} KqEpubImage;

/* The package's images, held by the writer's state for one write (by
 * value: set up with kq_epub_images_init(), released with
 * kq_epub_images_clear()); its members are private to images.c. */
typedef struct {
  KqImageResolver *resolver; /* borrowed or owned (own_resolver) */
  KqImageResolver *own_resolver;
  GPtrArray *images;  /* KqEpubImage*, owned, in first-use order */
  GHashTable *by_key; /* KqImage key -> KqEpubImage* (borrowed); lookup only */
} KqEpubImages;

/* Images come from opts->images, or from a resolver of its own built from
 * opts' roots and image limits; opts is borrowed during the call, the
 * resolver and log until kq_epub_images_clear(). */
void kq_epub_images_init(KqEpubImages *images, const KqWriteOptions *opts, KqLog *log);
void kq_epub_images_clear(KqEpubImages *images);

/*
 * The package href of src as used by the article read from source_path, or
 * NULL when the resolver refuses it (it warns, once, naming source_path).
 * An image used twice is packaged once. Borrowed result.
 */
const char *kq_epub_images_add(KqEpubImages *images, const char *source_path, const char *src);

/* Loads any image file (the user's --cover) with the resolver's checks
 * (image.h), without the roots check. NULL with error when it cannot be
 * used. */
KqEpubImage *kq_epub_image_load(const char *path, const char *href_stem, GError **error);
void kq_epub_image_free(KqEpubImage *image);

/* Packaged images in the order they were first used (borrowed). */
const GPtrArray *kq_epub_images_list(const KqEpubImages *images);

G_END_DECLS

#endif
