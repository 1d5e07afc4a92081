/* assets.h - the static files under assets_dir, loaded into memory at start-up and served under
 * /assets/ with a content hash as ETag and fingerprint. Nothing is read from disk per request and
 * no path from a request ever reaches the filesystem, so there is no listing and no traversal.
 * Text files (CSS, JavaScript, SVG, JSON, plain text) are also gzipped once at start-up, for
 * browsers that accept it: the stylesheet goes from 124 KB to 15 KB. Static files hold
 * no secret and echo nothing from the request, so compressing them over TLS leaks nothing. */
#ifndef PORTAL_ASSETS_H
#define PORTAL_ASSETS_H

#include <stddef.h>

struct assets;

struct asset {
	const char *path;         /* relative to assets_dir: "app.css", "images/x.svg" */
	const char *data;
	size_t len;
	const char *content_type;
	char etag[20];            /* "\"" + 16 hex + "\"" */
	char url[300];            /* "/assets/app.css?v=<16 hex>" */
	const char *gz;           /* data gzipped, or NULL (not text, or no smaller) */
	size_t gz_len;
	char gz_etag[24];         /* the gzipped representation's: "\"" + 16 hex + "-gz\"" */
};

/* Loads every regular file below dir. NULL with a message in err on failure. */
struct assets *assets_load(const char *dir, char *err, size_t errlen);
/* The asset at relative path, or NULL. */
const struct asset *assets_find(const struct assets *a, const char *path);
void assets_free(struct assets *a);

#endif
