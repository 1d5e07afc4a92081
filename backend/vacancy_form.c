/* vacancy_form.c - reading and checking the school's vacancy form one step at a time, and
 * what publishing needs; see vacancy_form.h. Loading and saving: vacancy_form_store.c. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "utf8.h"
#include "vacancy_form.h"

const struct vacancy_step_info vacancy_steps[VSTEP_COUNT] = {
	{ "job", "Job details" },
	{ "details", "Contract, pay and start date" },
	{ "dates", "Publish and closing dates" },
	{ "about", "About the job and the school" },
	{ "contact", "Contact details and schools" },
	{ "documents", "Supporting documents" },
};

static const struct label closing_time_items[] = {
	{ "09:00", "9am" },
	{ "12:00", "midday" },
	{ "17:00", "5pm" },
	{ "23:59", "11:59pm (end of the day)" },
};
const struct label_list vacancy_closing_times = {
	"closes_time", closing_time_items, sizeof closing_time_items / sizeof closing_time_items[0]
};

int vacancy_step_find(const char *name)
{
	int i;

	for (i = 0; name != NULL && i < VSTEP_COUNT; i++)
		if (strcmp(vacancy_steps[i].name, name) == 0)
			return i;
	return -1;
}

/* ---- small readers ---------------------------------------------------------------------- */

/* Number of characters of s (UTF-8, checked by the form parser). */
static size_t chars_of(const char *s)
{
	size_t n = 0;

	if (utf8_count((const unsigned char *)s, strlen(s), &n) != 0)
		return strlen(s);
	return n;
}

/* True when s holds a control character (line breaks, tabs, DEL). */
static bool has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* Copies s into out (outlen bytes), truncated; "" for NULL. */
static void copy(char *out, size_t outlen, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n >= outlen)
		n = outlen - 1;
	if (n > 0)
		memcpy(out, s, n);
	out[n] = '\0';
}

/* Reads the one-line text field `name` into out (outlen bytes, enough for max_chars
 * characters). Adds an error for field `name` when it is empty and empty_msg is not NULL, has
 * more than max_chars characters (too_long_msg) or control characters. Returns 0, -1 when out
 * of memory. */
static int line_read(const struct req *r, const char *name, char *out, size_t outlen,
		     size_t max_chars, const char *empty_msg, const char *too_long_msg,
		     const char *what, json_t *errs)
{
	char msg[160];
	int n = form_text(r, name, out, outlen);

	if (n < 0 || chars_of(out) > max_chars) {
		if (n < 0)
			copy(out, outlen, "");
		return form_error(errs, name, too_long_msg);
	}
	if (n == 0)
		return empty_msg != NULL ? form_error(errs, name, empty_msg) : 0;
	if (has_control(out)) {
		snprintf(msg, sizeof msg, "%s must not include line breaks or tabs", what);
		return form_error(errs, name, msg);
	}
	return 0;
}

char *vacancy_text_read(const struct req *r, const char *name, size_t max_chars, bool *too_long)
{
	const char *v = kv_get(&r->form, name), *end;
	char *out, *w;

	if (v == NULL)
		v = "";
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	end = v + strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		end--;
	out = malloc((size_t)(end - v) + 1);
	if (out == NULL)
		return NULL;
	for (w = out; v < end; v++) {
		if (*v == '\r') {
			*w++ = '\n';
			if (v + 1 < end && v[1] == '\n')
				v++;
		} else {
			*w++ = *v;
		}
	}
	*w = '\0';
	*too_long = chars_of(out) > max_chars;
	return out;
}

/* Reads the long text `name` into *dst (replacing what it held). Adds an error when it is
 * empty and empty_msg is not NULL, or longer than max_chars. Returns 0, -1 when out of
 * memory. */
static int long_read(const struct req *r, const char *name, char **dst, size_t max_chars,
		     const char *empty_msg, const char *too_long_msg, json_t *errs)
{
	bool too_long = false;
	char *s = vacancy_text_read(r, name, max_chars, &too_long);

	if (s == NULL)
		return -1;
	free(*dst);
	*dst = s;
	if (too_long)
		return form_error(errs, name, too_long_msg);
	if (s[0] == '\0' && empty_msg != NULL)
		return form_error(errs, name, empty_msg);
	return 0;
}

int vacancy_label_index(const struct label_list *list, const char *value)
{
	size_t i;

	for (i = 0; value != NULL && i < list->len; i++)
		if (strcmp(list->items[i].value, value) == 0)
			return (int)i;
	return -1;
}

/* Reads every value of checkbox field `name` into a bit set over list. Sets *unknown when a
 * value is not in the list. */
static unsigned mask_read(const struct req *r, const char *name, const struct label_list *list,
			  bool *unknown)
{
	unsigned mask = 0;
	size_t i;
	int k;

	*unknown = false;
	for (i = 0; i < r->form.len; i++) {
		if (strcmp(r->form.items[i].name, name) != 0)
			continue;
		k = vacancy_label_index(list, r->form.items[i].value);
		if (k < 0)
			*unknown = true;
		else
			mask |= 1u << k;
	}
	return mask;
}

const char *vacancy_subject_label(const struct vacancy_refs *refs, const char *value)
{
	int i;

	for (i = 0; refs->subjects != NULL && i < PQntuples(refs->subjects); i++)
		if (strcmp(PQgetvalue(refs->subjects, i, 0), value) == 0)
			return PQgetvalue(refs->subjects, i, 1);
	return NULL;
}

/* True when s is 1 to maxlen ASCII digits. */
static bool digits(const char *s, size_t maxlen)
{
	size_t n = strlen(s);

	return n > 0 && n <= maxlen && strspn(s, "0123456789") == n;
}

/* ---- dates ------------------------------------------------------------------------------ */

int vacancy_date_iso(const struct vf_date *d, char iso[11])
{
	int day, month, year;

	iso[0] = '\0';
	if (!digits(d->day, 2) || !digits(d->month, 2) || !digits(d->year, 4) ||
	    strlen(d->year) != 4)
		return -1;
	day = atoi(d->day);
	month = atoi(d->month);
	year = atoi(d->year);
	if (year < 2000 || year > 2099 || month < 1 || month > 12 || day < 1 ||
	    day > field_month_days(year, month))
		return -1;
	snprintf(iso, 11, "%04u-%02u-%02u", (unsigned)year % 10000u, (unsigned)month % 100u,
		 (unsigned)day % 100u);
	return 0;
}

/* True when every part of d is empty. */
static bool date_empty(const struct vf_date *d)
{
	return d->day[0] == '\0' && d->month[0] == '\0' && d->year[0] == '\0';
}

const char *vacancy_date_read(const struct req *r, const char *name, const char *what,
			      struct vf_date *d, char iso[11], char *msg, size_t msglen)
{
	char field[64];
	const char *missing = NULL;

	iso[0] = '\0';
	snprintf(field, sizeof field, "%s-day", name);
	if (form_text(r, field, d->day, sizeof d->day) < 0)
		copy(d->day, sizeof d->day, "?");
	snprintf(field, sizeof field, "%s-month", name);
	if (form_text(r, field, d->month, sizeof d->month) < 0)
		copy(d->month, sizeof d->month, "?");
	snprintf(field, sizeof field, "%s-year", name);
	if (form_text(r, field, d->year, sizeof d->year) < 0)
		copy(d->year, sizeof d->year, "?");
	if (date_empty(d))
		return NULL;
	if (d->day[0] == '\0')
		missing = "a day";
	else if (d->month[0] == '\0')
		missing = "a month";
	else if (d->year[0] == '\0')
		missing = "a year";
	if (missing != NULL)
		snprintf(msg, msglen, "%s must include %s", what, missing);
	else if (vacancy_date_iso(d, iso) != 0)
		snprintf(msg, msglen, "%s must be a real date", what);
	else
		return NULL;
	return msg;
}

void vacancy_date_field(const struct vf_date *d, const char *name, char *out, size_t outlen)
{
	const char *part = d->day[0] == '\0'	 ? "day"
			   : d->month[0] == '\0' ? "month"
			   : d->year[0] == '\0'	 ? "year"
						 : "day";

	snprintf(out, outlen, "%s-%s", name, part);
}

/* Reads date input `name` (named `what` in messages) into d, adding an error when it is not a
 * real date, or empty and empty_msg is not NULL. Writes its ISO form into iso ("" when empty
 * or wrong). Returns 1 when a valid date was read, 0 otherwise, -1 when out of memory. */
static int date_field(const struct req *r, const char *name, const char *what,
		      const char *empty_msg, struct vf_date *d, char iso[11], json_t *errs)
{
	char msg[128], field[64];
	const char *problem = vacancy_date_read(r, name, what, d, iso, msg, sizeof msg);

	vacancy_date_field(d, name, field, sizeof field);
	if (problem != NULL)
		return form_error(errs, field, problem) != 0 ? -1 : 0;
	if (iso[0] == '\0')
		return empty_msg != NULL && form_error(errs, field, empty_msg) != 0 ? -1 : 0;
	return 1;
}

/* ---- reading each step ------------------------------------------------------------------ */

/* True when f's subjects already hold value. */
static bool subject_chosen(const struct vacancy_form *f, const char *value)
{
	size_t i;

	for (i = 0; i < f->nsubjects; i++)
		if (strcmp(f->subjects[i], value) == 0)
			return true;
	return false;
}

/* The job step: title, roles, phases, key stages, subjects, suitable for ECTs. */
static int read_job(const struct req *r, const struct vacancy_refs *refs, struct vacancy_form *f,
		    json_t *errs)
{
	bool unknown;
	size_t i;
	int rc = 0;

	rc |= line_read(r, "title", f->title, sizeof f->title, VF_TITLE_MAX, "Enter a job title",
			"Job title must be 150 characters or fewer", "Job title", errs);
	f->roles = mask_read(r, "role", &vacancy_roles, &unknown);
	if (unknown)
		rc |= form_error(errs, "role", "Select job roles from the list");
	else if (f->roles == 0)
		rc |= form_error(errs, "role", "Select at least one job role");
	f->phases = mask_read(r, "phase", &vacancy_phases, &unknown);
	if (unknown)
		rc |= form_error(errs, "phase", "Select education phases from the list");
	else if (f->phases == 0)
		rc |= form_error(errs, "phase", "Select at least one education phase");
	f->key_stages = mask_read(r, "key_stage", &vacancy_key_stages, &unknown);
	if (unknown)
		rc |= form_error(errs, "key_stage", "Select key stages from the list");
	f->nsubjects = 0;
	unknown = false;
	for (i = 0; i < r->form.len; i++) {
		if (strcmp(r->form.items[i].name, "subject") != 0 ||
		    subject_chosen(f, r->form.items[i].value))
			continue;   /* each subject once, as the masks keep the other lists */
		if (vacancy_subject_label(refs, r->form.items[i].value) == NULL ||
		    f->nsubjects == VF_MAX_SUBJECTS) {
			unknown = true;
			continue;
		}
		copy(f->subjects[f->nsubjects++], sizeof f->subjects[0], r->form.items[i].value);
	}
	if (unknown)
		rc |= form_error(errs, "subject", "Select subjects from the list");
	f->ect_suitable = kv_get(&r->form, "ect_suitable") != NULL;
	return rc != 0 ? -1 : 0;
}

/* Checks a decimal with at most `decimals` places and at most 3 whole digits. */
static bool decimal_ok(const char *s, int decimals)
{
	size_t whole = strspn(s, "0123456789"), frac = 0;

	if (whole == 0 || whole > 3)
		return false;
	if (s[whole] == '\0')
		return true;
	if (s[whole] != '.')
		return false;
	frac = strspn(s + whole + 1, "0123456789");
	return frac >= 1 && (int)frac <= decimals && s[whole + 1 + frac] == '\0';
}

/* Reads a salary in whole pounds ("£30,000" becomes "30000") into out. Returns 1 when valid or
 * empty, 0 when not. */
static int salary_read(const struct req *r, const char *name, char *out, size_t outlen)
{
	char raw[64];
	const char *p;
	size_t n = 0;

	if (form_text(r, name, raw, sizeof raw) < 0) {
		copy(out, outlen, "?");
		return 0;
	}
	p = raw;
	if (strncmp(p, "\xc2\xa3", 2) == 0)
		p += 2;
	for (; *p != '\0' && n + 1 < outlen; p++)
		if (*p != ',')
			out[n++] = *p;
	out[n] = '\0';
	if (raw[0] == '\0')
		return 1;
	if (!digits(out, 7) || atol(out) > 1000000) {
		copy(out, outlen, raw);
		return 0;
	}
	return 1;
}

/* True when the job starts on a date that is not after the day the listing closes (both
 * given): nobody could start before being appointed. */
static bool starts_before_closing(const struct vacancy_form *f)
{
	char start[11], closes[11];

	return strcmp(f->start_type, "date") == 0 && vacancy_date_iso(&f->start, start) == 0 &&
	       vacancy_date_iso(&f->closes, closes) == 0 && strcmp(start, closes) <= 0;
}

/* The details step: contract, working pattern, hours, FTE, pay, salary, start, key worker. */
static int read_details(const struct req *r, const struct vacancy_refs *refs,
			struct vacancy_form *f, json_t *errs)
{
	char iso[11];
	bool unknown, min_ok, max_ok;
	int rc = 0, d;

	copy(f->contract, sizeof f->contract, kv_get(&r->form, "contract"));
	if (f->contract[0] == '\0')
		rc |= form_error(errs, "contract", "Select the contract type");
	else if (label_of(&vacancy_contracts, f->contract) == NULL)
		rc |= form_error(errs, "contract", "Select a contract type from the list");
	f->fixed_term_length[0] = '\0';
	if (strcmp(f->contract, "fixed_term") == 0)
		rc |= line_read(r, "fixed_term_length", f->fixed_term_length,
				sizeof f->fixed_term_length, VF_SHORT_MAX,
				"Enter the length of the fixed-term contract, like 12 months",
				"Length of the contract must be 100 characters or fewer",
				"Length of the contract", errs);

	f->patterns = mask_read(r, "working_pattern", &vacancy_working_patterns, &unknown);
	if (unknown)
		rc |= form_error(errs, "working_pattern", "Select working patterns from the list");
	else if (f->patterns == 0)
		rc |= form_error(errs, "working_pattern", "Select at least one working pattern");
	if (form_text(r, "hours_per_week", f->hours, sizeof f->hours) < 0)
		copy(f->hours, sizeof f->hours, "?");
	if (form_text(r, "fte", f->fte, sizeof f->fte) < 0)
		copy(f->fte, sizeof f->fte, "?");
	if (f->hours[0] != '\0' &&
	    (!decimal_ok(f->hours, 1) || atof(f->hours) <= 0 || atof(f->hours) > 60))
		rc |= form_error(errs, "hours_per_week",
				 "Hours per week must be a number more than 0 and no more than 60, "
				 "like 22.5");
	if (f->fte[0] != '\0' &&
	    (!decimal_ok(f->fte, 3) || atof(f->fte) <= 0 || atof(f->fte) > 1))
		rc |= form_error(errs, "fte",
				 "Full-time equivalent must be a number more than 0 and no more "
				 "than 1, like 0.6");
	if ((f->patterns & (1u << vacancy_label_index(&vacancy_working_patterns, "part_time"))) &&
	    f->hours[0] == '\0' && f->fte[0] == '\0')
		rc |= form_error(errs, "hours_per_week",
				 "Enter the hours per week or the full-time equivalent (FTE) of the "
				 "part-time job");

	copy(f->pay_scale, sizeof f->pay_scale, kv_get(&r->form, "pay_scale"));
	if (f->pay_scale[0] == '\0')
		rc |= form_error(errs, "pay_scale", "Select the pay scale");
	else if (label_of(&vacancy_pay_scales, f->pay_scale) == NULL)
		rc |= form_error(errs, "pay_scale", "Select a pay scale from the list");
	rc |= line_read(r, "pay_text", f->pay_text, sizeof f->pay_text, VF_PAY_TEXT_MAX,
			strcmp(f->pay_scale, "other") == 0 ? "Enter the pay" : NULL,
			"Pay must be 200 characters or fewer", "Pay", errs);
	min_ok = salary_read(r, "salary_min", f->salary_min, sizeof f->salary_min);
	max_ok = salary_read(r, "salary_max", f->salary_max, sizeof f->salary_max);
	if (!min_ok)
		rc |= form_error(errs, "salary_min",
				 "Minimum salary must be a whole number of pounds up to 1,000,000, "
				 "like 31650");
	if (!max_ok)
		rc |= form_error(errs, "salary_max",
				 "Maximum salary must be a whole number of pounds up to 1,000,000, "
				 "like 49084");
	if (min_ok && max_ok && f->salary_min[0] != '\0' && f->salary_max[0] != '\0' &&
	    atol(f->salary_min) > atol(f->salary_max))
		rc |= form_error(errs, "salary_max",
				 "Maximum salary must be the same as or more than the minimum salary");
	rc |= line_read(r, "actual_salary", f->actual_salary, sizeof f->actual_salary,
			VF_SHORT_MAX, NULL, "Actual salary must be 100 characters or fewer",
			"Actual salary", errs);

	copy(f->start_type, sizeof f->start_type, kv_get(&r->form, "start_type"));
	memset(&f->start, 0, sizeof f->start);
	f->start_term[0] = '\0';
	if (f->start_type[0] == '\0') {
		rc |= form_error(errs, "start_type", "Select when the job starts");
	} else if (label_of(&vacancy_start_types, f->start_type) == NULL) {
		rc |= form_error(errs, "start_type", "Select when the job starts from the list");
	} else if (strcmp(f->start_type, "date") == 0) {
		d = date_field(r, "start_date", "Start date", "Enter the start date", &f->start, iso,
			       errs);
		if (d < 0)
			return -1;
		if (d == 1 && strncmp(iso, refs->now, 10) < 0)
			rc |= form_error(errs, "start_date-day",
					 "Start date must be today or in the future");
		else if (d == 1 && starts_before_closing(f))
			rc |= form_error(errs, "start_date-day",
					 "Start date must be after the closing date");
	} else if (strcmp(f->start_type, "term") == 0) {
		rc |= line_read(r, "start_term", f->start_term, sizeof f->start_term, VF_SHORT_MAX,
				"Enter the term the job starts, like September 2026",
				"Start term must be 100 characters or fewer", "Start term", errs);
	}
	f->key_worker = kv_get(&r->form, "key_worker_eligible") != NULL;
	f->visa_sponsorship = kv_get(&r->form, "visa_sponsorship") != NULL;
	return rc != 0 ? -1 : 0;
}

/* True for a time "HH:MM" from 00:00 to 23:59 (the list offers a few; a time stored some
 * other way is offered too and stays valid). */
static bool time_ok(const char *t)
{
	return strlen(t) == 5 && isdigit((unsigned char)t[0]) && isdigit((unsigned char)t[1]) &&
	       t[2] == ':' && isdigit((unsigned char)t[3]) && isdigit((unsigned char)t[4]) &&
	       atoi(t) < 24 && atoi(t + 3) < 60;
}

/* The dates step: publish date (optional; required once scheduled), closing date and time. */
static int read_dates(const struct req *r, const struct vacancy_refs *refs,
		      struct vacancy_form *f, json_t *errs)
{
	char publish[11], closes[11], closes_at[24], publish_at[24];
	bool scheduled = strcmp(f->status, "scheduled") == 0;
	int rc = 0, p, c;

	p = date_field(r, "publish_date", "Publish date",
		       scheduled ? "Enter the publish date, or return the listing to draft" : NULL,
		       &f->publish, publish, errs);
	if (p < 0)
		return -1;
	if (p == 1 && strncmp(publish, refs->now, 10) < 0)
		rc |= form_error(errs, "publish_date-day",
				 "Publish date must be today or in the future");
	c = date_field(r, "closes_date", "Closing date", "Enter the closing date", &f->closes,
		       closes, errs);
	if (c < 0)
		return -1;
	copy(f->closes_time, sizeof f->closes_time, kv_get(&r->form, "closes_time"));
	if (c == 1 && time_ok(f->closes_time)) {
		snprintf(closes_at, sizeof closes_at, "%s %s", closes, f->closes_time);
		snprintf(publish_at, sizeof publish_at, "%s 00:00", publish);
		if (strcmp(closes_at, refs->now) <= 0)
			rc |= form_error(errs, "closes_date-day",
					 "Closing date must be in the future");
		else if (p == 1 && strcmp(closes_at, publish_at) <= 0)
			rc |= form_error(errs, "closes_date-day",
					 "Closing date must be after the publish date");
		else if (starts_before_closing(f))
			rc |= form_error(errs, "closes_date-day",
					 "Closing date must be before the start date");
	}
	if (f->closes_time[0] == '\0')
		rc |= form_error(errs, "closes_time", "Select the closing time");
	else if (!time_ok(f->closes_time))
		rc |= form_error(errs, "closes_time", "Select a closing time from the list");
	return rc != 0 ? -1 : 0;
}

/* The about step: description (required), about the school, what the school offers. */
static int read_about(const struct req *r, struct vacancy_form *f, json_t *errs)
{
	if (long_read(r, "description", &f->description, VF_DESCRIPTION_MAX,
		      "Enter a description of the job",
		      "Job description must be 20,000 characters or fewer", errs) != 0 ||
	    long_read(r, "about_school", &f->about_school, VF_ABOUT_MAX, NULL,
		      "About the school must be 10,000 characters or fewer", errs) != 0 ||
	    long_read(r, "school_offers", &f->school_offers, VF_ABOUT_MAX, NULL,
		      "What the school offers must be 10,000 characters or fewer", errs) != 0)
		return -1;
	return 0;
}

/* True when the telephone number is plausible: digits, spaces, + ( ) - only, 7 to 20 digits. */
static bool phone_ok(const char *s)
{
	size_t ndigits = 0;

	for (; *s != '\0'; s++) {
		if (isdigit((unsigned char)*s))
			ndigits++;
		else if (strchr(" +()-", *s) == NULL)
			return false;
	}
	return ndigits >= 7 && ndigits <= 20;
}

/* True when urn is one of the schools the vacancy may cover (refs->schools). */
static bool school_allowed(const struct vacancy_refs *refs, long urn)
{
	int i;

	for (i = 0; refs->schools != NULL && i < PQntuples(refs->schools); i++)
		if (strtol(PQgetvalue(refs->schools, i, 0), NULL, 10) == urn)
			return true;
	return false;
}

/* The contact step: email (required), phone, how to arrange a visit, the schools covered (the
 * posting school always; others of its trust from the user's schools). */
static int read_contact(const struct req *r, const struct vacancy_refs *refs,
			struct vacancy_form *f, json_t *errs)
{
	const char *problem;
	bool unknown = false, seen;
	size_t i, k;
	long urn;
	int rc = 0;

	problem = form_email(r, "contact_email", f->contact_email,
			     "Enter the email address applicants can contact");
	if (problem != NULL)
		rc |= form_error(errs, "contact_email", problem);
	if (form_text(r, "contact_phone", f->contact_phone, sizeof f->contact_phone) < 0 ||
	    chars_of(f->contact_phone) > VF_PHONE_MAX)
		rc |= form_error(errs, "contact_phone",
				 "Telephone number must be 40 characters or fewer");
	else if (f->contact_phone[0] != '\0' && !phone_ok(f->contact_phone))
		rc |= form_error(errs, "contact_phone",
				 "Enter a telephone number, like 01375 652652 or +44 1375 652652");
	if (long_read(r, "school_visits", &f->school_visits, VF_VISITS_MAX, NULL,
		      "School visits must be 1,000 characters or fewer", errs) != 0)
		rc = -1;
	f->schools[0] = f->school_urn;
	f->nschools = 1;
	for (i = 0; i < r->form.len; i++) {
		if (strcmp(r->form.items[i].name, "schools") != 0)
			continue;
		urn = digits(r->form.items[i].value, 9) ? strtol(r->form.items[i].value, NULL, 10)
							: -1;
		if (!school_allowed(refs, urn)) {
			unknown = true;
			continue;
		}
		for (seen = false, k = 0; k < f->nschools; k++)
			seen |= f->schools[k] == urn;
		if (!seen && f->nschools < VF_MAX_SCHOOLS)
			f->schools[f->nschools++] = urn;
	}
	if (unknown)
		rc |= form_error(errs, "schools",
				 "Select schools of the same trust as the posting school from the "
				 "list");
	return rc != 0 ? -1 : 0;
}

int vacancy_form_read(const struct req *r, enum vacancy_step step,
		      const struct vacancy_refs *refs, struct vacancy_form *f, json_t *errs)
{
	int rc = 0;

	switch (step) {
	case VSTEP_JOB:
		rc = read_job(r, refs, f, errs);
		break;
	case VSTEP_DETAILS:
		rc = read_details(r, refs, f, errs);
		break;
	case VSTEP_DATES:
		rc = read_dates(r, refs, f, errs);
		break;
	case VSTEP_ABOUT:
		rc = read_about(r, f, errs);
		break;
	case VSTEP_CONTACT:
		rc = read_contact(r, refs, f, errs);
		break;
	default:
		break;
	}
	return rc != 0 ? -1 : 0;
}

bool vacancy_step_editable(const char *status, enum vacancy_step step)
{
	if (strcmp(status, "closed") == 0)
		return false;
	return !(strcmp(status, "published") == 0 && step == VSTEP_DATES);
}

/* ---- what publishing needs -------------------------------------------------------------- */

/* The summary row (its id is "row-<row>") that shows each field publishing may need. */
static const struct {
	const char *field;
	const char *row;
} summary_rows[] = {
	{ "fixed_term_length", "contract" }, { "hours_per_week", "working_pattern" },
	{ "pay_scale", "pay" },		     { "start_date-day", "start_type" },
	{ "start_term", "start_type" },	     { "closes_date-day", "closes" },
	{ "publish_date-day", "publish" },
};

/* Appends {field, row, step, message} to list. Returns 0 or -1. */
static int missing_add(json_t *list, const char *field, enum vacancy_step step,
		       const char *message)
{
	const char *name = field;
	char row[80];
	size_t i;

	for (i = 0; i < sizeof summary_rows / sizeof summary_rows[0]; i++)
		if (strcmp(summary_rows[i].field, field) == 0)
			name = summary_rows[i].row;
	snprintf(row, sizeof row, "row-%s", name);
	return json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "field", field,
						     "row", row, "step", vacancy_steps[step].name,
						     "message", message));
}

int vacancy_form_missing(const struct vacancy_form *f, const char *now, bool schedule,
			 json_t *list)
{
	char start[11], publish[11], closes[11], closes_at[24] = "", publish_at[24];
	bool part_time = f->patterns & (1u << vacancy_label_index(&vacancy_working_patterns, "part_time"));
	size_t before = json_array_size(list);
	int rc = 0;

	if (f->title[0] == '\0')
		rc |= missing_add(list, "title", VSTEP_JOB, "Enter a job title");
	if (f->roles == 0)
		rc |= missing_add(list, "role", VSTEP_JOB, "Select at least one job role");
	if (f->phases == 0)
		rc |= missing_add(list, "phase", VSTEP_JOB, "Select at least one education phase");
	if (f->contract[0] == '\0')
		rc |= missing_add(list, "contract", VSTEP_DETAILS, "Select the contract type");
	else if (strcmp(f->contract, "fixed_term") == 0 && f->fixed_term_length[0] == '\0')
		rc |= missing_add(list, "fixed_term_length", VSTEP_DETAILS,
				  "Enter the length of the fixed-term contract");
	if (f->patterns == 0)
		rc |= missing_add(list, "working_pattern", VSTEP_DETAILS,
				  "Select at least one working pattern");
	else if (part_time && f->hours[0] == '\0' && f->fte[0] == '\0')
		rc |= missing_add(list, "hours_per_week", VSTEP_DETAILS,
				  "Enter the hours per week or the full-time equivalent (FTE) of "
				  "the part-time job");
	if (f->pay_scale[0] == '\0')
		rc |= missing_add(list, "pay_scale", VSTEP_DETAILS, "Select the pay scale");
	if (f->start_type[0] == '\0')
		rc |= missing_add(list, "start_type", VSTEP_DETAILS, "Select when the job starts");
	else if (strcmp(f->start_type, "date") == 0 && vacancy_date_iso(&f->start, start) != 0)
		rc |= missing_add(list, "start_date-day", VSTEP_DETAILS, "Enter the start date");
	else if (strcmp(f->start_type, "date") == 0 && strncmp(start, now, 10) < 0)
		rc |= missing_add(list, "start_date-day", VSTEP_DETAILS,
				  "Start date must be today or in the future");
	else if (starts_before_closing(f))
		rc |= missing_add(list, "start_date-day", VSTEP_DETAILS,
				  "Start date must be after the closing date");
	else if (strcmp(f->start_type, "term") == 0 && f->start_term[0] == '\0')
		rc |= missing_add(list, "start_term", VSTEP_DETAILS,
				  "Enter the term the job starts");

	if (vacancy_date_iso(&f->closes, closes) != 0 || f->closes_time[0] == '\0') {
		rc |= missing_add(list, "closes_date-day", VSTEP_DATES, "Enter the closing date");
	} else {
		snprintf(closes_at, sizeof closes_at, "%s %s", closes, f->closes_time);
		if (strcmp(closes_at, now) <= 0)
			rc |= missing_add(list, "closes_date-day", VSTEP_DATES,
					  "Closing date must be in the future");
	}
	if (schedule && vacancy_date_iso(&f->publish, publish) != 0) {
		rc |= missing_add(list, "publish_date-day", VSTEP_DATES,
				  "Enter a publish date to schedule the listing");
	} else if (schedule) {
		snprintf(publish_at, sizeof publish_at, "%s 00:00", publish);
		if (strncmp(publish, now, 10) <= 0)
			rc |= missing_add(list, "publish_date-day", VSTEP_DATES,
					  "Publish date must be after today to schedule the listing");
		else if (closes_at[0] != '\0' && strcmp(closes_at, publish_at) <= 0)
			rc |= missing_add(list, "closes_date-day", VSTEP_DATES,
					  "Closing date must be after the publish date");
	}
	if (f->description == NULL || f->description[0] == '\0')
		rc |= missing_add(list, "description", VSTEP_ABOUT,
				  "Enter a description of the job");
	if (f->contact_email[0] == '\0')
		rc |= missing_add(list, "contact_email", VSTEP_CONTACT,
				  "Enter the email address applicants can contact");
	return rc != 0 ? -1 : (int)(json_array_size(list) - before);
}
