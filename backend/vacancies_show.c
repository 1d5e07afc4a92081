/* vacancies_show.c - one vacancy in public: the page /vacancies/{id} and /api/v1/vacancies/{id}.
 *
 * The page shows live vacancies, and closed ones (or published ones past their closing time,
 * before the periodic job closes them) with a "This job is closed" banner, status 200 and
 * noindex (as Teaching Vacancies does: links to a closed job keep working). Every one links to
 * the live jobs like it and to its school's live jobs; a live one offers links to share it.
 * Drafts and scheduled vacancies do not exist in public (404); their school previews them at
 * /school/vacancies/{id}/preview. A person's reading of a live vacancy's page is counted for
 * its school (vacancy_views.h), once per reader within half an hour. A live vacancy's page
 * offers a candidate to save it (saved_jobs.c), and a visitor to sign in to save it; a
 * candidate who has applied reads what became of the application instead of "Apply". The
 * API answers live vacancies only (404 problem otherwise).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "applications.h"
#include "auth.h"
#include "db.h"
#include "handlers.h"
#include "log.h"
#include "vacancy_search.h"
#include "vacancy_search_links.h"
#include "vacancy_view.h"
#include "vacancy_views.h"

/* The members of the vacancy model the API publishes (the rest is for the school's pages and
 * for templates). */
static const char *const api_keys[] = {
	"id", "url", "title", "status", "status_label", "job_roles", "roles_label", "phases",
	"phases_label", "key_stages", "key_stages_label", "subjects", "subjects_label",
	"contract_type", "contract_label", "fixed_term_length", "working_patterns",
	"working_patterns_label", "hours_per_week", "fte", "working_hours_label", "pay_scale",
	"pay_scale_label", "pay_text", "salary_min", "salary_max", "salary_label", "pay_label",
	"actual_salary", "start_type", "start_date", "start_term", "start_label", "ect_suitable",
	"key_worker_eligible", "visa_sponsorship", "published_at", "published_date_label",
	"closes_at", "closes_at_label", "closes_date_label", "updated_at", "description",
	"description_html", "about_school", "about_school_html", "school_offers",
	"school_offers_html", "school_visits", "school_visits_html", "contact_email",
	"contact_phone", "school", "schools", "documents",
};

/* Loads the vacancy named by the request's {id} segment. Returns the model, or NULL having
 * answered (404 for a malformed or unknown id, 503 when the database fails). */
static json_t *load(struct req *r)
{
	long long id = http_id_parse(r->params[0]);
	json_t *m;
	char err[256];
	int found;
	PGconn *c;

	if (id == 0) {
		http_send_error(r, 404, NULL);
		return NULL;
	}
	c = req_db(r);
	if (c == NULL) {
		http_send_error(r, 503, NULL);
		return NULL;
	}
	m = vacancy_model_load(c, id, &found, err, sizeof err);
	if (m == NULL && err[0] != '\0') {
		log_errorf(__func__, "%s", err);
		http_send_error(r, 503, NULL);
	} else if (m == NULL) {
		http_send_error(r, 404, NULL);
	}
	return m;
}

/* What a candidate's own state for the vacancy is (one query): whether they saved it
 * (saved_jobs.c), and their application, if any: its id, status and day submitted. */
static const char candidate_sql[] =
	"SELECT EXISTS (SELECT 1 FROM saved_vacancies WHERE user_id = $1::bigint AND "
	"vacancy_id = $2::bigint), a.id, a.status, coalesce(" SQL_DAY("a.submitted_at") ", '') "
	"FROM (SELECT 1) one LEFT JOIN applications a ON a.candidate_id = $1::bigint AND "
	"a.vacancy_id = $2::bigint";

/* Adds to m what the page offers the person reading it: on a live vacancy, to save it (for a
 * candidate "save": {"saved": true or false}, for a visitor "save_sign_in", the sign-in page
 * with the way back here); and for a candidate who has applied "application": {url,
 * status_label, is_draft, is_withdrawn, submitted (a day, or "")}, shown instead of "Apply
 * for this job" (one application per job). Staff, HR and admin get neither. Returns 0, or -1
 * (logged). */
static int reader_offers(struct req *r, json_t *m)
{
	long long id = json_integer_value(json_object_get(m, "id"));
	bool live = json_is_true(json_object_get(m, "is_live"));
	char uid[24], vid[24], link[64];
	const char *vals[2] = { uid, vid }, *status;
	PGresult *res = NULL;
	PGconn *c;
	int rc = -1;

	if (r->user == NULL) {
		snprintf(link, sizeof link, "/account/login?next=%%2Fvacancies%%2F%lld", id);
		return live ? json_object_set_new(m, "save_sign_in", json_string(link)) : 0;
	}
	if (r->user->role != ROLE_CANDIDATE)
		return 0;
	c = req_db(r);
	if (c == NULL)
		return -1;
	snprintf(uid, sizeof uid, "%lld", r->user->id);
	snprintf(vid, sizeof vid, "%lld", id);
	res = PQexecParams(c, candidate_sql, 2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	if (live && json_object_set_new(m, "save",
					json_pack("{s:b}", "saved",
						  PQgetvalue(res, 0, 0)[0] == 't')) != 0)
		goto out;
	rc = 0;
	if (PQgetisnull(res, 0, 1))
		goto out;
	status = PQgetvalue(res, 0, 2);
	snprintf(link, sizeof link, "/account/applications/%s", PQgetvalue(res, 0, 1));
	rc = json_object_set_new(m, "application",
				 json_pack("{s:s, s:s, s:b, s:b, s:s}", "url", link, "status_label",
					   application_status_label(status), "is_draft",
					   strcmp(status, "draft") == 0, "is_withdrawn",
					   strcmp(status, "withdrawn") == 0, "submitted",
					   PQgetvalue(res, 0, 3)));
out:
	PQclear(res);
	return rc;
}

/* Adds values' "value" members (the model's [{value, label}]) to filter f. */
static void filter_of(struct vacancy_filter *f, const json_t *values)
{
	const char *v;
	json_t *item;
	size_t i;

	json_array_foreach(values, i, item) {
		v = json_string_value(json_object_get(item, "value"));
		if (v != NULL && f->n < VACANCY_SEARCH_MAX_VALUES)
			f->values[f->n++] = v;
	}
}

/* For a job's page: the addresses of the searches a candidate wants next (and one who came too
 * late, to a closed job) - live jobs like it (its roles and subjects) as "similar_href", and its
 * school's live jobs as "school_jobs_href" - made as the search page makes its own
 * (vacancy_search_url). Returns 0, or -1 when out of memory. */
static int job_searches(json_t *m)
{
	struct vacancy_query like = { .sort = VACANCY_SORT_CLOSING, .page = 1 };
	struct vacancy_query school = { .sort = VACANCY_SORT_CLOSING, .page = 1 };
	struct buf a = { 0 }, b = { 0 };
	char urn[24];
	int rc;

	filter_of(&like.roles, json_object_get(m, "job_roles"));
	filter_of(&like.subjects, json_object_get(m, "subjects"));
	snprintf(urn, sizeof urn, "%lld",
		 (long long)json_integer_value(json_object_get(json_object_get(m, "school"), "urn")));
	school.schools.values[school.schools.n++] = urn;
	vacancy_search_url(&a, &like, NULL, NULL, 1);
	vacancy_search_url(&b, &school, NULL, NULL, 1);
	rc = buf_failed(&a) || buf_failed(&b) ||
	     json_object_set_new(m, "similar_href", json_string(buf_str(&a))) ||
	     json_object_set_new(m, "school_jobs_href", json_string(buf_str(&b)))
		     ? -1
		     : 0;
	buf_free(&a);
	buf_free(&b);
	return rc;
}

/* What a sharing address carries: the job's address, its title and school, or both. */
enum { SHARE_URL, SHARE_TEXT, SHARE_BODY, SHARE_PARTS };

/* The sharing addresses: prefix, the part `first` percent-encoded, then (when `then` is not
 * NULL) `then` and the part `second` encoded. */
static const struct share {
	const char *key, *prefix;
	int first;
	const char *then;
	int second;
} shares[] = {
	{ "email", "mailto:?subject=", SHARE_TEXT, "&body=", SHARE_BODY },
	{ "linkedin", "https://www.linkedin.com/sharing/share-offsite/?url=", SHARE_URL, NULL, 0 },
	{ "facebook", "https://www.facebook.com/sharer/sharer.php?u=", SHARE_URL, NULL, 0 },
	{ "x", "https://x.com/intent/tweet?url=", SHARE_URL, "&text=", SHARE_TEXT },
};

/* For a live job's page: "share", the addresses that share it (shares: by email, on LinkedIn,
 * Facebook and X) - plain links that open the reader's own email program or the site's sharing
 * page; no script of theirs is on the page. Returns 0, or -1 when out of memory. */
static int share_links(json_t *m)
{
	const json_t *posting = json_object_get(m, "school");
	const char *title = json_string_value(json_object_get(m, "title"));
	const char *school = json_string_value(json_object_get(posting, "name"));
	struct buf parts[SHARE_PARTS] = { { 0 } }, link = { 0 };
	json_t *share = json_object();
	bool ok = share != NULL;
	size_t i;

	buf_printf(&parts[SHARE_URL], "%s/vacancies/%lld", app.cfg.base_url,
		   (long long)json_integer_value(json_object_get(m, "id")));
	buf_printf(&parts[SHARE_TEXT], "%s - %s", title != NULL ? title : "",
		   school != NULL ? school : "");
	buf_printf(&parts[SHARE_BODY], "%s\n%s", buf_str(&parts[SHARE_TEXT]),
		   buf_str(&parts[SHARE_URL]));
	for (i = 0; i < SHARE_PARTS; i++)
		ok = ok && !buf_failed(&parts[i]);
	for (i = 0; ok && i < sizeof shares / sizeof shares[0]; i++) {
		buf_reset(&link);
		buf_puts(&link, shares[i].prefix);
		url_encode(&link, buf_str(&parts[shares[i].first]));
		if (shares[i].then != NULL) {
			buf_puts(&link, shares[i].then);
			url_encode(&link, buf_str(&parts[shares[i].second]));
		}
		ok = !buf_failed(&link) &&
		     json_object_set_new(share, shares[i].key, json_string(buf_str(&link))) == 0;
	}
	for (i = 0; i < SHARE_PARTS; i++)
		buf_free(&parts[i]);
	buf_free(&link);
	if (!ok) {
		json_decref(share);
		return -1;
	}
	return json_object_set_new(m, "share", share) == 0 ? 0 : -1;
}

/* Counts a person's reading of live vacancy id, once per reader within VACANCY_VIEWS_REPEAT_S:
 * the signed-in account, else the address and the browser. */
static void view_count(const struct req *r, long long id)
{
	const char *ua = http_header(r, "User-Agent");
	char reader[600];

	if (r->user != NULL)
		snprintf(reader, sizeof reader, "account %lld", r->user->id);
	else
		snprintf(reader, sizeof reader, "address %s browser %.500s",
			 r->address != NULL ? r->address : "", ua != NULL ? ua : "");
	if (!vacancy_views_repeat(id, reader, time(NULL)))
		vacancy_views_add(id, 1);
}

int vacancies_show(struct req *r)
{
	json_t *m = load(r);
	int status;

	if (m == NULL)
		return r->status;
	if (json_is_true(json_object_get(m, "is_draft")) ||
	    json_is_true(json_object_get(m, "is_scheduled"))) {
		status = http_send_error(r, 404, NULL);
		goto out;
	}
	if (reader_offers(r, m) != 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if (vacancy_page_json_ld(m, app.cfg.base_url) != 0 || job_searches(m) != 0 ||
	    (json_is_true(json_object_get(m, "is_live")) && share_links(m) != 0) ||
	    (json_is_true(json_object_get(m, "is_expired")) &&
	     http_add_header(r, "X-Robots-Tag", "noindex") != 0)) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	if (json_is_true(json_object_get(m, "is_live")) &&
	    (r->user == NULL || r->user->role == ROLE_CANDIDATE) &&
	    !vacancy_views_is_robot(http_header(r, "User-Agent")))
		view_count(r, json_integer_value(json_object_get(m, "id")));
	status = view_render(r, 200, "vacancies/show", m);
out:
	json_decref(m);
	return status;
}

int api_vacancies_show(struct req *r)
{
	json_t *m, *out = NULL;
	size_t i;
	int status;

	m = load(r);
	if (m == NULL)
		return r->status;
	if (!json_is_true(json_object_get(m, "is_live"))) {
		status = http_send_error(r, 404, NULL);
		goto done;
	}
	out = json_object();
	for (i = 0; out != NULL && i < sizeof api_keys / sizeof api_keys[0]; i++) {
		if (json_object_set(out, api_keys[i], json_object_get(m, api_keys[i])) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	status = out != NULL ? http_send_json(r, 200, out) : http_send_error(r, 500, NULL);
done:
	json_decref(out);
	json_decref(m);
	return status;
}
