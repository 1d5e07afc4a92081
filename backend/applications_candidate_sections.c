/* applications_candidate_sections.c - the sections of a draft application:
 * GET/POST /account/applications/{id}/{section} and POST .../{section}/remove, rendered and
 * checked by the section engine (application_sections.h) over this file's section_store.
 *
 * A section exists when it is an application section (religion only for a school with a
 * religious character); anything else is 404. Only a draft whose vacancy is open can be
 * changed: otherwise a GET goes back to the application (303) and a POST is refused with 409
 * and a page that says why. The store writes one key of applications.data and the section's
 * completed mark in one UPDATE limited to the candidate's own draft; the equal opportunities
 * answers go to table application_equal_opps instead, never into applications.data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "application_sections.h"
#include "applications_candidate.h"
#include "db.h"
#include "handlers.h"
#include "log.h"

/* completed with section $3 marked when $4 is 1, unmarked when 0, as it is otherwise. */
#define MARK_SQL                                                                              \
	"completed = CASE $4::int WHEN 1 THEN CASE WHEN $3::text = ANY (completed) THEN "     \
	"completed ELSE completed || $3::text END WHEN 0 THEN array_remove(completed, "       \
	"$3::text) ELSE completed END"

#define OWN_DRAFT_SQL " WHERE id = $1 AND candidate_id = $2 AND status = 'draft'"

static const char save_sql[] = "UPDATE applications SET data = jsonb_set(data, ARRAY[$3::text], "
			       "$5::jsonb), " MARK_SQL OWN_DRAFT_SQL;

static const char mark_sql[] = "UPDATE applications SET " MARK_SQL OWN_DRAFT_SQL;

/* The columns of application_equal_opps, in the order of equal_opps_sql's $3 to $9. */
static const char *const equal_opps_keys[] = { "disability", "age_band", "sex",
					       "gender_identity", "sexual_orientation",
					       "ethnicity", "religion" };

static const char equal_opps_sql[] =
	"INSERT INTO application_equal_opps (application_id, disability, age_band, sex,"
	" gender_identity, sexual_orientation, ethnicity, religion)"
	" SELECT id, nullif($3, ''), nullif($4, ''), nullif($5, ''), nullif($6, ''),"
	" nullif($7, ''), nullif($8, ''), nullif($9, '') FROM applications" OWN_DRAFT_SQL
	" ON CONFLICT (application_id) DO UPDATE SET disability = EXCLUDED.disability,"
	" age_band = EXCLUDED.age_band, sex = EXCLUDED.sex,"
	" gender_identity = EXCLUDED.gender_identity,"
	" sexual_orientation = EXCLUDED.sexual_orientation, ethnicity = EXCLUDED.ethnicity,"
	" religion = EXCLUDED.religion, updated_at = now()";

/* The store's context: whose draft. */
struct store_ctx {
	long long id;
	long long candidate_id;
};

/* Runs sql (a statement on one application row) with params; fails unless it changed exactly
 * one row (the candidate's own draft). Returns 0, or -1 (logged). */
static int exec_one(PGconn *c, const char *sql, int n, const char *const *params,
		    long long id)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	int rc = -1;

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		log_errorf(__func__, "application %lld: %s", id, PQerrorMessage(c));
	else if (strcmp(PQcmdTuples(res), "1") != 0)
		log_errorf(__func__, "application %lld is no longer a draft of its candidate", id);
	else
		rc = 0;
	PQclear(res);
	return rc;
}

/* Saves the equal opportunities answers of value (an object of equal_opps_keys) into
 * application_equal_opps and sets the section's mark (mark: "1", "0", "-1" as MARK_SQL), in
 * one transaction; id and uid are the application and its candidate as parameters. A blank
 * answer (saved for later) is stored as NULL. Returns 0 or -1 (logged, rolled back). */
static int equal_opps_save(const struct store_ctx *x, PGconn *c, const char *id,
			   const char *uid, const char *mark, const json_t *value)
{
	const char *mark_vals[4] = { id, uid, "equal_opps", mark };
	const char *vals[9] = { id, uid };
	size_t i;

	for (i = 0; i < sizeof equal_opps_keys / sizeof equal_opps_keys[0]; i++)
		vals[2 + i] = json_string_value(json_object_get(value, equal_opps_keys[i]));
	if (db_tx(c, "BEGIN") != 0)
		return -1;
	if (exec_one(c, equal_opps_sql, 9, vals, x->id) != 0 ||
	    exec_one(c, mark_sql, 4, mark_vals, x->id) != 0 || db_tx(c, "COMMIT") != 0) {
		db_tx(c, "ROLLBACK");
		return -1;
	}
	return 0;
}

/* section_store.save for an application: see application_sections.h. */
static int store_save(void *ctx, PGconn *c, const char *key, const json_t *value, int complete)
{
	const struct store_ctx *x = ctx;
	char id[24], uid[24], mark[4];
	const char *vals[5] = { id, uid, key, mark, NULL };
	char *json;
	int rc;

	snprintf(id, sizeof id, "%lld", x->id);
	snprintf(uid, sizeof uid, "%lld", x->candidate_id);
	snprintf(mark, sizeof mark, "%d", complete == 1 ? 1 : complete == 0 ? 0 : -1);
	if (strcmp(key, "equal_opps") == 0)
		return equal_opps_save(x, c, id, uid, mark, value);
	json = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
	if (json == NULL) {
		log_errorf(__func__, "out of memory");
		return -1;
	}
	vals[4] = json;
	rc = exec_one(c, save_sql, 5, vals, x->id);
	free(json);
	return rc;
}

/* The section named by the path's second parameter, for application a: NULL when a has no
 * such section. */
static const struct section_def *section_of(const struct req *r, const struct application *a)
{
	const struct section_def *s = r->nparams > 1 ? section_find(r->params[1]) : NULL;

	if (s == NULL || !(s->scope & SECTION_APPLICATION) || (s->religious_only && !a->religious))
		return NULL;
	return s;
}

/* Why application a cannot be changed (NULL when it can). */
static const char *locked_reason(const struct application *a)
{
	if (strcmp(a->status, "draft") != 0)
		return "This application has been sent, so it can no longer be changed.";
	if (!a->vacancy_open)
		return "This job has closed, so the application can no longer be changed.";
	return NULL;
}

/* The three section routes: loads the application and its section, answers 404 / the
 * locked cases, and hands a store over the draft to page (section_page_get, _post or
 * _remove). Returns the status sent. */
static int section_route(struct req *r,
			 int (*page)(struct req *, PGconn *, const struct section_def *,
				     struct section_store *))
{
	char base[64], caption[1024];
	struct application a;
	const struct section_def *s;
	struct store_ctx ctx;
	struct section_store st;
	const char *locked;
	PGconn *c;
	int status;

	status = candidate_application_open(r, &c, &a);
	if (status < 0)
		return -status;
	s = section_of(r, &a);
	locked = locked_reason(&a);
	snprintf(base, sizeof base, "/account/applications/%lld", a.id);
	if (s == NULL) {
		status = http_send_error(r, 404, NULL);
		goto out;
	}
	if (locked != NULL) {
		status = strcmp(r->method, "GET") == 0 ? http_redirect(r, base)
						       : http_send_error(r, 409, locked);
		goto out;
	}
	snprintf(caption, sizeof caption, "%s - %s",
		 json_string_value(json_object_get(a.model, "vacancy_title")),
		 json_string_value(json_object_get(a.model, "school_name")));
	ctx = (struct store_ctx){ .id = a.id, .candidate_id = r->user->id };
	st = (struct section_store){ .base_url = base, .back_url = base, .caption = caption,
				     .religious = a.religious, .data = a.data,
				     .completed = a.completed, .save = store_save, .ctx = &ctx };
	status = page(r, c, s, &st);
out:
	application_free(&a);
	return status;
}

/* GET /account/applications/{id}/{section}[?item=N]: the section's form. */
int candidate_application_section_form(struct req *r)
{
	return section_route(r, section_page_get);
}

/* POST /account/applications/{id}/{section}: saves the section. */
int candidate_application_section_save(struct req *r)
{
	return section_route(r, section_page_post);
}

/* POST /account/applications/{id}/{section}/remove: removes an item of a list section. */
int candidate_application_section_remove(struct req *r)
{
	return section_route(r, section_page_remove);
}
