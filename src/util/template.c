/* template.c: expands {title} {period} {group} {month} {year} {yyyy} {mm} {dd} {ww} {n} in titles and file names. */
#include "kiosque/template.h"

#include <string.h>

#include "kiosque/l10n.h"

G_DEFINE_QUARK(kq-template-error-quark, kq_template_error)

typedef enum {
  P_TITLE, P_PERIOD, P_GROUP, P_MONTH, P_MONTH_CAP, P_YEAR, P_YYYY, P_MM, P_DD, P_WW,
  P_ISOYEAR, P_N,
} Placeholder;

static const struct {
  const char *name;
  Placeholder id;
} names[] = {
    {"title", P_TITLE}, {"period", P_PERIOD}, {"group", P_GROUP},   {"month", P_MONTH},
    {"Month", P_MONTH_CAP}, {"year", P_YEAR}, {"yyyy", P_YYYY},     {"mm", P_MM},
    {"dd", P_DD},       {"ww", P_WW},         {"isoyear", P_ISOYEAR}, {"n", P_N},
};

#define KNOWN "{title} {period} {group} {month} {Month} {year} {yyyy} {mm} {dd} {ww} {isoyear} {n}"

static void append_text(GString *out, const char *value, KqTemplateMode mode)
{
  if (!value || !*value)
    return;
  if (mode == KQ_TEMPLATE_FILE_NAME) {
    char *slug = kq_slugify(value);
    g_string_append(out, slug);
    g_free(slug);
  } else {
    g_string_append(out, value);
  }
}

static void append_value(GString *out, Placeholder id, const KqTemplateVars *v,
                         KqTemplateMode mode)
{
  const KqDate *d = &v->date;
  switch (id) {
  case P_TITLE: append_text(out, v->title, mode); return;
  case P_PERIOD: append_text(out, v->period, mode); return;
  case P_GROUP: append_text(out, v->group, mode); return;
  case P_N:
    if (v->n > 0)
      g_string_append_printf(out, "%d", v->n);
    return;
  default: break;
  }
  /* the date's parts: nothing without a date */
  if (!d->set)
    return;
  int y = 0, w = 0;
  switch (id) {
  case P_MONTH: append_text(out, kq_l10n_month(v->lang, d->month), mode); break;
  case P_MONTH_CAP: {
    const char *m = kq_l10n_month(v->lang, d->month);
    gunichar first = g_utf8_get_char(m);
    char buf[8];
    int len = g_unichar_to_utf8(g_unichar_totitle(first), buf);
    char *cap = g_strdup_printf("%.*s%s", len, buf, g_utf8_next_char(m));
    append_text(out, cap, mode);
    g_free(cap);
    break;
  }
  case P_YEAR: g_string_append_printf(out, "%d", d->year); break;
  case P_YYYY: g_string_append_printf(out, "%04d", d->year); break;
  case P_MM: g_string_append_printf(out, "%02d", d->month); break;
  case P_DD: g_string_append_printf(out, "%02d", d->day); break;
  case P_WW:
    kq_date_iso_week(d, &y, &w);
    g_string_append_printf(out, "%02d", w);
    break;
  case P_ISOYEAR:
    kq_date_iso_week(d, &y, &w);
    g_string_append_printf(out, "%04d", y);
    break;
  default: break;
  }
}

/* One walk serves expansion (out != NULL) and checks (out == NULL); when
 * want is not NULL, *found says whether that placeholder occurs. */
static gboolean walk(const char *tmpl, const KqTemplateVars *vars, KqTemplateMode mode,
                     GString *out, const char *want, gboolean *found, GError **error)
{
  const char *p = tmpl;
  while (*p) {
    if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
      if (out)
        g_string_append_c(out, p[0]);
      p += 2;
      continue;
    }
    if (*p != '{') {
      if (out)
        g_string_append_c(out, *p);
      p++;
      continue;
    }
    const char *close = strchr(p + 1, '}');
    const char *next_open = strchr(p + 1, '{');
    if (!close || (next_open && next_open < close)) {
      g_set_error(error, KQ_TEMPLATE_ERROR, KQ_TEMPLATE_ERROR_SYNTAX,
                  "template \"%s\": '{' at offset %td has no closing '}' (write {{ for a "
                  "literal brace)",
                  tmpl, p - tmpl);
      return FALSE;
    }
    gsize len = (gsize)(close - p - 1);
    gboolean known = FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS(names) && !known; i++) {
      if (strlen(names[i].name) != len || strncmp(names[i].name, p + 1, len) != 0)
        continue;
      known = TRUE;
      if (want && found && strcmp(want, names[i].name) == 0)
        *found = TRUE;
      if (out)
        append_value(out, names[i].id, vars, mode);
    }
    if (!known) {
      g_set_error(error, KQ_TEMPLATE_ERROR, KQ_TEMPLATE_ERROR_UNKNOWN,
                  "template \"%s\": unknown placeholder {%.*s} (known: " KNOWN ")", tmpl,
                  (int)len, p + 1);
      return FALSE;
    }
    p = close + 1;
  }
  return TRUE;
}

char *kq_template_expand(const char *tmpl, const KqTemplateVars *vars, KqTemplateMode mode,
                         GError **error)
{
  g_return_val_if_fail(tmpl && vars, NULL);
  GString *out = g_string_new(NULL);
  if (!walk(tmpl, vars, mode, out, NULL, NULL, error)) {
    g_string_free(out, TRUE);
    return NULL;
  }
  return g_string_free(out, FALSE);
}

gboolean kq_template_check(const char *tmpl, GError **error)
{
  g_return_val_if_fail(tmpl, FALSE);
  return walk(tmpl, NULL, KQ_TEMPLATE_TEXT, NULL, NULL, NULL, error);
}

gboolean kq_template_uses(const char *tmpl, const char *name)
{
  gboolean found = FALSE;
  if (tmpl && name)
    walk(tmpl, NULL, KQ_TEMPLATE_TEXT, NULL, name, &found, NULL);
  return found;
}

gboolean kq_template_has_placeholders(const char *tmpl)
{
  if (!tmpl)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
    if (kq_template_uses(tmpl, names[i].name))
      return TRUE;
  return FALSE;
}
