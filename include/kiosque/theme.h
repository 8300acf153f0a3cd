/* theme.h: PDF themes (styles/NAME.theme, GKeyFile): paper, margins, columns, fonts, colours. */
#ifndef KIOSQUE_THEME_H
#define KIOSQUE_THEME_H

#include <glib.h>

G_BEGIN_DECLS

/* A colour, components 0..1. */
typedef struct {
  double r, g, b;
} KqColour;

/*
 * A loaded theme. Lengths are PDF points (1/72 in): the file gives margins
 * in millimetres ("20mm"), sizes in points ("10.5pt"); a bare number in a
 * margin key is millimetres, elsewhere points. The fonts are owned by the
 * theme.
 */
typedef struct {
  const char *paper;      /* "a4", "a5", "letter" (static) */
  double page_width, page_height;
  double margin_top, margin_bottom, margin_inner, margin_outer;
  int columns;            /* 1 or 2 */
  double column_gap;
  /* body text */
  char *body_font;        /* family */
  double body_size, leading;
  double indent;          /* first-line indent */
  double paragraph_space; /* extra space between paragraphs */
  KqColour text_colour;
  /* headings and display text */
  char *heading_font;
  double title_size;      /* article title */
  double part_size;       /* group (part) title */
  double heading_size;    /* headings inside articles */
  double standfirst_size;
  double meta_size;       /* meta line, captions, source lines */
  KqColour heading_colour;
  KqColour meta_colour;
  KqColour link_colour;
  KqColour rule_colour;
  /* code */
  char *code_font;
  double code_size;
  KqColour code_background;
  double inline_code_scale; /* inline code: its size over the surrounding text's */
  /* running heads and folios */
  double head_size;
  gboolean groups_new_page; /* each group opens on a part page */
} KqTheme;

/* Built-in defaults (the same values as styles/default.theme). Caller frees. */
KqTheme *kq_theme_new_default(void);

/* Loads a theme file over the defaults (styles/default.theme's designs
 * included: kq_theme_load_for()). Unknown keys are ignored; a bad value is
 * an error naming the file, group and key (KQ_WRITE_ERROR_STYLE). */
KqTheme *kq_theme_load(const char *path, GError **error);

/*
 * Loads theme files (NULL-terminated, applied in order over the defaults
 * and over styles/default.theme found by kq_theme_find(), unless it is the
 * first file) for one page design (L-6): paper ("a4", "a5", "letter"; NULL: the files'
 * [page] paper) and columns (1, 2; 0: the files' [page] columns). Each
 * file's groups apply, then [GROUP:PAPER], then [GROUP:PAPER:COLUMNS]
 * (e.g. [text:a5:2]), so one file holds a design per paper and column
 * count. Errors as kq_theme_load(); a bad paper too. Caller frees.
 */
KqTheme *kq_theme_load_for(const char *const *files, const char *paper, int columns,
                           GError **error);

/*
 * The theme file for --style NAME / --theme FILE: theme_file when given,
 * else NAME.theme (NULL name: "default") found by kq_style_path() (writer.h:
 * $KIOSQUE_STYLES_DIR, the installed styles, the source tree's). NULL with
 * KQ_WRITE_ERROR_STYLE when not found. Caller frees.
 */
char *kq_theme_find(const char *style, const char *theme_file, GError **error);

/* Sets page size from "a4", "a5" or "letter" (case-insensitive); FALSE when unknown. */
gboolean kq_theme_set_paper(KqTheme *theme, const char *paper);

void kq_theme_free(KqTheme *theme);

G_END_DECLS

#endif
