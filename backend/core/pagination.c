/* pagination.c - the GOV.UK pagination model; see pagination.h. */
#include "pagination.h"

/* Sets obj[key] to url(page). Returns 0 or -1. */
static int set_url(json_t *obj, const char *key, page_url_fn url, const void *ctx, long page)
{
	struct buf b = { 0 };
	int rc;

	url(&b, page, ctx);
	rc = buf_failed(&b) ? -1 : json_object_set_new(obj, key, json_string(buf_str(&b)));
	buf_free(&b);
	return rc;
}

json_t *pagination_model(long page, long pages, page_url_fn url, const void *ctx)
{
	const long shown[5] = { 1, page - 1, page, page + 1, pages };
	json_t *p = json_object(), *items = json_array(), *item;
	long last = 0;
	size_t i;

	if (p == NULL || items == NULL || json_object_set(p, "items", items) != 0 ||
	    (page > 1 && set_url(p, "prev", url, ctx, page - 1) != 0) ||
	    (page < pages && set_url(p, "next", url, ctx, page + 1) != 0))
		goto fail;
	for (i = 0; i < 5; i++) {
		if (shown[i] <= last || shown[i] > pages)
			continue;
		if (shown[i] > last + 1 &&
		    json_array_append_new(items, json_pack("{s:b}", "ellipsis", 1)) != 0)
			goto fail;
		item = json_pack("{s:I, s:b}", "number", (json_int_t)shown[i], "current",
				 shown[i] == page);
		if (json_array_append_new(items, item) != 0 ||
		    set_url(item, "href", url, ctx, shown[i]) != 0)
			goto fail;
		last = shown[i];
	}
	json_decref(items);
	return p;
fail:
	json_decref(items);
	json_decref(p);
	return NULL;
}
