/* test_pool.c: the ordered worker pool: results in order, messages replayed in order,
 * a lent state never used by two threads at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "kiosque/pool.h"

#define N_ITEMS 200

/* A worker state that counts its users: more than one at a time is the fault. */
typedef struct {
  gint users;
  gint overlaps;
} State;

typedef struct {
  gint made;
} Jobs;

static gpointer state_new(gpointer data)
{
  Jobs *j = data;
  j->made++; /* on the thread calling kq_pool_new */
  return g_new0(State, 1);
}

/* Item i: holds its state for a while, as a layout holds its font map. */
static gpointer work(guint i, gpointer state, KqLog *log, gpointer data)
{
  (void)data;
  State *s = state;
  if (g_atomic_int_add(&s->users, 1) != 0)
    g_atomic_int_inc(&s->overlaps);
  g_usleep(50 + (i * 37) % 200);
  KQ_WARN(log, "item", (int)i, "message of item %u", i);
  g_atomic_int_add(&s->users, -1);
  guint *r = g_new(guint, 1);
  *r = i;
  return r;
}

static void release(State *s)
{
  g_atomic_int_add(&s->users, -1);
}

/* Results come in order 0, 1, 2… and each item's messages with it. */
static void run(guint threads, gboolean taker_waits)
{
  Jobs jobs = {0};
  KqLogCapture log; /* the shared capture of log.h (issue 13 item 8) */
  kq_log_capture_init(&log, KQ_LOG_WARNING);
  KqPoolSpec spec = {
      .n_items = N_ITEMS,
      .threads = threads,
      .work = work,
      .data = &jobs,
      .state_new = state_new,
      .state_free = g_free,
      .result_free = g_free,
      .taker_waits = taker_waits,
      .level = KQ_LOG_WARNING,
  };
  KqPool *pool = kq_pool_new(&spec);
  GString *expect = g_string_new(NULL);
  for (guint i = 0; i < N_ITEMS; i++) {
    guint *r = kq_pool_take(pool, i, &log.log);
    assert_non_null(r);
    assert_int_equal(*r, i);
    g_string_append_printf(expect, "%u;", i);
    g_free(r);
  }
  /* each item's message (its line is the item's number) came with it */
  GString *out = g_string_new(NULL);
  for (guint k = 0; k < log.entries->len; k++) {
    const KqLogEntry *e = g_ptr_array_index(log.entries, k);
    g_string_append_printf(out, "%d;", e->line);
  }
  assert_string_equal(out->str, expect->str);
  kq_pool_free(pool);
  /* one state per thread, and one for the taker, which computes an item
   * when its own is not ready, unless it waits */
  assert_int_equal(jobs.made, threads > 1 && !taker_waits ? threads + 1 : threads);
  g_string_free(expect, TRUE);
  g_string_free(out, TRUE);
  kq_log_capture_clear(&log);
}

static void test_order_and_messages(void **state)
{
  (void)state;
  run(4, FALSE);
  run(4, TRUE);
  run(1, FALSE);
}

/* A lent state stays with its result until returned: the work function
 * counts a user and leaves it counted; the taker, which goes on using the
 * state (as the PDF writer draws a flow's layouts), releases it just before
 * kq_pool_return(). A worker given a state still in use sees users != 0. */
typedef struct {
  KqPool *pool;
  State **states;
} Held;

static gpointer hold_work(guint i, gpointer state, KqLog *log, gpointer data)
{
  Held *h = data;
  State *s = state;
  if (g_atomic_int_add(&s->users, 1) != 0)
    g_atomic_int_inc(&s->overlaps);
  g_usleep(20 + (i * 53) % 150);
  (void)log;
  h->states[i] = s; /* item i's own slot, read after take(i) */
  return GUINT_TO_POINTER(i + 1);
}

static gpointer hold_state_new(gpointer data)
{
  (void)data;
  return g_new0(State, 1);
}

static void test_lent_state_is_exclusive(void **state)
{
  (void)state;
  for (guint threads = 1; threads <= 4; threads++) {
    Held h = {NULL, g_new0(State *, N_ITEMS)};
    GPtrArray *all = g_ptr_array_new();
    KqPoolSpec spec = {
        .n_items = N_ITEMS,
        .threads = threads,
        .window = 3,
        .work = hold_work,
        .data = &h,
        .state_new = hold_state_new,
        .state_free = g_free,
        .lend_state = TRUE,
        .level = KQ_LOG_WARNING,
    };
    KqPool *pool = kq_pool_new(&spec);
    for (guint i = 0; i < N_ITEMS; i++) {
      assert_int_equal(GPOINTER_TO_UINT(kq_pool_take(pool, i, NULL)), i + 1);
      State *s = h.states[i];
      assert_non_null(s);
      if (!g_ptr_array_find(all, s, NULL))
        g_ptr_array_add(all, s);
      g_usleep(30); /* the taker draws with it while workers go on */
      assert_int_equal(g_atomic_int_get(&s->overlaps), 0);
      release(s);
      kq_pool_return(pool, i);
    }
    for (guint k = 0; k < all->len; k++)
      assert_int_equal(((State *)g_ptr_array_index(all, k))->overlaps, 0);
    /* window + 1 states with threads, one without */
    assert_true(all->len <= (threads > 1 ? 4u : 1u));
    kq_pool_free(pool);
    g_ptr_array_unref(all);
    g_free(h.states);
  }
}

/* The taker computes while it waits: its workers' items are held until the
 * taker has computed one, so a taker that only sleeps fails (after the
 * gate's time-out) where one that takes the next unclaimed item goes on. */
typedef struct {
  GMutex lock;
  GCond cond;
  GThread *taker;
  guint by_taker;
} Gate;

static gpointer gated_work(guint i, gpointer state, KqLog *log, gpointer data)
{
  (void)state;
  (void)log;
  Gate *g = data;
  g_mutex_lock(&g->lock);
  if (g_thread_self() == g->taker) {
    g->by_taker++;
    g_cond_broadcast(&g->cond);
  } else {
    gint64 until = g_get_monotonic_time() + 2 * G_TIME_SPAN_SECOND;
    while (!g->by_taker && g_cond_wait_until(&g->cond, &g->lock, until))
      ;
  }
  g_mutex_unlock(&g->lock);
  return GUINT_TO_POINTER(i + 1);
}

static void test_taker_computes_while_waiting(void **state)
{
  (void)state;
  Gate g = {.taker = g_thread_self()};
  g_mutex_init(&g.lock);
  g_cond_init(&g.cond);
  KqPoolSpec spec = {
      .n_items = 40,
      .threads = 2,
      .window = 8,
      .work = gated_work,
      .data = &g,
      .level = KQ_LOG_WARNING,
  };
  KqPool *pool = kq_pool_new(&spec);
  for (guint i = 0; i < spec.n_items; i++)
    assert_int_equal(GPOINTER_TO_UINT(kq_pool_take(pool, i, NULL)), i + 1);
  kq_pool_free(pool);
  assert_true(g.by_taker > 0);
  g_mutex_clear(&g.lock);
  g_cond_clear(&g.cond);
}

/* Items may be skipped (taken in increasing order, not every one): the
 * window follows the item taken, so a skip past it does not wait for ever,
 * with or without workers; skipped results are freed with the pool. */
static void test_skipped_items(void **state)
{
  (void)state;
  for (guint run = 0; run < 6; run++) {
    guint threads = 1 + run % 3;
    gboolean waits = run >= 3; /* only the workers compute: they must see the skip */
    Jobs jobs = {0};
    KqPoolSpec spec = {
        .n_items = 30,
        .threads = threads,
        .window = 2,
        .work = work,
        .data = &jobs,
        .state_new = state_new,
        .state_free = g_free,
        .result_free = g_free,
        .taker_waits = waits,
        .level = KQ_LOG_WARNING,
    };
    KqPool *pool = kq_pool_new(&spec);
    const guint taken[] = {0, 10, 11, 25};
    for (gsize k = 0; k < G_N_ELEMENTS(taken); k++) {
      guint *r = kq_pool_take(pool, taken[k], NULL);
      assert_int_equal(*r, taken[k]);
      g_free(r);
    }
    kq_pool_free(pool);
  }
}

/* A pool's states go on to the next pool (the PDF's layout shapers start
 * its drawing): the second pool makes only those still missing, and each
 * state is freed once, by the last pool (ASan checks). */
static void test_states_handed_on(void **state)
{
  (void)state;
  Jobs jobs = {0};
  KqPoolSpec spec = {
      .n_items = 20,
      .threads = 2,
      .work = work,
      .data = &jobs,
      .state_new = state_new,
      .state_free = g_free,
      .result_free = g_free,
      .taker_waits = TRUE,
      .level = KQ_LOG_WARNING,
  };
  KqPool *pool = kq_pool_new(&spec);
  g_free(kq_pool_take(pool, 0, NULL)); /* the rest is never taken: freed */
  GPtrArray *states = kq_pool_free_keep_states(pool);
  assert_non_null(states);
  assert_int_equal(states->len, 2);
  assert_int_equal(jobs.made, 2);
  spec.states = states;
  spec.taker_waits = FALSE; /* wants one state more */
  pool = kq_pool_new(&spec);
  for (guint i = 0; i < spec.n_items; i++)
    g_free(kq_pool_take(pool, i, NULL));
  kq_pool_free(pool);
  assert_int_equal(jobs.made, 3);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_order_and_messages),
      cmocka_unit_test(test_lent_state_is_exclusive),
      cmocka_unit_test(test_taker_computes_while_waiting),
      cmocka_unit_test(test_skipped_items),
      cmocka_unit_test(test_states_handed_on),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
