/* router.c - matching a method and path against the route table; see router.h. */
#include "router.h"

#include <stdio.h>
#include <string.h>

/* Matches path against pattern. Placeholders {name} take one non-empty segment; a final
 * {name...} takes the rest of the path (one or more segments). Captured values are written into
 * scratch (a copy of path) and pointed to from params. Returns 1 on a match. */
static int pattern_match(const char *pattern, const char *path, const char **params,
			 size_t *nparams, char *scratch)
{
	const char *p = pattern, *s = path, *close;
	size_t n = 0, seglen;
	char *out;

	while (*p != '\0') {
		if (*p != '{') {
			if (*p != *s)
				return 0;
			p++;
			s++;
			continue;
		}
		close = strchr(p, '}');
		if (close == NULL || n == REQ_MAX_PARAMS)
			return 0;
		if (close - p > 4 && strncmp(close - 3, "...", 3) == 0)
			seglen = strlen(s);
		else
			seglen = strcspn(s, "/");
		if (seglen == 0)
			return 0;
		out = scratch + (s - path);
		memcpy(out, s, seglen);
		out[seglen] = '\0';
		params[n++] = out;
		s += seglen;
		p = close + 1;
	}
	if (*s != '\0')
		return 0;
	*nparams = n;
	return 1;
}

enum route_match router_match(const struct route *table, size_t n, const char *method,
			      const char *path, const struct route **out, const char **params,
			      size_t *nparams, char *scratch, char *allow, size_t allowlen)
{
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	size_t i, used = 0, np;
	int path_found = 0;
	const char *tmp[REQ_MAX_PARAMS];

	if (allowlen > 0)
		allow[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!pattern_match(table[i].pattern, path, tmp, &np, scratch))
			continue;
		if (strcmp(table[i].method, want) == 0) {
			memcpy(params, tmp, np * sizeof *tmp);
			*nparams = np;
			*out = &table[i];
			return ROUTE_FOUND;
		}
		path_found = 1;
		if (used < allowlen && strstr(allow, table[i].method) == NULL) {
			used += (size_t)snprintf(allow + used, allowlen - used, "%s%s",
						 used ? ", " : "", table[i].method);
			if (strcmp(table[i].method, "GET") == 0 && used < allowlen)
				used += (size_t)snprintf(allow + used, allowlen - used, ", HEAD");
		}
	}
	return path_found ? ROUTE_BAD_METHOD : ROUTE_NOT_FOUND;
}
