/* test_pdf.c: the PDF writer: flow building (HY-6, last-resort breaks, R-2), output, reproducibility, fonts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib/gstdio.h>

#include "kiosque/collect.h"
#include "kiosque/fonts.h"
#include "kiosque/theme.h"
#include "kiosque/typo.h"
#include "kiosque/writer.h"
#include "pdf/pdf_private.h"
#include "test_edition_of.h"

/* An edition of the files under path (tests/ is the working directory). */
static KqEdition *edition_of(const char *path)
{
  const char *paths[] = {path, NULL};
  return kq_test_edition_of(paths);
}

static char *temp_pdf(const char *name)
{
  char *dir = g_dir_make_tmp("kq-pdf-XXXXXX", NULL);
  assert_non_null(dir);
  char *p = g_build_filename(dir, name, NULL);
  g_free(dir);
  return p;
}

static void remove_temp(char *path)
{
  char *dir = g_path_get_dirname(path);
  g_remove(path);
  g_rmdir(dir);
  g_free(dir);
  g_free(path);
}

static gboolean write_pdf(const KqEdition *ed, const char *path, const char *paper, int columns,
                          GError **error)
{
  KqWriteOptions opts;
  kq_write_options_init(&opts);
  const char *roots[] = {"corpus", NULL};
  opts.roots = roots;
  opts.paper = paper;
  opts.columns = columns;
  opts.timestamp = 1769731200; /* 2026-01-30 */
  return kq_pdf_write(ed, &opts, path, NULL, error);
}

static void test_pdf_corpus_writes(void **state)
{
  KqEdition *ed = edition_of("corpus");
  assert_true(ed->articles->len > 0);
  char *path = temp_pdf("corpus.pdf");
  GError *error = NULL;
  gboolean ok = write_pdf(ed, path, NULL, 0, &error);
  if (!ok)
    fail_msg("%s", error->message);
  char *data = NULL;
  gsize len = 0;
  assert_true(g_file_get_contents(path, &data, &len, NULL));
  assert_true(len > 1000);
  assert_memory_equal(data, "%PDF-1.5", 8);
  assert_non_null(memmem(data + len - 64, 64, "%%EOF", 5));
  const char *keep = g_getenv("KQ_PDF_OUT");
  if (keep)
    g_file_set_contents(keep, data, (gssize)len, NULL);
  g_free(data);
  remove_temp(path);
  kq_edition_free(ed);
}

/* design.md "Output is reproducible": same input, same bytes (CREATE/MOD_DATE set). */
static void test_pdf_reproducible(void **state)
{
  KqEdition *ed = edition_of("corpus");
  char *a = temp_pdf("a.pdf"), *b = temp_pdf("b.pdf");
  GError *error = NULL;
  if (!write_pdf(ed, a, "a5", 2, &error))
    fail_msg("%s", error->message);
  g_usleep(1100 * 1000); /* a different second, in case a date slipped through */
  assert_true(write_pdf(ed, b, "a5", 2, NULL));
  char *da = NULL, *db = NULL;
  gsize la = 0, lb = 0;
  assert_true(g_file_get_contents(a, &da, &la, NULL));
  assert_true(g_file_get_contents(b, &db, &lb, NULL));
  assert_int_equal(la, lb);
  assert_memory_equal(da, db, la);
  /* Cairo 1.16 writes the date without the "D:" prefix; poppler reads it */
  static const char want[] = "/CreationDate (20260130000000Z)";
  assert_non_null(memmem(da, la, want, sizeof want - 1));
  g_free(da);
  g_free(db);
  remove_temp(a);
  remove_temp(b);
  kq_edition_free(ed);
}

static void test_pdf_missing_font(void **state)
{
  char *dir = g_dir_make_tmp("kq-theme-XXXXXX", NULL);
  char *theme = g_build_filename(dir, "t.theme", NULL);
  assert_true(g_file_set_contents(theme, "[text]\nfont=EB Garamond Nowhere\n", -1, NULL));
  KqEdition *ed = edition_of("corpus");
  KqWriteOptions opts;
  kq_write_options_init(&opts);
  opts.theme_file = theme;
  char *out = g_build_filename(dir, "x.pdf", NULL);
  GError *error = NULL;
  assert_false(kq_pdf_write(ed, &opts, out, NULL, &error));
  assert_true(g_error_matches(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FONT));
  assert_non_null(strstr(error->message, "EB Garamond Nowhere"));
  assert_false(g_file_test(out, G_FILE_TEST_EXISTS)); /* nothing written */
  g_error_free(error);
  /* a family the manifest knows names its Debian package */
  const char *fam[] = {"Linux Libertine O", NULL};
  assert_true(kq_fonts_check(fam, NULL));
  kq_edition_free(ed);
  g_remove(theme);
  g_rmdir(dir);
  g_free(theme);
  g_free(out);
  g_free(dir);
}

/* ---- flow building ---- */

typedef struct {
  KqTheme *theme;
  Shaper *sh;
  KqTypo *typo;
  cairo_font_options_t *fo;
} Env;

static int env_setup(void **state)
{
  Env *e = g_new0(Env, 1);
  e->theme = kq_theme_new_default();
  assert_true(kq_fonts_init(NULL, NULL));
  e->fo = cairo_font_options_create();
  cairo_font_options_set_hint_style(e->fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(e->fo, CAIRO_HINT_METRICS_OFF);
  e->sh = kq_pdf_shaper_new(e->theme, e->fo, NULL);
  e->typo = kq_typo_new(NULL);
  *state = e;
  return 0;
}

static int env_teardown(void **state)
{
  Env *e = *state;
  kq_pdf_shaper_free(e->sh);
  kq_typo_free(e->typo);
  cairo_font_options_destroy(e->fo);
  kq_theme_free(e->theme);
  g_free(e);
  return 0;
}

static KqArticle *article_with(const char *lang, const char *const *paras)
{
  KqArticle *a = kq_article_new("mem.md", KQ_FORMAT_MARKDOWN);
  kq_set_string(&a->title, "Titre de l'article");
  kq_set_string(&a->lang, lang);
  for (int i = 0; paras[i]; i++) {
    KqBlock *b = kq_block_new(KQ_BLOCK_PARAGRAPH);
    kq_runs_append_text(b->runs, 0, paras[i], -1, NULL);
    g_ptr_array_add(a->blocks, b);
  }
  kq_article_finish(a);
  return a;
}

static GPtrArray *flow_of(Env *e, const KqArticle *a, double width)
{
  FlowCtx fc = {0};
  fc.shaper = e->sh;
  fc.theme = e->theme;
  fc.typo = e->typo;
  fc.width = width;
  fc.max_image_h = 600;
  fc.keep_layouts = TRUE;
  KqArticle *typed = kq_typo_article(e->typo, a);
  KqArticleFurniture *fu = kq_article_furniture_new(a, "fr", e->typo);
  GPtrArray *flow = kq_pdf_article_flow(&fc, typed, fu, 0);
  kq_article_furniture_free(fu);
  kq_article_free(typed);
  return flow;
}

/* Glyph ids and advances of every run of a layout's lines, in order. */
static GArray *glyphs_of(PangoLayout *l)
{
  GArray *g = g_array_new(FALSE, FALSE, sizeof(int));
  for (GSList *ln = pango_layout_get_lines_readonly(l); ln; ln = ln->next)
    for (GSList *r = ((PangoLayoutLine *)ln->data)->runs; r; r = r->next) {
      PangoGlyphString *gs = ((PangoGlyphItem *)r->data)->glyphs;
      for (int i = 0; i < gs->num_glyphs; i++) {
        g_array_append_val(g, gs->glyphs[i].glyph);
        g_array_append_val(g, gs->glyphs[i].geometry.width);
      }
    }
  return g;
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int length)
{
  (void)closure, (void)data, (void)length;
  return CAIRO_STATUS_SUCCESS;
}

/* The workers shape with Cairo-free (PangoFT2) font maps and the main
 * thread draws their layouts with its PangoCairo fonts (fonts.h,
 * pdf_private.h): both must give the same glyphs, advances and logical
 * extents in every role, or the plan would not be what is drawn; and
 * drawing a worker's line swaps its fonts for drawable ones. */
static void test_pdf_worker_shaper_matches_drawing(void **state)
{
  Env *e = *state;
  Shaper *worker = kq_pdf_shaper_new(e->theme, NULL, NULL);
  const char *text = "The office’s «\u202Fefficace\u202F» affluent fjord — 1er, 15\u202F204 vues, "
                     "Qu’est-ce ? https://example.org/a_b?c=d Straße ǅ";
  cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(discard, NULL, 400, 400);
  cairo_t *cr = cairo_create(pdf);
  for (int r = 0; r < N_ROLES; r++) {
    PangoLayout *drawn = pango_layout_new(e->sh->context), *shaped = pango_layout_new(worker->context);
    PangoLayout *both[2] = {drawn, shaped};
    for (int k = 0; k < 2; k++) {
      pango_layout_set_font_description(both[k], (k ? worker : e->sh)->font[r]);
      pango_layout_set_text(both[k], text, -1);
    }
    PangoRectangle a, b;
    pango_layout_get_extents(drawn, NULL, &a);
    pango_layout_get_extents(shaped, NULL, &b);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(pango_layout_get_baseline(drawn), pango_layout_get_baseline(shaped));
    GArray *ga = glyphs_of(drawn), *gb = glyphs_of(shaped);
    assert_int_equal(ga->len, gb->len);
    assert_memory_equal(ga->data, gb->data, ga->len * sizeof(int));
    g_array_unref(ga);
    g_array_unref(gb);
    /* drawn by the main shaper: the runs now hold its (Cairo) fonts */
    PangoLayoutLine *line = pango_layout_get_line_readonly(shaped, 0);
    for (GSList *l = line->runs; l; l = l->next)
      assert_false(PANGO_IS_CAIRO_FONT(((PangoGlyphItem *)l->data)->item->analysis.font));
    cairo_move_to(cr, 10, 100);
    kq_pdf_show_line(e->sh, cr, line);
    for (GSList *l = line->runs; l; l = l->next)
      assert_true(PANGO_IS_CAIRO_FONT(((PangoGlyphItem *)l->data)->item->analysis.font));
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    g_object_unref(drawn);
    g_object_unref(shaped);
  }
  cairo_destroy(cr);
  cairo_surface_finish(pdf);
  assert_int_equal(cairo_surface_status(pdf), CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy(pdf);
  kq_pdf_shaper_free(worker);
}

/* No line wider than the measure: long URLs and tokens get last-resort breaks. */
static void test_pdf_no_overflow(void **state)
{
  Env *e = *state;
  const char *paras[] = {
      "Voir https://example.org/un/chemin.tres.long/avec?des=parametres&et=autres-choses"
      "-encore-plus-longues_et_sans_fin_aucune_0123456789 pour le détail.",
      "Empreinte 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123 vérifiée.",
      NULL};
  KqArticle *a = article_with("fr", paras);
  const double widths[] = {120, 200, 300};
  for (gsize w = 0; w < G_N_ELEMENTS(widths); w++) {
    GPtrArray *flow = flow_of(e, a, widths[w]);
    for (guint i = 0; i < flow->len; i++) {
      Item *it = g_ptr_array_index(flow, i);
      if (it->kind != ITEM_TEXT)
        continue;
      for (GSList *l = pango_layout_get_lines_readonly(it->layout); l; l = l->next) {
        /* the width drawn: glyph advances as justified and with the hyphens
         * and trailing spaces kiosque set after layout (Pango's cached line
         * extents predate those edits) */
        PangoLayoutLine *ln = l->data;
        int sum = 0;
        for (GSList *r = ln->runs; r; r = r->next)
          sum += pango_glyph_string_get_width(((PangoGlyphItem *)r->data)->glyphs);
        double right = sum / (double)PANGO_SCALE;
        if (l == pango_layout_get_lines_readonly(it->layout))
          right += MAX(pango_layout_get_indent(it->layout), 0) / (double)PANGO_SCALE;
        if (right > widths[w] + 0.05) {
          PangoLayoutLine *line = l->data;
          fail_msg("line of %.2fpt over a %.0fpt measure: \"%.*s\"", right, widths[w],
                   line->length, pango_layout_get_text(it->layout) + line->start_index);
        }
      }
    }
    g_ptr_array_unref(flow);
  }
  kq_article_free(a);
}

/* HY-6: never three hyphenated lines in a row; none in the last word. */
static void test_pdf_hy6_consecutive_hyphens(void **state)
{
  Env *e = *state;
  const char *paras[] = {
      "Anticonstitutionnellement, les réorganisations administratives transfrontalières "
      "déstabilisent considérablement l'interopérabilité réglementaire, particulièrement "
      "lorsque l'internationalisation technologique bouleverse systématiquement "
      "l'infrastructure informationnelle européenne et multiplie inévitablement les "
      "incompréhensions institutionnelles contemporaines.",
      NULL};
  KqArticle *a = article_with("fr", paras);
  int hyphenated_total = 0;
  for (double w = 90; w <= 240; w += 7) {
    GPtrArray *flow = flow_of(e, a, w);
    for (guint i = 0; i < flow->len; i++) {
      Item *it = g_ptr_array_index(flow, i);
      if (it->kind != ITEM_TEXT || strcmp(it->leaf_tag, "P") != 0 || it->role != ROLE_BODY)
        continue;
      const char *text = pango_layout_get_text(it->layout);
      int run = 0;
      GSList *lines = pango_layout_get_lines_readonly(it->layout);
      for (GSList *l = lines; l; l = l->next) {
        PangoLayoutLine *line = l->data;
        int end = line->start_index + line->length;
        if (end >= 3 && memcmp(text + end - 3, "\xE2\x80\xA8", 3) == 0)
          end -= 3; /* the U+2028 ending a line kiosque broke */
        gboolean hy = end >= 2 && memcmp(text + end - 2, "\xC2\xAD", 2) == 0;
        if (!l->next)
          assert_false(hy); /* the last word is never hyphenated */
        run = hy ? run + 1 : 0;
        hyphenated_total += hy;
        assert_true(run <= 2);
      }
    }
    g_ptr_array_unref(flow);
  }
  assert_true(hyphenated_total > 10); /* hyphenation did happen */
  kq_article_free(a);
}

/* The layout takes line metrics from the unwrapped shaping, drawing from
 * the layout with the plan's breaks inserted (issue 13 item 7: drawing
 * decides no break): pagination depends on both agreeing line by line.
 * L-5's smaller titles, HY-6, R-5 (superscript ordinals), hard breaks,
 * links, code, a code block
 * (lines Pango wraps, recorded in the plan too) and a long URL. */
static void test_pdf_measure_equals_draw(void **state)
{
  Env *e = *state;
  KqArticle *a = kq_article_new("mem.md", KQ_FORMAT_MARKDOWN);
  /* a title word wider than the narrower measures: set smaller (L-5), and
   * drawn at the scale the layout chose */
  kq_set_string(&a->title, "Anticonstitutionnellement : le XXe siècle et la 1re édition d'un "
                           "titre assez long pour deux lignes");
  kq_set_string(&a->lang, "fr");
  KqBlock *b = kq_block_new(KQ_BLOCK_PARAGRAPH);
  kq_runs_append_text(b->runs, 0,
                      "Anticonstitutionnellement, les réorganisations administratives du XIXe "
                      "siècle déstabilisent considérablement l'interopérabilité réglementaire ; ",
                      -1, NULL);
  kq_runs_append_text(b->runs, KQ_STYLE_EMPH, "particulièrement lorsque la 2de édition ", -1,
                      NULL);
  kq_runs_append_text(b->runs, 0, "cite https://example.org/un/chemin/tres/long?avec=des&para=metres",
                      -1, "https://example.org/");
  g_ptr_array_add(b->runs, kq_run_new(KQ_RUN_BREAK, 0, NULL, NULL));
  kq_runs_append_text(b->runs, KQ_STYLE_CODE, "kq_pdf_break_lines()", -1, NULL);
  kq_runs_append_text(b->runs, 0,
                      " et l'internationalisation technologique bouleverse systématiquement "
                      "l'infrastructure informationnelle européenne.",
                      -1, NULL);
  g_ptr_array_add(a->blocks, b);
  /* a code block Pango wraps itself: drawn at the lines the plan has */
  KqBlock *code = kq_block_new(KQ_BLOCK_CODE);
  code->text = g_strdup("for (int i = 0; i < n; i++) total += weights[i] * values[i]; "
                        "/* assez long pour que Pango coupe la ligne */\nreturn total;\n");
  g_ptr_array_add(a->blocks, code);
  kq_article_finish(a);
  KqArticle *typed = kq_typo_article(e->typo, a);
  KqArticleFurniture *fu = kq_article_furniture_new(a, "fr", e->typo);
  for (double w = 110; w <= 330; w += 11) {
    FlowCtx fc = {0};
    fc.shaper = e->sh;
    fc.theme = e->theme;
    fc.typo = e->typo;
    fc.width = w;
    fc.max_image_h = 600;
    KqPlanBreaks *breaks = kq_plan_breaks_new(FALSE);
    fc.breaks_out = breaks;
    GPtrArray *measured = kq_pdf_article_flow(&fc, typed, fu, 0);
    FlowCtx dc = fc;
    dc.breaks_out = NULL;
    dc.breaks_in = breaks;
    dc.keep_layouts = TRUE;
    GPtrArray *drawn = kq_pdf_article_flow(&dc, typed, fu, 0);
    assert_int_equal(measured->len, drawn->len);
    guint nb = 0;
    for (guint i = 0; i < drawn->len; i++) { /* every text item has its breaks planned */
      const Item *d = g_ptr_array_index(drawn, i);
      if (d->kind == ITEM_TEXT)
        assert_true(kq_plan_breaks_find(breaks, KQ_PLAN_KEY(i, 0), &nb) ||
                    kq_plan_breaks_find_wrapped(breaks, KQ_PLAN_KEY(i, 0), &nb));
    }
    for (guint i = 0; i < drawn->len; i++) {
      const Item *m = g_ptr_array_index(measured, i), *d = g_ptr_array_index(drawn, i);
      assert_int_equal(m->n_lines, d->n_lines);
      if (d->kind == ITEM_TEXT)
        assert_int_equal(d->n_lines, pango_layout_get_line_count(d->layout));
      if (d->kind == ITEM_TEXT && d->role == ROLE_TITLE) /* L-5: fits once set smaller */
        for (GSList *l = pango_layout_get_lines_readonly(d->layout); l; l = l->next) {
          int adv = 0;
          for (GSList *r = ((PangoLayoutLine *)l->data)->runs; r; r = r->next)
            adv += pango_glyph_string_get_width(((PangoGlyphItem *)r->data)->glyphs);
          if (adv / (double)PANGO_SCALE > w + 0.5)
            fail_msg("L-5 at %.0fpt: a %.1fpt line in \"%s\"", w, adv / (double)PANGO_SCALE,
                     pango_layout_get_text(d->layout));
        }
      for (guint k = 0; k < d->n_lines; k++) {
        assert_true(fabs(m->line_h[k] - d->line_h[k]) < 1e-9);
        assert_true(fabs(m->line_base[k] - d->line_base[k]) < 1e-9);
        if (m->line_hyphen || d->line_hyphen)
          assert_int_equal(m->line_hyphen[k], d->line_hyphen[k]);
      }
    }
    g_ptr_array_unref(measured);
    g_ptr_array_unref(drawn);
    kq_plan_breaks_free(breaks);
  }
  kq_article_furniture_free(fu);
  kq_article_free(typed);
  kq_article_free(a);
}

/* HY-7, R-4: where a line breaks at a soft hyphen a hyphen is drawn (its
 * glyph has a width); soft hyphens where no line breaks are not in the text. */
static void test_pdf_hyphen_drawn_at_break(void **state)
{
  Env *e = *state;
  const char *paras[] = {
      "Anticonstitutionnellement, les réorganisations administratives transfrontalières "
      "déstabilisent considérablement l'interopérabilité réglementaire européenne.",
      NULL};
  KqArticle *a = article_with("fr", paras);
  int drawn = 0;
  for (double w = 90; w <= 240; w += 10) {
    GPtrArray *flow = flow_of(e, a, w);
    for (guint i = 0; i < flow->len; i++) {
      Item *it = g_ptr_array_index(flow, i);
      if (it->kind != ITEM_TEXT || it->role != ROLE_BODY)
        continue;
      const char *text = pango_layout_get_text(it->layout);
      for (GSList *l = pango_layout_get_lines_readonly(it->layout); l; l = l->next) {
        PangoLayoutLine *line = l->data;
        int end = line->start_index + line->length;
        for (GSList *r = line->runs; r; r = r->next) {
          PangoGlyphItem *run = r->data;
          for (int g = 0; g < run->glyphs->num_glyphs; g++) {
            int idx = run->item->offset + run->glyphs->log_clusters[g];
            if (memcmp(text + idx, "\xC2\xAD", 2) != 0)
              continue;
            /* only at a line end, followed by the separator */
            assert_int_equal(idx + 5, end);
            assert_true(run->glyphs->glyphs[g].geometry.width > 0);
            assert_false(run->glyphs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG);
            drawn++;
          }
        }
      }
    }
    g_ptr_array_unref(flow);
  }
  assert_true(drawn > 5);
  kq_article_free(a);
}

/* Glyph id and font size of the character at byte offset idx of a laid-out text. */
static gboolean glyph_at(PangoLayout *layout, int idx, PangoGlyph *glyph, int *size)
{
  for (GSList *l = pango_layout_get_lines_readonly(layout); l; l = l->next) {
    for (GSList *r = ((PangoLayoutLine *)l->data)->runs; r; r = r->next) {
      PangoGlyphItem *run = r->data;
      for (int g = 0; g < run->glyphs->num_glyphs; g++) {
        if (run->item->offset + run->glyphs->log_clusters[g] != idx)
          continue;
        *glyph = run->glyphs->glyphs[g].glyph;
        PangoFontDescription *d = pango_font_describe(run->item->analysis.font);
        *size = pango_font_description_get_size(d);
        pango_font_description_free(d);
        return TRUE;
      }
    }
  }
  return FALSE;
}

/* superscripts use the font's own superior letters (OpenType sups) at
 * full size when it has them for every character (ordinal suffixes); a run
 * it has none for (capitals) is raised and scaled by Pango instead. */
static void test_pdf_r5_superscripts_use_sups(void **state)
{
  Env *e = *state;
  KqArticle *a = kq_article_new("mem.md", KQ_FORMAT_MARKDOWN);
  kq_set_string(&a->title, "Au XIXème siècle"); /* a plain string: FR-9 in the title too */
  kq_set_string(&a->lang, "fr");
  KqBlock *b = kq_block_new(KQ_BLOCK_PARAGRAPH);
  kq_runs_append_text(b->runs, 0, "Le 1", -1, NULL);
  kq_runs_append_text(b->runs, KQ_STYLE_SUP, "er", -1, NULL);
  kq_runs_append_text(b->runs, 0, " salon er de la marque", -1, NULL);
  kq_runs_append_text(b->runs, KQ_STYLE_SUP, "TM", -1, NULL);
  kq_runs_append_text(b->runs, 0, " TM.", -1, NULL);
  g_ptr_array_add(a->blocks, b);
  kq_article_finish(a);
  GPtrArray *flow = flow_of(e, a, 300);
  gboolean seen = FALSE, title_sups = FALSE;
  for (guint i = 0; i < flow->len; i++) {
    Item *it = g_ptr_array_index(flow, i);
    if (it->kind == ITEM_TEXT && it->role == ROLE_TITLE) {
      const char *text = pango_layout_get_text(it->layout);
      const char *sup_e = strstr(text, "XIXe") + 3;
      const char *plain_e = strstr(text, "siècle") + strlen("siècl");
      PangoGlyph g1, g2;
      int s1, s2;
      assert_true(glyph_at(it->layout, (int)(sup_e - text), &g1, &s1));
      assert_true(glyph_at(it->layout, (int)(plain_e - text), &g2, &s2));
      assert_int_not_equal(g1, g2);
      title_sups = TRUE;
    }
    if (it->kind != ITEM_TEXT || it->role != ROLE_BODY)
      continue;
    const char *text = pango_layout_get_text(it->layout);
    const char *sup_er = strstr(text, "er");
    const char *plain_er = strstr(text, " er ") + 1;
    const char *sup_tm = strstr(text, "TM");
    const char *plain_tm = strstr(text, " TM.") + 1;
    PangoGlyph g1, g2, g3, g4;
    int s1, s2, s3, s4;
    assert_true(glyph_at(it->layout, (int)(sup_er - text), &g1, &s1));
    assert_true(glyph_at(it->layout, (int)(plain_er - text), &g2, &s2));
    assert_true(glyph_at(it->layout, (int)(sup_tm - text), &g3, &s3));
    assert_true(glyph_at(it->layout, (int)(plain_tm - text), &g4, &s4));
    assert_int_not_equal(g1, g2); /* the superior e, not the e */
    assert_int_equal(s1, s2);     /* designed small: not scaled */
    assert_int_equal(g3, g4);     /* no superior T: the T ... */
    assert_true(s3 < s2);         /* ... scaled down (and raised) */
    seen = TRUE;
  }
  assert_true(seen);
  assert_true(title_sups);
  g_ptr_array_unref(flow);
  kq_article_free(a);
}

/* glyph positions unrounded, so a justified line fills the measure exactly. */
static void test_pdf_r2_unrounded(void **state)
{
  Env *e = *state;
  assert_false(pango_context_get_round_glyph_positions(e->sh->context));
}

/* French: U+202F and U+00A0 never allow a break, so no line starts with ; ! ? : » */
static void test_pdf_french_no_break_before_punctuation(void **state)
{
  Env *e = *state;
  const char *paras[] = {
      "Vraiment ? Oui ! Il a dit : « c'est prêt » ; puis il est parti. Pourquoi ? Parce que "
      "« la typographie » compte ! Et voilà : fini ; enfin presque ? Sans doute ! « Bien » "
      "dit-il : « très bien » ; « parfait » ! Quoi ? Rien : tout va bien ; vraiment !",
      NULL};
  KqArticle *a = article_with("fr", paras);
  for (double w = 60; w <= 260; w += 3) {
    GPtrArray *flow = flow_of(e, a, w);
    for (guint i = 0; i < flow->len; i++) {
      Item *it = g_ptr_array_index(flow, i);
      if (it->kind != ITEM_TEXT)
        continue;
      const char *text = pango_layout_get_text(it->layout);
      for (GSList *l = pango_layout_get_lines_readonly(it->layout); l; l = l->next) {
        PangoLayoutLine *line = l->data;
        const char *s = text + line->start_index;
        gunichar c = g_utf8_get_char(s);
        if (line->length > 0 && line->start_index > 0)
          assert_null(strchr("?!:;", (int)(c < 128 ? c : 1)) ? s : NULL);
        assert_true(c != 0xBB);
        if (line->length >= 2) {
          const char *end = text + line->start_index + line->length;
          const char *p = g_utf8_prev_char(end);
          while (p > s && (*p == ' '))
            p = g_utf8_prev_char(p);
          assert_true(g_utf8_get_char(p) != 0xAB);
        }
      }
    }
    g_ptr_array_unref(flow);
  }
  kq_article_free(a);
}


/* ---- pagination (metrics only): keep with next, widows and orphans, HY-6 ---- */

static Item *metric_item(guint n, gboolean keep, gboolean unbreakable, int hyphen_line)
{
  Item *it = g_new0(Item, 1);
  it->kind = ITEM_TEXT;
  it->n_lines = n;
  it->line_h = g_new(double, n);
  it->line_base = g_new(double, n);
  it->line_hyphen = g_new0(guint8, n);
  for (guint i = 0; i < n; i++) {
    it->line_h[i] = 10;
    it->line_base[i] = 8;
  }
  if (hyphen_line >= 0)
    it->line_hyphen[hyphen_line] = 1;
  it->keep_with_next = keep;
  it->unbreakable = unbreakable;
  return it;
}

/* fragments of item k (in placement order): "a-b@page" joined by spaces */
static char *fragments(GArray *trace)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i + 3 < trace->len; i += 4) {
    int *r = &g_array_index(trace, int, i);
    g_string_append_printf(s, "%s%d-%d@%d", s->len ? " " : "", r[0], r[1], r[2]);
  }
  return g_string_free(s, FALSE);
}

static const struct {
  const char *name;
  double start_y;           /* column height 100: ten lines of 10 */
  guint lines[3];           /* items' line counts (0: none) */
  gboolean keep_first;      /* first item is a heading kept with the next */
  int hyphen_line;          /* second item's line ending with a hyphen, or -1 */
  const char *expected;
} pages[] = {
    {"fits", 0, {5, 0, 0}, FALSE, -1, "0-5@1"},
    {"widow: two lines go over", 60, {5, 0, 0}, FALSE, -1, "0-3@1 3-5@2"},
    {"orphan: one line left, the paragraph moves", 90, {5, 0, 0}, FALSE, -1, "0-5@2"},
    {"three lines cannot split", 80, {3, 0, 0}, FALSE, -1, "0-3@2"},
    {"four lines: two and two", 80, {4, 0, 0}, FALSE, -1, "0-2@1 2-4@2"},
    {"heading kept with two lines", 80, {1, 5, 0}, TRUE, -1, "0-1@2 0-5@2"},
    {"heading and exactly two lines", 70, {1, 5, 0}, TRUE, -1, "0-1@1 0-2@1 2-5@2"},
    {"heading with room for it and two lines", 60, {1, 5, 0}, TRUE, -1, "0-1@1 0-3@1 3-5@2"},
    {"long paragraph over three pages", 0, {25, 0, 0}, FALSE, -1, "0-10@1 10-20@2 20-25@3"},
    {"HY-6: hyphenated last line goes over", 40, {2, 8, 0}, FALSE, 3, "0-2@1 0-3@1 3-8@2"},
};

static void test_pdf_pagination_rules(void **state)
{
  for (gsize c = 0; c < G_N_ELEMENTS(pages); c++) {
    GPtrArray *items = g_ptr_array_new_with_free_func((GDestroyNotify)kq_pdf_item_free);
    for (int k = 0; k < 3 && pages[c].lines[k]; k++)
      g_ptr_array_add(items, metric_item(pages[c].lines[k], k == 0 && pages[c].keep_first, FALSE,
                                         k == 1 ? pages[c].hyphen_line : -1));
    GArray *trace = kq_pdf_paginate_metrics(items, 100, 1, pages[c].start_y);
    char *got = fragments(trace);
    if (strcmp(got, pages[c].expected) != 0)
      fail_msg("%s: got \"%s\", expected \"%s\"", pages[c].name, got, pages[c].expected);
    g_free(got);
    g_array_unref(trace);
    g_ptr_array_unref(items);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_pdf_no_overflow, env_setup, env_teardown),
      cmocka_unit_test_setup_teardown(test_pdf_worker_shaper_matches_drawing, env_setup,
                                      env_teardown),
      cmocka_unit_test_setup_teardown(test_pdf_hy6_consecutive_hyphens, env_setup,
                                      env_teardown),
      cmocka_unit_test_setup_teardown(test_pdf_measure_equals_draw, env_setup, env_teardown),
      cmocka_unit_test_setup_teardown(test_pdf_hyphen_drawn_at_break, env_setup, env_teardown),
      cmocka_unit_test_setup_teardown(test_pdf_r2_unrounded, env_setup, env_teardown),
      cmocka_unit_test_setup_teardown(test_pdf_r5_superscripts_use_sups, env_setup,
                                      env_teardown),
      cmocka_unit_test_setup_teardown(test_pdf_french_no_break_before_punctuation, env_setup,
                                      env_teardown),
      cmocka_unit_test(test_pdf_pagination_rules),
      cmocka_unit_test(test_pdf_corpus_writes),
      cmocka_unit_test(test_pdf_reproducible),
      cmocka_unit_test(test_pdf_missing_font),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
