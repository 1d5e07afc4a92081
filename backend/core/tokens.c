/* tokens.c - single-use tokens sent by email (verification, reset, invitation, email change),
 * and the link tokens of other emails' links (job alerts, stopping optional emails, kept
 * forms); see auth.h. Only the SHA-256 of a token is stored; a single-use token is used by one
 * UPDATE ... RETURNING, so two requests racing with the same token cannot both succeed. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "log.h"

int token_issue(PGconn *c, long long user_id, const char *purpose, int ttl_seconds,
		const char *new_email, char out[TOKEN_LEN + 1])
{
	unsigned char hash[32];
	char uid[24], ttl[24];
	const char *vals[5];
	int lens[5] = { 32, 0, 0, 0, 0 }, fmts[5] = { 1, 0, 0, 0, 0 };
	PGresult *res = NULL;
	int rc = -1;

	if (auth_random_token(out) != 0)
		return -1;
	auth_token_hash(out, hash);
	snprintf(uid, sizeof uid, "%lld", user_id);
	snprintf(ttl, sizeof ttl, "%d", ttl_seconds);
	vals[0] = uid;
	vals[1] = purpose;
	res = PQexecParams(c, "UPDATE user_tokens SET used_at = now() WHERE user_id = $1 AND "
			      "purpose = $2 AND used_at IS NULL", 2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		goto fail;
	PQclear(res);
	vals[0] = (const char *)hash;
	vals[1] = uid;
	vals[2] = purpose;
	vals[3] = ttl;
	vals[4] = new_email;
	res = PQexecParams(c, "INSERT INTO user_tokens (token_hash, user_id, purpose, expires_at, "
			      "new_email) VALUES ($1, $2, $3, now() + make_interval(secs => $4), $5)",
			   5, NULL, vals, lens, fmts, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		goto fail;
	rc = 0;
	goto out;
fail:
	log_errorf(__func__, "%s", PQerrorMessage(c));
	OPENSSL_cleanse(out, TOKEN_LEN + 1);
out:
	PQclear(res);
	return rc;
}

/* Runs sql with the token's hash as $1 and purpose as $2; returns the user id in column 0 (and
 * copies column 1 into new_email when asked), 0 when no row, -1 on error. */
static long long token_query(PGconn *c, const char *sql, const char *token, const char *purpose,
			     char *new_email)
{
	unsigned char hash[32];
	const char *vals[2];
	int lens[2] = { 32, 0 }, fmts[2] = { 1, 0 };
	PGresult *res;
	long long id = -1;

	if (token == NULL || strlen(token) != TOKEN_LEN)
		return 0;
	auth_token_hash(token, hash);
	vals[0] = (const char *)hash;
	vals[1] = purpose;
	res = PQexecParams(c, sql, 2, NULL, vals, lens, fmts, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	id = 0;
	if (PQntuples(res) == 1) {
		id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		if (new_email != NULL)
			snprintf(new_email, 256, "%s", PQgetvalue(res, 0, 1));
	}
out:
	PQclear(res);
	return id;
}

long long token_peek(PGconn *c, const char *token, const char *purpose)
{
	return token_query(c,
			   "SELECT t.user_id, t.new_email FROM user_tokens t JOIN users u ON "
			   "u.id = t.user_id WHERE t.token_hash = $1 AND t.purpose = $2 AND "
			   "t.used_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL",
			   token, purpose, NULL);
}

long long token_consume(PGconn *c, const char *token, const char *purpose, char *new_email)
{
	return token_query(c,
			   "UPDATE user_tokens t SET used_at = now() FROM users u WHERE "
			   "u.id = t.user_id AND t.token_hash = $1 AND t.purpose = $2 AND "
			   "t.used_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL "
			   "RETURNING t.user_id, coalesce(t.new_email, '')",
			   token, purpose, new_email);
}

int link_token_insert(PGconn *c, const char *sql, int n, const char *const *vals,
		      char out[TOKEN_LEN + 1])
{
	unsigned char hash[32];
	const char *v[5] = { (const char *)hash };
	int lens[5] = { 32 }, fmts[5] = { 1 }, i;
	PGresult *res;
	int rc = -1;

	if (n < 0 || n > 4 || auth_random_token(out) != 0)
		return -1;
	auth_token_hash(out, hash);
	for (i = 0; i < n; i++)
		v[i + 1] = vals[i];
	res = PQexecParams(c, sql, n + 1, NULL, v, lens, fmts, 0);
	if (PQresultStatus(res) == PGRES_COMMAND_OK)
		rc = 0;
	else
		log_errorf(__func__, "%s", PQerrorMessage(c));
	PQclear(res);
	if (rc != 0)
		OPENSSL_cleanse(out, TOKEN_LEN + 1);
	return rc;
}

int link_token_find(PGconn *c, const char *sql, const char *token, PGresult **res)
{
	unsigned char hash[32];
	const char *vals[1] = { (const char *)hash };
	int lens[1] = { 32 }, fmts[1] = { 1 };
	int rc = -1;

	*res = NULL;
	if (token == NULL || strlen(token) != TOKEN_LEN)
		return 0;
	auth_token_hash(token, hash);
	*res = PQexecParams(c, sql, 1, NULL, vals, lens, fmts, 0);
	if (PQresultStatus(*res) != PGRES_TUPLES_OK)
		log_errorf(__func__, "%s", PQerrorMessage(c));
	else
		rc = PQntuples(*res) > 0 ? 1 : 0;
	if (rc != 1) {
		PQclear(*res);
		*res = NULL;
	}
	OPENSSL_cleanse(hash, sizeof hash);
	return rc;
}

int link_tokens_expire(PGconn *c)
{
	/* sessions: ended (absolute or idle limit) more than the kept-form window ago */
	PGresult *res = PQexec(c, "WITH stops AS (DELETE FROM email_stop_tokens WHERE expires_at "
				  "<= now()), ended AS (DELETE FROM sessions WHERE "
				  "least(expires_at, last_seen_at + idle_timeout) <= "
				  "now() - interval '" SQL_INT(KEPT_FORM_HOURS) " hours') "
				  "DELETE FROM kept_forms WHERE expires_at <= now()");
	int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;

	if (rc != 0)
		log_errorf(__func__, "%s", PQerrorMessage(c));
	PQclear(res);
	return rc;
}
