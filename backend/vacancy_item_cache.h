/* vacancy_item_cache.h - a vacancy as one job in a list of jobs, as HTML and as JSON text, kept
 * per distinct row.
 *
 * Both are functions of the item's row alone (the columns VACANCY_ITEM_COLUMNS; labels and
 * templates do not change while the process runs): the HTML is template vacancies/item rendered
 * from the vacancy's list item (vacancy_view.h), so the template engine escapes it like any
 * page; the JSON text is vacancy_item_write()'s. Each is made once per distinct row and kept: a
 * search then copies twenty kept items instead of building (and, for the page, rendering)
 * twenty. Any change to a vacancy or to its school changes its row, and with it what is
 * answered. At most VACANCY_ITEM_CACHE_SLOTS rows are kept (a few kilobytes each); a vacancy's
 * new row, or another vacancy's row for the same slot, replaces the one kept there.
 */
#ifndef PORTAL_VACANCY_ITEM_CACHE_H
#define PORTAL_VACANCY_ITEM_CACHE_H

#include <jansson.h>
#include <libpq-fe.h>

#include "buf.h"
#include "vacancy_labels.h"

#define VACANCY_ITEM_CACHE_SLOTS 2048

/* {"html": the HTML of row `row` of res (VACANCY_ITEM_COLUMNS from column 0)}; subjects from
 * vacancy_subjects_list(). NULL when out of memory or the template fails. A
 * vacancy_search_item_fn (vacancy_search.h). */
json_t *vacancy_item_html(const PGresult *res, int row, const struct label_list *subjects);

/* Appends the JSON text of row `row` of res (as vacancy_item_write) to b. */
void vacancy_item_json(struct buf *b, const PGresult *res, int row,
		       const struct label_list *subjects);

/* Forgets every kept row (at shutdown, when no request runs). */
void vacancy_item_cache_clear(void);

#endif
