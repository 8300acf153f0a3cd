/* test_period.c: every relative period form (--since/--until days, --month, --week) against a fixed today. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "kiosque/period.h"

static KqDate day(const char *iso)
{
  KqDate d;
  GError *err = NULL;
  assert_true(kq_period_today(iso, &d, &err));
  assert_null(err);
  return d;
}

static char *fmt(const KqDate *d)
{
  return g_strdup_printf("%04d-%02d-%02d", d->year, d->month, d->day);
}

typedef struct {
  const char *today, *text;
  const char *want; /* NULL: an error of code `code` */
  int code;
} DayCase;

static const DayCase day_cases[] = {
    {"2026-03-31", "today", "2026-03-31", 0},
    {"2026-03-31", "  Today ", "2026-03-31", 0},
    {"2026-03-31", "TODAY", "2026-03-31", 0},
    {"2026-03-31", "yesterday", "2026-03-30", 0},
    {"2026-03-01", "yesterday", "2026-02-28", 0},
    {"2026-01-01", "yesterday", "2025-12-31", 0},
    {"2026-03-31", "tomorrow", "2026-04-01", 0},
    {"2026-12-31", "tomorrow", "2027-01-01", 0},
    {"2026-03-31", "-30d", "2026-03-01", 0},
    {"2026-03-31", "-0d", "2026-03-31", 0},
    {"2026-03-31", "+1d", "2026-04-01", 0},
    {"2026-01-10", "-30d", "2025-12-11", 0},
    {"2024-03-01", "-1d", "2024-02-29", 0},
    {"2026-03-31", "-2w", "2026-03-17", 0},
    {"2026-01-05", "-1w", "2025-12-29", 0},
    {"2026-03-31", "+2w", "2026-04-14", 0},
    {"2026-03-31", "-1m", "2026-02-28", 0},  /* clamped to February's last day */
    {"2024-03-31", "-1m", "2024-02-29", 0},  /* leap year */
    {"2026-03-31", "-13m", "2025-02-28", 0},
    {"2026-01-15", "-1m", "2025-12-15", 0},
    {"2026-11-30", "+3m", "2027-02-28", 0},
    {"2026-03-31", "-1y", "2025-03-31", 0},
    {"2024-02-29", "-1y", "2023-02-28", 0},
    {"2024-02-29", "+4y", "2028-02-29", 0},
    {"2026-03-31", "2026-01-15", "2026-01-15", 0},
    {"2026-03-31", "2024-02-29", "2024-02-29", 0},
    {"2026-03-31", "2026-02-29", NULL, KQ_PERIOD_ERROR_INVALID},
    {"2026-03-31", "2026-1-5", NULL, KQ_PERIOD_ERROR_INVALID},
    {"2026-03-31", "", NULL, KQ_PERIOD_ERROR_INVALID},
    {"2026-03-31", "-d", NULL, KQ_PERIOD_ERROR_INVALID},
    {"2026-03-31", "-3x", NULL, KQ_PERIOD_ERROR_INVALID},
    {"2026-03-31", "-3dd", NULL, KQ_PERIOD_ERROR_INVALID},
    {"2026-03-31", "30d", NULL, KQ_PERIOD_ERROR_INVALID},
    {"2026-03-31", "- 3d", NULL, KQ_PERIOD_ERROR_INVALID},
    {"2026-03-31", "last", NULL, KQ_PERIOD_ERROR_INVALID},
    {"2026-03-31", "-1000000d", NULL, KQ_PERIOD_ERROR_INVALID},
    {"2026-03-31", "-999999d", NULL, KQ_PERIOD_ERROR_RANGE},
    {"0001-01-01", "yesterday", NULL, KQ_PERIOD_ERROR_RANGE},
    {"9999-12-31", "+1m", NULL, KQ_PERIOD_ERROR_RANGE},
    {"2026-03-31", "-8000y", NULL, KQ_PERIOD_ERROR_RANGE},
};

static void test_days(void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS(day_cases); i++) {
    const DayCase *c = &day_cases[i];
    KqDate today = day(c->today), out = {0};
    GError *err = NULL;
    gboolean ok = kq_period_parse_day(c->text, &today, &out, &err);
    if (c->want) {
      if (!ok)
        fail_msg("case %zu '%s': %s", i, c->text, err->message);
      char *got = fmt(&out);
      if (strcmp(got, c->want) != 0)
        fail_msg("case %zu '%s' from %s: got %s, want %s", i, c->text, c->today, got, c->want);
      assert_false(out.has_time);
      g_free(got);
    } else {
      if (ok)
        fail_msg("case %zu '%s': accepted", i, c->text);
      assert_true(g_error_matches(err, KQ_PERIOD_ERROR, c->code));
      assert_non_null(strstr(err->message, c->text));
      g_error_free(err);
    }
  }
}

typedef struct {
  const char *today, *text;
  int year, month; /* 0: an error */
} MonthCase;

static const MonthCase month_cases[] = {
    {"2026-03-31", "this", 2026, 3},    {"2026-03-31", "last", 2026, 2},
    {"2026-03-01", "LAST", 2026, 2},    {"2026-01-01", "last", 2025, 12},
    {"2026-12-31", "this", 2026, 12},   {"2026-03-31", "2025-11", 2025, 11},
    {"2026-03-31", " 2026-01 ", 2026, 1}, {"2026-03-31", "2026-13", 0, 0},
    {"2026-03-31", "2026-00", 0, 0},    {"2026-03-31", "2026-1", 0, 0},
    {"2026-03-31", "0000-01", 0, 0},    {"2026-03-31", "next", 0, 0},
    {"2026-03-31", "2026-01-01", 0, 0}, {"0001-01-15", "last", 0, 0},
};

static void test_months(void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS(month_cases); i++) {
    const MonthCase *c = &month_cases[i];
    KqDate today = day(c->today);
    int y = -1, m = -1;
    GError *err = NULL;
    gboolean ok = kq_period_parse_month(c->text, &today, &y, &m, &err);
    if (c->year) {
      if (!ok)
        fail_msg("case %zu '%s': %s", i, c->text, err->message);
      assert_int_equal(y, c->year);
      assert_int_equal(m, c->month);
    } else {
      if (ok)
        fail_msg("case %zu '%s': accepted as %d-%d", i, c->text, y, m);
      assert_non_null(err);
      g_error_free(err);
    }
  }
}

typedef struct {
  const char *today, *text;
  const char *monday, *sunday; /* NULL: an error */
  int iso_year, iso_week;
} WeekCase;

static const WeekCase week_cases[] = {
    {"2026-03-31", "this", "2026-03-30", "2026-04-05", 2026, 14},
    {"2026-03-31", "last", "2026-03-23", "2026-03-29", 2026, 13},
    {"2026-03-29", "this", "2026-03-23", "2026-03-29", 2026, 13}, /* Sunday */
    {"2026-03-30", "last", "2026-03-23", "2026-03-29", 2026, 13}, /* Monday */
    /* 1 January 2026 is a Thursday: week 1 starts in 2025 */
    {"2026-01-01", "this", "2025-12-29", "2026-01-04", 2026, 1},
    {"2026-01-01", "last", "2025-12-22", "2025-12-28", 2025, 52},
    /* 2026 has 53 weeks; 3 January 2027 is in its week 53 */
    {"2027-01-03", "this", "2026-12-28", "2027-01-03", 2026, 53},
    {"2027-01-04", "last", "2026-12-28", "2027-01-03", 2026, 53},
    {"2026-03-31", "2026-W05", "2026-01-26", "2026-02-01", 2026, 5},
    {"2026-03-31", "2026-w05", "2026-01-26", "2026-02-01", 2026, 5},
    {"2026-03-31", "2020-W53", "2020-12-28", "2021-01-03", 2020, 53},
    {"2026-03-31", "2020-W01", "2019-12-30", "2020-01-05", 2020, 1},
    {"2026-03-31", "2025-W53", NULL, NULL, 0, 0}, /* 2025 has 52 weeks */
    {"2026-03-31", "2026-W00", NULL, NULL, 0, 0},
    {"2026-03-31", "2026-W54", NULL, NULL, 0, 0},
    {"2026-03-31", "2026-W5", NULL, NULL, 0, 0},
    {"2026-03-31", "2026-05", NULL, NULL, 0, 0},
    {"2026-03-31", "yesterday", NULL, NULL, 0, 0},
};

static void test_weeks(void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS(week_cases); i++) {
    const WeekCase *c = &week_cases[i];
    KqDate today = day(c->today), first = {0}, last = {0};
    int y = 0, w = 0;
    GError *err = NULL;
    gboolean ok = kq_period_parse_week(c->text, &today, &first, &last, &y, &w, &err);
    if (c->monday) {
      if (!ok)
        fail_msg("case %zu '%s': %s", i, c->text, err->message);
      char *a = fmt(&first), *b = fmt(&last);
      if (strcmp(a, c->monday) != 0 || strcmp(b, c->sunday) != 0)
        fail_msg("case %zu '%s' from %s: got %s..%s, want %s..%s", i, c->text, c->today, a, b,
                 c->monday, c->sunday);
      assert_int_equal(kq_date_weekday(&first), 1);
      assert_int_equal(kq_date_weekday(&last), 7);
      assert_int_equal(y, c->iso_year);
      assert_int_equal(w, c->iso_week);
      g_free(a);
      g_free(b);
    } else {
      if (ok)
        fail_msg("case %zu '%s': accepted", i, c->text);
      assert_true(g_error_matches(err, KQ_PERIOD_ERROR, KQ_PERIOD_ERROR_INVALID));
      g_error_free(err);
    }
  }
}

static void test_today(void **state)
{
  KqDate d;
  GError *err = NULL;
  assert_true(kq_period_today(" 2026-02-28 ", &d, &err));
  assert_int_equal(d.year, 2026);
  assert_int_equal(d.month, 2);
  assert_int_equal(d.day, 28);
  static const char *const bad[] = {"2026-2-28", "2026-02-30", "today", "20260228", "x"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    assert_false(kq_period_today(bad[i], &d, &err));
    assert_true(g_error_matches(err, KQ_PERIOD_ERROR, KQ_PERIOD_ERROR_INVALID));
    assert_non_null(strstr(err->message, "KQ_TODAY"));
    g_clear_error(&err);
  }
  /* no override: the local calendar date */
  GDateTime *now = g_date_time_new_now_local();
  assert_true(kq_period_today(NULL, &d, NULL));
  KqDate same;
  assert_true(kq_period_today("", &same, NULL));
  assert_int_equal(d.year, g_date_time_get_year(now));
  assert_int_equal(d.month, g_date_time_get_month(now));
  assert_int_equal(same.day, d.day);
  g_date_time_unref(now);
}

static void test_month_bounds(void **state)
{
  KqDate a, b;
  assert_true(kq_period_month_bounds(2024, 2, &a, &b));
  assert_int_equal(a.day, 1);
  assert_int_equal(b.day, 29);
  assert_true(kq_period_month_bounds(2026, 2, &a, &b));
  assert_int_equal(b.day, 28);
  assert_true(kq_period_month_bounds(2026, 12, &a, &b));
  assert_int_equal(b.day, 31);
  assert_false(kq_period_month_bounds(2026, 13, &a, &b));
  assert_false(kq_period_month_bounds(0, 1, &a, &b));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_days),        cmocka_unit_test(test_months),
      cmocka_unit_test(test_weeks),       cmocka_unit_test(test_today),
      cmocka_unit_test(test_month_bounds),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
