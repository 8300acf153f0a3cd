/* log.h: the one message sink; library code reports here and never prints. */
#ifndef KIOSQUE_LOG_H
#define KIOSQUE_LOG_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  KQ_LOG_ERROR = 0,
  KQ_LOG_WARNING,
  KQ_LOG_INFO,  /* shown with -v */
  KQ_LOG_DEBUG,
} KqLogLevel;

/* path may be NULL; line is 0 when unknown. msg is one line, borrowed. */
typedef void (*KqLogFunc)(KqLogLevel level, const char *path, int line, const char *msg,
                          gpointer user_data);

/* A sink: the CLI owns one and lends it to the library; level is the most
 * verbose level delivered. A NULL KqLog* discards everything. Counters let
 * callers tell whether anything went wrong (e.g. for --strict). */
typedef struct {
  KqLogFunc func;
  gpointer user_data;
  KqLogLevel level;
  guint n_errors;
  guint n_warnings;
} KqLog;

void kq_log_message(KqLog *log, KqLogLevel level, const char *path, int line,
                    const char *format, ...) G_GNUC_PRINTF(5, 6);

/* The level is tested before the arguments are formatted. Warnings and
 * errors are always counted, even when not delivered. */
#define KQ_LOG(log, lvl, path, line, ...)                                   \
  do {                                                                       \
    KqLog *kq_log_l_ = (log);                                                \
    if (kq_log_l_ && ((lvl) <= KQ_LOG_WARNING || (lvl) <= kq_log_l_->level))  \
      kq_log_message(kq_log_l_, (lvl), (path), (line), __VA_ARGS__);         \
  } while (0)
#define KQ_WARN(log, path, line, ...) KQ_LOG(log, KQ_LOG_WARNING, path, line, __VA_ARGS__)
#define KQ_INFO(log, path, line, ...) KQ_LOG(log, KQ_LOG_INFO, path, line, __VA_ARGS__)

/* The sink used by the command line: "kiosque: warning: PATH:LINE: msg" on
 * stderr. user_data unused. */
void kq_log_stderr(KqLogLevel level, const char *path, int line, const char *msg,
                   gpointer user_data);

/* Routes GLib's and libxml2's own messages into log while installed, so no
 * dependency prints on its own. The returned handle is freed by uninstall,
 * which must run before log dies. */
typedef struct KqLogHandlers KqLogHandlers;
KqLogHandlers *kq_log_install_library_handlers(KqLog *log);
void kq_log_uninstall_library_handlers(KqLogHandlers *handlers);

/* libxml2 keeps its error handlers per thread: a worker thread that parses
 * calls this first so that libxml2 never prints on its own there either. */
void kq_log_quiet_libxml2(void);

G_END_DECLS

#endif
