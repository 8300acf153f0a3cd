/* library.c: a folder of editions as an OPDS 1.2 acquisition catalog, cover thumbnails and an index.html shelf. */
#include "kiosque/library.h"

#include <errno.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>
#include <zip.h>

#include "kiosque/chunk.h"
#include "kiosque/dir.h"
#include "kiosque/lock.h"
#include "kiosque/output.h"

G_DEFINE_QUARK(kq-library-error-quark, kq_library_error)

/* Bounds on what an EPUB may make us read: its OPF and its cover. */
#define MAX_OPF_BYTES (4u << 20)
#define MAX_COVER_BYTES (32u << 20)
#define MAX_COVER_PIXELS (40u * 1000u * 1000u)
#define THUMB_WIDTH 240

#define OPDS_ACQ "application/atom+xml;profile=opds-catalog;kind=acquisition"

/* An edition's cover and the files the library makes of it. Its strings
 * belong to the edition's texts. */
typedef struct {
  GBytes *bytes;         /* the EPUB's cover image (owned), or NULL */
  const char *type, *ext;/* its media type and file extension */
  const char *file;      /* "covers/STEM.cover.EXT" once written, else NULL */
  const char *thumb;     /* "covers/STEM.thumb.jpg" once written, else NULL */
  int thumb_w, thumb_h;
} Cover;

/* One edition of the folder. Its strings, and its cover's, are set once
 * and never changed: texts owns them all. */
typedef struct {
  GStringChunk *texts;
  const char *epub;      /* file name in the folder */
  const char *stem;      /* file name without ".epub" */
  const char *pdf;       /* the PDF of the same stem, or NULL */
  const char *title, *lang, *id, *period;
  GDateTime *date; /* dcterms:modified, else dc:date, else the file's time (UTC) */
  guint articles;
  Cover cover;
} Edition;

/* The edition of file name (NAME.epub). */
static Edition *edition_new(const char *name)
{
  Edition *e = g_new0(Edition, 1);
  e->texts = g_string_chunk_new(256);
  e->epub = g_string_chunk_insert(e->texts, name);
  e->stem = g_string_chunk_insert_len(e->texts, name, (gssize)strlen(name) - 5);
  return e;
}

static void edition_free(Edition *e)
{
  g_string_chunk_free(e->texts);
  g_clear_pointer(&e->date, g_date_time_unref);
  g_clear_pointer(&e->cover.bytes, g_bytes_unref);
  g_free(e);
}

/* ---- Reading an EPUB ------------------------------------------------------------ */

/* The bytes of one zip entry, at most max; NULL when absent or larger. */
static GBytes *zip_read(zip_t *z, const char *name, zip_uint64_t max)
{
  zip_stat_t st;
  if (zip_stat(z, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || st.size > max)
    return NULL;
  zip_file_t *f = zip_fopen(z, name, 0);
  if (!f)
    return NULL;
  char *buf = g_malloc(st.size + 1);
  zip_int64_t n = zip_fread(f, buf, st.size);
  zip_fclose(f);
  if (n < 0 || (zip_uint64_t)n != st.size) {
    g_free(buf);
    return NULL;
  }
  buf[st.size] = '\0';
  return g_bytes_new_take(buf, st.size);
}

static xmlDoc *parse_xml(GBytes *bytes)
{
  gsize n;
  const char *data = g_bytes_get_data(bytes, &n);
  /* no network, no entity expansion, no DTD loading: an EPUB is untrusted */
  return xmlReadMemory(data, (int)n, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                   XML_PARSE_NOWARNING);
}

static gboolean named(const xmlNode *n, const char *local)
{
  return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, local) == 0;
}

/* n's text without surrounding white space, as one of e's texts; NULL when blank. */
static const char *text_of(Edition *e, const xmlNode *n)
{
  xmlChar *t = xmlNodeGetContent(n);
  char *s = g_strstrip(g_strdup(t ? (const char *)t : ""));
  xmlFree(t);
  if (!*s) {
    g_free(s);
    return NULL;
  }
  return kq_chunk_take(e->texts, s);
}

static char *attr(const xmlNode *n, const char *name)
{
  xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
  char *s = v ? g_strdup((const char *)v) : NULL;
  xmlFree(v);
  return s;
}

static const xmlNode *child(const xmlNode *n, const char *local)
{
  for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
    if (named(c, local))
      return c;
  return NULL;
}

/* The OPF's path inside the zip (META-INF/container.xml). */
static char *opf_path(zip_t *z)
{
  GBytes *b = zip_read(z, "META-INF/container.xml", 1u << 20);
  if (!b)
    return NULL;
  xmlDoc *doc = parse_xml(b);
  g_bytes_unref(b);
  char *path = NULL;
  const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
  const xmlNode *rootfiles = root ? child(root, "rootfiles") : NULL;
  for (const xmlNode *c = rootfiles ? rootfiles->children : NULL; c && !path; c = c->next)
    if (named(c, "rootfile"))
      path = attr(c, "full-path");
  xmlFreeDoc(doc);
  return path;
}

/* href (relative to the OPF's folder, percent-encoded) as a zip entry name;
 * NULL when it climbs out of the zip. */
static char *resolve_href(const char *opf, const char *href)
{
  char *plain = g_uri_unescape_string(href, NULL);
  if (!plain)
    return NULL;
  char *dir = g_path_get_dirname(opf);
  char *joined = strcmp(dir, ".") == 0 ? g_strdup(plain) : g_strconcat(dir, "/", plain, NULL);
  g_free(dir);
  g_free(plain);
  char **parts = g_strsplit(joined, "/", -1);
  g_free(joined);
  GPtrArray *out = g_ptr_array_new();
  gboolean ok = TRUE;
  for (char **p = parts; *p && ok; p++) {
    if (!**p || strcmp(*p, ".") == 0)
      continue;
    if (strcmp(*p, "..") == 0) {
      if (out->len == 0)
        ok = FALSE;
      else
        g_ptr_array_set_size(out, out->len - 1);
      continue;
    }
    g_ptr_array_add(out, *p);
  }
  g_ptr_array_add(out, NULL);
  char *name = ok ? g_strjoinv("/", (char **)out->pdata) : NULL;
  g_ptr_array_free(out, TRUE);
  g_strfreev(parts);
  return name;
}

static GDateTime *parse_date(const char *text)
{
  if (!text)
    return NULL;
  GTimeZone *utc = g_time_zone_new_utc();
  GDateTime *d = g_date_time_new_from_iso8601(text, utc);
  if (!d && strlen(text) == 10) { /* YYYY-MM-DD */
    char *t = g_strconcat(text, "T00:00:00Z", NULL);
    d = g_date_time_new_from_iso8601(t, utc);
    g_free(t);
  }
  g_time_zone_unref(utc);
  return d;
}

static const char *image_ext(const char *type)
{
  static const char *const known[][2] = {{"image/jpeg", "jpg"}, {"image/png", "png"},
                                         {"image/gif", "gif"},  {"image/webp", "webp"},
                                         {"image/svg+xml", "svg"}};
  for (gsize i = 0; i < G_N_ELEMENTS(known); i++)
    if (g_strcmp0(type, known[i][0]) == 0)
      return known[i][1];
  return NULL;
}

/* Metadata of one EPUB from its OPF; FALSE with a reason when unreadable. */
static gboolean read_epub(const char *path, Edition *e, char **why)
{
  int zerr = 0;
  zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
  if (!z) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, zerr);
    *why = g_strdup_printf("not a readable EPUB (zip: %s)", zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return FALSE;
  }
  char *opf = opf_path(z);
  GBytes *b = opf ? zip_read(z, opf, MAX_OPF_BYTES) : NULL;
  xmlDoc *doc = b ? parse_xml(b) : NULL;
  g_clear_pointer(&b, g_bytes_unref);
  const xmlNode *pkg = doc ? xmlDocGetRootElement(doc) : NULL;
  const xmlNode *meta = pkg && named(pkg, "package") ? child(pkg, "metadata") : NULL;
  if (!meta) {
    *why = g_strdup(opf ? "its package document (OPF) cannot be read"
                        : "no META-INF/container.xml naming a package document");
    xmlFreeDoc(doc);
    g_free(opf);
    zip_discard(z);
    return FALSE;
  }
  char *uid_ref = attr(pkg, "unique-identifier"), *cover_id = NULL;
  const char *modified = NULL, *dc_date = NULL, *first_id = NULL;
  for (const xmlNode *c = meta->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    if (named(c, "title") && !e->title) {
      e->title = text_of(e, c);
    } else if (named(c, "language") && !e->lang) {
      e->lang = text_of(e, c);
    } else if (named(c, "identifier")) {
      char *idattr = attr(c, "id");
      if (!e->id && uid_ref && g_strcmp0(idattr, uid_ref) == 0)
        e->id = text_of(e, c);
      if (!first_id)
        first_id = text_of(e, c);
      g_free(idattr);
    } else if (named(c, "date") && !dc_date) {
      dc_date = text_of(e, c);
    } else if (named(c, "description") && !e->period) {
      e->period = text_of(e, c);
    } else if (named(c, "meta")) {
      char *prop = attr(c, "property"), *name = attr(c, "name");
      if (g_strcmp0(prop, "dcterms:modified") == 0 && !modified)
        modified = text_of(e, c);
      else if (g_strcmp0(name, "cover") == 0 && !cover_id)
        cover_id = attr(c, "content");
      g_free(prop);
      g_free(name);
    }
  }
  if (!e->id)
    e->id = first_id;
  e->date = parse_date(modified);
  if (!e->date)
    e->date = parse_date(dc_date);
  /* kiosque writes one manifest item "art-NNNN" per article; another EPUB
   * counts its spine documents */
  const xmlNode *manifest = child(pkg, "manifest");
  char *cover_href = NULL;
  for (const xmlNode *c = manifest ? manifest->children : NULL; c; c = c->next) {
    if (!named(c, "item"))
      continue;
    char *id = attr(c, "id"), *props = attr(c, "properties"), *type = attr(c, "media-type");
    if (id && g_str_has_prefix(id, "art-") && id[4] &&
        strspn(id + 4, "0123456789") == strlen(id + 4))
      e->articles++;
    gboolean is_cover = (props && strstr(props, "cover-image")) ||
                        (cover_id && g_strcmp0(id, cover_id) == 0 && !cover_href);
    if (is_cover && image_ext(type)) {
      g_free(cover_href);
      cover_href = attr(c, "href");
      e->cover.type = g_string_chunk_insert(e->texts, type);
    }
    g_free(id);
    g_free(props);
    g_free(type);
  }
  if (e->articles == 0) {
    const xmlNode *spine = child(pkg, "spine");
    for (const xmlNode *c = spine ? spine->children : NULL; c; c = c->next)
      if (named(c, "itemref"))
        e->articles++;
  }
  if (cover_href) {
    char *entry = resolve_href(opf, cover_href);
    if (entry)
      e->cover.bytes = zip_read(z, entry, MAX_COVER_BYTES);
    if (e->cover.bytes)
      e->cover.ext = image_ext(e->cover.type);
    g_free(entry);
  }
  g_free(cover_href);
  g_free(uid_ref);
  g_free(cover_id);
  g_free(opf);
  xmlFreeDoc(doc);
  zip_discard(z);
  return TRUE;
}

/* ---- Writing ---------------------------------------------------------------------- */

static gboolean write_file(const char *path, const void *data, gsize len, GPtrArray *written,
                           GError **error)
{
  KqOutput *out = kq_output_begin(path, FALSE, error);
  if (!out)
    return FALSE;
  if (!kq_output_write(out, data, len, error)) {
    kq_output_abort(out);
    return FALSE;
  }
  if (!kq_output_commit(out, error))
    return FALSE;
  if (written)
    g_ptr_array_add(written, g_strdup(path));
  return TRUE;
}

/* Refuses covers too large to decode before any pixel is. */
static void size_prepared(GdkPixbufLoader *loader, int w, int h, gpointer data)
{
  gboolean *too_large = data;
  if (w <= 0 || h <= 0 || (guint64)w * (guint64)h > MAX_COVER_PIXELS) {
    *too_large = TRUE;
    gdk_pixbuf_loader_set_size(loader, 1, 1);
    return;
  }
  if (w > THUMB_WIDTH) /* decode straight at the thumbnail's size */
    gdk_pixbuf_loader_set_size(loader, THUMB_WIDTH, MAX(1, (int)((gint64)h * THUMB_WIDTH / w)));
}

/* A JPEG thumbnail THUMB_WIDTH pixels wide (smaller covers kept at their
 * size); NULL with a reason. */
static GBytes *thumbnail(GBytes *cover, int *w, int *h, char **why)
{
  GError *err = NULL;
  gboolean too_large = FALSE;
  GdkPixbufLoader *loader = gdk_pixbuf_loader_new();
  g_signal_connect(loader, "size-prepared", G_CALLBACK(size_prepared), &too_large);
  gsize n;
  const guchar *data = g_bytes_get_data(cover, &n);
  gboolean ok = gdk_pixbuf_loader_write(loader, data, n, &err);
  ok = gdk_pixbuf_loader_close(loader, ok ? &err : NULL) && ok;
  GdkPixbuf *pix = ok && !too_large ? gdk_pixbuf_loader_get_pixbuf(loader) : NULL;
  GBytes *jpeg = NULL;
  if (pix) {
    GdkPixbuf *flat = pix;
    if (gdk_pixbuf_get_has_alpha(pix)) /* JPEG has no alpha: on white */
      flat = gdk_pixbuf_composite_color_simple(pix, gdk_pixbuf_get_width(pix),
                                               gdk_pixbuf_get_height(pix),
                                               GDK_INTERP_BILINEAR, 255, 8, 0xffffff, 0xffffff);
    char *buf = NULL;
    gsize len = 0;
    if (flat && gdk_pixbuf_save_to_buffer(flat, &buf, &len, "jpeg", &err, "quality", "85", NULL)) {
      jpeg = g_bytes_new_take(buf, len);
      *w = gdk_pixbuf_get_width(flat);
      *h = gdk_pixbuf_get_height(flat);
    }
    if (flat && flat != pix)
      g_object_unref(flat);
  }
  if (!jpeg)
    *why = g_strdup(too_large ? "cover image too large to decode"
                    : err     ? err->message
                              : "cover image cannot be decoded");
  g_clear_error(&err);
  g_object_unref(loader);
  return jpeg;
}

/* A file name as a relative URL (percent-encoded; '/' between folders kept). */
static char *url(const char *name)
{
  return g_uri_escape_string(name, "/", FALSE);
}

static void esc(GString *s, const char *text)
{
  char *e = g_markup_escape_text(text ? text : "", -1);
  g_string_append(s, e);
  g_free(e);
}

static char *rfc3339(GDateTime *d)
{
  return g_date_time_format(d, "%Y-%m-%dT%H:%M:%SZ");
}

/* "décembre 2025 – mars 2026 · 12 articles" (the word is the same in
 * French and English). */
static char *summary(const Edition *e)
{
  GString *s = g_string_new(NULL);
  if (e->period)
    g_string_append_printf(s, "%s · ", e->period);
  g_string_append_printf(s, "%u article%s", e->articles, e->articles == 1 ? "" : "s");
  return g_string_free(s, FALSE);
}

static char *page_name(guint page)
{
  return page == 1 ? g_strdup("catalog.xml") : g_strdup_printf("catalog-%u.xml", page);
}

static void feed_link(GString *s, const char *rel, const char *href, const char *type,
                      const char *title)
{
  g_string_append_printf(s, "  <link rel=\"%s\" href=\"", rel);
  esc(s, href);
  g_string_append_printf(s, "\" type=\"%s\"", type);
  if (title) {
    g_string_append(s, " title=\"");
    esc(s, title);
    g_string_append(s, "\"");
  }
  g_string_append(s, "/>\n");
}

static void page_link(GString *s, const char *rel, guint page)
{
  char *name = page_name(page);
  feed_link(s, rel, name, OPDS_ACQ, NULL);
  g_free(name);
}

/* One page of the OPDS feed: editions [from, to) of n, page `page` of
 * `pages`. */
static char *feed_page(GPtrArray *eds, guint page, guint pages, const char *title,
                       const char *feed_id, GDateTime *updated)
{
  GString *s = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
                            "xmlns:dc=\"http://purl.org/dc/terms/\" "
                            "xmlns:opds=\"http://opds-spec.org/2010/catalog\">\n");
  g_string_append_printf(s, "  <id>%s</id>\n  <title>", feed_id);
  esc(s, title);
  char *up = rfc3339(updated);
  g_string_append_printf(s, "</title>\n  <updated>%s</updated>\n"
                            "  <author><name>kiosque</name></author>\n", up);
  g_free(up);
  page_link(s, "self", page);
  page_link(s, "start", 1);
  if (pages > 1) {
    page_link(s, "first", 1);
    page_link(s, "last", pages);
  }
  if (page > 1)
    page_link(s, "previous", page - 1);
  if (page < pages)
    page_link(s, "next", page + 1);
  feed_link(s, "alternate", "index.html", "text/html", NULL);
  guint from = (page - 1) * KQ_LIBRARY_PAGE_SIZE;
  guint to = MIN(eds->len, from + KQ_LIBRARY_PAGE_SIZE);
  for (guint i = from; i < to; i++) {
    const Edition *e = g_ptr_array_index(eds, i);
    g_string_append(s, "  <entry>\n    <title>");
    esc(s, e->title ? e->title : e->stem);
    g_string_append(s, "</title>\n    <id>");
    if (e->id) {
      esc(s, e->id);
    } else {
      char *u = url(e->epub);
      g_string_append(s, "urn:kiosque:file:");
      esc(s, u);
      g_free(u);
    }
    char *d = rfc3339(e->date);
    g_string_append_printf(s, "</id>\n    <updated>%s</updated>\n", d);
    g_string_append_printf(s, "    <dc:issued>%.10s</dc:issued>\n", d);
    g_free(d);
    if (e->lang) {
      g_string_append(s, "    <dc:language>");
      esc(s, e->lang);
      g_string_append(s, "</dc:language>\n");
    }
    char *sum = summary(e);
    g_string_append(s, "    <summary type=\"text\">");
    esc(s, sum);
    g_string_append(s, "</summary>\n");
    g_string_append_printf(s, "    <dc:extent>%u article%s</dc:extent>\n", e->articles,
                           e->articles == 1 ? "" : "s");
    g_free(sum);
    if (e->cover.file) {
      char *u = url(e->cover.file);
      g_string_append(s, "  ");
      feed_link(s, "http://opds-spec.org/image", u, e->cover.type, NULL);
      g_free(u);
    }
    if (e->cover.thumb) {
      char *u = url(e->cover.thumb);
      g_string_append(s, "  ");
      feed_link(s, "http://opds-spec.org/image/thumbnail", u, "image/jpeg", NULL);
      g_free(u);
    }
    char *u = url(e->epub);
    g_string_append(s, "  ");
    feed_link(s, "http://opds-spec.org/acquisition", u, "application/epub+zip", "EPUB");
    g_free(u);
    if (e->pdf) {
      u = url(e->pdf);
      g_string_append(s, "  ");
      feed_link(s, "http://opds-spec.org/acquisition", u, "application/pdf", "PDF");
      g_free(u);
    }
    g_string_append(s, "  </entry>\n");
  }
  g_string_append(s, "</feed>\n");
  return g_string_free(s, FALSE);
}

static const char *const html_style =
    "body{font-family:'Linux Biolinum O',system-ui,sans-serif;margin:1.5em auto;max-width:"
    "72em;padding:0 1em;color:#222;background:#fafaf7}\n"
    "h1{font-weight:600;margin-bottom:.2em}\n"
    ".lead{color:#555;margin-top:0}\n"
    ".shelf{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,"
    "minmax(13em,1fr));gap:1.5em}\n"
    ".shelf li{background:#fff;border:1px solid #ddd;border-radius:4px;padding:.8em}\n"
    ".shelf img{display:block;width:100%;height:auto;border:1px solid #ccc}\n"
    ".shelf .nocover{aspect-ratio:2/3;background:#e8e4dc;display:flex;align-items:center;"
    "justify-content:center;color:#777}\n"
    ".shelf h2{font-size:1.05em;margin:.6em 0 .2em}\n"
    ".shelf p{margin:.2em 0;color:#555;font-size:.92em}\n"
    ".shelf a.get{display:inline-block;margin:.4em .4em 0 0;padding:.2em .7em;border:1px solid "
    "#888;border-radius:3px;text-decoration:none;color:#222}\n";

static char *index_html(GPtrArray *eds, const char *title, const char *lang)
{
  GString *s = g_string_new("<!DOCTYPE html>\n<html lang=\"");
  esc(s, lang ? lang : "und");
  g_string_append(s, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>");
  esc(s, title);
  g_string_append(s, "</title>\n<link rel=\"icon\" href=\"data:,\">\n"
                     "<link rel=\"alternate\" type=\"" OPDS_ACQ "\" href=\"catalog.xml\" "
                     "title=\"OPDS\">\n<style>\n");
  g_string_append(s, html_style);
  g_string_append(s, "</style>\n</head>\n<body>\n<h1>");
  esc(s, title);
  g_string_append_printf(s, "</h1>\n<p class=\"lead\">%u edition%s · "
                            "<a href=\"catalog.xml\">OPDS</a></p>\n<ul class=\"shelf\">\n",
                         eds->len, eds->len == 1 ? "" : "s");
  for (guint i = 0; i < eds->len; i++) {
    const Edition *e = g_ptr_array_index(eds, i);
    g_string_append(s, "<li");
    if (e->lang) {
      g_string_append(s, " lang=\"");
      esc(s, e->lang);
      g_string_append(s, "\"");
    }
    char *epub = url(e->epub);
    g_string_append(s, ">\n<a href=\"");
    esc(s, epub);
    g_string_append(s, "\">");
    if (e->cover.thumb) {
      char *u = url(e->cover.thumb);
      g_string_append(s, "<img src=\"");
      esc(s, u);
      g_string_append_printf(s, "\" width=\"%d\" height=\"%d\" alt=\"\">", e->cover.thumb_w,
                             e->cover.thumb_h);
      g_free(u);
    } else {
      g_string_append(s, "<div class=\"nocover\">EPUB</div>");
    }
    g_string_append(s, "</a>\n<h2>");
    esc(s, e->title ? e->title : e->stem);
    g_string_append(s, "</h2>\n<p>");
    char *sum = summary(e);
    esc(s, sum);
    g_free(sum);
    char *day = g_date_time_format(e->date, "%Y-%m-%d");
    g_string_append_printf(s, "</p>\n<p><time datetime=\"%s\">%s</time>", day, day);
    g_free(day);
    if (e->lang) {
      g_string_append(s, " · ");
      esc(s, e->lang);
    }
    g_string_append(s, "</p>\n<p><a class=\"get\" type=\"application/epub+zip\" href=\"");
    esc(s, epub);
    g_string_append(s, "\">EPUB</a>");
    g_free(epub);
    if (e->pdf) {
      char *u = url(e->pdf);
      g_string_append(s, "<a class=\"get\" type=\"application/pdf\" href=\"");
      esc(s, u);
      g_string_append(s, "\">PDF</a>");
      g_free(u);
    }
    g_string_append(s, "</p>\n</li>\n");
  }
  g_string_append(s, "</ul>\n</body>\n</html>\n");
  return g_string_free(s, FALSE);
}

/* Newest first; the file name decides between equals (never a hash order). */
static gint newest_first(gconstpointer pa, gconstpointer pb)
{
  const Edition *a = *(const Edition *const *)pa, *b = *(const Edition *const *)pb;
  gint c = g_date_time_compare(b->date, a->date);
  return c ? c : strcmp(a->epub, b->epub);
}

/* The feed's id: stable for a folder (its real path), an IRI. */
static char *feed_id(const char *dir)
{
  char *real = g_canonicalize_filename(dir, NULL);
  char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA1, real, -1);
  char *id = g_strdup_printf("urn:uuid:%.8s-%.4s-5%.3s-a%.3s-%.12s", sum, sum + 8, sum + 12,
                             sum + 15, sum + 18);
  g_free(sum);
  g_free(real);
  return id;
}

/* Removes what a previous run wrote and no edition needs now: catalog
 * pages past `pages`, covers not in keep. */
static void remove_stale(const char *dir, guint pages, GHashTable *keep)
{
  GDir *d = g_dir_open(dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d))) {
    guint n = 0;
    char tail[8];
    if (sscanf(name, "catalog-%u.%7s", &n, tail) == 2 && strcmp(tail, "xml") == 0 && n > pages) {
      char *p = g_build_filename(dir, name, NULL);
      g_unlink(p);
      g_free(p);
    }
  }
  g_clear_pointer(&d, g_dir_close);
  char *covers = g_build_filename(dir, "covers", NULL);
  d = g_dir_open(covers, 0, NULL);
  while (d && (name = g_dir_read_name(d))) {
    char *rel = g_strconcat("covers/", name, NULL);
    if ((strstr(name, ".thumb.") || strstr(name, ".cover.")) && !g_hash_table_contains(keep, rel)) {
      char *p = g_build_filename(covers, name, NULL);
      g_unlink(p);
      g_free(p);
    }
    g_free(rel);
  }
  g_clear_pointer(&d, g_dir_close);
  g_free(covers);
}

int kq_library_write(const char *dir, const char *title, KqLog *log, GPtrArray *written,
                     GError **error)
{
  GError *err = NULL;
  GPtrArray *names = kq_dir_names(dir, &err);
  if (!names) {
    g_set_error(error, KQ_LIBRARY_ERROR, KQ_LIBRARY_ERROR_FOLDER, "%s", err->message);
    g_error_free(err);
    return -1;
  }
  GHashTable *present = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < names->len; i++)
    g_hash_table_add(present, g_ptr_array_index(names, i));

  /* one refresh at a time per folder (two cron jobs may end together) */
  char *catalog = g_build_filename(dir, "catalog.xml", NULL);
  KqLock *lock = kq_lock_acquire(catalog, KQ_DEFAULT_LOCK_TIMEOUT, &err);
  if (!lock) {
    g_set_error(error, KQ_LIBRARY_ERROR, KQ_LIBRARY_ERROR_WRITE, "%s", err->message);
    g_error_free(err);
    g_free(catalog);
    g_hash_table_unref(present);
    g_ptr_array_unref(names);
    return -1;
  }

  GPtrArray *eds = g_ptr_array_new_with_free_func((GDestroyNotify)edition_free);
  for (guint i = 0; i < names->len; i++) {
    const char *n = g_ptr_array_index(names, i);
    gsize len = strlen(n);
    if (len <= 5 || g_ascii_strcasecmp(n + len - 5, ".epub") != 0)
      continue;
    char *path = g_build_filename(dir, n, NULL);
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
      g_free(path);
      continue;
    }
    Edition *e = edition_new(n);
    char *why = NULL;
    if (!read_epub(path, e, &why)) {
      KQ_WARN(log, path, 0, "%s: left out of the library", why);
      g_free(why);
      edition_free(e);
      g_free(path);
      continue;
    }
    if (!e->date) {
      GStatBuf st;
      e->date = g_stat(path, &st) == 0 ? g_date_time_new_from_unix_utc(st.st_mtime)
                                       : g_date_time_new_from_unix_utc(0);
    }
    char *pdf = g_strconcat(e->stem, ".pdf", NULL);
    if (g_hash_table_contains(present, pdf))
      e->pdf = g_string_chunk_insert(e->texts, pdf);
    g_free(pdf);
    g_ptr_array_add(eds, e);
    g_free(path);
  }
  g_ptr_array_sort(eds, newest_first);

  gboolean ok = TRUE;
  GHashTable *keep = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  char *covers = g_build_filename(dir, "covers", NULL);
  for (guint i = 0; i < eds->len && ok; i++) {
    Edition *e = g_ptr_array_index(eds, i);
    if (!e->cover.bytes)
      continue;
    if (g_mkdir_with_parents(covers, 0777) != 0) {
      int en = errno;
      g_set_error(error, KQ_LIBRARY_ERROR, KQ_LIBRARY_ERROR_WRITE, "%s: %s", covers,
                  g_strerror(en));
      ok = FALSE;
      break;
    }
    char *why = NULL;
    GBytes *thumb = thumbnail(e->cover.bytes, &e->cover.thumb_w, &e->cover.thumb_h, &why);
    if (!thumb) {
      KQ_WARN(log, e->epub, 0, "no thumbnail in the library: %s", why);
      g_free(why);
    }
    e->cover.file =
        kq_chunk_take(e->texts, g_strdup_printf("covers/%s.cover.%s", e->stem, e->cover.ext));
    char *p = g_build_filename(dir, e->cover.file, NULL);
    gsize n;
    const void *data = g_bytes_get_data(e->cover.bytes, &n);
    ok = write_file(p, data, n, written, error);
    g_free(p);
    g_hash_table_add(keep, g_strdup(e->cover.file));
    if (ok && thumb) {
      e->cover.thumb = kq_chunk_take(e->texts, g_strdup_printf("covers/%s.thumb.jpg", e->stem));
      p = g_build_filename(dir, e->cover.thumb, NULL);
      data = g_bytes_get_data(thumb, &n);
      ok = write_file(p, data, n, written, error);
      g_free(p);
      g_hash_table_add(keep, g_strdup(e->cover.thumb));
    }
    g_clear_pointer(&thumb, g_bytes_unref);
  }
  g_free(covers);

  char *base = g_path_get_basename(dir);
  char *real = NULL;
  if (!title && (strcmp(base, ".") == 0 || strcmp(base, "/") == 0)) {
    real = g_canonicalize_filename(dir, NULL);
    g_free(base);
    base = g_path_get_basename(real);
  }
  const char *shelf_title = title ? title : base;
  /* the language most editions are in, for the page's lang */
  const char *lang = NULL;
  guint best = 0;
  for (guint i = 0; i < eds->len; i++) {
    const Edition *a = g_ptr_array_index(eds, i);
    guint c = 0;
    for (guint j = 0; j < eds->len; j++) {
      const Edition *b = g_ptr_array_index(eds, j);
      c += a->lang && g_strcmp0(a->lang, b->lang) == 0;
    }
    if (c > best)
      best = c, lang = a->lang;
  }
  guint pages = eds->len ? (eds->len + KQ_LIBRARY_PAGE_SIZE - 1) / KQ_LIBRARY_PAGE_SIZE : 1;
  GDateTime *updated = eds->len ? g_date_time_ref(((Edition *)g_ptr_array_index(eds, 0))->date)
                                : g_date_time_new_from_unix_utc(0);
  char *fid = feed_id(dir);
  for (guint page = 1; page <= pages && ok; page++) {
    char *xml = feed_page(eds, page, pages, shelf_title, fid, updated);
    char *pn = page_name(page);
    char *p = g_build_filename(dir, pn, NULL);
    ok = write_file(p, xml, strlen(xml), written, error);
    g_free(p);
    g_free(pn);
    g_free(xml);
  }
  if (ok) {
    char *html = index_html(eds, shelf_title, lang);
    char *p = g_build_filename(dir, "index.html", NULL);
    ok = write_file(p, html, strlen(html), written, error);
    g_free(p);
    g_free(html);
  }
  if (ok)
    remove_stale(dir, pages, keep);
  if (!ok && error && *error && (*error)->domain != KQ_LIBRARY_ERROR) {
    GError *e = *error;
    *error = g_error_new(KQ_LIBRARY_ERROR, KQ_LIBRARY_ERROR_WRITE, "%s", e->message);
    g_error_free(e);
  }
  int count = ok ? (int)eds->len : -1;
  g_free(fid);
  g_date_time_unref(updated);
  g_free(base);
  g_free(real);
  g_hash_table_unref(keep);
  kq_lock_release(lock);
  g_free(catalog);
  g_ptr_array_unref(eds);
  g_hash_table_unref(present);
  g_ptr_array_unref(names);
  return count;
}
