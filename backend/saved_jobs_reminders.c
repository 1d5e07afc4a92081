/* saved_jobs_reminders.c - saved jobs that close soon; see saved_jobs.h. */
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "db.h"
#include "email_preferences.h"
#include "log.h"
#include "mail.h"
#include "saved_jobs.h"

/* The saved jobs due a reminder (sv, v, u in scope): see saved_jobs.h. */
#define DUE_SQL                                                                                \
	"sv.reminder_sent_at IS NULL AND v.status = 'published' AND v.closes_at > now() AND "  \
	"v.closes_at <= now() + interval '" SQL_INT(SAVED_JOBS_REMINDER_HOURS) " hours' AND "  \
	"sv.saved_at <= now() - interval '" SQL_INT(SAVED_JOBS_REMINDER_SAVED_HOURS) " hours' " \
	"AND u.disabled_at IS NULL AND u.verified_at IS NOT NULL AND "                          \
	EMAIL_WANTED_SQL("u", EMAIL_SAVED_JOB_CLOSING) " AND NOT EXISTS (SELECT 1 FROM "        \
	"applications a WHERE a.vacancy_id = v.id AND a.candidate_id = sv.user_id)"

/* The next candidate with due saved jobs, one of their rows locked. */
static const char next_sql[] =
	"SELECT sv.user_id FROM saved_vacancies sv JOIN vacancies v ON v.id = sv.vacancy_id "
	"JOIN users u ON u.id = sv.user_id WHERE " DUE_SQL " ORDER BY v.closes_at, sv.user_id "
	"LIMIT 1 FOR UPDATE OF sv SKIP LOCKED";

/* Every due saved job of candidate $1, locked: vacancy id, title, school, closing time, the
 * account's address and name. */
static const char jobs_sql[] =
	"SELECT v.id, v.title, s.name, " SQL_WHEN_AT("v.closes_at") ", u.email, u.name FROM "
	"saved_vacancies sv "
	"JOIN vacancies v ON v.id = sv.vacancy_id JOIN schools s ON s.urn = v.school_urn "
	"JOIN users u ON u.id = sv.user_id WHERE sv.user_id = $1::bigint AND " DUE_SQL
	" ORDER BY v.closes_at, v.id FOR UPDATE OF sv SKIP LOCKED";

/* The email's model for the rows of res: {name, count, one, jobs: [{id, title, school,
 * closes}], link}. NULL when out of memory. */
static json_t *reminder_model(const PGresult *res)
{
	json_t *jobs = json_array(), *m;
	int i, n = PQntuples(res);

	for (i = 0; jobs != NULL && i < n; i++)
		if (json_array_append_new(jobs, json_pack("{s:s, s:s, s:s, s:s}", "id",
							  PQgetvalue(res, i, 0), "title",
							  PQgetvalue(res, i, 1), "school",
							  PQgetvalue(res, i, 2), "closes",
							  PQgetvalue(res, i, 3))) != 0) {
			json_decref(jobs);
			jobs = NULL;
		}
	if (jobs == NULL)
		return NULL;
	m = json_pack("{s:s, s:i, s:b, s:o, s:s}", "name", PQgetvalue(res, 0, 5), "count", n,
		      "one", n == 1, "jobs", jobs, "link", "/account/saved-jobs");
	return m;
}

/* Reminds the next candidate with due saved jobs, in the transaction db_each_tx opened.
 * Returns a db_unit: DB_UNIT_NONE when none is due (or every due one is locked by another
 * instance). */
static int remind_unit(PGconn *c, void *arg)
{
	PGresult *next = NULL, *res = NULL, *upd = NULL;
	struct buf ids = { 0 };
	json_t *model = NULL;
	const char *vals[2];
	int rc = DB_UNIT_FAILED, i;

	(void)arg;
	next = PQexec(c, next_sql);
	if (PQresultStatus(next) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	if (PQntuples(next) == 0) {
		rc = DB_UNIT_NONE;
		goto out;
	}
	vals[0] = PQgetvalue(next, 0, 0);
	res = PQexecParams(c, jobs_sql, 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) == 0) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	buf_puts(&ids, "{");
	for (i = 0; i < PQntuples(res); i++)
		buf_printf(&ids, "%s%s", i > 0 ? "," : "", PQgetvalue(res, i, 0));
	buf_puts(&ids, "}");
	model = reminder_model(res);
	if (model == NULL || buf_failed(&ids)) {
		log_errorf(__func__, "out of memory");
		goto out;
	}
	if (email_optional_enqueue(c, strtoll(vals[0], NULL, 10), PQgetvalue(res, 0, 4),
				   EMAIL_SAVED_JOB_CLOSING, "saved_jobs_closing", model) != 0)
		goto out;
	vals[1] = buf_str(&ids);
	upd = PQexecParams(c, "UPDATE saved_vacancies SET reminder_sent_at = now() WHERE "
			      "user_id = $1::bigint AND vacancy_id = ANY ($2::bigint[])", 2, NULL,
			   vals, NULL, NULL, 0);
	if (PQresultStatus(upd) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	log_event(LOG_INFO, "saved jobs reminder sent", "user_id", vals[0], NULL);
	rc = DB_UNIT_DONE;
out:
	json_decref(model);
	buf_free(&ids);
	PQclear(upd);
	PQclear(res);
	PQclear(next);
	return rc;
}

int saved_jobs_remind(PGconn *c)
{
	return db_each_tx(c, remind_unit, NULL, SAVED_JOBS_REMINDERS_MAX);
}
