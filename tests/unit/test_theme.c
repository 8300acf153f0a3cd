/* test_theme.c: PDF theme files (GKeyFile): units, colours, paper, errors naming file and key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <unistd.h>

#include "kiosque/theme.h"
#include "kiosque/writer.h"

static char *write_theme(const char *text)
{
  char *path = NULL;
  int fd = g_file_open_tmp("kq-theme-XXXXXX.theme", &path, NULL);
  assert_true(fd >= 0);
  close(fd);
  assert_true(g_file_set_contents(path, text, -1, NULL));
  return path;
}

static void test_theme_default_file_matches_builtin(void **state)
{
  char *path = kq_theme_find(NULL, NULL, NULL);
  assert_non_null(path);
  assert_true(g_str_has_suffix(path, "styles/default.theme"));
  KqTheme *file = kq_theme_load(path, NULL);
  KqTheme *builtin = kq_theme_new_default();
  assert_non_null(file);
  assert_string_equal(file->paper, "a4");
  assert_string_equal(file->body_font, builtin->body_font);
  assert_string_equal(file->heading_font, builtin->heading_font);
  assert_true(fabs(file->margin_inner - builtin->margin_inner) < 0.01);
  assert_true(fabs(file->leading - builtin->leading) < 0.01);
  assert_true(fabs(file->page_width - 595.2756) < 0.01);
  kq_theme_free(file);
  kq_theme_free(builtin);
  g_free(path);
}

static const struct {
  const char *text;
  double margin_top, body_size, indent;
  int columns;
  const char *paper;
} good[] = {
    {"[page]\nmargin-top=10mm\n", 10 * 72 / 25.4, 10.5, 12, 1, "a4"},
    {"[page]\nmargin-top=1cm\ncolumns=2\npaper=A5\n", 10 * 72 / 25.4, 10.5, 12, 2, "a5"},
    {"[page]\nmargin-top=36pt\npaper=letter\n[text]\nsize=11pt\nleading=14\n", 36, 11, 12, 1,
     "letter"},
    {"[page]\nmargin-top=0.5in\n[text]\nindent=1.5em\n", 36, 10.5, -1, 1, "a4"}, /* bad unit */
};

static void test_theme_units(void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
    char *path = write_theme(good[i].text);
    GError *error = NULL;
    KqTheme *t = kq_theme_load(path, &error);
    if (good[i].indent < 0) {
      assert_null(t);
      assert_true(g_error_matches(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE));
      assert_non_null(strstr(error->message, "[text] indent"));
      assert_non_null(strstr(error->message, path));
      g_error_free(error);
    } else {
      assert_non_null(t);
      assert_true(fabs(t->margin_top - good[i].margin_top) < 0.01);
      assert_true(fabs(t->body_size - good[i].body_size) < 0.01);
      assert_int_equal(t->columns, good[i].columns);
      assert_string_equal(t->paper, good[i].paper);
      kq_theme_free(t);
    }
    g_remove(path);
    g_free(path);
  }
}

static void test_theme_colours_and_errors(void **state)
{
  char *path = write_theme("[text]\ncolour=#ff8000\n[meta]\nlink-colour=#08f\n");
  KqTheme *t = kq_theme_load(path, NULL);
  assert_non_null(t);
  assert_true(fabs(t->text_colour.r - 1) < 1e-9 && fabs(t->text_colour.g - 128 / 255.0) < 1e-9 &&
              t->text_colour.b == 0);
  assert_true(fabs(t->link_colour.b - 1) < 1e-9 && fabs(t->link_colour.g - 136 / 255.0) < 1e-9);
  kq_theme_free(t);
  g_remove(path);
  g_free(path);
  const char *bad[] = {
      "[text]\ncolour=red\n",          "[page]\ncolumns=3\n",
      "[page]\npaper=a3\n",            "[text]\nsize=10\nleading=4\n",
      "[page]\nmargin-inner=120mm\n",  "not a key file",
      "[headings]\nfont=\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    path = write_theme(bad[i]);
    GError *error = NULL;
    assert_null(kq_theme_load(path, &error));
    assert_true(g_error_matches(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE));
    assert_non_null(strstr(error->message, path));
    g_error_free(error);
    g_remove(path);
    g_free(path);
  }
}

static void test_theme_find(void **state)
{
  GError *error = NULL;
  assert_null(kq_theme_find("no-such-style", NULL, &error));
  assert_true(g_error_matches(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE));
  g_clear_error(&error);
  assert_null(kq_theme_find(NULL, "/nonexistent/x.theme", &error));
  g_clear_error(&error);
  char *compact = kq_theme_find("compact", NULL, NULL);
  assert_non_null(compact);
  KqTheme *t = kq_theme_load(compact, NULL);
  assert_int_equal(t->columns, 2);
  KqTheme *d = kq_theme_new_default();
  assert_true(kq_theme_set_paper(d, "letter"));
  assert_false(kq_theme_set_paper(d, "tabloid"));
  assert_true(fabs(d->page_width - 612) < 0.01);
  kq_theme_free(d);
  kq_theme_free(t);
  g_free(compact);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_theme_default_file_matches_builtin),
      cmocka_unit_test(test_theme_units),
      cmocka_unit_test(test_theme_colours_and_errors),
      cmocka_unit_test(test_theme_find),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
