/* datadir.c: the one lookup of kiosque's data files: $KQ_DATADIR, the install prefix, or the source tree of a build-folder binary. */
#include "kiosque/datadir.h"

#include <string.h>

#include "kiosque/output.h"

#ifndef KQ_SOURCE_DIR
#define KQ_SOURCE_DIR ""
#endif
#ifndef KQ_BINARY_DIR
#define KQ_BINARY_DIR ""
#endif
#ifndef KQ_DATADIR
#define KQ_DATADIR ""
#endif

const char *kq_datadir_exe_dir(void)
{
  static gsize once = 0;
  static char *dir = NULL;
  if (g_once_init_enter(&once)) {
    char *exe = g_file_read_link("/proc/self/exe", NULL);
    if (exe && g_path_is_absolute(exe))
      dir = g_path_get_dirname(exe);
    g_free(exe);
    g_once_init_leave(&once, 1);
  }
  return dir;
}

gboolean kq_datadir_in_build_tree(void)
{
  const char *exe_dir = kq_datadir_exe_dir();
  if (!exe_dir || !*KQ_BINARY_DIR)
    return FALSE;
  char *build = g_canonicalize_filename(KQ_BINARY_DIR, NULL);
  char *exe = g_canonicalize_filename(exe_dir, NULL);
  gsize n = strlen(build);
  gboolean inside = strncmp(exe, build, n) == 0 && (exe[n] == '\0' || exe[n] == '/');
  g_free(build);
  g_free(exe);
  return inside;
}

/* Candidate folders in search order, absolute, whether they exist or not;
 * duplicates removed. */
static GPtrArray *candidates(void)
{
  GPtrArray *v = g_ptr_array_new_with_free_func(g_free);
  char *c[4] = {NULL, NULL, NULL, NULL};
  const char *env = g_getenv("KQ_DATADIR");
  if (env && *env)
    c[0] = g_canonicalize_filename(env, NULL);
  const char *exe_dir = kq_datadir_exe_dir();
  if (kq_datadir_in_build_tree()) {
    if (*KQ_SOURCE_DIR)
      c[1] = g_canonicalize_filename(KQ_SOURCE_DIR, NULL);
  } else {
    if (exe_dir) {
      char *p = g_build_filename(exe_dir, "..", "share", "kiosque", NULL);
      c[2] = g_canonicalize_filename(p, NULL);
      g_free(p);
    }
    if (*KQ_DATADIR)
      c[3] = g_canonicalize_filename(KQ_DATADIR, NULL);
  }
  for (guint i = 0; i < G_N_ELEMENTS(c); i++) {
    if (!c[i])
      continue;
    gboolean dup = FALSE;
    for (guint j = 0; j < v->len && !dup; j++)
      dup = strcmp(g_ptr_array_index(v, j), c[i]) == 0;
    if (dup)
      g_free(c[i]);
    else
      g_ptr_array_add(v, c[i]);
  }
  return v;
}

static gboolean relpath_ok(const char *relpath)
{
  if (!relpath || !*relpath || g_path_is_absolute(relpath))
    return FALSE;
  char **parts = g_strsplit(relpath, "/", -1);
  gboolean ok = TRUE;
  for (char **p = parts; *p && ok; p++)
    ok = strcmp(*p, "..") != 0;
  g_strfreev(parts);
  return ok;
}

char *kq_datadir_find(const char *relpath)
{
  if (!relpath_ok(relpath))
    return NULL;
  GPtrArray *dirs = candidates();
  char *found = NULL;
  for (guint i = 0; i < dirs->len && !found; i++) {
    char *p = g_build_filename(g_ptr_array_index(dirs, i), relpath, NULL);
    if (g_file_test(p, G_FILE_TEST_EXISTS))
      found = p;
    else
      g_free(p);
  }
  g_ptr_array_unref(dirs);
  return found;
}

char **kq_datadir_list(void)
{
  GPtrArray *dirs = candidates();
  GPtrArray *out = g_ptr_array_new();
  for (guint i = 0; i < dirs->len; i++) {
    const char *d = g_ptr_array_index(dirs, i);
    if (g_file_test(d, G_FILE_TEST_IS_DIR))
      g_ptr_array_add(out, g_strdup(d));
  }
  g_ptr_array_add(out, NULL);
  g_ptr_array_unref(dirs);
  return (char **)g_ptr_array_free(out, FALSE);
}

char *kq_datadir_describe(void)
{
  GPtrArray *dirs = candidates();
  g_ptr_array_add(dirs, NULL);
  char *s = g_strjoinv(", ", (char **)dirs->pdata);
  g_ptr_array_unref(dirs);
  return s;
}

gboolean kq_style_name_ok(const char *name)
{
  if (!*name || name[0] == '.')
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

char *kq_style_path(const char *style, const char *ext, GError **error)
{
  if (!style)
    style = "default";
  if (!kq_style_name_ok(style)) {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE,
                "--style %s: a style name is letters, digits, '-', '_' and '.'", style);
    return NULL;
  }
  char *file = g_strdup_printf("%s.%s", style, ext);
  char *found = NULL;
  const char *env = g_getenv("KIOSQUE_STYLES_DIR");
  if (env && *env) {
    found = g_build_filename(env, file, NULL);
    if (!g_file_test(found, G_FILE_TEST_IS_REGULAR))
      g_clear_pointer(&found, g_free);
  }
  if (!found) {
    char *rel = g_build_filename("styles", file, NULL);
    found = kq_datadir_find(rel);
    g_free(rel);
    if (found && !g_file_test(found, G_FILE_TEST_IS_REGULAR))
      g_clear_pointer(&found, g_free);
  }
  if (!found) {
    char *where = kq_datadir_describe();
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_STYLE,
                "style '%s': %s not found (looked in %s%s%s, each with styles/)", style, file,
                env && *env ? env : "", env && *env ? ", " : "", where);
    g_free(where);
  }
  g_free(file);
  return found;
}
