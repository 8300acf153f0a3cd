/* pdf_lines.c: kiosque's own line breaker over one shaping of a paragraph, and its line ends. */
#include <math.h>
#include <string.h>

#include "pdf/pdf_private.h"

#define SHY_CHAR 0x00ADu
#define LSEP "\xE2\x80\xA8"

/*
 * Why not Pango's wrapping: Pango 1.50 reshapes the rest of an item each
 * time it breaks a line inside it, so a paragraph costs shaping quadratic
 * in its length (three times the text on average on the benchmark), and
 * every HY-6 or overflow fix meant laying the paragraph out again. Here a
 * paragraph is shaped once, unwrapped; the breaks are chosen from its
 * character widths and Pango's break opportunities; the layout that is
 * drawn has a U+2028 at each break, so each line is shaped once more.
 */

/* Logical width of every character of an unwrapped layout (Pango units);
 * in hw, for each soft hyphen, the width of the hyphen in its font. */
static int *char_widths(PangoLayout *layout, const gunichar *ch, int n_chars, int **hw)
{
  int *w = g_new0(int, n_chars + 1);
  *hw = g_new0(int, n_chars + 1);
  const char *text = pango_layout_get_text(layout);
  int at_byte = 0, at_char = 0; /* runs come in text order but for bidi */
  for (GSList *l = pango_layout_get_lines_readonly(layout); l; l = l->next) {
    for (GSList *r = ((PangoLayoutLine *)l->data)->runs; r; r = r->next) {
      PangoGlyphItem *run = r->data;
      if (run->item->offset < at_byte)
        at_byte = at_char = 0;
      at_char += (int)g_utf8_pointer_to_offset(text + at_byte, text + run->item->offset);
      at_byte = run->item->offset;
      int first = at_char;
      if (first + run->item->num_chars > n_chars)
        continue;
      pango_glyph_item_get_logical_widths(run, text, w + first);
      int hyphen = -1;
      for (int i = first; i < first + run->item->num_chars; i++) {
        if (ch[i] != SHY_CHAR)
          continue;
        if (hyphen < 0) {
          PangoGlyphString *gs = pango_glyph_string_new();
          kq_pdf_shape_hyphen(&run->item->analysis, gs);
          hyphen = pango_glyph_string_get_width(gs);
          pango_glyph_string_free(gs);
        }
        (*hw)[i] = hyphen;
      }
    }
  }
  return w;
}

typedef struct {
  const gunichar *ch;
  const PangoLogAttr *attrs;
  const int *w;
  const int *hw;      /* hyphen width at each soft hyphen */
  const guint8 *brk;  /* per position: BRK_* (where a line may start) */
  int n;
} Para;

/* Break opportunities, per position (a line may start there). */
#define BRK_NONE 0
#define BRK_WORD 1 /* between words, or at a soft hyphen */
#define BRK_URL 2  /* inside a URL or code span (L-4): no hyphen drawn, a penalty */

/* Width of chars [s, e) as a line ending at e: trailing white space does
 * not count, a soft hyphen before e adds the hyphen's width. */
static int line_width(const Para *p, const gint64 *cum, int s, int e)
{
  int t = e;
  while (t > s && p->attrs[t - 1].is_white)
    t--;
  gint64 width = cum[t] - cum[s];
  if (e > s && p->ch[e - 1] == SHY_CHAR)
    width += p->hw[e - 1];
  return (int)MIN(width, G_MAXINT);
}

/* Whether the token [s, e) looks like a URL, a path or a domain. */
static gboolean token_urlish(const Para *p, int s, int e)
{
  for (int i = s; i < e; i++) {
    if (p->ch[i] == '/')
      return TRUE;
    if (i + 2 < e && p->ch[i] == ':' && p->ch[i + 1] == '/' && p->ch[i + 2] == '/')
      return TRUE;
  }
  return e - s > 4 && p->ch[s] == 'w' && p->ch[s + 1] == 'w' && p->ch[s + 2] == 'w' &&
         p->ch[s + 3] == '.';
}

/* Last-resort break inside the token [s, e) that starts a line or overflows
 * it: the last position where [line_start, q) fits, at a URL or code break
 * (L-4) when there is one, between any two characters otherwise; -1 when
 * none fits. */
static gboolean no_break_space(gunichar c);

static int inner_break(const Para *p, const gint64 *cum, int line_start, int s, int e, int avail)
{
  int best = -1, good = -1, any = -1;
  for (int q = s + 1; q < e; q++) {
    if (!p->attrs[q].is_cursor_position)
      continue;
    if (line_width(p, cum, line_start, q) > avail)
      break;
    any = q;
    if (p->brk[q] == BRK_URL)
      best = q;
    /* else not beside a no-break space, nor before French high
     * punctuation or a closing guillemet (L-1, FR-1) */
    gunichar a = p->ch[q - 1], b = p->ch[q];
    if (!no_break_space(a) && !no_break_space(b) && !p->attrs[q].is_white &&
        !(b < 0x80 && strchr("?!:;,.)", (int)b)) && b != 0xBB && a != 0xAB)
      good = q;
  }
  return best >= 0 ? best : good >= 0 ? good : any;
}

/* First fit (ragged text, and justified text no total fit can set): each
 * line takes as much as fits; a token wider than a line is cut. */
static void first_fit(const Para *p, const gint64 *cum, int first, int other, int full,
                      gboolean whole_words, GArray *breaks)
{
  int hyphens_in_a_row = 0, n = p->n;
  for (int start = 0, line = 0; start < n; line++) {
    int avail = line == 0 ? first : other;
    int best = -1, end = n;
    for (int c = start + 1; c <= n; c++) {
      gboolean mandatory = c < n && p->attrs[c].is_mandatory_break;
      /* HY-6: no third hyphenated line in a row */
      gboolean candidate = c == n || mandatory ||
                           (p->brk[c] && !(p->ch[c - 1] == SHY_CHAR && hyphens_in_a_row >= 2));
      if (candidate && line_width(p, cum, start, c) <= avail) {
        best = c;
        if (mandatory || c == n)
          break;
        continue;
      }
      /* Past the measure already? (A non-white character ends the text so
       * far, so no later opportunity can fit.) Otherwise go on. */
      if (!candidate && (p->attrs[c - 1].is_white || cum[c] - cum[start] <= avail))
        continue;
      /* overflow: break at the last fitting opportunity, unless the token
       * is wider than a whole line (then cut it here); the token is read
       * on only as far as that question needs */
      if (whole_words) { /* L-5: a word wider than the line overflows it */
        if (best < 0) {
          best = c;
          while (best < n && !p->brk[best] && !p->attrs[best].is_mandatory_break)
            best++;
        }
        break;
      }
      int tok = best > 0 ? best : start;
      while (tok < c && p->attrs[tok].is_white)
        tok++;
      int e = c;
      while (e < n && !p->brk[e] && !p->attrs[e].is_mandatory_break &&
             cum[e] - cum[tok] <= full)
        e++;
      if (best < 0 || line_width(p, cum, tok, e) > full) {
        int inner = inner_break(p, cum, start, tok, e, avail);
        if (inner > start)
          best = inner;
      }
      if (best <= start) { /* nothing fits: one character (cluster) per line */
        best = start + 1;
        while (best < n && !p->attrs[best].is_cursor_position)
          best++;
      }
      break;
    }
    end = best > start ? best : n;
    if (end < n) {
      gboolean hyphen = p->ch[end - 1] == SHY_CHAR;
      gboolean mandatory = p->attrs[end].is_mandatory_break;
      hyphens_in_a_row = hyphen ? hyphens_in_a_row + 1 : 0;
      if (!mandatory) {
        int code = end * 2 + (hyphen ? 1 : 0);
        g_array_append_val(breaks, code);
      }
    }
    start = end;
  }
}

/*
 * Total fit (Knuth and Plass, as TeX sets paragraphs) for justified text:
 * the breaks minimising the paragraph's demerits, each line's badness
 * measured by how far its word spaces (R-1: U+0020 and U+00A0) must
 * stretch (half a space at most before it counts as loose) or shrink (
 * 0.4 of a space at most; the drawn line is then justified narrower),
 * with penalties for hyphens, for two hyphenated lines in a row and for
 * lines of fitness classes two apart side by side (TeX's \adjdemerits);
 * never three hyphenated lines in a row (HY-6). The last line and lines
 * before a hard break are set ragged.
 * FALSE when no set of breaks fits (a token wider than the line): first
 * fit then cuts it.
 */
#define KP_LINE_PENALTY 10.0
#define KP_HYPHEN_PENALTY 50.0
#define KP_DOUBLE_HYPHEN 3000.0
#define KP_ADJACENT_FITNESS 10000.0 /* TeX's \adjdemerits (L-8) */
#define KP_EMERGENCY 6.0 /* emergency stretch, in word spaces (about 1.5 em) */
/* adjustment ratio of a hole: spaces about 1 em wide, where justify_lines()
 * leaves a line ragged (MAX_SPACE_STRETCH, 2.3 spaces added to each) */
#define KP_HOLE 4.6
#define KP_URL_PENALTY 50.0         /* a break inside a URL or code span (L-4) */

typedef struct {
  int pos;          /* where the line after this break starts */
  int fitness;      /* of the line ending here: 0 tight, 1 decent, 2 loose, 3 very loose */
  int hyphens;      /* hyphenated lines in a row ending here */
  double demerits;  /* from the start of the paragraph */
  int prev;         /* node of the previous break, -1 for the start */
  double r;         /* adjustment ratio of the line ending here, without emergency stretch */
} KpNode;

/* emergency: stretch (Pango units) added to every line's own when rating
 * it (TeX's \emergencystretch, L-7), so a paragraph spreads its looseness
 * instead of leaving it on one line. Fitness classes are those of the
 * lines as drawn (without the emergency stretch), and strict forbids a
 * very loose line beside a tight one (L-8): TeX's \adjdemerits alone are
 * too small beside the demerits of the very loose lines a narrow measure
 * with URLs must accept (badness in the thousands, squared). *worst: the
 * largest adjustment ratio of the lines chosen (stretch needed over
 * stretch available; last lines, lines before hard breaks and lines with
 * no space, drawn ragged, do not count). */
static gboolean total_fit(const Para *p, const gint64 *cum, int first, int other,
                          double emergency, gboolean strict, double *worst, double *cost,
                          GArray *breaks)
{
  int n = p->n;
  int *sp = g_new(int, n + 1); /* expandable spaces before each position */
  gint64 sp_w = 0;
  sp[0] = 0;
  for (int i = 0; i < n; i++) {
    gboolean e = p->ch[i] == ' ' || p->ch[i] == 0xA0;
    sp[i + 1] = sp[i] + (e ? 1 : 0);
    sp_w += e ? p->w[i] : 0;
  }
  if (sp[n] == 0 || sp_w <= 0) {
    g_free(sp);
    return FALSE;
  }
  double space = (double)sp_w / sp[n], stretch = space / 2, shrink = space / 2.5;
  GArray *nodes = g_array_new(FALSE, FALSE, sizeof(KpNode));
  GArray *active = g_array_new(FALSE, FALSE, sizeof(int));
  KpNode start = {0, 1, 0, 0, -1, 0};
  g_array_append_val(nodes, start);
  int zero = 0;
  g_array_append_val(active, zero);
  gboolean feasible = TRUE;
  for (int c = 1; c <= n && feasible; c++) {
    gboolean mandatory = c < n && p->attrs[c].is_mandatory_break;
    if (c < n && !mandatory && !p->brk[c])
      continue;
    gboolean last = c == n || mandatory;
    gboolean hyphen = !last && p->ch[c - 1] == SHY_CHAR;
    int t = c; /* trailing white space does not count */
    while (t > 0 && p->attrs[t - 1].is_white)
      t--;
    double best[4][3], best_r[4][3];
    int from[4][3];
    for (int f = 0; f < 4; f++)
      for (int h = 0; h < 3; h++)
        best[f][h] = G_MAXDOUBLE, from[f][h] = -1;
    /* the nodes of one position are side by side in active: what their
     * line from there costs is worked out once for them all */
    int at = -1;
    gboolean overfull = FALSE;
    int fit = 0;
    double r_true = 0, line_d = 0;
    for (guint k = 0; k < active->len;) {
      int ai = g_array_index(active, int, k);
      const KpNode *a = &g_array_index(nodes, KpNode, ai);
      if (a->pos != at) {
        at = a->pos;
        int avail = a->pos == 0 ? first : other;
        int te = MAX(t, a->pos);
        double nat = (double)(cum[te] - cum[a->pos]) + (hyphen ? p->hw[c - 1] : 0);
        int spaces = sp[te] - sp[a->pos];
        double r;
        overfull = FALSE;
        if (nat > avail) {
          overfull = last || spaces == 0 || nat - avail > spaces * shrink;
          r = r_true = overfull ? 0 : -(nat - avail) / (spaces * shrink);
        } else if (last) {
          r = r_true = 0;
        } else if (spaces == 0) {
          /* a line with no space (a piece of URL, a lone word) cannot be
           * justified: drawn ragged, it is rated as if it had one space, so
           * a short one costs what it shows, but it is no hole (the
           * emergency pass cannot help it) and its fitness is decent */
          r = (avail - nat) / (stretch + emergency);
          r_true = 0;
        } else {
          r = (avail - nat) / (spaces * stretch + emergency);
          r_true = (avail - nat) / (spaces * stretch);
        }
        fit = r_true < -0.5 ? 0 : r_true <= 0.5 ? 1 : r_true <= 1 ? 2 : 3;
        /* TeX's badness, 100 r^3, capped at 10,000 (r about 4.6), then
         * growing linearly: a paragraph that cannot avoid one very loose
         * line must not load it with the looseness of the others */
        double bad = 100 * fabs(r * r * r);
        if (bad > 10000)
          bad = 10000 * (1 + MAX(fabs(r) - KP_HOLE, 0));
        line_d = (KP_LINE_PENALTY + bad) * (KP_LINE_PENALTY + bad);
        if (hyphen)
          line_d += KP_HYPHEN_PENALTY * KP_HYPHEN_PENALTY;
        if (!last && p->brk[c] == BRK_URL)
          line_d += KP_URL_PENALTY * KP_URL_PENALTY;
      }
      if (overfull) {
        g_array_remove_index(active, k); /* longer from here on */
        continue;
      }
      k++;
      if (hyphen && a->hyphens >= 2)
        continue;
      if (strict && ABS(fit - a->fitness) == 3)
        continue; /* L-8 */
      double d = line_d;
      if (hyphen && a->hyphens > 0)
        d += KP_DOUBLE_HYPHEN;
      if (ABS(fit - a->fitness) > 1)
        d += KP_ADJACENT_FITNESS;
      d += a->demerits;
      int h = hyphen ? a->hyphens + 1 : 0;
      if (d < best[fit][h]) {
        best[fit][h] = d;
        from[fit][h] = ai;
        best_r[fit][h] = r_true;
      }
    }
    if (mandatory) /* no line runs across a hard break */
      g_array_set_size(active, 0);
    for (int f = 0; f < 4; f++)
      for (int h = 0; h < 3; h++) {
        if (from[f][h] < 0)
          continue;
        KpNode nd = {c, f, h, best[f][h], from[f][h], best_r[f][h]};
        g_array_append_val(nodes, nd);
        int ni = (int)nodes->len - 1;
        g_array_append_val(active, ni);
      }
    if (active->len == 0)
      feasible = FALSE;
  }
  int end = -1;
  for (guint i = 0; feasible && i < nodes->len; i++) {
    const KpNode *nd = &g_array_index(nodes, KpNode, i);
    if (nd->pos == n && (end < 0 || nd->demerits < g_array_index(nodes, KpNode, end).demerits))
      end = (int)i;
  }
  *worst = *cost = 0;
  if (end >= 0) {
    GArray *rev = g_array_new(FALSE, FALSE, sizeof(int));
    for (int i = end; i > 0; i = g_array_index(nodes, KpNode, i).prev) {
      double r = g_array_index(nodes, KpNode, i).r;
      *worst = MAX(*worst, r);
      *cost += r > 0 ? MIN(100 * r * r * r, 1e6) : 0;
    }
    for (int i = g_array_index(nodes, KpNode, end).prev; i > 0;
         i = g_array_index(nodes, KpNode, i).prev) {
      const KpNode *nd = &g_array_index(nodes, KpNode, i);
      if (p->attrs[nd->pos].is_mandatory_break)
        continue;
      int code = nd->pos * 2 + (p->ch[nd->pos - 1] == SHY_CHAR ? 1 : 0);
      g_array_append_val(rev, code);
    }
    for (guint i = rev->len; i > 0; i--)
      g_array_append_val(breaks, g_array_index(rev, int, i - 1));
    g_array_unref(rev);
  }
  g_array_unref(active);
  g_array_unref(nodes);
  g_free(sp);
  return end >= 0;
}
/* No-break spaces and joiners (L-1): no line break on either side. */
static gboolean no_break_space(gunichar c)
{
  return c == 0x00A0 || c == 0x202F || c == 0x2007 || c == 0x2060 || c == 0xFEFF;
}

static gboolean is_dash(gunichar c)
{
  return c == 0x2013 || c == 0x2014;
}

static gboolean white_at(const Para *p, int i)
{
  return i < 0 || i >= p->n || p->attrs[i].is_white;
}

/* Where URL and code tokens may break (L-4): after / (not inside //),
 * before . # & = _ ~ - and never after a hyphen of their own; never in the
 * first or last two characters. A query's ? breaks after it rather than
 * before: a line starting with ? reads as French high punctuation (FR-1). */
static gboolean url_break_at(const Para *p, int s, int e, int c)
{
  if (c - s < 2 || e - c < 2)
    return FALSE;
  gunichar a = p->ch[c - 1], b = p->ch[c];
  if (a == '-' || a == 0x2010 || b == '?')
    return FALSE;
  if ((a == '/' || a == '?') && b != '/')
    return TRUE;
  return b < 0x80 && strchr(".#&=_~-", (int)b) != NULL && a != '/' && a != ':' && a != '?';
}

/*
 * Break opportunities of a paragraph: Pango's (UAX #14, soft hyphens),
 * then what French typesetting forbids taken out: a break beside a
 * no-break space of any kind (L-1), inside a range or after a minus sign
 * (L-2), after an opening incise dash or before a closing one (L-3); and
 * inside URLs and code spans (code[i] set), L-4's points instead of
 * Pango's.
 */
static void break_points(const Para *p, const guint8 *code, guint8 *brk)
{
  int n = p->n;
  for (int c = 0; c <= n; c++)
    brk[c] = c > 0 && c < n && p->attrs[c].is_line_break ? BRK_WORD : BRK_NONE;
  /* tokens (white-space delimited): URLs and code spans */
  for (int s = 0; s < n;) {
    if (white_at(p, s)) {
      s++;
      continue;
    }
    int e = s;
    gboolean coded = FALSE;
    for (; e < n && !white_at(p, e); e++)
      coded |= code && code[e];
    if (coded || token_urlish(p, s, e))
      for (int c = s + 1; c < e; c++)
        brk[c] = p->ch[c - 1] == SHY_CHAR ? brk[c]
                 : url_break_at(p, s, e, c) ? BRK_URL
                                             : BRK_NONE;
    s = e;
  }
  /* L-3: spaced dashes open and close incises in turn within a sentence */
  guint8 *incise = g_new0(guint8, n + 1); /* 1 opening, 2 closing */
  gboolean open = FALSE;
  for (int i = 0; i < n; i++) {
    gunichar c = p->ch[i];
    if (c == '.' || c == '!' || c == '?' || c == 0x2028 || c == '\n' || c == 0x2026) {
      open = FALSE;
    } else if (is_dash(c) && white_at(p, i - 1) && white_at(p, i + 1) && i > 0 && i + 1 < n) {
      incise[i] = open ? 2 : 1;
      open = !open;
    }
  }
  for (int c = 1; c < n; c++) {
    if (!brk[c])
      continue;
    gunichar a = p->ch[c - 1], b = p->ch[c];
    if (no_break_space(a) || no_break_space(b)) { /* L-1 */
      brk[c] = BRK_NONE;
      continue;
    }
    if ((a == 0x2013 && !white_at(p, c - 2)) || a == 0x2212 || /* L-2 */
        (b == 0x2013 && !white_at(p, c - 1) && !white_at(p, c + 1))) {
      brk[c] = BRK_NONE;
      continue;
    }
    int before = c - 1, after = c; /* L-3 */
    while (before > 0 && white_at(p, before) && !no_break_space(p->ch[before]))
      before--;
    while (after < n - 1 && white_at(p, after) && !no_break_space(p->ch[after]))
      after++;
    if (incise[before] == 1 || incise[after] == 2)
      brk[c] = BRK_NONE;
  }
  g_free(incise);
}

/* Breaks of the unwrapped paragraph by first fit at width, the first
 * line's width reduced as the others' by the same amount (balance). */
static void fit_at(const Para *p, const gint64 *cum, int first, int other, int full,
                   int narrower, gboolean whole_words, GArray *breaks)
{
  g_array_set_size(breaks, 0);
  first_fit(p, cum, first - narrower, other - narrower, full - narrower, whole_words, breaks);
}

GArray *kq_pdf_break_lines(PangoLayout *unwrapped, double width, double indent, int flags,
                           const GArray *code_spans)
{
  GArray *breaks = g_array_new(FALSE, FALSE, sizeof(int));
  const char *text = pango_layout_get_text(unwrapped);
  int n_attrs = 0;
  const PangoLogAttr *attrs = pango_layout_get_log_attrs_readonly(unwrapped, &n_attrs);
  int n = n_attrs - 1;
  if (n <= 0)
    return breaks;
  gunichar *ch = g_new0(gunichar, n + 1);
  guint8 *code = code_spans && code_spans->len ? g_new0(guint8, n + 1) : NULL;
  const char *q = text;
  guint span = 0;
  for (int i = 0; i < n; i++, q = g_utf8_next_char(q)) {
    ch[i] = g_utf8_get_char(q);
    int at = (int)(q - text);
    while (code && span + 1 < code_spans->len && g_array_index(code_spans, int, span + 1) <= at)
      span += 2;
    if (code && span + 1 < code_spans->len && g_array_index(code_spans, int, span) <= at)
      code[i] = 1;
  }
  int *hw = NULL;
  int *w = char_widths(unwrapped, ch, n, &hw);
  guint8 *brk = g_new0(guint8, n + 1);
  Para p = {ch, attrs, w, hw, brk, n};
  break_points(&p, code, brk);
  gint64 *cum = g_new(gint64, n + 1);
  cum[0] = 0;
  for (int i = 0; i < n; i++)
    cum[i + 1] = cum[i] + p.w[i];
  /* Pango's indent: the first line's when positive, the others' when negative */
  int full = (int)(width * PANGO_SCALE);
  int first = full - (int)(MAX(indent, 0) * PANGO_SCALE);
  int other = full - (int)(MAX(-indent, 0) * PANGO_SCALE);
  gboolean whole = (flags & KQ_BREAK_WHOLE_WORDS) != 0;
  gboolean done = FALSE;
  if (flags & KQ_BREAK_JUSTIFY) {
    /* L-8 strict first. L-7: a hole (a line whose spaces must stretch to
     * about a line height) has the whole paragraph set again with
     * emergency stretch (about 1.5 em) shared by every line, then without
     * L-8 if it must; the first setting without a hole is kept, else the
     * first found (its holes are drawn ragged) */
    gint64 sp_w = 0;
    int sp_n = 0;
    for (int i = 0; i < n; i++)
      if (ch[i] == ' ' || ch[i] == 0xA0)
        sp_w += w[i], sp_n++;
    double emergency = sp_n ? KP_EMERGENCY * (double)sp_w / sp_n : 0;
    static const struct {
      gboolean strict, emergency;
    } passes[] = {{TRUE, FALSE}, {TRUE, TRUE}, {FALSE, FALSE}, {FALSE, TRUE}};
    GArray *again = g_array_new(FALSE, FALSE, sizeof(int));
    for (gsize i = 0; i < G_N_ELEMENTS(passes); i++) {
      double worst = 0, cost = 0;
      g_array_set_size(again, 0);
      if (!total_fit(&p, cum, first, other, passes[i].emergency ? emergency : 0,
                     passes[i].strict, &worst, &cost, again))
        continue;
      if (!done || worst <= KP_HOLE) {
        g_array_set_size(breaks, 0);
        g_array_append_vals(breaks, again->data, again->len);
      }
      done = TRUE;
      if (worst <= KP_HOLE)
        break;
    }
    g_array_unref(again);
  }
  if (!done)
    fit_at(&p, cum, first, other, full, 0, whole, breaks);
  if (!done && (flags & KQ_BREAK_BALANCE) && breaks->len > 0) {
    /* L-5: the narrowest measure that keeps the number of lines (CSS
     * text-wrap: balance), found by bisection */
    guint lines = breaks->len;
    int lo = 0, hi = MIN(first, other) / 2; /* narrower by lo fits; by hi, maybe not */
    GArray *tmp = g_array_new(FALSE, FALSE, sizeof(int));
    fit_at(&p, cum, first, other, full, hi, whole, tmp);
    if (tmp->len <= lines) {
      lo = hi;
    } else {
      while (hi - lo > PANGO_SCALE / 2) {
        int mid = lo + (hi - lo) / 2;
        fit_at(&p, cum, first, other, full, mid, whole, tmp);
        if (tmp->len <= lines)
          lo = mid;
        else
          hi = mid;
      }
    }
    fit_at(&p, cum, first, other, full, lo, whole, breaks);
    g_array_unref(tmp);
  }
  g_free(cum);
  g_free(brk);
  g_free(code);
  g_free(w);
  g_free(hw);
  g_free(ch);
  return breaks;
}

double kq_pdf_widest_word(PangoLayout *unwrapped)
{
  const char *text = pango_layout_get_text(unwrapped);
  int n_attrs = 0;
  const PangoLogAttr *attrs = pango_layout_get_log_attrs_readonly(unwrapped, &n_attrs);
  int n = n_attrs - 1;
  if (n <= 0)
    return 0;
  gunichar *ch = g_new0(gunichar, n + 1);
  const char *q = text;
  for (int i = 0; i < n; i++, q = g_utf8_next_char(q))
    ch[i] = g_utf8_get_char(q);
  int *hw = NULL;
  int *w = char_widths(unwrapped, ch, n, &hw);
  gint64 word = 0, widest = 0;
  for (int i = 0; i < n; i++) {
    /* a no-break space (L-1: "mot :") holds its neighbours in one piece */
    if ((attrs[i].is_white && !no_break_space(ch[i])) || ch[i] == 0x2028) {
      word = 0;
      continue;
    }
    word += w[i];
    widest = MAX(widest, word);
  }
  g_free(w);
  g_free(hw);
  g_free(ch);
  return widest / (double)PANGO_SCALE;
}

void kq_pdf_shape_hyphen(const PangoAnalysis *analysis, PangoGlyphString *gs)
{
  pango_shape("\xE2\x80\x90", 3, analysis, gs); /* U+2010, as Pango draws it */
  if (gs->num_glyphs != 1 || (gs->glyphs[0].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
    pango_shape("-", 1, analysis, gs);
}

/*
 * A layout whose lines end at inserted U+2028 separators: at such a line
 * end, the soft hyphen's empty glyph becomes the hyphen (its text stays the
 * soft hyphen, so the PDF's text has none where no line broke) and the
 * white space before the separator loses its width, as Pango does at the
 * breaks it chooses. soft: byte offsets where an inserted separator starts.
 */
void kq_pdf_fix_line_ends(PangoLayout *layout, const GArray *soft)
{
  const char *text = pango_layout_get_text(layout);
  for (GSList *l = pango_layout_get_lines_readonly(layout); l; l = l->next) {
    PangoLayoutLine *line = l->data;
    int end = line->start_index + line->length;
    if (end < 3 || memcmp(text + end - 3, LSEP, 3) != 0 || !kq_pdf_is_soft_end(soft, end - 3))
      continue;
    int sep = end - 3;
    for (GSList *r = line->runs; r; r = r->next) {
      PangoGlyphItem *run = r->data;
      PangoGlyphString *gs = run->glyphs;
      for (int g = 0; g < gs->num_glyphs; g++) {
        int idx = run->item->offset + gs->log_clusters[g];
        if (idx >= sep)
          continue;
        const char *after = g_utf8_next_char(text + idx);
        gboolean at_end = (int)(after - text) == sep;
        gunichar c = g_utf8_get_char(text + idx);
        if (at_end && c == SHY_CHAR) {
          PangoGlyphString *h = pango_glyph_string_new();
          kq_pdf_shape_hyphen(&run->item->analysis, h);
          if (h->num_glyphs == 1) {
            gs->glyphs[g].glyph = h->glyphs[0].glyph;
            gs->glyphs[g].geometry = h->glyphs[0].geometry;
          }
          pango_glyph_string_free(h);
        } else if (g_unichar_isspace(c)) {
          /* trailing white space of the line */
          const char *k = after;
          while ((int)(k - text) < sep && g_unichar_isspace(g_utf8_get_char(k)))
            k = g_utf8_next_char(k);
          if ((int)(k - text) == sep)
            gs->glyphs[g].geometry.width = 0;
        }
      }
    }
  }
}

gboolean kq_pdf_is_soft_end(const GArray *soft, int offset)
{
  if (!soft)
    return FALSE;
  /* sorted ascending: binary search */
  guint lo = 0, hi = soft->len;
  while (lo < hi) {
    guint mid = (lo + hi) / 2;
    int v = g_array_index(soft, int, mid);
    if (v == offset)
      return TRUE;
    if (v < offset)
      lo = mid + 1;
    else
      hi = mid;
  }
  return FALSE;
}

/* Index of the line holding byte offset b (starts ascending, starts[0] 0). */
static guint line_of(const int *starts, guint n, int b)
{
  guint lo = 0, hi = n;
  while (hi - lo > 1) {
    guint mid = (lo + hi) / 2;
    if (starts[mid] <= b)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

/* The logical top and height of glyphs [g, g1) of gs in font (Pango units),
 * as pango_glyph_string_extents_range() unions them, asking the font for
 * one glyph of the usual kind rather than for each: a fontconfig font's
 * logical extents are its ascender and descender whatever the glyph
 * (pango_fc_font_get_raw_extents(), PangoCairo's font extents), so only
 * the glyphs it measures otherwise, empty and unknown (hex boxes), are
 * asked one by one. Asking for each glyph (a hash lookup per glyph in a
 * PangoFT2 font) cost 1.7 % of a PDF's instructions. */
static void segment_logical(const PangoGlyphString *gs, int g, int g1, PangoFont *font, int *y,
                            int *height)
{
  gboolean usual_asked = FALSE, first = TRUE;
  int top = 0, bottom = 0;
  for (int k = g; k < g1; k++) {
    PangoGlyph glyph = gs->glyphs[k].glyph;
    gboolean usual = glyph != PANGO_GLYPH_EMPTY && !(glyph & PANGO_GLYPH_UNKNOWN_FLAG);
    if (usual && usual_asked)
      continue;
    usual_asked |= usual;
    PangoRectangle r;
    pango_font_get_glyph_extents(font, glyph, NULL, &r);
    top = first ? r.y : MIN(top, r.y);
    bottom = first ? r.y + r.height : MAX(bottom, r.y + r.height);
    first = FALSE;
  }
  *y = top;
  *height = bottom - top;
}

/*
 * Line ascent and descent from the runs of layout, whatever its own lines:
 * the text cut at starts gives the lines. Each run's logical extents over
 * the glyphs of a line, moved by the run's baseline shift, as Pango
 * unions them for a line; separators (U+2028) do not count, so the text
 * laid out unwrapped and the same text laid out with its breaks inserted
 * measure alike. A line without glyphs keeps asc = desc = -1.
 */
void kq_pdf_lines_extents(PangoLayout *layout, const int *starts, guint n, double *asc,
                          double *desc, guint8 *hyphen)
{
  const char *text = pango_layout_get_text(layout);
  int len = (int)strlen(text);
  for (guint i = 0; i < n; i++) {
    asc[i] = desc[i] = -1;
    int e = i + 1 < n ? starts[i + 1] : len;
    while (e > starts[i] && (text[e - 1] == '\n' || text[e - 1] == '\r'))
      e--;
    if (e - starts[i] >= 3 && memcmp(text + e - 3, LSEP, 3) == 0)
      e -= 3;
    hyphen[i] = e - starts[i] >= 2 && (guchar)text[e - 2] == 0xC2 && (guchar)text[e - 1] == 0xAD;
  }
  for (GSList *l = pango_layout_get_lines_readonly(layout); l; l = l->next) {
    for (GSList *r = ((PangoLayoutLine *)l->data)->runs; r; r = r->next) {
      PangoGlyphItem *run = r->data;
      PangoGlyphString *gs = run->glyphs;
      for (int g = 0; g < gs->num_glyphs;) {
        int b = run->item->offset + gs->log_clusters[g];
        guint li = line_of(starts, n, b);
        int g1 = g + 1;
        while (g1 < gs->num_glyphs &&
               line_of(starts, n, run->item->offset + gs->log_clusters[g1]) == li)
          g1++;
        /* a segment of separators only adds nothing */
        gboolean seps = TRUE;
        for (int k = g; k < g1 && seps; k++) {
          int at = run->item->offset + gs->log_clusters[k];
          seps = at + 3 <= len && memcmp(text + at, LSEP, 3) == 0;
        }
        if (!seps) {
          int ly, lh;
          segment_logical(gs, g, g1, run->item->analysis.font, &ly, &lh);
          double y = (ly - run->y_offset) / (double)PANGO_SCALE;
          asc[li] = MAX(asc[li], -y);
          desc[li] = MAX(desc[li], y + lh / (double)PANGO_SCALE);
        }
        g = g1;
      }
    }
  }
}
