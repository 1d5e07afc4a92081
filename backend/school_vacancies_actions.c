/* school_vacancies_actions.c - what a hiring manager does to a vacancy from its summary page:
 * publish now, schedule, return to draft (POST .../publish with action=now|schedule|
 * unschedule), extend the closing date (.../extend), end early (.../end), say whether the post
 * of a closed listing was filled (.../outcome), copy (.../copy) and delete a draft
 * (.../delete, after a confirmation page). Every status change goes through
 * vacancy_transition() in a transaction of its own. A refused action shows the summary again
 * with an error summary (422 for input to correct, 409 when the vacancy's status does not
 * allow it) and changes nothing; a done one answers 303 to the summary with a banner.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "fields.h"
#include "handlers.h"
#include "log.h"
#include "school_vacancies.h"
#include "vacancy_lifecycle.h"

static const char closed_message[] =
	"This job listing has closed, so it can no longer be changed. You can copy it to "
	"advertise the job again.";

/* Runs vacancy_transition in a transaction of its own: committed when done, rolled back
 * otherwise. Returns its result (VT_*), or -1 (logged). */
static int transition(PGconn *c, long long id, const char *event, long long actor,
		      const char *reason, json_t *detail)
{
	int rc;

	if (db_tx(c, "BEGIN") != 0)
		return -1;
	rc = vacancy_transition(c, id, event, actor, reason, detail);
	if (rc != VT_DONE) {
		db_tx(c, "ROLLBACK");
		return rc;
	}
	return db_tx(c, "COMMIT") == 0 ? VT_DONE : -1;
}

/* Shows the summary again with one error (field: the id it links to) and status, plus the
 * values of extra (may be NULL; borrowed). Returns the status sent. */
static int refuse(struct req *r, PGconn *c, struct vacancy_form *f, const char *field,
		  const char *message, int status, json_t *extra)
{
	json_t *errs = extra != NULL ? json_incref(extra) : json_object();
	int rc;

	if (errs == NULL || form_error(errs, field, message) != 0) {
		json_decref(errs);
		return http_send_error(r, 500, NULL);
	}
	rc = school_vacancy_summary(r, c, f, true, errs, status);
	json_decref(errs);
	return rc;
}

/* Answers 303 to the summary of vacancy id with banner `done`. Returns the status sent. */
static int done(struct req *r, long long id, const char *what)
{
	char location[96];

	snprintf(location, sizeof location, "/school/vacancies/%lld?done=%s", id, what);
	return http_redirect(r, location);
}

/* The start of an action on one vacancy: the request's connection into *c and the vacancy
 * named by the path into f, for a hiring manager (school_vacancy_load), when its status is
 * `want` or `also` (NULL: none). Otherwise it answers - 503 without a database, 404 or 403 as
 * school_vacancy_load, or the summary with if_closed (a closed vacancy) or otherwise (another
 * status) at 409 - and returns the status sent, negated. Returns 0 with f loaded (the caller
 * frees it with vacancy_form_free). */
static int action_start(struct req *r, PGconn **c, struct vacancy_form *f, const char *want,
			const char *also, const char *if_closed, const char *otherwise)
{
	int status;

	*c = req_db(r);
	if (*c == NULL)
		return -http_send_error(r, 503, NULL);
	status = school_vacancy_load(r, *c, SCHOOL_HIRING_MANAGER, f, NULL);
	if (status < 0)
		return status;
	if (strcmp(f->status, want) == 0 || (also != NULL && strcmp(f->status, also) == 0))
		return 0;
	status = refuse(r, *c, f, "actions",
			strcmp(f->status, "closed") == 0 ? if_closed : otherwise, 409, NULL);
	vacancy_form_free(f);
	return -status;
}

/* Answers a transition's result rc: 303 with banner `what` when done; otherwise the summary
 * again with `not_allowed` (409) or `not_ready` (422) linked to `field`, 404, or 503. */
static int answer(struct req *r, PGconn *c, struct vacancy_form *f, int rc, const char *what,
		  const char *field, const char *not_allowed, const char *not_ready)
{
	switch (rc) {
	case VT_DONE:
		return done(r, f->id, what);
	case VT_NOT_FOUND:
		return http_send_error(r, 404, NULL);
	case VT_NOT_ALLOWED:
		return refuse(r, c, f, field, not_allowed, 409, NULL);
	case VT_NOT_READY:
		return refuse(r, c, f, field, not_ready, 422, NULL);
	default:
		return http_send_error(r, 503, NULL);
	}
}

/* Why `event` does not apply to a vacancy in `status` (for the 409 page). */
static const char *not_allowed_message(const char *status, const char *event)
{
	if (strcmp(status, "closed") == 0)
		return closed_message;
	if (strcmp(event, "unschedule") == 0)
		return "Only a scheduled job listing can be returned to draft.";
	if (strcmp(status, "published") == 0)
		return "This job listing is already live.";
	if (strcmp(status, "scheduled") == 0)
		return "This job listing is already scheduled. Publish it now, or return it to "
		       "draft first to schedule it for another date.";
	return "This cannot be done to a job listing in draft.";
}

/* ---- publish, schedule, return to draft ------------------------------------------------- */

/* The error model of every missing field of f for publishing (or scheduling), each linked to
 * its summary row. NULL when out of memory; an empty object when nothing is missing. */
static json_t *missing_errors(const struct vacancy_form *f, const char *now, bool schedule)
{
	json_t *errs = json_object(), *list = json_array(), *m;
	size_t i;

	if (errs == NULL || list == NULL || vacancy_form_missing(f, now, schedule, list) < 0)
		goto fail;
	json_array_foreach(list, i, m)
		if (form_error(errs, json_string_value(json_object_get(m, "row")),
			       json_string_value(json_object_get(m, "message"))) != 0)
			goto fail;
	json_decref(list);
	return errs;
fail:
	json_decref(list);
	json_decref(errs);
	return NULL;
}

/* POST /school/vacancies/{id}/publish, action=now (the default), schedule or unschedule. */
int school_vacancy_publish(struct req *r)
{
	const char *action = kv_get(&r->form, "action");
	struct vacancy_form f;
	struct vacancy_refs refs = { 0 };
	json_t *errs = NULL;
	bool schedule;
	PGconn *c = req_db(r);
	int status, rc;

	if (action == NULL || action[0] == '\0')
		action = "now";
	if (strcmp(action, "now") != 0 && strcmp(action, "schedule") != 0 &&
	    strcmp(action, "unschedule") != 0)
		return http_send_error(r, 400, "Choose to publish now, schedule, or return the "
					       "listing to draft.");
	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = school_vacancy_load(r, c, SCHOOL_HIRING_MANAGER, &f, NULL);
	if (status < 0)
		return -status;
	if (strcmp(action, "unschedule") == 0) {
		rc = transition(c, f.id, "unschedule", r->user->id, NULL, NULL);
		status = answer(r, c, &f, rc, "unscheduled", "actions",
				not_allowed_message(f.status, "unschedule"), "");
		goto out;
	}
	schedule = strcmp(action, "schedule") == 0;
	/* A draft is published or scheduled; a scheduled listing may be published at once. */
	if (strcmp(f.status, "draft") != 0 && (schedule || strcmp(f.status, "scheduled") != 0)) {
		status = refuse(r, c, &f, "actions",
				not_allowed_message(f.status, schedule ? "schedule" : "publish"),
				409, NULL);
		goto out;
	}
	if (vacancy_refs_load(c, r, 0, &refs) != 0 ||
	    (errs = missing_errors(&f, refs.now, schedule)) == NULL) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if (form_has_errors(errs)) {
		status = school_vacancy_summary(r, c, &f, true, errs, 422);
		goto out;
	}
	rc = transition(c, f.id, schedule ? "schedule" : "publish", r->user->id, NULL, NULL);
	if (rc == VT_NOT_ALLOWED) {
		/* Another request moved it since it was read (a double click on Publish): answer
		 * from what it is now - done, when that is what was asked. */
		vacancy_form_free(&f);
		status = school_vacancy_load(r, c, SCHOOL_HIRING_MANAGER, &f, NULL);
		if (status < 0) {
			status = -status;
			goto out;
		}
		if (strcmp(f.status, schedule ? "scheduled" : "published") == 0)
			rc = VT_DONE;
	}
	status = answer(r, c, &f, rc, schedule ? "scheduled" : "published", "actions",
			not_allowed_message(f.status, schedule ? "schedule" : "publish"),
			schedule ? "The publish date must be after today and before the closing "
				   "date."
				 : "Closing date must be in the future");
out:
	json_decref(errs);
	vacancy_refs_free(&refs);
	vacancy_form_free(&f);
	return status;
}

/* ---- extend ----------------------------------------------------------------------------- */

/* The extend form as typed, with its messages, for the summary page (key "extend"). */
static json_t *extend_values(const struct vf_date *d, const char *time, const char *reason,
			     const json_t *errs)
{
	return json_pack("{s:o, s:s, s:o, s:s, s:s}", "date",
			 school_vacancy_date_group("extend_date", "New closing date",
						   "For example, 27 3 2026", d, errs),
			 "time_message", school_vacancy_message(errs, "extend_time"), "times",
			 school_vacancy_times(time), "reason", reason, "reason_message",
			 school_vacancy_message(errs, "extend_reason"));
}

/* Reads and checks the extend form: new closing date and time (after the current closing
 * time and in the future), reason. Adds errors to errs; on success writes the new local
 * closing time "YYYY-MM-DD HH:MM" into local (24 bytes). Returns 0, -1 when out of memory. */
static int extend_read(const struct req *r, const struct vacancy_form *f, const char *now,
		       struct vf_date *d, char *time, size_t timelen, char **reason,
		       char local[24], json_t *errs)
{
	char iso[11], msg[128], field[64], current[11], current_at[24] = "";
	const char *problem = vacancy_date_read(r, "extend_date", "New closing date", d, iso, msg,
						sizeof msg);
	bool too_long = false;
	int rc = 0;

	local[0] = '\0';
	vacancy_date_field(d, "extend_date", field, sizeof field);
	if (problem != NULL)
		rc |= form_error(errs, field, problem);
	else if (iso[0] == '\0')
		rc |= form_error(errs, field, "Enter the new closing date");
	form_text(r, "extend_time", time, timelen);
	if (iso[0] != '\0' && label_of(&vacancy_closing_times, time) != NULL) {
		snprintf(local, 24, "%s %s", iso, time);
		if (vacancy_date_iso(&f->closes, current) == 0)
			snprintf(current_at, sizeof current_at, "%s %s", current, f->closes_time);
		if (strcmp(local, now) <= 0)
			rc |= form_error(errs, field, "New closing date must be in the future");
		else if (strcmp(local, current_at) <= 0)
			rc |= form_error(errs, field, "New closing date must be after the current "
						      "closing date");
	}
	if (label_of(&vacancy_closing_times, time) == NULL)
		rc |= form_error(errs, "extend_time", "Select the new closing time");
	*reason = vacancy_text_read(r, "extend_reason", VF_REASON_MAX, &too_long);
	if (*reason == NULL)
		return -1;
	if (too_long)
		rc |= form_error(errs, "extend_reason", "Reason must be 1,000 characters or fewer");
	else if ((*reason)[0] == '\0')
		rc |= form_error(errs, "extend_reason", "Enter why the closing date is extended");
	return rc != 0 ? -1 : 0;
}

/* The new closing time local ("YYYY-MM-DD HH:MM", Europe/London) as a timestamptz text, into
 * out (64 bytes). Returns 0, or -1 (logged). */
static int closing_timestamp(PGconn *c, const char *local, char out[64])
{
	const char *vals[1] = { local };
	PGresult *res = PQexecParams(c, "SELECT make_timestamptz(substr($1, 1, 4)::integer, "
					"substr($1, 6, 2)::integer, substr($1, 9, 2)::integer, "
					"substr($1, 12, 2)::integer, substr($1, 15, 2)::integer, 0, "
					"'Europe/London')::text", 1, NULL, vals, NULL, NULL, 0);
	int rc = -1;

	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		snprintf(out, 64, "%s", PQgetvalue(res, 0, 0));
		rc = 0;
	} else {
		log_errorf(__func__, "%s", PQerrorMessage(c));
	}
	PQclear(res);
	return rc;
}

/* POST /school/vacancies/{id}/extend (extend_date-day/-month/-year, extend_time,
 * extend_reason): a later closing date for a published or scheduled vacancy. */
int school_vacancy_extend(struct req *r)
{
	struct vacancy_form f;
	struct vacancy_refs refs = { 0 };
	struct vf_date d = { 0 };
	char time[16] = "", local[24], stamp[64];
	char *reason = NULL;
	json_t *errs = NULL, *detail = NULL;
	PGconn *c;
	int status, rc;

	status = action_start(r, &c, &f, "published", "scheduled",
			      "This job listing has closed, so its closing date cannot be "
			      "extended. You can copy it to advertise the job again.",
			      "Only a live or scheduled job listing can be extended. Change a "
			      "draft's closing date in its dates section.");
	if (status < 0)
		return -status;
	errs = json_object();
	if (errs == NULL || vacancy_refs_load(c, r, 0, &refs) != 0 ||
	    (extend_read(r, &f, refs.now, &d, time, sizeof time, &reason, local, errs) != 0 &&
	     !form_has_errors(errs))) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if (form_has_errors(errs)) {
		if (json_object_set_new(errs, "extend",
					extend_values(&d, time, reason ? reason : "", errs)) != 0)
			status = http_send_error(r, 500, NULL);
		else
			status = school_vacancy_summary(r, c, &f, true, errs, 422);
		goto out;
	}
	detail = json_object();
	if (detail == NULL || closing_timestamp(c, local, stamp) != 0 ||
	    json_object_set_new(detail, "closes_at", json_string(stamp)) != 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	rc = transition(c, f.id, "extend", r->user->id, reason, detail);
	status = answer(r, c, &f, rc, "extended", "extend_date-day",
			not_allowed_message(f.status, "extend"),
			"New closing date must be in the future and after the current closing "
			"date");
out:
	free(reason);
	json_decref(detail);
	json_decref(errs);
	vacancy_refs_free(&refs);
	vacancy_form_free(&f);
	return status;
}

/* ---- end early -------------------------------------------------------------------------- */

/* The answer to "Was the post filled?" (ending early, and after closing). */
static const char filled_missing[] = "Select yes if the post was filled";

/* The "Was the post filled?" radios of form field `field`: 1 yes, 0 no, -1 neither chosen. */
static int filled_answer(const struct req *r, const char *field)
{
	const char *v = kv_get(&r->form, field);

	if (v != NULL && strcmp(v, "yes") == 0)
		return 1;
	return v != NULL && strcmp(v, "no") == 0 ? 0 : -1;
}

/* POST /school/vacancies/{id}/end (end_reason, end_filled=yes|no): closes a live vacancy now. */
int school_vacancy_end(struct req *r)
{
	struct vacancy_form f;
	char *reason = NULL;
	bool too_long = false;
	json_t *errs = NULL, *detail = NULL;
	PGconn *c;
	int status, rc = 0, filled;

	status = action_start(r, &c, &f, "published", NULL, "This job listing has already closed.",
			      "Only a live job listing can be ended early. A draft can be "
			      "deleted; a scheduled listing can be returned to draft.");
	if (status < 0)
		return -status;
	filled = filled_answer(r, "end_filled");
	reason = vacancy_text_read(r, "end_reason", VF_REASON_MAX, &too_long);
	errs = json_object();
	if (reason == NULL || errs == NULL) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	if (too_long)
		rc |= form_error(errs, "end_reason", "Reason must be 1,000 characters or fewer");
	else if (reason[0] == '\0')
		rc |= form_error(errs, "end_reason", "Enter why the job listing is ending early");
	if (filled < 0)
		rc |= form_error(errs, "end_filled", filled_missing);
	if (rc == 0 && form_has_errors(errs)) {
		rc = json_object_set_new(
			errs, "end",
			json_pack("{s:s, s:s, s:b, s:b, s:s}", "reason", reason, "reason_message",
				  school_vacancy_message(errs, "end_reason"), "filled_yes", filled == 1,
				  "filled_no", filled == 0, "filled_message",
				  school_vacancy_message(errs, "end_filled")));
		status = rc != 0 ? http_send_error(r, 500, NULL)
				 : school_vacancy_summary(r, c, &f, true, errs, 422);
		goto out;
	}
	detail = json_pack("{s:b}", "filled", filled == 1);
	if (rc != 0 || detail == NULL) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	rc = transition(c, f.id, "end", r->user->id, reason, detail);
	status = answer(r, c, &f, rc, "ended", "actions", not_allowed_message(f.status, "end"),
			"");
out:
	free(reason);
	json_decref(detail);
	json_decref(errs);
	vacancy_form_free(&f);
	return status;
}

/* ---- the outcome of a closed listing ---------------------------------------------------- */

/* POST /school/vacancies/{id}/outcome (outcome_filled=yes|no): whether the post of a closed
 * vacancy was filled, told after it closed on its date or corrected later. */
int school_vacancy_outcome(struct req *r)
{
	struct vacancy_form f;
	json_t *errs = NULL, *detail = NULL;
	PGconn *c;
	int status, rc, filled;

	status = action_start(r, &c, &f, "closed", NULL, "",
			      "You can say whether the post was filled once the job listing has "
			      "closed. To close a live listing now, end it early.");
	if (status < 0)
		return -status;
	filled = filled_answer(r, "outcome_filled");
	if (filled < 0) {
		errs = json_pack("{s:{s:b, s:b, s:s}}", "outcome", "filled_yes", 0, "filled_no", 0,
				 "message", filled_missing);
		status = errs == NULL ? http_send_error(r, 500, NULL)
				      : refuse(r, c, &f, "outcome_filled", filled_missing, 422, errs);
		goto out;
	}
	detail = json_pack("{s:b}", "filled", filled == 1);
	if (detail == NULL) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	rc = transition(c, f.id, "outcome", r->user->id, NULL, detail);
	status = answer(r, c, &f, rc, "outcome", "actions", not_allowed_message(f.status, "outcome"),
			"");
out:
	json_decref(detail);
	json_decref(errs);
	vacancy_form_free(&f);
	return status;
}

/* ---- copy and delete -------------------------------------------------------------------- */

/* POST /school/vacancies/{id}/copy: a new draft with every field but the dates and status;
 * answers 303 to its first step. */
int school_vacancy_copy(struct req *r)
{
	struct vacancy_form f;
	char location[96];
	long long copied;
	PGconn *c = req_db(r);
	int status;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = school_vacancy_load(r, c, SCHOOL_HIRING_MANAGER, &f, NULL);
	if (status < 0)
		return -status;
	copied = vacancy_copy(c, f.id, r->user->id);
	if (copied <= 0) {
		status = http_send_error(r, copied == 0 ? 404 : 503, NULL);
	} else {
		snprintf(location, sizeof location, "/school/vacancies/%lld/edit?step=%s", copied,
			 vacancy_steps[VSTEP_JOB].name);
		status = http_redirect(r, location);
	}
	vacancy_form_free(&f);
	return status;
}

/* POST /school/vacancies/{id}/delete: without confirm=yes the confirmation page; with it,
 * deletes the draft and answers 303 to the dashboard's drafts. Only drafts (409 otherwise). */
int school_vacancy_delete(struct req *r)
{
	const char *confirm = kv_get(&r->form, "confirm");
	struct vacancy_form f;
	json_t *model = NULL;
	PGconn *c;
	int status, rc;
	static const char only_drafts[] = "Only a draft can be deleted. End a live job listing "
					  "early, or return a scheduled one to draft first.";

	status = action_start(r, &c, &f, "draft", NULL, only_drafts, only_drafts);
	if (status < 0)
		return -status;
	if (confirm == NULL || strcmp(confirm, "yes") != 0) {
		model = json_pack("{s:I, s:s}", "id", (json_int_t)f.id, "title",
				  f.title[0] != '\0' ? f.title : "Untitled draft");
		status = model != NULL ? view_render(r, 200, "school/vacancy_delete", model)
				       : http_send_error(r, 500, NULL);
		goto out;
	}
	rc = transition(c, f.id, "delete", r->user->id, NULL, NULL);
	if (rc == VT_DONE)
		status = http_redirect(r, "/school?tab=draft&done=deleted");
	else
		status = answer(r, c, &f, rc, "", "actions", not_allowed_message(f.status, "delete"),
				"");
out:
	json_decref(model);
	vacancy_form_free(&f);
	return status;
}
