/* status_events.c - recording a status change; see status_events.h. */
#include "status_events.h"

#include <stdio.h>
#include <stdlib.h>

#include "db_prepared.h"
#include "log.h"

/* Prepared (db_prepared.h): every submission and status change runs it. */
static const struct db_stmt insert_stmt = {
	"status_event_insert",
	"INSERT INTO status_events (entity, entity_id, from_status, to_status, event, actor_id, "
	"reason, detail) VALUES ($1, $2::bigint, $3, $4, $5, NULLIF($6::bigint, 0), $7, $8::jsonb)",
	8,
};

int status_event_record(PGconn *c, const char *entity, long long id, const char *from,
			const char *to, const char *event, long long actor_id, const char *reason,
			const json_t *detail)
{
	char id_s[24], actor[24];
	char *detail_json = detail != NULL ? json_dumps(detail, JSON_COMPACT) : NULL;
	const char *vals[8] = { entity, id_s, from, to, event, actor, reason,
				detail != NULL ? detail_json : "{}" };
	PGresult *res = NULL;
	int rc = -1;

	if (detail != NULL && detail_json == NULL) {
		log_errorf(__func__, "%s %lld %s: out of memory", entity, id, event);
		goto out;
	}
	snprintf(id_s, sizeof id_s, "%lld", id);
	snprintf(actor, sizeof actor, "%lld", actor_id);
	res = db_prepared_exec(c, &insert_stmt, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s %s %s: %s", entity, id_s, event, PQerrorMessage(c));
		goto out;
	}
	rc = 0;
out:
	PQclear(res);
	free(detail_json);
	return rc;
}
