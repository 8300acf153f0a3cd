/* test_pdf_lines.c: page make-up rules L-1 to L-11 (typographie.md 4b) at the line breaker and text layer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib/gstdio.h>

#include "kiosque/fonts.h"
#include "kiosque/theme.h"
#include "kiosque/typo.h"
#include "kiosque/writer.h"
#include "pdf/pdf_private.h"

#define LSEP "\xE2\x80\xA8"

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

/* The flow of one article whose body is the paragraph text (typeset, hyphenated). */
static GPtrArray *flow_of(Env *e, const char *title, const char *text, gboolean code_mid,
                          double width)
{
  KqArticle *a = kq_article_new("mem.md", KQ_FORMAT_MARKDOWN);
  kq_set_string(&a->title, title);
  kq_set_string(&a->lang, "fr");
  KqBlock *b = kq_block_new(KQ_BLOCK_PARAGRAPH);
  if (code_mid) { /* text, then a code span, then text again */
    kq_runs_append_text(b->runs, 0, "Pour les équipes qui utilisent la bibliothèque ", -1, NULL);
    kq_runs_append_text(b->runs, KQ_STYLE_CODE, text, -1, NULL);
    kq_runs_append_text(b->runs, 0, ", il suffit de conserver la révision exacte.", -1, NULL);
  } else {
    kq_runs_append_text(b->runs, 0, text, -1, NULL);
  }
  g_ptr_array_add(a->blocks, b);
  kq_article_finish(a);
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
  kq_article_free(a);
  return flow;
}

static Item *item_of(GPtrArray *flow, const char *leaf, Role role)
{
  for (guint i = 0; i < flow->len; i++) {
    Item *it = g_ptr_array_index(flow, i);
    if (it->kind == ITEM_TEXT && it->role == role && strcmp(it->leaf_tag, leaf) == 0)
      return it;
  }
  fail_msg("no %s item", leaf);
  return NULL;
}

/* The characters around each break of a laid-out paragraph: before (last
 * character of the line, trailing spaces skipped) and after (first of the
 * next line); the line's own text in line. */
typedef gboolean (*BreakCheck)(gunichar before2, gunichar before, gunichar after, gunichar after2,
                               const char *line, int len);

static int check_breaks(PangoLayout *layout, BreakCheck ok, const char *rule, double width)
{
  const char *text = pango_layout_get_text(layout);
  int breaks = 0;
  for (GSList *l = pango_layout_get_lines_readonly(layout); l && l->next; l = l->next) {
    PangoLayoutLine *line = l->data, *next = l->next->data;
    int end = line->start_index + line->length;
    if (end < 3 || memcmp(text + end - 3, LSEP, 3) != 0)
      continue;
    const char *p = text + end - 3, *s = text + line->start_index;
    do
      p = g_utf8_prev_char(p);
    while (p > s && *p == ' ');
    gunichar before = g_utf8_get_char(p);
    gunichar before2 = p > s ? g_utf8_get_char(g_utf8_prev_char(p)) : 0;
    const char *n = text + next->start_index;
    gunichar after = g_utf8_get_char(n);
    gunichar after2 = *n ? g_utf8_get_char(g_utf8_next_char(n)) : 0;
    breaks++;
    if (!ok(before2, before, after, after2, s, end - 3 - line->start_index))
      fail_msg("%s at %.0fpt: break after \"%.*s\" before \"%.12s\"", rule, width,
               end - 3 - line->start_index, s, n);
  }
  return breaks;
}

static gboolean nb(gunichar c)
{
  return c == 0xA0 || c == 0x202F || c == 0x2007 || c == 0x2060;
}

static gboolean l1_ok(gunichar b2, gunichar b, gunichar a, gunichar a2, const char *l, int n)
{
  return !nb(b) && !nb(a);
}

static gboolean l2_ok(gunichar b2, gunichar b, gunichar a, gunichar a2, const char *l, int n)
{
  if (b == 0x2013 && g_unichar_isalnum(b2))
    return FALSE; /* 2021– / 2024 */
  if (a == 0x2013 && g_unichar_isalnum(a2))
    return FALSE;
  return b != 0x2212;
}

static gboolean ends_with(const char *l, int n, const char *suffix)
{
  int k = (int)strlen(suffix);
  return n >= k && memcmp(l + n - k, suffix, (size_t)k) == 0;
}

static gboolean l3_ok(gunichar b2, gunichar b, gunichar a, gunichar a2, const char *l, int n)
{
  /* the opening dash of these rows follows "mémoire", the closing one
   * "serveurs": neither may end/start a line on that side */
  if (b == 0x2013 && ends_with(l, n, "moire \xE2\x80\x93"))
    return FALSE;
  return !(a == 0x2013 && ends_with(l, n, "serveurs"));
}

static gboolean l4_ok(gunichar b2, gunichar b, gunichar a, gunichar a2, const char *l, int n)
{
  /* never after the URL's or code's own hyphen (a line ending "prix-") */
  return !(b == '-' && (g_unichar_isalnum(a) || a == '/'));
}

static const struct {
  const char *id;
  const char *text;
  gboolean code;
  BreakCheck ok;
} rows[] = {
    /* L-1: UAX #14 allows a break between a dash and U+00A0 */
    {"L-1 no break at a no-break space",
     "Les fabricants l'ont dit de mémoire \xE2\x80\x93\xC2\xA0Samsung en tête\xC2\xA0\xE2\x80\x93 "
     "et la hausse atteint 50\xC2\xA0% en trois mois\xE2\x80\xAF! Le prix\xC2\xA0: 90\xC2\xA0"
     "euros, soit 250\xE2\x80\xAF""000 barrettes vendues en trois semaines seulement.",
     FALSE, l1_ok},
    {"L-2 no break inside a range nor after a minus sign",
     "Entre 2021\xE2\x80\x93""2024, les prix ont baissé de 10\xE2\x80\x93""12 % chaque année, "
     "de lundi\xE2\x80\x93vendredi, avec des écarts de \xE2\x88\x92""3 à \xE2\x88\x92""5 points "
     "selon les pages 12\xE2\x80\x93""15 du rapport annuel publié en décembre.",
     FALSE, l2_ok},
    {"L-3 incise dashes: opening never ends a line, closing never starts one",
     "Les fabricants de mémoire \xE2\x80\x93 surtout ceux des serveurs \xE2\x80\x93 augmentent "
     "leurs prix, et la mémoire \xE2\x80\x93 celle des serveurs \xE2\x80\x93 coûte plus cher "
     "chaque semaine depuis le début de l'année dernière.",
     FALSE, l3_ok},
    {"L-4 URL breaks, never after its own hyphen",
     "Le détail est publié sur https://www.example.fr/observatoire/prix-composants/"
     "memoire-ddr5-32go-historique-2025.html pour ceux qui veulent suivre l'évolution.",
     FALSE, l4_ok},
    {"L-4 code span breaks before _ and after /", "huggingface_hub/snapshot_download_manager",
     TRUE, l4_ok},
};

static void test_pdf_l1_to_l4_break_points(void **state)
{
  Env *e = *state;
  for (gsize r = 0; r < G_N_ELEMENTS(rows); r++) {
    int breaks = 0;
    for (double w = 70; w <= 300; w += 4) {
      GPtrArray *flow = flow_of(e, "Titre", rows[r].text, rows[r].code, w);
      Item *it = item_of(flow, "P", ROLE_BODY);
      breaks += check_breaks(it->layout, rows[r].ok, rows[r].id, w);
      g_ptr_array_unref(flow);
    }
    if (breaks < 50)
      fail_msg("%s: only %d breaks looked at", rows[r].id, breaks);
  }
}

/* L-5: a title is never hyphenated nor broken inside a word, and balanced:
 * no line holds a lone word when the others hold several. */
static void test_pdf_l5_titles_balanced_whole_words(void **state)
{
  Env *e = *state;
  const char *titles[] = {
      "Open-weight models are everywhere. Their licences are a mess.",
      "La mise à jour conditionnellement obligatoire des infrastructures",
      "Anticonstitutionnellement",
      "Anticonstitutionnellement : une loi de plus pour tous", /* L-1's no-break space holds " :" to the word */
      NULL};
  for (int t = 0; titles[t]; t++) {
    for (double w = 90; w <= 320; w += 10) {
      GPtrArray *flow = flow_of(e, titles[t], "Un texte.", FALSE, w);
      Item *it = item_of(flow, "H2", ROLE_TITLE);
      const char *text = pango_layout_get_text(it->layout);
      assert_null(strstr(text, "\xC2\xAD")); /* no soft hyphen, so never hyphenated */
      GSList *lines = pango_layout_get_lines_readonly(it->layout);
      double first = -1, last = 0;
      for (GSList *l = lines; l; l = l->next) {
        PangoLayoutLine *line = l->data;
        int end = line->start_index + line->length;
        if (l->next) { /* broken at a space only */
          assert_true(end >= 4 && memcmp(text + end - 3, LSEP, 3) == 0);
          assert_true(text[end - 4] == ' ');
        }
        int adv = 0; /* as drawn: trailing spaces have no width */
        for (GSList *r = line->runs; r; r = r->next)
          adv += pango_glyph_string_get_width(((PangoGlyphItem *)r->data)->glyphs);
        double width = adv / (double)PANGO_SCALE;
        if (first < 0)
          first = width;
        last = width;
        if (width > w + 0.5) /* a word too wide makes the title smaller */
          fail_msg("L-5 at %.0fpt: a %.1fpt line in \"%s\"", w, width, text);
      }
      if (g_slist_length(lines) > 1 && last < first * 0.4)
        fail_msg("L-5 at %.0fpt: last line %.0fpt after a first of %.0fpt: \"%s\"", w, last,
                 first, text);
      g_ptr_array_unref(flow);
    }
  }
}

/* A paragraph with long URLs and code on narrow measures: few spaces per
 * line, so loose lines are unavoidable (L-7, L-8). */
static const char *const url_para =
    "La décision a des conséquences pratiques, détaillées dans un fil de discussion sur "
    "https://lore.kernel.org/rust-for-linux/20251209.rust-no-longer-experimental.thread/ : "
    "les sous-systèmes concernés, dont huggingface_hub_snapshot et vendor/github.com/x, "
    "peuvent désormais accepter du code écrit uniquement en Rust lorsque le mainteneur le "
    "souhaite, et la chaîne de compilation suit la version stable du compilateur.";

/* L-7: justified lines never get holes (a space over about 1 em), on
 * narrow measures with long URLs and code. */
static void test_pdf_l7_no_holes(void **state)
{
  Env *e = *state;
  const char *text = url_para;
  double em = e->theme->body_size;
  int lines_seen = 0;
  for (double w = 150; w <= 330; w += 6) {
    GPtrArray *flow = flow_of(e, "Titre", text, FALSE, w);
    Item *it = item_of(flow, "P", ROLE_BODY);
    const char *t = pango_layout_get_text(it->layout);
    for (GSList *l = pango_layout_get_lines_readonly(it->layout); l && l->next; l = l->next) {
      PangoLayoutLine *line = l->data;
      double widest = 0, sum = 0;
      int count = 0;
      for (GSList *r = line->runs; r; r = r->next) {
        PangoGlyphItem *run = r->data;
        for (int g = 0; g < run->glyphs->num_glyphs; g++) {
          const char *c = t + run->item->offset + run->glyphs->log_clusters[g];
          if (*c != ' ' && memcmp(c, "\xC2\xA0", 2) != 0)
            continue;
          double sw = run->glyphs->glyphs[g].geometry.width / (double)PANGO_SCALE;
          if (sw <= 0)
            continue; /* a line's trailing space */
          widest = MAX(widest, sw);
          sum += sw;
          count++;
        }
      }
      lines_seen++;
      if (widest > em * 1.0)
        fail_msg("L-7 at %.0fpt: a %.1fpt word space (a hole) in \"%.*s\"", w, widest,
                 line->length, t + line->start_index);
    }
    g_ptr_array_unref(flow);
  }
  assert_true(lines_seen > 100);
}

/* Natural width (points) of the body font's word space, as the breaker
 * rates lines with it (R-1: U+0020 and U+00A0 stretch alike). */
static double natural_space(Env *e)
{
  PangoLayout *l = kq_pdf_plain_layout(e->sh, ROLE_BODY, "a a", -1, PANGO_ALIGN_LEFT);
  double w = 0;
  for (GSList *r = pango_layout_get_line_readonly(l, 0)->runs; r; r = r->next) {
    PangoGlyphItem *run = r->data;
    for (int g = 0; g < run->glyphs->num_glyphs; g++)
      if (run->glyphs->log_clusters[g] == 1)
        w = run->glyphs->glyphs[g].geometry.width / (double)PANGO_SCALE;
  }
  g_object_unref(l);
  return w;
}

/* L-8: a very loose line (spaces stretched past their whole stretch, TeX's
 * fitness class 3) never sits next to a tight one (shrunk past half their
 * shrink, class 0), measured on the justified lines as drawn: each line's
 * adjustment ratio from what justification added to its spaces (stretch
 * half a space, shrink 0.4 of one, as the breaker counts them). Lines with
 * no space or left ragged are neither. Prose and a code span on every
 * justified measure (35 characters and more: 170 to 330pt, every 2pt):
 * never. The URL paragraph from 140pt: only where every setting keeping
 * L-8 has a hole (L-7 comes first), three measures here. (With TeX's
 * \adjdemerits alone the prose had 18 such pairs, the URL paragraph 35,
 * e.g. a shrunk line between two very loose ones at 162pt.) */
static void test_pdf_l8_loose_and_tight_lines_never_touch(void **state)
{
  Env *e = *state;
  const char *prose =
      "Les fabricants de mémoire vive ont relevé leurs prix pour le troisième trimestre "
      "consécutif, et les intégrateurs de serveurs répercutent la hausse sur leurs clients : "
      "une barrette de trente-deux gigaoctets coûte désormais le double de ce qu'elle valait "
      "au printemps, selon les relevés hebdomadaires publiés par plusieurs distributeurs "
      "européens qui suivent l'évolution des tarifs depuis le début de l'année dernière.";
  const struct {
    const char *text;
    gboolean code;
    double from;
    int allowed;
  } paras[] = {{prose, FALSE, 170, 0},
               {"huggingface_hub.snapshot_download", TRUE, 170, 0},
               {url_para, FALSE, 140, 3}};
  double sp = natural_space(e);
  assert_true(sp > 1);
  int very_loose = 0, tight = 0, lines = 0;
  for (gsize k = 0; k < G_N_ELEMENTS(paras); k++) {
    int touching = 0;
    for (double w = paras[k].from; w <= 330; w += 2) {
      GPtrArray *flow = flow_of(e, "Titre", paras[k].text, paras[k].code, w);
      Item *it = item_of(flow, "P", ROLE_BODY);
      const char *t = pango_layout_get_text(it->layout);
      int prev = 1; /* fitness class of the line above: 1 decent */
      const char *prev_text = "";
      int prev_len = 0;
      for (GSList *l = pango_layout_get_lines_readonly(it->layout); l && l->next; l = l->next) {
        PangoLayoutLine *line = l->data;
        double add = 0;
        gboolean spaced = FALSE;
        for (GSList *r = line->runs; r && !spaced; r = r->next) {
          PangoGlyphItem *run = r->data;
          for (int g = 0; g < run->glyphs->num_glyphs && !spaced; g++) {
            const char *c = t + run->item->offset + run->glyphs->log_clusters[g];
            double gw = run->glyphs->glyphs[g].geometry.width / (double)PANGO_SCALE;
            if ((*c == ' ' || memcmp(c, "\xC2\xA0", 2) == 0) && gw > 0) {
              add = gw - sp; /* each space of a line gets the same */
              spaced = TRUE;
            }
          }
        }
        double r = add >= 0 ? add / (sp / 2) : add / (sp / 2.5);
        /* a margin for the rounding of the widths drawn */
        int fit = !spaced ? 1 : r < -0.55 ? 0 : r <= 0.5 ? 1 : r <= 1.05 ? 2 : 3;
        very_loose += fit == 3;
        tight += fit == 0;
        lines++;
        if (ABS(fit - prev) == 3 && ++touching > paras[k].allowed)
          fail_msg("L-8 at %.0fpt: \"%.*s\" then \"%.*s\" (ratio %.2f)", w, prev_len, prev_text,
                   line->length, t + line->start_index, r);
        prev = fit;
        prev_text = t + line->start_index;
        prev_len = line->length;
      }
      g_ptr_array_unref(flow);
    }
  }
  /* the measures looked at do give both kinds of lines */
  if (very_loose < 20 || tight < 20 || lines < 300)
    fail_msg("L-8: %d very loose and %d tight lines in %d", very_loose, tight, lines);
}

/* L-11: glyph runs carry their characters: the Th, tt, ft, Qu ligatures the
 * font maps to private-use code points are drawn as their letters, so the
 * PDF's text layer (mutool) has no private-use character. */
static void test_pdf_l11_text_layer(void **state)
{
  Env *e = *state;
  char *dir = g_dir_make_tmp("kq-l11-XXXXXX", NULL);
  char *path = g_build_filename(dir, "l11.pdf", NULL);
  cairo_surface_t *s = cairo_pdf_surface_create(path, 400, 200);
  cairo_t *cr = cairo_create(s);
  PangoLayout *l = kq_pdf_plain_layout(e->sh, ROLE_BODY,
                                       "The https office after Quelle fine flow Their", -1,
                                       PANGO_ALIGN_LEFT);
  cairo_move_to(cr, 20, 50);
  kq_pdf_show_line(e->sh, cr, pango_layout_get_line_readonly(l, 0));
  g_object_unref(l);
  cairo_destroy(cr);
  cairo_surface_destroy(s);
  char *cmd = g_strdup_printf("mutool draw -F txt -o - '%s'", path);
  char *out = NULL;
  int status = 0;
  if (!g_spawn_command_line_sync(cmd, &out, NULL, &status, NULL))
    fail_msg("mutool not found (Debian package mupdf-tools)");
  for (const char *p = out; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (c >= 0xE000 && c <= 0xF8FF)
      fail_msg("private-use U+%04X in the text layer: %s", c, out);
  }
  assert_non_null(strstr(out, "The https"));
  assert_non_null(strstr(out, "after Quelle"));
  assert_non_null(strstr(out, "Their"));
  g_free(out);
  g_free(cmd);
  g_remove(path);
  g_rmdir(dir);
  g_free(path);
  g_free(dir);
}

/* Line extents (what the plan's line heights come from) are Pango's, for the
 * drawing shaper and a worker's: kq_pdf_lines_extents() asks the font for
 * one usual glyph per run and for each empty or unknown one, which must
 * give what pango_glyph_string_extents_range() gives asking for every
 * glyph. The texts hold empty glyphs (a zero-width space, a soft hyphen),
 * unknown ones (hex boxes: a character no font has), other scripts and
 * a code run in another font. */
static void test_pdf_line_extents_as_pango(void **state)
{
  Env *e = *state;
  Shaper *worker = kq_pdf_shaper_new(e->theme, NULL, NULL);
  Shaper *shapers[] = {e->sh, worker};
  const char *texts[] = {
      "Le réseau\u200B défi\u00ADnit\u00AD \U0010FFFD fin",
      "\U0001F600 漢字 عربي Straße",
      "x\U0010FFFD\U0010FFFD",
  };
  gboolean saw_empty = FALSE, saw_unknown = FALSE;
  for (guint s = 0; s < G_N_ELEMENTS(shapers); s++)
    for (int r = 0; r < N_ROLES; r += ROLE_CODE) /* body, then code */
      for (guint t = 0; t < G_N_ELEMENTS(texts); t++) {
        PangoLayout *l = kq_pdf_plain_layout(shapers[s], (Role)r, texts[t], -1, PANGO_ALIGN_LEFT);
        double want_asc = -1, want_desc = -1;
        for (GSList *k = pango_layout_get_line_readonly(l, 0)->runs; k; k = k->next) {
          PangoGlyphItem *run = k->data;
          for (int g = 0; g < run->glyphs->num_glyphs; g++) {
            saw_empty |= run->glyphs->glyphs[g].glyph == PANGO_GLYPH_EMPTY;
            saw_unknown |= (run->glyphs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG) != 0;
          }
          PangoRectangle lr;
          pango_glyph_string_extents_range(run->glyphs, 0, run->glyphs->num_glyphs,
                                           run->item->analysis.font, NULL, &lr);
          double y = (lr.y - run->y_offset) / (double)PANGO_SCALE;
          want_asc = MAX(want_asc, -y);
          want_desc = MAX(want_desc, y + lr.height / (double)PANGO_SCALE);
        }
        int start = 0;
        double asc, desc;
        guint8 hyphen;
        kq_pdf_lines_extents(l, &start, 1, &asc, &desc, &hyphen);
        if (asc != want_asc || desc != want_desc)
          fail_msg("shaper %u, role %d, text %u: %g/%g, Pango %g/%g", s, r, t, asc, desc,
                   want_asc, want_desc);
        g_object_unref(l);
      }
  assert_true(saw_empty);
  assert_true(saw_unknown);
  kq_pdf_shaper_free(worker);
}

/* ---- L-9, L-10: pagination (metrics only, a column of ten 10pt lines) ---- */

static Item *metric_item(ItemKind kind, guint n, double line_h, int hyphen_line)
{
  Item *it = g_new0(Item, 1);
  it->kind = kind;
  it->n_lines = n;
  it->line_h = g_new(double, n);
  it->line_base = g_new(double, n);
  it->line_hyphen = g_new0(guint8, n);
  for (guint i = 0; i < n; i++) {
    it->line_h[i] = line_h;
    it->line_base[i] = line_h * 0.8;
  }
  if (hyphen_line >= 0)
    it->line_hyphen[hyphen_line] = 1;
  it->unbreakable = kind == ITEM_IMAGE;
  return it;
}

static char *trace_of(GPtrArray *items, double start_y)
{
  GArray *trace = kq_pdf_paginate_metrics(items, 100, 1, start_y);
  GString *s = g_string_new(NULL);
  for (guint i = 0; i + 3 < trace->len; i += 4) {
    int *r = &g_array_index(trace, int, i);
    g_string_append_printf(s, "%s%d-%d@%d", s->len ? " " : "", r[0], r[1], r[2]);
  }
  g_array_unref(trace);
  return g_string_free(s, FALSE);
}

static void test_pdf_l9_l10_column_ends_and_figures(void **state)
{
  /* L-10: a figure that does not fit waits for the next page's top while
   * the text after it fills this one */
  GPtrArray *items = g_ptr_array_new_with_free_func((GDestroyNotify)kq_pdf_item_free);
  g_ptr_array_add(items, metric_item(ITEM_TEXT, 5, 10, -1));
  g_ptr_array_add(items, metric_item(ITEM_IMAGE, 1, 50, -1));
  g_ptr_array_add(items, metric_item(ITEM_TEXT, 10, 10, -1));
  char *got = trace_of(items, 20);
  assert_string_equal(got, "0-5@1 0-3@1 0-1@2 3-8@2 8-10@3");
  g_free(got);
  g_ptr_array_unref(items);
  /* ... and one at a flow's end opens the next page (no text to wait for) */
  items = g_ptr_array_new_with_free_func((GDestroyNotify)kq_pdf_item_free);
  g_ptr_array_add(items, metric_item(ITEM_TEXT, 5, 10, -1));
  g_ptr_array_add(items, metric_item(ITEM_IMAGE, 1, 50, -1));
  got = trace_of(items, 20);
  assert_string_equal(got, "0-5@1 0-1@2");
  g_free(got);
  g_ptr_array_unref(items);
  /* L-9 (HY-6 at a column's end): the page's last line would end with a
   * hyphen: it goes over when widows and orphans allow */
  items = g_ptr_array_new_with_free_func((GDestroyNotify)kq_pdf_item_free);
  g_ptr_array_add(items, metric_item(ITEM_TEXT, 12, 10, 9));
  got = trace_of(items, 0);
  assert_string_equal(got, "0-9@1 9-12@2");
  g_free(got);
  g_ptr_array_unref(items);
}


int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_pdf_l1_to_l4_break_points, env_setup, env_teardown),
      cmocka_unit_test_setup_teardown(test_pdf_l5_titles_balanced_whole_words, env_setup,
                                      env_teardown),
      cmocka_unit_test_setup_teardown(test_pdf_l7_no_holes, env_setup, env_teardown),
      cmocka_unit_test_setup_teardown(test_pdf_l8_loose_and_tight_lines_never_touch, env_setup,
                                      env_teardown),
      cmocka_unit_test_setup_teardown(test_pdf_l11_text_layer, env_setup, env_teardown),
      cmocka_unit_test_setup_teardown(test_pdf_line_extents_as_pango, env_setup, env_teardown),
      cmocka_unit_test(test_pdf_l9_l10_column_ends_and_figures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
