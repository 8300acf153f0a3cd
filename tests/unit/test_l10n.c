/* test_l10n.c: kiosque's words in one place (issue 13 item 3): month and day names, long dates, ranges, week titles, labels, in five languages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "kiosque/l10n.h"

static KqDate day(const char *text)
{
  KqDate d;
  assert_true(kq_date_parse(text, &d, NULL));
  return d;
}

static void test_names(void **state)
{
  (void)state;
  assert_string_equal(kq_l10n_month("fr", 8), "août");
  assert_string_equal(kq_l10n_month("en", 1), "January");
  assert_string_equal(kq_l10n_month("de-AT", 3), "März");
  assert_string_equal(kq_l10n_month("pt-BR", 3), "março");
  assert_string_equal(kq_l10n_month("es", 12), "diciembre");
  assert_string_equal(kq_l10n_month(NULL, 2), "February");
  assert_null(kq_l10n_month("fr", 13));
  assert_string_equal(kq_l10n_weekday("fr", 1), "lundi");
  assert_string_equal(kq_l10n_weekday("en", 7), "Sunday");
  assert_string_equal(kq_l10n_weekday("de", 4), "Donnerstag");
  assert_string_equal(kq_l10n_weekday("es", 3), "miércoles");
  assert_string_equal(kq_l10n_weekday("pt", 2), "terça-feira");
  assert_null(kq_l10n_weekday("fr", 0));
  assert_true(kq_l10n_is_month("fevrier", "fr"));
  assert_true(kq_l10n_is_month("AOÛT", "fr"));
  assert_false(kq_l10n_is_month("February", "fr"));
  /* every name written is read back by the date parser */
  static const char *const langs[] = {"fr", "en", "de", "es", "pt"};
  for (gsize l = 0; l < G_N_ELEMENTS(langs); l++)
    for (int m = 1; m <= 12; m++)
      assert_int_equal(kq_date_month_from_name(kq_l10n_month(langs[l], m), -1), m);
}

static void test_dates(void **state)
{
  (void)state;
  static const struct {
    const char *date, *lang, *expect, *weekday;
  } cases[] = {
      {"2026-01-30", "fr", "30 janvier 2026", "vendredi 30 janvier 2026"},
      {"2026-02-01", "fr", "1er février 2026", "dimanche 1er février 2026"},
      {"2026-02-01", "fr-CA", "1er février 2026", "dimanche 1er février 2026"},
      {"2026-01-30T23:00:00-05:00", "fr", "30 janvier 2026", "vendredi 30 janvier 2026"},
      {"2026-01-30", "en", "January 30, 2026", "Friday, January 30, 2026"},
      {"2026-01-01", "en-GB", "January 1, 2026", "Thursday, January 1, 2026"},
      {"2026-01-30", "de", "30. Januar 2026", "Freitag, 30. Januar 2026"},
      {"2026-03-01", "de", "1. März 2026", "Sonntag, 1. März 2026"},
      {"2026-01-30", "es", "30 de enero de 2026", "viernes, 30 de enero de 2026"},
      {"2026-01-30", "pt", "30 de janeiro de 2026", "sexta-feira, 30 de janeiro de 2026"},
      {"2026-01-30", "it", "January 30, 2026", "Friday, January 30, 2026"},
      {"2026-01-30", NULL, "January 30, 2026", "Friday, January 30, 2026"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    KqDate d = day(cases[i].date);
    char *s = kq_l10n_date(&d, cases[i].lang);
    assert_string_equal(s, cases[i].expect);
    /* what we write we read back (same calendar day) */
    KqDate back;
    assert_true(kq_date_parse(s, &back, NULL));
    assert_int_equal(back.day, d.day);
    assert_int_equal(back.month, d.month);
    g_free(s);
    s = kq_l10n_date_weekday(&d, cases[i].lang);
    assert_string_equal(s, cases[i].weekday);
    g_free(s);
  }
  KqDate unset = {0};
  assert_null(kq_l10n_date(&unset, "fr"));
  assert_null(kq_l10n_date_weekday(&unset, "fr"));
  char *s = kq_l10n_month_range("fr", 2026, 1, 2026, 3);
  assert_string_equal(s, "janvier – mars 2026");
  g_free(s);
  s = kq_l10n_month_range("en", 2025, 12, 2026, 2);
  assert_string_equal(s, "December 2025 – February 2026");
  g_free(s);
  s = kq_l10n_month_range("de", 2026, 3, 2026, 3);
  assert_string_equal(s, "März 2026");
  g_free(s);
}

/* An edition covering 3–9 March 2026, one crossing a month, one crossing a
 * year, one day: as a title and in a sentence, in five languages. */
static void test_ranges(void **state)
{
  (void)state;
  static const struct {
    const char *first, *last, *lang, *title, *prose;
  } cases[] = {
      {"2026-03-03", "2026-03-09", "fr", "3 – 9 mars 2026", "du 3 au 9 mars 2026"},
      {"2026-03-01", "2026-03-07", "fr", "1er – 7 mars 2026", "du 1er au 7 mars 2026"},
      {"2026-03-03", "2026-03-09", "en", "March 3 – 9, 2026", "from March 3 to 9, 2026"},
      {"2026-03-03", "2026-03-09", "de", "3. – 9. März 2026", "vom 3. bis 9. März 2026"},
      {"2026-03-03", "2026-03-09", "es", "3 – 9 de marzo de 2026", "del 3 al 9 de marzo de 2026"},
      {"2026-03-03", "2026-03-09", "pt", "3 – 9 de março de 2026", "de 3 a 9 de março de 2026"},
      {"2026-01-26", "2026-02-01", "fr", "26 janvier – 1er février 2026",
       "du 26 janvier au 1er février 2026"},
      {"2026-01-26", "2026-02-01", "en", "January 26 – February 1, 2026",
       "from January 26 to February 1, 2026"},
      {"2026-01-26", "2026-02-01", "de", "26. Januar – 1. Februar 2026",
       "vom 26. Januar bis 1. Februar 2026"},
      {"2026-01-26", "2026-02-01", "es", "26 de enero – 1 de febrero de 2026",
       "del 26 de enero al 1 de febrero de 2026"},
      {"2026-01-26", "2026-02-01", "pt", "26 de janeiro – 1 de fevereiro de 2026",
       "de 26 de janeiro a 1 de fevereiro de 2026"},
      {"2025-12-29", "2026-01-04", "fr", "29 décembre 2025 – 4 janvier 2026",
       "du 29 décembre 2025 au 4 janvier 2026"},
      {"2025-12-29", "2026-01-04", "en", "December 29, 2025 – January 4, 2026",
       "from December 29, 2025 to January 4, 2026"},
      {"2026-03-03", "2026-03-03", "fr", "3 mars 2026", "le 3 mars 2026"},
      {"2026-03-03", "2026-03-03", "en", "March 3, 2026", "on March 3, 2026"},
      {"2026-03-03", "2026-03-03", "de", "3. März 2026", "am 3. März 2026"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    KqDate a = day(cases[i].first), b = day(cases[i].last);
    char *t = kq_l10n_date_range(&a, &b, cases[i].lang, KQ_L10N_RANGE_TITLE);
    char *p = kq_l10n_date_range(&a, &b, cases[i].lang, KQ_L10N_RANGE_PROSE);
    assert_string_equal(t, cases[i].title);
    assert_string_equal(p, cases[i].prose);
    g_free(t);
    g_free(p);
  }
  KqDate unset = {0}, a = day("2026-03-03");
  assert_null(kq_l10n_date_range(&a, &unset, "fr", KQ_L10N_RANGE_TITLE));
}

static void test_week_titles_and_labels(void **state)
{
  (void)state;
  KqDate monday = day("2026-01-26");
  char *t = kq_l10n_week_title("fr", 5, &monday);
  assert_string_equal(t, "Semaine 5 · 26 janvier – 1er février 2026");
  g_free(t);
  t = kq_l10n_week_title("en", 5, &monday);
  assert_string_equal(t, "Week 5 · January 26 – February 1, 2026");
  g_free(t);
  t = kq_l10n_capitalize("février 2026");
  assert_string_equal(t, "Février 2026");
  g_free(t);
  t = kq_l10n_label("fr", "sources");
  assert_string_equal(t, "Sources\u00A0: ");
  g_free(t);
  t = kq_l10n_label("de", "sources");
  assert_string_equal(t, "Quellen: ");
  g_free(t);
  t = kq_l10n_generated_on("pt", 1774915200);
  assert_string_equal(t, "Gerada em 31 de março de 2026");
  g_free(t);
  assert_string_equal(kq_l10n("es", "contents"), "Índice");
  assert_string_equal(kq_l10n("fr", "no such key"), "no such key");
}

/* Counts grouped as each language writes them: FR-7 in French (U+202F
 * from five digits), CLDR's separators and thresholds elsewhere. */
static void test_numbers(void **state)
{
  (void)state;
  static const struct {
    const char *lang;
    gint64 n;
    const char *want;
  } cases[] = {
      {"fr", 15204, "15\u202F204"}, {"fr", 3812, "3812"}, {"fr", 1234567, "1\u202F234\u202F567"},
      {"en", 15204, "15,204"},       {"en", 3812, "3,812"}, {"en", 999, "999"},
      {"en-GB", 1000000, "1,000,000"}, {"de", 3812, "3.812"}, {"de", 15204, "15.204"},
      {"es", 3812, "3812"},          {"es", 15204, "15.204"}, {"pt-BR", 3812, "3.812"},
      {"it", 15204, "15,204"},       {"fr", 0, "0"},        {"en", -15204, "-15,204"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    char *got = kq_l10n_number(cases[i].lang, cases[i].n);
    assert_string_equal(got, cases[i].want);
    g_free(got);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_dates),
      cmocka_unit_test(test_ranges),
      cmocka_unit_test(test_week_titles_and_labels),
      cmocka_unit_test(test_numbers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
