/* roots.c: the one rule for "inside the paths given on the command line". */
#include "kiosque/roots.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct KqRoots {
  GPtrArray *dirs; /* char*: canonical folders; a given file contributes its folder */
};

KqRoots *kq_roots_new(const char *const *paths)
{
  KqRoots *r = g_new0(KqRoots, 1);
  r->dirs = g_ptr_array_new_with_free_func(g_free);
  for (gsize i = 0; paths && paths[i]; i++) {
    /* realpath() allocates with malloc(), which g_free() releases (GLib >= 2.46) */
    g_autofree char *real = realpath(paths[i], NULL);
    struct stat st;
    if (!real)
      continue;
    if (stat(real, &st) == 0 && S_ISDIR(st.st_mode))
      g_ptr_array_add(r->dirs, g_steal_pointer(&real));
    else
      g_ptr_array_add(r->dirs, g_path_get_dirname(real));
  }
  return r;
}

void kq_roots_free(KqRoots *roots)
{
  if (!roots)
    return;
  g_ptr_array_unref(roots->dirs);
  g_free(roots);
}

gboolean kq_roots_contain(const KqRoots *roots, const char *real_path)
{
  if (!roots || !real_path)
    return FALSE;
  for (guint i = 0; i < roots->dirs->len; i++) {
    const char *dir = g_ptr_array_index(roots->dirs, i);
    gsize n = strlen(dir);
    if (strcmp(dir, "/") == 0)
      return real_path[0] == '/';
    if (strncmp(real_path, dir, n) == 0 && (real_path[n] == '\0' || real_path[n] == '/'))
      return TRUE;
  }
  return FALSE;
}
