/* accounts.h - what the account pages (accounts.c, accounts_password.c, accounts_settings.c)
 * share: reading and checking form fields, the GOV.UK error model, looking a user up, rate
 * limits, transactions and where each role starts.
 */
#ifndef PORTAL_ACCOUNTS_H
#define PORTAL_ACCOUNTS_H

/* Sign-in attempts a minute from one address (the account's own limit is 5). */
#define LOGIN_ADDRESS_LIMIT 20

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

#include "auth.h"
#include "fields.h"
#include "http.h"
#include "password.h"


/* Token lifetimes. */
#define VERIFY_TTL (24 * 3600)
#define RESET_TTL 3600
#define EMAIL_CHANGE_TTL (24 * 3600)

/* One user row, with what signing in needs. */
struct account {
	struct user u;
	char hash[PASSWORD_HASH_MAX];  /* the stored PHC string; "" when none is set */
	bool has_hash;
	bool disabled;
};

/* Looks a user up by email (case-insensitive; id ignored) or, when email is NULL, by id.
 * Returns 1 and fills *out when found, 0 when there is no such user, -1 on a database error
 * (logged). */
int account_find(PGconn *c, const char *email, long long id, struct account *out);

/* Stores a new password hash for user id. Returns 0 or -1 (logged). */
int account_set_hash(PGconn *c, long long id, const char *hash);

/* Counts one attempt at `action` against the client's address (addr_limit per window_s) and,
 * when email is not NULL, against that email address ignoring case (email_limit per window_s),
 * keys "<action>:addr:<ip>" and "<action>:email:<email>". Returns 0 when allowed; otherwise it
 * has answered (429 with Retry-After and the "too many attempts" page, or 503) and returns
 * the status sent. */
int account_throttle(struct req *r, PGconn *c, const char *action, const char *email,
		     int addr_limit, int email_limit, int window_s);

/* Forgets the "<action>:email:<email>" counter (after a successful sign-in). Returns 0 or -1. */
int account_throttle_reset(PGconn *c, const char *action, const char *email);

/* Enqueues email template `tmpl` to `to` with model {name, link: <path><token>}, or just
 * {name} when path is NULL (token is then ignored). Returns 0 or -1. The caller's transaction
 * decides whether it is sent. */
int account_mail_link(PGconn *c, const char *to, const char *tmpl, const char *name,
		      const char *path, const char *token);

/* Checks the signed-in user's current password (throttled like a sign-in: "login" keys; the
 * counter is reset when it is right). Returns 1 when right, 0 when wrong (message `wrong` for
 * field is added to model), or the negative of the status already sent (429, 503, 500).
 * (accounts_settings.c) */
int account_check_password(struct req *r, PGconn *c, const char *password, const char *field,
			   const char *wrong, json_t *model);

/* Renders /account with status: the account, its optional emails, its sessions, the banner
 * named by ?done= and whatever model already holds (errors, typed values). Returns the status
 * sent. (accounts_settings.c) */
int account_settings_render(struct req *r, PGconn *c, int status, json_t *model);

/* Where a user of `role` starts: candidate /account, school staff /school (their dashboard),
 * HR and admin /hr/users. */
const char *account_home(enum role role);

/* next when it is a path of this site ("/..." but not "//..." or "/\...", printable ASCII
 * only), else NULL. So a next= parameter can never send a user to another site. */
const char *account_local_path(const char *next);

/* Renders the page for a link (token) that is unknown, used or expired, status 400. what is
 * "verify", "reset" or "email": it chooses the advice given. */
int account_link_invalid(struct req *r, const char *what);

#endif
