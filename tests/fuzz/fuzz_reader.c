/* fuzz_reader.c: one reader's read() on arbitrary bytes; built once per reader (KQ_FUZZ_READER). */
#include <stdint.h>

#include "kiosque/reader.h"

#ifndef KQ_FUZZ_READER
#error "define KQ_FUZZ_READER (kq_reader_html, kq_reader_feed, ...)"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small caps so that a fuzzer finds depth and size limits quickly. The
 * first byte picks the cap set, as cmark's fuzzer takes its options. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  KqReadOptions opts;
  kq_read_options_init(&opts);
  if (size > 0 && (data[0] & 1)) {
    opts.max_depth = 16;
    opts.max_article = 4096;
  }
  KqLog log = {NULL, NULL, KQ_LOG_DEBUG, 0, 0};
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  GError *err = NULL;
  const KqReader *reader = &KQ_FUZZ_READER;
  /* the reader itself, on raw bytes (NULs and invalid UTF-8 included) */
  if (reader->read("fuzz-input", (const char *)data, size, &opts, &log, out, &err))
    for (guint i = 0; i < out->len; i++) {
      KqArticle *a = g_ptr_array_index(out, i);
      kq_article_finish(a);
      g_free(kq_blocks_to_text(a->blocks));
      kq_article_free(kq_article_dup(a));
    }
  g_clear_error(&err);
  g_ptr_array_set_size(out, 0);
  /* and the whole path a file takes (sniffing, UTF-16, choice) */
  kq_read_buffer(reader->extensions[0][0] ? reader->extensions[0] : "x", (const char *)data,
                 size, &opts, &log, out, &err);
  g_clear_error(&err);
  g_ptr_array_unref(out);
  return 0;
}
