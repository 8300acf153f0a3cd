/* typo.h: French and English micro-typography (typographie.md G/FR/EN rules) and hyphenation (HY). */
#ifndef KIOSQUE_TYPO_H
#define KIOSQUE_TYPO_H

#include <glib.h>

#include "kiosque/article.h"

G_BEGIN_DECLS

#define KQ_TYPO_ERROR (kq_typo_error_quark())
GQuark kq_typo_error_quark(void);

typedef enum {
  KQ_TYPO_ERROR_DICT = 1, /* a hyphenation dictionary could not be loaded */
} KqTypoError;

/*
 * The typography engine. Hyphenation dictionaries are loaded lazily, on
 * first use per language, once per process (HY-1: shared by every KqTypo
 * using the same folder, never unloaded); each KqTypo also caches the break
 * points of the words it has seen (capped). Dictionary loading and the
 * cache are guarded by a mutex, so one KqTypo may be shared by threads once
 * kq_typo_set_brands() (if used) has been called. hyphen_dir: folder of
 * hyph_fr.dic / hyph_en_US.dic, NULL for KQ_HYPHEN_DIR (the system one,
 * a compile definition). Caller frees with kq_typo_free().
 */
typedef struct KqTypo KqTypo;
KqTypo *kq_typo_new(const char *hyphen_dir);
void kq_typo_free(KqTypo *typo);

/* G-2d: brand names whose punctuation is protected (default {"Yahoo!"}).
 * brands: NULL-terminated UTF-8 strings, copied; NULL restores the default.
 * Call before sharing the engine between threads. */
void kq_typo_set_brands(KqTypo *typo, const char *const *brands);

/* Typesets a copy of runs, one paragraph, for lang (BCP 47, primary subtag
 * selects FR-* or EN-*, anything else or NULL gets G-4 only; a run's own
 * lang wins for that run, G-5): rules see across run boundaries; code runs
 * (G-2a), URL / e-mail / IPv6 tokens, emoticons and brands (G-2b-d) are
 * copied unchanged; hrefs and langs are kept; runs keep their style and
 * are split where needed; FR-9 suffixes become KQ_STYLE_SUP runs (G-6);
 * breaks are kept. Never inserts U+00AD. Idempotent. Runs emptied by G-4
 * (whitespace only) disappear. Returns a new array; caller frees. */
GPtrArray *kq_typo_runs(const KqTypo *typo, const GPtrArray *runs, const char *lang);

/* kq_typo_runs() of text as one plain run: a title or standfirst, which the
 * model keeps as a string, set with the body's superscript ordinals (already
 * typeset text may be given: the pass is idempotent). Returns a new array;
 * caller frees. */
GPtrArray *kq_typo_runs_of_text(const KqTypo *typo, const char *text, const char *lang);

/* Plain-text variant (titles, metadata, `kiosque typo`): ordinals stay on
 * the baseline (G-6); '\n' is a line break inside the paragraph. Invalid
 * UTF-8 is repaired first. NULL for NULL. Caller frees. */
char *kq_typo_text(const KqTypo *typo, const char *text, const char *lang);

/* A typeset copy of a whole article: title, standfirst (plain text),
 * paragraphs, headings, list items, quotes, table cells, image captions
 * (runs) and alt texts (plain), each with the article's language unless a
 * block says otherwise (children inherit a block's language). Code blocks,
 * authors, site and topics are copied unchanged. Caller frees. */
KqArticle *kq_typo_article(const KqTypo *typo, const KqArticle *article);

/* A typeset copy of an article's body (blocks as kq_typo_article() sets
 * them, with lang unless a block says otherwise): for writers, whose
 * titles and other furniture are already typeset (furniture.h). Caller
 * frees the array. */
GPtrArray *kq_typo_blocks(const KqTypo *typo, const GPtrArray *blocks, const char *lang);

/* HY rules: returns a copy of a paragraph's typeset text with U+00AD at the
 * allowed break points for lang (fr, en; other languages: unchanged copy).
 * Eligible words per HY-3 (lower-case letters, optional internal
 * apostrophe; no capital, digit, compound, URL, e-mail; never the
 * paragraph's last word), break points from libhyphen with minimums 2/3
 * (HY-2, HY-4). Soft hyphens already in text are replaced, so it is
 * idempotent. Headings, titles and captions: do not call it (HY-3).
 * Caller frees. */
char *kq_typo_hyphenate(const KqTypo *typo, const char *text, const char *lang);

/* Loads lang's dictionary now if needed; FALSE with KQ_TYPO_ERROR_DICT
 * when it cannot be loaded (then kq_typo_hyphenate() inserts nothing).
 * TRUE for languages without hyphenation. */
gboolean kq_typo_hyphen_available(const KqTypo *typo, const char *lang, GError **error);

/* The same over a paragraph's runs (with the paragraph's lang): code runs
 * untouched, styles, hrefs and langs kept, each SHY inside the run of the
 * letter before it. Returns a new array; caller frees. */
GPtrArray *kq_typo_hyphenate_runs(const KqTypo *typo, const GPtrArray *runs,
                                  const char *lang);

/* HY-6 helper for layout: when three lines in a row end at a soft hyphen,
 * the writer removes the SHYs of the word broken at the end of the third
 * and lays out again. Removes, in place, every U+00AD of the word that
 * contains (or ends at) byte offset index of text; returns the number of
 * bytes removed (2 per SHY), 0 when there was none. */
gsize kq_typo_unhyphenate_word(char *text, gsize index);

G_END_DECLS

#endif
