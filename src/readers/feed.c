/* feed.c: the RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 1.0 reader, lenient with real-world damage. */
#include <libxml/HTMLparser.h>
#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <string.h>

#include "kiosque/html.h"
#include "kiosque/lang.h"
#include "kiosque/reader.h"
#include "readers/encoding.h"
#include "readers/feed_text.h"

/*
 * How a feed is read:
 * 1. bytes -> UTF-8 (encoding.c: BOM, declaration, windows-1252 fallback);
 * 2. blank space before the XML declaration removed;
 * 3. a strict parse (no network, no DTD loading, no entity substitution,
 *    libxml2's own amplification limits, no XML_PARSE_HUGE); when the
 *    document is not well-formed, a repaired copy (control characters and
 *    invalid character references dropped, stray '&' and '<' escaped, HTML
 *    entities made numeric) is parsed strictly; when that fails too, libxml2
 *    recovers what it can;
 * 4. each item or entry becomes one article.
 * Every recovery is one warning naming the file (and line when known).
 */

#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_ATOM03 "http://purl.org/atom/ns#"
#define NS_RSS10 "http://purl.org/rss/1.0/"
#define NS_RSS090 "http://my.netscape.com/rdf/simple/0.9/"
#define NS_RSS_USERLAND "http://backend.userland.com/rss2"
#define NS_RSS_HARVARD "http://blogs.law.harvard.edu/tech/rss"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_DCTERMS "http://purl.org/dc/terms/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_FEEDBURNER "http://rssnamespace.org/feedburner/ext/1.0"
#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_XHTML "http://www.w3.org/1999/xhtml"

/* Parser options: no network, no DTD loading (no XML_PARSE_DTDLOAD), no
 * entity substitution (no XML_PARSE_NOENT), libxml2's default size and
 * amplification limits (no XML_PARSE_HUGE), no messages of its own. Blank
 * text nodes are kept (no XML_PARSE_NOBLANKS): in inline XHTML content the
 * space between two elements is a word separator. */
#define FEED_PARSE_OPTIONS                                                         \
  (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | \
   XML_PARSE_IGNORE_ENC | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT)

/* Longest text taken from one metadata element (title, author, date...). */
#define FEED_MAX_FIELD 16384

typedef struct {
  KqFeedSource src;
  int line_offset;   /* lines removed before the parsed buffer */
  KqFeedChannel ch;  /* title, language (language, dc:language), link, and the
                      * Atom feed-level authors, inherited by the entries */
  gboolean atom;
} Feed;

typedef struct {
  gboolean have;
  int line;
  char *message;
} FirstError;

/* ---- Sniffing ------------------------------------------------------------ */

static gboolean has_prefix_ci(const char *p, const char *end, const char *prefix)
{
  gsize n = strlen(prefix);
  return (gsize)(end - p) >= n && g_ascii_strncasecmp(p, prefix, n) == 0;
}

static const char *find_in(const char *p, const char *end, const char *needle)
{
  gsize n = strlen(needle);
  for (; p + n <= end; p++)
    if (memcmp(p, needle, n) == 0)
      return p;
  return NULL;
}

static int sniff_utf8(const char *data, gsize len)
{
  const char *p = data, *end = data + MIN(len, (gsize)65536);
  if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  for (;;) {
    while (p < end && g_ascii_isspace(*p))
      p++;
    if (p >= end || *p != '<')
      return 0;
    const char *close = NULL;
    if (has_prefix_ci(p, end, "<?")) {
      close = find_in(p + 2, end, "?>");
      if (!close)
        return 0;
      p = close + 2;
    } else if (has_prefix_ci(p, end, "<!--")) {
      close = find_in(p + 4, end, "-->");
      if (!close)
        return 0;
      p = close + 3;
    } else if (has_prefix_ci(p, end, "<!DOCTYPE")) {
      int depth = 0;
      for (p += 9; p < end; p++) {
        if (*p == '[')
          depth++;
        else if (*p == ']')
          depth--;
        else if (*p == '>' && depth <= 0)
          break;
      }
      if (p >= end)
        return 0;
      p++;
    } else {
      break;
    }
  }
  /* the root element's name and start tag */
  const char *name = p + 1, *q = name;
  while (q < end && (g_ascii_isalnum(*q) || *q == ':' || *q == '_' || *q == '-' || *q == '.'))
    q++;
  gsize n = (gsize)(q - name);
  const char *colon = memchr(name, ':', n);
  const char *local = colon ? colon + 1 : name;
  gsize local_n = (gsize)(q - local);
  const char *tag_end = find_in(q, end, ">");
  const char *window_end = tag_end ? tag_end : end;
  if (local_n == 3 && strncmp(local, "rss", 3) == 0 && !colon)
    return 100;
  if (local_n == 3 && strncmp(local, "RDF", 3) == 0) {
    const char *w = MIN(end, p + 8192);
    if (find_in(p, w, NS_RSS10) || find_in(p, w, "my.netscape.com/rdf/simple"))
      return 100;
    return find_in(p, w, "<item") || find_in(p, w, ":item") ? 60 : 10;
  }
  if (local_n == 4 && strncmp(local, "feed", 4) == 0) {
    if (find_in(q, window_end, NS_ATOM) || find_in(q, window_end, NS_ATOM03))
      return 100;
    return 40;
  }
  return 0;
}

static int feed_sniff(const char *data, gsize len)
{
  if (!data || len == 0)
    return 0;
  const guchar *d = (const guchar *)data;
  gboolean wide = len >= 4 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF) ||
                               (d[0] != 0 && d[1] == 0 && d[2] != 0 && d[3] == 0) ||
                               (d[0] == 0 && d[1] != 0 && d[2] == 0 && d[3] != 0));
  if (!wide)
    return sniff_utf8(data, len);
  gsize n = MIN(len, (gsize)16384) & ~(gsize)3;
  gsize ulen = 0;
  char *u = kq_encoding_to_utf8(data, n, NULL, &ulen, NULL, NULL);
  int score = sniff_utf8(u, ulen);
  g_free(u);
  return score;
}

/* ---- Parsing ----------------------------------------------------------- */

static void record_error(void *data, xmlErrorPtr err)
{
  (void)data;
  if (!err || !err->ctxt || err->level < XML_ERR_ERROR)
    return;
  xmlParserCtxtPtr ctxt = err->ctxt;
  FirstError *fe = ctxt->_private;
  if (!fe || fe->have)
    return;
  fe->have = TRUE;
  fe->line = err->line;
  fe->message = g_strstrip(g_strdup(err->message ? err->message : "parse error"));
}

/* Parses buf (UTF-8). Returns the document, or NULL; *well_formed tells
 * whether libxml2 found no error. */
static xmlDocPtr parse_xml(const char *buf, gsize len, int options, FirstError *fe,
                           gboolean *well_formed)
{
  *well_formed = FALSE;
  if (len > G_MAXINT)
    return NULL;
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt)
    return NULL;
  ctxt->_private = fe;
  ctxt->sax->serror = record_error;
  xmlDocPtr doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, "UTF-8", options);
  *well_formed = doc != NULL && ctxt->wellFormed;
  xmlFreeParserCtxt(ctxt);
  return doc;
}

/* ---- Tree helpers ------------------------------------------------------- */

static const char *ns_of(const xmlNode *n)
{
  return n->ns && n->ns->href ? (const char *)n->ns->href : NULL;
}

/* RSS's own elements: no namespace, or one of the RSS namespaces. */
static gboolean is_rss_ns(const char *ns)
{
  return ns == NULL || strcmp(ns, NS_RSS10) == 0 || strcmp(ns, NS_RSS090) == 0 ||
         strcmp(ns, NS_RSS_USERLAND) == 0 || strcmp(ns, NS_RSS_HARVARD) == 0;
}

static gboolean is_atom_ns(const char *ns)
{
  return ns && (strcmp(ns, NS_ATOM) == 0 || strcmp(ns, NS_ATOM03) == 0);
}

/* ns: a namespace URI, or NULL for RSS's own elements. */
static gboolean is_el(const xmlNode *n, const char *ns, const char *name)
{
  if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0)
    return FALSE;
  const char *nns = ns_of(n);
  if (!ns)
    return is_rss_ns(nns);
  if (strcmp(ns, NS_ATOM) == 0)
    return is_atom_ns(nns);
  return nns && strcmp(nns, ns) == 0;
}

static int line_of(const Feed *f, const xmlNode *n)
{
  long l = xmlGetLineNo(n);
  return l > 0 && l < G_MAXINT - f->line_offset ? (int)l + f->line_offset : 0;
}

static void append_entity_ref(GString *s, const xmlNode *ref)
{
  const htmlEntityDesc *e = htmlEntityLookup(ref->name);
  if (e) {
    g_string_append_unichar(s, e->value);
    return;
  }
  if (strcmp((const char *)ref->name, "apos") == 0) {
    g_string_append_c(s, '\'');
    return;
  }
  /* an entity of the internal subset: its literal text only, never
   * expanded recursively (no amplification) */
  xmlEntityPtr ent = ref->doc ? xmlGetDocEntity(ref->doc, ref->name) : NULL;
  if (ent && ent->etype == XML_INTERNAL_GENERAL_ENTITY && ent->content &&
      xmlStrlen(ent->content) < 1024 && !xmlStrchr(ent->content, '&') &&
      !xmlStrchr(ent->content, '<'))
    g_string_append(s, (const char *)ent->content);
}

static void append_text(GString *s, const xmlNode *n, int depth, gsize cap)
{
  for (const xmlNode *c = n->children; c && s->len < cap; c = c->next) {
    switch (c->type) {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
      if (c->content)
        g_string_append(s, (const char *)c->content);
      break;
    case XML_ENTITY_REF_NODE:
      append_entity_ref(s, c);
      break;
    case XML_ELEMENT_NODE:
      if (depth > 0)
        append_text(s, c, depth - 1, cap);
      break;
    default:
      break;
    }
  }
}

/* The text of an element and its descendants. Caller frees. */
static char *node_text(const Feed *f, const xmlNode *n, gsize cap)
{
  GString *s = g_string_new(NULL);
  append_text(s, n, f->src.max_depth, cap);
  return g_string_free(s, FALSE);
}

/* node_text() stripped; NULL when blank. */
static char *node_text_trimmed(const Feed *f, const xmlNode *n)
{
  char *t = g_strstrip(node_text(f, n, FEED_MAX_FIELD));
  if (!*t)
    g_clear_pointer(&t, g_free);
  return t;
}

static gboolean has_element_children(const xmlNode *n)
{
  for (const xmlNode *c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      return TRUE;
  return FALSE;
}

/* Inline XHTML children serialized back to markup. Caller frees. */
static char *node_inner_markup(const xmlNode *n)
{
  xmlBufferPtr buf = xmlBufferCreate();
  for (xmlNode *c = n->children; c; c = c->next)
    xmlNodeDump(buf, n->doc, c, 0, 0);
  char *s = g_strdup((const char *)xmlBufferContent(buf));
  xmlBufferFree(buf);
  return s;
}

/* An attribute's value (taken: freed here) trimmed, as a new string; NULL
 * when the attribute is absent or blank. */
static char *trimmed_attr(xmlChar *v)
{
  if (!v)
    return NULL;
  char *s = g_strstrip(g_strdup((const char *)v));
  xmlFree(v);
  if (!*s)
    g_clear_pointer(&s, g_free);
  return s;
}

static char *get_attr(const xmlNode *n, const char *name)
{
  return trimmed_attr(xmlGetProp(n, (const xmlChar *)name));
}

static char *get_ns_attr(const xmlNode *n, const char *name, const char *ns)
{
  return trimmed_attr(xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)ns));
}

/* ---- Values ------------------------------------------------------------ */

/* Resolves a link against xml:base in scope and the feed link (when
 * relative_ok; identifiers such as guid must be absolute already); only
 * http(s) URLs are kept. Caller frees. */
static char *resolve_link(const Feed *f, const xmlNode *n, const char *raw,
                          gboolean relative_ok)
{
  if (!raw || !*raw)
    return NULL;
  char *href = kq_feed_decode_entities(raw);
  g_strstrip(href);
  char *result = NULL;
  xmlChar *node_base = n && relative_ok ? xmlNodeGetBase(n->doc, n) : NULL;
  const char *base = node_base ? (const char *)node_base : relative_ok ? f->ch.base : NULL;
  xmlChar *abs = base ? xmlBuildURI((const xmlChar *)href, (const xmlChar *)base) : NULL;
  const char *u = abs ? (const char *)abs : href;
  if (g_ascii_strncasecmp(u, "http://", 7) == 0 || g_ascii_strncasecmp(u, "https://", 8) == 0)
    result = g_strdup(u);
  xmlFree(abs);
  xmlFree(node_base);
  g_free(href);
  return result;
}

/* "Jane Doe", from "jane@example.org (Jane Doe)", "Jane Doe <jane@...>",
 * "By Jane Doe". Caller frees. */
static char *author_name(const char *raw)
{
  char *s = g_strstrip(g_strdup(raw));
  const char *open = strchr(s, '(');
  const char *close = open ? strrchr(open, ')') : NULL;
  if (open && close && close > open + 1 && memchr(s, '@', (gsize)(open - s))) {
    char *name = g_strstrip(g_strndup(open + 1, (gsize)(close - open - 1)));
    g_free(s);
    s = name;
  } else {
    char *lt = strchr(s, '<');
    if (lt && lt > s && strchr(lt, '@') && strchr(lt, '>')) {
      *lt = '\0';
      g_strstrip(s);
    }
  }
  if (g_ascii_strncasecmp(s, "by ", 3) == 0 || g_ascii_strncasecmp(s, "par ", 4) == 0) {
    char *rest = g_strstrip(g_strdup(strchr(s, ' ') + 1));
    g_free(s);
    s = rest;
  }
  return s;
}

static void add_author(GPtrArray *authors, const char *raw)
{
  if (!raw)
    return;
  char *clean = kq_feed_clean_inline(raw, FALSE);
  char *name = author_name(clean);
  kq_strv_add_unique(authors, name);
  g_free(name);
  g_free(clean);
}

static void parse_date(const Feed *f, const xmlNode *n, KqDate *out)
{
  if (!n || out->set)
    return;
  char *text = node_text_trimmed(f, n);
  if (!text)
    return;
  char *warning = NULL;
  KqDate d;
  if (kq_date_parse(text, &d, &warning)) {
    *out = d;
    if (warning)
      KQ_WARN(f->src.log, f->src.path, line_of(f, n), "<%s>: %s", (const char *)n->name, warning);
  } else {
    KQ_WARN(f->src.log, f->src.path, line_of(f, n), "<%s>: unreadable date \"%s\"",
            (const char *)n->name, text);
  }
  g_free(warning);
  g_free(text);
}

/* ---- Bodies -------------------------------------------------------------- */

/* How an element's content is to be read. */
typedef enum {
  BODY_GUESS = 0, /* RSS: HTML when it looks like markup */
  BODY_TEXT,      /* Atom type="text" */
  BODY_HTML,      /* Atom type="html" */
  BODY_XHTML,     /* Atom type="xhtml" */
  BODY_SKIP,      /* Atom content of another media type, or out of line (src) */
} BodyType;

static BodyType atom_type(const xmlNode *n)
{
  char *type = get_attr(n, "type");
  BodyType t = BODY_TEXT;
  if (!type)
    t = is_atom_ns(ns_of(n)) ? BODY_TEXT : BODY_GUESS;
  else if (g_ascii_strcasecmp(type, "html") == 0 || g_ascii_strcasecmp(type, "text/html") == 0)
    t = BODY_HTML;
  else if (g_ascii_strcasecmp(type, "xhtml") == 0 ||
           g_ascii_strcasecmp(type, "application/xhtml+xml") == 0)
    t = BODY_XHTML;
  else if (g_ascii_strcasecmp(type, "text") == 0 || g_ascii_strncasecmp(type, "text/", 5) == 0)
    t = BODY_TEXT;
  else if (!is_atom_ns(ns_of(n)))
    t = BODY_GUESS;
  else
    t = BODY_SKIP;
  if (is_atom_ns(ns_of(n)) && xmlHasProp(n, (const xmlChar *)"src"))
    t = BODY_SKIP;
  g_free(type);
  return t;
}

/* The content of an element as a string and whether it is markup.
 * Caller frees. */
static char *body_source(const Feed *f, const xmlNode *n, BodyType type, gboolean *is_html)
{
  *is_html = FALSE;
  if (type == BODY_XHTML || (type != BODY_TEXT && has_element_children(n))) {
    const xmlNode *inner = n;
    /* Atom xhtml content wraps its markup in one xhtml div */
    for (const xmlNode *c = n->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE) {
        if (strcmp((const char *)c->name, "div") == 0 && ns_of(c) &&
            strcmp(ns_of(c), NS_XHTML) == 0 && !c->next)
          inner = c;
        break;
      }
    *is_html = TRUE;
    return node_inner_markup(inner);
  }
  char *text = node_text(f, n, f->src.max_article + 1);
  if (type == BODY_HTML)
    *is_html = TRUE;
  else if (type == BODY_GUESS)
    *is_html = kq_html_looks_like_markup(text, strlen(text));
  return text;
}

/* Blocks for an element's content; NULL when it has no text. */
static GPtrArray *body_blocks(const Feed *f, const xmlNode *n, BodyType type, const char *base)
{
  if (type == BODY_SKIP)
    return NULL;
  gboolean is_html = FALSE;
  char *src = body_source(f, n, type, &is_html);
  GPtrArray *blocks = NULL;
  gsize len = strlen(src);
  len = kq_feed_cut_body(&f->src, src, len, line_of(f, n), "<%s>", (const char *)n->name);
  if (is_html) {
    blocks = kq_feed_html_blocks(&f->src, src, len, base);
  } else if (type == BODY_TEXT) {
    blocks = kq_blocks_from_plain_text(src, (gssize)len);
  } else {
    /* RSS text without tags: its entities are still HTML's. When they
     * spell tags ("&lt;p&gt;" in the XML, escaped twice), the text is
     * HTML encoded once too often. */
    char *once = kq_feed_decode_entities_once(src);
    if (strchr(once, '<') && kq_html_looks_like_markup(once, strlen(once))) {
      KQ_WARN(f->src.log, f->src.path, line_of(f, n),
              "<%s>: HTML escaped twice (\"&amp;lt;p&amp;gt;\"): read as HTML",
              (const char *)n->name);
      blocks = kq_feed_html_blocks(&f->src, once, strlen(once), base);
    } else {
      char *plain = kq_feed_decode_entities(src);
      blocks = kq_blocks_from_plain_text(plain, -1);
      g_free(plain);
    }
    g_free(once);
  }
  g_free(src);
  if (blocks && blocks->len == 0)
    g_clear_pointer(&blocks, g_ptr_array_unref);
  return blocks;
}

/* ---- Items --------------------------------------------------------------- */

/* What an item or entry holds, collected in one pass over its children. */
typedef struct {
  const xmlNode *title, *link, *guid, *orig_link, *alt_link, *atom_id;
  const xmlNode *content, *description, *summary;
  const xmlNode *pub_date, *dc_date, *published, *issued, *updated, *modified;
  const xmlNode *language;
  GPtrArray *author_nodes;   /* borrowed nodes: author, dc:creator, atom:author */
  GPtrArray *category_nodes; /* borrowed nodes: category, dc:subject */
} ItemParts;

static void set_first(const xmlNode **slot, const xmlNode *n)
{
  if (!*slot)
    *slot = n;
}

static gboolean is_alternate_link(const xmlNode *n)
{
  char *rel = get_attr(n, "rel");
  gboolean alt = !rel || g_ascii_strcasecmp(rel, "alternate") == 0;
  g_free(rel);
  return alt;
}

/* Where an item's elements go: a slot keeps the first such element, a list
 * (authors, categories) every one. "link" is not here: which link it is
 * depends on its attributes (collect_parts()). */
typedef enum {
  V_FEED,       /* RSS's or Atom's own elements */
  V_ATOM,       /* Atom's only */
  V_DC,         /* Dublin Core elements or terms */
  V_CONTENT,    /* RSS content module */
  V_FEEDBURNER, /* FeedBurner's extension */
} Vocabulary;

#define PART_SLOT(field) FALSE, G_STRUCT_OFFSET(ItemParts, field)
#define PART_LIST(field) TRUE, G_STRUCT_OFFSET(ItemParts, field)

static const struct {
  Vocabulary vocabulary;
  const char *name;
  gboolean list; /* the member at offset is a GPtrArray of nodes, else a node slot */
  glong offset;
} PART_ELEMENTS[] = {
    {V_FEED, "title", PART_SLOT(title)},
    {V_FEED, "guid", PART_SLOT(guid)},
    {V_ATOM, "id", PART_SLOT(atom_id)},
    {V_FEED, "description", PART_SLOT(description)},
    {V_FEED, "summary", PART_SLOT(summary)},
    {V_ATOM, "content", PART_SLOT(content)},
    {V_FEED, "pubDate", PART_SLOT(pub_date)},
    {V_FEED, "published", PART_SLOT(published)},
    {V_FEED, "issued", PART_SLOT(issued)},
    {V_FEED, "created", PART_SLOT(issued)},
    {V_FEED, "updated", PART_SLOT(updated)},
    {V_FEED, "modified", PART_SLOT(modified)},
    {V_FEED, "author", PART_LIST(author_nodes)},
    {V_FEED, "category", PART_LIST(category_nodes)},
    {V_DC, "title", PART_SLOT(title)},
    {V_DC, "date", PART_SLOT(dc_date)},
    {V_DC, "issued", PART_SLOT(issued)},
    {V_DC, "created", PART_SLOT(issued)},
    {V_DC, "modified", PART_SLOT(modified)},
    {V_DC, "creator", PART_LIST(author_nodes)},
    {V_DC, "subject", PART_LIST(category_nodes)},
    {V_DC, "language", PART_SLOT(language)},
    {V_CONTENT, "encoded", PART_SLOT(content)},
    {V_FEEDBURNER, "origLink", PART_SLOT(orig_link)},
};

static gboolean in_vocabulary(Vocabulary v, const char *ns)
{
  switch (v) {
  case V_FEED:
    return is_rss_ns(ns) || is_atom_ns(ns);
  case V_ATOM:
    return is_atom_ns(ns);
  case V_DC:
    return g_strcmp0(ns, NS_DC) == 0 || g_strcmp0(ns, NS_DCTERMS) == 0;
  case V_CONTENT:
    return g_strcmp0(ns, NS_CONTENT) == 0;
  case V_FEEDBURNER:
    return g_strcmp0(ns, NS_FEEDBURNER) == 0;
  }
  return FALSE;
}

static void collect_parts(const xmlNode *item, ItemParts *p)
{
  for (const xmlNode *c = item->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    const char *ns = ns_of(c);
    const char *name = (const char *)c->name;
    if (strcmp(name, "link") == 0 && in_vocabulary(V_FEED, ns)) {
      /* RSS's <link> holds the URL; Atom's (and an RSS one with
       * attributes) points to it with href and rel */
      if (is_atom_ns(ns) || c->properties) {
        if (is_alternate_link(c) && xmlHasProp(c, (const xmlChar *)"href"))
          set_first(&p->alt_link, c);
      } else {
        set_first(&p->link, c);
      }
      continue;
    }
    for (gsize k = 0; k < G_N_ELEMENTS(PART_ELEMENTS); k++) {
      if (strcmp(name, PART_ELEMENTS[k].name) != 0 ||
          !in_vocabulary(PART_ELEMENTS[k].vocabulary, ns))
        continue;
      gpointer member = G_STRUCT_MEMBER_P(p, PART_ELEMENTS[k].offset);
      if (PART_ELEMENTS[k].list)
        g_ptr_array_add(*(GPtrArray **)member, (gpointer)c);
      else
        set_first((const xmlNode **)member, c);
      break;
    }
  }
}

static char *link_from_element(const Feed *f, const xmlNode *n, gboolean relative_ok)
{
  if (!n)
    return NULL;
  char *raw = n->properties ? get_attr(n, "href") : NULL;
  if (!raw)
    raw = node_text_trimmed(f, n);
  char *url = resolve_link(f, n, raw, relative_ok);
  g_free(raw);
  return url;
}

static char *item_url(const Feed *f, const xmlNode *item, const ItemParts *p)
{
  char *url = link_from_element(f, p->orig_link, TRUE);
  if (!url)
    url = link_from_element(f, p->link, TRUE);
  if (!url)
    url = link_from_element(f, p->alt_link, TRUE);
  if (!url && p->guid) {
    char *perma = get_attr(p->guid, "isPermaLink");
    if (!perma || g_ascii_strcasecmp(perma, "false") != 0)
      url = link_from_element(f, p->guid, FALSE);
    g_free(perma);
  }
  if (!url && p->atom_id)
    url = link_from_element(f, p->atom_id, FALSE);
  if (!url) {
    char *about = get_ns_attr(item, "about", NS_RDF);
    url = resolve_link(f, item, about, FALSE);
    g_free(about);
  }
  return url;
}

static char *title_text(const Feed *f, const xmlNode *n)
{
  if (!n)
    return NULL;
  BodyType type = atom_type(n);
  gboolean is_html = FALSE;
  char *src = body_source(f, n, type, &is_html);
  char *clean = kq_feed_clean_inline(src, type == BODY_HTML || type == BODY_XHTML);
  g_free(src);
  return clean;
}

static void add_topics(const Feed *f, KqArticle *a, const GPtrArray *nodes)
{
  for (guint i = 0; i < nodes->len; i++) {
    const xmlNode *n = g_ptr_array_index(nodes, i);
    char *t = NULL;
    if (is_atom_ns(ns_of(n))) {
      t = get_attr(n, "label");
      if (!t)
        t = get_attr(n, "term");
    }
    if (!t)
      t = node_text_trimmed(f, n);
    if (t) {
      char *clean = kq_feed_clean_inline(t, FALSE);
      kq_strv_add_unique(a->topics, clean);
      g_free(clean);
    }
    g_free(t);
  }
}

static void add_authors(const Feed *f, GPtrArray *authors, const GPtrArray *nodes)
{
  for (guint i = 0; i < nodes->len; i++) {
    const xmlNode *n = g_ptr_array_index(nodes, i);
    if (is_atom_ns(ns_of(n)) && has_element_children(n)) {
      const xmlNode *name = NULL, *email = NULL;
      for (const xmlNode *c = n->children; c; c = c->next) {
        if (is_el(c, NS_ATOM, "name"))
          set_first(&name, c);
        else if (is_el(c, NS_ATOM, "email"))
          set_first(&email, c);
      }
      char *t = node_text_trimmed(f, name ? name : email ? email : n);
      add_author(authors, t);
      g_free(t);
    } else {
      char *t = node_text_trimmed(f, n);
      add_author(authors, t);
      g_free(t);
    }
  }
}

/* Plain text of the first characters of blocks, whitespace collapsed. */
static char *blocks_head(const GPtrArray *blocks, gsize n)
{
  char *t = kq_blocks_to_text(blocks);
  char *c = kq_feed_clean_inline(t, FALSE);
  g_free(t);
  if (strlen(c) > n) {
    const char *end = g_utf8_find_prev_char(c, c + n + 1);
    c[end ? end - c : (gssize)n] = '\0';
  }
  return c;
}

static void read_item(Feed *f, const xmlNode *item, GPtrArray *out)
{
  ItemParts p = {0};
  p.author_nodes = g_ptr_array_new();
  p.category_nodes = g_ptr_array_new();
  collect_parts(item, &p);
  int line = line_of(f, item);

  KqArticle *a = kq_article_new(f->src.path, KQ_FORMAT_FEED);
  char *title = title_text(f, p.title);
  kq_set_string(&a->title, title);
  g_free(title);
  a->url = item_url(f, item, &p);
  kq_set_string(&a->site, f->ch.site);

  /* dates: the first published-like one, else the updated one */
  parse_date(f, p.pub_date, &a->published);
  parse_date(f, p.published, &a->published);
  parse_date(f, p.dc_date, &a->published);
  parse_date(f, p.issued, &a->published);
  parse_date(f, p.updated, &a->updated);
  parse_date(f, p.modified, &a->updated);
  if (!a->published.set && a->updated.set) {
    a->published = a->updated;
    a->updated.set = FALSE;
  } else if (a->updated.set && kq_date_compare(&a->published, &a->updated) == 0) {
    a->updated.set = FALSE;
  }

  add_authors(f, a->authors, p.author_nodes);
  kq_feed_channel_inherit_authors(&f->ch, a);
  add_topics(f, a, p.category_nodes);

  /* body: full content over the description / summary */
  const char *base = a->url ? a->url : f->ch.base;
  const xmlNode *summary = p.description ? p.description : p.summary;
  GPtrArray *blocks = NULL;
  if (p.content)
    blocks = body_blocks(f, p.content, atom_type(p.content), base);
  if (blocks && summary) {
    /* a distinct short summary becomes the standfirst */
    BodyType st = atom_type(summary);
    gboolean is_html = FALSE;
    char *src = body_source(f, summary, st, &is_html);
    char *text = kq_feed_clean_inline(src, is_html);
    g_free(src);
    if (text && *text && g_utf8_strlen(text, -1) <= 600) {
      gsize n = MIN(strlen(text), (gsize)80);
      char *head = blocks_head(blocks, n);
      if (strncmp(head, text, MIN(n, strlen(head))) != 0 || strlen(head) < n / 2)
        kq_set_string(&a->standfirst, text);
      g_free(head);
    }
    g_free(text);
  } else if (!blocks && summary) {
    blocks = body_blocks(f, summary, atom_type(summary), base);
  }
  if (blocks) {
    g_ptr_array_extend_and_steal(a->blocks, blocks);
  }

  /* language: xml:lang on the element the body came from (it speaks of
   * the text itself), else the item's own, else the feed's, else xml:lang
   * in scope */
  const xmlNode *body_node = p.content ? p.content : summary;
  char *lang = NULL;
  if (body_node && a->blocks->len > 0) {
    xmlChar *own = xmlGetNsProp(body_node, (const xmlChar *)"lang", XML_XML_NAMESPACE);
    if (own && *own)
      lang = g_strdup((const char *)own);
    xmlFree(own);
  }
  if (!lang && p.language)
    lang = node_text_trimmed(f, p.language);
  if (!lang) {
    xmlChar *own = xmlGetNsProp(item, (const xmlChar *)"lang", XML_XML_NAMESPACE);
    if (own && *own)
      lang = g_strdup((const char *)own);
    xmlFree(own);
  }
  if (!lang && f->ch.lang)
    lang = g_strdup(f->ch.lang);
  if (!lang) {
    xmlChar *scope = xmlNodeGetLang(item);
    if (scope && *scope)
      lang = g_strdup((const char *)scope);
    xmlFree(scope);
  }
  a->lang = kq_lang_normalize(lang);
  g_free(lang);

  if (!a->title && !a->url && a->blocks->len == 0) {
    KQ_WARN(f->src.log, f->src.path, line, "<%s> without title, link or content: skipped",
            (const char *)item->name);
    kq_article_free(a);
  } else {
    kq_lang_fix_article(a);
    g_ptr_array_add(out, a);
  }
  g_ptr_array_unref(p.author_nodes);
  g_ptr_array_unref(p.category_nodes);
}

/* ---- Channel ------------------------------------------------------------- */

static void read_channel_meta(Feed *f, const xmlNode *channel)
{
  const xmlNode *title = NULL, *link = NULL, *alt = NULL, *lang = NULL;
  GPtrArray *authors = g_ptr_array_new();
  for (const xmlNode *c = channel->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    if (is_el(c, NULL, "title") || is_el(c, NS_ATOM, "title"))
      set_first(&title, c);
    else if ((is_el(c, NULL, "link") && !c->properties))
      set_first(&link, c);
    else if ((is_el(c, NS_ATOM, "link") || is_el(c, NULL, "link")) && is_alternate_link(c))
      set_first(&alt, c);
    else if (is_el(c, NULL, "language") || is_el(c, NS_DC, "language"))
      set_first(&lang, c);
    else if (f->atom && is_el(c, NS_ATOM, "author"))
      g_ptr_array_add(authors, (gpointer)c);
  }
  char *t = title_text(f, title);
  kq_set_string(&f->ch.site, t);
  g_free(t);
  f->ch.base = link_from_element(f, link, TRUE);
  if (!f->ch.base)
    f->ch.base = link_from_element(f, alt, TRUE);
  if (lang) {
    char *l = node_text_trimmed(f, lang);
    f->ch.lang = kq_lang_normalize(l);
    g_free(l);
  }
  if (authors->len) {
    f->ch.authors = g_ptr_array_new_with_free_func(g_free);
    add_authors(f, f->ch.authors, authors);
  }
  g_ptr_array_unref(authors);
}

static void read_items_of(Feed *f, const xmlNode *parent, const char *item_name,
                          gboolean atom, GPtrArray *out)
{
  for (const xmlNode *c = parent->children; c; c = c->next)
    if (atom ? is_el(c, NS_ATOM, item_name) : is_el(c, NULL, item_name))
      read_item(f, c, out);
}

/* Walks the document; FALSE when it is not a feed. */
static gboolean read_document(Feed *f, xmlDocPtr doc, GPtrArray *out)
{
  const xmlNode *root = xmlDocGetRootElement(doc);
  if (!root)
    return FALSE;
  const char *name = (const char *)root->name;
  if (strcmp(name, "rss") == 0 || (strcmp(name, "channel") == 0 && is_rss_ns(ns_of(root)))) {
    const xmlNode *channel = root;
    for (const xmlNode *c = root->children; c && channel == root; c = c->next)
      if (is_el(c, NULL, "channel"))
        channel = c;
    read_channel_meta(f, channel);
    read_items_of(f, channel, "item", FALSE, out);
    if (channel != root) /* RSS 0.9x feeds that put items beside the channel */
      read_items_of(f, root, "item", FALSE, out);
    return TRUE;
  }
  if (strcmp(name, "RDF") == 0) {
    for (const xmlNode *c = root->children; c; c = c->next)
      if (is_el(c, NULL, "channel")) {
        read_channel_meta(f, c);
        break;
      }
    read_items_of(f, root, "item", FALSE, out);
    return TRUE;
  }
  if (strcmp(name, "feed") == 0 && (is_atom_ns(ns_of(root)) || !ns_of(root))) {
    f->atom = TRUE;
    read_channel_meta(f, root);
    for (const xmlNode *c = root->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "entry") == 0 &&
          (is_atom_ns(ns_of(c)) || !ns_of(c)))
        read_item(f, c, out);
    return TRUE;
  }
  return FALSE;
}

/* ---- Reading ------------------------------------------------------------- */

static gboolean feed_read(const char *path, const char *data, gsize len,
                          const KqReadOptions *opts, KqLog *log, GPtrArray *out,
                          GError **error)
{
  Feed f = {.src = kq_feed_source(path, opts, log, 0)};
  gboolean ok = FALSE;
  xmlDocPtr doc = NULL;
  char *repaired = NULL;
  FirstError fe = {0}, fe2 = {0};
  char *note = NULL, *info = NULL;
  char *declared = kq_encoding_xml_declared(data, len);
  gsize ulen = 0;
  char *utf8 = kq_encoding_to_utf8(data, len, declared, &ulen, &note, &info);
  if (note)
    KQ_WARN(log, path, 0, "%s", note);
  if (info)
    KQ_INFO(log, path, 0, "%s", info);

  /* blank space before the XML declaration */
  const char *buf = utf8;
  gsize blen = ulen;
  gsize ws = 0;
  while (ws < blen && g_ascii_isspace(buf[ws]))
    ws++;
  if (ws > 0 && blen - ws >= 5 && memcmp(buf + ws, "<?xml", 5) == 0) {
    for (gsize i = 0; i < ws; i++)
      if (buf[i] == '\n')
        f.line_offset++;
    KQ_WARN(log, path, 1, "blank space before the XML declaration: ignored");
    buf += ws;
    blen -= ws;
  }
  if (blen == 0 || ws == blen) {
    g_set_error(error, KQ_READ_ERROR, KQ_READ_ERROR_EMPTY, "empty feed");
    goto out;
  }

  gboolean well_formed = FALSE;
  doc = parse_xml(buf, blen, FEED_PARSE_OPTIONS, &fe, &well_formed);
  if (!well_formed) {
    g_clear_pointer(&doc, xmlFreeDoc);
    int first_line = fe.have ? fe.line + f.line_offset : 0;
    const char *why = fe.message ? fe.message : "not well-formed";
    KqFeedRepair stats = {0};
    gsize rlen = 0;
    repaired = kq_feed_repair_xml(buf, blen, &rlen, &stats);
    if (kq_feed_repair_count(&stats) > 0) {
      doc = parse_xml(repaired, rlen, FEED_PARSE_OPTIONS, &fe2, &well_formed);
      char *what = kq_feed_repair_describe(&stats);
      if (well_formed)
        KQ_WARN(log, path, first_line, "not well-formed (%s): %s", why, what);
      g_free(what);
      if (!well_formed)
        g_clear_pointer(&doc, xmlFreeDoc);
    }
    if (!doc) {
      const char *src = repaired && kq_feed_repair_count(&stats) ? repaired : buf;
      gsize slen = repaired && kq_feed_repair_count(&stats) ? rlen : blen;
      FirstError fe3 = {0};
      doc = parse_xml(src, slen, FEED_PARSE_OPTIONS | XML_PARSE_RECOVER, &fe3, &well_formed);
      g_free(fe3.message);
      if (doc && xmlDocGetRootElement(doc))
        KQ_WARN(log, path, first_line, "not well-formed (%s): kept what could be recovered",
                why);
    }
  }
  if (!doc || !xmlDocGetRootElement(doc)) {
    kq_read_error_set(error, KQ_READ_ERROR_SYNTAX, fe.have ? fe.line + f.line_offset : 0, "%s",
                      fe.message ? fe.message : "not XML");
    goto out;
  }
  guint before = out->len;
  if (!read_document(&f, doc, out)) {
    KQ_INFO(log, path, 0, "XML document is not an RSS, RDF or Atom feed: ignored");
  } else if (out->len == before) {
    KQ_INFO(log, path, 0, "feed holds no item");
  }
  ok = TRUE;
out:
  g_clear_pointer(&doc, xmlFreeDoc);
  g_free(repaired);
  g_free(fe.message);
  g_free(fe2.message);
  g_free(note);
  g_free(info);
  g_free(declared);
  g_free(utf8);
  kq_feed_channel_clear(&f.ch);
  return ok;
}

static const char *const feed_extensions[] = {".xml", ".rss", ".atom", ".rdf", NULL};

const KqReader kq_reader_feed = {
    .name = "feed",
    .extensions = feed_extensions,
    .sniff = feed_sniff,
    .read = feed_read,
};
