/* test_link.c: the link rules both writers share (link.h) and the "inside the given paths" rule (roots.h), issue 12 item 4 and issue 13 item 2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "kiosque/link.h"
#include "kiosque/roots.h"

static void test_link_safe_schemes(void **state)
{
  (void)state;
  static const struct {
    const char *in, *out;
  } cases[] = {
      {"https://example.org/a", "https://example.org/a"},
      {"HTTP://example.org/a b", "http://example.org/a%20b"},
      {"mailto:a@example.org", "mailto:a@example.org"},
      {"javascript:alert(1)", NULL},
      {"java\tscript:alert(1)", NULL},
      {" vbscript:x", NULL},
      {"data:text/html,x", NULL},
      {"file:///etc/passwd", NULL},
      {"smb://host/share", NULL},
      {"ms-msdt:/id PCWDiagnostic", NULL},
      {"relative/page.html", NULL},
      {"#fragment", NULL},
      {"//example.org/scheme-relative", NULL},
      {"https://", NULL},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    char *got = kq_link_safe(cases[i].in);
    if (g_strcmp0(got, cases[i].out) != 0)
      fail_msg("kq_link_safe(%s): %s, expected %s", cases[i].in, got ? got : "NULL",
               cases[i].out ? cases[i].out : "NULL");
    g_free(got);
  }
}

static void test_link_base(void **state)
{
  (void)state;
  static const struct {
    const char *page, *base, *out;
  } cases[] = {
      /* same origin: honoured */
      {"https://example.org/a/page.html", "/b/", "https://example.org/b/"},
      {"https://example.org/a/page.html", "https://EXAMPLE.org/c/", "https://EXAMPLE.org/c/"},
      /* elsewhere: ignored, the page's URL wins */
      {"https://example.org/a/page.html", "https://evil.example/", "https://example.org/a/page.html"},
      {"https://example.org/a/page.html", "http://example.org/", "https://example.org/a/page.html"},
      {"https://example.org/a/page.html", "https://example.org:8443/", "https://example.org/a/page.html"},
      {"https://example.org/a/page.html", "javascript:alert(1)", "https://example.org/a/page.html"},
      /* no base */
      {"https://example.org/a/page.html", NULL, "https://example.org/a/page.html"},
      /* no page URL: an absolute base is all there is; a relative one is nothing */
      {NULL, "https://example.org/x/", "https://example.org/x/"},
      {NULL, "/x/", NULL},
      {NULL, NULL, NULL},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    char *got = kq_link_base(cases[i].page, cases[i].base);
    if (g_strcmp0(got, cases[i].out) != 0)
      fail_msg("kq_link_base(%s, %s): %s, expected %s", cases[i].page, cases[i].base,
               got ? got : "NULL", cases[i].out ? cases[i].out : "NULL");
    g_free(got);
  }
}

static void test_roots(void **state)
{
  (void)state;
  char *tmp = g_dir_make_tmp("kq-roots-XXXXXX", NULL);
  assert_non_null(tmp);
  char *dir = g_build_filename(tmp, "dir", NULL), *sub = g_build_filename(dir, "sub", NULL);
  char *lone = g_build_filename(tmp, "lone", NULL), *md = g_build_filename(lone, "a.md", NULL);
  char *img = g_build_filename(lone, "img.png", NULL), *deep = g_build_filename(sub, "x.png", NULL);
  char *sibling = g_build_filename(tmp, "dirx", NULL);
  g_mkdir_with_parents(sub, 0700);
  g_mkdir_with_parents(lone, 0700);
  g_mkdir_with_parents(sibling, 0700);
  g_file_set_contents(md, "x", 1, NULL);
  const char *paths[] = {dir, md, "/nonexistent/kq", NULL};
  char **r = kq_roots_new(paths);
  assert_int_equal(g_strv_length(r), 2); /* dir, lone (md's folder); the missing path left out */
  assert_true(kq_roots_contain(r, dir));
  assert_true(kq_roots_contain(r, deep));
  assert_true(kq_roots_contain(r, img));    /* a single file allows its folder */
  assert_true(kq_roots_contain(r, md));
  assert_false(kq_roots_contain(r, sibling)); /* a prefix is not a parent */
  assert_false(kq_roots_contain(r, tmp));
  assert_false(kq_roots_contain(r, "/etc/passwd"));
  g_strfreev(r);
  char **none = kq_roots_new(NULL);
  assert_int_equal(g_strv_length(none), 0);
  assert_false(kq_roots_contain(none, deep));
  g_strfreev(none);
  g_unlink(md);
  g_rmdir(sub);
  g_rmdir(dir);
  g_rmdir(lone);
  g_rmdir(sibling);
  g_rmdir(tmp);
  g_free(tmp), g_free(dir), g_free(sub), g_free(lone), g_free(md), g_free(img), g_free(deep);
  g_free(sibling);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_link_safe_schemes),
      cmocka_unit_test(test_link_base),
      cmocka_unit_test(test_roots),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
