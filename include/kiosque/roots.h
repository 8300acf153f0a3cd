/* roots.h: the paths given on the command line, and whether a file lies inside them. */
#ifndef KIOSQUE_ROOTS_H
#define KIOSQUE_ROOTS_H

#include <glib.h>

G_BEGIN_DECLS

/*
 * One rule for "inside the paths given", used by the scan (which symbolic
 * links it follows) and by the image resolver (which local images an
 * article may use): a file lies inside when its canonical path is a given
 * folder or below it, or lies in the folder of a given file or below it (a
 * Markdown file given alone may use the images beside it). Paths that do
 * not exist are ignored.
 */

/* The roots of paths (NULL-terminated, borrowed during the call): the
 * canonical folders, a given file contributing its own, as a
 * NULL-terminated list. NULL or empty paths: an empty list, inside which
 * nothing lies. Caller frees with g_strfreev(). */
char **kq_roots_new(const char *const *paths);

/* roots: from kq_roots_new(); real_path: a canonical absolute path (realpath()). */
gboolean kq_roots_contain(char *const *roots, const char *real_path);

G_END_DECLS

#endif
