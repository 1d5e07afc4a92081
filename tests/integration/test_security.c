/* test_security.c - the attack cases of ../shared/guide/security.md that issue 3 owns: CSRF on
 * every state change (each such route of the table; missing, wrong or another session's token,
 * a foreign Origin or Referer: 403 and nothing changed), open redirects through next=, CR/LF in
 * user input against the log, stored and reflected XSS in the HR, audit and school staff views,
 * formula injection in the audit CSV, Cache-Control: no-store on signed-in pages, and no
 * password, token or session id in the log or the audit trail. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "router.h"

#define PW "Tilbury-docks-1886"
#define PW2 "Grays-beach-at-dusk"
#define MAIL_WAIT_MS 15000
#define EVIL "https://evil.example"
#define XSS "<script>alert(1)</script>"
#define XSS_ESCAPED "&lt;script&gt;alert(1)&lt;/script&gt;"

/* POSTs form plus csrf_token=token (none when token is NULL) with c's cookies and extra
 * headers (NULL or NULL-terminated). Returns the status. */
static long post_token(struct it_client *c, const char *path, const char *form, const char *token,
		       const char *const *headers, struct it_resp *r)
{
	char *body, *tok = token != NULL ? it_form("csrf_token", token, (char *)NULL) : NULL;
	size_t n = strlen(form) + (tok ? strlen(tok) : 0) + 2;

	body = malloc(n);
	ck_assert_ptr_nonnull(body);
	snprintf(body, n, "%s%s%s", form, tok && form[0] ? "&" : "", tok ? tok : "");
	it_client_request(c, "POST", path, body, headers, r);
	free(body);
	free(tok);
	return r->status;
}

/* Fails unless html shows payload only escaped: no raw XSS, and escaped present. */
static void expect_escaped(const char *html, const char *what)
{
	ck_assert_msg(strstr(html, "<script>alert(1)") == NULL, "%s: the payload is unescaped",
		      what);
	ck_assert_msg(strstr(html, XSS_ESCAPED) != NULL, "%s: the escaped payload is not shown",
		      what);
}

/* --- CSRF ---------------------------------------------------------------------------------- */

START_TEST(csrf_signed_in_form)
{
	static const char wrong[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	const char *foreign_origin[] = { "Origin: " EVIL, NULL };
	const char *foreign_referer[] = { "Referer: " EVIL "/page", NULL };
	const char *sub_origin[] = { "Origin: https://127.0.0.1.evil.example", NULL };
	char email[128], other[128], *form, *hash, *after, own_origin[128];
	const char *same[] = { own_origin, NULL };
	struct it_client c = { 0 }, d = { 0 };
	struct it_resp r;
	long long id;
	long sessions;

	id = it_user_signed_in(&c, "candidate", "Cass Csrf", PW, email);
	it_user_signed_in(&d, "candidate", "Dot Csrf", PW, other);
	hash = it_psql_id("SELECT password_hash FROM users WHERE id = $1", id);
	sessions = it_psql_id_long("SELECT count(*) FROM sessions WHERE user_id = $1", id);
	form = it_form("current_password", PW, "new_password", PW2, (char *)NULL);

	ck_assert_int_eq(post_token(&c, "/account/password", form, NULL, NULL, &r), 403);
	it_resp_free(&r);
	ck_assert_int_eq(post_token(&c, "/account/password", form, "", NULL, &r), 403);
	it_resp_free(&r);
	ck_assert_int_eq(post_token(&c, "/account/password", form, wrong, NULL, &r), 403);
	it_resp_free(&r);
	ck_assert_msg(strcmp(c.csrf, d.csrf) != 0, "two sessions share a CSRF token");
	ck_assert_msg(post_token(&c, "/account/password", form, d.csrf, NULL, &r) == 403,
		      "another session's token: status %ld", r.status);
	it_resp_free(&r);
	ck_assert_msg(post_token(&c, "/account/password", form, c.csrf, foreign_origin, &r) == 403,
		      "the right token from Origin %s: status %ld", EVIL, r.status);
	it_resp_free(&r);
	ck_assert_msg(post_token(&c, "/account/password", form, c.csrf, foreign_referer, &r) == 403,
		      "the right token with Referer %s (no Origin): status %ld", EVIL, r.status);
	it_resp_free(&r);
	ck_assert_msg(post_token(&c, "/account/password", form, c.csrf, sub_origin, &r) == 403,
		      "the right token from a look-alike Origin: status %ld", r.status);
	it_resp_free(&r);

	after = it_psql_id("SELECT password_hash FROM users WHERE id = $1", id);
	ck_assert_msg(strcmp(hash, after) == 0, "a refused POST changed the password");
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM sessions WHERE user_id = $1", id),
			 sessions);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM audit_log WHERE actor_id = $1 AND "
					 "action = 'password.change'", id), 0);
	ck_assert_msg(it_still_signed_in(&c), "a refused POST ended the session");

	/* The same token from this site's own Origin works (so the 403s above were the CSRF
	 * check's). */
	snprintf(own_origin, sizeof own_origin, "Origin: %s", it_base_url());
	ck_assert_msg(post_token(&c, "/account/sessions/end", "", c.csrf, same, &r) == 303,
		      "the right token from this site's Origin: status %ld", r.status);
	it_resp_free(&r);
	free(form);
	free(hash);
	free(after);
}
END_TEST

/* The route table's path with each {name} (and {name...}) segment replaced by "1", into out
 * (256 bytes). */
static void route_path(const char *pattern, char *out)
{
	size_t n = 0;

	for (const char *p = pattern; *p != '\0' && n < 250; p++) {
		if (*p == '{') {
			while (*p != '\0' && *p != '}')
				p++;
			out[n++] = '1';
			if (*p == '\0')
				break;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
}

/* Every route that changes state, as the route table has them, refuses a request without the
 * CSRF token from a user its role lets in (so the refusal is the CSRF check's, which runs before
 * any handler); the routes without the check are the one-click unsubscribes a mail program
 * POSTs to a link's token (RFC 8058). New routes are covered as they are added. */
START_TEST(csrf_every_state_change)
{
	struct it_client cand = { 0 }, admin = { 0 };
	struct it_resp r;
	char path[256];
	size_t checked = 0;

	it_user_signed_in(&cand, "candidate", "Cal Sweep", PW, NULL);
	it_user_signed_in(&admin, "admin", "Ada Sweep", PW, NULL);
	for (size_t i = 0; i < routes_len; i++) {
		const struct route *rt = &routes[i];

		if (strcmp(rt->method, "GET") == 0)
			continue;
		if (rt->role == ROLE_STATELESS) {
			ck_assert_msg(strcmp(rt->name, "job_alert_one_click") == 0 ||
					      strcmp(rt->name, "email_stop_one_click") == 0,
				      "%s %s changes state without the CSRF check", rt->method,
				      rt->pattern);
			continue;
		}
		route_path(rt->pattern, path);
		post_token(rt->role == ROLE_CANDIDATE ? &cand : &admin, path, "a=1", NULL, NULL, &r);
		ck_assert_msg(r.status == 403 && strstr(r.body, "did not come from this service"),
			      "%s %s without a token: %ld", rt->method, path, r.status);
		it_resp_free(&r);
		checked++;
	}
	ck_assert_uint_gt(checked, 40);
}
END_TEST

START_TEST(csrf_visitor_forms)
{
	const char *foreign_origin[] = { "Origin: " EVIL, NULL };
	struct it_client v = { 0 }, w = { 0 };
	char email[128], *form, *token, *n;
	const char *vals[1] = { email };
	struct it_resp r;

	it_clear_address_limit("register");
	it_unique_email(email, sizeof email, "csrfreg");
	it_client_get(&v, "/account/register", &r);
	it_resp_free(&r);
	it_client_get(&w, "/account/register", &r);
	it_resp_free(&r);
	ck_assert_msg(it_client_cookie(&v, "__Host-csrf") != NULL, "no __Host-csrf cookie");
	ck_assert_msg(strcmp(v.csrf, w.csrf) != 0, "two visitors share a CSRF token");
	form = it_form("name", "Reg Csrf", "email", email, "password", PW, (char *)NULL);

	ck_assert_int_eq(post_token(&v, "/account/register", form, NULL, NULL, &r), 403);
	it_resp_free(&r);
	ck_assert_msg(post_token(&v, "/account/register", form, w.csrf, NULL, &r) == 403,
		      "another visitor's token: status %ld", r.status);
	it_resp_free(&r);
	ck_assert_msg(post_token(&v, "/account/register", form, v.csrf, foreign_origin, &r) == 403,
		      "the right token from Origin %s: status %ld", EVIL, r.status);
	it_resp_free(&r);
	token = strdup(it_client_cookie(&v, "__Host-csrf"));
	ck_assert_ptr_nonnull(token);
	it_client_set_cookie(&v, "__Host-csrf", NULL);
	ck_assert_msg(post_token(&v, "/account/register", form, token, NULL, &r) == 403,
		      "a token without its cookie: status %ld", r.status);
	it_resp_free(&r);
	n = it_psql_params("SELECT count(*) FROM users WHERE lower(email) = $1", 1, vals);
	ck_assert_msg(strcmp(n, "0") == 0, "a refused registration created the account");
	free(n);

	/* Sign-in without a token: refused, no session. */
	it_client_set_cookie(&v, "__Host-csrf", token);
	ck_assert_msg(post_token(&v, "/account/login", "email=a%40example.org&password=x", NULL,
				 NULL, &r) == 403, "sign-in without a token: status %ld", r.status);
	ck_assert_msg(it_client_cookie(&v, "__Host-session") == NULL, "signed in without a token");
	it_resp_free(&r);

	/* And the form itself works with cookie and token together. */
	ck_assert_msg(post_token(&v, "/account/register", form, token, NULL, &r) == 200,
		      "registration with cookie and token: status %ld", r.status);
	it_resp_free(&r);
	n = it_psql_params("SELECT count(*) FROM users WHERE lower(email) = $1", 1, vals);
	ck_assert_msg(strcmp(n, "1") == 0, "the registration did not create the account");
	free(n);
	free(token);
	free(form);
}
END_TEST

START_TEST(csrf_logout_and_hr_actions)
{
	const char *foreign_origin[] = { "Origin: " EVIL, NULL };
	struct it_client c = { 0 }, h = { 0 };
	char email[128], hr[128], path[96];
	struct it_resp r;
	long long id;

	id = it_user_signed_in(&c, "candidate", "Lola Logout", PW, email);
	it_user_signed_in(&h, "hr", "Harry Hr", PW, hr);
	ck_assert_msg(post_token(&c, "/account/logout", "", NULL, NULL, &r) == 403,
		      "sign-out without a token: status %ld", r.status);
	it_resp_free(&r);
	ck_assert_msg(it_still_signed_in(&c), "a sign-out without a token signed out");
	it_client_get(&c, "/account/logout", &r);
	ck_assert_msg(r.status == 405 || r.status == 404, "GET /account/logout: status %ld, want "
		      "405 (sign-out only by POST)", r.status);
	it_resp_free(&r);
	ck_assert_msg(it_still_signed_in(&c), "a GET of /account/logout signed out");

	snprintf(path, sizeof path, "/hr/users/%lld/disable", id);
	ck_assert_msg(post_token(&h, path, "", NULL, NULL, &r) == 403,
		      "HR disable without a token: status %ld", r.status);
	it_resp_free(&r);
	ck_assert_msg(post_token(&h, path, "", h.csrf, foreign_origin, &r) == 403,
		      "HR disable from Origin %s: status %ld", EVIL, r.status);
	it_resp_free(&r);
	snprintf(path, sizeof path, "/hr/users/%lld/role", id);
	ck_assert_msg(post_token(&h, path, "role=hr", NULL, NULL, &r) == 403,
		      "HR role change without a token: status %ld", r.status);
	it_resp_free(&r);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM users WHERE id = $1 AND role = "
					 "'candidate' AND disabled_at IS NULL", id), 1);
	ck_assert_msg(it_still_signed_in(&c), "the target was signed out by refused actions");
}
END_TEST

/* --- open redirects ------------------------------------------------------------------------ */

static const char *const evil_next[] = {
	EVIL, EVIL "/account", "//evil.example", "///evil.example", "/\\evil.example",
	"\\\\evil.example", "\\/evil.example", "javascript:alert(1)", "https:evil.example",
	"/\t/evil.example", " //evil.example", "/\r\nLocation: " EVIL, "//evil.example/%2F..",
	"http://127.0.0.1.evil.example/", NULL,
};

/* Fails unless loc is a path on this site that no browser could take for another host. */
static void expect_local(const char *loc, const char *next)
{
	ck_assert_msg(loc != NULL, "next=%s: no Location", next);
	ck_assert_msg(loc[0] == '/' && loc[1] != '/' && loc[1] != '\\',
		      "next=%s: redirect to %s, off this site", next, loc);
	ck_assert_msg(strstr(loc, "evil.example") == NULL && strpbrk(loc, "\t\r\n\\") == NULL,
		      "next=%s: redirect to %s", next, loc);
}

START_TEST(open_redirect_next)
{
	struct it_client c = { 0 }, v;
	char email[128], get[512], *form, *path, *hidden;
	struct it_resp r;

	it_unique_email(email, sizeof email, "redirect");
	it_user_add(email, "Red Irect", "candidate", PW, 1);
	for (size_t i = 0; evil_next[i] != NULL; i++) {
		v = (struct it_client){ 0 };
		it_clear_address_limit("login");
		/* The form for a visitor never carries a foreign next. */
		path = it_form("next", evil_next[i], (char *)NULL);
		snprintf(get, sizeof get, "/account/login?%s", path);
		it_client_get(&v, get, &r);
		it_expect_status(&r, 200, "the sign-in form with a foreign next");
		hidden = it_input_value(r.body, "next");
		ck_assert_msg(hidden == NULL || (hidden[0] == '/' && hidden[1] != '/' &&
						 hidden[1] != '\\' && !strstr(hidden, "evil")),
			      "next=%s: the form carries next=%s", evil_next[i], hidden);
		free(hidden);
		it_resp_free(&r);
		free(path);

		form = it_form("email", email, "password", PW, "next", evil_next[i], (char *)NULL);
		it_client_post(&v, "/account/login", form, &r);
		free(form);
		ck_assert_msg(r.status == 303, "next=%s: sign-in status %ld", evil_next[i], r.status);
		expect_local(it_location(&r), evil_next[i]);
		ck_assert_msg(strstr(r.headers, "evil.example") == NULL,
			      "next=%s: a header names the foreign host:\n%s", evil_next[i],
			      r.headers);
		it_resp_free(&r);
	}

	/* A signed-in visit to the sign-in page redirects too: still only locally. */
	it_login(&c, email, PW);
	for (size_t i = 0; evil_next[i] != NULL; i++) {
		path = it_form("next", evil_next[i], (char *)NULL);
		snprintf(get, sizeof get, "/account/login?%s", path);
		free(path);
		it_client_get(&c, get, &r);
		ck_assert_msg(r.status == 303, "signed in, GET %s: status %ld", get, r.status);
		expect_local(it_location(&r), evil_next[i]);
		it_resp_free(&r);
	}

	/* A local next is followed. */
	it_client_get(&c, "/account/login?next=%2Fschools%3Fphase%3Dprimary", &r);
	ck_assert_msg(r.status == 303 && strcmp(it_location(&r), "/schools?phase=primary") == 0,
		      "a local next: status %ld to %s", r.status, it_location(&r));
	it_resp_free(&r);
}
END_TEST

/* --- CR/LF and the log --------------------------------------------------------------------- */

/* Fails unless every line of the portal's log is a JSON object and none says msg=FORGED. */
static void expect_log_intact(void)
{
	char *log = it_server_log(), *line, *save = NULL;
	json_error_t err;
	json_t *j;
	int n = 0;

	for (line = strtok_r(log, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		j = json_loads(line, 0, &err);
		ck_assert_msg(json_is_object(j), "a log line is not a JSON object (%s): %s", err.text,
			      line);
		ck_assert_msg(!json_is_string(json_object_get(j, "msg")) ||
			      strcmp(json_string_value(json_object_get(j, "msg")), "FORGED") != 0,
			      "a forged log line: %s", line);
		json_decref(j);
		n++;
	}
	ck_assert_msg(n > 0, "the log is empty");
	free(log);
}

START_TEST(crlf_cannot_forge_log_lines)
{
	static const char forged[] = "\r\n{\"time\":\"2026-01-01T00:00:00Z\",\"level\":\"error\","
				     "\"msg\":\"FORGED\"}\r\n";
	struct it_client v = { 0 }, h = { 0 }, m = { 0 };
	char email[128], hr[128], victim[128], name[256], addr[256], path[96], *form;
	struct it_resp r;
	long long id;

	snprintf(name, sizeof name, "Mallory%s", forged);
	it_unique_email(email, sizeof email, "crlf");
	snprintf(addr, sizeof addr, "%s%s", email, forged);

	it_clear_address_limit("register");
	it_client_get(&v, "/account/register", &r);
	it_resp_free(&r);
	form = it_form("name", name, "email", email, "password", PW, (char *)NULL);
	it_client_post(&v, "/account/register", form, &r);
	free(form);
	ck_assert_msg(r.status == 422 || r.status == 200, "registering a CR/LF name: status %ld",
		      r.status);
	it_resp_free(&r);
	it_clear_address_limit("login");
	form = it_form("email", addr, "password", PW, (char *)NULL);
	it_client_post(&v, "/account/login", form, &r);
	free(form);
	ck_assert_msg(r.status == 422, "signing in as a CR/LF address: status %ld", r.status);
	it_resp_free(&r);
	it_clear_address_limit("reset");
	form = it_form("email", addr, (char *)NULL);
	it_client_post(&v, "/account/password/forgot", form, &r);
	free(form);
	it_resp_free(&r);
	it_get("/schools?town=%0D%0A%7B%22msg%22%3A%22FORGED%22%7D", &r);
	it_resp_free(&r);

	/* A CR/LF name that got into the database (an older import, say) is harmless too. */
	it_unique_email(victim, sizeof victim, "crlfdb");
	id = it_user_add(victim, "Carl Crlf\r\n<i>forged</i>\r\n{\"msg\":\"FORGED\"}", "candidate",
			 PW, 1);
	it_login(&m, victim, PW);
	it_user_signed_in(&h, "hr", "Hetty Hr", PW, hr);
	it_client_get(&h, "/hr/users?q=Carl+Crlf", &r);
	it_expect_status(&r, 200, "/hr/users listing a CR/LF name");
	ck_assert_msg(strstr(r.body, "<i>forged</i>") == NULL, "/hr/users shows markup unescaped");
	ck_assert_msg(strstr(r.body, "&lt;i&gt;forged&lt;/i&gt;") != NULL,
		      "/hr/users does not show the CR/LF name escaped");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/hr/users/%lld/disable", id);
	it_client_post(&h, path, "", &r);
	it_resp_free(&r);
	it_client_get(&h, "/hr/audit", &r);
	ck_assert_msg(strstr(r.body, "<i>forged</i>") == NULL, "/hr/audit shows markup unescaped");
	it_resp_free(&r);
	it_sleep_ms(200);
	expect_log_intact();
}
END_TEST

/* --- XSS ----------------------------------------------------------------------------------- */

START_TEST(stored_xss_escaped)
{
	struct it_client v = { 0 }, x = { 0 }, h = { 0 }, s = { 0 };
	char email[128], hr[128], staff[128], xstaff[128], path[256], *form, *id;
	const char *vals[1] = { email };
	struct it_resp r;
	long urn = it_school(8);
	long long sid, xid, xsid;

	/* A candidate registers with markup for a name. */
	it_clear_address_limit("register");
	it_unique_email(email, sizeof email, "xss");
	it_client_get(&v, "/account/register", &r);
	it_resp_free(&r);
	form = it_form("name", XSS, "email", email, "password", PW, (char *)NULL);
	it_client_post(&v, "/account/register", form, &r);
	free(form);
	it_expect_status(&r, 200, "registering with markup in the name");
	it_resp_free(&r);
	it_login(&x, email, PW);
	it_client_get(&x, "/account", &r);
	expect_escaped(r.body, "the candidate's own /account");
	it_resp_free(&r);
	id = it_psql_params("SELECT id FROM users WHERE lower(email) = $1", 1, vals);
	xid = atoll(id);
	free(id);

	/* A member of staff with markup for a name, at the school of another. */
	it_unique_email(xstaff, sizeof xstaff, "xssstaff");
	xsid = it_user_add(xstaff, XSS, "school_staff", PW, 1);
	it_membership_add(xsid, urn, "viewer");
	sid = it_user_signed_in(&s, "school_staff", "Stella Staff", PW, staff);
	it_membership_add(sid, urn, "hiring_manager");
	snprintf(path, sizeof path, "/school/staff?school=%ld", urn);
	it_client_get(&s, path, &r);
	it_expect_status(&r, 200, "/school/staff");
	expect_escaped(r.body, "/school/staff");
	it_resp_free(&r);

	/* HR's views. */
	it_user_signed_in(&h, "hr", "Hugh Hr", PW, hr);
	form = it_form("q", email, (char *)NULL);
	snprintf(path, sizeof path, "/hr/users?%s", form);
	free(form);
	it_client_get(&h, path, &r);
	it_expect_status(&r, 200, "/hr/users");
	expect_escaped(r.body, "/hr/users");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/hr/users/%lld/disable", xid);
	it_client_post(&h, path, "", &r);
	ck_assert_msg(r.status == 303, "disabling the XSS user: %ld", r.status);
	it_resp_free(&r);
	form = it_form("actor", email, (char *)NULL);
	snprintf(path, sizeof path, "/hr/audit?%s", form);
	free(form);
	it_client_get(&h, path, &r);
	it_expect_status(&r, 200, "/hr/audit?actor=");
	expect_escaped(r.body, "/hr/audit (the candidate's own entries)");
	it_resp_free(&r);
	it_client_get(&h, "/hr/audit?action=user.disable", &r);
	it_expect_status(&r, 200, "/hr/audit?action=user.disable");
	expect_escaped(r.body, "/hr/audit (entries about the candidate)");
	it_resp_free(&r);
}
END_TEST

START_TEST(reflected_xss_escaped)
{
	static const char *const paths[] = {
		"/account/login?next=/%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
		"/hr/users?q=%3Cscript%3Ealert(1)%3C/script%3E",
		"/hr/audit?actor=%3Cscript%3Ealert(1)%3C/script%3E",
		"/hr/audit?action=%3Cscript%3Ealert(1)%3C/script%3E",
		"/hr/users?role=%3Cscript%3Ealert(1)%3C/script%3E",
		"/school/staff?school=%3Cscript%3Ealert(1)%3C/script%3E",
		NULL,
	};
	struct it_client h = { 0 }, v = { 0 };
	char hr[128], *form;
	struct it_resp r;

	it_user_signed_in(&h, "admin", "Ana Admin", PW, hr);
	for (size_t i = 0; paths[i] != NULL; i++) {
		it_client_get(&h, paths[i], &r);
		ck_assert_msg(strstr(r.body, "<script>alert(1)") == NULL,
			      "GET %s (status %ld) reflects the payload unescaped", paths[i],
			      r.status);
		it_resp_free(&r);
	}
	/* A form re-shown with errors keeps what was typed - escaped. */
	it_clear_address_limit("register");
	it_client_get(&v, "/account/register", &r);
	it_resp_free(&r);
	form = it_form("name", "\">" XSS, "email", "not-an-address\">" XSS, "password", "x",
		       (char *)NULL);
	it_client_post(&v, "/account/register", form, &r);
	free(form);
	it_expect_status(&r, 422, "an invalid registration");
	ck_assert_msg(strstr(r.body, "<script>alert(1)") == NULL,
		      "the registration form re-shows the payload unescaped");
	it_resp_free(&r);
}
END_TEST

/* True when a CSV cell (unquoted value) starts as a spreadsheet formula would. */
static bool formula_cell(const char *cell)
{
	return cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@';
}

START_TEST(audit_csv_neutralises_formulas)
{
	struct it_client v = { 0 }, h = { 0 };
	char email[128], hr[128], path[256], cell[512], *form;
	struct it_resp r;
	const char *p;
	size_t n;
	long long hid;
	bool quoted, found = false;

	/* A failed sign-in is audited with the address typed, which may begin with "=". */
	snprintf(email, sizeof email, "=2+5-%ld@evil.example", (long)getpid());
	it_clear_address_limit("login");
	it_client_get(&v, "/account/login", &r);
	it_resp_free(&r);
	form = it_form("email", email, "password", PW, (char *)NULL);
	it_client_post(&v, "/account/login", form, &r);
	free(form);
	it_expect_status(&r, 422, "signing in as a formula address");
	it_resp_free(&r);
	hid = it_user_signed_in(&h, "hr", "Hilda Hr", PW, hr);
	form = it_form("action", "login.failure", "actor", email, "format", "csv", (char *)NULL);
	snprintf(path, sizeof path, "/hr/audit?%s", form);
	free(form);
	it_client_get(&h, path, &r);
	it_expect_status(&r, 200, "the audit log as CSV");
	/* Walk the cells (RFC 4180 quoting). */
	for (p = r.body; *p != '\0';) {
		n = 0;
		quoted = *p == '"';
		if (quoted)
			p++;
		while (*p != '\0') {
			if (quoted && p[0] == '"' && p[1] == '"') {
				p += 2;
				if (n + 1 < sizeof cell)
					cell[n++] = '"';
			} else if (quoted && p[0] == '"') {
				p++;
				quoted = false;
			} else if (!quoted && (*p == ',' || *p == '\n' || *p == '\r')) {
				break;
			} else {
				if (n + 1 < sizeof cell)
					cell[n++] = *p;
				p++;
			}
		}
		cell[n] = '\0';
		ck_assert_msg(!formula_cell(cell), "a CSV cell a spreadsheet runs: %s", cell);
		found |= strstr(cell, "2+5-") != NULL;
		while (*p == ',' || *p == '\r' || *p == '\n')
			p++;
	}
	ck_assert_msg(found, "the CSV does not hold the user's entries:\n%.500s", r.body);
	it_resp_free(&r);
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM audit_log WHERE action = 'export' AND "
				      "actor_id = $1", hid) == 1,
		      "the CSV download was not audited as an export");
}
END_TEST

/* --- caching ------------------------------------------------------------------------------- */

/* GET path with c; fails unless the status is want and Cache-Control says no-store. */
static void expect_no_store(struct it_client *c, const char *path, long want)
{
	struct it_resp r;
	const char *cc;

	it_client_get(c, path, &r);
	ck_assert_msg(r.status == want, "GET %s: status %ld, want %ld", path, r.status, want);
	cc = it_header(&r, "Cache-Control");
	ck_assert_msg(cc != NULL && strstr(cc, "no-store") != NULL,
		      "signed-in GET %s: Cache-Control %s, want no-store", path, cc ? cc : "(none)");
	it_resp_free(&r);
}

START_TEST(signed_in_pages_not_stored)
{
	struct it_client c = { 0 }, s = { 0 }, h = { 0 };
	char cand[128], staff[128], hr[128], path[96];
	struct it_resp r;
	long urn = it_school(9);
	long long sid;

	it_user_signed_in(&c, "candidate", "Cara Cache", PW, cand);
	sid = it_user_signed_in(&s, "school_staff", "Sam Cache", PW, staff);
	it_membership_add(sid, urn, "viewer");
	it_user_signed_in(&h, "hr", "Hal Cache", PW, hr);

	expect_no_store(&c, "/account", 200);
	expect_no_store(&c, "/", 200);
	expect_no_store(&c, "/schools", 200);
	expect_no_store(&c, "/account/password/forgot", 200);
	expect_no_store(&c, "/hr/users", 403);
	snprintf(path, sizeof path, "/school/staff?school=%ld", urn);
	expect_no_store(&s, path, 200);
	expect_no_store(&s, "/school/staff", 200);
	snprintf(path, sizeof path, "/school/staff?school=%ld", it_school(10));
	expect_no_store(&s, path, 404);
	expect_no_store(&h, "/hr/users", 200);
	expect_no_store(&h, "/hr/audit", 200);
	expect_no_store(&h, "/hr/outbox", 200);
	expect_no_store(&h, "/account", 200);

	/* A form re-shown with errors to a signed-in user. */
	it_client_post(&c, "/account/password", "current_password=&new_password=", &r);
	ck_assert_msg(r.status == 422, "an invalid change of password: %ld", r.status);
	ck_assert_msg(it_header(&r, "Cache-Control") != NULL &&
		      strstr(it_header(&r, "Cache-Control"), "no-store") != NULL,
		      "the 422 settings page may be stored");
	it_resp_free(&r);
}
END_TEST

/* --- secrets stay out of the log ----------------------------------------------------------- */

START_TEST(no_secrets_in_log_or_audit)
{
	struct it_client v = { 0 }, c = { 0 }, w = { 0 };
	char email[128], p1[64], p2[64], p3[64], p4[64], *form, *msg, *verify, *reset;
	char *secrets[9];
	const char *vals[1];
	struct it_resp r;
	char *log, *n;

	snprintf(p1, sizeof p1, "Secret-wombat-%ld-one", (long)getpid());
	snprintf(p2, sizeof p2, "Secret-wombat-%ld-two", (long)getpid());
	snprintf(p3, sizeof p3, "Secret-wombat-%ld-three", (long)getpid());
	snprintf(p4, sizeof p4, "Secret-wombat-%ld-four", (long)getpid());
	it_unique_email(email, sizeof email, "secrets");

	it_clear_address_limit("register");
	it_client_get(&v, "/account/register", &r);
	it_resp_free(&r);
	form = it_form("name", "Sid Secret", "email", email, "password", p1, (char *)NULL);
	it_client_post(&v, "/account/register", form, &r);
	free(form);
	it_expect_status(&r, 200, "registering");
	it_resp_free(&r);
	msg = it_mail_wait(email, "/account/verify?token=", MAIL_WAIT_MS);
	verify = it_mail_link(msg, "/account/verify?token=");
	free(msg);
	it_client_get(&v, verify, &r);
	it_expect_status(&r, 200, "verifying");
	it_resp_free(&r);

	it_login(&c, email, p1);
	secrets[0] = strdup(it_client_cookie(&c, "__Host-session"));
	secrets[1] = strdup(c.csrf);
	it_clear_address_limit("login");
	form = it_form("email", email, "password", p3, (char *)NULL);
	it_client_get(&w, "/account/login", &r);
	it_resp_free(&r);
	it_client_post(&w, "/account/login", form, &r);
	free(form);
	it_expect_status(&r, 422, "a wrong password");
	it_resp_free(&r);

	it_clear_address_limit("reset");
	form = it_form("email", email, (char *)NULL);
	it_client_get(&w, "/account/password/forgot", &r);
	it_resp_free(&r);
	it_client_post(&w, "/account/password/forgot", form, &r);
	free(form);
	it_resp_free(&r);
	msg = it_mail_wait(email, "/account/password/reset?token=", MAIL_WAIT_MS);
	reset = it_mail_link(msg, "/account/password/reset?token=");
	free(msg);
	it_client_get(&w, reset, &r);
	it_resp_free(&r);
	form = it_form("token", strstr(reset, "token=") + 6, "password", p2, (char *)NULL);
	it_client_post(&w, "/account/password/reset", form, &r);
	free(form);
	ck_assert_msg(r.status == 303, "resetting: status %ld", r.status);
	it_resp_free(&r);
	it_client_get(&w, "/account", &r);
	it_resp_free(&r);
	form = it_form("current_password", p2, "new_password", p4, (char *)NULL);
	it_client_post(&w, "/account/password", form, &r);
	free(form);
	ck_assert_msg(r.status == 303, "changing the password: status %ld", r.status);
	it_resp_free(&r);
	secrets[2] = strdup(it_client_cookie(&w, "__Host-session"));
	secrets[3] = strdup(strstr(verify, "token=") + 6);
	secrets[4] = strdup(strstr(reset, "token=") + 6);
	secrets[5] = strdup(p1);
	secrets[6] = strdup(p2);
	secrets[7] = strdup(p3);
	secrets[8] = strdup(p4);

	it_sleep_ms(200);
	log = it_server_log();
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
		ck_assert_ptr_nonnull(secrets[i]);
		ck_assert_msg(strlen(secrets[i]) >= 16, "secret %zu too short to search for", i);
		ck_assert_msg(strstr(log, secrets[i]) == NULL, "the log holds secret %zu (%s)", i,
			      i < 2 ? "session cookie / CSRF token" : i < 3 ? "session cookie"
				      : i < 5 ? "an emailed token" : "a password");
		vals[0] = secrets[i];
		n = it_psql_params("SELECT count(*) FROM audit_log WHERE strpos(detail::text, $1) > 0 "
				   "OR strpos(coalesce(actor_email, ''), $1) > 0 OR "
				   "strpos(coalesce(object_id, ''), $1) > 0", 1, vals);
		ck_assert_msg(strcmp(n, "0") == 0, "the audit log holds secret %zu", i);
		free(n);
		n = it_psql_params("SELECT count(*) FROM sessions s, users u WHERE "
				   "strpos(encode(s.token_hash, 'escape'), $1) > 0 OR "
				   "strpos(coalesce(u.password_hash, ''), $1) > 0", 1, vals);
		ck_assert_msg(strcmp(n, "0") == 0, "a raw secret %zu is stored", i);
		free(n);
		free(secrets[i]);
	}
	free(log);
	free(verify);
	free(reset);
}
END_TEST

static Suite *security_suite(void)
{
	Suite *s = suite_create("security");
	TCase *tc;

	tc = it_tcase("csrf", 90, it_fixture_server_mail);
	tcase_add_test(tc, csrf_signed_in_form);
	tcase_add_test(tc, csrf_every_state_change);
	tcase_add_test(tc, csrf_visitor_forms);
	tcase_add_test(tc, csrf_logout_and_hr_actions);
	suite_add_tcase(s, tc);

	tc = it_tcase("redirects", 90, it_fixture_server_mail);
	tcase_add_test(tc, open_redirect_next);
	suite_add_tcase(s, tc);

	tc = it_tcase("injection", 90, it_fixture_server_mail);
	tcase_add_test(tc, crlf_cannot_forge_log_lines);
	tcase_add_test(tc, stored_xss_escaped);
	tcase_add_test(tc, reflected_xss_escaped);
	tcase_add_test(tc, audit_csv_neutralises_formulas);
	suite_add_tcase(s, tc);

	tc = it_tcase("caching", 90, it_fixture_server_mail);
	tcase_add_test(tc, signed_in_pages_not_stored);
	suite_add_tcase(s, tc);

	tc = it_tcase("secrets", 90, it_fixture_server_mail);
	tcase_add_test(tc, no_secrets_in_log_or_audit);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(security_suite());
}
