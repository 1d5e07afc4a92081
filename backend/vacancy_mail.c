/* vacancy_mail.c - the emails a vacancy's start and end send; see vacancy_mail.h. */
#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "db.h"
#include "email_preferences.h"
#include "log.h"
#include "mail.h"
#include "vacancy_mail.h"

/* The one row of sql for vacancy id_s, or NULL (logged as from `where`: a database error, or no
 * vacancy id_s that is `state`). */
static PGresult *vacancy_row(PGconn *c, const char *sql, const char *id_s, const char *state,
			     const char *where)
{
	const char *vals[1] = { id_s };
	PGresult *res = PQexecParams(c, sql, 1, NULL, vals, NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		log_errorf(where, "vacancy %s: %s", id_s, PQerrorMessage(c));
	else if (PQntuples(res) != 1)
		log_errorf(where, "vacancy %s is not %s", id_s, state);
	else
		return res;
	PQclear(res);
	return NULL;
}

/* Completes model (taken; NULL when it could not be made) with what every email about vacancy
 * id_s to its school says - vacancy_title, school_name and closes_label (columns 0 to 2 of its
 * row res) and link (the school's page of the listing) - and queues template `name`, the
 * optional email `key`, to the hiring managers in column `managers` of res (HIRING_MANAGERS_SQL).
 * Returns the number of messages queued, or -1 (logged as from `where`). */
static int school_mail(PGconn *c, const PGresult *res, const char *id_s, json_t *model,
		       int managers, const char *key, const char *name, const char *where)
{
	char link[64];
	int rc = -1;

	snprintf(link, sizeof link, "/school/vacancies/%s", id_s);
	if (model == NULL ||
	    json_object_set_new(model, "vacancy_title", json_string(PQgetvalue(res, 0, 0))) ||
	    json_object_set_new(model, "school_name", json_string(PQgetvalue(res, 0, 1))) ||
	    json_object_set_new(model, "closes_label", json_string(PQgetvalue(res, 0, 2))) ||
	    json_object_set_new(model, "link", json_string(link)))
		log_errorf(where, "vacancy %s: out of memory", id_s);
	else
		rc = email_optional_enqueue_each(c, PQgetvalue(res, 0, managers), key, name,
						 model);
	json_decref(model);
	return rc;
}

/* The live vacancy $1: title, school name, closing time (label), the hiring managers
 * (HIRING_MANAGERS_SQL). */
static const char live_sql[] =
	"SELECT v.title, s.name, " SQL_WHEN_AT("v.closes_at") ", "
	HIRING_MANAGERS_SQL("v.school_urn", EMAIL_LISTING_LIVE)
	" FROM vacancies v JOIN schools s ON s.urn = v.school_urn WHERE v.id = $1::bigint AND "
	"v.status = 'published'";

int vacancy_live_mail(PGconn *c, long long id)
{
	char id_s[24], page[64];
	PGresult *res;
	int rc;

	snprintf(id_s, sizeof id_s, "%lld", id);
	res = vacancy_row(c, live_sql, id_s, "live", __func__);
	if (res == NULL)
		return -1;
	snprintf(page, sizeof page, "/vacancies/%s", id_s);
	rc = school_mail(c, res, id_s, json_pack("{s:s}", "page", page), 3, EMAIL_LISTING_LIVE,
			 "vacancy_live", __func__);
	PQclear(res);
	return rc;
}

/* The closed vacancy $1: title, school name, closing time (label), the number of applications
 * (submitted or later, as on the dashboard: drafts are the candidates' own), the hiring
 * managers (HIRING_MANAGERS_SQL). */
static const char closed_sql[] =
	"SELECT v.title, s.name, " SQL_WHEN_AT("v.closes_at") ", (SELECT count(*) FROM "
	"applications a WHERE a.vacancy_id = v.id AND a.status <> 'draft'), "
	HIRING_MANAGERS_SQL("v.school_urn", EMAIL_LISTING_CLOSED)
	" FROM vacancies v JOIN schools s ON s.urn = v.school_urn WHERE v.id = $1::bigint AND "
	"v.status = 'closed'";

int vacancy_closed_mail(PGconn *c, long long id)
{
	char id_s[24];
	PGresult *res;
	long long n;
	int rc;

	snprintf(id_s, sizeof id_s, "%lld", id);
	res = vacancy_row(c, closed_sql, id_s, "closed", __func__);
	if (res == NULL)
		return -1;
	n = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
	rc = school_mail(c, res, id_s, json_pack("{s:I, s:b, s:b, s:b}", "applications",
						 (json_int_t)n, "no_applications", n == 0,
						 "one_application", n == 1, "many_applications",
						 n > 1),
			 4, EMAIL_LISTING_CLOSED, "vacancy_closed", __func__);
	PQclear(res);
	return rc;
}

/* The drafts of vacancy $1 whose candidate's account is enabled: application id, address,
 * the name to greet (the application's first name, else the account's), title, school name. */
static const char drafts_sql[] =
	"SELECT a.id, u.email, coalesce(nullif(a.data #>> '{personal,first_name}', ''), u.name), "
	"v.title, s.name FROM applications a JOIN users u ON u.id = a.candidate_id "
	"JOIN vacancies v ON v.id = a.vacancy_id JOIN schools s ON s.urn = v.school_urn "
	"WHERE a.vacancy_id = $1::bigint AND a.status = 'draft' AND u.disabled_at IS NULL "
	"ORDER BY a.id";

int vacancy_ended_mail(PGconn *c, long long id)
{
	char id_s[24], link[64];
	const char *vals[1] = { id_s };
	PGresult *res;
	json_t *model;
	int i, n = -1;

	snprintf(id_s, sizeof id_s, "%lld", id);
	res = PQexecParams(c, drafts_sql, 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "vacancy %s: %s", id_s, PQerrorMessage(c));
		goto out;
	}
	for (n = 0, i = 0; i < PQntuples(res); i++) {
		snprintf(link, sizeof link, "/account/applications/%s", PQgetvalue(res, i, 0));
		model = json_pack("{s:s, s:s, s:s, s:s}", "name", PQgetvalue(res, i, 2),
				  "vacancy_title", PQgetvalue(res, i, 3), "school_name",
				  PQgetvalue(res, i, 4), "link", link);
		if (model == NULL ||
		    mail_enqueue(c, PQgetvalue(res, i, 1), "application_vacancy_ended", model) != 0) {
			json_decref(model);
			n = -1;
			break;
		}
		json_decref(model);
		n++;
	}
out:
	PQclear(res);
	return n;
}
