/* collect.c: dedupe, filters, ordering, edition language and grouping. */
#include "kiosque/collect.h"
#include "kiosque/l10n.h"

#include <string.h>

/* ---- Options ------------------------------------------------------------- */

static const char *const group_names[] = {"month", "day", "week", "year", "topic", "site"};

gboolean kq_group_by_parse(const char *name, KqGroupBy *out)
{
  for (guint i = 0; i < G_N_ELEMENTS(group_names); i++)
    if (name && g_ascii_strcasecmp(name, group_names[i]) == 0) {
      *out = (KqGroupBy)i;
      return TRUE;
    }
  return FALSE;
}

const char *kq_group_by_name(KqGroupBy group_by)
{
  return (guint)group_by < G_N_ELEMENTS(group_names) ? group_names[group_by] : "month";
}

void kq_collect_options_init(KqCollectOptions *opts)
{
  memset(opts, 0, sizeof *opts);
  opts->topics = g_ptr_array_new_with_free_func(g_free);
  opts->sites = g_ptr_array_new_with_free_func(g_free);
  opts->authors = g_ptr_array_new_with_free_func(g_free);
  opts->langs = g_ptr_array_new_with_free_func(g_free);
  opts->group_by = KQ_GROUP_MONTH;
}

void kq_collect_options_clear(KqCollectOptions *opts)
{
  g_clear_pointer(&opts->topics, g_ptr_array_unref);
  g_clear_pointer(&opts->sites, g_ptr_array_unref);
  g_clear_pointer(&opts->authors, g_ptr_array_unref);
  g_clear_pointer(&opts->langs, g_ptr_array_unref);
  g_clear_pointer(&opts->edition_lang, g_free);
  g_clear_pointer(&opts->title, g_free);
}

gboolean kq_collect_options_has_date_filter(const KqCollectOptions *opts)
{
  return opts->since.set || opts->until.set || opts->month > 0;
}

/* ---- Keys ---------------------------------------------------------------- */

/* Accents off, case folded, punctuation and spaces dropped: the key under
 * which two titles are "the same", and the sort key of names. */
static char *fold_key(const char *text, gboolean keep_spaces)
{
  GString *s = g_string_new(NULL);
  if (!text)
    return g_string_free(s, FALSE);
  char *nfd = g_utf8_normalize(text, -1, G_NORMALIZE_NFKD);
  char *folded = g_utf8_casefold(nfd ? nfd : "", -1);
  gboolean space = FALSE;
  for (const char *p = folded; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (g_unichar_ismark(c))
      continue;
    if (g_unichar_isalnum(c)) {
      if (space && keep_spaces && s->len > 0)
        g_string_append_c(s, ' ');
      space = FALSE;
      g_string_append_unichar(s, c);
    } else {
      space = TRUE;
    }
  }
  g_free(folded);
  g_free(nfd);
  return g_string_free(s, FALSE);
}

/* Canonical form of a URL for dedupe: scheme and "www." ignored, host lower
 * case, fragment and trailing slash dropped. */
static char *url_key(const char *url)
{
  const char *p = strstr(url, "://");
  p = p ? p + 3 : url;
  if (g_ascii_strncasecmp(p, "www.", 4) == 0)
    p += 4;
  GString *s = g_string_new(NULL);
  const char *slash = strchr(p, '/');
  gsize host_len = slash ? (gsize)(slash - p) : strlen(p);
  for (gsize i = 0; i < host_len; i++)
    g_string_append_c(s, g_ascii_tolower(p[i]));
  if (slash) {
    const char *hash = strchr(slash, '#');
    g_string_append_len(s, slash, hash ? hash - slash : (gssize)strlen(slash));
  }
  while (s->len > 1 && s->str[s->len - 1] == '/')
    g_string_truncate(s, s->len - 1);
  return g_string_free(s, FALSE);
}

static char *day_string(const KqDate *d)
{
  return d->set ? g_strdup_printf("%04d-%02d-%02d", d->year, d->month, d->day) : NULL;
}

static gsize body_length(const KqArticle *a)
{
  char *t = kq_blocks_to_text(a->blocks);
  gsize n = strlen(t);
  g_free(t);
  return n;
}

/* ---- Dedupe -------------------------------------------------------------- */

static char *title_day_key(const KqArticle *a)
{
  if (!a->title)
    return NULL;
  char *t = fold_key(a->title, FALSE);
  char *day = day_string(&a->published);
  char *key = *t ? g_strdup_printf("t:%s|%s", t, day ? day : "-") : NULL;
  g_free(t);
  g_free(day);
  return key;
}

void kq_collect_dedupe(GPtrArray *articles, KqLog *log)
{
  /* key -> index in articles; the table only finds, the array orders */
  GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  GArray *lengths = g_array_sized_new(FALSE, FALSE, sizeof(gsize), articles->len);
  GPtrArray *kept = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  for (guint i = 0; i < articles->len; i++) {
    KqArticle *a = g_ptr_array_index(articles, i);
    char *keys[2] = {NULL, title_day_key(a)};
    if (a->url && *a->url) {
      char *u = url_key(a->url);
      keys[0] = g_strconcat("u:", u, NULL);
      g_free(u);
    }
    gpointer found = NULL;
    gboolean dup = FALSE;
    for (int k = 0; k < 2 && !dup; k++)
      if (keys[k] && g_hash_table_lookup_extended(seen, keys[k], NULL, &found))
        dup = TRUE;
    articles->pdata[i] = NULL;
    if (dup) {
      guint at = GPOINTER_TO_UINT(found);
      KqArticle *other = g_ptr_array_index(kept, at);
      /* bodies measured only where a duplicate is found (building a
       * body's text is most of the cost): G_MAXSIZE until then */
      if (g_array_index(lengths, gsize, at) == G_MAXSIZE)
        g_array_index(lengths, gsize, at) = body_length(other);
      gsize len = body_length(a);
      if (len > g_array_index(lengths, gsize, at)) {
        KQ_INFO(log, other->source_path, 0, "duplicate of %s, which has the longer body",
                a->source_path);
        kq_article_free(other);
        kept->pdata[at] = a;
        g_array_index(lengths, gsize, at) = len;
      } else {
        KQ_INFO(log, a->source_path, 0, "duplicate of %s: skipped", other->source_path);
        kq_article_free(a);
        a = NULL;
      }
      for (int k = 0; k < 2; k++)
        if (keys[k] && !g_hash_table_contains(seen, keys[k]))
          g_hash_table_insert(seen, g_strdup(keys[k]), GUINT_TO_POINTER(at));
    } else {
      guint at = kept->len;
      gsize unknown = G_MAXSIZE;
      g_ptr_array_add(kept, a);
      g_array_append_val(lengths, unknown);
      for (int k = 0; k < 2; k++)
        if (keys[k])
          g_hash_table_insert(seen, g_strdup(keys[k]), GUINT_TO_POINTER(at));
    }
    g_free(keys[0]);
    g_free(keys[1]);
  }
  /* hand the survivors back, in first-seen order */
  g_ptr_array_set_free_func(articles, NULL);
  g_ptr_array_set_size(articles, 0);
  for (guint i = 0; i < kept->len; i++)
    g_ptr_array_add(articles, kept->pdata[i]);
  g_ptr_array_set_free_func(articles, (GDestroyNotify)kq_article_free);
  g_ptr_array_set_free_func(kept, NULL);
  g_ptr_array_unref(kept);
  g_array_unref(lengths);
  g_hash_table_unref(seen);
}

/* ---- Filters ------------------------------------------------------------- */

static gboolean any_equal(const GPtrArray *wanted, const GPtrArray *have)
{
  for (guint i = 0; i < wanted->len; i++) {
    char *w = fold_key(g_ptr_array_index(wanted, i), TRUE);
    for (guint j = 0; j < have->len; j++) {
      char *h = fold_key(g_ptr_array_index(have, j), TRUE);
      gboolean eq = strcmp(w, h) == 0;
      g_free(h);
      if (eq) {
        g_free(w);
        return TRUE;
      }
    }
    g_free(w);
  }
  return FALSE;
}

static gboolean lang_matches(const GPtrArray *langs, const char *lang)
{
  char a[12], b[12];
  if (!lang)
    return FALSE;
  for (guint i = 0; i < langs->len; i++) {
    const char *want = g_ptr_array_index(langs, i);
    if (g_ascii_strcasecmp(want, lang) == 0)
      return TRUE;
    /* "fr" matches "fr-CA"; "fr-CA" only itself */
    if (!strchr(want, '-') &&
        strcmp(kq_lang_primary(want, a, sizeof a), kq_lang_primary(lang, b, sizeof b)) == 0)
      return TRUE;
  }
  return FALSE;
}

/* Compares calendar days (the article's own local day). */
static int day_cmp(const KqDate *a, const KqDate *b)
{
  if (a->year != b->year)
    return a->year < b->year ? -1 : 1;
  if (a->month != b->month)
    return a->month < b->month ? -1 : 1;
  return a->day < b->day ? -1 : a->day > b->day;
}

gboolean kq_collect_matches(const KqArticle *a, const KqCollectOptions *o)
{
  if (kq_collect_options_has_date_filter(o)) {
    const KqDate *d = &a->published;
    if (!d->set)
      return FALSE;
    if (o->since.set && day_cmp(d, &o->since) < 0)
      return FALSE;
    if (o->until.set && day_cmp(d, &o->until) > 0)
      return FALSE;
    if (o->month > 0 && (d->year != o->month_year || d->month != o->month))
      return FALSE;
  }
  if (o->topics->len > 0 && !any_equal(o->topics, a->topics))
    return FALSE;
  if (o->authors->len > 0 && !any_equal(o->authors, a->authors))
    return FALSE;
  if (o->sites->len > 0) {
    GPtrArray *one = g_ptr_array_new();
    if (a->site)
      g_ptr_array_add(one, a->site);
    gboolean ok = any_equal(o->sites, one);
    g_ptr_array_unref(one);
    if (!ok)
      return FALSE;
  }
  if (o->langs->len > 0 && !lang_matches(o->langs, a->lang))
    return FALSE;
  return TRUE;
}

/* ---- Order --------------------------------------------------------------- */

typedef struct {
  KqArticle *article;
  char *title_key;
} SortItem;

static int compare_items(gconstpointer pa, gconstpointer pb)
{
  const SortItem *x = pa, *y = pb;
  int c = kq_date_compare(&x->article->published, &y->article->published);
  if (c)
    return c;
  c = strcmp(x->title_key, y->title_key);
  if (c)
    return c;
  return g_strcmp0(x->article->id, y->article->id);
}

static void sort_articles(GPtrArray *articles, gboolean reverse)
{
  GArray *items = g_array_sized_new(FALSE, FALSE, sizeof(SortItem), articles->len);
  for (guint i = 0; i < articles->len; i++) {
    SortItem it = {g_ptr_array_index(articles, i), NULL};
    it.title_key = fold_key(it.article->title, TRUE);
    g_array_append_val(items, it);
  }
  g_array_sort(items, compare_items);
  guint n = items->len;
  for (guint i = 0; i < n; i++) {
    SortItem *it = &g_array_index(items, SortItem, i);
    /* --reverse: newest first, undated still last */
    articles->pdata[i] = it->article;
    g_free(it->title_key);
  }
  if (reverse) {
    guint dated = 0;
    while (dated < n && ((KqArticle *)articles->pdata[dated])->published.set)
      dated++;
    for (guint i = 0; i < dated / 2; i++) {
      gpointer t = articles->pdata[i];
      articles->pdata[i] = articles->pdata[dated - 1 - i];
      articles->pdata[dated - 1 - i] = t;
    }
  }
  g_array_unref(items);
}

/* ---- Edition language ---------------------------------------------------- */

static char *pick_edition_lang(const GPtrArray *articles, const char *wanted)
{
  char buf[12];
  if (wanted && *wanted)
    return g_strdup(kq_lang_primary(wanted, buf, sizeof buf));
  /* most frequent; ties go to the language seen first, in reading order */
  GPtrArray *langs = g_ptr_array_new_with_free_func(g_free);
  GArray *counts = g_array_new(FALSE, TRUE, sizeof(guint));
  for (guint i = 0; i < articles->len; i++) {
    const KqArticle *a = g_ptr_array_index(articles, i);
    const char *l = kq_lang_primary(a->lang, buf, sizeof buf);
    if (!*l)
      continue;
    guint j = 0;
    while (j < langs->len && strcmp(g_ptr_array_index(langs, j), l) != 0)
      j++;
    if (j == langs->len) {
      g_ptr_array_add(langs, g_strdup(l));
      guint zero = 0;
      g_array_append_val(counts, zero);
    }
    g_array_index(counts, guint, j)++;
  }
  char *best = NULL;
  guint best_n = 0;
  for (guint j = 0; j < langs->len; j++)
    if (g_array_index(counts, guint, j) > best_n) {
      best_n = g_array_index(counts, guint, j);
      best = g_ptr_array_index(langs, j);
    }
  char *result = g_strdup(best ? best : "en");
  g_ptr_array_unref(langs);
  g_array_unref(counts);
  return result;
}

/* ---- Group titles -------------------------------------------------------- */

/* Group and period titles are written by l10n.h; the collector only says
 * which days, weeks and months they name. */

static KqDate add_days(const KqDate *d, int days)
{
  GDate *g = g_date_new_dmy((GDateDay)d->day, (GDateMonth)d->month, (GDateYear)d->year);
  if (days >= 0)
    g_date_add_days(g, (guint)days);
  else
    g_date_subtract_days(g, (guint)-days);
  KqDate r;
  kq_date_make(&r, g_date_get_year(g), g_date_get_month(g), g_date_get_day(g), FALSE, 0, 0, 0,
               0);
  g_date_free(g);
  return r;
}

static void date_group(const KqEdition *ed, const KqArticle *a, char **key, char **title)
{
  const KqDate *d = &a->published;
  const char *lang = ed->lang;
  if (!d->set) {
    *key = g_strdup("undated");
    *title = g_strdup(kq_l10n(lang, "undated"));
    return;
  }
  switch (ed->group_by) {
  case KQ_GROUP_DAY: { /* "Lundi 26 janvier 2026", "Monday, January 26, 2026" */
    *key = day_string(d);
    KqDate bare;
    kq_date_make(&bare, d->year, d->month, d->day, FALSE, 0, 0, 0, 0);
    char *t = kq_l10n_date_weekday(&bare, lang);
    *title = kq_l10n_capitalize(t);
    g_free(t);
    break;
  }
  case KQ_GROUP_WEEK: {
    int wy, wk;
    kq_date_iso_week(d, &wy, &wk);
    *key = g_strdup_printf("%04d-W%02d", wy, wk);
    KqDate monday = add_days(d, 1 - kq_date_weekday(d));
    *title = kq_l10n_week_title(lang, wk, &monday);
    break;
  }
  case KQ_GROUP_YEAR:
    *key = g_strdup_printf("%04d", d->year);
    *title = g_strdup(*key);
    break;
  default:
    *key = g_strdup_printf("%04d-%02d", d->year, d->month);
    char *t = kq_l10n_month_year(lang, d->year, d->month);
    *title = kq_l10n_capitalize(t);
    g_free(t);
    break;
  }
}

static void name_group(const KqEdition *ed, const KqArticle *a, char **key, char **title)
{
  const char *name = NULL;
  if (ed->group_by == KQ_GROUP_TOPIC)
    name = a->topics->len > 0 ? g_ptr_array_index(a->topics, 0) : NULL;
  else
    name = a->site;
  if (!name) {
    const char *which = ed->group_by == KQ_GROUP_TOPIC ? "uncategorized" : "unknown_site";
    *key = g_strdup(ed->group_by == KQ_GROUP_TOPIC ? "uncategorized" : "unknown-site");
    *title = g_strdup(kq_l10n(ed->lang, which));
    return;
  }
  *key = kq_slugify(name);
  *title = g_strdup(name);
}

void kq_group_free(KqGroup *g)
{
  g_free(g->key);
  g_free(g->title);
  g_ptr_array_unref(g->articles);
  g_free(g);
}

static gboolean is_last_group(const char *key)
{
  return strcmp(key, "undated") == 0 || strcmp(key, "uncategorized") == 0 ||
         strcmp(key, "unknown-site") == 0;
}

static int compare_named_groups(gconstpointer pa, gconstpointer pb)
{
  const KqGroup *a = *(KqGroup *const *)pa, *b = *(KqGroup *const *)pb;
  gboolean la = is_last_group(a->key), lb = is_last_group(b->key);
  if (la != lb)
    return la ? 1 : -1;
  char *ka = fold_key(a->title, TRUE), *kb = fold_key(b->title, TRUE);
  int c = strcmp(ka, kb);
  g_free(ka);
  g_free(kb);
  return c ? c : strcmp(a->key, b->key);
}

static void build_groups(KqEdition *ed)
{
  GHashTable *by_key = g_hash_table_new(g_str_hash, g_str_equal); /* key -> KqGroup*, lookup only */
  gboolean named = ed->group_by == KQ_GROUP_TOPIC || ed->group_by == KQ_GROUP_SITE;
  for (guint i = 0; i < ed->articles->len; i++) {
    KqArticle *a = g_ptr_array_index(ed->articles, i);
    char *key, *title;
    if (named)
      name_group(ed, a, &key, &title);
    else
      date_group(ed, a, &key, &title);
    KqGroup *g = g_hash_table_lookup(by_key, key);
    if (!g) {
      g = g_new0(KqGroup, 1);
      g->key = key;
      g->title = title;
      g->articles = g_ptr_array_new();
      g_ptr_array_add(ed->groups, g);
      g_hash_table_insert(by_key, g->key, g);
    } else {
      g_free(key);
      g_free(title);
    }
    g_ptr_array_add(g->articles, a);
  }
  g_hash_table_unref(by_key);
  /* date groups follow article order (undated articles are last already);
   * named groups are alphabetical with the catch-all last */
  if (named)
    g_ptr_array_sort(ed->groups, compare_named_groups);
  /* reading order = group order */
  g_ptr_array_set_size(ed->articles, 0);
}

static void refill_articles(KqEdition *ed)
{
  for (guint g = 0; g < ed->groups->len; g++) {
    KqGroup *grp = g_ptr_array_index(ed->groups, g);
    for (guint i = 0; i < grp->articles->len; i++)
      g_ptr_array_add(ed->articles, g_ptr_array_index(grp->articles, i));
  }
}

/* ---- Period and title ---------------------------------------------------- */

static void set_period(KqEdition *ed)
{
  const KqDate *first = NULL, *last = NULL;
  for (guint i = 0; i < ed->articles->len; i++) {
    const KqDate *d = &((KqArticle *)g_ptr_array_index(ed->articles, i))->published;
    if (!d->set)
      continue;
    if (!first || day_cmp(d, first) < 0)
      first = d;
    if (!last || day_cmp(d, last) > 0)
      last = d;
    if (!ed->newest.set || kq_date_compare(d, &ed->newest) > 0)
      ed->newest = *d;
  }
  if (!first) {
    ed->period = g_strdup("");
    ed->period_key = g_strdup("undated");
    return;
  }
  ed->period = kq_l10n_month_range(ed->lang, first->year, first->month, last->year, last->month);
  if (first->year == last->year && first->month == last->month) {
    ed->period_key = g_strdup_printf("%04d-%02d", first->year, first->month);
  } else {
    ed->period_key = g_strdup_printf("%04d-%02d-%04d-%02d", first->year, first->month,
                                     last->year, last->month);
  }
}

/* An edition filtered to a closed span of days (--since and --until, --week)
 * is named after that span unless it is whole months: "3 – 9 mars 2026",
 * key "2026-w10" for an ISO week, else "2026-03-03-2026-03-09"; a single
 * day, "5 mars 2026", key "2026-03-05". */
static void set_day_period(KqEdition *ed, const KqCollectOptions *opts)
{
  const KqDate *a = &opts->since, *b = &opts->until;
  if (!a->set || !b->set || day_cmp(a, b) > 0 || opts->month)
    return;
  KqDate first, last, next;
  kq_date_make(&first, a->year, a->month, a->day, FALSE, 0, 0, 0, 0);
  kq_date_make(&last, b->year, b->month, b->day, FALSE, 0, 0, 0, 0);
  next = add_days(&last, 1);
  if (first.day == 1 && next.set && next.day == 1)
    return; /* whole months: the months name it */
  g_free(ed->period);
  g_free(ed->period_key);
  ed->period = kq_l10n_date_range(&first, &last, ed->lang, KQ_L10N_RANGE_TITLE);
  int wy, wk;
  kq_date_iso_week(&first, &wy, &wk);
  if (kq_date_weekday(&first) == 1 && kq_date_to_unix(&last) - kq_date_to_unix(&first) == 6 * 86400)
    ed->period_key = g_strdup_printf("%04d-w%02d", wy, wk);
  else if (day_cmp(&first, &last) == 0)
    ed->period_key = day_string(&first);
  else
    ed->period_key = g_strdup_printf("%04d-%02d-%02d-%04d-%02d-%02d", first.year, first.month,
                                     first.day, last.year, last.month, last.day);
  ed->period_first = first;
  ed->period_last = last;
}

static void set_title(KqEdition *ed, const char *user_title, const char *period)
{
  const char *base = user_title ? user_title : kq_l10n(ed->lang, "default_title");
  if (user_title) /* the user's text is held to the model's rules too (kq_utf8_clean) */
    ed->title = kq_utf8_clean(user_title, -1, NULL);
  else if (period && *period)
    ed->title = g_strdup_printf("%s — %s", base, period);
  else
    ed->title = g_strdup(base);
  kq_edition_set_file_stem(ed, base);
}

void kq_edition_set_file_stem(KqEdition *ed, const char *words)
{
  char *slug = kq_slugify(words ? words : "");
  g_free(ed->file_stem);
  ed->file_stem = g_strdup_printf("%s-%s", slug, ed->period_key);
  g_free(slug);
}

/* ---- Edition ------------------------------------------------------------- */

static KqEdition *edition_new(void)
{
  KqEdition *ed = g_new0(KqEdition, 1);
  ed->articles = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  ed->groups = g_ptr_array_new_with_free_func((GDestroyNotify)kq_group_free);
  return ed;
}

KqEdition *kq_edition_new_take(GPtrArray *articles, const KqCollectOptions *opts)
{
  KqEdition *ed = edition_new();
  ed->group_by = opts->group_by;
  for (guint i = 0; i < articles->len; i++) {
    KqArticle *a = g_ptr_array_index(articles, i);
    if (kq_collect_matches(a, opts)) {
      g_ptr_array_add(ed->articles, a);
      articles->pdata[i] = NULL;
    }
  }
  g_ptr_array_set_free_func(articles, (GDestroyNotify)kq_article_free);
  g_ptr_array_unref(articles); /* frees the articles not taken */
  sort_articles(ed->articles, opts->reverse);
  ed->lang = pick_edition_lang(ed->articles, opts->edition_lang);
  /* the groups borrow the articles; the array is refilled in group order
   * without freeing them */
  g_ptr_array_set_free_func(ed->articles, NULL);
  build_groups(ed);
  refill_articles(ed);
  g_ptr_array_set_free_func(ed->articles, (GDestroyNotify)kq_article_free);
  set_period(ed);
  set_day_period(ed, opts);
  set_title(ed, opts->title, ed->period);
  ed->furniture = kq_furniture_new(ed, kq_edition_timestamp(ed));
  return ed;
}

/* A date group's title ("Février 2026", "Semaine 5 · …") heads a page; as
 * the period inside a title it is written as set_period() writes one, with
 * the first letter in the case month names take in the edition language
 * ("février 2026" in French, "February 2026" in English), so --month and
 * --split name the same month the same way (issue 15). Topic and site
 * groups are names and stay as they are. Caller frees. */
static char *period_of_group(const KqEdition *ed, const char *title)
{
  if (!title || !*title || ed->group_by == KQ_GROUP_TOPIC || ed->group_by == KQ_GROUP_SITE)
    return g_strdup(title ? title : "");
  const char *month = kq_l10n_month(ed->lang, 1);
  gunichar first = g_utf8_get_char(title);
  gboolean lower = month && g_unichar_islower(g_utf8_get_char(month));
  gunichar want = lower ? g_unichar_tolower(first) : first;
  if (want == first)
    return g_strdup(title);
  char buf[8];
  buf[g_unichar_to_utf8(want, buf)] = '\0';
  return g_strconcat(buf, g_utf8_next_char(title), NULL);
}

KqEdition *kq_edition_new_for_group(const KqEdition *edition, guint group_index,
                                    const KqCollectOptions *opts)
{
  const KqGroup *src = g_ptr_array_index(edition->groups, group_index);
  KqEdition *ed = edition_new();
  ed->group_by = edition->group_by;
  ed->lang = g_strdup(edition->lang);
  KqGroup *g = g_new0(KqGroup, 1);
  g->key = g_strdup(src->key);
  g->title = g_strdup(src->title);
  g->articles = g_ptr_array_new();
  for (guint i = 0; i < src->articles->len; i++) {
    KqArticle *copy = kq_article_dup(g_ptr_array_index(src->articles, i));
    g_ptr_array_add(ed->articles, copy);
    g_ptr_array_add(g->articles, copy);
  }
  g_ptr_array_add(ed->groups, g);
  set_period(ed);
  /* the group, not the span of its dates, names a split volume */
  g_free(ed->period);
  g_free(ed->period_key);
  ed->period = period_of_group(ed, src->title);
  char *key = kq_slugify(src->key);
  ed->period_key = key;
  const char *base = opts->title ? opts->title : kq_l10n(ed->lang, "default_title");
  ed->title = g_strdup_printf("%s — %s", base, ed->period);
  kq_edition_set_file_stem(ed, base);
  ed->furniture = kq_furniture_new(ed, kq_edition_timestamp(ed));
  return ed;
}

void kq_edition_free(KqEdition *ed)
{
  if (!ed)
    return;
  kq_furniture_free(ed->furniture);
  g_ptr_array_unref(ed->groups);
  g_ptr_array_unref(ed->articles);
  g_free(ed->lang);
  g_free(ed->title);
  g_free(ed->period);
  g_free(ed->period_key);
  g_free(ed->file_stem);
  g_free(ed);
}
