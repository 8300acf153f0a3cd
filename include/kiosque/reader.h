/* reader.h: the table of input readers and how one file becomes articles. */
#ifndef KIOSQUE_READER_H
#define KIOSQUE_READER_H

#include <glib.h>

#include "kiosque/article.h"
#include "kiosque/log.h"

G_BEGIN_DECLS

#define KQ_READ_ERROR (kq_read_error_quark())
GQuark kq_read_error_quark(void);

/* Codes are appended, never renumbered. */
typedef enum {
  KQ_READ_ERROR_IO = 1,      /* cannot open or read */
  KQ_READ_ERROR_LIMIT,       /* over a configured cap */
  KQ_READ_ERROR_EMPTY,       /* empty file or nothing usable in it */
  KQ_READ_ERROR_ENCODING,    /* text is not valid in any encoding tried */
  KQ_READ_ERROR_SYNTAX,      /* damaged beyond recovery */
  KQ_READ_ERROR_NOT_INPUT,   /* sniffing says this is not an input */
} KqReadError;

/* Sets a KQ_READ_ERROR that carries the input's line (0 when unknown) as a
 * number beside its message, so the sink prints "PATH:LINE: message" with
 * no text to parse back. */
void kq_read_error_set(GError **error, KqReadError code, int line, const char *format, ...)
    G_GNUC_PRINTF(4, 5);
/* The line a KQ_READ_ERROR carries; 0 when unknown or another domain. */
int kq_read_error_get_line(const GError *error);

/* Caps, all documented in the README; 0 means the default. */
#define KQ_DEFAULT_MAX_INPUT (16u * 1024u * 1024u)   /* bytes per input file */
#define KQ_DEFAULT_MAX_DEPTH 256                     /* element / block nesting */
#define KQ_DEFAULT_MAX_ARTICLE (4u * 1024u * 1024u)  /* bytes of body text per article */

typedef struct {
  gsize max_input;
  int max_depth;
  gsize max_article;
  KqProgressFunc progress;  /* NULL: none; "inputs" done of total */
  gpointer progress_data;
} KqReadOptions;

void kq_read_options_init(KqReadOptions *opts);
/* Makes the readers' libraries' global state (libxml2's) on the calling
 * thread; call before reading on several threads at once. Idempotent. */
void kq_readers_prepare(void);
/* The limits in force: opts's where set, the defaults otherwise (opts may
 * be NULL). Every reader asks these, so a default is decided in one place. */
int kq_read_max_depth(const KqReadOptions *opts);
gsize kq_read_max_article(const KqReadOptions *opts);
gsize kq_read_max_input(const KqReadOptions *opts);

/*
 * One reader. sniff() scores the first bytes of a file 0..100 (0: not
 * mine); read() parses a whole file already in memory and appends new
 * KqArticle* to out (which owns them). read() returns FALSE with error set
 * when the file yields nothing because it is damaged or unreadable; it
 * returns TRUE with no article added when the file is valid but holds no
 * article (such a file is ignored like a non-input). Warnings about
 * recovered damage go to log with the path (and line when known).
 */
typedef struct {
  const char *name;                  /* "html", "feed", "markdown", "json", "text" */
  const char *const *extensions;     /* lower case, with the dot, NULL-terminated */
  int (*sniff)(const char *data, gsize len);
  gboolean (*read)(const char *path, const char *data, gsize len,
                   const KqReadOptions *opts, KqLog *log, GPtrArray *out, GError **error);
} KqReader;

/* The readers, in tie-break order; NULL-terminated. Borrowed, static. */
const KqReader *const *kq_readers(void);

/* TRUE when the file name has one of the input extensions. */
gboolean kq_reader_is_input_name(const char *path);

/* Picks the best reader for a file by extension and sniff score; NULL when
 * none claims it. */
const KqReader *kq_reader_choose(const char *path, const char *data, gsize len);

/* Reads one file with the best reader: loads it (respecting max_input),
 * chooses, reads, and calls kq_article_finish() on each new article.
 * Returns FALSE with error when the file gives nothing. */
gboolean kq_read_file(const char *path, const KqReadOptions *opts, KqLog *log,
                      GPtrArray *out, GError **error);

/* The same on a file already in memory (path names it in messages and
 * picks the reader by extension); data need not be NUL-terminated. */
gboolean kq_read_buffer(const char *path, const char *data, gsize len,
                        const KqReadOptions *opts, KqLog *log, GPtrArray *out, GError **error);

/* The individual readers (each in src/readers/). */
extern const KqReader kq_reader_html;
extern const KqReader kq_reader_feed;
extern const KqReader kq_reader_markdown;
extern const KqReader kq_reader_json;
extern const KqReader kq_reader_text;

G_END_DECLS

#endif
