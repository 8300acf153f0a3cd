/* l10n.h: the edition's own words in one place: labels, long dates, slugs (fr, en, de, es, pt). */
#ifndef KIOSQUE_L10N_H
#define KIOSQUE_L10N_H

#include <glib.h>

#include "kiosque/date.h"

G_BEGIN_DECLS

/*
 * Every word kiosque writes itself (not the articles') comes from here:
 * labels, month and day names, dates in words, date ranges, group and
 * period titles, for the collector's group titles and periods, the readers'
 * month names, the edition's furniture both writers show (furniture.h) and
 * the output-name templates: a sixth language is one column more here.
 * Languages are BCP 47 tags or primary subtags; anything but fr, en, de,
 * es, pt (and NULL) gets English. Dates are written for their own calendar
 * day (the offset the source gave), never a time.
 */

/* Localized texts of the edition language (fr, en, de, es, pt; English
 * otherwise). Borrowed static strings. key: "uncategorized", "undated",
 * "week", "default_title", "contents", "sources", "source", "original",
 * "views", "published", "updated", "by", "articles", "article",
 * "generated", "generated_on", "cover", "title_page", "landmarks",
 * "accessibility_summary". An unknown key is
 * returned as is. */
const char *kq_l10n(const char *lang, const char *key);

/* A label followed by its colon as the language writes it: "Sources : "
 * (U+00A0 before the colon) in French, "Sources: " elsewhere. Caller frees. */
char *kq_l10n_label(const char *lang, const char *key);

/* A count (views, articles) with its digits grouped as the language
 * writes them (CLDR): "15 204" with U+202F in French from five digits
 * (FR-7: "3812" stays whole), "15,204" in English, "15.204" in German
 * and Portuguese from four digits, "15.204" in Spanish from five ("3812").
 * Negative numbers keep their sign. Caller frees. */
char *kq_l10n_number(const char *lang, gint64 n);

/* "Édition générée le 31 mars 2026", "Generated on March 31, 2026"…: when
 * (Unix time, UTC calendar day) in words. Caller frees. */
char *kq_l10n_generated_on(const char *lang, gint64 when);

/* Month name as the language writes it inside a date: "janvier",
 * "January", "Januar", "enero", "janeiro". NULL unless month is 1..12.
 * Borrowed static string. */
const char *kq_l10n_month(const char *lang, int month);

/* Day name, weekday 1 = Monday … 7 = Sunday, as the language writes it
 * inside a date: "lundi", "Monday", "Montag", "lunes", "segunda-feira".
 * NULL unless weekday is 1..7. Borrowed static string. */
const char *kq_l10n_weekday(const char *lang, int weekday);

/* Whether word is the full name of a month in lang, in any case, with or
 * without its accents ("fevrier", "Août"). */
gboolean kq_l10n_is_month(const char *word, const char *lang);

/* Long date in words: "30 janvier 2026", "1er février 2026", "January 30,
 * 2026", "30. Januar 2026", "30 de enero de 2026", "30 de janeiro de 2026".
 * NULL when d is unset; caller frees. */
char *kq_l10n_date(const KqDate *d, const char *lang);

/* The same with the day's name: "lundi 2 mars 2026", "Monday, March 2,
 * 2026", "Montag, 2. März 2026", "lunes, 2 de marzo de 2026",
 * "segunda-feira, 2 de março de 2026". NULL when d is unset; caller frees. */
char *kq_l10n_date_weekday(const KqDate *d, const char *lang);

/* A month and its year: "janvier 2026", "January 2026". Caller frees. */
char *kq_l10n_month_year(const char *lang, int year, int month);

/* Months from first to last: "janvier – mars 2026", "décembre 2025 –
 * février 2026"; one month as kq_l10n_month_year(). Caller frees. */
char *kq_l10n_month_range(const char *lang, int year1, int month1, int year2, int month2);

typedef enum {
  /* for titles: "3 – 9 mars 2026", "26 janvier – 1er février 2026",
   * "March 3 – 9, 2026", "3. – 9. März 2026", "3 – 9 de marzo de 2026" */
  KQ_L10N_RANGE_TITLE = 0,
  /* in a sentence: "du 3 au 9 mars 2026", "from March 3 to 9, 2026",
   * "vom 3. bis 9. März 2026", "del 3 al 9 de marzo de 2026",
   * "de 3 a 9 de março de 2026"; one day: "le 3 mars 2026", "on March 3,
   * 2026"… */
  KQ_L10N_RANGE_PROSE,
} KqL10nRangeForm;

/* The days from first to last (inclusive; their calendar days), the
 * month and year written once where they are shared. NULL when either is
 * unset; caller frees. */
char *kq_l10n_date_range(const KqDate *first, const KqDate *last, const char *lang,
                         KqL10nRangeForm form);

/* An ISO week's title from its number and Monday: "Semaine 5 · 26 janvier
 * – 1er février 2026", "Week 5 · January 26 – February 1, 2026". Caller
 * frees. */
char *kq_l10n_week_title(const char *lang, int week, const KqDate *monday);

/* text with its first letter as a title starts ("janvier 2026" → "Janvier
 * 2026"). Caller frees; "" for NULL. */
char *kq_l10n_capitalize(const char *text);

/* Slug for file names: ASCII, lower case, hyphens ("Revue tech — 2026" →
 * "revue-tech-2026"). Caller frees. */
char *kq_slugify(const char *text);

G_END_DECLS

#endif
