/* markdown.c: Markdown articles with YAML front matter (libyaml) and a cmark body. */
#include "kiosque/reader.h"

#include <cmark.h>
#include <stdarg.h>
#include <string.h>
#include <yaml.h>

#include "kiosque/date.h"
#include "kiosque/html.h"
#include "kiosque/lang.h"

static const char *const md_extensions[] = {".md", ".markdown", NULL};

/* ---- Sniffing ------------------------------------------------------------ */

static int md_sniff(const char *data, gsize len)
{
  if (len >= 4 && strncmp(data, "---", 3) == 0 && (data[3] == '\n' || data[3] == '\r'))
    return 90;
  if (len >= 3 && (guchar)data[0] == 0xEF && (guchar)data[1] == 0xBB && (guchar)data[2] == 0xBF)
    return 60;
  /* Markdown is plain text: any text file with the extension is one. */
  return 50;
}

/* ---- Front matter -------------------------------------------------------- */

/* Finds a front matter block: "---" on the first line, closed by "---" or
 * "...". Sets [*yaml, *yaml_len) and *body; returns FALSE when there is
 * none (or it is never closed: then *unclosed is TRUE). */
static gboolean split_front_matter(const char *data, gsize len, const char **yaml,
                                   gsize *yaml_len, const char **body, int *body_line,
                                   gboolean *unclosed)
{
  *unclosed = FALSE;
  if (len < 4 || strncmp(data, "---", 3) != 0 || (data[3] != '\n' && data[3] != '\r'))
    return FALSE;
  const char *start = data + (data[3] == '\r' && len > 4 && data[4] == '\n' ? 5 : 4);
  const char *end = data + len;
  int line = 2;
  for (const char *p = start; p < end;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    gsize n = (gsize)(le - p);
    if (n > 0 && p[n - 1] == '\r')
      n--;
    if ((n == 3 && (strncmp(p, "---", 3) == 0 || strncmp(p, "...", 3) == 0))) {
      *yaml = start;
      *yaml_len = (gsize)(p - start);
      *body = nl ? nl + 1 : end;
      *body_line = line + 1;
      return TRUE;
    }
    line++;
    if (!nl)
      break;
    p = nl + 1;
  }
  *unclosed = TRUE;
  return FALSE;
}

/* ---- Front matter: libyaml events into a bounded tree -------------------- */

/*
 * The YAML is read event by event (never with yaml_parser_load(), whose
 * tree follows aliases) into a small tree of our own where an alias is a
 * reference to the anchored node, not a copy. Every growing thing has a cap,
 * checked as the events come: nesting (--max-depth), nodes and aliases; the
 * values collected from the tree afterwards are capped too, so a node that
 * refers to itself or an alias bomb costs a bounded walk. Past a cap, what
 * was read so far is kept and the file gets one warning.
 */
#define FM_MAX_NODES 65536   /* nodes in one front matter */
#define FM_MAX_ALIASES 1024  /* alias uses in one front matter */
#define FM_MAX_VISITS 65536  /* nodes visited while collecting values */

typedef enum { FM_SCALAR, FM_SEQUENCE, FM_MAPPING } FmKind;

typedef struct {
  FmKind kind;
  int line;      /* in the file */
  char *value;   /* FM_SCALAR */
  GArray *items; /* guint node indexes; a mapping holds key, value, key, value... */
  gboolean on_path; /* being walked: met again, an alias made a cycle */
} FmNode;

typedef struct {
  const char *path;
  KqLog *log;
  int first_line;      /* file line of the YAML's first line */
  int max_depth;
  GPtrArray *nodes;    /* FmNode*, owned; index 0 is the root when there is one */
  GHashTable *anchors; /* anchor name (owned) -> node index + 1 */
  guint aliases;
  guint visits;        /* budget spent collecting values */
  int key_line;        /* line of the key whose values are being collected */
  gboolean warned;     /* the one warning about this front matter was given */
} FmDoc;

static void fm_node_free(gpointer p)
{
  FmNode *n = p;
  g_free(n->value);
  g_clear_pointer(&n->items, g_array_unref);
  g_free(n);
}

/* The one warning a front matter may give; later problems are not repeated. */
static void fm_warn(FmDoc *d, int line, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void fm_warn(FmDoc *d, int line, const char *fmt, ...)
{
  if (d->warned)
    return;
  d->warned = TRUE;
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  KQ_WARN(d->log, d->path, line, "front matter: %s", msg);
  g_free(msg);
}

static FmNode *fm_node(FmDoc *d, guint i)
{
  return i < d->nodes->len ? g_ptr_array_index(d->nodes, i) : NULL;
}

/* Adds a node under the innermost open collection (or as the root). */
static guint fm_add(FmDoc *d, GArray *open, FmNode *n, const yaml_char_t *anchor)
{
  guint index = d->nodes->len;
  g_ptr_array_add(d->nodes, n);
  if (open->len > 0) {
    FmNode *parent = fm_node(d, g_array_index(open, guint, open->len - 1));
    g_array_append_val(parent->items, index);
  }
  if (anchor)
    g_hash_table_replace(d->anchors, g_strdup((const char *)anchor),
                         GUINT_TO_POINTER(index + 1));
  return index;
}

/* Reads the events into d. FALSE when the YAML stopped early (broken, or
 * a cap reached: then d->warned is set); what came before is in d. */
static gboolean fm_load(FmDoc *d, const char *yaml, gsize len)
{
  yaml_parser_t parser;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
  GArray *open = g_array_new(FALSE, FALSE, sizeof(guint));
  gboolean ok = FALSE, done = FALSE, root_seen = FALSE;
  while (!done) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      fm_warn(d, (int)parser.problem_mark.line + d->first_line, "%s",
              parser.problem ? parser.problem : "invalid YAML");
      break;
    }
    int line = (int)ev.start_mark.line + d->first_line;
    gboolean stop = FALSE;
    switch (ev.type) {
    case YAML_STREAM_END_EVENT:
    case YAML_DOCUMENT_END_EVENT:
      done = ok = TRUE; /* only the first document */
      break;
    case YAML_SCALAR_EVENT:
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
      if (open->len == 0 && root_seen) {
        done = ok = TRUE;
        break;
      }
      if (d->nodes->len >= FM_MAX_NODES) {
        fm_warn(d, line, "more than %d values: the rest is ignored", FM_MAX_NODES);
        stop = TRUE;
        break;
      }
      FmNode *n = g_new0(FmNode, 1);
      n->line = line;
      const yaml_char_t *anchor;
      if (ev.type == YAML_SCALAR_EVENT) {
        n->kind = FM_SCALAR;
        n->value = g_strndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
        anchor = ev.data.scalar.anchor;
      } else if ((int)open->len >= d->max_depth) {
        fm_node_free(n);
        fm_warn(d, line, "nested deeper than %d levels (--max-depth): the rest is ignored",
                d->max_depth);
        stop = TRUE;
        break;
      } else {
        n->kind = ev.type == YAML_SEQUENCE_START_EVENT ? FM_SEQUENCE : FM_MAPPING;
        n->items = g_array_new(FALSE, FALSE, sizeof(guint));
        anchor = ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.anchor
                                                      : ev.data.mapping_start.anchor;
      }
      guint index = fm_add(d, open, n, anchor);
      root_seen = TRUE;
      if (n->kind != FM_SCALAR)
        g_array_append_val(open, index);
      break;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      if (open->len > 0)
        g_array_set_size(open, open->len - 1);
      break;
    case YAML_ALIAS_EVENT: {
      gpointer target = g_hash_table_lookup(d->anchors, ev.data.alias.anchor);
      if (!target) {
        fm_warn(d, line, "alias *%s names no anchor", (const char *)ev.data.alias.anchor);
        stop = TRUE;
      } else if (++d->aliases > FM_MAX_ALIASES) {
        fm_warn(d, line, "more than %d aliases: the rest is ignored", FM_MAX_ALIASES);
        stop = TRUE;
      } else if (open->len > 0) {
        /* a reference to the anchored node: never copied, so a node may
         * hold itself and collecting its values is bounded instead */
        FmNode *parent = fm_node(d, g_array_index(open, guint, open->len - 1));
        guint index = GPOINTER_TO_UINT(target) - 1;
        g_array_append_val(parent->items, index);
      }
      break;
    }
    default:
      break;
    }
    yaml_event_delete(&ev);
    if (stop)
      break;
  }
  g_array_unref(open);
  yaml_parser_delete(&parser);
  return ok;
}

/* The walk that collects strings has a budget shared by the whole front
 * matter; FALSE (with the warning) once it is spent. */
static gboolean fm_visit(FmDoc *d, int depth)
{
  if (++d->visits > FM_MAX_VISITS) {
    fm_warn(d, d->key_line, "aliases expand to more than %d values: the rest is ignored",
            FM_MAX_VISITS);
    return FALSE;
  }
  if (depth > d->max_depth) {
    fm_warn(d, d->key_line,
            "aliases nest deeper than %d levels (--max-depth): the rest is ignored",
            d->max_depth);
    return FALSE;
  }
  return TRUE;
}

/* FALSE once the list is full (KQ_MAX_NAMES): the walk stops there (an
 * alias bomb is not expanded further), said with the line. */
static gboolean fm_add_one(FmDoc *d, GPtrArray *to, const char *s)
{
  if (kq_strv_add_unique(to, s))
    return TRUE;
  fm_warn(d, d->key_line, "more than %d names in one list: the rest is ignored", KQ_MAX_NAMES);
  return FALSE;
}

/* Adds a scalar, a sequence of scalars, or a comma-separated list;
 * FALSE once a budget is spent. */
static gboolean add_strings(FmDoc *d, GPtrArray *to, FmNode *node, gboolean split, int depth)
{
  if (!node)
    return TRUE;
  if (node->on_path) {
    fm_warn(d, d->key_line, "a value holds itself through an alias: the cycle is ignored");
    return FALSE;
  }
  if (!fm_visit(d, depth))
    return FALSE;
  if (node->kind == FM_SCALAR) {
    const char *v = node->value;
    if (split && strchr(v, ',')) {
      char **parts = g_strsplit(v, ",", -1);
      gboolean ok = TRUE;
      for (char **p = parts; *p && ok; p++)
        ok = fm_add_one(d, to, *p);
      g_strfreev(parts);
      return ok;
    }
    return fm_add_one(d, to, v);
  }
  gboolean ok = TRUE;
  node->on_path = TRUE;
  if (node->kind == FM_SEQUENCE) {
    for (guint i = 0; i < node->items->len && ok; i++)
      ok = add_strings(d, to, fm_node(d, g_array_index(node->items, guint, i)), FALSE,
                       depth + 1);
  } else {
    /* an author given as {name: …} */
    for (guint i = 0; i + 1 < node->items->len && ok; i += 2) {
      FmNode *k = fm_node(d, g_array_index(node->items, guint, i));
      if (k && k->kind == FM_SCALAR && g_ascii_strcasecmp(k->value, "name") == 0)
        ok = add_strings(d, to, fm_node(d, g_array_index(node->items, guint, i + 1)), FALSE,
                         depth + 1);
    }
  }
  node->on_path = FALSE;
  return ok;
}

static void set_date(KqDate *field, const char *value, const char *what, const char *path,
                     int line, KqLog *log)
{
  if (!value)
    return;
  char *warning = NULL;
  if (!kq_date_parse(value, field, &warning))
    KQ_WARN(log, path, line, "front matter: %s \"%s\" is not a date", what, value);
  else if (warning)
    KQ_WARN(log, path, line, "front matter: %s: %s", what, warning);
  g_free(warning);
}

static gboolean key_is(const char *key, const char *const *names)
{
  for (; *names; names++)
    if (g_ascii_strcasecmp(key, *names) == 0)
      return TRUE;
  return FALSE;
}

static void apply_pair(KqArticle *a, FmDoc *d, const char *key, FmNode *value, int line)
{
  static const char *const title_keys[] = {"title", "headline", NULL};
  static const char *const date_keys[] = {"date", "published", "pubdate", "date_published", NULL};
  static const char *const updated_keys[] = {"updated", "modified", "lastmod",
                                             "date_modified", NULL};
  static const char *const lang_keys[] = {"lang", "language", "locale", NULL};
  static const char *const topic_keys[] = {"topic", "topics", "tags", "categories",
                                           "category", "rubric", "section", NULL};
  static const char *const url_keys[] = {"url", "link", "canonical", "canonical_url", NULL};
  static const char *const author_keys[] = {"author", "authors", "byline", NULL};
  static const char *const site_keys[] = {"site", "site_name", "source", "publisher", NULL};
  static const char *const standfirst_keys[] = {"standfirst", "description", "summary",
                                                "subtitle", "excerpt", NULL};
  const char *path = d->path;
  KqLog *log = d->log;
  d->key_line = line;
  const char *v = value && value->kind == FM_SCALAR ? value->value : NULL;

  if (key_is(key, title_keys))
    kq_set_string(&a->title, v);
  else if (key_is(key, date_keys))
    set_date(&a->published, v, key, path, line, log);
  else if (key_is(key, updated_keys))
    set_date(&a->updated, v, key, path, line, log);
  else if (key_is(key, lang_keys))
    kq_set_string(&a->lang, v);
  else if (key_is(key, topic_keys))
    add_strings(d, a->topics, value, TRUE, 1);
  else if (key_is(key, url_keys))
    kq_set_string(&a->url, v);
  else if (key_is(key, author_keys))
    add_strings(d, a->authors, value, FALSE, 1);
  else if (key_is(key, site_keys))
    kq_set_string(&a->site, v);
  else if (key_is(key, standfirst_keys))
    kq_set_string(&a->standfirst, v);
  else if (g_ascii_strcasecmp(key, "sources") == 0)
    add_strings(d, a->sources, value, TRUE, 1);
  else if (g_ascii_strcasecmp(key, "views") == 0 && v) {
    guint64 n = 0;
    if (g_ascii_string_to_unsigned(v, 10, 0, G_MAXINT64, &n, NULL))
      a->views = (gint64)n;
    else
      KQ_WARN(log, path, line, "front matter: views \"%s\" is not a number", v);
  }
}

/* Reads the YAML block into the article. Broken or hostile YAML gives one
 * warning naming the line; the keys read before the problem are kept. */
static void read_front_matter(KqArticle *a, const char *yaml, gsize len, const char *path,
                              const KqReadOptions *opts, KqLog *log)
{
  FmDoc d = {
      .path = path,
      .log = log,
      .first_line = 2,
      .max_depth = kq_read_max_depth(opts),
      .nodes = g_ptr_array_new_with_free_func(fm_node_free),
      .anchors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
  };
  fm_load(&d, yaml, len);
  FmNode *root = fm_node(&d, 0);
  if (root && root->kind != FM_MAPPING) {
    if (!(root->kind == FM_SCALAR && !*root->value)) /* an empty document is no error */
      fm_warn(&d, root->line, "not a mapping of keys to values");
  } else if (root) {
    for (guint i = 0; i + 1 < root->items->len; i += 2) {
      FmNode *k = fm_node(&d, g_array_index(root->items, guint, i));
      if (k && k->kind == FM_SCALAR)
        apply_pair(a, &d, k->value, fm_node(&d, g_array_index(root->items, guint, i + 1)),
                   k->line);
    }
  }
  g_hash_table_unref(d.anchors);
  g_ptr_array_unref(d.nodes);
}

/* ---- Body ---------------------------------------------------------------- */

typedef struct {
  const char *path;
  KqLog *log;
  const KqReadOptions *opts;
  gboolean depth_warned;
  int max_depth;    /* --max-depth, at most MD_MAX_SAFE_DEPTH */
  gsize max_text;   /* --max-article: top-level blocks stop once it is passed */
  gsize text;       /* text of the top-level blocks kept so far, once measuring */
  gsize bound;      /* kq_block_text_bound() of those blocks, until it passes max_text */
  gboolean measuring; /* bound passed max_text: text measured from then on */
  gboolean full;    /* max_text reached: the rest is dropped */
  GPtrArray *pending_images; /* images met inside a paragraph, emitted after it */
} MdCtx;

/* TRUE past the depth cap, with one warning per file that what lies deeper
 * (kind: "block" or "inline" nesting) is dropped. */
static gboolean too_deep(MdCtx *ctx, cmark_node *parent, int depth, const char *kind)
{
  if (depth <= ctx->max_depth)
    return FALSE;
  if (!ctx->depth_warned)
    KQ_WARN(ctx->log, ctx->path, cmark_node_get_start_line(parent),
            "%s nesting deeper than %d: inner content dropped", kind, ctx->max_depth);
  ctx->depth_warned = TRUE;
  return TRUE;
}

static void inlines_to_runs(MdCtx *ctx, cmark_node *parent, GPtrArray *runs, guint style,
                            const char *href, int depth);

static char *node_plain_text(cmark_node *node)
{
  GString *s = g_string_new(NULL);
  cmark_iter *it = cmark_iter_new(node);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER)
      continue;
    cmark_node_type t = cmark_node_get_type(n);
    if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
      g_string_append(s, cmark_node_get_literal(n));
    else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
      g_string_append_c(s, ' ');
  }
  cmark_iter_free(it);
  return g_string_free(s, FALSE);
}

static KqBlock *image_block(cmark_node *img)
{
  KqBlock *b = kq_block_new(KQ_BLOCK_IMAGE);
  b->src = g_strdup(cmark_node_get_url(img));
  char *alt = node_plain_text(img);
  kq_set_string(&b->alt, alt);
  g_free(alt);
  const char *title = cmark_node_get_title(img);
  if (title && *title)
    kq_runs_append_text(b->runs, KQ_STYLE_NONE, title, -1, NULL);
  return b;
}

static void inline_node(MdCtx *ctx, cmark_node *n, GPtrArray *runs, guint style,
                        const char *href, int depth)
{
  switch (cmark_node_get_type(n)) {
  case CMARK_NODE_TEXT:
    kq_runs_append_text(runs, style, cmark_node_get_literal(n), -1, href);
    break;
  case CMARK_NODE_SOFTBREAK:
    kq_runs_append_text(runs, style, " ", 1, href);
    break;
  case CMARK_NODE_LINEBREAK:
    g_ptr_array_add(runs, kq_run_new(KQ_RUN_BREAK, style, NULL, href));
    break;
  case CMARK_NODE_CODE:
    kq_runs_append_text(runs, style | KQ_STYLE_CODE, cmark_node_get_literal(n), -1, href);
    break;
  case CMARK_NODE_EMPH:
    inlines_to_runs(ctx, n, runs, style | KQ_STYLE_EMPH, href, depth + 1);
    break;
  case CMARK_NODE_STRONG:
    inlines_to_runs(ctx, n, runs, style | KQ_STYLE_STRONG, href, depth + 1);
    break;
  case CMARK_NODE_LINK:
    inlines_to_runs(ctx, n, runs, style, cmark_node_get_url(n), depth + 1);
    break;
  case CMARK_NODE_IMAGE:
    g_ptr_array_add(ctx->pending_images, image_block(n));
    break;
  case CMARK_NODE_HTML_INLINE:
  default:
    /* inline tags carry no text of their own; the text between them is
     * in sibling text nodes */
    break;
  }
}

static void inlines_to_runs(MdCtx *ctx, cmark_node *parent, GPtrArray *runs, guint style,
                            const char *href, int depth)
{
  if (too_deep(ctx, parent, depth, "inline"))
    return;
  for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c))
    inline_node(ctx, c, runs, style, href, depth);
}

static void trim_runs(GPtrArray *runs)
{
  while (runs->len > 0) {
    KqRun *r = g_ptr_array_index(runs, runs->len - 1);
    if (r->kind == KQ_RUN_BREAK) {
      g_ptr_array_remove_index(runs, runs->len - 1);
      continue;
    }
    g_strchomp(r->text);
    if (*r->text)
      break;
    g_ptr_array_remove_index(runs, runs->len - 1);
  }
}

static void blocks_from(MdCtx *ctx, cmark_node *parent, GPtrArray *out, int depth);

static void block_node(MdCtx *ctx, cmark_node *n, GPtrArray *out, int depth)
{
  KqBlock *b = NULL;
  switch (cmark_node_get_type(n)) {
  case CMARK_NODE_PARAGRAPH:
    b = kq_block_new(KQ_BLOCK_PARAGRAPH);
    inlines_to_runs(ctx, n, b->runs, KQ_STYLE_NONE, NULL, depth);
    trim_runs(b->runs);
    if (b->runs->len == 0) {
      kq_block_free(b);
      b = NULL;
    } else {
      g_ptr_array_add(out, b);
      b = NULL;
    }
    for (guint i = 0; i < ctx->pending_images->len; i++)
      g_ptr_array_add(out, g_ptr_array_index(ctx->pending_images, i));
    g_ptr_array_set_free_func(ctx->pending_images, NULL);
    g_ptr_array_set_size(ctx->pending_images, 0);
    g_ptr_array_set_free_func(ctx->pending_images, (GDestroyNotify)kq_block_free);
    break;
  case CMARK_NODE_HEADING:
    b = kq_block_new(KQ_BLOCK_HEADING);
    b->level = cmark_node_get_heading_level(n);
    inlines_to_runs(ctx, n, b->runs, KQ_STYLE_NONE, NULL, depth);
    trim_runs(b->runs);
    g_ptr_array_set_size(ctx->pending_images, 0); /* no figures in headings */
    break;
  case CMARK_NODE_BLOCK_QUOTE:
    b = kq_block_new(KQ_BLOCK_QUOTE);
    blocks_from(ctx, n, b->children, depth + 1);
    break;
  case CMARK_NODE_LIST:
    b = kq_block_new(KQ_BLOCK_LIST);
    b->ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
    b->start = b->ordered ? cmark_node_get_list_start(n) : 1;
    for (cmark_node *item = cmark_node_first_child(n); item; item = cmark_node_next(item)) {
      KqBlock *it = kq_block_new(KQ_BLOCK_ITEM);
      blocks_from(ctx, item, it->children, depth + 1);
      g_ptr_array_add(b->children, it);
    }
    break;
  case CMARK_NODE_CODE_BLOCK: {
    b = kq_block_new(KQ_BLOCK_CODE);
    const char *lit = cmark_node_get_literal(n);
    gsize l = lit ? strlen(lit) : 0;
    while (l > 0 && lit[l - 1] == '\n')
      l--;
    b->text = g_strndup(lit ? lit : "", l);
    const char *info = cmark_node_get_fence_info(n);
    if (info && *info)
      b->info = g_strdup(info);
    break;
  }
  case CMARK_NODE_HTML_BLOCK: {
    const char *lit = cmark_node_get_literal(n);
    if (lit) {
      GPtrArray *html = kq_html_fragment_to_blocks(lit, strlen(lit), NULL, ctx->opts,
                                                   ctx->log, ctx->path);
      for (guint i = 0; i < html->len; i++)
        g_ptr_array_add(out, g_ptr_array_steal_index(html, i--));
      g_ptr_array_unref(html);
    }
    break;
  }
  case CMARK_NODE_THEMATIC_BREAK:
    b = kq_block_new(KQ_BLOCK_RULE);
    break;
  default:
    break;
  }
  if (b)
    g_ptr_array_add(out, b);
}

static void blocks_from(MdCtx *ctx, cmark_node *parent, GPtrArray *out, int depth)
{
  if (too_deep(ctx, parent, depth, "block"))
    return;
  for (cmark_node *c = cmark_node_first_child(parent); c && !ctx->full; c = cmark_node_next(c)) {
    guint before = out->len;
    block_node(ctx, c, out, depth);
    if (depth > 0)
      continue;
    /* --max-article counted as kq_article_cap_body() does, block by block,
     * so that the article is cut here, once, and no further model is built;
     * the blocks' text is built only once their bound passes the cap */
    for (guint i = before; i < out->len; i++) {
      if (!ctx->measuring) {
        ctx->bound += kq_block_text_bound(g_ptr_array_index(out, i));
        if (ctx->bound <= ctx->max_text)
          continue;
        ctx->measuring = TRUE; /* out holds the top-level blocks so far */
        for (guint k = 0; k < i; k++)
          ctx->text += kq_block_text_length(g_ptr_array_index(out, k));
      }
      ctx->text += kq_block_text_length(g_ptr_array_index(out, i));
      if (ctx->text > ctx->max_text) {
        /* the block crossing the cap stays: kq_read_buffer() cuts it and
         * gives the one warning */
        g_ptr_array_set_size(out, i + 1);
        ctx->full = TRUE;
        break;
      }
    }
  }
}

/* A title missing from the front matter is taken from a leading heading. */
static void title_from_heading(KqArticle *a)
{
  if (a->blocks->len == 0)
    return;
  KqBlock *first = g_ptr_array_index(a->blocks, 0);
  if (first->kind != KQ_BLOCK_HEADING || first->level > 2)
    return;
  char *text = kq_runs_to_text(first->runs);
  if (!a->title)
    kq_set_string(&a->title, text);
  char *norm = NULL;
  kq_set_string(&norm, text);
  if (a->title && norm && g_utf8_collate(norm, a->title) == 0)
    g_ptr_array_remove_index(a->blocks, 0); /* the title repeated as H1 */
  g_free(norm);
  g_free(text);
}

/* Where the next chunk of a long body ends: the first blank line outside a
 * fenced code block after MD_CHUNK bytes (a boundary no block but a list,
 * a quote or an indented code block crosses: those are split in two, their
 * content kept), else a line end after twice that, else the whole rest.
 * Link reference definitions do not reach across chunks. */
#define MD_CHUNK (256u * 1024u)

/* The block and inline walks recurse once per level: past this depth a
 * thread's stack is at risk, whatever --max-depth says. */
#define MD_MAX_SAFE_DEPTH 10000

static gsize chunk_end(const char *s, gsize len)
{
  if (len <= 2 * MD_CHUNK)
    return len;
  char fence = 0;
  gsize fence_len = 0;
  for (gsize i = 0; i < len;) {
    const char *nl = memchr(s + i, '\n', len - i);
    gsize end = nl ? (gsize)(nl - s) + 1 : len;
    const char *p = s + i;
    gsize n = end - i, sp = 0;
    while (sp < 3 && sp < n && p[sp] == ' ')
      sp++;
    gsize run = 0;
    while (sp + run < n && (p[sp + run] == '`' || p[sp + run] == '~') && p[sp + run] == p[sp])
      run++;
    if (run >= 3 && (!fence || (p[sp] == fence && run >= fence_len))) {
      fence = fence ? 0 : p[sp];
      fence_len = fence ? run : 0;
    }
    gboolean blank = TRUE;
    for (gsize k = 0; k < n && blank; k++)
      blank = p[k] == ' ' || p[k] == '\t' || p[k] == '\n' || p[k] == '\r';
    if (end >= MD_CHUNK && ((blank && !fence) || end >= 2 * MD_CHUNK)) {
      if (end <= 2 * MD_CHUNK || i >= MD_CHUNK)
        return end;
      /* one line longer than a chunk: cut it after a space (a paragraph
       * split in two), else between two characters */
      gsize cut = 2 * MD_CHUNK;
      while (cut > i && s[cut - 1] != ' ')
        cut--;
      if (cut == i)
        for (cut = 2 * MD_CHUNK; ((guchar)s[cut] & 0xC0) == 0x80; cut--)
          ;
      return cut;
    }
    i = end;
  }
  return len;
}

static gboolean md_read(const char *path, const char *data, gsize len, const KqReadOptions *opts,
                        KqLog *log, GPtrArray *out, GError **error)
{
  if (len >= 3 && (guchar)data[0] == 0xEF && (guchar)data[1] == 0xBB && (guchar)data[2] == 0xBF) {
    data += 3;
    len -= 3;
  }
  if (!g_utf8_validate(data, (gssize)len, NULL)) {
    const char *bad = NULL;
    g_utf8_validate(data, (gssize)len, &bad);
    int line = 1;
    for (const char *p = data; p < bad; p++)
      line += *p == '\n';
    kq_read_error_set(error, KQ_READ_ERROR_ENCODING, line,
                      "invalid UTF-8 (Markdown input must be UTF-8)");
    return FALSE;
  }
  KqArticle *a = kq_article_new(path, KQ_FORMAT_MARKDOWN);
  const char *yaml = NULL, *body = data;
  gsize yaml_len = 0;
  int body_line = 1;
  gboolean unclosed = FALSE;
  if (split_front_matter(data, len, &yaml, &yaml_len, &body, &body_line, &unclosed))
    read_front_matter(a, yaml, yaml_len, path, opts, log);
  else if (unclosed)
    KQ_WARN(log, path, 1, "front matter opened by \"---\" is never closed: read as body");

  /* cmark's tree costs up to 200 bytes per byte of Markdown (a node per
   * character of "a\n\na\n\n..."), so a long body is parsed in chunks
   * of about MD_CHUNK bytes, each turned into blocks and freed before the
   * next, until --max-article is reached: a 16 MB file never builds
   * gigabytes of nodes to keep 4 MB. */
  gsize max_text = kq_read_max_article(opts);
  gsize body_len = (gsize)(data + len - body);
  MdCtx ctx = {.path = path,
               .log = log,
               .opts = opts,
               .max_depth = MIN(kq_read_max_depth(opts), MD_MAX_SAFE_DEPTH),
               .max_text = max_text,
               .pending_images = g_ptr_array_new_with_free_func((GDestroyNotify)kq_block_free)};
  for (gsize off = 0; off < body_len && !ctx.full;) {
    gsize n = chunk_end(body + off, body_len - off);
    cmark_node *doc = cmark_parse_document(body + off, n, CMARK_OPT_DEFAULT);
    blocks_from(&ctx, doc, a->blocks, 0);
    cmark_node_free(doc);
    off += n;
  }
  g_ptr_array_unref(ctx.pending_images);

  title_from_heading(a);
  if (!a->title && a->blocks->len == 0) {
    kq_article_free(a);
    g_set_error(error, KQ_READ_ERROR, KQ_READ_ERROR_EMPTY, "no title and no text");
    return FALSE;
  }
  if (!a->title) {
    char *base = g_path_get_basename(path);
    char *dot = strrchr(base, '.');
    if (dot)
      *dot = '\0';
    KQ_WARN(log, path, 0, "no title: using the file name");
    kq_set_string(&a->title, base);
    g_free(base);
  }
  kq_lang_fix_article(a);
  g_ptr_array_add(out, a);
  return TRUE;
}

const KqReader kq_reader_markdown = {
    "markdown",
    md_extensions,
    md_sniff,
    md_read,
};
