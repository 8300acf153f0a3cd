/* writer.h: options shared by the EPUB and PDF writers, and their entry points. */
#ifndef KIOSQUE_WRITER_H
#define KIOSQUE_WRITER_H

#include <glib.h>

#include "kiosque/collect.h"
#include "kiosque/datadir.h"
#include "kiosque/image.h"
#include "kiosque/log.h"
#include "kiosque/output.h"

G_BEGIN_DECLS

/* KQ_WRITE_ERROR, the writers' error domain, is in output.h (render/ uses it too). */

/* Borrowed strings; the caller keeps them alive during the write. */
typedef struct {
  const char *style;         /* style name, default "default" */
  const char *css_file;      /* --css, replaces styles/STYLE.css */
  const char *theme_file;    /* --theme, replaces styles/STYLE.theme */
  const char *cover_file;    /* --cover */
  const char *paper;         /* "a4" (default), "a5", "letter"; NULL: theme's */
  int columns;               /* 0: theme's */
  gboolean embed_fonts;      /* EPUB: embed the body font */
  gboolean no_clobber;
  const char *const *roots;  /* paths given on the command line: images must lie inside */
  const char *collection;    /* series name for --split (belongs-to-collection), or NULL */
  int collection_position;   /* 1-based position in the series */
  gint64 timestamp;          /* SOURCE_DATE_EPOCH, else newest article; -1 if none */
  guint64 max_image_pixels;  /* images larger than this are dropped (with a warning)
                              * before any pixel is decoded; 0: the default */
  KqProgressFunc progress;   /* NULL: none; "pages" (PDF) or "articles" (EPUB) done of total */
  gpointer progress_data;
  int max_image_edge;        /* images whose longer side exceeds this many pixels are
                              * scaled down and re-encoded (--max-size); 0: never */
  KqImageResolver *images;   /* shared by every write of a run so each refused image is
                              * reported once (image.h); NULL: the writer makes its own
                              * from roots, max_image_pixels and max_image_edge */
  const char *creator;       /* the edition's one author in both formats' metadata
                              * (--creator); NULL: KQ_DEFAULT_CREATOR */
} KqWriteOptions;

/* The edition's author when --creator is not given: the sites an edition
 * gathers are its contributors, not its authors. */
#define KQ_DEFAULT_CREATOR "kiosque"

/* The default image cap: 40 megapixels (a 160 MB decoded picture). */
#define KQ_DEFAULT_MAX_IMAGE_PIXELS KQ_IMAGE_DEFAULT_MAX_PIXELS
/* The longer side images are scaled down to when an edition must fit a
 * size (--max-size): an e-reader screen's height. */
#define KQ_SIZE_LIMITED_IMAGE_EDGE 1600

void kq_write_options_init(KqWriteOptions *opts);

/* The image resolver a write uses (image.h): opts->images when the run
 * shares one, else a new one made from roots, max_image_pixels and
 * max_image_edge, also stored in *own, which the writer frees with
 * kq_image_resolver_free(); *own is NULL when the resolver is shared. */
KqImageResolver *kq_write_options_images(const KqWriteOptions *opts, KqLog *log,
                                         KqImageResolver **own);

/* kq_edition_timestamp(), the timestamp every output embeds, is in collect.h. */


/* Each writes one file atomically (output.h); FALSE with error on failure,
 * the previous file untouched. */
gboolean kq_epub_write(const KqEdition *edition, const KqWriteOptions *opts,
                       const char *path, KqLog *log, GError **error);
gboolean kq_pdf_write(const KqEdition *edition, const KqWriteOptions *opts,
                      const char *path, KqLog *log, GError **error);

/* The PDF's page plan as text, laid out as kq_pdf_write() would and not
 * drawn: one line per page and per placement (column, x, y, article and
 * item, line range), each followed by its lines as broken. For golden
 * tests and for seeing why a page came out as it did. NULL with error when
 * the theme or fonts cannot be loaded. Caller frees. */
char *kq_pdf_plan_text(const KqEdition *edition, const KqWriteOptions *opts, KqLog *log,
                       GError **error);

G_END_DECLS

#endif
