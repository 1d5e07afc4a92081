/* assets.c - static files held in memory; see assets.h. */
#include "assets.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "buf.h"

struct assets {
	struct asset *items;
	size_t len;
	size_t cap;
};

/* The content type of each known extension, and whether it is text worth gzipping (PNG, ICO
 * and the fonts are compressed already). */
static const struct {
	const char *ext;
	const char *type;
	bool text;
} types[] = {
	{ ".css", "text/css; charset=utf-8", true },
	{ ".js", "text/javascript; charset=utf-8", true },
	{ ".mjs", "text/javascript; charset=utf-8", true },
	{ ".svg", "image/svg+xml", true },
	{ ".png", "image/png", false },
	{ ".ico", "image/x-icon", false },
	{ ".woff2", "font/woff2", false },
	{ ".woff", "font/woff", false },
	{ ".json", "application/json", true },
	{ ".webmanifest", "application/manifest+json", true },
	{ ".txt", "text/plain; charset=utf-8", true },
};

/* The entry of types for path's extension, or -1. */
static int type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	size_t i;

	for (i = 0; dot != NULL && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return (int)i;
	return -1;
}

/* Sets as->gz to as->data gzipped (best compression) when that saves at least a tenth; leaves it
 * NULL otherwise. Returns 0, or -1 when zlib fails or memory runs out. */
static int asset_gzip(struct asset *as)
{
	z_stream z = { 0 };
	uLong cap = compressBound((uLong)as->len) + 32;   /* + the gzip header and trailer */
	unsigned char *out = malloc(cap);
	int rc = -1;

	if (out == NULL || deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9,
					Z_DEFAULT_STRATEGY) != Z_OK) {
		free(out);
		return -1;
	}
	z.next_in = (unsigned char *)as->data;
	z.avail_in = (uInt)as->len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) == Z_STREAM_END) {
		rc = 0;
		if (z.total_out < as->len - as->len / 10) {
			as->gz = (const char *)out;
			as->gz_len = z.total_out;
			snprintf(as->gz_etag, sizeof as->gz_etag, "\"%.16s-gz\"", as->etag + 1);
			out = NULL;
		}
	}
	deflateEnd(&z);
	free(out);
	return rc;
}

/* Reads file `full` into a new asset named `rel`. Returns 0 or -1 with err set. */
static int asset_add(struct assets *a, const char *full, const char *rel, char *err, size_t errlen)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned dlen = 0;
	struct asset *items, *as;
	FILE *f = NULL;
	char *data = NULL, *path = NULL;
	struct stat st;
	size_t i;
	int k, rc = -1;

	if (a->len == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 32;
		items = realloc(a->items, cap * sizeof *items);
		if (items == NULL)
			goto oom;
		a->items = items;
		a->cap = cap;
	}
	f = fopen(full, "rb");
	if (f == NULL || fstat(fileno(f), &st) != 0) {
		snprintf(err, errlen, "assets_dir: cannot read %s: %s", full, strerror(errno));
		goto out;
	}
	data = malloc((size_t)st.st_size + 1);
	path = strdup(rel);
	if (data == NULL || path == NULL)
		goto oom;
	if (fread(data, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		snprintf(err, errlen, "assets_dir: cannot read %s", full);
		goto out;
	}
	if (EVP_Digest(data, (size_t)st.st_size, digest, &dlen, EVP_sha256(), NULL) != 1) {
		snprintf(err, errlen, "assets_dir: cannot hash %s", full);
		goto out;
	}
	as = &a->items[a->len];
	memset(as, 0, sizeof *as);
	as->path = path;
	as->data = data;
	as->len = (size_t)st.st_size;
	k = type_of(rel);
	as->content_type = k >= 0 ? types[k].type : "application/octet-stream";
	as->etag[0] = '"';
	for (i = 0; i < 8; i++)
		snprintf(as->etag + 1 + 2 * i, 3, "%02x", digest[i]);
	as->etag[17] = '"';
	as->etag[18] = '\0';
	snprintf(as->url, sizeof as->url, "/assets/%s?v=%.16s", rel, as->etag + 1);
	if (k >= 0 && types[k].text && as->len > 0 && asset_gzip(as) != 0) {
		snprintf(err, errlen, "assets_dir: cannot compress %s", full);
		goto out;
	}
	a->len++;
	data = path = NULL;
	rc = 0;
	goto out;
oom:
	snprintf(err, errlen, "assets_dir: out of memory");
out:
	free(data);
	free(path);
	if (f != NULL)
		fclose(f);
	return rc;
}

/* Walks dir/rel recursively, adding every regular file. */
static int assets_walk(struct assets *a, const char *dir, const char *rel, char *err, size_t errlen)
{
	struct buf full = { 0 }, sub = { 0 };
	struct dirent *de;
	struct stat st;
	DIR *d;
	int rc = -1;

	buf_printf(&full, "%s%s%s", dir, *rel ? "/" : "", rel);
	d = opendir(buf_str(&full));
	if (d == NULL) {
		snprintf(err, errlen, "assets_dir: cannot open %s: %s (run `make`)", buf_str(&full),
			 strerror(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		buf_reset(&sub);
		buf_printf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		buf_reset(&full);
		buf_printf(&full, "%s/%s", dir, buf_str(&sub));
		if (buf_failed(&sub) || buf_failed(&full) || stat(buf_str(&full), &st) != 0) {
			snprintf(err, errlen, "assets_dir: cannot read %s", buf_str(&full));
			goto out;
		}
		if (S_ISDIR(st.st_mode)) {
			if (assets_walk(a, dir, buf_str(&sub), err, errlen) != 0)
				goto out;
		} else if (S_ISREG(st.st_mode)) {
			if (asset_add(a, buf_str(&full), buf_str(&sub), err, errlen) != 0)
				goto out;
		}
	}
	rc = 0;
out:
	if (d != NULL)
		closedir(d);
	buf_free(&full);
	buf_free(&sub);
	return rc;
}

struct assets *assets_load(const char *dir, char *err, size_t errlen)
{
	struct assets *a = calloc(1, sizeof *a);

	if (a == NULL) {
		snprintf(err, errlen, "assets_dir: out of memory");
		return NULL;
	}
	if (assets_walk(a, dir, "", err, errlen) != 0) {
		assets_free(a);
		return NULL;
	}
	return a;
}

const struct asset *assets_find(const struct assets *a, const char *path)
{
	size_t i;

	for (i = 0; a != NULL && i < a->len; i++)
		if (strcmp(a->items[i].path, path) == 0)
			return &a->items[i];
	return NULL;
}

void assets_free(struct assets *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->len; i++) {
		free((void *)a->items[i].path);
		free((void *)a->items[i].data);
		free((void *)a->items[i].gz);
	}
	free(a->items);
	free(a);
}
