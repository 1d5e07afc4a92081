/* handlers.h - every route handler, by module. The router table (core/router_table.c) is the
 * one place that maps URLs to these. */
#ifndef PORTAL_HANDLERS_H
#define PORTAL_HANDLERS_H

#include "http.h"

/* pages.c */
int page_home(struct req *r);
int page_accessibility(struct req *r);
int page_privacy(struct req *r);
int page_cookies(struct req *r);

/* schools.c */
int schools_index(struct req *r);
int schools_show(struct req *r);
int api_schools_index(struct req *r);

/* ops.c */
int ops_healthz(struct req *r);
int ops_readyz(struct req *r);
int ops_metrics(struct req *r);

/* static_files.c */
int static_asset(struct req *r);

#endif
