/* test_accounts.c - accounts from outside (issue 3): registration and the emailed verification
 * link, password rules and the stored hash, signing in and out, the session cookie and its
 * lifetime (fixation, replay after sign-out, idle and absolute expiry, sign-out everywhere),
 * login throttling, password reset, change of password and of email address, the optional
 * emails an account turns off, disabled accounts, the audit trail of all these, and
 * `portal user add`.
 *
 * Email is read from a real SMTP sink (tests/smtp_sink.py) the portal delivers to; the database
 * is only touched to arrange time (ageing a session or a token) and to check what was stored. */
#include <argon2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "accounts.h"
#include "harness.h"

#define PW "Tilbury-docks-1886"
#define PW2 "Grays-beach-at-dusk"
#define PW3 "Orsett-heath-morning"
#define MAIL_WAIT_MS 15000
#define LOGIN_FAILED "Enter a correct email address and password"

/* A copy of the client's session cookie (caller frees); fails when there is none. */
static char *session_cookie(const struct it_client *c)
{
	const char *v = it_client_cookie(c, "__Host-session");
	char *copy;

	ck_assert_msg(v != NULL, "the client has no __Host-session cookie");
	copy = strdup(v);
	ck_assert_ptr_nonnull(copy);
	return copy;
}

/* Number of sessions rows whose token_hash is the SHA-256 of token. */
static long session_rows(const char *token)
{
	const char *vals[1] = { token };
	char *n = it_psql_params("SELECT count(*) FROM sessions WHERE token_hash = "
				 "sha256(convert_to($1, 'UTF8'))", 1, vals);
	long v = atol(n);

	free(n);
	return v;
}

/* The user id for email, or 0. */
static long long user_id(const char *email)
{
	const char *vals[1] = { email };
	char *v = it_psql_params("SELECT id FROM users WHERE lower(email) = lower($1)", 1, vals);
	long long id = v != NULL ? atoll(v) : 0;

	free(v);
	return id;
}

/* GET path with c and expect the signed-in page (200). */
static void expect_signed_in(struct it_client *c, const char *path, const char *what)
{
	struct it_resp r;

	it_client_get(c, path, &r);
	ck_assert_msg(r.status == 200, "%s: GET %s: status %ld, want 200 (signed in)", what, path,
		      r.status);
	it_resp_free(&r);
}

/* GET /account with c and expect to be sent to sign in. */
static void expect_signed_out(struct it_client *c, const char *what)
{
	struct it_resp r;

	it_client_get(c, "/account", &r);
	ck_assert_msg(r.status == 303, "%s: GET /account: status %ld, want 303 to sign in", what,
		      r.status);
	ck_assert_msg(it_location(&r) != NULL &&
		      strncmp(it_location(&r), "/account/login", 14) == 0,
		      "%s: GET /account redirects to %s", what, it_location(&r));
	it_resp_free(&r);
}

/* One sign-in attempt by a visitor client v (who holds the visitor CSRF token). Returns the
 * status; the response goes to r. */
static long try_login(struct it_client *v, const char *email, const char *password,
		      struct it_resp *r)
{
	char *form = it_form("email", email, "password", password, (char *)NULL);

	if (v->csrf[0] == '\0') {
		it_client_get(v, "/account/login", r);
		it_resp_free(r);
	}
	it_client_post(v, "/account/login", form, r);
	free(form);
	return r->status;
}

/* Registers name/email/password through the form as visitor v. Returns the status; the
 * response goes to r. */
static long register_as(struct it_client *v, const char *name, const char *email,
			const char *password, struct it_resp *r)
{
	char *form;

	it_clear_address_limit("register");
	it_client_get(v, "/account/register", r);
	it_expect_status(r, 200, "GET /account/register");
	it_resp_free(r);
	form = it_form("name", name, "email", email, "password", password, (char *)NULL);
	it_client_post(v, "/account/register", form, r);
	free(form);
	return r->status;
}

/* register_as with a fresh visitor. */
static long register_form(const char *name, const char *email, const char *password,
			  struct it_resp *r)
{
	struct it_client v = { 0 };

	return register_as(&v, name, email, password, r);
}

/* True when the Set-Cookie value sc has attribute attr (case-insensitive, exact). */
static bool cookie_attr(const char *sc, const char *attr)
{
	const char *p = strchr(sc, ';');
	size_t n = strlen(attr);

	while (p != NULL) {
		p++;
		while (*p == ' ')
			p++;
		if (strncasecmp(p, attr, n) == 0 && (p[n] == ';' || p[n] == '\0'))
			return true;
		p = strchr(p, ';');
	}
	return false;
}

/* True when the Set-Cookie value sc has an attribute whose name is name (e.g. "Domain"). */
static bool cookie_has(const char *sc, const char *name)
{
	const char *p = strchr(sc, ';');
	size_t n = strlen(name);

	while (p != NULL) {
		p++;
		while (*p == ' ')
			p++;
		if (strncasecmp(p, name, n) == 0 && (p[n] == '=' || p[n] == ';' || p[n] == '\0'))
			return true;
		p = strchr(p, ';');
	}
	return false;
}

/* Fails unless the __Host- cookie line sc has the flags we promise. */
static void expect_host_cookie(const char *sc, const char *what)
{
	ck_assert_msg(cookie_attr(sc, "Secure"), "%s: not Secure: %s", what, sc);
	ck_assert_msg(cookie_attr(sc, "HttpOnly"), "%s: not HttpOnly: %s", what, sc);
	ck_assert_msg(cookie_attr(sc, "SameSite=Lax"), "%s: not SameSite=Lax: %s", what, sc);
	ck_assert_msg(cookie_attr(sc, "Path=/"), "%s: not Path=/: %s", what, sc);
	ck_assert_msg(!cookie_has(sc, "Domain"), "%s: has a Domain: %s", what, sc);
}

/* The token of a link ".../x?token=T" (points into link). */
static const char *link_token(const char *link)
{
	const char *t = strstr(link, "token=");

	ck_assert_msg(t != NULL, "no token in %s", link);
	return t + 6;
}

/* --- registration and verification --------------------------------------------------------- */

START_TEST(register_and_verify)
{
	char email[128], *msg, *link, *v;
	struct it_resp r;
	struct it_client c = { 0 };
	long long id;

	it_unique_email(email, sizeof email, "reg");
	register_as(&c, "Rita Register", email, PW, &r);
	it_expect_status(&r, 200, "POST /account/register");
	ck_assert_msg(strstr(r.body, "Check your email") != NULL, "no 'Check your email' page");
	ck_assert_msg(it_client_cookie(&c, "__Host-session") == NULL, "registration signed in");
	it_resp_free(&r);

	id = user_id(email);
	ck_assert_msg(id > 0, "no user row for %s", email);
	v = it_psql_id("SELECT role || '/' || (verified_at IS NULL) FROM users WHERE id = $1", id);
	ck_assert_str_eq(v, "candidate/true");
	free(v);

	msg = it_mail_wait(email, "/account/verify?token=", MAIL_WAIT_MS);
	link = it_mail_link(msg, "/account/verify?token=");
	ck_assert_msg(strlen(link_token(link)) >= 43, "verification token shorter than 256 bits: %s",
		      link);
	ck_assert_msg(strstr(msg, it_base_url()) != NULL,
		      "the verification email does not link to this site (%s):\n%s", it_base_url(),
		      msg);
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM user_tokens WHERE user_id = $1 AND "
				      "purpose = 'verify_email' AND expires_at BETWEEN created_at "
				      "+ interval '23 hours 59 minutes' AND created_at + interval "
				      "'24 hours 1 minute'", id) == 1,
		      "the verification token does not expire after 24 hours");

	it_client_get(&c, link, &r);
	it_expect_status(&r, 200, "following the verification link");
	it_resp_free(&r);
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM users WHERE id = $1 AND "
				      "verified_at IS NOT NULL", id) == 1,
		      "following the link did not verify the address");

	it_client_get(&c, link, &r);
	ck_assert_msg(r.status >= 400 && r.status < 500,
		      "the verification link worked twice: status %ld", r.status);
	it_resp_free(&r);
	free(link);
	free(msg);

	it_client_get(&c, "/account/verify?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &r);
	ck_assert_msg(r.status >= 400 && r.status < 500, "an invented token: status %ld", r.status);
	it_resp_free(&r);
}
END_TEST

START_TEST(register_taken_address_same_answer)
{
	char email[128], upper[128], *msg;
	struct it_resp r1;
	size_t i;

	it_unique_email(email, sizeof email, "taken");
	it_user_add(email, "Tess Taken", "candidate", PW, 1);
	for (i = 0; email[i] != '\0'; i++)
		upper[i] = (char)(email[i] >= 'a' && email[i] <= 'z' ? email[i] - 32 : email[i]);
	upper[i] = '\0';
	register_form("Someone Else", upper, PW2, &r1);
	it_expect_status(&r1, 200, "registering an address that has an account");
	ck_assert_msg(strstr(r1.body, "Check your email") != NULL,
		      "a taken address gets a different page: %.300s", r1.body);
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM users WHERE lower(email) = "
				      "lower((SELECT email FROM users WHERE id = $1))",
				      user_id(email)) == 1,
		      "a second account for the same address (other case)");
	msg = it_mail_wait(email, NULL, MAIL_WAIT_MS);
	ck_assert_msg(strstr(msg, "/account/verify?token=") == NULL,
		      "the owner of a taken address got a verification link");
	free(msg);
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM users WHERE id = $1 AND name = "
				      "'Tess Taken'", user_id(email)) == 1,
		      "registration changed the existing account");
	it_resp_free(&r1);
}
END_TEST

START_TEST(password_rules)
{
	static const struct {
		const char *password;
		long status;
		const char *why;
	} cases[] = {
		{ "eleven-char", 422, "11 characters" },
		{ "winniethepooh", 422, "on the common-password list (john's password.lst)" },
		{ "password1234", 422, "a common password padded with digits" },
		{ "aaaaaaaaaaaa", 422, "a repeated character" },
		{ "plum-cat-sky", 200, "12 characters" },
	};
	char email[128], *hash;
	struct it_resp r;
	char long_pw[129];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		it_unique_email(email, sizeof email, "rules");
		register_form("Paula Rules", email, cases[i].password, &r);
		ck_assert_msg(r.status == cases[i].status, "password %s (%s): status %ld, want %ld",
			      cases[i].password, cases[i].why, r.status, cases[i].status);
		if (cases[i].status == 422) {
			ck_assert_msg(user_id(email) == 0, "%s: a user was created", cases[i].why);
			ck_assert_msg(strstr(r.body, "govuk-error-summary") != NULL &&
				      strstr(r.body, "href=\"#password\"") != NULL,
				      "%s: no error summary linking to #password", cases[i].why);
			ck_assert_msg(strstr(r.body, "<title>Error: ") != NULL,
				      "%s: the title does not start with \"Error: \"", cases[i].why);
			ck_assert_msg(strstr(r.body, "govuk-error-message") != NULL,
				      "%s: no message beside the field", cases[i].why);
			ck_assert_msg(strstr(r.body, email) != NULL && strstr(r.body, "Paula Rules"),
				      "%s: the typed name and email are not kept", cases[i].why);
			ck_assert_msg(strstr(r.body, cases[i].password) == NULL,
				      "%s: the password is echoed back into the page", cases[i].why);
		} else {
			hash = it_psql_id("SELECT password_hash FROM users WHERE id = $1",
					  user_id(email));
			ck_assert_msg(hash != NULL &&
				      strncmp(hash, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0,
				      "stored hash is not Argon2id m=19456,t=2,p=1: %s",
				      hash ? hash : "(null)");
			ck_assert_msg(strstr(hash, cases[i].password) == NULL, "hash holds the password");
			free(hash);
		}
		it_resp_free(&r);
	}
	/* The maximum is at least 128 characters. */
	for (size_t i = 0; i < 128; i++)
		long_pw[i] = "thurrock-river-"[i % 15];
	long_pw[125] = 'Q';
	long_pw[126] = '7';
	long_pw[127] = 'z';
	long_pw[128] = '\0';
	it_unique_email(email, sizeof email, "rules");
	register_form("Paula Long", email, long_pw, &r);
	it_expect_status(&r, 200, "a 128-character password");
	it_resp_free(&r);
}
END_TEST

START_TEST(rehash_on_login)
{
	static const unsigned char salt[16] = "thurrock-salt-16";
	char email[128], encoded[160], *after;
	const char *vals[2] = { email, encoded };
	struct it_client c = { 0 }, again = { 0 };
	long long id;

	/* A hash made with weaker, older parameters (m = 4 MiB, t = 1). */
	ck_assert_int_eq(argon2id_hash_encoded(1, 4096, 1, PW, strlen(PW), salt, sizeof salt, 32,
					       encoded, sizeof encoded), ARGON2_OK);
	ck_assert_msg(strncmp(encoded, "$argon2id$v=19$m=4096,t=1,p=1$", 30) == 0, "%s", encoded);
	it_unique_email(email, sizeof email, "rehash");
	free(it_psql_params("INSERT INTO users (email, name, role, password_hash, verified_at) VALUES "
			    "($1, 'Rhea Rehash', 'candidate', $2, now())", 2, vals));
	id = user_id(email);
	it_login(&c, email, PW);
	after = it_psql_id("SELECT password_hash FROM users WHERE id = $1", id);
	ck_assert_msg(after != NULL && strncmp(after, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0,
		      "signing in did not rehash with the current parameters: %s", after);
	free(after);
	it_login(&again, email, PW);
}
END_TEST

/* --- signing in and the session cookie ----------------------------------------------------- */

START_TEST(login_sets_host_cookie)
{
	char email[128], *form;
	struct it_client c = { 0 };
	struct it_resp r;
	const char *sc;

	it_unique_email(email, sizeof email, "cookie");
	it_user_add(email, "Cora Cookie", "candidate", PW, 1);
	it_clear_address_limit("login");
	it_client_get(&c, "/account/login", &r);
	it_expect_status(&r, 200, "GET /account/login");
	sc = it_set_cookie(&r, "__Host-csrf");
	ck_assert_msg(sc != NULL, "the sign-in form set no __Host-csrf cookie");
	expect_host_cookie(sc, "__Host-csrf");
	it_resp_free(&r);

	form = it_form("email", email, "password", PW, (char *)NULL);
	it_client_post(&c, "/account/login", form, &r);
	free(form);
	it_expect_redirect(&r, "/account", "signing in as a candidate");
	sc = it_set_cookie(&r, "__Host-session");
	ck_assert_msg(sc != NULL, "signing in set no __Host-session cookie");
	expect_host_cookie(sc, "__Host-session");
	ck_assert_msg(strlen(it_client_cookie(&c, "__Host-session")) >= 43,
		      "session token shorter than 256 bits: %s", sc);
	ck_assert_msg(session_rows(it_client_cookie(&c, "__Host-session")) == 1,
		      "the sessions table does not hold the SHA-256 of the cookie's token");
	it_resp_free(&r);
	expect_signed_in(&c, "/account", "after signing in");
}
END_TEST

START_TEST(login_failure_does_not_reveal)
{
	char email[128], nobody[128];
	struct it_client v = { 0 };
	struct it_resp wrong, unknown;
	long long id;

	it_unique_email(email, sizeof email, "reveal");
	it_unique_email(nobody, sizeof nobody, "nobody");
	id = it_user_add(email, "Rhea Reveal", "candidate", PW, 1);
	it_clear_address_limit("login");
	try_login(&v, email, PW2, &wrong);
	try_login(&v, nobody, PW2, &unknown);
	ck_assert_msg(wrong.status == 422 && unknown.status == 422,
		      "wrong password %ld, unknown address %ld: want 422 both", wrong.status,
		      unknown.status);
	ck_assert_msg(strstr(wrong.body, LOGIN_FAILED) != NULL &&
		      strstr(unknown.body, LOGIN_FAILED) != NULL,
		      "the sign-in failure message differs or is missing");
	ck_assert_msg(it_client_cookie(&v, "__Host-session") == NULL, "a failed sign-in set a session");
	ck_assert_msg(strstr(wrong.body, PW2) == NULL, "the password is echoed back");
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM audit_log WHERE action = "
				      "'login.failure' AND object_id = $1::text AND address "
				      "= '127.0.0.1'", id) >= 1,
		      "no login.failure audit entry for the account");
	it_resp_free(&wrong);
	it_resp_free(&unknown);
}
END_TEST

START_TEST(session_fixation_planted_cookie)
{
	static const char planted[] = "fixated-by-an-attacker-0123456789abcdefghij";
	char email[128], *form;
	struct it_client c = { 0 }, attacker = { 0 };
	struct it_resp r;

	ck_assert_int_eq(strlen(planted), 43);
	it_unique_email(email, sizeof email, "fixate");
	it_user_add(email, "Fia Fixate", "candidate", PW, 1);
	it_clear_address_limit("login");
	it_client_get(&c, "/account/login", &r);
	it_resp_free(&r);
	it_client_set_cookie(&c, "__Host-session", planted);
	form = it_form("email", email, "password", PW, (char *)NULL);
	it_client_post(&c, "/account/login", form, &r);
	free(form);
	it_expect_redirect(&r, "/", "signing in with a planted session cookie");
	ck_assert_msg(it_set_cookie(&r, "__Host-session") != NULL, "no new session cookie at login");
	ck_assert_msg(strcmp(it_client_cookie(&c, "__Host-session"), planted) != 0,
		      "the planted session id survived the sign-in");
	ck_assert_msg(session_rows(planted) == 0, "the planted id is a live session");
	it_resp_free(&r);

	/* The planted id is no use to the attacker who knows it. */
	it_client_set_cookie(&attacker, "__Host-session", planted);
	expect_signed_out(&attacker, "the attacker's planted cookie");
}
END_TEST

START_TEST(session_id_changes_at_login)
{
	char email[128], other[128], *old, *form;
	struct it_client c = { 0 }, replay = { 0 };
	struct it_resp r;

	it_unique_email(email, sizeof email, "relog");
	it_unique_email(other, sizeof other, "relog2");
	it_user_add(email, "Rob Relog", "candidate", PW, 1);
	it_user_add(other, "Rae Relog", "candidate", PW2, 1);
	it_login(&c, email, PW);
	old = session_cookie(&c);
	/* Signing in again (here as someone else) from a signed-in browser: a new session. */
	it_clear_address_limit("login");
	form = it_form("email", other, "password", PW2, (char *)NULL);
	it_client_post(&c, "/account/login", form, &r);
	free(form);
	it_expect_redirect(&r, "/", "signing in again");
	ck_assert_msg(strcmp(it_client_cookie(&c, "__Host-session"), old) != 0,
		      "the session id did not change at sign-in");
	ck_assert_msg(session_rows(old) == 0, "the previous session still exists after sign-in");
	it_resp_free(&r);
	it_client_set_cookie(&replay, "__Host-session", old);
	expect_signed_out(&replay, "the session from before the sign-in");
	free(old);
}
END_TEST

START_TEST(logout_and_replay)
{
	char email[128], *old, *form;
	struct it_client c = { 0 }, replay = { 0 };
	struct it_resp r;
	const char *sc;

	it_unique_email(email, sizeof email, "logout");
	it_user_add(email, "Lou Logout", "candidate", PW, 1);
	it_login(&c, email, PW);
	old = session_cookie(&c);
	/* The replaying client also has the session's CSRF token. */
	strcpy(replay.csrf, c.csrf);

	it_client_post(&c, "/account/logout", "", &r);
	it_expect_redirect(&r, "/account/login", "POST /account/logout");
	sc = it_set_cookie(&r, "__Host-session");
	ck_assert_msg(sc != NULL && (cookie_has(sc, "Max-Age") || cookie_has(sc, "Expires")),
		      "sign-out does not clear the cookie: %s", sc ? sc : "(no Set-Cookie)");
	ck_assert_msg(it_client_cookie(&c, "__Host-session") == NULL, "cookie kept after sign-out");
	it_resp_free(&r);
	ck_assert_msg(session_rows(old) == 0, "sign-out left the session in the database");

	it_client_set_cookie(&replay, "__Host-session", old);
	expect_signed_out(&replay, "replaying the cookie after sign-out");
	it_client_get(&replay, "/", &r);
	it_expect_status(&r, 200, "GET / with the old cookie");
	ck_assert_msg(strstr(r.body, "Lou Logout") == NULL,
		      "the home page still shows the signed-out user");
	it_resp_free(&r);
	form = it_form("current_password", PW, "new_password", PW3, (char *)NULL);
	it_client_post(&replay, "/account/password", form, &r);
	free(form);
	ck_assert_msg(r.status == 401 || r.status == 403 || r.status == 303,
		      "a POST with the old cookie: status %ld", r.status);
	it_resp_free(&r);
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM audit_log WHERE action = "
				      "'password.change' AND object_id = $1::text",
				      user_id(email)) == 0,
		      "the replayed cookie changed the password");
	free(old);
}
END_TEST

/* Sets last_seen_at of the session of cookie token to now() - ago. */
static void session_idle(const char *token, const char *ago)
{
	const char *vals[2] = { token, ago };

	free(it_psql_params("UPDATE sessions SET last_seen_at = now() - $2::interval WHERE "
			    "token_hash = sha256(convert_to($1, 'UTF8'))", 2, vals));
}

/* Signs in a new user of role and checks the idle timeout: ok_ago keeps the session, dead_ago
 * ends it. */
static void check_idle(const char *role, const char *ok_ago, const char *dead_ago)
{
	char email[128], *token;
	struct it_client c = { 0 };

	it_unique_email(email, sizeof email, role);
	it_user_add(email, "Ida Idle", role, PW, 1);
	it_login(&c, email, PW);
	token = session_cookie(&c);
	session_idle(token, ok_ago);
	ck_assert_msg(session_rows(token) == 1, "no session row");
	expect_signed_in(&c, "/account", ok_ago);
	session_idle(token, dead_ago);
	expect_signed_out(&c, dead_ago);
	/* kept (signing no one in) while a form sent with it is kept: test_kept_form.c */
	ck_assert_msg(session_rows(token) == 1, "%s: an ended session was deleted at once", role);
	free(token);
}

START_TEST(idle_timeout_candidate)
{
	check_idle("candidate", "1 hour 55 minutes", "2 hours 5 minutes");
	check_idle("candidate", "10 minutes", "3 hours");
}
END_TEST

START_TEST(idle_timeout_staff)
{
	check_idle("school_staff", "25 minutes", "35 minutes");
	check_idle("hr", "25 minutes", "35 minutes");
	check_idle("admin", "25 minutes", "35 minutes");
}
END_TEST

/* The idle minutes of the session of cookie token (whole minutes, rounded). */
static long session_idle_minutes(const char *token)
{
	const char *vals[1] = { token };
	char *v = it_psql_params("SELECT round(extract(epoch FROM now() - last_seen_at) / 60) "
				 "FROM sessions WHERE token_hash = sha256(convert_to($1, 'UTF8'))",
				 1, vals);
	long n = v != NULL ? strtol(v, NULL, 10) : -1;

	free(v);
	return n;
}

START_TEST(keepalive_refreshes_the_session)
{
	char email[128], *token;
	struct it_client c = { 0 };
	struct it_resp r;

	/* Signed out: 401, nothing else. */
	it_get("/account/keepalive", &r);
	it_expect_status(&r, 401, "keepalive signed out");
	it_resp_free(&r);

	/* Signed in, idle for 25 of its 30 minutes: 204, and the session is fresh again. */
	it_unique_email(email, sizeof email, "keepalive");
	it_user_add(email, "Kim Keepalive", "school_staff", PW, 1);
	it_login(&c, email, PW);
	token = session_cookie(&c);
	session_idle(token, "25 minutes");
	ck_assert_int_eq(session_idle_minutes(token), 25);
	it_client_get(&c, "/account/keepalive", &r);
	it_expect_status(&r, 204, "keepalive signed in");
	ck_assert_msg(r.body == NULL || r.body[0] == '\0', "a body on 204: %s", r.body);
	it_resp_free(&r);
	ck_assert_int_eq(session_idle_minutes(token), 0);
	expect_signed_in(&c, "/account", "after keepalive");

	/* Past the idle timeout it keeps nothing alive: 401. The ended session's row stays (signing
	 * no one in) for the form the page may send (kept: test_kept_form.c), until the periodic
	 * job deletes it KEPT_FORM_HOURS later. */
	session_idle(token, "35 minutes");
	it_client_get(&c, "/account/keepalive", &r);
	it_expect_status(&r, 401, "keepalive after the idle timeout");
	ck_assert_str_eq(r.body, "{\"form_kept\":false}");
	it_resp_free(&r);
	ck_assert_int_eq(session_rows(token), 1);
	expect_signed_out(&c, "after the keepalive's 401");
	expect_signed_out(&c, "on the next page too");
	free(token);
}
END_TEST

START_TEST(absolute_timeout)
{
	char email[128], *token;
	const char *vals[1];
	struct it_client c = { 0 };
	char *v;

	it_unique_email(email, sizeof email, "absolute");
	it_user_add(email, "Abe Absolute", "candidate", PW, 1);
	it_login(&c, email, PW);
	token = session_cookie(&c);
	vals[0] = token;
	v = it_psql_params("SELECT expires_at - created_at FROM sessions WHERE token_hash = "
			   "sha256(convert_to($1, 'UTF8'))", 1, vals);
	ck_assert_msg(v != NULL && strcmp(v, "12:00:00") == 0,
		      "absolute lifetime is %s, want 12:00:00", v ? v : "(no row)");
	free(v);
	/* Active all the time (last_seen_at now), but signed in 12 hours and a second ago. */
	free(it_psql_params("UPDATE sessions SET created_at = now() - interval '12 hours 1 second', "
			    "expires_at = now() - interval '1 second', last_seen_at = now() WHERE "
			    "token_hash = sha256(convert_to($1, 'UTF8'))", 1, vals));
	expect_signed_out(&c, "a session past its absolute expiry");
	expect_signed_out(&c, "a session past its absolute expiry, the next page");
	free(token);
}
END_TEST

START_TEST(sign_out_everywhere)
{
	char email[128];
	struct it_client a = { 0 }, b = { 0 };
	struct it_resp r;
	long long id;

	it_unique_email(email, sizeof email, "everywhere");
	id = it_user_add(email, "Eve Everywhere", "candidate", PW, 1);
	it_login(&a, email, PW);
	it_login(&b, email, PW);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM sessions WHERE user_id = $1", id),
			 2);
	it_client_post(&a, "/account/sessions/end", "", &r);
	it_expect_redirect(&r, "/account", "POST /account/sessions/end");
	it_resp_free(&r);
	expect_signed_out(&b, "the other device after sign-out everywhere");
	expect_signed_in(&a, "/account", "the device that signed the others out");
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM sessions WHERE user_id = $1", id),
			 1);
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM audit_log WHERE action = "
				      "'logout.everywhere' AND actor_id = $1", id) == 1,
		      "no logout.everywhere audit entry");
}
END_TEST

/* --- login throttling ---------------------------------------------------------------------- */

/* Fails unless r is the 429 page with a Retry-After in (min, max] seconds. */
static void expect_throttled(struct it_resp *r, long min, long max, const char *what)
{
	const char *ra;
	long secs;

	ck_assert_msg(r->status == 429, "%s: status %ld, want 429; body %.300s", what, r->status,
		      r->body);
	ra = it_header(r, "Retry-After");
	ck_assert_msg(ra != NULL, "%s: 429 without Retry-After", what);
	secs = atol(ra);
	ck_assert_msg(secs > min && secs <= max, "%s: Retry-After %s, want (%ld, %ld]", what, ra,
		      min, max);
	ck_assert_msg(strstr(r->body, "try again") != NULL || strstr(r->body, "Try again") != NULL,
		      "%s: the 429 page does not say when to try again", what);
}

START_TEST(throttle_per_account)
{
	char email[128], upper[128];
	const char *vals[1];
	struct it_client v = { 0 };
	struct it_resp r;
	int i;

	it_unique_email(email, sizeof email, "throttle");
	it_user_add(email, "Theo Throttle", "candidate", PW, 1);
	snprintf(upper, sizeof upper, "%s", email);
	for (i = 0; upper[i] != '\0'; i++)
		if (upper[i] >= 'a' && upper[i] <= 'z')
			upper[i] = (char)(upper[i] - 32);
	/* The account's counter ignores the case of the address typed. */
	for (i = 1; i <= 5; i++) {
		it_clear_address_limit("login");
		try_login(&v, i % 2 == 0 ? upper : email, PW2, &r);
		ck_assert_msg(r.status == 422, "wrong password attempt %d: status %ld", i, r.status);
		it_resp_free(&r);
	}
	it_clear_address_limit("login");
	try_login(&v, upper, PW2, &r);
	expect_throttled(&r, 0, 60, "6th attempt in a minute on one account");
	it_resp_free(&r);
	/* Now even the right password waits. */
	it_clear_address_limit("login");
	try_login(&v, email, PW, &r);
	expect_throttled(&r, 0, 60, "the right password during the block");
	ck_assert_msg(it_client_cookie(&v, "__Host-session") == NULL, "signed in while blocked");
	it_resp_free(&r);

	/* The block has passed: a second run of failures is blocked for longer (back-off). */
	vals[0] = email;
	free(it_psql_params("UPDATE rate_limits SET blocked_until = now() - interval '1 second', "
			    "window_start = now() - interval '2 minutes' WHERE key = 'login:email:' "
			    "|| lower($1)", 1, vals));
	for (i = 1; i <= 5; i++) {
		it_clear_address_limit("login");
		try_login(&v, email, PW2, &r);
		ck_assert_msg(r.status == 422, "after the block, attempt %d: status %ld", i, r.status);
		it_resp_free(&r);
	}
	it_clear_address_limit("login");
	try_login(&v, email, PW2, &r);
	expect_throttled(&r, 60, 3600, "the second block (growing back-off)");
	it_resp_free(&r);
	free(it_psql_params("DELETE FROM rate_limits WHERE key = 'login:email:' || lower($1)", 1,
			    vals));
}
END_TEST

START_TEST(throttle_per_address)
{
	char email[128];
	struct it_client v = { 0 };
	struct it_resp r;
	int i;

	it_clear_address_limit("login");
	for (i = 1; i <= LOGIN_ADDRESS_LIMIT; i++) {
		it_unique_email(email, sizeof email, "addr");
		try_login(&v, email, PW2, &r);
		ck_assert_msg(r.status == 422, "attempt %d from one address: status %ld", i, r.status);
		it_resp_free(&r);
	}
	it_unique_email(email, sizeof email, "addr");
	try_login(&v, email, PW2, &r);
	expect_throttled(&r, 0, 60, "one attempt too many in a minute from one address");
	it_resp_free(&r);
	ck_assert_msg(it_psql_long("SELECT count(*) FROM rate_limits WHERE key = "
				   "'login:addr:127.0.0.1' AND blocked_until > now()") == 1,
		      "the address block is not kept in PostgreSQL");
	it_clear_address_limit("login");
}
END_TEST

/* One sign-in attempt by visitor v sent through a load balancer: X-Forwarded-For: xff. */
static long try_login_via(struct it_client *v, const char *xff, const char *email,
			  const char *password, struct it_resp *r)
{
	char header[160], *form;
	const char *const headers[] = { header, NULL };

	snprintf(header, sizeof header, "X-Forwarded-For: %s", xff);
	if (v->csrf[0] == '\0') {
		it_client_request(v, "GET", "/account/login", NULL, headers, r);
		it_resp_free(r);
	}
	form = it_form("email", email, "password", password, "csrf_token", v->csrf, (char *)NULL);
	it_client_request(v, "POST", "/account/login", form, headers, r);
	free(form);
	return r->status;
}

/* Behind a load balancer (trusted_proxies), the limit per address counts each visitor's own
 * address (the rightmost X-Forwarded-For entry the balancer added), not the balancer's, so one
 * visitor's failures do not lock out the others; what a client wrote into the header itself
 * counts for nothing; and without trusted_proxies the header is ignored. */
START_TEST(throttle_per_address_behind_a_proxy)
{
	static const char *const env[] = { "PORTAL_TRUSTED_PROXIES=10.9.8.7, 127.0.0.0/8", NULL };
	char email[128], *addr;
	struct it_client v = { 0 }, w = { 0 }, x = { 0 };
	struct it_resp r;
	int i;

	it_server_start(env);
	it_clear_address_limit("login");
	for (i = 1; i <= LOGIN_ADDRESS_LIMIT; i++) {
		char xff[64];

		/* whatever the client puts first, the balancer's entry (last) is the address */
		snprintf(xff, sizeof xff, "198.51.100.%d, 203.0.113.10", i);
		it_unique_email(email, sizeof email, "proxied");
		try_login_via(&v, xff, email, PW2, &r);
		ck_assert_msg(r.status == 422, "attempt %d via the balancer: status %ld", i,
			      r.status);
		it_resp_free(&r);
	}
	it_unique_email(email, sizeof email, "proxied");
	try_login_via(&v, "203.0.113.10", email, PW2, &r);
	expect_throttled(&r, 0, 60, "one attempt too many from one visitor behind the balancer");
	it_resp_free(&r);
	/* Another visitor behind the same balancer signs in (through a second balancer too). */
	it_unique_email(email, sizeof email, "proxied-ok");
	it_user_add(email, "Prox Ied", "candidate", PW, 1);
	try_login_via(&w, "203.0.113.11, 10.9.8.7", email, PW, &r);
	ck_assert_msg(r.status == 303, "another visitor behind the balancer: status %ld, want 303",
		      r.status);
	it_resp_free(&r);
	addr = it_psql_params("SELECT s.address FROM sessions s JOIN users u ON u.id = s.user_id "
			      "WHERE u.email = $1", 1, (const char *const[]){ email });
	ck_assert_msg(strcmp(addr, "203.0.113.11") == 0, "the session's address is %s", addr);
	free(addr);
	ck_assert_msg(it_psql_long("SELECT count(*) FROM rate_limits WHERE key = "
				   "'login:addr:203.0.113.10' AND blocked_until > now()") == 1 &&
			      it_psql_long("SELECT count(*) FROM rate_limits WHERE key LIKE "
					   "'login:addr:127.%' OR key LIKE "
					   "'login:addr:198.%'") == 0,
		      "the block is not on the visitor's own address");
	it_clear_address_limit("login");
	ck_assert_int_eq(it_server_stop(), 0);

	/* Without trusted_proxies anyone could write the header: it is ignored. */
	it_unique_email(email, sizeof email, "spoofer");
	try_login_via(&x, "203.0.113.12", email, PW2, &r);
	ck_assert_int_eq(r.status, 422);
	it_resp_free(&r);
	ck_assert_msg(it_psql_long("SELECT count(*) FROM rate_limits WHERE key = "
				   "'login:addr:203.0.113.12'") == 0 &&
			      it_psql_long("SELECT count(*) FROM rate_limits WHERE key = "
					   "'login:addr:127.0.0.1'") == 1,
		      "X-Forwarded-For counted from a client that is no trusted proxy");
	it_clear_address_limit("login");
}
END_TEST

START_TEST(throttle_reset_by_success)
{
	char email[128];
	struct it_client v = { 0 }, ok = { 0 };
	struct it_resp r;
	int i;

	it_unique_email(email, sizeof email, "reset-ctr");
	it_user_add(email, "Rex Reset", "candidate", PW, 1);
	for (i = 1; i <= 4; i++) {
		it_clear_address_limit("login");
		try_login(&v, email, PW2, &r);
		ck_assert_msg(r.status == 422, "attempt %d: status %ld", i, r.status);
		it_resp_free(&r);
	}
	it_login(&ok, email, PW);
	/* Had the success not reset the account's counter, the 2nd of these would be refused. */
	for (i = 1; i <= 5; i++) {
		it_clear_address_limit("login");
		try_login(&v, email, PW2, &r);
		ck_assert_msg(r.status == 422, "after a success, attempt %d: status %ld (the counter "
			      "was not reset)", i, r.status);
		it_resp_free(&r);
	}
	it_clear_address_limit("login");
	try_login(&v, email, PW2, &r);
	expect_throttled(&r, 0, 60, "6th failure after the reset");
	it_resp_free(&r);
}
END_TEST

START_TEST(throttle_current_password)
{
	char email[128], *form, *before, *after;
	struct it_client c = { 0 };
	struct it_resp r;
	long long id;
	int i;

	it_unique_email(email, sizeof email, "curpw");
	id = it_user_add(email, "Cora Current", "candidate", PW, 1);
	it_login(&c, email, PW);
	before = it_psql_id("SELECT password_hash FROM users WHERE id = $1", id);
	/* Someone at an unattended, signed-in browser guesses the current password. */
	form = it_form("current_password", PW3, "new_password", PW2, (char *)NULL);
	for (i = 1; i <= 5; i++) {
		it_clear_address_limit("login");
		it_client_post(&c, "/account/password", form, &r);
		ck_assert_msg(r.status == 422, "wrong current password %d: status %ld", i, r.status);
		it_resp_free(&r);
	}
	it_clear_address_limit("login");
	it_client_post(&c, "/account/password", form, &r);
	expect_throttled(&r, 0, 60, "a 6th guess of the current password");
	it_resp_free(&r);
	free(form);
	form = it_form("current_password", PW, "new_password", PW2, (char *)NULL);
	it_clear_address_limit("login");
	it_client_post(&c, "/account/password", form, &r);
	expect_throttled(&r, 0, 60, "the right current password during the block");
	it_resp_free(&r);
	free(form);
	after = it_psql_id("SELECT password_hash FROM users WHERE id = $1", id);
	ck_assert_msg(strcmp(before, after) == 0, "the password changed during the block");
	free(before);
	free(after);
}
END_TEST

/* Registers email (name "Reg Limit") with a fresh visitor after clearing the address's
 * counter unless keep_addr. Returns the status. */
static long register_once(const char *email, bool keep_addr)
{
	struct it_client v = { 0 };
	struct it_resp r;
	char *form;
	long st;

	if (!keep_addr)
		it_clear_address_limit("register");
	it_client_get(&v, "/account/register", &r);
	it_resp_free(&r);
	form = it_form("name", "Reg Limit", "email", email, "password", PW, (char *)NULL);
	st = it_client_post(&v, "/account/register", form, &r);
	free(form);
	if (st == 429)
		ck_assert_msg(it_header(&r, "Retry-After") != NULL, "429 without Retry-After");
	it_resp_free(&r);
	return st;
}

/* Asks for a reset link for email with a fresh visitor, clearing the address's counter
 * unless keep_addr. Returns the status. */
static long forgot_once(const char *email, bool keep_addr)
{
	struct it_client v = { 0 };
	struct it_resp r;
	char *form;
	long st;

	if (!keep_addr)
		it_clear_address_limit("reset");
	it_client_get(&v, "/account/password/forgot", &r);
	it_resp_free(&r);
	form = it_form("email", email, (char *)NULL);
	st = it_client_post(&v, "/account/password/forgot", form, &r);
	free(form);
	if (st == 429)
		ck_assert_msg(it_header(&r, "Retry-After") != NULL, "429 without Retry-After");
	it_resp_free(&r);
	return st;
}

START_TEST(throttle_register_and_reset)
{
	char email[128], other[128];
	long st;
	int i;

	/* The issue sets no numbers here: a few requests pass, and a burst is stopped with 429.
	 * Per email address, whatever the client's address: */
	it_unique_email(email, sizeof email, "reglimit");
	for (i = 1; (st = register_once(email, false)) == 200 && i <= 20; i++)
		;
	ck_assert_msg(st == 429 && i > 2, "registrations for one email address: %d passed, then "
		      "status %ld (want a few, then 429)", i - 1, st);
	for (i = 1; (st = forgot_once(email, false)) == 200 && i <= 20; i++)
		;
	ck_assert_msg(st == 429 && i > 2, "reset requests for one email address: %d passed, then "
		      "status %ld (want a few, then 429)", i - 1, st);

	/* Per client address, a new email address each time. */
	it_clear_address_limit("register");
	for (i = 1; i <= 40; i++) {
		it_unique_email(other, sizeof other, "regaddr");
		if ((st = register_once(other, true)) != 200)
			break;
	}
	ck_assert_msg(st == 429 && i > 3, "registrations from one client address: %d passed, then "
		      "status %ld (want a few, then 429)", i - 1, st);
	it_clear_address_limit("reset");
	for (i = 1; i <= 40; i++) {
		it_unique_email(other, sizeof other, "resetaddr");
		if ((st = forgot_once(other, true)) != 200)
			break;
	}
	ck_assert_msg(st == 429 && i > 3, "reset requests from one client address: %d passed, then "
		      "status %ld (want a few, then 429)", i - 1, st);
	it_clear_address_limit("register");
	it_clear_address_limit("reset");
}
END_TEST

/* --- password reset ------------------------------------------------------------------------ */

/* Asks for a reset link for email with a fresh visitor; returns the response in r. */
static long forgot(const char *email, struct it_resp *r)
{
	struct it_client v = { 0 };
	char *form;

	it_clear_address_limit("reset");
	it_client_get(&v, "/account/password/forgot", r);
	it_expect_status(r, 200, "GET /account/password/forgot");
	it_resp_free(r);
	form = it_form("email", email, (char *)NULL);
	it_client_post(&v, "/account/password/forgot", form, r);
	free(form);
	return r->status;
}

/* The password reset link emailed to email (waits for it). Caller frees. */
static char *reset_link(const char *email)
{
	struct it_resp r;
	char *msg, *link;

	forgot(email, &r);
	it_expect_status(&r, 200, "POST /account/password/forgot");
	it_resp_free(&r);
	msg = it_mail_wait(email, "/account/password/reset?token=", MAIL_WAIT_MS);
	link = it_mail_link(msg, "/account/password/reset?token=");
	free(msg);
	return link;
}

/* Opens link with v and submits the new password. Returns the POST's status (response in r). */
static long reset_submit(struct it_client *v, const char *link, const char *password,
			 struct it_resp *r)
{
	char *form;

	it_client_get(v, link, r);
	it_resp_free(r);
	form = it_form("token", link_token(link), "password", password, (char *)NULL);
	it_client_post(v, "/account/password/reset", form, r);
	free(form);
	return r->status;
}

START_TEST(password_reset)
{
	char email[128], *link, *hash, *form, *hidden;
	const char *vals[1];
	struct it_client other = { 0 }, v = { 0 }, later = { 0 }, again = { 0 };
	struct it_resp r;
	long long id;

	it_unique_email(email, sizeof email, "reset");
	id = it_user_add(email, "Reese Reset", "candidate", PW, 1);
	it_login(&other, email, PW);
	link = reset_link(email);
	vals[0] = link_token(link);
	ck_assert_msg(strlen(vals[0]) >= 22, "reset token shorter than 128 bits: %s", link);
	ck_assert_msg(it_psql_long("SELECT count(*) FROM user_tokens WHERE purpose = "
				   "'reset_password' AND used_at IS NULL") >= 1, "no token row");
	hash = it_psql_params("SELECT (expires_at - created_at)::text FROM user_tokens WHERE "
			      "token_hash = sha256(convert_to($1, 'UTF8'))", 1, vals);
	ck_assert_msg(hash != NULL, "the reset token is not stored as its SHA-256");
	ck_assert_msg(strcmp(hash, "01:00:00") == 0, "reset token lifetime %s, want 1 hour", hash);
	free(hash);

	it_client_get(&v, link, &r);
	it_expect_status(&r, 200, "following the reset link");
	hidden = it_input_value(r.body, "token");
	ck_assert_msg(hidden != NULL && strcmp(hidden, vals[0]) == 0,
		      "the reset form does not carry the token");
	free(hidden);
	it_resp_free(&r);
	form = it_form("token", vals[0], "password", PW2, (char *)NULL);
	it_client_post(&v, "/account/password/reset", form, &r);
	free(form);
	it_expect_redirect(&r, "/", "POST /account/password/reset");
	it_resp_free(&r);

	expect_signed_out(&other, "a session from before the password reset");
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM sessions WHERE user_id = $1", id) <= 1,
		      "sessions from before the reset survive");
	hash = it_psql_id("SELECT password_hash FROM users WHERE id = $1", id);
	ck_assert_msg(hash != NULL && strncmp(hash, "$argon2id$", 10) == 0, "hash %s", hash);
	free(hash);

	it_clear_address_limit("login");
	try_login(&later, email, PW, &r);
	it_expect_status(&r, 422, "the old password after a reset");
	it_resp_free(&r);
	it_login(&later, email, PW2);
	free(it_mail_wait(email, "Your password has been changed", MAIL_WAIT_MS));

	/* Single use: neither the form nor the submission works again. */
	ck_assert_msg(reset_submit(&again, link, PW3, &r) >= 400 && r.status < 500,
		      "the reset link worked twice: status %ld", r.status);
	ck_assert_msg(it_client_cookie(&again, "__Host-session") == NULL,
		      "a used reset link signed someone in");
	it_resp_free(&r);
	it_client_get(&again, link, &r);
	ck_assert_msg(r.status >= 400 && r.status < 500, "a used reset link shows the form: "
		      "status %ld", r.status);
	it_resp_free(&r);
	it_login(&again, email, PW2);
	free(link);
}
END_TEST

START_TEST(password_reset_expired)
{
	char email[128], *link, *before, *after;
	const char *vals[1];
	struct it_client v = { 0 };
	struct it_resp r;
	long long id;

	it_unique_email(email, sizeof email, "expired");
	id = it_user_add(email, "Ezra Expired", "candidate", PW, 1);
	link = reset_link(email);
	vals[0] = link_token(link);
	free(it_psql_params("UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE "
			    "token_hash = sha256(convert_to($1, 'UTF8'))", 1, vals));
	before = it_psql_id("SELECT password_hash FROM users WHERE id = $1", id);
	it_client_get(&v, link, &r);
	ck_assert_msg(r.status >= 400 && r.status < 500, "an expired reset link shows the form: %ld",
		      r.status);
	it_resp_free(&r);
	reset_submit(&v, link, PW2, &r);
	ck_assert_msg(r.status >= 400 && r.status < 500, "an expired reset link worked: %ld",
		      r.status);
	it_resp_free(&r);
	after = it_psql_id("SELECT password_hash FROM users WHERE id = $1", id);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	free(link);
}
END_TEST

START_TEST(password_reset_token_race)
{
	enum { N = 6 };
	char email[128], *link, *form, cookie[200];
	struct it_client v = { 0 };
	struct it_resp r, resp[N];
	const char *hdrs[2] = { cookie, NULL };
	int ok = 0, refused = 0;

	it_unique_email(email, sizeof email, "race");
	it_user_add(email, "Rory Race", "candidate", PW, 1);
	link = reset_link(email);
	it_client_get(&v, link, &r);
	it_expect_status(&r, 200, "the reset form");
	it_resp_free(&r);
	snprintf(cookie, sizeof cookie, "Cookie: __Host-csrf=%s", it_client_cookie(&v, "__Host-csrf"));
	form = it_form("token", link_token(link), "password", PW2, "csrf_token", v.csrf,
		       (char *)NULL);
	/* The same token submitted N times at once: it may work once only. */
	it_post_at_once("/account/password/reset", form, hdrs, N, resp);
	for (int i = 0; i < N; i++) {
		if (resp[i].status == 303)
			ok++;
		else if (resp[i].status >= 400 && resp[i].status < 500)
			refused++;
		it_resp_free(&resp[i]);
	}
	ck_assert_msg(ok == 1 && refused == N - 1,
		      "%d concurrent uses of one reset token: %d succeeded, %d refused", N, ok,
		      refused);
	free(form);
	free(link);
}
END_TEST

START_TEST(disabled_user_reset_link)
{
	char email[128], hr[128], path[96], *link;
	struct it_client h = { 0 }, v = { 0 };
	struct it_resp r;
	long long id;

	it_unique_email(email, sizeof email, "dislink");
	it_unique_email(hr, sizeof hr, "dislink-hr");
	id = it_user_add(email, "Dora Dislink", "candidate", PW, 1);
	it_user_add(hr, "Hank Hr", "hr", PW2, 1);
	link = reset_link(email);
	it_login(&h, hr, PW2);
	snprintf(path, sizeof path, "/hr/users/%lld/disable", id);
	it_client_post(&h, path, "", &r);
	it_expect_redirect(&r, "/hr/users", "HR disables a user with a reset link in their inbox");
	it_resp_free(&r);
	reset_submit(&v, link, PW3, &r);
	it_resp_free(&r);
	expect_signed_out(&v, "a disabled user after following a reset link");
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM sessions WHERE user_id = $1", id),
			 0);
	free(link);
}
END_TEST

/* body with every occurrence of each of the NULL-terminated strings in what replaced by "X".
 * Caller frees. */
static char *scrub(const char *body, const char *const *what)
{
	char *out = strdup(body), *p;

	ck_assert_ptr_nonnull(out);
	for (size_t i = 0; what[i] != NULL; i++) {
		size_t n = strlen(what[i]);

		if (n == 0)
			continue;
		while ((p = strstr(out, what[i])) != NULL) {
			*p = 'X';
			memmove(p + 1, p + n, strlen(p + n) + 1);
		}
	}
	return out;
}

START_TEST(password_reset_same_answer)
{
	char email[128], nobody[128], *a, *b, *csrf_a, *csrf_b;
	struct it_resp ra, rb;
	const char *id_a, *id_b, *wa[4] = { NULL }, *wb[4] = { NULL };

	it_unique_email(email, sizeof email, "same");
	it_unique_email(nobody, sizeof nobody, "same");
	it_user_add(email, "Sam Same", "candidate", PW, 1);
	forgot(email, &ra);
	forgot(nobody, &rb);
	ck_assert_msg(ra.status == rb.status, "forgot: status %ld for an account, %ld for none",
		      ra.status, rb.status);
	id_a = it_header(&ra, "X-Request-Id");
	id_b = it_header(&rb, "X-Request-Id");
	csrf_a = it_input_value(ra.body, "csrf_token");
	csrf_b = it_input_value(rb.body, "csrf_token");
	wa[0] = email;
	wa[1] = id_a ? id_a : "";
	wa[2] = csrf_a ? csrf_a : "";
	wb[0] = nobody;
	wb[1] = id_b ? id_b : "";
	wb[2] = csrf_b ? csrf_b : "";
	a = scrub(ra.body, wa);
	b = scrub(rb.body, wb);
	ck_assert_msg(strcmp(a, b) == 0, "the forgotten-password answer differs:\n--- account\n%s\n"
		      "--- no account\n%s", a, b);
	free(it_mail_wait(email, "/account/password/reset?token=", MAIL_WAIT_MS));
	ck_assert_msg(it_mail_count(nobody) == 0, "an email went to an address with no account");
	free(a);
	free(b);
	free(csrf_a);
	free(csrf_b);
	it_resp_free(&ra);
	it_resp_free(&rb);
}
END_TEST

/* --- account settings ---------------------------------------------------------------------- */

START_TEST(change_password)
{
	char email[128], *form, *before, *after, *old;
	struct it_client a = { 0 }, b = { 0 }, later = { 0 };
	struct it_resp r;
	long long id;

	it_unique_email(email, sizeof email, "chpw");
	id = it_user_add(email, "Chip Change", "candidate", PW, 1);
	it_login(&a, email, PW);
	it_login(&b, email, PW);
	before = it_psql_id("SELECT password_hash FROM users WHERE id = $1", id);

	form = it_form("current_password", PW3, "new_password", PW2, (char *)NULL);
	it_client_post(&a, "/account/password", form, &r);
	free(form);
	it_expect_status(&r, 422, "change of password with a wrong current password");
	ck_assert_msg(strstr(r.body, "govuk-error-summary") != NULL, "no error summary");
	it_resp_free(&r);
	form = it_form("new_password", PW2, (char *)NULL);
	it_client_post(&a, "/account/password", form, &r);
	free(form);
	it_expect_status(&r, 422, "change of password without the current password");
	it_resp_free(&r);
	form = it_form("current_password", PW, "new_password", "too-short", (char *)NULL);
	it_client_post(&a, "/account/password", form, &r);
	free(form);
	it_expect_status(&r, 422, "change of password to one of 9 characters");
	it_resp_free(&r);
	after = it_psql_id("SELECT password_hash FROM users WHERE id = $1", id);
	ck_assert_msg(strcmp(before, after) == 0, "a refused change altered the hash");
	free(after);
	expect_signed_in(&b, "/account", "the other device after refused changes");

	old = session_cookie(&a);
	form = it_form("current_password", PW, "new_password", PW2, (char *)NULL);
	it_client_post(&a, "/account/password", form, &r);
	free(form);
	it_expect_redirect(&r, "/account", "change of password");
	it_resp_free(&r);
	ck_assert_msg(strcmp(old, it_client_cookie(&a, "__Host-session")) != 0,
		      "the session id did not change with the password");
	expect_signed_in(&a, "/account", "this device after its change of password");
	expect_signed_out(&b, "the other device after a change of password");
	after = it_psql_id("SELECT password_hash FROM users WHERE id = $1", id);
	ck_assert_msg(strcmp(before, after) != 0 && strncmp(after, "$argon2id$", 10) == 0,
		      "the hash did not change");
	free(after);
	free(it_mail_wait(email, "Your password has been changed", MAIL_WAIT_MS));
	it_clear_address_limit("login");
	try_login(&later, email, PW, &r);
	it_expect_status(&r, 422, "the old password after a change");
	it_resp_free(&r);
	it_login(&later, email, PW2);
	free(before);
	free(old);
}
END_TEST

START_TEST(change_email)
{
	char email[128], fresh[128], *form, *msg, *link, *v;
	struct it_client a = { 0 }, later = { 0 };
	struct it_resp r;
	long long id;

	it_unique_email(email, sizeof email, "chmail");
	it_unique_email(fresh, sizeof fresh, "chmail-new");
	id = it_user_add(email, "Em Change", "candidate", PW, 1);
	it_login(&a, email, PW);
	/* A job alert of the old address (written as the person typed it). */
	{
		const char *vals[1] = { email };

		free(it_psql_params("INSERT INTO job_alerts (email, search, frequency, "
				    "confirmed_at, matched_until, next_run_at) VALUES (upper($1), "
				    "'q=science', 'weekly', now(), now(), now() + "
				    "interval '7 days') RETURNING id", 1, vals));
	}

	form = it_form("new_email", fresh, "email_password", PW3, (char *)NULL);
	it_client_post(&a, "/account/email", form, &r);
	free(form);
	it_expect_status(&r, 422, "change of email with a wrong current password");
	it_resp_free(&r);
	form = it_form("new_email", fresh, (char *)NULL);
	it_client_post(&a, "/account/email", form, &r);
	free(form);
	it_expect_status(&r, 422, "change of email without the current password");
	it_resp_free(&r);
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM user_tokens WHERE user_id = $1 AND "
				      "purpose = 'change_email'", id) == 0,
		      "a refused change issued a token");

	form = it_form("new_email", fresh, "email_password", PW, (char *)NULL);
	it_client_post(&a, "/account/email", form, &r);
	free(form);
	it_expect_redirect(&r, "/account", "change of email");
	it_resp_free(&r);
	msg = it_mail_wait(email, NULL, MAIL_WAIT_MS);
	ck_assert_msg(strstr(msg, "/account/email/confirm") == NULL,
		      "the confirmation link went to the old address");
	free(msg);
	msg = it_mail_wait(fresh, "/account/email/confirm?token=", MAIL_WAIT_MS);
	link = it_mail_link(msg, "/account/email/confirm?token=");
	free(msg);
	v = it_psql_id("SELECT email FROM users WHERE id = $1", id);
	ck_assert_msg(strcmp(v, email) == 0, "the address changed before it was confirmed");
	free(v);
	it_client_get(&a, link, &r);
	it_expect_status(&r, 200, "following the email confirmation link");
	it_resp_free(&r);
	v = it_psql_id("SELECT lower(email) FROM users WHERE id = $1", id);
	ck_assert_msg(strcmp(v, fresh) == 0, "the address is %s, want %s", v, fresh);
	free(v);
	/* The account's job alert moved with it: listed, and sent to the new address. */
	v = it_psql_params("SELECT email FROM job_alerts WHERE search = 'q=science' AND "
			   "lower(email) IN (lower($1), lower($2))", 2,
			   (const char *const[]){ email, fresh });
	ck_assert_msg(v != NULL && strcmp(v, fresh) == 0, "the job alert goes to %s, want %s",
		      v ? v : "(none)", fresh);
	free(v);
	it_client_get(&a, "/account/job-alerts", &r);
	ck_assert_msg(strstr(r.body, "science") != NULL,
		      "/account/job-alerts does not list the alert after the address changed");
	it_resp_free(&r);
	it_login(&later, fresh, PW);
	free(link);
}
END_TEST

/* --- optional emails ----------------------------------------------------------------------- */

/* The user's turned-off emails as text ("{a,b}"); caller frees. */
static char *opt_out(long long id)
{
	return it_psql_id("SELECT email_opt_out FROM users WHERE id = $1", id);
}

/* GET /account with c; fails unless the page offers checkbox value (checked or not). */
static void expect_email_box(struct it_client *c, const char *value, bool checked)
{
	char want[96];
	struct it_resp r;
	const char *at;

	it_client_get(c, "/account", &r);
	it_expect_status(&r, 200, "the settings page");
	snprintf(want, sizeof want, "name=\"emails\" type=\"checkbox\" value=\"%s\"", value);
	at = strstr(r.body, want);
	ck_assert_msg(at != NULL, "the settings page offers no box %s", value);
	at += strlen(want);
	ck_assert_msg((strncmp(at, " checked", 8) == 0) == checked, "box %s is %schecked", value,
		      checked ? "not " : "");
	it_resp_free(&r);
}

START_TEST(email_settings)
{
	char email[128], staff_email[128], hr_email[128], *v;
	struct it_client a = { 0 }, s = { 0 }, h = { 0 };
	struct it_resp r;
	long long id, staff, audits;

	it_unique_email(email, sizeof email, "prefs");
	id = it_user_add(email, "Pip Prefs", "candidate", PW, 1);
	it_login(&a, email, PW);
	/* A candidate's two reminders, both on until turned off; no school emails. */
	expect_email_box(&a, "saved_job_closing", true);
	expect_email_box(&a, "application_reminder", true);
	it_client_get(&a, "/account", &r);
	ck_assert_msg(strstr(r.body, "Emails we send you") != NULL &&
		      strstr(r.body, "value=\"application_updates\"") == NULL,
		      "the candidate's settings page offers the wrong emails");
	it_resp_free(&r);

	/* Unticking one turns it off, audited. */
	audits = it_psql_id_long("SELECT count(*) FROM audit_log WHERE action = "
				 "'email_preferences.change' AND object_id = $1::text", id);
	it_client_post(&a, "/account/emails", "emails=application_reminder", &r);
	it_expect_redirect(&r, "/account?done=emails", "saving email settings");
	it_resp_free(&r);
	v = opt_out(id);
	ck_assert_str_eq(v, "{saved_job_closing}");
	free(v);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM audit_log WHERE action = "
					 "'email_preferences.change' AND object_id = $1::text", id),
			 audits + 1);
	expect_email_box(&a, "saved_job_closing", false);
	expect_email_box(&a, "application_reminder", true);
	it_client_get(&a, "/account?done=emails", &r);
	ck_assert_msg(strstr(r.body, "Your email settings have been saved") != NULL,
		      "no banner after saving");
	it_resp_free(&r);

	/* A value that is not one of the account's emails (a school's, or made up) is refused
	 * beside the boxes, and nothing changes. */
	it_client_post(&a, "/account/emails", "emails=application_reminder&emails=listing_closed",
		       &r);
	it_expect_errors(&r, "emails", "a school's email on a candidate's settings");
	ck_assert_msg(strstr(r.body, "Select the emails you want from the list") != NULL,
		      "the refusal does not say why");
	it_resp_free(&r);
	it_client_post(&a, "/account/emails", "emails=%27%3B+DROP+TABLE+users%3B--", &r);
	it_expect_errors(&r, "emails", "a made-up email");
	it_resp_free(&r);
	v = opt_out(id);
	ck_assert_str_eq(v, "{saved_job_closing}");
	free(v);

	/* No box ticked: every optional email off; both ticked: all on again. */
	it_client_post(&a, "/account/emails", "", &r);
	it_expect_redirect(&r, "/account?done=emails", "turning every email off");
	it_resp_free(&r);
	v = opt_out(id);
	ck_assert_str_eq(v, "{saved_job_closing,application_reminder}");
	free(v);
	it_client_post(&a, "/account/emails",
		       "emails=saved_job_closing&emails=application_reminder", &r);
	it_expect_redirect(&r, "/account?done=emails", "turning every email on");
	it_resp_free(&r);
	v = opt_out(id);
	ck_assert_str_eq(v, "{}");
	free(v);

	/* School staff choose among the school's emails. */
	staff = it_user_signed_in(&s, "school_staff", "Sam Staff", PW, staff_email);
	it_membership_add(staff, it_school(1), "hiring_manager");
	expect_email_box(&s, "application_updates", true);
	expect_email_box(&s, "listing_live", true);
	expect_email_box(&s, "listing_no_applications", true);
	expect_email_box(&s, "listing_closed", true);
	it_client_post(&s, "/account/emails", "emails=application_updates&emails=listing_closed",
		       &r);
	it_expect_redirect(&r, "/account?done=emails", "staff saving email settings");
	it_resp_free(&r);
	v = opt_out(staff);
	ck_assert_str_eq(v, "{listing_live,listing_no_applications}");
	free(v);
	it_client_post(&s, "/account/emails", "emails=saved_job_closing", &r);
	it_expect_errors(&r, "emails", "a candidate's email on a staff account's settings");
	it_resp_free(&r);

	/* HR gets no optional emails: no section to choose from. */
	it_user_signed_in(&h, "hr", "Hal HR", PW, hr_email);
	it_client_get(&h, "/account", &r);
	it_expect_status(&r, 200, "HR's settings page");
	ck_assert_msg(strstr(r.body, "Emails we send you") == NULL,
		      "HR's settings page offers optional emails");
	it_resp_free(&r);

	/* Signed out: no change. */
	it_client_post(&a, "/account/logout", "", &r);
	it_resp_free(&r);
	it_client_post(&a, "/account/emails", "", &r);
	ck_assert_msg(r.status >= 400 || it_header(&r, "Location") == NULL ||
			      strstr(it_header(&r, "Location"), "done=emails") == NULL,
		      "a signed-out POST was taken: %ld", r.status);
	it_resp_free(&r);
	v = opt_out(id);
	ck_assert_str_eq(v, "{}");
	free(v);
}
END_TEST

/* --- disabled accounts --------------------------------------------------------------------- */

START_TEST(disabled_user)
{
	char email[128], hr[128], path[96];
	struct it_client c = { 0 }, h = { 0 }, v = { 0 };
	struct it_resp r;
	long long id;

	it_unique_email(email, sizeof email, "disabled");
	it_unique_email(hr, sizeof hr, "hr-dis");
	id = it_user_add(email, "Dee Disabled", "candidate", PW, 1);
	it_user_add(hr, "Hal HR", "hr", PW2, 1);
	it_login(&c, email, PW);
	it_login(&h, hr, PW2);

	snprintf(path, sizeof path, "/hr/users/%lld/disable", id);
	it_client_post(&h, path, "", &r);
	it_expect_redirect(&r, "/hr/users", "HR disables a user");
	it_resp_free(&r);
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM users WHERE id = $1 AND "
				      "disabled_at IS NOT NULL", id) == 1, "not disabled");
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM sessions WHERE user_id = $1", id),
			 0);
	expect_signed_out(&c, "the disabled user's session");
	it_clear_address_limit("login");
	try_login(&v, email, PW, &r);
	it_expect_status(&r, 422, "a disabled user signing in with the right password");
	ck_assert_msg(strstr(r.body, LOGIN_FAILED) != NULL,
		      "a disabled account gets a different message than a wrong password");
	ck_assert_msg(it_client_cookie(&v, "__Host-session") == NULL, "a disabled user signed in");
	it_resp_free(&r);

	snprintf(path, sizeof path, "/hr/users/%lld/enable", id);
	it_client_post(&h, path, "", &r);
	it_expect_redirect(&r, "/hr/users", "HR enables the user again");
	it_resp_free(&r);
	it_login(&v, email, PW);
}
END_TEST

/* --- the audit trail ----------------------------------------------------------------------- */

/* Fails unless audit_log has an entry action on user `object` by `actor` (0: anyone) from
 * 127.0.0.1. */
static void expect_audit(const char *action, long long actor, long long object)
{
	char a[24], o[24];
	const char *vals[3] = { action, a, o };
	char *n;

	snprintf(a, sizeof a, "%lld", actor);
	snprintf(o, sizeof o, "%lld", object);
	n = it_psql_params("SELECT count(*) FROM audit_log WHERE action = $1 AND ($2::bigint = 0 OR "
			   "actor_id = $2::bigint) AND object_id = $3 AND address = '127.0.0.1' AND "
			   "at > now() - interval '5 minutes'", 3, vals);
	ck_assert_msg(atol(n) >= 1, "no audit entry %s by %lld on user %lld", action, actor, object);
	free(n);
}

START_TEST(audit_trail)
{
	char email[128], hr[128], invitee[128], path[96], *form;
	struct it_client c = { 0 }, h = { 0 }, v = { 0 };
	struct it_resp r;
	long long id, hid, iid;
	const char *vals[1];
	char *n;

	it_unique_email(email, sizeof email, "audit");
	it_unique_email(hr, sizeof hr, "audit-hr");
	it_unique_email(invitee, sizeof invitee, "audit-inv");
	id = it_user_add(email, "Aud Itor", "candidate", PW, 1);
	hid = it_user_add(hr, "Hera HR", "hr", PW2, 1);

	it_clear_address_limit("login");
	try_login(&v, email, PW3, &r);
	it_resp_free(&r);
	expect_audit("login.failure", 0, id);
	it_login(&c, email, PW);
	expect_audit("login.success", id, id);
	it_client_post(&c, "/account/logout", "", &r);
	it_resp_free(&r);
	expect_audit("logout", id, id);
	it_login(&c, email, PW);
	form = it_form("current_password", PW, "new_password", PW3, (char *)NULL);
	it_client_post(&c, "/account/password", form, &r);
	free(form);
	it_expect_redirect(&r, "/account", "change of password");
	it_resp_free(&r);
	expect_audit("password.change", id, id);

	it_login(&h, hr, PW2);
	form = it_form("name", "Ivy Invitee", "email", invitee, "role", "hr", (char *)NULL);
	it_client_post(&h, "/hr/users/invite", form, &r);
	free(form);
	it_expect_redirect(&r, "/hr/users", "HR invites an HR colleague");
	it_resp_free(&r);
	iid = user_id(invitee);
	ck_assert_msg(iid > 0, "the invitation created no user");
	expect_audit("user.invite", hid, iid);
	snprintf(path, sizeof path, "/hr/users/%lld/role", iid);
	form = it_form("role", "school_staff", (char *)NULL);
	it_client_post(&h, path, form, &r);
	free(form);
	it_expect_redirect(&r, "/hr/users", "HR changes a role");
	it_resp_free(&r);
	expect_audit("user.role_change", hid, iid);
	snprintf(path, sizeof path, "/hr/users/%lld/disable", iid);
	it_client_post(&h, path, "", &r);
	it_expect_redirect(&r, "/hr/users", "HR disables a user");
	it_resp_free(&r);
	expect_audit("user.disable", hid, iid);

	/* Nothing secret in the trail. */
	vals[0] = PW;
	n = it_psql_params("SELECT count(*) FROM audit_log WHERE detail::text LIKE '%' || $1 || '%' "
			   "OR coalesce(actor_email, '') LIKE '%' || $1 || '%'", 1, vals);
	ck_assert_msg(atol(n) == 0, "a password is in the audit log");
	free(n);
	vals[0] = PW3;
	n = it_psql_params("SELECT count(*) FROM audit_log WHERE detail::text LIKE '%' || $1 || '%'",
			   1, vals);
	ck_assert_msg(atol(n) == 0, "a password is in the audit log");
	free(n);
}
END_TEST

START_TEST(audit_log_filters)
{
	char a[128], b[128], hr[128], path[256], *form;
	struct it_client ca = { 0 }, cb = { 0 }, h = { 0 }, v = { 0 };
	struct it_resp r;

	it_unique_email(a, sizeof a, "filter-a");
	it_unique_email(b, sizeof b, "filter-b");
	it_unique_email(hr, sizeof hr, "filter-hr");
	it_user_add(a, "Fay Filter", "candidate", PW, 1);
	it_user_add(b, "Finn Filter", "candidate", PW, 1);
	it_user_add(hr, "Flo Hr", "hr", PW2, 1);
	it_login(&ca, a, PW);
	it_login(&cb, b, PW);
	it_clear_address_limit("login");
	try_login(&v, a, PW3, &r);
	it_resp_free(&r);
	it_login(&h, hr, PW2);

	form = it_form("actor", a, (char *)NULL);
	snprintf(path, sizeof path, "/hr/audit?%s", form);
	free(form);
	it_client_get(&h, path, &r);
	it_expect_status(&r, 200, "the audit log filtered by actor");
	ck_assert_msg(strstr(r.body, a) != NULL, "the filtered audit log does not show %s", a);
	ck_assert_msg(strstr(r.body, b) == NULL, "the audit log filtered by %s shows %s", a, b);
	it_resp_free(&r);

	form = it_form("actor", b, "action", "login.failure", (char *)NULL);
	snprintf(path, sizeof path, "/hr/audit?%s", form);
	free(form);
	it_client_get(&h, path, &r);
	it_expect_status(&r, 200, "the audit log filtered by actor and action");
	ck_assert_msg(strstr(r.body, ">0 entries<") != NULL,
		      "%s has no failed sign-in, yet the filtered log is not empty", b);
	it_resp_free(&r);
	form = it_form("actor", a, "action", "login.failure", (char *)NULL);
	snprintf(path, sizeof path, "/hr/audit?%s", form);
	free(form);
	it_client_get(&h, path, &r);
	it_expect_status(&r, 200, "the audit log filtered by actor and action");
	ck_assert_msg(strstr(r.body, ">1 entry<") != NULL,
		      "the log filtered to %s's failed sign-ins does not hold exactly one", a);
	it_resp_free(&r);
	it_client_get(&h, "/hr/audit?action=no.such.action", &r);
	ck_assert_msg(r.status == 400, "an unknown action filter: status %ld, want 400", r.status);
	ck_assert_msg(strstr(r.body, "href=\"#action\">Choose an action from the list<") != NULL,
		      "an unknown action is not named in the error summary");
	it_resp_free(&r);

	/* Every action the portal records can be chosen, among them the ones added after the
	 * filter was first written (a school's profile, an account deleted, email settings). */
	it_client_get(&h, "/hr/audit", &r);
	for (size_t i = 0; i < 4; i++) {
		static const char *const later[] = { "school.profile_update", "account.delete",
						     "email_preferences.change",
						     "email_preferences.stop" };
		snprintf(path, sizeof path, "<option value=\"%s\">", later[i]);
		ck_assert_msg(strstr(r.body, path) != NULL, "/hr/audit offers no %s", later[i]);
	}
	it_resp_free(&r);
	it_client_get(&h, "/hr/audit?action=school.profile_update", &r);
	it_expect_status(&r, 200, "the audit log filtered to school profile changes");
	it_resp_free(&r);

	/* Dates as people in the UK write them are read; a day that does not exist is said
	 * beside its field, with what was typed kept. */
	form = it_form("actor", a, "from", "1/1/2000", "to", "31.12.9999", (char *)NULL);
	snprintf(path, sizeof path, "/hr/audit?%s", form);
	free(form);
	it_client_get(&h, path, &r);
	it_expect_status(&r, 200, "the audit log between two days written day first");
	ck_assert_msg(strstr(r.body, a) != NULL, "the log between 2000 and 9999 misses %s", a);
	ck_assert_msg(strstr(r.body, "from=2000-01-01&amp;to=9999-12-31") != NULL,
		      "the CSV link does not carry the days read");
	it_resp_free(&r);
	it_client_get(&h, "/hr/audit?from=31%2F02%2F2026&to=2026-01-01", &r);
	it_expect_status(&r, 400, "the audit log from 31 February");
	ck_assert_msg(strstr(r.body, "href=\"#from\">The from date must be a real date") != NULL,
		      "31 February is not refused beside the from date");
	ck_assert_msg(strstr(r.body, "value=\"31/02/2026\"") != NULL,
		      "the from date typed is not kept");
	ck_assert_msg(strstr(r.body, "id=\"results\"") == NULL, "entries shown despite the error");
	it_resp_free(&r);
	it_client_get(&h, "/hr/audit?from=2026-02-02&to=1%2F2%2F2026", &r);
	it_expect_status(&r, 400, "the audit log to a day before its first");
	ck_assert_msg(strstr(r.body, "href=\"#to\">The to date must be the same as or after") !=
			      NULL,
		      "a to date before the from date is not refused beside it");
	it_resp_free(&r);
}
END_TEST

/* --- portal user add ----------------------------------------------------------------------- */

START_TEST(cli_user_add_with_password_file)
{
	char email[128], file[256], *out, *v;
	const char *args[] = { "user", "add", "--email", email, "--role", "admin", "--name",
			       "Ada Admin", "--password-file", file, NULL };
	struct it_client c = { 0 };
	struct it_resp r;
	FILE *f;
	int st;
	long long id;

	it_unique_email(email, sizeof email, "cli-admin");
	snprintf(file, sizeof file, "%s/pw-%ld.txt", getenv("IT_TMPDIR"), (long)getpid());
	f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s\n", PW);
	fclose(f);
	st = it_portal_run(args, NULL, 30000, &out);
	ck_assert_msg(st == 0, "portal user add: exit status %d:\n%s", st, out);
	ck_assert_msg(strstr(out, PW) == NULL, "portal user add printed the password");
	free(out);
	id = user_id(email);
	ck_assert_msg(id > 0, "portal user add created no user");
	v = it_psql_id("SELECT role || '/' || (verified_at IS NOT NULL) || '/' || "
		       "left(password_hash, 31) FROM users WHERE id = $1", id);
	ck_assert_str_eq(v, "admin/true/$argon2id$v=19$m=19456,t=2,p=1$");
	free(v);

	it_clear_address_limit("login");
	try_login(&c, email, PW, &r);
	it_expect_redirect(&r, "/hr/users", "the new admin signs in");
	it_resp_free(&r);
	expect_signed_in(&c, "/hr/users", "the new admin");

	/* The same address again is refused. */
	st = it_portal_run(args, NULL, 30000, &out);
	ck_assert_msg(st != 0, "a second `user add` for the same address succeeded:\n%s", out);
	free(out);
}
END_TEST

START_TEST(cli_user_add_prints_link)
{
	char email[128], *out, *link;
	const char *args[] = { "user", "add", "--email", email, "--role", "hr", NULL };
	struct it_client c = { 0 }, later = { 0 };
	struct it_resp r;
	int st;

	it_unique_email(email, sizeof email, "cli-link");
	st = it_portal_run(args, NULL, 30000, &out);
	ck_assert_msg(st == 0, "portal user add: exit status %d:\n%s", st, out);
	link = it_mail_link(out, "/account/password/reset?token=");
	free(out);
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM users WHERE id = $1 AND "
				      "password_hash IS NULL", user_id(email)) == 1,
		      "a password was set without a file");
	it_client_get(&c, link, &r);
	it_expect_status(&r, 200, "the printed link");
	it_resp_free(&r);
	reset_submit(&c, link, PW, &r);
	it_expect_redirect(&r, "/", "setting the password through the printed link");
	it_resp_free(&r);
	it_login(&later, email, PW);
	it_client_get(&later, link, &r);
	ck_assert_msg(r.status >= 400 && r.status < 500, "the printed link worked twice: %ld",
		      r.status);
	it_resp_free(&r);
	free(link);
}
END_TEST

static Suite *accounts_suite(void)
{
	Suite *s = suite_create("accounts");
	TCase *tc;

	tc = it_tcase("register", 60, it_fixture_server_mail);
	tcase_add_test(tc, register_and_verify);
	tcase_add_test(tc, register_taken_address_same_answer);
	tcase_add_test(tc, password_rules);
	suite_add_tcase(s, tc);

	tc = it_tcase("sessions", 60, it_fixture_server_mail);
	tcase_add_test(tc, login_sets_host_cookie);
	tcase_add_test(tc, rehash_on_login);
	tcase_add_test(tc, login_failure_does_not_reveal);
	tcase_add_test(tc, session_fixation_planted_cookie);
	tcase_add_test(tc, session_id_changes_at_login);
	tcase_add_test(tc, logout_and_replay);
	tcase_add_test(tc, idle_timeout_candidate);
	tcase_add_test(tc, idle_timeout_staff);
	tcase_add_test(tc, keepalive_refreshes_the_session);
	tcase_add_test(tc, absolute_timeout);
	tcase_add_test(tc, sign_out_everywhere);
	suite_add_tcase(s, tc);

	tc = it_tcase("throttle", 60, it_fixture_server_mail);
	tcase_add_test(tc, throttle_per_account);
	tcase_add_test(tc, throttle_per_address);
	tcase_add_test(tc, throttle_per_address_behind_a_proxy);
	tcase_add_test(tc, throttle_reset_by_success);
	tcase_add_test(tc, throttle_register_and_reset);
	tcase_add_test(tc, throttle_current_password);
	suite_add_tcase(s, tc);

	tc = it_tcase("reset", 60, it_fixture_server_mail);
	tcase_add_test(tc, password_reset);
	tcase_add_test(tc, password_reset_expired);
	tcase_add_test(tc, password_reset_same_answer);
	tcase_add_test(tc, password_reset_token_race);
	suite_add_tcase(s, tc);

	tc = it_tcase("settings", 60, it_fixture_server_mail);
	tcase_add_test(tc, change_password);
	tcase_add_test(tc, change_email);
	tcase_add_test(tc, email_settings);
	tcase_add_test(tc, disabled_user);
	tcase_add_test(tc, disabled_user_reset_link);
	suite_add_tcase(s, tc);

	tc = it_tcase("audit", 60, it_fixture_server_mail);
	tcase_add_test(tc, audit_trail);
	tcase_add_test(tc, audit_log_filters);
	suite_add_tcase(s, tc);

	tc = it_tcase("cli", 60, it_fixture_server_mail);
	tcase_add_test(tc, cli_user_add_with_password_file);
	tcase_add_test(tc, cli_user_add_prints_link);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(accounts_suite());
}
