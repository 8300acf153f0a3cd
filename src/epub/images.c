/* images.c: local images for the EPUB: path checks against the roots, sniffing, decoding, conversion. */
#include "epub/images.h"

#include <errno.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <limits.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "kiosque/writer.h"

struct KqEpubImages {
  GPtrArray *roots;     /* char*: canonical absolute paths */
  KqLog *log;
  guint64 max_pixels;   /* images over it are refused before decoding */
  int max_edge;         /* longer side scaled down to it; 0: no limit */
  GPtrArray *images;    /* KqEpubImage*, owned, in first-use order */
  GHashTable *by_path;  /* canonical path -> KqEpubImage* (borrowed); lookup only */
  GHashTable *failed;   /* canonical path -> reason (owned); lookup only */
};

typedef enum { KIND_NONE, KIND_JPEG, KIND_PNG, KIND_GIF, KIND_CONVERT } Kind;

void kq_epub_image_free(KqEpubImage *image)
{
  if (!image)
    return;
  g_free(image->href);
  g_free(image->id);
  if (image->data)
    g_bytes_unref(image->data);
  g_free(image);
}

void kq_epub_images_set_max_edge(KqEpubImages *images, int max_edge)
{
  images->max_edge = MAX(max_edge, 0);
}

KqEpubImages *kq_epub_images_new(const char *const *roots, guint64 max_pixels, KqLog *log)
{
  KqEpubImages *im = g_new0(KqEpubImages, 1);
  im->max_pixels = max_pixels ? max_pixels : KQ_DEFAULT_MAX_IMAGE_PIXELS;
  im->roots = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; roots && roots[i]; i++) {
    char *real = realpath(roots[i], NULL);
    if (real) {
      g_ptr_array_add(im->roots, g_strdup(real));
      free(real);
    }
  }
  im->log = log;
  im->images = g_ptr_array_new_with_free_func((GDestroyNotify)kq_epub_image_free);
  im->by_path = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  im->failed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  return im;
}

void kq_epub_images_free(KqEpubImages *im)
{
  if (!im)
    return;
  g_ptr_array_unref(im->roots);
  g_ptr_array_unref(im->images);
  g_hash_table_unref(im->by_path);
  g_hash_table_unref(im->failed);
  g_free(im);
}

const GPtrArray *kq_epub_images_list(const KqEpubImages *im)
{
  return im->images;
}

static gboolean inside_roots(const KqEpubImages *im, const char *real)
{
  for (guint i = 0; i < im->roots->len; i++) {
    const char *root = g_ptr_array_index(im->roots, i);
    gsize n = strlen(root);
    if (strcmp(root, "/") == 0)
      return TRUE;
    if (strncmp(real, root, n) == 0 && (real[n] == '\0' || real[n] == '/'))
      return TRUE;
  }
  return FALSE;
}

/* What the first bytes say; the loader type for conversions. */
static Kind sniff(const guchar *d, gsize n, const char **loader_type)
{
  *loader_type = NULL;
  if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) {
    *loader_type = "jpeg";
    return KIND_JPEG;
  }
  if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) {
    *loader_type = "png";
    return KIND_PNG;
  }
  if (n >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0)) {
    *loader_type = "gif";
    return KIND_GIF;
  }
  if (n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
    *loader_type = "webp";
  else if (n >= 2 && d[0] == 'B' && d[1] == 'M')
    *loader_type = "bmp";
  else if (n >= 4 && (memcmp(d, "II*\0", 4) == 0 || memcmp(d, "MM\0*", 4) == 0))
    *loader_type = "tiff";
  else {
    /* SVG: markup whose first 4 KB hold an <svg element. */
    gsize i = 0;
    if (n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
      i = 3;
    while (i < n && g_ascii_isspace(d[i]))
      i++;
    if (i < n && d[i] == '<' && g_strstr_len((const char *)d + i, MIN(n - i, 4096), "<svg"))
      *loader_type = "svg";
  }
  return *loader_type ? KIND_CONVERT : KIND_NONE;
}

typedef struct {
  guint64 max_pixels; /* hard cap (--max-image-pixels): refused */
  int max_edge;       /* longer side scaled down to it (--max-size); 0: none */
  gboolean scaled;    /* scaled down to the EPUB size */
  gboolean refused;
  int width, height;
} SizeCheck;

/* Runs once the header is read, before the loader allocates the picture.
 * Over the hard cap, a 0×0 size tells the loader to stop without
 * allocating (gdk-pixbuf's size-function convention, which
 * gdk_pixbuf_get_file_info() relies on); over the EPUB size, the picture
 * is scaled down as it is decoded. */
static void size_prepared(GdkPixbufLoader *loader, int w, int h, gpointer user_data)
{
  SizeCheck *check = user_data;
  double pixels = (double)w * (double)h;
  check->width = w;
  check->height = h;
  if (pixels > (double)check->max_pixels) {
    check->refused = TRUE;
    gdk_pixbuf_loader_set_size(loader, 0, 0);
  } else if (w <= 0 || h <= 0) {
    gdk_pixbuf_loader_set_size(loader, 1, 1);
  } else {
    double k = pixels > KQ_EPUB_MAX_IMAGE_PIXELS ? sqrt(KQ_EPUB_MAX_IMAGE_PIXELS / pixels) : 1;
    if (check->max_edge > 0 && MAX(w, h) * k > check->max_edge)
      k = (double)check->max_edge / MAX(w, h);
    if (k < 1) {
      gdk_pixbuf_loader_set_size(loader, MAX(1, (int)(w * k)), MAX(1, (int)(h * k)));
      check->scaled = TRUE;
    }
  }
}

/* Decodes data with the loader of that type; NULL with error when it fails.
 * *scaled tells whether the picture was scaled down to the pixel cap. */
static GdkPixbuf *decode(GBytes *data, const char *type, guint64 max_pixels, int max_edge,
                         gboolean *scaled, GError **error)
{
  SizeCheck check = {max_pixels, max_edge, FALSE, FALSE, 0, 0};
  *scaled = FALSE;
  GdkPixbufLoader *loader = gdk_pixbuf_loader_new_with_type(type, error);
  if (!loader)
    return NULL;
  g_signal_connect(loader, "size-prepared", G_CALLBACK(size_prepared), &check);
  gsize n;
  const guchar *d = g_bytes_get_data(data, &n);
  GdkPixbuf *pixbuf = NULL;
  gboolean ok = gdk_pixbuf_loader_write(loader, d, n, error);
  if (ok)
    ok = gdk_pixbuf_loader_close(loader, error);
  else
    gdk_pixbuf_loader_close(loader, NULL);
  if (check.refused) {
    g_clear_error(error);
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FORMAT,
                "%d×%d pixels, over the %" G_GUINT64_FORMAT "-pixel limit (--max-image-pixels)",
                check.width, check.height, max_pixels);
    ok = FALSE;
  }
  *scaled = check.scaled;
  if (ok) {
    pixbuf = gdk_pixbuf_loader_get_pixbuf(loader);
    if (pixbuf)
      g_object_ref(pixbuf);
    else
      g_set_error(error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE, "no picture");
  }
  g_object_unref(loader);
  return pixbuf;
}

/* Turns file bytes into a packaged image (href and id not set yet). */
static KqEpubImage *make_image(GBytes *data, guint64 max_pixels, int max_edge, GError **error)
{
  gsize n;
  const guchar *d = g_bytes_get_data(data, &n);
  const char *type;
  Kind kind = sniff(d, n, &type);
  if (kind == KIND_NONE) {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FORMAT, "not an image format kiosque reads");
    return NULL;
  }
  gboolean scaled;
  GError *err = NULL;
  GdkPixbuf *pixbuf = decode(data, type, max_pixels, max_edge, &scaled, &err);
  if (!pixbuf) {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FORMAT, "cannot decode the %s image: %s",
                type, err ? err->message : "unknown error");
    g_clear_error(&err);
    return NULL;
  }
  KqEpubImage *img = g_new0(KqEpubImage, 1);
  if (kind != KIND_CONVERT && !scaled) {
    /* A core media type that decodes: packaged byte for byte. */
    img->data = g_bytes_ref(data);
    img->media_type = kind == KIND_JPEG ? "image/jpeg" : kind == KIND_PNG ? "image/png"
                                                                         : "image/gif";
  } else {
    gchar *buf = NULL;
    gsize len = 0;
    gboolean alpha = gdk_pixbuf_get_has_alpha(pixbuf);
    gboolean ok = alpha ? gdk_pixbuf_save_to_buffer(pixbuf, &buf, &len, "png", &err, NULL)
                        : gdk_pixbuf_save_to_buffer(pixbuf, &buf, &len, "jpeg", &err,
                                                    "quality", "90", NULL);
    if (!ok) {
      g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FORMAT, "cannot convert the %s image: %s",
                  type, err ? err->message : "unknown error");
      g_clear_error(&err);
      g_object_unref(pixbuf);
      g_free(img);
      return NULL;
    }
    img->data = g_bytes_new_take(buf, len);
    img->media_type = alpha ? "image/png" : "image/jpeg";
  }
  g_object_unref(pixbuf);
  return img;
}

static const char *extension(const char *media_type)
{
  if (strcmp(media_type, "image/jpeg") == 0)
    return "jpg";
  if (strcmp(media_type, "image/png") == 0)
    return "png";
  return "gif";
}

static void name_image(KqEpubImage *img, const char *stem)
{
  img->id = g_strdup(stem);
  img->href = g_strdup_printf("images/%s.%s", stem, extension(img->media_type));
}

/* Reads a regular file of at most the size cap. */
static GBytes *read_file(const char *path, GError **error)
{
  GStatBuf st;
  if (g_stat(path, &st) != 0) {
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "%s", g_strerror(errno));
    return NULL;
  }
  if (!S_ISREG(st.st_mode)) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "not a regular file");
    return NULL;
  }
  if ((guint64)st.st_size > KQ_EPUB_MAX_IMAGE_BYTES) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%lld bytes, over the %u limit",
                (long long)st.st_size, KQ_EPUB_MAX_IMAGE_BYTES);
    return NULL;
  }
  char *contents;
  gsize len;
  if (!g_file_get_contents(path, &contents, &len, error))
    return NULL;
  return g_bytes_new_take(contents, len);
}

KqEpubImage *kq_epub_image_load(const char *path, const char *href_stem, GError **error)
{
  GError *err = NULL;
  GBytes *data = read_file(path, &err);
  KqEpubImage *img = data ? make_image(data, KQ_DEFAULT_MAX_IMAGE_PIXELS, 0, &err) : NULL;
  if (data)
    g_bytes_unref(data);
  if (!img) {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FORMAT, "%s: %s", path, err->message);
    g_error_free(err);
    return NULL;
  }
  name_image(img, href_stem);
  return img;
}

/* The local file src names for an article read from source_path, or NULL
 * with *why set (static text) for URLs that are not local files. */
static char *local_path(const char *source_path, const char *src, const char **why)
{
  *why = NULL;
  const char *colon = strchr(src, ':');
  gboolean has_scheme = FALSE;
  if (colon && colon > src && g_ascii_isalpha(src[0])) {
    has_scheme = TRUE;
    for (const char *p = src; p < colon; p++)
      if (!g_ascii_isalnum(*p) && *p != '+' && *p != '-' && *p != '.')
        has_scheme = FALSE;
  }
  if (has_scheme) {
    if (g_ascii_strncasecmp(src, "file:", 5) == 0) {
      char *path = g_filename_from_uri(src, NULL, NULL);
      if (!path)
        *why = "malformed file: URL";
      return path;
    }
    if (g_ascii_strncasecmp(src, "http:", 5) == 0 || g_ascii_strncasecmp(src, "https:", 6) == 0)
      *why = "remote image dropped (no network access; the EPUB holds local images only)";
    else if (g_ascii_strncasecmp(src, "data:", 5) == 0)
      *why = "inline data: image dropped";
    else
      *why = "image URL scheme not allowed";
    return NULL;
  }
  if (g_str_has_prefix(src, "//")) {
    *why = "remote image dropped (no network access; the EPUB holds local images only)";
    return NULL;
  }
  if (g_path_is_absolute(src))
    return g_strdup(src);
  char *dir = g_path_get_dirname(source_path ? source_path : ".");
  char *path = g_build_filename(dir, src, NULL);
  g_free(dir);
  return path;
}

const char *kq_epub_images_add(KqEpubImages *im, const char *source_path, const char *src)
{
  if (!src || !*src) {
    KQ_WARN(im->log, source_path, 0, "image without a source dropped");
    return NULL;
  }
  const char *why;
  char *path = local_path(source_path, src, &why);
  if (!path) {
    KQ_WARN(im->log, source_path, 0, "%s: %s", src, why);
    return NULL;
  }
  char *real = realpath(path, NULL);
  if (!real && strchr(path, '%')) {
    /* Markdown and HTML sources percent-encode file names. */
    char *unescaped = g_uri_unescape_string(path, NULL);
    if (unescaped)
      real = realpath(unescaped, NULL);
    g_free(unescaped);
  }
  int err_no = errno;
  g_free(path);
  if (!real) {
    KQ_WARN(im->log, source_path, 0, "image %s: %s; dropped", src, g_strerror(err_no));
    return NULL;
  }
  const char *href = NULL;
  KqEpubImage *img = g_hash_table_lookup(im->by_path, real);
  const char *reason = img ? NULL : g_hash_table_lookup(im->failed, real);
  if (img) {
    href = img->href;
  } else if (reason) {
    KQ_WARN(im->log, source_path, 0, "image %s: %s; dropped", src, reason);
  } else if (!inside_roots(im, real)) {
    KQ_WARN(im->log, source_path, 0,
            "image %s lies outside the paths given on the command line; dropped", src);
  } else {
    GError *err = NULL;
    GBytes *data = read_file(real, &err);
    img = data ? make_image(data, im->max_pixels, im->max_edge, &err) : NULL;
    if (data)
      g_bytes_unref(data);
    if (img) {
      char stem[32];
      g_snprintf(stem, sizeof stem, "img-%04u", im->images->len + 1);
      name_image(img, stem);
      g_ptr_array_add(im->images, img);
      g_hash_table_insert(im->by_path, g_strdup(real), img);
      href = img->href;
    } else {
      KQ_WARN(im->log, source_path, 0, "image %s: %s; dropped", src, err->message);
      g_hash_table_insert(im->failed, g_strdup(real), g_strdup(err->message));
      g_error_free(err);
    }
  }
  free(real);
  return href;
}
