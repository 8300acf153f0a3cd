/* template.h: {placeholder} templates for edition titles and output file names. */
#ifndef KIOSQUE_TEMPLATE_H
#define KIOSQUE_TEMPLATE_H

#include <glib.h>

#include "kiosque/date.h"

G_BEGIN_DECLS

#define KQ_TEMPLATE_ERROR (kq_template_error_quark())
GQuark kq_template_error_quark(void);

typedef enum {
  KQ_TEMPLATE_ERROR_SYNTAX = 1,  /* a '{' without its '}' */
  KQ_TEMPLATE_ERROR_UNKNOWN,     /* a placeholder name not in the set below */
} KqTemplateError;

/*
 * Placeholders (names are case-sensitive; "{{" and "}}" give "{" and "}",
 * a lone "}" is kept as it is):
 *   {title}   the edition title          {period}  the human period ("janvier 2026")
 *   {group}   the group (with --split)   {n}       the volume number (1, 2, …)
 *   {month}   the month name in the edition language ("janvier", "January")
 *   {Month}   the same with a capital first letter ("Janvier")
 *   {year}    the year (2026)            {yyyy}    the year on four digits
 *   {mm}      the month on two digits    {dd}      the day on two digits
 *   {ww}      the ISO 8601 week on two digits
 *   {isoyear} the ISO 8601 week-numbering year that goes with {ww}
 * Date placeholders take their value from vars->date; a value that is not
 * known (NULL string, unset date, n <= 0) expands to nothing.
 */
typedef struct {
  const char *title;  /* borrowed */
  const char *period; /* borrowed */
  const char *group;  /* borrowed */
  const char *lang;   /* language of {month}: fr, en, de, es, pt (English otherwise) */
  KqDate date;        /* the date the date placeholders describe */
  int n;              /* volume number; <= 0: unknown */
} KqTemplateVars;

typedef enum {
  /* values inserted as they are */
  KQ_TEMPLATE_TEXT = 0,
  /* for file names: text values ({title} {period} {group} {month} {Month})
   * become slugs (ASCII, lower case, hyphens: kq_slugify), so that a value
   * never brings a '/' or a space into the name; the template's own text
   * is kept as written */
  KQ_TEMPLATE_FILE_NAME,
} KqTemplateMode;

/* Expands tmpl; a new string (caller frees), or NULL with error. */
char *kq_template_expand(const char *tmpl, const KqTemplateVars *vars, KqTemplateMode mode,
                         GError **error);

/* Checks syntax and names only (no values needed): for early usage errors. */
gboolean kq_template_check(const char *tmpl, GError **error);

/* TRUE when tmpl (assumed valid) contains the placeholder name ("n"). */
gboolean kq_template_uses(const char *tmpl, const char *name);

/* TRUE when tmpl contains any placeholder at all. */
gboolean kq_template_has_placeholders(const char *tmpl);

G_END_DECLS

#endif
