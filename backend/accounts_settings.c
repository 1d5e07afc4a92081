/* accounts_settings.c - the account settings page (/account) and what it changes: the
 * password and the email address (both need the current password), and the sessions on other
 * devices (the optional emails: email_preferences.c). An email change takes effect when the
 * link sent to the new address is followed; the old address is told at once.
 */
#include <openssl/crypto.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accounts.h"
#include "db.h"
#include "email_preferences.h"
#include "handlers.h"
#include "log.h"
#include "mail.h"

/* The success banners a redirect back to /account may ask for (?done=<key>). */
static const struct {
	const char *key;
	const char *heading;
	const char *body;
} banners[] = {
	{ "password", "Your password has been changed",
	  "You have been signed out on your other devices." },
	{ "sessions", "You have been signed out on your other devices", NULL },
	{ "verify_sent", "We have sent you a new link to confirm your email address",
	  "The link works once and expires in 24 hours." },
	{ "email_sent", "We have sent a link to your new email address",
	  "Your email address will change when you follow the link. It expires in 24 hours." },
	{ "emails", "Your email settings have been saved", NULL },
};

/* The role as the settings page names it. */
static const char *role_label(enum role role)
{
	switch (role) {
	case ROLE_SCHOOL_STAFF:
		return "School staff";
	case ROLE_HR:
		return "HR";
	case ROLE_ADMIN:
		return "Administrator";
	default:
		return "Candidate";
	}
}

/* A short name for a User-Agent string: "Firefox on Windows". */
static void device_label(const char *ua, char *out, size_t outlen)
{
	const char *browser = strstr(ua, "Edg/")       ? "Edge"
			      : strstr(ua, "Firefox/") ? "Firefox"
			      : strstr(ua, "Chrome/")  ? "Chrome"
			      : strstr(ua, "Safari/")  ? "Safari"
			      : strstr(ua, "curl/")    ? "curl"
						       : "Unknown browser";
	const char *os = strstr(ua, "iPhone") || strstr(ua, "iPad") ? "iOS"
			 : strstr(ua, "Android")                   ? "Android"
			 : strstr(ua, "Windows")                   ? "Windows"
			 : strstr(ua, "Mac OS X")                  ? "macOS"
			 : strstr(ua, "CrOS")                      ? "ChromeOS"
			 : strstr(ua, "Linux")                     ? "Linux"
								   : NULL;

	if (os != NULL)
		snprintf(out, outlen, "%s on %s", browser, os);
	else
		snprintf(out, outlen, "%s", browser);
}

/* The user's live sessions, this one first: [{current, signed_in, last_seen, device,
 * address}]. Returns a new array, or NULL on error (logged). */
static json_t *sessions_list(PGconn *c, long long user_id, long long session_id)
{
	char uid[24], sid[24], device[64];
	const char *vals[2] = { uid, sid };
	json_t *list = NULL, *item;
	PGresult *res;
	int i;

	snprintf(uid, sizeof uid, "%lld", user_id);
	snprintf(sid, sizeof sid, "%lld", session_id);
	res = PQexecParams(c,
			   "SELECT id = $2, " SQL_WHEN_AT("created_at") ", "
			   SQL_WHEN_AT("last_seen_at") ", "
			   "coalesce(user_agent, ''), coalesce(address, '') FROM sessions "
			   "WHERE user_id = $1 AND expires_at > now() AND last_seen_at + "
			   "idle_timeout > now() ORDER BY id = $2 DESC, last_seen_at DESC",
			   2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	list = json_array();
	for (i = 0; list != NULL && i < PQntuples(res); i++) {
		device_label(PQgetvalue(res, i, 3), device, sizeof device);
		item = json_pack("{s:b, s:s, s:s, s:s, s:s}", "current",
				 PQgetvalue(res, i, 0)[0] == 't', "signed_in", PQgetvalue(res, i, 1),
				 "last_seen", PQgetvalue(res, i, 2), "device", device, "address",
				 PQgetvalue(res, i, 4));
		if (json_array_append_new(list, item) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
out:
	PQclear(res);
	return list;
}

int account_settings_render(struct req *r, PGconn *c, int status, json_t *model)
{
	const char *done = kv_get(&r->query, "done");
	json_t *sessions = sessions_list(c, r->user->id, r->session_id);
	json_t *emails = email_preferences_model(c, r->user);
	size_t i;

	if (sessions == NULL || emails == NULL) {
		json_decref(sessions);
		json_decref(emails);
		return http_send_error(r, 503, NULL);
	}
	if (json_object_set_new(model, "has_emails", json_boolean(json_array_size(emails) > 0)) ||
	    json_object_set_new(model, "emails", emails) ||
	    json_object_set_new(model, "other_sessions", json_boolean(json_array_size(sessions) > 1)) ||
	    json_object_set_new(model, "sessions", sessions) ||
	    json_object_set_new(model, "account",
				json_pack("{s:s, s:s, s:s, s:b}", "name", r->user->name, "email",
					  r->user->email, "role", role_label(r->user->role),
					  "verified", r->user->verified)))
		return http_send_error(r, 500, NULL);
	for (i = 0; done != NULL && i < sizeof banners / sizeof banners[0]; i++)
		if (strcmp(done, banners[i].key) == 0 &&
		    json_object_set_new(model, "banner", json_pack("{s:s, s:s?}", "heading",
								   banners[i].heading, "body",
								   banners[i].body)) != 0)
			return http_send_error(r, 500, NULL);
	return view_render(r, status, "account/settings", model);
}

int account_check_password(struct req *r, PGconn *c, const char *password, const char *field,
			   const char *wrong, json_t *model)
{
	enum password_result pr;
	struct account a;
	int status, found;

	status = account_throttle(r, c, "login", r->user->email, 5, 5, 60);
	if (status != 0)
		return -status;
	found = account_find(c, NULL, r->user->id, &a);
	if (found != 1)
		return -http_send_error(r, 503, NULL);
	pr = password_verify(password, a.has_hash ? a.hash : NULL, NULL);
	OPENSSL_cleanse(a.hash, sizeof a.hash);
	if (pr == PASSWORD_BUSY)
		return -http_send_error(r, 503, NULL);
	if (pr == PASSWORD_ERROR)
		log_errorf(__func__, "user %lld: stored password hash unusable", a.u.id);
	if (pr == PASSWORD_OK)
		return account_throttle_reset(c, "login", r->user->email) == 0
			       ? 1
			       : -http_send_error(r, 503, NULL);
	return form_error(model, field, wrong) == 0
		       ? 0
		       : -http_send_error(r, 500, NULL);
}

/* GET /account[?done=<banner>]: the settings page. */
int account_settings(struct req *r)
{
	PGconn *c = req_db(r);
	json_t *model;
	int status;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	model = json_object();
	if (model == NULL)
		return http_send_error(r, 500, NULL);
	status = account_settings_render(r, c, 200, model);
	json_decref(model);
	return status;
}

/* ---- change of password ----------------------------------------------------------------- */

/* Stores the new hash, ends the user's other sessions, gives this browser a new session, and
 * tells the user by email, in one transaction. Returns 0 or -1 (rolled back). */
static int password_store(struct req *r, PGconn *c, const char *hash)
{
	struct user me = *r->user;
	char uid[24];

	snprintf(uid, sizeof uid, "%lld", me.id);
	if (db_tx(c, "BEGIN") != 0 || account_set_hash(c, me.id, hash) != 0 ||
	    session_end_all(c, me.id, r->session_id) < 0 || session_start(r, c, &me) != 0 ||
	    account_mail_link(c, me.email, "password_changed", me.name, NULL, NULL) != 0 ||
	    audit(c, r, "password.change", NULL, "user", uid, NULL) != 0 ||
	    db_tx(c, "COMMIT") != 0) {
		db_tx(c, "ROLLBACK");
		return -1;
	}
	return 0;
}

/* POST /account/password: current_password, new_password; 422 with messages, else changes it
 * and redirects to /account?done=password. */
int account_change_password(struct req *r)
{
	const char *current = kv_get(&r->form, "current_password");
	const char *fresh = kv_get(&r->form, "new_password"), *msg;
	char hash[PASSWORD_HASH_MAX] = "";
	json_t *model = json_object();
	PGconn *c = req_db(r);
	enum password_result pr;
	int status, ok;

	if (model == NULL)
		return http_send_error(r, 500, NULL);
	if (c == NULL) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if ((current == NULL || current[0] == '\0') &&
	    form_error(model, "current_password", "Enter your current password") != 0)
		goto oom;
	msg = password_policy(fresh != NULL ? fresh : "", r->user->email, r->user->name);
	if (msg != NULL && form_error(model, "new_password", msg) != 0)
		goto oom;
	if (form_has_errors(model)) {
		status = account_settings_render(r, c, 422, model);
		goto out;
	}
	ok = account_check_password(r, c, current, "current_password",
				    "Your current password is incorrect", model);
	if (ok <= 0) {
		status = ok == 0 ? account_settings_render(r, c, 422, model) : -ok;
		goto out;
	}
	pr = password_hash(fresh, hash);
	if (pr != PASSWORD_OK) {
		status = http_send_error(r, pr == PASSWORD_BUSY ? 503 : 500, NULL);
		goto out;
	}
	status = password_store(r, c, hash) == 0 ? http_redirect(r, "/account?done=password")
						  : http_send_error(r, 503, NULL);
	goto out;
oom:
	status = http_send_error(r, 500, NULL);
out:
	json_decref(model);
	return status;
}

/* ---- change of email address ------------------------------------------------------------ */

/* True when another account uses email (ignoring case); -1 on a database error. */
static int email_taken(PGconn *c, const char *email)
{
	const char *vals[1] = { email };
	PGresult *res = PQexecParams(c, "SELECT 1 FROM users WHERE lower(email) = lower($1)", 1,
				     NULL, vals, NULL, NULL, 0);
	int rc = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) > 0 : -1;

	if (rc < 0)
		log_errorf(__func__, "%s", PQerrorMessage(c));
	PQclear(res);
	return rc;
}

/* Issues the change_email token, sends the link to the new address and a notice to the old
 * one, and audits the request, in one transaction. Returns 0 or -1 (rolled back). */
static int email_request_store(struct req *r, PGconn *c, const char *email)
{
	char token[TOKEN_LEN + 1] = "", uid[24];
	json_t *notice = json_pack("{s:s, s:s}", "name", r->user->name, "new_email", email);
	json_t *detail = json_pack("{s:s}", "new_email", email);
	int rc = -1;

	snprintf(uid, sizeof uid, "%lld", r->user->id);
	if (notice == NULL || detail == NULL || db_tx(c, "BEGIN") != 0)
		goto out;
	if (token_issue(c, r->user->id, "change_email", EMAIL_CHANGE_TTL, email, token) != 0 ||
	    account_mail_link(c, email, "email_change_confirm", r->user->name,
			      "/account/email/confirm?token=", token) != 0 ||
	    mail_enqueue(c, r->user->email, "email_change_notice", notice) != 0 ||
	    audit(c, r, "email.change_request", NULL, "user", uid, detail) != 0 ||
	    db_tx(c, "COMMIT") != 0) {
		db_tx(c, "ROLLBACK");
		goto out;
	}
	rc = 0;
out:
	OPENSSL_cleanse(token, sizeof token);
	json_decref(notice);
	json_decref(detail);
	return rc;
}

/* Reads and checks the change-of-email form: the new address into email, messages and the
 * typed address into model. Returns 0, or -1 when out of memory. */
static int email_read(struct req *r, char email[FIELD_EMAIL_MAX + 1], const char *password,
		      json_t *model)
{
	const char *typed = kv_get(&r->form, "new_email");
	const char *msg = form_email(r, "new_email", email, "Enter your new email address");

	if (json_object_set_new(model, "form", json_pack("{s:s}", "new_email",
							 typed ? typed : "")) != 0)
		return -1;
	if (msg == NULL && strcasecmp(email, r->user->email) == 0)
		msg = "Enter an email address that is different from your current one";
	if (msg != NULL && form_error(model, "new_email", msg) != 0)
		return -1;
	if ((password == NULL || password[0] == '\0') &&
	    form_error(model, "email_password", "Enter your current password") != 0)
		return -1;
	return 0;
}

/* POST /account/email: new_email, email_password; 422 with messages, else sends the links
 * and redirects to /account?done=email_sent. */
int account_change_email(struct req *r)
{
	const char *password = kv_get(&r->form, "email_password");
	char email[FIELD_EMAIL_MAX + 1];
	json_t *model = json_object();
	PGconn *c = req_db(r);
	int status, ok;

	if (model == NULL || email_read(r, email, password, model) != 0) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	if (c == NULL) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if (form_has_errors(model)) {
		status = account_settings_render(r, c, 422, model);
		goto out;
	}
	ok = account_check_password(r, c, password, "email_password",
				    "Your current password is incorrect", model);
	if (ok <= 0) {
		status = ok == 0 ? account_settings_render(r, c, 422, model) : -ok;
		goto out;
	}
	status = account_throttle(r, c, "email_change", r->user->email, 10, 3, 3600);
	if (status != 0)
		goto out;
	ok = email_taken(c, email);
	if (ok < 0) {
		status = http_send_error(r, 503, NULL);
	} else if (ok > 0) {
		status = form_error(model, "new_email", "You cannot use that email address") == 0
				 ? account_settings_render(r, c, 422, model)
				 : http_send_error(r, 500, NULL);
	} else {
		status = email_request_store(r, c, email) == 0
				 ? http_redirect(r, "/account?done=email_sent")
				 : http_send_error(r, 503, NULL);
	}
out:
	json_decref(model);
	return status;
}

/* Uses a change_email token and moves the account to its address, in one transaction: the new
 * address counts as confirmed and links sent to the old one stop working. Returns the user id
 * (email holds the new address), 0 when the token is not valid, -2 when another account took
 * the address meanwhile, -1 on a database error. */
static long long email_confirm_store(struct req *r, PGconn *c, const char *token,
				     char email[256])
{
	char uid[24];
	const char *vals[2] = { uid, email };
	json_t *detail = NULL;
	PGresult *res = NULL;
	const char *state;
	long long id;

	if (db_tx(c, "BEGIN") != 0)
		return -1;
	id = token_consume(c, token, "change_email", email);
	if (id <= 0)
		goto out;
	snprintf(uid, sizeof uid, "%lld", id);
	res = PQexecParams(c, "UPDATE users u SET email = $2, verified_at = now() FROM users o "
			      "WHERE u.id = $1 AND o.id = u.id RETURNING o.email", 2, NULL, vals,
			   NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (state == NULL || strcmp(state, "23505") != 0)
			log_errorf(__func__, "%s", PQerrorMessage(c));
		id = state != NULL && strcmp(state, "23505") == 0 ? -2 : -1;
		goto out;
	}
	detail = json_pack("{s:s, s:s}", "old_email", PQgetvalue(res, 0, 0), "new_email", email);
	PQclear(res);
	res = NULL;
	/* The account's job alerts (kept by address) go to the new address with it: the
	 * account still lists them and can stop them. */
	if (detail == NULL) {
		id = -1;
		goto out;
	}
	res = PQexecParams(c, "UPDATE job_alerts SET email = $1 WHERE lower(email) = lower($2)", 2,
			   NULL, (const char *const[]){ email, json_string_value(json_object_get(
									detail, "old_email")) },
			   NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		id = -1;
		goto out;
	}
	PQclear(res);
	res = PQexecParams(c, "UPDATE user_tokens SET used_at = now() WHERE user_id = $1 AND "
			      "used_at IS NULL AND purpose IN ('verify_email', 'reset_password', "
			      "'change_email')", 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK ||
	    audit(c, r, "email.change", json_string_value(json_object_get(detail, "old_email")),
		  "user", uid, detail) != 0 ||
	    db_tx(c, "COMMIT") != 0)
		id = -1;
out:
	if (id <= 0)
		db_tx(c, "ROLLBACK");
	json_decref(detail);
	PQclear(res);
	return id;
}

/* GET /account/email/confirm?token=T: moves the account to the new address; 400 for a bad
 * link, 409 when another account took the address meanwhile. */
int account_confirm_email(struct req *r)
{
	char email[256] = "";
	PGconn *c = req_db(r);
	json_t *model;
	long long id;
	int status;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	id = email_confirm_store(r, c, kv_get(&r->query, "token"), email);
	if (id == -1)
		return http_send_error(r, 503, NULL);
	if (id == 0)
		return account_link_invalid(r, "email");
	if (id > 0 && r->user != NULL && r->user->id == id) {
		snprintf(r->user->email, sizeof r->user->email, "%s", email);
		r->user->verified = true;
	}
	model = json_pack("{s:s, s:b}", "email", email, "taken", id == -2);
	if (model == NULL)
		return http_send_error(r, 500, NULL);
	status = view_render(r, id == -2 ? 409 : 200, "account/email_changed", model);
	json_decref(model);
	return status;
}

/* ---- other devices ---------------------------------------------------------------------- */

/* GET /account/keepalive (handlers.h). */
/* True when `form` (a path, or NULL) takes a POST that keeps forms (ROUTE_KEEPS_FORM). */
static bool form_keeps(const char *form)
{
	const struct route *rt = NULL;
	const char *params[REQ_MAX_PARAMS];
	char scratch[256], allow[64];
	size_t n = 0;

	return form != NULL && form[0] == '/' && strlen(form) < sizeof scratch &&
	       router_match(routes, routes_len, "POST", form, &rt, params, &n, scratch, allow,
			    sizeof allow) == ROUTE_FOUND &&
	       (rt->flags & ROUTE_KEEPS_FORM);
}

int account_keepalive(struct req *r)
{
	static const char kept[] = "{\"form_kept\":true}", lost[] = "{\"form_kept\":false}";

	/* Reading the session (before every handler) has already refreshed its idle timer; an
	 * ended one is left as it is (ROUTE_PEEKS_SESSION), so that the form is kept when sent. */
	if (r->user == NULL)
		return r->lapsed_user_id > 0 && form_keeps(kv_get(&r->query, "form"))
			       ? http_send(r, 401, "application/json", kept, sizeof kept - 1)
			       : http_send(r, 401, "application/json", lost, sizeof lost - 1);
	return http_send(r, 204, NULL, NULL, 0);
}

/* POST /account/sessions/end: ends every other session of the user. */
int account_end_sessions(struct req *r)
{
	PGconn *c = req_db(r);
	char uid[24];
	json_t *detail = NULL;
	long long n;
	int status;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	snprintf(uid, sizeof uid, "%lld", r->user->id);
	if (db_tx(c, "BEGIN") != 0)
		return http_send_error(r, 503, NULL);
	n = session_end_all(c, r->user->id, r->session_id);
	detail = json_pack("{s:I}", "sessions_ended", (json_int_t)n);
	if (n < 0 || detail == NULL || audit(c, r, "logout.everywhere", NULL, "user", uid, detail) != 0 ||
	    db_tx(c, "COMMIT") != 0) {
		db_tx(c, "ROLLBACK");
		status = http_send_error(r, 503, NULL);
	} else {
		status = http_redirect(r, "/account?done=sessions");
	}
	json_decref(detail);
	return status;
}
