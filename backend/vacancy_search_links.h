/* vacancy_search_links.h - what a search looks like to people: its address (/vacancies?...),
 * its filters in words ("Job role: Teacher", each with the address that removes it) and its
 * parameters as hidden form fields. For the search page (vacancies_public.c) and job alerts
 * (job_alerts.c), so that both describe and link a search the same way.
 */
#ifndef PORTAL_VACANCY_SEARCH_LINKS_H
#define PORTAL_VACANCY_SEARCH_LINKS_H

#include <jansson.h>

#include "buf.h"
#include "schools_data.h"
#include "vacancy_labels.h"
#include "vacancy_search.h"

/* Appends the address of search vq to b: "/vacancies" and every parameter but value `skip` of
 * parameter skip_name (NULL: none), at `page` (left out when 1). Leaving out q drops
 * sort=relevance too. Parameters come in a fixed order, so one search has one address. */
void vacancy_search_url(struct buf *b, const struct vacancy_query *vq, const char *skip_name,
			const char *skip, long page);

/* Appends the query string of search vq without sort and page, and without "?" ("" for every
 * job): what a job alert keeps of a search, what its form's address carries, and the address
 * of the search's Atom feed. */
void vacancy_search_alert_query(struct buf *b, const struct vacancy_query *vq);

/* The filters in force, each with the address that removes it: [{group, label, href}] (the
 * keywords first, as group "Search words"). subjects: the subject list; schools: the directory
 * (for the schools' names). NULL when out of memory. */
json_t *vacancy_search_active_filters(const struct vacancy_query *vq,
				      const struct label_list *subjects,
				      const struct schools_snapshot *schools);

/* The search's parameters but sort and page as [{name, value}] (hidden form fields that carry
 * the search). NULL when out of memory. */
json_t *vacancy_search_params(const struct vacancy_query *vq);

#endif
