/* jobs.h - the periodic job of the server: scheduled vacancies go live and published ones
 * close on time without anyone acting.
 *
 * A thread wakes every JOBS_INTERVAL_MS (and once at start), borrows a pooled connection and
 * moves every due vacancy through vacancy_transition(): scheduled with publish_at reached ->
 * published (go_live), published with closes_at reached -> closed (close, which also emails
 * the school's hiring managers: vacancy_mail.h); one transaction per vacancy (db_each_tx),
 * each picked with FOR UPDATE SKIP LOCKED, so several portal instances never process the same
 * vacancy twice. One log line per change. Each round then runs
 * application_jobs_run_once (application_jobs.h): draft reminders and the retention of
 * applications; application_summary_run_once (application_summary.h): hiring managers' daily
 * summaries of applications; job_alerts_run_once (job_alerts.h): job alert emails;
 * saved_jobs_remind (saved_jobs.h): saved jobs that close soon; vacancy_reminders_run_once
 * (vacancy_reminders.h): live listings without applications shortly before they close; and
 * vacancy_views_flush (vacancy_views.h): the vacancy pages' views counted since the last
 * round, flushed once more when the thread stops; and link_tokens_expire
 * (auth.h): the expired links that stop optional emails, and the kept forms no one sent on.
 */
#ifndef PORTAL_JOBS_H
#define PORTAL_JOBS_H

#include <libpq-fe.h>

#define JOBS_INTERVAL_MS 15000

/* Starts the thread (call after db_pool_init and server_start). Returns 0, or -1 (logged). */
int jobs_start(void);
/* Stops the thread promptly and waits for the round in progress (call before db_pool_close).
 * Does nothing when it was never started. */
void jobs_stop(void);

/* One round on connection c (not in a transaction): every due vacancy moved, at most 1000 of
 * each kind. Returns the number of changes made, or -1 when a change failed (logged; the
 * changes made stay made, and a failure stops only its own kind for this round). For the
 * thread and for tests. */
int jobs_run_once(PGconn *c);

#endif
