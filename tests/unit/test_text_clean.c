/* test_text_clean.c: issue 12 item 3, text safe for every sink: noncharacters and invalid
 * code points removed once at the model boundary (kq_read_buffer), from every reader, with
 * one warning per input; the PDF writer sets an edition built by hand without them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include <glib/gstdio.h>

#include "kiosque/collect.h"
#include "kiosque/reader.h"
#include "kiosque/writer.h"

/* The warning at i of a capture (the shared capture of log.h, issue 13 item 8). */
static const KqLogEntry *entry(const KqLogCapture *c, guint i)
{
  return g_ptr_array_index(c->entries, i);
}

static const struct {
  const char *in;
  const char *out;
  guint removed;
} clean_cases[] = {
    {"plain é text", "plain é text", 0},
    {"a\xEF\xBF\xBE" "b", "ab", 1},                      /* U+FFFE */
    {"a\xEF\xBF\xBF" "b", "ab", 1},                      /* U+FFFF */
    {"a\xEF\xB7\x90" "b\xEF\xB7\xAF" "c", "abc", 2},     /* U+FDD0, U+FDEF */
    {"a\xEF\xB7\x8F" "b\xEF\xB7\xB0" "c", "a\xEF\xB7\x8F" "b\xEF\xB7\xB0" "c", 0}, /* U+FDCF, U+FDF0 */
    {"a\xF0\x9F\xBF\xBE" "b", "ab", 1},                  /* U+1FFFE */
    {"a\xF4\x8F\xBF\xBF" "b", "ab", 1},                  /* U+10FFFF */
    {"a\xF4\x8F\xBF\xBD" "b", "a\xF4\x8F\xBF\xBD" "b", 0}, /* U+10FFFD: private use, kept */
    {"a\xED\xA0\x80" "b", "ab", 1},                      /* encoded lone surrogate U+D800 */
    {"a\xED\xA0\xBD\xED\xB8\x80" "b", "ab", 2},          /* CESU-8 surrogate pair */
    {"caf\xE9 au lait", "caf au lait", 1},               /* Latin-1 byte */
    {"a\xC3", "a", 1},                                   /* truncated sequence at the end */
    {"a\xF8\x88\x80\x80\x80" "b", "ab", 2},              /* 5-byte form: not UTF-8 */
    {"\xEF\xBF\xBD", "\xEF\xBF\xBD", 0},                 /* U+FFFD itself is text */
    /* past ASCII read eight bytes at a time, at every offset in a word */
    {"0123456789abcdef\xEF\xBF\xBE", "0123456789abcdef", 1},
    {"0123456\xEF\xB7\x90" "89abcdef", "012345689abcdef", 1},
    {"01234567\xF4\x8F\xBF\xBF" "abcdefgh", "01234567abcdefgh", 1},
    {"r\xC3\xA9sum\xC3\xA9 0123456789 \xEF\xB7\xAF.", "r\xC3\xA9sum\xC3\xA9 0123456789 .", 1},
    {"r\xC3\xA9sum\xC3\xA9 0123456789 \xEF\xBB\xBF.", "r\xC3\xA9sum\xC3\xA9 0123456789 \xEF\xBB\xBF.", 0},
};

static void test_utf8_clean_table(void **state)
{
  for (guint i = 0; i < G_N_ELEMENTS(clean_cases); i++) {
    guint removed = 99;
    char *out = kq_utf8_clean(clean_cases[i].in, -1, &removed);
    assert_string_equal(out, clean_cases[i].out);
    assert_int_equal(removed, clean_cases[i].removed);
    assert_true(kq_utf8_is_clean(out, -1));
    assert_int_equal(kq_utf8_is_clean(clean_cases[i].in, -1), clean_cases[i].removed == 0);
    g_free(out);
  }
  assert_null(kq_utf8_clean(NULL, -1, NULL));
  assert_false(kq_utf8_is_clean("0123456789\0abcdef", 17));
  assert_false(kq_utf8_is_clean("01234567\0abcdefg", 16)); /* a NUL in an ASCII word */
  assert_false(kq_utf8_is_clean("0123456789abcd\xC3", 15)); /* cut in a character */
  assert_false(kq_utf8_is_clean("0123456789\xC0\x80", 12)); /* overlong NUL */
  assert_false(kq_utf8_is_clean("0123456789\xF4\x90\x80\x80", 14)); /* past U+10FFFF */
  assert_true(kq_utf8_is_clean("0123456789\xF4\x8F\xBF\xBD" "abcdefgh", -1));
  /* an explicit length: a NUL inside is removed too */
  char *out = kq_utf8_clean("a\0b", 3, NULL);
  assert_string_equal(out, "ab");
  g_free(out);
}

/* One input per reader, each with a noncharacter or a lone surrogate in its title and body. */
static const struct {
  const char *name;
  const char *data;
  const char *title;
} inputs[] = {
    {"a.json",
     "{\"title\":\"Lone \\ud800 surrogate \\uffff end\",\"url\":\"https://ex.org/a\","
     "\"date\":\"2026-01-10\",\"content\":\"Body \\ufdd0 text and \\udbff\\udfff end.\"}",
     "Lone surrogate end"},
    {"b.md",
     "---\ndate: 2026-01-11\n---\n\n# Heading \xEF\xBF\xBF here\n\nBody \xF4\x8F\xBF\xBF para.\n",
     "Heading here"},
    {"c.html",
     "<html lang=\"en\"><head><title>Page \xEF\xB7\x90 title</title></head><body><article>"
     "<h1>Page \xEF\xB7\x90 title</h1><p>Para &#xFFFE; entity and \xEF\xB7\xAF raw, with "
     "enough words in it for the scorer to take it as the body of the page.</p></article>"
     "</body></html>",
     "Page title"},
    {"d.txt",
     "Titre \xEF\xBF\xBE de vidage\n\nPubli\xC3\xA9 le 30 janvier 2026\n\n"
     "Un paragraphe \xEF\xBF\xBF du corps du texte qui est assez long pour compter.\n",
     "Titre de vidage"},
};

static void test_model_boundary_every_reader(void **state)
{
  for (guint i = 0; i < G_N_ELEMENTS(inputs); i++) {
    KqLogCapture warnings;
    kq_log_capture_init(&warnings, KQ_LOG_WARNING);
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
    GError *err = NULL;
    assert_true(kq_read_buffer(inputs[i].name, inputs[i].data, strlen(inputs[i].data), NULL,
                               &warnings.log, out, &err));
    assert_null(err);
    assert_int_equal(out->len, 1);
    KqArticle *a = g_ptr_array_index(out, 0);
    assert_true(kq_article_is_clean(a));
    assert_non_null(a->title);
    assert_string_equal(a->title, inputs[i].title);
    char *body = kq_blocks_to_text(a->blocks);
    assert_true(strlen(body) > 5);
    g_free(body);
    /* exactly one warning, naming the input */
    guint naming = 0;
    for (guint k = 0; k < warnings.entries->len; k++)
      if (g_strcmp0(entry(&warnings, k)->path, inputs[i].name) == 0 &&
          strstr(entry(&warnings, k)->msg, "invalid character"))
        naming++;
    if (naming != 1 || warnings.entries->len != 1)
      for (guint k = 0; k < warnings.entries->len; k++)
        print_message("%s: %s: %s\n", inputs[i].name, entry(&warnings, k)->path,
                      entry(&warnings, k)->msg);
    assert_int_equal(naming, 1);
    assert_int_equal(warnings.entries->len, 1);
    g_ptr_array_unref(out);
    kq_log_capture_clear(&warnings);
  }
}

static void test_article_clean_every_field(void **state)
{
  KqArticle *a = kq_article_new("x\xEF\xBF\xBF.md", KQ_FORMAT_MARKDOWN);
  a->title = g_strdup("T\xEF\xBF\xBE");
  a->url = g_strdup("https://ex.org/\xEF\xBF\xBF");
  kq_strv_add_unique(a->topics, "Tech");
  kq_strv_add_unique(a->topics, "Te\xEF\xBF\xBF" "ch"); /* the same topic: not added */
  kq_strv_add_unique(a->authors, "\xEF\xBF\xBF");
  KqBlock *p = kq_block_new(KQ_BLOCK_PARAGRAPH);
  kq_runs_append_text(p->runs, KQ_STYLE_NONE, "ok ", -1, NULL);
  kq_runs_append_text(p->runs, KQ_STYLE_EMPH, "\xEF\xB7\x90", -1, "https://a\xEF\xBF\xBF");
  g_ptr_array_add(a->blocks, p);
  KqBlock *t = kq_block_new(KQ_BLOCK_TABLE);
  KqTableRow *row = kq_table_row_new(FALSE);
  GPtrArray *cell = kq_runs_new();
  kq_runs_append_text(cell, KQ_STYLE_NONE, "c\xED\xA0\x80", -1, NULL);
  g_ptr_array_add(row->cells, cell);
  g_ptr_array_add(t->rows, row);
  g_ptr_array_add(a->blocks, t);
  KqBlock *code = kq_block_new(KQ_BLOCK_CODE);
  code->text = g_strdup("x\xEF\xBF\xBE\ny");
  g_ptr_array_add(a->blocks, code);
  assert_false(kq_article_is_clean(a));
  /* path, title, url, author, run text, run href, cell, code */
  assert_int_equal(kq_article_clean(a), 8);
  assert_true(kq_article_is_clean(a));
  assert_string_equal(a->title, "T");
  assert_string_equal(a->url, "https://ex.org/");
  assert_int_equal(a->topics->len, 1);
  assert_int_equal(a->authors->len, 0);
  assert_int_equal(p->runs->len, 1); /* the run that held only U+FDD0 is gone */
  assert_string_equal(((KqRun *)g_ptr_array_index(cell, 0))->text, "c");
  assert_string_equal(code->text, "x\ny");
  assert_int_equal(kq_article_clean(a), 0);
  /* a copy owns copies of every field (the original is freed first) */
  a->id = g_strdup("id\xEF\xBF\xBF"); /* the id is checked too */
  a->standfirst = g_strdup("S");
  a->site = g_strdup("Site");
  a->lang = g_strdup("fr");
  kq_strv_add_unique(a->sources, "Src");
  a->views = 42;
  code->info = g_strdup("c");
  KqBlock *img = kq_block_new(KQ_BLOCK_IMAGE);
  img->src = g_strdup("a.png");
  img->alt = g_strdup("Alt");
  img->lang = g_strdup("en");
  kq_runs_append_text(img->runs, KQ_STYLE_EMPH, "Caption", -1, "https://cap.example/");
  ((KqRun *)g_ptr_array_index(img->runs, 0))->lang = g_strdup("de");
  g_ptr_array_add(a->blocks, img);
  KqArticle *c = kq_article_dup(a);
  kq_article_free(a);
  assert_int_equal(kq_article_clean(c), 1);
  assert_string_equal(c->id, "id");
  assert_string_equal(c->source_path, "x.md");
  assert_string_equal(c->title, "T");
  assert_string_equal(c->standfirst, "S");
  assert_string_equal(c->site, "Site");
  assert_string_equal(c->lang, "fr");
  assert_string_equal(g_ptr_array_index(c->topics, 0), "Tech");
  assert_string_equal(g_ptr_array_index(c->sources, 0), "Src");
  assert_int_equal(c->views, 42);
  assert_int_equal(c->format, KQ_FORMAT_MARKDOWN);
  assert_int_equal(c->blocks->len, 4);
  /* the blocks' and runs' text fields too, the table's cells included */
  const KqTableRow *crow = g_ptr_array_index(((KqBlock *)g_ptr_array_index(c->blocks, 1))->rows, 0);
  const KqRun *ccell = g_ptr_array_index((GPtrArray *)g_ptr_array_index(crow->cells, 0), 0);
  assert_string_equal(ccell->text, "c");
  const KqBlock *ccode = g_ptr_array_index(c->blocks, 2);
  assert_string_equal(ccode->text, "x\ny");
  assert_string_equal(ccode->info, "c");
  const KqBlock *cimg = g_ptr_array_index(c->blocks, 3);
  assert_int_equal(cimg->kind, KQ_BLOCK_IMAGE);
  assert_string_equal(cimg->src, "a.png");
  assert_string_equal(cimg->alt, "Alt");
  assert_string_equal(cimg->lang, "en");
  const KqRun *caption = g_ptr_array_index(cimg->runs, 0);
  assert_int_equal(caption->kind, KQ_RUN_TEXT);
  assert_int_equal(caption->style, KQ_STYLE_EMPH);
  assert_string_equal(caption->text, "Caption");
  assert_string_equal(caption->href, "https://cap.example/");
  assert_string_equal(caption->lang, "de");
  kq_article_free(c);
}

/* An edition built without the readers (a library user, a fuzzer) still gives a PDF:
 * Cairo would refuse the whole surface for one noncharacter. */
static void test_pdf_cleans_hand_built_edition(void **state)
{
  GPtrArray *articles = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  for (int i = 0; i < 2; i++) {
    KqArticle *a = kq_article_new(i ? "good.md" : "bad.md", KQ_FORMAT_MARKDOWN);
    a->title = g_strdup(i ? "Good title" : "Bad \xEF\xBF\xBF title \xED\xA0\x80");
    kq_strv_add_unique(a->topics, i ? "Tech" : "Te\xEF\xB7\x90" "ch");
    KqBlock *p = kq_block_new(KQ_BLOCK_PARAGRAPH);
    kq_runs_append_text(p->runs, KQ_STYLE_NONE, i ? "Good body." : "Body \xEF\xBF\xBE.", -1,
                        NULL);
    kq_runs_append_text(p->runs, KQ_STYLE_NONE, " link", -1,
                        i ? "https://ex.org/" : "https://ex.org/\xEF\xBF\xBF");
    g_ptr_array_add(a->blocks, p);
    kq_article_finish(a);
    g_ptr_array_add(articles, a);
  }
  KqCollectOptions copts;
  kq_collect_options_init(&copts);
  copts.title = g_strdup("Edition \xEF\xBF\xBF title");
  KqEdition *ed = kq_edition_new_take(articles, &copts);
  kq_collect_options_clear(&copts);
  char *dir = g_dir_make_tmp("kq-clean-XXXXXX", NULL);
  char *path = g_build_filename(dir, "ed.pdf", NULL);
  KqLogCapture warnings;
  kq_log_capture_init(&warnings, KQ_LOG_WARNING);
  KqWriteOptions opts;
  kq_write_options_init(&opts);
  opts.timestamp = 1769731200;
  GError *err = NULL;
  gboolean ok = kq_pdf_write(ed, &opts, path, &warnings.log, &err);
  if (err)
    print_message("%s\n", err->message);
  assert_true(ok);
  char *pdf = NULL;
  gsize len = 0;
  assert_true(g_file_get_contents(path, &pdf, &len, NULL));
  assert_true(len > 1000 && memcmp(pdf, "%PDF-", 5) == 0);
  g_free(pdf);
  guint bad = 0;
  for (guint k = 0; k < warnings.entries->len; k++) {
    bad += g_strcmp0(entry(&warnings, k)->path, "bad.md") == 0;
    assert_false(g_strcmp0(entry(&warnings, k)->path, "good.md") == 0);
  }
  assert_int_equal(bad, 1);
  /* the edition itself is left as it was (the writer cleaned copies) */
  const KqArticle *first = NULL;
  for (guint i = 0; i < ed->articles->len; i++)
    if (strcmp(((KqArticle *)g_ptr_array_index(ed->articles, i))->source_path, "bad.md") == 0)
      first = g_ptr_array_index(ed->articles, i);
  assert_non_null(first);
  assert_false(kq_article_is_clean(first));
  g_remove(path);
  g_rmdir(dir);
  g_free(path);
  g_free(dir);
  kq_log_capture_clear(&warnings);
  kq_edition_free(ed);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_utf8_clean_table),
      cmocka_unit_test(test_model_boundary_every_reader),
      cmocka_unit_test(test_article_clean_every_field),
      cmocka_unit_test(test_pdf_cleans_hand_built_edition),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
