/* metrics.c - counters and histograms; see metrics.h. */
#include "metrics.h"

#include <openssl/crypto.h>
#include <stdatomic.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "forwarded.h"
#include "router.h"

#define MAX_ROUTES 128

/* The statuses counted one by one; anything else is counted as its class (2xx...). */
static const int statuses[] = { 200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404,
				405, 409, 413, 415, 422, 429, 500, 503 };
#define NSTATUS (sizeof statuses / sizeof statuses[0])
#define NCLASS 5
static const double bounds[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
				 0.05,   0.1,   0.25,   0.5,   1,    2.5 };
#define NBUCKET (sizeof bounds / sizeof bounds[0])

struct route_metrics {
	atomic_ullong by_status[NSTATUS + NCLASS];
	atomic_ullong buckets[NBUCKET + 1]; /* last: +Inf */
	atomic_ullong micros;               /* sum of durations, microseconds */
};

static struct route_metrics per_route[MAX_ROUTES + 1];

static size_t status_slot(int status)
{
	size_t i;

	for (i = 0; i < NSTATUS; i++)
		if (statuses[i] == status)
			return i;
	if (status < 100 || status > 599)
		status = 500;
	return NSTATUS + (size_t)(status / 100 - 1);
}

void metrics_observe(size_t route, int status, double seconds)
{
	struct route_metrics *m;
	size_t b = 0;

	if (route > routes_len || route > MAX_ROUTES)
		route = routes_len < MAX_ROUTES ? routes_len : MAX_ROUTES;
	m = &per_route[route];
	atomic_fetch_add_explicit(&m->by_status[status_slot(status)], 1, memory_order_relaxed);
	while (b < NBUCKET && seconds > bounds[b])
		b++;
	atomic_fetch_add_explicit(&m->buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->micros, (unsigned long long)(seconds * 1e6),
				  memory_order_relaxed);
}

static const char *route_label(size_t i)
{
	return i < routes_len ? routes[i].name : "none";
}

void metrics_render(struct buf *out)
{
	static const char *const classes[] = { "1xx", "2xx", "3xx", "4xx", "5xx" };
	struct route_metrics *m;
	unsigned long long v, cum;
	struct db_stats st;
	size_t i, j, n = routes_len < MAX_ROUTES ? routes_len : MAX_ROUTES;

	buf_puts(out, "# HELP portal_http_requests_total HTTP requests by route and status.\n"
		      "# TYPE portal_http_requests_total counter\n");
	for (i = 0; i <= n; i++) {
		m = &per_route[i];
		for (j = 0; j < NSTATUS + NCLASS; j++) {
			v = atomic_load_explicit(&m->by_status[j], memory_order_relaxed);
			if (v == 0)
				continue;
			if (j < NSTATUS)
				buf_printf(out, "portal_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
					   route_label(i), statuses[j], v);
			else
				buf_printf(out, "portal_http_requests_total{route=\"%s\",status=\"%s\"} %llu\n",
					   route_label(i), classes[j - NSTATUS], v);
		}
	}
	buf_puts(out, "# HELP portal_http_request_duration_seconds Time to answer a request.\n"
		      "# TYPE portal_http_request_duration_seconds histogram\n");
	for (i = 0; i <= n; i++) {
		m = &per_route[i];
		cum = 0;
		for (j = 0; j <= NBUCKET; j++)
			cum += atomic_load_explicit(&m->buckets[j], memory_order_relaxed);
		if (cum == 0)
			continue;
		cum = 0;
		for (j = 0; j <= NBUCKET; j++) {
			cum += atomic_load_explicit(&m->buckets[j], memory_order_relaxed);
			if (j < NBUCKET)
				buf_printf(out, "portal_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
					   route_label(i), bounds[j], cum);
			else
				buf_printf(out, "portal_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
					   route_label(i), cum);
		}
		buf_printf(out, "portal_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n",
			   route_label(i),
			   (double)atomic_load_explicit(&m->micros, memory_order_relaxed) / 1e6);
		buf_printf(out, "portal_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
			   route_label(i), cum);
	}
	db_stats_get(&st);
	buf_printf(out,
		   "# HELP portal_db_pool_size Database connections the pool may open.\n"
		   "# TYPE portal_db_pool_size gauge\nportal_db_pool_size %u\n"
		   "# HELP portal_db_pool_open Database connections open.\n"
		   "# TYPE portal_db_pool_open gauge\nportal_db_pool_open %u\n"
		   "# HELP portal_db_pool_in_use Database connections lent to requests.\n"
		   "# TYPE portal_db_pool_in_use gauge\nportal_db_pool_in_use %u\n"
		   "# HELP portal_db_pool_waits_total Requests that waited for a connection.\n"
		   "# TYPE portal_db_pool_waits_total counter\nportal_db_pool_waits_total %llu\n"
		   "# HELP portal_db_pool_timeouts_total Requests that got no connection in time.\n"
		   "# TYPE portal_db_pool_timeouts_total counter\nportal_db_pool_timeouts_total %llu\n"
		   "# HELP portal_db_pool_connect_failures_total Connections that could not be made.\n"
		   "# TYPE portal_db_pool_connect_failures_total counter\n"
		   "portal_db_pool_connect_failures_total %llu\n"
		   "# HELP portal_db_pool_resets_total Broken connections reset.\n"
		   "# TYPE portal_db_pool_resets_total counter\nportal_db_pool_resets_total %llu\n",
		   st.size, st.open, st.in_use, st.waits, st.timeouts, st.failures, st.resets);
}

/* Loopback addresses (an IPv4-mapped one counts as its IPv4 address: forwarded.h). */
static const char loopback[] = "127.0.0.0/8, ::1";

bool metrics_allowed(const char *address, const char *authorization, const char *token)
{
	size_t n = strlen(token);

	if (n == 0)
		return forwarded_trusted(loopback, address);
	if (authorization == NULL || strncasecmp(authorization, "Bearer ", 7) != 0)
		return false;
	authorization += 7;
	return strlen(authorization) == n && CRYPTO_memcmp(authorization, token, n) == 0;
}
