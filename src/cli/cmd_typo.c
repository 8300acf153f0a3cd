/* cmd_typo.c: `kiosque typo`, the typography filter: stdin to stdout, paragraph by paragraph. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kiosque/typo.h"

/* Largest input the filter accepts (bytes). */
#define KQ_TYPO_MAX_STDIN (256u * 1024u * 1024u)

/* Reads all of stdin; FALSE (error printed) on a read error or over the cap. */
static gboolean read_stdin(GString *data, KqLog *log)
{
  char buf[65536];
  size_t got;
  while ((got = fread(buf, 1, sizeof buf, stdin)) > 0) {
    if (data->len + got > KQ_TYPO_MAX_STDIN) {
      kq_cli_fail(log, KQ_EXIT_FAILURE, "typo: stdin: more than %u bytes", KQ_TYPO_MAX_STDIN);
      return FALSE;
    }
    g_string_append_len(data, buf, (gssize)got);
  }
  if (ferror(stdin)) {
    kq_cli_fail(log, KQ_EXIT_FAILURE, "typo: stdin: read error");
    return FALSE;
  }
  return TRUE;
}

static gboolean blank_line(const char *s, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
      return FALSE;
  return TRUE;
}

/* Splits text into paragraphs at blank lines; lines keep their '\n'
 * between them (CR of CRLF dropped). New array of char*. */
static GPtrArray *split_paragraphs(const char *text, gsize len)
{
  GPtrArray *paras = g_ptr_array_new_with_free_func(g_free);
  GString *cur = g_string_new(NULL);
  gsize i = 0;
  while (i < len) {
    const char *nl = memchr(text + i, '\n', len - i);
    gsize end = nl ? (gsize)(nl - text) : len;
    gsize line_end = end;
    if (line_end > i && text[line_end - 1] == '\r')
      line_end--;
    if (blank_line(text + i, line_end - i)) {
      if (cur->len) {
        g_ptr_array_add(paras, g_strndup(cur->str, cur->len));
        g_string_truncate(cur, 0);
      }
    } else {
      if (cur->len)
        g_string_append_c(cur, '\n');
      g_string_append_len(cur, text + i, (gssize)(line_end - i));
    }
    i = nl ? end + 1 : len;
  }
  if (cur->len)
    g_ptr_array_add(paras, g_strndup(cur->str, cur->len));
  g_string_free(cur, TRUE);
  return paras;
}

int kq_cmd_typo(int argc, char **argv, KqLog *log)
{
  char *lang = NULL, *hyphen_dir = NULL;
  gboolean hyphenate = FALSE;
  GOptionEntry entries[] = {
      {"lang", 'l', 0, G_OPTION_ARG_STRING, &lang, "Language of the text: fr or en (required)",
       "LANG"},
      {"hyphenate", 0, 0, G_OPTION_ARG_NONE, &hyphenate,
       "Also insert soft hyphens (U+00AD) at the allowed break points", NULL},
      {"hyphen-dir", 0, 0, G_OPTION_ARG_FILENAME, &hyphen_dir,
       "Folder of hyph_fr.dic and hyph_en_US.dic (default " KQ_HYPHEN_DIR ")", "DIR"},
      {NULL, 0, 0, 0, NULL, NULL, NULL},
  };
  GOptionContext *ctx = g_option_context_new("— typeset stdin to stdout (paragraphs separated by "
                                             "blank lines)");
  g_option_context_add_main_entries(ctx, entries, NULL);
  int status = KQ_EXIT_USAGE;
  GString *data = NULL;
  GPtrArray *paras = NULL;
  GString *out = NULL;
  KqTypo *typo = NULL;

  if (!kq_cli_parse(ctx, &argc, &argv, log))
    goto out;
  if (argc > 1) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "typo: unexpected argument '%s' (the text comes on stdin)",
                argv[1]);
    goto out;
  }
  if (!lang) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "typo: --lang fr|en is required");
    goto out;
  }
  if (g_ascii_strcasecmp(lang, "fr") != 0 && g_ascii_strcasecmp(lang, "en") != 0) {
    kq_cli_fail(log, KQ_EXIT_USAGE, "typo: --lang: '%s' is not fr or en", lang);
    goto out;
  }
  typo = kq_typo_new(hyphen_dir);
  if (hyphenate) {
    GError *err = NULL;
    if (!kq_typo_hyphen_available(typo, lang, &err)) {
      status = kq_cli_fail(log, KQ_EXIT_FAILURE, "typo: %s", err->message);
      g_error_free(err);
      goto out;
    }
  }

  status = KQ_EXIT_FAILURE;
  data = g_string_new(NULL);
  if (!read_stdin(data, log))
    goto out;
  const char *bad = NULL;
  if (!g_utf8_validate(data->str, (gssize)data->len, &bad)) {
    kq_cli_fail(log, KQ_EXIT_FAILURE, "typo: stdin: invalid UTF-8 at byte %zu",
                (size_t)(bad - data->str));
    goto out;
  }
  paras = split_paragraphs(data->str, data->len);
  out = g_string_sized_new(data->len + data->len / 8 + 16);
  for (guint i = 0; i < paras->len; i++) {
    char *typeset = kq_typo_text(typo, g_ptr_array_index(paras, i), lang);
    if (hyphenate) {
      char *h = kq_typo_hyphenate(typo, typeset, lang);
      g_free(typeset);
      typeset = h;
    }
    if (i > 0)
      g_string_append_c(out, '\n');
    g_string_append(out, typeset);
    g_string_append_c(out, '\n');
    g_free(typeset);
  }
  if (fwrite(out->str, 1, out->len, stdout) != out->len || fflush(stdout) != 0) {
    kq_cli_fail(log, KQ_EXIT_FAILURE, "typo: stdout: write error");
    goto out;
  }
  status = KQ_EXIT_OK;
out:
  if (out)
    g_string_free(out, TRUE);
  g_clear_pointer(&paras, g_ptr_array_unref);
  if (data)
    g_string_free(data, TRUE);
  kq_typo_free(typo);
  g_option_context_free(ctx);
  g_free(lang);
  g_free(hyphen_dir);
  return status;
}
