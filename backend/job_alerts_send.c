/* job_alerts_send.c - the periodic job's part of job alerts: due alerts emailed with their new
 * jobs, unconfirmed alerts and expired links deleted; see job_alerts.h. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "job_alerts.h"
#include "log.h"
#include "mail.h"
#include "vacancy_search.h"
#include "vacancy_search_links.h"
#include "vacancy_view.h"

/* The columns of the due alert picked by due_sql. */
enum { DUE_ID, DUE_EMAIL, DUE_SEARCH, DUE_SINCE, DUE_UNTIL };

/* The next due alert, locked; `until` is where this run's window ends (a minute ago: a job
 * published later may still be committing, so it waits for the next run). */
static const char due_sql[] =
	"SELECT id, email, search, matched_until, now() - interval '1 minute' FROM job_alerts "
	"WHERE next_run_at <= now() ORDER BY next_run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED";

/* The alert looked at: its window moves on and it is due again a day or a week later. */
static const char done_sql[] =
	"UPDATE job_alerts SET matched_until = greatest(matched_until, $2::timestamptz), "
	"next_run_at = now() + " JOB_ALERT_PERIOD_SQL("frequency") " WHERE id = $1";

/* schools_snapshot_get's connection callback: the job's own connection. */
static PGconn *own_connection(void *ctx)
{
	return ctx;
}

/* Deletes unconfirmed alerts past JOB_ALERT_CONFIRM_DAYS and expired links. Returns 0 or -1
 * (logged). */
static int cleanup(PGconn *c)
{
	char days[16];
	const char *vals[1] = { days };
	PGresult *res;
	int rc = 0;

	snprintf(days, sizeof days, "%d", JOB_ALERT_CONFIRM_DAYS);
	res = PQexecParams(c, "DELETE FROM job_alerts WHERE confirmed_at IS NULL AND created_at < "
			      "now() - make_interval(days => $1::integer)", 1, NULL, vals, NULL, NULL,
			   0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = -1;
	PQclear(res);
	if (rc == 0) {
		res = PQexec(c, "DELETE FROM job_alert_tokens WHERE expires_at <= now()");
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = -1;
		PQclear(res);
	}
	if (rc != 0)
		log_errorf(__func__, "%s", PQerrorMessage(c));
	return rc;
}

/* The email's model for the new jobs in res (rows of vacancy_search_new_sql): subject, items
 * (list items: vacancy_view.h), total, more (those not listed, or absent), filters,
 * search_url. NULL when out of memory. */
static json_t *mail_model(const PGresult *res, const struct vacancy_query *vq,
			  const struct label_list *subjects, const struct schools_snapshot *schools)
{
	long long total = strtoll(PQgetvalue(res, 0, PQnfields(res) - 1), NULL, 10);
	json_t *items = json_array(), *model = NULL;
	struct buf url = { 0 };
	char subject[96];
	int i;

	for (i = 0; items != NULL && i < PQntuples(res); i++)
		if (json_array_append_new(items, vacancy_item_from_row(res, i, 0, subjects)) != 0)
			goto out;
	snprintf(subject, sizeof subject, "%lld new job%s %s your job alert", total,
		 total == 1 ? "" : "s", total == 1 ? "matches" : "match");
	vacancy_search_url(&url, vq, NULL, NULL, 1);
	if (items == NULL || buf_failed(&url))
		goto out;
	model = json_pack("{s:s, s:O, s:I, s:o, s:s}", "subject", subject, "items", items, "total",
			  (json_int_t)total, "filters",
			  vacancy_search_active_filters(vq, subjects, schools), "search_url",
			  buf_str(&url));
	if (model != NULL && total > PQntuples(res) &&
	    json_object_set_new(model, "more", json_integer(total - PQntuples(res))) != 0) {
		json_decref(model);
		model = NULL;
	}
out:
	json_decref(items);
	buf_free(&url);
	return model;
}

/* Emails alert `id` the new jobs in res, with a link of its own to stop the alert, also sent as
 * its List-Unsubscribe address. Returns 0 or -1 (logged). */
static int alert_mail(PGconn *c, const char *id, const char *email, const PGresult *res,
		      const struct vacancy_query *vq, const struct label_list *subjects,
		      const struct schools_snapshot *schools)
{
	char token[TOKEN_LEN + 1], link[128];
	json_t *model = mail_model(res, vq, subjects, schools);
	int rc = -1;

	if (model == NULL) {
		log_errorf(__func__, "out of memory");
		goto out;
	}
	if (job_alert_token_issue(c, strtoll(id, NULL, 10), JOB_ALERT_LINK_DAYS, token) != 0)
		goto out;
	snprintf(link, sizeof link, "/job-alerts/manage?token=%s", token);
	rc = json_object_set_new(model, "link", json_string(link)) != 0 ||
			     json_object_set_new(model, "unsubscribe", json_string(link)) != 0
		     ? -1
		     : mail_enqueue(c, email, "job_alert", model);
out:
	OPENSSL_cleanse(token, sizeof token);
	OPENSSL_cleanse(link, sizeof link);
	json_decref(model);
	return rc;
}

/* Looks at the due alert in row 0 of due (locked, in the caller's transaction): emails its new
 * jobs, if any. A search that no longer reads (a school or subject gone) sends nothing and is
 * logged. Returns 1 when an email was enqueued, 0 when there was nothing to send, -1 on an
 * error (logged). */
static int alert_look(PGconn *c, const PGresult *due, const struct label_list *subjects,
		      const struct schools_snapshot *schools)
{
	const char *search = PQgetvalue(due, 0, DUE_SEARCH);
	struct vacancy_search_stmt st = { 0 };
	struct vacancy_query vq;
	struct kvlist l = { 0 };
	PGresult *res = NULL;
	char problem[512], err[256];
	int rc = -1;

	if (form_parse(search, strlen(search), &l) != 0 ||
	    vacancy_search_parse(&l, subjects, schools, &vq, problem, sizeof problem) != 0) {
		const struct log_field f[] = { LOG_STR("alert_id", PQgetvalue(due, 0, DUE_ID)) };

		log_fields(LOG_WARN, "job alert skipped: its search no longer reads", f, 1);
		rc = 0;
		goto out;
	}
	if (vacancy_search_new_sql(&vq, PQgetvalue(due, 0, DUE_SINCE),
				   PQgetvalue(due, 0, DUE_UNTIL), &st) != 0) {
		log_errorf(__func__, "out of memory");
		goto out;
	}
	res = vacancy_search_stmt_exec(c, "job alert", &st, err, sizeof err);
	if (res == NULL) {
		log_errorf(__func__, "%s", err);
		goto out;
	}
	rc = PQntuples(res) == 0 ? 0
	     : alert_mail(c, PQgetvalue(due, 0, DUE_ID), PQgetvalue(due, 0, DUE_EMAIL), res, &vq,
			  subjects, schools) == 0
		     ? 1
		     : -1;
out:
	PQclear(res);
	vacancy_search_stmt_free(&st);
	kv_free(&l);
	return rc;
}

/* Picks the next due alert and looks at it in its own transaction. Returns 1 when an email was
 * enqueued, 0 when the alert had nothing new, 2 when no alert is due, -1 on an error (logged,
 * rolled back). */
static int alert_step(PGconn *c, const struct label_list *subjects,
		      const struct schools_snapshot *schools)
{
	PGresult *due = NULL, *res = NULL;
	const char *vals[2];
	int rc = -1, looked;

	if (db_tx(c, "BEGIN") != 0)
		return -1;
	due = PQexec(c, due_sql);
	if (PQresultStatus(due) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	if (PQntuples(due) == 0) {
		rc = db_tx(c, "COMMIT") == 0 ? 2 : -1;
		goto out;
	}
	looked = alert_look(c, due, subjects, schools);
	if (looked < 0)
		goto out;
	vals[0] = PQgetvalue(due, 0, DUE_ID);
	vals[1] = PQgetvalue(due, 0, DUE_UNTIL);
	res = PQexecParams(c, done_sql, 2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	if (db_tx(c, "COMMIT") == 0)
		rc = looked;
out:
	if (rc < 0)
		db_tx(c, "ROLLBACK");
	PQclear(res);
	PQclear(due);
	return rc;
}

int job_alerts_run_once(PGconn *c)
{
	const struct label_list *subjects;
	const struct schools_snapshot *schools = NULL;
	char err[256];
	int sent = 0, step = 0, i;
	bool failed = cleanup(c) != 0;

	subjects = vacancy_subjects_list(c, err, sizeof err);
	if (subjects != NULL)
		schools = schools_snapshot_get(own_connection, c, err, sizeof err);
	if (schools == NULL) {
		log_errorf(__func__, "%s", err);
		return -1;
	}
	for (i = 0; i < JOB_ALERTS_PER_ROUND; i++) {
		step = alert_step(c, subjects, schools);
		if (step < 0)
			failed = true;
		if (step < 0 || step == 2)
			break;
		sent += step;
	}
	schools_snapshot_put(schools);
	return failed ? -1 : sent;
}
