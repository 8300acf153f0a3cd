/* pool.h: the one ordered worker pool: items computed on worker threads, taken in order. */
#ifndef KIOSQUE_POOL_H
#define KIOSQUE_POOL_H

#include <glib.h>

#include "kiosque/log.h"

G_BEGIN_DECLS

/*
 * Reading the inputs, typesetting the EPUB's articles and laying out the
 * PDF's flows are each a list of independent items. A KqPool computes item
 * i on one of its threads, at most `window` items ahead of the thread that
 * takes them, and that thread takes the results strictly in order 0, 1, 2…;
 * while its item is not ready, the taker computes the next one nobody has
 * started instead of sleeping (unless taker_waits). What an item logs is captured and replayed
 * into the taker's log when the item is taken, so the output and the
 * messages are the same whatever the number of threads and their timing.
 * With one thread nothing runs in the background: take() computes the item.
 */

/* Computes item index; returns its result (may be NULL), owned by the
 * taker. state is a worker state (see state_new) used by one item at a time;
 * log is the item's capture: report there (GLib's messages raised on this
 * thread go there too). Must only read what other items may share, and may
 * run on the taker's thread as on a worker's. */
typedef gpointer (*KqPoolWorkFunc)(guint index, gpointer state, KqLog *log, gpointer data);

typedef struct {
  guint n_items;
  guint threads;               /* 0: kq_pool_threads() */
  guint window;                /* items computed ahead of the taker; 0: 4 per thread */
  KqPoolWorkFunc work;
  gpointer data;               /* passed to work and state_new, borrowed */
  /* Optional per-worker state (e.g. a font map that must not be shared):
   * one per thread, created on the thread calling kq_pool_new. */
  gpointer (*state_new)(gpointer data);
  GDestroyNotify state_free;
  /* Optional states to start with, from an earlier pool of the same kind
   * (kq_pool_free_keep_states()): taken, the pool frees them; it makes only
   * the states still missing. Their caches are warm (a font map that has
   * shaped the same texts). */
  GPtrArray *states;
  /* The state goes with the result: a result that keeps objects tied to its
   * state (layouts of a worker's font map) is used by the taker while the
   * workers go on, and the state must not be used by two threads at once.
   * The taker gives it back with kq_pool_return() once done with the result.
   * window + 1 states are made (one with one thread; otherwise one per
 * thread, and one for the taker unless taker_waits). */
  gboolean lend_state;
  /* The taker never computes an item while it has threads (it does with
   * one): its own work is the critical path (the PDF's drawing), and a
   * state for it would cost one more (a font map). */
  gboolean taker_waits;
  GDestroyNotify result_free;  /* for results never taken; NULL: not freed */
  KqLogLevel level;            /* most verbose level captured (the taker's log level) */
} KqPoolSpec;

typedef struct KqPool KqPool;

KqPool *kq_pool_new(const KqPoolSpec *spec);
/* The result of item index (caller owns it), waiting for it; indexes must
 * be taken in increasing order. Its messages are replayed into log (NULL:
 * dropped, e.g. a pass whose messages a later pass repeats). */
gpointer kq_pool_take(KqPool *pool, guint index, KqLog *log);
/* With lend_state: the taker is done with item index's result and all it
 * held, and gives the item's state back to the workers. Must be called for
 * each taken item before the next is taken. */
void kq_pool_return(KqPool *pool, guint index);
/* Stops: items not started are skipped, running ones are waited for, and
 * results never taken are freed with result_free. Accepts NULL. */
void kq_pool_free(KqPool *pool);
/* As kq_pool_free(), but hands the pool's worker states to the caller (an
 * array that frees them with state_free), for another pool's spec.states. */
GPtrArray *kq_pool_free_keep_states(KqPool *pool);

/* The number of threads: KIOSQUE_THREADS (1 to 64) when set and valid,
 * otherwise the processors, at most 8. Read once per process. When the
 * variable is set but invalid, *invalid (if given) is set to TRUE. */
guint kq_pool_threads(gboolean *invalid);

G_END_DECLS

#endif
