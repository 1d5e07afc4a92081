/* applications.c - loading an application for its candidate or its school; see applications.h. */
#include "applications.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "db_prepared.h"
#include "log.h"
#include "vacancy_view.h"

/* One application, by id ($1); prepared (db_prepared.h): every application page runs it. */
static const struct db_stmt load_stmt = {
	"application_load",
	"SELECT a.id, a.vacancy_id, coalesce(a.candidate_id, 0), a.status, v.status, v.school_urn,"
	" s.religious_character, (v.status = 'published' AND v.closes_at > now()),"
	" a.data, to_json(a.completed), v.title, s.name, " SQL_ISO(VACANCY_CLOSES_SQL) ", "
	SQL_WHEN(VACANCY_CLOSES_SQL) ", " SQL_DAY("a.created_at") ", " SQL_WHEN("a.updated_at")
	", coalesce(" SQL_ISO("a.submitted_at") ", ''), coalesce(" SQL_WHEN("a.submitted_at")
	", ''), " SQL_WHEN("a.status_changed_at") ", coalesce(a.withdrawn_reason, ''),"
	" a.anonymised_at IS NOT NULL,"
	" trim(coalesce(a.data #>> '{personal,first_name}', '') || ' ' ||"
	" coalesce(a.data #>> '{personal,last_name}', ''))"
	" FROM applications a JOIN vacancies v ON v.id = a.vacancy_id"
	" JOIN schools s ON s.urn = v.school_urn WHERE a.id = $1::bigint",
	1,
};

enum {
	COL_ID, COL_VACANCY, COL_CANDIDATE, COL_STATUS, COL_VSTATUS, COL_URN, COL_RELIGION, COL_OPEN,
	COL_DATA, COL_COMPLETED, COL_TITLE, COL_SCHOOL, COL_CLOSES_AT, COL_CLOSES_LABEL,
	COL_CREATED, COL_UPDATED, COL_SUBMITTED_AT, COL_SUBMITTED, COL_CHANGED, COL_WITHDRAWN,
	COL_ANON, COL_NAME,
};

/* The statuses, their labels and tag classes. */
static const struct {
	const char *status;
	const char *label;
	const char *tag;
} statuses[] = {
	{ "draft", "Draft", "govuk-tag--grey" },
	{ "submitted", "Submitted", "govuk-tag--blue" },
	{ "shortlisted", "Shortlisted", "govuk-tag--purple" },
	{ "interviewing", "Interviewing", "govuk-tag--turquoise" },
	{ "offered", "Offered", "govuk-tag--yellow" },
	{ "accepted", "Accepted", "govuk-tag--green" },
	{ "declined", "Offer declined", "govuk-tag--orange" },
	{ "unsuccessful", "Not progressing", "govuk-tag--red" },
	{ "withdrawn", "Withdrawn", "govuk-tag--grey" },
};

const char *application_status_label(const char *status)
{
	size_t i;

	for (i = 0; status != NULL && i < sizeof statuses / sizeof statuses[0]; i++)
		if (strcmp(statuses[i].status, status) == 0)
			return statuses[i].label;
	return NULL;
}

int application_status_tag(json_t *obj, const char *status)
{
	const char *label = status, *tag = "";
	size_t i;

	for (i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (strcmp(statuses[i].status, status) == 0) {
			label = statuses[i].label;
			tag = statuses[i].tag;
		}
	return json_object_set_new(obj, "status", json_string(status)) ||
	       json_object_set_new(obj, "status_label", json_string(label)) ||
	       json_object_set_new(obj, "status_class", json_string(tag));
}

bool school_is_religious(const char *rc)
{
	return rc != NULL && rc[0] != '\0' && strcasecmp(rc, "Does not apply") != 0 &&
	       strcasecmp(rc, "None") != 0;
}

void application_free(struct application *a)
{
	json_decref(a->data);
	json_decref(a->completed);
	json_decref(a->model);
	a->data = a->completed = a->model = NULL;
}

/* Adds column col of row 0 of res to model as key (a string). Returns 0 or -1. */
static int put(json_t *model, const char *key, const PGresult *res, int col)
{
	return json_object_set_new(model, key, json_string(PQgetvalue(res, 0, col)));
}

/* Fills a->model from row 0 of res. Returns 0 or -1 (out of memory). */
static int build_model(struct application *a, const PGresult *res)
{
	char url[64];
	const char *name = PQgetvalue(res, 0, COL_NAME);
	bool anon = PQgetvalue(res, 0, COL_ANON)[0] == 't';
	json_t *m = json_object();

	a->model = m;
	snprintf(url, sizeof url, "/vacancies/%lld", a->vacancy_id);
	if (m == NULL || json_object_set_new(m, "id", json_integer(a->id)) ||
	    application_status_tag(m, a->status) ||
	    json_object_set_new(m, "vacancy_id", json_integer(a->vacancy_id)) ||
	    put(m, "vacancy_title", res, COL_TITLE) ||
	    json_object_set_new(m, "vacancy_url", json_string(url)) ||
	    json_object_set_new(m, "school_urn", json_integer(a->school_urn)) ||
	    put(m, "school_name", res, COL_SCHOOL) || put(m, "closes_at", res, COL_CLOSES_AT) ||
	    put(m, "closes_label", res, COL_CLOSES_LABEL) ||
	    put(m, "created_label", res, COL_CREATED) ||
	    put(m, "updated_label", res, COL_UPDATED) ||
	    put(m, "submitted_at", res, COL_SUBMITTED_AT) ||
	    put(m, "submitted_label", res, COL_SUBMITTED) ||
	    put(m, "status_changed_label", res, COL_CHANGED) ||
	    put(m, "withdrawn_reason", res, COL_WITHDRAWN) ||
	    json_object_set_new(m, "anonymised", json_boolean(anon)) ||
	    json_object_set_new(m, "vacancy_open", json_boolean(a->vacancy_open)) ||
	    json_object_set_new(m, "candidate_name",
				json_string(anon || name[0] == '\0' ? (anon ? "Deleted candidate"
									   : "Name not given")
								    : name)))
		return -1;
	return 0;
}

int application_load(PGconn *c, long long id, struct application *a)
{
	char idbuf[24];
	const char *params[1] = { idbuf };
	json_error_t jerr;
	PGresult *res;
	int rc = -1;

	memset(a, 0, sizeof *a);
	snprintf(idbuf, sizeof idbuf, "%lld", id);
	res = db_prepared_exec(c, &load_stmt, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	if (PQntuples(res) == 0) {
		rc = 0;
		goto out;
	}
	a->id = strtoll(PQgetvalue(res, 0, COL_ID), NULL, 10);
	a->vacancy_id = strtoll(PQgetvalue(res, 0, COL_VACANCY), NULL, 10);
	a->candidate_id = strtoll(PQgetvalue(res, 0, COL_CANDIDATE), NULL, 10);
	snprintf(a->status, sizeof a->status, "%s", PQgetvalue(res, 0, COL_STATUS));
	snprintf(a->vacancy_status, sizeof a->vacancy_status, "%s", PQgetvalue(res, 0, COL_VSTATUS));
	a->school_urn = strtol(PQgetvalue(res, 0, COL_URN), NULL, 10);
	a->religious = !PQgetisnull(res, 0, COL_RELIGION) &&
		       school_is_religious(PQgetvalue(res, 0, COL_RELIGION));
	a->vacancy_open = PQgetvalue(res, 0, COL_OPEN)[0] == 't';
	a->data = json_loads(PQgetvalue(res, 0, COL_DATA), 0, &jerr);
	a->completed = json_loads(PQgetvalue(res, 0, COL_COMPLETED), 0, &jerr);
	if (!json_is_object(a->data) || !json_is_array(a->completed) || build_model(a, res) != 0) {
		log_errorf(__func__, "application %lld: cannot read its data", id);
		application_free(a);
		goto out;
	}
	rc = 1;
out:
	PQclear(res);
	return rc;
}

int application_for_candidate(struct req *r, PGconn *c, struct application *a)
{
	long long id = r->nparams > 0 ? http_id_parse(r->params[0]) : 0;
	int found;

	memset(a, 0, sizeof *a);
	if (id <= 0 || r->user == NULL)
		return -http_send_error(r, 404, NULL);
	found = application_load(c, id, a);
	if (found < 0)
		return -http_send_error(r, 503, NULL);
	if (found == 0 || a->candidate_id != r->user->id) {
		application_free(a);
		return -http_send_error(r, 404, NULL);
	}
	return 0;
}

int application_for_school(struct req *r, PGconn *c, enum school_access need,
			   struct application *a, bool *can_manage)
{
	long long id = r->nparams > 0 ? http_id_parse(r->params[0]) : 0;
	int found, status;

	memset(a, 0, sizeof *a);
	if (id <= 0)
		return -http_send_error(r, 404, NULL);
	found = application_load(c, id, a);
	if (found < 0)
		return -http_send_error(r, 503, NULL);
	if (found == 0 || strcmp(a->status, "draft") == 0) {
		application_free(a);
		return -http_send_error(r, 404, NULL);
	}
	status = tenancy_require(r, c, a->school_urn, need,
				 "You can read your school's applications but not change them: "
				 "only hiring managers can.", can_manage);
	if (status < 0)
		application_free(a);
	return status;
}
