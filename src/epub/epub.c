/* epub.c: the EPUB 3 writer: package layout, OPF, navigation, NCX, cover, one XHTML per article. */
#include <fontconfig/fontconfig.h>
#include <string.h>
#include <zip.h>

#include "epub/images.h"
#include "epub/xhtml.h"
#include "kiosque/cover.h"
#include "kiosque/output.h"
#include "kiosque/pool.h"
#include "kiosque/typo.h"
#include "kiosque/writer.h"

/* Package layout (every name is ASCII):
 *   mimetype                      stored, first, no extra field
 *   META-INF/container.xml
 *   OEBPS/content.opf             package document
 *   OEBPS/nav.xhtml, toc.ncx      EPUB 3 navigation (not in the spine), EPUB 2 NCX
 *   OEBPS/contents.xhtml          the contents as a page of the reading order
 *   OEBPS/cover.xhtml, images/cover.jpg (or the user's --cover)
 *   OEBPS/style.css               styles/STYLE.css or --css
 *   OEBPS/grp-NNN.xhtml           one title page per group
 *   OEBPS/art-NNNN.xhtml          one document per article
 *   OEBPS/images/img-NNNN.EXT     local images, core media types
 *   OEBPS/fonts/NAME.otf           with --embed-fonts */

#define COVER_WIDTH 1200
#define COVER_HEIGHT 1800
#define MAX_META_NAMES 50 /* dc:creator, dc:publisher, dc:subject entries kept */

/* Namespace of kiosque's name-based (version 5) edition UUIDs. */
static const guint8 uuid_namespace[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                          0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};

/* One manifest item. */
typedef struct {
  char *id;
  char *href;
  const char *media_type;
  const char *properties; /* static or NULL */
} Item;

typedef struct {
  const KqEdition *ed;
  const KqWriteOptions *opts;
  KqLog *log;
  zip_t *zip;
  zip_source_t *buffer; /* the archive in memory */
  zip_uint16_t dostime, dosdate;
  char *lang;           /* edition language tag */
  GPtrArray *items;     /* Item*, manifest order */
  GPtrArray *spine;     /* char* ids, reading order (borrowed from items) */
  KqEpubImages images;
  GHashTable *image_hrefs; /* "source_path\nsrc" -> package href or "" (dropped);
                            * filled before the workers start, then read-only */
  gboolean has_gif;
  GError *error;        /* first error */
} Epub;

static void item_free(Item *it)
{
  g_free(it->id);
  g_free(it->href);
  g_free(it);
}

static Item *add_item(Epub *e, const char *id, const char *href, const char *media_type,
                      const char *properties)
{
  Item *it = g_new0(Item, 1);
  it->id = g_strdup(id);
  it->href = g_strdup(href);
  it->media_type = media_type;
  it->properties = properties;
  g_ptr_array_add(e->items, it);
  return it;
}

/* ---- Zip ----------------------------------------------------------------- */

/* DOS date and time of t in UTC, clamped to the format's 1980–2107 range. */
static void dos_time(gint64 t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
  GDateTime *dt = g_date_time_new_from_unix_utc(t);
  int y = dt ? g_date_time_get_year(dt) : 1980;
  if (!dt || y < 1980) {
    *ddate = (zip_uint16_t)((0 << 9) | (1 << 5) | 1);
    *dtime = 0;
  } else if (y > 2107) {
    *ddate = (zip_uint16_t)((127 << 9) | (12 << 5) | 31);
    *dtime = (zip_uint16_t)((23 << 11) | (59 << 5) | 29);
  } else {
    *ddate = (zip_uint16_t)(((y - 1980) << 9) | (g_date_time_get_month(dt) << 5) |
                            g_date_time_get_day_of_month(dt));
    *dtime = (zip_uint16_t)((g_date_time_get_hour(dt) << 11) |
                            (g_date_time_get_minute(dt) << 5) |
                            (g_date_time_get_second(dt) / 2));
  }
  g_clear_pointer(&dt, g_date_time_unref);
}

static void zip_fail(Epub *e, const char *what, const char *name)
{
  if (!e->error)
    g_set_error(&e->error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FORMAT, "zip: %s %s: %s", what, name,
                zip_strerror(e->zip));
}

/* Adds an entry holding data (taken: freed with free() by libzip, so it
 * must come from malloc/g_malloc). */
static void add_entry(Epub *e, const char *name, void *data, gsize len, gboolean store)
{
  if (e->error) {
    g_free(data);
    return;
  }
  zip_source_t *src = zip_source_buffer(e->zip, data, len, 1);
  if (!src) {
    g_free(data);
    zip_fail(e, "cannot buffer", name);
    return;
  }
  zip_int64_t idx = zip_file_add(e->zip, name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
  if (idx < 0) {
    zip_source_free(src);
    zip_fail(e, "cannot add", name);
    return;
  }
  /* Deflate level 1: libzip compresses serially in zip_close(), on the
   * critical path; level 6 saves only 5 % of the size for three times the time. */
  if (zip_set_file_compression(e->zip, (zip_uint64_t)idx, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                               store ? 0 : 1) < 0 ||
      zip_file_set_dostime(e->zip, (zip_uint64_t)idx, e->dostime, e->dosdate, 0) < 0 ||
      zip_file_extra_field_delete(e->zip, (zip_uint64_t)idx, ZIP_EXTRA_FIELD_ALL,
                                   ZIP_FL_CENTRAL | ZIP_FL_LOCAL) < 0)
    zip_fail(e, "cannot set up", name);
}

static void add_string(Epub *e, const char *name, GString *s)
{
  gsize len = s->len;
  /* GString grows by doubling: give back the slack, as libzip keeps every
   * entry until zip_close() (a third of the peak memory otherwise). */
  char *data = g_realloc(g_string_free(s, FALSE), len + 1);
  add_entry(e, name, data, len, FALSE);
}

static void add_bytes(Epub *e, const char *name, GBytes *bytes, gboolean store)
{
  gsize len;
  const void *d = g_bytes_get_data(bytes, &len);
  add_entry(e, name, g_memdup2(d, len), len, store);
}

/* ---- Text helpers ------------------------------------------------------------ */

/* Opens an element with lang attributes when tag differs from ctx. */
static void lang_if_differs(GString *out, const char *tag, const char *ctx)
{
  if (g_ascii_strcasecmp(tag, ctx) != 0)
    kq_xhtml_lang_attrs(out, tag);
}

/* Opens <name class="cls"> (no class when cls is NULL), in language tag
 * where it differs from ctx, the language of the enclosing element. */
static void open_element(GString *out, const char *name, const char *cls, const char *tag,
                         const char *ctx)
{
  g_string_append_printf(out, "<%s", name);
  if (cls)
    g_string_append_printf(out, " class=\"%s\"", cls);
  lang_if_differs(out, tag, ctx);
  g_string_append_c(out, '>');
}

/* A furniture item after others: the separator when sep, then text
 * (escaped) in a span of class cls. */
static void span_item(GString *out, gboolean sep, const char *cls, const char *text)
{
  if (sep)
    g_string_append(out, KQ_FURNITURE_SEP);
  g_string_append_printf(out, "<span class=\"%s\">", cls);
  kq_xhtml_escape(out, text, -1);
  g_string_append(out, "</span>");
}

/* A new XHTML document (size bytes reserved) in language lang, its head
 * linking the style sheet, opened up to its <body>. The body carries the
 * edition language as a class ("edition-fr"), so a style can follow the
 * edition's house rules (French paragraph indents) in every document,
 * whatever the article's own language; extra_class (or NULL) is added. */
static GString *xhtml_open(const Epub *e, gsize size, const char *lang, const char *title,
                           const char *extra_class)
{
  char primary[16];
  GString *out = g_string_sized_new(size);
  g_string_append(out,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
                  "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                  "xmlns:epub=\"http://www.idpf.org/2007/ops\"");
  kq_xhtml_lang_attrs(out, lang);
  g_string_append(out, ">\n<head>\n<meta charset=\"UTF-8\"/>\n<title>");
  kq_xhtml_escape(out, title, -1);
  g_string_append(out, "</title>\n"
                       "<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n"
                       "</head>\n<body class=\"edition-");
  kq_xhtml_escape(out, kq_lang_primary(e->lang, primary, sizeof primary), -1);
  if (extra_class)
    g_string_append_printf(out, " %s", extra_class);
  g_string_append(out, "\">\n");
  return out;
}

/* ---- Articles on the other cores ------------------------------------------------ */

/* Typesetting and rendering an article is most of an export's work and each
 * article is independent: the ordered pool (pool.h) typesets and renders
 * the article documents on worker threads, at most RENDER_WINDOW articles
 * ahead of the thread writing the package, which takes them strictly in
 * reading order, so the output does not depend on thread timing. Rendering
 * only reads shared state: the edition (its typeset bodies are made once,
 * thread-safely: kq_edition_article_body()) and the image table, filled by
 * a serial pass before the pool starts. */
#define RENDER_WINDOW 16

typedef struct {
  GString *xhtml; /* the document */
} Rendered;

static Rendered *render_article(const Epub *e, guint index, const KqArticle *src);

typedef struct {
  const Epub *e;
  const KqArticle **src; /* reading order, borrowed */
} Renderer;

static gpointer render_work(guint index, gpointer state, KqLog *log, gpointer data)
{
  (void)state, (void)log;
  const Renderer *t = data;
  return render_article(t->e, index, t->src[index]);
}

static void rendered_free(Rendered *r)
{
  if (!r)
    return;
  if (r->xhtml)
    g_string_free(r->xhtml, TRUE);
  g_free(r);
}

/* ---- Articles ------------------------------------------------------------------ */

static char *image_key(const char *source_path, const char *src)
{
  return g_strconcat(source_path ? source_path : "", "\n", src ? src : "", NULL);
}

/* Serial pass in reading order: every image of every article is checked,
 * converted and named here (warnings in a stable order). */
static void collect_images(Epub *e, const KqArticle *a, const GPtrArray *blocks)
{
  for (guint i = 0; blocks && i < blocks->len; i++) {
    const KqBlock *b = g_ptr_array_index(blocks, i);
    if (b->kind == KQ_BLOCK_IMAGE) {
      char *key = image_key(a->source_path, b->src);
      if (!g_hash_table_contains(e->image_hrefs, key)) {
        const char *href = kq_epub_images_add(&e->images, a->source_path, b->src);
        if (href && g_str_has_suffix(href, ".gif"))
          e->has_gif = TRUE;
        g_hash_table_insert(e->image_hrefs, key, g_strdup(href ? href : ""));
      } else {
        g_free(key);
      }
    }
    collect_images(e, a, b->children);
  }
}

typedef struct {
  const Epub *e;
  const KqArticle *a;
} ImageCtx;

static const char *image_cb(const KqBlock *block, gpointer user_data)
{
  const ImageCtx *ic = user_data;
  char *key = image_key(ic->a->source_path, block->src);
  const char *href = g_hash_table_lookup(ic->e->image_hrefs, key);
  g_free(key);
  return href && *href ? href : NULL;
}

/* Escaped names joined as the furniture joins them, each in a span of
 * class cls (and of the article's language where the element's differs). */
static void names(GString *out, const GPtrArray *list, const char *cls, const char *lang,
                  const char *ctx_lang)
{
  for (guint i = 0; i < list->len; i++) {
    gboolean other = g_ascii_strcasecmp(lang, ctx_lang) != 0;
    if (i)
      g_string_append(out, KQ_FURNITURE_LIST_SEP);
    if (cls || other) {
      g_string_append(out, "<span");
      if (cls)
        g_string_append_printf(out, " class=\"%s\"", cls);
      if (other)
        kq_xhtml_lang_attrs(out, lang);
      g_string_append(out, ">");
    }
    kq_xhtml_escape(out, g_ptr_array_index(list, i), -1);
    if (cls || other)
      g_string_append(out, "</span>");
  }
}

/* Renders one article document: its body typeset here, every other text
 * read from the edition's furniture (furniture.h). Thread-safe: reads e only. */
static Rendered *render_article(const Epub *e, guint index, const KqArticle *src)
{
  const KqArticleFurniture *f = kq_edition_article_furniture(e->ed, index);
  const char *ed_lang = e->lang;
  const char *lang = f->lang; /* the article's texts */
  GString *out = xhtml_open(e, 8192, lang, f->title.text, NULL);
  g_string_append(out, "<article class=\"article\">\n<header>\n");

  /* Kicker: topics and site. */
  if (f->kicker) {
    g_string_append(out, "<p class=\"kicker\">");
    names(out, f->topics, "topic", lang, lang);
    if (f->site)
      span_item(out, f->topics->len > 0, "site", f->site);
    g_string_append(out, "</p>\n");
  }
  g_string_append(out, "<h1>");
  kq_xhtml_runs(out, f->title.runs, lang);
  g_string_append(out, "</h1>\n");
  if (f->standfirst.runs) {
    g_string_append(out, "<p class=\"standfirst\">");
    kq_xhtml_runs(out, f->standfirst.runs, lang);
    g_string_append(out, "</p>\n");
  }
  /* Byline and dateline: labels and dates in the edition language. */
  if (f->byline) {
    g_string_append(out, "<p class=\"byline\">");
    open_element(out, "span", NULL, ed_lang, lang);
    kq_xhtml_escape(out, f->by, -1);
    g_string_append(out, "</span> ");
    names(out, f->authors, "author", lang, lang);
    g_string_append(out, "</p>\n");
  }
  if (f->dateline) {
    open_element(out, "p", "dateline", ed_lang, lang);
    if (f->date)
      kq_xhtml_append(out, "<time datetime=\"%s\">%s</time>", f->date_iso, f->date);
    if (f->views)
      span_item(out, f->date != NULL, "views", f->views);
    g_string_append(out, "</p>\n");
  }
  g_string_append(out, "</header>\n");

  /* the body typeset by the edition, shared with the PDF (collect.h) */
  ImageCtx ic = {e, src};
  KqXhtmlContext ctx = {image_cb, &ic, lang};
  kq_xhtml_blocks(out, kq_edition_article_body(e->ed, index), &ctx);
  kq_edition_article_body_done(e->ed, index); /* the document holds a copy */

  /* Source link and cited sources. */
  if (f->link_line || f->sources_line) {
    open_element(out, "footer", "source", ed_lang, lang);
    g_string_append_c(out, '\n');
    if (f->link_line) {
      kq_xhtml_append(out, "<p class=\"source-url\">%s<a class=\"url\" href=\"%s\">",
                      f->link_label, f->href);
      kq_xhtml_escape_breakable(out, f->url, -1, FALSE);
      g_string_append(out, "</a></p>\n");
    }
    if (f->sources_line) {
      kq_xhtml_append(out, "<p class=\"cited-sources\">%s", f->sources_label);
      names(out, f->sources, NULL, lang, ed_lang); /* cited names are in the article's language */
      g_string_append(out, "</p>\n");
    }
    g_string_append(out, "</footer>\n");
  }
  g_string_append(out, "</article>\n</body>\n</html>\n");
  Rendered *r = g_new0(Rendered, 1);
  r->xhtml = out;
  return r;
}

/* ---- Group pages ----------------------------------------------------------------- */

/* Opens a list item linking to article index by its title; returns the
 * article's furniture (borrowed from the edition). */
static const KqArticleFurniture *article_link(GString *out, const Epub *e, guint index)
{
  const KqArticleFurniture *f = kq_edition_article_furniture(e->ed, index);
  g_string_append_printf(out, "<li><a href=\"art-%04u.xhtml\"", index + 1);
  lang_if_differs(out, f->lang, e->lang);
  g_string_append_c(out, '>');
  kq_xhtml_escape(out, f->title.text, -1);
  g_string_append(out, "</a>");
  return f;
}

static void write_group(Epub *e, const KqGroup *g, const KqGroupFurniture *gf, const char *name,
                        guint first_article)
{
  const char *gtitle = gf->title.text;
  GString *out = xhtml_open(e, 4096, e->lang, gtitle, NULL);
  kq_xhtml_append(out,
                  "<section class=\"group\" epub:type=\"part\" role=\"doc-part\" "
                  "aria-labelledby=\"group-title\">\n<h1 id=\"group-title\">%s</h1>\n"
                  "<p class=\"group-count\">%s</p>\n<ol class=\"group-toc\">\n",
                  gtitle, gf->count);
  for (guint i = 0; i < g->articles->len; i++) {
    const KqArticleFurniture *f = article_link(out, e, first_article + i);
    if (f->site) {
      g_string_append_c(out, ' ');
      span_item(out, FALSE, "site", f->site);
    }
    g_string_append(out, "</li>\n");
  }
  g_string_append(out, "</ol>\n</section>\n</body>\n</html>\n");
  char *entry = g_strconcat("OEBPS/", name, NULL);
  add_string(e, entry, out);
  g_free(entry);
}

/* ---- Cover ------------------------------------------------------------------------- */

/* The cover image: the user's file or a generated one. Returns the item. */
static gboolean write_cover(Epub *e)
{
  const KqFurniture *fu = e->ed->furniture;
  GBytes *png = NULL;
  const char *href = "images/cover.jpg", *media = "image/jpeg";
  KqEpubImage *user = NULL;
  if (e->opts->cover_file) {
    user = kq_epub_image_load(e->opts->cover_file, "cover", &e->error);
    if (!user)
      return FALSE;
    href = user->href;
    media = user->media_type;
    png = g_bytes_ref(user->data);
  } else {
    KqCoverText text = {fu->cover_title, fu->period, fu->count, e->lang, fu->headlines};
    png = kq_cover_render(&text, COVER_WIDTH, COVER_HEIGHT, "jpeg", &e->error);
    if (!png)
      return FALSE;
  }
  char *entry = g_strconcat("OEBPS/", href, NULL);
  add_bytes(e, entry, png, TRUE); /* already compressed */
  g_free(entry);
  g_bytes_unref(png);
  add_item(e, "cover-image", href, media, "cover-image");

  GString *out = xhtml_open(e, 1024, e->lang, fu->cover, "cover");
  kq_xhtml_append(out,
                  "<section epub:type=\"cover\" class=\"cover\">\n"
                  "<img role=\"doc-cover\" src=\"%s\" alt=\"%s\"/>\n</section>\n</body>\n</html>\n",
                  href, fu->cover_alt);
  add_string(e, "OEBPS/cover.xhtml", out);
  add_item(e, "cover", "cover.xhtml", "application/xhtml+xml", NULL);
  g_ptr_array_add(e->spine, "cover");
  kq_epub_image_free(user);
  return TRUE;
}

/* ---- Style and fonts ------------------------------------------------------------------ */

static GString *load_css(Epub *e)
{
  char *path = NULL;
  if (e->opts->css_file)
    path = g_strdup(e->opts->css_file);
  else if (!(path = kq_style_path(e->opts->style, "css", &e->error)))
    return NULL;
  char *text = NULL;
  gsize len = 0;
  GError *err = NULL;
  if (!g_file_get_contents(path, &text, &len, &err) || !g_utf8_validate(text, (gssize)len, NULL)) {
    g_set_error(&e->error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE, "%s: %s", path,
                err ? err->message : "not UTF-8 text");
    g_clear_error(&err);
    g_free(text);
    g_free(path);
    return NULL;
  }
  g_free(path);
  GString *css = g_string_new_len(text, (gssize)len);
  g_free(text);
  return css;
}

static const struct {
  int weight, slant;
  const char *css_weight, *css_style;
} faces[] = {
  {FC_WEIGHT_REGULAR, FC_SLANT_ROMAN, "normal", "normal"},
  {FC_WEIGHT_REGULAR, FC_SLANT_ITALIC, "normal", "italic"},
  {FC_WEIGHT_BOLD, FC_SLANT_ROMAN, "bold", "normal"},
  {FC_WEIGHT_BOLD, FC_SLANT_ITALIC, "bold", "italic"},
};

#define BODY_FONT "Linux Libertine O"

/* --embed-fonts: the four faces of the PDF's body font, with @font-face rules. */
static gboolean embed_fonts(Epub *e, GString *css)
{
  GString *rules = g_string_new("\n/* --embed-fonts */\n");
  GPtrArray *seen = g_ptr_array_new_with_free_func(g_free);
  gboolean ok = TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS(faces) && ok; i++) {
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)BODY_FONT);
    FcPatternAddInteger(pat, FC_WEIGHT, faces[i].weight);
    FcPatternAddInteger(pat, FC_SLANT, faces[i].slant);
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *match = FcFontMatch(NULL, pat, &res);
    FcChar8 *family = NULL, *file = NULL;
    if (!match || FcPatternGetString(match, FC_FAMILY, 0, &family) != FcResultMatch ||
        strcmp((const char *)family, BODY_FONT) != 0 ||
        FcPatternGetString(match, FC_FILE, 0, &file) != FcResultMatch) {
      g_set_error(&e->error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FONT,
                  "--embed-fonts: font \"%s\" is not installed (Debian package "
                  "fonts-linuxlibertine)", BODY_FONT);
      ok = FALSE;
    } else {
      char *base = g_path_get_basename((const char *)file);
      gboolean dup = FALSE;
      for (guint k = 0; k < seen->len; k++)
        dup |= strcmp(g_ptr_array_index(seen, k), base) == 0;
      char *contents = NULL;
      gsize len = 0;
      GError *err = NULL;
      if (!dup && !g_file_get_contents((const char *)file, &contents, &len, &err)) {
        g_set_error(&e->error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FONT, "--embed-fonts: %s",
                    err->message);
        g_error_free(err);
        ok = FALSE;
      } else {
        char *href = g_strdup_printf("fonts/%s", base);
        if (!dup) {
          char *entry = g_strconcat("OEBPS/", href, NULL);
          add_entry(e, entry, contents, len, FALSE);
          g_free(entry);
          char id[16];
          g_snprintf(id, sizeof id, "font-%u", seen->len + 1);
          gboolean otf = g_str_has_suffix(base, ".otf") || g_str_has_suffix(base, ".OTF");
          add_item(e, id, href, otf ? "application/vnd.ms-opentype" : "application/font-sfnt",
                   NULL);
          g_ptr_array_add(seen, g_strdup(base));
        }
        g_string_append_printf(rules,
                               "@font-face { font-family: \"%s\"; font-weight: %s; "
                               "font-style: %s; src: url(\"%s\"); }\n",
                               BODY_FONT, faces[i].css_weight, faces[i].css_style, href);
        g_free(href);
      }
      g_free(base);
    }
    if (match)
      FcPatternDestroy(match);
    FcPatternDestroy(pat);
  }
  if (ok) {
    g_string_append_printf(rules, "body { font-family: \"%s\", serif; }\n", BODY_FONT);
    g_string_append(css, rules->str);
  }
  g_string_free(rules, TRUE);
  g_ptr_array_unref(seen);
  return ok;
}

/* ---- Identifier and metadata ------------------------------------------------------------- */

/* urn:uuid: name-based (SHA-1, RFC 4122 version 5) from the article ids in
 * reading order: the same articles give the same identifier. */
static char *edition_uuid(const KqEdition *ed)
{
  GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA1);
  g_checksum_update(sum, uuid_namespace, sizeof uuid_namespace);
  for (guint i = 0; i < ed->articles->len; i++) {
    const KqArticle *a = g_ptr_array_index(ed->articles, i);
    const char *id = a->id ? a->id : "";
    g_checksum_update(sum, (const guchar *)id, (gssize)strlen(id));
    g_checksum_update(sum, (const guchar *)"\n", 1);
  }
  guint8 d[20];
  gsize n = sizeof d;
  g_checksum_get_digest(sum, d, &n);
  g_checksum_free(sum);
  d[6] = (guint8)((d[6] & 0x0F) | 0x50);
  d[8] = (guint8)((d[8] & 0x3F) | 0x80);
  return g_strdup_printf("urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                         "%02x%02x%02x%02x%02x%02x",
                         d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10],
                         d[11], d[12], d[13], d[14], d[15]);
}

/* Distinct strings (case-insensitive) in first-seen order, at most max. */
static void add_distinct(GPtrArray *list, const char *s, guint max)
{
  if (!s || list->len >= max)
    return;
  char *clean = kq_xhtml_clean_text(s);
  g_strstrip(clean);
  if (!*clean) {
    g_free(clean);
    return;
  }
  for (guint i = 0; i < list->len; i++)
    if (g_utf8_collate(g_ptr_array_index(list, i), clean) == 0 ||
        g_ascii_strcasecmp(g_ptr_array_index(list, i), clean) == 0) {
      g_free(clean);
      return;
    }
  g_ptr_array_add(list, clean);
}

static void meta_elem(GString *out, const char *elem, const char *value, const char *attrs)
{
  g_string_append_printf(out, "    <%s%s>", elem, attrs ? attrs : "");
  kq_xhtml_escape(out, value, -1);
  g_string_append_printf(out, "</%s>\n", elem);
}

static void write_opf(Epub *e, const char *uuid, const char *title, const char *modified)
{
  const KqEdition *ed = e->ed;
  GString *out = g_string_sized_new(16384);
  g_string_append(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
                       "unique-identifier=\"uid\"");
  g_string_append(out, " xml:lang=\"");
  kq_xhtml_escape(out, e->lang, -1);
  g_string_append_c(out, '"');
  g_string_append(out, ">\n  <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
  meta_elem(out, "dc:identifier", uuid, " id=\"uid\"");
  meta_elem(out, "dc:title", title, " id=\"title\"");
  /* The edition language only (issue 15): converters keep one language
   * and Calibre's AZW3 output keeps the last dc:language it is given, so
   * "fr, en" made a French edition English. Each article's own language
   * is on its documents' lang attributes, where reading systems use it. */
  meta_elem(out, "dc:language", e->lang, NULL);
  meta_elem(out, "dc:date", modified, NULL);
  meta_elem(out, "meta", modified, " property=\"dcterms:modified\"");
  if (*ed->furniture->period)
    meta_elem(out, "dc:description", ed->furniture->period, NULL);
  GPtrArray *sites = g_ptr_array_new_with_free_func(g_free);
  GPtrArray *topics = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < ed->articles->len; i++) {
    const KqArticle *a = g_ptr_array_index(ed->articles, i);
    add_distinct(sites, a->site, MAX_META_NAMES);
    for (guint t = 0; t < a->topics->len; t++)
      add_distinct(topics, g_ptr_array_index(a->topics, t), MAX_META_NAMES);
  }
  /* One author, the edition's creator (issue 15: libraries listed every
   * site as an author); the sites are its contributors. */
  char *creator = kq_xhtml_clean_text(e->opts->creator ? e->opts->creator : KQ_DEFAULT_CREATOR);
  meta_elem(out, "dc:creator", g_strstrip(creator), " id=\"creator\"");
  g_string_append(out, "    <meta refines=\"#creator\" property=\"role\" "
                       "scheme=\"marc:relators\">aut</meta>\n");
  g_free(creator);
  for (guint i = 0; i < sites->len; i++) {
    char attrs[32];
    g_snprintf(attrs, sizeof attrs, " id=\"contributor-%u\"", i + 1);
    meta_elem(out, "dc:contributor", g_ptr_array_index(sites, i), attrs);
  }
  for (guint i = 0; i < topics->len; i++)
    meta_elem(out, "dc:subject", g_ptr_array_index(topics, i), NULL);
  g_ptr_array_unref(sites);
  g_ptr_array_unref(topics);
  if (e->opts->collection && *e->opts->collection) {
    meta_elem(out, "meta", e->opts->collection,
              " property=\"belongs-to-collection\" id=\"collection\"");
    g_string_append(out, "    <meta refines=\"#collection\" property=\"collection-type\">"
                         "series</meta>\n");
    if (e->opts->collection_position > 0)
      g_string_append_printf(out, "    <meta refines=\"#collection\" property=\"group-position\">"
                                  "%d</meta>\n",
                             e->opts->collection_position);
  }
  /* EPUB Accessibility 1.1 discovery metadata (schema.org). */
  g_string_append(out,
                  "    <meta property=\"schema:accessMode\">textual</meta>\n"
                  "    <meta property=\"schema:accessMode\">visual</meta>\n"
                  "    <meta property=\"schema:accessModeSufficient\">textual</meta>\n"
                  "    <meta property=\"schema:accessModeSufficient\">textual,visual</meta>\n"
                  "    <meta property=\"schema:accessibilityFeature\">structuralNavigation</meta>\n"
                  "    <meta property=\"schema:accessibilityFeature\">tableOfContents</meta>\n"
                  "    <meta property=\"schema:accessibilityFeature\">readingOrder</meta>\n"
                  "    <meta property=\"schema:accessibilityFeature\">alternativeText</meta>\n"
                  "    <meta property=\"schema:accessibilityFeature\">displayTransformability</meta>\n");
  if (e->has_gif)
    g_string_append(out, "    <meta property=\"schema:accessibilityHazard\">unknown</meta>\n");
  else
    g_string_append(out, "    <meta property=\"schema:accessibilityHazard\">none</meta>\n");
  const char *summary = ed->furniture->accessibility;
  meta_elem(out, "meta", summary, " property=\"schema:accessibilitySummary\"");
  g_string_append(out, "    <meta name=\"cover\" content=\"cover-image\"/>\n"
                       "    <meta name=\"generator\" content=\"kiosque " KQ_VERSION "\"/>\n");
  g_string_append(out, "  </metadata>\n  <manifest>\n");
  for (guint i = 0; i < e->items->len; i++) {
    const Item *it = g_ptr_array_index(e->items, i);
    g_string_append_printf(out, "    <item id=\"%s\" href=\"%s\" media-type=\"%s\"", it->id,
                           it->href, it->media_type);
    if (it->properties)
      g_string_append_printf(out, " properties=\"%s\"", it->properties);
    g_string_append(out, "/>\n");
  }
  g_string_append(out, "  </manifest>\n  <spine toc=\"ncx\">\n");
  for (guint i = 0; i < e->spine->len; i++)
    g_string_append_printf(out, "    <itemref idref=\"%s\"/>\n",
                           (const char *)g_ptr_array_index(e->spine, i));
  g_string_append(out, "  </spine>\n</package>\n");
  add_string(e, "OEBPS/content.opf", out);
}

/* ---- Navigation -------------------------------------------------------------------------- */

/* The contents list (groups, then their articles) with links. */
static void toc_list(GString *out, const Epub *e)
{
  const KqEdition *ed = e->ed;
  g_string_append(out, "<ol>\n");
  guint n = 0;
  for (guint gi = 0; gi < ed->groups->len; gi++) {
    const KqGroup *g = g_ptr_array_index(ed->groups, gi);
    g_string_append_printf(out, "<li><a href=\"grp-%03u.xhtml\">", gi + 1);
    kq_xhtml_escape(out, kq_edition_group_furniture(ed, gi)->title.text, -1);
    g_string_append(out, "</a>\n<ol>\n");
    for (guint i = 0; i < g->articles->len; i++, n++) {
      article_link(out, e, n);
      g_string_append(out, "</li>\n");
    }
    g_string_append(out, "</ol></li>\n");
  }
  g_string_append(out, "</ol>\n");
}

/* The navigation document is for the reading system only and is not in the
 * spine: reading systems that show every spine document as text (MuPDF,
 * pandoc, Calibre's conversions) would print its hidden landmarks list
 * (issue 15). The contents readers page through is contents.xhtml, in the
 * spine, with the same list and no landmarks. */
static void write_nav(Epub *e)
{
  const KqEdition *ed = e->ed;
  const char *contents = ed->furniture->contents;
  GString *out = xhtml_open(e, 65536, e->lang, contents, NULL);
  g_string_append(out, "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" "
                       "aria-labelledby=\"toc-title\">\n<h1 id=\"toc-title\">");
  kq_xhtml_escape(out, contents, -1);
  g_string_append(out, "</h1>\n");
  toc_list(out, e);
  g_string_append(out, "</nav>\n<nav epub:type=\"landmarks\" class=\"landmarks\" "
                       "hidden=\"hidden\" aria-label=\"");
  kq_xhtml_escape(out, ed->furniture->landmarks, -1);
  g_string_append(out, "\">\n<ol>\n");
  g_string_append(out, "<li><a epub:type=\"cover\" href=\"cover.xhtml\">");
  kq_xhtml_escape(out, ed->furniture->cover, -1);
  g_string_append(out, "</a></li>\n<li><a epub:type=\"toc\" href=\"contents.xhtml\">");
  kq_xhtml_escape(out, contents, -1);
  g_string_append(out, "</a></li>\n");
  if (ed->groups->len) {
    g_string_append(out, "<li><a epub:type=\"bodymatter\" href=\"grp-001.xhtml\">");
    kq_xhtml_escape(out, kq_edition_group_furniture(ed, 0)->title.text, -1);
    g_string_append(out, "</a></li>\n");
  }
  g_string_append(out, "</ol>\n</nav>\n</body>\n</html>\n");
  add_string(e, "OEBPS/nav.xhtml", out);

  out = xhtml_open(e, 65536, e->lang, contents, NULL);
  g_string_append(out, "<section class=\"contents\" epub:type=\"toc\" role=\"doc-toc\" "
                       "aria-labelledby=\"contents-title\">\n<h1 id=\"contents-title\">");
  kq_xhtml_escape(out, contents, -1);
  g_string_append(out, "</h1>\n");
  toc_list(out, e);
  g_string_append(out, "</section>\n</body>\n</html>\n");
  add_string(e, "OEBPS/contents.xhtml", out);
}

static void ncx_point(GString *out, guint *order, const char *id, const char *label,
                      const char *src, gboolean close)
{
  g_string_append_printf(out, "<navPoint id=\"%s\" playOrder=\"%u\"><navLabel><text>", id,
                         ++*order);
  kq_xhtml_escape(out, label, -1);
  g_string_append_printf(out, "</text></navLabel><content src=\"%s\"/>", src);
  if (close)
    g_string_append(out, "</navPoint>\n");
  else
    g_string_append_c(out, '\n');
}

static void write_ncx(Epub *e, const char *uuid, const char *title)
{
  const KqEdition *ed = e->ed;
  GString *out = g_string_sized_new(65536);
  g_string_append(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\" "
                       "xml:lang=\"");
  kq_xhtml_escape(out, e->lang, -1);
  g_string_append(out, "\">\n<head>\n<meta name=\"dtb:uid\" content=\"");
  kq_xhtml_escape(out, uuid, -1);
  g_string_append(out, "\"/>\n<meta name=\"dtb:depth\" content=\"2\"/>\n"
                       "<meta name=\"dtb:totalPageCount\" content=\"0\"/>\n"
                       "<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n</head>\n"
                       "<docTitle><text>");
  kq_xhtml_escape(out, title, -1);
  g_string_append(out, "</text></docTitle>\n<navMap>\n");
  guint order = 0, n = 0;
  for (guint gi = 0; gi < ed->groups->len; gi++) {
    const KqGroup *g = g_ptr_array_index(ed->groups, gi);
    char id[32], src[32];
    g_snprintf(id, sizeof id, "np-grp-%03u", gi + 1);
    g_snprintf(src, sizeof src, "grp-%03u.xhtml", gi + 1);
    ncx_point(out, &order, id, kq_edition_group_furniture(ed, gi)->title.text, src, FALSE);
    for (guint i = 0; i < g->articles->len; i++, n++) {
      g_snprintf(id, sizeof id, "np-art-%04u", n + 1);
      g_snprintf(src, sizeof src, "art-%04u.xhtml", n + 1);
      ncx_point(out, &order, id, kq_edition_article_furniture(ed, n)->title.text, src, TRUE);
    }
    g_string_append(out, "</navPoint>\n");
  }
  g_string_append(out, "</navMap>\n</ncx>\n");
  add_string(e, "OEBPS/toc.ncx", out);
}

/* ---- The writer ------------------------------------------------------------------------------ */

static const char container_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
    "  <rootfiles>\n"
    "    <rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>\n"
    "  </rootfiles>\n"
    "</container>\n";

/* Builds the whole archive into e->buffer. */
static gboolean build(Epub *e)
{
  const KqEdition *ed = e->ed;
  zip_error_t zerr;
  zip_error_init(&zerr);
  e->buffer = zip_source_buffer_create(NULL, 0, 0, &zerr);
  if (e->buffer)
    e->zip = zip_open_from_source(e->buffer, ZIP_TRUNCATE, &zerr);
  if (!e->zip) {
    g_set_error(&e->error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FORMAT, "zip: %s",
                zip_error_strerror(&zerr));
    zip_error_fini(&zerr);
    return FALSE;
  }
  zip_error_fini(&zerr);
  zip_source_keep(e->buffer); /* read back after zip_close() */

  gint64 stamp = e->opts->timestamp >= 0 ? e->opts->timestamp : kq_edition_timestamp(ed);
  if (stamp < 0)
    stamp = 0;
  dos_time(stamp, &e->dostime, &e->dosdate);
  GDateTime *dt = g_date_time_new_from_unix_utc(stamp);
  char *modified = dt ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ")
                      : g_strdup("1970-01-01T00:00:00Z");
  g_clear_pointer(&dt, g_date_time_unref);

  add_entry(e, "mimetype", g_strdup("application/epub+zip"), 20, TRUE);
  add_entry(e, "META-INF/container.xml", g_strdup(container_xml), strlen(container_xml), FALSE);

  const char *title = ed->furniture->title.text;
  char *uuid = edition_uuid(ed);

  GString *css = load_css(e);
  gboolean ok = css != NULL;
  if (ok && e->opts->embed_fonts)
    ok = embed_fonts(e, css);
  if (ok) {
    add_string(e, "OEBPS/style.css", css);
    css = NULL;
    add_item(e, "css", "style.css", "text/css", NULL);
    add_item(e, "nav", "nav.xhtml", "application/xhtml+xml", "nav");
    add_item(e, "contents", "contents.xhtml", "application/xhtml+xml", NULL);
    add_item(e, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL);
    ok = write_cover(e);
  }
  if (css)
    g_string_free(css, TRUE);
  if (ok)
    g_ptr_array_add(e->spine, "contents");

  Renderer rd = {0};
  guint n_articles = 0;
  rd.e = e;
  for (guint gi = 0; gi < ed->groups->len; gi++)
    n_articles += ((const KqGroup *)g_ptr_array_index(ed->groups, gi))->articles->len;
  rd.src = g_new0(const KqArticle *, n_articles + 1);
  for (guint gi = 0, k = 0; gi < ed->groups->len; gi++) {
    const KqGroup *g = g_ptr_array_index(ed->groups, gi);
    for (guint i = 0; i < g->articles->len; i++)
      rd.src[k++] = g_ptr_array_index(g->articles, i);
  }
  /* images first, serially, in reading order; then the image table is
   * read-only and the workers may start */
  for (guint i = 0; ok && i < n_articles; i++)
    collect_images(e, rd.src[i], rd.src[i]->blocks);
  KqPoolSpec spec = {
      .n_items = ok ? n_articles : 0,
      .window = RENDER_WINDOW,
      .work = render_work,
      .data = &rd,
      .result_free = (GDestroyNotify)rendered_free,
      .level = e->log ? e->log->level : KQ_LOG_WARNING,
  };
  KqPool *pool = kq_pool_new(&spec);
  guint n = 0;
  for (guint gi = 0; ok && gi < ed->groups->len && !e->error; gi++) {
    const KqGroup *g = g_ptr_array_index(ed->groups, gi);
    char gid[32], gname[32];
    g_snprintf(gid, sizeof gid, "grp-%03u", gi + 1);
    g_snprintf(gname, sizeof gname, "%s.xhtml", gid);
    Item *git = add_item(e, gid, gname, "application/xhtml+xml", NULL);
    g_ptr_array_add(e->spine, git->id);
    guint first = n;
    for (guint i = 0; i < g->articles->len; i++, n++) {
      char aid[32], aname[48];
      g_snprintf(aid, sizeof aid, "art-%04u", n + 1);
      g_snprintf(aname, sizeof aname, "OEBPS/%s.xhtml", aid);
      Rendered *r = kq_pool_take(pool, n, e->log);
      add_string(e, aname, r->xhtml);
      r->xhtml = NULL;
      rendered_free(r);
      Item *ait = add_item(e, aid, aname + strlen("OEBPS/"), "application/xhtml+xml", NULL);
      g_ptr_array_add(e->spine, ait->id);
      if (e->opts->progress)
        e->opts->progress("articles", n + 1, n_articles, e->opts->progress_data);
    }
    write_group(e, g, kq_edition_group_furniture(ed, gi), gname, first);
  }
  kq_pool_free(pool);
  g_free(rd.src);
  if (ok && !e->error) {
    const GPtrArray *imgs = kq_epub_images_list(&e->images);
    for (guint i = 0; i < imgs->len; i++) {
      const KqEpubImage *img = g_ptr_array_index(imgs, i);
      char *entry = g_strconcat("OEBPS/", img->href, NULL);
      add_bytes(e, entry, img->data, TRUE); /* JPEG, PNG, GIF: already compressed */
      g_free(entry);
      add_item(e, img->id, img->href, img->media_type, NULL);
    }
    write_nav(e);
    write_ncx(e, uuid, title);
    write_opf(e, uuid, title, modified);
  }
  g_free(uuid);
  g_free(modified);
  if (e->error || !ok) {
    zip_discard(e->zip);
    e->zip = NULL;
    return FALSE;
  }
  int rc = zip_close(e->zip);
  if (rc < 0) {
    zip_fail(e, "cannot finish", "the archive");
    zip_discard(e->zip);
  }
  e->zip = NULL;
  return rc == 0;
}

/* Copies the finished archive from the buffer source to the output. */
static gboolean copy_out(Epub *e, KqOutput *out, GError **error)
{
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_source_stat(e->buffer, &st) < 0 || zip_source_open(e->buffer) < 0) {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FORMAT, "zip: cannot read the archive back");
    return FALSE;
  }
  gboolean ok = TRUE;
  guchar buf[65536];
  for (;;) {
    zip_int64_t n = zip_source_read(e->buffer, buf, sizeof buf);
    if (n < 0) {
      g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FORMAT, "zip: cannot read the archive back");
      ok = FALSE;
      break;
    }
    if (n == 0)
      break;
    if (!kq_output_write(out, buf, (gsize)n, error)) {
      ok = FALSE;
      break;
    }
  }
  zip_source_close(e->buffer);
  return ok;
}

gboolean kq_epub_write(const KqEdition *edition, const KqWriteOptions *opts, const char *path,
                       KqLog *log, GError **error)
{
  g_return_val_if_fail(edition && opts && path, FALSE);
  if (edition->articles->len == 0 || edition->groups->len == 0) {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FORMAT, "%s: no article to write", path);
    return FALSE;
  }
  Epub e = {0};
  e.ed = edition;
  e.opts = opts;
  e.log = log;
  char *tag = kq_xhtml_lang_tag(edition->lang);
  e.lang = tag ? tag : g_strdup("en");
  e.items = g_ptr_array_new_with_free_func((GDestroyNotify)item_free);
  e.spine = g_ptr_array_new();
  kq_epub_images_init(&e.images, opts, log);
  e.image_hrefs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  gboolean ok = FALSE;
  KqOutput *out = NULL;
  /* Check the target before the work: --no-clobber, unwritable folders. */
  out = kq_output_begin(path, opts->no_clobber, error);
  if (!out)
    goto done;
  if (!build(&e)) {
    g_propagate_error(error, e.error);
    e.error = NULL;
    kq_output_abort(out);
    goto done;
  }
  if (!copy_out(&e, out, error)) {
    kq_output_abort(out);
    goto done;
  }
  ok = kq_output_commit(out, error);
done:
  g_clear_pointer(&e.buffer, zip_source_free);
  g_clear_error(&e.error);
  kq_epub_images_clear(&e.images);
  g_hash_table_unref(e.image_hrefs);
  g_ptr_array_unref(e.spine);
  g_ptr_array_unref(e.items);
  g_free(e.lang);
  return ok;
}
