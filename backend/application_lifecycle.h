/* application_lifecycle.h - the one place an application's status changes.
 *
 * The machine, as one table {from, event, to, who}:
 *	draft        -submit->    submitted     the candidate (vacancy open, sections complete)
 *	draft        -delete->    (deleted)     the candidate: the row is deleted, history stays
 *	submitted    -shortlist-> shortlisted   a hiring manager
 *	shortlisted  -interview-> interviewing  a hiring manager, with the interview's details
 *	interviewing -interview-> interviewing  rearranged (same iCalendar UID, SEQUENCE + 1)
 *	interviewing -offer->     offered       a hiring manager
 *	offered      -accept->    accepted      a hiring manager records the candidate's answer
 *	offered      -decline->   declined      a hiring manager records the candidate's answer
 *	submitted, shortlisted, interviewing, offered
 *	             -reject->    unsuccessful  a hiring manager ("not progressing")
 *	submitted, shortlisted, interviewing, offered
 *	             -withdraw->  withdrawn     the candidate, with a reason
 * accepted, declined, unsuccessful and withdrawn are final.
 *
 * Every change locks the row (FOR UPDATE), checks the table, updates status, status_changed_at
 * (and submitted_at, withdrawn_reason), records one status_events row (entity 'application',
 * actor, reason, detail) and enqueues the emails (mail_enqueue, same transaction):
 *	submit     the candidate: confirmation (email/application_submitted); every hiring manager
 *	           of the vacancy's school: a new application (email/application_received)
 *	shortlist, offer, accept, decline, reject
 *	           the candidate: email/application_status (one template, wording by status)
 *	interview  the candidate: email/application_interview with an invite.ics attachment
 *	withdraw   the hiring managers: email/application_withdrawn
 * The candidate's emails go to their account's address (verified: an address typed into the
 * application could be anyone's); an anonymised application's candidate gets none.
 * All of it in the caller's transaction: it happens only if the caller commits.
 */
#ifndef PORTAL_APPLICATION_LIFECYCLE_H
#define PORTAL_APPLICATION_LIFECYCLE_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

enum application_transition_result {
	AT_DONE = 0,        /* changed, recorded, emails enqueued */
	AT_NOT_FOUND = 1,   /* no such application */
	AT_NOT_ALLOWED = 2, /* the event does not apply to the current status (e.g. a second
			     * submit of the same application: the caller shows the submitted one) */
	AT_CLOSED = 3,      /* submit after the vacancy's closing time, or to a vacancy not live */
};

/* Applies event ("submit", "delete", "shortlist", "interview", "offer", "accept", "decline",
 * "reject", "withdraw") to application id, by actor_id, in the caller's transaction. reason
 * (NULL for none) is stored in status_events (and as withdrawn_reason for withdraw). detail
 * (borrowed, may be NULL) goes into status_events.detail; interview requires
 * {"starts_at": "<timestamptz>", "duration_minutes": N, "place": "...", "panel": "...",
 * "details": "..."} and inserts the application_interviews row. Returns an
 * application_transition_result, or -1 on a database error or bad arguments (logged); on
 * anything but AT_DONE nothing was changed and the caller rolls back. */
int application_transition(PGconn *c, long long id, const char *event, long long actor_id,
			   const char *reason, json_t *detail);

/* True when the table above lets event ("shortlist", ...) apply to an application in status
 * from (for pages that offer only the actions that can succeed). */
bool application_event_allowed(const char *from, const char *event);

/* Records the creation of draft application id (status_events: NULL -> draft, 'create').
 * Caller's transaction. Returns 0 or -1 (logged). */
int application_record_created(PGconn *c, long long id, long long actor_id);

#endif
