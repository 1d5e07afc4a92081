/* application_sections_check.c - reading and checking the answers of a section (one reader
 * for the form, section_check and the display), employment gaps; see
 * application_sections_fields.h and application_sections.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "application_sections.h"
#include "application_sections_fields.h"
#include "fields.h"
#include "mail.h"
#include "utf8.h"
#include "vacancy_form.h"

static const char *const month_names[12] = {
	"January", "February", "March",	    "April",   "May",	   "June",
	"July",	   "August",   "September", "October", "November", "December",
};

/* ---- small helpers ---------------------------------------------------------------------- */

const char *field_text(const json_t *obj, const char *name)
{
	const json_t *v = json_object_get(obj, name);

	if (json_is_boolean(v))
		return json_is_true(v) ? "yes" : "";
	return json_is_string(v) ? json_string_value(v) : "";
}

bool field_applies(const struct field_def *f, const json_t *obj)
{
	return f->when == NULL || strcmp(field_text(obj, f->when), f->when_value) == 0;
}

void field_error_id(const struct field_def *f, char *out, size_t outlen)
{
	snprintf(out, outlen, f->kind == FIELD_MONTH ? "%s-month" : "%s", f->name);
}

void number_label(size_t n, char *out, size_t outlen)
{
	if (n >= 1000)
		snprintf(out, outlen, "%zu,%03zu", n / 1000, n % 1000);
	else
		snprintf(out, outlen, "%zu", n);
}

int month_index(const char *s)
{
	int y, m;

	if (s == NULL || strlen(s) != 7 || s[4] != '-' || strspn(s, "0123456789") != 4 ||
	    !isdigit((unsigned char)s[5]) || !isdigit((unsigned char)s[6]))
		return -1;
	y = atoi(s);
	m = atoi(s + 5);
	if (y < 1 || m < 1 || m > 12)
		return -1;
	return y * 12 + m - 1;
}

int month_now(void)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 12 + tm.tm_mon;
}

void month_label(int m, char *out, size_t outlen)
{
	unsigned u = m > 0 ? (unsigned)m : 0;

	snprintf(out, outlen, "%s %u", month_names[u % 12], u / 12);
}

void month_iso(int m, char *out, size_t outlen)
{
	unsigned u = m > 0 ? (unsigned)m : 0;

	snprintf(out, outlen, "%04u-%02u", u / 12 % 10000, u % 12 + 1);
}

/* Number of characters of s (valid UTF-8: the form parser and jansson check it). */
static size_t chars_of(const char *s)
{
	size_t n = 0;

	if (utf8_count((const unsigned char *)s, strlen(s), &n) != 0)
		return strlen(s);
	return n;
}

/* Number of words of s: runs of characters other than white space. */
static size_t words_of(const char *s)
{
	size_t n = 0;
	bool in = false;

	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s))
			in = false;
		else if (!in) {
			in = true;
			n++;
		}
	}
	return n;
}

/* True when s holds a control character; line breaks and tabs are allowed when multiline. */
static bool has_control(const char *s, bool multiline)
{
	for (; *s != '\0'; s++)
		if (((unsigned char)*s < 0x20 || *s == 0x7f) &&
		    !(multiline && (*s == '\n' || *s == '\t')))
			return true;
	return false;
}

/* s without its spaces, upper case, into out (outlen bytes). Returns its length, or -1 when
 * it does not fit. */
static int squeeze(const char *s, char *out, size_t outlen)
{
	size_t n = 0;

	for (; *s != '\0'; s++) {
		if (*s == ' ')
			continue;
		if (n + 1 >= outlen)
			return -1;
		out[n++] = (char)toupper((unsigned char)*s);
	}
	out[n] = '\0';
	return (int)n;
}

/* True when s (squeezed) is a UK postcode: an outward code A9, A99, A9A, AA9, AA99 or AA9A
 * and an inward code 9AA. */
static bool postcode_ok(const char *s)
{
	size_t n = strlen(s), outward = n - 3, area;

	if (n < 5 || n > 7 || !isdigit((unsigned char)s[outward]) ||
	    !isalpha((unsigned char)s[outward + 1]) || !isalpha((unsigned char)s[outward + 2]) ||
	    !isalpha((unsigned char)s[0]))
		return false;
	area = isalpha((unsigned char)s[1]) ? 2 : 1;
	if (outward < area + 1 || outward > area + 2 || !isdigit((unsigned char)s[area]))
		return false;
	return outward == area + 1 || isalnum((unsigned char)s[area + 1]);
}

/* True when s is a plausible telephone number: digits, spaces, + ( ) - and 10 to 15
 * digits. */
static bool phone_ok(const char *s)
{
	size_t digits = 0;

	for (; *s != '\0'; s++) {
		if (isdigit((unsigned char)*s))
			digits++;
		else if (strchr(" +()-", *s) == NULL)
			return false;
	}
	return digits >= 10 && digits <= 15;
}

/* The last year a field accepts. */
static int year_max(const struct field_def *f)
{
	return month_now() / 12 + ((f->flags & FIELD_AHEAD) ? FIELD_YEARS_AHEAD : 0);
}

/* ---- reading typed answers -------------------------------------------------------------- */

/* Sets typed[key] to the form field `name` of r, trimmed, CR LF made LF. Returns 0 or -1. */
static int typed_put(const struct req *r, const char *name, json_t *typed)
{
	bool too_long;
	char *s = vacancy_text_read(r, name, (size_t)-1, &too_long);
	int rc;

	if (s == NULL)
		return -1;
	rc = json_object_set_new(typed, name, json_string(s));
	free(s);
	return rc;
}

json_t *fields_typed_from_form(const struct req *r, const struct section_fields *sf)
{
	json_t *typed = json_object();
	const struct field_def *f;
	char name[96];
	size_t i;
	int rc = typed == NULL ? -1 : 0;

	for (i = 0; rc == 0 && i < sf->len; i++) {
		f = &sf->fields[i];
		if (f->kind == FIELD_CHECKBOX) {
			rc = json_object_set_new(typed, f->name,
						 json_string(kv_get(&r->form, f->name) != NULL ? "yes"
											       : ""));
		} else if (f->kind == FIELD_MONTH) {
			snprintf(name, sizeof name, "%s-month", f->name);
			rc = typed_put(r, name, typed);
			snprintf(name, sizeof name, "%s-year", f->name);
			rc = rc != 0 ? rc : typed_put(r, name, typed);
		} else {
			rc = typed_put(r, f->name, typed);
		}
	}
	if (rc != 0) {
		json_decref(typed);
		return NULL;
	}
	return typed;
}

json_t *fields_typed_from_value(const struct section_fields *sf, const json_t *value)
{
	json_t *typed = json_object();
	const struct field_def *f;
	const char *v;
	char name[96], part[16];
	int m, rc = typed == NULL ? -1 : 0;
	size_t i;

	for (i = 0; rc == 0 && i < sf->len; i++) {
		f = &sf->fields[i];
		v = field_text(value, f->name);
		if (f->kind != FIELD_MONTH) {
			rc = json_object_set_new(typed, f->name, json_string(v));
			continue;
		}
		m = month_index(v);
		snprintf(part, sizeof part, "%d", m % 12 + 1);
		snprintf(name, sizeof name, "%s-month", f->name);
		rc = json_object_set_new(typed, name, json_string(m >= 0 ? part : ""));
		snprintf(part, sizeof part, "%d", m / 12);
		snprintf(name, sizeof name, "%s-year", f->name);
		rc = rc != 0 ? rc : json_object_set_new(typed, name, json_string(m >= 0 ? part : v));
	}
	if (rc != 0) {
		json_decref(typed);
		return NULL;
	}
	return typed;
}

/* ---- checking --------------------------------------------------------------------------- */

/* What a message names a field by: its label, or for a label that is a question ("When do
 * you expect to get QTS?") `instead` ("The date"), which reads as a sentence. */
static const char *subject(const struct field_def *f, const char *instead)
{
	size_t n = strlen(f->label);

	return n > 0 && f->label[n - 1] == '?' ? instead : f->label;
}

/* Checks a text answer s of field f and writes what to store into out (outlen bytes; s
 * itself when it needs no normalising, then *keep is set). Returns NULL when it is fine (or
 * blank), else the message, written into msg (msglen bytes) when it needs the label. */
static const char *text_check(const struct field_def *f, const char *s, char *out, size_t outlen,
			      bool *keep, char *msg, size_t msglen)
{
	size_t max = f->max_chars != 0 ? f->max_chars
		     : f->kind == FIELD_TEXTAREA ? FIELD_TEXTAREA_MAX
		     : f->kind == FIELD_EMAIL ? FIELD_EMAIL_MAX
						: FIELD_TEXT_MAX;
	char n[24];
	int len;

	*keep = true;
	if (s[0] == '\0')
		return NULL;
	if (chars_of(s) > max) {
		number_label(max, n, sizeof n);
		snprintf(msg, msglen, "%s must be %s characters or fewer",
			 subject(f, "Your answer"), n);
		return msg;
	}
	if (f->max_words != 0 && words_of(s) > f->max_words) {
		number_label(f->max_words, n, sizeof n);
		snprintf(msg, msglen, "%s must be %s words or fewer",
			 subject(f, "Your answer"), n);
		return msg;
	}
	if (has_control(s, f->kind == FIELD_TEXTAREA)) {
		snprintf(msg, msglen, "%s must not include line breaks, tabs or control characters",
			 subject(f, "Your answer"));
		return msg;
	}
	switch (f->kind) {
	case FIELD_EMAIL:
		return mail_address_ok(s) ? NULL
					  : "Enter an email address in the correct format, like "
					    "name@example.com";
	case FIELD_PHONE:
		return phone_ok(s) ? NULL
				   : "Enter a telephone number, like 01375 652652 or +44 7700 "
				     "900982";
	case FIELD_POSTCODE:
		len = squeeze(s, out, outlen);
		if (len >= 5 && len <= 8 && strncmp(out, "BFPO", 4) == 0 &&
		    strspn(out + 4, "0123456789") == (size_t)len - 4) {
			/* British Forces Post Office: "BFPO 123" */
			memmove(out + 5, out + 4, (size_t)len - 3);
			out[4] = ' ';
			*keep = false;
			return NULL;
		}
		if (len < 0 || !postcode_ok(out))
			return "Enter a real postcode, like RM17 6SL (or BFPO and its number)";
		memmove(out + len - 2, out + len - 3, 4);
		out[len - 3] = ' ';
		*keep = false;
		return NULL;
	case FIELD_NI:
		len = squeeze(s, out, outlen);
		if (len != 9 || !isalpha((unsigned char)out[0]) ||
		    !isalpha((unsigned char)out[1]) || strspn(out + 2, "0123456789") != 6 ||
		    strchr("ABCD", out[8]) == NULL)
			return "Enter a National Insurance number in the correct format, like QQ 12 "
			       "34 56 C";
		*keep = false;
		return NULL;
	case FIELD_TRN:
		len = squeeze(s, out, outlen);
		if (len != 7 || strspn(out, "0123456789") != 7)
			return "Enter a teacher reference number (TRN) of 7 digits, like 1234567";
		*keep = false;
		return NULL;
	case FIELD_YEAR:
		if (strlen(s) != 4 || strspn(s, "0123456789") != 4) {
			snprintf(msg, msglen, "%s must be a year of 4 digits, like 2019",
				 subject(f, "The year"));
			return msg;
		}
		if (atoi(s) < FIELD_YEAR_MIN || atoi(s) > year_max(f)) {
			snprintf(msg, msglen, "%s must be between %d and %d",
				 subject(f, "The year"), FIELD_YEAR_MIN, year_max(f));
			return msg;
		}
		return NULL;
	default:
		return NULL;
	}
}

/* Reads month field f from typed: "" when both parts are blank, else "YYYY-MM" when it is a
 * real month in range, into out (8 bytes). Returns NULL, or the message (written into msg
 * when it needs the label). */
static const char *month_check(const struct field_def *f, const json_t *typed, char out[8],
			       char *msg, size_t msglen)
{
	char name[96];
	const char *mm, *yy;
	int m, y;

	out[0] = '\0';
	snprintf(name, sizeof name, "%s-month", f->name);
	mm = field_text(typed, name);
	snprintf(name, sizeof name, "%s-year", f->name);
	yy = field_text(typed, name);
	if (mm[0] == '\0' && yy[0] == '\0')
		return NULL;
	if (mm[0] == '\0' || yy[0] == '\0') {
		snprintf(msg, msglen, "%s must include a %s", subject(f, "The date"),
			 mm[0] == '\0' ? "month" : "year");
		return msg;
	}
	m = strlen(mm) <= 2 && strspn(mm, "0123456789") == strlen(mm) ? atoi(mm) : 0;
	y = strlen(yy) == 4 && strspn(yy, "0123456789") == 4 ? atoi(yy) : 0;
	if (m < 1 || m > 12 || y == 0) {
		snprintf(msg, msglen, "%s must be a real month and year, like 9 2019",
			 subject(f, "The date"));
		return msg;
	}
	if (y < FIELD_YEAR_MIN || y > year_max(f)) {
		snprintf(msg, msglen, "%s must be between %d and %d", subject(f, "The date"),
			 FIELD_YEAR_MIN, year_max(f));
		return msg;
	}
	if ((f->flags & FIELD_NOT_PAST) && y * 12 + m - 1 < month_now()) {
		snprintf(msg, msglen, "%s must be this month or in the future",
			 subject(f, "The date"));
		return msg;
	}
	if ((f->flags & FIELD_NOT_FUTURE) && y * 12 + m - 1 > month_now()) {
		snprintf(msg, msglen, "%s must be this month or in the past",
			 subject(f, "The date"));
		return msg;
	}
	month_iso(y * 12 + m - 1, out, 8);
	return NULL;
}

/* Reads field f (whose condition holds) from typed into value, adding its message to errs.
 * Returns 0 or -1 when out of memory. */
static int field_parse(const struct field_def *f, const json_t *typed, bool required,
		       json_t *value, json_t *errs)
{
	const char *s = field_text(typed, f->name), *problem = NULL;
	char out[32], msg[256], id[96];
	bool keep = true, on;
	json_t *v;

	field_error_id(f, id, sizeof id);
	switch (f->kind) {
	case FIELD_CHECKBOX:
		on = s[0] != '\0';
		if (required && (f->flags & FIELD_MUST_TICK) && !on)
			problem = f->missing;
		v = json_boolean(on);
		break;
	case FIELD_MONTH:
		problem = month_check(f, typed, out, msg, sizeof msg);
		if (problem == NULL && out[0] == '\0' && required && f->required)
			problem = f->missing;
		v = json_string(out);
		break;
	case FIELD_RADIO:
	case FIELD_SELECT:
		if ((s[0] == '\0' && required && f->required) ||
		    (s[0] != '\0' && label_of(f->options, s) == NULL))
			problem = f->missing;
		v = json_string(problem == NULL ? s : "");
		break;
	default:
		problem = text_check(f, s, out, sizeof out, &keep, msg, sizeof msg);
		if (problem == NULL && s[0] == '\0' && required && f->required)
			problem = f->missing;
		v = json_string(keep ? s : out);
		break;
	}
	if (json_object_set_new(value, f->name, v) != 0)
		return -1;
	return problem != NULL ? form_error(errs, id, problem) : 0;
}

int fields_parse(const struct section_fields *sf, const json_t *typed, bool required,
		 json_t *value, json_t *errs)
{
	const struct field_def *f, *before;
	size_t i, n0 = json_array_size(json_object_get(errs, "errors"));
	char id[96], msg[256];
	int a, b;

	for (i = 0; i < sf->len; i++) {
		f = &sf->fields[i];
		if (!field_applies(f, typed)) {
			if (json_object_set_new(value, f->name,
						f->kind == FIELD_CHECKBOX ? json_false()
									  : json_string("")) != 0)
				return -1;
			continue;
		}
		if (field_parse(f, typed, required, value, errs) != 0)
			return -1;
		before = section_field(sf, f->after);
		if (before == NULL)
			continue;
		a = month_index(field_text(value, before->name));
		b = month_index(field_text(value, f->name));
		field_error_id(f, id, sizeof id);
		snprintf(msg, sizeof msg, "%s must be the same as or after the %c%s", f->label,
			 tolower((unsigned char)before->label[0]), before->label + 1);
		if (a >= 0 && b >= 0 && b < a && form_error(errs, id, msg) != 0)
			return -1;
	}
	return (int)(json_array_size(json_object_get(errs, "errors")) - n0);
}

/* ---- employment gaps -------------------------------------------------------------------- */

/* A job as the gaps see it: the months it covers. */
struct span {
	int start;
	int end;
};

/* Orders spans by start, then end. */
static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

/* Appends the gap of months from..to (to_now: it runs to today) to gaps, with its
 * explanation from data.employment_gaps. Returns 0 or -1. */
static int gap_add(json_t *gaps, const json_t *data, int from, int to, bool to_now)
{
	char key[32], f[8], t[8], fl[32], tl[32], label[80];
	const char *explanation;

	month_iso(from, f, sizeof f);
	month_iso(to, t, sizeof t);
	month_label(from, fl, sizeof fl);
	month_label(to, tl, sizeof tl);
	snprintf(key, sizeof key, "%s_%s", f, to_now ? "now" : t);
	snprintf(label, sizeof label, "%s to %s", fl, to_now ? "now" : tl);
	explanation = field_text(json_object_get(data, "employment_gaps"), key);
	return json_array_append_new(gaps, json_pack("{s:s, s:s, s:s, s:s, s:i, s:s}", "key", key,
						     "from", f, "to", t, "label", label, "months",
						     to - from + 1, "explanation", explanation));
}

json_t *employment_gaps_at(const json_t *data, int now)
{
	const json_t *jobs = json_object_get(data, "employment"), *item;
	json_t *gaps = json_array();
	struct span *spans = NULL;
	size_t i, n = 0;
	int latest = -1, cursor, y, rc = -1;
	bool current = false;
	const char *year;

	if (gaps == NULL)
		return NULL;
	spans = calloc(json_array_size(jobs) + 1, sizeof *spans);
	if (spans == NULL)
		goto out;
	json_array_foreach(jobs, i, item) {
		spans[n].start = month_index(field_text(item, "start"));
		if (spans[n].start < 0)
			continue;
		if (json_is_true(json_object_get(item, "current"))) {
			current = true;
			spans[n].end = now;
		} else {
			spans[n].end = month_index(field_text(item, "end"));
		}
		if (spans[n].end < spans[n].start)
			spans[n].end = spans[n].start;
		n++;
	}
	rc = 0;
	if (n == 0)
		goto out;
	qsort(spans, n, sizeof *spans, span_cmp);
	json_array_foreach(json_object_get(data, "qualifications"), i, item) {
		year = field_text(item, "year");
		y = strlen(year) == 4 && strspn(year, "0123456789") == 4 ? atoi(year) : -1;
		if (y > 0 && y * 12 + 7 > latest)
			latest = y * 12 + 7;
	}
	cursor = latest >= 0 && latest < spans[0].start - 1 ? latest : spans[0].start - 1;
	for (i = 0; rc == 0 && i < n; i++) {
		if (spans[i].start - cursor - 1 > GAP_MONTHS)
			rc = gap_add(gaps, data, cursor + 1, spans[i].start - 1, false);
		if (spans[i].end > cursor)
			cursor = spans[i].end;
	}
	if (rc == 0 && !current && now - cursor > GAP_MONTHS)
		rc = gap_add(gaps, data, cursor + 1, now, true);
out:
	free(spans);
	if (rc != 0) {
		json_decref(gaps);
		return NULL;
	}
	return gaps;
}

json_t *employment_gaps(const json_t *data)
{
	return employment_gaps_at(data, month_now());
}

/* ---- checking a whole section ----------------------------------------------------------- */

/* Checks the items of list section sf in list (each complete, at least min_items, at most
 * SECTION_MAX_ITEMS, and for referees one from the current employer), adding messages to
 * errs: an incomplete item's link to its summary card (item-N), "add at least" to the first
 * input of the item form. Returns 0 or -1. */
static int check_items(const struct section_fields *sf, const json_t *list, json_t *errs)
{
	json_t *typed, *value, *tmp, *item;
	char id[32], msg[512];
	bool referee_current = false;
	size_t i;
	int rc = 0;

	json_array_foreach(list, i, item) {
		typed = fields_typed_from_value(sf, item);
		value = json_object();
		tmp = json_object();
		if (typed == NULL || value == NULL || tmp == NULL ||
		    fields_parse(sf, typed, true, value, tmp) < 0) {
			rc = -1;
		} else if (form_has_errors(tmp)) {
			snprintf(id, sizeof id, "item-%zu", i + 1);
			snprintf(msg, sizeof msg, "%s %zu: %s", sf->noun, i + 1,
				 json_string_value(json_object_get(
					 json_array_get(json_object_get(tmp, "errors"), 0),
					 "message")));
			rc = form_error(errs, id, msg);
		}
		referee_current |= strcmp(field_text(item, "current_employer"), "yes") == 0;
		json_decref(typed);
		json_decref(value);
		json_decref(tmp);
		if (rc != 0)
			return -1;
	}
	if (json_array_size(list) < sf->min_items)
		return form_error(errs, sf->fields[0].name, sf->min_message);
	if (json_array_size(list) > SECTION_MAX_ITEMS) {
		snprintf(msg, sizeof msg, "You can add up to %d %s", SECTION_MAX_ITEMS, sf->plural);
		return form_error(errs, "item-1", msg);
	}
	if (strcmp(sf->section, "referees") == 0 && !referee_current)
		return form_error(errs, "item-1",
				  "One of your referees must be from your current or most recent "
				  "employer");
	return 0;
}

/* Checks that every employment gap of data is explained (and not too long), adding
 * messages linking to the gap_<key> textareas to errs. Returns 0 or -1. */
static int check_gaps(const json_t *data, json_t *errs)
{
	json_t *gaps = employment_gaps(data), *g;
	const char *explanation;
	char id[48], msg[256], n[24];
	size_t i;
	int rc = gaps == NULL ? -1 : 0;

	json_array_foreach(gaps, i, g) {
		snprintf(id, sizeof id, "gap_%s", json_string_value(json_object_get(g, "key")));
		explanation = json_string_value(json_object_get(g, "explanation"));
		msg[0] = '\0';
		if (explanation == NULL || explanation[0] == '\0') {
			snprintf(msg, sizeof msg, "Explain the gap in your employment from %s",
				 json_string_value(json_object_get(g, "label")));
		} else if (chars_of(explanation) > FIELD_TEXTAREA_MAX) {
			number_label(FIELD_TEXTAREA_MAX, n, sizeof n);
			snprintf(msg, sizeof msg, "The explanation of the gap from %s must be %s "
				 "characters or fewer", json_string_value(json_object_get(g, "label")),
				 n);
		}
		if (msg[0] != '\0' && form_error(errs, id, msg) != 0)
			rc = -1;
	}
	json_decref(gaps);
	return rc;
}

bool section_check(const struct section_def *s, const json_t *data, json_t *model)
{
	const struct section_fields *sf = section_fields_find(s->name);
	json_t *errs = json_object(), *typed = NULL, *value = json_object(), *e;
	const json_t *v = json_object_get(data, s->name);
	bool ok = false;
	size_t i;
	int rc = -1;

	if (sf == NULL || errs == NULL || value == NULL)
		goto out;
	if (s->kind == SECTION_LIST) {
		rc = check_items(sf, json_is_array(v) ? v : NULL, errs);
		if (rc == 0 && strcmp(s->name, "employment") == 0)
			rc = check_gaps(data, errs);
	} else {
		typed = fields_typed_from_value(sf, json_is_object(v) ? v : NULL);
		rc = typed == NULL || fields_parse(sf, typed, true, value, errs) < 0 ? -1 : 0;
	}
	ok = rc == 0 && !form_has_errors(errs);
	json_array_foreach(json_object_get(errs, "errors"), i, e)
		if (model != NULL)
			form_error(model, json_string_value(json_object_get(e, "field")),
				   json_string_value(json_object_get(e, "message")));
out:
	json_decref(errs);
	json_decref(typed);
	json_decref(value);
	return ok;
}

/* ---- display ---------------------------------------------------------------------------- */

const char *field_display(const struct field_def *f, const json_t *value, char *buf,
			  size_t buflen)
{
	const char *s = field_text(value, f->name), *label;
	int m;

	switch (f->kind) {
	case FIELD_CHECKBOX:
		return s[0] != '\0' ? "Yes" : "No";
	case FIELD_RADIO:
	case FIELD_SELECT:
		label = label_of(f->options, s);
		return label != NULL ? label : s[0] != '\0' ? s : "Not given";
	case FIELD_MONTH:
		m = month_index(s);
		if (m < 0)
			return s[0] != '\0' ? s : "Not given";
		month_label(m, buf, buflen);
		return buf;
	case FIELD_NI:
		if (strlen(s) != 9)
			return s[0] != '\0' ? s : "Not given";
		snprintf(buf, buflen, "%.2s %.2s %.2s %.2s %c", s, s + 2, s + 4, s + 6, s[8]);
		return buf;
	default:
		return s[0] != '\0' ? s : "Not given";
	}
}
