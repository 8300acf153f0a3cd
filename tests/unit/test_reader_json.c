/* test_reader_json.c: the JSON reader on JSON Feed (tests/fixtures/feeds) and on the shapes of tests/fixtures/json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "kiosque/reader.h"

/* What the reader reported: the shared capture of log.h (issue 13 item 8),
 * warnings and errors only. */
static guint n_warnings(const KqLogCapture *w)
{
  return kq_log_capture_count(w, KQ_LOG_WARNING, NULL);
}

static const KqLogEntry *warning(const KqLogCapture *w, guint i)
{
  assert_true(i < w->entries->len);
  return g_ptr_array_index(w->entries, i);
}

/* Reads a fixture through kq_read_file() (registry choice included). */
static GPtrArray *read_fixture(const char *rel, KqLogCapture *warnings, gboolean *ok)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  char *path = g_build_filename("fixtures", rel, NULL);
  char *data = NULL;
  gsize len = 0;
  assert_true(g_file_get_contents(path, &data, &len, NULL));
  assert_int_equal(kq_reader_choose(path, data, len), &kq_reader_json);
  GError *err = NULL;
  *ok = kq_read_file(path, NULL, &warnings->log, out, &err);
  if (err)
    print_message("%s: %s\n", path, err->message);
  g_clear_error(&err);
  g_free(data);
  g_free(path);
  return out;
}

static GPtrArray *read_mem(const char *name, const char *json, KqLogCapture *warnings,
                           gboolean *ok)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  GError *err = NULL;
  *ok = kq_reader_json.read(name, json, strlen(json), NULL, &warnings->log, out, &err);
  g_clear_error(&err);
  for (guint i = 0; i < out->len; i++)
    kq_article_finish(g_ptr_array_index(out, i));
  return out;
}

static void assert_date(const KqDate *d, const char *expected)
{
  char *s = kq_date_to_string(d);
  if (!expected) {
    assert_null(s);
    return;
  }
  assert_non_null(s);
  assert_string_equal(s, expected);
  g_free(s);
}

static const KqArticle *article(const GPtrArray *out, guint i)
{
  assert_true(i < out->len);
  return g_ptr_array_index(out, i);
}

static const char *str(const GPtrArray *a, guint i)
{
  assert_true(i < a->len);
  return g_ptr_array_index(a, i);
}

static char *body_text(const KqArticle *a)
{
  return kq_blocks_to_text(a->blocks);
}

static void test_json_feed(void **state)
{
  KqLogCapture w;
  kq_log_capture_init(&w, KQ_LOG_WARNING);
  gboolean ok;
  GPtrArray *out = read_fixture("feeds/feedjira/json_feed.json", &w, &ok);
  assert_true(ok);
  assert_int_equal(n_warnings(&w), 0);
  assert_int_equal(out->len, 20); /* "items": 20 objects */
  static const struct {
    guint i;
    const char *title, *published, *url;
  } spots[] = {
      {0, "James Dempsey and the Breakpoints Benefit App Camp for Girls",
       "2017-06-02T22:05:47-07:00",
       "http://inessential.com/2017/06/02/james_dempsey_and_the_breakpoints_benefi"},
      {2, "“App: The Human Story” Screening in San Jose", "2017-05-26T12:57:19-07:00",
       "http://inessential.com/2017/05/26/app_the_human_story_screening_in_san_"},
      {3, "JSON Feed", "2017-05-17T13:22:14-07:00",
       "http://inessential.com/2017/05/17/json_feed"},
  };
  for (gsize k = 0; k < G_N_ELEMENTS(spots); k++) {
    const KqArticle *a = article(out, spots[k].i);
    assert_string_equal(a->title, spots[k].title);
    assert_date(&a->published, spots[k].published);
    assert_string_equal(a->url, spots[k].url);
  }
  for (guint i = 0; i < out->len; i++) {
    const KqArticle *a = article(out, i);
    assert_int_equal(a->format, KQ_FORMAT_JSON);
    assert_string_equal(a->site, "inessential.com");
    assert_string_equal(a->lang, "en-US");
    assert_string_equal(str(a->authors, 0), "Brent Simmons"); /* feed-level author */
    assert_true(a->blocks->len > 0);
    char *t = body_text(a);
    assert_null(strstr(t, "<p>"));
    assert_null(strstr(t, "&amp;"));
    assert_null(strstr(t, "\xEF\xBF\xBD"));
    g_free(t);
  }
  char *t = body_text(article(out, 0));
  assert_true(g_str_has_prefix(t, "On Wednesday night I know where I’ll be —\xC2\xA0playing keyboard"));
  g_free(t);
  g_ptr_array_unref(out);
  kq_log_capture_clear(&w);
}

static void test_object(void **state)
{
  KqLogCapture w;
  kq_log_capture_init(&w, KQ_LOG_WARNING);
  gboolean ok;
  GPtrArray *out = read_fixture("json/object.json", &w, &ok);
  assert_true(ok);
  assert_int_equal(n_warnings(&w), 0);
  assert_int_equal(out->len, 1);
  const KqArticle *a = article(out, 0);
  assert_string_equal(a->title, "Le Conseil d’État valide le décret sur l’open data");
  assert_date(&a->published, "2026-01-30T08:15:00+01:00");
  assert_date(&a->updated, "2026-01-30T10:00:00+01:00");
  assert_string_equal(a->url, "https://example.org/tech/2026/01/30/open-data");
  assert_int_equal(a->authors->len, 1);
  assert_string_equal(str(a->authors, 0), "Camille Martin"); /* "Par " dropped */
  assert_int_equal(a->topics->len, 3);                       /* keywords split at commas */
  assert_string_equal(str(a->topics, 0), "open data");
  assert_string_equal(str(a->topics, 2), "Conseil d'État");
  assert_string_equal(a->lang, "fr-FR");
  assert_string_equal(a->site, "Exemple Tech");
  assert_string_equal(a->standfirst, "Une décision attendue depuis deux ans.");
  assert_int_equal(a->views, 448);
  /* HTML body: paragraph, heading, paragraph */
  assert_int_equal(a->blocks->len, 3);
  const KqBlock *b = g_ptr_array_index(a->blocks, 1);
  assert_int_equal(b->kind, KQ_BLOCK_HEADING);
  b = g_ptr_array_index(a->blocks, 0);
  assert_int_equal(b->kind, KQ_BLOCK_PARAGRAPH);
  gboolean emph = FALSE;
  for (guint i = 0; i < b->runs->len; i++) {
    const KqRun *r = g_ptr_array_index(b->runs, i);
    if (r->style & KQ_STYLE_EMPH)
      emph = strcmp(r->text, "jeudi") == 0;
  }
  assert_true(emph);
  g_ptr_array_unref(out);
  kq_log_capture_clear(&w);
}

static void test_array(void **state)
{
  KqLogCapture w;
  kq_log_capture_init(&w, KQ_LOG_WARNING);
  gboolean ok;
  GPtrArray *out = read_fixture("json/array.json", &w, &ok);
  assert_true(ok);
  assert_int_equal(n_warnings(&w), 0);
  assert_int_equal(out->len, 2); /* the third object has no body */
  const KqArticle *a = article(out, 0);
  assert_string_equal(a->title, "First post");
  assert_date(&a->published, "2026-02-01");
  assert_string_equal(a->url, "https://blog.example.com/first");
  assert_int_equal(a->authors->len, 2);
  assert_string_equal(str(a->authors, 1), "Charles Babbage");
  assert_string_equal(str(a->topics, 1), "history");
  assert_string_equal(a->site, "Example Blog");
  char *t = body_text(a);
  assert_string_equal(t, "Plain text body of the first post.");
  g_free(t);

  a = article(out, 1);
  /* WordPress-style {"rendered": ...} values, entities decoded */
  assert_string_equal(a->title, "Second “post” & more");
  assert_date(&a->published, "2026-02-01T00:00:00+00:00"); /* Unix time 1769904000 */
  assert_string_equal(str(a->authors, 0), "Grace Hopper");
  t = body_text(a);
  assert_string_equal(t, "Rendered HTML body with a link.");
  g_free(t);
  const KqBlock *b = g_ptr_array_index(a->blocks, 0);
  gboolean link = FALSE;
  for (guint i = 0; i < b->runs->len; i++) {
    const KqRun *r = g_ptr_array_index(b->runs, i);
    if (r->href)
      link = strcmp(r->href, "https://blog.example.com/about") == 0;
  }
  assert_true(link); /* resolved against the item URL */
  g_ptr_array_unref(out);
  kq_log_capture_clear(&w);
}

static void test_lines(void **state)
{
  KqLogCapture w;
  kq_log_capture_init(&w, KQ_LOG_WARNING);
  gboolean ok;
  GPtrArray *out = read_fixture("json/lines.jsonl", &w, &ok);
  assert_true(ok);
  assert_int_equal(out->len, 3);
  assert_int_equal(n_warnings(&w), 1);
  assert_int_equal(warning(&w, 0)->line, 3); /* the broken line's number */
  assert_non_null(strstr(warning(&w, 0)->msg, "not valid JSON"));
  assert_string_equal(article(out, 0)->title, "Line one");
  assert_string_equal(article(out, 1)->title, "Line two");
  const KqArticle *a = article(out, 2);
  assert_string_equal(a->title, "Line four");
  assert_date(&a->published, "2026-03-03T10:00:00+00:00");
  char *t = body_text(a);
  assert_string_equal(t, "Fourth line article.");
  g_free(t);
  g_ptr_array_unref(out);
  kq_log_capture_clear(&w);
}

static void test_no_body(void **state)
{
  KqLogCapture w;
  kq_log_capture_init(&w, KQ_LOG_WARNING);
  gboolean ok;
  GPtrArray *out = read_fixture("json/nobody.json", &w, &ok);
  assert_true(ok); /* ignored like a non-input: no error, no article, no warning */
  assert_int_equal(out->len, 0);
  assert_int_equal(n_warnings(&w), 0);
  g_ptr_array_unref(out);
  kq_log_capture_clear(&w);
}

static void test_plain_text(void **state)
{
  KqLogCapture w;
  kq_log_capture_init(&w, KQ_LOG_WARNING);
  gboolean ok;
  GPtrArray *out = read_fixture("json/plain.json", &w, &ok);
  assert_true(ok);
  assert_int_equal(out->len, 1);
  const KqArticle *a = article(out, 0);
  assert_date(&a->published, "2026-01-15T12:00:00-05:00");
  assert_int_equal(a->blocks->len, 3);
  for (guint i = 0; i < 3; i++)
    assert_int_equal(((KqBlock *)g_ptr_array_index(a->blocks, i))->kind, KQ_BLOCK_PARAGRAPH);
  char *t = body_text(a);
  assert_string_equal(t, "The first paragraph spans two source lines.\n\n"
                         "The second paragraph is short.\n\n"
                         "The third paragraph follows two blank lines.");
  g_free(t);
  g_ptr_array_unref(out);
  kq_log_capture_clear(&w);
}

static void test_html_body(void **state)
{
  KqLogCapture w;
  kq_log_capture_init(&w, KQ_LOG_WARNING);
  gboolean ok;
  GPtrArray *out = read_fixture("json/html.json", &w, &ok);
  assert_true(ok);
  assert_int_equal(out->len, 1);
  const KqArticle *a = article(out, 0);
  assert_string_equal(a->lang, "en-GB");
  assert_string_equal(a->standfirst, "A short summary.");
  static const KqBlockKind kinds[] = {KQ_BLOCK_HEADING, KQ_BLOCK_PARAGRAPH, KQ_BLOCK_LIST,
                                      KQ_BLOCK_QUOTE};
  assert_int_equal(a->blocks->len, G_N_ELEMENTS(kinds)); /* the script is dropped */
  for (gsize i = 0; i < G_N_ELEMENTS(kinds); i++)
    assert_int_equal(((KqBlock *)g_ptr_array_index(a->blocks, i))->kind, kinds[i]);
  char *t = body_text(a);
  assert_non_null(strstr(t, "an entity: café."));
  assert_null(strstr(t, "alert"));
  g_free(t);
  const KqBlock *p = g_ptr_array_index(a->blocks, 1);
  gboolean link = FALSE;
  for (guint i = 0; i < p->runs->len; i++) {
    const KqRun *r = g_ptr_array_index(p->runs, i);
    if (r->href)
      link = strcmp(r->href, "https://html.example.org/relative/link") == 0;
  }
  assert_true(link);
  g_ptr_array_unref(out);
  kq_log_capture_clear(&w);
}

static void test_wrapper(void **state)
{
  KqLogCapture w;
  kq_log_capture_init(&w, KQ_LOG_WARNING);
  gboolean ok;
  GPtrArray *out = read_fixture("json/wrapper.json", &w, &ok);
  assert_true(ok);
  assert_int_equal(out->len, 2);
  const KqArticle *a = article(out, 1);
  assert_string_equal(a->title, "Zweiter Artikel");
  assert_string_equal(a->site, "Wrapper News");
  assert_string_equal(a->lang, "de");
  assert_date(&a->published, "2026-04-02T08:00:00+02:00");
  g_ptr_array_unref(out);
  kq_log_capture_clear(&w);
}

/* Shapes and damage, in memory. */
static void test_cases(void **state)
{
  static const struct {
    const char *name, *json;
    gboolean ok;
    guint articles;
    const char *title;
    guint warnings;
  } cases[] = {
      {"a.json", "{\"title\": \"T\", \"text\": \"Body\"}", TRUE, 1, "T", 0},
      {"b.json", "[{\"title\": \"A\", \"body\": \"x\"}, 3, \"s\", {\"title\": \"B\", \"html\": "
                 "\"<p>y</p>\"}]",
       TRUE, 2, "A", 0},
      {"c.json", "{\"title\": \"T\", \"content\": \"x\",}", FALSE, 0, NULL, 0},
      {"d.json", "{\"title\": \"T\", \"content\": \"x\"}\n{\"title\": \"U\", \"content\": \"y\"}\n",
       TRUE, 2, "T", 0}, /* JSON Lines in a .json file */
      {"e.json", "{\"title\": \"T\", \"content\": \"\"}", TRUE, 0, NULL, 0},
      {"f.json", "{\"title\": \"T\", \"content\": \"x\", \"date\": \"not a date\"}", TRUE, 1, "T",
       1},
      {"g.json", "   ", FALSE, 0, NULL, 0},
      {"h.json", "{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"F\", "
                 "\"items\": [{\"id\": \"1\", \"title\": \"I\", \"content_text\": \"<b>not "
                 "markup</b>\", \"authors\": [{\"name\": \"N\"}], \"tags\": [\"t\"]}]}",
       TRUE, 1, "I", 0},
      {"i.json", "\xEF\xBB\xBF{\"title\": \"Caf\xC3\xA9\", \"text\": \"x\"}", TRUE, 1, "Café", 0},
      {"j.json", "{\"title\": \"Caf\xE9\", \"text\": \"x\"}", TRUE, 1, "Café", 1},
      {"k.jsonl", "{\"title\": \"A\", \"text\": \"x\"}\nnot json\n[1,2]\n", TRUE, 1, "A", 1},
      {"l.jsonl", "garbage\nmore garbage\n", FALSE, 0, NULL, 2},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    KqLogCapture w;
    kq_log_capture_init(&w, KQ_LOG_WARNING);
    gboolean ok = FALSE;
    GPtrArray *out = read_mem(cases[i].name, cases[i].json, &w, &ok);
    if (ok != cases[i].ok || out->len != cases[i].articles || n_warnings(&w) != cases[i].warnings)
      fail_msg("%s: ok=%d articles=%u warnings=%u", cases[i].name, ok, out->len, n_warnings(&w));
    if (cases[i].title)
      assert_string_equal(article(out, 0)->title, cases[i].title);
    g_ptr_array_unref(out);
    kq_log_capture_clear(&w);
  }
  /* JSON Feed content_text stays text, even when it looks like markup */
  KqLogCapture w;
  kq_log_capture_init(&w, KQ_LOG_WARNING);
  gboolean ok;
  GPtrArray *out = read_mem("h.json", cases[7].json, &w, &ok);
  const KqArticle *a = article(out, 0);
  char *t = body_text(a);
  assert_string_equal(t, "<b>not markup</b>");
  g_free(t);
  assert_string_equal(a->site, "F");
  assert_string_equal(str(a->authors, 0), "N");
  assert_string_equal(str(a->topics, 0), "t");
  g_ptr_array_unref(out);
  kq_log_capture_clear(&w);
}

/* Values nested deeper than the cap are dropped before json-glib recurses
 * into them; the article is kept with one warning. A deep value that never
 * closes makes the file refused (json-glib would recurse before failing). */
static void test_depth(void **state)
{
  for (int closed = 0; closed < 2; closed++) {
    GString *s = g_string_new("{\"title\": \"deep\", \"text\": \"x\", \"extra\": ");
    for (int i = 0; i < 100000; i++)
      g_string_append_c(s, '[');
    for (int i = 0; closed && i < 100000; i++)
      g_string_append_c(s, ']');
    g_string_append(s, closed ? ", \"after\": 1}" : "");
    KqLogCapture w;
    kq_log_capture_init(&w, KQ_LOG_WARNING);
    gboolean ok = !closed;
    GPtrArray *out = read_mem("deep.json", s->str, &w, &ok);
    assert_int_equal(ok, closed);
    assert_int_equal(out->len, closed ? 1 : 0);
    if (closed) {
      assert_int_equal(n_warnings(&w), 1);
      assert_non_null(strstr(warning(&w, 0)->msg, "deeper than 256 levels"));
    }
    g_ptr_array_unref(out);
    kq_log_capture_clear(&w);
    g_string_free(s, TRUE);
  }
}

/* Issue 12 case 4: the depth pre-check reads strings and comments exactly as
 * json-glib's tokenizer does, so no prefix can make it stop counting while
 * json-glib goes on recursing (a million levels: SIGSEGV before). Each
 * prefix is followed by a million-deep nest (read with the deep value
 * dropped and one warning) and by a shallow one (read without a warning). */
static void test_depth_tokenizer_issue12(void **state)
{
  static const struct {
    const char *prefix; /* after {"content": "body", "title": */
    gboolean parses;    /* json-glib reads the shallow version */
  } cases[] = {
      {"\"t\" /* \" */", TRUE},            /* a comment runs from / to / */
      {"\"t\" / \" [ /", TRUE},            /* the same without stars */
      {"'single \" quote'", TRUE},          /* single quotes, no escapes */
      {"'back\\'", TRUE},                   /* a backslash ends nothing in '' */
      {"\"multi\nline [ \\\" [\"", TRUE},   /* strings span lines, \" escapes */
      {"\"oct \\18 \\777\"", TRUE},         /* octal escapes */
      {"\"\\u00e9\\uD83D\\uDE00\"", TRUE},  /* a surrogate pair */
      {"\"\\u1\", \"", TRUE},               /* \u takes the quote after one digit */
      {"\"\\uD800\", \"", TRUE},            /* a lone surrogate takes the next quote */
      {"\"\\uD800\\\", \"", TRUE},          /* ... and a backslash and what follows */
      {"\"\\uD800\\u0041\"", FALSE},         /* a bad pair is an error: parsing stops */
      {"'unterminated", FALSE},             /* so is an unterminated string */
  };
  for (gsize c = 0; c < G_N_ELEMENTS(cases); c++) {
    for (int deep = 0; deep < 2; deep++) {
      int n = deep ? 1000000 : 3;
      GString *s = g_string_new("{\"content\": \"body\", \"title\": ");
      g_string_append(s, cases[c].prefix);
      g_string_append(s, ", \"x\": ");
      for (int i = 0; i < n; i++)
        g_string_append_c(s, '[');
      for (int i = 0; i < n; i++)
        g_string_append_c(s, ']');
      g_string_append_c(s, '}');
      KqLogCapture w;
      kq_log_capture_init(&w, KQ_LOG_WARNING);
      gboolean ok = TRUE;
      GPtrArray *out = read_mem("tok.json", s->str, &w, &ok);
      if (!cases[c].parses) {
        if (ok || out->len != 0)
          fail_msg("case %zu (%s) deep=%d: read", c, cases[c].prefix, deep);
      } else if (!ok || out->len != 1 || n_warnings(&w) != (guint)deep) {
        fail_msg("case %zu (%s) deep=%d: ok=%d, %u articles, %u warnings", c,
                 cases[c].prefix, deep, ok, out->len, n_warnings(&w));
      }
      g_ptr_array_unref(out);
      kq_log_capture_clear(&w);
      g_string_free(s, TRUE);
    }
  }
}

static void test_sniff(void **state)
{
  static const struct {
    const char *data;
    gboolean json;
  } cases[] = {
      {"{\"version\": \"https://jsonfeed.org/version/1\"}", TRUE},
      {"\xEF\xBB\xBF  {\"a\": 1}", TRUE},
      {"[{\"a\": 1}]", TRUE},
      {"\n{\"a\": 1}\n{\"a\": 2}\n", TRUE},
      {"<rss>", FALSE},
      {"{ not json", FALSE},
      {"# Title", FALSE},
      {"", FALSE},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    int score = kq_reader_json.sniff(cases[i].data, strlen(cases[i].data));
    if (cases[i].json ? score <= 0 : score != 0)
      fail_msg("sniff case %zu: %d", i, score);
  }
}

/* A damaged document: the error carries the line where json-glib stopped
 * (asked of the parser, issue 13 item 5) and json-glib's text without its
 * own "<data>:LINE:POS:" prefix. */
static void test_syntax_error_line(void **state)
{
  (void)state;
  const char *json = "{\n  \"title\": \"T\",\n  \"content\": \"body\",\n  \"views\": x\n}\n";
  KqLogCapture w;
  kq_log_capture_init(&w, KQ_LOG_WARNING);
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  GError *err = NULL;
  assert_false(kq_reader_json.read("bad.json", json, strlen(json), NULL, &w.log, out, &err));
  assert_non_null(err);
  assert_int_equal(kq_read_error_get_line(err), 4);
  assert_null(strstr(err->message, "<data>"));
  assert_non_null(strstr(err->message, "unexpected identifier"));
  g_error_free(err);
  g_ptr_array_unref(out);
  kq_log_capture_clear(&w);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_json_feed), cmocka_unit_test(test_object),
      cmocka_unit_test(test_array),     cmocka_unit_test(test_lines),
      cmocka_unit_test(test_no_body),   cmocka_unit_test(test_plain_text),
      cmocka_unit_test(test_html_body), cmocka_unit_test(test_wrapper),
      cmocka_unit_test(test_cases),     cmocka_unit_test(test_depth), cmocka_unit_test(test_depth_tokenizer_issue12),
      cmocka_unit_test(test_sniff),
      cmocka_unit_test(test_syntax_error_line),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
