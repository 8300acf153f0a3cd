/* test_typo_hyphen.c: hyphenation (HY-1 to HY-6): break points from tests/typo/hyphen.tsv, eligibility, last word, runs, threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kiosque/typo.h"

#define SHY "\xc2\xad"

static KqTypo *typo;

static int setup(void **state)
{
  typo = kq_typo_new(NULL);
  return 0;
}

static int teardown(void **state)
{
  kq_typo_free(typo);
  return 0;
}

/* SHY shown as '-' (the table's notation). */
static char *dashed(const char *s)
{
  GString *out = g_string_new(NULL);
  for (const char *p = s; *p;) {
    if (g_str_has_prefix(p, SHY)) {
      g_string_append_c(out, '-');
      p += 2;
    } else {
      g_string_append_c(out, *p++);
    }
  }
  return g_string_free(out, FALSE);
}

static char *hyph(KqTypo *t, const char *text, const char *lang)
{
  char *h = kq_typo_hyphenate(t, text, lang);
  char *d = dashed(h);
  g_free(h);
  return d;
}

/* HY-2, HY-4: every row of the table; the word is followed by another
 * word since a paragraph's last word is never hyphenated (HY-6). */
static void test_typo_hyphen_table_HY2_HY4(void **state)
{
  char *data = NULL;
  assert_true(g_file_get_contents("typo/hyphen.tsv", &data, NULL, NULL));
  char **lines = g_strsplit(data, "\n", -1);
  guint n = 0, failures = 0;
  gboolean header = FALSE;
  for (int i = 0; lines[i]; i++) {
    if (!lines[i][0] || lines[i][0] == '#')
      continue;
    if (!header) {
      header = TRUE;
      continue;
    }
    char **f = g_strsplit(lines[i], "\t", -1);
    assert_true(g_strv_length(f) >= 4);
    char *text = g_strconcat(f[2], " fin", NULL);
    char *expected = g_strconcat(f[3], " fin", NULL);
    char *got = hyph(typo, text, f[1]);
    if (strcmp(got, expected) != 0) {
      print_error("%s [%s] %s: expected %s, got %s\n", f[0], f[1], f[2], expected, got);
      failures++;
    }
    n++;
    g_free(got);
    g_free(expected);
    g_free(text);
    g_strfreev(f);
  }
  g_strfreev(lines);
  g_free(data);
  assert_true(n >= 40);
  assert_int_equal(failures, 0);
}

/* typographie.md's own examples. */
static void test_typo_hyphen_examples_HY2(void **state)
{
  char *s = hyph(typo, "la typographie et l’expérience du zéro et de la démo ici", "fr");
  assert_string_equal(s, "la ty-po-gra-phie et l’ex-pé-rience du zéro et de la démo ici");
  g_free(s);
}

/* HY-3: not hyphenated: capitalized words, acronyms, CamelCase, words
 * with digits, compounds, URLs, e-mail addresses; HY-4: lower-casing. */
static void test_typo_hyphen_eligibility_HY3(void **state)
{
  char *s = hyph(typo,
                 "Typographie TYPOGRAPHIE OpenAI iPhone IA typographie2 porte-parole "
                 "semi-conducteurs https://typographie.example.org/typographie "
                 "typographie@example.org typographie_x typographie fin",
                 "fr");
  assert_string_equal(s, "Typographie TYPOGRAPHIE OpenAI iPhone IA typographie2 porte-parole "
                         "semi-conducteurs https://typographie.example.org/typographie "
                         "typographie@example.org typographie_x ty-po-gra-phie fin");
  g_free(s);
}

/* HY-3, HY-6: no soft hyphen in the last word of a paragraph, punctuation
 * after it or not. */
static void test_typo_hyphen_last_word_HY6(void **state)
{
  char *s = hyph(typo, "typographie typographie", "fr");
  assert_string_equal(s, "ty-po-gra-phie typographie");
  g_free(s);
  s = hyph(typo, "typographie typographie\xe2\x80\xaf?", "fr");
  assert_string_equal(s, "ty-po-gra-phie typographie\xe2\x80\xaf?");
  g_free(s);
  s = hyph(typo, "typographie", "fr");
  assert_string_equal(s, "typographie");
  g_free(s);
}

/* HY-5: soft hyphens already in the text are replaced, so hyphenating
 * twice equals hyphenating once; other languages: unchanged copy. */
static void test_typo_hyphen_idempotent_HY5(void **state)
{
  char *once = kq_typo_hyphenate(typo, "une expérience in" SHY "croyable ici", "fr");
  char *twice = kq_typo_hyphenate(typo, once, "fr");
  assert_string_equal(once, twice);
  char *d = dashed(once);
  assert_string_equal(d, "une ex-pé-rience in-croyable ici"); /* libhyphen: in-croyable */
  g_free(d);
  g_free(once);
  g_free(twice);
  char *de = kq_typo_hyphenate(typo, "Silbentrennung ist schwierig", "de");
  assert_string_equal(de, "Silbentrennung ist schwierig");
  g_free(de);
}

/* Over runs: code runs untouched, styles kept, SHY inside the styled run. */
static void test_typo_hyphen_runs_HY3(void **state)
{
  GPtrArray *in = kq_runs_new();
  kq_runs_append_text(in, 0, "La ", -1, NULL);
  kq_runs_append_text(in, KQ_STYLE_EMPH, "typographie", -1, NULL);
  kq_runs_append_text(in, 0, " et ", -1, NULL);
  kq_runs_append_text(in, KQ_STYLE_CODE, "typographie", -1, NULL);
  kq_runs_append_text(in, 0, " et l’expérience", -1, NULL);
  GPtrArray *out = kq_typo_hyphenate_runs(typo, in, "fr");
  assert_int_equal(out->len, 5);
  const char *want[] = {"La ", "ty" SHY "po" SHY "gra" SHY "phie", " et ", "typographie",
                        " et l’expérience"};
  guint styles[] = {0, KQ_STYLE_EMPH, 0, KQ_STYLE_CODE, 0};
  for (guint i = 0; i < 5; i++) {
    KqRun *r = g_ptr_array_index(out, i);
    assert_string_equal(r->text, want[i]);
    assert_int_equal(r->style, styles[i]);
  }
  g_ptr_array_unref(out);
  g_ptr_array_unref(in);
}

/* HY-1: the dictionary folder is configurable; a missing dictionary is
 * reported and hyphenation then inserts nothing. */
static void test_typo_hyphen_dictionary_dir_HY1(void **state)
{
  KqTypo *t = kq_typo_new(KQ_HYPHEN_DIR);
  char *s = hyph(t, "typographie fin", "fr");
  assert_string_equal(s, "ty-po-gra-phie fin");
  g_free(s);
  kq_typo_free(t);
  t = kq_typo_new("/nonexistent/kiosque-hyphen");
  GError *err = NULL;
  assert_false(kq_typo_hyphen_available(t, "fr", &err));
  assert_true(g_error_matches(err, KQ_TYPO_ERROR, KQ_TYPO_ERROR_DICT));
  g_error_free(err);
  s = hyph(t, "typographie fin", "fr");
  assert_string_equal(s, "typographie fin");
  g_free(s);
  assert_true(kq_typo_hyphen_available(t, "de", NULL));
  kq_typo_free(t);
}

/* Dictionaries load lazily and once: threads share one engine. */
static gpointer hyphen_thread(gpointer data)
{
  KqTypo *t = data;
  gboolean ok = TRUE;
  for (int i = 0; i < 200 && ok; i++) {
    char *s = kq_typo_hyphenate(t, i % 2 ? "une architecture économe fin" : "the typography rules",
                                i % 2 ? "fr" : "en");
    char *d = dashed(s);
    ok = strcmp(d, i % 2 ? "une ar-chi-tec-ture éco-nome fin" : "the ty-pog-ra-phy rules") == 0;
    g_free(d);
    g_free(s);
  }
  return GINT_TO_POINTER(ok);
}

static void test_typo_hyphen_threads_HY1(void **state)
{
  KqTypo *t = kq_typo_new(NULL);
  GThread *threads[4];
  for (int i = 0; i < 4; i++)
    threads[i] = g_thread_new("hyphen", hyphen_thread, t);
  for (int i = 0; i < 4; i++)
    assert_true(GPOINTER_TO_INT(g_thread_join(threads[i])));
  kq_typo_free(t);
}

/* kq_typo never inserts SHY itself (issue 4, HY-5). */
static void test_typo_never_inserts_shy_HY5(void **state)
{
  char *s = kq_typo_text(typo, "La typographie est une expérience incroyable.", "fr");
  assert_null(strstr(s, SHY));
  g_free(s);
}

/* HY-6: the layout helper removes the SHYs of one word only. */
static void test_typo_unhyphenate_word_HY6(void **state)
{
  char *h = kq_typo_hyphenate(typo, "la typographie et l’expérience fin", "fr");
  char *d = dashed(h);
  assert_string_equal(d, "la ty-po-gra-phie et l’ex-pé-rience fin");
  g_free(d);
  const char *p = strstr(h, "gra");
  assert_int_equal(kq_typo_unhyphenate_word(h, (gsize)(p - h)), 6);
  d = dashed(h);
  assert_string_equal(d, "la typographie et l’ex-pé-rience fin");
  g_free(d);
  /* an index just after the word (a line's end) also works */
  p = strstr(h, " fin");
  assert_int_equal(kq_typo_unhyphenate_word(h, (gsize)(p - h)), 4);
  assert_string_equal(h, "la typographie et l’expérience fin");
  assert_int_equal(kq_typo_unhyphenate_word(h, 0), 0);
  assert_int_equal(kq_typo_unhyphenate_word(h, strlen(h)), 0);
  assert_int_equal(kq_typo_unhyphenate_word(h, 9999), 0);
  g_free(h);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_typo_hyphen_table_HY2_HY4),
      cmocka_unit_test(test_typo_hyphen_examples_HY2),
      cmocka_unit_test(test_typo_hyphen_eligibility_HY3),
      cmocka_unit_test(test_typo_hyphen_last_word_HY6),
      cmocka_unit_test(test_typo_hyphen_idempotent_HY5),
      cmocka_unit_test(test_typo_hyphen_runs_HY3),
      cmocka_unit_test(test_typo_hyphen_dictionary_dir_HY1),
      cmocka_unit_test(test_typo_hyphen_threads_HY1),
      cmocka_unit_test(test_typo_never_inserts_shy_HY5),
      cmocka_unit_test(test_typo_unhyphenate_word_HY6),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
