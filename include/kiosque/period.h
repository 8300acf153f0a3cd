/* period.h: relative and absolute periods for filters (--since -30d, --month last, --week this). */
#ifndef KIOSQUE_PERIOD_H
#define KIOSQUE_PERIOD_H

#include <glib.h>

#include "kiosque/date.h"

G_BEGIN_DECLS

#define KQ_PERIOD_ERROR (kq_period_error_quark())
GQuark kq_period_error_quark(void);

typedef enum {
  KQ_PERIOD_ERROR_INVALID = 1, /* the text is not a form this function accepts */
  KQ_PERIOD_ERROR_RANGE,       /* a valid form whose result is outside years 1..9999 */
} KqPeriodError;

/*
 * Every function below works against an explicit "today" (a set KqDate;
 * only its calendar fields are used) so that tests and scripts can inject
 * the clock. All results are bare dates (has_time FALSE).
 */

/*
 * "Today" for the command line: override when not NULL and not empty (the
 * value of $KQ_TODAY, "YYYY-MM-DD"), else the local calendar date. FALSE
 * with KQ_PERIOD_ERROR_INVALID when override is not a date.
 */
gboolean kq_period_today(const char *override, KqDate *out, GError **error);

/*
 * One day, for --since and --until:
 *   "today", "yesterday", "tomorrow";
 *   "-30d", "-2w", "-3m", "-1y" (days, weeks, months, years before today;
 *   a leading "+" counts forward; a month or year step ending on a day the
 *   target month lacks lands on its last day: -1m from 31 March is 28/29
 *   February);
 *   "YYYY-MM-DD".
 * Case-insensitive, surrounding spaces ignored.
 */
gboolean kq_period_parse_day(const char *text, const KqDate *today, KqDate *out,
                             GError **error);

/*
 * A calendar month, for --month: "this", "last" (the month before today's),
 * or "YYYY-MM". Fills the year and month (1..12).
 */
gboolean kq_period_parse_month(const char *text, const KqDate *today, int *year, int *month,
                               GError **error);

/*
 * An ISO 8601 week, for --week: "this", "last" (the week before today's),
 * or "YYYY-Www" ("2026-W05", "w" accepted). Fills the Monday and the
 * Sunday of the week (inclusive bounds) and, when not NULL, the ISO
 * week-numbering year and week number. Week 53 only exists in long years.
 */
gboolean kq_period_parse_week(const char *text, const KqDate *today, KqDate *first,
                              KqDate *last, int *iso_year, int *iso_week, GError **error);

/* First and last day of a calendar month (bare dates). FALSE when out of range. */
gboolean kq_period_month_bounds(int year, int month, KqDate *first, KqDate *last);

/* today + days (negative: before), as a bare date. FALSE when out of range. */
gboolean kq_period_add_days(const KqDate *today, int days, KqDate *out);

G_END_DECLS

#endif
