/* test_ops.c - operating the portal: health and readiness, Prometheus metrics, riding out a
 * PostgreSQL restart without restarting the portal, graceful shutdown on SIGTERM, and start-up
 * refusals (unmigrated database, bad configuration, missing certificate). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* --- health -------------------------------------------------------------------------------- */

START_TEST(healthz_and_readyz)
{
	struct it_resp r;

	it_get("/healthz", &r);
	ck_assert_int_eq(r.status, 200);
	it_resp_free(&r);
	it_get("/readyz", &r);
	ck_assert_msg(r.status == 200, "/readyz: status %ld: %.300s", r.status, r.body);
	it_resp_free(&r);
}
END_TEST

/* --- metrics ------------------------------------------------------------------------------- */

/* The first line of text starting with prefix whose remainder contains every string of `with`
 * (NULL-terminated), malloc'd, or NULL. */
static char *metric_line(const char *text, const char *prefix, const char *const *with)
{
	size_t plen = strlen(prefix);

	for (const char *p = text; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, n);
		int ok;

		ck_assert_ptr_nonnull(line);
		ok = strncmp(line, prefix, plen) == 0;
		for (size_t i = 0; ok && with != NULL && with[i] != NULL; i++)
			ok = strstr(line + plen, with[i]) != NULL;
		if (ok)
			return line;
		free(line);
		p = nl != NULL ? nl + 1 : p + n;
	}
	return NULL;
}

/* The sample value at the end of a metric line. */
static double metric_value(const char *line)
{
	const char *sp = strrchr(line, ' ');

	ck_assert_msg(sp != NULL, "no value in metric line %s", line);
	return strtod(sp + 1, NULL);
}

/* Fails unless the exposition text has a sample line for `prefix` carrying every `with`
 * string, with a value of at least min. */
static void assert_metric(const char *text, const char *prefix, const char *const *with,
			  double min)
{
	char *line = metric_line(text, prefix, with);

	ck_assert_msg(line != NULL, "/metrics has no %s line%s%s", prefix,
		      with && with[0] ? " with " : "", with && with[0] ? with[0] : "");
	ck_assert_msg(metric_value(line) >= min, "%s: value below %g", line, min);
	free(line);
}

START_TEST(metrics)
{
	static const char *const schools_200[] = { "route=\"", "status=\"200\"", NULL };
	static const char *const inf[] = { "le=\"+Inf\"", NULL };
	struct it_resp r;
	const char *ct;

	it_get("/schools", &r);
	ck_assert_int_eq(r.status, 200);
	it_resp_free(&r);
	it_get("/no-such-page-XYZ123?token=SECRET123", &r);
	it_resp_free(&r);
	it_get("/metrics", &r);
	ck_assert_int_eq(r.status, 200);
	ct = it_header(&r, "Content-Type");
	ck_assert_msg(ct != NULL && strncmp(ct, "text/plain", 10) == 0 &&
		      strstr(ct, "version=0.0.4") != NULL,
		      "/metrics Content-Type %s, want text/plain; version=0.0.4", ct ? ct : "(none)");
	ck_assert_msg(strstr(r.body, "# TYPE portal_http_requests_total counter") != NULL,
		      "no TYPE line for portal_http_requests_total");
	ck_assert_msg(strstr(r.body, "# TYPE portal_http_request_duration_seconds histogram") !=
		      NULL, "no TYPE line for portal_http_request_duration_seconds");
	assert_metric(r.body, "portal_http_requests_total{", schools_200, 1);
	assert_metric(r.body, "portal_http_request_duration_seconds_bucket{", inf, 1);
	assert_metric(r.body, "portal_http_request_duration_seconds_count", NULL, 1);
	assert_metric(r.body, "portal_http_request_duration_seconds_sum", NULL, 0);
	assert_metric(r.body, "portal_db_pool_in_use", NULL, 0);
	assert_metric(r.body, "portal_db_pool_waits_total", NULL, 0);
	/* Labels are route names, never raw paths or query strings. */
	ck_assert_msg(strstr(r.body, "XYZ123") == NULL, "a raw request path became a label");
	ck_assert_msg(strstr(r.body, "SECRET123") == NULL, "a query string reached /metrics");
	it_resp_free(&r);
}
END_TEST

/* With a metrics_token, /metrics answers only its bearer (the default, no token: only this
 * machine, which the test above is; metrics_allowed's unit test covers other addresses). */
START_TEST(metrics_token)
{
	static const char *const env[] = { "PORTAL_METRICS_TOKEN=zq-metrics-token-0123456789abcdef",
					   NULL };
	static const char *const good[] = {
		"Authorization: Bearer zq-metrics-token-0123456789abcdef", NULL };
	static const char *const wrong[] = {
		"Authorization: Bearer zq-metrics-token-0123456789abcdeX", NULL };
	static const char *const prefix[] = { "Authorization: Bearer zq-metrics-token", NULL };
	static const char *const basic[] = {
		"Authorization: Basic zq-metrics-token-0123456789abcdef", NULL };
	const char *const *refused[] = { NULL, wrong, prefix, basic };
	struct it_resp r;

	it_server_start(env);
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		it_request("GET", "/metrics", NULL, NULL, 0, refused[i], &r);
		ck_assert_msg(r.status == 404, "/metrics with refused header %zu: %ld", i,
			      r.status);
		ck_assert_ptr_null(strstr(r.body, "portal_http_requests_total"));
		it_resp_free(&r);
	}
	it_request("GET", "/metrics", NULL, NULL, 0, good, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "portal_http_requests_total"));
	it_resp_free(&r);
	ck_assert_int_eq(it_server_stop(), 0);
}
END_TEST

/* Behind a proxy on this machine every request comes from loopback: with trusted_proxies set,
 * /metrics goes by the visitor's address the proxy forwards, so the public gets 404 there. */
START_TEST(metrics_behind_a_proxy)
{
	static const char *const env[] = { "PORTAL_TRUSTED_PROXIES=127.0.0.1", NULL };
	static const char *const outside[] = { "X-Forwarded-For: 203.0.113.5", NULL };
	static const char *const spoofed[] = { "X-Forwarded-For: 127.0.0.1, 203.0.113.5", NULL };
	static const char *const inside[] = { "X-Forwarded-For: 127.0.0.1", NULL };
	struct it_resp r;

	it_server_start(env);
	it_request("GET", "/metrics", NULL, NULL, 0, outside, &r);
	ck_assert_msg(r.status == 404, "/metrics for a visitor via the proxy: %ld", r.status);
	it_resp_free(&r);
	it_request("GET", "/metrics", NULL, NULL, 0, spoofed, &r);
	ck_assert_msg(r.status == 404, "/metrics with a spoofed first entry: %ld", r.status);
	it_resp_free(&r);
	it_request("GET", "/metrics", NULL, NULL, 0, inside, &r);
	ck_assert_int_eq(r.status, 200);
	it_resp_free(&r);
	ck_assert_int_eq(it_server_stop(), 0);
}
END_TEST

/* --- PostgreSQL goes away and comes back --------------------------------------------------- */

/* Polls path every 100 ms until it answers status or timeout_ms pass; returns the last status. */
static long poll_status(const char *path, long status, int timeout_ms)
{
	long long until = it_now_ms() + timeout_ms;
	struct it_resp r;
	long got;

	for (;;) {
		it_get(path, &r);
		got = r.status;
		it_resp_free(&r);
		if (got == status || it_now_ms() >= until)
			return got;
		it_sleep_ms(100);
	}
}

START_TEST(database_restart)
{
	struct it_resp r;
	const char *retry;
	long st;

	for (int i = 0; i < 3; i++) {
		it_get("/schools", &r);
		ck_assert_int_eq(r.status, 200);
		it_resp_free(&r);
	}
	it_pg_stop();

	st = poll_status("/readyz", 503, 5000);
	ck_assert_msg(st == 503, "/readyz still %ld 5 s after PostgreSQL stopped", st);
	it_get("/healthz", &r);
	ck_assert_msg(r.status == 200, "/healthz %ld while PostgreSQL is down: it must not "
		      "depend on the database", r.status);
	it_resp_free(&r);
	/* The directory is served from a snapshot for up to SCHOOLS_SNAPSHOT_TTL_S (5 s); then it
	 * needs the database and must answer 503 quickly. */
	st = poll_status("/schools", 503, 9000);
	ck_assert_msg(st == 503, "/schools %ld while PostgreSQL is down, want 503", st);
	it_get("/schools", &r);
	ck_assert_msg(r.status == 503, "/schools %ld while PostgreSQL is down, want 503",
		      r.status);
	retry = it_header(&r, "Retry-After");
	ck_assert_msg(retry != NULL && atoi(retry) > 0, "503 without a Retry-After (%s)",
		      retry ? retry : "none");
	ck_assert_msg(r.time_total < 5.0, "the 503 took %.1f s", r.time_total);
	it_resp_free(&r);
	it_get("/api/v1/schools", &r);
	ck_assert_msg(r.status == 503, "/api/v1/schools %ld while PostgreSQL is down", r.status);
	ck_assert_msg(strncmp(it_header(&r, "Content-Type") ? it_header(&r, "Content-Type") : "",
			      "application/problem+json", 24) == 0,
		      "the API's 503 is not a problem document");
	it_resp_free(&r);

	it_pg_start();
	st = poll_status("/readyz", 200, 10000);
	ck_assert_msg(st == 200, "/readyz still %ld 10 s after PostgreSQL came back", st);
	/* Every pooled connection broke: each must be reset, none may fail a request. */
	for (int i = 0; i < 10; i++) {
		it_get(i % 2 ? "/schools" : "/readyz", &r);
		ck_assert_msg(r.status == 200, "request #%d after PostgreSQL came back: %ld", i,
			      r.status);
		it_resp_free(&r);
	}
}
END_TEST

/* --- shutdown ------------------------------------------------------------------------------ */

START_TEST(sigterm_graceful)
{
	struct it_resp r;

	it_server_start(NULL);
	/* Leaves an idle keep-alive connection open: shutdown must not wait for it forever. */
	it_get("/schools", &r);
	ck_assert_int_eq(r.status, 200);
	it_resp_free(&r);
	ck_assert_msg(it_server_stop() == 0, "the portal did not exit with status 0 on SIGTERM");
}
END_TEST

/* --- start-up refusals --------------------------------------------------------------------- */

/* Number of non-blank lines of s. */
static int count_lines(const char *s)
{
	int n = 0, blank = 1;

	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			n += !blank;
			blank = 1;
		} else if (*s != ' ' && *s != '\t' && *s != '\r') {
			blank = 0;
		}
	}
	return n + !blank;
}

/* Runs `portal serve` with env and expects it to exit non-zero within 15 s, printing one line
 * that contains `needle`. */
static void assert_refuses(const char *const *env, const char *needle, int one_line)
{
	static const char *const serve[] = { "serve", NULL };
	char *out;
	int st = it_portal_run(serve, env, 15000, &out);

	ck_assert_msg(st != -1, "portal serve with %s did not exit within 15 s; output: %.500s",
		      env[0], out);
	ck_assert_msg(st > 0, "portal serve with %s exited with status %d; output: %.500s",
		      env[0], st, out);
	ck_assert_msg(strstr(out, needle) != NULL, "portal serve with %s: output does not "
		      "mention %s: %.500s", env[0], needle, out);
	if (one_line)
		ck_assert_msg(count_lines(out) == 1, "portal serve with %s printed %d lines, want "
			      "one: %.800s", env[0], count_lines(out), out);
	free(out);
}

START_TEST(refuses_unmigrated_database)
{
	static const char *const env[] = { "DATABASE_URL=postgresql:///empty_it", NULL };

	free(it_psql("DROP DATABASE IF EXISTS empty_it"));
	free(it_psql("CREATE DATABASE empty_it"));
	assert_refuses(env, "portal migrate", 0);
	free(it_psql("DROP DATABASE empty_it"));
}
END_TEST

START_TEST(refuses_bad_pool_size)
{
	static const char *const env[] = { "PORTAL_POOL_SIZE=abc", NULL };

	assert_refuses(env, "pool_size", 1);
}
END_TEST

START_TEST(refuses_missing_certificate)
{
	char cert[4096];
	const char *env[] = { cert, NULL };

	snprintf(cert, sizeof cert, "PORTAL_TLS_CERT=%s/no-such-cert.pem", getenv("IT_TMPDIR"));
	assert_refuses(env, "tls_cert", 1);
}
END_TEST

/* --- the suite ----------------------------------------------------------------------------- */

static Suite *ops_suite(void)
{
	Suite *s = suite_create("ops");
	TCase *tc;

	tc = it_tcase("health", 20, it_fixture_server);
	tcase_add_test(tc, healthz_and_readyz);
	suite_add_tcase(s, tc);

	tc = it_tcase("metrics", 20, it_fixture_server);
	tcase_add_test(tc, metrics);
	suite_add_tcase(s, tc);

	tc = it_tcase("metrics_token", 30, NULL);
	tcase_add_test(tc, metrics_token);
	tcase_add_test(tc, metrics_behind_a_proxy);
	suite_add_tcase(s, tc);

	/* PostgreSQL is started again after this case whatever happened in it. */
	tc = it_tcase("database_restart", 90, it_fixture_server);
	tcase_add_unchecked_fixture(tc, NULL, it_pg_ensure_running);
	tcase_add_test(tc, database_restart);
	suite_add_tcase(s, tc);

	tc = it_tcase("shutdown", 40, NULL);
	tcase_add_test(tc, sigterm_graceful);
	suite_add_tcase(s, tc);

	tc = it_tcase("startup_refusals", 60, NULL);
	tcase_add_test(tc, refuses_unmigrated_database);
	tcase_add_test(tc, refuses_bad_pool_size);
	tcase_add_test(tc, refuses_missing_certificate);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(ops_suite());
}
