/* log.c: the message sink and the bridge from GLib's and libxml2's own messages. */
#include "kiosque/log.h"

#include <libxml/xmlerror.h>
#include <stdio.h>

void kq_log_message(KqLog *log, KqLogLevel level, const char *path, int line,
                    const char *format, ...)
{
  if (!log)
    return;
  if (level == KQ_LOG_ERROR)
    log->n_errors++;
  else if (level == KQ_LOG_WARNING)
    log->n_warnings++;
  if (level > log->level || !log->func)
    return;
  va_list ap;
  va_start(ap, format);
  char *msg = g_strdup_vprintf(format, ap);
  va_end(ap);
  /* one message, one line */
  for (char *p = msg; *p; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  log->func(level, path, line, msg, log->user_data);
  g_free(msg);
}

void kq_log_stderr(KqLogLevel level, const char *path, int line, const char *msg,
                   gpointer user_data)
{
  static const char *const names[] = {"error", "warning", "info", "debug"};
  GString *s = g_string_new("kiosque: ");
  g_string_append(s, names[level <= KQ_LOG_DEBUG ? level : KQ_LOG_DEBUG]);
  g_string_append(s, ": ");
  if (path) {
    g_string_append(s, path);
    if (line > 0)
      g_string_append_printf(s, ":%d", line);
    g_string_append(s, ": ");
  }
  g_string_append(s, msg);
  g_string_append_c(s, '\n');
  fputs(s->str, stderr);
  g_string_free(s, TRUE);
}

static void glib_handler(const char *domain, GLogLevelFlags flags, const char *message,
                         gpointer user_data)
{
  KqLogLevel level = (flags & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) ? KQ_LOG_WARNING
                     : (flags & G_LOG_LEVEL_WARNING)                       ? KQ_LOG_INFO
                                                                           : KQ_LOG_DEBUG;
  KQ_LOG((KqLog *)user_data, level, NULL, 0, "%s%s%s", domain ? domain : "",
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
