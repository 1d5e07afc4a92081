/* candidate_profile.c - the candidate's profile (/account/profile): personal details,
 * professional status, qualifications, training, employment history and referees, kept
 * between applications and copied into each new one. The page lists the sections as a task
 * list; each section is edited through the section engine (application_sections.h) with a
 * store that writes candidate_profiles: one upsert per save, setting only the saved key, so
 * that two tabs editing different sections never overwrite each other. Sections that belong
 * to applications only (statement, declarations, ...) are not found here (404).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "application_sections.h"
#include "auth.h"
#include "handlers.h"
#include "log.h"

#define PROFILE_URL "/account/profile"

/* The signed-in candidate's profile as loaded. */
struct profile {
	long long user_id;
	json_t *data;        /* candidate_profiles.data, {} when there is none (owned) */
	json_t *completed;   /* the sections marked complete, [] when none (owned) */
};

/* Frees what p owns and zeroes it. */
static void profile_free(struct profile *p)
{
	json_decref(p->data);
	json_decref(p->completed);
	memset(p, 0, sizeof *p);
}

/* Loads the profile of user_id into p (zeroed first). Returns 0, or -1 (logged); free p with
 * profile_free either way. */
static int profile_load(PGconn *c, long long user_id, struct profile *p)
{
	char uid[24];
	const char *vals[1] = { uid };
	PGresult *res;
	int rc = -1;

	memset(p, 0, sizeof *p);
	p->user_id = user_id;
	snprintf(uid, sizeof uid, "%lld", user_id);
	res = PQexecParams(c, "SELECT data::text, array_to_json(completed)::text FROM "
			      "candidate_profiles WHERE user_id = $1",
			   1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	if (PQntuples(res) == 1) {
		p->data = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
		p->completed = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	} else {
		p->data = json_object();
		p->completed = json_array();
	}
	if (!json_is_object(p->data) || !json_is_array(p->completed)) {
		log_errorf(__func__, "profile %s: unreadable data or out of memory", uid);
		goto out;
	}
	rc = 0;
out:
	PQclear(res);
	return rc;
}

/* The store's save (see struct section_store): one INSERT ... ON CONFLICT that sets only key
 * in data and the key's complete mark. ctx is the struct profile. Returns 0 or -1 (logged). */
static int profile_save(void *ctx, PGconn *c, const char *key, const json_t *value, int complete)
{
	const struct profile *p = ctx;
	char uid[24], mark[4], *json = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
	const char *vals[4] = { uid, key, json, mark };
	PGresult *res;
	int rc = -1;

	if (json == NULL) {
		log_errorf(__func__, "out of memory");
		return -1;
	}
	snprintf(uid, sizeof uid, "%lld", p->user_id);
	snprintf(mark, sizeof mark, "%d", complete);
	res = PQexecParams(c,
			   "INSERT INTO candidate_profiles AS p (user_id, data, completed) VALUES "
			   "($1, jsonb_build_object($2::text, $3::jsonb), CASE WHEN $4::int = 1 "
			   "THEN ARRAY[$2::text] ELSE '{}'::text[] END) ON CONFLICT (user_id) DO "
			   "UPDATE SET data = jsonb_set(p.data, ARRAY[$2::text], $3::jsonb), "
			   "completed = CASE $4::int WHEN 1 THEN array_append(array_remove("
			   "p.completed, $2::text), $2::text) WHEN 0 THEN array_remove(p.completed, "
			   "$2::text) ELSE p.completed END",
			   4, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		log_errorf(__func__, "%s", PQerrorMessage(c));
	else
		rc = 0;
	PQclear(res);
	free(json);
	return rc;
}

/* Puts the account's name (split at its last space) and email address into an empty
 * personal section of p, as a start. Returns 0 or -1. */
static int personal_prefill(const struct user *u, struct profile *p)
{
	const char *space = strrchr(u->name, ' ');
	int first_len = space != NULL ? (int)(space - u->name) : (int)strlen(u->name);

	if (json_object_get(p->data, "personal") != NULL)
		return 0;
	return json_object_set_new(p->data, "personal",
				   json_pack("{s:s%, s:s, s:s}", "first_name", u->name,
					     (size_t)first_len, "last_name",
					     space != NULL ? space + 1 : "", "email", u->email));
}

/* GET /account/profile: the profile's sections as a task list. */
int profile_show(struct req *r)
{
	PGconn *c = req_db(r);
	struct profile p;
	json_t *model = NULL, *tasks, *t;
	size_t i, done = 0;
	int rc;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	if (profile_load(c, r->user->id, &p) != 0) {
		rc = http_send_error(r, 500, NULL);
		goto out;
	}
	tasks = sections_task_list(true, false, PROFILE_URL, p.data, p.completed);
	json_array_foreach(tasks, i, t)
		done += json_is_true(json_object_get(t, "completed"));
	model = json_pack("{s:o, s:I, s:I}", "tasks", tasks, "completed_count", (json_int_t)done,
			  "total", (json_int_t)json_array_size(tasks));
	rc = model != NULL ? view_render(r, 200, "account/profile", model)
			   : http_send_error(r, 500, NULL);
out:
	json_decref(model);
	profile_free(&p);
	return rc;
}

/* The three section routes: the profile section named by the path (404 for any other),
 * loaded and handed to the section engine's page (section_page_get, _post or _remove) with
 * the profile's store. Returns the status sent. */
static int profile_section(struct req *r,
			   int (*page)(struct req *, PGconn *, const struct section_def *,
				       struct section_store *))
{
	const struct section_def *s = section_find(r->nparams > 0 ? r->params[0] : NULL);
	PGconn *c;
	struct profile p;
	struct section_store st;
	int rc;

	if (s == NULL || !(s->scope & SECTION_PROFILE))
		return http_send_error(r, 404, NULL);
	c = req_db(r);
	if (c == NULL)
		return http_send_error(r, 503, NULL);
	if (profile_load(c, r->user->id, &p) != 0 ||
	    (page == section_page_get && strcmp(s->name, "personal") == 0 &&
	     personal_prefill(r->user, &p) != 0)) {
		rc = http_send_error(r, 500, NULL);
		goto out;
	}
	st = (struct section_store){ .base_url = PROFILE_URL, .back_url = PROFILE_URL,
				     .caption = "Your profile", .religious = false, .data = p.data,
				     .completed = p.completed, .save = profile_save, .ctx = &p };
	rc = page(r, c, s, &st);
out:
	profile_free(&p);
	return rc;
}

/* GET /account/profile/{section}[?item=N]: the section's form. */
int profile_section_form(struct req *r)
{
	return profile_section(r, section_page_get);
}

/* POST /account/profile/{section}: saves it (see section_page_post). */
int profile_section_save(struct req *r)
{
	return profile_section(r, section_page_post);
}

/* POST /account/profile/{section}/remove: removes item `item` of a list section. */
int profile_section_remove(struct req *r)
{
	return profile_section(r, section_page_remove);
}
