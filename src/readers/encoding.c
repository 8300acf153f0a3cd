/* encoding.c: charset sniffing and lenient conversion to UTF-8 (BOMs, declarations, windows-1252 fallback). */
#include "readers/encoding.h"

#include <errno.h>
#include <string.h>

/* windows-1252 code points for bytes 0x80..0x9F; 0 marks the five
 * undefined bytes, which are dropped. */
static const gunichar cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

gunichar kq_encoding_cp1252_char(guchar b)
{
  return b >= 0x80 && b < 0xA0 ? cp1252_high[b - 0x80] : b;
}

gboolean kq_encoding_is_utf8(const char *charset)
{
  return charset && (g_ascii_strcasecmp(charset, "utf-8") == 0 ||
                     g_ascii_strcasecmp(charset, "utf8") == 0);
}

/* Charsets read as windows-1252, as the WHATWG Encoding Standard does. */
static gboolean is_cp1252_alias(const char *charset)
{
  static const char *const names[] = {
      "windows-1252", "cp1252",  "x-cp1252", "iso-8859-1", "iso8859-1", "iso_8859-1",
      "latin1",       "latin-1", "l1",       "us-ascii",   "ascii",     "iso-ir-100",
      "ibm819",       "cp819",   "csisolatin1", "ansi_x3.4-1968",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
    if (g_ascii_strcasecmp(charset, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static void append_cp1252(GString *out, guchar b, gsize *n_dropped)
{
  if (b < 0x80) {
    g_string_append_c(out, (char)b);
  } else if (b < 0xA0) {
    gunichar c = cp1252_high[b - 0x80];
    if (c)
      g_string_append_unichar(out, c);
    else
      (*n_dropped)++;
  } else {
    g_string_append_unichar(out, b);
  }
}

/* Counts what a UTF-8 reading of data gives: valid multi-byte sequences
 * and invalid bytes (NUL and other ASCII bytes count as valid). */
static void utf8_census(const char *data, gsize len, gsize *n_multi, gsize *n_bad)
{
  *n_multi = 0;
  *n_bad = 0;
  gsize i = 0;
  while (i < len) {
    guchar b = (guchar)data[i];
    if (b < 0x80) {
      i++;
      /* ASCII runs eight bytes at a time: every input goes through here. */
      guint64 w;
      while (i + sizeof w <= len && (memcpy(&w, data + i, sizeof w), !(w & 0x8080808080808080u)))
        i += sizeof w;
      continue;
    }
    gunichar c = g_utf8_get_char_validated(data + i, (gssize)(len - i));
    if (c == (gunichar)-1 || c == (gunichar)-2) {
      (*n_bad)++;
      i++;
    } else {
      (*n_multi)++;
      i += (gsize)g_unichar_to_utf8(c, NULL);
    }
  }
}

/* UTF-8 kept, each invalid byte read as windows-1252. */
static GString *repair_utf8(const char *data, gsize len, gsize *n_dropped)
{
  GString *out = g_string_sized_new(len + len / 8 + 1);
  gsize i = 0;
  while (i < len) {
    guchar b = (guchar)data[i];
    if (b < 0x80) {
      g_string_append_c(out, (char)b);
      i++;
      continue;
    }
    gunichar c = g_utf8_get_char_validated(data + i, (gssize)(len - i));
    if (c == (gunichar)-1 || c == (gunichar)-2) {
      append_cp1252(out, b, n_dropped);
      i++;
    } else {
      gsize n = (gsize)g_unichar_to_utf8(c, NULL);
      g_string_append_len(out, data + i, (gssize)n);
      i += n;
    }
  }
  return out;
}

static GString *decode_cp1252(const char *data, gsize len, gsize *n_dropped)
{
  GString *out = g_string_sized_new(len + len / 4 + 1);
  for (gsize i = 0; i < len; i++)
    append_cp1252(out, (guchar)data[i], n_dropped);
  return out;
}

/* Converts with iconv, skipping each byte iconv rejects. NULL when the
 * charset is unknown. */
static GString *decode_iconv(const char *data, gsize len, const char *charset,
                             gsize *n_dropped)
{
  GIConv cd = g_iconv_open("UTF-8", charset);
  if (cd == (GIConv)-1)
    return NULL;
  GString *out = g_string_sized_new(len * 2 + 16);
  char buf[4096];
  char *in = (char *)data;
  gsize in_left = len;
  while (in_left > 0) {
    char *o = buf;
    gsize o_left = sizeof buf;
    gsize r = g_iconv(cd, &in, &in_left, &o, &o_left);
    g_string_append_len(out, buf, (gssize)(sizeof buf - o_left));
    if (r == (gsize)-1) {
      if (errno == E2BIG)
        continue;
      /* EILSEQ: an invalid byte; EINVAL: a truncated sequence at the end */
      (*n_dropped)++;
      in++;
      in_left--;
      g_iconv(cd, NULL, NULL, NULL, NULL);
    }
  }
  char *o = buf;
  gsize o_left = sizeof buf;
  g_iconv(cd, NULL, NULL, &o, &o_left);
  g_string_append_len(out, buf, (gssize)(sizeof buf - o_left));
  g_iconv_close(cd);
  return out;
}

char *kq_encoding_xml_declared(const char *data, gsize len)
{
  gsize i = 0;
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < len && g_ascii_isspace(data[i]))
    i++;
  if (len - i < 6 || memcmp(data + i, "<?xml", 5) != 0 || !g_ascii_isspace(data[i + 5]))
    return NULL;
  gsize end = i;
  while (end + 1 < len && end < i + 512 && !(data[end] == '?' && data[end + 1] == '>'))
    end++;
  if (end + 1 >= len || data[end] != '?')
    return NULL;
  char *decl = g_strndup(data + i, end - i);
  char *result = NULL;
  char *p = strstr(decl, "encoding");
  if (p) {
    p += strlen("encoding");
    while (g_ascii_isspace(*p))
      p++;
    if (*p == '=') {
      p++;
      while (g_ascii_isspace(*p))
        p++;
      char q = *p;
      if (q == '"' || q == '\'') {
        char *close = strchr(p + 1, q);
        if (close && close > p + 1)
          result = g_strstrip(g_strndup(p + 1, (gsize)(close - p - 1)));
      }
    }
  }
  g_free(decl);
  if (result && !*result)
    g_clear_pointer(&result, g_free);
  return result;
}

/* Encoding given by a BOM or by the NUL pattern of "<" in UTF-16/32. */
static const char *sniff_unicode(const guchar *d, gsize len, gsize *skip)
{
  *skip = 0;
  if (len >= 4 && d[0] == 0xFF && d[1] == 0xFE && d[2] == 0 && d[3] == 0)
    return *skip = 4, "UTF-32LE";
  if (len >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 0xFE && d[3] == 0xFF)
    return *skip = 4, "UTF-32BE";
  if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
    return *skip = 3, "UTF-8";
  if (len >= 2 && d[0] == 0xFF && d[1] == 0xFE)
    return *skip = 2, "UTF-16LE";
  if (len >= 2 && d[0] == 0xFE && d[1] == 0xFF)
    return *skip = 2, "UTF-16BE";
  if (len >= 4 && d[0] != 0 && d[1] == 0 && d[2] != 0 && d[3] == 0)
    return "UTF-16LE";
  if (len >= 4 && d[0] == 0 && d[1] != 0 && d[2] == 0 && d[3] != 0)
    return "UTF-16BE";
  return NULL;
}

static gboolean is_wide_unicode(const char *charset)
{
  return g_ascii_strncasecmp(charset, "utf-16", 6) == 0 ||
         g_ascii_strncasecmp(charset, "utf-32", 6) == 0 ||
         g_ascii_strncasecmp(charset, "ucs-2", 5) == 0 ||
         g_ascii_strncasecmp(charset, "ucs-4", 5) == 0 ||
         g_ascii_strcasecmp(charset, "unicode") == 0;
}

/* Multi-byte charsets in which valid UTF-8 text is also plausible. */
static gboolean is_multibyte_legacy(const char *charset)
{
  static const char *const prefixes[] = {"shift", "sjis", "euc", "gb", "big5", "iso-2022",
                                         "x-sjis", "ks_c", "cp9", "windows-31"};
  for (gsize i = 0; i < G_N_ELEMENTS(prefixes); i++)
    if (g_ascii_strncasecmp(charset, prefixes[i], strlen(prefixes[i])) == 0)
      return TRUE;
  return FALSE;
}

char *kq_encoding_to_utf8(const char *data, gsize len, const char *declared, gsize *out_len,
                          char **note, char **info)
{
  GString *out = NULL;
  char *msg = NULL, *inf = NULL;
  gsize n_dropped = 0;
  gsize skip = 0;
  const char *bom = sniff_unicode((const guchar *)data, len, &skip);
  gsize n_multi = 0, n_bad = 0;

  if (bom && !kq_encoding_is_utf8(bom)) {
    out = decode_iconv(data + skip, len - skip, bom, &n_dropped);
    if (!out) /* iconv without UTF-16 support: nothing sensible to do */
      out = g_string_new_len(data, (gssize)len);
    inf = g_strdup_printf("decoded from %s", bom);
    goto done;
  }
  data += skip; /* a UTF-8 BOM */
  len -= skip;

  if (declared && !bom && !kq_encoding_is_utf8(declared) && !is_wide_unicode(declared)) {
    utf8_census(data, len, &n_multi, &n_bad);
    if (n_bad == 0 && n_multi > 0 && !is_multibyte_legacy(declared)) {
      out = g_string_new_len(data, (gssize)len);
      msg = g_strdup_printf("declares %s but its bytes are UTF-8: read as UTF-8", declared);
      goto done;
    }
    if (is_cp1252_alias(declared)) {
      out = decode_cp1252(data, len, &n_dropped);
      gboolean c1 = FALSE;
      for (gsize i = 0; i < len && !c1; i++)
        c1 = (guchar)data[i] >= 0x80 && (guchar)data[i] < 0xA0;
      if (c1 && g_ascii_strcasecmp(declared, "windows-1252") != 0 &&
          g_ascii_strcasecmp(declared, "cp1252") != 0)
        msg = g_strdup_printf("declares %s but uses windows-1252 characters: read as "
                              "windows-1252",
                              declared);
      else
        inf = g_strdup_printf("decoded from %s", declared);
      goto done;
    }
    out = decode_iconv(data, len, declared, &n_dropped);
    if (out) {
      inf = g_strdup_printf("decoded from %s", declared);
      goto done;
    }
    msg = g_strdup_printf("unknown encoding \"%s\": ", declared);
  } else if (declared && is_wide_unicode(declared) && !bom) {
    msg = g_strdup_printf("declares %s but its bytes are 8-bit: ", declared);
  }

  /* UTF-8, declared or not */
  if (!n_multi && !n_bad)
    utf8_census(data, len, &n_multi, &n_bad);
  if (n_bad == 0) {
    out = g_string_new_len(data, (gssize)len);
    if (msg) {
      char *m = g_strconcat(msg, "read as UTF-8", NULL);
      g_free(msg);
      msg = m;
    }
  } else {
    const char *how;
    /* Bytes 0x80-0x9F are control characters in Latin-1 and never start
     * a UTF-8 sequence: when they are the only bad bytes of a text that
     * also holds UTF-8, it is UTF-8 with windows-1252 punctuation pasted
     * in (curly quotes, dashes), not a single-byte text. */
    gboolean only_c1 = n_multi > 0;
    for (gsize i = 0; i < len && only_c1;) {
      guchar b = (guchar)data[i];
      gunichar c = b < 0x80 ? b : g_utf8_get_char_validated(data + i, (gssize)(len - i));
      if (c == (gunichar)-1 || c == (gunichar)-2) {
        only_c1 = b >= 0x80 && b < 0xA0;
        i++;
      } else {
        i += b < 0x80 ? 1 : (gsize)g_unichar_to_utf8(c, NULL);
      }
    }
    if (only_c1) {
      out = repair_utf8(data, len, &n_dropped);
      how = "mixes UTF-8 with windows-1252 punctuation: those bytes read as windows-1252";
    } else if (n_bad >= n_multi) {
      /* mostly not UTF-8: its few valid sequences are accidents of a
       * single-byte text ("\xE9\xA0\xBB" is "é »" in Latin-1) */
      out = decode_cp1252(data, len, &n_dropped);
      how = declared && kq_encoding_is_utf8(declared)
                ? "declares UTF-8 but is not valid UTF-8: read as windows-1252"
                : "not valid UTF-8 and no usable encoding declared: read as windows-1252";
    } else {
      out = repair_utf8(data, len, &n_dropped);
      how = "mixes UTF-8 with other bytes: invalid bytes read as windows-1252";
    }
    char *m = g_strconcat(msg ? msg : "", how, NULL);
    g_free(msg);
    msg = m;
  }

done:
  if (n_dropped) {
    char *m = g_strdup_printf("%s%s%" G_GSIZE_FORMAT " undecodable byte%s dropped",
                              msg ? msg : "", msg ? "; " : "", n_dropped,
                              n_dropped == 1 ? "" : "s");
    g_free(msg);
    msg = m;
  }
  if (out_len)
    *out_len = out->len;
  if (note)
    *note = msg;
  else
    g_free(msg);
  if (info)
    *info = inf;
  else
    g_free(inf);
  return g_string_free(out, FALSE);
}
