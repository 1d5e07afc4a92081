/* vacancy_reminders.c - reminders about a live vacancy to its school; see vacancy_reminders.h. */
#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "db.h"
#include "log.h"
#include "mail.h"
#include "vacancy_reminders.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* Claims the next live vacancy due the no_applications reminder (locked, and marked sent in
 * the caller's transaction): its id. */
static const char claim_sql[] =
	"WITH due AS (SELECT v.id FROM vacancies v WHERE v.status = 'published' AND v.closes_at > "
	"now() AND v.closes_at <= now() + interval '" STR(VACANCY_QUIET_HOURS) " hours' AND "
	"v.published_at <= now() - interval '" STR(VACANCY_QUIET_LIVE_DAYS) " days' AND NOT "
	"EXISTS (SELECT 1 FROM applications a WHERE a.vacancy_id = v.id AND a.status <> 'draft') "
	"AND NOT EXISTS (SELECT 1 FROM vacancy_reminders r WHERE r.vacancy_id = v.id AND r.kind = "
	"'no_applications') ORDER BY v.closes_at, v.id LIMIT 1 FOR UPDATE OF v SKIP LOCKED) "
	"INSERT INTO vacancy_reminders (vacancy_id, kind) SELECT id, 'no_applications' FROM due "
	"ON CONFLICT DO NOTHING RETURNING vacancy_id";

/* Vacancy $1: title, school name, closing time, views of its page, the hiring managers'
 * addresses (a JSON array). */
static const char details_sql[] =
	"SELECT v.title, s.name, to_char(v.closes_at AT TIME ZONE 'Europe/London', "
	"'FMDD FMMonth YYYY \"at\" FMHH12:MIam'), (SELECT coalesce(sum(views), 0) FROM "
	"vacancy_views w WHERE w.vacancy_id = v.id), " HIRING_MANAGER_EMAILS_SQL("v.school_urn")
	" FROM vacancies v JOIN schools s ON s.urn = v.school_urn WHERE v.id = $1::bigint";

/* Sends the next due reminder, in the transaction db_each_tx opened. Returns a db_unit:
 * DB_UNIT_NONE when none is due (or every due one is locked by another instance). */
static int reminder_unit(PGconn *c, void *arg)
{
	PGresult *claim = NULL, *res = NULL;
	json_t *model = NULL;
	const char *vals[1];
	char link[64];
	long long views;
	int rc = DB_UNIT_FAILED;

	(void)arg;
	claim = PQexec(c, claim_sql);
	if (PQresultStatus(claim) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	if (PQntuples(claim) == 0) {
		rc = DB_UNIT_NONE;
		goto out;
	}
	vals[0] = PQgetvalue(claim, 0, 0);
	res = PQexecParams(c, details_sql, 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		log_errorf(__func__, "vacancy %s: %s", vals[0], PQerrorMessage(c));
		goto out;
	}
	views = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
	snprintf(link, sizeof link, "/school/vacancies/%s#extend", vals[0]);
	model = json_pack("{s:s, s:s, s:s, s:I, s:b, s:s}", "vacancy_title", PQgetvalue(res, 0, 0),
			  "school_name", PQgetvalue(res, 0, 1), "closes_label",
			  PQgetvalue(res, 0, 2), "views", (json_int_t)views, "one_view", views == 1,
			  "link", link);
	if (model == NULL || mail_enqueue_each(c, PQgetvalue(res, 0, 4), "vacancy_no_applications",
					       model) < 0)
		goto out;
	log_event(LOG_INFO, "no applications reminder sent", "vacancy_id", vals[0], NULL);
	rc = DB_UNIT_DONE;
out:
	json_decref(model);
	PQclear(res);
	PQclear(claim);
	return rc;
}

int vacancy_reminders_run_once(PGconn *c)
{
	return db_each_tx(c, reminder_unit, NULL, VACANCY_REMINDERS_MAX);
}
