/* school_profile.c - /school/profile: a school's public profile, kept by its hiring managers
 * (HR and admin may keep any school's): what the school says about itself (Markdown, shown on
 * /schools/{urn} and copied into each new job listing, where it can be changed) and its website
 * (linked from /schools/{urn} and named in each listing's JSON-LD). The register's own columns
 * (name, phase, town...) come from the seed and are not edited here.
 *
 * GET  /school/profile[?school=URN][&done=1]  the form for school URN (which the user must be a
 *      hiring manager of: a viewer gets 403, anyone else 404); without ?school, the form of the
 *      user's one school or a list to choose from
 * POST /school/profile  school, about, website: 422 with messages (nothing changes), else saved
 *      and audited ("school.profile_update") in one transaction, then back to the form with a
 *      banner
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "db.h"
#include "fields.h"
#include "handlers.h"
#include "log.h"
#include "vacancy_form.h"

#define WEBSITE_MAX 300   /* characters of a website address, https:// included */

static const char viewer_message[] =
	"You can see your school's job listings but not change its profile: only hiring managers "
	"can. Ask a hiring manager at your school, or Thurrock Council's HR team, if you need to.";

static const char website_message[] =
	"Enter the website address in the correct format, like https://www.example.sch.uk";

/* The schools whose profile the user may change, by name: [{urn, name}] (every school for HR
 * and admin). NULL on a database error (logged) or when out of memory. */
static json_t *schools_managed(const struct req *r, PGconn *c)
{
	char uid[24];
	const char *all, *vals[2] = { uid, NULL };
	json_t *list = NULL;
	PGresult *res;
	int i;

	tenancy_params(r, uid, &all);
	vals[1] = all;
	res = PQexecParams(c, "SELECT s.urn, s.name FROM schools s WHERE $2::boolean OR EXISTS "
			      "(SELECT 1 FROM school_memberships m WHERE m.user_id = $1::bigint AND "
			      "m.school_urn = s.urn AND m.role = 'hiring_manager') "
			      "ORDER BY s.name, s.urn", 2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	list = json_array();
	for (i = 0; list != NULL && i < PQntuples(res); i++)
		if (json_array_append_new(list, json_pack("{s:I, s:s}", "urn",
				(json_int_t)strtoll(PQgetvalue(res, i, 0), NULL, 10), "name",
				PQgetvalue(res, i, 1))) != 0) {
			json_decref(list);
			list = NULL;
		}
out:
	PQclear(res);
	return list;
}

/* Sets model.school to school urn's profile: {urn, name, about, website, updated}; the form's
 * typed values, when model already has "form", win over the stored ones. Returns 1, 0 when
 * there is no such school, -1 on a database error (logged) or when out of memory. */
static int profile_load(PGconn *c, long urn, json_t *model)
{
	char u[24];
	const char *vals[1] = { u };
	PGresult *res;
	json_t *school;
	int rc = -1;

	snprintf(u, sizeof u, "%ld", urn);
	res = PQexecParams(c, "SELECT name, about, coalesce(website, ''), coalesce("
			      SQL_WHEN_AT("profile_updated_at") ", '') FROM schools WHERE urn = "
			      "$1::integer", 1,
			   NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	if (PQntuples(res) == 0) {
		rc = 0;
		goto out;
	}
	school = json_pack("{s:I, s:s, s:s, s:s, s:s}", "urn", (json_int_t)urn, "name",
			   PQgetvalue(res, 0, 0), "about", PQgetvalue(res, 0, 1), "website",
			   PQgetvalue(res, 0, 2), "updated", PQgetvalue(res, 0, 3));
	if (school != NULL && json_object_get(model, "form") != NULL &&
	    json_object_update(school, json_object_get(model, "form")) != 0) {
		json_decref(school);
		school = NULL;
	}
	if (school != NULL && json_object_set_new(model, "school", school) == 0)
		rc = 1;
out:
	PQclear(res);
	return rc;
}

/* Renders the form of school urn with status (model may hold errors and typed values). */
static int form_render(struct req *r, PGconn *c, long urn, int status, json_t *model)
{
	int found = profile_load(c, urn, model);

	if (found <= 0)
		return http_send_error(r, found < 0 ? 503 : 404, NULL);
	if (json_object_set_new(model, "done", json_boolean(kv_get(&r->query, "done") != NULL)))
		return http_send_error(r, 500, NULL);
	return view_render(r, status, "school/profile", model);
}

/* GET /school/profile[?school=URN] */
int school_profile(struct req *r)
{
	const char *school = kv_get(&r->query, "school");
	json_t *model = json_object(), *list = NULL;
	PGconn *c = req_db(r);
	long urn = 0;
	int status;

	if (model == NULL)
		return http_send_error(r, 500, NULL);
	if (c == NULL) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if (school != NULL) {
		urn = (long)http_id_parse(school);
		if (urn <= 0 || kv_count(&r->query, "school") > 1) {
			status = http_send_error(r, 404, NULL);
			goto out;
		}
	} else {
		list = schools_managed(r, c);
		if (list == NULL) {
			status = http_send_error(r, 503, NULL);
			goto out;
		}
		if (json_array_size(list) != 1) {
			status = json_object_set(model, "choices", list) == 0 &&
						 json_object_set_new(model, "has_choices",
							json_boolean(json_array_size(list) > 0)) == 0
					 ? view_render(r, 200, "school/profile", model)
					 : http_send_error(r, 500, NULL);
			goto out;
		}
		urn = (long)json_integer_value(json_object_get(json_array_get(list, 0), "urn"));
	}
	status = tenancy_require(r, c, urn, SCHOOL_HIRING_MANAGER, viewer_message, NULL);
	status = status < 0 ? -status : form_render(r, c, urn, 200, model);
out:
	json_decref(list);
	json_decref(model);
	return status;
}

/* Reads the website field into out (WEBSITE_MAX * 4 + 1 bytes): "" when blank, else an
 * http(s) address ("https://" added when no scheme was typed) with a host name that has a dot,
 * printable ASCII only. Returns NULL when acceptable, else the message to show. */
static const char *website_read(const struct req *r, char *out, size_t outlen)
{
	char typed[WEBSITE_MAX * 4 + 1];
	const char *rest, *p;
	bool dot = false;
	int n = form_text(r, "website", typed, sizeof typed);

	out[0] = '\0';
	if (n == 0)
		return NULL;
	if (n < 0 || n > WEBSITE_MAX)
		return "Website address must be 300 characters or fewer";
	if (strncasecmp(typed, "https://", 8) == 0)
		rest = typed + 8;
	else if (strncasecmp(typed, "http://", 7) == 0)
		rest = typed + 7;
	else if (strstr(typed, "://") != NULL)
		return website_message;
	else
		rest = typed;
	/* The host name: labels of letters, digits and hyphens, at least two. */
	for (p = rest; isalnum((unsigned char)*p) || *p == '-' || *p == '.'; p++)
		if (*p == '.' && (p == rest || p[-1] == '.' || p[-1] == '-' || p[1] == '-'))
			return website_message;
		else if (*p == '.')
			dot = true;
	if (!dot || p[-1] == '.' || p[-1] == '-' || *rest == '-' ||
	    (*p != '\0' && *p != '/' && *p != ':' && *p != '?' && *p != '#'))
		return website_message;
	for (; *p != '\0'; p++)
		if (*p <= ' ' || *p > '~' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return website_message;
	snprintf(out, outlen, "%s%s", rest == typed ? "https://" : "", typed);
	for (char *w = out; rest != typed && *w != ':'; w++)   /* the scheme in lower case */
		*w = (char)tolower((unsigned char)*w);
	return NULL;
}

/* Saves the profile and audits it, in one transaction. Returns 0, 1 when there is no such
 * school, or -1 (rolled back). */
static int profile_store(struct req *r, PGconn *c, long urn, const char *about,
			 const char *website)
{
	char u[24];
	const char *vals[3] = { u, about, website };
	json_t *detail = json_pack("{s:s, s:I}", "website", website, "about_characters",
				   (json_int_t)strlen(about));
	PGresult *res = NULL;
	int rc = -1;

	snprintf(u, sizeof u, "%ld", urn);
	if (detail == NULL || db_tx(c, "BEGIN") != 0) {
		json_decref(detail);
		return -1;
	}
	res = PQexecParams(c, "UPDATE schools SET about = $2, website = nullif($3, ''), "
			      "profile_updated_at = now() WHERE urn = $1::integer", 3, NULL, vals,
			   NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	if (strcmp(PQcmdTuples(res), "1") != 0) {
		rc = 1;
		goto out;
	}
	if (audit(c, r, "school.profile_update", NULL, "school", u, detail) == 0 &&
	    db_tx(c, "COMMIT") == 0)
		rc = 0;
out:
	if (rc != 0)
		db_tx(c, "ROLLBACK");
	PQclear(res);
	json_decref(detail);
	return rc;
}

/* POST /school/profile: school, about, website. */
int school_profile_save(struct req *r)
{
	const char *school = kv_get(&r->form, "school"), *msg;
	char website[WEBSITE_MAX * 4 + 16], location[64];
	long urn = school != NULL ? (long)http_id_parse(school) : 0;
	json_t *model = json_object();
	PGconn *c = req_db(r);
	bool too_long = false;
	char *about = NULL;
	int status, rc;

	if (model == NULL)
		return http_send_error(r, 500, NULL);
	if (c == NULL || urn <= 0) {
		status = http_send_error(r, c == NULL ? 503 : 404, NULL);
		goto out;
	}
	status = tenancy_require(r, c, urn, SCHOOL_HIRING_MANAGER, viewer_message, NULL);
	if (status < 0) {
		status = -status;
		goto out;
	}
	about = vacancy_text_read(r, "about", VF_ABOUT_MAX, &too_long);
	if (about == NULL) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	msg = website_read(r, website, sizeof website);
	if ((too_long && form_error(model, "about", "About the school must be 10,000 characters "
				    "or fewer") != 0) ||
	    (msg != NULL && form_error(model, "website", msg) != 0)) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	if (form_has_errors(model)) {
		const char *typed = kv_get(&r->form, "website");

		status = json_object_set_new(model, "form", json_pack("{s:s, s:s}", "about", about,
				"website", typed != NULL ? typed : "")) == 0
				 ? form_render(r, c, urn, 422, model)
				 : http_send_error(r, 500, NULL);
		goto out;
	}
	rc = profile_store(r, c, urn, about, website);
	if (rc != 0) {
		status = http_send_error(r, rc > 0 ? 404 : 503, NULL);
		goto out;
	}
	snprintf(location, sizeof location, "/school/profile?school=%ld&done=1", urn);
	status = http_redirect(r, location);
out:
	free(about);
	json_decref(model);
	return status;
}
