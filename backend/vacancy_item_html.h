/* vacancy_item_html.h - a vacancy as one job in a list of jobs, in HTML.
 *
 * The HTML is template vacancies/item rendered from the vacancy's list item (vacancy_view.h),
 * so it is escaped by the template engine like any page. It is a function of the item's row
 * alone (the columns VACANCY_ITEM_COLUMNS; labels and templates do not change while the
 * process runs), so it is rendered once per distinct row and kept: a search page then copies
 * twenty kept items instead of building and rendering twenty models (half of the page's cost).
 * Any change to a vacancy or its school changes the row, and with it the HTML. At most
 * VACANCY_ITEM_HTML_SLOTS rows are kept; a row whose slot is taken replaces it.
 */
#ifndef PORTAL_VACANCY_ITEM_HTML_H
#define PORTAL_VACANCY_ITEM_HTML_H

#include <jansson.h>
#include <libpq-fe.h>

#include "vacancy_labels.h"

#define VACANCY_ITEM_HTML_SLOTS 4096

/* {"html": the HTML of row `row` of res (VACANCY_ITEM_COLUMNS from column 0)}; subjects from
 * vacancy_subjects_list(). NULL when out of memory or the template fails. A
 * vacancy_search_item_fn (vacancy_search.h). */
json_t *vacancy_item_html(const PGresult *res, int row, const struct label_list *subjects);

/* Forgets every kept row (at shutdown, and for tests). */
void vacancy_item_html_clear(void);

#endif
