/* test_alerts.c - job alerts, against the real server and PostgreSQL:
 *  - the search page links to the alert form with its search (without sort and page);
 *  - asking: the form shows the search; a bad address or no frequency answers 422 with the
 *    GOV.UK error summary and stores nothing; a good one stores an unconfirmed alert and
 *    emails a confirmation link (the token kept only hashed); without CSRF nothing happens;
 *  - nothing is sent before the alert is confirmed; the link's page (noindex, no-store)
 *    confirms with a POST;
 *  - the periodic job (job_alerts_run_once, called here directly as the server's thread does)
 *    emails the live jobs of the search published since it last looked - not older ones,
 *    not other searches' jobs, drafts or closed ones, nor those of the last minute, which wait
 *    for the next run - then waits a day (a week for weekly alerts), and sends nothing when
 *    there is nothing new;
 *  - the link in an alert email stops the alert; an unknown, stopped or expired link is 404;
 *  - the same link is the email's List-Unsubscribe address: a mail program's POST of
 *    List-Unsubscribe=One-Click (url-encoded or multipart, without cookie or CSRF token)
 *    stops the alert, a GET or another POST body does not;
 *  - an email lists at most 20 jobs and counts the rest, with a link to the search;
 *  - asking again for the same search replaces the old alert once confirmed; unconfirmed alerts
 *    are deleted after 7 days; bad searches answer 400 and script-like words come back escaped;
 *  - how often is changed in place, from the link's page or the account's list (no one else's,
 *    only daily or weekly): due a day or a week after the alert last looked;
 *  - a signed-in user's alerts page lists those of the account's confirmed address and stops
 *    them (no one else's).
 *
 * This file uses the schools 50 to 52 (in URN order). */
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "job_alerts.h"

/* Messages in the outbox to address whose subject contains needle. */
static long mails_to(const char *address, const char *needle)
{
	const char *vals[2] = { address, needle };
	char *v = it_psql_params("SELECT count(*) FROM outbox WHERE to_address = $1 AND "
				 "strpos(subject, $2) > 0", 2, vals);
	long n = strtol(v, NULL, 10);

	free(v);
	return n;
}

/* Runs the job on c until address has `want` alert emails (the servers' own job threads may
 * take a due alert first: then this waits for their commit), for at most 5 s. */
static void run_until(PGconn *c, const char *address, long want)
{
	long long until = it_now_ms() + 5000;

	ck_assert_msg(job_alerts_run_once(c) >= 0, "the job failed");
	while (mails_to(address, "match your job alert") + mails_to(address, "matches your job "
								      "alert") < want &&
	       it_now_ms() < until)
		it_sleep_ms(100);
}

/* The number sql (with $1 = address) counts. */
static long count_for(const char *sql, const char *address)
{
	const char *vals[1] = { address };
	char *v = it_psql_params(sql, 1, vals);
	long n = strtol(v, NULL, 10);

	free(v);
	return n;
}

static long alert_mails(const char *address)
{
	return mails_to(address, "match your job alert") + mails_to(address, "matches your job alert");
}

/* The body of the newest message to address whose subject contains needle (caller frees). */
static char *mail_body(const char *address, const char *needle)
{
	const char *vals[2] = { address, needle };

	return it_psql_params("SELECT body FROM outbox WHERE to_address = $1 AND strpos(subject, "
			      "$2) > 0 ORDER BY id DESC LIMIT 1", 2, vals);
}

/* The path "/job-alerts/manage?token=..." in the newest message to address with needle in its
 * subject (caller frees). */
static char *mail_link(const char *address, const char *needle)
{
	char *body = mail_body(address, needle), *link = it_mail_link(body, "/job-alerts/manage?token=");

	free(body);
	return link;
}

/* Asks for an alert of search (a query string) for email with visitor v; returns the status. */
static long ask(struct it_client *v, const char *search, const char *email, const char *frequency,
		struct it_resp *r)
{
	char path[512], *form;
	long st;

	snprintf(path, sizeof path, "/job-alerts/new?%s", search);
	it_client_get(v, path, r);
	it_expect_status(r, 200, "the alert form");
	it_resp_free(r);
	it_clear_address_limit("job_alert");
	form = it_form("email", email, "frequency", frequency, (char *)NULL);
	snprintf(path, sizeof path, "%s&%s", form, search);
	free(form);
	st = it_client_post(v, "/job-alerts", path, r);
	return st;
}

/* Confirms the alert of the newest confirmation email to address; fails unless it worked. */
static void confirm(struct it_client *v, const char *address)
{
	struct it_resp r;
	char *link = mail_link(address, "Confirm your job alert"), *form, *token;

	it_client_get(v, link, &r);
	it_expect_status(&r, 200, "the confirmation link's page");
	ck_assert_msg(strstr(r.body, "Confirm job alert") != NULL, "no confirm button");
	ck_assert_msg(it_noindex(&r), "the link's page may be indexed");
	ck_assert_msg(it_header_has(&r, "Cache-Control", "no-store"), "the link's page is cached");
	token = it_input_value(r.body, "token");
	ck_assert_ptr_nonnull(token);
	it_resp_free(&r);
	form = it_form("token", token, (char *)NULL);
	it_client_post(v, "/job-alerts/confirm", form, &r);
	it_expect_status(&r, 200, "confirming");
	ck_assert_msg(strstr(r.body, "Your job alert is set up") != NULL, "not confirmed: %.300s",
		      r.body);
	it_resp_free(&r);
	free(form);
	free(token);
	free(link);
}

/* Asks for a weekly alert of search for email with visitor v and confirms it; fails unless
 * both worked. */
static void weekly_alert(struct it_client *v, const char *search, const char *email)
{
	struct it_resp r;

	ck_assert_int_eq(ask(v, search, email, "weekly", &r), 200);
	it_resp_free(&r);
	confirm(v, email);
}

/* Makes address's alerts due, looking at jobs published in the last hour. */
static void make_due(const char *address)
{
	const char *vals[1] = { address };

	free(it_psql_params("UPDATE job_alerts SET next_run_at = now(), matched_until = now() - "
			    "interval '1 hour' WHERE email = $1 AND confirmed_at IS NOT NULL",
			    1, vals));
}

START_TEST(search_page_links_to_alerts)
{
	struct it_resp r;

	it_get("/vacancies?q=maths&phase=secondary&sort=newest&page=1", &r);
	it_expect_status(&r, 200, "the search page");
	ck_assert_msg(strstr(r.body, "href=\"/job-alerts/new?q=maths&amp;phase=secondary\"") != NULL,
		      "no alert link with the search (and without sort or page)");
	it_resp_free(&r);
	it_get("/vacancies", &r);
	ck_assert_msg(strstr(r.body, "href=\"/job-alerts/new\"") != NULL, "no alert link for every job");
	it_resp_free(&r);
}
END_TEST

START_TEST(alert_asked_confirmed_sent_stopped)
{
	char email[128], word[IT_WORD_LEN], search[96], title[64], needle[160], *body, *link, *v;
	char *form, *token;
	const char *vals[1] = { email };
	struct it_client visitor = { 0 }, other = { 0 };
	struct it_resp r;
	long urn = it_school(50);
	long long fresh, fresh2, old, wrong_role, draft, closed, just_now;

	it_unique_email(email, sizeof email, "alert");
	it_unique_word(word);
	snprintf(search, sizeof search, "q=%s&role=teacher", word);
	snprintf(title, sizeof title, "Teacher of %s", word);

	/* Bad input: nothing stored, the errors beside the fields. */
	ck_assert_int_eq(ask(&visitor, search, "not an address", "", &r), 422);
	it_expect_errors(&r, "email", "a bad address");
	ck_assert_msg(strstr(r.body, "href=\"#frequency-daily\"") != NULL, "no frequency error");
	ck_assert_msg(strstr(r.body, word) != NULL, "the form lost the search");
	it_resp_free(&r);
	ck_assert_int_eq(it_psql_long("SELECT count(*) FROM job_alerts WHERE email = 'not an address'"),
			 0);
	/* Without the CSRF token: refused. */
	form = it_form("email", email, "frequency", "daily", "q", word, (char *)NULL);
	it_client_request(&other, "POST", "/job-alerts", form, NULL, &r);
	ck_assert_msg(r.status == 403, "a POST without CSRF token: %ld", r.status);
	it_resp_free(&r);
	free(form);

	/* Asked: stored unconfirmed, a confirmation emailed, the token kept hashed. */
	ck_assert_int_eq(ask(&visitor, search, email, "daily", &r), 200);
	ck_assert_msg(strstr(r.body, "Check your email") != NULL, "no check-your-email page");
	it_resp_free(&r);
	v = it_psql_params("SELECT search || ' ' || frequency || ' ' || (confirmed_at IS NULL) FROM "
			   "job_alerts WHERE email = $1", 1, vals);
	snprintf(needle, sizeof needle, "%s daily true", search);
	ck_assert_str_eq(v, needle);
	free(v);
	ck_assert_int_eq(mails_to(email, "Confirm your job alert"), 1);
	body = mail_body(email, "Confirm your job alert");
	ck_assert_msg(strstr(body, "You asked for an email every day when") != NULL,
		      "the confirmation does not say how often: %s", body);
	free(body);
	link = mail_link(email, "Confirm your job alert");
	token = strchr(link, '=') + 1;
	{
		const char *tv[1] = { token };

		v = it_psql_params("SELECT count(*) FROM job_alert_tokens WHERE strpos(encode("
				   "token_hash, 'escape'), $1) > 0 OR encode(token_hash, 'hex') = $1",
				   1, tv);
		ck_assert_str_eq(v, "0");
		free(v);
	}
	free(link);

	/* Jobs: two new matches, and what must not be sent. */
	fresh = it_vacancy_add(urn, "published", "title", title, "published_at",
			       "=now() - interval '10 minutes'", "salary_min", "31650",
			       "salary_max", "43607", "working_patterns", "{part_time}", "fte",
			       "0.5", "actual_salary", "\u00a315,825 to \u00a321,804", (char *)NULL);
	fresh2 = it_vacancy_add(urn, "published", "title", title, "published_at",
				"=now() - interval '20 minutes'", (char *)NULL);
	old = it_vacancy_add(urn, "published", "title", title, "published_at",
			     "=now() - interval '3 hours'", (char *)NULL);
	wrong_role = it_vacancy_add(urn, "published", "title", title, "job_roles",
				    "{head_of_department}", "published_at",
				    "=now() - interval '10 minutes'", (char *)NULL);
	draft = it_vacancy_add(urn, "draft", "title", title, (char *)NULL);
	closed = it_vacancy_add(urn, "closed", "title", title, "published_at",
				"=now() - interval '15 minutes'", (char *)NULL);
	just_now = it_vacancy_add(urn, "published", "title", title, "published_at", "=now()",
				  (char *)NULL);

	/* Not confirmed: nothing sent. */
	{
		PGconn *c = it_jobs_connect();

		ck_assert_msg(job_alerts_run_once(c) >= 0, "the job failed");
		ck_assert_int_eq(alert_mails(email), 0);

		/* The same search asked again: still one alert; unconfirmed, its confirmation
		 * comes again (the first may be lost). */
		ck_assert_int_eq(ask(&visitor, search, email, "daily", &r), 200);
		it_resp_free(&r);
		v = it_psql_params("SELECT count(*) FROM job_alerts WHERE email = $1", 1, vals);
		ck_assert_str_eq(v, "1");
		free(v);
		ck_assert_int_eq(mails_to(email, "Confirm your job alert"), 2);

		confirm(&visitor, email);
		v = it_psql_params("SELECT next_run_at > now() + interval '23 hours' AND "
				   "matched_until > now() - interval '1 minute' FROM job_alerts "
				   "WHERE email = $1", 1, vals);
		ck_assert_str_eq(v, "t");
		free(v);
		/* Confirmed: asked again, nothing is added, changed or sent. */
		ck_assert_int_eq(ask(&visitor, search, email, "daily", &r), 200);
		ck_assert_msg(strstr(r.body, "Check your email") != NULL, "the page differs");
		it_resp_free(&r);
		v = it_psql_params("SELECT count(*) || ' ' || min(frequency) FROM job_alerts WHERE "
				   "email = $1", 1, vals);
		ck_assert_str_eq(v, "1 daily");
		free(v);
		ck_assert_int_eq(mails_to(email, "Confirm your job alert"), 2);
		/* Confirmed now: looks from now on, and is due in a day. */
		ck_assert_msg(job_alerts_run_once(c) >= 0, "the job failed");
		ck_assert_int_eq(alert_mails(email), 0);

		make_due(email);
		run_until(c, email, 1);
		ck_assert_int_eq(alert_mails(email), 1);
		body = mail_body(email, "match your job alert");
		ck_assert_msg(strstr(body, "2 new jobs match your job alert") != NULL, "subject line: %s",
			      body);
		snprintf(needle, sizeof needle, "/vacancies/%lld\n", fresh);
		ck_assert_msg(strstr(body, needle) != NULL, "the new job is not listed: %s", body);
		snprintf(needle, sizeof needle, "/vacancies/%lld\n", fresh2);
		ck_assert_msg(strstr(body, needle) != NULL, "the second new job is not listed");
		snprintf(title, sizeof title, "/vacancies/%lld\n", fresh);
		ck_assert_msg(strstr(body, title) < strstr(body, needle), "not newest first: %s", body);
		{
			long long never[] = { old, wrong_role, draft, closed, just_now };
			size_t i;

			for (i = 0; i < sizeof never / sizeof never[0]; i++) {
				snprintf(needle, sizeof needle, "/vacancies/%lld\n", never[i]);
				ck_assert_msg(strstr(body, needle) == NULL,
					      "job %lld should not be in the alert: %s", never[i], body);
			}
		}
		ck_assert_msg(strstr(body, "- Job role: Teacher") != NULL, "the search is not described");
		/* Each job says what it pays and its working pattern, as search results do. */
		snprintf(needle, sizeof needle, "Pay: Main pay scale (MPS), \u00a331,650 to "
			 "\u00a343,607\nActual salary: \u00a315,825 to \u00a321,804\nWorking "
			 "pattern: Part time\nClosing date: ");
		ck_assert_msg(strstr(body, needle) != NULL, "the new job's pay is not given: %s",
			      body);
		free(body);
		v = it_psql_params("SELECT next_run_at > now() + interval '23 hours' FROM job_alerts "
				   "WHERE email = $1", 1, vals);
		ck_assert_str_eq(v, "t");
		free(v);

		/* Two minutes later (every time moved back by two minutes), due again: the job
		 * published "just now" is new; the others were sent already. */
		free(it_psql_params("UPDATE job_alerts SET next_run_at = now(), matched_until = "
				    "matched_until - interval '2 minutes' WHERE email = $1", 1, vals));
		it_psql_id_exec("UPDATE vacancies SET published_at = published_at - interval "
				"'2 minutes' WHERE id = $1", just_now);
		run_until(c, email, 2);
		ck_assert_int_eq(alert_mails(email), 2);
		body = mail_body(email, "matches your job alert");
		snprintf(needle, sizeof needle, "/vacancies/%lld\n", just_now);
		ck_assert_msg(strstr(body, "1 new job matches your job alert") != NULL &&
			      strstr(body, needle) != NULL, "the second email: %s", body);
		free(body);

		/* Nothing new: nothing sent. */
		free(it_psql_params("UPDATE job_alerts SET next_run_at = now() WHERE email = $1", 1,
				    vals));
		ck_assert_msg(job_alerts_run_once(c) >= 0, "the job failed");
		it_sleep_ms(300);
		ck_assert_int_eq(alert_mails(email), 2);
		v = it_psql_params("SELECT next_run_at > now() + interval '23 hours' FROM job_alerts "
				   "WHERE email = $1", 1, vals);
		ck_assert_str_eq(v, "t");
		free(v);
		it_jobs_disconnect(c);
	}

	/* Stopped from the link in the alert email. */
	link = mail_link(email, "job alert");
	it_client_get(&other, link, &r);
	it_expect_status(&r, 200, "the stop link's page");
	ck_assert_msg(strstr(r.body, "Stop this job alert") != NULL, "no stop button");
	token = it_input_value(r.body, "token");
	it_resp_free(&r);
	form = it_form("token", token, (char *)NULL);
	it_client_post(&other, "/job-alerts/unsubscribe", form, &r);
	it_expect_status(&r, 200, "stopping");
	ck_assert_msg(strstr(r.body, "Job alert stopped") != NULL, "not stopped");
	it_resp_free(&r);
	v = it_psql_params("SELECT count(*) FROM job_alerts WHERE email = $1", 1, vals);
	ck_assert_str_eq(v, "0");
	free(v);
	/* The links are gone with it. */
	it_expect_get(&other, link, 404, "a stopped alert's link");
	it_client_post(&other, "/job-alerts/unsubscribe", form, &r);
	it_expect_status(&r, 404, "stopping twice");
	it_resp_free(&r);
	free(form);
	free(token);
	free(link);
}
END_TEST

START_TEST(alert_stopped_in_one_click)
{
	static const char multipart[] = "--b\r\nContent-Disposition: form-data; "
					"name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--b--\r\n";
	static const char form_type[] = "application/x-www-form-urlencoded";
	char email[128], word[IT_WORD_LEN], search[96], title[64], *link, *body, *v;
	const char *vals[1] = { email };
	struct it_client visitor = { 0 }, mailer = { 0 };
	struct it_resp r;
	PGconn *c;

	it_unique_email(email, sizeof email, "oneclick");
	it_unique_word(word);
	snprintf(search, sizeof search, "q=%s", word);
	snprintf(title, sizeof title, "Teacher of %s", word);
	weekly_alert(&visitor, search, email);
	it_vacancy_add(it_school(51), "published", "title", title, "published_at",
		       "=now() - interval '10 minutes'", (char *)NULL);
	c = it_jobs_connect();
	make_due(email);
	run_until(c, email, 1);
	it_jobs_disconnect(c);
	ck_assert_int_eq(alert_mails(email), 1);

	/* The alert email names its own stop link as its List-Unsubscribe address; the
	 * confirmation email (not yet a subscription) has none. */
	link = mail_link(email, "job alert");
	v = it_psql_params("SELECT list_unsubscribe FROM outbox WHERE to_address = $1 AND "
			   "strpos(subject, 'your job alert') > 0 ORDER BY id DESC LIMIT 1", 1, vals);
	body = mail_body(email, "your job alert");
	ck_assert_msg(strlen(v) > strlen(link) && strcmp(v + strlen(v) - strlen(link), link) == 0 &&
			      strncmp(v, "https://", 8) == 0 && strstr(body, v) != NULL,
		      "List-Unsubscribe %s, the email's link %s", v, link);
	free(body);
	free(v);
	ck_assert_int_eq(count_for("SELECT count(*) FROM outbox WHERE to_address = $1 "
					     "AND list_unsubscribe IS NOT NULL", email), 1);

	/* Opening it (a GET, as link scanners do) shows the page and stops nothing. */
	it_client_get(&mailer, link, &r);
	it_expect_status(&r, 200, "the link's page");
	ck_assert_msg(strstr(r.body, "Stop this job alert") != NULL, "no stop button");
	it_resp_free(&r);
	/* A POST without the one-click body: 400, nothing stopped. */
	it_client_send(&mailer, "POST", link, form_type, "", 0, NULL, &r);
	it_expect_status(&r, 400, "a POST without List-Unsubscribe=One-Click");
	it_resp_free(&r);
	it_client_send(&mailer, "POST", link, form_type, "List-Unsubscribe=Yes", 20, NULL, &r);
	it_expect_status(&r, 400, "List-Unsubscribe=Yes");
	it_resp_free(&r);
	/* Multipart is read too: with a token that is not one, 404. */
	it_client_send(&mailer, "POST",
		       "/job-alerts/manage?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		       "multipart/form-data; boundary=b", multipart, sizeof multipart - 1, NULL, &r);
	it_expect_status(&r, 404, "one-click with an unknown token");
	it_resp_free(&r);
	ck_assert_int_eq(count_for("SELECT count(*) FROM job_alerts WHERE email = $1", email), 1);

	/* The mail program's POST: no cookie, no CSRF token - the link's token is enough. */
	it_client_send(&mailer, "POST", link, form_type, "List-Unsubscribe=One-Click", 26, NULL, &r);
	it_expect_status(&r, 200, "one-click unsubscribe");
	ck_assert_msg(strstr(r.body, "stopped") != NULL, "body: %.300s", r.body);
	it_resp_free(&r);
	ck_assert_int_eq(count_for("SELECT count(*) FROM job_alerts WHERE email = $1", email), 0);
	/* Gone with its links: a second one-click is 404. */
	it_client_send(&mailer, "POST", link, "multipart/form-data; boundary=b", multipart,
		       sizeof multipart - 1, NULL, &r);
	it_expect_status(&r, 404, "one-click twice");
	it_resp_free(&r);
	free(link);
}
END_TEST

START_TEST(frequency_changed_from_the_link)
{
	char email[128], word[IT_WORD_LEN], search[96], *link, *token, *form, *v;
	const char *vals[1] = { email };
	struct it_client visitor = { 0 };
	struct it_resp r;

	it_unique_email(email, sizeof email, "frequency");
	it_unique_word(word);
	snprintf(search, sizeof search, "q=%s", word);
	weekly_alert(&visitor, search, email);
	/* It last looked three days ago and is due in four. */
	free(it_psql_params("UPDATE job_alerts SET matched_until = now() - interval '3 days', "
			    "next_run_at = now() + interval '4 days' WHERE email = $1", 1, vals));
	link = mail_link(email, "Confirm your job alert");
	it_client_get(&visitor, link, &r);
	it_expect_status(&r, 200, "the alert's page");
	ck_assert_msg(strstr(r.body, "Weekly") != NULL &&
		      strstr(r.body, "Email me daily instead") != NULL, "no frequency button");
	token = it_input_value(r.body, "token");
	ck_assert_ptr_nonnull(token);
	it_resp_free(&r);

	/* A frequency not offered, or no CSRF token: nothing changes. */
	form = it_form("token", token, "frequency", "hourly", (char *)NULL);
	it_client_post(&visitor, "/job-alerts/frequency", form, &r);
	it_expect_status(&r, 400, "an unknown frequency");
	ck_assert_msg(strstr(r.body, "daily or weekly") != NULL, "no reason given");
	it_resp_free(&r);
	free(form);
	form = it_form("token", token, "frequency", "daily", (char *)NULL);
	it_client_request(&visitor, "POST", "/job-alerts/frequency", form, NULL, &r);
	it_expect_status(&r, 403, "without the CSRF token");
	it_resp_free(&r);
	v = it_psql_params("SELECT frequency FROM job_alerts WHERE email = $1", 1, vals);
	ck_assert_str_eq(v, "weekly");
	free(v);

	/* Daily: due at once, so the three days' jobs go out now, none twice or skipped. */
	it_client_post(&visitor, "/job-alerts/frequency", form, &r);
	it_expect_status(&r, 200, "changing to daily");
	ck_assert_msg(strstr(r.body, "You will get this job alert every day") != NULL &&
		      strstr(r.body, "Email me weekly instead") != NULL, "page: %.300s", r.body);
	ck_assert_msg(it_header_has(&r, "Cache-Control", "no-store"), "the page is cached");
	it_resp_free(&r);
	v = it_psql_params("SELECT frequency || ' ' || (next_run_at <= now()) || ' ' || "
			   "(next_run_at = matched_until + interval '1 day') FROM job_alerts WHERE "
			   "email = $1", 1, vals);
	ck_assert_str_eq(v, "daily true true");
	free(v);
	free(form);

	/* A link that is not one: 404. */
	form = it_form("token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "frequency", "weekly",
		       (char *)NULL);
	it_client_post(&visitor, "/job-alerts/frequency", form, &r);
	it_expect_status(&r, 404, "an unknown link");
	it_resp_free(&r);
	free(form);
	free(token);
	free(link);
}
END_TEST

START_TEST(alert_links_and_searches_checked)
{
	char email[128], path[160];
	struct it_client v = { 0 };
	struct it_resp r;
	const char *vals[1] = { email };
	char *form, *s;

	/* Unknown, missing and malformed tokens. */
	it_expect_get(&v, "/job-alerts/manage", 404, "no token");
	it_expect_get(&v, "/job-alerts/manage?token=abc", 404, "a short token");
	it_expect_get(&v, "/job-alerts/manage?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 404,
		      "an unknown token");
	it_expect_get(&v, "/job-alerts/manage?token='%20OR%201=1--AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		      404, "an SQL-looking token");
	it_client_get(&v, "/job-alerts/new", &r);
	it_resp_free(&r);
	form = it_form("token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", (char *)NULL);
	it_client_post(&v, "/job-alerts/confirm", form, &r);
	it_expect_status(&r, 404, "confirming an unknown token");
	it_resp_free(&r);
	free(form);

	/* Bad searches: 400 naming the value, on the form and on the POST. */
	it_expect_get(&v, "/job-alerts/new?phase=nonsense", 400, "an unknown phase");
	it_expect_get(&v, "/job-alerts/new?school=1", 400, "an unknown school");
	it_unique_email(email, sizeof email, "badsearch");
	form = it_form("email", email, "frequency", "weekly", "role", "astronaut", (char *)NULL);
	it_client_post(&v, "/job-alerts", form, &r);
	it_expect_status(&r, 400, "an unknown role on the POST");
	ck_assert_msg(strstr(r.body, "astronaut") != NULL, "the 400 page does not name the value");
	it_resp_free(&r);
	free(form);
	ck_assert_str_eq((s = it_psql_params("SELECT count(*) FROM job_alerts WHERE email = $1", 1,
					     vals)), "0");
	free(s);

	/* Script-like and SQL-like words come back escaped, and are stored as typed. */
	snprintf(path, sizeof path, "/job-alerts/new?q=%%3Cscript%%3Ealert(1)%%3C/script%%3E'%%3B"
				    "DROP%%20TABLE%%20job_alerts--");
	it_client_get(&v, path, &r);
	it_expect_status(&r, 200, "script-like words");
	ck_assert_msg(strstr(r.body, "<script>alert(1)") == NULL &&
		      strstr(r.body, "&lt;script&gt;alert(1)") != NULL, "the words are not escaped");
	it_resp_free(&r);
	it_clear_address_limit("job_alert");
	form = it_form("email", email, "frequency", "weekly", "q",
		       "<script>alert(1)</script>';DROP TABLE job_alerts--", (char *)NULL);
	it_client_post(&v, "/job-alerts", form, &r);
	it_expect_status(&r, 200, "asking with script-like words");
	ck_assert_msg(strstr(r.body, "&lt;script&gt;") != NULL, "not escaped on the sent page");
	it_resp_free(&r);
	free(form);
	s = it_psql_params("SELECT search FROM job_alerts WHERE email = $1", 1, vals);
	ck_assert_str_eq(s, "q=%3Cscript%3Ealert%281%29%3C/script%3E%27%3BDROP%20TABLE%20job_alerts--");
	free(s);
}
END_TEST

START_TEST(alert_replaced_and_unconfirmed_deleted)
{
	char email[128], other[128], word[IT_WORD_LEN], search[64], *s;
	const char *vals[1] = { email }, *ovals[1] = { other };
	struct it_client v = { 0 };
	struct it_resp r;
	PGconn *c;

	it_unique_email(email, sizeof email, "replace");
	it_unique_word(word);
	snprintf(search, sizeof search, "q=%s", word);
	ck_assert_int_eq(ask(&v, search, email, "daily", &r), 200);
	it_resp_free(&r);
	confirm(&v, email);
	/* The same search again, weekly: the daily alert goes when the new one is confirmed. */
	ck_assert_int_eq(ask(&v, search, email, "weekly", &r), 200);
	it_resp_free(&r);
	s = it_psql_params("SELECT count(*) FROM job_alerts WHERE email = $1", 1, vals);
	ck_assert_str_eq(s, "2");
	free(s);
	confirm(&v, email);
	s = it_psql_params("SELECT string_agg(frequency, ',') FROM job_alerts WHERE email = $1", 1,
			   vals);
	ck_assert_str_eq(s, "weekly");
	free(s);

	/* Unconfirmed for more than 7 days: deleted by the job. */
	it_unique_email(other, sizeof other, "unconfirmed");
	ck_assert_int_eq(ask(&v, search, other, "daily", &r), 200);
	it_resp_free(&r);
	c = it_jobs_connect();
	ck_assert_msg(job_alerts_run_once(c) >= 0, "the job failed");
	s = it_psql_params("SELECT count(*) FROM job_alerts WHERE email = $1", 1, ovals);
	ck_assert_str_eq(s, "1");
	free(s);
	free(it_psql_params("UPDATE job_alerts SET created_at = now() - interval '8 days' WHERE "
			    "email = $1", 1, ovals));
	ck_assert_msg(job_alerts_run_once(c) >= 0, "the job failed");
	s = it_psql_params("SELECT count(*) FROM job_alerts WHERE email = $1", 1, ovals);
	ck_assert_str_eq(s, "0");
	free(s);
	it_jobs_disconnect(c);
	/* Its link with it. */
	s = mail_link(other, "Confirm your job alert");
	it_expect_get(&v, s, 404, "the deleted alert's link");
	free(s);
}
END_TEST

START_TEST(alert_lists_twenty_and_counts_the_rest)
{
	char email[128], word[IT_WORD_LEN], search[64], title[64], needle[96], *body;
	struct it_client v = { 0 };
	long urn = it_school(51);
	const char *p;
	int i, listed = 0;
	PGconn *c;

	it_unique_email(email, sizeof email, "twenty");
	it_unique_word(word);
	snprintf(search, sizeof search, "q=%s", word);
	snprintf(title, sizeof title, "Teaching assistant %s", word);
	weekly_alert(&v, search, email);
	for (i = 0; i < 23; i++)
		it_vacancy_add(urn, "published", "title", title, "published_at",
			       "=now() - interval '5 minutes'", (char *)NULL);
	make_due(email);
	c = it_jobs_connect();
	run_until(c, email, 1);
	it_jobs_disconnect(c);
	body = mail_body(email, "match your job alert");
	ck_assert_msg(strstr(body, "23 new jobs match your job alert") != NULL, "subject: %s", body);
	for (p = body; (p = strstr(p, "/vacancies/")) != NULL; p++)
		listed++;
	ck_assert_int_eq(listed, 20);
	snprintf(needle, sizeof needle, "And 3 more. See every job this search finds:\n");
	ck_assert_msg(strstr(body, needle) != NULL, "the rest are not counted: %s", body);
	snprintf(needle, sizeof needle, "/vacancies?q=%s\n", word);
	ck_assert_msg(strstr(body, needle) != NULL, "no link to the search: %s", body);
	free(body);
	/* A weekly alert is due again in a week. */
	{
		const char *vals[1] = { email };

		body = it_psql_params("SELECT next_run_at BETWEEN now() + interval '6 days 23 hours' "
				      "AND now() + interval '7 days 1 hour' FROM job_alerts WHERE "
				      "email = $1", 1, vals);
		ck_assert_str_eq(body, "t");
		free(body);
	}
}
END_TEST

/* A signed-in user's alerts page lists the alerts of the account's confirmed address (in any
 * letter case), not another's, and stops one of them; nobody else's, and not without the CSRF
 * token. An account whose address is not confirmed sees none. */
START_TEST(account_lists_and_stops_alerts)
{
	struct it_client c = { 0 }, unverified = { 0 };
	char email[128], other[128], word[IT_WORD_LEN], q[64], path[64], *v;
	const char *vals[3] = { email, other, q };
	long long mine, theirs;
	struct it_resp r;

	it_unique_word(word);
	snprintf(q, sizeof q, "q=%s&phase=secondary", word);
	it_user_signed_in(&c, "candidate", "Alex Alerts", "a long enough passphrase 4 alerts",
			  email);
	it_unique_email(other, sizeof other, "alerts-other");
	v = it_psql_params("WITH a AS (INSERT INTO job_alerts (email, search, frequency, "
			   "confirmed_at, matched_until, next_run_at) VALUES (upper($1), $3, "
			   "'daily', now(), now(), now() + interval '1 day') RETURNING id) "
			   "SELECT id FROM a WHERE $2::text IS NOT NULL", 3, vals);
	mine = strtoll(v, NULL, 10);
	free(v);
	free(it_psql_params("INSERT INTO job_alerts (email, search, frequency) VALUES ($1, "
			    "'role=teacher', 'weekly')", 1, vals));
	v = it_psql_params("WITH a AS (INSERT INTO job_alerts (email, search, frequency) VALUES "
			   "($1, 'q=qqxotheraddress', 'daily') RETURNING id) SELECT id FROM a", 1,
			   vals + 1);
	theirs = strtoll(v, NULL, 10);
	free(v);

	it_client_get(&c, "/account/job-alerts", &r);
	it_expect_status(&r, 200, "the account's alerts");
	ck_assert_msg(strstr(r.body, "Job alert 1") != NULL && strstr(r.body, "Job alert 2") != NULL,
		      "both alerts are not listed");
	ck_assert_msg(strstr(r.body, word) != NULL && strstr(r.body, "Secondary") != NULL &&
		      strstr(r.body, "Teacher") != NULL, "the searches are not shown in words");
	ck_assert_msg(strstr(r.body, "Daily") != NULL && strstr(r.body, "Weekly") != NULL &&
		      strstr(r.body, "Not confirmed") != NULL, "frequency or state missing");
	ck_assert_msg(strstr(r.body, "qqxotheraddress") == NULL, "another address's alert shown");
	it_resp_free(&r);

	/* Someone else's: 404; malformed: 404; without the token: 403. Nothing stopped. */
	snprintf(path, sizeof path, "/account/job-alerts/%lld/stop", theirs);
	it_client_post(&c, path, "", &r);
	it_expect_status(&r, 404, "stopping another address's alert");
	it_resp_free(&r);
	it_client_post(&c, "/account/job-alerts/1%20OR%201=1/stop", "", &r);
	it_expect_status(&r, 404, "a malformed id");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/account/job-alerts/%lld/stop", mine);
	it_client_request(&c, "POST", path, "", NULL, &r);
	it_expect_status(&r, 403, "stopping without the CSRF token");
	it_resp_free(&r);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM job_alerts WHERE id = $1", theirs),
			 1);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM job_alerts WHERE id = $1", mine), 1);

	/* How often, changed in place: weekly from now on, next due a week after it last looked;
	 * not for someone else's alert, nor to a frequency that is not offered. */
	it_client_get(&c, "/account/job-alerts", &r);
	ck_assert_msg(strstr(r.body, "Email me weekly instead") != NULL, "no frequency button");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/account/job-alerts/%lld/frequency", theirs);
	it_client_post(&c, path, "frequency=weekly", &r);
	it_expect_status(&r, 404, "changing another address's alert");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/account/job-alerts/%lld/frequency", mine);
	it_client_post(&c, path, "frequency=hourly", &r);
	it_expect_status(&r, 400, "an unknown frequency");
	it_resp_free(&r);
	it_client_post(&c, path, "frequency=weekly", &r);
	it_expect_redirect(&r, "/account/job-alerts?changed=1", "changing how often");
	it_resp_free(&r);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM job_alerts WHERE id = $1 AND "
					 "frequency = 'weekly' AND next_run_at = matched_until + "
					 "interval '7 days'", mine), 1);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM job_alerts WHERE id = $1 AND "
					 "frequency = 'daily'", theirs), 1);
	it_client_get(&c, "/account/job-alerts?changed=1", &r);
	ck_assert_msg(strstr(r.body, "has been changed") != NULL &&
		      strstr(r.body, "Email me daily instead") != NULL, "the list after changing");
	it_resp_free(&r);

	/* Stopped: gone, and the page says so. */
	snprintf(path, sizeof path, "/account/job-alerts/%lld/stop", mine);
	it_client_get(&c, "/account/job-alerts", &r);
	it_resp_free(&r);
	it_client_post(&c, path, "", &r);
	it_expect_redirect(&r, "/account/job-alerts?stopped=1", "stopping");
	it_resp_free(&r);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM job_alerts WHERE id = $1", mine), 0);
	it_client_get(&c, "/account/job-alerts?stopped=1", &r);
	ck_assert_msg(strstr(r.body, "The job alert has been stopped") != NULL &&
		      strstr(r.body, word) == NULL && strstr(r.body, "Job alert 1") != NULL &&
		      strstr(r.body, "Job alert 2") == NULL, "the list after stopping");
	it_resp_free(&r);

	/* An account whose address is not confirmed sees no alerts of it. */
	it_user_add(other, "Una Unverified", "candidate", "a long enough passphrase 4 alerts", 0);
	it_login(&unverified, other, "a long enough passphrase 4 alerts");
	it_client_get(&unverified, "/account/job-alerts", &r);
	it_expect_status(&r, 200, "an unverified account's alerts");
	ck_assert_msg(strstr(r.body, "qqxotheraddress") == NULL &&
		      strstr(r.body, "Confirm your email address") != NULL,
		      "an unverified account sees its address's alerts");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/account/job-alerts/%lld/stop", theirs);
	it_client_post(&unverified, path, "", &r);
	it_expect_status(&r, 404, "an unverified account stopping its address's alert");
	it_resp_free(&r);
}
END_TEST

static Suite *alerts_suite(void)
{
	Suite *s = suite_create("alerts");
	TCase *tc = it_tcase("alerts", 90, it_fixture_server);

	tcase_add_test(tc, search_page_links_to_alerts);
	tcase_add_test(tc, alert_asked_confirmed_sent_stopped);
	tcase_add_test(tc, alert_stopped_in_one_click);
	tcase_add_test(tc, frequency_changed_from_the_link);
	tcase_add_test(tc, alert_links_and_searches_checked);
	tcase_add_test(tc, alert_replaced_and_unconfirmed_deleted);
	tcase_add_test(tc, alert_lists_twenty_and_counts_the_rest);
	tcase_add_test(tc, account_lists_and_stops_alerts);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(alerts_suite());
}
