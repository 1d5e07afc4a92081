/* vacancy_reminders.c - reminders about a live vacancy to its school; see vacancy_reminders.h. */
#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "db.h"
#include "email_preferences.h"
#include "log.h"
#include "mail.h"
#include "vacancy_reminders.h"

/* Claims the next VACANCY_REMINDERS_BATCH live vacancies due the no_applications reminder
 * (locked, and marked sent in the caller's transaction) and reads what their emails say: id,
 * title, school name, closing time, views of its page, the hiring managers
 * (HIRING_MANAGERS_SQL). */
static const char claim_sql[] =
	"WITH due AS (SELECT v.id FROM vacancies v WHERE v.status = 'published' AND v.closes_at > "
	"now() AND v.closes_at <= now() + interval '" SQL_INT(VACANCY_QUIET_HOURS) " hours' AND "
	"v.published_at <= now() - interval '" SQL_INT(VACANCY_QUIET_LIVE_DAYS) " days' AND NOT "
	"EXISTS (SELECT 1 FROM applications a WHERE a.vacancy_id = v.id AND a.status <> 'draft') "
	"AND NOT EXISTS (SELECT 1 FROM vacancy_reminders r WHERE r.vacancy_id = v.id AND r.kind = "
	"'no_applications') ORDER BY v.closes_at, v.id LIMIT " SQL_INT(VACANCY_REMINDERS_BATCH)
	" FOR UPDATE OF v SKIP LOCKED), claimed AS (INSERT INTO vacancy_reminders (vacancy_id, "
	"kind) SELECT id, 'no_applications' FROM due ON CONFLICT DO NOTHING RETURNING vacancy_id) "
	"SELECT v.id, v.title, s.name, " SQL_WHEN_AT("v.closes_at") ", (SELECT "
	"coalesce(sum(views), 0) FROM "
	"vacancy_views w WHERE w.vacancy_id = v.id), "
	HIRING_MANAGERS_SQL("v.school_urn", EMAIL_LISTING_NO_APPLICATIONS)
	" FROM claimed JOIN vacancies v ON v.id = claimed.vacancy_id JOIN schools s ON s.urn = "
	"v.school_urn ORDER BY v.closes_at, v.id";

/* Queues the reminder of row i of res (claim_sql's) to its school's hiring managers. Returns 0
 * or -1 (logged). */
static int remind(PGconn *c, const PGresult *res, int i)
{
	long long views = strtoll(PQgetvalue(res, i, 4), NULL, 10);
	char link[64];
	json_t *model;
	int rc;

	snprintf(link, sizeof link, "/school/vacancies/%s#extend", PQgetvalue(res, i, 0));
	model = json_pack("{s:s, s:s, s:s, s:I, s:b, s:s}", "vacancy_title", PQgetvalue(res, i, 1),
			  "school_name", PQgetvalue(res, i, 2), "closes_label",
			  PQgetvalue(res, i, 3), "views", (json_int_t)views, "one_view", views == 1,
			  "link", link);
	if (model == NULL) {
		log_errorf(__func__, "out of memory");
		return -1;
	}
	rc = email_optional_enqueue_each(c, PQgetvalue(res, i, 5), EMAIL_LISTING_NO_APPLICATIONS,
					 "vacancy_no_applications", model);
	json_decref(model);
	if (rc < 0)
		return -1;
	log_event(LOG_INFO, "no applications reminder sent", "vacancy_id", PQgetvalue(res, i, 0),
		  NULL);
	return 0;
}

/* Sends the next batch of due reminders, in the transaction db_each_tx opened. Returns a
 * db_unit: DB_UNIT_NONE when none is due (or every due one is locked by another instance). */
static int reminder_unit(PGconn *c, void *arg)
{
	PGresult *res = PQexec(c, claim_sql);
	int rc = DB_UNIT_FAILED, i;

	(void)arg;
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	for (i = 0; i < PQntuples(res); i++)
		if (remind(c, res, i) != 0)
			goto out;
	rc = PQntuples(res) > 0 ? DB_UNIT_DONE : DB_UNIT_NONE;
out:
	PQclear(res);
	return rc;
}

int vacancy_reminders_run_once(PGconn *c)
{
	return db_each_tx(c, reminder_unit, NULL, VACANCY_REMINDERS_MAX / VACANCY_REMINDERS_BATCH);
}
