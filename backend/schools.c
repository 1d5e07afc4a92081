/* schools.c - the schools directory: /schools (filter by phase and town), /schools/{urn} (with
 * what the school says about itself, from its profile: school_profile.c, and its live
 * vacancies), and /api/v1/schools. The HTML and the JSON come from the same data functions
 * (schools_data.c). */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "handlers.h"
#include "log.h"
#include "markdown.h"
#include "schools_data.h"
#include "vacancy_search.h"

/* Reads and checks the phase and town filters. A phase must be one we know; a town must be one
 * where a school is (towns from facets). Returns 0, or answers 400 and returns its status. */
static int schools_filters(struct req *r, json_t *facets, const char **phase, const char **town)
{
	json_t *v;
	size_t i;
	int found;

	*phase = kv_get(&r->query, "phase");
	*town = kv_get(&r->query, "town");
	if (*phase != NULL && **phase == '\0')
		*phase = NULL;
	if (*town != NULL && **town == '\0')
		*town = NULL;
	if (kv_count(&r->query, "phase") > 1 || kv_count(&r->query, "town") > 1)
		return http_send_error(r, 400, "Choose one phase and one town at most.");
	if (*phase != NULL && schools_phase_label(*phase) == NULL)
		return http_send_error(r, 400, "There is no such phase of education. Choose primary, "
					       "secondary, all-through, special, alternative "
					       "provision, nursery or post-16.");
	if (*town != NULL) {
		found = 0;
		json_array_foreach(json_object_get(facets, "towns"), i, v)
			if (strcmp(json_string_value(json_object_get(v, "value")), *town) == 0)
				found = 1;
		if (!found)
			return http_send_error(r, 400, "There is no school in that town. Choose a town "
						       "from the list.");
	}
	return 0;
}

/* Marks the chosen value in each facet list ("selected": true), for the filter form. */
static void facets_select(json_t *list, const char *value)
{
	json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		json_object_set_new(v, "selected",
				    json_boolean(value != NULL &&
						 strcmp(json_string_value(json_object_get(v, "value")),
							value) == 0));
}

/* True when school s matches phase and town (NULL: any). */
static bool school_matches(json_t *s, const char *phase, const char *town)
{
	const char *v;

	v = json_string_value(json_object_get(s, "phase"));
	if (phase != NULL && (v == NULL || strcmp(v, phase) != 0))
		return false;
	v = json_string_value(json_object_get(s, "town"));
	return town == NULL || (v != NULL && strcmp(v, town) == 0);
}

/* {"items": [...], "total": N} from the snapshot's serialised schools: no JSON encoding per
 * request. */
static int schools_api(struct req *r, const struct schools_snapshot *snap, const char *phase,
		       const char *town)
{
	struct buf out = { 0 };
	size_t i, n = 0;
	int status;

	buf_puts(&out, "{\"items\":[");
	for (i = 0; i < snap->n; i++) {
		if (!school_matches(json_array_get(snap->all, i), phase, town))
			continue;
		if (n++ > 0)
			buf_putc(&out, ',');
		buf_append(&out, snap->json[i], snap->json_len[i]);
	}
	buf_printf(&out, "],\"total\":%zu}", n);
	status = buf_failed(&out) ? http_send_error(r, 500, NULL)
				  : http_send(r, 200, "application/json", out.data, out.len);
	buf_free(&out);
	return status;
}

/* Renders template `name` and sends it; when key is not empty (a visitor's page) keeps the
 * result with the snapshot for the next visitor. Returns the status sent. */
int render_kept(struct req *r, const struct schools_snapshot *snap, const char *key,
		const char *name, json_t *model)
{
	struct buf out = { 0 };
	int status;

	if (view_render_buf(r, name, model, &out) != 0) {
		status = http_send_error(r, 500, NULL);
	} else {
		if (*key != '\0')
			schools_page_keep(snap, key, out.data, out.len);
		status = http_send(r, 200, "text/html; charset=utf-8", out.data, out.len);
	}
	buf_free(&out);
	return status;
}

/* Answers the filtered directory: JSON on the API, else the page. */
static int schools_answer(struct req *r, bool api)
{
	const struct schools_snapshot *snap;
	json_t *facets = NULL, *list = NULL, *model = NULL, *s;
	const struct schools_page *page;
	struct buf key = { 0 };
	const char *phase, *town;
	char err[256];
	size_t i;
	int status;

	snap = schools_snapshot_get(req_db_cb, r, err, sizeof err);
	if (snap == NULL) {
		log_errorf(__func__, "%s", err);
		return http_send_error(r, 503, NULL);
	}
	status = schools_filters(r, snap->facets, &phase, &town);
	if (status != 0)
		goto out;
	if (api) {
		status = schools_api(r, snap, phase, town);
		goto out;
	}
	if (r->user == NULL) {
		/* A visitor's page holds nothing personal: render it once per snapshot. */
		buf_printf(&key, "schools|%s|%s", phase ? phase : "", town ? town : "");
		page = buf_failed(&key) ? NULL : schools_page_find(snap, buf_str(&key));
		if (page != NULL) {
			status = http_send(r, 200, "text/html; charset=utf-8", page->html, page->len);
			goto out;
		}
	}
	list = json_array();
	/* The snapshot is shared: mark the chosen filters on a copy, when there are any. */
	facets = phase != NULL || town != NULL ? json_deep_copy(snap->facets)
					       : json_incref(snap->facets);
	if (list == NULL || facets == NULL) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	json_array_foreach(snap->all, i, s)
		if (school_matches(s, phase, town) && json_array_append(list, s) != 0)
			break;
	if (phase != NULL || town != NULL) {
		facets_select(json_object_get(facets, "phases"), phase);
		facets_select(json_object_get(facets, "towns"), town);
	}
	model = json_pack("{s:O, s:I, s:b, s:O, s:O, s:b}", "schools", list, "total",
			  (json_int_t)json_array_size(list), "total_one", json_array_size(list) == 1,
			  "phases", json_object_get(facets, "phases"), "towns",
			  json_object_get(facets, "towns"), "filtered", phase != NULL || town != NULL);
	status = model ? render_kept(r, snap, buf_str(&key), "schools/index", model)
		       : http_send_error(r, 500, NULL);
out:
	buf_free(&key);
	schools_snapshot_put(snap);
	json_decref(facets);
	json_decref(list);
	json_decref(model);
	return status;
}

int schools_index(struct req *r)
{
	return schools_answer(r, false);
}

/* The public, read-only API answers any origin (no credentials are involved). */
int api_schools_index(struct req *r)
{
	return schools_answer(r, true);
}

/* Sets school.about_html to the HTML of school.about (its profile's Markdown). Returns 0, or
 * -1 when out of memory. */
static int about_set(json_t *school)
{
	struct buf html = { 0 };
	int rc = -1;

	if (markdown_html(json_string_value(json_object_get(school, "about")), &html) == 0 &&
	    json_object_set_new(school, "about_html", json_string(buf_str(&html))) == 0)
		rc = 0;
	buf_free(&html);
	return rc;
}

int schools_show(struct req *r)
{
	PGconn *c;
	json_t *school = NULL, *vacancies, *model = NULL;
	char err[256];
	long urn;
	int status, found = 0;

	urn = http_id_parse(r->params[0]);
	if (urn == 0)
		return http_send_error(r, 404, NULL);
	c = req_db(r);
	if (c == NULL)
		return http_send_error(r, 503, NULL);
	school = schools_get(c, urn, &found, err, sizeof err);
	if (school == NULL) {
		if (found == 0 && err[0] == '\0')
			return http_send_error(r, 404, NULL);
		log_errorf(__func__, "%s", err);
		return http_send_error(r, 503, NULL);
	}
	if (about_set(school) != 0) {
		json_decref(school);
		return http_send_error(r, 500, NULL);
	}
	vacancies = vacancy_search_school(c, urn, err, sizeof err);
	if (vacancies == NULL) {
		log_errorf(__func__, "%s", err);
		json_decref(school);
		return http_send_error(r, 503, NULL);
	}
	/* Those who may change the school's profile are offered it (a signed-in page is never
	 * cached: http.c). */
	model = json_pack("{s:O, s:O, s:b}", "school", school, "vacancies", vacancies, "can_edit",
			  r->user != NULL &&
				  tenancy_school(r, c, urn, SCHOOL_HIRING_MANAGER) == 0);
	status = model ? view_render(r, 200, "schools/show", model) : http_send_error(r, 500, NULL);
	json_decref(school);
	json_decref(vacancies);
	json_decref(model);
	return status;
}
