/* encoding.h: private charset sniffing and conversion to UTF-8 for the feed and JSON readers. */
#ifndef KIOSQUE_READERS_ENCODING_H
#define KIOSQUE_READERS_ENCODING_H

#include <glib.h>

G_BEGIN_DECLS

/*
 * The encoding pseudo-attribute of an XML declaration at the start of data
 * (after an optional UTF-8 BOM and blank space), e.g. "ISO-8859-1"; NULL
 * when there is no declaration or it names no encoding. Caller frees.
 */
char *kq_encoding_xml_declared(const char *data, gsize len);

/*
 * Decodes data to UTF-8 the way a lenient feed reader does:
 * - a BOM (UTF-8, UTF-16, UTF-32) wins, then the NUL pattern of UTF-16;
 * - then the declared charset (may be NULL), ISO-8859-1 and US-ASCII read
 *   as windows-1252 (as browsers do); a document declaring a single-byte
 *   charset whose bytes are in fact valid, non-ASCII UTF-8 is read as UTF-8;
 * - undeclared or declared UTF-8: UTF-8 when valid; otherwise a document
 *   with at least as many invalid bytes as valid multi-byte sequences is
 *   read as windows-1252, and a mostly-UTF-8 one has only its invalid
 *   bytes read as windows-1252.
 * Bytes that cannot be decoded at all are dropped. Returns a new
 * NUL-terminated string that is valid UTF-8 except that it may contain
 * NUL bytes copied from the input; *out_len gets its length. *note (when
 * not NULL) receives a one-line description of any recovery that a user
 * should hear about (caller frees), else NULL; *info (when not NULL) a
 * description of an ordinary conversion ("decoded from windows-1251").
 */
char *kq_encoding_to_utf8(const char *data, gsize len, const char *declared, gsize *out_len,
                          char **note, char **info);

/* The character windows-1252 gives byte b (0 for its five undefined
 * bytes); used for numeric references to C1 code points, as HTML does. */
gunichar kq_encoding_cp1252_char(guchar b);

/* TRUE when the charset name means UTF-8. */
gboolean kq_encoding_is_utf8(const char *charset);

G_END_DECLS

#endif
