/* image.c: the image resolver: where an image may come from, its bytes checked and decoded within a budget, converted once for both writers. */
#include "kiosque/image.h"

#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <librsvg/rsvg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosque/roots.h"

G_DEFINE_QUARK(kq-image-error-quark, kq_image_error)

typedef enum { KIND_NONE, KIND_JPEG, KIND_PNG, KIND_GIF, KIND_SVG, KIND_OTHER } Kind;

void kq_image_free(KqImage *image)
{
  if (!image)
    return;
  g_clear_pointer(&image->data, g_bytes_unref);
  g_free(image->key);
  g_free(image);
}

/* ---- Sniffing ------------------------------------------------------------------ */

/* What the first bytes say; *loader: the gdk-pixbuf loader for KIND_OTHER. */
static Kind sniff(const guchar *d, gsize n, const char **loader)
{
  *loader = NULL;
  if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
    return KIND_JPEG;
  if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
    return KIND_PNG;
  if (n >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0))
    return KIND_GIF;
  if (n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
    *loader = "webp";
  else if (n >= 2 && d[0] == 'B' && d[1] == 'M')
    *loader = "bmp";
  else if (n >= 4 && (memcmp(d, "II*\0", 4) == 0 || memcmp(d, "MM\0*", 4) == 0))
    *loader = "tiff";
  if (*loader)
    return KIND_OTHER;
  /* SVG: markup whose first 4 KB hold an <svg element. */
  gsize i = 0;
  if (n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < n && g_ascii_isspace(d[i]))
    i++;
  if (i < n && d[i] == '<' && g_strstr_len((const char *)d + i, MIN(n - i, 4096), "<svg"))
    return KIND_SVG;
  return KIND_NONE;
}

/* ---- Structure walks: truncation and decode budget, before any decoding ------------ */

static gboolean over_work(guint64 passes, guint64 pixels)
{
  return pixels && passes > KQ_IMAGE_MAX_DECODE_WORK / pixels;
}

/* Walks a JPEG's segments to its EOI marker, counting scans. */
static gboolean check_jpeg(const guchar *d, gsize n, GError **error)
{
  gsize i = 2;
  guint scans = 0;
  guint64 pixels = 0;
  while (i < n) {
    if (d[i] != 0xFF) { /* entropy-coded data after a scan header */
      const guchar *ff = memchr(d + i, 0xFF, n - i);
      if (!ff)
        break;
      i = (gsize)(ff - d);
      continue;
    }
    while (i < n && d[i] == 0xFF)
      i++;
    if (i >= n)
      break;
    guchar m = d[i++];
    if (m == 0x00 || (m >= 0xD0 && m <= 0xD7) || m == 0x01)
      continue; /* stuffed byte, restart marker, TEM: no length */
    if (m == 0xD9) {
      if (!scans) {
        g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_FORMAT, "JPEG without image data");
        return FALSE;
      }
      return TRUE;
    }
    if (i + 2 > n)
      break;
    gsize len = ((gsize)d[i] << 8) | d[i + 1];
    if (len < 2 || i + len > n)
      break;
    if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC && len >= 7)
      pixels = (guint64)(((guint)d[i + 3] << 8) | d[i + 4]) * (((guint)d[i + 5] << 8) | d[i + 6]);
    if (m == 0xDA) {
      scans++;
      if (scans > KQ_IMAGE_MAX_JPEG_SCANS || over_work(scans, pixels)) {
        g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_BUDGET,
                    "JPEG with more than %u scans, over the decode budget (%d scans at most)",
                    scans - 1, over_work(scans, pixels) ? (int)(KQ_IMAGE_MAX_DECODE_WORK / pixels)
                                                        : KQ_IMAGE_MAX_JPEG_SCANS);
        return FALSE;
      }
    }
    i += len;
  }
  g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_FORMAT,
              "truncated JPEG (the file ends before its end-of-image marker)");
  return FALSE;
}

/* Walks a PNG's chunks to IEND. */
static gboolean check_png(const guchar *d, gsize n, GError **error)
{
  gsize i = 8;
  while (i + 12 <= n) {
    guint32 len = ((guint32)d[i] << 24) | ((guint32)d[i + 1] << 16) | ((guint32)d[i + 2] << 8) |
                  d[i + 3];
    if (len > n || i + 12 + (gsize)len > n)
      break;
    if (memcmp(d + i + 4, "IEND", 4) == 0)
      return TRUE;
    i += 12 + (gsize)len;
  }
  g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_FORMAT,
              "truncated PNG (the file ends before its IEND chunk)");
  return FALSE;
}

/* Skips GIF data sub-blocks from i; the index after the terminator or n. */
static gsize gif_skip_blocks(const guchar *d, gsize n, gsize i)
{
  while (i < n) {
    guchar len = d[i++];
    if (!len)
      return i;
    i += len;
  }
  return n + 1;
}

/* Walks a GIF's blocks to its trailer, counting frames. */
static gboolean check_gif(const guchar *d, gsize n, GError **error)
{
  if (n < 13)
    goto truncated;
  guint64 pixels = (guint64)(d[6] | (d[7] << 8)) * (d[8] | (d[9] << 8));
  gsize i = 13;
  if (d[10] & 0x80)
    i += 3u << ((d[10] & 7) + 1);
  guint64 frames = 0;
  while (i < n) {
    guchar b = d[i++];
    if (b == 0x3B)
      return TRUE;
    if (b == 0x21) {
      if (i >= n)
        break;
      i = gif_skip_blocks(d, n, i + 1);
    } else if (b == 0x2C) {
      if (i + 9 > n)
        break;
      guchar flags = d[i + 8];
      i += 9;
      if (flags & 0x80)
        i += 3u << ((flags & 7) + 1);
      i = gif_skip_blocks(d, n, i + 1); /* LZW minimum code size, then data */
      frames++;
      if (over_work(frames, MAX(pixels, 1))) {
        g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_BUDGET,
                    "GIF with more than %" G_GUINT64_FORMAT " frames, over the decode budget",
                    frames - 1);
        return FALSE;
      }
    } else {
      g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_FORMAT, "damaged GIF (unknown block)");
      return FALSE;
    }
  }
truncated:
  g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_FORMAT,
              "truncated GIF (the file ends before its trailer)");
  return FALSE;
}

/* ---- Raster decoding (gdk-pixbuf) -------------------------------------------------- */

typedef struct {
  guint64 max_pixels; /* hard cap: refused */
  int max_edge;       /* longer side scaled down to it; 0: none */
  gboolean scaled;
  gboolean refused;
  int width, height;
} SizeCheck;

/* Runs once the header is read, before the loader allocates the picture.
 * Over the hard cap, a 0×0 size tells the loader to stop without
 * allocating (gdk-pixbuf's size-function convention); over the scale
 * limits, the picture is scaled down as it is decoded. */
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
    double k = pixels > KQ_IMAGE_SCALE_PIXELS ? sqrt(KQ_IMAGE_SCALE_PIXELS / pixels) : 1;
    if (check->max_edge > 0 && MAX(w, h) * k > check->max_edge)
      k = (double)check->max_edge / MAX(w, h);
    if (k < 1) {
      gdk_pixbuf_loader_set_size(loader, MAX(1, (int)(w * k)), MAX(1, (int)(h * k)));
      check->scaled = TRUE;
    }
  }
}

static GdkPixbuf *decode_raster(const guchar *d, gsize n, const char *type, guint64 max_pixels,
                                int max_edge, gboolean *scaled, GError **error)
{
  SizeCheck check = {max_pixels, max_edge, FALSE, FALSE, 0, 0};
  GError *err = NULL;
  *scaled = FALSE;
  GdkPixbufLoader *loader = gdk_pixbuf_loader_new_with_type(type, &err);
  if (!loader) {
    g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_FORMAT, "no %s decoder: %s", type,
                err->message);
    g_error_free(err);
    return NULL;
  }
  g_signal_connect(loader, "size-prepared", G_CALLBACK(size_prepared), &check);
  GdkPixbuf *pixbuf = NULL;
  gboolean ok = gdk_pixbuf_loader_write(loader, d, n, &err);
  if (ok)
    ok = gdk_pixbuf_loader_close(loader, &err);
  else
    gdk_pixbuf_loader_close(loader, NULL);
  if (check.refused) {
    g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_BUDGET,
                "%d×%d pixels, over the %" G_GUINT64_FORMAT "-pixel limit (--max-image-pixels)",
                check.width, check.height, max_pixels);
  } else if (ok && (pixbuf = gdk_pixbuf_loader_get_pixbuf(loader))) {
    g_object_ref(pixbuf);
    *scaled = check.scaled;
  } else {
    g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_FORMAT, "cannot decode the %s image: %s",
                type, err ? err->message : "no picture");
  }
  g_clear_error(&err);
  g_object_unref(loader);
  return pixbuf;
}

/* ---- SVG ------------------------------------------------------------------------- */

static gboolean mentions_filter(const xmlChar *s)
{
  return s && strstr((const char *)s, "filter") != NULL;
}

/* TRUE when the SVG uses filter effects: a <filter> element, a filter
 * attribute or property, or a stylesheet naming one. */
static gboolean svg_has_filters(const xmlNode *n, int depth)
{
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    if (depth > 1024 || xmlStrcasecmp(n->name, (const xmlChar *)"filter") == 0)
      return TRUE;
    for (const xmlAttr *a = n->properties; a; a = a->next) {
      if (mentions_filter(a->name))
        return TRUE;
      if (xmlStrcmp(a->name, (const xmlChar *)"style") == 0 && a->children &&
          mentions_filter(a->children->content))
        return TRUE;
    }
    if (xmlStrcasecmp(n->name, (const xmlChar *)"style") == 0) {
      xmlChar *text = xmlNodeGetContent(n);
      gboolean f = mentions_filter(text);
      xmlFree(text);
      if (f)
        return TRUE;
    }
    if (svg_has_filters(n->children, depth + 1))
      return TRUE;
  }
  return FALSE;
}

static cairo_status_t png_sink(void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append(closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Draws an SVG onto a pixel canvas; returns PNG bytes (with *w, *h). */
static GBytes *render_svg(const guchar *d, gsize n, int max_edge, int *out_w, int *out_h,
                          GError **error)
{
  GBytes *png = NULL;
  RsvgHandle *h = NULL;
  cairo_surface_t *s = NULL;
  GError *err = NULL;
  xmlDoc *doc = xmlReadMemory((const char *)d, (int)MIN(n, (gsize)G_MAXINT), NULL, NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) {
    g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_FORMAT, "malformed SVG");
    goto out;
  }
  gboolean filters = svg_has_filters(xmlDocGetRootElement(doc), 0);
  xmlFreeDoc(doc);
  if (filters) {
    g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_BUDGET,
                "SVG with filter effects (not drawn: their cost is unbounded)");
    goto out;
  }
  h = rsvg_handle_new_from_data(d, n, &err);
  if (!h) {
    g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_FORMAT, "cannot read the SVG: %s",
                err ? err->message : "unknown error");
    goto out;
  }
  gdouble w = 0, hh = 0;
  if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh)) {
    RsvgRectangle ink, logical;
    if (rsvg_handle_get_geometry_for_layer(h, NULL, &(RsvgRectangle){0, 0, 1000, 1000}, &ink,
                                           &logical, NULL)) {
      w = logical.width;
      hh = logical.height;
    }
  }
  if (!(w > 0 && hh > 0 && w < 1e7 && hh < 1e7)) {
    g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_FORMAT, "SVG without a usable size");
    goto out;
  }
  double k = 1;
  if (MAX(w, hh) < KQ_IMAGE_SVG_MIN_EDGE)
    k = KQ_IMAGE_SVG_MIN_EDGE / MAX(w, hh);
  if (w * hh * k * k > KQ_IMAGE_SVG_MAX_PIXELS)
    k = sqrt(KQ_IMAGE_SVG_MAX_PIXELS / (w * hh));
  if (max_edge > 0 && MAX(w, hh) * k > max_edge)
    k = max_edge / MAX(w, hh);
  int pw = MAX(1, (int)lround(w * k)), ph = MAX(1, (int)lround(hh * k));
  s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pw, ph);
  cairo_t *cr = cairo_create(s);
  gboolean ok = rsvg_handle_render_document(h, cr, &(RsvgRectangle){0, 0, pw, ph}, &err);
  cairo_destroy(cr);
  if (!ok || cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_FORMAT, "cannot draw the SVG: %s",
                err ? err->message : cairo_status_to_string(cairo_surface_status(s)));
    goto out;
  }
  GByteArray *buf = g_byte_array_new();
  if (cairo_surface_write_to_png_stream(s, png_sink, buf) != CAIRO_STATUS_SUCCESS) {
    g_byte_array_unref(buf);
    g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_FORMAT, "cannot encode the SVG drawing");
    goto out;
  }
  png = g_byte_array_free_to_bytes(buf);
  *out_w = pw;
  *out_h = ph;
out:
  g_clear_error(&err);
  g_clear_pointer(&s, cairo_surface_destroy);
  g_clear_object(&h);
  return png;
}

/* ---- Decoding ---------------------------------------------------------------------- */

KqImage *kq_image_decode(GBytes *data, guint64 max_pixels, int max_edge, GError **error)
{
  gsize n;
  const guchar *d = g_bytes_get_data(data, &n);
  const char *loader = NULL;
  if (!max_pixels)
    max_pixels = KQ_IMAGE_DEFAULT_MAX_PIXELS;
  Kind kind = sniff(d, n, &loader);
  KqImage *img = NULL;
  switch (kind) {
  case KIND_NONE:
    g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_FORMAT, "not an image format kiosque reads");
    return NULL;
  case KIND_JPEG:
    loader = "jpeg";
    if (!check_jpeg(d, n, error))
      return NULL;
    break;
  case KIND_PNG:
    loader = "png";
    if (!check_png(d, n, error))
      return NULL;
    break;
  case KIND_GIF:
    loader = "gif";
    if (!check_gif(d, n, error))
      return NULL;
    break;
  case KIND_SVG: {
    int w = 0, h = 0;
    GBytes *png = render_svg(d, n, max_edge, &w, &h, error);
    if (!png)
      return NULL;
    img = g_new0(KqImage, 1);
    img->data = png;
    img->media_type = "image/png";
    img->width = w;
    img->height = h;
    return img;
  }
  case KIND_OTHER:
    break;
  }
  gboolean scaled;
  GdkPixbuf *pixbuf = decode_raster(d, n, loader, max_pixels, max_edge, &scaled, error);
  if (!pixbuf)
    return NULL;
  img = g_new0(KqImage, 1);
  img->width = gdk_pixbuf_get_width(pixbuf);
  img->height = gdk_pixbuf_get_height(pixbuf);
  if (kind != KIND_OTHER && !scaled) {
    /* a core media type that decodes whole: kept byte for byte */
    img->data = g_bytes_ref(data);
    img->media_type = kind == KIND_JPEG ? "image/jpeg" : kind == KIND_PNG ? "image/png"
                                                                         : "image/gif";
  } else {
    gchar *buf = NULL;
    gsize len = 0;
    GError *err = NULL;
    gboolean alpha = gdk_pixbuf_get_has_alpha(pixbuf);
    gboolean ok = alpha ? gdk_pixbuf_save_to_buffer(pixbuf, &buf, &len, "png", &err, NULL)
                        : gdk_pixbuf_save_to_buffer(pixbuf, &buf, &len, "jpeg", &err,
                                                    "quality", "90", NULL);
    if (!ok) {
      g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_FORMAT, "cannot convert the %s image: %s",
                  loader, err ? err->message : "unknown error");
      g_clear_error(&err);
      g_clear_pointer(&img, g_free);
    } else {
      img->data = g_bytes_new_take(buf, len);
      img->media_type = alpha ? "image/png" : "image/jpeg";
    }
  }
  g_object_unref(pixbuf);
  return img;
}

/* ---- Reading --------------------------------------------------------------------- */

/* Reads a regular file of at most KQ_IMAGE_MAX_BYTES. Opened non-blocking
 * and checked with fstat() before any read, so a FIFO or device never
 * blocks the run. */
static GBytes *read_regular(const char *path, GError **error)
{
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_REFUSED, "%s", g_strerror(errno));
    return NULL;
  }
  GBytes *bytes = NULL;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_REFUSED, "%s", g_strerror(errno));
  } else if (!S_ISREG(st.st_mode)) {
    g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_REFUSED, "not a regular file");
  } else if ((guint64)st.st_size > KQ_IMAGE_MAX_BYTES) {
    g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_BUDGET, "%lld bytes, over the %u limit",
                (long long)st.st_size, KQ_IMAGE_MAX_BYTES);
  } else {
    GByteArray *buf = g_byte_array_sized_new((guint)st.st_size);
    guchar chunk[65536];
    ssize_t got;
    while ((got = read(fd, chunk, sizeof chunk)) > 0 && buf->len + (gsize)got <= KQ_IMAGE_MAX_BYTES)
      g_byte_array_append(buf, chunk, (guint)got);
    if (got < 0 && errno != EINTR) {
      g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_REFUSED, "%s", g_strerror(errno));
      g_byte_array_unref(buf);
    } else if (got > 0) {
      g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_BUDGET, "over the %u-byte limit",
                  KQ_IMAGE_MAX_BYTES);
      g_byte_array_unref(buf);
    } else {
      bytes = g_byte_array_free_to_bytes(buf);
    }
  }
  close(fd);
  return bytes;
}

KqImage *kq_image_load_file(const char *path, guint64 max_pixels, int max_edge,
                            GError **error)
{
  GError *err = NULL;
  GBytes *data = read_regular(path, &err);
  KqImage *img = data ? kq_image_decode(data, max_pixels, max_edge, &err) : NULL;
  g_clear_pointer(&data, g_bytes_unref);
  if (!img) {
    g_set_error(error, KQ_IMAGE_ERROR, err->code, "%s: %s", path, err->message);
    g_error_free(err);
    return NULL;
  }
  char *real = realpath(path, NULL);
  img->key = g_strdup(real ? real : path);
  free(real);
  return img;
}

/* The bytes of a data: URI ("data:[type][;base64],payload"), or NULL. */
static GBytes *data_uri_bytes(const char *uri, GError **error)
{
  const char *comma = strchr(uri, ',');
  if (!comma) {
    g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_FORMAT, "malformed data: URI");
    return NULL;
  }
  gboolean base64 = FALSE;
  for (const char *p = uri + 5; p + 7 <= comma; p++)
    if (g_ascii_strncasecmp(p, ";base64", 7) == 0 && (p + 7 == comma || p[7] == ';'))
      base64 = TRUE;
  gsize len = strlen(comma + 1);
  if ((base64 ? len / 4 * 3 : len) > KQ_IMAGE_MAX_BYTES) {
    g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_BUDGET, "data: URI over the %u-byte limit",
                KQ_IMAGE_MAX_BYTES);
    return NULL;
  }
  GBytes *bytes = g_uri_unescape_bytes(comma + 1, -1, NULL, NULL);
  if (bytes && base64) {
    /* base64 after percent-decoding; spaces and newlines are ignored */
    gsize n;
    const char *s = g_bytes_get_data(bytes, &n);
    GString *clean = g_string_sized_new(n + 4);
    for (gsize i = 0; i < n; i++)
      if (g_ascii_isalnum(s[i]) || s[i] == '+' || s[i] == '/' || s[i] == '=')
        g_string_append_c(clean, s[i]);
    gsize out = 0;
    guchar *raw = g_base64_decode(clean->str, &out);
    g_string_free(clean, TRUE);
    g_bytes_unref(bytes);
    bytes = g_bytes_new_take(raw, out);
  }
  if (!bytes)
    g_set_error(error, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_FORMAT, "malformed data: URI");
  return bytes;
}

/* ---- The resolver ---------------------------------------------------------------- */

/* The answer for one image: the image, or why it was refused. */
typedef struct {
  KqImage *image; /* owned; NULL when refused */
  char *reason;   /* owned; set when refused */
} Entry;

static void entry_free(gpointer p)
{
  Entry *e = p;
  kq_image_free(e->image);
  g_free(e->reason);
  g_free(e);
}

/* The answers so far, shared by the threads that resolve: the lock and
 * what it guards, set up and torn down together. */
typedef struct {
  GMutex lock;
  GHashTable *by_key; /* key -> Entry* (owned) */
  GHashTable *by_use; /* "source_path\nsrc" -> Entry* (borrowed) */
  GHashTable *busy;   /* keys being decoded by some thread (set) */
  GCond done;         /* signalled when a key leaves busy */
} Answers;

static void answers_init(Answers *a)
{
  g_mutex_init(&a->lock);
  g_cond_init(&a->done);
  a->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, entry_free);
  a->by_use = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  a->busy = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

static void answers_clear(Answers *a)
{
  g_hash_table_unref(a->by_use);
  g_hash_table_unref(a->by_key);
  g_hash_table_unref(a->busy);
  g_mutex_clear(&a->lock);
  g_cond_clear(&a->done);
}

struct KqImageResolver {
  char **roots; /* roots.h */
  guint64 max_pixels;
  int max_edge;
  KqLog *log;
  KqImageFetchFunc fetch;
  gpointer fetch_data;
  gboolean remote_reported; /* the caller reports remote images left out */
  Answers answers;
};

KqImageResolver *kq_image_resolver_new(const char *const *roots, guint64 max_pixels,
                                       int max_edge, KqLog *log)
{
  KqImageResolver *r = g_new0(KqImageResolver, 1);
  r->roots = kq_roots_new(roots);
  r->max_pixels = max_pixels ? max_pixels : KQ_IMAGE_DEFAULT_MAX_PIXELS;
  r->max_edge = MAX(max_edge, 0);
  r->log = log;
  answers_init(&r->answers);
  return r;
}

void kq_image_resolver_free(KqImageResolver *r)
{
  if (!r)
    return;
  g_strfreev(r->roots);
  answers_clear(&r->answers);
  g_free(r);
}

void kq_image_resolver_set_fetch(KqImageResolver *r, KqImageFetchFunc fetch, gpointer user_data)
{
  r->fetch = fetch;
  r->fetch_data = user_data;
}

void kq_image_resolver_set_remote_reported(KqImageResolver *r, gboolean reported)
{
  r->remote_reported = reported;
}

typedef enum { SRC_FILE, SRC_DATA, SRC_REMOTE, SRC_REFUSED } SrcKind;

/* Classifies src; for SRC_FILE *path is the file it names (new), for
 * SRC_REMOTE *path is the absolute URL (new); for SRC_REFUSED *why says why
 * (static). */
static SrcKind classify(const char *source_path, const char *src, char **path, const char **why)
{
  *path = NULL;
  *why = NULL;
  const char *colon = strchr(src, ':');
  gboolean has_scheme = FALSE;
  if (colon && colon > src + 1 && g_ascii_isalpha(src[0])) {
    /* one letter before a colon is a Windows drive, not a scheme */
    has_scheme = TRUE;
    for (const char *p = src; p < colon; p++)
      if (!g_ascii_isalnum(*p) && *p != '+' && *p != '-' && *p != '.')
        has_scheme = FALSE;
  }
  if (has_scheme) {
    gsize n = (gsize)(colon - src);
    if (n == 4 && g_ascii_strncasecmp(src, "file", 4) == 0) {
      *path = g_filename_from_uri(src, NULL, NULL);
      if (!*path) {
        *why = "malformed file: URL";
        return SRC_REFUSED;
      }
      return SRC_FILE;
    }
    if (n == 4 && g_ascii_strncasecmp(src, "data", 4) == 0)
      return SRC_DATA;
    if ((n == 4 && g_ascii_strncasecmp(src, "http", 4) == 0) ||
        (n == 5 && g_ascii_strncasecmp(src, "https", 5) == 0)) {
      *path = g_strdup(src);
      return SRC_REMOTE;
    }
    *why = "image URL scheme not allowed";
    return SRC_REFUSED;
  }
  if (g_str_has_prefix(src, "//")) {
    *path = g_strconcat("https:", src, NULL);
    return SRC_REMOTE;
  }
  if (g_path_is_absolute(src)) {
    *path = g_strdup(src);
  } else {
    char *dir = g_path_get_dirname(source_path ? source_path : ".");
    *path = g_build_filename(dir, src, NULL);
    g_free(dir);
  }
  return SRC_FILE;
}

/* Decides and decodes src (no lock held): the entry to record under *key. */
static Entry *resolve_src(KqImageResolver *r, const char *source_path, const char *src,
                          char **key, GBytes **data)
{
  Entry *e = g_new0(Entry, 1);
  char *path = NULL;
  const char *why = NULL;
  GError *err = NULL;
  *key = NULL;
  *data = NULL;
  switch (classify(source_path, src, &path, &why)) {
  case SRC_REFUSED:
    e->reason = g_strdup(why);
    break;
  case SRC_FILE: {
    char *real = realpath(path, NULL);
    int errsv = errno;
    if (!real && strchr(path, '%')) {
      /* Markdown and HTML sources percent-encode file names. */
      char *unescaped = g_uri_unescape_string(path, NULL);
      if (unescaped)
        real = realpath(unescaped, NULL);
      g_free(unescaped);
    }
    if (!real)
      e->reason = g_strdup(g_strerror(errsv));
    else if (!kq_roots_contain(r->roots, real))
      e->reason = g_strdup("lies outside the paths given on the command line");
    else
      *key = g_strdup(real);
    free(real);
    break;
  }
  case SRC_DATA: {
    GBytes *bytes = data_uri_bytes(src, &err);
    if (!bytes) {
      e->reason = g_strdup(err->message);
      break;
    }
    *key = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, bytes);
    char *k = g_strconcat("data:", *key, NULL);
    g_free(*key);
    *key = k;
    *data = bytes;
    break;
  }
  case SRC_REMOTE:
    if (!r->fetch)
      e->reason = g_strdup("remote image not fetched (kiosque reads local images only)");
    else
      *key = g_strdup(path);
    break;
  }
  g_clear_error(&err);
  g_free(path);
  if (e->reason)
    return e;
  g_clear_pointer(&e, g_free);
  return NULL; /* decided by key: the caller looks it up or loads it */
}

/* Loads the image a key names (a file path, a fetched URL, or given data). */
static Entry *load_key(KqImageResolver *r, const char *key, GBytes *data)
{
  Entry *e = g_new0(Entry, 1);
  GError *err = NULL;
  GBytes *bytes = data ? g_bytes_ref(data) : NULL;
  if (!bytes && key[0] == '/') {
    bytes = read_regular(key, &err);
  } else if (!bytes) {
    bytes = r->fetch(key, r->fetch_data, &err);
    if (!bytes && !err)
      g_set_error(&err, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_REFUSED, "not fetched");
    if (bytes && g_bytes_get_size(bytes) > KQ_IMAGE_MAX_BYTES) {
      g_clear_pointer(&bytes, g_bytes_unref);
      g_set_error(&err, KQ_IMAGE_ERROR, KQ_IMAGE_ERROR_BUDGET, "over the %u-byte limit",
                  KQ_IMAGE_MAX_BYTES);
    }
  }
  if (bytes)
    e->image = kq_image_decode(bytes, r->max_pixels, r->max_edge, &err);
  if (e->image)
    e->image->key = g_strdup(key);
  else
    e->reason = g_strdup(err ? err->message : "unreadable");
  g_clear_error(&err);
  g_clear_pointer(&bytes, g_bytes_unref);
  return e;
}

const KqImage *kq_image_resolve(KqImageResolver *r, const char *source_path, const char *src)
{
  Answers *a = &r->answers;
  char *use = g_strconcat(source_path ? source_path : "", "\n", src ? src : "", NULL);
  g_mutex_lock(&a->lock);
  Entry *known = g_hash_table_lookup(a->by_use, use);
  g_mutex_unlock(&a->lock);
  if (known) {
    g_free(use);
    return known->image;
  }
  char *key = NULL;
  GBytes *data = NULL;
  Entry *refused = src && *src ? resolve_src(r, source_path, src, &key, &data) : NULL;
  if (!refused && !key) {
    refused = g_new0(Entry, 1);
    refused->reason = g_strdup("image without a source");
  }
  if (refused) {
    /* refusals of the source itself are kept under their use only */
    key = g_strconcat("\n", use, NULL);
    g_mutex_lock(&a->lock);
    if (!g_hash_table_contains(a->by_key, key))
      g_hash_table_insert(a->by_key, g_strdup(key), refused);
    else
      entry_free(refused);
  } else {
    g_mutex_lock(&a->lock);
    /* one thread decodes a key; others wait for its answer */
    while (g_hash_table_contains(a->busy, key))
      g_cond_wait(&a->done, &a->lock);
    if (!g_hash_table_contains(a->by_key, key)) {
      g_hash_table_add(a->busy, g_strdup(key));
      g_mutex_unlock(&a->lock);
      Entry *e = load_key(r, key, data);
      g_mutex_lock(&a->lock);
      g_hash_table_insert(a->by_key, g_strdup(key), e);
      g_hash_table_remove(a->busy, key);
      g_cond_broadcast(&a->done);
    }
  }
  Entry *e = g_hash_table_lookup(a->by_key, key);
  gboolean first = !g_hash_table_contains(a->by_use, use);
  if (first)
    g_hash_table_insert(a->by_use, use, e);
  else
    g_free(use);
  g_mutex_unlock(&a->lock);
  gboolean remote = src && (g_ascii_strncasecmp(src, "http:", 5) == 0 ||
                            g_ascii_strncasecmp(src, "https:", 6) == 0 ||
                            g_str_has_prefix(src, "//"));
  if (first && !e->image && !(remote && r->remote_reported)) {
    /* a data: URI can be megabytes long: its start is enough to recognise it */
    gsize len = src ? strlen(src) : 0;
    const char *end = src ? g_utf8_find_prev_char(src, src + MIN(len, 81)) : NULL;
    int shown = len > 80 && end ? (int)(end - src) : (int)len;
    KQ_WARN(r->log, source_path, 0, "image %s%.*s%s: %s; dropped", len ? "" : "\"\"", shown,
            src ? src : "", (gsize)shown < len ? "…" : "", e->reason);
  }
  g_free(key);
  g_clear_pointer(&data, g_bytes_unref);
  return e->image;
}

static void resolve_blocks(KqImageResolver *r, const char *source_path, const GPtrArray *blocks)
{
  for (guint i = 0; blocks && i < blocks->len; i++) {
    const KqBlock *b = g_ptr_array_index(blocks, i);
    if (b->kind == KQ_BLOCK_IMAGE)
      kq_image_resolve(r, source_path, b->src);
    resolve_blocks(r, source_path, b->children);
  }
}

void kq_image_resolve_article(KqImageResolver *r, const KqArticle *article)
{
  resolve_blocks(r, article->source_path, article->blocks);
}
