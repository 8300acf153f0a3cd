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
      g_free(theme->paper);
      theme->paper = g_strdup(papers[i].name);
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
  t->margin_top = 22 * MM;
  t->margin_bottom = 24 * MM;
  t->margin_inner = 22 * MM;
  t->margin_outer = 26 * MM;
  t->columns = 1;
  t->column_gap = 7 * MM;
  t->body_font = g_strdup("Linux Libertine O");
  t->body_size = 10.5;
  t->leading = 13.5;
  t->indent = 12.0;
  t->paragraph_space = 0;
  t->text_colour = (KqColour){0.08, 0.08, 0.08};
  t->heading_font = g_strdup("Linux Biolinum O");
  t->title_size = 17;
  t->part_size = 28;
  t->heading_size = 12;
  t->standfirst_size = 11.5;
  t->meta_size = 8.5;
  t->heading_colour = (KqColour){0.05, 0.12, 0.25};
  t->meta_colour = (KqColour){0.35, 0.35, 0.35};
  t->link_colour = (KqColour){0.05, 0.25, 0.55};
  t->rule_colour = (KqColour){0.6, 0.6, 0.6};
  t->code_font = g_strdup("DejaVu Sans Mono");
  t->code_size = 8.2;
  t->code_background = (KqColour){0.95, 0.95, 0.94};
  t->head_size = 8.5;
  t->groups_new_page = TRUE;
  return t;
}

void kq_theme_free(KqTheme *theme)
{
  if (!theme)
    return;
  g_free(theme->paper);
  g_free(theme->body_font);
  g_free(theme->heading_font);
  g_free(theme->code_font);
  g_free(theme);
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
};
#undef F

KqTheme *kq_theme_load(const char *path, GError **error)
{
  KqTheme *t = kq_theme_new_default();
  GKeyFile *kf = g_key_file_new();
  GError *local = NULL;
  char *value = NULL;
  if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &local)) {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE, "%s: %s", path, local->message);
    goto fail;
  }
  value = g_key_file_get_string(kf, "page", "paper", NULL);
  if (value) {
    g_strstrip(value);
    if (!kq_theme_set_paper(t, value)) {
      g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE,
                  "%s: [page] paper: \"%s\" is not a4, a5 or letter", path, value);
      goto fail;
    }
    g_clear_pointer(&value, g_free);
  }
  for (gsize i = 0; i < G_N_ELEMENTS(theme_keys); i++) {
    const ThemeKey *k = &theme_keys[i];
    value = g_key_file_get_string(kf, k->group, k->key, NULL);
    if (!value)
      continue;
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
    if (!ok) {
      g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE, "%s: [%s] %s: bad value \"%s\"",
                  path, k->group, k->key, value);
      goto fail;
    }
    g_clear_pointer(&value, g_free);
  }
  if (t->body_size < 4 || t->body_size > 40 || t->leading < t->body_size * 0.9 ||
      t->leading > t->body_size * 3) {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE,
                "%s: [text] size %.1fpt / leading %.1fpt out of range", path, t->body_size,
                t->leading);
    goto fail;
  }
  if (t->margin_inner + t->margin_outer > t->page_width * 0.6 ||
      t->margin_top + t->margin_bottom > t->page_height * 0.6) {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE,
                "%s: [page] margins leave too little room for text", path);
    goto fail;
  }
  g_key_file_free(kf);
  return t;
fail:
  g_free(value);
  g_clear_error(&local);
  g_key_file_free(kf);
  kq_theme_free(t);
  return NULL;
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
