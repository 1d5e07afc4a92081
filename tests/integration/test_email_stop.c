/* test_email_stop.c - the link every optional email carries (backend/email_stop.c), against
 * the real server and PostgreSQL:
 *  - a closed listing's email to each of its school's hiring managers has a link of that
 *    message's own, also its List-Unsubscribe address; opening it (a GET, as link scanners do)
 *    shows what it stops (noindex, no-store) and stops nothing; its button stops that email for
 *    that account only, without signing in, and the other manager still gets the next one;
 *    the link then says the emails are already stopped, and /account shows the box unticked;
 *    each stop is in the audit log, by the link's address;
 *  - a mail program's one-click POST (no cookie, no CSRF token) stops it: 400 without the
 *    one-click body, 404 for an unknown or expired link; expired links are deleted;
 *  - the daily summary of applications, an email that is off until chosen, is stopped by
 *    taking the choice back (so the emails for each application come back), not by adding it
 *    to the turned-off ones;
 *  - a candidate's reminder of a draft application carries a link too.
 *
 * This file uses the schools 48 and 49 (in URN order). */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "application_summary.h"
#include "application_jobs.h"
#include "auth.h"
#include "email_preferences.h"
#include "harness.h"
#include "vacancy_mail.h"

#define PW "a long enough passphrase 4 stopping"

/* A hiring manager of school urn, with a fresh address (into email, 128 bytes). Returns the id. */
static long long manager(long urn, char *email)
{
	long long id;

	it_unique_email(email, 128, "manager");
	id = it_user_add(email, "Stella Stopper", "school_staff", PW, 1);
	it_membership_add(id, urn, "hiring_manager");
	return id;
}

/* Queues a closed email of vacancy id (vacancy_mail.h) as the lifecycle does, and commits. */
static void closed_mail(long long id)
{
	PGconn *c = it_jobs_connect();

	it_exec_ok(c, "BEGIN");
	ck_assert_int_ge(vacancy_closed_mail(c, id), 0);
	it_exec_ok(c, "COMMIT");
	it_jobs_disconnect(c);
}

/* Messages in the outbox to address whose subject contains needle. */
static long mails(const char *address, const char *needle)
{
	const char *vals[2] = { address, needle };
	char *v = it_psql_params("SELECT count(*) FROM outbox WHERE to_address = $1 AND "
				 "strpos(subject, $2) > 0", 2, vals);
	long n = strtol(v, NULL, 10);

	free(v);
	return n;
}

/* Waits up to 25 s (the server's own job may have sent it, committing soon) until address has
 * want messages whose subject contains needle; fails when it does not. */
static void mails_until(const char *address, const char *needle, long want)
{
	long long until = it_now_ms() + 25000;

	while (mails(address, needle) < want && it_now_ms() < until)
		it_sleep_ms(250);
	ck_assert_int_eq(mails(address, needle), want);
}

/* The path of the stop link of the newest message to address whose subject contains needle:
 * its List-Unsubscribe URL, which must also be in its body (caller frees). */
static char *stop_link(const char *address, const char *needle)
{
	const char *vals[2] = { address, needle };
	char *v = it_psql_params("SELECT coalesce(list_unsubscribe, '') || ' ' || body FROM outbox "
				 "WHERE to_address = $1 AND strpos(subject, $2) > 0 ORDER BY id "
				 "DESC LIMIT 1", 2, vals);
	char *path, *end, *body;

	ck_assert_msg(v != NULL && strncmp(v, "https://", 8) == 0, "no List-Unsubscribe: %s", v);
	end = strchr(v, ' ');
	body = end + 1;
	*end = '\0';
	ck_assert_msg(strstr(body, v) != NULL, "the body does not show its link %s:\n%s", v, body);
	ck_assert_msg(strstr(body, "To stop these emails, open this link") != NULL &&
		      strstr(body, "/account#emails-heading") != NULL,
		      "the body does not offer the link and the settings:\n%s", body);
	path = strstr(v, "/emails/stop?token=");
	ck_assert_msg(path != NULL && strlen(path) == strlen("/emails/stop?token=") + 43,
		      "not a stop link: %s", v);
	path = strdup(path);
	free(v);
	return path;
}

/* The account's email choices: "<opt_out><opt_in>". */
static char *choices(long long id)
{
	return it_psql_id("SELECT email_opt_out::text || email_opt_in::text FROM users WHERE "
			  "id = $1", id);
}

static void expect_choices(long long id, const char *want, const char *what)
{
	char *v = choices(id);

	ck_assert_msg(strcmp(v, want) == 0, "%s: %s, not %s", what, v, want);
	free(v);
}

/* Fails unless the audit log has one stop of email key for account id, by its address, via
 * "link" or "one_click". */
static void expect_audited(long long id, const char *email, const char *key, const char *via)
{
	char uid[24];
	const char *vals[4] = { uid, email, key, via };
	char *v;

	snprintf(uid, sizeof uid, "%lld", id);
	v = it_psql_params("SELECT count(*) FROM audit_log WHERE action = 'email_preferences.stop' "
			   "AND object_id = $1 AND actor_id IS NULL AND actor_email = $2 AND "
			   "detail ->> 'turned_off' = $3 AND detail ->> 'via' = $4", 4, vals);
	ck_assert_msg(strcmp(v, "1") == 0, "the stop of %s is audited %s times", key, v);
	free(v);
}

/* Presses the stop page's button of link (a path "/emails/stop?token=T") with c; fills r. */
static void confirm_stop(struct it_client *c, const char *link, struct it_resp *r)
{
	char *form = it_form("token", strchr(link, '=') + 1, (char *)NULL);

	it_client_post(c, "/emails/stop/confirm", form, r);
	free(form);
}

START_TEST(stopped_for_one_manager)
{
	long urn = it_school(48);
	char a_email[128], b_email[128], *link, *other;
	long long a, b, first, second;
	struct it_client visitor = { 0 }, signed_in = { 0 };
	struct it_resp r;

	a = manager(urn, a_email);
	b = manager(urn, b_email);
	first = it_vacancy_add(urn, "closed", "title", "Teacher of Stopping", (char *)NULL);
	closed_mail(first);
	ck_assert_int_eq(mails(a_email, "has closed"), 1);
	ck_assert_int_eq(mails(b_email, "has closed"), 1);
	link = stop_link(a_email, "has closed");
	other = stop_link(b_email, "has closed");
	ck_assert_msg(strcmp(link, other) != 0, "two managers share one link");
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM email_stop_tokens WHERE user_id = "
					 "$1 AND email_key = 'listing_closed' AND expires_at > "
					 "now() + interval '89 days'", a), 1);

	/* Opening it shows what it stops and stops nothing. */
	it_client_get(&visitor, link, &r);
	it_expect_status(&r, 200, "the link's page");
	ck_assert_msg(it_noindex(&r) && it_header_has(&r, "Cache-Control", "no-store"),
		      "the link's page may be kept or indexed");
	ck_assert_msg(strstr(r.body, "Stop these emails</button>") != NULL &&
		      strstr(r.body, "When a job listing closes, with how many people applied") &&
		      strstr(r.body, a_email) != NULL,
		      "the page does not say what it stops: %.2000s", r.body);
	it_resp_free(&r);
	expect_choices(a, "{}{}", "opening the link");

	/* The button, without signing in: a token that is not one is 404 and stops nothing. */
	it_client_post(&visitor, "/emails/stop/confirm",
		       "token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &r);
	it_expect_status(&r, 404, "an unknown token");
	it_resp_free(&r);
	confirm_stop(&visitor, link, &r);
	it_expect_status(&r, 200, "stopping");
	ck_assert_msg(strstr(r.body, "Emails stopped") != NULL &&
		      strstr(r.body, "(you need to sign in)") != NULL,
		      "the page does not say so: %.2000s", r.body);
	it_resp_free(&r);
	expect_choices(a, "{listing_closed}{}", "the stopped manager");
	expect_choices(b, "{}{}", "the other manager");
	expect_audited(a, a_email, "listing_closed", "link");

	/* Twice is harmless; the link then says so; the settings page shows the box unticked. */
	confirm_stop(&visitor, link, &r);
	it_expect_status(&r, 200, "stopping twice");
	it_resp_free(&r);
	expect_choices(a, "{listing_closed}{}", "stopping twice");
	it_client_get(&visitor, link, &r);
	ck_assert_msg(strstr(r.body, "These emails are already stopped") != NULL &&
		      strstr(r.body, "Stop these emails</button>") == NULL,
		      "the link's page: %.2000s", r.body);
	it_resp_free(&r);
	it_login(&signed_in, a_email, PW);
	it_client_get(&signed_in, "/account", &r);
	ck_assert_msg(strstr(r.body, "value=\"listing_closed\">") != NULL,
		      "the settings page shows it ticked");
	ck_assert_msg(strstr(r.body, "value=\"listing_live\" checked") != NULL,
		      "another email was turned off");
	it_resp_free(&r);

	/* The next listing's email goes to the other manager only. */
	second = it_vacancy_add(urn, "closed", "title", "Teacher of Stopping Again", (char *)NULL);
	closed_mail(second);
	ck_assert_int_eq(mails(a_email, "has closed"), 1);
	ck_assert_int_eq(mails(b_email, "has closed"), 2);
	free(other);
	free(link);
}
END_TEST

START_TEST(stopped_in_one_click)
{
	static const char multipart[] = "--b\r\nContent-Disposition: form-data; "
					"name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--b--\r\n";
	static const char form_type[] = "application/x-www-form-urlencoded";
	long urn = it_school(49);
	char email[128], *link;
	struct it_client mailer = { 0 };
	struct it_resp r;
	long long id, vid;
	PGconn *c;

	id = manager(urn, email);
	vid = it_vacancy_add(urn, "published", "title", "Teacher of One Click", (char *)NULL);
	c = it_jobs_connect();
	it_exec_ok(c, "BEGIN");
	ck_assert_int_ge(vacancy_live_mail(c, vid), 1);
	it_exec_ok(c, "COMMIT");
	link = stop_link(email, "is live");
	ck_assert_int_eq(mails(email, "is live"), 1);

	it_client_send(&mailer, "POST", link, form_type, "", 0, NULL, &r);
	it_expect_status(&r, 400, "a POST without List-Unsubscribe=One-Click");
	it_resp_free(&r);
	it_client_send(&mailer, "POST", "/emails/stop?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		       "AAAA", "multipart/form-data; boundary=b", multipart, sizeof multipart - 1,
		       NULL, &r);
	it_expect_status(&r, 404, "one-click with an unknown token");
	it_resp_free(&r);
	expect_choices(id, "{}{}", "refused one-clicks");

	it_client_send(&mailer, "POST", link, "multipart/form-data; boundary=b", multipart,
		       sizeof multipart - 1, NULL, &r);
	it_expect_status(&r, 200, "one-click unsubscribe");
	ck_assert_msg(strstr(r.body, "stopped") != NULL, "body: %.300s", r.body);
	it_resp_free(&r);
	expect_choices(id, "{listing_live}{}", "one-click");
	expect_audited(id, email, "listing_live", "one_click");

	/* An expired link is refused, and the cleanup deletes it. */
	it_psql_id_exec("UPDATE email_stop_tokens SET expires_at = now() - interval '1 second' "
			"WHERE user_id = $1", id);
	it_client_send(&mailer, "POST", link, form_type, "List-Unsubscribe=One-Click", 26, NULL,
		       &r);
	it_expect_status(&r, 404, "an expired link");
	it_resp_free(&r);
	it_expect_get(&mailer, link, 404, "an expired link's page");
	ck_assert_int_eq(link_tokens_expire(c), 0);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM email_stop_tokens WHERE user_id = "
					 "$1", id), 0);
	it_jobs_disconnect(c);
	free(link);
}
END_TEST

/* The end of the window of today's summaries, as application_summary.c computes it. */
#define SUMMARY_UNTIL_SQL                                                                      \
	"((date_trunc('day', now() AT TIME ZONE 'Europe/London' - interval '7 hours') + "       \
	"interval '7 hours') AT TIME ZONE 'Europe/London')"

START_TEST(chosen_email_unchosen)
{
	long urn = it_school(49);
	char email[128], cand_email[128], *link;
	struct it_client visitor = { 0 };
	struct it_resp r;
	long long id, vid, cand;
	PGconn *c;

	id = manager(urn, email);
	it_psql_id_exec("UPDATE users SET email_opt_in = '{application_summary}', "
			"application_summary_until = now() - interval '5 days' WHERE id = $1", id);
	vid = it_vacancy_add(urn, "published", "title", "Teacher of Summaries Stopped",
			     (char *)NULL);
	it_unique_email(cand_email, sizeof cand_email, "applicant");
	cand = it_user_add(cand_email, "Ada Candidate", "candidate", NULL, 1);
	it_application_add(vid, cand, "submitted", "Summed", cand_email);
	it_psql_id_exec("UPDATE applications SET submitted_at = " SUMMARY_UNTIL_SQL " - interval "
			"'1 hour', status_changed_at = " SUMMARY_UNTIL_SQL " - interval '1 hour' "
			"WHERE vacancy_id = $1", vid);
	c = it_jobs_connect();
	ck_assert_int_ge(application_summary_run_once(c), 0);
	it_jobs_disconnect(c);
	mails_until(email, "Applications for your school", 1);
	link = stop_link(email, "Applications for your school");

	it_client_get(&visitor, link, &r);
	it_expect_status(&r, 200, "the summary's link");
	ck_assert_msg(strstr(r.body, "one each morning summing up") != NULL &&
		      strstr(r.body, "an email for each application again") != NULL,
		      "the page: %.2000s", r.body);
	it_resp_free(&r);
	confirm_stop(&visitor, link, &r);
	it_expect_status(&r, 200, "stopping the summary");
	it_resp_free(&r);
	expect_choices(id, "{}{}", "the summary stopped");
	free(link);
}
END_TEST

START_TEST(candidate_reminder_link)
{
	long urn = it_school(48);
	char email[128], *link;
	struct it_client mailer = { 0 };
	struct it_resp r;
	long long cand, vid;
	PGconn *c;

	cand = it_user_signed_in(NULL, "candidate", "Dora Draft", PW, email);
	vid = it_vacancy_add(urn, "published", "title", "Teacher of Drafts",
			     "closes_at", "=now() + interval '20 hours'", (char *)NULL);
	it_application_add(vid, cand, "draft", "Draft", email);
	c = it_jobs_connect();
	ck_assert_int_ge(application_jobs_run_once(c), 0);
	it_jobs_disconnect(c);
	mails_until(email, "application closes in", 1);
	link = stop_link(email, "application closes in");
	it_client_send(&mailer, "POST", link, "application/x-www-form-urlencoded",
		       "List-Unsubscribe=One-Click", 26, NULL, &r);
	it_expect_status(&r, 200, "one-click");
	it_resp_free(&r);
	expect_choices(cand, "{application_reminder}{}", "the reminder stopped");
	free(link);
}
END_TEST

static Suite *email_stop_suite(void)
{
	Suite *s = suite_create("email_stop");
	TCase *tc = it_tcase("email_stop", 60, it_fixture_server);

	tcase_add_test(tc, stopped_for_one_manager);
	tcase_add_test(tc, stopped_in_one_click);
	tcase_add_test(tc, chosen_email_unchosen);
	tcase_add_test(tc, candidate_reminder_link);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(email_stop_suite());
}
