/* dir.c: the entries of a folder, listed the same way everywhere. */
#include "kiosque/dir.h"

GPtrArray *kq_dir_names(const char *path, GError **error)
{
  GDir *dir = g_dir_open(path, 0, error);
  if (!dir)
    return NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while ((name = g_dir_read_name(dir)))
    if (name[0] != '.')
      g_ptr_array_add(names, g_strdup(name));
  g_dir_close(dir);
  g_ptr_array_sort(names, (GCompareFunc)(void (*)(void))g_strcmp0);
  return names;
}
