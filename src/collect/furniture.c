/* furniture.c: builds the edition's texts around the articles once (furniture.h), for both writers. */
#include "kiosque/chunk.h"
#include "kiosque/collect.h"
#include "kiosque/furniture.h"
#include "kiosque/l10n.h"
#include "kiosque/link.h"

#include <string.h>

/* ---- Typeset texts ---------------------------------------------------------- */

/* Source text as the model holds it, cleaned (the writers' sinks refuse
 * noncharacters, kq_utf8_clean) and trimmed; NULL when nothing is left. */
static char *clean_text(const char *text)
{
  if (!text)
    return NULL;
  char *c = kq_utf8_clean(text, -1, NULL);
  g_strstrip(c);
  if (!*c) {
    g_free(c);
    return NULL;
  }
  return c;
}

/* text typeset once, as runs and as plain text; absent (NULLs) for no text. */
static KqTypeset typeset(const KqTypo *typo, const char *text, const char *lang)
{
  KqTypeset t = {NULL, NULL};
  char *clean = clean_text(text);
  if (!clean)
    return t;
  GPtrArray *runs = kq_typo_runs_of_text(typo, clean, lang);
  char *plain = kq_runs_to_text(runs);
  g_strstrip(plain);
  g_free(clean);
  if (!*plain) {
    g_ptr_array_unref(runs);
    g_free(plain);
    return t;
  }
  t.runs = runs;
  t.text = plain;
  return t;
}

/* Text that is shown as it is (a file name): one plain run. */
static KqTypeset verbatim(const char *text)
{
  KqTypeset t;
  t.text = kq_utf8_clean(text, -1, NULL);
  t.runs = kq_runs_new();
  kq_runs_append_text(t.runs, KQ_STYLE_NONE, t.text, -1, NULL);
  return t;
}

static void typeset_clear(KqTypeset *t)
{
  g_clear_pointer(&t->runs, g_ptr_array_unref);
  g_clear_pointer(&t->text, g_free);
}

/* Plain typeset string, NULL for no text. */
static char *typeset_plain(const KqTypo *typo, const char *text, const char *lang)
{
  char *clean = clean_text(text);
  if (!clean)
    return NULL;
  char *t = kq_typo_text(typo, clean, lang);
  g_free(clean);
  g_strstrip(t);
  if (!*t) {
    g_free(t);
    return NULL;
  }
  return t;
}

/* Each name of list typeset in lang, kept in texts; the empty ones dropped. */
static GPtrArray *typeset_names(GStringChunk *texts, const KqTypo *typo, const GPtrArray *list,
                                const char *lang)
{
  GPtrArray *out = g_ptr_array_new();
  for (guint i = 0; list && i < list->len; i++) {
    const char *t = kq_chunk_take(texts, typeset_plain(typo, g_ptr_array_index(list, i), lang));
    if (t)
      g_ptr_array_add(out, (char *)t);
  }
  return out;
}

/* The names joined by KQ_FURNITURE_LIST_SEP after prefix; NULL when none. */
static char *join_names(const char *prefix, const GPtrArray *names)
{
  if (!names->len)
    return NULL;
  GString *s = g_string_new(prefix);
  for (guint i = 0; i < names->len; i++) {
    if (i)
      g_string_append(s, KQ_FURNITURE_LIST_SEP);
    g_string_append(s, g_ptr_array_index(names, i));
  }
  return g_string_free(s, FALSE);
}

/* Parts joined by KQ_FURNITURE_SEP, the NULL ones skipped; NULL when all are. */
static char *join_parts(const char *const *parts, guint n)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < n; i++) {
    if (!parts[i])
      continue;
    if (s->len)
      g_string_append(s, KQ_FURNITURE_SEP);
    g_string_append(s, parts[i]);
  }
  if (!s->len) {
    g_string_free(s, TRUE);
    return NULL;
  }
  return g_string_free(s, FALSE);
}

/* The edition language as a tag ("fr"); English when unknown. Caller frees. */
static char *edition_tag(const char *lang)
{
  char *tag = kq_lang_normalize(lang);
  return tag ? tag : g_strdup("en");
}

/* ---- Articles ------------------------------------------------------------------- */

KqArticleFurniture *kq_article_furniture_new(const KqArticle *a, const char *edition_lang,
                                             const KqTypo *typo)
{
  KqArticleFurniture *f = g_new0(KqArticleFurniture, 1);
  GStringChunk *texts = f->texts = g_string_chunk_new(512); /* a block holds most articles' */
  char *ed = edition_tag(edition_lang);
  char *own = kq_lang_normalize(a->lang);
  f->lang = kq_chunk_take(texts, own ? own : g_strdup(ed));

  f->title = typeset(typo, a->title, f->lang);
  f->titled = f->title.text != NULL;
  if (!f->titled) { /* no title: the file's name, as it is */
    char *base = g_path_get_basename(a->source_path ? a->source_path : "?");
    f->title = verbatim(base);
    g_free(base);
  }
  f->standfirst = typeset(typo, a->standfirst, f->lang);

  /* the article's own names, in its language */
  f->topics = typeset_names(texts, typo, a->topics, f->lang);
  f->site = kq_chunk_take(texts, typeset_plain(typo, a->site, f->lang));
  {
    char *topics = join_names("", f->topics);
    const char *parts[] = {topics, f->site};
    f->kicker = kq_chunk_take(texts, join_parts(parts, G_N_ELEMENTS(parts)));
    g_free(topics);
  }
  f->by = g_string_chunk_insert(texts, kq_l10n(ed, "by"));
  f->authors = typeset_names(texts, typo, a->authors, f->lang);
  if (f->authors->len) {
    char *prefix = g_strconcat(f->by, " ", NULL);
    f->byline = kq_chunk_take(texts, join_names(prefix, f->authors));
    g_free(prefix);
  }

  /* kiosque's words, in the edition language */
  if (a->published.set) {
    char *human = kq_l10n_date(&a->published, ed);
    f->date = kq_chunk_take(texts, typeset_plain(typo, human, ed)); /* FR-8's no-break spaces */
    f->date_iso = kq_chunk_take(texts, kq_date_to_string(&a->published));
    g_free(human);
  }
  if (a->views >= 0) {
    char *number = kq_l10n_number(ed, a->views); /* FR-7 in French */
    char *raw = g_strdup_printf("%s %s", number, kq_l10n(ed, "views"));
    f->views = kq_chunk_take(texts, typeset_plain(typo, raw, ed));
    g_free(raw);
    g_free(number);
  }
  {
    const char *parts[] = {f->date, f->views};
    f->dateline = kq_chunk_take(texts, join_parts(parts, G_N_ELEMENTS(parts)));
  }
  f->link_label = kq_chunk_take(texts, kq_l10n_label(ed, "original"));
  f->href = kq_chunk_take(texts, kq_link_safe(a->url));
  if (f->href) {
    f->url = kq_chunk_take(texts, clean_text(a->url));
    if (!f->url)
      f->url = f->href;
    f->link_line = kq_chunk_take(texts, g_strconcat(f->link_label, f->url, NULL));
  }
  f->sources_label = kq_chunk_take(texts, kq_l10n_label(ed, "sources"));
  f->sources = typeset_names(texts, typo, a->sources, f->lang);
  f->sources_line = kq_chunk_take(texts, join_names(f->sources_label, f->sources));
  g_free(ed);
  return f;
}

void kq_article_furniture_free(KqArticleFurniture *f)
{
  if (!f)
    return;
  typeset_clear(&f->title);
  typeset_clear(&f->standfirst);
  g_ptr_array_unref(f->topics);
  g_ptr_array_unref(f->authors);
  g_ptr_array_unref(f->sources);
  g_string_chunk_free(f->texts);
  g_free(f);
}

/* ---- Groups and the edition ---------------------------------------------------- */

static void group_furniture_free(KqGroupFurniture *g)
{
  if (!g)
    return;
  typeset_clear(&g->title);
  g_free(g);
}

/* "3 articles", "1 article": a no-break space keeps the number with its noun. */
static char *count_text(const char *lang, guint n)
{
  char *number = kq_l10n_number(lang, n);
  char *text = g_strdup_printf("%s\xC2\xA0%s", number, kq_l10n(lang, n == 1 ? "article" : "articles"));
  g_free(number);
  return text;
}

static gint by_views(gconstpointer pa, gconstpointer pb)
{
  const KqArticle *a = *(KqArticle *const *)pa, *b = *(KqArticle *const *)pb;
  return a->views < b->views ? 1 : a->views > b->views ? -1 : 0;
}

/* Whether title names the period already (any case). */
static gboolean holds_period(const char *title, const char *period)
{
  if (!title || !period || !*period)
    return FALSE;
  char *t = g_utf8_casefold(title, -1), *p = g_utf8_casefold(period, -1);
  gboolean in = strstr(t, p) != NULL;
  g_free(t);
  g_free(p);
  return in;
}

/* The cover shows the period above the title: a title ending with
 * "— period" ("Revue de presse tech — janvier 2026") loses it there,
 * comparing the edition's own strings (typeset copies may differ in their
 * spaces). NULL when the title does not end so. */
static char *title_without_period(const KqTypo *typo, const char *raw, const char *raw_period,
                                  const char *lang)
{
  char *out = NULL;
  if (!raw || !raw_period || !*raw_period || !g_str_has_suffix(raw, raw_period))
    return NULL;
  char *head = g_strndup(raw, strlen(raw) - strlen(raw_period));
  g_strchomp(head);
  if (g_str_has_suffix(head, "\xE2\x80\x94") && strlen(head) > 3) { /* em dash */
    head[strlen(head) - 3] = '\0';
    g_strchomp(head);
    out = typeset_plain(typo, head, lang);
  }
  g_free(head);
  return out;
}

/* The texts made of the edition's title (and period, already set). */
static void title_texts(KqFurniture *f, const KqEdition *ed, const KqTypo *typo)
{
  const char *lang = f->lang;
  typeset_clear(&f->title);
  const char *raw_title = ed->title ? ed->title : kq_l10n(lang, "default_title");
  f->title = typeset(typo, raw_title, lang);
  if (!f->title.text) {
    typeset_clear(&f->title);
    f->title = typeset(typo, kq_l10n(lang, "default_title"), lang);
  }
  f->cover_title = kq_chunk_take(f->texts, title_without_period(typo, ed->title, ed->period, lang));
  if (!f->cover_title)
    f->cover_title = g_string_chunk_insert(f->texts, f->title.text);
  if (*f->period && !holds_period(ed->title, ed->period))
    f->cover_alt = kq_chunk_take(f->texts, g_strconcat(f->title.text, " — ", f->period, NULL));
  else
    f->cover_alt = g_string_chunk_insert(f->texts, f->title.text);
}

void kq_edition_set_title(KqEdition *ed, const char *title)
{
  g_return_if_fail(ed && ed->furniture);
  g_free(ed->title);
  ed->title = kq_utf8_clean(title, -1, NULL); /* text safe for every sink */
  KqTypo *typo = kq_typo_new(NULL);
  title_texts(ed->furniture, ed, typo);
  kq_typo_free(typo);
}

KqFurniture *kq_furniture_new(const KqEdition *ed, gint64 when)
{
  /* the engine of every text of the edition: the furniture now, the
   * articles' bodies on first use (kq_edition_article_body()) */
  KqTypo *typo = kq_typo_new(NULL);
  KqFurniture *f = g_new0(KqFurniture, 1);
  GStringChunk *texts = f->texts = g_string_chunk_new(1024);
  f->typo = typo;
  f->body_made = g_new0(gsize, ed->articles->len + 1);
  f->bodies = g_new0(GPtrArray *, ed->articles->len + 1);
  f->body_readers = g_new0(gint, ed->articles->len + 1);
  f->lang = kq_chunk_take(texts, edition_tag(ed->lang));
  const char *lang = f->lang;
  f->period = kq_chunk_take(texts, typeset_plain(typo, ed->period, lang));
  if (!f->period)
    f->period = "";
  title_texts(f, ed, typo);
  f->cover = g_string_chunk_insert(texts, kq_l10n(lang, "cover"));
  f->contents = g_string_chunk_insert(texts, kq_l10n(lang, "contents"));
  f->landmarks = g_string_chunk_insert(texts, kq_l10n(lang, "landmarks"));
  f->accessibility =
      kq_chunk_take(texts, typeset_plain(typo, kq_l10n(lang, "accessibility_summary"), lang));
  f->count = kq_chunk_take(texts, count_text(lang, ed->articles->len));
  /* the period follows the count with a no-break space after the dot: a
   * line of the title page never starts with a group's title */
  char *span = kq_l10n_date_range(&ed->period_first, &ed->period_last, lang,
                                  KQ_L10N_RANGE_PROSE); /* "du 3 au 9 mars 2026" */
  char *period = span ? typeset_plain(typo, span, lang) : NULL;
  const char *p = period ? period : f->period;
  f->summary =
      *p ? kq_chunk_take(texts, g_strconcat(f->count, " \xC2\xB7\xC2\xA0", p, NULL)) : f->count;
  g_free(span);
  g_free(period);
  char *generated = kq_l10n_generated_on(lang, when);
  f->generated = kq_chunk_take(texts, typeset_plain(typo, generated, lang));
  g_free(generated);

  f->articles = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_furniture_free);
  for (guint i = 0; i < ed->articles->len; i++)
    g_ptr_array_add(f->articles,
                    kq_article_furniture_new(g_ptr_array_index(ed->articles, i), lang, typo));

  f->groups = g_ptr_array_new_with_free_func((GDestroyNotify)group_furniture_free);
  for (guint g = 0; g < ed->groups->len; g++) {
    const KqGroup *grp = g_ptr_array_index(ed->groups, g);
    KqGroupFurniture *gf = g_new0(KqGroupFurniture, 1);
    gf->title = typeset(typo, grp->title, lang);
    if (!gf->title.text)
      gf->title = verbatim(grp->key ? grp->key : "");
    gf->count = kq_chunk_take(texts, count_text(lang, grp->articles->len));
    g_ptr_array_add(f->groups, gf);
  }

  /* the cover's lead headlines: most viewed first (GLib's sort is stable:
   * reading order breaks ties) */
  GPtrArray *sorted = g_ptr_array_new();
  GHashTable *index = g_hash_table_new(NULL, NULL); /* article -> its furniture */
  for (guint i = 0; i < ed->articles->len; i++) {
    gpointer a = g_ptr_array_index(ed->articles, i);
    g_ptr_array_add(sorted, a);
    g_hash_table_insert(index, a, g_ptr_array_index(f->articles, i));
  }
  g_ptr_array_sort(sorted, by_views);
  for (guint i = 0, n = 0; i < sorted->len && n < KQ_FURNITURE_HEADLINES; i++) {
    const KqArticleFurniture *af = g_hash_table_lookup(index, g_ptr_array_index(sorted, i));
    if (af->titled)
      f->headlines[n++] = af->title.text;
  }
  g_hash_table_unref(index);
  g_ptr_array_unref(sorted);
  return f;
}

void kq_furniture_free(KqFurniture *f)
{
  if (!f)
    return;
  for (guint i = 0; f->articles && i < f->articles->len; i++)
    if (f->bodies[i])
      g_ptr_array_unref(f->bodies[i]);
  g_free(f->bodies);
  g_free(f->body_made);
  g_free(f->body_readers);
  kq_typo_free(f->typo);
  typeset_clear(&f->title);
  g_ptr_array_unref(f->groups);
  g_ptr_array_unref(f->articles);
  g_string_chunk_free(f->texts);
  g_free(f);
}

const KqArticleFurniture *kq_edition_article_furniture(const KqEdition *ed, guint index)
{
  g_return_val_if_fail(ed && ed->furniture && index < ed->furniture->articles->len, NULL);
  return g_ptr_array_index(ed->furniture->articles, index);
}

const GPtrArray *kq_edition_article_body(const KqEdition *ed, guint index)
{
  g_return_val_if_fail(ed && ed->furniture && index < ed->articles->len, NULL);
  KqFurniture *f = ed->furniture;
  if (g_once_init_enter(&f->body_made[index])) {
    const KqArticle *a = g_ptr_array_index(ed->articles, index);
    f->bodies[index] = kq_typo_blocks(f->typo, a->blocks, a->lang);
    g_once_init_leave(&f->body_made[index], 1);
  }
  return f->bodies[index];
}

void kq_edition_expect_body_readers(const KqEdition *ed, guint writes)
{
  g_return_if_fail(ed && ed->furniture);
  for (guint i = 0; i < ed->articles->len; i++)
    g_atomic_int_set(&ed->furniture->body_readers[i], (gint)writes);
}

gboolean kq_edition_article_body_done(const KqEdition *ed, guint index)
{
  g_return_val_if_fail(ed && ed->furniture && index < ed->articles->len, FALSE);
  KqFurniture *f = ed->furniture;
  /* not counted (or counted out by an earlier write of the same format):
   * kept to the end */
  if (g_atomic_int_get(&f->body_readers[index]) <= 0 ||
      !g_atomic_int_dec_and_test(&f->body_readers[index]))
    return FALSE;
  g_clear_pointer(&f->bodies[index], g_ptr_array_unref);
  g_atomic_pointer_set(&f->body_made[index], 0); /* asked again: made again */
  return TRUE;
}

const KqGroupFurniture *kq_edition_group_furniture(const KqEdition *ed, guint index)
{
  g_return_val_if_fail(ed && ed->furniture && index < ed->furniture->groups->len, NULL);
  return g_ptr_array_index(ed->furniture->groups, index);
}

gint64 kq_edition_timestamp(const KqEdition *edition)
{
  const char *sde = g_getenv("SOURCE_DATE_EPOCH");
  if (sde && *sde) {
    guint64 v = 0;
    /* reproducible-builds.org: a decimal count of seconds; anything else
     * is ignored (and the article dates used). */
    if (g_ascii_string_to_unsigned(sde, 10, 0, G_MAXINT64, &v, NULL))
      return (gint64)v;
  }
  if (edition && edition->newest.set)
    return kq_date_to_unix(&edition->newest);
  gint64 newest = -1;
  if (edition && edition->articles)
    for (guint i = 0; i < edition->articles->len; i++) {
      const KqArticle *a = g_ptr_array_index(edition->articles, i);
      const KqDate *d = a->updated.set ? &a->updated : &a->published;
      if (d->set) {
        gint64 t = kq_date_to_unix(d);
        if (t > newest)
          newest = t;
      }
    }
  return newest >= 0 ? newest : 0;
}
