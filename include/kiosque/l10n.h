/* l10n.h: the edition's own words in one place: labels, long dates, slugs (fr, en, de, es, pt). */
#ifndef KIOSQUE_L10N_H
#define KIOSQUE_L10N_H

#include <glib.h>

#include "kiosque/date.h"

G_BEGIN_DECLS

/*
 * Every word kiosque writes itself (not the articles') comes from here or
 * from date.h's month tables (kq_date_month_name, kq_date_format_long), for
 * the collector's group titles, the readers' month names, both writers and
 * the output-name templates: a sixth language is one column more here.
 */

/* Localized texts of the edition language (fr, en, de, es, pt; English
 * otherwise). Borrowed static strings. key: "uncategorized", "undated",
 * "week", "default_title", "contents", "sources", "source", "original",
 * "views", "published", "updated", "by", "articles", "article",
 * "generated", "generated_on", "cover", "title_page". An unknown key is
 * returned as is. */
const char *kq_l10n(const char *lang, const char *key);

/* A label followed by its colon as the language writes it: "Sources : "
 * (U+00A0 before the colon) in French, "Sources: " elsewhere. Caller frees. */
char *kq_l10n_label(const char *lang, const char *key);

/* "Édition générée le 31 mars 2026", "Generated on March 31, 2026"…: when
 * (Unix time, UTC calendar day) in words. Caller frees. */
char *kq_l10n_generated_on(const char *lang, gint64 when);

/* Slug for file names: ASCII, lower case, hyphens ("Revue tech — 2026" →
 * "revue-tech-2026"). Caller frees. */
char *kq_slugify(const char *text);

G_END_DECLS

#endif
