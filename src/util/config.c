/* config.c: loads and checks kiosque.conf (GKeyFile), merges command-line values, prints the effective settings. */
#include "kiosque/config.h"

#include <string.h>

#include "kiosque/datadir.h"
#include "kiosque/template.h"

G_DEFINE_QUARK(kq-config-error-quark, kq_config_error)

#define GROUP "kiosque"

typedef enum {
  T_STRING,    /* free text */
  T_TEMPLATE,  /* text with {placeholders} (template.h) */
  T_PATH,      /* one path: ~ expanded, relative to the file's folder */
  T_PATH_TMPL, /* a path that may hold {placeholders} */
  T_PATH_LIST, /* paths separated by ';' */
  T_LIST,      /* items separated by ',' or ';', each one of choices */
  T_CHOICE,    /* one of choices */
  T_BOOL,      /* true/false (also 1/0, yes/no) */
  T_SIZE,      /* 16M, 512k, 2G */
  T_LANG,      /* a BCP 47 tag: fr, en-GB */
  T_NAME,      /* [A-Za-z0-9._-], no leading dot (style names) */
} Type;

typedef struct {
  const char *name;
  Type type;
  const char *def;     /* default text; NULL: unset */
  const char *choices; /* '|'-separated, for T_CHOICE and T_LIST */
  const char *help;
} KeyDef;

static const KeyDef keys[] = {
    {"paths", T_PATH_LIST, NULL, NULL,
     "archive files or folders read when the command line gives no PATH"},
    {"output", T_PATH_TMPL, NULL, NULL,
     "export -o: output file or folder (ending in '/'); templates allowed"},
    {"formats", T_LIST, "epub,pdf", "epub|pdf", "export -f: formats to write"},
    {"group-by", T_CHOICE, "month", "day|week|month|year|topic|site", "grouping of articles"},
    {"split", T_BOOL, "false", NULL, "export --split: one file per group"},
    {"reverse", T_BOOL, "false", NULL, "newest articles first"},
    {"title", T_TEMPLATE, NULL, NULL, "edition title template (default: localized title)"},
    {"edition-lang", T_LANG, NULL, NULL,
     "language of the edition's own texts (default: most articles')"},
    {"style", T_NAME, "default", NULL, "styles/NAME.css and styles/NAME.theme"},
    {"css", T_PATH, NULL, NULL, "EPUB style sheet replacing the style's"},
    {"theme", T_PATH, NULL, NULL, "PDF theme replacing the style's"},
    {"cover", T_PATH, NULL, NULL, "cover image instead of the generated one"},
    {"creator", T_STRING, NULL, NULL,
     "export: the edition's one author in its metadata (default: kiosque)"},
    {"fetch-images", T_BOOL, "false", NULL,
     "export: fetch remote images over http(s) into the cache"},
    {"paper", T_CHOICE, NULL, "a4|a5|letter", "PDF paper size (default: the theme's)"},
    {"columns", T_CHOICE, NULL, "1|2", "PDF text columns (default: the theme's)"},
    {"max-input", T_SIZE, "16M", NULL, "skip input files larger than this"},
    {"max-size", T_SIZE, NULL, NULL, "export: split into numbered volumes under this size"},
    {"no-clobber", T_BOOL, "false", NULL, "never replace an existing output"},
    {"strict", T_BOOL, "false", NULL, "exit 4 when some input cannot be read"},
    {"quiet", T_BOOL, "false", NULL, "print errors only"},
    {"log-format", T_CHOICE, "text", "text|json", "messages on stderr as text or JSON lines"},
};

static const char *key_names[G_N_ELEMENTS(keys) + 1];

typedef struct {
  char *value;  /* effective text; NULL: unset */
  char **list;  /* split value for list types; NULL otherwise or unset */
  KqConfigSource source;
  int line;
} Entry;

struct KqConfig {
  char *file;
  Entry entries[G_N_ELEMENTS(keys)];
};

static int key_index(const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS(keys); i++)
    if (strcmp(keys[i].name, name) == 0)
      return (int)i;
  return -1;
}

const char *const *kq_config_keys(void)
{
  if (!key_names[0])
    for (gsize i = 0; i < G_N_ELEMENTS(keys); i++)
      key_names[i] = keys[i].name;
  return key_names;
}

const char *kq_config_key_help(const char *key)
{
  int i = key ? key_index(key) : -1;
  return i < 0 ? NULL : keys[i].help;
}

/* ---- Values ---------------------------------------------------------------- */

gboolean kq_config_parse_size(const char *text, guint64 *out)
{
  if (!text)
    return FALSE;
  char *end = NULL;
  while (g_ascii_isspace(*text))
    text++;
  if (!g_ascii_isdigit(*text))
    return FALSE;
  guint64 n = g_ascii_strtoull(text, &end, 10);
  guint64 mult = 1;
  gboolean unit = TRUE;
  switch (g_ascii_toupper(*end)) {
  case 'K': mult = G_GUINT64_CONSTANT(1) << 10; end++; break;
  case 'M': mult = G_GUINT64_CONSTANT(1) << 20; end++; break;
  case 'G': mult = G_GUINT64_CONSTANT(1) << 30; end++; break;
  default: unit = FALSE; break;
  }
  if (g_ascii_toupper(*end) == 'B') {
    end++;
    unit = TRUE;
  }
  /* a bare number is refused: "--max-size 45" meant 45M far more often
   * than 45 bytes (issue 16); bytes are written "45B" */
  if (!unit)
    return FALSE;
  while (g_ascii_isspace(*end))
    end++;
  if (*end || n == 0 || n > G_MAXUINT64 / mult)
    return FALSE;
  *out = n * mult;
  return TRUE;
}

char *kq_config_expand_home(const char *path)
{
  if (!path)
    return NULL;
  if (path[0] == '~' && (path[1] == '\0' || path[1] == '/'))
    return g_strconcat(g_get_home_dir(), path + 1, NULL);
  return g_strdup(path);
}

/* ~ expanded; relative paths taken from base (when not NULL); a trailing
 * '/' (meaning "a folder") kept. */
static char *resolve_path(const char *text, const char *base)
{
  char *p = kq_config_expand_home(text);
  if (base && !g_path_is_absolute(p)) {
    gboolean folder = g_str_has_suffix(p, "/");
    char *abs = g_build_filename(base, p, NULL);
    g_free(p);
    p = folder && !g_str_has_suffix(abs, "/") ? g_strconcat(abs, "/", NULL) : g_strdup(abs);
    g_free(abs);
  }
  return p;
}

static gboolean in_choices(const char *choices, const char *value)
{
  char **v = g_strsplit(choices, "|", -1);
  gboolean ok = g_strv_contains((const char *const *)v, value);
  g_strfreev(v);
  return ok;
}

static char *choices_text(const char *choices)
{
  char **v = g_strsplit(choices, "|", -1);
  char *s = g_strjoinv(", ", v);
  g_strfreev(v);
  return s;
}

static gboolean lang_ok(const char *s)
{
  /* primary subtag of 2-3 letters, then subtags of 1-8 letters or digits */
  gsize n = 0;
  while (g_ascii_isalpha(s[n]))
    n++;
  if (n < 2 || n > 3)
    return FALSE;
  const char *p = s + n;
  while (*p == '-') {
    p++;
    gsize k = 0;
    while (g_ascii_isalnum(p[k]))
      k++;
    if (k < 1 || k > 8)
      return FALSE;
    p += k;
  }
  return *p == '\0';
}

/* Parses and checks text (or items) for key k. On success *value and *list receive the
 * canonical forms (caller owns them); on failure *problem says why (caller
 * frees). base: folder for relative paths, or NULL. */
static gboolean ptr_array_has(const GPtrArray *v, const char *s)
{
  for (guint i = 0; i < v->len; i++)
    if (strcmp(g_ptr_array_index(v, i), s) == 0)
      return TRUE;
  return FALSE;
}

/* items, when not NULL, are a list key's values already split (from a key
 * file's string list); text is then ignored. */
static gboolean convert(const KeyDef *k, const char *text, const char *const *items,
                        const char *base, char **value, char ***list, char **problem)
{
  *value = NULL;
  *list = NULL;
  *problem = NULL;
  char *t = g_strstrip(g_strdup(text));
  gboolean ok = FALSE;
  GError *err = NULL;
  switch (k->type) {
  case T_STRING:
    *value = g_strdup(t);
    ok = TRUE;
    break;
  case T_TEMPLATE:
    if (!kq_template_check(t, &err))
      break;
    *value = g_strdup(t);
    ok = TRUE;
    break;
  case T_PATH:
  case T_PATH_TMPL:
    if (!*t) {
      *problem = g_strdup("empty path");
      break;
    }
    if (k->type == T_PATH_TMPL && !kq_template_check(t, &err))
      break;
    *value = resolve_path(t, base);
    ok = TRUE;
    break;
  case T_PATH_LIST: {
    char **parts = items ? g_strdupv((char **)items) : g_strsplit(t, ";", -1);
    GPtrArray *v = g_ptr_array_new();
    for (char **p = parts; *p; p++) {
      char *one = g_strstrip(*p);
      if (*one)
        g_ptr_array_add(v, resolve_path(one, base));
    }
    g_strfreev(parts);
    if (v->len == 0) {
      g_ptr_array_free(v, TRUE);
      *problem = g_strdup("no path given");
      break;
    }
    g_ptr_array_add(v, NULL);
    *list = (char **)g_ptr_array_free(v, FALSE);
    *value = g_strjoinv(";", *list);
    ok = TRUE;
    break;
  }
  case T_LIST: {
    char **parts = items ? g_strdupv((char **)items) : g_strsplit_set(t, ",;", -1);
    GPtrArray *v = g_ptr_array_new_with_free_func(g_free);
    for (char **p = parts; *p && !*problem; p++) {
      char *one = g_ascii_strdown(g_strstrip(*p), -1);
      if (!*one || ptr_array_has(v, one)) {
        g_free(one);
      } else if (!in_choices(k->choices, one)) {
        char *c = choices_text(k->choices);
        *problem = g_strdup_printf("'%s' is not one of %s", one, c);
        g_free(c);
        g_free(one);
      } else {
        g_ptr_array_add(v, one);
      }
    }
    g_strfreev(parts);
    if (!*problem && v->len == 0)
      *problem = g_strdup("empty list");
    if (*problem) {
      g_ptr_array_unref(v);
      break;
    }
    g_ptr_array_set_free_func(v, NULL);
    g_ptr_array_add(v, NULL);
    *list = (char **)g_ptr_array_free(v, FALSE);
    *value = g_strjoinv(",", *list);
    ok = TRUE;
    break;
  }
  case T_CHOICE: {
    char *lower = g_ascii_strdown(t, -1);
    if (in_choices(k->choices, lower)) {
      *value = lower;
      ok = TRUE;
    } else {
      char *c = choices_text(k->choices);
      *problem = g_strdup_printf("'%s' is not one of %s", t, c);
      g_free(c);
      g_free(lower);
    }
    break;
  }
  case T_BOOL: {
    char *lower = g_ascii_strdown(t, -1);
    if (!strcmp(lower, "true") || !strcmp(lower, "1") || !strcmp(lower, "yes")) {
      *value = g_strdup("true");
      ok = TRUE;
    } else if (!strcmp(lower, "false") || !strcmp(lower, "0") || !strcmp(lower, "no")) {
      *value = g_strdup("false");
      ok = TRUE;
    } else {
      *problem = g_strdup_printf("'%s' is not true or false", t);
    }
    g_free(lower);
    break;
  }
  case T_SIZE: {
    guint64 n;
    if (kq_config_parse_size(t, &n)) {
      *value = g_strdup(t);
      ok = TRUE;
    } else {
      *problem = g_strdup_printf("'%s' is not a size with a unit (e.g. 16M, 512K, 2G, 900B)", t);
    }
    break;
  }
  case T_LANG:
    if (lang_ok(t)) {
      *value = g_strdup(t);
      ok = TRUE;
    } else {
      *problem = g_strdup_printf("'%s' is not a language tag (e.g. fr, en-GB)", t);
    }
    break;
  case T_NAME:
    if (kq_style_name_ok(t)) {
      *value = g_strdup(t);
      ok = TRUE;
    } else {
      *problem = g_strdup_printf("'%s' is not a name (letters, digits, '-', '_', '.')", t);
    }
    break;
  }
  if (err) {
    *problem = g_strdup(err->message);
    g_error_free(err);
  }
  g_free(t);
  return ok;
}

static void entry_clear(Entry *e)
{
  g_clear_pointer(&e->value, g_free);
  g_clear_pointer(&e->list, g_strfreev);
  e->source = KQ_CONFIG_SOURCE_DEFAULT;
  e->line = 0;
}

/* Makes text (items: GKeyFile's split of a path list, or NULL) the value of
 * key k in e, from source (line: in the file; 0 elsewhere). FALSE with
 * *problem (caller frees) when text is not a valid value: e is then left
 * as it was. */
static gboolean entry_set(Entry *e, const KeyDef *k, const char *text, const char *const *items,
                          const char *base, KqConfigSource source, int line, char **problem)
{
  char *v = NULL, **list = NULL;
  if (!convert(k, text, items, base, &v, &list, problem))
    return FALSE;
  entry_clear(e);
  e->value = v;
  e->list = list;
  e->source = source;
  e->line = line;
  return TRUE;
}

KqConfig *kq_config_new(void)
{
  KqConfig *c = g_new0(KqConfig, 1);
  for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
    if (!keys[i].def)
      continue;
    char *problem = NULL;
    gboolean ok = convert(&keys[i], keys[i].def, NULL, NULL, &c->entries[i].value,
                          &c->entries[i].list, &problem);
    g_assert(ok); /* the table's defaults are valid */
    (void)ok;
  }
  return c;
}

void kq_config_free(KqConfig *c)
{
  if (!c)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS(keys); i++)
    entry_clear(&c->entries[i]);
  g_free(c->file);
  g_free(c);
}

const char *kq_config_get_file(const KqConfig *c)
{
  return c ? c->file : NULL;
}

gboolean kq_config_set(KqConfig *c, const char *key, const char *value, KqConfigSource source,
                       GError **error)
{
  int i = key ? key_index(key) : -1;
  if (i < 0) {
    g_set_error(error, KQ_CONFIG_ERROR, KQ_CONFIG_ERROR_KEY, "unknown key '%s'",
                key ? key : "(null)");
    return FALSE;
  }
  char *problem = NULL;
  if (!entry_set(&c->entries[i], &keys[i], value ? value : "", NULL, NULL, source, 0,
                 &problem)) {
    g_set_error(error, KQ_CONFIG_ERROR, KQ_CONFIG_ERROR_VALUE, "%s: %s", key, problem);
    g_free(problem);
    return FALSE;
  }
  return TRUE;
}

const char *kq_config_get(const KqConfig *c, const char *key)
{
  int i = c && key ? key_index(key) : -1;
  return i < 0 ? NULL : c->entries[i].value;
}

const char *const *kq_config_get_list(const KqConfig *c, const char *key)
{
  int i = c && key ? key_index(key) : -1;
  return i < 0 ? NULL : (const char *const *)c->entries[i].list;
}

gboolean kq_config_get_bool(const KqConfig *c, const char *key)
{
  const char *v = kq_config_get(c, key);
  return v && strcmp(v, "true") == 0;
}

KqConfigSource kq_config_get_source(const KqConfig *c, const char *key, int *line)
{
  int i = c && key ? key_index(key) : -1;
  if (line)
    *line = i < 0 ? 0 : c->entries[i].line;
  return i < 0 ? KQ_CONFIG_SOURCE_DEFAULT : c->entries[i].source;
}

/* ---- Loading ----------------------------------------------------------------- */

char *kq_config_default_path(void)
{
  const char *xdg = g_getenv("XDG_CONFIG_HOME");
  if (xdg && g_path_is_absolute(xdg))
    return g_build_filename(xdg, "kiosque", "kiosque.conf", NULL);
  const char *home = g_getenv("HOME");
  if (!home || !*home)
    home = g_get_home_dir();
  return g_build_filename(home, ".config", "kiosque", "kiosque.conf", NULL);
}

/* Line numbers of groups and of [kiosque] keys (last occurrence, as GKeyFile
 * keeps the last value), and the first line GKeyFile cannot accept. The
 * rules follow GKeyFile's: blank and '#' lines, "[group]", "key=value"
 * inside a group. */
typedef struct {
  GHashTable *groups; /* name → line */
  GHashTable *keys;   /* key in [kiosque] → line */
  int bad_line;       /* 0: none found */
  int utf8_bad_line;  /* first line that is not UTF-8; 0: none */
} LineIndex;

static void index_lines(const char *text, gsize len, LineIndex *ix)
{
  ix->groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  ix->keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  ix->bad_line = 0;
  ix->utf8_bad_line = 0;
  char *copy = g_strndup(text, len);
  char **lines = g_strsplit(copy, "\n", -1);
  char *group = NULL;
  for (int n = 0; lines[n]; n++) {
    int line = n + 1;
    char *l = lines[n];
    gsize ll = strlen(l);
    if (ll && l[ll - 1] == '\r')
      l[ll - 1] = '\0';
    if (!g_utf8_validate(l, -1, NULL)) {
      if (!ix->utf8_bad_line)
        ix->utf8_bad_line = line;
      continue;
    }
    char *s = g_strchug(l);
    if (!*s || *s == '#')
      continue;
    if (*s == '[') {
      char *close = strchr(s, ']');
      if (!close) {
        if (!ix->bad_line)
          ix->bad_line = line;
        continue;
      }
      g_free(group);
      group = g_strndup(s + 1, (gsize)(close - s - 1));
      if (!g_hash_table_contains(ix->groups, group))
        g_hash_table_insert(ix->groups, g_strdup(group), GINT_TO_POINTER(line));
      continue;
    }
    char *eq = strchr(s, '=');
    if (!eq || eq == s || !group) {
      if (!ix->bad_line)
        ix->bad_line = line;
      continue;
    }
    char *key = g_strstrip(g_strndup(s, (gsize)(eq - s)));
    if (!*key && !ix->bad_line)
      ix->bad_line = line;
    if (strcmp(group, GROUP) == 0)
      g_hash_table_insert(ix->keys, key, GINT_TO_POINTER(line));
    else
      g_free(key);
  }
  g_free(group);
  g_strfreev(lines);
  g_free(copy);
}

static void line_index_clear(LineIndex *ix)
{
  g_hash_table_unref(ix->groups);
  g_hash_table_unref(ix->keys);
}

static char *dirname_abs(const char *path)
{
  char *abs = g_canonicalize_filename(path, NULL);
  char *dir = g_path_get_dirname(abs);
  g_free(abs);
  return dir;
}

KqConfig *kq_config_load(const char *path, GError **error)
{
  g_autofree char *file = path ? g_strdup(path) : kq_config_default_path();
  KqConfig *c = kq_config_new();
  g_autofree char *text = NULL;
  g_autofree char *base = NULL;
  gsize len = 0;
  GKeyFile *kf = NULL;
  LineIndex ix = {NULL, NULL, 0, 0};
  char **groups = NULL, **names = NULL;
  gboolean ok = FALSE;
  GError *err = NULL;

  if (!path && !g_file_test(file, G_FILE_TEST_EXISTS)) {
    ok = TRUE; /* no default file: defaults only */
    goto out;
  }
  if (g_file_test(file, G_FILE_TEST_IS_DIR)) {
    g_set_error(error, KQ_CONFIG_ERROR, KQ_CONFIG_ERROR_READ,
                "%s: configuration file is a folder", file);
    goto out;
  }
  if (!g_file_get_contents(file, &text, &len, &err)) {
    g_set_error(error, KQ_CONFIG_ERROR, KQ_CONFIG_ERROR_READ,
                "%s: cannot read the configuration file: %s", file, err->message);
    goto out;
  }
  index_lines(text, len, &ix);
  if (ix.utf8_bad_line || memchr(text, '\0', len)) {
    g_set_error(error, KQ_CONFIG_ERROR, KQ_CONFIG_ERROR_SYNTAX,
                "%s:%d: not valid UTF-8 text (a configuration file is UTF-8)", file,
                ix.utf8_bad_line ? ix.utf8_bad_line : 1);
    goto out;
  }
  kf = g_key_file_new();
  if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, &err)) {
    if (ix.bad_line)
      g_set_error(error, KQ_CONFIG_ERROR, KQ_CONFIG_ERROR_SYNTAX,
                  "%s:%d: not a 'key = value' line, a [group] or a # comment (%s)", file,
                  ix.bad_line, err->message);
    else
      g_set_error(error, KQ_CONFIG_ERROR, KQ_CONFIG_ERROR_SYNTAX, "%s: %s", file,
                  err->message);
    goto out;
  }
  groups = g_key_file_get_groups(kf, NULL);
  for (char **g = groups; *g; g++)
    if (strcmp(*g, GROUP) != 0) {
      g_set_error(error, KQ_CONFIG_ERROR, KQ_CONFIG_ERROR_GROUP,
                  "%s:%d: unknown group [%s] (settings go in the [" GROUP "] group)", file,
                  GPOINTER_TO_INT(g_hash_table_lookup(ix.groups, *g)), *g);
      goto out;
    }
  base = dirname_abs(file);
  names = g_key_file_has_group(kf, GROUP) ? g_key_file_get_keys(kf, GROUP, NULL, NULL) : NULL;
  for (char **k = names; k && *k; k++) {
    int line = GPOINTER_TO_INT(g_hash_table_lookup(ix.keys, *k));
    int i = key_index(*k);
    if (i < 0) {
      char *known = g_strjoinv(", ", (char **)kq_config_keys());
      g_set_error(error, KQ_CONFIG_ERROR, KQ_CONFIG_ERROR_KEY,
                  "%s:%d: unknown key '%s' (known keys: %s)", file, line, *k, known);
      g_free(known);
      goto out;
    }
    char *raw = g_key_file_get_string(kf, GROUP, *k, &err);
    char **items = NULL;
    if (raw && keys[i].type == T_PATH_LIST) {
      /* GKeyFile's own list syntax: ';' between items, "\;" inside one */
      items = g_key_file_get_string_list(kf, GROUP, *k, NULL, &err);
      if (!items)
        g_clear_pointer(&raw, g_free);
    }
    if (!raw) {
      g_set_error(error, KQ_CONFIG_ERROR, KQ_CONFIG_ERROR_VALUE, "%s:%d: key '%s': %s", file,
                  line, *k, err->message);
      goto out;
    }
    char *problem = NULL;
    gboolean good = entry_set(&c->entries[i], &keys[i], raw, (const char *const *)items, base,
                              KQ_CONFIG_SOURCE_FILE, line, &problem);
    g_free(raw);
    g_strfreev(items);
    if (!good) {
      g_set_error(error, KQ_CONFIG_ERROR, KQ_CONFIG_ERROR_VALUE, "%s:%d: key '%s': %s", file,
                  line, *k, problem);
      g_free(problem);
      goto out;
    }
  }
  c->file = g_canonicalize_filename(file, NULL);
  ok = TRUE;
out:
  g_clear_error(&err);
  g_strfreev(names);
  g_strfreev(groups);
  g_clear_pointer(&kf, g_key_file_free);
  if (ix.groups)
    line_index_clear(&ix);
  if (!ok)
    g_clear_pointer(&c, kq_config_free);
  return c;
}

/* ---- Showing ----------------------------------------------------------------- */

/* The value as a key file would need it written (escapes). */
static char *escaped(const char *value)
{
  GKeyFile *kf = g_key_file_new();
  g_key_file_set_string(kf, GROUP, "k", value);
  char *v = g_key_file_get_value(kf, GROUP, "k", NULL);
  g_key_file_free(kf);
  return v;
}

char *kq_config_to_string(const KqConfig *c)
{
  GString *s = g_string_new("# kiosque: effective configuration\n");
  if (c->file)
    g_string_append_printf(s, "# file: %s\n", c->file);
  else
    g_string_append(s, "# file: none\n");
  g_string_append(s, "[" GROUP "]\n");
  for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
    const Entry *e = &c->entries[i];
    g_string_append_printf(s, "# %s; ", keys[i].help);
    switch (e->source) {
    case KQ_CONFIG_SOURCE_DEFAULT:
      g_string_append(s, e->value ? "default\n" : "unset\n");
      break;
    case KQ_CONFIG_SOURCE_FILE:
      g_string_append_printf(s, "from %s:%d\n", c->file ? c->file : "?", e->line);
      break;
    case KQ_CONFIG_SOURCE_COMMAND_LINE:
      g_string_append(s, "from the command line\n");
      break;
    }
    if (!e->value) {
      g_string_append_printf(s, "#%s=\n", keys[i].name);
      continue;
    }
    char *v;
    if (keys[i].type == T_PATH_LIST) {
      GKeyFile *kf = g_key_file_new();
      g_key_file_set_string_list(kf, GROUP, "k", (const char *const *)e->list,
                                 g_strv_length(e->list));
      v = g_key_file_get_value(kf, GROUP, "k", NULL);
      g_key_file_free(kf);
    } else {
      v = escaped(e->value);
    }
    g_string_append_printf(s, "%s=%s\n", keys[i].name, v);
    g_free(v);
  }
  return g_string_free(s, FALSE);
}
