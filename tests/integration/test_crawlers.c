/* test_crawlers.c - what search engines read, against the real server and PostgreSQL:
 *  - /robots.txt (text/plain) keeps crawlers out of account, school, HR and job alert pages,
 *    the API, the apply pages and the searches' filter combinations, and names the sitemap at
 *    base_url;
 *  - /sitemap.xml (application/xml) is well-formed (xmllint) in the sitemaps.org namespace and
 *    lists the home, search and schools pages, every school, and every live vacancy with its
 *    last change (a W3C datetime in UTC, as the database has it) - and no draft, scheduled,
 *    closed or expired one.
 *
 * This file uses the school 53 (in URN order). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

START_TEST(robots_txt_keeps_crawlers_to_public_pages)
{
	static const char *const lines[] = {
		"User-agent: *\n", "Disallow: /account/\n", "Disallow: /school/\n",
		"Disallow: /hr/\n", "Disallow: /job-alerts/\n", "Disallow: /api/\n",
		"Disallow: /vacancies?\n", "Disallow: /schools?\n", "Disallow: /vacancies/*/apply\n",
	};
	char sitemap[256];
	struct it_resp r;
	size_t i;

	it_get("/robots.txt", &r);
	it_expect_status(&r, 200, "/robots.txt");
	ck_assert_msg(it_header_has(&r, "Content-Type", "text/plain"), "not text/plain");
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++)
		ck_assert_msg(strstr(r.body, lines[i]) != NULL, "no \"%s\" in:\n%s", lines[i], r.body);
	/* Nothing public is kept out: the jobs, the schools, the feed. */
	ck_assert_msg(strstr(r.body, "Disallow: /\n") == NULL && strstr(r.body, "Disallow: /vacancies\n")
		      == NULL, "public pages disallowed:\n%s", r.body);
	snprintf(sitemap, sizeof sitemap, "\nSitemap: %s/sitemap.xml\n", it_base_url());
	ck_assert_msg(strstr(r.body, sitemap) != NULL, "no sitemap line in:\n%s", r.body);
	it_resp_free(&r);
}
END_TEST

/* True when the sitemap in body lists base_url + path (as a whole <loc>). */
static bool lists(const char *body, const char *path)
{
	char loc[256];

	snprintf(loc, sizeof loc, "<loc>%s%s</loc>", it_base_url(), path);
	return strstr(body, loc) != NULL;
}

START_TEST(sitemap_lists_public_pages_and_live_jobs)
{
	long urn = it_school(53);
	long long live, draft, scheduled, closed, expired;
	char path[64], want[512], id[24], *v;
	const char *vals[1] = { id };
	struct it_resp r;
	const char *p;
	long urls = 0, schools, least, most;

	live = it_vacancy_add(urn, "published", "title", "Sitemap teacher", (char *)NULL);
	draft = it_vacancy_add(urn, "draft", (char *)NULL);
	scheduled = it_vacancy_add(urn, "scheduled", (char *)NULL);
	closed = it_vacancy_add(urn, "closed", (char *)NULL);
	expired = it_vacancy_add(urn, "published", "closes_at", "=now() - interval '1 minute'",
				 (char *)NULL);

	/* Other files' jobs may open or close while this runs: the live count is bounded around
	 * the request. */
	least = it_psql_long("SELECT count(*) FROM vacancies WHERE status = 'published' AND "
			     "closes_at > now() + interval '1 minute'");
	it_get("/sitemap.xml", &r);
	most = it_psql_long("SELECT count(*) FROM vacancies WHERE status IN ('published', "
			    "'scheduled') AND closes_at > now() - interval '1 minute'");
	schools = it_psql_long("SELECT count(*) FROM schools");
	it_expect_status(&r, 200, "/sitemap.xml");
	ck_assert_msg(it_header_has(&r, "Content-Type", "application/xml"), "not application/xml");
	ck_assert_msg(strncmp(r.body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) == 0 &&
		      strstr(r.body, "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
			      != NULL, "not a sitemap: %.200s", r.body);
	it_expect_xml(&r, "the sitemap");

	ck_assert_msg(lists(r.body, "/") && lists(r.body, "/vacancies") && lists(r.body, "/schools"),
		      "the home, search or schools page is missing");
	snprintf(path, sizeof path, "/schools/%ld", urn);
	ck_assert_msg(lists(r.body, path), "the school %ld is missing", urn);
	/* The live job, with its last change as the database has it. */
	snprintf(id, sizeof id, "%lld", live);
	v = it_psql_params("SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS"
			   "\"Z\"') FROM vacancies WHERE id = $1::bigint", 1, vals);
	snprintf(want, sizeof want, "<loc>%s/vacancies/%lld</loc><lastmod>%s</lastmod>",
		 it_base_url(), live, v);
	free(v);
	ck_assert_msg(strstr(r.body, want) != NULL, "no \"%s\"", want);
	{
		long long never[] = { draft, scheduled, closed, expired };

		for (size_t i = 0; i < sizeof never / sizeof never[0]; i++) {
			snprintf(path, sizeof path, "/vacancies/%lld", never[i]);
			ck_assert_msg(!lists(r.body, path), "%s is listed but not live", path);
		}
	}
	/* Nothing else, and nothing missing: three pages, every school, every live job. */
	for (p = strstr(r.body, "<url>"); p != NULL; p = strstr(p + 5, "<url>"))
		urls++;
	ck_assert_msg(urls - 3 - schools >= least && urls - 3 - schools <= most,
		      "%ld addresses: not 3 pages, %ld schools and %ld to %ld live jobs", urls, schools,
		      least, most);
	it_resp_free(&r);
}
END_TEST

static Suite *crawlers_suite(void)
{
	Suite *s = suite_create("crawlers");
	TCase *tc = it_tcase("crawlers", 30, it_fixture_server);

	tcase_add_test(tc, robots_txt_keeps_crawlers_to_public_pages);
	tcase_add_test(tc, sitemap_lists_public_pages_and_live_jobs);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(crawlers_suite());
}
