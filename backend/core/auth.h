/* auth.h - who is making the request, and may they: sessions, CSRF, tenancy, tokens, rate
 * limits and the audit log. The request pipeline (server.c) loads the session and enforces each
 * route's role and the CSRF check before any handler runs; handlers only call these helpers.
 *
 * Implementations: session.c (sessions, cookies, CSRF), tokens.c (single-use email tokens),
 * ratelimit.c, audit.c, tenancy.c.
 */
#ifndef PORTAL_AUTH_H
#define PORTAL_AUTH_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "http.h"
#include "router.h"

/* ---- people ----------------------------------------------------------------------------- */

struct user {
	long long id;
	char email[256];
	char name[808];          /* up to 200 characters of UTF-8 */
	enum role role;          /* ROLE_CANDIDATE, ROLE_SCHOOL_STAFF, ROLE_HR or ROLE_ADMIN */
	bool verified;           /* email address confirmed */
};

/* "candidate" <-> ROLE_CANDIDATE etc. role_parse returns -1 for an unknown name. */
const char *role_name(enum role role);
int role_parse(const char *name, enum role *out);
/* True when a user of role `have` may use a route that requires `need` (admin > hr and school
 * staff; ROLE_ANY needs only a signed-in user; ROLE_SCHOOL_OR_HR school staff, HR and admin).
 * Candidate routes - a profile, applications - are for candidates alone: staff, HR and admin
 * accounts have neither. */
bool role_allows(enum role have, enum role need);

/* ---- sessions (session.c) -------------------------------------------------------------- */

/* 32 random bytes as base64url (TOKEN_LEN characters) into out. Returns 0 or -1. */
int auth_random_token(char out[44]);
/* SHA-256 of a token, as stored in sessions.token_hash and user_tokens.token_hash. */
void auth_token_hash(const char *token, unsigned char out[32]);
/* Copies the value of cookie `name` in a Cookie header (NULL for none) into out: the first
 * "name=value" pair, the value up to the next ';'. Returns 0 when found and it fits in outlen
 * bytes with its NUL, -1 otherwise. */
int cookie_value(const char *header, const char *name, char *out, size_t outlen);

/* Reads the __Host-session cookie and, when it names a live session of an enabled user, fills
 * r->user and r->session_id and refreshes the idle timer. An ended session of an enabled user
 * sets r->lapsed_user_id; it is deleted (and the cookie cleared) unless r's route has
 * ROUTE_PEEKS_SESSION. Returns 0 (signed in or not), -1 when the database could not be asked
 * (answer 503). */
int session_load(struct req *r);

/* Signs `u` in on this request: deletes the request's current session (if any), creates a new
 * one with a fresh token (new session id at every login and privilege change) and adds its
 * Set-Cookie header. The idle timeout follows u->role. Returns 0 or -1. */
int session_start(struct req *r, PGconn *c, const struct user *u);

/* Signs out: deletes the current session and clears the cookie. Returns 0 or -1. */
int session_end(struct req *r, PGconn *c);

/* Deletes every session of user_id except except_session_id (0: all). Returns the number
 * deleted or -1. */
long long session_end_all(PGconn *c, long long user_id, long long except_session_id);

/* The CSRF token to put in a form (hidden field "csrf_token"): the session's, or for a visitor
 * who is not signed in a random token also set as the __Host-csrf cookie (double submit).
 * Never NULL after the pipeline has run. view_render adds it to every page as {{csrf_token}}. */
const char *csrf_token(struct req *r);

/* For POST/PUT/PATCH/DELETE: checks the form's csrf_token against the session's (or the
 * __Host-csrf cookie's), and that Origin (or Referer) is this site when present. Returns 0 when
 * the request may proceed, -1 when it must be refused with 403. */
int csrf_verify(struct req *r);

/* True when the request's Origin (or, without one, its Referer) is this site, or it has
 * neither: the cross-site check of csrf_verify. */
bool origin_same_site(const struct req *r);

/* ---- single-use tokens (tokens.c) ------------------------------------------------------- */

#define TOKEN_LEN 43     /* 32 random bytes, base64url without padding */

/* Creates a token for user_id and purpose ("verify_email", "reset_password", "invitation",
 * "change_email"), valid for ttl_seconds; only its SHA-256 is stored. new_email only for
 * change_email, else NULL. Earlier unused tokens of the same user and purpose are revoked.
 * Writes the token (TOKEN_LEN chars + NUL) into out. Returns 0 or -1. Runs in the caller's
 * transaction. */
int token_issue(PGconn *c, long long user_id, const char *purpose, int ttl_seconds,
		const char *new_email, char out[TOKEN_LEN + 1]);

/* Checks a token without using it (to show the form it leads to). Returns the user id, 0 when
 * the token is unknown, used, expired or of another purpose, -1 on a database error. */
long long token_peek(PGconn *c, const char *token, const char *purpose);

/* Uses a token: marks it used and returns its user id (and new_email for change_email, into a
 * buffer of 256 bytes, may be NULL). 0 when unknown, used, expired or of another purpose; -1 on
 * a database error. Single use even under concurrent requests (one UPDATE ... RETURNING). */
long long token_consume(PGconn *c, const char *token, const char *purpose, char *new_email);

/* ---- link tokens (tokens.c): links in emails that work until they expire, not once -------- */

/* Creates a token into out and runs sql, an INSERT into a table of link tokens, with the
 * token's SHA-256 as $1 (bytea) and the n (at most 4) texts vals as $2, ... Returns 0, or -1
 * (logged; out wiped). Runs in the caller's transaction. */
int link_token_insert(PGconn *c, const char *sql, int n, const char *const *vals,
		      char out[TOKEN_LEN + 1]);

/* Runs sql, a SELECT of at most one row, with the SHA-256 of token as $1 (bytea). Returns 1
 * with the row's result in *res (the caller PQclears it), 0 when there is no row or token is
 * not a token (NULL, or not TOKEN_LEN characters), -1 on a database error (logged). */
int link_token_find(PGconn *c, const char *sql, const char *token, PGresult **res);

/* Deletes what has expired of the stop links of optional emails (email_stop_tokens) and of the
 * kept forms (kept_forms), and the sessions that ended more than KEPT_FORM_HOURS ago: the
 * periodic job's. Returns 0 or -1 (logged). */
int link_tokens_expire(PGconn *c);

/* ---- kept forms (kept_form.c) ----------------------------------------------------------- */

/* Hours a kept form waits for its account to sign in again. */
#define KEPT_FORM_HOURS 2

/* Keeps the form of r - a POST of an url-encoded form (its fields in r->form: the caller
 * checks) to a route that keeps forms (ROUTE_KEEPS_FORM) whose session has ended
 * (r->lapsed_user_id) - for that account, without its CSRF token, and writes the token of its
 * link into token: the account sends it on from /account/kept-form after signing in again. A
 * request from another site or a form over the column's limit is not kept. Returns 1 when
 * kept, 0 when not, -1 on a database error (logged). */
int kept_form_keep(struct req *r, char token[TOKEN_LEN + 1]);

/* The form kept under token for account user_id: 1 with its path and fields (url-encoded) in
 * *res (columns 0 and 1; the caller PQclears it), 0 when there is none (unknown, expired,
 * another account's), -1 on a database error (logged). */
int kept_form_find(PGconn *c, const char *token, long long user_id, PGresult **res);

/* ---- rate limits (ratelimit.c) ---------------------------------------------------------- */

/* Counts one hit against key (e.g. "login:addr:192.0.2.1") in a fixed window of window_s
 * seconds. Returns 1 when allowed, 0 when over the limit (then *retry_after is the seconds
 * until it may try again; each window exceeded in a row doubles the block, up to an hour),
 * -1 on a database error. Kept in PostgreSQL: holds across restarts and instances. */
int ratelimit_hit(PGconn *c, const char *key, int limit, int window_s, int *retry_after);
/* Forgets key (after a successful login). Returns 0 or -1. */
int ratelimit_reset(PGconn *c, const char *key);
/* Answers 429 with Retry-After and the "too many attempts" page. Returns the status. */
int ratelimit_refuse(struct req *r, int retry_after);

/* ---- audit log (audit.c) ---------------------------------------------------------------- */

/* An action the audit log records: its value (e.g. "login.success", "user.invite",
 * "export") and the label people read. */
struct audit_action {
	const char *value;
	const char *label;
};

/* The i-th action the portal records (audit.c holds the one list), or NULL past the last. */
const struct audit_action *audit_action(size_t i);

/* The label of action, or NULL when the portal records no such action. */
const char *audit_action_label(const char *action);

/* Records action (one of audit_action's; any other is refused and logged) by the request's
 * user (or actor_email when no one is signed in, e.g. a failed login: may be NULL) on
 * object_type/object_id, from the request's address. detail is borrowed (may be NULL) and must
 * never hold a password, token or session id. Returns 0 or -1. */
int audit(PGconn *c, const struct req *r, const char *action, const char *actor_email,
	  const char *object_type, const char *object_id, json_t *detail);

/* ---- tenancy (tenancy.c) ---------------------------------------------------------------- */

enum school_access {
	SCHOOL_VIEWER = 1,         /* may read the school's objects */
	SCHOOL_HIRING_MANAGER = 2, /* may change them */
};

/* The one tenancy check: may the request's user act on school urn at level `need`? HR and
 * admin may act on every school. Returns 0 when allowed, 404 when not (another tenant's object
 * is "not found"), -1 on a database error. */
int tenancy_school(struct req *r, PGconn *c, long urn, enum school_access need);

/* The same check for a handler about one object of school urn, in one query, answering when it
 * fails: 404 when the user may not even read the school's objects, 403 with viewer_message when
 * they may read but need SCHOOL_HIRING_MANAGER, 503 on a database error. Returns 0 (then
 * *can_manage, may be NULL, says whether they may change the school's objects), or the status
 * sent, negated. */
int tenancy_require(struct req *r, PGconn *c, long urn, enum school_access need,
		    const char *viewer_message, bool *can_manage);

/* For SQL that lists a school-owned table, the one way to scope it: the condition "the user
 * may see rows of school <column>", with the user id as parameter $<uparam> and "is HR/admin"
 * as $<allparam>, both string literals of parameter numbers, e.g.
 *	"SELECT ... FROM vacancies v WHERE " TENANCY_SQL("v.school_urn", "1", "2")
 * with params[0], params[1] filled by tenancy_params(). */
#define TENANCY_SQL(column, uparam, allparam)                                                  \
	"($" allparam "::boolean OR EXISTS (SELECT 1 FROM school_memberships tm WHERE "        \
	"tm.user_id = $" uparam "::bigint AND tm.school_urn = " column "))"

/* For SQL: true when the account `alias` (a users row) wants the optional email `key` (a
 * string literal: the keys are in email_preferences.h). */
#define EMAIL_WANTED_SQL(alias, key) "NOT '" key "' = ANY (" alias ".email_opt_out)"

/* For SQL: true when the account `alias` turned on the optional email `key`, one that is off
 * until turned on (users.email_opt_in). */
#define EMAIL_CHOSEN_SQL(alias, key) "'" key "' = ANY (" alias ".email_opt_in)"

/* For SQL: the JSON array (text) of [account id, address] of the hiring managers of school
 * <column> whose accounts are enabled and meet `cond` (SQL over their users row `hu`), oldest
 * account first: to whom a school's emails go (email_optional_enqueue_each:
 * email_preferences.h). HIRING_MANAGERS_SQL: those who want the optional email `key`
 * (EMAIL_WANTED_SQL). */
#define HIRING_MANAGERS_WHERE_SQL(column, cond)                                                \
	"(SELECT coalesce(json_agg(json_build_array(hu.id, hu.email) ORDER BY hu.id), '[]') "  \
	"FROM school_memberships hm JOIN users hu ON hu.id = hm.user_id WHERE hm.school_urn = " \
	column " AND hm.role = 'hiring_manager' AND hu.disabled_at IS NULL AND " cond ")"
#define HIRING_MANAGERS_SQL(column, key)                                                       \
	HIRING_MANAGERS_WHERE_SQL(column, EMAIL_WANTED_SQL("hu", key))

/* Fills the two TENANCY_SQL parameters for the request's user: uid (a buffer of 24 bytes) and
 * *all ("true" for HR/admin, else "false"). An anonymous request gets uid "0". */
void tenancy_params(const struct req *r, char uid[24], const char **all);

#endif
