/* l10n.c: the edition's own words in French, English, German, Spanish and Portuguese. */
#include "kiosque/l10n.h"

#include "kiosque/article.h"

#include <string.h>

typedef struct {
  const char *key;
  const char *fr, *en, *de, *es, *pt;
} L10nEntry;

/* Sorted by nothing: the table is short and looked up rarely. */
static const L10nEntry entries[] = {
    {"default_title", "Revue de presse tech", "Tech press review", "Tech-Presseschau",
     "Revista de prensa tecnológica", "Revista de imprensa tecnológica"},
    {"uncategorized", "Sans rubrique", "Uncategorized", "Ohne Rubrik", "Sin categoría",
     "Sem categoria"},
    {"unknown_site", "Source inconnue", "Unknown source", "Unbekannte Quelle",
     "Fuente desconocida", "Fonte desconhecida"},
    {"undated", "Sans date", "Undated", "Ohne Datum", "Sin fecha", "Sem data"},
    {"week", "Semaine", "Week", "Woche", "Semana", "Semana"},
    {"contents", "Sommaire", "Contents", "Inhalt", "Índice", "Sumário"},
    {"sources", "Sources", "Sources", "Quellen", "Fuentes", "Fontes"},
    {"source", "Source", "Source", "Quelle", "Fuente", "Fonte"},
    {"original", "Article original", "Original article", "Originalartikel",
     "Artículo original", "Artigo original"},
    {"views", "vues", "views", "Aufrufe", "visitas", "visualizações"},
    {"published", "Publié le", "Published", "Veröffentlicht am", "Publicado el",
     "Publicado em"},
    {"updated", "Mis à jour le", "Updated", "Aktualisiert am", "Actualizado el",
     "Atualizado em"},
    {"by", "Par", "By", "Von", "Por", "Por"},
    {"articles", "articles", "articles", "Artikel", "artículos", "artigos"},
    {"article", "article", "article", "Artikel", "artículo", "artigo"},
    {"generated", "Édition du", "Edition of", "Ausgabe vom", "Edición del", "Edição de"},
    {"generated_on", "Édition générée le", "Generated on", "Erstellt am", "Generada el",
     "Gerada em"},
    {"cover", "Couverture", "Cover", "Titelbild", "Portada", "Capa"},
    {"title_page", "Page de titre", "Title page", "Titelseite", "Portadilla",
     "Página de rosto"},
    {"landmarks", "Repères", "Landmarks", "Orientierungspunkte", "Puntos de referencia",
     "Pontos de referência"},
    {"accessibility_summary",
     "Édition en texte recomposable, sans mise en page fixe ni son. Navigation structurée : "
     "table des matières par groupes puis articles, titres hiérarchisés, ordre de lecture "
     "logique. Les images portent un texte alternatif, leur légende, ou sont marquées "
     "décoratives.",
     "Reflowable text edition with no fixed layout or audio. Structured navigation: a table of "
     "contents by groups then articles, hierarchical headings, logical reading order. Images "
     "carry alternative text, their caption, or are marked decorative.",
     "Umfließbare Textausgabe ohne festes Layout und ohne Ton. Strukturierte Navigation: "
     "Inhaltsverzeichnis nach Gruppen und Artikeln, gegliederte Überschriften, logische "
     "Lesereihenfolge. Bilder tragen einen Alternativtext, ihre Bildunterschrift oder sind als "
     "dekorativ markiert.",
     "Edición de texto adaptable, sin maquetación fija ni audio. Navegación estructurada: "
     "índice por grupos y luego artículos, títulos jerarquizados, orden de lectura lógico. Las "
     "imágenes llevan texto alternativo, su pie de foto o están marcadas como decorativas.",
     "Edição de texto refluível, sem paginação fixa nem áudio. Navegação estruturada: sumário "
     "por grupos e depois artigos, títulos hierarquizados, ordem de leitura lógica. As imagens "
     "têm texto alternativo, a sua legenda, ou estão marcadas como decorativas."},
};

const char *kq_l10n(const char *lang, const char *key)
{
  char buf[12];
  const char *l = kq_lang_primary(lang, buf, sizeof buf);
  for (gsize i = 0; i < G_N_ELEMENTS(entries); i++) {
    const L10nEntry *e = &entries[i];
    if (strcmp(e->key, key) != 0)
      continue;
    if (strcmp(l, "fr") == 0)
      return e->fr;
    if (strcmp(l, "de") == 0)
      return e->de;
    if (strcmp(l, "es") == 0)
      return e->es;
    if (strcmp(l, "pt") == 0)
      return e->pt;
    return e->en;
  }
  return key;
}

char *kq_l10n_label(const char *lang, const char *key)
{
  char buf[12];
  gboolean fr = strcmp(kq_lang_primary(lang, buf, sizeof buf), "fr") == 0;
  return g_strconcat(kq_l10n(lang, key), fr ? "\xC2\xA0: " : ": ", NULL);
}

char *kq_l10n_number(const char *lang, gint64 n)
{
  char buf[12];
  const char *l = kq_lang_primary(lang, buf, sizeof buf);
  const char *sep = ",";
  int from = 4; /* digits from which a number is grouped */
  if (strcmp(l, "fr") == 0)
    sep = "\xE2\x80\xAF", from = 5;
  else if (strcmp(l, "de") == 0 || strcmp(l, "pt") == 0)
    sep = ".";
  else if (strcmp(l, "es") == 0)
    sep = ".", from = 5;
  char *digits = g_strdup_printf("%" G_GUINT64_FORMAT, n < 0 ? -(guint64)n : (guint64)n);
  gsize len = strlen(digits);
  GString *out = g_string_new(n < 0 ? "-" : "");
  for (gsize i = 0; i < len; i++) {
    if (len >= (gsize)from && i > 0 && (len - i) % 3 == 0)
      g_string_append(out, sep);
    g_string_append_c(out, digits[i]);
  }
  g_free(digits);
  return g_string_free(out, FALSE);
}

char *kq_l10n_generated_on(const char *lang, gint64 when)
{
  KqDate d = {0};
  GDateTime *dt = g_date_time_new_from_unix_utc(when);
  if (dt)
    kq_date_make(&d, g_date_time_get_year(dt), g_date_time_get_month(dt),
                 g_date_time_get_day_of_month(dt), FALSE, 0, 0, 0, 0);
  char *day = kq_l10n_date(&d, lang);
  char *s = g_strconcat(kq_l10n(lang, "generated_on"), " ", day ? day : "", NULL);
  g_free(day);
  g_clear_pointer(&dt, g_date_time_unref);
  return s;
}

/* ---- Dates in words --------------------------------------------------------- */

typedef enum { LANG_EN, LANG_FR, LANG_DE, LANG_ES, LANG_PT } Lang;

static Lang lang_of(const char *lang)
{
  static const char *const codes[] = {"en", "fr", "de", "es", "pt"};
  char buf[12];
  const char *l = kq_lang_primary(lang, buf, sizeof buf);
  for (gsize i = 0; i < G_N_ELEMENTS(codes); i++)
    if (strcmp(l, codes[i]) == 0)
      return (Lang)i;
  return LANG_EN;
}

static const char *const months[5][12] = {
  {"January", "February", "March", "April", "May", "June", "July", "August", "September",
   "October", "November", "December"},
  {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
   "octobre", "novembre", "décembre"},
  {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
   "Oktober", "November", "Dezember"},
  {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
   "octubre", "noviembre", "diciembre"},
  {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
   "outubro", "novembro", "dezembro"},
};

static const char *const weekdays[5][7] = {
  {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
  {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"},
  {"Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"},
  {"lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"},
  {"segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado",
   "domingo"},
};

const char *kq_l10n_month(const char *lang, int month)
{
  return month >= 1 && month <= 12 ? months[lang_of(lang)][month - 1] : NULL;
}

const char *kq_l10n_weekday(const char *lang, int weekday)
{
  return weekday >= 1 && weekday <= 7 ? weekdays[lang_of(lang)][weekday - 1] : NULL;
}

/* Lower case without accents, for comparing names. Caller frees. */
static char *fold_name(const char *s)
{
  char *nfd = g_utf8_normalize(s, -1, G_NORMALIZE_NFD);
  GString *out = g_string_new(NULL);
  for (const char *p = nfd; p && *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (!g_unichar_ismark(c))
      g_string_append_unichar(out, g_unichar_tolower(c));
  }
  g_free(nfd);
  return g_string_free(out, FALSE);
}

gboolean kq_l10n_is_month(const char *word, const char *lang)
{
  if (!word || !g_utf8_validate(word, -1, NULL))
    return FALSE;
  char *w = fold_name(word);
  gboolean found = FALSE;
  for (int m = 0; m < 12 && !found; m++) {
    char *name = fold_name(months[lang_of(lang)][m]);
    found = strcmp(w, name) == 0;
    g_free(name);
  }
  g_free(w);
  return found;
}

/* A day and its month, no year: "1er mars", "March 1", "1. März",
 * "1 de marzo", "1 de março". */
static char *day_month(Lang l, int day, int month)
{
  const char *m = months[l][month - 1];
  switch (l) {
  case LANG_FR:
    return g_strdup_printf("%d%s %s", day, day == 1 ? "er" : "", m);
  case LANG_DE:
    return g_strdup_printf("%d. %s", day, m);
  case LANG_ES:
  case LANG_PT:
    return g_strdup_printf("%d de %s", day, m);
  case LANG_EN:
  default:
    return g_strdup_printf("%s %d", m, day);
  }
}

/* A day alone as it precedes a shared month: "1er", "3.", "3". */
static char *day_alone(Lang l, int day)
{
  if (l == LANG_FR && day == 1)
    return g_strdup("1er");
  if (l == LANG_DE)
    return g_strdup_printf("%d.", day);
  return g_strdup_printf("%d", day);
}

/* dm followed by its year: "1er mars 2026", "March 1, 2026", "1 de marzo de 2026". */
static char *with_year(Lang l, const char *dm, int year)
{
  if (l == LANG_ES || l == LANG_PT)
    return g_strdup_printf("%s de %d", dm, year);
  if (l == LANG_EN)
    return g_strdup_printf("%s, %d", dm, year);
  return g_strdup_printf("%s %d", dm, year);
}

char *kq_l10n_date(const KqDate *d, const char *lang)
{
  if (!d || !d->set)
    return NULL;
  Lang l = lang_of(lang);
  char *dm = day_month(l, d->day, d->month);
  char *s = with_year(l, dm, d->year);
  g_free(dm);
  return s;
}

char *kq_l10n_date_weekday(const KqDate *d, const char *lang)
{
  if (!d || !d->set)
    return NULL;
  Lang l = lang_of(lang);
  char *date = kq_l10n_date(d, lang);
  const char *wd = weekdays[l][kq_date_weekday(d) - 1];
  /* French writes "lundi 2 mars 2026"; the others put a comma after the day */
  char *s = g_strdup_printf(l == LANG_FR ? "%s %s" : "%s, %s", wd, date);
  g_free(date);
  return s;
}

char *kq_l10n_month_year(const char *lang, int year, int month)
{
  const char *m = kq_l10n_month(lang, month);
  return g_strdup_printf("%s %d", m ? m : "?", year);
}

char *kq_l10n_month_range(const char *lang, int year1, int month1, int year2, int month2)
{
  if (year1 == year2 && month1 == month2)
    return kq_l10n_month_year(lang, year1, month1);
  const char *m1 = kq_l10n_month(lang, month1), *m2 = kq_l10n_month(lang, month2);
  if (year1 == year2)
    return g_strdup_printf("%s – %s %d", m1 ? m1 : "?", m2 ? m2 : "?", year2);
  return g_strdup_printf("%s %d – %s %d", m1 ? m1 : "?", year1, m2 ? m2 : "?", year2);
}

/* The ends of a range within one year, what they share written once, with
 * the last: "3 mars" … "9 avril 2026", "March 3" … "9, 2026" (EN, one
 * month), "3" … "9 mars 2026", "3." … "9. März 2026". Caller frees both. */
static void same_year_ends(Lang l, const KqDate *a, const KqDate *b, char **first, char **last)
{
  if (l == LANG_EN && a->month == b->month) {
    *first = day_month(l, a->day, a->month);
    *last = g_strdup_printf("%d, %d", b->day, b->year);
    return;
  }
  char *fb = day_month(l, b->day, b->month);
  *first = a->month != b->month ? day_month(l, a->day, a->month) : day_alone(l, a->day);
  *last = with_year(l, fb, b->year);
  g_free(fb);
}

/* The TITLE form: the parts a and b share are written once, after b. */
static char *range_title(Lang l, const KqDate *a, const KqDate *b)
{
  char *t, *first, *last;
  if (a->year != b->year) {
    char *fa = day_month(l, a->day, a->month), *fb = day_month(l, b->day, b->month);
    first = with_year(l, fa, a->year);
    last = with_year(l, fb, b->year);
    g_free(fa);
    g_free(fb);
  } else {
    same_year_ends(l, a, b, &first, &last);
  }
  t = g_strdup_printf("%s – %s", first, last);
  g_free(first);
  g_free(last);
  return t;
}

/* The PROSE form: "du … au …", "from … to …", "vom … bis …", "del … al …",
 * "de … a …". */
static char *range_prose(Lang l, const char *lang, const KqDate *a, const KqDate *b)
{
  static const char *const from[] = {"from", "du", "vom", "del", "de"};
  static const char *const to[] = {"to", "au", "bis", "al", "a"};
  char *first, *last;
  if (a->year != b->year) {
    first = kq_l10n_date(a, lang);
    last = kq_l10n_date(b, lang);
  } else {
    same_year_ends(l, a, b, &first, &last);
  }
  char *t = g_strdup_printf("%s %s %s %s", from[l], first, to[l], last);
  g_free(first);
  g_free(last);
  return t;
}

char *kq_l10n_date_range(const KqDate *first, const KqDate *last, const char *lang,
                         KqL10nRangeForm form)
{
  if (!first || !last || !first->set || !last->set)
    return NULL;
  Lang l = lang_of(lang);
  gboolean same_day =
      first->year == last->year && first->month == last->month && first->day == last->day;
  if (same_day) {
    static const char *const on[] = {"on", "le", "am", "el", "em"};
    char *date = kq_l10n_date(first, lang);
    if (form == KQ_L10N_RANGE_TITLE)
      return date;
    char *s = g_strdup_printf("%s %s", on[l], date);
    g_free(date);
    return s;
  }
  return form == KQ_L10N_RANGE_PROSE ? range_prose(l, lang, first, last) : range_title(l, first, last);
}

char *kq_l10n_week_title(const char *lang, int week, const KqDate *monday)
{
  GDate *g = g_date_new_dmy((GDateDay)monday->day, (GDateMonth)monday->month,
                            (GDateYear)monday->year);
  g_date_add_days(g, 6);
  KqDate sunday;
  kq_date_make(&sunday, g_date_get_year(g), g_date_get_month(g), g_date_get_day(g), FALSE, 0, 0,
               0, 0);
  g_date_free(g);
  char *range = kq_l10n_date_range(monday, &sunday, lang, KQ_L10N_RANGE_TITLE);
  char *t = g_strdup_printf("%s %d · %s", kq_l10n(lang, "week"), week, range ? range : "");
  g_free(range);
  return t;
}

char *kq_l10n_capitalize(const char *s)
{
  if (!s || !*s)
    return g_strdup("");
  gunichar c = g_unichar_totitle(g_utf8_get_char(s));
  char buf[8];
  buf[g_unichar_to_utf8(c, buf)] = '\0';
  return g_strconcat(buf, g_utf8_next_char(s), NULL);
}

char *kq_slugify(const char *text)
{
  GString *s = g_string_new(NULL);
  if (text && g_utf8_validate(text, -1, NULL)) {
    char *nfd = g_utf8_normalize(text, -1, G_NORMALIZE_NFD);
    KqWords w = {s, '-', FALSE};
    for (const char *p = nfd; p && *p; p = g_utf8_next_char(p)) {
      gunichar c = g_utf8_get_char(p);
      const char *ascii = NULL;
      char one[2] = {0, 0};
      if (g_unichar_ismark(c))
        continue;
      switch (c) {
      case 0x0153: ascii = "oe"; break; /* œ */
      case 0x0152: ascii = "oe"; break;
      case 0x00E6: ascii = "ae"; break; /* æ */
      case 0x00C6: ascii = "ae"; break;
      case 0x00DF: ascii = "ss"; break; /* ß */
      case 0x00F8: ascii = "o"; break;  /* ø */
      default:
        if (c < 128 && g_ascii_isalnum((char)c)) {
          one[0] = g_ascii_tolower((char)c);
          ascii = one;
        }
      }
      if (!ascii)
        kq_words_gap(&w);
      else
        g_string_append(kq_words_next(&w), ascii);
    }
    g_free(nfd);
  }
  if (s->len > 80) { /* keep file names short; cut at a hyphen */
    g_string_truncate(s, 80);
    char *h = strrchr(s->str, '-');
    if (h && h - s->str > 40)
      g_string_truncate(s, (gsize)(h - s->str));
  }
  if (s->len == 0)
    g_string_append(s, "kiosque");
  return g_string_free(s, FALSE);
}
