/* static_files.c - GET /assets/{path...}: the in-memory static files (see core/assets.h).
 * A request whose ?v= matches the file's fingerprint may be cached for a year; any other for an
 * hour with revalidation. If-None-Match answers 304. A text file goes gzipped to a browser whose
 * Accept-Encoding takes gzip, with an ETag of its own; both answers say Vary: Accept-Encoding. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "handlers.h"

/* True when the Accept-Encoding header value ae takes gzip: a "gzip" (or "*") coding whose q is
 * not 0 (RFC 9110, 12.5.3). */
static bool accepts_gzip(const char *ae)
{
	const char *p = ae, *end, *semi, *q;
	size_t n;
	bool gzip = false, star = false, *which;

	while (p != NULL && *p != '\0') {
		p += strspn(p, " \t,");
		end = p + strcspn(p, ",");
		semi = memchr(p, ';', (size_t)(end - p));
		n = (size_t)((semi != NULL ? semi : end) - p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		which = n == 4 && strncasecmp(p, "gzip", 4) == 0 ? &gzip
		      : n == 1 && *p == '*' ? &star : NULL;
		if (which != NULL) {
			q = semi != NULL ? strstr(semi, "q=") : NULL;
			*which = q == NULL || q > end || strtod(q + 2, NULL) > 0;
			if (which == &gzip)
				return gzip;
		}
		p = *end != '\0' ? end + 1 : NULL;
	}
	return star;
}

int static_asset(struct req *r)
{
	const struct asset *a = assets_find(app.assets, r->params[0]);
	const char *v = kv_get(&r->query, "v");
	const char *inm = http_header(r, "If-None-Match");
	const char *ae = http_header(r, "Accept-Encoding");
	bool gz;
	int immutable;

	if (a == NULL)
		return http_send_error(r, 404, NULL);
	gz = a->gz != NULL && ae != NULL && accepts_gzip(ae);
	immutable = v != NULL && strlen(v) == 16 && strncmp(v, a->etag + 1, 16) == 0;
	http_add_header(r, "Cache-Control", immutable ? "public, max-age=31536000, immutable"
						      : "public, max-age=3600, must-revalidate");
	http_add_header(r, "ETag", gz ? a->gz_etag : a->etag);
	if (a->gz != NULL)
		http_add_header(r, "Vary", "Accept-Encoding");
	if (inm != NULL && strstr(inm, gz ? a->gz_etag : a->etag) != NULL)
		return http_send(r, 304, NULL, NULL, 0);
	if (!gz)
		return http_send(r, 200, a->content_type, a->data, a->len);
	http_add_header(r, "Content-Encoding", "gzip");
	return http_send(r, 200, a->content_type, a->gz, a->gz_len);
}
