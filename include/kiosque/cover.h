/* cover.h: the generated edition cover (Cairo + Pango), shared by the EPUB and PDF writers. */
#ifndef KIOSQUE_COVER_H
#define KIOSQUE_COVER_H

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* What the cover shows. Borrowed strings, already typeset by the caller
 * (kq_typo_text) and free of markup; any may be NULL. */
typedef struct {
  const char *title;           /* edition title */
  const char *period;          /* "janvier 2026" */
  const char *label;           /* small line under the headlines: "42 articles" */
  const char *lang;            /* edition language, for Pango's shaping */
  const char *const *headlines;/* lead headlines, NULL-terminated; the first few are drawn */
} KqCoverText;

/* Draws the cover on cr in a width × height box (user units), origin at the
 * top left. Fonts: Linux Biolinum O / Linux Libertine O when installed,
 * else the fontconfig serif and sans-serif. Deterministic for the same text
 * and fonts. */
void kq_cover_draw(cairo_t *cr, double width, double height, const KqCoverText *text);

/* Renders the cover as an image of width × height pixels, format "jpeg"
 * (quality 92) or "png". Returns new bytes (caller unrefs) or NULL with a
 * KQ_WRITE_ERROR_FORMAT error. */
GBytes *kq_cover_render(const KqCoverText *text, int width, int height, const char *format,
                        GError **error);

G_END_DECLS

#endif
