/* json_depth.h: json-glib-exact nesting check shared by the JSON reader and HTML's JSON-LD. */
#ifndef KIOSQUE_READERS_JSON_DEPTH_H
#define KIOSQUE_READERS_JSON_DEPTH_H

#include <glib.h>

G_BEGIN_DECLS

/* Blanks out (as null) every value of s nested deeper than limit, reading
 * strings and comments exactly as json-glib's tokenizer does, so that
 * json-glib never recurses deeper than limit. *cut is increased by the
 * values blanked; *line (may be NULL) gets the first one's line when *cut
 * was 0. FALSE when a deep value never closes: s must not be parsed. */
gboolean kq_json_blank_deep(char *s, gsize len, int limit, guint *cut, int *line);

G_END_DECLS

#endif
