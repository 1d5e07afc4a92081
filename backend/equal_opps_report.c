/* equal_opps_report.c - see equal_opps_report.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "application_sections.h"
#include "db_prepared.h"
#include "equal_opps_report.h"
#include "log.h"

/* The questions, in the order of the section's fields (application_sections.c). */
static const char *const questions[] = {
	"disability", "age_band", "sex", "gender_identity", "sexual_orientation", "ethnicity",
	"religion",
};

#define NQ (sizeof questions / sizeof questions[0])

/* Rows: question, answer (the stored value), candidates. */
static const struct db_stmt totals_stmt = {
	"equal_opps_report_totals",
	"SELECT question, answer, candidates FROM vacancy_equal_opps_totals WHERE vacancy_id = "
	"$1::bigint",
	1,
};

/* qsort comparator: more first, then by label. */
static int count_cmp(const void *a, const void *b)
{
	const struct equal_opps_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->label, y->label);
}

long equal_opps_suppress(struct equal_opps_count *v, size_t n, long long *other)
{
	size_t shown = n;

	*other = 0;
	if (n > 1)
		qsort(v, n, sizeof *v, count_cmp);
	while (shown > 0 && v[shown - 1].count < EQUAL_OPPS_CELL_MIN)
		*other += v[--shown].count;
	while (shown > 0 && *other > 0 && *other < EQUAL_OPPS_CELL_MIN)
		*other += v[--shown].count;
	return shown + (*other > 0 ? 1 : 0) < 2 ? -1 : (long)shown;
}

/* Reads answer (a stored value) to question q as the candidate saw both, through the section
 * engine's display of the equal_opps section; displays keeps the display alive for the
 * borrowed labels. Returns 0, or -1 when out of memory or the value is not one of the
 * section's. */
static int labels(size_t q, const char *answer, json_t *displays, const char **question,
		  const char **label)
{
	const struct section_def *s = section_find("equal_opps");
	json_t *data, *display, *row;

	data = json_pack("{s:{s:s}}", "equal_opps", questions[q], answer);
	display = data != NULL && s != NULL ? section_display(s, data) : NULL;
	json_decref(data);
	if (display == NULL || json_array_append_new(displays, display) != 0)
		return -1;
	row = json_array_get(json_object_get(display, "rows"), q);
	*question = json_string_value(json_object_get(row, "label"));
	*label = json_string_value(json_object_get(row, "value"));
	return *question != NULL && *label != NULL ? 0 : -1;
}

/* Question q's totals of res as a new {question, withheld, answers, other}; v has room for
 * every row of res. NULL when out of memory or on a value the section does not know. */
static json_t *question_model(const PGresult *res, size_t q, struct equal_opps_count *v,
			      json_t *displays)
{
	const char *question = NULL, *unused;
	json_t *answers = json_array(), *out = NULL;
	long long other;
	long shown;
	size_t n = 0;
	int i;

	for (i = 0; answers != NULL && i < PQntuples(res); i++) {
		if (strcmp(PQgetvalue(res, i, 0), questions[q]) != 0)
			continue;
		if (labels(q, PQgetvalue(res, i, 1), displays, &question, &v[n].label) != 0)
			goto out;
		v[n++].count = strtoll(PQgetvalue(res, i, 2), NULL, 10);
	}
	/* (no answer to this question at all: its label all the same) */
	if (answers == NULL || (question == NULL && labels(q, "prefer_not_to_say", displays,
							   &question, &unused) != 0))
		goto out;
	shown = equal_opps_suppress(v, n, &other);
	for (i = 0; i < shown; i++)
		if (json_array_append_new(answers, json_pack("{s:s, s:I}", "label", v[i].label,
							     "count", (json_int_t)v[i].count)) != 0)
			goto out;
	out = json_pack("{s:s, s:b, s:O}", "question", question, "withheld", shown < 0, "answers",
			answers);
	if (out != NULL && shown >= 0 && other > 0 &&
	    json_object_set_new(out, "other", json_integer(other)) != 0) {
		json_decref(out);
		out = NULL;
	}
out:
	json_decref(answers);
	return out;
}

json_t *equal_opps_report(PGconn *c, const char *vacancy_id, bool closed)
{
	const char *vals[1] = { vacancy_id };
	struct equal_opps_count *v = NULL;
	json_t *out = NULL, *list = NULL, *displays = json_array();
	PGresult *res = NULL;
	long long answered = 0;
	size_t q;
	int i;

	if (!closed) {
		out = json_pack("{s:b, s:b, s:i, s:i}", "shown", 0, "closed", 0, "minimum",
				EQUAL_OPPS_MIN, "cell_minimum", EQUAL_OPPS_CELL_MIN);
		goto out;
	}
	res = db_prepared_exec(c, &totals_stmt, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	/* every candidate who answered gave one answer to the first question */
	for (i = 0; i < PQntuples(res); i++)
		if (strcmp(PQgetvalue(res, i, 0), questions[0]) == 0)
			answered += strtoll(PQgetvalue(res, i, 2), NULL, 10);
	if (answered < EQUAL_OPPS_MIN) {
		out = json_pack("{s:b, s:b, s:i, s:i, s:I}", "shown", 0, "closed", 1, "minimum",
				EQUAL_OPPS_MIN, "cell_minimum", EQUAL_OPPS_CELL_MIN, "answered",
				(json_int_t)answered);
		goto out;
	}
	v = calloc((size_t)PQntuples(res), sizeof *v);
	list = json_array();
	for (q = 0; v != NULL && list != NULL && displays != NULL && q < NQ; q++)
		if (json_array_append_new(list, question_model(res, q, v, displays)) != 0)
			goto out;
	if (v != NULL && list != NULL && displays != NULL)
		out = json_pack("{s:b, s:b, s:i, s:i, s:I, s:O}", "shown", 1, "closed", 1,
				"minimum", EQUAL_OPPS_MIN, "cell_minimum", EQUAL_OPPS_CELL_MIN,
				"answered", (json_int_t)answered, "questions", list);
out:
	json_decref(list);
	json_decref(displays);
	free(v);
	PQclear(res);
	return out;
}
