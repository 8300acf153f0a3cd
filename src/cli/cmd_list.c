/* cmd_list.c: `kiosque list`, the archive as a grouped table or as JSON. */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Every string goes through kq_log_escape (bytes that are not UTF-8, as in
 * a file name, become the text \xNN): the output is always valid JSON. */
static void add_value(JsonBuilder *b, const char *value)
{
  char *v = kq_log_escape(value, FALSE);
  json_builder_add_string_value(b, v);
  g_free(v);
}

static void add_string(JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name(b, name);
  if (value)
    add_value(b, value);
  else
    json_builder_add_null_value(b);
}

static void add_strings(JsonBuilder *b, const char *name, const GPtrArray *values)
{
  json_builder_set_member_name(b, name);
  json_builder_begin_array(b);
  for (guint i = 0; i < values->len; i++)
    add_value(b, g_ptr_array_index(values, i));
  json_builder_end_array(b);
}

static void add_date(JsonBuilder *b, const char *name, const KqDate *d)
{
  char *s = kq_date_to_string(d);
  add_string(b, name, s);
  g_free(s);
}

static void article_json(JsonBuilder *b, const KqArticle *a, const KqGroup *g, gboolean body)
{
  json_builder_begin_object(b);
  add_string(b, "id", a->id);
  add_string(b, "path", a->source_path);
  add_string(b, "format", kq_format_name(a->format));
  add_string(b, "title", a->title);
  add_string(b, "standfirst", a->standfirst);
  add_string(b, "site", a->site);
  add_string(b, "url", a->url);
  add_strings(b, "authors", a->authors);
  add_strings(b, "topics", a->topics);
  add_strings(b, "sources", a->sources);
  add_date(b, "published", &a->published);
  add_date(b, "updated", &a->updated);
  add_string(b, "lang", a->lang);
  json_builder_set_member_name(b, "views");
  if (a->views >= 0)
    json_builder_add_int_value(b, a->views);
  else
    json_builder_add_null_value(b);
  json_builder_set_member_name(b, "words");
  json_builder_add_int_value(b, kq_article_count_words(a));
  add_string(b, "group", g->key);
  add_string(b, "group_title", g->title);
  if (body) {
    char *text = kq_blocks_to_text(a->blocks);
    add_string(b, "text", text);
    g_free(text);
  }
  json_builder_end_object(b);
}

static void print_json(const KqEdition *ed, gboolean body)
{
  JsonBuilder *b = json_builder_new();
  json_builder_begin_array(b);
  for (guint g = 0; g < ed->groups->len; g++) {
    const KqGroup *grp = g_ptr_array_index(ed->groups, g);
    for (guint i = 0; i < grp->articles->len; i++)
      article_json(b, g_ptr_array_index(grp->articles, i), grp, body);
  }
  json_builder_end_array(b);
  JsonGenerator *gen = json_generator_new();
  JsonNode *root = json_builder_get_root(b);
  json_generator_set_root(gen, root);
  json_generator_set_pretty(gen, TRUE);
  char *text = json_generator_to_data(gen, NULL);
  fputs(text, stdout);
  fputc('\n', stdout);
  g_free(text);
  json_node_unref(root);
  g_object_unref(gen);
  g_object_unref(b);
}

/* Pads or cuts text to a number of characters, escaped first (a title's
 * newline or terminal escape sequence is shown as \n, \x1b, never acted on). */
static void put_cell(GString *out, const char *text, guint width)
{
  char *t = kq_log_escape(text ? text : "", TRUE);
  glong n = g_utf8_strlen(t, -1);
  if ((guint)n > width) {
    const char *cut = g_utf8_offset_to_pointer(t, width - 1);
    g_string_append_len(out, t, cut - t);
    g_string_append(out, "…");
  } else {
    g_string_append(out, t);
    for (glong i = n; i < (glong)width; i++)
      g_string_append_c(out, ' ');
  }
  g_free(t);
}

static void print_table(const KqEdition *ed)
{
  GString *out = g_string_new(NULL);
  for (guint g = 0; g < ed->groups->len; g++) {
    const KqGroup *grp = g_ptr_array_index(ed->groups, g);
    char *gt = kq_log_escape(grp->title, TRUE);
    g_string_append_printf(out, "%s%s (%u)\n", g ? "\n" : "", gt, grp->articles->len);
    g_free(gt);
    for (guint i = 0; i < grp->articles->len; i++) {
      const KqArticle *a = g_ptr_array_index(grp->articles, i);
      char date[16] = "—";
      if (a->published.set)
        g_snprintf(date, sizeof date, "%04d-%02d-%02d", a->published.year, a->published.month,
                   a->published.day);
      g_string_append(out, "  ");
      put_cell(out, date, 10);
      g_string_append(out, "  ");
      put_cell(out, a->title, 60);
      g_string_append(out, "  ");
      put_cell(out, a->topics->len ? g_ptr_array_index(a->topics, 0) : "", 16);
      g_string_append_printf(out, " %6u\n", kq_article_count_words(a));
    }
  }
  g_string_append_printf(out, "\n%u article%s\n", ed->articles->len,
                         ed->articles->len == 1 ? "" : "s");
  fputs(out->str, stdout);
  g_string_free(out, TRUE);
}

int kq_cmd_list(int argc, char **argv, KqLog *log)
{
  gboolean json = FALSE, body = FALSE;
  KqCliCommon common;
  GOptionEntry entries[] = {
      {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON array of articles", NULL},
      {"body", 0, 0, G_OPTION_ARG_NONE, &body, "With --json: add each article's plain text",
       NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL},
  };
  GOptionContext *ctx = g_option_context_new("PATH… — list the articles of an archive");
  g_option_context_add_main_entries(ctx, entries, NULL);
  kq_cli_common_add(ctx, &common);
  int status = KQ_EXIT_USAGE;
  if (!kq_cli_parse(ctx, &argc, &argv, log) || !kq_cli_need_paths(argc, "list", log))
    goto out;
  if (body && !json) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "list: --body needs --json (the table has no room for it)");
    goto out;
  }
  guint unreadable = 0;
  KqEdition *ed = kq_cli_collect(&common, argv + 1, log, &unreadable);
  /* nothing matched: the table prints nothing (a script sees an empty
   * stdout); JSON stays a valid, empty array */
  if (json)
    print_json(ed, body);
  else if (ed->articles->len > 0)
    print_table(ed);
  status = kq_cli_final_status(&common, ed, unreadable, "list: no article matched", log);
  kq_edition_free(ed);
out:
  g_option_context_free(ctx);
  kq_cli_common_clear(&common);
  return status;
}
