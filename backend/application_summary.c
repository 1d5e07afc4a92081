/* application_summary.c - the daily summary of applications; see application_summary.h. */
#include "application_summary.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "buf.h"
#include "db.h"
#include "email_preferences.h"
#include "log.h"
#include "mail.h"

/* The hour of the summaries as an SQL interval. */
#define HOUR "interval '" SQL_INT(APPLICATION_SUMMARY_HOUR) " hours'"

/* An application's time `at` (a column) within the claimed account's window c. */
#define IN_WINDOW(at) "(" at " > c.since AND " at " <= c.until)"

/* Claims the next APPLICATION_SUMMARY_BATCH accounts due their summary (b.until is the latest
 * APPLICATION_SUMMARY_HOUR passed, Europe/London; locked, their window moved on to it in the
 * caller's transaction) and reads what their emails say: id, address, the window's start and
 * end in words, and the jobs of their schools with applications submitted or withdrawn in it
 * (a JSON array of {id, title, school, received, withdrawn}, soonest closing first; NULL when
 * there is none). */
static const char claim_sql[] =
	"WITH b AS (SELECT (date_trunc('day', now() AT TIME ZONE 'Europe/London' - " HOUR ") + "
	HOUR ") AT TIME ZONE 'Europe/London' AS until), due AS (SELECT u.id, "
	"greatest(u.application_summary_until, b.until - interval '1 day') AS since, b.until "
	"FROM users u, b WHERE "
	EMAIL_CHOSEN_SQL("u", EMAIL_APPLICATION_SUMMARY) " AND u.role = 'school_staff' AND "
	"u.disabled_at IS NULL AND (u.application_summary_until IS NULL OR "
	"u.application_summary_until < b.until) ORDER BY u.id LIMIT "
	SQL_INT(APPLICATION_SUMMARY_BATCH) " FOR UPDATE OF u SKIP LOCKED), "
	"claimed AS (UPDATE users u SET application_summary_until = due.until FROM due WHERE "
	"u.id = due.id RETURNING u.id, u.email, due.since, due.until) "
	"SELECT c.id, c.email, " SQL_TIME("c.since") " || ' on ' || " SQL_DAY("c.since") ", "
	SQL_TIME("c.until") " || ' on ' || " SQL_DAY("c.until") ", (SELECT "
	"json_agg(json_build_object('id', x.id, 'title', x.title, 'school', x.name, 'received', "
	"x.received, 'withdrawn', x.withdrawn) ORDER BY x.closes_at, x.id) FROM (SELECT v.id, "
	"v.title, s.name, v.closes_at, count(*) FILTER (WHERE " IN_WINDOW("a.submitted_at") ") AS "
	"received, count(*) FILTER (WHERE a.status = 'withdrawn' AND " IN_WINDOW("a.status_changed_at") ") AS withdrawn FROM "
	"vacancies v JOIN schools s ON s.urn = v.school_urn JOIN applications a ON a.vacancy_id = "
	"v.id WHERE v.school_urn IN (SELECT m.school_urn FROM school_memberships m WHERE "
	"m.user_id = c.id AND m.role = 'hiring_manager') AND a.status <> 'draft' AND ("
	IN_WINDOW("a.submitted_at") " OR (a.status = 'withdrawn' AND "
	IN_WINDOW("a.status_changed_at") ")) GROUP BY v.id, v.title, s.name, v.closes_at) x) "
	"FROM claimed c ORDER BY c.id";

/* Appends "N new application(s)" and/or "N withdrawn" (joined by `and`) to b. */
static void counts_put(struct buf *b, json_int_t received, json_int_t withdrawn, const char *and)
{
	if (received > 0)
		buf_printf(b, "%lld new application%s", (long long)received,
			   received == 1 ? "" : "s");
	if (withdrawn > 0)
		buf_printf(b, "%s%lld withdrawn", received > 0 ? and : "", (long long)withdrawn);
}

/* The email's model for row i of res (claim_sql's, with jobs): subject, since, until, jobs
 * [{id, title, school, counts}]. NULL when out of memory. */
static json_t *summary_model(const PGresult *res, int i)
{
	json_t *jobs = json_loads(PQgetvalue(res, i, 4), 0, NULL), *job, *model = NULL;
	json_int_t received = 0, withdrawn = 0, r, w;
	struct buf counts = { 0 }, subject = { 0 };
	size_t k;

	if (!json_is_array(jobs))
		goto out;
	json_array_foreach(jobs, k, job) {
		r = json_integer_value(json_object_get(job, "received"));
		w = json_integer_value(json_object_get(job, "withdrawn"));
		received += r;
		withdrawn += w;
		buf_reset(&counts);
		counts_put(&counts, r, w, ", ");
		if (buf_failed(&counts) ||
		    json_object_set_new(job, "counts", json_string(buf_str(&counts))) != 0)
			goto out;
	}
	buf_puts(&subject, "Applications for your school's jobs: ");
	counts_put(&subject, received, withdrawn, " and ");
	if (buf_failed(&subject))
		goto out;
	model = json_pack("{s:s, s:s, s:s, s:O}", "subject", buf_str(&subject), "since",
			  PQgetvalue(res, i, 2), "until", PQgetvalue(res, i, 3), "jobs", jobs);
out:
	json_decref(jobs);
	buf_free(&counts);
	buf_free(&subject);
	return model;
}

/* Sends the next batch of due summaries, in the transaction db_each_tx opened. Returns a
 * db_unit: DB_UNIT_NONE when none is due (or every due one is locked by another instance). */
static int summary_unit(PGconn *c, void *arg)
{
	PGresult *res = PQexec(c, claim_sql);
	int rc = DB_UNIT_FAILED, i;
	json_t *model;

	(void)arg;
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	for (i = 0; i < PQntuples(res); i++) {
		if (PQgetisnull(res, i, 4))
			continue;
		model = summary_model(res, i);
		if (model == NULL) {
			log_errorf(__func__, "out of memory");
			goto out;
		}
		if (email_optional_enqueue(c, strtoll(PQgetvalue(res, i, 0), NULL, 10),
					   PQgetvalue(res, i, 1), EMAIL_APPLICATION_SUMMARY,
					   "application_summary", model) != 0) {
			json_decref(model);
			goto out;
		}
		json_decref(model);
		log_event(LOG_INFO, "application summary sent", "user_id", PQgetvalue(res, i, 0),
			  NULL);
	}
	rc = PQntuples(res) > 0 ? DB_UNIT_DONE : DB_UNIT_NONE;
out:
	PQclear(res);
	return rc;
}

int application_summary_run_once(PGconn *c)
{
	return db_each_tx(c, summary_unit, NULL,
			  APPLICATION_SUMMARY_MAX / APPLICATION_SUMMARY_BATCH);
}
