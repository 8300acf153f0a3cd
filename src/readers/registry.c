/* registry.c: the table of readers, choosing one for a file, and reading a file through it. */
#include "kiosque/reader.h"

#include <libxml/parser.h>

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* A read error carries its line as a number (issue 13 item 5): an extended
 * GError domain, so it survives g_propagate_error and g_error_copy. */
typedef struct {
  int line;
} KqReadErrorPrivate;

static void kq_read_error_private_init(KqReadErrorPrivate *priv)
{
  priv->line = 0;
}

static void kq_read_error_private_copy(const KqReadErrorPrivate *src, KqReadErrorPrivate *dest)
{
  dest->line = src->line;
}

static void kq_read_error_private_clear(KqReadErrorPrivate *priv)
{
  (void)priv;
}

G_DEFINE_EXTENDED_ERROR(KqReadError, kq_read_error)

void kq_read_error_set(GError **error, KqReadError code, int line, const char *format, ...)
{
  if (!error)
    return;
  va_list ap;
  va_start(ap, format);
  char *msg = g_strdup_vprintf(format, ap);
  va_end(ap);
  GError *e = g_error_new_literal(KQ_READ_ERROR, code, msg);
  g_free(msg);
  kq_read_error_get_private(e)->line = line > 0 ? line : 0;
  g_propagate_error(error, e);
}

int kq_read_error_get_line(const GError *error)
{
  if (!error || error->domain != KQ_READ_ERROR)
    return 0;
  return kq_read_error_get_private(error)->line;
}

/* Order breaks sniff ties. A reader is listed here once its file exists. */
static const KqReader *const readers[] = {
    &kq_reader_html,
    &kq_reader_markdown,
    &kq_reader_feed,
    &kq_reader_json,
    &kq_reader_text,
    NULL,
};

const KqReader *const *kq_readers(void)
{
  return readers;
}

void kq_read_options_init(KqReadOptions *opts)
{
  opts->max_input = KQ_DEFAULT_MAX_INPUT;
  opts->max_depth = KQ_DEFAULT_MAX_DEPTH;
  opts->max_article = KQ_DEFAULT_MAX_ARTICLE;
  opts->progress = NULL;
  opts->progress_data = NULL;
}

void kq_readers_prepare(void)
{
  /* two workers starting libxml2 at once can each make its global state
   * (its mutexes): one is lost */
  xmlInitParser();
  /* GLib's g_ascii_strto*() make their C locale on first use, inside
   * g_once: a second thread waiting there comes back with errno set (the
   * futex wait), and g_ascii_string_to_unsigned() then refuses a valid
   * number ("views: 3812" read as nothing, about one run in seven of
   * test_pdf_plan under load). Made here, before any worker. */
  (void)g_ascii_strtoull("0", NULL, 10);
}

int kq_read_max_depth(const KqReadOptions *opts)
{
  return opts && opts->max_depth > 0 ? opts->max_depth : KQ_DEFAULT_MAX_DEPTH;
}

gsize kq_read_max_article(const KqReadOptions *opts)
{
  return opts && opts->max_article ? opts->max_article : KQ_DEFAULT_MAX_ARTICLE;
}

gsize kq_read_max_input(const KqReadOptions *opts)
{
  return opts && opts->max_input ? opts->max_input : KQ_DEFAULT_MAX_INPUT;
}

static const char *extension_of(const char *path)
{
  const char *base = strrchr(path, '/');
  const char *dot = strrchr(base ? base + 1 : path, '.');
  return dot;
}

static gboolean reader_has_extension(const KqReader *r, const char *ext)
{
  if (!ext)
    return FALSE;
  for (const char *const *e = r->extensions; *e; e++)
    if (g_ascii_strcasecmp(*e, ext) == 0)
      return TRUE;
  return FALSE;
}

/* The input extensions of design.md, whichever reader ends up taking the
 * file after sniffing. */
static const char *const input_extensions[] = {".html", ".htm", ".xhtml", ".xml", ".rss",
                                               ".atom", ".rdf", ".md", ".markdown", ".json",
                                               ".jsonl", ".txt", NULL};

gboolean kq_reader_is_input_name(const char *path)
{
  const char *ext = extension_of(path);
  for (const char *const *e = input_extensions; ext && *e; e++)
    if (g_ascii_strcasecmp(*e, ext) == 0)
      return TRUE;
  return FALSE;
}

/* A reader whose extension matches wins with any positive score; another
 * reader takes the file only when it is sure (an .xml holding an HTML page). */
const KqReader *kq_reader_choose(const char *path, const char *data, gsize len)
{
  const char *ext = extension_of(path);
  const KqReader *best = NULL;
  int best_score = 0;
  for (const KqReader *const *r = readers; *r; r++) {
    int score = (*r)->sniff(data, len);
    if (score <= 0)
      continue;
    if (!reader_has_extension(*r, ext)) {
      if (score < 90)
        continue;
      score -= 50;
    } else {
      score += 100;
    }
    if (score > best_score) {
      best = *r;
      best_score = score;
    }
  }
  return best;
}

/* UTF-16 with a BOM, or with the NUL pattern of ASCII text in UTF-16,
 * becomes UTF-8 so that every reader sees UTF-8 or a single-byte charset. */
static gboolean maybe_utf16(char **data, gsize *len, const char *path, KqLog *log)
{
  const guchar *d = (const guchar *)*data;
  const char *from = NULL;
  gsize skip = 0;
  if (*len >= 2 && d[0] == 0xFF && d[1] == 0xFE)
    from = "UTF-16LE", skip = 2;
  else if (*len >= 2 && d[0] == 0xFE && d[1] == 0xFF)
    from = "UTF-16BE", skip = 2;
  else if (*len >= 4 && d[0] != 0 && d[1] == 0 && d[2] != 0 && d[3] == 0)
    from = "UTF-16LE";
  else if (*len >= 4 && d[0] == 0 && d[1] != 0 && d[2] == 0 && d[3] != 0)
    from = "UTF-16BE";
  if (!from)
    return TRUE;
  gsize written = 0;
  GError *err = NULL;
  char *utf8 = g_convert_with_fallback(*data + skip, (gssize)((*len - skip) & ~(gsize)1),
                                       "UTF-8", from, "\xEF\xBF\xBD", NULL, &written, &err);
  if (!utf8) {
    g_clear_error(&err);
    return FALSE;
  }
  KQ_INFO(log, path, 0, "converted from %s", from);
  g_free(*data);
  *data = utf8;
  *len = written;
  return TRUE;
}

static gboolean is_blank(const char *data, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace(data[i]))
      return FALSE;
  return TRUE;
}

/* Binary: NULs in more than 1 % of the bytes, or control bytes that no
 * text uses in more than 5 % (a handful is tolerated in short files). A few stray NULs in text (a damaged save)
 * are dropped with a warning instead. */
static gboolean looks_binary(char *data, gsize *len, const char *path, KqLog *log)
{
  gsize nuls = 0, controls = 0;
  /* Control bytes that text uses; one test per byte for the rest, which
   * is nearly all of them (this loop sees every byte of every input). */
  const guint32 text_controls = 1u << '\n' | 1u << '\r' | 1u << '\t' | 1u << '\f';
  for (gsize i = 0; i < *len; i++) {
    guchar c = (guchar)data[i];
    if (G_LIKELY(c >= 0x20))
      continue;
    if (c == 0)
      nuls++;
    else if (!(text_controls >> c & 1))
      controls++;
  }
  if (nuls > MAX(8, *len / 100) || controls > MAX(8, *len / 20))
    return TRUE;
  if (nuls > 0) {
    gsize j = 0;
    for (gsize i = 0; i < *len; i++)
      if (data[i] != '\0')
        data[j++] = data[i];
    data[j] = '\0';
    *len = j;
    KQ_WARN(log, path, 0, "%" G_GSIZE_FORMAT " NUL byte%s removed", nuls, nuls == 1 ? "" : "s");
  }
  return FALSE;
}

/* Loads a regular file of at most max bytes. The size is checked on the
 * open descriptor and again while reading, so a file that grows or is
 * swapped after the check cannot make us read more. */
static gboolean load_bounded(const char *path, gsize max, char **data, gsize *len,
                             GError **error)
{
  int fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    int e = errno;
    g_set_error(error, KQ_READ_ERROR, KQ_READ_ERROR_IO, "%s", g_strerror(e));
    return FALSE;
  }
  struct stat st;
  gboolean ok = FALSE;
  GString *buf = NULL;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    g_set_error(error, KQ_READ_ERROR, KQ_READ_ERROR_NOT_INPUT, "not a regular file");
    goto out;
  }
  if ((guint64)st.st_size > max) {
    g_set_error(error, KQ_READ_ERROR, KQ_READ_ERROR_LIMIT,
                "%" G_GUINT64_FORMAT " bytes, over the %" G_GSIZE_FORMAT
                "-byte input limit (--max-input)",
                (guint64)st.st_size, max);
    goto out;
  }
  buf = g_string_sized_new((gsize)st.st_size + 1);
  for (;;) {
    char chunk[65536];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int e = errno;
      g_set_error(error, KQ_READ_ERROR, KQ_READ_ERROR_IO, "%s", g_strerror(e));
      goto out;
    }
    if (n == 0)
      break;
    if (buf->len + (gsize)n > max) {
      g_set_error(error, KQ_READ_ERROR, KQ_READ_ERROR_LIMIT,
                  "over the %" G_GSIZE_FORMAT "-byte input limit (--max-input)", max);
      goto out;
    }
    g_string_append_len(buf, chunk, n);
  }
  *len = buf->len;
  *data = g_string_free(buf, FALSE);
  buf = NULL;
  ok = TRUE;
out:
  if (buf)
    g_string_free(buf, TRUE);
  close(fd);
  return ok;
}

gboolean kq_read_buffer(const char *path, const char *data, gsize len,
                        const KqReadOptions *opts, KqLog *log, GPtrArray *out, GError **error)
{
  KqReadOptions defaults;
  if (!opts) {
    kq_read_options_init(&defaults);
    opts = &defaults;
  }
  char *copy = NULL;
  gboolean ok = FALSE;
  if (is_blank(data, len)) {
    g_set_error(error, KQ_READ_ERROR, KQ_READ_ERROR_EMPTY, "empty file");
    return FALSE;
  }
  copy = g_malloc(len + 1);
  memcpy(copy, data, len);
  copy[len] = '\0';
  if (!maybe_utf16(&copy, &len, path, log) || looks_binary(copy, &len, path, log)) {
    g_set_error(error, KQ_READ_ERROR, KQ_READ_ERROR_NOT_INPUT,
                "binary data, not a text input");
    goto out;
  }
  const KqReader *reader = kq_reader_choose(path, copy, len);
  if (!reader) {
    g_set_error(error, KQ_READ_ERROR, KQ_READ_ERROR_NOT_INPUT,
                "content does not match its extension (no reader recognises it)");
    goto out;
  }
  guint before = out->len;
  guint warned = log ? (guint)g_atomic_int_get((gint *)&log->n_warnings) : 0;
  if (!reader->read(path, copy, len, opts, log, out, error))
    goto out;
  /* a reader that warned about this file has named it (one warning per bad
   * input): the names cap below is the same damage, not said again */
  gboolean named = log && (guint)g_atomic_int_get((gint *)&log->n_warnings) != warned;
  gsize max_article = kq_read_max_article(opts);
  guint removed = 0;
  for (guint i = before; i < out->len; i++) {
    KqArticle *a = g_ptr_array_index(out, i);
    removed += kq_article_clean(a); /* the model boundary: text safe for every sink */
    if (!named && (a->authors->len >= KQ_MAX_NAMES || a->topics->len >= KQ_MAX_NAMES))
      KQ_WARN(log, path, 0, "article \"%s\": %d %s or more: the first %d kept, the rest ignored",
              a->title ? a->title : "", KQ_MAX_NAMES,
              a->authors->len >= KQ_MAX_NAMES ? "authors" : "topics", KQ_MAX_NAMES);
    if (kq_article_cap_body(a, max_article))
      KQ_WARN(log, path, 0, "article \"%s\" longer than %" G_GSIZE_FORMAT
              " bytes (--max-article): the rest is dropped", a->title ? a->title : "", max_article);
    kq_article_finish(a);
  }
  if (removed)
    KQ_WARN(log, path, 0, "%u invalid character%s removed (bytes that are not UTF-8, "
            "surrogates or Unicode noncharacters)", removed, removed == 1 ? "" : "s");
  ok = TRUE;
out:
  g_free(copy);
  return ok;
}

gboolean kq_read_file(const char *path, const KqReadOptions *opts, KqLog *log, GPtrArray *out,
                      GError **error)
{
  KqReadOptions defaults;
  if (!opts) {
    kq_read_options_init(&defaults);
    opts = &defaults;
  }
  gsize max = kq_read_max_input(opts);
  char *data = NULL;
  gsize len = 0;
  if (!load_bounded(path, max, &data, &len, error))
    return FALSE;
  gboolean ok = kq_read_buffer(path, data, len, opts, log, out, error);
  g_free(data);
  return ok;
}
