/* vacancy_view.c - the read model of a vacancy and of a list item; see vacancy_view.h. */
#include "vacancy_view.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "http.h"
#include "markdown.h"
#include "schools_data.h"

/* Timestamps as SQL: ISO 8601 in UTC for machines; Europe/London for people, with the time
 * ("24 November 2026, 9:00am") or the day alone ("24 November 2026"). */
#define SQL_ISO(x) "to_char((" x ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define SQL_WHEN(x) "to_char((" x ") AT TIME ZONE 'Europe/London', 'FMDD FMMonth YYYY, FMHH12:MIam')"
#define SQL_DAY(x) "to_char((" x ") AT TIME ZONE 'Europe/London', 'FMDD FMMonth YYYY')"

/* The item's columns; the ITEM_* numbers below are their positions. */
#define ITEM_COLUMNS                                                                           \
	"v.id, v.title, v.status, v.job_roles, v.phases, v.subjects, v.contract_type,"        \
	" v.working_patterns, v.pay_scale, v.pay_text, v.salary_min, v.salary_max,"           \
	" v.ect_suitable, v.key_worker_eligible, " SQL_ISO("v.published_at") ", "             \
	SQL_DAY("v.published_at") ", " SQL_ISO("v.closes_at") ", " SQL_WHEN("v.closes_at")    \
	", " SQL_DAY("v.closes_at") ", " SQL_ISO("v.updated_at") ", s.urn, s.name, s.town,"   \
	" (SELECT count(*) FROM vacancy_schools vs WHERE vs.vacancy_id = v.id"                \
	" AND vs.school_urn <> v.school_urn)"

const char vacancy_item_columns[] = ITEM_COLUMNS;

enum {
	ITEM_ID, ITEM_TITLE, ITEM_STATUS, ITEM_ROLES, ITEM_PHASES, ITEM_SUBJECTS, ITEM_CONTRACT,
	ITEM_PATTERNS, ITEM_PAY_SCALE, ITEM_PAY_TEXT, ITEM_SALARY_MIN, ITEM_SALARY_MAX, ITEM_ECT,
	ITEM_KEY_WORKER, ITEM_PUBLISHED_AT, ITEM_PUBLISHED_DAY, ITEM_CLOSES_AT, ITEM_CLOSES_WHEN,
	ITEM_CLOSES_DAY, ITEM_UPDATED_AT, ITEM_SCHOOL_URN, ITEM_SCHOOL_NAME, ITEM_SCHOOL_TOWN,
	ITEM_OTHER_SCHOOLS, ITEM_NCOLS
};

/* The rest of the full model, after the item's columns; MODEL_* are their positions from the
 * first of them. */
#define MODEL_COLUMNS                                                                          \
	"v.key_stages, v.fixed_term_length, v.hours_per_week, v.fte, v.start_type,"           \
	" to_char(v.start_date, 'YYYY-MM-DD'), to_char(v.start_date, 'FMDD FMMonth YYYY'),"   \
	" v.start_term, " SQL_ISO("v.publish_at") ", " SQL_WHEN("v.publish_at") ", "          \
	SQL_WHEN("v.published_at") ", " SQL_ISO("v.closed_at") ", " SQL_WHEN("v.closed_at")   \
	", " SQL_ISO("v.created_at") ", " SQL_WHEN("v.updated_at") ", v.end_reason, v.filled," \
	" v.description, v.about_school, v.school_offers, v.contact_email, v.contact_phone,"   \
	" v.status = 'published' AND v.closes_at > now(),"                                    \
	" (SELECT json_agg(json_build_object('urn', sc.urn, 'name', sc.name, 'town', sc.town," \
	" 'postcode', sc.postcode, 'website', sc.website, 'phase', sc.phase, 'trust', sc.trust)" \
	" ORDER BY sc.urn <> v.school_urn, sc.name, sc.urn) FROM schools sc"                   \
	" WHERE sc.urn = v.school_urn OR sc.urn IN (SELECT vs.school_urn FROM vacancy_schools vs" \
	" WHERE vs.vacancy_id = v.id)),"                                                       \
	" (SELECT json_agg(json_build_object('key', d.key, 'filename', d.filename,"           \
	" 'content_type', d.content_type, 'size', d.size) ORDER BY d.created_at, d.id)"       \
	" FROM vacancy_documents d WHERE d.vacancy_id = v.id)"

enum {
	MODEL_KEY_STAGES, MODEL_FIXED_TERM, MODEL_HOURS, MODEL_FTE, MODEL_START_TYPE,
	MODEL_START_DATE, MODEL_START_DAY, MODEL_START_TERM, MODEL_PUBLISH_AT, MODEL_PUBLISH_WHEN,
	MODEL_PUBLISHED_WHEN, MODEL_CLOSED_AT, MODEL_CLOSED_WHEN, MODEL_CREATED_AT,
	MODEL_UPDATED_WHEN, MODEL_END_REASON, MODEL_FILLED, MODEL_DESCRIPTION, MODEL_ABOUT,
	MODEL_OFFERS, MODEL_EMAIL, MODEL_PHONE, MODEL_IS_LIVE, MODEL_SCHOOLS, MODEL_DOCUMENTS
};

/* Sets o[key] = v, taking v's reference; clears *ok when v is NULL or the set fails. */
static void set(json_t *o, const char *key, json_t *v, bool *ok)
{
	if (v == NULL || json_object_set_new(o, key, v) != 0)
		*ok = false;
}

/* Column col of row as a JSON string, or null for SQL NULL. NULL when out of memory. */
static json_t *col_text(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return json_null();
	return json_stringn(PQgetvalue(res, row, col), (size_t)PQgetlength(res, row, col));
}

/* Column col of row as a JSON integer, or null. */
static json_t *col_int(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return json_null();
	return json_integer(strtoll(PQgetvalue(res, row, col), NULL, 10));
}

/* Column col of row (a boolean) as true/false, or null. */
static json_t *col_bool(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return json_null();
	return json_boolean(PQgetvalue(res, row, col)[0] == 't');
}

/* Column col of row (a numeric) as a JSON real, or null. */
static json_t *col_real(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return json_null();
	return json_real(strtod(PQgetvalue(res, row, col), NULL));
}

/* The value of a string member, or NULL (also for null). */
static const char *str_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The label of value in list, the value itself when the list does not know it, or NULL for a
 * NULL value. */
static const char *label_or_value(const struct label_list *list, const char *value)
{
	const char *label = label_of(list, value);

	return label != NULL ? label : value;
}

/* Appends one element of a PostgreSQL array literal starting at *p (after '{' or ',') to
 * out, and advances *p past it. Handles quoted elements with backslash escapes. */
static void pg_array_element(const char **p, struct buf *out)
{
	const char *s = *p;

	if (*s == '"') {
		for (s++; *s != '\0' && *s != '"'; s++) {
			if (*s == '\\' && s[1] != '\0')
				s++;
			buf_putc(out, *s);
		}
		if (*s == '"')
			s++;
	} else {
		while (*s != '\0' && *s != ',' && *s != '}')
			buf_putc(out, *s++);
	}
	*p = s;
}

/* ---- the list item, written as JSON text ------------------------------------------------
 * The item is written straight from the row as compact JSON: the search API sends this text as
 * it is, with no JSON objects built per request (building and encoding them with jansson cost
 * several times more than everything else the portal does for a search). Pages parse it once
 * (vacancy_item_from_row). Text from PostgreSQL is UTF-8 (the portal only ever stores text it
 * has checked), so escaping is all it needs. */

/* Appends "key": preceded by a comma unless it opens an object. */
static void w_key(struct buf *b, const char *key)
{
	if (b->len > 0 && b->data[b->len - 1] != '{')
		buf_putc(b, ',');
	buf_putc(b, '"');
	buf_puts(b, key);
	buf_puts(b, "\":");
}

/* Appends "key":"s" (escaped), or "key":null for a NULL s. */
static void w_str(struct buf *b, const char *key, const char *s)
{
	w_key(b, key);
	if (s == NULL) {
		buf_puts(b, "null");
		return;
	}
	buf_putc(b, '"');
	buf_json_escape(b, s, strlen(s));
	buf_putc(b, '"');
}

/* The text of column col, or NULL for SQL NULL. */
static const char *col(const PGresult *res, int row, int c)
{
	return PQgetisnull(res, row, c) ? NULL : PQgetvalue(res, row, c);
}

/* Appends "key":<column as it is> (an integer column), or null. */
static void w_number(struct buf *b, const char *key, const PGresult *res, int row, int c)
{
	w_key(b, key);
	buf_puts(b, PQgetisnull(res, row, c) ? "null" : PQgetvalue(res, row, c));
}

/* Appends "key":true|false|null for a boolean column. */
static void w_bool(struct buf *b, const char *key, const PGresult *res, int row, int c)
{
	w_key(b, key);
	buf_puts(b, PQgetisnull(res, row, c) ? "null"
		    : PQgetvalue(res, row, c)[0] == 't' ? "true" : "false");
}

/* Appends "key":[{"value":v,"label":l},...] for the PostgreSQL text[] literal pg ("{a,b}"),
 * labels from list, then "label_key":"l1, l2". */
static void w_labelled(struct buf *b, const char *key, const char *label_key, const char *pg,
		       const struct label_list *list)
{
	struct buf value = { 0 }, labels = { 0 };
	const char *p = pg, *label;

	w_key(b, key);
	buf_putc(b, '[');
	if (*p == '{')
		p++;
	while (*p != '\0' && *p != '}') {
		buf_reset(&value);
		pg_array_element(&p, &value);
		label = label_or_value(list, buf_str(&value));
		buf_puts(b, labels.len > 0 || b->data[b->len - 1] == '}' ? ",{" : "{");
		w_str(b, "value", buf_str(&value));
		w_str(b, "label", label);
		buf_putc(b, '}');
		if (labels.len > 0)
			buf_puts(&labels, ", ");
		buf_puts(&labels, label);
		if (*p == ',')
			p++;
	}
	buf_putc(b, ']');
	if (buf_failed(&value) || buf_failed(&labels))
		b->failed = true;
	w_str(b, label_key, buf_str(&labels));
	buf_free(&value);
	buf_free(&labels);
}

/* Appends "£" and n with thousands separators ("£30,000"). */
static void put_pounds(struct buf *b, long long n)
{
	char digits[24];
	int len, i;

	len = snprintf(digits, sizeof digits, "%lld", n);
	buf_puts(b, "\xc2\xa3");
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_putc(b, ',');
		buf_putc(b, digits[i]);
	}
}

/* Appends "salary_label" and "pay_label" for the salary range, pay scale and pay text (each
 * NULL when unknown). */
static void w_pay_labels(struct buf *b, const char *min, const char *max, const char *scale,
			 const char *text)
{
	struct buf salary = { 0 }, pay = { 0 };

	if (min != NULL && max != NULL) {
		put_pounds(&salary, strtoll(min, NULL, 10));
		buf_puts(&salary, " to ");
		put_pounds(&salary, strtoll(max, NULL, 10));
	} else if (min != NULL) {
		buf_puts(&salary, "From ");
		put_pounds(&salary, strtoll(min, NULL, 10));
	} else if (max != NULL) {
		buf_puts(&salary, "Up to ");
		put_pounds(&salary, strtoll(max, NULL, 10));
	}
	/* "Other" says nothing in a one-line summary: the free text says what it is. */
	if (scale != NULL && strcmp(scale, "other") != 0)
		buf_puts(&pay, label_or_value(&vacancy_pay_scales, scale));
	if (salary.len > 0)
		buf_printf(&pay, "%s%s", pay.len > 0 ? ", " : "", buf_str(&salary));
	if (text != NULL && text[0] != '\0')
		buf_printf(&pay, "%s%s", pay.len > 0 ? ", " : "", text);
	if (buf_failed(&salary) || buf_failed(&pay))
		b->failed = true;
	w_str(b, "salary_label", salary.len > 0 ? buf_str(&salary) : NULL);
	w_str(b, "pay_label", pay.len > 0 ? buf_str(&pay) : NULL);
	buf_free(&salary);
	buf_free(&pay);
}

/* The label of value in list, or NULL for a NULL value. */
static const char *label_or_null(const struct label_list *list, const char *value)
{
	return value != NULL ? label_or_value(list, value) : NULL;
}

void vacancy_item_write(struct buf *b, const PGresult *res, int row, int first,
			const struct label_list *subjects)
{
	const char *status = col(res, row, first + ITEM_STATUS);
	const char *contract = col(res, row, first + ITEM_CONTRACT);
	const char *scale = col(res, row, first + ITEM_PAY_SCALE);
	const char *text = col(res, row, first + ITEM_PAY_TEXT);

	buf_putc(b, '{');
	w_number(b, "id", res, row, first + ITEM_ID);
	w_key(b, "url");
	buf_printf(b, "\"/vacancies/%s\"", PQgetvalue(res, row, first + ITEM_ID));
	w_str(b, "title", col(res, row, first + ITEM_TITLE));
	w_str(b, "status", status);
	w_str(b, "status_label", label_or_null(&vacancy_statuses, status));
	w_labelled(b, "job_roles", "roles_label", PQgetvalue(res, row, first + ITEM_ROLES),
		   &vacancy_roles);
	w_labelled(b, "phases", "phases_label", PQgetvalue(res, row, first + ITEM_PHASES),
		   &vacancy_phases);
	w_labelled(b, "subjects", "subjects_label", PQgetvalue(res, row, first + ITEM_SUBJECTS),
		   subjects);
	w_str(b, "contract_type", contract);
	w_str(b, "contract_label", label_or_null(&vacancy_contracts, contract));
	w_labelled(b, "working_patterns", "working_patterns_label",
		   PQgetvalue(res, row, first + ITEM_PATTERNS), &vacancy_working_patterns);
	w_str(b, "pay_scale", scale);
	w_str(b, "pay_scale_label", label_or_null(&vacancy_pay_scales, scale));
	w_str(b, "pay_text", text);
	w_number(b, "salary_min", res, row, first + ITEM_SALARY_MIN);
	w_number(b, "salary_max", res, row, first + ITEM_SALARY_MAX);
	w_pay_labels(b, col(res, row, first + ITEM_SALARY_MIN),
		     col(res, row, first + ITEM_SALARY_MAX), scale, text);
	w_bool(b, "ect_suitable", res, row, first + ITEM_ECT);
	w_bool(b, "key_worker_eligible", res, row, first + ITEM_KEY_WORKER);
	w_str(b, "published_at", col(res, row, first + ITEM_PUBLISHED_AT));
	w_str(b, "published_date_label", col(res, row, first + ITEM_PUBLISHED_DAY));
	w_str(b, "closes_at", col(res, row, first + ITEM_CLOSES_AT));
	w_str(b, "closes_at_label", col(res, row, first + ITEM_CLOSES_WHEN));
	w_str(b, "closes_date_label", col(res, row, first + ITEM_CLOSES_DAY));
	w_str(b, "updated_at", col(res, row, first + ITEM_UPDATED_AT));
	w_key(b, "school");
	buf_putc(b, '{');
	w_number(b, "urn", res, row, first + ITEM_SCHOOL_URN);
	w_str(b, "name", col(res, row, first + ITEM_SCHOOL_NAME));
	w_str(b, "town", col(res, row, first + ITEM_SCHOOL_TOWN));
	w_key(b, "url");
	buf_printf(b, "\"/schools/%s\"}", PQgetvalue(res, row, first + ITEM_SCHOOL_URN));
	w_number(b, "other_schools", res, row, first + ITEM_OTHER_SCHOOLS);
	buf_putc(b, '}');
}

json_t *vacancy_item_from_row(const PGresult *res, int row, int first,
			      const struct label_list *subjects)
{
	struct buf text = { 0 };
	json_t *item = NULL;

	vacancy_item_write(&text, res, row, first, subjects);
	if (!buf_failed(&text))
		item = json_loadb(text.data, text.len, 0, NULL);
	buf_free(&text);
	return item;
}

/* Sets o[key] to the label of value in list, or null when value is NULL. */
static void set_label(json_t *o, const char *key, const struct label_list *list,
		      const char *value, bool *ok)
{
	set(o, key, value != NULL ? json_string(label_or_value(list, value)) : json_null(), ok);
}

/* Sets o[key] to the labelled array of column c and o[label_key] to its joined labels. */
static void set_labelled(json_t *o, const char *key, const char *label_key, const PGresult *res,
			 int row, int c, const struct label_list *list, bool *ok)
{
	struct buf text = { 0 };
	json_t *parsed = NULL;

	buf_putc(&text, '{');
	w_labelled(&text, key, label_key, PQgetvalue(res, row, c), list);
	buf_putc(&text, '}');
	if (!buf_failed(&text))
		parsed = json_loadb(text.data, text.len, 0, NULL);
	if (parsed == NULL || json_object_update(o, parsed) != 0)
		*ok = false;
	json_decref(parsed);
	buf_free(&text);
}

/* A number as people write it: "22.5", "0.6", "37" (no trailing zeros). */
static void put_number(struct buf *b, double v)
{
	char s[32];
	size_t n;

	snprintf(s, sizeof s, "%.3f", v);
	n = strlen(s);
	while (n > 0 && s[n - 1] == '0')
		n--;
	if (n > 0 && s[n - 1] == '.')
		n--;
	buf_append(b, s, n);
}

/* Sets working_hours_label: the working patterns with the hours or FTE, e.g. "Part time, Term
 * time only (22.5 hours a week)"; null when nothing is known. */
static void set_hours_label(json_t *m, bool *ok)
{
	json_t *hours = json_object_get(m, "hours_per_week"), *fte = json_object_get(m, "fte");
	const char *patterns = str_of(m, "working_patterns_label");
	struct buf b = { 0 };

	buf_puts(&b, patterns != NULL ? patterns : "");
	if (json_is_real(hours) || json_is_real(fte)) {
		buf_puts(&b, b.len > 0 ? " (" : "");
		if (json_is_real(hours)) {
			put_number(&b, json_real_value(hours));
			buf_puts(&b, " hours a week");
		}
		if (json_is_real(fte)) {
			buf_puts(&b, json_is_real(hours) ? ", " : "");
			put_number(&b, json_real_value(fte));
			buf_puts(&b, " FTE");
		}
		buf_puts(&b, patterns != NULL && patterns[0] != '\0' ? ")" : "");
	}
	if (buf_failed(&b))
		*ok = false;
	set(m, "working_hours_label", b.len > 0 ? json_string(buf_str(&b)) : json_null(), ok);
	buf_free(&b);
}

/* Sets start_label from start_type and its date or term. */
static void set_start_label(json_t *m, bool *ok)
{
	const char *type = str_of(m, "start_type"), *label = NULL;

	if (type == NULL)
		label = NULL;
	else if (strcmp(type, "date") == 0)
		label = str_of(m, "start_date_label");
	else if (strcmp(type, "term") == 0)
		label = str_of(m, "start_term");
	if (type != NULL && (label == NULL || label[0] == '\0'))
		label = label_or_value(&vacancy_start_types, type);
	set(m, "start_label", label != NULL ? json_string(label) : json_null(), ok);
}

/* Sets m[html_key] to the HTML of the Markdown in m[key]. */
static void set_markdown(json_t *m, const char *key, const char *html_key, bool *ok)
{
	struct buf html = { 0 };

	if (markdown_html(str_of(m, key), &html) != 0)
		*ok = false;
	set(m, html_key, json_string(buf_str(&html)), ok);
	buf_free(&html);
}

/* Completes a school object from the database: phase_label and url. */
static void school_complete(json_t *s, bool *ok)
{
	const char *label = schools_phase_label(str_of(s, "phase"));
	char url[40];

	snprintf(url, sizeof url, "/schools/%lld",
		 (long long)json_integer_value(json_object_get(s, "urn")));
	set(s, "phase_label", label != NULL ? json_string(label) : json_null(), ok);
	set(s, "url", json_string(url), ok);
}

/* "1.2 MB", "350 KB", "900 bytes". */
static void put_size(struct buf *b, long long size)
{
	if (size >= 1024 * 1024)
		buf_printf(b, "%.1f MB", (double)size / (1024.0 * 1024.0));
	else if (size >= 1024)
		buf_printf(b, "%lld KB", (size + 512) / 1024);
	else
		buf_printf(b, "%lld bytes", size);
}

/* Completes a document object: type_label, size_label and url. */
static void document_complete(json_t *d, long long vacancy_id, bool *ok)
{
	const char *type = str_of(d, "content_type"), *key = str_of(d, "key");
	struct buf size = { 0 }, url = { 0 };

	put_size(&size, (long long)json_integer_value(json_object_get(d, "size")));
	buf_printf(&url, "/vacancies/%lld/documents/", vacancy_id);
	url_encode(&url, key != NULL ? key : "");
	if (buf_failed(&size) || buf_failed(&url))
		*ok = false;
	set(d, "type_label",
	    json_string(type != NULL && strcmp(type, "application/pdf") == 0 ? "PDF"
									      : "Word document"),
	    ok);
	set(d, "size_label", json_string(buf_str(&size)), ok);
	set(d, "url", json_string(buf_str(&url)), ok);
	buf_free(&size);
	buf_free(&url);
}

/* Sets m[key] to the JSON array in column col (json_agg; SQL NULL is an empty array), each
 * element completed by school_complete (schools) or document_complete (documents). */
static void set_json_list(json_t *m, const char *key, const PGresult *res, int col,
			  long long vacancy_id, bool *ok)
{
	json_t *a, *e;
	size_t i;

	a = PQgetisnull(res, 0, col) ? json_array()
				     : json_loads(PQgetvalue(res, 0, col), JSON_REJECT_DUPLICATES,
						  NULL);
	if (!json_is_array(a)) {
		json_decref(a);
		*ok = false;
		return;
	}
	json_array_foreach(a, i, e) {
		if (strcmp(key, "schools") == 0)
			school_complete(e, ok);
		else
			document_complete(e, vacancy_id, ok);
	}
	set(m, key, a, ok);
}

/* Sets the members of the full model that come after the item's columns (first = the column
 * of the first of them). */
static void model_rest(json_t *m, const PGresult *res, int first, bool *ok)
{
	const char *status = str_of(m, "status");
	long long id = (long long)json_integer_value(json_object_get(m, "id"));
	bool closed = status != NULL && strcmp(status, "closed") == 0;
	bool published = status != NULL && strcmp(status, "published") == 0;
	bool live = PQgetvalue(res, 0, first + MODEL_IS_LIVE)[0] == 't';
	json_t *schools;
	char apply[48];

	set(m, "school_urn", json_integer(json_integer_value(
				     json_object_get(json_object_get(m, "school"), "urn"))),
	    ok);
	set(m, "is_draft", json_boolean(status != NULL && strcmp(status, "draft") == 0), ok);
	set(m, "is_scheduled", json_boolean(status != NULL && strcmp(status, "scheduled") == 0),
	    ok);
	set(m, "is_published", json_boolean(published), ok);
	set(m, "is_closed", json_boolean(closed), ok);
	set(m, "is_live", json_boolean(live), ok);
	set(m, "is_expired", json_boolean(closed || (published && !live)), ok);
	set_labelled(m, "key_stages", "key_stages_label", res, 0, first + MODEL_KEY_STAGES,
		     &vacancy_key_stages, ok);
	set(m, "fixed_term_length", col_text(res, 0, first + MODEL_FIXED_TERM), ok);
	set(m, "hours_per_week", col_real(res, 0, first + MODEL_HOURS), ok);
	set(m, "fte", col_real(res, 0, first + MODEL_FTE), ok);
	if (*ok)
		set_hours_label(m, ok);
	set(m, "start_type", col_text(res, 0, first + MODEL_START_TYPE), ok);
	set_label(m, "start_type_label", &vacancy_start_types, str_of(m, "start_type"), ok);
	set(m, "start_date", col_text(res, 0, first + MODEL_START_DATE), ok);
	set(m, "start_date_label", col_text(res, 0, first + MODEL_START_DAY), ok);
	set(m, "start_term", col_text(res, 0, first + MODEL_START_TERM), ok);
	if (*ok)
		set_start_label(m, ok);
	set(m, "publish_at", col_text(res, 0, first + MODEL_PUBLISH_AT), ok);
	set(m, "publish_at_label", col_text(res, 0, first + MODEL_PUBLISH_WHEN), ok);
	set(m, "published_at_label", col_text(res, 0, first + MODEL_PUBLISHED_WHEN), ok);
	set(m, "closed_at", col_text(res, 0, first + MODEL_CLOSED_AT), ok);
	set(m, "closed_at_label", col_text(res, 0, first + MODEL_CLOSED_WHEN), ok);
	set(m, "created_at", col_text(res, 0, first + MODEL_CREATED_AT), ok);
	set(m, "updated_at_label", col_text(res, 0, first + MODEL_UPDATED_WHEN), ok);
	set(m, "end_reason", col_text(res, 0, first + MODEL_END_REASON), ok);
	set(m, "filled", col_bool(res, 0, first + MODEL_FILLED), ok);
	set(m, "description", col_text(res, 0, first + MODEL_DESCRIPTION), ok);
	set(m, "about_school", col_text(res, 0, first + MODEL_ABOUT), ok);
	set(m, "school_offers", col_text(res, 0, first + MODEL_OFFERS), ok);
	if (*ok) {
		set_markdown(m, "description", "description_html", ok);
		set_markdown(m, "about_school", "about_school_html", ok);
		set_markdown(m, "school_offers", "school_offers_html", ok);
	}
	set(m, "contact_email", col_text(res, 0, first + MODEL_EMAIL), ok);
	set(m, "contact_phone", col_text(res, 0, first + MODEL_PHONE), ok);
	set_json_list(m, "schools", res, first + MODEL_SCHOOLS, id, ok);
	set_json_list(m, "documents", res, first + MODEL_DOCUMENTS, id, ok);
	schools = json_object_get(m, "schools");
	if (*ok && json_array_size(schools) > 0)
		set(m, "school", json_incref(json_array_get(schools, 0)), ok);
	set(m, "multiple_schools", json_boolean(json_array_size(schools) > 1), ok);
	set(m, "has_documents",
	    json_boolean(json_array_size(json_object_get(m, "documents")) > 0), ok);
	snprintf(apply, sizeof apply, "/vacancies/%lld/apply", id);
	set(m, "apply_url", json_string(apply), ok);
}

json_t *vacancy_model_load(PGconn *c, long long id, int *found, char *err, size_t errlen)
{
	const struct label_list *subjects;
	const char *params[1];
	char id_text[24];
	PGresult *res = NULL;
	json_t *m = NULL;
	bool ok = true;

	*found = 0;
	if (errlen > 0)
		err[0] = '\0';
	if (id <= 0)
		return NULL;
	subjects = vacancy_subjects_list(c, err, errlen);
	if (subjects == NULL)
		return NULL;
	snprintf(id_text, sizeof id_text, "%lld", id);
	params[0] = id_text;
	res = PQexecParams(c,
			   "SELECT " ITEM_COLUMNS ", " MODEL_COLUMNS
			   " FROM vacancies v JOIN schools s ON s.urn = v.school_urn"
			   " WHERE v.id = $1::bigint",
			   1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_error(err, errlen, "vacancy_model_load", c, res);
		goto out;
	}
	if (PQntuples(res) == 0)
		goto out;
	m = vacancy_item_from_row(res, 0, 0, subjects);
	if (m != NULL)
		model_rest(m, res, ITEM_NCOLS, &ok);
	if (m == NULL || !ok) {
		snprintf(err, errlen, "vacancy_model_load: out of memory");
		json_decref(m);
		m = NULL;
		goto out;
	}
	*found = 1;
out:
	PQclear(res);
	return m;
}

long long vacancy_id_parse(const char *s)
{
	long long v = 0;
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) > 18)
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The subject list once loaded: value and label strings live as long as the process. */
static struct label_list subjects_cache;
static pthread_mutex_t subjects_lock = PTHREAD_MUTEX_INITIALIZER;

/* Loads the subjects into subjects_cache. Returns 0, or -1 with err set. Called with
 * subjects_lock held. */
static int subjects_load(PGconn *c, char *err, size_t errlen)
{
	PGresult *res;
	struct label *items = NULL;
	int i, n, rc = -1;

	res = PQexecParams(c, "SELECT value, label FROM vacancy_subjects ORDER BY position, value",
			   0, NULL, NULL, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_error(err, errlen, "vacancy_subjects_list", c, res);
		goto out;
	}
	n = PQntuples(res);
	items = calloc((size_t)n + 1, sizeof *items);
	if (items == NULL)
		goto oom;
	for (i = 0; i < n; i++) {
		items[i].value = strdup(PQgetvalue(res, i, 0));
		items[i].label = strdup(PQgetvalue(res, i, 1));
		if (items[i].value == NULL || items[i].label == NULL)
			goto oom;
	}
	subjects_cache.name = "subject";
	subjects_cache.items = items;
	subjects_cache.len = (size_t)n;
	items = NULL;
	rc = 0;
	goto out;
oom:
	snprintf(err, errlen, "vacancy_subjects_list: out of memory");
	for (i = 0; items != NULL && i < n; i++) {
		free((char *)items[i].value);
		free((char *)items[i].label);
	}
out:
	free(items);
	PQclear(res);
	return rc;
}

const struct label_list *vacancy_subjects_list(PGconn *c, char *err, size_t errlen)
{
	const struct label_list *list = NULL;

	pthread_mutex_lock(&subjects_lock);
	if (subjects_cache.items != NULL || subjects_load(c, err, errlen) == 0)
		list = &subjects_cache;
	pthread_mutex_unlock(&subjects_lock);
	return list;
}
