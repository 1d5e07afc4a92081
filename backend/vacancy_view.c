/* vacancy_view.c - the read model of a vacancy and of a list item; see vacancy_view.h. */
#include "vacancy_view.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "filetype.h"
#include "http.h"
#include "markdown.h"
#include "schools_data.h"

/* The item's columns (VACANCY_ITEM_COLUMNS); the ITEM_* numbers below are their positions. */
const char vacancy_item_columns[] = VACANCY_ITEM_COLUMNS;

enum {
	ITEM_ID, ITEM_TITLE, ITEM_STATUS, ITEM_ROLES, ITEM_PHASES, ITEM_SUBJECTS, ITEM_CONTRACT,
	ITEM_PATTERNS, ITEM_PAY_SCALE, ITEM_PAY_TEXT, ITEM_SALARY_MIN, ITEM_SALARY_MAX,
	ITEM_ACTUAL_SALARY, ITEM_ECT,
	ITEM_KEY_WORKER, ITEM_VISA, ITEM_PUBLISHED_AT, ITEM_PUBLISHED_DAY, ITEM_CLOSES_AT,
	ITEM_CLOSES_WHEN, ITEM_CLOSES_DAY, ITEM_UPDATED_AT, ITEM_SCHOOL_URN, ITEM_SCHOOL_NAME,
	ITEM_SCHOOL_TOWN, ITEM_OTHER_SCHOOLS, ITEM_NCOLS
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
	" v.school_visits,"                                                                    \
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
	MODEL_OFFERS, MODEL_EMAIL, MODEL_PHONE, MODEL_VISITS, MODEL_IS_LIVE, MODEL_SCHOOLS,
	MODEL_DOCUMENTS
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

/* ---- the list item: one description, written as JSON text or built as objects -----------
 * The item is produced by one function (item_emit) through an emitter with two outputs: compact
 * JSON text, which the search API sends as it is (no objects built: building and encoding them,
 * or parsing the text back, cost several times more than everything else the portal does for a
 * search), and jansson objects, which the templates read. Text from PostgreSQL is UTF-8 (the
 * portal only ever stores text it has checked), so the text output only escapes it and the
 * objects take it without checking again. */

#define EMIT_DEPTH 4

struct emit {
	struct buf *text;           /* text output, or NULL to build objects */
	json_t *stack[EMIT_DEPTH];  /* objects: the open containers, stack[0] the root */
	size_t count[EMIT_DEPTH];   /* text: members written so far in each open container */
	int depth;                  /* open containers - 1 */
	bool failed;
};

/* Starts text output into b. */
static void emit_text(struct emit *e, struct buf *b)
{
	memset(e, 0, sizeof *e);
	e->text = b;
	e->depth = -1;
}

/* Starts object output into root (an object the caller owns; members are added to it). */
static void emit_tree(struct emit *e, json_t *root)
{
	memset(e, 0, sizeof *e);
	e->stack[0] = root;
	e->failed = root == NULL;
}

/* Text: writes the separator and "key": for the next member of the open container. */
static void emit_text_key(struct emit *e, const char *key)
{
	if (e->depth >= 0 && e->count[e->depth]++ > 0)
		buf_putc(e->text, ',');
	if (key != NULL) {
		buf_putc(e->text, '"');
		buf_puts(e->text, key);
		buf_puts(e->text, "\":");
	}
}

/* Objects: adds v as member `key` of the open object, or appends it to the open array. */
static void emit_tree_add(struct emit *e, const char *key, json_t *v)
{
	json_t *top = e->stack[e->depth];

	if (v == NULL || (key != NULL ? json_object_set_new_nocheck(top, key, v)
				      : json_array_append_new(top, v)) != 0)
		e->failed = true;
}

/* Member `key` (NULL inside an array): the string s, or null when s is NULL. */
static void emit_str(struct emit *e, const char *key, const char *s)
{
	if (e->text == NULL) {
		emit_tree_add(e, key, s != NULL ? json_string_nocheck(s) : json_null());
		return;
	}
	emit_text_key(e, key);
	if (s == NULL) {
		buf_puts(e->text, "null");
		return;
	}
	buf_putc(e->text, '"');
	buf_json_escape(e->text, s, strlen(s));
	buf_putc(e->text, '"');
}

/* Member `key`: the integer written in digits, or null when digits is NULL. */
static void emit_int(struct emit *e, const char *key, const char *digits)
{
	if (e->text == NULL) {
		emit_tree_add(e, key, digits != NULL ? json_integer(strtoll(digits, NULL, 10))
						     : json_null());
		return;
	}
	emit_text_key(e, key);
	buf_puts(e->text, digits != NULL ? digits : "null");
}

/* Member `key`: a PostgreSQL boolean ("t"/"f") as true/false, or null when NULL. */
static void emit_bool(struct emit *e, const char *key, const char *pg)
{
	if (e->text == NULL) {
		emit_tree_add(e, key, pg != NULL ? json_boolean(pg[0] == 't') : json_null());
		return;
	}
	emit_text_key(e, key);
	buf_puts(e->text, pg == NULL ? "null" : pg[0] == 't' ? "true" : "false");
}

/* Opens an object ('{') or array ('[') as member `key` (NULL: inside an array). */
static void emit_open(struct emit *e, const char *key, char kind)
{
	json_t *v;

	if (e->depth + 1 >= EMIT_DEPTH) {
		e->failed = true;
		return;
	}
	if (e->text != NULL) {
		emit_text_key(e, key);
		buf_putc(e->text, kind);
		e->count[++e->depth] = 0;
		return;
	}
	v = kind == '{' ? json_object() : json_array();
	emit_tree_add(e, key, json_incref(v));
	json_decref(v);
	e->stack[++e->depth] = v;
}

/* Closes the open object or array. */
static void emit_close(struct emit *e, char kind)
{
	if (e->depth < 0)
		return;
	if (e->text != NULL)
		buf_putc(e->text, kind);
	e->depth--;
}

/* The text of column c, or NULL for SQL NULL. */
static const char *col(const PGresult *res, int row, int c)
{
	return PQgetisnull(res, row, c) ? NULL : PQgetvalue(res, row, c);
}

/* Member `key`: [{value, label}, ...] for the PostgreSQL text[] literal pg ("{a,b}"), labels
 * from list; then member label_key: the labels joined with ", ". */
static void emit_labelled(struct emit *e, const char *key, const char *label_key,
			  const char *pg, const struct label_list *list)
{
	struct buf value = { 0 }, labels = { 0 };
	const char *p = pg, *label;

	emit_open(e, key, '[');
	if (*p == '{')
		p++;
	while (*p != '\0' && *p != '}') {
		buf_reset(&value);
		pg_array_element(&p, &value);
		label = label_or_value(list, buf_str(&value));
		emit_open(e, NULL, '{');
		emit_str(e, "value", buf_str(&value));
		emit_str(e, "label", label);
		emit_close(e, '}');
		if (labels.len > 0)
			buf_puts(&labels, ", ");
		buf_puts(&labels, label);
		if (*p == ',')
			p++;
	}
	emit_close(e, ']');
	if (buf_failed(&value) || buf_failed(&labels))
		e->failed = true;
	emit_str(e, label_key, buf_str(&labels));
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

/* Members salary_label and pay_label for the salary range, pay scale and pay text (each NULL
 * when unknown). */
static void emit_pay_labels(struct emit *e, const char *min, const char *max, const char *scale,
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
		e->failed = true;
	emit_str(e, "salary_label", salary.len > 0 ? buf_str(&salary) : NULL);
	emit_str(e, "pay_label", pay.len > 0 ? buf_str(&pay) : NULL);
	buf_free(&salary);
	buf_free(&pay);
}

/* The label of value in list, or NULL for a NULL value. */
static const char *label_or_null(const struct label_list *list, const char *value)
{
	return value != NULL ? label_or_value(list, value) : NULL;
}

/* The members of item `row` of res (columns first..), into the open object of e. */
static void item_emit(struct emit *e, const PGresult *res, int row, int first,
		      const struct label_list *subjects)
{
	const char *status = col(res, row, first + ITEM_STATUS);
	const char *contract = col(res, row, first + ITEM_CONTRACT);
	const char *scale = col(res, row, first + ITEM_PAY_SCALE);
	const char *text = col(res, row, first + ITEM_PAY_TEXT);
	char url[48];

	emit_int(e, "id", col(res, row, first + ITEM_ID));
	snprintf(url, sizeof url, "/vacancies/%s", PQgetvalue(res, row, first + ITEM_ID));
	emit_str(e, "url", url);
	emit_str(e, "title", col(res, row, first + ITEM_TITLE));
	emit_str(e, "status", status);
	emit_str(e, "status_label", label_or_null(&vacancy_statuses, status));
	emit_labelled(e, "job_roles", "roles_label", PQgetvalue(res, row, first + ITEM_ROLES),
		      &vacancy_roles);
	emit_labelled(e, "phases", "phases_label", PQgetvalue(res, row, first + ITEM_PHASES),
		      &vacancy_phases);
	emit_labelled(e, "subjects", "subjects_label", PQgetvalue(res, row, first + ITEM_SUBJECTS),
		      subjects);
	emit_str(e, "contract_type", contract);
	emit_str(e, "contract_label", label_or_null(&vacancy_contracts, contract));
	emit_labelled(e, "working_patterns", "working_patterns_label",
		      PQgetvalue(res, row, first + ITEM_PATTERNS), &vacancy_working_patterns);
	emit_str(e, "pay_scale", scale);
	emit_str(e, "pay_scale_label", label_or_null(&vacancy_pay_scales, scale));
	emit_str(e, "pay_text", text);
	emit_int(e, "salary_min", col(res, row, first + ITEM_SALARY_MIN));
	emit_int(e, "salary_max", col(res, row, first + ITEM_SALARY_MAX));
	emit_pay_labels(e, col(res, row, first + ITEM_SALARY_MIN),
			col(res, row, first + ITEM_SALARY_MAX), scale, text);
	emit_str(e, "actual_salary", col(res, row, first + ITEM_ACTUAL_SALARY));
	emit_bool(e, "ect_suitable", col(res, row, first + ITEM_ECT));
	emit_bool(e, "key_worker_eligible", col(res, row, first + ITEM_KEY_WORKER));
	emit_bool(e, "visa_sponsorship", col(res, row, first + ITEM_VISA));
	emit_str(e, "published_at", col(res, row, first + ITEM_PUBLISHED_AT));
	emit_str(e, "published_date_label", col(res, row, first + ITEM_PUBLISHED_DAY));
	emit_str(e, "closes_at", col(res, row, first + ITEM_CLOSES_AT));
	emit_str(e, "closes_at_label", col(res, row, first + ITEM_CLOSES_WHEN));
	emit_str(e, "closes_date_label", col(res, row, first + ITEM_CLOSES_DAY));
	emit_str(e, "updated_at", col(res, row, first + ITEM_UPDATED_AT));
	emit_open(e, "school", '{');
	emit_int(e, "urn", col(res, row, first + ITEM_SCHOOL_URN));
	emit_str(e, "name", col(res, row, first + ITEM_SCHOOL_NAME));
	emit_str(e, "town", col(res, row, first + ITEM_SCHOOL_TOWN));
	snprintf(url, sizeof url, "/schools/%s", PQgetvalue(res, row, first + ITEM_SCHOOL_URN));
	emit_str(e, "url", url);
	emit_close(e, '}');
	emit_int(e, "other_schools", col(res, row, first + ITEM_OTHER_SCHOOLS));
}

void vacancy_item_write(struct buf *b, const PGresult *res, int row, int first,
			const struct label_list *subjects)
{
	struct emit e;

	emit_text(&e, b);
	emit_open(&e, NULL, '{');
	item_emit(&e, res, row, first, subjects);
	emit_close(&e, '}');
	if (e.failed)
		b->failed = true;
}

json_t *vacancy_item_from_row(const PGresult *res, int row, int first,
			      const struct label_list *subjects)
{
	json_t *item = json_object();
	struct emit e;

	emit_tree(&e, item);
	if (!e.failed)
		item_emit(&e, res, row, first, subjects);
	if (e.failed) {
		json_decref(item);
		return NULL;
	}
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
	struct emit e;

	emit_tree(&e, o);
	emit_labelled(&e, key, label_key, PQgetvalue(res, row, c), list);
	if (e.failed)
		*ok = false;
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

/* Completes a document object: type_label, size_label and url. */
static void document_complete(json_t *d, long long vacancy_id, bool *ok)
{
	const char *type = str_of(d, "content_type"), *key = str_of(d, "key");
	struct buf url = { 0 };
	char size[32];

	filetype_size_label((long long)json_integer_value(json_object_get(d, "size")), size,
			    sizeof size);
	buf_printf(&url, "/vacancies/%lld/documents/", vacancy_id);
	url_encode(&url, key != NULL ? key : "");
	if (buf_failed(&url))
		*ok = false;
	set(d, "type_label",
	    json_string(type != NULL && strcmp(type, "application/pdf") == 0 ? "PDF"
									      : "Word document"),
	    ok);
	set(d, "size_label", json_string(size), ok);
	set(d, "url", json_string(buf_str(&url)), ok);
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
	set(m, "school_visits", col_text(res, 0, first + MODEL_VISITS), ok);
	if (*ok) {
		set_markdown(m, "description", "description_html", ok);
		set_markdown(m, "about_school", "about_school_html", ok);
		set_markdown(m, "school_offers", "school_offers_html", ok);
		set_markdown(m, "school_visits", "school_visits_html", ok);
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
			   "SELECT " VACANCY_ITEM_COLUMNS ", " MODEL_COLUMNS
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
