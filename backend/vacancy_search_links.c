/* vacancy_search_links.c - a search's addresses and descriptions, for the search page and job
 * alerts; see vacancy_search_links.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vacancy_search_links.h"

/* Appends "?name=value" or "&name=value" to the address in b. */
static void query_add(struct buf *b, const char *name, const char *value)
{
	buf_putc(b, strchr(buf_str(b), '?') != NULL ? '&' : '?');
	buf_puts(b, name);
	buf_putc(b, '=');
	url_encode(b, value);
}

/* Appends name=v for each value of f but `skip` (when skip_name is name). */
static void query_add_filter(struct buf *b, const char *name, const struct vacancy_filter *f,
			     const char *skip_name, const char *skip)
{
	size_t i;
	bool skipping = skip_name != NULL && strcmp(skip_name, name) == 0;

	for (i = 0; i < f->n; i++)
		if (!skipping || strcmp(f->values[i], skip) != 0)
			query_add(b, name, f->values[i]);
}

void vacancy_search_url(struct buf *b, const struct vacancy_query *vq, const char *skip_name,
			const char *skip, long page)
{
	bool no_q = skip_name != NULL && strcmp(skip_name, "q") == 0;
	char n[24];

	buf_puts(b, "/vacancies");
	if (vq->q != NULL && !no_q)
		query_add(b, "q", vq->q);
	query_add_filter(b, "role", &vq->roles, skip_name, skip);
	query_add_filter(b, "phase", &vq->phases, skip_name, skip);
	query_add_filter(b, "key_stage", &vq->key_stages, skip_name, skip);
	query_add_filter(b, "subject", &vq->subjects, skip_name, skip);
	query_add_filter(b, "contract", &vq->contracts, skip_name, skip);
	query_add_filter(b, "working_pattern", &vq->patterns, skip_name, skip);
	if (vq->ect_suitable && (skip_name == NULL || strcmp(skip_name, "ect_suitable") != 0))
		query_add(b, "ect_suitable", "true");
	if (vq->key_worker && (skip_name == NULL || strcmp(skip_name, "key_worker") != 0))
		query_add(b, "key_worker", "true");
	if (vq->visa_sponsorship &&
	    (skip_name == NULL || strcmp(skip_name, "visa_sponsorship") != 0))
		query_add(b, "visa_sponsorship", "true");
	query_add_filter(b, "school", &vq->schools, skip_name, skip);
	query_add_filter(b, "town", &vq->towns, skip_name, skip);
	if (vq->sort_given && !(no_q && vq->sort == VACANCY_SORT_RELEVANCE))
		query_add(b, "sort", vacancy_sort_name(vq->sort));
	if (page > 1) {
		snprintf(n, sizeof n, "%ld", page);
		query_add(b, "page", n);
	}
}

void vacancy_search_alert_query(struct buf *b, const struct vacancy_query *vq)
{
	struct vacancy_query search = *vq;
	struct buf url = { 0 };
	const char *qs;

	search.sort_given = false;
	vacancy_search_url(&url, &search, NULL, NULL, 1);
	if (buf_failed(&url)) {
		b->failed = true;
	} else {
		qs = strchr(buf_str(&url), '?');
		buf_puts(b, qs != NULL ? qs + 1 : "");
	}
	buf_free(&url);
}

/* Sets obj[key] to vacancy_search_url(vq, skip_name, skip, page). Clears *ok on failure. */
static void set_search_url(json_t *obj, const char *key, const struct vacancy_query *vq,
			   const char *skip_name, const char *skip, long page, bool *ok)
{
	struct buf b = { 0 };

	vacancy_search_url(&b, vq, skip_name, skip, page);
	if (buf_failed(&b) || json_object_set_new(obj, key, json_string(buf_str(&b))) != 0)
		*ok = false;
	buf_free(&b);
}

/* Appends an active filter {group, label, href} to list: href is the search without it. */
static void active_add(json_t *list, const struct vacancy_query *vq, const char *group,
		       const char *label, const char *param, const char *value, bool *ok)
{
	json_t *f = json_pack("{s:s, s:s}", "group", group, "label", label);

	if (f == NULL || json_array_append_new(list, f) != 0) {
		*ok = false;
		return;
	}
	set_search_url(f, "href", vq, param, value, 1, ok);
}

/* Appends the active filters of one listed parameter. */
static void active_add_filter(json_t *list, const struct vacancy_query *vq, const char *group,
			      const char *param, const struct vacancy_filter *f,
			      const struct label_list *labels, bool *ok)
{
	const char *label;
	size_t i;

	for (i = 0; i < f->n; i++) {
		label = label_of(labels, f->values[i]);
		active_add(list, vq, group, label != NULL ? label : f->values[i], param,
			   f->values[i], ok);
	}
}

/* The name of the school with URN urn (a string) in the directory, or the URN itself. */
static const char *school_name(const struct schools_snapshot *schools, const char *urn)
{
	json_t *s;
	size_t i;
	long long n = strtoll(urn, NULL, 10);

	json_array_foreach(schools->all, i, s)
		if (json_integer_value(json_object_get(s, "urn")) == n)
			return json_string_value(json_object_get(s, "name"));
	return urn;
}

json_t *vacancy_search_active_filters(const struct vacancy_query *vq,
				      const struct label_list *subjects,
				      const struct schools_snapshot *schools)
{
	json_t *list = json_array();
	bool ok = list != NULL;
	size_t i;

	if (ok && vq->q != NULL)
		active_add(list, vq, "Search words", vq->q, "q", vq->q, &ok);
	active_add_filter(list, vq, "Job role", "role", &vq->roles, &vacancy_roles, &ok);
	active_add_filter(list, vq, "Phase", "phase", &vq->phases, &vacancy_phases, &ok);
	active_add_filter(list, vq, "Key stage", "key_stage", &vq->key_stages, &vacancy_key_stages,
			  &ok);
	active_add_filter(list, vq, "Subject", "subject", &vq->subjects, subjects, &ok);
	active_add_filter(list, vq, "Contract", "contract", &vq->contracts, &vacancy_contracts,
			  &ok);
	active_add_filter(list, vq, "Working pattern", "working_pattern", &vq->patterns,
			  &vacancy_working_patterns, &ok);
	if (ok && vq->ect_suitable)
		active_add(list, vq, "Early career teachers", "Suitable for ECTs", "ect_suitable",
			   "true", &ok);
	if (ok && vq->key_worker)
		active_add(list, vq, "Key worker housing", "Eligible for the key worker scheme",
			   "key_worker", "true", &ok);
	if (ok && vq->visa_sponsorship)
		active_add(list, vq, "Visa sponsorship", "Available",
			   "visa_sponsorship", "true", &ok);
	for (i = 0; ok && i < vq->schools.n; i++)
		active_add(list, vq, "School", school_name(schools, vq->schools.values[i]),
			   "school", vq->schools.values[i], &ok);
	for (i = 0; ok && i < vq->towns.n; i++)
		active_add(list, vq, "Town", vq->towns.values[i], "town", vq->towns.values[i], &ok);
	if (!ok) {
		json_decref(list);
		return NULL;
	}
	return list;
}

/* Appends {name, value} for each value of f to list. Clears *ok on failure. */
static void params_add(json_t *list, const char *name, const struct vacancy_filter *f, bool *ok)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (json_array_append_new(list, json_pack("{s:s, s:s}", "name", name, "value",
							  f->values[i])) != 0)
			*ok = false;
}

json_t *vacancy_search_params(const struct vacancy_query *vq)
{
	json_t *list = json_array();
	bool ok = list != NULL;

	if (ok && vq->q != NULL &&
	    json_array_append_new(list, json_pack("{s:s, s:s}", "name", "q", "value", vq->q)) != 0)
		ok = false;
	if (ok) {
		params_add(list, "role", &vq->roles, &ok);
		params_add(list, "phase", &vq->phases, &ok);
		params_add(list, "key_stage", &vq->key_stages, &ok);
		params_add(list, "subject", &vq->subjects, &ok);
		params_add(list, "contract", &vq->contracts, &ok);
		params_add(list, "working_pattern", &vq->patterns, &ok);
		params_add(list, "school", &vq->schools, &ok);
		params_add(list, "town", &vq->towns, &ok);
	}
	if (ok && vq->ect_suitable &&
	    json_array_append_new(list, json_pack("{s:s, s:s}", "name", "ect_suitable", "value",
						  "true")) != 0)
		ok = false;
	if (ok && vq->key_worker &&
	    json_array_append_new(list, json_pack("{s:s, s:s}", "name", "key_worker", "value",
						  "true")) != 0)
		ok = false;
	if (ok && vq->visa_sponsorship &&
	    json_array_append_new(list, json_pack("{s:s, s:s}", "name", "visa_sponsorship",
						  "value", "true")) != 0)
		ok = false;
	if (!ok) {
		json_decref(list);
		return NULL;
	}
	return list;
}
