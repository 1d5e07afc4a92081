/* applications_candidate.c - the candidate's applications: the list (/account/applications),
 * one application (/account/applications/{id}: a draft's task list, or the read-only view of
 * a submitted one with the withdraw form), withdrawing (with a reason) and deleting a draft
 * (after a confirmation page); and the helpers of applications_candidate.h. Every status
 * change goes through application_transition in a transaction of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "application_documents.h"
#include "application_lifecycle.h"
#include "application_sections.h"
#include "applications_candidate.h"
#include "db.h"
#include "fields.h"
#include "handlers.h"
#include "log.h"
#include "vacancy_form.h"
#include "vacancy_view.h"

static const char list_sql[] =
	"SELECT a.id, a.status, v.title, s.name, " SQL_WHEN(VACANCY_CLOSES_SQL) ", "
	"(v.status = 'published' AND v.closes_at > now()), coalesce(" SQL_DAY("a.submitted_at") ", ''), "
	SQL_DAY("a.status_changed_at") ", " SQL_DAY("a.updated_at")
	" FROM applications a JOIN vacancies v ON v.id = a.vacancy_id"
	" JOIN schools s ON s.urn = v.school_urn"
	" WHERE a.candidate_id = $1 ORDER BY a.created_at DESC, a.id DESC";

/* The statuses a candidate may withdraw from. */
static const char *const withdrawable[] = { "submitted", "shortlisted", "interviewing",
					    "offered" };

/* True when an application in status may be withdrawn. */
static bool can_withdraw(const char *status)
{
	size_t i;

	for (i = 0; i < sizeof withdrawable / sizeof withdrawable[0]; i++)
		if (strcmp(status, withdrawable[i]) == 0)
			return true;
	return false;
}

int candidate_application_open(struct req *r, PGconn **conn, struct application *a)
{
	char id[24];
	const char *vals[1] = { id };
	json_error_t jerr;
	json_t *eo = NULL;
	PGconn *c = req_db(r);
	PGresult *res;
	int status;

	memset(a, 0, sizeof *a);
	*conn = c;
	if (c == NULL)
		return -http_send_error(r, 503, NULL);
	status = application_for_candidate(r, c, a);
	if (status < 0)
		return status;
	snprintf(id, sizeof id, "%lld", a->id);
	res = PQexecParams(c, "SELECT jsonb_strip_nulls(to_jsonb(e)) - 'application_id' - 'updated_at' FROM "
			      "application_equal_opps e WHERE application_id = $1",
			   1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		status = -http_send_error(r, 503, NULL);
		goto out;
	}
	if (PQntuples(res) == 1) {
		eo = json_loads(PQgetvalue(res, 0, 0), 0, &jerr);
		if (eo == NULL || json_object_set_new(a->data, "equal_opps", eo) != 0) {
			status = -http_send_error(r, 500, NULL);
			goto out;
		}
	}
	status = 0;
out:
	PQclear(res);
	if (status != 0)
		application_free(a);
	return status;
}

int candidate_answers_model(PGconn *c, const struct application *a, bool change_links,
			    json_t *model)
{
	char url[96];
	json_t *answers = json_array(), *docs, *d;
	size_t i;

	snprintf(url, sizeof url, "/account/applications/%lld/documents", a->id);
	docs = application_documents_list(c, a->id, url);
	if (answers == NULL || docs == NULL ||
	    json_object_set_new(model, "has_documents", json_boolean(json_array_size(docs) > 0)) ||
	    json_object_set_new(model, "documents", json_incref(docs)) ||
	    json_object_set_new(model, "documents_url", json_string(url)) ||
	    json_object_set_new(model, "change", json_boolean(change_links)))
		goto fail;
	for (i = 0; i < section_defs_len; i++) {
		const struct section_def *s = &section_defs[i];

		if (!(s->scope & SECTION_APPLICATION) || (s->religious_only && !a->religious))
			continue;
		snprintf(url, sizeof url, "/account/applications/%lld/%s", a->id, s->name);
		d = section_display(s, a->data);
		if (d == NULL || json_array_append_new(answers, d) != 0 ||
		    (change_links && json_object_set_new(d, "change_url", json_string(url)) != 0))
			goto fail;
	}
	json_decref(docs);
	return json_object_set_new(model, "answers", answers);
fail:
	log_errorf(__func__, "application %lld: cannot build its answers", a->id);
	json_decref(docs);
	json_decref(answers);
	return -1;
}

int candidate_transition(PGconn *c, long long id, const char *event, long long actor,
			 const char *reason)
{
	int rc;

	if (db_tx(c, "BEGIN") != 0)
		return -1;
	rc = application_transition(c, id, event, actor, reason, NULL);
	if (rc != AT_DONE) {
		db_tx(c, "ROLLBACK");
		return rc;
	}
	return db_tx(c, "COMMIT") == 0 ? AT_DONE : -1;
}

/* ---- the list --------------------------------------------------------------------------- */

/* Row i of a list_sql result as a list item. NULL when out of memory. */
static json_t *list_item(const PGresult *res, int i)
{
	char url[64];
	json_t *item;

	snprintf(url, sizeof url, "/account/applications/%s", PQgetvalue(res, i, 0));
	item = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "url", url, "vacancy_title",
			 PQgetvalue(res, i, 2), "school_name", PQgetvalue(res, i, 3),
			 "closes_label", PQgetvalue(res, i, 4), "vacancy_open",
			 PQgetvalue(res, i, 5)[0] == 't', "submitted_label", PQgetvalue(res, i, 6),
			 "changed_label", PQgetvalue(res, i, 7), "updated_label",
			 PQgetvalue(res, i, 8));
	if (item != NULL && application_status_tag(item, PQgetvalue(res, i, 1)) != 0) {
		json_decref(item);
		item = NULL;
	}
	return item;
}

/* GET /account/applications[?deleted=1]: the candidate's drafts and sent applications, newest
 * first. */
int candidate_applications(struct req *r)
{
	char uid[24];
	const char *vals[1] = { uid };
	const char *deleted = kv_get(&r->query, "deleted");
	json_t *model = NULL, *drafts = json_array(), *sent = json_array(), *item;
	PGconn *c = req_db(r);
	PGresult *res = NULL;
	int status, i;

	if (c == NULL) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	snprintf(uid, sizeof uid, "%lld", r->user->id);
	res = PQexecParams(c, list_sql, 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	for (i = 0; drafts != NULL && sent != NULL && i < PQntuples(res); i++) {
		item = list_item(res, i);
		if (json_array_append_new(strcmp(PQgetvalue(res, i, 1), "draft") == 0 ? drafts : sent,
					  item) != 0) {
			status = http_send_error(r, 500, NULL);
			goto out;
		}
	}
	model = json_pack("{s:O, s:O, s:b}", "drafts", drafts, "sent", sent, "deleted",
			  deleted != NULL && strcmp(deleted, "1") == 0);
	status = model != NULL ? view_render(r, 200, "account/applications", model)
			       : http_send_error(r, 500, NULL);
out:
	PQclear(res);
	json_decref(drafts);
	json_decref(sent);
	json_decref(model);
	return status;
}

/* ---- one application -------------------------------------------------------------------- */

/* True when query parameter name is "1". */
static bool query_flag(const struct req *r, const char *name)
{
	const char *v = kv_get(&r->query, name);

	return v != NULL && strcmp(v, "1") == 0;
}

/* Adds a draft's task list to model: tasks (sections_task_list, for partial
 * account/section_task_list), completed_count, sections_count, all_complete, documents; and
 * once its vacancy has closed, the answers (candidate_answers_model) shown instead of the
 * tasks. Returns 0, or -1 (logged). */
static int task_list_model(PGconn *c, const struct application *a, json_t *model)
{
	char base[64], docs_url[96];
	json_t *sections, *docs, *s;
	size_t i, done = 0;

	snprintf(base, sizeof base, "/account/applications/%lld", a->id);
	snprintf(docs_url, sizeof docs_url, "%s/documents", base);
	sections = sections_task_list(false, a->religious, base, a->data, a->completed);
	docs = application_documents_list(c, a->id, docs_url);
	json_array_foreach(sections, i, s)
		if (json_is_true(json_object_get(s, "completed")))
			done++;
	if (sections == NULL || docs == NULL ||
	    json_object_set_new(model, "sections_count", json_integer((json_int_t)json_array_size(
									sections))) ||
	    json_object_set_new(model, "completed_count", json_integer((json_int_t)done)) ||
	    json_object_set_new(model, "all_complete",
				json_boolean(sections_all_complete(a->religious, a->completed,
								   NULL))) ||
	    json_object_set_new(model, "tasks", json_incref(sections)) ||
	    json_object_set_new(model, "has_documents", json_boolean(json_array_size(docs) > 0)) ||
	    json_object_set_new(model, "documents", json_incref(docs)) ||
	    json_object_set_new(model, "documents_url", json_string(docs_url)) ||
	    (!a->vacancy_open && candidate_answers_model(c, a, false, model) != 0)) {
		log_errorf(__func__, "application %lld: cannot build its task list", a->id);
		json_decref(sections);
		json_decref(docs);
		return -1;
	}
	json_decref(sections);
	json_decref(docs);
	return 0;
}

/* Renders application a with status: a draft's task list (account/application), or the
 * read-only view (account/application_submitted) with the withdraw form while it may be
 * withdrawn, the confirmation panel after a submit (?submitted=1) and the banner after a
 * withdrawal (?withdrawn=1). model (borrowed) may already hold an error model and the typed
 * reason (form.reason). Returns the status sent. */
static int application_page(struct req *r, PGconn *c, const struct application *a, int status,
			    json_t *model)
{
	bool draft = strcmp(a->status, "draft") == 0;

	if (json_object_update_missing(model, a->model) != 0)
		return http_send_error(r, 500, NULL);
	if (draft)
		return task_list_model(c, a, model) == 0
			       ? view_render(r, status, "account/application", model)
			       : http_send_error(r, 503, NULL);
	if (candidate_answers_model(c, a, false, model) != 0 ||
	    json_object_set_new(model, "withdrawable", json_boolean(can_withdraw(a->status))) ||
	    json_object_set_new(model, "is_withdrawn",
				json_boolean(strcmp(a->status, "withdrawn") == 0)) ||
	    json_object_set_new(model, "confirmation",
				json_boolean(query_flag(r, "submitted") &&
					     strcmp(a->status, "submitted") == 0)) ||
	    json_object_set_new(model, "withdrawn_banner",
				json_boolean(query_flag(r, "withdrawn") &&
					     strcmp(a->status, "withdrawn") == 0)))
		return http_send_error(r, 503, NULL);
	return view_render(r, status, "account/application_submitted", model);
}

/* GET /account/applications/{id}: the application (see application_page). */
int candidate_application_show(struct req *r)
{
	struct application a;
	json_t *model;
	PGconn *c;
	int status;

	status = candidate_application_open(r, &c, &a);
	if (status < 0)
		return -status;
	model = json_object();
	status = model != NULL ? application_page(r, c, &a, 200, model)
			       : http_send_error(r, 500, NULL);
	json_decref(model);
	application_free(&a);
	return status;
}

/* ---- withdraw --------------------------------------------------------------------------- */

/* The page for an application that cannot be withdrawn (409). Returns the status sent. */
static int not_withdrawable(struct req *r, const struct application *a)
{
	char msg[160];

	if (strcmp(a->status, "draft") == 0)
		return http_send_error(r, 409, "This application has not been sent, so there is "
					       "nothing to withdraw. You can delete the draft.");
	snprintf(msg, sizeof msg, "This application can no longer be withdrawn: its status is "
				  "\"%s\".", application_status_label(a->status));
	return http_send_error(r, 409, msg);
}

/* POST /account/applications/{id}/withdraw (reason: required, at most 1,000 characters):
 * withdraws a submitted, shortlisted, interviewing or offered application; 303 back to it
 * with a banner. A missing or long reason: the page again with 422. */
int candidate_application_withdraw(struct req *r)
{
	struct application a;
	bool too_long = false;
	char *reason = NULL;
	json_t *model = NULL;
	PGconn *c;
	char location[80];
	int status, rc;

	status = candidate_application_open(r, &c, &a);
	if (status < 0)
		return -status;
	if (!can_withdraw(a.status)) {
		status = not_withdrawable(r, &a);
		goto out;
	}
	reason = vacancy_text_read(r, "reason", VF_REASON_MAX, &too_long);
	model = json_object();
	if (reason == NULL || model == NULL ||
	    json_object_set_new(model, "form", json_pack("{s:s}", "reason", reason)) != 0) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	if (too_long || reason[0] == '\0') {
		status = form_error(model, "reason",
				    too_long ? "Reason must be 1,000 characters or fewer"
					     : "Enter why you are withdrawing your application") == 0
				 ? application_page(r, c, &a, 422, model)
				 : http_send_error(r, 500, NULL);
		goto out;
	}
	rc = candidate_transition(c, a.id, "withdraw", r->user->id, reason);
	if (rc == AT_DONE) {
		snprintf(location, sizeof location, "/account/applications/%lld?withdrawn=1", a.id);
		status = http_redirect(r, location);
	} else if (rc == AT_NOT_ALLOWED) {
		status = http_send_error(r, 409, "This application can no longer be withdrawn.");
	} else {
		status = http_send_error(r, rc == AT_NOT_FOUND ? 404 : 503, NULL);
	}
out:
	free(reason);
	json_decref(model);
	application_free(&a);
	return status;
}

/* ---- delete a draft --------------------------------------------------------------------- */

/* POST /account/applications/{id}/delete: without confirm=yes the confirmation page; with it,
 * deletes the draft (and its documents) and answers 303 to the list. Only drafts (409). */
int candidate_application_delete(struct req *r)
{
	const char *confirm = kv_get(&r->form, "confirm");
	struct application a;
	PGconn *c;
	int status, rc;

	status = candidate_application_open(r, &c, &a);
	if (status < 0)
		return -status;
	if (strcmp(a.status, "draft") != 0) {
		status = http_send_error(r, 409, "Only a draft can be deleted. You can withdraw an "
						 "application you have sent.");
	} else if (confirm == NULL || strcmp(confirm, "yes") != 0) {
		status = view_render(r, 200, "account/application_delete", a.model);
	} else {
		rc = candidate_transition(c, a.id, "delete", r->user->id, NULL);
		status = rc == AT_DONE ? http_redirect(r, "/account/applications?deleted=1")
		       : rc == AT_NOT_ALLOWED
			       ? http_send_error(r, 409, "Only a draft can be deleted.")
			       : http_send_error(r, rc == AT_NOT_FOUND ? 404 : 503, NULL);
	}
	application_free(&a);
	return status;
}
