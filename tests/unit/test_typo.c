/* test_typo.c: the typography table (tests/typo/cases.tsv): every G-*, FR-*, EN-* rule, idempotence, words kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kiosque/typo.h"

typedef struct {
  char *id, *lang, *input, *expected, *rule, *note;
} Row;

/* typographie.md §7: only \u followed by four hex digits is an escape. */
static char *unescape(const char *s)
{
  GString *out = g_string_new(NULL);
  for (const char *p = s; *p;) {
    if (p[0] == '\\' && p[1] == 'u' && g_ascii_isxdigit(p[2]) && g_ascii_isxdigit(p[3]) &&
        g_ascii_isxdigit(p[4]) && g_ascii_isxdigit(p[5])) {
      char hex[5] = {p[2], p[3], p[4], p[5], 0};
      g_string_append_unichar(out, (gunichar)strtoul(hex, NULL, 16));
      p += 6;
    } else {
      g_string_append_c(out, *p++);
    }
  }
  return g_string_free(out, FALSE);
}

/* Number of U+00AD in s. */
static guint count_shy(const char *s)
{
  guint n = 0;
  for (const char *p = s; (p = strstr(p, "\xc2\xad")); p += 2)
    n++;
  return n;
}

/* Invisible characters made visible for failure messages. */
static char *visible(const char *s)
{
  GString *out = g_string_new(NULL);
  for (const char *p = s; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (c == 0xA0)
      g_string_append(out, "<NBSP>");
    else if (c == 0x202F)
      g_string_append(out, "<NNBSP>");
    else if (c == 0x2009)
      g_string_append(out, "<THIN>");
    else if (c == 0xAD)
      g_string_append(out, "<SHY>");
    else
      g_string_append_unichar(out, c);
  }
  return g_string_free(out, FALSE);
}

static void row_free(gpointer p)
{
  Row *r = p;
  g_free(r->id);
  g_free(r->lang);
  g_free(r->input);
  g_free(r->expected);
  g_free(r->rule);
  g_free(r->note);
  g_free(r);
}

static GPtrArray *load_rows(const char *path)
{
  char *data = NULL;
  GError *err = NULL;
  if (!g_file_get_contents(path, &data, NULL, &err))
    fail_msg("%s", err->message);
  GPtrArray *rows = g_ptr_array_new_with_free_func(row_free);
  char **lines = g_strsplit(data, "\n", -1);
  gboolean header = FALSE;
  for (int i = 0; lines[i]; i++) {
    if (!lines[i][0] || lines[i][0] == '#')
      continue;
    if (!header) {
      assert_true(g_str_has_prefix(lines[i], "id\tlang\tinput\texpected\trule"));
      header = TRUE;
      continue;
    }
    char **f = g_strsplit(lines[i], "\t", -1);
    if (g_strv_length(f) < 5)
      fail_msg("%s: line %d: fewer than 5 fields", path, i + 1);
    Row *r = g_new0(Row, 1);
    r->id = g_strdup(f[0]);
    r->lang = g_strdup(f[1]);
    r->input = unescape(f[2]);
    r->expected = unescape(f[3]);
    r->rule = g_strdup(f[4]);
    r->note = g_strdup(f[5] ? f[5] : "");
    g_ptr_array_add(rows, r);
    g_strfreev(f);
  }
  g_strfreev(lines);
  g_free(data);
  return rows;
}

/* Inline code in the table is written between backticks (kept in the
 * text): those spans become code runs, the rest plain text runs. */
static GPtrArray *runs_from_table_text(const char *text)
{
  GPtrArray *runs = kq_runs_new();
  const char *p = text;
  while (*p) {
    const char *open = strchr(p, '`');
    const char *close = open ? strchr(open + 1, '`') : NULL;
    if (!close) {
      kq_runs_append_text(runs, KQ_STYLE_NONE, p, -1, NULL);
      break;
    }
    if (open > p)
      kq_runs_append_text(runs, KQ_STYLE_NONE, p, open - p, NULL);
    kq_runs_append_text(runs, KQ_STYLE_CODE, open, close + 1 - open, NULL);
    p = close + 1;
  }
  return runs;
}

static char *runs_text(const GPtrArray *runs)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < runs->len; i++) {
    const KqRun *r = g_ptr_array_index(runs, i);
    if (r->text)
      g_string_append(s, r->text);
  }
  return g_string_free(s, FALSE);
}

static gboolean runs_equal(const GPtrArray *a, const GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++) {
    const KqRun *x = g_ptr_array_index(a, i), *y = g_ptr_array_index(b, i);
    if (x->kind != y->kind || x->style != y->style || g_strcmp0(x->text, y->text) ||
        g_strcmp0(x->href, y->href) || g_strcmp0(x->lang, y->lang))
      return FALSE;
  }
  return TRUE;
}

/* Words: maximal runs of letters and digits; digit groups joined by a
 * no-break or thin space count as one number (FR-7 regroups them). */
static GPtrArray *words_of(const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
  GString *w = g_string_new(NULL);
  gunichar prev = 0;
  for (const char *p = text; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    gunichar next = g_utf8_get_char(g_utf8_next_char(p));
    if (g_unichar_isalnum(c)) {
      g_string_append_unichar(w, c);
    } else if ((c == 0xA0 || c == 0x202F || c == 0x2009) && g_unichar_isdigit(prev) &&
               g_unichar_isdigit(next)) {
      /* joins a digit group */
    } else if (w->len) {
      g_ptr_array_add(words, g_strdup(w->str));
      g_string_truncate(w, 0);
    }
    prev = c;
  }
  if (w->len)
    g_ptr_array_add(words, g_strdup(w->str));
  g_string_free(w, TRUE);
  return words;
}

/* Every input word is in the output, in order, unless a rule that
 * rewrites words (FR-6 etc…, FR-9 ordinals) is cited by the row. */
static gboolean words_kept(const Row *r, const char *out, char **missing)
{
  gboolean rewriting = strstr(r->rule, "FR-9") || strstr(r->rule, "FR-6");
  GPtrArray *in = words_of(r->input), *ow = words_of(out);
  guint k = 0;
  gboolean ok = TRUE;
  for (guint i = 0; i < in->len && ok; i++) {
    const char *w = g_ptr_array_index(in, i);
    /* a word may come out split by an inserted no-break space (10km) */
    guint j = k, used = 0;
    for (; j < ow->len && !used; j++) {
      GString *cat = g_string_new(NULL);
      for (guint m = j; m < ow->len && cat->len < strlen(w); m++) {
        g_string_append(cat, g_ptr_array_index(ow, m));
        if (strcmp(cat->str, w) == 0)
          used = m - j + 1;
        if (!g_str_has_prefix(w, cat->str))
          break;
      }
      g_string_free(cat, TRUE);
    }
    if (used)
      k = j - 1 + used;
    else if (!rewriting) {
      *missing = g_strdup(w);
      ok = FALSE;
    }
  }
  g_ptr_array_unref(in);
  g_ptr_array_unref(ow);
  return ok;
}

static GPtrArray *rows;
static KqTypo *typo;

static int setup(void **state)
{
  rows = load_rows("typo/cases.tsv");
  typo = kq_typo_new(NULL);
  return 0;
}

static int teardown(void **state)
{
  g_ptr_array_unref(rows);
  kq_typo_free(typo);
  return 0;
}

/* Runs every row whose rule column cites a rule of the family prefix. */
static void check_family(const char *prefix)
{
  guint failures = 0, checked = 0;
  for (guint i = 0; i < rows->len; i++) {
    const Row *r = g_ptr_array_index(rows, i);
    if (!g_str_has_prefix(r->rule, prefix))
      continue;
    checked++;
    GPtrArray *runs = runs_from_table_text(r->input);
    GPtrArray *out_runs = kq_typo_runs(typo, runs, r->lang);
    char *out = runs_text(out_runs);
    /* transform(expected) == expected, on runs and on plain text */
    GPtrArray *exp_runs = runs_from_table_text(r->expected);
    GPtrArray *exp_out_runs = kq_typo_runs(typo, exp_runs, r->lang);
    char *exp_out = runs_text(exp_out_runs);
    /* T(T(x)) == T(x) on the runs themselves (styles included) */
    GPtrArray *again = kq_typo_runs(typo, out_runs, r->lang);
    char *plain = strchr(r->input, '`') ? NULL : kq_typo_text(typo, r->input, r->lang);
    char *missing = NULL;
    const char *what = NULL;
    if (strcmp(out, r->expected) != 0)
      what = "transform(input) != expected";
    else if (strcmp(exp_out, r->expected) != 0)
      what = "transform(expected) != expected (not idempotent)";
    else if (!runs_equal(again, out_runs))
      what = "runs not idempotent";
    else if (plain && strcmp(plain, r->expected) != 0)
      what = "kq_typo_text differs from kq_typo_runs";
    else if (count_shy(out) > count_shy(r->input))
      what = "soft hyphen inserted"; /* (one typed by the source is kept) */
    else if (!words_kept(r, out, &missing))
      what = "a word of the input is missing";
    if (what) {
      failures++;
      char *vi = visible(r->input), *ve = visible(r->expected), *vo = visible(out),
           *vx = visible(exp_out);
      print_error("%s [%s] %s (%s): %s\n  input:    %s\n  expected: %s\n  got:      %s\n"
                  "  T(exp):   %s%s%s\n",
                  r->id, r->lang, r->rule, r->note, what, vi, ve, vo, vx,
                  missing ? "\n  missing word: " : "", missing ? missing : "");
      g_free(vi);
      g_free(ve);
      g_free(vo);
      g_free(vx);
    }
    g_free(missing);
    g_free(plain);
    g_ptr_array_unref(again);
    g_free(exp_out);
    g_ptr_array_unref(exp_out_runs);
    g_ptr_array_unref(exp_runs);
    g_free(out);
    g_ptr_array_unref(out_runs);
    g_ptr_array_unref(runs);
  }
  assert_true(checked > 0);
  assert_int_equal(failures, 0);
}

static void test_typo_table_G(void **state) { check_family("G-"); }
static void test_typo_table_FR(void **state) { check_family("FR-"); }
static void test_typo_table_EN(void **state) { check_family("EN-"); }

/* At least 150 rows, and at least one row naming each rule id. */
static void test_typo_table_covers_every_rule(void **state)
{
  assert_true(rows->len >= 150);
  GHashTable *ids = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < rows->len; i++) {
    const Row *r = g_ptr_array_index(rows, i);
    assert_true(r->rule[0] != '\0');
    assert_true(g_hash_table_add(ids, r->id)); /* ids unique */
  }
  g_hash_table_unref(ids);
  const char *families[][2] = {{"G-", "6"}, {"FR-", "12"}, {"EN-", "7"}};
  for (gsize f = 0; f < G_N_ELEMENTS(families); f++) {
    int n = atoi(families[f][1]);
    for (int k = 1; k <= n; k++) {
      char id[16];
      g_snprintf(id, sizeof id, "%s%d", families[f][0], k);
      gboolean found = FALSE;
      for (guint i = 0; i < rows->len && !found; i++) {
        const Row *r = g_ptr_array_index(rows, i);
        char **cited = g_strsplit(r->rule, " ", -1);
        for (int c = 0; cited[c]; c++)
          if (strcmp(cited[c], id) == 0)
            found = TRUE;
        g_strfreev(cited);
      }
      if (!found)
        fail_msg("no row cites %s", id);
    }
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_typo_table_covers_every_rule),
      cmocka_unit_test(test_typo_table_G),
      cmocka_unit_test(test_typo_table_FR),
      cmocka_unit_test(test_typo_table_EN),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
