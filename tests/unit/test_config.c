/* test_config.c: configuration file loading, precedence (defaults < file < command line) and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include <string.h>

#include "kiosque/config.h"

/* Tests run in tests/ (ctest's working directory). */
#define FIX "fixtures/config/"

static void test_defaults(void **state)
{
  KqConfig *c = kq_config_new();
  assert_string_equal(kq_config_get(c, "formats"), "epub,pdf");
  const char *const *f = kq_config_get_list(c, "formats");
  assert_string_equal(f[0], "epub");
  assert_string_equal(f[1], "pdf");
  assert_null(f[2]);
  assert_string_equal(kq_config_get(c, "group-by"), "month");
  assert_string_equal(kq_config_get(c, "style"), "default");
  assert_string_equal(kq_config_get(c, "max-input"), "16M");
  assert_null(kq_config_get(c, "paper"));
  assert_null(kq_config_get(c, "paths"));
  assert_null(kq_config_get_list(c, "paths"));
  assert_false(kq_config_get_bool(c, "split"));
  assert_null(kq_config_get_file(c));
  int line = -1;
  assert_int_equal(kq_config_get_source(c, "style", &line), KQ_CONFIG_SOURCE_DEFAULT);
  assert_int_equal(line, 0);
  assert_null(kq_config_get(c, "no-such-key"));
  kq_config_free(c);
}

static void test_file_values(void **state)
{
  GError *err = NULL;
  KqConfig *c = kq_config_load(FIX "good.conf", &err);
  if (!c)
    fail_msg("%s", err->message);
  char *abs = g_canonicalize_filename(FIX "good.conf", NULL);
  assert_string_equal(kq_config_get_file(c), abs);
  g_free(abs);

  /* ~ expanded; relative paths from the file's folder */
  const char *const *paths = kq_config_get_list(c, "paths");
  char *home_archive = g_build_filename(g_get_home_dir(), "archives", "tech", NULL);
  assert_string_equal(paths[0], home_archive);
  g_free(home_archive);
  char *cwd = g_get_current_dir();
  char *corpus = g_build_filename(cwd, "fixtures", "config", "..", "..", "corpus", NULL);
  assert_string_equal(paths[1], corpus);
  assert_true(g_file_test(paths[1], G_FILE_TEST_IS_DIR));
  assert_null(paths[2]);
  g_free(corpus);
  g_free(cwd);
  char *out = g_strconcat(g_get_home_dir(), "/ereader/revue-{yyyy}-{mm}.epub", NULL);
  assert_string_equal(kq_config_get(c, "output"), out);
  g_free(out);

  assert_string_equal(kq_config_get(c, "formats"), "pdf"); /* lower-cased */
  assert_string_equal(kq_config_get(c, "group-by"), "week");
  assert_string_equal(kq_config_get(c, "title"), "Revue tech — {month} {year}");
  assert_string_equal(kq_config_get(c, "style"), "compact");
  assert_string_equal(kq_config_get(c, "paper"), "a5");
  assert_string_equal(kq_config_get(c, "edition-lang"), "fr");
  assert_true(kq_config_get_bool(c, "split"));
  assert_false(kq_config_get_bool(c, "reverse"));

  int line = 0;
  assert_int_equal(kq_config_get_source(c, "paper", &line), KQ_CONFIG_SOURCE_FILE);
  assert_int_equal(line, 10);
  assert_int_equal(kq_config_get_source(c, "formats", &line), KQ_CONFIG_SOURCE_FILE);
  assert_int_equal(line, 6);
  assert_int_equal(kq_config_get_source(c, "log-format", &line), KQ_CONFIG_SOURCE_DEFAULT);
  kq_config_free(c);
}

static void test_precedence(void **state)
{
  GError *err = NULL;
  KqConfig *c = kq_config_load(FIX "good.conf", &err);
  assert_non_null(c);
  /* command line over file */
  assert_true(kq_config_set(c, "paper", "letter", KQ_CONFIG_SOURCE_COMMAND_LINE, &err));
  assert_true(kq_config_set(c, "formats", "epub,pdf", KQ_CONFIG_SOURCE_COMMAND_LINE, &err));
  assert_string_equal(kq_config_get(c, "paper"), "letter");
  int line = -1;
  assert_int_equal(kq_config_get_source(c, "paper", &line), KQ_CONFIG_SOURCE_COMMAND_LINE);
  assert_int_equal(line, 0);
  assert_string_equal(kq_config_get_list(c, "formats")[1], "pdf");
  /* the file over defaults, for what the command line leaves alone */
  assert_string_equal(kq_config_get(c, "group-by"), "week");
  /* command line over defaults */
  assert_true(kq_config_set(c, "log-format", "json", KQ_CONFIG_SOURCE_COMMAND_LINE, NULL));
  assert_string_equal(kq_config_get(c, "log-format"), "json");
  /* a bad command-line value is refused and the previous value kept */
  assert_false(kq_config_set(c, "paper", "a3", KQ_CONFIG_SOURCE_COMMAND_LINE, &err));
  assert_true(g_error_matches(err, KQ_CONFIG_ERROR, KQ_CONFIG_ERROR_VALUE));
  assert_non_null(strstr(err->message, "paper: 'a3' is not one of a4, a5, letter"));
  g_clear_error(&err);
  assert_string_equal(kq_config_get(c, "paper"), "letter");
  assert_false(kq_config_set(c, "colour", "blue", KQ_CONFIG_SOURCE_COMMAND_LINE, &err));
  assert_true(g_error_matches(err, KQ_CONFIG_ERROR, KQ_CONFIG_ERROR_KEY));
  g_clear_error(&err);
  kq_config_free(c);
}

static char *make_tmp_config_home(const char *content)
{
  char *home = g_dir_make_tmp("kq-config-XXXXXX", NULL);
  char *dir = g_build_filename(home, "kiosque", NULL);
  assert_int_equal(g_mkdir(dir, 0700), 0);
  if (content) {
    char *file = g_build_filename(dir, "kiosque.conf", NULL);
    assert_true(g_file_set_contents(file, content, -1, NULL));
    g_free(file);
  }
  g_free(dir);
  return home;
}

static void remove_tmp_config_home(char *home)
{
  char *file = g_build_filename(home, "kiosque", "kiosque.conf", NULL);
  char *dir = g_build_filename(home, "kiosque", NULL);
  g_remove(file);
  g_rmdir(dir);
  g_rmdir(home);
  g_free(file);
  g_free(dir);
  g_free(home);
}

static void test_default_location(void **state)
{
  char *saved_xdg = g_strdup(g_getenv("XDG_CONFIG_HOME"));
  char *saved_home = g_strdup(g_getenv("HOME"));

  g_setenv("XDG_CONFIG_HOME", "/somewhere/cfg", TRUE);
  char *p = kq_config_default_path();
  assert_string_equal(p, "/somewhere/cfg/kiosque/kiosque.conf");
  g_free(p);
  g_setenv("XDG_CONFIG_HOME", "relative/ignored", TRUE); /* XDG: must be absolute */
  g_setenv("HOME", "/home/someone", TRUE);
  p = kq_config_default_path();
  assert_string_equal(p, "/home/someone/.config/kiosque/kiosque.conf");
  g_free(p);
  g_unsetenv("XDG_CONFIG_HOME");
  p = kq_config_default_path();
  assert_string_equal(p, "/home/someone/.config/kiosque/kiosque.conf");
  g_free(p);

  /* the default file is read when present */
  char *home = make_tmp_config_home("[kiosque]\ngroup-by = year\n");
  g_setenv("XDG_CONFIG_HOME", home, TRUE);
  GError *err = NULL;
  KqConfig *c = kq_config_load(NULL, &err);
  assert_non_null(c);
  assert_string_equal(kq_config_get(c, "group-by"), "year");
  assert_non_null(kq_config_get_file(c));
  kq_config_free(c);
  remove_tmp_config_home(home);

  /* and its absence is no error: defaults only */
  home = make_tmp_config_home(NULL);
  g_setenv("XDG_CONFIG_HOME", home, TRUE);
  c = kq_config_load(NULL, &err);
  assert_non_null(c);
  assert_null(kq_config_get_file(c));
  assert_string_equal(kq_config_get(c, "group-by"), "month");
  kq_config_free(c);
  remove_tmp_config_home(home);

  /* an explicit file must exist */
  c = kq_config_load(FIX "missing.conf", &err);
  assert_null(c);
  assert_true(g_error_matches(err, KQ_CONFIG_ERROR, KQ_CONFIG_ERROR_READ));
  assert_non_null(strstr(err->message, "missing.conf"));
  g_clear_error(&err);
  c = kq_config_load(FIX, &err);
  assert_null(c);
  assert_true(g_error_matches(err, KQ_CONFIG_ERROR, KQ_CONFIG_ERROR_READ));
  g_clear_error(&err);

  if (saved_xdg)
    g_setenv("XDG_CONFIG_HOME", saved_xdg, TRUE);
  else
    g_unsetenv("XDG_CONFIG_HOME");
  if (saved_home)
    g_setenv("HOME", saved_home, TRUE);
  g_free(saved_xdg);
  g_free(saved_home);
}

typedef struct {
  const char *file;
  int code;
  const char *where; /* "FILE:LINE" part of the message */
  const char *what;  /* and something naming the key or the problem */
} BadCase;

static const BadCase bad[] = {
    {"bad-syntax.conf", KQ_CONFIG_ERROR_SYNTAX, "bad-syntax.conf:3:", "not a 'key = value' line"},
    {"no-group.conf", KQ_CONFIG_ERROR_SYNTAX, "no-group.conf:2:", "not a 'key = value' line"},
    {"bad-utf8.conf", KQ_CONFIG_ERROR_SYNTAX, "bad-utf8.conf:2:", "not valid UTF-8"},
    {"unknown-key.conf", KQ_CONFIG_ERROR_KEY, "unknown-key.conf:5:", "unknown key 'colour'"},
    {"unknown-group.conf", KQ_CONFIG_ERROR_GROUP, "unknown-group.conf:4:",
     "unknown group [export]"},
    {"bad-value.conf", KQ_CONFIG_ERROR_VALUE, "bad-value.conf:3:",
     "key 'paper': 'a3' is not one of a4, a5, letter"},
    {"bad-format.conf", KQ_CONFIG_ERROR_VALUE, "bad-format.conf:2:",
     "key 'formats': 'mobi' is not one of epub, pdf"},
    {"bad-template.conf", KQ_CONFIG_ERROR_VALUE, "bad-template.conf:2:", "key 'title':"},
    {"bad-bool.conf", KQ_CONFIG_ERROR_VALUE, "bad-bool.conf:2:",
     "key 'split': 'maybe' is not true or false"},
    {"bad-style.conf", KQ_CONFIG_ERROR_VALUE, "bad-style.conf:2:", "key 'style':"},
    {"bad-size.conf", KQ_CONFIG_ERROR_VALUE, "bad-size.conf:2:",
     "key 'max-size': 'lots' is not a size"},
    {"bad-lang.conf", KQ_CONFIG_ERROR_VALUE, "bad-lang.conf:2:", "key 'edition-lang':"},
};

static void test_errors(void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    GError *err = NULL;
    char *path = g_strconcat(FIX, bad[i].file, NULL);
    KqConfig *c = kq_config_load(path, &err);
    if (c)
      fail_msg("%s: accepted", bad[i].file);
    if (!g_error_matches(err, KQ_CONFIG_ERROR, bad[i].code))
      fail_msg("%s: code %d (%s), want %d", bad[i].file, err->code, err->message, bad[i].code);
    if (!strstr(err->message, bad[i].where) || !strstr(err->message, bad[i].what))
      fail_msg("%s: message \"%s\" lacks \"%s\" or \"%s\"", bad[i].file, err->message,
               bad[i].where, bad[i].what);
    g_error_free(err);
    g_free(path);
  }
}

static void test_show_round_trip(void **state)
{
  GError *err = NULL;
  KqConfig *c = kq_config_load(FIX "good.conf", &err);
  assert_non_null(c);
  assert_true(kq_config_set(c, "title", " spaces; and \\ backslash — {n}",
                            KQ_CONFIG_SOURCE_COMMAND_LINE, NULL));
  char *text = kq_config_to_string(c);
  assert_non_null(strstr(text, "group-by=week\n"));
  assert_non_null(strstr(text, "from the command line\ntitle="));
  assert_non_null(strstr(text, "good.conf:10\npaper=a5\n"));
  assert_non_null(strstr(text, "unset\n#columns=\n"));
  assert_non_null(strstr(text, "default\nlog-format=text\n"));

  char *tmp = NULL;
  int fd = g_file_open_tmp("kq-show-XXXXXX.conf", &tmp, NULL);
  assert_true(fd >= 0);
  close(fd);
  assert_true(g_file_set_contents(tmp, text, -1, NULL));
  KqConfig *back = kq_config_load(tmp, &err);
  if (!back)
    fail_msg("%s", err->message);
  for (const char *const *k = kq_config_keys(); *k; k++) {
    const char *a = kq_config_get(c, *k), *b = kq_config_get(back, *k);
    if (g_strcmp0(a, b) != 0)
      fail_msg("key %s: '%s' became '%s'", *k, a ? a : "(unset)", b ? b : "(unset)");
  }
  kq_config_free(back);
  g_remove(tmp);
  g_free(tmp);
  g_free(text);
  kq_config_free(c);
}

static void test_sizes(void **state)
{
  static const struct {
    const char *text;
    guint64 want; /* 0: refused */
  } cases[] = {
      {"16M", 16u << 20}, {"512k", 512u << 10}, {"2G", G_GUINT64_CONSTANT(2) << 30},
      {"1000", 0},        {"1000B", 1000},      {"45", 0},
      {"45MB", 45u << 20},  {" 3m ", 3u << 20},
      {"0", 0},           {"", 0},              {"M", 0},
      {"-1M", 0},         {"12T", 0},           {"1.5M", 0},
      {"99999999999999999999G", 0},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    guint64 n = 0;
    gboolean ok = kq_config_parse_size(cases[i].text, &n);
    if (ok != (cases[i].want != 0) || (ok && n != cases[i].want))
      fail_msg("'%s': ok=%d n=%" G_GUINT64_FORMAT, cases[i].text, ok, n);
  }
}

static void test_home_expansion(void **state)
{
  char *a = kq_config_expand_home("~");
  assert_string_equal(a, g_get_home_dir());
  char *b = kq_config_expand_home("~/x/y");
  char *want = g_build_filename(g_get_home_dir(), "x", "y", NULL);
  assert_string_equal(b, want);
  char *c = kq_config_expand_home("~other/x");
  assert_string_equal(c, "~other/x");
  char *d = kq_config_expand_home("/abs/~/x");
  assert_string_equal(d, "/abs/~/x");
  g_free(a);
  g_free(b);
  g_free(c);
  g_free(d);
  g_free(want);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_defaults),      cmocka_unit_test(test_file_values),
      cmocka_unit_test(test_precedence),    cmocka_unit_test(test_default_location),
      cmocka_unit_test(test_errors),        cmocka_unit_test(test_show_round_trip),
      cmocka_unit_test(test_sizes),         cmocka_unit_test(test_home_expansion),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
