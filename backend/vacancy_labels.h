/* vacancy_labels.h - the fixed value lists of a vacancy and their labels, the one place that
 * names them (the database's CHECK constraints allow the same values; subjects are a table,
 * vacancy_subjects). Used to validate forms and filters and to show values to people. */
#ifndef PORTAL_VACANCY_LABELS_H
#define PORTAL_VACANCY_LABELS_H

#include <jansson.h>
#include <stddef.h>

struct label {
	const char *value;
	const char *label;
};

struct label_list {
	const char *name;           /* the form field and filter parameter, e.g. "role" */
	const struct label *items;
	size_t len;
};

extern const struct label_list vacancy_roles;            /* role */
extern const struct label_list vacancy_phases;           /* phase */
extern const struct label_list vacancy_key_stages;       /* key_stage */
extern const struct label_list vacancy_contracts;        /* contract */
extern const struct label_list vacancy_working_patterns; /* working_pattern */
extern const struct label_list vacancy_pay_scales;       /* pay_scale */
extern const struct label_list vacancy_start_types;      /* start_type */
extern const struct label_list vacancy_statuses;         /* status */

/* The label of value in list, or NULL when value is not one of its values. */
const char *label_of(const struct label_list *list, const char *value);

/* A new array [{value, label, selected}] of the list, selected when the value is one of the
 * `chosen` strings (n of them). NULL when out of memory. For checkboxes, radios and selects. */
json_t *label_options(const struct label_list *list, const char *const *chosen, size_t n);

#endif
