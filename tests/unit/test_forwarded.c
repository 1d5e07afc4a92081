/* test_forwarded.c - unit tests of the client's address behind trusted proxies
 * (backend/core/forwarded.c): the trusted_proxies list (addresses and CIDR ranges, IPv4 and
 * IPv6), X-Forwarded-For read right to left past trusted proxies only, a client's own entries
 * and a header from an untrusted peer ignored, canonical addresses. The server's use of it:
 * tests/integration/test_accounts.c (throttle_per_address_behind_a_proxy) and test_ops.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "forwarded.h"

START_TEST(test_list_valid)
{
	static const char *const good[] = {
		"", "10.0.0.1", "10.0.0.0/8, 192.168.1.0/24", "fd00::/8,::1", " 127.0.0.1 ,,",
		"0.0.0.0/0", "::/0", "2001:db8::1/128", "::ffff:10.1.2.3",
	};
	static const char *const bad[] = {
		"localhost", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/8x", "10.0.0",
		"10.0.0.1; 10.0.0.2", "10.0.0.0/0008", "*",
	};
	char err[160];

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		ck_assert_msg(forwarded_list_valid(good[i], err, sizeof err) == 0, "\"%s\": %s",
			      good[i], err);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		ck_assert_msg(forwarded_list_valid(bad[i], err, sizeof err) == -1,
			      "\"%s\" accepted", bad[i]);
		ck_assert_msg(err[0] != '\0', "\"%s\": no message", bad[i]);
	}
}
END_TEST

START_TEST(test_trusted)
{
	static const char list[] = "10.0.0.0/8, 192.168.1.128/25, 2001:db8:1::/48, 172.16.0.5";

	ck_assert(forwarded_trusted(list, "10.255.0.1"));
	ck_assert(forwarded_trusted(list, "::ffff:10.1.1.1"));
	ck_assert(forwarded_trusted(list, "192.168.1.200"));
	ck_assert(!forwarded_trusted(list, "192.168.1.127"));
	ck_assert(forwarded_trusted(list, "2001:db8:1:ffff::9"));
	ck_assert(!forwarded_trusted(list, "2001:db8:2::9"));
	ck_assert(forwarded_trusted(list, "172.16.0.5"));
	ck_assert(!forwarded_trusted(list, "172.16.0.6"));
	ck_assert(!forwarded_trusted(list, "11.0.0.1"));
	ck_assert(!forwarded_trusted(list, "garbage"));
	ck_assert(!forwarded_trusted(list, NULL));
	ck_assert(!forwarded_trusted("", "10.0.0.1"));
}
END_TEST

/* The address forwarded_client gives for peer and the X-Forwarded-For values xff (NULL ended). */
static const char *client(const char *list, const char *peer, const char *const *xff)
{
	static char out[FORWARDED_ADDRESS_MAX];
	size_t n = 0;

	while (xff != NULL && xff[n] != NULL)
		n++;
	return forwarded_client(list, peer, xff, n, out, sizeof out);
}

#define XFF(...) ((const char *const[]){ __VA_ARGS__, NULL })

START_TEST(test_client)
{
	static const char lb[] = "10.0.0.0/8";

	/* no proxy configured, or an untrusted peer: the header is anyone's, and ignored */
	ck_assert_str_eq(client("", "203.0.113.9", XFF("198.51.100.1")), "203.0.113.9");
	ck_assert_str_eq(client(lb, "203.0.113.9", XFF("198.51.100.1")), "203.0.113.9");
	/* a trusted peer without the header: the peer */
	ck_assert_str_eq(client(lb, "10.0.0.2", NULL), "10.0.0.2");
	/* the balancer's entry, whatever the client wrote before it */
	ck_assert_str_eq(client(lb, "10.0.0.2", XFF("203.0.113.7")), "203.0.113.7");
	ck_assert_str_eq(client(lb, "10.0.0.2", XFF("1.2.3.4, 203.0.113.7")), "203.0.113.7");
	ck_assert_str_eq(client(lb, "10.0.0.2", XFF("1.2.3.4", "203.0.113.7")), "203.0.113.7");
	ck_assert_str_eq(client(lb, "10.0.0.2", XFF("not an address, 203.0.113.7")),
			 "203.0.113.7");
	/* past a chain of trusted proxies */
	ck_assert_str_eq(client(lb, "10.0.0.2", XFF("1.2.3.4, 203.0.113.7, 10.1.1.1", "10.2.2.2")),
			 "203.0.113.7");
	/* all trusted: the leftmost */
	ck_assert_str_eq(client(lb, "10.0.0.2", XFF("10.3.3.3, 10.1.1.1")), "10.3.3.3");
	/* an entry reached that is no address: the peer */
	ck_assert_str_eq(client(lb, "10.0.0.2", XFF("203.0.113.7, bogus")), "10.0.0.2");
	ck_assert_str_eq(client(lb, "10.0.0.2", XFF("203.0.113.7,")), "10.0.0.2");
	ck_assert_str_eq(client(lb, "10.0.0.2", XFF("")), "10.0.0.2");
	/* ports and brackets as some proxies write them; canonical text */
	ck_assert_str_eq(client(lb, "10.0.0.2", XFF("203.0.113.7:51234")), "203.0.113.7");
	ck_assert_str_eq(client(lb, "10.0.0.2", XFF("[2001:0db8:0::1]:443")), "2001:db8::1");
	ck_assert_str_eq(client(lb, "10.0.0.2", XFF(" 2001:DB8:0:0::1 ")), "2001:db8::1");
	ck_assert_str_eq(client(lb, "::ffff:10.0.0.2", XFF("::ffff:203.0.113.7")), "203.0.113.7");
	ck_assert_str_eq(client(lb, "10.0.0.2", XFF("[2001:db8::1")), "10.0.0.2");
}
END_TEST

START_TEST(test_client_long_chain)
{
	/* 40 trusted entries after the client's: more than it reads through, so the peer */
	static char v[40 * 12 + 32];
	size_t len = 0;

	len += (size_t)snprintf(v + len, sizeof v - len, "203.0.113.7");
	for (int i = 0; i < 40; i++)
		len += (size_t)snprintf(v + len, sizeof v - len, ", 10.0.0.%d", i);
	ck_assert_str_eq(client("10.0.0.0/8", "10.0.0.2", XFF(v)), "10.0.0.2");
}
END_TEST

static Suite *forwarded_suite(void)
{
	Suite *s = suite_create("forwarded");
	TCase *tc = tcase_create("forwarded");

	tcase_add_test(tc, test_list_valid);
	tcase_add_test(tc, test_trusted);
	tcase_add_test(tc, test_client);
	tcase_add_test(tc, test_client_long_chain);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(forwarded_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
