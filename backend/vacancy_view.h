/* vacancy_view.h - the read model of one vacancy: every field, with labels and formatted dates,
 * as a jansson object for templates and the JSON API. Shared by the public pages and the school
 * side (summary, preview). It loads a vacancy whatever its status: callers decide who may see it.
 *
 * The model (every key always present; JSON null where the vacancy has no value):
 *   id                  integer
 *   url                 "/vacancies/42" (the public page)
 *   school_urn          integer, the school that posted it
 *   status, status_label  "published", "Live" (vacancy_statuses)
 *   is_draft, is_scheduled, is_published, is_closed   booleans, one per status
 *   is_live             true when published and the closing time is still ahead
 *   is_expired          true when closed, or published with its closing time passed
 *   title               string
 *   job_roles, phases, key_stages, subjects, working_patterns
 *                       arrays of {value, label}, in the order stored
 *   roles_label, phases_label, key_stages_label, subjects_label, working_patterns_label
 *                       their labels joined with ", " ("" when empty)
 *   contract_type, contract_label, fixed_term_length
 *   hours_per_week, fte numbers (JSON reals) or null
 *   working_hours_label "Part time, 22.5 hours a week" style summary of pattern + hours/FTE
 *   pay_scale, pay_scale_label, pay_text
 *   salary_min, salary_max  integers (pounds a year) or null
 *   salary_label        "£30,000 to £45,000", "From £30,000", "Up to £45,000", or null
 *   pay_label           the pay in one line: salary_label, pay scale label and pay_text joined
 *                       with ", " (null when none is known)
 *   actual_salary       what a part-time or term-time job pays a year (the full-time salary
 *                       pro rata), as the school wrote it, or null
 *   start_type, start_type_label, start_date (YYYY-MM-DD), start_date_label
 *                       ("1 September 2026"), start_term
 *   start_label         "1 September 2026" | "As soon as possible" | the term text | null
 *   ect_suitable, key_worker_eligible, visa_sponsorship   booleans (visa_sponsorship: a
 *                       Skilled Worker visa can be sponsored)
 *   publish_at, published_at, closes_at, closed_at, created_at, updated_at
 *                       ISO 8601 in UTC ("2026-11-24T09:00:00Z") or null
 *   publish_at_label, published_at_label, closes_at_label, closed_at_label, updated_at_label
 *                       for people, Europe/London: "24 November 2026, 9:00am" (or null)
 *   published_date_label, closes_date_label   the date alone: "24 November 2026" (or null)
 *   end_reason, filled  (ended early) string / boolean, or null
 *   description, about_school, school_offers, school_visits   the Markdown source
 *                       (school_visits: how to arrange a visit, "" when the listing says
 *                       nothing about visits)
 *   description_html, about_school_html, school_offers_html, school_visits_html
 *                       HTML rendered by markdown_html() (safe: see markdown.h) - the ONLY
 *                       values of this model a template may print with {{{ }}} (the others
 *                       printed so are HTML the template engine itself rendered: the search
 *                       page's filter form and jobs, vacancies_public.c)
 *   contact_email, contact_phone
 *   school              the posting school: {urn, name, town, postcode, website, phase,
 *                       phase_label, trust, url ("/schools/URN")}
 *   schools             every school it covers, posting school first, then by name:
 *                       [{urn, name, town, postcode, website, phase, phase_label, trust, url}]
 *   multiple_schools    true when it covers more than one school
 *   documents           [{key, filename, content_type, type_label ("PDF", "Word document"),
 *                         size, size_label ("1.2 MB"), url ("/vacancies/42/documents/KEY")}]
 *                       oldest first
 *   has_documents       true when documents is not empty
 *   apply_url           "/vacancies/42/apply"
 */
#ifndef PORTAL_VACANCY_VIEW_H
#define PORTAL_VACANCY_VIEW_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "db.h"
#include "vacancy_labels.h"

/* Loads vacancy `id` on connection c (one query, no transaction of its own; the connection is
 * not released). Subject labels come from vacancy_subjects_list().
 * Returns a new model (the caller json_decrefs it) and sets *found = 1. When there is no such
 * vacancy: NULL, *found = 0, err = "". On failure (database, out of memory): NULL, *found = 0
 * and a one-line cause in err for the log. */
json_t *vacancy_model_load(PGconn *c, long long id, int *found, char *err, size_t errlen);

/* When a vacancy over `v` closes, as every page shows it: the closing date, or for a listing
 * ended early the moment it was ended. */
#define VACANCY_CLOSES_SQL                                                                     \
	"(CASE WHEN v.status = 'closed' AND v.closed_at < v.closes_at THEN v.closed_at"       \
	" ELSE v.closes_at END)"

/* A list item: the part of the model that search results, the feed and the school's lists show.
 * Keys (same meaning as in the full model): id, url, title, status, status_label, job_roles,
 * roles_label, phases, phases_label, subjects, subjects_label, contract_type, contract_label,
 * working_patterns, working_patterns_label, pay_scale, pay_scale_label, pay_text, salary_min,
 * salary_max, salary_label, pay_label, actual_salary, ect_suitable, key_worker_eligible,
 * visa_sponsorship, published_at, published_date_label, closes_at, closes_at_label,
 * closes_date_label, updated_at, school {urn, name, town, url}, other_schools (how many more
 * schools it covers: integer).
 *
 * VACANCY_ITEM_COLUMNS (a string literal, for statements built at compile time) and
 * vacancy_item_columns are the SQL select list of an item over `v` (vacancies) joined with `s`
 * (schools, the posting school: s.urn = v.school_urn); vacancy_item_from_row() turns columns
 * first.. of a row of such a result into a new item (NULL when out of memory). */
#define VACANCY_ITEM_COLUMNS                                                                   \
	"v.id, v.title, v.status, v.job_roles, v.phases, v.subjects, v.contract_type,"        \
	" v.working_patterns, v.pay_scale, v.pay_text, v.salary_min, v.salary_max,"           \
	" v.actual_salary,"                                                                    \
	" v.ect_suitable, v.key_worker_eligible, v.visa_sponsorship, "                        \
	SQL_ISO("v.published_at") ", "                                                        \
	SQL_DAY("v.published_at") ", " SQL_ISO(VACANCY_CLOSES_SQL) ", "                        \
	SQL_WHEN(VACANCY_CLOSES_SQL) ", " SQL_DAY(VACANCY_CLOSES_SQL) ", "                     \
	SQL_ISO("v.updated_at") ", s.urn, s.name, s.town,"                                    \
	" (SELECT count(*) FROM vacancy_schools vs WHERE vs.vacancy_id = v.id"                \
	" AND vs.school_urn <> v.school_urn)"
extern const char vacancy_item_columns[];
json_t *vacancy_item_from_row(const PGresult *res, int row, int first,
			      const struct label_list *subjects);
/* The same item appended to b as compact JSON text (for answers sent as they are built). */
void vacancy_item_write(struct buf *b, const PGresult *res, int row, int first,
			const struct label_list *subjects);

/* The subjects (table vacancy_subjects, in position order) as a label list, loaded through c on
 * first use and kept for the life of the process (the list changes only with a migration, and
 * a migration means a restart). Thread-safe. NULL with the cause in err when it cannot be read;
 * a later call tries again. Never free it. */
const struct label_list *vacancy_subjects_list(PGconn *c, char *err, size_t errlen);

/* Adds json_ld to m when m is live: its schema.org JobPosting as JSON text made safe inside
 * <script type="application/ld+json"> (<, > and & are \u escapes, so the template prints it
 * with {{{json_ld}}}); links are absolute, from base_url. Does nothing for a vacancy that is not
 * live. Returns 0, or -1 when out of memory.
 *
 * The page template "vacancies/show" takes the vacancy model itself (with json_ld when live),
 * plus, for the school's preview, preview: true (a banner says it is not published, robots are
 * told not to index it) and summary_url (the way back). A closed or expired vacancy
 * (is_expired) shows "This job is closed" and is not indexed. */
int vacancy_page_json_ld(json_t *m, const char *base_url);

#endif
