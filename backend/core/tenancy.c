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

/* The request's user's access to school urn: SCHOOL_HIRING_MANAGER (HR and admin too),
 * SCHOOL_VIEWER, 0 for none, or -1 on a database error (logged). */
static int school_access(struct req *r, PGconn *c, long urn)
{
	char uid[24], school[24];
	const char *vals[2] = { uid, school };
	PGresult *res;
	int rc = 0;

	if (r->user == NULL)
		return 0;
	if (role_allows(r->user->role, ROLE_HR))
		return SCHOOL_HIRING_MANAGER;
	if (r->user->role != ROLE_SCHOOL_STAFF)
		return 0;
	snprintf(uid, sizeof uid, "%lld", r->user->id);
	snprintf(school, sizeof school, "%ld", urn);
	res = PQexecParams(c, "SELECT role FROM school_memberships WHERE user_id = $1 AND "
			      "school_urn = $2", 2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		rc = -1;
	} else if (PQntuples(res) == 1) {
		rc = strcmp(PQgetvalue(res, 0, 0), "hiring_manager") == 0 ? SCHOOL_HIRING_MANAGER
									   : SCHOOL_VIEWER;
	}
	PQclear(res);
	return rc;
}

int tenancy_school(struct req *r, PGconn *c, long urn, enum school_access need)
{
	int access = school_access(r, c, urn);

	if (access < 0)
		return -1;
	return access >= (int)need ? 0 : 404;
}

int tenancy_require(struct req *r, PGconn *c, long urn, enum school_access need,
		    const char *viewer_message, bool *can_manage)
{
	int access = school_access(r, c, urn);

	if (access < 0)
		return -http_send_error(r, 503, NULL);
	if (access < SCHOOL_VIEWER)
		return -http_send_error(r, 404, NULL);
	if (access < (int)need)
		return -http_send_error(r, 403, viewer_message);
	if (can_manage != NULL)
		*can_manage = access == SCHOOL_HIRING_MANAGER;
	return 0;
}
