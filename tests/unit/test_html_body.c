/* test_html_body.c: HTML fragments -> model blocks (kq_html_fragment_to_blocks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kiosque/html.h"
#include "readers/html_body.h"

/* A compact dump of blocks:
 *   P[runs]  H2[runs]  Q{...}  UL{I{...}I{...}}  OL3{...}  CODE(info)[text]
 *   T{H:cell|cell;R:cell|cell;}  IMG(src|alt)[caption]  HR
 * runs: plain text as is, styled text as {flags:text} with flags e s c ^ _,
 * links as {a=href:text} (flags before "a="), a break as "//", a language
 * as {lang=xx:text}. Blocks are separated by spaces. */
static void dump_runs(GString *out, const GPtrArray *runs)
{
  for (guint i = 0; runs && i < runs->len; i++) {
    const KqRun *r = g_ptr_array_index(runs, i);
    if (r->kind == KQ_RUN_BREAK) {
      g_string_append(out, "//");
      continue;
    }
    if (r->style == 0 && !r->href && !r->lang) {
      g_string_append(out, r->text);
      continue;
    }
    g_string_append_c(out, '{');
    if (r->style & KQ_STYLE_EMPH)
      g_string_append_c(out, 'e');
    if (r->style & KQ_STYLE_STRONG)
      g_string_append_c(out, 's');
    if (r->style & KQ_STYLE_CODE)
      g_string_append_c(out, 'c');
    if (r->style & KQ_STYLE_SUP)
      g_string_append_c(out, '^');
    if (r->style & KQ_STYLE_SUB)
      g_string_append_c(out, '_');
    if (r->href)
      g_string_append_printf(out, "a=%s", r->href);
    if (r->lang)
      g_string_append_printf(out, "lang=%s", r->lang);
    g_string_append_printf(out, ":%s}", r->text);
  }
}

static void dump_blocks(GString *out, const GPtrArray *blocks)
{
  for (guint i = 0; i < blocks->len; i++) {
    const KqBlock *b = g_ptr_array_index(blocks, i);
    if (out->len > 0 && out->str[out->len - 1] != '{')
      g_string_append_c(out, ' ');
    switch (b->kind) {
    case KQ_BLOCK_PARAGRAPH:
      g_string_append(out, "P");
      if (b->lang)
        g_string_append_printf(out, "(%s)", b->lang);
      g_string_append_c(out, '[');
      dump_runs(out, b->runs);
      g_string_append_c(out, ']');
      break;
    case KQ_BLOCK_HEADING:
      g_string_append_printf(out, "H%d[", b->level);
      dump_runs(out, b->runs);
      g_string_append_c(out, ']');
      break;
    case KQ_BLOCK_QUOTE:
    case KQ_BLOCK_ITEM:
      g_string_append(out, b->kind == KQ_BLOCK_QUOTE ? "Q{" : "I{");
      dump_blocks(out, b->children);
      g_string_append_c(out, '}');
      break;
    case KQ_BLOCK_LIST:
      if (b->ordered)
        g_string_append_printf(out, "OL%d{", b->start);
      else
        g_string_append(out, "UL{");
      dump_blocks(out, b->children);
      g_string_append_c(out, '}');
      break;
    case KQ_BLOCK_CODE:
      g_string_append_printf(out, "CODE(%s)[%s]", b->info ? b->info : "", b->text);
      break;
    case KQ_BLOCK_TABLE:
      g_string_append(out, "T{");
      for (guint r = 0; r < b->rows->len; r++) {
        const KqTableRow *row = g_ptr_array_index(b->rows, r);
        g_string_append(out, row->header ? "H:" : "R:");
        for (guint c = 0; c < row->cells->len; c++) {
          if (c)
            g_string_append_c(out, '|');
          dump_runs(out, g_ptr_array_index(row->cells, c));
        }
        g_string_append_c(out, ';');
      }
      g_string_append_c(out, '}');
      break;
    case KQ_BLOCK_IMAGE:
      g_string_append_printf(out, "IMG(%s|%s)[", b->src, b->alt ? b->alt : "");
      dump_runs(out, b->runs);
      g_string_append_c(out, ']');
      break;
    case KQ_BLOCK_RULE:
      g_string_append(out, "HR");
      break;
    }
  }
}

static char *convert(const char *html, const char *base, const KqReadOptions *opts,
                     KqLog *log)
{
  GPtrArray *blocks =
    kq_html_fragment_to_blocks(html, strlen(html), base, opts, log, "test.html");
  GString *out = g_string_new(NULL);
  dump_blocks(out, blocks);
  g_ptr_array_unref(blocks);
  return g_string_free(out, FALSE);
}

typedef struct {
  const char *name;
  const char *html;
  const char *expected;
} Case;

static const Case cases[] = {
  {"plain text", "Hello   world", "P[Hello world]"},
  {"paragraphs", "<p>One</p>\n<p> Two </p>", "P[One] P[Two]"},
  {"whitespace collapsed across elements", "<p>  a <b> b </b>  c\n\t d </p>",
   "P[a {s:b} c d]"},
  {"space after a link stays outside it", "<p><a href=\"/x\">link </a>next</p>",
   "P[{a=http://e.org/x:link} next]"},
  {"nested styles combine", "<p><strong><em>both</em></strong> <code>x()</code></p>",
   "P[{es:both} {c:x()}]"},
  {"i cite b kbd tt samp", "<p><i>i</i><cite>c</cite><b>b</b><kbd>k</kbd><tt>t</tt><samp>s</samp></p>",
   "P[{e:ic}{s:b}{c:kts}]"},
  {"sup and sub", "<p>x<sup>2</sup> H<sub>2</sub>O</p>", "P[x{^:2} H{_:2}O]"},
  {"br", "<p>line one<br>line two<br></p>", "P[line one//line two]"},
  {"double br splits paragraphs", "<div>first<br><br>second<br> <br>third</div>",
   "P[first] P[second] P[third]"},
  {"headings", "<h1>Title</h1><h3>Sub <em>head</em></h3><p>x</p>",
   "H1[Title] H3[Sub {e:head}] P[x]"},
  {"br inside heading is a space", "<h2>a<br>b</h2>", "H2[a b]"},
  {"blockquote", "<blockquote><p>q1</p>loose</blockquote>", "Q{P[q1] P[loose]}"},
  {"lists", "<ul><li>a</li><li><p>b</p><ol start=\"3\"><li>c</li></ol></li></ul>",
   "UL{I{P[a]} I{P[b] OL3{I{P[c]}}}}"},
  {"list directly in a list joins the previous item",
   "<ul><li>a</li><ul><li>b</li></ul></ul>", "UL{I{P[a] UL{I{P[b]}}}}"},
  {"empty items dropped", "<ul><li> </li><li>x</li></ul>", "UL{I{P[x]}}"},
  {"pre kept verbatim", "<pre class=\"language-c\">int  x;\n  y();\n</pre>",
   "CODE(c)[int  x;\n  y();]"},
  {"pre with code child and br", "<pre><code class=\"lang-py\">a<br>b <b>c</b></code></pre>",
   "CODE(py)[a\nb c]"},
  {"data table", "<table><thead><tr><th>A</th><th>B</th></tr></thead>"
                 "<tbody><tr><td>1</td><td><em>2</em></td></tr></tbody></table>",
   "T{H:A|B;R:1|{e:2};}"},
  {"th row is a header", "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>",
   "T{H:A|B;R:1|2;}"},
  {"table caption", "<table><caption>Cap</caption><tr><td>1</td><td>2</td></tr></table>",
   "P[Cap] T{R:1|2;}"},
  {"one-column table is layout", "<table><tr><td><p>a</p><p>b</p></td></tr></table>",
   "P[a] P[b]"},
  {"image resolved", "<p><img src=\"i.png\" alt=\" An  image \"></p>",
   "IMG(http://e.org/dir/i.png|An image)[]"},
  {"figure with caption", "<figure><img src=\"/a.jpg\" alt=\"a\"><figcaption>The <b>cap</b></figcaption></figure>",
   "IMG(http://e.org/a.jpg|a)[The {s:cap}]"},
  {"figure without image", "<figure><blockquote>q</blockquote><figcaption>who</figcaption></figure>",
   "Q{P[q]} P[who]"},
  {"lazy image", "<img src=\"data:image/gif;base64,R0lGOD\" data-src=\"real.jpg\">",
   "IMG(http://e.org/dir/real.jpg|)[]"},
  {"noscript fallback of a placeholder",
   "<img src=\"data:image/gif;base64,R0l\"> <noscript><img src=\"real.jpg\" alt=\"Real\"></noscript>",
   "IMG(http://e.org/dir/real.jpg|Real)[]"},
  {"noscript alone stays dropped", "<p>t</p><noscript><img src=\"pixel.gif\"></noscript>", "P[t]"},
  {"srcset picks the largest", "<img srcset=\"s.jpg 300w, l.jpg 1200w, m.jpg 600w\">",
   "IMG(http://e.org/dir/l.jpg|)[]"},
  {"tracking pixel dropped", "<p>x<img src=\"p.gif\" width=\"1\" height=\"1\"></p>", "P[x]"},
  {"image splits a paragraph", "<p>before <img src=\"i.png\"> after</p>",
   "P[before] IMG(http://e.org/dir/i.png|)[] P[after]"},
  {"hr", "<p>a</p><hr><p>b</p>", "P[a] HR P[b]"},
  {"dropped elements",
   "<p>keep</p><script>bad()</script><style>p{}</style><noscript>ns</noscript>"
   "<form><p>form</p><input value=v></form><button>b</button><select><option>o</option></select>"
   "<textarea>t</textarea><iframe src=x>if</iframe><object>o</object><embed src=e>"
   "<svg><text>svg</text></svg><template><p>tpl</p></template><nav><a href=/>home</a></nav><p>end</p>",
   "P[keep] P[end]"},
  {"hidden elements",
   "<p hidden>h1</p><p aria-hidden=\"true\">h2</p><p style=\"display: none\">h3</p>"
   "<p style=\"color:red; VISIBILITY : hidden\">h4</p><p aria-hidden=\"false\">shown</p>",
   "P[shown]"},
  {"dangerous links lose their href", "<p><a href=\"javascript:alert(1)\">js</a> "
                                      "<a href=\" DATA:text/html,x\">data</a> <a href=\"#n\">n</a></p>",
   "P[js data {a=http://e.org/dir/page.html#n:n}]"},
  {"event handlers ignored", "<p onclick=\"evil()\">x</p>", "P[x]"},
  {"loose text and inline in div", "<div>loose <em>text</em><p>para</p>tail</div>",
   "P[loose {e:text}] P[para] P[tail]"},
  {"block inside inline", "<a href=\"/l\"><div>in link</div></a>", "P[{a=http://e.org/l:in link}]"},
  {"nbsp kept", "<p>a&nbsp;b &amp; c</p>", "P[a\xc2\xa0" "b & c]"},
  {"lang on runs and blocks", "<p lang=\"de\">Hallo</p><p>mixed <span lang=\"fr\">oui</span></p>",
   "P(de)[Hallo] P[mixed {lang=fr:oui}]"},
  {"definition lists", "<dl><dt>Term</dt><dd>Def</dd></dl>", "P[{s:Term}] P[Def]"},
  {"comments ignored", "<p>a<!-- c -->b</p>", "P[ab]"},
  {"cell with blocks keeps breaks", "<table><tr><td><p>a</p><p>b</p></td><td>c</td></tr></table>",
   "T{R:a//b|c;}"},
  {"void elements unknown to libxml2 keep what follows",
   "<p>a</p><embed src=x.swf><p>b</p><picture><source srcset=\"s.webp\"><img src=\"i.jpg\"></picture>",
   "P[a] P[b] IMG(http://e.org/dir/i.jpg|)[]"},
  {"empty input", "", ""},
  {"only whitespace", "  \n <p> </p> ", ""},
  {"paragraphs of no-break spaces are no paragraphs (issue 17)",
   "<p>a</p><p>&nbsp;</p><p> &#x202F;<br>&nbsp; </p><p>b</p>", "P[a] P[b]"},
};

static void test_cases(void **state)
{
  (void)state;
  int failures = 0;
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    char *got = convert(cases[i].html, "http://e.org/dir/page.html", NULL, NULL);
    if (strcmp(got, cases[i].expected) != 0) {
      print_error("case \"%s\":\n  expected: %s\n  got:      %s\n", cases[i].name,
                  cases[i].expected, got);
      failures++;
    }
    g_free(got);
  }
  assert_int_equal(failures, 0);
}


/* Issue 12: elements nested deeper than --max-depth are flattened into the
 * element at the cap, so their text and everything after the nest is kept
 * (libxml2 used to stop at 256 levels and lose the rest without a word). */
static void test_depth_cap(void **state)
{
  (void)state;
  GString *html = g_string_new("<p>top</p>");
  for (int i = 0; i < 300; i++)
    g_string_append(html, "<div>");
  g_string_append(html, "<p>deep</p>");
  for (int i = 0; i < 300; i++)
    g_string_append(html, "</div>");
  g_string_append(html, "<p>after</p>");
  KqLogCapture log; /* the shared capture of log.h (issue 13 item 8) */
  KqReadOptions opts;
  kq_read_options_init(&opts);
  static const int caps[] = {10, 256, 1000};
  for (gsize i = 0; i < G_N_ELEMENTS(caps); i++) {
    opts.max_depth = caps[i];
    kq_log_capture_init(&log, KQ_LOG_WARNING);
    char *got = convert(html->str, NULL, &opts, &log.log);
    assert_string_equal(got, "P[top] P[deep] P[after]");
    assert_int_equal(kq_log_capture_count(&log, KQ_LOG_WARNING, NULL), caps[i] < 300 ? 1 : 0);
    kq_log_capture_clear(&log);
    g_free(got);
  }
  g_string_free(html, TRUE);
  /* --max-depth 100000 still flattens at 10,000 levels: the walks over the
   * tree recurse once per level */
  html = g_string_new("<p>top</p>");
  for (int i = 0; i < 12000; i++)
    g_string_append(html, "<div>");
  g_string_append(html, "<p>deep</p>");
  for (int i = 0; i < 12000; i++)
    g_string_append(html, "</div>");
  g_string_append(html, "<p>after</p>");
  opts.max_depth = 100000;
  kq_log_capture_init(&log, KQ_LOG_WARNING);
  char *got = convert(html->str, NULL, &opts, &log.log);
  assert_string_equal(got, "P[top] P[deep] P[after]");
  assert_int_equal(kq_log_capture_count(&log, KQ_LOG_WARNING, NULL), 1);
  kq_log_capture_clear(&log);
  g_free(got);
  g_string_free(html, TRUE);
}

/* Issue 12: one element with 50,000 attributes (libxml2's duplicate check
 * is quadratic: 89 s) keeps its first 256 and costs a warning. */
static void test_attribute_flood(void **state)
{
  (void)state;
  GString *html = g_string_new("<p>before</p><p><a href=\"https://example.org/\" ");
  for (int i = 0; i < 50000; i++)
    g_string_append_printf(html, "a%d='x>y' ", i);
  g_string_append(html, ">link</a> text</p><!-- <b c d> --><p>after</p>");
  KqLogCapture log;
  kq_log_capture_init(&log, KQ_LOG_WARNING);
  char *got = convert(html->str, NULL, NULL, &log.log);
  assert_string_equal(got, "P[before] P[{a=https://example.org/:link} text] P[after]");
  assert_int_equal(kq_log_capture_count(&log, KQ_LOG_WARNING, NULL), 1);
  kq_log_capture_clear(&log);
  g_free(got);
  g_string_free(html, TRUE);
}

static void test_text_cap(void **state)
{
  (void)state;
  GString *html = g_string_new(NULL);
  for (int i = 0; i < 100; i++)
    g_string_append(html, "<p>0123456789</p>");
  KqLogCapture log;
  kq_log_capture_init(&log, KQ_LOG_WARNING);
  KqReadOptions opts;
  kq_read_options_init(&opts);
  opts.max_article = 55;
  GPtrArray *blocks =
      kq_html_fragment_to_blocks(html->str, html->len, NULL, &opts, &log.log, "x");
  assert_true(blocks->len >= 5 && blocks->len <= 6);
  assert_int_equal(kq_log_capture_count(&log, KQ_LOG_WARNING, NULL), 1);
  kq_log_capture_clear(&log);
  g_ptr_array_unref(blocks);
  g_string_free(html, TRUE);
}

static void test_invalid_utf8(void **state)
{
  (void)state;
  static const char bad[] = "<p>caf\xe9 \xc3\xa9t\xc3\xa9</p>";
  GPtrArray *blocks = kq_html_fragment_to_blocks(bad, sizeof bad - 1, NULL, NULL, NULL, NULL);
  assert_int_equal(blocks->len, 1);
  char *text = kq_blocks_to_text(blocks);
  assert_true(g_utf8_validate(text, -1, NULL));
  assert_non_null(strstr(text, "\xc3\xa9t\xc3\xa9"));
  g_free(text);
  g_ptr_array_unref(blocks);
  static const char nul[] = "<p>a\0b</p>";
  blocks = kq_html_fragment_to_blocks(nul, sizeof nul - 1, NULL, NULL, NULL, NULL);
  text = kq_blocks_to_text(blocks);
  assert_string_equal(text, "ab");
  g_free(text);
  g_ptr_array_unref(blocks);
}

static void test_resolve_url(void **state)
{
  (void)state;
  static const struct {
    const char *href, *base, *expected;
  } t[] = {
    {"b/c", "http://e.org/a/x.html", "http://e.org/a/b/c"},
    {"../c", "http://e.org/a/b/x.html", "http://e.org/a/c"},
    {"//cdn.e.org/i.png", "https://e.org/", "https://cdn.e.org/i.png"},
    {"  /p?q=1 ", "https://e.org/a/", "https://e.org/p?q=1"},
    {"http://other.org/", "https://e.org/", "http://other.org/"},
    {"javascript:void(0)", "https://e.org/", NULL},
    {"JavaScript:x", NULL, NULL},
    {"data:text/plain,x", "https://e.org/", NULL},
    {"vbscript:x", "https://e.org/", NULL},
    {"rel/path.png", NULL, "rel/path.png"},
    {"a b.png", "https://e.org/", "https://e.org/a%20b.png"},
    {"", "https://e.org/", NULL},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(t); i++) {
    char *got = kq_html_resolve_url(t[i].href, t[i].base);
    if (g_strcmp0(got, t[i].expected) != 0)
      print_error("resolve(%s, %s): expected %s, got %s\n", t[i].href,
                  t[i].base ? t[i].base : "NULL", t[i].expected ? t[i].expected : "NULL",
                  got ? got : "NULL");
    assert_true(g_strcmp0(got, t[i].expected) == 0);
    g_free(got);
  }
}

static void test_looks_like_markup(void **state)
{
  (void)state;
  static const struct {
    const char *text;
    gboolean markup;
  } t[] = {
    {"<p>Hello</p>", TRUE},
    {"Hello<br/>world", TRUE},
    {"Some <b>bold</b> text", TRUE},
    {"<!-- comment --> text", TRUE},
    {"<!DOCTYPE html><html>", TRUE},
    {"<div class=\"x\">", TRUE},
    {"Plain text, nothing else.", FALSE},
    {"if a < b and b > c then", FALSE},
    {"Use <stdio.h> in C", FALSE},
    {"x<y", FALSE},
    {"Tom & Jerry &amp; co", FALSE},
    {"<bold> is not a tag", FALSE},
    {"", FALSE},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(t); i++) {
    if (kq_html_looks_like_markup(t[i].text, strlen(t[i].text)) != t[i].markup)
      print_error("looks_like_markup(\"%s\") should be %d\n", t[i].text, t[i].markup);
    assert_int_equal(kq_html_looks_like_markup(t[i].text, strlen(t[i].text)), t[i].markup);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_cases),
    cmocka_unit_test(test_depth_cap), cmocka_unit_test(test_attribute_flood),
    cmocka_unit_test(test_text_cap),
    cmocka_unit_test(test_invalid_utf8),
    cmocka_unit_test(test_resolve_url),
    cmocka_unit_test(test_looks_like_markup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
