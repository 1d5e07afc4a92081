/* status_events.h - the history of status changes, one row per change.
 *
 * A status_events row names the entity ('vacancy', 'application'), its id, the status before
 * (NULL when the entity is created) and after, the event, who caused it (NULL: the periodic
 * job), a reason and a JSON detail. The lifecycles (vacancy_lifecycle.h,
 * application_lifecycle.h) write it through status_event_record, in the same transaction as
 * the change itself.
 */
#ifndef PORTAL_STATUS_EVENTS_H
#define PORTAL_STATUS_EVENTS_H

#include <jansson.h>
#include <libpq-fe.h>

/* Inserts one status_events row for entity ("vacancy", "application") id, in the caller's
 * transaction: from (NULL on creation) -> to by event, actor_id (0: none, stored as NULL),
 * reason (NULL for none) and detail (a JSON object, borrowed; NULL: {}). Returns 0, or -1
 * (logged). */
int status_event_record(PGconn *c, const char *entity, long long id, const char *from,
			const char *to, const char *event, long long actor_id, const char *reason,
			const json_t *detail);

#endif
