/* html_body.h: private DOM -> model conversion shared by html_body.c and html.c. */
#ifndef KIOSQUE_READERS_HTML_BODY_H
#define KIOSQUE_READERS_HTML_BODY_H

#include <glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "kiosque/html.h"

G_BEGIN_DECLS

/* libxml2 options used for every HTML parse: no network, no messages,
 * recover from anything; the encoding is always given by the caller. */
#define KQ_HTML_PARSE_OPTIONS                                                       \
  (HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER | \
   HTML_PARSE_IGNORE_ENC)

/* How a subtree becomes blocks. All pointers are borrowed for the call. */
typedef struct {
  const char *base_url;       /* links and images resolve against it; may be NULL */
  const KqReadOptions *opts;  /* caps; NULL means the defaults */
  KqLog *log;                 /* warnings; may be NULL */
  const char *path;           /* for warnings only; may be NULL */
  const xmlNode *skip;        /* one element left out (the h1 repeating the title) */
} KqHtmlConvert;

/* Converts root and its subtree (root itself included, so a <p> root gives
 * one paragraph; a <body> or <div> root gives its contents). Returns a new
 * array of KqBlock*; caller frees. */
GPtrArray *kq_html_node_to_blocks(const xmlNode *root, const KqHtmlConvert *conv);

/* TRUE when node is the element name (lower case); the first letters are
 * compared before the call, as the readers ask this of every element. */
static inline gboolean kq_html_is(const xmlNode *node, const char *name)
{
  return node && node->type == XML_ELEMENT_NODE && node->name &&
         g_ascii_tolower(node->name[0]) == name[0] &&
         g_ascii_strcasecmp((const char *)node->name, name) == 0;
}

/* The readers' text measures count characters (not bytes) of text as
 * collapsed white space leaves it, one byte at a time: what byte c adds.
 * 0 for white space (noted pending in *space) and for UTF-8 continuation
 * bytes; for a character's first byte 2 when white space is pending and
 * counted says characters came before (the space and the character),
 * else 1. */
static inline int kq_html_count_byte(guchar c, gboolean *space, gboolean counted)
{
  if (g_ascii_isspace(c)) {
    *space = TRUE;
    return 0;
  }
  if ((c & 0xC0) == 0x80)
    return 0;
  int n = *space && counted ? 2 : 1;
  *space = FALSE;
  return n;
}

/* TRUE when node is one of the elements names (lower case, NULL-terminated). */
gboolean kq_html_is_in(const xmlNode *node, const char *const *names);

/* The attribute's value as a new string (caller frees with g_free()), or NULL. */
char *kq_html_attr(const xmlNode *node, const char *name);

/* Appends the visible text under node (dropped and hidden elements
 * skipped, and what lies deeper than 200 levels) as it stands, with a
 * space for each <br> and each element breaks accepts (NULL: none). */
void kq_html_visible_text(const xmlNode *node, GString *out,
                          gboolean (*breaks)(const xmlNode *node));

/* TRUE for elements whose content is never article text: script, style,
 * forms and their controls, iframes, objects, inline svg, templates, nav... */
gboolean kq_html_node_is_dropped(const xmlNode *node);

/* TRUE when the element is hidden: hidden attribute, aria-hidden="true",
 * or an inline style with display:none / visibility:hidden. */
gboolean kq_html_node_is_hidden(const xmlNode *node);

/* Resolves href against base (either may be relative); NULL for
 * javascript:, data: and vbscript: URLs or empty input. Caller frees. */
char *kq_html_resolve_url(const char *href, const char *base);

/* Attributes kept on one element; the rest are dropped before libxml2 parses
 * (its duplicate check is quadratic). */
#define KQ_HTML_MAX_ATTRIBUTES 256

/* The walks over a parsed tree recurse once per level: past this depth a
 * thread's stack is at risk, whatever --max-depth says. */
#define KQ_HTML_MAX_SAFE_DEPTH 10000

/* The depth the tree is flattened at for --max-depth max_depth (0: the
 * default): at most KQ_HTML_MAX_SAFE_DEPTH. */
int kq_html_depth_cap(int max_depth);

/* What kq_html_parse_utf8() cut; zero-initialised by the caller. */
typedef struct {
  guint flattened;     /* elements deeper than max_depth left out, their content kept */
  int flattened_line;  /* where the first was */
  guint attributes;    /* attributes dropped past KQ_HTML_MAX_ATTRIBUTES on one element */
  int attributes_line;
} KqHtmlCuts;

/* Parses a whole UTF-8 HTML buffer (no network, no messages). Elements
 * nested deeper than max_depth (0: the default) are flattened into the one
 * at the cap, so nothing after a deep nest is lost; attribute floods are
 * cut. cuts (may be NULL) counts both. Caller frees the document with
 * xmlFreeDoc(); NULL only when libxml2 gives up. */
htmlDocPtr kq_html_parse_utf8(const char *html, gsize len, const char *url, int max_depth,
                              KqHtmlCuts *cuts);

/* One warning per kind of cut, naming path and line. */
void kq_html_warn_cuts(const KqHtmlCuts *cuts, int max_depth, KqLog *log, const char *path);

G_END_DECLS

#endif
