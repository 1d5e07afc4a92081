/* accounts_password.c - forgotten passwords and the page an emailed link leads to, which
 * resets a password (token purpose reset_password) or sets the first one of an invited user
 * (purpose invitation). The forgotten-password answer is the same whether or not the address
 * has an account.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "accounts.h"
#include "db.h"
#include "handlers.h"
#include "log.h"

/* ---- forgotten password ----------------------------------------------------------------- */

/* Sends a reset link when email belongs to an enabled account, and audits the request either
 * way, in one transaction. Returns 0 or -1 (rolled back). */
static int forgot_store(struct req *r, PGconn *c, const char *email)
{
	char token[TOKEN_LEN + 1] = "", uid[24];
	const char *outcome = "no such account";
	struct account a;
	json_t *detail = NULL;
	int found, rc = -1;

	if (db_tx(c, "BEGIN") != 0)
		return -1;
	found = account_find(c, email, 0, &a);
	if (found < 0)
		goto out;
	if (found == 1 && a.disabled) {
		outcome = "account disabled";
	} else if (found == 1) {
		outcome = "link sent";
		if (token_issue(c, a.u.id, "reset_password", RESET_TTL, NULL, token) != 0 ||
		    account_mail_link(c, a.u.email, "reset_password", a.u.name,
				      "/account/password/reset?token=", token) != 0)
			goto out;
	}
	snprintf(uid, sizeof uid, "%lld", found == 1 ? a.u.id : 0LL);
	detail = json_pack("{s:s}", "outcome", outcome);
	if (detail == NULL ||
	    audit(c, r, "password.reset_request", email, found == 1 ? "user" : NULL,
		  found == 1 ? uid : NULL, detail) != 0)
		goto out;
	rc = db_tx(c, "COMMIT");
out:
	if (rc != 0)
		db_tx(c, "ROLLBACK");
	OPENSSL_cleanse(token, sizeof token);
	json_decref(detail);
	return rc;
}

/* GET /account/password/forgot: asks for the email address. */
int account_forgot_form(struct req *r)
{
	json_t *model = json_object();
	int status;

	if (model == NULL)
		return http_send_error(r, 500, NULL);
	status = view_render(r, 200, "account/forgot", model);
	json_decref(model);
	return status;
}

/* POST /account/password/forgot: throttled (10 an hour per address, 3 per email); emails a
 * link when the account exists and shows the same page either way. */
int account_forgot(struct req *r)
{
	char email[FIELD_EMAIL_MAX + 1];
	const char *typed = kv_get(&r->form, "email"), *msg;
	json_t *model = json_pack("{s:{s:s}}", "form", "email", typed ? typed : "");
	PGconn *c = req_db(r);
	int status;

	if (model == NULL) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	msg = form_email(r, "email", email, "Enter your email address");
	if (msg != NULL) {
		status = form_error(model, "email", msg) == 0
				 ? view_render(r, 422, "account/forgot", model)
				 : http_send_error(r, 500, NULL);
		goto out;
	}
	if (c == NULL) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	status = account_throttle(r, c, "reset", email, 10, 3, 3600);
	if (status != 0)
		goto out;
	if (forgot_store(r, c, email) != 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	status = json_object_set_new(model, "email", json_string(email)) == 0
			 ? view_render(r, 200, "account/forgot_sent", model)
			 : http_send_error(r, 500, NULL);
out:
	json_decref(model);
	return status;
}

/* ---- choosing a new password ------------------------------------------------------------ */

/* Which user a reset or invitation token is for, without using it. Sets *purpose to the
 * token's purpose. Returns the user id, 0 when the token is not valid, -1 on error. */
static long long reset_token(PGconn *c, const char *token, const char **purpose)
{
	long long id;

	*purpose = "reset_password";
	id = token_peek(c, token, *purpose);
	if (id == 0) {
		*purpose = "invitation";
		id = token_peek(c, token, *purpose);
	}
	return id;
}

/* Shows the new-password form for account a and token (kept in a hidden field). model may
 * hold error messages. Returns the status sent. */
static int reset_render(struct req *r, int status, json_t *model, const char *token,
			const char *purpose, const struct account *a)
{
	if (json_object_set_new(model, "token", json_string(token)) != 0 ||
	    json_object_set_new(model, "invitation",
				json_boolean(strcmp(purpose, "invitation") == 0)) != 0 ||
	    json_object_set_new(model, "account_email", json_string(a->u.email)) != 0)
		return http_send_error(r, 500, NULL);
	return view_render(r, status, "account/reset", model);
}

/* Uses the token and sets the password, in one transaction: the address counts as confirmed,
 * every session of the user ends, the user is told by email (not for a first password set
 * through an invitation), and this browser is signed in afresh. Returns 1 when done, 0 when
 * the token was used meanwhile, -1 on error (rolled back either way). */
static int reset_store(struct req *r, PGconn *c, const char *token, const char *purpose,
		       struct account *a, const char *hash)
{
	char uid[24];
	const char *vals[2] = { uid, hash };
	json_t *detail = NULL;
	PGresult *res = NULL;
	long long used;
	int rc = -1;

	snprintf(uid, sizeof uid, "%lld", a->u.id);
	if (db_tx(c, "BEGIN") != 0)
		return -1;
	used = token_consume(c, token, purpose, NULL);
	if (used != a->u.id) {
		rc = used < 0 ? -1 : 0;
		goto out;
	}
	res = PQexecParams(c, "UPDATE users SET password_hash = $2, verified_at = "
			      "coalesce(verified_at, now()) WHERE id = $1", 2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	a->u.verified = true;
	detail = json_pack("{s:s}", "via", strcmp(purpose, "invitation") == 0 ? "invitation"
									  : "reset link");
	if (detail == NULL || session_end_all(c, a->u.id, 0) < 0 ||
	    (strcmp(purpose, "reset_password") == 0 &&
	     account_mail_link(c, a->u.email, "password_changed", a->u.name, NULL, NULL) != 0) ||
	    account_throttle_reset(c, "login", a->u.email) != 0 ||
	    session_start(r, c, &a->u) != 0 ||
	    audit(c, r, "password.reset", NULL, "user", uid, detail) != 0 ||
	    db_tx(c, "COMMIT") != 0)
		goto out;
	rc = 1;
out:
	if (rc != 1)
		db_tx(c, "ROLLBACK");
	json_decref(detail);
	PQclear(res);
	return rc;
}

/* GET /account/password/reset?token=T: the new-password form, or 400 for a bad link. */
int account_reset_form(struct req *r)
{
	const char *token = kv_get(&r->query, "token"), *purpose;
	PGconn *c = req_db(r);
	struct account a;
	json_t *model;
	long long id;
	int status, found;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	id = reset_token(c, token, &purpose);
	if (id < 0)
		return http_send_error(r, 503, NULL);
	found = id > 0 ? account_find(c, NULL, id, &a) : 0;
	if (found < 0)
		return http_send_error(r, 503, NULL);
	if (found == 0)
		return account_link_invalid(r, "reset");
	model = json_object();
	if (model == NULL)
		return http_send_error(r, 500, NULL);
	status = reset_render(r, 200, model, token, purpose, &a);
	json_decref(model);
	return status;
}

/* POST /account/password/reset: checks the policy (422), sets the password, signs in and
 * redirects to the role's home. */
int account_reset(struct req *r)
{
	const char *token = kv_get(&r->form, "token"), *password = kv_get(&r->form, "password");
	const char *purpose, *msg;
	char hash[PASSWORD_HASH_MAX] = "";
	PGconn *c = req_db(r);
	struct account a;
	json_t *model = NULL;
	enum password_result pr;
	long long id;
	int status, found;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	id = reset_token(c, token, &purpose);
	found = id > 0 ? account_find(c, NULL, id, &a) : (int)id;
	if (found < 0)
		return http_send_error(r, 503, NULL);
	if (found == 0)
		return account_link_invalid(r, "reset");
	msg = password_policy(password != NULL ? password : "", a.u.email, a.u.name);
	if (msg != NULL) {
		model = json_object();
		status = model != NULL && form_error(model, "password", msg) == 0
				 ? reset_render(r, 422, model, token, purpose, &a)
				 : http_send_error(r, 500, NULL);
		goto out;
	}
	pr = password_hash(password, hash);
	if (pr != PASSWORD_OK) {
		status = http_send_error(r, pr == PASSWORD_BUSY ? 503 : 500, NULL);
		goto out;
	}
	switch (reset_store(r, c, token, purpose, &a, hash)) {
	case 1:
		status = http_redirect(r, account_home(a.u.role));
		break;
	case 0:
		status = account_link_invalid(r, "reset");
		break;
	default:
		status = http_send_error(r, 503, NULL);
	}
out:
	OPENSSL_cleanse(a.hash, sizeof a.hash);
	json_decref(model);
	return status;
}
