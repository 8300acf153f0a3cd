/* pool.c: the ordered worker pool over GThreadPool, with each item's messages captured and replayed in order. */
#include "kiosque/pool.h"

/* One item: queued, running or done; its result and messages wait for the
 * taker. */
typedef struct {
  gboolean done;
  gpointer result;
  gpointer state; /* lend_state: the state result was made with, until returned */
  KqLogCapture messages;
} Slot;

struct KqPool {
  KqPoolSpec spec;
  GThreadPool *threads;  /* NULL with one thread: take() computes */
  GAsyncQueue *states;   /* worker states not in use */
  GPtrArray *all_states; /* every state, freed at the end */
  Slot *slots;
  guint pushed;          /* items handed to the threads so far */
  GMutex lock;
  GCond cond;
  gboolean stop;
  guint awaited;         /* 1 + the item the taker waits for, 0 when none: only
                          * that item's end wakes it (under lock) */
};

guint kq_pool_threads(gboolean *invalid)
{
  static gsize parsed;
  static guint threads;
  static gboolean bad;
  if (g_once_init_enter(&parsed)) {
    const char *env = g_getenv("KIOSQUE_THREADS");
    guint64 n = 0;
    if (env && !g_ascii_string_to_unsigned(env, 10, 1, 64, &n, NULL)) {
      bad = TRUE;
      n = 0;
    }
    threads = n ? (guint)n : MIN(g_get_num_processors(), 8u);
    g_once_init_leave(&parsed, 1);
  }
  if (invalid)
    *invalid = bad;
  return threads;
}

/* Computes item i with a free state, capturing its messages. */
static void compute(KqPool *p, guint i)
{
  Slot *s = &p->slots[i];
  gpointer state = p->states ? g_async_queue_pop(p->states) : NULL;
  KqLog *outer = kq_log_set_thread_log(&s->messages.log);
  gpointer result = p->spec.work(i, state, &s->messages.log, p->spec.data);
  kq_log_set_thread_log(outer);
  if (state && !p->spec.lend_state)
    g_async_queue_push(p->states, state);
  g_mutex_lock(&p->lock);
  if (p->spec.lend_state)
    s->state = state;
  s->result = result;
  s->done = TRUE;
  if (p->awaited == i + 1)
    g_cond_signal(&p->cond);
  g_mutex_unlock(&p->lock);
}

static void run(gpointer item, gpointer pool)
{
  KqPool *p = pool;
  guint i = GPOINTER_TO_UINT(item) - 1;
  g_mutex_lock(&p->lock);
  gboolean stop = p->stop;
  if (stop) { /* skipped: marked done so nobody waits for it */
    p->slots[i].done = TRUE;
    if (p->awaited == i + 1)
      g_cond_signal(&p->cond);
  }
  g_mutex_unlock(&p->lock);
  if (!stop)
    compute(p, i);
}

/* Hands items to the threads up to taken + window, once fewer than half a
 * window are left ahead: items of a fraction of a millisecond (an EPUB
 * chapter) cost more in waking a worker for each than in the work. */
static void push_ahead(KqPool *p, guint taken)
{
  if (p->pushed >= taken + MAX(p->spec.window / 2, 1u))
    return;
  while (p->threads && p->pushed < p->spec.n_items && p->pushed < taken + p->spec.window) {
    g_thread_pool_push(p->threads, GUINT_TO_POINTER(p->pushed + 1), NULL);
    p->pushed++;
  }
}

KqPool *kq_pool_new(const KqPoolSpec *spec)
{
  KqPool *p = g_new0(KqPool, 1);
  p->spec = *spec;
  guint threads = spec->threads ? spec->threads : kq_pool_threads(NULL);
  threads = MAX(1u, MIN(threads, MAX(spec->n_items, 1u)));
  if (!p->spec.window)
    p->spec.window = 4 * threads;
  p->slots = g_new0(Slot, spec->n_items ? spec->n_items : 1);
  for (guint i = 0; i < spec->n_items; i++)
    kq_log_capture_init(&p->slots[i].messages, spec->level);
  g_mutex_init(&p->lock);
  g_cond_init(&p->cond);
  if (spec->state_new) {
    /* lent states: at most window items wait to be taken and one is being
     * used, so window + 1 states never run short (no worker waits for one
     * an item behind it holds) */
    guint n_states = threads;
    if (spec->lend_state && threads > 1)
      n_states = p->spec.window + 1;
    p->states = g_async_queue_new();
    p->all_states = g_ptr_array_new_with_free_func(spec->state_free);
    for (guint t = 0; t < n_states; t++) {
      gpointer st = spec->state_new(spec->data);
      g_ptr_array_add(p->all_states, st);
      g_async_queue_push(p->states, st);
    }
  }
  if (threads > 1) {
    p->threads = g_thread_pool_new(run, p, (gint)threads, FALSE, NULL);
    push_ahead(p, 0);
  }
  return p;
}

gpointer kq_pool_take(KqPool *p, guint index, KqLog *log)
{
  g_return_val_if_fail(index < p->spec.n_items, NULL);
  Slot *s = &p->slots[index];
  if (!p->threads) {
    compute(p, index);
  } else {
    g_mutex_lock(&p->lock);
    p->awaited = index + 1;
    while (!s->done)
      g_cond_wait(&p->cond, &p->lock);
    p->awaited = 0;
    g_mutex_unlock(&p->lock);
    push_ahead(p, index + 1);
  }
  gpointer result = s->result;
  s->result = NULL;
  kq_log_capture_replay(&s->messages, log);
  kq_log_capture_clear(&s->messages);
  return result;
}

void kq_pool_return(KqPool *p, guint index)
{
  g_return_if_fail(index < p->spec.n_items);
  Slot *s = &p->slots[index];
  g_mutex_lock(&p->lock);
  gpointer state = s->state;
  s->state = NULL;
  g_mutex_unlock(&p->lock);
  if (state)
    g_async_queue_push(p->states, state);
}

void kq_pool_free(KqPool *p)
{
  if (!p)
    return;
  if (p->threads) {
    g_mutex_lock(&p->lock);
    p->stop = TRUE;
    g_cond_broadcast(&p->cond);
    g_mutex_unlock(&p->lock);
    g_thread_pool_free(p->threads, FALSE, TRUE); /* every pushed item has run or been skipped */
  }
  for (guint i = 0; i < p->spec.n_items; i++) {
    Slot *s = &p->slots[i];
    if (s->result && p->spec.result_free)
      p->spec.result_free(s->result);
    kq_log_capture_clear(&s->messages);
  }
  if (p->all_states)
    g_ptr_array_unref(p->all_states);
  if (p->states)
    g_async_queue_unref(p->states);
  g_mutex_clear(&p->lock);
  g_cond_clear(&p->cond);
  g_free(p->slots);
  g_free(p);
}
