/* xhtml.h: private to the EPUB writer: XML escaping, link sanitizing, model blocks to XHTML. */
#ifndef KQ_EPUB_XHTML_H
#define KQ_EPUB_XHTML_H

#include <glib.h>

#include "kiosque/article.h"

G_BEGIN_DECLS

/* Appends text (len < 0: NUL-terminated) escaped for XML content and
 * attribute values (& < > " escaped). Dropped on the way: bytes that are
 * not UTF-8, characters XML 1.0 forbids (C0 controls but tab and newlines,
 * U+FFFE, U+FFFF, other noncharacters), C1 controls, bidi embedding,
 * override and isolate controls (U+202A–U+202E, U+2066–U+2069), and soft
 * hyphens (HY-5: the EPUB never contains U+00AD). U+00A0 and U+202F stay
 * UTF-8 characters (R-6). */
void kq_xhtml_escape(GString *out, const char *text, gssize len);

/* As kq_xhtml_escape(), with <wbr/> at the L-4 break points of every token
 * (run of non-spaces) of at least KQ_XHTML_BREAKABLE_MIN bytes that is a
 * URL (http://, https://, www.), or of every such token when code is TRUE
 * (inline code), so that a justified line never stretches around an
 * unbreakable URL (typographie.md L-4). */
#define KQ_XHTML_BREAKABLE_MIN 12
void kq_xhtml_escape_breakable(GString *out, const char *text, gssize len, gboolean code);

/* Appends markup: format as it is, but each %s replaced by its argument
 * (a string, NULL: nothing) escaped by kq_xhtml_escape(); %% is a percent
 * sign. No other conversion. */
void kq_xhtml_append(GString *out, const char *format, ...) G_GNUC_PRINTF(2, 3);

/* Returns the text kq_xhtml_escape() would keep, unescaped; caller frees. */
char *kq_xhtml_clean_text(const char *text);

/* A link target safe to keep: http, https and mailto URLs only, characters
 * outside URI syntax percent-encoded. NULL for anything else (javascript:,
 * data:, file:, relative links, malformed URLs). Caller frees. */
char *kq_xhtml_safe_href(const char *href);

/* A well-formed BCP 47 tag from lang ("fr_FR" -> "fr-FR"), or NULL when
 * lang is NULL or not a language tag. Caller frees. */
char *kq_xhtml_lang_tag(const char *lang);

/* Appends ' lang="L" xml:lang="L"' (L already a clean tag). */
void kq_xhtml_lang_attrs(GString *out, const char *tag);

/* What block rendering asks its caller for. image() returns the package
 * href of the block's image (borrowed until the write ends) or NULL when the
 * image is dropped; it may warn. */
typedef struct {
  const char *(*image)(const KqBlock *block, gpointer user_data);
  gpointer user_data;
  const char *lang; /* BCP 47 tag of the enclosing element */
} KqXhtmlContext;

/* Inline runs: styles as em/strong/code/sup/sub, safe links as <a>, a
 * run's own language as a span with lang/xml:lang, breaks as <br/>. */
void kq_xhtml_runs(GString *out, const GPtrArray *runs, const char *lang);

/* Body blocks. Headings keep the source's levels relative
 * (kq_heading_depth_next()): depth 1 is h2 (the article title is h1); tables become tables (thead for leading header rows);
 * nesting deeper than KQ_XHTML_MAX_DEPTH is flattened. */
#define KQ_XHTML_MAX_DEPTH 32
void kq_xhtml_blocks(GString *out, const GPtrArray *blocks, const KqXhtmlContext *ctx);

G_END_DECLS

#endif
