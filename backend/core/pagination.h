/* pagination.h - the GOV.UK pagination model every paged list shares (partial
 * hr/pagination.mustache). */
#ifndef PORTAL_PAGINATION_H
#define PORTAL_PAGINATION_H

#include <jansson.h>

#include "buf.h"

/* Appends the address of page `page` of a listing to b; ctx is the listing's query. */
typedef void (*page_url_fn)(struct buf *b, long page, const void *ctx);

/* {prev, next, items} for page `page` of `pages`: prev/next addresses when they exist, and
 * items being the pages 1, page-1 .. page+1 and the last as {number, href, current}, with
 * {ellipsis: true} where pages are skipped. Returns a new object, or NULL when out of memory. */
json_t *pagination_model(long page, long pages, page_url_fn url, const void *ctx);

#endif
