/* test_applications_candidate.c - the candidate's side of applications (issue 5): a verified
 * candidate with a profile applies through the real forms (start page, the draft with the
 * profile copied in, every application section, check your answers, submit, the confirmation)
 * and exactly one confirmation and one hiring-manager notification are queued; applying twice
 * makes one application; a closed, expired, draft or unknown vacancy and an unverified
 * candidate are refused with nothing created; the validations of the issue (statement over
 * 1,500 words, one referee, an unexplained gap, sections missing at submit, submitting after
 * the closing time) refuse with an error and change nothing; duplicate submits sent at once
 * make one submitted application, one status event and one email each; another candidate gets
 * 404 on every URL of an application and changes nothing; withdraw needs a reason; a draft can
 * be deleted after a confirmation page; the XSS corpus comes back escaped; equal opportunities
 * answers are kept in their own table, never in applications.data. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"

#define PW "Stanford-le-hope-2024-walk"

static const char xss_script[] = "<script>alert(1)</script>";
static const char xss_attr[] = "\"><img src=x onerror=alert(1)>";

/* --- fixtures ------------------------------------------------------------------------------ */

/* The URN of the n-th school (from 0, in URN order) with (religious) or without a religious
 * character. This file uses plain schools 40 to 44 and religious schools 4 and 5. */
static long school(bool religious, int n)
{
	char sql[256];

	snprintf(sql, sizeof sql, "SELECT urn FROM schools WHERE %scoalesce(religious_character, "
		 "'None') IN ('Does not apply', 'None') ORDER BY urn OFFSET %d LIMIT 1",
		 religious ? "NOT " : "", n);
	return it_psql_long(sql);
}

/* A new candidate (verified or not) signed in on c; their address into email (128 bytes).
 * Returns the id. */
static long long candidate(struct it_client *c, int verified, char *email)
{
	long long id;

	it_unique_email(email, 128, "applicant");
	id = it_user_add(email, "Priya Patel", "candidate", PW, verified);
	it_login(c, email, PW);
	return id;
}

/* A hiring manager of school urn (not signed in); their address into email (128 bytes). */
static void hiring_manager(long urn, char *email)
{
	long long id;

	it_unique_email(email, 128, "hiring");
	id = it_user_add(email, "Harriet Hiring", "school_staff", PW, 1);
	it_membership_add(id, urn, "hiring_manager");
}

/* A new verified candidate signed in on c (their address into email, 128 bytes) with a draft
 * application, complete in every section, to a new live vacancy of plain school n (its id into
 * *vid when vid is not NULL). Returns the application's id. */
static long long draft_to_new_vacancy(struct it_client *c, int n, char *email, long long *vid)
{
	long long v = it_vacancy_add(school(false, n), "published", (char *)NULL);
	long long id = it_application_add(v, candidate(c, 1, email), "draft", "Patel", email);

	if (vid != NULL)
		*vid = v;
	return id;
}

/* Gives candidate uid a complete profile (every profile section marked completed). */
static void profile_add(long long uid, const char *email)
{
	char id[24], data[2048];
	const char *vals[2] = { id, data };

	snprintf(id, sizeof id, "%lld", uid);
	snprintf(data, sizeof data,
		 "{\"personal\": {\"first_name\": \"Priya\", \"last_name\": \"Patel\", "
		 "\"previous_names\": \"\", \"address_line1\": \"2 River View\", \"address_line2\": "
		 "\"\", \"town\": \"Tilbury\", \"postcode\": \"RM18 7AA\", \"phone\": \"07700 "
		 "900456\", \"email\": \"%s\", \"ni_number\": \"\", \"right_to_work\": \"yes\"}, "
		 "\"professional\": {\"qts\": \"yes\", \"qts_expected\": \"\", \"trn\": "
		 "\"7654321\", \"induction\": \"passed\"}, \"qualifications\": [{\"level\": "
		 "\"degree\", \"subject\": \"Theology\", \"grade\": \"2:1\", \"institution\": "
		 "\"University of Kent\", \"year\": \"2016\"}], \"training\": [], \"employment\": "
		 "[{\"employer\": \"St Clere's School\", \"role\": \"Teacher of RE\", \"start\": "
		 "\"2016-09\", \"end\": \"\", \"current\": true, \"duties\": \"Teaching RE to KS3 "
		 "and KS4.\", \"reason_for_leaving\": \"\"}], \"employment_gaps\": {}, "
		 "\"referees\": [{\"name\": \"Rita Referee\", \"job_title\": \"Headteacher\", "
		 "\"organisation\": \"St Clere's School\", \"relationship\": \"Line manager\", "
		 "\"email\": \"rita@example.org\", \"phone\": \"\", \"current_employer\": \"yes\", "
		 "\"contact_before\": false}, {\"name\": \"Sam Second\", \"job_title\": \"Head of "
		 "RE\", \"organisation\": \"Hassenbrook Academy\", \"relationship\": \"Mentor\", "
		 "\"email\": \"sam@example.org\", \"phone\": \"\", \"current_employer\": \"no\", "
		 "\"contact_before\": true}]}",
		 email);
	free(it_psql_params("INSERT INTO candidate_profiles (user_id, data, completed) VALUES "
			    "($1, $2::jsonb, '{personal,professional,qualifications,training,"
			    "employment,referees}')",
			    2, vals));
}

/* A fingerprint of application id (status, data, completed, equal opportunities answers):
 * equal before and after means nothing changed. Caller frees. */
static char *snapshot(long long id)
{
	char *v = it_psql_id("SELECT md5(a.status || a.data::text || a.completed::text || "
			     "coalesce((SELECT to_jsonb(e)::text FROM application_equal_opps e "
			     "WHERE e.application_id = a.id), '')) FROM applications a "
			     "WHERE a.id = $1", id);

	ck_assert_msg(v != NULL, "no application %lld", id);
	return v;
}

/* status_events rows of application id for event. */
static long long nevents(long long id, const char *event)
{
	char sql[192];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM status_events WHERE entity = "
		 "'application' AND entity_id = $1 AND event = '%s'", event);
	return it_psql_id_long(sql, id);
}

/* True when section is marked completed in application id. */
static bool marked(long long id, const char *section)
{
	char sql[160];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM applications WHERE id = $1 AND '%s' = ANY "
		 "(completed)", section);
	return it_psql_id_long(sql, id) == 1;
}

/* --- requests ------------------------------------------------------------------------------ */

/* Fails unless body holds needle. */
static void expect_has(const struct it_resp *r, const char *needle, const char *what)
{
	ck_assert_msg(r->body != NULL && strstr(r->body, needle) != NULL,
		      "%s: the page has no \"%s\": %.3000s", what, needle, r->body);
}

/* "/account/applications/ID<rest>", in one of 8 buffers used in turn (so that one call may
 * take several). */
static const char *app_path(long long id, const char *rest)
{
	static char bufs[8][128];
	static unsigned next;
	char *out = bufs[next++ % 8];

	snprintf(out, sizeof bufs[0], "/account/applications/%lld%s", id, rest);
	return out;
}

/* POSTs form (token added) to path with c, expecting a 303 to prefix. */
static void post_redirect(struct it_client *c, const char *path, const char *form,
			  const char *prefix, const char *what)
{
	struct it_resp r;

	it_client_post(c, path, form, &r);
	it_expect_redirect(&r, prefix, what);
	it_resp_free(&r);
}

/* Starts an application to vacancy vid through the start page's form; returns its id. */
static long long apply(struct it_client *c, long long vid)
{
	char path[64];
	struct it_resp r;
	const char *loc;
	long long id;

	snprintf(path, sizeof path, "/vacancies/%lld/apply", vid);
	it_client_post(c, path, "", &r);
	it_expect_redirect(&r, "/account/applications/", "start an application");
	loc = it_location(&r);
	id = strtoll(loc + strlen("/account/applications/"), NULL, 10);
	ck_assert_msg(id > 0 && strchr(loc + strlen("/account/applications/"), '/') == NULL,
		      "start: redirect to %s", loc);
	it_resp_free(&r);
	return id;
}

/* n words of text, malloc'd. */
static char *words(int n)
{
	struct buf b = { 0 };

	for (int i = 0; i < n; i++)
		buf_puts(&b, i > 0 ? " teach" : "Teach");
	ck_assert_msg(!buf_failed(&b), "out of memory");
	return b.data;
}

/* Fails if body holds either XSS payload unescaped. */
static void expect_no_raw_xss(const struct it_resp *r, const char *what)
{
	ck_assert_msg(strstr(r->body, xss_script) == NULL, "%s: the script payload is raw", what);
	ck_assert_msg(strstr(r->body, "<img src=x") == NULL, "%s: the img payload is raw", what);
}

/* --- the full flow ------------------------------------------------------------------------- */

START_TEST(full_flow_through_the_forms)
{
	char email[128], hm[128], apply_path[64], *form, *v, *before;
	struct it_client c = { 0 };
	struct it_resp r;
	long urn = school(true, 4);
	long long uid, vid, id;

	hiring_manager(urn, hm);
	vid = it_vacancy_add(urn, "published", "title", "Teacher of religious education",
			     (char *)NULL);
	uid = candidate(&c, 1, email);
	profile_add(uid, email);
	snprintf(apply_path, sizeof apply_path, "/vacancies/%lld/apply", vid);

	it_client_get(&c, apply_path, &r);
	it_expect_status(&r, 200, "the start page");
	expect_has(&r, "Teacher of religious education", "the start page");
	expect_has(&r, "Start application", "the start page");
	expect_has(&r, "/account/profile", "the start page");
	it_resp_free(&r);

	id = apply(&c, vid);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM applications WHERE "
					 "candidate_id = $1", uid), 1);
	v = it_psql_id("SELECT data #>> '{personal,first_name}' || '|' || (data #>> "
		       "'{referees,1,name}') FROM applications WHERE id = $1", id);
	ck_assert_str_eq(v, "Priya|Sam Second");
	free(v);
	ck_assert_msg(marked(id, "personal") && marked(id, "referees") && marked(id, "employment"),
		      "the profile's completed marks were not copied");
	ck_assert_msg(!marked(id, "statement"), "statement marked completed at the start");
	ck_assert_int_eq(nevents(id, "create"), 1);

	it_client_get(&c, app_path(id, ""), &r);
	it_expect_status(&r, 200, "the task list");
	expect_has(&r, "govuk-task-list", "the task list");
	expect_has(&r, app_path(id, "/religion"), "the task list of a religious school");
	expect_has(&r, app_path(id, "/documents"), "the task list's documents");
	it_resp_free(&r);
	it_expect_get(&c, app_path(id, "/statement"), 200, "the statement page");

	form = it_form("first_name", "Priya", "last_name", "Patel", "previous_names", "",
		       "address_line1", "2 River View", "address_line2", "", "town", "Tilbury",
		       "postcode", "RM18 7AA", "phone", "07700 900789", "email", email, "ni_number",
		       "", "right_to_work", "yes", "action", "save", (char *)NULL);
	post_redirect(&c, app_path(id, "/personal"), form, app_path(id, ""),
		      "personal details");
	free(form);
	form = it_form("statement", "I have taught religious education for eight years.",
		       "action", "save", (char *)NULL);
	post_redirect(&c, app_path(id, "/statement"), form, app_path(id, ""),
		      "the statement");
	free(form);
	form = it_form("following_religion", "yes", "faith", "Christian", "place_of_worship",
		       "St Mary's, Grays", "religious_referee", "Father Brown", "ethos",
		       "I will support the school's Catholic ethos.", "action", "save",
		       (char *)NULL);
	post_redirect(&c, app_path(id, "/religion"), form, app_path(id, ""),
		      "the religion section");
	free(form);
	post_redirect(&c, app_path(id, "/support"), "needs_support=no&action=save",
		      app_path(id, ""), "support at interview");
	post_redirect(&c, app_path(id, "/declarations"),
		      "close_relationships=no&criminal_record=no&right_to_work_confirmed=yes&"
		      "accurate=yes&action=save",
		      app_path(id, ""), "declarations");
	post_redirect(&c, app_path(id, "/equal_opps"),
		      "disability=no&age_band=30_39&sex=female&gender_identity=yes&"
		      "sexual_orientation=prefer_not_to_say&ethnicity=white&religion=christian&"
		      "action=save",
		      app_path(id, ""), "equal opportunities");

	v = it_psql_id("SELECT data #>> '{personal,phone}' FROM applications WHERE id = $1", id);
	ck_assert_str_eq(v, "07700 900789");
	free(v);
	v = it_psql_id("SELECT data #>> '{personal,phone}' FROM candidate_profiles WHERE "
		       "user_id = $1", uid);
	ck_assert_msg(strcmp(v, "07700 900456") == 0, "the profile changed with the application");
	free(v);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM application_equal_opps WHERE "
					 "application_id = $1 AND sex = 'female' AND religion "
					 "= 'christian'", id), 1);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM applications WHERE id = $1 AND data "
					 "? 'equal_opps'", id), 0);
	ck_assert_msg(marked(id, "equal_opps") && marked(id, "religion") &&
		      marked(id, "declarations"), "sections not marked completed");

	it_client_get(&c, app_path(id, ""), &r);
	it_expect_status(&r, 200, "the completed task list");
	expect_has(&r, app_path(id, "/review"), "the completed task list");
	it_resp_free(&r);
	it_client_get(&c, app_path(id, "/review"), &r);
	it_expect_status(&r, 200, "check your answers");
	expect_has(&r, "I have taught religious education for eight years.", "check your answers");
	expect_has(&r, app_path(id, "/statement"), "check your answers' change link");
	expect_has(&r, app_path(id, "/submit"), "check your answers' submit form");
	it_resp_free(&r);

	ck_assert_int_eq(it_outbox_count(email), 0);
	ck_assert_int_eq(it_outbox_count(hm), 0);
	post_redirect(&c, app_path(id, "/submit"), "", app_path(id, "?submitted=1"),
		      "submit");
	it_expect_application_status(id, "submitted", "after submit");
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM applications WHERE id = $1 AND "
					 "submitted_at IS NOT NULL", id), 1);
	ck_assert_int_eq(nevents(id, "submit"), 1);
	ck_assert_int_eq(it_outbox_count(email), 1);
	ck_assert_int_eq(it_outbox_count(hm), 1);

	it_client_get(&c, app_path(id, "?submitted=1"), &r);
	it_expect_status(&r, 200, "the confirmation");
	expect_has(&r, "govuk-panel--confirmation", "the confirmation");
	expect_has(&r, "I have taught religious education for eight years.", "the sent answers");
	expect_has(&r, "/withdraw", "the withdraw form");
	it_resp_free(&r);

	/* The same form again: the same confirmation, nothing more. */
	post_redirect(&c, app_path(id, "/submit"), "", app_path(id, "?submitted=1"),
		      "a second submit");
	ck_assert_int_eq(nevents(id, "submit"), 1);
	ck_assert_int_eq(it_outbox_count(email), 1);
	ck_assert_int_eq(it_outbox_count(hm), 1);

	/* Sent: read-only. */
	before = snapshot(id);
	it_client_get(&c, app_path(id, "/statement"), &r);
	it_expect_redirect(&r, app_path(id, ""), "a section of a sent application");
	it_resp_free(&r);
	it_client_post(&c, app_path(id, "/statement"), "statement=Changed&action=save", &r);
	it_expect_status(&r, 409, "changing a sent application");
	it_resp_free(&r);
	it_client_get(&c, app_path(id, "/review"), &r);
	it_expect_redirect(&r, app_path(id, ""), "reviewing a sent application");
	it_resp_free(&r);
	v = snapshot(id);
	ck_assert_msg(strcmp(before, v) == 0, "a sent application changed");
	free(v);
	free(before);

	it_client_get(&c, "/account/applications", &r);
	it_expect_status(&r, 200, "the list");
	expect_has(&r, "Teacher of religious education", "the list");
	expect_has(&r, "Submitted", "the list");
	it_resp_free(&r);
}
END_TEST

/* --- starting --------------------------------------------------------------------------- */

START_TEST(applying_twice_makes_one)
{
	char email[128], apply_path[64];
	struct it_client c = { 0 };
	struct it_resp r;
	long long uid, vid, id, again;

	vid = it_vacancy_add(school(false, 40), "published", (char *)NULL);
	uid = candidate(&c, 1, email);
	snprintf(apply_path, sizeof apply_path, "/vacancies/%lld/apply", vid);
	id = apply(&c, vid);
	again = apply(&c, vid);
	ck_assert_int_eq(id, again);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM applications WHERE "
					 "candidate_id = $1", uid), 1);
	ck_assert_int_eq(nevents(id, "create"), 1);
	it_client_get(&c, apply_path, &r);
	it_expect_redirect(&r, app_path(id, ""), "the start page with an application");
	it_resp_free(&r);
	/* Without a profile the draft starts empty. */
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM applications WHERE id = $1 AND data "
					 "= '{}' AND completed = '{}'", id), 1);

	/* The job's page says what became of the application, instead of offering to apply:
	 * a draft to continue, a submitted one with its status and day, a withdrawn one that
	 * cannot be made again. */
	snprintf(apply_path, sizeof apply_path, "/vacancies/%lld", vid);
	for (int k = 0; k < 3; k++) {
		static const char *const says[] = { "Continue your application",
						    "Your application: <strong>Submitted</strong>",
						    "you cannot apply for this job again" };

		if (k == 1)
			it_psql_id_exec("UPDATE applications SET status = 'submitted', "
					"submitted_at = now() WHERE id = $1 RETURNING 1", id);
		if (k == 2)
			it_psql_id_exec("UPDATE applications SET status = 'withdrawn' WHERE "
					"id = $1 RETURNING 1", id);
		it_client_get(&c, apply_path, &r);
		it_expect_status(&r, 200, "the job's page");
		ck_assert_msg(strstr(r.body, says[k]) != NULL, "the job's page does not say \"%s\"",
			      says[k]);
		ck_assert_msg(strstr(r.body, "Apply for this job") == NULL,
			      "the job's page offers to apply again (%s)", says[k]);
		it_resp_free(&r);
	}
}
END_TEST

START_TEST(closed_and_hidden_vacancies_refused)
{
	char email[128], path[64];
	struct it_client c = { 0 };
	struct it_resp r;
	long urn = school(false, 41);
	long long uid, closed, expired, draft, scheduled;

	closed = it_vacancy_add(urn, "closed", (char *)NULL);
	expired = it_vacancy_add(urn, "published", "closes_at", "=now() - interval '1 minute'",
				 (char *)NULL);
	draft = it_vacancy_add(urn, "draft", (char *)NULL);
	scheduled = it_vacancy_add(urn, "scheduled", (char *)NULL);
	uid = candidate(&c, 1, email);

	for (int i = 0; i < 2; i++) {
		long long vid = i == 0 ? closed : expired;

		snprintf(path, sizeof path, "/vacancies/%lld/apply", vid);
		it_client_get(&c, path, &r);
		it_expect_status(&r, 410, "the start page of a closed vacancy");
		expect_has(&r, "Applications for this job have closed", "a closed vacancy");
		it_resp_free(&r);
		it_client_post(&c, path, "", &r);
		it_expect_status(&r, 410, "applying to a closed vacancy");
		it_resp_free(&r);
	}
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "/vacancies/%lld/apply", i == 0 ? draft : scheduled);
		it_expect_get(&c, path, 404, "the start page of an unpublished vacancy");
		it_client_post(&c, path, "", &r);
		it_expect_status(&r, 404, "applying to an unpublished vacancy");
		it_resp_free(&r);
	}
	it_expect_get(&c, "/vacancies/999999999999/apply", 404, "an unknown vacancy");
	it_expect_get(&c, "/vacancies/abc/apply", 404, "a malformed id");
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM applications WHERE "
					 "candidate_id = $1", uid), 0);
}
END_TEST

START_TEST(unverified_candidate_refused)
{
	char email[128], path[64];
	struct it_client c = { 0 };
	struct it_resp r;
	long long uid, vid;

	vid = it_vacancy_add(school(false, 40), "published", (char *)NULL);
	uid = candidate(&c, 0, email);
	snprintf(path, sizeof path, "/vacancies/%lld/apply", vid);
	it_client_get(&c, path, &r);
	it_expect_status(&r, 403, "the start page, unverified");
	expect_has(&r, "Confirm your email address", "the unverified page");
	expect_has(&r, "action=\"/account/verify/resend\"", "the unverified page's resend button");
	it_resp_free(&r);
	it_client_post(&c, path, "", &r);
	it_expect_status(&r, 403, "applying unverified");
	it_resp_free(&r);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM applications WHERE "
					 "candidate_id = $1", uid), 0);
}
END_TEST

/* --- validations -------------------------------------------------------------------------- */

START_TEST(statement_over_1500_words)
{
	char email[128], *text, *form, *before, *after;
	struct it_client c = { 0 };
	struct it_resp r;
	long long id;

	id = draft_to_new_vacancy(&c, 42, email, NULL);
	it_psql_id_exec("UPDATE applications SET completed = array_remove(completed, 'statement') "
			"WHERE id = $1", id);
	before = snapshot(id);
	text = words(1501);
	form = it_form("statement", text, "action", "save", (char *)NULL);
	it_client_post(&c, app_path(id, "/statement"), form, &r);
	it_expect_errors(&r, "statement", "a statement of 1,501 words");
	it_resp_free(&r);
	after = snapshot(id);
	ck_assert_msg(strcmp(before, after) == 0, "a refused statement changed the application");
	free(text);
	free(form);
	free(after);

	text = words(1500);
	form = it_form("statement", text, "action", "save", (char *)NULL);
	post_redirect(&c, app_path(id, "/statement"), form, app_path(id, ""),
		      "a statement of 1,500 words");
	ck_assert_msg(marked(id, "statement"), "a statement of 1,500 words not completed");
	free(text);
	free(form);
	free(before);
}
END_TEST

START_TEST(one_referee_is_not_enough)
{
	char email[128];
	struct it_client c = { 0 };
	struct it_resp r;
	long long id;

	id = draft_to_new_vacancy(&c, 42, email, NULL);
	it_psql_id_exec("UPDATE applications SET data = jsonb_set(data, '{referees}', "
			"(data->'referees') - 1), completed = array_remove(completed, 'referees') "
			"WHERE id = $1", id);
	it_client_post(&c, app_path(id, "/referees"), "complete=yes", &r);
	it_expect_errors(&r, NULL, "completing referees with one referee");
	it_resp_free(&r);
	ck_assert_msg(!marked(id, "referees"), "one referee marked completed");

	/* A second one, then the list is complete. */
	post_redirect(&c, app_path(id, "/referees"),
		      "name=Sam+Second&job_title=Deputy+head&organisation=Ockendon+Academy&"
		      "relationship=Former+colleague&email=sam%40example.org&phone=&"
		      "current_employer=no",
		      app_path(id, "/referees"), "adding a referee");
	post_redirect(&c, app_path(id, "/referees"), "complete=yes", app_path(id, ""),
		      "completing referees with two");
	ck_assert_msg(marked(id, "referees"), "two referees not completed");
	ck_assert_int_eq(it_psql_id_long("SELECT jsonb_array_length(data->'referees') FROM "
					 "applications WHERE id = $1", id), 2);
}
END_TEST

/* The name of the first gap_ input of html ("gap_2017-08_2018-08"), malloc'd. */
static char *gap_field(const char *html)
{
	const char *p = strstr(html, "name=\"gap_"), *end;
	char *out;

	ck_assert_msg(p != NULL, "the employment page asks for no gap: %.3000s", html);
	p += strlen("name=\"");
	end = strchr(p, '"');
	ck_assert_ptr_nonnull(end);
	out = strndup(p, (size_t)(end - p));
	ck_assert_ptr_nonnull(out);
	return out;
}

START_TEST(employment_gap_must_be_explained)
{
	char email[128], *name, *form, *v;
	struct it_client c = { 0 };
	struct it_resp r;
	long long id;

	id = draft_to_new_vacancy(&c, 43, email, NULL);
	/* Degree 2015, a job from September 2015 to July 2017, the next from September 2018. */
	it_psql_id_exec("UPDATE applications SET data = jsonb_set(data, '{employment}', "
			"'[{\"employer\": \"Gable Hall School\", \"role\": \"Teacher\", \"start\": "
			"\"2015-09\", \"end\": \"2017-07\", \"current\": false, \"duties\": "
			"\"Teaching.\", \"reason_for_leaving\": \"Travelling\"}, {\"employer\": "
			"\"Ockendon Academy\", \"role\": \"Teacher\", \"start\": \"2018-09\", "
			"\"end\": \"\", \"current\": true, \"duties\": \"Teaching.\", "
			"\"reason_for_leaving\": \"\"}]'), completed = array_remove(completed, "
			"'employment') WHERE id = $1", id);

	it_client_post(&c, app_path(id, "/employment"), "complete=yes", &r);
	it_expect_errors(&r, NULL, "completing employment with a gap not explained");
	it_resp_free(&r);
	ck_assert_msg(!marked(id, "employment"), "an unexplained gap marked completed");

	it_client_get(&c, app_path(id, "/employment"), &r);
	it_expect_status(&r, 200, "the employment page");
	name = gap_field(r.body);
	it_resp_free(&r);
	form = it_form(name, "I travelled in South America for a year.", "complete", "yes",
		       (char *)NULL);
	post_redirect(&c, app_path(id, "/employment"), form, app_path(id, ""),
		      "completing employment with the gap explained");
	ck_assert_msg(marked(id, "employment"), "an explained gap not completed");
	v = it_psql_id("SELECT count(*) FROM applications a, "
		       "jsonb_each_text(a.data->'employment_gaps') g WHERE a.id = $1 AND g.value "
		       "LIKE 'I travelled%'", id);
	ck_assert_str_eq(v, "1");
	free(v);
	free(form);
	free(name);
}
END_TEST

START_TEST(submit_with_sections_missing)
{
	char email[128];
	struct it_client c = { 0 };
	struct it_resp r;
	long long id;

	id = draft_to_new_vacancy(&c, 43, email, NULL);
	it_psql_id_exec("UPDATE applications SET completed = array_remove(completed, 'statement') "
			"WHERE id = $1", id);
	it_client_get(&c, app_path(id, "/review"), &r);
	it_expect_status(&r, 200, "review with a section missing");
	expect_has(&r, app_path(id, "/statement"), "the missing section's link");
	ck_assert_msg(strstr(r.body, app_path(id, "/submit")) == NULL,
		      "the submit form is offered with a section missing");
	it_resp_free(&r);
	it_client_post(&c, app_path(id, "/submit"), "", &r);
	it_expect_errors(&r, "section-statement", "submitting with the statement not completed");
	it_resp_free(&r);
	it_expect_application_status(id, "draft", "a refused submit");
	ck_assert_int_eq(nevents(id, "submit"), 0);
	ck_assert_int_eq(it_outbox_count(email), 0);
}
END_TEST

START_TEST(submit_after_closing)
{
	char email[128], *before, *after;
	struct it_client c = { 0 };
	struct it_resp r;
	long long vid, id;

	id = draft_to_new_vacancy(&c, 44, email, &vid);
	it_psql_id_exec("UPDATE vacancies SET closes_at = now() - interval '1 minute' "
			"WHERE id = $1", vid);
	before = snapshot(id);

	it_client_post(&c, app_path(id, "/submit"), "", &r);
	it_expect_status(&r, 409, "submitting after the closing time");
	expect_has(&r, "closed", "submitting after the closing time");
	it_resp_free(&r);
	it_expect_application_status(id, "draft", "a submit after closing");
	ck_assert_int_eq(nevents(id, "submit"), 0);
	ck_assert_int_eq(it_outbox_count(email), 0);

	it_client_get(&c, app_path(id, ""), &r);
	it_expect_status(&r, 200, "the task list after closing");
	expect_has(&r, "This job closed", "the task list after closing");
	it_resp_free(&r);
	it_client_get(&c, app_path(id, "/statement"), &r);
	it_expect_redirect(&r, app_path(id, ""), "a section after closing");
	it_resp_free(&r);
	it_client_post(&c, app_path(id, "/statement"), "statement=Late&action=save", &r);
	it_expect_status(&r, 409, "saving a section after closing");
	it_resp_free(&r);
	after = snapshot(id);
	ck_assert_msg(strcmp(before, after) == 0, "a closed vacancy's draft changed");
	free(before);
	free(after);
}
END_TEST

/* --- exactly once ------------------------------------------------------------------------ */

START_TEST(concurrent_submits_make_one)
{
	enum { N = 8 };
	char email[128], hm[128], path[128], cookie[768], *form;
	struct it_client c = { 0 };
	struct it_resp resp[N];
	const char *hdrs[2] = { cookie, NULL };
	long urn = school(false, 44);
	long long uid, vid, id;
	int n = 0;

	hiring_manager(urn, hm);
	vid = it_vacancy_add(urn, "published", (char *)NULL);
	uid = candidate(&c, 1, email);
	id = it_application_add(vid, uid, "draft", "Patel", email);
	n = snprintf(cookie, sizeof cookie, "Cookie: ");
	for (size_t i = 0; i < c.ncookies; i++)
		n += snprintf(cookie + n, sizeof cookie - (size_t)n, "%s%s=%s", i > 0 ? "; " : "",
			      c.cookies[i].name, c.cookies[i].value);
	ck_assert_msg((size_t)n < sizeof cookie, "cookies too long");
	form = it_form("csrf_token", c.csrf, (char *)NULL);
	snprintf(path, sizeof path, "%s", app_path(id, "/submit"));

	it_post_at_once(path, form, hdrs, N, resp);
	for (int i = 0; i < N; i++) {
		it_expect_redirect(&resp[i], app_path(id, "?submitted=1"), "a concurrent submit");
		it_resp_free(&resp[i]);
	}
	free(form);

	it_expect_application_status(id, "submitted", "after concurrent submits");
	ck_assert_int_eq(nevents(id, "submit"), 1);
	ck_assert_int_eq(it_outbox_count(email), 1);
	ck_assert_int_eq(it_outbox_count(hm), 1);
}
END_TEST

/* --- another candidate ----------------------------------------------------------------------- */

START_TEST(other_candidate_gets_404)
{
	static const char *const gets[] = { "", "/review", "/statement", "/referees",
					    "/documents", "/equal_opps" };
	static const struct {
		const char *rest;
		const char *form;
	} posts[] = {
		{ "/statement", "statement=Mine+now&action=save" },
		{ "/referees/remove", "item=0" },
		{ "/equal_opps", "disability=no&age_band=30_39&sex=male&gender_identity=yes&"
				 "sexual_orientation=other&ethnicity=white&religion=none&action=save" },
		{ "/submit", "" },
		{ "/withdraw", "reason=Not+mine" },
		{ "/delete", "confirm=yes" },
	};
	char email_a[128], email_b[128], *before[2], *after;
	struct it_client a = { 0 }, b = { 0 };
	struct it_resp r;
	long urn = school(false, 40);
	long long ua, vid1, vid2, ids[2];

	vid1 = it_vacancy_add(urn, "published", (char *)NULL);
	vid2 = it_vacancy_add(urn, "published", (char *)NULL);
	ua = candidate(&a, 1, email_a);
	candidate(&b, 1, email_b);
	ids[0] = it_application_add(vid1, ua, "draft", "Able", email_a);
	ids[1] = it_application_add(vid2, ua, "submitted", "Able", email_a);
	for (int k = 0; k < 2; k++) {
		before[k] = snapshot(ids[k]);
		for (size_t i = 0; i < sizeof gets / sizeof gets[0]; i++) {
			const char *path = app_path(ids[k], gets[i]);

			it_client_get(&b, path, &r);
			it_expect_status(&r, 404, path);
			ck_assert_msg(strstr(r.body, "Able") == NULL, "%s: shows the owner", path);
			it_resp_free(&r);
		}
		for (size_t i = 0; i < sizeof posts / sizeof posts[0]; i++) {
			const char *path = app_path(ids[k], posts[i].rest);

			it_client_post(&b, path, posts[i].form, &r);
			it_expect_status(&r, 404, path);
			it_resp_free(&r);
		}
		after = snapshot(ids[k]);
		ck_assert_msg(strcmp(before[k], after) == 0, "another candidate changed application "
			      "%lld", ids[k]);
		free(after);
		free(before[k]);
	}
	it_client_get(&b, "/account/applications", &r);
	it_expect_status(&r, 200, "the other candidate's list");
	ck_assert_msg(strstr(r.body, app_path(ids[0], "")) == NULL &&
		      strstr(r.body, app_path(ids[1], "")) == NULL,
		      "another candidate's applications are listed");
	it_resp_free(&r);
	/* The owner still sees both. */
	it_expect_get(&a, app_path(ids[0], ""), 200, "the owner's draft");
	it_expect_get(&a, app_path(ids[1], ""), 200, "the owner's sent application");
}
END_TEST

/* --- withdraw and delete ---------------------------------------------------------------------- */

START_TEST(withdraw_needs_a_reason)
{
	char email[128], hm[128], *long_reason, *form, *v;
	struct it_client c = { 0 };
	struct it_resp r;
	long urn = school(false, 41);
	long long uid, vid, id, draft;

	hiring_manager(urn, hm);
	vid = it_vacancy_add(urn, "published", (char *)NULL);
	uid = candidate(&c, 1, email);
	id = it_application_add(vid, uid, "submitted", "Patel", email);
	draft = it_application_add(it_vacancy_add(urn, "published", (char *)NULL), uid, "draft",
				   "Patel", email);

	it_client_post(&c, app_path(id, "/withdraw"), "reason=++", &r);
	it_expect_errors(&r, "reason", "withdrawing without a reason");
	it_resp_free(&r);
	long_reason = calloc(1, 1002);
	ck_assert_ptr_nonnull(long_reason);
	memset(long_reason, 'x', 1001);
	form = it_form("reason", long_reason, (char *)NULL);
	it_client_post(&c, app_path(id, "/withdraw"), form, &r);
	it_expect_errors(&r, "reason", "withdrawing with 1,001 characters");
	ck_assert_msg(strstr(r.body, long_reason) != NULL, "the typed reason is not kept");
	it_resp_free(&r);
	free(form);
	free(long_reason);
	it_expect_application_status(id, "submitted", "refused withdrawals");
	ck_assert_int_eq(nevents(id, "withdraw"), 0);

	post_redirect(&c, app_path(id, "/withdraw"),
		      "reason=I+have+accepted+another+post.",
		      app_path(id, "?withdrawn=1"), "withdrawing");
	it_expect_application_status(id, "withdrawn", "after withdrawing");
	v = it_psql_id("SELECT withdrawn_reason FROM applications WHERE id = $1", id);
	ck_assert_str_eq(v, "I have accepted another post.");
	free(v);
	ck_assert_int_eq(nevents(id, "withdraw"), 1);
	ck_assert_int_eq(it_outbox_count(hm), 1);
	it_client_get(&c, app_path(id, "?withdrawn=1"), &r);
	it_expect_status(&r, 200, "a withdrawn application");
	expect_has(&r, "You have withdrawn your application", "the banner");
	expect_has(&r, "I have accepted another post.", "the reason");
	ck_assert_msg(strstr(r.body, "/withdraw\"") == NULL,
		      "a withdrawn application offers withdrawing again");
	it_resp_free(&r);

	it_client_post(&c, app_path(id, "/withdraw"), "reason=Again", &r);
	it_expect_status(&r, 409, "withdrawing twice");
	it_resp_free(&r);
	it_client_post(&c, app_path(draft, "/withdraw"), "reason=Draft", &r);
	it_expect_status(&r, 409, "withdrawing a draft");
	it_resp_free(&r);
	it_expect_application_status(draft, "draft", "a draft after a refused withdrawal");
	ck_assert_int_eq(nevents(id, "withdraw"), 1);
}
END_TEST

START_TEST(delete_a_draft)
{
	char email[128];
	struct it_client c = { 0 };
	struct it_resp r;
	long urn = school(false, 42);
	long long uid, id, sent;

	uid = candidate(&c, 1, email);
	id = it_application_add(it_vacancy_add(urn, "published", (char *)NULL), uid, "draft",
				"Patel", email);
	sent = it_application_add(it_vacancy_add(urn, "published", (char *)NULL), uid, "submitted",
				  "Patel", email);

	it_client_get(&c, app_path(id, ""), &r);
	it_expect_status(&r, 200, "the task list");
	expect_has(&r, "Delete this draft", "the task list's delete button");
	it_resp_free(&r);
	it_client_post(&c, app_path(id, "/delete"), "", &r);
	it_expect_status(&r, 200, "the confirmation page");
	expect_has(&r, "Are you sure", "the confirmation page");
	expect_has(&r, "name=\"confirm\" value=\"yes\"", "the confirmation page");
	it_resp_free(&r);
	it_expect_application_status(id, "draft", "before confirming");

	post_redirect(&c, app_path(id, "/delete"), "confirm=yes",
		      "/account/applications?deleted=1", "deleting the draft");
	it_expect_application_status(id, "(gone)", "after deleting");
	it_expect_get(&c, app_path(id, ""), 404, "a deleted draft");
	it_client_get(&c, "/account/applications?deleted=1", &r);
	it_expect_status(&r, 200, "the list after deleting");
	expect_has(&r, "Your draft application has been deleted", "the list's banner");
	it_resp_free(&r);

	it_client_post(&c, app_path(sent, "/delete"), "confirm=yes", &r);
	it_expect_status(&r, 409, "deleting a sent application");
	it_resp_free(&r);
	it_expect_application_status(sent, "submitted",
				     "a sent application after a refused delete");
}
END_TEST

/* --- the list, sections that do not exist, XSS ------------------------------------------------ */

START_TEST(list_and_unknown_sections)
{
	char email[128];
	struct it_client c = { 0 };
	struct it_resp r;
	long plain = school(false, 43), religious = school(true, 5);
	long long uid, old, faith, draft;
	const char *p_old, *p_recent;

	uid = candidate(&c, 1, email);
	old = it_application_add(it_vacancy_add(plain, "published", "title", "Teacher of art",
						(char *)NULL),
				 uid, "shortlisted", "Patel", email);
	it_application_add(it_vacancy_add(plain, "published", "title", "Teacher of music",
					  (char *)NULL),
			   uid, "submitted", "Patel", email);
	faith = it_application_add(it_vacancy_add(religious, "published", "title",
						  "Teacher of history", (char *)NULL),
				   uid, "draft", "Patel", email);
	draft = it_application_add(it_vacancy_add(plain, "published", (char *)NULL), uid, "draft",
				   "Patel", email);
	it_psql_id_exec("UPDATE applications SET created_at = now() - interval '3 days' "
			"WHERE id = $1", old);

	it_client_get(&c, "/account/applications", &r);
	it_expect_status(&r, 200, "the list");
	expect_has(&r, "Teacher of history", "the list's draft");
	expect_has(&r, "Shortlisted", "the list's statuses");
	expect_has(&r, "/account/profile", "the list's profile link");
	p_old = strstr(r.body, "Teacher of art");
	p_recent = strstr(r.body, "Teacher of music");
	ck_assert_msg(p_old != NULL && p_recent != NULL && p_recent < p_old,
		      "the sent applications are not newest first");
	it_resp_free(&r);

	it_expect_get(&c, app_path(faith, "/religion"), 200, "religion, religious school");
	it_expect_get(&c, app_path(faith, "/nonsense"), 404, "an unknown section");
	it_expect_get(&c, app_path(faith, "/data"), 404, "not a section");
	it_expect_get(&c, app_path(draft, "/religion"), 404,
		      "religion, school without a religious character");
	it_client_post(&c, app_path(draft, "/religion"),
		       "following_religion=no&ethos=Yes&action=save", &r);
	it_expect_status(&r, 404, "saving religion, school without a religious character");
	it_resp_free(&r);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM applications WHERE id = $1 AND data "
					 "? 'religion'", draft), 0);
	it_expect_get(&c, "/account/applications/0", 404, "application 0");
	it_expect_get(&c, "/account/applications/abc", 404, "a malformed id");
}
END_TEST

START_TEST(xss_comes_back_escaped)
{
	static const char *const pages[] = { "", "/review", "/statement", "/support", "/personal" };
	char email[128], apply_path[64], text[256], *form;
	struct it_client c = { 0 };
	struct it_resp r;
	long urn = school(false, 44);
	long long uid, vid, id;

	vid = it_vacancy_add(urn, "published", "title", xss_script, (char *)NULL);
	uid = candidate(&c, 1, email);
	snprintf(apply_path, sizeof apply_path, "/vacancies/%lld/apply", vid);
	it_client_get(&c, apply_path, &r);
	it_expect_status(&r, 200, "the start page");
	expect_no_raw_xss(&r, "the start page");
	it_resp_free(&r);
	id = it_application_add(vid, uid, "draft", "Patel", email);

	snprintf(text, sizeof text, "I teach. %s %s", xss_script, xss_attr);
	form = it_form("statement", text, "action", "save", (char *)NULL);
	post_redirect(&c, app_path(id, "/statement"), form, app_path(id, ""),
		      "a statement with markup");
	free(form);
	form = it_form("first_name", xss_script, "last_name", xss_attr, "previous_names", xss_script,
		       "address_line1", xss_attr, "address_line2", "", "town", "Grays", "postcode",
		       "RM17 6XX", "phone", "07700 900123", "email", email, "ni_number", "",
		       "right_to_work", "yes", "action", "save", (char *)NULL);
	post_redirect(&c, app_path(id, "/personal"), form, app_path(id, ""),
		      "personal details with markup");
	free(form);
	form = it_form("needs_support", "yes", "support_details", xss_attr, "action", "save",
		       (char *)NULL);
	post_redirect(&c, app_path(id, "/support"), form, app_path(id, ""),
		      "support details with markup");
	free(form);

	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		const char *path = app_path(id, pages[i]);

		it_client_get(&c, path, &r);
		it_expect_status(&r, 200, path);
		expect_no_raw_xss(&r, path);
		it_resp_free(&r);
	}
	it_client_get(&c, app_path(id, "/review"), &r);
	expect_has(&r, "&lt;script&gt;alert(1)&lt;/script&gt;", "the escaped statement");
	it_resp_free(&r);

	post_redirect(&c, app_path(id, "/submit"), "", app_path(id, "?submitted=1"),
		      "submitting");
	form = it_form("reason", xss_script, (char *)NULL);
	post_redirect(&c, app_path(id, "/withdraw"), form, app_path(id, ""),
		      "withdrawing with markup");
	free(form);
	it_client_get(&c, app_path(id, ""), &r);
	it_expect_status(&r, 200, "the sent application");
	expect_no_raw_xss(&r, "the sent application");
	expect_has(&r, "&lt;script&gt;alert(1)&lt;/script&gt;", "the escaped reason");
	it_resp_free(&r);
	it_client_get(&c, "/account/applications", &r);
	it_expect_status(&r, 200, "the list");
	expect_no_raw_xss(&r, "the list");
	it_resp_free(&r);
}
END_TEST

static Suite *applications_candidate_suite(void)
{
	Suite *s = suite_create("applications_candidate");
	TCase *tc;

	tc = it_tcase("flow", 60, it_fixture_server);
	tcase_add_test(tc, full_flow_through_the_forms);
	tcase_add_test(tc, applying_twice_makes_one);
	tcase_add_test(tc, closed_and_hidden_vacancies_refused);
	tcase_add_test(tc, unverified_candidate_refused);
	suite_add_tcase(s, tc);

	tc = it_tcase("validations", 60, it_fixture_server);
	tcase_add_test(tc, statement_over_1500_words);
	tcase_add_test(tc, one_referee_is_not_enough);
	tcase_add_test(tc, employment_gap_must_be_explained);
	tcase_add_test(tc, submit_with_sections_missing);
	tcase_add_test(tc, submit_after_closing);
	suite_add_tcase(s, tc);

	tc = it_tcase("integrity", 60, it_fixture_server);
	tcase_add_test(tc, concurrent_submits_make_one);
	tcase_add_test(tc, other_candidate_gets_404);
	tcase_add_test(tc, withdraw_needs_a_reason);
	tcase_add_test(tc, delete_a_draft);
	tcase_add_test(tc, list_and_unknown_sections);
	tcase_add_test(tc, xss_comes_back_escaped);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(applications_candidate_suite());
}
