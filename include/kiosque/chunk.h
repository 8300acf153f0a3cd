/* chunk.h: texts made once and never changed, kept in a GStringChunk their owner frees at once. */
#ifndef KIOSQUE_CHUNK_H
#define KIOSQUE_CHUNK_H

#include <glib.h>

G_BEGIN_DECLS

/* Moves s (allocated, or NULL) into chunk: returns the chunk's copy, or
 * NULL for NULL, and frees s. For the objects that build many texts once
 * (furniture, a library edition, a fetcher's entries): one
 * g_string_chunk_free() releases them all and a new field cannot leak. */
const char *kq_chunk_take(GStringChunk *chunk, char *s);

G_END_DECLS

#endif
