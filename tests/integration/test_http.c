/* test_http.c - the request pipeline seen from outside: error pages and problem documents, 405
 * with Allow, malformed input (CVE-2025-9648 regression), the body cap, security headers on
 * every kind of response, CORS, TLS versions and ciphers, keep-alive and the access log. */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "http.h"

/* Fails unless resp has the status and a Content-Type beginning with ct. */
static void assert_kind(struct it_resp *r, long status, const char *ct, const char *what)
{
	const char *got = it_header(r, "Content-Type");

	ck_assert_msg(r->status == status, "%s: status %ld, want %ld; body: %.300s", what,
		      r->status, status, r->body);
	ck_assert_msg(got != NULL && strncmp(got, ct, strlen(ct)) == 0,
		      "%s: Content-Type %s, want %s", what, got ? got : "(none)", ct);
}

/* Fails unless resp is an RFC 9457 problem document for status. */
static void assert_problem(struct it_resp *r, long status, const char *what)
{
	json_t *doc;

	assert_kind(r, status, "application/problem+json", what);
	doc = it_json(r);
	ck_assert_msg(json_integer_value(json_object_get(doc, "status")) == status,
		      "%s: problem status is not %ld: %s", what, status, r->body);
	ck_assert_msg(json_is_string(json_object_get(doc, "title")), "%s: problem has no title",
		      what);
	/* type about:blank: the title is the status's reason phrase (RFC 9457 4.2.1), and the
	 * detail speaks to a program, not of "the web address" a person typed */
	ck_assert_str_eq(json_string_value(json_object_get(doc, "title")),
			 http_reason((int)status));
	ck_assert_msg(strstr(r->body, "web address") == NULL, "%s: %s", what, r->body);
	json_decref(doc);
}

/* --- errors -------------------------------------------------------------------------------- */

START_TEST(not_found_html)
{
	struct it_resp r;

	it_get("/no-such-page", &r);
	assert_kind(&r, 404, "text/html", "/no-such-page");
	it_resp_free(&r);
	it_get("/%3Cscript%3Ealert(1)%3C/script%3E", &r);
	assert_kind(&r, 404, "text/html", "/<script>");
	ck_assert_msg(strstr(r.body, "<script>alert(1)") == NULL,
		      "the 404 page reflects the path unescaped");
	it_resp_free(&r);
}
END_TEST

START_TEST(not_found_api)
{
	struct it_resp r;

	it_get("/api/v1/no-such-thing", &r);
	assert_problem(&r, 404, "/api/v1/no-such-thing");
	it_resp_free(&r);
}
END_TEST

START_TEST(method_not_allowed)
{
	static const struct { const char *method, *path; } cases[] = {
		{ "POST", "/schools" }, { "DELETE", "/healthz" }, { "PUT", "/" },
		{ "PUT", "/api/v1/schools" },
	};
	struct it_resp r;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *allow;
		int post = strcmp(cases[i].method, "POST") == 0 ||
			   strcmp(cases[i].method, "PUT") == 0;

		it_request(cases[i].method, cases[i].path,
			   post ? "application/x-www-form-urlencoded" : NULL, post ? "a=b" : NULL,
			   post ? 3 : 0, NULL, &r);
		ck_assert_msg(r.status == 405, "%s %s: status %ld, want 405", cases[i].method,
			      cases[i].path, r.status);
		allow = it_header(&r, "Allow");
		ck_assert_msg(allow != NULL && strstr(allow, "GET") != NULL,
			      "%s %s: Allow is %s, want it to name GET", cases[i].method,
			      cases[i].path, allow ? allow : "(none)");
		if (strncmp(cases[i].path, "/api/", 5) == 0)
			assert_problem(&r, 405, cases[i].path);
		it_resp_free(&r);
	}
}
END_TEST

START_TEST(malformed_query)
{
	static const char *const paths[] = { "/schools?phase=%zz", "/schools?phase=%2",
					     "/schools?phase=%00", "/schools?phase=%C3%28", NULL };
	struct it_resp r;

	for (size_t i = 0; paths[i] != NULL; i++) {
		it_get(paths[i], &r);
		ck_assert_msg(r.status == 400, "%s: status %ld, want 400", paths[i], r.status);
		it_resp_free(&r);
	}
	it_get("/api/v1/schools?phase=%zz", &r);
	assert_problem(&r, 400, "/api/v1/schools?phase=%zz");
	it_resp_free(&r);
}
END_TEST

/* --- CVE-2025-9648: a NUL in an url-encoded body must not reach CivetWeb's form parser ------- */

/* POSTs body (n bytes, url-encoded) to path and expects 400 within 2 s. */
static void post_nul(const char *path, const char *body, size_t n, const char *what)
{
	struct it_resp r;
	long st = it_request("POST", path, "application/x-www-form-urlencoded", body, n, NULL, &r);

	ck_assert_msg(st == 400, "POST %s with %s: status %ld, want 400", path, what, st);
	ck_assert_msg(r.time_total < 2.0, "POST %s with %s took %.2f s", path, what,
		      r.time_total);
	it_resp_free(&r);
}

START_TEST(nul_in_body)
{
	static const char pct[] = "name=a%00b";
	static const char raw[] = "name=a\0b&x=y";
	struct it_resp r;

	/* More requests than a small worker pool has threads: a stuck worker would show. */
	for (int i = 0; i < 12; i++) {
		post_nul("/schools", pct, sizeof pct - 1, "%00");
		post_nul("/", pct, sizeof pct - 1, "%00");
		post_nul("/schools", raw, sizeof raw - 1, "a raw NUL");
		post_nul("/", raw, sizeof raw - 1, "a raw NUL");
	}
	it_get("/healthz", &r);
	ck_assert_msg(r.status == 200 && r.time_total < 2.0, "/healthz after NUL bodies: %ld",
		      r.status);
	it_resp_free(&r);
}
END_TEST

/* --- the body cap (PORTAL_MAX_BODY_BYTES) -------------------------------------------------- */

/* An url-encoded body "a=xxx..." of n bytes, malloc'd. */
static char *form_body(size_t n)
{
	char *b = malloc(n + 1);

	ck_assert_ptr_nonnull(b);
	memset(b, 'x', n);
	memcpy(b, "a=", 2);
	b[n] = '\0';
	return b;
}

START_TEST(body_too_large)
{
	static const char *const env[] = { "PORTAL_MAX_BODY_BYTES=1024", NULL };
	static const char *const chunked[] = { "Transfer-Encoding: chunked", NULL };
	char *small = form_body(1000), *big = form_body(4096);
	struct it_resp r;

	it_server_start(env);
	it_request("POST", "/", "application/x-www-form-urlencoded", small, 1000, NULL, &r);
	ck_assert_msg(r.status == 405, "a 1000-byte body under a 1024-byte cap: status %ld, "
		      "want 405 (no POST route for /)", r.status);
	it_resp_free(&r);
	it_request("POST", "/", "application/x-www-form-urlencoded", big, 4096, NULL, &r);
	ck_assert_msg(r.status == 413, "a 4096-byte body over a 1024-byte cap: status %ld, "
		      "want 413", r.status);
	it_resp_free(&r);
	it_request("POST", "/", "application/x-www-form-urlencoded", big, 4096, chunked, &r);
	ck_assert_msg(r.status == 413 || r.status == 411,
		      "a chunked 4096-byte body over a 1024-byte cap: status %ld, want 413",
		      r.status);
	it_resp_free(&r);
	it_get("/healthz", &r);
	ck_assert_int_eq(r.status, 200);
	it_resp_free(&r);
	ck_assert_int_eq(it_server_stop(), 0);
	free(small);
	free(big);
}
END_TEST

/* --- security headers ---------------------------------------------------------------------- */

/* Fails unless resp has a Date header (RFC 9110: every 2xx, 3xx and 4xx response of a server
 * with a clock) in IMF-fixdate form, within a minute of this machine's clock. */
static void assert_date(struct it_resp *r, const char *what)
{
	const char *date = it_header(r, "Date"), *end;
	struct tm tm = { 0 };
	time_t t;

	ck_assert_msg(date != NULL, "%s: no Date header", what);
	end = strptime(date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	ck_assert_msg(end != NULL && *end == '\0' && strlen(date) == 29,
		      "%s: Date \"%s\" is not an IMF-fixdate", what, date);
	t = timegm(&tm);
	ck_assert_msg(labs((long)(t - time(NULL))) <= 60, "%s: Date %s is not now", what, date);
}

/* Fails unless resp carries every security header we promise, and a Date; id (33 bytes)
 * receives its request id. */
static void assert_security_headers(struct it_resp *r, const char *what, char *id)
{
	const char *hsts = it_header(r, "Strict-Transport-Security");
	const char *csp = it_header(r, "Content-Security-Policy");
	const char *nosniff = it_header(r, "X-Content-Type-Options");
	const char *referrer = it_header(r, "Referrer-Policy");
	const char *rid = it_header(r, "X-Request-Id");

	ck_assert_msg(hsts != NULL && strstr(hsts, "max-age=") != NULL && atol(strstr(hsts,
		      "max-age=") + 8) > 0, "%s: Strict-Transport-Security %s", what,
		      hsts ? hsts : "(none)");
	ck_assert_msg(csp != NULL, "%s: no Content-Security-Policy", what);
	ck_assert_msg(strstr(csp, "unsafe-inline") == NULL && strstr(csp, "unsafe-eval") == NULL,
		      "%s: CSP allows unsafe code: %s", what, csp);
	ck_assert_msg(strstr(csp, "frame-ancestors 'none'") != NULL,
		      "%s: CSP without frame-ancestors 'none': %s", what, csp);
	ck_assert_msg(strstr(csp, "default-src 'self'") != NULL,
		      "%s: CSP without default-src 'self': %s", what, csp);
	ck_assert_msg(nosniff != NULL && strcasecmp(nosniff, "nosniff") == 0,
		      "%s: X-Content-Type-Options %s", what, nosniff ? nosniff : "(none)");
	ck_assert_msg(referrer != NULL && referrer[0] != '\0', "%s: no Referrer-Policy", what);
	ck_assert_msg(rid != NULL && strlen(rid) == 32, "%s: X-Request-Id %s, want 32 hex", what,
		      rid ? rid : "(none)");
	for (size_t i = 0; i < 32; i++)
		ck_assert_msg(isxdigit((unsigned char)rid[i]), "%s: X-Request-Id %s is not hex",
			      what, rid);
	memcpy(id, rid, 33);
	assert_date(r, what);
}

/* The first stylesheet URL of the home page ("/assets/...") into out. */
static void css_url(char *out, size_t outlen)
{
	struct it_resp r;
	regex_t re;
	regmatch_t m[2];

	it_get("/", &r);
	ck_assert_int_eq(regcomp(&re, "<link[^>]*href=\"(/assets/[^\"]*\\.css[^\"]*)\"",
				 REG_EXTENDED), 0);
	ck_assert_msg(regexec(&re, r.body, 2, m, 0) == 0, "no stylesheet link on the home page");
	ck_assert_msg((size_t)(m[1].rm_eo - m[1].rm_so) < outlen, "stylesheet URL too long");
	memcpy(out, r.body + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
	out[m[1].rm_eo - m[1].rm_so] = '\0';
	regfree(&re);
	it_resp_free(&r);
}

START_TEST(security_headers_everywhere)
{
	char css[512], inm[600];
	const char *cond[2] = { inm, NULL };
	struct {
		const char *method, *path;
		const char *const *hdrs;
		long status;
	} cases[] = {
		{ "GET", "/", NULL, 200 },
		{ "GET", "/schools", NULL, 200 },
		{ "GET", "/no-such-page", NULL, 404 },
		{ "DELETE", "/healthz", NULL, 405 },
		{ "GET", "/schools?phase=bogus", NULL, 400 },
		{ "GET", "/api/v1/schools", NULL, 200 },
		{ "GET", "/api/v1/no-such-thing", NULL, 404 },
		{ "GET", "/healthz", NULL, 200 },
		{ "GET", "/metrics", NULL, 200 },
		{ "GET", css, NULL, 200 },
		{ "GET", css, cond, 304 },
	};
	char ids[sizeof cases / sizeof cases[0]][33];
	struct it_resp r;

	css_url(css, sizeof css);
	it_get(css, &r);
	ck_assert_ptr_nonnull(it_header(&r, "ETag"));
	snprintf(inm, sizeof inm, "If-None-Match: %s", it_header(&r, "ETag"));
	it_resp_free(&r);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char what[600];

		snprintf(what, sizeof what, "%s %s (%ld)", cases[i].method, cases[i].path,
			 cases[i].status);
		it_request(cases[i].method, cases[i].path, NULL, NULL, 0, cases[i].hdrs, &r);
		ck_assert_msg(r.status == cases[i].status, "%s: got status %ld", what, r.status);
		assert_security_headers(&r, what, ids[i]);
		for (size_t k = 0; k < i; k++)
			ck_assert_msg(strcmp(ids[k], ids[i]) != 0, "request id %s repeated", ids[i]);
		it_resp_free(&r);
	}
}
END_TEST

/* CivetWeb's own error answers (here to a method it does not know and a Content-Length that is
 * no number) have the security headers, a Date and their reason phrase too. */
START_TEST(civetweb_errors_have_headers)
{
	static const char *const bad_length[] = { "Content-Length: abc", NULL };
	struct it_resp r;

	it_request("FOO", "/schools", NULL, NULL, 0, NULL, &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_ptr_nonnull(it_header(&r, "Strict-Transport-Security"));
	ck_assert_ptr_nonnull(it_header(&r, "Content-Security-Policy"));
	assert_date(&r, "FOO /schools");
	ck_assert_str_eq(r.body, "Bad Request\n");
	it_resp_free(&r);
	it_request("GET", "/schools", NULL, NULL, 0, bad_length, &r);
	ck_assert_int_eq(r.status, 411);
	assert_date(&r, "Content-Length: abc");
	ck_assert_str_eq(r.body, "Length Required\n");
	it_resp_free(&r);
}
END_TEST

/* A request that gives its length twice (or with Transfer-Encoding) is refused and its
 * connection closed: what follows the first length is never read as a request of its own
 * (request smuggling, where a proxy in front reads the other length). */
START_TEST(ambiguous_length_refused)
{
	static const char smuggled[] = "GET /smuggled-zq9 HTTP/1.1\r\nHost: x\r\n\r\n";
	static const char *const twice[] = { "Content-Length: 0", "Content-Length: 42", NULL };
	static const char *const with_te[] = { "Content-Length: 42",
					       "Transfer-Encoding: chunked", NULL };
	static const char chunked[] = "0\r\n\r\nGET /smuggled-zq9 HTTP/1.1\r\nHost: x\r\n\r\n";
	const char *const *headers[] = { twice, with_te };
	const char *bodies[] = { smuggled, chunked };
	struct it_resp r;
	char *log;

	for (size_t i = 0; i < 2; i++) {
		CURL *h = it_curl_new();

		it_perform(h, "POST", "/healthz", "text/plain", bodies[i], strlen(bodies[i]),
			   headers[i], &r);
		ck_assert_int_eq(r.status, 400);
		ck_assert_ptr_nonnull(strstr(r.body, "gives its length more than once"));
		ck_assert_str_eq(it_header(&r, "Connection"), "close");
		ck_assert_ptr_nonnull(it_header(&r, "Content-Security-Policy"));
		it_resp_free(&r);
		curl_easy_cleanup(h);
	}
	it_get("/healthz", &r);
	ck_assert_int_eq(r.status, 200);
	it_resp_free(&r);
	it_sleep_ms(200);
	log = it_server_log();
	ck_assert_msg(strstr(log, "smuggled-zq9") == NULL, "a smuggled request was answered");
	free(log);
}
END_TEST

/* --- CORS ---------------------------------------------------------------------------------- */

START_TEST(no_cors_for_foreign_origin)
{
	static const char *const preflight[] = { "Origin: https://evil.example",
						 "Access-Control-Request-Method: GET",
						 "Access-Control-Request-Headers: X-Requested-With",
						 NULL };
	static const char *const simple[] = { "Origin: https://evil.example", NULL };
	static const char *const paths[] = { "/api/v1/schools", "/schools", "/", NULL };
	struct it_resp r;

	for (size_t i = 0; paths[i] != NULL; i++) {
		it_request("OPTIONS", paths[i], NULL, NULL, 0, preflight, &r);
		ck_assert_msg(it_header(&r, "Access-Control-Allow-Origin") == NULL,
			      "OPTIONS %s from evil.example: Access-Control-Allow-Origin %s",
			      paths[i], it_header(&r, "Access-Control-Allow-Origin"));
		ck_assert_msg(it_header(&r, "Access-Control-Allow-Methods") == NULL,
			      "OPTIONS %s: Access-Control-Allow-Methods present", paths[i]);
		it_resp_free(&r);
		/* The read-only public API is open to every origin (issue 4): only "*", never the
		 * caller's origin echoed back, and never with credentials. HTML pages: nothing. */
		it_request("GET", paths[i], NULL, NULL, 0, simple, &r);
		ck_assert_int_eq(r.status, 200);
		if (strncmp(paths[i], "/api/", 5) == 0)
			ck_assert_msg(it_header(&r, "Access-Control-Allow-Origin") != NULL &&
					      strcmp(it_header(&r, "Access-Control-Allow-Origin"), "*") == 0 &&
					      it_header(&r, "Access-Control-Allow-Credentials") == NULL,
				      "GET %s from evil.example: Access-Control-Allow-Origin %s", paths[i],
				      it_header(&r, "Access-Control-Allow-Origin"));
		else
			ck_assert_msg(it_header(&r, "Access-Control-Allow-Origin") == NULL,
				      "GET %s from evil.example: Access-Control-Allow-Origin %s", paths[i],
				      it_header(&r, "Access-Control-Allow-Origin"));
		it_resp_free(&r);
	}
}
END_TEST

/* --- TLS ----------------------------------------------------------------------------------- */

/* GET /healthz on a fresh connection limited to TLS versions [min, max] and the OpenSSL cipher
 * list (NULL: default). The client runs at security level 0 so that it offers old protocols
 * itself: a refusal then comes from the server. Returns curl's result. */
static CURLcode tls_get(long min, long max, const char *ciphers)
{
	struct it_resp r;
	CURL *h = it_curl_new();
	char list[256];
	CURLcode rc;

	snprintf(list, sizeof list, "%s:@SECLEVEL=0", ciphers ? ciphers : "DEFAULT");
	curl_easy_setopt(h, CURLOPT_SSLVERSION, min | max);
	curl_easy_setopt(h, CURLOPT_SSL_CIPHER_LIST, list);
	rc = it_perform(h, "GET", "/healthz", NULL, NULL, 0, NULL, &r);
	if (rc == CURLE_OK)
		ck_assert_int_eq(r.status, 200);
	it_resp_free(&r);
	curl_easy_cleanup(h);
	return rc;
}

START_TEST(tls_old_versions_refused)
{
	CURLcode rc = tls_get(CURL_SSLVERSION_TLSv1_1, CURL_SSLVERSION_MAX_TLSv1_1, NULL);

	ck_assert_msg(rc != CURLE_OK, "the server accepted TLS 1.1");
	rc = tls_get(CURL_SSLVERSION_TLSv1_0, CURL_SSLVERSION_MAX_TLSv1_0, NULL);
	ck_assert_msg(rc != CURLE_OK, "the server accepted TLS 1.0");
}
END_TEST

START_TEST(tls_modern_versions_accepted)
{
	CURLcode rc = tls_get(CURL_SSLVERSION_TLSv1_2, CURL_SSLVERSION_MAX_TLSv1_2, NULL);

	ck_assert_msg(rc == CURLE_OK, "TLS 1.2 refused: %s", curl_easy_strerror(rc));
	rc = tls_get(CURL_SSLVERSION_TLSv1_3, CURL_SSLVERSION_MAX_TLSv1_3, NULL);
	ck_assert_msg(rc == CURLE_OK, "TLS 1.3 refused: %s", curl_easy_strerror(rc));
}
END_TEST

START_TEST(tls12_non_aead_refused)
{
	CURLcode rc = tls_get(CURL_SSLVERSION_TLSv1_2, CURL_SSLVERSION_MAX_TLSv1_2,
			      "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:"
			      "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA");

	ck_assert_msg(rc != CURLE_OK, "the server accepted a CBC (non-AEAD) cipher on TLS 1.2");
	rc = tls_get(CURL_SSLVERSION_TLSv1_2, CURL_SSLVERSION_MAX_TLSv1_2,
		     "ECDHE-ECDSA-AES128-GCM-SHA256");
	ck_assert_msg(rc == CURLE_OK, "ECDHE-ECDSA-AES128-GCM-SHA256 refused: %s",
		      curl_easy_strerror(rc));
}
END_TEST

/* --- keep-alive ---------------------------------------------------------------------------- */

START_TEST(keep_alive)
{
	static const char *const paths[] = { "/healthz", "/healthz", "/", "/schools",
					     "/no-such-page", "/api/v1/schools", NULL };
	struct it_resp r;

	for (size_t i = 0; paths[i] != NULL; i++) {
		it_get(paths[i], &r);
		if (i > 0)
			ck_assert_msg(r.num_connects == 0,
				      "GET %s opened a new connection: keep-alive broken after "
				      "GET %s (%s)", paths[i], paths[i - 1],
				      it_header(&r, "Connection") ? it_header(&r, "Connection") : "");
		it_resp_free(&r);
	}
}
END_TEST

/* --- the access log ------------------------------------------------------------------------ */

/* Waits up to 3 s for the server log to hold a line with request id `id`. Fails unless exactly
 * one line names it. Returns the whole log (malloc'd); *line receives a copy of that line. */
static char *log_line_for(const char *id, char **line)
{
	long long until = it_now_ms() + 3000;
	const char *hit = NULL;
	size_t hitlen = 0;
	char *log;
	int count;

	for (;;) {
		const char *p, *next;

		log = it_server_log();
		count = 0;
		for (p = log; *p != '\0'; p = next) {
			const char *nl = strchr(p, '\n');
			size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);

			next = nl != NULL ? nl + 1 : p + n;
			if (memmem(p, n, id, strlen(id)) != NULL) {
				count++;
				hit = p;
				hitlen = n;
			}
		}
		if (count > 0 || it_now_ms() >= until)
			break;
		free(log);
		it_sleep_ms(100);
	}
	ck_assert_msg(count == 1, "request %s has %d access log lines, want 1", id, count);
	*line = strndup(hit, hitlen);
	ck_assert_ptr_nonnull(*line);
	return log;
}

/* A logged number: a JSON integer (so log queries like status >= 500 work); -1 otherwise. */
static long log_number(const json_t *v)
{
	return json_is_integer(v) ? (long)json_integer_value(v) : -1;
}

START_TEST(access_log)
{
	static const struct { const char *path, *logged; long status; } cases[] = {
		{ "/schools?token=SECRET123", "/schools", 200 },
		{ "/no-such-page?password=SECRET123", "/no-such-page", 404 },
		{ "/healthz", "/healthz", 200 },
	};
	struct it_resp r;
	char *log = NULL, *line;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_error_t err;
		json_t *j;
		char id[33];

		it_get(cases[i].path, &r);
		ck_assert_int_eq(r.status, cases[i].status);
		ck_assert_ptr_nonnull(it_header(&r, "X-Request-Id"));
		snprintf(id, sizeof id, "%s", it_header(&r, "X-Request-Id"));
		it_resp_free(&r);
		free(log);
		log = log_line_for(id, &line);
		j = json_loads(line, 0, &err);
		ck_assert_msg(j != NULL, "access log line is not JSON: %s", line);
		ck_assert_str_eq(json_string_value(json_object_get(j, "request_id")), id);
		ck_assert_msg(json_is_string(json_object_get(j, "method")) &&
			      strcmp(json_string_value(json_object_get(j, "method")), "GET") == 0,
			      "no method GET in %s", line);
		ck_assert_msg(json_is_string(json_object_get(j, "path")) &&
			      strcmp(json_string_value(json_object_get(j, "path")),
				     cases[i].logged) == 0,
			      "path is not %s in %s", cases[i].logged, line);
		ck_assert_msg(log_number(json_object_get(j, "status")) == cases[i].status,
			      "status is not %ld in %s", cases[i].status, line);
		json_decref(j);
		free(line);
	}
	ck_assert_msg(strstr(log, "SECRET123") == NULL, "a query-string secret reached the log");
	free(log);
}
END_TEST

START_TEST(access_log_no_forged_lines)
{
	struct it_resp r;
	char *log, *line, id[33];
	json_t *j;

	it_get("/x%0d%0a%7B%22forged%22:1%7D%0a", &r);
	ck_assert_int_eq(r.status, 404);
	ck_assert_ptr_nonnull(it_header(&r, "X-Request-Id"));
	snprintf(id, sizeof id, "%s", it_header(&r, "X-Request-Id"));
	it_resp_free(&r);
	log = log_line_for(id, &line);
	j = json_loads(line, 0, NULL);
	ck_assert_msg(j != NULL, "the access log line with CR/LF in the path is not JSON: %s",
		      line);
	json_decref(j);
	ck_assert_msg(strstr(log, "\n{\"forged\"") == NULL && strncmp(log, "{\"forged\"", 9) != 0,
		      "a CR/LF in the path forged a log line");
	free(line);
	free(log);
}
END_TEST

static Suite *http_suite(void)
{
	Suite *s = suite_create("http");
	TCase *tc;

	tc = it_tcase("errors", 30, it_fixture_server);
	tcase_add_test(tc, not_found_html);
	tcase_add_test(tc, not_found_api);
	tcase_add_test(tc, method_not_allowed);
	tcase_add_test(tc, malformed_query);
	suite_add_tcase(s, tc);

	tc = it_tcase("nul_body", 60, it_fixture_server);
	tcase_add_test(tc, nul_in_body);
	suite_add_tcase(s, tc);

	tc = it_tcase("body_cap", 40, it_fixture_server);
	tcase_add_test(tc, body_too_large);
	suite_add_tcase(s, tc);

	tc = it_tcase("security_headers", 30, it_fixture_server);
	tcase_add_test(tc, security_headers_everywhere);
	tcase_add_test(tc, civetweb_errors_have_headers);
	tcase_add_test(tc, ambiguous_length_refused);
	suite_add_tcase(s, tc);

	tc = it_tcase("cors", 30, it_fixture_server);
	tcase_add_test(tc, no_cors_for_foreign_origin);
	suite_add_tcase(s, tc);

	tc = it_tcase("tls", 30, it_fixture_server);
	tcase_add_test(tc, tls_old_versions_refused);
	tcase_add_test(tc, tls_modern_versions_accepted);
	tcase_add_test(tc, tls12_non_aead_refused);
	suite_add_tcase(s, tc);

	tc = it_tcase("keep_alive", 30, it_fixture_server);
	tcase_add_test(tc, keep_alive);
	suite_add_tcase(s, tc);

	tc = it_tcase("access_log", 30, it_fixture_server);
	tcase_add_test(tc, access_log);
	tcase_add_test(tc, access_log_no_forged_lines);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(http_suite());
}
