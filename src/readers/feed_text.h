/* feed_text.h: private text clean-up shared by the feed and JSON readers (entities, tags, XML repair). */
#ifndef KIOSQUE_READERS_FEED_TEXT_H
#define KIOSQUE_READERS_FEED_TEXT_H

#include <glib.h>

#include "kiosque/article.h"
#include "kiosque/log.h"
#include "kiosque/reader.h"

G_BEGIN_DECLS

/* The file a feed reader (RSS, Atom, JSON) reads and its limits, for the
 * time of one read: all borrowed from the reader's caller. */
typedef struct {
  const char *path;
  const KqReadOptions *opts;
  KqLog *log;
  int max_depth;     /* --max-depth, at most max_safe_depth */
  gsize max_article; /* --max-article */
} KqFeedSource;

/* The source of one read; max_safe_depth caps --max-depth where the
 * reader's parser recurses (0: no cap of its own). */
KqFeedSource kq_feed_source(const char *path, const KqReadOptions *opts, KqLog *log,
                            int max_safe_depth);

/* Cuts body (len bytes, NUL-terminated, owned by the caller) to the
 * source's max_article bytes, on a character boundary, with a warning
 * "LABEL: body over N bytes, truncated" at line; returns the length kept. */
gsize kq_feed_cut_body(const KqFeedSource *src, char *body, gsize len, int line,
                       const char *label_format, ...) G_GNUC_PRINTF(5, 6);

/* Blocks of an item's HTML body (len bytes; relative links resolved
 * against base), with the references left by double escaping decoded
 * (kq_feed_decode_blocks). Returns a new array; caller frees. */
GPtrArray *kq_feed_html_blocks(const KqFeedSource *src, const char *html, gsize len,
                               const char *base);

/* What a feed (RSS, Atom, JSON Feed) says of all its items, each item
 * inheriting what it does not say itself. Zero-initialised by the reader,
 * which owns the fields; kq_feed_channel_clear() releases them. */
typedef struct {
  char *site;         /* the feed's title */
  char *lang;         /* its language, normalized */
  char *base;         /* its home page: the base of relative item links */
  GPtrArray *authors; /* char*: its authors, or NULL when it names none */
} KqFeedChannel;

void kq_feed_channel_clear(KqFeedChannel *ch);

/* Gives the channel's authors to an article that names none. */
void kq_feed_channel_inherit_authors(const KqFeedChannel *ch, KqArticle *a);

/*
 * Decodes HTML character and entity references left in text that was
 * escaped twice ("l&rsquo;o" after XML decoding of "l&amp;rsquo;o"): one
 * pass, repeated (at most three times) while the result still holds a
 * reference. Unknown names are left alone; references to characters XML
 * forbids (&#x1F;) are dropped; references to C1 code points read as
 * windows-1252, as HTML does. Returns a new string (a copy when nothing
 * changes); NULL gives NULL.
 */
char *kq_feed_decode_entities(const char *text);
/* One pass of the same decoding (for text escaped exactly once more than
 * it should be); text must not be NULL. Returns a new string. */
char *kq_feed_decode_entities_once(const char *text);

/* TRUE when text holds a reference that kq_feed_decode_entities() decodes. */
gboolean kq_feed_has_entity_ref(const char *text);

/*
 * One-line plain text from a metadata value: tags stripped when is_html
 * or when text holds inline HTML tags (<b>, <em>, <a>, </...>), leftover
 * references decoded, ASCII whitespace (hard line breaks included)
 * collapsed and trimmed. Returns a new string, "" for NULL.
 */
char *kq_feed_clean_inline(const char *text, gboolean is_html);

/*
 * Decodes leftover references (kq_feed_decode_entities) in the text of
 * every run, alt text, link and image source of blocks, nested blocks
 * included down to max_depth; code is left alone.
 */
void kq_feed_decode_blocks(GPtrArray *blocks, int max_depth);

/* What kq_feed_repair_xml() changed. */
typedef struct {
  guint controls;  /* raw control characters (and U+FFFE/U+FFFF) dropped */
  guint bad_refs;  /* character references to forbidden characters dropped */
  guint amps;      /* '&' starting no reference, escaped */
  guint lts;       /* '<' starting no markup, escaped */
  guint entities;  /* HTML entities (undefined in XML) made numeric */
  guint upper_hex; /* "&#X41;" (HTML's form, not XML's) written "&#x41;" */
} KqFeedRepair;

/*
 * A copy of UTF-8 XML with the damage that commonly makes feeds
 * not well-formed repaired (see KqFeedRepair); CDATA sections, comments
 * and processing instructions are copied as they are (control characters
 * aside). Returns a new NUL-terminated buffer; *out_len gets its length.
 */
char *kq_feed_repair_xml(const char *xml, gsize len, gsize *out_len, KqFeedRepair *stats);
guint kq_feed_repair_count(const KqFeedRepair *stats);
/* "removed 1 control character; escaped 2 stray '&'"; caller frees. */
char *kq_feed_repair_describe(const KqFeedRepair *stats);

G_END_DECLS

#endif
