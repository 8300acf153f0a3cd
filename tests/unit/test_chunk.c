/* test_chunk.c: texts moved into a GStringChunk (chunk.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "kiosque/chunk.h"

/* The chunk holds a copy of each text taken; the text itself is freed
 * (the sanitizer build would report it leaked or freed twice); NULL stays
 * NULL; the copies outlive their originals until the chunk is freed. */
static void test_chunk_take(void **state)
{
  (void)state;
  GStringChunk *chunk = g_string_chunk_new(16);
  char *s = g_strdup("Revue de presse tech — mars 2026");
  const char *kept = kq_chunk_take(chunk, s);
  assert_non_null(kept);
  assert_string_equal(kept, "Revue de presse tech — mars 2026");
  const char *more[8];
  for (int i = 0; i < 8; i++) /* past the first block: earlier copies stay */
    more[i] = kq_chunk_take(chunk, g_strdup_printf("texte %d", i));
  assert_null(kq_chunk_take(chunk, NULL));
  assert_string_equal(kept, "Revue de presse tech — mars 2026");
  for (int i = 0; i < 8; i++) {
    char want[16];
    g_snprintf(want, sizeof want, "texte %d", i);
    assert_string_equal(more[i], want);
  }
  g_string_chunk_free(chunk);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_chunk_take),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
