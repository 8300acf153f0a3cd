/* date.h: article dates, parsed from ISO 8601, RFC 822/1123 and long forms. */
#ifndef KIOSQUE_DATE_H
#define KIOSQUE_DATE_H

#include <glib.h>

G_BEGIN_DECLS

/*
 * A date as the source gave it: the local calendar fields plus the UTC
 * offset, or a bare date. Plain value type: copy freely, nothing to free.
 * Valid years are 1..9999 (GDateTime's range); anything else is not set.
 */
typedef struct {
  gboolean set;      /* FALSE: unknown date, other fields meaningless */
  gboolean has_time; /* FALSE: a bare date (year, month, day only) */
  int year, month, day;
  int hour, minute, second;
  int offset_min;    /* minutes east of UTC; 0 for bare dates */
} KqDate;

typedef enum {
  KQ_DATE_PARSE_DEFAULT = 0,
  /* Day-first is the default for "03/04/2026"; this makes it month-first. */
  KQ_DATE_PARSE_MONTH_FIRST = 1 << 0,
} KqDateParseFlags;

/*
 * Parses text holding a date: ISO 8601 (date, date-time, offsets, "Z"),
 * RFC 822/1123 (obsolete zones such as GMT, EST, "Z", missing zone,
 * localized or wrong weekdays), long forms in French and English
 * ("30 janvier 2026", "1er février 2026", "January 30, 2026", "30 Jan 2026",
 * with or without accents and weekday, optional time "à 14h30"/"at 2:30 PM").
 * Returns TRUE and fills *out when the whole text (surrounding whitespace
 * aside) is a date. *warning, when not NULL, may receive a note about
 * something recovered (a wrong weekday, an unknown zone taken as UTC);
 * caller frees it.
 * A time with no zone gets offset 0: silently for ISO 8601 and long forms,
 * with a warning for RFC 822 shapes. RFC 822 military letters other than
 * "Z" are taken as UTC with a warning (RFC 5322 section 4.3). Offsets
 * beyond ±18:00 and years outside 1..9999 make the text not a date.
 * Two-digit years follow RFC 5322 (00-49: 20xx, 50-99: 19xx).
 */
gboolean kq_date_parse(const char *text, KqDate *out, char **warning);
/* Same, with KqDateParseFlags (day or month first for "03/04/2026"). */
gboolean kq_date_parse_flags(const char *text, guint flags, KqDate *out, char **warning);

/* Finds the first date inside free text ("Publié le 30 janvier 2026 448
 * vues"); returns TRUE and the byte range [*start, *end) it covered
 * (start and end may be NULL). Stricter than kq_date_parse(): four-digit
 * years only, zone names in upper case, no military letters. */
gboolean kq_date_find(const char *text, KqDate *out, gsize *start, gsize *end);

/* Validates fields and builds a date; FALSE when out of range. */
gboolean kq_date_make(KqDate *out, int year, int month, int day, gboolean has_time,
                      int hour, int minute, int second, int offset_min);

/* Seconds since the epoch (UTC); bare dates count as 00:00 UTC. */
gint64 kq_date_to_unix(const KqDate *d);
/* A KqDate in UTC (offset 0) from seconds since the epoch. */
KqDate kq_date_from_unix(gint64 t);

/* Orders unset dates last; then by instant; bare dates before date-times
 * of the same instant. */
int kq_date_compare(const KqDate *a, const KqDate *b);

/* RFC 3339 ("2026-01-30T08:15:00+01:00", UTC as "+00:00") or
 * "YYYY-MM-DD"; caller frees; NULL when unset. */
char *kq_date_to_string(const KqDate *d);

/* ISO week of the date's local calendar day. */
void kq_date_iso_week(const KqDate *d, int *iso_year, int *week);
/* Day of week of the local calendar day, 1 = Monday … 7 = Sunday. */
int kq_date_weekday(const KqDate *d);

/* Parses a month name (French, English, German, Spanish, Portuguese; full or
 * abbreviated, accents optional, any case, trailing '.' allowed): 1..12, or
 * 0. len < 0: NUL-terminated. */
int kq_date_month_from_name(const char *name, gssize len);

/* Dates in words (month and day names, long dates, ranges) are written by
 * l10n.h, the one place for kiosque's words in every language. */

G_END_DECLS

#endif
