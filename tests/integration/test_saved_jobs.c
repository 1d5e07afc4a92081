/* test_saved_jobs.c - a candidate's saved jobs, against the real server and PostgreSQL:
 *  - a live vacancy's page offers a candidate "Save this job" (a POST form), a visitor a link to
 *    sign in and come back, staff nothing; saving needs a session (401) and the CSRF token
 *    (403), and a staff account may not (403): none of these stores anything;
 *  - saving goes back to the page, which then says the job is saved and offers to remove it;
 *    saving twice keeps one entry; drafts, closed, unknown and malformed ids are 404 and store
 *    nothing; the form's "from" can send back to the list only, never elsewhere;
 *  - the list (/account/saved-jobs) shows open jobs closing soonest first, then closed ones
 *    under their own heading, only the candidate's own, with an empty state;
 *  - removing goes back to the list (with a banner) or the page; removing twice is harmless;
 *  - a list holds at most SAVED_JOBS_MAX jobs: one more is a 409 that stores nothing;
 *  - saved jobs closing within two days that were saved a day or more ago and not applied for
 *    are reminded of once, in one email per candidate (not to a disabled account, nor to one
 *    that turned these reminders off).
 * Export and deletion of saved jobs: test_applications_data.c.
 *
 * This file uses the schools 35 to 37 (in URN order). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "saved_jobs.h"

#define PASSWORD "a long enough passphrase 4 saving"

/* How many jobs user has saved. */
static long saved_count(long long user)
{
	return it_psql_id_long("SELECT count(*) FROM saved_vacancies WHERE user_id = $1", user);
}

/* POSTs the save (or, when remove, the remove) form of vacancy id on c, with form fields
 * `extra` ("" for none) and c's CSRF token; fills r. */
static void post_save(struct it_client *c, long long id, bool remove, const char *extra,
		      struct it_resp *r)
{
	char path[64];

	snprintf(path, sizeof path, "/vacancies/%lld/%s", id, remove ? "unsave" : "save");
	it_client_post(c, path, extra, r);
}

/* GETs vacancy id's page on c into r (status 200 expected). */
static void get_vacancy(struct it_client *c, long long id, struct it_resp *r)
{
	char path[64];

	snprintf(path, sizeof path, "/vacancies/%lld", id);
	it_client_get(c, path, r);
	it_expect_status(r, 200, "the vacancy page");
}

START_TEST(save_list_and_remove)
{
	struct it_client cand = { 0 }, other = { 0 }, visitor = { 0 }, staff = { 0 };
	char word[IT_WORD_LEN], title_a[64], title_b[64], want[160], path[64];
	long urn = it_school(35);
	long long me, you, a, b, draft, closed;
	const char *pa, *pb, *pc;
	struct it_resp r;

	it_unique_word(word);
	snprintf(title_a, sizeof title_a, "Teacher of %s later", word);
	snprintf(title_b, sizeof title_b, "Teacher of %s sooner", word);
	a = it_vacancy_add(urn, "published", "title", title_a, (char *)NULL);
	b = it_vacancy_add(urn, "published", "title", title_b, "closes_at",
			   "=now() + interval '10 days'", (char *)NULL);
	draft = it_vacancy_add(urn, "draft", (char *)NULL);
	closed = it_vacancy_add(urn, "closed", (char *)NULL);
	me = it_user_signed_in(&cand, "candidate", "Sam Saver", PASSWORD, NULL);
	you = it_user_signed_in(&other, "candidate", "Olu Other", PASSWORD, NULL);
	it_membership_add(it_user_signed_in(&staff, "school_staff", "Hana Hiring", PASSWORD, NULL),
			  urn, "hiring_manager");

	/* A visitor is offered to sign in and come back; cannot save. */
	get_vacancy(&visitor, a, &r);
	snprintf(want, sizeof want, "href=\"/account/login?next=%%2Fvacancies%%2F%lld\">Sign in to "
		 "save this job</a>", a);
	ck_assert_msg(strstr(r.body, want) != NULL, "no sign-in link to save the job");
	ck_assert_msg(strstr(r.body, "Save this job</button>") == NULL, "a visitor has a button");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/vacancies/%lld/save", a);
	it_client_request(&visitor, "POST", path, "", NULL, &r);
	it_expect_status(&r, 401, "a visitor's save");
	it_resp_free(&r);

	/* Staff see no button and may not save. */
	get_vacancy(&staff, a, &r);
	ck_assert_msg(strstr(r.body, "save this job") == NULL &&
		      strstr(r.body, "Save this job") == NULL, "staff are offered to save");
	it_resp_free(&r);
	post_save(&staff, a, false, "", &r);
	it_expect_status(&r, 403, "a staff account's save");
	it_resp_free(&r);

	/* A candidate sees the button; without the CSRF token nothing is saved. */
	get_vacancy(&cand, a, &r);
	snprintf(want, sizeof want, "action=\"/vacancies/%lld/save\" method=\"post\"", a);
	ck_assert_msg(strstr(r.body, want) != NULL && strstr(r.body, "Save this job</button>"),
		      "no save button for a candidate");
	it_resp_free(&r);
	it_client_request(&cand, "POST", path, "", NULL, &r);
	it_expect_status(&r, 403, "a save without the CSRF token");
	it_resp_free(&r);
	ck_assert_int_eq(saved_count(me), 0);

	/* Saved, back to the page, which says so; twice is once. */
	post_save(&cand, a, false, "", &r);
	snprintf(want, sizeof want, "/vacancies/%lld", a);
	it_expect_redirect(&r, want, "saving");
	ck_assert_str_eq(it_location(&r), want);
	it_resp_free(&r);
	get_vacancy(&cand, a, &r);
	snprintf(want, sizeof want, "action=\"/vacancies/%lld/unsave\" method=\"post\"", a);
	ck_assert_msg(strstr(r.body, "You have saved this job.") != NULL &&
		      strstr(r.body, want) != NULL &&
		      strstr(r.body, "Remove from saved jobs</button>") != NULL,
		      "the page does not say the job is saved");
	it_resp_free(&r);
	post_save(&cand, a, false, "", &r);
	it_expect_status(&r, 303, "saving again");
	it_resp_free(&r);
	ck_assert_int_eq(saved_count(me), 1);

	/* From the list, back to the list; "from" names nowhere else. */
	post_save(&cand, b, false, "from=saved", &r);
	it_expect_redirect(&r, "/account/saved-jobs", "saving from the list");
	it_resp_free(&r);
	post_save(&cand, b, false, "from=https%3A%2F%2Fevil.example%2F", &r);
	snprintf(want, sizeof want, "/vacancies/%lld", b);
	it_expect_status(&r, 303, "saving with a foreign from");
	ck_assert_str_eq(it_location(&r), want);
	it_resp_free(&r);

	/* Only live vacancies can be saved. */
	post_save(&cand, draft, false, "", &r);
	it_expect_status(&r, 404, "saving a draft");
	it_resp_free(&r);
	post_save(&cand, closed, false, "", &r);
	it_expect_status(&r, 404, "saving a closed job");
	ck_assert_msg(strstr(r.body, "cannot be saved") != NULL, "no reason given");
	it_resp_free(&r);
	post_save(&cand, 999999999999LL, false, "", &r);
	it_expect_status(&r, 404, "saving an unknown job");
	it_resp_free(&r);
	it_client_post(&cand, "/vacancies/1%27%20OR%201=1--/save", "", &r);
	it_expect_status(&r, 404, "saving a malformed id");
	it_resp_free(&r);
	ck_assert_int_eq(saved_count(me), 2);

	/* The list: open ones closing soonest first. */
	it_client_get(&cand, "/account/saved-jobs", &r);
	it_expect_status(&r, 200, "the list");
	pa = strstr(r.body, title_a);
	pb = strstr(r.body, title_b);
	ck_assert_msg(pa != NULL && pb != NULL && pb < pa, "B (closing sooner) is not before A");
	ck_assert_msg(strstr(r.body, "Open for applications") != NULL &&
		      strstr(r.body, ">Closed</h2>") == NULL, "the groups are wrong");
	ck_assert_msg(strstr(r.body, "aria-current=\"page\"><strong class=\"govuk-service-"
				     "navigation__active-fallback\">Saved jobs") != NULL,
		      "the navigation does not show the page");
	ck_assert_msg(strstr(r.body, "Your application:") == NULL, "an application no one made");
	it_resp_free(&r);

	/* Applied for B: the list says so, with a link to the application; the other
	 * candidate's application to A is not theirs to show. */
	{
		long long mine = it_application_add(b, me, "submitted", "Saver",
						    "saver@example.org");

		it_application_add(a, you, "submitted", "Other", "other@example.org");
		it_client_get(&cand, "/account/saved-jobs", &r);
		snprintf(want, sizeof want, "Your application: <strong>Submitted</strong>. <a "
			 "class=\"govuk-link\" href=\"/account/applications/%lld\">", mine);
		ck_assert_msg(strstr(r.body, want) != NULL,
			      "the list does not say B was applied for");
		ck_assert_msg(strstr(strstr(r.body, want) + 1, "Your application:") == NULL,
			      "the list says A was applied for");
		it_resp_free(&r);
	}

	/* A closes: it moves to the closed group; the other candidate sees neither. */
	it_psql_id_exec("UPDATE vacancies SET closes_at = now() - interval '1 minute' WHERE "
			"id = $1", a);
	it_client_get(&cand, "/account/saved-jobs", &r);
	it_expect_status(&r, 200, "the list");
	pa = strstr(r.body, title_a);
	pb = strstr(r.body, title_b);
	pc = strstr(r.body, ">Closed</h2>");
	ck_assert_msg(pa != NULL && pb != NULL && pc != NULL && pb < pc && pc < pa,
		      "the closed job is not under Closed");
	it_resp_free(&r);
	it_client_get(&other, "/account/saved-jobs", &r);
	it_expect_status(&r, 200, "someone else's list");
	ck_assert_msg(strstr(r.body, word) == NULL &&
		      strstr(r.body, "You have no saved jobs.") != NULL,
		      "another candidate sees these jobs");
	it_resp_free(&r);
	ck_assert_int_eq(saved_count(you), 0);

	/* Removing from the list (a closed job too), twice, and from the page. */
	it_client_get(&cand, "/account/saved-jobs", &r);
	it_resp_free(&r);
	post_save(&cand, a, true, "from=saved", &r);
	it_expect_status(&r, 303, "removing");
	ck_assert_str_eq(it_location(&r), "/account/saved-jobs?removed=1");
	it_resp_free(&r);
	it_client_get(&cand, "/account/saved-jobs?removed=1", &r);
	ck_assert_msg(strstr(r.body, "The job has been removed from your saved jobs") != NULL &&
		      strstr(r.body, title_a) == NULL, "no banner, or the job is still listed");
	it_resp_free(&r);
	post_save(&cand, a, true, "from=saved", &r);
	it_expect_status(&r, 303, "removing again");
	it_resp_free(&r);
	post_save(&cand, b, true, "", &r);
	snprintf(want, sizeof want, "/vacancies/%lld", b);
	it_expect_status(&r, 303, "removing from the page");
	ck_assert_str_eq(it_location(&r), want);
	it_resp_free(&r);
	ck_assert_int_eq(saved_count(me), 0);
	it_client_get(&cand, "/account/saved-jobs", &r);
	ck_assert_msg(strstr(r.body, "You have no saved jobs.") != NULL &&
		      strstr(r.body, "href=\"/vacancies\">Find a job</a>") != NULL,
		      "no empty state");
	it_resp_free(&r);
}
END_TEST

START_TEST(list_is_limited)
{
	struct it_client cand = { 0 };
	char urn_s[24], uid[24], max[12];
	const char *vals[3] = { urn_s, uid, max };
	long urn = it_school(36);
	long long me, live;
	struct it_resp r;

	me = it_user_signed_in(&cand, "candidate", "Fay Full", PASSWORD, NULL);
	live = it_vacancy_add(urn, "published", (char *)NULL);
	snprintf(urn_s, sizeof urn_s, "%ld", urn);
	snprintf(uid, sizeof uid, "%lld", me);
	snprintf(max, sizeof max, "%d", SAVED_JOBS_MAX);
	/* A full list (of drafts, which the list does not show but counts). */
	free(it_psql_params("WITH v AS (INSERT INTO vacancies (school_urn, status, title, "
			    "job_roles, phases, contract_type, working_patterns, pay_scale, start_type, "
			    "description, contact_email, closes_at) SELECT $1::bigint, 'draft', "
			    "'Class teacher', '{teacher}', '{primary}', 'permanent', '{full_time}', "
			    "'mps', 'asap', 'A job.', 'jobs@example.org', now() + interval '30 days' "
			    "FROM generate_series(1, $3::int) RETURNING id) INSERT INTO "
			    "saved_vacancies (user_id, vacancy_id) SELECT $2::bigint, id FROM v",
			    3, vals));
	ck_assert_int_eq(saved_count(me), SAVED_JOBS_MAX);
	get_vacancy(&cand, live, &r);
	it_resp_free(&r);
	post_save(&cand, live, false, "", &r);
	it_expect_status(&r, 409, "saving into a full list");
	ck_assert_msg(strstr(r.body, "the most you can keep") != NULL, "no reason given");
	it_resp_free(&r);
	ck_assert_int_eq(saved_count(me), SAVED_JOBS_MAX);

	/* With room again, it saves. */
	it_psql_id_exec("DELETE FROM saved_vacancies WHERE user_id = $1 AND vacancy_id = (SELECT "
			"min(vacancy_id) FROM saved_vacancies WHERE user_id = $1)", me);
	post_save(&cand, live, false, "", &r);
	it_expect_status(&r, 303, "saving with room");
	it_resp_free(&r);
	ck_assert_int_eq(saved_count(me), SAVED_JOBS_MAX);
}
END_TEST

/* Saves vacancy id for user, saved_ago ("2 days") ago. */
static void saved_at(long long user, long long id, const char *saved_ago)
{
	char u[24], v[24];
	const char *vals[3] = { u, v, saved_ago };

	snprintf(u, sizeof u, "%lld", user);
	snprintf(v, sizeof v, "%lld", id);
	free(it_psql_params("INSERT INTO saved_vacancies (user_id, vacancy_id, saved_at) VALUES "
			    "($1::bigint, $2::bigint, now() - $3::interval)", 3, vals));
}

/* Reminder emails in the outbox to email. */
static long long reminders(const char *email)
{
	const char *vals[1] = { email };
	char *v = it_psql_params("SELECT count(*) FROM outbox WHERE to_address = $1 AND subject "
				 "LIKE '%you saved close%soon'", 1, vals);
	long long n = strtoll(v, NULL, 10);

	free(v);
	return n;
}

/* Runs a round of reminders here (the server's own job may run one too: waits up to 25 s for
 * its commit) until email has want reminders; fails when it does not. */
static void remind_until(const char *email, long long want)
{
	PGconn *c = it_jobs_connect();
	long long until = it_now_ms() + 25000;

	ck_assert_msg(saved_jobs_remind(c) >= 0, "the reminders failed");
	it_jobs_disconnect(c);
	while (reminders(email) < want && it_now_ms() < until)
		it_sleep_ms(250);
	ck_assert_int_eq(reminders(email), want);
}

START_TEST(closing_soon_reminder)
{
	char word[IT_WORD_LEN], title[6][64], me_email[128], off_email[128], quiet_email[128];
	char *body;
	static const char *const closes[6] = {
		"=now() + interval '20 hours'", "=now() + interval '40 hours'",
		"=now() + interval '10 days'", "=now() + interval '20 hours'",
		"=now() + interval '30 hours'", "=now() + interval '20 hours'",
	};
	const char *vals[1] = { me_email };
	long urn = it_school(37);
	long long me, off, quiet, v[6];

	it_unique_word(word);
	for (int i = 0; i < 6; i++) {
		snprintf(title[i], sizeof title[i], "Job %c %s", 'A' + i, word);
		v[i] = it_vacancy_add(urn, "published", "title", title[i], "closes_at", closes[i],
				      (char *)NULL);
	}
	me = it_user_signed_in(NULL, "candidate", "Rem Reminded", PASSWORD, me_email);
	/* Due: A and B (saved days ago, closing within two days, not applied for). Not due: C
	 * closes in 10 days; D has a draft application (it has its own reminder); E was saved an
	 * hour ago; F is another candidate's, whose account is disabled. A third candidate saved A
	 * too but has turned these reminders off on /account. */
	saved_at(me, v[0], "2 days");
	saved_at(me, v[1], "3 days");
	saved_at(me, v[2], "2 days");
	saved_at(me, v[3], "2 days");
	it_application_add(v[3], me, "draft", "Reminded", me_email);
	saved_at(me, v[4], "1 hour");
	off = it_user_signed_in(NULL, "candidate", "Dee Disabled", PASSWORD, off_email);
	it_psql_id_exec("UPDATE users SET disabled_at = now() WHERE id = $1", off);
	saved_at(off, v[5], "2 days");
	quiet = it_user_signed_in(NULL, "candidate", "Quinn Quiet", PASSWORD, quiet_email);
	it_psql_id_exec("UPDATE users SET email_opt_out = '{saved_job_closing}' WHERE id = $1",
			quiet);
	saved_at(quiet, v[0], "2 days");

	remind_until(me_email, 1);
	body = it_psql_params("SELECT subject || E'\n' || body FROM outbox WHERE to_address = $1 "
			      "AND subject LIKE '%you saved close%soon'", 1, vals);
	ck_assert_msg(strstr(body, "Jobs you saved close soon") != NULL &&
		      strstr(body, "2 jobs you saved close soon") != NULL, "the email:\n%s", body);
	ck_assert_msg(strstr(body, title[0]) != NULL && strstr(body, title[1]) != NULL &&
		      strstr(body, title[0]) < strstr(body, title[1]),
		      "the email does not list A then B:\n%s", body);
	for (int i = 2; i < 6; i++)
		ck_assert_msg(strstr(body, title[i]) == NULL, "the email lists %s:\n%s", title[i],
			      body);
	ck_assert_msg(strstr(body, "/account/saved-jobs") != NULL, "no link to the list");
	ck_assert_msg(strstr(body, "change your email settings") != NULL &&
		      strstr(body, "/account#emails-heading\n") != NULL,
		      "no link to the email settings:\n%s", body);
	free(body);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM saved_vacancies WHERE user_id = $1 "
					 "AND reminder_sent_at IS NOT NULL", me), 2);
	ck_assert_int_eq(reminders(off_email), 0);
	ck_assert_int_eq(reminders(quiet_email), 0);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM saved_vacancies WHERE user_id = $1 "
					 "AND reminder_sent_at IS NULL", quiet), 1);

	/* Once only: another round sends nothing more. */
	remind_until(me_email, 1);
}
END_TEST

static Suite *saved_jobs_suite(void)
{
	Suite *s = suite_create("saved_jobs");
	TCase *tc = it_tcase("saved_jobs", 60, it_fixture_server);

	tcase_add_test(tc, save_list_and_remove);
	tcase_add_test(tc, list_is_limited);
	tcase_add_test(tc, closing_soon_reminder);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(saved_jobs_suite());
}
