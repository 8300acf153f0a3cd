/* typo_private.h: the typography engine's working paragraph (a character array with run tags) and its rule passes. */
#ifndef KQ_TYPO_PRIVATE_H
#define KQ_TYPO_PRIVATE_H

#include <glib.h>

#include "kiosque/typo.h"

/*
 * A paragraph under typesetting is an array of Ch: one Unicode character
 * each, tagged with the index of the run it came from (so the result can be
 * split back into runs) and flags. A protected span (G-2: a code run, a URL,
 * an e-mail address, an emoticon, a brand) is one KQ_OPAQUE character whose
 * aux field indexes Para.segs, the span's original text: rules see it as one
 * character that is neither space, letter nor digit, and never change it.
 * A hard line break (KQ_RUN_BREAK, or '\n' in plain text) is '\n' with
 * CH_BREAK; it acts like a paragraph boundary for the rules.
 */
#define KQ_OPAQUE 0xFFFCu

enum {
  CH_PROT = 1 << 0,  /* KQ_OPAQUE placeholder of a protected span */
  CH_SUP = 1 << 1,   /* FR-9 ordinal suffix: superscript (G-6) */
  CH_BREAK = 1 << 2, /* hard line break */
  CH_EXT = 1 << 3,   /* context borrowed from a neighbouring language segment */
};

typedef struct {
  gunichar c;
  guint32 run; /* index of the source run */
  guint32 aux; /* CH_PROT: index into Para.segs */
  guint32 flags;
} Ch;

typedef struct {
  Ch *v;
  gsize n, cap;
} ChBuf;

typedef struct {
  ChBuf cur;       /* the paragraph as it stands */
  ChBuf tmp;       /* output buffer of the pass being run */
  GPtrArray *segs; /* char*: original text of each protected span */
} Para;

/* Editor for one pass: rules read `in` (the paragraph before the pass) and
 * describe edits at increasing positions; untouched stretches are copied
 * in bulk, and when nothing changed no copy happens at all. */
typedef struct {
  Para *para;
  const Ch *in;
  gsize n;
  gsize done; /* in[0..done) has been consumed */
  gboolean changed;
} Ed;

/* The engine (typo.h). Dictionaries and caches are guarded by lock. */
struct KqTypo {
  char *hyphen_dir;
  gunichar **brands; /* G-2d, NULL-terminated UCS-4 strings */
  GMutex lock;
  gpointer dicts[3];      /* HyphenDict* per KqTypoLang, loaded lazily,
                           * borrowed from hyphen.c's process-wide table */
  gboolean dict_tried[3]; /* a load was attempted (failures not retried) */
  GHashTable *cache[3];   /* lower-case word -> break mask, per language */
  guint cache_size;
};

/* Language rule sets (G-5). */
typedef enum {
  KQ_TL_OTHER = 0, /* G-4 only */
  KQ_TL_FR,
  KQ_TL_EN,
} KqTypoLang;

KqTypoLang kq_typo_lang_of(const char *lang);

void kq_para_init(Para *p);
/* Initialises p with one string (invalid UTF-8 made valid first, run 0): the
 * start of every string entry point. */
void kq_para_init_text(Para *p, const char *text);
void kq_para_clear(Para *p);
/* Grows b for extra more characters. */
void kq_chbuf_grow(ChBuf *b, gsize extra);
static inline void kq_chbuf_push(ChBuf *b, gunichar c, guint32 run, guint32 flags)
{
  if (b->n == b->cap)
    kq_chbuf_grow(b, 1);
  b->v[b->n++] = (Ch){c, run, 0, flags};
}
/* Appends UTF-8 text (valid) as characters of run; '\n' becomes a break. */
void kq_para_append_text(Para *p, const char *text, gssize len, guint32 run);
/* Appends a protected span holding text (copied). */
void kq_para_append_protected(Para *p, const char *text, gssize len, guint32 run);

/* Runs (code runs protected, G-2a) appended to an empty paragraph. */
void kq_para_from_runs(Para *p, const GPtrArray *runs);
/* The paragraph as UTF-8 text (superscript flags dropped, G-6). */
char *kq_para_to_text(const Para *p);
/* The paragraph split back into runs, copies of the source runs' style,
 * href and lang; FR-9 suffixes as KQ_STYLE_SUP runs. */
GPtrArray *kq_para_to_runs(const Para *p, const GPtrArray *runs);

/* G-2 (b, c, d): turns URL, e-mail, IPv6, emoticon and brand tokens into
 * protected spans. brands: NULL-terminated UCS-4 strings, may be NULL. */
void kq_typo_protect_tokens(Para *p, const gunichar *const *brands);
/* The whole G-1 pipeline for one paragraph (run_langs: per run, or NULL). */
void kq_typo_para(const KqTypo *t, Para *p, KqTypoLang base, const KqTypoLang *run_langs);
/* Releases the dictionaries and caches (hyphen.c). */
void kq_typo_hyphen_clear(KqTypo *t);
/* G-2c: the emoticon token v[0..n) holds, at its start or after a quote or
 * bracket (kq_typo_emoticon_may_follow()), followed by punctuation G-2c
 * strips or by a place where a French rule will split the token: TRUE with
 * its span in [*from, *to). */
gboolean kq_typo_find_emoticon(const Ch *v, gsize n, gsize *from, gsize *to);
/* TRUE when an emoticon may start right after c inside a token (a quote
 * or an opening bracket). */
gboolean kq_typo_emoticon_may_follow(gunichar c);
/* TRUE when G-2b strips c from a token's start. */
gboolean kq_typo_lead_strip(gunichar c);
/* TRUE when chars[0..n) is a URL, an e-mail address or IPv6-like (G-2b). */
gboolean kq_typo_is_protected_core(const gunichar *chars, gsize n);

/* G-4 over the whole paragraph. */
void kq_typo_whitespace(Para *p);
/* Stages 3 to 8 of G-1 for one language over the whole paragraph. */
void kq_typo_apply_rules(Para *p, KqTypoLang lang);

/* Editing primitives (rules.c). */
void kq_ed_begin(Ed *e, Para *p);
void kq_ed_end(Ed *e);

#endif
