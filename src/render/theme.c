/* theme.c: loading PDF themes (GKeyFile) over built-in defaults. */
#include "kiosque/theme.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kiosque/datadir.h"
#include "kiosque/output.h"

#define MM (72.0 / 25.4)

static const struct {
  const char *name;
  double w, h; /* points */
} papers[] = {
    {"a4", 595.2756, 841.8898},
    {"a5", 419.5276, 595.2756},
    {"letter", 612.0, 792.0},
};

gboolean kq_theme_set_paper(KqTheme *theme, const char *paper)
{
  for (gsize i = 0; i < G_N_ELEMENTS(papers); i++) {
    if (g_ascii_strcasecmp(paper, papers[i].name) == 0) {
      theme->paper = papers[i].name;
      theme->page_width = papers[i].w;
      theme->page_height = papers[i].h;
      return TRUE;
    }
  }
  return FALSE;
}

KqTheme *kq_theme_new_default(void)
{
  KqTheme *t = g_new0(KqTheme, 1);
  kq_theme_set_paper(t, "a4");
  t->margin_top = 24 * MM;
  t->margin_bottom = 26 * MM;
  t->margin_inner = 40 * MM;
  t->margin_outer = 57 * MM;
  t->columns = 1;
  t->column_gap = 7 * MM;
  t->body_font = g_strdup("Linux Libertine O");
  t->body_size = 11.5;
  t->leading = 15;
  t->indent = 14.0;
  t->paragraph_space = 0;
  t->text_colour = (KqColour){0.08, 0.08, 0.08};
  t->heading_font = g_strdup("Linux Biolinum O");
  t->title_size = 18;
  t->part_size = 28;
  t->heading_size = 13;
  t->standfirst_size = 12.5;
  t->meta_size = 9;
  t->heading_colour = (KqColour){0.05, 0.12, 0.25};
  t->meta_colour = (KqColour){0.35, 0.35, 0.35};
  t->link_colour = (KqColour){0.05, 0.25, 0.55};
  t->rule_colour = (KqColour){0.6, 0.6, 0.6};
  t->code_font = g_strdup("Linux Libertine Mono O");
  t->code_size = 9.5;
  t->code_background = (KqColour){0.95, 0.95, 0.94};
  t->inline_code_scale = 1.0;
  t->head_size = 8.5;
  t->groups_new_page = TRUE;
  return t;
}

/* Parses "12", "12pt", "4.5mm", "1cm", "0.5in" into points; bare numbers use
 * bare_unit (MM or 1). FALSE when not a length. */
static gboolean parse_length(const char *s, double bare_unit, double *out)
{
  char *end = NULL;
  double v = g_ascii_strtod(s, &end);
  if (end == s || !isfinite(v) || v < 0)
    return FALSE;
  while (*end == ' ')
    end++;
  double unit = bare_unit;
  if (*end == '\0')
    unit = bare_unit;
  else if (strcmp(end, "pt") == 0)
    unit = 1;
  else if (strcmp(end, "mm") == 0)
    unit = MM;
  else if (strcmp(end, "cm") == 0)
    unit = 10 * MM;
  else if (strcmp(end, "in") == 0)
    unit = 72;
  else
    return FALSE;
  *out = v * unit;
  return TRUE;
}

/* "#rrggbb" or "#rgb". */
static gboolean parse_colour(const char *s, KqColour *out)
{
  gsize n = strlen(s);
  if (s[0] != '#' || (n != 7 && n != 4))
    return FALSE;
  for (gsize i = 1; i < n; i++)
    if (!g_ascii_isxdigit(s[i]))
      return FALSE;
  int c[3];
  for (int i = 0; i < 3; i++) {
    if (n == 7)
      c[i] = g_ascii_xdigit_value(s[1 + 2 * i]) * 16 + g_ascii_xdigit_value(s[2 + 2 * i]);
    else
      c[i] = g_ascii_xdigit_value(s[1 + i]) * 17;
  }
  out->r = c[0] / 255.0;
  out->g = c[1] / 255.0;
  out->b = c[2] / 255.0;
  return TRUE;
}

typedef enum { K_LEN_MM, K_LEN_PT, K_COLOUR, K_STRING, K_INT, K_BOOL } KeyType;

typedef struct {
  const char *group, *key;
  KeyType type;
  gsize offset;
} ThemeKey;

#define F(field) G_STRUCT_OFFSET(KqTheme, field)
static const ThemeKey theme_keys[] = {
    {"page", "margin-top", K_LEN_MM, F(margin_top)},
    {"page", "margin-bottom", K_LEN_MM, F(margin_bottom)},
    {"page", "margin-inner", K_LEN_MM, F(margin_inner)},
    {"page", "margin-outer", K_LEN_MM, F(margin_outer)},
    {"page", "columns", K_INT, F(columns)},
    {"page", "column-gap", K_LEN_MM, F(column_gap)},
    {"page", "groups-new-page", K_BOOL, F(groups_new_page)},
    {"text", "font", K_STRING, F(body_font)},
    {"text", "size", K_LEN_PT, F(body_size)},
    {"text", "leading", K_LEN_PT, F(leading)},
    {"text", "indent", K_LEN_PT, F(indent)},
    {"text", "paragraph-space", K_LEN_PT, F(paragraph_space)},
    {"text", "colour", K_COLOUR, F(text_colour)},
    {"headings", "font", K_STRING, F(heading_font)},
    {"headings", "title-size", K_LEN_PT, F(title_size)},
    {"headings", "part-size", K_LEN_PT, F(part_size)},
    {"headings", "heading-size", K_LEN_PT, F(heading_size)},
    {"headings", "standfirst-size", K_LEN_PT, F(standfirst_size)},
    {"headings", "colour", K_COLOUR, F(heading_colour)},
    {"meta", "size", K_LEN_PT, F(meta_size)},
    {"meta", "colour", K_COLOUR, F(meta_colour)},
    {"meta", "link-colour", K_COLOUR, F(link_colour)},
    {"meta", "rule-colour", K_COLOUR, F(rule_colour)},
    {"meta", "head-size", K_LEN_PT, F(head_size)},
    {"code", "font", K_STRING, F(code_font)},
    {"code", "size", K_LEN_PT, F(code_size)},
    {"code", "background", K_COLOUR, F(code_background)},
    {"code", "inline-scale", K_LEN_PT, F(inline_code_scale)},
};
#undef F

void kq_theme_free(KqTheme *theme)
{
  if (!theme)
    return;
  /* its strings are the K_STRING keys' (the fonts): apply_key() replaces them */
  for (gsize i = 0; i < G_N_ELEMENTS(theme_keys); i++)
    if (theme_keys[i].type == K_STRING)
      g_free(G_STRUCT_MEMBER(char *, theme, theme_keys[i].offset));
  g_free(theme);
}

static KqTheme *load_files(const char *const *paths, const char *paper, int columns,
                           GError **error);

/* Applies one key's value to t; FALSE (error set) when bad. */
static gboolean apply_key(KqTheme *t, const ThemeKey *k, const char *group, char *value,
                          const char *path, GError **error)
{
  g_strstrip(value);
  gpointer field = G_STRUCT_MEMBER_P(t, k->offset);
  gboolean ok = TRUE;
  switch (k->type) {
  case K_LEN_MM:
  case K_LEN_PT:
    ok = parse_length(value, k->type == K_LEN_MM ? MM : 1, (double *)field);
    break;
  case K_COLOUR:
    ok = parse_colour(value, (KqColour *)field);
    break;
  case K_STRING:
    ok = *value != '\0';
    if (ok) {
      g_free(*(char **)field);
      *(char **)field = g_strdup(value);
    }
    break;
  case K_INT: {
    char *end = NULL;
    gint64 v = g_ascii_strtoll(value, &end, 10);
    ok = end != value && *end == '\0' && v >= 1 && v <= 2;
    if (ok)
      *(int *)field = (int)v;
    break;
  }
  case K_BOOL:
    if (g_ascii_strcasecmp(value, "true") == 0)
      *(gboolean *)field = TRUE;
    else if (g_ascii_strcasecmp(value, "false") == 0)
      *(gboolean *)field = FALSE;
    else
      ok = FALSE;
    break;
  }
  if (!ok)
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE, "%s: [%s] %s: bad value \"%s\"",
                path, group, k->key, value);
  return ok;
}

/* Applies one theme file over t for a paper and column count: each group,
 * then its [group:PAPER] and [group:PAPER:COLUMNS] designs. paper NULL:
 * the file's (or t's); columns 0: the file's (or t's). */
static gboolean apply_file(KqTheme *t, const char *path, const char *paper, int columns,
                           GError **error)
{
  const char *design = t->paper; /* the paper whose design applies */
  GKeyFile *kf = g_key_file_new();
  GError *local = NULL;
  char *value = NULL;
  gboolean ok = FALSE;
  if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &local)) {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE, "%s: %s", path, local->message);
    goto out;
  }
  value = paper ? NULL : g_key_file_get_string(kf, "page", "paper", NULL);
  if (value) {
    g_strstrip(value);
    if (!kq_theme_set_paper(t, value)) {
      g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE,
                  "%s: [page] paper: \"%s\" is not a4, a5 or letter", path, value);
      goto out;
    }
    g_clear_pointer(&value, g_free);
  }
  for (int level = 0; level < 3; level++) {
    for (gsize i = 0; i < G_N_ELEMENTS(theme_keys); i++) {
      const ThemeKey *k = &theme_keys[i];
      char *group = level == 0   ? g_strdup(k->group)
                    : level == 1 ? g_strdup_printf("%s:%s", k->group, design)
                                 : g_strdup_printf("%s:%s:%d", k->group, design, columns);
      value = g_key_file_get_string(kf, group, k->key, NULL);
      int keep_columns = t->columns; /* chosen before any file (kq_theme_load_for) */
      gboolean good = !value || apply_key(t, k, group, value, path, error);
      t->columns = keep_columns;
      g_free(group);
      g_clear_pointer(&value, g_free);
      if (!good)
        goto out;
    }
  }
  if (t->body_size < 4 || t->body_size > 40 || t->leading < t->body_size * 0.9 ||
      t->leading > t->body_size * 3) {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE,
                "%s: [text] size %.1fpt / leading %.1fpt out of range", path, t->body_size,
                t->leading);
    goto out;
  }
  if (t->margin_inner + t->margin_outer > t->page_width * 0.6 ||
      t->margin_top + t->margin_bottom > t->page_height * 0.6) {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE,
                "%s: [page] margins leave too little room for text", path);
    goto out;
  }
  if (t->inline_code_scale < 0.5 || t->inline_code_scale > 1.5) {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE,
                "%s: [code] inline-scale %.2f out of range (0.5 to 1.5)", path,
                t->inline_code_scale);
    goto out;
  }
  ok = TRUE;
out:
  g_free(value);
  g_clear_error(&local);
  g_key_file_free(kf);
  return ok;
}

KqTheme *kq_theme_load_for(const char *const *files, const char *paper, int columns,
                           GError **error)
{
  /* the default theme's designs first (L-6), so a theme that leaves them
   * out keeps a readable measure on every paper and column count */
  char *base = kq_theme_find(NULL, NULL, NULL);
  GPtrArray *list = g_ptr_array_new();
  if (base && !(files && files[0] && strcmp(files[0], base) == 0))
    g_ptr_array_add(list, base);
  for (gsize i = 0; files && files[i]; i++)
    g_ptr_array_add(list, (gpointer)files[i]);
  g_ptr_array_add(list, NULL);
  KqTheme *t = load_files((const char *const *)list->pdata, paper, columns, error);
  g_ptr_array_unref(list);
  g_free(base);
  return t;
}

static KqTheme *load_files(const char *const *paths, const char *paper, int columns,
                           GError **error)
{
  KqTheme *t = kq_theme_new_default();
  if (paper && !kq_theme_set_paper(t, paper)) {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE, "paper \"%s\": use a4, a5 or letter",
                paper);
    kq_theme_free(t);
    return NULL;
  }
  /* the design is chosen by the paper and columns all files together ask
   * for (the last file naming them wins), before any file is applied */
  char *want_paper = paper ? g_strdup(paper) : NULL;
  for (gsize i = 0; paths && paths[i]; i++) {
    GKeyFile *kf = g_key_file_new();
    if (g_key_file_load_from_file(kf, paths[i], G_KEY_FILE_NONE, NULL)) {
      char *v = paper ? NULL : g_key_file_get_string(kf, "page", "paper", NULL);
      if (v) {
        g_free(want_paper);
        want_paper = g_strstrip(v);
      }
      v = g_key_file_get_string(kf, "page", "columns", NULL);
      if (v && (strcmp(g_strstrip(v), "1") == 0 || strcmp(v, "2") == 0) &&
          columns != 1 && columns != 2)
        t->columns = atoi(v);
      g_free(v);
    }
    g_key_file_free(kf);
  }
  if (want_paper && !paper)
    kq_theme_set_paper(t, want_paper); /* a bad name: apply_file() reports it with its file */
  g_free(want_paper);
  if (columns == 1 || columns == 2)
    t->columns = columns;
  columns = t->columns;
  for (gsize i = 0; paths && paths[i]; i++) {
    /* a file's own paper name is checked there; the design is the one
     * chosen above */
    const char *chosen = t->paper;
    gboolean ok = apply_file(t, paths[i], NULL, columns, error);
    if (ok && chosen != t->paper)
      kq_theme_set_paper(t, chosen);
    if (!ok) {
      kq_theme_free(t);
      return NULL;
    }
  }
  return t;
}

KqTheme *kq_theme_load(const char *path, GError **error)
{
  const char *paths[] = {path, NULL};
  return kq_theme_load_for(paths, NULL, 0, error);
}

char *kq_theme_find(const char *style, const char *theme_file, GError **error)
{
  if (theme_file) {
    if (g_file_test(theme_file, G_FILE_TEST_IS_REGULAR))
      return g_strdup(theme_file);
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE, "%s: theme file not found",
                theme_file);
    return NULL;
  }
  /* the same folders as the EPUB CSS (writer.h) */
  return kq_style_path(style, "theme", error);
}
