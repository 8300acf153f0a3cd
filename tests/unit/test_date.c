/* test_date.c: table-driven tests of the dates module (parse, find, calendar maths, formatting). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kiosque/date.h"

/* One parse case: input, expected kq_date_to_string() (NULL: not a date),
 * and a substring the warning must contain (NULL: no warning at all). */
typedef struct {
  const char *input;
  const char *expect;
  const char *warning;
} ParseCase;

static const ParseCase parse_cases[] = {
  /* ISO 8601 */
  {"2026-01-30", "2026-01-30", NULL},
  {"2026-01-30T08:15:00+01:00", "2026-01-30T08:15:00+01:00", NULL},
  {"2026-01-30T08:15:00Z", "2026-01-30T08:15:00+00:00", NULL},
  {"2026-01-30t08:15z", "2026-01-30T08:15:00+00:00", NULL},
  {"2026-01-30T08:15:00.123+0100", "2026-01-30T08:15:00+01:00", NULL},
  {"2026-01-30 08:15:00-05:00", "2026-01-30T08:15:00-05:00", NULL},
  {"2026-01-30 08:15:00 +05:45", "2026-01-30T08:15:00+05:45", NULL},
  {"2026-01-30T08:15:00+01", "2026-01-30T08:15:00+01:00", NULL},
  {"2026-01-30T08:15:00", "2026-01-30T08:15:00+00:00", NULL},
  {"  2026-01-30\r\n", "2026-01-30", NULL},
  {"20260130T081500Z", "2026-01-30T08:15:00+00:00", NULL},
  {"2024-02-29", "2024-02-29", NULL},
  {"9999-12-31T23:59:59-18:00", "9999-12-31T23:59:59-18:00", NULL},
  {"0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00+14:00", NULL},
  {"2026-01-30T08:15:60Z", "2026-01-30T08:15:59+00:00", NULL}, /* leap second */
  {"2026-01-30T08:15:00\xE2\x88\x92" "03:00", "2026-01-30T08:15:00-03:00", NULL},
  /* RFC 822 / 1123 */
  {"Fri, 30 Jan 2026 08:15:00 GMT", "2026-01-30T08:15:00+00:00", NULL},
  {"Fri, 30 Jan 2026 08:15:00 +0100", "2026-01-30T08:15:00+01:00", NULL},
  {"Fri, 30 Jan 2026 08:15:00 EST", "2026-01-30T08:15:00-05:00", NULL},
  {"Fri, 30 Jan 2026 08:15:00 EDT", "2026-01-30T08:15:00-04:00", NULL},
  {"Fri, 30 Jan 2026 08:15:00 CST", "2026-01-30T08:15:00-06:00", NULL},
  {"Fri, 30 Jan 2026 08:15 CDT", "2026-01-30T08:15:00-05:00", NULL},
  {"Fri, 30 Jan 2026 08:15:00 MST", "2026-01-30T08:15:00-07:00", NULL},
  {"Fri, 30 Jan 2026 08:15:00 MDT", "2026-01-30T08:15:00-06:00", NULL},
  {"Fri, 30 Jan 2026 08:15:00 PST", "2026-01-30T08:15:00-08:00", NULL},
  {"Fri, 30 Jan 2026 08:15:00 PDT", "2026-01-30T08:15:00-07:00", NULL},
  {"Fri, 30 Jan 2026 08:15:00 UT", "2026-01-30T08:15:00+00:00", NULL},
  {"Fri, 30 Jan 2026 08:15:00 Z", "2026-01-30T08:15:00+00:00", NULL},
  {"Fri, 30 Jan 2026 08:15:00 A", "2026-01-30T08:15:00+00:00", "military"},
  {"Fri, 30 Jan 2026 08:15:00 XYZ", "2026-01-30T08:15:00+00:00", "unknown time zone 'XYZ'"},
  {"Fri, 30 Jan 2026 08:15:00", "2026-01-30T08:15:00+00:00", "no time zone"},
  {"Fri, 30 Jan 2026 08:15:00 GMT+1", "2026-01-30T08:15:00+01:00", NULL},
  {"Fri, 30 Jan 2026 08:15:00 +0000 (UTC)", "2026-01-30T08:15:00+00:00", NULL},
  {"Thu, 30 Jan 2026 08:15:00 GMT", "2026-01-30T08:15:00+00:00", "weekday 'Thu'"},
  {"Seg, 24 Set 2018 10:00:00 -0300", "2018-09-24T10:00:00-03:00", NULL},
  {"Ter, 24 Set 2018 10:00:00 -0300", "2018-09-24T10:00:00-03:00", "a Monday"},
  {"Fri, 6 Feb 2026 08:15:00 GMT", "2026-02-06T08:15:00+00:00", NULL},
  {"Fri, 30 Jan 26 08:15:00 GMT", "2026-01-30T08:15:00+00:00", NULL},
  {"Sat, 30 Jan 99 08:15:00 GMT", "1999-01-30T08:15:00+00:00", NULL},
  {"Fri, 30 Jan 2026 08:15:00 GMT\r\n  ", "2026-01-30T08:15:00+00:00", NULL},
  {"30 Jan 2026 08:15:00 +0000", "2026-01-30T08:15:00+00:00", NULL},
  {"Sun, 01 Mar 2026 00:00:00 CET", "2026-03-01T00:00:00+01:00", NULL},
  {"Fri Jan 30 08:15:00 2026", "2026-01-30T08:15:00+00:00", NULL}, /* asctime */
  /* French long forms */
  {"30 janvier 2026", "2026-01-30", NULL},
  {"1er février 2026", "2026-02-01", NULL},
  {"1er fevrier 2026", "2026-02-01", NULL},
  {"1ᵉʳ mars 2026", "2026-03-01", NULL},
  {"30 JANVIER 2026", "2026-01-30", NULL},
  {"15 août 2026", "2026-08-15", NULL},
  {"15 aout 2026", "2026-08-15", NULL},
  {"3 déc. 2026", "2026-12-03", NULL},
  {"vendredi 30 janvier 2026", "2026-01-30", NULL},
  {"Le vendredi 30 janvier 2026 à 14h30", "2026-01-30T14:30:00+00:00", NULL},
  {"le 30 janvier 2026 a 9 h 05", "2026-01-30T09:05:00+00:00", NULL},
  {"30 janvier 2026, 14h", "2026-01-30T14:00:00+00:00", NULL},
  {"lundi 30 janvier 2026", "2026-01-30", "weekday 'lundi'"},
  {"mar 3 mars 2026", "2026-03-03", NULL},
  {"30\xC2\xA0janvier\xC2\xA0" "2026", "2026-01-30", NULL}, /* no-break spaces */
  /* English long forms */
  {"January 30, 2026", "2026-01-30", NULL},
  {"Jan 30, 2026", "2026-01-30", NULL},
  {"Jan. 30 2026", "2026-01-30", NULL},
  {"30 Jan 2026", "2026-01-30", NULL},
  {"January 1st, 2026", "2026-01-01", NULL},
  {"the 30th of January 2026", "2026-01-30", NULL},
  {"Friday, January 30, 2026 at 2:30 PM", "2026-01-30T14:30:00+00:00", NULL},
  {"January 30, 2026 12:05 a.m.", "2026-01-30T00:05:00+00:00", NULL},
  {"January 30, 2026 at 12 PM EST", "2026-01-30T12:00:00-05:00", NULL},
  {"Mar 30, 2026", "2026-03-30", NULL}, /* March, not Tuesday */
  {"Tuesday, January 30, 2026", "2026-01-30", "a Friday"},
  /* German, Spanish, Portuguese */
  {"24 Set 2018", "2018-09-24", NULL},
  {"30. Januar 2026", "2026-01-30", NULL},
  {"Montag, 30. März 2026 um 10:00 Uhr", "2026-03-30T10:00:00+00:00", NULL},
  {"30 de enero de 2026", "2026-01-30", NULL},
  {"viernes, 30 de enero del 2026", "2026-01-30", NULL},
  {"30 de janeiro de 2026 às 14:30", "2026-01-30T14:30:00+00:00", NULL},
  {"1º de março de 2026", "2026-03-01", NULL},
  /* Numeric */
  {"30/01/2026", "2026-01-30", NULL},
  {"03/04/2026", "2026-04-03", NULL},
  {"01/30/2026", "2026-01-30", "swapped"},
  {"2026/01/30", "2026-01-30", NULL},
  {"30.01.2026 14:30", "2026-01-30T14:30:00+00:00", "no time zone"},
  /* Issue 17 item 3: forms a forgiving feed reader understands */
  {"Tue, 19 Nov 2019 10:00:00 MET", "2019-11-19T10:00:00+01:00", NULL},
  {"Tue, 19 Nov 2019 10:00:00 MEST", "2019-11-19T10:00:00+02:00", NULL},
  {"Tue, 19 Nov 2019 10:00:00 NZDT", "2019-11-19T10:00:00+13:00", NULL},
  {"Tue, 19 Nov 2019 10:00:00 Etc/GMT-2", "2019-11-19T10:00:00+02:00", NULL},
  {"Tue, 19 Nov 2019 10:00:00 Etc/GMT+5", "2019-11-19T10:00:00-05:00", NULL},
  {"Tue, 19 Nov 2019 10:00:00 Etc/UTC", "2019-11-19T10:00:00+00:00", NULL},
  {"Tue, 19 Nov 2019 10:00:00 Etc/GMT+15", NULL, NULL},
  {"Tue, 19 Nov 2019 10:00:00 A", "2019-11-19T10:00:00+00:00", "military time zone 'A'"},
  {"Tue, 19 Nov 2019 10:00:00 XYZ", "2019-11-19T10:00:00+00:00", "unknown time zone 'XYZ'"},
  {"Wed, 31 Dec 2003 10:00:00 Europe/Paris", "2003-12-31T10:00:00+01:00", NULL},
  {"Tue, 15 Jul 2003 10:00:00 Europe/Paris", "2003-07-15T10:00:00+02:00", NULL},
  {"2003-07-15 10:00 America/New_York", "2003-07-15T10:00:00-04:00", NULL},
  {"Tuesday, 19-Nov-19 10:00:00 GMT", "2019-11-19T10:00:00+00:00", NULL}, /* RFC 850 */
  {"2003/12/31 10:00:00", "2003-12-31T10:00:00+00:00", "no time zone"},
  {"12/31/2003", "2003-12-31", "swapped"},
  {"2003-12", "2003-12-01", "month without a day, taken as the 1st"},
  {"2026-01-30T24:00", "2026-01-31T00:00:00+00:00", NULL}, /* ISO 8601 end of day */
  {"2026-12-31T24:00:00+01:00", "2027-01-01T00:00:00+01:00", NULL},
  /* Not dates: hostile and incomplete input */
  {"", NULL, NULL},
  {"   ", NULL, NULL},
  {"hello", NULL, NULL},
  {"2026", NULL, NULL},
  {"janvier 2026", NULL, NULL},
  {"30 janvier", NULL, NULL},
  {"30 foo 2026", NULL, NULL},
  {"32 janvier 2026", NULL, NULL},
  {"29 février 2025", NULL, NULL},
  {"2026-02-30", NULL, NULL},
  {"2026-13-01", NULL, NULL},
  {"0000-01-01", NULL, NULL},
  {"30 janvier 10000", NULL, NULL},
  {"January 30, 0", NULL, NULL},
  {"2026-01-30T24:01", NULL, NULL},
  {"2003-1", NULL, NULL},
  {"2003-13", NULL, NULL},
  {"2026-01-30T08:15:00+25:00", NULL, NULL},
  {"2026-01-30T08:15:00+01:75", NULL, NULL},
  {"Fri, 30 Jan 2026 08:15:00 +9999", NULL, NULL},
  {"Fri, 30 Jan 2026 25:00:00 GMT", NULL, NULL},
  {"30 janvier 2026 extra", NULL, NULL},
  {"January 30, 2026 at 13 PM", NULL, NULL},
  {"1.2.3.4", NULL, NULL},
  {"99999999999999999999-01-01", NULL, NULL},
  {"\xFF\xFE 30 janvier \xC3", NULL, NULL},
};

static void test_parse_table(void **state)
{
  (void)state;
  int failures = 0;
  for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
    const ParseCase *c = &parse_cases[i];
    KqDate d;
    char *warning = NULL;
    gboolean ok = kq_date_parse(c->input, &d, &warning);
    char *got = ok ? kq_date_to_string(&d) : NULL;
    if (g_strcmp0(got, c->expect) != 0 ||
        (c->warning == NULL) != (warning == NULL) ||
        (c->warning && !strstr(warning, c->warning)))
      failures++, print_error("case %zu \"%s\": got %s (warning %s), expected %s (warning %s)\n",
                              i, c->input, got ? got : "not a date", warning ? warning : "none",
                              c->expect ? c->expect : "not a date",
                              c->warning ? c->warning : "none");
    assert_int_equal(d.set, ok);
    g_free(got);
    g_free(warning);
  }
  assert_int_equal(failures, 0);
}

static void test_parse_null_warning(void **state)
{
  (void)state;
  KqDate d;
  assert_true(kq_date_parse("Thu, 30 Jan 2026 08:15:00 GMT", &d, NULL));
  assert_int_equal(d.day, 30);
  assert_false(kq_date_parse(NULL, &d, NULL));
  assert_false(d.set);
}

static void test_parse_month_first(void **state)
{
  (void)state;
  KqDate d;
  char *s;
  assert_true(kq_date_parse_flags("03/04/2026", KQ_DATE_PARSE_MONTH_FIRST, &d, NULL));
  s = kq_date_to_string(&d);
  assert_string_equal(s, "2026-03-04");
  g_free(s);
  assert_true(kq_date_parse_flags("03/04/2026", KQ_DATE_PARSE_DEFAULT, &d, NULL));
  s = kq_date_to_string(&d);
  assert_string_equal(s, "2026-04-03");
  g_free(s);
}

/* kq_date_find: input, expected date (NULL: none found), expected text of
 * the range it reports. */
typedef struct {
  const char *input;
  const char *expect;
  const char *range;
} FindCase;

static const FindCase find_cases[] = {
  {"Publié le 30 janvier 2026 448 vues", "2026-01-30", "30 janvier 2026"},
  {"Publié le 30 janvier 2026 1 234 vues", "2026-01-30", "30 janvier 2026"},
  {"Publié le vendredi 30 janvier 2026", "2026-01-30", "vendredi 30 janvier 2026"},
  {"Mis à jour le 31 janvier 2026 à 10h15", "2026-01-31T10:15:00+00:00",
   "31 janvier 2026 à 10h15"},
  {"Published on January 30, 2026 1,234 views", "2026-01-30", "January 30, 2026"},
  {"Updated: 2026-01-31T10:00:00Z by staff", "2026-01-31T10:00:00+00:00",
   "2026-01-31T10:00:00Z"},
  {"le 30 janvier 2026 à 14h30 est une date", "2026-01-30T14:30:00+00:00",
   "30 janvier 2026 à 14h30"},
  {"Updated Jan 31, 2026 at 9:05 AM · 3 min read", "2026-01-31T09:05:00+00:00",
   "Jan 31, 2026 at 9:05 AM"},
  {"Le 1er février 2026, la Chine", "2026-02-01", "1er février 2026"},
  {"No date here, just 448 vues", NULL, NULL},
  {"Le 5 mai 12 personnes sont venues", NULL, NULL},
  {"version 1.2.3 sortie en mars 2026", NULL, NULL},
  {"il est 14h30", NULL, NULL},
  {"", NULL, NULL},
  {"Xmai 5, 2026 is glued, May 6, 2026 is not", "2026-05-06", "May 6, 2026"},
};

static void test_find_table(void **state)
{
  (void)state;
  int failures = 0;
  for (size_t i = 0; i < sizeof find_cases / sizeof find_cases[0]; i++) {
    const FindCase *c = &find_cases[i];
    KqDate d;
    gsize start = 0, end = 0;
    gboolean ok = kq_date_find(c->input, &d, &start, &end);
    char *got = ok ? kq_date_to_string(&d) : NULL;
    char *range = ok ? g_strndup(c->input + start, end - start) : NULL;
    if (g_strcmp0(got, c->expect) != 0 || g_strcmp0(range, c->range) != 0)
      failures++, print_error("find case %zu \"%s\": got %s [%s], expected %s [%s]\n", i,
                              c->input, got ? got : "none", range ? range : "",
                              c->expect ? c->expect : "none", c->range ? c->range : "");
    g_free(got);
    g_free(range);
  }
  assert_int_equal(failures, 0);
}

/* Round trips: parse(to_string(d)) gives d back, for bare dates and
 * date-times with positive, negative and zero offsets. */
static void test_round_trip(void **state)
{
  (void)state;
  static const struct {
    int y, mo, d;
    gboolean t;
    int h, mi, s, off;
  } dates[] = {
    {2026, 1, 30, FALSE, 0, 0, 0, 0},      {2026, 1, 30, TRUE, 8, 15, 0, 60},
    {1999, 12, 31, TRUE, 23, 59, 59, -300}, {1, 1, 1, TRUE, 0, 0, 0, 0},
    {9999, 12, 31, TRUE, 23, 59, 59, -1080}, {2024, 2, 29, TRUE, 12, 0, 1, 345},
    {2026, 7, 4, FALSE, 0, 0, 0, 0},
  };
  for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
    KqDate a, b;
    assert_true(kq_date_make(&a, dates[i].y, dates[i].mo, dates[i].d, dates[i].t, dates[i].h,
                             dates[i].mi, dates[i].s, dates[i].off));
    char *s = kq_date_to_string(&a);
    assert_true(kq_date_parse(s, &b, NULL));
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(kq_date_compare(&a, &b), 0);
    g_free(s);
  }
  KqDate unset = {0};
  assert_null(kq_date_to_string(&unset));
}

static void test_make_limits(void **state)
{
  (void)state;
  KqDate d;
  assert_false(kq_date_make(&d, 0, 1, 1, FALSE, 0, 0, 0, 0));
  assert_false(d.set);
  assert_false(kq_date_make(&d, 10000, 1, 1, FALSE, 0, 0, 0, 0));
  assert_false(kq_date_make(&d, 2026, 2, 29, FALSE, 0, 0, 0, 0));
  assert_false(kq_date_make(&d, 2026, 1, 1, TRUE, 24, 0, 0, 0));
  assert_false(kq_date_make(&d, 2026, 1, 1, TRUE, 0, 0, 0, 18 * 60 + 1));
  assert_false(kq_date_make(&d, -5, -5, -5, TRUE, -1, -1, -1, -99999));
  assert_true(kq_date_make(&d, 2026, 1, 1, FALSE, 99, 99, 99, 99999));
  assert_int_equal(d.hour, 0); /* ignored for bare dates */
  assert_int_equal(d.offset_min, 0);
}

static void test_unix(void **state)
{
  (void)state;
  KqDate d;
  assert_true(kq_date_make(&d, 1970, 1, 1, FALSE, 0, 0, 0, 0));
  assert_int_equal(kq_date_to_unix(&d), 0);
  assert_true(kq_date_parse("2026-01-30T08:15:00+01:00", &d, NULL));
  assert_int_equal(kq_date_to_unix(&d), 1769757300);
  assert_true(kq_date_make(&d, 1, 1, 1, FALSE, 0, 0, 0, 0));
  assert_int_equal(kq_date_to_unix(&d), -62135596800LL);
  assert_true(kq_date_make(&d, 9999, 12, 31, TRUE, 23, 59, 59, 0));
  assert_int_equal(kq_date_to_unix(&d), 253402300799LL);

  KqDate u = kq_date_from_unix(1769757300);
  char *s = kq_date_to_string(&u);
  assert_string_equal(s, "2026-01-30T07:15:00+00:00");
  g_free(s);
  u = kq_date_from_unix(-62135596800LL);
  assert_true(u.set);
  assert_int_equal(u.year, 1);
  u = kq_date_from_unix(G_MAXINT64);
  assert_false(u.set);
  u = kq_date_from_unix(G_MININT64);
  assert_false(u.set);
}

static void test_compare(void **state)
{
  (void)state;
  KqDate unset = {0}, bare, morning, paris, later;
  kq_date_make(&bare, 2026, 1, 30, FALSE, 0, 0, 0, 0);
  kq_date_make(&morning, 2026, 1, 30, TRUE, 0, 0, 0, 0);
  kq_date_make(&paris, 2026, 1, 30, TRUE, 9, 0, 0, 60); /* 08:00 UTC */
  kq_date_make(&later, 2026, 1, 30, TRUE, 8, 30, 0, 0);
  assert_true(kq_date_compare(&bare, &unset) < 0);
  assert_true(kq_date_compare(&unset, &bare) > 0);
  assert_int_equal(kq_date_compare(&unset, &unset), 0);
  assert_true(kq_date_compare(&bare, &morning) < 0); /* same instant: bare first */
  assert_true(kq_date_compare(&morning, &bare) > 0);
  assert_true(kq_date_compare(&paris, &later) < 0);  /* by instant, not fields */
  assert_true(kq_date_compare(&later, &paris) > 0);
  assert_int_equal(kq_date_compare(&paris, &paris), 0);
}

static void test_iso_week_and_weekday(void **state)
{
  (void)state;
  static const struct {
    const char *date;
    int iso_year, week, weekday;
  } cases[] = {
    {"2026-01-26", 2026, 5, 1}, {"2027-01-01", 2026, 53, 5}, {"2024-12-30", 2025, 1, 1},
    {"2021-01-03", 2020, 53, 7}, {"2026-12-31", 2026, 53, 4}, {"2026-01-30", 2026, 5, 5},
    {"2000-01-01", 1999, 52, 6}, {"0001-01-01", 1, 1, 1},   {"2018-09-24", 2018, 39, 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    KqDate d;
    int y = 0, w = 0;
    assert_true(kq_date_parse(cases[i].date, &d, NULL));
    kq_date_iso_week(&d, &y, &w);
    if (y != cases[i].iso_year || w != cases[i].week ||
        kq_date_weekday(&d) != cases[i].weekday)
      fail_msg("%s: got %d-W%02d day %d", cases[i].date, y, w, kq_date_weekday(&d));
  }
  /* The local calendar day counts, not the UTC one. */
  KqDate d;
  assert_true(kq_date_parse("2026-01-25T23:30:00-05:00", &d, NULL));
  int y, w;
  kq_date_iso_week(&d, &y, &w);
  assert_int_equal(w, 4);
  assert_int_equal(kq_date_weekday(&d), 7);
  KqDate unset = {0};
  assert_int_equal(kq_date_weekday(&unset), 0);
}

static void test_month_names(void **state)
{
  (void)state;
  static const struct {
    const char *name;
    int month;
  } cases[] = {
    {"janvier", 1}, {"Février", 2}, {"févr.", 2}, {"FEVRIER", 2}, {"SEPT", 9},
    {"März", 3},    {"marzo", 3},   {"março", 3}, {"août", 8},    {"Aug.", 8},
    {"Set", 9},     {"out", 10},    {"Okt", 10},  {"dic", 12},    {"Dezember", 12},
    {"mayo", 5},    {"xyz", 0},     {"", 0},      {"jan uary", 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (kq_date_month_from_name(cases[i].name, -1) != cases[i].month)
      fail_msg("\"%s\": got %d", cases[i].name, kq_date_month_from_name(cases[i].name, -1));
  assert_int_equal(kq_date_month_from_name("maison", 3), 5); /* "mai" */
  assert_int_equal(kq_date_month_from_name(NULL, -1), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_parse_table),
    cmocka_unit_test(test_parse_null_warning),
    cmocka_unit_test(test_parse_month_first),
    cmocka_unit_test(test_find_table),
    cmocka_unit_test(test_round_trip),
    cmocka_unit_test(test_make_limits),
    cmocka_unit_test(test_unix),
    cmocka_unit_test(test_compare),
    cmocka_unit_test(test_iso_week_and_weekday),
    cmocka_unit_test(test_month_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
