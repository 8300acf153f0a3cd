/* html.h: the HTML body path shared by the HTML, feed and JSON readers. */
#ifndef KIOSQUE_HTML_H
#define KIOSQUE_HTML_H

#include <glib.h>

#include "kiosque/article.h"
#include "kiosque/log.h"
#include "kiosque/reader.h"

G_BEGIN_DECLS

/*
 * Converts an HTML fragment (a feed item's content, a JSON "content_html")
 * into model blocks: headings, paragraphs, lists, quotes, figures, code,
 * tables; scripts, styles, forms, iframes, hidden elements and event
 * handlers dropped. Relative links and image sources are resolved against
 * base_url when given. path is only used in warnings. Never fails: returns
 * a new array (possibly empty); caller frees.
 */
GPtrArray *kq_html_fragment_to_blocks(const char *html, gsize len, const char *base_url,
                                      const KqReadOptions *opts, KqLog *log,
                                      const char *path);

/* TRUE when text looks like HTML markup rather than plain text. */
gboolean kq_html_looks_like_markup(const char *text, gsize len);

G_END_DECLS

#endif
