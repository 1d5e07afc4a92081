/* application_summary.h - the daily summary of applications for a hiring manager who chose it
 * on /account (EMAIL_APPLICATION_SUMMARY, email_preferences.h) instead of an email for each
 * application and withdrawal (application_lifecycle.c then leaves them out).
 *
 * Each morning from APPLICATION_SUMMARY_HOUR (Europe/London) the periodic job (jobs.c) emails
 * each such account (enabled, school staff, a hiring manager) one summary
 * (email/application_summary): for each job of its schools, how many applications were
 * submitted and how many withdrawn since the end of the last summary (users.
 * application_summary_until: at most a day before, or when the summary was turned on) up to
 * that morning's hour, with a link to the job's applications. Nothing is sent when nothing
 * happened; the account's window moves on either way, so each application is summed up once.
 * Accounts are claimed APPLICATION_SUMMARY_BATCH at a time with FOR UPDATE SKIP LOCKED and
 * marked and emailed in one transaction per batch, however many instances run.
 */
#ifndef PORTAL_APPLICATION_SUMMARY_H
#define PORTAL_APPLICATION_SUMMARY_H

#include <libpq-fe.h>

#define APPLICATION_SUMMARY_HOUR 7
#define APPLICATION_SUMMARY_BATCH 100  /* accounts a transaction */
#define APPLICATION_SUMMARY_MAX 1000   /* accounts a round; the rest wait a round */

/* One round on c (not in a transaction). Returns the number of batches done, or -1 when one
 * failed (logged, rolled back; the batches before stay done). */
int application_summary_run_once(PGconn *c);

#endif
