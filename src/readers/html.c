/* html.c: the HTML page reader: metadata (JSON-LD, Open Graph, Dublin Core, <title>), article body by scoring, encodings. */
#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "kiosque/lang.h"
#include "kiosque/link.h"
#include "kiosque/reader.h"
#include "readers/encoding.h"
#include "readers/html_boiler.h"
#include "readers/html_body.h"
#include "readers/json_depth.h"

/* ---- Small DOM helpers -------------------------------------------------- */

/* Text content with whitespace collapsed and trimmed; caller frees. */
static char *collapse(const char *s)
{
  GString *out = g_string_new(NULL);
  gboolean space = FALSE;
  for (const char *p = s ? s : ""; *p; p++) {
    if (g_ascii_isspace(*p)) {
      space = out->len > 0;
    } else {
      if (space)
        g_string_append_c(out, ' ');
      space = FALSE;
      g_string_append_c(out, *p);
    }
  }
  return g_string_free(out, FALSE);
}

static char *node_text(const xmlNode *n)
{
  GString *s = g_string_new(NULL);
  kq_html_visible_text(n, s, NULL);
  char *c = collapse(s->str);
  g_string_free(s, TRUE);
  return c;
}

/* A comma (ASCII, fullwidth ， or ideographic 、) at p, a character's first byte. */
static gboolean is_comma(const guchar *p)
{
  return p[0] == ',' || (p[0] == 0xEF && p[1] == 0xBC && p[2] == 0x8C) ||
         (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x81);
}

/* How the characters inside an element weigh in a link density (Readability's
 * getLinkDensity()): 1 in a link, 0.3 in an in-page link, 0 outside links;
 * an enclosing link's weight wins over the element's. */
enum { LINK_NONE, LINK_HASH, LINK_FULL };
static const double link_weights[] = {0, 0.3, 1}; /* by LINK_* */

/* LINK_FULL for an <a>, LINK_HASH for an <a href="#...">, else LINK_NONE. */
static int link_kind(const xmlNode *k)
{
  if (!kq_html_is(k, "a"))
    return LINK_NONE;
  xmlChar *href = xmlGetProp(k, (const xmlChar *)"href");
  int link = href && href[0] == '#' ? LINK_HASH : LINK_FULL;
  xmlFree(href);
  return link;
}

/* Characters (not bytes) of collapsed text under n, and its commas. */
typedef struct {
  double chars;
  double commas;
  double link_chars; /* weighted: in-page links count 0.3 */
} TextInfo;

static void info_walk(const xmlNode *n, TextInfo *t, double link_weight, gboolean *space,
                      int depth)
{
  for (const xmlNode *k = n->children; k; k = k->next) {
    if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
      for (const guchar *p = k->content; p && *p; p++) {
        int add = kq_html_count_byte(*p, space, t->chars > 0);
        if (add == 0)
          continue;
        /* one at a time: sums of 0.3 depend on their order */
        for (int i = 0; i < add; i++) {
          t->chars += 1;
          t->link_chars += link_weight;
        }
        if (is_comma(p))
          t->commas += 1;
      }
    } else if (k->type == XML_ELEMENT_NODE && depth < 200 && !kq_html_node_is_dropped(k)) {
      double w = link_weight != 0 ? link_weight : link_weights[link_kind(k)];
      info_walk(k, t, w, space, depth + 1);
    }
  }
}

static xmlNode *next_node(xmlNode *n, gboolean skip_children, const xmlNode *root);

/* ---- Text measures of every element in one walk -------------------------
 * Scoring asks text_info() of every scored element and of up to five
 * ancestors of each: walking each subtree again cost more than all the
 * rest of the scoring. One walk of the body gathers, for every element,
 * what info_walk() would find below it and what a walk through it needs
 * to go on (white space around, the first character's link weight), and
 * hangs it on the element's _private pointer while the tree does not
 * change. The figures are the walk's own; only characters of in-page
 * links (weight 0.3) are summed in another order, which may move a link
 * density in its last bit (1e-16): two elements with the same text still
 * get the same figures, and no other comparison is that close. */

typedef struct {
  double chars, commas;
  double full, hash;   /* characters weighing 1 and 0.3 */
  int first_link;      /* weight of the first character */
  gboolean lead_space; /* white space before the first character (or any, without one) */
  gboolean space;      /* white space pending at the end */
} Measure;

/* Subtrees deeper than this are measured by info_walk(), whose depth cap
 * (200) the memo does not follow. */
#define MEASURE_DEPTH 190

static void measure_weigh(Measure *m, int link, double n)
{
  if (link == LINK_FULL)
    m->full += n;
  else if (link == LINK_HASH)
    m->hash += n;
}

static void measure_text(Measure *m, const guchar *p)
{
  for (; p && *p; p++) {
    gboolean pending = m->space;
    int add = kq_html_count_byte(*p, &m->space, m->chars > 0);
    if (add == 0)
      continue;
    if (m->chars == 0)
      m->lead_space = pending;
    m->chars += add;
    if (is_comma(p))
      m->commas += 1;
  }
}

/* Appends child c, walked with link weight link (LINK_NONE: its own). */
static void measure_merge(Measure *m, const Measure *c, int link)
{
  if (c->chars == 0) {
    m->space = m->space || c->space;
    if (m->chars == 0)
      m->lead_space = m->space;
    return;
  }
  int first = link != LINK_NONE ? link : c->first_link;
  if (m->chars == 0) {
    m->lead_space = m->space || c->lead_space;
    m->first_link = first;
  } else if (m->space || c->lead_space) {
    m->chars += 1;
    measure_weigh(m, first, 1);
  }
  m->chars += c->chars;
  m->commas += c->commas;
  if (link != LINK_NONE) {
    measure_weigh(m, link, c->chars);
  } else {
    m->full += c->full;
    m->hash += c->hash;
  }
  m->space = c->space;
}

typedef struct {
  Measure *slots;
  guint used, size;
  GPtrArray *nodes; /* elements whose _private points into slots */
  gboolean too_deep;
} Measures;

static Measure measure_walk(Measures *ms, xmlNode *n, int depth)
{
  Measure m = {0};
  for (xmlNode *k = n->children; k && !ms->too_deep; k = k->next) {
    if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
      measure_text(&m, k->content);
    } else if (k->type == XML_ELEMENT_NODE && !kq_html_node_is_dropped(k)) {
      if (depth + 1 >= MEASURE_DEPTH) {
        ms->too_deep = TRUE;
        break;
      }
      Measure c = measure_walk(ms, k, depth + 1);
      measure_merge(&m, &c, link_kind(k));
    }
  }
  if (!ms->too_deep && ms->used < ms->size) {
    ms->slots[ms->used] = m;
    n->_private = &ms->slots[ms->used++];
    g_ptr_array_add(ms->nodes, n);
  }
  return m;
}

static void measures_clear(Measures *ms)
{
  for (guint i = 0; i < ms->nodes->len; i++)
    ((xmlNode *)g_ptr_array_index(ms->nodes, i))->_private = NULL;
  g_ptr_array_unref(ms->nodes);
  g_free(ms->slots);
}

/* Measures every element under root (root included); undone by
 * measures_clear(), before the tree changes. */
static void measures_take(Measures *ms, xmlNode *root)
{
  guint elements = 1;
  for (xmlNode *n = root->children; n; n = next_node(n, FALSE, root))
    if (n->type == XML_ELEMENT_NODE)
      elements++;
  ms->slots = g_new(Measure, elements);
  ms->used = 0;
  ms->size = elements;
  ms->nodes = g_ptr_array_sized_new(elements);
  ms->too_deep = FALSE;
  measure_walk(ms, root, 0);
  if (ms->too_deep) {
    for (guint i = 0; i < ms->nodes->len; i++)
      ((xmlNode *)g_ptr_array_index(ms->nodes, i))->_private = NULL;
    g_ptr_array_set_size(ms->nodes, 0);
  }
}

static TextInfo text_info(const xmlNode *n)
{
  const Measure *m = n->_private;
  if (m)
    return (TextInfo){.chars = m->chars, .commas = m->commas,
                      .link_chars = m->full + link_weights[LINK_HASH] * m->hash};
  TextInfo t = {0};
  gboolean space = FALSE;
  info_walk(n, &t, 0, &space, 0);
  return t;
}

static double link_density(const xmlNode *n)
{
  TextInfo t = text_info(n);
  return t.chars > 0 ? t.link_chars / t.chars : 0;
}

static void remove_node(xmlNode *n)
{
  xmlUnlinkNode(n);
  xmlFreeNode(n);
}

/* Next node in document order; skip_children leaves n's subtree out. */
static xmlNode *next_node(xmlNode *n, gboolean skip_children, const xmlNode *root)
{
  if (!skip_children && n->children)
    return n->children;
  while (n && n != root) {
    if (n->next)
      return n->next;
    n = n->parent;
  }
  return NULL;
}

/* Removes n; returns the node after its subtree in root's walk. */
static xmlNode *remove_and_next(xmlNode *n, const xmlNode *root)
{
  xmlNode *next = next_node(n, TRUE, root);
  remove_node(n);
  return next;
}

static void collect_elements(xmlNode *root, const char *const *names, GPtrArray *out)
{
  for (xmlNode *n = root->children ? root->children : NULL; n; n = next_node(n, FALSE, root))
    if (n->type == XML_ELEMENT_NODE && kq_html_is_in(n, names))
      g_ptr_array_add(out, n);
}

static guint count_elements(xmlNode *root, const char *name)
{
  guint c = 0;
  for (xmlNode *n = root->children; n; n = next_node(n, FALSE, root))
    if (kq_html_is(n, name))
      c++;
  return c;
}

static gboolean has_ancestor(const xmlNode *n, const char *name)
{
  for (const xmlNode *p = n->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent)
    if (kq_html_is(p, name))
      return TRUE;
  return FALSE;
}

static xmlNode *find_body(htmlDocPtr doc)
{
  xmlNode *root = xmlDocGetRootElement(doc);
  if (!root)
    return NULL;
  for (xmlNode *k = root->children; k; k = k->next)
    if (kq_html_is(k, "body"))
      return k;
  return root;
}

/* ---- Regular expressions (compiled once, read-only afterwards) ----------- */

typedef struct {
  GRegex *unlikely, *maybe, *positive, *negative, *byline, *share;
  GRegex *non_word; /* word separators of text_similarity() */
} Patterns;

static gpointer build_patterns(gpointer data)
{
  (void)data;
  Patterns *p = g_new0(Patterns, 1);
  GRegexCompileFlags f = G_REGEX_CASELESS | G_REGEX_OPTIMIZE;
  p->unlikely = g_regex_new(
    "-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|"
    "footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|"
    "social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|"
    "newsletter|outbrain|taboola|"
    /* the same in French pages: side column, boxes, teasers, readers' reactions */
    "lateral|colonne-?droite|encart|a-lire|lire-?aussi|plus-?lus|populaires|reactions",
    f, 0, NULL);
  p->maybe = g_regex_new("and|article|body|column|content|main|mathjax|shadow", f, 0, NULL);
  p->positive = g_regex_new(
    "article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story", f,
    0, NULL);
  p->negative = g_regex_new(
    "-ad-|(^|[ _])ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|"
    "footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|"
    "skyscraper|sponsor|shopping|tags|widget|nav|aside|menu|social|popup|tweet|skyblog|"
    "teaser|lateral|encart|lire-?aussi|plus-?lus|populaires|reactions",
    f, 0, NULL);
  p->byline = g_regex_new("byline|author|dateline|writtenby|p-author", f, 0, NULL);
  p->share = g_regex_new("(\\b|_)(share|sharedaddy)(\\b|_)", f, 0, NULL);
  p->non_word = g_regex_new("\\W+", 0, 0, NULL);
  return p;
}

static const Patterns *patterns(void)
{
  static GOnce once = G_ONCE_INIT;
  return g_once(&once, build_patterns, NULL);
}

static gboolean match(const GRegex *re, const char *s)
{
  return s && *s && g_regex_match(re, s, 0, NULL);
}

/* "class id" of an element; caller frees. */
static char *match_string(const xmlNode *n)
{
  char *cls = kq_html_attr(n, "class"), *id = kq_html_attr(n, "id");
  /* Empty when there is neither, so that no pattern is even tried. */
  char *s = (cls || id) ? g_strconcat(cls ? cls : "", " ", id ? id : "", NULL) : g_strdup("");
  g_free(cls);
  g_free(id);
  return s;
}

static int class_weight(const xmlNode *n)
{
  const Patterns *p = patterns();
  int w = 0;
  char *cls = kq_html_attr(n, "class"), *id = kq_html_attr(n, "id");
  if (cls && *cls) {
    if (match(p->negative, cls))
      w -= 25;
    if (match(p->positive, cls))
      w += 25;
  }
  if (id && *id) {
    if (match(p->negative, id))
      w -= 25;
    if (match(p->positive, id))
      w += 25;
  }
  g_free(cls);
  g_free(id);
  return w;
}

/* ---- Metadata ---------------------------------------------------------------- */

typedef struct {
  GStringChunk *texts; /* the strings below: each is set once (set_once()), never changed */
  GHashTable *meta;    /* lower-case key -> first value (owned) */
  GPtrArray *tags;     /* article:tag values */
  GHashTable *meta_authors; /* author meta key -> GPtrArray of names, document order */
  const char *html_lang;
  const char *http_lang;
  const char *title_tag;
  const char *canonical;
  const char *base_href;
  const char *rel_author;
  const char *time_published; /* <time datetime> / itemprop=datePublished */
  const char *text_date;      /* text of the first date-ish element holding a date */
  const char *h1;             /* text of the only / first h1 */
  guint n_h1;
  /* JSON-LD */
  const char *ld_headline, *ld_name, *ld_published, *ld_modified, *ld_site, *ld_description,
    *ld_lang, *ld_url;
  const char *ld_org; /* a WebSite / Organization object's name, when no article has a publisher */
  GPtrArray *ld_authors, *ld_topics;
  gboolean ld_found;
} Meta;

static void meta_init(Meta *m)
{
  memset(m, 0, sizeof *m);
  m->texts = g_string_chunk_new(512);
  m->meta = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  m->tags = g_ptr_array_new_with_free_func(g_free);
  m->meta_authors =
    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  m->ld_authors = g_ptr_array_new_with_free_func(g_free);
  m->ld_topics = g_ptr_array_new_with_free_func(g_free);
}

static void meta_clear(Meta *m)
{
  g_hash_table_unref(m->meta);
  g_ptr_array_unref(m->tags);
  g_hash_table_unref(m->meta_authors);
  g_ptr_array_unref(m->ld_authors);
  g_ptr_array_unref(m->ld_topics);
  g_string_chunk_free(m->texts);
}

static const char *meta_get(const Meta *m, const char *key)
{
  const char *v = g_hash_table_lookup(m->meta, key);
  return v && *v ? v : NULL;
}

/* Sets *field, one of m's strings, to value with its white space collapsed,
 * unless it is set already or that leaves nothing. */
static void set_once(Meta *m, const char **field, const char *value)
{
  if (*field || !value)
    return;
  char *c = collapse(value);
  if (*c)
    *field = g_string_chunk_insert(m->texts, c);
  g_free(c);
}

/* One <meta>: name, property and itemprop may each hold several keys. */
static void meta_element(Meta *m, const xmlNode *n)
{
  char *content = kq_html_attr(n, "content");
  if (!content)
    return;
  static const char *const keyattrs[] = {"name", "property", "itemprop", "http-equiv", NULL};
  for (int a = 0; keyattrs[a]; a++) {
    char *keys = kq_html_attr(n, keyattrs[a]);
    if (!keys)
      continue;
    char **parts = g_strsplit_set(keys, " \t\n\r", -1);
    for (char **k = parts; *k; k++) {
      if (!**k)
        continue;
      char *key = g_ascii_strdown(*k, -1);
      char *value = collapse(content);
      if (strcmp(key, "article:tag") == 0) {
        kq_strv_add_unique(m->tags, value);
      } else if (strstr(key, "author") || strstr(key, "creator") || strcmp(key, "byl") == 0) {
        if (!g_str_has_prefix(value, "http://") && !g_str_has_prefix(value, "https://")) {
          GPtrArray *list = g_hash_table_lookup(m->meta_authors, key);
          if (!list) {
            list = g_ptr_array_new_with_free_func(g_free);
            g_hash_table_insert(m->meta_authors, g_strdup(key), list);
          }
          kq_strv_add_unique(list, value);
        }
      }
      if (strcmp(key, "content-language") == 0)
        set_once(m, &m->http_lang, value);
      if (!g_hash_table_contains(m->meta, key))
        g_hash_table_insert(m->meta, key, value);
      else {
        g_free(key);
        g_free(value);
      }
    }
    g_strfreev(parts);
    g_free(keys);
  }
  g_free(content);
}

/* ---- JSON-LD ---------------------------------------------------------------- */

static gboolean ld_type_is_article(JsonObject *o)
{
  static const char *const types[] = {
    "Article", "NewsArticle", "AnalysisNewsArticle", "AskPublicNewsArticle",
    "BackgroundNewsArticle", "OpinionNewsArticle", "ReportageNewsArticle",
    "ReviewNewsArticle", "Report", "SatiricalArticle", "ScholarlyArticle",
    "MedicalScholarlyArticle", "SocialMediaPosting", "BlogPosting", "LiveBlogPosting",
    "DiscussionForumPosting", "TechArticle", "APIReference", "AdvertiserContentArticle",
    NULL};
  JsonNode *t = json_object_get_member(o, "@type");
  if (!t)
    return FALSE;
  GList *values = NULL;
  if (JSON_NODE_HOLDS_VALUE(t)) {
    values = g_list_append(values, t);
  } else if (JSON_NODE_HOLDS_ARRAY(t)) {
    values = json_array_get_elements(json_node_get_array(t));
  }
  gboolean found = FALSE;
  for (GList *l = values; l && !found; l = l->next) {
    JsonNode *v = l->data;
    if (!JSON_NODE_HOLDS_VALUE(v) || json_node_get_value_type(v) != G_TYPE_STRING)
      continue;
    const char *s = json_node_get_string(v);
    const char *colon = strrchr(s, '/');
    if (colon)
      s = colon + 1;
    for (int i = 0; types[i]; i++)
      if (strcmp(s, types[i]) == 0)
        found = TRUE;
  }
  g_list_free(values);
  return found;
}

static const char *ld_string(JsonObject *o, const char *member)
{
  JsonNode *n = o ? json_object_get_member(o, member) : NULL;
  if (n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
    return json_node_get_string(n);
  return NULL;
}

/* An object itself or the one its "@id" names in the graph. */
static JsonObject *ld_deref(JsonNode *n, GHashTable *ids)
{
  if (!n || !JSON_NODE_HOLDS_OBJECT(n))
    return NULL;
  JsonObject *o = json_node_get_object(n);
  const char *id = ld_string(o, "@id");
  if (id && json_object_get_size(o) == 1 && ids) {
    JsonObject *target = g_hash_table_lookup(ids, id);
    if (target)
      return target;
  }
  return o;
}

static void ld_add_names(JsonNode *n, GHashTable *ids, GPtrArray *out, int depth)
{
  if (!n || depth > 4)
    return;
  if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING) {
    kq_strv_add_unique(out, json_node_get_string(n));
  } else if (JSON_NODE_HOLDS_ARRAY(n)) {
    JsonArray *a = json_node_get_array(n);
    for (guint i = 0; i < json_array_get_length(a); i++)
      ld_add_names(json_array_get_element(a, i), ids, out, depth + 1);
  } else if (JSON_NODE_HOLDS_OBJECT(n)) {
    JsonObject *o = ld_deref(n, ids);
    const char *name = ld_string(o, "name");
    if (name)
      kq_strv_add_unique(out, name);
  }
}

static void ld_add_strings(JsonNode *n, GPtrArray *out, gboolean split_commas)
{
  if (!n)
    return;
  if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING) {
    const char *s = json_node_get_string(n);
    if (split_commas) {
      char **parts = g_strsplit(s, ",", -1);
      for (char **p = parts; *p; p++)
        kq_strv_add_unique(out, *p);
      g_strfreev(parts);
    } else {
      kq_strv_add_unique(out, s);
    }
  } else if (JSON_NODE_HOLDS_ARRAY(n)) {
    JsonArray *a = json_node_get_array(n);
    for (guint i = 0; i < json_array_get_length(a); i++)
      ld_add_strings(json_array_get_element(a, i), out, split_commas);
  }
}

static void ld_index(JsonNode *n, GHashTable *ids, GPtrArray *objects, int depth)
{
  if (!n || depth > 6)
    return;
  if (JSON_NODE_HOLDS_ARRAY(n)) {
    JsonArray *a = json_node_get_array(n);
    for (guint i = 0; i < json_array_get_length(a); i++)
      ld_index(json_array_get_element(a, i), ids, objects, depth + 1);
  } else if (JSON_NODE_HOLDS_OBJECT(n)) {
    JsonObject *o = json_node_get_object(n);
    g_ptr_array_add(objects, o);
    const char *id = ld_string(o, "@id");
    if (id && json_object_get_size(o) > 1)
      g_hash_table_insert(ids, (gpointer)id, o);
    JsonNode *graph = json_object_get_member(o, "@graph");
    if (graph)
      ld_index(graph, ids, objects, depth + 1);
  }
}

static void ld_apply(Meta *m, JsonObject *art, GHashTable *ids)
{
  m->ld_found = TRUE;
  set_once(m, &m->ld_headline, ld_string(art, "headline"));
  set_once(m, &m->ld_name, ld_string(art, "name"));
  set_once(m, &m->ld_published, ld_string(art, "datePublished"));
  set_once(m, &m->ld_modified, ld_string(art, "dateModified"));
  set_once(m, &m->ld_description, ld_string(art, "description"));
  set_once(m, &m->ld_lang, ld_string(art, "inLanguage"));
  set_once(m, &m->ld_url, ld_string(art, "url"));
  if (m->ld_authors->len == 0) {
    ld_add_names(json_object_get_member(art, "author"), ids, m->ld_authors, 0);
    if (m->ld_authors->len == 0)
      ld_add_names(json_object_get_member(art, "creator"), ids, m->ld_authors, 0);
  }
  ld_add_strings(json_object_get_member(art, "articleSection"), m->ld_topics, FALSE);
  ld_add_strings(json_object_get_member(art, "keywords"), m->ld_topics, TRUE);
  JsonObject *pub = ld_deref(json_object_get_member(art, "publisher"), ids);
  if (pub)
    set_once(m, &m->ld_site, ld_string(pub, "name"));
}

static void json_ld(Meta *m, const char *text, KqLog *log, const char *path, int line)
{
  /* Some sites wrap the JSON in a CDATA section or HTML comment. */
  char *s = g_strdup(text);
  char *start = g_strstrip(s);
  if (g_str_has_prefix(start, "<![CDATA["))
    start += 9;
  if (g_str_has_prefix(start, "<!--"))
    start += 4;
  char *end = start + strlen(start);
  if (end - start >= 3 && strcmp(end - 3, "]]>") == 0)
    *(end -= 3) = '\0';
  if (end - start >= 3 && strcmp(end - 3, "-->") == 0)
    *(end -= 3) = '\0';
  /* json-glib parses recursively: refuse absurd nesting before it does. */
  JsonParser *parser = json_parser_new();
  GError *error = NULL;
  guint deep = 0;
  if (!kq_json_blank_deep(start, strlen(start), 64, &deep, NULL) || deep) {
    KQ_WARN(log, path, line, "JSON-LD nested deeper than 64 levels: ignored");
    goto out;
  }
  if (!json_parser_load_from_data(parser, start, -1, &error)) {
    KQ_INFO(log, path, line, "JSON-LD ignored: %s", error->message);
    g_error_free(error);
    goto out;
  }
  GHashTable *ids = g_hash_table_new(g_str_hash, g_str_equal);
  GPtrArray *objects = g_ptr_array_new();
  ld_index(json_parser_get_root(parser), ids, objects, 0);
  JsonObject *art = NULL;
  for (guint i = 0; i < objects->len && !art; i++)
    if (ld_type_is_article(g_ptr_array_index(objects, i)))
      art = g_ptr_array_index(objects, i);
  if (art) {
    ld_apply(m, art, ids);
  } else {
    /* No article object: a publisher / web site name is still useful. */
    for (guint i = 0; i < objects->len; i++) {
      JsonObject *o = g_ptr_array_index(objects, i);
      const char *type = ld_string(o, "@type");
      if (type && (strcmp(type, "WebSite") == 0 || strcmp(type, "Organization") == 0 ||
                   strcmp(type, "NewsMediaOrganization") == 0))
        set_once(m, &m->ld_org, ld_string(o, "name"));
    }
  }
  g_ptr_array_unref(objects);
  g_hash_table_unref(ids);
out:
  g_object_unref(parser);
  g_free(s);
}

/* One pass over the document for everything metadata needs. */
static void collect_meta(htmlDocPtr doc, Meta *m, KqLog *log, const char *path)
{
  xmlNode *root = xmlDocGetRootElement(doc);
  if (!root)
    return;
  char *lang = kq_html_attr(root, "lang");
  if (!lang) {
    xmlChar *v = xmlGetNsProp(root, (const xmlChar *)"lang", XML_XML_NAMESPACE);
    if (!v)
      v = xmlGetProp(root, (const xmlChar *)"xml:lang");
    if (v) {
      lang = g_strdup((const char *)v);
      xmlFree(v);
    }
  }
  set_once(m, &m->html_lang, lang);
  g_free(lang);
  for (xmlNode *n = root; n; n = next_node(n, FALSE, NULL)) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    const char *name = (const char *)n->name;
    if (g_ascii_strcasecmp(name, "meta") == 0) {
      meta_element(m, n);
    } else if (g_ascii_strcasecmp(name, "title") == 0 && !m->title_tag &&
               !has_ancestor(n, "svg")) {
      char *t = node_text(n);
      set_once(m, &m->title_tag, t);
      g_free(t);
    } else if (g_ascii_strcasecmp(name, "base") == 0) {
      char *h = kq_html_attr(n, "href");
      set_once(m, &m->base_href, h);
      g_free(h);
    } else if (g_ascii_strcasecmp(name, "link") == 0 || g_ascii_strcasecmp(name, "a") == 0) {
      char *rel = kq_html_attr(n, "rel");
      if (rel) {
        char *low = g_ascii_strdown(rel, -1);
        char **rels = g_strsplit_set(low, " \t\n", -1);
        for (char **r = rels; *r; r++) {
          if (strcmp(*r, "canonical") == 0 && kq_html_is(n, "link")) {
            char *h = kq_html_attr(n, "href");
            set_once(m, &m->canonical, h);
            g_free(h);
          } else if (strcmp(*r, "author") == 0 && kq_html_is(n, "a") && !m->rel_author) {
            char *t = node_text(n);
            if (g_utf8_strlen(t, -1) < 100)
              set_once(m, &m->rel_author, t);
            g_free(t);
          }
        }
        g_strfreev(rels);
        g_free(low);
        g_free(rel);
      }
    } else if (g_ascii_strcasecmp(name, "script") == 0) {
      char *type = kq_html_attr(n, "type");
      if (type && g_ascii_strcasecmp(g_strstrip(type), "application/ld+json") == 0) {
        xmlChar *c = xmlNodeGetContent(n);
        if (c)
          json_ld(m, (const char *)c, log, path, (int)xmlGetLineNo(n));
        xmlFree(c);
      }
      g_free(type);
    } else if (g_ascii_strcasecmp(name, "h1") == 0) {
      m->n_h1++;
      if (!m->h1) {
        char *t = node_text(n);
        set_once(m, &m->h1, t);
        g_free(t);
      }
    }
    if (!m->text_date && !kq_html_is(n, "body") && !kq_html_is(n, "html")) {
      char *ms = match_string(n);
      char *low = g_ascii_strdown(ms, -1);
      if ((strstr(low, "date") || strstr(low, "publi") || strstr(low, "time")) &&
          !has_ancestor(n, "footer") && !strstr(low, "update")) {
        char *t = node_text(n);
        KqDate d;
        gsize ds, de;
        if (g_utf8_strlen(t, -1) < 120 && kq_date_find(t, &d, &ds, &de))
          m->text_date = g_string_chunk_insert_len(m->texts, t + ds, (gssize)(de - ds));
        g_free(t);
      }
      g_free(low);
      g_free(ms);
    }
    if (!m->time_published) {
      char *ip = kq_html_attr(n, "itemprop");
      gboolean pub = ip && strstr(ip, "datePublished");
      g_free(ip);
      if (pub || (kq_html_is(n, "time") && !has_ancestor(n, "footer"))) {
        char *v = kq_html_attr(n, "datetime");
        if (!v && pub)
          v = kq_html_attr(n, "content");
        if (!v && pub)
          v = node_text(n);
        KqDate d;
        if (v && kq_date_parse(g_strstrip(v), &d, NULL))
          set_once(m, &m->time_published, v);
        g_free(v);
      }
    }
  }
}

/* ---- Title ---------------------------------------------------------------------- */

static const char *const title_seps[] = {" | ", " - ", " – ", " — ", " · ", " :: ", " » ",
                                         " / ", " \\ ", " > ", " ~ ", " • ", NULL};

/* Lower-case comparison key: letters and digits only. */
static char *title_key(const char *s)
{
  GString *k = g_string_new(NULL);
  for (const char *p = s ? s : ""; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (g_unichar_isalnum(c))
      g_string_append_unichar(k, g_unichar_tolower(c));
  }
  return g_string_free(k, FALSE);
}

static gboolean same_text(const char *a, const char *b)
{
  char *ka = title_key(a), *kb = title_key(b);
  gboolean same = *ka && strcmp(ka, kb) == 0;
  g_free(ka);
  g_free(kb);
  return same;
}

static guint word_count(const char *s)
{
  guint n = 0;
  gboolean in = FALSE;
  for (const char *p = s; p && *p; p++) {
    if (g_ascii_isspace(*p))
      in = FALSE;
    else if (!in) {
      in = TRUE;
      n++;
    }
  }
  return n;
}

/* Position of the last separator in title, or NULL. */
static const char *last_sep(const char *title, gsize *sep_len)
{
  const char *best = NULL;
  for (int i = 0; title_seps[i]; i++) {
    const char *p = title, *found = NULL;
    while ((p = strstr(p, title_seps[i]))) {
      found = p;
      p += 1;
    }
    if (found && (!best || found > best)) {
      best = found;
      *sep_len = strlen(title_seps[i]);
    }
  }
  return best;
}

static const char *first_sep(const char *title, gsize *sep_len)
{
  const char *best = NULL;
  for (int i = 0; title_seps[i]; i++) {
    const char *found = strstr(title, title_seps[i]);
    if (found && (!best || found < best)) {
      best = found;
      *sep_len = strlen(title_seps[i]);
    }
  }
  return best;
}

/* Removes a site-name suffix ("Title | Site") or prefix ("Site: Title")
 * from a title. reference: h1 or og:title text that the real title should
 * match, may be NULL. Returns a new string. */
static char *strip_site(const char *title, const char *site, const char *reference)
{
  char *t = g_strdup(title);
  for (int round = 0; round < 2; round++) {
    gsize sl = 0;
    const char *sep = last_sep(t, &sl);
    if (!sep)
      break;
    char *head = g_strndup(t, (gsize)(sep - t));
    const char *tail = sep + sl;
    gboolean drop = FALSE;
    if (site && (same_text(tail, site) || (strlen(site) > 3 && strstr(tail, site))))
      drop = TRUE;
    else if (reference && same_text(head, reference))
      drop = TRUE;
    else if (round == 0 && word_count(head) >= 3)
      drop = TRUE; /* the last segment of a hierarchy: "Title | Section | Site" */
    if (drop) {
      g_free(t);
      t = g_strstrip(head);
      continue;
    }
    g_free(head);
    /* "Site | Title" */
    const char *fs = first_sep(t, &sl);
    if (fs && site) {
      char *front = g_strndup(t, (gsize)(fs - t));
      if (same_text(front, site)) {
        char *rest = g_strdup(fs + sl);
        g_free(t);
        t = g_strstrip(rest);
        g_free(front);
        continue;
      }
      g_free(front);
    }
    break;
  }
  return t;
}

/* ---- Charset ---------------------------------------------------------------------- */

/* The charset a page declares in its first bytes: <meta charset>, the
 * http-equiv Content-Type, or the XML declaration (XHTML). Caller frees. */
static char *declared_charset(const char *data, gsize len)
{
  gsize n = MIN(len, (gsize)8192);
  char *head = g_ascii_strdown(data, (gssize)n);
  char *result = NULL;
  for (char *p = head; (p = strstr(p, "<meta")); p += 5) {
    char *end = strchr(p, '>');
    if (!end)
      break;
    char *cs = g_strstr_len(p, end - p, "charset");
    if (cs) {
      cs += 7;
      while (*cs == ' ')
        cs++;
      if (*cs == '=') {
        cs++;
        while (*cs == ' ' || *cs == '"' || *cs == '\'')
          cs++;
        gsize l = strspn(cs, "abcdefghijklmnopqrstuvwxyz0123456789-_:.");
        if (l > 0) {
          result = g_strndup(cs, l);
          break;
        }
      }
    }
  }
  g_free(head);
  if (!result)
    result = kq_encoding_xml_declared(data, len);
  return result;
}

/* ---- Body extraction (after Mozilla Readability's scoring) ------------------------- */

enum {
  FLAG_STRIP_UNLIKELY = 1 << 0,
  FLAG_WEIGHT_CLASSES = 1 << 1,
  FLAG_CLEAN_CONDITIONALLY = 1 << 2,
};

static const char *const div_to_p_elems[] = {"blockquote", "dl", "div", "img", "ol", "p",
                                             "pre", "table", "ul", "section", "article",
                                             "figure", "h1", "h2", "h3", "h4", "h5", "h6",
                                             "header", "footer", "aside", "main", "hr", NULL};
static const char *const phrasing_elems[] = {
  "abbr", "audio", "b", "bdo", "br", "button", "cite", "code", "data", "datalist", "dfn", "em",
  "embed", "i", "img", "input", "kbd", "label", "mark", "math", "meter", "noscript",
  "object", "output", "progress", "q", "ruby", "samp", "script", "select", "small", "span",
  "strong", "sub", "sup", "textarea", "time", "var", "wbr", "font", "u", "s", "strike", "tt",
  "big", NULL};
static const char *const tags_to_score[] = {"section", "h2", "h3", "h4", "h5", "h6", "p",
                                            "td", "pre", NULL};
static const char *const unlikely_roles[] = {"menu", "menubar", "complementary", "navigation",
                                             "alert", "alertdialog", "dialog", NULL};

static gboolean has_child_block(const xmlNode *n, int depth)
{
  for (const xmlNode *k = n->children; k; k = k->next)
    if (k->type == XML_ELEMENT_NODE &&
        (kq_html_is_in(k, div_to_p_elems) || (depth < 100 && has_child_block(k, depth + 1))))
      return TRUE;
  return FALSE;
}

static gboolean is_whitespace_node(const xmlNode *n)
{
  if (n->type == XML_TEXT_NODE) {
    for (const char *p = (const char *)n->content; p && *p; p++)
      if (!g_ascii_isspace(*p))
        return FALSE;
    return TRUE;
  }
  return kq_html_is(n, "br");
}

static gboolean is_phrasing_at(const xmlNode *n, int depth);

static gboolean is_phrasing(const xmlNode *n)
{
  return is_phrasing_at(n, 0);
}

static gboolean is_phrasing_at(const xmlNode *n, int depth)
{
  if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
    return TRUE;
  if (n->type != XML_ELEMENT_NODE)
    return TRUE; /* comments */
  if (kq_html_is_in(n, phrasing_elems))
    return TRUE;
  if (kq_html_is(n, "a") || kq_html_is(n, "del") || kq_html_is(n, "ins")) {
    for (const xmlNode *k = n->children; k; k = k->next)
      if (depth > 100 || !is_phrasing_at(k, depth + 1))
        return FALSE;
    return TRUE;
  }
  return FALSE;
}

static gboolean single_tag_inside(const xmlNode *n, const char *tag)
{
  const xmlNode *only = NULL;
  for (const xmlNode *k = n->children; k; k = k->next) {
    if (k->type == XML_ELEMENT_NODE) {
      if (only)
        return FALSE;
      only = k;
    } else if (k->type == XML_TEXT_NODE && !is_whitespace_node(k)) {
      return FALSE;
    }
  }
  return only && kq_html_is(only, tag);
}

static gboolean without_content(const xmlNode *n)
{
  for (const xmlNode *k = n->children; k; k = k->next) {
    if (k->type == XML_TEXT_NODE && !is_whitespace_node(k))
      return FALSE;
    if (k->type == XML_ELEMENT_NODE && !kq_html_is(k, "br") && !kq_html_is(k, "hr"))
      return FALSE;
  }
  return TRUE;
}

/* Readability's text similarity: share of b's words also in a. */
static double text_similarity(const char *a, const char *b)
{
  char *la = g_utf8_strdown(a, -1), *lb = g_utf8_strdown(b, -1);
  const GRegex *non_word = patterns()->non_word;
  char **ta = g_regex_split(non_word, la, 0);
  char **tb = g_regex_split(non_word, lb, 0);
  GHashTable *set = g_hash_table_new(g_str_hash, g_str_equal);
  for (char **t = ta; *t; t++)
    if (**t)
      g_hash_table_add(set, *t);
  gsize total = 0, uniq = 0;
  guint ntok = 0, nuniq = 0;
  for (char **t = tb; *t; t++) {
    if (!**t)
      continue;
    total += strlen(*t);
    ntok++;
    if (!g_hash_table_contains(set, *t)) {
      uniq += strlen(*t);
      nuniq++;
    }
  }
  double sim = 0;
  if (ntok > 0) {
    double dt = (double)(total + ntok - 1), du = nuniq ? (double)(uniq + nuniq - 1) : 0;
    sim = 1 - du / dt;
  }
  g_hash_table_unref(set);
  g_strfreev(ta);
  g_strfreev(tb);
  g_free(la);
  g_free(lb);
  return sim;
}

typedef struct {
  guint flags;
  const char *title;
  GHashTable *scores; /* xmlNode* -> double* */
  char *byline;       /* found in the page (first attempt only) */
  gboolean want_byline;
  gboolean headline;  /* the page shows its title as a heading: an article page */
} Grab;

static double *score_of(Grab *g, const xmlNode *n)
{
  return g_hash_table_lookup(g->scores, n);
}

static double *init_score(Grab *g, xmlNode *n)
{
  double *s = score_of(g, n);
  if (s)
    return s;
  s = g_new0(double, 1);
  const char *name = (const char *)n->name;
  if (kq_html_is(n, "div"))
    *s += 5;
  else if (kq_html_is(n, "pre") || kq_html_is(n, "td") || kq_html_is(n, "blockquote"))
    *s += 3;
  else if (kq_html_is(n, "address") || kq_html_is(n, "ol") || kq_html_is(n, "ul") || kq_html_is(n, "dl") ||
           kq_html_is(n, "dd") || kq_html_is(n, "dt") || kq_html_is(n, "li") || kq_html_is(n, "form"))
    *s -= 3;
  else if ((name[0] == 'h' || name[0] == 'H') && name[1] >= '1' && name[1] <= '6' && !name[2])
    *s -= 5;
  else if (kq_html_is(n, "th"))
    *s -= 5;
  if (g->flags & FLAG_WEIGHT_CLASSES)
    *s += class_weight(n);
  g_hash_table_insert(g->scores, n, s);
  return s;
}

static gboolean valid_byline(const char *s)
{
  glong len = g_utf8_strlen(s, -1);
  return len > 0 && len < 100;
}

/* Readability's first pass: drop unlikely nodes, find the byline, turn
 * divs holding only phrasing content into paragraphs; returns the
 * elements to score. */
static GPtrArray *prepare_nodes(Grab *g, xmlNode *body)
{
  const Patterns *pat = patterns();
  GPtrArray *to_score = g_ptr_array_new();
  xmlNode *n = body;
  while (n) {
    if (n->type != XML_ELEMENT_NODE) {
      xmlNode *next = next_node(n, TRUE, body);
      if (n->type == XML_COMMENT_NODE)
        remove_node(n);
      n = next;
      continue;
    }
    /* <noscript> stays, unscored: the converter skips it but may take the
     * real image of a lazy-loading placeholder from it. */
    if (kq_html_is(n, "noscript")) {
      n = next_node(n, TRUE, body);
      continue;
    }
    if (n != body && (kq_html_node_is_dropped(n) || kq_html_node_is_hidden(n))) {
      n = remove_and_next(n, body);
      continue;
    }
    char *ms = match_string(n);
    /* Byline: rel=author, itemprop~=author, or a byline-ish class/id. */
    if (g->want_byline && !g->byline && n != body) {
      char *rel = kq_html_attr(n, "rel"), *ip = kq_html_attr(n, "itemprop");
      gboolean cand = (rel && strcmp(rel, "author") == 0) || (ip && strstr(ip, "author")) ||
                      match(pat->byline, ms);
      g_free(rel);
      g_free(ip);
      if (cand) {
        char *t = node_text(n);
        if (valid_byline(t) && !kq_html_is(n, "body") && !kq_html_is(n, "html")) {
          g->byline = t;
          n = remove_and_next(n, body);
          g_free(ms);
          continue;
        }
        g_free(t);
      }
    }
    /* The heading repeating the title. */
    if (g->title && (kq_html_is(n, "h1") || kq_html_is(n, "h2"))) {
      char *t = node_text(n);
      gboolean dup = *t && text_similarity(g->title, t) > 0.75;
      g_free(t);
      if (dup) {
        g->headline = TRUE;
        n = remove_and_next(n, body);
        g_free(ms);
        continue;
      }
    }
    if ((g->flags & FLAG_STRIP_UNLIKELY) && n != body) {
      gboolean unlikely = match(pat->unlikely, ms) && !match(pat->maybe, ms) &&
                          !has_ancestor(n, "table") && !has_ancestor(n, "code") &&
                          !kq_html_is(n, "body") && !kq_html_is(n, "a") &&
                          !kq_html_is_embedded_post(n);
      char *role = kq_html_attr(n, "role");
      for (int r = 0; role && unlikely_roles[r]; r++)
        if (g_ascii_strcasecmp(g_strstrip(role), unlikely_roles[r]) == 0)
          unlikely = TRUE;
      g_free(role);
      if (unlikely) {
        n = remove_and_next(n, body);
        g_free(ms);
        continue;
      }
    }
    g_free(ms);
    if ((kq_html_is(n, "div") || kq_html_is(n, "section") || kq_html_is(n, "header") ||
         (n->name[0] == 'h' && n->name[1] >= '1' && n->name[1] <= '6' && !n->name[2])) &&
        n != body && without_content(n)) {
      n = remove_and_next(n, body);
      continue;
    }
    if (kq_html_is_in(n, tags_to_score))
      g_ptr_array_add(to_score, n);
    if (kq_html_is(n, "div")) {
      /* Phrasing content runs become paragraphs. */
      xmlNode *p = NULL;
      for (xmlNode *k = n->children; k;) {
        xmlNode *next = k->next;
        if (is_phrasing(k)) {
          if (p) {
            xmlUnlinkNode(k);
            xmlAddChild(p, k);
          } else if (!is_whitespace_node(k)) {
            p = xmlNewDocNode(n->doc, NULL, (const xmlChar *)"p", NULL);
            xmlAddPrevSibling(k, p);
            xmlUnlinkNode(k);
            xmlAddChild(p, k);
          }
        } else if (p) {
          while (p->last && is_whitespace_node(p->last))
            remove_node(p->last);
          p = NULL;
        }
        k = next;
      }
      if (single_tag_inside(n, "p") && link_density(n) < 0.25) {
        xmlNode *child = NULL;
        for (xmlNode *k = n->children; k; k = k->next)
          if (k->type == XML_ELEMENT_NODE)
            child = k;
        /* The paragraph keeps what the div's class and id said of it
         * (a credit, a caption) for the clean-up after scoring. */
        static const char *const kept_attrs[] = {"class", "id", NULL};
        for (int a = 0; kept_attrs[a]; a++) {
          xmlChar *v = xmlGetProp(n, (const xmlChar *)kept_attrs[a]);
          if (v && !xmlHasProp(child, (const xmlChar *)kept_attrs[a]))
            xmlSetProp(child, (const xmlChar *)kept_attrs[a], v);
          xmlFree(v);
        }
        xmlUnlinkNode(child);
        xmlReplaceNode(n, child);
        xmlFreeNode(n);
        n = child;
        g_ptr_array_add(to_score, n);
      } else if (!has_child_block(n, 0)) {
        xmlNodeSetName(n, (const xmlChar *)"p");
        g_ptr_array_add(to_score, n);
      }
    }
    n = next_node(n, FALSE, body);
  }
  return to_score;
}

/* Next sibling from n on that is not blank text. */
static xmlNode *skip_blank(xmlNode *n)
{
  while (n && n->type != XML_ELEMENT_NODE && is_whitespace_node(n))
    n = n->next;
  while (n && n->type == XML_COMMENT_NODE)
    n = n->next;
  return n;
}

/* Readability's _replaceBrs: text split by "<br><br>" becomes paragraphs,
 * so that the scorer sees them as such. */
static void replace_brs(xmlNode *body)
{
  GPtrArray *brs = g_ptr_array_new();
  static const char *const br_tag[] = {"br", NULL};
  collect_elements(body, br_tag, brs);
  GHashTable *removed = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (guint i = 0; i < brs->len; i++) {
    xmlNode *br = g_ptr_array_index(brs, i);
    if (g_hash_table_contains(removed, br) || !br->parent)
      continue;
    gboolean replaced = FALSE;
    xmlNode *next;
    while ((next = skip_blank(br->next)) && kq_html_is(next, "br")) {
      replaced = TRUE;
      /* Blank text between the two breaks goes too. */
      while (br->next != next)
        remove_node(br->next);
      g_hash_table_add(removed, next);
      remove_node(next);
    }
    if (!replaced)
      continue;
    xmlNode *p = xmlNewDocNode(br->doc, NULL, (const xmlChar *)"p", NULL);
    xmlReplaceNode(br, p);
    g_hash_table_add(removed, br);
    xmlFreeNode(br);
    next = p->next;
    while (next) {
      if (kq_html_is(next, "br")) {
        xmlNode *after = skip_blank(next->next);
        if (after && kq_html_is(after, "br"))
          break;
      }
      if (!is_phrasing(next))
        break;
      xmlNode *sibling = next->next;
      xmlUnlinkNode(next);
      xmlAddChild(p, next);
      next = sibling;
    }
    while (p->last && is_whitespace_node(p->last)) {
      if (kq_html_is(p->last, "br"))
        g_hash_table_add(removed, p->last);
      remove_node(p->last);
    }
    if (p->parent && kq_html_is(p->parent, "p"))
      xmlNodeSetName(p->parent, (const xmlChar *)"div");
  }
  g_hash_table_unref(removed);
  g_ptr_array_unref(brs);
}

static gint cmp_score(gconstpointer a, gconstpointer b, gpointer data)
{
  Grab *g = data;
  double sa = *score_of(g, *(xmlNode *const *)a), sb = *score_of(g, *(xmlNode *const *)b);
  return sa < sb ? 1 : sa > sb ? -1 : 0;
}

static guint element_children(const xmlNode *n)
{
  guint c = 0;
  for (const xmlNode *k = n->children; k; k = k->next)
    if (k->type == XML_ELEMENT_NODE)
      c++;
  return c;
}

static gboolean is_ancestor_in(const xmlNode *anc, const xmlNode *n, int max)
{
  int i = 0;
  for (const xmlNode *p = n->parent; p && (max <= 0 || i < max); p = p->parent, i++)
    if (p == anc)
      return TRUE;
  return FALSE;
}

static gboolean is_data_table(const xmlNode *t)
{
  char *role = kq_html_attr(t, "role");
  gboolean pres = role && strcmp(role, "presentation") == 0;
  g_free(role);
  if (pres)
    return FALSE;
  char *dt = kq_html_attr(t, "datatable");
  gboolean no = dt && strcmp(dt, "0") == 0;
  g_free(dt);
  if (no)
    return FALSE;
  if (xmlHasProp(t, (const xmlChar *)"summary"))
    return TRUE;
  GPtrArray *inner = g_ptr_array_new();
  static const char *const data_tags[] = {"caption", "col", "colgroup", "tfoot", "thead", "th",
                                          NULL};
  collect_elements((xmlNode *)t, data_tags, inner);
  gboolean data = inner->len > 0;
  g_ptr_array_unref(inner);
  if (data)
    return TRUE;
  if (count_elements((xmlNode *)t, "table") > 0)
    return FALSE;
  guint rows = count_elements((xmlNode *)t, "tr");
  guint cells = count_elements((xmlNode *)t, "td");
  guint cols = rows ? (cells + rows - 1) / rows : 0;
  return rows >= 10 || cols > 4 || rows * cols > 10;
}

static gboolean in_data_table(const xmlNode *n)
{
  for (const xmlNode *p = n->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent)
    if (kq_html_is(p, "table") && is_data_table(p))
      return TRUE;
  return FALSE;
}

/* Everything _cleanConditionally weighs, gathered in one walk. Text in
 * nested lists counts once per enclosing list, as Readability counts it. */
typedef struct {
  double chars, commas, link_chars, list_chars, heading_chars;
  double p, img, li, input, embeds;
} Stats;

static void stats_walk(const xmlNode *n, Stats *st, double link_weight, int lists,
                       int headings, gboolean *space, int depth)
{
  for (const xmlNode *k = n->children; k; k = k->next) {
    if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
      for (const guchar *c = k->content; c && *c; c++) {
        double add = kq_html_count_byte(*c, space, st->chars > 0);
        if (add == 0)
          continue;
        st->chars += add;
        st->link_chars += add * link_weight;
        st->list_chars += add * lists;
        st->heading_chars += add * headings;
        if (*c == ',')
          st->commas += 1;
      }
    } else if (k->type == XML_ELEMENT_NODE && depth < 200 && !kq_html_node_is_dropped(k)) {
      double w = link_weight != 0 ? link_weight : link_weights[link_kind(k)];
      int l = lists, h = headings;
      const char *name = (const char *)k->name;
      if (kq_html_is(k, "p")) {
        st->p++;
      } else if (kq_html_is(k, "img")) {
        st->img++;
      } else if (kq_html_is(k, "li")) {
        st->li++;
      } else if (kq_html_is(k, "embed")) {
        st->embeds++;
      } else if (kq_html_is(k, "ul") || kq_html_is(k, "ol")) {
        l++;
      } else if ((name[0] == 'h' || name[0] == 'H') && name[1] >= '1' && name[1] <= '6' &&
                 !name[2]) {
        h++;
      }
      stats_walk(k, st, w, l, h, space, depth + 1);
    }
  }
}

static Stats node_stats(const xmlNode *n)
{
  Stats st = {0};
  gboolean space = FALSE;
  stats_walk(n, &st, 0, 0, 0, &space, 0);
  return st;
}

static gboolean should_remove(Grab *g, xmlNode *n, const char *tag)
{
  gboolean is_list = strcmp(tag, "ul") == 0 || strcmp(tag, "ol") == 0;
  Stats st = node_stats(n);
  /* Inputs, iframes and objects were removed before scoring (they are
   * never text): only <embed>, which libxml2 keeps open, can be counted. */
  if (!is_list && st.chars > 0)
    is_list = st.list_chars / st.chars > 0.9;
  if (strcmp(tag, "table") == 0 && is_data_table(n))
    return FALSE;
  if (in_data_table(n) || has_ancestor(n, "code"))
    return FALSE;
  int weight = (g->flags & FLAG_WEIGHT_CLASSES) ? class_weight(n) : 0;
  if (weight < 0)
    return !kq_html_is_embedded_post(n);
  if (st.commas >= 10)
    return FALSE;
  double p = st.p, img = st.img, li = st.li - 100, input = st.input;
  double heading_density = st.chars > 0 ? st.heading_chars / st.chars : 0;
  double embeds = st.embeds;
  double ld = st.chars > 0 ? st.link_chars / st.chars : 0;
  double len = st.chars;
  gboolean in_figure = has_ancestor(n, "figure");
  gboolean remove = (img > 1 && p / img < 0.5 && !in_figure) || (!is_list && li > p) ||
                    (input > floor(p / 3)) ||
                    (!is_list && heading_density < 0.9 && len < 25 && (img == 0 || img > 2) &&
                     !in_figure) ||
                    (!is_list && weight < 25 && ld > 0.2) || (weight >= 25 && ld > 0.5) ||
                    ((embeds == 1 && len < 75) || embeds > 1);
  if (is_list && remove) {
    for (xmlNode *k = n->children; k; k = k->next)
      if (k->type == XML_ELEMENT_NODE && element_children(k) > 1)
        return !kq_html_is_embedded_post(n);
    if (img == st.li)
      return FALSE;
  }
  /* A quoted post (an embedded tweet) is text, whatever its class says. */
  return remove && !kq_html_is_embedded_post(n);
}

static void clean_conditionally(Grab *g, xmlNode *root, const char *tag)
{
  if (!(g->flags & FLAG_CLEAN_CONDITIONALLY))
    return;
  const char *names[] = {tag, NULL};
  GPtrArray *nodes = g_ptr_array_new();
  collect_elements(root, names, nodes);
  for (guint i = nodes->len; i-- > 0;) {
    xmlNode *n = g_ptr_array_index(nodes, i);
    if (should_remove(g, n, tag))
      remove_node(n);
  }
  g_ptr_array_unref(nodes);
}

static void prep_article(Grab *g, xmlNode *article)
{
  static const char *const gone[] = {"footer", "aside", "link", "object", NULL};
  GPtrArray *nodes = g_ptr_array_new();
  collect_elements(article, gone, nodes);
  for (guint i = nodes->len; i-- > 0;)
    remove_node(g_ptr_array_index(nodes, i));
  g_ptr_array_set_size(nodes, 0);
  /* Share widgets. */
  const Patterns *pat = patterns();
  for (xmlNode *n = article->children; n;) {
    if (n->type == XML_ELEMENT_NODE) {
      char *ms = match_string(n);
      gboolean share = match(pat->share, ms) && text_info(n).chars < 500;
      g_free(ms);
      if (share) {
        n = remove_and_next(n, article);
        continue;
      }
    }
    n = next_node(n, FALSE, article);
  }
  clean_conditionally(g, article, "table");
  clean_conditionally(g, article, "ul");
  clean_conditionally(g, article, "div");
  /* Headers with a negative class weight. */
  static const char *const heads[] = {"h1", "h2", NULL};
  collect_elements(article, heads, nodes);
  for (guint i = nodes->len; i-- > 0;) {
    xmlNode *h = g_ptr_array_index(nodes, i);
    if ((g->flags & FLAG_WEIGHT_CLASSES) && class_weight(h) < 0)
      remove_node(h);
  }
  g_ptr_array_unref(nodes);
  /* Not in the last, loosest attempt: on a page of headlines the teasers
   * are the content. */
  if (g->flags != 0)
    kq_html_prune_boilerplate(article);
}

/* ---- Paragraphs that are not the article's --------------------------------
 * Readability weighs every paragraph alike, so a column of teaser cards
 * (a linked headline, a one-sentence summary) or a thread of reader
 * comments can outweigh a short article. Both are told apart by their
 * structure, whatever the page's class names and language. */

/* h2-h6 whose text mostly leads to other pages (a linked headline), or a
 * heading inside such a link. */
static gboolean is_link_heading(const xmlNode *n)
{
  const char *name = n && n->type == XML_ELEMENT_NODE ? (const char *)n->name : NULL;
  if (!name || (name[0] != 'h' && name[0] != 'H') || name[1] < '2' || name[1] > '6' || name[2])
    return FALSE;
  for (const xmlNode *a = n->parent; a && a->type == XML_ELEMENT_NODE; a = a->parent)
    if (kq_html_is(a, "a")) {
      xmlChar *href = xmlGetProp(a, (const xmlChar *)"href");
      gboolean away = href && href[0] && href[0] != '#';
      xmlFree(href);
      return away;
    }
  TextInfo t = text_info(n);
  return t.chars > 0 && t.link_chars >= 0.6 * t.chars;
}

/* A teaser's summary: a paragraph that a linked headline introduces
 * within a few siblings (pictures, dates and links may come between). */
static gboolean is_teaser_paragraph(const xmlNode *p)
{
  int seen = 0;
  for (const xmlNode *s = p->prev; s && seen < 3; s = s->prev) {
    if (s->type != XML_ELEMENT_NODE)
      continue;
    seen++;
    if (is_link_heading(s))
      return TRUE;
    if (kq_html_is(s, "p") || (s->name[0] == 'h' && s->name[1] >= '1' && s->name[1] <= '6'))
      return FALSE;
  }
  return FALSE;
}

static gboolean has_descendant_elem(const xmlNode *n, const char *name, int depth)
{
  for (const xmlNode *k = n->children; k; k = k->next)
    if (k->type == XML_ELEMENT_NODE &&
        (kq_html_is(k, name) || (depth < 20 && has_descendant_elem(k, name, depth + 1))))
      return TRUE;
  return FALSE;
}

/* A reader's comment: a paragraph inside one of several sibling list
 * items (or <article>s) of the same class that each carry a <time>, as
 * comment threads are marked up. */
static gboolean is_comment_paragraph(const xmlNode *p)
{
  int level = 0;
  for (const xmlNode *u = p->parent; u && u->type == XML_ELEMENT_NODE && level < 4;
       u = u->parent, level++) {
    if (!kq_html_is(u, "li") && !kq_html_is(u, "article"))
      continue;
    /* Siblings alike first: a page's one <article> is not walked for a
     * <time> once per paragraph. */
    char *cls = kq_html_attr(u, "class");
    GPtrArray *alike = g_ptr_array_new();
    for (const xmlNode *s = u->parent ? u->parent->children : NULL; s; s = s->next) {
      if (s == u || s->type != XML_ELEMENT_NODE || !xmlStrEqual(s->name, u->name))
        continue;
      char *sc = kq_html_attr(s, "class");
      if (g_strcmp0(sc, cls) == 0)
        g_ptr_array_add(alike, (gpointer)s);
      g_free(sc);
    }
    g_free(cls);
    guint timed = 0;
    if (alike->len >= 2 && has_descendant_elem(u, "time", 0))
      for (guint i = 0; i < alike->len && timed < 2; i++)
        if (has_descendant_elem(g_ptr_array_index(alike, i), "time", 0))
          timed++;
    g_ptr_array_unref(alike);
    return timed >= 2;
  }
  return FALSE;
}

/* A teaser's headline or summary, or a reader's comment. */
static gboolean is_foreign(const xmlNode *n)
{
  if (kq_html_is(n, "p"))
    return is_teaser_paragraph(n) || is_comment_paragraph(n);
  return is_link_heading(n);
}

/* Share of e's text in teasers and comments: a scored <section> counts
 * all the text of the paragraphs it holds, an attempt's article all its
 * text. */
static double foreign_share(xmlNode *e, double chars)
{
  if (kq_html_is(e, "p") || is_link_heading(e))
    return is_foreign(e) ? 1 : 0;
  if (chars <= 0)
    return 0;
  double foreign = 0;
  for (xmlNode *n = e->children; n;) {
    gboolean alien = n->type == XML_ELEMENT_NODE && is_foreign(n);
    if (alien)
      foreign += text_info(n).chars;
    n = next_node(n, alien, e);
  }
  return MIN(1, foreign / chars);
}

/* One attempt: returns the article container (a div appended to body) or
 * NULL. */
static xmlNode *grab_article(Grab *g, htmlDocPtr doc)
{
  xmlNode *body = find_body(doc);
  if (!body)
    return NULL;
  replace_brs(body);
  GPtrArray *to_score = prepare_nodes(g, body);
  GPtrArray *candidates = g_ptr_array_new();
  /* The tree stays as it is until the candidates are weighed. */
  Measures measures;
  measures_take(&measures, body);
  for (guint i = 0; i < to_score->len; i++) {
    xmlNode *e = g_ptr_array_index(to_score, i);
    if (!e->parent || e->parent->type != XML_ELEMENT_NODE)
      continue;
    TextInfo ti = text_info(e);
    if (ti.chars < 25)
      continue;
    double content = 1 + (ti.commas + 1) + MIN(floor(ti.chars / 100), 3);
    /* Teasers and comments count a quarter of a paragraph of the article:
     * enough to win where they are all the page holds. */
    if (g->flags != 0)
      content *= 1 - 0.75 * foreign_share(e, ti.chars);
    int level = 0;
    for (xmlNode *a = e->parent; a && level < 5; a = a->parent, level++) {
      if (a->type != XML_ELEMENT_NODE || !a->parent || a->parent->type != XML_ELEMENT_NODE)
        break;
      if (!score_of(g, a))
        g_ptr_array_add(candidates, a);
      double *s = init_score(g, a);
      double divider = level == 0 ? 1 : level == 1 ? 2 : level * 3;
      *s += content / divider;
    }
  }
  g_ptr_array_unref(to_score);
  /* Links weigh against a candidate, except in the last, loosest attempt:
   * on a page made only of headlines (a home page), the headlines are the
   * content. */
  for (guint i = 0; i < candidates->len && g->flags != 0; i++) {
    xmlNode *c = g_ptr_array_index(candidates, i);
    double *s = score_of(g, c);
    *s *= 1 - link_density(c);
  }
  measures_clear(&measures);
  g_ptr_array_sort_with_data(candidates, cmp_score, g);
  xmlNode *top = candidates->len ? g_ptr_array_index(candidates, 0) : NULL;
  xmlNode *article = xmlNewDocNode(doc, NULL, (const xmlChar *)"div", NULL);
  if (!top || kq_html_is(top, "body") || kq_html_is(top, "html")) {
    /* Everything in body is the article. */
    while (body->children) {
      xmlNode *k = body->children;
      xmlUnlinkNode(k);
      xmlAddChild(article, k);
    }
    xmlAddChild(body, article);
    goto prep;
  }
  double top_score = *score_of(g, top);
  guint alternatives = 0;
  for (guint i = 1; i < candidates->len && i < 5; i++)
    if (*score_of(g, g_ptr_array_index(candidates, i)) / top_score >= 0.75)
      alternatives++;
  if (alternatives >= 3) {
    for (xmlNode *p = top->parent; p && p != body && p->type == XML_ELEMENT_NODE;
         p = p->parent) {
      guint containing = 0;
      for (guint i = 1; i < candidates->len && i < 5; i++) {
        xmlNode *c = g_ptr_array_index(candidates, i);
        if (*score_of(g, c) / top_score >= 0.75 && is_ancestor_in(p, c, 0))
          containing++;
      }
      if (containing >= 3) {
        top = p;
        break;
      }
    }
  }
  init_score(g, top);
  double last = *score_of(g, top), threshold = last / 3;
  for (xmlNode *p = top->parent; p && p != body && p->type == XML_ELEMENT_NODE;
       p = p->parent) {
    double *ps = score_of(g, p);
    if (!ps)
      continue;
    if (*ps < threshold)
      break;
    if (*ps > last) {
      top = p;
      break;
    }
    last = *ps;
  }
  while (top->parent && top->parent != body && top->parent->type == XML_ELEMENT_NODE &&
         element_children(top->parent) == 1)
    top = top->parent;
  top_score = *init_score(g, top);
  /* Siblings of the top candidate that look like more of the article. */
  double sibling_threshold = MAX(10, top_score * 0.2);
  char *top_class = kq_html_attr(top, "class");
  GPtrArray *keep = g_ptr_array_new();
  xmlNode *parent = top->parent;
  for (xmlNode *s = parent->children; s; s = s->next) {
    if (s->type != XML_ELEMENT_NODE)
      continue;
    gboolean append = s == top;
    if (!append) {
      double bonus = 0;
      char *cls = kq_html_attr(s, "class");
      if (top_class && *top_class && cls && strcmp(cls, top_class) == 0)
        bonus += top_score * 0.2;
      g_free(cls);
      double *ss = score_of(g, s);
      if (ss && *ss + bonus >= sibling_threshold) {
        append = TRUE;
      } else if (kq_html_is(s, "p")) {
        TextInfo ti = text_info(s);
        double ld = ti.chars > 0 ? ti.link_chars / ti.chars : 0;
        char *t = node_text(s);
        gboolean sentence = strstr(t, ". ") != NULL || g_str_has_suffix(t, ".");
        g_free(t);
        if (ti.chars > 80 && ld < 0.25)
          append = TRUE;
        else if (ti.chars < 80 && ti.chars > 0 && ld == 0 && sentence)
          append = TRUE;
      }
    }
    if (append)
      g_ptr_array_add(keep, s);
  }
  g_free(top_class);
  for (guint i = 0; i < keep->len; i++) {
    xmlNode *s = g_ptr_array_index(keep, i);
    xmlUnlinkNode(s);
    xmlAddChild(article, s);
  }
  g_ptr_array_unref(keep);
  xmlAddChild(body, article);
prep:
  g_ptr_array_unref(candidates);
  prep_article(g, article);
  return article;
}

/* ---- The reader --------------------------------------------------------------------- */

static const char *const html_extensions[] = {".html", ".htm", ".xhtml", NULL};

static int html_sniff(const char *data, gsize len)
{
  gsize n = MIN(len, (gsize)2048);
  char *head = g_ascii_strdown(data, (gssize)n);
  const char *p = head;
  if (g_str_has_prefix(p, "\xef\xbb\xbf"))
    p += 3;
  while (*p && g_ascii_isspace(*p))
    p++;
  int score = 0;
  if (g_str_has_prefix(p, "<!doctype html"))
    score = 100;
  else if (g_str_has_prefix(p, "<html"))
    score = 95;
  else if (strstr(p, "<html"))
    score = g_str_has_prefix(p, "<?xml") ? 80 : 70;
  else if (strstr(p, "<head") || strstr(p, "<body") || strstr(p, "<title") ||
           strstr(p, "<meta"))
    score = 60;
  else if (*p == '<' && !g_str_has_prefix(p, "<?xml") &&
           kq_html_looks_like_markup(p, strlen(p)))
    score = 30;
  g_free(head);
  return score;
}

/* kq_set_string() only when the field is still unknown. */
static void fill(char **field, const char *value)
{
  if (!*field)
    kq_set_string(field, value);
}

static const char *first_of(const Meta *m, const char *const *keys)
{
  for (int i = 0; keys[i]; i++) {
    const char *v = meta_get(m, keys[i]);
    if (v)
      return v;
  }
  return NULL;
}

static void parse_date_into(KqDate *out, const char *text, KqLog *log, const char *path)
{
  if (out->set || !text)
    return;
  char *t = g_strstrip(g_strdup(text));
  char *warning = NULL;
  if (kq_date_parse(t, out, &warning)) {
    if (warning)
      KQ_INFO(log, path, 0, "date '%s': %s", t, warning);
  }
  g_free(warning);
  g_free(t);
}

/* "By Jane Doe" -> "Jane Doe". */
static char *clean_byline(const char *s)
{
  char *c = collapse(s);
  static const char *const prefixes[] = {"by ", "par ", "von ", "por ", "de ", "written by ",
                                         "posted by ", NULL};
  for (int i = 0; prefixes[i]; i++) {
    gsize l = strlen(prefixes[i]);
    if (g_ascii_strncasecmp(c, prefixes[i], l) == 0) {
      char *rest = g_strdup(c + l);
      g_free(c);
      c = rest;
      break;
    }
  }
  return c;
}

static gsize blocks_text_length(const GPtrArray *blocks)
{
  char *t = kq_blocks_to_text(blocks);
  gsize n = (gsize)g_utf8_strlen(t, -1);
  g_free(t);
  return n;
}

/* Characters of a body that is the article's own (a paragraph or two). */
#define OWN_MIN 140

static gboolean html_read(const char *path, const char *data, gsize len,
                          const KqReadOptions *opts, KqLog *log, GPtrArray *out, GError **error)
{
  gboolean ok = FALSE;
  char *declared = declared_charset(data, len);
  gsize ulen = 0;
  char *note = NULL, *info = NULL;
  char *utf8 = kq_encoding_to_utf8(data, len, declared, &ulen, &note, &info);
  Meta m;
  meta_init(&m);
  htmlDocPtr doc = NULL;
  KqArticle *a = NULL;
  GPtrArray *blocks = NULL;
  if (note)
    KQ_WARN(log, path, 0, "%s", note);
  if (info)
    KQ_INFO(log, path, 0, "%s", info);
  /* NUL bytes would end libxml2's input early. */
  if (memchr(utf8, '\0', ulen)) {
    gsize w = 0;
    for (gsize i = 0; i < ulen; i++)
      if (utf8[i] != '\0')
        utf8[w++] = utf8[i];
    utf8[w] = '\0';
    ulen = w;
  }
  KqHtmlCuts cuts = {0};
  doc = kq_html_parse_utf8(utf8, ulen, NULL, opts ? opts->max_depth : 0, &cuts);
  kq_html_warn_cuts(&cuts, opts ? opts->max_depth : 0, log, path);
  if (!doc || !xmlDocGetRootElement(doc)) {
    g_set_error_literal(error, KQ_READ_ERROR, KQ_READ_ERROR_SYNTAX, "not an HTML document");
    goto out;
  }
  collect_meta(doc, &m, log, path);

  a = kq_article_new(path, KQ_FORMAT_HTML);
  /* URL and base. */
  const char *page_url = m.canonical ? m.canonical : meta_get(&m, "og:url");
  if (!page_url)
    page_url = m.ld_url;
  char *base = NULL;
  if (page_url && (g_str_has_prefix(page_url, "http://") || g_str_has_prefix(page_url, "https://")))
    kq_set_string(&a->url, page_url);
  /* a <base> pointing off the page's own site is ignored (link.h) */
  base = kq_link_base(a->url, m.base_href);

  /* Site. */
  static const char *const site_keys[] = {"og:site_name", "application-name",
                                          "twitter:site_name", NULL};
  fill(&a->site, m.ld_site);
  fill(&a->site, first_of(&m, site_keys));
  fill(&a->site, m.ld_org);

  /* A <title> ending in a domain name ("Accueil - LinuxFr.org") names
   * the site; else the host of the page's URL does. */
  if (!a->site && m.title_tag) {
    gsize sl = 0;
    const char *sep = last_sep(m.title_tag, &sl);
    if (sep && g_regex_match_simple("^[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,6}$",
                                    sep + sl, 0, 0))
      a->site = g_strdup(sep + sl);
  }
  if (!a->site && base) {
    GUri *uri = g_uri_parse(base, G_URI_FLAGS_NONE, NULL);
    if (uri && g_uri_get_host(uri)) {
      const char *h = g_uri_get_host(uri);
      if (g_str_has_prefix(h, "www."))
        h += 4;
      kq_set_string(&a->site, h);
    }
    g_clear_pointer(&uri, g_uri_unref);
  }

  /* Title. */
  static const char *const title_keys[] = {"og:title", "dc.title", "dc:title", "dcterms.title",
                                           "dcterm:title", "twitter:title", "parsely-title",
                                           "sailthru.title", "title", NULL};
  const char *og_title = first_of(&m, title_keys);
  /* JSON-LD "name" and "headline" usually agree; when they differ (some
   * sites put a summary in headline), name wins unless only headline
   * matches <title>. */
  const char *ld_title = m.ld_headline ? m.ld_headline : m.ld_name;
  if (m.ld_headline && m.ld_name && strcmp(m.ld_headline, m.ld_name) != 0) {
    char *doc_title = m.title_tag ? strip_site(m.title_tag, a->site, NULL) : NULL;
    double sh = doc_title ? text_similarity(m.ld_headline, doc_title) : 0;
    double sn = doc_title ? text_similarity(m.ld_name, doc_title) : 0;
    ld_title = sh > 0.75 && sn <= 0.75 ? m.ld_headline : m.ld_name;
    g_free(doc_title);
  }
  const char *reference = m.n_h1 == 1 ? m.h1 : og_title;
  char *title = NULL;
  /* Metadata titles are the publisher's own: kept as written. The <title>
   * element usually carries the site name, which is removed. */
  if (ld_title)
    title = g_strdup(ld_title);
  else if (og_title)
    title = g_strdup(og_title);
  else if (m.title_tag)
    title = strip_site(m.title_tag, a->site, reference);
  else if (m.h1)
    title = g_strdup(m.h1);
  kq_set_string(&a->title, title);
  g_free(title);

  /* Description. */
  static const char *const desc_keys[] = {"og:description", "description", "dc.description",
                                          "dcterms.description", "twitter:description", NULL};
  fill(&a->standfirst, m.ld_description);
  fill(&a->standfirst, first_of(&m, desc_keys));

  /* Dates. */
  static const char *const pub_keys[] = {
    "article:published_time", "og:article:published_time", "og:published_time", "article:published", "dc.date.issued",
    "dcterms.issued", "dcterms.created", "dc.date.created", "dc.date", "dcterms.date",
    "parsely-pub-date", "sailthru.date", "datepublished", "date", "pubdate", "publish-date",
    "publish_date", "publication_date", "article.published", "citation_publication_date",
    NULL};
  static const char *const mod_keys[] = {"article:modified_time", "og:article:modified_time",
                                         "og:updated_time",
                                         "dcterms.modified", "datemodified", "last-modified",
                                         NULL};
  parse_date_into(&a->published, m.ld_published, log, path);
  for (int i = 0; pub_keys[i] && !a->published.set; i++)
    parse_date_into(&a->published, meta_get(&m, pub_keys[i]), log, path);
  parse_date_into(&a->published, m.time_published, log, path);
  parse_date_into(&a->published, m.text_date, log, path);
  parse_date_into(&a->updated, m.ld_modified, log, path);
  for (int i = 0; mod_keys[i] && !a->updated.set; i++)
    parse_date_into(&a->updated, meta_get(&m, mod_keys[i]), log, path);

  /* Topics. */
  for (guint i = 0; i < m.ld_topics->len; i++)
    kq_strv_add_unique(a->topics, g_ptr_array_index(m.ld_topics, i));
  kq_strv_add_unique(a->topics, meta_get(&m, "article:section"));
  for (guint i = 0; i < m.tags->len; i++)
    kq_strv_add_unique(a->topics, g_ptr_array_index(m.tags, i));

  /* Language. */
  char *lang = kq_lang_normalize(m.html_lang);
  if (!lang)
    lang = kq_lang_normalize(m.http_lang);
  if (!lang)
    lang = kq_lang_normalize(meta_get(&m, "og:locale"));
  if (!lang)
    lang = kq_lang_normalize(meta_get(&m, "dc.language"));
  if (!lang)
    lang = kq_lang_normalize(m.ld_lang);
  a->lang = lang;

  /* Authors: metadata first, then what the page shows. */
  for (guint i = 0; i < m.ld_authors->len; i++) {
    char *c = clean_byline(g_ptr_array_index(m.ld_authors, i));
    kq_strv_add_unique(a->authors, c);
    g_free(c);
  }
  /* One author source only, the most trusted that the page has: several
   * <meta name="author"> give several authors. */
  static const char *const author_keys[] = {
    "dc:creator", "dc.creator", "dcterm:creator", "dcterms.creator", "author",
    "parsely-author", "sailthru.author", "byl", "article:author", "og:article:author", NULL};
  for (int i = 0; author_keys[i] && a->authors->len == 0; i++) {
    GPtrArray *list = g_hash_table_lookup(m.meta_authors, author_keys[i]);
    for (guint j = 0; list && j < list->len; j++) {
      char *c = clean_byline(g_ptr_array_index(list, j));
      kq_strv_add_unique(a->authors, c);
      g_free(c);
    }
  }
  if (a->authors->len == 0 && m.rel_author) {
    char *c = clean_byline(m.rel_author);
    kq_strv_add_unique(a->authors, c);
    g_free(c);
  }

  /* Body: up to four attempts, each less strict, each on a fresh parse;
   * the first with 500 characters wins, else the longest. */
  static const guint attempts[] = {
    FLAG_STRIP_UNLIKELY | FLAG_WEIGHT_CLASSES | FLAG_CLEAN_CONDITIONALLY,
    FLAG_WEIGHT_CLASSES | FLAG_CLEAN_CONDITIONALLY, FLAG_CLEAN_CONDITIONALLY, 0};
  KqHtmlConvert conv = {.base_url = base, .opts = opts, .log = NULL, .path = path};
  gsize best_len = 0;
  gboolean best_own = FALSE, headline = FALSE;
  char *byline = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS(attempts); i++) {
    htmlDocPtr work =
        i == 0 ? doc : kq_html_parse_utf8(utf8, ulen, NULL, opts ? opts->max_depth : 0, NULL);
    if (!work)
      break;
    Grab g = {.flags = attempts[i], .title = a->title, .want_byline = TRUE};
    g.scores = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    xmlNode *article = grab_article(&g, work);
    if (article) {
      conv.log = i == 0 ? log : NULL;
      /* On an article page (it shows its title as a heading), a body of its
       * own, even short, beats a longer one made mostly of teasers or
       * comments: the looser attempts no longer demote them, and would
       * prefer a column of teasers to a short article. (Weighed only where
       * attempts are compared: the first wins outright from 500 characters.) */
      GPtrArray *got = kq_html_node_to_blocks(article, &conv);
      gsize tl = blocks_text_length(got);
      headline = headline || g.headline;
      gboolean own = headline && tl >= OWN_MIN && (i > 0 || tl < 500) &&
                     foreign_share(article, text_info(article).chars) < 0.5;
      if (!blocks || (own && !best_own) || (own == best_own && tl > best_len)) {
        g_clear_pointer(&blocks, g_ptr_array_unref);
        blocks = got;
        best_own = own;
        best_len = tl;
      } else {
        g_ptr_array_unref(got);
      }
    }
    if (!byline && g.byline)
      byline = g.byline;
    else
      g_free(g.byline);
    g_hash_table_unref(g.scores);
    if (work != doc)
      xmlFreeDoc(work);
    if (best_len >= 500)
      break;
  }
  if (a->authors->len == 0 && byline) {
    char *c = clean_byline(byline);
    kq_strv_add_unique(a->authors, c);
    g_free(c);
  }
  g_free(byline);
  g_free(base);
  if (blocks) {
    g_ptr_array_unref(a->blocks);
    a->blocks = blocks;
    blocks = NULL;
  }
  if (!a->title && a->blocks->len == 0) {
    g_set_error_literal(error, KQ_READ_ERROR, KQ_READ_ERROR_EMPTY, "no title and no text");
    goto out;
  }
  kq_lang_fix_article(a);
  g_ptr_array_add(out, a);
  a = NULL;
  ok = TRUE;
out:
  g_clear_pointer(&blocks, g_ptr_array_unref);
  kq_article_free(a);
  g_clear_pointer(&doc, xmlFreeDoc);
  meta_clear(&m);
  g_free(utf8);
  g_free(note);
  g_free(info);
  g_free(declared);
  return ok;
}

const KqReader kq_reader_html = {
  .name = "html",
  .extensions = html_extensions,
  .sniff = html_sniff,
  .read = html_read,
};
