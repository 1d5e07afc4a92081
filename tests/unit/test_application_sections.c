/* test_application_sections.c - the section engine without a server: reading and checking
 * each kind of field (from a real url-encoded form), conditional questions, the statement's
 * word limit, employment gaps (qualification to first job, between jobs, to today), the list
 * rules (one qualification, two referees one of them current), section_check, the display
 * text and the task list. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "application_sections.h"
#include "application_sections_fields.h"
#include "buf.h"
#include "http.h"

static struct req r;
static json_t *typed, *value, *errs;

static void setup(void)
{
	memset(&r, 0, sizeof r);
	typed = value = errs = NULL;
}

static void teardown(void)
{
	kv_free(&r.form);
	json_decref(typed);
	json_decref(value);
	json_decref(errs);
}

/* Parses the url-encoded body as section `section`'s form (required checks when required):
 * fills typed, value and errs. Returns the number of messages. */
static int parse(const char *section, const char *body, bool required)
{
	const struct section_fields *sf = section_fields_find(section);
	int n;

	ck_assert_ptr_nonnull(sf);
	kv_free(&r.form);
	json_decref(typed);
	json_decref(value);
	json_decref(errs);
	ck_assert_int_eq(form_parse(body, strlen(body), &r.form), 0);
	typed = fields_typed_from_form(&r, sf);
	value = json_object();
	errs = json_object();
	ck_assert_ptr_nonnull(typed);
	n = fields_parse(sf, typed, required, value, errs);
	ck_assert_int_ge(n, 0);
	return n;
}

/* The message for input id in errs, or NULL. */
static const char *msg(const char *id)
{
	return json_string_value(json_object_get(json_object_get(errs, "error"), id));
}

/* The stored string of field name in value. */
static const char *val(const char *name)
{
	const char *s = json_string_value(json_object_get(value, name));

	ck_assert_msg(s != NULL, "no string value for %s", name);
	return s;
}

/* "YYYY-MM" of this month + delta, into a static buffer (one of four, used in turn). */
static const char *month_rel(int delta)
{
	static char bufs[4][8];
	static int k;
	char *b = bufs[k++ % 4];

	month_iso(month_now() + delta, b, 8);
	return b;
}

static const char personal_ok[] =
	"first_name=Ada&last_name=Lovelace&previous_names=&address_line1=1+High+Street&"
	"address_line2=&town=Grays&postcode=rm17+6sl&phone=01375+652652&"
	"email=ada%40example.org&ni_number=qq+12+34+56+c&right_to_work=yes";

START_TEST(personal_reads_and_normalises)
{
	ck_assert_int_eq(parse("personal", personal_ok, true), 0);
	ck_assert_str_eq(val("first_name"), "Ada");
	ck_assert_str_eq(val("postcode"), "RM17 6SL");
	ck_assert_str_eq(val("ni_number"), "QQ123456C");
	ck_assert_str_eq(val("phone"), "01375 652652");
	ck_assert_str_eq(val("right_to_work"), "yes");
	ck_assert_str_eq(val("previous_names"), "");
}
END_TEST

START_TEST(required_fields_only_when_completing)
{
	ck_assert_int_eq(parse("personal", "first_name=Ada", true), 7);
	ck_assert_str_eq(msg("last_name"), "Enter your last name");
	ck_assert_str_eq(msg("right_to_work"), "Select whether you have the right to work in the UK");
	ck_assert_ptr_null(msg("previous_names"));
	ck_assert_ptr_null(msg("ni_number"));
	/* "Save and come back later": blanks are fine, formats are still checked. */
	ck_assert_int_eq(parse("personal", "first_name=Ada", false), 0);
	ck_assert_int_eq(parse("personal", "first_name=Ada&postcode=nowhere", false), 1);
	ck_assert_str_eq(msg("postcode"),
			 "Enter a real postcode, like RM17 6SL (or BFPO and its number)");
}
END_TEST

START_TEST(addresses_outside_the_uk)
{
	static const char base[] = "first_name=Ada&last_name=Lovelace&address_line1=1+Rue+X&"
				   "phone=%2B33+1+23+45+67+89&email=ada%40example.org&"
				   "right_to_work=no&";
	char body[512];

	/* Neither a postcode nor a country: the message says either will do. */
	ck_assert_int_eq(parse("personal", "first_name=Ada&last_name=Lovelace&address_line1=1&"
				"town=Grays&phone=01375+652652&email=a%40example.org&"
				"right_to_work=yes", true), 1);
	ck_assert_str_eq(msg("postcode"),
			 "Enter your postcode, or your country if you live outside the UK");
	/* A country instead of a postcode completes the address; a postcode typed anyway
	 * is not kept (it was not checked as a UK one). */
	snprintf(body, sizeof body, "%stown=75008+Paris&country=France&postcode=75008", base);
	ck_assert_int_eq(parse("personal", body, true), 0);
	ck_assert_str_eq(val("country"), "France");
	ck_assert_str_eq(val("postcode"), "");
	/* British Forces Post Office addresses. */
	snprintf(body, sizeof body, "%stown=Gutersloh&postcode=bfpo1234", base);
	ck_assert_int_eq(parse("personal", body, true), 0);
	ck_assert_str_eq(val("postcode"), "BFPO 1234");
	snprintf(body, sizeof body, "%stown=X&postcode=BFPO+12345", base);
	ck_assert_int_eq(parse("personal", body, true), 1);
}
END_TEST

START_TEST(formats_of_each_kind)
{
	static const struct {
		const char *field, *value;
		bool ok;
	} cases[] = {
		{ "postcode", "SW1A 1AA", true },   { "postcode", "M1 1AE", true },
		{ "postcode", "B33 8TH", true },    { "postcode", "CR2 6XH", true },
		{ "postcode", "DN55 1PT", true },   { "postcode", "W1A0AX", true },
		{ "postcode", "RM17", false },	    { "postcode", "12345", false },
		{ "postcode", "RM17 6S1", false },  { "postcode", "RMX17 6SL", false },
		{ "phone", "+44 (0)1375 652652", true }, { "phone", "07700-900-982", true },
		{ "phone", "123456789", false },    { "phone", "1234567890123456", false },
		{ "phone", "01375 65265x", false }, { "email", "not-an-address", false },
		{ "email", "name@example.com", true }, { "ni_number", "QQ123456C", true },
		{ "ni_number", "QQ123456E", false }, { "ni_number", "Q1234567C", false },
		{ "ni_number", "QQ12345C", false },
	};
	struct buf body = { 0 };
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&body);
		buf_printf(&body, "%s=", cases[i].field);
		url_encode(&body, cases[i].value);
		ck_assert(!buf_failed(&body));
		ck_assert_msg((parse("personal", buf_str(&body), false) == 0) == cases[i].ok,
			      "%s=%s should be %s", cases[i].field, cases[i].value,
			      cases[i].ok ? "accepted" : "refused");
	}
	buf_free(&body);
}
END_TEST

START_TEST(text_lengths_and_line_breaks)
{
	char body[600];

	snprintf(body, sizeof body, "first_name=%0200d", 0);
	ck_assert_int_eq(parse("personal", body, false), 0);
	snprintf(body, sizeof body, "first_name=%0201d", 0);
	ck_assert_int_eq(parse("personal", body, false), 1);
	ck_assert_str_eq(msg("first_name"), "First name must be 200 characters or fewer");
	ck_assert_int_eq(parse("personal", "town=Grays%0D%0AEssex", false), 1);
	ck_assert_ptr_nonnull(strstr(msg("town"), "line breaks"));
	/* A textarea keeps its line breaks, CR LF made LF. */
	ck_assert_int_eq(parse("support", "needs_support=yes&support_details=Ramp%0D%0ALift", true),
			 0);
	ck_assert_str_eq(val("support_details"), "Ramp\nLift");
}
END_TEST

START_TEST(trn_and_years)
{
	char body[128];
	int year = month_now() / 12;

	ck_assert_int_eq(parse("professional", "qts=yes&induction=passed&trn=1234567", true), 0);
	ck_assert_int_eq(parse("professional", "trn=123456", false), 1);
	ck_assert_int_eq(parse("professional", "trn=12345678", false), 1);
	ck_assert_int_eq(parse("professional", "trn=12a4567", false), 1);
	snprintf(body, sizeof body, "year=%d", year);
	ck_assert_int_eq(parse("training", body, false), 0);
	snprintf(body, sizeof body, "year=%d", year + 1);
	ck_assert_int_eq(parse("training", body, false), 1);
	ck_assert_int_eq(parse("training", "year=1949", false), 1);
	ck_assert_int_eq(parse("training", "year=1950", false), 0);
	ck_assert_int_eq(parse("training", "year=19x0", false), 1);
	/* A qualification may still be in progress: up to five years ahead. */
	snprintf(body, sizeof body, "year=%d", year + 5);
	ck_assert_int_eq(parse("qualifications", body, false), 0);
	snprintf(body, sizeof body, "year=%d", year + 6);
	ck_assert_int_eq(parse("qualifications", body, false), 1);
}
END_TEST

START_TEST(radios_and_selects_take_only_their_options)
{
	ck_assert_int_eq(parse("professional", "qts=maybe&induction=passed", true), 1);
	ck_assert_str_eq(msg("qts"), "Select whether you have qualified teacher status");
	ck_assert_str_eq(val("qts"), "");
	ck_assert_int_eq(parse("qualifications", "level=phd", false), 1);
	ck_assert_int_eq(parse("qualifications", "level=masters", false), 0);
	ck_assert_str_eq(val("level"), "masters");
}
END_TEST

START_TEST(conditional_questions)
{
	/* QTS on track: the expected month is required... */
	ck_assert_int_eq(parse("professional", "qts=on_track&induction=not_started", true), 1);
	ck_assert_str_eq(msg("qts_expected-month"), "Enter the month and year you expect to get QTS");
	ck_assert_int_eq(parse("professional", "qts=on_track&induction=not_started&"
				"qts_expected-month=7&qts_expected-year=2020", true), 1);
	ck_assert_str_eq(msg("qts_expected-month"), "The date must be this month or in the future");
	{
		char body[128];
		const char *next = month_rel(1);

		snprintf(body, sizeof body, "qts=on_track&induction=not_started&qts_expected-month="
			 "%d&qts_expected-year=%.4s", atoi(next + 5), next);
		ck_assert_int_eq(parse("professional", body, true), 0);
		ck_assert_str_eq(val("qts_expected"), next);
	}
	/* A question's answer wrong: the message names "the date", not the question. */
	ck_assert_int_eq(parse("professional", "qts=on_track&induction=not_started&"
				"qts_expected-month=13&qts_expected-year=2027", true), 1);
	ck_assert_str_eq(msg("qts_expected-month"),
			 "The date must be a real month and year, like 9 2019");
	/* ...and dropped when the answer is yes. */
	ck_assert_int_eq(parse("professional", "qts=yes&induction=passed&qts_expected-month=7&"
				"qts_expected-year=2020", true), 0);
	ck_assert_str_eq(val("qts_expected"), "");
	/* A checkbox as condition: end and reason only when not the current job. */
	ck_assert_int_eq(parse("employment", "employer=A&role=B&start-month=9&start-year=2015&"
				"duties=Teaching", true), 2);
	ck_assert_ptr_nonnull(msg("end-month"));
	ck_assert_ptr_nonnull(msg("reason_for_leaving"));
	ck_assert_int_eq(parse("employment", "employer=A&role=B&start-month=9&start-year=2015&"
				"current=yes&end-month=1&end-year=2016&reason_for_leaving=x&"
				"duties=Teaching", true), 0);
	ck_assert(json_is_true(json_object_get(value, "current")));
	ck_assert_str_eq(val("end"), "");
	ck_assert_str_eq(val("reason_for_leaving"), "");
}
END_TEST

START_TEST(months)
{
	char body[256];
	const char *next = month_rel(1);

	ck_assert_int_eq(parse("employment", "start-month=9", false), 1);
	ck_assert_str_eq(msg("start-month"), "Start date must include a year");
	ck_assert_int_eq(parse("employment", "start-year=2019", false), 1);
	ck_assert_str_eq(msg("start-month"), "Start date must include a month");
	ck_assert_int_eq(parse("employment", "start-month=13&start-year=2019", false), 1);
	ck_assert_int_eq(parse("employment", "start-month=9&start-year=19", false), 1);
	ck_assert_int_eq(parse("employment", "start-month=09&start-year=2019", false), 0);
	ck_assert_str_eq(val("start"), "2019-09");
	/* Not in the future. */
	snprintf(body, sizeof body, "start-month=%d&start-year=%.4s", atoi(next + 5), next);
	ck_assert_int_eq(parse("employment", body, false), 1);
	ck_assert_str_eq(msg("start-month"), "Start date must be this month or in the past");
	/* The end not before the start. */
	ck_assert_int_eq(parse("employment", "start-month=9&start-year=2019&end-month=8&"
				"end-year=2019", false), 1);
	ck_assert_str_eq(msg("end-month"), "End date must be the same as or after the start date");
	ck_assert_int_eq(parse("employment", "start-month=9&start-year=2019&end-month=9&"
				"end-year=2019", false), 0);
}
END_TEST

START_TEST(must_tick_boxes)
{
	ck_assert_int_eq(parse("declarations", "close_relationships=no&criminal_record=no&"
				"accurate=yes", true), 1);
	ck_assert_str_eq(msg("right_to_work_confirmed"),
			 "Confirm that what you said about your right to work in the UK is true");
	ck_assert_int_eq(parse("declarations", "close_relationships=yes&criminal_record=no&"
				"accurate=yes&right_to_work_confirmed=yes", true), 1);
	ck_assert_ptr_nonnull(msg("close_relationships_details"));
}
END_TEST

/* A body "statement=w w w ..." of n words. Caller frees. */
static char *words_body(size_t n)
{
	char *b = malloc(16 + 2 * n), *p;
	size_t i;

	ck_assert_ptr_nonnull(b);
	p = b + sprintf(b, "statement=");
	for (i = 0; i < n; i++)
		p += sprintf(p, i == 0 ? "w" : "+w");
	return b;
}

START_TEST(statement_word_limit)
{
	char *ok = words_body(STATEMENT_MAX_WORDS), *over = words_body(STATEMENT_MAX_WORDS + 1);

	ck_assert_int_eq(parse("statement", ok, true), 0);
	ck_assert_int_eq(parse("statement", over, true), 1);
	ck_assert_str_eq(msg("statement"), "Your personal statement must be 1,500 words or fewer");
	free(ok);
	free(over);
}
END_TEST

/* ---- gaps --------------------------------------------------------------------------------- */

/* Month index of "YYYY-MM". */
static int mi(const char *s)
{
	int m = month_index(s);

	ck_assert_int_ge(m, 0);
	return m;
}

START_TEST(gap_between_qualification_and_first_job)
{
	json_t *data = json_pack("{s:[{s:s}], s:[{s:s, s:b}], s:{s:s}}", "qualifications", "year",
				 "2015", "employment", "start", "2016-03", "current", 1,
				 "employment_gaps", "2015-09_2016-02", "Travelling");
	json_t *gaps = employment_gaps_at(data, mi("2024-05")), *g;

	ck_assert_uint_eq(json_array_size(gaps), 1);
	g = json_array_get(gaps, 0);
	ck_assert_str_eq(json_string_value(json_object_get(g, "key")), "2015-09_2016-02");
	ck_assert_str_eq(json_string_value(json_object_get(g, "label")),
			 "September 2015 to February 2016");
	ck_assert_int_eq(json_integer_value(json_object_get(g, "months")), 6);
	ck_assert_str_eq(json_string_value(json_object_get(g, "explanation")), "Travelling");
	json_decref(gaps);
	/* A first job in the September after the qualification: no gap. */
	json_object_set_new(json_array_get(json_object_get(data, "employment"), 0), "start",
			    json_string("2015-09"));
	gaps = employment_gaps_at(data, mi("2024-05"));
	ck_assert_uint_eq(json_array_size(gaps), 0);
	json_decref(gaps);
	json_decref(data);
}
END_TEST

START_TEST(gaps_between_jobs_and_to_today)
{
	/* Jobs to 2018-06 and from 2018-10 (3 months between: fine), to 2020-01 and from
	 * 2020-06 (4 months: a gap), an overlapping job, the last ending 2023-12. */
	json_t *data = json_pack("{s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}]}",
				 "employment", "start", "2016-01", "end", "2018-06", "start",
				 "2018-10", "end", "2020-01", "start", "2020-06", "end", "2023-12",
				 "start", "2021-01", "end", "2022-01");
	json_t *gaps = employment_gaps_at(data, mi("2024-03")), *g;

	ck_assert_uint_eq(json_array_size(gaps), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(gaps, 0), "key")),
			 "2020-02_2020-05");
	json_decref(gaps);
	/* Four months later, no current job: a gap to today, keyed by its start only. */
	gaps = employment_gaps_at(data, mi("2024-04"));
	ck_assert_uint_eq(json_array_size(gaps), 2);
	g = json_array_get(gaps, 1);
	ck_assert_str_eq(json_string_value(json_object_get(g, "key")), "2024-01_now");
	ck_assert_str_eq(json_string_value(json_object_get(g, "label")), "January 2024 to now");
	ck_assert_int_eq(json_integer_value(json_object_get(g, "months")), 4);
	json_decref(gaps);
	/* A current job covers to today. */
	json_object_set_new(json_array_get(json_object_get(data, "employment"), 2), "current",
			    json_true());
	gaps = employment_gaps_at(data, mi("2025-04"));
	ck_assert_uint_eq(json_array_size(gaps), 1);
	json_decref(gaps);
	json_decref(data);
}
END_TEST

/* ---- whole sections ------------------------------------------------------------------------ */

/* Checks section name of data; fills errs with the messages. */
static bool check(const char *name, const json_t *data)
{
	json_decref(errs);
	errs = json_object();
	return section_check(section_find(name), data, errs);
}

/* The first message of errs, or "". */
static const char *first_message(void)
{
	const char *m = json_string_value(json_object_get(
		json_array_get(json_object_get(errs, "errors"), 0), "message"));

	return m != NULL ? m : "";
}

/* A referee; current "yes" or "no". New reference. */
static json_t *referee(const char *name, const char *current)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "name", name, "job_title",
			 "Head", "organisation", "School", "relationship", "Manager", "email",
			 "ref@example.org", "phone", "", "current_employer", current,
			 "contact_before", 0);
}

START_TEST(qualifications_need_one_complete)
{
	json_t *data = json_pack("{s:[]}", "qualifications");

	ck_assert(!check("qualifications", data));
	ck_assert_str_eq(first_message(), "Add at least one qualification");
	json_array_append_new(json_object_get(data, "qualifications"),
			      json_pack("{s:s, s:s, s:s, s:s, s:s}", "level", "degree", "subject",
					"Maths", "grade", "", "institution", "Essex", "year", ""));
	ck_assert(!check("qualifications", data));
	ck_assert_str_eq(first_message(), "Qualification 1: Enter the year awarded");
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(json_object_get(errs, "errors"), 0), "field")),
			 "item-1");
	json_object_set_new(json_array_get(json_object_get(data, "qualifications"), 0), "year",
			    json_string("2015"));
	ck_assert(check("qualifications", data));
	ck_assert(check("training", data));  /* training may be empty */
	json_decref(data);
}
END_TEST

START_TEST(referees_two_one_current)
{
	json_t *data = json_pack("{s:[o]}", "referees", referee("A", "yes"));

	ck_assert(!check("referees", data));
	ck_assert_str_eq(first_message(), "Add at least two referees");
	json_array_append_new(json_object_get(data, "referees"), referee("B", "no"));
	ck_assert(check("referees", data));
	json_array_set_new(json_object_get(data, "referees"), 0, referee("A", "no"));
	ck_assert(!check("referees", data));
	ck_assert_str_eq(first_message(),
			 "One of your referees must be from your current or most recent employer");
	json_decref(data);
}
END_TEST

START_TEST(employment_gaps_must_be_explained)
{
	json_t *data = json_pack("{s:[{s:s}], s:[{s:s, s:s, s:s, s:b, s:s, s:s, s:s}]}",
				 "qualifications", "year", "2010", "employment", "employer",
				 "Gable Hall", "role", "Teacher", "start", month_rel(-24), "current",
				 1, "end", "", "duties", "Teaching", "reason_for_leaving", "");
	json_t *gaps = employment_gaps(data);
	char field[64];

	ck_assert(json_array_size(gaps) == 1);
	snprintf(field, sizeof field, "gap_%s",
		 json_string_value(json_object_get(json_array_get(gaps, 0), "key")));
	ck_assert(!check("employment", data));
	ck_assert_ptr_nonnull(json_object_get(json_object_get(errs, "error"), field));
	ck_assert_ptr_nonnull(strstr(first_message(), "Explain the gap in your employment from "
					"September 2010 to "));
	json_object_set_new(data, "employment_gaps",
			    json_pack("{s:s}", field + 4, "Studying for a PhD"));
	ck_assert(check("employment", data));
	json_object_set_new(data, "employment", json_array());
	ck_assert(!check("employment", data));
	ck_assert_str_eq(first_message(), "Add at least one job");
	json_decref(gaps);
	json_decref(data);
}
END_TEST

START_TEST(object_sections_check_required_and_formats)
{
	json_t *data = json_pack("{s:{s:s, s:s}}", "support", "needs_support", "yes",
				 "support_details", "");

	ck_assert(!check("support", data));
	ck_assert_str_eq(first_message(), "Say what support you need");
	ck_assert(section_check(section_find("support"), data, NULL) == false);
	json_object_set_new(json_object_get(data, "support"), "needs_support", json_string("no"));
	ck_assert(check("support", data));
	/* A stored value in a wrong format is caught too. */
	json_object_set_new(data, "professional",
			    json_pack("{s:s, s:s, s:s}", "qts", "yes", "induction", "passed", "trn",
				      "12"));
	ck_assert(!check("professional", data));
	ck_assert_ptr_nonnull(json_object_get(json_object_get(errs, "error"), "trn"));
	ck_assert(!check("equal_opps", data));
	json_decref(data);
}
END_TEST

/* The data the integration harness's it_application_add() stores: every section must pass. */
START_TEST(harness_application_data_is_complete)
{
	json_t *data = json_pack(
		"{s:{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s},"
		"s:{s:s,s:s,s:s,s:s},s:[{s:s,s:s,s:s,s:s,s:s}],s:[],"
		"s:[{s:s,s:s,s:s,s:s,s:b,s:s,s:s}],s:{},s:{s:s},"
		"s:[{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b},{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}],"
		"s:{s:s,s:s},s:{s:s,s:s,s:s,s:s,s:b,s:b}}",
		"personal", "first_name", "Ada", "last_name", "Lovelace", "previous_names", "",
		"address_line1", "1 High Street", "address_line2", "", "town", "Grays", "postcode",
		"RM17 6XX", "phone", "07700 900123", "email", "ada@example.org", "ni_number", "",
		"right_to_work", "yes", "professional", "qts", "yes", "qts_expected", "", "trn",
		"1234567", "induction", "passed", "qualifications", "level", "degree", "subject",
		"Mathematics", "grade", "2:1", "institution", "University of Essex", "year", "2015",
		"training", "employment", "employer", "Gable Hall School", "role",
		"Teacher of mathematics", "start", "2015-09", "end", "", "current", 1, "duties",
		"Teaching KS3 and KS4.", "reason_for_leaving", "", "employment_gaps", "statement",
		"statement", "I love teaching mathematics.", "referees", "name", "Rita Referee",
		"job_title", "Headteacher", "organisation", "Gable Hall School", "relationship",
		"Line manager", "email", "rita@example.org", "phone", "", "current_employer", "yes",
		"contact_before", 0, "name", "Sam Second", "job_title", "Head of department",
		"organisation", "Ockendon Academy", "relationship", "Former colleague", "email",
		"sam@example.org", "phone", "", "current_employer", "no", "contact_before", 1,
		"support", "needs_support", "no", "support_details", "", "declarations",
		"close_relationships", "no", "close_relationships_details", "", "criminal_record",
		"no", "criminal_record_details", "", "right_to_work_confirmed", 1, "accurate", 1);
	size_t i;

	ck_assert_ptr_nonnull(data);
	for (i = 0; i < section_defs_len; i++) {
		if (strcmp(section_defs[i].name, "religion") == 0 ||
		    strcmp(section_defs[i].name, "equal_opps") == 0)
			continue;
		ck_assert_msg(check(section_defs[i].name, data), "%s: %s", section_defs[i].name,
			      first_message());
	}
	json_decref(data);
}
END_TEST

/* ---- display and task list ------------------------------------------------------------------ */

/* The value of the row labelled label in display d's rows (or item n's, n from 1), or
 * NULL. */
static const char *row(const json_t *d, size_t n, const char *label)
{
	const json_t *rows = n == 0 ? json_object_get(d, "rows")
				    : json_object_get(json_array_get(json_object_get(d, "items"),
								     n - 1), "rows");
	json_t *x;
	size_t i;

	json_array_foreach(rows, i, x)
		if (strcmp(json_string_value(json_object_get(x, "label")), label) == 0)
			return json_string_value(json_object_get(x, "value"));
	return NULL;
}

START_TEST(display_text)
{
	json_t *data = json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}, "
				 "s:[{s:s, s:s, s:s, s:s, s:b, s:s, s:s}], s:[{s:s, s:s, s:s}]}",
				 "personal", "first_name", "<script>x</script>", "ni_number",
				 "QQ123456C", "right_to_work", "yes", "professional", "qts",
				 "on_track", "qts_expected", "2021-03", "trn", "", "induction",
				 "not_applicable", "employment", "employer", "Gable", "role",
				 "Teacher", "start", "2019-09", "end", "2020-07", "current", 0,
				 "duties", "Line one\nLine two", "reason_for_leaving", "Moved",
				 "qualifications", "level", "pgce", "subject", "Maths", "year", "2019");
	json_t *d = section_display(section_find("personal"), data);

	ck_assert_str_eq(row(d, 0, "First name"), "<script>x</script>");
	ck_assert_str_eq(row(d, 0, "Last name"), "Not given");
	ck_assert_str_eq(row(d, 0, "National Insurance number"), "QQ 12 34 56 C");
	ck_assert_str_eq(row(d, 0, "Do you have the right to work in the UK?"), "Yes");
	ck_assert(!json_is_true(json_object_get(d, "empty")));
	json_decref(d);
	d = section_display(section_find("professional"), data);
	ck_assert_str_eq(row(d, 0, "Do you have qualified teacher status (QTS)?"),
			 "No, but I am on track to get it");
	ck_assert_str_eq(row(d, 0, "When do you expect to get QTS?"), "March 2021");
	ck_assert_str_eq(row(d, 0, "What is your induction status?"), "Not applicable");
	json_decref(d);
	d = section_display(section_find("employment"), data);
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(json_object_get(d, "items"), 0), "heading")),
			 "Teacher, Gable");
	ck_assert_str_eq(row(d, 1, "Current job"), "No");
	ck_assert_str_eq(row(d, 1, "End date"), "July 2020");
	ck_assert_str_eq(row(d, 1, "Start date"), "September 2019");
	ck_assert_uint_eq(json_array_size(json_object_get(json_array_get(json_object_get(
		json_array_get(json_object_get(d, "items"), 0), "rows"), 5), "lines")), 2);
	/* Qualification 2019 to a job from 2019-09: no gap before; after July 2020 a gap. */
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(json_object_get(d, "gaps"), 0), "explanation")),
			 "Not given");
	json_decref(d);
	/* A job marked current: no end date or reason shown. */
	json_object_set_new(json_array_get(json_object_get(data, "employment"), 0), "current",
			    json_true());
	d = section_display(section_find("employment"), data);
	ck_assert_str_eq(row(d, 1, "Current job"), "Yes");
	ck_assert_ptr_null(row(d, 1, "End date"));
	json_decref(d);
	d = section_display(section_find("qualifications"), data);
	ck_assert_str_eq(row(d, 1, "Type of qualification"), "PGCE");
	json_decref(d);
	d = section_display(section_find("referees"), data);
	ck_assert(json_is_true(json_object_get(d, "empty")));
	json_decref(d);
	json_decref(data);
}
END_TEST

START_TEST(task_lists)
{
	json_t *data = json_pack("{s:{s:s}, s:[]}", "personal", "first_name", "Ada",
				 "qualifications");
	json_t *done = json_pack("[s]", "professional"), *tasks, *missing;

	tasks = sections_task_list(true, false, "/account/profile", data, done);
	ck_assert_uint_eq(json_array_size(tasks), 6);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(tasks, 0), "url")),
			 "/account/profile/personal");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(tasks, 0),
							   "status_label")), "In progress");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(tasks, 1),
							   "status_label")), "Completed");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(tasks, 2),
							   "status_label")), "Not started");
	json_decref(tasks);
	tasks = sections_task_list(false, false, "/a", data, done);
	ck_assert_uint_eq(json_array_size(tasks), 10);
	json_decref(tasks);
	tasks = sections_task_list(false, true, "/a", data, done);
	ck_assert_uint_eq(json_array_size(tasks), 11);
	json_decref(tasks);
	missing = json_array();
	ck_assert(!sections_all_complete(false, done, missing));
	ck_assert_uint_eq(json_array_size(missing), 9);
	ck_assert_str_eq(json_string_value(json_array_get(missing, 0)), "Personal details");
	json_decref(missing);
	json_decref(done);
	done = json_pack("[s,s,s,s,s,s,s,s,s,s]", "personal", "professional", "qualifications",
			 "training", "employment", "statement", "referees", "support",
			 "declarations", "equal_opps");
	ck_assert(sections_all_complete(false, done, NULL));
	ck_assert(!sections_all_complete(true, done, NULL));
	ck_assert_ptr_null(section_find("employment_gaps"));
	ck_assert_ptr_null(section_find(NULL));
	json_decref(done);
	json_decref(data);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("application_sections");
	TCase *tc = tcase_create("fields");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, personal_reads_and_normalises);
	tcase_add_test(tc, required_fields_only_when_completing);
	tcase_add_test(tc, addresses_outside_the_uk);
	tcase_add_test(tc, formats_of_each_kind);
	tcase_add_test(tc, text_lengths_and_line_breaks);
	tcase_add_test(tc, trn_and_years);
	tcase_add_test(tc, radios_and_selects_take_only_their_options);
	tcase_add_test(tc, conditional_questions);
	tcase_add_test(tc, months);
	tcase_add_test(tc, must_tick_boxes);
	tcase_add_test(tc, statement_word_limit);
	suite_add_tcase(s, tc);
	tc = tcase_create("gaps");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, gap_between_qualification_and_first_job);
	tcase_add_test(tc, gaps_between_jobs_and_to_today);
	suite_add_tcase(s, tc);
	tc = tcase_create("sections");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, qualifications_need_one_complete);
	tcase_add_test(tc, referees_two_one_current);
	tcase_add_test(tc, employment_gaps_must_be_explained);
	tcase_add_test(tc, object_sections_check_required_and_formats);
	tcase_add_test(tc, harness_application_data_is_complete);
	tcase_add_test(tc, display_text);
	tcase_add_test(tc, task_lists);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
