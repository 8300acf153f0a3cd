/* test_collect.c: dedupe, filters, ordering, edition language and group titles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "kiosque/collect.h"

static KqArticle *make(const char *title, const char *date, const char *lang, const char *topic,
                       const char *site, const char *url, const char *body)
{
  KqArticle *a = kq_article_new("mem", KQ_FORMAT_MARKDOWN);
  kq_set_string(&a->title, title);
  if (date)
    assert_true(kq_date_parse(date, &a->published, NULL));
  kq_set_string(&a->lang, lang);
  if (topic)
    kq_strv_add_unique(a->topics, topic);
  kq_set_string(&a->site, site);
  kq_set_string(&a->url, url);
  GPtrArray *blocks = kq_blocks_from_plain_text(body ? body : "Du texte.", -1);
  g_ptr_array_unref(a->blocks);
  a->blocks = blocks;
  kq_article_finish(a);
  return a;
}

static GPtrArray *sample(void)
{
  GPtrArray *v = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  g_ptr_array_add(v, make("Puces H200", "2026-01-30", "fr", "Technologie", "Site A",
                          "https://a.example/h200", "Un deux trois."));
  g_ptr_array_add(v, make("Open source", "2026-02-02T10:00:00+01:00", "fr", "Logiciel libre",
                          "Site B", NULL, NULL));
  g_ptr_array_add(v, make("Rockets", "2026-03-15", "en", "Espace", "Site C", NULL, NULL));
  g_ptr_array_add(v, make("Antivirus", "2026-01-26", "fr", "Sécurité", "Site A", NULL, NULL));
  g_ptr_array_add(v, make("Sans date", NULL, "fr", NULL, NULL, NULL, NULL));
  return v;
}

static void test_dedupe_url_keeps_longest(void **state)
{
  GPtrArray *v = sample();
  /* same URL apart from scheme, www. and a trailing slash: a duplicate */
  g_ptr_array_add(v, make("Puces H200 (version longue)", "2026-01-30", "fr", "Technologie",
                          "Site A", "http://www.a.example/h200/",
                          "Un deux trois quatre cinq six sept huit."));
  /* same title and day, no URL: a duplicate of "Rockets" */
  g_ptr_array_add(v, make("rockets!", "2026-03-15T23:00:00+00:00", "en", "Espace", "Site C", NULL,
                          "short"));
  kq_collect_dedupe(v, NULL);
  assert_int_equal(v->len, 5);
  const KqArticle *first = g_ptr_array_index(v, 0);
  assert_string_equal(first->title, "Puces H200 (version longue)");
  const KqArticle *rockets = g_ptr_array_index(v, 2);
  assert_string_equal(rockets->title, "Rockets");
  g_ptr_array_unref(v);
}

static const char *group_of(const KqEdition *ed, guint i)
{
  return ((KqGroup *)g_ptr_array_index(ed->groups, i))->key;
}

static void test_group_by_month_fr(void **state)
{
  KqCollectOptions o;
  kq_collect_options_init(&o);
  KqEdition *ed = kq_edition_new_take(sample(), &o);
  assert_string_equal(ed->lang, "fr");
  assert_int_equal(ed->groups->len, 4);
  assert_string_equal(group_of(ed, 0), "2026-01");
  assert_string_equal(((KqGroup *)g_ptr_array_index(ed->groups, 0))->title, "Janvier 2026");
  assert_string_equal(group_of(ed, 1), "2026-02");
  assert_string_equal(group_of(ed, 2), "2026-03");
  assert_string_equal(group_of(ed, 3), "undated");
  assert_string_equal(((KqGroup *)g_ptr_array_index(ed->groups, 3))->title, "Sans date");
  /* oldest first inside the group */
  const KqArticle *a0 = g_ptr_array_index(ed->articles, 0);
  assert_string_equal(a0->title, "Antivirus");
  assert_string_equal(ed->period, "janvier – mars 2026");
  assert_string_equal(ed->period_key, "2026-01-2026-03");
  assert_string_equal(ed->title, "Revue de presse tech — janvier – mars 2026");
  assert_string_equal(ed->file_stem, "revue-de-presse-tech-2026-01-2026-03");
  /* a title's words name the file (words that slug to nothing: kq_slugify's "kiosque") */
  kq_edition_set_file_stem(ed, "Ma revue : l'été");
  assert_string_equal(ed->file_stem, "ma-revue-l-ete-2026-01-2026-03");
  kq_edition_set_file_stem(ed, "???");
  assert_string_equal(ed->file_stem, "kiosque-2026-01-2026-03");
  kq_edition_free(ed);
  kq_collect_options_clear(&o);
}

static void test_group_by_week_titles(void **state)
{
  static const struct {
    const char *lang, *title;
  } cases[] = {
      {"fr", "Semaine 5 · 26 janvier – 1er février 2026"},
      {"en", "Week 5 · January 26 – February 1, 2026"},
      {"de", "Woche 5 · 26. Januar – 1. Februar 2026"},
      {"es", "Semana 5 · 26 de enero – 1 de febrero de 2026"},
      {"pt", "Semana 5 · 26 de janeiro – 1 de fevereiro de 2026"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    KqCollectOptions o;
    kq_collect_options_init(&o);
    o.group_by = KQ_GROUP_WEEK;
    o.edition_lang = g_strdup(cases[i].lang);
    KqEdition *ed = kq_edition_new_take(sample(), &o);
    assert_string_equal(group_of(ed, 0), "2026-W05");
    assert_string_equal(((KqGroup *)g_ptr_array_index(ed->groups, 0))->title, cases[i].title);
    kq_edition_free(ed);
    kq_collect_options_clear(&o);
  }
}

static void test_month_titles_five_languages(void **state)
{
  static const struct {
    const char *lang, *title;
  } cases[] = {
      {"fr", "Janvier 2026"}, {"en", "January 2026"}, {"de", "Januar 2026"},
      {"es", "Enero 2026"},   {"pt", "Janeiro 2026"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    KqCollectOptions o;
    kq_collect_options_init(&o);
    o.edition_lang = g_strdup(cases[i].lang);
    KqEdition *ed = kq_edition_new_take(sample(), &o);
    assert_string_equal(((KqGroup *)g_ptr_array_index(ed->groups, 0))->title, cases[i].title);
    kq_edition_free(ed);
    kq_collect_options_clear(&o);
  }
}

static void test_group_by_topic_and_site(void **state)
{
  KqCollectOptions o;
  kq_collect_options_init(&o);
  o.group_by = KQ_GROUP_TOPIC;
  KqEdition *ed = kq_edition_new_take(sample(), &o);
  /* alphabetical, accents ignored, the catch-all last */
  assert_int_equal(ed->groups->len, 5);
  assert_string_equal(group_of(ed, 0), "espace");
  assert_string_equal(group_of(ed, 1), "logiciel-libre");
  assert_string_equal(group_of(ed, 2), "securite");
  assert_string_equal(group_of(ed, 3), "technologie");
  assert_string_equal(group_of(ed, 4), "uncategorized");
  assert_string_equal(((KqGroup *)g_ptr_array_index(ed->groups, 4))->title, "Sans rubrique");
  kq_edition_free(ed);
  o.group_by = KQ_GROUP_SITE;
  ed = kq_edition_new_take(sample(), &o);
  assert_string_equal(group_of(ed, 0), "site-a");
  assert_int_equal(((KqGroup *)g_ptr_array_index(ed->groups, 0))->articles->len, 2);
  kq_edition_free(ed);
  o.group_by = KQ_GROUP_DAY;
  o.edition_lang = g_strdup("en");
  ed = kq_edition_new_take(sample(), &o);
  assert_string_equal(group_of(ed, 0), "2026-01-26");
  assert_string_equal(((KqGroup *)g_ptr_array_index(ed->groups, 0))->title, "Monday, January 26, 2026");
  kq_edition_free(ed);
  o.group_by = KQ_GROUP_YEAR;
  ed = kq_edition_new_take(sample(), &o);
  assert_string_equal(group_of(ed, 0), "2026");
  kq_edition_free(ed);
  kq_collect_options_clear(&o);
}

static guint count_with(GPtrArray *articles, KqCollectOptions *o)
{
  KqEdition *ed = kq_edition_new_take(articles, o);
  guint n = ed->articles->len;
  kq_edition_free(ed);
  return n;
}

static void test_filters(void **state)
{
  KqCollectOptions o;
  kq_collect_options_init(&o);
  kq_date_make(&o.since, 2026, 1, 30, FALSE, 0, 0, 0, 0);
  assert_int_equal(count_with(sample(), &o), 3); /* undated dropped by a date filter */
  kq_date_make(&o.until, 2026, 2, 2, FALSE, 0, 0, 0, 0);
  assert_int_equal(count_with(sample(), &o), 2); /* both ends inclusive */
  o.since.set = o.until.set = FALSE;
  o.month_year = 2026;
  o.month = 1;
  assert_int_equal(count_with(sample(), &o), 2);
  o.month = 0;
  g_ptr_array_add(o.topics, g_strdup("sécurité"));
  g_ptr_array_add(o.topics, g_strdup("ESPACE"));
  assert_int_equal(count_with(sample(), &o), 2); /* any topic matches, case and accents */
  g_ptr_array_set_size(o.topics, 0);
  g_ptr_array_add(o.langs, g_strdup("en"));
  assert_int_equal(count_with(sample(), &o), 1);
  g_ptr_array_set_size(o.langs, 0);
  g_ptr_array_add(o.sites, g_strdup("site a"));
  assert_int_equal(count_with(sample(), &o), 2);
  kq_collect_options_clear(&o);
}

/* A closed span of days names the edition (issue 13 item 3): an ISO week, a
 * day, any span; whole months keep the month form. */
static void test_day_span_period(void **state)
{
  static const struct {
    int y1, m1, d1, y2, m2, d2;
    const char *lang, *period, *key;
  } cases[] = {
      {2026, 1, 26, 2026, 2, 1, "fr", "26 janvier – 1er février 2026", "2026-w05"},
      {2026, 1, 26, 2026, 2, 1, "en", "January 26 – February 1, 2026", "2026-w05"},
      {2026, 1, 27, 2026, 1, 30, "de", "27. – 30. Januar 2026", "2026-01-27-2026-01-30"},
      {2026, 1, 30, 2026, 1, 30, "es", "30 de enero de 2026", "2026-01-30"},
      {2026, 1, 1, 2026, 2, 28, "fr", "janvier – février 2026", "2026-01-2026-02"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    KqCollectOptions o;
    kq_collect_options_init(&o);
    o.edition_lang = g_strdup(cases[i].lang);
    kq_date_make(&o.since, cases[i].y1, cases[i].m1, cases[i].d1, FALSE, 0, 0, 0, 0);
    kq_date_make(&o.until, cases[i].y2, cases[i].m2, cases[i].d2, FALSE, 0, 0, 0, 0);
    KqEdition *ed = kq_edition_new_take(sample(), &o);
    assert_string_equal(ed->period, cases[i].period);
    assert_string_equal(ed->period_key, cases[i].key);
    kq_edition_free(ed);
    kq_collect_options_clear(&o);
  }
}

static void test_reverse_and_edition_lang(void **state)
{
  KqCollectOptions o;
  kq_collect_options_init(&o);
  o.reverse = TRUE;
  KqEdition *ed = kq_edition_new_take(sample(), &o);
  assert_string_equal(group_of(ed, 0), "2026-03");
  const KqArticle *last = g_ptr_array_index(ed->articles, ed->articles->len - 1);
  assert_false(last->published.set); /* undated stays last */
  kq_edition_free(ed);
  kq_collect_options_clear(&o);
}

static void test_split_edition(void **state)
{
  KqCollectOptions o;
  kq_collect_options_init(&o);
  o.title = g_strdup("Revue tech");
  KqEdition *ed = kq_edition_new_take(sample(), &o);
  KqEdition *jan = kq_edition_new_for_group(ed, 0, &o);
  assert_int_equal(jan->articles->len, 2);
  assert_string_equal(jan->file_stem, "revue-tech-2026-01");
  /* issue 15: the period written as --month writes it, not as the group heading */
  assert_string_equal(jan->title, "Revue tech — janvier 2026");
  assert_string_equal(jan->period, "janvier 2026");
  kq_edition_free(jan);
  assert_string_equal(ed->title, "Revue tech");
  kq_edition_free(ed);
  kq_collect_options_clear(&o);
}

static void test_slugify(void **state)
{
  char *s = kq_slugify("Revue tech — Œuvres « complètes » & Straße 2026");
  assert_string_equal(s, "revue-tech-oeuvres-completes-strasse-2026");
  g_free(s);
  s = kq_slugify("???");
  assert_string_equal(s, "kiosque");
  g_free(s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dedupe_url_keeps_longest),
      cmocka_unit_test(test_group_by_month_fr),
      cmocka_unit_test(test_group_by_week_titles),
      cmocka_unit_test(test_month_titles_five_languages),
      cmocka_unit_test(test_group_by_topic_and_site),
      cmocka_unit_test(test_filters),
      cmocka_unit_test(test_day_span_period),
      cmocka_unit_test(test_reverse_and_edition_lang),
      cmocka_unit_test(test_split_edition),
      cmocka_unit_test(test_slugify),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
