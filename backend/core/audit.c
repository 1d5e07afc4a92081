/* audit.c - the audit log; see auth.h. Values go in as parameters and are shown through the
 * template engine's escaping, so CR/LF or markup in a name cannot forge an entry or a line. */
#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "log.h"

int audit(PGconn *c, const struct req *r, const char *action, const char *actor_email,
	  const char *object_type, const char *object_id, json_t *detail)
{
	char uid[24];
	char *d = detail != NULL ? json_dumps(detail, JSON_COMPACT) : NULL;
	const char *vals[7];
	PGresult *res;
	int rc;

	snprintf(uid, sizeof uid, "%lld", r != NULL && r->user != NULL ? r->user->id : 0LL);
	vals[0] = r != NULL && r->user != NULL ? uid : NULL;
	vals[1] = r != NULL && r->user != NULL ? r->user->email : actor_email;
	vals[2] = action;
	vals[3] = object_type;
	vals[4] = object_id;
	vals[5] = r != NULL ? r->address : NULL;
	vals[6] = d != NULL ? d : "{}";
	res = PQexecParams(c, "INSERT INTO audit_log (actor_id, actor_email, action, object_type, "
			      "object_id, address, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			   7, NULL, vals, NULL, NULL, 0);
	rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
	if (rc != 0)
		log_errorf(__func__, "%s", PQerrorMessage(c));
	PQclear(res);
	free(d);
	return rc;
}
