/* cover.c: draws the edition cover (title band, period, lead headlines) with Cairo and Pango. */
#include "kiosque/cover.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>
#include <pango/pangocairo.h>

#include "kiosque/datadir.h"
#include "kiosque/output.h"

#define COVER_MAX_HEADLINES 5

/* Ink and paper (sRGB 0..1). */
#define PAPER 0.965, 0.953, 0.925
#define BAND 0.114, 0.208, 0.341
#define BAND_INK 0.984, 0.976, 0.953
#define INK 0.125, 0.125, 0.140
#define ACCENT 0.800, 0.318, 0.184

/* A layout of text in family at px pixels, wrapped at width, at most
 * max_lines lines (ellipsized). */
static PangoLayout *make_layout(cairo_t *cr, const char *text, const char *family,
                                PangoWeight weight, PangoStyle style, double px,
                                double width, int max_lines, const char *lang)
{
  PangoLayout *layout = pango_cairo_create_layout(cr);
  PangoFontDescription *desc = pango_font_description_new();
  pango_font_description_set_family(desc, family);
  pango_font_description_set_weight(desc, weight);
  pango_font_description_set_style(desc, style);
  pango_font_description_set_absolute_size(desc, px * PANGO_SCALE);
  pango_layout_set_font_description(layout, desc);
  pango_font_description_free(desc);
  if (lang) {
    PangoAttrList *attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_language_new(pango_language_from_string(lang)));
    pango_layout_set_attributes(layout, attrs);
    pango_attr_list_unref(attrs);
  }
  pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD);
  if (max_lines > 0) {
    pango_layout_set_height(layout, -max_lines);
    pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
  }
  pango_layout_set_text(layout, text ? text : "", -1);
  return layout;
}

/* L-3 on the cover: the space before a spaced dash (em or en) becomes a
 * no-break space, so no title line starts with the dash. Caller frees. */
static char *bind_dashes(const char *text)
{
  GString *s = g_string_new(NULL);
  for (const char *p = text; *p; p++) {
    if (*p == ' ' && (g_str_has_prefix(p + 1, "\xE2\x80\x94 ") || g_str_has_prefix(p + 1, "\xE2\x80\x93 ")))
      g_string_append(s, "\xC2\xA0");
    else
      g_string_append_c(s, *p);
  }
  return g_string_free(s, FALSE);
}

/* L-5: a title on several lines is balanced: the narrowest width that
 * keeps the line count, found by bisection (Pango has no balanced wrap). */
static void balance(PangoLayout *l, double width)
{
  int lines = pango_layout_get_line_count(l);
  if (lines < 2)
    return;
  int lo = (int)(width * PANGO_SCALE / lines), hi = (int)(width * PANGO_SCALE);
  while (hi - lo > PANGO_SCALE) {
    int mid = lo + (hi - lo) / 2;
    pango_layout_set_width(l, mid);
    if (pango_layout_get_line_count(l) == lines && !pango_layout_is_ellipsized(l))
      hi = mid;
    else
      lo = mid;
  }
  pango_layout_set_width(l, hi);
}

/* TRUE when every line of l has runs and all are in one font: its lines
 * are then all as tall whatever text each holds, so balancing it (same
 * line count) leaves its height as it is. */
static gboolean one_font(PangoLayout *l)
{
  PangoFont *font = NULL;
  for (GSList *li = pango_layout_get_lines_readonly(l); li; li = li->next) {
    PangoLayoutLine *line = li->data;
    if (!line->runs)
      return FALSE;
    for (GSList *r = line->runs; r; r = r->next) {
      PangoLayoutRun *run = r->data;
      if (!font)
        font = run->item->analysis.font;
      else if (run->item->analysis.font != font)
        return FALSE;
    }
  }
  return font != NULL;
}

/* Draws layout at (x, y); returns its height in user units. */
static double show(cairo_t *cr, PangoLayout *layout, double x, double y)
{
  int w, h;
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout);
  pango_layout_get_size(layout, &w, &h);
  return (double)h / PANGO_SCALE;
}

void kq_cover_draw(cairo_t *cr, double width, double height, const KqCoverText *text)
{
  const double m = width * 0.09;
  const double inner = width - 2 * m;
  const double band_h = height * 0.40;
  const char *lang = text->lang;

  cairo_save(cr);
  cairo_set_source_rgb(cr, PAPER);
  cairo_paint(cr);

  /* Title band: the period on top in small capitals, the title below. */
  cairo_set_source_rgb(cr, BAND);
  cairo_rectangle(cr, 0, 0, width, band_h);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, ACCENT);
  cairo_rectangle(cr, 0, band_h, width, height * 0.012);
  cairo_fill(cr);

  double y = band_h * 0.16;
  cairo_set_source_rgb(cr, BAND_INK);
  if (text->period && *text->period) {
    char *up = g_utf8_strup(text->period, -1);
    PangoLayout *l = make_layout(cr, up, "Linux Biolinum O, DejaVu Sans, sans-serif",
                                 PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, width * 0.034, inner,
                                 2, lang);
    PangoAttrList *attrs = pango_layout_get_attributes(l);
    attrs = attrs ? pango_attr_list_copy(attrs) : pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_letter_spacing_new((int)(width * 0.004 * PANGO_SCALE)));
    pango_layout_set_attributes(l, attrs);
    pango_attr_list_unref(attrs);
    y += show(cr, l, m, y) + band_h * 0.06;
    g_object_unref(l);
    g_free(up);
  }
  if (text->title && *text->title) {
    /* Shrink the title until it fits in the band (at most 4 lines). */
    double px = width * 0.085;
    PangoLayout *l = NULL;
    char *title = bind_dashes(text->title);
    for (int tries = 0; tries < 6; tries++) {
      l = make_layout(cr, title, "Linux Libertine O, DejaVu Serif, serif",
                      PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, px, inner, 4, lang);
      pango_layout_set_spacing(l, (int)(px * 0.05 * PANGO_SCALE));
      int w, h;
      pango_layout_get_size(l, &w, &h);
      if (y + (double)h / PANGO_SCALE <= band_h * 0.92 && !pango_layout_is_ellipsized(l))
        break;
      if (tries == 5)
        break;
      g_object_unref(l);
      px *= 0.85;
    }
    balance(l, inner);
    show(cr, l, m, y);
    g_object_unref(l);
    g_free(title);
  }

  /* Lead headlines, each under a short accent rule: all of them (up to
   * COVER_MAX_HEADLINES, the number the README states), the type made
   * smaller until they fit, never below a readable size. */
  y = band_h + height * 0.06;
  const double bottom = height - m * 1.6;
  int n_heads = 0;
  while (text->headlines && text->headlines[n_heads] && n_heads < COVER_MAX_HEADLINES)
    n_heads++;
  PangoLayout *heads[COVER_MAX_HEADLINES] = {0};
  gboolean balanced[COVER_MAX_HEADLINES] = {0};
  double px = width * 0.045;
  for (int tries = 0; n_heads > 0; tries++) {
    double need = 0;
    for (int i = 0; i < n_heads; i++) {
      if (heads[i])
        g_object_unref(heads[i]);
      heads[i] = make_layout(cr, text->headlines[i], "Linux Libertine O, DejaVu Serif, serif",
                             PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, px, inner, 3, lang);
      /* Headlines are titles too (L-5), balanced once their size is
       * chosen: each balance lays the text out some ten times. Only a
       * headline in several fonts, whose height balancing may change, is
       * balanced before it is measured. */
      balanced[i] = !one_font(heads[i]);
      if (balanced[i])
        balance(heads[i], inner);
      int w, h;
      pango_layout_get_size(heads[i], &w, &h);
      need += (double)h / PANGO_SCALE + height * 0.018 + height * 0.03;
    }
    if (y + need <= bottom + height * 0.03 || px < width * 0.03)
      break;
    px *= 0.92;
  }
  for (int i = 0; i < n_heads; i++)
    if (!balanced[i])
      balance(heads[i], inner);
  for (int i = 0; i < n_heads; i++) {
    int w, h;
    pango_layout_get_size(heads[i], &w, &h);
    double lh = (double)h / PANGO_SCALE;
    if (y + height * 0.018 + lh <= bottom) {
      cairo_set_source_rgb(cr, ACCENT);
      cairo_rectangle(cr, m, y, width * 0.08, height * 0.003);
      cairo_fill(cr);
      y += height * 0.018;
      cairo_set_source_rgb(cr, INK);
      y += show(cr, heads[i], m, y) + height * 0.03;
    }
    g_object_unref(heads[i]);
  }

  /* Footer: the label on the left, the program name on the right. */
  cairo_set_source_rgb(cr, INK);
  cairo_rectangle(cr, m, height - m * 1.25, inner, height * 0.0015);
  cairo_fill(cr);
  if (text->label && *text->label) {
    PangoLayout *l = make_layout(cr, text->label, "Linux Biolinum O, DejaVu Sans, sans-serif",
                                 PANGO_WEIGHT_NORMAL, PANGO_STYLE_ITALIC, width * 0.03, inner,
                                 1, lang);
    show(cr, l, m, height - m * 1.1);
    g_object_unref(l);
  }
  PangoLayout *l = make_layout(cr, "kiosque", "Linux Biolinum O, DejaVu Sans, sans-serif",
                               PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, width * 0.03, inner, 1,
                               NULL);
  pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
  show(cr, l, m, height - m * 1.1);
  g_object_unref(l);
  cairo_restore(cr);
}

/* Rewrites an RGB24 image surface's pixels (native-endian xRGB words) in
 * place as R, G, B, 0xFF bytes and wraps them in a pixbuf (no copy: a
 * 1200 × 1800 cover is 8.6 MB). The surface must outlive the pixbuf. */
static GdkPixbuf *pixbuf_wrap_rgb24(cairo_surface_t *surface)
{
  int w = cairo_image_surface_get_width(surface), h = cairo_image_surface_get_height(surface);
  int stride = cairo_image_surface_get_stride(surface);
  guchar *data = cairo_image_surface_get_data(surface);
  if (!data)
    return NULL;
  for (int y = 0; y < h; y++) {
    guchar *row = data + (gsize)y * stride;
    for (int x = 0; x < w; x++) {
      guint32 px;
      memcpy(&px, row + 4 * x, 4);
      row[4 * x] = (guchar)(px >> 16);
      row[4 * x + 1] = (guchar)(px >> 8);
      row[4 * x + 2] = (guchar)px;
      row[4 * x + 3] = 0xFF;
    }
  }
  cairo_surface_mark_dirty(surface);
  return gdk_pixbuf_new_from_data(data, GDK_COLORSPACE_RGB, TRUE, 8, w, h, stride, NULL, NULL);
}

GBytes *kq_cover_render(const KqCoverText *text, int width, int height, const char *format,
                        GError **error)
{
  cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create(surface);
  /* Fixed font options: the picture does not depend on the desktop's. */
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options(cr, fo);
  cairo_font_options_destroy(fo);
  kq_cover_draw(cr, width, height, text);
  cairo_status_t st = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_flush(surface);
  GBytes *png = NULL;
  if (st == CAIRO_STATUS_SUCCESS) {
    /* Encoded by gdk-pixbuf: JPEG at quality 92 is ten times faster to
     * write than PNG for a picture this size, and the text stays sharp
     * (the JPEG writer drops the constant alpha). */
    GdkPixbuf *pixbuf = pixbuf_wrap_rgb24(surface);
    gchar *buf = NULL;
    gsize len = 0;
    GError *err = NULL;
    gboolean jpeg = g_strcmp0(format, "jpeg") == 0;
    if (pixbuf && (jpeg ? gdk_pixbuf_save_to_buffer(pixbuf, &buf, &len, "jpeg", &err, "quality",
                                                    "92", NULL)
                        : gdk_pixbuf_save_to_buffer(pixbuf, &buf, &len, "png", &err, NULL)))
      png = g_bytes_new_take(buf, len);
    else
      g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FORMAT, "cover: cannot encode the %s: %s", jpeg ? "JPEG" : "PNG",
                  err ? err->message : "no picture");
    g_clear_error(&err);
    g_clear_object(&pixbuf);
  } else {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FORMAT, "cover: %s",
                cairo_status_to_string(st));
  }
  cairo_surface_destroy(surface);
  return png;
}
