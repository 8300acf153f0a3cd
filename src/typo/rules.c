/* rules.c: the G-4, FR-* and EN-* rule passes of typographie.md over a working paragraph (typo_private.h). */
#include "typo/typo_private.h"

#include <string.h>

/* ---- Character classes (typographie.md §0) ------------------------------- */

#define NBSP 0x00A0u
#define NNBSP 0x202Fu
#define MINUS 0x2212u
#define ELLIPSIS 0x2026u
#define EN_DASH 0x2013u
#define EM_DASH 0x2014u
#define RSQUO 0x2019u
#define LSQUO 0x2018u
#define LDQUO 0x201Cu
#define RDQUO 0x201Du
#define LAQUO 0x00ABu
#define RAQUO 0x00BBu
#define LSAQUO 0x2039u
#define RSAQUO 0x203Au
/* FR-3: the space inside guillemets, in one place (typographie.md §6). */
#define FR_GUILLEMET_SPACE NBSP

/* S: a space run character. */
static inline gboolean is_S(gunichar c)
{
  return c == 0x20 || c == 0x09 || c == NBSP || c == NNBSP || c == 0x2009;
}
/* Whitespace for contexts: S or a line break. */
static inline gboolean is_ws(gunichar c) { return is_S(c) || c == '\n'; }
/* Paragraph (or line) boundary; 0 stands for "outside the paragraph". */
static inline gboolean is_bound(gunichar c) { return c == 0 || c == '\n'; }
static inline gboolean is_letter(gunichar c)
{
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return c != KQ_OPAQUE && g_unichar_isalpha(c);
}
static inline gboolean is_adigit(gunichar c) { return c >= '0' && c <= '9'; }
static inline gboolean is_word(gunichar c)
{
  if (c < 0x80)
    return c == '_' || is_adigit(c) || is_letter(c);
  return c != KQ_OPAQUE && (g_unichar_isalpha(c) || g_unichar_isdigit(c));
}
static inline gboolean is_upper(gunichar c)
{
  if (c < 0x80)
    return c >= 'A' && c <= 'Z';
  return g_unichar_isupper(c);
}
static gboolean in_set(gunichar c, const gunichar *set)
{
  if (c == 0)
    return FALSE;
  for (; *set; set++)
    if (*set == c)
      return TRUE;
  return FALSE;
}
static gsize ulen(const gunichar *s)
{
  gsize n = 0;
  while (s[n])
    n++;
  return n;
}

/* ---- Editor ------------------------------------------------------------------ */

void kq_chbuf_grow(ChBuf *b, gsize extra)
{
  if (b->n + extra <= b->cap)
    return;
  gsize cap = b->cap ? b->cap : 64;
  while (cap < b->n + extra)
    cap *= 2;
  b->v = g_renew(Ch, b->v, cap);
  b->cap = cap;
}

static void buf_reserve(ChBuf *b, gsize extra) { kq_chbuf_grow(b, extra); }

static void buf_append(ChBuf *b, const Ch *src, gsize n)
{
  if (n == 0)
    return;
  buf_reserve(b, n);
  memcpy(b->v + b->n, src, n * sizeof(Ch));
  b->n += n;
}

void kq_ed_begin(Ed *e, Para *p)
{
  e->para = p;
  e->in = p->cur.v;
  e->n = p->cur.n;
  e->done = 0;
  e->changed = FALSE;
}

void kq_ed_end(Ed *e)
{
  if (!e->changed)
    return;
  Para *p = e->para;
  buf_append(&p->tmp, e->in + e->done, e->n - e->done);
  ChBuf t = p->cur;
  p->cur = p->tmp;
  p->tmp = t;
  p->tmp.n = 0;
}

/* Runs one rule as one pass of the editor: the rule reads the paragraph as
 * it stands and describes its edits, applied when it returns. */
static void run(Para *p, void (*rule)(Ed *e))
{
  Ed e;
  kq_ed_begin(&e, p);
  rule(&e);
  kq_ed_end(&e);
}

/* As run(), for the rules whose French and English forms differ. */
static void run_lang(Para *p, void (*rule)(Ed *e, gboolean french), gboolean french)
{
  Ed e;
  kq_ed_begin(&e, p);
  rule(&e, french);
  kq_ed_end(&e);
}

/* Starts replacing in[from..to): copies what precedes, skips the range.
 * FALSE (nothing done) when an earlier edit already consumed `from`. */
static gboolean ed_rep(Ed *e, gsize from, gsize to)
{
  if (from < e->done)
    return FALSE;
  Para *p = e->para;
  if (!e->changed) {
    p->tmp.n = 0;
    buf_reserve(&p->tmp, e->n + 16); /* the edited text, about as long: one allocation */
    buf_append(&p->tmp, e->in, from);
    e->changed = TRUE;
  } else {
    buf_append(&p->tmp, e->in + e->done, from - e->done);
  }
  e->done = to;
  return TRUE;
}

static void ed_put(Ed *e, gunichar c, guint32 run, guint32 flags)
{
  kq_chbuf_push(&e->para->tmp, c, run, flags);
}

static void ed_put_orig(Ed *e, gsize i)
{
  buf_append(&e->para->tmp, e->in + i, 1);
}

#define C(i) at(e, (gssize)(i))
static inline gunichar at(const Ed *e, gssize i)
{
  return (i < 0 || (gsize)i >= e->n) ? 0 : e->in[i].c;
}

/* Run tag for a character inserted at position i (before in[i]). */
static guint32 run_at(const Ed *e, gsize i)
{
  if (i < e->n)
    return e->in[i].run;
  return e->n ? e->in[e->n - 1].run : 0;
}

/* Replaces in[i] by c. */
static void set_char(Ed *e, gsize i, gunichar c)
{
  if (e->in[i].c == c)
    return;
  if (ed_rep(e, i, i + 1))
    ed_put(e, c, e->in[i].run, e->in[i].flags & (CH_SUP));
}

/* Makes in[from..to) (a space run, possibly empty) exactly one c (G-3);
 * an inserted character joins the run of the character after it. */
static void set_space(Ed *e, gsize from, gsize to, gunichar c)
{
  if (to == from + 1 && e->in[from].c == c)
    return;
  guint32 run = from < to ? e->in[from].run : run_at(e, from);
  if (ed_rep(e, from, to))
    ed_put(e, c, run, 0);
}

/* The same, but an inserted character joins the run of the one before. */
static void set_space_after(Ed *e, gsize from, gsize to, gunichar c)
{
  if (to == from + 1 && e->in[from].c == c)
    return;
  guint32 run = from < to ? e->in[from].run : e->in[from - 1].run;
  if (ed_rep(e, from, to))
    ed_put(e, c, run, 0);
}

static void delete_range(Ed *e, gsize from, gsize to)
{
  if (from < to)
    ed_rep(e, from, to);
}

/* Start of the space run ending at i (exclusive). */
static gsize space_start(const Ed *e, gsize i)
{
  while (i > 0 && is_S(e->in[i - 1].c))
    i--;
  return i;
}
static gsize space_end(const Ed *e, gsize i)
{
  while (i < e->n && is_S(e->in[i].c))
    i++;
  return i;
}

/* Length of w matched at in[i], 0 when it does not match. */
static gsize match_at(const Ed *e, gsize i, const gunichar *w)
{
  gsize k = 0;
  for (; w[k]; k++)
    if (i + k >= e->n || e->in[i + k].c != w[k])
      return 0;
  return k;
}
/* w matched ending just before i (in[i-len..i)); returns its start or -1. */
static gssize match_before(const Ed *e, gsize i, const gunichar *w)
{
  gsize l = ulen(w);
  if (l > i)
    return -1;
  return match_at(e, i - l, w) ? (gssize)(i - l) : -1;
}

/* Which rule triggers a paragraph holds, so passes with nothing to do are
 * skipped without scanning. */
enum {
  T_APOS = 1 << 0,  /* ' */
  T_DQ = 1 << 1,    /* " “ ” */
  T_GUILL = 1 << 2, /* « » ‹ › */
  T_DOT = 1 << 3,   /* . … */
  T_DASH = 1 << 4,  /* - – — */
  T_DIGIT = 1 << 5,
  T_ROMAN = 1 << 6, /* I V X */
  T_LOW = 1 << 7,   /* , . ( ) [ ] */
  T_HIGH = 1 << 8,  /* ; : ! ? */
};

static guint triggers(const Para *p)
{
  guint m = 0;
  for (gsize i = 0; i < p->cur.n; i++) {
    gunichar c = p->cur.v[i].c;
    if (c < 0x80) {
      if (c >= 'a' && c <= 'z')
        continue;
      switch (c) {
      case '\'': m |= T_APOS; break;
      case '"': m |= T_DQ; break;
      case '.': m |= T_DOT | T_LOW; break;
      case '-': m |= T_DASH; break;
      case ',': case '(': case ')': case '[': case ']': m |= T_LOW; break;
      case ';': case ':': case '!': case '?': m |= T_HIGH; break;
      case 'I': case 'V': case 'X': m |= T_ROMAN; break;
      default:
        if (c >= '0' && c <= '9')
          m |= T_DIGIT;
      }
    } else {
      switch (c) {
      case LDQUO: case RDQUO: m |= T_DQ; break;
      case LAQUO: case RAQUO: case LSAQUO: case RSAQUO: m |= T_GUILL; break;
      case ELLIPSIS: m |= T_DOT; break;
      case EN_DASH: case EM_DASH: m |= T_DASH; break;
      default: break;
      }
    }
  }
  return m;
}

/* ---- G-4 Whitespace ---------------------------------------------------------- */

static void whitespace(Ed *e)
{
  gsize n = e->n;
  /* Trim the paragraph: leading and trailing spaces and line breaks. */
  gsize a = 0, b = n;
  while (a < n && is_ws(e->in[a].c))
    a++;
  while (b > a && is_ws(e->in[b - 1].c))
    b--;
  delete_range(e, 0, a);
  for (gsize i = a; i < b;) {
    if (!is_S(e->in[i].c)) {
      i++;
      continue;
    }
    gsize j = i;
    while (j < b && is_S(e->in[j].c))
      j++;
    if (C((gssize)i - 1) == '\n' || C(j) == '\n') {
      delete_range(e, i, j); /* spaces at a line's ends */
      i = j;
      continue;
    }
    /* runs of U+0020 / U+0009 become one U+0020 */
    for (gsize k = i; k < j;) {
      gunichar c = e->in[k].c;
      if (c != 0x20 && c != 0x09) {
        k++;
        continue;
      }
      gsize m = k;
      while (m < j && (e->in[m].c == 0x20 || e->in[m].c == 0x09))
        m++;
      if (m != k + 1 || c != 0x20)
        set_space(e, k, m, 0x20);
      k = m;
    }
    i = j;
  }
  delete_range(e, b, n);
}

void kq_typo_whitespace(Para *p)
{
  run(p, whitespace);
}

/* ---- FR-5 Apostrophe ------------------------------------------------------------ */

static void fr5_apostrophe(Ed *e)
{
  for (gsize i = 0; i < e->n; i++) {
    if (e->in[i].c != '\'')
      continue;
    gunichar nx = C(i + 1);
    if (is_letter(C(i - 1)) &&
        (is_letter(nx) || is_adigit(nx) || nx == LAQUO || nx == LDQUO || nx == '"'))
      set_char(e, i, RSQUO);
  }
}

/* ---- FR-4 / EN-2 Double quotes ------------------------------------------------ */

typedef enum {
  QK_GUILL,           /* typed « */
  QK_CURLY_TO_GUILL,  /* fr: typed “ at depth 0, written « */
  QK_CURLY,           /* typed “ kept */
  QK_STRAIGHT_OUTER,  /* " written « (fr) or “ (en) */
  QK_STRAIGHT_INNER,  /* " written “ (fr) or ‘ (en) */
} QuoteKind;

#define QUOTE_STACK_MAX 64

static const gunichar OPEN_CTX[] = {'(', '[', '{', LAQUO, LDQUO, LSQUO, EM_DASH, EN_DASH, '-', '/',
                                    RSQUO, '\'', 0};
static const gunichar CLOSE_CTX[] = {'.', ',', ';', ':', '!', '?', ')', ']', '}', RAQUO, RDQUO,
                                     RSQUO, ELLIPSIS, 0};

static void quotes(Ed *e, gboolean french)
{
  gsize n_straight = 0;
  for (gsize i = 0; i < e->n; i++)
    if (e->in[i].c == '"')
      n_straight++;
  gboolean do_straight = n_straight % 2 == 0;
  QuoteKind stack[QUOTE_STACK_MAX];
  gsize depth = 0, stored = 0, straight_open = 0;
#define PUSH(k)                          \
  do {                                   \
    if (depth < QUOTE_STACK_MAX)         \
      stack[stored++] = (k);             \
    depth++;                             \
    if ((k) == QK_STRAIGHT_OUTER || (k) == QK_STRAIGHT_INNER) \
      straight_open++;                   \
  } while (0)
#define TOP() (depth > 0 && depth <= QUOTE_STACK_MAX ? stack[depth - 1] : QK_GUILL)
#define POP()                                                         \
  do {                                                                \
    QuoteKind k_ = TOP();                                             \
    if (k_ == QK_STRAIGHT_OUTER || k_ == QK_STRAIGHT_INNER)           \
      straight_open--;                                                \
    if (depth <= QUOTE_STACK_MAX)                                     \
      stored--;                                                       \
    depth--;                                                          \
  } while (0)

  for (gsize i = 0; i < e->n; i++) {
    gunichar c = e->in[i].c;
    if (french && c == LAQUO) {
      PUSH(QK_GUILL);
    } else if (french && c == RAQUO) {
      QuoteKind k = TOP();
      if (depth > 0 && (k == QK_GUILL || k == QK_CURLY_TO_GUILL || k == QK_STRAIGHT_OUTER))
        POP();
    } else if (c == LDQUO) {
      if (french && depth == 0) {
        set_char(e, i, LAQUO);
        PUSH(QK_CURLY_TO_GUILL);
      } else {
        PUSH(QK_CURLY);
      }
    } else if (c == RDQUO) {
      QuoteKind k = TOP();
      if (depth > 0 && (k == QK_CURLY || k == QK_CURLY_TO_GUILL || k == QK_STRAIGHT_INNER ||
                        (!french && k == QK_STRAIGHT_OUTER))) {
        if (k == QK_CURLY_TO_GUILL)
          set_char(e, i, RAQUO);
        POP();
      }
    } else if (c == '"' && do_straight) {
      gunichar pv = C((gssize)i - 1), nx = C(i + 1);
      gboolean opening = i == 0 || is_ws(pv) || in_set(pv, OPEN_CTX);
      gboolean closing = i + 1 == e->n || is_ws(nx) || in_set(nx, CLOSE_CTX);
      gboolean open;
      if (opening && !closing)
        open = TRUE;
      else if (closing && !opening)
        open = FALSE;
      else
        open = straight_open == 0;
      if (open) {
        if (depth == 0) {
          set_char(e, i, french ? LAQUO : LDQUO);
          PUSH(QK_STRAIGHT_OUTER);
        } else {
          set_char(e, i, french ? LDQUO : LSQUO);
          PUSH(QK_STRAIGHT_INNER);
        }
      } else if (depth == 0) {
        set_char(e, i, french ? RAQUO : RDQUO);
      } else {
        QuoteKind k = TOP();
        gboolean outer_form = k == QK_GUILL || k == QK_CURLY_TO_GUILL || k == QK_STRAIGHT_OUTER ||
                              (!french && k == QK_CURLY);
        if (french)
          set_char(e, i, outer_form ? RAQUO : RDQUO);
        else
          set_char(e, i, outer_form ? RDQUO : RSQUO);
        POP();
      }
    }
  }
#undef PUSH
#undef TOP
#undef POP
}

/* ---- EN-3 Apostrophes and single quotes -------------------------------------- */

static gboolean ascii_ieq(const Ed *e, gsize i, const char *w)
{
  for (gsize k = 0; w[k]; k++) {
    gunichar c = C(i + k);
    if (c >= 0x80 || g_ascii_tolower((char)c) != w[k])
      return FALSE;
  }
  return TRUE;
}

static void en3_apostrophe(Ed *e)
{
  static const char *const elisions[] = {"em", "til", "tis", "twas", "cause", NULL};
  static const gunichar OPEN_SQ[] = {'(', '[', '{', LDQUO, EM_DASH, EN_DASH, 0};
  for (gsize i = 0; i < e->n; i++) {
    if (e->in[i].c != '\'')
      continue;
    gunichar pv = C((gssize)i - 1), nx = C(i + 1);
    gunichar out = RSQUO;
    if (is_letter(pv) && (is_letter(nx) || is_adigit(nx))) {
      out = RSQUO;
    } else {
      gboolean elision = FALSE;
      /* 'NNs decades, 'n', 'em, 'til, 'tis, 'twas, 'cause */
      if (is_adigit(nx) && is_adigit(C(i + 2)) && C(i + 3) == 's' && !is_word(C(i + 4)))
        elision = TRUE;
      if ((nx == 'n' || nx == 'N') && (C(i + 2) == '\'' || C(i + 2) == RSQUO))
        elision = TRUE;
      for (int k = 0; !elision && elisions[k]; k++) {
        gsize l = strlen(elisions[k]);
        if (ascii_ieq(e, i + 1, elisions[k]) && !is_letter(C(i + 1 + l)))
          elision = TRUE;
      }
      if (elision)
        out = RSQUO;
      else if ((i == 0 || is_ws(pv) || in_set(pv, OPEN_SQ)) && (is_letter(nx) || is_adigit(nx)))
        out = LSQUO;
    }
    set_char(e, i, out);
  }
}

/* ---- FR-6 / EN-5 Ellipsis -------------------------------------------------------- */

static gboolean after_etc(const Ed *e, gsize i)
{
  gssize s = match_before(e, i, U"etc");
  return s >= 0 && !is_letter(C(s - 1));
}

static void ellipsis(Ed *e)
{
  for (gsize i = 0; i < e->n;) {
    gunichar c = e->in[i].c;
    if (c == '.') {
      gsize j = i;
      while (j < e->n && e->in[j].c == '.')
        j++;
      if (j - i == 3 && ed_rep(e, i, j))
        ed_put(e, after_etc(e, i) ? '.' : ELLIPSIS, e->in[i].run, 0);
      i = j;
      continue;
    }
    /* (not before a `.`: the `.` written would join it into a dot run
     * this rule reads again, `etc…..` giving `etc...` then `etc.`, G-3) */
    if (c == ELLIPSIS && after_etc(e, i) && C(i + 1) != '.')
      set_char(e, i, '.');
    i++;
  }
}

/* ---- FR-11 / EN-4 Dashes and ranges ------------------------------------------ */

/* A dash token at i: '-' x 1..3, or one en/em dash; returns its length. */
static gsize dash_token(const Ed *e, gsize i)
{
  gunichar c = e->in[i].c;
  if (c == EN_DASH || c == EM_DASH)
    return 1;
  if (c != '-')
    return 0;
  gsize j = i;
  while (j < e->n && e->in[j].c == '-')
    j++;
  if (i > 0 && e->in[i - 1].c == '-')
    return 0;
  return j - i <= 3 ? j - i : 0;
}

static gsize fr_unit_at(const Ed *e, gsize i);

/* FR-11b: 1-4 digits '-' 1-4 digits at the '-' in i. In French, a time's
 * `h` or a unit glued to a number does not count as a word character:
 * FR-8 will separate it (8h05-10h, 2-8h). */
static gboolean is_range(const Ed *e, gsize i, gboolean french)
{
  /* (U+2212 counts as `-`: FR-7d writes it after this pass, G-3) */
  static const gunichar BEFORE[] = {'.', ',', '/', ':', '-', MINUS, EN_DASH, 0};
  static const gunichar AFTER[] = {'/', '-', MINUS, EN_DASH, 0};
  if (!is_adigit(C((gssize)i - 1)) || !is_adigit(C(i + 1)))
    return FALSE;
  gssize a = (gssize)i - 1;
  while (a > 0 && is_adigit(C(a - 1)))
    a--;
  if ((gssize)i - a > 4)
    return FALSE;
  gunichar pv = C(a - 1);
  /* (FR-8d hours, `8h05` or `8 h05`, become `8\u00A0h\u00A005`) */
  gboolean time_h = french && pv == 'h' &&
                    (is_adigit(C(a - 2)) || (is_S(C(a - 2)) && is_adigit(C(a - 3))));
  if ((is_word(pv) && !time_h) || in_set(pv, BEFORE))
    return FALSE;
  gsize b = i + 1;
  while (is_adigit(C(b)))
    b++;
  if (b - (i + 1) > 4)
    return FALSE;
  gunichar nx = C(b);
  gboolean unit = french && ((nx == 'h' && !is_letter(C(b + 1))) || fr_unit_at(e, b));
  if ((is_word(nx) && !unit) || in_set(nx, AFTER))
    return FALSE;
  if ((nx == '.' || nx == ',' || nx == ':') && is_adigit(C(b + 1)))
    return FALSE;
  return TRUE;
}

/* FR-11a sentence restart: `. ! ? …` (closing quotes/brackets allowed) +
 * space + uppercase letter or « “. */
static gboolean sentence_restart(const Ed *e, gsize i)
{
  static const gunichar CLOSERS[] = {RAQUO, RDQUO, ')', ']', RSQUO, RSAQUO, '"', 0};
  gsize j = i + 1;
  gboolean space = FALSE;
  while (j < e->n && (in_set(e->in[j].c, CLOSERS) || is_S(e->in[j].c))) {
    if (is_S(e->in[j].c)) {
      /* (the space before a closing guillemet is FR-3's, not a sentence's:
       * FR-3 inserts it, G-3) */
      gsize t = space_end(e, j);
      if (C(t) != RAQUO && C(t) != RSAQUO)
        space = TRUE;
      j = t;
      continue;
    }
    j++;
  }
  gunichar c = C(j);
  return space && (is_upper(c) || c == LAQUO || c == LDQUO);
}

/* Spaces FR-3, FR-12, FR-1/FR-2 own, or shared with another dash. */
static const gunichar OWNED_BEFORE[] = {LAQUO, LSAQUO, '(', '[', '-', EN_DASH, EM_DASH, 0};
static const gunichar OWNED_AFTER[] = {RAQUO, RSAQUO, ';', ':', '!', '?', ')', ']', ',', '.', 0};

/* The dash [i, j) stands alone between two words: a space on each side,
 * and no space nor paragraph bound beyond them (FR-11a incise, EN-4
 * spaced dash). */
static gboolean spaced_between_words(const Ed *e, gsize i, gsize j)
{
  return i >= 2 && is_S(C(i - 1)) && !is_ws(C(i - 2)) && !is_bound(C(i - 2)) && is_S(C(j)) &&
         j + 1 < e->n && !is_ws(C(j + 1));
}

/* FR-11b, EN-4 ranges: the dash token [i, j), a lone '-' between the
 * numbers of a range (is_range()), becomes an en dash. Returns the token's
 * last index, where the rule's walk goes on. */
static gsize dash_range(Ed *e, gsize i, gsize j, gboolean french)
{
  if (e->in[i].c == '-' && j - i == 1 && is_range(e, i, french))
    set_char(e, i, EN_DASH);
  return j - 1;
}

static void fr11_dashes(Ed *e)
{
  guint count = 0;
  for (gsize i = 0; i < e->n; i++) {
    gunichar c = e->in[i].c;
    if (c == '.' || c == '!' || c == '?' || c == ELLIPSIS) {
      if (sentence_restart(e, i))
        count = 0;
      continue;
    }
    if (c == '\n') {
      count = 0;
      continue;
    }
    gsize len = dash_token(e, i);
    if (len == 0)
      continue;
    gsize j = i + len;
    gunichar sb = C((gssize)i - 1), sa = C(j);
    /* a: an incise, one space on each side, a non-space character before. */
    /* Any S counts as the space (FR-2 may have made it U+00A0), except a
     * space that belongs to a guillemet (FR-3) or to ; : ! ? (FR-1, FR-2). */
    gunichar cb = C((gssize)i - 2), ca = C(j + 1);
    if (spaced_between_words(e, i, j) && !in_set(cb, OWNED_BEFORE) && !in_set(ca, OWNED_AFTER) &&
        i - 1 >= e->done) {
      gunichar dash = c == '-' ? (len == 3 ? EM_DASH : EN_DASH) : c;
      count++;
      gunichar before = count % 2 ? 0x20 : NBSP, after = count % 2 ? NBSP : 0x20;
      if (!(sb == before && sa == after && len == 1 && c == dash) && ed_rep(e, i - 1, j + 1)) {
        ed_put(e, before, e->in[i - 1].run, 0);
        ed_put(e, dash, e->in[i].run, 0);
        ed_put(e, after, e->in[j].run, 0);
      }
      i = j;
      continue;
    }
    /* b: ranges. */
    i = dash_range(e, i, j, TRUE);
  }
}

static void en4_dashes(Ed *e)
{
  for (gsize i = 0; i < e->n; i++) {
    gsize len = dash_token(e, i);
    if (len == 0)
      continue;
    gunichar c = e->in[i].c;
    gsize j = i + len;
    if (!(c == '-' && len == 3)) {
      /* spaced dash between words: closed em dash (Chicago). */
      if (spaced_between_words(e, i, j)) {
        if (ed_rep(e, i - 1, j + 1))
          ed_put(e, EM_DASH, e->in[i].run, 0);
        i = j;
        continue;
      }
      if (c == '-' && len == 2 && is_letter(C((gssize)i - 1)) && is_letter(C(j))) {
        if (ed_rep(e, i, j))
          ed_put(e, EM_DASH, e->in[i].run, 0);
        i = j - 1;
        continue;
      }
    }
    i = dash_range(e, i, j, FALSE);
  }
}

/* ---- FR-7 Numbers ------------------------------------------------------------------ */


/* FR-7d: '-' after start, whitespace, ( or [ and before a digit: minus sign. */
static void fr7_minus(Ed *e)
{
  for (gsize i = 0; i < e->n; i++) {
    if (e->in[i].c != '-' || !is_adigit(C(i + 1)))
      continue;
    gunichar pv = C((gssize)i - 1);
    if (i == 0 || is_ws(pv) || pv == '(' || pv == '[' || pv == LAQUO || pv == LSAQUO)
      set_char(e, i, MINUS);
  }
}

static gboolean is_group_sep(gunichar c) { return c == NBSP || c == 0x2009 || c == NNBSP; }

/* Exactly three ASCII digits at i, not followed by a fourth. */
static gboolean digits3(const Ed *e, gsize i)
{
  return is_adigit(C(i)) && is_adigit(C(i + 1)) && is_adigit(C(i + 2)) && !is_adigit(C(i + 3));
}

/* FR-7a: a cue word (n°, page, réf., …) before the number at i. */
static gboolean after_id_cue(const Ed *e, gsize i)
{
  static const gunichar *const cues[] = {U"n°", U"N°", U"nº", U"no", U"No", U"numéro",
                                         U"réf.", U"art.", U"article", U"p.", U"pp.", U"page", NULL};
  gsize k = space_start(e, i);
  for (int c = 0; cues[c]; c++) {
    gssize s = match_before(e, k, cues[c]);
    if (s >= 0 && !is_letter(C(s - 1)))
      return TRUE;
  }
  return FALSE;
}

static gboolean colon_spaced_after(const Ed *e, gsize i);

/* The digits at i follow an hour's `h` (digits, optional S, `h`, optional
 * S): FR-8d minutes, which FR-8d separates from the `h` (G-3). */
static gboolean after_hour(const Ed *e, gsize i)
{
  gssize k = (gssize)i - 1;
  if (is_S(C(k)))
    k--;
  if (C(k) != 'h')
    return FALSE;
  k--;
  if (is_S(C(k)))
    k--;
  return is_adigit(C(k));
}

static void fr7_grouping(Ed *e)
{
  static const gunichar BEFORE[] = {'.', ',', '/', ':', '#', '-', 0};
  static const gunichar AFTER[] = {'/', ':', '-', 0};
  for (gsize i = 0; i < e->n; i++) {
    if (!is_adigit(e->in[i].c))
      continue;
    gunichar pv = C((gssize)i - 1);
    gsize j = i;
    while (j < e->n && is_adigit(e->in[j].c))
      j++;
    gsize len = j - i;
    if (is_word(pv) || in_set(pv, BEFORE) || after_hour(e, i)) {
      i = j - 1;
      continue;
    }
    gunichar nx = C(j);
    if (len >= 5) {
      /* a: group a long number. */
      gunichar nx2 = C(j + 1);
      /* (a colon FR-2 will space is no glue, G-3) */
      gboolean glued = in_set(nx, AFTER) && !(nx == ':' && colon_spaced_after(e, j));
      gboolean in_groups = (is_group_sep(nx) && is_adigit(nx2)) ||
                           (is_group_sep(pv) && is_adigit(C((gssize)i - 2)));
      gboolean ok = e->in[i].c != '0' && (!is_word(nx) || fr_unit_at(e, j)) && !glued &&
                    !in_groups &&
                    !(nx == '.' && is_adigit(C(j + 1))) && !after_id_cue(e, i) &&
                    !(len == 5 && is_S(nx) && is_upper(C(j + 1)));
      if (ok && ed_rep(e, i, j)) {
        gsize first = len % 3 ? len % 3 : 3;
        for (gsize k = 0; k < len; k++) {
          if (k == first || (k > first && (k - first) % 3 == 0))
            ed_put(e, NNBSP, e->in[i + k].run, 0);
          ed_put_orig(e, i + k);
        }
      }
    } else if (len <= 3 && is_group_sep(nx) && digits3(e, j + 1) && !after_id_cue(e, i)) {
      /* b: groups already separated by no-break or thin spaces. */
      gsize k = j;
      while (is_group_sep(C(k)) && digits3(e, k + 1))
        k += 4;
      /* (a unit glued to the number is no word: FR-8 separates it) */
      if (!is_word(C(k)) || fr_unit_at(e, k)) {
        for (gsize s = j; s < k; s += 4)
          set_char(e, s, NNBSP);
      }
      j = k;
    }
    i = j - 1;
  }
}

/* ---- FR-9 Ordinals ---------------------------------------------------------------------- */

typedef struct {
  const gunichar *typed;
  const gunichar *canon;
} Suffix;

/* Longest typed forms first. */
static const Suffix SUF_ONE[] = {
    {U"ières", U"res"}, {U"ères", U"res"}, {U"eres", U"res"}, {U"ière", U"re"}, {U"iers", U"ers"},
    {U"ère", U"re"},    {U"ere", U"re"},   {U"ier", U"er"},   {U"ers", U"ers"}, {U"res", U"res"},
    {U"er", U"er"},     {U"re", U"re"},    {NULL, NULL}};
static const Suffix SUF_N[] = {{U"ièmes", U"es"}, {U"èmes", U"es"}, {U"emes", U"es"},
                               {U"ième", U"e"},   {U"ème", U"e"},   {U"eme", U"e"},
                               {U"es", U"es"},    {U"è", U"e"},     {U"e", U"e"},
                               {NULL, NULL}};
static const Suffix SUF_TWO[] = {{U"ndes", U"des"}, {U"nds", U"ds"}, {U"nde", U"de"},
                                 {U"des", U"des"},   {U"nd", U"d"},   {U"ds", U"ds"},
                                 {U"de", U"de"},     {U"d", U"d"},    {NULL, NULL}};
static const Suffix SUF_ROMAN_ONE[] = {{U"ère", U"re"}, {U"er", U"er"}, {U"re", U"re"}, {NULL, NULL}};

/* The suffix at i: not followed by a word char or an optional sign and a
 * digit (1e10, 2e+5). Returns the entry or NULL. */
static const Suffix *match_suffix(const Ed *e, gsize i, const Suffix *table)
{
  for (const Suffix *s = table; s->typed; s++) {
    gsize l = match_at(e, i, s->typed);
    if (!l)
      continue;
    gunichar nx = C(i + l);
    if (is_word(nx))
      continue;
    if ((nx == '+' || nx == '-' || nx == MINUS) && is_adigit(C(i + l + 1)))
      continue;
    return s;
  }
  return NULL;
}

static gboolean roman_valid(const gunichar *r, gsize n, int *value)
{
  /* X{0,3}(IX|IV|V?I{0,3}) */
  gsize k = 0;
  int v = 0;
  while (k < n && k < 3 && r[k] == 'X') {
    k++;
    v += 10;
  }
  if (k + 1 < n + 1 && k + 2 == n && r[k] == 'I' && (r[k + 1] == 'X' || r[k + 1] == 'V')) {
    v += r[k + 1] == 'X' ? 9 : 4;
    k += 2;
  } else {
    if (k < n && r[k] == 'V') {
      v += 5;
      k++;
    }
    gsize ones = 0;
    while (k < n && r[k] == 'I' && ones < 3) {
      k++;
      ones++;
      v++;
    }
  }
  *value = v;
  return k == n && n > 0;
}

/* FR-9b: a one-letter Roman numeral needs one of these nouns after it. */
static gboolean roman_noun_follows(const Ed *e, gsize i)
{
  static const gunichar *const nouns[] = {U"siècles", U"siècle", U"République", U"arrondissement",
                                          U"millénaire", U"édition", NULL};
  if (!is_S(C(i)))
    return FALSE;
  for (int k = 0; nouns[k]; k++) {
    gsize l = match_at(e, i + 1, nouns[k]);
    if (l && !is_letter(C(i + 1 + l)))
      return TRUE;
  }
  return FALSE;
}

/* Writes in[i..d) unchanged, the canonical suffix as superscript, then
 * (FR-9c) a no-break space instead of a single U+0020 before a letter. */
static void put_ordinal(Ed *e, gsize i, gsize d, const Suffix *s, gboolean nbsp_after)
{
  gsize end = d + ulen(s->typed);
  gboolean space = nbsp_after && C(end) == 0x20 && is_letter(C(end + 1));
  if (!ed_rep(e, i, space ? end + 1 : end))
    return;
  for (gsize k = i; k < d; k++)
    ed_put_orig(e, k);
  guint32 run = e->in[d].run;
  for (const gunichar *c = s->canon; *c; c++)
    ed_put(e, *c, run, CH_SUP);
  if (space)
    ed_put(e, NBSP, e->in[end].run, 0);
}

static void fr9_ordinals(Ed *e)
{
  for (gsize i = 0; i < e->n; i++) {
    gunichar c = e->in[i].c;
    gunichar pv = C((gssize)i - 1);
    if (!(is_adigit(c) || c == 'I' || c == 'V' || c == 'X'))
      continue;
    if (is_word(pv) || pv == '.' || pv == ',') {
      continue;
    }
    if (is_adigit(c)) {
      gsize d = i;
      while (is_adigit(C(d)))
        d++;
      const Suffix *s = NULL;
      if (d - i == 1 && c == '1')
        s = match_suffix(e, d, SUF_ONE);
      else if (c != '0') {
        if (d - i == 1 && c == '2')
          s = match_suffix(e, d, SUF_TWO);
        if (!s)
          s = match_suffix(e, d, SUF_N);
      }
      if (s) {
        put_ordinal(e, i, d, s, TRUE);
        i = d + ulen(s->typed) - 1;
      } else {
        i = d - 1;
      }
      continue;
    }
    gsize d = i;
    gunichar roman[8];
    while (d - i < 8 && (C(d) == 'I' || C(d) == 'V' || C(d) == 'X')) {
      roman[d - i] = C(d);
      d++;
    }
    int value = 0;
    if (is_word(C(d)) == FALSE || d - i >= 8 || !roman_valid(roman, d - i, &value)) {
      i = d - 1;
      continue;
    }
    const Suffix *s = NULL;
    gboolean ier = FALSE;
    if (value == 1) {
      s = match_suffix(e, d, SUF_ROMAN_ONE);
      ier = TRUE;
    } else {
      s = match_suffix(e, d, SUF_N);
      if (s && d - i == 1 && !roman_noun_follows(e, d + ulen(s->typed)))
        s = NULL;
    }
    if (s) {
      put_ordinal(e, i, d, s, !ier);
      i = d + ulen(s->typed) - 1;
    } else {
      i = d - 1;
    }
  }
}

/* ---- FR-8 / EN-6 Units, dates, times ------------------------------------------ */

static const gunichar *const FR_UNITS[] = {
    U"%",   U"‰",   U"€",     U"$",      U"£",      U"¥",      U"k€",   U"M€",   U"Md€", U"°C",
    U"°F",  U"km/h", U"km",   U"cm",     U"mm",     U"µm",     U"μm",   U"nm",   U"m",   U"kg",
    U"mg",  U"g",   U"ms",    U"µs",     U"μs",     U"ns",     U"min",  U"s",    U"Hz",  U"kHz",
    U"MHz", U"GHz", U"THz",   U"W",      U"kW",     U"MW",     U"GW",   U"TW",   U"Wh",  U"kWh",
    U"MWh", U"GWh", U"TWh",   U"V",      U"mAh",    U"o",      U"ko",   U"Ko",   U"Mo",  U"Go",
    U"To",  U"Po",  U"bit",   U"kbit/s", U"Mbit/s", U"Gbit/s", U"Mb/s", U"Gb/s", U"Mo/s", U"Go/s",
    U"px",  U"dpi", U"ppp",   U"fps",    U"i/s",    U"dB",     NULL};
static const gunichar *const EN_UNITS[] = {
    U"°C",  U"°F",   U"km/h", U"km",  U"cm",  U"mm",  U"nm",   U"m",    U"kg",   U"mg",  U"g",
    U"ms",  U"s",    U"min",  U"h",   U"Hz",  U"kHz", U"MHz",  U"GHz",  U"W",    U"kW",  U"MW",
    U"GW",  U"Wh",   U"kWh",  U"MWh", U"GWh", U"TWh", U"V",    U"mAh",  U"KB",   U"kB",  U"MB",
    U"GB",  U"TB",   U"PB",   U"Kbps", U"Mbps", U"Gbps", U"Mb/s", U"Gb/s", U"MB/s", U"GB/s", U"px",
    U"dpi", U"fps",  U"dB",   NULL};
static const gunichar *const FR_COUNT_WORDS[] = {
    U"mille",   U"millions", U"million", U"milliards", U"milliard", U"billions",
    U"billion", U"euros",    U"euro",    U"dollars",   U"dollar",   U"centimes",
    U"centime", U"pouces",   U"pouce",   NULL};
static const gunichar *const FR_MONTHS[] = {U"janvier", U"février", U"mars",      U"avril",
                                            U"mai",     U"juin",    U"juillet",   U"août",
                                            U"septembre", U"octobre", U"novembre", U"décembre",
                                            NULL};

/* The longest unit at i not followed by a word char or '/'; returns its length. */
static gsize match_unit(const Ed *e, gsize i, const gunichar *const *units)
{
  gsize best = 0;
  for (int k = 0; units[k]; k++) {
    gsize l = match_at(e, i, units[k]);
    if (l > best && !is_word(C(i + l)) && C(i + l) != '/')
      best = l;
  }
  return best;
}

/* An FR-8 unit at i (FR-7a groups a number glued to one: 250000Go). */
static gsize fr_unit_at(const Ed *e, gsize i) { return match_unit(e, i, FR_UNITS); }

static gsize match_word_list(const Ed *e, gsize i, const gunichar *const *words)
{
  for (int k = 0; words[k]; k++) {
    gsize l = match_at(e, i, words[k]);
    if (l && !is_letter(C(i + l)))
      return l;
  }
  return 0;
}

/* NUMBER (FR-8) starting at i (a digit or U+2212): its end, or 0. */
static gsize fr_number_end(const Ed *e, gsize i)
{
  static const gunichar BEFORE[] = {'.', ',', '/', ':', '-', 0};
  gunichar pv = C((gssize)i - 1);
  if (is_word(pv) || in_set(pv, BEFORE))
    return 0;
  gsize k = i;
  if (C(k) == MINUS)
    k++;
  if (!is_adigit(C(k)))
    return 0;
  while (is_adigit(C(k)))
    k++;
  while (C(k) == NNBSP && digits3(e, k + 1))
    k += 4;
  if (C(k) == ',' && is_adigit(C(k + 1))) {
    k++;
    while (is_adigit(C(k)))
      k++;
  }
  return k;
}

/* FR-8d: a time at i; writes it and returns its end, or 0. */
static gsize fr8_time(Ed *e, gsize i)
{
  gunichar pv = C((gssize)i - 1);
  if (is_word(pv) || pv == ':')
    return 0;
  gsize d = i;
  while (is_adigit(C(d)) && d - i < 3)
    d++;
  if (d - i > 2)
    return 0;
  gsize h = d;
  if (is_S(C(h)))
    h++;
  if (C(h) != 'h')
    return 0;
  gsize m = h + 1;
  if (is_S(C(m)))
    m++;
  /* (two digits followed by a spaced `h`, or by U+00A0 and an FR-8a unit,
   * are the next hour or a quantity, not minutes: `1h 11h` and `2h 22o`
   * become `1\u00A0h 11\u00A0h` and `2\u00A0h 22\u00A0o`, whose digits a
   * second run must not take for minutes, G-3; a U+0020 before a unit is
   * left to the minutes, `8h30 s’ouvre`) */
  gsize nh = is_S(C(m + 2)) ? m + 3 : m + 2;
  gboolean next_hour = C(nh) == 'h' && !is_word(C(nh + 1)) && C(nh + 1) != '/';
  gboolean quantity = C(m + 2) == NBSP && fr_unit_at(e, m + 3);
  gboolean minutes = is_adigit(C(m)) && is_adigit(C(m + 1)) && !is_word(C(m + 2)) &&
                     C(m + 2) != '/' && !next_hour && !quantity;
  if (!minutes && (is_word(C(h + 1)) || C(h + 1) == '/'))
    return 0;
  gsize end = minutes ? m + 2 : h + 1;
  if (d + 1 == h && C(d) == NBSP && (!minutes || (m == h + 2 && C(h + 1) == NBSP)))
    return end; /* already canonical */
  if (!ed_rep(e, i, end))
    return end;
  for (gsize k = i; k < d; k++)
    ed_put_orig(e, k);
  ed_put(e, NBSP, e->in[d].run, 0);
  ed_put_orig(e, h);
  if (minutes) {
    ed_put(e, NBSP, e->in[h].run, 0);
    ed_put_orig(e, m);
    ed_put_orig(e, m + 1);
  }
  return end;
}

static void fr8_units(Ed *e)
{
  for (gsize i = 0; i < e->n;) {
    gunichar c = e->in[i].c;
    gunichar pv = C((gssize)i - 1);
    /* c: month + S + four-digit year. */
    if ((c == 'j' || c == 'f' || c == 'm' || c == 'a' || c == 's' || c == 'o' || c == 'n' ||
         c == 'd') && !is_letter(pv)) {
      gsize l = match_word_list(e, i, FR_MONTHS);
      if (l) {
        gsize s = i + l, y = space_end(e, s);
        if (y > s && is_adigit(C(y)) && is_adigit(C(y + 1)) && is_adigit(C(y + 2)) &&
            is_adigit(C(y + 3)) && !is_word(C(y + 4)))
          set_space(e, s, y, NBSP);
        i = s;
        continue;
      }
      i++;
      continue;
    }
    gboolean start = (c == MINUS && is_adigit(C(i + 1))) ||
                     (is_adigit(c) && !is_adigit(pv) && pv != MINUS &&
                      !(pv == NNBSP && is_adigit(C((gssize)i - 2))));
    if (!start) {
      i++;
      continue;
    }
    gsize k = fr_number_end(e, i);
    if (k) {
      gsize u = space_end(e, k);
      gsize l = match_unit(e, u, FR_UNITS);
      if (l) { /* a */
        set_space(e, k, u, NBSP);
        i = u + l;
        continue;
      }
      if (u > k && (l = match_word_list(e, u, FR_COUNT_WORDS))) { /* b */
        set_space(e, k, u, NBSP);
        i = u + l;
        continue;
      }
      /* c: day (1er, 1-31) + S + month. */
      gsize dend = k;
      if (c != MINUS && k - i <= 2) {
        int day = (int)(C(i) - '0');
        if (k - i == 2)
          day = day * 10 + (int)(C(i + 1) - '0');
        if (day == 1 && C(k) == 'e' && C(k + 1) == 'r')
          dend = k + 2;
        gsize m = space_end(e, dend);
        if (day >= 1 && day <= 31 && m > dend && match_word_list(e, m, FR_MONTHS)) {
          set_space(e, dend, m, NBSP);
          i = m;
          continue;
        }
      }
    }
    if (is_adigit(c)) { /* d */
      gsize t = fr8_time(e, i);
      if (t) {
        i = t;
        continue;
      }
    }
    i++;
  }
}

/* EN-6: NUMBER (digits, optional sign, . and , groups) + S + % or unit. */
static void en6_units(Ed *e)
{
  static const gunichar BEFORE[] = {'.', ',', '/', ':', '-', 0};
  for (gsize i = 0; i < e->n; i++) {
    gunichar c = e->in[i].c;
    gunichar pv = C((gssize)i - 1);
    gboolean sign = (c == '-' || c == MINUS) && is_adigit(C(i + 1)) &&
                    (i == 0 || is_ws(pv) || pv == '(' || pv == '[');
    if (!sign && !(is_adigit(c) && !is_adigit(pv)))
      continue;
    if (!sign && (is_word(pv) || in_set(pv, BEFORE) || pv == MINUS))
      continue;
    gsize k = sign ? i + 1 : i;
    while (is_adigit(C(k)) || ((C(k) == '.' || C(k) == ',') && is_adigit(C(k + 1))))
      k++;
    gsize u = space_end(e, k);
    if (u > k && C(u) == '%') {
      delete_range(e, k, u);
    } else if (u > k) {
      gsize l = match_unit(e, u, EN_UNITS);
      if (l)
        set_space(e, k, u, NBSP);
    }
    i = k - 1;
  }
}

/* ---- FR-10 / EN-7 Abbreviations ----------------------------------------------- */

static gboolean fr12_glues(const Ed *e, gsize i, gboolean french);

/* The first abbreviation of list at i followed by what `need` says ('A':
 * one S then a capital; '1': one S then a digit; '0': optional S then a
 * digit) gets U+00A0 after it. An abbreviation's final `.` may be typed
 * after a space FR-12 will remove (`Prof . X` becomes `Prof.\u00A0X` at
 * once, G-3). */
static void abbrev_space(Ed *e, gsize i, const gunichar *const *list, char need, gboolean french)
{
  for (int k = 0; list[k]; k++) {
    gsize l = match_at(e, i, list[k]);
    if (!l) {
      gsize w = ulen(list[k]);
      if (list[k][w - 1] != '.')
        continue;
      gsize d = i;
      while (d - i < w - 1 && d < e->n && e->in[d].c == list[k][d - i])
        d++;
      if (d - i < w - 1)
        continue;
      gsize dot = space_end(e, d);
      if (dot == d || C(dot) != '.' || !fr12_glues(e, dot, french))
        continue;
      l = dot + 1 - i;
    }
    gsize s = need == '0' ? space_end(e, i + l) : i + l + 1;
    gboolean ok = need == '0' ? is_adigit(C(s))
                              : is_S(C(i + l)) && (need == 'A' ? is_upper(C(s)) : is_adigit(C(s)));
    if (ok) {
      set_space(e, i + l, s, NBSP);
      return;
    }
  }
}

static void abbreviations(Ed *e, gboolean french)
{
  static const gunichar *const FR_TITLES[] = {U"MM.",  U"M.",    U"Mmes", U"Mme", U"Mlles", U"Mlle",
                                              U"Me",   U"Dr",    U"Pr",   U"Mgr", NULL};
  static const gunichar *const FR_NUMBERED[] = {U"pp.", U"p.", U"art.", U"chap.", U"fig.", U"vol.", NULL};
  static const gunichar *const FR_NUMERO[] = {U"n°", U"N°", U"nº", NULL};
  static const gunichar *const EN_TITLES[] = {U"Mrs.", U"Mr.", U"Ms.", U"Dr.", U"Prof.", U"St.", NULL};
  guint8 first[128] = {0};
  first['M'] = first['D'] = first['P'] = first['S'] = 1;
  if (french)
    first['n'] = first['N'] = first['p'] = first['a'] = first['c'] = first['f'] = first['v'] = 1;
  for (gsize i = 0; i < e->n; i++) {
    gunichar c = e->in[i].c;
    /* first letters of every abbreviation below */
    if (c >= 0x80 ? c != 0xA7 : !first[c])
      continue;
    if (is_word(C((gssize)i - 1)))
      continue;
    if (c == 0xA7) { /* § + optional S + digit */
      gsize s = space_end(e, i + 1);
      if (is_adigit(C(s)))
        set_space(e, i + 1, s, NBSP);
      continue;
    }
    if (c == 'M' || c == 'D' || c == 'P' || c == 'S') /* titles + space + capital */
      abbrev_space(e, i, french ? FR_TITLES : EN_TITLES, 'A', french);
    else if (c == 'n' || c == 'N') /* n° + optional space + digit */
      abbrev_space(e, i, FR_NUMERO, '0', french);
    else /* p. art. … + space + digit */
      abbrev_space(e, i, FR_NUMBERED, '1', french);
  }
}

/* ---- FR-12 Low punctuation and brackets -------------------------------------- */

static gboolean emoticon_start(const Ed *e, gsize i);

/* FR-1/FR-2 will insert a space before in[j] (j > 0, in[j-1] not a space). */
static gboolean fr_high_spaces_before(const Ed *e, gsize j)
{
  static const gunichar TIGHT[] = {'!', '?', '(', '[', 0};
  gunichar c = e->in[j].c;
  if (c != ';' && c != '!' && c != '?' && c != ':')
    return FALSE;
  if (in_set(e->in[j - 1].c, TIGHT) || is_bound(e->in[j - 1].c) || emoticon_start(e, j))
    return FALSE;
  return c != ':' || colon_spaced_after(e, j);
}

/* A later French rule will insert a space before in[j] (0 < j < n, inside
 * a token): FR-1/FR-2 before ; ! ? :, FR-3 after « and before ». */
static gboolean fr_splits_before(const Ed *e, gsize j)
{
  gunichar c = e->in[j].c, pv = e->in[j - 1].c;
  if (pv == LAQUO || pv == LSAQUO)
    return TRUE;
  if (c == RAQUO || c == RSAQUO)
    return TRUE;
  return fr_high_spaces_before(e, j);
}

/* G-2 tokens are split on whitespace (and em dashes) before the rules run.
 * Removing the space run before the mark at i glues the token that starts
 * at i to the one before it; the glued token must protect the same spans
 * on a second run (G-3). It does when what is glued only holds characters
 * G-2b strips from a token's end, and, after a protected span, only
 * characters G-2c also strips from an emoticon. Tokens end where a later
 * French rule will insert a space. */
static gboolean glue_keeps_tokens(const Ed *e, gsize k, gsize i, gboolean french)
{
  static const gunichar TRAIL[] = {'.', ',', ';', ':', '!', '?', ')', ']', '}', RAQUO, RDQUO,
                                   '"', '\'', RSQUO, ELLIPSIS, 0};
  static const gunichar EMO_TRAIL[] = {'.', ',', ';', ':', '!', '?', ELLIPSIS, 0};
  gboolean closers = FALSE;
  for (gsize j = i; j < e->n && !is_ws(e->in[j].c) && e->in[j].c != EM_DASH; j++) {
    if (french && j > i && fr_splits_before(e, j))
      break; /* (where FR-1, FR-2 or FR-3 will split the token) */
    if (!in_set(e->in[j].c, TRAIL))
      return FALSE;
    if (!in_set(e->in[j].c, EMO_TRAIL))
      closers = TRUE;
  }
  if (closers)
    for (gsize j = k; j > 0 && !is_ws(e->in[j - 1].c) && e->in[j - 1].c != EM_DASH; j--) {
      /* (a split right after the span, `:)?` giving `:)<NNBSP>?`, first) */
      if (french && j < k && fr_splits_before(e, j))
        break;
      if (e->in[j - 1].c == KQ_OPAQUE && !(e->in[j - 1].flags & CH_EXT))
        return FALSE;
    }
  return TRUE;
}

static const gunichar FR12_CLOSERS[] = {RAQUO, RDQUO, RSQUO, RSAQUO, ')', ']', '}', '"', '\'', 0};

/* FR-12: the space run before the `,` or `.` at i is removed. */
static gboolean fr12_glues(const Ed *e, gsize i, gboolean french)
{
  gunichar c = e->in[i].c;
  gsize k = space_start(e, i);
  gunichar nx = C(i + 1);
  /* (spaced dots ". . ." are not glued into an ellipsis) */
  return k < i && k > 0 && !is_ws(C(k - 1)) && !(c == '.' && C(k - 1) == '.') &&
         (nx == 0 || is_ws(nx) || in_set(nx, FR12_CLOSERS) || nx == ';' || nx == ':' ||
          nx == '!' || nx == '?') &&
         glue_keeps_tokens(e, k, i, french);
}

/* Removing the space run in[k..i) before the bracket at i would end a G-2c
 * emoticon with it (`;- )` giving `;-)`): protected on a second run when
 * the token ends there (G-3). Whatever follows the bracket, the space is
 * kept, since a later glue may end the token there (`:- ) )`). The
 * emoticon starts at most three characters before the space, at the
 * token's start or after a quote (kq_typo_find_emoticon()). */
static gboolean glue_makes_emoticon(const Ed *e, gsize k, gsize i)
{
  gsize s = k;
  while (s > 0 && k - s < 3 && !is_ws(e->in[s - 1].c) && e->in[s - 1].c != EM_DASH)
    s--;
  Ch glued[4];
  memcpy(glued, e->in + s, (k - s) * sizeof(Ch));
  glued[k - s] = e->in[i];
  gsize n = k - s + 1;
  for (gsize a = 0; a + 1 < n; a++) {
    gsize pos = s + a, from, to;
    gunichar pv = pos > 0 ? e->in[pos - 1].c : 0;
    if ((pos == 0 || is_ws(pv) || pv == EM_DASH || kq_typo_emoticon_may_follow(pv)) &&
        kq_typo_find_emoticon(glued + a, n - a, &from, &to) && from == 0 && to == n - a)
      return TRUE;
  }
  return FALSE;
}

/* Removing the space after the ( or [ at i glues the token that ends there
 * to the next one. When the next token holds a protected span (after
 * characters G-2b strips, `[ ""://`), the glued token protects the same
 * span on a second run only if G-2b's leading strip runs through the
 * first token too: it holds nothing else (G-3). */
static gboolean open_glue_keeps_tokens(const Ed *e, gsize i, gboolean french)
{
  gboolean prot = FALSE;
  for (gsize t = i + 2; t < e->n && !is_ws(e->in[t].c) && e->in[t].c != EM_DASH && !prot; t++) {
    if (french && t > i + 2 && fr_splits_before(e, t))
      break; /* (where FR-1, FR-2 or FR-3 will split the token) */
    prot = e->in[t].c == KQ_OPAQUE && !(e->in[t].flags & CH_EXT);
  }
  if (!prot)
    return TRUE;
  for (gsize s = i + 1; s > 0 && !is_ws(e->in[s - 1].c) && e->in[s - 1].c != EM_DASH; s--) {
    if (french && s <= i && fr_splits_before(e, s))
      break;
    if (!kq_typo_lead_strip(e->in[s - 1].c))
      return FALSE;
  }
  return TRUE;
}

static void fr12_low(Ed *e, gboolean french)
{
  for (gsize i = 0; i < e->n; i++) {
    gunichar c = e->in[i].c;
    if (c == ',' || c == '.') {
      if (fr12_glues(e, i, french))
        delete_range(e, space_start(e, i), i);
    } else if ((c == '(' || c == '[') && C(i + 1) == 0x20 && C(i + 2) != KQ_OPAQUE &&
               !is_S(C(i + 2)) && open_glue_keeps_tokens(e, i, french)) {
      /* (a protected span keeps its space: gluing it would change G-2 tokens;
       * a U+0020 is removed alone, not from a run with a U+00A0, U+202F or
       * U+2009 typed beside it: the shorter run left would read differently
       * to the dash rules on a second run, G-3) */
      delete_range(e, i + 1, i + 2);
    } else if ((c == ')' || c == ']') && i > 0 && C(i - 1) == 0x20 && !is_S(C((gssize)i - 2)) &&
               C((gssize)i - 2) != KQ_OPAQUE && C((gssize)i - 2) != ':' &&
               C((gssize)i - 2) != ';' && /* (": )" is not glued into an emoticon) */
               !glue_makes_emoticon(e, i - 1, i) && glue_keeps_tokens(e, i - 1, i, french)) {
      delete_range(e, i - 1, i);
    }
  }
}

/* ---- FR-3 Guillemets --------------------------------------------------------------- */

/* What can open a quotation at a paragraph's end: an opening guillemet, or
 * a quote FR-4 may turn into one. */
static inline gboolean is_opener(gunichar c)
{
  return c == LAQUO || c == LSAQUO || c == LDQUO || c == '"';
}

/* A character FR-4 or FR-3 pairs with others: a straight or curly double
 * quote, or a guillemet. */
static inline gboolean is_pairing_quote(gunichar c)
{
  return c == '"' || c == LDQUO || c == RDQUO || c == LAQUO || c == RAQUO || c == LSAQUO ||
         c == RSAQUO;
}

/* FR-3 (kiosque's addition): an opening guillemet, or a quote FR-4 would
 * make one of, that ends a paragraph (a title cut short by a feed, a CMS or
 * a scraper) opens nothing; it is dropped with the spaces before it, else it
 * would end the last line (a fault a typographer marks) and stand for a
 * quotation that is not there. Kept when it is the whole text, and whenever
 * the paragraph holds another quote or guillemet: then FR-4's pairing
 * depends on it, and dropping it would change what a second run makes of
 * the others (G-3). Run first, so every rule sees the paragraph as a second
 * run will: without it, and with no quote from which FR-4 could make one. */
static void fr3_dangling(Ed *e)
{
  gsize j = e->n;
  while (j > 0 && (is_S(e->in[j - 1].c) || is_opener(e->in[j - 1].c)))
    j--;
  gboolean opener = FALSE, others = FALSE;
  for (gsize i = j; i < e->n; i++)
    opener |= is_opener(e->in[i].c);
  for (gsize i = 0; i < j && !others; i++)
    others = is_pairing_quote(e->in[i].c);
  if (opener && !others && j > 0 && !is_bound(e->in[j - 1].c))
    delete_range(e, j, e->n);
}

static void fr3_guillemets(Ed *e)
{
  for (gsize i = 0; i < e->n; i++) {
    gunichar c = e->in[i].c;
    if (c == LAQUO || c == LSAQUO) {
      gsize j = space_end(e, i + 1);
      if (!is_bound(C(j)))
        set_space_after(e, i + 1, j, FR_GUILLEMET_SPACE);
    } else if (c == RAQUO || c == RSAQUO) {
      gsize k = space_start(e, i);
      gunichar pv = C((gssize)k - 1);
      /* after « the space is already set by the branch above */
      if (k > 0 && !is_bound(pv) && pv != LAQUO && pv != LSAQUO)
        set_space(e, k, i, FR_GUILLEMET_SPACE);
    }
  }
}

/* ---- FR-1 / FR-2 High punctuation ---------------------------------------------- */

/* A ; or : that starts an emoticon glued to other text (":)2010"): G-2c
 * protects emoticons only as whole tokens, so its spacing is left alone,
 * else the token boundaries (and the result) would change on a second run. */
static gboolean emoticon_start(const Ed *e, gsize i)
{
  static const gunichar NEXT[] = {')', '(', '-', 'D', 'P', 'p', 'o', 'O', '/', '|', '\'', 0};
  gunichar c = e->in[i].c;
  return (c == ':' || c == ';') && in_set(C(i + 1), NEXT);
}

/* FR-2: the colon at i is followed by whitespace or the end, now or once
 * FR-1/FR-2/FR-3 have put their space before a following ; ! ? : or » */
static gboolean colon_spaced_after(const Ed *e, gsize i)
{
  gsize k = i + 1;
  while (C(k) == ':')
    k++;
  gunichar nx = C(k);
  /* (FR-3 puts a space before a closing guillemet) */
  return nx == 0 || is_ws(nx) || nx == ';' || nx == '!' || nx == '?' || nx == RAQUO ||
         nx == RSAQUO;
}

static void fr12_high(Ed *e)
{
  static const gunichar TIGHT[] = {'!', '?', '(', '[', 0};
  for (gsize i = 0; i < e->n; i++) {
    gunichar c = e->in[i].c;
    if (c != ';' && c != '!' && c != '?' && c != ':')
      continue;
    gsize k = space_start(e, i);
    gunichar before = C((gssize)k - 1);
    if (k == 0 || is_bound(before) || emoticon_start(e, i))
      continue;
    if (c == ':') { /* FR-2 */
      if (k < i)
        set_space(e, k, i, NBSP);
      else if (colon_spaced_after(e, i) && !in_set(before, TIGHT))
        set_space(e, i, i, NBSP);
    } else { /* FR-1 */
      if (k < i)
        set_space(e, k, i, NNBSP);
      else if (!in_set(before, TIGHT))
        set_space(e, i, i, NNBSP);
    }
  }
}

/* ---- EN-1 No space before ; : ! ? --------------------------------------------- */

static void en1_high(Ed *e)
{
  static const gunichar AFTER[] = {';', ':', '!', '?', RDQUO, RSQUO, RAQUO, ')', ']', '}', '"', 0};
  for (gsize i = 0; i < e->n; i++) {
    gunichar c = e->in[i].c;
    if (c != ';' && c != '!' && c != '?' && c != ':')
      continue;
    gsize k = space_start(e, i);
    gunichar nx = C(i + 1);
    if (k < i && k > 0 && !is_ws(C(k - 1)) && (nx == 0 || is_ws(nx) || in_set(nx, AFTER)) &&
        !emoticon_start(e, i) && glue_keeps_tokens(e, k, i, FALSE))
      delete_range(e, k, i);
  }
}

/* ---- G-1 Order -------------------------------------------------------------------------- */

/* One pass of a language's rules: run when the paragraph holds a character
 * of `any` (0: always) and one of each trigger in `all`; `makes`: the
 * triggers its output brings in (French quotes become guillemets). */
typedef struct {
  guint any, all, makes;
  void (*rule)(Ed *e);
  void (*lang_rule)(Ed *e, gboolean french); /* when rule is NULL */
} Pass;

static const Pass FR_PASSES[] = {
    {T_GUILL | T_DQ, 0, 0, fr3_dangling, NULL},
    {T_APOS, 0, 0, fr5_apostrophe, NULL},
    {T_DQ, 0, T_GUILL, NULL, quotes},
    {T_DOT, 0, 0, ellipsis, NULL},
    {T_DASH, 0, 0, fr11_dashes, NULL},
    {0, T_DIGIT | T_DASH, 0, fr7_minus, NULL},
    {T_DIGIT, 0, 0, fr7_grouping, NULL},
    {T_DIGIT | T_ROMAN, 0, 0, fr9_ordinals, NULL},
    {T_DIGIT, 0, 0, fr8_units, NULL},
    {0, 0, 0, NULL, abbreviations},
    {T_LOW, 0, 0, NULL, fr12_low},
    {T_GUILL, 0, 0, fr3_guillemets, NULL},
    {T_HIGH, 0, 0, fr12_high, NULL},
};

static const Pass EN_PASSES[] = {
    {T_DQ, 0, 0, NULL, quotes},
    {T_APOS, 0, 0, en3_apostrophe, NULL},
    {T_DOT, 0, 0, ellipsis, NULL},
    {T_DASH, 0, 0, en4_dashes, NULL},
    {T_DIGIT, 0, 0, en6_units, NULL},
    {0, 0, 0, NULL, abbreviations},
    {T_LOW, 0, 0, NULL, fr12_low},
    {T_HIGH, 0, 0, en1_high, NULL},
};

void kq_typo_apply_rules(Para *p, KqTypoLang lang)
{
  if (lang == KQ_TL_OTHER)
    return;
  gboolean french = lang == KQ_TL_FR;
  const Pass *passes = french ? FR_PASSES : EN_PASSES;
  gsize n = french ? G_N_ELEMENTS(FR_PASSES) : G_N_ELEMENTS(EN_PASSES);
  guint t = triggers(p);
  for (gsize k = 0; k < n; k++) {
    const Pass *pass = &passes[k];
    if ((pass->any && !(t & pass->any)) || (t & pass->all) != pass->all)
      continue;
    if (pass->rule)
      run(p, pass->rule);
    else
      run_lang(p, pass->lang_rule, french);
    t |= pass->makes;
  }
}
