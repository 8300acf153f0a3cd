/* lang.c: stopword-based language guess (fr en de es pt it nl cs) plus CJK scripts. */
#include "kiosque/lang.h"

#include <string.h>

/* Languages the stopword lists know, in tie-break order. */
typedef enum { L_FR, L_EN, L_DE, L_ES, L_PT, L_IT, L_NL, L_CS, L_COUNT } Lang;

static const char *const lang_codes[L_COUNT] = {"fr", "en", "de", "es", "pt", "it", "nl", "cs"};

/* The most frequent function words of each language. A word may be listed
 * under several languages: it then counts for each of them. Elided forms
 * ("l'", "qu'") appear without their apostrophe since apostrophes split
 * words. */
static const char *const stopwords[L_COUNT] = {
  [L_FR] = "le la les un une des du de et est en que qui dans pour pas sur au aux avec ce "
           "cette ces il elle ils elles nous vous sont ont été être par plus ne se son sa "
           "ses leur leurs mais ou où comme aussi très tout tous fait peut sans entre depuis "
           "après avant chez dont même lui était avait encore déjà moins selon lors donc "
           "alors qu l d j c n on cela ceci ainsi notre votre quand",
  [L_EN] = "the and of to in is that for it with as was on are be this by at from have has "
           "had not but or an they which you we were been their its there will would can "
           "more about when what who also than into one he she his her do does how our these "
           "those if so just after all out up said them then i my me could should",
  [L_DE] = "der die das und ist nicht ein eine einen einem einer den dem des mit von zu im "
           "auf für sich auch es sie er wir ich sind wird werden wurde hat haben bei aus "
           "nach wie noch nur oder aber so dass daß über um vor wenn kann diese dieser zum "
           "zur man als schon an am bis durch",
  [L_ES] = "el la los las de del y en que un una por con para es se no lo al su sus como "
           "más pero este esta está son fue ha han muy ya también entre sobre sin cuando "
           "desde hasta porque hay ser todo le les nos",
  [L_PT] = "o a os as de do da dos das e em no na nos nas que um uma por com para é se não "
           "mais mas como ao à foi são também seu sua ser está pelo pela entre sobre quando "
           "até isso muito já ou lhe",
  [L_IT] = "il lo la i gli le di del della dei delle e è che un una per con non si da in al "
           "alla sono anche più ma come questo questa nel nella ha ci l d degli sul essere "
           "stato",
  [L_NL] = "de het een en van is dat die in op te met voor zijn niet er aan ook als bij maar "
           "om uit dan nog wel naar worden wordt kan dit werd heeft hebben",
  [L_CS] = "a se na je v že to s z do o jako ale pro by jsou tak jsem už jeho které který "
           "která po od jak i ve za jsme bylo byl byla není",
};

/* The stopwords: word -> bit mask of languages, and the longest word's
 * bytes (a longer word is no stopword: not looked up); built once,
 * read-only afterwards. */
typedef struct {
  GHashTable *table;
  gsize longest;
} Stopwords;

static gpointer build_table(gpointer data)
{
  (void)data;
  Stopwords *sw = g_new0(Stopwords, 1);
  GHashTable *table = g_hash_table_new(g_str_hash, g_str_equal);
  sw->table = table;
  for (int l = 0; l < L_COUNT; l++) {
    char **words = g_strsplit(stopwords[l], " ", -1);
    for (char **w = words; *w; w++) {
      if (!**w)
        continue;
      sw->longest = MAX(sw->longest, strlen(*w));
      gpointer key = NULL, value = NULL;
      guint mask = 1u << l;
      if (g_hash_table_lookup_extended(table, *w, &key, &value)) {
        mask |= GPOINTER_TO_UINT(value);
        g_hash_table_insert(table, key, GUINT_TO_POINTER(mask));
      } else {
        /* The strings live as long as the process: the table is static. */
        g_hash_table_insert(table, g_strdup(*w), GUINT_TO_POINTER(mask));
      }
    }
    g_strfreev(words);
  }
  return sw;
}

static const Stopwords *stopword_table(void)
{
  static GOnce once = G_ONCE_INIT;
  return g_once(&once, build_table, NULL);
}

/* Caps: enough text for a firm answer, bounded time on huge bodies. */
#define MAX_SAMPLE_BYTES (64 * 1024)
#define MAX_WORD_BYTES 24

typedef struct {
  guint hits[L_COUNT];
  guint words;
  guint latin_letters; /* letters outside the CJK scripts */
  guint han, kana, hangul;
} Counts;

static void count_word(const Stopwords *sw, Counts *c, const char *word, gsize len)
{
  c->words++;
  guint mask = len <= sw->longest ? GPOINTER_TO_UINT(g_hash_table_lookup(sw->table, word)) : 0;
  for (int l = 0; mask && l < L_COUNT; l++)
    if (mask & (1u << l))
      c->hits[l]++;
}

static void count_text(const char *text, gsize len, Counts *c)
{
  const Stopwords *table = stopword_table();
  char word[MAX_WORD_BYTES + 8];
  gsize wlen = 0;
  gboolean too_long = FALSE;
  const char *p = text, *end = text + MIN(len, (gsize)MAX_SAMPLE_BYTES);
  while (p < end) {
    gunichar ch;
    const char *next;
    if ((guchar)*p < 0x80) {
      ch = (guchar)*p;
      next = p + 1;
    } else {
      ch = g_utf8_get_char_validated(p, end - p);
      if (ch == (gunichar)-1 || ch == (gunichar)-2) {
        p++;
        continue;
      }
      next = g_utf8_next_char(p);
    }
    gboolean letter = ch < 0x80 ? g_ascii_isalpha(ch) : g_unichar_isalpha(ch);
    if (letter) {
      if (ch >= 0x3040 && ch <= 0x30FF)
        c->kana++;
      else if ((ch >= 0x4E00 && ch <= 0x9FFF) || (ch >= 0x3400 && ch <= 0x4DBF))
        c->han++;
      else if (ch >= 0xAC00 && ch <= 0xD7AF)
        c->hangul++;
      else
        c->latin_letters++;
    }
    if (letter && ch < 0x80) { /* most letters: lowered and copied in place */
      if (wlen < MAX_WORD_BYTES)
        word[wlen++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch);
      else
        too_long = TRUE;
    } else if (letter && ch < 0x3000) {
      char buf[8];
      int n = g_unichar_to_utf8(g_unichar_tolower(ch), buf);
      if (wlen + (gsize)n <= MAX_WORD_BYTES) {
        for (int k = 0; k < n; k++)
          word[wlen + (gsize)k] = buf[k];
        wlen += (gsize)n;
      } else {
        too_long = TRUE;
      }
    } else if (wlen > 0 || too_long) {
      word[wlen] = '\0';
      if (!too_long)
        count_word(table, c, word, wlen);
      else
        c->words++;
      wlen = 0;
      too_long = FALSE;
    }
    p = next;
  }
  if (wlen > 0 && !too_long) {
    word[wlen] = '\0';
    count_word(table, c, word, wlen);
  }
}

/* The stopword language with the most hits, when it is clearly ahead. */
static int clear_winner(const Counts *c)
{
  int best = -1, second = -1;
  for (int l = 0; l < L_COUNT; l++) {
    if (best < 0 || c->hits[l] > c->hits[best]) {
      second = best;
      best = l;
    } else if (second < 0 || c->hits[l] > c->hits[second]) {
      second = l;
    }
  }
  guint b = c->hits[best], s = second >= 0 ? c->hits[second] : 0;
  /* At least a few function words, a good share of the text, and a margin
   * over the runner-up (related languages share many words). */
  if (b >= 3 && b * 10 >= c->words && b * 2 >= s * 3)
    return best;
  return -1;
}

/* Chinese, Japanese or Korean when those scripts dominate the letters. */
static const char *script_guess(const Counts *c)
{
  guint cjk = c->han + c->kana + c->hangul;
  if (cjk < 10 || cjk < c->latin_letters)
    return NULL;
  if (c->hangul * 2 > cjk)
    return "ko";
  if (c->kana * 20 > cjk)
    return "ja";
  return "zh";
}

static int lang_index(const char *primary)
{
  for (int l = 0; l < L_COUNT; l++)
    if (strcmp(lang_codes[l], primary) == 0)
      return l;
  return -1;
}

const char *kq_lang_guess(const char *text, gssize len, const char *declared)
{
  Counts c = {0};
  if (text) {
    if (len < 0)
      len = (gssize)strlen(text);
    count_text(text, (gsize)len, &c);
  }
  int win = clear_winner(&c);
  const char *script = script_guess(&c);
  if (declared && !*declared)
    declared = NULL;
  if (!declared) {
    if (script)
      return script;
    return win >= 0 ? lang_codes[win] : NULL;
  }
  char primary[16];
  kq_lang_primary(declared, primary, sizeof primary);
  int dl = lang_index(primary);
  if (script) {
    /* A CJK text declared as a stopword language is a wrong declaration;
     * CJK declarations are not second-guessed between themselves. */
    if (dl >= 0)
      return script;
    return declared;
  }
  if (win < 0 || win == dl)
    return declared;
  /* Contradiction: the declared language's own function words must be
   * rare next to the winner's, over enough text to be sure. */
  guint w = c.hits[win];
  guint d = dl >= 0 ? c.hits[dl] : 0;
  if (w >= 12 && w >= d * 3 && w * 5 >= c.words)
    return lang_codes[win];
  return declared;
}

/* Title, standfirst and body as one sample (count_text reads at most
 * MAX_SAMPLE_BYTES of it). */
void kq_lang_fix_article(KqArticle *article)
{
  if (!article)
    return;
  GString *sample = g_string_new(NULL);
  if (article->title)
    g_string_append(sample, article->title);
  g_string_append_c(sample, '\n');
  if (article->standfirst)
    g_string_append(sample, article->standfirst);
  g_string_append_c(sample, '\n');
  if (article->blocks && article->blocks->len > 0) {
    char *body = kq_blocks_to_text(article->blocks);
    g_string_append(sample, body);
    g_free(body);
  }
  const char *guess = kq_lang_guess(sample->str, (gssize)sample->len, article->lang);
  if (guess != article->lang) {
    char *copy = g_strdup(guess);
    g_free(article->lang);
    article->lang = copy;
  }
  g_string_free(sample, TRUE);
}
