/* fuzz_frontmatter.c: the Markdown reader's YAML front matter (libyaml events, aliases, caps). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosque/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BODY "KQFUZZBODY"

/* TRUE when the YAML cannot end the front matter early ("---" or "..."
 * alone on a line) nor make the Markdown reader refuse the file. */
static gboolean body_must_survive(const char *yaml, size_t len)
{
  if (memchr(yaml, '\0', len) || !g_utf8_validate(yaml, (gssize)len, NULL))
    return FALSE;
  for (const char *p = yaml, *end = yaml + len; p < end;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = (size_t)((nl ? nl : end) - p);
    if (n > 0 && p[n - 1] == '\r')
      n--;
    if (n == 3 && (memcmp(p, "---", 3) == 0 || memcmp(p, "...", 3) == 0))
      return FALSE;
    p = nl ? nl + 1 : end;
  }
  return TRUE;
}

/* The input is the YAML between the "---" lines; the first byte picks the
 * caps (small ones let the fuzzer reach the depth and budget limits). The
 * body after the front matter must always come through, whatever the YAML
 * holds: bad front matter costs a warning, never the article. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  KqReadOptions opts;
  kq_read_options_init(&opts);
  if (size > 0 && (data[0] & 1))
    opts.max_depth = 8;
  const char *yaml = (const char *)data;
  GString *md = g_string_new("---\n");
  g_string_append_len(md, yaml, (gssize)size);
  g_string_append(md, "\n---\n\n" BODY "\n");
  KqLog log = {NULL, NULL, KQ_LOG_DEBUG, 0, 0};
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  GError *err = NULL;
  gboolean ok = kq_reader_markdown.read("fuzz.md", md->str, md->len, &opts, &log, out, &err);
  if (body_must_survive(yaml, size)) {
    if (!ok || out->len != 1)
      abort();
    KqArticle *a = g_ptr_array_index(out, 0);
    char *text = kq_blocks_to_text(a->blocks);
    gboolean found = strstr(text, BODY) != NULL || g_strcmp0(a->title, BODY) == 0;
    g_free(text);
    if (!found || !a->title)
      abort();
  }
  for (guint i = 0; i < out->len; i++) {
    KqArticle *a = g_ptr_array_index(out, i);
    kq_article_finish(a);
    kq_article_free(kq_article_dup(a));
  }
  g_clear_error(&err);
  g_ptr_array_unref(out);
  g_string_free(md, TRUE);
  return 0;
}
