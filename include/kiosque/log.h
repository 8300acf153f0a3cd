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

/* path may be NULL; line is 0 when unknown. msg is borrowed and raw: it may
 * hold any byte the input put in it (a title, a file name), so a sink that
 * prints escapes it (kq_log_escape). Calls into one KqLog are serialized. */
typedef void (*KqLogFunc)(KqLogLevel level, const char *path, int line, const char *msg,
                          gpointer user_data);

/* A sink: the CLI owns one and lends it to the library; level is the most
 * verbose level delivered. A NULL KqLog* discards everything. Counters let
 * callers tell whether anything went wrong (e.g. for --strict); they are
 * updated atomically, so worker threads may log into the same KqLog (read
 * them with g_atomic_int_get once the workers are done, or plainly after). */
typedef struct {
  KqLogFunc func;
  gpointer user_data;
  KqLogLevel level;
  guint n_errors;
  guint n_warnings;
} KqLog;

/* Progress of a long step, called on the thread that owns the output:
 * "inputs", "articles" or "pages" done of total. */
typedef void (*KqProgressFunc)(const char *what, guint done, guint total, gpointer data);

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
 * stderr, path and msg escaped (kq_log_escape, controls too): one message is
 * one line whatever a file name or title holds. user_data unused. */
void kq_log_stderr(KqLogLevel level, const char *path, int line, const char *msg,
                   gpointer user_data);

/* s made safe to print (caller frees; NULL gives NULL): bytes that are not
 * UTF-8 become "\xNN", so the result is always valid UTF-8 (JSON output);
 * with controls, C0 and C1 controls and DEL become "\n", "\r", "\t",
 * "\x1b", "\u0085"…, so a name cannot break a log line or drive a terminal. */
char *kq_log_escape(const char *s, gboolean controls);

/* ---- Capture: messages kept for later ---------------------------------------
 * Work done on another thread (a file read, an article typeset) logs into a
 * capture; the thread that owns the output replays the captures in reading
 * order, so messages come out the same whatever the threads did. Unit tests
 * use it to read what a function reported. Warnings and errors are always
 * kept; other levels only up to the capture's level. */
typedef struct {
  KqLogLevel level;
  char *path; /* NULL when none */
  int line;   /* 0 when unknown */
  char *msg;
} KqLogEntry;

typedef struct {
  KqLog log;           /* lend &capture->log to the code that reports */
  GPtrArray *entries;  /* KqLogEntry*, in the order logged, owned */
} KqLogCapture;

void kq_log_capture_init(KqLogCapture *capture, KqLogLevel level);
/* Delivers every entry to dest (counted there as if logged there) and empties
 * the capture. dest may be NULL (entries dropped). */
void kq_log_capture_replay(KqLogCapture *capture, KqLog *dest);
/* Frees the entries; the capture may be initialized again. */
void kq_log_capture_clear(KqLogCapture *capture);
/* Entries of level at most max_level whose message contains needle
 * (NULL: any); for tests. */
guint kq_log_capture_count(const KqLogCapture *capture, KqLogLevel max_level,
                           const char *needle);

/* The log that GLib's and libxml2's messages raised on the calling thread go
 * to while set (a worker's capture), instead of the installed one; returns
 * the previous one, to be set back when the work is done. NULL unsets. */
KqLog *kq_log_set_thread_log(KqLog *log);

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
