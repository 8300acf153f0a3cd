/* collect.h: scanning inputs, dedupe, filters, sorting and grouping into an edition. */
#ifndef KIOSQUE_COLLECT_H
#define KIOSQUE_COLLECT_H

#include <glib.h>

#include "kiosque/article.h"
#include "kiosque/date.h"
#include "kiosque/furniture.h"
#include "kiosque/l10n.h"
#include "kiosque/log.h"
#include "kiosque/reader.h"

G_BEGIN_DECLS

typedef enum {
  KQ_GROUP_MONTH = 0,
  KQ_GROUP_DAY,
  KQ_GROUP_WEEK,
  KQ_GROUP_YEAR,
  KQ_GROUP_TOPIC,
  KQ_GROUP_SITE,
} KqGroupBy;

/* Parses "day|week|month|year|topic|site"; FALSE when unknown. */
gboolean kq_group_by_parse(const char *name, KqGroupBy *out);
const char *kq_group_by_name(KqGroupBy group_by);

/* What to keep and how to group. Strings and arrays are owned by the
 * struct: init with kq_collect_options_init(), release with _clear(). */
typedef struct {
  KqDate since, until;   /* inclusive bare dates; .set FALSE when absent */
  int month_year, month; /* --month YYYY-MM; 0 when absent */
  GPtrArray *topics;     /* char*: any matches (case-insensitive) */
  GPtrArray *sites;
  GPtrArray *authors;
  GPtrArray *langs;      /* primary subtags or full tags */
  gboolean reverse;
  KqGroupBy group_by;
  char *edition_lang;    /* NULL: language of most selected articles */
  char *title;           /* NULL: the localized default title */
} KqCollectOptions;

void kq_collect_options_init(KqCollectOptions *opts);
void kq_collect_options_clear(KqCollectOptions *opts);
/* TRUE when a date filter (since, until, month) is set. */
gboolean kq_collect_options_has_date_filter(const KqCollectOptions *opts);

/* What scanning found: articles (owned) and the inputs that failed. */
typedef struct {
  GPtrArray *articles;   /* KqArticle*, owned */
  guint n_inputs;        /* input files read or tried */
  guint n_unreadable;    /* inputs (or given paths) that gave nothing */
  GPtrArray *unreadable; /* char*, owned: their paths, in scan order */
} KqScan;

/*
 * Scans paths (files or directories, recursively, sorted, hidden entries
 * skipped; symlinks followed only when their target lies inside one of the
 * paths), reads every input with kq_read_file(), warns on each unreadable
 * one through log. Never fails as a whole. Caller frees with kq_scan_free().
 */
KqScan *kq_scan_paths(const char *const *paths, const KqReadOptions *ropts, KqLog *log);
void kq_scan_free(KqScan *scan);

/* Drops duplicates in place: same canonical URL, else same normalized title
 * and same day; the longest body wins. Keeps first-seen order otherwise. */
void kq_collect_dedupe(GPtrArray *articles, KqLog *log);

/* TRUE when the article passes the filters. */
gboolean kq_collect_matches(const KqArticle *article, const KqCollectOptions *opts);

/* One group of an edition. */
typedef struct {
  char *key;           /* "2026-01", "2026-W05", "2026-01-30", "2026", topic slug,
                        * or "undated" / "uncategorized" */
  char *title;         /* localized: "Janvier 2026", "Semaine 5 · 26 janvier – 1er février 2026" */
  GPtrArray *articles; /* KqArticle*, borrowed from the edition */
} KqGroup;

/* Frees a group: its key, title and array (not the articles). */
void kq_group_free(KqGroup *group);

/* An edition: the selected articles in order and their groups. */
typedef struct {
  GPtrArray *articles; /* KqArticle*, owned, in reading order */
  GPtrArray *groups;   /* KqGroup*, owned, in order */
  char *lang;          /* edition language, primary subtag ("fr") */
  char *title;         /* edition title (user's or localized default) */
  char *period;        /* human period: "janvier 2026", "janvier – mars 2026", or
                        * the span of days a closed date filter gives
                        * ("3 – 9 mars 2026"), l10n.h's words */
  char *period_key;    /* file-name part: "2026-01", "2026-01-2026-03", "2026-w10",
                        * "2026-03-03-2026-03-09", a group key */
  KqDate period_first, period_last; /* that span of days; unset for months */
  char *file_stem;     /* default output name without extension: slug of the
                        * title (without its period) + "-" + period_key,
                        * "revue-de-presse-tech-2026-01" */
  KqDate newest;       /* newest article date; unset when no article is dated */
  KqGroupBy group_by;
  KqFurniture *furniture; /* owned: every text both writers show around the
                           * articles, built with the edition (furniture.h) */
} KqEdition;

/*
 * Builds an edition from articles (consumed, also on failure): filters,
 * sorts (date then title; --reverse), picks the edition language, groups.
 * Returns an edition with zero articles when nothing matched.
 */
KqEdition *kq_edition_new_take(GPtrArray *articles, const KqCollectOptions *opts);
void kq_edition_free(KqEdition *edition);

/* The timestamp every output embeds and the title page's "generated on"
 * date: SOURCE_DATE_EPOCH when set and valid, else the newest article's
 * instant, else 0 (1970). */
gint64 kq_edition_timestamp(const KqEdition *edition);

/* Builds an edition's furniture from its articles, groups, title and
 * period, with when (kq_edition_timestamp()) as the generation date. The
 * edition constructors call it; call it again (freeing the old one) only
 * after changing those fields. Caller frees with kq_furniture_free(). */
KqFurniture *kq_furniture_new(const KqEdition *edition, gint64 when);
void kq_furniture_free(KqFurniture *furniture);

/* Replaces the edition's title (a copy, cleaned as the model's text is)
 * and the furniture made of it: for titles decided after the edition is
 * built (--title templates, volumes). */
void kq_edition_set_title(KqEdition *edition, const char *title);

/* Sets the default output name, file_stem: the slug of words (the title's
 * own words, without its period; kq_slugify()), "-" and the period key. */
void kq_edition_set_file_stem(KqEdition *edition, const char *words);

/* Article index's furniture (reading order, edition->articles' index) and
 * group index's; borrowed, they live as long as the edition. */
const KqArticleFurniture *kq_edition_article_furniture(const KqEdition *edition, guint index);
const KqGroupFurniture *kq_edition_group_furniture(const KqEdition *edition, guint index);

/* Article index's body (reading order) typeset as kq_typo_blocks() sets it,
 * in the article's language: made once, on first use, by whichever thread
 * asks first (another asking meanwhile waits for it), then read by every
 * writer and every pass (typography runs once per text). Borrowed: the
 * edition keeps it until the last expected write is done with it (below),
 * else until the edition is freed. */
const GPtrArray *kq_edition_article_body(const KqEdition *edition, guint index);

/* The number of writes about to read the bodies (one per output format):
 * each says when it is done with a body (kq_edition_article_body_done()),
 * and the last one frees it, so an export holds the bodies in use rather
 * than every article's. 0, the default: bodies are kept to the end. */
void kq_edition_expect_body_readers(const KqEdition *edition, guint writes);

/* A write is done with article index's body (it holds nothing of it any
 * more). Returns TRUE when that was the last expected write: the body is
 * freed (asked for again, it is typeset again). */
gboolean kq_edition_article_body_done(const KqEdition *edition, guint index);

/* A new edition holding copies of one group's articles (for --split):
 * same language; title and period of that group. */
KqEdition *kq_edition_new_for_group(const KqEdition *edition, guint group_index,
                                    const KqCollectOptions *opts);


G_END_DECLS

#endif
