/* test_kept_form.c - a form sent after its session ended is kept, not lost (kept_form.c,
 * kept_form_page.c), against the real server and PostgreSQL:
 *  - the keepalive of a page whose session has ended says whether its form will be kept;
 *  - a hiring manager idle for 35 minutes sends a listing's description: nothing is saved; the
 *    form is kept (without its CSRF token) and the browser sent to sign in, which says so; after
 *    signing in, /account/kept-form shows what was written (as Markdown's safe HTML) and a form
 *    to the same address holding the same fields (escaped), which saves them when sent with
 *    the new session's token;
 *  - the kept form is the account's alone: another account signing in with its link gets 404,
 *    as does an unknown token or an expired one; expired ones are deleted;
 *  - not kept (401 as before): without a session cookie, a cookie whose session is unknown, a
 *    route that does not keep forms (publishing), a form from another site, a form of an
 *    account disabled since.
 *
 * This file uses the school 54 (in URN order). */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "harness.h"

#define PW "a long enough passphrase 4 keeping"

/* A token of the right form that is no one's. */
#define UNKNOWN_TOKEN "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

/* The description typed: accents, a new line, markup and characters that need escaping. */
#define TEXT "Café & <b>crèche</b>\r\n\"Quoted\" = 100% & more"

/* Ends the session of c as 35 minutes without a request would. */
static void idle(const struct it_client *c)
{
	const char *vals[1] = { it_client_cookie(c, "__Host-session") };

	ck_assert_ptr_nonnull(vals[0]);
	free(it_psql_params("UPDATE sessions SET last_seen_at = now() - interval '35 minutes' "
			    "WHERE token_hash = sha256(convert_to($1, 'UTF8'))", 1, vals));
}

/* Signs c in as email with the sign-in form's next; fills r with the answer (a 303). */
static void sign_in_to(struct it_client *c, const char *email, const char *next,
		       struct it_resp *r)
{
	char *form;

	it_clear_address_limit("login");
	it_client_get(c, "/account/login", r);
	it_resp_free(r);
	form = it_form("email", email, "password", PW, "next", next, (char *)NULL);
	it_client_post(c, "/account/login", form, r);
	free(form);
}

/* The vacancy's description. */
static char *description(long long id)
{
	return it_psql_id("SELECT description FROM vacancies WHERE id = $1", id);
}

START_TEST(kept_across_sign_in)
{
	long urn = it_school(54);
	char email[128], other_email[128], path[96], want[128], *form, *next, *login, *step, *v;
	struct it_client c = { 0 }, other = { 0 };
	struct it_resp r;
	long long me, id;

	me = it_user_signed_in(&c, "school_staff", "Kit Keeper", PW, email);
	it_membership_add(me, urn, "hiring_manager");
	it_user_signed_in(&other, "school_staff", "Otto Other", PW, other_email);
	id = it_vacancy_add(urn, "draft", "description", "Before", (char *)NULL);
	snprintf(path, sizeof path, "/school/vacancies/%lld/edit", id);
	it_expect_get(&c, "/school", 200, "the dashboard");

	/* 35 minutes later the page's keepalive learns that the session has ended and that a form
	 * sent to the listing will be kept (not one sent to the password form), and leaves the
	 * session for it. */
	idle(&c);
	snprintf(want, sizeof want,
		 "/account/keepalive?form=%%2Fschool%%2Fvacancies%%2F%lld%%2Fedit", id);
	it_client_get(&c, want, &r);
	it_expect_status(&r, 401, "the keepalive after the session ended");
	ck_assert_str_eq(r.body, "{\"form_kept\":true}");
	it_resp_free(&r);
	it_client_get(&c, "/account/keepalive?form=%2Faccount%2Fpassword", &r);
	ck_assert_str_eq(r.body, "{\"form_kept\":false}");
	it_resp_free(&r);

	/* Sent: kept, not saved; to sign in, which says so. */
	form = it_form("step", "about", "description", TEXT, (char *)NULL);
	it_client_post(&c, path, form, &r);
	free(form);
	it_expect_redirect(&r, "/account/login?kept=1&next=%2Faccount%2Fkept-form%3Ftoken%3D",
			   "a form sent after the session ended");
	login = strdup(it_location(&r));
	it_resp_free(&r);
	v = description(id);
	ck_assert_str_eq(v, "Before");
	free(v);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM kept_forms WHERE user_id = $1 AND "
					 "strpos(fields, 'csrf_token') = 0 AND strpos(fields, "
					 "'description=Caf%C3%A9') > 0", me), 1);
	it_client_get(&c, login, &r);
	it_expect_status(&r, 200, "the sign-in page");
	ck_assert_msg(strstr(r.body, "what you sent has not been saved yet") != NULL,
		      "the sign-in page does not say the form was kept");
	next = it_input_value(r.body, "next");
	it_resp_free(&r);
	free(login);
	ck_assert_msg(next != NULL && strncmp(next, "/account/kept-form?token=", 25) == 0 &&
			      strlen(next) == 25 + TOKEN_LEN,
		      "next: %s", next);

	/* Another account cannot use the link. */
	sign_in_to(&other, other_email, next, &r);
	it_expect_redirect(&r, next, "another account signing in");
	it_resp_free(&r);
	it_expect_get(&other, next, 404, "another account's kept form");
	it_expect_get(&other, "/account/kept-form?token=" UNKNOWN_TOKEN, 404,
		      "an unknown kept form");

	/* The account signs in and sends it on from the page: saved. */
	sign_in_to(&c, email, next, &r);
	it_expect_redirect(&r, next, "signing in again");
	it_resp_free(&r);
	it_client_get(&c, next, &r);
	it_expect_status(&r, 200, "the kept form");
	ck_assert_msg(it_header_has(&r, "Cache-Control", "no-store"),
		      "the kept form may be cached");
	snprintf(want, sizeof want, "action=\"%s\"", path);
	ck_assert_msg(strstr(r.body, want) != NULL && strstr(r.body, "Send it again") != NULL,
		      "the kept form does not go to the listing: %.3000s", r.body);
	ck_assert_msg(strstr(r.body, "<b>cr") == NULL, "the kept text is not escaped");
	ck_assert_msg(strstr(r.body, "What you wrote") != NULL &&
		      strstr(r.body, "<p>Café &amp; <!-- raw HTML omitted -->crèche") != NULL,
		      "the page does not show what was written: %.4000s", r.body);
	step = it_input_value(r.body, "step");
	v = it_input_value(r.body, "description");
	it_resp_free(&r);
	ck_assert_msg(step != NULL && strcmp(step, "about") == 0, "step: %s", step);
	ck_assert_msg(v != NULL && strcmp(v, TEXT) == 0, "the kept description: %s", v);
	form = it_form("step", step, "description", v, (char *)NULL);
	free(step);
	free(v);
	it_client_post(&c, path, form, &r);
	free(form);
	ck_assert_msg(r.status == 303, "sending the kept fields: %ld %.500s", r.status, r.body);
	it_resp_free(&r);
	v = description(id);
	ck_assert_str_eq(v, "Café & <b>crèche</b>\n\"Quoted\" = 100% & more");
	free(v);

	/* Expired: refused, then deleted. */
	it_psql_id_exec("UPDATE kept_forms SET expires_at = now() - interval '1 second' WHERE "
			"user_id = $1", me);
	it_expect_get(&c, next, 404, "an expired kept form");
	{
		PGconn *jc = it_jobs_connect();

		ck_assert_int_eq(link_tokens_expire(jc), 0);
		it_jobs_disconnect(jc);
	}
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM kept_forms WHERE user_id = $1", me),
			 0);
	free(next);
}
END_TEST

/* The session ended while two tabs were open: the first request after it (another tab, here
 * the dashboard) sends to sign in but leaves the ended session and its cookie, so that the form
 * sent afterwards from the first tab is still kept for its writer. KEPT_FORM_HOURS after the
 * session ended, the periodic job deletes it; the cookie is then cleared and nothing is kept. */
START_TEST(kept_after_another_tab)
{
	long urn = it_school(54);
	char path[96], email[128], *form;
	struct it_client c = { 0 };
	struct it_resp r;
	const char *vals[1];
	long long me, id;
	int waited;

	me = it_user_signed_in(&c, "school_staff", "Tabitha Twotabs", PW, email);
	it_membership_add(me, urn, "hiring_manager");
	id = it_vacancy_add(urn, "draft", (char *)NULL);
	snprintf(path, sizeof path, "/school/vacancies/%lld/edit", id);
	form = it_form("step", "about", "description", "Written in the first tab", (char *)NULL);

	idle(&c);
	it_client_get(&c, "/school", &r);
	it_expect_status(&r, 303, "the dashboard in another tab after the session ended");
	ck_assert_msg(it_set_cookie(&r, "__Host-session") == NULL,
		      "the ended session's cookie was cleared: %s",
		      it_set_cookie(&r, "__Host-session"));
	it_resp_free(&r);
	it_client_post(&c, path, form, &r);
	it_expect_redirect(&r, "/account/login?kept=1&next=%2Faccount%2Fkept-form%3Ftoken%3D",
			   "the first tab's form after the other tab's request");
	it_resp_free(&r);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM kept_forms WHERE user_id = $1", me),
			 1);

	/* Ended longer ago than forms are kept: swept by the periodic job (every 15 s). */
	vals[0] = it_client_cookie(&c, "__Host-session");
	free(it_psql_params("UPDATE sessions SET last_seen_at = now() - interval '35 minutes' - "
			    "interval '" SQL_INT(KEPT_FORM_HOURS) " hours' WHERE token_hash = "
			    "sha256(convert_to($1, 'UTF8'))", 1, vals));
	for (waited = 0; waited < 25000; waited += 250) {
		if (it_psql_id_long("SELECT count(*) FROM sessions WHERE user_id = $1", me) == 0)
			break;
		it_sleep_ms(250);
	}
	ck_assert_msg(waited < 25000, "the ended session was not swept");
	it_client_get(&c, "/school", &r);
	ck_assert_msg(it_set_cookie(&r, "__Host-session") != NULL &&
			      strstr(it_set_cookie(&r, "__Host-session"), "Max-Age=0") != NULL,
		      "the swept session's cookie was not cleared");
	it_resp_free(&r);
	free(form);
}
END_TEST

START_TEST(not_kept)
{
	long urn = it_school(54);
	char path[96], email[128], *form;
	struct it_client c = { 0 }, none = { 0 };
	struct it_resp r;
	const char *cross[] = { "Origin: https://evil.example", NULL };
	long long me, id;

	me = it_user_signed_in(&c, "school_staff", "Nell Notkept", PW, email);
	it_membership_add(me, urn, "hiring_manager");
	id = it_vacancy_add(urn, "draft", (char *)NULL);
	snprintf(path, sizeof path, "/school/vacancies/%lld/edit", id);
	form = it_form("step", "about", "description", "Lost", (char *)NULL);

	/* No session cookie, or one that is no session's. */
	it_client_post(&none, path, form, &r);
	it_expect_status(&r, 401, "no session cookie");
	it_resp_free(&r);
	it_client_set_cookie(&none, "__Host-session", UNKNOWN_TOKEN);
	it_client_post(&none, path, form, &r);
	it_expect_status(&r, 401, "an unknown session cookie");
	it_resp_free(&r);

	/* A route that does not keep forms. */
	idle(&c);
	snprintf(path, sizeof path, "/school/vacancies/%lld/publish", id);
	it_client_post(&c, path, "", &r);
	it_expect_status(&r, 401, "publishing after the session ended");
	it_resp_free(&r);

	/* From another site. */
	it_login(&c, email, PW);
	idle(&c);
	snprintf(path, sizeof path, "/school/vacancies/%lld/edit", id);
	it_client_request(&c, "POST", path, form, cross, &r);
	it_expect_status(&r, 401, "a form from another site");
	it_resp_free(&r);

	/* From an account disabled since. */
	it_login(&c, email, PW);
	it_psql_id_exec("UPDATE users SET disabled_at = now() WHERE id = $1", me);
	it_client_post(&c, path, form, &r);
	it_expect_status(&r, 401, "a disabled account's form");
	it_resp_free(&r);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM kept_forms WHERE user_id = $1", me),
			 0);
	free(form);
}
END_TEST

static Suite *kept_form_suite(void)
{
	Suite *s = suite_create("kept_form");
	TCase *tc = it_tcase("kept_form", 60, it_fixture_server);

	tcase_add_test(tc, kept_across_sign_in);
	tcase_add_test(tc, not_kept);
	tcase_add_test(tc, kept_after_another_tab);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(kept_form_suite());
}
