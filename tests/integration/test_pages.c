/* test_pages.c - the public pages over TLS against the seeded database: home, the schools
 * directory with its filters, a school's page, the JSON API, the static pages and the static
 * assets (fingerprint, ETag, long cache, 304, no listing or traversal). */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "harness.h"

/* Fails unless resp is HTML with the given status. */
static void assert_html(struct it_resp *r, long status, const char *what)
{
	const char *ct = it_header(r, "Content-Type");

	ck_assert_msg(r->status == status, "%s: status %ld, want %ld; body: %.300s", what,
		      r->status, status, r->body);
	ck_assert_msg(ct != NULL && strncmp(ct, "text/html", 9) == 0,
		      "%s: Content-Type %s, want text/html", what, ct ? ct : "(none)");
}

/* True when needle occurs inside any of the n strings of list (then its presence on a page
 * proves nothing). */
static int in_any(const char *needle, char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(list[i], needle) != NULL)
			return 1;
	return 0;
}

/* Fetches path (expecting HTML 200) and checks that its text names every school selected by
 * `where` (an SQL condition on table schools) and no other school. */
static void assert_lists_exactly(const char *path, const char *where)
{
	char sql_in[512], sql_out[512];
	struct it_resp r;
	char **in, **out, *text;
	size_t nin, nout;

	snprintf(sql_in, sizeof sql_in, "SELECT name FROM schools WHERE %s ORDER BY name", where);
	snprintf(sql_out, sizeof sql_out, "SELECT name FROM schools WHERE NOT (%s) ORDER BY name",
		 where);
	in = it_psql_col(sql_in, &nin);
	out = it_psql_col(sql_out, &nout);
	ck_assert_msg(nin > 0, "no school matches %s: is the database seeded?", where);
	it_get(path, &r);
	assert_html(&r, 200, path);
	text = it_html_decode(r.body);
	for (size_t i = 0; i < nin; i++)
		ck_assert_msg(strstr(text, in[i]) != NULL, "%s does not list \"%s\" (%zu expected)",
			      path, in[i], nin);
	for (size_t i = 0; i < nout; i++)
		ck_assert_msg(strstr(text, out[i]) == NULL || in_any(out[i], in, nin),
			      "%s lists \"%s\", which does not match %s", path, out[i], where);
	free(text);
	it_resp_free(&r);
	it_strv_free(in);
	it_strv_free(out);
}

START_TEST(home_page)
{
	struct it_resp r;
	char **names, *text;
	size_t n;

	it_get("/", &r);
	assert_html(&r, 200, "/");
	text = it_html_decode(r.body);
	ck_assert_msg(strstr(text, "Teaching in Thurrock") != NULL, "no \"Teaching in Thurrock\"");
	ck_assert_msg(strstr(r.body, "<form") != NULL && strstr(r.body, "name=\"q\"") != NULL,
		      "no search form with name=\"q\" on the home page");
	names = it_psql_col("SELECT name FROM schools ORDER BY name", &n);
	ck_assert_uint_eq(n, 56);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(strstr(text, names[i]) != NULL, "home page does not name \"%s\"",
			      names[i]);
	it_strv_free(names);
	free(text);
	it_resp_free(&r);
}
END_TEST

START_TEST(schools_all)
{
	ck_assert_int_eq(it_psql_long("SELECT count(*) FROM schools"), 56);
	assert_lists_exactly("/schools", "true");
}
END_TEST

START_TEST(schools_phase_primary)
{
	ck_assert_int_gt(it_psql_long("SELECT count(*) FROM schools WHERE phase = 'primary'"), 0);
	assert_lists_exactly("/schools?phase=primary", "phase = 'primary'");
}
END_TEST

START_TEST(schools_every_phase)
{
	size_t n;
	char **phases = it_psql_col("SELECT DISTINCT phase FROM schools ORDER BY 1", &n);

	ck_assert_uint_ge(n, 4);
	for (size_t i = 0; i < n; i++) {
		char path[128], where[128];

		snprintf(path, sizeof path, "/schools?phase=%s", phases[i]);
		snprintf(where, sizeof where, "phase = '%s'", phases[i]);
		assert_lists_exactly(path, where);
	}
	it_strv_free(phases);
}
END_TEST

START_TEST(schools_town)
{
	assert_lists_exactly("/schools?town=Tilbury", "town = 'Tilbury'");
	assert_lists_exactly("/schools?town=South+Ockendon", "town = 'South Ockendon'");
	assert_lists_exactly("/schools?phase=primary&town=South%20Ockendon",
			     "phase = 'primary' AND town = 'South Ockendon'");
}
END_TEST

START_TEST(schools_phase_bogus)
{
	struct it_resp r;
	char *text;

	it_get("/schools?phase=bogus", &r);
	assert_html(&r, 400, "/schools?phase=bogus");
	text = it_html_decode(r.body);
	ck_assert_msg(strstr(text, "phase") != NULL || strstr(text, "Phase") != NULL,
		      "the 400 page does not say which parameter is wrong: %.500s", r.body);
	free(text);
	it_resp_free(&r);
}
END_TEST

START_TEST(schools_phase_reflected_xss)
{
	struct it_resp r;

	it_get("/schools?phase=%3Cscript%3Ealert(1)%3C%2Fscript%3E", &r);
	assert_html(&r, 400, "phase=<script>");
	ck_assert_msg(strstr(r.body, "<script>alert(1)") == NULL,
		      "the phase parameter is reflected unescaped");
	it_resp_free(&r);
}
END_TEST

START_TEST(school_page)
{
	struct it_resp r;
	char *urn, *name, *postcode, *text, path[64], sql[256];

	/* A name with an apostrophe also checks the escaping round trip. */
	urn = it_psql("SELECT urn FROM schools WHERE name LIKE '%''%' AND postcode <> '' "
		      "ORDER BY urn LIMIT 1");
	ck_assert_msg(urn != NULL, "no school with an apostrophe in its name");
	snprintf(sql, sizeof sql, "SELECT name FROM schools WHERE urn = '%s'", urn);
	name = it_psql(sql);
	snprintf(sql, sizeof sql, "SELECT postcode FROM schools WHERE urn = '%s'", urn);
	postcode = it_psql(sql);
	snprintf(path, sizeof path, "/schools/%s", urn);
	it_get(path, &r);
	assert_html(&r, 200, path);
	text = it_html_decode(r.body);
	ck_assert_msg(strstr(text, name) != NULL, "%s does not show its name \"%s\"", path, name);
	ck_assert_msg(strstr(text, postcode) != NULL, "%s does not show its postcode \"%s\"", path,
		      postcode);
	{
		const char *canon = strstr(r.body, "<link rel=\"canonical\" href=\"https://");
		const char *end = canon != NULL ? strstr(canon, "\">") : NULL;
		size_t n = strlen(path);

		ck_assert_msg(end != NULL && (size_t)(end - canon) > n &&
				      strncmp(end - n, path, n) == 0,
			      "%s does not name itself as its canonical address", path);
	}
	free(text);
	free(urn);
	free(name);
	free(postcode);
	it_resp_free(&r);
}
END_TEST

START_TEST(school_page_not_found)
{
	static const char *const paths[] = { "/schools/999999", "/schools/abc", "/schools/-1",
					     "/schools/1%27%20OR%201=1", "/schools/0137549", NULL };
	struct it_resp r;

	for (size_t i = 0; paths[i] != NULL; i++) {
		it_get(paths[i], &r);
		assert_html(&r, 404, paths[i]);
		it_resp_free(&r);
	}
}
END_TEST

START_TEST(api_schools)
{
	struct it_resp r;
	const char *ct;
	json_t *doc, *items, *item;
	size_t i, n;
	char **names = it_psql_col("SELECT name FROM schools ORDER BY name", &n);

	it_get("/api/v1/schools", &r);
	ck_assert_int_eq(r.status, 200);
	ct = it_header(&r, "Content-Type");
	ck_assert_msg(ct != NULL && strncmp(ct, "application/json", 16) == 0,
		      "Content-Type %s, want application/json", ct ? ct : "(none)");
	doc = it_json(&r);
	ck_assert_msg(json_is_object(doc), "the document is not an object");
	items = json_object_get(doc, "items");
	ck_assert_msg(json_is_array(items), "no \"items\" array");
	ck_assert_msg(json_is_integer(json_object_get(doc, "total")), "no integer \"total\"");
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "total")), 56);
	ck_assert_uint_eq(json_array_size(items), 56);
	json_array_foreach(items, i, item) {
		json_t *urn = json_object_get(item, "urn");

		ck_assert_msg(json_is_integer(urn) || json_is_string(urn), "item %zu: no urn", i);
		ck_assert_msg(json_is_string(json_object_get(item, "name")), "item %zu: no name", i);
		ck_assert_msg(json_is_string(json_object_get(item, "phase")), "item %zu: no phase",
			      i);
		ck_assert_msg(json_object_get(item, "town") != NULL, "item %zu: no town", i);
	}
	for (size_t k = 0; k < n; k++) {
		int found = 0;

		json_array_foreach(items, i, item)
			if (strcmp(json_string_value(json_object_get(item, "name")), names[k]) == 0)
				found = 1;
		ck_assert_msg(found, "the API does not list \"%s\"", names[k]);
	}
	json_decref(doc);
	it_strv_free(names);
	it_resp_free(&r);
}
END_TEST

START_TEST(static_pages)
{
	static const char *const paths[] = { "/accessibility", "/privacy", "/cookies", NULL };
	struct it_resp r;

	for (size_t i = 0; paths[i] != NULL; i++) {
		it_get(paths[i], &r);
		assert_html(&r, 200, paths[i]);
		it_resp_free(&r);
	}
}
END_TEST

/* The href of the first <link rel="stylesheet" ...> of html, decoded, malloc'd; fails the test
 * when there is none. */
static char *stylesheet_href(const char *html)
{
	regex_t tag, href;
	regmatch_t m[2];
	const char *p = html;
	char *raw = NULL, *out;

	ck_assert_int_eq(regcomp(&tag, "<link[^>]*rel=\"stylesheet\"[^>]*>", REG_EXTENDED | REG_ICASE), 0);
	ck_assert_int_eq(regcomp(&href, "href=\"([^\"]*)\"", REG_EXTENDED | REG_ICASE), 0);
	while (raw == NULL && regexec(&tag, p, 1, m, 0) == 0) {
		char *t = strndup(p + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so));

		ck_assert_ptr_nonnull(t);
		if (regexec(&href, t, 2, m + 0, 0) == 0)
			raw = strndup(t + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
		else
			p += m[0].rm_eo;
		free(t);
	}
	regfree(&tag);
	regfree(&href);
	ck_assert_msg(raw != NULL, "no <link rel=\"stylesheet\" href=...> on the home page");
	out = it_html_decode(raw);
	free(raw);
	return out;
}

START_TEST(asset_css)
{
	struct it_resp home, r, r304, rother;
	const char *ct, *etag, *cc, *ma;
	char *href, hdr[256];
	const char *inm[2] = { hdr, NULL };
	const char *other[2] = { "If-None-Match: \"0000000000000000\"", NULL };

	it_get("/", &home);
	ck_assert_int_eq(home.status, 200);
	href = stylesheet_href(home.body);
	ck_assert_msg(strncmp(href, "/assets/", 8) == 0, "stylesheet %s is not under /assets/",
		      href);
	ck_assert_msg(strstr(href, "?v=") != NULL, "stylesheet URL %s has no fingerprint", href);
	it_get(href, &r);
	ck_assert_msg(r.status == 200, "%s: status %ld", href, r.status);
	ct = it_header(&r, "Content-Type");
	ck_assert_msg(ct != NULL && strncmp(ct, "text/css", 8) == 0, "%s: Content-Type %s", href,
		      ct ? ct : "(none)");
	ck_assert_msg(r.len > 0, "%s is empty", href);
	etag = it_header(&r, "ETag");
	ck_assert_msg(etag != NULL && etag[0] != '\0', "%s: no ETag", href);
	cc = it_header(&r, "Cache-Control");
	ma = cc != NULL ? strstr(cc, "max-age=") : NULL;
	ck_assert_msg(ma != NULL && atol(ma + 8) >= 30L * 86400,
		      "%s: Cache-Control %s, want max-age of at least 30 days", href,
		      cc ? cc : "(none)");

	snprintf(hdr, sizeof hdr, "If-None-Match: %s", etag);
	it_request("GET", href, NULL, NULL, 0, inm, &r304);
	ck_assert_msg(r304.status == 304, "conditional GET with the ETag: status %ld",
		      r304.status);
	ck_assert_uint_eq(r304.len, 0);
	it_request("GET", href, NULL, NULL, 0, other, &rother);
	ck_assert_msg(rother.status == 200, "If-None-Match with another tag: status %ld",
		      rother.status);

	free(href);
	it_resp_free(&home);
	it_resp_free(&r);
	it_resp_free(&r304);
	it_resp_free(&rother);
}
END_TEST

/* body (len bytes) gunzipped into a new NUL-terminated string (*out_len bytes); NULL when it is
 * not gzip. */
static char *gunzip(const char *body, size_t len, size_t *out_len)
{
	z_stream z = { 0 };
	size_t cap = len * 20 + 1024;
	char *out = malloc(cap);
	int rc;

	ck_assert_ptr_nonnull(out);
	if (inflateInit2(&z, 15 + 16) != Z_OK) {
		free(out);
		return NULL;
	}
	z.next_in = (unsigned char *)body;
	z.avail_in = (uInt)len;
	z.next_out = (unsigned char *)out;
	z.avail_out = (uInt)(cap - 1);
	rc = inflate(&z, Z_FINISH);
	*out_len = z.total_out;
	inflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	out[*out_len] = '\0';
	return out;
}

/* The stylesheet and the icon go gzipped to a client that takes gzip, with their own ETag, and
 * as they are to one that does not (or refuses it with q=0); both answers say Vary. */
START_TEST(assets_gzipped)
{
	static const char *const take[] = { "Accept-Encoding: gzip, deflate, br", NULL };
	static const char *const refuse[] = { "Accept-Encoding: gzip;q=0, identity", NULL };
	struct it_resp home, plain, gz, no, r304, svg;
	const char *etag, *vary, *ce;
	char *href, *unzipped, hdr[256];
	const char *inm[3] = { "Accept-Encoding: gzip", hdr, NULL };
	size_t n;

	it_get("/", &home);
	href = stylesheet_href(home.body);
	it_get(href, &plain);
	ck_assert_int_eq(plain.status, 200);
	ck_assert_msg(it_header(&plain, "Content-Encoding") == NULL, "gzipped without asking");
	vary = it_header(&plain, "Vary");
	ck_assert_msg(vary != NULL && strstr(vary, "Accept-Encoding") != NULL, "no Vary");

	it_request("GET", href, NULL, NULL, 0, take, &gz);
	ck_assert_int_eq(gz.status, 200);
	ce = it_header(&gz, "Content-Encoding");
	ck_assert_msg(ce != NULL && strcmp(ce, "gzip") == 0, "Content-Encoding %s",
		      ce ? ce : "(none)");
	vary = it_header(&gz, "Vary");
	ck_assert_msg(vary != NULL && strstr(vary, "Accept-Encoding") != NULL, "no Vary (gzip)");
	ck_assert_msg(gz.len * 4 < plain.len, "gzip %zu bytes against %zu", gz.len, plain.len);
	unzipped = gunzip(gz.body, gz.len, &n);
	ck_assert_msg(unzipped != NULL, "the body is not gzip");
	ck_assert_msg(n == plain.len && memcmp(unzipped, plain.body, n) == 0,
		      "the gzipped stylesheet is not the stylesheet");
	etag = it_header(&gz, "ETag");
	ck_assert_msg(etag != NULL && strcmp(etag, it_header(&plain, "ETag")) != 0,
		      "the gzipped stylesheet has the plain one's ETag");

	snprintf(hdr, sizeof hdr, "If-None-Match: %s", etag);
	it_request("GET", href, NULL, NULL, 0, inm, &r304);
	ck_assert_msg(r304.status == 304, "conditional GET with the gzip ETag: %ld", r304.status);

	it_request("GET", href, NULL, NULL, 0, refuse, &no);
	ck_assert_int_eq(no.status, 200);
	ck_assert_msg(it_header(&no, "Content-Encoding") == NULL && no.len == plain.len,
		      "gzipped although refused (q=0)");

	it_request("GET", "/assets/images/favicon.svg", NULL, NULL, 0, take, &svg);
	ck_assert_int_eq(svg.status, 200);
	ce = it_header(&svg, "Content-Encoding");
	ck_assert_msg(ce != NULL && strcmp(ce, "gzip") == 0, "the SVG icon is not gzipped");

	free(unzipped);
	free(href);
	it_resp_free(&home);
	it_resp_free(&plain);
	it_resp_free(&gz);
	it_resp_free(&no);
	it_resp_free(&r304);
	it_resp_free(&svg);
}
END_TEST

START_TEST(asset_not_found)
{
	static const char *const paths[] = {
		"/assets/", "/assets", "/assets/nonexistent.css", "/assets/../Makefile",
		"/assets/%2e%2e/Makefile", "/assets/..%2fMakefile", "/assets/../../config/portal.conf",
		"/assets/%2e%2e/%2e%2e/etc/passwd", "/assets//etc/passwd", NULL,
	};
	struct it_resp r;

	for (size_t i = 0; paths[i] != NULL; i++) {
		it_get(paths[i], &r);
		ck_assert_msg(r.status == 404, "%s: status %ld, want 404", paths[i], r.status);
		ck_assert_msg(strstr(r.body, "Index of") == NULL, "%s: a directory listing",
			      paths[i]);
		ck_assert_msg(strstr(r.body, "SANITIZE") == NULL && strstr(r.body, "root:") == NULL,
			      "%s: served a file from outside the assets", paths[i]);
		it_resp_free(&r);
	}
}
END_TEST

static Suite *pages_suite(void)
{
	Suite *s = suite_create("pages");
	TCase *tc;

	tc = it_tcase("home", 30, it_fixture_server);
	tcase_add_test(tc, home_page);
	suite_add_tcase(s, tc);

	tc = it_tcase("schools_index", 30, it_fixture_server);
	tcase_add_test(tc, schools_all);
	tcase_add_test(tc, schools_phase_primary);
	tcase_add_test(tc, schools_every_phase);
	tcase_add_test(tc, schools_town);
	tcase_add_test(tc, schools_phase_bogus);
	tcase_add_test(tc, schools_phase_reflected_xss);
	suite_add_tcase(s, tc);

	tc = it_tcase("schools_show", 30, it_fixture_server);
	tcase_add_test(tc, school_page);
	tcase_add_test(tc, school_page_not_found);
	suite_add_tcase(s, tc);

	tc = it_tcase("api", 30, it_fixture_server);
	tcase_add_test(tc, api_schools);
	suite_add_tcase(s, tc);

	tc = it_tcase("static_pages", 30, it_fixture_server);
	tcase_add_test(tc, static_pages);
	suite_add_tcase(s, tc);

	tc = it_tcase("assets", 30, it_fixture_server);
	tcase_add_test(tc, asset_css);
	tcase_add_test(tc, asset_not_found);
	tcase_add_test(tc, assets_gzipped);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(pages_suite());
}
