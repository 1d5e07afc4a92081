/* metrics.h - request counters and latency histograms per route, in Prometheus text format.
 * Lock-free (atomic counters); safe from any worker thread. */
#ifndef PORTAL_METRICS_H
#define PORTAL_METRICS_H

#include "buf.h"

/* Records one request: route index into the route table (routes_len for "no route"), status,
 * duration in seconds. */
void metrics_observe(size_t route, int status, double seconds);
/* Appends the exposition text (requests, latency, database pool) to out. */
void metrics_render(struct buf *out);

#endif
