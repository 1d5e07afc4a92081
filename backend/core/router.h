/* router.h - the one table of routes: {method, path pattern, handler, required role}.
 *
 * Patterns are literal segments and {name} placeholders matching one non-empty segment, e.g.
 * "/schools/{urn}". A path that matches some pattern but not with this method answers 405 with
 * Allow; one that matches none answers 404.
 */
#ifndef PORTAL_ROUTER_H
#define PORTAL_ROUTER_H

#include <stddef.h>

#include "http.h"

enum role {
	ROLE_PUBLIC = 0,  /* anyone, signed in or not */
	ROLE_STATELESS,   /* anyone; the session is not even looked up, so no CSRF check: assets,
			   * probes, the GET API, and the one-click unsubscribe (a mail program
			   * POSTs to a link token, RFC 8058) - nothing else that changes state */
	ROLE_ANY,         /* any signed-in user */
	ROLE_CANDIDATE,
	ROLE_SCHOOL_STAFF,
	ROLE_HR,
	ROLE_ADMIN,
	ROLE_SCHOOL_OR_HR, /* for routes only: school staff, HR and admin - a school's pages that
			    * the council's HR may act on too (tenancy then decides which school) */
};

typedef int (*handler_fn)(struct req *r);

struct route {
	const char *method;
	const char *pattern;
	handler_fn handler;
	enum role role;
	const char *name;   /* metrics label, e.g. "schools_show" */
	int flags;          /* ROUTE_UPLOAD, ROUTE_KEEPS_FORM, ROUTE_PEEKS_SESSION, or 0 */
};

/* Route flags. */
#define ROUTE_UPLOAD 1      /* takes a multipart upload, body up to max_upload_bytes */
#define ROUTE_KEEPS_FORM 2  /* a form (text typed at length) sent after its session ended is
			     * kept until its account signs in again (kept_form.c) */
#define ROUTE_PEEKS_SESSION 4 /* an ended session is noted (r->lapsed_user_id) but not
			       * forgotten, so that a form sent after it is still kept: the
			       * keepalive's */

enum route_match {
	ROUTE_FOUND,
	ROUTE_NOT_FOUND,
	ROUTE_BAD_METHOD,
};

/* The route table (router.c) and its length. */
extern const struct route routes[];
extern const size_t routes_len;

/* Matches method + path. On ROUTE_FOUND sets *out and fills params (pointers into a copy kept in
 * scratch, which must hold strlen(path)+1 bytes). On ROUTE_BAD_METHOD writes the allowed methods
 * ("GET, HEAD") into allow. HEAD matches GET routes. */
enum route_match router_match(const struct route *table, size_t n, const char *method,
			      const char *path, const struct route **out, const char **params,
			      size_t *nparams, char *scratch, char *allow, size_t allowlen);

#endif
