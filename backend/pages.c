/* pages.c - the home page and the site's information pages (accessibility, privacy, cookies). */
#include "db.h"
#include "handlers.h"
#include "log.h"
#include "schools_data.h"

int page_home(struct req *r)
{
	json_t *model = NULL, *schools = NULL, *facets = NULL;
	char err[256];
	int status;

	if (schools_snapshot(req_db_cb, r, &schools, &facets, err, sizeof err) != 0) {
		log_errorf(__func__, "%s", err);
		return http_send_error(r, 503, NULL);
	}
	model = json_pack("{s:O, s:I}", "schools", schools, "school_count",
			  (json_int_t)json_array_size(schools));
	status = model != NULL ? view_render(r, 200, "home", model) : http_send_error(r, 500, NULL);
	json_decref(schools);
	json_decref(facets);
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
