/* link.h: which link targets an edition keeps, and what relative links resolve against. */
#ifndef KIOSQUE_LINK_H
#define KIOSQUE_LINK_H

#include <glib.h>

G_BEGIN_DECLS

/*
 * The one rule for links both writers emit (EPUB <a href>, PDF /URI
 * actions): http, https and mailto URLs only, cleaned as browsers do
 * (surrounding controls and spaces stripped, tabs and newlines removed
 * anywhere, so "java\tscript:" is seen for what it is), characters outside
 * URI syntax percent-encoded, the scheme lower-cased. NULL for anything
 * else: javascript:, vbscript:, data:, file:, smb:, ms-msdt:, relative and
 * fragment-only links, malformed URLs. Caller frees.
 */
char *kq_link_safe(const char *href);

/*
 * The base relative links of a page resolve against. page_url is the page's
 * own address (canonical link, og:url; NULL when unknown), base_href the
 * raw href of its <base> element (NULL when none). A <base> is honoured
 * only when it stays on the page's own origin (scheme, host and port), or
 * when the page's address is unknown; a <base> pointing elsewhere is
 * ignored, so it can never redirect the page's own links to another site.
 * Returns a new absolute URL or NULL (relative links then stay relative and
 * kq_link_safe() drops them). Caller frees.
 */
char *kq_link_base(const char *page_url, const char *base_href);

G_END_DECLS

#endif
