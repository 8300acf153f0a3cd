/* article.c: construction, copying and freeing of the article model. */
#include "kiosque/article.h"

#include <string.h>

const char *kq_format_name(KqFormat format)
{
  switch (format) {
  case KQ_FORMAT_HTML: return "html";
  case KQ_FORMAT_FEED: return "feed";
  case KQ_FORMAT_MARKDOWN: return "markdown";
  case KQ_FORMAT_JSON: return "json";
  case KQ_FORMAT_TEXT: return "text";
  case KQ_FORMAT_UNKNOWN: break;
  }
  return "unknown";
}

/* The char* field of a model struct at offset: the tables of a run's, a
 * block's and the article's text fields (below) list them by offset. */
#define TEXT_AT(obj, offset) G_STRUCT_MEMBER(char *, obj, offset)

/* ---- Runs ---------------------------------------------------------------- */

KqRun *kq_run_new(KqRunKind kind, guint style, const char *text, const char *href)
{
  KqRun *run = g_new0(KqRun, 1);
  run->kind = kind;
  run->style = style;
  run->text = kind == KQ_RUN_BREAK ? NULL : g_strdup(text ? text : "");
  run->href = g_strdup(href);
  return run;
}

/* A run's text fields, listed once: the copy, the destructor and the model
 * boundary's cleaning walk this table (as a block's and the article's,
 * below), so a field added is copied, freed and cleaned alike. */
static const gsize run_texts[] = {
    G_STRUCT_OFFSET(KqRun, text),
    G_STRUCT_OFFSET(KqRun, href),
    G_STRUCT_OFFSET(KqRun, lang),
};

KqRun *kq_run_dup(const KqRun *run)
{
  KqRun *copy = g_memdup2(run, sizeof *run); /* the values: kind, style */
  for (gsize k = 0; k < G_N_ELEMENTS(run_texts); k++)
    TEXT_AT(copy, run_texts[k]) = g_strdup(TEXT_AT(run, run_texts[k]));
  return copy;
}

void kq_run_free(KqRun *run)
{
  if (!run)
    return;
  for (gsize k = 0; k < G_N_ELEMENTS(run_texts); k++)
    g_free(TEXT_AT(run, run_texts[k]));
  g_free(run);
}

GPtrArray *kq_runs_new(void)
{
  return g_ptr_array_new_with_free_func((GDestroyNotify)kq_run_free);
}

void kq_runs_append_text(GPtrArray *runs, guint style, const char *text, gssize len,
                         const char *href)
{
  if (!text)
    return;
  if (len < 0)
    len = (gssize)strlen(text);
  if (len == 0)
    return;
  if (runs->len > 0) {
    KqRun *last = g_ptr_array_index(runs, runs->len - 1);
    if (last->kind == KQ_RUN_TEXT && last->style == style && last->lang == NULL &&
        g_strcmp0(last->href, href) == 0) {
      char *joined = g_strdup_printf("%s%.*s", last->text, (int)len, text);
      g_free(last->text);
      last->text = joined;
      return;
    }
  }
  KqRun *run = kq_run_new(KQ_RUN_TEXT, style, NULL, href);
  g_free(run->text);
  run->text = g_strndup(text, (gsize)len);
  g_ptr_array_add(runs, run);
}

char *kq_runs_to_text(const GPtrArray *runs)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; runs && i < runs->len; i++) {
    const KqRun *run = g_ptr_array_index(runs, i);
    if (run->kind == KQ_RUN_BREAK)
      g_string_append_c(s, '\n');
    else if (run->text)
      g_string_append(s, run->text);
  }
  return g_string_free(s, FALSE);
}

static GPtrArray *runs_dup(const GPtrArray *runs)
{
  if (!runs)
    return NULL;
  GPtrArray *copy = kq_runs_new();
  for (guint i = 0; i < runs->len; i++)
    g_ptr_array_add(copy, kq_run_dup(g_ptr_array_index(runs, i)));
  return copy;
}

/* ---- Tables -------------------------------------------------------------- */

KqTableRow *kq_table_row_new(gboolean header)
{
  KqTableRow *row = g_new0(KqTableRow, 1);
  row->header = header;
  row->cells = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
  return row;
}

void kq_table_row_free(KqTableRow *row)
{
  if (!row)
    return;
  g_ptr_array_unref(row->cells);
  g_free(row);
}

static KqTableRow *table_row_dup(const KqTableRow *row)
{
  KqTableRow *copy = kq_table_row_new(row->header);
  for (guint i = 0; i < row->cells->len; i++)
    g_ptr_array_add(copy->cells, runs_dup(g_ptr_array_index(row->cells, i)));
  return copy;
}

/* ---- Blocks -------------------------------------------------------------- */

KqBlock *kq_block_new(KqBlockKind kind)
{
  KqBlock *block = g_new0(KqBlock, 1);
  block->kind = kind;
  block->start = 1;
  switch (kind) {
  case KQ_BLOCK_PARAGRAPH:
  case KQ_BLOCK_HEADING:
  case KQ_BLOCK_IMAGE:
    block->runs = kq_runs_new();
    break;
  case KQ_BLOCK_QUOTE:
  case KQ_BLOCK_LIST:
  case KQ_BLOCK_ITEM:
    block->children = kq_blocks_new();
    break;
  case KQ_BLOCK_TABLE:
    block->rows = g_ptr_array_new_with_free_func((GDestroyNotify)kq_table_row_free);
    break;
  case KQ_BLOCK_CODE:
  case KQ_BLOCK_RULE:
    break;
  }
  if (kind == KQ_BLOCK_HEADING)
    block->level = 2;
  return block;
}

/* A block's text fields, listed once: the destructor, the copy and the
 * model boundary's cleaning walk this table (as a run's and the article's),
 * so a field added is freed, copied and cleaned alike. */
static const gsize block_texts[] = {
    G_STRUCT_OFFSET(KqBlock, text),
    G_STRUCT_OFFSET(KqBlock, info),
    G_STRUCT_OFFSET(KqBlock, src),
    G_STRUCT_OFFSET(KqBlock, alt),
    G_STRUCT_OFFSET(KqBlock, lang),
};

void kq_block_free(KqBlock *block)
{
  if (!block)
    return;
  g_clear_pointer(&block->runs, g_ptr_array_unref);
  g_clear_pointer(&block->children, g_ptr_array_unref);
  g_clear_pointer(&block->rows, g_ptr_array_unref);
  for (gsize k = 0; k < G_N_ELEMENTS(block_texts); k++)
    g_free(TEXT_AT(block, block_texts[k]));
  g_free(block);
}

GPtrArray *kq_blocks_new(void)
{
  return g_ptr_array_new_with_free_func((GDestroyNotify)kq_block_free);
}

static GPtrArray *blocks_dup(const GPtrArray *blocks)
{
  GPtrArray *copy = kq_blocks_new();
  for (guint i = 0; blocks && i < blocks->len; i++)
    g_ptr_array_add(copy, kq_block_dup(g_ptr_array_index(blocks, i)));
  return copy;
}

KqBlock *kq_block_dup(const KqBlock *block)
{
  KqBlock *copy = g_new0(KqBlock, 1);
  copy->kind = block->kind;
  copy->level = block->level;
  copy->ordered = block->ordered;
  copy->start = block->start;
  copy->runs = runs_dup(block->runs);
  copy->children = block->children ? blocks_dup(block->children) : NULL;
  if (block->rows) {
    copy->rows = g_ptr_array_new_with_free_func((GDestroyNotify)kq_table_row_free);
    for (guint i = 0; i < block->rows->len; i++)
      g_ptr_array_add(copy->rows, table_row_dup(g_ptr_array_index(block->rows, i)));
  }
  for (gsize k = 0; k < G_N_ELEMENTS(block_texts); k++)
    TEXT_AT(copy, block_texts[k]) = g_strdup(TEXT_AT(block, block_texts[k]));
  return copy;
}

/* ---- Plain text ---------------------------------------------------------- */

static void blocks_text(const GPtrArray *blocks, GString *out, const char *prefix);

static void separate(GString *out)
{
  if (out->len == 0)
    return;
  while (out->len > 0 && out->str[out->len - 1] == '\n')
    g_string_truncate(out, out->len - 1);
  g_string_append(out, "\n\n");
}

static void block_text(const KqBlock *b, GString *out, const char *prefix)
{
  char *t;
  switch (b->kind) {
  case KQ_BLOCK_PARAGRAPH:
  case KQ_BLOCK_HEADING:
  case KQ_BLOCK_IMAGE: /* its caption */
    t = kq_runs_to_text(b->runs);
    if (*t) {
      separate(out);
      g_string_append(out, t);
    }
    g_free(t);
    break;
  case KQ_BLOCK_CODE:
    if (b->text && *b->text) {
      separate(out);
      g_string_append(out, b->text);
    }
    break;
  case KQ_BLOCK_QUOTE:
    blocks_text(b->children, out, prefix);
    break;
  case KQ_BLOCK_LIST:
    separate(out);
    for (guint i = 0; i < b->children->len; i++) {
      const KqBlock *item = g_ptr_array_index(b->children, i);
      GString *it = g_string_new(NULL);
      blocks_text(item->children, it, prefix);
      if (i > 0)
        g_string_append_c(out, '\n');
      if (b->ordered)
        g_string_append_printf(out, "%d. ", b->start + (int)i);
      else
        g_string_append(out, "- ");
      /* list item paragraphs stay on one line each */
      for (char *p = it->str; *p; p++)
        if (*p == '\n')
          *p = ' ';
      g_string_append(out, g_strstrip(it->str));
      g_string_free(it, TRUE);
    }
    break;
  case KQ_BLOCK_TABLE:
    separate(out);
    for (guint r = 0; r < b->rows->len; r++) {
      const KqTableRow *row = g_ptr_array_index(b->rows, r);
      if (r > 0)
        g_string_append_c(out, '\n');
      for (guint c = 0; c < row->cells->len; c++) {
        t = kq_runs_to_text(g_ptr_array_index(row->cells, c));
        if (c > 0)
          g_string_append(out, " | ");
        g_string_append(out, t);
        g_free(t);
      }
    }
    break;
  case KQ_BLOCK_ITEM:
    blocks_text(b->children, out, prefix);
    break;
  case KQ_BLOCK_RULE:
    break;
  }
}

static void blocks_text(const GPtrArray *blocks, GString *out, const char *prefix)
{
  for (guint i = 0; blocks && i < blocks->len; i++)
    block_text(g_ptr_array_index(blocks, i), out, prefix);
}

/* Invisible format characters (Unicode Cf) that only guide display or
 * line breaking: soft hyphen, zero-width space, word joiner, direction
 * marks and embeddings, BOM. Joiners (U+200C, U+200D) and tag characters
 * stay: they change which glyph or emoji is meant. */
static gboolean invisible_format(gunichar c)
{
  return g_unichar_type(c) == G_UNICODE_FORMAT && c != 0x200C && c != 0x200D &&
         !(c >= 0xE0020 && c <= 0xE007F);
}

/* Drops invisible format characters in place (plain text must be
 * searchable: "ex<U+00AD>ample" is not found by "example"); the text is
 * only moved once one is found. */
static void drop_invisible(GString *s)
{
  gsize w = 0, r = 0, kept = 0; /* s->str[kept..r) is kept, to be moved to w */
  gboolean found = FALSE;
  while (r < s->len) {
    if (s->len - r >= 8) {
      guint64 word; /* ASCII eight bytes at a time */
      memcpy(&word, s->str + r, 8);
      if ((word & G_GUINT64_CONSTANT(0x8080808080808080)) == 0) {
        r += 8;
        continue;
      }
    }
    if ((guchar)s->str[r] < 0x80) {
      r++;
      continue;
    }
    const char *p = s->str + r;
    gsize n = MIN((gsize)(g_utf8_next_char(p) - p), s->len - r);
    if (invisible_format(g_utf8_get_char(p))) {
      if (found)
        memmove(s->str + w, s->str + kept, r - kept);
      w += r - kept; /* before the first one found, w == kept: nothing moves */
      kept = r + n;
      found = TRUE;
    }
    r += n;
  }
  if (found) {
    memmove(s->str + w, s->str + kept, s->len - kept);
    g_string_truncate(s, w + (s->len - kept));
  }
}

char *kq_blocks_to_text(const GPtrArray *blocks)
{
  GString *out = g_string_new(NULL);
  blocks_text(blocks, out, "");
  drop_invisible(out);
  while (out->len > 0 && out->str[out->len - 1] == '\n')
    g_string_truncate(out, out->len - 1);
  return g_string_free(out, FALSE);
}

static gsize runs_bound(const GPtrArray *runs)
{
  gsize n = 0;
  for (guint i = 0; runs && i < runs->len; i++) {
    const KqRun *r = g_ptr_array_index(runs, i);
    n += r->kind == KQ_RUN_BREAK ? 1 : r->text ? strlen(r->text) : 0;
  }
  return n;
}

gsize kq_block_text_bound(const KqBlock *b)
{
  /* every byte block_text() copies, and per block room for what it adds:
   * separate()'s blank line, a list item's line break and "N. " (an int) */
  gsize n = 2 + 1 + 16 + runs_bound(b->runs) + (b->text ? strlen(b->text) : 0);
  for (guint i = 0; b->children && i < b->children->len; i++)
    n += kq_block_text_bound(g_ptr_array_index(b->children, i));
  for (guint r = 0; b->rows && r < b->rows->len; r++) {
    const KqTableRow *row = g_ptr_array_index(b->rows, r);
    n += 1; /* the row's line break */
    for (guint c = 0; c < row->cells->len; c++)
      n += 3 + runs_bound(g_ptr_array_index(row->cells, c));
  }
  return n;
}

gsize kq_block_text_length(const KqBlock *b)
{
  GPtrArray one = {0};
  gpointer item = (gpointer)b;
  one.pdata = &item;
  one.len = 1;
  char *t = kq_blocks_to_text(&one);
  gsize n = strlen(t);
  g_free(t);
  return n;
}

static guint count_words(const char *text)
{
  guint n = 0;
  gboolean in_word = FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    gboolean w = g_unichar_isalnum(c) || c == '_' ||
                 (in_word && (c == '\'' || c == 0x2019 || c == '-') &&
                  g_unichar_isalnum(g_utf8_get_char(g_utf8_next_char(p))));
    if (w && !in_word)
      n++;
    in_word = w;
  }
  return n;
}

guint kq_blocks_count_words(const GPtrArray *blocks)
{
  char *text = kq_blocks_to_text(blocks);
  guint n = count_words(text);
  g_free(text);
  return n;
}

/* Ends the paragraph gathered in para (if any) as a block of blocks. */
static void flush_paragraph(GPtrArray *blocks, GString *para)
{
  if (para->len == 0)
    return;
  KqBlock *b = kq_block_new(KQ_BLOCK_PARAGRAPH);
  kq_runs_append_text(b->runs, KQ_STYLE_NONE, para->str, (gssize)para->len, NULL);
  g_ptr_array_add(blocks, b);
  g_string_truncate(para, 0);
}

GPtrArray *kq_blocks_from_plain_text(const char *text, gssize len)
{
  GPtrArray *blocks = kq_blocks_new();
  if (!text)
    return blocks;
  if (len < 0)
    len = (gssize)strlen(text);
  GString *para = g_string_new(NULL);
  const char *p = text, *end = text + len;
  while (p <= end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *line_end = nl ? nl : end;
    char *line = g_strstrip(g_strndup(p, (gsize)(line_end - p)));
    if (*line == '\0') {
      flush_paragraph(blocks, para);
    } else {
      if (para->len > 0)
        g_string_append_c(para, ' ');
      g_string_append(para, line);
    }
    g_free(line);
    if (!nl)
      break;
    p = nl + 1;
  }
  flush_paragraph(blocks, para);
  g_string_free(para, TRUE);
  return blocks;
}

/* ---- Articles ------------------------------------------------------------ */

static GPtrArray *strings_new(void)
{
  return g_ptr_array_new_with_free_func(g_free);
}

static GPtrArray *strings_dup(const GPtrArray *a)
{
  GPtrArray *copy = strings_new();
  for (guint i = 0; i < a->len; i++)
    g_ptr_array_add(copy, g_strdup(g_ptr_array_index(a, i)));
  return copy;
}

/* The article's text fields and lists of strings, each listed once: the
 * destructor, the copy and the model boundary's cleaning all walk these
 * tables, so a field added here is freed, copied and cleaned alike. */
static const struct {
  gsize offset;
  gboolean line; /* a one-line field (cleaning collapses its spaces) */
} article_texts[] = {
    {G_STRUCT_OFFSET(KqArticle, id), FALSE},
    {G_STRUCT_OFFSET(KqArticle, source_path), FALSE},
    {G_STRUCT_OFFSET(KqArticle, url), FALSE},
    {G_STRUCT_OFFSET(KqArticle, title), TRUE},
    {G_STRUCT_OFFSET(KqArticle, standfirst), TRUE},
    {G_STRUCT_OFFSET(KqArticle, site), TRUE},
    {G_STRUCT_OFFSET(KqArticle, lang), FALSE},
};
static const gsize article_lists[] = {
    G_STRUCT_OFFSET(KqArticle, authors),
    G_STRUCT_OFFSET(KqArticle, topics),
    G_STRUCT_OFFSET(KqArticle, sources),
};
#define ARTICLE_LIST(a, k) G_STRUCT_MEMBER(GPtrArray *, a, article_lists[k])

KqArticle *kq_article_new(const char *source_path, KqFormat format)
{
  KqArticle *a = g_new0(KqArticle, 1);
  a->source_path = g_strdup(source_path);
  a->format = format;
  for (gsize k = 0; k < G_N_ELEMENTS(article_lists); k++)
    ARTICLE_LIST(a, k) = strings_new();
  a->blocks = kq_blocks_new();
  a->views = -1;
  return a;
}

void kq_article_free(KqArticle *a)
{
  if (!a)
    return;
  for (gsize k = 0; k < G_N_ELEMENTS(article_texts); k++)
    g_free(TEXT_AT(a, article_texts[k].offset));
  for (gsize k = 0; k < G_N_ELEMENTS(article_lists); k++)
    g_ptr_array_unref(ARTICLE_LIST(a, k));
  g_ptr_array_unref(a->blocks);
  g_free(a);
}

KqArticle *kq_article_dup(const KqArticle *a)
{
  KqArticle *c = g_memdup2(a, sizeof *a); /* the values: format, dates, views */
  for (gsize k = 0; k < G_N_ELEMENTS(article_texts); k++)
    TEXT_AT(c, article_texts[k].offset) = g_strdup(TEXT_AT(a, article_texts[k].offset));
  for (gsize k = 0; k < G_N_ELEMENTS(article_lists); k++)
    ARTICLE_LIST(c, k) = strings_dup(ARTICLE_LIST(a, k));
  c->blocks = blocks_dup(a->blocks);
  return c;
}

/* Trimmed copy with inner whitespace runs (ASCII and Unicode spaces)
 * collapsed to one space; NULL when nothing remains. Bytes that are not
 * UTF-8 are copied as they are: kq_article_clean() removes them at the
 * model boundary, counting them for its warning. */
static char *clean_string(const char *value)
{
  if (!value)
    return NULL;
  GString *s = g_string_new(NULL);
  KqWords w = {s, ' ', FALSE};
  const char *end = value + strlen(value);
  for (const char *p = value; p < end;) {
    gunichar c = g_utf8_get_char_validated(p, end - p);
    if (c == (gunichar)-1 || c == (gunichar)-2) {
      g_string_append_c(kq_words_next(&w), *p++);
      continue;
    }
    p = g_utf8_next_char(p);
    if (g_unichar_isspace(c) || c == 0xA0)
      kq_words_gap(&w);
    else
      g_string_append_unichar(kq_words_next(&w), c);
  }
  if (s->len == 0) {
    g_string_free(s, TRUE);
    return NULL;
  }
  return g_string_free(s, FALSE);
}

void kq_set_string(char **field, const char *value)
{
  if (!value)
    return;
  char *clean = clean_string(value);
  if (!clean)
    return;
  g_free(*field);
  *field = clean;
}

/* Case-folded copy for comparisons; bad bytes dropped first (casefold
 * needs valid UTF-8). */
static char *fold(const char *s)
{
  char *valid = kq_utf8_clean(s, -1, NULL);
  char *folded = g_utf8_casefold(valid, -1);
  g_free(valid);
  return folded;
}

gboolean kq_strv_add_unique(GPtrArray *strings, const char *s)
{
  if (!s)
    return TRUE;
  if (strings->len >= KQ_MAX_NAMES)
    return FALSE;
  char *clean = clean_string(s);
  if (!clean)
    return TRUE;
  char *folded = fold(clean);
  for (guint i = 0; i < strings->len; i++) {
    char *other = fold(g_ptr_array_index(strings, i));
    gboolean same = strcmp(other, folded) == 0;
    g_free(other);
    if (same) {
      g_free(folded);
      g_free(clean);
      return TRUE;
    }
  }
  g_free(folded);
  g_ptr_array_add(strings, clean);
  return TRUE;
}

/* ---- Text safe for every sink ------------------------------------------------- */

/* Noncharacters: U+FDD0..U+FDEF and the last two code points of every
 * plane (U+FFFE, U+FFFF, U+1FFFE ... U+10FFFF). Cairo refuses them (its
 * UTF-8 check), XML 1.0 discourages them, no font draws them. */
static gboolean is_noncharacter(gunichar c)
{
  return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

char *kq_utf8_clean(const char *s, gssize len, guint *removed)
{
  guint n = 0;
  if (!s) {
    if (removed)
      *removed = 0;
    return NULL;
  }
  gsize size = len < 0 ? strlen(s) : (gsize)len;
  if (kq_utf8_is_clean(s, (gssize)size)) {
    if (removed)
      *removed = 0;
    return g_strndup(s, size); /* the usual case, without decoding each character */
  }
  const char *end = s + size;
  GString *out = g_string_sized_new(size);
  for (const char *p = s; p < end;) {
    gunichar c = g_utf8_get_char_validated(p, end - p);
    if (c == (gunichar)-1 || c == (gunichar)-2) {
      /* one bad sequence: its lead byte and the continuation bytes after
       * it (an encoded surrogate, "\xED\xA0\x80", counts once) */
      p++;
      for (int k = 0; k < 3 && p < end && ((guchar)*p & 0xC0) == 0x80; k++)
        p++;
      n++;
      continue;
    }
    const char *next = g_utf8_next_char(p);
    if (c == 0 || is_noncharacter(c))
      n++;
    else
      g_string_append_len(out, p, next - p);
    p = next;
  }
  if (removed)
    *removed = n;
  return g_string_free(out, FALSE);
}

gboolean kq_utf8_is_clean(const char *s, gssize len)
{
  if (!s)
    return TRUE;
  gsize size = len < 0 ? strlen(s) : (gsize)len;
  const char *p = s, *end = s + size;
  /* one pass, what g_utf8_validate_len() refuses refused too: ASCII eight
   * bytes at a time (refusing a NUL), each other character decoded and
   * validated by GLib */
  while (p < end) {
    if (end - p >= 8) {
      guint64 word;
      memcpy(&word, p, 8);
      if ((word & G_GUINT64_CONSTANT(0x8080808080808080)) == 0) {
        if ((word - G_GUINT64_CONSTANT(0x0101010101010101)) & ~word &
            G_GUINT64_CONSTANT(0x8080808080808080))
          return FALSE; /* a NUL byte */
        p += 8;
        continue;
      }
    }
    if ((guchar)*p < 0x80) {
      if (*p == 0)
        return FALSE;
      p++;
      continue;
    }
    gunichar c = g_utf8_get_char_validated(p, end - p);
    if (c == (gunichar)-1 || c == (gunichar)-2 || is_noncharacter(c))
      return FALSE;
    p = g_utf8_next_char(p);
  }
  return TRUE;
}

/* The walkers below clean in place when fix is TRUE and return how many
 * bad sequences or code points they removed; with fix FALSE they change
 * nothing and return how many fields are not clean. */

/* line: also collapse the spaces left around a removed character
 * (single-line fields, as kq_set_string() made them). */
static guint clean_field(char **field, gboolean line, gboolean fix)
{
  if (!*field || kq_utf8_is_clean(*field, -1))
    return 0;
  if (!fix)
    return 1;
  guint n = 0;
  char *clean = kq_utf8_clean(*field, -1, &n);
  g_free(*field);
  *field = clean;
  if (line) {
    char *collapsed = clean_string(clean);
    g_free(*field);
    *field = collapsed; /* NULL when nothing remains */
  }
  return n;
}

static guint clean_strings(GPtrArray **strings, gboolean fix)
{
  guint n = 0;
  for (guint i = 0; i < (*strings)->len; i++)
    n += !kq_utf8_is_clean(g_ptr_array_index(*strings, i), -1);
  if (n == 0 || !fix)
    return n;
  n = 0;
  GPtrArray *clean = strings_new();
  for (guint i = 0; i < (*strings)->len; i++) {
    guint k = 0;
    char *s = kq_utf8_clean(g_ptr_array_index(*strings, i), -1, &k);
    n += k;
    kq_strv_add_unique(clean, s); /* a string may now equal another, or be empty */
    g_free(s);
  }
  g_ptr_array_unref(*strings);
  *strings = clean;
  return n;
}

static guint clean_runs(GPtrArray *runs, gboolean fix)
{
  guint n = 0;
  for (guint i = 0; runs && i < runs->len;) {
    KqRun *run = g_ptr_array_index(runs, i);
    for (gsize k = 0; k < G_N_ELEMENTS(run_texts); k++)
      n += clean_field(&TEXT_AT(run, run_texts[k]), FALSE, fix);
    if (fix && run->kind == KQ_RUN_TEXT && run->text && !run->text[0])
      g_ptr_array_remove_index(runs, i); /* held nothing but bad characters */
    else
      i++;
  }
  return n;
}

static guint clean_blocks(GPtrArray *blocks, gboolean fix)
{
  guint n = 0;
  for (guint i = 0; blocks && i < blocks->len; i++) {
    KqBlock *b = g_ptr_array_index(blocks, i);
    n += clean_runs(b->runs, fix);
    n += clean_blocks(b->children, fix);
    for (guint r = 0; b->rows && r < b->rows->len; r++) {
      KqTableRow *row = g_ptr_array_index(b->rows, r);
      for (guint c = 0; c < row->cells->len; c++)
        n += clean_runs(g_ptr_array_index(row->cells, c), fix);
    }
    for (gsize k = 0; k < G_N_ELEMENTS(block_texts); k++)
      n += clean_field(&TEXT_AT(b, block_texts[k]), FALSE, fix);
  }
  return n;
}

static guint clean_article(KqArticle *a, gboolean fix)
{
  guint n = 0;
  for (gsize k = 0; k < G_N_ELEMENTS(article_texts); k++)
    n += clean_field(&TEXT_AT(a, article_texts[k].offset), article_texts[k].line, fix);
  for (gsize k = 0; k < G_N_ELEMENTS(article_lists); k++)
    n += clean_strings(&ARTICLE_LIST(a, k), fix);
  n += clean_blocks(a->blocks, fix);
  return n;
}

guint kq_article_clean(KqArticle *a)
{
  return clean_article(a, TRUE);
}

gboolean kq_article_is_clean(const KqArticle *a)
{
  /* fix FALSE: nothing is written through the cast */
  return clean_article((KqArticle *)a, FALSE) == 0;
}

void kq_article_finish(KqArticle *a)
{
  if (a->title && !a->title[0]) {
    g_free(a->title);
    a->title = NULL;
  }
  g_free(a->id);
  GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
  if (a->url && *a->url) {
    g_checksum_update(sum, (const guchar *)"url:", 4);
    g_checksum_update(sum, (const guchar *)a->url, -1);
  } else {
    char *date = kq_date_to_string(&a->published);
    g_checksum_update(sum, (const guchar *)"title:", 6);
    if (a->title)
      g_checksum_update(sum, (const guchar *)a->title, -1);
    g_checksum_update(sum, (const guchar *)"\n", 1);
    if (date)
      g_checksum_update(sum, (const guchar *)date, -1);
    else if (a->source_path)
      /* neither URL nor date: the file keeps two untitled notes apart */
      g_checksum_update(sum, (const guchar *)a->source_path, -1);
    g_free(date);
  }
  a->id = g_strndup(g_checksum_get_string(sum), 16);
  g_checksum_free(sum);
}

guint kq_article_count_words(const KqArticle *a)
{
  return kq_blocks_count_words(a->blocks);
}

const char *kq_lang_primary(const char *lang, char *buf, gsize size)
{
  gsize i = 0;
  if (size == 0)
    return buf;
  if (lang)
    for (; lang[i] && lang[i] != '-' && lang[i] != '_' && i + 1 < size; i++)
      buf[i] = g_ascii_tolower(lang[i]);
  buf[i] = '\0';
  return buf;
}

char *kq_lang_normalize(const char *lang)
{
  if (!lang)
    return NULL;
  char *t = g_strstrip(g_strdup(lang));
  char *end = strpbrk(t, ",; \t");
  if (end)
    *end = '\0';
  g_strdelimit(t, "_", '-');
  gboolean ok = *t && strlen(t) <= 35;
  char **parts = g_strsplit(t, "-", -1);
  GString *out = g_string_new(NULL);
  for (int i = 0; ok && parts[i]; i++) {
    const char *s = parts[i];
    gsize n = strlen(s);
    ok = n >= (i == 0 ? 2u : 1u) && n <= 8;
    for (gsize k = 0; ok && k < n; k++)
      ok = i == 0 ? g_ascii_isalpha(s[k]) : g_ascii_isalnum(s[k]);
    if (!ok)
      break;
    if (i)
      g_string_append_c(out, '-');
    for (gsize k = 0; k < n; k++) {
      gboolean upper = i > 0 && ((n == 2 && g_ascii_isalpha(s[0])) || (n == 4 && k == 0 &&
                                                                       g_ascii_isalpha(s[0])));
      g_string_append_c(out, upper ? g_ascii_toupper(s[k]) : g_ascii_tolower(s[k]));
    }
  }
  g_strfreev(parts);
  g_free(t);
  if (!ok) {
    g_string_free(out, TRUE);
    return NULL;
  }
  return g_string_free(out, FALSE);
}

gboolean kq_article_cap_body(KqArticle *a, gsize max_bytes)
{
  gsize bound = 0;
  for (guint i = 0; i < a->blocks->len && bound <= max_bytes; i++)
    bound += kq_block_text_bound(g_ptr_array_index(a->blocks, i));
  if (bound <= max_bytes)
    return FALSE; /* the text is no longer than its bound: nothing to build */
  gsize total = 0;
  for (guint i = 0; i < a->blocks->len; i++) {
    total += kq_block_text_length(g_ptr_array_index(a->blocks, i));
    if (total > max_bytes) {
      g_ptr_array_set_size(a->blocks, MAX(i, 1u));
      return TRUE;
    }
  }
  return FALSE;
}

int kq_heading_depth_next(KqHeadingDepth *h, int level)
{
  level = CLAMP(level, 1, 6);
  while (h->n > 0 && h->levels[h->n - 1] >= level)
    h->n--; /* a sibling or an outer section closes the deeper ones */
  if (h->n == (int)G_N_ELEMENTS(h->levels))
    h->n--; /* deeper than six: stays at the deepest depth */
  h->levels[h->n++] = level;
  return h->n;
}
