/* pdf_plan.h: the page plan pagination fills once (pages, placements, the chosen line breaks) and drawing walks. */
#ifndef KQ_PDF_PLAN_H
#define KQ_PDF_PLAN_H

#include <glib.h>

/*
 * The PDF is laid out once, into a plan; drawing only reads it (mupdf's
 * layout-then-draw). What the plan keeps for the whole document is small:
 * per page its kind, number and placements, per paragraph the line breaks
 * kq_pdf_break_lines() chose (a few ints a line), never a layout. Drawing
 * shapes each paragraph again with its recorded breaks, so it decides no
 * break and no position of its own.
 */

/* ---- Chosen line breaks ------------------------------------------------ */

/* The breaks chosen for the paragraphs of one flow (an article's, or the
 * contents'), each under a key: KQ_PLAN_KEY(item, part) in a flow (part 0
 * the item's text, 1 + c a table row's cell c), the entry's index in the
 * contents. */
typedef struct KqPlanBreaks KqPlanBreaks;
#define KQ_PLAN_KEY(item, part) ((guint)(item) * 32u + (guint)(part))

/* with_text: also keep each paragraph's lines as text (for kq_pdf_plan_text). */
KqPlanBreaks *kq_plan_breaks_new(gboolean with_text);
void kq_plan_breaks_free(KqPlanBreaks *b);
gboolean kq_plan_breaks_with_text(const KqPlanBreaks *b);

/* Records the breaks of paragraph key (keys ascending): codes as
 * kq_pdf_break_lines() returns them (n of them); or, wrapped, the lines
 * Pango chose for text it wraps itself (code, centred captions, table
 * cells) as pdf_flow.c's layout_runs() writes them. With text kept, the
 * paragraph's lines are taken from text cut at starts (byte offsets,
 * ascending, n_starts of them): soft hyphens and inserted separators
 * left out, a hyphen where a line ends at a soft hyphen. */
void kq_plan_breaks_add(KqPlanBreaks *b, guint key, const int *codes, guint n, gboolean wrapped,
                        const char *text, const int *starts, guint n_starts);

/* A display text set smaller than its role's size so that its widest word
 * fits (L-5): the scale the layout chose for key, recorded after its
 * breaks, so that drawing sets it alike without measuring again; 1 when
 * none is recorded. */
void kq_plan_breaks_set_scale(KqPlanBreaks *b, guint key, double scale);
double kq_plan_breaks_scale(const KqPlanBreaks *b, guint key);

/* The codes recorded for key (*n of them), or NULL when key has none. */
const int *kq_plan_breaks_find(const KqPlanBreaks *b, guint key, guint *n);
/* The same for a paragraph Pango wrapped. */
const int *kq_plan_breaks_find_wrapped(const KqPlanBreaks *b, guint key, guint *n);

/* ---- Pages and placements ---------------------------------------------- */

typedef enum {
  KQ_PLAN_TITLE = 0, /* the title page */
  KQ_PLAN_TOC,       /* a page of the contents */
  KQ_PLAN_PART,      /* a group's part page: its title alone */
  KQ_PLAN_BODY,      /* articles (and, without part pages, a group's title at the top) */
} KqPlanPageKind;

enum {
  KQ_PLACE_FIRST = 1, /* the first placement of its article */
  KQ_PLACE_LAST = 2,  /* the last placement of its article */
  KQ_PLACE_TOC = 4,   /* a contents entry: article is the group or article index, item the
                       * entry's index in the contents */
  KQ_PLACE_GROUP = 8, /* a contents entry for a group */
};

/* Lines [first, end) of item item of article article's flow, their top y
 * points below the text area's top in column col, the item x points right
 * of the column's left edge. */
typedef struct {
  guint article;
  guint item;
  guint first, end;
  double x, y;
  guint8 col;
  guint8 flags;      /* KQ_PLACE_* */
  const char *tag;   /* the item's structure tag, static ("P", "H2"...); for the text form */
} KqPlacement;

typedef struct {
  KqPlanPageKind kind;
  int number;        /* the folio */
  guint group;       /* the group its running head names */
  int opens_group;   /* the group whose title this page opens, or -1 */
  guint first, n;    /* its placements: places[first, first + n) */
} KqPlanPage;

/* What the plan keeps of one article. */
typedef struct {
  int page;             /* the page of its title */
  KqPlanBreaks *breaks; /* its flow's breaks (owned) */
} KqPlanArticle;

typedef struct {
  /* geometry (points) */
  double page_w, page_h, margin_top, margin_inner, margin_outer, col_w, column_gap, text_h;
  int columns;
  GArray *pages;             /* KqPlanPage, in order */
  GArray *places;            /* KqPlacement, in drawing order */
  guint n_articles, n_groups;
  KqPlanArticle *articles;   /* per article (reading order) */
  int *group_page;           /* per group: the page that opens it */
  KqPlanBreaks *toc_breaks;  /* the contents entries' (owned) */
} KqPlan;

KqPlan *kq_plan_new(guint n_articles, guint n_groups, gboolean with_text);
void kq_plan_free(KqPlan *plan);

/* Starts page number plan->pages->len + 1; returns it (valid until the next call). */
KqPlanPage *kq_plan_add_page(KqPlan *plan, KqPlanPageKind kind, guint group);
/* Places lines of an item on the last page. */
KqPlacement *kq_plan_add_place(KqPlan *plan, guint article, guint item, guint first, guint end,
                               int col, double x, double y, const char *tag);

/* The x of column col's left edge on page number (recto odd, verso even). */
double kq_plan_col_left(const KqPlan *plan, int number, int col);

/*
 * The plan as text, one line per page and per placement, each placement
 * followed by its lines' text when the breaks kept it: for golden tests
 * whose diffs say what moved (like Pango's layout tests). Caller frees.
 */
char *kq_plan_to_text(const KqPlan *plan);

#endif
