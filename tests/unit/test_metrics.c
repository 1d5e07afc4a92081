/* test_metrics.c - unit tests of who may read /metrics (metrics_allowed, backend/core/metrics.c):
 * with no token, loopback addresses only (IPv4, IPv6 and IPv4-mapped); with a token, only
 * "Bearer <token>" exactly, from any address. The endpoint itself: tests/integration/test_ops.c. */
#include <check.h>
#include <stdlib.h>

#include "metrics.h"

START_TEST(test_no_token_loopback_only)
{
	static const char *const local[] = { "127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1" };
	static const char *const remote[] = {
		"10.0.0.1", "192.168.1.20", "8.8.8.8", "128.0.0.1", "::ffff:10.0.0.1", "::2",
		"1::1", "fe80::1", "", "localhost", "127.0.0.1x", NULL,
	};

	for (size_t i = 0; i < sizeof local / sizeof local[0]; i++)
		ck_assert_msg(metrics_allowed(local[i], NULL, ""), "%s refused", local[i]);
	for (size_t i = 0; i < sizeof remote / sizeof remote[0]; i++)
		ck_assert_msg(!metrics_allowed(remote[i], "Bearer ", ""), "%s allowed",
			      remote[i] ? remote[i] : "(null)");
}
END_TEST

START_TEST(test_token)
{
	static const char token[] = "s3cret-metrics-token";

	ck_assert(metrics_allowed("203.0.113.9", "Bearer s3cret-metrics-token", token));
	ck_assert(metrics_allowed("203.0.113.9", "bearer s3cret-metrics-token", token));
	/* with a token, this machine needs it too */
	ck_assert(!metrics_allowed("127.0.0.1", NULL, token));
	ck_assert(!metrics_allowed("127.0.0.1", "Bearer s3cret-metrics-toke", token));
	ck_assert(!metrics_allowed("127.0.0.1", "Bearer s3cret-metrics-tokenX", token));
	ck_assert(!metrics_allowed("127.0.0.1", "Bearer S3CRET-metrics-token", token));
	ck_assert(!metrics_allowed("127.0.0.1", "Basic s3cret-metrics-token", token));
	ck_assert(!metrics_allowed("127.0.0.1", "s3cret-metrics-token", token));
	ck_assert(!metrics_allowed("127.0.0.1", "Bearer ", token));
}
END_TEST

static Suite *metrics_suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("allowed");

	tcase_add_test(tc, test_no_token_loopback_only);
	tcase_add_test(tc, test_token);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(metrics_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
