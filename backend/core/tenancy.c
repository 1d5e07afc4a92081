/* tenancy.c - the one tenancy check; see auth.h. */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "log.h"

void tenancy_params(const struct req *r, char uid[24], const char **all)
{
	snprintf(uid, 24, "%lld", r->user != NULL ? r->user->id : 0LL);
	*all = r->user != NULL && role_allows(r->user->role, ROLE_HR) ? "true" : "false";
}

int tenancy_school(struct req *r, PGconn *c, long urn, enum school_access need)
{
	char uid[24], school[24];
	const char *vals[2] = { uid, school };
	PGresult *res;
	int rc = 404;

	if (r->user == NULL)
		return 404;
	if (role_allows(r->user->role, ROLE_HR))
		return 0;
	if (r->user->role != ROLE_SCHOOL_STAFF)
		return 404;
	snprintf(uid, sizeof uid, "%lld", r->user->id);
	snprintf(school, sizeof school, "%ld", urn);
	res = PQexecParams(c, "SELECT role FROM school_memberships WHERE user_id = $1 AND "
			      "school_urn = $2", 2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		rc = -1;
	} else if (PQntuples(res) == 1) {
		if (need == SCHOOL_VIEWER || strcmp(PQgetvalue(res, 0, 0), "hiring_manager") == 0)
			rc = 0;
	}
	PQclear(res);
	return rc;
}
