/* furniture.h: the edition's texts around the articles (titles, bylines, datelines, labels), decided once for both writers. */
#ifndef KIOSQUE_FURNITURE_H
#define KIOSQUE_FURNITURE_H

#include <glib.h>

#include "kiosque/article.h"
#include "kiosque/typo.h"

G_BEGIN_DECLS

/*
 * The edition model's furniture (issue 13 item 1). Every text kiosque
 * shows around an article's body, in the article's head and foot, on group
 * pages, the title page and the cover, is built here once, typeset once,
 * in the language it is written in: the article's own texts (title,
 * standfirst, topics, site, authors, cited names) in the article's
 * language, kiosque's own words (labels, dates, counts) in the edition
 * language through l10n.h. Both writers render these texts and compose no
 * text of their own: what differs between the EPUB and the PDF is markup
 * and layout, never words, separators or typography.
 *
 * Ownership: a KqFurniture belongs to its KqEdition (collect.h), built by
 * kq_edition_new_take() and kq_edition_new_for_group() and freed with it;
 * writers only read it. The texts are built once and never changed: an
 * article's and the edition's plain strings (their const char* fields and
 * the strings of their lists) live in the texts chunk of the struct that
 * holds them, freed with it in one go; a group's in the edition's. Every
 * other array inside, and each KqTypeset, is owned by the struct that holds
 * it. Strings are UTF-8 as the model's (kq_utf8_clean), typeset (typo.h),
 * never NULL unless the field says so.
 */

/* Between the parts of one furniture line ("1er mars 2026 · 15 204 vues"):
 * a no-break space before the dot, so no line starts with it. */
#define KQ_FURNITURE_SEP "\xC2\xA0\xC2\xB7 "
/* Between the items of a list (topics, authors, cited sources). */
#define KQ_FURNITURE_LIST_SEP ", "

/* One typeset text, as runs (FR-9's ordinal suffixes are superscript runs)
 * and as the same letters in plain text (contents, outlines, metadata). */
typedef struct {
  GPtrArray *runs; /* KqRun*, owned; NULL when the text is absent */
  char *text;      /* owned; NULL when the text is absent */
} KqTypeset;

/* One article's furniture. */
typedef struct {
  GStringChunk *texts;       /* owns the strings below and those of the lists */
  const char *lang;          /* BCP 47 tag of the article's own texts (normalized),
                              * else the edition's */
  KqTypeset title;           /* the title; never absent: the source file's name
                              * when the source gives no title */
  gboolean titled;           /* FALSE when title is the file's name */
  KqTypeset standfirst;      /* absent (NULL) when the source has none */
  GPtrArray *topics;         /* char*, typeset; never NULL */
  const char *site;          /* typeset; NULL when unknown */
  const char *kicker;        /* "Technologie, IA · Le Monde": topics, then site;
                              * NULL when neither is known */
  const char *by;            /* the byline's label, "Par", "By" */
  GPtrArray *authors;        /* char*, typeset; never NULL */
  const char *byline;        /* "Par Jean Dupont, Marie Curie"; NULL without authors */
  const char *date;          /* published date in words in the edition language,
                              * "1er mars 2026"; NULL when undated */
  const char *date_iso;      /* the same date, RFC 3339 or YYYY-MM-DD; NULL when undated */
  const char *views;         /* "15 204 vues" (FR-7 groups in French); NULL when unknown */
  const char *dateline;      /* date, then views, joined by KQ_FURNITURE_SEP; NULL
                              * when both are unknown */
  const char *link_label;    /* "Article original : " (the colon as the edition
                              * language writes it) */
  const char *url;           /* the canonical link as the source wrote it; NULL
                              * when it is not a link kiosque keeps (link.h) */
  const char *href;          /* the same, cleaned for a link target (kq_link_safe) */
  const char *link_line;     /* link_label then url; NULL without url */
  const char *sources_label; /* "Sources : " */
  GPtrArray *sources;        /* char*, typeset in the article's language;
                              * never NULL */
  const char *sources_line;  /* "Sources : l’Union, AFP"; NULL without sources */
} KqArticleFurniture;

/*
 * Builds one article's furniture: the article's texts typeset in its own
 * language (lang, else edition_lang), kiosque's words in edition_lang
 * (primary subtag or tag; English when NULL). typo is only read. Caller
 * frees with kq_article_furniture_free().
 */
KqArticleFurniture *kq_article_furniture_new(const KqArticle *article, const char *edition_lang,
                                             const KqTypo *typo);
void kq_article_furniture_free(KqArticleFurniture *f);

/* A group's furniture. */
typedef struct {
  KqTypeset title;   /* "Janvier 2026", "Semaine 5 · 26 janvier – 1er février 2026",
                      * a topic or site name; never absent */
  const char *count; /* "3 articles" (in the edition furniture's texts) */
} KqGroupFurniture;

#define KQ_FURNITURE_HEADLINES 5

/* The edition's furniture. */
typedef struct KqFurniture {
  GStringChunk *texts;       /* owns the strings below and the groups' counts;
                              * kq_edition_set_title() adds its new title's
                              * texts, the old ones stay (a title is set once
                              * or twice) */
  const char *lang;          /* the edition language tag ("fr") */
  KqTypeset title;           /* the edition title; never absent */
  const char *period;        /* "janvier 2026", typeset; "" when no article is dated */
  const char *cover_title;   /* the title the cover shows under its period: the
                              * title without a trailing "— period" */
  const char *cover_alt;     /* the cover's description: the title, then the
                              * period unless the title already holds it */
  const char *cover;         /* "Couverture": the cover's name */
  const char *contents;      /* "Sommaire": the contents' title */
  const char *landmarks;     /* the name of the list of landmarks (EPUB navigation) */
  const char *accessibility; /* the edition's accessibility summary (EPUB metadata) */
  const char *count;         /* "42 articles" */
  const char *summary;       /* the title page's line: "42 articles · janvier 2026" */
  const char *generated;     /* "Édition générée le 31 mars 2026" (the edition's
                              * timestamp, kq_edition_timestamp()) */
  /* the cover's lead titles, most viewed first, NULL-terminated: at most
   * KQ_FURNITURE_HEADLINES of the articles' titles (their furniture's) */
  const char *headlines[KQ_FURNITURE_HEADLINES + 1];
  GPtrArray *groups;         /* KqGroupFurniture*, owned, one per edition group, same order */
  GPtrArray *articles;       /* KqArticleFurniture*, owned, one per edition article
                              * in reading order (edition->articles' order) */
  /* the articles' bodies, typeset on first use (kq_edition_article_body()) */
  KqTypo *typo;              /* owned: the engine the bodies are typeset with */
  gsize *body_made;          /* owned, one per article: g_once_init_enter() flags */
  GPtrArray **bodies;        /* owned, one per article: KqBlock* arrays, NULL until made */
  gint *body_readers;        /* owned, one per article: writes still to read it (atomic);
                              * 0: kept to the end (kq_edition_expect_body_readers()) */
} KqFurniture;

G_END_DECLS

#endif
