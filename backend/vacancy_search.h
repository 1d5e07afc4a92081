/* vacancy_search.h - public vacancy search: the query parameters, the SQL statements that
 * answer them, and the result model shared by /vacancies (HTML) and /api/v1/vacancies (JSON).
 *
 * Parameters (a query string): q (keywords, websearch syntax), role, phase, key_stage, subject,
 * contract, working_pattern (each repeatable: OR within a parameter, AND across parameters),
 * ect_suitable, key_worker and visa_sponsorship (only "true"), school (a URN, repeatable), town
 * (repeatable), sort (closing, newest, relevance; relevance needs q; closing is the default),
 * page (1, 2, ...). Empty values are ignored (a GET form sends q= when the box is empty);
 * unknown parameters are ignored; an unknown value, a malformed number or a repeated
 * single-valued parameter is an error that names the parameter and the value.
 *
 * Only live vacancies are ever found: status 'published' and closes_at in the future.
 *
 * Totals: when at most VACANCY_SEARCH_FEW_LIVE vacancies are live (Thurrock has a few hundred at
 * most; counted every VACANCY_SEARCH_LIVE_TTL_S seconds, not for every search), the search
 * reads up to max(VACANCY_SEARCH_COUNT_CAP, page * VACANCY_SEARCH_PER_PAGE) + 1 matches, so
 * totals are exact up to 200 and "more than 200 jobs" beyond. With more live vacancies it reads
 * only its page and one more match, so that its cost does not grow with the number of matches
 * (counting 200 of them reads every row up to the 200th: 5 ms with a million vacancies, against
 * under 1 ms for the page), and the total is a lower bound ("more than 40 jobs") until the last
 * page. A lower bound is marked total_exact = false. With few live vacancies the handlers also
 * count each filter value (vacancy_search_facets()).
 */
#ifndef PORTAL_VACANCY_SEARCH_H
#define PORTAL_VACANCY_SEARCH_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "http.h"
#include "schools_data.h"
#include "vacancy_labels.h"

#define VACANCY_SEARCH_PER_PAGE 20
#define VACANCY_SEARCH_COUNT_CAP 200
#define VACANCY_SEARCH_FEW_LIVE 1000   /* up to this many live vacancies, totals are exact to 200 */
#define VACANCY_SEARCH_LIVE_TTL_S 5    /* how long a count of the live vacancies is used */
#define VACANCY_SEARCH_MAX_PAGE 100000L
#define VACANCY_SEARCH_Q_MAX_CHARS 200
#define VACANCY_SEARCH_MAX_VALUES 100   /* distinct values of one parameter */
#define VACANCY_SEARCH_MAX_PARAMS 16
#define VACANCY_SEARCH_NEW_MAX 20      /* new matches listed in a job alert */

enum vacancy_sort {
	VACANCY_SORT_CLOSING,   /* closing soonest first */
	VACANCY_SORT_NEWEST,    /* published most recently first */
	VACANCY_SORT_RELEVANCE, /* best match first (needs q) */
};

/* One repeatable filter: its distinct values, in the order given. */
struct vacancy_filter {
	const char *values[VACANCY_SEARCH_MAX_VALUES];
	size_t n;
};

/* A parsed search. Strings point into the query list it was parsed from (and into the value
 * lists), so it lives no longer than they do. Towns are the directory's spelling. */
struct vacancy_query {
	const char *q;                 /* NULL: no keyword */
	struct vacancy_filter roles, phases, key_stages, subjects, contracts, patterns, schools;
	struct vacancy_filter towns;
	bool ect_suitable;
	bool key_worker;
	bool visa_sponsorship;         /* a Skilled Worker visa can be sponsored */
	enum vacancy_sort sort;
	bool sort_given;               /* sort came from the query string */
	long page;                     /* from 1 */
};

/* A statement ready for PQexecParams: the SQL text and its text parameters ($1..$n). */
struct vacancy_search_stmt {
	struct buf sql;
	int nparams;
	char *params[VACANCY_SEARCH_MAX_PARAMS];  /* owned; never NULL once built */
};

/* What a search is read against: the subject list (vacancy_subjects_list) and the school
 * directory (schools_snapshot_get; URNs and towns are checked against it). */
struct vacancy_search_refs {
	const struct label_list *subjects;
	const struct schools_snapshot *schools;
};

/* Reads both for request r through c; put them back with vacancy_search_refs_put (also after a
 * failure). Returns 0, or -1 (logged) when the database cannot give them. */
int vacancy_search_refs_get(struct req *r, PGconn *c, struct vacancy_search_refs *refs);
void vacancy_search_refs_put(struct vacancy_search_refs *refs);

/* The names of the sorts, as in ?sort= ("closing", "newest", "relevance"). */
const char *vacancy_sort_name(enum vacancy_sort sort);

/* Reads a search from a query string list. subjects: the subject list (vacancy_subjects_list);
 * schools: the directory snapshot (URNs and towns are checked against it). Returns 0, or -1
 * with a sentence for the user in problem (naming the parameter and the value; the value is
 * cut to 60 characters). */
int vacancy_search_parse(const struct kvlist *query, const struct label_list *subjects,
			 const struct schools_snapshot *schools, struct vacancy_query *vq,
			 char *problem, size_t problemlen);

/* The statement that counts the live vacancies up to $1: a search passes
 * VACANCY_SEARCH_FEW_LIVE + 1 to learn whether there are few. */
extern const char vacancy_search_live_sql[];

/* Sets *few to whether at most VACANCY_SEARCH_FEW_LIVE vacancies are live (vacancy_search_live_sql,
 * prepared on c), as counted at most VACANCY_SEARCH_LIVE_TTL_S seconds ago by any thread: the
 * answer changes only when the number of live vacancies crosses VACANCY_SEARCH_FEW_LIVE, and
 * then only whether totals are exact. Returns 0, or -1 with the cause in err. */
int vacancy_search_few_live(PGconn *c, bool *few, char *err, size_t errlen);

/* The LIMIT of the search statement: how many ids it reads (see the totals note above). */
long vacancy_search_limit(const struct vacancy_query *vq, bool few_live);

/* Builds the search statement of vq into st (zeroed by the caller): the ids of the matches in the
 * sort's order, from the first (few_live) or from the page's first (otherwise), up to
 * vacancy_search_limit(). Returns 0, or -1 when out of memory (free st anyway). Every value
 * travels as a parameter; only fixed fragments are joined.
 *
 * For the benchmark: the statements are what the handlers run, unchanged. To replay one with
 * pgbench, print it with the parameters inlined by vacancy_search_stmt_inline(), e.g. from a
 * query string:
 *     struct kvlist l = {0}; struct vacancy_query vq; struct vacancy_search_stmt st = {0};
 *     form_parse(qs, strlen(qs), &l);
 *     vacancy_search_parse(&l, subjects, schools, &vq, problem, sizeof problem);
 *     vacancy_search_sql(&vq, few_live, &st); vacancy_search_stmt_inline(&st, &out);
 * (subjects from vacancy_subjects_list(), schools from schools_snapshot_get()). */
int vacancy_search_sql(const struct vacancy_query *vq, bool few_live,
		       struct vacancy_search_stmt *st);

/* Writes the ids of vq's page, out of `found` (the rows of the search statement built with
 * few_live), into ids as a bigint array literal ({1,2,3}): the parameter of
 * vacancy_search_items_sql. Returns 0, or -1 when out of memory. */
int vacancy_search_page_ids(const struct vacancy_query *vq, bool few_live,
			    const PGresult *found, struct buf *ids);

/* The statement that reads the page's vacancies: $1 is their ids as a bigint array literal
 * ({1,2,3}); the rows are vacancy_item_columns (vacancy_view.h), in the ids' order. */
extern const char vacancy_search_items_sql[];

/* Builds into st (zeroed by the caller) the statement of vq's live matches published after
 * `since` and up to `until` (timestamptz texts), newest first, at most VACANCY_SEARCH_NEW_MAX:
 * rows of vacancy_item_columns (vacancy_view.h) and then the number of such matches in all. For
 * job alerts. Returns 0, or -1 when out of memory (free st anyway). */
int vacancy_search_new_sql(const struct vacancy_query *vq, const char *since, const char *until,
			   struct vacancy_search_stmt *st);

/* Builds into st (zeroed by the caller) the statement of vq's newest `limit` live matches, newest
 * first: rows of vacancy_item_columns (vacancy_view.h). vq's sort and page are not used. For the
 * Atom feed. Returns 0, or -1 when out of memory (free st anyway). */
int vacancy_search_feed_sql(const struct vacancy_query *vq, int limit,
			    struct vacancy_search_stmt *st);

/* Appends st's SQL to out with each $n replaced by parameter n as a quoted SQL literal
 * ('...' with quotes doubled), for psql and pgbench. Returns 0 or -1 when out of memory. */
int vacancy_search_stmt_inline(const struct vacancy_search_stmt *st, struct buf *out);

void vacancy_search_stmt_free(struct vacancy_search_stmt *st);

/* Runs st on c; returns its rows (PQclear them), or NULL with the cause in err (one line,
 * naming context). */
PGresult *vacancy_search_stmt_exec(PGconn *c, const char *context,
				   const struct vacancy_search_stmt *st, char *err, size_t errlen);

/* Makes the model of one vacancy found: row `row` of res (VACANCY_ITEM_COLUMNS from column 0),
 * or NULL when out of memory. */
typedef json_t *(*vacancy_search_item_fn)(const PGresult *res, int row,
					  const struct label_list *subjects);

/* Runs the search of vq on c and returns a new result model:
 *   {"items": [item(...) of each vacancy; NULL: vacancy items, see vacancy_view.h],
 *    "total": N, "total_exact": true|false,
 *    "page": P, "per_page": 20, "pages": M}
 * pages is the number of pages the total fills (at least 1; with a lower bound counted to the
 * page, this page and the next). When vq->page is beyond the last
 * page, returns NULL with *missing set to the number of pages there are (no error in err).
 * On failure: NULL, *missing = 0, the cause in err (one line, for the log). */
json_t *vacancy_search_run(PGconn *c, const struct vacancy_query *vq,
			   const struct label_list *subjects, vacancy_search_item_fn item,
			   long *missing, char *err, size_t errlen);

/* The same result appended to out as compact JSON text, for the API to send as it is: no JSON
 * objects are built for the items. The object is left open, for the caller to add its own
 * members (facets, a suggestion) and close it; *total is its total. Returns 0; or -1 with
 * *missing set (page beyond the last, out untouched) or with the cause in err. */
int vacancy_search_json(PGconn *c, const struct vacancy_query *vq,
			const struct label_list *subjects, long *missing, long long *total,
			struct buf *out, char *err, size_t errlen);

/* Sets *any to whether the search vq finds at least one live vacancy (one statement that stops
 * at the first). Returns 0, or -1 with the cause in err. */
int vacancy_search_any(PGconn *c, const struct vacancy_query *vq, bool *any, char *err,
		       size_t errlen);

/* Sets *facets to the search's filter counts while few vacancies are live
 * (vacancy_search_few_live(): with at most VACANCY_SEARCH_FEW_LIVE live vacancies they cost one
 * statement over a few hundred rows), to NULL with more (counting would grow with the matches):
 *   {"phase": {"secondary": 12, ...}, "role": {...}, "key_stage": {"ks2": 4, ...},
 *    "subject": {...}, "contract": {...},
 *    "working_pattern": {...}, "school": {"<URN>": 3, ...}, "town": {"Grays": 5, ...},
 *    "ect_suitable": N, "key_worker": N, "visa_sponsorship": N}
 * Each value's count is the number of live matches of the keywords and of every *other*
 * filter in vq that have that value: the jobs the search would find with that value alone in
 * its parameter (so ticking another value of a parameter adds at most its count). Values with
 * no match are left out (0). *facets is a new object (json_decref it). Returns 0, or -1 with
 * the cause in err (*facets NULL). */
int vacancy_search_facets(PGconn *c, const struct vacancy_query *vq, json_t **facets, char *err,
			  size_t errlen);

/* Builds the statement vacancy_search_facets() runs for vq into st (zeroed by the caller): rows
 * (parameter, value, count). Returns 0, or -1 when out of memory (free st anyway). For the
 * benchmark's SQL printer too. */
int vacancy_search_facets_sql(const struct vacancy_query *vq, struct vacancy_search_stmt *st);

/* The first page of the live vacancies at school `urn` (closing soonest first), as
 * vacancy_search_run() answers it, plus "search_url" (/vacancies?school=URN: all of them).
 * NULL with the cause in err on failure. For the school's page. */
json_t *vacancy_search_school(PGconn *c, long urn, char *err, size_t errlen);

#endif
