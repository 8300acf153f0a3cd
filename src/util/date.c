/* date.c: parsing (ISO 8601, RFC 822/1123, long forms in five languages) and finding article dates; writing them in words is l10n.c's. */
#include "kiosque/date.h"

#include <stdlib.h>
#include <string.h>

/*
 * How parsing works. One cursor-based recognizer per shape of date is tried
 * at a position of the text: ISO 8601, numeric (30/01/2026), day first
 * ("vendredi 30 janvier 2026 à 14h30", RFC 822 "Fri, 30 Jan 2026 08:15:00
 * GMT") and month first ("Friday, January 30, 2026 at 2:30 PM", asctime).
 * Each returns where it stopped or NULL; the longest valid match wins.
 * kq_date_parse() requires the whole text to be consumed; kq_date_find()
 * tries every word start of free text in order and is stricter (four-digit
 * years, upper-case zone names, no military letters) to avoid false hits.
 * Words are folded to lower-case ASCII without accents before lookup, so
 * "Février", "fevrier" and "FÉVR." all find February.
 */

/* Offsets beyond ±18:00 (the widest any standard library accepts; real
 * zones stop at +14:00) are not dates. */
#define MAX_OFFSET_MIN (18 * 60)
/* Longest word looked up (folded bytes); longer words match nothing. */
#define WORD_MAX 24

typedef enum {
  ZONE_NONE = 0, /* no zone given */
  ZONE_GIVEN,    /* a known zone or numeric offset */
  ZONE_UNKNOWN,  /* a zone name we do not know: UTC, with a note */
  ZONE_MILITARY, /* RFC 822 military letter other than Z: UTC, with a note */
} ZoneKind;

/* A candidate date while a recognizer runs; notes are kept as data and
 * turned into a warning only for the winning candidate. */
typedef struct {
  int year, month, day;
  gboolean has_time;
  int hour, minute, second;
  int offset_min;
  ZoneKind zone;
  char zone_name[48];
  guint wday_mask;      /* bit n set: the text's weekday may be day n (1..7) */
  char wday_word[WORD_MAX + 1];
  gboolean rfc_time;    /* "HH:MM[:SS]" right after the date, RFC style */
  gboolean swapped;     /* numeric day and month swapped to make sense */
  gboolean partial;     /* W3C-DTF "YYYY-MM": the day is not given */
  gboolean day_end;     /* "24:00": midnight ending the day (ISO 8601) */
} Cand;

typedef struct {
  gboolean find; /* searching free text: stricter */
  guint flags;   /* KqDateParseFlags */
} Ctx;

/* ---- Names ---------------------------------------------------------------- */

typedef struct {
  const char *name; /* folded: lower-case ASCII, no accents */
  int value;
} NameEntry;

/* Month names and abbreviations: English, French, German, Spanish,
 * Portuguese. Several languages share a spelling with the same month. */
static const NameEntry month_names[] = {
  /* English */
  {"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"may", 5},
  {"june", 6}, {"july", 7}, {"august", 8}, {"september", 9}, {"october", 10},
  {"november", 11}, {"december", 12},
  {"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"jun", 6}, {"jul", 7},
  {"aug", 8}, {"sep", 9}, {"sept", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12},
  /* French */
  {"janvier", 1}, {"fevrier", 2}, {"mars", 3}, {"avril", 4}, {"mai", 5},
  {"juin", 6}, {"juillet", 7}, {"aout", 8}, {"septembre", 9}, {"octobre", 10},
  {"novembre", 11}, {"decembre", 12},
  {"janv", 1}, {"fev", 2}, {"fevr", 2}, {"avr", 4}, {"juil", 7},
  /* German */
  {"januar", 1}, {"janner", 1}, {"februar", 2}, {"marz", 3}, {"maerz", 3},
  {"juni", 6}, {"juli", 7}, {"oktober", 10}, {"dezember", 12},
  {"okt", 10}, {"dez", 12},
  /* Spanish */
  {"enero", 1}, {"febrero", 2}, {"marzo", 3}, {"abril", 4}, {"mayo", 5},
  {"junio", 6}, {"julio", 7}, {"agosto", 8}, {"septiembre", 9},
  {"setiembre", 9}, {"octubre", 10}, {"noviembre", 11}, {"diciembre", 12},
  {"ene", 1}, {"abr", 4}, {"ago", 8}, {"set", 9}, {"dic", 12},
  /* Portuguese */
  {"janeiro", 1}, {"fevereiro", 2}, {"marco", 3}, {"maio", 5}, {"junho", 6},
  {"julho", 7}, {"setembro", 9}, {"outubro", 10}, {"novembro", 11},
  {"dezembro", 12}, {"out", 10},
};

#define WD(n) (1u << (n))
/* Weekday names → mask of the days they may mean (1 = Monday): "do" is
 * Thursday in German and Sunday in Spanish. */
static const NameEntry weekday_names[] = {
  /* English */
  {"monday", WD(1)}, {"tuesday", WD(2)}, {"wednesday", WD(3)}, {"thursday", WD(4)},
  {"friday", WD(5)}, {"saturday", WD(6)}, {"sunday", WD(7)},
  {"mon", WD(1)}, {"tue", WD(2)}, {"tues", WD(2)}, {"wed", WD(3)}, {"thu", WD(4)},
  {"thur", WD(4)}, {"thurs", WD(4)}, {"fri", WD(5)}, {"sat", WD(6)}, {"sun", WD(7)},
  /* French */
  {"lundi", WD(1)}, {"mardi", WD(2)}, {"mercredi", WD(3)}, {"jeudi", WD(4)},
  {"vendredi", WD(5)}, {"samedi", WD(6)}, {"dimanche", WD(7)},
  {"lun", WD(1)}, {"mar", WD(2)}, {"mer", WD(3)}, {"jeu", WD(4)}, {"ven", WD(5)},
  {"sam", WD(6)}, {"dim", WD(7)},
  /* German */
  {"montag", WD(1)}, {"dienstag", WD(2)}, {"mittwoch", WD(3)}, {"donnerstag", WD(4)},
  {"freitag", WD(5)}, {"samstag", WD(6)}, {"sonnabend", WD(6)}, {"sonntag", WD(7)},
  {"mo", WD(1)}, {"di", WD(2)}, {"mi", WD(3)}, {"do", WD(4) | WD(7)}, {"fr", WD(5)},
  {"sa", WD(6)}, {"so", WD(7)},
  /* Spanish */
  {"lunes", WD(1)}, {"martes", WD(2)}, {"miercoles", WD(3)}, {"jueves", WD(4)},
  {"viernes", WD(5)}, {"sabado", WD(6)}, {"domingo", WD(7)},
  {"lu", WD(1)}, {"ma", WD(2)}, {"mie", WD(3)}, {"ju", WD(4)}, {"vi", WD(5)},
  {"vie", WD(5)}, {"sab", WD(6)}, {"dom", WD(7)},
  /* Portuguese */
  {"segunda", WD(1)}, {"terca", WD(2)}, {"quarta", WD(3)}, {"quinta", WD(4)},
  {"sexta", WD(5)}, {"segunda-feira", WD(1)}, {"terca-feira", WD(2)},
  {"quarta-feira", WD(3)}, {"quinta-feira", WD(4)}, {"sexta-feira", WD(5)},
  {"seg", WD(1)}, {"ter", WD(2)}, {"qua", WD(3)}, {"qui", WD(4)}, {"sex", WD(5)},
};

/* Zone names (upper case) → minutes east of UTC. RFC 822's own, plus
 * common European, US and Asian abbreviations seen in feeds. */
static const NameEntry zone_names[] = {
  {"UT", 0}, {"UTC", 0}, {"GMT", 0}, {"Z", 0},
  {"EST", -300}, {"EDT", -240}, {"CST", -360}, {"CDT", -300},
  {"MST", -420}, {"MDT", -360}, {"PST", -480}, {"PDT", -420},
  {"AKST", -540}, {"AKDT", -480}, {"HST", -600},
  {"WET", 0}, {"WEST", 60}, {"BST", 60}, {"CET", 60}, {"CEST", 120},
  {"MEZ", 60}, {"MESZ", 120}, {"EET", 120}, {"EEST", 180}, {"MSK", 180},
  {"JST", 540}, {"KST", 540}, {"AEST", 600}, {"AEDT", 660},
  /* Other names that mean one offset only. */
  {"MET", 60}, {"MEST", 120}, {"MEZ", 60}, {"WEZ", 0}, {"WESZ", 60}, {"OEZ", 120},
  {"OESZ", 180}, {"EAT", 180}, {"CAT", 120}, {"WAT", 60}, {"SAST", 120}, {"NZST", 720},
  {"NZDT", 780}, {"ACST", 570}, {"ACDT", 630}, {"AWST", 480}, {"HKT", 480}, {"SGT", 480},
  {"PHT", 480}, {"WIB", 420}, {"ICT", 420}, {"PKT", 300}, {"NST", -210}, {"NDT", -150},
  {"ADT", -180}, {"AKST", -540}, {"HAST", -600}, {"HADT", -540}, {"BRT", -180},
  {"ART", -180}, {"UCT", 0}, {"ZULU", 0},
};

/* Month and weekday names in hash tables, built once (kq_date_find tries
 * every word of a text). Keys and values are static. */
static gpointer build_tables(gpointer data)
{
  GHashTable **tables = data;
  tables[0] = g_hash_table_new(g_str_hash, g_str_equal);
  tables[1] = g_hash_table_new(g_str_hash, g_str_equal);
  for (gsize i = 0; i < G_N_ELEMENTS(month_names); i++)
    g_hash_table_insert(tables[0], (gpointer)month_names[i].name,
                        GINT_TO_POINTER(month_names[i].value));
  for (gsize i = 0; i < G_N_ELEMENTS(weekday_names); i++)
    g_hash_table_insert(tables[1], (gpointer)weekday_names[i].name,
                        GINT_TO_POINTER(weekday_names[i].value));
  return tables;
}

/* which: 0 months (1..12), 1 weekdays (masks); 0 when unknown. */
static int lookup(int which, const char *folded)
{
  static GHashTable *tables[2];
  static GOnce once = G_ONCE_INIT;
  g_once(&once, build_tables, tables);
  return GPOINTER_TO_INT(g_hash_table_lookup(tables[which], folded));
}

/* ---- Low-level scanning ------------------------------------------------- */

static gboolean is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

/* Spaces: ASCII white space, NBSP, thin and narrow no-break spaces. */
static const char *skip_ws(const char *p)
{
  for (;;) {
    if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\f' || *p == '\v')
      p++;
    else if ((guchar)p[0] == 0xC2 && (guchar)p[1] == 0xA0)
      p += 2;
    else if ((guchar)p[0] == 0xE2 && (guchar)p[1] == 0x80 &&
             ((guchar)p[2] == 0x89 || (guchar)p[2] == 0xAF || (guchar)p[2] == 0x8A))
      p += 3;
    else
      return p;
  }
}

/* The character at p, or 0 at the end / on invalid UTF-8. */
static gunichar char_at(const char *p)
{
  if (*p == '\0')
    return 0;
  gunichar c = g_utf8_get_char_validated(p, -1);
  return (c == (gunichar)-1 || c == (gunichar)-2) ? 0 : c;
}

static const char *next_char(const char *p)
{
  gunichar c = char_at(p);
  if (c == 0)
    return *p ? p + 1 : p;
  return p + g_unichar_to_utf8(c, NULL);
}

static gboolean is_word_char(gunichar c)
{
  return c != 0 && (g_unichar_isalnum(c) || g_unichar_ismark(c));
}

/* TRUE when nothing word-like continues at p (end of a token). */
static gboolean at_boundary(const char *p)
{
  return !is_word_char(char_at(p));
}

/* Reads a run of digits: value saturates near 10^9, *ndigits counts all. */
static const char *read_digits(const char *p, int *value, int *ndigits)
{
  int v = 0, n = 0;
  while (is_ascii_digit(*p)) {
    if (v < 100000000)
      v = v * 10 + (*p - '0');
    n++;
    p++;
  }
  *value = v;
  *ndigits = n;
  return p;
}

/* Appends the folded form of c (lower-case ASCII, accents and marks
 * dropped, compatibility forms such as "ᵉʳ" decomposed) to buf; a
 * character with no ASCII form appends '\1', which matches nothing. */
static void fold_char(gunichar c, char *buf, gsize *len, gsize size)
{
  gunichar dec[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n = g_unichar_fully_decompose(c, TRUE, dec, G_N_ELEMENTS(dec));
  for (gsize i = 0; i < n; i++) {
    gunichar d = dec[i];
    if (g_unichar_ismark(d))
      continue;
    if (d == 0x00DF) { /* ß */
      fold_char('s', buf, len, size);
      fold_char('s', buf, len, size);
      continue;
    }
    char out = d < 0x80 ? g_ascii_tolower((char)d) : '\1';
    if (*len + 1 < size)
      buf[(*len)++] = out;
    else
      buf[0] = '\1'; /* too long: matches nothing */
  }
  buf[*len] = '\0';
}

/* Reads a word (letters and marks, inner hyphens) at p into buf folded;
 * returns its end, or p when no word starts there. */
static const char *read_word(const char *p, char *buf, gsize size)
{
  gsize len = 0;
  const char *q = p;
  buf[0] = '\0';
  for (;;) {
    /* No name is longer than WORD_MAX: stop early so that a huge word (or
     * a long hyphenated chain, tried at each of its parts) costs little. */
    if ((gsize)(q - p) > 4 * WORD_MAX) {
      buf[0] = '\1';
      buf[1] = '\0';
      break;
    }
    gunichar c = char_at(q);
    if (c != 0 && (g_unichar_isalpha(c) || (q > p && g_unichar_ismark(c)))) {
      fold_char(c, buf, &len, size);
      q = next_char(q);
    } else if (c == '-' && q > p && g_unichar_isalpha(char_at(q + 1))) {
      fold_char('-', buf, &len, size);
      q++;
    } else {
      break;
    }
  }
  return q;
}

/* Reads a word and says whether it is one of the given folded words. */
static const char *accept_word(const char *p, const char *const *words)
{
  char w[WORD_MAX + 1];
  const char *q = read_word(p, w, sizeof w);
  if (q == p)
    return NULL;
  for (gsize i = 0; words[i]; i++)
    if (strcmp(w, words[i]) == 0)
      return q;
  return NULL;
}

/* Reads a word at p and looks it up (which: as for lookup()): its value,
 * 0 when there is no word there or it is no such name; *end: after it. */
static int read_name(const char *p, int which, const char **end)
{
  char w[WORD_MAX + 1];
  *end = read_word(p, w, sizeof w);
  return *end == p ? 0 : lookup(which, w);
}

/* Reads a month name with an optional abbreviation dot. */
static const char *read_month(const char *p, int *month)
{
  const char *q;
  int m = read_name(p, 0, &q);
  if (m == 0)
    return NULL;
  *month = m;
  if (*q == '.')
    q++;
  return q;
}

/* Optional weekday name ("Friday,", "ven.", "Seg,") at p: fills the mask
 * and returns the position after it and its punctuation, or p. */
static const char *opt_weekday(const char *p, Cand *c)
{
  const char *q;
  guint mask = (guint)read_name(p, 1, &q);
  if (mask == 0)
    return p;
  c->wday_mask = mask;
  gsize n = (gsize)(q - p) < sizeof c->wday_word - 1 ? (gsize)(q - p) : sizeof c->wday_word - 1;
  memcpy(c->wday_word, p, n);
  c->wday_word[n] = '\0';
  if (*q == '.')
    q++;
  q = skip_ws(q);
  if (*q == ',')
    q = skip_ws(q + 1);
  return q;
}

/* ---- Zones and times ---------------------------------------------------- */

/* A numeric offset "+01:00", "+0100", "+01", "-05", with '-' or U+2212. */
static const char *read_offset(const char *p, int *offset, gboolean *bad)
{
  int sign;
  const char *q = p;
  if (*q == '+') {
    sign = 1;
    q++;
  } else if (*q == '-') {
    sign = -1;
    q++;
  } else if (g_str_has_prefix(q, "\xE2\x88\x92")) { /* U+2212 minus */
    sign = -1;
    q += 3;
  } else {
    return NULL;
  }
  int h, m = 0, n;
  q = read_digits(q, &h, &n);
  if (n == 4) {
    m = h % 100;
    h /= 100;
  } else if (n == 2 || n == 1) {
    if (*q == ':' && is_ascii_digit(q[1])) {
      q = read_digits(q + 1, &m, &n);
      if (n != 2)
        return NULL;
    }
  } else {
    return NULL;
  }
  if (!at_boundary(q))
    return NULL;
  if (m > 59 || h * 60 + m > MAX_OFFSET_MIN) {
    *bad = TRUE;
    return NULL;
  }
  *offset = sign * (h * 60 + m);
  return q;
}

static gint64 days_since_epoch(int year, int month, int day);

/* An IANA zone identifier ("Europe/Paris", "America/New_York") resolved
 * with the system's zone data for the candidate's own date and time, or
 * "Etc/GMT+5" (POSIX signs: five hours west). NULL when p holds none. */
static const char *read_zone_id(const char *p, Cand *c, gboolean *bad)
{
  const char *q = p;
  while (g_ascii_isalpha(*q))
    q++;
  if (q == p || *q != '/' || !g_ascii_isalpha(q[1]))
    return NULL;
  while (g_ascii_isalnum(*q) || *q == '/' || *q == '_' || *q == '-' || *q == '+')
    q++;
  gsize n = (gsize)(q - p);
  if (n >= sizeof c->zone_name || !at_boundary(q))
    return NULL;
  char id[sizeof c->zone_name];
  memcpy(id, p, n);
  id[n] = '\0';
  if (g_ascii_strncasecmp(id, "Etc/", 4) == 0) {
    const char *z = id + 4;
    static const char *const utc_names[] = {"GMT", "UTC", "UCT", "Zulu", "Universal",
                                            "Greenwich", "GMT0", "GMT+0", "GMT-0", NULL};
    for (int i = 0; utc_names[i]; i++)
      if (g_ascii_strcasecmp(z, utc_names[i]) == 0) {
        c->zone = ZONE_GIVEN;
        c->offset_min = 0;
        g_strlcpy(c->zone_name, id, sizeof c->zone_name);
        return q;
      }
    if (g_ascii_strncasecmp(z, "GMT", 3) != 0 || (z[3] != '+' && z[3] != '-'))
      return NULL;
    char *end = NULL;
    long h = strtol(z + 4, &end, 10);
    if (!g_ascii_isdigit(z[4]) || *end || h > 14) {
      *bad = TRUE;
      return NULL;
    }
    c->zone = ZONE_GIVEN;
    c->offset_min = (z[3] == '+' ? -1 : 1) * (int)h * 60; /* POSIX: GMT+5 is UTC-5 */
    g_strlcpy(c->zone_name, id, sizeof c->zone_name);
    return q;
  }
  GTimeZone *tz = g_time_zone_new_identifier(id);
  if (!tz)
    return NULL;
  gint64 local = (days_since_epoch(c->year, c->month, c->day) * 24 + c->hour) * 3600 +
                 c->minute * 60 + c->second;
  int iv = g_time_zone_adjust_time(tz, G_TIME_TYPE_STANDARD, &local);
  c->zone = ZONE_GIVEN;
  c->offset_min = iv >= 0 ? g_time_zone_get_offset(tz, iv) / 60 : 0;
  g_time_zone_unref(tz);
  g_strlcpy(c->zone_name, id, sizeof c->zone_name);
  return q;
}

/* A zone after a time: numeric offset, a name (UTC, GMT, EST, CET...),
 * "GMT+1", an RFC 822 military letter. Returns NULL when none; *bad when
 * there is one but it is absurd. */
static const char *read_zone_core(const Ctx *ctx, const char *p, Cand *c, gboolean *bad)
{
  int off = 0;
  const char *q = read_offset(p, &off, bad);
  if (q) {
    c->zone = ZONE_GIVEN;
    c->offset_min = off;
    return q;
  }
  if (*bad)
    return NULL;
  if (!ctx->find) {
    q = read_zone_id(p, c, bad);
    if (q || *bad)
      return q;
  }
  /* A name: ASCII letters only. */
  char name[8];
  gsize n = 0;
  q = p;
  while (g_ascii_isalpha(*q) && n < sizeof name - 1)
    name[n++] = *q++;
  name[n] = '\0';
  if (n == 0 || !at_boundary(q) || (*q && g_ascii_isalpha(*q)))
    return NULL;
  gboolean upper = TRUE;
  for (gsize i = 0; i < n; i++)
    upper = upper && g_ascii_isupper(name[i]);
  /* In free text "est" is a French word: zone names must be upper case. */
  if (ctx->find && !upper)
    return NULL;
  char up[8];
  for (gsize i = 0; i <= n; i++)
    up[i] = g_ascii_toupper(name[i]);
  gboolean known = FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS(zone_names); i++)
    if (strcmp(zone_names[i].name, up) == 0) {
      off = zone_names[i].value;
      known = TRUE;
    }
  if (known) {
    c->zone = ZONE_GIVEN;
    c->offset_min = off;
    if ((strcmp(up, "GMT") == 0 || strcmp(up, "UTC") == 0) && (*q == '+' || *q == '-')) {
      int extra = 0;
      gboolean bad2 = FALSE;
      const char *r = read_offset(q, &extra, &bad2);
      if (bad2) {
        *bad = TRUE;
        return NULL;
      }
      if (r) {
        c->offset_min = extra;
        q = r;
      }
    }
  } else if (n == 1 && upper && up[0] != 'J' && !ctx->find) {
    /* RFC 822 got the military signs backwards; RFC 5322 §4.3 says to
     * take them as -0000 (UTC, true offset unknown). */
    c->zone = ZONE_MILITARY;
    c->offset_min = 0;
  } else if (!ctx->find && upper && n >= 2 && n <= 5) {
    c->zone = ZONE_UNKNOWN;
    c->offset_min = 0;
  } else {
    return NULL;
  }
  g_strlcpy(c->zone_name, up, sizeof c->zone_name);
  return q;
}

/* A zone, then (outside free text) an RFC 822 comment such as "(UTC)". */
static const char *read_zone(const Ctx *ctx, const char *p, Cand *c, gboolean *bad)
{
  const char *q = read_zone_core(ctx, p, c, bad);
  if (q && !ctx->find) {
    const char *r = skip_ws(q);
    if (*r == '(') {
      const char *close = strchr(r, ')');
      if (close && close - r < 64)
        q = close + 1;
    }
  }
  return q;
}

/* "am"/"pm"/"a.m."/"p.m." at p: 0 none, 1 am, 2 pm. */
static const char *read_ampm(const char *p, int *which)
{
  char a = g_ascii_tolower(p[0]);
  if (a != 'a' && a != 'p')
    return NULL;
  const char *q = p + 1;
  if (*q == '.')
    q++;
  if (g_ascii_tolower(*q) != 'm')
    return NULL;
  q++;
  if (*q == '.')
    q++;
  if (!at_boundary(q))
    return NULL;
  *which = a == 'a' ? 1 : 2;
  return q;
}

/* A time of day at p: "08:15", "08:15:00.250", "14h30", "14 h", "2:30 PM",
 * "2 PM", "10 Uhr"; then an optional zone. Fills c; NULL when none. */
static const char *read_time(const Ctx *ctx, const char *p, Cand *c, gboolean *bad)
{
  int h, m = 0, s = 0, n;
  gboolean colon = FALSE, have_min = FALSE;
  const char *q = read_digits(p, &h, &n);
  if (n < 1 || n > 2)
    return NULL;
  if (*q == ':' && is_ascii_digit(q[1])) {
    q = read_digits(q + 1, &m, &n);
    if (n != 2)
      return NULL;
    colon = have_min = TRUE;
    if (*q == ':' && is_ascii_digit(q[1])) {
      q = read_digits(q + 1, &s, &n);
      if (n != 2)
        return NULL;
      if ((*q == '.' || *q == ',') && is_ascii_digit(q[1])) {
        int frac;
        q = read_digits(q + 1, &frac, &n); /* fractions are dropped */
      }
    }
  } else {
    const char *r = skip_ws(q);
    if ((*r == 'h' || *r == 'H') && !g_unichar_isalpha(char_at(r + 1))) {
      r++;
      const char *t = skip_ws(r);
      if (is_ascii_digit(*t)) {
        const char *u = read_digits(t, &m, &n);
        if (n == 2 && at_boundary(u)) {
          r = u;
          have_min = TRUE;
        }
      }
      q = r;
      have_min = TRUE; /* "14h" means 14:00 */
    }
  }
  if (!at_boundary(q) && !((*q == 'Z' || *q == 'z') && at_boundary(q + 1)))
    return NULL;
  int ampm = 0;
  const char *r = read_ampm(skip_ws(q), &ampm);
  if (r)
    q = r;
  else if (!have_min)
    return NULL; /* a bare number is not a time */
  if (ampm) {
    if (h < 1 || h > 12)
      return NULL;
    h = ampm == 1 ? (h == 12 ? 0 : h) : (h == 12 ? 12 : h + 12);
  } else {
    static const char *const uhr[] = {"uhr", NULL};
    r = accept_word(skip_ws(q), uhr);
    if (r)
      q = r;
  }
  gboolean day_end = h == 24 && m == 0 && s == 0;
  if ((h > 23 && !day_end) || m > 59 || s > 60)
    return NULL;
  if (s == 60)
    s = 59; /* a leap second: kept inside its minute */
  if (day_end) {
    h = 0; /* ISO 8601's 24:00 is 00:00 of the next day (finish() moves it) */
    c->day_end = TRUE;
  }
  c->has_time = TRUE;
  c->hour = h;
  c->minute = m;
  c->second = s;
  c->rfc_time = colon && !ampm;
  r = skip_ws(q);
  const char *z = read_zone(ctx, r, c, bad);
  if (*bad)
    return NULL;
  return z ? z : q;
}

/* After a date: an optional time, introduced by a comma or a word such as
 * "à", "at", "um", "às", "a las", or a dash. Returns p when none. */
static const char *opt_time_part(const Ctx *ctx, const char *p, Cand *c, gboolean *bad)
{
  static const char *const connectors[] = {"a", "at", "um", "as", "las", "alle", "ore",
                                           "om", NULL};
  const char *q = skip_ws(p);
  gboolean connector = FALSE;
  if (*q == ',' || *q == '-' || *q == '|')
    q = skip_ws(q + 1);
  else if (g_str_has_prefix(q, "\xE2\x80\x93") || g_str_has_prefix(q, "\xE2\x80\x94"))
    q = skip_ws(q + 3);
  for (int i = 0; i < 2; i++) {
    const char *r = accept_word(q, connectors);
    if (!r)
      break;
    q = skip_ws(r);
    connector = TRUE;
  }
  if (!is_ascii_digit(*q))
    return p;
  Cand t = *c;
  const char *r = read_time(ctx, q, &t, bad);
  if (!r)
    return p;
  if (connector)
    t.rfc_time = FALSE;
  *c = t;
  return r;
}

/* ---- Recognizers ---------------------------------------------------------- */

static gboolean year_from_digits(const Ctx *ctx, int v, int n, int *year)
{
  if (n == 4)
    *year = v;
  else if (n == 2 && !ctx->find)
    *year = v < 50 ? 2000 + v : 1900 + v; /* RFC 5322 §4.3 */
  else if (n == 3 && !ctx->find)
    *year = 1900 + v; /* RFC 5322 §4.3 */
  else
    return FALSE;
  return *year >= 1 && *year <= 9999;
}

static gboolean cand_valid(const Cand *c)
{
  KqDate d;
  return kq_date_make(&d, c->year, c->month, c->day, c->has_time, c->hour, c->minute,
                      c->second, c->offset_min);
}

/* ISO 8601: 2026-01-30, 2026-01-30T08:15:00.5+01:00, "2026-01-30 08:15Z",
 * basic 20260130T081500Z (outside free text). */
static const char *rec_iso(const Ctx *ctx, const char *p, Cand *c)
{
  int y, m, d, n;
  const char *q = read_digits(p, &y, &n);
  gboolean basic = FALSE;
  if (n == 4 && *q == '-' && is_ascii_digit(q[1])) {
    q = read_digits(q + 1, &m, &n);
    if (n == 2 && !ctx->find && *skip_ws(q) == '\0') {
      /* W3C-DTF "YYYY-MM": reduced precision, the 1st of the month. */
      c->year = y;
      c->month = m;
      c->day = 1;
      c->partial = TRUE;
      return q;
    }
    if (n < 1 || n > 2 || *q != '-' || !is_ascii_digit(q[1]))
      return NULL;
    q = read_digits(q + 1, &d, &n);
    if (n < 1 || n > 2)
      return NULL;
  } else if (n == 8 && !ctx->find) {
    basic = TRUE;
    d = y % 100;
    m = y / 100 % 100;
    y /= 10000;
  } else {
    return NULL;
  }
  c->year = y;
  c->month = m;
  c->day = d;
  const char *end = q;
  gboolean bad = FALSE;
  const char *t = NULL;
  if ((*q == 'T' || *q == 't') && is_ascii_digit(q[1]))
    t = q + 1;
  else if (*q == ' ' && is_ascii_digit(q[1]) && is_ascii_digit(q[2]) && q[3] == ':')
    t = q + 1;
  if (t) {
    int hh, mm, ss = 0;
    const char *r = read_digits(t, &hh, &n);
    if (n == 2 && *r == ':') {
      r = read_time(ctx, t, c, &bad);
      if (bad)
        return NULL;
      if (r)
        end = r;
    } else if ((n == 4 || n == 6) && basic) {
      if (n == 6) {
        ss = hh % 100;
        hh /= 100;
      }
      mm = hh % 100;
      hh /= 100;
      if (hh > 23 || mm > 59 || ss > 60)
        return NULL;
      c->has_time = TRUE;
      c->hour = hh;
      c->minute = mm;
      c->second = ss == 60 ? 59 : ss;
      end = r;
      const char *z = read_zone(ctx, skip_ws(r), c, &bad);
      if (bad)
        return NULL;
      if (z)
        end = z;
    }
    c->rfc_time = FALSE;
  }
  if (!at_boundary(end))
    return NULL;
  return end;
}

/* Numeric: 30/01/2026, 30.01.2026, 2026/01/30, 01/30/2026 with month
 * first, then an optional time. */
static const char *rec_numeric(const Ctx *ctx, const char *p, Cand *c)
{
  int a, b, y, na, nb, ny;
  const char *q = read_digits(p, &a, &na);
  char sep = *q;
  if (sep != '/' && sep != '.' && sep != '-')
    return NULL;
  q = read_digits(q + 1, &b, &nb);
  if (nb < 1 || nb > 2 || *q != sep)
    return NULL;
  q = read_digits(q + 1, &y, &ny);
  if (!at_boundary(q) || (*q == sep && is_ascii_digit(q[1])))
    return NULL;
  if (na == 4 && ny >= 1 && ny <= 2) {
    c->year = a;
    c->month = b;
    c->day = y;
  } else if (na >= 1 && na <= 2) {
    if (!year_from_digits(ctx, y, ny, &c->year))
      return NULL;
    gboolean month_first = (ctx->flags & KQ_DATE_PARSE_MONTH_FIRST) != 0;
    c->day = month_first ? b : a;
    c->month = month_first ? a : b;
    if (!cand_valid(c) && c->day <= 12 && c->month > 12) {
      int tmp = c->day;
      c->day = c->month;
      c->month = tmp;
      c->swapped = TRUE;
    }
  } else {
    return NULL;
  }
  gboolean bad = FALSE;
  q = opt_time_part(ctx, q, c, &bad);
  return bad ? NULL : q;
}

/* Day, ordinal suffix ("1er", "1st", "1º", "1ᵉʳ") and German dot. */
static const char *read_day(const char *p, int *day)
{
  static const char *const ordinals[] = {"er", "re", "e", "st", "nd", "rd", "th", NULL};
  int n;
  const char *q = read_digits(p, day, &n);
  if (n < 1 || n > 2)
    return NULL;
  const char *r = accept_word(q, ordinals);
  if (r)
    q = r;
  else if (g_str_has_prefix(q, "\xC2\xBA") || g_str_has_prefix(q, "\xC2\xB0"))
    q += 2; /* º ° */
  if (!at_boundary(q))
    return NULL;
  if (*q == '.')
    q++;
  return q;
}

/* Day first: "[le] [vendredi] 30 janvier 2026 [à 14h30]", "1er février
 * 2026", "30. Januar 2026", "30 de enero de 2026", RFC 822 "Fri, 30 Jan
 * 2026 08:15:00 GMT". */
static const char *rec_day_first(const Ctx *ctx, const char *p, Cand *c)
{
  static const char *const articles[] = {"le", "el", "am", "the", "on", NULL};
  static const char *const of[] = {"de", "of", "del", NULL};
  const char *q = p;
  if (!ctx->find) {
    const char *r = accept_word(q, articles);
    if (r)
      q = skip_ws(r);
  }
  q = opt_weekday(q, c);
  if (!is_ascii_digit(*q))
    return NULL;
  q = read_day(q, &c->day);
  if (!q)
    return NULL;
  /* RFC 850 (Usenet, HTTP/1.0): "Tuesday, 19-Nov-19 10:00:00 GMT". */
  gboolean dashed = !ctx->find && *q == '-' && g_ascii_isalpha(q[1]);
  if (dashed)
    q++;
  q = skip_ws(q);
  const char *r = accept_word(q, of);
  if (r)
    q = skip_ws(r);
  q = read_month(q, &c->month);
  if (!q)
    return NULL;
  if (dashed) {
    if (*q != '-' || !is_ascii_digit(q[1]))
      return NULL;
    q++;
  }
  q = skip_ws(q);
  if (*q == ',')
    q = skip_ws(q + 1);
  r = accept_word(q, of);
  if (r)
    q = skip_ws(r);
  int v, n;
  q = read_digits(q, &v, &n);
  if (!at_boundary(q) || !year_from_digits(ctx, v, n, &c->year))
    return NULL;
  gboolean bad = FALSE;
  q = opt_time_part(ctx, q, c, &bad);
  return bad ? NULL : q;
}

/* Month first: "[Friday,] January 30[th], 2026 [at 2:30 PM]", "Jan. 30
 * 2026", asctime "Fri Jan 30 08:15:00 2026". */
static const char *month_first(const Ctx *ctx, const char *p, Cand *c, gboolean weekday)
{
  const char *q = weekday ? opt_weekday(p, c) : p;
  q = read_month(q, &c->month);
  if (!q)
    return NULL;
  q = skip_ws(q);
  if (!is_ascii_digit(*q))
    return NULL;
  q = read_day(q, &c->day);
  if (!q)
    return NULL;
  q = skip_ws(q);
  gboolean bad = FALSE;
  if (*q == ',') {
    q = skip_ws(q + 1);
  } else {
    /* asctime: the time comes before the year. */
    Cand t = *c;
    const char *r = read_time(ctx, q, &t, &bad);
    if (bad)
      return NULL;
    if (r && t.rfc_time) {
      const char *y = skip_ws(r);
      int v, n;
      const char *e = read_digits(y, &v, &n);
      if (at_boundary(e) && year_from_digits(ctx, v, n, &t.year)) {
        t.rfc_time = FALSE; /* asctime is local time by definition */
        *c = t;
        return e;
      }
    }
  }
  int v, n;
  q = read_digits(q, &v, &n);
  if (!at_boundary(q) || !year_from_digits(ctx, v, n, &c->year))
    return NULL;
  q = opt_time_part(ctx, q, c, &bad);
  return bad ? NULL : q;
}

static const char *rec_month_first(const Ctx *ctx, const char *p, Cand *c)
{
  /* "Mar 30, 2026": "Mar" is also a weekday (French, Spanish); try both. */
  Cand save = *c;
  const char *e = month_first(ctx, p, c, TRUE);
  if (e)
    return e;
  *c = save;
  return month_first(ctx, p, c, FALSE);
}

typedef const char *(*Recognizer)(const Ctx *ctx, const char *p, Cand *c);

/* Tries every recognizer at p; the longest valid match wins. */
static const char *parse_at(const Ctx *ctx, const char *p, Cand *best)
{
  static const Recognizer recs[] = {rec_iso, rec_numeric, rec_day_first, rec_month_first};
  const char *best_end = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS(recs); i++) {
    Cand c;
    memset(&c, 0, sizeof c);
    const char *e = recs[i](ctx, p, &c);
    if (e && cand_valid(&c) && (!best_end || e > best_end)) {
      best_end = e;
      *best = c;
    }
  }
  return best_end;
}

static const char *const weekday_en[] = {"", "Monday", "Tuesday", "Wednesday",
                                         "Thursday", "Friday", "Saturday", "Sunday"};

/* Turns a winning candidate into a date and its notes. */
static void finish(const Cand *c, KqDate *out, char **warning)
{
  kq_date_make(out, c->year, c->month, c->day, c->has_time, c->hour, c->minute, c->second,
               c->offset_min);
  if (c->day_end) {
    GDateTime *next = g_date_time_new_from_unix_utc(kq_date_to_unix(out) + 86400 +
                                                    (gint64)c->offset_min * 60);
    if (next) {
      kq_date_make(out, g_date_time_get_year(next), g_date_time_get_month(next),
                   g_date_time_get_day_of_month(next), TRUE, 0, 0, 0, c->offset_min);
      g_date_time_unref(next);
    }
  }
  if (!warning)
    return;
  GString *w = NULL;
  if (c->partial)
    w = g_string_new("month without a day, taken as the 1st");
  int wd = kq_date_weekday(out);
  if (c->wday_mask && !(c->wday_mask & WD(wd))) {
    if (!w)
      w = g_string_new(NULL);
    else
      g_string_append(w, "; ");
    g_string_append_printf(w, "weekday '%s' does not match %04d-%02d-%02d (a %s); date kept",
                           c->wday_word, c->year, c->month, c->day, weekday_en[wd]);
  }
  char *zone_note = NULL;
  if (c->has_time && c->zone == ZONE_UNKNOWN)
    zone_note = g_strdup_printf("unknown time zone '%s', taken as UTC", c->zone_name);
  else if (c->has_time && c->zone == ZONE_MILITARY)
    zone_note = g_strdup_printf("military time zone '%s' is ambiguous (RFC 5322 section 4.3),"
                                " taken as UTC", c->zone_name);
  else if (c->has_time && c->zone == ZONE_NONE && c->rfc_time)
    zone_note = g_strdup("no time zone, taken as UTC");
  if (zone_note) {
    if (!w)
      w = g_string_new(NULL);
    else
      g_string_append(w, "; ");
    g_string_append(w, zone_note);
    g_free(zone_note);
  }
  if (c->swapped) {
    if (!w)
      w = g_string_new(NULL);
    else
      g_string_append(w, "; ");
    g_string_append(w, "day and month swapped to make a valid date");
  }
  if (w)
    *warning = g_string_free(w, FALSE);
}

/* ---- Public API --------------------------------------------------------- */

gboolean kq_date_parse_flags(const char *text, guint flags, KqDate *out, char **warning)
{
  if (warning)
    *warning = NULL;
  memset(out, 0, sizeof *out);
  if (!text)
    return FALSE;
  Ctx ctx = {FALSE, flags};
  const char *p = skip_ws(text);
  Cand c;
  const char *e = parse_at(&ctx, p, &c);
  if (!e || *skip_ws(e) != '\0')
    return FALSE;
  finish(&c, out, warning);
  return TRUE;
}

gboolean kq_date_parse(const char *text, KqDate *out, char **warning)
{
  return kq_date_parse_flags(text, KQ_DATE_PARSE_DEFAULT, out, warning);
}

gboolean kq_date_find(const char *text, KqDate *out, gsize *start, gsize *end)
{
  memset(out, 0, sizeof *out);
  if (!text)
    return FALSE;
  Ctx ctx = {TRUE, KQ_DATE_PARSE_DEFAULT};
  gboolean prev_word = FALSE;
  for (const char *p = text; *p;) {
    gunichar ch = char_at(p);
    gboolean word = is_word_char(ch);
    if (word && !prev_word && (g_unichar_isalpha(ch) || is_ascii_digit(*p))) {
      Cand c;
      const char *e = parse_at(&ctx, p, &c);
      if (e) {
        finish(&c, out, NULL);
        if (start)
          *start = (gsize)(p - text);
        if (end)
          *end = (gsize)(e - text);
        return TRUE;
      }
    }
    prev_word = word;
    p = next_char(p);
  }
  return FALSE;
}

gboolean kq_date_make(KqDate *out, int year, int month, int day, gboolean has_time,
                      int hour, int minute, int second, int offset_min)
{
  memset(out, 0, sizeof *out);
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 ||
      !g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year))
    return FALSE;
  if (has_time && (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 ||
                   second > 59 || offset_min < -MAX_OFFSET_MIN || offset_min > MAX_OFFSET_MIN))
    return FALSE;
  out->set = TRUE;
  out->has_time = has_time;
  out->year = year;
  out->month = month;
  out->day = day;
  if (has_time) {
    out->hour = hour;
    out->minute = minute;
    out->second = second;
    out->offset_min = offset_min;
  }
  return TRUE;
}

/* Days since 1970-01-01 of a valid calendar day, through GDate's Julian
 * day numbers (day 1 = 0001-01-01). */
static gint64 days_since_epoch(int year, int month, int day)
{
  GDate d, epoch;
  g_date_clear(&d, 1);
  g_date_clear(&epoch, 1);
  g_date_set_dmy(&d, (GDateDay)day, (GDateMonth)month, (GDateYear)year);
  g_date_set_dmy(&epoch, 1, G_DATE_JANUARY, 1970);
  return (gint64)g_date_get_julian(&d) - (gint64)g_date_get_julian(&epoch);
}

gint64 kq_date_to_unix(const KqDate *d)
{
  if (!d || !d->set)
    return 0;
  gint64 t = days_since_epoch(d->year, d->month, d->day) * 86400;
  if (d->has_time)
    t += (gint64)d->hour * 3600 + d->minute * 60 + d->second - (gint64)d->offset_min * 60;
  return t;
}

KqDate kq_date_from_unix(gint64 t)
{
  KqDate d;
  memset(&d, 0, sizeof d);
  GDateTime *dt = g_date_time_new_from_unix_utc(t);
  if (!dt)
    return d;
  kq_date_make(&d, g_date_time_get_year(dt), g_date_time_get_month(dt),
               g_date_time_get_day_of_month(dt), TRUE, g_date_time_get_hour(dt),
               g_date_time_get_minute(dt), g_date_time_get_second(dt), 0);
  g_date_time_unref(dt);
  return d;
}

int kq_date_compare(const KqDate *a, const KqDate *b)
{
  gboolean sa = a && a->set, sb = b && b->set;
  if (!sa || !sb)
    return sa == sb ? 0 : (sa ? -1 : 1);
  gint64 ta = kq_date_to_unix(a), tb = kq_date_to_unix(b);
  if (ta != tb)
    return ta < tb ? -1 : 1;
  if (a->has_time != b->has_time)
    return a->has_time ? 1 : -1;
  return 0;
}

char *kq_date_to_string(const KqDate *d)
{
  if (!d || !d->set)
    return NULL;
  if (!d->has_time)
    return g_strdup_printf("%04d-%02d-%02d", d->year, d->month, d->day);
  int off = d->offset_min < 0 ? -d->offset_min : d->offset_min;
  return g_strdup_printf("%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", d->year, d->month,
                         d->day, d->hour, d->minute, d->second,
                         d->offset_min < 0 ? '-' : '+', off / 60, off % 60);
}

static gboolean to_gdate(const KqDate *d, GDate *g)
{
  g_date_clear(g, 1);
  if (!d || !d->set ||
      !g_date_valid_dmy((GDateDay)d->day, (GDateMonth)d->month, (GDateYear)d->year))
    return FALSE;
  g_date_set_dmy(g, (GDateDay)d->day, (GDateMonth)d->month, (GDateYear)d->year);
  return TRUE;
}

void kq_date_iso_week(const KqDate *d, int *iso_year, int *week)
{
  GDate g;
  int y = 0, w = 0;
  if (to_gdate(d, &g)) {
    w = (int)g_date_get_iso8601_week_of_year(&g);
    /* The ISO year is the year of the week's Thursday. */
    int wd = (int)g_date_get_weekday(&g);
    y = d->year;
    if (wd < 4 && d->month == 12 && d->day + (4 - wd) > 31)
      y = d->year + 1;
    else if (wd > 4 && d->month == 1 && d->day - (wd - 4) < 1)
      y = d->year - 1;
  }
  if (iso_year)
    *iso_year = y;
  if (week)
    *week = w;
}

int kq_date_weekday(const KqDate *d)
{
  GDate g;
  if (!to_gdate(d, &g))
    return 0;
  return (int)g_date_get_weekday(&g);
}

int kq_date_month_from_name(const char *name, gssize len)
{
  if (!name)
    return 0;
  char *copy = g_strndup(name, len < 0 ? strlen(name) : (gsize)len);
  int m = 0;
  const char *q = read_month(skip_ws(copy), &m);
  if (!q || *skip_ws(q) != '\0')
    m = 0;
  g_free(copy);
  return m;
}
