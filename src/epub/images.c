/* images.c: the EPUB's packaged images: what the shared resolver (image.h) accepts, named and listed once per package. */
#include "epub/images.h"

#include <string.h>

#include "kiosque/writer.h"

void kq_epub_image_free(KqEpubImage *image)
{
  if (!image)
    return;
  g_free(image->href);
  g_free(image->id);
  g_clear_pointer(&image->data, g_bytes_unref);
  g_free(image);
}

void kq_epub_images_init(KqEpubImages *im, const KqWriteOptions *opts, KqLog *log)
{
  im->resolver = kq_write_options_images(opts, log, &im->own_resolver);
  im->images = g_ptr_array_new_with_free_func((GDestroyNotify)kq_epub_image_free);
  im->by_key = g_hash_table_new(g_str_hash, g_str_equal);
}

void kq_epub_images_clear(KqEpubImages *im)
{
  g_hash_table_unref(im->by_key);
  g_ptr_array_unref(im->images);
  kq_image_resolver_free(im->own_resolver);
}

const GPtrArray *kq_epub_images_list(const KqEpubImages *im)
{
  return im->images;
}

static const char *extension(const char *media_type)
{
  if (strcmp(media_type, "image/jpeg") == 0)
    return "jpg";
  if (strcmp(media_type, "image/png") == 0)
    return "png";
  return "gif";
}

static KqEpubImage *package(const KqImage *image, const char *stem)
{
  KqEpubImage *img = g_new0(KqEpubImage, 1);
  img->data = g_bytes_ref(image->data);
  img->media_type = image->media_type;
  img->id = g_strdup(stem);
  img->href = g_strdup_printf("images/%s.%s", stem, extension(img->media_type));
  return img;
}

KqEpubImage *kq_epub_image_load(const char *path, const char *href_stem, GError **error)
{
  GError *err = NULL;
  KqImage *image = kq_image_load_file(path, 0, 0, &err);
  if (!image) {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FORMAT, "%s", err->message);
    g_error_free(err);
    return NULL;
  }
  KqEpubImage *img = package(image, href_stem);
  kq_image_free(image);
  return img;
}

const char *kq_epub_images_add(KqEpubImages *im, const char *source_path, const char *src)
{
  const KqImage *image = kq_image_resolve(im->resolver, source_path, src);
  if (!image)
    return NULL;
  KqEpubImage *img = g_hash_table_lookup(im->by_key, image->key);
  if (!img) {
    char stem[32];
    g_snprintf(stem, sizeof stem, "img-%04u", im->images->len + 1);
    img = package(image, stem);
    g_ptr_array_add(im->images, img);
    g_hash_table_insert(im->by_key, image->key, img);
  }
  return img->href;
}
