/* test_reader_feed.c: the RSS/RDF/Atom reader on real feeds (tests/fixtures/feeds) and on synthetic damage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "kiosque/reader.h"
#include "readers/feed_text.h"

/* ---- Helpers --------------------------------------------------------------- */

/* What the reader reported: the shared capture of log.h (issue 13 item 8),
 * warnings and errors only. */
static const char *first_warning(const KqLogCapture *warnings)
{
  if (warnings->entries->len == 0)
    return NULL;
  return ((const KqLogEntry *)g_ptr_array_index(warnings->entries, 0))->msg;
}

static GPtrArray *read_path(const char *path, KqLogCapture *warnings, gboolean *ok,
                            GError **error)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  *ok = kq_read_file(path, NULL, &warnings->log, out, error);
  return out;
}

/* Reads an in-memory feed with the feed reader itself. */
static GPtrArray *read_mem(const char *data, gsize len, KqLogCapture *warnings, gboolean *ok)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  GError *err = NULL;
  *ok = kq_reader_feed.read("mem.xml", data, len, NULL, &warnings->log, out, &err);
  g_clear_error(&err);
  for (guint i = 0; i < out->len; i++)
    kq_article_finish(g_ptr_array_index(out, i));
  return out;
}

/* A warning holding needle, on that line (any line: -1). */
static gboolean has_warning(const KqLogCapture *warnings, const char *needle, int line)
{
  for (guint i = 0; i < warnings->entries->len; i++) {
    const KqLogEntry *w = g_ptr_array_index(warnings->entries, i);
    if (strstr(w->msg, needle) && (line < 0 || w->line == line))
      return TRUE;
  }
  return FALSE;
}

/* No mojibake and no markup residue: valid UTF-8, no U+FFFD, no "Ã©"-style
 * double encoding, no "â€™", no control or C1 characters, and no
 * character or entity reference (&amp;, &rsquo;, &#233;) left undecoded. */
static void check_clean(const char *s, const char *what, const char *file)
{
  if (!s)
    return;
  if (!g_utf8_validate(s, -1, NULL))
    fail_msg("%s: %s: invalid UTF-8", file, what);
  if (strstr(s, "\xEF\xBF\xBD"))
    fail_msg("%s: %s: U+FFFD in \"%s\"", file, what, s);
  for (const char *p = strstr(s, "\xC3\x83\xC2"); p; p = strstr(p + 1, "\xC3\x83\xC2"))
    if ((guchar)p[3] >= 0x80 && (guchar)p[3] <= 0xBF)
      fail_msg("%s: %s: mojibake \"%.12s\" in \"%s\"", file, what, p, s);
  if (strstr(s, "\xC3\xA2\xE2\x82\xAC"))
    fail_msg("%s: %s: mojibake \"â€\" in \"%s\"", file, what, s);
  if (strstr(s, "&amp;") || strstr(s, "&rsquo;") || kq_feed_has_entity_ref(s))
    fail_msg("%s: %s: reference left in \"%s\"", file, what, s);
  for (const char *p = s; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c < 0xA0))
      fail_msg("%s: %s: control character U+%04X in \"%s\"", file, what, c, s);
  }
}

static void check_runs_clean(const GPtrArray *runs, const char *file)
{
  for (guint i = 0; runs && i < runs->len; i++) {
    const KqRun *r = g_ptr_array_index(runs, i);
    check_clean(r->text, "body run", file);
    check_clean(r->href, "link", file);
  }
}

static void check_blocks_clean(const GPtrArray *blocks, const char *file)
{
  for (guint i = 0; blocks && i < blocks->len; i++) {
    const KqBlock *b = g_ptr_array_index(blocks, i);
    check_runs_clean(b->runs, file);
    check_clean(b->alt, "image alt", file);
    check_clean(b->src, "image src", file);
    if (b->kind != KQ_BLOCK_CODE)
      check_clean(b->text, "block text", file);
    check_blocks_clean(b->children, file);
    for (guint r = 0; b->rows && r < b->rows->len; r++) {
      const KqTableRow *row = g_ptr_array_index(b->rows, r);
      for (guint c = 0; c < row->cells->len; c++)
        check_runs_clean(g_ptr_array_index(row->cells, c), file);
    }
  }
}

static void check_article_clean(const KqArticle *a, const char *file)
{
  check_clean(a->title, "title", file);
  check_clean(a->standfirst, "standfirst", file);
  check_clean(a->site, "site", file);
  check_clean(a->url, "url", file);
  for (guint i = 0; i < a->authors->len; i++)
    check_clean(g_ptr_array_index(a->authors, i), "author", file);
  for (guint i = 0; i < a->topics->len; i++)
    check_clean(g_ptr_array_index(a->topics, i), "topic", file);
  check_blocks_clean(a->blocks, file);
  char *text = kq_blocks_to_text(a->blocks);
  check_clean(text, "body text", file);
  g_free(text);
}

/* <item> and <entry> start tags in the raw bytes, counted without any
 * XML parser: the count the MANIFEST states. */
static guint count_item_tags(const char *data, gsize len)
{
  static const char *const tags[] = {"<item>", "<item ", "<entry>", "<entry ", "<item\n",
                                     "<item\r", "<entry\n", "<entry\r"};
  guint n = 0;
  for (gsize t = 0; t < G_N_ELEMENTS(tags); t++) {
    gsize tl = strlen(tags[t]);
    for (const char *p = data; (p = g_strstr_len(p, (gssize)(len - (gsize)(p - data)), tags[t]));
         p += tl)
      n++;
  }
  return n;
}

static const KqArticle *find_title(const GPtrArray *out, const char *title)
{
  for (guint i = 0; i < out->len; i++) {
    const KqArticle *a = g_ptr_array_index(out, i);
    if (g_strcmp0(a->title, title) == 0)
      return a;
  }
  return NULL;
}

/* ---- Real feeds ------------------------------------------------------------ */

typedef struct {
  int source_index; /* position among the file's items */
  const char *title;
  const char *published; /* RFC 3339 */
  const char *url;
} Spot;

typedef struct {
  const char *file;      /* under fixtures/feeds/ */
  guint items;           /* <item>/<entry> elements (MANIFEST) */
  guint empty;           /* of which hold no title, link nor content (skipped, warned) */
  const char *lang;      /* primary subtag of the MANIFEST language */
  gboolean declared;     /* the feed declares its language: every article has it */
  const char *site;
  const char *warning;   /* expected warning substring; NULL: no warning at all */
  Spot spots[3];
} FeedCase;

/* Expected values read off the raw files (titles with their entities and
 * CDATA decoded, hard line breaks collapsed; dates as RFC 3339 with the
 * source's offset; links: feedburner:origLink over link). */
static const FeedCase feed_cases[] = {
    {"feedjira/RSSWithComments.xml", 30, 0, "en", FALSE, "Hacker News", NULL,
     {
      {0, "AWS Lambda Function URLs: Built-In HTTPS Endpoints for Lambda",
       "2022-04-06T21:07:47+00:00",
       "https://aws.amazon.com/blogs/aws/announcing-aws-lambda-function-urls-built-in-https-endpoints-for-single-function-microservices/"},
      {15, "The remarkable brain of a carpet cleaner who speaks 24 languages",
       "2022-04-05T15:31:04+00:00",
       "https://www.washingtonpost.com/dc-md-va/interactive/2022/multilingual-hyperpolyglot-brain-languages/"},
      {29, "What’s new in Emacs 28.1?",
       "2022-04-06T11:23:33+00:00",
       "https://www.masteringemacs.org/article/whats-new-in-emacs-28-1"}}},
    {"feedjira/TechCrunch.xml", 20, 0, "en", TRUE, "TechCrunch", "blank space before the XML declaration",
     {
      {0, "Angie’s List Sets Price Range IPO At $11 To $13 Per Share; Valued At Over $600M",
       "2011-11-02T17:25:27+00:00",
       "http://techcrunch.com/2011/11/02/angies-list-prices-ipo-at-11-to-13-per-share-valued-at-over-600m/"},
      {10, "Loiloscope 2 Lets You Edit HD Videos In Real Time, Now Offers More Features",
       "2011-11-02T14:39:13+00:00",
       "http://techcrunch.com/2011/11/02/loiloscope-2-video/"},
      {19, "Ooma Invades Canada, US Premier Subscribers Can Now Talk To Their Northern Cousins For Free",
       "2011-11-02T12:34:07+00:00",
       "http://techcrunch.com/2011/11/02/ooma-invades-canada-us-prime-subscribers-can-now-talk-to-their-northern-cousins-for-free/"}}},
    {"miniflux/encoding_ISO-8859-1.xml", 40, 0, "de", TRUE, "Golem.de", NULL,
     {
      {0, "Red Dead Redemption 2: Hinweise auf PC-Umsetzung in App von Rockstar Games",
       "2018-10-28T13:48:00+01:00",
       "https://www.golem.de/news/red-dead-redemption-2-hinweise-auf-pc-umsetzung-in-app-von-rockstar-games-1810-137358-rss.html"},
      {20, "Quartalszahlen: Intel legt 19-Milliarden-USD-Rekord vor",
       "2018-10-26T08:51:00+01:00",
       "https://www.golem.de/news/quartalszahlen-intel-legt-19-milliarden-usd-rekord-vor-1810-137339-rss.html"},
      {39, "Xiaomi: Das Mi Mix 3 hat keine Notch und eine versteckte Frontkamera",
       "2018-10-25T11:49:00+01:00",
       "https://www.golem.de/news/xiaomi-das-mi-mix-3-hat-keine-notch-und-eine-versteckte-frontkamera-1810-137319-rss.html"}}},
    {"miniflux/no_encoding_ISO-8859-1.xml", 10, 1, "fr", FALSE, "Flux RSS du magazine de psychologie Le Cercle Psy", "read as windows-1252",
     {
      {0, "Perturbateurs endocriniens : quels effets sur le cerveau ?",
       "2018-10-17T10:30:00+00:00",
       "https://le-cercle-psy.scienceshumaines.com/perturbateurs-endocriniens-quels-effets-sur-le-cerveau_sh_39995"},
      {5, "L'enfant doué : quand trop comprendre... empêche parfois de comprendre",
       "2018-10-17T10:30:00+00:00",
       "https://le-cercle-psy.scienceshumaines.com/l-enfant-doue-quand-trop-comprendre-empeche-parfois-de-comprendre_sh_40004"},
      {9, "Psychologue à domicile : de la clinique à l'état brut",
       "2018-10-17T10:30:00+00:00",
       "https://le-cercle-psy.scienceshumaines.com/psychologue-a-domicile-de-la-clinique-a-l-etat-brut_sh_35540"}}},
    {"picofeed/jeux-linux.fr.xml", 20, 0, "fr", TRUE, "Jeuxlinux - Le site des jeux pour linux", NULL,
     {
      {0, "Le renouveau de LinuxConsole",
       "2013-12-30T12:16:44+00:00",
       "http://www.jeuxlinux.fr/spip.php?breve1342"},
      {10, "Bientôt 3000 références sur « Le Bottin des Jeux Linux » qui s'offre un nouveau look.",
       "2013-08-29T07:47:20+00:00",
       "http://www.jeuxlinux.fr/spip.php?breve1332"},
      {19, "Wargame EE sur Steam",
       "2013-03-06T01:33:57+00:00",
       "http://www.jeuxlinux.fr/spip.php?breve1323"}}},
    {"picofeed/lagrange.xml", 34, 0, "fr", TRUE, "Carnets de La Grange", NULL,
     {
      {0, "L'hôtel particulier de Mozilla",
       "2013-04-10T23:17:00+00:00",
       "http://www.la-grange.net/2013/04/10/memoire-lieu"},
      {17, "Définir les attentes",
       "2013-03-20T23:59:00+00:00",
       "http://www.la-grange.net/2013/03/20/courrier"},
      {33, "Le voyage imaginaire",
       "2013-02-21T23:59:00+00:00",
       "http://www.la-grange.net/2013/02/21/voyage"}}},
    {"picofeed/next_inpact_full.xml", 45, 0, "fr", FALSE, "Next INpact", "not well-formed",
     {
      {0, "Le récap' des tests : si votre console portable s'ennuie, voilà de quoi l'occuper",
       "2014-05-15T00:01:24+00:00",
       "http://www.nextinpact.com/news/87545-le-recap-tests-si-votre-console-portable-sennuie-voila-quoi-occuper.htm?utm_source=PCi_RSS_Feed&utm_medium=news&utm_campaign=pcinpact"},
      {22, "Livre papier, livre numérique : la TVA sous l’œil de la justice européenne",
       "2014-05-14T10:26:18+00:00",
       "http://www.nextinpact.com/news/87529-livre-papier-livre-numerique-tva-sous-l-%C5%93il-justice-europeenne.htm?utm_source=PCi_RSS_Feed&utm_medium=news&utm_campaign=pcinpact"},
      {44, "Noël 2013 : notre sélection des meilleurs cadeaux",
       "2013-12-13T18:30:00+00:00",
       "http://www.nextinpact.com/dossier/682-noel-2013-notre-selection-des-meilleurs-cadeaux/1.htm?utm_source=PCi_RSS_Feed&utm_medium=tests&utm_campaign=pcinpact"}}},
    {"picofeed/pcinpact.xml", 30, 0, "fr", FALSE, "PC INpact", NULL,
     {
      {0, "La DCRI purge Wikipedia par la menace, un bel effet Streisand à la clé",
       "2013-04-06T23:11:00+00:00",
       "http://www.pcinpact.com/breve/78872-la-dcri-purge-wikipedia-par-menace-bel-effet-streisand-a-cle.htm?utm_source=PCi_RSS_Feed&utm_medium=news&utm_campaign=pcinpact"},
      {15, "Sony veut attirer un public plus féminin sur la PlayStation 4",
       "2013-04-05T14:30:00+00:00",
       "http://www.pcinpact.com/breve/78860-sony-veut-attirer-public-plus-feminin-sur-playstation-4.htm?utm_source=PCi_RSS_Feed&utm_medium=news&utm_campaign=pcinpact"},
      {29, "Le HTC One est disponible en stock chez Bouygues et SFR, à partir de 59,99 €",
       "2013-04-05T08:40:51+00:00",
       "http://www.pcinpact.com/breve/78843-le-htc-one-est-disponible-en-stock-chez-bouygues-et-sfr-a-partir-5999.htm?utm_source=PCi_RSS_Feed&utm_medium=news&utm_campaign=pcinpact"}}},
    {"picofeed/rue89.xml", 25, 0, "fr", TRUE, "Rue89 : A la Une", NULL,
     {
      {0, "Quand Jérôme Cahuzac trouvait que « sa présence finissait par rejaillir sur... »",
       "2013-04-06T15:50:31+00:00",
       "http://rue89.feedsportal.com/c/33822/f/608948/s/2a687021/l/0L0Srue890N0Czapnet0C20A130C0A40C0A60Cquand0Ejerome0Ecahuzac0Etrouvait0Epresence0Efinissait0Erejaillir0E241244/story01.htm"},
      {12, "« Topless jihad » : Femen, le syndrome de la blonde",
       "2013-04-05T10:27:01+00:00",
       "http://rue89.feedsportal.com/c/33822/f/608948/s/2a5e498c/l/0L0Srue890N0C20A130C0A40C0A50Ctopless0Ejihad0Efemen0Esyndrome0Eblonde0E241190A/story01.htm"},
      {24, "Le boss d’Acadomia : « Il faut que chacun ait envie de faire le job du patron »",
       "2013-04-04T14:20:40+00:00",
       "http://rue89.feedsportal.com/c/33822/f/608948/s/2a55b922/l/0L0Srue890N0Crue890Eeco0C20A130C0A40C0A40Cboss0Edacadomia0Efaut0Echacun0Eait0Eenvie0Efaire0Ejob0Epatron0E2410A93/story01.htm"}}},
    {"picofeed/univers_freebox.xml", 30, 0, "fr", FALSE, "Univers Freebox", NULL,
     {
      {0, "Retour de Xavier Niel sur Twitter, « sans initiative privée, pas de révolution #Born2code »",
       "2013-03-25T20:43:20+01:00",
       "http://www.universfreebox.com/article20302.html"},
      {15, "Selon le PDG d'Orange, Free Mobile « aurait pu pratiquer des prix encore plus bas »",
       "2013-03-25T05:16:13+01:00",
       "http://www.universfreebox.com/article20283.html"},
      {29, "Hadopi décortique les contenus de Youtube : première étude sur les plateformes de streaming.",
       "2013-03-22T12:55:00+01:00",
       "http://www.universfreebox.com/article20266.html"}}},
    {"picofeed/xakep.ru.xml", 25, 0, "ru", TRUE, "Xakep", "weekday",
     {
      {0, "Руководители разведки США шутят об убийстве Сноудена",
       "2013-10-04T02:34:59+03:00",
       "http://www.xakep.ru/post/61360/default.asp"},
      {12, "Ананасовый рай",
       "2013-10-01T17:58:13+03:00",
       "http://www.xakep.ru/post/61348/default.asp"},
      {24, "Смартфон на столе рядом с клавиатурой может регистрировать вибрации от нажатий клавиш",
       "2013-09-30T17:28:24+03:00",
       "http://www.xakep.ru/post/61336/default.asp"}}},
    {"rss-parser/encoding.rss", 40, 0, "pt", TRUE, "Jornal de Notícias - Últimas Notícias", NULL,
     {
      {0, "Mãe de utente é a nova presidente da Raríssimas",
       "2018-01-03T13:47:00+00:00",
       "https://www.jn.pt/nacional/interior/sonia-laig-e-a-nova-presidente-da-rarissimas-9021600.html"},
      {20, "PSP deteve mais de 800 pessoas nas festas de Natal e fim de ano",
       "2018-01-03T10:51:00+00:00",
       "https://www.jn.pt/justica/interior/psp-deteve-mais-de-800-pessoas-nas-festas-de-natal-e-fim-de-ano-9021211.html"},
      {39, "Lisboa quer passes sociais com acesso a táxis e bicicletas",
       "2018-01-03T00:25:00+00:00",
       "https://www.jn.pt/economia/interior/lisboa-quer-passes-sociais-com-acesso-a-taxis-e-bicicletas-9020740.html"}}},
    {"rss-parser/guardian.rss", 55, 0, "en", TRUE, "The Guardian", NULL,
     {
      {0, "Trump State of the Union address promised unity but emphasized discord",
       "2018-01-31T07:26:05+00:00",
       "https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord"},
      {27, "Moments of protest during Trump's State of the Union address – video",
       "2018-01-31T13:49:44+00:00",
       "https://www.theguardian.com/us-news/video/2018/jan/31/moments-protest-trump-state-of-the-union-address-video"},
      {54, "Earth's ultimate yogis – in pictures",
       "2018-01-31T07:00:20+00:00",
       "https://www.theguardian.com/artanddesign/gallery/2018/jan/31/earths-ultimate-yogis-in-pictures-yoga"}}},
    {"rss-parser/heise.atom", 15, 0, "de", FALSE, "heise developer neueste Meldungen", NULL,
     {
      {0, "Java-Anwendungsserver: Red Hat gibt WildFly 10 frei",
       "2016-02-01T17:22:00+01:00",
       "http://www.heise.de/developer/meldung/Java-Anwendungsserver-Red-Hat-gibt-WildFly-10-frei-3088438.html?wt_mc=rss.developer.beitrag.atom"},
      {7, "Der Dotnet-Doktor: Auslesen und Sortieren von GPX-Dateien",
       "2016-01-29T13:59:00+01:00",
       "http://www.heise.de/developer/artikel/Auslesen-und-Sortieren-von-GPX-Dateien-3087150.html?wt_mc=rss.developer.beitrag.atom"},
      {14, "Apache Software Foundation bekommt ein neues Logo",
       "2016-01-28T17:07:00+01:00",
       "http://www.heise.de/developer/meldung/Apache-Software-Foundation-bekommt-ein-neues-Logo-3086458.html?wt_mc=rss.developer.beitrag.atom"}}},
    {"rss-parser/uolNoticias.rss", 15, 0, "pt", FALSE, "UOL Noticias", "read as windows-1252",
     {
      {0, "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno",
       "2018-09-24T19:42:40-03:00",
       "https://noticias.uol.com.br/politica/eleicoes/2018/noticias/2018/09/24/ibope-bolsonaro-perde-de-haddad-ciro-e-alckmin-em-simulacoes-de-2-turno.htm"},
      {7, "Enfermeira de Chávez alega 'perseguição' em Corte espanhola",
       "2018-09-24T19:25:00-03:00",
       "https://noticias.uol.com.br/ultimas-noticias/ansa/2018/09/24/enfermeira-de-chavez-alega-perseguicao-em-corte-espanhola.htm"},
      {14, "Fama \"A\" é campeã da Primeira Divisão da Copa Cidade Alta de Futebol Suíço",
       "2018-09-24T19:18:49-03:00",
       "https://tnonline.uol.com.br/noticias/apucarana/45,470926,24,09,fama-a-e-campea-da-primeira-divisao-da-copa-cidade-alta-de-futebol-suico"}}},
    {"winnowtag-collector/slashdot.rss", 4, 0, "en", TRUE, "Slashdot", NULL,
     {
      {0, "Apple's Growing Pains",
       "2006-08-09T23:31:00+00:00",
       "http://apple.slashdot.org/article.pl?sid=06/08/09/2044238&from=rss"},
      {2, "Intel Open Sources Graphics Drivers",
       "2006-08-09T22:02:00+00:00",
       "http://developers.slashdot.org/article.pl?sid=06/08/09/2134254&from=rss"},
      {3, "Breakthrough Gives 3-D Vision of Dawn of Life",
       "2006-08-09T21:18:00+00:00",
       "http://science.slashdot.org/article.pl?sid=06/08/09/2037209&from=rss"}}},};

static void test_feed(void **state)
{
  const FeedCase *c = *state;
  char *path = g_build_filename("fixtures", "feeds", c->file, NULL);
  char *data = NULL;
  gsize len = 0;
  assert_true(g_file_get_contents(path, &data, &len, NULL));
  assert_int_equal(count_item_tags(data, len), c->items);
  assert_int_equal(kq_reader_choose(path, data, len), &kq_reader_feed);

  KqLogCapture warnings;
  kq_log_capture_init(&warnings, KQ_LOG_WARNING);
  GError *err = NULL;
  gboolean ok = FALSE;
  GPtrArray *out = read_path(path, &warnings, &ok, &err);
  if (!ok)
    fail_msg("%s: %s", c->file, err->message);
  assert_int_equal(out->len, c->items - c->empty);
  if (c->empty)
    assert_true(has_warning(&warnings, "without title, link or content", -1));
  if (c->warning) {
    if (!has_warning(&warnings, c->warning, -1))
      fail_msg("%s: no warning with \"%s\"", c->file, c->warning);
  } else if (warnings.entries->len && !c->empty) {
    fail_msg("%s: unexpected warning %s", c->file, first_warning(&warnings));
  }

  /* the first item comes first */
  const KqArticle *first = g_ptr_array_index(out, 0);
  assert_string_equal(first->title, c->spots[0].title);
  for (int i = 0; i < 3; i++) {
    const Spot *s = &c->spots[i];
    const KqArticle *a = find_title(out, s->title);
    if (!a)
      fail_msg("%s: no article titled \"%s\" (item %d)", c->file, s->title, s->source_index);
    char *d = kq_date_to_string(&a->published);
    assert_non_null(d);
    assert_string_equal(d, s->published);
    g_free(d);
    assert_non_null(a->url);
    assert_string_equal(a->url, s->url);
  }
  char buf[16];
  for (guint i = 0; i < out->len; i++) {
    const KqArticle *a = g_ptr_array_index(out, i);
    assert_int_equal(a->format, KQ_FORMAT_FEED);
    assert_non_null(a->title);
    assert_true(a->published.set);
    assert_non_null(a->id);
    if (c->site)
      assert_string_equal(a->site, c->site);
    if (c->declared || a->lang)
      assert_string_equal(kq_lang_primary(a->lang, buf, sizeof buf), c->lang);
    check_article_clean(a, c->file);
  }
  g_ptr_array_unref(out);
  kq_log_capture_clear(&warnings);
  g_free(data);
  g_free(path);
}

/* Things beyond title, date and link, on chosen items. */
static void test_feed_details(void **state)
{
  KqLogCapture warnings;
  kq_log_capture_init(&warnings, KQ_LOG_WARNING);
  gboolean ok;
  GError *err = NULL;

  /* Next INpact: &#x1F; inside "l&amp;rsquo;o&#x1F;ffre" (line 428) */
  GPtrArray *out = read_path("fixtures/feeds/picofeed/next_inpact_full.xml", &warnings, &ok, &err);
  assert_true(ok);
  assert_true(has_warning(&warnings, "not well-formed", 428));
  gboolean found = FALSE;
  for (guint i = 0; i < out->len && !found; i++) {
    char *t = kq_blocks_to_text(((KqArticle *)g_ptr_array_index(out, i))->blocks);
    found = strstr(t, "la résiliation de l’offre concernée") != NULL;
    g_free(t);
  }
  assert_true(found);
  g_ptr_array_unref(out);
  g_ptr_array_set_size(warnings.entries, 0);

  /* TechCrunch: dc:creator, categories, content:encoded over description */
  out = read_path("fixtures/feeds/feedjira/TechCrunch.xml", &warnings, &ok, &err);
  assert_true(ok);
  const KqArticle *a = find_title(out, "Maybe BBM Music Isn’t So Silly After All");
  assert_non_null(a);
  assert_int_equal(a->authors->len, 1);
  assert_string_equal(g_ptr_array_index(a->authors, 0), "Chris Velazco");
  assert_true(a->topics->len >= 3);
  assert_string_equal(g_ptr_array_index(a->topics, 0), "Mobile");
  assert_true(kq_article_count_words(a) > 300);
  g_ptr_array_unref(out);
  g_ptr_array_set_size(warnings.entries, 0);

  /* Slashdot (RSS 1.0): dc:creator, dc:subject, origLink */
  out = read_path("fixtures/feeds/winnowtag-collector/slashdot.rss", &warnings, &ok, &err);
  assert_true(ok);
  a = g_ptr_array_index(out, 0);
  assert_string_equal(g_ptr_array_index(a->authors, 0), "ScuttleMonkey");
  assert_string_equal(g_ptr_array_index(a->topics, 0), "apple");
  assert_string_equal(a->lang, "en-US");
  g_ptr_array_unref(out);
  g_ptr_array_set_size(warnings.entries, 0);

  /* La Grange (Atom): author/name, published over updated, xml:lang */
  out = read_path("fixtures/feeds/picofeed/lagrange.xml", &warnings, &ok, &err);
  assert_true(ok);
  a = g_ptr_array_index(out, 0);
  assert_string_equal(g_ptr_array_index(a->authors, 0), "Karl Dubost");
  char *d = kq_date_to_string(&a->updated);
  assert_string_equal(d, "2013-04-12T13:38:13+00:00");
  g_free(d);
  assert_string_equal(a->lang, "fr");
  assert_true(a->blocks->len > 1);
  g_ptr_array_unref(out);
  g_ptr_array_set_size(warnings.entries, 0);

  /* PC INpact: only a10:updated, which becomes the publication date */
  out = read_path("fixtures/feeds/picofeed/pcinpact.xml", &warnings, &ok, &err);
  assert_true(ok);
  a = g_ptr_array_index(out, 0);
  assert_false(a->updated.set);
  g_ptr_array_unref(out);
  g_ptr_array_set_size(warnings.entries, 0);

  /* Xakep: wrong weekdays recovered, one warning per item with its line */
  out = read_path("fixtures/feeds/picofeed/xakep.ru.xml", &warnings, &ok, &err);
  assert_true(ok);
  assert_true(has_warning(&warnings, "weekday", 25));
  g_ptr_array_unref(out);
  kq_log_capture_clear(&warnings);
}

/* ---- Sniffing ---------------------------------------------------------------- */

typedef struct {
  const char *data;
  gsize len; /* 0: strlen */
  gboolean feed;
} SniffCase;

static void test_sniff(void **state)
{
  static const SniffCase cases[] = {
      {"<rss version=\"2.0\"><channel/></rss>", 0, TRUE},
      {"\xEF\xBB\xBF\n\n<?xml version=\"1.0\"?>\n<!-- generator -->\n<?xml-stylesheet href=\"s.xsl\"?>\n"
       "<rss>",
       0, TRUE},
      {"<feed xmlns=\"http://www.w3.org/2005/Atom\">", 0, TRUE},
      {"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
       "xmlns=\"http://purl.org/rss/1.0/\">",
       0, TRUE},
      {"<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" "
       "\"http://my.netscape.com/publish/formats/rss-0.91.dtd\">\n<rss version=\"0.91\">",
       0, TRUE},
      {"<\0r\0s\0s\0>\0", 10, TRUE}, /* UTF-16LE without BOM */
      {"<html><head><title>x</title></head></html>", 0, FALSE},
      {"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>", 0, FALSE},
      {"{\"title\": \"json\"}", 0, FALSE},
      {"plain text", 0, FALSE},
      {"", 0, FALSE},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    gsize len = cases[i].len ? cases[i].len : strlen(cases[i].data);
    int score = kq_reader_feed.sniff(cases[i].data, len);
    if (cases[i].feed ? score < 90 : score != 0)
      fail_msg("sniff case %zu: score %d", i, score);
  }
}

/* ---- Synthetic damage -------------------------------------------------------- */

typedef struct {
  const char *name;
  const char *xml;
  gsize len;           /* 0: strlen */
  guint articles;
  const char *title;   /* of the first article; NULL: not checked */
  const char *warning; /* expected warning; NULL: none at all */
} DamageCase;

#define RSS_ITEM(title) "<rss><channel><title>S</title><item><title>" title \
  "</title><link>https://example.org/a</link><description>Body.</description></item></channel></rss>"

#define UTF16_FEED                                                                          \
  "\xFF\xFE<\0r\0s\0s\0>\0<\0c\0h\0a\0n\0n\0e\0l\0>\0<\0i\0t\0e\0m\0>\0<\0t\0i\0t\0l\0e\0>\0" \
  "\xE9\0t\0\xE9\0<\0/\0t\0i\0t\0l\0e\0>\0<\0/\0i\0t\0e\0m\0>\0<\0/\0c\0h\0a\0n\0n\0e\0l\0>\0"   \
  "<\0/\0r\0s\0s\0>\0"

static void test_damage(void **state)
{
  static const DamageCase cases[] = {
      {"undeclared windows-1252", RSS_ITEM("Caf\xE9 \x93quoted\x94"), 0, 1, "Café “quoted”",
       "read as windows-1252"},
      {"declared ISO-8859-1, bytes UTF-8",
       "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" RSS_ITEM("Café"), 0, 1, "Café",
       "its bytes are UTF-8"},
      {"declared ISO-8859-1 read as windows-1252",
       "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" RSS_ITEM("l\x92\xE9t\xE9"), 0, 1,
       "l’été", "windows-1252"},
      {"declared windows-1251", "<?xml version=\"1.0\" encoding=\"windows-1251\"?>" RSS_ITEM(
                                    "\xcf\xf0\xe8\xe2\xe5\xf2"),
       0, 1, "Привет", NULL},
      {"raw control characters", RSS_ITEM("a\x01" "b\x1F" "c"), 0, 1, "abc", "control character"},
      {"forbidden character reference", RSS_ITEM("a&#x1F;b&#0;c"), 0, 1, "abc", "forbidden"},
      /* kq_set_string() collapses the no-break space of titles too */
      {"HTML entities without a DTD", RSS_ITEM("caf&eacute;&nbsp;cr&egrave;me"), 0, 1,
       "café crème", "HTML entit"},
      {"stray ampersand and less-than", RSS_ITEM("AT&T < Verizon"), 0, 1, "AT&T < Verizon",
       "stray"},
      {"double-escaped entities", RSS_ITEM("l&amp;rsquo;&amp;eacute;t&amp;eacute; &amp;amp; co"), 0,
       1, "l’été & co", NULL},
      {"hard line breaks in a title", RSS_ITEM("one\n   two\r\n\tthree"), 0, 1, "one two three",
       NULL},
      {"CDATA title", RSS_ITEM("<![CDATA[A <b>bold</b> move & more]]>"), 0, 1,
       "A bold move & more", NULL},
      {"blank lines before the declaration", "\n\n  <?xml version=\"1.0\"?>" RSS_ITEM("T"), 0, 1,
       "T", "before the XML declaration"},
      {"UTF-16LE with BOM", UTF16_FEED, sizeof UTF16_FEED - 1, 1, "été", NULL},
      /* what libxml2 recovers, the partial last item included */
      {"truncated feed keeps what was recovered",
       "<rss><channel><title>S</title><item><title>One</title><description>1</description></item>"
       "<item><title>Two</title><description>2</description></item><item><title>Thr",
       0, 3, "One", "recovered"},
      {"external entity is never loaded",
       "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
       RSS_ITEM("A&x;B"), 0, 1, "AB", NULL},
      {"well-formed XML that is not a feed", "<html><body><p>x</p></body></html>", 0, 0, NULL,
       NULL},
      {"feed without items", "<rss><channel><title>Empty</title></channel></rss>", 0, 0, NULL,
       NULL},
      {"RSS 0.91 items beside the channel",
       "<rss version=\"0.91\"><channel><title>S</title></channel><item><title>Loose</title>"
       "<link>https://example.org/l</link></item></rss>",
       0, 1, "Loose", NULL},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    const DamageCase *c = &cases[i];
    KqLogCapture warnings;
    kq_log_capture_init(&warnings, KQ_LOG_WARNING);
    gboolean ok = FALSE;
    gsize len = c->len ? c->len : strlen(c->xml);
    GPtrArray *out = read_mem(c->xml, len, &warnings, &ok);
    if (!ok)
      fail_msg("%s: read failed", c->name);
    if (out->len != c->articles)
      fail_msg("%s: %u articles, expected %u", c->name, out->len, c->articles);
    if (c->title) {
      const KqArticle *a = g_ptr_array_index(out, 0);
      if (g_strcmp0(a->title, c->title) != 0)
        fail_msg("%s: title \"%s\", expected \"%s\"", c->name, a->title, c->title);
    }
    if (c->warning && !has_warning(&warnings, c->warning, -1))
      fail_msg("%s: no warning with \"%s\"", c->name, c->warning);
    if (!c->warning && warnings.entries->len)
      fail_msg("%s: unexpected warning %s", c->name, first_warning(&warnings));
    for (guint k = 0; k < out->len; k++)
      check_article_clean(g_ptr_array_index(out, k), c->name);
    g_ptr_array_unref(out);
    kq_log_capture_clear(&warnings);
  }
}

/* Atom details: type="html" titles, xhtml content, xml:base, feed-level
 * authors inherited, summary as standfirst when content is present. */
static void test_atom(void **state)
{
  static const char atom[] =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en-us\" "
      "xml:base=\"https://blog.example.com/\">\n"
      "<title type=\"html\">Example &amp;amp; Co</title>\n"
      "<author><name>Feed Author</name></author>\n"
      "<link href=\"https://blog.example.com/\"/>\n"
      "<entry>\n"
      "  <title type=\"html\">&lt;em&gt;Émphasis&lt;/em&gt; &amp;amp; more</title>\n"
      "  <link rel=\"self\" href=\"/self/1\"/>\n"
      "  <link rel=\"alternate\" type=\"text/html\" href=\"posts/1\"/>\n"
      "  <id>tag:example.com,2026:1</id>\n"
      "  <updated>2026-02-02T10:00:00Z</updated>\n"
      "  <published>2026-02-01T09:00:00+01:00</published>\n"
      "  <category term=\"c\" label=\"C language\"/>\n"
      "  <summary>A short summary that is not the start of the body.</summary>\n"
      "  <content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
      "<p>First <b>para</b> <i>graph</i>.</p><p>Second.</p></div></content>\n"
      "</entry>\n"
      "<entry xml:lang=\"fr\">\n"
      "  <title>Plain &lt;text&gt; title</title>\n"
      "  <link href=\"https://other.example.org/2\"/>\n"
      "  <updated>2026-02-03T10:00:00Z</updated>\n"
      "  <author><name>Entry Author</name></author>\n"
      "  <content type=\"text\">Ligne un.\n\nLigne deux.</content>\n"
      "</entry>\n"
      "<entry>\n"
      "  <title>Out of line</title>\n"
      "  <link href=\"https://other.example.org/3\"/>\n"
      "  <updated>2026-02-04T10:00:00Z</updated>\n"
      "  <content type=\"video/mp4\" src=\"https://other.example.org/v.mp4\"/>\n"
      "  <summary>Only the summary.</summary>\n"
      "</entry>\n"
      "</feed>\n";
  KqLogCapture warnings;
  kq_log_capture_init(&warnings, KQ_LOG_WARNING);
  gboolean ok = FALSE;
  GPtrArray *out = read_mem(atom, strlen(atom), &warnings, &ok);
  assert_true(ok);
  assert_int_equal(warnings.entries->len, 0);
  assert_int_equal(out->len, 3);
  const KqArticle *a = g_ptr_array_index(out, 0);
  assert_string_equal(a->title, "Émphasis & more");
  assert_string_equal(a->site, "Example & Co");
  assert_string_equal(a->url, "https://blog.example.com/posts/1");
  char *d = kq_date_to_string(&a->published);
  assert_string_equal(d, "2026-02-01T09:00:00+01:00");
  g_free(d);
  d = kq_date_to_string(&a->updated);
  assert_string_equal(d, "2026-02-02T10:00:00+00:00");
  g_free(d);
  assert_string_equal(g_ptr_array_index(a->authors, 0), "Feed Author");
  assert_string_equal(g_ptr_array_index(a->topics, 0), "C language");
  assert_string_equal(a->standfirst, "A short summary that is not the start of the body.");
  assert_string_equal(a->lang, "en-US");
  char *t = kq_blocks_to_text(a->blocks);
  assert_string_equal(t, "First para graph.\n\nSecond.");
  g_free(t);

  a = g_ptr_array_index(out, 1);
  assert_string_equal(a->title, "Plain <text> title");
  assert_string_equal(a->url, "https://other.example.org/2");
  assert_string_equal(g_ptr_array_index(a->authors, 0), "Entry Author");
  assert_string_equal(a->lang, "fr");
  d = kq_date_to_string(&a->published);
  assert_string_equal(d, "2026-02-03T10:00:00+00:00");
  g_free(d);
  assert_int_equal(a->blocks->len, 2);

  /* out-of-line content: the summary is the body */
  a = g_ptr_array_index(out, 2);
  t = kq_blocks_to_text(a->blocks);
  assert_string_equal(t, "Only the summary.");
  g_free(t);
  assert_null(a->standfirst);
  g_ptr_array_unref(out);
  kq_log_capture_clear(&warnings);
}

/* Item URLs: feedburner:origLink over link over guid; relative links made
 * absolute against the channel link; a guid is a URL only when it is one. */
static void test_links(void **state)
{
  static const char rss[] =
      "<rss version=\"2.0\" xmlns:feedburner=\"http://rssnamespace.org/feedburner/ext/1.0\">"
      "<channel><title>L</title><link>https://example.org/news/</link>"
      "<item><title>relative</title><link>posts/1?a=1&amp;amp;b=2</link></item>"
      "<item><title>guid not a URL</title><guid>12345</guid></item>"
      "<item><title>guid permalink</title><guid>https://example.org/p/3</guid></item>"
      "<item><title>guid not permalink</title><guid isPermaLink=\"false\">https://example.org/p/4</guid></item>"
      "<item><title>script link</title><link>javascript:alert(1)</link>"
      "<guid>https://example.org/p/5</guid></item>"
      "<item><title>origLink</title><link>https://feeds.example.net/~r/6</link>"
      "<feedburner:origLink>https://example.org/p/6</feedburner:origLink></item>"
      "</channel></rss>";
  static const char *const urls[] = {"https://example.org/news/posts/1?a=1&b=2", NULL,
                                     "https://example.org/p/3", NULL,
                                     "https://example.org/p/5", "https://example.org/p/6"};
  KqLogCapture warnings;
  kq_log_capture_init(&warnings, KQ_LOG_WARNING);
  gboolean ok = FALSE;
  GPtrArray *out = read_mem(rss, strlen(rss), &warnings, &ok);
  assert_true(ok);
  assert_int_equal(out->len, G_N_ELEMENTS(urls));
  for (guint i = 0; i < out->len; i++) {
    const KqArticle *a = g_ptr_array_index(out, i);
    if (g_strcmp0(a->url, urls[i]) != 0)
      fail_msg("%s: url %s, expected %s", a->title, a->url, urls[i]);
  }
  g_ptr_array_unref(out);
  kq_log_capture_clear(&warnings);
}

/* Entity amplification stays bounded: no XML_PARSE_NOENT, no HUGE, and
 * the reader never expands an entity that refers to another. */
static void test_billion_laughs(void **state)
{
  GString *x = g_string_new("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n");
  for (int i = 1; i <= 9; i++) {
    g_string_append_printf(x, "<!ENTITY lol%d \"", i);
    for (int k = 0; k < 10; k++)
      g_string_append_printf(x, i == 1 ? "&lol;" : "&lol%d;", i - 1);
    g_string_append(x, "\">\n");
  }
  g_string_append(x, "]>\n" RSS_ITEM("&lol9;"));
  KqLogCapture warnings;
  kq_log_capture_init(&warnings, KQ_LOG_WARNING);
  gboolean ok = FALSE;
  GPtrArray *out = read_mem(x->str, x->len, &warnings, &ok);
  for (guint i = 0; i < out->len; i++) {
    const KqArticle *a = g_ptr_array_index(out, i);
    assert_true(!a->title || strlen(a->title) < 1000);
  }
  g_ptr_array_unref(out);
  kq_log_capture_clear(&warnings);
  g_string_free(x, TRUE);
}

/* Issue 17 item 3: each date form a forgiving feed reader understands,
 * and each recovery, with the warning it gives (NULL: none). */
typedef struct {
  const char *date;   /* <pubDate> text */
  const char *expect; /* kq_date_to_string() of the article's date, NULL: undated */
  const char *warning;
} FeedDateRow;

static const FeedDateRow feed_date_rows[] = {
  {"Tue, 19 Nov 2019 10:00:00 MET", "2019-11-19T10:00:00+01:00", NULL},
  {"Fri, 19 Jul 2019 10:00:00 MEST", "2019-07-19T10:00:00+02:00", NULL},
  {"Tue, 19 Nov 2019 10:00:00 Etc/GMT-2", "2019-11-19T10:00:00+02:00", NULL},
  {"Tue, 19 Nov 2019 10:00:00 Etc/GMT+5", "2019-11-19T10:00:00-05:00", NULL},
  {"Tue, 19 Nov 2019 10:00:00 Europe/Paris", "2019-11-19T10:00:00+01:00", NULL},
  {"Tue, 19 Nov 2019 10:00:00 Q", "2019-11-19T10:00:00+00:00", "military time zone 'Q'"},
  {"Tue, 19 Nov 2019 10:00:00 QQQ", "2019-11-19T10:00:00+00:00", "unknown time zone 'QQQ'"},
  {"2019/11/19 10:00:00 +0100", "2019-11-19T10:00:00+01:00", NULL},
  {"2019/11/19", "2019-11-19", NULL},
  {"11/19/2019", "2019-11-19", "day and month swapped"},
  {"2003-12", "2003-12-01", "month without a day, taken as the 1st"},
  {"Tuesday, 19-Nov-19 10:00:00 GMT", "2019-11-19T10:00:00+00:00", NULL},
  {"2019-11-19T24:00:00Z", "2019-11-20T00:00:00+00:00", NULL},
  {"2019-11-19T10:00:60Z", "2019-11-19T10:00:59+00:00", NULL},
  {"2019-02-30", NULL, "unreadable date"},
};

static void test_issue17_dates(void **state)
{
  (void)state;
  for (gsize i = 0; i < G_N_ELEMENTS(feed_date_rows); i++) {
    const FeedDateRow *row = &feed_date_rows[i];
    char *xml = g_strdup_printf(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>T"
      "</title>\n<item><title>Item</title><link>http://ex.org/1</link>\n<pubDate>%s</pubDate>"
      "<description>Text.</description></item></channel></rss>\n",
      row->date);
    KqLogCapture warnings;
    kq_log_capture_init(&warnings, KQ_LOG_WARNING);
    gboolean ok = FALSE;
    GPtrArray *out = read_mem(xml, strlen(xml), &warnings, &ok);
    assert_true(ok);
    assert_int_equal(out->len, 1);
    const KqArticle *a = g_ptr_array_index(out, 0);
    char *got = kq_date_to_string(&a->published);
    if (g_strcmp0(got, row->expect) != 0)
      fail_msg("\"%s\": expected %s, got %s", row->date, row->expect ? row->expect : "undated",
               got ? got : "undated");
    if (row->warning && !has_warning(&warnings, row->warning, 4))
      fail_msg("\"%s\": no warning \"%s\" on line 4", row->date, row->warning);
    if (!row->warning && warnings.entries->len > 0)
      fail_msg("\"%s\": unexpected warning \"%s\"", row->date,
               first_warning(&warnings));
    g_free(got);
    g_ptr_array_unref(out);
    kq_log_capture_clear(&warnings);
    g_free(xml);
  }
}

/* Issue 17 item 3: xml:lang down to the entry and its content or summary;
 * "&#X" references; HTML escaped twice; windows-1252 punctuation in a feed
 * declared UTF-8; each recovery warned. */
static void test_issue17_recovery(void **state)
{
  (void)state;
  static const char atom[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\"><title>T</title>\n"
    "<entry><title>Un</title><id>u1</id><updated>2019-11-19T10:00:00Z</updated>"
    "<content type=\"text\" xml:lang=\"fr\">Le texte est en français, comme on le voit "
    "ici.</content></entry>\n"
    "<entry xml:lang=\"de\"><title>Zwei</title><id>u2</id><updated>2019-11-19T10:00:00Z"
    "</updated><summary>Der Text ist auf Deutsch geschrieben.</summary></entry>\n"
    "<entry><title>Three</title><id>u3</id><updated>2019-11-19T10:00:00Z</updated>"
    "<summary xml:lang=\"es\">El texto está escrito en español.</summary></entry>\n"
    "</feed>\n";
  KqLogCapture warnings;
  kq_log_capture_init(&warnings, KQ_LOG_WARNING);
  gboolean ok = FALSE;
  GPtrArray *out = read_mem(atom, sizeof atom - 1, &warnings, &ok);
  assert_true(ok);
  assert_int_equal(out->len, 3);
  assert_string_equal(((KqArticle *)g_ptr_array_index(out, 0))->lang, "fr");
  assert_string_equal(((KqArticle *)g_ptr_array_index(out, 1))->lang, "de");
  assert_string_equal(((KqArticle *)g_ptr_array_index(out, 2))->lang, "es");
  g_ptr_array_unref(out);
  g_ptr_array_set_size(warnings.entries, 0);

  static const char rss[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>T"
    "</title>\n<item><title>Caf&#XE9; &#X2014; ok</title><link>http://ex.org/1</link>\n"
    "<description>&amp;lt;p&amp;gt;Double &amp;amp;amp; encoded &amp;lt;b&amp;gt;bold"
    "&amp;lt;/b&amp;gt;&amp;lt;/p&amp;gt;</description></item>\n"
    "<item><title>It\x92s \x93quoted\x94 \x96 Caf\xc3\xa9</title><link>http://ex.org/2</link>"
    "<description>Text.</description></item>\n</channel></rss>\n";
  out = read_mem(rss, sizeof rss - 1, &warnings, &ok);
  assert_true(ok);
  assert_int_equal(out->len, 2);
  const KqArticle *a = g_ptr_array_index(out, 0);
  assert_string_equal(a->title, "Caf\xc3\xa9 \xe2\x80\x94 ok");
  char *text = kq_blocks_to_text(a->blocks);
  assert_string_equal(text, "Double & encoded bold");
  g_free(text);
  assert_true(has_warning(&warnings, "read 2 '&#X' references as '&#x'", 3));
  assert_true(has_warning(&warnings, "HTML escaped twice", 4));
  a = g_ptr_array_index(out, 1);
  assert_string_equal(a->title, "It\xe2\x80\x99s \xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x80\x93 "
                                "Caf\xc3\xa9");
  assert_true(has_warning(&warnings, "mixes UTF-8 with windows-1252 punctuation", 0));
  g_ptr_array_unref(out);
  kq_log_capture_clear(&warnings);
}

static void test_empty(void **state)
{
  KqLog log = {NULL, NULL, KQ_LOG_WARNING, 0, 0};
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  GError *err = NULL;
  assert_false(kq_reader_feed.read("e.xml", "  \n", 3, NULL, &log, out, &err));
  assert_non_null(err);
  g_clear_error(&err);
  assert_false(kq_reader_feed.read("g.xml", "<<<>>> not xml at all", 21, NULL, &log, out, &err));
  assert_non_null(err);
  g_clear_error(&err);
  assert_int_equal(out->len, 0);
  g_ptr_array_unref(out);
}

int main(void)
{
  GArray *tests = g_array_new(FALSE, TRUE, sizeof(struct CMUnitTest));
  for (gsize i = 0; i < G_N_ELEMENTS(feed_cases); i++) {
    struct CMUnitTest t = {feed_cases[i].file, test_feed, NULL, NULL,
                           (void *)&feed_cases[i]};
    g_array_append_val(tests, t);
  }
  const struct CMUnitTest more[] = {
      cmocka_unit_test(test_feed_details), cmocka_unit_test(test_sniff),
      cmocka_unit_test(test_damage),       cmocka_unit_test(test_atom),
      cmocka_unit_test(test_links),
      cmocka_unit_test(test_billion_laughs), cmocka_unit_test(test_empty),
      cmocka_unit_test(test_issue17_dates), cmocka_unit_test(test_issue17_recovery),
  };
  g_array_append_vals(tests, more, G_N_ELEMENTS(more));
  int rc = _cmocka_run_group_tests("reader_feed", (const struct CMUnitTest *)tests->data,
                                   tests->len, NULL, NULL);
  g_array_free(tests, TRUE);
  return rc;
}
