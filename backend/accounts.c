/* accounts.c - registering, confirming the email address, signing in and out.
 *
 * Registration never tells a visitor whether an address already has an account: both outcomes
 * show the same "check your email" page, do the same password hashing, and send one email (a
 * confirmation link to a new account, a "you already have an account" note to an existing
 * one). So it does not sign the new user in either: they confirm the address, then sign in.
 * Sign-in failures show one message whatever went wrong (unknown address, wrong password,
 * disabled account, no password set yet).
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "db.h"
#include "handlers.h"
#include "log.h"
#include "mail.h"

#define LOGIN_FAILED "Enter a correct email address and password"

/* ---- registration ----------------------------------------------------------------------- */

struct register_input {
	char name[FIELD_NAME_MAX + 1];
	char email[FIELD_EMAIL_MAX + 1];
	const char *password;
};

/* Reads and checks the registration form into in; messages and the typed values (never the
 * password) go into model. Returns 0, or -1 when out of memory. */
static int register_read(const struct req *r, struct register_input *in, json_t *model)
{
	const char *msg, *name = kv_get(&r->form, "name"), *email = kv_get(&r->form, "email");

	if (json_object_set_new(model, "form", json_pack("{s:s, s:s}", "name", name ? name : "",
							 "email", email ? email : "")) != 0)
		return -1;
	in->password = kv_get(&r->form, "password");
	if (in->password == NULL)
		in->password = "";
	if ((msg = form_name(r, "name", in->name)) != NULL && form_error(model, "name", msg) != 0)
		return -1;
	if ((msg = form_email(r, "email", in->email, "Enter your email address")) != NULL &&
	    form_error(model, "email", msg) != 0)
		return -1;
	msg = password_policy(in->password, in->email, in->name);
	if (msg != NULL && form_error(model, "password", msg) != 0)
		return -1;
	return 0;
}

/* The registration itself, in one transaction: a new candidate with a confirmation link, or,
 * when the address is taken, a note to its owner. Returns 0 or -1 (rolled back). */
static int register_store(struct req *r, PGconn *c, const struct register_input *in,
			  const char *hash)
{
	const char *vals[3] = { in->email, in->name, hash };
	char token[TOKEN_LEN + 1] = "";
	struct account old;
	json_t *detail = NULL, *note = NULL;
	PGresult *res = NULL;
	int rc = -1;

	if (db_tx(c, "BEGIN") != 0)
		return -1;
	res = PQexecParams(c, "INSERT INTO users (email, name, role, password_hash) VALUES "
			      "($1, $2, 'candidate', $3) ON CONFLICT ((lower(email))) DO NOTHING "
			      "RETURNING id", 3, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	if (PQntuples(res) == 1) {
		if (token_issue(c, strtoll(PQgetvalue(res, 0, 0), NULL, 10), "verify_email",
				VERIFY_TTL, NULL, token) != 0 ||
		    account_mail_link(c, in->email, "verify_email", in->name,
				      "/account/verify?token=", token) != 0 ||
		    audit(c, r, "user.register", in->email, "user", PQgetvalue(res, 0, 0), NULL) != 0)
			goto out;
	} else {
		if (account_find(c, in->email, 0, &old) != 1)
			goto out;
		detail = json_pack("{s:s}", "outcome", "address already registered");
		note = json_pack("{s:s, s:s}", "name", old.u.name, "link", "/account/login");
		snprintf(token, sizeof token, "%lld", old.u.id);
		if (detail == NULL || note == NULL ||
		    mail_enqueue(c, old.u.email, "account_exists", note) != 0 ||
		    audit(c, r, "user.register", in->email, "user", token, detail) != 0)
			goto out;
	}
	rc = db_tx(c, "COMMIT");
out:
	if (rc != 0)
		db_tx(c, "ROLLBACK");
	OPENSSL_cleanse(token, sizeof token);
	json_decref(detail);
	json_decref(note);
	PQclear(res);
	return rc;
}

/* GET /account/register: the registration form; a signed-in user goes to /account. */
int account_register_form(struct req *r)
{
	json_t *model;
	int status;

	if (r->user != NULL)
		return http_redirect(r, "/account");
	model = json_object();
	if (model == NULL)
		return http_send_error(r, 500, NULL);
	status = view_render(r, 200, "account/register", model);
	json_decref(model);
	return status;
}

/* POST /account/register: checks the form (422 with messages), throttles (10 an hour per
 * address, 3 per email), registers, and shows "check your email" whatever the outcome. */
int account_register(struct req *r)
{
	struct register_input in;
	char hash[PASSWORD_HASH_MAX] = "";
	json_t *model = json_object();
	PGconn *c = req_db(r);
	enum password_result pr;
	int status;

	if (model == NULL || register_read(r, &in, model) != 0) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	if (form_has_errors(model)) {
		status = view_render(r, 422, "account/register", model);
		goto out;
	}
	if (c == NULL) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	status = account_throttle(r, c, "register", in.email, 10, 3, 3600);
	if (status != 0)
		goto out;
	/* Hash even when the address is taken, so both outcomes take the same time. */
	pr = password_hash(in.password, hash);
	if (pr != PASSWORD_OK) {
		status = http_send_error(r, pr == PASSWORD_BUSY ? 503 : 500, NULL);
		goto out;
	}
	if (register_store(r, c, &in, hash) != 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	status = json_object_set_new(model, "email", json_string(in.email)) == 0
			 ? view_render(r, 200, "account/register_sent", model)
			 : http_send_error(r, 500, NULL);
out:
	json_decref(model);
	return status;
}

/* ---- email confirmation ----------------------------------------------------------------- */

/* Uses a verify_email token and marks the address confirmed, in one transaction. Returns the
 * user id, 0 when the token is not valid, -1 on a database error. */
static long long verify_store(struct req *r, PGconn *c, const char *token)
{
	char uid[24];
	const char *vals[1] = { uid };
	PGresult *res = NULL;
	long long id = -1;

	if (db_tx(c, "BEGIN") != 0)
		return -1;
	id = token_consume(c, token, "verify_email", NULL);
	if (id <= 0)
		goto out;
	snprintf(uid, sizeof uid, "%lld", id);
	res = PQexecParams(c, "UPDATE users SET verified_at = coalesce(verified_at, now()) "
			      "WHERE id = $1 RETURNING email", 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		id = -1;
		goto out;
	}
	if (audit(c, r, "user.verify", PQgetvalue(res, 0, 0), "user", uid, NULL) != 0 ||
	    db_tx(c, "COMMIT") != 0)
		id = -1;
out:
	if (id <= 0)
		db_tx(c, "ROLLBACK");
	PQclear(res);
	return id;
}

/* GET /account/verify?token=T: confirms the email address, or 400 with advice. */
int account_verify(struct req *r)
{
	PGconn *c = req_db(r);
	json_t *model;
	long long id;
	int status;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	id = verify_store(r, c, kv_get(&r->query, "token"));
	if (id < 0)
		return http_send_error(r, 503, NULL);
	if (id == 0)
		return account_link_invalid(r, "verify");
	if (r->user != NULL && r->user->id == id)
		r->user->verified = true;
	model = json_object();
	if (model == NULL)
		return http_send_error(r, 500, NULL);
	status = view_render(r, 200, "account/verified", model);
	json_decref(model);
	return status;
}

/* POST /account/verify/resend: a new confirmation link for the signed-in, unconfirmed user
 * (throttled 3 an hour); back to /account with a banner. */
int account_verify_resend(struct req *r)
{
	char token[TOKEN_LEN + 1] = "";
	PGconn *c = req_db(r);
	int status;

	if (r->user->verified)
		return http_redirect(r, "/account");
	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = account_throttle(r, c, "verify", r->user->email, 10, 3, 3600);
	if (status != 0)
		return status;
	if (db_tx(c, "BEGIN") != 0 ||
	    token_issue(c, r->user->id, "verify_email", VERIFY_TTL, NULL, token) != 0 ||
	    account_mail_link(c, r->user->email, "verify_email", r->user->name,
			      "/account/verify?token=", token) != 0 ||
	    db_tx(c, "COMMIT") != 0) {
		db_tx(c, "ROLLBACK");
		status = http_send_error(r, 503, NULL);
	} else {
		status = http_redirect(r, "/account?done=verify_sent");
	}
	OPENSSL_cleanse(token, sizeof token);
	return status;
}

/* ---- signing in and out ----------------------------------------------------------------- */

struct login_input {
	char email[FIELD_EMAIL_MAX + 1];
	const char *password;
	const char *next;        /* a local path, or NULL */
};

/* Reads the sign-in form into in; messages for blank or malformed fields and the typed values
 * (never the password) go into model. Returns 0, or -1 when out of memory. */
static int login_read(const struct req *r, struct login_input *in, json_t *model)
{
	const char *msg, *email = kv_get(&r->form, "email");

	in->next = account_local_path(kv_get(&r->form, "next"));
	in->password = kv_get(&r->form, "password");
	if (in->password == NULL)
		in->password = "";
	if (json_object_set_new(model, "form", json_pack("{s:s}", "email", email ? email : "")) != 0 ||
	    (in->next != NULL && json_object_set_new(model, "next", json_string(in->next)) != 0))
		return -1;
	if ((msg = form_email(r, "email", in->email, "Enter your email address")) != NULL &&
	    form_error(model, "email", msg) != 0)
		return -1;
	if (in->password[0] == '\0' && form_error(model, "password", "Enter your password") != 0)
		return -1;
	return 0;
}

/* A failed sign-in: audits it and shows the form again with the one message that does not
 * say what was wrong. reason is for the audit log only. Returns the status sent. */
static int login_failed(struct req *r, PGconn *c, const struct login_input *in,
			const struct account *a, const char *reason, json_t *model)
{
	char uid[24];
	json_t *detail = json_pack("{s:s}", "reason", reason);

	snprintf(uid, sizeof uid, "%lld", a != NULL ? a->u.id : 0LL);
	audit(c, r, "login.failure", in->email, a != NULL ? "user" : NULL, a != NULL ? uid : NULL,
	      detail);
	json_decref(detail);
	if (form_error(model, "email", LOGIN_FAILED) != 0 ||
	    json_object_set_new(model, "bad_credentials", json_true()) != 0)
		return http_send_error(r, 500, NULL);
	return view_render(r, 422, "account/login", model);
}

/* A successful sign-in: a new session (new id), the password rehashed when its parameters are
 * old, the account's throttle cleared, an audit entry; then off to next or the role's home.
 * Returns the status sent. */
static int login_succeeded(struct req *r, PGconn *c, const struct login_input *in,
			   const struct account *a, bool rehash)
{
	char hash[PASSWORD_HASH_MAX] = "", uid[24];

	if (rehash && password_hash(in->password, hash) != PASSWORD_OK)
		hash[0] = '\0'; /* keep the old hash: it still verifies; next sign-in tries again */
	snprintf(uid, sizeof uid, "%lld", a->u.id);
	if (db_tx(c, "BEGIN") != 0 ||
	    (hash[0] != '\0' && account_set_hash(c, a->u.id, hash) != 0) ||
	    account_throttle_reset(c, "login", a->u.email) != 0 ||
	    session_start(r, c, &a->u) != 0 ||
	    audit(c, r, "login.success", NULL, "user", uid, NULL) != 0 ||
	    db_tx(c, "COMMIT") != 0) {
		db_tx(c, "ROLLBACK");
		return http_send_error(r, 503, NULL);
	}
	return http_redirect(r, in->next != NULL ? in->next : account_home(a->u.role));
}

/* GET /account/login[?next=/path][&signed_out=1][&kept=1]: the sign-in form (kept: saying that
 * a form sent after the session ended was kept); a signed-in user goes on to next or home. */
int account_login_form(struct req *r)
{
	const char *next = account_local_path(kv_get(&r->query, "next"));
	const char *out = kv_get(&r->query, "signed_out"), *kept = kv_get(&r->query, "kept");
	json_t *model;
	int status;

	if (r->user != NULL)
		return http_redirect(r, next != NULL ? next : account_home(r->user->role));
	model = json_pack("{s:s?, s:b, s:b}", "next", next, "signed_out",
			  out != NULL && strcmp(out, "1") == 0, "kept",
			  kept != NULL && strcmp(kept, "1") == 0 && next != NULL);
	if (model == NULL)
		return http_send_error(r, 500, NULL);
	status = view_render(r, 200, "account/login", model);
	json_decref(model);
	return status;
}

/* POST /account/login: throttled (5 a minute per address and per account, growing back-off),
 * then signs in and redirects (303) to next or the role's home, or 422 with one message. */
int account_login(struct req *r)
{
	struct login_input in;
	struct account a;
	json_t *model = json_object();
	PGconn *c = req_db(r);
	enum password_result pr;
	bool rehash = false;
	int status, found;

	if (model == NULL || login_read(r, &in, model) != 0) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	if (form_has_errors(model)) {
		status = view_render(r, 422, "account/login", model);
		goto out;
	}
	if (c == NULL) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	/* 5 tries a minute for an account; 20 from an address, where a school's office or a
	 * training day signs many people in from behind one. */
	status = account_throttle(r, c, "login", in.email, LOGIN_ADDRESS_LIMIT, 5, 60);
	if (status != 0)
		goto out;
	found = account_find(c, in.email, 0, &a);
	if (found < 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	/* A missing account or password costs the same work as a real check. */
	pr = password_verify(in.password, found == 1 && a.has_hash ? a.hash : NULL, &rehash);
	if (pr == PASSWORD_BUSY) {
		status = http_send_error(r, 503, NULL);
	} else if (found == 0) {
		status = login_failed(r, c, &in, NULL, "unknown email", model);
	} else if (pr == PASSWORD_ERROR) {
		log_errorf(__func__, "user %lld: stored password hash unusable", a.u.id);
		status = login_failed(r, c, &in, &a, "unusable password hash", model);
	} else if (pr != PASSWORD_OK) {
		status = login_failed(r, c, &in, &a, a.has_hash ? "wrong password" : "no password set",
				      model);
	} else if (a.disabled) {
		status = login_failed(r, c, &in, &a, "account disabled", model);
	} else {
		status = login_succeeded(r, c, &in, &a, rehash);
	}
out:
	OPENSSL_cleanse(a.hash, sizeof a.hash);
	json_decref(model);
	return status;
}

/* POST /account/logout: ends this session; to the sign-in page with "You have signed out". */
int account_logout(struct req *r)
{
	PGconn *c = req_db(r);
	char uid[24];

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	snprintf(uid, sizeof uid, "%lld", r->user->id);
	if (audit(c, r, "logout", NULL, "user", uid, NULL) != 0 || session_end(r, c) != 0)
		return http_send_error(r, 503, NULL);
	return http_redirect(r, "/account/login?signed_out=1");
}
