/* accounts_common.c - helpers the account pages share; see accounts.h. */
#include <ctype.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "log.h"
#include "mail.h"

int account_find(PGconn *c, const char *email, long long id, struct account *out)
{
	char uid[24];
	const char *vals[1];
	PGresult *res;
	int rc = -1;

	snprintf(uid, sizeof uid, "%lld", id);
	vals[0] = email != NULL ? email : uid;
	res = PQexecParams(c,
			   email != NULL
				   ? "SELECT id, email, name, role, coalesce(password_hash, ''), "
				     "password_hash IS NOT NULL, verified_at IS NOT NULL, "
				     "disabled_at IS NOT NULL FROM users WHERE lower(email) = lower($1)"
				   : "SELECT id, email, name, role, coalesce(password_hash, ''), "
				     "password_hash IS NOT NULL, verified_at IS NOT NULL, "
				     "disabled_at IS NOT NULL FROM users WHERE id = $1",
			   1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	rc = 0;
	if (PQntuples(res) != 1)
		goto out;
	memset(out, 0, sizeof *out);
	out->u.id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	snprintf(out->u.email, sizeof out->u.email, "%s", PQgetvalue(res, 0, 1));
	snprintf(out->u.name, sizeof out->u.name, "%s", PQgetvalue(res, 0, 2));
	if (role_parse(PQgetvalue(res, 0, 3), &out->u.role) != 0) {
		log_errorf(__func__, "user %lld has an unknown role", out->u.id);
		rc = -1;
		goto out;
	}
	snprintf(out->hash, sizeof out->hash, "%s", PQgetvalue(res, 0, 4));
	out->has_hash = PQgetvalue(res, 0, 5)[0] == 't';
	out->u.verified = PQgetvalue(res, 0, 6)[0] == 't';
	out->disabled = PQgetvalue(res, 0, 7)[0] == 't';
	rc = 1;
out:
	PQclear(res);
	return rc;
}

int account_set_hash(PGconn *c, long long id, const char *hash)
{
	char uid[24];
	const char *vals[2] = { uid, hash };
	PGresult *res;
	int rc;

	snprintf(uid, sizeof uid, "%lld", id);
	res = PQexecParams(c, "UPDATE users SET password_hash = $2 WHERE id = $1", 2, NULL, vals,
			   NULL, NULL, 0);
	rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
	if (rc != 0)
		log_errorf(__func__, "%s", PQerrorMessage(c));
	PQclear(res);
	return rc;
}

/* Writes "<action>:<kind>:<value>" into key (value lowercased, ASCII). Returns 0, or -1 when
 * it does not fit. */
static int throttle_key(char *key, size_t keylen, const char *action, const char *kind,
			const char *value)
{
	int n = snprintf(key, keylen, "%s:%s:%s", action, kind, value);
	char *p;

	if (n < 0 || (size_t)n >= keylen)
		return -1;
	for (p = key; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return 0;
}

int account_throttle(struct req *r, PGconn *c, const char *action, const char *email,
		     int addr_limit, int email_limit, int window_s)
{
	char key[320];
	int retry = 0, ok;

	if (throttle_key(key, sizeof key, action, "addr", r->address) != 0)
		return http_send_error(r, 500, NULL);
	ok = ratelimit_hit(c, key, addr_limit, window_s, &retry);
	if (ok == 1 && email != NULL) {
		if (throttle_key(key, sizeof key, action, "email", email) != 0)
			return http_send_error(r, 500, NULL);
		ok = ratelimit_hit(c, key, email_limit, window_s, &retry);
	}
	if (ok < 0)
		return http_send_error(r, 503, NULL);
	return ok == 1 ? 0 : ratelimit_refuse(r, retry);
}

int account_throttle_reset(PGconn *c, const char *action, const char *email)
{
	char key[320];

	if (throttle_key(key, sizeof key, action, "email", email) != 0)
		return -1;
	return ratelimit_reset(c, key);
}

int account_mail_link(PGconn *c, const char *to, const char *tmpl, const char *name,
		      const char *path, const char *token)
{
	struct buf link = { 0 };
	json_t *model = NULL;
	int rc = -1;

	if (path != NULL) {
		buf_puts(&link, path);
		buf_puts(&link, token);
		if (buf_failed(&link))
			goto out;
	}
	model = path != NULL ? json_pack("{s:s, s:s}", "name", name, "link", buf_str(&link))
			     : json_pack("{s:s}", "name", name);
	if (model == NULL)
		goto out;
	rc = mail_enqueue(c, to, tmpl, model);
out:
	json_decref(model);
	if (link.data != NULL)
		OPENSSL_cleanse(link.data, link.len);
	buf_free(&link);
	return rc;
}

const char *account_home(enum role role)
{
	switch (role) {
	case ROLE_SCHOOL_STAFF:
		return "/school";
	case ROLE_HR:
	case ROLE_ADMIN:
		return "/hr/users";
	default:
		return "/account";
	}
}

const char *account_local_path(const char *next)
{
	const unsigned char *p;

	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return NULL;
	for (p = (const unsigned char *)next; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '\\')
			return NULL;
	return next;
}

int account_link_invalid(struct req *r, const char *what)
{
	json_t *model = json_pack("{s:b, s:b, s:b}", "verify", strcmp(what, "verify") == 0,
				  "reset", strcmp(what, "reset") == 0, "email",
				  strcmp(what, "email") == 0);
	int status;

	if (model == NULL)
		return http_send_error(r, 500, NULL);
	status = view_render(r, 400, "account/link_invalid", model);
	json_decref(model);
	return status;
}
