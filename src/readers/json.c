/* json.c: the JSON reader: an article object, an array of them, JSON Lines and JSON Feed 1.x. */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosque/html.h"
#include "kiosque/lang.h"
#include "kiosque/reader.h"
#include "readers/encoding.h"
#include "readers/feed_text.h"
#include "readers/json_depth.h"

/*
 * Field names, in order of preference. An object is an article only when
 * one of the body fields holds text; any other object (a config file, a
 * package.json) is ignored like a non-input.
 */
static const char *const body_html_fields[] = {"content_html", NULL};
static const char *const body_text_fields[] = {"content_text", NULL};
static const char *const body_fields[] = {"content", "body", "html", "article",
                                          "articleBody", "text", NULL};
static const char *const title_fields[] = {"title", "headline", "name", NULL};
static const char *const published_fields[] = {
    "date_published", "published", "pubDate", "published_at", "datePublished",
    "publishedAt",    "date",      "created_at", "created", "dateCreated", NULL};
static const char *const updated_fields[] = {"date_modified", "updated",      "modified",
                                             "updated_at",    "dateModified", "updatedAt",
                                             NULL};
static const char *const url_fields[] = {"url", "link", "canonical_url", "permalink",
                                         "external_url", NULL};
static const char *const author_fields[] = {"authors", "author", "byline", "creator", NULL};
static const char *const topic_fields[] = {"tags",    "categories", "category",
                                           "topics",  "topic",      "section",
                                           "articleSection", "keywords", NULL};
static const char *const lang_fields[] = {"language", "lang", "locale", "inLanguage", NULL};
static const char *const site_fields[] = {"site", "site_name", "source", "publisher", NULL};
static const char *const standfirst_fields[] = {"standfirst", "summary", "description",
                                                "excerpt", "subtitle", "dek", NULL};
static const char *const view_fields[] = {"views", "view_count", "viewCount", NULL};
static const char *const image_fields[] = {"image", "banner_image", NULL};
/* Arrays of articles inside a wrapper object. */
static const char *const list_fields[] = {"items", "articles", "entries", "posts", NULL};

#define JSONFEED_VERSION_PREFIX "https://jsonfeed.org/version/"

/* What the enclosing JSON Feed or wrapper object gives every item. */
typedef struct {
  KqFeedSource src;     /* --max-depth at most JSON_MAX_SAFE_DEPTH */
  KqFeedChannel ch;     /* a JSON Feed's or wrapper's title, language,
                         * home_page_url and authors */
  guint n_ignored;      /* objects that held no body */
  guint n_cut;          /* values deeper than max_depth blanked out */
  int cut_line;         /* where the first was */
} JsonCtx;

/* json-glib recurses once per level (about 120 bytes of stack each): past
 * this many levels a worker thread's stack is at risk, whatever --max-depth
 * says. */
#define JSON_MAX_SAFE_DEPTH 10000

/* ---- Sniffing ------------------------------------------------------------ */

static int json_sniff(const char *data, gsize len)
{
  if (!data)
    return 0;
  gsize i = 0;
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < len && g_ascii_isspace(data[i]))
    i++;
  if (i >= len || (data[i] != '{' && data[i] != '['))
    return 0;
  char first = data[i];
  gsize j = i + 1;
  while (j < len && g_ascii_isspace(data[j]))
    j++;
  if (j < len && first == '{' && data[j] != '"' && data[j] != '}')
    return 0;
  if (j < len && first == '[' && !strchr("{[\"]-0123456789tfn", data[j]))
    return 0;
  gsize window = MIN(len, (gsize)4096);
  if (g_strstr_len(data, (gssize)window, JSONFEED_VERSION_PREFIX))
    return 100;
  return first == '{' ? 80 : 70;
}

/* ---- Values ------------------------------------------------------------ */

static JsonNode *member(JsonObject *o, const char *name)
{
  return json_object_has_member(o, name) ? json_object_get_member(o, name) : NULL;
}

/* A string from a string node, or from an object's "rendered" / "value" /
 * "html" / "text" / "name" member (WordPress titles, schema.org objects). */
static const char *node_string(JsonNode *n)
{
  if (!n)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
    return json_node_get_string(n);
  if (JSON_NODE_HOLDS_OBJECT(n)) {
    static const char *const inner[] = {"rendered", "value", "html", "text", "name", NULL};
    JsonObject *o = json_node_get_object(n);
    for (const char *const *f = inner; *f; f++) {
      JsonNode *m = member(o, *f);
      if (m && JSON_NODE_HOLDS_VALUE(m) && json_node_get_value_type(m) == G_TYPE_STRING)
        return json_node_get_string(m);
    }
  }
  return NULL;
}

static gboolean is_blank(const char *s)
{
  if (!s)
    return TRUE;
  for (; *s; s++)
    if (!g_ascii_isspace(*s))
      return FALSE;
  return TRUE;
}

/* The first field of names holding a non-blank string; *which gets its name. */
static const char *first_string(JsonObject *o, const char *const *names, const char **which)
{
  for (const char *const *f = names; *f; f++) {
    const char *s = node_string(member(o, *f));
    if (!is_blank(s)) {
      if (which)
        *which = *f;
      return s;
    }
  }
  return NULL;
}

/* Text of a field that may be a string or an array of strings (joined
 * with blank lines). Caller frees. */
static char *first_text(JsonObject *o, const char *const *names, const char **which)
{
  const char *s = first_string(o, names, which);
  if (s)
    return g_strdup(s);
  for (const char *const *f = names; *f; f++) {
    JsonNode *n = member(o, *f);
    if (!n || !JSON_NODE_HOLDS_ARRAY(n))
      continue;
    JsonArray *a = json_node_get_array(n);
    GString *joined = g_string_new(NULL);
    for (guint i = 0; i < json_array_get_length(a); i++) {
      const char *part = node_string(json_array_get_element(a, i));
      if (is_blank(part))
        continue;
      if (joined->len)
        g_string_append(joined, "\n\n");
      g_string_append(joined, part);
    }
    if (joined->len) {
      if (which)
        *which = *f;
      return g_string_free(joined, FALSE);
    }
    g_string_free(joined, TRUE);
  }
  return NULL;
}

static gboolean has_body(JsonObject *o)
{
  const char *const *lists[] = {body_html_fields, body_text_fields, body_fields};
  for (gsize i = 0; i < G_N_ELEMENTS(lists); i++) {
    char *t = first_text(o, lists[i], NULL);
    gboolean ok = t != NULL;
    g_free(t);
    if (ok)
      return TRUE;
  }
  return FALSE;
}

/* Dates: strings through kq_date_parse(), numbers as Unix times (seconds,
 * or milliseconds when too large for seconds). */
static void read_date(JsonCtx *c, JsonObject *o, const char *const *names, KqDate *out,
                      int line)
{
  for (const char *const *f = names; *f && !out->set; f++) {
    JsonNode *n = member(o, *f);
    if (!n || !JSON_NODE_HOLDS_VALUE(n))
      continue;
    GType t = json_node_get_value_type(n);
    if (t == G_TYPE_STRING) {
      const char *s = json_node_get_string(n);
      if (is_blank(s))
        continue;
      char *warning = NULL;
      KqDate d;
      if (kq_date_parse(s, &d, &warning)) {
        *out = d;
        if (warning)
          KQ_WARN(c->src.log, c->src.path, line, "\"%s\": %s", *f, warning);
      } else {
        KQ_WARN(c->src.log, c->src.path, line, "\"%s\": unreadable date \"%s\"", *f, s);
      }
      g_free(warning);
    } else if (t == G_TYPE_INT64 || t == G_TYPE_DOUBLE) {
      double v = json_node_get_double(n);
      if (v > 1e11)
        v /= 1000.0;
      if (v > 0 && v < 253402300800.0) /* before year 10000 */
        *out = kq_date_from_unix((gint64)v);
    }
  }
}

static char *resolve_url(JsonCtx *c, const char *raw)
{
  if (is_blank(raw))
    return NULL;
  char *u = g_strstrip(g_strdup(raw));
  if (g_ascii_strncasecmp(u, "http://", 7) == 0 || g_ascii_strncasecmp(u, "https://", 8) == 0)
    return u;
  char *abs = NULL;
  if (c->ch.base && !strstr(u, "://") && g_ascii_strncasecmp(u, "javascript:", 11) != 0 &&
      g_ascii_strncasecmp(u, "data:", 5) != 0)
    abs = g_uri_resolve_relative(c->ch.base, u, G_URI_FLAGS_NONE, NULL);
  g_free(u);
  return abs;
}

/* Authors from a string, an object with "name", or an array of either. */
static void add_authors_from(GPtrArray *authors, JsonNode *n, int depth)
{
  if (!n || depth > 4)
    return;
  if (JSON_NODE_HOLDS_ARRAY(n)) {
    JsonArray *a = json_node_get_array(n);
    for (guint i = 0; i < json_array_get_length(a); i++)
      add_authors_from(authors, json_array_get_element(a, i), depth + 1);
    return;
  }
  const char *s = node_string(n);
  if (is_blank(s))
    return;
  char *clean = kq_feed_clean_inline(s, FALSE);
  if (g_ascii_strncasecmp(clean, "by ", 3) == 0 || g_ascii_strncasecmp(clean, "par ", 4) == 0)
    kq_strv_add_unique(authors, strchr(clean, ' ') + 1);
  else
    kq_strv_add_unique(authors, clean);
  g_free(clean);
}

static void add_topic(GPtrArray *topics, const char *s, gboolean split_commas)
{
  if (is_blank(s))
    return;
  if (split_commas && strchr(s, ',')) {
    char **parts = g_strsplit(s, ",", 64);
    for (char **p = parts; *p; p++)
      add_topic(topics, *p, FALSE);
    g_strfreev(parts);
    return;
  }
  char *clean = kq_feed_clean_inline(s, FALSE);
  kq_strv_add_unique(topics, clean);
  g_free(clean);
}

static void read_topics(JsonObject *o, GPtrArray *topics)
{
  for (const char *const *f = topic_fields; *f; f++) {
    JsonNode *n = member(o, *f);
    if (!n)
      continue;
    gboolean split = strcmp(*f, "keywords") == 0;
    if (JSON_NODE_HOLDS_ARRAY(n)) {
      JsonArray *a = json_node_get_array(n);
      for (guint i = 0; i < json_array_get_length(a); i++)
        add_topic(topics, node_string(json_array_get_element(a, i)), FALSE);
    } else {
      add_topic(topics, node_string(n), split);
    }
  }
}

static gint64 read_views(JsonObject *o)
{
  for (const char *const *f = view_fields; *f; f++) {
    JsonNode *n = member(o, *f);
    if (!n || !JSON_NODE_HOLDS_VALUE(n))
      continue;
    GType t = json_node_get_value_type(n);
    if (t == G_TYPE_INT64 && json_node_get_int(n) >= 0)
      return json_node_get_int(n);
    if (t == G_TYPE_DOUBLE && json_node_get_double(n) >= 0)
      return (gint64)json_node_get_double(n);
    if (t == G_TYPE_STRING) {
      char *end = NULL;
      const char *s = json_node_get_string(n);
      gint64 v = g_ascii_strtoll(s, &end, 10);
      if (end != s && v >= 0 && is_blank(end))
        return v;
    }
  }
  return -1;
}

/* ---- Articles -------------------------------------------------------------- */

static GPtrArray *body_blocks(JsonCtx *c, JsonObject *o, const char *base, int line)
{
  const char *field = NULL;
  gboolean html = FALSE, plain = FALSE;
  char *body = first_text(o, body_html_fields, &field);
  if (body)
    html = TRUE;
  if (!body && (body = first_text(o, body_text_fields, &field)))
    plain = TRUE;
  if (!body)
    body = first_text(o, body_fields, &field);
  if (!body)
    return NULL;
  gsize len = strlen(body);
  len = kq_feed_cut_body(&c->src, body, len, line, "\"%s\"", field);
  if (!html && !plain)
    html = kq_html_looks_like_markup(body, len);
  GPtrArray *blocks;
  if (html) {
    blocks = kq_feed_html_blocks(&c->src, body, len, base);
  } else {
    blocks = kq_blocks_from_plain_text(body, (gssize)len);
  }
  g_free(body);
  return blocks;
}

/* An image field (JSON Feed "image") as a leading image block, unless the
 * body already shows it. */
static void add_lead_image(JsonCtx *c, JsonObject *o, KqArticle *a)
{
  const char *raw = first_string(o, image_fields, NULL);
  char *src = resolve_url(c, raw);
  if (!src)
    return;
  for (guint i = 0; i < a->blocks->len; i++) {
    KqBlock *b = g_ptr_array_index(a->blocks, i);
    if (b->kind == KQ_BLOCK_IMAGE && g_strcmp0(b->src, src) == 0) {
      g_free(src);
      return;
    }
  }
  KqBlock *img = kq_block_new(KQ_BLOCK_IMAGE);
  img->src = src;
  g_ptr_array_insert(a->blocks, 0, img);
}

/* One article object; FALSE (and nothing added) when it has no body. */
static gboolean read_article(JsonCtx *c, JsonObject *o, int line, GPtrArray *out)
{
  if (!has_body(o)) {
    c->n_ignored++;
    return FALSE;
  }
  KqArticle *a = kq_article_new(c->src.path, KQ_FORMAT_JSON);
  char *title = kq_feed_clean_inline(first_string(o, title_fields, NULL), FALSE);
  kq_set_string(&a->title, title);
  g_free(title);

  const char *raw_url = first_string(o, url_fields, NULL);
  a->url = resolve_url(c, raw_url);
  read_date(c, o, published_fields, &a->published, line);
  read_date(c, o, updated_fields, &a->updated, line);
  if (!a->published.set && a->updated.set) {
    a->published = a->updated;
    a->updated.set = FALSE;
  }

  for (const char *const *f = author_fields; *f; f++)
    add_authors_from(a->authors, member(o, *f), 0);
  kq_feed_channel_inherit_authors(&c->ch, a);
  read_topics(o, a->topics);

  char *site = kq_feed_clean_inline(first_string(o, site_fields, NULL), FALSE);
  kq_set_string(&a->site, *site ? site : c->ch.site);
  g_free(site);

  const char *sf_field = NULL;
  const char *sf = first_string(o, standfirst_fields, &sf_field);
  if (sf) {
    char *clean = kq_feed_clean_inline(sf, TRUE);
    kq_set_string(&a->standfirst, clean);
    g_free(clean);
  }
  a->views = read_views(o);
  JsonNode *sources = member(o, "sources");
  if (sources && JSON_NODE_HOLDS_ARRAY(sources)) {
    JsonArray *arr = json_node_get_array(sources);
    for (guint i = 0; i < json_array_get_length(arr); i++) {
      const char *s = node_string(json_array_get_element(arr, i));
      if (!is_blank(s))
        kq_strv_add_unique(a->sources, s);
    }
  }

  GPtrArray *blocks = body_blocks(c, o, a->url ? a->url : c->ch.base, line);
  if (blocks)
    g_ptr_array_extend_and_steal(a->blocks, blocks);
  add_lead_image(c, o, a);

  const char *lang = first_string(o, lang_fields, NULL);
  a->lang = kq_lang_normalize(lang ? lang : c->ch.lang);
  kq_lang_fix_article(a);
  g_ptr_array_add(out, a);
  return TRUE;
}

/* Feed-level defaults of a JSON Feed or of a wrapper object. */
static void read_defaults(JsonCtx *c, JsonObject *o)
{
  const char *site = first_string(o, (const char *const[]){"title", "site", "site_name", NULL},
                                  NULL);
  char *clean = kq_feed_clean_inline(site, FALSE);
  kq_set_string(&c->ch.site, clean);
  g_free(clean);
  const char *lang = first_string(o, lang_fields, NULL);
  c->ch.lang = kq_lang_normalize(lang);
  const char *home = first_string(o, (const char *const[]){"home_page_url", "url", NULL}, NULL);
  c->ch.base = resolve_url(c, home);
  GPtrArray *authors = g_ptr_array_new_with_free_func(g_free);
  for (const char *const *f = author_fields; *f; f++)
    add_authors_from(authors, member(o, *f), 0);
  if (authors->len)
    c->ch.authors = authors;
  else
    g_ptr_array_unref(authors);
}

static void read_array(JsonCtx *c, JsonArray *arr, GPtrArray *out)
{
  for (guint i = 0; i < json_array_get_length(arr); i++) {
    JsonNode *n = json_array_get_element(arr, i);
    if (JSON_NODE_HOLDS_OBJECT(n))
      read_article(c, json_node_get_object(n), 0, out);
    else
      c->n_ignored++;
  }
}

/* The array of items of a JSON Feed or wrapper object; NULL if none. */
static JsonArray *item_list(JsonObject *o)
{
  for (const char *const *f = list_fields; *f; f++) {
    JsonNode *n = member(o, *f);
    if (n && JSON_NODE_HOLDS_ARRAY(n))
      return json_node_get_array(n);
  }
  return NULL;
}

static void read_root(JsonCtx *c, JsonNode *root, GPtrArray *out)
{
  if (JSON_NODE_HOLDS_ARRAY(root)) {
    read_array(c, json_node_get_array(root), out);
    return;
  }
  if (!JSON_NODE_HOLDS_OBJECT(root)) {
    c->n_ignored++;
    return;
  }
  JsonObject *o = json_node_get_object(root);
  const char *version = node_string(member(o, "version"));
  JsonArray *items = item_list(o);
  gboolean jsonfeed = version && g_str_has_prefix(version, JSONFEED_VERSION_PREFIX);
  if (jsonfeed || (items && !has_body(o))) {
    if (jsonfeed && !g_str_has_prefix(version, JSONFEED_VERSION_PREFIX "1"))
      KQ_WARN(c->src.log, c->src.path, 0, "JSON Feed version %s: read as 1.1", version);
    read_defaults(c, o);
    if (items)
      read_array(c, items, out);
    return;
  }
  read_article(c, o, 0, out);
}

/* ---- Parsing ---------------------------------------------------------------- */

/*
 * Values nested deeper than limit, as json-glib will see them, are blanked
 * out before it parses (json-glib recurses once per level): each becomes
 * null, *cut counts them and *line (may be NULL) gets the first one's line.
 * FALSE when a deep value never closes: the text must not be parsed. Its tokenizer (json-scanner.c, a GScanner copy, 1.6) is followed
 * exactly where it decides what is a string or a comment, since a pre-check
 * that disagrees can be led to stop counting while the parser goes on:
 *  - "..." with backslash escapes; \u takes up to four hex digits and also
 *    the first character that is not one (even a quote); a surrogate then
 *    takes the next character, and when that is a backslash the next one,
 *    and when that is 'u' up to four more hex digits (and the first that is
 *    not one); a bad pair is an error; \0-\7 take up to two more octal
 *    digits; strings may span lines;
 *  - '...' with no escapes at all;
 *  - a comment runs from one '/' to the next '/' (cpair_comment_single is
 *    "//\n": start and end characters), so "/ * " * /" is one comment;
 *  - a NUL byte ends the input.
 * The walk stops where json-glib would stop with an error (an unterminated
 * string or comment, a bad surrogate pair): nothing after it is parsed.
 */
static gboolean is_hex(char c)
{
  return g_ascii_isxdigit(c);
}

/* json_scanner_get_unichar(): up to four hex digits, and the first
 * character that is not one is consumed too. */
static gunichar scan_unichar(const char *s, gsize len, gsize *i)
{
  gunichar u = 0;
  for (int k = 0; k < 4; k++) {
    char c = *i < len ? s[(*i)++] : '\0';
    if (!is_hex(c))
      break;
    u += (gunichar)g_ascii_xdigit_value(c) << ((3 - k) * 4);
  }
  return u;
}

gboolean kq_json_blank_deep(char *s, gsize len, int limit, guint *cut, int *line)
{
  int depth = 0;
  gsize i = 0, cut_start = 0;
  gboolean in_cut = FALSE;
#define NEXT() (i < len ? s[i++] : '\0')
  while (i < len) {
    char ch = s[i++];
    if (ch == '\0') {
      break;
    } else if (ch == '"') {
      gboolean closed = FALSE;
      for (char c; !closed && (c = NEXT()) != '\0';) {
        if (c == '"') {
          closed = TRUE;
        } else if (c == '\\') {
          c = NEXT();
          if (c == 'u' && i < len && is_hex(s[i])) {
            gunichar u = scan_unichar(s, len, &i);
            if (u >= 0xD800 && u <= 0xDFFF && NEXT() == '\\' && NEXT() == 'u') {
              gunichar lo = scan_unichar(s, len, &i);
              if (!(u <= 0xDBFF && lo >= 0xDC00 && lo <= 0xDFFF))
                goto stop; /* malformed surrogate pair: parse error */
            }
          } else if (c >= '0' && c <= '7') {
            for (int k = 0; k < 2 && i < len && s[i] >= '0' && s[i] <= '7'; k++)
              i++;
          } else if (c == '\0') {
            break;
          }
        }
      }
      if (!closed)
        goto stop;
    } else if (ch == '\'' || ch == '/') {
      const char *end = i < len ? memchr(s + i, ch, len - i) : NULL;
      if (!end || memchr(s + i, '\0', (gsize)(end - (s + i))))
        goto stop; /* unterminated: parse error */
      i = (gsize)(end - s) + 1;
    } else if (ch == '{' || ch == '[') {
      if (++depth == limit + 1) {
        in_cut = TRUE;
        cut_start = i - 1;
      }
    } else if ((ch == '}' || ch == ']') && depth > 0) {
      if (depth-- == limit + 1) {
        /* the value from cut_start to here becomes null (or 0 when it is
         * "[]"), blanks keeping every newline so that lines still match */
        if (*cut == 0 && line) {
          *line = 1;
          for (gsize k = 0; k < cut_start; k++)
            *line += s[k] == '\n';
        }
        (*cut)++;
        for (gsize k = cut_start; k < i; k++)
          if (s[k] != '\n')
            s[k] = ' ';
        memcpy(s + cut_start, i - cut_start >= 4 ? "null" : "0", i - cut_start >= 4 ? 4 : 1);
        in_cut = FALSE;
      }
    }
  }
stop:
#undef NEXT
  /* a value still open: json-glib would recurse into it before failing */
  return !in_cut;
}

/* Parses text; on failure *line gets the error's line (0 when unknown)
 * and *message its description (caller frees). */
/* Where json-glib stopped, asked of the parser while it reports the error:
 * json_parser_get_current_line() and _pos() hold only during parsing, and
 * the "error" signal is the one place json-glib 1.6 (Debian 12) and 1.8
 * call back then (1.10 deprecates the signal for the class's error vfunc). */
typedef struct {
  guint line, pos; /* 0: unknown (an error found before scanning, as bad UTF-8) */
} ParseStop;

static void on_parse_error(JsonParser *parser, const GError *error, gpointer data)
{
  ParseStop *stop = data;
  (void)error;
  stop->line = json_parser_get_current_line(parser);
  stop->pos = json_parser_get_current_pos(parser);
}

static JsonParser *parse(const char *text, gsize len, int *line, char **message)
{
  JsonParser *p = json_parser_new_immutable();
  ParseStop stop = {0, 0};
  gulong handler = g_signal_connect(p, "error", G_CALLBACK(on_parse_error), &stop);
  GError *err = NULL;
  gboolean ok = json_parser_load_from_data(p, text, (gssize)len, &err);
  g_signal_handler_disconnect(p, handler);
  if (ok)
    return p;
  *line = (int)stop.line;
  /* json-glib writes the place before its text ("<data>:LINE:POS: "); the
   * warning says it its own way, so that known prefix is left out */
  char *where = g_strdup_printf("<data>:%u:%u: ", stop.line, stop.pos);
  const char *msg = err->message;
  if (stop.line > 0 && g_str_has_prefix(msg, where))
    msg += strlen(where);
  *message = g_strdup(msg);
  g_free(where);
  g_error_free(err);
  g_object_unref(p);
  return NULL;
}

static gboolean has_extension(const char *path, const char *ext)
{
  gsize n = path ? strlen(path) : 0, e = strlen(ext);
  return n >= e && g_ascii_strcasecmp(path + n - e, ext) == 0;
}

/* JSON Lines: one value per line; a bad line is a warning. */
static gboolean read_lines(JsonCtx *c, char *text, gsize len, GPtrArray *out,
                           GError **error)
{
  char *p = text, *end = text + len;
  int line = 0;
  guint n_values = 0, n_bad = 0;
  while (p < end) {
    line++;
    char *nl = memchr(p, '\n', (gsize)(end - p));
    const char *stop = nl ? nl : end;
    gsize n = (gsize)(stop - p);
    gboolean blank = TRUE;
    for (const char *q = p; q < stop && blank; q++)
      blank = g_ascii_isspace(*q);
    if (!blank) {
      int eline = 0;
      char *msg = NULL;
      JsonParser *parser = NULL;
      guint cut = c->n_cut;
      if (!kq_json_blank_deep(p, n, c->src.max_depth, &c->n_cut, NULL))
        msg = g_strdup_printf("nested deeper than %d levels and never closed", c->src.max_depth);
      else
        parser = parse(p, n, &eline, &msg);
      if (cut == 0 && c->n_cut > 0)
        c->cut_line = line;
      if (parser) {
        n_values++;
        JsonNode *root = json_parser_get_root(parser);
        if (root && JSON_NODE_HOLDS_OBJECT(root))
          read_article(c, json_node_get_object(root), line, out);
        else
          c->n_ignored++;
        g_object_unref(parser);
      } else {
        n_bad++;
        KQ_WARN(c->src.log, c->src.path, line, "not valid JSON (%s): line skipped", msg);
        g_free(msg);
      }
    }
    p = nl ? nl + 1 : end;
  }
  if (n_values == 0 && n_bad > 0) {
    g_set_error(error, KQ_READ_ERROR, KQ_READ_ERROR_SYNTAX, "no valid JSON line");
    return FALSE;
  }
  return TRUE;
}

/* TRUE when text looks like JSON Lines: at least two non-blank lines, the
 * first of which is a complete JSON object on its own. */
static gboolean looks_like_lines(const char *text, gsize len)
{
  const char *p = text, *end = text + len;
  while (p < end && g_ascii_isspace(*p))
    p++;
  if (p >= end || *p != '{')
    return FALSE;
  const char *nl = memchr(p, '\n', (gsize)(end - p));
  if (!nl)
    return FALSE;
  const char *rest = nl;
  while (rest < end && g_ascii_isspace(*rest))
    rest++;
  if (rest >= end)
    return FALSE;
  int line = 0;
  char *msg = NULL;
  JsonParser *first = parse(p, (gsize)(nl - p), &line, &msg);
  g_free(msg);
  if (!first)
    return FALSE;
  g_object_unref(first);
  return TRUE;
}

static gboolean json_read(const char *path, const char *data, gsize len,
                          const KqReadOptions *opts, KqLog *log, GPtrArray *out,
                          GError **error)
{
  JsonCtx c = {.src = kq_feed_source(path, opts, log, JSON_MAX_SAFE_DEPTH)};
  gboolean ok = FALSE;
  char *note = NULL;
  gsize ulen = 0;
  char *text = kq_encoding_to_utf8(data, len, NULL, &ulen, &note, NULL);
  JsonParser *parser = NULL;
  if (note)
    KQ_WARN(log, path, 0, "%s", note);
  if (memchr(text, '\0', ulen)) {
    g_set_error(error, KQ_READ_ERROR, KQ_READ_ERROR_SYNTAX, "NUL byte in JSON text");
    goto out;
  }
  if (is_blank(text)) {
    g_set_error(error, KQ_READ_ERROR, KQ_READ_ERROR_EMPTY, "empty file");
    goto out;
  }
  guint before = out->len;
  if (has_extension(path, ".jsonl") || has_extension(path, ".ndjson")) {
    if (!read_lines(&c, text, ulen, out, error))
      goto out;
  } else {
    if (!kq_json_blank_deep(text, ulen, c.src.max_depth, &c.n_cut, &c.cut_line)) {
      g_set_error(error, KQ_READ_ERROR, KQ_READ_ERROR_LIMIT,
                  "nested deeper than %d levels and never closed", c.src.max_depth);
      goto out;
    }
    int line = 0;
    char *msg = NULL;
    if (looks_like_lines(text, ulen)) {
      /* checked first: json-glib stops after the first value and would
       * silently drop the other lines */
      KQ_INFO(log, path, 0, "read as JSON Lines");
      if (!read_lines(&c, text, ulen, out, error))
        goto out;
    } else if (!(parser = parse(text, ulen, &line, &msg))) {
      kq_read_error_set(error, KQ_READ_ERROR_SYNTAX, line, "%s", msg);
      g_free(msg);
      goto out;
    } else {
      JsonNode *root = json_parser_get_root(parser);
      if (root)
        read_root(&c, root, out);
    }
  }
  if (c.n_cut)
    KQ_WARN(log, path, c.cut_line,
            "JSON nested deeper than %d levels (--max-depth): %u deeper value%s dropped",
            c.src.max_depth, c.n_cut, c.n_cut == 1 ? "" : "s");
  if (out->len == before && c.n_ignored)
    KQ_INFO(log, path, 0, "JSON without an article body (content, body, html, text...): "
                          "ignored");
  else if (c.n_ignored)
    KQ_INFO(log, path, 0, "%u JSON value%s without an article body ignored", c.n_ignored,
            c.n_ignored == 1 ? "" : "s");
  ok = TRUE;
out:
  g_clear_object(&parser);
  g_free(note);
  g_free(text);
  kq_feed_channel_clear(&c.ch);
  return ok;
}

static const char *const json_extensions[] = {".json", ".jsonl", NULL};

const KqReader kq_reader_json = {
    .name = "json",
    .extensions = json_extensions,
    .sniff = json_sniff,
    .read = json_read,
};
