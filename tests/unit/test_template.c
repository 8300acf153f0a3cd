/* test_template.c: title and file-name templates ({title} {period} {group} {month} {year} {yyyy} {mm} {dd} {ww} {n}). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "kiosque/template.h"

typedef struct {
  const char *tmpl;
  const char *lang;
  const char *date; /* NULL: unset */
  KqTemplateMode mode;
  const char *want;
} Case;

static const Case cases[] = {
    {"Revue tech — {month} {year}", "fr", "2026-02-14", KQ_TEMPLATE_TEXT,
     "Revue tech — février 2026"},
    {"Revue tech — {Month} {year}", "fr", "2026-02-14", KQ_TEMPLATE_TEXT,
     "Revue tech — Février 2026"},
    {"Tech — {month} {year}", "en", "2026-02-14", KQ_TEMPLATE_TEXT, "Tech — February 2026"},
    {"{month}", "de", "2026-03-01", KQ_TEMPLATE_TEXT, "März"},
    {"{month}", "es", "2026-01-01", KQ_TEMPLATE_TEXT, "enero"},
    {"{month}", "pt-BR", "2026-12-01", KQ_TEMPLATE_TEXT, "dezembro"},
    {"{month}", "nl", "2026-12-01", KQ_TEMPLATE_TEXT, "December"}, /* English otherwise */
    {"revue-{yyyy}-{mm}.epub", "fr", "2026-02-14", KQ_TEMPLATE_FILE_NAME, "revue-2026-02.epub"},
    {"revue-{yyyy}-{mm}-{dd}.pdf", "fr", "2026-02-04", KQ_TEMPLATE_FILE_NAME,
     "revue-2026-02-04.pdf"},
    {"{year}|{yyyy}", "fr", "0987-02-04", KQ_TEMPLATE_TEXT, "987|0987"},
    {"hebdo-{isoyear}-w{ww}", "fr", "2026-02-04", KQ_TEMPLATE_FILE_NAME, "hebdo-2026-w06"},
    /* 1 January 2027 lies in week 53 of 2026: {isoyear} goes with {ww}, {yyyy} does not */
    {"{yyyy} {isoyear}-W{ww}", "fr", "2027-01-01", KQ_TEMPLATE_TEXT, "2027 2026-W53"},
    {"{yyyy} {isoyear}-W{ww}", "fr", "2019-12-30", KQ_TEMPLATE_TEXT, "2019 2020-W01"},
    {"revue-{month}.epub", "fr", "2026-02-14", KQ_TEMPLATE_FILE_NAME, "revue-fevrier.epub"},
    {"{title}-{n}.epub", "fr", "2026-02-14", KQ_TEMPLATE_FILE_NAME,
     "revue-de-presse-tech-fevrier-2026-3.epub"},
    {"{title} ({n})", "fr", "2026-02-14", KQ_TEMPLATE_TEXT,
     "Revue de presse tech — février 2026 (3)"},
    {"{period} / {group}", "fr", "2026-02-14", KQ_TEMPLATE_TEXT,
     "février 2026 / Sécurité / réseaux"},
    {"{period}_{group}", "fr", "2026-02-14", KQ_TEMPLATE_FILE_NAME,
     "fevrier-2026_securite-reseaux"},
    {"{{literal}} {yyyy}}", "fr", "2026-02-14", KQ_TEMPLATE_TEXT, "{literal} 2026}"},
    {"plain text, no placeholder", "fr", NULL, KQ_TEMPLATE_TEXT, "plain text, no placeholder"},
    {"", "fr", NULL, KQ_TEMPLATE_TEXT, ""},
    /* unknown values expand to nothing */
    {"revue-{yyyy}{mm}{month}{ww}.epub", "fr", NULL, KQ_TEMPLATE_FILE_NAME, "revue-.epub"},
};

static void test_expand(void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    const Case *c = &cases[i];
    KqTemplateVars v = {0};
    v.title = "Revue de presse tech — février 2026";
    v.period = "février 2026";
    v.group = "Sécurité / réseaux";
    v.lang = c->lang;
    v.n = 3;
    if (c->date)
      assert_true(kq_date_parse(c->date, &v.date, NULL));
    GError *err = NULL;
    char *got = kq_template_expand(c->tmpl, &v, c->mode, &err);
    if (!got)
      fail_msg("case %zu \"%s\": %s", i, c->tmpl, err->message);
    if (strcmp(got, c->want) != 0)
      fail_msg("case %zu \"%s\": got \"%s\", want \"%s\"", i, c->tmpl, got, c->want);
    assert_true(kq_template_check(c->tmpl, NULL));
    g_free(got);
  }
}

static void test_unset_n_and_strings(void **state)
{
  KqTemplateVars v = {0};
  char *got = kq_template_expand("a{n}b{title}c{group}d{period}e", &v, KQ_TEMPLATE_TEXT, NULL);
  assert_string_equal(got, "abcde");
  g_free(got);
}

typedef struct {
  const char *tmpl;
  int code;
  const char *in_message;
} BadCase;

static const BadCase bad[] = {
    {"revue-{yyyy", KQ_TEMPLATE_ERROR_SYNTAX, "offset 6"},
    {"{", KQ_TEMPLATE_ERROR_SYNTAX, "no closing"},
    {"{mm{dd}}", KQ_TEMPLATE_ERROR_SYNTAX, "offset 0"},
    {"revue-{day}.epub", KQ_TEMPLATE_ERROR_UNKNOWN, "{day}"},
    {"{YYYY}", KQ_TEMPLATE_ERROR_UNKNOWN, "{YYYY}"},
    {"{}", KQ_TEMPLATE_ERROR_UNKNOWN, "{}"},
    {"{ title }", KQ_TEMPLATE_ERROR_UNKNOWN, "{ title }"},
};

static void test_errors(void **state)
{
  KqTemplateVars v = {0};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    GError *err = NULL;
    char *got = kq_template_expand(bad[i].tmpl, &v, KQ_TEMPLATE_TEXT, &err);
    if (got)
      fail_msg("case %zu \"%s\": accepted as \"%s\"", i, bad[i].tmpl, got);
    assert_true(g_error_matches(err, KQ_TEMPLATE_ERROR, bad[i].code));
    if (!strstr(err->message, bad[i].in_message))
      fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, err->message, bad[i].in_message);
    g_clear_error(&err);
    assert_false(kq_template_check(bad[i].tmpl, &err));
    assert_true(g_error_matches(err, KQ_TEMPLATE_ERROR, bad[i].code));
    g_clear_error(&err);
  }
}

static void test_uses(void **state)
{
  assert_true(kq_template_uses("revue-{n}.epub", "n"));
  assert_false(kq_template_uses("revue-{{n}}.epub", "n"));
  assert_false(kq_template_uses("revue-{mm}.epub", "n"));
  assert_true(kq_template_has_placeholders("x{ww}"));
  assert_false(kq_template_has_placeholders("x{{ww}}"));
  assert_false(kq_template_has_placeholders("revue.epub"));
  assert_false(kq_template_has_placeholders(NULL));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_expand),
      cmocka_unit_test(test_unset_n_and_strings),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_uses),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
