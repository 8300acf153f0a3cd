/* fuzz_date.c: the date parser and finder on arbitrary text. */
#include <stdint.h>
#include <string.h>

#include "kiosque/date.h"
#include "kiosque/l10n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 4096)
    return 0;
  char *text = g_strndup((const char *)data, size);
  KqDate d;
  char *warning = NULL;
  if (kq_date_parse(text, &d, &warning)) {
    char *s = kq_date_to_string(&d);
    KqDate back;
    /* what we print must parse back to the same instant */
    if (!s || !kq_date_parse(s, &back, NULL) || kq_date_compare(&d, &back) != 0)
      __builtin_trap();
    g_free(s);
    int y, w;
    kq_date_iso_week(&d, &y, &w);
    g_free(kq_l10n_date(&d, "fr"));
    g_free(kq_l10n_date(&d, "en"));
    (void)kq_date_to_unix(&d);
  }
  g_free(warning);
  gsize start, end;
  if (kq_date_find(text, &d, &start, &end) && (end < start || end > size))
    __builtin_trap();
  g_free(text);
  return 0;
}
