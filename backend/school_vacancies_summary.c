/* school_vacancies_summary.c - a vacancy's summary page for its school (/school/vacancies/{id},
 * "check your answers": every field with a Change link, what is still missing before it can be
 * published, its documents, its history and the actions) and its preview (the public page,
 * marked as a preview). Both are read-only: viewers of the school may see them; the Change
 * links and actions are shown to hiring managers only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "handlers.h"
#include "log.h"
#include "school_vacancies.h"
#include "vacancy_documents.h"
#include "vacancy_view.h"

/* The success banner after an action (?done=...). */
static const struct {
	const char *done;
	const char *text;
} banners[] = {
	{ "saved", "Your changes have been saved." },
	{ "published", "The job listing is live. Candidates can now find it and apply." },
	{ "scheduled", "The job listing has been scheduled. It will go live on its publish date." },
	{ "unscheduled", "The job listing is back in draft. It will not go live until you publish "
			 "it." },
	{ "extended", "The closing date has been extended." },
	{ "ended", "The job listing has been ended. Candidates can no longer apply." },
	{ "outcome", "Thank you. Your answer has been saved." },
	{ "copied", "This is a copy of the job listing. Check every section and add the dates "
		    "before you publish it." },
	{ "created", "The draft job listing has been created." },
};

/* The summary's rows: the row id ("row-<id>"), its label, its step and the input its Change
 * link points at. */
static const struct row_info {
	const char *id;
	const char *key;
	enum vacancy_step step;
	const char *input;
} row_infos[] = {
	{ "title", "Job title", VSTEP_JOB, "title" },
	{ "role", "Job role", VSTEP_JOB, "role" },
	{ "phase", "Education phase", VSTEP_JOB, "phase" },
	{ "key_stage", "Key stages", VSTEP_JOB, "key_stage" },
	{ "subject", "Subjects", VSTEP_JOB, "subject" },
	{ "ect_suitable", "Suitable for early career teachers", VSTEP_JOB, "ect_suitable" },
	{ "contract", "Contract type", VSTEP_DETAILS, "contract" },
	{ "working_pattern", "Working pattern", VSTEP_DETAILS, "working_pattern" },
	{ "pay", "Pay", VSTEP_DETAILS, "pay_scale" },
	{ "start_type", "Start date", VSTEP_DETAILS, "start_type" },
	{ "key_worker", "Key worker housing scheme", VSTEP_DETAILS, "key_worker_eligible" },
	{ "visa_sponsorship", "Visa sponsorship", VSTEP_DETAILS, "visa_sponsorship" },
	{ "publish", "Publish date", VSTEP_DATES, "publish_date-day" },
	{ "closes", "Closing date", VSTEP_DATES, "closes_date-day" },
	{ "description", "Job description", VSTEP_ABOUT, "description" },
	{ "about_school", "About the school", VSTEP_ABOUT, "about_school" },
	{ "school_offers", "What the school offers", VSTEP_ABOUT, "school_offers" },
	{ "contact_email", "Contact email address", VSTEP_CONTACT, "contact_email" },
	{ "contact_phone", "Contact telephone number", VSTEP_CONTACT, "contact_phone" },
	{ "school_visits", "School visits", VSTEP_CONTACT, "school_visits" },
	{ "schools", "Schools", VSTEP_CONTACT, "schools" },
};

#define NROWS (sizeof row_infos / sizeof row_infos[0])

/* Column names of vacancy_edits.fields and how the history names them. */
static const struct label edit_field_items[] = {
	{ "title", "job title" }, { "job_roles", "job role" }, { "phases", "education phase" },
	{ "key_stages", "key stages" }, { "subjects", "subjects" },
	{ "ect_suitable", "suitable for early career teachers" },
	{ "contract_type", "contract type" }, { "fixed_term_length", "length of contract" },
	{ "working_patterns", "working pattern" }, { "hours_per_week", "hours per week" },
	{ "fte", "full-time equivalent" }, { "pay_scale", "pay scale" }, { "pay_text", "pay" },
	{ "salary_min", "minimum salary" }, { "salary_max", "maximum salary" },
	{ "actual_salary", "actual salary" },
	{ "start_type", "start" }, { "start_date", "start date" }, { "start_term", "start term" },
	{ "key_worker_eligible", "key worker housing scheme" },
	{ "visa_sponsorship", "visa sponsorship" }, { "publish_at", "publish date" },
	{ "closes_at", "closing date" }, { "description", "job description" },
	{ "about_school", "about the school" }, { "school_offers", "what the school offers" },
	{ "contact_email", "contact email address" }, { "contact_phone", "contact telephone" },
	{ "school_visits", "school visits" },
	{ "schools", "schools" },
};
static const struct label_list edit_fields = {
	"field", edit_field_items, sizeof edit_field_items / sizeof edit_field_items[0]
};

/* What each status event is called in the history. */
static const struct label event_items[] = {
	{ "create", "Created" },
	{ "publish", "Published" },
	{ "schedule", "Scheduled" },
	{ "go_live", "Went live on its publish date" },
	{ "unschedule", "Returned to draft" },
	{ "extend", "Closing date extended" },
	{ "end", "Ended early" },
	{ "close", "Closed on its closing date" },
	{ "outcome", "Said whether the post was filled" },
};
static const struct label_list events = {
	"event", event_items, sizeof event_items / sizeof event_items[0]
};

/* Appends string s to array a when it is a non-empty string. Returns 0 or -1. */
static int line_add(json_t *a, const char *s)
{
	return s != NULL && s[0] != '\0' ? json_array_append_new(a, json_string(s)) : 0;
}

/* A new array of the "label" of each object of the model's array `key`. NULL when out of
 * memory. */
static json_t *labels_of(const json_t *vacancy, const char *key)
{
	json_t *out = json_array(), *item;
	size_t i;

	json_array_foreach(json_object_get(vacancy, key), i, item)
		if (out != NULL && line_add(out, json_string_value(json_object_get(item, "label"))))
			goto fail;
	return out;
fail:
	json_decref(out);
	return NULL;
}

/* The model's string `key`, or NULL when it is null or absent. */
static const char *str(const json_t *vacancy, const char *key)
{
	return json_string_value(json_object_get(vacancy, key));
}

/* The one-line value of row `id` from f and the read model v, into buf ("" when none); for
 * the Markdown fields *html is set to their rendered HTML instead (NULL when empty). */
static void row_text(const char *id, const struct vacancy_form *f, const json_t *v, char *buf,
		     size_t buflen, const char **html)
{
	char key[32];

	buf[0] = '\0';
	*html = NULL;
	if (strcmp(id, "title") == 0) {
		snprintf(buf, buflen, "%s", f->title);
	} else if (strcmp(id, "ect_suitable") == 0) {
		snprintf(buf, buflen, "%s", f->ect_suitable ? "Yes" : "No");
	} else if (strcmp(id, "key_worker") == 0) {
		snprintf(buf, buflen, "%s",
			 f->key_worker ? "Eligible for the key worker housing scheme" : "No");
	} else if (strcmp(id, "visa_sponsorship") == 0) {
		snprintf(buf, buflen, "%s",
			 f->visa_sponsorship ? "A Skilled Worker visa can be sponsored" : "No");
	} else if (strcmp(id, "contract") == 0 && f->contract[0] != '\0') {
		snprintf(buf, buflen, "%s%s%s", label_of(&vacancy_contracts, f->contract),
			 f->fixed_term_length[0] != '\0' ? ", " : "", f->fixed_term_length);
	} else if (strcmp(id, "working_pattern") == 0) {
		snprintf(buf, buflen, "%s",
			 str(v, "working_hours_label") ? str(v, "working_hours_label")
			 : str(v, "working_patterns_label") ? str(v, "working_patterns_label")
							    : "");
	} else if (strcmp(id, "start_type") == 0 && f->start_type[0] != '\0') {
		snprintf(buf, buflen, "%s", str(v, "start_label") ? str(v, "start_label") : "");
	} else if (strcmp(id, "publish") == 0) {
		if (str(v, "published_at_label") != NULL)
			snprintf(buf, buflen, "Published %s", str(v, "published_at_label"));
		else if (f->publish_label[0] != '\0')
			snprintf(buf, buflen, "%s", f->publish_label);
		else
			snprintf(buf, buflen, "Not set: the listing goes live when you publish it");
	} else if (strcmp(id, "closes") == 0) {
		snprintf(buf, buflen, "%s", f->closes_label);
	} else if (strcmp(id, "description") == 0 || strcmp(id, "about_school") == 0 ||
		   strcmp(id, "school_offers") == 0 || strcmp(id, "school_visits") == 0) {
		snprintf(key, sizeof key, "%s_html", id);
		if (str(v, id) != NULL && str(v, id)[0] != '\0')
			*html = str(v, key);
	} else if (strcmp(id, "contact_email") == 0) {
		snprintf(buf, buflen, "%s", f->contact_email);
	} else if (strcmp(id, "contact_phone") == 0) {
		snprintf(buf, buflen, "%s", f->contact_phone);
	}
}

/* The value lines of row `id` (and its HTML, for the Markdown fields, into *html) from the
 * vacancy model v and f. Returns a new array, NULL when out of memory. */
static json_t *row_lines(const char *id, const struct vacancy_form *f, const json_t *v,
			 const char **html)
{
	static const char *const lists[][2] = {
		{ "role", "job_roles" }, { "phase", "phases" }, { "key_stage", "key_stages" },
		{ "subject", "subjects" },
	};
	json_t *lines, *s;
	char buf[2048];
	size_t i;

	*html = NULL;
	for (i = 0; i < sizeof lists / sizeof lists[0]; i++)
		if (strcmp(id, lists[i][0]) == 0)
			return labels_of(v, lists[i][1]);
	lines = json_array();
	if (lines == NULL)
		return NULL;
	if (strcmp(id, "schools") == 0) {
		json_array_foreach(json_object_get(v, "schools"), i, s)
			if (line_add(lines, str(s, "name")) != 0)
				goto fail;
	} else if (strcmp(id, "pay") == 0) {
		snprintf(buf, sizeof buf, "%s%s",
			 f->actual_salary[0] != '\0' ? "Actual salary: " : "", f->actual_salary);
		if (line_add(lines, str(v, "pay_scale_label")) || line_add(lines, f->pay_text) ||
		    line_add(lines, str(v, "salary_label")) || line_add(lines, buf))
			goto fail;
	} else {
		row_text(id, f, v, buf, sizeof buf, html);
		if (line_add(lines, buf) != 0)
			goto fail;
	}
	return lines;
fail:
	json_decref(lines);
	return NULL;
}

/* True when the missing list names summary row `row` ("row-<id>"). */
static bool row_missing(const json_t *missing, const char *row)
{
	json_t *m;
	size_t i;

	json_array_foreach(missing, i, m)
		if (strcmp(json_string_value(json_object_get(m, "row")), row) == 0)
			return true;
	return false;
}

/* The summary sections, one per step but the documents: [{title, step, rows: [{id, key,
 * lines, html, missing, change}]}]. can_change adds the Change links (to the step's form;
 * a published vacancy's closing date to the extend form, its publish date none). NULL when
 * out of memory. */
static json_t *summary_sections(const struct vacancy_form *f, const json_t *v,
				const json_t *missing, bool can_change)
{
	json_t *sections = json_array(), *section = NULL, *rows = NULL, *lines, *row;
	const char *html;
	char id[64], change[160];
	int step;
	size_t i;

	for (step = 0; sections != NULL && step < VSTEP_DOCUMENTS; step++) {
		rows = json_array();
		section = json_pack("{s:s, s:s, s:O}", "title", vacancy_steps[step].title, "step",
				    vacancy_steps[step].name, "rows", rows);
		if (json_array_append_new(sections, section) != 0)
			goto fail;
		for (i = 0; i < NROWS; i++) {
			if (row_infos[i].step != (enum vacancy_step)step)
				continue;
			snprintf(id, sizeof id, "row-%s", row_infos[i].id);
			if (!vacancy_step_editable(f->status, row_infos[i].step))
				snprintf(change, sizeof change, "%s",
					 strcmp(f->status, "published") == 0 &&
							 strcmp(row_infos[i].id, "closes") == 0
						 ? "#extend"
						 : "");
			else
				snprintf(change, sizeof change,
					 "/school/vacancies/%lld/edit?step=%s&from=summary#%s",
					 f->id, vacancy_steps[step].name, row_infos[i].input);
			lines = row_lines(row_infos[i].id, f, v, &html);
			row = json_pack("{s:s, s:s, s:o, s:s?, s:b, s:s?}", "id", id, "key",
					row_infos[i].key, "lines", lines, "html", html, "missing",
					row_missing(missing, id), "change",
					can_change && change[0] != '\0' ? change : NULL);
			if (json_array_append_new(rows, row) != 0)
				goto fail;
		}
		json_decref(rows);
		rows = NULL;
	}
	return sections;
fail:
	json_decref(rows);
	json_decref(sections);
	return NULL;
}

/* The vacancy's history, newest first: [{event, when, who, reason, extra}] from status_events.
 * NULL on a database error (logged) or when out of memory. */
static json_t *history(PGconn *c, long long id)
{
	char id_s[24], extra[200];
	const char *vals[1] = { id_s }, *event, *copied, *closes, *filled;
	PGresult *res;
	json_t *out = NULL;
	int i;

	snprintf(id_s, sizeof id_s, "%lld", id);
	res = PQexecParams(c, "SELECT se.event, coalesce(se.reason, ''), " SQL_WHEN("se.at") ", "
			      "coalesce(u.name, CASE WHEN se.actor_id IS NULL AND se.event IN "
			      "('go_live', 'close') THEN 'Automatically' ELSE 'A former user' END), "
			      "coalesce(se.detail->>'copied_from', ''), coalesce("
			      SQL_WHEN("(se.detail->>'closes_at')::timestamptz") ", ''), "
			      "coalesce(se.detail->>'filled', '') "
			      "FROM status_events se LEFT JOIN users u ON u.id = se.actor_id WHERE "
			      "se.entity = 'vacancy' AND se.entity_id = $1::bigint ORDER BY se.at "
			      "DESC, se.id DESC", 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	out = json_array();
	for (i = 0; out != NULL && i < PQntuples(res); i++) {
		event = PQgetvalue(res, i, 0);
		copied = PQgetvalue(res, i, 4);
		closes = PQgetvalue(res, i, 5);
		filled = PQgetvalue(res, i, 6);
		extra[0] = '\0';
		if (copied[0] != '\0')
			snprintf(extra, sizeof extra, "Copied from job listing %s", copied);
		else if (closes[0] != '\0')
			snprintf(extra, sizeof extra, "New closing date: %s", closes);
		else if (filled[0] != '\0')
			snprintf(extra, sizeof extra, "%s",
				 strcmp(filled, "true") == 0 ? "The post was filled"
							     : "The post was not filled");
		if (json_array_append_new(
			    out, json_pack("{s:s, s:s, s:s, s:s, s:s}", "event",
					   label_of(&events, event) ? label_of(&events, event) : event,
					   "when", PQgetvalue(res, i, 2), "who",
					   PQgetvalue(res, i, 3), "reason", PQgetvalue(res, i, 1),
					   "extra", extra)) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
out:
	PQclear(res);
	return out;
}

/* How a listing that went live is doing: {views: its public page read by people
 * (vacancy_views.h), saves: candidates who saved it, applications: submitted or later}. NULL
 * on a database error (logged) or when out of memory. */
static json_t *stats(PGconn *c, long long id)
{
	char id_s[24];
	const char *vals[1] = { id_s };
	PGresult *res;
	json_t *out = NULL;

	snprintf(id_s, sizeof id_s, "%lld", id);
	res = PQexecParams(c, "SELECT (SELECT coalesce(sum(views), 0) FROM vacancy_views WHERE "
			      "vacancy_id = $1::bigint), (SELECT count(*) FROM saved_vacancies WHERE "
			      "vacancy_id = $1::bigint), (SELECT count(*) FROM applications WHERE "
			      "vacancy_id = $1::bigint AND status <> 'draft')", 1, NULL, vals, NULL,
			   NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		out = json_pack("{s:s, s:s, s:s}", "views", PQgetvalue(res, 0, 0), "saves",
				PQgetvalue(res, 0, 1), "applications", PQgetvalue(res, 0, 2));
	else
		log_errorf(__func__, "%s", PQerrorMessage(c));
	PQclear(res);
	return out;
}

/* The changes made while the vacancy was live, newest first (at most 100): [{when, who,
 * fields}]. NULL on a database error (logged) or when out of memory. */
static json_t *edits(PGconn *c, long long id)
{
	char id_s[24], one[64];
	const char *vals[1] = { id_s }, *p, *label;
	struct buf fields = { 0 };
	PGresult *res;
	json_t *out = NULL;
	size_t n;
	int i;

	snprintf(id_s, sizeof id_s, "%lld", id);
	res = PQexecParams(c, "SELECT array_to_string(e.fields, ','), " SQL_WHEN("e.at") ", "
			      "coalesce(u.name, "
			      "'A former user') FROM vacancy_edits e LEFT JOIN users u ON u.id = "
			      "e.actor_id WHERE e.vacancy_id = $1::bigint ORDER BY e.at DESC, e.id "
			      "DESC LIMIT 100", 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	out = json_array();
	for (i = 0; out != NULL && i < PQntuples(res); i++) {
		buf_reset(&fields);
		for (p = PQgetvalue(res, i, 0); *p != '\0';) {
			n = strcspn(p, ",");
			snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one ? n : sizeof one - 1),
				 p);
			label = label_of(&edit_fields, one);
			buf_printf(&fields, "%s%s", fields.len > 0 ? ", " : "", label ? label : one);
			p += n;
			if (*p == ',')
				p++;
		}
		if (buf_failed(&fields) ||
		    json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "when",
							 PQgetvalue(res, i, 1), "who",
							 PQgetvalue(res, i, 2), "fields",
							 buf_str(&fields))) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
out:
	buf_free(&fields);
	PQclear(res);
	return out;
}

/* Adds the blank extend and end forms to model unless it already has them (values typed into
 * a form that had errors). Returns 0 or -1. */
static int action_forms(json_t *model)
{
	struct vf_date blank = { 0 };

	if (json_object_get(model, "extend") == NULL &&
	    json_object_set_new(model, "extend",
				json_pack("{s:o, s:s, s:o, s:s, s:s}", "date",
					  school_vacancy_date_group("extend_date",
								    "New closing date",
								    "For example, 27 3 2026", &blank,
								    NULL),
					  "time_message", "", "times", school_vacancy_times(""),
					  "reason", "", "reason_message", "")) != 0)
		return -1;
	if (json_object_get(model, "end") == NULL &&
	    json_object_set_new(model, "end",
				json_pack("{s:s, s:s, s:b, s:b, s:s}", "reason", "",
					  "reason_message", "", "filled_yes", 0, "filled_no", 0,
					  "filled_message", "")) != 0)
		return -1;
	return 0;
}

/* Adds what the actions part of the page needs: status flags, what may be done now, whether
 * to list what is missing before publishing, whether the documents may be changed (can_edit,
 * for the documents partial). vacancy is the read model. Returns 0 or -1. */
static int summary_actions(json_t *model, const struct vacancy_form *f, const json_t *vacancy,
			   bool can_manage)
{
	bool draft = strcmp(f->status, "draft") == 0, sched = strcmp(f->status, "scheduled") == 0;
	bool live = strcmp(f->status, "published") == 0, closed = strcmp(f->status, "closed") == 0;
	const json_t *filled = json_object_get(vacancy, "filled");

	return json_object_set_new(model, "can_manage", json_boolean(can_manage)) ||
	       json_object_set_new(model, "show_missing",
				   json_boolean((draft || sched) &&
						json_array_size(json_object_get(model, "missing")) > 0)) ||
	       json_object_set_new(model, "can_edit", json_boolean(can_manage && !closed)) ||
	       json_object_set_new(model, "has_edits",
				   json_boolean(json_array_size(json_object_get(model, "edits")) > 0)) ||
	       json_object_set_new(model, "outcome_known", json_boolean(json_is_boolean(filled))) ||
	       (json_object_get(model, "outcome") == NULL &&
		json_object_set_new(model, "outcome",
				    json_pack("{s:b, s:b, s:s}", "filled_yes", json_is_true(filled),
					      "filled_no", json_is_false(filled), "message", ""))) ||
	       json_object_set_new(model, "ended_filled", json_boolean(json_is_true(filled))) ||
	       json_object_set_new(model, "ended_unfilled", json_boolean(json_is_false(filled))) ||
	       json_object_set_new(model, "is_draft", json_boolean(draft)) ||
	       json_object_set_new(model, "is_scheduled", json_boolean(sched)) ||
	       json_object_set_new(model, "is_published", json_boolean(live)) ||
	       json_object_set_new(model, "is_closed", json_boolean(closed)) ||
	       json_object_set_new(model, "can_schedule", json_boolean(draft && f->publish_future)) ||
	       json_object_set_new(model, "can_extend", json_boolean(live || sched)) ||
	       json_object_set_new(model, "has_public_page", json_boolean(live || closed)) ||
	       json_object_set_new(model, "publish_label", json_string(f->publish_label)) ||
	       json_object_set_new(model, "closes_label", json_string(f->closes_label)) ||
	       json_object_set_new(model, "updated_label", json_string(f->updated_label)) ||
	       action_forms(model);
}

/* Adds the banner asked for by ?done= to model. Returns 0 or -1. */
static int summary_banner(const struct req *r, json_t *model)
{
	const char *done = kv_get(&r->query, "done");
	size_t i;

	for (i = 0; done != NULL && i < sizeof banners / sizeof banners[0]; i++)
		if (strcmp(banners[i].done, done) == 0)
			return json_object_set_new(model, "banner", json_string(banners[i].text));
	return 0;
}

int school_vacancy_summary(struct req *r, PGconn *c, struct vacancy_form *f, bool can_manage,
			   json_t *extra, int status)
{
	struct vacancy_refs refs = { 0 };
	json_t *model = NULL, *vacancy = NULL, *missing = NULL;
	char err[256] = "";
	int found = 0, rc;

	vacancy = vacancy_model_load(c, f->id, &found, err, sizeof err);
	if (vacancy == NULL) {
		if (err[0] != '\0')
			log_errorf(__func__, "%s", err);
		rc = http_send_error(r, found == 0 && err[0] == '\0' ? 404 : 503, NULL);
		goto out;
	}
	missing = json_array();
	model = json_object();
	if (vacancy_refs_load(c, r, 0, &refs) != 0 || missing == NULL || model == NULL ||
	    /* What publishing needs: nothing once it has been published (a closed listing's
	     * closing date is past, rightly). */
	    ((strcmp(f->status, "draft") == 0 || strcmp(f->status, "scheduled") == 0) &&
	     vacancy_form_missing(f, refs.now, false, missing) < 0)) {
		rc = http_send_error(r, 503, NULL);
		goto out;
	}
	if (json_object_set(model, "vacancy", vacancy) != 0 ||
	    json_object_set_new(model, "title", json_string(f->title[0] != '\0' ? f->title
									   : "Untitled draft")) ||
	    school_vacancy_status_tag(model, f->status) != 0 ||
	    json_object_set_new(model, "sections",
				summary_sections(f, vacancy, missing,
						 can_manage && strcmp(f->status, "closed") != 0)) ||
	    json_object_set(model, "missing", missing) != 0 ||
	    json_object_set_new(model, "history", history(c, f->id)) ||
	    json_object_set_new(model, "edits", edits(c, f->id)) ||
	    ((strcmp(f->status, "published") == 0 || strcmp(f->status, "closed") == 0) &&
	     json_object_set_new(model, "stats", stats(c, f->id))) ||
	    vacancy_documents_model(c, r, f->id, model) != 0 ||
	    (extra != NULL && json_object_update(model, extra) != 0) ||
	    summary_actions(model, f, vacancy, can_manage) != 0 || summary_banner(r, model) != 0) {
		rc = http_send_error(r, 503, NULL);
		goto out;
	}
	rc = view_render(r, status, "school/vacancy_summary", model);
out:
	vacancy_refs_free(&refs);
	json_decref(missing);
	json_decref(vacancy);
	json_decref(model);
	return rc;
}

/* GET /school/vacancies/{id}: the summary page. */
int school_vacancy_show(struct req *r)
{
	struct vacancy_form f;
	bool can_manage = false;
	PGconn *c = req_db(r);
	int status;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = school_vacancy_load(r, c, SCHOOL_VIEWER, &f, &can_manage);
	if (status < 0)
		return -status;
	status = school_vacancy_summary(r, c, &f, can_manage, NULL, 200);
	vacancy_form_free(&f);
	return status;
}

/* GET /school/vacancies/{id}/preview: the public page of the vacancy (template vacancies/show)
 * whatever its status, with preview: true (the template shows a preview banner) and
 * summary_url, the way back; never indexed (X-Robots-Tag: noindex). */
int school_vacancy_preview(struct req *r)
{
	struct vacancy_form f;
	json_t *model = NULL;
	char err[256] = "", back[64];
	PGconn *c = req_db(r);
	int status, found = 0;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = school_vacancy_load(r, c, SCHOOL_VIEWER, &f, NULL);
	if (status < 0)
		return -status;
	model = vacancy_model_load(c, f.id, &found, err, sizeof err);
	snprintf(back, sizeof back, "/school/vacancies/%lld", f.id);
	if (model == NULL) {
		if (err[0] != '\0')
			log_errorf(__func__, "%s", err);
		status = http_send_error(r, found == 0 && err[0] == '\0' ? 404 : 503, NULL);
	} else if (json_object_set_new(model, "preview", json_true()) != 0 ||
		   json_object_set_new(model, "summary_url", json_string(back)) != 0 ||
		   http_add_header(r, "X-Robots-Tag", "noindex, nofollow") != 0) {
		status = http_send_error(r, 500, NULL);
	} else {
		status = view_render(r, 200, "vacancies/show", model);
	}
	json_decref(model);
	vacancy_form_free(&f);
	return status;
}
