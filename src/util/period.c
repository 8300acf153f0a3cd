/* period.c: relative and absolute periods (today, -30d, last month, ISO weeks) against an injected "today". */
#include "kiosque/period.h"

#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK(kq-period-error-quark, kq_period_error)

/* Every step below goes through GDate (Julian days): no hand-written
 * calendar maths. */
static gboolean to_gdate(const KqDate *d, GDate *g)
{
  g_date_clear(g, 1);
  if (!d || !d->set || !g_date_valid_dmy(d->day, d->month, d->year))
    return FALSE;
  g_date_set_dmy(g, d->day, d->month, d->year);
  return TRUE;
}

static gboolean from_gdate(const GDate *g, KqDate *out)
{
  if (!g_date_valid(g))
    return FALSE;
  return kq_date_make(out, g_date_get_year(g), g_date_get_month(g), g_date_get_day(g), FALSE,
                      0, 0, 0, 0);
}

/* Exactly "YYYY-MM-DD", digits only. */
static gboolean parse_iso_day(const char *s, KqDate *out)
{
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit(s[i]))
      return FALSE;
  int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
  return kq_date_make(out, y, m, d, FALSE, 0, 0, 0, 0);
}

gboolean kq_period_today(const char *override, KqDate *out, GError **error)
{
  if (override && *override) {
    char *s = g_strstrip(g_strdup(override));
    gboolean ok = parse_iso_day(s, out);
    g_free(s);
    if (!ok)
      g_set_error(error, KQ_PERIOD_ERROR, KQ_PERIOD_ERROR_INVALID,
                  "KQ_TODAY: '%s' is not a date (YYYY-MM-DD)", override);
    return ok;
  }
  GDateTime *now = g_date_time_new_now_local();
  gboolean ok = kq_date_make(out, g_date_time_get_year(now), g_date_time_get_month(now),
                             g_date_time_get_day_of_month(now), FALSE, 0, 0, 0, 0);
  g_date_time_unref(now);
  if (!ok)
    g_set_error(error, KQ_PERIOD_ERROR, KQ_PERIOD_ERROR_RANGE, "the local date is out of range");
  return ok;
}

gboolean kq_period_add_days(const KqDate *today, int days, KqDate *out)
{
  GDate g;
  if (!to_gdate(today, &g))
    return FALSE;
  guint32 j = g_date_get_julian(&g);
  gint64 target = (gint64)j + days;
  /* GDate covers years 1..65535; KqDate stops at 9999 (kq_date_make checks). */
  if (target < 1 || target > G_MAXUINT32)
    return FALSE;
  g_date_set_julian(&g, (guint32)target);
  return from_gdate(&g, out);
}

/* today + months, the day clamped to the target month's length. */
static gboolean add_months(const KqDate *today, gint64 months, KqDate *out)
{
  gint64 index = (gint64)today->year * 12 + (today->month - 1) + months;
  if (index < 12 || index > (gint64)9999 * 12 + 11)
    return FALSE;
  int y = (int)(index / 12), m = (int)(index % 12) + 1;
  int last = g_date_get_days_in_month(m, y);
  return kq_date_make(out, y, m, MIN(today->day, last), FALSE, 0, 0, 0, 0);
}

static gboolean bad(GError **error, const char *text, const char *what)
{
  g_set_error(error, KQ_PERIOD_ERROR, KQ_PERIOD_ERROR_INVALID, "'%s' is not %s", text, what);
  return FALSE;
}

static gboolean out_of_range(GError **error, const char *text)
{
  g_set_error(error, KQ_PERIOD_ERROR, KQ_PERIOD_ERROR_RANGE,
              "'%s' falls outside the years 1 to 9999", text);
  return FALSE;
}

static const char day_forms[] =
    "a day (YYYY-MM-DD, today, yesterday, tomorrow, or -Nd, -Nw, -Nm, -Ny)";

gboolean kq_period_parse_day(const char *text, const KqDate *today, KqDate *out,
                             GError **error)
{
  g_return_val_if_fail(text && today && today->set && out, FALSE);
  char *s = g_ascii_strdown(text, -1);
  g_strstrip(s);
  gboolean ok = FALSE;
  if (strcmp(s, "today") == 0 || strcmp(s, "yesterday") == 0 || strcmp(s, "tomorrow") == 0) {
    int delta = s[0] == 'y' ? -1 : s[1] == 'o' && s[2] == 'm' ? 1 : 0;
    ok = kq_period_add_days(today, delta, out) || out_of_range(error, text);
    goto done;
  }
  if (parse_iso_day(s, out)) {
    ok = TRUE;
    goto done;
  }
  if (s[0] == '-' || s[0] == '+') {
    const char *p = s + 1;
    const char *digits = p;
    while (g_ascii_isdigit(*p))
      p++;
    gsize ndigits = (gsize)(p - digits);
    if (ndigits == 0 || ndigits > 6 || !p[0] || p[1]) {
      bad(error, text, day_forms);
      goto done;
    }
    gint64 n = g_ascii_strtoll(digits, NULL, 10);
    if (s[0] == '-')
      n = -n;
    switch (*p) {
    case 'd': ok = kq_period_add_days(today, (int)n, out); break;
    case 'w': ok = kq_period_add_days(today, (int)(n * 7), out); break;
    case 'm': ok = add_months(today, n, out); break;
    case 'y': ok = add_months(today, n * 12, out); break;
    default: bad(error, text, day_forms); goto done;
    }
    if (!ok)
      out_of_range(error, text);
    goto done;
  }
  bad(error, text, day_forms);
done:
  g_free(s);
  return ok;
}

gboolean kq_period_month_bounds(int year, int month, KqDate *first, KqDate *last)
{
  if (month < 1 || month > 12 || year < 1 || year > 9999)
    return FALSE;
  return kq_date_make(first, year, month, 1, FALSE, 0, 0, 0, 0) &&
         kq_date_make(last, year, month, g_date_get_days_in_month(month, year), FALSE, 0, 0, 0,
                      0);
}

gboolean kq_period_parse_month(const char *text, const KqDate *today, int *year, int *month,
                               GError **error)
{
  g_return_val_if_fail(text && today && today->set && year && month, FALSE);
  char *s = g_ascii_strdown(text, -1);
  g_strstrip(s);
  gboolean ok = FALSE;
  KqDate d;
  if (strcmp(s, "this") == 0 || strcmp(s, "last") == 0) {
    KqDate first = *today;
    first.day = 1;
    if (!add_months(&first, s[0] == 'l' ? -1 : 0, &d)) {
      out_of_range(error, text);
      goto done;
    }
    *year = d.year;
    *month = d.month;
    ok = TRUE;
    goto done;
  }
  if (strlen(s) == 7 && s[4] == '-' && g_ascii_isdigit(s[0]) && g_ascii_isdigit(s[1]) &&
      g_ascii_isdigit(s[2]) && g_ascii_isdigit(s[3]) && g_ascii_isdigit(s[5]) &&
      g_ascii_isdigit(s[6])) {
    int y = atoi(s), m = atoi(s + 5);
    if (y >= 1 && m >= 1 && m <= 12) {
      *year = y;
      *month = m;
      ok = TRUE;
      goto done;
    }
  }
  bad(error, text, "a month (YYYY-MM, this or last)");
done:
  g_free(s);
  return ok;
}

/* Monday of ISO week `week` of ISO year `iso_year`; FALSE when that year
 * has no such week. */
static gboolean iso_week_monday(int iso_year, int week, KqDate *out)
{
  if (iso_year < 1 || iso_year > 9999 || week < 1 || week > 53)
    return FALSE;
  /* 4 January is always in week 1 (ISO 8601). */
  GDate g;
  g_date_clear(&g, 1);
  g_date_set_dmy(&g, 4, G_DATE_JANUARY, iso_year);
  guint32 j = g_date_get_julian(&g) - (g_date_get_weekday(&g) - G_DATE_MONDAY);
  gint64 target = (gint64)j + (gint64)(week - 1) * 7;
  if (target < 1)
    return FALSE;
  g_date_set_julian(&g, (guint32)target);
  if ((int)g_date_get_iso8601_week_of_year(&g) != week)
    return FALSE; /* week 53 of a 52-week year */
  return from_gdate(&g, out);
}

gboolean kq_period_parse_week(const char *text, const KqDate *today, KqDate *first,
                              KqDate *last, int *iso_year, int *iso_week, GError **error)
{
  g_return_val_if_fail(text && today && today->set && first && last, FALSE);
  char *s = g_ascii_strdown(text, -1);
  g_strstrip(s);
  gboolean ok = FALSE;
  int y = 0, w = 0;
  if (strcmp(s, "this") == 0 || strcmp(s, "last") == 0) {
    KqDate ref;
    if (!kq_period_add_days(today, s[0] == 'l' ? -7 : 0, &ref)) {
      out_of_range(error, text);
      goto done;
    }
    kq_date_iso_week(&ref, &y, &w);
  } else if (strlen(s) == 8 && s[4] == '-' && s[5] == 'w' && g_ascii_isdigit(s[0]) &&
             g_ascii_isdigit(s[1]) && g_ascii_isdigit(s[2]) && g_ascii_isdigit(s[3]) &&
             g_ascii_isdigit(s[6]) && g_ascii_isdigit(s[7])) {
    y = atoi(s);
    w = atoi(s + 6);
  } else {
    bad(error, text, "a week (YYYY-Www, this or last)");
    goto done;
  }
  if (!iso_week_monday(y, w, first)) {
    if (w >= 1 && w <= 53 && y >= 1 && y <= 9999)
      g_set_error(error, KQ_PERIOD_ERROR, KQ_PERIOD_ERROR_INVALID,
                  "'%s': %d has no week %d (it has 52)", text, y, w);
    else
      bad(error, text, "a week (YYYY-Www, this or last)");
    goto done;
  }
  if (!kq_period_add_days(first, 6, last)) {
    out_of_range(error, text);
    goto done;
  }
  if (iso_year)
    *iso_year = y;
  if (iso_week)
    *iso_week = w;
  ok = TRUE;
done:
  g_free(s);
  return ok;
}
