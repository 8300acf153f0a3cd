/* test_furniture.c: the edition's furniture (issue 13 item 1): every text both writers show, built once, in five languages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "kiosque/collect.h"

static KqArticle *make(const char *path, const char *title, const char *date, gint64 views)
{
  KqArticle *a = kq_article_new(path, KQ_FORMAT_MARKDOWN);
  kq_set_string(&a->title, title);
  kq_set_string(&a->standfirst, "Un chapô d'essai : voilà");
  if (date)
    assert_true(kq_date_parse(date, &a->published, NULL));
  kq_set_string(&a->lang, "fr");
  kq_strv_add_unique(a->topics, "Technologie");
  kq_strv_add_unique(a->authors, "Jean Dupont");
  kq_strv_add_unique(a->authors, "Marie Curie");
  kq_set_string(&a->site, "L'Usine");
  kq_set_string(&a->url, "https://example.org/ia");
  kq_strv_add_unique(a->sources, "l'Union");
  kq_strv_add_unique(a->sources, "AFP");
  a->views = views;
  GPtrArray *blocks = kq_blocks_from_plain_text("Du texte.", -1);
  g_ptr_array_unref(a->blocks);
  a->blocks = blocks;
  kq_article_finish(a);
  return a;
}

/* Every text of one article in each edition language: labels and dates in
 * the edition's words, the article's names typeset in its own (FR-4's
 * apostrophe in "l’Union" whatever the edition), FR-7 groups in French. */
static void test_article_furniture_five_languages(void **state)
{
  (void)state;
  static const struct {
    const char *lang, *dateline, *byline, *link, *sources;
  } cases[] = {
      {"fr", "1er\u00A0mars\u00A02026\u00A0· 15\u202F204 vues", "Par Jean Dupont, Marie Curie",
       "Article original\u00A0: https://example.org/ia", "Sources\u00A0: l’Union, AFP"},
      {"en", "March 1, 2026\u00A0· 15,204 views", "By Jean Dupont, Marie Curie",
       "Original article: https://example.org/ia", "Sources: l’Union, AFP"},
      {"de", "1. März 2026\u00A0· 15.204 Aufrufe", "Von Jean Dupont, Marie Curie",
       "Originalartikel: https://example.org/ia", "Quellen: l’Union, AFP"},
      {"es", "1 de marzo de 2026\u00A0· 15.204 visitas", "Por Jean Dupont, Marie Curie",
       "Artículo original: https://example.org/ia", "Fuentes: l’Union, AFP"},
      {"pt", "1 de março de 2026\u00A0· 15.204 visualizações", "Por Jean Dupont, Marie Curie",
       "Artigo original: https://example.org/ia", "Fontes: l’Union, AFP"},
  };
  KqTypo *typo = kq_typo_new(NULL);
  KqArticle *a = make("a.md", "L'IA au 1er rang", "2026-03-01", 15204);
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    KqArticleFurniture *f = kq_article_furniture_new(a, cases[i].lang, typo);
    assert_string_equal(f->lang, "fr");
    assert_true(f->titled);
    assert_string_equal(f->title.text, "L’IA au 1er\u00A0rang");
    /* FR-9: the ordinal's suffix is a superscript run, typeset once */
    gboolean sup = FALSE;
    for (guint k = 0; k < f->title.runs->len; k++) {
      const KqRun *r = g_ptr_array_index(f->title.runs, k);
      sup |= (r->style & KQ_STYLE_SUP) && strcmp(r->text, "er") == 0;
    }
    assert_true(sup);
    assert_string_equal(f->standfirst.text, "Un chapô d’essai\u00A0: voilà");
    assert_string_equal(f->kicker, "Technologie\u00A0· L’Usine");
    assert_string_equal(f->dateline, cases[i].dateline);
    assert_string_equal(f->date_iso, "2026-03-01");
    assert_string_equal(f->byline, cases[i].byline);
    assert_string_equal(f->link_line, cases[i].link);
    assert_string_equal(f->href, "https://example.org/ia");
    assert_string_equal(f->sources_line, cases[i].sources);
    kq_article_furniture_free(f);
  }
  kq_article_free(a);
  kq_typo_free(typo);
}

/* What is absent stays absent; an untitled article shows its file's name;
 * a link kiosque does not keep (javascript:) gives no link line. */
static void test_article_furniture_absent(void **state)
{
  (void)state;
  KqTypo *typo = kq_typo_new(NULL);
  KqArticle *a = kq_article_new("dir/sans-titre.md", KQ_FORMAT_MARKDOWN);
  kq_set_string(&a->url, "javascript:alert(1)");
  kq_article_finish(a);
  g_clear_pointer(&a->title, g_free); /* whatever kq_article_finish() filled in */
  KqArticleFurniture *f = kq_article_furniture_new(a, "fr", typo);
  assert_false(f->titled);
  assert_string_equal(f->title.text, "sans-titre.md");
  assert_null(f->standfirst.runs);
  assert_null(f->kicker);
  assert_null(f->byline);
  assert_null(f->dateline);
  assert_null(f->link_line);
  assert_null(f->sources_line);
  assert_string_equal(f->lang, "fr");
  kq_article_furniture_free(f);
  kq_article_free(a);
  kq_typo_free(typo);
}

/* The edition's own texts: title page, cover and group texts, with the
 * articles' furniture in reading order. */
static void test_edition_furniture(void **state)
{
  (void)state;
  g_setenv("SOURCE_DATE_EPOCH", "1774915200", TRUE); /* 2026-03-31 */
  GPtrArray *arts = g_ptr_array_new();
  g_ptr_array_add(arts, make("b.md", "Moins lu", "2026-03-02", 10));
  g_ptr_array_add(arts, make("a.md", "Plus lu", "2026-03-01", 900));
  KqCollectOptions o;
  kq_collect_options_init(&o);
  o.edition_lang = g_strdup("fr");
  KqEdition *ed = kq_edition_new_take(arts, &o);
  const KqFurniture *f = ed->furniture;
  /* FR-8: the month and year held together, and to the dash before them */
  assert_string_equal(f->title.text, "Revue de presse tech —\u00A0mars\u00A02026");
  assert_string_equal(f->cover_title, "Revue de presse tech");
  assert_string_equal(f->cover_alt, "Revue de presse tech —\u00A0mars\u00A02026"); /* once */
  assert_string_equal(f->period, "mars\u00A02026");
  assert_string_equal(f->summary, "2\u00A0articles \u00B7\u00A0mars\u00A02026");
  assert_string_equal(f->generated, "Édition générée le 31\u00A0mars\u00A02026");
  assert_string_equal(f->contents, "Sommaire");
  assert_int_equal(g_strv_length((char **)f->headlines), 2);
  assert_string_equal(f->headlines[0], "Plus lu");
  assert_int_equal(f->groups->len, 1);
  assert_string_equal(kq_edition_group_furniture(ed, 0)->title.text, "Mars 2026");
  assert_string_equal(kq_edition_group_furniture(ed, 0)->count, "2\u00A0articles");
  assert_int_equal(f->articles->len, 2);
  for (guint i = 0; i < ed->articles->len; i++) {
    const KqArticle *a = g_ptr_array_index(ed->articles, i);
    assert_string_equal(kq_edition_article_furniture(ed, i)->title.text, a->title);
  }
  /* a title decided afterwards (templates, volumes) brings its texts along */
  kq_edition_set_title(ed, "Revue tech (1/2)");
  assert_string_equal(ed->furniture->title.text, "Revue tech (1/2)");
  assert_string_equal(ed->furniture->cover_alt, "Revue tech (1/2) — mars\u00A02026");
  kq_edition_free(ed);
  kq_collect_options_clear(&o);
  g_unsetenv("SOURCE_DATE_EPOCH");
}

/* Runs' text of a paragraph block, joined. */
static char *block_text(const KqBlock *b)
{
  GString *t = g_string_new(NULL);
  for (guint i = 0; b->runs && i < b->runs->len; i++) {
    const KqRun *r = g_ptr_array_index(b->runs, i);
    if (r->text)
      g_string_append(t, r->text);
  }
  return g_string_free(t, FALSE);
}

typedef struct {
  const KqEdition *ed;
  const GPtrArray *seen[2];
} BodyAsk;

static gpointer ask_bodies(gpointer data)
{
  BodyAsk *b = data;
  for (guint i = 0; i < 2; i++)
    b->seen[i] = kq_edition_article_body(b->ed, i);
  return NULL;
}

/* A new list of articles whose first is a French one holding a sentence
 * every typography rule of the body tests touches. */
static GPtrArray *articles_with_sentence(void)
{
  GPtrArray *arts = g_ptr_array_new();
  KqArticle *a = make("a.md", "Un", "2026-03-01", 1);
  g_ptr_array_unref(a->blocks);
  a->blocks = kq_blocks_from_plain_text("Voilà l'exemple : il marche !", -1);
  g_ptr_array_add(arts, a);
  return arts;
}

/* Issue 13 item 1: an article's body is typeset once per edition, in the
 * article's language (FR-1: a no-break space before the colon, a narrow one
 * before the exclamation mark; FR-4: the apostrophe), and
 * every writer and thread asking gets that one typesetting. */
static void test_edition_body_typeset_once(void **state)
{
  (void)state;
  GPtrArray *arts = articles_with_sentence();
  g_ptr_array_add(arts, make("b.md", "Deux", "2026-03-02", 2));
  KqCollectOptions o;
  kq_collect_options_init(&o);
  o.edition_lang = g_strdup("en"); /* the article's own language wins */
  KqEdition *ed = kq_edition_new_take(arts, &o);
  BodyAsk asks[4];
  GThread *threads[4];
  for (int t = 0; t < 4; t++) {
    asks[t] = (BodyAsk){ed, {NULL, NULL}};
    threads[t] = g_thread_new("body", ask_bodies, &asks[t]);
  }
  for (int t = 0; t < 4; t++)
    g_thread_join(threads[t]);
  for (guint i = 0; i < 2; i++) {
    const GPtrArray *body = kq_edition_article_body(ed, i);
    assert_non_null(body);
    for (int t = 0; t < 4; t++)
      assert_ptr_equal(asks[t].seen[i], body); /* one typesetting, shared */
  }
  guint first = ((const KqArticle *)g_ptr_array_index(ed->articles, 0))->title[0] == 'U' ? 0 : 1;
  const GPtrArray *body = kq_edition_article_body(ed, first);
  char *text = block_text(g_ptr_array_index(body, 0));
  assert_string_equal(text, "Voil\u00E0 l\u2019exemple\u00A0: il marche\u202F!");
  g_free(text);
  /* the model's own blocks are left as read */
  const KqArticle *src = g_ptr_array_index(ed->articles, first);
  text = block_text(g_ptr_array_index(src->blocks, 0));
  assert_string_equal(text, "Voilà l'exemple : il marche !");
  g_free(text);
  kq_edition_free(ed);
  kq_collect_options_clear(&o);
}

/* Issue 13 (memory): with two writes expected, a body stays for the second
 * and is freed by the last one done with it; asked for again, it is typeset
 * again, the same; an edition told nothing keeps its bodies. */
static void test_edition_body_freed_after_last_write(void **state)
{
  (void)state;
  GPtrArray *arts = articles_with_sentence();
  KqCollectOptions o;
  kq_collect_options_init(&o);
  KqEdition *ed = kq_edition_new_take(arts, &o);
  assert_non_null(kq_edition_article_body(ed, 0));
  assert_false(kq_edition_article_body_done(ed, 0)); /* not counted: kept */
  kq_edition_expect_body_readers(ed, 2);
  const GPtrArray *body = kq_edition_article_body(ed, 0);
  assert_false(kq_edition_article_body_done(ed, 0)); /* the EPUB is done */
  assert_ptr_equal(kq_edition_article_body(ed, 0), body); /* the PDF reads it */
  assert_true(kq_edition_article_body_done(ed, 0));   /* the PDF is done: freed */
  assert_false(kq_edition_article_body_done(ed, 0));  /* counted out: nothing more */
  char *text = block_text(g_ptr_array_index(kq_edition_article_body(ed, 0), 0));
  assert_string_equal(text, "Voil\u00E0 l\u2019exemple\u00A0: il marche\u202F!");
  g_free(text);
  kq_edition_free(ed);
  kq_collect_options_clear(&o);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_article_furniture_five_languages),
      cmocka_unit_test(test_article_furniture_absent),
      cmocka_unit_test(test_edition_furniture),
      cmocka_unit_test(test_edition_body_typeset_once),
      cmocka_unit_test(test_edition_body_freed_after_last_write),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
