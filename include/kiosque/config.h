/* config.h: the configuration file (GKeyFile) and the effective settings it and the command line make. */
#ifndef KIOSQUE_CONFIG_H
#define KIOSQUE_CONFIG_H

#include <glib.h>

G_BEGIN_DECLS

#define KQ_CONFIG_ERROR (kq_config_error_quark())
GQuark kq_config_error_quark(void);

typedef enum {
  KQ_CONFIG_ERROR_READ = 1, /* the file cannot be read */
  KQ_CONFIG_ERROR_SYNTAX,   /* not a key file: "FILE:LINE: ..." */
  KQ_CONFIG_ERROR_GROUP,    /* a group other than [kiosque] */
  KQ_CONFIG_ERROR_KEY,      /* an unknown key: "FILE:LINE: unknown key 'x'" */
  KQ_CONFIG_ERROR_VALUE,    /* a bad value: "FILE:LINE: key 'paper': ..." */
} KqConfigError;

/* Where an effective value comes from. */
typedef enum {
  KQ_CONFIG_SOURCE_DEFAULT = 0,
  KQ_CONFIG_SOURCE_FILE,
  KQ_CONFIG_SOURCE_COMMAND_LINE,
} KqConfigSource;

/*
 * The file is a GKeyFile with one group, [kiosque], whose keys are named
 * after the long options (kq_config_keys() lists them):
 *
 *   [kiosque]
 *   # archive folders used when no PATH is given (';' between paths)
 *   paths = ~/archives/tech;~/archives/feeds
 *   output = ~/ereader/revue-{yyyy}-{mm}.epub
 *   formats = epub,pdf
 *   group-by = week
 *   title = Revue tech — {month} {year}
 *   style = default
 *   paper = a5
 *   edition-lang = fr
 *
 * Path values (paths, output, css, theme, cover) have a leading "~" or
 * "~/" replaced by the home folder; a relative path is taken from the
 * folder holding the configuration file. Every value is checked when the
 * file is loaded: an unknown group or key, or a bad value, is an error
 * naming the file, the line and the key.
 */
typedef struct KqConfig KqConfig;

/* The built-in defaults only. Free with kq_config_free(). */
KqConfig *kq_config_new(void);
void kq_config_free(KqConfig *config);

/*
 * The default configuration file: $XDG_CONFIG_HOME/kiosque/kiosque.conf
 * when XDG_CONFIG_HOME is set to an absolute path, else
 * ~/.config/kiosque/kiosque.conf. Reads the environment at each call.
 * Caller frees.
 */
char *kq_config_default_path(void);

/*
 * Loads path over the defaults. When path is NULL, loads the default file
 * if it exists (and nothing otherwise); an explicit path must exist.
 * Returns a new config or NULL with KQ_CONFIG_ERROR.
 */
KqConfig *kq_config_load(const char *path, GError **error);

/* The file that was loaded, or NULL. Borrowed. */
const char *kq_config_get_file(const KqConfig *config);

/* Known keys in display order, NULL-terminated; borrowed static strings. */
const char *const *kq_config_keys(void);

/* One-line description of a key (for --show and the man page); NULL when unknown. */
const char *kq_config_key_help(const char *key);

/*
 * Sets key from the command line (or any caller-given source), with the
 * same checks as the file; list keys take "a,b" (formats) or "a;b" (paths).
 * FALSE with KQ_CONFIG_ERROR_KEY or _VALUE (message "KEY: ...") when the key
 * is unknown or the value bad; the previous value is then kept.
 */
gboolean kq_config_set(KqConfig *config, const char *key, const char *value,
                       KqConfigSource source, GError **error);

/* The effective value as text, or NULL when unset (no default either).
 * Borrowed; valid until the key is set again or the config freed. */
const char *kq_config_get(const KqConfig *config, const char *key);
/* A list key's values (paths, formats); NULL when unset. Borrowed, same lifetime. */
const char *const *kq_config_get_list(const KqConfig *config, const char *key);
/* A boolean key (split, reverse, strict, quiet, no-clobber); FALSE when unset. */
gboolean kq_config_get_bool(const KqConfig *config, const char *key);
/* Where the effective value comes from, and its line in the file (0 otherwise). */
KqConfigSource kq_config_get_source(const KqConfig *config, const char *key, int *line);

/*
 * "KEY: VALUE" lines and comments, as a key file that could be loaded back:
 * every key, where its value comes from (default, FILE:LINE, command line),
 * unset keys commented out. Caller frees.
 */
char *kq_config_to_string(const KqConfig *config);

/* "16M", "512k", "2G", "45MB", "1000B": bytes. FALSE when not a size, zero,
 * or without a unit (a bare "45" is refused). Shared by max-input,
 * max-article and max-size. */
gboolean kq_config_parse_size(const char *text, guint64 *out);

/* "~" and "~/x" → home; other text returned as a copy. Caller frees. */
char *kq_config_expand_home(const char *path);

G_END_DECLS

#endif
