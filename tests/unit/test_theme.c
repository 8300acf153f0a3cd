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
    {"[page]\nmargin-top=10mm\n", 10 * 72 / 25.4, 11.5, 14, 1, "a4"},
    {"[page]\nmargin-top=1cm\ncolumns=2\npaper=A5\n", 10 * 72 / 25.4, 7.7, 8, 2, "a5"}, /* [text:a5:2] */
    {"[page]\nmargin-top=36pt\npaper=letter\n[text]\nsize=11pt\nleading=14\n", 36, 11, 14, 1,
     "letter"},
    {"[page]\nmargin-top=0.5in\n[text]\nindent=1.5em\n", 36, 11.5, -1, 1, "a4"}, /* bad unit */
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
      if (!t)
        fail_msg("%s: %s", good[i].text, error->message);
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

/* L-6: one design per paper and column count, [GROUP:PAPER] and
 * [GROUP:PAPER:COLUMNS] over a file's groups, the default theme's designs
 * kept under a theme that leaves them out, and every default design 45 to
 * 75 characters per line (at Linux Libertine's 0.416 em a character). */
static void test_theme_l6_page_designs(void **state)
{
  char *def = kq_theme_find(NULL, NULL, NULL);
  assert_non_null(def);
  const char *only_default[] = {def, NULL};
  const struct {
    const char *paper;
    int columns;
  } variants[] = {{"a4", 1}, {"a4", 2}, {"a5", 1}, {"a5", 2}, {"letter", 1}, {"letter", 2}};
  for (gsize i = 0; i < G_N_ELEMENTS(variants); i++) {
    KqTheme *t = kq_theme_load_for(only_default, variants[i].paper, variants[i].columns, NULL);
    assert_non_null(t);
    assert_int_equal(t->columns, variants[i].columns);
    double full = t->page_width - t->margin_inner - t->margin_outer;
    double col = (full - (t->columns - 1) * t->column_gap) / t->columns;
    double chars = col / (t->body_size * 0.416);
    if (chars < 47 || chars > 73)
      fail_msg("%s, %d columns: about %.0f characters per line", variants[i].paper,
               variants[i].columns, chars);
    kq_theme_free(t);
  }
  /* a5, two columns, by the theme's [page] keys rather than arguments */
  char *user = write_theme("[page]\npaper=a5\ncolumns=2\n[text]\nfont=DejaVu Serif\n");
  const char *both[] = {def, user, NULL};
  KqTheme *t = kq_theme_load_for(both, NULL, 0, NULL);
  assert_non_null(t);
  assert_string_equal(t->paper, "a5");
  assert_int_equal(t->columns, 2);
  assert_true(fabs(t->margin_inner - 10 * 72 / 25.4) < 0.01); /* [page:a5:2] */
  assert_true(t->body_size < 9);                               /* [text:a5:2] */
  assert_string_equal(t->body_font, "DejaVu Serif");
  kq_theme_free(t);
  g_remove(user);
  g_free(user);
  /* a theme's own design for a paper wins over the default one; its base
   * size too, when it names one */
  user = write_theme("[text]\nsize=12pt\nleading=15pt\n[text:a5]\nleading=16pt\n");
  const char *mine[] = {def, user, NULL};
  t = kq_theme_load_for(mine, "a5", 1, NULL);
  assert_non_null(t);
  assert_true(fabs(t->body_size - 12) < 0.01);
  assert_true(fabs(t->leading - 16) < 0.01);
  kq_theme_free(t);
  /* a bad value in a design group names the group */
  g_remove(user);
  g_free(user);
  user = write_theme("[text:a5:2]\ncolour=red\n");
  const char *bad[] = {user, NULL};
  GError *error = NULL;
  assert_null(kq_theme_load_for(bad, "a5", 2, &error));
  assert_non_null(strstr(error->message, "[text:a5:2] colour"));
  g_error_free(error);
  assert_null(kq_theme_load_for(bad, "a3", 2, &error));
  g_error_free(error);
  g_remove(user);
  g_free(user);
  g_free(def);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_theme_default_file_matches_builtin),
      cmocka_unit_test(test_theme_units),
      cmocka_unit_test(test_theme_colours_and_errors),
      cmocka_unit_test(test_theme_find),
      cmocka_unit_test(test_theme_l6_page_designs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
