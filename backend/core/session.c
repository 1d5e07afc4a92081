/* session.c - server-side sessions, their cookie, and CSRF; see auth.h.
 *
 * The cookie __Host-session carries 32 random bytes (base64url); the sessions table keeps only
 * their SHA-256, so a copy of the database cannot be replayed as cookies. A session ends when
 * idle longer than its idle_timeout (30 minutes for staff and HR, 2 hours for candidates), 12
 * hours after sign-in whatever happens, at sign-out, and when the user's password changes.
 * last_seen_at is written at most once a minute per session, so browsing costs one read.
 *
 * CSRF: a signed-in form carries the session's csrf_token; a visitor's form (sign in, register,
 * forgotten password) carries a random token that is also set as the __Host-csrf cookie (double
 * submit). Either way Origin, or failing that Referer, must be this site when the browser sends
 * one.
 */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "auth.h"
#include "db.h"
#include "db_prepared.h"
#include "log.h"

#define SESSION_COOKIE "__Host-session"
#define CSRF_COOKIE "__Host-csrf"
#define SESSION_ABSOLUTE "12 hours"

static const char *const role_names[] = {
	[ROLE_PUBLIC] = "public", [ROLE_STATELESS] = "stateless", [ROLE_ANY] = "any", [ROLE_CANDIDATE] = "candidate",
	[ROLE_SCHOOL_STAFF] = "school_staff", [ROLE_HR] = "hr", [ROLE_ADMIN] = "admin",
	[ROLE_SCHOOL_OR_HR] = "school_or_hr",
};

const char *role_name(enum role role)
{
	return (size_t)role < sizeof role_names / sizeof role_names[0] ? role_names[role] : "";
}

int role_parse(const char *name, enum role *out)
{
	enum role r;

	for (r = ROLE_CANDIDATE; r <= ROLE_ADMIN; r++) {
		if (strcmp(name, role_names[r]) == 0) {
			*out = r;
			return 0;
		}
	}
	return -1;
}

bool role_allows(enum role have, enum role need)
{
	if (need == ROLE_PUBLIC || need == ROLE_STATELESS || need == ROLE_ANY)
		return true;
	if (need == ROLE_CANDIDATE)
		return have == ROLE_CANDIDATE;
	if (need == ROLE_SCHOOL_OR_HR)
		return have == ROLE_SCHOOL_STAFF || have == ROLE_HR || have == ROLE_ADMIN;
	if (have == ROLE_ADMIN)
		return true;
	return have == need;
}

/* base64url without padding of n bytes into out (4*ceil(n/3) + 1 bytes). */
static void base64url(const unsigned char *in, size_t n, char *out)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i, o = 0;
	unsigned v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		out[o++] = a[v >> 18];
		out[o++] = a[(v >> 12) & 63];
		out[o++] = a[(v >> 6) & 63];
		out[o++] = a[v & 63];
	}
	if (n - i == 1) {
		v = (unsigned)in[i] << 16;
		out[o++] = a[v >> 18];
		out[o++] = a[(v >> 12) & 63];
	} else if (n - i == 2) {
		v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
		out[o++] = a[v >> 18];
		out[o++] = a[(v >> 12) & 63];
		out[o++] = a[(v >> 6) & 63];
	}
	out[o] = '\0';
}

int auth_random_token(char out[TOKEN_LEN + 1])
{
	unsigned char raw[32];

	if (RAND_bytes(raw, sizeof raw) != 1)
		return -1;
	base64url(raw, sizeof raw, out);
	OPENSSL_cleanse(raw, sizeof raw);
	return 0;
}

void auth_token_hash(const char *token, unsigned char out[32])
{
	unsigned len = 32;

	EVP_Digest(token, strlen(token), out, &len, EVP_sha256(), NULL);
}

int cookie_value(const char *header, const char *name, char *out, size_t outlen)
{
	const char *p, *v, *end;
	size_t nlen = strlen(name);

	for (p = header; p != NULL && *p != '\0'; p = end) {
		while (*p == ' ' || *p == ';')
			p++;
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		if (strncmp(p, name, nlen) != 0 || p[nlen] != '=')
			continue;
		v = p + nlen + 1;
		if ((size_t)(end - v) >= outlen)
			return -1;
		memcpy(out, v, (size_t)(end - v));
		out[end - v] = '\0';
		return 0;
	}
	return -1;
}

/* The value of cookie `name` of request r into out, as cookie_value. */
static int cookie_get(const struct req *r, const char *name, char *out, size_t outlen)
{
	return cookie_value(http_header(r, "Cookie"), name, out, outlen);
}

/* The live session of token hash $1 (bytea) and its user, or no row. Touches last_seen_at
 * only when it is more than a minute old: otherwise the statement writes nothing, so that a
 * request commits no transaction of its own (no WAL flush) just to be recognised. Prepared
 * (db_prepared.h): every signed-in request runs it. */
static const struct db_stmt session_stmt = {
	"session_load",
	"WITH s AS (SELECT s.id, s.csrf_token, u.id AS user_id, u.email, u.name, u.role, "
	"u.verified_at IS NOT NULL AS verified, "
	"s.last_seen_at < now() - interval '1 minute' AS due "
	"FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 "
	"AND u.disabled_at IS NULL AND s.expires_at > now() "
	"AND s.last_seen_at + s.idle_timeout > now()), "
	"seen AS (UPDATE sessions x SET last_seen_at = now() FROM s WHERE x.id = s.id AND s.due) "
	"SELECT id, csrf_token, user_id, email, name, role, verified FROM s",
	1,
};

/* Parameters are bytea: pass the 32-byte hash in binary. */
static PGresult *exec_hash(PGconn *c, const char *sql, const unsigned char hash[32],
			   const char *p2, int resfmt)
{
	const char *vals[2] = { (const char *)hash, p2 };
	int lens[2] = { 32, 0 }, fmts[2] = { 1, 0 };

	return PQexecParams(c, sql, p2 != NULL ? 2 : 1, NULL, vals, lens, fmts, resfmt);
}

/* An ended session of token hash $1: its account, and whether that is enabled. The row (and
 * the browser's cookie) are kept for KEPT_FORM_HOURS after the session ended, so that a form
 * sent with it from another tab, after this one was refused, can still be kept for its writer
 * (kept_form.c); the periodic job deletes it then (link_tokens_expire). It signs no one in. */
static const char lapsed_sql[] =
	"SELECT s.user_id, u.disabled_at IS NULL FROM sessions s JOIN users u ON u.id = s.user_id "
	"WHERE s.token_hash = $1";

int session_load(struct req *r)
{
	char token[64];
	unsigned char hash[32];
	const char *vals[1] = { (const char *)hash };
	int lens[1] = { 32 }, fmts[1] = { 1 };
	struct user *u = NULL;
	PGresult *res = NULL;
	PGconn *c;
	int rc = -1;
	bool peek = r->route != NULL && (r->route->flags & ROUTE_PEEKS_SESSION);

	if (cookie_get(r, SESSION_COOKIE, token, sizeof token) != 0 || strlen(token) != TOKEN_LEN)
		return 0;
	c = req_db(r);
	if (c == NULL)
		return -1;
	auth_token_hash(token, hash);
	res = db_prepared_exec(c, &session_stmt, vals, lens, fmts, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	if (PQntuples(res) == 1) {
		u = calloc(1, sizeof *u);
		if (u == NULL)
			goto out;
		r->session_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		snprintf(r->csrf, sizeof r->csrf, "%s", PQgetvalue(res, 0, 1));
		u->id = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
		snprintf(u->email, sizeof u->email, "%s", PQgetvalue(res, 0, 3));
		snprintf(u->name, sizeof u->name, "%s", PQgetvalue(res, 0, 4));
		if (role_parse(PQgetvalue(res, 0, 5), &u->role) != 0)
			goto out;
		u->verified = PQgetvalue(res, 0, 6)[0] == 't';
		r->user = u;
		u = NULL;
	} else {
		/* Ended: signed out, remembering whose it was when the account is enabled (so that
		 * a form sent with it can be kept: kept_form.c). Unknown (never issued, signed out,
		 * or swept): forgotten in the browser too, unless the route only peeks. */
		PQclear(res);
		res = exec_hash(c, lapsed_sql, hash, NULL, 0);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			log_errorf(__func__, "%s", PQerrorMessage(c));
			goto out;
		}
		if (PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 1), "t") == 0)
			r->lapsed_user_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		if (PQntuples(res) == 0 && !peek)
			http_add_header(r, "Set-Cookie", SESSION_COOKIE "=; Path=/; Secure; "
							 "HttpOnly; SameSite=Lax; Max-Age=0");
	}
	rc = 0;
out:
	free(u);
	PQclear(res);
	OPENSSL_cleanse(token, sizeof token);
	return rc;
}

int session_start(struct req *r, PGconn *c, const struct user *u)
{
	char token[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1], cookie[160];
	unsigned char hash[32];
	const char *idle = u->role == ROLE_CANDIDATE ? "2 hours" : "30 minutes";
	const char *vals[6];
	char uid[24], sid[24];
	int lens[6] = { 32, 0, 0, 0, 0, 0 }, fmts[6] = { 1, 0, 0, 0, 0, 0 };
	PGresult *res = NULL;
	struct user *copy = NULL;
	int rc = -1;

	if (auth_random_token(token) != 0 || auth_random_token(csrf) != 0)
		goto out;
	if (r->session_id != 0) {
		snprintf(sid, sizeof sid, "%lld", r->session_id);
		vals[0] = sid;
		res = PQexecParams(c, "DELETE FROM sessions WHERE id = $1", 1, NULL, vals, NULL, NULL, 0);
		PQclear(res);
	}
	auth_token_hash(token, hash);
	snprintf(uid, sizeof uid, "%lld", u->id);
	vals[0] = (const char *)hash;
	vals[1] = uid;
	vals[2] = csrf;
	vals[3] = idle;
	vals[4] = r->address;
	vals[5] = http_header(r, "User-Agent");
	res = PQexecParams(c,
			   "INSERT INTO sessions (token_hash, user_id, csrf_token, idle_timeout, "
			   "expires_at, address, user_agent) VALUES ($1, $2, $3, $4::interval, "
			   "now() + interval '" SESSION_ABSOLUTE "', $5, left($6, 300)) RETURNING id",
			   6, NULL, vals, lens, fmts, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	copy = malloc(sizeof *copy);
	if (copy == NULL)
		goto out;
	*copy = *u;
	free(r->user);
	r->user = copy;
	r->session_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	snprintf(r->csrf, sizeof r->csrf, "%s", csrf);
	snprintf(cookie, sizeof cookie,
		 SESSION_COOKIE "=%s; Path=/; Secure; HttpOnly; SameSite=Lax", token);
	if (http_add_header(r, "Set-Cookie", cookie) != 0)
		goto out;
	rc = 0;
out:
	PQclear(res);
	OPENSSL_cleanse(token, sizeof token);
	OPENSSL_cleanse(cookie, sizeof cookie);
	return rc;
}

int session_end(struct req *r, PGconn *c)
{
	const char *vals[1];
	char sid[24];
	PGresult *res;
	int rc;

	snprintf(sid, sizeof sid, "%lld", r->session_id);
	vals[0] = sid;
	res = PQexecParams(c, "DELETE FROM sessions WHERE id = $1", 1, NULL, vals, NULL, NULL, 0);
	rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
	PQclear(res);
	http_add_header(r, "Set-Cookie",
			SESSION_COOKIE "=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0");
	free(r->user);
	r->user = NULL;
	r->session_id = 0;
	r->csrf[0] = '\0';
	return rc;
}

long long session_end_all(PGconn *c, long long user_id, long long except_session_id)
{
	char uid[24], sid[24];
	const char *vals[2] = { uid, sid };
	PGresult *res;
	long long n = -1;

	snprintf(uid, sizeof uid, "%lld", user_id);
	snprintf(sid, sizeof sid, "%lld", except_session_id);
	res = PQexecParams(c, "DELETE FROM sessions WHERE user_id = $1 AND id <> $2", 2, NULL, vals,
			   NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_COMMAND_OK)
		n = strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return n;
}

const char *csrf_token(struct req *r)
{
	char cookie[128];

	if (r->csrf[0] != '\0')
		return r->csrf;
	if (cookie_get(r, CSRF_COOKIE, r->csrf, sizeof r->csrf) == 0 &&
	    strlen(r->csrf) == TOKEN_LEN)
		return r->csrf;
	if (auth_random_token(r->csrf) != 0) {
		r->csrf[0] = '\0';
		return r->csrf;
	}
	snprintf(cookie, sizeof cookie, CSRF_COOKIE "=%s; Path=/; Secure; HttpOnly; SameSite=Lax",
		 r->csrf);
	http_add_header(r, "Set-Cookie", cookie);
	return r->csrf;
}

/* True when url (an Origin or Referer value) is on this site: same scheme, host and port as
 * base_url, or as the Host the request was sent to. */
static bool same_site(const struct req *r, const char *url)
{
	const char *host = http_header(r, "Host");
	size_t n = strlen(app.cfg.base_url);

	if (strncmp(url, app.cfg.base_url, n) == 0 && (url[n] == '\0' || url[n] == '/'))
		return true;
	if (host == NULL || strncmp(url, "https://", 8) != 0)
		return false;
	n = strlen(host);
	return strncasecmp(url + 8, host, n) == 0 && (url[8 + n] == '\0' || url[8 + n] == '/');
}

bool origin_same_site(const struct req *r)
{
	const char *origin = http_header(r, "Origin"), *referer = http_header(r, "Referer");

	if (origin != NULL && strcmp(origin, "null") != 0)
		return same_site(r, origin);
	return origin == NULL && (referer == NULL || same_site(r, referer));
}

int csrf_verify(struct req *r)
{
	const char *sent = kv_get(&r->form, "csrf_token");
	char expected[64];

	if (!origin_same_site(r))
		return -1;
	if (r->session_id != 0)
		snprintf(expected, sizeof expected, "%s", r->csrf);
	else if (cookie_get(r, CSRF_COOKIE, expected, sizeof expected) != 0)
		return -1;
	if (sent == NULL || strlen(expected) != TOKEN_LEN || strlen(sent) != TOKEN_LEN ||
	    CRYPTO_memcmp(sent, expected, TOKEN_LEN) != 0)
		return -1;
	return 0;
}
