/* applications_candidate_submit.c - check your answers and submit:
 * GET /account/applications/{id}/review and POST /account/applications/{id}/submit.
 *
 * Submitting is one transaction: application_transition("submit") locks the row, checks the
 * status and the closing time, freezes the application and enqueues the candidate's
 * confirmation and the hiring managers' notifications; only when the COMMIT succeeded is the
 * candidate sent to the confirmation (303 to /account/applications/{id}?submitted=1). A second
 * submit of the same application - a double click, a resubmitted form, a retry - finds it
 * submitted (AT_NOT_ALLOWED) and is sent to the same confirmation: one application, one set
 * of emails. Sections not completed: the review page again (422) with an error summary naming
 * them; the vacancy has closed: the review page (409) saying so, nothing changed.
 */
#include <stdio.h>
#include <string.h>

#include "application_lifecycle.h"
#include "application_sections.h"
#include "applications_candidate.h"
#include "fields.h"
#include "handlers.h"
#include "log.h"

/* The task list item of sections titled title, or NULL. */
static json_t *section_titled(json_t *sections, const char *title)
{
	const char *t;
	json_t *s;
	size_t i;

	json_array_foreach(sections, i, s) {
		t = json_string_value(json_object_get(s, "title"));
		if (t != NULL && strcmp(t, title) == 0)
			return s;
	}
	return NULL;
}

/* Adds the sections a lacks to model: missing [{title, url, anchor}] (each linked to its page,
 * and its card on the review page has id anchor) and all_complete. When errors is true they
 * also go into the error summary. Returns 0, or -1 when out of memory. */
static int missing_model(const struct application *a, bool errors, json_t *model)
{
	char base[64], msg[160], anchor[80];
	json_t *titles = json_array(), *sections, *out = json_array(), *t, *s;
	const char *title, *name;
	bool complete = false;
	size_t i;
	int rc = -1;

	snprintf(base, sizeof base, "/account/applications/%lld", a->id);
	sections = sections_task_list(false, a->religious, base, a->data, a->completed);
	if (titles == NULL || sections == NULL || out == NULL)
		goto out;
	complete = sections_all_complete(a->religious, a->completed, titles);
	json_array_foreach(titles, i, t) {
		title = json_string_value(t);
		s = section_titled(sections, title);
		name = s != NULL ? json_string_value(json_object_get(s, "name")) : NULL;
		snprintf(anchor, sizeof anchor, "section-%s", name != NULL ? name : "list");
		snprintf(msg, sizeof msg, "Complete the section: %s", title);
		if (json_array_append_new(out, json_pack("{s:s, s:s?, s:s}", "title", title, "url",
							 s != NULL ? json_string_value(json_object_get(
									     s, "url"))
								   : NULL,
							 "anchor", anchor)) != 0 ||
		    (errors && form_error(model, anchor, msg) != 0))
			goto out;
	}
	rc = json_object_set_new(model, "all_complete", json_boolean(complete)) ||
	     json_object_set(model, "missing", out);
out:
	json_decref(titles);
	json_decref(sections);
	json_decref(out);
	return rc;
}

/* Renders the review page of draft a with status: every section with a Change link, the
 * documents, what is missing and the submit form (while the vacancy is open). missing_errors
 * puts the missing sections in the error summary; closed_error adds the "job has closed"
 * error. Returns the status sent. */
static int review_page(struct req *r, PGconn *c, const struct application *a, int status,
		       bool missing_errors, bool closed_error)
{
	json_t *model = json_object();
	int rc;

	if (model == NULL || json_object_update(model, a->model) != 0 ||
	    (closed_error &&
	     (json_object_set_new(model, "vacancy_open", json_false()) != 0 ||
	      form_error(model, "submit", "This job has closed, so your application cannot be "
					  "sent.") != 0)) ||
	    missing_model(a, missing_errors, model) != 0 ||
	    candidate_answers_model(c, a, true, model) != 0) {
		log_errorf(__func__, "application %lld: cannot build the review page", a->id);
		rc = http_send_error(r, 503, NULL);
	} else {
		rc = view_render(r, status, "account/application_review", model);
	}
	json_decref(model);
	return rc;
}

/* Answers 303 to application id, with the confirmation panel when confirmation is true.
 * Returns the status sent. */
static int to_application(struct req *r, long long id, bool confirmation)
{
	char location[80];

	snprintf(location, sizeof location, "/account/applications/%lld%s", id,
		 confirmation ? "?submitted=1" : "");
	return http_redirect(r, location);
}

/* GET /account/applications/{id}/review: check your answers (a draft's; anything else goes to
 * the application). */
int candidate_application_review(struct req *r)
{
	struct application a;
	PGconn *c;
	int status;

	status = candidate_application_open(r, &c, &a);
	if (status < 0)
		return -status;
	if (strcmp(a.status, "draft") != 0)
		status = to_application(r, a.id, false);
	else
		status = review_page(r, c, &a, 200, false, false);
	application_free(&a);
	return status;
}

/* The review page again with status after a refused submit, from the application reloaded
 * whole, equal-opportunities answers included (the submit itself reads only its row).
 * Returns the status sent. */
static int review_again(struct req *r, int status, bool missing_errors, bool closed_error)
{
	struct application a;
	PGconn *c;
	int sent;

	sent = candidate_application_open(r, &c, &a);
	if (sent < 0)
		return -sent;
	sent = review_page(r, c, &a, status, missing_errors, closed_error);
	application_free(&a);
	return sent;
}

/* POST /account/applications/{id}/submit: submits the draft (see the top of this file). Only
 * the application's row is read before the transaction (application_for_candidate): the
 * answers are needed only for the review page of a refusal. */
int candidate_application_submit(struct req *r)
{
	struct application a;
	PGconn *c = req_db(r);
	int status, rc;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = application_for_candidate(r, c, &a);
	if (status < 0)
		return -status;
	if (strcmp(a.status, "draft") != 0) {
		status = to_application(r, a.id, strcmp(a.status, "submitted") == 0);
		goto out;
	}
	if (!sections_all_complete(a.religious, a.completed, NULL)) {
		status = review_again(r, 422, true, false);
		goto out;
	}
	rc = candidate_transition(c, a.id, "submit", r->user->id, NULL);
	switch (rc) {
	case AT_DONE:
	case AT_NOT_ALLOWED:
		status = to_application(r, a.id, true);
		break;
	case AT_CLOSED:
		status = review_again(r, 409, false, true);
		break;
	case AT_NOT_FOUND:
		status = http_send_error(r, 404, NULL);
		break;
	default:
		status = http_send_error(r, 503, "Your application has not been sent. Please try "
						 "again in a few minutes.");
	}
out:
	application_free(&a);
	return status;
}
