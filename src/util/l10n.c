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

char *kq_l10n_generated_on(const char *lang, gint64 when)
{
  KqDate d = {0};
  GDateTime *dt = g_date_time_new_from_unix_utc(when);
  if (dt)
    kq_date_make(&d, g_date_time_get_year(dt), g_date_time_get_month(dt),
                 g_date_time_get_day_of_month(dt), FALSE, 0, 0, 0, 0);
  char *day = kq_date_format_long(&d, lang);
  char *s = g_strconcat(kq_l10n(lang, "generated_on"), " ", day ? day : "", NULL);
  g_free(day);
  if (dt)
    g_date_time_unref(dt);
  return s;
}

char *kq_slugify(const char *text)
{
  GString *s = g_string_new(NULL);
  if (text && g_utf8_validate(text, -1, NULL)) {
    char *nfd = g_utf8_normalize(text, -1, G_NORMALIZE_NFD);
    gboolean dash = FALSE;
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
      if (!ascii) {
        dash = s->len > 0;
        continue;
      }
      if (dash)
        g_string_append_c(s, '-');
      dash = FALSE;
      g_string_append(s, ascii);
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
