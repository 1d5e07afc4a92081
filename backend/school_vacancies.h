/* school_vacancies.h - what the school's vacancy pages share (school_vacancies.c: the
 * dashboard and these helpers; school_vacancies_edit.c: creating and editing in steps;
 * school_vacancies_summary.c: the summary and the preview; school_vacancies_actions.c:
 * publish, schedule, extend, end, the outcome of a closed listing, copy, delete).
 *
 * Tenancy: a vacancy belongs to its posting school. Reading needs SCHOOL_VIEWER there, changing
 * SCHOOL_HIRING_MANAGER (tenancy_school; HR and admin may act on every school). Another school's
 * vacancy, or an unknown id, is "not found" (404) for every URL; a viewer of the same school who
 * tries to change it gets 403 with a page that says why.
 */
#ifndef PORTAL_SCHOOL_VACANCIES_H
#define PORTAL_SCHOOL_VACANCIES_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

#include "auth.h"
#include "http.h"
#include "vacancy_form.h"

/* Loads the vacancy named by the path's first parameter into f and checks the request's user
 * may act on it at level `need`. *can_manage (may be NULL) says whether they may change it.
 * Returns 0 with f loaded (free it with vacancy_form_free); otherwise it has answered (404,
 * 403 for a viewer asking to change, 503) and returns the status sent, negated. */
int school_vacancy_load(struct req *r, PGconn *c, enum school_access need,
			struct vacancy_form *f, bool *can_manage);

/* Renders the summary page ("check your answers") of vacancy f with HTTP status `status`.
 * The page model holds the read model (vacancy_model_load) as "vacancy", the documents section
 * (vacancy_documents_model, partial school/vacancy_documents), the history and the actions;
 * extra (borrowed, may be NULL) is merged into it last: an error model (form_error: errors,
 * has_errors, error), the values typed into the extend and end forms ({"extend": {...},
 * "end": {...}}), or a refused upload's document_error. can_manage shows the Change links and
 * the actions. Returns the status sent. */
int school_vacancy_summary(struct req *r, PGconn *c, struct vacancy_form *f, bool can_manage,
			   json_t *extra, int status);

/* A new array of {value, label, selected, id} for the values of list: selected when bit i of
 * mask is set; id is `field` for the first item (the one error messages link to), else
 * "<field>-<value>". reveal, when not NULL, marks the item of that value with reveal: true (it
 * has a conditional question). NULL when out of memory. */
json_t *school_vacancy_options(const struct label_list *list, unsigned mask, const char *field,
			       const char *reveal);

/* The bit of value in list (0 when unknown), for school_vacancy_options with one choice. */
unsigned school_vacancy_bit(const struct label_list *list, const char *value);

/* The message for `field` in the error model errs (may be NULL), or "". */
const char *school_vacancy_message(const json_t *errs, const char *field);

/* A GOV.UK date input for the template (partial school/vacancy_date_input): {field, legend,
 * hint, day, month, year, message}, message being errs' first for field-day, -month, -year.
 * NULL when out of memory. */
json_t *school_vacancy_date_group(const char *field, const char *legend, const char *hint,
				  const struct vf_date *d, const json_t *errs);

/* The closing times as select options [{value, label, selected}], `selected` chosen ("" for
 * none; a time not in vacancy_closing_times is offered too, so that saving keeps it). NULL
 * when out of memory. */
json_t *school_vacancy_times(const char *selected);

/* The status tag of a vacancy status: {status, status_label, status_class}. Adds the keys to
 * obj. Returns 0 or -1. */
int school_vacancy_status_tag(json_t *obj, const char *status);

#endif
