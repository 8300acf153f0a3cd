/* xhtml.c: escaping, link and language sanitizing, and the model's blocks and runs as XHTML. */
#include "epub/xhtml.h"

#include "kiosque/link.h"

#include <string.h>

/* Characters never written into the EPUB (see kq_xhtml_escape()). */
static gboolean drop_char(gunichar c)
{
  if (c < 0x20)
    return c != '\t' && c != '\n' && c != '\r';
  if (c >= 0x7F && c <= 0x9F)
    return TRUE; /* DEL and C1 controls */
  if (c == 0x00AD)
    return TRUE; /* soft hyphen: HY-5 */
  if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
    return TRUE; /* bidi embeddings, overrides, isolates */
  if (c >= 0xFDD0 && c <= 0xFDEF)
    return TRUE; /* noncharacters */
  if ((c & 0xFFFE) == 0xFFFE)
    return TRUE; /* U+FFFE, U+FFFF and their twins in every plane */
  if (c >= 0xD800 && c <= 0xDFFF)
    return TRUE;
  return FALSE;
}

/* What filter() does with an ASCII byte: 0 keeps it, 1 escapes it (when
 * escaping), 2 drops it (controls but tab, newline and carriage return; DEL). */
static const guint8 ascii_kind[128] = {
    2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 2, 2, 0, 2, 2, /* \t \n \r kept */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* " & */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, /* < > */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, /* DEL */
};

static void filter(GString *out, const char *text, gssize len, gboolean escape)
{
  if (!text)
    return;
  const char *p = text;
  const char *end = len < 0 ? text + strlen(text) : text + len;
  const char *span = p; /* start of bytes kept as they are */
  const guint8 keep_max = escape ? 0 : 1; /* ascii_kind values kept */
  while (p < end) {
    unsigned char b = (unsigned char)*p;
    if (b < 0x80) {
      guint8 kind = ascii_kind[b];
      if (kind <= keep_max) {
        p++;
        continue;
      }
      g_string_append_len(out, span, p - span);
      if (kind == 1)
        g_string_append(out, b == '&' ? "&amp;" : b == '<' ? "&lt;" : b == '>' ? "&gt;" : "&quot;");
      span = ++p; /* escaped or dropped */
      continue;
    }
    gunichar c = g_utf8_get_char_validated(p, end - p);
    gssize clen;
    if (c == (gunichar)-1 || c == (gunichar)-2) {
      c = 0xFFFF; /* invalid byte: dropped below */
      clen = 1;
    } else {
      clen = g_utf8_next_char(p) - p;
    }
    if (drop_char(c)) {
      g_string_append_len(out, span, p - span);
      span = p + clen;
    }
    p += clen;
  }
  g_string_append_len(out, span, end - span);
}

void kq_xhtml_escape(GString *out, const char *text, gssize len)
{
  filter(out, text, len, TRUE);
}

void kq_xhtml_append(GString *out, const char *format, ...)
{
  va_list ap;
  va_start(ap, format);
  const char *p = format;
  for (const char *pct; (pct = strchr(p, '%'));) {
    g_string_append_len(out, p, pct - p);
    if (pct[1] == 's')
      filter(out, va_arg(ap, const char *), -1, TRUE);
    else if (pct[1] == '%')
      g_string_append_c(out, '%');
    else {
      g_warn_if_reached(); /* a conversion this function does not have */
      g_string_append_c(out, '%');
      p = pct + 1;
      continue;
    }
    p = pct + 2;
  }
  g_string_append(out, p);
  va_end(ap);
}

char *kq_xhtml_clean_text(const char *text)
{
  GString *s = g_string_new(NULL);
  filter(s, text, -1, FALSE);
  return g_string_free(s, FALSE);
}

/* ---- Break opportunities (L-4) ------------------------------------------ */

/* A token worth breaking as a URL: a scheme or www. start. */
static gboolean url_token(const char *p, gsize n)
{
  return (n > 7 && g_ascii_strncasecmp(p, "http://", 7) == 0) ||
         (n > 8 && g_ascii_strncasecmp(p, "https://", 8) == 0) ||
         (n > 4 && g_ascii_strncasecmp(p, "www.", 4) == 0);
}

/* One piece of a breakable token. A piece holding a hyphen is kept in a
 * no-wrap span: reading systems would otherwise break after the URL's own
 * hyphen (a line ending "prix-" reads as a hyphenated word). */
static void piece(GString *out, const char *s, gsize n)
{
  gboolean nobr = n > 1 && memchr(s, '-', n) != NULL;
  if (nobr)
    g_string_append(out, "<span class=\"nobr\">");
  filter(out, s, (gssize)n, TRUE);
  if (nobr)
    g_string_append(out, "</span>");
}

/* L-4 break points of s[0..n): after a / (not between the two of "//"),
 * before . ? # & = _ ~ -, never at either end, never two in a row. The
 * reading system draws no hyphen at a <wbr/>. */
static void escape_breakable_token(GString *out, const char *s, gsize n)
{
  gsize span = 0;
  for (gsize i = 1; i < n; i++) {
    char prev = s[i - 1], c = s[i];
    gboolean brk = FALSE;
    if (prev == '/')
      brk = c != '/';
    else if (strchr(".?#&=_~-", c) && c != prev)
      brk = TRUE;
    if (brk && i > span && i + 1 < n) {
      piece(out, s + span, i - span);
      g_string_append(out, "<wbr/>");
      span = i;
    }
  }
  piece(out, s + span, n - span);
}

/* FALSE when text[0..n) holds no url_token(): each holds "://" or "www.".
 * terminated: text[n] ends the string (strstr() is much faster than
 * g_strstr_len()). */
static gboolean may_hold_url(const char *text, gsize n, gboolean terminated)
{
  if (terminated ? strstr(text, "://") != NULL : g_strstr_len(text, (gssize)n, "://") != NULL)
    return TRUE;
  for (const char *d = memchr(text, '.', n); d; d = memchr(d + 1, '.', n - (gsize)(d + 1 - text)))
    if (d - text >= 3 && g_ascii_strncasecmp(d - 3, "www", 3) == 0)
      return TRUE;
  return FALSE;
}

void kq_xhtml_escape_breakable(GString *out, const char *text, gssize len, gboolean code)
{
  if (!text)
    return;
  const char *end = len < 0 ? text + strlen(text) : text + len;
  if (!code && !may_hold_url(text, (gsize)(end - text), len < 0)) {
    filter(out, text, end - text, TRUE); /* most prose: no token to look at */
    return;
  }
  const char *p = text;
  const char *plain = text; /* start of the text escaped as it is, in one call: filter()
                             * gives the same bytes for a text as for its pieces cut at
                             * ASCII spaces */
  while (p < end) {
    const char *t = p;
    while (t < end && !g_ascii_isspace(*t))
      t++; /* a token: up to the next ASCII space */
    gsize n = (gsize)(t - p);
    if (n >= KQ_XHTML_BREAKABLE_MIN && (code || url_token(p, n))) {
      filter(out, plain, p - plain, TRUE);
      escape_breakable_token(out, p, n);
      plain = t;
    }
    while (t < end && g_ascii_isspace(*t))
      t++;
    p = t;
  }
  filter(out, plain, end - plain, TRUE);
}

/* ---- Links ------------------------------------------------------------- */

char *kq_xhtml_safe_href(const char *href)
{
  return kq_link_safe(href);
}

/* ---- Languages ----------------------------------------------------------- */

char *kq_xhtml_lang_tag(const char *lang)
{
  return kq_lang_normalize(lang); /* the one normalizer (article.h) */
}

void kq_xhtml_lang_attrs(GString *out, const char *tag)
{
  g_string_append(out, " lang=\"");
  kq_xhtml_escape(out, tag, -1);
  g_string_append(out, "\" xml:lang=\"");
  kq_xhtml_escape(out, tag, -1);
  g_string_append_c(out, '"');
}

/* ---- Runs ------------------------------------------------------------------ */

static const struct {
  guint style;
  const char *tag;
} style_tags[] = {
  {KQ_STYLE_STRONG, "strong"}, {KQ_STYLE_EMPH, "em"}, {KQ_STYLE_CODE, "code"},
  {KQ_STYLE_SUP, "sup"},       {KQ_STYLE_SUB, "sub"},
};

void kq_xhtml_runs(GString *out, const GPtrArray *runs, const char *lang)
{
  if (!runs)
    return;
  char *open_href = NULL; /* the <a> currently open */
  for (guint i = 0; i < runs->len; i++) {
    const KqRun *run = g_ptr_array_index(runs, i);
    char *href = kq_xhtml_safe_href(run->href);
    if (g_strcmp0(href, open_href) != 0) {
      if (open_href)
        g_string_append(out, "</a>");
      g_free(open_href);
      open_href = href;
      if (href) {
        g_string_append(out, "<a href=\"");
        kq_xhtml_escape(out, href, -1);
        g_string_append(out, "\">");
      }
    } else {
      g_free(href);
    }
    if (run->kind == KQ_RUN_BREAK) {
      g_string_append(out, "<br/>");
      continue;
    }
    if (!run->text || !*run->text)
      continue;
    char *tag = kq_xhtml_lang_tag(run->lang);
    gboolean span = tag && (!lang || g_ascii_strcasecmp(tag, lang) != 0);
    if (span) {
      g_string_append(out, "<span");
      kq_xhtml_lang_attrs(out, tag);
      g_string_append_c(out, '>');
    }
    for (gsize k = 0; k < G_N_ELEMENTS(style_tags); k++)
      if (run->style & style_tags[k].style)
        g_string_append_printf(out, "<%s>", style_tags[k].tag);
    kq_xhtml_escape_breakable(out, run->text, -1, (run->style & KQ_STYLE_CODE) != 0);
    for (gsize k = G_N_ELEMENTS(style_tags); k-- > 0;)
      if (run->style & style_tags[k].style)
        g_string_append_printf(out, "</%s>", style_tags[k].tag);
    if (span)
      g_string_append(out, "</span>");
    g_free(tag);
  }
  if (open_href)
    g_string_append(out, "</a>");
  g_free(open_href);
}

/* ---- Blocks ------------------------------------------------------------------ */

typedef struct {
  const KqXhtmlContext *ctx;
  KqHeadingDepth headings; /* open sections (the title is h1) */
} State;

static gboolean runs_empty(const GPtrArray *runs)
{
  if (!runs)
    return TRUE;
  for (guint i = 0; i < runs->len; i++) {
    const KqRun *r = g_ptr_array_index(runs, i);
    if (r->kind == KQ_RUN_TEXT && r->text && *r->text)
      return FALSE;
  }
  return TRUE;
}

/* Opens tag with the block's own language when it differs from ctx's;
 * returns the language that applies inside. */
static const char *open_tag(GString *out, const char *tag, const KqBlock *b, const char *lang,
                            const char *attrs, char **owned)
{
  *owned = kq_xhtml_lang_tag(b->lang);
  g_string_append_printf(out, "<%s", tag);
  if (attrs)
    g_string_append(out, attrs);
  if (*owned && (!lang || g_ascii_strcasecmp(*owned, lang) != 0)) {
    kq_xhtml_lang_attrs(out, *owned);
    lang = *owned;
  }
  g_string_append_c(out, '>');
  return lang;
}

static void blocks(GString *out, const GPtrArray *list, State *st, const char *lang, int depth);

static void table(GString *out, const KqBlock *b, const char *lang)
{
  if (!b->rows || b->rows->len == 0)
    return;
  char *owned;
  lang = open_tag(out, "table", b, lang, NULL, &owned);
  guint i = 0;
  if (((KqTableRow *)g_ptr_array_index(b->rows, 0))->header) {
    g_string_append(out, "<thead>");
    for (; i < b->rows->len; i++) {
      const KqTableRow *row = g_ptr_array_index(b->rows, i);
      if (!row->header)
        break;
      g_string_append(out, "<tr>");
      for (guint c = 0; row->cells && c < row->cells->len; c++) {
        g_string_append(out, "<th scope=\"col\">");
        kq_xhtml_runs(out, g_ptr_array_index(row->cells, c), lang);
        g_string_append(out, "</th>");
      }
      g_string_append(out, "</tr>\n");
    }
    g_string_append(out, "</thead>");
  }
  if (i < b->rows->len) {
    g_string_append(out, "<tbody>");
    for (; i < b->rows->len; i++) {
      const KqTableRow *row = g_ptr_array_index(b->rows, i);
      const char *cell_tag = row->header ? "th" : "td";
      g_string_append(out, "<tr>");
      for (guint c = 0; row->cells && c < row->cells->len; c++) {
        g_string_append_printf(out, "<%s>", cell_tag);
        kq_xhtml_runs(out, g_ptr_array_index(row->cells, c), lang);
        g_string_append_printf(out, "</%s>", cell_tag);
      }
      g_string_append(out, "</tr>\n");
    }
    g_string_append(out, "</tbody>");
  }
  g_string_append(out, "</table>\n");
  g_free(owned);
}

static void image(GString *out, const KqBlock *b, State *st, const char *lang)
{
  const char *href = st->ctx->image ? st->ctx->image(b, st->ctx->user_data) : NULL;
  gboolean has_caption = !runs_empty(b->runs);
  char *alt = kq_xhtml_clean_text(b->alt ? b->alt : "");
  g_strstrip(alt);
  char *owned;
  if (!href) {
    /* Dropped image: its alt text or caption stays as text. */
    if (!*alt && !has_caption) {
      g_free(alt);
      return;
    }
    lang = open_tag(out, "p", b, lang, " class=\"image-missing\"", &owned);
    if (*alt) {
      g_string_append(out, "<span class=\"alt\">");
      kq_xhtml_escape(out, alt, -1);
      g_string_append(out, "</span>");
    }
    if (has_caption) {
      if (*alt)
        g_string_append(out, " ");
      kq_xhtml_runs(out, b->runs, lang);
    }
    g_string_append(out, "</p>\n");
    g_free(owned);
    g_free(alt);
    return;
  }
  lang = open_tag(out, "figure", b, lang, NULL, &owned);
  g_string_append(out, "<img src=\"");
  kq_xhtml_escape(out, href, -1);
  g_string_append(out, "\" alt=\"");
  if (*alt) {
    kq_xhtml_escape(out, alt, -1);
    g_string_append(out, "\"/>");
  } else if (has_caption) {
    /* No alt text: the caption describes the image. */
    char *cap = kq_runs_to_text(b->runs);
    char *clean = kq_xhtml_clean_text(cap);
    g_strdelimit(clean, "\n", ' ');
    kq_xhtml_escape(out, g_strstrip(clean), -1);
    g_free(clean);
    g_free(cap);
    g_string_append(out, "\"/>");
  } else {
    g_string_append(out, "\" role=\"presentation\"/>"); /* decorative */
  }
  if (has_caption) {
    g_string_append(out, "<figcaption>");
    kq_xhtml_runs(out, b->runs, lang);
    g_string_append(out, "</figcaption>");
  }
  g_string_append(out, "</figure>\n");
  g_free(owned);
  g_free(alt);
}

static void block(GString *out, const KqBlock *b, State *st, const char *lang, int depth)
{
  char *owned = NULL;
  gboolean flat = depth >= KQ_XHTML_MAX_DEPTH;
  switch (b->kind) {
  case KQ_BLOCK_PARAGRAPH:
    if (runs_empty(b->runs))
      break;
    lang = open_tag(out, "p", b, lang, NULL, &owned);
    kq_xhtml_runs(out, b->runs, lang);
    g_string_append(out, "</p>\n");
    break;
  case KQ_BLOCK_HEADING: {
    if (runs_empty(b->runs))
      break;
    int level = MIN(kq_heading_depth_next(&st->headings, b->level) + 1, 6);
    char tag[3] = {'h', (char)('0' + level), 0};
    lang = open_tag(out, tag, b, lang, NULL, &owned);
    kq_xhtml_runs(out, b->runs, lang);
    g_string_append_printf(out, "</%s>\n", tag);
    break;
  }
  case KQ_BLOCK_QUOTE:
    if (!b->children || b->children->len == 0)
      break;
    if (flat) {
      blocks(out, b->children, st, lang, depth + 1);
      break;
    }
    lang = open_tag(out, "blockquote", b, lang, NULL, &owned);
    g_string_append_c(out, '\n');
    blocks(out, b->children, st, lang, depth + 1);
    g_string_append(out, "</blockquote>\n");
    break;
  case KQ_BLOCK_LIST: {
    if (!b->children || b->children->len == 0)
      break;
    if (flat) {
      blocks(out, b->children, st, lang, depth + 1);
      break;
    }
    char attrs[40] = "";
    if (b->ordered && b->start != 1)
      g_snprintf(attrs, sizeof attrs, " start=\"%d\"", b->start);
    lang = open_tag(out, b->ordered ? "ol" : "ul", b, lang, attrs, &owned);
    g_string_append_c(out, '\n');
    for (guint i = 0; i < b->children->len; i++) {
      const KqBlock *item = g_ptr_array_index(b->children, i);
      char *item_owned;
      const char *ilang = open_tag(out, "li", item, lang, NULL, &item_owned);
      if (item->kind == KQ_BLOCK_ITEM && item->children && item->children->len == 1 &&
          ((KqBlock *)g_ptr_array_index(item->children, 0))->kind == KQ_BLOCK_PARAGRAPH &&
          !((KqBlock *)g_ptr_array_index(item->children, 0))->lang) {
        /* A one-paragraph item: its text directly in the <li>. */
        kq_xhtml_runs(out, ((KqBlock *)g_ptr_array_index(item->children, 0))->runs, ilang);
      } else if (item->kind == KQ_BLOCK_ITEM) {
        if (item->children)
          blocks(out, item->children, st, ilang, depth + 2);
      } else {
        block(out, item, st, ilang, depth + 2);
      }
      g_string_append(out, "</li>\n");
      g_free(item_owned);
    }
    g_string_append(out, b->ordered ? "</ol>\n" : "</ul>\n");
    break;
  }
  case KQ_BLOCK_ITEM:
    if (b->children)
      blocks(out, b->children, st, lang, depth + 1);
    break;
  case KQ_BLOCK_CODE: {
    if (!b->text)
      break;
    lang = open_tag(out, "pre", b, lang, NULL, &owned);
    g_string_append(out, "<code");
    if (b->info && *b->info) {
      GString *cls = g_string_new(NULL);
      for (const char *p = b->info; *p && cls->len < 32; p++)
        if (g_ascii_isalnum(*p) || *p == '-' || *p == '_' || *p == '+')
          g_string_append_c(cls, *p);
        else
          break;
      if (cls->len)
        g_string_append_printf(out, " class=\"language-%s\"", cls->str);
      g_string_free(cls, TRUE);
    }
    g_string_append_c(out, '>');
    kq_xhtml_escape(out, b->text, -1);
    g_string_append(out, "</code></pre>\n");
    break;
  }
  case KQ_BLOCK_TABLE:
    table(out, b, lang);
    break;
  case KQ_BLOCK_IMAGE:
    image(out, b, st, lang);
    break;
  case KQ_BLOCK_RULE:
    g_string_append(out, "<hr/>\n");
    break;
  }
  g_free(owned);
}

static void blocks(GString *out, const GPtrArray *list, State *st, const char *lang, int depth)
{
  for (guint i = 0; list && i < list->len; i++)
    block(out, g_ptr_array_index(list, i), st, lang, depth);
}

void kq_xhtml_blocks(GString *out, const GPtrArray *list, const KqXhtmlContext *ctx)
{
  State st = {ctx, {{0}, 0}};
  blocks(out, list, &st, ctx->lang, 0);
}
