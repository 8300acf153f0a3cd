/* fetch.h: remote images fetched over http(s) with libcurl into a cache reused across runs (--fetch-images); the edition layer (src/collect), above the image resolver. */
#ifndef KIOSQUE_FETCH_H
#define KIOSQUE_FETCH_H

#include <glib.h>

#include "kiosque/collect.h"
#include "kiosque/log.h"

G_BEGIN_DECLS

/* Defaults of KqFetchOptions (kq_fetch_options_init()). */
#define KQ_FETCH_MAX_BYTES (16u * 1024u * 1024u)                   /* per image */
#define KQ_FETCH_MAX_TOTAL (G_GUINT64_CONSTANT(256) * 1024u * 1024u) /* per edition */
#define KQ_FETCH_CONNECT_TIMEOUT_MS 10000
#define KQ_FETCH_TIMEOUT_MS 30000  /* a whole transfer */
#define KQ_FETCH_MAX_PARALLEL 8
#define KQ_FETCH_MAX_PER_HOST 2
#define KQ_FETCH_MAX_REDIRECTS 5

typedef struct {
  const char *cache_dir;    /* NULL: $XDG_CACHE_HOME/kiosque/images (GLib's user cache) */
  gboolean allow_private;   /* also loopback, private, link-local, CGNAT and unique-local
                             * addresses (tests, intranets); never by default */
  guint64 max_bytes;        /* per image; a larger body is cut off and refused */
  guint64 max_total;        /* bytes downloaded per run; transfers past it are refused */
  guint64 max_pixels;       /* pixel cap (writer.h's), checked from the image header */
  long connect_timeout_ms;
  long timeout_ms;
  guint max_parallel;       /* transfers at once */
  guint max_per_host;       /* connections to one host at once */
} KqFetchOptions;

void kq_fetch_options_init(KqFetchOptions *opts);

/* Whether src is a remote image reference (http:, https: or //host/…). */
gboolean kq_fetch_is_remote(const char *src);

/*
 * A set of remote images fetched together. Usage: kq_fetcher_add() every
 * URL (duplicates are fetched once), kq_fetcher_run() once, then
 * kq_fetcher_lookup() from any thread (the fetcher is read-only after run).
 *
 * Every URL is http or https (redirects too, at most KQ_FETCH_MAX_REDIRECTS),
 * no proxy is used, and each connection's address is checked after name
 * resolution, in the socket callback that opens it, so a name that
 * resolves to a private address (DNS rebinding included) is refused unless
 * allow_private. A cached copy is revalidated with a conditional request
 * (If-None-Match / If-Modified-Since) and reused on 304. The type is
 * sniffed from the bytes (PNG, JPEG, GIF, WebP, SVG); the cached file is
 * named with the matching extension.
 */
typedef struct KqFetcher KqFetcher;

/* opts is copied (cache_dir too). Never fails: a cache folder that cannot
 * be made fails each fetch with that reason. */
KqFetcher *kq_fetcher_new(const KqFetchOptions *opts);
void kq_fetcher_free(KqFetcher *fetcher);

/* Queues url (as written in the article; "//host/x" is taken as https). */
void kq_fetcher_add(KqFetcher *fetcher, const char *url);

/* Fetches everything queued, several at once; returns when all are done.
 * progress (may be NULL) is called after each transfer with done/total. */
void kq_fetcher_run(KqFetcher *fetcher, void (*progress)(guint done, guint total, gpointer data),
                    gpointer data);

/* The local file holding url's image (borrowed, lives as long as the
 * fetcher), or NULL with *why (borrowed, one line) when it could not be
 * fetched or was never queued. */
const char *kq_fetcher_lookup(const KqFetcher *fetcher, const char *url, const char **why);

/* The bytes of url's cached image (new reference), or NULL with a one-line
 * reason in error (KQ_FETCH_ERROR): the shape of an image resolver's
 * per-URL fetch hook (user_data: a KqFetcher that has run), so a resolver
 * that asks URL by URL gets what the concurrent run brought in. */
#define KQ_FETCH_ERROR (kq_fetch_error_quark())
GQuark kq_fetch_error_quark(void);
typedef enum {
  KQ_FETCH_ERROR_FAILED = 1, /* not fetched: the reason is the message */
} KqFetchError;
GBytes *kq_fetcher_read(const char *url, gpointer fetcher, GError **error);

/* Counters of the last run: transfers that got a body (200), that were
 * answered "not modified" (304), and that failed. */
void kq_fetcher_stats(const KqFetcher *fetcher, guint *downloaded, guint *revalidated,
                      guint *failed);

/*
 * The one place an edition's remote images are decided, before the writers
 * run: walks every image of every article. With opts (--fetch-images), it
 * fetches every distinct remote URL once and warns once per URL that could
 * not be fetched ("PATH: image URL not included: reason", PATH the first
 * input file that refers to it); returns the fetcher for the writers
 * (KqWriteOptions.fetched; caller frees). With opts NULL nothing is
 * requested, and each input file that refers to remote images gets one
 * line: "PATH: N remote images not fetched (use --fetch-images)"; returns
 * NULL. Never one line per occurrence, never one per writer.
 */
KqFetcher *kq_fetch_edition_images(const KqEdition *edition, const KqFetchOptions *opts,
                                   KqLog *log);

/* Whether addr (a numeric IPv4 or IPv6 address) is loopback, private,
 * link-local, CGNAT, unique-local, multicast, unspecified or reserved:
 * what kq_fetcher refuses unless allow_private. */
gboolean kq_fetch_address_is_private(const char *addr);

G_END_DECLS

#endif
