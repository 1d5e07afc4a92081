/* email_preferences.h - the optional emails an account may turn off on /account: the
 * reminders and notices that are not about its security or a candidate's applications.
 * users.email_opt_out holds the keys an account has turned off (migration 0013). A few are off
 * until turned on ("chosen": EMAIL_CHOSEN_SQL), held in users.email_opt_in (migration 0019):
 * EMAIL_APPLICATION_SUMMARY, a daily summary of applications instead of an email for each
 * (application_summary.h).
 *
 * Every such email carries a link of its own that turns it off for its account without
 * signing in, also its List-Unsubscribe address (email_stop.c: email_optional_enqueue). */
#ifndef EMAIL_PREFERENCES_H
#define EMAIL_PREFERENCES_H

#include <jansson.h>
#include <stdbool.h>
#include <libpq-fe.h>

#include "auth.h"

/* The keys, in SQL text (EMAIL_WANTED_SQL, HIRING_MANAGERS_SQL: auth.h) and in the form
 * (checkbox values of field "emails"). */
#define EMAIL_APPLICATION_UPDATES "application_updates"         /* school staff */
#define EMAIL_APPLICATION_SUMMARY "application_summary"         /* school staff, chosen */
#define EMAIL_LISTING_LIVE "listing_live"                       /* school staff */
#define EMAIL_LISTING_NO_APPLICATIONS "listing_no_applications" /* school staff */
#define EMAIL_LISTING_CLOSED "listing_closed"                   /* school staff */
#define EMAIL_SAVED_JOB_CLOSING "saved_job_closing"             /* candidates */
#define EMAIL_APPLICATION_REMINDER "application_reminder"       /* candidates */

/* The settings page's model of the emails a user of u's role may turn off: a new array
 * [{value, label, hint, id, checked}] (empty for HR and admin), checked unless turned off.
 * NULL on a database error (logged) or when out of memory. */
json_t *email_preferences_model(PGconn *c, const struct user *u);

/* What the optional email `key` is, as /account labels its box ("When a job listing closes,
 * with how many people applied"), and in *chosen whether it is off until turned on; NULL when
 * key is not one of the keys above. */
const char *email_preference_label(const char *key, bool *chosen);

/* ---- the links that stop an optional email (email_stop.c) ------------------------------- */

/* Days an email's link to stop it works. */
#define EMAIL_STOP_DAYS 90

/* mail_enqueue (mail.h) of the optional email `key` from template email/<name> to address `to`
 * of account user_id, in the caller's transaction: model (the caller keeps it) plus
 * `unsubscribe`, a link of this message's own that turns `key` off for the account, which the
 * email shows (email/partials/settings_link) and which goes out as its List-Unsubscribe.
 * Returns 0 or -1 (logged). */
int email_optional_enqueue(PGconn *c, long long user_id, const char *to, const char *key,
			   const char *name, json_t *model);

/* email_optional_enqueue to each [account id, address] of `recipients`, a JSON array as text
 * (the column HIRING_MANAGERS_SQL reads: auth.h); an element that is not such a pair with one
 * plausible address (mail_address_ok) is skipped. Returns the number of messages queued, or -1
 * (logged) when recipients is not a JSON array or a message could not be queued (the caller
 * rolls back). */
int email_optional_enqueue_each(PGconn *c, const char *recipients, const char *key,
				const char *name, json_t *model);

#endif
