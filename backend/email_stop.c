/* email_stop.c - the link each optional email carries (email_preferences.h). Issued with the
 * email, for its account and its kind, it turns that kind of email off without signing in:
 *   GET /emails/stop?token=T           what the link stops, and a button to stop it
 *   POST /emails/stop/confirm          (token, csrf_token) stops it, and says how to undo it
 *   POST /emails/stop?token=T          a mail program's one-click List-Unsubscribe (RFC 8058)
 * A link works for EMAIL_STOP_DAYS; only the SHA-256 of its token is kept (email_stop_tokens,
 * migration 0021). */
#include "email_preferences.h"

#include <openssl/crypto.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "fields.h"
#include "handlers.h"
#include "log.h"
#include "mail.h"

/* Creates a link token for the email `key` of account user_id into out. Returns 0 or -1
 * (logged). */
static int stop_token_issue(PGconn *c, long long user_id, const char *key,
			    char out[TOKEN_LEN + 1])
{
	char uid[24];
	const char *vals[3] = { uid, key, SQL_INT(EMAIL_STOP_DAYS) };

	snprintf(uid, sizeof uid, "%lld", user_id);
	return link_token_insert(c, "INSERT INTO email_stop_tokens (token_hash, user_id, "
				    "email_key, expires_at) VALUES ($1, $2, $3, now() + "
				    "make_interval(days => $4::integer))",
				 3, vals, out);
}

int email_optional_enqueue(PGconn *c, long long user_id, const char *to, const char *key,
			   const char *name, json_t *model)
{
	char token[TOKEN_LEN + 1], link[80];
	json_t *m = model != NULL ? json_copy(model) : json_object();
	int rc = -1;

	if (m == NULL) {
		log_errorf(__func__, "out of memory");
		goto out;
	}
	if (stop_token_issue(c, user_id, key, token) != 0)
		goto out;
	snprintf(link, sizeof link, "/emails/stop?token=%s", token);
	rc = json_object_set_new(m, "unsubscribe", json_string(link)) != 0
		     ? -1
		     : mail_enqueue(c, to, name, m);
out:
	OPENSSL_cleanse(token, sizeof token);
	OPENSSL_cleanse(link, sizeof link);
	json_decref(m);
	return rc;
}

int email_optional_enqueue_each(PGconn *c, const char *recipients, const char *key,
				const char *name, json_t *model)
{
	json_t *to = json_loads(recipients != NULL ? recipients : "", 0, NULL), *r;
	const char *addr;
	size_t i;
	int n = 0;

	if (!json_is_array(to)) {
		log_errorf(__func__, "%s: the recipients are not a JSON array", name);
		n = -1;
	}
	json_array_foreach(to, i, r) {
		addr = json_string_value(json_array_get(r, 1));
		if (!json_is_integer(json_array_get(r, 0)) || addr == NULL ||
		    !mail_address_ok(addr))
			continue;
		if (email_optional_enqueue(c, json_integer_value(json_array_get(r, 0)), addr, key,
					   name, model) != 0) {
			n = -1;
			break;
		}
		n++;
	}
	json_decref(to);
	return n;
}

/* A link's account and email, found by its token. */
struct stop_link {
	long long user_id;
	char key[32];
	char email[FIELD_EMAIL_MAX + 1];
	const char *label;    /* what the email is (email_preferences.c) */
	bool chosen;          /* off until turned on */
	bool wanted;          /* the account still gets this email */
};

/* Finds the unexpired link of token into l. Returns 1 when found, 0 when the token is unknown
 * or expired, -1 on a database error (logged). */
static int stop_find(PGconn *c, const char *token, struct stop_link *l)
{
	bool chosen = false;
	PGresult *res;
	int rc = link_token_find(c, "SELECT t.user_id, t.email_key, u.email, t.email_key = ANY "
				    "(u.email_opt_in), t.email_key = ANY (u.email_opt_out) FROM "
				    "email_stop_tokens t JOIN users u ON u.id = t.user_id WHERE "
				    "t.token_hash = $1 AND t.expires_at > now()",
				 token, &res);

	if (rc == 1) {
		l->user_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		snprintf(l->key, sizeof l->key, "%s", PQgetvalue(res, 0, 1));
		snprintf(l->email, sizeof l->email, "%s", PQgetvalue(res, 0, 2));
		l->label = email_preference_label(l->key, &chosen);
		l->chosen = chosen;
		l->wanted = strcmp(PQgetvalue(res, 0, chosen ? 3 : 4), chosen ? "t" : "f") == 0;
		rc = l->label != NULL ? 1 : 0;
	}
	PQclear(res);
	return rc;
}

/* Turns email l->key off for l->user_id - out of email_opt_in, and into email_opt_out unless
 * it is a chosen one (off until turned on) - and audits it ("email_preferences.stop", by the
 * link's address unless someone is signed in; `via`: "link" or "one_click"), in one
 * transaction. Returns 0 or -1 (logged). */
static int stop_apply(struct req *r, PGconn *c, const struct stop_link *l, const char *via)
{
	char uid[24];
	const char *vals[3] = { uid, l->key, l->chosen ? "t" : "f" };
	json_t *detail = json_pack("{s:s, s:s}", "turned_off", l->key, "via", via);
	PGresult *res = NULL;
	int rc = -1;

	snprintf(uid, sizeof uid, "%lld", l->user_id);
	if (detail == NULL || db_tx(c, "BEGIN") != 0)
		goto out;
	res = PQexecParams(c, "UPDATE users SET email_opt_in = array_remove(email_opt_in, $2), "
			      "email_opt_out = CASE WHEN $3::boolean OR $2 = ANY (email_opt_out) "
			      "THEN email_opt_out ELSE array_append(email_opt_out, $2) END WHERE "
			      "id = $1::bigint",
			   3, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		db_tx(c, "ROLLBACK");
		goto out;
	}
	if (audit(c, r, "email_preferences.stop", l->email, "user", uid, detail) != 0 ||
	    db_tx(c, "COMMIT") != 0) {
		db_tx(c, "ROLLBACK");
		goto out;
	}
	rc = 0;
out:
	PQclear(res);
	json_decref(detail);
	return rc;
}

/* Finds the link of token for r. Returns 0 with *l and *c set, or the status sent: 503, or 404
 * for a link that is not (or no longer) valid. */
static int stop_link_get(struct req *r, const char *token, struct stop_link *l, PGconn **c)
{
	int found;

	*c = req_db(r);
	if (*c == NULL)
		return http_send_error(r, 503, NULL);
	found = stop_find(*c, token, l);
	if (found < 0)
		return http_send_error(r, 503, NULL);
	if (found == 0)
		return http_send_error(r, 404, "This link to stop emails has expired or is not "
					       "valid. Sign in to choose which emails you get on "
					       "your account's page.");
	return 0;
}

/* Renders emails/<name> for link l: the address, what the email is (its label), whether it is
 * a chosen one (and the daily summary of applications), whether the account still gets it,
 * and token for the form (or NULL). Pages
 * holding a link token are neither kept by caches nor indexed. Returns the status sent. */
static int stop_page(struct req *r, const struct stop_link *l, const char *token,
		     const char *name)
{
	json_t *model;
	int status;

	if (http_add_header(r, "Cache-Control", "no-store") != 0 ||
	    http_add_header(r, "X-Robots-Tag", "noindex") != 0)
		return http_send_error(r, 500, NULL);
	model = json_pack("{s:s, s:s, s:b, s:b, s:b, s:s, s:b}", "email", l->email, "label",
			  l->label, "chosen", l->chosen, "summary",
			  strcmp(l->key, EMAIL_APPLICATION_SUMMARY) == 0, "wanted", l->wanted,
			  "token", token != NULL ? token : "", "signed_in", r->user != NULL);
	status = model != NULL ? view_render(r, 200, name, model) : http_send_error(r, 500, NULL);
	json_decref(model);
	return status;
}

int email_stop_show(struct req *r)
{
	const char *token = kv_get(&r->query, "token");
	struct stop_link l;
	PGconn *c;
	int status = stop_link_get(r, token, &l, &c);

	return status != 0 ? status : stop_page(r, &l, token, "emails/stop");
}

int email_stop_confirm(struct req *r)
{
	struct stop_link l;
	PGconn *c;
	int status = stop_link_get(r, kv_get(&r->form, "token"), &l, &c);

	if (status != 0)
		return status;
	if (stop_apply(r, c, &l, "link") != 0)
		return http_send_error(r, 503, NULL);
	log_event(LOG_INFO, "optional email stopped by its link", "email", l.key, NULL);
	return stop_page(r, &l, NULL, "emails/stopped");
}

int email_stop_one_click(struct req *r)
{
	static const char done[] = "These emails are stopped. You can turn them on again on your "
				   "account's page.\n";
	struct stop_link l;
	PGconn *c;
	int status;

	if (!form_one_click_unsubscribe(r))
		return http_send_error(r, 400,
				       "This address stops an email when a mail program sends "
				       "List-Unsubscribe=One-Click. To stop it yourself, open the "
				       "link in the email.");
	status = stop_link_get(r, kv_get(&r->query, "token"), &l, &c);
	if (status != 0)
		return status;
	if (stop_apply(r, c, &l, "one_click") != 0)
		return http_send_error(r, 503, NULL);
	log_event(LOG_INFO, "optional email stopped by one-click unsubscribe", "email", l.key,
		  NULL);
	return http_send(r, 200, "text/plain; charset=utf-8", done, sizeof done - 1);
}
