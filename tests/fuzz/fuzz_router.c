/* fuzz_router.c - matching a request's method and path to the portal's route table (router.c,
 * routes.c). The input is "METHOD PATH". Properties: a match's parameters are non-empty
 * segments of the path (no '/', except the last of a {name...} pattern), as many as its
 * pattern names; a method not allowed lists the methods that are; HEAD matches what GET
 * does. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "router.h"

/* The number of {name} placeholders in pattern. */
static size_t placeholders(const char *pattern)
{
	size_t n = 0;

	for (; *pattern != '\0'; pattern++)
		n += *pattern == '{';
	return n;
}

static enum route_match match(const char *method, const char *path, const struct route **rt,
			      const char **params, size_t *n, char *scratch, char *allow)
{
	return router_match(routes, routes_len, method, path, rt, params, n, scratch, allow, 256);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *path, allow[256], *scratch = NULL, *scratch2 = NULL;
	const char *params[REQ_MAX_PARAMS], *params2[REQ_MAX_PARAMS];
	const struct route *rt = NULL, *rt2 = NULL;
	size_t n = 0, n2 = 0, i;
	enum route_match m;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	path = strchr(text, ' ');
	if (path == NULL)
		goto out;
	*path++ = '\0';
	scratch = malloc(strlen(path) + 1);
	scratch2 = malloc(strlen(path) + 1);
	if (scratch == NULL || scratch2 == NULL)
		goto out;
	allow[0] = '\0';
	m = match(text, path, &rt, params, &n, scratch, allow);
	if (m == ROUTE_FOUND) {
		if (rt == NULL || n != placeholders(rt->pattern))
			abort();
		for (i = 0; i < n; i++)
			if (params[i][0] == '\0' ||
			    (strchr(params[i], '/') != NULL &&
			     (i + 1 < n || strstr(rt->pattern, "...}") == NULL)))
				abort();
	} else if (m == ROUTE_BAD_METHOD && allow[0] == '\0') {
		abort();
	}
	if (strcmp(text, "GET") == 0) {
		allow[0] = '\0';
		if (match("HEAD", path, &rt2, params2, &n2, scratch2, allow) != m ||
		    (m == ROUTE_FOUND && (rt2 != rt || n2 != n)))
			abort();
	}
out:
	free(scratch);
	free(scratch2);
	free(text);
	return 0;
}
