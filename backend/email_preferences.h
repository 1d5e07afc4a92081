/* email_preferences.h - the optional emails an account may turn off on /account: the
 * reminders and notices that are not about its security or a candidate's applications.
 * users.email_opt_out holds the keys an account has turned off (migration 0013). A few are off
 * until turned on ("chosen": EMAIL_CHOSEN_SQL), held in users.email_opt_in (migration 0019):
 * EMAIL_APPLICATION_SUMMARY, a daily summary of applications instead of an email for each
 * (application_summary.h). */
#ifndef EMAIL_PREFERENCES_H
#define EMAIL_PREFERENCES_H

#include <jansson.h>
#include <libpq-fe.h>

#include "auth.h"

/* The keys, in SQL text (EMAIL_WANTED_SQL, HIRING_MANAGER_EMAILS_SQL: auth.h) and in the form
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

#endif
