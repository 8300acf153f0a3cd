/* pdf_glyphs.c: the text layer (L-11): every drawn glyph run maps back to its characters. */
#include <string.h>

#include <hb.h>
#include <pango/pangofc-font.h>

#include "pdf/pdf_private.h"

/*
 * Why this exists: Pango hands Cairo each run with its text and clusters
 * (cairo_show_text_glyphs), but Cairo 1.16 first maps a glyph to the code
 * point the font's cmap gives it and keeps that for the font's ToUnicode
 * table; a cluster that disagrees only gets an /ActualText span, which
 * MuPDF (search, copy, mutool) ignores. Linux Libertine O gives its Th,
 * tt, ft, fft, Qu... ligatures private-use code points, so they would
 * extract as U+E049 and the like. Such a glyph (one glyph for a cluster of
 * several characters whose lowest cmap code point is private use) is drawn
 * as the cluster's own letters instead, shaped without ligatures and
 * spaced to the ligature's width so nothing else on the line moves. The
 * f-ligatures the font maps to U+FB00-U+FB06 are kept: they extract as
 * those characters.
 */

static gboolean is_private_use(hb_codepoint_t u)
{
  return (u >= 0xE000 && u <= 0xF8FF) || u >= 0xF0000;
}

/* Glyphs of font whose lowest cmap code point is private use (as Cairo's
 * reverse lookup finds them); cached per shaper. */
static hb_set_t *private_glyphs(Shaper *sh, PangoFont *font)
{
  hb_set_t *set = g_hash_table_lookup(sh->pua_glyphs, font);
  if (set)
    return set;
  set = hb_set_create();
  hb_font_t *hb = pango_font_get_hb_font(font);
  if (hb) {
    hb_set_t *unicodes = hb_set_create(), *seen = hb_set_create();
    hb_face_collect_unicodes(hb_font_get_face(hb), unicodes);
    hb_codepoint_t u = HB_SET_VALUE_INVALID;
    while (hb_set_next(unicodes, &u)) { /* ascending */
      hb_codepoint_t g;
      if (!hb_font_get_nominal_glyph(hb, u, &g) || hb_set_has(seen, g))
        continue;
      hb_set_add(seen, g);
      if (is_private_use(u))
        hb_set_add(set, g);
    }
    hb_set_destroy(unicodes);
    hb_set_destroy(seen);
  }
  g_hash_table_insert(sh->pua_glyphs, g_object_ref(font), set);
  return set;
}

/* Shapes text[s, e) of run without ligatures into gs. */
static void shape_letters(PangoGlyphItem *run, const char *text, int s, int e,
                          PangoGlyphString *gs)
{
  PangoAnalysis a = run->item->analysis;
  PangoAttribute *off = pango_attr_font_features_new("liga=0,clig=0,dlig=0,hlig=0,rlig=0");
  off->start_index = 0;
  off->end_index = G_MAXUINT;
  GSList *extra = g_slist_copy(a.extra_attrs);
  a.extra_attrs = g_slist_append(extra, off); /* later features win */
  pango_shape_full(text + s, e - s, text, -1, &a, gs);
  g_slist_free(a.extra_attrs);
  pango_attribute_destroy(off);
}

/* Replaces the private-use ligature glyphs of one run (left to right). */
static void unligate_run(Shaper *sh, PangoGlyphItem *run, const char *text)
{
  PangoGlyphString *gs = run->glyphs;
  PangoItem *item = run->item;
  if (item->analysis.level % 2 || !item->analysis.font)
    return;
  hb_set_t *bad = NULL;
  for (int g = 0; g < gs->num_glyphs; g++) {
    int cs = gs->log_clusters[g];
    int ce = g + 1 < gs->num_glyphs ? gs->log_clusters[g + 1] : item->length;
    if (ce - cs < 2 || (g > 0 && gs->log_clusters[g - 1] == cs) ||
        (gs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
      continue;
    if (g_utf8_strlen(text + item->offset + cs, ce - cs) < 2)
      continue;
    if (!bad)
      bad = private_glyphs(sh, item->analysis.font);
    if (!hb_set_has(bad, gs->glyphs[g].glyph))
      continue;
    PangoGlyphString *letters = pango_glyph_string_new();
    shape_letters(run, text, item->offset + cs, item->offset + ce, letters);
    int k = letters->num_glyphs;
    if (k < 2) {
      pango_glyph_string_free(letters);
      continue;
    }
    /* the letters take the ligature's place and width */
    int lig_w = gs->glyphs[g].geometry.width, sum = 0;
    for (int j = 0; j < k; j++)
      sum += letters->glyphs[j].geometry.width;
    letters->glyphs[k - 1].geometry.width += lig_w - sum;
    letters->glyphs[0].geometry.x_offset += gs->glyphs[g].geometry.x_offset;
    int n = gs->num_glyphs;
    PangoGlyphInfo *info = g_new(PangoGlyphInfo, n + k - 1);
    int *clusters = g_new(int, n + k - 1);
    memcpy(info, gs->glyphs, sizeof *info * g);
    memcpy(clusters, gs->log_clusters, sizeof *clusters * g);
    for (int j = 0; j < k; j++) {
      info[g + j] = letters->glyphs[j];
      clusters[g + j] = cs + letters->log_clusters[j];
      info[g + j].attr.is_cluster_start =
          j == 0 || letters->log_clusters[j] != letters->log_clusters[j - 1];
    }
    memcpy(info + g + k, gs->glyphs + g + 1, sizeof *info * (n - g - 1));
    memcpy(clusters + g + k, gs->log_clusters + g + 1, sizeof *clusters * (n - g - 1));
    pango_glyph_string_set_size(gs, n + k - 1);
    memcpy(gs->glyphs, info, sizeof *info * (n + k - 1));
    memcpy(gs->log_clusters, clusters, sizeof *clusters * (n + k - 1));
    g_free(info);
    g_free(clusters);
    pango_glyph_string_free(letters);
    g += k - 1;
  }
}

/* The file and face index of a fontconfig-based font, "" when unknown. */
static char *face_id(PangoFont *font)
{
  FcChar8 *file = NULL;
  int index = 0;
  FcPattern *pat = PANGO_IS_FC_FONT(font) ? pango_fc_font_get_pattern(PANGO_FC_FONT(font)) : NULL;
  if (pat && FcPatternGetString(pat, FC_FILE, 0, &file) == FcResultMatch)
    FcPatternGetInteger(pat, FC_INDEX, 0, &index);
  return g_strdup_printf("%s#%d", file ? (const char *)file : "", index);
}

/* sh's font for the face and size of a worker's font (fonts.h: the same
 * glyphs and metrics), loaded once: described with its absolute size, it
 * is matched again by the same fontconfig configuration. */
static PangoFont *drawn_font(Shaper *sh, PangoFont *font)
{
  PangoFont *drawn = g_hash_table_lookup(sh->drawn_fonts, font);
  if (drawn)
    return drawn;
  PangoFontDescription *desc = pango_font_describe_with_absolute_size(font);
  drawn = pango_font_map_load_font(sh->font_map, sh->context, desc);
  pango_font_description_free(desc);
  char *want = face_id(font), *got = drawn ? face_id(drawn) : g_strdup("none");
  if (strcmp(want, got) != 0) /* a fontconfig configuration that matches by more than the description */
    g_warning("pdf: font %s drawn as %s", want, got);
  g_free(want);
  g_free(got);
  if (!drawn)
    return font;
  g_hash_table_insert(sh->drawn_fonts, g_object_ref(font), drawn);
  return drawn;
}

void kq_pdf_show_line(Shaper *sh, cairo_t *cr, PangoLayoutLine *line)
{
  const char *text = pango_layout_get_text(line->layout);
  for (GSList *r = line->runs; r; r = r->next) {
    PangoItem *item = ((PangoGlyphItem *)r->data)->item;
    PangoFont *font = item->analysis.font;
    if (font && sh->drawn_fonts && !PANGO_IS_CAIRO_FONT(font)) {
      item->analysis.font = g_object_ref(drawn_font(sh, font));
      g_object_unref(font);
    }
    unligate_run(sh, r->data, text);
  }
  pango_cairo_show_layout_line(cr, line);
}
