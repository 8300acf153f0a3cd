/* library.h: a folder of editions as an OPDS 1.2 catalog and an index.html shelf. */
#ifndef KIOSQUE_LIBRARY_H
#define KIOSQUE_LIBRARY_H

#include <glib.h>

#include "kiosque/log.h"

G_BEGIN_DECLS

#define KQ_LIBRARY_ERROR (kq_library_error_quark())
GQuark kq_library_error_quark(void);

typedef enum {
  KQ_LIBRARY_ERROR_FOLDER = 1, /* the folder does not exist or cannot be listed */
  KQ_LIBRARY_ERROR_WRITE,      /* a catalog file could not be written */
} KqLibraryError;

/* Entries per catalog page: past it, catalog-2.xml… with next/previous links. */
#define KQ_LIBRARY_PAGE_SIZE 50

/*
 * Reads every EPUB directly in dir (metadata from its OPF: title, language,
 * identifier, dates, dc:description as the period, kiosque's article pages
 * counted, cover image), pairs it with the PDF of the same stem, and
 * writes, each file atomically, into dir:
 *   covers/STEM.thumb.jpg and covers/STEM.cover.EXT (from the EPUB cover),
 *   catalog.xml (+ catalog-N.xml): an OPDS 1.2 acquisition feed, newest first,
 *   index.html: the same shelf for a browser.
 * Every link is relative, so the folder works served by any static web
 * server and opened from disk. Files of a previous run that no edition
 * needs any more (pages, covers) are removed. An EPUB that cannot be read
 * is skipped with a warning naming it. title: the catalog's title (NULL:
 * the folder's name). written (may be NULL) receives the paths written
 * (new strings). Returns the number of editions, or -1 with error.
 */
int kq_library_write(const char *dir, const char *title, KqLog *log, GPtrArray *written,
                     GError **error);

G_END_DECLS

#endif
