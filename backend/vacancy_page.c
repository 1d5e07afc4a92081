/* vacancy_page.c - the schema.org JobPosting structured data of the public vacancy page; see
 * vacancy_page_json_ld() in vacancy_view.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "vacancy_view.h"

/* The value of a string member, or NULL. */
static const char *str_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Sets o[key] = v (taking the reference); clears *ok when v is NULL or the set fails. */
static void set(json_t *o, const char *key, json_t *v, bool *ok)
{
	if (v == NULL || json_object_set_new(o, key, v) != 0)
		*ok = false;
}

/* Appends `type` to the array a unless it is there. Clears *ok on failure. */
static void add_unique(json_t *a, const char *type, bool *ok)
{
	json_t *v;
	size_t i;

	json_array_foreach(a, i, v)
		if (strcmp(json_string_value(v), type) == 0)
			return;
	if (json_array_append_new(a, json_string(type)) != 0)
		*ok = false;
}

/* schema.org employmentType values for the working patterns and contract of m. */
static json_t *employment_types(const json_t *m, bool *ok)
{
	json_t *types = json_array(), *p;
	const char *v, *contract = str_of(m, "contract_type");
	size_t i;

	if (types == NULL) {
		*ok = false;
		return NULL;
	}
	json_array_foreach(json_object_get(m, "working_patterns"), i, p) {
		v = str_of(p, "value");
		if (v != NULL && strcmp(v, "full_time") == 0)
			add_unique(types, "FULL_TIME", ok);
		else if (v != NULL && (strcmp(v, "part_time") == 0 || strcmp(v, "job_share") == 0))
			add_unique(types, "PART_TIME", ok);
	}
	if (contract != NULL && strcmp(contract, "permanent") != 0)
		add_unique(types, "TEMPORARY", ok);
	if (json_array_size(types) == 0)
		add_unique(types, "OTHER", ok);
	return types;
}

/* The amounts of pounds a year written in text ("£18,512 to £19,393", "£21,000 pro rata")
 * into out: how many (1 or 2), or 0 when it holds none, more than two, or a number under 1,000
 * (an hourly rate, hours a week: not a salary a year). */
static int salary_amounts(const char *text, json_int_t out[2])
{
	int n = 0;

	while (*text != '\0') {
		json_int_t v = 0;

		if (*text < '0' || *text > '9') {
			text++;
			continue;
		}
		for (; (*text >= '0' && *text <= '9') ||
		       (*text == ',' && text[1] >= '0' && text[1] <= '9'); text++)
			if (*text != ',' && v < 100000000)
				v = v * 10 + (*text - '0');
		if (*text == '.' && text[1] >= '0' && text[1] <= '9')
			for (text++; *text >= '0' && *text <= '9'; text++)
				;
		if (n == 2 || v < 1000)
			return 0;
		out[n++] = v;
	}
	return n;
}

/* baseSalary (MonetaryAmount in GBP a year) when a salary is known, else NULL: what the job
 * pays (actual_salary) for a part-time or term-time job that says it, left out when that is
 * not amounts a year; else the full-time range. */
static json_t *base_salary(const json_t *m, bool *ok)
{
	const json_t *min = json_object_get(m, "salary_min");
	const json_t *max = json_object_get(m, "salary_max");
	const char *actual = str_of(m, "actual_salary");
	json_t *value, *amount;
	json_int_t pay[2];
	int n = 0;

	if (actual != NULL && actual[0] != '\0') {
		n = salary_amounts(actual, pay);
		if (n == 0)
			return NULL;
	} else if (json_is_integer(min) || json_is_integer(max)) {
		pay[n++] = json_integer_value(json_is_integer(min) ? min : max);
		if (json_is_integer(min) && json_is_integer(max))
			pay[n++] = json_integer_value(max);
	} else {
		return NULL;
	}
	value = n == 2 ? json_pack("{s:s, s:s, s:I, s:I}", "@type", "QuantitativeValue",
				   "unitText", "YEAR", "minValue", pay[0], "maxValue", pay[1])
		       : json_pack("{s:s, s:s, s:I}", "@type", "QuantitativeValue", "unitText",
				   "YEAR", "value", pay[0]);
	amount = json_pack("{s:s, s:s, s:o}", "@type", "MonetaryAmount", "currency", "GBP",
			   "value", value);
	if (amount == NULL)
		*ok = false;
	return amount;
}

/* jobLocation: a Place with the PostalAddress of each school the vacancy covers. */
static json_t *job_locations(const json_t *m, bool *ok)
{
	json_t *places = json_array(), *s, *address;
	size_t i;

	if (places == NULL) {
		*ok = false;
		return NULL;
	}
	json_array_foreach(json_object_get(m, "schools"), i, s) {
		address = json_pack("{s:s, s:s, s:s}", "@type", "PostalAddress", "addressRegion",
				    "Essex", "addressCountry", "GB");
		if (address != NULL && str_of(s, "town") != NULL)
			set(address, "addressLocality", json_string(str_of(s, "town")), ok);
		if (address != NULL && str_of(s, "postcode") != NULL)
			set(address, "postalCode", json_string(str_of(s, "postcode")), ok);
		if (json_array_append_new(places, json_pack("{s:s, s:o}", "@type", "Place",
							    "address", address)) != 0)
			*ok = false;
	}
	return places;
}

/* The description: the job's HTML, then what the school says about itself and offers. */
static json_t *description(const json_t *m)
{
	struct buf b = { 0 };
	const char *about = str_of(m, "about_school_html"), *offers = str_of(m, "school_offers_html");
	json_t *s;

	buf_puts(&b, str_of(m, "description_html") != NULL ? str_of(m, "description_html") : "");
	if (about != NULL && about[0] != '\0')
		buf_printf(&b, "<p><strong>About the school</strong></p>\n%s", about);
	if (offers != NULL && offers[0] != '\0')
		buf_printf(&b, "<p><strong>What the school offers</strong></p>\n%s", offers);
	s = buf_failed(&b) ? NULL : json_string(buf_str(&b));
	buf_free(&b);
	return s;
}

/* The JobPosting object of live vacancy m. NULL when out of memory. */
static json_t *job_posting(const json_t *m, const char *base_url)
{
	const json_t *school = json_object_get(m, "school");
	json_t *jp, *org, *salary;
	char id[32];
	struct buf url = { 0 };
	bool ok = true;

	snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(m, "id")));
	buf_printf(&url, "%s%s", base_url, str_of(m, "url"));
	jp = json_pack("{s:s, s:s, s:O, s:o*, s:O, s:O, s:b, s:s*}", "@context",
		       "https://schema.org/", "@type", "JobPosting", "title",
		       json_object_get(m, "title"), "description", description(m), "datePosted",
		       json_object_get(m, "published_at"), "validThrough",
		       json_object_get(m, "closes_at"), "directApply", 0, "url",
		       buf_failed(&url) ? NULL : buf_str(&url));
	buf_free(&url);
	if (jp == NULL)
		return NULL;
	org = json_pack("{s:s, s:O}", "@type", "Organization", "name",
			json_object_get(school, "name"));
	if (org != NULL && str_of(school, "website") != NULL)
		set(org, "sameAs", json_string(str_of(school, "website")), &ok);
	set(jp, "hiringOrganization", org, &ok);
	set(jp, "employmentType", employment_types(m, &ok), &ok);
	set(jp, "jobLocation", job_locations(m, &ok), &ok);
	set(jp, "identifier", json_pack("{s:s, s:s, s:s}", "@type", "PropertyValue", "name",
					"Teaching in Thurrock", "value", id), &ok);
	salary = base_salary(m, &ok);
	if (salary != NULL)
		set(jp, "baseSalary", salary, &ok);
	if (json_is_true(json_object_get(m, "visa_sponsorship")))
		set(jp, "eligibilityToWorkRequirement",
		    json_string("A Skilled Worker visa can be sponsored for this job."), &ok);
	if (!ok) {
		json_decref(jp);
		return NULL;
	}
	return jp;
}

/* JobPosting of m as JSON text safe inside a <script> element: every <, > and & (which JSON
 * allows only inside strings) becomes its \u escape, so the text cannot close the element or
 * open a comment. NULL when out of memory. */
static json_t *json_ld_text(const json_t *m, const char *base_url)
{
	json_t *jp = job_posting(m, base_url), *text = NULL;
	char *dump = jp != NULL ? json_dumps(jp, JSON_INDENT(2) | JSON_ENSURE_ASCII) : NULL;
	struct buf b = { 0 };
	const char *p;

	for (p = dump; p != NULL && *p != '\0'; p++) {
		if (*p == '<')
			buf_puts(&b, "\\u003c");
		else if (*p == '>')
			buf_puts(&b, "\\u003e");
		else if (*p == '&')
			buf_puts(&b, "\\u0026");
		else
			buf_putc(&b, *p);
	}
	if (dump != NULL && !buf_failed(&b))
		text = json_string(buf_str(&b));
	buf_free(&b);
	free(dump);
	json_decref(jp);
	return text;
}

int vacancy_page_json_ld(json_t *m, const char *base_url)
{
	if (!json_is_true(json_object_get(m, "is_live")))
		return 0;
	return json_object_set_new(m, "json_ld", json_ld_text(m, base_url)) != 0 ? -1 : 0;
}
