/* vacancies_public.c - public vacancy search: /vacancies (the page: search box, filter panel,
 * sort, results, pages) and /api/v1/vacancies (the same search as JSON). Both read the query
 * with vacancy_search_parse() and run the statements of vacancy_search.c; the page adds what the
 * form and the links need. Bad parameters answer 400 naming the parameter and value (the HTML
 * error page, or a problem document on the API); a page beyond the last answers 400 saying how
 * many pages there are.
 *
 * While few vacancies are live (Thurrock's case) every choice of the filter form shows how many
 * jobs it would find, and the API answers the same counts as "facets" (vacancy_search_facets());
 * with many live vacancies counting would grow with the matches, so neither has them.
 *
 * The page is cheap to make: its jobs come rendered and kept per vacancy row
 * (vacancy_item_cache.c), its filter form (without counts) rendered and kept per search with the
 * schools snapshot, and the rest of its model lives in the thread's jansson arena
 * (json_arena.h). The form and the jobs are rendered by the template engine, which escapes them;
 * the page template prints them as they are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handlers.h"
#include "json_arena.h"
#include "log.h"
#include "pagination.h"
#include "schools_data.h"
#include "template.h"
#include "vacancy_item_cache.h"
#include "vacancy_search_links.h"
#include "vacancy_search.h"
#include "vacancy_spelling.h"
#include "vacancy_view.h"

/* ---- the page's model ---------------------------------------------------------------- */

/* page_url_fn for the search's pages (pagination.h). */
static void search_page_url(struct buf *b, long page, const void *vq)
{
	vacancy_search_url(b, vq, NULL, NULL, page);
}

/* True when f holds value. */
static bool filter_has(const struct vacancy_filter *f, const char *value)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->values[i], value) == 0)
			return true;
	return false;
}

/* The towns of the directory as [{value, label, id, selected}], id being the value made fit
 * for an HTML id ("South Ockendon" -> "town-south-ockendon"). NULL when out of memory. */
static json_t *town_options(const struct vacancy_query *vq, const struct schools_snapshot *s)
{
	json_t *list = json_array(), *t;
	const char *town;
	char id[128];
	size_t i, k;

	json_array_foreach(json_object_get(s->facets, "towns"), i, t) {
		town = json_string_value(json_object_get(t, "value"));
		if (town == NULL)
			continue;
		snprintf(id, sizeof id, "town-%s", town);
		for (k = 5; id[k] != '\0'; k++)
			id[k] = (id[k] >= 'A' && id[k] <= 'Z') ? (char)(id[k] - 'A' + 'a')
			      : ((id[k] >= 'a' && id[k] <= 'z') || (id[k] >= '0' && id[k] <= '9'))
				? id[k] : '-';
		if (list == NULL ||
		    json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b}", "value", town,
							  "label", town, "id", id, "selected",
							  filter_has(&vq->towns, town))) != 0) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

/* The schools of the directory as [{value (URN), label (name), selected}]. NULL when out of
 * memory. */
static json_t *school_options(const struct vacancy_query *vq, const struct schools_snapshot *s)
{
	json_t *list = json_array(), *school;
	char urn[24];
	size_t i;

	json_array_foreach(s->all, i, school) {
		snprintf(urn, sizeof urn, "%lld",
			 (long long)json_integer_value(json_object_get(school, "urn")));
		if (list == NULL ||
		    json_array_append_new(list, json_pack("{s:s, s:O, s:b}", "value", urn, "label",
							  json_object_get(school, "name"),
							  "selected",
							  filter_has(&vq->schools, urn))) != 0) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

/* The sort choices: closing date (the default) and newest, and best match when there are
 * search words. NULL when out of memory. */
static json_t *sort_options(const struct vacancy_query *vq)
{
	static const enum vacancy_sort order[] = { VACANCY_SORT_CLOSING, VACANCY_SORT_NEWEST,
						   VACANCY_SORT_RELEVANCE };
	static const char *const labels[] = { "Closing date (soonest first)", "Newest first",
					      "Best match" };
	json_t *list = json_array();
	size_t k;

	for (k = 0; list != NULL && k < (vq->q != NULL ? 3u : 2u); k++) {
		if (json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value",
							  vacancy_sort_name(order[k]), "label",
							  labels[k], "selected",
							  vq->sort == order[k])) != 0) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

/* Sets model[key] = v (taking the reference); clears *ok when v is NULL or on failure. */
static void put(json_t *model, const char *key, json_t *v, bool *ok)
{
	if (v == NULL || json_object_set_new(model, key, v) != 0)
		*ok = false;
}

/* "24 jobs found", "1 job found", "1,250 jobs found", "More than 200 jobs found" (a lower
 * bound: see vacancy_search.h). */
static json_t *total_label(const json_t *result)
{
	long long total = json_integer_value(json_object_get(result, "total"));
	bool exact = json_is_true(json_object_get(result, "total_exact"));
	char number[32], s[64];

	if (total >= 1000)
		snprintf(number, sizeof number, "%lld,%03lld", total / 1000, total % 1000);
	else
		snprintf(number, sizeof number, "%lld", total);
	snprintf(s, sizeof s, "%s%s job%s found", exact ? "" : "More than ", number,
		 total == 1 && exact ? "" : "s");
	return json_string(s);
}

/* Returns options (a list of {value, ...}) with "count" set on each to facets[param][value]
 * (0 when the value has none), or options as they are when facets is NULL; NULL (options
 * released) when out of memory. */
static json_t *counted(json_t *options, const json_t *facets, const char *param)
{
	const json_t *counts = json_object_get(facets, param);
	const char *value;
	json_t *o;
	json_int_t n;
	size_t i;

	if (options == NULL || facets == NULL)
		return options;
	json_array_foreach(options, i, o) {
		value = json_string_value(json_object_get(o, "value"));
		n = json_integer_value(json_object_get(counts, value != NULL ? value : ""));
		if (json_object_set_new(o, "count", json_integer(n)) != 0) {
			json_decref(options);
			return NULL;
		}
	}
	return options;
}

/* Sets page["filters_html"] to the filter form of vq (template vacancies/filters). Without
 * facets (many live vacancies) the form is kept with the schools snapshot under the search's
 * address: it is then a function of the search and of the snapshot (towns, schools) alone, and
 * nothing in it is personal. With facets (vacancy_search_facets()) each choice shows its count
 * and the form is made afresh. Returns 0, or -1 when out of memory or the template fails. */
static int filters_html(json_t *page, const struct vacancy_query *vq,
			const struct vacancy_search_refs *refs, const json_t *facets)
{
	struct buf key = { 0 }, html = { 0 };
	const struct schools_page *kept = NULL;
	json_t *form = NULL;
	bool ok;

	ok = true;
	if (facets == NULL) {
		buf_puts(&key, "vacancies/filters ");
		vacancy_search_url(&key, vq, NULL, NULL, 1);
		ok = !buf_failed(&key);
		if (ok)
			kept = schools_page_find(refs->schools, buf_str(&key));
	}
	if (kept != NULL) {
		put(page, "filters_html", json_stringn_nocheck(kept->html, kept->len), &ok);
		goto out;
	}
	form = json_object();
	ok = ok && form != NULL;
	/* The form keeps a sort the user chose, except relevance when there are no search words
	 * in the box (the form may be sent without them). */
	if (ok && vq->sort_given && vq->sort != VACANCY_SORT_RELEVANCE)
		put(form, "sort_kept", json_string(vacancy_sort_name(vq->sort)), &ok);
	put(form, "q", json_string(vq->q != NULL ? vq->q : ""), &ok);
	put(form, "has_filters", json_incref(json_object_get(page, "has_filters")), &ok);
	put(form, "roles", counted(label_options(&vacancy_roles, vq->roles.values, vq->roles.n),
				   facets, "role"), &ok);
	put(form, "phases", counted(label_options(&vacancy_phases, vq->phases.values,
						  vq->phases.n), facets, "phase"), &ok);
	put(form, "key_stages", counted(label_options(&vacancy_key_stages, vq->key_stages.values,
						      vq->key_stages.n), facets, "key_stage"), &ok);
	put(form, "key_stages_open", json_boolean(vq->key_stages.n > 0), &ok);
	put(form, "subjects", counted(label_options(refs->subjects, vq->subjects.values,
						    vq->subjects.n), facets, "subject"), &ok);
	put(form, "subjects_open", json_boolean(vq->subjects.n > 0), &ok);
	put(form, "contracts", counted(label_options(&vacancy_contracts, vq->contracts.values,
						     vq->contracts.n), facets, "contract"), &ok);
	put(form, "working_patterns", counted(label_options(&vacancy_working_patterns,
							    vq->patterns.values, vq->patterns.n),
					      facets, "working_pattern"), &ok);
	put(form, "towns", counted(town_options(vq, refs->schools), facets, "town"), &ok);
	put(form, "towns_open", json_boolean(vq->towns.n > 0), &ok);
	put(form, "schools", counted(school_options(vq, refs->schools), facets, "school"), &ok);
	put(form, "ect_suitable", json_boolean(vq->ect_suitable), &ok);
	put(form, "key_worker", json_boolean(vq->key_worker), &ok);
	put(form, "visa_sponsorship", json_boolean(vq->visa_sponsorship), &ok);
	if (facets != NULL) {
		put(form, "counted", json_true(), &ok);
		put(form, "ect_count", json_incref(json_object_get(facets, "ect_suitable")), &ok);
		put(form, "key_worker_count", json_incref(json_object_get(facets, "key_worker")),
		    &ok);
		put(form, "visa_sponsorship_count",
		    json_incref(json_object_get(facets, "visa_sponsorship")), &ok);
	}
	if (ok && (tpl_render(app.templates, "vacancies/filters", form, &html) != 0 ||
		   buf_failed(&html)))
		ok = false;
	if (ok) {
		if (facets == NULL)
			schools_page_keep(refs->schools, buf_str(&key), html.data, html.len);
		put(page, "filters_html", json_stringn_nocheck(html.data, html.len), &ok);
	}
out:
	json_decref(form);
	buf_free(&key);
	buf_free(&html);
	return ok ? 0 : -1;
}

/* path with search vq's parameters but sort and page (the job alert form, the feed), or NULL
 * when out of memory. */
static json_t *search_link(const char *path, const struct vacancy_query *vq)
{
	struct buf qs = { 0 }, url = { 0 };
	json_t *v = NULL;

	vacancy_search_alert_query(&qs, vq);
	buf_puts(&url, path);
	if (qs.len > 0) {
		buf_putc(&url, '?');
		buf_append(&url, qs.data, qs.len);
	}
	if (!buf_failed(&qs) && !buf_failed(&url))
		v = json_string(buf_str(&url));
	buf_free(&qs);
	buf_free(&url);
	return v;
}

/* Adds to result (the search's model) what the page shows around the results. Returns 0 or
 * -1 when out of memory. */
static int search_page_model(json_t *result, const struct vacancy_query *vq,
			     const struct vacancy_search_refs *refs, const json_t *facets)
{
	long pages = (long)json_integer_value(json_object_get(result, "pages"));
	json_t *active =
		vacancy_search_active_filters(vq, refs->subjects, refs->schools);
	bool ok = active != NULL;

	put(result, "active_filters", active, &ok);
	put(result, "has_filters", json_boolean(json_array_size(active) > 0), &ok);
	put(result, "search_params", vacancy_search_params(vq), &ok);
	put(result, "q", json_string(vq->q != NULL ? vq->q : ""), &ok);
	put(result, "total_label", total_label(result), &ok);
	put(result, "sorts", sort_options(vq), &ok);
	put(result, "alert_url", search_link("/job-alerts/new", vq), &ok);
	put(result, "feed_url", search_link("/vacancies.atom", vq), &ok);
	if (ok && pages > 1)
		put(result, "pagination", pagination_model(vq->page, pages, search_page_url, vq), &ok);
	if (ok && filters_html(result, vq, refs, facets) != 0)
		ok = false;
	return ok ? 0 : -1;
}

/* The suggestion for search vq, which found nothing: a new {q, href} when the same search
 * with its words' spelling corrected (vacancy_spelling.h) finds something (href: prefix, then
 * the corrected search's address), else NULL. A failure leaves the suggestion out (logged): the
 * answer is still right without it. *ok is cleared when out of memory. */
static json_t *suggestion_of(PGconn *c, const struct vacancy_query *vq, const char *prefix,
			     bool *ok)
{
	struct vacancy_query corrected;
	struct buf href = { 0 };
	char err[256], *q = NULL;
	json_t *s = NULL;
	bool any = false;

	if (vq->q == NULL)
		return NULL;
	if (vacancy_spelling_suggest(c, vq->q, &q, err, sizeof err) != 0) {
		log_errorf(__func__, "%s", err);
		return NULL;
	}
	if (q == NULL)
		return NULL;
	corrected = *vq;
	corrected.q = q;
	corrected.page = 1;
	if (vacancy_search_any(c, &corrected, &any, err, sizeof err) != 0)
		log_errorf(__func__, "%s", err);
	if (any) {
		buf_puts(&href, prefix);
		vacancy_search_url(&href, &corrected, NULL, NULL, 1);
		s = buf_failed(&href) ? NULL
				      : json_pack("{s:s, s:s}", "q", q, "href", buf_str(&href));
		if (s == NULL)
			*ok = false;
	}
	buf_free(&href);
	free(q);
	return s;
}

/* ---- the handlers -------------------------------------------------------------------- */

/* Answers 400 for a page of vq beyond the last one (pages), linking to the last. */
static int page_missing(struct req *r, const struct vacancy_query *vq, long pages)
{
	char problem[128], text[64];
	struct buf last = { 0 };
	int status;

	snprintf(problem, sizeof problem, "Page %ld does not exist: there %s %ld page%s.",
		 vq->page, pages == 1 ? "is" : "are", pages, pages == 1 ? "" : "s");
	snprintf(text, sizeof text, "Go to page %ld, the last page of this search", pages);
	vacancy_search_url(&last, vq, NULL, NULL, pages);
	status = http_send_error_link(r, 400, problem, buf_failed(&last) ? NULL : buf_str(&last),
				      pages == 1 ? "Go to the first page of this search" : text);
	buf_free(&last);
	return status;
}

/* Appends member `name` (value v, taken; NULL: nothing) to the open JSON object in out.
 * Returns 0, or -1 when out of memory. */
static int member_add(struct buf *out, const char *name, json_t *v)
{
	char *text = v != NULL ? json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	int rc = v != NULL && text == NULL ? -1 : 0;

	if (text != NULL)
		buf_printf(out, ",\"%s\":%s", name, text);
	free(text);
	json_decref(v);
	return rc;
}

/* Runs the search vq and sends its JSON text as it is written, with the facets and, when it
 * found nothing, the suggestion (suggestion_of, with the API's addresses). */
static int search_api(struct req *r, PGconn *c, const struct vacancy_query *vq,
		      const struct label_list *subjects)
{
	struct buf out = { 0 };
	json_t *facets = NULL;
	char err[256];
	long missing = 0;
	long long total = -1;
	bool ok = true;
	int status;

	if (vacancy_search_facets(c, vq, &facets, err, sizeof err) == 0 &&
	    vacancy_search_json(c, vq, subjects, &missing, &total, &out, err, sizeof err) == 0) {
		if (member_add(&out, "facets", facets) != 0 ||
		    (total == 0 &&
		     member_add(&out, "suggestion", suggestion_of(c, vq, "/api/v1", &ok)) != 0))
			ok = false;
		facets = NULL;
		buf_putc(&out, '}');
		status = !ok || buf_failed(&out)
				 ? http_send_error(r, 500, NULL)
				 : http_send(r, 200, "application/json", out.data, out.len);
	} else if (missing > 0) {
		status = page_missing(r, vq, missing);
	} else {
		log_errorf(__func__, "%s", err);
		status = http_send_error(r, 503, NULL);
	}
	json_decref(facets);
	buf_free(&out);
	return status;
}

/* Runs the search vq and sends its page. The page's model lives in this thread's jansson arena
 * (json_arena.h): made, rendered and released inside the scope; the answer is sent after it. */
static int search_page(struct req *r, PGconn *c, const struct vacancy_query *vq,
		       const struct vacancy_search_refs *refs)
{
	struct buf out = { 0 };
	json_t *result, *facets = NULL, *suggestion;
	char err[256];
	long missing = 0;
	int status, rendered = -1, facets_rc = -1;
	bool ok = true;

	buf_reserve(&out, 96 * 1024);   /* a page of twenty jobs is about 60 KB */
	json_arena_begin();
	result = vacancy_search_run(c, vq, refs->subjects, vacancy_item_html, &missing, err,
				    sizeof err);
	if (result != NULL && json_integer_value(json_object_get(result, "total")) == 0 &&
	    (suggestion = suggestion_of(c, vq, "", &ok)) != NULL)
		put(result, "suggestion", suggestion, &ok);
	if (!ok)
		snprintf(err, sizeof err, "search_page: out of memory");
	else if (result != NULL)
		facets_rc = vacancy_search_facets(c, vq, &facets, err, sizeof err);
	if (facets_rc == 0 && search_page_model(result, vq, refs, facets) == 0)
		rendered = view_render_buf(r, "vacancies/index", result, &out);
	json_decref(facets);
	json_decref(result);
	json_arena_end();
	if (rendered == 0) {
		status = http_send(r, 200, "text/html; charset=utf-8", out.data, out.len);
	} else if (result == NULL && missing > 0) {
		status = page_missing(r, vq, missing);
	} else if (result == NULL || facets_rc != 0) {
		log_errorf(__func__, "%s", err);
		status = http_send_error(r, 503, NULL);
	} else {
		status = http_send_error(r, 500, NULL);
	}
	buf_free(&out);
	return status;
}

/* Parses and runs the search of the request, then answers with the page or the JSON. */
static int search_answer(struct req *r, bool api)
{
	struct vacancy_search_refs refs = { 0 };
	struct vacancy_query vq;
	char problem[512];
	PGconn *c;
	int status;

	c = req_db(r);
	if (c == NULL || vacancy_search_refs_get(r, c, &refs) != 0)
		status = http_send_error(r, 503, NULL);
	else if (vacancy_search_parse(&r->query, refs.subjects, refs.schools, &vq, problem,
				      sizeof problem) != 0)
		status = http_send_error_link(r, 400, problem, "/vacancies", "Search all jobs");
	else if (api)
		status = search_api(r, c, &vq, refs.subjects);
	else
		status = search_page(r, c, &vq, &refs);
	vacancy_search_refs_put(&refs);
	return status;
}

int vacancies_index(struct req *r)
{
	return search_answer(r, false);
}

int api_vacancies_index(struct req *r)
{
	return search_answer(r, true);
}
