/* school_applications.c - a vacancy's applications for its school's staff:
 *   GET  /school/vacancies/{id}/applications[?status=S][&page=N]  the list: one tab per status
 *        with its count, 50 to a page, oldest submission first; the equal-opportunities totals
 *        counted when the vacancy closed, as much of them as equal_opps_report.h shows
 *   GET  /school/vacancies/{id}/applications.csv                  every applicant as CSV
 *   POST /school/vacancies/{id}/applications/bulk                 shortlist or "not
 *        progressing" for the ticked applications (action=shortlist|reject, application=ID...)
 *
 * Tenancy: school_vacancy_load - another school's vacancy is 404 on every URL, a viewer may
 * read but gets 403 for the bulk action. Drafts are never shown or counted. Only the
 * application's own rows are read, by vacancy id; equal-opportunities answers never (only the
 * vacancy's totals, equal_opps_report.h), and the CSV holds none of them, nor the statement or
 * the declarations.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "application_lifecycle.h"
#include "applications.h"
#include "csv_write.h"
#include "db.h"
#include "db_prepared.h"
#include "equal_opps_report.h"
#include "fields.h"
#include "handlers.h"
#include "log.h"
#include "pagination.h"
#include "school_vacancies.h"

#define LIST_PAGE_SIZE 50
#define LIST_MAX_PAGE 100000L
#define BULK_MAX 200          /* applications in one bulk action */

/* The tabs: "all" (every status but draft), then one per status. */
static const char *const tabs[] = {
	"all", "submitted", "shortlisted", "interviewing", "offered",
	"accepted", "declined", "unsuccessful", "withdrawn",
};

#define NTABS (sizeof tabs / sizeof tabs[0])

/* The bulk actions: the event and what was done ("3 applications shortlisted", "these could
 * not be shortlisted"). */
static const struct bulk_action {
	const char *event;
	const char *done;
} bulk_actions[] = {
	{ "shortlist", "shortlisted" },
	{ "reject", "marked as not progressing" },
};

/* The candidate's name as the school's pages show it. */
#define NAME_SQL                                                                               \
	"CASE WHEN a.anonymised_at IS NOT NULL THEN 'Deleted candidate' ELSE "                 \
	"coalesce(nullif(trim(coalesce(a.data #>> '{personal,first_name}', '') || ' ' || "    \
	"coalesce(a.data #>> '{personal,last_name}', '')), ''), 'Name not given') END"

/* Every statement here is prepared (db_prepared.h): the list's run on every view of it. */

/* Applications per status of vacancy $1 (drafts left out). */
static const struct db_stmt counts_stmt = {
	"school_applications_counts",
	"SELECT status, count(*) FROM applications WHERE vacancy_id = $1::bigint AND "
	"status <> 'draft' GROUP BY status",
	1,
};

/* One page of vacancy $1's applications matching cond: $2 limit, $3 offset. The page's ids
 * come from the index on (vacancy_id, status, submitted_at, id) alone; only the page's rows
 * are read for their names (a name reads the row's JSON data). */
#define LIST_SQL(cond)                                                                         \
	"SELECT a.id, a.status, coalesce(" SQL_DAY("a.submitted_at") ", ''), " NAME_SQL       \
	" FROM (SELECT id "                                                                    \
	"FROM applications WHERE vacancy_id = $1::bigint AND " cond " ORDER BY submitted_at, " \
	"id LIMIT $2::integer OFFSET $3::bigint) p JOIN applications a ON a.id = p.id "        \
	"ORDER BY a.submitted_at, a.id"

/* The "all" tab, and a status's tab ($4 the status): two statements, so that each keeps the
 * plan that suits it when PostgreSQL switches to a generic plan. */
static const struct db_stmt list_all_stmt = {
	"school_applications_all",
	LIST_SQL("status <> 'draft'"),
	3,
};
static const struct db_stmt list_tab_stmt = {
	"school_applications_tab",
	LIST_SQL("status = $4::text"),
	4,
};

/* The export: one row per application, never the statement, declarations or
 * equal-opportunities answers. */
static const struct db_stmt csv_stmt = {
	"school_applications_csv",
	"SELECT a.id, a.status, coalesce(to_char(a.submitted_at AT TIME ZONE 'Europe/London', "
	"'YYYY-MM-DD HH24:MI'), ''), coalesce(a.data #>> '{personal,first_name}', ''), "
	"coalesce(a.data #>> '{personal,last_name}', ''), "
	"coalesce(a.data #>> '{personal,email}', ''), coalesce(a.data #>> '{personal,phone}', ''), "
	"coalesce(a.data #>> '{personal,town}', ''), "
	"CASE a.data #>> '{professional,qts}' WHEN 'yes' THEN 'Yes' WHEN 'no' THEN 'No' "
	"WHEN 'on_track' THEN 'On track, expected ' || coalesce(a.data #>> "
	"'{professional,qts_expected}', '') ELSE '' END, "
	"coalesce(a.data #>> '{professional,trn}', ''), "
	"coalesce((SELECT e->>'employer' FROM jsonb_array_elements(CASE WHEN "
	"jsonb_typeof(a.data->'employment') = 'array' THEN a.data->'employment' ELSE '[]'::jsonb "
	"END) e ORDER BY coalesce(e->'current' = 'true'::jsonb, false) DESC, "
	"coalesce(nullif(e->>'end', ''), '') DESC, e->>'start' DESC LIMIT 1), ''), "
	"coalesce((SELECT string_agg(x->>'name', '; ') FROM jsonb_array_elements(CASE WHEN "
	"jsonb_typeof(a.data->'referees') = 'array' THEN a.data->'referees' ELSE '[]'::jsonb "
	"END) x), '') "
	"FROM applications a WHERE a.vacancy_id = $1::bigint AND a.status <> 'draft' "
	"ORDER BY a.submitted_at, a.id",
	1,
};

static const char *const csv_header[] = {
	"Application ID", "Status", "Submitted", "First name", "Last name", "Email",
	"Phone", "Town", "QTS", "TRN", "Current or latest employer", "Referees",
};

#define NCSV (sizeof csv_header / sizeof csv_header[0])

/* The ticked applications of a bulk action: $1 the vacancy, $2 their ids (an array). */
static const struct db_stmt bulk_stmt = {
	"school_applications_bulk",
	"SELECT a.id, a.status, " NAME_SQL " FROM applications a WHERE "
	"a.vacancy_id = $1::bigint AND a.id = ANY($2::bigint[]) AND "
	"a.status <> 'draft' ORDER BY a.submitted_at, a.id",
	2,
};

/* A list's parameters. */
struct list_query {
	long long vacancy;
	const char *tab;     /* one of tabs */
	long page;           /* from 1 */
};

/* Runs statement s with text parameters; NULL (logged) unless it returns rows. */
static PGresult *rows(PGconn *c, const struct db_stmt *s, const char *const *vals)
{
	PGresult *res = db_prepared_exec(c, s, vals, NULL, NULL, 0);

	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	log_errorf("school_applications", "%s", PQerrorMessage(c));
	PQclear(res);
	return NULL;
}

/* The tab called s (NULL or "": all), or NULL when there is none. */
static const char *tab_find(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0')
		return tabs[0];
	for (i = 0; i < NTABS; i++)
		if (strcmp(tabs[i], s) == 0)
			return tabs[i];
	return NULL;
}

/* A positive page number of at most 6 digits, or 0. */
static long page_number(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > 6 || strspn(s, "0123456789") != n)
		return 0;
	return strtol(s, NULL, 10);
}

/* Appends the list's address for tab and page (defaults left out). */
static void list_url(struct buf *b, long long vacancy, const char *tab, long page)
{
	buf_printf(b, "/school/vacancies/%lld/applications", vacancy);
	if (strcmp(tab, "all") != 0 || page > 1)
		buf_printf(b, "?status=%s", tab);
	if (page > 1)
		buf_printf(b, "&page=%ld", page);
}

/* page_url_fn for the list's pages. */
static void list_page_url(struct buf *b, long page, const void *ctx)
{
	const struct list_query *q = ctx;

	list_url(b, q->vacancy, q->tab, page);
}

/* Sets obj[key] to the list's address. Returns 0 or -1. */
static int set_url(json_t *obj, const char *key, long long vacancy, const char *tab, long page)
{
	struct buf b = { 0 };
	int rc;

	list_url(&b, vacancy, tab, page);
	rc = buf_failed(&b) ? -1 : json_object_set_new(obj, key, json_string(buf_str(&b)));
	buf_free(&b);
	return rc;
}

/* ---- the list --------------------------------------------------------------------------- */

/* Adds the tabs with their counts (from counts) to model, and total (every application) and
 * the current tab's count. Returns the current tab's count, or -1 when out of memory. */
static long long list_tabs(json_t *model, const PGresult *counts, const struct list_query *q,
			   long long *total)
{
	json_t *list = json_array(), *t;
	long long n, current = 0;
	size_t i;
	int k;

	*total = 0;
	for (k = 0; k < PQntuples(counts); k++)
		*total += strtoll(PQgetvalue(counts, k, 1), NULL, 10);
	if (json_object_set_new(model, "tabs", list) != 0)
		return -1;
	for (i = 0; i < NTABS; i++) {
		n = i == 0 ? *total : 0;
		for (k = 0; i > 0 && k < PQntuples(counts); k++)
			if (strcmp(PQgetvalue(counts, k, 0), tabs[i]) == 0)
				n = strtoll(PQgetvalue(counts, k, 1), NULL, 10);
		if (tabs[i] == q->tab)
			current = n;
		t = json_pack("{s:s, s:s, s:I, s:b}", "value", tabs[i], "label",
			      i == 0 ? "All" : application_status_label(tabs[i]), "count",
			      (json_int_t)n, "current", tabs[i] == q->tab);
		if (json_array_append_new(list, t) != 0 ||
		    set_url(t, "href", q->vacancy, tabs[i], 1) != 0)
			return -1;
	}
	return current;
}

/* One application of the list (a row of list_sql). NULL when out of memory. */
static json_t *list_item(const PGresult *res, int i)
{
	char url[64];
	json_t *o;

	snprintf(url, sizeof url, "/school/applications/%s", PQgetvalue(res, i, 0));
	o = json_pack("{s:s, s:s, s:s, s:s}", "id", PQgetvalue(res, i, 0), "submitted",
		      PQgetvalue(res, i, 2), "name", PQgetvalue(res, i, 3), "url", url);
	if (o == NULL || application_status_tag(o, PQgetvalue(res, i, 1)) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Builds the list's model for q into model (closed: the vacancy has closed). Returns 0, or -1
 * (logged) on a database error or when out of memory. */
static int list_load(PGconn *c, struct list_query *q, bool closed, json_t *model)
{
	char id[24], limit[24], offset[24];
	const char *vals[4] = { id, limit, offset, q->tab };
	PGresult *counts = NULL, *list = NULL;
	json_t *items = NULL;
	long long current, total;
	long pages;
	int i, rc = -1;

	snprintf(id, sizeof id, "%lld", q->vacancy);
	counts = rows(c, &counts_stmt, vals);
	if (counts == NULL || (current = list_tabs(model, counts, q, &total)) < 0)
		goto out;
	pages = current > 0 ? (long)((current + LIST_PAGE_SIZE - 1) / LIST_PAGE_SIZE) : 1;
	if (q->page > pages)
		q->page = pages;
	snprintf(limit, sizeof limit, "%d", LIST_PAGE_SIZE);
	snprintf(offset, sizeof offset, "%ld", (q->page - 1) * LIST_PAGE_SIZE);
	list = rows(c, strcmp(q->tab, "all") == 0 ? &list_all_stmt : &list_tab_stmt, vals);
	items = json_array();
	for (i = 0; list != NULL && items != NULL && i < PQntuples(list); i++)
		if (json_array_append_new(items, list_item(list, i)) != 0)
			goto out;
	if (list == NULL || items == NULL ||
	    json_object_set_new(model, "applications", json_incref(items)) != 0 ||
	    json_object_set_new(model, "tab",
				json_pack("{s:s, s:s, s:I}", "value", q->tab, "label",
					  strcmp(q->tab, "all") == 0
						  ? "All"
						  : application_status_label(q->tab),
					  "count", (json_int_t)current)) != 0 ||
	    json_object_set_new(model, "total", json_integer(total)) != 0 ||
	    json_object_set_new(model, "page", json_integer(q->page)) != 0 ||
	    json_object_set_new(model, "pages", json_integer(pages)) != 0 ||
	    json_object_set_new(model, "paged", json_boolean(pages > 1)) != 0 ||
	    (pages > 1 && json_object_set_new(model, "pagination",
					      pagination_model(q->page, pages, list_page_url,
							       q)) != 0) ||
	    json_object_set_new(model, "equal_opps", equal_opps_report(c, id, closed)) != 0)
		goto out;
	rc = 0;
out:
	json_decref(items);
	PQclear(counts);
	PQclear(list);
	return rc;
}

/* Renders the list of vacancy f for q with HTTP status `status`; extra (borrowed, may be
 * NULL) is merged into the model last (an error model, the bulk action's notice). Returns the
 * status sent. */
/* Points the error summary's "select at least one" link at the first checkbox (GOV.UK: a
 * group's error links to its first option), not at the group around the table. */
static int link_first_checkbox(json_t *model)
{
	json_t *first = json_array_get(json_object_get(model, "applications"), 0), *e;
	const char *field;
	char id[48];
	size_t i;

	if (first == NULL)
		return 0;
	snprintf(id, sizeof id, "application-%s", json_string_value(json_object_get(first, "id")));
	json_array_foreach(json_object_get(model, "errors"), i, e) {
		field = json_string_value(json_object_get(e, "field"));
		if (field != NULL && strcmp(field, "application-select") == 0 &&
		    json_object_set_new(e, "field", json_string(id)) != 0)
			return -1;
	}
	return 0;
}

static int list_page(struct req *r, PGconn *c, const struct vacancy_form *f, bool can_manage,
		     struct list_query *q, json_t *extra, int status)
{
	char base[64];
	json_t *model = json_object();
	int rc;

	snprintf(base, sizeof base, "/school/vacancies/%lld", f->id);
	if (model == NULL || list_load(c, q, strcmp(f->status, "closed") == 0, model) != 0) {
		rc = http_send_error(r, 503, NULL);
		goto out;
	}
	if (json_object_set_new(model, "vacancy",
				json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)f->id, "title",
					  f->title[0] != '\0' ? f->title : "Untitled draft",
					  "school_name", f->school_name, "url", base)) != 0 ||
	    json_object_set_new(model, "can_manage", json_boolean(can_manage)) != 0 ||
	    (extra != NULL && json_object_update(model, extra) != 0) ||
	    link_first_checkbox(model) != 0) {
		rc = http_send_error(r, 500, NULL);
		goto out;
	}
	rc = view_render(r, status, "school/applications", model);
out:
	json_decref(model);
	return rc;
}

/* The banner after a bulk action that moved every application (?done=shortlist|reject and
 * count=N), into out; "" when there is none. */
static void done_banner(const struct req *r, char *out, size_t outlen)
{
	const char *done = kv_get(&r->query, "done");
	long n = page_number(kv_get(&r->query, "count"));
	size_t i;

	out[0] = '\0';
	for (i = 0; done != NULL && n > 0 && i < sizeof bulk_actions / sizeof bulk_actions[0]; i++)
		if (strcmp(done, bulk_actions[i].event) == 0)
			snprintf(out, outlen, "%ld application%s %s.", n, n == 1 ? "" : "s",
				 bulk_actions[i].done);
}

/* GET /school/vacancies/{id}/applications[?status=S][&page=N]. */
int school_vacancy_applications(struct req *r)
{
	const char *page = kv_get(&r->query, "page");
	struct list_query q = { 0 };
	struct vacancy_form f;
	char banner[128];
	json_t *extra = NULL;
	bool can_manage = false;
	PGconn *c;
	int status;

	q.tab = tab_find(kv_get(&r->query, "status"));
	q.page = page == NULL || page[0] == '\0' ? 1 : page_number(page);
	if (q.tab == NULL || q.page < 1 || q.page > LIST_MAX_PAGE ||
	    kv_count(&r->query, "status") > 1 || kv_count(&r->query, "page") > 1)
		return http_send_error(r, 400, "Choose a status from the tabs and a page number "
					       "from 1 to 100000.");
	c = req_db(r);
	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = school_vacancy_load(r, c, SCHOOL_VIEWER, &f, &can_manage);
	if (status < 0)
		return -status;
	q.vacancy = f.id;
	done_banner(r, banner, sizeof banner);
	extra = banner[0] != '\0' ? json_pack("{s:s}", "banner", banner) : json_object();
	status = extra != NULL ? list_page(r, c, &f, can_manage, &q, extra, 200)
			       : http_send_error(r, 500, NULL);
	json_decref(extra);
	vacancy_form_free(&f);
	return status;
}

/* ---- the export ------------------------------------------------------------------------- */

/* GET /school/vacancies/{id}/applications.csv: every application but drafts, as a CSV
 * attachment (recorded in the audit log as an export). */
int school_vacancy_applications_csv(struct req *r)
{
	struct vacancy_form f;
	struct buf out = { 0 };
	char id[24], disposition[96];
	const char *vals[1] = { id }, *label;
	PGresult *res = NULL;
	json_t *detail = NULL;
	PGconn *c = req_db(r);
	size_t j;
	int i, status;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = school_vacancy_load(r, c, SCHOOL_VIEWER, &f, NULL);
	if (status < 0)
		return -status;
	snprintf(id, sizeof id, "%lld", f.id);
	res = rows(c, &csv_stmt, vals);
	detail = json_pack("{s:s, s:s, s:i}", "what", "applications", "format", "csv", "rows",
			   res != NULL ? PQntuples(res) : 0);
	if (res == NULL || detail == NULL || audit(c, r, "export", NULL, "vacancy", id, detail)) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	for (j = 0; j < NCSV; j++)
		csv_write_cell(&out, csv_header[j], j + 1 == NCSV);
	for (i = 0; i < PQntuples(res); i++)
		for (j = 0; j < NCSV; j++) {
			label = j == 1 ? application_status_label(PQgetvalue(res, i, 1)) : NULL;
			csv_write_cell(&out, label != NULL ? label : PQgetvalue(res, i, (int)j),
				       j + 1 == NCSV);
		}
	snprintf(disposition, sizeof disposition,
		 "attachment; filename=\"applications-%lld.csv\"", f.id);
	if (buf_failed(&out) || http_add_header(r, "Content-Disposition", disposition) != 0 ||
	    http_add_header(r, "Cache-Control", "no-store") != 0) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	status = http_send(r, 200, "text/csv; charset=utf-8", buf_str(&out), out.len);
out:
	json_decref(detail);
	PQclear(res);
	buf_free(&out);
	vacancy_form_free(&f);
	return status;
}

/* ---- bulk actions ----------------------------------------------------------------------- */

/* Reads the ticked applications (every form field "application"; one ticked twice counts
 * once) as a PostgreSQL array literal into arr. Returns how many, or -1 when one is not an id
 * or there are more than BULK_MAX. */
static int bulk_ids(const struct req *r, struct buf *arr)
{
	long long ids[BULK_MAX], id;
	size_t i;
	int n = 0, k;

	buf_putc(arr, '{');
	for (i = 0; i < r->form.len; i++) {
		if (strcmp(r->form.items[i].name, "application") != 0)
			continue;
		id = http_id_parse(r->form.items[i].value);
		for (k = 0; k < n && ids[k] != id; k++)
			;
		if (id <= 0 || (k == n && n >= BULK_MAX))
			return -1;
		if (k < n)
			continue;
		ids[n] = id;
		buf_printf(arr, "%s%lld", n > 0 ? "," : "", id);
		n++;
	}
	buf_putc(arr, '}');
	return n;
}

/* Applies action a to the ticked applications of vacancy (ids: an array literal) in one
 * transaction, by the request's user. Adds to notice {done, refused: [{name, status_label}],
 * missing} what could not be moved. Returns the number moved, or -1 (rolled back, logged) on
 * a database error. */
static int bulk_apply(struct req *r, PGconn *c, long long vacancy, const char *ids,
		      const struct bulk_action *a, int nids, json_t *notice)
{
	char id[24];
	const char *vals[2] = { id, ids };
	json_t *refused = json_array();
	PGresult *res = NULL;
	int i, rc, moved = 0, missing;

	snprintf(id, sizeof id, "%lld", vacancy);
	if (refused == NULL || db_tx(c, "BEGIN") != 0)
		goto fail;
	res = rows(c, &bulk_stmt, vals);
	if (res == NULL)
		goto fail;
	/* Ids not of this vacancy (or drafts) are missing. */
	missing = nids;
	for (i = 0; i < PQntuples(res); i++) {
		rc = application_transition(c, strtoll(PQgetvalue(res, i, 0), NULL, 10), a->event,
					    r->user->id, NULL, NULL);
		if (rc == AT_DONE) {
			moved++;
		} else if (rc == AT_NOT_ALLOWED) {
			if (json_array_append_new(refused,
						  json_pack("{s:s, s:s}", "name",
							    PQgetvalue(res, i, 2), "status_label",
							    application_status_label(
								    PQgetvalue(res, i, 1)))) != 0)
				goto fail;
		} else if (rc != AT_NOT_FOUND) {
			goto fail;
		}
	}
	missing -= PQntuples(res);
	if (db_tx(c, "COMMIT") != 0)
		goto fail;
	if (json_object_set_new(notice, "refused", refused) != 0 ||
	    json_object_set_new(notice, "missing", json_integer(missing > 0 ? missing : 0)) != 0)
		moved = -1;
	PQclear(res);
	return moved;
fail:
	if (PQtransactionStatus(c) != PQTRANS_IDLE)
		db_tx(c, "ROLLBACK");
	json_decref(refused);
	PQclear(res);
	return -1;
}

/* POST /school/vacancies/{id}/applications/bulk: action=shortlist|reject, application=ID
 * (repeated), and the tab and page to show again (status, page). All that can move do, in one
 * transaction; the rest are listed on the page that answers (303 to the list when none was
 * refused). */
int school_vacancy_applications_bulk(struct req *r)
{
	const char *action = kv_get(&r->form, "action");
	const struct bulk_action *a = NULL;
	struct list_query q = { 0 };
	struct vacancy_form f;
	struct buf ids = { 0 }, loc = { 0 };
	json_t *extra = NULL;
	char banner[160];
	PGconn *c = req_db(r);
	size_t i;
	int n, moved, status;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = school_vacancy_load(r, c, SCHOOL_HIRING_MANAGER, &f, NULL);
	if (status < 0)
		return -status;
	for (i = 0; action != NULL && i < sizeof bulk_actions / sizeof bulk_actions[0]; i++)
		if (strcmp(action, bulk_actions[i].event) == 0)
			a = &bulk_actions[i];
	q.vacancy = f.id;
	q.tab = tab_find(kv_get(&r->form, "status"));
	q.page = page_number(kv_get(&r->form, "page"));
	if (q.tab == NULL)
		q.tab = tabs[0];
	if (q.page < 1)
		q.page = 1;
	n = bulk_ids(r, &ids);
	extra = json_object();
	if (a == NULL || n < 0) {
		status = http_send_error(r, 400, "Choose Shortlist or Not progressing for at most "
						 "200 applications.");
		goto out;
	}
	if (extra == NULL || buf_failed(&ids)) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	if (n == 0) {
		status = form_error(extra, "application-select", "Select at least one application")
				 ? http_send_error(r, 500, NULL)
				 : list_page(r, c, &f, true, &q, extra, 422);
		goto out;
	}
	moved = bulk_apply(r, c, f.id, buf_str(&ids), a, n, extra);
	if (moved < 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if (json_array_size(json_object_get(extra, "refused")) == 0 &&
	    json_integer_value(json_object_get(extra, "missing")) == 0) {
		list_url(&loc, f.id, q.tab, q.page);
		buf_printf(&loc, "%sdone=%s&count=%d", strchr(buf_str(&loc), '?') ? "&" : "?",
			   a->event, moved);
		status = buf_failed(&loc) ? http_send_error(r, 500, NULL)
					  : http_redirect(r, buf_str(&loc));
		goto out;
	}
	snprintf(banner, sizeof banner, "%d application%s %s.", moved, moved == 1 ? "" : "s",
		 a->done);
	if (json_object_set_new(extra, "notice",
				json_pack("{s:s, s:s, s:O, s:b, s:O}", "done", banner, "action",
					  a->done, "refused", json_object_get(extra, "refused"),
					  "has_refused",
					  json_array_size(json_object_get(extra, "refused")) > 0,
					  "missing", json_object_get(extra, "missing"))) != 0) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	status = list_page(r, c, &f, true, &q, extra, 200);
out:
	json_decref(extra);
	buf_free(&ids);
	buf_free(&loc);
	vacancy_form_free(&f);
	return status;
}
