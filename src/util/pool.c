/* pool.c: the ordered worker pool: threads claim items in order, the taker helps while it waits, each item's messages are captured and replayed in order. */
#include "kiosque/pool.h"

/* One item: waiting, claimed (being computed) or done; its result and
 * messages wait for the taker. */
typedef struct {
  gboolean done;
  gpointer result;
  gpointer state; /* lend_state: the state result was made with, until returned */
  KqLogCapture messages;
} Slot;

/* Items are claimed in order (next) by the workers and, while it waits, by
 * the taker: a taker whose item is not ready computes the next unclaimed
 * one instead of sleeping (as the EPUB writer's renderer did before the
 * pool), so a pool of small items costs few sleeps and wake-ups. */
struct KqPool {
  KqPoolSpec spec;
  GPtrArray *workers;    /* GThread, empty with one thread: take() computes */
  GAsyncQueue *states;   /* worker states not in use */
  GPtrArray *all_states; /* every state, freed at the end */
  Slot *slots;
  guint next;            /* the next item to claim */
  guint taken;           /* items taken: claims stay below taken + window */
  guint idle;            /* workers waiting for room in the window */
  GMutex lock;
  GCond room;            /* workers wait here for the window to move */
  GCond ready;           /* the taker waits here for its item */
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

/* Computes item i with a free state, capturing its messages; called
 * without the lock, returns with it held. */
static void compute_locking(KqPool *p, guint i)
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
    g_cond_signal(&p->ready);
}

/* With the lock held: claims the next item and computes it, unless the
 * pool stops, all are claimed or the window is full. */
static gboolean claim_and_compute(KqPool *p)
{
  if (p->stop || p->next >= p->spec.n_items || p->next >= p->taken + p->spec.window)
    return FALSE;
  guint i = p->next++;
  g_mutex_unlock(&p->lock);
  compute_locking(p, i);
  return TRUE;
}

static gpointer worker(gpointer pool)
{
  KqPool *p = pool;
  g_mutex_lock(&p->lock);
  while (!p->stop && p->next < p->spec.n_items) {
    if (!claim_and_compute(p)) {
      p->idle++;
      g_cond_wait(&p->room, &p->lock);
      p->idle--;
    }
  }
  g_mutex_unlock(&p->lock);
  return NULL;
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
  g_cond_init(&p->room);
  g_cond_init(&p->ready);
  if (spec->state_new) {
    /* lent states: at most window items wait to be taken and one is being
     * used, so window + 1 states never run short (nobody waits for one an
     * item behind it holds); the taker computes with the workers' states */
    guint n_states = threads + (threads > 1 && !spec->taker_waits);
    if (spec->lend_state && threads > 1)
      n_states = p->spec.window + 1;
    p->states = g_async_queue_new();
    p->all_states = g_ptr_array_new_with_free_func(spec->state_free);
    while (spec->states && spec->states->len) {
      gpointer st = g_ptr_array_steal_index(spec->states, spec->states->len - 1);
      g_ptr_array_add(p->all_states, st);
      g_async_queue_push(p->states, st);
    }
    g_clear_pointer(&p->spec.states, g_ptr_array_unref); /* taken */
    for (guint t = p->all_states->len; t < n_states; t++) {
      gpointer st = spec->state_new(spec->data);
      g_ptr_array_add(p->all_states, st);
      g_async_queue_push(p->states, st);
    }
  }
  p->workers = g_ptr_array_new();
  for (guint t = 0; threads > 1 && t < threads; t++)
    g_ptr_array_add(p->workers, g_thread_new("kq-pool", worker, p));
  return p;
}

gpointer kq_pool_take(KqPool *p, guint index, KqLog *log)
{
  g_return_val_if_fail(index < p->spec.n_items, NULL);
  Slot *s = &p->slots[index];
  g_mutex_lock(&p->lock);
  if (index > p->taken) { /* items skipped count as taken: the window
                          * reaches the awaited one, for the workers too */
    p->taken = index;
    if (p->idle)
      g_cond_broadcast(&p->room);
  }
  while (!s->done) {
    if ((p->spec.taker_waits && p->workers->len) || !claim_and_compute(p)) {
      p->awaited = index + 1;
      g_cond_wait(&p->ready, &p->lock);
      p->awaited = 0;
    }
  }
  p->taken = index + 1;
  /* idle workers are woken once half the window is free: items of a
   * fraction of a millisecond (an EPUB chapter) cost more in waking a
   * worker for each than in the work */
  if (p->idle && p->next < p->spec.n_items &&
      p->next + MAX(p->spec.window / 2, 1u) <= p->taken + p->spec.window)
    g_cond_broadcast(&p->room);
  g_mutex_unlock(&p->lock);
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

/* Stops: items not claimed are skipped, running ones are waited for, and
 * results never taken are freed. Once. */
static void pool_stop(KqPool *p)
{
  if (!p->workers)
    return;
  g_mutex_lock(&p->lock);
  p->stop = TRUE;
  g_cond_broadcast(&p->room);
  g_mutex_unlock(&p->lock);
  for (guint t = 0; t < p->workers->len; t++)
    g_thread_join(g_ptr_array_index(p->workers, t)); /* claimed items end; drops the ref */
  g_clear_pointer(&p->workers, g_ptr_array_unref);
  for (guint i = 0; i < p->spec.n_items; i++) {
    Slot *s = &p->slots[i];
    if (s->result && p->spec.result_free)
      p->spec.result_free(s->result);
    s->result = NULL;
    kq_log_capture_clear(&s->messages);
  }
}

GPtrArray *kq_pool_free_keep_states(KqPool *p)
{
  if (!p)
    return NULL;
  pool_stop(p); /* results may hold objects of their states */
  GPtrArray *states = g_steal_pointer(&p->all_states);
  kq_pool_free(p);
  return states;
}

void kq_pool_free(KqPool *p)
{
  if (!p)
    return;
  pool_stop(p);
  g_clear_pointer(&p->all_states, g_ptr_array_unref);
  if (p->states)
    g_async_queue_unref(p->states);
  g_mutex_clear(&p->lock);
  g_cond_clear(&p->room);
  g_cond_clear(&p->ready);
  g_free(p->slots);
  g_free(p);
}
