/* html_boiler.h: private: removes what surrounds an article inside the chosen subtree. */
#ifndef KIOSQUE_READERS_HTML_BOILER_H
#define KIOSQUE_READERS_HTML_BOILER_H

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* Removes from the subtree under article (never article itself) the
 * blocks a reader does not read as the article: photo captions and
 * credits, captions repeated by galleries, related-post and teaser lists
 * and the headings that introduce them, newsletter, tip, donation and
 * sharing boxes, datelines, and short blocks that are mostly links. The
 * decisions use structure, link density, repetition and boilerplate
 * phrases of the languages kiosque guesses (fr en de es pt it nl cs);
 * no block holding a large share of the article's text is removed, so the
 * article never empties. Modifies the tree in place. */
void kq_html_prune_boilerplate(xmlNode *article);

/* TRUE when n is, or mostly wraps, a quoted post (a <blockquote>, such as
 * an embedded tweet): its text is the article's, whatever its class says. */
gboolean kq_html_is_embedded_post(const xmlNode *n);

G_END_DECLS

#endif
