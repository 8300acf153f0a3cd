/* text.c: plain-text page dumps saved from news sites: metadata lines and site chrome recognised by pattern, the rest as paragraphs. */
#include "kiosque/reader.h"

#include <string.h>

#include "kiosque/date.h"
#include "kiosque/l10n.h"
#include "kiosque/lang.h"
#include "readers/encoding.h"

/*
 * A page dump is what a browser's "save as text" or a copy-paste gives:
 * one block of the page per line (or per group of lines between blank
 * lines), with the site's chrome mixed in. Nothing here knows a site; each
 * line goes through these patterns, in this order (the README lists them):
 *
 * 1. Cited sources: a line starting "Sources:", "Source :", "Crédits :",
 *    "Via:" followed by a list split at commas, semicolons, "et", "and".
 * 2. Topics: "Rubrique :", "Catégorie :", "Category:", "Section:",
 *    "Topic:", "Thème :", "Tags:", "Mots-clés :", "Keywords:" lists.
 * 3. Comments: "Commentaires", "12 commentaires", "Comments (3)",
 *    "Laisser un commentaire", "Leave a comment"... The line is dropped;
 *    when body text came before it, everything after it (the readers'
 *    comments) is dropped too.
 * 4. Navigation and sharing chrome, dropped: whole lines such as "Retour à
 *    l'accueil", "Back to home", "Menu", "Publicité"; lines starting
 *    "Partager", "Share", "S'abonner", "Subscribe", "Newsletter", "Lire
 *    aussi", "Read more", "Crédit photo", "©"...; lines made only of
 *    social network names.
 * 5. Breadcrumbs: "Accueil › Économie › Startups" (a navigation word, then
 *    segments split by › » > / |): the segments become topics.
 * 6. Metadata lines, made only of: a labelled date ("Publié le", "Mis en
 *    ligne le", "Posted on", "Published", "Veröffentlicht am", "Publicado
 *    el" → published; "Mis à jour le", "Modifié le", "Updated", "Last
 *    updated", "Aktualisiert", "Actualizado", "Atualizado" → updated), or a
 *    bare date (published), a view count ("448 vues", "1 234 vues", "1,234
 *    views", "12k views"), a reading time ("5 min read", "3 min de
 *    lecture"), an author ("Par X", "By X and Y", "Author: X", "Par la
 *    rédaction", "By the editors"), separators
 *    and a few filler words. A line with anything else is body text, so
 *    "la vidéo a fait 448 vues" inside a paragraph stays a paragraph.
 * The remaining lines form units (separated by blank or metadata lines;
 * each line is its own unit when the dump has no blank line at all). Then:
 * 7. Header line: a unit among the first ones that contains another unit
 *    (the title) plus other text: "Retour à l'accueil <title> Technologie".
 *    It is dropped; what follows the title there is the rubric (topic);
 *    else the last non-navigation segment before it.
 * 8. Title: else the first short unit (at most 250 characters and 30
 *    words, at least 3 words) without a final period, among the units
 *    before the first long paragraph. A one- or two-word unit just before
 *    it is the rubric ("kicker").
 * 9. Units before the title are page chrome; units after it are the body:
 *    paragraphs, except that a short line (at most 10 words and 80
 *    characters, capitalised, no colon, no final punctuation but "?")
 *    followed by a paragraph of 100 characters or more is a subheading.
 */

static const char *const text_extensions[] = {".txt", NULL};

/* Units looked at for the header line and title. */
#define HEAD_UNITS 8
/* Title limits (characters, words). */
#define TITLE_MAX_CHARS 250
#define TITLE_MAX_WORDS 30
/* A "long paragraph" ends the header zone. */
#define BODY_MIN_CHARS 200
/* Sources and topics lists: items and characters per item. */
#define LIST_MAX_ITEMS 20
#define LIST_MAX_ITEM_CHARS 80
/* Longest metadata line (characters): longer lines are body text. */
#define META_MAX_CHARS 300

/* ---- Sniffing ------------------------------------------------------------ */

/* Plain text: at most a stray NUL byte or two (over 1% is binary), few
 * control characters (under 5%). */
static int text_sniff(const char *data, gsize len)
{
  gsize n = MIN(len, (gsize)4096), nul = 0, ctrl = 0;
  if (n == 0)
    return 0;
  for (gsize i = 0; i < n; i++) {
    guchar c = (guchar)data[i];
    if (c >= 0x20 && c != 0x7F)
      continue; /* most bytes, tested first */
    if (c == 0)
      nul++;
    else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F)
      ctrl++;
  }
  if ((nul > 2 && nul * 100 > n) || ctrl * 20 > n)
    return 0;
  return 40;
}

/* ---- Small text helpers ---------------------------------------------------- */

/* Lower case without accents or marks, "’" as "'": for comparing words. */
static char *fold(const char *s, gssize len)
{
  char *nfd = g_utf8_normalize(s, len, G_NORMALIZE_DEFAULT);
  if (!nfd)
    return g_strdup("");
  GString *out = g_string_sized_new(strlen(nfd));
  for (const char *p = nfd; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (g_unichar_ismark(c))
      continue;
    if (c == 0x2019 || c == 0x2018 || c == 0x02BC)
      c = '\'';
    else if (c == 0x00A0 || c == 0x202F || c == 0x2009)
      c = ' ';
    g_string_append_unichar(out, g_unichar_tolower(c));
  }
  g_free(nfd);
  return g_string_free(out, FALSE);
}

static gboolean is_alnum_at(const char *p)
{
  return g_unichar_isalnum(g_utf8_get_char(p));
}

/* Strips leading and trailing characters that are neither letters nor
 * digits (arrows, bullets, pipes, punctuation); returns a new string. */
static char *strip_decoration(const char *s)
{
  const char *b = s;
  while (*b && !is_alnum_at(b))
    b = g_utf8_next_char(b);
  const char *e = b;
  for (const char *p = b; *p; p = g_utf8_next_char(p))
    if (is_alnum_at(p))
      e = g_utf8_next_char(p);
  return g_strndup(b, (gsize)(e - b));
}

static guint count_words(const char *s)
{
  guint n = 0;
  gboolean in = FALSE;
  for (const char *p = s; *p; p = g_utf8_next_char(p)) {
    gboolean w = is_alnum_at(p);
    if (w && !in)
      n++;
    in = w;
  }
  return n;
}

static gboolean in_list(const char *word, const char *const *list)
{
  for (gsize i = 0; list[i]; i++)
    if (strcmp(word, list[i]) == 0)
      return TRUE;
  return FALSE;
}

/* TRUE when folded text starts with phrase followed by a non-letter. */
static gboolean starts_with_phrase(const char *folded, const char *phrase)
{
  gsize n = strlen(phrase);
  return strncmp(folded, phrase, n) == 0 && !is_alnum_at(folded + n);
}

/* ---- Pattern tables ------------------------------------------------------ */

/* Navigation phrases: a whole line made of one of these is chrome; a
 * header line may start with one. Folded; longest first where they
 * share a start. */
static const char *const nav_phrases[] = {
  "retour a la page d'accueil", "retour a l'accueil", "retour a l accueil", "retour a l'article",
  "retour aux articles", "retour", "accueil", "back to homepage", "back to home",
  "back to top", "back to articles", "back", "homepage", "home", "menu",
  "skip to main content", "skip to content", "aller au contenu principal",
  "aller au contenu", "passer au contenu", "rechercher", "search", "se connecter",
  "connexion", "sign in", "log in", "login", "publicite", "advertisement", "sponsored",
  "annonce", "inicio", "volver", "startseite", "zuruck", "voltar", "pagina inicial",
  NULL,
};

/* A line starting with one of these (and not long) is sharing or
 * subscription chrome. */
static const char *const chrome_prefixes[] = {
  "partager", "partagez", "share", "tweet", "suivez-nous", "suivez nous", "follow us",
  "abonnez-vous", "abonnez vous", "s'abonner", "subscribe", "sign up", "inscrivez-vous",
  "newsletter", "lire aussi", "a lire aussi", "a lire egalement", "lire la suite",
  "read also", "read more", "see also", "voir aussi", "related articles", "related",
  "copier le lien", "copy link", "imprimer", "print this", "envoyer par e-mail",
  "email this", "teilen", "compartir", "compartilhar", "credit photo", "credits photo",
  "photo credit", "image credit", NULL,
};
#define CHROME_MAX_CHARS 120

static const char *const social_words[] = {
  "facebook", "twitter", "x", "linkedin", "whatsapp", "email", "e-mail", "mail", "reddit",
  "bluesky", "mastodon", "telegram", "threads", "pinterest", "instagram", "youtube",
  "flipboard", "messenger", "sms", "copier", "copy", "lien", "link", "imprimer", "print",
  NULL,
};

static const char *const comment_phrases[] = {
  "laisser un commentaire", "ajouter un commentaire", "voir les commentaires",
  "afficher les commentaires", "ecrire un commentaire", "reagir", "reagissez",
  "leave a comment", "leave a reply", "add a comment", "show comments", "view comments",
  "join the discussion", "post a comment", "kommentare", "comentarios", NULL,
};

/* Words allowed around metadata in a metadata line. */
static const char *const filler_words[] = {
  "et", "and", "le", "la", "on", "the", "at", "a", "de", "em", "el", "am", "um", "y", "e",
  "und", "dans", "in", NULL,
};

/* Words that never start or continue an author's name. */
static const char *const not_name_words[] = {
  "publie", "publiee", "mis", "mise", "paru", "posted", "published", "first", "updated",
  "last", "modified", "modifie", "actualise", "derniere", "veroffentlicht", "aktualisiert",
  "publicado", "actualizado", "atualizado", "le", "la", "les", "on", "the", "il", "elle",
  "in", "at", "du", "de", NULL,
};

/* Particles allowed inside names ("Jean de La Fontaine", "Ludwig van Beethoven"). */
static const char *const name_particles[] = {
  "de", "du", "des", "d'", "van", "von", "der", "den", "la", "le", "di", "da", "del",
  "dos", "das", "ter", "bin", "al", NULL,
};

/* ---- Reading context ------------------------------------------------------- */

typedef enum {
  LINE_BLANK = 0,
  LINE_TEXT, /* candidate body, title or header line */
  LINE_META, /* metadata or chrome: dropped */
} LineKind;

typedef struct {
  char *text; /* trimmed line, owned */
  int lineno;
  LineKind kind;
} Line;

/* The lines' GArray frees each line's text (g_array_set_clear_func()). */
static void line_clear(gpointer p)
{
  g_free(((Line *)p)->text);
}

/* Every regex of the reader, compiled once per process (GRegex matching
 * is thread-safe) and never freed. */
typedef struct {
  GRegex *label;       /* date labels, published and updated */
  GRegex *views;       /* view counts */
  GRegex *reading;     /* reading times */
  GRegex *sources;     /* "Sources:" lines */
  GRegex *topics;      /* "Rubrique :" lines */
  GRegex *comments;    /* "12 commentaires" lines */
  GRegex *author_label;/* "Auteur :" */
  GRegex *list_sep;    /* separators inside a list */
  GRegex *crumb_sep;   /* breadcrumb separators */
  GRegex *header_sep;  /* separators around a header line's rubric */
  GRegex *non_word;    /* runs of non-letters/digits */
  GRegex *non_name;    /* runs of characters not in a word or name */
} Patterns;

/* Spaces of every kind, as a regex class fragment. */
#define SP "[\\s\\x{00A0}\\x{202F}\\x{2009}]"

static GRegex *compile(const char *pattern)
{
  GError *err = NULL;
  GRegex *re = g_regex_new(pattern, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, &err);
  /* Patterns are constants: failing to compile one is a programming error. */
  g_assert_no_error(err);
  return re;
}

static gpointer build_patterns(gpointer data)
{
  Patterns *p = data;
  p->label = compile(
      "(?<![\\p{L}\\p{N}])(?:"
      "(?<pub_fr>publi[ée]e?s?|mise?" SP "+en" SP "+ligne|paru(?:e|tion)?|date" SP
      "+de" SP "+publication)"
      "|(?<upd_fr>(?:derni[èe]re" SP "+)?mise?" SP "+[àa]" SP "+jour|modifi[ée]e?|actualis[ée]e?)"
      "|(?<pub_en>(?:first" SP "+)?published|posted|publication" SP "+date)"
      "|(?<upd_en>(?:last" SP "+)?updated|(?:last" SP "+)?modified)"
      "|(?<pub_xx>ver[öo]ffentlicht|publicad[oa])"
      "|(?<upd_xx>aktualisiert|actualizad[oa]|atualizad[oa])"
      ")(?![\\p{L}\\p{N}])");
  p->views = compile(
      "(?<![\\p{L}\\p{N}.,])(\\d{1,3}(?:[ ,.'’\\x{00A0}\\x{202F}\\x{2009}]\\d{3})+|\\d+)"
      "(?:[.,](\\d{1,2}))?" SP "*([km])?" SP
      "*(?:vues|views|lectures|reads|visualiza[çc][õo]es|visualizaciones|visitas|aufrufe)"
      "(?![\\p{L}\\p{N}])");
  p->reading = compile(
      "(?<![\\p{L}\\p{N}])(?:(?:temps" SP "+de" SP "+)?lecture" SP "*:" SP "*\\d+" SP
      "*min(?:utes?)?|\\d+" SP "*min(?:utes?|\\.)?" SP
      "*(?:de" SP "+lecture|read|reading|to" SP "+read|lesezeit|de" SP "+leitura)"
      ")(?![\\p{L}\\p{N}])");
  p->sources = compile("^(?:sources?|source\\(s\\)|cr[ée]dits?|via)" SP "*:" SP "*(.+)$");
  p->topics = compile("^(?:rubriques?|cat[ée]gor(?:ie|y|ies)s?|sections?|topics?|"
                      "th[èe]mes?|tags?|mots[- ]cl[ée]s|keywords|schlagw[öo]rter)" SP
                      "*:" SP "*(.+)$");
  p->comments = compile("^(?:\\d+" SP "+)?(?:commentaires?|comments?|r[ée]actions?|"
                        "r[ée]ponses?|replies|kommentare?|comentarios?)(?:" SP
                        "*\\(\\d+\\))?$");
  p->author_label = compile("^(?:auteure?s?|authors?|autor(?:es|a)?|"
                            "r[ée]dig[ée]e?" SP "+par|[ée]crit" SP "+par|written" SP
                            "+by|posted" SP "+by)" SP "*:?" SP "*$");
  p->list_sep = compile("[,;|·•]");
  p->crumb_sep = compile("\\s+(?:›|»|>|/|\\||→|·)\\s+");
  p->header_sep = compile("\\s*(?:›|»|>|/|\\||→|·|-|–|—)\\s*");
  p->non_word = compile("[^\\p{L}\\p{N}]+");
  p->non_name = compile("[^\\p{L}\\p{N}'-]+");
  return p;
}

static const Patterns *patterns(void)
{
  static Patterns p;
  static GOnce once = G_ONCE_INIT;
  g_once(&once, build_patterns, &p);
  return &p;
}

typedef struct {
  const char *path;
  KqLog *log;
  KqArticle *a;
  int fr_evidence, en_evidence; /* French/English date words seen */
  const Patterns *re;
} Ctx;

/* ---- Lists: sources and topics ------------------------------------------- */

/* Splits "Reuters, TrendForce et Bloomberg." into items; FALSE (and
 * nothing added) when it does not look like a list of names. */
static gboolean add_list(GPtrArray *to, const char *list)
{
  char *s = g_strdup(list);
  /* " et " / " and " / " y " / " e " / " und " / " & " separate items too. */
  static const char *const joiners[] = {" et ", " and ", " und ", " y ", " e ", " & ", NULL};
  for (gsize i = 0; joiners[i]; i++) {
    char *found;
    gsize n = strlen(joiners[i]);
    while ((found = strstr(s, joiners[i])) != NULL) {
      found[0] = ';';
      memmove(found + 1, found + n, strlen(found + n) + 1);
    }
  }
  char **items = g_regex_split(patterns()->list_sep, s, 0);
  GPtrArray *clean = g_ptr_array_new_with_free_func(g_free);
  gboolean ok = TRUE;
  for (char **it = items; *it && ok; it++) {
    char *item = g_strstrip(g_strdup(*it));
    gsize n = strlen(item);
    while (n > 0 && (item[n - 1] == '.' || item[n - 1] == ':'))
      item[--n] = '\0';
    g_strstrip(item);
    if (*item == '\0') {
      g_free(item);
      continue;
    }
    if (g_utf8_strlen(item, -1) > LIST_MAX_ITEM_CHARS || clean->len >= LIST_MAX_ITEMS)
      ok = FALSE;
    g_ptr_array_add(clean, item);
  }
  if (ok && clean->len > 0)
    for (guint i = 0; i < clean->len; i++)
      kq_strv_add_unique(to, g_ptr_array_index(clean, i));
  ok = ok && clean->len > 0;
  g_ptr_array_unref(clean);
  g_strfreev(items);
  g_free(s);
  return ok;
}

/* Runs a regex anchored on the whole line; returns group 1 or NULL. */
static char *match_group(GRegex *re, const char *line)
{
  GMatchInfo *mi = NULL;
  char *g = NULL;
  if (g_regex_match(re, line, 0, &mi))
    g = g_match_info_fetch(mi, 1);
  g_match_info_free(mi);
  return g;
}

/* ---- Chrome ---------------------------------------------------------------- */

/* Length (bytes of folded) of a navigation phrase folded starts with, or 0. */
static gsize nav_prefix_len(const char *folded)
{
  for (gsize i = 0; nav_phrases[i]; i++)
    if (starts_with_phrase(folded, nav_phrases[i]))
      return strlen(nav_phrases[i]);
  return 0;
}

/* Longest navigation, share or comments line (bytes). */
#define CHROME_LINE_MAX 200

static gboolean is_nav_line(const char *line)
{
  if (strlen(line) > CHROME_LINE_MAX)
    return FALSE;
  char *core = strip_decoration(line);
  char *f = fold(core, -1);
  gboolean yes = FALSE;
  for (gsize i = 0; nav_phrases[i] && !yes; i++)
    yes = strcmp(f, nav_phrases[i]) == 0;
  g_free(f);
  g_free(core);
  return yes;
}

static gboolean is_share_line(const char *line)
{
  if (strlen(line) > CHROME_LINE_MAX)
    return FALSE;
  if (g_str_has_prefix(line, "©")) /* a photo credit */
    return TRUE;
  char *core = strip_decoration(line);
  char *f = fold(core, -1);
  gboolean yes = FALSE;
  if (*f && g_utf8_strlen(line, -1) <= CHROME_MAX_CHARS) {
    for (gsize i = 0; chrome_prefixes[i] && !yes; i++)
      yes = starts_with_phrase(f, chrome_prefixes[i]);
    if (!yes) {
      char **words = g_regex_split(patterns()->non_name, f, 0);
      gboolean all = TRUE, any = FALSE;
      for (char **w = words; *w; w++)
        if (**w) {
          any = TRUE;
          all = all && in_list(*w, social_words);
        }
      yes = any && all;
      g_strfreev(words);
    }
  }
  g_free(f);
  g_free(core);
  return yes;
}

static gboolean is_comments_line(const Ctx *ctx, const char *line)
{
  if (strlen(line) > CHROME_LINE_MAX)
    return FALSE;
  char *core = strip_decoration(line);
  char *f = fold(core, -1);
  gboolean yes = FALSE;
  if (*f) {
    yes = g_regex_match(ctx->re->comments, f, 0, NULL);
    for (gsize i = 0; comment_phrases[i] && !yes; i++)
      yes = strcmp(f, comment_phrases[i]) == 0;
  }
  /* "Commentaires (12)" keeps its parenthesis after strip_decoration
   * dropped the closing one: try the whole line as well. */
  if (!yes) {
    char *fl = fold(line, -1);
    g_strstrip(fl);
    yes = g_regex_match(ctx->re->comments, fl, 0, NULL);
    g_free(fl);
  }
  g_free(f);
  g_free(core);
  return yes;
}

/* "Accueil › Économie › Startups": topics from the segments after the
 * navigation word. FALSE when the line is not a breadcrumb. */
static gboolean read_breadcrumb(Ctx *ctx, const char *line)
{
  if (strlen(line) > CHROME_LINE_MAX)
    return FALSE;
  char **segs = g_regex_split(ctx->re->crumb_sep, line, 0);
  guint n = g_strv_length(segs);
  gboolean ok = FALSE;
  if (n >= 2) {
    char *first = strip_decoration(segs[0]);
    char *f = fold(first, -1);
    gboolean nav = FALSE;
    for (gsize i = 0; nav_phrases[i] && !nav; i++)
      nav = strcmp(f, nav_phrases[i]) == 0;
    ok = nav;
    for (guint i = 1; i < n && ok; i++)
      ok = count_words(segs[i]) >= 1 && count_words(segs[i]) <= 4 &&
           g_utf8_strlen(segs[i], -1) <= 40;
    if (ok)
      for (guint i = 1; i < n; i++) {
        char *s = strip_decoration(segs[i]);
        kq_strv_add_unique(ctx->a->topics, s);
        g_free(s);
      }
    g_free(f);
    g_free(first);
  }
  g_strfreev(segs);
  return ok;
}

/* ---- Metadata lines ------------------------------------------------------ */

typedef struct {
  KqDate published, updated, plain;
  gint64 views;
  GPtrArray *authors; /* char*, owned */
  gboolean anything;
} Meta;

static void mark(guchar *mask, gsize from, gsize to)
{
  memset(mask + from, 1, to - from);
}

/* Marks every match of re in line; TRUE when there is one. */
static gboolean mark_matches(const GRegex *re, const char *line, guchar *mask)
{
  GMatchInfo *mi = NULL;
  gboolean any = FALSE;
  g_regex_match(re, line, 0, &mi);
  while (g_match_info_matches(mi)) {
    gint s, e;
    g_match_info_fetch_pos(mi, 0, &s, &e);
    mark(mask, (gsize)s, (gsize)e);
    any = TRUE;
    g_match_info_next(mi, NULL);
  }
  g_match_info_free(mi);
  return any;
}

/* Parses a view count from the regex groups: "1 234", "1,234", "12k". */
static gint64 views_from_match(GMatchInfo *mi)
{
  char *num = g_match_info_fetch(mi, 1), *frac = g_match_info_fetch(mi, 2),
       *mult = g_match_info_fetch(mi, 3);
  gint64 v = 0;
  for (const char *p = num; *p; p++)
    if (g_ascii_isdigit(*p) && v < G_GINT64_CONSTANT(100000000000000))
      v = v * 10 + (*p - '0');
  if (mult && *mult) {
    gint64 m = g_ascii_tolower(*mult) == 'k' ? 1000 : 1000000;
    gint64 f = 0, scale = 1;
    for (const char *p = frac; p && *p; p++) {
      f = f * 10 + (*p - '0');
      scale *= 10;
    }
    v = v * m + f * m / scale;
  }
  g_free(num);
  g_free(frac);
  g_free(mult);
  return v;
}

/* Reads names after "Par"/"By" at s: "Jean Dupont et Marie Curie".
 * Returns bytes consumed (0 when no name) and adds the names to out. */
/* Collective bylines written in lower case, folded ("Par la rédaction"). */
static const char *const newsroom_bylines[] = {
  "la redaction", "the editors", "the editorial team", "our staff", "staff",
  "die redaktion", "la redaccion", "a redacao", NULL,
};

/* A collective byline at s: adds it and returns its length, or 0. */
static gsize newsroom_at(const char *s, GPtrArray *out)
{
  for (gsize i = 0; newsroom_bylines[i]; i++) {
    /* As many characters of s as the folded byline has bytes (ASCII). */
    gsize chars = strlen(newsroom_bylines[i]);
    const char *end = s;
    for (gsize k = 0; k < chars && *end; k++)
      end = g_utf8_next_char(end);
    char *f = fold(s, end - s);
    gboolean match = strcmp(f, newsroom_bylines[i]) == 0 && !is_alnum_at(end);
    g_free(f);
    if (match) {
      /* Kept as written, with a capital: "La rédaction". */
      gunichar first = g_unichar_toupper(g_utf8_get_char(s));
      char buf[8];
      GString *name = g_string_new_len(buf, g_unichar_to_utf8(first, buf));
      g_string_append_len(name, g_utf8_next_char(s), end - g_utf8_next_char(s));
      kq_strv_add_unique(out, name->str);
      g_string_free(name, TRUE);
      return (gsize)(end - s);
    }
  }
  return 0;
}

static gsize read_names(const char *s, GPtrArray *out)
{
  gsize newsroom = newsroom_at(s, out);
  if (newsroom)
    return newsroom;
  const char *p = s, *consumed = s;
  GString *name = g_string_new(NULL);
  guint words = 0;
  for (;;) {
    const char *q = p;
    while (*q == ' ' || g_str_has_prefix(q, "\xC2\xA0"))
      q += *q == ' ' ? 1 : 2;
    /* A word: letters, apostrophes, hyphens, dots of initials. */
    const char *w = q;
    while (*q && (g_unichar_isalpha(g_utf8_get_char(q)) || *q == '\'' || *q == '-' ||
                  *q == '.' || g_str_has_prefix(q, "’")))
      q = g_utf8_next_char(q);
    if (q == w)
      break;
    char *word = g_strndup(w, (gsize)(q - w));
    char *f = fold(word, -1);
    gboolean upper = g_unichar_isupper(g_utf8_get_char(word));
    gboolean joiner = strcmp(f, "et") == 0 || strcmp(f, "and") == 0 || strcmp(f, "und") == 0 ||
                      strcmp(f, "y") == 0 || strcmp(f, "e") == 0;
    gboolean particle = words > 0 && in_list(f, name_particles);
    gboolean ok_word = upper && !in_list(f, not_name_words) &&
                       kq_date_month_from_name(word, -1) == 0;
    g_free(f);
    if (joiner && words > 0) {
      if (name->len)
        kq_strv_add_unique(out, name->str);
      g_string_truncate(name, 0);
      words = 0;
      g_free(word);
      p = q;
      while (*p == ' ')
        p++;
      gsize n = newsroom_at(p, out);
      if (n) {
        p += n;
        consumed = p;
        break;
      }
      continue;
    }
    if (!(ok_word || particle) || words >= 6) {
      g_free(word);
      break;
    }
    if (name->len)
      g_string_append_c(name, ' ');
    g_string_append(name, word);
    g_free(word);
    words++;
    p = q;
    if (ok_word)
      consumed = p;
    /* A comma between two names: "Jane Doe, John Roe". */
    if (*p == ',' && words >= 2) {
      const char *r = p + 1;
      while (*r == ' ')
        r++;
      if (g_unichar_isupper(g_utf8_get_char(r))) {
        char *next = g_strndup(r, strcspn(r, " ,"));
        char *nf = fold(next, -1);
        gboolean good = !in_list(nf, not_name_words) && kq_date_month_from_name(next, -1) == 0;
        g_free(nf);
        g_free(next);
        if (good) {
          kq_strv_add_unique(out, name->str);
          g_string_truncate(name, 0);
          words = 0;
          p = r;
        }
      }
    }
  }
  /* Trailing particles ("... de") are not part of the name. */
  gsize used = (gsize)(consumed - s);
  if (words > 0) {
    char **parts = g_strsplit(name->str, " ", -1);
    GString *trimmed = g_string_new(NULL);
    guint last = 0;
    for (guint i = 0; parts[i]; i++)
      if (g_unichar_isupper(g_utf8_get_char(parts[i])))
        last = i + 1;
    for (guint i = 0; i < last; i++)
      g_string_append_printf(trimmed, "%s%s", i ? " " : "", parts[i]);
    if (trimmed->len)
      kq_strv_add_unique(out, trimmed->str);
    g_string_free(trimmed, TRUE);
    g_strfreev(parts);
  }
  g_string_free(name, TRUE);
  return out->len ? used : 0;
}

/* Author keywords at a word start: "Par", "By", "Von", "Por". */
static gsize author_keyword_len(const char *p)
{
  static const char *const kws[] = {"par ", "by ", "von ", "por ", NULL};
  for (gsize i = 0; kws[i]; i++) {
    gsize n = strlen(kws[i]);
    if (g_ascii_strncasecmp(p, kws[i], n) == 0)
      return n;
  }
  return 0;
}

/* Is the line only metadata? Fills m when so. */
static gboolean read_meta_line(Ctx *ctx, const char *line, Meta *m, gboolean *french,
                               gboolean *english)
{
  gsize n = strlen(line);
  guchar *mask = g_malloc0(n + 1);
  GMatchInfo *mi = NULL;
  gboolean fr = FALSE, en = FALSE;

  /* Labelled dates: each label's date is looked for up to the next label. */
  typedef struct {
    gint start, end;
    gboolean updated;
  } Label;
  GArray *labels = g_array_new(FALSE, FALSE, sizeof(Label));
  g_regex_match(ctx->re->label, line, 0, &mi);
  while (g_match_info_matches(mi)) {
    Label l;
    g_match_info_fetch_pos(mi, 0, &l.start, &l.end);
    gint s, e;
    l.updated = (g_match_info_fetch_named_pos(mi, "upd_fr", &s, &e) && s >= 0) ||
                (g_match_info_fetch_named_pos(mi, "upd_en", &s, &e) && s >= 0) ||
                (g_match_info_fetch_named_pos(mi, "upd_xx", &s, &e) && s >= 0);
    if ((g_match_info_fetch_named_pos(mi, "pub_fr", &s, &e) && s >= 0) ||
        (g_match_info_fetch_named_pos(mi, "upd_fr", &s, &e) && s >= 0))
      fr = TRUE;
    else if ((g_match_info_fetch_named_pos(mi, "pub_en", &s, &e) && s >= 0) ||
             (g_match_info_fetch_named_pos(mi, "upd_en", &s, &e) && s >= 0))
      en = TRUE;
    g_array_append_val(labels, l);
    g_match_info_next(mi, NULL);
  }
  g_match_info_free(mi);
  gboolean dated = FALSE;
  for (guint i = 0; i < labels->len; i++) {
    Label *l = &g_array_index(labels, Label, i);
    gsize to = i + 1 < labels->len ? (gsize)g_array_index(labels, Label, i + 1).start : n;
    char *region = g_strndup(line + l->end, to - (gsize)l->end);
    KqDate d;
    gsize ds, de;
    if (kq_date_find(region, &d, &ds, &de)) {
      mark(mask, (gsize)l->start, (gsize)l->end);
      mark(mask, (gsize)l->end + ds, (gsize)l->end + de);
      KqDate *slot = l->updated ? &m->updated : &m->published;
      if (!slot->set)
        *slot = d;
      dated = TRUE;
    }
    g_free(region);
  }
  g_array_unref(labels);
  if (!dated) {
    KqDate d;
    gsize ds, de;
    if (kq_date_find(line, &d, &ds, &de)) {
      mark(mask, ds, de);
      m->plain = d;
      dated = TRUE;
    }
  }
  /* Which language the date itself is written in. */
  if (dated && !fr && !en) {
    char *f = fold(line, -1);
    char **words = g_regex_split(ctx->re->non_word, f, 0);
    for (char **w = words; *w; w++) {
      int month = kq_date_month_from_name(*w, -1);
      gboolean fr_name = month && kq_l10n_is_month(*w, "fr"); /* l10n.h's table */
      if (fr_name && strcmp(*w, "mars") != 0)
        fr = TRUE;
      else if (month && strlen(*w) > 3 && !fr_name)
        en = TRUE;
    }
    g_strfreev(words);
    g_free(f);
  }

  /* Views (the first count, and its word's language) and reading time. */
  if (g_regex_match(ctx->re->views, line, 0, &mi)) {
    m->views = views_from_match(mi);
    char *word = g_match_info_fetch(mi, 0);
    char *f = fold(word, -1);
    if (strstr(f, "vues") || strstr(f, "lectures"))
      fr = TRUE;
    else if (strstr(f, "views") || strstr(f, "reads"))
      en = TRUE;
    g_free(f);
    g_free(word);
  }
  g_clear_pointer(&mi, g_match_info_free);
  gboolean views = mark_matches(ctx->re->views, line, mask);
  gboolean reading = mark_matches(ctx->re->reading, line, mask);

  /* Authors: "Par X" / "By X" at a word start, or "Auteur : X". */
  gboolean authors = FALSE;
  for (gsize i = 0; i < n; i++) {
    if (mask[i] || (i > 0 && (g_ascii_isalnum(line[i - 1]) || (guchar)line[i - 1] >= 0x80)))
      continue;
    gsize kw = author_keyword_len(line + i);
    gsize label_len = 0;
    if (!kw) {
      /* "Auteur : X": the label regex is anchored at its end. */
      const char *colon = memchr(line + i, ':', MIN((gsize)24, n - i));
      if (colon && colon - (line + i) < 24) {
        char *head = g_strndup(line + i, (gsize)(colon - (line + i) + 1));
        if (g_regex_match(ctx->re->author_label, head, 0, NULL))
          label_len = (gsize)(colon - (line + i) + 1);
        g_free(head);
      }
      if (!label_len)
        continue;
      while (line[i + label_len] == ' ')
        label_len++;
    }
    gsize start = i + (kw ? kw : label_len);
    gsize used = read_names(line + start, m->authors);
    if (used) {
      mark(mask, i, start + used);
      authors = TRUE;
      i = start + used;
    }
  }

  /* Anything left must be separators or filler words. */
  gboolean only_meta = dated || views || reading || authors;
  GString *rest = g_string_new(NULL);
  for (gsize i = 0; i < n; i++)
    g_string_append_c(rest, mask[i] ? ' ' : line[i]);
  char *f = fold(rest->str, -1);
  char **words = g_regex_split(ctx->re->non_word, f, 0);
  for (char **w = words; *w && only_meta; w++)
    if (**w && !in_list(*w, filler_words))
      only_meta = FALSE;
  g_strfreev(words);
  g_free(f);
  g_string_free(rest, TRUE);
  g_free(mask);
  if (only_meta) {
    m->anything = TRUE;
    *french = *french || fr;
    *english = *english || en;
  }
  return only_meta;
}

/* Classifies one non-blank line; records what metadata it carries. */
static LineKind classify(Ctx *ctx, const char *line, int lineno, gboolean *comments)
{
  KqArticle *a = ctx->a;
  char *list;
  *comments = FALSE;
  if ((list = match_group(ctx->re->sources, line)) != NULL) {
    gboolean ok = add_list(a->sources, list);
    g_free(list);
    if (ok)
      return LINE_META;
  }
  if ((list = match_group(ctx->re->topics, line)) != NULL) {
    gboolean ok = add_list(a->topics, list);
    g_free(list);
    if (ok)
      return LINE_META;
  }
  if (is_comments_line(ctx, line)) {
    *comments = TRUE;
    return LINE_META;
  }
  if (is_nav_line(line) || is_share_line(line) || read_breadcrumb(ctx, line))
    return LINE_META;

  /* Metadata lines are short: a long line is body text. */
  if (g_utf8_strlen(line, -1) > META_MAX_CHARS)
    return LINE_TEXT;
  Meta m;
  memset(&m, 0, sizeof m);
  m.views = -1;
  m.authors = g_ptr_array_new_with_free_func(g_free);
  gboolean fr = FALSE, en = FALSE;
  gboolean meta = read_meta_line(ctx, line, &m, &fr, &en);
  if (meta) {
    if (m.published.set && !a->published.set)
      a->published = m.published;
    else if (m.plain.set && !a->published.set)
      a->published = m.plain;
    if (m.updated.set && !a->updated.set)
      a->updated = m.updated;
    if (m.views >= 0 && a->views < 0)
      a->views = m.views;
    for (guint i = 0; i < m.authors->len; i++)
      kq_strv_add_unique(a->authors, g_ptr_array_index(m.authors, i));
    ctx->fr_evidence += fr;
    ctx->en_evidence += en;
    KQ_LOG(ctx->log, KQ_LOG_DEBUG, ctx->path, lineno, "metadata line");
  }
  g_ptr_array_unref(m.authors);
  return meta ? LINE_META : LINE_TEXT;
}

/* ---- Units, header line, title -------------------------------------------- */

typedef struct {
  char *text; /* owned: the unit's lines joined by spaces */
  int lineno;
  guint nlines;
  gboolean drop;
} Unit;

/* The units' GArray frees each unit's text (g_array_set_clear_func()). */
static void unit_clear(gpointer p)
{
  g_free(((Unit *)p)->text);
}

static gboolean is_long_paragraph(const char *s)
{
  return g_utf8_strlen(s, -1) >= BODY_MIN_CHARS;
}

static gboolean title_like(const Unit *u)
{
  const char *s = u->text;
  glong chars = g_utf8_strlen(s, -1);
  guint words = count_words(s);
  if (u->nlines > 2 || chars > TITLE_MAX_CHARS || words < 3 || words > TITLE_MAX_WORDS)
    return FALSE;
  gsize n = strlen(s);
  if (n == 0)
    return FALSE;
  char last = s[n - 1];
  /* A final period (but not an ellipsis) or colon marks a sentence. */
  if (last == ':' || last == ';' || last == ',')
    return FALSE;
  if (last == '.' && !(n >= 3 && s[n - 2] == '.' && s[n - 3] == '.'))
    return FALSE;
  return TRUE;
}

/* A subheading inside the body: one short line (at most 10 words, 80
 * characters) starting with a capital or a digit, without a colon or final
 * punctuation other than "?", followed by a paragraph of 100 characters or
 * more. */
static gboolean heading_like(const Unit *u, const Unit *next)
{
  const char *s = u->text;
  guint words = count_words(s);
  if (!next || u->nlines != 1 || words < 1 || words > 10 || g_utf8_strlen(s, -1) > 80 ||
      g_utf8_strlen(next->text, -1) < 100)
    return FALSE;
  gunichar first = g_utf8_get_char(s);
  if (!g_unichar_isupper(first) && !g_unichar_isdigit(first))
    return FALSE;
  if (strchr(s, ':'))
    return FALSE;
  gunichar last = g_utf8_get_char(g_utf8_prev_char(s + strlen(s)));
  return g_unichar_isalnum(last) || last == '?' || last == ')';
}

/* A one- or two-word label without digits: a rubric ("kicker"). */
static gboolean kicker_like(const char *s)
{
  if (count_words(s) < 1 || count_words(s) > 2 || g_utf8_strlen(s, -1) > 30)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (g_ascii_isdigit(*p) || *p == '.' || *p == ':')
      return FALSE;
  return g_unichar_isupper(g_utf8_get_char(s));
}

/* The rubric inside a header line, given the text around the title. */
static char *rubric_from_header(const char *before, const char *after)
{
  char *a = strip_decoration(after);
  if (*a && count_words(a) <= 4 && g_utf8_strlen(a, -1) <= 40) {
    char *f = fold(a, -1);
    gboolean nav = nav_prefix_len(f) == strlen(f);
    g_free(f);
    if (!nav)
      return a;
  }
  g_free(a);
  /* Else the last segment before the title that is not navigation. */
  char *b = strip_decoration(before);
  char *f = fold(b, -1);
  gsize skip = nav_prefix_len(f);
  char *rest = NULL;
  if (skip) {
    /* Map the folded length back: count characters. */
    glong chars = g_utf8_strlen(f, (gssize)skip);
    rest = g_strdup(g_utf8_offset_to_pointer(b, chars));
  } else {
    rest = g_strdup(b);
  }
  g_free(f);
  g_free(b);
  char **segs = g_regex_split(patterns()->header_sep, rest, 0);
  char *rubric = NULL;
  for (char **s = segs; *s; s++) {
    char *c = strip_decoration(*s);
    if (*c && count_words(c) <= 4 && g_utf8_strlen(c, -1) <= 40) {
      g_free(rubric);
      rubric = c;
    } else {
      g_free(c);
    }
  }
  g_strfreev(segs);
  g_free(rest);
  return rubric;
}

/* The part of s after a leading navigation phrase ("Retour à l'accueil
 * Titre" → "Titre"), or s itself. Borrowed from s. */
static const char *skip_nav_prefix(const char *s)
{
  char *f = fold(s, -1);
  gsize skip = nav_prefix_len(f);
  const char *rest = s;
  if (skip && f[skip] != '\0') {
    /* fold() keeps one character for each of a NFC Latin text's. */
    rest = g_utf8_offset_to_pointer(s, g_utf8_strlen(f, (gssize)skip));
    while (*rest && !is_alnum_at(rest))
      rest = g_utf8_next_char(rest);
    if (!*rest)
      rest = s;
  }
  g_free(f);
  return rest;
}

/* Finds header line, title and kicker among the first units; returns the
 * index of the title unit or -1. Drops what comes before it. */
static int find_title(Ctx *ctx, GArray *units)
{
  KqArticle *a = ctx->a;
  guint head = 0;
  while (head < units->len && head < HEAD_UNITS &&
         !is_long_paragraph(g_array_index(units, Unit, head).text))
    head++;

  /* A header line repeating the title with chrome around it. */
  for (guint i = 0; i < head; i++) {
    Unit *hi = &g_array_index(units, Unit, i);
    for (guint j = 0; j < head; j++) {
      Unit *tj = &g_array_index(units, Unit, j);
      if (i == j || !title_like(tj) || strlen(tj->text) >= strlen(hi->text))
        continue;
      const char *at = strstr(hi->text, tj->text);
      if (!at)
        continue;
      char *before = g_strndup(hi->text, (gsize)(at - hi->text));
      char *rubric = rubric_from_header(before, at + strlen(tj->text));
      if (rubric)
        kq_strv_add_unique(a->topics, rubric);
      KQ_LOG(ctx->log, KQ_LOG_DEBUG, ctx->path, hi->lineno,
             "header line repeating the title dropped");
      g_free(rubric);
      g_free(before);
      hi->drop = TRUE;
      for (guint k = 0; k < j; k++)
        g_array_index(units, Unit, k).drop = TRUE;
      kq_set_string(&a->title, tj->text);
      return (int)j;
    }
  }

  /* Else the first short line without a final period. */
  for (guint j = 0; j < head; j++) {
    Unit *tj = &g_array_index(units, Unit, j);
    if (!title_like(tj))
      continue;
    if (j > 0 && kicker_like(g_array_index(units, Unit, j - 1).text))
      kq_strv_add_unique(a->topics, g_array_index(units, Unit, j - 1).text);
    for (guint k = 0; k < j; k++) {
      Unit *uk = &g_array_index(units, Unit, k);
      uk->drop = TRUE;
      KQ_INFO(ctx->log, ctx->path, uk->lineno, "text before the title dropped as page chrome");
    }
    kq_set_string(&a->title, skip_nav_prefix(tj->text));
    return (int)j;
  }
  return -1;
}

/* ---- Decoding ---------------------------------------------------------------- */

/* NFC of valid UTF-8, in chunks: g_utf8_normalize() takes quadratic time
 * on long texts (GLib 2.74: 0.16 s for 100 KB, 1.2 s for 300 KB). A chunk
 * ends before an ASCII byte, which never composes with what precedes it;
 * ASCII-only chunks are copied as they are. */
#define NFC_CHUNK 4096
static char *to_nfc(const char *s, gsize len)
{
  GString *out = g_string_sized_new(len);
  gsize i = 0;
  while (i < len) {
    gsize end = MIN(len, i + NFC_CHUNK);
    while (end < len && (guchar)s[end] >= 0x80)
      end++;
    gboolean ascii = TRUE;
    for (gsize k = i; k < end && ascii; k++)
      ascii = (guchar)s[k] < 0x80;
    if (ascii) {
      g_string_append_len(out, s + i, (gssize)(end - i));
    } else {
      char *n = g_utf8_normalize(s + i, (gssize)(end - i), G_NORMALIZE_DEFAULT_COMPOSE);
      if (n)
        g_string_append(out, n);
      g_free(n);
    }
    i = end;
  }
  return g_string_free(out, FALSE);
}

/* The file as NUL-free, NFC UTF-8 with "\n" line ends; NULL when it is
 * binary. Warnings for what was recovered. */
static char *decode(const char *path, const char *data, gsize len, KqLog *log)
{
  gsize nul = 0;
  for (gsize i = 0; i < len; i++)
    nul += data[i] == '\0';
  if (nul > 2 && nul * 100 > len)
    return NULL;
  /* Stray NUL bytes go first, so that they do not pass for bad UTF-8. */
  char *clean = g_malloc(len + 1);
  gsize clean_len = 0;
  for (gsize i = 0; i < len; i++)
    if (data[i] != '\0')
      clean[clean_len++] = data[i];
  clean[clean_len] = '\0';
  if (nul)
    KQ_WARN(log, path, 0, "%" G_GSIZE_FORMAT " NUL bytes dropped", nul);
  char *utf8;
  if (g_utf8_validate_len(clean, clean_len, NULL)) {
    utf8 = clean;
  } else {
    gsize out_len = 0;
    char *note = NULL, *info = NULL;
    utf8 = kq_encoding_to_utf8(clean, clean_len, NULL, &out_len, &note, &info);
    KQ_WARN(log, path, 0, "%s", note ? note : "not valid UTF-8: read as windows-1252");
    if (info)
      KQ_INFO(log, path, 0, "%s", info);
    g_free(note);
    g_free(info);
    g_free(clean);
    /* The input had no NUL left; the output is valid UTF-8. */
    (void)out_len;
  }
  const char *start = utf8;
  if (g_str_has_prefix(start, "\xEF\xBB\xBF"))
    start += 3;
  /* Line ends: CRLF and CR become LF; form feeds separate paragraphs. */
  GString *s = g_string_sized_new(strlen(start));
  for (const char *p = start; *p; p++) {
    if (*p == '\r') {
      g_string_append_c(s, '\n');
      if (p[1] == '\n')
        p++;
    } else if (*p == '\f') {
      g_string_append(s, "\n\n");
    } else {
      g_string_append_c(s, *p);
    }
  }
  g_free(utf8);
  char *nfc = to_nfc(s->str, s->len);
  g_string_free(s, TRUE);
  return nfc;
}

/* ---- Reading ----------------------------------------------------------------- */

static gboolean text_read(const char *path, const char *data, gsize len,
                          const KqReadOptions *opts, KqLog *log, GPtrArray *out, GError **error)
{
  gsize max_article = kq_read_max_article(opts);
  char *text = decode(path, data, len, log);
  if (!text) {
    g_set_error(error, KQ_READ_ERROR, KQ_READ_ERROR_NOT_INPUT, "binary data, not a text input");
    return FALSE;
  }
  Ctx ctx = {.path = path, .log = log};
  ctx.a = kq_article_new(path, KQ_FORMAT_TEXT);
  ctx.re = patterns();
  KqArticle *a = ctx.a;
  gboolean ok = FALSE;
  GArray *lines = g_array_new(FALSE, TRUE, sizeof(Line));
  GArray *units = g_array_new(FALSE, TRUE, sizeof(Unit));
  g_array_set_clear_func(lines, line_clear);
  g_array_set_clear_func(units, unit_clear);

  /* Lines, classified. */
  char **raw = g_strsplit(text, "\n", -1);
  gboolean any_blank = FALSE, blank_pending = FALSE, seen_text = FALSE, seen_body = FALSE;
  for (int i = 0; raw[i]; i++) {
    Line l = {g_strdup(raw[i]), i + 1, LINE_BLANK};
    g_strstrip(l.text);
    /* Unicode spaces at the ends too. */
    char *core = l.text;
    while (g_str_has_prefix(core, "\xC2\xA0"))
      core += 2;
    if (core != l.text)
      memmove(l.text, core, strlen(core) + 1);
    if (*l.text) {
      gboolean comments;
      l.kind = classify(&ctx, l.text, l.lineno, &comments);
      if (l.kind == LINE_TEXT) {
        /* Blank lines count only between text lines. */
        any_blank = any_blank || blank_pending;
        seen_text = TRUE;
        seen_body = seen_body || is_long_paragraph(l.text);
      }
      if (comments && seen_body) {
        int dropped = 0;
        for (int k = i + 1; raw[k]; k++)
          dropped += *raw[k] != '\0';
        if (dropped)
          KQ_INFO(log, path, l.lineno, "comments section: %d lines dropped", dropped);
        g_array_append_val(lines, l);
        break;
      }
    } else if (seen_text) {
      blank_pending = TRUE;
    }
    g_array_append_val(lines, l);
  }
  g_strfreev(raw);

  /* Units: runs of text lines, or single lines when the dump has no blank
   * line between text lines at all. */
  GString *cur = NULL;
  Unit u = {0};
  for (guint i = 0; i <= lines->len; i++) {
    Line *l = i < lines->len ? &g_array_index(lines, Line, i) : NULL;
    gboolean text_line = l && l->kind == LINE_TEXT;
    if (cur && (!text_line || !any_blank)) {
      u.text = g_string_free(cur, FALSE);
      g_array_append_val(units, u);
      cur = NULL;
    }
    if (text_line) {
      if (!cur) {
        cur = g_string_new(NULL);
        memset(&u, 0, sizeof u);
        u.lineno = l->lineno;
      } else {
        g_string_append_c(cur, ' ');
      }
      g_string_append(cur, l->text);
      u.nlines++;
    }
  }

  int title = find_title(&ctx, units);
  gsize body_bytes = 0;
  gboolean capped = FALSE, after_heading = FALSE;
  for (guint i = (guint)(title + 1); i < units->len; i++) {
    Unit *ui = &g_array_index(units, Unit, i);
    if (ui->drop)
      continue;
    gsize n = strlen(ui->text);
    if (body_bytes + n > max_article) {
      capped = TRUE;
      KQ_WARN(log, path, ui->lineno,
              "body over the %" G_GSIZE_FORMAT "-byte article limit: the rest is dropped",
              max_article);
      break;
    }
    body_bytes += n;
    const Unit *next = NULL;
    for (guint k = i + 1; k < units->len && !next; k++)
      if (!g_array_index(units, Unit, k).drop)
        next = &g_array_index(units, Unit, k);
    gboolean heading = heading_like(ui, next) && !after_heading;
    after_heading = heading;
    KqBlock *b = kq_block_new(heading ? KQ_BLOCK_HEADING : KQ_BLOCK_PARAGRAPH);
    if (heading)
      b->level = 2;
    kq_runs_append_text(b->runs, KQ_STYLE_NONE, ui->text, (gssize)n, NULL);
    g_ptr_array_add(a->blocks, b);
  }
  (void)capped;

  if (!a->title && a->blocks->len == 0) {
    g_set_error(error, KQ_READ_ERROR, KQ_READ_ERROR_EMPTY, "no text");
    goto out;
  }
  if (a->blocks->len == 0)
    KQ_WARN(log, path, 0, "no body text under the title");
  if (!a->title) {
    /* As the Markdown reader does: the file name stands in. */
    char *base = g_path_get_basename(path);
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
      *dot = '\0';
    KQ_WARN(log, path, 0, "no title line: using the file name");
    kq_set_string(&a->title, base);
    g_free(base);
  }

  /* Language: the date words' language as a hint, the text decides. */
  const char *hint = ctx.fr_evidence > ctx.en_evidence ? "fr"
                     : ctx.en_evidence > 0              ? "en"
                                                        : NULL;
  char *body = kq_blocks_to_text(a->blocks);
  GString *all = g_string_new(a->title ? a->title : "");
  g_string_append_c(all, '\n');
  g_string_append(all, body);
  const char *lang = kq_lang_guess(all->str, (gssize)all->len, hint);
  kq_set_string(&a->lang, lang ? lang : hint);
  g_string_free(all, TRUE);
  g_free(body);

  g_ptr_array_add(out, a);
  a = NULL;
  ok = TRUE;
out:
  g_array_unref(lines);
  g_array_unref(units);
  kq_article_free(a);
  g_free(text);
  return ok;
}

const KqReader kq_reader_text = {
  .name = "text",
  .extensions = text_extensions,
  .sniff = text_sniff,
  .read = text_read,
};
