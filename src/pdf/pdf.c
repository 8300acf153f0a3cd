/* pdf.c: the PDF writer: layout (flows in parallel, paginated once into the page plan), then drawing the plan onto a Cairo PDF surface (kq_pdf_write). */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "kiosque/fonts.h"
#include "kiosque/output.h"
#include "kiosque/pool.h"
#include "kiosque/theme.h"
#include "kiosque/typo.h"
#include "kiosque/writer.h"
#include "pdf/pdf_plan.h"
#include "pdf/pdf_private.h"

#define EPS 0.01
/* Articles measured ahead of the paginator at most (bounds memory). */
#define MEASURE_WINDOW 32
/* Side margins of the title page (points: 12 mm). */
#define COVER_MARGIN (12 * 72 / 25.4)

/* Page kinds: the plan's (pdf_plan.h). */
typedef KqPlanPageKind PageKind;
#define PAGE_TITLE KQ_PLAN_TITLE
#define PAGE_TOC KQ_PLAN_TOC
#define PAGE_PART KQ_PLAN_PART
#define PAGE_BODY KQ_PLAN_BODY

/*
 * The writer in two steps: layout (flows built in parallel, paginated in
 * reading order) fills a plan, pdf_plan.h, once; drawing walks the plan
 * page by page. The state below the plan is the layout's; drawing sets
 * page, kind, col and group from the plan as it goes.
 */
typedef struct {
  const KqEdition *ed;
  const KqWriteOptions *opts;
  KqLog *log;
  KqTheme *theme;
  KqTypo *typo;
  cairo_font_options_t *font_options;
  double full_w, col_w, text_h;
  int columns;
  const KqArticle **articles; /* reading order (group order), borrowed */
  guint n_articles;
  KqPlan *plan;             /* what the layout decided (owned) */
  const KqEdition *edition; /* as given: its typeset bodies (d->ed may be a cleaned shadow) */
  GPtrArray *warm_shapers;  /* the layout's workers' shapers, for the drawing's (pool.h) */
  RoleMetrics worker_metrics; /* measured by the first worker shaper, copied by the others */
  gboolean worker_measured;
  gboolean plan_only;       /* no drawing follows: the layout logs the flows' messages */
  /* where the layout is, or the page being drawn */
  int page;
  PageKind kind;
  int col;
  double y;
  gboolean fresh;
  guint group;              /* current group index, for running heads */
  GPtrArray *floats;        /* Item* (borrowed): figures waiting for the next column (L-10) */
  GArray *float_index;      /* guint: their indices in their article's flow */
  int float_article;        /* their article's index */
  /* drawing */
  cairo_surface_t *surface;
  cairo_t *cr;
  Shaper *sh;
  int group_outline;
  int write_errno;
  int fd;
  GByteArray *wbuf;         /* output not yet written to fd (write_fd) */
  GPtrArray *tag_stack;     /* group tags open (static names), innermost last */
  PangoLayout *heads[2];    /* the running heads last drawn, recto and verso (owned) */
  const char *head_texts[2]; /* their texts (the edition's furniture, borrowed) */
  KqImageResolver *images;  /* opts->images or own_images */
  KqImageResolver *own_images;
} Doc;

/* ---- Geometry ----------------------------------------------------------- */

static double page_left(const Doc *d, int page)
{
  return (page % 2) ? d->theme->margin_inner : d->theme->margin_outer;
}

static double col_left(const Doc *d)
{
  return page_left(d, d->page) + d->col * (d->col_w + d->theme->column_gap);
}

static void set_colour(cairo_t *cr, const KqColour *c)
{
  cairo_set_source_rgb(cr, c->r, c->g, c->b);
}

/* ---- Pages -------------------------------------------------------------- */

/* Draws every line of l (kq_pdf_plain_layout()) with its first baseline at
 * baseline. */
static void show_plain_layout(Doc *d, PangoLayout *l, double x, double baseline)
{
  PangoLayoutIter *it = pango_layout_get_iter(l);
  do {
    PangoRectangle r;
    pango_layout_iter_get_line_extents(it, NULL, &r);
    int base = pango_layout_iter_get_baseline(it);
    cairo_move_to(d->cr, x + r.x / (double)PANGO_SCALE,
                  baseline + (base - pango_layout_get_baseline(l)) / (double)PANGO_SCALE);
    kq_pdf_show_line(d->sh, d->cr, pango_layout_iter_get_line_readonly(it));
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
}

static void show_plain(Doc *d, Role role, const char *text, double x, double baseline,
                       double width, PangoAlignment align)
{
  PangoLayout *l = kq_pdf_plain_layout(d->sh, role, text, width, align);
  show_plain_layout(d, l, x, baseline);
  g_object_unref(l);
}

/* Draws every line of a layout whose top left is (x, y). */
static void show_layout(Doc *d, PangoLayout *l, double x, double y)
{
  PangoLayoutIter *it = pango_layout_get_iter(l);
  do {
    PangoRectangle r;
    pango_layout_iter_get_line_extents(it, NULL, &r);
    cairo_move_to(d->cr, x + r.x / (double)PANGO_SCALE,
                  y + pango_layout_iter_get_baseline(it) / (double)PANGO_SCALE);
    kq_pdf_show_line(d->sh, d->cr, pango_layout_iter_get_line_readonly(it));
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
}

static double line_advance(PangoLayoutLine *line);

/* Draws every line of a layout whose top is y, each centred on [x, x + width]. */
static void show_centred(Doc *d, PangoLayout *l, double x, double y, double width)
{
  PangoLayoutIter *it = pango_layout_get_iter(l);
  do {
    PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
    cairo_move_to(d->cr, x + (width - line_advance(line)) / 2,
                  y + pango_layout_iter_get_baseline(it) / (double)PANGO_SCALE);
    kq_pdf_show_line(d->sh, d->cr, line);
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
}

static const KqGroup *group_at(const Doc *d)
{
  return d->group < d->ed->groups->len ? g_ptr_array_index(d->ed->groups, d->group) : NULL;
}

/* Running head and folio: on contents and body pages, never on title or part
 * pages. Drawn first on the page: Cairo 1.16 fails a page whose content
 * starts with an image inside a structure tag. */
static void page_furniture(Doc *d)
{
  const KqTheme *t = d->theme;
  if (d->kind == PAGE_TOC || d->kind == PAGE_BODY) {
    cairo_t *cr = d->cr;
    double left = page_left(d, d->page);
    double base = t->margin_top - t->head_size * 1.6;
    gboolean verso = d->page % 2 == 0;
    const char *head = NULL;
    if (verso)
      head = d->ed->furniture->title.text;
    else if (d->kind == PAGE_TOC)
      head = d->ed->furniture->contents;
    else if (group_at(d))
      head = kq_edition_group_furniture(d->ed, d->group)->title.text;
    set_colour(cr, &t->meta_colour);
    if (head) {
      /* the same head runs over many pages: laid out once per side */
      if (!d->heads[verso] || d->head_texts[verso] != head) {
        g_clear_object(&d->heads[verso]);
        d->heads[verso] = kq_pdf_plain_layout(d->sh, ROLE_HEAD, head, d->full_w,
                                              verso ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
        d->head_texts[verso] = head;
      }
      show_plain_layout(d, d->heads[verso], left, base);
    }
    cairo_set_line_width(cr, 0.4);
    cairo_move_to(cr, left, base + t->head_size * 0.5);
    cairo_line_to(cr, left + d->full_w, base + t->head_size * 0.5);
    cairo_stroke(cr);
    char folio[16];
    g_snprintf(folio, sizeof folio, "%d", d->page);
    show_plain(d, ROLE_HEAD, folio, left, t->page_height - t->margin_bottom + t->head_size * 2.4,
               d->full_w, verso ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
  }
}

static void finish_page(Doc *d)
{
  cairo_show_page(d->cr);
  if (d->opts->progress)
    d->opts->progress("pages", (guint)d->page, d->plan->pages->len, d->opts->progress_data);
}

/* Layout: a new page in the plan. */
static void new_page(Doc *d, PageKind kind)
{
  KqPlanPage *pg = kq_plan_add_page(d->plan, kind, d->group);
  d->page = pg->number;
  d->kind = kind;
  d->col = 0;
  d->y = 0;
  d->fresh = TRUE;
}

static void place_floats(Doc *d);

static void next_column(Doc *d)
{
  if (d->kind == PAGE_BODY && d->col + 1 < d->columns) {
    d->col++;
    d->y = 0;
    d->fresh = TRUE;
  } else {
    new_page(d, PAGE_BODY);
  }
  place_floats(d);
}

/* ---- Drawing items -------------------------------------------------------- */

/* A cairo tag attribute value: single quotes and backslashes escaped. */
static char *attr_quote(const char *s)
{
  GString *o = g_string_new(NULL);
  for (; *s; s++) {
    if (*s == '\'' || *s == '\\')
      g_string_append_c(o, '\\');
    g_string_append_c(o, *s);
  }
  return g_string_free(o, FALSE);
}

static void link_rect(Doc *d, const char *href, double x, double y, double w, double h)
{
  if (w <= 0)
    return;
  char *q = attr_quote(href);
  char *attrs = href[0] == '#'
                    ? g_strdup_printf("dest='%s' rect=[%.2f %.2f %.2f %.2f]", q + 1, x, y, w, h)
                    : g_strdup_printf("uri='%s' rect=[%.2f %.2f %.2f %.2f]", q, x, y, w, h);
  cairo_tag_begin(d->cr, CAIRO_TAG_LINK, attrs);
  cairo_tag_end(d->cr, CAIRO_TAG_LINK);
  g_free(attrs);
  g_free(q);
}

static cairo_surface_t *pixbuf_surface(GdkPixbuf *pb)
{
  int w = gdk_pixbuf_get_width(pb), h = gdk_pixbuf_get_height(pb);
  int n = gdk_pixbuf_get_n_channels(pb), stride = gdk_pixbuf_get_rowstride(pb);
  gboolean alpha = gdk_pixbuf_get_has_alpha(pb);
  const guchar *src = gdk_pixbuf_read_pixels(pb);
  cairo_surface_t *s =
      cairo_image_surface_create(alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, w, h);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
    return s;
  cairo_surface_flush(s);
  guchar *dst = cairo_image_surface_get_data(s);
  int dstride = cairo_image_surface_get_stride(s);
  for (int y = 0; y < h; y++) {
    const guchar *p = src + (gsize)y * stride;
    guint32 *q = (guint32 *)(dst + (gsize)y * dstride);
    for (int x = 0; x < w; x++, p += n) {
      guint32 a = alpha ? p[3] : 255;
      guint32 r = p[0] * a / 255, g = p[1] * a / 255, b = p[2] * a / 255;
      q[x] = (a << 24) | (r << 16) | (g << 8) | b;
    }
  }
  cairo_surface_mark_dirty(s);
  return s;
}

/* Draws the resolver's image: JPEG embedded as is (cairo's mime data),
 * PNG and GIF decoded to pixels. An SVG arrives drawn on a pixel canvas, so
 * none of its own links or scripts reach the PDF. */
static void draw_image(Doc *d, const Item *it, double x, double y)
{
  cairo_t *cr = d->cr;
  GError *err = NULL;
  const KqImage *img = it->image;
  gsize len;
  const guchar *bytes = g_bytes_get_data(img->data, &len);
  GdkPixbufLoader *loader = gdk_pixbuf_loader_new();
  gboolean ok = gdk_pixbuf_loader_write(loader, bytes, len, &err);
  ok = gdk_pixbuf_loader_close(loader, ok ? &err : NULL) && ok;
  GdkPixbuf *pb = ok ? gdk_pixbuf_loader_get_pixbuf(loader) : NULL;
  if (!pb) {
    /* the resolver decoded these very bytes: only memory can fail here */
    KQ_WARN(d->log, NULL, 0, "image %s not drawn: %s", img->key,
            err ? err->message : "no picture");
    g_clear_error(&err);
    g_object_unref(loader);
    return;
  }
  cairo_surface_t *s = pixbuf_surface(pb);
  if (strcmp(img->media_type, "image/jpeg") == 0) {
    GBytes *ref = g_bytes_ref(img->data);
    cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, bytes, len,
                                (cairo_destroy_func_t)g_bytes_unref, ref);
  }
  int iw = gdk_pixbuf_get_width(pb), ih = gdk_pixbuf_get_height(pb);
  cairo_save(cr);
  cairo_translate(cr, x, y);
  cairo_scale(cr, it->image_w / iw, it->image_h / ih);
  cairo_set_source_surface(cr, s, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
  cairo_paint(cr);
  cairo_restore(cr);
  cairo_surface_destroy(s);
  g_object_unref(loader);
}

static const KqColour *role_colour(const KqTheme *t, Role role)
{
  switch (role) {
  case ROLE_TITLE:
  case ROLE_PART:
  case ROLE_HEADING:
  case ROLE_TOC_GROUP:
  case ROLE_COVER:
    return &t->heading_colour;
  case ROLE_META:
  case ROLE_HEAD:
    return &t->meta_colour;
  default:
    return &t->text_colour;
  }
}

/* Index of the first of an item's links [lo, hi) that ends after byte
 * index pos (hi when none). The flow appends links in text order, one
 * after another (pdf_flow.c), so their ends are sorted: a binary search. */
static guint first_link_ending_after(const GArray *links, guint lo, guint hi, int pos)
{
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if (g_array_index(links, Link, mid).end <= pos)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Sets the link colour on the runs of one line, from the links that meet
 * it only. Layouts whose links go with their item carry no colour
 * attribute (pdf_flow.c): Pango applies such attributes to every run of
 * every line by walking the paragraph's whole attribute list, quadratic in
 * the number of links. */
static void colour_line_links(Doc *d, const GArray *links, PangoLayoutLine *line,
                              const char *text)
{
  int ls = line->start_index, le = line->start_index + line->length;
  guint k = first_link_ending_after(links, 0, links ? links->len : 0, ls);
  if (!links || k >= links->len || g_array_index(links, Link, k).start >= le)
    return;
  const KqColour *c = &d->theme->link_colour;
  PangoAttrList *list = pango_attr_list_new();
  for (; k < links->len && g_array_index(links, Link, k).start < le; k++) {
    const Link *lk = &g_array_index(links, Link, k);
    PangoAttribute *a = pango_attr_foreground_new(
        (guint16)(c->r * 65535), (guint16)(c->g * 65535), (guint16)(c->b * 65535));
    a->start_index = (guint)lk->start;
    a->end_index = (guint)lk->end;
    pango_attr_list_insert(list, a);
  }
  /* as Pango's own apply_attributes_to_runs() does for a whole layout */
  GSList *old = g_slist_reverse(line->runs);
  line->runs = NULL;
  for (GSList *r = old; r; r = r->next)
    line->runs = g_slist_concat(pango_glyph_item_apply_attrs(r->data, text, list), line->runs);
  g_slist_free(old);
  pango_attr_list_unref(list);
}

/* The link rectangles of one drawn line, in link order: each link's
 * extent is that of the glyphs whose cluster lies inside it. One walk over
 * the line's glyphs, each finding its link by binary search, so a
 * paragraph of N links costs N log N, not N per line (Pango's
 * index_to_x counts characters from the start of the paragraph at every
 * call: 40,000 links took 46 s). */
static void draw_line_links(Doc *d, const GArray *links, PangoLayoutLine *line, double lx,
                            double y, double h)
{
  int ls = line->start_index, le = line->start_index + line->length;
  guint k0 = first_link_ending_after(links, 0, links ? links->len : 0, ls), k1 = k0;
  while (links && k1 < links->len && g_array_index(links, Link, k1).start < le)
    k1++;
  if (k1 == k0)
    return;
  guint n = k1 - k0;
  int *lo = g_new(int, n), *hi = g_new(int, n);
  for (guint k = 0; k < n; k++) {
    lo[k] = G_MAXINT;
    hi[k] = G_MININT;
  }
  int x = 0;
  for (GSList *l = line->runs; l; l = l->next) {
    const PangoGlyphItem *run = l->data;
    const PangoGlyphString *gs = run->glyphs;
    for (int g = 0; g < gs->num_glyphs; g++) {
      int w = gs->glyphs[g].geometry.width;
      int idx = run->item->offset + gs->log_clusters[g];
      /* the link holding idx, if any, among those of this line */
      guint lo_k = first_link_ending_after(links, k0, k1, idx);
      if (lo_k < k1 && g_array_index(links, Link, lo_k).start <= idx) {
        guint k = lo_k - k0;
        lo[k] = MIN(lo[k], MIN(x, x + w));
        hi[k] = MAX(hi[k], MAX(x, x + w));
      }
      x += w;
    }
  }
  for (guint k = 0; k < n; k++)
    if (lo[k] < hi[k])
      link_rect(d, g_array_index(links, Link, k0 + k).href, lx + lo[k] / (double)PANGO_SCALE, y,
                (hi[k] - lo[k]) / (double)PANGO_SCALE, h);
  g_free(lo);
  g_free(hi);
}

static double line_advance(PangoLayoutLine *line);

/* Where a line starts when centred on width (points): the drawn layout is
 * unwrapped, its breaks the plan's, so the centring is done here, in
 * Pango units as pango_layout's own. */
static double centre_offset(double width, PangoLayoutLine *line)
{
  int w = (int)floor(width * PANGO_SCALE), lw = (int)lround(line_advance(line) * PANGO_SCALE);
  int off = (w - lw) / 2;
  if (((w | lw) & (PANGO_SCALE - 1)) == 0)
    off = PANGO_UNITS_ROUND(off);
  return off / (double)PANGO_SCALE;
}

/* Draws lines [a, b) of an item with the top of line a at column y0. */
static void draw_fragment(Doc *d, const Item *it, guint a, guint b, double y0)
{
  cairo_t *cr = d->cr;
  const KqTheme *t = d->theme;
  double top = t->margin_top + y0;
  double x0 = col_left(d) + it->x;
  if (it->leaf_tag)
    cairo_tag_begin(cr, it->leaf_tag, NULL);
  switch (it->kind) {
  case ITEM_TEXT: {
    if (it->boxed) {
      double h = 0;
      for (guint i = a; i < b; i++)
        h += it->line_h[i];
      set_colour(cr, &t->code_background);
      cairo_rectangle(cr, x0 - 13, top - 2, it->width + 17, h + 4);
      cairo_fill(cr);
    }
    set_colour(cr, role_colour(t, it->role));
    PangoLayoutIter *iter = pango_layout_get_iter(it->layout);
    for (guint i = 0; i < a; i++)
      pango_layout_iter_next_line(iter);
    double y = top;
    for (guint i = a; i < b; i++) {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly(iter);
      PangoRectangle r;
      pango_layout_iter_get_line_extents(iter, NULL, &r);
      double lx = x0 + r.x / (double)PANGO_SCALE, base = y + it->line_base[i];
      if (it->centred) /* as Pango centres a line of a layout width wide */
        lx = x0 + centre_offset(it->width, line);
      if (i == 0 && it->dest) {
        char *attrs = g_strdup_printf("name='%s'", it->dest);
        cairo_tag_begin(cr, CAIRO_TAG_DEST, attrs);
        g_free(attrs);
      }
      colour_line_links(d, it->links, line, pango_layout_get_text(it->layout));
      cairo_move_to(cr, lx, base);
      kq_pdf_show_line(d->sh, cr, line);
      if (i == 0 && it->dest)
        cairo_tag_end(cr, CAIRO_TAG_DEST);
      if (i == 0 && it->marker) {
        PangoLayout *m = kq_pdf_plain_layout(d->sh, it->role, it->marker, -1, PANGO_ALIGN_LEFT);
        int mw = 0;
        pango_layout_get_size(m, &mw, NULL);
        cairo_move_to(cr, x0 + it->marker_x - mw / (double)PANGO_SCALE, base);
        kq_pdf_show_line(d->sh, cr, pango_layout_get_line_readonly(m, 0));
        g_object_unref(m);
      }
      if (it->continuation_marks && !line->is_paragraph_start) {
        PangoLayout *m = kq_pdf_plain_layout(d->sh, ROLE_CODE, "\xE2\x86\xAA", -1,
                                             PANGO_ALIGN_LEFT); /* ↪ */
        set_colour(cr, &t->meta_colour);
        cairo_move_to(cr, x0 - 10, base);
        kq_pdf_show_line(d->sh, cr, pango_layout_get_line_readonly(m, 0));
        set_colour(cr, role_colour(t, it->role));
        g_object_unref(m);
      }
      draw_line_links(d, it->links, line, lx, y, it->line_h[i]);
      y += it->line_h[i];
      pango_layout_iter_next_line(iter);
    }
    pango_layout_iter_free(iter);
    break;
  }
  case ITEM_IMAGE:
    draw_image(d, it, x0, top);
    break;
  case ITEM_RULE:
    set_colour(cr, &t->rule_colour);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, x0, top + it->line_base[0]);
    cairo_line_to(cr, x0 + it->width, top + it->line_base[0]);
    cairo_stroke(cr);
    break;
  case ITEM_ROW: {
    double h = it->line_h[0];
    if (it->header_row) {
      set_colour(cr, &t->code_background);
      cairo_rectangle(cr, x0, top, it->width, h);
      cairo_fill(cr);
    }
    set_colour(cr, &t->rule_colour);
    cairo_set_line_width(cr, 0.4);
    if (it->first_row) {
      cairo_move_to(cr, x0, top);
      cairo_line_to(cr, x0 + it->width, top);
    }
    cairo_move_to(cr, x0, top + h);
    cairo_line_to(cr, x0 + it->width, top + h);
    cairo_stroke(cr);
    for (guint c = 0; c < it->cells->len; c++) {
      PangoLayout *l = g_ptr_array_index(it->cells, c);
      cairo_tag_begin(cr, it->header_row ? "TH" : "TD", NULL);
      set_colour(cr, &t->text_colour);
      double cx = x0 + g_array_index(it->cell_x, double, c);
      PangoLayoutIter *iter = pango_layout_get_iter(l);
      do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(iter, NULL, &r);
        int base = pango_layout_iter_get_baseline(iter);
        double by = top + it->line_base[0] + base / (double)PANGO_SCALE;
        if (by > top + h)
          break; /* a row taller than a page is cut */
        cairo_move_to(cr, cx + r.x / (double)PANGO_SCALE, by);
        kq_pdf_show_line(d->sh, cr, pango_layout_iter_get_line_readonly(iter));
      } while (pango_layout_iter_next_line(iter));
      pango_layout_iter_free(iter);
      cairo_tag_end(cr, it->header_row ? "TH" : "TD");
    }
    break;
  }
  }
  if (it->leaf_tag)
    cairo_tag_end(cr, it->leaf_tag);
}

/* ---- Pagination ------------------------------------------------------------ */

static double item_height(const Item *it)
{
  double h = 0;
  for (guint i = 0; i < it->n_lines; i++)
    h += it->line_h[i];
  return h;
}

/* Height the first piece of an item needs: all of it when it cannot break
 * (unbreakable, or fewer than four lines: two on each side), else two lines. */
static double first_piece(const Item *it)
{
  if (it->unbreakable || it->n_lines < 4)
    return item_height(it);
  return it->line_h[0] + it->line_h[1];
}

/* Keep with next: a heading needs its chain and the first piece of what follows. */
static double chain_need(GPtrArray *items, guint i)
{
  double need = 0;
  for (guint j = i; j < items->len; j++) {
    const Item *it = g_ptr_array_index(items, j);
    if (it->keep_with_next && j + 1 < items->len) {
      const Item *next = g_ptr_array_index(items, j + 1);
      need += item_height(it) + it->space_after + next->space_before;
      continue;
    }
    need += first_piece(it);
    break;
  }
  return need;
}

static void open_tags(Doc *d, const Item *it)
{
  for (int k = 0; k < ITEM_MAX_OPEN && it->open_tags[k]; k++) {
    cairo_tag_begin(d->cr, it->open_tags[k], NULL);
    g_ptr_array_add(d->tag_stack, (gpointer)it->open_tags[k]);
  }
}

static void close_tags(Doc *d, const Item *it)
{
  /* closes the innermost first */
  for (int k = 0; k < it->n_close && d->tag_stack->len; k++) {
    cairo_tag_end(d->cr, g_ptr_array_index(d->tag_stack, d->tag_stack->len - 1));
    g_ptr_array_remove_index(d->tag_stack, d->tag_stack->len - 1);
  }
}

/* Layout: lines [a, b) of item index of the article's flow go at the
 * current column's y. */
static void emit(Doc *d, const Item *it, guint index, guint a, guint b, int article)
{
  if (a == 0 && it->dest && article >= 0)
    d->plan->articles[article].page = d->page;
  kq_plan_add_place(d->plan, article >= 0 ? (guint)article : G_MAXUINT, index, a, b, d->col,
                    it->x, d->y, it->leaf_tag);
  for (guint i = a; i < b; i++)
    d->y += it->line_h[i];
  d->fresh = FALSE;
}

/* L-10: figures deferred to the top of a column are set there first, the
 * text that went on before them staying where it is. */
static void place_floats(Doc *d)
{
  if (!d->floats || !d->floats->len)
    return;
  GPtrArray *todo = d->floats;
  GArray *index = d->float_index;
  d->floats = NULL; /* a float never waits twice: it fits a fresh column */
  d->float_index = NULL;
  for (guint i = 0; i < todo->len; i++) {
    Item *f = g_ptr_array_index(todo, i);
    if (!d->fresh)
      d->y += f->space_before;
    emit(d, f, g_array_index(index, guint, i), 0, f->n_lines, d->float_article);
    d->y += f->space_after;
  }
  g_ptr_array_unref(todo);
  g_array_unref(index);
}

/* Whether item i (a figure, with its caption when kept with it) may wait
 * for the next column while the text after it goes on (L-10): it does not
 * fit what is left of this one, it has no group tags to keep in order, and
 * some text follows to fill the room. Its height in *h. */
static gboolean may_float(Doc *d, GPtrArray *items, guint i, double *h)
{
  const Item *it = g_ptr_array_index(items, i);
  if (it->kind != ITEM_IMAGE || d->fresh || it->open_tags[0] || it->n_close)
    return FALSE;
  guint last = i;
  *h = item_height(it) + it->space_before;
  if (it->keep_with_next && i + 1 < items->len) {
    const Item *cap = g_ptr_array_index(items, i + 1);
    if (cap->open_tags[0] || cap->n_close)
      return FALSE;
    *h += it->space_after + cap->space_before + item_height(cap);
    last = i + 1;
  }
  if (last + 1 >= items->len || d->y + *h <= d->text_h + EPS || *h > d->text_h)
    return FALSE;
  const Item *next = g_ptr_array_index(items, last + 1);
  return next->kind == ITEM_TEXT;
}

static void defer(Doc *d, GPtrArray *items, guint i, int article)
{
  if (!d->floats) {
    d->floats = g_ptr_array_new();
    d->float_index = g_array_new(FALSE, FALSE, sizeof(guint));
  }
  d->float_article = article;
  g_ptr_array_add(d->floats, g_ptr_array_index(items, i));
  g_array_append_val(d->float_index, i);
}

/* Layout: places a flow (headings kept with what follows, no widow or
 * orphan), each piece a placement of the plan. */
static void place_items(Doc *d, GPtrArray *items, int article)
{
  const double H = d->text_h;
  for (guint i = 0; i < items->len; i++) {
    Item *it = g_ptr_array_index(items, i);
    double fh = 0;
    if (may_float(d, items, i, &fh)) {
      defer(d, items, i, article);
      if (it->keep_with_next)
        defer(d, items, ++i, article);
      continue;
    }
    if (!d->fresh)
      d->y += it->space_before;
    double need = chain_need(items, i);
    if (!d->fresh && d->y + need > H + EPS)
      next_column(d);
    guint n = it->n_lines, a = 0;
    while (a < n) {
      guint k = a;
      double y = d->y;
      while (k < n && y + it->line_h[k] <= H + EPS)
        y += it->line_h[k++];
      if (k == n) {
        emit(d, it, i, a, n, article);
        break;
      }
      if (it->unbreakable || n < 4) {
        if (!d->fresh) {
          next_column(d);
          continue;
        }
        if (it->unbreakable) { /* taller than a column: placed alone */
          emit(d, it, i, a, n, article);
          break;
        }
      }
      guint placed = k - a;
      if (n - k < 2 && n >= 4)
        k = n - 2; /* widow: take two lines over */
      /* HY-6 (should): the last line of a column does not end with a hyphen;
       * its line goes over when the orphan and widow rules still hold */
      if (it->line_hyphen && k > a && it->line_hyphen[k - 1] && k - 1 > a &&
          (a > 0 || k - 1 >= 2) && n - (k - 1) >= 2)
        k--;
      if (k <= a || (a == 0 && k - a < 2)) { /* orphan: move the whole paragraph */
        if (!d->fresh) {
          next_column(d);
          continue;
        }
        k = a + MAX(placed, 1); /* a column too short for the rules: fill it */
      }
      emit(d, it, i, a, k, article);
      next_column(d);
      a = k;
    }
    d->y += it->space_after;
  }
  if (d->floats && d->floats->len) /* the article ended first: the figure opens the next column */
    next_column(d);
}

GArray *kq_pdf_paginate_metrics(GPtrArray *items, double text_h, int columns, double start_y)
{
  Doc d = {0};
  d.text_h = text_h;
  d.columns = columns;
  d.plan = kq_plan_new(0, 0, FALSE);
  new_page(&d, PAGE_BODY);
  d.y = start_y;
  d.fresh = start_y <= 0;
  place_items(&d, items, -1);
  GArray *trace = g_array_new(FALSE, FALSE, sizeof(int));
  for (guint p = 0; p < d.plan->pages->len; p++) {
    const KqPlanPage *pg = &g_array_index(d.plan->pages, KqPlanPage, p);
    for (guint k = pg->first; k < pg->first + pg->n; k++) {
      const KqPlacement *pl = &g_array_index(d.plan->places, KqPlacement, k);
      int rec[4] = {(int)pl->first, (int)pl->end, pg->number, pl->col};
      g_array_append_vals(trace, rec, 4);
    }
  }
  kq_plan_free(d.plan);
  return trace;
}

/* ---- Front matter ------------------------------------------------------------ */

typedef struct {
  PangoLayout *layout; /* title, ragged, at the entry width */
  double h;            /* entry height */
  double space_before;
  gboolean group;
  guint index;         /* group or article index */
} TocEntry;

/* Contents entries: the title ragged and balanced, never broken inside a
 * word (L-5), its wrapped lines indented by an em (hanging indent),
 * ordinals superior; the page number right at the measure's end. */
static TocEntry toc_entry(Doc *d, gboolean group, const GPtrArray *title, const char *lang,
                          guint index, guint key)
{
  const KqTheme *t = d->theme;
  TocEntry e = {0};
  e.group = group;
  e.index = index;
  double num_w = t->body_size * 3.2;
  double indent = group ? 0 : t->body_size * 1.2;
  /* the layout chooses the entry's breaks (key: its place in the contents),
   * drawing takes them from the plan */
  e.layout = kq_pdf_display_layout_runs(d->sh, group ? ROLE_TOC_GROUP : ROLE_BODY, title, lang,
                                        d->full_w - num_w - indent, t->body_size, 1,
                                        d->plan->toc_breaks, key);
  int lines = pango_layout_get_line_count(e.layout);
  double lead = group ? t->leading * 1.15 : t->leading;
  e.h = lines * lead;
  e.space_before = group ? t->leading * 0.8 : 0;
  return e;
}

static double toc_heading_h(const Doc *d)
{
  return d->theme->title_size * 3;
}

/* Width of a laid-out line as drawn: its glyphs' advances (kiosque sets
 * trailing spaces to no width after layout, which Pango's extents predate). */
static double line_advance(PangoLayoutLine *line)
{
  int w = 0;
  for (GSList *r = line->runs; r; r = r->next)
    w += pango_glyph_string_get_width(((PangoGlyphItem *)r->data)->glyphs);
  return w / (double)PANGO_SCALE;
}

static void draw_toc_entry(Doc *d, const TocEntry *e, double y, int page_no)
{
  cairo_t *cr = d->cr;
  const KqTheme *t = d->theme;
  double left = page_left(d, d->page);
  double indent = e->group ? 0 : t->body_size * 1.2;
  double lead = e->group ? t->leading * 1.15 : t->leading;
  char *dest = g_strdup_printf("%c%u", e->group ? 'g' : 'a', e->index);
  cairo_tag_begin(cr, "TOCI", NULL);
  set_colour(cr, role_colour(t, e->group ? ROLE_TOC_GROUP : ROLE_BODY));
  PangoLayoutIter *it = pango_layout_get_iter(e->layout);
  double base = 0, end_x = 0;
  int li = 0;
  do {
    PangoRectangle r;
    pango_layout_iter_get_line_extents(it, NULL, &r);
    PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
    base = y + t->margin_top + li * lead + lead * 0.78;
    double x = left + indent + r.x / (double)PANGO_SCALE;
    cairo_move_to(cr, x, base);
    kq_pdf_show_line(d->sh, cr, line);
    end_x = x + line_advance(line);
    li++;
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
  char num[16];
  g_snprintf(num, sizeof num, "%d", page_no);
  PangoLayout *nl = kq_pdf_plain_layout(d->sh, e->group ? ROLE_TOC_GROUP : ROLE_BODY, num, -1,
                                        PANGO_ALIGN_LEFT);
  int nw = 0;
  pango_layout_get_size(nl, &nw, NULL);
  double nx = left + d->full_w - nw / (double)PANGO_SCALE;
  /* dot leaders: separate dots on a fixed grid (so they line up from entry
   * to entry), from a dot's step after the entry's text to before the
   * number; each dot its own closed sub-path, nothing joining them */
  const double step = t->body_size * 0.55;
  double from = end_x + step, to = nx - step * 0.6;
  set_colour(cr, &t->meta_colour);
  cairo_new_path(cr);
  for (double x = ceil(from / step) * step; x <= to; x += step) {
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, base - t->body_size * 0.06, t->body_size * 0.045, 0, 2 * G_PI);
    cairo_close_path(cr);
  }
  cairo_fill(cr);
  set_colour(cr, role_colour(t, e->group ? ROLE_TOC_GROUP : ROLE_BODY));
  cairo_move_to(cr, nx, base);
  kq_pdf_show_line(d->sh, cr, pango_layout_get_line_readonly(nl, 0));
  g_object_unref(nl);
  char *href = g_strdup_printf("#%s", dest);
  link_rect(d, href, left + indent, y + t->margin_top, d->full_w - indent, e->h);
  g_free(href);
  cairo_tag_end(cr, "TOCI");
  g_free(dest);
}

/* The contents entry placed at pl: group or article, and its title. */
static TocEntry toc_entry_at(Doc *d, const KqPlacement *pl)
{
  if (pl->flags & KQ_PLACE_GROUP)
    return toc_entry(d, TRUE, kq_edition_group_furniture(d->ed, pl->article)->title.runs,
                     d->ed->furniture->lang, pl->article, pl->item);
  const KqArticleFurniture *f = kq_edition_article_furniture(d->ed, pl->article);
  return toc_entry(d, FALSE, f->title.runs, f->lang, pl->article, pl->item);
}

/* Layout: the contents, whose length does not depend on page numbers. */
static void layout_contents(Doc *d)
{
  const KqEdition *ed = d->ed;
  new_page(d, PAGE_TOC);
  d->y = toc_heading_h(d);
  guint article = 0, key = 0;
  for (guint g = 0; g < ed->groups->len; g++) {
    const KqGroup *grp = g_ptr_array_index(ed->groups, g);
    for (int k = -1; k < (int)grp->articles->len; k++, key++) {
      TocEntry e;
      if (k < 0) {
        e = toc_entry(d, TRUE, kq_edition_group_furniture(ed, g)->title.runs, ed->furniture->lang,
                      g, key);
      } else {
        const KqArticleFurniture *f = kq_edition_article_furniture(ed, article);
        e = toc_entry(d, FALSE, f->title.runs, f->lang, article++, key);
      }
      double need = e.space_before + e.h;
      if (k < 0 && grp->articles->len) /* a group entry is kept with its first article */
        need += d->theme->leading * 2;
      if (d->y + need > d->text_h + EPS) {
        new_page(d, PAGE_TOC);
      } else {
        d->y += e.space_before;
      }
      KqPlacement *pl = kq_plan_add_place(d->plan, e.index, key, 0,
                                          (guint)pango_layout_get_line_count(e.layout), 0,
                                          e.group ? 0 : d->theme->body_size * 1.2, d->y, "TOCI");
      pl->flags = KQ_PLACE_TOC | (e.group ? KQ_PLACE_GROUP : 0);
      d->y += e.h;
      g_object_unref(e.layout);
    }
  }
}

/* Drawing: one page of the contents, the page numbers from the plan. */
static void draw_contents_page(Doc *d, const KqPlanPage *pg, gboolean first, gboolean last)
{
  if (first) {
    cairo_tag_begin(d->cr, "TOC", NULL);
    set_colour(d->cr, &d->theme->heading_colour);
    cairo_tag_begin(d->cr, "H1", NULL);
    show_plain(d, ROLE_TITLE, d->ed->furniture->contents, page_left(d, d->page),
               d->theme->margin_top + d->theme->title_size, d->full_w, PANGO_ALIGN_LEFT);
    cairo_tag_end(d->cr, "H1");
  }
  for (guint k = pg->first; k < pg->first + pg->n; k++) {
    const KqPlacement *pl = &g_array_index(d->plan->places, KqPlacement, k);
    TocEntry e = toc_entry_at(d, pl);
    draw_toc_entry(d, &e, pl->y,
                   e.group ? d->plan->group_page[e.index] : d->plan->articles[e.index].page);
    g_object_unref(e.layout);
  }
  if (last)
    cairo_tag_end(d->cr, "TOC");
}

/* Drawing: the title page. Nothing else depends on its text, which is
 * laid out here only. */
static void draw_title_page(Doc *d)
{
  const KqEdition *ed = d->ed;
  const KqTheme *t = d->theme;
  cairo_t *cr = d->cr;
  /* the title page is centred on the paper, not on the text area: the
   * edition title (one line when it fits at down to half its size) and its
   * period line get room on every design */
  double cover_w = t->page_width - 2 * COVER_MARGIN, left = COVER_MARGIN;
  double y = t->page_height * 0.3;
  set_colour(cr, &t->heading_colour);
  cairo_tag_begin(cr, "H1", NULL);
  /* one line when it fits at down to half the size, else balanced lines
   * at full size; never hyphenated nor broken inside a word (L-5) */
  PangoLayout *l = NULL;
  for (double scale = 1; scale > 0.49; scale -= 0.05) {
    g_clear_object(&l);
    l = kq_pdf_display_layout_runs(d->sh, ROLE_COVER, ed->furniture->title.runs,
                                   ed->furniture->lang, cover_w, 0, scale, NULL, 0);
    if (pango_layout_get_line_count(l) == 1)
      break;
  }
  if (pango_layout_get_line_count(l) > 1) {
    g_object_unref(l);
    l = kq_pdf_display_layout_runs(d->sh, ROLE_COVER, ed->furniture->title.runs,
                                   ed->furniture->lang, cover_w, 0, 1, NULL, 0);
  }
  int h = 0;
  pango_layout_get_size(l, NULL, &h);
  show_centred(d, l, left, y, cover_w);
  g_object_unref(l);
  cairo_tag_end(cr, "H1");
  y += h / (double)PANGO_SCALE + t->leading * 2;
  cairo_set_line_width(cr, 0.6);
  cairo_move_to(cr, left + cover_w * 0.4, y);
  cairo_line_to(cr, left + cover_w * 0.6, y);
  cairo_stroke(cr);
  y += t->leading * 2;
  /* the count and period, then the date in words (furniture.h) */
  const char *lines[2] = {ed->furniture->summary, ed->furniture->generated};
  for (int i = 0; i < 2; i++) {
    cairo_tag_begin(cr, "P", NULL);
    set_colour(cr, i == 0 ? &t->text_colour : &t->meta_colour);
    PangoLayout *ll = kq_pdf_display_layout(d->sh, i == 0 ? ROLE_STANDFIRST : ROLE_META,
                                            lines[i], ed->lang, cover_w, 0, 1);
    show_centred(d, ll, left, y - pango_layout_get_baseline(ll) / (double)PANGO_SCALE,
                 cover_w);
    int lh = 0;
    pango_layout_get_size(ll, NULL, &lh);
    y += lh / (double)PANGO_SCALE - t->leading; /* lines after the first */
    g_object_unref(ll);
    cairo_tag_end(cr, "P");
    y += t->leading * (i == 0 ? 1.8 : 1.3);
  }
}

/* Layout: a group opens on a part page (its title alone, no running head),
 * or with groups-new-page=false at the top of a new text page. */
static void layout_group(Doc *d, guint g)
{
  gboolean part = d->theme->groups_new_page;
  d->group = g;
  new_page(d, part ? PAGE_PART : PAGE_BODY);
  g_array_index(d->plan->pages, KqPlanPage, d->plan->pages->len - 1).opens_group = (int)g;
  d->plan->group_page[g] = d->page;
  if (part) {
    new_page(d, PAGE_BODY);
  } else {
    d->y = d->theme->part_size * 2.2;
    d->fresh = FALSE;
  }
}

/* Drawing: the title of group g on the page that opens it, in the outline. */
static void draw_group_title(Doc *d, guint g)
{
  const KqTheme *t = d->theme;
  gboolean part = d->kind == PAGE_PART;
  char *dest = g_strdup_printf("name='g%u'", g);
  char *odest = g_strdup_printf("dest='g%u'", g);
  const KqGroupFurniture *gf = kq_edition_group_furniture(d->ed, g);
  d->group_outline = cairo_pdf_surface_add_outline(d->surface, CAIRO_PDF_OUTLINE_ROOT,
                                                   gf->title.text, odest, 0);
  set_colour(d->cr, &t->heading_colour);
  cairo_tag_begin(d->cr, "H1", NULL);
  cairo_tag_begin(d->cr, CAIRO_TAG_DEST, dest);
  /* L-5: balanced, never hyphenated nor broken inside a word */
  PangoLayout *l = kq_pdf_display_layout_runs(d->sh, ROLE_PART, gf->title.runs,
                                              d->ed->furniture->lang, d->full_w, 0, 1, NULL, 0);
  double top = (part ? t->page_height * 0.38 : t->margin_top + t->part_size) -
               pango_layout_get_baseline(l) / (double)PANGO_SCALE;
  if (part)
    show_centred(d, l, page_left(d, d->page), top, d->full_w);
  else
    show_layout(d, l, page_left(d, d->page), top);
  g_object_unref(l);
  cairo_tag_end(d->cr, CAIRO_TAG_DEST);
  cairo_tag_end(d->cr, "H1");
  g_free(dest);
  g_free(odest);
}

/* ---- Flows built in parallel ----------------------------------------------------- */

/*
 * The ordered pool (pool.h) builds article flows ahead of the main thread,
 * each worker with its own shaper and font map (Pango objects are not
 * shared between threads while they lay out); the main thread takes them in
 * reading order. For the layout the flows keep metrics only, and their
 * chosen line breaks go into the plan; for drawing they are built again
 * with their layouts, broken where the plan says, which the main thread
 * then draws. Cairo is used by the main thread only: Cairo 1.16's caches
 * (scaled fonts, glyph pages, FreeType faces) are shared by every font map
 * and crashed when glyphs were drawn while a worker shaped (about one
 * export in fifteen), so the workers shape with PangoFT2 font maps, which
 * give the same glyphs and metrics without Cairo (fonts.h), and drawing
 * swaps each run's font for the main shaper's matching PangoCairo font
 * (kq_pdf_show_line). A layout's fonts still belong to its worker's font
 * map, whose caches (glyph extents) drawing reads and fills without a
 * lock: so a flow's shaper goes with it (lend_state) and comes back to the
 * workers only once the flow is drawn and freed; the workers lay out the
 * next flows, with the other shapers, while the main thread draws.
 */
typedef struct {
  Doc *d;
  gboolean drawing;           /* layouts kept, breaks read from the plan */
} FlowJobs;

static FlowCtx flow_ctx(Doc *d, Shaper *sh, gboolean keep, KqLog *log)
{
  FlowCtx fc = {0};
  fc.shaper = sh;
  fc.theme = d->theme;
  fc.typo = d->typo;
  fc.log = log;
  fc.images = d->images;
  fc.width = d->col_w;
  fc.max_image_h = d->text_h;
  fc.keep_layouts = keep;
  return fc;
}

/* Made on the thread that makes the pool (pool.h), one at a time. */
static gpointer shaper_new(gpointer data)
{
  Doc *d = ((FlowJobs *)data)->d;
  /* no Cairo in workers (fonts.h) */
  Shaper *sh = kq_pdf_shaper_new(d->theme, NULL, d->worker_measured ? &d->worker_metrics : NULL);
  d->worker_metrics = sh->metrics;
  d->worker_measured = TRUE;
  return sh;
}

/* Flow i, on a worker; its messages go to the item's capture (log). */
static gpointer flow_work(guint i, gpointer state, KqLog *log, gpointer data)
{
  FlowJobs *m = data;
  Doc *d = m->d;
  FlowCtx fc = flow_ctx(d, state, m->drawing, log);
  /* layout: the breaks chosen go to article i's own slot of the plan, read
   * by the main thread after kq_pool_take(i); drawing: read-only */
  KqPlanBreaks *out = NULL;
  if (m->drawing)
    fc.breaks_in = d->plan->articles[i].breaks;
  else
    fc.breaks_out = out = kq_plan_breaks_new(d->plan_only);
  /* the body the edition typesets once for both passes and both writers,
   * unless the PDF reads a cleaned copy of the article (clean_edition());
   * every other text is the edition's furniture */
  KqArticle typed = *d->articles[i];
  gboolean own = d->articles[i] != g_ptr_array_index(d->edition->articles, i);
  typed.blocks = own ? kq_typo_blocks(d->typo, typed.blocks, typed.lang)
                     : (GPtrArray *)kq_edition_article_body(d->edition, i);
  GPtrArray *flow = kq_pdf_article_flow(&fc, &typed, kq_edition_article_furniture(d->ed, i), i);
  if (own)
    g_ptr_array_unref(typed.blocks);
  if (out)
    d->plan->articles[i].breaks = out;
  return flow;
}

static KqPool *flow_pool(Doc *d, FlowJobs *m)
{
  KqPoolSpec spec = {
      .n_items = d->n_articles,
      /* drawing: each item waiting holds a shaper (window + 1 of them); the
       * pool's 4 per thread, as 2 left the drawing waiting (5 % wall time) */
      .window = m->drawing ? 0 : MEASURE_WINDOW,
      .work = flow_work,
      .data = m,
      .state_new = shaper_new,
      .state_free = (GDestroyNotify)kq_pdf_shaper_free,
      .states = m->drawing ? g_steal_pointer(&d->warm_shapers) : NULL,
      .result_free = (GDestroyNotify)g_ptr_array_unref,
      .lend_state = m->drawing,
      /* the main thread paginates and draws: that is the critical path */
      .taker_waits = TRUE,
      .level = d->log ? d->log->level : KQ_LOG_WARNING,
  };
  return kq_pool_new(&spec);
}

/* Layout: the body, group by group, each article's flow (taken from pool, which
 * builds them ahead) paginated. */
static void layout_body(Doc *d, KqPool *pool)
{
  KqPlan *plan = d->plan;
  guint index = 0;
  for (guint g = 0; g < d->ed->groups->len; g++) {
    const KqGroup *grp = g_ptr_array_index(d->ed->groups, g);
    layout_group(d, g);
    for (guint k = 0; k < grp->articles->len; k++, index++) {
      /* the flows' messages are logged once: when drawn (built again then),
       * or here when no drawing follows */
      GPtrArray *flow = kq_pool_take(pool, index, d->plan_only ? d->log : NULL);
      guint first = plan->places->len;
      place_items(d, flow, (int)index);
      g_ptr_array_unref(flow);
      kq_pool_return(pool, index);
      if (d->plan_only) /* no drawing pass reads it again */
        kq_edition_article_body_done(d->edition, index);
      if (plan->places->len > first) {
        g_array_index(plan->places, KqPlacement, first).flags |= KQ_PLACE_FIRST;
        g_array_index(plan->places, KqPlacement, plan->places->len - 1).flags |= KQ_PLACE_LAST;
      }
    }
  }
}

/* Drawing: the flows of the articles a page's placements come from, taken
 * from the pool in reading order, each freed (its shaper going back) once
 * its last placement is drawn. */
typedef struct {
  FlowJobs jobs;
  KqPool *pool;     /* made before the front matter: the workers build the first
                     * articles' flows while it is drawn */
  guint next;       /* next article to take */
  GPtrArray *flow;  /* the current article's, or NULL */
  guint article;
} Drawn;

static void drawn_release(Doc *d, Drawn *dr, gboolean ahead);

static void drawn_take(Doc *d, Drawn *dr, guint article)
{
  while (!dr->flow || dr->article != article) {
    if (dr->flow) { /* an article without a placement (none: a title is always placed) */
      drawn_release(d, dr, TRUE);
      continue;
    }
    if (dr->next > article || dr->next >= d->n_articles)
      return;
    dr->flow = kq_pool_take(dr->pool, dr->next, d->log);
    dr->article = dr->next++;
  }
}

/* Frees the current flow (its shaper goes back to the workers) and, ahead,
 * takes the next one at once. */
static void drawn_release(Doc *d, Drawn *dr, gboolean ahead)
{
  g_ptr_array_unref(dr->flow);
  dr->flow = NULL;
  kq_pool_return(dr->pool, dr->article); /* its layouts are freed: the shaper may go on */
  kq_edition_article_body_done(d->edition, dr->article); /* drawn: nothing holds it */
  if (ahead && dr->next < d->n_articles) {
    dr->flow = kq_pool_take(dr->pool, dr->next, d->log);
    dr->article = dr->next++;
  }
}

/* Drawing: one body page's placements. */
static void draw_body_page(Doc *d, const KqPlanPage *pg, Drawn *dr)
{
  for (guint k = pg->first; k < pg->first + pg->n; k++) {
    const KqPlacement *pl = &g_array_index(d->plan->places, KqPlacement, k);
    if (pl->flags & KQ_PLACE_FIRST) {
      drawn_take(d, dr, pl->article);
      char *odest = g_strdup_printf("dest='a%u'", pl->article);
      cairo_pdf_surface_add_outline(d->surface, d->group_outline,
                                    kq_edition_article_furniture(d->ed, pl->article)->title.text,
                                    odest, 0);
      g_free(odest);
      cairo_tag_begin(d->cr, "Sect", NULL);
    }
    g_return_if_fail(dr->flow && pl->article == dr->article && pl->item < dr->flow->len);
    const Item *it = g_ptr_array_index(dr->flow, pl->item);
    if (pl->first == 0)
      open_tags(d, it);
    d->col = pl->col;
    /* the item as built again has the lines the layout gave it (its breaks
     * come from the plan); were it shorter, no line past its end is read */
    if (pl->first < MIN(pl->end, it->n_lines))
      draw_fragment(d, it, pl->first, MIN(pl->end, it->n_lines), pl->y);
    if (pl->end >= it->n_lines)
      close_tags(d, it);
    if (pl->flags & KQ_PLACE_LAST) {
      while (d->tag_stack->len) { /* left open by a truncated nesting */
        cairo_tag_end(d->cr, g_ptr_array_index(d->tag_stack, d->tag_stack->len - 1));
        g_ptr_array_remove_index(d->tag_stack, d->tag_stack->len - 1);
      }
      cairo_tag_end(d->cr, "Sect");
      drawn_release(d, dr, TRUE);
    }
  }
}

/* Drawing: walks the plan page by page. */
static void draw_plan(Doc *d)
{
  Drawn dr = {{d, TRUE}, NULL, 0, NULL, 0};
  dr.pool = flow_pool(d, &dr.jobs);
  const GArray *pages = d->plan->pages;
  gboolean part_open = FALSE;
  cairo_tag_begin(d->cr, "Document", NULL);
  for (guint p = 0; p < pages->len; p++) {
    const KqPlanPage *pg = &g_array_index(pages, KqPlanPage, p);
    if (p > 0)
      finish_page(d);
    d->page = pg->number;
    d->kind = pg->kind;
    d->group = pg->group;
    d->col = 0;
    page_furniture(d);
    if (pg->opens_group >= 0) {
      if (part_open)
        cairo_tag_end(d->cr, "Part");
      cairo_tag_begin(d->cr, "Part", NULL);
      part_open = TRUE;
      draw_group_title(d, (guint)pg->opens_group);
    }
    switch (pg->kind) {
    case PAGE_TITLE:
      draw_title_page(d);
      break;
    case PAGE_TOC: {
      gboolean first = p == 0 || g_array_index(pages, KqPlanPage, p - 1).kind != PAGE_TOC;
      gboolean last = p + 1 == pages->len || g_array_index(pages, KqPlanPage, p + 1).kind != PAGE_TOC;
      draw_contents_page(d, pg, first, last);
      break;
    }
    case PAGE_PART:
      break;
    case PAGE_BODY:
      draw_body_page(d, pg, &dr);
      break;
    }
  }
  if (dr.flow) /* not reached: an article's last placement releases it */
    drawn_release(d, &dr, FALSE);
  if (part_open)
    cairo_tag_end(d->cr, "Part");
  cairo_tag_end(d->cr, "Document");
  if (pages->len)
    finish_page(d);
  kq_pool_free(dr.pool);
}

/* ---- Text Cairo accepts ---------------------------------------------------------- */

/* Cairo refuses a string holding a noncharacter or bytes that are not
 * UTF-8, and its surface then stays in error: the whole PDF would be lost
 * for one character. The readers' model boundary (kq_article_clean())
 * removes them; an edition built another way is cleaned here, on copies,
 * with one warning per input. */
typedef struct {
  KqEdition ed;     /* a copy of the edition's fields, those below replaced */
  GPtrArray *owned; /* KqArticle*: cleaned copies */
} Shadow;

static void shadow_free(Shadow *sh)
{
  if (!sh)
    return;
  g_free(sh->ed.title);
  g_free(sh->ed.period);
  g_ptr_array_unref(sh->ed.articles);
  g_ptr_array_unref(sh->ed.groups);
  g_ptr_array_unref(sh->owned);
  g_free(sh);
}

/* NULL when every string of the edition is clean (the usual case), else a
 * shadow edition the writer reads instead. */
static Shadow *clean_edition(const KqEdition *ed, const char *path, KqLog *log)
{
  gboolean dirty = !kq_utf8_is_clean(ed->title, -1) || !kq_utf8_is_clean(ed->period, -1);
  for (guint g = 0; g < ed->groups->len && !dirty; g++)
    dirty = !kq_utf8_is_clean(((KqGroup *)g_ptr_array_index(ed->groups, g))->title, -1);
  for (guint i = 0; i < ed->articles->len && !dirty; i++)
    dirty = !kq_article_is_clean(g_ptr_array_index(ed->articles, i));
  if (!dirty)
    return NULL;
  Shadow *sh = g_new0(Shadow, 1);
  sh->ed = *ed;
  sh->ed.title = kq_utf8_clean(ed->title, -1, NULL);
  sh->ed.period = kq_utf8_clean(ed->period, -1, NULL);
  if (!kq_utf8_is_clean(ed->title, -1) || !kq_utf8_is_clean(ed->period, -1))
    KQ_WARN(log, path, 0, "invalid characters removed from the edition's title");
  sh->owned = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  sh->ed.articles = g_ptr_array_new();
  GHashTable *map = g_hash_table_new(NULL, NULL); /* original -> what the PDF reads */
  for (guint i = 0; i < ed->articles->len; i++) {
    KqArticle *a = g_ptr_array_index(ed->articles, i);
    if (!kq_article_is_clean(a)) {
      KqArticle *c = kq_article_dup(a);
      guint n = kq_article_clean(c);
      KQ_WARN(log, c->source_path, 0, "%u invalid character%s removed for the PDF", n,
              n == 1 ? "" : "s");
      g_ptr_array_add(sh->owned, c);
      g_hash_table_insert(map, a, c);
      a = c;
    }
    g_ptr_array_add(sh->ed.articles, a);
  }
  sh->ed.groups = g_ptr_array_new_with_free_func((GDestroyNotify)kq_group_free);
  for (guint g = 0; g < ed->groups->len; g++) {
    const KqGroup *src = g_ptr_array_index(ed->groups, g);
    KqGroup *grp = g_new0(KqGroup, 1);
    grp->key = g_strdup(src->key);
    grp->title = kq_utf8_clean(src->title, -1, NULL);
    grp->articles = g_ptr_array_new();
    for (guint k = 0; k < src->articles->len; k++) {
      gpointer a = g_ptr_array_index(src->articles, k);
      gpointer c = g_hash_table_lookup(map, a);
      g_ptr_array_add(grp->articles, c ? c : a);
    }
    g_ptr_array_add(sh->ed.groups, grp);
  }
  g_hash_table_unref(map);
  return sh;
}

/* ---- Characters no font covers ------------------------------------------------- */

/* What would cover a character that no installed font has: a name for its
 * script and the Debian package with fonts for it. */
typedef struct {
  char what[40];
  const char *package;
} Cover;

static Cover cover_for(gunichar c)
{
  Cover cv = {"", "fonts-noto-core"};
  GUnicodeScript script = g_unichar_get_script(c);
  if ((c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) ||
      (c >= 0x2300 && c <= 0x23FF) || (c >= 0x2B00 && c <= 0x2BFF)) {
    g_strlcpy(cv.what, "emoji", sizeof cv.what);
    cv.package = "fonts-noto-color-emoji";
    return cv;
  }
  if ((c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF) ||
      (c >= 0x3200 && c <= 0x33FF)) {
    g_strlcpy(cv.what, "CJK punctuation and symbols", sizeof cv.what);
    cv.package = "fonts-noto-cjk";
    return cv;
  }
  if (script == G_UNICODE_SCRIPT_COMMON || script == G_UNICODE_SCRIPT_INHERITED ||
      script == G_UNICODE_SCRIPT_UNKNOWN) {
    g_strlcpy(cv.what, "symbols", sizeof cv.what);
    return cv;
  }
  switch (script) {
  case G_UNICODE_SCRIPT_HAN:
  case G_UNICODE_SCRIPT_HIRAGANA:
  case G_UNICODE_SCRIPT_KATAKANA:
  case G_UNICODE_SCRIPT_HANGUL:
  case G_UNICODE_SCRIPT_BOPOMOFO:
    cv.package = "fonts-noto-cjk";
    break;
  default:
    break;
  }
  /* the ISO 15924 code names the script ("Hani", "Hira", "Arab") */
  guint32 code = g_unicode_script_to_iso15924(script);
  g_snprintf(cv.what, sizeof cv.what, "%c%c%c%c", (char)(code >> 24), (char)(code >> 16),
             (char)(code >> 8), (char)code);
  if (script == G_UNICODE_SCRIPT_HAN)
    g_strlcat(cv.what, " (CJK ideographs)", sizeof cv.what);
  else if (script == G_UNICODE_SCRIPT_HIRAGANA || script == G_UNICODE_SCRIPT_KATAKANA)
    g_strlcat(cv.what, " (Japanese kana)", sizeof cv.what);
  else if (script == G_UNICODE_SCRIPT_HANGUL)
    g_strlcat(cv.what, " (Korean)", sizeof cv.what);
  return cv;
}

typedef struct {
  const char *path;   /* borrowed from the article */
  guint n;            /* characters (occurrences) no font covers */
  GArray *covers;     /* Cover: one per script, first seen first */
} Missing;

static void missing_free(gpointer p)
{
  Missing *m = p;
  g_array_unref(m->covers);
  g_free(m);
}

/* Characters below this are looked up in an array rather than the hash. */
#define COVERAGE_FAST 0x800

static void scan_coverage(PangoFontset *fs, GHashTable *cache, guint8 *fast, const char *text,
                          Missing *m)
{
  for (const char *p = text; p && *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (c < 0x80)
      continue;
    int known = c < COVERAGE_FAST ? fast[c]
                                  : GPOINTER_TO_INT(g_hash_table_lookup(cache, GUINT_TO_POINTER(c)));
    if (!known) {
      if (g_unichar_iszerowidth(c) || g_unichar_isspace(c) ||
          g_unichar_type(c) == G_UNICODE_CONTROL || g_unichar_type(c) == G_UNICODE_FORMAT) {
        known = 1; /* nothing drawn */
      } else {
        /* the font Pango's fallback (fontconfig's sorted fonts) would pick */
        PangoFont *font = pango_fontset_get_font(fs, c);
        known = font && pango_font_has_char(font, c) ? 1 : 2;
        if (font)
          g_object_unref(font);
      }
      if (c < COVERAGE_FAST)
        fast[c] = (guint8)known;
      else
        g_hash_table_insert(cache, GUINT_TO_POINTER(c), GINT_TO_POINTER(known));
    }
    if (known == 1)
      continue;
    m->n++;
    Cover cv = cover_for(c);
    gboolean seen = FALSE;
    for (guint k = 0; k < m->covers->len && !seen; k++)
      seen = strcmp(g_array_index(m->covers, Cover, k).what, cv.what) == 0;
    if (!seen)
      g_array_append_val(m->covers, cv);
  }
}

/* "Hani (CJK ideographs), Arab" and "fonts-noto-cjk fonts-noto-core": the
 * scripts and, once each, the packages that cover them, first seen first
 * (a script's package is always the same). */
static void covers_text(const GArray *covers, GString *whats, GString *packages)
{
  for (guint k = 0; k < covers->len; k++) {
    const Cover *cv = &g_array_index(covers, Cover, k);
    g_string_append_printf(whats, "%s%s", k ? ", " : "", cv->what);
    gboolean seen = FALSE;
    for (guint j = 0; j < k && !seen; j++)
      seen = strcmp(g_array_index(covers, Cover, j).package, cv->package) == 0;
    if (!seen)
      g_string_append_printf(packages, "%s%s", packages->len ? " " : "", cv->package);
  }
}

/* Says what the PDF cannot show: characters that no installed font covers
 * come out as boxes. One warning per input, naming the scripts and the
 * Debian packages that would cover them. Coverage is Pango's own (the
 * fontset it falls back through), so whatever fonts are installed count. */
static void warn_uncovered(Doc *d, const KqArticle **articles, guint n)
{
  PangoFontset *fs = pango_context_load_fontset(d->sh->context, d->sh->font[ROLE_BODY],
                                                pango_language_get_default());
  if (!fs)
    return;
  GHashTable *cache = g_hash_table_new(NULL, NULL);       /* gunichar -> 1 covered, 2 not */
  guint8 *fast = g_new0(guint8, COVERAGE_FAST);            /* the same below COVERAGE_FAST */
  GHashTable *by_path = g_hash_table_new(g_str_hash, g_str_equal); /* path -> Missing* */
  GPtrArray *order = g_ptr_array_new_with_free_func(missing_free);
  for (guint i = 0; i < n; i++) {
    const KqArticle *a = articles[i];
    const char *path = a->source_path ? a->source_path : "";
    Missing *m = g_hash_table_lookup(by_path, path);
    if (!m) {
      m = g_new0(Missing, 1);
      m->path = path;
      m->covers = g_array_new(FALSE, FALSE, sizeof(Cover));
      g_hash_table_insert(by_path, (gpointer)path, m);
      g_ptr_array_add(order, m);
    }
    scan_coverage(fs, cache, fast, a->title, m);
    scan_coverage(fs, cache, fast, a->standfirst, m);
    scan_coverage(fs, cache, fast, a->site, m);
    const GPtrArray *lists[] = {a->authors, a->topics, a->sources};
    for (guint l = 0; l < G_N_ELEMENTS(lists); l++)
      for (guint k = 0; k < lists[l]->len; k++)
        scan_coverage(fs, cache, fast, g_ptr_array_index(lists[l], k), m);
    char *body = kq_blocks_to_text(a->blocks);
    scan_coverage(fs, cache, fast, body, m);
    g_free(body);
  }
  for (guint i = 0; i < order->len; i++) {
    Missing *m = g_ptr_array_index(order, i);
    if (!m->n)
      continue;
    GString *whats = g_string_new(NULL), *packages = g_string_new(NULL);
    covers_text(m->covers, whats, packages);
    KQ_WARN(d->log, m->path, 0,
            "%u character%s no installed font covers (%s) come out as boxes in the PDF; "
            "install %s", m->n, m->n == 1 ? "" : "s", whats->str, packages->str);
    g_string_free(whats, TRUE);
    g_string_free(packages, TRUE);
  }
  g_ptr_array_unref(order);
  g_hash_table_unref(by_path);
  g_hash_table_unref(cache);
  g_free(fast);
  g_object_unref(fs);
}

/* ---- Output ---------------------------------------------------------------------- */

/* Writes all of data to d->fd; FALSE (errno in d->write_errno) on error. */
static gboolean write_all(Doc *d, const guint8 *data, gsize length)
{
  while (length) {
    ssize_t w = write(d->fd, data, length);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      d->write_errno = errno;
      return FALSE;
    }
    data += w;
    length -= (gsize)w;
  }
  return TRUE;
}

/* Output buffer: Cairo hands over the PDF in pieces of a few bytes
 * (hundreds of thousands of write calls for a long digest otherwise). */
#define WRITE_BUFFER (256 * 1024)

static gboolean flush_output(Doc *d)
{
  gboolean ok = write_all(d, d->wbuf->data, d->wbuf->len);
  g_byte_array_set_size(d->wbuf, 0);
  return ok;
}

/* Cairo's stream callback. A write error is recorded (d->write_errno, which
 * fails the export once the document is finished) but not reported to
 * Cairo: Cairo 1.16's PDF surface, told of a write error in mid-document,
 * can abort on an assertion while finishing (tag and page arrays left
 * half-filled), which would kill the process instead of failing cleanly. The
 * rest of the output is dropped. */
static cairo_status_t write_fd(void *closure, const unsigned char *data, unsigned int length)
{
  Doc *d = closure;
  if (d->write_errno)
    return CAIRO_STATUS_SUCCESS;
  if (d->wbuf->len + length > WRITE_BUFFER && !flush_output(d))
    return CAIRO_STATUS_SUCCESS;
  if (length >= WRITE_BUFFER) {
    write_all(d, data, length);
    return CAIRO_STATUS_SUCCESS;
  }
  g_byte_array_append(d->wbuf, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Distinct values of a string field, in first-seen order, at most max. */
static char *distinct_join(const KqEdition *ed, gboolean topics, guint max)
{
  GPtrArray *seen = g_ptr_array_new();
  for (guint i = 0; i < ed->articles->len && seen->len < max; i++) {
    const KqArticle *a = g_ptr_array_index(ed->articles, i);
    if (topics) {
      for (guint k = 0; k < a->topics->len && seen->len < max; k++) {
        const char *s = g_ptr_array_index(a->topics, k);
        gboolean dup = FALSE;
        for (guint j = 0; j < seen->len && !dup; j++)
          dup = g_ascii_strcasecmp(seen->pdata[j], s) == 0;
        if (!dup)
          g_ptr_array_add(seen, (gpointer)s);
      }
    } else if (a->site) {
      gboolean dup = FALSE;
      for (guint j = 0; j < seen->len && !dup; j++)
        dup = strcmp(seen->pdata[j], a->site) == 0;
      if (!dup)
        g_ptr_array_add(seen, a->site);
    }
  }
  g_ptr_array_add(seen, NULL);
  char *out = g_strjoinv(", ", (char **)seen->pdata);
  g_ptr_array_unref(seen);
  return out;
}

static void set_metadata(Doc *d, gint64 ts)
{
  cairo_surface_t *s = d->surface;
  const KqEdition *ed = d->ed;
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, ed->title ? ed->title : "");
  /* one author, as in the EPUB (--creator); the sites are in the keywords */
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR,
                                 d->opts->creator ? d->opts->creator : KQ_DEFAULT_CREATOR);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, ed->period ? ed->period : "");
  char *topics = distinct_join(ed, TRUE, 24), *sites = distinct_join(ed, FALSE, 8);
  char *kw = *topics && *sites ? g_strconcat(topics, ", ", sites, NULL)
                               : g_strdup(*topics ? topics : sites);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_KEYWORDS, kw);
  g_free(kw);
  g_free(topics);
  g_free(sites);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "kiosque " KQ_VERSION);
  GDateTime *dt = g_date_time_new_from_unix_utc(ts);
  if (!dt)
    dt = g_date_time_new_from_unix_utc(0);
  char *date = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
  /* both, or Cairo writes the current time (design.md: reproducible output) */
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
  g_free(date);
  g_date_time_unref(dt);
}

static gboolean setup(Doc *d, const KqWriteOptions *opts, GError **error)
{
  char *path = kq_theme_find(opts->style, opts->theme_file, error);
  if (!path)
    return FALSE;
  const char *paths[] = {path, NULL};
  d->theme = kq_theme_load_for(paths, opts->paper, opts->columns, error);
  g_free(path);
  if (!d->theme)
    return FALSE;
  const char *families[] = {d->theme->body_font, d->theme->heading_font, d->theme->code_font,
                            NULL};
  if (!kq_fonts_check(families, error))
    return FALSE;
  /* the characters the typography pass emits */
  for (int i = 0; i < 2; i++) {
    char *missing = kq_fonts_missing_chars(families[i], "\xE2\x80\xAF\xC2\xA0\xE2\x80\x99"
                                                        "\xC2\xAB\xC2\xBB\xE2\x80\xA6\xE2\x80\x93"
                                                        "\xE2\x80\x94\xE2\x88\x92");
    if (missing && *missing)
      KQ_WARN(d->log, NULL, 0, "font \"%s\" lacks %s: another font will stand in", families[i],
              missing);
    g_free(missing);
  }
  const KqTheme *t = d->theme;
  d->columns = t->columns;
  d->full_w = t->page_width - t->margin_inner - t->margin_outer;
  d->col_w = (d->full_w - (d->columns - 1) * t->column_gap) / d->columns;
  d->text_h = t->page_height - t->margin_top - t->margin_bottom;
  d->font_options = cairo_font_options_create();
  cairo_font_options_set_hint_style(d->font_options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(d->font_options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_antialias(d->font_options, CAIRO_ANTIALIAS_GRAY);
  return TRUE;
}

/* Everything before drawing: the edition cleaned for Cairo, the theme and
 * fonts, the images resolved, and the layout: the plan (d->plan). */
static gboolean lay_out(Doc *d, const KqEdition *edition, const KqWriteOptions *opts,
                        const char *path, KqLog *log, Shadow **shadow, GError **error)
{
  *shadow = clean_edition(edition, path, log);
  d->edition = edition;
  d->ed = *shadow ? &(*shadow)->ed : edition;
  d->opts = opts;
  d->log = log;
  d->fd = -1;
  d->tag_stack = g_ptr_array_new();
  if (!setup(d, opts, error))
    return FALSE;
  d->typo = kq_typo_new(NULL);
  /* load both dictionaries before threads share the engine */
  g_free(kq_typo_hyphenate(d->typo, "typographie", "fr"));
  g_free(kq_typo_hyphenate(d->typo, "typography", "en"));
  /* reading order = group order */
  guint n = 0;
  for (guint g = 0; g < d->ed->groups->len; g++)
    n += ((KqGroup *)g_ptr_array_index(d->ed->groups, g))->articles->len;
  const KqArticle **articles = g_new0(const KqArticle *, n ? n : 1);
  n = 0;
  for (guint g = 0; g < d->ed->groups->len; g++) {
    const KqGroup *grp = g_ptr_array_index(d->ed->groups, g);
    for (guint k = 0; k < grp->articles->len; k++)
      articles[n++] = g_ptr_array_index(grp->articles, k);
  }
  d->articles = articles;
  d->n_articles = n;
  d->plan = kq_plan_new(n, d->ed->groups->len, d->plan_only);
  const KqTheme *t = d->theme;
  d->plan->page_w = t->page_width;
  d->plan->page_h = t->page_height;
  d->plan->margin_top = t->margin_top;
  d->plan->margin_inner = t->margin_inner;
  d->plan->margin_outer = t->margin_outer;
  d->plan->col_w = d->col_w;
  d->plan->column_gap = t->column_gap;
  d->plan->text_h = d->text_h;
  d->plan->columns = d->columns;
  /* images first, serially, in reading order: the resolver's warnings come
   * out in order and the workers then find every answer made */
  d->images = kq_write_options_images(opts, log, &d->own_images);
  for (guint i = 0; i < n; i++)
    kq_image_resolve_article(d->images, articles[i]);
  /* the layout, once: title page, contents (its length does not depend on
   * page numbers), then the body, recording each article's page */
  d->sh = kq_pdf_shaper_new(d->theme, d->font_options, NULL);
  /* the workers lay the articles out while this thread checks the fonts'
   * coverage and lays out the contents */
  FlowJobs jobs = {d, FALSE};
  KqPool *pool = flow_pool(d, &jobs);
  warn_uncovered(d, articles, n);
  d->group = 0;
  new_page(d, PAGE_TITLE);
  layout_contents(d);
  layout_body(d, pool);
  /* their font maps have shaped these texts: the drawing starts with them */
  d->warm_shapers = kq_pool_free_keep_states(pool);
  return TRUE;
}

static void doc_clear(Doc *d, Shadow *shadow)
{
  g_clear_object(&d->heads[0]);
  g_clear_object(&d->heads[1]);
  g_clear_pointer(&d->cr, cairo_destroy);
  g_clear_pointer(&d->surface, cairo_surface_destroy);
  g_clear_pointer(&d->wbuf, g_byte_array_unref);
  kq_pdf_shaper_free(d->sh);
  g_clear_pointer(&d->warm_shapers, g_ptr_array_unref);
  g_clear_pointer(&d->font_options, cairo_font_options_destroy);
  g_clear_pointer(&d->typo, kq_typo_free);
  kq_theme_free(d->theme);
  g_free(d->articles);
  kq_plan_free(d->plan);
  g_clear_pointer(&d->tag_stack, g_ptr_array_unref);
  shadow_free(shadow);
  kq_image_resolver_free(d->own_images);
}

char *kq_pdf_plan_text(const KqEdition *edition, const KqWriteOptions *opts, KqLog *log,
                       GError **error)
{
  Doc doc = {0}, *d = &doc;
  KqWriteOptions defaults;
  if (!opts) {
    kq_write_options_init(&defaults);
    opts = &defaults;
  }
  Shadow *shadow = NULL;
  d->plan_only = TRUE;
  char *text = NULL;
  if (lay_out(d, edition, opts, NULL, log, &shadow, error))
    text = kq_plan_to_text(d->plan);
  doc_clear(d, shadow);
  return text;
}

gboolean kq_pdf_write(const KqEdition *edition, const KqWriteOptions *opts, const char *path,
                      KqLog *log, GError **error)
{
  Doc doc = {0}, *d = &doc;
  gboolean ok = FALSE;
  KqOutput *out = NULL;
  KqWriteOptions defaults;
  if (!opts) {
    kq_write_options_init(&defaults);
    opts = &defaults;
  }
  Shadow *shadow = NULL;
  gint64 t0 = g_get_monotonic_time();
  if (!lay_out(d, edition, opts, path, log, &shadow, error))
    goto out;
  gint64 t1 = g_get_monotonic_time();

  /* Drawing: the plan, page by page. */
  out = kq_output_begin(path, opts->no_clobber, error);
  if (!out)
    goto out;
  d->fd = out->fd;
  d->wbuf = g_byte_array_sized_new(WRITE_BUFFER);
  d->surface = cairo_pdf_surface_create_for_stream(write_fd, d, d->theme->page_width,
                                                   d->theme->page_height);
  cairo_pdf_surface_restrict_to_version(d->surface, CAIRO_PDF_VERSION_1_5);
  gint64 ts = opts->timestamp >= 0 ? opts->timestamp : kq_edition_timestamp(edition);
  set_metadata(d, ts);
  d->cr = cairo_create(d->surface);
  draw_plan(d);
  gint64 t2 = g_get_monotonic_time();
  cairo_destroy(d->cr);
  d->cr = NULL;
  cairo_surface_finish(d->surface);
  /* internal figures: for --debug, not for -v (which says what is skipped and why) */
  KQ_LOG(log, KQ_LOG_DEBUG, path, 0,
         "%u pages; %d paragraph layouts (%d laid out again by Pango: code, centred text); "
         "layout %.2f s, draw %.2f s, fonts and finish %.2f s",
         d->plan->pages->len, kq_pdf_stat_layouts, kq_pdf_stat_relayouts, (t1 - t0) / 1e6,
         (t2 - t1) / 1e6, (g_get_monotonic_time() - t2) / 1e6);
  cairo_status_t st = cairo_surface_status(d->surface);
  if (st == CAIRO_STATUS_SUCCESS && (d->write_errno || !flush_output(d)))
    st = CAIRO_STATUS_WRITE_ERROR;
  if (st != CAIRO_STATUS_SUCCESS) {
    if (d->write_errno)
      g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_IO, "%s: %s", path,
                  g_strerror(d->write_errno));
    else
      g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FORMAT, "%s: cairo: %s", path,
                  cairo_status_to_string(st));
    goto out;
  }
  ok = kq_output_commit(out, error);
  out = NULL;
out:
  kq_output_abort(out);
  doc_clear(d, shadow);
  return ok;
}
