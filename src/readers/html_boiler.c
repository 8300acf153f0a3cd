/* html_boiler.c: removes captions, teasers, boxes and datelines from an article subtree. */
#include "readers/html_boiler.h"

#include <string.h>

#include "kiosque/date.h"
#include "readers/html_body.h"

/* A block holding more than this share of the article's text is the
 * article, whatever it looks like: it is never removed. */
#define MAX_SHARE 0.4
/* Blocks longer than these (characters) are prose, not boxes. */
#define CAPTION_MAX 400
#define BOX_MAX 300
#define LINKS_MAX 250
#define INTRO_MAX 60
#define INSIDE_MAX 200
#define DATE_MAX 80
#define DATELINE_REST 30
#define DUP_MIN 15
/* A paragraph this long (characters) is prose: captions before it belong
 * to the lead picture. */
#define PROSE_MIN 120

/* ---- Patterns (compiled once, read-only afterwards) ------------------------ */

typedef struct {
  GRegex *caption_attr; /* class or id of a caption or credit */
  GRegex *hover_attr;   /* class of a card shown on hover */
  GRegex *gallery_attr; /* class or id of a gallery or slideshow */
  GRegex *callout;      /* "Related:", "À lire aussi", ... followed by punctuation or the end */
  GRegex *sentence;     /* "Sign up for ...", "Pour lire la suite ...", any continuation */
  GRegex *dateline;     /* "Published 10:48, Tue ...", "Mis à jour le ..." */
  GRegex *credit;       /* "(Image: Getty)", "Alex Wong | Getty Images" */
  GRegex *intro;        /* the whole text of a heading introducing other articles */
  GRegex *inside;       /* calls to act that give a short block away wherever they are */
} Patterns;

/* Words that start a box pointing elsewhere, in the languages kiosque
 * guesses; they must be followed by punctuation or end the block. */
#define CALLOUTS                                                                              \
  "related(?: articles?| stories| posts?| content| coverage| reading| links?| topics| news)?|" \
  "see also|see more|read more|read also|also read|more|also|also on [^ ]+|watch|watch more|" \
  "listen|recommended(?: for you| reading| stories)?|don'?t miss|must read|trending|"          \
  "most (?:popular|read|viewed)|more (?:stories|news|from [^:]{1,40})|top stories|"            \
  "advertisement|sponsored(?: content)?|comments?|subscribe|s'abonner|abonnez-vous|"         \
  "video|tags?|topics|filed under|share(?: this)?|"                                           \
  "à lire aussi|a lire aussi|lire aussi|à lire également|lire également|voir aussi|"          \
  "à voir aussi|à voir|sur le même sujet|dans la même rubrique|les plus lus|"                 \
  "publicité|commentaires?|réagir|partager|mots-clés|"                                       \
  "lesen sie auch|lesen sie mehr|mehr zum thema|auch interessant|weitere artikel|anzeige|"    \
  "schlagworte|lea también|lee también|te puede interesar|"            \
  "noticias relacionadas|más información|publicidad|etiquetas|leia também|leia mais|"         \
  "veja também|saiba mais|publicidade|leggi anche|potrebbe interessarti|pubblicità|"          \
  "lees ook|meer over|advertentie|čtěte také|související|reklama"

/* Openings of calls to act that are never article text, any continuation. */
#define SENTENCES                                                                             \
  "sign up|subscribe (?:to|now|today|for)|get (?:the latest|our|breaking|the best)|"          \
  "join (?:our|us|the conversation)|follow (?:us|him|her|them|me|@)|"                         \
  "(?:have|got) a (?:news |story )?tip|click here|like this (?:story|article)|"                \
  "this (?:post|article|page) (?:may )?contains? affiliate|"                                  \
  "share (?:this|on)|this (?:website|site) uses cookies|we use cookies|skip to|"              \
  "this slideshow requires|want more|tell us what you think|you (?:may|might) also like|"     \
  "all rights reserved|"                                                                       \
  "pour lire la suite|la suite (?:de cet article )?est réservée|je fais un don|"              \
  "faire un don|soutenez|abonnez-vous|inscrivez-vous|suivez-nous|"                            \
  "recevez (?:notre|nos|gratuitement)|permalien|cet article est réservé|"                     \
  "partager sur|envoyer par (?:e-?mail|courriel)|imprimer (?:cet|l')article|"                \
  "jetzt (?:abonnieren|anmelden)|folgen sie uns|suscríbete|síguenos|assine|siga-nos|"         \
  "iscriviti|seguici|abonneer|volg ons|sledujte nás"

/* Words that open a photo credit or caption. */
#define CREDITS                                                                               \
  "image|images|photo|photos|photograph|picture|pictures|credit|credits|crédits? photos?|"    \
  "crédits?|légende|foto|fotos|bild|bilder|fotografía|créditos?"

#define DATELINE                                                                              \
  "^(?:published|updated|posted|last updated|first published|publié|mis à jour|modifié|"     \
  "actualizado|publicado|veröffentlicht|aktualisiert|pubblicato|aggiornato|gepubliceerd|"     \
  "bijgewerkt|publikováno|aktualizováno)\\b.{0,100}\\d|"                                      \
  "^by [^.!?]{2,60}[-–—|,] *(?:\\d{1,2}[/.]\\d{1,2}[/.]\\d{2,4}|\\d{1,2}:\\d{2}|"             \
  "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \\d)"

#define AGENCIES                                                                              \
  "getty images|afp|reuters|associated press|ap|ap photo|epa|dpa|shutterstock|istock(?:photo)?|" \
  "alamy|zuma(?: press)?|sipa|maxppp|abaca|belga|anp|ansa|efe|xinhua"

static gpointer build_patterns(gpointer data)
{
  (void)data;
  Patterns *p = g_new0(Patterns, 1);
  GRegexCompileFlags f = G_REGEX_CASELESS | G_REGEX_OPTIMIZE;
  p->caption_attr = g_regex_new(
    "caption|credit|copyright|legende|légende|photo-?info|image-?info|media-?info",
    f, 0, NULL);
  p->hover_attr = g_regex_new("(^|\\s)(rollover-block|hover-?card[-\\w]*|tooltip(-content|-text|"
                              "-inner)?|popover(-content|-body)?)(\\s|$)",
                              f, 0, NULL);
  p->gallery_attr = g_regex_new("gallery|slide|carousel|diaporama|lightbox", f, 0, NULL);
  p->callout = g_regex_new("^[\\[(]?(?:" CALLOUTS ")[\\])]?(?:\\s*[:.…!?»>|–—-]|\\s*$)", f, 0,
                           NULL);
  p->sentence = g_regex_new("^(?:" SENTENCES ")", f, 0, NULL);
  p->dateline = g_regex_new(DATELINE, f, 0, NULL);
  p->credit = g_regex_new("^[\\[(]?(?:" CREDITS ")[\\])]?(?:\\s*[:.…!?»>|–—-]|\\s*$)|"
                          "^(?:image copyright|image caption|copyright ©|©)|\\((?:" AGENCIES ")\\b[^)]{0,80}\\)\\s*$|\\((?:image|photo|picture|credit|crédit|foto|bild|source)s?(?: credit)?"
                          " ?:[^)]{0,80}\\)\\s*$|"
                          "[|/,(©]\\s*(?:" AGENCIES ")(?: file| photo| images| via [^)]{1,40})?"
                          "\\)?\\s*$",
                          f, 0, NULL);
  p->intro = g_regex_new("^[\\[(]?(?:" CALLOUTS "|you (?:may|might) also like|"
                         "more (?:on|about) (?:this|that) (?:story|topic)|"
                         "what to read next|read next|up next|"
                         "dans la même rubrique|sur le même thème|nos articles|"
                         "ailleurs sur le web|les plus partagés|"
                         "(?:more|other|related|recommended|popular|latest|top|trending|further)"
                         "\\b.{0,30}\\b(?:stories|articles|news|posts|reads|reading|coverage|"
                         "videos)|(?:autres|nos|les derniers|plus d') ?.{0,30}"
                         "\\b(?:articles|actualités|sujets|dossiers))[\\])]?[\\s:.…!?»>-]*$",
                         f, 0, NULL);
  p->inside = g_regex_new("\\b(?:click here|cliquez ici|klicken sie hier|haga clic aquí|"
                          "clique aqui|clicca qui|sign up for (?:our|the)|subscribe to our|"
                          "inscrivez-vous à notre|abonnez-vous à notre|"
                          "(?:comments?|commentaires?|comentários|comentarios|kommentare)\\b"
                          ".{0,80}\\b(?:moderat|modér|approv|aprovad|freigeschaltet))",
                          f, 0, NULL);
  return p;
}

static const Patterns *patterns(void)
{
  static GOnce once = G_ONCE_INIT;
  return g_once(&once, build_patterns, NULL);
}

/* ---- Text measures ---------------------------------------------------------- */


static gboolean is_heading(const xmlNode *n)
{
  const char *name = n && n->type == XML_ELEMENT_NODE ? (const char *)n->name : NULL;
  return name && (name[0] == 'h' || name[0] == 'H') && name[1] >= '1' && name[1] <= '6' &&
         !name[2];
}

static const char *const block_names[] = {
  "p", "div", "section", "aside", "header", "footer", "li", "ul", "ol", "dl", "dt", "dd",
  "figcaption", "figure", "blockquote", "table", "tr", "td", "center", "address", "details",
  "h1", "h2", "h3", "h4", "h5", "h6", "article", "main", NULL};

static gboolean is_block(const xmlNode *n)
{
  return kq_html_is_in(n, block_names);
}

typedef struct {
  gsize chars;      /* characters, a run of spaces counting one */
  gsize link_chars; /* of which inside a link leaving the page */
  gsize blocks;     /* block descendants */
} Info;

/* Walks n's subtree, or only until more than limit characters are seen:
 * the counts are then exact below the limit and "more" above it, which is
 * all most rules need, and keeps the pruning linear in the page's size. */
static void info_walk(const xmlNode *n, Info *in, gboolean link, gboolean *space, int depth,
                      gsize limit)
{
  for (const xmlNode *k = n->children; k && in->chars <= limit; k = k->next) {
    if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
      for (const guchar *c = k->content; c && *c; c++) {
        gsize add = (gsize)kq_html_count_byte(*c, space, in->chars > 0);
        in->chars += add;
        if (link)
          in->link_chars += add;
      }
    } else if (k->type == XML_ELEMENT_NODE && depth < 200 && !kq_html_node_is_dropped(k) &&
               !kq_html_node_is_hidden(k)) {
      gboolean l = link;
      if (!l && kq_html_is(k, "a")) {
        xmlChar *href = xmlGetProp(k, (const xmlChar *)"href");
        l = href && href[0] && href[0] != '#';
        xmlFree(href);
      }
      if (is_block(k))
        in->blocks++;
      info_walk(k, in, l, space, depth + 1, limit);
    }
  }
}

static Info info_upto(const xmlNode *n, gsize limit)
{
  Info in = {0};
  gboolean space = FALSE;
  info_walk(n, &in, FALSE, &space, 0, limit);
  return in;
}

static Info info_of(const xmlNode *n)
{
  return info_upto(n, G_MAXSIZE - 1);
}

/* Visible text, white space collapsed (no-break spaces included). */
static char *text_of(const xmlNode *n)
{
  GString *raw = g_string_new(NULL);
  kq_html_visible_text(n, raw, is_block);
  GString *out = g_string_sized_new(raw->len);
  KqWords w = {out, ' ', FALSE};
  for (const char *p = raw->str; *p; p = g_utf8_next_char(p)) {
    /* ASCII, most of the text, without decoding: g_unichar_isspace()
     * holds for these five only below 0x80. */
    if (!(*p & 0x80)) {
      if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
        kq_words_gap(&w);
      else
        g_string_append_c(kq_words_next(&w), *p);
      continue;
    }
    gunichar c = g_utf8_get_char_validated(p, -1);
    if (c == (gunichar)-1 || c == (gunichar)-2)
      break;
    if (g_unichar_isspace(c) || c == 0xA0 || c == 0x202F)
      kq_words_gap(&w);
    else
      g_string_append_unichar(kq_words_next(&w), c);
  }
  g_string_free(raw, TRUE);
  return g_string_free(out, FALSE);
}

static gboolean match(const GRegex *re, const char *s)
{
  return re && s && *s && g_regex_match(re, s, 0, NULL);
}

static gboolean attr_matches(const xmlNode *n, const GRegex *re)
{
  gboolean m = FALSE;
  static const char *const names[] = {"class", "id", NULL};
  for (int i = 0; names[i] && !m; i++) {
    xmlChar *v = xmlGetProp(n, (const xmlChar *)names[i]);
    m = v && match(re, (const char *)v);
    xmlFree(v);
  }
  return m;
}

/* ---- Embedded posts ---------------------------------------------------------- */

static const xmlNode *first_quote(const xmlNode *n, int depth)
{
  for (const xmlNode *k = n->children; k; k = k->next) {
    if (k->type != XML_ELEMENT_NODE)
      continue;
    if (kq_html_is(k, "blockquote"))
      return k;
    if (depth < 8) {
      const xmlNode *q = first_quote(k, depth + 1);
      if (q)
        return q;
    }
  }
  return NULL;
}

gboolean kq_html_is_embedded_post(const xmlNode *n)
{
  if (!n || n->type != XML_ELEMENT_NODE)
    return FALSE;
  if (kq_html_is(n, "blockquote"))
    return TRUE;
  const xmlNode *q = first_quote(n, 0);
  if (!q)
    return FALSE;
  Info all = info_of(n), quote = info_of(q);
  return all.chars > 0 && all.chars < 3000 && quote.chars * 10 >= all.chars * 6;
}

/* ---- Pruning -------------------------------------------------------------------- */

typedef struct {
  const Patterns *pat;
  gsize total;       /* characters of the whole article */
  GPtrArray *doomed; /* nodes to remove, in document order, none inside another */
  GHashTable *seen;  /* collapsed text of gallery blocks kept so far */
  const xmlNode *first_prose; /* the article's first paragraph of prose, once met */
} Pruner;

static gboolean removable(const Pruner *p, const Info *in)
{
  return (double)in->chars <= MAX_SHARE * (double)p->total;
}

/* TRUE once the article's first paragraph of prose is behind n: captions
 * and credits before it (or inside it) belong to the lead picture. */
static gboolean after_prose(const Pruner *p, const xmlNode *n)
{
  if (!p->first_prose)
    return FALSE;
  for (const xmlNode *a = n; a; a = a->parent)
    if (a == p->first_prose)
      return FALSE;
  return TRUE;
}

static gboolean is_caption(const Pruner *p, const xmlNode *n, const Info *in)
{
  if (in->chars > CAPTION_MAX || !after_prose(p, n))
    return FALSE;
  /* A figure's own caption is the picture's, kept with it in the model;
   * loose captions and credits are not. */
  if (kq_html_is(n, "figcaption") && n->parent && kq_html_is(n->parent, "figure"))
    return FALSE;
  return kq_html_is(n, "figcaption") || attr_matches(n, p->pat->caption_attr);
}

static gboolean has_heading(const xmlNode *n, int depth)
{
  for (const xmlNode *k = n->children; k; k = k->next)
    if (k->type == XML_ELEMENT_NODE &&
        (is_heading(k) || (depth < 50 && has_heading(k, depth + 1))))
      return TRUE;
  return FALSE;
}

/* A short block that a reader skips: box, call to act, dateline, credit,
 * or links only. */
static gboolean is_box(const Pruner *p, const xmlNode *n, const Info *in, const char *text)
{
  if (!*text)
    return FALSE;
  if (in->chars <= BOX_MAX &&
      (match(p->pat->callout, text) || match(p->pat->sentence, text) ||
       match(p->pat->dateline, text)))
    return TRUE;
  /* Credits, as captions, stay with the lead picture. */
  if (in->chars <= BOX_MAX && after_prose(p, n) && match(p->pat->credit, text))
    return TRUE;
  if (in->chars <= INSIDE_MAX && match(p->pat->inside, text))
    return TRUE;
  /* A block that is a date, or opens with one and holds little else
   * ("November 20, 2019 / 1:07 AM / CBS News"): a dateline. */
  KqDate d;
  gsize start = 0, end = 0;
  if (in->chars <= DATE_MAX &&
      (kq_date_parse(text, &d, NULL) ||
       (kq_date_find(text, &d, &start, &end) && start == 0 &&
        g_utf8_strlen(text + end, -1) <= DATELINE_REST)))
    return TRUE;
  /* Mostly links: teasers, tag lists, "more from" rows. A bracketed
   * source ("[CNET]") is too short to judge; headings stay (on a page of
   * headlines they are the content). */
  if (in->chars >= 25 && in->chars <= LINKS_MAX && in->link_chars * 10 > in->chars * 7 &&
      !is_heading(n) && !has_heading(n, 0))
    return TRUE;
  /* A list of links, whatever its length. */
  return (kq_html_is(n, "ul") || kq_html_is(n, "ol")) && in->link_chars * 10 > in->chars * 6;
}

/* Siblings after a heading such as "You may also like" that are part of
 * what it introduces: lists, link rows, short teasers. */
static void doom_introduced(Pruner *p, xmlNode *heading)
{
  for (xmlNode *s = heading->next; s; s = s->next) {
    if (s->type != XML_ELEMENT_NODE)
      continue;
    Info in = info_of(s);
    if (!removable(p, &in))
      break;
    gboolean teaser = kq_html_is(s, "ul") || kq_html_is(s, "ol") ||
                      in.link_chars * 10 > in.chars * 3 || in.chars < 100;
    if (!teaser || is_heading(s))
      break;
    g_ptr_array_add(p->doomed, s);
  }
}

static xmlNode *next_after(xmlNode *n, const xmlNode *root)
{
  while (n && n != root) {
    if (n->next)
      return n->next;
    n = n->parent;
  }
  return NULL;
}

/* TRUE when n goes. A heading introducing other articles goes with the
 * teasers after it, which are added to the doomed list here. */
static gboolean judge(Pruner *p, xmlNode *n)
{
  gboolean hover = attr_matches(n, p->pat->hover_attr);
  if (!hover && !is_block(n) && !kq_html_is(n, "span") && !kq_html_is(n, "small"))
    return FALSE;
  /* Only hover cards and lists of links are judged at any length. */
  gboolean any_length = hover || kq_html_is(n, "ul") || kq_html_is(n, "ol");
  Info in = any_length ? info_of(n) : info_upto(n, CAPTION_MAX);
  if (in.chars > CAPTION_MAX && !any_length)
    return FALSE;
  if (!removable(p, &in))
    return FALSE;
  if (hover || is_caption(p, n, &in))
    return TRUE;
  if (!is_block(n) || in.chars > BOX_MAX)
    return FALSE;
  char *text = text_of(n);
  gboolean gone = FALSE;
  if ((is_heading(n) || (in.chars <= INTRO_MAX && in.blocks == 0)) &&
      match(p->pat->intro, text)) {
    g_ptr_array_add(p->doomed, n);
    doom_introduced(p, n);
    g_free(text);
    return FALSE; /* already in the list */
  }
  gone = !kq_html_is(n, "blockquote") && is_box(p, n, &in, text);
  g_free(text);
  return gone;
}

static void prune_walk(Pruner *p, xmlNode *root)
{
  xmlNode *n = root->children;
  while (n) {
    if (n->type != XML_ELEMENT_NODE || kq_html_node_is_dropped(n) ||
        kq_html_node_is_hidden(n)) {
      n = next_after(n, root);
      continue;
    }
    guint before = p->doomed->len;
    if (judge(p, n)) {
      /* Quoted posts keep their text (only looked for when n would go:
       * it costs a walk below n). */
      if (!kq_html_is(n, "blockquote") && kq_html_is_embedded_post(n)) {
        n = next_after(n, root);
        continue;
      }
      g_ptr_array_add(p->doomed, n);
    }
    if (p->doomed->len > before) {
      /* Go on after the last doomed node. */
      n = next_after(g_ptr_array_index(p->doomed, p->doomed->len - 1), root);
      continue;
    }
    if (!p->first_prose && kq_html_is(n, "p")) {
      Info in = info_of(n);
      if (in.chars >= PROSE_MIN && in.link_chars * 2 < in.chars)
        p->first_prose = n;
    }
    /* A quotation is kept whole: its lines are the quoted author's. */
    n = n->children && !kq_html_is(n, "blockquote") ? n->children : next_after(n, root);
  }
}

/* Leaf blocks repeating an earlier one (gallery captions, a teaser shown
 * twice): only the first stays. */
static void doom_repeats(Pruner *p, xmlNode *n, gboolean gallery, int depth)
{
  for (xmlNode *k = n->children; k; k = k->next) {
    if (k->type != XML_ELEMENT_NODE || kq_html_node_is_dropped(k) || depth > 200)
      continue;
    gboolean g = gallery || kq_html_is(k, "figure") || kq_html_is(k, "figcaption") ||
                 attr_matches(k, p->pat->gallery_attr) || attr_matches(k, p->pat->caption_attr);
    if (g && is_block(k) && !kq_html_is(k, "td") && !kq_html_is(k, "tr")) {
      Info in = info_upto(k, BOX_MAX);
      if (in.blocks == 0 && in.chars <= BOX_MAX) {
        if (in.chars >= DUP_MIN && in.chars <= BOX_MAX) {
          char *t = text_of(k);
          if (g_hash_table_contains(p->seen, t)) {
            g_ptr_array_add(p->doomed, k);
            g_free(t);
          } else {
            g_hash_table_add(p->seen, t);
          }
        }
        continue;
      }
    }
    doom_repeats(p, k, g, depth + 1);
  }
}

static void remove_doomed(Pruner *p)
{
  for (guint i = p->doomed->len; i-- > 0;) {
    xmlNode *n = g_ptr_array_index(p->doomed, i);
    xmlUnlinkNode(n);
    xmlFreeNode(n);
  }
  g_ptr_array_set_size(p->doomed, 0);
}

/* The last text under n in document order (hidden and dropped elements
 * skipped), or NULL. */
static xmlNode *last_text(xmlNode *n, int depth)
{
  for (xmlNode *k = n->last; k; k = k->prev) {
    if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
      for (const xmlChar *c = k->content; c && *c; c++)
        if (!g_ascii_isspace(*c))
          return k;
    } else if (k->type == XML_ELEMENT_NODE && depth < 200 && !kq_html_node_is_dropped(k) &&
               !kq_html_node_is_hidden(k)) {
      xmlNode *t = last_text(k, depth + 1);
      if (t)
        return t;
    }
  }
  return NULL;
}

/* Headings left at the end of the article introduce nothing (their
 * teasers or links are gone): a reader never reads them. */
static void drop_trailing_headings(xmlNode *article)
{
  for (;;) {
    xmlNode *t = last_text(article, 0);
    xmlNode *h = NULL;
    for (xmlNode *a = t ? t->parent : NULL; a && a != article; a = a->parent)
      if (is_heading(a))
        h = a;
    if (!h)
      return;
    xmlUnlinkNode(h);
    xmlFreeNode(h);
  }
}

void kq_html_prune_boilerplate(xmlNode *article)
{
  if (!article)
    return;
  Info all = info_of(article);
  if (all.chars == 0)
    return;
  Pruner p = {.pat = patterns(), .total = all.chars, .doomed = g_ptr_array_new()};
  prune_walk(&p, article);
  remove_doomed(&p);
  p.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  doom_repeats(&p, article, FALSE, 0);
  remove_doomed(&p);
  drop_trailing_headings(article);
  g_hash_table_unref(p.seen);
  g_ptr_array_unref(p.doomed);
}
