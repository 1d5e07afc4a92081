/* vacancy_labels.c - the value lists of a vacancy; see vacancy_labels.h. */
#include "vacancy_labels.h"

#include <stdbool.h>
#include <string.h>

#define LIST(var, field, ...)                                                                 \
	static const struct label var##_items[] = { __VA_ARGS__ };                            \
	const struct label_list var = { field, var##_items,                                  \
					sizeof var##_items / sizeof var##_items[0] }

LIST(vacancy_roles, "role",
     { "teacher", "Teacher" },
     { "head_of_department", "Head of department" },
     { "head_of_year", "Head of year" },
     { "assistant_head", "Assistant headteacher" },
     { "deputy_head", "Deputy headteacher" },
     { "headteacher", "Headteacher" },
     { "senco", "SENCo" },
     { "teaching_assistant", "Teaching assistant" },
     { "hlta", "Higher level teaching assistant (HLTA)" },
     { "cover_supervisor", "Cover supervisor" },
     { "other_support", "Other support staff" });

LIST(vacancy_phases, "phase",
     { "primary", "Primary" },
     { "secondary", "Secondary" },
     { "all-through", "All-through" },
     { "special", "Special" },
     { "alternative-provision", "Alternative provision" },
     { "post-16", "Post-16" });

LIST(vacancy_key_stages, "key_stage",
     { "eyfs", "Early years (EYFS)" },
     { "ks1", "Key stage 1" },
     { "ks2", "Key stage 2" },
     { "ks3", "Key stage 3" },
     { "ks4", "Key stage 4" },
     { "ks5", "Key stage 5" });

LIST(vacancy_contracts, "contract",
     { "permanent", "Permanent" },
     { "fixed_term", "Fixed term" },
     { "parental_cover", "Maternity or parental leave cover" });

LIST(vacancy_working_patterns, "working_pattern",
     { "full_time", "Full time" },
     { "part_time", "Part time" },
     { "job_share", "Job share" },
     { "term_time", "Term time only" });

LIST(vacancy_pay_scales, "pay_scale",
     { "mps", "Main pay scale (MPS)" },
     { "ups", "Upper pay scale (UPS)" },
     { "leadership", "Leadership pay scale" },
     { "support", "Support staff grade" },
     { "other", "Other" });

LIST(vacancy_start_types, "start_type",
     { "date", "On a date" },
     { "asap", "As soon as possible" },
     { "term", "At the start of a term" });

LIST(vacancy_statuses, "status",
     { "draft", "Draft" },
     { "scheduled", "Scheduled" },
     { "published", "Live" },
     { "closed", "Closed" });

const char *label_of(const struct label_list *list, const char *value)
{
	size_t i;

	for (i = 0; value != NULL && i < list->len; i++)
		if (strcmp(list->items[i].value, value) == 0)
			return list->items[i].label;
	return NULL;
}

json_t *label_options(const struct label_list *list, const char *const *chosen, size_t n)
{
	json_t *out = json_array(), *o;
	bool selected;
	size_t i, k;

	if (out == NULL)
		return NULL;
	for (i = 0; i < list->len; i++) {
		selected = false;
		for (k = 0; k < n; k++)
			if (chosen[k] != NULL && strcmp(chosen[k], list->items[i].value) == 0)
				selected = true;
		o = json_pack("{s:s, s:s, s:b}", "value", list->items[i].value, "label",
			      list->items[i].label, "selected", selected);
		if (o == NULL || json_array_append_new(out, o) != 0) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}
