/* applications_candidate_apply.c - starting an application: GET and POST
 * /vacancies/{id}/apply.
 *
 * For a live vacancy (published, closing time ahead) the GET shows the start page and the
 * POST creates the draft, with the candidate's profile copied in, and answers 303 to its task
 * list. A candidate who already has an application to the vacancy is sent to it (303), so a
 * double click or a second visit never makes a second one. Refused, with nothing created:
 * a candidate whose email address is not confirmed (403, a page with the "send a new link"
 * button), a vacancy that has closed (410, a page saying applications have closed), a draft,
 * scheduled or unknown vacancy (404).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "application_lifecycle.h"
#include "application_sections.h"
#include "auth.h"
#include "buf.h"
#include "db.h"
#include "handlers.h"
#include "log.h"
#include "vacancy_view.h"

/* Creates the draft from the profile: only the profile's sections (and the employment gaps'
 * explanations, part of employment) and their completed marks. $3 is that list of keys. */
static const char create_sql[] =
	"INSERT INTO applications (vacancy_id, candidate_id, data, completed)"
	" SELECT v.id, $2, coalesce((SELECT jsonb_object_agg(key, value) FROM jsonb_each(p.data)"
	" WHERE key = ANY ($3::text[])), '{}'),"
	" ARRAY(SELECT unnest(p.completed) INTERSECT SELECT unnest($3::text[]))"
	" FROM vacancies v LEFT JOIN candidate_profiles p ON p.user_id = $2"
	" WHERE v.id = $1 AND v.status = 'published' AND v.closes_at > now()"
	" ON CONFLICT (vacancy_id, candidate_id) DO NOTHING RETURNING id";

static const char existing_sql[] =
	"SELECT coalesce((SELECT id FROM applications WHERE vacancy_id = $1 AND candidate_id = $2),"
	" 0), EXISTS (SELECT 1 FROM candidate_profiles WHERE user_id = $2 AND data <> '{}')";

/* The vacancy of an /apply request and where the candidate stands with it. */
struct apply_target {
	json_t *vacancy;          /* vacancy_model_load's model (owned) */
	long long id;             /* the vacancy */
	long long existing;       /* the candidate's application to it, 0 when none */
	bool has_profile;         /* the candidate's profile holds something to copy */
};

/* The candidate's application to vacancy id into t->existing (0 when none) and whether they
 * have a profile. Returns 0, or -1 (logged). */
static int existing_load(PGconn *c, long long uid, struct apply_target *t)
{
	char vid[24], cid[24];
	const char *vals[2] = { vid, cid };
	PGresult *res;
	int rc = -1;

	snprintf(vid, sizeof vid, "%lld", t->id);
	snprintf(cid, sizeof cid, "%lld", uid);
	res = PQexecParams(c, existing_sql, 2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	t->existing = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	t->has_profile = PQgetvalue(res, 0, 1)[0] == 't';
	rc = 0;
out:
	PQclear(res);
	return rc;
}

/* Loads the vacancy named by the path's {id} into t (zeroed first) and the candidate's
 * application to it. Returns 0; otherwise it has answered (404 for an unknown, draft or
 * scheduled vacancy, 503) and returns the status sent, negated. Free t with target_free. */
static int target_load(struct req *r, PGconn *c, struct apply_target *t)
{
	char err[256];
	int found;

	memset(t, 0, sizeof *t);
	t->id = http_id_parse(r->params[0]);
	if (t->id == 0)
		return -http_send_error(r, 404, NULL);
	t->vacancy = vacancy_model_load(c, t->id, &found, err, sizeof err);
	if (t->vacancy == NULL && err[0] != '\0') {
		log_errorf(__func__, "%s", err);
		return -http_send_error(r, 503, NULL);
	}
	if (t->vacancy == NULL || json_is_true(json_object_get(t->vacancy, "is_draft")) ||
	    json_is_true(json_object_get(t->vacancy, "is_scheduled")))
		return -http_send_error(r, 404, NULL);
	if (existing_load(c, r->user->id, t) != 0)
		return -http_send_error(r, 503, NULL);
	return 0;
}

static void target_free(struct apply_target *t)
{
	json_decref(t->vacancy);
	t->vacancy = NULL;
}

/* Renders the start page of t with status; unverified and closed choose its variant.
 * Returns the status sent. */
static int start_page(struct req *r, const struct apply_target *t, int status, bool unverified,
		      bool closed)
{
	json_t *model = json_pack("{s:O, s:b, s:b, s:b}", "vacancy", t->vacancy, "unverified",
				  unverified, "closed", closed, "has_profile", t->has_profile);
	int rc;

	if (model == NULL)
		return http_send_error(r, 500, NULL);
	rc = view_render(r, status, "account/application_start", model);
	json_decref(model);
	return rc;
}

/* Answers 303 to application id. Returns the status sent. */
static int to_application(struct req *r, long long id)
{
	char location[64];

	snprintf(location, sizeof location, "/account/applications/%lld", id);
	return http_redirect(r, location);
}

/* Takes the request's database connection (into *c) and loads the target, and answers every
 * case but "may start": 503 without a connection, 303 to an existing application, the
 * unverified page (403), the closed page (410). Returns 0 when the candidate may start an
 * application to t's vacancy (t loaded), else the status sent (t freed). */
static int apply_check(struct req *r, PGconn **c, struct apply_target *t)
{
	int status;

	memset(t, 0, sizeof *t);
	*c = req_db(r);
	if (*c == NULL)
		return http_send_error(r, 503, NULL);
	status = target_load(r, *c, t);
	if (status < 0)
		status = -status;
	else if (t->existing > 0)
		status = to_application(r, t->existing);
	else if (!r->user->verified)
		status = start_page(r, t, 403, true, false);
	else if (!json_is_true(json_object_get(t->vacancy, "is_live")))
		status = start_page(r, t, 410, false, true);
	if (status != 0)
		target_free(t);
	return status;
}

/* GET /vacancies/{id}/apply: the start page (or see apply_check). */
int apply_start(struct req *r)
{
	struct apply_target t;
	PGconn *c;
	int status;

	status = apply_check(r, &c, &t);
	if (status != 0)
		return status;
	status = start_page(r, &t, 200, false, false);
	target_free(&t);
	return status;
}

/* The keys of a profile as a PostgreSQL array literal ("{personal,...,employment_gaps}"),
 * into b. */
static void profile_keys(struct buf *b)
{
	size_t i;

	buf_putc(b, '{');
	for (i = 0; i < section_defs_len; i++)
		if (section_defs[i].scope & SECTION_PROFILE)
			buf_printf(b, "%s,", section_defs[i].name);
	buf_puts(b, "employment_gaps}");
}

/* Creates the draft application of user uid to vacancy vid, in one transaction: the INSERT
 * (nothing when one exists already: ON CONFLICT), then its 'create' status event. Returns the
 * new application's id, or the existing one's, 0 when the vacancy is no
 * longer open, -1 on a database error (logged, rolled back). */
static long long draft_create(PGconn *c, long long vid, long long uid)
{
	char vs[24], us[24];
	struct buf keys = { 0 };
	const char *vals[3] = { vs, us, NULL };
	struct apply_target t = { .id = vid };
	PGresult *res = NULL;
	long long id = -1;

	snprintf(vs, sizeof vs, "%lld", vid);
	snprintf(us, sizeof us, "%lld", uid);
	profile_keys(&keys);
	vals[2] = buf_str(&keys);
	if (buf_failed(&keys) || db_tx(c, "BEGIN") != 0)
		goto out;
	res = PQexecParams(c, create_sql, 3, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto fail;
	}
	if (PQntuples(res) == 1) {
		id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		if (application_record_created(c, id, uid) != 0 || db_tx(c, "COMMIT") != 0) {
			id = -1;
			goto fail;
		}
		goto out;
	}
	if (existing_load(c, uid, &t) != 0)
		goto fail;
	id = t.existing;
	db_tx(c, "ROLLBACK");
	goto out;
fail:
	db_tx(c, "ROLLBACK");
out:
	PQclear(res);
	buf_free(&keys);
	return id;
}

/* POST /vacancies/{id}/apply: creates the draft with the profile copied in, 303 to its task
 * list (or see apply_check). */
int apply_create(struct req *r)
{
	struct apply_target t;
	PGconn *c;
	long long id;
	int status;

	status = apply_check(r, &c, &t);
	if (status != 0)
		return status;
	id = draft_create(c, t.id, r->user->id);
	if (id > 0)
		status = to_application(r, id);
	else if (id == 0)
		status = start_page(r, &t, 410, false, true);
	else
		status = http_send_error(r, 503, NULL);
	target_free(&t);
	return status;
}
