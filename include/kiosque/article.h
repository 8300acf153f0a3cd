/* article.h: the article model every reader fills and every writer reads. */
#ifndef KIOSQUE_ARTICLE_H
#define KIOSQUE_ARTICLE_H

#include <glib.h>

#include "kiosque/date.h"

G_BEGIN_DECLS

/*
 * Ownership, once for the whole model:
 * - a KqArticle owns every string, array, block and run inside it;
 *   kq_article_free() releases all of it in one call;
 * - every GPtrArray in the model is created with its element free function,
 *   so g_ptr_array_add() hands the element over to the array;
 * - strings are UTF-8 (NFC), never contain markup, and are NULL when unknown.
 * Text is as the source wrote it: typography works on copies.
 */

/* Source formats, as printed by `list --json` ("format"). */
typedef enum {
  KQ_FORMAT_UNKNOWN = 0,
  KQ_FORMAT_HTML,
  KQ_FORMAT_FEED,
  KQ_FORMAT_MARKDOWN,
  KQ_FORMAT_JSON,
  KQ_FORMAT_TEXT,
} KqFormat;

const char *kq_format_name(KqFormat format);

/* ---- Inline runs ----------------------------------------------------- */

/* A paragraph is a flat sequence of runs; styles combine as flags, so
 * "<a><em>x</em></a>" is one run with KQ_RUN_EMPH and an href. */
typedef enum {
  KQ_RUN_TEXT = 0, /* text with the style flags below */
  KQ_RUN_BREAK,    /* hard line break; text is NULL */
} KqRunKind;

typedef enum {
  KQ_STYLE_NONE = 0,
  KQ_STYLE_EMPH = 1 << 0,
  KQ_STYLE_STRONG = 1 << 1,
  KQ_STYLE_CODE = 1 << 2, /* code, kbd, samp: typography never touches it */
  KQ_STYLE_SUP = 1 << 3,  /* superscript */
  KQ_STYLE_SUB = 1 << 4,  /* subscript */
} KqStyle;

typedef struct {
  KqRunKind kind;
  guint style; /* KqStyle flags */
  char *text;  /* owned; NULL for KQ_RUN_BREAK */
  char *href;  /* owned; non-NULL when the run is (part of) a link */
  char *lang;  /* owned; BCP 47 when the source marks this run's language */
} KqRun;

/* Returns a new run owning copies of text and href. */
KqRun *kq_run_new(KqRunKind kind, guint style, const char *text, const char *href);
KqRun *kq_run_dup(const KqRun *run);
void kq_run_free(KqRun *run);
/* New array of KqRun* that frees its runs. */
GPtrArray *kq_runs_new(void);
/* Appends a text run, merging with the last run when style, href and lang
 * are equal; empty text is ignored. */
void kq_runs_append_text(GPtrArray *runs, guint style, const char *text, gssize len,
                         const char *href);
/* Concatenated text of runs (breaks as "\n"); caller frees. */
char *kq_runs_to_text(const GPtrArray *runs);

/* ---- Blocks ------------------------------------------------------------ */

typedef enum {
  KQ_BLOCK_PARAGRAPH = 0, /* runs */
  KQ_BLOCK_HEADING,       /* runs, level 1..6 (inside an article body) */
  KQ_BLOCK_QUOTE,         /* children: blocks */
  KQ_BLOCK_LIST,          /* children: KQ_BLOCK_ITEM blocks; ordered, start */
  KQ_BLOCK_ITEM,          /* children: blocks of one list item */
  KQ_BLOCK_CODE,          /* text (verbatim, may hold newlines), info = language */
  KQ_BLOCK_TABLE,         /* rows: KqTableRow* */
  KQ_BLOCK_IMAGE,         /* src, alt, runs = caption */
  KQ_BLOCK_RULE,          /* nothing */
} KqBlockKind;

typedef struct {
  gboolean header;  /* a header row (th cells / thead) */
  GPtrArray *cells; /* owned: one KqRun* array (kq_runs_new()) per cell */
} KqTableRow;

typedef struct KqBlock {
  KqBlockKind kind;
  int level;          /* heading level 1..6 */
  gboolean ordered;   /* list */
  int start;          /* first number of an ordered list */
  GPtrArray *runs;    /* KqRun*: paragraph, heading, image caption; else NULL */
  GPtrArray *children;/* KqBlock*: quote, list, item; else NULL */
  GPtrArray *rows;    /* KqTableRow*: table; else NULL */
  char *text;         /* code block text */
  char *info;         /* code block language, if given */
  char *src;          /* image: URL or path as the source gave it (resolved
                       * against the page's base URL for web sources);
                       * relative paths are relative to the article file */
  char *alt;          /* image alt text */
  char *lang;         /* BCP 47 when the source marks this block's language */
} KqBlock;

/* A new empty block of that kind, with the arrays its kind uses created. */
KqBlock *kq_block_new(KqBlockKind kind);
KqBlock *kq_block_dup(const KqBlock *block);
void kq_block_free(KqBlock *block);
/* New array of KqBlock* that frees its blocks. */
GPtrArray *kq_blocks_new(void);
KqTableRow *kq_table_row_new(gboolean header);
void kq_table_row_free(KqTableRow *row);

/* Plain text of blocks: paragraphs and other blocks separated by a blank
 * line, list items on their own lines, without soft hyphens or other
 * invisible format characters (joiners kept); caller frees. */
char *kq_blocks_to_text(const GPtrArray *blocks);
/* Length of kq_blocks_to_text() of block alone. */
gsize kq_block_text_length(const KqBlock *block);
/* At least kq_block_text_length(block), found without building the text
 * (a cap that holds for the bound holds for the text). */
gsize kq_block_text_bound(const KqBlock *block);
/* Unicode word count (runs of letters/digits) of the blocks' text. */
guint kq_blocks_count_words(const GPtrArray *blocks);

/* ---- Article ----------------------------------------------------------- */

/* A text field or list of strings added here goes in article.c's tables
 * (article_texts, article_lists): freed, copied and cleaned from there. */
typedef struct {
  char *id;          /* stable id, see kq_article_finish() */
  char *source_path; /* file the article was read from */
  KqFormat format;
  char *url;         /* canonical URL */
  char *title;
  char *standfirst;  /* chapô / description */
  GPtrArray *authors;/* char*, owned, never NULL */
  char *site;        /* site or publication name */
  KqDate published;
  KqDate updated;
  char *lang;        /* BCP 47 ("fr", "en-US"), NULL when unknown */
  GPtrArray *topics; /* char*, owned, never NULL; first one groups */
  gint64 views;      /* -1 when unknown */
  GPtrArray *sources;/* char*: cited sources, owned, never NULL */
  GPtrArray *blocks; /* KqBlock*, owned, never NULL */
} KqArticle;

KqArticle *kq_article_new(const char *source_path, KqFormat format);
void kq_article_free(KqArticle *article);
KqArticle *kq_article_dup(const KqArticle *article);

/* Names an article's list (authors, topics) keeps at most: each name
 * added is compared with all the others, and a hostile file can offer
 * hundreds of thousands. */
#define KQ_MAX_NAMES 512

/* Appends a copy of s to a string array unless it is empty or already
 * there (compared case-insensitively), or the array holds KQ_MAX_NAMES
 * strings already; surrounding whitespace is trimmed. Returns FALSE only
 * when s was refused because the array is full. */
gboolean kq_strv_add_unique(GPtrArray *strings, const char *s);
/* Replaces *field with a trimmed, whitespace-collapsed copy of value
 * (NULL or blank value leaves *field untouched). */
void kq_set_string(char **field, const char *value);

/* Computes the id (hash of canonical URL, else of title + date) and fills
 * what readers leave out; call once the reader has set every field. */
void kq_article_finish(KqArticle *article);

/*
 * Text safe for every sink (issue 12). Between a reader and the model
 * boundary (kq_read_buffer()) strings may hold bytes that are not UTF-8
 * (a JSON "\ud800" escape gives an encoded surrogate) or noncharacters
 * (U+FDD0..U+FDEF, U+nFFFE, U+nFFFF up to U+10FFFF), which Cairo refuses
 * and no font draws. kq_article_clean() removes them from every string of
 * the article, once, at that boundary, and returns how many it removed
 * (each bad byte sequence or code point counts one); single-line fields
 * are re-collapsed, a run left empty is dropped.
 */
guint kq_article_clean(KqArticle *article);
/* TRUE when kq_article_clean() would change nothing. */
gboolean kq_article_is_clean(const KqArticle *article);
/* A copy of s (len bytes, or NUL-terminated when len < 0) without bad byte
 * sequences, surrogates, noncharacters and NULs; *removed (may be NULL)
 * gets how many were dropped. NULL for NULL; caller frees. */
char *kq_utf8_clean(const char *s, gssize len, guint *removed);
/* TRUE when kq_utf8_clean() would change nothing (NULL is clean). */
gboolean kq_utf8_is_clean(const char *s, gssize len);

/*
 * Words written into a GString with one separator between them, whatever
 * separates them in the source: the caller tells a separator
 * (kq_words_gap()) and writes each character of a word to what
 * kq_words_next() returns, which first writes one sep if a separator came
 * since the last character; none at the start or the end. One rule for
 * collapsed white space and for slugs.
 */
typedef struct {
  GString *out;  /* borrowed */
  char sep;
  gboolean gap;  /* a separator since the last character (FALSE to start) */
} KqWords;

static inline void kq_words_gap(KqWords *w)
{
  w->gap = w->out->len > 0;
}

static inline GString *kq_words_next(KqWords *w)
{
  if (w->gap)
    g_string_append_c(w->out, w->sep);
  w->gap = FALSE;
  return w->out;
}

/* Splits plain text into paragraph blocks at blank lines (single newlines
 * inside a paragraph become spaces). New array; caller frees. */
GPtrArray *kq_blocks_from_plain_text(const char *text, gssize len);

/* Drops the trailing blocks once the body's text passes max_bytes (the
 * first block is always kept; readers cap inside it). TRUE when it dropped
 * something. */
gboolean kq_article_cap_body(KqArticle *article, gsize max_bytes);

/* Word count of the body. */
guint kq_article_count_words(const KqArticle *article);

/* Primary language subtag, lower case ("fr" for "fr-CA"); "" when unknown.
 * Writes into buf (at least 9 bytes) and returns it. */
const char *kq_lang_primary(const char *lang, char *buf, gsize size);

/* The one BCP 47 normalizer (issue 13 item 6), for every reader and writer:
 * " fr_fr " → "fr-FR", "EN-latn-us" → "en-Latn-US", "en, fr" → "en" (the
 * first of a list, as HTTP and HTML give). Primary subtag 2 to 8 letters,
 * others 1 to 8 letters or digits, at most 35 characters; cases as BCP 47
 * writes them (language lower, Script title, REGION upper). NULL (nothing
 * to free) when lang is NULL or not a language tag; otherwise caller frees. */
char *kq_lang_normalize(const char *lang);

/* Section depth of an article's headings, so that both writers keep the
 * source's levels relative (issue 15): siblings get the same depth, a
 * nested heading one more than its parent, no level is skipped, whatever
 * level the source starts at (three "##" are three depth-1 sections).
 * Depth 1 sits right under the article title. Init to zero, then call
 * kq_heading_depth_next() for each heading in reading order. */
typedef struct {
  int levels[6]; /* source levels of the open sections, outermost first */
  int n;
} KqHeadingDepth;
int kq_heading_depth_next(KqHeadingDepth *h, int level);

G_END_DECLS

#endif
