/* datadir.h: where kiosque's data files (styles/, fonts/) are found, installed or not. */
#ifndef KIOSQUE_DATADIR_H
#define KIOSQUE_DATADIR_H

#include <glib.h>

G_BEGIN_DECLS

/*
 * The data folders, searched in this order (the first that holds the
 * wanted file wins):
 *   1. $KQ_DATADIR, when set and not empty (made absolute);
 *   2. <bindir>/../share/kiosque, bindir being the folder of the running
 *      binary (/proc/self/exe): an installed kiosque, whatever its prefix;
 *   3. the source tree the binary was built from (KQ_SOURCE_DIR), for a
 *      binary run from its build folder;
 *   4. the install prefix chosen at configure time (CMAKE_INSTALL_PREFIX).
 * Folders that do not exist are left out.
 */

/*
 * Finds relpath ("styles/default.css", "fonts", "fonts/fonts.conf") in the
 * data folders. relpath must be relative and hold no ".." component.
 * Returns a new absolute path (caller frees) of the first existing match,
 * or NULL when no data folder has it.
 */
char *kq_datadir_find(const char *relpath);

/* The existing data folders in search order, absolute. Caller frees with
 * g_strfreev(). Never NULL (possibly empty). */
char **kq_datadir_list(void);

/* The data folders as one line for error messages ("A, B, C"), also
 * naming the ones that do not exist; caller frees. */
char *kq_datadir_describe(void);

/* The folder of the running binary, or NULL when /proc/self/exe cannot be
 * read. Borrowed; lives as long as the process. */
const char *kq_datadir_exe_dir(void);

G_END_DECLS

#endif
