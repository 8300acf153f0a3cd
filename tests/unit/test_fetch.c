/* test_fetch.c: the fetcher's address check (issue 15: no request to loopback, private or
 * link-local addresses unless allowed) and its URL handling without any request. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "kiosque/fetch.h"

static void test_private_addresses(void **state)
{
  (void)state;
  static const struct {
    const char *addr;
    gboolean private_;
  } cases[] = {
      {"127.0.0.1", TRUE},        {"127.1.2.3", TRUE},      {"10.0.0.1", TRUE},
      {"172.16.0.1", TRUE},       {"172.31.255.255", TRUE}, {"172.32.0.1", FALSE},
      {"192.168.1.1", TRUE},      {"169.254.169.254", TRUE}, /* cloud metadata */
      {"100.64.0.1", TRUE},       {"100.128.0.1", FALSE},   {"0.0.0.0", TRUE},
      {"224.0.0.1", TRUE},        {"255.255.255.255", TRUE}, {"198.18.0.1", TRUE},
      {"93.184.216.34", FALSE},   {"8.8.8.8", FALSE},       {"1.1.1.1", FALSE},
      {"::1", TRUE},              {"::", TRUE},             {"fe80::1", TRUE},
      {"fc00::1", TRUE},          {"fd12:3456::1", TRUE},   {"ff02::1", TRUE},
      {"::ffff:127.0.0.1", TRUE}, {"::ffff:10.1.2.3", TRUE}, {"::ffff:8.8.8.8", FALSE},
      {"64:ff9b::a00:1", TRUE},   {"2001:db8::1", TRUE},    {"2606:4700::1111", FALSE},
      {"2a00:1450:4007::200e", FALSE}, {"not an address", TRUE},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
    if (kq_fetch_address_is_private(cases[i].addr) != cases[i].private_)
      fail_msg("%s: want %s", cases[i].addr, cases[i].private_ ? "private" : "public");
}

static void test_remote(void **state)
{
  (void)state;
  assert_true(kq_fetch_is_remote("http://example.org/a.png"));
  assert_true(kq_fetch_is_remote("HTTPS://example.org/a.png"));
  assert_true(kq_fetch_is_remote("//cdn.example.org/a.png"));
  assert_false(kq_fetch_is_remote("images/a.png"));
  assert_false(kq_fetch_is_remote("file:///etc/passwd"));
  assert_false(kq_fetch_is_remote("data:image/png;base64,AAAA"));
  assert_false(kq_fetch_is_remote(NULL));
}

/* URLs refused before any request: each gets its reason; nothing is fetched. */
static void test_refused_urls(void **state)
{
  (void)state;
  char *dir = g_dir_make_tmp("kq-fetch-XXXXXX", NULL);
  assert_non_null(dir);
  KqFetchOptions o;
  kq_fetch_options_init(&o);
  o.cache_dir = dir;
  KqFetcher *f = kq_fetcher_new(&o);
  kq_fetcher_add(f, "ftp://example.org/a.png");
  kq_fetcher_add(f, "http:///nohost.png");
  kq_fetcher_add(f, "http://user:secret@example.org/a.png");
  kq_fetcher_run(f, NULL, NULL);
  const char *why = NULL;
  assert_null(kq_fetcher_lookup(f, "ftp://example.org/a.png", &why));
  assert_string_equal(why, "not an http or https URL");
  assert_null(kq_fetcher_lookup(f, "http:///nohost.png", &why));
  assert_string_equal(why, "URL without a host");
  assert_null(kq_fetcher_lookup(f, "http://user:secret@example.org/a.png", &why));
  assert_string_equal(why, "URL with a user name or password");
  assert_null(kq_fetcher_lookup(f, "http://never.queued/", &why));
  GError *err = NULL;
  assert_null(kq_fetcher_read("ftp://example.org/a.png", f, &err));
  assert_string_equal(err->message, "not an http or https URL");
  g_clear_error(&err);
  guint got, same, bad;
  kq_fetcher_stats(f, &got, &same, &bad);
  assert_int_equal(got, 0);
  assert_int_equal(same, 0);
  assert_int_equal(bad, 3);
  kq_fetcher_free(f);
  g_rmdir(dir);
  g_free(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_private_addresses),
      cmocka_unit_test(test_remote),
      cmocka_unit_test(test_refused_urls),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
