/* pdf_private.h: the PDF writer's internal types: shapers (one per thread), flow items, images. */
#ifndef KQ_PDF_PRIVATE_H
#define KQ_PDF_PRIVATE_H

#include <cairo.h>

#include "kiosque/image.h"
#include <glib.h>
#include <pango/pangocairo.h>

#include "kiosque/article.h"
#include "kiosque/furniture.h"
#include "kiosque/log.h"
#include "kiosque/theme.h"
#include "kiosque/typo.h"
#include "pdf/pdf_plan.h"

/* Text roles: each a font description and a colour from the theme. */
typedef enum {
  ROLE_BODY = 0,
  ROLE_TITLE,      /* article title */
  ROLE_PART,       /* group title on a part page */
  ROLE_HEADING,    /* headings inside articles */
  ROLE_STANDFIRST,
  ROLE_META,       /* meta line, captions, sources */
  ROLE_CODE,
  ROLE_HEAD,       /* running heads, folios */
  ROLE_TOC_GROUP,
  ROLE_COVER,      /* title page title */
  N_ROLES
} Role;

/* The ascent and descent of each role's font, in points. */
typedef struct {
  double ascent[N_ROLES];
  double descent[N_ROLES];
} RoleMetrics;

/* Everything one thread needs to lay text out. Layout-only data: one per
 * thread, never shared (Pango objects are not thread-safe). The main
 * thread's shaper is drawable (PangoCairo fonts); the workers' shape with
 * PangoFT2 fonts, which never touch Cairo (fonts.h), and their layouts are
 * drawn with the drawable shaper's matching fonts (kq_pdf_show_line). */
typedef struct {
  PangoFontMap *font_map;     /* owned */
  PangoContext *context;      /* owned; unrounded positions */
  PangoFontDescription *font[N_ROLES];
  RoleMetrics metrics;
  const KqTheme *theme;       /* borrowed */
  GHashTable *sups;           /* owned: "font\x1ftext" -> 1 when the font's OpenType
                               * sups covers every character of text, 2 when not */
  GHashTable *pua_glyphs;     /* owned: PangoFont* (ref) -> hb_set_t* of glyphs the font's
                               * cmap gives a private-use code point (pdf_glyphs.c) */
  GHashTable *drawn_fonts;    /* owned, drawable shapers only: a worker's PangoFont (ref)
                               * -> this shaper's font for the same face and size (ref) */
} Shaper;

/* options: a drawable shaper with these Cairo font options; NULL: a
 * worker's shaper, for layout only. metrics: those of an earlier shaper of
 * the same kind and theme (the same fonts from the same configuration), or
 * NULL to measure them: Pango measures a font by shaping its language's
 * sample text, about 1.4 M instructions per role, and a PDF makes a shaper
 * per worker and per flow drawn ahead (nine for two threads). */
Shaper *kq_pdf_shaper_new(const KqTheme *theme, const cairo_font_options_t *options,
                          const RoleMetrics *metrics);
void kq_pdf_shaper_free(Shaper *shaper);

/* A link inside a text item: byte range of the layout text. */
typedef struct {
  int start, end;
  char *href;  /* owned: "uri" or "#dest" */
} Link;

typedef enum {
  ITEM_TEXT = 0,  /* a laid-out paragraph: lines */
  ITEM_IMAGE,     /* one unbreakable line: image (+ its caption is a separate item) */
  ITEM_RULE,      /* horizontal rule */
  ITEM_ROW,       /* table row: cells side by side, unbreakable */
} ItemKind;

/* Structure tags opened before an item and closed after it (L, LI, Table,
 * BlockQuote...); the leaf tag (P, H2...) wraps each drawn fragment. */
#define ITEM_MAX_OPEN 4

/* One block of the flow. Built for the layout only the metrics are kept
 * (line_h, line_base); built for drawing (keep_layouts) the layout too. */
typedef struct {
  ItemKind kind;
  Role role;
  const char *leaf_tag;         /* "P", "H2", "Figure", "Code"... static */
  const char *open_tags[ITEM_MAX_OPEN]; /* static strings, NULL-terminated */
  int n_close;                  /* group tags to close after the item */
  double x, width;              /* indent from the column's left edge, measure */
  double space_before, space_after;
  gboolean keep_with_next;
  gboolean unbreakable;
  gboolean boxed;               /* code: background box */
  gboolean centred;             /* lines centred on the item's width (captions) */
  gboolean continuation_marks;  /* code: mark wrapped lines */
  guint n_lines;
  double *line_h;               /* owned, n_lines */
  double *line_base;            /* owned, baseline offset from the line top */
  guint8 *line_hyphen;          /* owned or NULL: line ends with a hyphen (HY-6) */
  /* draw mode */
  PangoLayout *layout;          /* owned: ITEM_TEXT */
  GArray *links;                /* Link */
  char *dest;                   /* owned: destination name drawn with the item */
  char *marker;                 /* owned: list bullet or number, drawn left of line 0 */
  double marker_x;              /* where the marker ends, from the item's x */
  /* ITEM_IMAGE */
  const KqImage *image;         /* borrowed from the resolver, which outlives the flows */
  double image_w, image_h;
  /* ITEM_ROW */
  GPtrArray *cells;             /* PangoLayout*, owned */
  GArray *cell_x;               /* double: x of each cell */
  gboolean header_row;
  gboolean first_row;
} Item;

void kq_pdf_item_free(Item *item);
/* Drops the layouts of an item, keeping its metrics. */
void kq_pdf_item_strip(Item *item);

/* What the flow builder needs to know about the page. */
typedef struct {
  Shaper *shaper;
  const KqTheme *theme;
  const KqTypo *typo;
  KqLog *log;                 /* the main thread's, or a worker's capture (log.h) */
  KqImageResolver *images;    /* borrowed: every image decision (image.h) */
  double width;               /* column measure */
  double max_image_h;         /* column height, for scaling images */
  gboolean keep_layouts;      /* draw mode */
  /* The chosen line breaks (pdf_plan.h): laying out adds each text item's
   * to breaks_out; drawing builds the same items again and breaks them
   * where breaks_in says, deciding nothing. With neither, breaks are
   * chosen and used at once (tests). */
  KqPlanBreaks *breaks_out;
  const KqPlanBreaks *breaks_in;
  guint item;                 /* the paragraph being laid out: KQ_PLAN_KEY(item, part) */
  gboolean in_item;           /* set while it is laid out */
} FlowCtx;

/*
 * Builds the flow of one article: title, standfirst, meta line, source and
 * sources read from its furniture (furniture.h, borrowed), body blocks from
 * article (already typeset: kq_typo_blocks()). index is
 * the article's number (destination "a<index>"). Returns a new array of
 * Item* that frees its items.
 */
GPtrArray *kq_pdf_article_flow(FlowCtx *fc, const KqArticle *article,
                               const KqArticleFurniture *furniture, guint index);

/* Lays out plain text in a role, ragged or justified, at width (points). */
PangoLayout *kq_pdf_plain_layout(Shaper *sh, Role role, const char *text, double width,
                                 PangoAlignment align);

/* Display text (contents entries, cover and part titles), already typeset
 * (the edition's furniture, furniture.h): ragged at width with lines after
 * the first indented by hang, balanced, never hyphenated nor broken inside
 * a word (L-5), a word wider than the measure making the whole text
 * smaller; scale: of the role's size. Caller frees. */
PangoLayout *kq_pdf_display_layout(Shaper *sh, Role role, const char *text, const char *lang,
                                   double width, double hang, double scale);
/* The same for text already typeset (runs, borrowed: the edition's
 * furniture, furniture.h). breaks (or NULL): where key has breaks, the
 * text is broken there; else the breaks chosen are added under key (the
 * contents' entries: laid out, then drawn at the plan's breaks). Caller
 * frees. */
PangoLayout *kq_pdf_display_layout_runs(Shaper *sh, Role role, const GPtrArray *runs,
                                        const char *lang, double width, double hang, double scale,
                                        KqPlanBreaks *breaks, guint key);

/* Line metrics of a text item from its layout (fills n_lines, line_h, line_base). */
void kq_pdf_item_measure(Shaper *sh, Item *item, double leading);
/* The same for the item's layout text cut into lines at starts (byte offsets,
 * ascending, starts[0] 0): see kq_pdf_lines_extents(). */
void kq_pdf_item_measure_lines(Shaper *sh, Item *item, const int *starts, guint n,
                               double leading);

/* Test hook: paginates metrics-only items (line_h set) on pages of one or
 * two columns text_h high, starting on page 1 at start_y, into a plan.
 * Returns ints, four per placement: first line, end line, page, column.
 * Caller frees. */
GArray *kq_pdf_paginate_metrics(GPtrArray *items, double text_h, int columns, double start_y);

/* ---- pdf_glyphs.c: the text layer ---- */

/* Draws line at cr's current point (pango_cairo_show_layout_line) after
 * replacing, in place, each ligature glyph Cairo would map to a private-use
 * code point by the glyphs of its letters at the same width (L-11), and a
 * worker's fonts by sh's (sh drawable). */
void kq_pdf_show_line(Shaper *sh, cairo_t *cr, PangoLayoutLine *line);

/* ---- pdf_lines.c: the line breaker ---- */

/* kq_pdf_break_lines() flags */
#define KQ_BREAK_JUSTIFY 1     /* total fit (else first fit, ragged) */
#define KQ_BREAK_BALANCE 2     /* ragged lines as even as possible (L-5) */
#define KQ_BREAK_WHOLE_WORDS 4 /* never inside a word, even one wider than the line (L-5) */

/*
 * Line breaks of a paragraph laid out unwrapped (width -1) for a measure of
 * width points, first-line indent as pango_layout_set_indent() (points).
 * Break opportunities: Pango's, less those French forbids (L-1 no-break
 * spaces, L-2 ranges and minus signs, L-3 incise dashes); inside URLs and
 * the code spans (code_spans: byte offsets, start and end pairs, ascending;
 * or NULL) L-4's instead. KQ_BREAK_JUSTIFY: total fit (Knuth-Plass: word
 * spaces stretch or shrink, demerits for loose lines, hyphens, URL breaks,
 * two hyphenated lines in a row, fitness classes apart; never a very loose
 * line beside a tight one (L-8) unless every such setting has a hole), and
 * a pass with emergency stretch when a line comes out too loose (L-7); ragged
 * text, or justified text with a token wider than the measure: first fit,
 * balanced with KQ_BREAK_BALANCE. Trailing white space not counted, the
 * hyphen's width counted at a soft hyphen; HY-6 (never three hyphenated
 * lines in a row); a token wider than the measure is cut at an L-4 point
 * or between characters (not with KQ_BREAK_WHOLE_WORDS). Mandatory breaks
 * are not listed. Returns ints: char_offset * 2 + (1 if the line ends at a
 * soft hyphen), ascending, each the offset where a line starts. Caller
 * frees. A justified line may be wider than the measure by what its spaces
 * shrink.
 */
GArray *kq_pdf_break_lines(PangoLayout *unwrapped, double width, double indent, int flags,
                           const GArray *code_spans);

/* Width (points) of the widest word of a layout laid out unwrapped, words
 * delimited by the white space a line may break at (a no-break space joins
 * its neighbours: "mot :"); linear in its length. */
double kq_pdf_widest_word(PangoLayout *unwrapped);

/* Shapes the hyphen drawn at a soft hyphen break (U+2010, else '-') into gs. */
void kq_pdf_shape_hyphen(const PangoAnalysis *analysis, PangoGlyphString *gs);

/* After laying out text with a U+2028 inserted at each break: at those line
 * ends (soft: ascending byte offsets of the inserted separators) shows the
 * soft hyphen as a hyphen and gives trailing white space no width. */
void kq_pdf_fix_line_ends(PangoLayout *layout, const GArray *soft);

/* Ascent and descent (points; -1 for a line without glyphs) of each line
 * of layout's text cut at starts (byte offsets, ascending, starts[0] 0; n
 * lines), whatever lines the layout itself has; hyphen[i]: line i ends at a
 * soft hyphen. U+2028 separators are not measured. */
void kq_pdf_lines_extents(PangoLayout *layout, const int *starts, guint n, double *asc,
                          double *desc, guint8 *hyphen);

/* Whether a separator starting at byte offset was inserted (soft: sorted). */
gboolean kq_pdf_is_soft_end(const GArray *soft, int offset);

/* Counters (paragraph layouts, re-layouts for HY-6 and overflow), for -v. */
extern int kq_pdf_stat_layouts, kq_pdf_stat_relayouts, kq_pdf_stat_shy_overflow;

#endif
