/* test_epub.c: the EPUB writer: zip layout, reproducibility, identifier, escaping, links, images. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <glib/gstdio.h>
#include <zip.h>

#include "epub/images.h"
#include "epub/xhtml.h"
#include "kiosque/writer.h"

/* ---- Helpers --------------------------------------------------------------- */

static KqArticle *make_article(const char *title, const char *url, int day, const char *lang,
                               const char *body)
{
  KqArticle *a = kq_article_new("tests/fixtures/epub/images/article.md", KQ_FORMAT_MARKDOWN);
  a->title = g_strdup(title);
  a->url = url ? g_strdup(url) : NULL;
  a->lang = g_strdup(lang);
  a->site = g_strdup("Site & <Co>");
  g_ptr_array_add(a->topics, g_strdup("Réseaux"));
  g_ptr_array_add(a->authors, g_strdup("Ada"));
  kq_date_make(&a->published, 2026, 1, day, TRUE, 23, 30, 0, -600);
  GPtrArray *blocks = kq_blocks_from_plain_text(body, -1);
  g_ptr_array_unref(a->blocks);
  a->blocks = blocks;
  kq_article_finish(a);
  return a;
}

static KqEdition *make_edition(void)
{
  GPtrArray *arts = g_ptr_array_new();
  g_ptr_array_add(arts, make_article("Premier <b>titre</b> du XXIème siècle", "https://example.org/1", 5, "fr",
                                     "Un texte « simple » : voilà.\n\nSecond paragraphe."));
  g_ptr_array_add(arts, make_article("Second title", "https://example.org/2", 20, "en",
                                     "Plain English text."));
  KqCollectOptions opts;
  kq_collect_options_init(&opts);
  KqEdition *ed = kq_edition_new_take(arts, &opts);
  kq_collect_options_clear(&opts);
  return ed;
}

static char *write_epub(const KqEdition *ed, const char *dir, const char *name)
{
  KqWriteOptions wo;
  kq_write_options_init(&wo);
  wo.timestamp = kq_edition_timestamp(ed);
  char *path = g_build_filename(dir, name, NULL);
  GError *err = NULL;
  gboolean ok = kq_epub_write(ed, &wo, path, NULL, &err);
  if (!ok)
    fail_msg("kq_epub_write: %s", err ? err->message : "?");
  return path;
}

static GBytes *slurp(const char *path)
{
  char *data;
  gsize len;
  assert_true(g_file_get_contents(path, &data, &len, NULL));
  return g_bytes_new_take(data, len);
}

static char *entry_text(zip_t *za, const char *name)
{
  zip_stat_t st;
  assert_int_equal(zip_stat(za, name, 0, &st), 0);
  zip_file_t *f = zip_fopen(za, name, 0);
  assert_non_null(f);
  char *buf = g_malloc0(st.size + 1);
  assert_int_equal(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
  zip_fclose(f);
  return buf;
}

static void rm_rf(const char *dir)
{
  GDir *d = g_dir_open(dir, 0, NULL);
  const char *n;
  while (d && (n = g_dir_read_name(d))) {
    char *p = g_build_filename(dir, n, NULL);
    g_unlink(p);
    g_free(p);
  }
  if (d)
    g_dir_close(d);
  g_rmdir(dir);
}

/* ---- Zip layout -------------------------------------------------------------- */

static void test_zip_layout(void **state)
{
  g_setenv("SOURCE_DATE_EPOCH", "1769900000", TRUE); /* 2026-01-31T22:53:20Z */
  KqEdition *ed = make_edition();
  char *dir = g_dir_make_tmp("kq-epub-XXXXXX", NULL);
  char *path = write_epub(ed, dir, "t.epub");

  /* Raw bytes: the first local header is "mimetype", stored, no extra field,
   * and its content follows at offset 38 (OCF). */
  GBytes *bytes = slurp(path);
  gsize len;
  const guint8 *b = g_bytes_get_data(bytes, &len);
  assert_true(len > 60);
  assert_memory_equal(b, "PK\x03\x04", 4);
  assert_int_equal(b[8] | b[9] << 8, 0);    /* compression: stored */
  assert_int_equal(b[26] | b[27] << 8, 8);  /* name length */
  assert_int_equal(b[28] | b[29] << 8, 0);  /* extra field length */
  assert_memory_equal(b + 30, "mimetype", 8);
  assert_memory_equal(b + 38, "application/epub+zip", 20);
  /* DOS time of 2026-01-31 22:53:20 UTC, whatever the local zone. */
  guint16 dtime = (guint16)(b[10] | b[11] << 8), ddate = (guint16)(b[12] | b[13] << 8);
  assert_int_equal(ddate, ((2026 - 1980) << 9) | (1 << 5) | 31);
  assert_int_equal(dtime, (22 << 11) | (53 << 5) | (20 / 2));
  g_bytes_unref(bytes);

  int zerr;
  zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
  assert_non_null(za);
  assert_string_equal(zip_get_name(za, 0, 0), "mimetype");
  zip_int64_t n = zip_get_num_entries(za, 0);
  gboolean seen_opf = FALSE, seen_nav = FALSE, seen_ncx = FALSE, seen_container = FALSE;
  for (zip_int64_t i = 0; i < n; i++) {
    zip_stat_t st;
    assert_int_equal(zip_stat_index(za, (zip_uint64_t)i, 0, &st), 0);
    /* no extra field anywhere, one fixed time */
    assert_int_equal(zip_file_extra_fields_count(za, (zip_uint64_t)i, ZIP_FL_LOCAL), 0);
    assert_int_equal(zip_file_extra_fields_count(za, (zip_uint64_t)i, ZIP_FL_CENTRAL), 0);
    seen_opf |= strcmp(st.name, "OEBPS/content.opf") == 0;
    seen_nav |= strcmp(st.name, "OEBPS/nav.xhtml") == 0;
    seen_ncx |= strcmp(st.name, "OEBPS/toc.ncx") == 0;
    seen_container |= strcmp(st.name, "META-INF/container.xml") == 0;
  }
  assert_true(seen_opf && seen_nav && seen_ncx && seen_container);

  char *opf = entry_text(za, "OEBPS/content.opf");
  assert_non_null(strstr(opf, "version=\"3.0\""));
  assert_non_null(strstr(opf, "<meta property=\"dcterms:modified\">2026-01-31T22:53:20Z</meta>"));
  assert_non_null(strstr(opf, "<dc:identifier id=\"uid\">urn:uuid:"));
  /* issue 15: one author (the default creator); the site is a contributor */
  assert_non_null(strstr(opf, "<dc:creator id=\"creator\">kiosque</dc:creator>"));
  assert_null(strstr(opf, "creator-2"));
  assert_non_null(strstr(opf, "<dc:contributor id=\"contributor-1\">Site &amp; &lt;Co&gt;</dc:contributor>"));
  assert_non_null(strstr(opf, "<dc:subject>Réseaux</dc:subject>"));
  assert_non_null(strstr(opf, "properties=\"cover-image\""));
  assert_non_null(strstr(opf, "schema:accessibilitySummary"));
  assert_non_null(strstr(opf, "<spine toc=\"ncx\">"));
  g_free(opf);
  char *nav = entry_text(za, "OEBPS/nav.xhtml");
  assert_non_null(strstr(nav, "role=\"doc-toc\""));
  assert_non_null(strstr(nav, "epub:type=\"landmarks\""));
  assert_non_null(strstr(nav, "hidden=\"hidden\""));
  g_free(nav);
  /* issue 15: the navigation document is not in the spine (readers that show
   * every spine document printed its landmarks); contents.xhtml is */
  opf = entry_text(za, "OEBPS/content.opf");
  assert_null(strstr(opf, "<itemref idref=\"nav\"/>"));
  assert_non_null(strstr(opf, "<itemref idref=\"contents\"/>"));
  g_free(opf);
  char *contents = entry_text(za, "OEBPS/contents.xhtml");
  assert_null(strstr(contents, "landmarks"));
  assert_non_null(strstr(contents, "href=\"art-0001.xhtml\""));
  g_free(contents);
  /* the title, a plain string, is typeset as runs: FR-9's ordinal suffix is a <sup> */
  char *chapter = entry_text(za, "OEBPS/art-0001.xhtml");
  assert_non_null(strstr(chapter, "<h1>Premier &lt;b&gt;titre&lt;/b&gt; du XXI<sup>e</sup>"));
  g_free(chapter);
  zip_close(za);

  g_unsetenv("SOURCE_DATE_EPOCH");
  g_unlink(path);
  g_free(path);
  rm_rf(dir);
  g_free(dir);
  kq_edition_free(ed);
}

/* Same input, different local time zones: byte-identical archives. */
static void test_reproducible_across_time_zones(void **state)
{
  g_unsetenv("SOURCE_DATE_EPOCH");
  KqEdition *ed = make_edition();
  char *dir = g_dir_make_tmp("kq-epub-XXXXXX", NULL);
  g_setenv("TZ", "UTC", TRUE);
  tzset();
  char *p1 = write_epub(ed, dir, "utc.epub");
  g_setenv("TZ", "Pacific/Auckland", TRUE);
  tzset();
  char *p2 = write_epub(ed, dir, "auckland.epub");
  g_unsetenv("TZ");
  tzset();
  GBytes *b1 = slurp(p1), *b2 = slurp(p2);
  assert_true(g_bytes_equal(b1, b2));
  /* the date is the newest article's instant: 2026-01-20 23:30 -10:00 */
  int zerr;
  zip_t *za = zip_open(p1, ZIP_RDONLY, &zerr);
  char *opf = entry_text(za, "OEBPS/content.opf");
  assert_non_null(strstr(opf, "<meta property=\"dcterms:modified\">2026-01-21T09:30:00Z</meta>"));
  g_free(opf);
  zip_close(za);
  g_bytes_unref(b1);
  g_bytes_unref(b2);
  g_unlink(p1);
  g_unlink(p2);
  g_free(p1);
  g_free(p2);
  rm_rf(dir);
  g_free(dir);
  kq_edition_free(ed);
}

/* ---- Identifier ------------------------------------------------------------------ */

static char *identifier_of(const KqEdition *ed)
{
  char *dir = g_dir_make_tmp("kq-epub-XXXXXX", NULL);
  char *path = write_epub(ed, dir, "id.epub");
  int zerr;
  zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
  char *opf = entry_text(za, "OEBPS/content.opf");
  zip_close(za);
  const char *p = strstr(opf, "urn:uuid:");
  assert_non_null(p);
  char *id = g_strndup(p, strlen("urn:uuid:") + 36);
  g_free(opf);
  g_unlink(path);
  g_free(path);
  rm_rf(dir);
  g_free(dir);
  return id;
}

static void test_identifier_from_content(void **state)
{
  KqEdition *a = make_edition(), *b = make_edition();
  char *ia = identifier_of(a), *ib = identifier_of(b);
  assert_string_equal(ia, ib);
  /* RFC 4122 version 5, variant 10xx */
  assert_int_equal(ia[9 + 14], '5');
  assert_non_null(strchr("89ab", ia[9 + 19]));
  /* other articles, other identifier */
  GPtrArray *arts = g_ptr_array_new();
  g_ptr_array_add(arts, make_article("Autre", "https://example.org/3", 7, "fr", "Texte."));
  KqCollectOptions opts;
  kq_collect_options_init(&opts);
  KqEdition *c = kq_edition_new_take(arts, &opts);
  kq_collect_options_clear(&opts);
  char *ic = identifier_of(c);
  assert_string_not_equal(ia, ic);
  g_free(ia);
  g_free(ib);
  g_free(ic);
  kq_edition_free(a);
  kq_edition_free(b);
  kq_edition_free(c);
}

/* ---- Escaping (R-6, HY-5) --------------------------------------------------------- */

typedef struct {
  const char *in;
  const char *out;
} Case;

static const Case escape_cases[] = {
  {"a < b & c > d \"q\" 'a'", "a &lt; b &amp; c &gt; d &quot;q&quot; 'a'"},
  {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
  {"tab\tnl\ncr\r", "tab\tnl\ncr\r"},
  {"bel\x07" "esc\x1b" "vt\x0b" "del\x7f", "belescvtdel"},
  {"c1\xc2\x85\xc2\x9b", "c1"},
  {"nonchar\xef\xbf\xbe\xef\xbf\xbf\xef\xb7\x90", "nonchar"},
  {"plane1\xf0\x9f\xbf\xbe", "plane1"},
  {"rlo\xe2\x80\xae" "x\xe2\x80\xac" "lri\xe2\x81\xa6" "y\xe2\x81\xa9", "rloxlriy"},
  {"soft\xc2\xadhyphen", "softhyphen"},                          /* HY-5 */
  {"nbsp\xc2\xa0nnbsp\xe2\x80\xaf", "nbsp\xc2\xa0nnbsp\xe2\x80\xaf"}, /* kept as characters */
  {"bad\xff\xfeutf8\xc3", "badutf8"},
  {"lrm\xe2\x80\x8e ok \xf0\x9f\x98\x80", "lrm\xe2\x80\x8e ok \xf0\x9f\x98\x80"},
};

static void test_escape(void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS(escape_cases); i++) {
    GString *s = g_string_new(NULL);
    kq_xhtml_escape(s, escape_cases[i].in, -1);
    if (strcmp(s->str, escape_cases[i].out) != 0)
      fail_msg("escape case %zu: got \"%s\", expected \"%s\"", i, s->str, escape_cases[i].out);
    g_string_free(s, TRUE);
  }
  char *clean = kq_xhtml_clean_text("a<b\x07\xc2\xad");
  assert_string_equal(clean, "a<b");
  g_free(clean);
}

static const Case href_cases[] = {
  {"https://example.org/a?b=1&c=2#frag", "https://example.org/a?b=1&c=2#frag"},
  {"HTTP://Example.org/", "http://Example.org/"},
  {"mailto:someone@example.org", "mailto:someone@example.org"},
  {"https://example.org/a b\"<>", "https://example.org/a%20b%22%3C%3E"},
  {"https://example.org/é", "https://example.org/%C3%A9"},
  {"https://example.org/a#b#c", "https://example.org/a#b%23c"},
  {"https://[::1]/x[1]", "https://[::1]/x%5B1%5D"},
  {"https://example.org/100%", "https://example.org/100%25"},
  {"javascript:alert(1)", NULL},
  {"JaVaScRiPt:alert(1)", NULL},
  {"java\tscript:alert(1)", NULL},
  {" javascript:alert(1)", NULL},
  {"vbscript:msgbox(1)", NULL},
  {"data:text/html,<script>alert(1)</script>", NULL},
  {"file:///etc/passwd", NULL},
  {"../relative.html", NULL},
  {"//evil.example/x", NULL},
  {"https://", NULL},
  {"mailto:", NULL},
  {"", NULL},
};

static void test_safe_href(void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS(href_cases); i++) {
    char *got = kq_xhtml_safe_href(href_cases[i].in);
    if (g_strcmp0(got, href_cases[i].out) != 0)
      fail_msg("href case %zu (%s): got %s, expected %s", i, href_cases[i].in,
               got ? got : "NULL", href_cases[i].out ? href_cases[i].out : "NULL");
    g_free(got);
  }
  assert_null(kq_xhtml_safe_href(NULL));
}

static const Case lang_cases[] = {
  {"fr", "fr"},       {"en-US", "en-US"}, {"fr_CA", "fr-CA"},   {" de ", "de"},
  {"zh-Hant-TW", "zh-Hant-TW"},           {"", NULL},           {"f", NULL},
  {"fr\"><x", NULL},  {"en--US", NULL},   {"123", NULL},        {"toolongtag", NULL},
};

static void test_lang_tag(void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS(lang_cases); i++) {
    char *got = kq_xhtml_lang_tag(lang_cases[i].in);
    if (g_strcmp0(got, lang_cases[i].out) != 0)
      fail_msg("lang case %zu (%s): got %s", i, lang_cases[i].in, got ? got : "NULL");
    g_free(got);
  }
}

/* ---- Runs and blocks --------------------------------------------------------------- */

static void test_runs(void **state)
{
  GPtrArray *runs = kq_runs_new();
  g_ptr_array_add(runs, kq_run_new(KQ_RUN_TEXT, KQ_STYLE_NONE, "Le 1", NULL));
  g_ptr_array_add(runs, kq_run_new(KQ_RUN_TEXT, KQ_STYLE_SUP, "er", NULL)); /* */
  g_ptr_array_add(runs, kq_run_new(KQ_RUN_TEXT, KQ_STYLE_EMPH, " lien", "https://a.example/"));
  g_ptr_array_add(runs, kq_run_new(KQ_RUN_TEXT, KQ_STYLE_STRONG, " suite", "https://a.example/"));
  g_ptr_array_add(runs, kq_run_new(KQ_RUN_TEXT, KQ_STYLE_NONE, " piège", "javascript:alert(1)"));
  g_ptr_array_add(runs, kq_run_new(KQ_RUN_BREAK, KQ_STYLE_NONE, NULL, NULL));
  KqRun *en = kq_run_new(KQ_RUN_TEXT, KQ_STYLE_CODE, "x<y", NULL);
  en->lang = g_strdup("en");
  g_ptr_array_add(runs, en);
  GString *s = g_string_new(NULL);
  kq_xhtml_runs(s, runs, "fr");
  assert_string_equal(s->str, "Le 1<sup>er</sup><a href=\"https://a.example/\"><em> lien</em>"
                              "<strong> suite</strong></a> piège<br/>"
                              "<span lang=\"en\" xml:lang=\"en\"><code>x&lt;y</code></span>");
  g_string_free(s, TRUE);
  g_ptr_array_unref(runs);
}

static const char *no_image(const KqBlock *b, gpointer user_data)
{
  return NULL;
}

static const char *fixed_image(const KqBlock *b, gpointer user_data)
{
  return "images/img-0001.png";
}

static void test_blocks(void **state)
{
  GPtrArray *blocks = kq_blocks_new();
  KqBlock *h = kq_block_new(KQ_BLOCK_HEADING);
  h->level = 4; /* never skips a level: h2 after the title's h1 */
  kq_runs_append_text(h->runs, 0, "Intertitre", -1, NULL);
  g_ptr_array_add(blocks, h);
  KqBlock *t = kq_block_new(KQ_BLOCK_TABLE);
  KqTableRow *hr = kq_table_row_new(TRUE);
  GPtrArray *c1 = kq_runs_new();
  kq_runs_append_text(c1, 0, "Nom", -1, NULL);
  g_ptr_array_add(hr->cells, c1);
  g_ptr_array_add(t->rows, hr);
  KqTableRow *r = kq_table_row_new(FALSE);
  GPtrArray *c2 = kq_runs_new();
  kq_runs_append_text(c2, 0, "A & B", -1, NULL);
  g_ptr_array_add(r->cells, c2);
  g_ptr_array_add(t->rows, r);
  g_ptr_array_add(blocks, t);
  KqBlock *img = kq_block_new(KQ_BLOCK_IMAGE);
  img->src = g_strdup("pic.png");
  kq_runs_append_text(img->runs, 0, "Légende", -1, NULL);
  g_ptr_array_add(blocks, img);
  KqBlock *deco = kq_block_new(KQ_BLOCK_IMAGE);
  deco->src = g_strdup("deco.png");
  g_ptr_array_add(blocks, deco);

  KqXhtmlContext ctx = {fixed_image, NULL, "fr"};
  GString *s = g_string_new(NULL);
  kq_xhtml_blocks(s, blocks, &ctx);
  assert_non_null(strstr(s->str, "<h2>Intertitre</h2>"));
  assert_non_null(strstr(s->str, "<table><thead><tr><th scope=\"col\">Nom</th></tr>\n</thead>"
                                 "<tbody><tr><td>A &amp; B</td></tr>\n</tbody></table>"));
  /* no alt: the caption describes the image; neither: decorative */
  assert_non_null(strstr(s->str, "<img src=\"images/img-0001.png\" alt=\"Légende\"/>"
                                 "<figcaption>Légende</figcaption>"));
  assert_non_null(strstr(s->str, "alt=\"\" role=\"presentation\"/>"));
  g_string_free(s, TRUE);

  /* dropped images keep their caption as text; a bare one leaves nothing */
  KqXhtmlContext none = {no_image, NULL, "fr"};
  s = g_string_new(NULL);
  kq_xhtml_blocks(s, blocks, &none);
  assert_non_null(strstr(s->str, "<p class=\"image-missing\">Légende</p>"));
  assert_null(strstr(s->str, "<img"));
  g_string_free(s, TRUE);
  g_ptr_array_unref(blocks);
}

/* ---- Images --------------------------------------------------------------------------- */

/* Issue 15 item 1: heading levels kept relative, under the title (h1). */
static void test_heading_levels(void **state)
{
  (void)state;
  static const struct {
    int levels[8]; /* source levels, 0-terminated */
    const char *want;
  } cases[] = {
      {{2, 2, 2, 0}, "h2 h2 h2"},           /* Markdown ## siblings */
      {{1, 1, 0}, "h2 h2"},                 /* # siblings */
      {{2, 3, 3, 2, 3, 0}, "h2 h3 h3 h2 h3"}, /* nested and back */
      {{3, 2, 0}, "h2 h2"},                 /* an outer level after a deeper start */
      {{2, 4, 4, 2, 0}, "h2 h3 h3 h2"},     /* a skipped level is closed up */
      {{1, 2, 3, 4, 5, 6, 0}, "h2 h3 h4 h5 h6 h6"},
      {{4, 0}, "h2"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    GPtrArray *blocks = kq_blocks_new();
    for (int k = 0; cases[i].levels[k]; k++) {
      KqBlock *h = kq_block_new(KQ_BLOCK_HEADING);
      h->level = cases[i].levels[k];
      kq_runs_append_text(h->runs, 0, "T", -1, NULL);
      g_ptr_array_add(blocks, h);
      KqBlock *p = kq_block_new(KQ_BLOCK_PARAGRAPH);
      kq_runs_append_text(p->runs, 0, "x", -1, NULL);
      g_ptr_array_add(blocks, p);
    }
    KqXhtmlContext ctx = {fixed_image, NULL, "fr"};
    GString *s = g_string_new(NULL);
    kq_xhtml_blocks(s, blocks, &ctx);
    GString *got = g_string_new(NULL);
    for (const char *p = s->str; (p = strstr(p, "<h")); p++)
      g_string_append_printf(got, "%s%.2s", got->len ? " " : "", p + 1);
    if (strcmp(got->str, cases[i].want) != 0)
      fail_msg("case %zu: got '%s', want '%s'", i, got->str, cases[i].want);
    g_string_free(got, TRUE);
    g_string_free(s, TRUE);
    g_ptr_array_unref(blocks);
  }
}

/* L-4 (issue 15 item 2): break opportunities in URLs and long code. */
static void test_breakable(void **state)
{
  (void)state;
  static const struct {
    const char *in;
    gboolean code;
    const char *want;
  } cases[] = {
      {"voir https://www.example.org/prix-memoire/2025?x=1&y=2 ici", FALSE,
       "voir https://<wbr/>www<wbr/>.example<wbr/>.org/<wbr/>prix<wbr/>"
       "<span class=\"nobr\">-memoire/</span><wbr/>2025<wbr/>?x<wbr/>=1<wbr/>&amp;y<wbr/>=2 ici"},
      {"un mot-composé ordinaire", FALSE, "un mot-composé ordinaire"},
      {"short.py", TRUE, "short.py"},
      {"huggingface_hub.snapshot", TRUE, "huggingface<wbr/>_hub<wbr/>.snapshot"},
      {"a//b/c--d__", TRUE, "a//b/c--d__"}, /* too short */
      {"https://host.example/a//b", FALSE,
       "https://<wbr/>host<wbr/>.example/<wbr/>a//b"}, /* no break before the last character */
      {"lire WWW.Example.org/a-b & \"c\" <d>", FALSE,
       "lire WWW<wbr/>.Example<wbr/>.org/<wbr/>a<wbr/><span class=\"nobr\">-b</span> &amp; &quot;c&quot; &lt;d&gt;"},
      {"awww.example.org et ftp.example.org/long <&>", FALSE,
       "awww.example.org et ftp.example.org/long &lt;&amp;&gt;"}, /* no URL token: escaped alone */
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    GString *s = g_string_new(NULL);
    kq_xhtml_escape_breakable(s, cases[i].in, -1, cases[i].code);
    if (strcmp(s->str, cases[i].want) != 0)
      fail_msg("case %zu: got '%s', want '%s'", i, s->str, cases[i].want);
    g_string_free(s, TRUE);
  }
}

static void test_images(void **state)
{
  const char *roots[] = {"fixtures/epub/images", NULL};
  KqLog log = {NULL, NULL, KQ_LOG_WARNING, 0, 0};
  KqWriteOptions opts;
  kq_write_options_init(&opts);
  opts.roots = roots;
  KqEpubImages images;
  KqEpubImages *im = &images;
  kq_epub_images_init(im, &opts, &log);
  const char *src = "fixtures/epub/images/article.md";
  const char *jpg = kq_epub_images_add(im, src, "pics/photo.jpg");
  assert_string_equal(jpg, "images/img-0001.jpg");
  /* the same file again: packaged once */
  assert_string_equal(kq_epub_images_add(im, src, "./pics/../pics/photo.jpg"), jpg);
  assert_string_equal(kq_epub_images_add(im, src, "pics/logo.png"), "images/img-0002.png");
  /* converted: WebP without alpha -> JPEG; SVG (with a script) -> PNG */
  assert_string_equal(kq_epub_images_add(im, src, "pics/diagram.webp"), "images/img-0003.jpg");
  assert_string_equal(kq_epub_images_add(im, src, "pics/vector.svg"), "images/img-0004.png");
  guint warnings = log.n_warnings;
  assert_int_equal(warnings, 0);
  /* dropped, each with a warning */
  const char *bad[] = {"pics/broken.jpg", "pics/fake.png", "pics/absent.png",
                       "https://example.org/x.png", "//example.org/x.png",
                       "data:image/png;base64,iVBORw0KGgo=", "../../../../../../etc/passwd",
                       "/etc/passwd", "file:///etc/passwd", "../hostile/hostile.md", ""};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    if (kq_epub_images_add(im, src, bad[i]) != NULL)
      fail_msg("image %s should have been dropped", bad[i]);
    assert_int_equal(log.n_warnings, warnings + i + 1);
  }
  const GPtrArray *list = kq_epub_images_list(im);
  assert_int_equal(list->len, 4);
  const KqEpubImage *svg = g_ptr_array_index(list, 3);
  assert_string_equal(svg->media_type, "image/png");
  gsize n;
  const char *d = g_bytes_get_data(svg->data, &n);
  assert_memory_equal(d, "\x89PNG", 4);
  assert_null(g_strstr_len(d, (gssize)n, "script"));
  kq_epub_images_clear(im);

  /* without roots no local image is allowed */
  opts.roots = NULL;
  KqEpubImages none;
  kq_epub_images_init(&none, &opts, &log);
  assert_null(kq_epub_images_add(&none, src, "pics/photo.jpg"));
  kq_epub_images_clear(&none);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_zip_layout),
    cmocka_unit_test(test_reproducible_across_time_zones),
    cmocka_unit_test(test_identifier_from_content),
    cmocka_unit_test(test_escape),
    cmocka_unit_test(test_safe_href),
    cmocka_unit_test(test_lang_tag),
    cmocka_unit_test(test_runs),
    cmocka_unit_test(test_blocks),
    cmocka_unit_test(test_images),
    cmocka_unit_test(test_heading_levels),
    cmocka_unit_test(test_breakable),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
