/* school_vacancies.c - the school dashboard (/school) and what the school's vacancy pages
 * share (see school_vacancies.h).
 *
 * The dashboard lists the vacancies of the user's schools (their posting school), one tab per
 * status (live, scheduled, draft, closed, each with its count), 25 to a page, optionally for one
 * of their schools (?school=URN, checked with tenancy_school). Every query is scoped with
 * TENANCY_SQL; HR and admin pass the route's role and see every school.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "handlers.h"
#include "pagination.h"
#include "log.h"
#include "school_vacancies.h"
#include "vacancy_view.h"

#define DASHBOARD_PAGE_SIZE 25
#define DASHBOARD_MAX_PAGE 100000L

/* The message of the 403 page a viewer gets when trying to change a vacancy. */
static const char viewer_message[] =
	"You can view your school's job listings but not change them: only hiring managers can. "
	"Ask a hiring manager at your school, or Thurrock Council's HR team, if you need to.";

/* The dashboard's tabs: ?tab= value, label, the status it shows, and its ORDER BY (the only
 * text ever placed there). The first is the default. */
static const struct tab {
	const char *value;
	const char *label;
	const char *status;
	const char *order;
} tabs[] = {
	{ "live", "Live", "published", "v.closes_at, v.id" },
	{ "scheduled", "Scheduled", "scheduled", "v.publish_at, v.id" },
	{ "draft", "Draft", "draft", "v.updated_at DESC, v.id DESC" },
	{ "closed", "Closed", "closed", "v.closed_at DESC NULLS LAST, v.id DESC" },
};

#define NTABS (sizeof tabs / sizeof tabs[0])

/* Status tags: status value, label (vacancy_statuses) and tag class. */
static const struct {
	const char *status;
	const char *tag;
} tag_classes[] = {
	{ "draft", "govuk-tag--grey" },
	{ "scheduled", "govuk-tag--blue" },
	{ "published", "govuk-tag--green" },
	{ "closed", "govuk-tag--red" },
};

int school_vacancy_status_tag(json_t *obj, const char *status)
{
	const char *label = label_of(&vacancy_statuses, status), *tag = "";
	size_t i;

	for (i = 0; i < sizeof tag_classes / sizeof tag_classes[0]; i++)
		if (strcmp(tag_classes[i].status, status) == 0)
			tag = tag_classes[i].tag;
	return json_object_set_new(obj, "status", json_string(status)) ||
	       json_object_set_new(obj, "status_label", json_string(label ? label : status)) ||
	       json_object_set_new(obj, "status_class", json_string(tag));
}

unsigned school_vacancy_bit(const struct label_list *list, const char *value)
{
	int i = vacancy_label_index(list, value);

	return i >= 0 ? 1u << i : 0;
}

json_t *school_vacancy_options(const struct label_list *list, unsigned mask, const char *field,
			       const char *reveal)
{
	json_t *out = json_array(), *o;
	char id[96];
	size_t i;

	for (i = 0; out != NULL && i < list->len; i++) {
		if (i == 0)
			snprintf(id, sizeof id, "%s", field);
		else
			snprintf(id, sizeof id, "%s-%s", field, list->items[i].value);
		o = json_pack("{s:s, s:s, s:b, s:s, s:b}", "value", list->items[i].value, "label",
			      list->items[i].label, "selected", (mask & (1u << i)) != 0, "id", id,
			      "reveal",
			      reveal != NULL && strcmp(reveal, list->items[i].value) == 0);
		if (json_array_append_new(out, o) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

const char *school_vacancy_message(const json_t *errs, const char *field)
{
	const char *m = json_string_value(json_object_get(json_object_get(errs, "error"), field));

	return m != NULL ? m : "";
}

json_t *school_vacancy_date_group(const char *field, const char *legend, const char *hint,
				  const struct vf_date *d, const json_t *errs)
{
	static const char *const parts[3] = { "day", "month", "year" };
	const char *m = "";
	char id[64];
	size_t i;

	for (i = 0; i < 3 && m[0] == '\0'; i++) {
		snprintf(id, sizeof id, "%s-%s", field, parts[i]);
		m = school_vacancy_message(errs, id);
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "field", field, "legend", legend,
			 "hint", hint, "day", d->day, "month", d->month, "year", d->year,
			 "message", m);
}

json_t *school_vacancy_times(const char *selected)
{
	json_t *out = json_array();
	bool known = false;
	size_t i;

	for (i = 0; out != NULL && i < vacancy_closing_times.len; i++) {
		const struct label *t = &vacancy_closing_times.items[i];

		known |= strcmp(selected, t->value) == 0;
		if (json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", t->value,
							 "label", t->label, "selected",
							 strcmp(selected, t->value) == 0)) != 0)
			goto fail;
	}
	if (out != NULL && !known && selected[0] != '\0' &&
	    json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", selected, "label",
						 selected, "selected", 1)) != 0)
		goto fail;
	return out;
fail:
	json_decref(out);
	return NULL;
}

int school_vacancy_load(struct req *r, PGconn *c, enum school_access need,
			struct vacancy_form *f, bool *can_manage)
{
	long long id = r->nparams > 0 ? http_id_parse(r->params[0]) : 0;
	int found, status;

	if (id <= 0)
		return -http_send_error(r, 404, NULL);
	found = vacancy_form_load(c, id, f);
	if (found <= 0)
		return -http_send_error(r, found < 0 ? 503 : 404, NULL);
	status = tenancy_require(r, c, f->school_urn, need, viewer_message, can_manage);
	if (status < 0)
		vacancy_form_free(f);
	return status;
}

/* ---- the dashboard ---------------------------------------------------------------------- */

/* The dashboard's parameters, as read from the query string. */
struct dashboard_query {
	const struct tab *tab;
	long long school;   /* 0: all the user's schools */
	long page;          /* from 1 */
};

/* A positive number of at most maxlen digits, or 0 for anything else. */
static long long number(const char *s, size_t maxlen)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > maxlen || strspn(s, "0123456789") != n)
		return 0;
	return strtoll(s, NULL, 10);
}

/* Reads ?tab, ?school and ?page. Returns 0, or -1 with *problem set (for the 400 page). */
static int dashboard_query_parse(const struct req *r, struct dashboard_query *dq,
				 const char **problem)
{
	const char *tab = kv_get(&r->query, "tab"), *school = kv_get(&r->query, "school");
	const char *page = kv_get(&r->query, "page");
	size_t i;

	dq->tab = tab == NULL || tab[0] == '\0' ? &tabs[0] : NULL;
	for (i = 0; dq->tab == NULL && i < NTABS; i++)
		if (strcmp(tabs[i].value, tab) == 0)
			dq->tab = &tabs[i];
	dq->school = school == NULL || school[0] == '\0' ? 0 : number(school, 9);
	dq->page = page == NULL || page[0] == '\0' ? 1 : (long)number(page, 6);
	if (kv_count(&r->query, "tab") > 1 || kv_count(&r->query, "school") > 1 ||
	    kv_count(&r->query, "page") > 1)
		*problem = "Give each of tab, school and page at most once.";
	else if (dq->tab == NULL)
		*problem = "There is no such tab. Choose live, scheduled, draft or closed.";
	else if (school != NULL && school[0] != '\0' && dq->school == 0)
		*problem = "Choose a school from the list.";
	else if (dq->page < 1 || dq->page > DASHBOARD_MAX_PAGE)
		*problem = "The page number must be a whole number from 1 to 100000.";
	else
		return 0;
	return -1;
}

/* Appends the dashboard's address for tab t, school and page (defaults left out). */
static void dashboard_url(struct buf *b, const struct tab *t, long long school, long page)
{
	buf_printf(b, "/school?tab=%s", t->value);
	if (school != 0)
		buf_printf(b, "&school=%lld", school);
	if (page > 1)
		buf_printf(b, "&page=%ld", page);
}

/* Sets obj[key] to the dashboard's address (see dashboard_url). Returns 0 or -1. */
static int set_url(json_t *obj, const char *key, const struct tab *t, long long school, long page)
{
	struct buf b = { 0 };
	int rc;

	dashboard_url(&b, t, school, page);
	rc = buf_failed(&b) ? -1 : json_object_set_new(obj, key, json_string(buf_str(&b)));
	buf_free(&b);
	return rc;
}

/* page_url_fn for the dashboard's pages (pagination.h). */
static void dashboard_page_url(struct buf *b, long page, const void *ctx)
{
	const struct dashboard_query *dq = ctx;

	dashboard_url(b, dq->tab, dq->school, page);
}

/* The user's schools (every school for HR and admin), by name: urn, name, and whether they may
 * manage vacancies there. $1 user id, $2 all. */
static const char schools_sql[] =
	"SELECT s.urn, s.name, ($2::boolean OR my.role = 'hiring_manager'), "
	"(my.role = 'hiring_manager' AND s.about = '') FROM schools s "
	"LEFT JOIN school_memberships my ON my.school_urn = s.urn AND my.user_id = $1::bigint "
	"WHERE " TENANCY_SQL("s.urn", "1", "2") " ORDER BY s.name, s.urn";

/* The vacancies of school $3 (NULL: of every school): posted by it or covering it among the
 * schools of its trust. */
#define SCHOOL_FILTER_SQL                                                                      \
	"($3::integer IS NULL OR v.school_urn = $3::integer OR EXISTS (SELECT 1 FROM "         \
	"vacancy_schools f WHERE f.vacancy_id = v.id AND f.school_urn = $3::integer))"

/* The number of vacancies per status: $3 one school or NULL. */
static const char counts_sql[] =
	"SELECT v.status, count(*) FROM vacancies v WHERE " TENANCY_SQL("v.school_urn", "1", "2")
	" AND " SCHOOL_FILTER_SQL " GROUP BY v.status";

/* One page of a tab: $4 status, $5 limit, $6 offset; the ORDER BY is appended. Columns: id,
 * title, status, closing, publish date, last changed, schools covered, may manage, the number
 * of applications (submitted or later: drafts are the candidates' own), whether the post was
 * filled ('' when not told), the views of its page (those the periodic job has stored:
 * vacancy_views.h). */
static const char list_sql[] =
	"SELECT v.id, v.title, v.status, coalesce(" SQL_WHEN(VACANCY_CLOSES_SQL) ", ''), "
	"coalesce(to_char(v.publish_at "
	"AT TIME ZONE 'Europe/London', 'FMDD FMMonth YYYY'), ''), to_char(v.updated_at AT TIME "
	"ZONE 'Europe/London', 'FMDD FMMonth YYYY'), (SELECT string_agg(s.name, ', ' ORDER BY "
	"s.urn = v.school_urn DESC, s.name) FROM vacancy_schools vs JOIN schools s ON s.urn = "
	"vs.school_urn WHERE vs.vacancy_id = v.id), ($2::boolean OR EXISTS (SELECT 1 FROM "
	"school_memberships m WHERE m.user_id = $1::bigint AND m.school_urn = v.school_urn AND "
	"m.role = 'hiring_manager')), (SELECT count(*) FROM applications a WHERE a.vacancy_id = "
	"v.id AND a.status <> 'draft'), coalesce(v.filled::text, ''), (SELECT "
	"coalesce(sum(vw.views), 0) FROM vacancy_views vw WHERE vw.vacancy_id = v.id) FROM "
	"vacancies v WHERE "
	TENANCY_SQL("v.school_urn", "1", "2") " AND " SCHOOL_FILTER_SQL " AND v.status = $4 "
	"ORDER BY ";

/* Runs sql with text parameters; NULL (logged) unless it returns rows. */
static PGresult *rows(PGconn *c, const char *sql, int n, const char *const *vals)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);

	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	log_errorf("school_dashboard", "%s", PQerrorMessage(c));
	PQclear(res);
	return NULL;
}

/* One vacancy of the list (a row of list_sql) as the template shows it. NULL when out of
 * memory. */
static json_t *dashboard_item(const PGresult *res, int i)
{
	const char *title = PQgetvalue(res, i, 1), *status = PQgetvalue(res, i, 2);
	const char *filled = PQgetvalue(res, i, 9);
	bool manage = PQgetvalue(res, i, 7)[0] == 't', closed = strcmp(status, "closed") == 0;
	bool live = strcmp(status, "published") == 0;
	json_t *o = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:i, s:b, s:b, s:s, s:b, s:b, s:s}",
		"id",
		PQgetvalue(res, i, 0), "title", title[0] != '\0' ? title : "Untitled draft", "closes",
		PQgetvalue(res, i, 3), "publishes", PQgetvalue(res, i, 4), "updated",
		PQgetvalue(res, i, 5), "schools", PQgetvalue(res, i, 6), "can_change",
		manage && !closed, "is_draft", strcmp(status, "draft") == 0, "is_scheduled",
		strcmp(status, "scheduled") == 0, "applications", atoi(PQgetvalue(res, i, 8)),
		"one_application", atoi(PQgetvalue(res, i, 8)) == 1, "is_closed", closed,
		"outcome", filled[0] == 't' ? "Post filled" : filled[0] == 'f' ? "Post not filled" : "",
		"ask_outcome", closed && manage && filled[0] == '\0', "has_views", live || closed,
		"views", PQgetvalue(res, i, 10));

	if (o == NULL || school_vacancy_status_tag(o, status) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Adds the tabs (with counts from counts), the current tab's total and pages to model.
 * Returns the number of pages, or -1 when out of memory. */
static long dashboard_tabs(json_t *model, const PGresult *counts, struct dashboard_query *dq)
{
	json_t *list = json_array(), *t;
	long long n, total = 0;
	size_t i;
	int k;

	if (json_object_set_new(model, "tabs", list) != 0)
		return -1;
	for (i = 0; i < NTABS; i++) {
		for (n = 0, k = 0; k < PQntuples(counts); k++)
			if (strcmp(PQgetvalue(counts, k, 0), tabs[i].status) == 0)
				n = strtoll(PQgetvalue(counts, k, 1), NULL, 10);
		if (&tabs[i] == dq->tab)
			total = n;
		t = json_pack("{s:s, s:s, s:I, s:b}", "value", tabs[i].value, "label",
			      tabs[i].label, "count", (json_int_t)n, "current", &tabs[i] == dq->tab);
		if (json_array_append_new(list, t) != 0 || set_url(t, "href", &tabs[i], dq->school, 1))
			return -1;
	}
	if (json_object_set_new(model, "tab", json_pack("{s:s, s:s, s:I}", "value", dq->tab->value,
							"label", dq->tab->label,
							"total", (json_int_t)total)) != 0)
		return -1;
	return total > 0 ? (long)((total + DASHBOARD_PAGE_SIZE - 1) / DASHBOARD_PAGE_SIZE) : 1;
}

/* Adds the school filter (school_options, filterable), has_schools, can_create and the
 * schools the user manages that have no profile yet (no_profile: [{urn, name}]) to model from
 * schools (rows of schools_sql). Returns 0 or -1. */
static int dashboard_schools(json_t *model, const PGresult *schools, long long chosen)
{
	json_t *options = json_array(), *no_profile = json_array();
	bool can_create = false;
	long long urn;
	int i;

	if (json_object_set_new(model, "school_options", options) != 0 ||
	    json_object_set_new(model, "no_profile", no_profile) != 0)
		return -1;
	for (i = 0; i < PQntuples(schools); i++) {
		urn = strtoll(PQgetvalue(schools, i, 0), NULL, 10);
		can_create |= PQgetvalue(schools, i, 2)[0] == 't';
		if (json_array_append_new(options, json_pack("{s:I, s:s, s:b}", "urn",
							     (json_int_t)urn, "name",
							     PQgetvalue(schools, i, 1), "selected",
							     urn == chosen)) != 0)
			return -1;
		if (PQgetvalue(schools, i, 3)[0] == 't' &&
		    json_array_append_new(no_profile, json_pack("{s:I, s:s}", "urn",
							       (json_int_t)urn, "name",
							       PQgetvalue(schools, i, 1))) != 0)
			return -1;
	}
	return json_object_set_new(model, "has_no_profile",
				   json_boolean(json_array_size(no_profile) > 0)) ||
	       json_object_set_new(model, "filterable", json_boolean(PQntuples(schools) > 1)) ||
	       json_object_set_new(model, "filtered", json_boolean(chosen != 0)) ||
	       json_object_set_new(model, "has_schools", json_boolean(PQntuples(schools) > 0)) ||
	       json_object_set_new(model, "can_create", json_boolean(can_create));
}

/* Builds the dashboard model for dq into model. Returns 0, or -1 (logged) on a database
 * error or when out of memory. */
static int dashboard_load(struct req *r, PGconn *c, struct dashboard_query *dq, json_t *model)
{
	char uid[24], school[24], limit[24], offset[24];
	const char *vals[6] = { uid, NULL, dq->school != 0 ? school : NULL, dq->tab->status, limit,
				offset };
	PGresult *schools = NULL, *counts = NULL, *list = NULL;
	struct buf sql = { 0 };
	json_t *items = NULL;
	long pages;
	int i, rc = -1;

	tenancy_params(r, uid, &vals[1]);
	snprintf(school, sizeof school, "%lld", dq->school);
	schools = rows(c, schools_sql, 2, vals);
	counts = schools != NULL ? rows(c, counts_sql, 3, vals) : NULL;
	if (counts == NULL || dashboard_schools(model, schools, dq->school) != 0)
		goto out;
	pages = dashboard_tabs(model, counts, dq);
	if (pages < 0)
		goto out;
	if (dq->page > pages)
		dq->page = pages;
	snprintf(limit, sizeof limit, "%d", DASHBOARD_PAGE_SIZE);
	snprintf(offset, sizeof offset, "%ld", (dq->page - 1) * DASHBOARD_PAGE_SIZE);
	buf_puts(&sql, list_sql);
	buf_puts(&sql, dq->tab->order);
	buf_puts(&sql, " LIMIT $5::integer OFFSET $6::bigint");
	if (buf_failed(&sql) || (list = rows(c, buf_str(&sql), 6, vals)) == NULL)
		goto out;
	items = json_array();
	for (i = 0; items != NULL && i < PQntuples(list); i++)
		if (json_array_append_new(items, dashboard_item(list, i)) != 0)
			goto out;
	if (items == NULL || json_object_set(model, "vacancies", items) != 0 ||
	    json_object_set_new(model, "paged", json_boolean(pages > 1)) != 0 ||
	    json_object_set_new(model, "page", json_integer(dq->page)) != 0 ||
	    json_object_set_new(model, "pages", json_integer(pages)) != 0 ||
	    (pages > 1 &&
	     json_object_set_new(model, "pagination", pagination_model(dq->page, pages, dashboard_page_url, dq)) != 0))
		goto out;
	rc = 0;
out:
	buf_free(&sql);
	json_decref(items);
	PQclear(schools);
	PQclear(counts);
	PQclear(list);
	return rc;
}

/* GET /school[?tab=live|scheduled|draft|closed][&school=URN][&page=N]: the dashboard. */
int school_dashboard(struct req *r)
{
	struct dashboard_query dq;
	const char *problem, *done = kv_get(&r->query, "done");
	json_t *model = NULL;
	PGconn *c;
	int status;

	if (dashboard_query_parse(r, &dq, &problem) != 0)
		return http_send_error(r, 400, problem);
	c = req_db(r);
	if (c == NULL)
		return http_send_error(r, 503, NULL);
	if (dq.school != 0) {
		status = tenancy_school(r, c, (long)dq.school, SCHOOL_VIEWER);
		if (status != 0)
			return http_send_error(r, status < 0 ? 503 : 404, NULL);
	}
	model = json_object();
	if (model == NULL || dashboard_load(r, c, &dq, model) != 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if (done != NULL && strcmp(done, "deleted") == 0 &&
	    json_object_set_new(model, "banner",
				json_string("The draft job listing has been deleted.")) != 0) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	status = view_render(r, 200, "school/dashboard", model);
out:
	json_decref(model);
	return status;
}
