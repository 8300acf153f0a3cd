/* roots.c: the one rule for "inside the paths given on the command line". */
#include "kiosque/roots.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char **kq_roots_new(const char *const *paths)
{
  GPtrArray *dirs = g_ptr_array_new();
  for (gsize i = 0; paths && paths[i]; i++) {
    /* realpath() allocates with malloc(), which g_free() releases (GLib >= 2.46) */
    g_autofree char *real = realpath(paths[i], NULL);
    struct stat st;
    if (!real)
      continue;
    if (stat(real, &st) == 0 && S_ISDIR(st.st_mode))
      g_ptr_array_add(dirs, g_steal_pointer(&real));
    else
      g_ptr_array_add(dirs, g_path_get_dirname(real));
  }
  g_ptr_array_add(dirs, NULL);
  return (char **)g_ptr_array_free(dirs, FALSE);
}

gboolean kq_roots_contain(char *const *roots, const char *real_path)
{
  if (!roots || !real_path)
    return FALSE;
  for (gsize i = 0; roots[i]; i++) {
    const char *dir = roots[i];
    gsize n = strlen(dir);
    if (strcmp(dir, "/") == 0)
      return real_path[0] == '/';
    if (strncmp(real_path, dir, n) == 0 && (real_path[n] == '\0' || real_path[n] == '/'))
      return TRUE;
  }
  return FALSE;
}
