/* hyphen.c: HY rules: libhyphen dictionaries (loaded once per KqTypo), eligible words, soft hyphens. */
#include "typo/typo_private.h"

#include <hyphen.h>
#include <stdlib.h>
#include <string.h>

/* Under LeakSanitizer, the allocations libhyphen makes while loading a
 * dictionary are not reported: hnj_hyphen_load() of libhyphen 2.8.8 loses
 * 130 bytes on hyph_fr.dic (reproducible with load + hnj_hyphen_free alone),
 * and dictionaries are loaded once per process (below). */
#if defined(__SANITIZE_ADDRESS__)
#define KQ_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KQ_LSAN 1
#endif
#endif
#ifdef KQ_LSAN
#include <sanitizer/lsan_interface.h>
#define LSAN_DISABLE() __lsan_disable()
#define LSAN_ENABLE() __lsan_enable()
#else
#define LSAN_DISABLE() ((void)0)
#define LSAN_ENABLE() ((void)0)
#endif

#define SHY 0x00ADu

/* HY-1: dictionary file per language, inside the configurable directory. */
static const char *const DICT_FILES[] = {NULL, "hyph_fr.dic", "hyph_en_US.dic"};

/* Words cached per language; past this many the cache stops growing
 * (results stay correct, only slower). */
#define KQ_HYPHEN_CACHE_MAX 100000u
/* Longest word (bytes) handed to libhyphen; longer ones are not hyphenated. */
#define KQ_HYPHEN_WORD_MAX 256

/* HY-1: each dictionary file is loaded once per process and shared by every
 * KqTypo (path -> HyphenDict*, NULL for a file that failed to load); they
 * live as long as the process. */
static GMutex dicts_lock;
static GHashTable *dicts_by_path;

static HyphenDict *shared_dict(const char *path)
{
  g_mutex_lock(&dicts_lock);
  if (!dicts_by_path)
    dicts_by_path = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  gpointer value = NULL;
  if (!g_hash_table_lookup_extended(dicts_by_path, path, NULL, &value)) {
    /* hnj_hyphen_load prints on some failures: test the file first. */
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
      LSAN_DISABLE();
      value = hnj_hyphen_load(path);
      LSAN_ENABLE();
    }
    g_hash_table_insert(dicts_by_path, g_strdup(path), value);
  }
  g_mutex_unlock(&dicts_lock);
  return value;
}

void kq_typo_hyphen_clear(KqTypo *t)
{
  for (int l = 0; l < 3; l++) {
    t->dicts[l] = NULL; /* borrowed from the process-wide table */
    if (t->cache[l])
      g_hash_table_unref(t->cache[l]);
    t->cache[l] = NULL;
  }
}

/* With t->lock held. */
static HyphenDict *dict_locked(KqTypo *t, KqTypoLang l, GError **error)
{
  if (l == KQ_TL_OTHER)
    return NULL;
  if (!t->dict_tried[l]) {
    t->dict_tried[l] = TRUE;
    char *path = g_build_filename(t->hyphen_dir, DICT_FILES[l], NULL);
    t->dicts[l] = shared_dict(path);
    g_free(path);
    t->cache[l] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  }
  if (!t->dicts[l])
    g_set_error(error, KQ_TYPO_ERROR, KQ_TYPO_ERROR_DICT,
                "%s/%s: cannot load the hyphenation dictionary", t->hyphen_dir, DICT_FILES[l]);
  return t->dicts[l];
}

gboolean kq_typo_hyphen_available(const KqTypo *typo, const char *lang, GError **error)
{
  KqTypo *t = (KqTypo *)typo;
  KqTypoLang l = kq_typo_lang_of(lang);
  if (l == KQ_TL_OTHER)
    return TRUE;
  g_mutex_lock(&t->lock);
  gboolean ok = dict_locked(t, l, error) != NULL;
  g_mutex_unlock(&t->lock);
  return ok;
}

/* Break mask of a lower-case word of nchars characters: mask[k] == '1'
 * when a break is allowed after character k (HY-2, HY-4). NULL when the
 * dictionary is missing. The mask is owned by the cache (lives as long as
 * t) or, past the cache cap, by *owned. With t->lock held. */
static const char *word_breaks_locked(KqTypo *t, KqTypoLang l, const char *lower, gsize nbytes,
                                      glong nchars, char **owned)
{
  HyphenDict *d = dict_locked(t, l, NULL);
  if (!d)
    return NULL;
  const char *hit = g_hash_table_lookup(t->cache[l], lower);
  if (hit)
    return hit;
  char *hyphens = g_malloc0(nbytes + 5);
  char **rep = NULL;
  int *pos = NULL, *cut = NULL;
  hnj_hyphen_hyphenate3(d, lower, (int)nbytes, hyphens, NULL, &rep, &pos, &cut, 2, 3, 2, 3);
  char *mask = g_malloc(nchars + 1);
  for (glong k = 0; k < nchars; k++)
    mask[k] = (hyphens[k] & 1) && k + 1 < nchars ? '1' : '0';
  mask[nchars] = '\0';
  if (rep) {
    for (gsize k = 0; k < nbytes; k++)
      free(rep[k]);
    free(rep);
  }
  free(pos);
  free(cut);
  g_free(hyphens);
  if (t->cache_size < KQ_HYPHEN_CACHE_MAX) {
    g_hash_table_insert(t->cache[l], g_strdup(lower), mask);
    t->cache_size++;
    return mask;
  }
  *owned = mask;
  return mask;
}

static inline gboolean is_letter(gunichar c)
{
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return c != KQ_OPAQUE && g_unichar_isalpha(c);
}

static inline gboolean is_apostrophe(gunichar c) { return c == '\'' || c == 0x2019; }

static inline gboolean is_hyphen(gunichar c)
{
  return c == '-' || c == 0x2010 || c == 0x2011;
}

/*
 * HY-3 over the paragraph in p (protected spans already opaque): marks in
 * shy[i] the characters after which a soft hyphen goes.
 */
static void mark_breaks(KqTypo *t, const Para *p, KqTypoLang l, gboolean *shy)
{
  const Ch *v = p->cur.v;
  gsize n = p->cur.n;
  /* The last word of the paragraph gets none (HY-3, HY-6). */
  gsize last_start = n;
  for (gsize i = n; i > 0; i--) {
    if (is_letter(v[i - 1].c)) {
      gsize s = i - 1;
      while (s > 0 && (is_letter(v[s - 1].c) ||
                       (is_apostrophe(v[s - 1].c) && s > 1 && is_letter(v[s - 2].c))))
        s--;
      last_start = s;
      break;
    }
  }
  GString *word = g_string_sized_new(64);
  for (gsize i = 0; i < n;) {
    if (!is_letter(v[i].c)) {
      i++;
      continue;
    }
    gsize s = i, j = i;
    gboolean upper = FALSE;
    while (j < n) {
      gunichar c = v[j].c;
      if (is_letter(c)) {
        if (c < 0x80 ? (c >= 'A' && c <= 'Z') : g_unichar_isupper(c) || g_unichar_istitle(c))
          upper = TRUE;
        j++;
      } else if (is_apostrophe(c) && j + 1 < n && is_letter(v[j + 1].c)) {
        j++;
      } else {
        break;
      }
    }
    i = j;
    gunichar before = s > 0 ? v[s - 1].c : 0, after = j < n ? v[j].c : 0;
    if (upper || s >= last_start || j - s < 5)
      continue;
    /* A digit or '_' glued to the word, a compound's hyphen, a protected
     * span or a soft hyphen typed by the source: not eligible. */
    if (g_unichar_isdigit(before) || g_unichar_isdigit(after) || before == '_' || after == '_' ||
        is_hyphen(before) || is_hyphen(after) || before == KQ_OPAQUE || after == KQ_OPAQUE)
      continue;
    /* Lower-cased character by character, so positions map one to one
     * (HY-3); (upper-case words never get here, so this is only a guard). */
    g_string_truncate(word, 0);
    for (gsize k = s; k < j; k++) {
      gunichar c = g_unichar_tolower(v[k].c);
      if (c < 0x80) {
        g_string_append_c(word, (char)c);
      } else {
        char buf[8];
        g_string_append_len(word, buf, g_unichar_to_utf8(c, buf));
      }
    }
    if (word->len > KQ_HYPHEN_WORD_MAX)
      continue;
    glong nchars = (glong)(j - s);
    char *owned = NULL;
    const char *mask = word_breaks_locked(t, l, word->str, word->len, nchars, &owned);
    for (glong k = 0; mask && k < nchars; k++)
      if (mask[k] == '1')
        shy[s + (gsize)k] = TRUE;
    g_free(owned);
  }
  g_string_free(word, TRUE);
}

/* Removes soft hyphens already in the text, then inserts ours (HY-5). */
static void hyphenate_para(const KqTypo *typo, Para *p, KqTypoLang l)
{
  KqTypo *t = (KqTypo *)typo;
  ChBuf clean = {0};
  for (gsize i = 0; i < p->cur.n; i++)
    if (p->cur.v[i].c != SHY) {
      kq_chbuf_push(&clean, 0, 0, 0);
      clean.v[clean.n - 1] = p->cur.v[i];
    }
  g_free(p->cur.v);
  p->cur = clean;
  if (l == KQ_TL_OTHER || p->cur.n == 0)
    return;
  gboolean *shy = g_new0(gboolean, p->cur.n);
  g_mutex_lock(&t->lock);
  mark_breaks(t, p, l, shy);
  g_mutex_unlock(&t->lock);
  ChBuf out = {0};
  for (gsize i = 0; i < p->cur.n; i++) {
    kq_chbuf_push(&out, 0, 0, 0);
    out.v[out.n - 1] = p->cur.v[i];
    if (shy[i])
      kq_chbuf_push(&out, SHY, p->cur.v[i].run, 0);
  }
  g_free(shy);
  g_free(p->cur.v);
  p->cur = out;
}

char *kq_typo_hyphenate(const KqTypo *typo, const char *text, const char *lang)
{
  if (!text)
    return NULL;
  Para p;
  kq_para_init_text(&p, text);
  kq_typo_protect_tokens(&p, (const gunichar *const *)typo->brands);
  hyphenate_para(typo, &p, kq_typo_lang_of(lang));
  char *out = kq_para_to_text(&p);
  kq_para_clear(&p);
  return out;
}

GPtrArray *kq_typo_hyphenate_runs(const KqTypo *typo, const GPtrArray *runs, const char *lang)
{
  if (!runs)
    return kq_runs_new();
  Para p;
  kq_para_init(&p);
  kq_para_from_runs(&p, runs);
  kq_typo_protect_tokens(&p, (const gunichar *const *)typo->brands);
  hyphenate_para(typo, &p, kq_typo_lang_of(lang));
  GPtrArray *out = kq_para_to_runs(&p, runs);
  kq_para_clear(&p);
  return out;
}

/* A word character for HY-6: a letter, an apostrophe or a soft hyphen. */
static gboolean word_char_at(const char *text, gsize i)
{
  gunichar c = g_utf8_get_char(text + i);
  return c == SHY || is_apostrophe(c) || is_letter(c);
}

gsize kq_typo_unhyphenate_word(char *text, gsize index)
{
  gsize len = strlen(text);
  if (index > len)
    return 0;
  /* back to the start of the character holding index, then of the word */
  gsize start = index;
  while (start > 0 && (text[start] & 0xC0) == 0x80)
    start--;
  if (start == len || !word_char_at(text, start)) {
    if (start == 0)
      return 0;
    start = (gsize)(g_utf8_prev_char(text + start) - text);
    if (!word_char_at(text, start))
      return 0;
  }
  while (start > 0) {
    gsize prev = (gsize)(g_utf8_prev_char(text + start) - text);
    if (!word_char_at(text, prev))
      break;
    start = prev;
  }
  gsize end = start;
  while (end < len && word_char_at(text, end))
    end = (gsize)(g_utf8_next_char(text + end) - text);
  gsize w = start, removed = 0;
  for (gsize r = start; r < end;) {
    if ((guchar)text[r] == 0xC2 && (guchar)text[r + 1] == 0xAD) {
      r += 2;
      removed += 2;
    } else {
      text[w++] = text[r++];
    }
  }
  if (removed)
    memmove(text + w, text + end, len - end + 1);
  return removed;
}
