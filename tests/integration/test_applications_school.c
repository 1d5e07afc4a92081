/* test_applications_school.c - the school's side of applications and their lifecycle
 * (issue 5): every transition of application_lifecycle.h's table and every forbidden one
 * (called in this process, each in a transaction rolled back after its checks), with its
 * status_events row (actor, reason) and its emails in the outbox (the interview's with an
 * invite.ics attachment); through the pages: shortlist, invite to interview (an email with a
 * text/calendar part delivered over SMTP), rearrange (same UID, SEQUENCE + 1), offer, accept,
 * decline, not progressing, with the refused ones answered 409 and bad interview details 422,
 * nothing changed; notes; bulk shortlist and not progressing (what cannot move is listed);
 * the list's tabs, counts and pages; the CSV export (formula cells neutralised, no
 * equal-opportunities data, statement or declarations); equal-opportunities answers absent
 * from every school page and export, shown only as totals at 5 applications; the XSS corpus
 * in every text field of an application rendered escaped; school B gets 404 on every URL of
 * school A's applications and a viewer 403 on every change; drafts are invisible to schools;
 * the dashboard counts applications.
 *
 * This file uses the schools 11 to 19 (in URN order). */
#include <libpq-fe.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "application_lifecycle.h"
#include "application_summary.h"
#include "buf.h"
#include "csv.h"
#include "harness.h"

/* What the list says while the equal opportunities totals are not shown. */
#define EQUAL_OPPS_LATER "appear here once this job has closed, if 5 or more candidates"
#include "mail.h"

#define PW "Chafford-hundred-1988-lakes"
#define MAIL_FROM "Teaching in Thurrock <no-reply@thurrock.example.test>"

/* The XSS corpus: every text field of an application gets one of these. */
static const char *const xss[] = {
	"<script>alert(1)</script>",
	"\"><img src=x onerror=alert(1)>",
	"'><svg onload=alert(1)>",
	"</textarea><script>alert(2)</script>",
};
/* What must never appear raw in a page. */
static const char *const xss_raw[] = {
	"<script>alert(1)</script>", "<img src=x onerror", "<svg onload", "<script>alert(2)",
};

/* --- fixtures ------------------------------------------------------------------------------ */

/* A new school_staff user with membership `role` of school urn; signed in on c when c is not
 * NULL. Their address into email (128 bytes) when not NULL. Returns the id. */
static long long staff(struct it_client *c, long urn, const char *role, char *email)
{
	char e[128];
	long long id;

	it_unique_email(e, sizeof e, "staff");
	id = it_user_add(e, "Harriet Manager", "school_staff", c != NULL ? PW : NULL, 1);
	it_membership_add(id, urn, role);
	if (c != NULL)
		it_login(c, e, PW);
	if (email != NULL)
		snprintf(email, 128, "%s", e);
	return id;
}

/* An application of a new candidate to vacancy vid in status, last name `last`; the
 * candidate's address (also the one in the application) into email (128 bytes) and their id
 * into *cand when not NULL. Returns the application's id. */
static long long app_new(long long vid, const char *status, const char *last, char *email,
			 long long *cand)
{
	char e[128];
	long long cid;

	it_unique_email(e, sizeof e, "applicant");
	cid = it_user_add(e, "Ada Candidate", "candidate", NULL, 1);
	if (email != NULL)
		snprintf(email, 128, "%s", e);
	if (cand != NULL)
		*cand = cid;
	return it_application_add(vid, cid, status, last, e);
}

/* The first value of sql with $1 = the text s, as a number (0 when NULL). */
static long long qsn(const char *sql, const char *s)
{
	const char *vals[1] = { s };
	char *v = it_psql_params(sql, 1, vals);
	long long n = v != NULL ? strtoll(v, NULL, 10) : 0;

	free(v);
	return n;
}

/* Fails unless the latest status event of application id is "event|from|to|actor|reason". */
static void expect_event(long long id, const char *want, const char *what)
{
	char *v = it_psql_id("SELECT event || '|' || coalesce(from_status, '-') || '|' || "
			     "to_status || '|' || coalesce(actor_id::text, '-') || '|' || "
			     "coalesce(reason, '-') FROM status_events WHERE entity = "
			     "'application' AND entity_id = $1 ORDER BY id DESC LIMIT 1", id);

	ck_assert_msg(v != NULL && strcmp(v, want) == 0, "%s: latest event of %lld is %s, want %s",
		      what, id, v ? v : "(none)", want);
	free(v);
}

/* Number of status events of application id. */
static long long nevents(long long id)
{
	return it_psql_id_long("SELECT count(*) FROM status_events WHERE entity = 'application' "
			       "AND entity_id = $1", id);
}

/* "/school/applications/ID" + tail into out (128 bytes). */
static const char *apath(char *out, long long id, const char *tail)
{
	snprintf(out, 128, "/school/applications/%lld%s", id, tail);
	return out;
}

/* "/school/vacancies/ID/applications" + tail into out (128 bytes). */
static const char *lpath(char *out, long long vid, const char *tail)
{
	snprintf(out, 128, "/school/vacancies/%lld/applications%s", vid, tail);
	return out;
}

/* The interview form for a day `days` from today at time, duration, place. Caller frees. */
static char *interview_form(int days, const char *time, const char *duration, const char *place,
			    const char *panel)
{
	char d[8], m[8], y[8];

	it_date_in(days, d, m, y);
	return it_form("interview_date-day", d, "interview_date-month", m, "interview_date-year", y,
		       "interview_time", time, "interview_duration", duration, "interview_place",
		       place, "interview_panel", panel, "interview_details",
		       "Please teach a 20 minute lesson.", (char *)NULL);
}

/* Fails unless html holds none of the raw XSS payloads. */
static void expect_no_raw_xss(const char *html, const char *what)
{
	for (size_t i = 0; i < sizeof xss_raw / sizeof xss_raw[0]; i++)
		ck_assert_msg(strstr(html, xss_raw[i]) == NULL, "%s: raw %s in the page", what,
			      xss_raw[i]);
}

/* --- in this process: the lifecycle itself --------------------------------------------------- */

/* Checked fixture: the templates and settings mail_enqueue renders with here. */
static void lifecycle_setup(void)
{
	char err[512];

	snprintf(app.cfg.base_url, sizeof app.cfg.base_url, "https://portal.example.test");
	snprintf(app.cfg.mail_from, sizeof app.cfg.mail_from, "%s", MAIL_FROM);
	app.templates = tpl_set_new();
	ck_assert_ptr_nonnull(app.templates);
	ck_assert_msg(tpl_set_load_dir(app.templates, "frontend/templates", MAIL_TEMPLATE_DIR, err, sizeof err) == 0,
		      "templates: %s", err);
}

static void lifecycle_teardown(void)
{
	tpl_set_free(app.templates);
	app.templates = NULL;
}

/* Runs sql on c with $1 = id and returns the first value (caller frees; NULL when none). */
static char *cq(PGconn *c, const char *sql, long long id)
{
	char s[24];
	const char *vals[1] = { s };
	PGresult *res;
	char *v = NULL;

	snprintf(s, sizeof s, "%lld", id);
	res = PQexecParams(c, sql, 1, NULL, vals, NULL, NULL, 0);
	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "%s: %s", sql,
		      PQresultErrorMessage(res));
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
		v = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

static long long cqn(PGconn *c, const char *sql, long long id)
{
	char *v = cq(c, sql, id);
	long long n = v != NULL ? strtoll(v, NULL, 10) : 0;

	free(v);
	return n;
}

/* The table of application_lifecycle.h, as the specification the code must follow. */
static const struct {
	const char *from;
	const char *event;
	const char *to;
} allowed[] = {
	{ "draft", "submit", "submitted" },
	{ "draft", "delete", "deleted" },
	{ "submitted", "shortlist", "shortlisted" },
	{ "shortlisted", "interview", "interviewing" },
	{ "interviewing", "interview", "interviewing" },
	{ "interviewing", "offer", "offered" },
	{ "offered", "accept", "accepted" },
	{ "offered", "decline", "declined" },
	{ "submitted", "reject", "unsuccessful" },
	{ "shortlisted", "reject", "unsuccessful" },
	{ "interviewing", "reject", "unsuccessful" },
	{ "offered", "reject", "unsuccessful" },
	{ "submitted", "withdraw", "withdrawn" },
	{ "shortlisted", "withdraw", "withdrawn" },
	{ "interviewing", "withdraw", "withdrawn" },
	{ "offered", "withdraw", "withdrawn" },
};

static const char *const all_statuses[] = {
	"draft", "submitted", "shortlisted", "interviewing", "offered", "accepted", "declined",
	"unsuccessful", "withdrawn",
};
static const char *const all_events[] = {
	"submit", "delete", "shortlist", "interview", "offer", "accept", "decline", "reject",
	"withdraw",
};

/* The status event leads to from `from`, or NULL when the table does not allow it. */
static const char *allowed_to(const char *from, const char *event)
{
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (strcmp(allowed[i].from, from) == 0 && strcmp(allowed[i].event, event) == 0)
			return allowed[i].to;
	return NULL;
}

/* The template that event emails to the candidate (NULL: none) and to hiring managers. */
static void expected_mail(const char *event, const char **candidate, const char **managers)
{
	*candidate = NULL;
	*managers = NULL;
	if (strcmp(event, "submit") == 0) {
		*candidate = "has been submitted";
		*managers = "New application for";
	} else if (strcmp(event, "interview") == 0) {
		*candidate = "Invitation to interview";
	} else if (strcmp(event, "withdraw") == 0) {
		*managers = "Application withdrawn";
	} else if (strcmp(event, "delete") != 0) {
		*candidate = "Dear Ada,";
	}
}

/* Messages in the outbox after id `since` to `to` whose subject or body holds needle. */
static long long outbox_since(PGconn *c, long long since, const char *to, const char *needle)
{
	char s[24];
	const char *vals[3] = { s, to, needle };
	PGresult *res;
	long long n;

	snprintf(s, sizeof s, "%lld", since);
	res = PQexecParams(c, "SELECT count(*) FROM outbox WHERE id > $1::bigint AND "
			      "lower(to_address) = lower($2) AND strpos(subject || body, $3) > 0",
			   3, NULL, vals, NULL, NULL, 0);
	ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
	n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return n;
}

START_TEST(every_transition_and_forbidden_one)
{
	long urn = it_school(11);
	char hm_email[128], quiet_email[128], cand_email[9][128], *v;
	long long hm = staff(NULL, urn, "hiring_manager", hm_email), vid, ids[9], cands[9];
	/* A second hiring manager who turned these emails off on /account: never emailed. */
	long long quiet = staff(NULL, urn, "hiring_manager", quiet_email);
	PGconn *c = PQconnectdb("postgresql://");
	const char *to, *mail_candidate, *mail_managers, *reason;
	long long before_events, before_outbox, actor;
	json_t *detail;
	size_t s, e;
	int rc;

	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "connect: %s", PQerrorMessage(c));
	it_psql_id_exec("UPDATE users SET email_opt_out = '{application_updates}' WHERE id = $1",
			quiet);
	vid = it_vacancy_add(urn, "published", (char *)NULL);
	for (s = 0; s < 9; s++)
		ids[s] = app_new(vid, all_statuses[s], "Matrix", cand_email[s], &cands[s]);
	for (s = 0; s < 9; s++) {
		for (e = 0; e < 9; e++) {
			const char *from = all_statuses[s], *event = all_events[e];
			bool by_candidate = strcmp(event, "submit") == 0 ||
					    strcmp(event, "delete") == 0 ||
					    strcmp(event, "withdraw") == 0;
			char what[96], want[256];

			snprintf(what, sizeof what, "%s -%s->", from, event);
			to = allowed_to(from, event);
			actor = by_candidate ? cands[s] : hm;
			reason = strcmp(event, "withdraw") == 0 ? "Found another job"
				 : strcmp(event, "reject") == 0 ? "Thank you for applying"
								  : NULL;
			detail = strcmp(event, "interview") == 0
					 ? json_pack("{s:s, s:i, s:s, s:s, s:s}", "starts_at",
						     "2099-03-27 14:30:00+00", "duration_minutes", 45,
						     "place", "Room 4, Main building", "panel",
						     "Ms Head, Mr Deputy", "details", "Bring ID.")
					 : NULL;
			it_exec_ok(c, "BEGIN");
			before_events = cqn(c, "SELECT count(*) FROM status_events WHERE entity = "
					       "'application' AND entity_id = $1", ids[s]);
			before_outbox = cqn(c, "SELECT coalesce(max(id), 0) FROM outbox WHERE "
					       "$1::bigint > 0", 1);
			rc = application_transition(c, ids[s], event, actor, reason, detail);
			json_decref(detail);
			v = cq(c, "SELECT status FROM applications WHERE id = $1", ids[s]);
			if (to == NULL) {
				ck_assert_msg(rc == AT_NOT_ALLOWED, "%s: %d, want AT_NOT_ALLOWED", what,
					      rc);
				ck_assert_msg(v != NULL && strcmp(v, from) == 0, "%s: status %s", what,
					      v ? v : "(gone)");
				ck_assert_int_eq(cqn(c, "SELECT count(*) FROM status_events WHERE "
						       "entity = 'application' AND entity_id = $1",
						     ids[s]),
						 before_events);
				ck_assert_int_eq(cqn(c, "SELECT count(*) FROM outbox WHERE id > $1",
						     before_outbox),
						 0);
			} else {
				ck_assert_msg(rc == AT_DONE, "%s: %d, want AT_DONE", what, rc);
				ck_assert_msg(strcmp(to, "deleted") == 0 ? v == NULL
									 : v != NULL && strcmp(v, to) == 0,
					      "%s: status %s", what, v ? v : "(gone)");
				free(v);
				v = cq(c, "SELECT event || '|' || from_status || '|' || to_status || "
					  "'|' || actor_id || '|' || coalesce(reason, '-') FROM "
					  "status_events WHERE entity = 'application' AND entity_id = "
					  "$1 ORDER BY id DESC LIMIT 1", ids[s]);
				snprintf(want, sizeof want, "%s|%s|%s|%lld|%s", event, from, to, actor,
					 reason ? reason : "-");
				ck_assert_msg(v != NULL && strcmp(v, want) == 0, "%s: event %s, want %s",
					      what, v ? v : "(none)", want);
				expected_mail(event, &mail_candidate, &mail_managers);
				ck_assert_int_eq(outbox_since(c, before_outbox, cand_email[s], ""),
						 mail_candidate != NULL);
				if (mail_candidate != NULL)
					ck_assert_msg(outbox_since(c, before_outbox, cand_email[s],
								   mail_candidate) == 1,
						      "%s: no email \"%s\" to the candidate", what,
						      mail_candidate);
				ck_assert_int_eq(outbox_since(c, before_outbox, hm_email, ""),
						 mail_managers != NULL);
				ck_assert_int_eq(outbox_since(c, before_outbox, quiet_email, ""), 0);
				if (mail_managers != NULL)
					ck_assert_msg(outbox_since(c, before_outbox, hm_email,
								   mail_managers) == 1,
						      "%s: no email \"%s\" to the hiring manager", what,
						      mail_managers);
				if (strcmp(event, "submit") == 0)
					ck_assert_int_eq(cqn(c, "SELECT count(*) FROM applications "
							       "WHERE id = $1 AND submitted_at > "
							       "now() - interval '1 minute'", ids[s]),
							 1);
				if (strcmp(event, "withdraw") == 0) {
					free(v);
					v = cq(c, "SELECT withdrawn_reason FROM applications WHERE "
						  "id = $1", ids[s]);
					ck_assert_str_eq(v, "Found another job");
				}
				if (strcmp(event, "interview") == 0) {
					free(v);
					/* Unfolded (RFC 5545 3.1) for the checks. */
					v = cq(c, "SELECT replace(attachments->0->>'filename' || '|' || "
						  "(attachments->0->>'content_type') || '|' || "
						  "(attachments->0->>'content'), E'\\r\\n ', '') FROM outbox "
						  "WHERE id > $1 ORDER BY id LIMIT 1", before_outbox);
					ck_assert_msg(v != NULL && strncmp(v, "invite.ics|text/calendar; "
									  "method=REQUEST; charset=UTF-8|"
									  "BEGIN:VCALENDAR\r\n", 67) == 0 &&
							      strstr(v, "DTSTART:20990327T143000Z\r\n") &&
							      strstr(v, "DTEND:20990327T151500Z\r\n") &&
							      strstr(v, "LOCATION:Room 4\\, Main building") &&
							      strstr(v, "ORGANIZER;CN=") &&
							      strstr(v, "mailto:no-reply@thurrock.example.test"),
						      "%s: the attachment is %s", what, v ? v : "(none)");
					ck_assert_int_eq(cqn(c, "SELECT count(*) FROM "
							       "application_interviews WHERE "
							       "application_id = $1", ids[s]),
							 1);
				}
				if (strcmp(event, "reject") == 0)
					ck_assert_int_eq(outbox_since(c, before_outbox, cand_email[s],
								      "Thank you for applying"),
							 1);
			}
			free(v);
			it_exec_ok(c, "ROLLBACK");
		}
	}
	PQfinish(c);
}
END_TEST

START_TEST(closed_unknown_and_someone_else)
{
	long urn = it_school(12);
	long long vclosed = it_vacancy_add(urn, "closed", (char *)NULL);
	long long vpast = it_vacancy_add(urn, "published", "closes_at",
					 "=now() - interval '1 minute'", (char *)NULL);
	long long vopen = it_vacancy_add(urn, "published", (char *)NULL);
	long long c1, c2, c3, a1, a2, a3, hm = staff(NULL, urn, "hiring_manager", NULL);
	PGconn *c = PQconnectdb("postgresql://");

	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "connect: %s", PQerrorMessage(c));
	a1 = app_new(vclosed, "draft", "Closed", NULL, &c1);
	a2 = app_new(vpast, "draft", "Past", NULL, &c2);
	a3 = app_new(vopen, "submitted", "Open", NULL, &c3);
	it_exec_ok(c, "BEGIN");
	ck_assert_int_eq(application_transition(c, a1, "submit", c1, NULL, NULL), AT_CLOSED);
	ck_assert_int_eq(application_transition(c, a2, "submit", c2, NULL, NULL), AT_CLOSED);
	/* A candidate's event by someone else, or by nobody: as if there were no application. */
	ck_assert_int_eq(application_transition(c, a3, "withdraw", c1, "x", NULL), AT_NOT_FOUND);
	ck_assert_int_eq(application_transition(c, a3, "withdraw", hm, "x", NULL), AT_NOT_FOUND);
	ck_assert_int_eq(application_transition(c, a3, "withdraw", 0, "x", NULL), AT_NOT_FOUND);
	ck_assert_int_eq(application_transition(c, 0, "shortlist", hm, NULL, NULL), AT_NOT_FOUND);
	ck_assert_int_eq(application_transition(c, a3 + 1000000, "shortlist", hm, NULL, NULL),
			 AT_NOT_FOUND);
	ck_assert_int_eq(application_transition(c, a3, "promote", hm, NULL, NULL), -1);
	ck_assert_int_eq(application_transition(c, a3, NULL, hm, NULL, NULL), -1);
	/* An interview needs its details. */
	it_exec_ok(c, "ROLLBACK");
	it_exec_ok(c, "BEGIN");
	ck_assert_int_eq(application_transition(c, a3, "shortlist", hm, NULL, NULL), AT_DONE);
	ck_assert_int_eq(application_transition(c, a3, "interview", hm, NULL, NULL), -1);
	it_exec_ok(c, "ROLLBACK");
	it_expect_application_status(a1, "draft", "submit after closing");
	it_expect_application_status(a2, "draft", "submit after closes_at");
	it_expect_application_status(a3, "submitted", "rolled back");
	/* application_record_created writes the first event. */
	it_exec_ok(c, "BEGIN");
	ck_assert_int_eq(application_record_created(c, a1, c1), 0);
	it_exec_ok(c, "COMMIT");
	{
		char want[96];

		snprintf(want, sizeof want, "create|-|draft|%lld|-", c1);
		expect_event(a1, want, "record created");
	}
	PQfinish(c);
	(void)c3;
}
END_TEST

/* The candidate's emails go to their account's (verified) address, never to an address typed
 * into the application: that could be anyone's. */
START_TEST(emails_to_the_account_address)
{
	long urn = it_school(12);
	long long vid = it_vacancy_add(urn, "published", (char *)NULL), id;
	long long hm = staff(NULL, urn, "hiring_manager", NULL);
	char account[128], other[128], ids[24];
	const char *vals[2] = { other, ids };
	PGconn *c = PQconnectdb("postgresql://");

	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "connect: %s", PQerrorMessage(c));
	id = app_new(vid, "submitted", "Addressed", account, NULL);
	snprintf(ids, sizeof ids, "%lld", id);
	it_unique_email(other, sizeof other, "personal");
	free(it_psql_params("UPDATE applications SET data = jsonb_set(data, '{personal,email}', "
			    "to_jsonb($1::text)) WHERE id = $2::bigint RETURNING 1", 2, vals));
	it_exec_ok(c, "BEGIN");
	ck_assert_int_eq(application_transition(c, id, "shortlist", hm, NULL, NULL), AT_DONE);
	it_exec_ok(c, "COMMIT");
	ck_assert_int_eq(it_outbox_count(other), 0);
	ck_assert_int_eq(it_outbox_count(account), 1);
	PQfinish(c);
}
END_TEST

/* --- through the pages --------------------------------------------------------------------- */

/* Decodes the base64 lines of the MIME part after `after` in msg, up to the next boundary
 * line. Caller frees. */
static char *base64_after(const char *msg, const char *after)
{
	const char *p = strstr(msg, after);
	struct buf in = { 0 };
	unsigned char *out;
	int n;

	ck_assert_msg(p != NULL, "no \"%s\" in the message", after);
	p = strstr(p, "\r\n\r\n");
	ck_assert_ptr_nonnull(p);
	for (p += 4; *p != '\0' && *p != '-';) {
		size_t len = strcspn(p, "\r\n");

		buf_append(&in, p, len);
		p += len;
		p += strspn(p, "\r\n");
	}
	out = calloc(1, in.len + 4);
	ck_assert_ptr_nonnull(out);
	n = EVP_DecodeBlock(out, (const unsigned char *)buf_str(&in), (int)in.len);
	ck_assert_int_ge(n, 0);
	while (n > 0 && out[n - 1] == '\0')
		n--;
	out[n] = '\0';
	buf_free(&in);
	return (char *)out;
}

START_TEST(school_moves_an_application_through)
{
	struct it_client hmc = { 0 };
	struct it_resp r;
	long urn = it_school(13);
	long long hm = staff(&hmc, urn, "hiring_manager", NULL), vid, id, id2;
	char email[128], email2[128], path[128], *form, *uid, *msg, *ics, want[160];

	vid = it_vacancy_add(urn, "published", "title", "Teacher of geography", (char *)NULL);
	id = app_new(vid, "submitted", "Lovelace", email, NULL);
	id2 = app_new(vid, "submitted", "Byron", email2, NULL);

	/* The page shows the application, printable, with the actions its status allows. */
	it_client_get(&hmc, apath(path, id, ""), &r);
	it_expect_status(&r, 200, "the application page");
	ck_assert_ptr_nonnull(strstr(r.body, "Ada Lovelace"));
	ck_assert_ptr_nonnull(strstr(r.body, "Personal details"));
	ck_assert_ptr_nonnull(strstr(r.body, "I love teaching mathematics."));
	ck_assert_ptr_nonnull(strstr(r.body, "Rita Referee"));
	ck_assert_ptr_nonnull(strstr(r.body, "CV and covering letter"));
	ck_assert_ptr_nonnull(strstr(r.body, "govuk-!-display-none-print"));
	ck_assert_ptr_nonnull(strstr(r.body, "value=\"shortlist\""));
	ck_assert_ptr_nonnull(strstr(r.body, "value=\"reject\""));
	ck_assert_ptr_null(strstr(r.body, "value=\"offer\""));
	/* A submitted application is shortlisted before its interview. */
	ck_assert_ptr_null(strstr(r.body, "/interview\" method=\"post\""));
	it_resp_free(&r);

	/* Offering the job to a candidate who was not interviewed is refused. */
	it_client_post(&hmc, apath(path, id, "/status"), "event=offer", &r);
	it_expect_status(&r, 409, "offer from submitted");
	ck_assert_ptr_nonnull(strstr(r.body, "govuk-error-summary"));
	it_resp_free(&r);
	it_expect_application_status(id, "submitted", "offer from submitted");
	ck_assert_int_eq(nevents(id), 0);
	ck_assert_int_eq(it_outbox_count(email), 0);

	/* Shortlist, with a message for the candidate. */
	it_client_post(&hmc, apath(path, id, "/status"),
		       "event=shortlist&message=We+look+forward+to+meeting+you.", &r);
	ck_assert_msg(r.status == 303 && strstr(it_location(&r), "done=shortlist") != NULL,
		      "shortlist: %ld %s", r.status, it_location(&r));
	it_resp_free(&r);
	it_expect_application_status(id, "shortlisted", "shortlist");
	snprintf(want, sizeof want, "shortlist|submitted|shortlisted|%lld|We look forward to "
		 "meeting you.", hm);
	expect_event(id, want, "shortlist");
	ck_assert_int_eq(qsn("SELECT count(*) FROM outbox WHERE to_address = $1 AND subject LIKE "
			     "'You have been shortlisted for Teacher of geography' AND body LIKE "
			     "'%We look forward to meeting you.%' AND body LIKE "
			     "'%/account/applications/%'", email), 1);

	/* Interview: bad details are refused (422) and change nothing. */
	form = interview_form(-1, "10:00", "45", "Room 4", "");
	it_client_post(&hmc, apath(path, id, "/interview"), form, &r);
	free(form);
	it_expect_status(&r, 422, "an interview in the past");
	ck_assert_ptr_nonnull(strstr(r.body, "must be in the future"));
	it_resp_free(&r);
	form = interview_form(7, "25:00", "3", "", "");
	it_client_post(&hmc, apath(path, id, "/interview"), form, &r);
	free(form);
	it_expect_status(&r, 422, "bad time, duration and place");
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"#interview_time\""));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"#interview_duration\""));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"#interview_place\""));
	ck_assert_ptr_nonnull(strstr(r.body, "<title>Error: "));
	it_resp_free(&r);
	it_client_post(&hmc, apath(path, id, "/interview"), "interview_time=10%3A00", &r);
	it_expect_status(&r, 422, "no date");
	ck_assert_ptr_nonnull(strstr(r.body, "Enter the date of the interview"));
	it_resp_free(&r);
	it_expect_application_status(id, "shortlisted", "refused interviews");
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM application_interviews WHERE "
					 "application_id = $1", id), 0);

	/* The invitation: interviewing, an application_interviews row, an email with the .ics. */
	form = interview_form(14, "14:30", "45", "Gable Hall School, Room 4", "Ms Head, Mr Deputy");
	it_client_post(&hmc, apath(path, id, "/interview"), form, &r);
	free(form);
	ck_assert_msg(r.status == 303, "interview: %ld %.600s", r.status, r.body);
	it_resp_free(&r);
	it_expect_application_status(id, "interviewing", "interview");
	snprintf(want, sizeof want, "interview|shortlisted|interviewing|%lld|-", hm);
	expect_event(id, want, "interview");
	uid = it_psql_id("SELECT uid || '|' || sequence || '|' || duration_minutes || '|' || place "
			 "FROM application_interviews WHERE application_id = $1", id);
	ck_assert_msg(uid != NULL && strstr(uid, "|0|45|Gable Hall School, Room 4") != NULL,
		      "interview row: %s", uid ? uid : "(none)");
	*strchr(uid, '|') = '\0';
	msg = it_mail_wait(email, "Invitation to interview", 15000);
	ck_assert_msg(strstr(msg, "Content-Type: multipart/mixed; boundary=") != NULL &&
		      strstr(msg, "Content-Type: text/calendar; method=REQUEST; charset=UTF-8; "
				  "name=\"invite.ics\"") != NULL &&
		      strstr(msg, "Content-Disposition: attachment; filename=\"invite.ics\"") != NULL,
		      "the invitation is not multipart with a calendar: %.1500s", msg);
	ics = base64_after(msg, "name=\"invite.ics\"");
	ck_assert_msg(strstr(ics, "METHOD:REQUEST\r\n") && strstr(ics, "SEQUENCE:0\r\n") &&
		      strstr(ics, uid) && strstr(ics, "SUMMARY:Interview: Teacher of geography"),
		      "the calendar: %s", ics);
	free(ics);
	free(msg);
	it_client_get(&hmc, apath(path, id, ""), &r);
	ck_assert_ptr_nonnull(strstr(r.body, "Gable Hall School, Room 4"));
	ck_assert_ptr_nonnull(strstr(r.body, "Rearrange the interview"));
	ck_assert_ptr_nonnull(strstr(r.body, "Invited to interview"));
	it_resp_free(&r);

	/* Rearranged: the same UID, SEQUENCE 1. */
	form = interview_form(15, "9:15", "60", "Gable Hall School, Library", "");
	it_client_post(&hmc, apath(path, id, "/interview"), form, &r);
	free(form);
	ck_assert_msg(r.status == 303, "rearrange: %ld %.600s", r.status, r.body);
	it_resp_free(&r);
	it_expect_application_status(id, "interviewing", "rearranged");
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM application_interviews WHERE "
					 "application_id = $1 AND sequence = 1 AND place = 'Gable "
					 "Hall School, Library'", id), 1);
	msg = it_mail_wait(email, "Interview rearranged", 15000);
	ics = base64_after(msg, "name=\"invite.ics\"");
	ck_assert_msg(strstr(ics, "SEQUENCE:1\r\n") && strstr(ics, uid), "rearranged: %s", ics);
	free(ics);
	free(msg);
	free(uid);

	/* Offer, then the candidate's answer. */
	it_client_post(&hmc, apath(path, id, "/status"), "event=offer", &r);
	ck_assert_int_eq(r.status, 303);
	it_resp_free(&r);
	it_expect_application_status(id, "offered", "offer");
	it_client_post(&hmc, apath(path, id, "/status"), "event=accept", &r);
	ck_assert_int_eq(r.status, 303);
	it_resp_free(&r);
	it_expect_application_status(id, "accepted", "accept");
	snprintf(want, sizeof want, "accept|offered|accepted|%lld|-", hm);
	expect_event(id, want, "accept");
	ck_assert_int_eq(qsn("SELECT count(*) FROM outbox WHERE to_address = $1 AND subject LIKE "
			     "'Job offer:%'", email), 1);
	/* Nothing leaves accepted. */
	it_client_post(&hmc, apath(path, id, "/status"), "event=reject", &r);
	it_expect_status(&r, 409, "reject an accepted application");
	it_resp_free(&r);
	form = interview_form(20, "10:00", "30", "Hall", "");
	it_client_post(&hmc, apath(path, id, "/interview"), form, &r);
	free(form);
	it_expect_status(&r, 409, "interview an accepted application");
	it_resp_free(&r);
	it_expect_application_status(id, "accepted", "final");

	/* The other: not progressing from submitted; then nothing moves it. */
	it_client_post(&hmc, apath(path, id2, "/status"), "event=reject", &r);
	ck_assert_int_eq(r.status, 303);
	it_resp_free(&r);
	it_expect_application_status(id2, "unsuccessful", "reject");
	it_client_post(&hmc, apath(path, id2, "/status"), "event=shortlist", &r);
	it_expect_status(&r, 409, "shortlist an unsuccessful application");
	it_resp_free(&r);
	it_client_post(&hmc, apath(path, id2, "/status"), "event=promote", &r);
	it_expect_status(&r, 400, "an unknown event");
	it_resp_free(&r);
	it_expect_application_status(id2, "unsuccessful", "final");
	ck_assert_int_eq(qsn("SELECT count(*) FROM outbox WHERE to_address = $1", email2), 1);
}
END_TEST

START_TEST(offer_declined_and_withdrawn_final)
{
	struct it_client hmc = { 0 };
	struct it_resp r;
	long urn = it_school(13);
	long long vid, id, wid;
	char path[128];

	staff(&hmc, urn, "hiring_manager", NULL);
	vid = it_vacancy_add(urn, "published", (char *)NULL);
	id = app_new(vid, "offered", "Decliner", NULL, NULL);
	wid = app_new(vid, "withdrawn", "Leaver", NULL, NULL);
	it_client_post(&hmc, apath(path, id, "/status"), "event=decline", &r);
	ck_assert_int_eq(r.status, 303);
	it_resp_free(&r);
	it_expect_application_status(id, "declined", "decline");
	for (int i = 0; i < 5; i++) {
		static const char *const ev[] = { "shortlist", "offer", "accept", "decline",
						  "reject" };
		char form[32];

		snprintf(form, sizeof form, "event=%s", ev[i]);
		it_client_post(&hmc, apath(path, wid, "/status"), form, &r);
		it_expect_status(&r, 409, "a change to a withdrawn application");
		it_resp_free(&r);
	}
	it_expect_application_status(wid, "withdrawn", "withdrawn is final");
	ck_assert_int_eq(nevents(wid), 0);
}
END_TEST

START_TEST(notes_added_by_managers_only)
{
	struct it_client hmc = { 0 }, viewer = { 0 };
	struct it_resp r;
	long urn = it_school(14);
	long long vid, id;
	char path[128], *form, big[5100];

	staff(&hmc, urn, "hiring_manager", NULL);
	staff(&viewer, urn, "viewer", NULL);
	vid = it_vacancy_add(urn, "published", (char *)NULL);
	id = app_new(vid, "submitted", "Noted", NULL, NULL);
	it_client_get(&hmc, apath(path, id, ""), &r);
	it_resp_free(&r);
	it_client_post(&hmc, apath(path, id, "/notes"), "note=", &r);
	it_expect_status(&r, 422, "an empty note");
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"#note\""));
	it_resp_free(&r);
	memset(big, 'a', 5001);
	big[5001] = '\0';
	form = it_form("note", big, (char *)NULL);
	it_client_post(&hmc, apath(path, id, "/notes"), form, &r);
	free(form);
	it_expect_status(&r, 422, "a note of 5,001 characters");
	ck_assert_ptr_nonnull(strstr(r.body, "5,000 characters or fewer"));
	it_resp_free(&r);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM application_notes WHERE "
					 "application_id = $1", id), 0);
	form = it_form("note", "Strong subject knowledge.\nCall the second referee.", (char *)NULL);
	it_client_post(&hmc, apath(path, id, "/notes"), form, &r);
	free(form);
	ck_assert_msg(r.status == 303, "a note: %ld", r.status);
	it_resp_free(&r);
	it_client_get(&viewer, apath(path, id, ""), &r);
	it_expect_status(&r, 200, "the viewer reads");
	ck_assert_ptr_nonnull(strstr(r.body, "Strong subject knowledge."));
	ck_assert_ptr_nonnull(strstr(r.body, "Call the second referee."));
	ck_assert_ptr_nonnull(strstr(r.body, "Harriet Manager"));
	ck_assert_ptr_null(strstr(r.body, "action=\"/school/applications/"));
	it_resp_free(&r);
	it_client_post(&viewer, apath(path, id, "/notes"), "note=Hello", &r);
	it_expect_status(&r, 403, "a viewer's note");
	it_resp_free(&r);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM application_notes WHERE "
					 "application_id = $1", id), 1);
}
END_TEST

/* --- tenancy --------------------------------------------------------------------------------- */

START_TEST(other_school_gets_404_and_viewer_403)
{
	struct it_client a = { 0 }, b = { 0 }, viewer = { 0 }, cand = { 0 };
	struct it_resp r;
	long urn_a = it_school(15), urn_b = it_school(16);
	long long vid, id, draft, bvid;
	char gets[4][128], posts[4][128], bodies[4][640], path[128], email[128], *form;
	int i;

	staff(&a, urn_a, "hiring_manager", NULL);
	staff(&b, urn_b, "hiring_manager", NULL);
	staff(&viewer, urn_a, "viewer", NULL);
	vid = it_vacancy_add(urn_a, "published", (char *)NULL);
	bvid = it_vacancy_add(urn_b, "published", (char *)NULL);
	id = app_new(vid, "shortlisted", "Private", NULL, NULL);
	draft = app_new(vid, "draft", "Drafty", NULL, NULL);
	lpath(gets[0], vid, "");
	lpath(gets[1], vid, ".csv");
	apath(gets[2], id, "");
	apath(gets[3], draft, "");
	apath(posts[0], id, "/notes");
	snprintf(bodies[0], sizeof bodies[0], "note=Hello");
	apath(posts[1], id, "/status");
	snprintf(bodies[1], sizeof bodies[1], "event=reject");
	apath(posts[2], id, "/interview");
	form = interview_form(10, "10:00", "30", "Hall", "");
	snprintf(bodies[2], sizeof bodies[2], "%s", form);
	free(form);
	lpath(posts[3], vid, "/bulk");
	snprintf(bodies[3], sizeof bodies[3], "action=reject&application=%lld", id);

	/* School B: 404 for every URL; nothing changed. */
	for (i = 0; i < 4; i++) {
		it_client_get(&b, gets[i], &r);
		it_expect_status(&r, 404, gets[i]);
		ck_assert_ptr_null(strstr(r.body, "Private"));
		it_resp_free(&r);
		it_client_post(&b, posts[i], bodies[i], &r);
		it_expect_status(&r, 404, posts[i]);
		it_resp_free(&r);
	}
	/* School B's own bulk action with school A's application: not found, not changed. */
	it_client_post(&b, lpath(path, bvid, "/bulk"), bodies[3], &r);
	it_expect_status(&r, 200, "school B's bulk action with school A's application");
	ck_assert_ptr_nonnull(strstr(r.body, "1 of the selected applications could not be found"));
	ck_assert_ptr_null(strstr(r.body, "Private"));
	it_resp_free(&r);
	it_expect_application_status(id, "shortlisted", "after school B");
	ck_assert_int_eq(nevents(id), 0);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM application_notes WHERE "
					 "application_id = $1", id), 0);

	/* The viewer reads (not the draft) and gets 403 for every change. */
	for (i = 0; i < 3; i++) {
		it_client_get(&viewer, gets[i], &r);
		it_expect_status(&r, 200, gets[i]);
		/* No checkboxes, buttons or forms to change anything. */
		ck_assert_msg(strstr(r.body, "name=\"application\"") == NULL &&
				      strstr(r.body, "/bulk\"") == NULL &&
				      strstr(r.body, "/status\"") == NULL &&
				      strstr(r.body, "/notes\"") == NULL,
			      "%s offers the viewer a change", gets[i]);
		it_resp_free(&r);
	}
	it_client_get(&viewer, gets[3], &r);
	it_expect_status(&r, 404, "a draft, for the school");
	it_resp_free(&r);
	for (i = 0; i < 4; i++) {
		it_client_post(&viewer, posts[i], bodies[i], &r);
		it_expect_status(&r, 403, posts[i]);
		it_resp_free(&r);
	}
	it_expect_application_status(id, "shortlisted", "after the viewer");
	ck_assert_int_eq(nevents(id), 0);
	/* The school's hiring manager cannot change a draft either. */
	it_client_post(&a, apath(path, draft, "/status"), "event=reject", &r);
	it_expect_status(&r, 404, "a draft's status");
	it_resp_free(&r);
	it_expect_application_status(draft, "draft", "the draft");
	/* A candidate is kept out of the school's pages. */
	it_unique_email(email, sizeof email, "cand");
	it_user_add(email, "Nosy Candidate", "candidate", PW, 1);
	it_login(&cand, email, PW);
	for (i = 0; i < 3; i++) {
		it_client_get(&cand, gets[i], &r);
		ck_assert_msg(r.status == 403 || r.status == 404, "a candidate on %s: %ld", gets[i],
			      r.status);
		it_resp_free(&r);
	}
}
END_TEST

/* --- the list, bulk actions, the export ------------------------------------------------------ */

START_TEST(list_tabs_counts_and_drafts)
{
	struct it_client hmc = { 0 };
	struct it_resp r;
	long urn = it_school(17);
	long long vid, ids[4];
	char path[128], needle[160];

	staff(&hmc, urn, "hiring_manager", NULL);
	vid = it_vacancy_add(urn, "published", "title", "Teacher of music", (char *)NULL);
	ids[0] = app_new(vid, "submitted", "Alpha", NULL, NULL);
	ids[1] = app_new(vid, "submitted", "Bravo", NULL, NULL);
	ids[2] = app_new(vid, "shortlisted", "Charlie", NULL, NULL);
	ids[3] = app_new(vid, "draft", "Hiddendraft", NULL, NULL);
	it_client_get(&hmc, lpath(path, vid, ""), &r);
	it_expect_status(&r, 200, "the list");
	ck_assert_ptr_nonnull(strstr(r.body, "All (3)"));
	ck_assert_ptr_nonnull(strstr(r.body, "Submitted (2)"));
	ck_assert_ptr_nonnull(strstr(r.body, "Shortlisted (1)"));
	ck_assert_ptr_nonnull(strstr(r.body, "Withdrawn (0)"));
	ck_assert_ptr_nonnull(strstr(r.body, "Ada Alpha"));
	ck_assert_ptr_nonnull(strstr(r.body, "Ada Charlie"));
	ck_assert_ptr_null(strstr(r.body, "Hiddendraft"));
	snprintf(needle, sizeof needle, "href=\"/school/applications/%lld\"", ids[0]);
	ck_assert_ptr_nonnull(strstr(r.body, needle));
	ck_assert_ptr_nonnull(strstr(r.body, "applications.csv"));
	ck_assert_ptr_nonnull(strstr(r.body, EQUAL_OPPS_LATER));
	it_resp_free(&r);
	it_client_get(&hmc, lpath(path, vid, "?status=shortlisted"), &r);
	it_expect_status(&r, 200, "the shortlisted tab");
	ck_assert_ptr_nonnull(strstr(r.body, "Ada Charlie"));
	ck_assert_ptr_null(strstr(r.body, "Ada Alpha"));
	it_resp_free(&r);
	it_client_get(&hmc, lpath(path, vid, "?status=draft"), &r);
	it_expect_status(&r, 400, "the draft tab");
	it_resp_free(&r);
	it_client_get(&hmc, lpath(path, vid, "?status=%3Cscript%3E"), &r);
	it_expect_status(&r, 400, "a script as the tab");
	expect_no_raw_xss(r.body, "reflected tab");
	it_resp_free(&r);
	it_client_get(&hmc, lpath(path, vid, "?page=0"), &r);
	it_expect_status(&r, 400, "page 0");
	it_resp_free(&r);
	/* The dashboard counts applications (not drafts) and links to the list. */
	it_client_get(&hmc, "/school", &r);
	snprintf(needle, sizeof needle, "href=\"/school/vacancies/%lld/applications\">3<", vid);
	ck_assert_msg(strstr(r.body, needle) != NULL, "the dashboard has no link %s", needle);
	it_resp_free(&r);
	/* The listing's summary links to it. */
	snprintf(path, sizeof path, "/school/vacancies/%lld", vid);
	it_client_get(&hmc, path, &r);
	snprintf(needle, sizeof needle, "href=\"/school/vacancies/%lld/applications\"", vid);
	ck_assert_ptr_nonnull(strstr(r.body, needle));
	it_resp_free(&r);
}
END_TEST

START_TEST(list_pages)
{
	struct it_client hmc = { 0 };
	struct it_resp r;
	long urn = it_school(17);
	long long vid, first;
	char path[128], sql[1024], *v;

	staff(&hmc, urn, "hiring_manager", NULL);
	vid = it_vacancy_add(urn, "published", (char *)NULL);
	first = app_new(vid, "submitted", "Pagefirst", NULL, NULL);
	/* 54 more, copies of the first, by new candidates, submitted later. */
	snprintf(sql, sizeof sql,
		 "WITH u AS (INSERT INTO users (email, name, role) SELECT 'pager-' || %lld || '-' "
		 "|| g || '@example.org', 'Pager', 'candidate' FROM generate_series(1, 54) g "
		 "RETURNING id) INSERT INTO applications (vacancy_id, candidate_id, status, data, "
		 "submitted_at) SELECT %lld, u.id, 'submitted', jsonb_set(a.data, "
		 "'{personal,last_name}', to_jsonb('Pager' || u.id)), now() + u.id * interval "
		 "'1 second' FROM u, applications a WHERE a.id = %lld RETURNING 1",
		 vid, vid, first);
	v = it_psql(sql);
	free(v);
	it_client_get(&hmc, lpath(path, vid, ""), &r);
	it_expect_status(&r, 200, "page 1");
	ck_assert_ptr_nonnull(strstr(r.body, "All (55)"));
	ck_assert_ptr_nonnull(strstr(r.body, "Page 1 of 2"));
	ck_assert_ptr_nonnull(strstr(r.body, "Ada Pagefirst"));
	ck_assert_ptr_nonnull(strstr(r.body, "govuk-pagination"));
	snprintf(path, sizeof path, "href=\"/school/vacancies/%lld/applications?status=all&amp;"
		 "page=2\"", vid);
	ck_assert_msg(strstr(r.body, path) != NULL, "no link to page 2");
	{
		size_t n = 0;

		for (const char *p = r.body; (p = strstr(p, "name=\"application\"")) != NULL; p++)
			n++;
		ck_assert_int_eq((int)n, 50);
	}
	it_resp_free(&r);
	it_client_get(&hmc, lpath(path, vid, "?status=all&page=2"), &r);
	it_expect_status(&r, 200, "page 2");
	ck_assert_ptr_nonnull(strstr(r.body, "Page 2 of 2"));
	ck_assert_ptr_null(strstr(r.body, "Ada Pagefirst"));
	{
		size_t n = 0;

		for (const char *p = r.body; (p = strstr(p, "name=\"application\"")) != NULL; p++)
			n++;
		ck_assert_int_eq((int)n, 5);
	}
	it_resp_free(&r);
	it_client_get(&hmc, lpath(path, vid, "?page=99"), &r);
	it_expect_status(&r, 200, "a page past the end shows the last");
	ck_assert_ptr_nonnull(strstr(r.body, "Page 2 of 2"));
	it_resp_free(&r);
}
END_TEST

START_TEST(bulk_shortlist_and_not_progressing)
{
	struct it_client hmc = { 0 }, other = { 0 };
	struct it_resp r;
	long urn = it_school(18);
	long long hm, vid, ovid, a1, a2, a3, w, d, o;
	char path[128], body[512], want[160];

	hm = staff(&hmc, urn, "hiring_manager", NULL);
	staff(&other, it_school(19), "hiring_manager", NULL);
	vid = it_vacancy_add(urn, "published", (char *)NULL);
	ovid = it_vacancy_add(it_school(19), "published", (char *)NULL);
	a1 = app_new(vid, "submitted", "Bulkone", NULL, NULL);
	a2 = app_new(vid, "submitted", "Bulktwo", NULL, NULL);
	a3 = app_new(vid, "submitted", "Bulkthree", NULL, NULL);
	w = app_new(vid, "withdrawn", "Bulkgone", NULL, NULL);
	d = app_new(vid, "draft", "Bulkdraft", NULL, NULL);
	o = app_new(ovid, "submitted", "Bulkother", NULL, NULL);

	/* Nothing ticked: an error, nothing changed. */
	it_client_post(&hmc, lpath(path, vid, "/bulk"), "action=shortlist", &r);
	it_expect_status(&r, 422, "nothing ticked");
	/* the summary links to the first checkbox; the message is tied to the group */
	ck_assert_ptr_nonnull(strstr(r.body, "<a href=\"#application-"));
	ck_assert_ptr_null(strstr(r.body, "href=\"#application-select\""));
	{
		char *link = strstr(r.body, "<a href=\"#application-"), target[64];

		snprintf(target, sizeof target, "id=\"%.*s\"",
			 (int)strcspn(link + 10, "\""), link + 10);
		ck_assert_msg(strstr(r.body, target) != NULL &&
				      strncmp(strstr(r.body, target) + strlen(target),
					      " name=\"application\" type=\"checkbox\"", 35) == 0,
			      "the error summary's link (%s) is not a checkbox's", target);
	}
	ck_assert_ptr_nonnull(strstr(r.body, "aria-describedby=\"application-select-error\""));
	ck_assert_ptr_nonnull(strstr(r.body, "id=\"application-select-error\""));
	it_resp_free(&r);
	snprintf(body, sizeof body, "action=frobnicate&application=%lld", a1);
	it_client_post(&hmc, lpath(path, vid, "/bulk"), body, &r);
	it_expect_status(&r, 400, "an unknown action");
	it_resp_free(&r);
	snprintf(body, sizeof body, "action=shortlist&application=%lld&application=1x", a1);
	it_client_post(&hmc, lpath(path, vid, "/bulk"), body, &r);
	it_expect_status(&r, 400, "a bad id");
	it_resp_free(&r);
	it_expect_application_status(a1, "submitted", "refused bulk");

	/* Shortlist two, plus one withdrawn, a draft, another school's and one twice. */
	snprintf(body, sizeof body, "action=shortlist&status=all&page=1&application=%lld&"
		 "application=%lld&application=%lld&application=%lld&application=%lld&"
		 "application=%lld", a1, a2, w, d, o, a1);
	it_client_post(&hmc, lpath(path, vid, "/bulk"), body, &r);
	it_expect_status(&r, 200, "bulk shortlist with some that cannot move");
	ck_assert_ptr_nonnull(strstr(r.body, "2 applications shortlisted."));
	ck_assert_ptr_nonnull(strstr(r.body, "Ada Bulkgone (Withdrawn)"));
	ck_assert_ptr_nonnull(strstr(r.body, "2 of the selected applications could not be found"));
	ck_assert_ptr_null(strstr(r.body, "Bulkother"));
	ck_assert_ptr_null(strstr(r.body, "Bulkdraft"));
	it_resp_free(&r);
	it_expect_application_status(a1, "shortlisted", "bulk a1");
	it_expect_application_status(a2, "shortlisted", "bulk a2");
	it_expect_application_status(w, "withdrawn", "bulk withdrawn");
	it_expect_application_status(d, "draft", "bulk draft");
	it_expect_application_status(o, "submitted", "bulk other school");
	snprintf(want, sizeof want, "shortlist|submitted|shortlisted|%lld|-", hm);
	expect_event(a1, want, "bulk a1");
	ck_assert_int_eq(nevents(a1), 1);
	ck_assert_int_eq(nevents(o), 0);

	/* Not progressing for all that can: a redirect with the count. */
	snprintf(body, sizeof body, "action=reject&status=shortlisted&page=1&application=%lld&"
		 "application=%lld", a2, a3);
	it_client_post(&hmc, lpath(path, vid, "/bulk"), body, &r);
	ck_assert_msg(r.status == 303 && strstr(it_location(&r), "status=shortlisted") &&
			      strstr(it_location(&r), "done=reject&count=2"),
		      "bulk reject: %ld %s", r.status, it_location(&r));
	it_resp_free(&r);
	it_expect_application_status(a2, "unsuccessful", "bulk reject a2");
	it_expect_application_status(a3, "unsuccessful", "bulk reject a3");
	it_client_get(&hmc, lpath(path, vid, "?done=reject&count=2"), &r);
	ck_assert_ptr_nonnull(strstr(r.body, "2 applications marked as not progressing."));
	it_resp_free(&r);
	/* Another school's manager cannot use this vacancy's bulk action. */
	snprintf(body, sizeof body, "action=reject&application=%lld", a1);
	it_client_post(&other, lpath(path, vid, "/bulk"), body, &r);
	it_expect_status(&r, 404, "another school's bulk action");
	it_resp_free(&r);
	it_expect_application_status(a1, "shortlisted", "after the other school");
}
END_TEST

/* Reads CSV text into a new array of records (arrays of strings). */
static json_t *csv_parse(const char *text, size_t len)
{
	struct csv_reader rd;
	struct csv_record rec = { 0 };
	json_t *out = json_array(), *row;
	int rc;

	csv_reader_init(&rd, text, len);
	while ((rc = csv_next_record(&rd, &rec)) == 1) {
		row = json_array();
		for (size_t i = 0; i < rec.nfields; i++)
			json_array_append_new(row, json_string(csv_field(&rec, i)));
		json_array_append_new(out, row);
	}
	ck_assert_msg(rc == 0, "the CSV does not parse: %s at line %zu", rd.error, rd.error_line);
	csv_record_free(&rec);
	return out;
}

/* Inserts equal-opportunities answers for application id: sex, sexual orientation and
 * religion as given, the rest yes, 60_plus, no, mixed. */
static void equal_opps_answer(long long id, const char *sex, const char *orientation,
			      const char *religion)
{
	char ids[24];
	const char *vals[4] = { ids, sex, orientation, religion };

	snprintf(ids, sizeof ids, "%lld", id);
	free(it_psql_params("INSERT INTO application_equal_opps (application_id, disability, "
			    "age_band, sex, gender_identity, sexual_orientation, ethnicity, "
			    "religion) VALUES ($1, 'yes', '60_plus', $2, 'no', $3, 'mixed', $4) "
			    "RETURNING 1", 4, vals));
}

/* Inserts equal-opportunities answers for application id: sikh, bisexual, ... */
static void equal_opps_add(long long id)
{
	equal_opps_answer(id, "prefer_not_to_say", "bisexual", "sikh");
}

/* The labels of those answers: none may reach a school page or export about one candidate. */
static const char *const equal_opps_labels[] = {
	"Sikh", "Bisexual", "Mixed or multiple ethnic groups", "60 or over",
	"Equal opportunities monitoring", "sexual orientation",
};

START_TEST(csv_export_neutralised_and_private)
{
	struct it_client hmc = { 0 };
	struct it_resp r;
	long urn = it_school(19);
	long long vid, id, d;
	char path[128];
	json_t *rows, *row;
	const char *disp;

	staff(&hmc, urn, "hiring_manager", NULL);
	vid = it_vacancy_add(urn, "published", (char *)NULL);
	id = app_new(vid, "shortlisted", "Formula", NULL, NULL);
	d = app_new(vid, "draft", "Csvdraft", NULL, NULL);
	equal_opps_add(id);
	it_psql_id_exec("UPDATE applications SET data = "
			"jsonb_set(jsonb_set(jsonb_set(jsonb_set(data, '{personal,first_name}', "
			"'\"=HYPERLINK(\\\"http://evil.example/\\\",\\\"x\\\")\"'), "
			"'{personal,phone}', '\"+44 7700 900123\"'), '{personal,town}', "
			"'\"@SUM(A1)\"'), '{statement,statement}', '\"Statement-only-text-zq\"') "
			"|| '{\"equal_opps\": {\"religion\": \"sikh\"}}' WHERE id = $1 RETURNING 1",
			id);
	it_psql_id_exec("UPDATE applications SET data = jsonb_set(data, '{declarations,"
			"criminal_record_details}', '\"Declaration-only-text-zq\"') WHERE id = $1 "
			"RETURNING 1", id);
	it_client_get(&hmc, lpath(path, vid, ".csv"), &r);
	it_expect_status(&r, 200, "the CSV");
	ck_assert_str_eq(it_header(&r, "Content-Type"), "text/csv; charset=utf-8");
	disp = it_header(&r, "Content-Disposition");
	ck_assert_msg(disp != NULL && strncmp(disp, "attachment;", 11) == 0, "disposition: %s",
		      disp ? disp : "(none)");
	ck_assert_str_eq(it_header(&r, "Cache-Control"), "no-store");
	rows = csv_parse(r.body, r.len);
	ck_assert_int_eq((int)json_array_size(rows), 2);
	row = json_array_get(rows, 0);
	ck_assert_str_eq(json_string_value(json_array_get(row, 0)), "Application ID");
	ck_assert_str_eq(json_string_value(json_array_get(row, 11)), "Referees");
	row = json_array_get(rows, 1);
	ck_assert_int_eq(strtoll(json_string_value(json_array_get(row, 0)), NULL, 10), id);
	ck_assert_str_eq(json_string_value(json_array_get(row, 1)), "Shortlisted");
	ck_assert_str_eq(json_string_value(json_array_get(row, 3)),
			 "'=HYPERLINK(\"http://evil.example/\",\"x\")");
	ck_assert_str_eq(json_string_value(json_array_get(row, 4)), "Formula");
	ck_assert_str_eq(json_string_value(json_array_get(row, 6)), "'+44 7700 900123");
	ck_assert_str_eq(json_string_value(json_array_get(row, 7)), "'@SUM(A1)");
	ck_assert_str_eq(json_string_value(json_array_get(row, 8)), "Yes");
	ck_assert_str_eq(json_string_value(json_array_get(row, 9)), "1234567");
	ck_assert_str_eq(json_string_value(json_array_get(row, 10)), "Gable Hall School");
	ck_assert_str_eq(json_string_value(json_array_get(row, 11)), "Rita Referee; Sam Second");
	json_decref(rows);
	ck_assert_ptr_null(strstr(r.body, "Csvdraft"));
	ck_assert_ptr_null(strstr(r.body, "Statement-only-text-zq"));
	ck_assert_ptr_null(strstr(r.body, "Declaration-only-text-zq"));
	ck_assert_ptr_null(strstr(r.body, "sikh"));
	for (size_t i = 0; i < sizeof equal_opps_labels / sizeof equal_opps_labels[0]; i++)
		ck_assert_msg(strstr(r.body, equal_opps_labels[i]) == NULL, "CSV holds %s",
			      equal_opps_labels[i]);
	it_resp_free(&r);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM audit_log WHERE action = 'export' "
					 "AND object_type = 'vacancy' AND object_id = $1::text",
					 vid), 1);
	(void)d;
}
END_TEST

/* The equal-opportunities section of a list page (from its heading), a copy. */
static char *equal_opps_section(const struct it_resp *r)
{
	const char *p = strstr(r->body, "id=\"equal-opportunities\"");

	ck_assert_msg(p != NULL, "no equal opportunities section");
	return strdup(p);
}

/* The count in the row labelled label (a <th>) of section s: -1 when there is no such row. */
static long row_count(const char *s, const char *label)
{
	char th[128];
	const char *p;

	snprintf(th, sizeof th, ">%s</th>", label);
	p = strstr(s, th);
	if (p == NULL)
		return -1;
	p = strstr(p, "govuk-table__cell--numeric\">");
	ck_assert_msg(p != NULL, "no count beside %s", label);
	return strtol(p + strlen("govuk-table__cell--numeric\">"), NULL, 10);
}

START_TEST(equal_opps_only_as_totals_from_five)
{
	/* Seven candidates: sex, sexual orientation, religion. */
	static const char *const answers[7][3] = {
		{ "female", "bisexual", "christian" },
		{ "female", "bisexual", "christian" },
		{ "female", "bisexual", "christian" },
		{ "prefer_not_to_say", "bisexual", "sikh" },
		{ "prefer_not_to_say", "bisexual", "sikh" },
		{ "prefer_not_to_say", "bisexual", "sikh" },
		{ "prefer_not_to_say", "heterosexual", "none" },
	};
	struct it_client hmc = { 0 };
	struct it_resp r;
	long urn = it_school(16);
	long long vid, few, ids[7];
	char path[128], *before, *after;

	staff(&hmc, urn, "hiring_manager", NULL);
	vid = it_vacancy_add(urn, "published", (char *)NULL);
	for (int i = 0; i < 4; i++) {
		ids[i] = app_new(vid, "submitted", "Monitored", NULL, NULL);
		equal_opps_answer(ids[i], answers[i][0], answers[i][1], answers[i][2]);
	}
	/* A draft with answers does not count. */
	equal_opps_add(app_new(vid, "draft", "Monitoreddraft", NULL, NULL));
	it_psql_id_exec("UPDATE applications SET data = data || '{\"equal_opps\": {\"religion\": "
			"\"sikh\", \"sexual_orientation\": \"bisexual\"}}' WHERE id = "
			"$1 RETURNING 1", ids[0]);
	it_client_get(&hmc, lpath(path, vid, ""), &r);
	it_expect_status(&r, 200, "the list at 4");
	ck_assert_ptr_nonnull(strstr(r.body, EQUAL_OPPS_LATER));
	for (size_t i = 0; i < 4; i++)
		ck_assert_msg(strstr(r.body, equal_opps_labels[i]) == NULL, "the list at 4 holds %s",
			      equal_opps_labels[i]);
	it_resp_free(&r);
	it_client_get(&hmc, apath(path, ids[0], ""), &r);
	it_expect_status(&r, 200, "the application");
	for (size_t i = 0; i < sizeof equal_opps_labels / sizeof equal_opps_labels[0]; i++)
		ck_assert_msg(strstr(r.body, equal_opps_labels[i]) == NULL,
			      "the application page holds %s", equal_opps_labels[i]);
	it_resp_free(&r);
	/* Seven: still nothing while the job is open (the difference a new application made
	 * would be its answers). */
	for (int i = 4; i < 7; i++) {
		ids[i] = app_new(vid, i == 6 ? "withdrawn" : "submitted", "Monitored", NULL, NULL);
		equal_opps_answer(ids[i], answers[i][0], answers[i][1], answers[i][2]);
	}
	it_client_get(&hmc, lpath(path, vid, ""), &r);
	it_expect_status(&r, 200, "the list at 7, open");
	ck_assert_ptr_nonnull(strstr(r.body, "appear here once this job has closed"));
	ck_assert_msg(strstr(r.body, "What is your religion?") == NULL,
		      "totals shown while the job is open");
	it_resp_free(&r);
	/* Closed: the totals counted then, never what one candidate answered. */
	it_psql_id_exec("UPDATE vacancies SET status = 'closed', closed_at = now() WHERE id = $1 "
			"RETURNING 1", vid);
	it_client_get(&hmc, lpath(path, vid, ""), &r);
	it_expect_status(&r, 200, "the list at 7");
	before = equal_opps_section(&r);
	it_resp_free(&r);
	ck_assert_ptr_null(strstr(before, "appear here once"));
	ck_assert_ptr_nonnull(strstr(before, "the 7 candidates who answered"));
	/* 3 and 3 are shown; the one other answer (No religion) is counted with the least
	 * common of them, never on its own. */
	ck_assert_int_eq(row_count(before, "Christian"), 3);
	ck_assert_int_eq(row_count(before, "Other answers"), 4);
	ck_assert_int_eq(row_count(before, "Sikh"), -1);
	ck_assert_int_eq(row_count(before, "No religion"), -1);
	ck_assert_int_eq(row_count(before, "Female"), 3);
	ck_assert_int_eq(row_count(before, "Prefer not to say"), 4);
	/* 6 and 1: the 1 cannot be hidden (7 - 6), so neither is shown; every candidate gave
	 * the same age: shown, it would be each one's answer. */
	ck_assert_int_eq(row_count(before, "Bisexual"), -1);
	ck_assert_int_eq(row_count(before, "Heterosexual or straight"), -1);
	ck_assert_int_eq(row_count(before, "60 or over"), -1);
	ck_assert_ptr_nonnull(strstr(before, "What is your sexual orientation?</h3>"));
	ck_assert_ptr_nonnull(strstr(before, "What is your age?</h3>"));
	ck_assert_ptr_nonnull(strstr(before, "Not shown: the totals would show what"));
	ck_assert_ptr_null(strstr(before, "Fewer than"));
	/* A candidate deletes their account (their answers go): the totals do not move, or
	 * the difference would be that candidate's answers. */
	it_psql_id_exec("DELETE FROM application_equal_opps WHERE application_id = $1 RETURNING 1",
			ids[6]);
	it_psql_id_exec("UPDATE applications SET status = 'withdrawn' WHERE id = $1 RETURNING 1",
			ids[5]);
	it_client_get(&hmc, lpath(path, vid, ""), &r);
	after = equal_opps_section(&r);
	it_resp_free(&r);
	ck_assert_str_eq(after, before);
	free(after);
	free(before);
	it_client_get(&hmc, apath(path, ids[1], ""), &r);
	for (size_t i = 0; i < sizeof equal_opps_labels / sizeof equal_opps_labels[0]; i++)
		ck_assert_msg(strstr(r.body, equal_opps_labels[i]) == NULL,
			      "the application page holds %s", equal_opps_labels[i]);
	it_resp_free(&r);
	/* Closed with fewer than five who answered (six applications, four answered): none. */
	few = it_vacancy_add(urn, "published", (char *)NULL);
	for (int i = 0; i < 6; i++) {
		long long a = app_new(few, "submitted", "Fewmonitored", NULL, NULL);

		if (i < 4)
			equal_opps_answer(a, "female", "bisexual", i < 2 ? "sikh" : "christian");
	}
	it_psql_id_exec("UPDATE vacancies SET status = 'closed', closed_at = now() WHERE id = $1 "
			"RETURNING 1", few);
	it_client_get(&hmc, lpath(path, few, ""), &r);
	it_expect_status(&r, 200, "the list with 4 answers");
	ck_assert_ptr_nonnull(strstr(r.body, "Fewer than 5 candidates answered"));
	ck_assert_ptr_null(strstr(r.body, "What is your religion?"));
	it_resp_free(&r);
}
END_TEST

/* --- XSS ------------------------------------------------------------------------------------- */

/* v with every string replaced by a payload of the corpus (in turn). A new reference. */
static json_t *poison(const json_t *v, size_t *n)
{
	json_t *out, *x;
	const char *k;
	size_t i;

	if (json_is_string(v))
		return json_string(xss[(*n)++ % (sizeof xss / sizeof xss[0])]);
	if (json_is_object(v)) {
		out = json_object();
		json_object_foreach((json_t *)v, k, x)
			json_object_set_new(out, k, poison(x, n));
		return out;
	}
	if (json_is_array(v)) {
		out = json_array();
		json_array_foreach(v, i, x)
			json_array_append_new(out, poison(x, n));
		return out;
	}
	return json_deep_copy(v);
}

START_TEST(xss_corpus_escaped)
{
	struct it_client hmc = { 0 };
	struct it_resp r;
	long urn = it_school(18);
	long long vid, id;
	char path[128], *data, *poisoned, *form;
	const char *vals[2];
	char ids[24];
	json_t *d, *p;
	json_error_t err;
	size_t n = 0;

	staff(&hmc, urn, "hiring_manager", NULL);
	vid = it_vacancy_add(urn, "published", (char *)NULL);
	id = app_new(vid, "shortlisted", "Xss", NULL, NULL);
	data = it_psql_id("SELECT data::text FROM applications WHERE id = $1", id);
	d = json_loads(data, 0, &err);
	ck_assert_ptr_nonnull(d);
	p = poison(d, &n);
	ck_assert_int_gt((int)n, 30);
	poisoned = json_dumps(p, JSON_COMPACT);
	snprintf(ids, sizeof ids, "%lld", id);
	vals[0] = poisoned;
	vals[1] = ids;
	free(it_psql_params("UPDATE applications SET data = $1::jsonb WHERE id = $2::bigint "
			    "RETURNING 1", 2, vals));
	/* And in what the school writes: a note, a message, the interview. */
	form = it_form("note", xss[0], (char *)NULL);
	it_client_post(&hmc, apath(path, id, "/notes"), form, &r);
	free(form);
	ck_assert_int_eq(r.status, 303);
	it_resp_free(&r);
	form = interview_form(9, "11:00", "30", xss[1], xss[2]);
	it_client_post(&hmc, apath(path, id, "/interview"), form, &r);
	free(form);
	ck_assert_msg(r.status == 303, "interview with XSS: %ld", r.status);
	it_resp_free(&r);
	form = it_form("event", "offer", "message", xss[3], (char *)NULL);
	it_client_post(&hmc, apath(path, id, "/status"), form, &r);
	free(form);
	ck_assert_int_eq(r.status, 303);
	it_resp_free(&r);

	it_client_get(&hmc, apath(path, id, ""), &r);
	it_expect_status(&r, 200, "the application page");
	expect_no_raw_xss(r.body, "the application page");
	ck_assert_ptr_nonnull(strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	ck_assert_ptr_nonnull(strstr(r.body, "&lt;img src=x onerror=alert(1)&gt;"));
	it_resp_free(&r);
	it_client_get(&hmc, lpath(path, vid, ""), &r);
	it_expect_status(&r, 200, "the list");
	expect_no_raw_xss(r.body, "the list");
	ck_assert_ptr_nonnull(strstr(r.body, "&lt;"));
	it_resp_free(&r);
	/* A refused form shows what was typed escaped too. */
	form = it_form("event", "shortlist", "message", xss[3], (char *)NULL);
	it_client_post(&hmc, apath(path, id, "/status"), form, &r);
	free(form);
	it_expect_status(&r, 409, "shortlist an offered application");
	expect_no_raw_xss(r.body, "the refused status change");
	it_resp_free(&r);
	json_decref(d);
	json_decref(p);
	free(data);
	free(poisoned);
}
END_TEST

/* The latest 7am in London passed, as SQL: the end of the window a daily summary covers. */
#define SUMMARY_UNTIL_SQL                                                                      \
	"((date_trunc('day', now() AT TIME ZONE 'Europe/London' - interval '7 hours') + "       \
	"interval '7 hours') AT TIME ZONE 'Europe/London')"

/* A hiring manager who chose the daily summary on /account gets no email for each application
 * or withdrawal, but one summary each morning of the day before's, sent once; another of the
 * same school still gets one for each; an account with nothing new gets no summary. */
START_TEST(daily_summary_instead_of_each)
{
	long urn = it_school(12);
	struct it_client sc = { 0 };
	struct it_resp r;
	char sum_email[128], each_email[128], idle_email[128], path[64], *v;
	long long sum, idle, vid, other, withdrawn, old, fresh, cand, before;
	PGconn *c;

	sum = it_user_signed_in(&sc, "school_staff", "Sunita Summary", PW, sum_email);
	it_membership_add(sum, urn, "hiring_manager");
	staff(NULL, urn, "hiring_manager", each_email);
	idle = staff(NULL, it_school(13), "hiring_manager", idle_email);
	it_psql_id_exec("UPDATE users SET email_opt_in = '{application_summary}' WHERE id = $1",
			idle);

	/* Choosing it on the settings page: off until ticked, then kept beside the others. */
	it_client_get(&sc, "/account", &r);
	it_expect_status(&r, 200, "the settings page");
	ck_assert_msg(strstr(r.body, "value=\"application_summary\">") != NULL ||
		      strstr(r.body, "value=\"application_summary\" aria-describedby") != NULL,
		      "the summary is not offered, unticked");
	it_resp_free(&r);
	it_client_post(&sc, "/account/emails", "emails=application_updates&emails=listing_live&"
		       "emails=application_summary&emails=listing_no_applications&"
		       "emails=listing_closed", &r);
	it_expect_redirect(&r, "/account?done=emails", "choosing the daily summary");
	it_resp_free(&r);
	v = it_psql_id("SELECT email_opt_in::text || email_opt_out::text || (abs(extract(epoch "
		       "FROM application_summary_until - now())) < 60)::text FROM users WHERE "
		       "id = $1", sum);
	ck_assert_str_eq(v, "{application_summary}{}true");
	free(v);
	it_client_get(&sc, "/account", &r);
	ck_assert_msg(strstr(r.body, "value=\"application_summary\" checked") != NULL,
		      "the summary is not shown ticked");
	it_resp_free(&r);

	/* Applications: two submitted and one withdrawn (submitted before) yesterday, in the
	 * window; one from three days ago (before it); one submitted now through the lifecycle
	 * (after it: tomorrow's). */
	vid = it_vacancy_add(urn, "published", "title", "Teacher of Summaries", (char *)NULL);
	other = it_vacancy_add(urn, "published", "title", "Teacher of Quiet", (char *)NULL);
	app_new(vid, "submitted", "One", NULL, NULL);
	app_new(vid, "submitted", "Two", NULL, NULL);
	withdrawn = app_new(vid, "withdrawn", "Three", NULL, NULL);
	old = app_new(other, "submitted", "Old", NULL, NULL);
	fresh = app_new(vid, "draft", "Fresh", NULL, &cand);
	it_psql_id_exec("UPDATE applications SET submitted_at = " SUMMARY_UNTIL_SQL " - interval "
			"'1 hour', status_changed_at = " SUMMARY_UNTIL_SQL " - interval '1 hour' "
			"WHERE vacancy_id = $1 AND status <> 'draft'", vid);
	it_psql_id_exec("UPDATE applications SET submitted_at = now() - interval '3 days', "
			"status_changed_at = now() - interval '3 days' WHERE id = $1", old);
	it_psql_id_exec("UPDATE applications SET submitted_at = now() - interval '3 days' WHERE "
			"id = $1", withdrawn);
	it_psql_id_exec("UPDATE users SET application_summary_until = now() - interval '5 days' "
			"WHERE id = $1", sum);

	c = it_jobs_connect();
	before = it_psql_id_long("SELECT coalesce(max(id), 0) FROM outbox WHERE $1 > 0", 1);
	it_exec_ok(c, "BEGIN");
	ck_assert_int_eq(application_transition(c, fresh, "submit", cand, NULL, NULL), AT_DONE);
	it_exec_ok(c, "COMMIT");
	ck_assert_msg(outbox_since(c, before, each_email, "New application for") == 1,
		      "the other hiring manager was not emailed the application");
	ck_assert_msg(outbox_since(c, before, sum_email, "New application for") == 0,
		      "the hiring manager who chose the summary was emailed the application");

	before = it_psql_id_long("SELECT coalesce(max(id), 0) FROM outbox WHERE $1 > 0", 1);
	ck_assert_msg(application_summary_run_once(c) >= 1, "the summary job did nothing");
	ck_assert_msg(outbox_since(c, before, each_email, "Applications for your school") == 0,
		      "a summary went to a hiring manager who did not choose it");
	ck_assert_msg(outbox_since(c, before, idle_email, "Applications for your school") == 0,
		      "a summary with nothing in it was sent");
	ck_assert_msg(outbox_since(c, before, sum_email, "Applications for your school's jobs: 2 "
				   "new applications and 1 withdrawn") == 1,
		      "no summary, or the wrong counts");
	snprintf(path, sizeof path, "/school/vacancies/%lld/applications\n", vid);
	ck_assert_msg(outbox_since(c, before, sum_email, "Teacher of Summaries, ") == 1 &&
		      outbox_since(c, before, sum_email,
				   "\n2 new applications, 1 withdrawn\n") == 1 &&
		      outbox_since(c, before, sum_email, path) == 1,
		      "the summary does not list the job, its counts and its applications");
	ck_assert_msg(outbox_since(c, before, sum_email, "Teacher of Quiet") == 0,
		      "the summary counts an application from before its window");
	v = it_psql_id("SELECT (application_summary_until = " SUMMARY_UNTIL_SQL ")::text FROM "
		       "users WHERE id = $1", idle);
	ck_assert_msg(strcmp(v, "true") == 0, "an account with nothing new kept its window");
	free(v);

	/* Sent once: the next round finds nothing due. */
	before = it_psql_id_long("SELECT coalesce(max(id), 0) FROM outbox WHERE $1 > 0", 1);
	ck_assert_int_eq(application_summary_run_once(c), 0);
	ck_assert_msg(outbox_since(c, before, sum_email, "Applications for") == 0,
		      "the summary was sent twice");
	it_jobs_disconnect(c);
}
END_TEST

static Suite *applications_school_suite(void)
{
	Suite *s = suite_create("applications_school");
	TCase *tc;

	tc = it_tcase("lifecycle", 60, NULL);
	tcase_add_checked_fixture(tc, lifecycle_setup, lifecycle_teardown);
	tcase_add_test(tc, every_transition_and_forbidden_one);
	tcase_add_test(tc, closed_unknown_and_someone_else);
	tcase_add_test(tc, emails_to_the_account_address);
	suite_add_tcase(s, tc);

	tc = it_tcase("actions", 90, it_fixture_server_mail);
	tcase_add_test(tc, school_moves_an_application_through);
	tcase_add_test(tc, offer_declined_and_withdrawn_final);
	tcase_add_test(tc, notes_added_by_managers_only);
	tcase_add_test(tc, daily_summary_instead_of_each);
	suite_add_tcase(s, tc);

	tc = it_tcase("tenancy", 60, it_fixture_server_mail);
	tcase_add_test(tc, other_school_gets_404_and_viewer_403);
	suite_add_tcase(s, tc);

	tc = it_tcase("lists", 60, it_fixture_server_mail);
	tcase_add_test(tc, list_tabs_counts_and_drafts);
	tcase_add_test(tc, list_pages);
	tcase_add_test(tc, bulk_shortlist_and_not_progressing);
	tcase_add_test(tc, csv_export_neutralised_and_private);
	tcase_add_test(tc, equal_opps_only_as_totals_from_five);
	tcase_add_test(tc, xss_corpus_escaped);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(applications_school_suite());
}
