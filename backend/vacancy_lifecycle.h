/* vacancy_lifecycle.h - the one place a vacancy's status changes.
 *
 * The machine, as a table {from, event, to}:
 *	draft      -publish->    published   publish now (a hiring manager)
 *	draft      -schedule->   scheduled   publish_at in the future (a hiring manager)
 *	scheduled  -go_live->    published   publish_at reached (the periodic job)
 *	scheduled  -unschedule-> draft       back to draft (a hiring manager)
 *	scheduled  -extend->     scheduled   a later closing date, with a reason
 *	published  -extend->     published   a later closing date, with a reason
 *	published  -end->        closed      ended early: a reason and whether the post was filled
 *	published  -close->      closed      closes_at reached (the periodic job)
 *	closed     -outcome->    closed      whether the post was filled, told (or corrected)
 *	                                     after it closed (a hiring manager)
 *	draft      -delete->     (deleted)   the row is deleted; its history stays
 * Closed is final: nothing leaves it (copy the vacancy instead); only its outcome may be
 * told. Every change locks the row (FOR UPDATE), checks the transition, updates status and
 * timestamps, records one status_events row (entity 'vacancy') and queues the emails the
 * change sends (close and end: vacancy_mail.h), all in the caller's transaction.
 */
#ifndef PORTAL_VACANCY_LIFECYCLE_H
#define PORTAL_VACANCY_LIFECYCLE_H

#include <jansson.h>
#include <libpq-fe.h>

/* What vacancy_transition decided (a database error is -1). */
enum vacancy_transition_result {
	VT_DONE = 0,        /* changed and recorded */
	VT_NOT_FOUND = 1,   /* no such vacancy */
	VT_NOT_ALLOWED = 2, /* the event does not apply to the vacancy's current status */
	VT_NOT_READY = 3,   /* it applies, but a date is not right: publish with closes_at passed,
			     * schedule with publish_at not in the future or closes_at not after
			     * it, go_live/close before their time, extend to a closing date that
			     * is not later than the current one (or not in the future) */
};

/* Applies `event` ("publish", "schedule", "go_live", "unschedule", "extend", "end", "close",
 * "outcome", "delete") to vacancy id in the caller's transaction, by actor_id (0: the periodic
 * job), with a reason (NULL for none; required by the callers of extend and end). detail
 * (borrowed, may be NULL) is stored in the status_events row; three events read it:
 *	extend:  {"closes_at": "<timestamptz>"}  the new closing time (required)
 *	end:     {"filled": true|false}          whether the post was filled (required)
 *	outcome: {"filled": true|false}          the same, told after closing (required)
 * extend also records the previous closing time as detail.previous_closes_at. The status_events
 * row names the status before and after ('deleted' after delete). Returns a
 * vacancy_transition_result, or -1 on a database error or bad arguments (logged); on anything
 * but VT_DONE nothing was changed, and the caller rolls back. */
int vacancy_transition(PGconn *c, long long id, const char *event, long long actor_id,
		       const char *reason, json_t *detail);

/* Records the creation of vacancy id (a new draft, or a copy when copied_from > 0) as its
 * first status_events row: from NULL to draft, event 'create'. Caller's transaction. Returns
 * 0, or -1 (logged). */
int vacancy_record_created(PGconn *c, long long id, long long actor_id, long long copied_from);

#endif
