/* school_application.c - one application for its school's staff:
 *   GET  /school/applications/{id}            the application as a clean, printable page:
 *        every section the candidate filled in (through section_display; never the
 *        equal-opportunities answers), the CV and covering letter, the interview, the history
 *        of its status and the school's notes; for hiring managers the forms below
 *   POST /school/applications/{id}/notes      note (1 to NOTE_MAX characters)
 *   POST /school/applications/{id}/status     event=shortlist|offer|accept|decline|reject and
 *        an optional message to the candidate (kept as the change's reason, and emailed)
 *   POST /school/applications/{id}/interview  interview_date-day/-month/-year, interview_time
 *        (HH:MM, UK time), interview_duration (minutes), interview_place, interview_panel,
 *        interview_details: invites a shortlisted candidate to interview, or rearranges the
 *        interview of one being interviewed (the candidate is emailed an .ics)
 *
 * Access: application_for_school - another school's application or a draft is 404 on every
 * URL; viewers read, and get 403 for the POSTs. Status changes go through
 * application_transition in a transaction of their own; a change the status does not allow
 * shows the page again with a message (409), input to correct with an error summary (422).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "application_documents.h"
#include "application_lifecycle.h"
#include "application_sections.h"
#include "applications.h"
#include "db.h"
#include "fields.h"
#include "handlers.h"
#include "log.h"
#include "school_vacancies.h"
#include "vacancy_form.h"

#define NOTE_MAX 5000         /* characters (application_notes.body) */
#define MESSAGE_MAX 1000      /* characters of a message with a status change */
#define PLACE_MAX 500         /* application_interviews: place, panel, details */
#define PANEL_MAX 1000
#define DETAILS_MAX 2000
#define DURATION_MIN 5
#define DURATION_MAX 600

/* The status actions a hiring manager may take here, in the order offered: the event, its
 * button, the button's class and the banner once done. */
static const struct action {
	const char *event;
	const char *button;
	const char *class;
	const char *done;
} actions[] = {
	{ "shortlist", "Shortlist", "", "The application has been shortlisted." },
	{ "offer", "Offer the job", "", "The candidate has been offered the job." },
	{ "accept", "Record that the candidate accepted", "",
	  "The candidate's acceptance of the offer has been recorded." },
	{ "decline", "Record that the candidate declined", "govuk-button--secondary",
	  "The candidate's refusal of the offer has been recorded." },
	{ "reject", "Not progressing", "govuk-button--warning",
	  "The application has been marked as not progressing." },
};

#define NACTIONS (sizeof actions / sizeof actions[0])

/* How the history names each event. */
static const struct label event_items[] = {
	{ "create", "Application started" },
	{ "submit", "Submitted" },
	{ "shortlist", "Shortlisted" },
	{ "interview", "Invited to interview" },
	{ "offer", "Offered the job" },
	{ "accept", "Offer accepted" },
	{ "decline", "Offer declined" },
	{ "reject", "Not progressing" },
	{ "withdraw", "Withdrawn by the candidate" },
};
static const struct label_list events = {
	"event", event_items, sizeof event_items / sizeof event_items[0]
};

/* The interview form as typed (or as arranged). */
struct interview_form {
	struct vf_date date;
	char time[16];          /* "HH:MM" */
	char duration[16];      /* minutes */
	char *place;            /* owned */
	char *panel;
	char *details;
};

/* Runs sql with text parameters; NULL (logged) unless it gives `want`. */
static PGresult *run(PGconn *c, const char *sql, int n, const char *const *vals,
		     ExecStatusType want)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);

	if (PQresultStatus(res) == want)
		return res;
	log_errorf("school_application", "%s", PQerrorMessage(c));
	PQclear(res);
	return NULL;
}

/* s split at its line breaks into a new array of the non-empty lines. NULL when out of
 * memory. */
static json_t *text_lines(const char *s)
{
	json_t *out = json_array();
	size_t n;

	while (out != NULL && *s != '\0') {
		n = strcspn(s, "\n");
		if (n > 0 && json_array_append_new(out, json_stringn(s, n)) != 0) {
			json_decref(out);
			return NULL;
		}
		s += n;
		s += *s == '\n';
	}
	return out;
}

/* ---- what the page shows ---------------------------------------------------------------- */

/* The sections of application a as section_display models with has_rows, in task-list order:
 * those of an application (religion only for a school with a religious character), never
 * equal_opps. NULL when out of memory. */
static json_t *answers(const struct application *a)
{
	json_t *out = json_array(), *d;
	size_t i;

	for (i = 0; out != NULL && i < section_defs_len; i++) {
		const struct section_def *s = &section_defs[i];

		if (!(s->scope & SECTION_APPLICATION) || strcmp(s->name, "equal_opps") == 0 ||
		    (s->religious_only && !a->religious))
			continue;
		d = section_display(s, a->data);
		if (d == NULL ||
		    json_object_set_new(d, "has_rows",
					json_boolean(json_array_size(json_object_get(d, "rows")))) ||
		    json_array_append_new(out, d) != 0) {
			json_decref(d);
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

/* The history of application id, newest first: [{when, event, who, reason, extra}]. NULL on a
 * database error (logged) or when out of memory. */
static json_t *history(PGconn *c, const char *id)
{
	const char *vals[1] = { id }, *event, *label;
	char extra[700];
	PGresult *res;
	json_t *out = NULL;
	int i;

	res = run(c, "SELECT se.event, coalesce(se.from_status, ''), coalesce(se.reason, ''), "
		     SQL_WHEN("se.at") ", "
		     "coalesce(u.name, CASE WHEN se.actor_id IS NULL THEN 'Automatically' ELSE "
		     "'A former user' END), coalesce("
		     SQL_WHEN("(se.detail->>'starts_at')::timestamptz") ", ''), "
		     "coalesce(se.detail->>'place', '') FROM status_events se LEFT JOIN users u ON "
		     "u.id = se.actor_id WHERE se.entity = 'application' AND se.entity_id = "
		     "$1::bigint ORDER BY se.at DESC, se.id DESC",
		  1, vals, PGRES_TUPLES_OK);
	out = res != NULL ? json_array() : NULL;
	for (i = 0; out != NULL && i < PQntuples(res); i++) {
		event = PQgetvalue(res, i, 0);
		label = label_of(&events, event);
		if (strcmp(event, "interview") == 0 && strcmp(PQgetvalue(res, i, 1), "interviewing") == 0)
			label = "Interview rearranged";
		extra[0] = '\0';
		if (PQgetvalue(res, i, 5)[0] != '\0')
			snprintf(extra, sizeof extra, "Interview on %s at %s", PQgetvalue(res, i, 5),
				 PQgetvalue(res, i, 6));
		if (json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:s}", "event",
							 label != NULL ? label : event, "when",
							 PQgetvalue(res, i, 3), "who",
							 PQgetvalue(res, i, 4), "reason",
							 PQgetvalue(res, i, 2), "extra", extra)) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	PQclear(res);
	return out;
}

/* The school's notes on application id, newest first: [{when, who, lines}]. NULL on a
 * database error (logged) or when out of memory. */
static json_t *notes(PGconn *c, const char *id)
{
	const char *vals[1] = { id };
	PGresult *res;
	json_t *out = NULL;
	int i;

	res = run(c, "SELECT n.body, " SQL_WHEN("n.created_at") ", "
		     "coalesce(u.name, 'A former user') FROM "
		     "application_notes n LEFT JOIN users u ON u.id = n.author_id WHERE "
		     "n.application_id = $1::bigint ORDER BY n.created_at DESC, n.id DESC",
		  1, vals, PGRES_TUPLES_OK);
	out = res != NULL ? json_array() : NULL;
	for (i = 0; out != NULL && i < PQntuples(res); i++)
		if (json_array_append_new(out, json_pack("{s:o, s:s, s:s}", "lines",
							 text_lines(PQgetvalue(res, i, 0)), "when",
							 PQgetvalue(res, i, 1), "who",
							 PQgetvalue(res, i, 2))) != 0) {
			json_decref(out);
			out = NULL;
		}
	PQclear(res);
	return out;
}

/* The current interview of application id into *out (a new object {day, time, end, place,
 * panel, details, duration}, or JSON null when none) and, when form is not NULL, its values
 * into form (place, panel, details replaced). Returns 0, or -1 (logged). */
static int interview_load(PGconn *c, const char *id, json_t **out, struct interview_form *form)
{
	const char *vals[1] = { id };
	PGresult *res;
	int rc = -1;

	res = run(c, "SELECT to_char(starts_at AT TIME ZONE 'Europe/London', 'FMDay FMDD FMMonth "
		     "YYYY'), " SQL_TIME("starts_at") ", "
		     SQL_TIME("starts_at + duration_minutes * interval '1 minute'") ", place, "
		     "panel, details, duration_minutes, "
		     "to_char(starts_at AT TIME ZONE 'Europe/London', 'FMDD|FMMM|YYYY|HH24:MI') "
		     "FROM application_interviews WHERE application_id = $1::bigint "
		     "ORDER BY id DESC LIMIT 1",
		  1, vals, PGRES_TUPLES_OK);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		*out = json_null();
		rc = 0;
		goto out;
	}
	*out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "day", PQgetvalue(res, 0, 0),
			 "time", PQgetvalue(res, 0, 1), "end", PQgetvalue(res, 0, 2), "place",
			 PQgetvalue(res, 0, 3), "panel", PQgetvalue(res, 0, 4), "details",
			 PQgetvalue(res, 0, 5), "duration", PQgetvalue(res, 0, 6));
	if (*out == NULL)
		goto out;
	if (form != NULL) {
		sscanf(PQgetvalue(res, 0, 7), "%15[^|]|%15[^|]|%15[^|]|%15s", form->date.day,
		       form->date.month, form->date.year, form->time);
		snprintf(form->duration, sizeof form->duration, "%s", PQgetvalue(res, 0, 6));
		free(form->place);
		free(form->panel);
		free(form->details);
		form->place = strdup(PQgetvalue(res, 0, 3));
		form->panel = strdup(PQgetvalue(res, 0, 4));
		form->details = strdup(PQgetvalue(res, 0, 5));
		if (form->place == NULL || form->panel == NULL || form->details == NULL)
			goto out;
	}
	rc = 0;
out:
	PQclear(res);
	return rc;
}

/* The interview form for the template (key "interview_form"): {rearrange, date (a date
 * group), time, duration, place, panel, details, and each field's message}. NULL when out of
 * memory. */
static json_t *interview_form_model(const struct interview_form *f, bool rearrange,
				    const json_t *errs)
{
	return json_pack("{s:b, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
			 "rearrange", rearrange, "date",
			 school_vacancy_date_group("interview_date", "Date of the interview",
						   "For example, 27 3 2026", &f->date, errs),
			 "time", f->time, "time_message",
			 school_vacancy_message(errs, "interview_time"), "duration", f->duration,
			 "duration_message", school_vacancy_message(errs, "interview_duration"),
			 "place", f->place ? f->place : "", "place_message",
			 school_vacancy_message(errs, "interview_place"), "panel",
			 f->panel ? f->panel : "", "panel_message",
			 school_vacancy_message(errs, "interview_panel"), "details",
			 f->details ? f->details : "", "details_message",
			 school_vacancy_message(errs, "interview_details"));
}

/* The actions a hiring manager may take on an application in status: [{event, button,
 * class}]. NULL when out of memory. */
static json_t *actions_model(const char *status)
{
	json_t *out = json_array();
	size_t i;

	for (i = 0; out != NULL && i < NACTIONS; i++)
		if (application_event_allowed(status, actions[i].event) &&
		    json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "event",
							 actions[i].event, "button",
							 actions[i].button, "class",
							 actions[i].class)) != 0) {
			json_decref(out);
			out = NULL;
		}
	return out;
}

/* Renders the page of application a with HTTP status `status`. form is the interview form as
 * typed (NULL: as arranged, or empty); extra (borrowed, may be NULL) is merged into the model
 * last: an error model, note, message, banner. Returns the status sent. */
static int application_page(struct req *r, PGconn *c, struct application *a, bool can_manage,
			    const struct interview_form *form, json_t *extra, int status)
{
	struct interview_form arranged = { .duration = "60" };
	char id[24], docs[64], list[64];
	json_t *m = a->model, *docs_list, *current = NULL;
	bool can_interview = can_manage && application_event_allowed(a->status, "interview");
	int rc;

	snprintf(id, sizeof id, "%lld", a->id);
	snprintf(docs, sizeof docs, "/school/applications/%lld/documents", a->id);
	snprintf(list, sizeof list, "/school/vacancies/%lld/applications", a->vacancy_id);
	if (interview_load(c, id, &current, form == NULL ? &arranged : NULL) != 0) {
		rc = http_send_error(r, 503, NULL);
		goto out;
	}
	docs_list = application_documents_list(c, a->id, docs);
	if (docs_list == NULL || json_object_set_new(m, "documents", docs_list) != 0 ||
	    json_object_set_new(m, "has_documents", json_boolean(json_array_size(docs_list))) ||
	    json_object_set_new(m, "answers", answers(a)) != 0 ||
	    json_object_set_new(m, "history", history(c, id)) != 0 ||
	    json_object_set_new(m, "notes", notes(c, id)) != 0) {
		rc = http_send_error(r, 503, NULL);
		goto out;
	}
	if (json_object_set_new(m, "applications_url", json_string(list)) != 0 ||
	    json_object_set_new(m, "can_manage", json_boolean(can_manage)) != 0 ||
	    json_object_set_new(m, "interview", json_incref(current)) != 0 ||
	    json_object_set_new(m, "actions", actions_model(a->status)) != 0 ||
	    json_object_set_new(m, "has_actions",
				json_boolean(can_manage &&
					     json_array_size(json_object_get(m, "actions")))) ||
	    json_object_set_new(m, "can_interview", json_boolean(can_interview)) != 0 ||
	    (can_interview &&
	     json_object_set_new(m, "interview_form",
				 interview_form_model(form != NULL ? form : &arranged,
						      strcmp(a->status, "interviewing") == 0,
						      extra)) != 0) ||
	    (extra != NULL && json_object_update(m, extra) != 0)) {
		rc = http_send_error(r, 500, NULL);
		goto out;
	}
	rc = view_render(r, status, "school/application", m);
out:
	json_decref(current);
	free(arranged.place);
	free(arranged.panel);
	free(arranged.details);
	return rc;
}

/* GET /school/applications/{id}[?done=EVENT|note]. */
int school_application_show(struct req *r)
{
	const char *done = kv_get(&r->query, "done"), *banner = NULL;
	struct application a;
	bool can_manage = false;
	json_t *extra = NULL;
	PGconn *c = req_db(r);
	size_t i;
	int status;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = application_for_school(r, c, SCHOOL_VIEWER, &a, &can_manage);
	if (status < 0)
		return -status;
	for (i = 0; done != NULL && i < NACTIONS; i++)
		if (strcmp(done, actions[i].event) == 0)
			banner = actions[i].done;
	if (done != NULL && strcmp(done, "note") == 0)
		banner = "Your note has been added.";
	if (done != NULL && strcmp(done, "interview") == 0)
		banner = "The interview has been arranged and the candidate has been emailed an "
			 "invitation.";
	extra = banner != NULL ? json_pack("{s:s}", "banner", banner) : json_object();
	status = extra != NULL ? application_page(r, c, &a, can_manage, NULL, extra, 200)
			       : http_send_error(r, 500, NULL);
	json_decref(extra);
	application_free(&a);
	return status;
}

/* ---- changing it -------------------------------------------------------------------------- */

/* Answers 303 to the page of application id with banner done (and #fragment). */
static int done_redirect(struct req *r, long long id, const char *done, const char *fragment)
{
	char location[128];

	snprintf(location, sizeof location, "/school/applications/%lld?done=%s%s", id, done,
		 fragment);
	return http_redirect(r, location);
}

/* Shows the page again with one error (field: the id it links to) and status, plus extra's
 * keys (borrowed, may be NULL) and the interview form as typed (may be NULL). Returns the
 * status sent. */
static int refuse(struct req *r, PGconn *c, struct application *a,
		  const struct interview_form *form, json_t *extra, const char *field,
		  const char *message, int status)
{
	json_t *errs = extra != NULL ? json_incref(extra) : json_object();
	int rc;

	if (errs == NULL || (field != NULL && form_error(errs, field, message) != 0)) {
		json_decref(errs);
		return http_send_error(r, 500, NULL);
	}
	rc = application_page(r, c, a, true, form, errs, status);
	json_decref(errs);
	return rc;
}

/* Runs application_transition in a transaction of its own: committed when done, rolled back
 * otherwise. Returns its result (AT_*), or -1 (logged). */
static int transition(PGconn *c, long long id, const char *event, long long actor,
		      const char *reason, json_t *detail)
{
	int rc;

	if (db_tx(c, "BEGIN") != 0)
		return -1;
	rc = application_transition(c, id, event, actor, reason, detail);
	if (rc != AT_DONE) {
		db_tx(c, "ROLLBACK");
		return rc;
	}
	return db_tx(c, "COMMIT") == 0 ? AT_DONE : -1;
}

/* Why `event` cannot be done to an application in status (for the 409 page), into out. */
static void not_allowed(const char *status, const char *event, char *out, size_t outlen)
{
	const char *label = application_status_label(status);

	snprintf(out, outlen, "This application's status is %s, so it cannot be %s.",
		 label != NULL ? label : status,
		 strcmp(event, "interview") == 0 ? "given an interview: shortlist it first"
		 : strcmp(event, "shortlist") == 0 ? "shortlisted"
		 : strcmp(event, "offer") == 0	   ? "offered the job"
		 : strcmp(event, "reject") == 0	   ? "marked as not progressing"
						   : "given an answer to an offer");
}

/* POST /school/applications/{id}/notes (note). */
int school_application_note(struct req *r)
{
	struct application a;
	bool too_long = false;
	char *note = NULL;
	const char *vals[3];
	char id[24], author[24];
	json_t *extra = NULL;
	PGresult *res;
	PGconn *c = req_db(r);
	int status;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = application_for_school(r, c, SCHOOL_HIRING_MANAGER, &a, NULL);
	if (status < 0)
		return -status;
	note = vacancy_text_read(r, "note", NOTE_MAX, &too_long);
	extra = note != NULL ? json_pack("{s:s}", "note", note) : NULL;
	if (extra == NULL) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	if (note[0] == '\0' || too_long) {
		status = refuse(r, c, &a, NULL, extra, "note",
				too_long ? "Note must be 5,000 characters or fewer" : "Enter a note",
				422);
		goto out;
	}
	snprintf(id, sizeof id, "%lld", a.id);
	snprintf(author, sizeof author, "%lld", r->user->id);
	vals[0] = id;
	vals[1] = author;
	vals[2] = note;
	res = run(c, "INSERT INTO application_notes (application_id, author_id, body) VALUES "
		     "($1::bigint, $2::bigint, $3)", 3, vals, PGRES_COMMAND_OK);
	PQclear(res);
	status = res != NULL ? done_redirect(r, a.id, "note", "#notes")
			     : http_send_error(r, 503, NULL);
out:
	json_decref(extra);
	free(note);
	application_free(&a);
	return status;
}

/* POST /school/applications/{id}/status (event, message). */
int school_application_status(struct req *r)
{
	const char *event = kv_get(&r->form, "event");
	struct application a;
	bool too_long = false;
	char *message = NULL, why[200];
	json_t *extra = NULL;
	PGconn *c = req_db(r);
	size_t i;
	int status, rc;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = application_for_school(r, c, SCHOOL_HIRING_MANAGER, &a, NULL);
	if (status < 0)
		return -status;
	for (i = 0; event != NULL && i < NACTIONS; i++)
		if (strcmp(event, actions[i].event) == 0)
			break;
	if (event == NULL || i == NACTIONS) {
		status = http_send_error(r, 400, "Choose one of the actions on the application's "
						 "page.");
		goto out;
	}
	message = vacancy_text_read(r, "message", MESSAGE_MAX, &too_long);
	extra = message != NULL ? json_pack("{s:s}", "message", message) : NULL;
	if (extra == NULL) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	if (too_long) {
		status = refuse(r, c, &a, NULL, extra, "message",
				"Message must be 1,000 characters or fewer", 422);
		goto out;
	}
	rc = transition(c, a.id, event, r->user->id, message[0] != '\0' ? message : NULL, NULL);
	if (rc == AT_DONE) {
		status = done_redirect(r, a.id, event, "");
	} else if (rc == AT_NOT_ALLOWED) {
		not_allowed(a.status, event, why, sizeof why);
		status = refuse(r, c, &a, NULL, extra, "actions", why, 409);
	} else {
		status = http_send_error(r, rc == AT_NOT_FOUND ? 404 : 503, NULL);
	}
out:
	json_decref(extra);
	free(message);
	application_free(&a);
	return status;
}

/* Reads one optional or required text of the interview form into *dst, adding an error to
 * errs when required and empty or when longer than max. Returns 0, -1 when out of memory. */
static int interview_text(const struct req *r, const char *name, size_t max, const char *empty,
			  const char *too_long_msg, char **dst, json_t *errs)
{
	bool too_long = false;

	*dst = vacancy_text_read(r, name, max, &too_long);
	if (*dst == NULL)
		return -1;
	if (too_long)
		return form_error(errs, name, too_long_msg);
	if (empty != NULL && (*dst)[0] == '\0')
		return form_error(errs, name, empty);
	return 0;
}

/* True when s is a time "H:MM" or "HH:MM" (24-hour clock); its parts into *h and *m. */
static bool time_parse(const char *s, int *h, int *m)
{
	size_t n = strlen(s), colon = strcspn(s, ":");

	if ((n != 4 && n != 5) || colon != n - 3 || strspn(s, "0123456789") != colon ||
	    strspn(s + colon + 1, "0123456789") != 2)
		return false;
	*h = atoi(s);
	*m = atoi(s + colon + 1);
	return *h <= 23 && *m <= 59;
}

/* Reads and checks the interview form into f (errors into errs). When it is right, writes
 * the start as a timestamptz text into starts (64 bytes) and the duration into *minutes. The
 * start must be in the future. Returns 0 (errs may then hold errors), -1 on a database error
 * or when out of memory. */
static int interview_read(const struct req *r, PGconn *c, struct interview_form *f,
			  char starts[64], int *minutes, json_t *errs)
{
	char iso[11], msg[128], field[64], hh[8], mm[8];
	const char *problem, *vals[3] = { iso, hh, mm };
	PGresult *res;
	int h = 0, m = 0, rc = 0;
	bool time_ok;

	starts[0] = '\0';
	problem = vacancy_date_read(r, "interview_date", "Date of the interview", &f->date, iso,
				    msg, sizeof msg);
	vacancy_date_field(&f->date, "interview_date", field, sizeof field);
	if (problem != NULL)
		rc |= form_error(errs, field, problem);
	else if (iso[0] == '\0')
		rc |= form_error(errs, field, "Enter the date of the interview");
	form_text(r, "interview_time", f->time, sizeof f->time);
	time_ok = time_parse(f->time, &h, &m);
	if (!time_ok)
		rc |= form_error(errs, "interview_time",
				 f->time[0] == '\0' ? "Enter the time of the interview"
						    : "Enter the time like 14:30, on the 24-hour "
						      "clock");
	form_text(r, "interview_duration", f->duration, sizeof f->duration);
	*minutes = strspn(f->duration, "0123456789") == strlen(f->duration) &&
			   strlen(f->duration) <= 3
		   ? atoi(f->duration)
		   : 0;
	if (*minutes < DURATION_MIN || *minutes > DURATION_MAX)
		rc |= form_error(errs, "interview_duration",
				 f->duration[0] == '\0'
					 ? "Enter how long the interview lasts, in minutes"
					 : "Length must be a whole number of minutes from 5 to 600");
	if (interview_text(r, "interview_place", PLACE_MAX, "Enter where the interview is",
			   "Place must be 500 characters or fewer", &f->place, errs) != 0 ||
	    interview_text(r, "interview_panel", PANEL_MAX, NULL,
			   "Panel must be 1,000 characters or fewer", &f->panel, errs) != 0 ||
	    interview_text(r, "interview_details", DETAILS_MAX, NULL,
			   "Details must be 2,000 characters or fewer", &f->details, errs) != 0 ||
	    rc != 0)
		return -1;
	if (problem != NULL || iso[0] == '\0' || !time_ok)
		return 0;
	snprintf(hh, sizeof hh, "%d", h);
	snprintf(mm, sizeof mm, "%d", m);
	res = run(c, "SELECT t::text, t > now() FROM make_timestamptz(substr($1, 1, 4)::integer, "
		     "substr($1, 6, 2)::integer, substr($1, 9, 2)::integer, $2::integer, "
		     "$3::integer, 0, 'Europe/London') t", 3, vals, PGRES_TUPLES_OK);
	if (res == NULL || PQntuples(res) != 1) {
		PQclear(res);
		return -1;
	}
	if (PQgetvalue(res, 0, 1)[0] == 't')
		snprintf(starts, 64, "%s", PQgetvalue(res, 0, 0));
	else
		rc = form_error(errs, "interview_date-day", "The interview must be in the future");
	PQclear(res);
	return rc != 0 ? -1 : 0;
}

/* POST /school/applications/{id}/interview: invites to interview or rearranges it. */
int school_application_interview(struct req *r)
{
	struct interview_form f = { 0 };
	struct application a;
	char starts[64], why[200];
	json_t *errs = NULL, *detail = NULL;
	PGconn *c = req_db(r);
	int status, minutes = 0, rc;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = application_for_school(r, c, SCHOOL_HIRING_MANAGER, &a, NULL);
	if (status < 0)
		return -status;
	if (!application_event_allowed(a.status, "interview")) {
		not_allowed(a.status, "interview", why, sizeof why);
		status = refuse(r, c, &a, NULL, NULL, "actions", why, 409);
		goto out;
	}
	errs = json_object();
	if (errs == NULL ||
	    (interview_read(r, c, &f, starts, &minutes, errs) != 0 && !form_has_errors(errs))) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if (form_has_errors(errs)) {
		status = refuse(r, c, &a, &f, errs, NULL, NULL, 422);
		goto out;
	}
	detail = json_pack("{s:s, s:i, s:s, s:s, s:s}", "starts_at", starts, "duration_minutes",
			   minutes, "place", f.place, "panel", f.panel, "details", f.details);
	rc = detail != NULL ? transition(c, a.id, "interview", r->user->id, NULL, detail) : -1;
	if (rc == AT_DONE) {
		status = done_redirect(r, a.id, "interview", "#interview");
	} else if (rc == AT_NOT_ALLOWED) {
		not_allowed(a.status, "interview", why, sizeof why);
		status = refuse(r, c, &a, &f, NULL, "actions", why, 409);
	} else {
		status = http_send_error(r, rc == AT_NOT_FOUND ? 404 : 503, NULL);
	}
out:
	json_decref(errs);
	json_decref(detail);
	free(f.place);
	free(f.panel);
	free(f.details);
	application_free(&a);
	return status;
}
