/* vacancies_openapi.c - /api/v1/openapi.json: the OpenAPI 3.1 document of the public API.
 *
 * The document is the template vacancies/openapi (frontend/templates), whose value lists are
 * filled from the code's own lists (vacancy_labels.c, the vacancy_subjects table, the schools'
 * phases), so the enums cannot drift from what the handlers accept and answer. It is rendered
 * on first request, checked to be JSON, and kept for the life of the process.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handlers.h"
#include "log.h"
#include "schools_data.h"
#include "vacancy_search.h"
#include "vacancy_view.h"

static char *openapi_doc;      /* the rendered document, once made */
static size_t openapi_len;
static pthread_mutex_t openapi_lock = PTHREAD_MUTEX_INITIALIZER;

/* The schools table's phases (its CHECK constraint), for the schools API; labels unused. */
static const struct label school_phase_items[] = {
	{ "nursery", "" }, { "primary", "" }, { "secondary", "" }, { "all-through", "" },
	{ "post-16", "" }, { "special", "" }, { "alternative-provision", "" },
};
static const struct label_list school_phases = {
	"phase", school_phase_items, sizeof school_phase_items / sizeof school_phase_items[0]
};

/* Sets model[key] to the JSON text of the list's values (with a null at the end when
 * nullable), as a string for <%& %>. Clears *ok on failure. */
static void put_enum(json_t *model, const char *key, const struct label_list *list,
		     bool nullable, bool *ok)
{
	json_t *a = json_array();
	char *text = NULL;
	size_t i;

	for (i = 0; a != NULL && i < list->len; i++)
		if (json_array_append_new(a, json_string(list->items[i].value)) != 0)
			*ok = false;
	if (a != NULL && nullable && json_array_append_new(a, json_null()) != 0)
		*ok = false;
	if (a != NULL)
		text = json_dumps(a, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (text == NULL || json_object_set_new(model, key, json_string(text)) != 0)
		*ok = false;
	free(text);
	json_decref(a);
}

/* The template's model. NULL when out of memory. */
static json_t *openapi_model(const struct label_list *subjects)
{
	json_t *model = json_object(), *base = json_string(app.cfg.base_url);
	char *base_text = base != NULL ? json_dumps(base, JSON_ENCODE_ANY | JSON_ENSURE_ASCII)
				       : NULL;
	bool ok = model != NULL && base_text != NULL;

	if (ok)
		ok = json_object_set_new(model, "base_url", json_string(base_text)) == 0 &&
		     json_object_set_new(model, "per_page",
					 json_integer(VACANCY_SEARCH_PER_PAGE)) == 0 &&
		     json_object_set_new(model, "count_cap",
					 json_integer(VACANCY_SEARCH_COUNT_CAP)) == 0 &&
		     json_object_set_new(model, "few_live",
					 json_integer(VACANCY_SEARCH_FEW_LIVE)) == 0 &&
		     json_object_set_new(model, "q_max",
					 json_integer(VACANCY_SEARCH_Q_MAX_CHARS)) == 0 &&
		     json_object_set_new(model, "max_page",
					 json_integer(VACANCY_SEARCH_MAX_PAGE)) == 0;
	if (ok) {
		put_enum(model, "school_phases", &school_phases, false, &ok);
		put_enum(model, "roles", &vacancy_roles, false, &ok);
		put_enum(model, "phases", &vacancy_phases, false, &ok);
		put_enum(model, "key_stages", &vacancy_key_stages, false, &ok);
		put_enum(model, "subjects", subjects, false, &ok);
		put_enum(model, "contracts", &vacancy_contracts, false, &ok);
		put_enum(model, "contracts_nullable", &vacancy_contracts, true, &ok);
		put_enum(model, "working_patterns", &vacancy_working_patterns, false, &ok);
		put_enum(model, "pay_scales_nullable", &vacancy_pay_scales, true, &ok);
		put_enum(model, "start_types_nullable", &vacancy_start_types, true, &ok);
	}
	free(base_text);
	json_decref(base);
	if (!ok) {
		json_decref(model);
		return NULL;
	}
	return model;
}

/* Renders the document into openapi_doc unless it is there. Called with openapi_lock held.
 * Returns 0, or -1 (logged). */
static int openapi_render(PGconn *c)
{
	const struct label_list *subjects;
	struct buf out = { 0 };
	json_t *model = NULL, *check = NULL;
	json_error_t jerr;
	char err[256];
	int rc = -1;

	if (openapi_doc != NULL)
		return 0;
	subjects = vacancy_subjects_list(c, err, sizeof err);
	if (subjects == NULL) {
		log_errorf(__func__, "%s", err);
		return -1;
	}
	model = openapi_model(subjects);
	if (model == NULL || tpl_render(app.templates, "vacancies/openapi", model, &out) != 0 ||
	    buf_failed(&out)) {
		log_errorf(__func__, "cannot render vacancies/openapi");
		goto out;
	}
	check = json_loadb(out.data, out.len, JSON_REJECT_DUPLICATES, &jerr);
	if (check == NULL) {
		log_errorf(__func__, "vacancies/openapi is not JSON: line %d: %s", jerr.line,
			   jerr.text);
		goto out;
	}
	openapi_doc = out.data;
	openapi_len = out.len;
	out.data = NULL;
	rc = 0;
out:
	json_decref(check);
	json_decref(model);
	buf_free(&out);
	return rc;
}

int api_openapi(struct req *r)
{
	PGconn *c;
	int rc;

	pthread_mutex_lock(&openapi_lock);
	c = openapi_doc == NULL ? req_db(r) : NULL;
	rc = openapi_doc != NULL || (c != NULL && openapi_render(c) == 0) ? 0 : -1;
	pthread_mutex_unlock(&openapi_lock);
	if (rc != 0)
		return http_send_error(r, c == NULL ? 503 : 500, NULL);
	return http_send(r, 200, "application/json", openapi_doc, openapi_len);
}
