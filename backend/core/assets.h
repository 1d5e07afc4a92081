/* assets.h - the static files under assets_dir, loaded into memory at start-up and served under
 * /assets/ with a content hash as ETag and fingerprint. Nothing is read from disk per request and
 * no path from a request ever reaches the filesystem, so there is no listing and no traversal. */
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
};

/* Loads every regular file below dir. NULL with a message in err on failure. */
struct assets *assets_load(const char *dir, char *err, size_t errlen);
/* The asset at relative path, or NULL. */
const struct asset *assets_find(const struct assets *a, const char *path);
void assets_free(struct assets *a);

#endif
