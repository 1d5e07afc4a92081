/* hr_audit.c - the audit log for HR and admin: /hr/audit, newest first, 50 a page, filtered by
 * action, actor (email address contains) and a range of dates (Europe/London days); and the
 * same entries as a CSV download (?format=csv), which is itself audited as "export".
 *
 * Reading the page is not audited. Every value from the log (names, addresses, detail) reaches
 * the page through the template engine's escaping; in the CSV a cell that a spreadsheet would
 * take for a formula (= + - @, tab, CR) is prefixed with a single quote.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "csv_write.h"
#include "db.h"
#include "fields.h"
#include "handlers.h"
#include "pagination.h"
#include "log.h"

#define AUDIT_PAGE_SIZE 50
#define AUDIT_MAX_PAGE 1000000L
#define AUDIT_CSV_MAX_ROWS 100000
#define ACTOR_MAX_BYTES 254

/* The filters and page of the log, read from the query string. */
struct audit_query {
	const char *action;   /* NULL for every action */
	const char *actor;    /* NULL for any actor */
	const char *from;     /* YYYY-MM-DD or NULL: from_day, or NULL when not given or wrong */
	const char *to;       /* the same for to_day */
	const char *from_typed, *to_typed; /* as typed (pointers into the query), or NULL */
	char from_day[11], to_day[11];
	long page;
	bool csv;
};

/* Reads 1 to `most` digits at *s into *n and moves *s past them. Returns false if none. */
static bool digits(const char **s, int most, int *n)
{
	int k = 0;

	*n = 0;
	while (k < most && **s >= '0' && **s <= '9') {
		*n = *n * 10 + (**s - '0');
		(*s)++;
		k++;
	}
	return k > 0;
}

/* Reads a day written as people in the UK write it (25/11/2026, 25-11-2026, 25.11.2026 or
 * 25 11 2026; day and month of one or two digits) or as YYYY-MM-DD, into out as YYYY-MM-DD.
 * Returns false when s is not a real day so written. */
static bool date_read(const char *s, char out[11])
{
	const char *p = s;
	int a, b, y, m, d;
	char sep;

	if (!digits(&p, 4, &a) || (*p != '/' && *p != '-' && *p != '.' && *p != ' '))
		return false;
	sep = *p++;
	if (!digits(&p, 2, &b) || *p++ != sep)
		return false;
	if (p - s == 8 && sep == '-' && strlen(s) == 10) { /* YYYY-MM-DD */
		y = a;
		m = b;
		if (!digits(&p, 2, &d) || p - s != 10)
			return false;
	} else {
		d = a;
		m = b;
		if (a > 99 || !digits(&p, 4, &y) || *p != '\0' || y < 1000)
			return false;
	}
	if (*p != '\0' || y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > field_month_days(y, m))
		return false;
	/* (bounded above; the modulos tell the compiler so) */
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u);
	return true;
}

/* The value of `name`: NULL when absent or empty; *dup set when it is given more than once. */
static const char *query_value(const struct kvlist *l, const char *name, bool *dup)
{
	const char *v = kv_get(l, name);

	if (kv_count(l, name) > 1)
		*dup = true;
	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* Reads the filters from the query string into aq. A filter typed wrong adds its message
 * beside its field in model (fields.h) and is left out. Returns 0 when all is well; -1 with
 * *problem set to a sentence for the 400 page when the address itself is wrong (a filter
 * given twice, a page or format no link gives); -1 with *problem NULL when only filters were
 * typed wrong. */
static int audit_query_parse(const struct kvlist *l, struct audit_query *aq, json_t *model,
			     const char **problem)
{
	static const char date_message[] = " date must be a real date, for example 1/11/2026";
	bool dup = false;
	const char *page = query_value(l, "page", &dup), *format = query_value(l, "format", &dup);
	char msg[80];
	int rc = 0;

	memset(aq, 0, sizeof *aq);
	aq->action = query_value(l, "action", &dup);
	aq->actor = query_value(l, "actor", &dup);
	aq->from_typed = query_value(l, "from", &dup);
	aq->to_typed = query_value(l, "to", &dup);
	aq->page = 1;
	aq->csv = format != NULL && strcmp(format, "csv") == 0;
	if (page != NULL) {
		aq->page = strspn(page, "0123456789") == strlen(page) && strlen(page) <= 7
				   ? atol(page) : 0;
	}
	if (dup || aq->page < 1 || aq->page > AUDIT_MAX_PAGE || (format != NULL && !aq->csv)) {
		*problem = dup ? "Give each filter at most once."
		       : format != NULL && !aq->csv
			       ? "The only format this page can be downloaded in is csv."
			       : "The page number must be a whole number from 1 to 1000000.";
		return -1;
	}
	if (aq->action != NULL && audit_action_label(aq->action) == NULL) {
		rc |= form_error(model, "action", "Choose an action from the list");
		aq->action = NULL;
	}
	if (aq->actor != NULL && strlen(aq->actor) > ACTOR_MAX_BYTES) {
		rc |= form_error(model, "actor",
				 "The email address must be 254 characters or fewer");
		aq->actor = NULL;
	}
	if (aq->from_typed != NULL && date_read(aq->from_typed, aq->from_day))
		aq->from = aq->from_day;
	else if (aq->from_typed != NULL) {
		snprintf(msg, sizeof msg, "The from%s", date_message);
		rc |= form_error(model, "from", msg);
	}
	if (aq->to_typed != NULL && date_read(aq->to_typed, aq->to_day))
		aq->to = aq->to_day;
	else if (aq->to_typed != NULL) {
		snprintf(msg, sizeof msg, "The to%s", date_message);
		rc |= form_error(model, "to", msg);
	}
	if (aq->from != NULL && aq->to != NULL && strcmp(aq->from, aq->to) > 0)
		rc |= form_error(model, "to",
				 "The to date must be the same as or after the from date");
	if (rc != 0)
		*problem = NULL;
	return rc != 0 ? -1 : 0;
}

/* Appends "?name=value" or "&name=value" to the address in b. */
static void query_add(struct buf *b, const char *name, const char *value)
{
	buf_putc(b, strchr(buf_str(b), '?') != NULL ? '&' : '?');
	buf_puts(b, name);
	buf_putc(b, '=');
	url_encode(b, value);
}

/* Appends /hr/audit with aq's filters, the page when > 1, and format=csv when csv. */
static void audit_url(struct buf *b, const struct audit_query *aq, long page, bool csv)
{
	char n[24];

	buf_puts(b, "/hr/audit");
	if (aq->action != NULL)
		query_add(b, "action", aq->action);
	if (aq->actor != NULL)
		query_add(b, "actor", aq->actor);
	if (aq->from != NULL)
		query_add(b, "from", aq->from);
	if (aq->to != NULL)
		query_add(b, "to", aq->to);
	if (page > 1) {
		snprintf(n, sizeof n, "%ld", page);
		query_add(b, "page", n);
	}
	if (csv)
		query_add(b, "format", "csv");
}

/* Sets obj[key] to the address of page `page` of the log (or of its CSV). Returns 0 or -1. */
static int set_url(json_t *obj, const char *key, const struct audit_query *aq, long page,
		   bool csv)
{
	struct buf b = { 0 };
	int rc;

	audit_url(&b, aq, page, csv);
	rc = buf_failed(&b) ? -1 : json_object_set_new(obj, key, json_string(buf_str(&b)));
	buf_free(&b);
	return rc;
}

/* page_url_fn for the log's pages (pagination.h). */
static void audit_page_url(struct buf *b, long page, const void *aq)
{
	audit_url(b, aq, page, false);
}

/* The filter conditions: $1 action, $2 actor email contains, $3 first day, $4 last day (NULL:
 * any). Days are Europe/London days. */
static const char audit_where[] =
	" WHERE ($1::text IS NULL OR a.action = $1)"
	" AND ($2::text IS NULL OR strpos(lower(coalesce(a.actor_email, '')), lower($2)) > 0)"
	" AND ($3::date IS NULL OR a.at >= $3::date::timestamp AT TIME ZONE 'Europe/London')"
	" AND ($4::date IS NULL OR a.at < ($4::date + 1)::timestamp AT TIME ZONE 'Europe/London')";

/* Counts the entries matching aq. Returns the count, or -1 (logged). */
static long long audit_count(PGconn *c, const struct audit_query *aq)
{
	const char *vals[4] = { aq->action, aq->actor, aq->from, aq->to };
	struct buf sql = { 0 };
	PGresult *res = NULL;
	long long n = -1;

	buf_puts(&sql, "SELECT count(*) FROM audit_log a");
	buf_puts(&sql, audit_where);
	if (buf_failed(&sql))
		goto out;
	res = PQexecParams(c, buf_str(&sql), 4, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
out:
	PQclear(res);
	buf_free(&sql);
	return n;
}

/* Reads `limit` entries matching aq from `offset`, newest first. Columns: 0 time (London, for
 * people), 1 time (UTC, ISO 8601), 2 actor email, 3 actor's current name, 4 action,
 * 5 object type, 6 object id, 7 the object user's name, 8 their email, 9 address, 10 detail as
 * "key: value, ..." (keys sorted), 11 detail as JSON. NULL on error (logged). */
static PGresult *audit_rows(PGconn *c, const struct audit_query *aq, long long limit,
			    long long offset)
{
	char lim[24], off[24];
	const char *vals[6] = { aq->action, aq->actor, aq->from, aq->to, lim, off };
	struct buf sql = { 0 };
	PGresult *res = NULL;

	snprintf(lim, sizeof lim, "%lld", limit);
	snprintf(off, sizeof off, "%lld", offset);
	buf_puts(&sql,
		 "SELECT to_char(a.at AT TIME ZONE 'Europe/London', 'FMDD Mon YYYY') || ', ' || "
		 SQL_TIME("a.at") ", "
		 "to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
		 "a.actor_email, act.name, a.action, a.object_type, a.object_id, o.name, o.email, "
		 "a.address, CASE WHEN jsonb_typeof(a.detail) = 'object' THEN (SELECT "
		 "string_agg(d.key || ': ' || coalesce(d.value, 'null'), ', ' ORDER BY d.key) "
		 "FROM jsonb_each_text(a.detail) d) ELSE a.detail::text END, a.detail::text "
		 "FROM audit_log a LEFT JOIN users act ON act.id = a.actor_id "
		 "LEFT JOIN users o ON a.object_type = 'user' AND o.id::text = a.object_id");
	buf_puts(&sql, audit_where);
	buf_puts(&sql, " ORDER BY a.at DESC, a.id DESC LIMIT $5::bigint OFFSET $6::bigint");
	if (buf_failed(&sql))
		goto out;
	res = PQexecParams(c, buf_str(&sql), 6, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		PQclear(res);
		res = NULL;
	}
out:
	buf_free(&sql);
	return res;
}

/* Value of column j of row i, or NULL when SQL NULL. */
static const char *value(const PGresult *res, int i, int j)
{
	return PQgetisnull(res, i, j) ? NULL : PQgetvalue(res, i, j);
}

/* The label of action, or the action itself when the portal no longer records it. */
static const char *action_label(const char *action)
{
	const char *label = audit_action_label(action);

	return label != NULL ? label : action;
}

/* One entry as the page shows it. NULL when out of memory. */
static json_t *entry_model(const PGresult *res, int i)
{
	const char *type = value(res, i, 5), *id = value(res, i, 6);
	const char *detail = value(res, i, 10);
	struct buf object = { 0 };
	json_t *e;

	if (type != NULL || id != NULL) {
		buf_puts(&object, type != NULL ? type : "");
		if (type != NULL && id != NULL)
			buf_putc(&object, ' ');
		buf_puts(&object, id != NULL ? id : "");
	}
	e = json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?}",
		      "time", PQgetvalue(res, i, 0), "time_iso", PQgetvalue(res, i, 1),
		      "actor_email", value(res, i, 2), "actor_name", value(res, i, 3),
		      "action", PQgetvalue(res, i, 4), "action_label",
		      action_label(PQgetvalue(res, i, 4)), "object", buf_str(&object),
		      "object_name", value(res, i, 7), "object_email", value(res, i, 8),
		      "address", value(res, i, 9), "detail",
		      detail != NULL && detail[0] != '\0' ? detail : NULL);
	if (buf_failed(&object)) {
		json_decref(e);
		e = NULL;
	}
	buf_free(&object);
	return e;
}

/* The filter form's action list: {value, label, selected}. NULL when out of memory. */
static json_t *action_options(const char *selected)
{
	json_t *list = json_array();
	const struct audit_action *a;
	size_t i;
	bool on;

	for (i = 0; list != NULL && (a = audit_action(i)) != NULL; i++) {
		on = selected != NULL && strcmp(selected, a->value) == 0;
		if (json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value",
							  a->value, "label", a->label,
							  "selected", on)) != 0) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

/* The filter form's part of the page's model (the filters as typed), into model. Returns 0 or
 * -1. */
static int filters_model(json_t *model, const struct audit_query *aq)
{
	return json_object_update_new(
		model, json_pack("{s:s, s:s, s:s, s:s, s:o, s:b}", "action",
				 aq->action ? aq->action : "", "actor", aq->actor ? aq->actor : "",
				 "from", aq->from_typed ? aq->from_typed : "", "to",
				 aq->to_typed ? aq->to_typed : "", "actions",
				 action_options(aq->action), "filtered",
				 aq->action != NULL || aq->actor != NULL ||
					 aq->from_typed != NULL || aq->to_typed != NULL));
}

/* Renders one page of the log into model (which may hold the form's errors: then the form
 * alone, with status 400). Returns the status sent. */
static int audit_page(struct req *r, PGconn *c, struct audit_query *aq, json_t *model)
{
	long long total = 0, first;
	long pages;
	PGresult *res = NULL;
	json_t *entries = NULL;
	int i, status;

	if (filters_model(model, aq) != 0) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	if (form_has_errors(model)) {
		status = view_render(r, 400, "hr/audit", model);
		goto out;
	}
	total = audit_count(c, aq);
	if (total < 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	pages = total > 0 ? (long)((total + AUDIT_PAGE_SIZE - 1) / AUDIT_PAGE_SIZE) : 1;
	if (aq->page > pages)
		aq->page = pages;
	first = (long long)(aq->page - 1) * AUDIT_PAGE_SIZE + 1;
	res = audit_rows(c, aq, AUDIT_PAGE_SIZE, first - 1);
	if (res == NULL) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	entries = json_array();
	for (i = 0; entries != NULL && i < PQntuples(res); i++)
		if (json_array_append_new(entries, entry_model(res, i)) != 0)
			break;
	if (entries == NULL || i < PQntuples(res) ||
	    json_object_update_new(
		    model, json_pack("{s:O, s:I, s:b, s:I, s:I, s:b, s:I, s:I, s:b}", "entries",
				     entries, "total", (json_int_t)total, "total_one", total == 1,
				     "page", (json_int_t)aq->page, "pages", (json_int_t)pages,
				     "paged", pages > 1, "first", (json_int_t)first, "last",
				     (json_int_t)(first + PQntuples(res) - 1), "listed",
				     true)) != 0 ||
	    (pages > 1 &&
	     json_object_set_new(model, "pagination", pagination_model(aq->page, pages, audit_page_url, aq)) != 0) ||
	    set_url(model, "csv_url", aq, 1, true) != 0) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	status = view_render(r, 200, "hr/audit", model);
out:
	PQclear(res);
	json_decref(entries);
	return status;
}

/* Sends every entry matching aq (at most AUDIT_CSV_MAX_ROWS) as a CSV attachment, after
 * recording the export in the audit log. Returns the status sent. */
static int audit_csv(struct req *r, PGconn *c, const struct audit_query *aq)
{
	static const char *const header[] = { "time_utc", "actor_email", "action", "object_type",
					      "object_id", "address", "detail" };
	static const int columns[] = { 1, 2, 4, 5, 6, 9, 11 };
	long long total = audit_count(c, aq);
	struct buf out = { 0 };
	char disposition[80], day[16];
	time_t now = time(NULL);
	struct tm tm;
	PGresult *res = NULL;
	json_t *detail = NULL;
	size_t j;
	int i, status;

	if (total < 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if (total > AUDIT_CSV_MAX_ROWS) {
		status = http_send_error(r, 400, "There are more than 100,000 entries to export. "
						 "Narrow the filters (dates, action or actor) and "
						 "export again.");
		goto out;
	}
	res = audit_rows(c, aq, AUDIT_CSV_MAX_ROWS, 0);
	detail = json_pack("{s:s, s:s, s:i, s:s*, s:s*, s:s*, s:s*}", "what", "audit_log",
			   "format", "csv", "rows", res != NULL ? PQntuples(res) : 0, "action",
			   aq->action, "actor", aq->actor, "from", aq->from, "to", aq->to);
	if (res == NULL || detail == NULL ||
	    audit(c, r, "export", NULL, "audit_log", NULL, detail) != 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	for (j = 0; j < sizeof header / sizeof header[0]; j++)
		csv_write_cell(&out, header[j], j + 1 == sizeof header / sizeof header[0]);
	for (i = 0; i < PQntuples(res); i++)
		for (j = 0; j < sizeof columns / sizeof columns[0]; j++)
			csv_write_cell(&out, value(res, i, columns[j]),
				       j + 1 == sizeof columns / sizeof columns[0]);
	gmtime_r(&now, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	snprintf(disposition, sizeof disposition, "attachment; filename=\"audit-log-%s.csv\"", day);
	if (buf_failed(&out) || http_add_header(r, "Content-Disposition", disposition) != 0) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	status = http_send(r, 200, "text/csv; charset=utf-8", buf_str(&out), out.len);
out:
	PQclear(res);
	json_decref(detail);
	buf_free(&out);
	return status;
}

/* GET /hr/audit: a page of the log, or with ?format=csv the matching entries as a download;
 * 400 for a bad filter (the form with its message beside the filter typed wrong). */
int hr_audit(struct req *r)
{
	struct audit_query aq;
	const char *problem = NULL;
	json_t *model = json_object();
	PGconn *c;
	int status;

	if (model == NULL)
		status = http_send_error(r, 500, NULL);
	else if (audit_query_parse(&r->query, &aq, model, &problem) != 0 && problem != NULL)
		status = http_send_error(r, 400, problem);
	else if ((c = req_db(r)) == NULL)
		status = http_send_error(r, 503, NULL);
	else if (aq.csv && !form_has_errors(model))
		status = audit_csv(r, c, &aq);
	else
		status = audit_page(r, c, &aq, model);
	json_decref(model);
	return status;
}
