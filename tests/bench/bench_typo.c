/* bench_typo.c: times typography (kq_typo_article) plus hyphenation (kq_typo_hyphenate_runs) of an archive read through the library. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosque/collect.h"
#include "kiosque/reader.h"
#include "kiosque/typo.h"

typedef struct {
  guint paragraphs;
  gsize bytes;
} Counts;

static void hyphenate_blocks(const KqTypo *typo, const GPtrArray *blocks, const char *lang,
                             Counts *c)
{
  for (guint i = 0; blocks && i < blocks->len; i++) {
    const KqBlock *b = g_ptr_array_index(blocks, i);
    const char *l = b->lang ? b->lang : lang;
    if (b->kind == KQ_BLOCK_PARAGRAPH && b->runs) {
      GPtrArray *h = kq_typo_hyphenate_runs(typo, b->runs, l);
      c->paragraphs++;
      for (guint k = 0; k < h->len; k++) {
        const KqRun *r = g_ptr_array_index(h, k);
        c->bytes += r->text ? strlen(r->text) : 0;
      }
      g_ptr_array_unref(h);
    }
    hyphenate_blocks(typo, b->children, l, c);
  }
}

static double cpu_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: bench_typo DIR [ROUNDS]\n");
    return 2;
  }
  int rounds = argc > 2 ? atoi(argv[2]) : 3;
  KqReadOptions ropts;
  kq_read_options_init(&ropts);
  const char *paths[] = {argv[1], NULL};
  gint64 t0 = g_get_monotonic_time();
  KqScan *scan = kq_scan_paths(paths, &ropts, NULL);
  gint64 t1 = g_get_monotonic_time();
  gsize source_bytes = 0;
  for (guint i = 0; i < scan->articles->len; i++) {
    const KqArticle *a = g_ptr_array_index(scan->articles, i);
    char *text = kq_blocks_to_text(a->blocks);
    source_bytes += strlen(text);
    g_free(text);
  }
  printf("read %u articles (%.1f MB of body text) in %.3f s (not counted below)\n",
         scan->articles->len, source_bytes / 1e6, (t1 - t0) / 1e6);
  double best = 1e9, best_cpu = 1e9;
  for (int round = 0; round < rounds; round++) {
    KqTypo *typo = kq_typo_new(NULL); /* cold: dictionaries load inside the timing */
    Counts c = {0, 0};
    gint64 a = g_get_monotonic_time();
    double ca = cpu_seconds();
    for (guint i = 0; i < scan->articles->len; i++) {
      const KqArticle *art = g_ptr_array_index(scan->articles, i);
      KqArticle *t = kq_typo_article(typo, art);
      hyphenate_blocks(typo, t->blocks, t->lang, &c);
      kq_article_free(t);
    }
    gint64 b = g_get_monotonic_time();
    double cpu = cpu_seconds() - ca;
    double s = (b - a) / 1e6;
    if (s < best)
      best = s;
    if (cpu < best_cpu)
      best_cpu = cpu;
    printf("round %d: typography + hyphenation of %u articles (%u paragraphs, %.1f MB out) "
           "in %.3f s wall, %.3f s CPU\n",
           round + 1, scan->articles->len, c.paragraphs, c.bytes / 1e6, s, cpu);
    kq_typo_free(typo);
  }
  printf("best: %.3f s wall, %.3f s CPU (target < 0.5 s on one core)\n", best, best_cpu);
  kq_scan_free(scan);
  return 0;
}
