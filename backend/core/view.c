/* view.c - rendering a page: the common model keys, the template, the HTML response. */
#include <stdio.h>
#include <time.h>

#include "app.h"
#include "auth.h"
#include "http.h"
#include "log.h"

/* Adds what every page's layout reads: site, request id, current path, year, asset URLs. */
static int view_common(struct req *r, json_t *model)
{
	const struct asset *css = assets_find(app.assets, "app.css");
	const struct asset *js = assets_find(app.assets, "app.js");
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	if (r->user != NULL &&
	    json_object_set_new(model, "user",
				json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b}", "id",
					  (json_int_t)r->user->id, "name", r->user->name, "email",
					  r->user->email, "role", role_name(r->user->role),
					  "is_candidate", r->user->role == ROLE_CANDIDATE,
					  "is_staff", r->user->role == ROLE_SCHOOL_STAFF,
					  "is_hr", role_allows(r->user->role, ROLE_HR),
					  "is_admin", r->user->role == ROLE_ADMIN,
					  "verified", r->user->verified)) != 0)
		return -1;
	return json_object_set_new(model, "csrf_token", json_string(csrf_token(r))) ||
	       json_object_set_new(model, "site",
				   json_pack("{s:s, s:s}", "name", "Teaching in Thurrock",
					     "base_url", app.cfg.base_url)) ||
	       json_object_set_new(model, "request_id", json_string(r->id)) ||
	       json_object_set_new(model, "current_path", json_string(r->path)) ||
	       json_object_set_new(model, "year", json_integer(tm.tm_year + 1900)) ||
	       json_object_set_new(model, "assets",
				   json_pack("{s:s, s:s}", "css", css ? css->url : "",
					     "js", js ? js->url : ""));
}

int view_render_buf(struct req *r, const char *name, json_t *model, struct buf *out)
{
	buf_reserve(out, 32 * 1024);
	if (view_common(r, model) != 0 || tpl_render(app.templates, name, model, out) != 0 ||
	    buf_failed(out)) {
		log_errorf(__func__, "cannot render template %s", name);
		return -1;
	}
	return 0;
}

int view_render(struct req *r, int status, const char *name, json_t *model)
{
	struct buf out = { 0 };
	int rc;

	if (view_render_buf(r, name, model, &out) != 0)
		rc = http_send_problem(r, 500, http_reason(500), "The page could not be shown.");
	else
		rc = http_send(r, status, "text/html; charset=utf-8", out.data, out.len);
	buf_free(&out);
	return rc;
}
