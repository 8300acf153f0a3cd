/* pdf.c: the PDF writer (Pango + Cairo PDF surface): entry point kq_pdf_write(). */
#include "kiosque/writer.h"

gboolean kq_pdf_write(const KqEdition *edition, const KqWriteOptions *opts, const char *path,
                      KqLog *log, GError **error) {
  (void)edition;
  (void)opts;
  (void)log;
  g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FORMAT, "%s: PDF writer not finished",
              path);
  return FALSE;
}
