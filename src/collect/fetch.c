/* fetch.c: remote images over http(s) with libcurl's multi interface, address-checked, capped, cached with revalidation. */
#include "kiosque/fetch.h"

#include "kiosque/chunk.h"

#include <curl/curl.h>
#include <errno.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gmodule.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* libcurl, opened on the first fetch: an export that fetches nothing does
 * not load it and the two dozen libraries it brings (TLS, HTTP/2, LDAP,
 * Kerberos…), which took 40 % of kiosque's start-up in symbol binding. */
typedef struct {
  CURLcode (*global_init)(long flags);
  CURL *(*easy_init)(void);
  CURLcode (*easy_setopt)(CURL *easy, CURLoption option, ...);
  CURLcode (*easy_getinfo)(CURL *easy, CURLINFO info, ...);
  const char *(*easy_strerror)(CURLcode code);
  void (*easy_cleanup)(CURL *easy);
  struct curl_slist *(*slist_append)(struct curl_slist *list, const char *text);
  void (*slist_free_all)(struct curl_slist *list);
  CURLM *(*multi_init)(void);
  CURLMcode (*multi_setopt)(CURLM *multi, CURLMoption option, ...);
  CURLMcode (*multi_add_handle)(CURLM *multi, CURL *easy);
  CURLMcode (*multi_remove_handle)(CURLM *multi, CURL *easy);
  CURLMcode (*multi_perform)(CURLM *multi, int *running);
  CURLMsg *(*multi_info_read)(CURLM *multi, int *queued);
  CURLMcode (*multi_poll)(CURLM *multi, struct curl_waitfd fds[], unsigned int n, int ms,
                          int *ret);
  CURLMcode (*multi_cleanup)(CURLM *multi);
} CurlApi;

#define CURL_FN(name, member) {name, offsetof(CurlApi, member)}
static const struct {
  const char *name;
  gsize offset;
} curl_fns[] = {
    CURL_FN("curl_global_init", global_init),
    CURL_FN("curl_easy_init", easy_init),
    CURL_FN("curl_easy_setopt", easy_setopt),
    CURL_FN("curl_easy_getinfo", easy_getinfo),
    CURL_FN("curl_easy_strerror", easy_strerror),
    CURL_FN("curl_easy_cleanup", easy_cleanup),
    CURL_FN("curl_slist_append", slist_append),
    CURL_FN("curl_slist_free_all", slist_free_all),
    CURL_FN("curl_multi_init", multi_init),
    CURL_FN("curl_multi_setopt", multi_setopt),
    CURL_FN("curl_multi_add_handle", multi_add_handle),
    CURL_FN("curl_multi_remove_handle", multi_remove_handle),
    CURL_FN("curl_multi_perform", multi_perform),
    CURL_FN("curl_multi_info_read", multi_info_read),
    CURL_FN("curl_multi_poll", multi_poll),
    CURL_FN("curl_multi_cleanup", multi_cleanup),
};

/* Opens libcurl (the OpenSSL build, else the GnuTLS one: same ABI) and
 * initialises it, once per process; the library stays loaded. NULL when
 * it cannot be opened, with *why set (static). */
static const CurlApi *curl_api(const char **why)
{
  static gsize once;
  static CurlApi api;
  static const char *error;
  if (g_once_init_enter(&once)) {
    static const char *const sonames[] = {"libcurl.so.4", "libcurl-gnutls.so.4"};
    GModule *m = NULL;
    for (gsize k = 0; !m && k < G_N_ELEMENTS(sonames); k++)
      m = g_module_open(sonames[k], G_MODULE_BIND_LOCAL);
    for (gsize k = 0; m && k < G_N_ELEMENTS(curl_fns); k++) {
      gpointer fn = NULL;
      if (!g_module_symbol(m, curl_fns[k].name, &fn) || !fn) {
        g_module_close(m);
        m = NULL;
      } else {
        memcpy((char *)&api + curl_fns[k].offset, &fn, sizeof fn);
      }
    }
    if (m) {
      g_module_make_resident(m);
      if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        error = "libcurl could not be initialised";
    } else {
      error = "libcurl (libcurl.so.4) could not be loaded";
    }
    g_once_init_leave(&once, 1);
  }
  *why = error;
  return error ? NULL : &api;
}

/* What the cache records of a URL (its .meta file): the image file and the
 * validators of the answer it came from. Strings owned, each may be NULL. */
typedef struct {
  char *file;     /* the image: DIR/SHA256.EXT */
  char *etag;     /* ETag */
  char *modified; /* Last-Modified */
} CacheRecord;

static void record_clear(CacheRecord *r)
{
  g_free(r->file);
  g_free(r->etag);
  g_free(r->modified);
}

/* One distinct URL. */
typedef struct {
  struct KqFetcher *f;
  /* set once by kq_fetcher_add(), in the fetcher's texts */
  const char *url;        /* as queued */
  const char *fetch_url;  /* absolute http(s) URL, or NULL when refused before any request */
  const char *host;       /* for the per-host limit */
  const char *base;       /* cache path without extension: DIR/SHA256 */
  CacheRecord old;  /* the cached copy before this run (conditional request) */
  /* the cache after this run: now.file is the result (the cached image, or
   * NULL), now.etag and now.modified the validators of the last response */
  CacheRecord now;
  char *why;        /* result: why now.file is NULL */
  /* the transfer */
  CURL *easy;
  struct curl_slist *headers;
  GByteArray *body;
  const char *abort_why; /* set by the callbacks when they stop the transfer */
  gboolean blocked;      /* an address was refused */
  char *blocked_addr;
} Entry;

struct KqFetcher {
  KqFetchOptions o;
  const CurlApi *curl;  /* loaded by the first run with something to fetch */
  GStringChunk *texts;  /* the strings set once: the entries' and the two below */
  const char *cache_dir;
  const char *cache_error; /* why the cache folder cannot be used, or NULL */
  GPtrArray *entries;   /* Entry*, queue order */
  GHashTable *by_url;   /* url -> Entry* (borrowed) */
  guint64 total;        /* bytes downloaded this run */
  guint downloaded, revalidated, failed;
};

void kq_fetch_options_init(KqFetchOptions *o)
{
  memset(o, 0, sizeof *o);
  o->max_bytes = KQ_FETCH_MAX_BYTES;
  o->max_total = KQ_FETCH_MAX_TOTAL;
  o->max_pixels = 40u * 1000u * 1000u;
  o->connect_timeout_ms = KQ_FETCH_CONNECT_TIMEOUT_MS;
  o->timeout_ms = KQ_FETCH_TIMEOUT_MS;
  o->max_parallel = KQ_FETCH_MAX_PARALLEL;
  o->max_per_host = KQ_FETCH_MAX_PER_HOST;
}

gboolean kq_fetch_is_remote(const char *src)
{
  return src && (g_ascii_strncasecmp(src, "http:", 5) == 0 ||
                 g_ascii_strncasecmp(src, "https:", 6) == 0 || g_str_has_prefix(src, "//"));
}

/* ---- Addresses ------------------------------------------------------------ */

static gboolean v4_private(const guint8 *b)
{
  return b[0] == 0 || b[0] == 10 || b[0] == 127 ||       /* this network, private, loopback */
         (b[0] == 100 && (b[1] & 0xC0) == 64) ||         /* 100.64/10 CGNAT */
         (b[0] == 169 && b[1] == 254) ||                 /* link-local */
         (b[0] == 172 && (b[1] & 0xF0) == 16) ||         /* 172.16/12 */
         (b[0] == 192 && b[1] == 168) ||                 /* 192.168/16 */
         (b[0] == 192 && b[1] == 0 && (b[2] == 0 || b[2] == 2)) || /* IETF, TEST-NET-1 */
         (b[0] == 198 && (b[1] & 0xFE) == 18) ||         /* 198.18/15 benchmarking */
         (b[0] == 198 && b[1] == 51 && b[2] == 100) ||   /* TEST-NET-2 */
         (b[0] == 203 && b[1] == 0 && b[2] == 113) ||    /* TEST-NET-3 */
         b[0] >= 224;                                    /* multicast, reserved, broadcast */
}

static gboolean v6_private(const guint8 *b)
{
  static const guint8 zero[12] = {0};
  static const guint8 mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  static const guint8 nat64[12] = {0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0};
  if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0)
    return v4_private(b + 12); /* an IPv4 address in IPv6 clothes */
  if (memcmp(b, zero, 12) == 0)
    return TRUE; /* ::, ::1 and the deprecated IPv4-compatible range */
  return (b[0] & 0xFE) == 0xFC ||               /* fc00::/7 unique local */
         (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) || /* fe80::/10 link-local */
         (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) || /* fec0::/10 site-local */
         b[0] == 0xFF ||                            /* multicast */
         (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8); /* documentation */
}

gboolean kq_fetch_address_is_private(const char *addr)
{
  GInetAddress *a = addr ? g_inet_address_new_from_string(addr) : NULL;
  if (!a)
    return TRUE; /* not an address: refused */
  const guint8 *b = g_inet_address_to_bytes(a);
  gboolean priv = g_inet_address_get_family(a) == G_SOCKET_FAMILY_IPV4 ? v4_private(b)
                                                                       : v6_private(b);
  g_object_unref(a);
  return priv;
}

/* libcurl calls this for every connection it opens, after name resolution
 * and for every redirect: the address checked is the one connected to, so
 * a second resolution cannot swap it (DNS rebinding). */
static curl_socket_t open_socket(void *data, curlsocktype purpose, struct curl_sockaddr *sa)
{
  Entry *e = data;
  (void)purpose;
  gboolean priv = TRUE;
  char text[64] = "?";
  const guint8 *bytes = NULL;
  GSocketFamily family = G_SOCKET_FAMILY_INVALID;
  if (sa->family == AF_INET && sa->addrlen >= sizeof(struct sockaddr_in)) {
    bytes = (const guint8 *)&((const struct sockaddr_in *)&sa->addr)->sin_addr;
    family = G_SOCKET_FAMILY_IPV4;
    priv = v4_private(bytes);
  } else if (sa->family == AF_INET6 && sa->addrlen >= sizeof(struct sockaddr_in6)) {
    bytes = (const guint8 *)&((const struct sockaddr_in6 *)&sa->addr)->sin6_addr;
    family = G_SOCKET_FAMILY_IPV6;
    priv = v6_private(bytes);
  }
  if (bytes) {
    GInetAddress *a = g_inet_address_new_from_bytes(bytes, family);
    char *s = g_inet_address_to_string(a);
    g_strlcpy(text, s, sizeof text);
    g_free(s);
    g_object_unref(a);
  }
  if (priv && !e->f->o.allow_private) {
    e->blocked = TRUE;
    g_free(e->blocked_addr);
    e->blocked_addr = g_strdup(text);
    return CURL_SOCKET_BAD;
  }
  return socket(sa->family, sa->socktype, sa->protocol);
}

/* ---- Sniffing --------------------------------------------------------------- */

/* The image type of the bytes: its file extension, or NULL. */
static const char *sniff(const guint8 *d, gsize n)
{
  if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
    return "jpg";
  if (n >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0))
    return "gif";
  if (n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
    return "webp";
  /* SVG: an XML document whose root is <svg>, after a BOM, an XML
   * declaration, comments and a doctype, within the first 4 KB */
  gsize i = 0, end = MIN(n, 4096u);
  if (end >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
    i = 3;
  for (;;) {
    while (i < end && g_ascii_isspace(d[i]))
      i++;
    const char *s = (const char *)d + i;
    gsize left = end - i;
    const char *close = NULL;
    if (left >= 5 && memcmp(s, "<?xml", 5) == 0)
      close = "?>";
    else if (left >= 4 && memcmp(s, "<!--", 4) == 0)
      close = "-->";
    else if (left >= 9 && g_ascii_strncasecmp(s, "<!DOCTYPE", 9) == 0)
      close = ">";
    if (!close)
      return left >= 5 && memcmp(s, "<svg", 4) == 0 &&
                     (g_ascii_isspace(s[4]) || s[4] == '>' || s[4] == '/')
                 ? "svg"
                 : NULL;
    const char *at = g_strstr_len(s, (gssize)left, close);
    if (!at)
      return NULL;
    i = (gsize)(at - (const char *)d) + strlen(close);
  }
}

/* ---- Cache -------------------------------------------------------------------- */

static char *meta_path(const Entry *e)
{
  return g_strconcat(e->base, ".meta", NULL);
}

/* Loads what the cache knows of e's URL. */
static void load_meta(Entry *e)
{
  char *mp = meta_path(e);
  GKeyFile *kf = g_key_file_new();
  if (g_key_file_load_from_file(kf, mp, G_KEY_FILE_NONE, NULL)) {
    char *url = g_key_file_get_string(kf, "image", "url", NULL);
    char *file = g_key_file_get_string(kf, "image", "file", NULL);
    /* the file is a bare name inside the cache folder */
    if (url && file && strcmp(url, e->fetch_url) == 0 && !strchr(file, '/')) {
      char *dir = g_path_get_dirname(e->base);
      char *full = g_build_filename(dir, file, NULL);
      g_free(dir);
      if (g_file_test(full, G_FILE_TEST_IS_REGULAR)) {
        e->old.file = full;
        full = NULL;
        e->old.etag = g_key_file_get_string(kf, "image", "etag", NULL);
        e->old.modified = g_key_file_get_string(kf, "image", "last-modified", NULL);
      }
      g_free(full);
    }
    g_free(url);
    g_free(file);
  }
  g_key_file_free(kf);
  g_free(mp);
}

/* Writes data to path through a temporary file renamed into place, so that
 * another run never reads half a file. */
static gboolean write_atomic(const char *path, const void *data, gsize len, GError **error)
{
  return g_file_set_contents_full(path, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                  error);
}

/* Records e->now (its file by its name alone) as what the cache holds for e's URL. */
static void save_meta(Entry *e)
{
  GKeyFile *kf = g_key_file_new();
  char *file_name = g_path_get_basename(e->now.file);
  g_key_file_set_string(kf, "image", "url", e->fetch_url);
  g_key_file_set_string(kf, "image", "file", file_name);
  g_free(file_name);
  if (e->now.etag)
    g_key_file_set_string(kf, "image", "etag", e->now.etag);
  if (e->now.modified)
    g_key_file_set_string(kf, "image", "last-modified", e->now.modified);
  gsize len;
  char *text = g_key_file_to_data(kf, &len, NULL);
  char *mp = meta_path(e);
  write_atomic(mp, text, len, NULL); /* without it the next run downloads again */
  g_free(mp);
  g_free(text);
  g_key_file_free(kf);
}

/* ---- Transfers ------------------------------------------------------------------ */

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *data)
{
  Entry *e = data;
  size_t n = size * nmemb;
  if (e->body->len + n > e->f->o.max_bytes) {
    e->abort_why = "larger than the per-image byte cap";
    return 0;
  }
  if (e->f->total + n > e->f->o.max_total) {
    e->abort_why = "the edition's download cap is reached";
    return 0;
  }
  e->f->total += n;
  g_byte_array_append(e->body, (const guint8 *)ptr, (guint)n);
  return n;
}

/* Keeps the validators of the last response (a redirect starts a new one). */
static size_t on_header(char *buf, size_t size, size_t nitems, void *data)
{
  Entry *e = data;
  size_t n = size * nitems;
  if (n >= 5 && g_ascii_strncasecmp(buf, "HTTP/", 5) == 0) {
    g_clear_pointer(&e->now.etag, g_free);
    g_clear_pointer(&e->now.modified, g_free);
    g_byte_array_set_size(e->body, 0);
    return n;
  }
  const char *colon = memchr(buf, ':', n);
  if (!colon || n > 1024)
    return n;
  char *name = g_strndup(buf, (gsize)(colon - buf));
  char *value = g_strstrip(g_strndup(colon + 1, n - (gsize)(colon + 1 - buf)));
  if (g_ascii_strcasecmp(name, "ETag") == 0 && *value) {
    g_free(e->now.etag);
    e->now.etag = g_strdup(value);
  } else if (g_ascii_strcasecmp(name, "Last-Modified") == 0 && *value) {
    g_free(e->now.modified);
    e->now.modified = g_strdup(value);
  }
  g_free(name);
  g_free(value);
  return n;
}

static void set_why(Entry *e, char *why)
{
  g_free(e->why);
  e->why = why;
}

static void start(KqFetcher *f, Entry *e, CURLM *multi)
{
  load_meta(e);
  e->body = g_byte_array_new();
  e->easy = f->curl->easy_init();
  CURL *c = e->easy;
  f->curl->easy_setopt(c, CURLOPT_URL, e->fetch_url);
  f->curl->easy_setopt(c, CURLOPT_PRIVATE, e);
  f->curl->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  f->curl->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  f->curl->easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  f->curl->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  f->curl->easy_setopt(c, CURLOPT_MAXREDIRS, (long)KQ_FETCH_MAX_REDIRECTS);
  f->curl->easy_setopt(c, CURLOPT_PROXY, ""); /* a proxy would resolve names past our check */
  f->curl->easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, f->o.connect_timeout_ms);
  f->curl->easy_setopt(c, CURLOPT_TIMEOUT_MS, f->o.timeout_ms);
  f->curl->easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->o.max_bytes);
  f->curl->easy_setopt(c, CURLOPT_USERAGENT, "kiosque/" KQ_VERSION);
  f->curl->easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
  f->curl->easy_setopt(c, CURLOPT_OPENSOCKETDATA, e);
  f->curl->easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  f->curl->easy_setopt(c, CURLOPT_WRITEDATA, e);
  f->curl->easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  f->curl->easy_setopt(c, CURLOPT_HEADERDATA, e);
  if (e->old.file) {
    char *h;
    if (e->old.etag) {
      h = g_strconcat("If-None-Match: ", e->old.etag, NULL);
      e->headers = f->curl->slist_append(e->headers, h);
      g_free(h);
    }
    if (e->old.modified) {
      h = g_strconcat("If-Modified-Since: ", e->old.modified, NULL);
      e->headers = f->curl->slist_append(e->headers, h);
      g_free(h);
    }
    f->curl->easy_setopt(c, CURLOPT_HTTPHEADER, e->headers);
  }
  f->curl->multi_add_handle(multi, c);
}

/* The image bytes of a 200 answer: sniffed, checked against the pixel cap,
 * cached. */
static void keep_body(KqFetcher *f, Entry *e)
{
  const char *ext = sniff(e->body->data, e->body->len);
  if (!ext) {
    set_why(e, g_strdup("not an image (neither PNG, JPEG, GIF, WebP nor SVG)"));
    return;
  }
  char *file = g_strconcat(e->base, ".", ext, NULL);
  GError *err = NULL;
  if (!write_atomic(file, e->body->data, e->body->len, &err)) {
    set_why(e, g_strdup_printf("cannot write the cache: %s", err->message));
    g_error_free(err);
    g_free(file);
    return;
  }
  if (strcmp(ext, "svg") != 0) {
    /* the same cap as local images, from the header: no pixel is decoded */
    int w = 0, h = 0;
    GdkPixbufFormat *fmt = gdk_pixbuf_get_file_info(file, &w, &h);
    if (!fmt || w <= 0 || h <= 0)
      set_why(e, g_strdup_printf("not a readable %s image", ext));
    else if ((guint64)w * (guint64)h > f->o.max_pixels)
      set_why(e, g_strdup_printf("%d × %d pixels, over the image pixel cap "
                                 "(--max-image-pixels)", w, h));
    if (e->why) {
      g_unlink(file);
      g_free(file);
      return;
    }
  }
  if (e->old.file && strcmp(e->old.file, file) != 0)
    g_unlink(e->old.file); /* the type changed */
  e->now.file = file;
  save_meta(e);
  f->downloaded++;
}

static void finish(KqFetcher *f, Entry *e, CURLcode rc)
{
  long status = 0;
  f->curl->easy_getinfo(e->easy, CURLINFO_RESPONSE_CODE, &status);
  long secs = (f->o.timeout_ms + 999) / 1000;
  if (rc == CURLE_OK && status == 304 && e->old.file) {
    e->now.file = g_steal_pointer(&e->old.file); /* revalidated: the cached copy is current */
    if (e->now.etag || e->now.modified) {
      if (!e->now.etag)
        e->now.etag = g_strdup(e->old.etag);
      if (!e->now.modified)
        e->now.modified = g_strdup(e->old.modified);
      save_meta(e);
    }
    f->revalidated++;
  } else if (rc == CURLE_OK && status == 200) {
    keep_body(f, e);
  } else if (rc == CURLE_OK) {
    set_why(e, g_strdup_printf("HTTP status %ld", status));
  } else if (e->blocked) {
    set_why(e, g_strdup_printf("refused: %s is a loopback, private or link-local address "
                               "(--fetch-allow-private allows it)",
                               e->blocked_addr ? e->blocked_addr : "the host"));
  } else if (e->abort_why) {
    set_why(e, g_strdup(e->abort_why));
  } else if (rc == CURLE_FILESIZE_EXCEEDED) {
    set_why(e, g_strdup("larger than the per-image byte cap"));
  } else if (rc == CURLE_OPERATION_TIMEDOUT) {
    set_why(e, g_strdup_printf("no complete answer within %ld s", secs));
  } else if (rc == CURLE_COULDNT_RESOLVE_HOST) {
    set_why(e, g_strdup_printf("host %s not found", e->host));
  } else if (rc == CURLE_UNSUPPORTED_PROTOCOL) {
    set_why(e, g_strdup("redirected to a URL that is not http or https"));
  } else if (rc == CURLE_TOO_MANY_REDIRECTS) {
    set_why(e, g_strdup("too many redirects"));
  } else {
    set_why(e, g_strdup(f->curl->easy_strerror(rc)));
  }
  if (!e->now.file)
    f->failed++;
  g_clear_pointer(&e->body, g_byte_array_unref);
  g_clear_pointer(&e->headers, f->curl->slist_free_all);
}

/* ---- The fetcher ------------------------------------------------------------------ */

static void entry_free(Entry *e)
{
  record_clear(&e->old);
  record_clear(&e->now);
  g_free(e->why);
  g_free(e->blocked_addr);
  g_clear_pointer(&e->body, g_byte_array_unref);
  if (e->headers) /* a transfer was set up: libcurl is loaded */
    e->f->curl->slist_free_all(e->headers);
  g_free(e);
}

KqFetcher *kq_fetcher_new(const KqFetchOptions *opts)
{
  KqFetcher *f = g_new0(KqFetcher, 1);
  f->o = *opts;
  if (!f->o.max_parallel)
    f->o.max_parallel = KQ_FETCH_MAX_PARALLEL;
  if (!f->o.max_per_host)
    f->o.max_per_host = KQ_FETCH_MAX_PER_HOST;
  f->texts = g_string_chunk_new(4096);
  f->cache_dir = kq_chunk_take(f->texts, opts->cache_dir
                                              ? g_strdup(opts->cache_dir)
                                              : g_build_filename(g_get_user_cache_dir(),
                                                                 "kiosque", "images", NULL));
  f->o.cache_dir = f->cache_dir;
  if (g_mkdir_with_parents(f->cache_dir, 0700) != 0)
    f->cache_error = kq_chunk_take(f->texts,
                                   g_strdup_printf("cannot make the cache folder %s: %s",
                                                   f->cache_dir, g_strerror(errno)));
  f->entries = g_ptr_array_new_with_free_func((GDestroyNotify)entry_free);
  f->by_url = g_hash_table_new(g_str_hash, g_str_equal);
  return f;
}

void kq_fetcher_free(KqFetcher *f)
{
  if (!f)
    return;
  g_hash_table_unref(f->by_url);
  g_ptr_array_unref(f->entries);
  g_string_chunk_free(f->texts);
  g_free(f);
}

void kq_fetcher_add(KqFetcher *f, const char *url)
{
  if (!url || g_hash_table_contains(f->by_url, url))
    return;
  Entry *e = g_new0(Entry, 1);
  e->f = f;
  e->url = g_string_chunk_insert(f->texts, url);
  g_ptr_array_add(f->entries, e);
  g_hash_table_insert(f->by_url, (gpointer)e->url, e);
  char *abs = g_str_has_prefix(url, "//") ? g_strconcat("https:", url, NULL) : g_strdup(url);
  GUri *uri = g_uri_parse(abs, G_URI_FLAGS_ENCODED, NULL);
  const char *scheme = uri ? g_uri_get_scheme(uri) : NULL;
  const char *host = uri ? g_uri_get_host(uri) : NULL;
  if (!uri || !scheme || (g_ascii_strcasecmp(scheme, "http") != 0 &&
                          g_ascii_strcasecmp(scheme, "https") != 0)) {
    e->why = g_strdup("not an http or https URL");
  } else if (!host || !*host) {
    e->why = g_strdup("URL without a host");
  } else if (g_uri_get_userinfo(uri)) {
    e->why = g_strdup("URL with a user name or password");
  } else if (f->cache_error) {
    e->why = g_strdup(f->cache_error);
  } else {
    e->fetch_url = g_string_chunk_insert(f->texts, abs);
    e->host = kq_chunk_take(f->texts, g_ascii_strdown(host, -1));
    char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, e->fetch_url, -1);
    e->base = kq_chunk_take(f->texts, g_build_filename(f->cache_dir, sum, NULL));
    g_free(sum);
  }
  g_clear_pointer(&uri, g_uri_unref);
  g_free(abs);
}

void kq_fetcher_run(KqFetcher *f, void (*progress)(guint done, guint total, gpointer data),
                    gpointer data)
{
  GPtrArray *todo = g_ptr_array_new();
  for (guint i = 0; i < f->entries->len; i++) {
    Entry *e = g_ptr_array_index(f->entries, i);
    if (e->fetch_url && !e->now.file && !e->easy)
      g_ptr_array_add(todo, e);
    else if (!e->now.file && !e->easy)
      f->failed++;
  }
  if (todo->len == 0) {
    g_ptr_array_unref(todo);
    return;
  }
  const char *why = NULL;
  f->curl = curl_api(&why);
  if (!f->curl) {
    for (guint i = 0; i < todo->len; i++) {
      set_why(g_ptr_array_index(todo, i), g_strdup(why));
      f->failed++;
    }
    g_ptr_array_unref(todo);
    return;
  }
  const CurlApi *api = f->curl;
  CURLM *multi = api->multi_init();
  api->multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)f->o.max_parallel);
  api->multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)f->o.max_per_host);
  /* Transfers start only when a slot is free, in queue order, never more
   * than max_per_host to one host: a queued transfer's timeout clock does
   * not run while it waits. */
  GHashTable *per_host = g_hash_table_new(g_str_hash, g_str_equal); /* host -> active count */
  guint next = 0, active = 0, done = 0;
  gboolean *started = g_new0(gboolean, todo->len);
  for (;;) {
    for (guint i = next; i < todo->len && active < f->o.max_parallel; i++) {
      Entry *e = g_ptr_array_index(todo, i);
      if (started[i])
        continue;
      guint n = GPOINTER_TO_UINT(g_hash_table_lookup(per_host, e->host));
      if (n >= f->o.max_per_host)
        continue;
      g_hash_table_insert(per_host, (gpointer)e->host, GUINT_TO_POINTER(n + 1));
      started[i] = TRUE;
      active++;
      start(f, e, multi);
    }
    while (next < todo->len && started[next])
      next++;
    if (active == 0)
      break;
    int running = 0;
    api->multi_perform(multi, &running);
    CURLMsg *msg;
    int queued;
    while ((msg = api->multi_info_read(multi, &queued))) {
      if (msg->msg != CURLMSG_DONE)
        continue;
      Entry *e = NULL;
      api->easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&e);
      CURLcode rc = msg->data.result;
      api->multi_remove_handle(multi, msg->easy_handle);
      finish(f, e, rc);
      api->easy_cleanup(e->easy);
      e->easy = NULL;
      guint n = GPOINTER_TO_UINT(g_hash_table_lookup(per_host, e->host));
      g_hash_table_insert(per_host, (gpointer)e->host, GUINT_TO_POINTER(n - 1));
      active--;
      done++;
      if (progress)
        progress(done, todo->len, data);
    }
    if (running > 0)
      api->multi_poll(multi, NULL, 0, 500, NULL);
  }
  g_free(started);
  g_hash_table_unref(per_host);
  api->multi_cleanup(multi);
  g_ptr_array_unref(todo);
}

const char *kq_fetcher_lookup(const KqFetcher *f, const char *url, const char **why)
{
  const Entry *e = f && url ? g_hash_table_lookup(f->by_url, url) : NULL;
  if (e && e->now.file)
    return e->now.file;
  if (why)
    *why = e ? (e->why ? e->why : "not fetched") : "not fetched";
  return NULL;
}

G_DEFINE_QUARK(kq-fetch-error-quark, kq_fetch_error)

GBytes *kq_fetcher_read(const char *url, gpointer fetcher, GError **error)
{
  const KqFetcher *f = fetcher;
  const char *why = NULL;
  const char *path = kq_fetcher_lookup(f, url, &why);
  if (!path && url && g_str_has_prefix(url, "https://")) {
    /* a resolver hands "//host/x" over as https: look it up as written */
    char *rel = g_strdup(url + strlen("https:"));
    path = kq_fetcher_lookup(f, rel, &why);
    g_free(rel);
  }
  if (!path) {
    g_set_error(error, KQ_FETCH_ERROR, KQ_FETCH_ERROR_FAILED, "%s", why);
    return NULL;
  }
  char *data = NULL;
  gsize len = 0;
  GError *err = NULL;
  if (!g_file_get_contents(path, &data, &len, &err)) {
    g_set_error(error, KQ_FETCH_ERROR, KQ_FETCH_ERROR_FAILED, "cache: %s", err->message);
    g_error_free(err);
    return NULL;
  }
  if (len > f->o.max_bytes) { /* the cache was changed under us */
    g_free(data);
    g_set_error(error, KQ_FETCH_ERROR, KQ_FETCH_ERROR_FAILED, "larger than the per-image byte cap");
    return NULL;
  }
  return g_bytes_new_take(data, len);
}

void kq_fetcher_stats(const KqFetcher *f, guint *downloaded, guint *revalidated, guint *failed)
{
  if (downloaded)
    *downloaded = f->downloaded;
  if (revalidated)
    *revalidated = f->revalidated;
  if (failed)
    *failed = f->failed;
}

/* ---- The edition's remote images ------------------------------------------------ */

/* Distinct remote URLs of blocks (recursively), in reading order. */
static void remote_urls(const GPtrArray *blocks, GPtrArray *urls, GHashTable *seen)
{
  for (guint i = 0; blocks && i < blocks->len; i++) {
    const KqBlock *b = g_ptr_array_index(blocks, i);
    if (b->kind == KQ_BLOCK_IMAGE && kq_fetch_is_remote(b->src) &&
        !g_hash_table_contains(seen, b->src)) {
      g_hash_table_add(seen, b->src);
      g_ptr_array_add(urls, b->src);
    }
    remote_urls(b->children, urls, seen);
  }
}

KqFetcher *kq_fetch_edition_images(const KqEdition *ed, const KqFetchOptions *opts, KqLog *log)
{
  /* per input file, in reading order: its distinct remote URLs */
  GPtrArray *files = g_ptr_array_new();                 /* source paths, first-seen order */
  GHashTable *by_file = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                              (GDestroyNotify)g_ptr_array_unref);
  GHashTable *seen_by_file = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                                   (GDestroyNotify)g_hash_table_unref);
  for (guint i = 0; i < ed->articles->len; i++) {
    const KqArticle *a = g_ptr_array_index(ed->articles, i);
    const char *path = a->source_path ? a->source_path : "";
    GPtrArray *urls = g_hash_table_lookup(by_file, path);
    if (!urls) {
      urls = g_ptr_array_new();
      g_hash_table_insert(by_file, (gpointer)path, urls);
      g_hash_table_insert(seen_by_file, (gpointer)path, g_hash_table_new(g_str_hash, g_str_equal));
      g_ptr_array_add(files, (gpointer)path);
    }
    remote_urls(a->blocks, urls, g_hash_table_lookup(seen_by_file, path));
  }
  KqFetcher *f = NULL;
  if (!opts) {
    for (guint i = 0; i < files->len; i++) {
      const char *path = g_ptr_array_index(files, i);
      GPtrArray *urls = g_hash_table_lookup(by_file, path);
      if (urls->len)
        KQ_WARN(log, *path ? path : NULL, 0, "%u remote image%s not fetched (use --fetch-images)",
                urls->len, urls->len == 1 ? "" : "s");
    }
  } else {
    f = kq_fetcher_new(opts);
    for (guint i = 0; i < files->len; i++) {
      GPtrArray *urls = g_hash_table_lookup(by_file, g_ptr_array_index(files, i));
      for (guint k = 0; k < urls->len; k++)
        kq_fetcher_add(f, g_ptr_array_index(urls, k));
    }
    kq_fetcher_run(f, NULL, NULL);
    GHashTable *told = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < files->len; i++) {
      const char *path = g_ptr_array_index(files, i);
      GPtrArray *urls = g_hash_table_lookup(by_file, path);
      for (guint k = 0; k < urls->len; k++) {
        const char *url = g_ptr_array_index(urls, k), *why = NULL;
        if (kq_fetcher_lookup(f, url, &why) || g_hash_table_contains(told, url))
          continue;
        g_hash_table_add(told, (gpointer)url);
        KQ_WARN(log, *path ? path : NULL, 0, "image %s not included: %s", url, why);
      }
    }
    g_hash_table_unref(told);
    guint got, same, bad;
    kq_fetcher_stats(f, &got, &same, &bad);
    KQ_INFO(log, NULL, 0, "images: %u downloaded, %u unchanged in the cache (%s), %u failed",
            got, same, f->cache_dir, bad);
  }
  g_hash_table_unref(seen_by_file);
  g_hash_table_unref(by_file);
  g_ptr_array_unref(files);
  return f;
}
