/* test_lang.c: stopword language guess and the declared-language rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kiosque/lang.h"

static const char fr_text[] =
  "Le gouvernement a présenté mercredi un projet de loi sur la cybersécurité qui doit "
  "renforcer les obligations des opérateurs. Selon le ministre, il s'agit d'une étape "
  "importante pour la protection des données des entreprises et des particuliers, "
  "mais les associations estiment que le texte ne va pas assez loin.";
static const char en_text[] =
  "The company announced on Tuesday that it would lay off about a tenth of its staff, "
  "citing slowing demand for its cloud products. The cuts come after a year in which "
  "the firm had hired aggressively, and analysts said they were not surprised by the "
  "decision, which was expected by most of the market.";
static const char de_text[] =
  "Die Bundesregierung hat am Mittwoch einen Gesetzentwurf vorgelegt, der die "
  "Sicherheit von Netzwerken verbessern soll. Nach Angaben des Ministeriums werden "
  "die Betreiber künftig verpflichtet, Angriffe schneller zu melden, und auch kleinere "
  "Unternehmen sind davon betroffen.";
static const char es_text[] =
  "El gobierno presentó el miércoles un proyecto de ley sobre la seguridad de las redes "
  "que obliga a los operadores a notificar los ataques. Según el ministro, es un paso "
  "importante para la protección de los datos de las empresas y de los ciudadanos, "
  "pero las asociaciones creen que no es suficiente.";
static const char pt_text[] =
  "O governo apresentou na quarta-feira um projeto de lei sobre a segurança das redes "
  "que obriga os operadores a comunicar os ataques. Segundo o ministro, é um passo "
  "importante para a proteção dos dados das empresas e dos cidadãos, mas as "
  "associações acham que o texto não vai longe o suficiente.";
static const char it_text[] =
  "Il governo ha presentato mercoledì un disegno di legge sulla sicurezza delle reti "
  "che obbliga gli operatori a segnalare gli attacchi. Secondo il ministro, si tratta "
  "di un passo importante per la protezione dei dati delle imprese e dei cittadini, ma "
  "le associazioni ritengono che il testo non sia sufficiente.";
static const char nl_text[] =
  "De regering heeft woensdag een wetsvoorstel ingediend dat de beveiliging van "
  "netwerken moet verbeteren. Volgens de minister is het een belangrijke stap voor de "
  "bescherming van de gegevens van bedrijven en burgers, maar de verenigingen vinden "
  "dat de tekst niet ver genoeg gaat.";
static const char cs_text[] =
  "Vláda ve středu představila návrh zákona o bezpečnosti sítí, který ukládá "
  "operátorům povinnost hlásit útoky. Podle ministra je to důležitý krok pro ochranu "
  "dat firem a občanů, ale sdružení tvrdí, že text není dostatečný a že se na něj "
  "bude ještě pracovat.";
static const char zh_text[] = "宇航员在太空中喝酒会怎么样？后果很严重，专家表示太空中的酒精代谢与地面不同。";
static const char ja_text[] = "欲張りなイヌが、肉をくわえて橋を渡っていました。ふと下を見ると、川の中にも肉をくわえたイヌがいます。";

typedef struct {
  const char *name;
  const char *text;
  const char *declared;
  const char *expected; /* NULL: no guess */
} Case;

static const Case cases[] = {
  {"french", fr_text, NULL, "fr"},
  {"english", en_text, NULL, "en"},
  {"german", de_text, NULL, "de"},
  {"spanish", es_text, NULL, "es"},
  {"portuguese", pt_text, NULL, "pt"},
  {"italian", it_text, NULL, "it"},
  {"dutch", nl_text, NULL, "nl"},
  {"czech", cs_text, NULL, "cs"},
  {"chinese", zh_text, NULL, "zh"},
  {"japanese", ja_text, NULL, "ja"},
  {"declared and agreeing is kept as written", fr_text, "fr-FR", "fr-FR"},
  {"a French page saying lang=en", fr_text, "en", "fr"},
  {"an English page saying lang=fr-FR", en_text, "fr-FR", "en"},
  {"a German page declared en-US", de_text, "en-US", "de"},
  {"Chinese text declared English", zh_text, "en", "zh"},
  {"CJK declarations are trusted", ja_text, "zh", "zh"},
  {"an unknown declared language contradicted by clear text", en_text, "eo", "en"},
  {"short text keeps the declaration", "Le chat", "en", "en"},
  {"short text gives no guess", "Bonjour", NULL, NULL},
  {"numbers only", "12 34 56 2026-01-30", NULL, NULL},
  {"empty", "", NULL, NULL},
  {"empty declared", "", "", NULL},
};

static void test_cases(void **state)
{
  (void)state;
  int failures = 0;
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    const char *got = kq_lang_guess(cases[i].text, -1, cases[i].declared);
    if (g_strcmp0(got, cases[i].expected) != 0) {
      print_error("case \"%s\": expected %s, got %s\n", cases[i].name,
                  cases[i].expected ? cases[i].expected : "NULL", got ? got : "NULL");
      failures++;
    }
  }
  assert_int_equal(failures, 0);
}

static void test_declared_pointer_returned(void **state)
{
  (void)state;
  char declared[] = "fr-CA";
  assert_ptr_equal(kq_lang_guess(fr_text, -1, declared), declared);
}

static void test_mixed_text_keeps_declaration(void **state)
{
  (void)state;
  /* An English article quoting a French sentence stays English. */
  char *text = g_strconcat(en_text, " ", en_text, " « ", fr_text, " »", NULL);
  assert_string_equal(kq_lang_guess(text, -1, "en"), "en");
  g_free(text);
}

static void test_fix_article(void **state)
{
  (void)state;
  KqArticle *a = kq_article_new("x.html", KQ_FORMAT_HTML);
  a->lang = g_strdup("en");
  kq_set_string(&a->title, "Projet de loi sur la cybersécurité");
  g_ptr_array_unref(a->blocks);
  a->blocks = kq_blocks_from_plain_text(fr_text, -1);
  kq_lang_fix_article(a);
  assert_string_equal(a->lang, "fr");
  g_free(a->lang);
  a->lang = NULL;
  kq_lang_fix_article(a);
  assert_string_equal(a->lang, "fr");
  g_free(a->lang);
  a->lang = g_strdup("fr-BE");
  kq_lang_fix_article(a);
  assert_string_equal(a->lang, "fr-BE");
  kq_article_free(a);
}

static void test_len_respected(void **state)
{
  (void)state;
  /* Only the first bytes count: a French prefix of an English buffer. */
  char *text = g_strconcat(fr_text, en_text, NULL);
  assert_string_equal(kq_lang_guess(text, (gssize)strlen(fr_text), NULL), "fr");
  g_free(text);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_cases),
    cmocka_unit_test(test_declared_pointer_returned),
    cmocka_unit_test(test_mixed_text_keeps_declaration),
    cmocka_unit_test(test_fix_article),
    cmocka_unit_test(test_len_respected),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
