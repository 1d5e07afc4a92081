/* routes.c - the one table of routes: every URL of the portal, its method, handler and the role
 * it requires. Metrics label each request with the route's name. */
#include "handlers.h"
#include "router.h"

const struct route routes[] = {
	{ "GET", "/", page_home, ROLE_PUBLIC, "home" },
	{ "GET", "/schools", schools_index, ROLE_PUBLIC, "schools_index" },
	{ "GET", "/schools/{urn}", schools_show, ROLE_PUBLIC, "schools_show" },
	{ "GET", "/accessibility", page_accessibility, ROLE_PUBLIC, "accessibility" },
	{ "GET", "/privacy", page_privacy, ROLE_PUBLIC, "privacy" },
	{ "GET", "/cookies", page_cookies, ROLE_PUBLIC, "cookies" },
	{ "GET", "/api/v1/schools", api_schools_index, ROLE_PUBLIC, "api_schools_index" },
	{ "GET", "/healthz", ops_healthz, ROLE_PUBLIC, "healthz" },
	{ "GET", "/readyz", ops_readyz, ROLE_PUBLIC, "readyz" },
	{ "GET", "/metrics", ops_metrics, ROLE_PUBLIC, "metrics" },
	{ "GET", "/assets/{path...}", static_asset, ROLE_PUBLIC, "assets" },
};

const size_t routes_len = sizeof routes / sizeof routes[0];
