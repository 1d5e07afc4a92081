/* application_sections_page.c - a section's page, for the profile and an application alike:
 * the form built from the field table, the items of a list section as summary cards, the
 * employment gaps, and what saving, completing and removing do; see application_sections.h.
 * Template: account/section.mustache (fields through the partial account/section_field). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "application_sections.h"
#include "application_sections_fields.h"
#include "fields.h"
#include "log.h"
#include "vacancy_form.h"

/* ---- the form model --------------------------------------------------------------------- */

/* The hint of f as the page shows it: the table's hint and the length limit of a long
 * answer, into out. */
static void hint_text(const struct field_def *f, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s", f->hint != NULL ? f->hint : "");
}

/* For a textarea: its limit (words when it has one, else characters) and the sentence that
 * says it, "You can enter up to 1,500 words", into out; *limit 0 for other fields. */
static void count_of(const struct field_def *f, size_t *limit, bool *words, char *out,
		     size_t outlen)
{
	char n[24];

	*limit = 0;
	*words = false;
	out[0] = '\0';
	if (f->kind != FIELD_TEXTAREA)
		return;
	*words = f->max_words != 0;
	*limit = *words ? f->max_words : f->max_chars != 0 ? f->max_chars : FIELD_TEXTAREA_MAX;
	number_label(*limit, n, sizeof n);
	snprintf(out, outlen, "You can enter up to %s %s", n, *words ? "words" : "characters");
}

/* The message of input id in the error model errs, or "". */
static const char *message_of(const json_t *errs, const char *id)
{
	const char *m = json_string_value(json_object_get(json_object_get(errs, "error"), id));

	return m != NULL ? m : "";
}

static json_t *field_model(const struct section_fields *sf, const struct field_def *f,
			   const json_t *typed, const json_t *errs);

/* The options of radio, select or checkbox field f: [{value, label, id, selected,
 * has_conditional, conditional}], conditional being the fields of sf asked only when this
 * option is chosen (radios). NULL when out of memory. */
static json_t *options_model(const struct section_fields *sf, const struct field_def *f,
			     const json_t *typed, const json_t *errs)
{
	json_t *out = json_array(), *cond;
	const char *chosen = field_text(typed, f->name), *value;
	char id[128];
	size_t i, k;

	for (i = 0; out != NULL && f->options != NULL && i < f->options->len; i++) {
		value = f->options->items[i].value;
		cond = json_array();
		for (k = 0; cond != NULL && f->kind == FIELD_RADIO && k < sf->len; k++) {
			if (sf->fields[k].when == NULL || strcmp(sf->fields[k].when, f->name) != 0 ||
			    strcmp(sf->fields[k].when_value, value) != 0)
				continue;
			if (json_array_append_new(cond, field_model(sf, &sf->fields[k], typed,
								    errs)) != 0) {
				json_decref(cond);
				cond = NULL;
			}
		}
		if (i == 0)
			snprintf(id, sizeof id, "%s", f->name);
		else
			snprintf(id, sizeof id, "%s-%s", f->name, value);
		if (cond == NULL ||
		    json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:b, s:b, s:o}", "value",
							 value, "label", f->options->items[i].label,
							 "id", id, "selected",
							 f->kind == FIELD_CHECKBOX
								 ? chosen[0] != '\0'
								 : strcmp(chosen, value) == 0,
							 "has_conditional",
							 json_array_size(cond) > 0, "conditional",
							 cond)) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

/* The model of field f of sf (sf may be NULL for a field of no table: a gap's textarea) for
 * the partial account/section_field, from the typed answers and the error model errs (may be
 * NULL). Every key the partial reads is set, so that a field inside a radio's conditional
 * never picks up its parent's. NULL when out of memory. */
static json_t *field_model(const struct section_fields *sf, const struct field_def *f,
			   const json_t *typed, const json_t *errs)
{
	char hint[512], id[96], described[256], month_key[96], year_key[96], count[64];
	const char *message, *width = "";
	json_t *m, *options;
	bool codes = false, radio_inline, words;
	size_t len, limit;

	field_error_id(f, id, sizeof id);
	message = message_of(errs, id);
	hint_text(f, hint, sizeof hint);
	count_of(f, &limit, &words, count, sizeof count);
	described[0] = '\0';
	if (limit > 0)
		snprintf(described, sizeof described, "%s-info", f->name);
	len = strlen(described);
	if (hint[0] != '\0')
		snprintf(described + len, sizeof described - len, "%s%s-hint", len > 0 ? " " : "",
			 f->name);
	len = strlen(described);
	if (message[0] != '\0')
		snprintf(described + len, sizeof described - len, "%s%s-error",
			 len > 0 ? " " : "", f->name);
	switch (f->kind) {
	case FIELD_POSTCODE:
	case FIELD_NI:
	case FIELD_TRN:
		width = "govuk-input--width-10";
		codes = true;
		break;
	case FIELD_PHONE:
		width = "govuk-input--width-20";
		codes = true;
		break;
	case FIELD_YEAR:
		width = "govuk-input--width-4";
		break;
	case FIELD_EMAIL:
		codes = true;
		break;
	default:
		break;
	}
	options = options_model(sf, f, typed, errs);
	if (options == NULL)
		return NULL;
	radio_inline = f->kind == FIELD_RADIO && f->options->len == 2 &&
		       !json_is_true(json_object_get(json_array_get(options, 0),
						     "has_conditional")) &&
		       !json_is_true(json_object_get(json_array_get(options, 1), "has_conditional"));
	m = json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:o, s:b}", "name", f->name, "id",
		      f->name, "label", f->label, "optional",
		      !f->required && f->kind != FIELD_CHECKBOX, "hint", hint, "message", message,
		      "describedby", described, "options", options, "inline", radio_inline);
	if (m == NULL)
		return NULL;
	snprintf(month_key, sizeof month_key, "%s-month", f->name);
	snprintf(year_key, sizeof year_key, "%s-year", f->name);
	if (json_object_set_new(m, "value", json_string(field_text(typed, f->name))) ||
	    json_object_set_new(m, "month", json_string(field_text(typed, month_key))) ||
	    json_object_set_new(m, "year", json_string(field_text(typed, year_key))) ||
	    json_object_set_new(m, "input_type",
				json_string(f->kind == FIELD_EMAIL   ? "email"
					    : f->kind == FIELD_PHONE ? "tel"
								     : "text")) ||
	    json_object_set_new(m, "autocomplete",
				json_string(f->autocomplete != NULL ? f->autocomplete : "")) ||
	    json_object_set_new(m, "numeric",
				json_boolean(f->kind == FIELD_YEAR || f->kind == FIELD_TRN)) ||
	    json_object_set_new(m, "width", json_string(width)) ||
	    json_object_set_new(m, "codes", json_boolean(codes)) ||
	    json_object_set_new(m, "rows", json_integer(f->max_words != 0 ? 15 : 5)) ||
	    json_object_set_new(m, "count_limit", json_integer((json_int_t)limit)) ||
	    json_object_set_new(m, "count_words", json_boolean(words)) ||
	    json_object_set_new(m, "count_message", json_string(count)) ||
	    json_object_set_new(m, "is_input",
				json_boolean(f->kind != FIELD_TEXTAREA && f->kind != FIELD_MONTH &&
					     f->kind != FIELD_RADIO && f->kind != FIELD_SELECT &&
					     f->kind != FIELD_CHECKBOX)) ||
	    json_object_set_new(m, "is_textarea", json_boolean(f->kind == FIELD_TEXTAREA)) ||
	    json_object_set_new(m, "is_month", json_boolean(f->kind == FIELD_MONTH)) ||
	    json_object_set_new(m, "is_radio", json_boolean(f->kind == FIELD_RADIO)) ||
	    json_object_set_new(m, "is_select", json_boolean(f->kind == FIELD_SELECT)) ||
	    json_object_set_new(m, "is_checkbox", json_boolean(f->kind == FIELD_CHECKBOX))) {
		json_decref(m);
		return NULL;
	}
	return m;
}

/* True when f is shown inside one of its radio's options rather than on its own. */
static bool field_nested(const struct section_fields *sf, const struct field_def *f)
{
	const struct field_def *parent = section_field(sf, f->when);

	return parent != NULL && parent->kind == FIELD_RADIO;
}

/* The fields of sf for the form, in order, conditional ones inside their radios. NULL when
 * out of memory. */
static json_t *fields_model(const struct section_fields *sf, const json_t *typed,
			    const json_t *errs)
{
	json_t *out = json_array();
	size_t i;

	for (i = 0; out != NULL && i < sf->len; i++) {
		if (field_nested(sf, &sf->fields[i]))
			continue;
		if (json_array_append_new(out, field_model(sf, &sf->fields[i], typed, errs)) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

/* The employment gaps of data as textareas gap_<key> (fields of account/section_field),
 * their text from texts (an object key -> explanation; NULL: data's own). NULL when out of
 * memory. */
static json_t *gaps_model(const json_t *data, const json_t *texts, const json_t *errs)
{
	json_t *gaps = employment_gaps(data), *out = json_array(), *typed = json_object(), *g;
	const char *key, *text;
	char name[64], label[160];
	struct field_def f = { .kind = FIELD_TEXTAREA, .required = true };
	size_t i;

	if (gaps == NULL || out == NULL || typed == NULL)
		goto fail;
	json_array_foreach(gaps, i, g) {
		key = json_string_value(json_object_get(g, "key"));
		text = texts != NULL ? field_text(texts, key)
				     : json_string_value(json_object_get(g, "explanation"));
		snprintf(name, sizeof name, "gap_%s", key);
		snprintf(label, sizeof label, "Explain the gap in your employment from %s (%d months)",
			 json_string_value(json_object_get(g, "label")),
			 (int)json_integer_value(json_object_get(g, "months")));
		f.name = name;
		f.label = label;
		if (json_object_set_new(typed, name, json_string(text)) != 0 ||
		    json_array_append_new(out, field_model(NULL, &f, typed, errs)) != 0)
			goto fail;
	}
	json_decref(gaps);
	json_decref(typed);
	return out;
fail:
	json_decref(gaps);
	json_decref(out);
	json_decref(typed);
	return NULL;
}

/* The items of list section sf as summary cards [{n, id, heading, rows, change_url,
 * remove_url}] from the display of section s. NULL when out of memory. */
static json_t *items_model(const struct section_def *s, const struct section_store *st)
{
	json_t *display = section_display(s, st->data), *items, *it;
	char url[320];
	size_t i;
	int rc = 0;

	items = json_incref(json_object_get(display, "items"));
	json_decref(display);
	json_array_foreach(items, i, it) {
		snprintf(url, sizeof url, "item-%zu", i + 1);
		rc |= json_object_set_new(it, "id", json_string(url));
		snprintf(url, sizeof url, "%s/%s?item=%zu", st->base_url, s->name, i + 1);
		rc |= json_object_set_new(it, "change_url", json_string(url));
		snprintf(url, sizeof url, "%s/%s/remove", st->base_url, s->name);
		rc |= json_object_set_new(it, "remove_url", json_string(url));
	}
	if (rc != 0) {
		json_decref(items);
		return NULL;
	}
	return items;
}

/* The page model of section s of st: the form with typed (and errs, may be NULL), for a list
 * section the items, the form of item `item` (from 1; 0: a new one), the completion form and
 * for employment the gaps with gap_texts (NULL: as stored). NULL when out of memory. */
static json_t *page_model(const struct section_def *s, const struct section_store *st,
			  const json_t *typed, size_t item, const json_t *gap_texts,
			  const json_t *errs)
{
	const struct section_fields *sf = section_fields_find(s->name);
	bool list = s->kind == SECTION_LIST;
	size_t n = json_array_size(json_object_get(st->data, s->name));
	json_t *m;
	char url[320], text[256], noun[48];

	if (sf == NULL)
		return NULL;
	snprintf(url, sizeof url, "%s/%s", st->base_url, s->name);
	m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "name", s->name, "title",
		      s->title, "caption", st->caption, "back_url", st->back_url, "action_url", url,
		      "intro", sf->intro != NULL ? sf->intro : "", "is_list", list, "fields",
		      fields_model(sf, typed, errs));
	if (m == NULL)
		return NULL;
	if (errs != NULL && json_object_update(m, (json_t *)errs) != 0)
		goto fail;
	if (!list)
		return m;
	snprintf(noun, sizeof noun, "%c%s", tolower((unsigned char)sf->noun[0]), sf->noun + 1);
	snprintf(text, sizeof text, "Change %s %zu", noun, item);
	if (json_object_set_new(m, "items", items_model(s, st)) ||
	    json_object_set_new(m, "has_items", json_boolean(n > 0)) ||
	    json_object_set_new(m, "item", json_integer((json_int_t)item)) ||
	    json_object_set_new(m, "form_heading",
				json_string(item > 0 ? text : sf->add_heading)) ||
	    json_object_set_new(m, "noun", json_string(noun)) ||
	    json_object_set_new(m, "plural", json_string(sf->plural)) ||
	    json_object_set_new(m, "show_item_form",
				json_boolean(item > 0 || n < SECTION_MAX_ITEMS)) ||
	    json_object_set_new(m, "max_items", json_integer(SECTION_MAX_ITEMS)) ||
	    json_object_set_new(m, "show_complete", json_boolean(n > 0 || sf->min_items == 0)) ||
	    json_object_set_new(m, "gaps", strcmp(s->name, "employment") == 0
						   ? gaps_model(st->data, gap_texts, errs)
						   : json_array()) ||
	    json_object_set_new(m, "has_gaps",
				json_boolean(json_array_size(json_object_get(m, "gaps")) > 0)))
		goto fail;
	return m;
fail:
	json_decref(m);
	return NULL;
}

/* Renders section s's page (see page_model) with status. Returns the status sent. */
static int page_render(struct req *r, const struct section_def *s,
		       const struct section_store *st, const json_t *typed, size_t item,
		       const json_t *gap_texts, const json_t *errs, int status)
{
	json_t *model = page_model(s, st, typed, item, gap_texts, errs);
	int rc;

	if (model == NULL)
		return http_send_error(r, 500, NULL);
	rc = view_render(r, status, "account/section", model);
	json_decref(model);
	return rc;
}

/* ---- requests --------------------------------------------------------------------------- */

/* True when section s is one of store st's: an application section (religion only for a
 * school with a religious character). */
static bool in_store(const struct section_def *s, const struct section_store *st)
{
	return (s->scope & SECTION_APPLICATION) && (!s->religious_only || st->religious);
}

/* The item number (from 1) in v: 1 to n. 0 when v is not one. */
static size_t item_number(const char *v, size_t n)
{
	size_t len = v != NULL ? strlen(v) : 0;
	long k;

	if (len == 0 || len > 3 || strspn(v, "0123456789") != len)
		return 0;
	k = strtol(v, NULL, 10);
	return k >= 1 && (size_t)k <= n ? (size_t)k : 0;
}

/* Calls the store's save, logging a failure. Returns 0 or -1. */
static int store_save(struct section_store *st, PGconn *c, const char *key, const json_t *value,
		      int complete)
{
	if (st->save(st->ctx, c, key, value, complete) == 0)
		return 0;
	log_errorf(__func__, "saving %s at %s failed", key, st->base_url);
	return -1;
}

/* 303 to section s's page of st. Returns the status sent. */
static int redirect_section(struct req *r, const struct section_def *s,
			    const struct section_store *st)
{
	char url[320];

	snprintf(url, sizeof url, "%s/%s", st->base_url, s->name);
	return http_redirect(r, url);
}

int section_page_get(struct req *r, PGconn *c, const struct section_def *s,
		     struct section_store *st)
{
	const struct section_fields *sf = section_fields_find(s->name);
	const json_t *v = json_object_get(st->data, s->name);
	const char *q = kv_get(&r->query, "item");
	json_t *typed;
	size_t item = 0;
	int rc;

	(void)c;
	if (!in_store(s, st) || sf == NULL)
		return http_send_error(r, 404, NULL);
	if (s->kind == SECTION_LIST && q != NULL) {
		item = item_number(q, json_array_size(v));
		if (item == 0)
			return http_send_error(r, 404, NULL);
	}
	typed = fields_typed_from_value(sf, s->kind == SECTION_LIST
						    ? (item > 0 ? json_array_get(v, item - 1) : NULL)
						    : v);
	if (typed == NULL)
		return http_send_error(r, 500, NULL);
	rc = page_render(r, s, st, typed, item, NULL, NULL, 200);
	json_decref(typed);
	return rc;
}

/* POST of an object section: check, save (marked complete unless later), 303 to back_url;
 * 422 with the form when refused. Returns the status sent. */
static int object_post(struct req *r, PGconn *c, const struct section_def *s,
		       struct section_store *st, bool later)
{
	const struct section_fields *sf = section_fields_find(s->name);
	json_t *typed = fields_typed_from_form(r, sf), *value = json_object(),
	       *errs = json_object();
	int n, rc;

	n = typed != NULL && value != NULL && errs != NULL
		    ? fields_parse(sf, typed, !later, value, errs)
		    : -1;
	if (n < 0)
		rc = http_send_error(r, 500, NULL);
	else if (n > 0)
		rc = page_render(r, s, st, typed, 0, NULL, errs, 422);
	else if (store_save(st, c, s->name, value, later ? 0 : 1) != 0)
		rc = http_send_error(r, 500, NULL);
	else
		rc = http_redirect(r, st->back_url);
	json_decref(typed);
	json_decref(value);
	json_decref(errs);
	return rc;
}

/* Reads the gap explanations of employment (form fields gap_<key>) into a new object key ->
 * text, adding a message to errs for one that is too long. NULL when out of memory. */
static json_t *gaps_read(const struct req *r, const json_t *data, json_t *errs)
{
	json_t *gaps = employment_gaps(data), *out = json_object(), *g;
	char name[64], msg[256], n[24];
	const char *key;
	bool too_long;
	char *text;
	size_t i;

	if (gaps == NULL || out == NULL)
		goto fail;
	json_array_foreach(gaps, i, g) {
		key = json_string_value(json_object_get(g, "key"));
		snprintf(name, sizeof name, "gap_%s", key);
		text = vacancy_text_read(r, name, FIELD_TEXTAREA_MAX, &too_long);
		if (text == NULL || json_object_set_new(out, key, json_string(text)) != 0) {
			free(text);
			goto fail;
		}
		free(text);
		number_label(FIELD_TEXTAREA_MAX, n, sizeof n);
		snprintf(msg, sizeof msg, "The explanation of the gap from %s must be %s characters "
			 "or fewer", json_string_value(json_object_get(g, "label")), n);
		if (too_long && form_error(errs, name, msg) != 0)
			goto fail;
	}
	json_decref(gaps);
	return out;
fail:
	json_decref(gaps);
	json_decref(out);
	return NULL;
}

/* POST complete=yes of a list section: saves the gap explanations (employment) and, unless
 * later, checks the whole list and marks it complete; 303 to back_url, 422 when refused.
 * Returns the status sent. */
static int complete_post(struct req *r, PGconn *c, const struct section_def *s,
			 struct section_store *st, bool later)
{
	bool employment = strcmp(s->name, "employment") == 0;
	json_t *errs = json_object(), *typed = json_object(), *texts = NULL, *data = NULL,
	       *list = json_object_get(st->data, s->name), *empty = json_array();
	int rc;

	data = st->data != NULL ? json_copy(st->data) : json_object();
	if (errs == NULL || typed == NULL || empty == NULL || data == NULL ||
	    (employment && ((texts = gaps_read(r, st->data, errs)) == NULL ||
			    json_object_set(data, "employment_gaps", texts) != 0))) {
		rc = http_send_error(r, 500, NULL);
		goto out;
	}
	if (!form_has_errors(errs) && !later)
		section_check(s, data, errs);
	if (form_has_errors(errs)) {
		rc = page_render(r, s, st, typed, 0, texts, errs, 422);
		goto out;
	}
	if ((employment && store_save(st, c, "employment_gaps", texts, -1) != 0) ||
	    store_save(st, c, s->name, json_is_array(list) ? list : empty, later ? 0 : 1) != 0)
		rc = http_send_error(r, 500, NULL);
	else
		rc = http_redirect(r, st->back_url);
out:
	json_decref(errs);
	json_decref(typed);
	json_decref(texts);
	json_decref(data);
	json_decref(empty);
	return rc;
}

/* POST of one item of a list section (item=N changes item N, none adds one): checks it (the
 * required fields too unless later), saves the list without the complete mark, 303 to the
 * section page (later: to back_url); 422 when refused. Returns the status sent. */
static int item_post(struct req *r, PGconn *c, const struct section_def *s,
		     struct section_store *st, bool later)
{
	const struct section_fields *sf = section_fields_find(s->name);
	const json_t *stored = json_object_get(st->data, s->name);
	const char *given = kv_get(&r->form, "item");
	size_t n = json_array_size(stored), item = 0;
	json_t *typed = NULL, *value = json_object(), *errs = json_object(), *list = NULL;
	char msg[128];
	int k, rc;

	if (given != NULL && given[0] != '\0') {
		item = item_number(given, n);
		if (item == 0) {
			rc = http_send_error(r, 404, NULL);
			goto out;
		}
	}
	typed = fields_typed_from_form(r, sf);
	k = typed != NULL && value != NULL && errs != NULL
		    ? fields_parse(sf, typed, !later, value, errs)
		    : -1;
	if (k >= 0 && item == 0 && n >= SECTION_MAX_ITEMS) {
		snprintf(msg, sizeof msg, "You can add up to %d %s", SECTION_MAX_ITEMS, sf->plural);
		k = form_error(errs, sf->fields[0].name, msg) == 0 ? 1 : -1;
	}
	if (k < 0) {
		rc = http_send_error(r, 500, NULL);
		goto out;
	}
	if (k > 0) {
		rc = page_render(r, s, st, typed, item, NULL, errs, 422);
		goto out;
	}
	list = json_is_array(stored) ? json_copy((json_t *)stored) : json_array();
	if (list == NULL || (item > 0 ? json_array_set(list, item - 1, value)
				      : json_array_append(list, value)) != 0 ||
	    store_save(st, c, s->name, list, 0) != 0)
		rc = http_send_error(r, 500, NULL);
	else
		rc = later ? http_redirect(r, st->back_url) : redirect_section(r, s, st);
out:
	json_decref(typed);
	json_decref(value);
	json_decref(errs);
	json_decref(list);
	return rc;
}

int section_page_post(struct req *r, PGconn *c, const struct section_def *s,
		      struct section_store *st)
{
	const char *action = kv_get(&r->form, "action");
	const char *complete = kv_get(&r->form, "complete");
	bool later = action != NULL && strcmp(action, "later") == 0;

	if (!in_store(s, st) || section_fields_find(s->name) == NULL)
		return http_send_error(r, 404, NULL);
	if (s->kind == SECTION_OBJECT)
		return object_post(r, c, s, st, later);
	if (complete != NULL && strcmp(complete, "yes") == 0)
		return complete_post(r, c, s, st, later);
	return item_post(r, c, s, st, later);
}

int section_page_remove(struct req *r, PGconn *c, const struct section_def *s,
			struct section_store *st)
{
	const json_t *stored = json_object_get(st->data, s->name);
	size_t item;
	json_t *list;
	int rc;

	if (!in_store(s, st) || s->kind != SECTION_LIST || !json_is_array(stored))
		return http_send_error(r, 404, NULL);
	item = item_number(kv_get(&r->form, "item"), json_array_size(stored));
	if (item == 0)
		return http_send_error(r, 404, NULL);
	list = json_copy((json_t *)stored);
	if (list == NULL || json_array_remove(list, item - 1) != 0 ||
	    store_save(st, c, s->name, list, 0) != 0)
		rc = http_send_error(r, 500, NULL);
	else
		rc = redirect_section(r, s, st);
	json_decref(list);
	return rc;
}
