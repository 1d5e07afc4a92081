/* vacancy_reminders.h - reminders about a live vacancy, sent to its school by the periodic job
 * (jobs.c):
 *
 * no_applications  a live vacancy that closes within VACANCY_QUIET_HOURS, was published at least
 *                  VACANCY_QUIET_LIVE_DAYS days ago and has no application yet (submitted or
 *                  later): its school's hiring managers (HIRING_MANAGERS_SQL, those who
 *                  have not turned EMAIL_LISTING_NO_APPLICATIONS off) are emailed
 *                  (email/vacancy_no_applications) how often its page was viewed (vacancy_views.h)
 *                  and that they can extend the closing date, with a link to the listing.
 *
 * Each reminder of a vacancy is sent once (table vacancy_reminders): vacancies are picked
 * VACANCY_REMINDERS_BATCH at a time with FOR UPDATE SKIP LOCKED, marked and emailed in one
 * transaction per batch, however many instances run.
 */
#ifndef PORTAL_VACANCY_REMINDERS_H
#define PORTAL_VACANCY_REMINDERS_H

#include <libpq-fe.h>

#define VACANCY_QUIET_HOURS 72
#define VACANCY_QUIET_LIVE_DAYS 7
#define VACANCY_REMINDERS_BATCH 100  /* vacancies a transaction */
#define VACANCY_REMINDERS_MAX 1000   /* vacancies a round; the rest wait a round */

/* One round on c (not in a transaction). Returns the number of batches sent, or -1 when one
 * failed (logged, rolled back; the batches before stay done). */
int vacancy_reminders_run_once(PGconn *c);

#endif
