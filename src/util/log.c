/* log.c: the message sink, captures replayed in order, escaping for terminals and JSON, and the bridge from GLib's and libxml2's own messages. */
#include "kiosque/log.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdio.h>
#include <string.h>

/* Delivery is serialized: worker threads may log into the CLI's sink (GLib
 * messages of a thread without a log of its own) while the main thread does.
 * Recursive, because a sink may itself raise a GLib message. */
static GRecMutex deliver_lock;

/* The log a worker set for GLib's messages raised on its thread. */
static GPrivate thread_log;

void kq_log_message(KqLog *log, KqLogLevel level, const char *path, int line,
                    const char *format, ...)
{
  if (!log)
    return;
  if (level == KQ_LOG_ERROR)
    g_atomic_int_inc((gint *)&log->n_errors);
  else if (level == KQ_LOG_WARNING)
    g_atomic_int_inc((gint *)&log->n_warnings);
  if (level > log->level || !log->func)
    return;
  va_list ap;
  va_start(ap, format);
  char *msg = g_strdup_vprintf(format, ap);
  va_end(ap);
  g_rec_mutex_lock(&deliver_lock);
  log->func(level, path, line, msg, log->user_data);
  g_rec_mutex_unlock(&deliver_lock);
  g_free(msg);
}

char *kq_log_escape(const char *s, gboolean controls)
{
  if (!s)
    return NULL;
  GString *out = g_string_sized_new(strlen(s) + 8);
  const char *p = s;
  const char *end = s + strlen(s);
  while (p < end) {
    gunichar c = g_utf8_get_char_validated(p, end - p);
    if (c == (gunichar)-1 || c == (gunichar)-2) { /* not UTF-8: the byte, visibly */
      g_string_append_printf(out, "\\x%02x", (guchar)*p);
      p++;
      continue;
    }
    const char *next = g_utf8_next_char(p);
    if (controls && (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))) {
      switch (c) {
      case '\n': g_string_append(out, "\\n"); break;
      case '\r': g_string_append(out, "\\r"); break;
      case '\t': g_string_append(out, "\\t"); break;
      default:
        if (c < 0x80)
          g_string_append_printf(out, "\\x%02x", c);
        else
          g_string_append_printf(out, "\\u%04x", c);
      }
    } else {
      g_string_append_len(out, p, next - p);
    }
    p = next;
  }
  return g_string_free(out, FALSE);
}

void kq_log_stderr(KqLogLevel level, const char *path, int line, const char *msg,
                   gpointer user_data)
{
  (void)user_data;
  static const char *const names[] = {"error", "warning", "info", "debug"};
  GString *s = g_string_new("kiosque: ");
  g_string_append(s, names[level <= KQ_LOG_DEBUG ? level : KQ_LOG_DEBUG]);
  g_string_append(s, ": ");
  if (path) {
    char *p = kq_log_escape(path, TRUE);
    g_string_append(s, p);
    g_free(p);
    if (line > 0)
      g_string_append_printf(s, ":%d", line);
    g_string_append(s, ": ");
  }
  char *m = kq_log_escape(msg, TRUE);
  g_string_append(s, m);
  g_free(m);
  g_string_append_c(s, '\n');
  fputs(s->str, stderr);
  g_string_free(s, TRUE);
}

/* ---- Capture ------------------------------------------------------------------ */

static void entry_free(KqLogEntry *e)
{
  g_free(e->path);
  g_free(e->msg);
  g_free(e);
}

static void capture_func(KqLogLevel level, const char *path, int line, const char *msg,
                         gpointer user_data)
{
  KqLogEntry *e = g_new0(KqLogEntry, 1);
  e->level = level;
  e->path = g_strdup(path);
  e->line = line;
  e->msg = g_strdup(msg);
  g_ptr_array_add(user_data, e);
}

void kq_log_capture_init(KqLogCapture *c, KqLogLevel level)
{
  c->entries = g_ptr_array_new_with_free_func((GDestroyNotify)entry_free);
  c->log.func = capture_func;
  c->log.user_data = c->entries;
  c->log.level = MAX(level, KQ_LOG_WARNING); /* what --strict counts is never lost */
  c->log.n_errors = 0;
  c->log.n_warnings = 0;
}

void kq_log_capture_replay(KqLogCapture *c, KqLog *dest)
{
  if (!c->entries)
    return;
  for (guint i = 0; i < c->entries->len; i++) {
    const KqLogEntry *e = g_ptr_array_index(c->entries, i);
    KQ_LOG(dest, e->level, e->path, e->line, "%s", e->msg);
  }
  g_ptr_array_set_size(c->entries, 0);
}

void kq_log_capture_clear(KqLogCapture *c)
{
  g_clear_pointer(&c->entries, g_ptr_array_unref);
  c->entries = NULL;
  c->log.user_data = NULL;
  c->log.func = NULL;
}

guint kq_log_capture_count(const KqLogCapture *c, KqLogLevel max_level, const char *needle)
{
  guint n = 0;
  for (guint i = 0; c->entries && i < c->entries->len; i++) {
    const KqLogEntry *e = g_ptr_array_index(c->entries, i);
    if (e->level <= max_level && (!needle || strstr(e->msg, needle)))
      n++;
  }
  return n;
}

KqLog *kq_log_set_thread_log(KqLog *log)
{
  KqLog *old = g_private_get(&thread_log);
  g_private_set(&thread_log, log);
  return old;
}

/* ---- Library messages ------------------------------------------------------------ */

static void glib_handler(const char *domain, GLogLevelFlags flags, const char *message,
                         gpointer user_data)
{
  KqLogLevel level = (flags & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) ? KQ_LOG_WARNING
                     : (flags & G_LOG_LEVEL_WARNING)                       ? KQ_LOG_INFO
                                                                           : KQ_LOG_DEBUG;
  /* a worker's message goes to its own capture, replayed in order with the
   * work it belongs to; otherwise to the installed sink (serialized) */
  KqLog *log = g_private_get(&thread_log);
  KQ_LOG(log ? log : (KqLog *)user_data, level, NULL, 0, "%s%s%s", domain ? domain : "",
         domain ? ": " : "", message);
}

/* libxml2 reports parse errors of damaged input through this; readers give
 * their own warning with the file name, so these only show with -v. */
static void xml_generic_handler(void *ctx, const char *msg, ...)
{
  (void)ctx;
  (void)msg;
}

static void xml_structured_handler(void *user_data, xmlErrorPtr err)
{
  (void)user_data;
  (void)err;
}

void kq_log_quiet_libxml2(void)
{
  xmlSetGenericErrorFunc(NULL, xml_generic_handler);
  xmlSetStructuredErrorFunc(NULL, xml_structured_handler);
}

static const char *const handled_domains[] = {NULL, "GLib", "Pango", "GdkPixbuf"};

struct KqLogHandlers {
  guint ids[G_N_ELEMENTS(handled_domains)];
};

KqLogHandlers *kq_log_install_library_handlers(KqLog *log)
{
  /* libxml2's global state (its mutexes among them) is made here, on the main
   * thread, before any worker parses: two workers starting it at once could
   * each make a mutex, one of them lost (LeakSanitizer saw it in log_sink). */
  xmlInitParser();
  KqLogHandlers *h = g_new0(KqLogHandlers, 1);
  for (guint i = 0; i < G_N_ELEMENTS(handled_domains); i++)
    h->ids[i] = g_log_set_handler(handled_domains[i],
                                  G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
                                  glib_handler, log);
  kq_log_quiet_libxml2();
  return h;
}

void kq_log_uninstall_library_handlers(KqLogHandlers *h)
{
  if (!h)
    return;
  for (guint i = 0; i < G_N_ELEMENTS(handled_domains); i++)
    g_log_remove_handler(handled_domains[i], h->ids[i]);
  g_free(h);
}
