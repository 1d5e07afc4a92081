/* application_jobs.h - the periodic work on applications, done by the job thread (jobs.c) in
 * each round after the vacancies have opened and closed:
 *
 * Reminders  a draft whose vacancy is published and closes within APPLICATION_REMINDER_HOURS,
 *            not reminded yet, of an enabled account that has not turned
 *            EMAIL_APPLICATION_REMINDER off: email/application_reminder to the account's address
 *            with the link to the draft, and reminder_sent_at set. One transaction each, the
 *            draft picked with FOR UPDATE SKIP LOCKED: however many instances run, a draft is
 *            reminded once.
 * Retention  an application whose vacancy closed (closed_at, or closes_at when closed_at is
 *            NULL) more than app.cfg.retention_unsuccessful_days ago - any status but accepted,
 *            drafts included - or, accepted, more than app.cfg.retention_accepted_days ago, is
 *            deleted with its documents, notes, interviews and equal-opportunities answers
 *            (ON DELETE CASCADE). status_events rows stay: they hold no personal data. At most
 *            APPLICATION_RETENTION_BATCH a round, in one transaction (rows locked by another
 *            instance are skipped); one log line with the count when any were deleted.
 */
#ifndef PORTAL_APPLICATION_JOBS_H
#define PORTAL_APPLICATION_JOBS_H

#include <libpq-fe.h>

#define APPLICATION_REMINDER_HOURS 48
#define APPLICATION_REMINDERS_MAX 1000     /* reminders a round; the rest wait a round */
#define APPLICATION_RETENTION_BATCH 1000   /* deletions a round; the rest wait a round */

/* One round on connection c (not in a transaction): the due reminders, then one retention
 * batch, with app.cfg's retention periods (and app.templates for the emails). Returns the
 * number of reminders sent plus applications deleted, or -1 when something failed (logged;
 * what was done stays done, and a failure of one kind does not stop the other). For the job
 * thread and for tests. */
int application_jobs_run_once(PGconn *c);

#endif
