/* static_files.c - GET /assets/{path...}: the in-memory static files (see core/assets.h).
 * A request whose ?v= matches the file's fingerprint may be cached for a year; any other for an
 * hour with revalidation. If-None-Match answers 304. */
#include <string.h>

#include "app.h"
#include "handlers.h"

int static_asset(struct req *r)
{
	const struct asset *a = assets_find(app.assets, r->params[0]);
	const char *v = kv_get(&r->query, "v");
	const char *inm = http_header(r, "If-None-Match");
	int immutable;

	if (a == NULL)
		return http_send_error(r, 404, NULL);
	immutable = v != NULL && strlen(v) == 16 && strncmp(v, a->etag + 1, 16) == 0;
	http_add_header(r, "Cache-Control", immutable ? "public, max-age=31536000, immutable"
						      : "public, max-age=3600, must-revalidate");
	http_add_header(r, "ETag", a->etag);
	if (inm != NULL && strstr(inm, a->etag) != NULL)
		return http_send(r, 304, NULL, NULL, 0);
	return http_send(r, 200, a->content_type, a->data, a->len);
}
