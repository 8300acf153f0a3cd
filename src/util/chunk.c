/* chunk.c: texts moved into a GStringChunk (chunk.h). */
#include "kiosque/chunk.h"

const char *kq_chunk_take(GStringChunk *chunk, char *s)
{
  const char *kept = s ? g_string_chunk_insert(chunk, s) : NULL;
  g_free(s);
  return kept;
}
