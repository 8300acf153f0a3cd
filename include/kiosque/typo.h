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
 * The typography engine: rule tables and the hyphenation dictionaries,
 * loaded once (lazily, on first use per language) and reused. After
 * creation every function below only reads it, so one KqTypo may be shared
 * by threads. hyphen_dir: folder of hyph_fr.dic / hyph_en_US.dic, NULL for
 * the system one. Caller frees with kq_typo_free().
 */
typedef struct KqTypo KqTypo;
KqTypo *kq_typo_new(const char *hyphen_dir);
void kq_typo_free(KqTypo *typo);

/* G-2d: brand names whose punctuation is protected (default {"Yahoo!"}).
 * brands: NULL-terminated UTF-8 strings, copied; NULL restores the default.
 * Call before sharing the engine between threads. */
void kq_typo_set_brands(KqTypo *typo, const char *const *brands);

/* Typesets a copy of runs for lang (primary subtag chosen by G-5; a run's
 * own lang wins for that run): rules see across run boundaries, code runs
 * and URLs/e-mails are untouched, FR-9 suffixes become KQ_STYLE_SUP runs.
 * Never inserts U+00AD. Idempotent. Returns a new array; caller frees. */
GPtrArray *kq_typo_runs(const KqTypo *typo, const GPtrArray *runs, const char *lang);

/* Plain-text variant (titles, metadata, `kiosque typo`): ordinals stay on
 * the baseline (G-6). Caller frees. */
char *kq_typo_text(const KqTypo *typo, const char *text, const char *lang);

/* A typeset copy of a whole article (title, standfirst, every block's runs
 * with each article's or block's language). Caller frees. */
KqArticle *kq_typo_article(const KqTypo *typo, const KqArticle *article);

/* HY rules: returns a copy of a paragraph's typeset text with U+00AD at the
 * allowed break points for lang (fr, en; other languages: unchanged copy).
 * Caller frees. */
char *kq_typo_hyphenate(const KqTypo *typo, const char *text, const char *lang);

/* Loads lang's dictionary now if needed; FALSE with KQ_TYPO_ERROR_DICT
 * when it cannot be loaded (then kq_typo_hyphenate() inserts nothing).
 * TRUE for languages without hyphenation. */
gboolean kq_typo_hyphen_available(const KqTypo *typo, const char *lang, GError **error);

/* The same over runs: code runs and URLs untouched, no SHY in the
 * paragraph's last word. Returns a new array; caller frees. */
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
