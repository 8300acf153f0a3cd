/* link.c: the link-scheme filter both writers use, and the <base> rule the readers use. */
#include "kiosque/link.h"

#include <string.h>


static gboolean uri_char(unsigned char c)
{
  return g_ascii_isalnum(c) || strchr("-._~:/?@!$&'()*+,;=", c) != NULL;
}

char *kq_link_safe(const char *href)
{
  if (!href)
    return NULL;
  /* As browsers do (WHATWG URL): strip leading and trailing C0 controls
   * and spaces, remove tabs and newlines anywhere ("java\tscript:"),
   * before looking at the scheme. */
  while (*href && (unsigned char)*href <= 0x20)
    href++;
  gsize len = strlen(href);
  while (len > 0 && (unsigned char)href[len - 1] <= 0x20)
    len--;
  GString *raw = g_string_new(NULL);
  for (gsize i = 0; i < len; i++)
    if (href[i] != '\t' && href[i] != '\n' && href[i] != '\r')
      g_string_append_c(raw, href[i]);
  const char *s = raw->str;
  gsize skip;
  if (g_ascii_strncasecmp(s, "https://", 8) == 0)
    skip = 8;
  else if (g_ascii_strncasecmp(s, "http://", 7) == 0)
    skip = 7;
  else if (g_ascii_strncasecmp(s, "mailto:", 7) == 0)
    skip = 7;
  else {
    g_string_free(raw, TRUE);
    return NULL;
  }
  gboolean web = skip != 7 || g_ascii_strncasecmp(s, "http://", 7) == 0;
  GString *out = g_string_new(NULL);
  for (gsize i = 0; i < skip; i++)
    g_string_append_c(out, g_ascii_tolower(s[i]));
  /* The authority (host) ends at the first / ? #; [ ] are kept there only. */
  gsize auth_end = skip;
  if (web)
    while (s[auth_end] && !strchr("/?#", s[auth_end]))
      auth_end++;
  gboolean seen_hash = FALSE;
  for (gsize i = skip; s[i]; i++) {
    unsigned char c = (unsigned char)s[i];
    gboolean keep;
    if (c == '%')
      keep = g_ascii_isxdigit(s[i + 1]) && g_ascii_isxdigit(s[i + 2]);
    else if (c == '[' || c == ']')
      keep = web && i < auth_end;
    else if (c == '#') {
      keep = !seen_hash;
      seen_hash = TRUE;
    } else
      keep = uri_char(c);
    if (keep)
      g_string_append_c(out, (char)c);
    else
      g_string_append_printf(out, "%%%02X", c);
  }
  g_string_free(raw, TRUE);
  char *result = g_string_free(out, FALSE);
  gboolean ok = FALSE;
  GUri *uri = g_uri_parse(result, G_URI_FLAGS_NONE, NULL);
  if (uri) {
    const char *host = g_uri_get_host(uri);
    ok = web ? (host && *host) : *g_uri_get_path(uri) != '\0';
    g_uri_unref(uri);
  }
  if (!ok)
    g_clear_pointer(&result, g_free);
  return result;
}

/* Scheme, host and port of an absolute URL as one comparable string, or
 * NULL when url is not absolute. */
static char *origin_of(const char *url)
{
  GUri *u = url ? g_uri_parse(url, G_URI_FLAGS_NONE, NULL) : NULL;
  if (!u)
    return NULL;
  char *o = NULL;
  if (g_uri_get_host(u))
    o = g_strdup_printf("%s://%s:%d", g_uri_get_scheme(u), g_uri_get_host(u), g_uri_get_port(u));
  g_uri_unref(u);
  if (o)
    for (char *p = o; *p; p++)
      *p = g_ascii_tolower(*p);
  return o;
}

char *kq_link_base(const char *page_url, const char *base_href)
{
  char *base = NULL;
  if (base_href) {
    char *h = g_strstrip(g_strdup(base_href));
    GError *err = NULL;
    base = page_url && *page_url
               ? g_uri_resolve_relative(page_url, h, G_URI_FLAGS_NONE, &err)
               : (g_uri_is_valid(h, G_URI_FLAGS_NONE, NULL) ? g_strdup(h) : NULL);
    g_clear_error(&err);
    g_free(h);
  }
  if (base && page_url && *page_url) {
    char *a = origin_of(page_url), *b = origin_of(base);
    gboolean same = a && b && strcmp(a, b) == 0;
    g_free(a);
    g_free(b);
    if (!same)
      g_clear_pointer(&base, g_free);
  }
  if (!base && page_url && *page_url)
    base = g_strdup(page_url);
  return base;
}
