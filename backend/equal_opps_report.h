/* equal_opps_report.h - what a school sees of the equal-opportunities answers to one of its
 * vacancies (security.md 12: never one candidate's answers, only totals of 5 or more).
 *
 * The totals are those counted once, when the vacancy closed (table vacancy_equal_opps_totals,
 * sql/migrations/0023_equal_opps_totals.sql): totals read while applications still arrive, or
 * read again after a candidate deleted their account, would change by that one candidate's
 * answers. They are shown only when EQUAL_OPPS_MIN or more candidates answered, and each
 * question's totals only as equal_opps_suppress leaves them.
 */
#ifndef PORTAL_EQUAL_OPPS_REPORT_H
#define PORTAL_EQUAL_OPPS_REPORT_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#define EQUAL_OPPS_MIN 5       /* candidates who answered, before any total is shown */
#define EQUAL_OPPS_CELL_MIN 3  /* an answer given by fewer is never counted on its own */

/* One answer to one question and how many candidates gave it (more than 0). */
struct equal_opps_count {
	const char *label;
	long long count;
};

/* Decides what may be shown of one question's totals, v (n answers): sorts v, most common
 * first (then by label). The answers given by fewer than EQUAL_OPPS_CELL_MIN candidates are
 * counted together as "other answers"; while that sum is not 0 but below EQUAL_OPPS_CELL_MIN,
 * the least common answer still shown joins them (otherwise it could be worked out from the
 * total). When fewer than two rows would be left (every candidate gave the same answer, or all
 * answers had to be put together), nothing may be shown: that would tell each candidate's
 * answer. Returns how many answers, from v[0], are shown with their own count, with *other the
 * sum of the rest (0: no "other answers" row); -1 when the question's totals are not shown. */
long equal_opps_suppress(struct equal_opps_count *v, size_t n, long long *other);

/* The model of vacancy_id's totals for its applications page: {shown, closed, minimum,
 * cell_minimum, answered (when closed), questions: [{question, withheld, answers: [{label,
 * count}], other}] (when shown)}; shown only once the vacancy has closed (closed) with
 * EQUAL_OPPS_MIN or more answers. Labels read as the candidate saw them (the section engine's
 * display). A new reference; NULL on a database error (logged) or when out of memory. */
json_t *equal_opps_report(PGconn *c, const char *vacancy_id, bool closed);

#endif
