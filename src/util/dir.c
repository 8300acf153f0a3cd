/* dir.c: the entries of a folder, listed the same way everywhere. */
#include "kiosque/dir.h"

#include <string.h>

/* g_ptr_array_sort() passes pointers to the elements, not the elements. */
static gint compare_names(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

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
  g_ptr_array_sort(names, compare_names);
  return names;
}
