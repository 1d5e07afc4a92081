/* application_jobs.c - draft reminders and the retention of applications; see
 * application_jobs.h. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "application_jobs.h"
#include "db.h"
#include "email_preferences.h"
#include "log.h"
#include "mail.h"

/* The next draft due a reminder, locked: id, vacancy title, school name, closing time (label),
 * the account's address (the one the candidate proved they own), the name to greet, the
 * account's id. Only
 * accounts that can sign in (to finish the draft) and want the reminder get one. */
static const char reminder_sql[] =
	"SELECT a.id, v.title, s.name, " SQL_WHEN_AT("v.closes_at") ", u.email, "
	"coalesce(nullif(a.data #>> '{personal,first_name}', ''), u.name), u.id "
	"FROM vacancies v JOIN applications a ON a.vacancy_id = v.id "
	"JOIN schools s ON s.urn = v.school_urn JOIN users u ON u.id = a.candidate_id "
	"WHERE v.status = 'published' AND v.closes_at > now() AND v.closes_at <= now() + "
	"interval '" SQL_INT(APPLICATION_REMINDER_HOURS) " hours' AND a.status = 'draft' AND "
	"a.reminder_sent_at IS NULL AND u.disabled_at IS NULL AND "
	EMAIL_WANTED_SQL("u", EMAIL_APPLICATION_REMINDER) " ORDER BY v.closes_at, a.id LIMIT 1 "
	"FOR UPDATE OF a SKIP LOCKED";

/* Sends the reminder of the next due draft, in the transaction db_each_tx opened. Returns a
 * db_unit: DB_UNIT_NONE when none is due (or every due one is locked by another instance). */
static int reminder_unit(PGconn *c, void *arg)
{
	PGresult *res = NULL, *upd = NULL;
	json_t *model = NULL;
	const char *vals[1], *to;
	char link[64];
	int rc = DB_UNIT_FAILED;

	(void)arg;
	res = PQexec(c, reminder_sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	if (PQntuples(res) == 0) {
		rc = DB_UNIT_NONE;
		goto out;
	}
	to = PQgetvalue(res, 0, 4);
	snprintf(link, sizeof link, "/account/applications/%s", PQgetvalue(res, 0, 0));
	model = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", PQgetvalue(res, 0, 5),
			  "vacancy_title", PQgetvalue(res, 0, 1), "school_name",
			  PQgetvalue(res, 0, 2), "closes_label", PQgetvalue(res, 0, 3), "link", link);
	if (model == NULL ||
	    email_optional_enqueue(c, strtoll(PQgetvalue(res, 0, 6), NULL, 10), to,
				   EMAIL_APPLICATION_REMINDER, "application_reminder", model) != 0)
		goto out;
	vals[0] = PQgetvalue(res, 0, 0);
	upd = PQexecParams(c, "UPDATE applications SET reminder_sent_at = now() WHERE id = $1",
			   1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(upd) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	log_event(LOG_INFO, "application reminder sent", "application_id", vals[0], NULL);
	rc = DB_UNIT_DONE;
out:
	json_decref(model);
	PQclear(upd);
	PQclear(res);
	return rc;
}

/* Deletes one batch of applications past their retention period (one statement, so one
 * transaction). Returns the number deleted, or -1 on an error (logged). */
static long long retention_batch(PGconn *c)
{
	char unsuccessful[16], accepted[16], limit[16];
	const char *vals[3] = { unsuccessful, accepted, limit };
	PGresult *res;
	long long n = -1;

	snprintf(unsuccessful, sizeof unsuccessful, "%u", app.cfg.retention_unsuccessful_days);
	snprintf(accepted, sizeof accepted, "%u", app.cfg.retention_accepted_days);
	snprintf(limit, sizeof limit, "%d", APPLICATION_RETENTION_BATCH);
	res = PQexecParams(c, "DELETE FROM applications WHERE id IN (SELECT a.id FROM vacancies v "
			      "JOIN applications a ON a.vacancy_id = v.id WHERE "
			      "coalesce(v.closed_at, v.closes_at) < now() - make_interval(days => "
			      "least($1::integer, $2::integer)) AND coalesce(v.closed_at, v.closes_at) "
			      "< now() - make_interval(days => CASE WHEN a.status = 'accepted' THEN "
			      "$2::integer ELSE $1::integer END) ORDER BY a.id LIMIT $3::integer "
			      "FOR UPDATE OF a SKIP LOCKED)", 3, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	n = strtoll(PQcmdTuples(res), NULL, 10);
	if (n > 0) {
		const struct log_field f[] = { LOG_NUM("count", n),
					       LOG_NUM("unsuccessful_days",
						       app.cfg.retention_unsuccessful_days),
					       LOG_NUM("accepted_days", app.cfg.retention_accepted_days) };

		log_fields(LOG_INFO, "applications deleted after their retention period", f,
			   sizeof f / sizeof f[0]);
	}
out:
	PQclear(res);
	return n;
}

int application_jobs_run_once(PGconn *c)
{
	long long deleted;
	int n = db_each_tx(c, reminder_unit, NULL, APPLICATION_REMINDERS_MAX);
	bool failed = n < 0;

	if (n < 0)
		n = 0;
	deleted = retention_batch(c);
	if (deleted < 0)
		failed = true;
	else
		n += (int)deleted;
	return failed ? -1 : n;
}
