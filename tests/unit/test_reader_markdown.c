/* test_reader_markdown.c: the Markdown reader on fixtures, every field checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "kiosque/reader.h"

/* What the reader reported: the shared capture of log.h (issue 13 item 8). */
typedef KqLogCapture Sink;

static guint n_warnings(const Sink *sink)
{
  return kq_log_capture_count(sink, KQ_LOG_WARNING, NULL);
}

static const KqLogEntry *last_warning(const Sink *sink)
{
  for (guint i = sink->entries->len; i-- > 0;) {
    const KqLogEntry *e = g_ptr_array_index(sink->entries, i);
    if (e->level <= KQ_LOG_WARNING)
      return e;
  }
  return NULL;
}

static GPtrArray *read_fixture(const char *name, Sink *sink, GError **error, gboolean *ok)
{
  if (!sink->entries)
    kq_log_capture_init(sink, KQ_LOG_DEBUG);
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  char *path = g_build_filename("fixtures", "md", name, NULL);
  *ok = kq_read_file(path, NULL, &sink->log, out, error);
  g_free(path);
  return out;
}

static const KqBlock *block(const KqArticle *a, guint i)
{
  assert_true(i < a->blocks->len);
  return g_ptr_array_index(a->blocks, i);
}

static void test_full_front_matter(void **state)
{
  Sink sink = {0};
  GError *err = NULL;
  gboolean ok;
  GPtrArray *out = read_fixture("full.md", &sink, &err, &ok);
  assert_true(ok);
  assert_int_equal(out->len, 1);
  const KqArticle *a = g_ptr_array_index(out, 0);
  assert_string_equal(a->title, "Le « cloud souverain » : un marché qui décolle");
  char *d = kq_date_to_string(&a->published);
  assert_string_equal(d, "2026-02-03T09:30:00+01:00");
  g_free(d);
  d = kq_date_to_string(&a->updated);
  assert_string_equal(d, "2026-02-04");
  g_free(d);
  assert_string_equal(a->lang, "fr");
  assert_int_equal(a->topics->len, 2);
  assert_string_equal(g_ptr_array_index(a->topics, 0), "Cloud");
  assert_string_equal(g_ptr_array_index(a->topics, 1), "Souveraineté");
  assert_string_equal(a->url, "https://example.org/cloud-souverain");
  assert_int_equal(a->authors->len, 2);
  assert_string_equal(g_ptr_array_index(a->authors, 0), "Camille Martin");
  assert_string_equal(g_ptr_array_index(a->authors, 1), "Hugo Bernard");
  assert_string_equal(a->site, "Le Journal du Code");
  assert_string_equal(a->standfirst, "Les offres se multiplient.");
  assert_int_equal(a->views, 1234);
  assert_int_equal(a->sources->len, 2);
  assert_string_equal(g_ptr_array_index(a->sources, 1), "AFP");
  assert_int_equal(a->format, KQ_FORMAT_MARKDOWN);
  assert_non_null(a->id);
  assert_int_equal(n_warnings(&sink), 0);

  /* the H1 repeating the title is dropped; blocks in order */
  const KqBlock *p = block(a, 0);
  assert_int_equal(p->kind, KQ_BLOCK_PARAGRAPH);
  char *text = kq_runs_to_text(p->runs);
  assert_string_equal(text, "Premier paragraphe avec de l'emphase, du gras, du code et un lien. "
                            "Suite du même paragraphe.");
  g_free(text);
  gboolean saw_emph = FALSE, saw_strong = FALSE, saw_code = FALSE, saw_link = FALSE;
  for (guint i = 0; i < p->runs->len; i++) {
    const KqRun *r = g_ptr_array_index(p->runs, i);
    saw_emph |= (r->style & KQ_STYLE_EMPH) && strcmp(r->text, "emphase") == 0;
    saw_strong |= (r->style & KQ_STYLE_STRONG) && strcmp(r->text, "gras") == 0;
    saw_code |= (r->style & KQ_STYLE_CODE) && strcmp(r->text, "code") == 0;
    saw_link |= r->href && strcmp(r->href, "https://example.org/a") == 0 &&
                strcmp(r->text, "lien") == 0;
  }
  assert_true(saw_emph && saw_strong && saw_code && saw_link);

  assert_int_equal(block(a, 1)->kind, KQ_BLOCK_HEADING);
  assert_int_equal(block(a, 1)->level, 2);
  const KqBlock *q = block(a, 2);
  assert_int_equal(q->kind, KQ_BLOCK_QUOTE);
  assert_int_equal(q->children->len, 1);
  const KqBlock *ul = block(a, 3);
  assert_int_equal(ul->kind, KQ_BLOCK_LIST);
  assert_false(ul->ordered);
  assert_int_equal(ul->children->len, 2);
  assert_int_equal(((KqBlock *)g_ptr_array_index(ul->children, 0))->kind, KQ_BLOCK_ITEM);
  const KqBlock *ol = block(a, 4);
  assert_true(ol->ordered);
  assert_int_equal(ol->start, 1);
  const KqBlock *code = block(a, 5);
  assert_int_equal(code->kind, KQ_BLOCK_CODE);
  assert_string_equal(code->text, "int main(void) { return 0; }");
  assert_string_equal(code->info, "c");
  assert_int_equal(block(a, 6)->kind, KQ_BLOCK_RULE);
  const KqBlock *img = block(a, 7);
  assert_int_equal(img->kind, KQ_BLOCK_IMAGE);
  assert_string_equal(img->src, "images/schema.png");
  assert_string_equal(img->alt, "Un schéma");
  text = kq_runs_to_text(img->runs);
  assert_string_equal(text, "Légende du schéma");
  g_free(text);
  const KqBlock *last = block(a, 8);
  assert_int_equal(last->kind, KQ_BLOCK_PARAGRAPH);
  gboolean saw_break = FALSE;
  for (guint i = 0; i < last->runs->len; i++)
    saw_break |= ((KqRun *)g_ptr_array_index(last->runs, i))->kind == KQ_RUN_BREAK;
  assert_true(saw_break);
  assert_int_equal(a->blocks->len, 9);
  g_ptr_array_unref(out);
  kq_log_capture_clear(&sink);
}

static void test_title_from_heading(void **state)
{
  Sink sink = {0};
  GError *err = NULL;
  gboolean ok;
  GPtrArray *out = read_fixture("no-front.md", &sink, &err, &ok);
  assert_true(ok);
  const KqArticle *a = g_ptr_array_index(out, 0);
  assert_string_equal(a->title, "A title from the heading");
  assert_int_equal(a->blocks->len, 1);
  assert_int_equal(n_warnings(&sink), 0);
  g_ptr_array_unref(out);
  kq_log_capture_clear(&sink);
}

/* Broken YAML: one warning naming the file and the line; the body is kept. */
static void test_broken_front_matter(void **state)
{
  Sink sink = {0};
  GError *err = NULL;
  gboolean ok;
  GPtrArray *out = read_fixture("broken-front.md", &sink, &err, &ok);
  assert_true(ok);
  assert_int_equal(out->len, 1);
  assert_int_equal(n_warnings(&sink), 2); /* the YAML error, then the missing title */
  assert_non_null(strstr(last_warning(&sink)->path, "broken-front.md"));
  g_ptr_array_unref(out);
  kq_log_capture_clear(&sink);
}

static void test_empty_and_invalid(void **state)
{
  Sink sink = {0};
  GError *err = NULL;
  gboolean ok;
  GPtrArray *out = read_fixture("empty.md", &sink, &err, &ok);
  assert_false(ok);
  assert_true(g_error_matches(err, KQ_READ_ERROR, KQ_READ_ERROR_EMPTY));
  g_clear_error(&err);
  g_ptr_array_unref(out);
  out = read_fixture("bad-utf8.md", &sink, &err, &ok);
  assert_false(ok);
  assert_true(g_error_matches(err, KQ_READ_ERROR, KQ_READ_ERROR_ENCODING));
  assert_int_equal(kq_read_error_get_line(err), 5); /* a number, not text (issue 13 item 5) */
  assert_null(strstr(err->message, "line"));
  g_clear_error(&err);
  g_ptr_array_unref(out);
  kq_log_capture_clear(&sink);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_full_front_matter),
      cmocka_unit_test(test_title_from_heading),
      cmocka_unit_test(test_broken_front_matter),
      cmocka_unit_test(test_empty_and_invalid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
