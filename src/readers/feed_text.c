/* feed_text.c: entity decoding, tag stripping, language tags and XML repair for the feed and JSON readers. */
#include "readers/feed_text.h"
#include "readers/html_body.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <string.h>

#include "kiosque/html.h"
#include "readers/encoding.h"

#define MAX_ENTITY_NAME 32
#define MAX_DECODE_ROUNDS 3

/* ---- References ------------------------------------------------------- */

static gboolean is_xml_char(gunichar c)
{
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c < 0x7F) ||
         (c >= 0xA0 && c < 0xD800) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

static gunichar entity_value(const char *name)
{
  if (strcmp(name, "apos") == 0)
    return '\'';
  const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
  return e ? e->value : 0;
}

/* Parses a reference at p ('&'). Returns its length (0: none) and the
 * character (0 for a forbidden one). */
static gsize parse_ref(const char *p, gunichar *out)
{
  const char *q = p + 1;
  *out = 0;
  if (*q == '#') {
    q++;
    gboolean hex = *q == 'x' || *q == 'X';
    if (hex)
      q++;
    guint64 v = 0;
    int nd = 0;
    while (hex ? g_ascii_isxdigit(*q) : g_ascii_isdigit(*q)) {
      if (v <= 0x10FFFF)
        v = v * (hex ? 16 : 10) + (guint64)(hex ? g_ascii_xdigit_value(*q) : *q - '0');
      q++;
      nd++;
    }
    if (nd == 0 || *q != ';')
      return 0;
    gunichar c = v > 0x10FFFF ? 0 : (gunichar)v;
    if (c >= 0x80 && c < 0xA0)
      c = kq_encoding_cp1252_char((guchar)c);
    *out = is_xml_char(c) ? c : 0;
    return (gsize)(q + 1 - p);
  }
  if (!g_ascii_isalpha(*q))
    return 0;
  char name[MAX_ENTITY_NAME + 1];
  gsize n = 0;
  while (g_ascii_isalnum(q[n]) && n < MAX_ENTITY_NAME) {
    name[n] = q[n];
    n++;
  }
  if (q[n] != ';')
    return 0;
  name[n] = '\0';
  gunichar c = entity_value(name);
  if (!c)
    return 0;
  *out = c;
  return n + 2;
}

gboolean kq_feed_has_entity_ref(const char *text)
{
  if (!text)
    return FALSE;
  for (const char *p = strchr(text, '&'); p; p = strchr(p + 1, '&')) {
    gunichar c;
    if (parse_ref(p, &c))
      return TRUE;
  }
  return FALSE;
}

static gboolean decode_once(const char *text, GString *out)
{
  gboolean changed = FALSE;
  const char *p = text;
  while (*p) {
    const char *amp = strchr(p, '&');
    if (!amp) {
      g_string_append(out, p);
      break;
    }
    g_string_append_len(out, p, amp - p);
    gunichar c;
    gsize n = parse_ref(amp, &c);
    if (n) {
      if (c)
        g_string_append_unichar(out, c);
      changed = TRUE;
      p = amp + n;
    } else {
      g_string_append_c(out, '&');
      p = amp + 1;
    }
  }
  return changed;
}

char *kq_feed_decode_entities_once(const char *text)
{
  GString *out = g_string_sized_new(strlen(text));
  decode_once(text, out);
  return g_string_free(out, FALSE);
}

char *kq_feed_decode_entities(const char *text)
{
  if (!text)
    return NULL;
  char *cur = g_strdup(text);
  for (int round = 0; round < MAX_DECODE_ROUNDS && strchr(cur, '&'); round++) {
    GString *out = g_string_sized_new(strlen(cur));
    gboolean changed = decode_once(cur, out);
    g_free(cur);
    cur = g_string_free(out, FALSE);
    if (!changed)
      break;
  }
  return cur;
}

/* ---- Inline clean-up ------------------------------------------------------ */

/* TRUE when text holds a tag of inline HTML (or any closing tag). */
static gboolean looks_inline_markup(const char *text)
{
  static const char *const tags[] = {"a", "abbr", "b", "big", "br", "cite", "code", "del",
                                     "div", "em", "font", "i", "img", "ins", "kbd", "mark",
                                     "p", "q", "s", "small", "span", "strike", "strong",
                                     "sub", "sup", "tt", "u"};
  for (const char *p = strchr(text, '<'); p; p = strchr(p + 1, '<')) {
    const char *q = p + 1;
    if (*q == '/')
      q++;
    gsize n = 0;
    while (g_ascii_isalnum(q[n]))
      n++;
    if (n == 0 || !(q[n] == '>' || q[n] == '/' || g_ascii_isspace(q[n])))
      continue;
    if (q != p + 1)
      return TRUE; /* </tag> */
    for (gsize i = 0; i < G_N_ELEMENTS(tags); i++)
      if (strlen(tags[i]) == n && g_ascii_strncasecmp(q, tags[i], n) == 0)
        return TRUE;
  }
  return FALSE;
}

static gboolean is_break_element(const char *name)
{
  static const char *const names[] = {"br", "p", "div", "li", "tr", "td", "th", "h1", "h2",
                                      "h3", "h4", "h5", "h6", "blockquote", "dt", "dd"};
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
    if (g_ascii_strcasecmp(name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static void append_html_text(GString *s, const xmlNode *n, int depth)
{
  for (const xmlNode *c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content)
        g_string_append(s, (const char *)c->content);
    } else if (c->type == XML_ELEMENT_NODE && depth > 0) {
      const char *name = (const char *)c->name;
      if (g_ascii_strcasecmp(name, "script") == 0 || g_ascii_strcasecmp(name, "style") == 0)
        continue;
      gboolean brk = is_break_element(name);
      if (brk)
        g_string_append_c(s, ' ');
      append_html_text(s, c, depth - 1);
      if (brk)
        g_string_append_c(s, ' ');
    }
  }
}

static char *html_to_text(const char *html)
{
  gsize len = strlen(html);
  if (len > G_MAXINT)
    return g_strdup(html);
  /* the shared parse: attribute floods cut, deep nests flattened */
  htmlDocPtr doc = kq_html_parse_utf8(html, len, NULL, 0, NULL);
  GString *s = g_string_new(NULL);
  if (doc && xmlDocGetRootElement(doc))
    append_html_text(s, xmlDocGetRootElement(doc), 64);
  g_clear_pointer(&doc, xmlFreeDoc);
  return g_string_free(s, FALSE);
}

static char *collapse_space(const char *text)
{
  GString *s = g_string_sized_new(strlen(text));
  gboolean space = FALSE;
  for (const char *p = text; *p; p++) {
    if (g_ascii_isspace(*p)) {
      space = TRUE;
      continue;
    }
    if (space && s->len)
      g_string_append_c(s, ' ');
    space = FALSE;
    g_string_append_c(s, *p);
  }
  return g_string_free(s, FALSE);
}

char *kq_feed_clean_inline(const char *text, gboolean is_html)
{
  if (!text)
    return g_strdup("");
  char *plain;
  if ((is_html && (strchr(text, '<') || strchr(text, '&'))) || looks_inline_markup(text))
    plain = html_to_text(text);
  else
    plain = g_strdup(text);
  char *decoded = kq_feed_decode_entities(plain);
  char *result = collapse_space(decoded);
  g_free(plain);
  g_free(decoded);
  return result;
}

/* ---- Blocks -------------------------------------------------------------- */

static void decode_field(char **field)
{
  if (*field && strchr(*field, '&') && kq_feed_has_entity_ref(*field)) {
    char *d = kq_feed_decode_entities(*field);
    g_free(*field);
    *field = d;
  }
}

static void decode_runs(GPtrArray *runs)
{
  if (!runs)
    return;
  for (guint i = 0; i < runs->len; i++) {
    KqRun *r = g_ptr_array_index(runs, i);
    if (r->kind == KQ_RUN_TEXT && !(r->style & KQ_STYLE_CODE))
      decode_field(&r->text);
    decode_field(&r->href);
  }
}

void kq_feed_decode_blocks(GPtrArray *blocks, int max_depth)
{
  if (!blocks || max_depth <= 0)
    return;
  for (guint i = 0; i < blocks->len; i++) {
    KqBlock *b = g_ptr_array_index(blocks, i);
    if (b->kind == KQ_BLOCK_CODE)
      continue;
    decode_runs(b->runs);
    decode_field(&b->alt);
    decode_field(&b->src);
    if (b->children)
      kq_feed_decode_blocks(b->children, max_depth - 1);
    if (b->rows)
      for (guint r = 0; r < b->rows->len; r++) {
        KqTableRow *row = g_ptr_array_index(b->rows, r);
        for (guint c = 0; c < row->cells->len; c++)
          decode_runs(g_ptr_array_index(row->cells, c));
      }
  }
}

/* ---- XML repair ---------------------------------------------------------- */

/* The bytes of the character at p when it is not an XML character (a
 * control other than tab and line ends, U+FFFE, U+FFFF), else 0: every
 * copy below drops it (drop_bad()), counted in stats->controls. */
static gsize bad_char(const char *p, const char *end)
{
  guchar c = (guchar)*p;
  if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
    return 1;
  return end - p >= 3 && c == 0xEF && (guchar)p[1] == 0xBF &&
                 ((guchar)p[2] == 0xBE || (guchar)p[2] == 0xBF)
             ? 3
             : 0;
}

typedef struct {
  GString *out;
  KqFeedRepair *stats;
  gboolean internal_subset; /* entities may be declared: named ones kept */
} Repair;

/* Drops the character at *p when it is not an XML character (bad_char()),
 * counting it: TRUE when it did (*p then after it). */
static gboolean drop_bad(Repair *r, const char **p, const char *end)
{
  gsize bad = bad_char(*p, end);
  if (!bad)
    return FALSE;
  r->stats->controls++;
  *p += bad;
  return TRUE;
}

/* Copies raw bytes up to (and including) terminator, dropping controls. */
static const char *copy_until(Repair *r, const char *p, const char *end, const char *term)
{
  gsize tn = strlen(term);
  while (p < end) {
    if ((gsize)(end - p) >= tn && memcmp(p, term, tn) == 0) {
      g_string_append_len(r->out, p, (gssize)tn);
      return p + tn;
    }
    if (!drop_bad(r, &p, end))
      g_string_append_c(r->out, *p++);
  }
  return p;
}

static const char *repair_amp(Repair *r, const char *p, const char *end)
{
  const char *q = p + 1;
  if (q < end && *q == '#') {
    const char *s = q + 1;
    gboolean hex = s < end && (*s == 'x' || *s == 'X');
    if (hex)
      s++;
    guint64 v = 0;
    const char *d = s;
    while (s < end && (hex ? g_ascii_isxdigit(*s) : g_ascii_isdigit(*s))) {
      if (v <= 0x10FFFF)
        v = v * (hex ? 16 : 10) + (guint64)(hex ? g_ascii_xdigit_value(*s) : *s - '0');
      s++;
    }
    if (s > d && s < end && *s == ';') {
      gunichar c = v > 0x10FFFF ? 0 : (gunichar)v;
      if (is_xml_char(c) || (c >= 0x7F && c < 0xA0 && c != 0x7F)) {
        if (c >= 0x80 && c < 0xA0) {
          gunichar m = kq_encoding_cp1252_char((guchar)c);
          if (m)
            g_string_append_printf(r->out, "&#%u;", m);
          else
            r->stats->bad_refs++;
        } else if (hex && q[1] == 'X') {
          /* XML knows "&#x" only; HTML, and feeds written by HTML tools,
           * also write "&#X". */
          g_string_append(r->out, "&#x");
          g_string_append_len(r->out, d, s + 1 - d);
          r->stats->upper_hex++;
        } else {
          g_string_append_len(r->out, p, s + 1 - p);
        }
      } else {
        r->stats->bad_refs++;
      }
      return s + 1;
    }
  } else if (q < end && (g_ascii_isalpha(*q) || *q == '_')) {
    const char *s = q;
    while (s < end && (g_ascii_isalnum(*s) || *s == '_' || *s == '-' || *s == '.') &&
           s - q < MAX_ENTITY_NAME)
      s++;
    if (s < end && *s == ';') {
      char *name = g_strndup(q, (gsize)(s - q));
      gboolean predefined = strcmp(name, "amp") == 0 || strcmp(name, "lt") == 0 ||
                            strcmp(name, "gt") == 0 || strcmp(name, "quot") == 0 ||
                            strcmp(name, "apos") == 0;
      gunichar c = predefined ? 0 : entity_value(name);
      g_free(name);
      if (predefined || (r->internal_subset && !c)) {
        g_string_append_len(r->out, p, s + 1 - p);
        return s + 1;
      }
      if (c) {
        g_string_append_printf(r->out, "&#%u;", c);
        r->stats->entities++;
        return s + 1;
      }
    }
  }
  g_string_append(r->out, "&amp;");
  r->stats->amps++;
  return p + 1;
}

static gboolean is_name_start(guchar c)
{
  return g_ascii_isalpha(c) || c == '_' || c == ':' || c >= 0x80;
}

char *kq_feed_repair_xml(const char *xml, gsize len, gsize *out_len, KqFeedRepair *stats)
{
  Repair r = {g_string_sized_new(len + 64), stats, FALSE};
  const char *p = xml, *end = xml + len;
  while (p < end) {
    if (drop_bad(&r, &p, end))
      continue;
    guchar c = (guchar)*p;
    if (c == '&') {
      p = repair_amp(&r, p, end);
    } else if (c != '<') {
      g_string_append_c(r.out, (char)c);
      p++;
    } else if (end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
      p = copy_until(&r, p, end, "]]>");
    } else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
      p = copy_until(&r, p, end, "-->");
    } else if (end - p >= 2 && p[1] == '?') {
      p = copy_until(&r, p, end, "?>");
    } else if (end - p >= 2 && p[1] == '!') {
      /* DOCTYPE, with its internal subset in brackets */
      int depth = 0;
      while (p < end) {
        char ch = *p++;
        g_string_append_c(r.out, ch);
        if (ch == '[') {
          depth++;
          r.internal_subset = TRUE;
        } else if (ch == ']') {
          depth--;
        } else if (ch == '>' && depth <= 0) {
          break;
        }
      }
    } else if (end - p >= 2 && (is_name_start((guchar)p[1]) || p[1] == '/')) {
      /* a tag: copied, with its attribute values repaired */
      char quote = 0;
      g_string_append_c(r.out, *p++);
      while (p < end) {
        if (drop_bad(&r, &p, end))
          continue;
        guchar t = (guchar)*p;
        if (quote && t == '&') {
          p = repair_amp(&r, p, end);
        } else if (quote && t == '<') {
          g_string_append(r.out, "&lt;");
          stats->lts++;
          p++;
        } else {
          g_string_append_c(r.out, (char)t);
          p++;
          if (quote && t == (guchar)quote)
            quote = 0;
          else if (!quote && (t == '"' || t == '\''))
            quote = (char)t;
          else if (!quote && t == '>')
            break;
        }
      }
    } else {
      g_string_append(r.out, "&lt;");
      stats->lts++;
      p++;
    }
  }
  if (out_len)
    *out_len = r.out->len;
  return g_string_free(r.out, FALSE);
}

guint kq_feed_repair_count(const KqFeedRepair *s)
{
  return s->controls + s->bad_refs + s->amps + s->lts + s->entities + s->upper_hex;
}

char *kq_feed_repair_describe(const KqFeedRepair *s)
{
  GString *d = g_string_new(NULL);
  struct {
    guint n;
    const char *one, *many;
  } parts[] = {
      {s->controls, "removed %u control character", "removed %u control characters"},
      {s->bad_refs, "removed %u reference to a forbidden character",
       "removed %u references to forbidden characters"},
      {s->amps, "escaped %u stray '&'", "escaped %u stray '&'"},
      {s->lts, "escaped %u stray '<'", "escaped %u stray '<'"},
      {s->entities, "made %u HTML entity numeric", "made %u HTML entities numeric"},
      {s->upper_hex, "read %u '&#X' reference as '&#x'", "read %u '&#X' references as '&#x'"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(parts); i++) {
    if (!parts[i].n)
      continue;
    if (d->len)
      g_string_append(d, ", ");
    g_string_append_printf(d, parts[i].n == 1 ? parts[i].one : parts[i].many, parts[i].n);
  }
  if (!d->len)
    g_string_append(d, "nothing repaired");
  return g_string_free(d, FALSE);
}

/* ---- Channel -------------------------------------------------------------- */

void kq_feed_channel_clear(KqFeedChannel *ch)
{
  g_free(ch->site);
  g_free(ch->lang);
  g_free(ch->base);
  g_clear_pointer(&ch->authors, g_ptr_array_unref);
}

void kq_feed_channel_inherit_authors(const KqFeedChannel *ch, KqArticle *a)
{
  if (a->authors->len == 0 && ch->authors)
    for (guint i = 0; i < ch->authors->len; i++)
      kq_strv_add_unique(a->authors, g_ptr_array_index(ch->authors, i));
}

/* ---- Items' bodies ------------------------------------------------------ */

KqFeedSource kq_feed_source(const char *path, const KqReadOptions *opts, KqLog *log,
                            int max_safe_depth)
{
  int max_depth = kq_read_max_depth(opts);
  KqFeedSource src = {
      .path = path,
      .opts = opts,
      .log = log,
      .max_depth = max_safe_depth > 0 ? MIN(max_depth, max_safe_depth) : max_depth,
      .max_article = kq_read_max_article(opts),
  };
  return src;
}

gsize kq_feed_cut_body(const KqFeedSource *src, char *body, gsize len, int line,
                       const char *label_format, ...)
{
  if (len <= src->max_article)
    return len;
  va_list ap;
  va_start(ap, label_format);
  char *label = g_strdup_vprintf(label_format, ap);
  va_end(ap);
  KQ_WARN(src->log, src->path, line, "%s: body over %" G_GSIZE_FORMAT " bytes, truncated", label,
          src->max_article);
  g_free(label);
  len = src->max_article;
  while (len > 0 && ((guchar)body[len] & 0xC0) == 0x80)
    len--;
  body[len] = '\0';
  return len;
}

GPtrArray *kq_feed_html_blocks(const KqFeedSource *src, const char *html, gsize len,
                               const char *base)
{
  GPtrArray *blocks = kq_html_fragment_to_blocks(html, len, base, src->opts, src->log, src->path);
  kq_feed_decode_blocks(blocks, src->max_depth);
  return blocks;
}
