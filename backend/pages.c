/* pages.c - the home page and the site's information pages (accessibility, privacy, cookies). */
#include "db.h"
#include "handlers.h"
#include "log.h"
#include "schools_data.h"

int page_home(struct req *r)
{
	const struct schools_snapshot *snap;
	const struct schools_page *page;
	json_t *model;
	char err[256];
	int status;

	snap = schools_snapshot_get(req_db_cb, r, err, sizeof err);
	if (snap == NULL) {
		log_errorf(__func__, "%s", err);
		return http_send_error(r, 503, NULL);
	}
	/* A visitor's home page holds nothing personal: render it once per snapshot. */
	page = r->user == NULL ? schools_page_find(snap, "home") : NULL;
	if (page != NULL) {
		status = http_send(r, 200, "text/html; charset=utf-8", page->html, page->len);
		schools_snapshot_put(snap);
		return status;
	}
	model = json_pack("{s:O, s:I}", "schools", snap->all, "school_count",
			  (json_int_t)json_array_size(snap->all));
	status = model != NULL ? render_kept(r, snap, r->user == NULL ? "home" : "", "home", model)
			       : http_send_error(r, 500, NULL);
	schools_snapshot_put(snap);
	json_decref(model);
	return status;
}

/* Renders an information page that needs no data. */
static int page_static(struct req *r, const char *name)
{
	json_t *model = json_object();
	int status;

	if (model == NULL)
		return http_send_error(r, 500, NULL);
	http_add_header(r, "Cache-Control", "public, max-age=300");
	status = view_render(r, 200, name, model);
	json_decref(model);
	return status;
}

int page_accessibility(struct req *r)
{
	return page_static(r, "pages/accessibility");
}

int page_privacy(struct req *r)
{
	return page_static(r, "pages/privacy");
}

int page_cookies(struct req *r)
{
	return page_static(r, "pages/cookies");
}
