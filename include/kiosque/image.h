/* image.h: the one image resolver both writers use: which images an article may use, read, checked, decoded within a budget and converted once. */
#ifndef KIOSQUE_IMAGE_H
#define KIOSQUE_IMAGE_H

#include <glib.h>

#include "kiosque/article.h"
#include "kiosque/log.h"

G_BEGIN_DECLS

/*
 * The EPUB writer and the PDF writer decide nothing about images: each asks
 * the resolver, which owns every rule below, so one input gives the same
 * images (same pixels, same bytes) in both outputs and one warning per
 * refused image, whichever writer asks first.
 *
 * What an image source may be:
 *  - a local file (a path relative to the article's file, an absolute path,
 *    a file: URL), percent-decoded when the name as written does not exist
 *    (Markdown and HTML percent-encode file names). It must be a regular
 *    file (a FIFO or device is never opened for reading: the file is opened
 *    non-blocking and checked with fstat() before any read) whose canonical
 *    path lies inside the paths given on the command line (roots.h: a
 *    folder, or the folder of a single file given), of at most
 *    KQ_IMAGE_MAX_BYTES;
 *  - a data: URI (base64 or percent-encoded), of at most KQ_IMAGE_MAX_BYTES
 *    decoded;
 *  - a remote URL (http:, https:, scheme-relative //): handed to the fetch
 *    hook when one is installed (kq_image_resolver_set_fetch()), otherwise
 *    refused, "not fetched": kiosque never touches the network unless asked;
 *  - nothing else (javascript:, ftp:, smb: ...): refused.
 *
 * What the bytes must be (sniffed, never trusted from the name): JPEG, PNG
 * or GIF, kept byte for byte when sound and within the sizes below; SVG,
 * WebP, BMP, TIFF and whatever else gdk-pixbuf reads, converted to PNG
 * (with transparency) or JPEG. Every image is fully decoded once, within a
 * budget that depends only on the bytes (never on time, so the output does
 * not depend on the machine):
 *  - over max_pixels (--max-image-pixels) the image is refused before any
 *    pixel is allocated; over KQ_IMAGE_SCALE_PIXELS or max_edge (--max-size)
 *    it is scaled down and re-encoded;
 *  - JPEG, PNG and GIF are walked segment by segment first: a file that
 *    ends before its end marker (JPEG EOI, PNG IEND, GIF trailer) is
 *    refused as truncated; a JPEG with more than KQ_IMAGE_MAX_JPEG_SCANS
 *    scans, or a JPEG or GIF whose scans (frames) times pixels exceed
 *    KQ_IMAGE_MAX_DECODE_WORK, is refused (the decoder redraws the whole
 *    picture per progressive scan and per frame);
 *  - SVG with filter effects is refused (a filter's cost grows with its
 *    region, kernel and nesting, far beyond the canvas size); other SVG is
 *    drawn by librsvg onto a pixel canvas of at most KQ_IMAGE_SVG_MAX_PIXELS
 *    (so an SVG image never brings its own links or scripts into a PDF),
 *    external references refused.
 *
 * Thread-safe: writers may call kq_image_resolve() from worker threads; a
 * serial kq_image_resolve_article() pass in reading order first makes every
 * warning come from one thread, in order.
 */

/* The default --max-image-pixels: 40 megapixels (a 160 MB decoded picture). */
#define KQ_IMAGE_DEFAULT_MAX_PIXELS (40u * 1000u * 1000u)
/* Files and data: URIs larger than this are not read. */
#define KQ_IMAGE_MAX_BYTES (32u * 1024u * 1024u)
/* Decoded images over this many pixels are scaled down (the EPUB's
 * practical limit); --max-image-pixels refuses larger ones outright. */
#define KQ_IMAGE_SCALE_PIXELS (50u * 1000u * 1000u)
/* Real encoders write at most a few dozen scans (libjpeg's progressive
 * script: 10; mozjpeg: under 70). */
#define KQ_IMAGE_MAX_JPEG_SCANS 100
/* Scans (JPEG) or frames (GIF) times pixels: 2 gigapixel-passes, a few
 * seconds of decoding (40 megapixels × 50 scans). */
#define KQ_IMAGE_MAX_DECODE_WORK (2000ull * 1000ull * 1000ull)
/* The pixel canvas an SVG is drawn on: 4 megapixels (2000×2000). */
#define KQ_IMAGE_SVG_MAX_PIXELS (4u * 1000u * 1000u)
/* SVGs are drawn with their longer side at least this many pixels (when
 * the canvas allows), so a small icon stays sharp on a printed page. */
#define KQ_IMAGE_SVG_MIN_EDGE 1200

/* One image ready to embed. Owned by the resolver (or by the caller of
 * kq_image_decode()); every field lives as long as its owner. */
typedef struct {
  GBytes *data;           /* JPEG, PNG or GIF bytes */
  const char *media_type; /* static: "image/jpeg", "image/png" or "image/gif" */
  int width, height;      /* pixels of data (a GIF: its first frame) */
  char *key;              /* identity: canonical path, URL or "data:SHA256";
                           * two sources naming the same file share it */
} KqImage;

void kq_image_free(KqImage *image);

/* Checks and decodes bytes (any format above) within the budget; data is
 * borrowed. max_pixels 0: KQ_IMAGE_DEFAULT_MAX_PIXELS; max_edge 0: no
 * limit. NULL with a one-line reason in error (KQ_IMAGE_ERROR). Caller frees. */
KqImage *kq_image_decode(GBytes *data, guint64 max_pixels, int max_edge, GError **error);

/* Reads a regular file (no roots check: for the user's own --cover) and
 * decodes it as above. key is the canonical path. Caller frees. */
KqImage *kq_image_load_file(const char *path, guint64 max_pixels, int max_edge,
                            GError **error);

#define KQ_IMAGE_ERROR (kq_image_error_quark())
GQuark kq_image_error_quark(void);
typedef enum {
  KQ_IMAGE_ERROR_REFUSED = 1, /* source not allowed (place, scheme, file type) */
  KQ_IMAGE_ERROR_FORMAT,      /* not an image, truncated or undecodable */
  KQ_IMAGE_ERROR_BUDGET,      /* over a size or decode budget */
} KqImageError;

typedef struct KqImageResolver KqImageResolver;

/* roots: the paths given on the command line (NULL: no local file is
 * allowed; data: URIs still are); borrowed during the call. max_pixels,
 * max_edge: as kq_image_decode(). log: borrowed, outlives the resolver;
 * refused images are reported there. Caller frees. */
KqImageResolver *kq_image_resolver_new(const char *const *roots, guint64 max_pixels,
                                       int max_edge, KqLog *log);
void kq_image_resolver_free(KqImageResolver *resolver);

/*
 * The remote-image hook (the one place a fetcher plugs in). fetch is
 * called for each distinct http:, https: or scheme-relative URL (made
 * absolute as https:) the first time an article uses it, possibly from a
 * worker thread but never twice at once for one URL. It returns the
 * response body (at most KQ_IMAGE_MAX_BYTES, new reference) or NULL with a
 * one-line reason in error (the resolver warns "image URL: reason;
 * dropped"). The bytes then go through exactly the checks a local file
 * does. Without a hook remote images are refused, "not fetched".
 * user_data is borrowed and must outlive the resolver.
 */
typedef GBytes *(*KqImageFetchFunc)(const char *url, gpointer user_data, GError **error);
void kq_image_resolver_set_fetch(KqImageResolver *resolver, KqImageFetchFunc fetch,
                                 gpointer user_data);

/* When reported is TRUE the caller reports remote images left out itself
 * (kq_fetch_edition_images(): one line per input file without
 * --fetch-images, one per failed URL with it, issue 15), and the resolver
 * says nothing more about a remote source it refuses or cannot get. */
void kq_image_resolver_set_remote_reported(KqImageResolver *resolver, gboolean reported);

/*
 * The image src names in the article read from source_path (relative
 * paths are relative to that file's folder), or NULL when it is refused:
 * the first time a (source_path, src) pair is refused one warning naming
 * source_path and src says why; later calls for the pair return the same
 * answer silently. Borrowed result, lives as long as the resolver.
 */
const KqImage *kq_image_resolve(KqImageResolver *resolver, const char *source_path,
                                const char *src);

/* Resolves every image block of the article, in document order: writers
 * call it serially, in reading order, before their workers start. */
void kq_image_resolve_article(KqImageResolver *resolver, const KqArticle *article);

G_END_DECLS

#endif
