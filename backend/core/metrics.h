/* metrics.h - request counters and latency histograms per route, in Prometheus text format.
 * Lock-free (atomic counters); safe from any worker thread. */
#ifndef PORTAL_METRICS_H
#define PORTAL_METRICS_H

#include <stdbool.h>

#include "buf.h"

/* Records one request: route index into the route table (routes_len for "no route"), status,
 * duration in seconds. */
void metrics_observe(size_t route, int status, double seconds);
/* Appends the exposition text (requests, latency, database pool) to out. */
void metrics_render(struct buf *out);
/* Whether a client may read the metrics: with token "" (none configured), when its address is a
 * loopback one (127.0.0.0/8, ::1, ::ffff:127.x.y.z); otherwise only when authorization (the
 * request's Authorization header, NULL when none) is "Bearer <token>", compared in constant
 * time. The metrics name every route and how often sign-in fails: not for the public. */
bool metrics_allowed(const char *address, const char *authorization, const char *token);

#endif
