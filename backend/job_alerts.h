/* job_alerts.h - job alerts: anyone can ask to be emailed, daily or weekly, the new jobs that
 * match a search (Teaching Vacancies' "get job alerts").
 *
 * The search page links to /job-alerts/new with its search; the form takes an email address
 * (the signed-in user's, to start with) and how often. Nothing is sent until the address is
 * confirmed: the portal emails a link to /job-alerts/manage?token=..., whose page confirms the
 * alert with a button (a POST, so that mail scanners that open links confirm nothing). Every
 * alert email carries a link of its own to the same page, which stops the alert, and the same
 * address in a List-Unsubscribe header: mail programs stop the alert with one POST of
 * List-Unsubscribe=One-Click to it (RFC 8058), without the page. Links are
 * random tokens kept hashed (job_alert_tokens); one emailed to confirm lasts 7 days, one in an
 * alert email JOB_ALERT_LINK_DAYS. Unconfirmed alerts are deleted after 7 days. Asking again for
 * a search an address already follows replaces the old alert when the new one is confirmed.
 *
 * The periodic job (jobs.c) runs job_alerts_run_once every round: each due alert lists the live
 * jobs of its search published since it last looked (at most VACANCY_SEARCH_NEW_MAX, with the
 * number of the others and a link to them all), then is due again a day or a week later; an
 * alert with nothing new sends nothing. Jobs published in the last minute wait for the next
 * run, so that a publication still committing is never skipped.
 *
 * Handlers (handlers.h): job_alert_new, job_alert_create, job_alert_manage, job_alert_confirm,
 * job_alert_unsubscribe, job_alert_one_click.
 */
#ifndef PORTAL_JOB_ALERTS_H
#define PORTAL_JOB_ALERTS_H

#include <libpq-fe.h>

#include "auth.h"

#define JOB_ALERT_CONFIRM_DAYS 7    /* an unconfirmed alert and its link */
#define JOB_ALERT_LINK_DAYS 400     /* the "stop this alert" link of an alert email */
#define JOB_ALERTS_PER_EMAIL 20     /* alerts one address may have */
#define JOB_ALERTS_PER_ROUND 200    /* alerts sent per round of the periodic job */
#define JOB_ALERT_SEARCH_MAX 4000   /* bytes of a search's query string (job_alerts.search) */

/* SQL: how long an alert of frequency f (an SQL expression, 'daily' or 'weekly') waits between
 * two looks. */
#define JOB_ALERT_PERIOD_SQL(f) \
	"CASE " f " WHEN 'daily' THEN interval '1 day' ELSE interval '7 days' END"

/* Creates a link token for alert_id valid `days` days, in the caller's transaction on c;
 * writes it (TOKEN_LEN characters + NUL) into out. Returns 0 or -1 (logged). */
int job_alert_token_issue(PGconn *c, long long alert_id, int days, char out[TOKEN_LEN + 1]);

/* One round on connection c (not in a transaction): unconfirmed alerts and expired links
 * deleted, then every due alert (at most JOB_ALERTS_PER_ROUND) looked at and emailed when it
 * has new jobs, one transaction each, picked with FOR UPDATE SKIP LOCKED so that several
 * instances never send one twice. Returns the number of emails enqueued, or -1 when something
 * failed (logged; what was done stays done). For the job thread and for tests. */
int job_alerts_run_once(PGconn *c);

#endif
