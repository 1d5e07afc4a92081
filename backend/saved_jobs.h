/* saved_jobs.h - a candidate's saved jobs (saved_jobs.c; handlers in handlers.h) and the
 * reminders that they close soon (saved_jobs_reminders.c). */
#ifndef PORTAL_SAVED_JOBS_H
#define PORTAL_SAVED_JOBS_H

#include <libpq-fe.h>
#include <stdbool.h>

/* The most jobs one candidate's list holds. */
#define SAVED_JOBS_MAX 200

/* Reminders of saved jobs that close soon, sent by the periodic job (jobs.c): a saved job
 * that is live and closes within SAVED_JOBS_REMINDER_HOURS, saved at least
 * SAVED_JOBS_REMINDER_SAVED_HOURS ago (not one just saved), that its candidate (an enabled,
 * verified account that has not turned EMAIL_SAVED_JOB_CLOSING off) has no application for -
 * a draft has its own reminder (application_jobs.h) - and was not reminded of yet. */
#define SAVED_JOBS_REMINDER_HOURS 48
#define SAVED_JOBS_REMINDER_SAVED_HOURS 24
#define SAVED_JOBS_REMINDERS_MAX 1000   /* candidates a round; the rest wait a round */

/* One round of reminders on c (not in a transaction): for each candidate with due saved jobs,
 * one email/saved_jobs_closing to their account address listing them (closing soonest first)
 * and reminder_sent_at set on each, in one transaction per candidate whose rows are locked
 * (FOR UPDATE SKIP LOCKED): however many instances run, a saved job is reminded of once.
 * Returns the number of emails queued, or -1 when one failed (logged, rolled back). */
int saved_jobs_remind(PGconn *c);

#endif
