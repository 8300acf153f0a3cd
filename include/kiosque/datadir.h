/* datadir.h: where kiosque's data files (styles/, fonts/) are found, installed or not. */
#ifndef KIOSQUE_DATADIR_H
#define KIOSQUE_DATADIR_H

#include <glib.h>

G_BEGIN_DECLS

/*
 * The one data-folder lookup (styles, fonts), searched in this order (the
 * first that holds the wanted file wins):
 *   1. $KQ_DATADIR, when set and not empty (made absolute);
 *   2. the install prefix: <bindir>/../share/kiosque, bindir being the
 *      folder of the running binary (/proc/self/exe), whatever the prefix,
 *      then the prefix chosen at configure time (CMAKE_INSTALL_PREFIX);
 *   3. only for a binary run from its build folder (its folder is, or is
 *      inside, the build tree it was configured in: KQ_BINARY_DIR), the
 *      source tree instead of 2. An installed binary never looks in the
 *      build or source tree, and a build-tree binary never picks up an
 *      older installed copy.
 * Folders that do not exist are left out. The writers' own overrides
 * ($KIOSQUE_STYLES_DIR for a style, $KIOSQUE_FONTS_DIR for the fonts) are
 * looked at first by kq_style_path and kq_fonts_dir.
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

/* Finds styles/STYLE.EXT (ext "css" or "theme"): in $KIOSQUE_STYLES_DIR
 * when set, then the data folders above. style NULL means "default"; names
 * are [A-Za-z0-9._-] without a leading dot. Returns a new path (caller
 * frees) or NULL with KQ_WRITE_ERROR_STYLE (output.h) naming where it looked. */
char *kq_style_path(const char *style, const char *ext, GError **error);

/* TRUE when name is a style name: [A-Za-z0-9._-], not empty, no leading dot. */
gboolean kq_style_name_ok(const char *name);

/* Whether the running binary runs from its build folder (rule 3 above). */
gboolean kq_datadir_in_build_tree(void);

/* The folder of the running binary, or NULL when /proc/self/exe cannot be
 * read. Borrowed; lives as long as the process. */
const char *kq_datadir_exe_dir(void);

G_END_DECLS

#endif
