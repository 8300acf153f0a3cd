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

/* Hostile front matter (issue 12 cases 1-3): one warning naming the file and
 * the line, the title and the body still read, in bounded time and stack. */
typedef struct {
  const char *name;
  char *yaml;         /* between the --- lines; freed by the test */
  int max_depth;      /* 0: the default */
  int line;           /* the warning's line */
  const char *says;   /* in the warning */
  const char *topic0; /* first topic kept, or NULL */
} FmCase;

static char *alias_bomb(void)
{
  GString *s = g_string_new("title: Hostile\na0: &a0 [x, x, x, x, x, x, x, x, x]\n");
  for (int i = 1; i < 10; i++) {
    g_string_append_printf(s, "a%d: &a%d [", i, i);
    for (int j = 0; j < 9; j++)
      g_string_append_printf(s, "%s*a%d", j ? ", " : "", i - 1);
    g_string_append(s, "]\n");
  }
  g_string_append(s, "tags: *a9\n");
  return g_string_free(s, FALSE);
}

static char *repeat(const char *head, const char *unit, int n, const char *mid, const char *close,
                    const char *tail)
{
  GString *s = g_string_new(head);
  for (int i = 0; i < n; i++)
    g_string_append(s, unit);
  g_string_append(s, mid);
  for (int i = 0; close && i < n; i++)
    g_string_append(s, close);
  g_string_append(s, tail);
  return g_string_free(s, FALSE);
}

static char *many_tags(int n)
{
  GString *s = g_string_new("title: Hostile\ntags: [");
  for (int i = 0; i < n; i++)
    g_string_append_printf(s, "%st%d", i ? ", " : "", i);
  g_string_append(s, "]\n");
  return g_string_free(s, FALSE);
}

static void read_fm_case(const FmCase *c)
{
  Sink sink = {0};
  kq_log_capture_init(&sink, KQ_LOG_DEBUG);
  KqReadOptions opts;
  kq_read_options_init(&opts);
  if (c->max_depth)
    opts.max_depth = c->max_depth;
  char *md = g_strdup_printf("---\n%s---\n\nThe body of the article.\n", c->yaml);
  char *path = g_strdup_printf("%s.md", c->name);
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  GError *err = NULL;
  gboolean ok = kq_read_buffer(path, md, strlen(md), &opts, &sink.log, out, &err);
  if (!ok)
    fail_msg("%s: %s", c->name, err->message);
  assert_int_equal(out->len, 1);
  const KqArticle *a = g_ptr_array_index(out, 0);
  assert_string_equal(a->title, "Hostile");
  char *text = kq_blocks_to_text(a->blocks);
  assert_non_null(strstr(text, "The body of the article."));
  g_free(text);
  const KqLogEntry *w = last_warning(&sink);
  if (n_warnings(&sink) != 1 || !w || g_strcmp0(w->path, path) != 0 || w->line != c->line ||
      !strstr(w->msg, c->says))
    fail_msg("%s: %u warnings, last %s:%d: %s", c->name, n_warnings(&sink), w ? w->path : "-",
             w ? w->line : 0, w ? w->msg : "-");
  if (c->topic0) {
    assert_true(a->topics->len > 0);
    assert_string_equal(g_ptr_array_index(a->topics, 0), c->topic0);
  }
  g_ptr_array_unref(out);
  g_free(path);
  g_free(md);
  kq_log_capture_clear(&sink);
}

static void test_hostile_front_matter_issue12(void **state)
{
  FmCase cases[] = {
      /* 1: a sequence holding itself through its own alias */
      {"self-alias", g_strdup("title: Hostile\ntags: &t [a, *t]\n"), 0, 3, "holds itself", "a"},
      {"self-mapping", g_strdup("title: Hostile\nauthor: &a {name: [x, *a]}\n"), 0, 3,
       "holds itself", NULL},
      /* 2: aliases nine-fold, ten levels deep (3.4 billion values) */
      {"alias-bomb", alias_bomb(), 0, 13, "more than 65536 values", "x"},
      /* 3: nesting 100,000 deep, flow and block; --max-depth covers it */
      {"deep-flow", repeat("title: Hostile\ntags: ", "[", 100000, "x", "]", "\n"), 0, 3,
       "deeper than 256 levels", NULL},
      {"deep-block", repeat("title: Hostile\ntags:\n  ", "- ", 100000, "x\n", NULL, ""), 0, 4,
       "deeper than 256 levels", NULL},
      {"deep-mapping", repeat("title: Hostile\nx: ", "{a: ", 100000, "b", "}", "\n"), 0, 3,
       "deeper than 256 levels", NULL},
      {"max-depth-8", repeat("title: Hostile\ntags: ", "[", 9, "x", "]", "\n"), 8, 3,
       "deeper than 8 levels", NULL},
      {"many-aliases", repeat("title: Hostile\nv: &v x\ntags: [", "*v, ", 2000, "y]\n", NULL, ""),
       0, 4, "more than 1024 aliases", "x"},
      {"many-values", many_tags(70000), 0, 3, "more than 65536 values", NULL},
      {"many-tags", many_tags(1000), 0, 3, "more than 512 names", "t0"},
      {"undefined-alias", g_strdup("title: Hostile\ntags: [a, *nowhere]\n"), 0, 3,
       "names no anchor", NULL},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    read_fm_case(&cases[i]);
    g_free(cases[i].yaml);
  }
  /* under the cap, the same nesting is read without a warning */
  Sink sink = {0};
  kq_log_capture_init(&sink, KQ_LOG_DEBUG);
  KqReadOptions opts;
  kq_read_options_init(&opts);
  opts.max_depth = 1000;
  char *yaml = repeat("---\ntitle: Deep but allowed\ntags: ", "[", 500, "x", "]", "\n---\n\nBody.\n");
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  assert_true(kq_read_buffer("ok.md", yaml, strlen(yaml), &opts, &sink.log, out, NULL));
  assert_int_equal(n_warnings(&sink), 0);
  const KqArticle *a = g_ptr_array_index(out, 0);
  assert_string_equal(g_ptr_array_index(a->topics, 0), "x");
  g_ptr_array_unref(out);
  g_free(yaml);
  kq_log_capture_clear(&sink);
}

/* --max-article (issue 12) counted block by block, the text built only once
 * kq_block_text_bound() passes the cap (issue 13 CPU bar): every cap from
 * 1 byte to past the body cuts where the blocks' exact text says, and a
 * bound is never below its block's text (list numbers, invisible
 * characters, quotes, code, images). */
static void test_max_article_cut_exact(void **state)
{
  (void)state;
  const char *md = "---\ntitle: Cap\n---\n\n"
                   "## Un inter\n\n"
                   "Un para\xC2\xAD" "graphe avec un trait\xE2\x80\x8B d\xE2\x80\x99union.\n\n"
                   "2147483640. premier\n2147483641. second\n    - dedans\n\n"
                   "> Une citation\n>\n> sur deux paragraphes.\n\n"
                   "```c\nint f(void);\n```\n\n"
                   "![Une image](pic.png)\n\n"
                   "---\n\n"
                   "Dernier paragraphe, <br> avec\\\nune coupure.\n";
  GPtrArray *full = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  KqReadOptions opts;
  kq_read_options_init(&opts);
  assert_true(kq_read_buffer("cap.md", md, strlen(md), &opts, NULL, full, NULL));
  const KqArticle *a = g_ptr_array_index(full, 0);
  guint n = a->blocks->len;
  assert_true(n >= 7);
  gsize total = 0;
  for (guint i = 0; i < n; i++) {
    const KqBlock *b = g_ptr_array_index(a->blocks, i);
    assert_true(kq_block_text_bound(b) >= kq_block_text_length(b));
    total += kq_block_text_length(b);
  }
  for (gsize max = 1; max <= total + 2; max++) {
    guint want = n; /* the blocks kept: up to the one passing max, which goes */
    gsize sum = 0;
    for (guint i = 0; i < n; i++) {
      sum += kq_block_text_length(g_ptr_array_index(a->blocks, i));
      if (sum > max) {
        want = MAX(i, 1u);
        break;
      }
    }
    Sink sink = {0};
    kq_log_capture_init(&sink, KQ_LOG_DEBUG);
    opts.max_article = max;
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
    assert_true(kq_read_buffer("cap.md", md, strlen(md), &opts, &sink.log, out, NULL));
    const KqArticle *cut = g_ptr_array_index(out, 0);
    if (cut->blocks->len != want || (n_warnings(&sink) == 1) != (sum > max))
      fail_msg("max %zu: %u blocks, want %u; %u warnings", max, cut->blocks->len, want,
               n_warnings(&sink));
    g_ptr_array_unref(out);
    kq_log_capture_clear(&sink);
  }
  g_ptr_array_unref(full);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_full_front_matter),
      cmocka_unit_test(test_title_from_heading),
      cmocka_unit_test(test_broken_front_matter),
      cmocka_unit_test(test_empty_and_invalid),
      cmocka_unit_test(test_hostile_front_matter_issue12),
      cmocka_unit_test(test_max_article_cut_exact),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
