/* test_pdf_plan.c: the PDF page plan (issue 13 item 7): golden plans as text, and the drawn PDF following the plan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "kiosque/collect.h"
#include "kiosque/fonts.h"
#include "kiosque/writer.h"
#include "pdf/pdf_plan.h"
#include "test_edition_of.h"

#define TIMESTAMP 1769731200 /* 2026-01-30 */

/* Three articles of the sample archive, in three groups (code, a figure
 * with its caption, lists, a quote, French and English), and a table whose
 * cells Pango wraps. */
static const char *const FIXTURE[] = {
    "corpus/2025-12-18-rust-noyau-linux.md",
    "corpus/2026-01-21-faille-routeurs-box.md",
    "corpus/2026-02-11-passkeys-adoption.md",
    "fixtures/pdf-plan/table.html",
    NULL,
};

static void options(KqWriteOptions *opts, const char *paper, int columns)
{
  static const char *roots[] = {"corpus", "fixtures/pdf-plan", NULL};
  kq_write_options_init(opts);
  opts->roots = roots;
  opts->paper = paper;
  opts->columns = columns;
  opts->timestamp = TIMESTAMP;
}

static char *plan_of(const KqEdition *ed, const char *paper, int columns)
{
  KqWriteOptions opts;
  options(&opts, paper, columns);
  GError *error = NULL;
  char *text = kq_pdf_plan_text(ed, &opts, NULL, &error);
  if (!text)
    fail_msg("%s", error->message);
  return text;
}

/* Compares text with tests/golden/NAME, printing diff -u's answer when
 * they differ; KQ_UPDATE_GOLDEN=1 rewrites the golden file instead. */
static void check_golden(const char *name, const char *text)
{
  char *golden = g_build_filename("golden", name, NULL);
  const char *update = g_getenv("KQ_UPDATE_GOLDEN");
  if (update && strcmp(update, "1") == 0) {
    assert_true(g_file_set_contents(golden, text, -1, NULL));
    printf("golden plan rewritten: tests/%s\n", golden);
    g_free(golden);
    return;
  }
  char *want = NULL;
  if (!g_file_get_contents(golden, &want, NULL, NULL))
    fail_msg("no golden plan tests/%s (run with KQ_UPDATE_GOLDEN=1)", golden);
  if (strcmp(want, text) != 0) {
    char *dir = g_dir_make_tmp("kq-plan-XXXXXX", NULL);
    char *got = g_build_filename(dir, name, NULL);
    g_file_set_contents(got, text, -1, NULL);
    char *argv[] = {"diff", "-u", golden, got, NULL};
    char *out = NULL;
    g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, NULL, NULL);
    fputs(out ? out : "", stdout);
    fflush(stdout);
    g_free(out);
    g_remove(got);
    g_rmdir(dir);
    fail_msg("the page plan differs from tests/%s (diff above; KQ_UPDATE_GOLDEN=1 rewrites it "
             "once the change is meant)", golden);
  }
  g_free(want);
  g_free(golden);
}

/* The plan of FIXTURE on paper in columns against tests/golden/golden. */
static void golden_case(const char *golden, const char *paper, int columns)
{
  KqEdition *ed = kq_test_edition_of(FIXTURE);
  char *text = plan_of(ed, paper, columns);
  check_golden(golden, text);
  g_free(text);
  kq_edition_free(ed);
}

static void test_pdf_plan_golden_a4(void **state)
{
  (void)state;
  golden_case("pdf-plan-a4.txt", "a4", 1);
}

static void test_pdf_plan_golden_a5_two_columns(void **state)
{
  (void)state;
  golden_case("pdf-plan-a5-2col.txt", "a5", 2);
}

/* The plan is decided once: laying out again gives the same plan. */
static void test_pdf_plan_stable(void **state)
{
  (void)state;
  KqEdition *ed = kq_test_edition_of(FIXTURE);
  char *a = plan_of(ed, "a5", 1), *b = plan_of(ed, "a5", 1);
  assert_string_equal(a, b);
  g_free(a);
  g_free(b);
  kq_edition_free(ed);
}

/* The text pdftotext finds on page n of pdf, or NULL without pdftotext. */
static char *page_text(const char *pdf, int n)
{
  char *num = g_strdup_printf("%d", n);
  char *argv[] = {"pdftotext", "-f", num, "-l", num, (char *)pdf, "-", NULL};
  char *out = NULL;
  int status = 0;
  gboolean ran = g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                              NULL, NULL, &out, NULL, &status, NULL);
  g_free(num);
  if (!ran || status != 0) {
    g_free(out);
    return NULL;
  }
  return out;
}

/* Drawing walks the plan, and the contents' page numbers come from it:
 * in the drawn PDF (the whole sample archive, A5 two columns), every
 * article's title is on the page the plan gives it, every page the plan
 * has is drawn, and each placed line's first word is on its page. */
static void test_pdf_plan_drawn_as_planned(void **state)
{
  (void)state;
  const char *paths[] = {"corpus", NULL};
  KqEdition *ed = kq_test_edition_of(paths);
  KqWriteOptions opts;
  options(&opts, "a5", 2);
  GError *error = NULL;
  char *plan = kq_pdf_plan_text(ed, &opts, NULL, &error);
  assert_non_null(plan);
  char *dir = g_dir_make_tmp("kq-plan-XXXXXX", NULL);
  char *pdf = g_build_filename(dir, "plan.pdf", NULL);
  if (!kq_pdf_write(ed, &opts, pdf, NULL, &error))
    fail_msg("%s", error->message);
  char *probe = page_text(pdf, 1);
  if (!probe) {
    g_remove(pdf);
    g_rmdir(dir);
    skip(); /* poppler-utils missing */
  }
  g_free(probe);
  char **lines = g_strsplit(plan, "\n", -1);
  int pages = 0, page = 0, entries = 0, words = 0;
  char *text = NULL;
  guint articles_seen = 0;
  int *entry_page = g_new0(int, ed->articles->len), *title_page = g_new0(int, ed->articles->len);
  for (int i = 0; lines[i]; i++) {
    const char *l = lines[i];
    int n;
    if (sscanf(l, "page %d", &n) == 1 && g_str_has_prefix(l, "page ")) {
      pages = n;
      page = n;
      g_free(text);
      text = page_text(pdf, n);
      assert_non_null(text);
      continue;
    }
    unsigned a, to;
    if (sscanf(l, "  entry a%u -> page %u", &a, &to) == 2) {
      assert_true(a < ed->articles->len);
      entry_page[a] = (int)to;
      entries++;
      continue;
    }
    if (sscanf(l, "  a%u.0 H2 ", &a) == 1 && strstr(l, " first")) {
      assert_true(a < ed->articles->len);
      title_page[a] = page;
    }
    if (g_str_has_prefix(l, "  a") && strstr(l, " first"))
      articles_seen++;
    if (g_str_has_prefix(l, "     | ") && page > 0 && text) {
      /* the line's first word is drawn on the planned page */
      char **w = g_strsplit(l + 7, " ", 2);
      char *word = g_strdup(w[0]);
      g_strfreev(w);
      /* pdftotext's own reading of ligatures and hyphens aside: letters only */
      gsize len = strlen(word);
      while (len && !g_ascii_isalnum(word[len - 1]))
        word[--len] = '\0';
      if (len >= 4 && g_utf8_strlen(word, -1) == (glong)len && strspn(word,
          "abcdeghijklmnopqrstuvwxyzABCDEGHIJKLMNOPQRSTUVWXYZ0123456789") == len) {
        if (!strstr(text, word))
          fail_msg("plan puts \"%s\" on page %d; pdftotext does not find it there", word, page);
        words++;
      }
      g_free(word);
    }
  }
  g_free(text);
  assert_int_equal(entries, (int)ed->articles->len);
  for (guint k = 0; k < ed->articles->len; k++) { /* the contents say where the title is */
    assert_true(title_page[k] > 0);
    assert_int_equal(entry_page[k], title_page[k]);
  }
  g_free(entry_page);
  g_free(title_page);
  assert_int_equal(articles_seen, ed->articles->len);
  assert_true(words > 500);
  /* every planned page drawn, and no other */
  char *last = page_text(pdf, pages);
  assert_non_null(last);
  g_free(last);
  char *beyond = page_text(pdf, pages + 1);
  assert_null(beyond);
  g_strfreev(lines);
  g_remove(pdf);
  g_rmdir(dir);
  g_free(pdf);
  g_free(dir);
  g_free(plan);
  kq_edition_free(ed);
}

int main(void)
{
  kq_fonts_init(NULL, NULL);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pdf_plan_golden_a4),
      cmocka_unit_test(test_pdf_plan_golden_a5_two_columns),
      cmocka_unit_test(test_pdf_plan_stable),
      cmocka_unit_test(test_pdf_plan_drawn_as_planned),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
