/* test_typo_runs.c: typography over the model's runs and articles (G-2 protection, cross-run rules, FR-9 superscripts, G-5 languages). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kiosque/typo.h"

#define NBSP "\xc2\xa0"
#define NNBSP "\xe2\x80\xaf"

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

static KqRun *run_new(guint style, const char *text, const char *href, const char *lang)
{
  KqRun *r = kq_run_new(text ? KQ_RUN_TEXT : KQ_RUN_BREAK, style, text, href);
  r->lang = g_strdup(lang);
  return r;
}

/* Expected run: style, text, href. */
typedef struct {
  guint style;
  const char *text; /* NULL: a break */
  const char *href;
} Want;

static void assert_runs(const GPtrArray *runs, const Want *want, gsize n)
{
  if (runs->len != n) {
    for (guint i = 0; i < runs->len; i++) {
      const KqRun *r = g_ptr_array_index(runs, i);
      print_error("run %u: style %u text [%s]\n", i, r->style, r->text ? r->text : "(break)");
    }
    fail_msg("%u runs, expected %zu", runs->len, n);
  }
  for (gsize i = 0; i < n; i++) {
    const KqRun *r = g_ptr_array_index(runs, i);
    assert_int_equal(r->style, want[i].style);
    if (!want[i].text) {
      assert_int_equal(r->kind, KQ_RUN_BREAK);
      continue;
    }
    assert_string_equal(r->text, want[i].text);
    assert_true(g_strcmp0(r->href, want[i].href) == 0);
  }
}

/* kq_typo_runs(), then checks T(T(x)) == T(x) on the runs. */
static GPtrArray *typeset(GPtrArray *in, const char *lang)
{
  GPtrArray *out = kq_typo_runs(typo, in, lang);
  GPtrArray *again = kq_typo_runs(typo, out, lang);
  assert_int_equal(again->len, out->len);
  for (guint i = 0; i < out->len; i++) {
    const KqRun *a = g_ptr_array_index(out, i), *b = g_ptr_array_index(again, i);
    assert_int_equal(a->style, b->style);
    assert_true(g_strcmp0(a->text, b->text) == 0);
    assert_true(g_strcmp0(a->href, b->href) == 0);
  }
  g_ptr_array_unref(again);
  g_ptr_array_unref(in);
  return out;
}

/* FR-3 across runs: « <em>mot</em> » */
static void test_typo_runs_FR3_across_runs(void **state)
{
  GPtrArray *in = kq_runs_new();
  g_ptr_array_add(in, run_new(0, "«", NULL, NULL));
  g_ptr_array_add(in, run_new(KQ_STYLE_EMPH, "mot", NULL, NULL));
  g_ptr_array_add(in, run_new(0, "»", NULL, NULL));
  GPtrArray *out = typeset(in, "fr");
  Want want[] = {{0, "«" NBSP, NULL}, {KQ_STYLE_EMPH, "mot", NULL}, {0, NBSP "»", NULL}};
  assert_runs(out, want, G_N_ELEMENTS(want));
  g_ptr_array_unref(out);
}

/* FR-1 across runs: <strong>Attention</strong> ! and <em>Hein</em>? */
static void test_typo_runs_FR1_across_runs(void **state)
{
  GPtrArray *in = kq_runs_new();
  g_ptr_array_add(in, run_new(KQ_STYLE_STRONG, "Attention", NULL, NULL));
  g_ptr_array_add(in, run_new(0, " ! Et ", NULL, NULL));
  g_ptr_array_add(in, run_new(KQ_STYLE_EMPH, "toi", NULL, NULL));
  g_ptr_array_add(in, run_new(0, "?", NULL, NULL));
  GPtrArray *out = typeset(in, "fr");
  Want want[] = {{KQ_STYLE_STRONG, "Attention", NULL},
                 {0, NNBSP "! Et ", NULL},
                 {KQ_STYLE_EMPH, "toi", NULL},
                 {0, NNBSP "?", NULL}};
  assert_runs(out, want, G_N_ELEMENTS(want));
  g_ptr_array_unref(out);
}

/* G-2a: code runs are copied unchanged and count as one opaque character. */
static void test_typo_runs_G2_code_untouched(void **state)
{
  GPtrArray *in = kq_runs_new();
  g_ptr_array_add(in, run_new(0, "Tapez ", NULL, NULL));
  g_ptr_array_add(in, run_new(KQ_STYLE_CODE, "a ; b ? \"c\" ...", NULL, NULL));
  g_ptr_array_add(in, run_new(0, "!", NULL, NULL));
  GPtrArray *out = typeset(in, "fr");
  Want want[] = {{0, "Tapez ", NULL},
                 {KQ_STYLE_CODE, "a ; b ? \"c\" ...", NULL},
                 {0, NNBSP "!", NULL}};
  assert_runs(out, want, G_N_ELEMENTS(want));
  g_ptr_array_unref(out);
}

/* Links: the text is typeset, the href never changes; a link whose text is
 * a URL is protected (G-2b). */
static void test_typo_runs_G2_links(void **state)
{
  const char *href = "https://example.org/a?b=1 ; c";
  GPtrArray *in = kq_runs_new();
  g_ptr_array_add(in, run_new(0, "Voir ", NULL, NULL));
  g_ptr_array_add(in, run_new(0, "ce \"lien\" ?", href, NULL));
  g_ptr_array_add(in, run_new(0, " et ", NULL, NULL));
  g_ptr_array_add(in, run_new(0, "https://x.fr/a?b", "https://x.fr/a?b", NULL));
  g_ptr_array_add(in, run_new(0, " !", NULL, NULL));
  GPtrArray *out = typeset(in, "fr");
  Want want[] = {{0, "Voir ", NULL},
                 {0, "ce «" NBSP "lien" NBSP "»" NNBSP "?", href},
                 {0, " et ", NULL},
                 {0, "https://x.fr/a?b", "https://x.fr/a?b"},
                 {0, NNBSP "!", NULL}};
  assert_runs(out, want, G_N_ELEMENTS(want));
  g_ptr_array_unref(out);
}

/* FR-9d: ordinal suffixes become superscript runs; already superscript
 * input stays so; FR-9c no-break space after. */
static void test_typo_runs_FR9_superscript(void **state)
{
  GPtrArray *in = kq_runs_new();
  g_ptr_array_add(in, run_new(0, "Au 19ème siècle, le ", NULL, NULL));
  g_ptr_array_add(in, run_new(KQ_STYLE_EMPH, "1", NULL, NULL));
  g_ptr_array_add(in, run_new(KQ_STYLE_EMPH | KQ_STYLE_SUP, "er", NULL, NULL));
  g_ptr_array_add(in, run_new(0, " mai", NULL, NULL));
  GPtrArray *out = typeset(in, "fr");
  Want want[] = {{0, "Au 19", NULL},
                 {KQ_STYLE_SUP, "e", NULL},
                 {0, NBSP "siècle, le ", NULL},
                 {KQ_STYLE_EMPH, "1", NULL},
                 {KQ_STYLE_EMPH | KQ_STYLE_SUP, "er", NULL},
                 {0, NBSP "mai", NULL}};
  assert_runs(out, want, G_N_ELEMENTS(want));
  g_ptr_array_unref(out);
  /* G-6: plain text keeps the suffix on the baseline */
  char *t = kq_typo_text(typo, "Au 19ème siècle", "fr");
  assert_string_equal(t, "Au 19e" NBSP "siècle");
  g_free(t);
}

/* G-5: a run's own language wins for that run. */
static void test_typo_runs_G5_run_language(void **state)
{
  GPtrArray *in = kq_runs_new();
  g_ptr_array_add(in, run_new(0, "Il a dit ", NULL, NULL));
  g_ptr_array_add(in, run_new(KQ_STYLE_EMPH, "\"wait ?\" don't", NULL, "en-US"));
  g_ptr_array_add(in, run_new(0, " puis \"oui\" ?", NULL, NULL));
  GPtrArray *out = typeset(in, "fr");
  Want want[] = {{0, "Il a dit ", NULL},
                 {KQ_STYLE_EMPH, "“wait?” don’t", NULL},
                 {0, " puis «" NBSP "oui" NBSP "»" NNBSP "?", NULL}};
  assert_runs(out, want, G_N_ELEMENTS(want));
  assert_string_equal(((KqRun *)g_ptr_array_index(out, 1))->lang, "en-US");
  g_ptr_array_unref(out);
}

/* Hard line breaks survive and act as line starts. */
static void test_typo_runs_break_kept(void **state)
{
  GPtrArray *in = kq_runs_new();
  g_ptr_array_add(in, run_new(0, "Ligne un ? ", NULL, NULL));
  g_ptr_array_add(in, run_new(0, NULL, NULL, NULL));
  g_ptr_array_add(in, run_new(0, "? deux", NULL, NULL));
  GPtrArray *out = typeset(in, "fr");
  Want want[] = {{0, "Ligne un" NNBSP "?", NULL}, {0, NULL, NULL}, {0, "? deux", NULL}};
  assert_runs(out, want, G_N_ELEMENTS(want));
  g_ptr_array_unref(out);
}

static KqBlock *para(const char *text)
{
  KqBlock *b = kq_block_new(KQ_BLOCK_PARAGRAPH);
  kq_runs_append_text(b->runs, 0, text, -1, NULL);
  return b;
}

static const char *block_text(const KqBlock *b)
{
  return ((KqRun *)g_ptr_array_index(b->runs, 0))->text;
}

/* The whole article: title, standfirst, paragraphs, headings, lists,
 * quotes, tables, captions; a block's language wins; code untouched; the
 * source article is not modified. */
static void test_typo_article_G5(void **state)
{
  KqArticle *a = kq_article_new("a.md", KQ_FORMAT_MARKDOWN);
  a->lang = g_strdup("fr");
  a->title = g_strdup("Le \"cloud\" ?");
  a->standfirst = g_strdup("Bref...");
  g_ptr_array_add(a->blocks, para("Vraiment ?"));
  KqBlock *h = kq_block_new(KQ_BLOCK_HEADING);
  h->level = 2;
  kq_runs_append_text(h->runs, 0, "Titre : sous-titre", -1, NULL);
  g_ptr_array_add(a->blocks, h);
  KqBlock *list = kq_block_new(KQ_BLOCK_LIST);
  KqBlock *item = kq_block_new(KQ_BLOCK_ITEM);
  g_ptr_array_add(item->children, para("Un ; deux"));
  g_ptr_array_add(list->children, item);
  g_ptr_array_add(a->blocks, list);
  KqBlock *quote = kq_block_new(KQ_BLOCK_QUOTE);
  quote->lang = g_strdup("en");
  g_ptr_array_add(quote->children, para("\"Hello\" ?"));
  g_ptr_array_add(a->blocks, quote);
  KqBlock *table = kq_block_new(KQ_BLOCK_TABLE);
  KqTableRow *row = kq_table_row_new(TRUE);
  GPtrArray *cell = kq_runs_new();
  kq_runs_append_text(cell, 0, "Prix : 10 €", -1, NULL);
  g_ptr_array_add(row->cells, cell);
  g_ptr_array_add(table->rows, row);
  g_ptr_array_add(a->blocks, table);
  KqBlock *img = kq_block_new(KQ_BLOCK_IMAGE);
  img->alt = g_strdup("Le XIXème siècle");
  kq_runs_append_text(img->runs, 0, "Photo : archives", -1, NULL);
  g_ptr_array_add(a->blocks, img);
  KqBlock *code = kq_block_new(KQ_BLOCK_CODE);
  code->text = g_strdup("if (a ; b) ? \"x\" ...");
  g_ptr_array_add(a->blocks, code);
  KqBlock *de = para("Hallo , Welt ?");
  de->lang = g_strdup("de");
  g_ptr_array_add(a->blocks, de);

  KqArticle *t = kq_typo_article(typo, a);
  assert_string_equal(t->title, "Le «" NBSP "cloud" NBSP "»" NNBSP "?");
  assert_string_equal(t->standfirst, "Bref…");
  KqBlock *b = g_ptr_array_index(t->blocks, 0);
  assert_string_equal(block_text(b), "Vraiment" NNBSP "?");
  assert_string_equal(block_text(g_ptr_array_index(t->blocks, 1)), "Titre" NBSP ": sous-titre");
  KqBlock *tl = g_ptr_array_index(t->blocks, 2);
  KqBlock *ti = g_ptr_array_index(tl->children, 0);
  assert_string_equal(block_text(g_ptr_array_index(ti->children, 0)), "Un" NNBSP "; deux");
  KqBlock *tq = g_ptr_array_index(t->blocks, 3);
  assert_string_equal(block_text(g_ptr_array_index(tq->children, 0)), "“Hello”?");
  KqBlock *tt = g_ptr_array_index(t->blocks, 4);
  KqTableRow *trow = g_ptr_array_index(tt->rows, 0);
  GPtrArray *tcell = g_ptr_array_index(trow->cells, 0);
  assert_string_equal(((KqRun *)g_ptr_array_index(tcell, 0))->text,
                      "Prix" NBSP ": 10" NBSP "€");
  KqBlock *timg = g_ptr_array_index(t->blocks, 5);
  assert_string_equal(timg->alt, "Le XIXe" NBSP "siècle");
  assert_string_equal(block_text(timg), "Photo" NBSP ": archives");
  assert_string_equal(((KqBlock *)g_ptr_array_index(t->blocks, 6))->text,
                      "if (a ; b) ? \"x\" ...");
  assert_string_equal(block_text(g_ptr_array_index(t->blocks, 7)), "Hallo , Welt ?");
  /* the source is untouched */
  assert_string_equal(a->title, "Le \"cloud\" ?");
  assert_string_equal(block_text(g_ptr_array_index(a->blocks, 0)), "Vraiment ?");
  kq_article_free(t);
  kq_article_free(a);
}

/* An article in another language gets G-4 only. */
static void test_typo_article_other_language(void **state)
{
  KqArticle *a = kq_article_new("a.md", KQ_FORMAT_MARKDOWN);
  a->lang = g_strdup("pt-BR");
  a->title = g_strdup("  Olá  \"mundo\" ? ");
  KqArticle *t = kq_typo_article(typo, a);
  assert_string_equal(t->title, "Olá \"mundo\" ?");
  kq_article_free(t);
  kq_article_free(a);
  a = kq_article_new("b.md", KQ_FORMAT_MARKDOWN); /* no language: G-4 only */
  a->title = g_strdup("Quoi ?");
  t = kq_typo_article(typo, a);
  assert_string_equal(t->title, "Quoi ?");
  kq_article_free(t);
  kq_article_free(a);
}

/* Engine robustness: empty input, NULL, invalid UTF-8 repaired, a literal
 * U+FFFC, very long paragraph, deep quote nesting, a very long token. */
static void test_typo_robustness(void **state)
{
  char *t = kq_typo_text(typo, "", "fr");
  assert_string_equal(t, "");
  g_free(t);
  assert_null(kq_typo_text(typo, NULL, "fr"));
  t = kq_typo_text(typo, "Oui\xff ?", "fr");
  assert_true(g_utf8_validate(t, -1, NULL));
  g_free(t);
  t = kq_typo_text(typo, "A \xef\xbf\xbc ?", "fr");
  assert_string_equal(t, "A \xef\xbf\xbc" NNBSP "?");
  g_free(t);
  GString *deep = g_string_new(NULL);
  for (int i = 0; i < 200; i++)
    g_string_append(deep, "« \"");
  t = kq_typo_text(typo, deep->str, "fr");
  char *t2 = kq_typo_text(typo, t, "fr");
  assert_string_equal(t, t2);
  g_free(t);
  g_free(t2);
  g_string_truncate(deep, 0);
  for (int i = 0; i < 20000; i++)
    g_string_append(deep, "Vraiment ? 250000 \"mots\"... ");
  t = kq_typo_text(typo, deep->str, "fr");
  t2 = kq_typo_text(typo, t, "fr");
  assert_string_equal(t, t2);
  g_free(t);
  g_free(t2);
  /* one token of 1 MB where G-2b examines every part (after each / or
   * quote) and the pieces FR-1 may make: linear time (quadratic before,
   * half an hour here; ctest's timeout is the watchdog) */
  g_string_assign(deep, "x");
  for (int i = 0; i < 250000; i++)
    g_string_append(deep, i % 2 ? "/a" : "\"b");
  g_string_append(deep, "/www.x.fr/p?q=1;a@b.fr!::1?");
  t = kq_typo_text(typo, deep->str, "fr");
  t2 = kq_typo_text(typo, t, "fr");
  assert_string_equal(t, t2);
  g_free(t);
  g_free(t2);
  /* one token of 1 MB holding 90,000 emoticons and as many protected
   * e-mail parts, merged in one pass (quadratic before: minutes) */
  g_string_assign(deep, "x ");
  for (int i = 0; i < 90000; i++)
    g_string_append(deep, "\":)?a@b.fr?");
  t = kq_typo_text(typo, deep->str, "fr");
  t2 = kq_typo_text(typo, t, "fr");
  assert_string_equal(t, t2);
  assert_non_null(strstr(t, ":)" NNBSP "?a@b.fr" NNBSP "?"));
  g_free(t);
  g_free(t2);
  g_string_free(deep, TRUE);
  GPtrArray *empty = kq_runs_new();
  GPtrArray *out = kq_typo_runs(typo, empty, "fr");
  assert_int_equal(out->len, 0);
  g_ptr_array_unref(out);
  g_ptr_array_unref(empty);
}

/* G-2d: the brand list is configurable. */
static void test_typo_G2_brands(void **state)
{
  KqTypo *t = kq_typo_new(NULL);
  const char *brands[] = {"Jeopardy!", NULL};
  kq_typo_set_brands(t, brands);
  char *s = kq_typo_text(t, "Jeopardy! et Yahoo!", "fr");
  assert_string_equal(s, "Jeopardy! et Yahoo" NNBSP "!");
  g_free(s);
  kq_typo_free(t);
}

/* G-3 as a property: random paragraphs made of words, numbers, marks,
 * URLs, emoticons, quotes and dashes separated by spaces (fixed seed, so
 * the test is deterministic) give T(T(x)) == T(x) in both languages, and
 * hyphenation is idempotent too. */
static void test_typo_G3_idempotence_property(void **state)
{
  static const char *const tokens[] = {
      "le", "Vraiment", "?", "!", ":", ";", "«", "»", "\"", "'", "...", "-", "--", "250000",
      "10", "km", "%", "1er", "19ème", "XIXe", "siècle", "https://x.fr/a?b", "a@b.fr", ":)",
      "Mme", "M.", "Curie", "n°", "5", "juillet", "1789", "8h05", "(", ")", ",", ".", "don't",
      "l'ami", "etc", "Mr.", "Smith", "2010-2020", "“", "”", "—", "–", "Yahoo!", "10:30", "16:9",
      "3,5", "Go", "GB", "the", "'90s", "typographie", "expérience"};
  static const char *const seps[] = {" ", " ", " ", "  ", NBSP};
  GRand *r = g_rand_new_with_seed(20261128);
  const char *langs[] = {"fr", "en"};
  guint bad = 0;
  for (int i = 0; i < 3000; i++) {
    GString *s = g_string_new(NULL);
    int n = g_rand_int_range(r, 1, 30);
    for (int k = 0; k < n; k++) {
      g_string_append(s, tokens[g_rand_int_range(r, 0, G_N_ELEMENTS(tokens))]);
      g_string_append(s, seps[g_rand_int_range(r, 0, G_N_ELEMENTS(seps))]);
    }
    for (int l = 0; l < 2; l++) {
      char *a = kq_typo_text(typo, s->str, langs[l]);
      char *b = kq_typo_text(typo, a, langs[l]);
      char *h = kq_typo_hyphenate(typo, a, langs[l]);
      char *h2 = kq_typo_hyphenate(typo, h, langs[l]);
      if (strcmp(a, b) != 0 || strcmp(h, h2) != 0) {
        if (bad++ < 5)
          print_error("%s: [%s]\n  T:  [%s]\n  TT: [%s]\n", langs[l], s->str, a, b);
      }
      g_free(a);
      g_free(b);
      g_free(h);
      g_free(h2);
    }
    g_string_free(s, TRUE);
  }
  g_rand_free(r);
  assert_int_equal(bad, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_typo_runs_FR3_across_runs),
      cmocka_unit_test(test_typo_runs_FR1_across_runs),
      cmocka_unit_test(test_typo_runs_G2_code_untouched),
      cmocka_unit_test(test_typo_runs_G2_links),
      cmocka_unit_test(test_typo_runs_FR9_superscript),
      cmocka_unit_test(test_typo_runs_G5_run_language),
      cmocka_unit_test(test_typo_runs_break_kept),
      cmocka_unit_test(test_typo_article_G5),
      cmocka_unit_test(test_typo_article_other_language),
      cmocka_unit_test(test_typo_robustness),
      cmocka_unit_test(test_typo_G2_brands),
      cmocka_unit_test(test_typo_G3_idempotence_property),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
