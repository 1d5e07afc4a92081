/* test_profile.c - the candidate's profile (/account/profile) through the section engine
 * (issue 5): a candidate fills every profile section through the real forms (CSRF token,
 * 303s) and the task list marks each completed; personal details start from the account's
 * name and email; refused input answers 422 with a GOV.UK error summary and saves nothing;
 * "Save and come back later" saves without the mark; list sections add, change and remove
 * items (at most 20); employment gaps must be explained before the section is complete;
 * referees need two, one from the current employer; sections of applications only are not
 * found; another candidate never sees the profile; a visitor is sent to sign in; script-like
 * input is escaped on the pages; saving one section never overwrites another. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"

#define PW "Stanford-le-hope-1876-tide"

/* A new verified candidate called name, signed in on c. Returns the id. */
static long long candidate(struct it_client *c, const char *name)
{
	return it_user_signed_in(c, "candidate", name, PW, NULL);
}

/* The profile's data at the JSON path ("{personal,postcode}") as text, or NULL. Caller
 * frees. */
static char *pdata(long long uid, const char *path)
{
	char s[24];
	const char *vals[2] = { s, path };

	snprintf(s, sizeof s, "%lld", uid);
	return it_psql_params("SELECT data #>> $2::text[] FROM candidate_profiles WHERE "
			      "user_id = $1", 2, vals);
}

/* Fails unless the profile's value at path is want (NULL: absent). */
static void expect_data(long long uid, const char *path, const char *want)
{
	char *got = pdata(uid, path);

	ck_assert_msg((got == NULL && want == NULL) ||
		      (got != NULL && want != NULL && strcmp(got, want) == 0),
		      "profile %s is %s, want %s", path, got ? got : "(absent)",
		      want ? want : "(absent)");
	free(got);
}

/* True when section name is marked complete in the profile of uid. */
static bool completed(long long uid, const char *name)
{
	char s[24], *v;
	const char *vals[2] = { s, name };
	bool yes;

	snprintf(s, sizeof s, "%lld", uid);
	v = it_psql_params("SELECT $2 = ANY (completed) FROM candidate_profiles WHERE "
			   "user_id = $1", 2, vals);
	yes = v != NULL && strcmp(v, "t") == 0;
	free(v);
	return yes;
}

/* A fingerprint of the profile row (or "none"): equal before and after means nothing was
 * saved. Caller frees. */
static char *snapshot(long long uid)
{
	char *v = it_psql_id("SELECT coalesce((SELECT md5(data::text || completed::text) FROM "
			     "candidate_profiles WHERE user_id = $1), 'none')", uid);

	ck_assert_ptr_nonnull(v);
	return v;
}

/* Fails unless r is a 303 to exactly path. */
static void expect_redirect(struct it_resp *r, const char *path, const char *what)
{
	it_expect_redirect(r, path, what);
	ck_assert_msg(strcmp(it_location(r), path) == 0, "%s: redirect to %s, want %s", what,
		      it_location(r), path);
}

/* GETs path with c (expecting 200, which also refreshes c's CSRF token), then POSTs form
 * there. The response is in r. */
static void get_post(struct it_client *c, const char *path, const char *form, struct it_resp *r)
{
	struct it_resp g;

	it_client_get(c, path, &g);
	it_expect_status(&g, 200, path);
	it_resp_free(&g);
	it_client_post(c, path, form, r);
}

/* POSTs form to path (after a GET) and expects a 303 to want. */
static void save(struct it_client *c, const char *path, const char *form, const char *want)
{
	struct it_resp r;

	get_post(c, path, form, &r);
	expect_redirect(&r, want, path);
	it_resp_free(&r);
}

static const char personal_form[] =
	"first_name=Ada&last_name=Lovelace&previous_names=Byron&address_line1=1+High+Street&"
	"address_line2=&town=Grays&postcode=rm17+6sl&phone=%2B44+1375+652652&"
	"email=ada%40example.org&ni_number=qq123456c&right_to_work=yes&action=save";

/* "YYYY" of this year + delta. */
static void year_rel(int delta, char out[8])
{
	char sql[96], *v;

	snprintf(sql, sizeof sql, "SELECT extract(year FROM now())::int + (%d)", delta);
	v = it_psql(sql);
	snprintf(out, 8, "%s", v);
	free(v);
}

START_TEST(visitor_is_sent_to_sign_in)
{
	struct it_resp r;

	it_get("/account/profile", &r);
	ck_assert_int_eq(r.status, 303);
	ck_assert_ptr_nonnull(strstr(it_location(&r), "/account/login"));
	it_resp_free(&r);
	it_get("/account/profile/personal", &r);
	ck_assert_int_eq(r.status, 303);
	it_resp_free(&r);
}
END_TEST

START_TEST(task_list_prefill_and_scope)
{
	struct it_client c = { 0 };
	struct it_resp r;
	long long uid = candidate(&c, "Ada King Lovelace");
	char *v;

	it_client_get(&c, "/account/profile", &r);
	it_expect_status(&r, 200, "the profile");
	ck_assert_ptr_nonnull(strstr(r.body, "govuk-task-list"));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"/account/profile/personal\""));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"/account/profile/referees\""));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"/account/applications\""));
	ck_assert_ptr_null(strstr(r.body, "/account/profile/statement"));
	ck_assert_ptr_nonnull(strstr(r.body, "You have completed 0 of 6 sections"));
	it_resp_free(&r);

	it_client_get(&c, "/account/profile/personal", &r);
	it_expect_status(&r, 200, "personal details");
	v = it_input_value(r.body, "first_name");
	ck_assert_str_eq(v, "Ada King");
	free(v);
	v = it_input_value(r.body, "last_name");
	ck_assert_str_eq(v, "Lovelace");
	free(v);
	v = it_input_value(r.body, "email");
	ck_assert_ptr_nonnull(strstr(v, "@example.org"));
	free(v);
	it_resp_free(&r);
	/* The prefill is only a start: nothing is stored until saved. */
	v = snapshot(uid);
	ck_assert_str_eq(v, "none");
	free(v);

	it_client_get(&c, "/account/profile/statement", &r);
	it_expect_status(&r, 404, "an application-only section");
	it_resp_free(&r);
	it_client_get(&c, "/account/profile/equal_opps", &r);
	it_expect_status(&r, 404, "equal opportunities in the profile");
	it_resp_free(&r);
	it_client_get(&c, "/account/profile/nonsense", &r);
	it_expect_status(&r, 404, "an unknown section");
	it_resp_free(&r);
	it_client_post(&c, "/account/profile/declarations", "action=save", &r);
	it_expect_status(&r, 404, "posting an application-only section");
	it_resp_free(&r);
}
END_TEST

START_TEST(fill_every_section)
{
	struct it_client c = { 0 };
	struct it_resp r;
	long long uid = candidate(&c, "Ada Lovelace");
	char year[8], *form, *p;

	save(&c, "/account/profile/personal", personal_form, "/account/profile");
	expect_data(uid, "{personal,postcode}", "RM17 6SL");
	expect_data(uid, "{personal,ni_number}", "QQ123456C");
	expect_data(uid, "{personal,phone}", "+44 1375 652652");
	ck_assert(completed(uid, "personal"));

	/* Expected next year (a month in the past is refused). */
	year_rel(1, year);
	form = it_form("qts", "on_track", "qts_expected-month", "7", "qts_expected-year", year,
		       "trn", "1234567", "induction", "not_started", "action", "save",
		       (char *)NULL);
	save(&c, "/account/profile/professional", form, "/account/profile");
	free(form);
	{
		char want[16];

		snprintf(want, sizeof want, "%s-07", year);
		expect_data(uid, "{professional,qts_expected}", want);
	}
	ck_assert(completed(uid, "professional"));

	/* A qualification: the item is saved, the section is not complete until confirmed. */
	save(&c, "/account/profile/qualifications",
	     "level=degree&subject=Mathematics&grade=2%3A1&institution=University+of+Essex&"
	     "year=2015&action=save", "/account/profile/qualifications");
	expect_data(uid, "{qualifications,0,subject}", "Mathematics");
	ck_assert(!completed(uid, "qualifications"));
	save(&c, "/account/profile/qualifications", "complete=yes&action=save", "/account/profile");
	ck_assert(completed(uid, "qualifications"));

	/* Training may be empty. */
	save(&c, "/account/profile/training", "complete=yes&action=save", "/account/profile");
	ck_assert(completed(uid, "training"));

	/* A job from March 2017: the gap after the 2015 qualification must be explained. */
	save(&c, "/account/profile/employment",
	     "employer=Gable+Hall+School&role=Teacher&start-month=3&start-year=2017&current=yes&"
	     "duties=Teaching+KS3+and+KS4.%0D%0AForm+tutor.&action=save",
	     "/account/profile/employment");
	it_client_get(&c, "/account/profile/employment", &r);
	it_expect_status(&r, 200, "employment");
	ck_assert_ptr_nonnull(strstr(r.body, "September 2015 to February 2017"));
	ck_assert_ptr_nonnull(strstr(r.body, "name=\"gap_2015-09_2017-02\""));
	it_resp_free(&r);
	it_client_post(&c, "/account/profile/employment", "complete=yes&action=save", &r);
	it_expect_errors(&r, "gap_2015-09_2017-02", "an unexplained gap");
	it_resp_free(&r);
	ck_assert(!completed(uid, "employment"));
	save(&c, "/account/profile/employment",
	     "complete=yes&gap_2015-09_2017-02=Travelling+and+supply+work&action=save",
	     "/account/profile");
	ck_assert(completed(uid, "employment"));
	expect_data(uid, "{employment_gaps,2015-09_2017-02}", "Travelling and supply work");
	expect_data(uid, "{employment,0,duties}", "Teaching KS3 and KS4.\nForm tutor.");

	/* Referees: two, one from the current employer. */
	save(&c, "/account/profile/referees",
	     "name=Rita+Referee&job_title=Headteacher&organisation=Gable+Hall+School&"
	     "relationship=Line+manager&email=rita%40example.org&phone=&current_employer=no&"
	     "action=save", "/account/profile/referees");
	it_client_post(&c, "/account/profile/referees", "complete=yes&action=save", &r);
	it_expect_errors(&r, "name", "one referee only");
	ck_assert_ptr_nonnull(strstr(r.body, "Add at least two referees"));
	it_resp_free(&r);
	save(&c, "/account/profile/referees",
	     "name=Sam+Second&job_title=Head+of+maths&organisation=Ockendon+Academy&"
	     "relationship=Colleague&email=sam%40example.org&phone=01375+652652&"
	     "current_employer=no&contact_before=yes&action=save", "/account/profile/referees");
	it_client_post(&c, "/account/profile/referees", "complete=yes&action=save", &r);
	it_expect_errors(&r, "item-1", "no referee from the current employer");
	it_resp_free(&r);
	ck_assert(!completed(uid, "referees"));
	save(&c, "/account/profile/referees?item=1",
	     "item=1&name=Rita+Referee&job_title=Headteacher&organisation=Gable+Hall+School&"
	     "relationship=Line+manager&email=rita%40example.org&phone=&current_employer=yes&"
	     "action=save", "/account/profile/referees");
	save(&c, "/account/profile/referees", "complete=yes&action=save", "/account/profile");
	ck_assert(completed(uid, "referees"));
	expect_data(uid, "{referees,1,contact_before}", "true");

	it_client_get(&c, "/account/profile", &r);
	it_expect_status(&r, 200, "the completed profile");
	ck_assert_ptr_nonnull(strstr(r.body, "You have completed 6 of 6 sections"));
	ck_assert_ptr_null(strstr(r.body, "Not started"));
	it_resp_free(&r);

	/* The pages show what was saved, as typed. */
	it_client_get(&c, "/account/profile/professional", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "value=\"on_track\" checked"));
	p = it_input_value(r.body, "qts_expected-year");
	year_rel(1, year);
	ck_assert_str_eq(p, year);
	free(p);
	it_resp_free(&r);

	/* A qualification still in progress may be up to five years ahead. */
	year_rel(5, year);
	form = it_form("level", "masters", "subject", "Education", "institution", "UCL", "year",
		       year, "action", "save", (char *)NULL);
	save(&c, "/account/profile/qualifications", form, "/account/profile/qualifications");
	free(form);
	ck_assert(!completed(uid, "qualifications"));
	expect_data(uid, "{qualifications,1,year}", year);
}
END_TEST

START_TEST(refused_input_saves_nothing)
{
	struct it_client c = { 0 };
	struct it_resp r;
	long long uid = candidate(&c, "Bea Refused");
	char *before, *after;

	save(&c, "/account/profile/personal", personal_form, "/account/profile");
	before = snapshot(uid);

	get_post(&c, "/account/profile/personal",
		 "first_name=&last_name=Lovelace&address_line1=1+High+Street&town=Grays&"
		 "postcode=NOT+A+POSTCODE&phone=12&email=nope&ni_number=12&right_to_work=maybe&"
		 "action=save", &r);
	it_expect_errors(&r, "postcode", "bad personal details");
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"#first_name\""));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"#phone\""));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"#email\""));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"#ni_number\""));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"#right_to_work\""));
	/* What was typed is shown again, beside its message. */
	ck_assert_ptr_nonnull(strstr(r.body, "value=\"NOT A POSTCODE\""));
	ck_assert_ptr_nonnull(strstr(r.body, "id=\"postcode-error\""));
	it_resp_free(&r);

	/* A job ending before it started. */
	get_post(&c, "/account/profile/employment",
		 "employer=A&role=B&start-month=9&start-year=2019&end-month=8&end-year=2019&"
		 "duties=Teaching&reason_for_leaving=Moved&action=save", &r);
	it_expect_errors(&r, "end-month", "end before start");
	it_resp_free(&r);
	/* A job with nothing in it. */
	it_client_post(&c, "/account/profile/employment", "action=save", &r);
	it_expect_errors(&r, "employer", "an empty job");
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"#start-month\""));
	it_resp_free(&r);
	/* Without the CSRF token: refused. */
	it_client_request(&c, "POST", "/account/profile/personal",
			  "first_name=X&last_name=Y&action=later", NULL, &r);
	it_expect_status(&r, 403, "no CSRF token");
	it_resp_free(&r);

	after = snapshot(uid);
	ck_assert_str_eq(before, after);
	free(after);

	/* Later: blanks are kept without the mark; formats are still checked. */
	save(&c, "/account/profile/personal", "first_name=Bea&action=later", "/account/profile");
	ck_assert(!completed(uid, "personal"));
	expect_data(uid, "{personal,first_name}", "Bea");
	expect_data(uid, "{personal,town}", "");
	free(before);
	before = snapshot(uid);
	get_post(&c, "/account/profile/personal", "first_name=Bea&postcode=X1&action=later", &r);
	it_expect_errors(&r, "postcode", "a bad postcode, saved for later");
	it_resp_free(&r);
	after = snapshot(uid);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

START_TEST(list_add_change_remove)
{
	struct it_client c = { 0 };
	struct it_resp r;
	long long uid = candidate(&c, "Cy List");
	char *v, uid_s[24];
	const char *vals[1] = { uid_s };

	save(&c, "/account/profile/training",
	     "course=Safeguarding&provider=Thurrock+Council&year=2023&action=save",
	     "/account/profile/training");
	save(&c, "/account/profile/training", "course=Phonics&provider=NCETM&year=&action=save",
	     "/account/profile/training");
	save(&c, "/account/profile/training", "complete=yes&action=save", "/account/profile");
	ck_assert(completed(uid, "training"));

	it_client_get(&c, "/account/profile/training", &r);
	it_expect_status(&r, 200, "the training list");
	ck_assert_ptr_nonnull(strstr(r.body, "govuk-summary-card"));
	ck_assert_ptr_nonnull(strstr(r.body, "Safeguarding, Thurrock Council"));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"/account/profile/training?item=2\""));
	ck_assert_ptr_nonnull(strstr(r.body, "action=\"/account/profile/training/remove\""));
	it_resp_free(&r);

	/* Change item 2: its form is prefilled; saving replaces it and clears the mark. */
	it_client_get(&c, "/account/profile/training?item=2", &r);
	it_expect_status(&r, 200, "changing item 2");
	ck_assert_ptr_nonnull(strstr(r.body, "Change course 2"));
	v = it_input_value(r.body, "course");
	ck_assert_str_eq(v, "Phonics");
	free(v);
	it_resp_free(&r);
	save(&c, "/account/profile/training?item=2",
	     "item=2&course=Early+reading&provider=NCETM&year=2024&action=save",
	     "/account/profile/training");
	expect_data(uid, "{training,1,course}", "Early reading");
	expect_data(uid, "{training,0,course}", "Safeguarding");
	ck_assert(!completed(uid, "training"));

	it_client_get(&c, "/account/profile/training?item=3", &r);
	it_expect_status(&r, 404, "changing an item that does not exist");
	it_resp_free(&r);
	it_client_post(&c, "/account/profile/training", "item=7&course=X&provider=Y&action=save",
		       &r);
	it_expect_status(&r, 404, "posting an item that does not exist");
	it_resp_free(&r);

	/* Remove item 1. */
	it_client_post(&c, "/account/profile/training/remove", "item=1", &r);
	expect_redirect(&r, "/account/profile/training", "removing item 1");
	it_resp_free(&r);
	snprintf(uid_s, sizeof uid_s, "%lld", uid);
	v = it_psql_params("SELECT jsonb_array_length(data->'training') FROM candidate_profiles "
			   "WHERE user_id = $1", 1, vals);
	ck_assert_str_eq(v, "1");
	free(v);
	expect_data(uid, "{training,0,course}", "Early reading");
	it_client_post(&c, "/account/profile/training/remove", "item=5", &r);
	it_expect_status(&r, 404, "removing an item that does not exist");
	it_resp_free(&r);
	it_client_post(&c, "/account/profile/personal/remove", "item=1", &r);
	it_expect_status(&r, 404, "removing from an object section");
	it_resp_free(&r);

	/* At most 20 items. */
	it_psql_params("UPDATE candidate_profiles SET data = jsonb_set(data, '{training}', "
		       "(SELECT jsonb_agg(jsonb_build_object('course', 'C' || i, 'provider', "
		       "'P', 'year', '')) FROM generate_series(1, 20) i)) WHERE user_id = $1",
		       1, vals);
	it_client_get(&c, "/account/profile/training", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "the most you can add"));
	it_resp_free(&r);
	it_client_post(&c, "/account/profile/training", "course=X&provider=Y&action=save", &r);
	it_expect_errors(&r, "course", "a 21st item");
	it_resp_free(&r);
	v = it_psql_params("SELECT jsonb_array_length(data->'training') FROM candidate_profiles "
			   "WHERE user_id = $1", 1, vals);
	ck_assert_str_eq(v, "20");
	free(v);
}
END_TEST

START_TEST(candidates_never_see_each_other)
{
	struct it_client a = { 0 }, b = { 0 };
	struct it_resp r;
	long long ua = candidate(&a, "Ann First"), ub = candidate(&b, "Ben Second");
	char *v;

	save(&a, "/account/profile/personal", personal_form, "/account/profile");
	save(&a, "/account/profile/qualifications",
	     "level=gcse&subject=Zqxwvut+studies&institution=Palmer%27s+College&year=2010&"
	     "action=save", "/account/profile/qualifications");

	it_client_get(&b, "/account/profile/personal", &r);
	it_expect_status(&r, 200, "B's personal details");
	ck_assert_ptr_null(strstr(r.body, "Lovelace"));
	ck_assert_ptr_null(strstr(r.body, "RM17 6SL"));
	v = it_input_value(r.body, "first_name");
	ck_assert_str_eq(v, "Ben");
	free(v);
	it_resp_free(&r);
	it_client_get(&b, "/account/profile/qualifications", &r);
	ck_assert_ptr_null(strstr(r.body, "Zqxwvut"));
	it_resp_free(&r);
	it_client_get(&b, "/account/profile/qualifications?item=1", &r);
	it_expect_status(&r, 404, "A's item through B's profile");
	it_resp_free(&r);
	it_client_post(&b, "/account/profile/qualifications/remove", "item=1", &r);
	it_expect_status(&r, 404, "removing A's item through B's profile");
	it_resp_free(&r);
	it_client_get(&b, "/account/profile", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "You have completed 0 of 6 sections"));
	it_resp_free(&r);
	expect_data(ua, "{qualifications,0,subject}", "Zqxwvut studies");
	v = snapshot(ub);
	ck_assert_str_eq(v, "none");
	free(v);
}
END_TEST

START_TEST(script_input_is_escaped)
{
	struct it_client c = { 0 };
	struct it_resp r;
	long long uid = candidate(&c, "Eve Escape");

	save(&c, "/account/profile/personal",
	     "first_name=%3Cscript%3Ealert(1)%3C%2Fscript%3E&last_name=%22%3E%3Cimg+src%3Dx+"
	     "onerror%3Dalert(2)%3E&action=later", "/account/profile");
	expect_data(uid, "{personal,first_name}", "<script>alert(1)</script>");
	save(&c, "/account/profile/qualifications",
	     "level=other&subject=%3Cscript%3Ealert(3)%3C%2Fscript%3E&institution=%3Cb%3EX&"
	     "year=2012&action=save", "/account/profile/qualifications");

	it_client_get(&c, "/account/profile/personal", &r);
	it_expect_status(&r, 200, "personal details");
	ck_assert_ptr_null(strstr(r.body, "<script>alert"));
	ck_assert_ptr_null(strstr(r.body, "<img src=x"));
	ck_assert_ptr_nonnull(strstr(r.body, "&lt;script&gt;alert(1)"));
	it_resp_free(&r);
	it_client_get(&c, "/account/profile/qualifications", &r);
	it_expect_status(&r, 200, "qualifications");
	ck_assert_ptr_null(strstr(r.body, "<script>alert"));
	ck_assert_ptr_null(strstr(r.body, "<b>X"));
	ck_assert_ptr_nonnull(strstr(r.body, "&lt;script&gt;alert(3)"));
	it_resp_free(&r);
	/* Refused input is escaped when shown again, too. */
	get_post(&c, "/account/profile/personal",
		 "first_name=%3Cscript%3Ealert(4)%3C%2Fscript%3E&postcode=%3Cscript%3E&"
		 "action=later", &r);
	it_expect_errors(&r, "postcode", "script in a refused form");
	ck_assert_ptr_null(strstr(r.body, "<script>alert"));
	ck_assert_ptr_null(strstr(r.body, "value=\"<script>"));
	it_resp_free(&r);
}
END_TEST

START_TEST(saving_one_section_keeps_the_others)
{
	struct it_client tab1 = { 0 }, tab2 = { 0 };
	struct it_resp r1, r2;
	char email[128];
	long long uid;

	it_unique_email(email, sizeof email, "tabs");
	uid = it_user_add(email, "Tab User", "candidate", PW, 1);
	it_login(&tab1, email, PW);
	it_login(&tab2, email, PW);
	/* Both tabs load their forms before either saves. */
	it_client_get(&tab1, "/account/profile/personal", &r1);
	it_client_get(&tab2, "/account/profile/professional", &r2);
	it_resp_free(&r1);
	it_resp_free(&r2);
	it_client_post(&tab1, "/account/profile/personal", personal_form, &r1);
	expect_redirect(&r1, "/account/profile", "tab 1");
	it_client_post(&tab2, "/account/profile/professional",
		       "qts=yes&trn=7654321&induction=passed&action=save", &r2);
	expect_redirect(&r2, "/account/profile", "tab 2");
	it_resp_free(&r1);
	it_resp_free(&r2);
	expect_data(uid, "{personal,last_name}", "Lovelace");
	expect_data(uid, "{professional,trn}", "7654321");
	ck_assert(completed(uid, "personal"));
	ck_assert(completed(uid, "professional"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("profile");
	TCase *tc;

	tc = it_tcase("access", 30, it_fixture_server);
	tcase_add_test(tc, visitor_is_sent_to_sign_in);
	tcase_add_test(tc, task_list_prefill_and_scope);
	tcase_add_test(tc, candidates_never_see_each_other);
	suite_add_tcase(s, tc);

	tc = it_tcase("sections", 60, it_fixture_server);
	tcase_add_test(tc, fill_every_section);
	tcase_add_test(tc, refused_input_saves_nothing);
	tcase_add_test(tc, list_add_change_remove);
	tcase_add_test(tc, script_input_is_escaped);
	tcase_add_test(tc, saving_one_section_keeps_the_others);
	suite_add_tcase(s, tc);
	return it_run(s);
}
