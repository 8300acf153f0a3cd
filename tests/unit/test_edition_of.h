/* test_edition_of.h: the edition of some input files, as the CLI builds it (scan, then collect
 * with default options), for the writers' unit tests. */
#ifndef KQ_TEST_EDITION_OF_H
#define KQ_TEST_EDITION_OF_H

#include "kiosque/collect.h"
#include "kiosque/reader.h"

/* paths: NULL-terminated, relative to the working directory (tests/).
 * Caller frees with kq_edition_free(). */
static inline KqEdition *kq_test_edition_of(const char *const *paths)
{
  KqReadOptions ropts;
  kq_read_options_init(&ropts);
  KqScan *scan = kq_scan_paths(paths, &ropts, NULL);
  GPtrArray *articles = scan->articles;
  scan->articles = g_ptr_array_new_with_free_func((GDestroyNotify)kq_article_free);
  kq_scan_free(scan);
  KqCollectOptions copts;
  kq_collect_options_init(&copts);
  KqEdition *ed = kq_edition_new_take(articles, &copts);
  kq_collect_options_clear(&copts);
  return ed;
}

#endif
