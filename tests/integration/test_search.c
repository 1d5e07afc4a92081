/* test_search.c - the public side of vacancies (issue 4): only live vacancies are ever found
 * (search page, API, Atom feed; a draft's page is 404, a closed one says so and is not
 * indexed); every filter and their combinations (AND across parameters, OR within one);
 * sorting; paging 20 at a time with a stable order; full-text ranking and synonyms on a known
 * data set; bad parameters answer 400 (a page, or a problem document) and never 500;
 * SQL-looking and script-looking input is harmless; the vacancy page's JSON-LD parses and is a
 * complete JobPosting that no title can break out of; the API's shape; the OpenAPI document is
 * valid and its schemas match what the API really answers (a small JSON Schema validator over
 * jansson); open CORS on the public API only; the Atom feed is well-formed.
 *
 * The integration binaries share one database, so each test makes its vacancies with a made-up
 * word of its own (it_unique_word) and searches with it, or compares with the database itself. */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "harness.h"
#include "vacancy_search.h"

#define MAX_IDS 256

/* --- helpers ------------------------------------------------------------------------------- */

/* A list of vacancy ids, in the order found. */
struct ids {
	long long v[MAX_IDS];
	size_t n;
};

/* One page of /api/v1/vacancies. */
struct result {
	struct ids ids;
	long long total;
	long long page;
	long long per_page;
	long long pages;
};

/* The URN of the first school matching `where` (SQL over schools), by URN. */
static long school_where(const char *where)
{
	char sql[256];

	snprintf(sql, sizeof sql, "SELECT urn FROM schools WHERE %s ORDER BY urn LIMIT 1", where);
	return it_psql_long(sql);
}

/* GET /api/v1/vacancies?qs into res; returns the status (res filled only on 200). */
static long api_search(const char *qs, struct result *res)
{
	char path[1024];
	struct it_resp r;
	json_t *j, *it;
	size_t i;
	long st;

	snprintf(path, sizeof path, "/api/v1/vacancies%s%s", qs[0] ? "?" : "", qs);
	it_get(path, &r);
	st = r.status;
	memset(res, 0, sizeof *res);
	if (st == 200) {
		j = it_json(&r);
		json_array_foreach(json_object_get(j, "items"), i, it) {
			ck_assert_msg(res->ids.n < MAX_IDS, "too many items");
			res->ids.v[res->ids.n++] = json_integer_value(json_object_get(it, "id"));
		}
		res->total = json_integer_value(json_object_get(j, "total"));
		res->page = json_integer_value(json_object_get(j, "page"));
		res->per_page = json_integer_value(json_object_get(j, "per_page"));
		res->pages = json_integer_value(json_object_get(j, "pages"));
		json_decref(j);
	}
	it_resp_free(&r);
	return st;
}

/* The vacancy ids linked from an HTML page ("/vacancies/ID" followed by a quote), in order. */
static void html_ids(const char *html, struct ids *out)
{
	const char *p = html;

	out->n = 0;
	while ((p = strstr(p, "href=\"/vacancies/")) != NULL) {
		char *end;
		long long id;

		p += 17;
		id = strtoll(p, &end, 10);
		if (end != p && *end == '"') {
			ck_assert_msg(out->n < MAX_IDS, "too many links");
			out->v[out->n++] = id;
		}
	}
}

/* GET /vacancies?qs into r (caller frees). */
static long page_search(const char *qs, struct it_resp *r)
{
	char path[1024];

	snprintf(path, sizeof path, "/vacancies%s%s", qs[0] ? "?" : "", qs);
	return it_get(path, r);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* "1, 2, 3" of ids into out. */
static const char *ids_str(const long long *v, size_t n, char *out, size_t len)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && o + 24 < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%s%lld", i ? ", " : "", v[i]);
	return out;
}

/* Fails unless got holds exactly the ids of want (n of them), whatever the order, once each. */
static void expect_set(const struct ids *got, const long long *want, size_t n, const char *what)
{
	long long a[MAX_IDS], b[MAX_IDS];
	char sa[1024], sb[1024];

	ck_assert(n <= MAX_IDS);
	memcpy(a, got->v, got->n * sizeof a[0]);
	memcpy(b, want, n * sizeof b[0]);
	qsort(a, got->n, sizeof a[0], cmp_ll);
	qsort(b, n, sizeof b[0], cmp_ll);
	ck_assert_msg(got->n == n && memcmp(a, b, n * sizeof a[0]) == 0,
		      "%s: found [%s], want [%s]", what, ids_str(a, got->n, sa, sizeof sa),
		      ids_str(b, n, sb, sizeof sb));
}

/* Fails unless got lists exactly want, in this order. */
static void expect_order(const struct ids *got, const long long *want, size_t n,
			 const char *what)
{
	char sa[1024], sb[1024];

	ck_assert_msg(got->n == n && memcmp(got->v, want, n * sizeof want[0]) == 0,
		      "%s: found [%s], want [%s]", what, ids_str(got->v, got->n, sa, sizeof sa),
		      ids_str(want, n, sb, sizeof sb));
}

/* Index of id in got, or -1. */
static long pos_of(const struct ids *got, long long id)
{
	for (size_t i = 0; i < got->n; i++)
		if (got->v[i] == id)
			return (long)i;
	return -1;
}

/* The ids of an SQL query's first column. */
static void sql_ids(const char *sql, struct ids *out)
{
	size_t n;
	char **col = it_psql_col(sql, &n);

	ck_assert_msg(n <= MAX_IDS, "the query returned %zu rows", n);
	out->n = n;
	for (size_t i = 0; i < n; i++)
		out->v[i] = strtoll(col[i], NULL, 10);
	it_strv_free(col);
}

/* Closes every live vacancy whose description holds word (clean-up: live vacancies a test
 * made should not crowd other tests' feeds). */
static void close_word(const char *word)
{
	const char *vals[1] = { word };

	free(it_psql_params("UPDATE vacancies SET status = 'closed', closed_at = now() WHERE "
			    "status = 'published' AND description LIKE '%' || $1 || '%'", 1, vals));
}

/* --- visibility ---------------------------------------------------------------------------- */

START_TEST(only_live_vacancies_found)
{
	char word[IT_WORD_LEN], qs[64], path[96];
	long urn = school_where("phase = 'secondary'");
	long long live, draft, sched, closed, expired, ended;
	struct result res;
	struct it_resp r;
	struct ids page;

	it_unique_word(word);
	live = it_vacancy_add(urn, "published", "description", word, "published_at", "=now()",
			      (char *)NULL);
	draft = it_vacancy_add(urn, "draft", "description", word, (char *)NULL);
	sched = it_vacancy_add(urn, "scheduled", "description", word, (char *)NULL);
	closed = it_vacancy_add(urn, "closed", "description", word, (char *)NULL);
	expired = it_vacancy_add(urn, "published", "description", word, "closes_at",
				 "=now() - interval '1 minute'", (char *)NULL);
	ended = it_vacancy_add(urn, "closed", "description", word, "closes_at",
			       "=now() + interval '20 days'", "end_reason", "Filled", "filled",
			       "true", (char *)NULL);

	snprintf(qs, sizeof qs, "q=%s", word);
	ck_assert_int_eq(api_search(qs, &res), 200);
	expect_set(&res.ids, &live, 1, "the API, live and not-live vacancies");
	ck_assert_msg(res.total == 1, "the API's total: %lld, want 1", res.total);
	page_search(qs, &r);
	it_expect_status(&r, 200, "the search page");
	html_ids(r.body, &page);
	expect_set(&page, &live, 1, "the search page, live and not-live vacancies");
	ck_assert_msg(strstr(r.body, "1 job found") != NULL, "the page does not say 1 job found");
	it_resp_free(&r);

	/* Without keywords: none of the others on any page either. */
	for (long p = 1;; p++) {
		snprintf(qs, sizeof qs, "page=%ld", p);
		ck_assert_int_eq(api_search(qs, &res), 200);
		for (size_t i = 0; i < res.ids.n; i++)
			ck_assert_msg(res.ids.v[i] != draft && res.ids.v[i] != sched &&
				      res.ids.v[i] != closed && res.ids.v[i] != expired &&
				      res.ids.v[i] != ended,
				      "vacancy %lld (not live) listed by the API", res.ids.v[i]);
		if (p >= res.pages)
			break;
	}

	/* The feed. */
	it_get("/vacancies.atom", &r);
	it_expect_status(&r, 200, "the feed");
	snprintf(path, sizeof path, "/vacancies/%lld\"", live);
	ck_assert_msg(strstr(r.body, path) != NULL, "the live vacancy is not in the feed");
	{
		const long long others[] = { draft, sched, closed, expired, ended };

		for (size_t i = 0; i < 5; i++) {
			snprintf(path, sizeof path, "/vacancies/%lld<", others[i]);
			ck_assert_msg(strstr(r.body, path) == NULL, "vacancy %lld (not live) is in "
				      "the feed", others[i]);
			snprintf(path, sizeof path, "/vacancies/%lld\"", others[i]);
			ck_assert_msg(strstr(r.body, path) == NULL, "vacancy %lld (not live) is in "
				      "the feed", others[i]);
		}
	}
	it_resp_free(&r);

	/* Pages: drafts and scheduled do not exist; closed ones say so and are not indexed. */
	{
		const long long gone[] = { draft, sched };
		const long long shut[] = { closed, expired, ended };

		for (size_t i = 0; i < 2; i++) {
			snprintf(path, sizeof path, "/vacancies/%lld", gone[i]);
			it_get(path, &r);
			it_expect_status(&r, 404, path);
			it_resp_free(&r);
			snprintf(path, sizeof path, "/api/v1/vacancies/%lld", gone[i]);
			it_get(path, &r);
			it_expect_status(&r, 404, path);
			it_resp_free(&r);
		}
		for (size_t i = 0; i < 3; i++) {
			snprintf(path, sizeof path, "/vacancies/%lld", shut[i]);
			it_get(path, &r);
			ck_assert_msg(r.status == 200 || r.status == 410, "%s: status %ld", path,
				      r.status);
			ck_assert_msg(strcasestr(r.body, "closed") != NULL,
				      "%s does not say the job is closed", path);
			ck_assert_msg(it_noindex(&r), "%s may be indexed", path);
			ck_assert_msg(strstr(r.body, "application/ld+json") == NULL,
				      "%s carries JobPosting data", path);
			it_resp_free(&r);
			snprintf(path, sizeof path, "/api/v1/vacancies/%lld", shut[i]);
			it_get(path, &r);
			ck_assert_msg(r.status == 404 || r.status == 410, "%s: status %ld", path,
				      r.status);
			it_resp_free(&r);
		}
		snprintf(path, sizeof path, "/vacancies/%lld", live);
		it_get(path, &r);
		it_expect_status(&r, 200, path);
		ck_assert_msg(!it_noindex(&r), "the live vacancy's page asks not to be indexed");
		it_resp_free(&r);
	}
	it_get("/vacancies/999999999999", &r);
	it_expect_status(&r, 404, "an unknown vacancy");
	it_resp_free(&r);
	it_get("/vacancies/12abc", &r);
	it_expect_status(&r, 404, "a malformed vacancy id");
	it_resp_free(&r);
	close_word(word);
}
END_TEST

/* --- filters ------------------------------------------------------------------------------- */

START_TEST(each_filter_and_combinations)
{
	char word[IT_WORD_LEN], qs[512], s2[24], s4[24], what[600];
	long s1 = school_where("phase = 'secondary' AND town = 'Grays'");
	long s2u = school_where("phase = 'primary' AND town = 'Tilbury'");
	long s3 = school_where("phase = 'primary' AND town = 'South Ockendon'");
	long s4u = school_where("town = 'Purfleet' AND phase = 'primary'");
	long long a, b, c, d;
	struct result res;
	struct it_resp r;
	struct ids page;

	it_unique_word(word);
	snprintf(s2, sizeof s2, "%ld", s2u);
	snprintf(s4, sizeof s4, "{%ld}", s4u);
	a = it_vacancy_add(s1, "published", "description", word, "job_roles", "{teacher}",
			   "phases", "{secondary}", "key_stages", "{ks3,ks4}", "subjects",
			   "{mathematics}", "contract_type", "permanent", "working_patterns",
			   "{full_time}", "ect_suitable", "true", "key_worker_eligible", "false",
			   "visa_sponsorship", "true", (char *)NULL);
	b = it_vacancy_add(s2u, "published", "description", word, "job_roles",
			   "{teaching_assistant}", "phases", "{primary}", "key_stages", "{ks1,ks2}",
			   "subjects", "{}", "contract_type", "fixed_term", "fixed_term_length",
			   "1 year",
			   "working_patterns", "{part_time}", "hours_per_week", "25",
			   "ect_suitable", "false", "key_worker_eligible", "true", (char *)NULL);
	c = it_vacancy_add(s3, "published", "description", word, "job_roles", "{headteacher}",
			   "phases", "{special}", "subjects", "{science}", "contract_type",
			   "parental_cover", "working_patterns", "{job_share,term_time}",
			   "ect_suitable", "false", "key_worker_eligible", "true",
			   "visa_sponsorship", "true", "+schools", s4, (char *)NULL);
	d = it_vacancy_add(s2u, "published", "description", word, "job_roles", "{teacher}",
			   "phases", "{primary}", "key_stages", "{eyfs,ks1}", "subjects", "{}",
			   "contract_type", "permanent",
			   "working_patterns", "{part_time}", "hours_per_week", "20", "ect_suitable",
			   "true", "key_worker_eligible", "false", (char *)NULL);

	const struct {
		const char *filters;
		long long want[4];
		size_t n;
	} cases[] = {
		{ "", { a, b, c, d }, 4 },
		{ "role=teacher", { a, d }, 2 },
		{ "role=teaching_assistant", { b }, 1 },
		{ "role=teacher&role=headteacher", { a, c, d }, 3 },
		{ "phase=secondary", { a }, 1 },
		{ "phase=primary", { b, d }, 2 },
		{ "phase=primary&phase=special", { b, c, d }, 3 },
		{ "key_stage=ks3", { a }, 1 },
		{ "key_stage=ks1", { b, d }, 2 },
		{ "key_stage=eyfs&key_stage=ks4", { a, d }, 2 },
		{ "key_stage=ks1&role=teacher", { d }, 1 },
		{ "key_stage=ks5", { 0 }, 0 },
		{ "subject=mathematics", { a }, 1 },
		{ "subject=science&subject=mathematics", { a, c }, 2 },
		{ "contract=permanent", { a, d }, 2 },
		{ "contract=fixed_term&contract=parental_cover", { b, c }, 2 },
		{ "working_pattern=part_time", { b, d }, 2 },
		{ "working_pattern=term_time", { c }, 1 },
		{ "working_pattern=full_time&working_pattern=job_share", { a, c }, 2 },
		{ "ect_suitable=true", { a, d }, 2 },
		{ "key_worker=true", { b, c }, 2 },
		{ "visa_sponsorship=true", { a, c }, 2 },
		{ "visa_sponsorship=true&key_worker=true", { c }, 1 },
		{ "visa_sponsorship=true&phase=secondary&ect_suitable=true", { a }, 1 },
		{ "visa_sponsorship=true&town=Tilbury", { 0 }, 0 },
		{ "school=SCHOOL2", { b, d }, 2 },
		{ "town=Tilbury", { b, d }, 2 },
		{ "town=tilbury", { b, d }, 2 },
		{ "town=Purfleet", { c }, 1 },
		{ "town=Tilbury&town=Grays", { a, b, d }, 3 },
		{ "role=teacher&phase=primary", { d }, 1 },
		{ "role=teacher&phase=secondary&contract=permanent&ect_suitable=true", { a }, 1 },
		{ "role=teacher&role=teaching_assistant&phase=primary&key_worker=true", { b }, 1 },
		{ "town=Tilbury&working_pattern=part_time&role=teaching_assistant", { b }, 1 },
		{ "phase=secondary&key_worker=true", { 0 }, 0 },
		{ "school=SCHOOL2&ect_suitable=true", { d }, 1 },
		{ "role=&phase=&sort=&page=", { a, b, c, d }, 4 },
		{ "unknown_parameter=whatever", { a, b, c, d }, 4 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char filters[256];
		const char *sch = strstr(cases[i].filters, "SCHOOL2");

		if (sch != NULL)
			snprintf(filters, sizeof filters, "%.*s%s%s",
				 (int)(sch - cases[i].filters), cases[i].filters, s2, sch + 7);
		else
			snprintf(filters, sizeof filters, "%s", cases[i].filters);
		snprintf(qs, sizeof qs, "q=%s%s%s", word, filters[0] ? "&" : "", filters);
		snprintf(what, sizeof what, "API ?%s", qs);
		ck_assert_msg(api_search(qs, &res) == 200, "%s: not 200", what);
		expect_set(&res.ids, cases[i].want, cases[i].n, what);
		ck_assert_msg(res.total == (long long)cases[i].n, "%s: total %lld, want %zu", what,
			      res.total, cases[i].n);
		page_search(qs, &r);
		snprintf(what, sizeof what, "page ?%s", qs);
		it_expect_status(&r, 200, what);
		html_ids(r.body, &page);
		expect_set(&page, cases[i].want, cases[i].n, what);
		it_resp_free(&r);
	}
	close_word(word);
}
END_TEST

/* Fails unless the API's answer to qs (no keywords) is what the database holds: total equal
 * to SQL count over the live vacancies satisfying cond, every listed one satisfying it. */
static void expect_filter_matches_db(const char *qs, const char *cond)
{
	char sql[1024], what[256];
	struct result res;
	long want;

	snprintf(sql, sizeof sql, "SELECT count(*) FROM vacancies v WHERE v.status = 'published' "
		 "AND v.closes_at > now() AND (%s)", cond);
	want = it_psql_long(sql);
	snprintf(what, sizeof what, "API ?%s", qs);
	ck_assert_msg(api_search(qs, &res) == 200, "%s: not 200", what);
	ck_assert_msg(res.total == want, "%s: total %lld, the database has %ld", what, res.total,
		      want);
	for (size_t i = 0; i < res.ids.n; i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM vacancies v WHERE v.id = %lld AND "
			 "v.status = 'published' AND v.closes_at > now() AND (%s)", res.ids.v[i],
			 cond);
		ck_assert_msg(it_psql_long(sql) == 1, "%s lists vacancy %lld, which does not match",
			      what, res.ids.v[i]);
	}
}

START_TEST(filters_without_keywords_match_database)
{
	char word[IT_WORD_LEN], qs[128], cond[256];
	long tilbury = school_where("phase = 'primary' AND town = 'Tilbury'");

	/* Make sure each filter has something to find. */
	it_unique_word(word);
	it_vacancy_add(tilbury, "published", "description", word, "job_roles",
		       "{teaching_assistant}", "phases", "{special}", "key_stages", "{ks2}",
		       "subjects", "{mathematics}",
		       "contract_type", "fixed_term", "working_patterns", "{term_time}",
		       "ect_suitable", "true", "key_worker_eligible", "true", "visa_sponsorship",
		       "true", (char *)NULL);
	expect_filter_matches_db("role=teaching_assistant", "'teaching_assistant' = ANY (v.job_roles)");
	expect_filter_matches_db("role=teaching_assistant&role=hlta",
				 "v.job_roles && '{teaching_assistant,hlta}'");
	expect_filter_matches_db("phase=special", "'special' = ANY (v.phases)");
	expect_filter_matches_db("key_stage=ks2", "'ks2' = ANY (v.key_stages)");
	expect_filter_matches_db("key_stage=ks2&key_stage=eyfs", "v.key_stages && '{ks2,eyfs}'");
	expect_filter_matches_db("subject=mathematics", "'mathematics' = ANY (v.subjects)");
	expect_filter_matches_db("contract=fixed_term", "v.contract_type = 'fixed_term'");
	expect_filter_matches_db("working_pattern=term_time", "'term_time' = ANY (v.working_patterns)");
	expect_filter_matches_db("ect_suitable=true", "v.ect_suitable");
	expect_filter_matches_db("key_worker=true", "v.key_worker_eligible");
	expect_filter_matches_db("visa_sponsorship=true", "v.visa_sponsorship");
	snprintf(qs, sizeof qs, "school=%ld", tilbury);
	snprintf(cond, sizeof cond, "v.id IN (SELECT vacancy_id FROM vacancy_schools WHERE "
		 "school_urn = %ld)", tilbury);
	expect_filter_matches_db(qs, cond);
	expect_filter_matches_db("town=Tilbury", "v.id IN (SELECT vs.vacancy_id FROM "
				 "vacancy_schools vs JOIN schools s ON s.urn = vs.school_urn WHERE "
				 "s.town = 'Tilbury')");
	expect_filter_matches_db("phase=special&ect_suitable=true&role=teaching_assistant",
				 "'special' = ANY (v.phases) AND v.ect_suitable AND "
				 "'teaching_assistant' = ANY (v.job_roles)");
	expect_filter_matches_db("", "true");
	/* Search words of only spaces or punctuation are no search words: every job. */
	expect_filter_matches_db("q=+", "true");
	expect_filter_matches_db("q=-", "true");
	expect_filter_matches_db("q=%21+%3F&phase=special", "'special' = ANY (v.phases)");
	close_word(word);
}
END_TEST

/* --- sorting and paging -------------------------------------------------------------------- */

START_TEST(sorting)
{
	char word[IT_WORD_LEN], qs[128];
	long urn = school_where("phase = 'primary'");
	long long v1, v2, v3;
	struct result res;
	struct it_resp r;
	struct ids page;

	it_unique_word(word);
	v1 = it_vacancy_add(urn, "published", "description", word, "closes_at",
			    "=now() + interval '5 days'", "published_at",
			    "=now() - interval '1 day'", (char *)NULL);
	v2 = it_vacancy_add(urn, "published", "description", word, "closes_at",
			    "=now() + interval '2 days'", "published_at",
			    "=now() - interval '3 days'", (char *)NULL);
	v3 = it_vacancy_add(urn, "published", "description", word, "closes_at",
			    "=now() + interval '9 days'", "published_at",
			    "=now() - interval '1 hour'", (char *)NULL);
	const long long closing[] = { v2, v1, v3 }, newest[] = { v3, v1, v2 };

	snprintf(qs, sizeof qs, "q=%s&sort=closing", word);
	ck_assert_int_eq(api_search(qs, &res), 200);
	expect_order(&res.ids, closing, 3, "sort=closing");
	/* With keywords too, closing soonest is the default (best match is a choice). */
	snprintf(qs, sizeof qs, "q=%s", word);
	ck_assert_int_eq(api_search(qs, &res), 200);
	expect_order(&res.ids, closing, 3, "keywords without a sort");
	page_search(qs, &r);
	html_ids(r.body, &page);
	expect_order(&page, closing, 3, "the page, keywords without a sort");
	it_resp_free(&r);
	snprintf(qs, sizeof qs, "q=%s&sort=closing", word);
	page_search(qs, &r);
	html_ids(r.body, &page);
	expect_order(&page, closing, 3, "the page, sort=closing");
	it_resp_free(&r);
	snprintf(qs, sizeof qs, "q=%s&sort=newest", word);
	ck_assert_int_eq(api_search(qs, &res), 200);
	expect_order(&res.ids, newest, 3, "sort=newest");
	page_search(qs, &r);
	html_ids(r.body, &page);
	expect_order(&page, newest, 3, "the page, sort=newest");
	it_resp_free(&r);

	/* Without keywords the default is closing soonest: every page in closing order. */
	{
		char *prev = NULL, sql[128];

		for (long p = 1;; p++) {
			snprintf(qs, sizeof qs, "page=%ld", p);
			ck_assert_int_eq(api_search(qs, &res), 200);
			for (size_t i = 0; i < res.ids.n; i++) {
				char *cur;

				snprintf(sql, sizeof sql, "SELECT to_char(closes_at, 'YYYYMMDDHH24MISSUS') "
					 "FROM vacancies WHERE id = %lld", res.ids.v[i]);
				cur = it_psql(sql);
				ck_assert_msg(prev == NULL || strcmp(prev, cur) <= 0,
					      "the default order is not closing soonest first at "
					      "vacancy %lld (page %ld)", res.ids.v[i], p);
				free(prev);
				prev = cur;
			}
			if (p >= res.pages)
				break;
		}
		free(prev);
	}
	close_word(word);
}
END_TEST

START_TEST(paging_stable)
{
	char word[IT_WORD_LEN], qs[128], sql[256];
	long urn = school_where("phase = 'secondary'");
	static const char *const sorts[] = { "closing", "newest", "relevance" };
	struct ids all, seen;
	struct result res, again;
	struct it_resp r;
	struct ids page;

	it_unique_word(word);
	/* 60 vacancies in three groups with equal closing times, published at the same time. */
	for (int i = 0; i < 60; i++) {
		char closes[64];

		snprintf(closes, sizeof closes, "=date_trunc('hour', now()) + interval '%d days'",
			 10 + i % 3);
		it_vacancy_add(urn, "published", "description", word, "closes_at", closes,
			       "published_at", "=date_trunc('hour', now())", (char *)NULL);
	}
	snprintf(sql, sizeof sql, "SELECT id FROM vacancies WHERE description = '%s' ORDER BY id",
		 word);
	sql_ids(sql, &all);
	ck_assert_int_eq(all.n, 60);

	for (size_t s = 0; s < 3; s++) {
		seen.n = 0;
		for (long p = 1; p <= 3; p++) {
			char what[192];

			snprintf(qs, sizeof qs, "q=%s&sort=%s&page=%ld", word, sorts[s], p);
			snprintf(what, sizeof what, "API ?%s", qs);
			ck_assert_msg(api_search(qs, &res) == 200, "%s: not 200", what);
			ck_assert_msg(res.ids.n == 20, "%s: %zu items, want 20", what, res.ids.n);
			ck_assert_msg(res.total == 60 && res.page == p && res.per_page == 20 &&
				      res.pages == 3, "%s: total %lld page %lld per_page %lld pages "
				      "%lld", what, res.total, res.page, res.per_page, res.pages);
			for (size_t i = 0; i < res.ids.n; i++) {
				ck_assert_msg(pos_of(&seen, res.ids.v[i]) < 0, "%s: vacancy %lld "
					      "was on an earlier page too", what, res.ids.v[i]);
				seen.v[seen.n++] = res.ids.v[i];
			}
			/* The same page twice: the same order. */
			ck_assert_int_eq(api_search(qs, &again), 200);
			expect_order(&again.ids, res.ids.v, res.ids.n, what);
			/* The HTML page lists the same. */
			page_search(qs, &r);
			it_expect_status(&r, 200, what);
			html_ids(r.body, &page);
			expect_order(&page, res.ids.v, res.ids.n, what);
			ck_assert_msg(strstr(r.body, "60 jobs found") != NULL,
				      "%s: the page does not say 60 jobs found", what);
			it_resp_free(&r);
		}
		expect_set(&seen, all.v, all.n, "three pages together");
		snprintf(qs, sizeof qs, "q=%s&sort=%s&page=4", word, sorts[s]);
		ck_assert_msg(api_search(qs, &res) == 400, "API ?%s: page 4 of 3 is not 400", qs);
		page_search(qs, &r);
		it_expect_status(&r, 400, "page 4 of 3");
		ck_assert_msg(strstr(r.body, "3 pages") != NULL, "the 400 page does not say how many "
			      "pages there are");
		it_resp_free(&r);
	}

	/* Every live vacancy, page by page without keywords: each exactly once. */
	{
		long long got[4096];
		size_t n = 0;
		long pages = 1;
		long want = it_psql_long("SELECT count(*) FROM vacancies WHERE status = 'published' "
					 "AND closes_at > now()");

		ck_assert_msg(want < 4096, "too many live vacancies (%ld) for this test", want);
		for (long p = 1; p <= pages; p++) {
			snprintf(qs, sizeof qs, "page=%ld", p);
			ck_assert_int_eq(api_search(qs, &res), 200);
			pages = res.pages;
			for (size_t i = 0; i < res.ids.n; i++) {
				for (size_t k = 0; k < n; k++)
					ck_assert_msg(got[k] != res.ids.v[i], "vacancy %lld on two "
						      "pages", res.ids.v[i]);
				got[n++] = res.ids.v[i];
			}
		}
		ck_assert_msg((long)n == want, "paging through everything found %zu vacancies, the "
			      "database has %ld live", n, want);
	}
	close_word(word);
}
END_TEST

/* --- full-text search ---------------------------------------------------------------------- */

/* The ids the API finds for q=word+extra (URL-encoded extra), best match first. */
static void keyword(const char *word, const char *extra, struct ids *out)
{
	char qs[256];
	struct result res;

	snprintf(qs, sizeof qs, "q=%s+%s&sort=relevance", word, extra);
	ck_assert_msg(api_search(qs, &res) == 200, "?%s: not 200", qs);
	*out = res.ids;
}

START_TEST(full_text_ranking_and_synonyms)
{
	char word[IT_WORD_LEN], desc[256];
	long urn = school_where("phase = 'secondary'");
	long long title_m, desc_m, subj_m, maths, pe_long, pe_short, ta_long, ta_short, other;
	long long ks2_short, ks2_long, lsa_short, lsa_long, rs, pt_spaced, pt_hyphen;
	struct ids got;

	it_unique_word(word);
	title_m = it_vacancy_add(urn, "published", "description", word, "title",
				 "Teacher of Mathematics", (char *)NULL);
	snprintf(desc, sizeof desc, "%s. Our pupils love mathematics and we teach it well.", word);
	desc_m = it_vacancy_add(urn, "published", "description", desc, "title", "Class teacher",
				(char *)NULL);
	subj_m = it_vacancy_add(urn, "published", "description", word, "title",
				"Head of department", "subjects", "{mathematics}", (char *)NULL);
	maths = it_vacancy_add(urn, "published", "description", word, "title", "Maths teacher",
			       (char *)NULL);
	pe_long = it_vacancy_add(urn, "published", "description", word, "title",
				 "Teacher of Physical Education", (char *)NULL);
	pe_short = it_vacancy_add(urn, "published", "description", word, "title", "PE teacher",
				  (char *)NULL);
	ta_long = it_vacancy_add(urn, "published", "description", word, "title",
				 "Teaching assistant", "job_roles", "{teaching_assistant}",
				 (char *)NULL);
	ta_short = it_vacancy_add(urn, "published", "description", word, "title",
				  "TA for year 2", "job_roles", "{other_support}", (char *)NULL);
	other = it_vacancy_add(urn, "published", "description", word, "title",
			       "Teacher of Geography", (char *)NULL);
	ks2_short = it_vacancy_add(urn, "published", "description", word, "title",
				   "KS2 class teacher", (char *)NULL);
	ks2_long = it_vacancy_add(urn, "published", "description", word, "title",
				  "Key stage 2 leader", (char *)NULL);
	lsa_short = it_vacancy_add(urn, "published", "description", word, "title", "LSA (1:1)",
				   (char *)NULL);
	lsa_long = it_vacancy_add(urn, "published", "description", word, "title",
				  "Learning support assistant", (char *)NULL);
	rs = it_vacancy_add(urn, "published", "description", word, "title",
			    "Teacher of Religious Studies", (char *)NULL);
	pt_spaced = it_vacancy_add(urn, "published", "description", word, "title",
				   "Part time science technician", (char *)NULL);
	pt_hyphen = it_vacancy_add(urn, "published", "description", word, "title",
				   "Part-time cook", (char *)NULL);

	/* Title and subject matches rank above a match in the description. */
	keyword(word, "mathematics", &got);
	ck_assert_msg(pos_of(&got, title_m) >= 0 && pos_of(&got, desc_m) >= 0 &&
		      pos_of(&got, subj_m) >= 0, "q=mathematics misses a vacancy that mentions it");
	ck_assert_msg(pos_of(&got, title_m) < pos_of(&got, desc_m),
		      "a title match (%lld) ranks below a description-only match (%lld)", title_m,
		      desc_m);
	ck_assert_msg(pos_of(&got, subj_m) < pos_of(&got, desc_m),
		      "a subject match (%lld) ranks below a description-only match (%lld)", subj_m,
		      desc_m);
	ck_assert_msg(pos_of(&got, other) < 0 && pos_of(&got, pe_long) < 0,
		      "q=mathematics finds vacancies that do not mention it");
	{
		struct ids html;
		struct it_resp r;
		char qs[128];

		snprintf(qs, sizeof qs, "q=%s+mathematics&sort=relevance", word);
		page_search(qs, &r);
		html_ids(r.body, &html);
		ck_assert_msg(pos_of(&html, title_m) >= 0 && pos_of(&html, title_m) <
			      pos_of(&html, desc_m), "the page does not rank the title match first");
		it_resp_free(&r);
	}

	/* Web search syntax: a quoted phrase and an excluded word. */
	keyword(word, "%22physical+education%22", &got);
	ck_assert_msg(pos_of(&got, pe_long) >= 0, "a quoted phrase misses its vacancy");
	keyword(word, "-geography", &got);
	ck_assert_msg(pos_of(&got, other) < 0 && pos_of(&got, title_m) >= 0,
		      "q=... -geography does not exclude geography");

	/* Synonyms, both ways: every miss is collected, then reported together. */
	{
		const struct {
			const char *q;
			long long want;
			const char *title;
		} syn[] = {
			{ "maths", maths, "Maths teacher" },
			{ "maths", title_m, "Teacher of Mathematics" },
			{ "mathematics", maths, "Maths teacher" },
			{ "PE", pe_short, "PE teacher" },
			{ "PE", pe_long, "Teacher of Physical Education" },
			{ "physical+education", pe_long, "Teacher of Physical Education" },
			{ "physical+education", pe_short, "PE teacher" },
			{ "TA", ta_short, "TA for year 2" },
			{ "TA", ta_long, "Teaching assistant" },
			{ "teaching+assistant", ta_long, "Teaching assistant" },
			{ "teaching+assistant", ta_short, "TA for year 2" },
			{ "KS2", ks2_long, "Key stage 2 leader" },
			{ "key+stage+2", ks2_short, "KS2 class teacher" },
			{ "LSA", lsa_long, "Learning support assistant" },
			{ "learning+support+assistant", lsa_short, "LSA (1:1)" },
			{ "RE", rs, "Teacher of Religious Studies" },
			{ "religious+education", rs, "Teacher of Religious Studies" },
			/* a hyphenated word finds it spaced, and the other way round */
			{ "part-time", pt_spaced, "Part time science technician" },
			{ "part-time", pt_hyphen, "Part-time cook" },
			{ "part+time", pt_hyphen, "Part-time cook" },
		};
		struct buf misses = { 0 };

		for (size_t i = 0; i < sizeof syn / sizeof syn[0]; i++) {
			keyword(word, syn[i].q, &got);
			if (pos_of(&got, syn[i].want) < 0)
				buf_printf(&misses, "  q=%s misses \"%s\"\n", syn[i].q, syn[i].title);
		}
		/* a hyphen before a word still excludes it */
		keyword(word, "part+-science", &got);
		if (pos_of(&got, pt_spaced) >= 0 || pos_of(&got, pt_hyphen) < 0)
			buf_printf(&misses, "  q=part -science does not exclude science\n");
		close_word(word);
		ck_assert_msg(misses.len == 0, "synonyms do not work both ways:\n%s",
			      buf_str(&misses));
		buf_free(&misses);
	}
}
END_TEST

/* --- many live vacancies ------------------------------------------------------------------- */

/* Adds n live vacancies with description "word" (and "word other" for every tenth), closing a
 * minute apart from 40 days on, in one statement. */
static void many_add(long urn, const char *word, const char *other, long n)
{
	char urn_s[24], n_s[24];
	const char *vals[4] = { urn_s, word, other, n_s };

	snprintf(urn_s, sizeof urn_s, "%ld", urn);
	snprintf(n_s, sizeof n_s, "%ld", n);
	free(it_psql_params(
		"INSERT INTO vacancies (school_urn, status, title, job_roles, phases, contract_type, "
		"working_patterns, pay_scale, start_type, description, contact_email, closes_at, "
		"publish_at, published_at) SELECT $1::integer, 'published', 'Class teacher', "
		"'{teacher}', '{primary}', 'permanent', '{full_time}', 'mps', 'asap', $2 || CASE WHEN "
		"i % 10 = 0 THEN ' ' || $3 ELSE '' END, 'jobs@example.org', date_trunc('minute', "
		"now()) + interval '40 days' + i * interval '1 minute', now() - interval '2 days', "
		"now() - interval '2 days' FROM generate_series(1, $4::integer) i", 4, vals));
}

/* The page's jobs (and the API's) and the page's filter form are made once and kept
 * (vacancy_item_cache.c, the schools snapshot): a changed vacancy or school shows at once, and
 * each search's form shows its own choices, however many times it was seen before. */
START_TEST(kept_html_follows_changes)
{
	char word[IT_WORD_LEN], qs[96], title[96], sql[256], path[160];
	long urn = school_where("phase = 'secondary'");
	char *name;
	long long id;
	struct it_resp r;

	it_unique_word(word);
	snprintf(title, sizeof title, "Teacher of Geography %s", word);
	id = it_vacancy_add(urn, "published", "title", title, "description", word, "phases",
			    "{secondary}", (char *)NULL);
	snprintf(qs, sizeof qs, "q=%s", word);
	for (int i = 0; i < 2; i++) {   /* the second from what was kept */
		page_search(qs, &r);
		it_expect_status(&r, 200, "the search");
		ck_assert_msg(strstr(r.body, title) != NULL, "the search does not show %s", title);
		it_resp_free(&r);
		snprintf(path, sizeof path, "/api/v1/vacancies?%s", qs);
		it_get(path, &r);
		it_expect_status(&r, 200, path);
		ck_assert_msg(strstr(r.body, title) != NULL, "%s does not show %s", path, title);
		it_resp_free(&r);
	}

	/* A new title. */
	snprintf(title, sizeof title, "Head of Humanities %s", word);
	{
		const char *vals[2] = { title, NULL };
		char id_s[24];

		snprintf(id_s, sizeof id_s, "%lld", id);
		vals[1] = id_s;
		free(it_psql_params("UPDATE vacancies SET title = $1 WHERE id = $2::bigint", 2, vals));
	}
	page_search(qs, &r);
	ck_assert_msg(strstr(r.body, title) != NULL, "the search does not show the new title");
	ck_assert_msg(strstr(r.body, "Teacher of Geography") == NULL,
		      "the search still shows the old title");
	it_resp_free(&r);
	it_get(path, &r);
	ck_assert_msg(strstr(r.body, title) != NULL, "%s does not show the new title", path);
	ck_assert_msg(strstr(r.body, "Teacher of Geography") == NULL,
		      "%s still shows the old title", path);
	it_resp_free(&r);

	/* A renamed school. */
	snprintf(sql, sizeof sql, "SELECT name FROM schools WHERE urn = %ld", urn);
	name = it_psql(sql);
	snprintf(sql, sizeof sql, "UPDATE schools SET name = name || ' Renamed %s' WHERE urn = %ld",
		 word, urn);
	free(it_psql(sql));
	page_search(qs, &r);
	snprintf(title, sizeof title, "Renamed %s", word);
	ck_assert_msg(strstr(r.body, title) != NULL, "the search does not show the school's new name");
	it_resp_free(&r);
	{
		const char *vals[1] = { name };

		snprintf(sql, sizeof sql, "UPDATE schools SET name = $1 WHERE urn = %ld", urn);
		free(it_psql_params(sql, 1, vals));
	}
	free(name);

	/* Each search's form shows its own choices, also when seen before. */
	for (int i = 0; i < 2; i++) {
		snprintf(qs, sizeof qs, "q=%s&phase=primary", word);
		page_search(qs, &r);
		ck_assert_msg(strstr(r.body, "value=\"primary\" checked>") != NULL,
			      "?%s: primary is not checked", qs);
		ck_assert_msg(strstr(r.body, "value=\"secondary\" checked>") == NULL,
			      "?%s: secondary is checked", qs);
		ck_assert_msg(strstr(r.body, "No jobs match your search and filters") != NULL,
			      "?%s: the job is found", qs);
		it_resp_free(&r);
		snprintf(qs, sizeof qs, "q=%s&phase=secondary&sort=newest", word);
		page_search(qs, &r);
		ck_assert_msg(strstr(r.body, "value=\"secondary\" checked>") != NULL,
			      "?%s: secondary is not checked", qs);
		ck_assert_msg(strstr(r.body, "value=\"primary\" checked>") == NULL,
			      "?%s: primary is checked", qs);
		ck_assert_msg(strstr(r.body, "<input type=\"hidden\" name=\"sort\" value=\"newest\">")
			      != NULL, "?%s: the form does not keep the sort", qs);
		ck_assert_msg(strstr(r.body, "Head of Humanities") != NULL, "?%s: the job is not found",
			      qs);
		it_resp_free(&r);
	}
	close_word(word);
}
END_TEST

/* The count of `value` in facet `param` of an API answer (the flags' counts are numbers);
 * 0 when the value is left out. Fails the test when the answer has no facets. */
static long long facet_count(const json_t *doc, const char *param, const char *value)
{
	const json_t *facets = json_object_get(doc, "facets"), *f;

	ck_assert_msg(json_is_object(facets), "the answer has no facets");
	f = json_object_get(facets, param);
	ck_assert_msg(f != NULL, "the facets have no %s", param);
	if (json_is_integer(f))
		return json_integer_value(f);
	return json_integer_value(json_object_get(f, value));
}

/* The API's answer to ?qs (status 200) as JSON. */
static json_t *api_doc(const char *qs)
{
	char path[256];
	struct it_resp r;
	json_t *doc;

	snprintf(path, sizeof path, "/api/v1/vacancies?%s", qs);
	it_get(path, &r);
	it_expect_status(&r, 200, path);
	doc = it_json(&r);
	it_resp_free(&r);
	return doc;
}

/* Fails the test unless the page of ?qs has each of the NULL-ended texts. */
static void page_has(const char *qs, ...)
{
	struct it_resp r;
	const char *want;
	va_list ap;

	page_search(qs, &r);
	it_expect_status(&r, 200, qs);
	va_start(ap, qs);
	while ((want = va_arg(ap, const char *)) != NULL)
		ck_assert_msg(strstr(r.body, want) != NULL, "?%s: the page does not have %s", qs,
			      want);
	va_end(ap);
	it_resp_free(&r);
}

/* Waits until the API's answer to ?qs says its total is exact (or not, `exact`): the portal
 * counts the live vacancies once every VACANCY_SEARCH_LIVE_TTL_S seconds. Fails the test when
 * it does not within that and two seconds more. */
static void wait_total_exact(const char *qs, bool exact)
{
	char path[256];
	struct it_resp r;
	bool seen = false;

	snprintf(path, sizeof path, "/api/v1/vacancies?%s", qs);
	for (int i = 0; i < (VACANCY_SEARCH_LIVE_TTL_S + 2) * 10 && !seen; i++) {
		if (i > 0)
			usleep(100 * 1000);
		it_get(path, &r);
		it_expect_status(&r, 200, path);
		seen = strstr(r.body, exact ? "\"total_exact\":true" : "\"total_exact\":false") !=
		       NULL;
		it_resp_free(&r);
	}
	ck_assert_msg(seen, "%s: total_exact is not %s after %d s", path, exact ? "true" : "false",
		      VACANCY_SEARCH_LIVE_TTL_S + 2);
}

/* With more than VACANCY_SEARCH_FEW_LIVE live vacancies a search reads its page and one more
 * match: the total is "more than" the matches up to the end of the page until the last page,
 * where it is exact; pages stay in order and disjoint; a page beyond the last is still a 400
 * that says how many pages there are. With few live vacancies again, totals are exact again. */
START_TEST(many_live_vacancies_counted_to_the_page)
{
	char word[IT_WORD_LEN], other[IT_WORD_LEN], qs[128], sql[256];
	long urn = school_where("phase = 'primary'");
	struct ids want, seen = { 0 };
	struct result res;
	struct it_resp r;
	long live;

	it_unique_word(word);
	it_unique_word(other);
	live = it_psql_long("SELECT count(*) FROM vacancies WHERE status = 'published' AND "
			    "closes_at > now()");
	many_add(urn, word, other, 1001 - live);
	ck_assert_int_gt(it_psql_long("SELECT count(*) FROM vacancies WHERE status = 'published' "
				      "AND closes_at > now()"), 1000);
	/* Every tenth (about 100) matches other: exact with few live, a lower bound with many. */
	snprintf(qs, sizeof qs, "q=%s", other);
	wait_total_exact(qs, false);

	/* q=word matches them all: 20 and more on each page. */
	for (long p = 1; p <= 3; p++) {
		snprintf(qs, sizeof qs, "q=%s&page=%ld", word, p);
		ck_assert_int_eq(api_search(qs, &res), 200);
		ck_assert_msg(res.ids.n == 20 && res.total == p * 20 && res.pages == p + 1,
			      "?%s: %zu items, total %lld, pages %lld; want 20, more than %ld, %ld",
			      qs, res.ids.n, res.total, res.pages, p * 20, p + 1);
		for (size_t i = 0; i < res.ids.n; i++) {
			ck_assert_msg(pos_of(&seen, res.ids.v[i]) < 0, "?%s: vacancy %lld was on an "
				      "earlier page too", qs, res.ids.v[i]);
			seen.v[seen.n++] = res.ids.v[i];
		}
	}
	snprintf(sql, sizeof sql, "SELECT id FROM vacancies WHERE status = 'published' AND "
		 "description LIKE '%s%%' ORDER BY closes_at, id LIMIT 60", word);
	sql_ids(sql, &want);
	expect_order(&seen, want.v, want.n, "three pages of many");
	{
		char url[128];

		snprintf(url, sizeof url, "/api/v1/vacancies?q=%s", word);
		it_get(url, &r);
		it_expect_status(&r, 200, url);
		ck_assert_msg(strstr(r.body, "\"total_exact\":false") != NULL,
			      "%s: total_exact is not false", url);
		ck_assert_msg(strstr(r.body, "\"facets\"") == NULL, "%s: facets with many live",
			      url);
		it_resp_free(&r);
	}
	snprintf(qs, sizeof qs, "q=%s", word);
	page_search(qs, &r);
	it_expect_status(&r, 200, "the page of many");
	ck_assert_msg(strstr(r.body, "More than 20 jobs found") != NULL,
		      "the page of many does not say More than 20 jobs found");
	it_resp_free(&r);
	/* Without counts each search's form is kept: it shows its own choices when seen again. */
	for (int i = 0; i < 2; i++) {
		snprintf(qs, sizeof qs, "q=%s&role=teacher", word);
		page_has(qs, "value=\"teacher\" checked>", "for=\"role-teacher\">Teacher</label>",
			 (char *)NULL);
		snprintf(qs, sizeof qs, "q=%s&role=senco&sort=newest", word);
		page_has(qs, "value=\"senco\" checked>", "value=\"teacher\">",
			 "name=\"sort\" value=\"newest\"", (char *)NULL);
	}

	/* q=other matches every tenth: its last page says the exact total. */
	snprintf(qs, sizeof qs, "q=%s&page=5", other);
	ck_assert_int_eq(api_search(qs, &res), 200);
	want.n = 0;
	snprintf(sql, sizeof sql, "SELECT id FROM vacancies WHERE status = 'published' AND "
		 "description LIKE '%% %s' ORDER BY closes_at, id OFFSET 80", other);
	sql_ids(sql, &want);
	expect_order(&res.ids, want.v, want.n, "the last page of a rarer word");
	ck_assert_msg(res.total == 80 + (long long)want.n && res.pages == 5,
		      "?%s: total %lld pages %lld, want %zu and 5", qs, res.total, res.pages,
		      80 + want.n);
	snprintf(qs, sizeof qs, "q=%s&page=7", other);
	page_search(qs, &r);
	it_expect_status(&r, 400, "a page beyond the last of many");
	ck_assert_msg(strstr(r.body, "5 pages") != NULL, "the 400 page does not say 5 pages");
	{
		char want[160];

		snprintf(want, sizeof want, "href=\"/vacancies?q=%s&amp;page=5\">Go to page 5, "
			 "the last page of this search</a>", other);
		ck_assert_msg(strstr(r.body, want) != NULL, "the 400 page has no link to page 5");
	}
	it_resp_free(&r);

	/* Few live vacancies again: exact totals (25 counted on the first page). */
	close_word(word);
	snprintf(qs, sizeof qs, "q=%s", other);
	ck_assert_int_eq(api_search(qs, &res), 200);
	ck_assert_msg(res.total == 0 && res.ids.n == 0, "closed vacancies found");
	it_unique_word(word);
	many_add(urn, word, other, 25);
	snprintf(qs, sizeof qs, "q=%s", word);
	wait_total_exact(qs, true);
	ck_assert_int_eq(api_search(qs, &res), 200);
	ck_assert_msg(res.total == 25 && res.pages == 2, "?%s: total %lld pages %lld, want 25 and 2",
		      qs, res.total, res.pages);
	close_word(word);
}
END_TEST

/* While few vacancies are live, each filter value counts the jobs the search would find with
 * that value alone in its parameter: the live matches of the keywords and of every other
 * filter that have the value (drafts, scheduled and closed jobs never counted). The API
 * answers them as facets, the page's form shows them beside each choice, fresh after a change
 * (a form with counts is not kept). */
START_TEST(filter_counts)
{
	char word[IT_WORD_LEN], qs[160], where[200], sec_s[24], pri_s[24];
	long sec = school_where("phase = 'secondary' AND town IS NOT NULL"), pri;
	char *sec_town, *pri_town;
	json_t *doc;

	snprintf(where, sizeof where, "phase = 'primary' AND town IS NOT NULL AND town <> (SELECT "
		 "town FROM schools WHERE urn = %ld)", sec);
	pri = school_where(where);
	snprintf(sec_s, sizeof sec_s, "%ld", sec);
	snprintf(pri_s, sizeof pri_s, "%ld", pri);
	snprintf(where, sizeof where, "SELECT town FROM schools WHERE urn = %ld", sec);
	sec_town = it_psql(where);
	snprintf(where, sizeof where, "SELECT town FROM schools WHERE urn = %ld", pri);
	pri_town = it_psql(where);
	it_unique_word(word);
	snprintf(qs, sizeof qs, "q=%s", word);
	wait_total_exact(qs, true);   /* few live vacancies: counted */

	it_vacancy_add(sec, "published", "description", word, "job_roles", "{teacher}", "phases",
		       "{secondary}", "key_stages", "{ks3,ks4}", "subjects", "{mathematics}",
		       "contract_type", "permanent", "working_patterns", "{full_time}",
		       "ect_suitable", "true", (char *)NULL);
	it_vacancy_add(sec, "published", "description", word, "job_roles", "{head_of_department}",
		       "phases", "{secondary}", "subjects", "{mathematics,physics}",
		       "contract_type", "fixed_term", "fixed_term_length", "One year",
		       "working_patterns", "{part_time}", "hours_per_week", "20",
		       "key_worker_eligible", "true", "visa_sponsorship", "true", (char *)NULL);
	it_vacancy_add(pri, "published", "description", word, "job_roles", "{teacher}", "phases",
		       "{primary}", "working_patterns", "{full_time,job_share}", "ect_suitable",
		       "true", "key_worker_eligible", "true", (char *)NULL);
	it_vacancy_add(sec, "draft", "description", word, "job_roles", "{teacher}", (char *)NULL);
	it_vacancy_add(sec, "scheduled", "description", word, "job_roles", "{teacher}",
		       (char *)NULL);
	it_vacancy_add(sec, "closed", "description", word, "job_roles", "{teacher}", (char *)NULL);

	/* No filter: every live match counted once per value it has. */
	doc = api_doc(qs);
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "total")), 3);
	ck_assert_int_eq(facet_count(doc, "role", "teacher"), 2);
	ck_assert_int_eq(facet_count(doc, "role", "head_of_department"), 1);
	ck_assert_int_eq(facet_count(doc, "role", "senco"), 0);
	ck_assert_int_eq(facet_count(doc, "phase", "secondary"), 2);
	ck_assert_int_eq(facet_count(doc, "phase", "primary"), 1);
	ck_assert_int_eq(facet_count(doc, "key_stage", "ks3"), 1);
	ck_assert_int_eq(facet_count(doc, "key_stage", "ks2"), 0);
	ck_assert_int_eq(facet_count(doc, "subject", "mathematics"), 2);
	ck_assert_int_eq(facet_count(doc, "subject", "physics"), 1);
	ck_assert_int_eq(facet_count(doc, "contract", "permanent"), 2);
	ck_assert_int_eq(facet_count(doc, "contract", "fixed_term"), 1);
	ck_assert_int_eq(facet_count(doc, "working_pattern", "full_time"), 2);
	ck_assert_int_eq(facet_count(doc, "working_pattern", "job_share"), 1);
	ck_assert_int_eq(facet_count(doc, "working_pattern", "part_time"), 1);
	ck_assert_int_eq(facet_count(doc, "school", sec_s), 2);
	ck_assert_int_eq(facet_count(doc, "school", pri_s), 1);
	ck_assert_int_eq(facet_count(doc, "town", sec_town), 2);
	ck_assert_int_eq(facet_count(doc, "town", pri_town), 1);
	ck_assert_int_eq(facet_count(doc, "ect_suitable", NULL), 2);
	ck_assert_int_eq(facet_count(doc, "key_worker", NULL), 2);
	ck_assert_int_eq(facet_count(doc, "visa_sponsorship", NULL), 1);
	json_decref(doc);

	/* A role chosen: the roles still count without it (alternatives), the rest with it. */
	snprintf(qs, sizeof qs, "q=%s&role=teacher", word);
	doc = api_doc(qs);
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "total")), 2);
	ck_assert_int_eq(facet_count(doc, "role", "teacher"), 2);
	ck_assert_int_eq(facet_count(doc, "role", "head_of_department"), 1);
	ck_assert_int_eq(facet_count(doc, "phase", "secondary"), 1);
	ck_assert_int_eq(facet_count(doc, "phase", "primary"), 1);
	ck_assert_int_eq(facet_count(doc, "subject", "physics"), 0);
	ck_assert_int_eq(facet_count(doc, "contract", "fixed_term"), 0);
	ck_assert_int_eq(facet_count(doc, "ect_suitable", NULL), 2);
	ck_assert_int_eq(facet_count(doc, "key_worker", NULL), 1);
	ck_assert_int_eq(facet_count(doc, "visa_sponsorship", NULL), 0);
	json_decref(doc);
	page_has(qs, "for=\"role-teacher\">Teacher (2)</label>",
		 "for=\"role-head_of_department\">Head of department (1)</label>",
		 "for=\"role-senco\">SENCo (0)</label>",
		 "for=\"phase-primary\">Primary (1)</label>",
		 "for=\"contract-fixed_term\">Fixed term (0)</label>",
		 "(ECTs) (2)</label>", "housing scheme (1)</label>",
		 "Visa sponsorship available (0)</label>", (char *)NULL);

	/* The visa flag: the other counts narrow to the one job that sponsors. */
	snprintf(qs, sizeof qs, "q=%s&visa_sponsorship=true", word);
	doc = api_doc(qs);
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "total")), 1);
	ck_assert_int_eq(facet_count(doc, "visa_sponsorship", NULL), 1);
	ck_assert_int_eq(facet_count(doc, "role", "head_of_department"), 1);
	ck_assert_int_eq(facet_count(doc, "role", "teacher"), 0);
	ck_assert_int_eq(facet_count(doc, "key_worker", NULL), 1);
	json_decref(doc);
	page_has(qs, "<div class=\"app-job-tags\"><strong class=\"govuk-tag govuk-tag--blue\">Key "
		 "worker housing</strong><strong class=\"govuk-tag govuk-tag--purple\">Visa "
		 "sponsorship</strong></div>", (char *)NULL);

	/* Two parameters and a flag: each counts with the others. */
	snprintf(qs, sizeof qs, "q=%s&role=teacher&phase=primary&key_worker=true", word);
	doc = api_doc(qs);
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "total")), 1);
	ck_assert_int_eq(facet_count(doc, "role", "teacher"), 1);
	ck_assert_int_eq(facet_count(doc, "role", "head_of_department"), 0);
	ck_assert_int_eq(facet_count(doc, "phase", "primary"), 1);
	ck_assert_int_eq(facet_count(doc, "phase", "secondary"), 0);
	ck_assert_int_eq(facet_count(doc, "key_worker", NULL), 1);
	ck_assert_int_eq(facet_count(doc, "ect_suitable", NULL), 1);
	ck_assert_int_eq(facet_count(doc, "school", pri_s), 1);
	ck_assert_int_eq(facet_count(doc, "school", sec_s), 0);
	json_decref(doc);

	/* A new job shows in the counts at once, on the page too. */
	it_vacancy_add(sec, "published", "description", word, "job_roles", "{teacher}", "phases",
		       "{secondary}", (char *)NULL);
	snprintf(qs, sizeof qs, "q=%s&role=teacher", word);
	page_has(qs, "for=\"role-teacher\">Teacher (3)</label>",
		 "for=\"phase-secondary\">Secondary (2)</label>", (char *)NULL);
	free(sec_town);
	free(pri_town);
	close_word(word);
}
END_TEST

/* Fails unless the page of ?qs offers no "Did you mean". */
static void page_suggests_nothing(const char *qs)
{
	struct it_resp r;

	page_search(qs, &r);
	it_expect_status(&r, 200, qs);
	ck_assert_msg(strstr(r.body, "Did you mean") == NULL, "?%s suggests a spelling", qs);
	it_resp_free(&r);
}

START_TEST(did_you_mean)
{
	char word[IT_WORD_LEN], typo[IT_WORD_LEN], far[IT_WORD_LEN], title[64], qs[160],
	     want[256];
	long urn = school_where("phase = 'secondary'");
	size_t k;
	json_t *doc;

	/* A live job whose title has a word of its own; the word mistyped: two letters swapped. */
	it_unique_word(word);
	snprintf(title, sizeof title, "Teacher of %s", word);
	it_vacancy_add(urn, "published", "title", title, "description", word, "job_roles",
		       "{teacher}", "phases", "{secondary}", (char *)NULL);
	memcpy(typo, word, sizeof typo);
	for (k = 2; typo[k + 1] != '\0' && typo[k] == typo[k + 1]; k++)
		;
	typo[k] = word[k + 1];
	typo[k + 1] = word[k];
	ck_assert_msg(strcmp(typo, word) != 0, "no two neighbouring letters differ in %s", word);

	/* Nothing found; the page suggests the word, keeping the filters. */
	snprintf(qs, sizeof qs, "q=%s", typo);
	snprintf(want, sizeof want, "Did you mean <a class=\"govuk-link\" href=\"/vacancies?q=%s\">"
		 "%s</a>?", word, word);
	page_has(qs, "0 jobs found", want, (char *)NULL);
	snprintf(qs, sizeof qs, "q=teacher+of+%s&role=teacher", typo);
	snprintf(want, sizeof want, "href=\"/vacancies?q=teacher%%20of%%20%s&amp;role=teacher\">"
		 "teacher of %s</a>", word, word);
	page_has(qs, want, (char *)NULL);
	/* The API suggests it too, with its own address of the corrected search, which finds the
	 * job. */
	snprintf(qs, sizeof qs, "q=teacher+of+%s&role=teacher", typo);
	doc = api_doc(qs);
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "total")), 0);
	snprintf(want, sizeof want, "teacher of %s", word);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "suggestion"),
							   "q")), want);
	snprintf(want, sizeof want, "/api/v1/vacancies?q=teacher%%20of%%20%s&role=teacher", word);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "suggestion"),
							   "href")), want);
	json_decref(doc);
	snprintf(qs, sizeof qs, "q=%s", word);
	doc = api_doc(qs);
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "total")), 1);
	ck_assert_msg(json_object_get(doc, "suggestion") == NULL, "a suggestion beside results");
	json_decref(doc);
	snprintf(qs, sizeof qs, "q=%s&phase=primary", typo);
	doc = api_doc(qs);
	ck_assert_msg(json_object_get(doc, "suggestion") == NULL,
		      "a suggestion that finds nothing either");
	json_decref(doc);

	/* No suggestion when the corrected search would find nothing either (a filter excludes
	 * the job), for an excluded word, for a word near no other, or when jobs were found. */
	snprintf(qs, sizeof qs, "q=%s&phase=primary", typo);
	page_suggests_nothing(qs);
	snprintf(qs, sizeof qs, "q=teacher+-%s", typo);
	page_suggests_nothing(qs);
	it_unique_word(far);
	snprintf(qs, sizeof qs, "q=%s", far);
	page_suggests_nothing(qs);
	snprintf(qs, sizeof qs, "q=%s", word);
	page_suggests_nothing(qs);

	/* Once the job has closed, its word is no longer suggested. */
	close_word(word);
	snprintf(qs, sizeof qs, "q=%s", typo);
	page_suggests_nothing(qs);
}
END_TEST

/* --- bad parameters and hostile input ------------------------------------------------------ */

START_TEST(bad_parameters_400)
{
	char word[IT_WORD_LEN], longq[256], qs[512], path[600];
	const struct {
		const char *qs;
		const char *needle;  /* what the message must mention (case ignored) */
	} bad[] = {
		{ "role=wizard", "wizard" },
		{ "role=teacher&role=wizard", "wizard" },
		{ "phase=nursery", "nursery" },
		{ "key_stage=ks9", "ks9" },
		{ "subject=alchemy", "alchemy" },
		{ "contract=zero_hours", "zero_hours" },
		{ "working_pattern=nights", "nights" },
		{ "ect_suitable=yes", "ect_suitable" },
		{ "key_worker=1", "key_worker" },
		{ "visa_sponsorship=yes", "visa_sponsorship" },
		{ "visa_sponsorship=true&visa_sponsorship=true", "visa_sponsorship" },
		{ "school=abc", "abc" },
		{ "school=1", "school" },
		{ "town=Atlantis", "Atlantis" },
		{ "sort=bogus", "bogus" },
		{ "sort=relevance", "relevance" },
		{ "page=0", "page" },
		{ "page=abc", "page" },
		{ "page=-1", "page" },
		{ "page=1.5", "page" },
		{ "page=99999999999999999999", "page" },
		{ "q=a&q=b", "q" },
		{ "sort=closing&sort=newest", "sort" },
		{ "q=WORD&page=2", "page" },
		{ "q=LONG", "200" },
	};

	it_unique_word(word);
	memset(longq, 'x', 201);
	longq[201] = '\0';
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct it_resp r;
		json_t *j;
		const char *ct, *detail;
		char *text;

		if (strcmp(bad[i].qs, "q=WORD&page=2") == 0)
			snprintf(qs, sizeof qs, "q=%s&page=2", word);
		else if (strcmp(bad[i].qs, "q=LONG") == 0)
			snprintf(qs, sizeof qs, "q=%s", longq);
		else
			snprintf(qs, sizeof qs, "%s", bad[i].qs);

		snprintf(path, sizeof path, "/vacancies?%s", qs);
		it_get(path, &r);
		it_expect_status(&r, 400, path);
		ct = it_header(&r, "Content-Type");
		ck_assert_msg(ct != NULL && strncmp(ct, "text/html", 9) == 0, "%s: Content-Type %s",
			      path, ct ? ct : "(none)");
		text = it_html_decode(r.body);
		ck_assert_msg(strcasestr(text, bad[i].needle) != NULL,
			      "%s: the 400 page does not say what was wrong (no \"%s\")", path,
			      bad[i].needle);
		ck_assert_msg(strstr(text, "href=\"/vacancies\">Search all jobs</a>") != NULL ||
				      strstr(text, "of this search</a>") != NULL,
			      "%s: the 400 page has no way back to the search", path);
		free(text);
		it_resp_free(&r);

		snprintf(path, sizeof path, "/api/v1/vacancies?%s", qs);
		it_get(path, &r);
		it_expect_status(&r, 400, path);
		ct = it_header(&r, "Content-Type");
		ck_assert_msg(ct != NULL && strncmp(ct, "application/problem+json", 24) == 0,
			      "%s: Content-Type %s, want application/problem+json", path,
			      ct ? ct : "(none)");
		j = it_json(&r);
		ck_assert_msg(json_integer_value(json_object_get(j, "status")) == 400,
			      "%s: the problem's status is not 400", path);
		detail = json_string_value(json_object_get(j, "detail"));
		ck_assert_msg(detail != NULL && strcasestr(detail, bad[i].needle) != NULL,
			      "%s: the problem's detail does not say what was wrong: %s", path,
			      detail ? detail : "(none)");
		json_decref(j);
		it_resp_free(&r);
	}

	/* An empty search is fine: 200, nothing found, an empty state. */
	{
		struct it_resp r;
		struct result res;

		snprintf(qs, sizeof qs, "q=%s", word);
		ck_assert_int_eq(api_search(qs, &res), 200);
		ck_assert_msg(res.total == 0 && res.ids.n == 0 && res.page == 1,
			      "an empty search: total %lld", res.total);
		page_search(qs, &r);
		it_expect_status(&r, 200, "an empty search page");
		ck_assert_msg(strstr(r.body, "0 jobs found") != NULL, "the empty page has no count");
		ck_assert_msg(strstr(r.body, "No jobs match") != NULL ||
			      strstr(r.body, "no jobs") != NULL, "the empty page has no empty state");
		it_resp_free(&r);
	}
}
END_TEST

START_TEST(hostile_input_harmless)
{
	char word[IT_WORD_LEN], qs[512];
	long urn = school_where("phase = 'secondary'");
	long before = it_psql_long("SELECT count(*) FROM vacancies"), st;
	static const char *const sqlish[] = {
		"q=%27+OR+1%3D1+--",
		"q=%27%3B+DROP+TABLE+vacancies%3B+--",
		"q=%5C%27%29%29+OR+%28%28%271%27%3D%271",
		"q=%21%21%21%28%28%28",
		"q=%26%7C%3A*",
		"q=%3C-%3E",
		"q=%22%22%22",
		"q=a%3A*+%26+b",
	};
	static const char *const refused[] = {
		"sort=title%3BDROP+TABLE+vacancies",
		"sort=closes_at+DESC",
		"page=1%3BDROP+TABLE+vacancies",
		"page=1+OR+1%3D1",
		"role=teacher%27+OR+%271%27%3D%271",
		"school=1+OR+1%3D1",
		"town=x%27%29%3B+DROP+TABLE+vacancies%3B+--",
		"subject=mathematics%27--",
	};
	struct it_resp r;
	struct result res;

	it_unique_word(word);
	it_vacancy_add(urn, "published", "description", word, (char *)NULL);
	for (size_t i = 0; i < sizeof sqlish / sizeof sqlish[0]; i++) {
		st = api_search(sqlish[i], &res);
		ck_assert_msg(st == 200 || st == 400, "API ?%s: status %ld", sqlish[i], st);
		page_search(sqlish[i], &r);
		ck_assert_msg(r.status == 200 || r.status == 400, "page ?%s: status %ld", sqlish[i],
			      r.status);
		it_resp_free(&r);
	}
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		st = api_search(refused[i], &res);
		ck_assert_msg(st == 400, "API ?%s: status %ld, want 400", refused[i], st);
		page_search(refused[i], &r);
		it_expect_status(&r, 400, refused[i]);
		it_resp_free(&r);
	}
	/* Keywords with SQL in them find by words, not more. */
	snprintf(qs, sizeof qs, "q=%s+%%27+OR+%%271%%27%%3D%%271", word);
	ck_assert_int_eq(api_search(qs, &res), 200);
	ck_assert_msg(res.total <= before, "?%s: %lld results", qs, res.total);
	ck_assert_msg(it_psql_long("SELECT count(*) FROM vacancies") == before + 1,
		      "the vacancies table changed");
	ck_assert_msg(it_psql_long("SELECT count(*) FROM pg_tables WHERE tablename = "
				   "'vacancies'") == 1, "the vacancies table is gone");

	/* Script in the keywords and in a filter value: escaped wherever it is shown. */
	static const char *const scripts[] = {
		"q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
		"q=%22%3E%3Csvg+onload%3Dalert(1)%3E",
		"q=%27%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E&role=teacher&page=1",
		"role=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
		"town=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
		"sort=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
		"page=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
	};
	for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++) {
		const char *ct;

		page_search(scripts[i], &r);
		ck_assert_msg(r.status == 200 || r.status == 400, "?%s: status %ld", scripts[i],
			      r.status);
		ck_assert_msg(strstr(r.body, "<script>alert") == NULL &&
			      strstr(r.body, "<svg onload") == NULL && strstr(r.body, "<img src=x") == NULL &&
			      strstr(r.body, "\"><svg") == NULL && strstr(r.body, "'><img") == NULL,
			      "?%s: the input is in the page unescaped", scripts[i]);
		if (strncmp(scripts[i], "q=%3Cscript", 11) == 0)
			ck_assert_msg(strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL ||
				      strstr(r.body, "&lt;script&gt;alert(1)&lt;&#x2F;script&gt;") !=
				      NULL || strstr(r.body, "&lt;script&gt;") != NULL,
				      "?%s: the search words are not shown back (escaped)", scripts[i]);
		it_resp_free(&r);
		snprintf(qs, sizeof qs, "/api/v1/vacancies?%s", scripts[i]);
		it_get(qs, &r);
		ct = it_header(&r, "Content-Type");
		ck_assert_msg(ct != NULL && strstr(ct, "json") != NULL, "%s: Content-Type %s", qs,
			      ct ? ct : "(none)");
		ck_assert_msg(r.status == 200 || r.status == 400, "%s: status %ld", qs, r.status);
		json_decref(it_json(&r));
		it_resp_free(&r);
	}
	close_word(word);
}
END_TEST

/* --- the vacancy page ---------------------------------------------------------------------- */

/* The JSON text of the first <script type="application/ld+json"> of html (up to the first
 * "</script" after it, as a browser reads it), malloc'd; NULL when there is none. */
static char *ld_json(const char *html)
{
	const char *p = strstr(html, "application/ld+json"), *s, *e;
	char *out;

	if (p == NULL)
		return NULL;
	s = strchr(p, '>');
	ck_assert_msg(s != NULL, "a broken ld+json script tag");
	s++;
	e = strcasestr(s, "</script");
	ck_assert_msg(e != NULL, "the ld+json script has no end");
	out = strndup(s, (size_t)(e - s));
	ck_assert_ptr_nonnull(out);
	return out;
}

/* True when s starts with an ISO 8601 date (YYYY-MM-DD). */
static bool iso_date(const char *s)
{
	return s != NULL && strlen(s) >= 10 && isdigit((unsigned char)s[0]) &&
	       isdigit((unsigned char)s[3]) && s[4] == '-' && isdigit((unsigned char)s[5]) &&
	       s[7] == '-' && isdigit((unsigned char)s[9]);
}

/* The @type of object o, or "". */
static const char *ld_type(const json_t *o)
{
	const char *t = json_string_value(json_object_get(o, "@type"));

	return t != NULL ? t : "";
}

START_TEST(vacancy_page_json_ld)
{
	static const char *const kinds[] = { "FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY",
					     "INTERN", "VOLUNTEER", "PER_DIEM", "OTHER", NULL };
	static const char evil[] = "Head of </script><script>alert(1)</script> & \"Maths\" "
				   "<!-- x --> \\u2028";
	long urn = school_where("phase = 'secondary' AND postcode IS NOT NULL");
	long long id, evil_id;
	char path[64], *ld, *name, *v;
	json_t *j, *o, *t;
	json_error_t err;
	struct it_resp r;
	size_t i;

	id = it_vacancy_add(urn, "published", "title", "Teacher of Chemistry", "salary_min",
			    "30000", "salary_max", "45000", "working_patterns",
			    "{full_time,part_time}", "description",
			    "Teach **chemistry** to years 7 to 13.", "visa_sponsorship", "true",
			    (char *)NULL);
	snprintf(path, sizeof path, "/vacancies/%lld", id);
	it_get(path, &r);
	it_expect_status(&r, 200, path);
	ld = ld_json(r.body);
	ck_assert_msg(ld != NULL, "%s has no application/ld+json script", path);
	j = json_loads(ld, 0, &err);
	ck_assert_msg(j != NULL, "the JSON-LD does not parse (%s): %.500s", err.text, ld);
	v = json_dumps(j, JSON_COMPACT);
	ck_assert_msg(strstr(json_string_value(json_object_get(j, "@context")) ?
			     json_string_value(json_object_get(j, "@context")) : "",
			     "schema.org") != NULL, "@context is not schema.org: %s", v);
	ck_assert_msg(strcmp(ld_type(j), "JobPosting") == 0, "@type is not JobPosting: %s", v);
	ck_assert_msg(json_is_string(json_object_get(j, "title")) &&
		      strcmp(json_string_value(json_object_get(j, "title")),
			     "Teacher of Chemistry") == 0, "title: %s", v);
	ck_assert_msg(json_is_string(json_object_get(j, "description")) &&
		      strstr(json_string_value(json_object_get(j, "description")), "chemistry") !=
		      NULL, "description: %s", v);
	ck_assert_msg(iso_date(json_string_value(json_object_get(j, "datePosted"))),
		      "datePosted: %s", v);
	ck_assert_msg(iso_date(json_string_value(json_object_get(j, "validThrough"))) &&
		      strchr(json_string_value(json_object_get(j, "validThrough")), 'T') != NULL,
		      "validThrough is not a date and time: %s", v);
	{
		char *want;

		snprintf(path, sizeof path, "%lld", id);
		want = it_psql_params("SELECT to_char(closes_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') "
				      "FROM vacancies WHERE id = $1", 1,
				      (const char *const[]){ path });
		ck_assert_msg(strncmp(json_string_value(json_object_get(j, "validThrough")), want,
				      10) == 0, "validThrough is not the closing date %s: %s", want, v);
		free(want);
	}
	o = json_object_get(j, "employmentType");
	ck_assert_msg(json_is_string(o) || (json_is_array(o) && json_array_size(o) > 0),
		      "employmentType: %s", v);
	if (json_is_string(o))
		o = json_pack("[O]", o);
	else
		json_incref(o);
	json_array_foreach(o, i, t) {
		size_t k;

		for (k = 0; kinds[k] != NULL && strcmp(kinds[k], json_string_value(t) ?
						       json_string_value(t) : "") != 0; k++)
			;
		ck_assert_msg(kinds[k] != NULL, "employmentType %s is not a schema.org value",
			      json_string_value(t) ? json_string_value(t) : "(not a string)");
	}
	json_decref(o);
	o = json_object_get(j, "hiringOrganization");
	snprintf(path, sizeof path, "%ld", urn);
	name = it_psql_params("SELECT name FROM schools WHERE urn = $1::int", 1,
			      (const char *const[]){ path });
	ck_assert_msg(json_is_object(o) && strcmp(ld_type(o), "Organization") == 0 &&
		      json_is_string(json_object_get(o, "name")) &&
		      strcmp(json_string_value(json_object_get(o, "name")), name) == 0,
		      "hiringOrganization is not the school %s: %s", name, v);
	free(name);
	o = json_object_get(j, "jobLocation");
	if (json_is_array(o))
		o = json_array_get(o, 0);
	ck_assert_msg(json_is_object(o) && strcmp(ld_type(o), "Place") == 0 &&
		      json_is_object(json_object_get(o, "address")) &&
		      strcmp(ld_type(json_object_get(o, "address")), "PostalAddress") == 0,
		      "jobLocation is not a Place with a PostalAddress: %s", v);
	ck_assert_msg(json_is_string(json_object_get(json_object_get(o, "address"), "postalCode")),
		      "jobLocation has no postalCode: %s", v);
	o = json_object_get(j, "baseSalary");
	ck_assert_msg(json_is_object(o) && strcmp(ld_type(o), "MonetaryAmount") == 0 &&
		      json_is_string(json_object_get(o, "currency")) &&
		      strcmp(json_string_value(json_object_get(o, "currency")), "GBP") == 0,
		      "baseSalary is not a MonetaryAmount in GBP: %s", v);
	t = json_object_get(o, "value");
	ck_assert_msg(json_is_object(t) && json_number_value(json_object_get(t, "minValue")) ==
		      30000 && json_number_value(json_object_get(t, "maxValue")) == 45000,
		      "baseSalary's value is not 30000 to 45000: %s", v);
	/* One address per job: the page names it as canonical (and for link previews), and a
	 * leading zero is not another address of it. */
	{
		const char *u = json_string_value(json_object_get(j, "url"));
		char want[300];
		struct it_resp z;

		snprintf(want, sizeof want, "<link rel=\"canonical\" href=\"%s\">", u ? u : "?");
		ck_assert_msg(strstr(r.body, want) != NULL, "no %s", want);
		snprintf(want, sizeof want, "<meta property=\"og:url\" content=\"%s\">",
			 u ? u : "?");
		ck_assert_msg(strstr(r.body, want) != NULL, "no %s", want);
		snprintf(path, sizeof path, "/vacancies/0%lld", id);
		it_get(path, &z);
		it_expect_status(&z, 404, path);
		it_resp_free(&z);
	}
	/* A part-time job that says what it pays: that, not the full-time range; what is not
	 * pounds a year (an hourly rate, hours a week): no baseSalary rather than a wrong one. */
	{
		static const char *const actual[][3] = {
			{ "£15,236 to £15,973 a year (pro rata)", "15236", "15973" },
			{ "£21,000.50", "21000", NULL },
			{ "£12.50 an hour", NULL, NULL },
			{ "£18,000 for 32.5 hours a week", NULL, NULL },
		};
		char ids[24];

		snprintf(ids, sizeof ids, "%lld", id);
		for (size_t k = 0; k < sizeof actual / sizeof actual[0]; k++) {
			json_t *jk, *val;
			char *ldk, *got;

			free(it_psql_params("UPDATE vacancies SET actual_salary = $2 WHERE id = $1 "
					    "RETURNING 1", 2, (const char *const[]){ ids,
										   actual[k][0] }));
			snprintf(path, sizeof path, "/vacancies/%lld", id);
			it_resp_free(&r);
			it_get(path, &r);
			ldk = ld_json(r.body);
			jk = ldk != NULL ? json_loads(ldk, 0, &err) : NULL;
			ck_assert_ptr_nonnull(jk);
			val = json_object_get(json_object_get(jk, "baseSalary"), "value");
			got = json_dumps(json_object_get(jk, "baseSalary"),
					 JSON_COMPACT | JSON_ENCODE_ANY);
			if (actual[k][1] == NULL)
				ck_assert_msg(json_object_get(jk, "baseSalary") == NULL,
					      "%s gave baseSalary %s", actual[k][0], got);
			else if (actual[k][2] == NULL)
				ck_assert_msg(json_integer_value(json_object_get(val, "value")) ==
						      atoll(actual[k][1]),
					      "%s gave baseSalary %s", actual[k][0], got);
			else
				ck_assert_msg(json_integer_value(json_object_get(val, "minValue"))
							== atoll(actual[k][1]) &&
					      json_integer_value(json_object_get(val, "maxValue"))
							== atoll(actual[k][2]),
					      "%s gave baseSalary %s", actual[k][0], got);
			free(got);
			free(ldk);
			json_decref(jk);
		}
	}
	o = json_object_get(j, "eligibilityToWorkRequirement");
	ck_assert_msg(json_is_string(o) && strstr(json_string_value(o), "Skilled Worker visa can "
						  "be sponsored") != NULL,
		      "a job that sponsors visas does not say so: %s", v);
	/* The page offers to share the job: its address (JSON-LD's url) percent-encoded in each
	 * link, the title in the email's subject. */
	{
		const char *u = json_string_value(json_object_get(j, "url"));
		char enc[256], want[400];
		size_t n = 0;

		ck_assert_msg(u != NULL, "the JSON-LD has no url: %s", v);
		for (; *u != '\0' && n < sizeof enc - 4; u++)
			n += (size_t)snprintf(enc + n, sizeof enc - n,
					      *u == ':' ? "%%3A" : "%c", *u);
		snprintf(want, sizeof want, "href=\"https://www.linkedin.com/sharing/share-offsite/"
			 "?url=%s\"", enc);
		ck_assert_msg(strstr(r.body, want) != NULL, "no LinkedIn link to share %s", enc);
		snprintf(want, sizeof want,
			 "href=\"https://www.facebook.com/sharer/sharer.php?u=%s\"", enc);
		ck_assert_msg(strstr(r.body, want) != NULL, "no Facebook link to share %s", enc);
		snprintf(want, sizeof want, "href=\"https://x.com/intent/tweet?url=%s&amp;text="
			 "Teacher%%20of%%20Chemistry%%20-%%20", enc);
		ck_assert_msg(strstr(r.body, want) != NULL, "no X link to share %s", enc);
		ck_assert_msg(strstr(r.body, "href=\"mailto:?subject=Teacher%20of%20Chemistry%20-"
				     "%20") != NULL && strstr(r.body, enc) != NULL,
			      "no email link to share it");
	}
	free(v);
	json_decref(j);
	free(ld);
	it_resp_free(&r);

	/* A title that tries to end the script: the JSON still parses and holds it exactly. */
	evil_id = it_vacancy_add(urn, "published", "title", evil, (char *)NULL);
	snprintf(path, sizeof path, "/vacancies/%lld", evil_id);
	it_get(path, &r);
	it_expect_status(&r, 200, path);
	ck_assert_msg(strstr(r.body, "<script>alert(1)") == NULL,
		      "the title broke out into the page: %s", path);
	ld = ld_json(r.body);
	ck_assert_msg(ld != NULL, "%s has no application/ld+json script", path);
	ck_assert_msg(strcasestr(ld, "</script") == NULL && strstr(ld, "<!--") == NULL,
		      "the JSON-LD holds a script end or comment");
	j = json_loads(ld, 0, &err);
	ck_assert_msg(j != NULL, "the JSON-LD of a hostile title does not parse (%s): %.500s",
		      err.text, ld);
	ck_assert_msg(json_is_string(json_object_get(j, "title")) &&
		      strcmp(json_string_value(json_object_get(j, "title")), evil) == 0,
		      "the JSON-LD title is not the title: %s", ld);
	ck_assert_msg(json_object_get(j, "eligibilityToWorkRequirement") == NULL,
		      "a job that does not sponsor visas claims a requirement: %s", ld);
	{
		/* Exactly the scripts the page means to have: the JSON-LD and external ones. */
		const char *p = r.body;
		int scripts = 0;

		while ((p = strcasestr(p, "<script")) != NULL) {
			const char *end = strchr(p, '>');

			ck_assert_msg(end != NULL, "a broken script tag");
			ck_assert_msg(memmem(p, (size_t)(end - p), "src=", 4) != NULL ||
				      memmem(p, (size_t)(end - p), "application/ld+json", 19) != NULL,
				      "an inline script that is not JSON-LD: %.80s", p);
			scripts++;
			p = end;
		}
		ck_assert_msg(scripts >= 1, "no scripts at all");
	}
	json_decref(j);
	free(ld);
	it_resp_free(&r);
	snprintf(path, sizeof path, "%lld", id);
	free(it_psql_params("UPDATE vacancies SET status = 'closed', closed_at = now() WHERE id "
			    "IN ($1::bigint)", 1, (const char *const[]){ path }));
	snprintf(path, sizeof path, "%lld", evil_id);
	free(it_psql_params("UPDATE vacancies SET status = 'closed', closed_at = now() WHERE id "
			    "IN ($1::bigint)", 1, (const char *const[]){ path }));
}
END_TEST

START_TEST(markdown_rendered_safely)
{
	static const char md[] =
		"Teach **science**.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
		"[click me](javascript:alert(3)) and [ours](https://www.thurrock.gov.uk/)\n\n"
		"<a href=\"javascript:alert(4)\">raw link</a>\n\n<iframe src=\"https://evil.example\">"
		"</iframe>";
	long urn = school_where("phase = 'primary'");
	long long id = it_vacancy_add(urn, "published", "description", md, "about_school", md,
				      "school_offers", md, (char *)NULL);
	char path[64];
	struct it_resp r;
	json_t *j;
	const char *html;

	snprintf(path, sizeof path, "/vacancies/%lld", id);
	it_get(path, &r);
	it_expect_status(&r, 200, path);
	ck_assert_msg(strstr(r.body, "<strong>science</strong>") != NULL,
		      "Markdown is not rendered: no <strong>science</strong>");
	ck_assert_msg(strstr(r.body, "<script>alert") == NULL, "raw <script> in the page");
	ck_assert_msg(strstr(r.body, "onerror") == NULL || strstr(r.body, "<img src=x") == NULL,
		      "a raw <img onerror> in the page");
	ck_assert_msg(strcasestr(r.body, "href=\"javascript:") == NULL, "a javascript: link");
	ck_assert_msg(strcasestr(r.body, "<iframe") == NULL, "a raw <iframe> in the page");
	ck_assert_msg(strstr(r.body, "https://www.thurrock.gov.uk/") != NULL,
		      "an ordinary link was dropped");
	it_resp_free(&r);

	snprintf(path, sizeof path, "/api/v1/vacancies/%lld", id);
	it_get(path, &r);
	it_expect_status(&r, 200, path);
	j = it_json(&r);
	html = json_string_value(json_object_get(j, "description_html"));
	ck_assert_msg(html != NULL && strstr(html, "<strong>science</strong>") != NULL &&
		      strstr(html, "<script") == NULL && strcasestr(html, "javascript:") == NULL &&
		      strcasestr(html, "<iframe") == NULL && strstr(html, "<img") == NULL,
		      "the API's description_html is not safe: %s", html ? html : "(none)");
	json_decref(j);
	it_resp_free(&r);
	snprintf(path, sizeof path, "%lld", id);
	free(it_psql_params("UPDATE vacancies SET status = 'closed', closed_at = now() WHERE id = "
			    "$1::bigint", 1, (const char *const[]){ path }));
}
END_TEST

/* --- the API and its OpenAPI document ------------------------------------------------------ */

START_TEST(api_shape)
{
	char word[IT_WORD_LEN], path[128];
	long urn = school_where("phase = 'primary'");
	long long id;
	struct it_resp r;
	json_t *j;
	const char *ct;

	it_unique_word(word);
	id = it_vacancy_add(urn, "published", "description", word, "title", "Year 3 teacher",
			    (char *)NULL);
	snprintf(path, sizeof path, "/api/v1/vacancies?q=%s", word);
	it_get(path, &r);
	it_expect_status(&r, 200, path);
	ct = it_header(&r, "Content-Type");
	ck_assert_msg(ct != NULL && strncmp(ct, "application/json", 16) == 0, "Content-Type %s",
		      ct ? ct : "(none)");
	j = it_json(&r);
	ck_assert_msg(json_is_array(json_object_get(j, "items")) &&
		      json_array_size(json_object_get(j, "items")) == 1 &&
		      json_integer_value(json_object_get(j, "total")) == 1 &&
		      json_integer_value(json_object_get(j, "page")) == 1 &&
		      json_integer_value(json_object_get(j, "per_page")) == 20,
		      "the API's answer is not {items, total, page, per_page: 20}: %.500s", r.body);
	{
		json_t *it = json_array_get(json_object_get(j, "items"), 0);

		ck_assert_msg(json_integer_value(json_object_get(it, "id")) == id &&
			      strcmp(json_string_value(json_object_get(it, "title")),
				     "Year 3 teacher") == 0, "the item: %.500s", r.body);
	}
	json_decref(j);
	it_resp_free(&r);

	snprintf(path, sizeof path, "/api/v1/vacancies/%lld", id);
	it_get(path, &r);
	it_expect_status(&r, 200, path);
	j = it_json(&r);
	ck_assert_msg(json_integer_value(json_object_get(j, "id")) == id &&
		      strcmp(json_string_value(json_object_get(j, "title")), "Year 3 teacher") == 0 &&
		      json_is_string(json_object_get(j, "description")),
		      "the vacancy: %.500s", r.body);
	json_decref(j);
	it_resp_free(&r);

	static const char *const missing[] = { "/api/v1/vacancies/999999999999",
					       "/api/v1/vacancies/abc", "/api/v1/vacancies/0",
					       "/api/v1/vacancies/-1", NULL };
	for (size_t i = 0; missing[i] != NULL; i++) {
		it_get(missing[i], &r);
		it_expect_status(&r, 404, missing[i]);
		ct = it_header(&r, "Content-Type");
		ck_assert_msg(ct != NULL && strncmp(ct, "application/problem+json", 24) == 0,
			      "%s: Content-Type %s", missing[i], ct ? ct : "(none)");
		json_decref(it_json(&r));
		it_resp_free(&r);
	}
	close_word(word);
}
END_TEST

/* A JSON Schema validator for the OpenAPI 3.x subset the document uses: $ref (into the
 * document), type (one or a list; integer is any number without a fraction), nullable
 * (3.0), enum, const, required, properties, additionalProperties, items, minItems,
 * maxItems, minLength, maxLength, minimum, maximum, allOf, anyOf, oneOf, format date and
 * date-time. Messages go into errs, one line each. */
struct validator {
	const json_t *doc;
	struct buf *errs;
	int count;
};

/* Adds a message about the value at path. */
static void v_error(struct validator *v, const char *path, const char *what, const char *more)
{
	if (v->errs != NULL && v->count < 20)
		buf_printf(v->errs, "  at %s: %s%s\n", path[0] ? path : "(root)", what,
			   more ? more : "");
	v->count++;
}

/* The value JSON pointer ref ("#/a/b", ~0 ~1 escapes) points at in doc, or NULL. */
static const json_t *resolve(const json_t *doc, const char *ref)
{
	const json_t *cur = doc;
	char seg[256];
	const char *p;

	if (ref == NULL || strncmp(ref, "#", 1) != 0)
		return NULL;
	p = ref + 1;
	while (*p == '/') {
		size_t n = 0;

		p++;
		while (*p != '\0' && *p != '/' && n + 1 < sizeof seg) {
			if (p[0] == '~' && p[1] == '0') {
				seg[n++] = '~';
				p += 2;
			} else if (p[0] == '~' && p[1] == '1') {
				seg[n++] = '/';
				p += 2;
			} else {
				seg[n++] = *p++;
			}
		}
		seg[n] = '\0';
		if (json_is_object(cur))
			cur = json_object_get(cur, seg);
		else if (json_is_array(cur))
			cur = json_array_get(cur, strtoul(seg, NULL, 10));
		else
			return NULL;
		if (cur == NULL)
			return NULL;
	}
	return *p == '\0' ? cur : NULL;
}

/* True when inst is of JSON Schema type t. */
static bool type_is(const json_t *inst, const char *t)
{
	if (strcmp(t, "object") == 0)
		return json_is_object(inst);
	if (strcmp(t, "array") == 0)
		return json_is_array(inst);
	if (strcmp(t, "string") == 0)
		return json_is_string(inst);
	if (strcmp(t, "boolean") == 0)
		return json_is_boolean(inst);
	if (strcmp(t, "null") == 0)
		return json_is_null(inst);
	if (strcmp(t, "number") == 0)
		return json_is_number(inst);
	if (strcmp(t, "integer") == 0)
		return json_is_integer(inst) ||
		       (json_is_real(inst) && json_real_value(inst) == (double)(long long)json_real_value(inst));
	return false;
}

/* True when s is a date (YYYY-MM-DD), and with time a date-time (...THH:MM:SS[.f](Z|+hh:mm)). */
static bool date_format(const char *s, bool time)
{
	static const char shape[] = "dddd-dd-dd";

	for (size_t i = 0; i < 10; i++)
		if (s[i] == '\0' || (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-'))
			return false;
	if (!time)
		return s[10] == '\0';
	if ((s[10] != 'T' && s[10] != 't') || !isdigit((unsigned char)s[11]) || s[13] != ':' ||
	    s[16] != ':' || !isdigit((unsigned char)s[18]))
		return false;
	s += 19;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'Z' || *s == 'z')
		return s[1] == '\0';
	return (*s == '+' || *s == '-') && isdigit((unsigned char)s[1]) && s[3] == ':' &&
	       s[6] == '\0';
}

static void validate(struct validator *v, const json_t *schema, const json_t *inst,
		     const char *path, int depth);

/* Validates inst against schema quietly: the number of errors. */
static int count_errors(struct validator *v, const json_t *schema, const json_t *inst,
			const char *path, int depth)
{
	struct validator quiet = { v->doc, NULL, 0 };

	validate(&quiet, schema, inst, path, depth);
	return quiet.count;
}

static void validate(struct validator *v, const json_t *schema, const json_t *inst,
		     const char *path, int depth)
{
	const json_t *t, *x;
	const char *key;
	char sub[512];
	size_t i, n;
	json_t *val;

	if (depth > 64) {
		v_error(v, path, "schema nesting too deep ($ref loop?)", NULL);
		return;
	}
	if (json_is_boolean(schema)) {
		if (json_is_false(schema))
			v_error(v, path, "no value is allowed here", NULL);
		return;
	}
	if (!json_is_object(schema)) {
		v_error(v, path, "the schema is not an object", NULL);
		return;
	}
	if ((t = json_object_get(schema, "$ref")) != NULL) {
		const json_t *target = resolve(v->doc, json_string_value(t));

		if (target == NULL)
			v_error(v, path, "unresolved $ref ", json_string_value(t));
		else
			validate(v, target, inst, path, depth + 1);
	}
	if (json_is_null(inst) && json_is_true(json_object_get(schema, "nullable")))
		return;
	if ((t = json_object_get(schema, "type")) != NULL) {
		bool ok = false;

		if (json_is_string(t))
			ok = type_is(inst, json_string_value(t));
		json_array_foreach(t, i, x)
			ok |= json_is_string(x) && type_is(inst, json_string_value(x));
		if (!ok) {
			char *s = json_dumps(t, JSON_ENCODE_ANY | JSON_COMPACT);
			char *got = json_dumps(inst, JSON_ENCODE_ANY | JSON_COMPACT);

			snprintf(sub, sizeof sub, " (value %.60s)", got ? got : "?");
			v_error(v, path, s ? s : "type", sub);
			free(s);
			free(got);
			return;
		}
	}
	if ((t = json_object_get(schema, "enum")) != NULL) {
		bool ok = false;

		json_array_foreach(t, i, x)
			ok |= json_equal((json_t *)x, (json_t *)inst);
		if (!ok) {
			char *got = json_dumps(inst, JSON_ENCODE_ANY | JSON_COMPACT);

			v_error(v, path, "not one of the enum's values: ", got);
			free(got);
		}
	}
	if ((t = json_object_get(schema, "const")) != NULL &&
	    !json_equal((json_t *)t, (json_t *)inst))
		v_error(v, path, "not the const value", NULL);
	if (json_is_object(inst)) {
		json_array_foreach(json_object_get(schema, "required"), i, x)
			if (json_object_get(inst, json_string_value(x)) == NULL)
				v_error(v, path, "missing required property ", json_string_value(x));
		json_object_foreach((json_t *)inst, key, val) {
			const json_t *props = json_object_get(schema, "properties");
			const json_t *p = json_object_get(props, key);
			const json_t *ap = json_object_get(schema, "additionalProperties");

			snprintf(sub, sizeof sub, "%s/%s", path, key);
			if (p != NULL)
				validate(v, p, val, sub, depth + 1);
			else if (json_is_false(ap))
				v_error(v, sub, "a property the schema does not allow", NULL);
			else if (json_is_object(ap))
				validate(v, ap, val, sub, depth + 1);
		}
	}
	if (json_is_array(inst)) {
		n = json_array_size(inst);
		if ((t = json_object_get(schema, "minItems")) && (json_int_t)n < json_integer_value(t))
			v_error(v, path, "fewer items than minItems", NULL);
		if ((t = json_object_get(schema, "maxItems")) && (json_int_t)n > json_integer_value(t))
			v_error(v, path, "more items than maxItems", NULL);
		if ((t = json_object_get(schema, "items")) != NULL)
			json_array_foreach((json_t *)inst, i, val) {
				snprintf(sub, sizeof sub, "%s/%zu", path, i);
				validate(v, t, val, sub, depth + 1);
			}
	}
	if (json_is_string(inst)) {
		const char *s = json_string_value(inst);
		size_t chars = 0;

		for (const char *p = s; *p != '\0'; p++)
			chars += ((unsigned char)*p & 0xC0) != 0x80;
		if ((t = json_object_get(schema, "maxLength")) &&
		    (json_int_t)chars > json_integer_value(t))
			v_error(v, path, "longer than maxLength", NULL);
		if ((t = json_object_get(schema, "minLength")) &&
		    (json_int_t)chars < json_integer_value(t))
			v_error(v, path, "shorter than minLength", NULL);
		if ((t = json_object_get(schema, "format")) != NULL) {
			const char *f = json_string_value(t);

			if (f != NULL && strcmp(f, "date-time") == 0 && !date_format(s, true))
				v_error(v, path, "not a date-time: ", s);
			if (f != NULL && strcmp(f, "date") == 0 && !date_format(s, false))
				v_error(v, path, "not a date: ", s);
		}
	}
	if (json_is_number(inst)) {
		double d = json_number_value(inst);

		if ((t = json_object_get(schema, "minimum")) && d < json_number_value(t))
			v_error(v, path, "below minimum", NULL);
		if ((t = json_object_get(schema, "maximum")) && d > json_number_value(t))
			v_error(v, path, "above maximum", NULL);
	}
	json_array_foreach(json_object_get(schema, "allOf"), i, x)
		validate(v, x, inst, path, depth + 1);
	if ((t = json_object_get(schema, "anyOf")) != NULL) {
		bool ok = false;

		json_array_foreach(t, i, x)
			ok |= count_errors(v, x, inst, path, depth + 1) == 0;
		if (!ok)
			v_error(v, path, "matches none of anyOf", NULL);
	}
	if ((t = json_object_get(schema, "oneOf")) != NULL) {
		int ok = 0;

		json_array_foreach(t, i, x)
			ok += count_errors(v, x, inst, path, depth + 1) == 0;
		if (ok != 1)
			v_error(v, path, "does not match exactly one of oneOf", NULL);
	}
}

/* Collects every "$ref" of node (under path) that does not resolve in doc into errs. */
static void check_refs(const json_t *doc, const json_t *node, const char *path, struct buf *errs,
		       int *bad)
{
	const char *key;
	char sub[512];
	json_t *val;
	size_t i;

	if (json_is_object(node)) {
		json_object_foreach((json_t *)node, key, val) {
			snprintf(sub, sizeof sub, "%s/%s", path, key);
			if (strcmp(key, "$ref") == 0 && resolve(doc, json_string_value(val)) == NULL) {
				buf_printf(errs, "  %s: %s does not resolve\n", sub,
					   json_string_value(val) ? json_string_value(val) : "?");
				(*bad)++;
			}
			check_refs(doc, val, sub, errs, bad);
		}
	} else if (json_is_array(node)) {
		json_array_foreach((json_t *)node, i, val) {
			snprintf(sub, sizeof sub, "%s/%zu", path, i);
			check_refs(doc, val, sub, errs, bad);
		}
	}
}

/* The operation `method` of `path` in the OpenAPI document, failing when there is none. */
static const json_t *operation(const json_t *doc, const char *path, const char *method)
{
	const json_t *op = json_object_get(json_object_get(json_object_get(doc, "paths"), path),
					   method);

	ck_assert_msg(json_is_object(op), "the OpenAPI document has no %s %s", method, path);
	return op;
}

/* Fails unless response r (to the request `what`) matches the response of its status in
 * operation op: its media type is documented and its body validates against the schema. */
static void expect_documented(const json_t *doc, const json_t *op, struct it_resp *r,
			      const char *what)
{
	const json_t *resp, *content, *media, *schema;
	char status[8], type[128];
	const char *ct = it_header(r, "Content-Type");
	struct validator v = { doc, NULL, 0 };
	struct buf errs = { 0 };
	json_t *body;

	snprintf(status, sizeof status, "%ld", r->status);
	resp = json_object_get(json_object_get(op, "responses"), status);
	if (resp == NULL)
		resp = json_object_get(json_object_get(op, "responses"), "default");
	ck_assert_msg(resp != NULL, "%s: status %s is not documented", what, status);
	if (json_object_get(resp, "$ref") != NULL)
		resp = resolve(doc, json_string_value(json_object_get(resp, "$ref")));
	ck_assert_msg(resp != NULL, "%s: the response's $ref does not resolve", what);
	ck_assert_msg(ct != NULL, "%s: no Content-Type", what);
	snprintf(type, sizeof type, "%.*s", (int)strcspn(ct, "; "), ct);
	content = json_object_get(resp, "content");
	media = json_object_get(content, type);
	ck_assert_msg(media != NULL, "%s: the response's media type %s is not documented for "
		      "status %s", what, type, status);
	schema = json_object_get(media, "schema");
	ck_assert_msg(schema != NULL, "%s: no schema for %s %s", what, status, type);
	body = it_json(r);
	v.errs = &errs;
	validate(&v, schema, body, "", 0);
	ck_assert_msg(v.count == 0, "%s: the response does not match the OpenAPI schema "
		      "(%d problems):\n%s", what, v.count, buf_str(&errs));
	json_decref(body);
	buf_free(&errs);
}

START_TEST(openapi_matches_responses)
{
	static const char *const params[] = { "q", "role", "phase", "key_stage", "subject",
					      "contract", "working_pattern", "ect_suitable",
					      "key_worker", "visa_sponsorship", "school", "town",
					      "sort", "page", NULL };
	char word[IT_WORD_LEN], path[256];
	long secondary = school_where("phase = 'secondary' AND trust IS NOT NULL");
	long other = school_where("phase = 'primary' AND town IS NOT NULL");
	long long full, bare;
	struct it_resp r;
	struct buf errs = { 0 };
	const json_t *op, *p;
	json_t *doc;
	const char *ct;
	size_t i;
	int bad = 0;

	it_unique_word(word);
	snprintf(path, sizeof path, "{%ld}", other);
	full = it_vacancy_add(secondary, "published", "description", word, "title",
			      "Teacher of Physics", "job_roles", "{teacher,head_of_department}",
			      "phases", "{secondary,post-16}", "key_stages", "{ks4,ks5}", "subjects",
			      "{physics,science}", "contract_type", "fixed_term", "fixed_term_length",
			      "Two years", "working_patterns", "{part_time,term_time}",
			      "hours_per_week", "22.5", "fte", "0.6", "pay_scale", "ups", "pay_text",
			      "Plus TLR 2b", "salary_min", "38000", "salary_max", "46000",
			      "start_type", "date", "start_date", "=current_date + 60",
			      "ect_suitable", "true", "key_worker_eligible", "true",
			      "visa_sponsorship", "true", "about_school", "We are *friendly*.",
			      "school_offers", "Free parking", "contact_phone", "01375 652652",
			      "+schools", path, (char *)NULL);
	bare = it_vacancy_add(other, "published", "description", word, "contract_type", NULL,
			      "pay_scale", NULL, "start_type", NULL, "working_patterns", "{}",
			      "contact_email", NULL, "published_at", "=now() - interval '3 days'",
			      (char *)NULL);
	snprintf(path, sizeof path, "%lld", full);
	free(it_psql_params("INSERT INTO vacancy_documents (vacancy_id, key, filename, "
			    "content_type, size, data) VALUES ($1::bigint, 'k' || $1 || md5(random()"
			    "::text), 'Job description.pdf', 'application/pdf', 9, "
			    "'\\x255044462d312e340a'::bytea)", 1, (const char *const[]){ path }));

	it_get("/api/v1/openapi.json", &r);
	it_expect_status(&r, 200, "/api/v1/openapi.json");
	ct = it_header(&r, "Content-Type");
	ck_assert_msg(ct != NULL && strstr(ct, "json") != NULL, "the OpenAPI document's "
		      "Content-Type: %s", ct ? ct : "(none)");
	doc = it_json(&r);
	it_resp_free(&r);

	/* A valid OpenAPI 3 document. */
	ck_assert_msg(json_is_string(json_object_get(doc, "openapi")) &&
		      strncmp(json_string_value(json_object_get(doc, "openapi")), "3.", 2) == 0,
		      "openapi is not 3.x");
	ck_assert_msg(json_is_string(json_object_get(json_object_get(doc, "info"), "title")) &&
		      json_is_string(json_object_get(json_object_get(doc, "info"), "version")),
		      "info.title or info.version missing");
	ck_assert_msg(json_is_object(json_object_get(doc, "paths")), "no paths");
	{
		const char *pth;
		json_t *item, *o;
		const char *m;

		json_object_foreach(json_object_get(doc, "paths"), pth, item) {
			ck_assert_msg(pth[0] == '/', "path %s does not start with /", pth);
			json_object_foreach(item, m, o) {
				if (strcmp(m, "parameters") == 0 || strcmp(m, "summary") == 0 ||
				    strcmp(m, "description") == 0)
					continue;
				ck_assert_msg(json_is_object(json_object_get(o, "responses")) &&
					      json_object_size(json_object_get(o, "responses")) > 0,
					      "%s %s has no responses", m, pth);
				json_array_foreach(json_object_get(o, "parameters"), i, p) {
					if (json_object_get(p, "$ref") != NULL)
						continue;
					ck_assert_msg(json_is_string(json_object_get(p, "name")) &&
						      json_is_string(json_object_get(p, "in")),
						      "%s %s: a parameter without name or in", m,
						      pth);
					if (strcmp(json_string_value(json_object_get(p, "in")),
						   "path") == 0)
						ck_assert_msg(json_is_true(json_object_get(p,
							"required")), "%s %s: a path parameter "
							"not required", m, pth);
				}
			}
		}
	}
	check_refs(doc, doc, "#", &errs, &bad);
	ck_assert_msg(bad == 0, "unresolved $refs:\n%s", buf_str(&errs));
	buf_free(&errs);

	/* Its search parameters are the ones the API takes. */
	op = operation(doc, "/api/v1/vacancies", "get");
	for (size_t k = 0; params[k] != NULL; k++) {
		bool found = false;

		json_array_foreach(json_object_get(op, "parameters"), i, p)
			found |= json_is_string(json_object_get(p, "name")) &&
				 strcmp(json_string_value(json_object_get(p, "name")), params[k]) == 0;
		ck_assert_msg(found, "the search parameter %s is not documented", params[k]);
	}
	/* Every documented value of a listed parameter is accepted, and no other. */
	json_array_foreach(json_object_get(op, "parameters"), i, p) {
		const char *name = json_string_value(json_object_get(p, "name"));
		const json_t *schema = json_object_get(p, "schema"), *en, *x;
		size_t k;

		if (json_object_get(schema, "$ref") != NULL)
			schema = resolve(doc, json_string_value(json_object_get(schema, "$ref")));
		en = json_object_get(json_object_get(schema, "items"), "enum");
		if (en == NULL)
			en = json_object_get(schema, "enum");
		if (en == NULL || name == NULL)
			continue;
		json_array_foreach(en, k, x) {
			struct result res;
			long st;

			if (!json_is_string(x))
				continue;
			snprintf(path, sizeof path, "q=%s&%s=%s", word, name, json_string_value(x));
			st = api_search(path, &res);
			ck_assert_msg(st == 200, "the documented value %s=%s is refused (%ld)", name,
				      json_string_value(x), st);
		}
		{
			struct result res;

			snprintf(path, sizeof path, "%s=not-a-documented-value", name);
			ck_assert_msg(api_search(path, &res) == 400,
				      "an undocumented value of %s is accepted", name);
		}
	}

	/* Real answers match their schemas. */
	snprintf(path, sizeof path, "/api/v1/vacancies?q=%s", word);
	it_get(path, &r);
	it_expect_status(&r, 200, path);
	expect_documented(doc, op, &r, path);
	it_resp_free(&r);
	static const char *const searches[] = { "/api/v1/vacancies", "/api/v1/vacancies?page=2",
						"/api/v1/vacancies?sort=newest&role=teacher",
						"/api/v1/vacancies?q=phsyics", NULL };
	for (i = 0; searches[i] != NULL; i++) {
		it_get(searches[i], &r);
		if (r.status == 200 || r.status == 400)
			expect_documented(doc, op, &r, searches[i]);
		else
			it_expect_status(&r, 200, searches[i]);
		/* A mistyped word: the answer with its suggestion is documented too. */
		ck_assert_msg(strstr(searches[i], "phsyics") == NULL ||
			      strstr(r.body, "\"suggestion\":{\"q\":\"physics\"") != NULL,
			      "%s: no suggestion in %.500s", searches[i], r.body);
		it_resp_free(&r);
	}
	static const char *const problems[] = { "/api/v1/vacancies?role=wizard",
						"/api/v1/vacancies?page=0",
						"/api/v1/vacancies?sort=relevance", NULL };
	for (i = 0; problems[i] != NULL; i++) {
		it_get(problems[i], &r);
		it_expect_status(&r, 400, problems[i]);
		expect_documented(doc, op, &r, problems[i]);
		it_resp_free(&r);
	}

	op = operation(doc, "/api/v1/vacancies/{id}", "get");
	const long long ids[] = { full, bare };
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "/api/v1/vacancies/%lld", ids[i]);
		it_get(path, &r);
		it_expect_status(&r, 200, path);
		expect_documented(doc, op, &r, path);
		it_resp_free(&r);
	}
	it_get("/api/v1/vacancies/999999999999", &r);
	it_expect_status(&r, 404, "an unknown vacancy");
	expect_documented(doc, op, &r, "/api/v1/vacancies/999999999999");
	it_resp_free(&r);

	op = operation(doc, "/api/v1/schools", "get");
	static const char *const schools[] = { "/api/v1/schools", "/api/v1/schools?phase=primary",
					       "/api/v1/schools?town=Grays", NULL };
	for (i = 0; schools[i] != NULL; i++) {
		it_get(schools[i], &r);
		it_expect_status(&r, 200, schools[i]);
		expect_documented(doc, op, &r, schools[i]);
		it_resp_free(&r);
	}
	it_get("/api/v1/schools?phase=wizardry", &r);
	ck_assert_msg(r.status == 400, "/api/v1/schools?phase=wizardry: status %ld", r.status);
	expect_documented(doc, op, &r, "/api/v1/schools?phase=wizardry");
	it_resp_free(&r);

	/* The validator itself: a wrong answer is caught. */
	{
		const json_t *schema = resolve(doc, "#/components/schemas/VacancyList");
		struct validator v = { doc, NULL, 0 };
		json_t *wrong = json_pack("{s:[{s:s}], s:s, s:i}", "items", "id", "seven", "total",
					  "many", "page", 1);

		ck_assert_msg(schema != NULL, "no components/schemas/VacancyList");
		validate(&v, schema, wrong, "", 0);
		ck_assert_msg(v.count > 0, "the validator accepts a wrong answer");
		json_decref(wrong);
	}
	close_word(word);
	json_decref(doc);
}
END_TEST

START_TEST(cors_on_public_api_only)
{
	static const char *const origin[] = { "Origin: https://jobs.example.com", NULL };
	static const char *const api[] = { "/api/v1/vacancies", "/api/v1/vacancies?role=teacher",
					   "/api/v1/openapi.json", "/api/v1/vacancies?role=wizard",
					   NULL };
	static const char *const pages[] = { "/vacancies", "/vacancies?role=teacher", "/",
					     "/schools", "/account/login", "/school",
					     "/vacancies.atom", NULL };
	long long id = it_vacancy_add(school_where("phase = 'primary'"), "published", (char *)NULL);
	char path[64], email[128];
	struct it_resp r;
	struct it_client staff = { 0 };
	const char *h;
	long long uid;

	for (size_t i = 0; api[i] != NULL; i++) {
		it_request("GET", api[i], NULL, NULL, 0, origin, &r);
		h = it_header(&r, "Access-Control-Allow-Origin");
		ck_assert_msg(h != NULL && strcmp(h, "*") == 0, "%s: Access-Control-Allow-Origin "
			      "%s, want *", api[i], h ? h : "(none)");
		ck_assert_msg(it_header(&r, "Access-Control-Allow-Credentials") == NULL,
			      "%s allows credentials", api[i]);
		it_resp_free(&r);
	}
	snprintf(path, sizeof path, "/api/v1/vacancies/%lld", id);
	it_request("GET", path, NULL, NULL, 0, origin, &r);
	h = it_header(&r, "Access-Control-Allow-Origin");
	ck_assert_msg(h != NULL && strcmp(h, "*") == 0, "%s: Access-Control-Allow-Origin %s",
		      path, h ? h : "(none)");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/vacancies/%lld", id);
	it_request("GET", path, NULL, NULL, 0, origin, &r);
	ck_assert_msg(it_header(&r, "Access-Control-Allow-Origin") == NULL,
		      "the HTML page %s allows other origins", path);
	it_resp_free(&r);
	for (size_t i = 0; pages[i] != NULL; i++) {
		it_request("GET", pages[i], NULL, NULL, 0, origin, &r);
		ck_assert_msg(it_header(&r, "Access-Control-Allow-Origin") == NULL,
			      "%s allows other origins", pages[i]);
		it_resp_free(&r);
	}
	/* Signed-in school pages neither. */
	it_unique_email(email, sizeof email, "corsstaff");
	uid = it_user_add(email, "Cory Cors", "school_staff", "Purfleet-rainham-1900", 1);
	it_membership_add(uid, school_where("phase = 'primary'"), "hiring_manager");
	it_login(&staff, email, "Purfleet-rainham-1900");
	it_client_request(&staff, "GET", "/school", NULL, origin, &r);
	it_expect_status(&r, 200, "/school");
	ck_assert_msg(it_header(&r, "Access-Control-Allow-Origin") == NULL,
		      "/school allows other origins");
	it_resp_free(&r);
	/* A preflight for a write is not answered with permission. */
	{
		static const char *const pre[] = { "Origin: https://jobs.example.com",
						   "Access-Control-Request-Method: POST", NULL };

		it_request("OPTIONS", "/school/vacancies/new", NULL, NULL, 0, pre, &r);
		ck_assert_msg(it_header(&r, "Access-Control-Allow-Origin") == NULL &&
			      it_header(&r, "Access-Control-Allow-Methods") == NULL,
			      "a preflight for a school route is allowed");
		it_resp_free(&r);
	}
	snprintf(path, sizeof path, "%lld", id);
	free(it_psql_params("UPDATE vacancies SET status = 'closed', closed_at = now() WHERE id = "
			    "$1::bigint", 1, (const char *const[]){ path }));
	/* The schools API is part of the public API too (its OpenAPI document says so). */
	it_request("GET", "/api/v1/schools", NULL, NULL, 0, origin, &r);
	h = it_header(&r, "Access-Control-Allow-Origin");
	ck_assert_msg(h != NULL && strcmp(h, "*") == 0, "/api/v1/schools: "
		      "Access-Control-Allow-Origin %s, want * (the public API, and the OpenAPI "
		      "document promises it)", h ? h : "(none)");
	it_resp_free(&r);
}
END_TEST

/* --- the Atom feed ------------------------------------------------------------------------- */

/* The text between <tag> (or <tag ...>) and </tag> starting at p and before end; NULL when
 * missing. */
static bool has_element(const char *p, const char *end, const char *tag)
{
	char open[32], open2[32];
	const char *q;

	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(open2, sizeof open2, "<%s ", tag);
	q = memmem(p, (size_t)(end - p), open, strlen(open));
	if (q == NULL)
		q = memmem(p, (size_t)(end - p), open2, strlen(open2));
	return q != NULL;
}

/* Minimal well-formedness: every '<' starts a tag, declaration or comment; tags nest;
 * every '&' starts an entity of XML's five or a character reference. Returns NULL or the
 * problem. */
static const char *xml_check(const char *s, char *msg, size_t len)
{
	char stack[64][64];
	int depth = 0;

	while (*s != '\0') {
		if (*s == '&') {
			static const char *const ents[] = { "&amp;", "&lt;", "&gt;", "&quot;",
							    "&apos;", "&#", NULL };
			size_t k;

			for (k = 0; ents[k] != NULL && strncmp(s, ents[k], strlen(ents[k])) != 0; k++)
				;
			if (ents[k] == NULL) {
				snprintf(msg, len, "a bare & at %.30s", s);
				return msg;
			}
			s++;
		} else if (*s == '<') {
			const char *e = strchr(s, '>');
			size_t n;

			if (e == NULL) {
				snprintf(msg, len, "an unclosed tag at %.30s", s);
				return msg;
			}
			if (s[1] == '?' || s[1] == '!') {
				s = e + 1;
				continue;
			}
			if (s[1] == '/') {
				n = strcspn(s + 2, " >");
				if (depth == 0 || strlen(stack[depth - 1]) != n ||
				    strncmp(stack[depth - 1], s + 2, n) != 0) {
					snprintf(msg, len, "a mismatched end tag at %.30s", s);
					return msg;
				}
				depth--;
			} else if (e[-1] != '/') {
				n = strcspn(s + 1, " />");
				if (depth == 64 || n >= 64) {
					snprintf(msg, len, "too deep");
					return msg;
				}
				memcpy(stack[depth], s + 1, n);
				stack[depth++][n] = '\0';
			}
			for (const char *q = s + 1; q < e; q++)
				if (*q == '<') {
					snprintf(msg, len, "a < inside a tag at %.30s", s);
					return msg;
				}
			s = e + 1;
		} else {
			s++;
		}
	}
	if (depth != 0) {
		snprintf(msg, len, "%d unclosed elements", depth);
		return msg;
	}
	return NULL;
}

START_TEST(atom_feed)
{
	static const char title[] = "Head of <Maths> & \"Stats\" 'n' things";
	char word[IT_WORD_LEN], path[160], msg[160];
	long urn = school_where("phase = 'secondary'");
	long long live, draft, closed, sched;
	const char *ct, *p, *end;
	struct it_resp r;
	int entries = 0;

	it_unique_word(word);
	live = it_vacancy_add(urn, "published", "description", word, "title", title,
			      "published_at", "=now()", "actual_salary",
			      "About \u00a318,000 & more", (char *)NULL);
	draft = it_vacancy_add(urn, "draft", "description", word, "title", "Draft in the feed",
			       (char *)NULL);
	closed = it_vacancy_add(urn, "closed", "description", word, "published_at", "=now()",
				(char *)NULL);
	sched = it_vacancy_add(urn, "scheduled", "description", word, (char *)NULL);

	it_get("/vacancies.atom", &r);
	it_expect_status(&r, 200, "/vacancies.atom");
	ct = it_header(&r, "Content-Type");
	ck_assert_msg(ct != NULL && strncmp(ct, "application/atom+xml", 20) == 0,
		      "the feed's Content-Type: %s", ct ? ct : "(none)");
	ck_assert_msg(strstr(r.body, "<feed") != NULL &&
		      strstr(r.body, "xmlns=\"http://www.w3.org/2005/Atom\"") != NULL,
		      "not an Atom feed");
	ck_assert_msg(xml_check(r.body, msg, sizeof msg) == NULL, "the feed is not well-formed: %s",
		      msg);
	it_expect_xml(&r, "the feed");
	/* The feed has its id, title and updated; each entry id, title, updated and a link. */
	end = strstr(r.body, "<entry");
	ck_assert_msg(end != NULL, "the feed has no entries");
	ck_assert_msg(has_element(r.body, end, "id") && has_element(r.body, end, "title") &&
		      has_element(r.body, end, "updated"), "the feed lacks id, title or updated");
	for (p = strstr(r.body, "<entry"); p != NULL; p = strstr(end, "<entry")) {
		end = strstr(p, "</entry>");
		ck_assert_msg(end != NULL, "an entry is not closed");
		ck_assert_msg(has_element(p, end, "id") && has_element(p, end, "title") &&
			      has_element(p, end, "updated") &&
			      memmem(p, (size_t)(end - p), "<link", 5) != NULL &&
			      memmem(p, (size_t)(end - p), "href=\"", 6) != NULL,
			      "entry %d lacks id, title, updated or link", entries + 1);
		entries++;
	}
	ck_assert_msg(entries <= 50, "%d entries", entries);
	ck_assert_msg(strstr(r.body, "Head of &lt;Maths&gt; &amp; ") != NULL,
		      "the hostile title is not escaped in the feed");
	ck_assert_msg(strstr(r.body, "<Maths>") == NULL, "a raw <Maths> in the feed");
	snprintf(path, sizeof path, "/vacancies/%lld\"", live);
	ck_assert_msg(strstr(r.body, path) != NULL, "the newest live vacancy is not in the feed");
	ck_assert_msg(strstr(r.body, "Actual salary: About \u00a318,000 &amp; more. Closing date: ")
		      != NULL, "the entry's summary does not give the actual salary");
	{
		const long long others[] = { draft, closed, sched };

		for (size_t i = 0; i < 3; i++) {
			snprintf(path, sizeof path, "/vacancies/%lld\"", others[i]);
			ck_assert_msg(strstr(r.body, path) == NULL, "vacancy %lld (not live) is in "
				      "the feed", others[i]);
		}
	}
	ck_assert_msg(strstr(r.body, "Draft in the feed") == NULL, "a draft is in the feed");
	ck_assert_msg(strstr(r.body, ":vacancies</id>") != NULL, "the feed of every job has "
		      "another id");
	it_resp_free(&r);

	/* A search's feed: only its matches, its own id, title and links; the page links to it. */
	{
		char qs[128], want[256];
		long long secondary;

		secondary = it_vacancy_add(urn, "published", "description", word, "title",
					   "Teacher of Physics", "phases", "{secondary}",
					   "published_at", "=now()", (char *)NULL);
		snprintf(path, sizeof path, "/vacancies.atom?q=%s&phase=primary&sort=newest&page=1",
			 word);
		it_get(path, &r);
		it_expect_status(&r, 200, path);
		ck_assert_msg(xml_check(r.body, msg, sizeof msg) == NULL,
			      "the search's feed is not well-formed: %s", msg);
		snprintf(want, sizeof want, "/vacancies/%lld\"", live);
		ck_assert_msg(strstr(r.body, want) != NULL, "the search's feed lacks its match");
		snprintf(want, sizeof want, "/vacancies/%lld\"", secondary);
		ck_assert_msg(strstr(r.body, want) == NULL,
			      "the search's feed has a secondary job");
		entries = 0;
		for (p = strstr(r.body, "<entry"); p != NULL; p = strstr(p + 1, "<entry"))
			entries++;
		ck_assert_int_eq(entries, 1);
		snprintf(qs, sizeof qs, "q=%s&amp;phase=primary", word);
		snprintf(want, sizeof want, ":vacancies?%s</id>", qs);
		ck_assert_msg(strstr(r.body, want) != NULL,
			      "the search's feed has no id of its own");
		snprintf(want, sizeof want, "/vacancies.atom?%s\"", qs);
		ck_assert_msg(strstr(r.body, want) != NULL, "the search's feed has no self link");
		snprintf(want, sizeof want, "/vacancies?%s&amp;sort=newest\"", qs);
		ck_assert_msg(strstr(r.body, want) != NULL, "the search's feed has no page link");
		snprintf(want, sizeof want, "new jobs: Search words: %s; Phase: Primary</title>",
			 word);
		ck_assert_msg(strstr(r.body, want) != NULL, "the search's feed has no title of its "
			      "own");
		it_resp_free(&r);

		snprintf(path, sizeof path, "q=%s&phase=primary", word);
		snprintf(want, sizeof want, "href=\"/vacancies.atom?q=%s&amp;phase=primary\"",
			 word);
		page_has(path, want, (char *)NULL);

		it_get("/vacancies.atom?phase=nursery", &r);
		it_expect_status(&r, 400, "a feed of an unknown phase");
		ck_assert_msg(strstr(r.body, "nursery") != NULL, "the 400 does not name the value");
		it_resp_free(&r);
	}
	close_word(word);
}
END_TEST

static Suite *search_suite(void)
{
	Suite *s = suite_create("search");
	TCase *tc;

	tc = it_tcase("visibility", 60, it_fixture_server);
	tcase_add_test(tc, only_live_vacancies_found);
	suite_add_tcase(s, tc);

	tc = it_tcase("filters", 60, it_fixture_server);
	tcase_add_test(tc, each_filter_and_combinations);
	tcase_add_test(tc, filters_without_keywords_match_database);
	suite_add_tcase(s, tc);

	tc = it_tcase("order", 120, it_fixture_server);
	tcase_add_test(tc, sorting);
	tcase_add_test(tc, paging_stable);
	tcase_add_test(tc, full_text_ranking_and_synonyms);
	tcase_add_test(tc, did_you_mean);
	tcase_add_test(tc, many_live_vacancies_counted_to_the_page);
	tcase_add_test(tc, kept_html_follows_changes);
	tcase_add_test(tc, filter_counts);
	suite_add_tcase(s, tc);

	tc = it_tcase("input", 60, it_fixture_server);
	tcase_add_test(tc, bad_parameters_400);
	tcase_add_test(tc, hostile_input_harmless);
	suite_add_tcase(s, tc);

	tc = it_tcase("page", 60, it_fixture_server);
	tcase_add_test(tc, vacancy_page_json_ld);
	tcase_add_test(tc, markdown_rendered_safely);
	suite_add_tcase(s, tc);

	tc = it_tcase("api", 90, it_fixture_server);
	tcase_add_test(tc, api_shape);
	tcase_add_test(tc, openapi_matches_responses);
	tcase_add_test(tc, cors_on_public_api_only);
	tcase_add_test(tc, atom_feed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(search_suite());
}
