/* typo.c: the typography engine's public entry points: runs <-> working paragraph, G-2 protection, languages, articles. */
#include "typo/typo_private.h"

#include <string.h>

G_DEFINE_QUARK(kq-typo-error-quark, kq_typo_error)

/* G-2d default brand list. */
static const char *const DEFAULT_BRANDS[] = {"Yahoo!", NULL};

/* G-2c emoticons. */
static const char *const EMOTICONS[] = {
    ":)",  ":-)", ":(", ":-(", ";)", ";-)", ":D", ":-D", ":P", ":-P", ":p", ":-p", ":o", ":-o",
    ":O",  ":/",  ":-/", ":|", ":-|", "xD", "XD", "^^", "^_^", "<3", ":')", ":'(", NULL};

KqTypo *kq_typo_new(const char *hyphen_dir)
{
  KqTypo *t = g_new0(KqTypo, 1);
  t->hyphen_dir = g_strdup(hyphen_dir ? hyphen_dir : KQ_HYPHEN_DIR);
  g_mutex_init(&t->lock);
  kq_typo_set_brands(t, NULL);
  return t;
}

void kq_typo_free(KqTypo *t)
{
  if (!t)
    return;
  kq_typo_hyphen_clear(t);
  g_mutex_clear(&t->lock);
  g_free(t->hyphen_dir);
  for (guint i = 0; t->brands && t->brands[i]; i++)
    g_free(t->brands[i]);
  g_free(t->brands);
  g_free(t);
}

void kq_typo_set_brands(KqTypo *t, const char *const *brands)
{
  for (guint i = 0; t->brands && t->brands[i]; i++)
    g_free(t->brands[i]);
  g_free(t->brands);
  if (!brands)
    brands = DEFAULT_BRANDS;
  guint n = 0;
  while (brands[n])
    n++;
  t->brands = g_new0(gunichar *, n + 1);
  guint k = 0;
  for (guint i = 0; i < n; i++) {
    if (!g_utf8_validate(brands[i], -1, NULL) || !*brands[i])
      continue;
    t->brands[k++] = g_utf8_to_ucs4_fast(brands[i], -1, NULL);
  }
}

KqTypoLang kq_typo_lang_of(const char *lang)
{
  if (!lang)
    return KQ_TL_OTHER;
  gsize n = strcspn(lang, "-_");
  if (n == 2 && g_ascii_strncasecmp(lang, "fr", 2) == 0)
    return KQ_TL_FR;
  if (n == 2 && g_ascii_strncasecmp(lang, "en", 2) == 0)
    return KQ_TL_EN;
  return KQ_TL_OTHER;
}

/* ---- Working paragraph --------------------------------------------------- */

void kq_para_init(Para *p)
{
  memset(p, 0, sizeof *p);
  p->segs = g_ptr_array_new_with_free_func(g_free);
}

void kq_para_init_text(Para *p, const char *text)
{
  kq_para_init(p);
  if (g_utf8_validate(text, -1, NULL)) {
    kq_para_append_text(p, text, -1, 0);
    return;
  }
  char *valid = g_utf8_make_valid(text, -1);
  kq_para_append_text(p, valid, -1, 0);
  g_free(valid);
}

void kq_para_clear(Para *p)
{
  g_free(p->cur.v);
  g_free(p->tmp.v);
  g_clear_pointer(&p->segs, g_ptr_array_unref);
  memset(p, 0, sizeof *p);
}

void kq_para_append_text(Para *p, const char *text, gssize len, guint32 run)
{
  const char *s = text, *end = len < 0 ? text + strlen(text) : text + len;
  kq_chbuf_grow(&p->cur, (gsize)(end - s)); /* a character per byte at most: one allocation */
  while (s < end) {
    gunichar c;
    if ((guchar)*s < 0x80) {
      c = (guchar)*s++;
    } else {
      c = g_utf8_get_char(s);
      s = g_utf8_next_char(s);
    }
    if (c == '\n')
      kq_chbuf_push(&p->cur, '\n', run, CH_BREAK);
    else if (c == KQ_OPAQUE) /* a literal U+FFFC stays itself, protected */
      kq_para_append_protected(p, "\xef\xbf\xbc", 3, run);
    else
      kq_chbuf_push(&p->cur, c, run, 0);
  }
}

void kq_para_append_protected(Para *p, const char *text, gssize len, guint32 run)
{
  kq_chbuf_push(&p->cur, KQ_OPAQUE, run, CH_PROT);
  p->cur.v[p->cur.n - 1].aux = p->segs->len;
  g_ptr_array_add(p->segs, len < 0 ? g_strdup(text) : g_strndup(text, (gsize)len));
}

void kq_para_from_runs(Para *p, const GPtrArray *runs)
{
  gsize bytes = 0; /* the paragraph's size at most: one allocation */
  for (guint r = 0; runs && r < runs->len; r++) {
    const KqRun *run = g_ptr_array_index(runs, r);
    bytes += run->text ? strlen(run->text) + 1 : 1;
  }
  kq_chbuf_grow(&p->cur, bytes);
  for (guint r = 0; runs && r < runs->len; r++) {
    const KqRun *run = g_ptr_array_index(runs, r);
    if (run->kind == KQ_RUN_BREAK)
      kq_chbuf_push(&p->cur, '\n', r, CH_BREAK);
    else if (!run->text || !*run->text)
      continue;
    else if (run->style & KQ_STYLE_CODE)
      kq_para_append_protected(p, run->text, -1, r); /* G-2a */
    else
      kq_para_append_text(p, run->text, -1, r);
  }
}

static inline void append_ch_utf8(GString *out, const Para *p, const Ch *ch)
{
  if (ch->flags & CH_PROT) {
    g_string_append(out, g_ptr_array_index(p->segs, ch->aux));
  } else if (ch->c < 0x80) {
    g_string_append_c(out, (char)ch->c);
  } else {
    char buf[8];
    g_string_append_len(out, buf, g_unichar_to_utf8(ch->c, buf));
  }
}

char *kq_para_to_text(const Para *p)
{
  GString *out = g_string_sized_new(p->cur.n + 16);
  for (gsize i = 0; i < p->cur.n; i++)
    append_ch_utf8(out, p, &p->cur.v[i]);
  return g_string_free(out, FALSE);
}

static void flush_run(GPtrArray *out, const KqRun *src, gboolean sup, GString *text)
{
  if (text->len == 0)
    return;
  guint style = src->style | (sup ? KQ_STYLE_SUP : 0);
  KqRun *run = kq_run_new(KQ_RUN_TEXT, style, text->str, src->href);
  run->lang = g_strdup(src->lang);
  g_ptr_array_add(out, run);
  g_string_truncate(text, 0);
}

GPtrArray *kq_para_to_runs(const Para *p, const GPtrArray *runs)
{
  GPtrArray *out = kq_runs_new();
  GString *text = g_string_sized_new(p->cur.n + 16); /* a run's text at most the paragraph's */
  const KqRun *cur = NULL;
  guint32 cur_idx = G_MAXUINT32;
  gboolean cur_sup = FALSE;
  for (gsize i = 0; i < p->cur.n; i++) {
    const Ch *ch = &p->cur.v[i];
    const KqRun *src = g_ptr_array_index(runs, ch->run);
    if (src->kind == KQ_RUN_BREAK) {
      if (cur)
        flush_run(out, cur, cur_sup, text);
      cur = NULL;
      cur_idx = G_MAXUINT32;
      if (ch->c == '\n') {
        g_ptr_array_add(out, kq_run_dup(src));
        continue;
      }
      /* a character a rule attached to a break: give it to a plain run */
      KqRun plain = {KQ_RUN_TEXT, KQ_STYLE_NONE, NULL, NULL, NULL};
      GString *one = g_string_new(NULL);
      append_ch_utf8(one, p, ch);
      flush_run(out, &plain, FALSE, one);
      g_string_free(one, TRUE);
      continue;
    }
    gboolean sup = (ch->flags & CH_SUP) != 0;
    if (ch->run != cur_idx || sup != cur_sup) {
      if (cur)
        flush_run(out, cur, cur_sup, text);
      cur = src;
      cur_idx = ch->run;
      cur_sup = sup;
    }
    append_ch_utf8(text, p, ch);
  }
  if (cur)
    flush_run(out, cur, cur_sup, text);
  g_string_free(text, TRUE);
  return out;
}

/* ---- G-2 (b, c, d) protected tokens ---------------------------------------- */

static gboolean is_hex(gunichar c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* label(.label)+ with a final label of two letters or more. */
static gboolean is_domain(const gunichar *s, gsize n)
{
  gsize labels = 0, len = 0, letters = 0;
  for (gsize i = 0; i <= n; i++) {
    gunichar c = i < n ? s[i] : '.';
    if (c == '.') {
      if (len == 0)
        return FALSE;
      labels++;
      if (i == n)
        return labels >= 2 && letters == len && len >= 2;
      len = letters = 0;
    } else if (g_unichar_isalnum(c) || c == '-') {
      len++;
      if (g_unichar_isalpha(c))
        letters++;
    } else {
      return FALSE;
    }
  }
  return FALSE;
}

gboolean kq_typo_is_protected_core(const gunichar *s, gsize n)
{
  if (n < 3)
    return FALSE;
  gsize at = n, n_at = 0, first_slash = n, colons = 0;
  gboolean ipv6_chars = TRUE;
  for (gsize i = 0; i < n; i++) {
    gunichar c = s[i];
    if (c == ':' && i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/')
      return TRUE; /* scheme:// */
    if (c == '@') {
      at = i;
      n_at++;
    }
    if (c == '/' && first_slash == n)
      first_slash = i;
    if (c == ':')
      colons++;
    else if (!is_hex(c) && c != '.')
      ipv6_chars = FALSE;
  }
  if (n > 4 && (s[0] == 'w' || s[0] == 'W') && (s[1] == 'w' || s[1] == 'W') &&
      (s[2] == 'w' || s[2] == 'W') && s[3] == '.')
    return TRUE;
  if (first_slash < n && first_slash > 0 && is_domain(s, first_slash))
    return TRUE;
  if (n_at == 1 && at > 0 && at + 1 < n && is_domain(s + at + 1, n - at - 1)) {
    gboolean local_ok = TRUE; /* local part: letters, digits, . _ % + - */
    for (gsize i = 0; i < at && local_ok; i++)
      local_ok = g_unichar_isalnum(s[i]) || s[i] == '.' || s[i] == '_' || s[i] == '%' ||
                 s[i] == '+' || s[i] == '-';
    if (local_ok)
      return TRUE;
  }
  if (ipv6_chars && colons >= 2) {
    /* dots only in a dotted IPv4 tail after the last colon */
    gsize last_colon = 0;
    for (gsize i = 0; i < n; i++)
      if (s[i] == ':')
        last_colon = i;
    for (gsize i = 0; i < last_colon; i++)
      if (s[i] == '.')
        return FALSE;
    gboolean dots = FALSE;
    for (gsize i = last_colon + 1; i < n; i++) {
      if (s[i] == '.')
        dots = TRUE;
    }
    if (dots)
      for (gsize i = last_colon + 1; i < n; i++)
        if (s[i] != '.' && !(s[i] >= '0' && s[i] <= '9'))
          return FALSE;
    return TRUE;
  }
  return FALSE;
}

/*
 * kq_typo_is_protected_core() of every suffix buf[q..end) of a token, q
 * growing, in constant time per suffix: G-2b examines the parts of a token
 * (token_protected()), and calling the full check on each would take time
 * quadratic in the token's length (a 4 MB article may be one token). The
 * answers are the full check's, condition by condition: scheme `://`,
 * `www.`, a domain before the first `/`, an e-mail address, IPv6.
 * Positions are indices into buf; -1 stands for "none".
 */
typedef struct {
  const gunichar *b;
  gssize end;
  /* fixed for end */
  gssize scheme;    /* last i with `://` at i, i + 2 < end */
  gssize at;        /* last '@' before end */
  gboolean at_ok;   /* buf[at+1..end) is a domain */
  gssize local_bad; /* last character before at that no local part holds */
  gssize ipv6_bad;  /* last character before end other than hex, : and . */
  gssize lc;        /* last ':' before end */
  gssize lc_dot;    /* last '.' before lc */
  gboolean tail_ok; /* buf(lc..end) has no dot, or digits and dots only */
  gsize n_at, n_colon; /* '@' and ':' in [from, end) */
  /* sweep state */
  gssize q;                   /* last suffix asked for */
  gsize q_at, q_colon;        /* '@' and ':' in [from, q) */
  gssize r;                   /* characters before r are in the trackers */
  gssize fs;                  /* first '/' at or after q (end: none) */
  gssize dom_bad, dd, dot, nonalpha; /* last such characters before fs */
} SuffixScan;

static gboolean is_local_char(gunichar c)
{
  return g_unichar_isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static void suffix_scan_init(SuffixScan *sc, const gunichar *b, gsize from, gsize end)
{
  memset(sc, 0, sizeof *sc);
  sc->b = b;
  sc->end = (gssize)end;
  sc->scheme = sc->at = sc->local_bad = sc->ipv6_bad = sc->lc = sc->lc_dot = -1;
  for (gssize i = (gssize)from; i < sc->end; i++) {
    gunichar c = b[i];
    if (c == ':' && i + 2 < sc->end && b[i + 1] == '/' && b[i + 2] == '/')
      sc->scheme = i;
    if (c == '@') {
      sc->at = i;
      sc->n_at++;
    }
    if (c == ':') {
      sc->lc = i;
      sc->n_colon++;
    } else if (!is_hex(c) && c != '.') {
      sc->ipv6_bad = i;
    }
  }
  if (sc->at >= 0) {
    sc->at_ok = sc->at + 1 < sc->end && is_domain(b + sc->at + 1, (gsize)(sc->end - sc->at - 1));
    for (gssize i = sc->at - 1; i >= (gssize)from && sc->local_bad < 0; i--)
      if (!is_local_char(b[i]))
        sc->local_bad = i;
  }
  if (sc->lc >= 0) {
    for (gssize i = sc->lc - 1; i >= (gssize)from && sc->lc_dot < 0; i--)
      if (b[i] == '.')
        sc->lc_dot = i;
    gboolean dots = FALSE, digits_dots = TRUE;
    for (gssize i = sc->lc + 1; i < sc->end; i++) {
      dots = dots || b[i] == '.';
      digits_dots = digits_dots && (b[i] == '.' || (b[i] >= '0' && b[i] <= '9'));
    }
    sc->tail_ok = !dots || digits_dots;
  }
  sc->q = (gssize)from;
  sc->r = (gssize)from;
  sc->fs = -1;
  sc->dom_bad = sc->dd = sc->dot = sc->nonalpha = -1;
}

/* kq_typo_is_protected_core(b + q, end - q), q not below the last call's. */
static gboolean suffix_protected(SuffixScan *sc, gsize uq)
{
  const gunichar *b = sc->b;
  gssize q = (gssize)uq, n = sc->end - q;
  for (; sc->q < q; sc->q++) {
    sc->q_at += b[sc->q] == '@';
    sc->q_colon += b[sc->q] == ':';
  }
  if (n < 3)
    return FALSE;
  if (sc->scheme >= q)
    return TRUE;
  if (n > 4 && (b[q] | 0x20) == 'w' && (b[q + 1] | 0x20) == 'w' && (b[q + 2] | 0x20) == 'w' &&
      b[q + 3] == '.')
    return TRUE;
  /* the first '/' at or after q, and the trackers up to it */
  if (sc->fs < q) {
    while (sc->r < sc->end && (sc->r < q || b[sc->r] != '/')) {
      gunichar c = b[sc->r];
      if (!(g_unichar_isalnum(c) || c == '-' || c == '.'))
        sc->dom_bad = sc->r;
      if (c == '.' && sc->r > 0 && b[sc->r - 1] == '.')
        sc->dd = sc->r - 1;
      if (c == '.')
        sc->dot = sc->r;
      if (!g_unichar_isalpha(c))
        sc->nonalpha = sc->r;
      sc->r++;
    }
    sc->fs = sc->r; /* (the '/' joins the trackers once q is past it) */
  }
  /* a domain before the first '/': labels of letters, digits and -, the
   * last one of two letters or more (is_domain()) */
  if (sc->fs < sc->end && sc->fs > q && sc->dom_bad < q && sc->dd < q && b[q] != '.' &&
      sc->dot >= q && sc->nonalpha == sc->dot && sc->fs - sc->dot - 1 >= 2)
    return TRUE;
  if (sc->n_at - sc->q_at == 1 && sc->at > q && sc->at_ok && sc->local_bad < q)
    return TRUE;
  if (sc->ipv6_bad < q && sc->n_colon - sc->q_colon >= 2 && sc->lc_dot < q && sc->tail_ok)
    return TRUE;
  return FALSE;
}

static gboolean ascii_equal(const Ch *v, gsize n, const char *w)
{
  gsize l = strlen(w);
  if (l != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (v[i].c != (guchar)w[i])
      return FALSE;
  return TRUE;
}

static gboolean is_ws_char(gunichar c)
{
  return c == 0x20 || c == 0x09 || c == 0xA0 || c == 0x202F || c == 0x2009 || c == '\n';
}

/* G-2b tokens are split on whitespace, and on em dashes: EN-4 closes the
 * spaces around a dash, which must not glue a URL to its neighbour; and on
 * control characters, which no URL, address or emoticon holds: a token
 * must end there as it ends at the guillemet FR-4 may put before one
 * (`::5""<FS>` is `::5` on the second run, G-3). */
static gboolean is_token_sep(gunichar c)
{
  return is_ws_char(c) || c == 0x2014 || c < 0x20 || (c >= 0x7F && c < 0xA0); /* Cc */
}

/* G-2b's lists, closed under what FR-4/EN-2/EN-3 make of a stripped quote
 * (a straight quote may become an opening or a closing one on either side
 * of a token), so the second pass strips what the first pass stripped:
 * ’ » ” added to the leading list, « “ ‘ to the trailing one. */
static const gunichar LEAD_STRIP[] = {'(', '[',    '{',    0xAB,   0x201C, '"', '\'',
                                      0x2018, 0x2019, 0xBB, 0x201D, 0};
/* (… added to G-2b's list: an ellipsis after a URL is not part of it) */
static const gunichar TRAIL_STRIP[] = {'.',  ',',    ';',    ':',    '!',    '?',    ')',
                                       ']',  '}',    0xBB,   0x201D, '"',    '\'',   0x2019,
                                       0x2026, 0xAB, 0x201C, 0x2018, 0};

static gboolean in_list(gunichar c, const gunichar *set)
{
  for (; *set; set++)
    if (*set == c)
      return TRUE;
  return FALSE;
}

gboolean kq_typo_lead_strip(gunichar c) { return in_list(c, LEAD_STRIP); }

typedef struct {
  gsize from, to;
} Range;

/* The emoticon at the start of v[0..n) that G-2c protects: followed by
 * nothing but . , ; ! ? : … (G-2c's list, with : and …, which FR-12/EN-1
 * and FR-6 may glue), or followed by those up to a place where a French
 * rule puts a space inside the token, which makes the emoticon a token of
 * its own on a second run (G-3): before ; ! ? : (FR-1, FR-2) or » ›
 * (FR-3), and after a number (`<3`) before a unit (FR-8). Its length, or 0. */
static gsize emoticon_at(const Ch *v, gsize n)
{
  gunichar first = n ? v[0].c : 0;
  if (!(first == ':' || first == ';' || first == 'x' || first == 'X' || first == '^' ||
        first == '<'))
    return 0;
  for (int k = 0; EMOTICONS[k]; k++) {
    gsize l = strlen(EMOTICONS[k]);
    if (l > n || !ascii_equal(v, l, EMOTICONS[k]))
      continue;
    if (l < n && g_ascii_isdigit(EMOTICONS[k][l - 1]) && !g_unichar_isdigit(v[l].c))
      return l;
    for (gsize j = l;; j++) {
      gunichar c = j < n ? v[j].c : 0;
      if (j == n || c == ';' || c == '!' || c == '?' || c == ':' || c == 0xBB || c == 0x203A)
        return l;
      if (c != '.' && c != ',' && c != 0x2026)
        break;
    }
  }
  return 0;
}

/* Where an emoticon may start inside a token: after a « ‹ FR-3 separates
 * from it, after any quote FR-4, EN-2, EN-3 or FR-5 may turn into one or
 * make of one (" “ ” ‘ ’ ' » ›), and after an opening bracket FR-12 may
 * glue to it (`( ;-` giving `(;-`), so the first and the second run see
 * the same emoticon (G-3). */
gboolean kq_typo_emoticon_may_follow(gunichar c)
{
  return c == 0xAB || c == 0x2039 || c == 0xBB || c == 0x203A || c == 0x201C || c == 0x201D ||
         c == 0x2018 || c == 0x2019 || c == '"' || c == '\'' || c == '(' || c == '[' || c == '{';
}

static gboolean find_emoticon_from(const Ch *v, gsize n, gsize start, gsize *from, gsize *to)
{
  for (gsize s = start; s < n; s++) {
    if (s > 0 && !kq_typo_emoticon_may_follow(v[s - 1].c))
      continue;
    gsize l = emoticon_at(v + s, n - s);
    if (l) {
      *from = s;
      *to = s + l;
      return TRUE;
    }
  }
  return FALSE;
}

gboolean kq_typo_find_emoticon(const Ch *v, gsize n, gsize *from, gsize *to)
{
  return find_emoticon_from(v, n, 0, from, to);
}

/* v[s..e) less the characters G-2b strips at either end. */
static void strip(const Ch *v, gsize *s, gsize *e)
{
  while (*s < *e && in_list(v[*s].c, LEAD_STRIP))
    (*s)++;
  while (*e > *s && in_list(v[*e - 1].c, TRAIL_STRIP))
    (*e)--;
}

/* A part of the token in sc's buffer starting at q in [from, to) with a
 * letter or digit after another character and running to sc's end is
 * protected (G-2b): TRUE with the first such part in r. */
static gboolean part_protected(SuffixScan *sc, gsize from, gsize to, Range *r)
{
  const gunichar *buf = sc->b;
  gsize end = (gsize)sc->end;
  for (gsize q = from; q < to && q + 3 <= end; q++) {
    if (q == 0 || !g_unichar_isalnum(buf[q]) || g_unichar_isalnum(buf[q - 1]))
      continue;
    if (suffix_protected(sc, q)) {
      *r = (Range){q, end};
      return TRUE;
    }
  }
  return FALSE;
}

/* The parts of token v[0..n) that are protected (G-2 b, c, d), appended to
 * ranges (Range, offsets in v). */
/* Merges a token's emoticons (in order) into its protected parts,
 * ranges[base..] (in order, apart), keeping the order the rebuild needs, in
 * one pass: an emoticon a part holds is dropped, the part wins (as a whole
 * protected token does). */
static void merge_emoticons(GArray *ranges, guint base, const GArray *emo)
{
  guint n_parts = ranges->len - base;
  Range *parts = g_memdup2(&g_array_index(ranges, Range, base), n_parts * sizeof(Range));
  g_array_set_size(ranges, base);
  guint i = 0;
  for (guint m = 0; m < emo->len; m++) {
    Range em = g_array_index(emo, Range, m);
    for (; i < n_parts && parts[i].to <= em.from; i++)
      g_array_append_val(ranges, parts[i]);
    if (i == n_parts || em.to <= parts[i].from)
      g_array_append_val(ranges, em);
  }
  g_array_append_vals(ranges, parts + i, n_parts - i);
  g_free(parts);
}

static const gunichar PIECE_ENDS[] = {';', '!', '?', '"', 0xAB, 0xBB, 0x201C, 0x201D, 0};

static void token_protected(const Ch *v, gsize n, const gunichar *const *brands, GArray *ranges)
{
  guint base = ranges->len;
  GArray *emo = NULL; /* Range: the token's emoticons (G-2c) */
  Range r;
  for (gsize i = 0; i < n; i++)
    if (v[i].flags & CH_PROT)
      return;
  gsize s = 0, e = n;
  strip(v, &s, &e);
  /* b: cheap filter before the full check */
  gboolean maybe = FALSE;
  for (gsize i = s; e >= s + 3 && i < e && !maybe; i++) /* (3: the shortest core) */
    maybe = v[i].c == '/' || v[i].c == '@' || v[i].c == ':' ||
            ((v[i].c | 0x20) == 'w' && (i == s || !g_unichar_isalnum(v[i - 1].c)));
  gunichar local[256], *buf = NULL;
  if (maybe) {
    buf = n <= G_N_ELEMENTS(local) ? local : g_new(gunichar, n);
    for (gsize i = 0; i < n; i++)
      buf[i] = v[i].c;
    /* b before c: a URL, an e-mail or an IPv6 address is protected whole,
     * also where an emoticon can be read in it (`://"":/`); else which
     * reading wins would depend on what follows the token, which a rule
     * may change (`://"":/"`, whose " FR-4 turns into », G-3) */
    if (kq_typo_is_protected_core(buf + s, e - s)) {
      r = (Range){s, e};
      g_array_append_val(ranges, r);
      goto out;
    }
  }
  /* c: emoticons, every one the token holds: FR-1 may space a ? after the
   * first (`:(?":(?`), and what follows is a token of its own on a second
   * run, whose emoticon must have been protected on the first (G-3); the
   * rest of the token is still examined for b's parts (`"<3?"www."@`: the
   * piece after the ? holds `www.`, protected on a second run) */
  for (gsize at = 0; find_emoticon_from(v, n, at, &r.from, &r.to); at = r.to) {
    if (!emo)
      emo = g_array_new(FALSE, FALSE, sizeof(Range));
    g_array_append_val(emo, r);
  }
  /* d: brands, then anything strippable */
  for (int b = 0; !emo && brands && brands[b]; b++) {
    gsize l = 0;
    while (brands[b][l] && s + l < n && v[s + l].c == brands[b][l])
      l++;
    if (brands[b][l] || l == 0)
      continue;
    gsize k = s + l;
    while (k < n && in_list(v[k].c, TRAIL_STRIP))
      k++;
    if (k == n) {
      r = (Range){s, s + l};
      g_array_append_val(ranges, r);
      goto out;
    }
  }
  if (!maybe)
    goto out;
  /* A rule may put a space inside the token (FR-10 after `§` or `n°`, FR-8
   * between a signed number and its unit, FR-7a in a number; FR-1 before a
   * ; ! ?; FR-4 inside a pair of straight double quotes, which become
   * « and » with their spaces), making part of it a token of its own on a
   * second run (G-3). Examined now already: every part starting with a
   * letter or digit after another character, up to the token's end (a URL
   * may hold ; ! ?), and else, in the pieces FR-1 and FR-4 may split the
   * token into before each ; ! ? " (and what FR-4 makes of a ": « » “ ”,
   * so that a second run cuts where the first did), the piece and its
   * parts up to the piece's end: the tokens of a second run are these
   * pieces or runs of them (G-3: `::5""-b` holds the IPv6 address `::5`,
   * a token of its own once the quotes are « and »). */
  SuffixScan to_end, piece;
  suffix_scan_init(&to_end, buf, s, e);
  for (gsize a = 0; a < n;) {
    gsize b = a + 1;
    while (b < n && !in_list(v[b].c, PIECE_ENDS))
      b++;
    if (part_protected(&to_end, MAX(a, s + 1), MIN(b, e), &r)) {
      g_array_append_val(ranges, r);
      goto out;
    }
    gsize ps = a, pe = b;
    strip(v, &ps, &pe);
    if (pe >= ps + 3 && (ps != s || pe != e) && kq_typo_is_protected_core(buf + ps, pe - ps)) {
      r = (Range){ps, pe};
      g_array_append_val(ranges, r);
    } else if (pe >= ps + 3) {
      suffix_scan_init(&piece, buf, ps, pe);
      if (part_protected(&piece, ps + 1, pe, &r))
        g_array_append_val(ranges, r);
    }
    a = b;
  }
out:
  if (buf && buf != local)
    g_free(buf);
  if (emo) {
    merge_emoticons(ranges, base, emo);
    g_array_free(emo, TRUE);
  }
}

void kq_typo_protect_tokens(Para *p, const gunichar *const *brands)
{
  /* ASCII characters that make a token worth examining: / @ : (URL,
   * e-mail, IPv6), ; ^ < (emoticons), punctuation of a brand. */
  guint8 notable[128] = {0};
  notable['/'] = notable['@'] = notable[':'] = notable[';'] = notable['^'] = notable['<'] = 1;
  for (int b = 0; brands && brands[b]; b++)
    for (const gunichar *c = brands[b]; *c; c++)
      if (*c < 0x80 && !g_ascii_isalnum((char)*c))
        notable[*c] = 1;
  GArray *ranges = NULL;
  const Ch *v = p->cur.v;
  gsize n = p->cur.n;
  for (gsize i = 0; i < n;) {
    if (is_token_sep(v[i].c)) {
      i++;
      continue;
    }
    /* Only tokens holding a character some protection needs are examined:
     * / @ : (URL, e-mail, IPv6), an emoticon's first character, w (www.),
     * or punctuation of a brand. */
    gsize j = i;
    gboolean maybe = FALSE;
    for (; j < n && !is_token_sep(v[j].c); j++) {
      gunichar c = v[j].c;
      if (maybe || c >= 0x80)
        continue;
      if (notable[c])
        maybe = TRUE;
      else if ((c | 0x20) == 'x') /* xD where an emoticon may start */
        maybe = j == i || kq_typo_emoticon_may_follow(v[j - 1].c);
      else if ((c | 0x20) == 'w') /* www. at the start or in a part */
        maybe = j <= i + 2 || !g_unichar_isalnum(v[j - 1].c);
    }
    if (maybe) {
      if (!ranges)
        ranges = g_array_new(FALSE, FALSE, sizeof(Range));
      guint before = ranges->len;
      token_protected(v + i, j - i, brands, ranges);
      for (guint k = before; k < ranges->len; k++) {
        g_array_index(ranges, Range, k).from += i;
        g_array_index(ranges, Range, k).to += i;
      }
    }
    i = j;
  }
  if (!ranges || ranges->len == 0) {
    if (ranges)
      g_array_free(ranges, TRUE);
    return;
  }
  /* Rebuild: each protected range becomes one placeholder per source run. */
  ChBuf out = {0};
  gsize pos = 0;
  GString *text = g_string_new(NULL);
  for (guint k = 0; k < ranges->len; k++) {
    Range r = g_array_index(ranges, Range, k);
    for (; pos < r.from; pos++)
      kq_chbuf_push(&out, v[pos].c, v[pos].run, v[pos].flags), out.v[out.n - 1].aux = v[pos].aux;
    while (pos < r.to) {
      guint32 run = v[pos].run;
      g_string_truncate(text, 0);
      while (pos < r.to && v[pos].run == run)
        g_string_append_unichar(text, v[pos++].c);
      kq_chbuf_push(&out, KQ_OPAQUE, run, CH_PROT);
      out.v[out.n - 1].aux = p->segs->len;
      g_ptr_array_add(p->segs, g_strndup(text->str, text->len));
    }
  }
  for (; pos < n; pos++)
    kq_chbuf_push(&out, v[pos].c, v[pos].run, v[pos].flags), out.v[out.n - 1].aux = v[pos].aux;
  g_string_free(text, TRUE);
  g_array_free(ranges, TRUE);
  g_free(p->cur.v);
  p->cur = out;
}

/* ---- Typesetting a paragraph -------------------------------------------------- */

/* Stages of G-1 over a paragraph whose runs may carry their own language:
 * each same-language stretch gets its rules, with the neighbouring text as
 * one opaque character of context (G-5). run_langs: per run, or NULL. */
void kq_typo_para(const KqTypo *t, Para *p, KqTypoLang base, const KqTypoLang *run_langs)
{
  kq_typo_protect_tokens(p, (const gunichar *const *)t->brands);
  kq_typo_whitespace(p);
  if (!run_langs) {
    kq_typo_apply_rules(p, base);
    return;
  }
  ChBuf result = {0};
  gsize n = p->cur.n;
  for (gsize i = 0; i < n;) {
    KqTypoLang l = run_langs[p->cur.v[i].run];
    gsize j = i;
    while (j < n && run_langs[p->cur.v[j].run] == l)
      j++;
    if (i == 0 && j == n) {
      kq_typo_apply_rules(p, l);
      g_free(result.v);
      return;
    }
    Para sub = {0};
    sub.segs = p->segs; /* borrowed */
    if (i > 0)
      kq_chbuf_push(&sub.cur, KQ_OPAQUE, p->cur.v[i].run, CH_PROT | CH_EXT);
    for (gsize k = i; k < j; k++) {
      kq_chbuf_push(&sub.cur, 0, 0, 0);
      sub.cur.v[sub.cur.n - 1] = p->cur.v[k];
    }
    if (j < n)
      kq_chbuf_push(&sub.cur, KQ_OPAQUE, p->cur.v[j - 1].run, CH_PROT | CH_EXT);
    kq_typo_apply_rules(&sub, l);
    for (gsize k = 0; k < sub.cur.n; k++) {
      if (sub.cur.v[k].flags & CH_EXT)
        continue;
      kq_chbuf_push(&result, 0, 0, 0);
      result.v[result.n - 1] = sub.cur.v[k];
    }
    sub.segs = NULL;
    kq_para_clear(&sub);
    i = j;
  }
  g_free(p->cur.v);
  p->cur = result;
}

GPtrArray *kq_typo_runs(const KqTypo *typo, const GPtrArray *runs, const char *lang)
{
  if (!runs)
    return kq_runs_new();
  KqTypoLang base = kq_typo_lang_of(lang);
  KqTypoLang *run_langs = NULL;
  for (guint r = 0; r < runs->len; r++) {
    const KqRun *run = g_ptr_array_index(runs, r);
    if (run->lang && kq_typo_lang_of(run->lang) != base) {
      run_langs = g_new(KqTypoLang, runs->len);
      for (guint k = 0; k < runs->len; k++) {
        const KqRun *rk = g_ptr_array_index(runs, k);
        run_langs[k] = rk->lang ? kq_typo_lang_of(rk->lang) : base;
      }
      break;
    }
  }
  Para p;
  kq_para_init(&p);
  kq_para_from_runs(&p, runs);
  kq_typo_para(typo, &p, base, run_langs);
  GPtrArray *out = kq_para_to_runs(&p, runs);
  kq_para_clear(&p);
  g_free(run_langs);
  return out;
}

GPtrArray *kq_typo_runs_of_text(const KqTypo *typo, const char *text, const char *lang)
{
  GPtrArray *runs = kq_runs_new();
  kq_runs_append_text(runs, KQ_STYLE_NONE, text, -1, NULL);
  GPtrArray *typeset = kq_typo_runs(typo, runs, lang);
  g_ptr_array_unref(runs);
  return typeset;
}

char *kq_typo_text(const KqTypo *typo, const char *text, const char *lang)
{
  if (!text)
    return NULL;
  Para p;
  kq_para_init_text(&p, text);
  kq_typo_para(typo, &p, kq_typo_lang_of(lang), NULL);
  char *out = kq_para_to_text(&p);
  kq_para_clear(&p);
  return out;
}

/* ---- Articles -------------------------------------------------------------------- */

static void typo_runs_in_place(const KqTypo *t, GPtrArray **runs, const char *lang)
{
  if (!*runs)
    return;
  GPtrArray *n = kq_typo_runs(t, *runs, lang);
  g_ptr_array_unref(*runs);
  *runs = n;
}

static void typo_string_in_place(const KqTypo *t, char **s, const char *lang)
{
  if (!*s)
    return;
  char *n = kq_typo_text(t, *s, lang);
  g_free(*s);
  *s = n;
}

static void typo_blocks(const KqTypo *t, GPtrArray *blocks, const char *lang, int depth)
{
  if (!blocks || depth > 512)
    return;
  for (guint i = 0; i < blocks->len; i++) {
    KqBlock *b = g_ptr_array_index(blocks, i);
    const char *l = b->lang ? b->lang : lang;
    switch (b->kind) {
    case KQ_BLOCK_PARAGRAPH:
    case KQ_BLOCK_HEADING:
      typo_runs_in_place(t, &b->runs, l);
      break;
    case KQ_BLOCK_IMAGE:
      typo_runs_in_place(t, &b->runs, l);
      typo_string_in_place(t, &b->alt, l);
      break;
    case KQ_BLOCK_QUOTE:
    case KQ_BLOCK_LIST:
    case KQ_BLOCK_ITEM:
      typo_blocks(t, b->children, l, depth + 1);
      break;
    case KQ_BLOCK_TABLE:
      for (guint r = 0; b->rows && r < b->rows->len; r++) {
        KqTableRow *row = g_ptr_array_index(b->rows, r);
        for (guint c = 0; row->cells && c < row->cells->len; c++)
          typo_runs_in_place(t, (GPtrArray **)&g_ptr_array_index(row->cells, c), l);
      }
      break;
    case KQ_BLOCK_CODE:
    case KQ_BLOCK_RULE:
      break;
    }
  }
}

GPtrArray *kq_typo_blocks(const KqTypo *typo, const GPtrArray *blocks, const char *lang)
{
  GPtrArray *copy = kq_blocks_new();
  for (guint i = 0; blocks && i < blocks->len; i++)
    g_ptr_array_add(copy, kq_block_dup(g_ptr_array_index(blocks, i)));
  typo_blocks(typo, copy, lang, 0);
  return copy;
}

KqArticle *kq_typo_article(const KqTypo *typo, const KqArticle *article)
{
  KqArticle *a = kq_article_dup(article);
  typo_string_in_place(typo, &a->title, a->lang);
  typo_string_in_place(typo, &a->standfirst, a->lang);
  typo_blocks(typo, a->blocks, a->lang, 0);
  return a;
}
