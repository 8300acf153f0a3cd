/* pdf_flow.c: turns one typeset article into flow items (laid-out paragraphs, images, table rows). */
#include <stdarg.h>
#include <math.h>
#include <string.h>

#include <hb-ot.h>
#include <hb.h>

#include "kiosque/fonts.h"
#include "kiosque/link.h"
#include "pdf/pdf_private.h"

#define SHY "\xC2\xAD"
#define ZWSP "\xE2\x80\x8B"
#define LSEP "\xE2\x80\xA8"
/* Re-layouts allowed per paragraph for HY-6 and overflow fixes. */
#define MAX_RELAYOUT 24
/* Nesting of quotes and lists that gets its own indent and tags. */
#define MAX_DEPTH 6

int kq_pdf_stat_layouts, kq_pdf_stat_relayouts, kq_pdf_stat_shy_overflow;

/* Pango 1.50 wrapping lines in two threads at once, each with its own font
 * map, occasionally breaks a paragraph differently (seen in about one run
 * in five of the sample archive, never with one thread, never with
 * kq_pdf_break_lines(), which only asks Pango to shape and to lay out lines
 * already broken). The layouts Pango still wraps (code, centred text) are
 * made under this lock, so output stays byte-identical. */
static GMutex pango_lock;

/* ---- Shaper ------------------------------------------------------------ */

Shaper *kq_pdf_shaper_new(const KqTheme *t, const cairo_font_options_t *options,
                          const RoleMetrics *metrics)
{
  Shaper *sh = g_new0(Shaper, 1);
  sh->theme = t;
  if (options) {
    sh->font_map = kq_fonts_new_font_map();
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(sh->font_map), 72.0);
    sh->context = pango_font_map_create_context(sh->font_map);
    pango_cairo_context_set_resolution(sh->context, 72.0);
    pango_cairo_context_set_font_options(sh->context, options);
    sh->drawn_fonts = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref,
                                            g_object_unref);
  } else { /* a worker's: no Cairo (fonts.h) */
    sh->font_map = kq_fonts_new_shaping_font_map();
    sh->context = pango_font_map_create_context(sh->font_map);
  }
  pango_context_set_round_glyph_positions(sh->context, FALSE); /* */
  struct {
    const char *family;
    double size;
    PangoStyle style;
    PangoWeight weight;
  } spec[N_ROLES] = {
      [ROLE_BODY] = {t->body_font, t->body_size, PANGO_STYLE_NORMAL, PANGO_WEIGHT_NORMAL},
      [ROLE_TITLE] = {t->heading_font, t->title_size, PANGO_STYLE_NORMAL, PANGO_WEIGHT_BOLD},
      [ROLE_PART] = {t->heading_font, t->part_size, PANGO_STYLE_NORMAL, PANGO_WEIGHT_BOLD},
      [ROLE_HEADING] = {t->heading_font, t->heading_size, PANGO_STYLE_NORMAL, PANGO_WEIGHT_BOLD},
      [ROLE_STANDFIRST] = {t->body_font, t->standfirst_size, PANGO_STYLE_ITALIC,
                           PANGO_WEIGHT_NORMAL},
      [ROLE_META] = {t->heading_font, t->meta_size, PANGO_STYLE_NORMAL, PANGO_WEIGHT_NORMAL},
      [ROLE_CODE] = {t->code_font, t->code_size, PANGO_STYLE_NORMAL, PANGO_WEIGHT_NORMAL},
      [ROLE_HEAD] = {t->heading_font, t->head_size, PANGO_STYLE_NORMAL, PANGO_WEIGHT_NORMAL},
      [ROLE_TOC_GROUP] = {t->heading_font, t->body_size * 1.1, PANGO_STYLE_NORMAL,
                          PANGO_WEIGHT_BOLD},
      [ROLE_COVER] = {t->heading_font, t->part_size * 1.15, PANGO_STYLE_NORMAL,
                      PANGO_WEIGHT_BOLD},
  };
  for (int r = 0; r < N_ROLES; r++) {
    PangoFontDescription *d = pango_font_description_new();
    pango_font_description_set_family(d, spec[r].family);
    pango_font_description_set_size(d, (int)lround(spec[r].size * PANGO_SCALE));
    pango_font_description_set_style(d, spec[r].style);
    pango_font_description_set_weight(d, spec[r].weight);
    sh->font[r] = d;
    if (metrics)
      continue;
    PangoFontMetrics *m = pango_context_get_metrics(sh->context, d, NULL);
    sh->metrics.ascent[r] = pango_font_metrics_get_ascent(m) / (double)PANGO_SCALE;
    sh->metrics.descent[r] = pango_font_metrics_get_descent(m) / (double)PANGO_SCALE;
    pango_font_metrics_unref(m);
  }
  if (metrics)
    sh->metrics = *metrics;
  sh->sups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  sh->pua_glyphs = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref,
                                         (GDestroyNotify)hb_set_destroy);
  return sh;
}

void kq_pdf_shaper_free(Shaper *sh)
{
  if (!sh)
    return;
  for (int r = 0; r < N_ROLES; r++)
    pango_font_description_free(sh->font[r]);
  g_object_unref(sh->context);
  g_object_unref(sh->font_map);
  g_hash_table_destroy(sh->sups);
  g_hash_table_destroy(sh->pua_glyphs);
  g_clear_pointer(&sh->drawn_fonts, g_hash_table_destroy);
  g_free(sh);
}

/* Leading of a role: the body's ratio applied to the role's size. */
static double role_leading(Shaper *sh, Role role)
{
  const KqTheme *t = sh->theme;
  if (role == ROLE_BODY)
    return t->leading;
  double size = pango_font_description_get_size(sh->font[role]) / (double)PANGO_SCALE;
  double ratio = t->leading / t->body_size;
  if (role == ROLE_TITLE || role == ROLE_PART || role == ROLE_COVER || role == ROLE_HEADING)
    ratio = MIN(ratio, 1.2);
  return size * ratio;
}

/* ---- Items ------------------------------------------------------------- */

static void link_clear(gpointer p)
{
  g_free(((Link *)p)->href);
}

static Item *item_new(ItemKind kind, Role role, const char *leaf)
{
  Item *it = g_new0(Item, 1);
  it->kind = kind;
  it->role = role;
  it->leaf_tag = leaf;
  return it;
}

void kq_pdf_item_strip(Item *it)
{
  g_clear_object(&it->layout);
  if (it->links) {
    g_array_unref(it->links);
    it->links = NULL;
  }
  if (it->cells) {
    g_ptr_array_unref(it->cells);
    it->cells = NULL;
  }
  g_clear_pointer(&it->marker, g_free);
}

void kq_pdf_item_free(Item *it)
{
  if (!it)
    return;
  kq_pdf_item_strip(it);
  g_clear_pointer(&it->cell_x, g_array_unref);
  g_free(it->dest);
  g_free(it->line_h);
  g_free(it->line_base);
  g_free(it->line_hyphen);
  g_free(it);
}

void kq_pdf_item_measure(Shaper *sh, Item *it, double lead)
{
  int n = pango_layout_get_line_count(it->layout);
  g_free(it->line_h);
  g_free(it->line_base);
  g_free(it->line_hyphen);
  it->n_lines = (guint)n;
  it->line_h = g_new(double, n);
  it->line_base = g_new(double, n);
  it->line_hyphen = g_new0(guint8, n);
  const char *text = pango_layout_get_text(it->layout);
  double A = sh->metrics.ascent[it->role], D = sh->metrics.descent[it->role];
  double half = (lead - (A + D)) / 2;
  GSList *l = pango_layout_get_lines_readonly(it->layout);
  for (int i = 0; l; l = l->next, i++) {
    PangoRectangle r;
    pango_layout_line_get_extents(l->data, NULL, &r);
    double asc = -r.y / (double)PANGO_SCALE, desc = (r.y + r.height) / (double)PANGO_SCALE;
    double base = MAX(half + A, asc);
    double below = MAX(lead - (half + A), desc);
    it->line_base[i] = base;
    it->line_h[i] = base + below;
    PangoLayoutLine *line = l->data;
    int end = line->start_index + line->length;
    /* a line broken by kq_pdf_break_lines() ends with U+2028 after the hyphen */
    if (end >= 3 && memcmp(text + end - 3, LSEP, 3) == 0)
      end -= 3;
    it->line_hyphen[i] = end >= 2 && memcmp(text + end - 2, SHY, 2) == 0;
  }
}

void kq_pdf_item_measure_lines(Shaper *sh, Item *it, const int *starts, guint n, double lead)
{
  g_free(it->line_h);
  g_free(it->line_base);
  g_free(it->line_hyphen);
  it->n_lines = n;
  it->line_h = g_new(double, n);
  it->line_base = g_new(double, n);
  it->line_hyphen = g_new0(guint8, n);
  double *asc = g_new(double, n), *desc = g_new(double, n);
  kq_pdf_lines_extents(it->layout, starts, n, asc, desc, it->line_hyphen);
  double A = sh->metrics.ascent[it->role], D = sh->metrics.descent[it->role];
  double half = (lead - (A + D)) / 2;
  for (guint i = 0; i < n; i++) {
    it->line_base[i] = MAX(half + A, asc[i]);
    it->line_h[i] = it->line_base[i] + MAX(lead - (half + A), desc[i]);
  }
  g_free(asc);
  g_free(desc);
}

/* ---- Runs to Pango text ------------------------------------------------- */

typedef struct {
  GString *text;
  PangoAttrList *attrs;
  GArray *links;      /* Link */
  GArray *run_start;  /* int: byte offset of each run in text */
  GArray *code;       /* int: byte start and end of each code span (L-4) */
} Built;

static void built_clear(Built *b)
{
  if (b->text)
    g_string_free(b->text, TRUE);
  if (b->attrs)
    pango_attr_list_unref(b->attrs);
  g_clear_pointer(&b->links, g_array_unref);
  g_clear_pointer(&b->run_start, g_array_unref);
  g_clear_pointer(&b->code, g_array_unref);
  memset(b, 0, sizeof *b);
}

static void add_attr(PangoAttrList *list, PangoAttribute *a, guint start, guint end)
{
  a->start_index = start;
  a->end_index = end;
  pango_attr_list_insert(list, a);
}

/* Whether hb_font's OpenType `sups` feature gives its own glyph for every
 * character of text: shaped with and without it, no glyph may stay the same
 * (a letter the font has no superior for would sit full size on the line). */
static gboolean font_sups_covers(hb_font_t *hb_font, const char *text)
{
  hb_face_t *face = hb_font_get_face(hb_font);
  unsigned feature;
  if (!hb_ot_layout_language_find_feature(face, HB_OT_TAG_GSUB, 0,
                                          HB_OT_LAYOUT_DEFAULT_LANGUAGE_INDEX,
                                          HB_TAG('s', 'u', 'p', 's'), &feature))
    return FALSE;
  hb_buffer_t *plain = hb_buffer_create(), *sup = hb_buffer_create();
  hb_feature_t f = {HB_TAG('s', 'u', 'p', 's'), 1, 0, (unsigned)-1};
  hb_buffer_add_utf8(plain, text, -1, 0, -1);
  hb_buffer_guess_segment_properties(plain);
  hb_buffer_add_utf8(sup, text, -1, 0, -1);
  hb_buffer_guess_segment_properties(sup);
  hb_shape(hb_font, plain, NULL, 0);
  hb_shape(hb_font, sup, &f, 1);
  unsigned n, m;
  hb_glyph_info_t *a = hb_buffer_get_glyph_infos(plain, &n);
  hb_glyph_info_t *b = hb_buffer_get_glyph_infos(sup, &m);
  gboolean all = n == m && n > 0;
  for (unsigned i = 0; all && i < n; i++)
    all = a[i].codepoint != b[i].codepoint && b[i].codepoint != 0;
  hb_buffer_destroy(plain);
  hb_buffer_destroy(sup);
  return all;
}

/* a superscript run is set with the font's superior letters and figures
 * (`sups`) when its font has them for every character; else Pango's
 * synthetic superscript (raised, scaled). Answers are cached per shaper. */
static gboolean use_sups(Shaper *sh, Role role, const KqRun *run, gboolean role_italic)
{
  if (run->style & KQ_STYLE_CODE)
    return FALSE;
  PangoFontDescription *d = pango_font_description_copy_static(sh->font[role]);
  if (run->style & KQ_STYLE_EMPH)
    pango_font_description_set_style(d, role_italic ? PANGO_STYLE_NORMAL : PANGO_STYLE_ITALIC);
  if (run->style & KQ_STYLE_STRONG)
    pango_font_description_set_weight(d, PANGO_WEIGHT_BOLD);
  char *name = pango_font_description_to_string(d);
  char *key = g_strconcat(name, "\x1f", run->text, NULL);
  g_free(name);
  gpointer hit = g_hash_table_lookup(sh->sups, key);
  if (!hit) {
    PangoFont *font = pango_context_load_font(sh->context, d);
    gboolean ok = font && font_sups_covers(pango_font_get_hb_font(font), run->text);
    g_clear_object(&font);
    hit = GINT_TO_POINTER(ok ? 1 : 2);
    /* (ordinal suffixes and note calls repeat; a long run is not kept, so
     * the cache stays small whatever the document) */
    if (strlen(run->text) <= 32 && g_hash_table_size(sh->sups) < 4096) {
      g_hash_table_insert(sh->sups, key, hit);
      key = NULL;
    }
  }
  g_free(key);
  pango_font_description_free(d);
  return GPOINTER_TO_INT(hit) == 1;
}

static void build_text(Shaper *sh, const GPtrArray *runs, Role role, const char *lang,
                       Built *b)
{
  const KqTheme *t = sh->theme;
  b->text = g_string_new(NULL);
  b->attrs = pango_attr_list_new();
  b->links = g_array_new(FALSE, TRUE, sizeof(Link));
  g_array_set_clear_func(b->links, link_clear);
  b->run_start = g_array_new(FALSE, FALSE, sizeof(int));
  b->code = g_array_new(FALSE, FALSE, sizeof(int));
  gboolean role_italic =
      pango_font_description_get_style(sh->font[role]) == PANGO_STYLE_ITALIC;
  double role_size = pango_font_description_get_size(sh->font[role]) / (double)PANGO_SCALE;
  for (guint i = 0; runs && i < runs->len; i++) {
    const KqRun *run = g_ptr_array_index(runs, i);
    int start = (int)b->text->len;
    g_array_append_val(b->run_start, start);
    if (run->kind == KQ_RUN_BREAK) {
      g_string_append(b->text, "\xE2\x80\xA8"); /* U+2028: line break inside the paragraph */
      continue;
    }
    if (!run->text || !*run->text)
      continue;
    g_string_append(b->text, run->text);
    guint s = (guint)start, e = (guint)b->text->len;
    if (run->style & KQ_STYLE_EMPH)
      add_attr(b->attrs,
               pango_attr_style_new(role_italic ? PANGO_STYLE_NORMAL : PANGO_STYLE_ITALIC), s,
               e);
    if (run->style & KQ_STYLE_STRONG)
      add_attr(b->attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD), s, e);
    if (run->style & KQ_STYLE_CODE) {
      int last = b->code->len ? g_array_index(b->code, int, b->code->len - 1) : -1;
      if (last == (int)s) {
        g_array_index(b->code, int, b->code->len - 1) = (int)e;
      } else {
        int span[2] = {(int)s, (int)e};
        g_array_append_vals(b->code, span, 2);
      }
    }
    if (run->style & KQ_STYLE_CODE && role != ROLE_CODE) {
      add_attr(b->attrs, pango_attr_family_new(t->code_font), s, e);
      add_attr(b->attrs, pango_attr_size_new((int)lround(role_size * t->inline_code_scale * PANGO_SCALE)), s,
               e);
    }
    if (run->style & KQ_STYLE_SUP && use_sups(sh, role, run, role_italic)) {
      add_attr(b->attrs, pango_attr_font_features_new("sups"), s, e); /* */
    } else if (run->style & (KQ_STYLE_SUP | KQ_STYLE_SUB)) { /* */
      gboolean sup = (run->style & KQ_STYLE_SUP) != 0;
      add_attr(b->attrs,
               pango_attr_baseline_shift_new(sup ? PANGO_BASELINE_SHIFT_SUPERSCRIPT
                                                 : PANGO_BASELINE_SHIFT_SUBSCRIPT),
               s, e);
      add_attr(b->attrs,
               pango_attr_font_scale_new(sup ? PANGO_FONT_SCALE_SUPERSCRIPT
                                             : PANGO_FONT_SCALE_SUBSCRIPT),
               s, e);
    }
    /* the links both writers keep (link.h); the others are plain text */
    char *href = run->href ? kq_link_safe(run->href) : NULL;
    if (href) {
      const KqColour *c = &t->link_colour;
      add_attr(b->attrs,
               pango_attr_foreground_new((guint16)(c->r * 65535), (guint16)(c->g * 65535),
                                         (guint16)(c->b * 65535)),
               s, e);
      Link *last = b->links->len ? &g_array_index(b->links, Link, b->links->len - 1) : NULL;
      if (last && last->end == start && strcmp(last->href, href) == 0) {
        last->end = (int)e;
        g_free(href);
      } else {
        Link lk = {start, (int)e, href};
        g_array_append_val(b->links, lk);
      }
    }
    if (run->lang)
      add_attr(b->attrs, pango_attr_language_new(pango_language_from_string(run->lang)), s,
               e);
  }
  if (lang && *lang) {
    PangoAttribute *a = pango_attr_language_new(pango_language_from_string(lang));
    a->start_index = 0;
    a->end_index = G_MAXUINT;
    pango_attr_list_insert_before(b->attrs, a);
  }
}

/* Text of a run range [s, e) of the built text touching run i: applies f to
 * the run's bytes overlapping [s, e). */
typedef char *(*RunEdit)(const char *text, gsize from, gsize to, gpointer data);

static void edit_runs(GPtrArray *runs, const Built *b, int s, int e, RunEdit f, gpointer data)
{
  for (guint i = 0; i < runs->len; i++) {
    KqRun *run = g_ptr_array_index(runs, i);
    if (run->kind != KQ_RUN_TEXT || !run->text)
      continue;
    int rs = g_array_index(b->run_start, int, i);
    int re = rs + (int)strlen(run->text);
    if (re <= s || rs >= e)
      continue;
    gsize from = (gsize)(MAX(s, rs) - rs), to = (gsize)(MIN(e, re) - rs);
    char *n = f(run->text, from, to, data);
    g_free(run->text);
    run->text = n;
  }
}

/* Removes U+00AD from text[from, to). */
static char *drop_shy(const char *text, gsize from, gsize to, gpointer data)
{
  GString *s = g_string_new_len(text, (gssize)from);
  for (gsize i = from; i < to;) {
    if ((guchar)text[i] == 0xC2 && i + 1 < to && (guchar)text[i + 1] == 0xAD) {
      i += 2;
      continue;
    }
    g_string_append_c(s, text[i]);
    i++;
  }
  g_string_append(s, text + to);
  return g_string_free(s, FALSE);
}

/* Last-resort breaks (no overflowing line): inserts U+200B after the URL
 * break characters / . ? & = - (urlish) or between all characters. */
static char *insert_breaks(const char *text, gsize from, gsize to, gpointer data)
{
  gboolean urlish = GPOINTER_TO_INT(data);
  GString *s = g_string_new_len(text, (gssize)from);
  for (const char *p = text + from; p < text + to;) {
    const char *n = g_utf8_next_char(p);
    g_string_append_len(s, p, n - p);
    gboolean more = n < text + to && strncmp(n, ZWSP, 3) != 0 && strncmp(p, ZWSP, 3) != 0;
    if (more && (!urlish || strchr("/.?&=-", *p)))
      g_string_append(s, ZWSP);
    p = n;
  }
  g_string_append(s, text + to);
  return g_string_free(s, FALSE);
}

static gboolean is_space_at(const char *p)
{
  gunichar c = g_utf8_get_char(p);
  return c == ' ' || c == 0xA0 || c == 0x202F || c == '\n' || c == 0x2028 || c == '\t';
}

/* Word (space-delimited) around byte position pos of text. */
static void word_bounds(const char *text, gsize len, gsize pos, int *s, int *e)
{
  const char *p = text + pos;
  while (p > text) {
    const char *q = g_utf8_prev_char(p);
    if (is_space_at(q))
      break;
    p = q;
  }
  *s = (int)(p - text);
  p = text + pos;
  while (p < text + len && !is_space_at(p))
    p = g_utf8_next_char(p);
  *e = (int)(p - text);
}

static gboolean expandable_at(const char *p)
{
  /* U+0020 and U+00A0 stretch, U+202F keeps its width */
  return *p == ' ' || strncmp(p, "\xC2\xA0", 2) == 0;
}

/*
 * Justifies every line but the last of each paragraph (and lines ending in
 * a hard break) by widening its inner word spaces, the way Pango does,
 * measured against the ragged line's width (hyphen included) summed from
 * its glyphs. soft: the U+2028 kq_pdf_break_lines() inserted (justified
 * like wrapped lines), or NULL. indent as pango_layout_set_indent().
 */
#define MAX_SPACE_STRETCH 2.3

static void justify_lines(PangoLayout *layout, int width, int indent, const GArray *soft)
{
  const char *text = pango_layout_get_text(layout);
  int li = 0;
  for (GSList *l = pango_layout_get_lines_readonly(layout); l && l->next; l = l->next, li++) {
    PangoLayoutLine *line = l->data, *next = l->next->data;
    int end = line->start_index + line->length;
    gboolean sep = end >= 3 && memcmp(text + end - 3, LSEP, 3) == 0;
    if (next->is_paragraph_start || (sep && !kq_pdf_is_soft_end(soft, end - 3)))
      continue;
    int natural = 0;
    for (GSList *rl = line->runs; rl; rl = rl->next)
      natural += pango_glyph_string_get_width(((PangoGlyphItem *)rl->data)->glyphs);
    /* negative when kq_pdf_break_lines() counted on spaces shrinking */
    int gap = width - (li == 0 ? MAX(indent, 0) : MAX(-indent, 0)) - natural;
    if (gap == 0)
      continue;
    int space_w = 0; /* natural width of the line's expandable spaces */
    /* spaces after the last visible character do not count */
    int last = sep ? end - 3 : end;
    while (last > line->start_index) {
      const char *q = g_utf8_prev_char(text + last);
      if (!expandable_at(q) && *q != '\n')
        break;
      last = (int)(q - text);
    }
    int count = 0;
    for (int pass = 0; pass < 2; pass++) {
      int k = 0;
      for (GSList *rl = line->runs; rl; rl = rl->next) {
        PangoGlyphItem *run = rl->data;
        PangoGlyphString *gs = run->glyphs;
        for (int g = 0; g < gs->num_glyphs; g++) {
          int idx = run->item->offset + gs->log_clusters[g];
          if (idx >= last || !expandable_at(text + idx))
            continue;
          if (g > 0 && gs->log_clusters[g - 1] == gs->log_clusters[g])
            continue;
          if (pass == 0) {
            count++;
            space_w += gs->glyphs[g].geometry.width;
          } else {
            int mag = ABS(gap);
            int add = mag / count + (k < mag % count ? 1 : 0);
            gs->glyphs[g].geometry.width += gap < 0 ? -add : add;
            k++;
          }
        }
      }
      if (count == 0)
        break;
      /* L-7's last resort: a line whose spaces would open into holes (over
       * MAX_SPACE_STRETCH times their width, about 1 em) stays ragged */
      if (pass == 0 && gap > 0 && (double)gap / count > MAX_SPACE_STRETCH * space_w / count)
        break;
    }
  }
}

typedef struct {
  Role role;
  gboolean justify;
  gboolean hyphenate;
  gboolean code;           /* wrap anywhere, no hyphen drawn, no justification */
  double indent;           /* first-line indent */
  PangoAlignment align;
  gboolean display;        /* titles and headings: balanced, never inside a word (L-5) */
  double scale;            /* of the role's size; 0: 1 */
} TextSpec;

/*
 * Edits runs (whose text is b's) for drawing lines broken at breaks
 * (kq_pdf_break_lines() codes): a U+2028 at each break, soft hyphens kept
 * only where a line breaks (so the PDF's text has none elsewhere). Appends
 * to soft the byte offset of each U+2028 in the text build_text() will make.
 */
static void apply_breaks(GPtrArray *runs, const Built *b, const int *codes, guint n,
                         GArray *soft)
{
  /* byte offset in b->text of each break, and whether it is a hyphen's */
  GArray *at = g_array_sized_new(FALSE, FALSE, sizeof(int), n);
  const char *text = b->text->str;
  const char *p = text;
  int chars = 0;
  for (guint k = 0; k < n; k++) {
    int want = codes[k] >> 1;
    while (chars < want && *p) {
      p = g_utf8_next_char(p);
      chars++;
    }
    int off = (int)(p - text);
    g_array_append_val(at, off);
  }
  guint k = 0;
  int out = 0; /* offset in the text the edited runs will build */
  for (guint i = 0; i < runs->len; i++) {
    KqRun *run = g_ptr_array_index(runs, i);
    if (run->kind == KQ_RUN_BREAK) {
      out += 3;
      continue;
    }
    if (!run->text || !*run->text)
      continue;
    int rs = g_array_index(b->run_start, int, i);
    GString *o = g_string_sized_new(strlen(run->text) + 8);
    for (const char *q = run->text; *q;) {
      const char *nx = g_utf8_next_char(q);
      int end = rs + (int)(nx - run->text);
      while (k < n && g_array_index(at, int, k) < end)
        k++;
      gboolean breaks_here = k < n && g_array_index(at, int, k) == end;
      gboolean shy = strncmp(q, SHY, 2) == 0;
      if (!shy || (breaks_here && (codes[k] & 1)))
        g_string_append_len(o, q, nx - q);
      if (breaks_here) {
        int sep = out + (int)o->len;
        g_array_append_val(soft, sep);
        g_string_append(o, LSEP);
      }
      q = nx;
    }
    out += (int)o->len;
    g_free(run->text);
    run->text = g_string_free(o, FALSE);
  }
  g_array_unref(at);
}

static gboolean is_colour_attr(PangoAttribute *a, gpointer data)
{
  (void)data;
  return a->klass->type == PANGO_ATTR_FOREGROUND;
}

static PangoLayout *unwrapped_layout(Shaper *sh, const TextSpec *spec, const Built *b)
{
  PangoLayout *layout = pango_layout_new(sh->context);
  pango_layout_set_font_description(layout, sh->font[spec->role]);
  pango_layout_set_width(layout, -1);
  pango_layout_set_indent(layout, (int)lround(spec->indent * PANGO_SCALE));
  pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT);
  pango_layout_set_text(layout, b->text->str, (int)b->text->len);
  pango_layout_set_attributes(layout, b->attrs);
  return layout;
}

/* Byte offsets where the lines of a laid-out text start, ascending. */
static GArray *line_starts(PangoLayout *layout)
{
  GArray *starts = g_array_new(FALSE, FALSE, sizeof(int));
  for (GSList *l = pango_layout_get_lines_readonly(layout); l; l = l->next)
    g_array_append_val(starts, ((PangoLayoutLine *)l->data)->start_index);
  return starts;
}

/* Line starts of the unwrapped layout once broken: its own (hard breaks)
 * and the breaks' (char offsets in codes), merged. */
static GArray *broken_starts(PangoLayout *u, const int *codes, guint n)
{
  GArray *own = line_starts(u);
  GArray *starts = g_array_sized_new(FALSE, FALSE, sizeof(int), own->len + n);
  const char *text = pango_layout_get_text(u), *p = text;
  int chars = 0;
  guint i = 0;
  for (guint k = 0; k <= n; k++) {
    int b = G_MAXINT;
    if (k < n) {
      for (; chars < codes[k] >> 1 && *p; chars++)
        p = g_utf8_next_char(p);
      b = (int)(p - text);
    }
    for (; i < own->len && g_array_index(own, int, i) <= b; i++)
      if (g_array_index(own, int, i) < b)
        g_array_append_val(starts, g_array_index(own, int, i));
    if (k < n)
      g_array_append_val(starts, b);
  }
  g_array_unref(own);
  return starts;
}

/*
 * Lays out runs (copied; typeset, hyphenated or not) at width with
 * kiosque's line breaker (pdf_lines.c): the layout pass shapes the
 * paragraph unwrapped, chooses its breaks and adds them to the plan
 * (fc->breaks_out); drawing lays the text out with the plan's breaks
 * inserted (fc->breaks_in), and justifies it.
 */
static PangoLayout *layout_set_lines(FlowCtx *fc, const GPtrArray *runs_in, const char *lang,
                                     const TextSpec *spec, double width, GArray **links_out,
                                     gboolean measure_only, GArray **starts_out)
{
  Shaper *sh = fc->shaper;
  GPtrArray *runs = kq_runs_new();
  for (guint i = 0; runs_in && i < runs_in->len; i++)
    g_ptr_array_add(runs, kq_run_dup(g_ptr_array_index(runs_in, i)));
  Built b = {0};
  build_text(sh, runs, spec->role, lang, &b);
  g_atomic_int_inc(&kq_pdf_stat_layouts);
  /* L-5: a display line never breaks inside a word, so a word wider than
   * the measure makes the whole text smaller */
  double scale = spec->scale > 0 ? spec->scale : 1;
  if (scale != 1)
    add_attr(b.attrs, pango_attr_scale_new(scale), 0, G_MAXUINT);
  GArray *breaks = NULL;
  const int *codes = NULL;
  guint n = 0;
  if (fc->breaks_in && fc->in_item) {
    /* drawing: the breaks the layout chose (pdf_plan.h) */
    codes = kq_plan_breaks_find(fc->breaks_in, fc->item, &n);
    if (!codes)
      g_critical("PDF: no line breaks planned for item %u", fc->item);
  }
  /* colours change no break: left out of the paragraph-long line the
   * breaker shapes, where Pango splits the one run at every link
   * (quadratic: 40,000 links took 46 s) */
  if (!codes)
    pango_attr_list_unref(pango_attr_list_filter(b.attrs, is_colour_attr, NULL));
  PangoLayout *u = NULL; /* the text shaped unwrapped, for the breaker */
  if (spec->display && codes) {
    /* drawing: at the scale the layout chose */
    double planned = kq_plan_breaks_scale(fc->breaks_in, fc->item);
    if (planned != scale) {
      built_clear(&b);
      build_text(sh, runs, spec->role, lang, &b);
      scale = planned;
      add_attr(b.attrs, pango_attr_scale_new(scale), 0, G_MAXUINT);
    }
  } else if (spec->display) {
    u = unwrapped_layout(sh, spec, &b);
    double widest = kq_pdf_widest_word(u);
    if (widest > width && widest > 0) {
      double smaller = scale * MAX(0.4, floor(width / widest * 1000) / 1000);
      g_object_unref(u);
      u = NULL;
      built_clear(&b);
      build_text(sh, runs, spec->role, lang, &b);
      pango_attr_list_unref(pango_attr_list_filter(b.attrs, is_colour_attr, NULL));
      scale = smaller;
      add_attr(b.attrs, pango_attr_scale_new(scale), 0, G_MAXUINT);
    }
  }
  if (!codes) {
    if (!u)
      u = unwrapped_layout(sh, spec, &b);
    int flags = (spec->justify ? KQ_BREAK_JUSTIFY : 0) |
                (spec->display ? KQ_BREAK_BALANCE | KQ_BREAK_WHOLE_WORDS : 0);
    breaks = kq_pdf_break_lines(u, width, spec->indent, flags, b.code);
    n = breaks->len;
    codes = (const int *)(void *)breaks->data;
    GArray *starts = NULL;
    if ((measure_only && starts_out) ||
        (fc->breaks_out && fc->in_item && kq_plan_breaks_with_text(fc->breaks_out)))
      starts = broken_starts(u, codes, n);
    if (fc->breaks_out && fc->in_item) {
      kq_plan_breaks_add(fc->breaks_out, fc->item, codes, n, FALSE, pango_layout_get_text(u),
                         starts ? (const int *)(void *)starts->data : NULL,
                         starts ? starts->len : 0);
      if (spec->display)
        kq_plan_breaks_set_scale(fc->breaks_out, fc->item, scale);
    }
    if (measure_only && starts_out) {
      /* the layout pass needs line metrics only: they come from this
       * layout, as they would from the one with the breaks inserted */
      *starts_out = starts;
      g_array_unref(breaks);
      if (links_out) {
        *links_out = b.links;
        b.links = NULL;
      }
      built_clear(&b);
      g_ptr_array_unref(runs);
      return u;
    }
    g_clear_pointer(&starts, g_array_unref);
    g_object_unref(u);
  }
  GArray *soft = g_array_new(FALSE, FALSE, sizeof(int));
  apply_breaks(runs, &b, codes, n, soft);
  g_clear_pointer(&breaks, g_array_unref);
  built_clear(&b);
  build_text(sh, runs, spec->role, lang, &b);
  if (links_out) /* the links go with the item: drawing colours them line by line (pdf.c) */
    pango_attr_list_unref(pango_attr_list_filter(b.attrs, is_colour_attr, NULL));
  if (scale != 1)
    add_attr(b.attrs, pango_attr_scale_new(scale), 0, G_MAXUINT);
  PangoLayout *layout = unwrapped_layout(sh, spec, &b);
  kq_pdf_fix_line_ends(layout, soft);
  if (spec->justify && fc->keep_layouts)
    justify_lines(layout, (int)floor(width * PANGO_SCALE), (int)lround(spec->indent * PANGO_SCALE),
                  soft);
  g_array_unref(soft);
  if (starts_out)
    *starts_out = line_starts(layout);
  if (links_out) {
    *links_out = b.links;
    b.links = NULL;
  }
  built_clear(&b);
  g_ptr_array_unref(runs);
  return layout;
}

enum { EDIT_DROP_SHY = 0, EDIT_INSERT_BREAKS = 1 };

static void record_edit(GArray *edits, int round, int edit, int start, int end, int arg)
{
  if (edits) {
    int e[5] = {round, edit, start, end, arg};
    g_array_append_vals(edits, e, 5);
  }
}

/* Appends to codes the breaks of a layout Pango wrapped, as
 * kq_pdf_break_lines() codes: where each line starts (character offset)
 * that Pango chose, the mandatory ones left out, and whether the line
 * before ends at a soft hyphen. */
static void wrapped_codes(PangoLayout *layout, const GArray *starts, GArray *codes)
{
  const char *text = pango_layout_get_text(layout), *p = text;
  int chars = 0;
  for (guint i = 1; i < starts->len; i++) {
    int s = g_array_index(starts, int, i);
    if (s <= 0)
      continue;
    const char *prev = g_utf8_prev_char(text + s);
    gunichar c = g_utf8_get_char(prev);
    if (c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029)
      continue; /* a mandatory break: the text has it */
    for (; p < text + s; chars++)
      p = g_utf8_next_char(p);
    int code = chars * 2 + (c == 0xAD ? 1 : 0);
    g_array_append_val(codes, code);
  }
}

/*
 * Drawing: the text layout_runs() laid out, its edits made again and its
 * lines broken where Pango broke them then (plan: the edits, then the
 * break codes), laid out unwrapped: no break is chosen again.
 */
static PangoLayout *layout_planned(FlowCtx *fc, const GPtrArray *runs_in, const char *lang,
                                   const TextSpec *spec, double width, GArray **links_out,
                                   const int *plan, guint n)
{
  Shaper *sh = fc->shaper;
  GPtrArray *runs = kq_runs_new();
  for (guint i = 0; runs_in && i < runs_in->len; i++)
    g_ptr_array_add(runs, kq_run_dup(g_ptr_array_index(runs_in, i)));
  guint n_edits = n ? (guint)plan[0] : 0;
  const int *e = plan + 1, *codes = plan + 1 + 5 * n_edits;
  guint n_codes = n ? n - 1 - 5 * n_edits : 0;
  Built b = {0};
  for (guint k = 0; k < n_edits;) {
    /* each round's edits against the text as that round built it */
    built_clear(&b);
    build_text(sh, runs, spec->role, lang, &b);
    int round = e[5 * k];
    for (; k < n_edits && e[5 * k] == round; k++)
      edit_runs(runs, &b, e[5 * k + 2], e[5 * k + 3],
                e[5 * k + 1] == EDIT_INSERT_BREAKS ? insert_breaks : drop_shy,
                GINT_TO_POINTER(e[5 * k + 4]));
  }
  built_clear(&b);
  build_text(sh, runs, spec->role, lang, &b);
  GArray *soft = g_array_new(FALSE, FALSE, sizeof(int));
  apply_breaks(runs, &b, codes, n_codes, soft);
  built_clear(&b);
  build_text(sh, runs, spec->role, lang, &b);
  if (spec->code)
    add_attr(b.attrs, pango_attr_insert_hyphens_new(FALSE), 0, G_MAXUINT);
  PangoLayout *layout = unwrapped_layout(sh, spec, &b);
  kq_pdf_fix_line_ends(layout, soft);
  if (spec->justify)
    justify_lines(layout, (int)floor(width * PANGO_SCALE), (int)lround(spec->indent * PANGO_SCALE),
                  soft);
  g_array_unref(soft);
  g_atomic_int_inc(&kq_pdf_stat_layouts);
  if (links_out) {
    *links_out = b.links;
    b.links = NULL;
  }
  built_clear(&b);
  g_ptr_array_unref(runs);
  return layout;
}

/*
 * Lays out runs (copied; typeset already) at width. Applies HY-6 (at most two
 * hyphenated lines in a row) and last-resort breaks so no line overflows.
 * Pango wraps the lines (under pango_lock); the layout records its edits
 * and lines in the plan, which drawing follows (layout_planned()).
 */
static PangoLayout *layout_runs(FlowCtx *fc, const GPtrArray *runs_in, const char *lang,
                                const TextSpec *spec, double width, GArray **links_out,
                                gboolean hyphenated)
{
  if (!spec->code && spec->align == PANGO_ALIGN_LEFT)
    return layout_set_lines(fc, runs_in, lang, spec, width, links_out, FALSE, NULL);
  if (fc->breaks_in && fc->in_item) {
    guint n;
    const int *plan = kq_plan_breaks_find_wrapped(fc->breaks_in, fc->item, &n);
    if (plan)
      return layout_planned(fc, runs_in, lang, spec, width, links_out, plan, n);
    g_critical("PDF: no lines planned for paragraph %u", fc->item);
  }
  /* the layout records its edits (round, edit, start, end, argument) and
   * then its lines for the plan */
  GArray *edits = fc->breaks_out && fc->in_item ? g_array_new(FALSE, FALSE, sizeof(int)) : NULL;
  g_mutex_lock(&pango_lock);
  Shaper *sh = fc->shaper;
  /* a copy: HY-6 and last-resort breaks edit it */
  GPtrArray *runs = kq_runs_new();
  for (guint i = 0; runs_in && i < runs_in->len; i++)
    g_ptr_array_add(runs, kq_run_dup(g_ptr_array_index(runs_in, i)));
  PangoLayout *layout = pango_layout_new(sh->context);
  pango_layout_set_font_description(layout, sh->font[spec->role]);
  pango_layout_set_width(layout, (int)floor(width * PANGO_SCALE));
  pango_layout_set_wrap(layout, spec->code ? PANGO_WRAP_WORD_CHAR : PANGO_WRAP_WORD); /* HY-7 */
  /* Lines are broken ragged and justified by justify_lines() when drawn:
   * Pango 1.50 lets a justified line that follows a hyphenated one
   * overflow by the hyphen's width, and breaking does not depend on it. */
  pango_layout_set_justify(layout, FALSE);
  pango_layout_set_alignment(layout, spec->align);
  pango_layout_set_indent(layout, (int)lround(spec->indent * PANGO_SCALE));
  Built b = {0};
  for (int round = 0;; round++) {
    built_clear(&b);
    build_text(sh, runs, spec->role, lang, &b);
    if (spec->code)
      add_attr(b.attrs, pango_attr_insert_hyphens_new(FALSE), 0, G_MAXUINT);
    pango_layout_set_text(layout, b.text->str, (int)b.text->len);
    pango_layout_set_attributes(layout, b.attrs);
    if (round >= MAX_RELAYOUT)
      break;
    g_atomic_int_inc(&kq_pdf_stat_layouts);
    if (round)
      g_atomic_int_inc(&kq_pdf_stat_relayouts);
    const char *text = b.text->str;
    gsize len = b.text->len;
    /* No overflowing line: last-resort breaks inside the token that overflows. */
    gboolean fixed = FALSE;
    double limit = width + 0.01;
    int li = 0;
    for (GSList *l = pango_layout_get_lines_readonly(layout); l; l = l->next, li++) {
      PangoLayoutLine *line = l->data;
      PangoRectangle r;
      pango_layout_line_get_extents(line, NULL, &r);
      double right = (r.x + r.width) / (double)PANGO_SCALE + (li == 0 ? MAX(spec->indent, 0) : 0);
      if (right <= limit)
        continue;
      int le0 = line->start_index + line->length;
      if (le0 >= 2 && memcmp(text + le0 - 2, SHY, 2) == 0) {
        /* Pango 1.50 can let a line broken at a soft hyphen overflow by
         * the hyphen's width: forbid that break instead (HY-6 remedy). */
        int ws, we;
        word_bounds(text, len, (gsize)(le0 - 2), &ws, &we);
        edit_runs(runs, &b, ws, we, drop_shy, NULL);
        record_edit(edits, round, EDIT_DROP_SHY, ws, we, 0);
        g_atomic_int_inc(&kq_pdf_stat_shy_overflow);
        fixed = TRUE;
        break;
      }
      /* every token of that line longer than one character, edited from
       * the last so the offsets of the earlier ones stay valid */
      int ls = line->start_index, le = line->start_index + line->length;
      GArray *toks = g_array_new(FALSE, FALSE, sizeof(int));
      for (int p = ls; p < le;) {
        if (is_space_at(text + p)) {
          p = (int)(g_utf8_next_char(text + p) - text);
          continue;
        }
        int ws, we;
        word_bounds(text, len, (gsize)p, &ws, &we);
        char *tok = g_strndup(text + ws, (gsize)(we - ws));
        gboolean has_zw = strstr(tok, ZWSP) != NULL;
        gboolean urlish = !has_zw && !spec->code &&
                          (strstr(tok, "://") || g_str_has_prefix(tok, "www.") ||
                           strchr(tok, '/') != NULL);
        g_free(tok);
        if (g_utf8_strlen(text + ws, we - ws) > 1) {
          int tok3[3] = {ws, we, urlish};
          g_array_append_vals(toks, tok3, 3);
        }
        p = we;
      }
      for (int k = (int)toks->len - 3; k >= 0; k -= 3) {
        int *tk = &g_array_index(toks, int, k);
        edit_runs(runs, &b, tk[0], tk[1], insert_breaks, GINT_TO_POINTER(tk[2]));
        record_edit(edits, round, EDIT_INSERT_BREAKS, tk[0], tk[1], tk[2]);
        fixed = TRUE;
      }
      g_array_unref(toks);
      break;
    }
    if (fixed)
      continue;
    /* HY-6: at most two consecutive lines ending with a hyphen. */
    if (hyphenated) {
      int run = 0, cut = -1;
      for (GSList *l = pango_layout_get_lines_readonly(layout); l && l->next; l = l->next) {
        PangoLayoutLine *line = l->data;
        int end = line->start_index + line->length;
        gboolean hy = end >= 2 && memcmp(text + end - 2, SHY, 2) == 0;
        run = hy ? run + 1 : 0;
        if (run == 3) {
          cut = end - 2;
          break;
        }
      }
      if (cut >= 0) {
        int ws, we;
        word_bounds(text, len, (gsize)cut, &ws, &we);
        edit_runs(runs, &b, ws, we, drop_shy, NULL);
        record_edit(edits, round, EDIT_DROP_SHY, ws, we, 0);
        continue;
      }
    }
    break;
  }
  if (spec->justify && fc->keep_layouts)
    justify_lines(layout, (int)floor(width * PANGO_SCALE), (int)lround(spec->indent * PANGO_SCALE),
                  NULL);
  if (links_out) {
    *links_out = b.links;
    b.links = NULL;
  }
  /* lines are computed now, under the lock; later reads do not wrap */
  pango_layout_get_lines_readonly(layout);
  g_mutex_unlock(&pango_lock);
  if (edits) {
    /* the plan: the edits, then Pango's line breaks as break codes */
    GArray *starts = line_starts(layout);
    int n_edits = (int)edits->len / 5;
    g_array_prepend_val(edits, n_edits);
    wrapped_codes(layout, starts, edits);
    kq_plan_breaks_add(fc->breaks_out, fc->item, (const int *)(void *)edits->data, edits->len,
                       TRUE, pango_layout_get_text(layout), (const int *)(void *)starts->data,
                       starts->len);
    g_array_unref(starts);
    g_array_unref(edits);
  }
  built_clear(&b);
  g_ptr_array_unref(runs);
  return layout;
}

PangoLayout *kq_pdf_display_layout_runs(Shaper *sh, Role role, const GPtrArray *runs,
                                        const char *lang, double width, double hang, double scale,
                                        KqPlanBreaks *breaks, guint key)
{
  FlowCtx fc = {0};
  fc.shaper = sh;
  fc.keep_layouts = TRUE;
  fc.item = key;
  fc.in_item = breaks != NULL;
  guint n;
  if (kq_plan_breaks_find(breaks, key, &n))
    fc.breaks_in = breaks;
  else
    fc.breaks_out = breaks;
  TextSpec spec = {role, FALSE, FALSE, FALSE, -hang, PANGO_ALIGN_LEFT, TRUE, scale};
  return layout_set_lines(&fc, runs, lang, &spec, width, NULL, FALSE, NULL);
}

PangoLayout *kq_pdf_display_layout(Shaper *sh, Role role, const char *text, const char *lang,
                                   double width, double hang, double scale)
{
  GPtrArray *runs = kq_runs_new();
  kq_runs_append_text(runs, 0, text, -1, NULL);
  PangoLayout *l = kq_pdf_display_layout_runs(sh, role, runs, lang, width, hang, scale, NULL, 0);
  g_ptr_array_unref(runs);
  return l;
}

PangoLayout *kq_pdf_plain_layout(Shaper *sh, Role role, const char *text, double width,
                                 PangoAlignment align)
{
  PangoLayout *layout = pango_layout_new(sh->context);
  pango_layout_set_font_description(layout, sh->font[role]);
  if (width > 0)
    pango_layout_set_width(layout, (int)floor(width * PANGO_SCALE));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(layout, align);
  pango_layout_set_text(layout, text, -1);
  return layout;
}

/* ---- Flow building ----------------------------------------------------- */

typedef struct {
  FlowCtx *fc;
  GPtrArray *items;
  GPtrArray *pending_open; /* static tag names to open with the next item */
  const char *lang;        /* article language */
  const char *dir;         /* article file's folder, for images */
  const char *path;        /* article file, for warnings */
  gboolean french;
  int depth;
  KqHeadingDepth headings; /* open sections of the body */
} Flow;

static void flow_add(Flow *f, Item *it)
{
  guint n = MIN(f->pending_open->len, ITEM_MAX_OPEN - 1);
  for (guint i = 0; i < n; i++)
    it->open_tags[i] = g_ptr_array_index(f->pending_open, i);
  it->open_tags[n] = NULL;
  g_ptr_array_remove_range(f->pending_open, 0, f->pending_open->len);
  if (!f->fc->keep_layouts && it->kind == ITEM_TEXT) {
    kq_pdf_item_strip(it);
  } else if (it->kind == ITEM_TEXT && it->layout) {
    /* Pango keeps each line's extents once measured: measured here, on
     * the worker, drawing (on the main thread, the one that paces the
     * export) finds them made */
    PangoRectangle r;
    pango_layout_get_extents(it->layout, NULL, &r);
  }
  g_ptr_array_add(f->items, it);
}

/* Opens a group tag (L, LI, BlockQuote, Table) for the next item. */
static void flow_open(Flow *f, const char *tag)
{
  g_ptr_array_add(f->pending_open, (gpointer)tag);
}

/* Closes the innermost group tag: still pending (no item since): forget it;
 * else the last item closes it. Tags beyond ITEM_MAX_OPEN - 1 at once are
 * not opened and so not closed. */
static void flow_close(Flow *f, const char *tag)
{
  if (f->pending_open->len &&
      g_ptr_array_index(f->pending_open, f->pending_open->len - 1) == (gpointer)tag) {
    g_ptr_array_remove_index(f->pending_open, f->pending_open->len - 1);
    return;
  }
  if (f->items->len) {
    Item *last = g_ptr_array_index(f->items, f->items->len - 1);
    int opened = 0;
    for (int i = 0; i < ITEM_MAX_OPEN && last->open_tags[i]; i++)
      opened++;
    (void)opened;
    last->n_close++;
  }
}

static Item *text_item(Flow *f, const GPtrArray *runs, const char *lang, const TextSpec *spec,
                       const char *leaf, double x, double width)
{
  FlowCtx *fc = f->fc;
  Item *it = item_new(ITEM_TEXT, spec->role, leaf);
  it->x = x;
  it->width = width;
  it->centred = spec->align == PANGO_ALIGN_CENTER;
  GPtrArray *hyphenated = NULL;
  if (spec->hyphenate && fc->typo)
    hyphenated = kq_typo_hyphenate_runs(fc->typo, runs, lang);
  const GPtrArray *src = hyphenated ? hyphenated : runs;
  double lead = role_leading(fc->shaper, spec->role);
  fc->item = KQ_PLAN_KEY(f->items->len, 0); /* flow_add() appends it next */
  fc->in_item = TRUE;
  if (!spec->code && spec->align == PANGO_ALIGN_LEFT) {
    GArray *starts = NULL;
    it->layout = layout_set_lines(fc, src, lang, spec, width, &it->links, !fc->keep_layouts,
                                  &starts);
    kq_pdf_item_measure_lines(fc->shaper, it, (const int *)(void *)starts->data, starts->len,
                              lead);
    g_array_unref(starts);
  } else {
    it->layout = layout_runs(fc, src, lang, spec, width, &it->links, hyphenated != NULL);
    kq_pdf_item_measure(fc->shaper, it, lead);
  }
  fc->in_item = FALSE;
  g_clear_pointer(&hyphenated, g_ptr_array_unref);
  return it;
}

static GPtrArray *runs_of_text(const char *text)
{
  GPtrArray *runs = kq_runs_new();
  kq_runs_append_text(runs, 0, text, -1, NULL);
  return runs;
}

static const char *block_lang(const Flow *f, const KqBlock *b)
{
  return b->lang && *b->lang ? b->lang : f->lang;
}

static void flow_blocks(Flow *f, const GPtrArray *blocks, double x, double width,
                        gboolean first_after_heading);

static double text_width(Flow *f)
{
  return f->fc->width;
}

static void flow_image(Flow *f, const KqBlock *b, double x, double width)
{
  FlowCtx *fc = f->fc;
  /* the resolver decides and warns (once per image, naming the article) */
  const KqImage *img = fc->images ? kq_image_resolve(fc->images, f->path, b->src) : NULL;
  if (!img)
    return;
  double iw = img->width, ih = img->height;
  double w = width, h = width * ih / iw;
  double max_h = fc->max_image_h * 0.75;
  if (h > max_h) {
    h = max_h;
    w = h * iw / ih;
  }
  gboolean has_caption = b->runs && b->runs->len;
  Item *it = item_new(ITEM_IMAGE, ROLE_BODY, "Figure");
  it->x = x + (width - w) / 2;
  it->width = w;
  it->image = img;
  it->image_w = w;
  it->image_h = h;
  it->unbreakable = TRUE;
  it->keep_with_next = has_caption;
  it->space_before = fc->theme->leading * 0.5;
  it->space_after = has_caption ? 2 : fc->theme->leading * 0.5;
  it->n_lines = 1;
  it->line_h = g_new(double, 1);
  it->line_base = g_new(double, 1);
  it->line_h[0] = h;
  it->line_base[0] = h;
  flow_add(f, it);
  if (has_caption) {
    TextSpec spec = {ROLE_META, FALSE, FALSE, FALSE, 0, PANGO_ALIGN_CENTER, FALSE, 0};
    Item *cap = text_item(f, b->runs, block_lang(f, b), &spec, "Caption", x, width);
    cap->space_after = fc->theme->leading * 0.5;
    flow_add(f, cap);
  }
}

/* A warning about an article's flow, naming its input: into the flow's log,
 * a worker's capture replayed by the main thread in reading order (pool.h). */
static void flow_warn(Flow *f, const char *format, ...) G_GNUC_PRINTF(2, 3);
static void flow_warn(Flow *f, const char *format, ...)
{
  va_list ap;
  va_start(ap, format);
  char *msg = g_strdup_vprintf(format, ap);
  va_end(ap);
  KQ_WARN(f->fc->log, f->path, 0, "%s", msg);
  g_free(msg);
}

/* The largest table the PDF sets (README, "Limits"): past 24 columns each
 * is under 24 pt wide on A4, unreadable; 2,000 rows are some 60 pages. A
 * 1000 x 1000 table made a 151 MB PDF in 84 s. The EPUB keeps it whole. */
#define PDF_TABLE_MAX_COLUMNS 24
#define PDF_TABLE_MAX_ROWS 2000

static void flow_table(Flow *f, const KqBlock *b, double x, double width)
{
  FlowCtx *fc = f->fc;
  Shaper *sh = fc->shaper;
  guint ncols = 0, nrows = MIN(b->rows->len, PDF_TABLE_MAX_ROWS);
  for (guint r = 0; r < b->rows->len; r++) {
    KqTableRow *row = g_ptr_array_index(b->rows, r);
    ncols = MAX(ncols, row->cells->len);
  }
  if (!ncols)
    return;
  if (ncols > PDF_TABLE_MAX_COLUMNS || nrows < b->rows->len)
    flow_warn(f, "table of %u rows and %u columns: the PDF sets the first %u rows and %u "
              "columns only (the EPUB has it all)", b->rows->len, ncols, nrows,
              MIN(ncols, PDF_TABLE_MAX_COLUMNS));
  ncols = MIN(ncols, PDF_TABLE_MAX_COLUMNS);
  const double pad = 3;
  /* natural widths of the columns, then shrink to the measure */
  double *nat = g_new0(double, ncols);
  TextSpec spec = {ROLE_META, FALSE, FALSE, FALSE, 0, PANGO_ALIGN_LEFT, FALSE, 0};
  for (guint r = 0; r < nrows; r++) {
    KqTableRow *row = g_ptr_array_index(b->rows, r);
    for (guint c = 0; c < MIN(row->cells->len, ncols); c++) {
      Built bt = {0};
      build_text(sh, g_ptr_array_index(row->cells, c), ROLE_META, block_lang(f, b), &bt);
      PangoLayout *l = pango_layout_new(sh->context);
      pango_layout_set_font_description(l, sh->font[ROLE_META]);
      pango_layout_set_text(l, bt.text->str, (int)bt.text->len);
      pango_layout_set_attributes(l, bt.attrs);
      int w = 0;
      pango_layout_get_size(l, &w, NULL);
      nat[c] = MAX(nat[c], w / (double)PANGO_SCALE + 2 * pad + (row->header ? 2 : 0));
      g_object_unref(l);
      built_clear(&bt);
    }
  }
  double total = 0;
  for (guint c = 0; c < ncols; c++)
    total += nat[c];
  double *cw = g_new0(double, ncols);
  double min_w = MAX(width / ncols * 0.35, 24);
  if (total <= width) {
    for (guint c = 0; c < ncols; c++)
      cw[c] = nat[c] * width / total;
  } else {
    double rest = width;
    guint nflex = 0;
    for (guint c = 0; c < ncols; c++)
      if (nat[c] <= width / ncols) {
        cw[c] = nat[c];
        rest -= nat[c];
      } else {
        nflex++;
      }
    double flex_total = 0;
    for (guint c = 0; c < ncols; c++)
      if (cw[c] == 0)
        flex_total += nat[c];
    for (guint c = 0; c < ncols; c++)
      if (cw[c] == 0)
        cw[c] = MAX(min_w, rest * nat[c] / flex_total);
    double sum = 0;
    for (guint c = 0; c < ncols; c++)
      sum += cw[c];
    for (guint c = 0; c < ncols; c++)
      cw[c] *= width / sum;
    (void)nflex;
  }
  flow_open(f, "Table");
  for (guint r = 0; r < nrows; r++) {
    KqTableRow *row = g_ptr_array_index(b->rows, r);
    Item *it = item_new(ITEM_ROW, ROLE_META, "TR");
    it->x = x;
    it->width = width;
    it->unbreakable = TRUE;
    it->header_row = row->header;
    it->first_row = r == 0;
    it->cells = g_ptr_array_new_with_free_func(g_object_unref);
    it->cell_x = g_array_new(FALSE, FALSE, sizeof(double));
    double cx = 0, hmax = 0;
    for (guint c = 0; c < ncols; c++) {
      TextSpec cs = spec;
      GPtrArray *runs = c < row->cells->len ? g_ptr_array_index(row->cells, c) : NULL;
      GPtrArray *bold = NULL;
      if (row->header && runs) {
        bold = kq_runs_new();
        for (guint i = 0; i < runs->len; i++) {
          KqRun *rn = kq_run_dup(g_ptr_array_index(runs, i));
          rn->style |= KQ_STYLE_STRONG;
          g_ptr_array_add(bold, rn);
        }
        runs = bold;
      }
      fc->item = KQ_PLAN_KEY(f->items->len, 1 + c); /* the row flow_add() appends next */
      fc->in_item = TRUE;
      PangoLayout *l = layout_runs(fc, runs, block_lang(f, b), &cs, cw[c] - 2 * pad, NULL, FALSE);
      fc->in_item = FALSE;
      g_clear_pointer(&bold, g_ptr_array_unref);
      int h = 0;
      pango_layout_get_size(l, NULL, &h);
      hmax = MAX(hmax, h / (double)PANGO_SCALE);
      g_ptr_array_add(it->cells, l);
      double px = cx + pad;
      g_array_append_val(it->cell_x, px);
      cx += cw[c];
    }
    it->n_lines = 1;
    it->line_h = g_new(double, 1);
    it->line_base = g_new(double, 1);
    it->line_h[0] = MIN(hmax + 2 * pad, fc->max_image_h);
    it->line_base[0] = pad;
    if (r == 0)
      it->space_before = fc->theme->leading * 0.5;
    if (r + 1 == nrows)
      it->space_after = fc->theme->leading * 0.5;
    if (!fc->keep_layouts)
      kq_pdf_item_strip(it);
    flow_add(f, it);
  }
  flow_close(f, "Table");
  g_free(nat);
  g_free(cw);
}

static void flow_code(Flow *f, const KqBlock *b, double x, double width)
{
  FlowCtx *fc = f->fc;
  char *text = g_strdup(b->text ? b->text : "");
  gsize n = strlen(text);
  while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
    text[--n] = '\0';
  if (!n) {
    g_free(text);
    return;
  }
  /* Each code line is a Pango paragraph ("\n"), so a wrapped continuation
   * is a line that does not start a paragraph: it gets a mark. */
  char **lines = g_strsplit(text, "\n", -1);
  for (int i = 0; lines[i]; i++) {
    g_strchomp(lines[i]);
    if (!*lines[i]) {
      g_free(lines[i]);
      lines[i] = g_strdup(" ");
    }
  }
  char *joined = g_strjoinv("\n", lines);
  g_strfreev(lines);
  g_free(text);
  GPtrArray *runs = kq_runs_new();
  kq_runs_append_text(runs, KQ_STYLE_CODE, joined, -1, NULL);
  g_free(joined);
  const double pad = 4, mark = 9;
  TextSpec spec = {ROLE_CODE, FALSE, FALSE, TRUE, 0, PANGO_ALIGN_LEFT, FALSE, 0};
  Item *it = text_item(f, runs, NULL, &spec, "Code", x + pad + mark, width - 2 * pad - mark);
  g_ptr_array_unref(runs);
  it->boxed = TRUE;
  it->continuation_marks = TRUE;
  it->space_before = fc->theme->leading * 0.5;
  it->space_after = fc->theme->leading * 0.5;
  flow_add(f, it);
}

static void flow_list(Flow *f, const KqBlock *b, double x, double width)
{
  FlowCtx *fc = f->fc;
  double ind = fc->theme->body_size * 1.6;
  flow_open(f, "L");
  int number = b->start > 0 ? b->start : 1;
  for (guint i = 0; i < b->children->len; i++) {
    const KqBlock *item = g_ptr_array_index(b->children, i);
    flow_open(f, "LI");
    guint before = f->items->len;
    const GPtrArray *children = item->children;
    if (item->kind != KQ_BLOCK_ITEM) { /* tolerate a bare block in a list */
      GPtrArray *one = g_ptr_array_new();
      g_ptr_array_add(one, (gpointer)item);
      flow_blocks(f, one, x + ind, width - ind, TRUE);
      g_ptr_array_unref(one);
    } else if (children) {
      flow_blocks(f, children, x + ind, width - ind, TRUE);
    }
    if (f->items->len > before) {
      Item *first = g_ptr_array_index(f->items, before);
      first->marker = b->ordered ? g_strdup_printf("%d.", number) : g_strdup("•");
      /* right-aligned half an em before the text: the gap between marker
       * and text stays a word space's size, whatever the marker's width */
      first->marker_x = -fc->theme->body_size * 0.5;
      if (first->kind == ITEM_TEXT && !fc->keep_layouts)
        g_clear_pointer(&first->marker, g_free);
      for (guint k = before; k < f->items->len; k++) {
        Item *c = g_ptr_array_index(f->items, k);
        if (k > before)
          c->space_before = MIN(c->space_before, 2);
      }
    }
    number++;
    flow_close(f, "LI");
  }
  flow_close(f, "L");
}

static void flow_blocks(Flow *f, const GPtrArray *blocks, double x, double width,
                        gboolean first_after_heading)
{
  FlowCtx *fc = f->fc;
  const KqTheme *t = fc->theme;
  if (f->depth >= MAX_DEPTH) /* deeper nesting is set flat */
    width = MAX(width, fc->width * 0.5);
  f->depth++;
  gboolean after_heading = first_after_heading;
  for (guint i = 0; blocks && i < blocks->len; i++) {
    const KqBlock *b = g_ptr_array_index(blocks, i);
    switch (b->kind) {
    case KQ_BLOCK_PARAGRAPH: {
      if (!b->runs || !b->runs->len)
        break;
      char lb[16];
      gboolean fr = strcmp(kq_lang_primary(block_lang(f, b), lb, sizeof lb), "fr") == 0;
      /* French sets an indent on every paragraph, English not after a heading. */
      double indent = (fr || !after_heading) ? t->indent : 0;
      if (x > 0.5)
        indent = 0; /* lists and quotes */
      TextSpec spec = {ROLE_BODY, TRUE, TRUE, FALSE, indent, PANGO_ALIGN_LEFT, FALSE, 0};
      Item *it = text_item(f, b->runs, block_lang(f, b), &spec, "P", x, width);
      it->space_before = t->paragraph_space;
      flow_add(f, it);
      after_heading = FALSE;
      break;
    }
    case KQ_BLOCK_HEADING: {
      if (!b->runs || !b->runs->len)
        break;
      /* relative levels as in the EPUB: the group is H1, the title H2 */
      static const char *const tags[] = {"H3", "H4", "H5", "H6", "H6", "H6"};
      int lvl = kq_heading_depth_next(&f->headings, b->level);
      TextSpec spec = {ROLE_HEADING, FALSE, FALSE, FALSE, 0, PANGO_ALIGN_LEFT, TRUE, 0};
      Item *it = text_item(f, b->runs, block_lang(f, b), &spec, tags[lvl - 1], x, width);
      it->space_before = t->leading * 0.9;
      it->space_after = t->leading * 0.25;
      it->keep_with_next = TRUE;
      flow_add(f, it);
      after_heading = TRUE;
      break;
    }
    case KQ_BLOCK_QUOTE: {
      double q = t->body_size * 1.5;
      flow_open(f, "BlockQuote");
      guint before = f->items->len;
      flow_blocks(f, b->children, x + q, width - 2 * q, TRUE);
      if (f->items->len > before) {
        Item *first = g_ptr_array_index(f->items, before);
        first->space_before = MAX(first->space_before, t->leading * 0.4);
        Item *last = g_ptr_array_index(f->items, f->items->len - 1);
        last->space_after = MAX(last->space_after, t->leading * 0.4);
      }
      flow_close(f, "BlockQuote");
      after_heading = FALSE;
      break;
    }
    case KQ_BLOCK_LIST:
      if (b->children && b->children->len) {
        guint before = f->items->len;
        flow_list(f, b, x, width);
        if (f->items->len > before) {
          Item *first = g_ptr_array_index(f->items, before);
          first->space_before = MAX(first->space_before, t->leading * 0.3);
          Item *last = g_ptr_array_index(f->items, f->items->len - 1);
          last->space_after = MAX(last->space_after, t->leading * 0.3);
        }
      }
      after_heading = FALSE;
      break;
    case KQ_BLOCK_ITEM:
      flow_blocks(f, b->children, x, width, after_heading);
      break;
    case KQ_BLOCK_CODE:
      flow_code(f, b, x, width);
      after_heading = FALSE;
      break;
    case KQ_BLOCK_TABLE:
      if (b->rows && b->rows->len)
        flow_table(f, b, x, width);
      after_heading = FALSE;
      break;
    case KQ_BLOCK_IMAGE:
      flow_image(f, b, x, width);
      after_heading = FALSE;
      break;
    case KQ_BLOCK_RULE: {
      Item *it = item_new(ITEM_RULE, ROLE_BODY, NULL);
      it->x = x + width * 0.3;
      it->width = width * 0.4;
      it->unbreakable = TRUE;
      it->n_lines = 1;
      it->line_h = g_new(double, 1);
      it->line_base = g_new(double, 1);
      it->line_h[0] = t->leading;
      it->line_base[0] = t->leading / 2;
      flow_add(f, it);
      break;
    }
    }
  }
  f->depth--;
}

GPtrArray *kq_pdf_article_flow(FlowCtx *fc, const KqArticle *a, const KqArticleFurniture *fu,
                               guint index)
{
  const KqTheme *t = fc->theme;
  Flow f = {0};
  f.fc = fc;
  f.items = g_ptr_array_new_with_free_func((GDestroyNotify)kq_pdf_item_free);
  f.pending_open = g_ptr_array_new();
  f.lang = fu->lang;
  f.dir = NULL;
  char *dir = a->source_path ? g_path_get_dirname(a->source_path) : g_strdup(".");
  f.dir = dir;
  f.path = a->source_path;
  double w = text_width(&f);
  /* title */
  {
    TextSpec spec = {ROLE_TITLE, FALSE, FALSE, FALSE, 0, PANGO_ALIGN_LEFT, TRUE, 0};
    Item *it = text_item(&f, fu->title.runs, f.lang, &spec, "H2", 0, w);
    it->dest = g_strdup_printf("a%u", index);
    it->space_before = t->leading * 1.8;
    it->space_after = t->leading * 0.3;
    it->keep_with_next = TRUE;
    flow_add(&f, it);
  }
  if (fu->standfirst.runs) {
    TextSpec spec = {ROLE_STANDFIRST, TRUE, TRUE, FALSE, 0, PANGO_ALIGN_LEFT, FALSE, 0};
    Item *it = text_item(&f, fu->standfirst.runs, f.lang, &spec, "P", 0, w);
    it->space_after = t->leading * 0.25;
    it->keep_with_next = TRUE;
    flow_add(&f, it);
  }
  {
    /* one meta line: the furniture's dateline, kicker and byline */
    const char *parts[] = {fu->dateline, fu->kicker, fu->byline};
    GString *meta = g_string_new(NULL);
    for (guint i = 0; i < G_N_ELEMENTS(parts); i++) {
      if (!parts[i])
        continue;
      if (meta->len)
        g_string_append(meta, KQ_FURNITURE_SEP);
      g_string_append(meta, parts[i]);
    }
    if (meta->len) {
      GPtrArray *runs = runs_of_text(meta->str);
      TextSpec spec = {ROLE_META, FALSE, FALSE, FALSE, 0, PANGO_ALIGN_LEFT, FALSE, 0};
      Item *it = text_item(&f, runs, f.lang, &spec, "P", 0, w);
      g_ptr_array_unref(runs);
      it->space_after = t->leading * 0.6;
      it->keep_with_next = TRUE;
      flow_add(&f, it);
    }
    g_string_free(meta, TRUE);
  }
  guint body_start = f.items->len;
  flow_blocks(&f, a->blocks, 0, w, TRUE);
  if (f.items->len == body_start && body_start > 0) {
    Item *last = g_ptr_array_index(f.items, body_start - 1);
    last->keep_with_next = FALSE;
  }
  gboolean first_tail = TRUE;
  if (fu->link_line) {
    GPtrArray *runs = kq_runs_new();
    kq_runs_append_text(runs, 0, fu->link_label, -1, NULL);
    kq_runs_append_text(runs, 0, fu->url, -1, fu->href);
    TextSpec spec = {ROLE_META, FALSE, FALSE, FALSE, 0, PANGO_ALIGN_LEFT, FALSE, 0};
    Item *it = text_item(&f, runs, NULL, &spec, "P", 0, w);
    g_ptr_array_unref(runs);
    it->space_before = t->leading * 0.5;
    first_tail = FALSE;
    flow_add(&f, it);
  }
  if (fu->sources_line) {
    GPtrArray *runs = runs_of_text(fu->sources_line);
    TextSpec spec = {ROLE_META, FALSE, FALSE, FALSE, 0, PANGO_ALIGN_LEFT, FALSE, 0};
    Item *it = text_item(&f, runs, NULL, &spec, "P", 0, w);
    g_ptr_array_unref(runs);
    if (first_tail)
      it->space_before = t->leading * 0.5;
    flow_add(&f, it);
  }
  /* group tags left pending (empty containers at the end) are dropped */
  g_ptr_array_unref(f.pending_open);
  g_free(dir);
  return f.items;
}
