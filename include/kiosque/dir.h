/* dir.h: the entries of a folder, listed the same way everywhere. */
#ifndef KIOSQUE_DIR_H
#define KIOSQUE_DIR_H

#include <glib.h>

G_BEGIN_DECLS

/*
 * The names in folder path, hidden ones (starting with '.') left out, in
 * byte order, not readdir's nor the locale's: the same tree lists the same
 * everywhere (the scan's order of inputs, the library's order of
 * warnings). Returns a new array of char* (caller unrefs), or NULL with
 * error set (GLib's file error of g_dir_open()).
 */
GPtrArray *kq_dir_names(const char *path, GError **error);

G_END_DECLS

#endif
