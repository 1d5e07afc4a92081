/* school_vacancies_edit.c - creating a vacancy and editing it one step at a time.
 *
 * GET /school/vacancies/new shows the first step (and the school, when the user manages
 * several); POST creates a draft with it and goes on to the second step. GET
 * /school/vacancies/{id}/edit?step=NAME shows a step; POST checks and saves that step (nothing
 * saved when it has errors: 422 with the form again, values kept) and goes on to the next
 * step, or back to the summary when the user came from there (from=summary). Only hiring
 * managers of the posting school (and HR, admin) may use these pages; a viewer gets 403.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "handlers.h"
#include "log.h"
#include "school_vacancies.h"

static const char closed_message[] =
	"This job listing has closed, so it can no longer be changed. You can copy it to "
	"advertise the job again.";

static const char dates_locked_message[] =
	"This job listing is live, so its dates can no longer be changed here. To give applicants "
	"more time, extend the closing date from the listing's summary page.";

/* A checkbox group for the template (school/vacancy_checkboxes): {field, legend, hint,
 * message, options}. Steals options. NULL when out of memory. */
static json_t *group(const char *field, const char *legend, const char *hint, json_t *options,
		     const json_t *errs)
{
	if (options == NULL)
		return NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:o}", "field", field, "legend", legend, "hint",
			 hint, "message", school_vacancy_message(errs, field), "options", options);
}

/* The subjects as checkbox options, f's chosen ones selected. NULL when out of memory. */
static json_t *subject_options(const struct vacancy_refs *refs, const struct vacancy_form *f)
{
	json_t *out = json_array();
	const char *value;
	char id[96];
	bool selected;
	size_t k;
	int i;

	for (i = 0; out != NULL && i < PQntuples(refs->subjects); i++) {
		value = PQgetvalue(refs->subjects, i, 0);
		for (selected = false, k = 0; k < f->nsubjects; k++)
			selected |= strcmp(f->subjects[k], value) == 0;
		snprintf(id, sizeof id, i == 0 ? "subject" : "subject-%s", value);
		if (json_array_append_new(out, json_pack("{s:s, s:s, s:b, s:s}", "value", value,
							 "label",
							 PQgetvalue(refs->subjects, i, 1),
							 "selected", selected, "id", id)) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

/* Adds the job step's fields to model. Returns 0 or -1. */
static int model_job(json_t *model, const struct vacancy_form *f,
		     const struct vacancy_refs *refs, const json_t *errs)
{
	return json_object_set_new(model, "title", json_string(f->title)) ||
	       json_object_set_new(model, "roles",
				   group("role", "Job role", "Select all that apply.",
					 school_vacancy_options(&vacancy_roles, f->roles, "role",
								NULL),
					 errs)) ||
	       json_object_set_new(model, "phases",
				   group("phase", "Education phase", "Select all that apply.",
					 school_vacancy_options(&vacancy_phases, f->phases, "phase",
								NULL),
					 errs)) ||
	       json_object_set_new(model, "key_stages",
				   group("key_stage", "Key stages (optional)",
					 "Select all that apply.",
					 school_vacancy_options(&vacancy_key_stages, f->key_stages,
								"key_stage", NULL),
					 errs)) ||
	       json_object_set_new(model, "subjects",
				   group("subject", "Subjects (optional)",
					 "For secondary and post-16 jobs. Select all that apply.",
					 subject_options(refs, f), errs)) ||
	       json_object_set_new(model, "ect_suitable", json_boolean(f->ect_suitable));
}

/* Adds the details step's fields to model. Returns 0 or -1. */
static int model_details(json_t *model, const struct vacancy_form *f, const json_t *errs)
{
	return json_object_set_new(
		       model, "contract",
		       json_pack("{s:s, s:o}", "message", school_vacancy_message(errs, "contract"), "options",
				 school_vacancy_options(&vacancy_contracts,
							school_vacancy_bit(&vacancy_contracts,
									   f->contract),
							"contract", "fixed_term"))) ||
	       json_object_set_new(model, "fixed_term_length", json_string(f->fixed_term_length)) ||
	       json_object_set_new(
		       model, "patterns",
		       json_pack("{s:s, s:o}", "message", school_vacancy_message(errs, "working_pattern"),
				 "options",
				 school_vacancy_options(&vacancy_working_patterns, f->patterns,
							"working_pattern", "part_time"))) ||
	       json_object_set_new(model, "hours", json_string(f->hours)) ||
	       json_object_set_new(model, "fte", json_string(f->fte)) ||
	       json_object_set_new(
		       model, "pay_scale",
		       json_pack("{s:s, s:o}", "message", school_vacancy_message(errs, "pay_scale"), "options",
				 school_vacancy_options(&vacancy_pay_scales,
							school_vacancy_bit(&vacancy_pay_scales,
									   f->pay_scale),
							"pay_scale", NULL))) ||
	       json_object_set_new(model, "pay_text", json_string(f->pay_text)) ||
	       json_object_set_new(model, "salary_min", json_string(f->salary_min)) ||
	       json_object_set_new(model, "salary_max", json_string(f->salary_max)) ||
	       json_object_set_new(model, "actual_salary", json_string(f->actual_salary)) ||
	       json_object_set_new(model, "start_type",
				   json_pack("{s:b, s:b, s:b}", "date",
					     strcmp(f->start_type, "date") == 0, "asap",
					     strcmp(f->start_type, "asap") == 0, "term",
					     strcmp(f->start_type, "term") == 0)) ||
	       json_object_set_new(model, "start_date",
				   school_vacancy_date_group("start_date", "Start date, if on a date",
					      "For example, 1 9 2026", &f->start, errs)) ||
	       json_object_set_new(model, "start_term", json_string(f->start_term)) ||
	       json_object_set_new(model, "key_worker", json_boolean(f->key_worker)) ||
	       json_object_set_new(model, "visa_sponsorship", json_boolean(f->visa_sponsorship));
}

/* Adds the dates step's fields to model. Returns 0 or -1. */
static int model_dates(json_t *model, const struct vacancy_form *f, const json_t *errs)
{
	return json_object_set_new(model, "publish_date",
				   school_vacancy_date_group("publish_date", "Publish date (optional)",
					      "The day the listing goes live. Leave it blank to "
					      "publish it when you choose. For example, 2 3 2026",
					      &f->publish, errs)) ||
	       json_object_set_new(model, "closes_date",
				   school_vacancy_date_group("closes_date", "Closing date",
					      "The last day applicants can apply. For example, "
					      "27 3 2026", &f->closes, errs)) ||
	       json_object_set_new(model, "closes_time",
				   json_pack("{s:s, s:o}", "message",
					     school_vacancy_message(errs, "closes_time"), "options",
					     school_vacancy_times(f->closes_time))) ||
	       json_object_set_new(model, "dates_locked",
				   json_boolean(!vacancy_step_editable(f->status, VSTEP_DATES))) ||
	       json_object_set_new(model, "dates_locked_message",
				   json_string(dates_locked_message));
}

/* Adds the about step's fields to model. Returns 0 or -1. */
static int model_about(json_t *model, const struct vacancy_form *f)
{
	return json_object_set_new(model, "description",
				   json_string(f->description ? f->description : "")) ||
	       json_object_set_new(model, "about_school",
				   json_string(f->about_school ? f->about_school : "")) ||
	       json_object_set_new(model, "school_offers",
				   json_string(f->school_offers ? f->school_offers : ""));
}

/* Adds the contact step's fields to model: email, phone, and the other schools of the trust
 * the user may add (refs->schools without the posting school). Returns 0 or -1. */
static int model_contact(json_t *model, const struct vacancy_form *f,
			 const struct vacancy_refs *refs)
{
	json_t *others = json_array();
	bool selected;
	long urn;
	char id[32];
	size_t k;
	int i;

	if (json_object_set_new(model, "other_schools", others) != 0)
		return -1;
	for (i = 0; refs->schools != NULL && i < PQntuples(refs->schools); i++) {
		urn = strtol(PQgetvalue(refs->schools, i, 0), NULL, 10);
		if (urn == f->school_urn)
			continue;
		for (selected = false, k = 0; k < f->nschools; k++)
			selected |= f->schools[k] == urn;
		snprintf(id, sizeof id, json_array_size(others) == 0 ? "schools" : "schools-%ld",
			 urn);
		if (json_array_append_new(others, json_pack("{s:I, s:s, s:b, s:s}", "urn",
							    (json_int_t)urn, "name",
							    PQgetvalue(refs->schools, i, 1),
							    "selected", selected, "id", id)) != 0)
			return -1;
	}
	return json_object_set_new(model, "contact_email", json_string(f->contact_email)) ||
	       json_object_set_new(model, "contact_phone", json_string(f->contact_phone)) ||
	       json_object_set_new(model, "school_visits",
				   json_string(f->school_visits ? f->school_visits : "")) ||
	       json_object_set_new(model, "has_other_schools",
				   json_boolean(json_array_size(others) > 0));
}

/* The steps as a navigation list [{name, title, href, current}] for vacancy id. NULL when out
 * of memory. */
static json_t *steps_nav(long long id, enum vacancy_step current)
{
	json_t *out = json_array();
	char href[96];
	int i;

	for (i = 0; out != NULL && i < VSTEP_COUNT; i++) {
		snprintf(href, sizeof href, "/school/vacancies/%lld/edit?step=%s", id,
			 vacancy_steps[i].name);
		if (json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:b}", "name",
							 vacancy_steps[i].name, "title",
							 vacancy_steps[i].title, "href", href,
							 "current", i == (int)current)) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

/* The page model of step `step` of f (f->id 0: the new-vacancy page) with the error model
 * errs (may be NULL) merged in. NULL when out of memory. */
static json_t *step_model(const struct vacancy_form *f, const struct vacancy_refs *refs,
			  enum vacancy_step step, const json_t *errs, bool from_summary)
{
	json_t *model = json_object(), *vacancy;
	char key[32];
	int rc;

	if (model == NULL)
		return NULL;
	snprintf(key, sizeof key, "step_%s", vacancy_steps[step].name);
	vacancy = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)f->id, "title",
			    f->title[0] != '\0' ? f->title : "Untitled draft", "school_name",
			    f->school_name, "status_label",
			    f->status[0] != '\0' ? label_of(&vacancy_statuses, f->status) : "",
			    "closes_label", f->closes_label);
	rc = json_object_set_new(model, "vacancy", vacancy) ||
	     json_object_set_new(model, key, json_true()) ||
	     json_object_set_new(model, "step", json_string(vacancy_steps[step].name)) ||
	     json_object_set_new(model, "step_title", json_string(vacancy_steps[step].title)) ||
	     json_object_set_new(model, "from_summary", json_boolean(from_summary)) ||
	     (f->id > 0 && json_object_set_new(model, "steps", steps_nav(f->id, step)) != 0) ||
	     (errs != NULL && json_object_update(model, (json_t *)errs) != 0);
	switch (step) {
	case VSTEP_JOB:
		rc = rc || model_job(model, f, refs, errs);
		break;
	case VSTEP_DETAILS:
		rc = rc || model_details(model, f, errs);
		break;
	case VSTEP_DATES:
		rc = rc || model_dates(model, f, errs);
		break;
	case VSTEP_ABOUT:
		rc = rc || model_about(model, f);
		break;
	case VSTEP_CONTACT:
		rc = rc || model_contact(model, f, refs);
		break;
	default:
		break;
	}
	if (rc) {
		json_decref(model);
		return NULL;
	}
	return model;
}

/* Renders step `step` of f (school/vacancy_edit) with errs (NULL: none) and status. Returns
 * the status sent. */
static int step_render(struct req *r, const struct vacancy_form *f,
		       const struct vacancy_refs *refs, enum vacancy_step step, const json_t *errs,
		       bool from_summary, int status)
{
	json_t *model = step_model(f, refs, step, errs, from_summary);
	int rc;

	if (model == NULL)
		return http_send_error(r, 500, NULL);
	rc = view_render(r, status, "school/vacancy_edit", model);
	json_decref(model);
	return rc;
}

/* The step after `step` that a vacancy in `status` may change, or VSTEP_COUNT when the
 * summary comes next. */
static enum vacancy_step next_step(enum vacancy_step step, const char *status)
{
	int i;

	for (i = (int)step + 1; i < VSTEP_COUNT; i++)
		if (vacancy_step_editable(status, (enum vacancy_step)i))
			return (enum vacancy_step)i;
	return VSTEP_COUNT;
}

/* Answers 303 to step `step` of vacancy id, or to its summary (with ?done=saved) when step is
 * VSTEP_COUNT or from_summary. Returns the status sent. */
static int goto_step(struct req *r, long long id, enum vacancy_step step, bool from_summary)
{
	char location[128];

	if (step == VSTEP_COUNT || from_summary)
		snprintf(location, sizeof location, "/school/vacancies/%lld?done=saved", id);
	else
		snprintf(location, sizeof location, "/school/vacancies/%lld/edit?step=%s", id,
			 vacancy_steps[step].name);
	return http_redirect(r, location);
}

/* The step named by `name` (NULL or "": the first). Returns it, or -1 for an unknown name. */
static int step_param(const char *name)
{
	return name == NULL || name[0] == '\0' ? VSTEP_JOB : vacancy_step_find(name);
}

/* ---- the new vacancy -------------------------------------------------------------------- */

/* The schools where the request's user may create vacancies, by name: urn, name. NULL on a
 * database error (logged). */
static PGresult *manageable_schools(struct req *r, PGconn *c)
{
	char uid[24];
	const char *vals[2] = { uid, NULL };
	PGresult *res;

	tenancy_params(r, uid, &vals[1]);
	res = PQexecParams(c, "SELECT s.urn, s.name FROM schools s WHERE $2::boolean OR EXISTS "
			      "(SELECT 1 FROM school_memberships m WHERE m.user_id = $1::bigint "
			      "AND m.school_urn = s.urn AND m.role = 'hiring_manager') "
			      "ORDER BY s.name, s.urn", 2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	log_errorf(__func__, "%s", PQerrorMessage(c));
	PQclear(res);
	return NULL;
}

/* Renders the new-vacancy page: the school choice (from schools) and the job step, with errs
 * (NULL: none) and status. Returns the status sent. */
static int new_render(struct req *r, const struct vacancy_form *f,
		      const struct vacancy_refs *refs, const PGresult *schools, const json_t *errs,
		      int status)
{
	json_t *model = step_model(f, refs, VSTEP_JOB, errs, false), *options = json_array();
	long urn;
	int i, rc;

	for (i = 0; options != NULL && i < PQntuples(schools); i++) {
		urn = strtol(PQgetvalue(schools, i, 0), NULL, 10);
		if (json_array_append_new(options, json_pack("{s:I, s:s, s:b}", "urn",
							     (json_int_t)urn, "name",
							     PQgetvalue(schools, i, 1), "selected",
							     urn == f->school_urn)) != 0) {
			json_decref(options);
			options = NULL;
		}
	}
	if (model == NULL || options == NULL ||
	    json_object_set_new(model, "school_options", options) != 0 ||
	    json_object_set_new(model, "choose_school", json_boolean(PQntuples(schools) > 1)) ||
	    json_object_set_new(model, "only_school",
				PQntuples(schools) == 1 ? json_string(PQgetvalue(schools, 0, 0))
							: json_null())) {
		json_decref(model);
		return http_send_error(r, 500, NULL);
	}
	rc = view_render(r, status, "school/vacancy_new", model);
	json_decref(model);
	return rc;
}

/* GET and POST /school/vacancies/new. */
static int vacancy_new(struct req *r, bool post)
{
	struct vacancy_form f = { 0 };
	struct vacancy_refs refs = { 0 };
	PGresult *schools = NULL;
	json_t *errs = NULL;
	const char *school;
	char location[96];
	long long id;
	PGconn *c = req_db(r);
	int status, t;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	schools = manageable_schools(r, c);
	if (schools == NULL || vacancy_refs_load(c, r, 0, &refs) != 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if (PQntuples(schools) == 0) {
		status = http_send_error(r, 403, "Only a school's hiring managers can create job "
						 "listings. Ask Thurrock Council's HR team if you "
						 "need to.");
		goto out;
	}
	if (!post) {
		status = new_render(r, &f, &refs, schools, NULL, 200);
		goto out;
	}
	errs = json_object();
	school = kv_get(&r->form, "school");
	f.school_urn = school != NULL && strlen(school) <= 9 &&
				       strspn(school, "0123456789") == strlen(school)
			       ? strtol(school, NULL, 10)
			       : 0;
	t = f.school_urn > 0 ? tenancy_school(r, c, f.school_urn, SCHOOL_HIRING_MANAGER) : 404;
	if (errs == NULL || t < 0 || (t != 0 && form_error(errs, "school",
							  "Select the school the job is at") != 0) ||
	    vacancy_form_read(r, VSTEP_JOB, &refs, &f, errs) != 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if (t != 0)
		f.school_urn = 0;
	if (form_has_errors(errs)) {
		status = new_render(r, &f, &refs, schools, errs, 422);
		goto out;
	}
	id = vacancy_form_create(c, &f, r->user->id, r->user->email);
	if (id <= 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	snprintf(location, sizeof location, "/school/vacancies/%lld/edit?step=%s", id,
		 vacancy_steps[VSTEP_DETAILS].name);
	status = http_redirect(r, location);
out:
	json_decref(errs);
	PQclear(schools);
	vacancy_refs_free(&refs);
	vacancy_form_free(&f);
	return status;
}

/* GET /school/vacancies/new: the first step, and the school when the user manages several. */
int school_vacancy_new(struct req *r)
{
	return vacancy_new(r, false);
}

/* POST /school/vacancies/new: creates a draft from the first step and goes to the second;
 * 422 with the form again when it has errors. */
int school_vacancy_create(struct req *r)
{
	return vacancy_new(r, true);
}

/* ---- editing ---------------------------------------------------------------------------- */

/* GET /school/vacancies/{id}/edit?step=NAME[&from=summary]: one step of the form. */
int school_vacancy_edit_form(struct req *r)
{
	struct vacancy_form f;
	struct vacancy_refs refs = { 0 };
	const char *from = kv_get(&r->query, "from");
	int step = step_param(kv_get(&r->query, "step")), status;
	PGconn *c;

	if (step < 0 || kv_count(&r->query, "step") > 1)
		return http_send_error(r, 400, "There is no such section of the job listing.");
	c = req_db(r);
	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = school_vacancy_load(r, c, SCHOOL_HIRING_MANAGER, &f, NULL);
	if (status < 0)
		return -status;
	if (strcmp(f.status, "closed") == 0) {
		status = http_send_error(r, 409, closed_message);
		goto out;
	}
	if (vacancy_refs_load(c, r, f.school_urn, &refs) != 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	status = step_render(r, &f, &refs, (enum vacancy_step)step, NULL,
			     from != NULL && strcmp(from, "summary") == 0, 200);
out:
	vacancy_refs_free(&refs);
	vacancy_form_free(&f);
	return status;
}

/* POST /school/vacancies/{id}/edit (fields step, from and the step's own): saves the step and
 * goes on; 422 with the step again when it has errors; 409 when the vacancy's status no
 * longer allows the change. */
int school_vacancy_edit(struct req *r)
{
	struct vacancy_form f;
	struct vacancy_refs refs = { 0 };
	const char *from = kv_get(&r->form, "from");
	bool from_summary = from != NULL && strcmp(from, "summary") == 0;
	int step = step_param(kv_get(&r->form, "step")), status, saved;
	json_t *errs = NULL;
	PGconn *c;

	if (step < 0)
		return http_send_error(r, 400, "There is no such section of the job listing.");
	c = req_db(r);
	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = school_vacancy_load(r, c, SCHOOL_HIRING_MANAGER, &f, NULL);
	if (status < 0)
		return -status;
	if (step == VSTEP_DOCUMENTS) {
		status = goto_step(r, f.id, VSTEP_COUNT, true);
		goto out;
	}
	if (!vacancy_step_editable(f.status, (enum vacancy_step)step)) {
		status = http_send_error(r, 409, strcmp(f.status, "closed") == 0
							 ? closed_message
							 : dates_locked_message);
		goto out;
	}
	errs = json_object();
	if (errs == NULL || vacancy_refs_load(c, r, f.school_urn, &refs) != 0 ||
	    vacancy_form_read(r, (enum vacancy_step)step, &refs, &f, errs) != 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if (form_has_errors(errs)) {
		status = step_render(r, &f, &refs, (enum vacancy_step)step, errs, from_summary,
				     422);
		goto out;
	}
	saved = vacancy_form_save(c, &f, (enum vacancy_step)step, r->user->id);
	if (saved == VS_SAVED)
		status = goto_step(r, f.id, next_step((enum vacancy_step)step, f.status),
				   from_summary);
	else if (saved == VS_NOT_FOUND)
		status = http_send_error(r, 404, NULL);
	else if (saved == VS_NOT_EDITABLE)
		status = http_send_error(r, 409, "This job listing changed while you were editing "
						 "it, and this section can no longer be changed. "
						 "Go back to its summary to see why.");
	else
		status = http_send_error(r, 503, NULL);
out:
	json_decref(errs);
	vacancy_refs_free(&refs);
	vacancy_form_free(&f);
	return status;
}
