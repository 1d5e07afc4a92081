/* school_staff.c - /school/staff: for school staff, the staff of the schools they belong to,
 * grouped by school (name, email address, membership role, account status); read-only for
 * hiring managers and viewers alike. With ?school=URN only that school, which must be one of
 * theirs (tenancy_school: another school answers 404). Both queries are scoped with
 * TENANCY_SQL, so a member of school A never sees a row of school B. An administrator passes the
 * route's role check and sees every school that has staff.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "handlers.h"
#include "log.h"

/* The status shown: disabled, invited (no password yet), unverified, else active. */
#define STAFF_STATUS_SQL                                                                       \
	"CASE WHEN u.disabled_at IS NOT NULL THEN 'disabled' WHEN u.password_hash IS NULL "   \
	"THEN 'invited' WHEN u.verified_at IS NULL THEN 'unverified' ELSE 'active' END"

/* Label and tag class of a status or membership role value. */
static const struct {
	const char *value;
	const char *label;
	const char *tag;
} labels[] = {
	{ "active", "Active", "govuk-tag--green" },
	{ "invited", "Invited", "govuk-tag--teal" },
	{ "unverified", "Unverified", "govuk-tag--yellow" },
	{ "disabled", "Disabled", "govuk-tag--red" },
	{ "hiring_manager", "Hiring manager", NULL },
	{ "viewer", "Viewer", NULL },
};

/* Index of value in labels, or -1. */
static int label_find(const char *value)
{
	size_t i;

	for (i = 0; value != NULL && i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].value, value) == 0)
			return (int)i;
	return -1;
}

/* Label of value, or value itself when unknown (NULL for NULL). */
static const char *label_of(const char *value)
{
	int i = label_find(value);

	return i >= 0 ? labels[i].label : value;
}

/* The schools the user may see that have staff, by name, with the user's own membership role
 * at each (NULL for an administrator): columns urn, name, my role. $1 user id, $2 all. */
static const char schools_sql[] =
	"SELECT s.urn, s.name, my.role FROM schools s LEFT JOIN school_memberships my ON "
	"my.school_urn = s.urn AND my.user_id = $1::bigint WHERE EXISTS (SELECT 1 FROM "
	"school_memberships e WHERE e.school_urn = s.urn) AND " TENANCY_SQL("s.urn", "1", "2")
	" ORDER BY s.name, s.urn";

/* Their staff: columns urn, user id, name, email, membership role, status; $3 one school or
 * NULL for all. */
static const char staff_sql[] =
	"SELECT m.school_urn, u.id, u.name, u.email, m.role, " STAFF_STATUS_SQL " FROM "
	"school_memberships m JOIN users u ON u.id = m.user_id WHERE "
	TENANCY_SQL("m.school_urn", "1", "2") " AND ($3::integer IS NULL OR m.school_urn = $3) "
	"ORDER BY m.school_urn, lower(u.name), u.id";

/* The staff rows of school urn (rows of staff_sql) as the template shows them. Returns a new
 * array, or NULL when out of memory. */
static json_t *staff_of(const struct req *r, const PGresult *res, const char *urn)
{
	json_t *list = json_array();
	const char *status;
	int i, st;

	for (i = 0; list != NULL && i < PQntuples(res); i++) {
		if (strcmp(PQgetvalue(res, i, 0), urn) != 0)
			continue;
		status = PQgetvalue(res, i, 5);
		st = label_find(status);
		if (json_array_append_new(
			    list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "name",
					    PQgetvalue(res, i, 2), "email", PQgetvalue(res, i, 3),
					    "role_label", label_of(PQgetvalue(res, i, 4)),
					    "status_label", st >= 0 ? labels[st].label : status,
					    "status_class", st >= 0 ? labels[st].tag : "",
					    "is_self", strtoll(PQgetvalue(res, i, 1), NULL, 10) ==
							       r->user->id)) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	return list;
}

/* Builds the page model: groups (one per shown school, with its staff) and the school filter
 * (options, when the user has more than one school). urn is the chosen school or 0. Returns a
 * new object, or NULL when out of memory. */
static json_t *staff_model(const struct req *r, const PGresult *schools, const PGresult *staff,
			   long long urn)
{
	json_t *model = json_object(), *groups = json_array(), *options = json_array(), *staff_list;
	const char *s_urn, *mine;
	int i, n;

	if (model == NULL || json_object_set(model, "groups", groups) != 0 ||
	    json_object_set(model, "school_options", options) != 0)
		goto fail;
	for (i = 0; i < PQntuples(schools); i++) {
		s_urn = PQgetvalue(schools, i, 0);
		mine = PQgetisnull(schools, i, 2) ? NULL : PQgetvalue(schools, i, 2);
		if (json_array_append_new(options,
					  json_pack("{s:s, s:s, s:b}", "urn", s_urn, "name",
						    PQgetvalue(schools, i, 1), "selected",
						    strtoll(s_urn, NULL, 10) == urn)) != 0)
			goto fail;
		if (urn != 0 && strtoll(s_urn, NULL, 10) != urn)
			continue;
		staff_list = staff_of(r, staff, s_urn);
		n = (int)json_array_size(staff_list);
		if (json_array_append_new(groups,
					  json_pack("{s:s, s:s, s:s?, s:o, s:i, s:b}", "urn", s_urn,
						    "name", PQgetvalue(schools, i, 1), "my_role",
						    label_of(mine), "staff", staff_list, "count", n,
						    "count_one", n == 1)) != 0)
			goto fail;
	}
	if (json_object_set_new(model, "filterable", json_boolean(PQntuples(schools) > 1)) != 0 ||
	    json_object_set_new(model, "filtered", json_boolean(urn != 0)) != 0 ||
	    json_object_set_new(model, "has_schools", json_boolean(PQntuples(schools) > 0)) != 0)
		goto fail;
	json_decref(groups);
	json_decref(options);
	return model;
fail:
	json_decref(groups);
	json_decref(options);
	json_decref(model);
	return NULL;
}

/* Reads ?school=: *urn = 0 when absent or empty. Returns 0, or -1 when it is not a URN or given
 * twice. */
static int school_param(const struct req *r, long long *urn)
{
	const char *s = kv_get(&r->query, "school");

	*urn = 0;
	if (kv_count(&r->query, "school") > 1)
		return -1;
	if (s == NULL || s[0] == '\0')
		return 0;
	if (strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
		return -1;
	*urn = strtoll(s, NULL, 10);
	return *urn > 0 ? 0 : -1;
}

/* GET /school/staff[?school=URN]: the staff of the user's schools, or of one of them. */
int school_staff(struct req *r)
{
	char uid[24], urn_s[24];
	const char *all, *vals[3] = { uid, NULL, NULL };
	PGresult *schools = NULL, *staff = NULL;
	json_t *model = NULL;
	long long urn;
	PGconn *c;
	int status;

	if (school_param(r, &urn) != 0)
		return http_send_error(r, 400, "Choose a school from the list.");
	c = req_db(r);
	if (c == NULL)
		return http_send_error(r, 503, NULL);
	if (urn != 0) {
		status = tenancy_school(r, c, (long)urn, SCHOOL_VIEWER);
		if (status != 0)
			return http_send_error(r, status < 0 ? 503 : 404, NULL);
	}
	tenancy_params(r, uid, &all);
	snprintf(urn_s, sizeof urn_s, "%lld", urn);
	vals[1] = all;
	vals[2] = urn != 0 ? urn_s : NULL;
	schools = PQexecParams(c, schools_sql, 2, NULL, vals, NULL, NULL, 0);
	staff = PQexecParams(c, staff_sql, 3, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(schools) != PGRES_TUPLES_OK ||
	    PQresultStatus(staff) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	model = staff_model(r, schools, staff, urn);
	if (model == NULL) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	/* A school that exists but has no staff (only an administrator can ask for one). */
	if (urn != 0 && json_array_size(json_object_get(model, "groups")) == 0) {
		status = http_send_error(r, 404, NULL);
		goto out;
	}
	status = view_render(r, 200, "school/staff", model);
out:
	PQclear(schools);
	PQclear(staff);
	json_decref(model);
	return status;
}
