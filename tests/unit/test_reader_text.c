/* test_reader_text.c: the plain-text page-dump reader on the seed dump, fixtures in tests/fixtures/text/ and bad inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kiosque/reader.h"

/* ---- Helpers ------------------------------------------------------------- */

typedef struct {
  KqLogCapture log; /* the shared capture of log.h (issue 13 item 8): warnings */
  GPtrArray *articles;
  GError *error;
  gboolean ok;
} Run;

static void run_data(Run *r, const char *path, const char *data, gsize len,
                     const KqReadOptions *opts)
{
  memset(r, 0, sizeof *r);
  kq_log_capture_init(&r->log, KQ_LOG_WARNING);
  r->articles = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  r->ok = kq_reader_text.read(path, data, len, opts, &r->log.log, r->articles, &r->error);
  for (guint i = 0; i < r->articles->len; i++)
    kq_article_finish(g_ptr_array_index(r->articles, i));
}

static void run_file(Run *r, const char *path)
{
  char *data = NULL;
  gsize len = 0;
  assert_true(g_file_get_contents(path, &data, &len, NULL));
  assert_true(kq_reader_text.sniff(data, len) > 0);
  run_data(r, path, data, len, NULL);
  g_free(data);
}

static void run_clear(Run *r)
{
  kq_log_capture_clear(&r->log);
  g_ptr_array_unref(r->articles);
  g_clear_error(&r->error);
}

static guint n_warnings(const Run *r)
{
  return kq_log_capture_count(&r->log, KQ_LOG_WARNING, NULL);
}

static const KqLogEntry *first_warning(const Run *r)
{
  assert_true(r->log.entries->len > 0);
  return g_ptr_array_index(r->log.entries, 0);
}

static KqArticle *only_article(Run *r)
{
  if (!r->ok)
    fail_msg("read failed: %s", r->error ? r->error->message : "?");
  assert_int_equal(r->articles->len, 1);
  return g_ptr_array_index(r->articles, 0);
}

static void assert_strv(const GPtrArray *got, const char *const *expect)
{
  guint n = 0;
  while (expect[n])
    n++;
  if (got->len != n) {
    for (guint i = 0; i < got->len; i++)
      print_error("  got [%u] %s\n", i, (const char *)g_ptr_array_index(got, i));
  }
  assert_int_equal(got->len, n);
  for (guint i = 0; i < n; i++)
    assert_string_equal(g_ptr_array_index(got, i), expect[i]);
}

static void assert_date(const KqDate *d, const char *expect)
{
  char *s = kq_date_to_string(d);
  if (g_strcmp0(s, expect) != 0)
    fail_msg("date: got %s, expected %s", s ? s : "unset", expect ? expect : "unset");
  g_free(s);
}

static char *para_text(const KqArticle *a, guint i)
{
  const KqBlock *b = g_ptr_array_index(a->blocks, i);
  assert_int_equal(b->kind, KQ_BLOCK_PARAGRAPH);
  return kq_runs_to_text(b->runs);
}

static void assert_body_lacks(const KqArticle *a, const char *const *needles)
{
  char *body = kq_blocks_to_text(a->blocks);
  for (gsize i = 0; needles[i]; i++)
    if (strstr(body, needles[i]))
      fail_msg("body contains \"%s\"", needles[i]);
  g_free(body);
}

static void assert_para_starts(const KqArticle *a, guint i, const char *start, const char *end)
{
  char *t = para_text(a, i);
  if (!g_str_has_prefix(t, start) || (end && !g_str_has_suffix(t, end)))
    fail_msg("paragraph %u: \"%s\"", i, t);
  g_free(t);
}

/* ---- The seed dump ----------------------------------------------------------- */

static void test_seed(void **state)
{
  (void)state;
  Run r;
  run_file(&r, "corpus/seed-deepseek-h200.txt");
  KqArticle *a = only_article(&r);
  assert_int_equal(a->format, KQ_FORMAT_TEXT);
  assert_string_equal(a->title, "La Chine approuve conditionnellement l'achat de puces NVIDIA "
                                "H200 par DeepSeek dans un virage stratégique");
  assert_date(&a->published, "2026-01-30");
  assert_false(a->published.has_time);
  assert_date(&a->updated, NULL);
  assert_string_equal(a->lang, "fr");
  assert_strv(a->topics, (const char *const[]){"Technologie", NULL});
  assert_int_equal(a->views, 448);
  assert_strv(a->sources, (const char *const[]){"Reuters", "TrendForce",
                                                 "South China Morning Post", "The Information",
                                                 NULL});
  assert_strv(a->authors, (const char *const[]){NULL});
  assert_null(a->url);
  assert_null(a->standfirst);
  assert_int_equal(a->blocks->len, 5);
  for (guint i = 0; i < a->blocks->len; i++)
    assert_int_equal(((KqBlock *)g_ptr_array_index(a->blocks, i))->kind, KQ_BLOCK_PARAGRAPH);
  assert_para_starts(a, 0, "La Chine a accordé une approbation conditionnelle à DeepSeek",
                     "plus de 400 000 puces H200.");
  assert_para_starts(a, 4, "DeepSeek a commencé 2026", "les capacités de l'IA.");
  assert_body_lacks(a, (const char *const[]){"Retour à l'accueil", "Commentaires", "Sources",
                                             "448 vues", "Publié le", NULL});
  assert_int_equal(n_warnings(&r), 0);
  assert_non_null(a->id);
  run_clear(&r);
}

/* ---- Fixtures ---------------------------------------------------------------- */

/* English: "Back to home" chrome, a kicker as rubric, two authors, a
 * metadata line with published, updated, views and reading time, a
 * "Sources:" list with "and", share line, "12 Comments" and a comment. */
static void test_english_dump(void **state)
{
  (void)state;
  Run r;
  run_file(&r, "fixtures/text/en-quantum-memory.txt");
  KqArticle *a = only_article(&r);
  assert_string_equal(a->title, "Researchers Demonstrate a Room-Temperature Quantum Memory Chip");
  assert_date(&a->published, "2026-03-03");
  assert_date(&a->updated, "2026-03-04T09:15:00+00:00");
  assert_string_equal(a->lang, "en");
  assert_strv(a->topics, (const char *const[]){"Science", NULL});
  assert_strv(a->authors, (const char *const[]){"Jane Doe", "John Roe", NULL});
  assert_int_equal(a->views, 1234);
  assert_strv(a->sources,
              (const char *const[]){"Nature", "MIT Technology Review", "IEEE Spectrum", NULL});
  assert_int_equal(a->blocks->len, 3);
  assert_para_starts(a, 0, "A team of engineers", "thin crystal film.");
  assert_para_starts(a, 1, "The researchers say", "\"We changed the recipe.\"");
  assert_para_starts(a, 2, "Independent physicists", "fault-tolerant designs need.");
  assert_body_lacks(a, (const char *const[]){"Back to home", "Comments", "Great article",
                                             "Share on", "views", "Science\n", NULL});
  assert_int_equal(n_warnings(&r), 0);
  run_clear(&r);
}

/* French, another site: breadcrumb, "Menu", "Rubrique :", no header line,
 * CRLF line ends, "Mis en ligne le … à 8h05 — Mis à jour le …", "1 234
 * vues" with a no-break space, a hard-wrapped paragraph, "Source :" with
 * semicolons, "Partager cet article", "Laisser un commentaire". */
static void test_french_variant(void **state)
{
  (void)state;
  Run r;
  run_file(&r, "fixtures/text/fr-startups.txt");
  KqArticle *a = only_article(&r);
  assert_string_equal(a->title,
                      "Le financement des start-up françaises rebondit au premier trimestre");
  assert_date(&a->published, "2026-03-02T08:05:00+00:00");
  assert_date(&a->updated, "2026-03-03T17:40:00+00:00");
  assert_string_equal(a->lang, "fr");
  assert_strv(a->topics, (const char *const[]){"Économie", "Startups", NULL});
  assert_strv(a->authors, (const char *const[]){"Marie Lefèvre", NULL});
  assert_int_equal(a->views, 1234);
  assert_strv(a->sources, (const char *const[]){"Dealroom", "Banque de France", NULL});
  assert_int_equal(a->blocks->len, 4);
  /* The wrapped lines of the first paragraph are joined with spaces. */
  assert_para_starts(a, 0, "Les jeunes pousses françaises",
                     "quand les fonds investissaient sans compter.");
  assert_para_starts(a, 3, "Le gouvernement a annoncé", "du secteur.");
  assert_body_lacks(a, (const char *const[]){"Accueil", "Menu", "Rubrique", "Partager",
                                             "commentaire", "\r", "vues", NULL});
  assert_int_equal(n_warnings(&r), 0);
  run_clear(&r);
}

/* No blank line at all: each line is a paragraph; "Posted by X on DATE". */
static void test_no_blank_lines(void **state)
{
  (void)state;
  Run r;
  run_file(&r, "fixtures/text/en-noblank.txt");
  KqArticle *a = only_article(&r);
  assert_string_equal(a->title,
                      "Open-source maintainers get a new funding model from three foundations");
  assert_date(&a->published, "2026-02-12");
  assert_strv(a->authors, (const char *const[]){"Alex Martin", NULL});
  assert_strv(a->topics, (const char *const[]){NULL});
  assert_strv(a->sources, (const char *const[]){NULL});
  assert_int_equal(a->views, -1);
  assert_string_equal(a->lang, "en");
  assert_int_equal(a->blocks->len, 3);
  assert_para_starts(a, 2, "Critics note", "their own engineers.");
  assert_body_lacks(a, (const char *const[]){"Skip to content", "Home", "Newsletter", NULL});
  run_clear(&r);
}

/* Metadata words inside a sentence stay body text. */
static void test_metadata_inside_sentences(void **state)
{
  (void)state;
  const char *dump = "Une vidéo virale relance le débat sur la modération\n\n"
                     "Publié le 4 février 2026\n\n"
                     "La vidéo a fait 448 vues en une heure avant d'être retirée par la "
                     "plateforme, publiée le 3 février 2026 selon son auteur.\n\n"
                     "Par ailleurs, la plateforme promet un rapport.\n";
  Run r;
  run_data(&r, "inline.txt", dump, strlen(dump), NULL);
  KqArticle *a = only_article(&r);
  assert_date(&a->published, "2026-02-04");
  assert_int_equal(a->views, -1);
  assert_strv(a->authors, (const char *const[]){NULL});
  assert_int_equal(a->blocks->len, 2);
  assert_para_starts(a, 0, "La vidéo a fait 448 vues", NULL);
  assert_para_starts(a, 1, "Par ailleurs", NULL);
  run_clear(&r);
}

/* Chrome variations: a navigation prefix glued to the title, a comments
 * counter at the top (not a comments section), labelled tags, a
 * reading-time line, an "Auteur :" label, a comment thread at the end. */
static void test_chrome_variations(void **state)
{
  (void)state;
  const char *dump =
      "Retour à l'accueil Les imprimantes 3D entrent au lycée\n\n"
      "3 commentaires\n\n"
      "Auteur : Claire Martin et la rédaction\n"
      "Lecture : 4 min\n"
      "Tags : Éducation, Impression 3D\n\n"
      "Le ministère équipe deux cents lycées professionnels d'imprimantes 3D cette année, "
      "avec une formation pour les enseignants et un budget de maintenance sur trois ans, "
      "selon la circulaire publiée la semaine dernière au bulletin officiel.\n\n"
      "Les syndicats saluent la mesure mais demandent des postes de techniciens.\n\n"
      "Commentaires (3)\n\n"
      "Enfin une bonne nouvelle pour nos élèves !\n\n"
      "Et les collèges ?\n";
  Run r;
  run_data(&r, "chrome.txt", dump, strlen(dump), NULL);
  KqArticle *a = only_article(&r);
  assert_string_equal(a->title, "Les imprimantes 3D entrent au lycée");
  assert_strv(a->authors, (const char *const[]){"Claire Martin", "La rédaction", NULL});
  assert_strv(a->topics, (const char *const[]){"Éducation", "Impression 3D", NULL});
  assert_false(a->published.set);
  assert_int_equal(a->blocks->len, 2);
  assert_para_starts(a, 1, "Les syndicats saluent", "techniciens.");
  assert_body_lacks(a, (const char *const[]){"commentaire", "Commentaires", "bonne nouvelle",
                                             "collèges", "Lecture", NULL});
  assert_string_equal(a->lang, "fr");
  /* A dump without a date is normal: no warning. */
  assert_int_equal(n_warnings(&r), 0);
  run_clear(&r);
}

/* Subheadings: short capitalised lines followed by a paragraph; photo
 * credits dropped; a short final sentence stays a paragraph. */
static void test_subheadings(void **state)
{
  (void)state;
  const char *dump =
      "Le réseau cuivre s'éteint commune par commune\n\n"
      "Publié le 10 mars 2026\n\n"
      "L'opérateur historique a coupé le cuivre dans cent soixante-deux communes pilotes, "
      "et le calendrier national prévoit une extinction complète d'ici à 2030.\n\n"
      "© Photo : Jean Dupont / Agence\n\n"
      "Pourquoi maintenant ?\n\n"
      "Le réseau cuivre coûte cher à entretenir, et la fibre couvre désormais plus de "
      "quatre-vingt-dix pour cent des locaux raccordables selon le régulateur.\n\n"
      "Ce qui change pour les abonnés\n\n"
      "Les abonnés doivent migrer vers la fibre ou une offre radio avant la date de fermeture "
      "annoncée dans leur commune.\n\n"
      "La suite dépendra des collectivités.\n";
  Run r;
  run_data(&r, "headings.txt", dump, strlen(dump), NULL);
  KqArticle *a = only_article(&r);
  static const KqBlockKind kinds[] = {KQ_BLOCK_PARAGRAPH, KQ_BLOCK_HEADING, KQ_BLOCK_PARAGRAPH,
                                      KQ_BLOCK_HEADING, KQ_BLOCK_PARAGRAPH, KQ_BLOCK_PARAGRAPH};
  assert_int_equal(a->blocks->len, G_N_ELEMENTS(kinds));
  for (guint i = 0; i < a->blocks->len; i++) {
    const KqBlock *b = g_ptr_array_index(a->blocks, i);
    assert_int_equal(b->kind, kinds[i]);
    if (b->kind == KQ_BLOCK_HEADING)
      assert_int_equal(b->level, 2);
  }
  char *h = kq_runs_to_text(((KqBlock *)g_ptr_array_index(a->blocks, 1))->runs);
  assert_string_equal(h, "Pourquoi maintenant ?");
  g_free(h);
  assert_body_lacks(a, (const char *const[]){"©", "Agence", NULL});
  run_clear(&r);
}

/* No title-like line: the file name stands in, with a warning naming the file. */
static void test_no_title(void **state)
{
  (void)state;
  const char *dump = "Only sentences here.\n\nA second one, also ending with a period.\n";
  Run r;
  run_data(&r, "dir/untitled-note.txt", dump, strlen(dump), NULL);
  KqArticle *a = only_article(&r);
  assert_string_equal(a->title, "untitled-note");
  assert_int_equal(a->blocks->len, 2);
  assert_int_equal(n_warnings(&r), 1);
  assert_string_equal(first_warning(&r)->path, "dir/untitled-note.txt");
  run_clear(&r);
}

/* ---- Encodings and bad inputs ------------------------------------------------ */

/* The French fixture in windows-1252: same article, one warning. */
static void test_latin1_recovered(void **state)
{
  (void)state;
  char *utf8 = NULL;
  gsize len = 0;
  assert_true(g_file_get_contents("fixtures/text/fr-startups.txt", &utf8, &len, NULL));
  gsize latin_len = 0;
  /* "—" has no Latin-1 form but is in windows-1252. */
  char *latin = g_convert(utf8, (gssize)len, "WINDOWS-1252", "UTF-8", NULL, &latin_len, NULL);
  assert_non_null(latin);
  assert_false(g_utf8_validate(latin, (gssize)latin_len, NULL));
  assert_true(kq_reader_text.sniff(latin, latin_len) > 0);

  Run good, bad;
  run_data(&good, "fr.txt", utf8, len, NULL);
  run_data(&bad, "fr-latin1.txt", latin, latin_len, NULL);
  KqArticle *a = only_article(&good), *b = only_article(&bad);
  assert_string_equal(a->title, b->title);
  assert_int_equal(kq_date_compare(&a->published, &b->published), 0);
  assert_int_equal(kq_date_compare(&a->updated, &b->updated), 0);
  assert_int_equal(b->views, 1234);
  assert_strv(b->topics, (const char *const[]){"Économie", "Startups", NULL});
  assert_strv(b->authors, (const char *const[]){"Marie Lefèvre", NULL});
  char *ta = kq_blocks_to_text(a->blocks), *tb = kq_blocks_to_text(b->blocks);
  assert_string_equal(ta, tb);
  g_free(ta);
  g_free(tb);
  assert_int_equal(n_warnings(&good), 0);
  assert_int_equal(n_warnings(&bad), 1);
  assert_string_equal(first_warning(&bad)->path, "fr-latin1.txt");
  run_clear(&good);
  run_clear(&bad);
  g_free(latin);
  g_free(utf8);
}

static void test_empty(void **state)
{
  (void)state;
  static const char *const inputs[] = {"", "   \n\n\t\r\n", "Retour à l'accueil\n\nMenu\n",
                                       "\xEF\xBB\xBF"};
  for (gsize i = 0; i < G_N_ELEMENTS(inputs); i++) {
    Run r;
    run_data(&r, "empty.txt", inputs[i], strlen(inputs[i]), NULL);
    assert_false(r.ok);
    assert_int_equal(r.articles->len, 0);
    assert_true(g_error_matches(r.error, KQ_READ_ERROR, KQ_READ_ERROR_EMPTY));
    run_clear(&r);
  }
  assert_int_equal(kq_reader_text.sniff("", 0), 0);
}

static void test_binary(void **state)
{
  (void)state;
  /* NUL-heavy junk, as a .txt. */
  guchar junk[2048];
  guint32 seed = 12345;
  for (gsize i = 0; i < sizeof junk; i++) {
    seed = seed * 1103515245u + 12345u;
    junk[i] = (i % 3 == 0) ? 0 : (guchar)(seed >> 16);
  }
  assert_int_equal(kq_reader_text.sniff((const char *)junk, sizeof junk), 0);
  Run r;
  run_data(&r, "junk.txt", (const char *)junk, sizeof junk, NULL);
  assert_false(r.ok);
  assert_true(g_error_matches(r.error, KQ_READ_ERROR, KQ_READ_ERROR_NOT_INPUT));
  run_clear(&r);

  /* Control characters without NUL are not text either. */
  char ctrl[512];
  for (gsize i = 0; i < sizeof ctrl; i++)
    ctrl[i] = (char)(1 + i % 8);
  assert_int_equal(kq_reader_text.sniff(ctrl, sizeof ctrl), 0);

  /* Text is text; a stray NUL is dropped with a warning. */
  const char text[] = "A title that is long enough\n\nA paragraph\0 with a stray NUL.\n";
  assert_true(kq_reader_text.sniff(text, sizeof text - 1) > 0);
  run_data(&r, "nul.txt", text, sizeof text - 1, NULL);
  KqArticle *a = only_article(&r);
  assert_para_starts(a, 0, "A paragraph with a stray NUL.", NULL);
  assert_int_equal(n_warnings(&r), 1);
  run_clear(&r);
}

/* The article size cap drops the rest of the body with a warning. */
static void test_article_cap(void **state)
{
  (void)state;
  KqReadOptions opts;
  kq_read_options_init(&opts);
  opts.max_article = 1000;
  Run r;
  char *data = NULL;
  gsize len = 0;
  assert_true(g_file_get_contents("corpus/seed-deepseek-h200.txt", &data, &len, NULL));
  run_data(&r, "seed.txt", data, len, &opts);
  KqArticle *a = only_article(&r);
  assert_true(a->blocks->len >= 1 && a->blocks->len < 5);
  assert_int_equal(n_warnings(&r), 1);
  assert_non_null(strstr(first_warning(&r)->msg, "limit"));
  run_clear(&r);
  g_free(data);
}

static void test_table_entry(void **state)
{
  (void)state;
  assert_string_equal(kq_reader_text.name, "text");
  assert_string_equal(kq_reader_text.extensions[0], ".txt");
  assert_null(kq_reader_text.extensions[1]);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_seed),
    cmocka_unit_test(test_english_dump),
    cmocka_unit_test(test_french_variant),
    cmocka_unit_test(test_no_blank_lines),
    cmocka_unit_test(test_metadata_inside_sentences),
    cmocka_unit_test(test_chrome_variations),
    cmocka_unit_test(test_subheadings),
    cmocka_unit_test(test_no_title),
    cmocka_unit_test(test_latin1_recovered),
    cmocka_unit_test(test_empty),
    cmocka_unit_test(test_binary),
    cmocka_unit_test(test_article_cap),
    cmocka_unit_test(test_table_entry),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
