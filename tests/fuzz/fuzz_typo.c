/* fuzz_typo.c: the typography pass and hyphenation on arbitrary UTF-8; checks idempotence. */
#include <stdint.h>
#include <string.h>

#include "kiosque/typo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One engine for the process: loading dictionaries per input would make
 * the fuzzer measure file I/O. It is never written after creation. */
static KqTypo *engine(void)
{
  static KqTypo *typo;
  if (!typo)
    typo = kq_typo_new(NULL);
  return typo;
}

/* A copy of text without its U+00AD. */
static char *without_shy(const char *text)
{
  GString *out = g_string_new(NULL);
  for (const char *p = text; *p; p = g_utf8_next_char(p))
    if (g_utf8_get_char(p) != 0xAD)
      g_string_append_unichar(out, g_utf8_get_char(p));
  return g_string_free(out, FALSE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1 || size > 8192)
    return 0;
  static const char *const langs[] = {"fr", "en", "de", "fr-CA"};
  const char *lang = langs[data[0] & 3];
  const char *text = (const char *)data + 1;
  gsize len = size - 1;
  if (!g_utf8_validate(text, (gssize)len, NULL) || memchr(text, '\0', len))
    return 0;
  char *in = g_strndup(text, len);
  char *once = kq_typo_text(engine(), in, lang);
  char *twice = kq_typo_text(engine(), once, lang);
  if (strcmp(once, twice) != 0 || !g_utf8_validate(once, -1, NULL))
    __builtin_trap(); /* G-3: idempotent, valid UTF-8 */
  char *hyph = kq_typo_hyphenate(engine(), once, lang);
  /* HY-5: removing the soft hyphens gives the text back (soft hyphens
   * the text already had are replaced, typo.h, so they are removed from
   * both sides) */
  char *back = without_shy(hyph), *plain = without_shy(once);
  if (strcmp(back, plain) != 0)
    __builtin_trap();
  g_free(plain);
  g_free(back);
  /* the same over runs, split at arbitrary points with code in the middle */
  GPtrArray *runs = kq_runs_new();
  gsize third = len / 3;
  while (third > 0 && (in[third] & 0xC0) == 0x80)
    third--;
  kq_runs_append_text(runs, KQ_STYLE_NONE, in, (gssize)third, NULL);
  kq_runs_append_text(runs, KQ_STYLE_CODE, "a:b", -1, NULL);
  kq_runs_append_text(runs, KQ_STYLE_EMPH, in + third, -1, "https://x.example/?a=1");
  GPtrArray *typed = kq_typo_runs(engine(), runs, lang);
  GPtrArray *h = kq_typo_hyphenate_runs(engine(), typed, lang);
  g_ptr_array_unref(h);
  g_ptr_array_unref(typed);
  g_ptr_array_unref(runs);
  g_free(hyph);
  g_free(twice);
  g_free(once);
  g_free(in);
  return 0;
}
