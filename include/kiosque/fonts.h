/* fonts.h: fontconfig set-up from fonts/ (fonts.conf + manifest) and font presence checks. */
#ifndef KIOSQUE_FONTS_H
#define KIOSQUE_FONTS_H

#include <glib.h>
#include <pango/pango.h>

G_BEGIN_DECLS

/*
 * The fonts folder: $KIOSQUE_FONTS_DIR when set, else the source tree's
 * fonts/ (development), else the installed share/kiosque/fonts. Caller frees.
 */
char *kq_fonts_dir(void);

/*
 * Loads fonts_dir/fonts.conf (NULL: kq_fonts_dir()) into a fontconfig
 * configuration of its own, once per process (later calls return TRUE at
 * once); the user's fontconfig files are not read. Thread-safe. FALSE with
 * KQ_WRITE_ERROR_FONT when the configuration cannot be loaded.
 */
gboolean kq_fonts_init(const char *fonts_dir, GError **error);

/*
 * Checks that each family (NULL-terminated) is installed, by exact family
 * name. On the first missing one: FALSE with KQ_WRITE_ERROR_FONT and a
 * message naming the Debian package from fonts/manifest.ini, e.g.
 * "font "Linux Libertine O" is not installed (Debian package fonts-linuxlibertine)".
 * Calls kq_fonts_init(NULL) first if needed.
 */
gboolean kq_fonts_check(const char *const *families, GError **error);

/*
 * Characters of text (UTF-8) that family's regular face lacks, as a new
 * string of those characters ("" when it covers them all); NULL when the
 * family is not installed. For warnings about U+202F, U+00A0.
 */
char *kq_fonts_missing_chars(const char *family, const char *text);

/* A new PangoCairo font map using kiosque's configuration (one per thread
 * for parallel layout). Caller unrefs. kq_fonts_init() must have succeeded. */
PangoFontMap *kq_fonts_new_font_map(void);

/* A new PangoFT2 font map using kiosque's configuration, at 72 dpi: the
 * same fonts, glyphs, advances and logical extents as kq_fonts_new_font_map()
 * (both shape with HarfBuzz from the same files), but its fonts never touch
 * Cairo, whose 1.16 font caches are not safe to fill from one thread while
 * another draws. For threads that only lay out; their layouts are drawn
 * with the matching fonts of a PangoCairo map. Caller unrefs. */
PangoFontMap *kq_fonts_new_shaping_font_map(void);

G_END_DECLS

#endif
