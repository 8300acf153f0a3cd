/* pdf_plan.c: the page plan: pages, placements and chosen line breaks, and its text form for golden tests. */
#include <string.h>

#include "pdf/pdf_plan.h"

/* ---- Chosen line breaks ------------------------------------------------ */

typedef struct {
  guint key;
  guint offset, n;          /* codes[offset, offset + n) */
  guint text_off, text_len; /* the lines' text in text, '\n' after each */
  gboolean wrapped;         /* lines Pango wrapped (no codes) */
  double scale;             /* a display text's scale (kq_plan_breaks_set_scale()) */
} Entry;

struct KqPlanBreaks {
  GArray *index; /* Entry, keys ascending */
  GArray *codes; /* int */
  GString *text; /* NULL unless with_text */
};

KqPlanBreaks *kq_plan_breaks_new(gboolean with_text)
{
  KqPlanBreaks *b = g_new0(KqPlanBreaks, 1);
  b->index = g_array_new(FALSE, FALSE, sizeof(Entry));
  b->codes = g_array_new(FALSE, FALSE, sizeof(int));
  b->text = with_text ? g_string_new(NULL) : NULL;
  return b;
}

void kq_plan_breaks_free(KqPlanBreaks *b)
{
  if (!b)
    return;
  g_array_unref(b->index);
  g_array_unref(b->codes);
  if (b->text)
    g_string_free(b->text, TRUE);
  g_free(b);
}

gboolean kq_plan_breaks_with_text(const KqPlanBreaks *b)
{
  return b && b->text;
}

/* Appends one line of text[s, e) as read: soft hyphens, line and paragraph
 * separators and zero-width spaces left out, trailing spaces dropped, a
 * hyphen where the line ends at a soft hyphen. */
static void append_line(GString *out, const char *text, int s, int e)
{
  gsize start = out->len;
  gboolean shy_end = FALSE;
  for (const char *p = text + s; p < text + e;) {
    gunichar c = g_utf8_get_char(p);
    const char *nx = g_utf8_next_char(p);
    if (c == 0xAD) {
      shy_end = TRUE; /* stays TRUE only when nothing visible follows */
    } else if (c == 0x2028 || c == 0x2029 || c == 0x200B || c == '\n' || c == '\r') {
      /* not drawn */
    } else {
      if (c != ' ')
        shy_end = FALSE;
      g_string_append_len(out, p, nx - p);
    }
    p = nx;
  }
  while (out->len > start && out->str[out->len - 1] == ' ')
    g_string_truncate(out, out->len - 1);
  if (shy_end)
    g_string_append_c(out, '-');
  g_string_append_c(out, '\n');
}

void kq_plan_breaks_add(KqPlanBreaks *b, guint key, const int *codes, guint n, gboolean wrapped,
                        const char *text, const int *starts, guint n_starts)
{
  if (b->index->len) {
    const Entry *last = &g_array_index(b->index, Entry, b->index->len - 1);
    g_return_if_fail(last->key < key);
  }
  Entry e = {key, b->codes->len, n, 0, 0, wrapped, 1};
  if (n)
    g_array_append_vals(b->codes, codes, n);
  if (b->text && text && starts) {
    e.text_off = (guint)b->text->len;
    int len = (int)strlen(text);
    for (guint i = 0; i < n_starts; i++)
      append_line(b->text, text, starts[i], i + 1 < n_starts ? starts[i + 1] : len);
    e.text_len = (guint)b->text->len - e.text_off;
  }
  g_array_append_val(b->index, e);
}

static const Entry *find_entry(const KqPlanBreaks *b, guint key)
{
  guint lo = 0, hi = b ? b->index->len : 0;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    const Entry *e = &g_array_index(b->index, Entry, mid);
    if (e->key == key)
      return e;
    if (e->key < key)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

static const int *entry_codes(const KqPlanBreaks *b, const Entry *e, guint *n)
{
  static const int none[1] = {0};
  *n = e->n;
  return e->n ? &g_array_index(b->codes, int, e->offset) : none;
}

void kq_plan_breaks_set_scale(KqPlanBreaks *b, guint key, double scale)
{
  Entry *e = (Entry *)find_entry(b, key);
  g_return_if_fail(e != NULL);
  e->scale = scale;
}

double kq_plan_breaks_scale(const KqPlanBreaks *b, guint key)
{
  const Entry *e = find_entry(b, key);
  return e ? e->scale : 1;
}

const int *kq_plan_breaks_find_wrapped(const KqPlanBreaks *b, guint key, guint *n)
{
  const Entry *e = find_entry(b, key);
  if (!e || !e->wrapped) {
    *n = 0;
    return NULL;
  }
  return entry_codes(b, e, n);
}

const int *kq_plan_breaks_find(const KqPlanBreaks *b, guint key, guint *n)
{
  const Entry *e = find_entry(b, key);
  if (!e || e->wrapped) {
    *n = 0;
    return NULL;
  }
  /* a paragraph on one line has no codes: a valid, empty answer */
  return entry_codes(b, e, n);
}

/* ---- Pages and placements ---------------------------------------------- */

KqPlan *kq_plan_new(guint n_articles, guint n_groups, gboolean with_text)
{
  KqPlan *p = g_new0(KqPlan, 1);
  p->pages = g_array_new(FALSE, FALSE, sizeof(KqPlanPage));
  p->places = g_array_new(FALSE, FALSE, sizeof(KqPlacement));
  p->n_articles = n_articles;
  p->n_groups = n_groups;
  p->articles = g_new0(KqPlanArticle, n_articles ? n_articles : 1);
  p->group_page = g_new0(int, n_groups ? n_groups : 1);
  p->toc_breaks = kq_plan_breaks_new(with_text);
  return p;
}

void kq_plan_free(KqPlan *p)
{
  if (!p)
    return;
  g_array_unref(p->pages);
  g_array_unref(p->places);
  for (guint i = 0; i < p->n_articles; i++)
    kq_plan_breaks_free(p->articles[i].breaks);
  g_free(p->articles);
  g_free(p->group_page);
  kq_plan_breaks_free(p->toc_breaks);
  g_free(p);
}

KqPlanPage *kq_plan_add_page(KqPlan *p, KqPlanPageKind kind, guint group)
{
  KqPlanPage pg = {kind, (int)p->pages->len + 1, group, -1, p->places->len, 0};
  g_array_append_val(p->pages, pg);
  return &g_array_index(p->pages, KqPlanPage, p->pages->len - 1);
}

KqPlacement *kq_plan_add_place(KqPlan *p, guint article, guint item, guint first, guint end,
                               int col, double x, double y, const char *tag)
{
  g_return_val_if_fail(p->pages->len > 0, NULL);
  KqPlacement pl = {article, item, first, end, x, y, (guint8)col, 0, tag};
  g_array_append_val(p->places, pl);
  g_array_index(p->pages, KqPlanPage, p->pages->len - 1).n++;
  return &g_array_index(p->places, KqPlacement, p->places->len - 1);
}

double kq_plan_col_left(const KqPlan *p, int number, int col)
{
  double left = (number % 2) ? p->margin_inner : p->margin_outer;
  return left + col * (p->col_w + p->column_gap);
}

/* ---- Text form --------------------------------------------------------- */

/* The lines [first, end) of paragraph key, "| " before each ("~| " for
 * lines Pango wrapped), after label (a table cell's). */
static void append_lines(GString *out, const KqPlanBreaks *b, guint key, guint first, guint end,
                         const char *label)
{
  const Entry *e = find_entry(b, key);
  if (!e || !b->text || !e->text_len)
    return;
  const char *p = b->text->str + e->text_off, *stop = p + e->text_len;
  for (guint i = 0; p < stop; i++) {
    const char *nl = memchr(p, '\n', (gsize)(stop - p));
    if (!nl)
      break;
    if (i >= first && i < end)
      g_string_append_printf(out, "    %s%s| %.*s\n", label, e->wrapped ? "~" : " ",
                             (int)(nl - p), p);
    p = nl + 1;
  }
}

char *kq_plan_to_text(const KqPlan *p)
{
  static const char *const kinds[] = {"title", "contents", "part", "body"};
  GString *out = g_string_new(NULL);
  g_string_append_printf(out,
                         "plan: page %.2f x %.2f pt, %d column%s %.2f pt wide, text %.2f pt "
                         "high, %u pages\n",
                         p->page_w, p->page_h, p->columns, p->columns == 1 ? "" : "s", p->col_w,
                         p->text_h, p->pages->len);
  for (guint i = 0; i < p->pages->len; i++) {
    const KqPlanPage *pg = &g_array_index(p->pages, KqPlanPage, i);
    g_string_append_printf(out, "page %d %s", pg->number, kinds[pg->kind]);
    if (pg->kind == KQ_PLAN_BODY || pg->kind == KQ_PLAN_PART)
      g_string_append_printf(out, " group %u", pg->group);
    if (pg->opens_group >= 0)
      g_string_append_printf(out, " opens g%d", pg->opens_group);
    g_string_append_c(out, '\n');
    for (guint k = pg->first; k < pg->first + pg->n; k++) {
      const KqPlacement *pl = &g_array_index(p->places, KqPlacement, k);
      double x = kq_plan_col_left(p, pg->number, pl->col) + pl->x;
      if (pl->flags & KQ_PLACE_TOC) {
        g_string_append_printf(out, "  entry %c%u -> page %d: x %.2f y %.2f lines [%u, %u)\n",
                               (pl->flags & KQ_PLACE_GROUP) ? 'g' : 'a', pl->article,
                               (pl->flags & KQ_PLACE_GROUP) ? p->group_page[pl->article]
                                                            : p->articles[pl->article].page,
                               x, pl->y, pl->first, pl->end);
        append_lines(out, p->toc_breaks, pl->item, pl->first, pl->end, "");
        continue;
      }
      g_string_append_printf(out, "  a%u.%u %s col %d x %.2f y %.2f lines [%u, %u)%s%s\n",
                             pl->article, pl->item, pl->tag ? pl->tag : "-", pl->col, x, pl->y,
                             pl->first, pl->end, (pl->flags & KQ_PLACE_FIRST) ? " first" : "",
                             (pl->flags & KQ_PLACE_LAST) ? " last" : "");
      if (pl->article >= p->n_articles)
        continue;
      const KqPlanBreaks *breaks = p->articles[pl->article].breaks;
      append_lines(out, breaks, KQ_PLAN_KEY(pl->item, 0), pl->first, pl->end, "");
      for (guint c = 1; c < 32; c++) { /* a table row's cells, all of them on its one line */
        char label[16];
        g_snprintf(label, sizeof label, "cell %u ", c - 1);
        append_lines(out, breaks, KQ_PLAN_KEY(pl->item, c), 0, G_MAXUINT, label);
      }
    }
  }
  return g_string_free(out, FALSE);
}
