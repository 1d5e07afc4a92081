/* saved_jobs.c - a candidate's saved jobs, as Teaching Vacancies keeps them for a jobseeker: a
 * "Save this job" button on a live vacancy's page, and the list at /account/saved-jobs with each
 * job's closing date (closed ones marked and kept until removed) and a button to remove it.
 *
 * Saving and removing are POST forms (CSRF-checked by the server) that redirect back to where
 * they came from: the vacancy's page, or the list when its form says from=saved. Only a live
 * vacancy can be saved (anything else is a 404, as on its page); saving twice keeps one entry;
 * a list holds at most SAVED_JOBS_MAX jobs. Saved jobs are in the account's data export and go
 * with the account (ON DELETE CASCADE).
 */
#include "saved_jobs.h"

#include <stdio.h>
#include <string.h>

#include "applications.h"
#include "auth.h"
#include "db.h"
#include "handlers.h"
#include "log.h"
#include "vacancy_view.h"

#define SAVED_URL "/account/saved-jobs"

/* The list, live jobs first (closing soonest), then closed ones (latest closed first); after
 * the item's columns: the candidate's application for the job (its id and status, or NULLs),
 * whether the job is closed, the day it was saved. */
static const char list_sql[] =
	"SELECT " VACANCY_ITEM_COLUMNS ", a.id, a.status, v.status <> 'published' OR "
	"v.closes_at <= now(), " SQL_DAY("sv.saved_at") " FROM saved_vacancies sv JOIN "
	"vacancies v ON v.id = sv.vacancy_id LEFT JOIN applications a ON a.vacancy_id = v.id AND "
	"a.candidate_id = sv.user_id "
	"JOIN schools s ON s.urn = v.school_urn WHERE sv.user_id = $1::bigint AND v.status IN "
	"('published', 'closed') ORDER BY v.status <> 'published' OR v.closes_at <= now(), "
	"CASE WHEN v.status = 'published' AND v.closes_at > now() THEN v.closes_at END, "
	"v.closes_at DESC, v.id LIMIT $2::int";

/* Saves a live vacancy unless the list is full: whether the vacancy is live, whether it was on
 * the list already, and whether it is on it now. */
static const char save_sql[] =
	"WITH v AS (SELECT id FROM vacancies WHERE id = $2::bigint AND status = 'published' AND "
	"closes_at > now()), had AS (SELECT 1 FROM saved_vacancies WHERE user_id = $1::bigint AND "
	"vacancy_id = $2::bigint), ins AS (INSERT INTO saved_vacancies (user_id, vacancy_id) "
	"SELECT $1::bigint, v.id FROM v WHERE NOT EXISTS (SELECT 1 FROM had) AND (SELECT count(*) "
	"FROM saved_vacancies WHERE user_id = $1::bigint) < $3::int ON CONFLICT DO NOTHING "
	"RETURNING 1) SELECT EXISTS (SELECT 1 FROM v), EXISTS (SELECT 1 FROM had), EXISTS (SELECT "
	"1 FROM ins)";

/* Where a save or remove form goes back to: the list when it says from=saved, else the
 * vacancy's page (written into out, n bytes). Never a location taken from the request. */
static const char *back_to(struct req *r, long long id, char *out, size_t n)
{
	const char *from = kv_get(&r->form, "from");

	if (from != NULL && strcmp(from, "saved") == 0)
		return SAVED_URL;
	snprintf(out, n, "/vacancies/%lld", id);
	return out;
}

/* The form's vacancy and user (the {id} segment, the signed-in candidate): fills *id, uid and
 * vid (as text) and returns a connection; or answers (404 for a malformed id, 503) and returns
 * NULL. */
static PGconn *form_open(struct req *r, long long *id, char uid[24], char vid[24])
{
	PGconn *c;

	*id = http_id_parse(r->params[0]);
	if (*id == 0) {
		http_send_error(r, 404, NULL);
		return NULL;
	}
	c = req_db(r);
	if (c == NULL) {
		http_send_error(r, 503, NULL);
		return NULL;
	}
	snprintf(uid, 24, "%lld", r->user->id);
	snprintf(vid, 24, "%lld", *id);
	return c;
}

int saved_job_save(struct req *r)
{
	char uid[24], vid[24], max[12], back[48], msg[128];
	const char *vals[3] = { uid, vid, max };
	PGconn *c;
	PGresult *res;
	long long id;
	int status;

	c = form_open(r, &id, uid, vid);
	if (c == NULL)
		return r->status;
	snprintf(max, sizeof max, "%d", SAVED_JOBS_MAX);
	res = PQexecParams(c, save_sql, 3, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		status = http_send_error(r, 503, NULL);
	} else if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		status = http_send_error(r, 404, "This job is closed or no longer listed, so it "
						 "cannot be saved.");
	} else if (strcmp(PQgetvalue(res, 0, 1), "t") != 0 &&
		   strcmp(PQgetvalue(res, 0, 2), "t") != 0) {
		snprintf(msg, sizeof msg, "You have saved %d jobs, the most you can keep. Remove "
			 "some from your saved jobs, then save this one.", SAVED_JOBS_MAX);
		status = http_send_error(r, 409, msg);
	} else {
		status = http_redirect(r, back_to(r, id, back, sizeof back));
	}
	PQclear(res);
	return status;
}

int saved_job_remove(struct req *r)
{
	char uid[24], vid[24], back[48];
	const char *vals[2] = { uid, vid };
	const char *to;
	PGresult *res;
	PGconn *c;
	long long id;
	int status;

	c = form_open(r, &id, uid, vid);
	if (c == NULL)
		return r->status;
	res = PQexecParams(c, "DELETE FROM saved_vacancies WHERE user_id = $1::bigint AND "
			      "vacancy_id = $2::bigint", 2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	/* Removing what is not on the list changes nothing and is not an error (a second tab). */
	to = back_to(r, id, back, sizeof back);
	status = http_redirect(r, strcmp(to, SAVED_URL) == 0 ? SAVED_URL "?removed=1" : to);
out:
	PQclear(res);
	return status;
}

/* Adds the list's jobs to model as "open" and "closed" (each row's list item, vacancy_view.h,
 * with saved_on, and application {id, status_label} when the candidate has one) with their
 * lengths. Returns 0, or -1 when out of memory. */
static int list_items(json_t *model, const PGresult *res, const struct label_list *subjects)
{
	int i, rows = PQntuples(res), cols = PQnfields(res);
	json_t *open = json_array(), *closed = json_array(), *item = NULL;
	int rc = -1;

	if (open == NULL || closed == NULL)
		goto out;
	for (i = 0; i < rows; i++) {
		item = vacancy_item_from_row(res, i, 0, subjects);
		if (item == NULL ||
		    json_object_set_new(item, "saved_on", json_string(PQgetvalue(res, i,
				cols - 1))) != 0 ||
		    (!PQgetisnull(res, i, cols - 4) &&
		     json_object_set_new(item, "application",
					 json_pack("{s:s, s:s}", "id", PQgetvalue(res, i, cols - 4),
						   "status_label",
						   application_status_label(PQgetvalue(
							   res, i, cols - 3)))) != 0) ||
		    json_array_append_new(strcmp(PQgetvalue(res, i, cols - 2), "t") == 0 ? closed
				: open, item) != 0)
			goto out;
		item = NULL;
	}
	if (json_object_set(model, "open", open) != 0 ||
	    json_object_set(model, "closed", closed) != 0 ||
	    json_object_set_new(model, "open_count",
				json_integer((json_int_t)json_array_size(open))) != 0 ||
	    json_object_set_new(model, "closed_count",
				json_integer((json_int_t)json_array_size(closed))) != 0)
		goto out;
	rc = 0;
out:
	json_decref(item);
	json_decref(open);
	json_decref(closed);
	return rc;
}

int saved_jobs_index(struct req *r)
{
	char uid[24], max[12], err[256];
	const char *vals[2] = { uid, max };
	const struct label_list *subjects;
	json_t *model = NULL;
	PGresult *res = NULL;
	PGconn *c = req_db(r);
	int status = 503;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	subjects = vacancy_subjects_list(c, err, sizeof err);
	if (subjects == NULL) {
		log_errorf(__func__, "%s", err);
		goto out;
	}
	snprintf(uid, sizeof uid, "%lld", r->user->id);
	snprintf(max, sizeof max, "%d", SAVED_JOBS_MAX);
	res = PQexecParams(c, list_sql, 2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	status = 500;
	model = json_pack("{s:i, s:i, s:b}", "count", PQntuples(res), "max", SAVED_JOBS_MAX,
			  "removed", kv_get(&r->query, "removed") != NULL);
	if (model == NULL || list_items(model, res, subjects) != 0)
		goto out;
	status = view_render(r, 200, "account/saved_jobs", model);
out:
	json_decref(model);
	PQclear(res);
	return r->status != 0 ? status : http_send_error(r, status, NULL);
}
