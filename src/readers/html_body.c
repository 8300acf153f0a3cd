/* html_body.c: HTML (a fragment or a page's article subtree) -> model blocks and runs. */
#include "readers/html_body.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/uri.h>

/* ---- Element classes ------------------------------------------------------ */

typedef enum {
  TAG_INLINE = 0, /* transparent: span, font, unknown elements */
  TAG_DROP,       /* never text */
  TAG_BLOCK,      /* generic block container: div, section, article... */
  TAG_P,
  TAG_HEADING,
  TAG_QUOTE,
  TAG_LIST,
  TAG_LI,
  TAG_DT,
  TAG_PRE,
  TAG_TABLE,
  TAG_TABLE_PART, /* tr, td, th, thead, tbody, tfoot, caption */
  TAG_FIGURE,
  TAG_FIGCAPTION,
  TAG_IMG,
  TAG_HR,
  TAG_BR,
  TAG_A,
  TAG_EMPH,
  TAG_STRONG,
  TAG_CODE,
  TAG_SUP,
  TAG_SUB,
} TagKind;

typedef struct {
  const char *name;
  TagKind kind;
} TagEntry;

/* Sorted by name (strcmp), for tag_lookup(). Elements not listed are inline and
 * transparent. embed, source and track are void elements that libxml2 2.9's
 * HTML parser does not know as such: it nests the following siblings inside
 * them, so they must stay transparent rather than drop their "content". */
static const TagEntry tag_table[] = {
  {"a", TAG_A},
  {"address", TAG_BLOCK},
  {"applet", TAG_DROP},
  {"area", TAG_DROP},
  {"article", TAG_BLOCK},
  {"aside", TAG_BLOCK},
  {"audio", TAG_DROP},
  {"b", TAG_STRONG},
  {"base", TAG_DROP},
  {"blockquote", TAG_QUOTE},
  {"body", TAG_BLOCK},
  {"br", TAG_BR},
  {"button", TAG_DROP},
  {"canvas", TAG_DROP},
  {"caption", TAG_TABLE_PART},
  {"center", TAG_BLOCK},
  {"cite", TAG_EMPH},
  {"code", TAG_CODE},
  {"datalist", TAG_DROP},
  {"dd", TAG_BLOCK},
  {"details", TAG_BLOCK},
  {"dfn", TAG_EMPH},
  {"dialog", TAG_DROP},
  {"dir", TAG_LIST},
  {"div", TAG_BLOCK},
  {"dl", TAG_BLOCK},
  {"dt", TAG_DT},
  {"em", TAG_EMPH},
  {"embed", TAG_INLINE}, /* void, unknown to libxml2 2.9: see below */
  {"fieldset", TAG_DROP},
  {"figcaption", TAG_FIGCAPTION},
  {"figure", TAG_FIGURE},
  {"footer", TAG_BLOCK},
  {"form", TAG_DROP},
  {"frame", TAG_DROP},
  {"frameset", TAG_DROP},
  {"h1", TAG_HEADING},
  {"h2", TAG_HEADING},
  {"h3", TAG_HEADING},
  {"h4", TAG_HEADING},
  {"h5", TAG_HEADING},
  {"h6", TAG_HEADING},
  {"head", TAG_DROP},
  {"header", TAG_BLOCK},
  {"hgroup", TAG_BLOCK},
  {"hr", TAG_HR},
  {"html", TAG_BLOCK},
  {"i", TAG_EMPH},
  {"iframe", TAG_DROP},
  {"img", TAG_IMG},
  {"input", TAG_DROP},
  {"kbd", TAG_CODE},
  {"legend", TAG_DROP},
  {"li", TAG_LI},
  {"link", TAG_DROP},
  {"listing", TAG_PRE},
  {"main", TAG_BLOCK},
  {"map", TAG_DROP},
  {"menu", TAG_LIST},
  {"meta", TAG_DROP},
  {"nav", TAG_DROP},
  {"noembed", TAG_DROP},
  {"noframes", TAG_DROP},
  {"noscript", TAG_DROP},
  {"object", TAG_DROP},
  {"ol", TAG_LIST},
  {"optgroup", TAG_DROP},
  {"option", TAG_DROP},
  {"p", TAG_P},
  {"param", TAG_DROP},
  {"plaintext", TAG_PRE},
  {"pre", TAG_PRE},
  {"rp", TAG_DROP},
  {"samp", TAG_CODE},
  {"script", TAG_DROP},
  {"section", TAG_BLOCK},
  {"select", TAG_DROP},
  {"source", TAG_INLINE},
  {"strong", TAG_STRONG},
  {"style", TAG_DROP},
  {"sub", TAG_SUB},
  {"summary", TAG_BLOCK},
  {"sup", TAG_SUP},
  {"svg", TAG_DROP},
  {"table", TAG_TABLE},
  {"tbody", TAG_TABLE_PART},
  {"td", TAG_TABLE_PART},
  {"template", TAG_DROP},
  {"textarea", TAG_DROP},
  {"tfoot", TAG_TABLE_PART},
  {"th", TAG_TABLE_PART},
  {"thead", TAG_TABLE_PART},
  {"title", TAG_DROP},
  {"tr", TAG_TABLE_PART},
  {"track", TAG_INLINE},
  {"tt", TAG_CODE},
  {"ul", TAG_LIST},
  {"var", TAG_EMPH},
  {"video", TAG_DROP},
  {"xmp", TAG_PRE},
};

/* Characters of paragraph text under n, counted up to limit. */
static gsize paragraph_chars(const xmlNode *n, gboolean in_p, gsize limit, int depth)
{
  gsize total = 0;
  for (const xmlNode *k = n->children; k && total < limit; k = k->next) {
    if (k->type == XML_TEXT_NODE && in_p && k->content) {
      for (const xmlChar *c = k->content; *c; c++)
        if (!g_ascii_isspace(*c) && (*c & 0xC0) != 0x80)
          total++;
    } else if (k->type == XML_ELEMENT_NODE && depth < 200 && k->name) {
      const char *name = (const char *)k->name;
      if (g_ascii_strcasecmp(name, "script") == 0 || g_ascii_strcasecmp(name, "style") == 0 ||
          g_ascii_strcasecmp(name, "textarea") == 0 || g_ascii_strcasecmp(name, "select") == 0)
        continue;
      total += paragraph_chars(k, in_p || g_ascii_strcasecmp(name, "p") == 0, limit - total,
                               depth + 1);
    }
  }
  return total;
}

/* A form is a control panel (search, newsletter, login) and is dropped,
 * unless it holds paragraphs of prose: ASP.NET pages wrap the whole page,
 * article included, in one <form>. */
#define FORM_PROSE_CHARS 400

/* Where the names starting with each letter begin in tag_table (sorted,
 * so they are contiguous); built once, read-only afterwards. Every walk
 * over a page asks the kind of every element (a bsearch there cost 3 % of
 * the HTML reader's instructions). */
typedef struct {
  guint8 start[27]; /* names starting with 'a' + i are tag_table[start[i]..start[i + 1]) */
} TagIndex;

static gpointer build_tag_index(gpointer data)
{
  (void)data;
  G_STATIC_ASSERT(G_N_ELEMENTS(tag_table) < 256);
  TagIndex *ix = g_new0(TagIndex, 1);
  guint k = 0;
  for (int c = 0; c < 26; c++) {
    ix->start[c] = (guint8)k;
    while (k < G_N_ELEMENTS(tag_table) && tag_table[k].name[0] == 'a' + c)
      k++;
  }
  ix->start[26] = (guint8)k;
  return ix;
}

static const TagEntry *tag_lookup(const char *lower)
{
  static GOnce once = G_ONCE_INIT;
  const TagIndex *ix = g_once(&once, build_tag_index, NULL);
  if (lower[0] < 'a' || lower[0] > 'z')
    return NULL;
  int c = lower[0] - 'a';
  for (guint k = ix->start[c]; k < ix->start[c + 1]; k++)
    if (strcmp(lower + 1, tag_table[k].name + 1) == 0)
      return &tag_table[k];
  return NULL;
}

static TagKind tag_kind(const xmlNode *node)
{
  if (!node->name)
    return TAG_INLINE;
  char lower[16];
  gsize n = 0;
  for (const xmlChar *c = node->name; *c; c++) {
    if (n + 1 >= sizeof lower)
      return TAG_INLINE;
    lower[n++] = g_ascii_tolower(*c);
  }
  lower[n] = '\0';
  const TagEntry *e = tag_lookup(lower);
  if (e && e->kind == TAG_DROP && strcmp(lower, "form") == 0 &&
      paragraph_chars(node, FALSE, FORM_PROSE_CHARS, 0) >= FORM_PROSE_CHARS)
    return TAG_BLOCK;
  return e ? e->kind : TAG_INLINE;
}

gboolean kq_html_is_in(const xmlNode *node, const char *const *names)
{
  if (!node || node->type != XML_ELEMENT_NODE || !node->name)
    return FALSE;
  char first = g_ascii_tolower(node->name[0]);
  for (int i = 0; names[i]; i++)
    if (names[i][0] == first && g_ascii_strcasecmp((const char *)node->name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

/* The xmlFree'd copy moved to GLib. */
char *kq_html_attr(const xmlNode *node, const char *name)
{
  xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
  if (!v)
    return NULL;
  char *s = g_strdup((const char *)v);
  xmlFree(v);
  return s;
}

static gboolean attr_has(const xmlNode *node, const char *name)
{
  return xmlHasProp(node, (const xmlChar *)name) != NULL;
}

gboolean kq_html_node_is_dropped(const xmlNode *node)
{
  return node->type == XML_ELEMENT_NODE && tag_kind(node) == TAG_DROP;
}

static void visible_text(const xmlNode *n, GString *out, gboolean (*breaks)(const xmlNode *),
                         int depth)
{
  for (const xmlNode *k = n->children; k; k = k->next) {
    if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
      if (k->content)
        g_string_append(out, (const char *)k->content);
    } else if (k->type == XML_ELEMENT_NODE && depth < 200 && !kq_html_node_is_dropped(k) &&
               !kq_html_node_is_hidden(k)) {
      if ((breaks && breaks(k)) || kq_html_is(k, "br"))
        g_string_append_c(out, ' ');
      visible_text(k, out, breaks, depth + 1);
    }
  }
}

gboolean kq_html_node_is_hidden(const xmlNode *node)
{
  if (node->type != XML_ELEMENT_NODE || !node->properties)
    return FALSE;
  /* Most elements have none of the three attributes: one look at their
   * names instead of three lookups and copies. */
  gboolean any = FALSE;
  for (const xmlAttr *p = node->properties; p && !any; p = p->next)
    any = p->name && (xmlStrEqual(p->name, (const xmlChar *)"hidden") ||
                      xmlStrEqual(p->name, (const xmlChar *)"aria-hidden") ||
                      xmlStrEqual(p->name, (const xmlChar *)"style"));
  if (!any)
    return FALSE;
  if (attr_has(node, "hidden"))
    return TRUE;
  gboolean hidden = FALSE;
  char *aria = kq_html_attr(node, "aria-hidden");
  if (aria && g_ascii_strcasecmp(g_strstrip(aria), "true") == 0) {
    /* Wikimedia marks its image fallbacks aria-hidden while showing them. */
    char *cls = kq_html_attr(node, "class");
    hidden = !(cls && strstr(cls, "fallback-image"));
    g_free(cls);
  }
  g_free(aria);
  if (hidden)
    return TRUE;
  char *style = kq_html_attr(node, "style");
  if (style) {
    GString *s = g_string_sized_new(strlen(style));
    for (const char *p = style; *p; p++)
      if (!g_ascii_isspace(*p))
        g_string_append_c(s, g_ascii_tolower(*p));
    hidden = strstr(s->str, "display:none") != NULL ||
             strstr(s->str, "visibility:hidden") != NULL;
    g_string_free(s, TRUE);
    g_free(style);
  }
  return hidden;
}

void kq_html_visible_text(const xmlNode *node, GString *out,
                          gboolean (*breaks)(const xmlNode *node))
{
  visible_text(node, out, breaks, 0);
}

/* ---- URLs ----------------------------------------------------------------- */

char *kq_html_resolve_url(const char *href, const char *base)
{
  if (!href)
    return NULL;
  /* URL parsers strip surrounding whitespace and drop tabs and newlines. */
  GString *clean = g_string_new(NULL);
  for (const char *p = href; *p; p++)
    if (*p != '\t' && *p != '\n' && *p != '\r')
      g_string_append_c(clean, *p);
  char *h = g_strstrip(g_string_free(clean, FALSE));
  char *result = NULL;
  if (!*h)
    goto out;
  const char *scheme_end = h + strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789+-.");
  if (*scheme_end == ':') {
    gsize n = (gsize)(scheme_end - h);
    if ((n == 10 && g_ascii_strncasecmp(h, "javascript", n) == 0) ||
        (n == 4 && g_ascii_strncasecmp(h, "data", n) == 0) ||
        (n == 8 && g_ascii_strncasecmp(h, "vbscript", n) == 0))
      goto out;
  }
  if (!base || !*base) {
    result = g_strdup(h);
    goto out;
  }
  xmlChar *built = xmlBuildURI((const xmlChar *)h, (const xmlChar *)base);
  if (!built) {
    /* Spaces and other unescaped characters make libxml2 refuse the
     * reference: escape them and try again. */
    xmlChar *esc = xmlURIEscapeStr((const xmlChar *)h, (const xmlChar *)":/?#[]@!$&'()*+,;=%~");
    if (esc) {
      built = xmlBuildURI(esc, (const xmlChar *)base);
      xmlFree(esc);
    }
  }
  result = g_strdup(built ? (const char *)built : h);
  xmlFree(built);
out:
  g_free(h);
  return result;
}

/* ---- Conversion state ---------------------------------------------------- */

typedef struct {
  const KqHtmlConvert *conv;
  int max_depth;
  gsize max_text;
  gsize text_bytes;
  guint links;        /* serial number of the last <a> entered */
  gboolean depth_warned;
  gboolean full;      /* max_text reached: stop converting */
} Ctx;

/* Inline state inherited from ancestors; pointers borrowed. */
typedef struct {
  guint style;
  const char *href;
  guint link; /* serial of the enclosing <a>, 0 outside links */
  const char *lang;
} Inl;

typedef enum { SEP_NONE = 0, SEP_SPACE, SEP_BREAK } Sep;

/* Where inline content goes. In block mode, finished paragraphs and blocks
 * go to blocks; in flat mode (heading, table cell, caption) everything stays
 * in runs. Text accumulates in buf until its style changes. */
typedef struct {
  GPtrArray *blocks;
  gboolean flat;
  gboolean heading; /* flat for a heading: no line breaks */
  GPtrArray *runs;
  GString *buf;
  guint buf_style;
  char *buf_href;
  char *buf_lang;
  Sep sep; /* pending separator before the next text */
  guint sep_style;
  guint sep_link;
  char *sep_lang; /* owned copy of the language where the space was written */
} Flow;

static void flow_init(Flow *f, GPtrArray *blocks, gboolean flat)
{
  memset(f, 0, sizeof *f);
  f->blocks = blocks;
  f->flat = flat;
  f->buf = g_string_new(NULL);
}

static void flow_flush_buf(Flow *f)
{
  if (f->buf->len == 0)
    return;
  if (!f->runs)
    f->runs = kq_runs_new();
  KqRun *last = f->runs->len ? g_ptr_array_index(f->runs, f->runs->len - 1) : NULL;
  if (last && last->kind == KQ_RUN_TEXT && last->style == f->buf_style &&
      g_strcmp0(last->href, f->buf_href) == 0 && g_strcmp0(last->lang, f->buf_lang) == 0) {
    char *joined = g_strconcat(last->text, f->buf->str, NULL);
    g_free(last->text);
    last->text = joined;
  } else {
    KqRun *run = kq_run_new(KQ_RUN_TEXT, f->buf_style, f->buf->str, f->buf_href);
    run->lang = g_strdup(f->buf_lang);
    g_ptr_array_add(f->runs, run);
  }
  g_string_truncate(f->buf, 0);
}

static gboolean flow_empty(const Flow *f)
{
  return f->buf->len == 0 && (!f->runs || f->runs->len == 0);
}

static gboolean flow_after_break(const Flow *f)
{
  if (f->buf->len > 0 || !f->runs || f->runs->len == 0)
    return FALSE;
  const KqRun *last = g_ptr_array_index(f->runs, f->runs->len - 1);
  return last->kind == KQ_RUN_BREAK;
}

static void flow_add_break(Flow *f)
{
  flow_flush_buf(f);
  if (!f->runs)
    f->runs = kq_runs_new();
  g_ptr_array_add(f->runs, kq_run_new(KQ_RUN_BREAK, KQ_STYLE_NONE, NULL, NULL));
}

/* Appends raw text (no whitespace processing) with the inline state. */
static void flow_put(Flow *f, const Inl *in, const char *s, gsize n)
{
  if (f->buf->len > 0 &&
      (f->buf_style != in->style || g_strcmp0(f->buf_href, in->href) != 0 ||
       g_strcmp0(f->buf_lang, in->lang) != 0))
    flow_flush_buf(f);
  if (f->buf->len == 0) {
    f->buf_style = in->style;
    g_free(f->buf_href);
    f->buf_href = g_strdup(in->href);
    g_free(f->buf_lang);
    f->buf_lang = g_strdup(in->lang);
  }
  g_string_append_len(f->buf, s, (gssize)n);
}

/* Emits the pending separator before new text in context in. */
static void flow_separate(Flow *f, const Inl *in)
{
  Sep sep = f->sep;
  f->sep = SEP_NONE;
  if (sep == SEP_NONE || flow_empty(f) || flow_after_break(f))
    return;
  if (sep == SEP_BREAK && !f->heading) {
    flow_add_break(f);
    return;
  }
  /* A space belongs to the context it was written in: inside a link only
   * when both sides are in the same link. */
  Inl sp = *in;
  if (f->sep_style != in->style || f->sep_link != in->link ||
      g_strcmp0(f->sep_lang, in->lang) != 0) {
    sp.style = f->sep_style & in->style;
    if (f->sep_link != in->link)
      sp.href = NULL;
    if (g_strcmp0(f->sep_lang, in->lang) != 0)
      sp.lang = NULL;
  }
  flow_put(f, &sp, " ", 1);
}

static void flow_want(Flow *f, Sep sep, const Inl *in)
{
  if (sep > f->sep) {
    if (f->sep == SEP_NONE) {
      f->sep_style = in ? in->style : 0;
      f->sep_link = in ? in->link : 0;
      g_free(f->sep_lang);
      f->sep_lang = in ? g_strdup(in->lang) : NULL;
    }
    f->sep = sep;
  }
}

static gboolean is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void ctx_count(Ctx *c, gsize n)
{
  c->text_bytes += n;
  if (c->text_bytes > c->max_text && !c->full) {
    c->full = TRUE;
    KQ_WARN(c->conv->log, c->conv->path, 0,
            "article text over %zu bytes: the rest is dropped", c->max_text);
  }
}

/* Text node: whitespace collapsed as a browser does outside <pre>. */
static void flow_text(Ctx *c, Flow *f, const Inl *in, const char *text)
{
  const char *p = text;
  while (*p && !c->full) {
    if (is_space(*p)) {
      while (is_space(*p))
        p++;
      flow_want(f, SEP_SPACE, in);
      continue;
    }
    const char *q = p;
    while (*q && !is_space(*q))
      q++;
    flow_separate(f, in);
    flow_put(f, in, p, (gsize)(q - p));
    ctx_count(c, (gsize)(q - p));
    p = q;
  }
}

/* Takes the runs collected so far, trailing breaks removed; NULL if none.
 * When every run carries the same language, it is returned in *lang and
 * cleared from the runs (the block carries it). */
static GPtrArray *flow_take_runs(Flow *f, char **lang)
{
  flow_flush_buf(f);
  f->sep = SEP_NONE;
  GPtrArray *runs = f->runs;
  f->runs = NULL;
  if (lang)
    *lang = NULL;
  if (!runs)
    return NULL;
  while (runs->len > 0 &&
         ((KqRun *)g_ptr_array_index(runs, runs->len - 1))->kind == KQ_RUN_BREAK)
    g_ptr_array_remove_index(runs, runs->len - 1);
  if (runs->len == 0) {
    g_ptr_array_unref(runs);
    return NULL;
  }
  const KqRun *first = g_ptr_array_index(runs, 0);
  const char *common = first->lang;
  for (guint i = 0; common && i < runs->len; i++) {
    const KqRun *r = g_ptr_array_index(runs, i);
    if (r->kind == KQ_RUN_TEXT && g_strcmp0(r->lang, common) != 0)
      common = NULL;
  }
  if (common && lang) {
    *lang = g_strdup(common);
    for (guint i = 0; i < runs->len; i++) {
      KqRun *r = g_ptr_array_index(runs, i);
      g_clear_pointer(&r->lang, g_free);
    }
  }
  return runs;
}

static void block_set_runs(KqBlock *b, GPtrArray *runs)
{
  g_clear_pointer(&b->runs, g_ptr_array_unref);
  b->runs = runs;
}

/* Block mode: the pending paragraph becomes a block. */
/* TRUE when the runs show nothing: breaks and white space only, no-break
 * spaces included (pages space their paragraphs with <p>&nbsp;</p>). */
static gboolean runs_blank(const GPtrArray *runs)
{
  for (guint i = 0; i < runs->len; i++) {
    const KqRun *r = g_ptr_array_index(runs, i);
    for (const char *p = r->kind == KQ_RUN_TEXT ? r->text : NULL; p && *p;
         p = g_utf8_next_char(p)) {
      gunichar c = g_utf8_get_char(p);
      if (!g_unichar_isspace(c) && c != 0xA0 && c != 0x202F && c != 0x2007)
        return FALSE;
    }
  }
  return TRUE;
}

static void flow_flush_para(Flow *f)
{
  if (f->flat)
    return;
  char *lang = NULL;
  GPtrArray *runs = flow_take_runs(f, &lang);
  if (!runs)
    return;
  if (runs_blank(runs)) {
    g_ptr_array_unref(runs);
    g_free(lang);
    return;
  }
  KqBlock *b = kq_block_new(KQ_BLOCK_PARAGRAPH);
  block_set_runs(b, runs);
  b->lang = lang;
  g_ptr_array_add(f->blocks, b);
}

static void flow_clear(Flow *f)
{
  g_clear_pointer(&f->runs, g_ptr_array_unref);
  g_string_free(f->buf, TRUE);
  g_free(f->buf_href);
  g_free(f->buf_lang);
  g_free(f->sep_lang);
}

/* Ends a block-mode flow: flushes and frees the state (not blocks). */
static void flow_finish(Flow *f)
{
  flow_flush_para(f);
  flow_clear(f);
}

static void flow_add_block(Flow *f, KqBlock *b)
{
  flow_flush_para(f);
  g_ptr_array_add(f->blocks, b);
}

/* ---- Walk ----------------------------------------------------------------- */

static void flow_node(Ctx *c, Flow *f, const xmlNode *n, const Inl *in, int depth);

static void flow_children(Ctx *c, Flow *f, const xmlNode *n, const Inl *in, int depth)
{
  for (const xmlNode *child = n->children; child && !c->full; child = child->next)
    flow_node(c, f, child, in, depth);
}

static gboolean node_skipped(Ctx *c, const xmlNode *n, int depth)
{
  if (n == c->conv->skip)
    return TRUE;
  if (depth > c->max_depth) {
    if (!c->depth_warned) {
      c->depth_warned = TRUE;
      KQ_WARN(c->conv->log, c->conv->path, (int)xmlGetLineNo(n),
              "elements nested deeper than %d: their content is dropped", c->max_depth);
    }
    return TRUE;
  }
  return kq_html_node_is_dropped(n) || kq_html_node_is_hidden(n);
}

/* Runs of an element's content, flattened (headings, cells, captions). */
static GPtrArray *flat_runs(Ctx *c, const xmlNode *n, const Inl *in, gboolean heading,
                            int depth, char **lang)
{
  Flow f;
  flow_init(&f, NULL, TRUE);
  f.heading = heading;
  flow_children(c, &f, n, in, depth + 1);
  GPtrArray *runs = flow_take_runs(&f, lang);
  flow_clear(&f);
  return runs;
}

/* Verbatim text of a <pre>: line breaks for <br>, dropped elements left out. */
static void pre_text(Ctx *c, const xmlNode *n, GString *out, int depth)
{
  for (const xmlNode *child = n->children; child && !c->full; child = child->next) {
    if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
      if (child->content) {
        gsize len = strlen((const char *)child->content);
        g_string_append_len(out, (const char *)child->content, (gssize)len);
        ctx_count(c, len);
      }
    } else if (child->type == XML_ELEMENT_NODE && !node_skipped(c, child, depth + 1)) {
      TagKind k = tag_kind(child);
      if (k == TAG_BR) {
        g_string_append_c(out, '\n');
      } else {
        gboolean block = k != TAG_INLINE && k != TAG_CODE && k != TAG_EMPH &&
                         k != TAG_STRONG && k != TAG_A && k != TAG_SUP && k != TAG_SUB;
        if (block && out->len > 0 && out->str[out->len - 1] != '\n')
          g_string_append_c(out, '\n');
        pre_text(c, child, out, depth + 1);
      }
    }
  }
}

/* "language-c", "lang-c" in a class attribute. */
static char *code_language(const xmlNode *n)
{
  char *cls = kq_html_attr(n, "class");
  char *lang = NULL;
  if (cls) {
    char **words = g_strsplit_set(cls, " \t\n\r", -1);
    for (char **w = words; *w && !lang; w++) {
      if (g_str_has_prefix(*w, "language-") && (*w)[9])
        lang = g_strdup(*w + 9);
      else if (g_str_has_prefix(*w, "lang-") && (*w)[5])
        lang = g_strdup(*w + 5);
    }
    g_strfreev(words);
    g_free(cls);
  }
  return lang;
}

static KqBlock *code_block(Ctx *c, const xmlNode *n, int depth)
{
  GString *text = g_string_new(NULL);
  pre_text(c, n, text, depth);
  /* A newline right after <pre> is not content; trailing blank lines
   * neither. */
  gsize start = 0;
  if (text->len > 0 && text->str[0] == '\n')
    start = 1;
  else if (text->len > 1 && text->str[0] == '\r' && text->str[1] == '\n')
    start = 2;
  while (text->len > start && is_space(text->str[text->len - 1]))
    g_string_truncate(text, text->len - 1);
  KqBlock *b = NULL;
  if (text->len > start) {
    b = kq_block_new(KQ_BLOCK_CODE);
    b->text = g_strdup(text->str + start);
    b->info = code_language(n);
    for (const xmlNode *k = n->children; k && !b->info; k = k->next)
      if (kq_html_is(k, "code"))
        b->info = code_language(k);
  }
  g_string_free(text, TRUE);
  return b;
}

/* Largest candidate of a srcset ("a.jpg 480w, b.jpg 800w" or "1x, 2x"). */
static char *srcset_best(const char *srcset)
{
  char *best = NULL;
  double best_size = -1;
  char **parts = g_strsplit(srcset, ",", -1);
  for (char **p = parts; *p; p++) {
    char *item = g_strstrip(*p);
    if (!*item)
      continue;
    char *sp = item;
    while (*sp && !is_space(*sp))
      sp++;
    double size = 1;
    if (*sp) {
      *sp++ = '\0';
      size = g_ascii_strtod(sp, NULL);
    }
    if (size > best_size && g_ascii_strncasecmp(item, "data:", 5) != 0) {
      g_free(best);
      best = g_strdup(item);
      best_size = size;
    }
  }
  g_strfreev(parts);
  return best;
}

/* The real source of an image, looking through lazy-loading attributes
 * when src is missing or a data: placeholder. Caller frees. */
static char *image_source(const xmlNode *img)
{
  static const char *const lazy[] = {"data-src", "data-original", "data-lazy-src",
                                     "data-url", "data-hi-res-src", "data-orig-file",
                                     "data-actualsrc", NULL};
  char *src = kq_html_attr(img, "src");
  char *inline_data = NULL; /* a data: src: the image itself, or a lazy placeholder */
  if (src) {
    g_strstrip(src);
    if (*src && g_ascii_strncasecmp(src, "data:", 5) != 0)
      return src;
    if (*src)
      inline_data = src;
    else
      g_free(src);
    src = NULL;
  }
  for (int i = 0; lazy[i]; i++) {
    src = kq_html_attr(img, lazy[i]);
    if (src && *g_strstrip(src) && g_ascii_strncasecmp(src, "data:", 5) != 0) {
      g_free(inline_data);
      return src;
    }
    g_clear_pointer(&src, g_free);
  }
  const char *sets[] = {"srcset", "data-srcset", NULL};
  for (int i = 0; sets[i]; i++) {
    char *set = kq_html_attr(img, sets[i]);
    if (set) {
      src = srcset_best(set);
      g_free(set);
      if (src) {
        g_free(inline_data);
        return src;
      }
    }
  }
  /* no other source: the data: image is the image (the resolver decodes
   * and checks it, image.h) */
  return inline_data;
}

static KqBlock *image_block(Ctx *c, const xmlNode *img)
{
  char *w = kq_html_attr(img, "width"), *h = kq_html_attr(img, "height");
  gboolean pixel = w && h && atoi(w) <= 1 && atoi(h) <= 1 && g_ascii_isdigit(*w) &&
                   g_ascii_isdigit(*h);
  g_free(w);
  g_free(h);
  if (pixel)
    return NULL; /* tracking pixel */
  char *src = image_source(img);
  const xmlNode *fallback = NULL;
  if (!src || g_ascii_strncasecmp(src, "data:", 5) == 0) {
    /* A lazy-loading placeholder followed by <noscript><img src=real>. */
    const xmlNode *k = img->next;
    while (k && k->type == XML_TEXT_NODE && k->content &&
           strspn((const char *)k->content, " \t\r\n") == strlen((const char *)k->content))
      k = k->next;
    if (k && kq_html_is(k, "noscript"))
      for (const xmlNode *d = k->children; d && !fallback; d = d->next)
        if (kq_html_is(d, "img"))
          fallback = d;
    char *real = fallback ? image_source(fallback) : NULL;
    if (real) {
      g_free(src);
      src = real;
    } else {
      fallback = NULL;
    }
  }
  /* a data: image is taken as it is; resolving would drop it */
  char *resolved = src && g_ascii_strncasecmp(src, "data:", 5) == 0
                       ? g_strdup(src)
                       : kq_html_resolve_url(src, c->conv->base_url);
  g_free(src);
  if (!resolved)
    return NULL;
  KqBlock *b = kq_block_new(KQ_BLOCK_IMAGE);
  b->src = resolved;
  char *alt = kq_html_attr(img, "alt");
  if ((!alt || !*alt) && fallback) {
    g_free(alt);
    alt = kq_html_attr(fallback, "alt");
  }
  if (alt) {
    kq_set_string(&b->alt, alt);
    g_free(alt);
  }
  return b;
}

static void flow_list(Ctx *c, Flow *f, const xmlNode *n, const Inl *in, int depth)
{
  KqBlock *list = kq_block_new(KQ_BLOCK_LIST);
  list->ordered = kq_html_is(n, "ol");
  char *start = kq_html_attr(n, "start");
  if (start) {
    char *end = NULL;
    long v = strtol(start, &end, 10);
    if (end != start && v > INT_MIN && v < INT_MAX)
      list->start = (int)v;
    g_free(start);
  }
  Flow loose; /* content outside <li> goes to an item of its own */
  gboolean loose_open = FALSE;
  KqBlock *loose_item = NULL;
  for (const xmlNode *k = n->children; k && !c->full; k = k->next) {
    gboolean is_li = k->type == XML_ELEMENT_NODE && tag_kind(k) == TAG_LI;
    gboolean nested = k->type == XML_ELEMENT_NODE && tag_kind(k) == TAG_LIST;
    if (is_li || (nested && list->children->len > 0 && !loose_open)) {
      if (loose_open) {
        flow_finish(&loose);
        loose_open = FALSE;
        if (loose_item->children->len > 0)
          g_ptr_array_add(list->children, loose_item);
        else
          kq_block_free(loose_item);
        loose_item = NULL;
      }
      if (node_skipped(c, k, depth + 1))
        continue;
      KqBlock *item;
      if (is_li) {
        item = kq_block_new(KQ_BLOCK_ITEM);
        g_ptr_array_add(list->children, item);
      } else {
        /* A list directly inside a list belongs to the item before it. */
        item = g_ptr_array_index(list->children, list->children->len - 1);
      }
      Flow itf;
      flow_init(&itf, item->children, FALSE);
      if (is_li)
        flow_children(c, &itf, k, in, depth + 1);
      else
        flow_node(c, &itf, k, in, depth);
      flow_finish(&itf);
      continue;
    }
    if (!loose_open) {
      if (k->type == XML_TEXT_NODE && k->content) {
        const char *p = (const char *)k->content;
        while (is_space(*p))
          p++;
        if (!*p)
          continue;
      } else if (k->type != XML_ELEMENT_NODE && k->type != XML_CDATA_SECTION_NODE) {
        continue;
      }
      loose_item = kq_block_new(KQ_BLOCK_ITEM);
      flow_init(&loose, loose_item->children, FALSE);
      loose_open = TRUE;
    }
    flow_node(c, &loose, k, in, depth + 1);
  }
  if (loose_open) {
    flow_finish(&loose);
    if (loose_item->children->len > 0)
      g_ptr_array_add(list->children, loose_item);
    else
      kq_block_free(loose_item);
  }
  /* Items left empty (an <li> holding only an icon) are dropped. */
  for (guint i = list->children->len; i-- > 0;) {
    KqBlock *item = g_ptr_array_index(list->children, i);
    if (item->children->len == 0)
      g_ptr_array_remove_index(list->children, i);
  }
  if (list->children->len > 0)
    flow_add_block(f, list);
  else
    kq_block_free(list);
}

/* ---- Tables ---------------------------------------------------------------- */

static void table_rows(const xmlNode *n, GPtrArray *rows, gboolean in_head, GArray *head)
{
  for (const xmlNode *k = n->children; k; k = k->next) {
    if (k->type != XML_ELEMENT_NODE)
      continue;
    if (kq_html_is(k, "tr")) {
      g_ptr_array_add(rows, (gpointer)k);
      gboolean h = in_head;
      g_array_append_val(head, h);
    } else if (kq_html_is(k, "thead")) {
      table_rows(k, rows, TRUE, head);
    } else if (kq_html_is(k, "tbody") || kq_html_is(k, "tfoot")) {
      table_rows(k, rows, in_head, head);
    }
  }
}

static gboolean is_cell(const xmlNode *k)
{
  return kq_html_is(k, "td") || kq_html_is(k, "th");
}

/* Text length under n, dropped elements excluded, stopping past limit. */
static gsize text_length(const xmlNode *n, gsize limit)
{
  gsize len = 0;
  for (const xmlNode *k = n->children; k && len <= limit; k = k->next) {
    if (k->type == XML_TEXT_NODE && k->content)
      len += strlen((const char *)k->content);
    else if (k->type == XML_ELEMENT_NODE && !kq_html_node_is_dropped(k))
      len += text_length(k, limit - len);
  }
  return len;
}

static gboolean has_descendant(const xmlNode *n, const char *name)
{
  for (const xmlNode *k = n->children; k; k = k->next)
    if (k->type == XML_ELEMENT_NODE && (kq_html_is(k, name) || has_descendant(k, name)))
      return TRUE;
  return FALSE;
}

/* A table used for layout rather than data: its cells become blocks. */
static gboolean table_is_layout(const xmlNode *table, const GPtrArray *rows)
{
  char *role = kq_html_attr(table, "role");
  gboolean presentation = role && (g_ascii_strcasecmp(role, "presentation") == 0 ||
                                   g_ascii_strcasecmp(role, "none") == 0);
  g_free(role);
  if (presentation)
    return TRUE;
  if (has_descendant(table, "table"))
    return TRUE;
  guint max_cols = 0;
  for (guint i = 0; i < rows->len; i++) {
    const xmlNode *tr = g_ptr_array_index(rows, i);
    guint cols = 0;
    for (const xmlNode *k = tr->children; k; k = k->next) {
      if (!is_cell(k))
        continue;
      cols++;
      /* A cell holding a whole article, or several paragraphs of it. */
      if (text_length(k, 1000) > 1000)
        return TRUE;
    }
    max_cols = MAX(max_cols, cols);
  }
  if (max_cols <= 1)
    return TRUE;
  return FALSE;
}

static void flow_table(Ctx *c, Flow *f, const xmlNode *n, const Inl *in, int depth)
{
  GPtrArray *rows = g_ptr_array_new();
  GArray *head = g_array_new(FALSE, FALSE, sizeof(gboolean));
  table_rows(n, rows, FALSE, head);
  if (table_is_layout(n, rows)) {
    flow_flush_para(f);
    for (guint i = 0; i < rows->len && !c->full; i++) {
      const xmlNode *tr = g_ptr_array_index(rows, i);
      if (node_skipped(c, tr, depth + 1))
        continue;
      for (const xmlNode *k = tr->children; k && !c->full; k = k->next) {
        if (is_cell(k) && !node_skipped(c, k, depth + 2)) {
          flow_children(c, f, k, in, depth + 3);
          flow_flush_para(f);
        }
      }
    }
    goto out;
  }
  for (const xmlNode *k = n->children; k; k = k->next) {
    if (kq_html_is(k, "caption") && !node_skipped(c, k, depth + 1)) {
      char *lang = NULL;
      GPtrArray *runs = flat_runs(c, k, in, FALSE, depth + 1, &lang);
      if (runs) {
        KqBlock *p = kq_block_new(KQ_BLOCK_PARAGRAPH);
        block_set_runs(p, runs);
        p->lang = lang;
        flow_add_block(f, p);
      }
    }
  }
  KqBlock *table = kq_block_new(KQ_BLOCK_TABLE);
  for (guint i = 0; i < rows->len && !c->full; i++) {
    const xmlNode *tr = g_ptr_array_index(rows, i);
    if (node_skipped(c, tr, depth + 1))
      continue;
    gboolean all_th = TRUE, any = FALSE;
    KqTableRow *row = kq_table_row_new(g_array_index(head, gboolean, i));
    for (const xmlNode *k = tr->children; k; k = k->next) {
      if (!is_cell(k) || node_skipped(c, k, depth + 2))
        continue;
      any = TRUE;
      if (!kq_html_is(k, "th"))
        all_th = FALSE;
      GPtrArray *runs = flat_runs(c, k, in, FALSE, depth + 2, NULL);
      g_ptr_array_add(row->cells, runs ? runs : kq_runs_new());
    }
    if (!any) {
      kq_table_row_free(row);
      continue;
    }
    if (all_th)
      row->header = TRUE;
    g_ptr_array_add(table->rows, row);
  }
  if (table->rows->len > 0)
    flow_add_block(f, table);
  else
    kq_block_free(table);
out:
  g_ptr_array_unref(rows);
  g_array_unref(head);
}

static void flow_figure(Ctx *c, Flow *f, const xmlNode *n, const Inl *in, int depth)
{
  flow_flush_para(f);
  guint start = f->blocks->len;
  GPtrArray *caption = NULL;
  char *caption_lang = NULL;
  for (const xmlNode *k = n->children; k && !c->full; k = k->next) {
    if (k->type == XML_ELEMENT_NODE && tag_kind(k) == TAG_FIGCAPTION) {
      if (caption || node_skipped(c, k, depth + 1))
        continue;
      caption = flat_runs(c, k, in, FALSE, depth + 1, &caption_lang);
    } else {
      flow_node(c, f, k, in, depth + 1);
    }
  }
  flow_flush_para(f);
  KqBlock *image = NULL;
  for (guint i = f->blocks->len; i-- > start;) {
    KqBlock *b = g_ptr_array_index(f->blocks, i);
    if (b->kind == KQ_BLOCK_IMAGE) {
      image = b;
      break;
    }
  }
  if (caption && image) {
    block_set_runs(image, caption);
    g_free(caption_lang);
  } else if (caption) {
    KqBlock *p = kq_block_new(KQ_BLOCK_PARAGRAPH);
    block_set_runs(p, caption);
    p->lang = caption_lang;
    g_ptr_array_add(f->blocks, p);
  }
}

/* The language an element declares (lang or xml:lang), or NULL. */
static char *node_lang(const xmlNode *n)
{
  char *lang = kq_html_attr(n, "lang");
  if (!lang) {
    xmlChar *v = xmlGetNsProp(n, (const xmlChar *)"lang", XML_XML_NAMESPACE);
    if (v) {
      lang = g_strdup((const char *)v);
      xmlFree(v);
    }
  }
  if (lang && !*g_strstrip(lang))
    g_clear_pointer(&lang, g_free);
  return lang;
}

static void flow_block(Ctx *c, Flow *f, const xmlNode *n, TagKind kind, const Inl *in,
                       int depth)
{
  switch (kind) {
  case TAG_HEADING: {
    flow_flush_para(f);
    char *lang = NULL;
    GPtrArray *runs = flat_runs(c, n, in, TRUE, depth, &lang);
    if (runs) {
      KqBlock *h = kq_block_new(KQ_BLOCK_HEADING);
      h->level = n->name[1] - '0';
      block_set_runs(h, runs);
      h->lang = lang;
      g_ptr_array_add(f->blocks, h);
    }
    return;
  }
  case TAG_QUOTE: {
    flow_flush_para(f);
    KqBlock *q = kq_block_new(KQ_BLOCK_QUOTE);
    Flow qf;
    flow_init(&qf, q->children, FALSE);
    flow_children(c, &qf, n, in, depth + 1);
    flow_finish(&qf);
    if (q->children->len > 0)
      g_ptr_array_add(f->blocks, q);
    else
      kq_block_free(q);
    return;
  }
  case TAG_LIST:
    flow_list(c, f, n, in, depth);
    return;
  case TAG_PRE: {
    flow_flush_para(f);
    KqBlock *b = code_block(c, n, depth);
    if (b)
      g_ptr_array_add(f->blocks, b);
    return;
  }
  case TAG_TABLE:
    flow_table(c, f, n, in, depth);
    return;
  case TAG_FIGURE:
    flow_figure(c, f, n, in, depth);
    return;
  case TAG_HR:
    flow_add_block(f, kq_block_new(KQ_BLOCK_RULE));
    return;
  case TAG_DT: {
    Inl sub = *in;
    sub.style |= KQ_STYLE_STRONG;
    flow_flush_para(f);
    flow_children(c, f, n, &sub, depth + 1);
    flow_flush_para(f);
    return;
  }
  default:
    /* p, div, section, li outside a list, stray table parts... */
    flow_flush_para(f);
    flow_children(c, f, n, in, depth + 1);
    flow_flush_para(f);
    return;
  }
}

static void flow_node(Ctx *c, Flow *f, const xmlNode *n, const Inl *in, int depth)
{
  if (c->full)
    return;
  if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
    if (n->content)
      flow_text(c, f, in, (const char *)n->content);
    return;
  }
  if (n->type != XML_ELEMENT_NODE || node_skipped(c, n, depth))
    return;
  Inl sub = *in;
  char *lang = node_lang(n);
  if (lang)
    sub.lang = lang;
  TagKind kind = tag_kind(n);
  char *href = NULL;
  switch (kind) {
  case TAG_EMPH: sub.style |= KQ_STYLE_EMPH; break;
  case TAG_STRONG: sub.style |= KQ_STYLE_STRONG; break;
  case TAG_CODE: sub.style |= KQ_STYLE_CODE; break;
  case TAG_SUP: sub.style |= KQ_STYLE_SUP; break;
  case TAG_SUB: sub.style |= KQ_STYLE_SUB; break;
  case TAG_A: {
    char *raw = kq_html_attr(n, "href");
    if (raw) {
      href = kq_html_resolve_url(raw, c->conv->base_url);
      g_free(raw);
      sub.href = href;
      sub.link = ++c->links;
    }
    break;
  }
  default: break;
  }
  switch (kind) {
  case TAG_EMPH: case TAG_STRONG: case TAG_CODE: case TAG_SUP: case TAG_SUB:
  case TAG_A: case TAG_INLINE:
    flow_children(c, f, n, &sub, depth + 1);
    break;
  case TAG_BR:
    if (f->heading) {
      flow_want(f, SEP_SPACE, in);
    } else if (!f->flat && flow_after_break(f)) {
      /* Two line breaks in a row separate paragraphs. */
      g_ptr_array_remove_index(f->runs, f->runs->len - 1);
      flow_flush_para(f);
    } else if (!flow_empty(f)) {
      flow_add_break(f);
      f->sep = SEP_NONE;
    }
    break;
  case TAG_IMG:
    if (!f->flat) {
      KqBlock *img = image_block(c, n);
      if (img)
        flow_add_block(f, img);
    }
    break;
  case TAG_DROP:
    break;
  default:
    if (f->flat) {
      /* Block structure inside a heading or a cell: keep the words apart. */
      if (kind == TAG_PRE)
        sub.style |= KQ_STYLE_CODE;
      flow_want(f, SEP_BREAK, in);
      flow_children(c, f, n, &sub, depth + 1);
      flow_want(f, SEP_BREAK, in);
    } else {
      flow_block(c, f, n, kind, &sub, depth);
    }
    break;
  }
  g_free(href);
  g_free(lang);
}

/* The language in force at n from its ancestors (not n itself). */
static char *inherited_lang(const xmlNode *n)
{
  for (const xmlNode *p = n; p && p->type == XML_ELEMENT_NODE; p = p->parent) {
    char *lang = node_lang(p);
    if (lang)
      return lang;
  }
  return NULL;
}

GPtrArray *kq_html_node_to_blocks(const xmlNode *root, const KqHtmlConvert *conv)
{
  GPtrArray *blocks = kq_blocks_new();
  if (!root)
    return blocks;
  Ctx c = {0};
  c.conv = conv;
  c.max_depth = conv->opts && conv->opts->max_depth > 0 ? conv->opts->max_depth
                                                         : KQ_DEFAULT_MAX_DEPTH;
  c.max_text = conv->opts && conv->opts->max_article > 0 ? conv->opts->max_article
                                                         : KQ_DEFAULT_MAX_ARTICLE;
  /* Languages are recorded on runs and blocks only where they differ from
   * the language in force at the root (the article's own). */
  char *base_lang = inherited_lang(root);
  Flow f;
  flow_init(&f, blocks, FALSE);
  Inl in = {0};
  if (root->type == XML_ELEMENT_NODE) {
    flow_node(&c, &f, root, &in, 0);
  } else {
    flow_children(&c, &f, root, &in, 0);
  }
  flow_finish(&f);
  if (base_lang) {
    char primary[16];
    char bl[16];
    kq_lang_primary(base_lang, bl, sizeof bl);
    for (guint i = 0; i < blocks->len; i++) {
      KqBlock *b = g_ptr_array_index(blocks, i);
      if (b->lang && strcmp(kq_lang_primary(b->lang, primary, sizeof primary), bl) == 0)
        g_clear_pointer(&b->lang, g_free);
      if (b->runs)
        for (guint j = 0; j < b->runs->len; j++) {
          KqRun *r = g_ptr_array_index(b->runs, j);
          if (r->lang && strcmp(kq_lang_primary(r->lang, primary, sizeof primary), bl) == 0)
            g_clear_pointer(&r->lang, g_free);
        }
    }
    g_free(base_lang);
  }
  return blocks;
}

/* ---- Entry points ------------------------------------------------------------ */

/*
 * Attribute floods. libxml2 (2.9) checks each attribute of an element
 * against all the ones before it, so one element with 50,000 attributes
 * costs minutes. Before parsing, a linear scan finds start tags holding more
 * than KQ_HTML_MAX_ATTRIBUTES attributes and leaves the extra ones out of
 * the copy given to libxml2. The scan reads tags as libxml2's HTML parser
 * does: comments and the raw text of script and style are skipped, a value
 * is quoted only right after '=', a name that does not start like one is
 * skipped to the next blank or '>'.
 */
static gboolean is_blank_ch(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static gboolean starts_ci(const char *p, const char *end, const char *word)
{
  gsize n = strlen(word);
  return (gsize)(end - p) >= n && g_ascii_strncasecmp(p, word, n) == 0;
}

static int line_at(const char *start, const char *p)
{
  int line = 1;
  for (const char *q = start; q < p; q++)
    line += *q == '\n';
  return line;
}

/* Returns a copy of html without the attributes past the cap, or NULL when
 * no element has that many; cuts counts them. */
static char *trim_attribute_floods(const char *html, gsize len, KqHtmlCuts *cuts)
{
  const char *p = html, *end = html + len;
  GString *copy = NULL;
  const char *copied = html; /* html up to here is in copy (or needs none) */
  while (p < end) {
    const char *lt = memchr(p, '<', (gsize)(end - p));
    if (!lt || lt + 1 >= end)
      break;
    p = lt + 1;
    if (starts_ci(p, end, "!--")) {
      const char *close = g_strstr_len(p + 3, end - (p + 3), "-->");
      p = close ? close + 3 : end;
      continue;
    }
    if (!g_ascii_isalpha(*p))
      continue;
    const char *name = p;
    while (p < end && !is_blank_ch(*p) && *p != '>' && *p != '/')
      p++;
    gsize name_len = (gsize)(p - name);
    const char *raw_end = NULL;
    if (name_len == 6 && g_ascii_strncasecmp(name, "script", 6) == 0)
      raw_end = "</script";
    else if (name_len == 5 && g_ascii_strncasecmp(name, "style", 5) == 0)
      raw_end = "</style";
    guint n = 0;
    const char *cut_from = NULL;
    for (;;) {
      while (p < end && is_blank_ch(*p))
        p++;
      if (p >= end || *p == '>' || (*p == '/' && p + 1 < end && p[1] == '>'))
        break;
      const char *attr = p;
      if (!g_ascii_isalpha(*p) && *p != '_' && *p != ':') {
        /* not a name: libxml2 skips it to the next blank or '>' */
        while (p < end && !is_blank_ch(*p) && *p != '>' && !(*p == '/' && p + 1 < end && p[1] == '>'))
          p++;
        if (p == attr)
          p++;
      } else {
        while (p < end && !is_blank_ch(*p) && *p != '=' && *p != '>' &&
               !(*p == '/' && p + 1 < end && p[1] == '>'))
          p++;
        const char *q = p;
        while (q < end && is_blank_ch(*q))
          q++;
        if (q < end && *q == '=') {
          q++;
          while (q < end && is_blank_ch(*q))
            q++;
          if (q < end && (*q == '"' || *q == '\'')) {
            const char *close = memchr(q + 1, *q, (gsize)(end - q - 1));
            q = close ? close + 1 : end;
          } else {
            while (q < end && !is_blank_ch(*q) && *q != '>')
              q++;
          }
          p = q;
        }
      }
      if (++n == KQ_HTML_MAX_ATTRIBUTES + 1)
        cut_from = attr;
    }
    if (cut_from) {
      if (!copy)
        copy = g_string_sized_new(len);
      g_string_append_len(copy, copied, cut_from - copied);
      copied = p; /* the tag's end, '>' or "/>", is kept */
      if (cuts) {
        if (!cuts->attributes)
          cuts->attributes_line = line_at(html, cut_from);
        cuts->attributes += n - KQ_HTML_MAX_ATTRIBUTES;
      }
    }
    if (raw_end && p < end) {
      const char *q = p;
      while (q < end && (q = memchr(q, '<', (gsize)(end - q))) && !starts_ci(q, end, raw_end))
        q++;
      p = q ? q : end;
    }
  }
  if (!copy)
    return NULL;
  g_string_append_len(copy, copied, end - copied);
  return g_string_free(copy, FALSE);
}

/*
 * Depth. libxml2 stops the whole parse at 256 levels unless told
 * XML_PARSE_HUGE, and everything after the deep point was lost. Instead
 * the parse runs with XML_PARSE_HUGE and kiosque's own cap: an element
 * nested deeper than max_depth (the parser's own stack of open elements
 * tells how deep it is) is left out of the tree, start and end alike, so
 * its text and children land in the element at the cap: flattened, kept.
 */
typedef struct {
  startElementSAXFunc start;
  endElementSAXFunc end;
  int max_depth;
  KqHtmlCuts *cuts;
} DepthGuard;

static void guarded_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
  htmlParserCtxtPtr ctxt = ctx;
  DepthGuard *g = ctxt->_private;
  if (ctxt->nameNr > g->max_depth) {
    if (g->cuts && g->cuts->flattened++ == 0)
      g->cuts->flattened_line = ctxt->input ? ctxt->input->line : 0;
    return;
  }
  g->start(ctx, name, atts);
}

static void guarded_end(void *ctx, const xmlChar *name)
{
  htmlParserCtxtPtr ctxt = ctx;
  DepthGuard *g = ctxt->_private;
  if (ctxt->nameNr > g->max_depth)
    return;
  g->end(ctx, name);
}

int kq_html_depth_cap(int max_depth)
{
  return MIN(max_depth > 0 ? max_depth : KQ_DEFAULT_MAX_DEPTH, KQ_HTML_MAX_SAFE_DEPTH);
}

htmlDocPtr kq_html_parse_utf8(const char *html, gsize len, const char *url, int max_depth,
                              KqHtmlCuts *cuts)
{
  if (len == 0)
    return NULL;
  char *trimmed = trim_attribute_floods(html, len, cuts);
  if (trimmed) {
    html = trimmed;
    len = strlen(trimmed);
  }
  if (len > INT_MAX)
    len = INT_MAX;
  htmlDocPtr doc = NULL;
  htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
  if (ctxt && ctxt->sax) {
    DepthGuard g = {ctxt->sax->startElement, ctxt->sax->endElement,
                    kq_html_depth_cap(max_depth), cuts};
    ctxt->_private = &g;
    ctxt->sax->startElement = guarded_start;
    ctxt->sax->endElement = guarded_end;
    doc = htmlCtxtReadMemory(ctxt, html, (int)len, url, "UTF-8",
                             KQ_HTML_PARSE_OPTIONS | XML_PARSE_HUGE);
  }
  if (ctxt)
    htmlFreeParserCtxt(ctxt);
  g_free(trimmed);
  return doc;
}

void kq_html_warn_cuts(const KqHtmlCuts *cuts, int max_depth, KqLog *log, const char *path)
{
  if (cuts->flattened)
    KQ_WARN(log, path, cuts->flattened_line,
            "HTML nested deeper than %d levels (--max-depth): %u deeper element%s flattened "
            "into the one above, their text kept",
            kq_html_depth_cap(max_depth), cuts->flattened,
            cuts->flattened == 1 ? "" : "s");
  if (cuts->attributes)
    KQ_WARN(log, path, cuts->attributes_line,
            "an HTML element with more than %d attributes: %u attribute%s dropped",
            KQ_HTML_MAX_ATTRIBUTES, cuts->attributes, cuts->attributes == 1 ? "" : "s");
}

/* Valid UTF-8 without NUL bytes or a byte order mark. Caller frees. */
static char *clean_utf8(const char *text, gsize len)
{
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
    text += 3;
    len -= 3;
  }
  GString *s = g_string_sized_new(len);
  for (gsize i = 0; i < len; i++)
    if (text[i] != '\0')
      g_string_append_c(s, text[i]);
  if (!g_utf8_validate(s->str, (gssize)s->len, NULL)) {
    char *valid = g_utf8_make_valid(s->str, (gssize)s->len);
    g_string_free(s, TRUE);
    return valid;
  }
  return g_string_free(s, FALSE);
}

GPtrArray *kq_html_fragment_to_blocks(const char *html, gsize len, const char *base_url,
                                      const KqReadOptions *opts, KqLog *log,
                                      const char *path)
{
  if (!html || len == 0)
    return kq_blocks_new();
  char *clean = clean_utf8(html, len);
  int max_depth = opts && opts->max_depth > 0 ? opts->max_depth : KQ_DEFAULT_MAX_DEPTH;
  KqHtmlCuts cuts = {0};
  htmlDocPtr doc = kq_html_parse_utf8(clean, strlen(clean), base_url, max_depth, &cuts);
  g_free(clean);
  kq_html_warn_cuts(&cuts, max_depth, log, path);
  if (!doc)
    return kq_blocks_new();
  KqHtmlConvert conv = {.base_url = base_url, .opts = opts, .log = log, .path = path};
  GPtrArray *blocks = kq_html_node_to_blocks((const xmlNode *)doc, &conv);
  xmlFreeDoc(doc);
  return blocks;
}

/* Known HTML element names that make text look like markup. Sorted. */
static const char *const markup_tags[] = {
  "a", "abbr", "article", "aside", "b", "blockquote", "body", "br", "caption", "center",
  "cite", "code", "dd", "del", "div", "dl", "dt", "em", "figcaption", "figure", "font",
  "footer", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "i",
  "iframe", "img", "ins", "kbd", "li", "link", "main", "mark", "meta", "nav", "noscript",
  "ol", "p", "picture", "pre", "q", "s", "samp", "script", "section", "small", "source",
  "span", "strike", "strong", "style", "sub", "sup", "table", "tbody", "td", "tfoot",
  "th", "thead", "time", "tr", "tt", "u", "ul", "var", "video",
};

static int markup_tag_cmp(const void *key, const void *entry)
{
  return strcmp(key, *(const char *const *)entry);
}

gboolean kq_html_looks_like_markup(const char *text, gsize len)
{
  if (!text)
    return FALSE;
  for (gsize i = 0; i + 1 < len; i++) {
    if (text[i] != '<')
      continue;
    gsize j = i + 1;
    if (text[j] == '!') {
      if ((j + 2 < len && text[j + 1] == '-' && text[j + 2] == '-') ||
          (j + 7 < len && g_ascii_strncasecmp(text + j + 1, "doctype", 7) == 0))
        return TRUE;
      continue;
    }
    if (text[j] == '/')
      j++;
    char name[16];
    gsize n = 0;
    while (j < len && g_ascii_isalnum(text[j]) && n + 1 < sizeof name)
      name[n++] = g_ascii_tolower(text[j++]);
    name[n] = '\0';
    if (n == 0 || (j < len && g_ascii_isalnum(text[j])))
      continue;
    if (j < len && text[j] != '>' && text[j] != '/' && !is_space(text[j]))
      continue;
    if (bsearch(name, markup_tags, G_N_ELEMENTS(markup_tags), sizeof markup_tags[0],
                markup_tag_cmp))
      return TRUE;
  }
  return FALSE;
}
