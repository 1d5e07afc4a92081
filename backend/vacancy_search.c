/* vacancy_search.c - parsing a vacancy search, its SQL and its result model; see
 * vacancy_search.h.
 *
 * A search runs three short statements, each planned for its own parameters:
 *
 *   1. how many vacancies are live, counted up to VACANCY_SEARCH_FEW_LIVE + 1 (an index-only
 *      read of vacancies_live_closes_idx): vacancy_search_live_sql; the answer is kept for
 *      VACANCY_SEARCH_LIVE_TTL_S seconds, so most searches run only the next two;
 *   2. the ids of the matches, in the sort's order (vacancy_search_sql):
 *        SELECT v.id FROM vacancies v
 *        WHERE v.status = 'published' AND v.closes_at > now()
 *          [AND v.search @@ websearch_to_tsquery('english', $1)] [AND v.phases && $n::text[]] ...
 *        ORDER BY <sort>, v.id LIMIT $n OFFSET $m
 *      With few live vacancies (Thurrock's case, always) it reads up to
 *      max(VACANCY_SEARCH_COUNT_CAP, page * 20) + 1 ids from the first, so the total is exact up
 *      to 200; with more it reads only the page and one more, so its cost does not grow with
 *      the number of matches, and the total is a lower bound ("more than 40 jobs");
 *   3. the page's vacancies by id, in that order: vacancy_search_items_sql;
 *   4. with few live vacancies only, when the handler asks: the filter counts
 *      (vacancy_search_facets), over the live matches of the keywords.
 *
 * The keywords go to websearch_to_tsquery as they are: synonyms are in the search vectors
 * (migration 0006), so the planner sees the real query and can tell a rare word (read its few
 * matches through the GIN index) from a common one (read the closing-time index in order and
 * stop at the page). The closing sort with one phase reads that phase's index. Every sort ends
 * with id, so the order is total and pages are stable.
 *
 * Ranking uses ts_rank (weights: title and subjects A, roles and school B, the rest C, from the
 * trigger) rather than ts_rank_cd: with 100,000 vacancies ts_rank_cd doubled the cost of a
 * keyword search, ranking every match, while ordering short job adverts much the same. Ranking
 * reads every match, which is why it is a choice (sort=relevance) and not the default.
 */
#include "vacancy_search.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <pthread.h>
#include <time.h>

#include "db.h"
#include "db_prepared.h"
#include "log.h"
#include "utf8.h"
#include "vacancy_item_cache.h"
#include "vacancy_view.h"

#define PROBLEM_VALUE_MAX 60   /* bytes of a bad value quoted back in a message */

static const char *const sort_names[] = { "closing", "newest", "relevance" };

/* ORDER BY of each sort (relevance adds closes_at and id). */
static const char *const sort_sql[] = {
	"v.closes_at, v.id",
	"v.published_at DESC, v.id",
	"ts_rank(v.search, websearch_to_tsquery('english', $1)) DESC",
};

const char vacancy_search_live_sql[] =
	"SELECT count(*) FROM (SELECT 1 FROM vacancies WHERE status = 'published' AND "
	"closes_at > now() ORDER BY closes_at, id LIMIT $1::bigint) l";

const char vacancy_search_items_sql[] =
	"SELECT " VACANCY_ITEM_COLUMNS " FROM vacancies v JOIN schools s ON s.urn = v.school_urn "
	"WHERE v.id = ANY ($1::bigint[]) ORDER BY array_position($1::bigint[], v.id)";

/* Both are the same whatever their parameters: prepared once per connection. */
static const struct db_stmt live_stmt = { "vacancy_search_live", vacancy_search_live_sql, 1 };
static const struct db_stmt items_stmt = { "vacancy_search_items", vacancy_search_items_sql, 1 };

const char *vacancy_sort_name(enum vacancy_sort sort)
{
	return sort_names[sort];
}

/* Writes `value` into dst (dstlen bytes) cut to PROBLEM_VALUE_MAX bytes at a character
 * boundary, with "..." when cut. */
static void problem_value(char *dst, size_t dstlen, const char *value)
{
	size_t n = strlen(value);

	if (n <= PROBLEM_VALUE_MAX) {
		snprintf(dst, dstlen, "%s", value);
		return;
	}
	n = PROBLEM_VALUE_MAX;
	while (n > 0 && ((unsigned char)value[n] & 0xC0) == 0x80)
		n--;
	snprintf(dst, dstlen, "%.*s...", (int)n, value);
}

/* Adds value to filter f unless it is there already. Returns 0, or -1 when f is full. */
static int filter_add(struct vacancy_filter *f, const char *value)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->values[i], value) == 0)
			return 0;
	if (f->n == VACANCY_SEARCH_MAX_VALUES)
		return -1;
	f->values[f->n++] = value;
	return 0;
}

/* The canonical value of list that equals v, or NULL. */
static const char *list_value(const struct label_list *list, const char *v)
{
	size_t i;

	for (i = 0; i < list->len; i++)
		if (strcmp(list->items[i].value, v) == 0)
			return list->items[i].value;
	return NULL;
}

/* Writes "a, b and c" of the list's values into b. */
static void list_values(struct buf *b, const struct label_list *list)
{
	size_t i;

	for (i = 0; i < list->len; i++) {
		if (i > 0)
			buf_puts(b, i + 1 == list->len ? " or " : ", ");
		buf_puts(b, list->items[i].value);
	}
}

/* Writes the message for an unknown value of a listed parameter into problem. */
static void unknown_value(char *problem, size_t len, const struct label_list *list,
			  const char *value)
{
	struct buf values = { 0 };
	char shown[PROBLEM_VALUE_MAX + 4];

	problem_value(shown, sizeof shown, value);
	list_values(&values, list);
	snprintf(problem, len, "There is no %s \"%s\". Use %s.", list->name, shown,
		 buf_failed(&values) ? "a value from the list" : buf_str(&values));
	buf_free(&values);
}

/* The snapshot's URN string of the school whose URN is v (digits only), or NULL. Returned
 * pointers stay valid while the snapshot is held. */
static const char *school_value(const struct schools_snapshot *schools, const char *v)
{
	json_t *s;
	size_t i;
	char *end;
	long long urn;

	if (v[0] < '0' || v[0] > '9' || strlen(v) > 10)
		return NULL;
	urn = strtoll(v, &end, 10);
	if (*end != '\0')
		return NULL;
	json_array_foreach(schools->all, i, s)
		if (json_integer_value(json_object_get(s, "urn")) == urn)
			return v;
	return NULL;
}

/* The directory's spelling of town v (compared without regard to case), or NULL. */
static const char *town_value(const struct schools_snapshot *schools, const char *v)
{
	json_t *t;
	size_t i;
	const char *name;

	json_array_foreach(json_object_get(schools->facets, "towns"), i, t) {
		name = json_string_value(json_object_get(t, "value"));
		if (name != NULL && strcasecmp(name, v) == 0)
			return name;
	}
	return NULL;
}

/* Reads a page number: 1 to VACANCY_SEARCH_MAX_PAGE, digits only. Returns it or 0. */
static long page_value(const char *v)
{
	long n = 0;
	size_t i;

	if (v[0] == '\0' || strlen(v) > 6)
		return 0;
	for (i = 0; v[i] != '\0'; i++) {
		if (v[i] < '0' || v[i] > '9')
			return 0;
		n = n * 10 + (v[i] - '0');
	}
	return n <= VACANCY_SEARCH_MAX_PAGE ? n : 0;
}

/* The search's filters, in one place for parsing, the search and its facets. Each names its
 * parameter; its vacancy_filter in vacancy_query (offset; -1 for a flag, whose bool in
 * vacancy_query is at flag; -1 for the others); its value list (NULL:
 * subjects, read from the database, or schools and towns, checked against the directory); its
 * SQL condition on a vacancy v: "<before>$n<after>" with the values as an array parameter, or
 * `before` alone for a flag. A facet counts, for each value, the matches of every other filter
 * that have it: `value` over the rows of m (the live matches of the keywords) joined with
 * `from`, where `where` holds, counted by `count` (count(*) where a vacancy has each value
 * once: an array holds each value once, as the form and the seeds write them, and a vacancy
 * covers a school once; a town can come twice); a flag's facet counts the rows of m where
 * `where` holds (one pass for all flags). */
static const struct search_filter {
	const char *param;
	ptrdiff_t offset, flag;
	const struct label_list *list;
	const char *before, *after;
	const char *value, *from, *where, *count;
} search_filters[] = {
	{ "phase", offsetof(struct vacancy_query, phases), -1, &vacancy_phases,
	  "v.phases && ", "::text[]",
	  "x", " CROSS JOIN LATERAL unnest(m.phases) x", NULL, "count(*)" },
	{ "role", offsetof(struct vacancy_query, roles), -1, &vacancy_roles,
	  "v.job_roles && ", "::text[]",
	  "x", " CROSS JOIN LATERAL unnest(m.job_roles) x", NULL, "count(*)" },
	{ "key_stage", offsetof(struct vacancy_query, key_stages), -1, &vacancy_key_stages,
	  "v.key_stages && ", "::text[]",
	  "x", " CROSS JOIN LATERAL unnest(m.key_stages) x", NULL, "count(*)" },
	{ "subject", offsetof(struct vacancy_query, subjects), -1, NULL,
	  "v.subjects && ", "::text[]",
	  "x", " CROSS JOIN LATERAL unnest(m.subjects) x", NULL, "count(*)" },
	{ "contract", offsetof(struct vacancy_query, contracts), -1, &vacancy_contracts,
	  "v.contract_type = ANY (", "::text[])",
	  "m.contract_type", "", "m.contract_type IS NOT NULL", "count(*)" },
	{ "working_pattern", offsetof(struct vacancy_query, patterns), -1,
	  &vacancy_working_patterns, "v.working_patterns && ", "::text[]",
	  "x", " CROSS JOIN LATERAL unnest(m.working_patterns) x", NULL, "count(*)" },
	{ "school", offsetof(struct vacancy_query, schools), -1, NULL,
	  "v.id IN (SELECT vs.vacancy_id FROM vacancy_schools vs WHERE vs.school_urn = ANY (",
	  "::integer[]))",
	  "vs.school_urn::text", " JOIN vacancy_schools vs ON vs.vacancy_id = m.id", NULL,
	  "count(*)" },
	{ "town", offsetof(struct vacancy_query, towns), -1, NULL,
	  "v.id IN (SELECT vs.vacancy_id FROM vacancy_schools vs JOIN schools sc ON sc.urn = "
	  "vs.school_urn WHERE sc.town = ANY (", "::text[]))",
	  "sc.town", " JOIN vacancy_schools vs ON vs.vacancy_id = m.id JOIN schools sc ON sc.urn = "
	  "vs.school_urn", "sc.town IS NOT NULL", "count(DISTINCT m.id)" },
	{ "ect_suitable", -1, offsetof(struct vacancy_query, ect_suitable), NULL, "v.ect_suitable",
	  NULL, NULL, NULL, "m.ect_suitable", NULL },
	{ "key_worker", -1, offsetof(struct vacancy_query, key_worker), NULL,
	  "v.key_worker_eligible", NULL, NULL, NULL, "m.key_worker_eligible", NULL },
	{ "visa_sponsorship", -1, offsetof(struct vacancy_query, visa_sponsorship), NULL,
	  "v.visa_sponsorship", NULL, NULL, NULL, "m.visa_sponsorship", NULL },
};

#define NFILTERS (sizeof search_filters / sizeof search_filters[0])

/* True when vq sets filter k of search_filters. */
static bool filter_set(const struct vacancy_query *vq, size_t k)
{
	const struct search_filter *f = &search_filters[k];

	if (f->offset >= 0)
		return ((const struct vacancy_filter *)((const char *)vq + f->offset))->n > 0;
	return *(const bool *)((const char *)vq + f->flag);
}

/* The flag of vq that parameter `name` sets, or NULL when name is not a flag's. */
static bool *flag_of(struct vacancy_query *vq, const char *name)
{
	size_t k;

	for (k = 0; k < NFILTERS; k++)
		if (search_filters[k].flag >= 0 && strcmp(search_filters[k].param, name) == 0)
			return (bool *)((char *)vq + search_filters[k].flag);
	return NULL;
}

/* The names of the parameters that take one value. */
static const char *const single_params[] = { "q", "sort", "page", "ect_suitable", "key_worker",
					      "visa_sponsorship" };

/* Checks that no single-valued parameter has two non-empty values. Returns 0, or -1 with the
 * message in problem. */
static int check_single(const struct kvlist *query, char *problem, size_t len)
{
	size_t i, k, n;

	for (k = 0; k < sizeof single_params / sizeof single_params[0]; k++) {
		n = 0;
		for (i = 0; i < query->len; i++)
			if (strcmp(query->items[i].name, single_params[k]) == 0 &&
			    query->items[i].value[0] != '\0')
				n++;
		if (n > 1) {
			snprintf(problem, len, "Give %s once only: it was given %zu times.",
				 single_params[k], n);
			return -1;
		}
	}
	return 0;
}

/* True when c is part of a word: a letter or digit, or a byte of a UTF-8 character. */
static bool word_byte(char c)
{
	return isalnum((unsigned char)c) || (unsigned char)c >= 0x80;
}

/* True when s holds a letter or a digit (any non-ASCII character counts as one). */
static bool has_word(const char *s)
{
	for (; *s != '\0'; s++)
		if (word_byte(*s))
			return true;
	return false;
}

/* Reads one single-valued parameter (name, v) into vq. Returns 0, or -1 with problem set. */
static int parse_single(const char *name, const char *v, struct vacancy_query *vq,
			char *problem, size_t len)
{
	char shown[PROBLEM_VALUE_MAX + 4];
	size_t chars;
	bool *flag;
	int k;

	problem_value(shown, sizeof shown, v);
	if (strcmp(name, "q") == 0) {
		if (utf8_count((const unsigned char *)v, strlen(v), &chars) != 0 ||
		    chars > VACANCY_SEARCH_Q_MAX_CHARS) {
			snprintf(problem, len, "The search words (q) must be %d characters or fewer.",
				 VACANCY_SEARCH_Q_MAX_CHARS);
			return -1;
		}
		/* Only spaces and punctuation ("?q=+", "?q=-") are no search words: every job,
		 * not none. */
		vq->q = has_word(v) ? v : NULL;
	} else if (strcmp(name, "sort") == 0) {
		for (k = 0; k < 3 && strcmp(v, sort_names[k]) != 0; k++)
			;
		if (k == 3) {
			snprintf(problem, len, "There is no sort \"%s\". Use closing, newest or "
					       "relevance.", shown);
			return -1;
		}
		vq->sort = (enum vacancy_sort)k;
		vq->sort_given = true;
	} else if (strcmp(name, "page") == 0) {
		vq->page = page_value(v);
		if (vq->page == 0) {
			snprintf(problem, len, "The page \"%s\" is not a page number. Use a whole "
					       "number from 1 to %ld.", shown,
				 VACANCY_SEARCH_MAX_PAGE);
			return -1;
		}
	} else if (strcmp(v, "true") != 0) {
		snprintf(problem, len, "%s can only be \"true\", not \"%s\". Leave it out to see "
				       "every job.", name, shown);
		return -1;
	} else if ((flag = flag_of(vq, name)) != NULL) {
		*flag = true;
	}
	return 0;
}

/* The filter of vq that parameter `name` fills, with its value list (NULL for school and town),
 * or NULL when name is not a repeatable parameter. */
static struct vacancy_filter *filter_of(struct vacancy_query *vq, const char *name,
					const struct label_list *subjects,
					const struct label_list **list)
{
	size_t k;

	for (k = 0; k < NFILTERS; k++) {
		if (search_filters[k].offset < 0 || strcmp(search_filters[k].param, name) != 0)
			continue;
		*list = strcmp(name, "subject") == 0 ? subjects : search_filters[k].list;
		return (struct vacancy_filter *)((char *)vq + search_filters[k].offset);
	}
	return NULL;
}

/* Reads one value of a repeatable parameter into its filter. Returns 0, or -1 with problem
 * set; a name that is no parameter of ours is ignored. */
static int parse_repeatable(const char *name, const char *v, struct vacancy_query *vq,
			    const struct label_list *subjects,
			    const struct schools_snapshot *schools, char *problem, size_t len)
{
	const struct label_list *list = NULL;
	struct vacancy_filter *f = filter_of(vq, name, subjects, &list);
	char shown[PROBLEM_VALUE_MAX + 4];
	const char *value;

	if (f == NULL)
		return 0;
	problem_value(shown, sizeof shown, v);
	if (list != NULL) {
		value = list_value(list, v);
		if (value == NULL) {
			unknown_value(problem, len, list, v);
			return -1;
		}
	} else if (strcmp(name, "school") == 0) {
		value = school_value(schools, v);
		if (value == NULL) {
			snprintf(problem, len, "There is no school with the URN \"%s\". Give the "
					       "URN of a Thurrock school.", shown);
			return -1;
		}
	} else {
		value = town_value(schools, v);
		if (value == NULL) {
			snprintf(problem, len, "There is no school in the town \"%s\". Choose a "
					       "town from the list.", shown);
			return -1;
		}
	}
	if (filter_add(f, value) != 0) {
		snprintf(problem, len, "Give at most %d values of %s.", VACANCY_SEARCH_MAX_VALUES,
			 name);
		return -1;
	}
	return 0;
}

int vacancy_search_parse(const struct kvlist *query, const struct label_list *subjects,
			 const struct schools_snapshot *schools, struct vacancy_query *vq,
			 char *problem, size_t problemlen)
{
	const char *name, *v;
	size_t i, k;
	bool single;

	memset(vq, 0, sizeof *vq);
	vq->page = 1;
	if (check_single(query, problem, problemlen) != 0)
		return -1;
	for (i = 0; i < query->len; i++) {
		name = query->items[i].name;
		v = query->items[i].value;
		if (v[0] == '\0')
			continue;
		single = false;
		for (k = 0; k < sizeof single_params / sizeof single_params[0]; k++)
			if (strcmp(name, single_params[k]) == 0)
				single = true;
		if (single ? parse_single(name, v, vq, problem, problemlen)
			   : parse_repeatable(name, v, vq, subjects, schools, problem,
					      problemlen))
			return -1;
	}
	if (vq->sort == VACANCY_SORT_RELEVANCE && vq->q == NULL) {
		snprintf(problem, problemlen, "Sorting by relevance needs search words: give q "
					      "too, or sort by closing or newest.");
		return -1;
	}
	return 0;
}

/* Adds a parameter (copied) to st and appends "$n" to its SQL. Returns 0 or -1. */
static int stmt_param(struct vacancy_search_stmt *st, const char *value)
{
	if (st->nparams == VACANCY_SEARCH_MAX_PARAMS)
		return -1;
	st->params[st->nparams] = strdup(value);
	if (st->params[st->nparams] == NULL)
		return -1;
	st->nparams++;
	buf_printf(&st->sql, "$%d", st->nparams);
	return 0;
}

/* Adds filter f as a PostgreSQL array literal parameter ({"a","b"}). Returns 0 or -1. */
static int stmt_array_param(struct vacancy_search_stmt *st, const struct vacancy_filter *f)
{
	struct buf lit = { 0 };
	const char *p;
	size_t i;
	int rc;

	buf_putc(&lit, '{');
	for (i = 0; i < f->n; i++) {
		buf_puts(&lit, i > 0 ? ",\"" : "\"");
		for (p = f->values[i]; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				buf_putc(&lit, '\\');
			buf_putc(&lit, *p);
		}
		buf_putc(&lit, '"');
	}
	buf_putc(&lit, '}');
	rc = buf_failed(&lit) ? -1 : stmt_param(st, buf_str(&lit));
	buf_free(&lit);
	return rc;
}

/* Appends filter k's condition on v (set in vq) to st. Returns 0 or -1. */
static int stmt_condition(const struct vacancy_query *vq, size_t k,
			  struct vacancy_search_stmt *st)
{
	const struct search_filter *f = &search_filters[k];

	buf_puts(&st->sql, f->before);
	if (f->offset < 0)
		return 0;
	if (stmt_array_param(st, (const struct vacancy_filter *)((const char *)vq + f->offset)) !=
	    0)
		return -1;
	buf_puts(&st->sql, f->after);
	return 0;
}

/* Adds the keywords q as a parameter of st, a hyphen inside a word ("part-time", "year-6") made
 * a space: websearch_to_tsquery reads "part-time" as the phrase part-time <-> part <-> time,
 * which a listing saying "part time" does not hold, while either holds both words. A hyphen
 * before a word ("-primary") still excludes it. Returns 0 or -1. */
static int stmt_keywords(struct vacancy_search_stmt *st, const char *q)
{
	char *words = strdup(q);
	size_t i;
	int rc;

	if (words == NULL)
		return -1;
	for (i = 1; words[i] != '\0'; i++)
		if (words[i] == '-' && word_byte(words[i - 1]) && word_byte(words[i + 1]))
			words[i] = ' ';
	rc = stmt_param(st, words);
	free(words);
	return rc;
}

/* Appends the live vacancies' conditions and the keywords' (after WHERE) to st. Returns 0 or
 * -1. */
static int stmt_live(const struct vacancy_query *vq, struct vacancy_search_stmt *st)
{
	buf_puts(&st->sql, "v.status = 'published' AND v.closes_at > now()");
	if (vq->q != NULL) {
		buf_puts(&st->sql, " AND v.search @@ websearch_to_tsquery('english', ");
		if (stmt_keywords(st, vq->q) != 0)
			return -1;
		buf_puts(&st->sql, ")");
	}
	return 0;
}

/* Appends the search's conditions (after WHERE) to st. Returns 0 or -1. */
static int stmt_where(const struct vacancy_query *vq, struct vacancy_search_stmt *st)
{
	size_t k;

	if (stmt_live(vq, st) != 0)
		return -1;
	for (k = 0; k < NFILTERS; k++) {
		if (!filter_set(vq, k))
			continue;
		buf_puts(&st->sql, " AND ");
		if (stmt_condition(vq, k, st) != 0)
			return -1;
	}
	return 0;
}

/* Appends "<what>$n::bigint" with the number as a new parameter. Returns 0 or -1. */
static int stmt_number(struct vacancy_search_stmt *st, const char *what, long n)
{
	char number[24];

	snprintf(number, sizeof number, "%ld", n);
	buf_puts(&st->sql, what);
	if (stmt_param(st, number) != 0)
		return -1;
	buf_puts(&st->sql, "::bigint");
	return 0;
}

long vacancy_search_limit(const struct vacancy_query *vq, bool few_live)
{
	long limit = vq->page * VACANCY_SEARCH_PER_PAGE;

	if (!few_live)
		return VACANCY_SEARCH_PER_PAGE + 1;
	return (limit < VACANCY_SEARCH_COUNT_CAP ? VACANCY_SEARCH_COUNT_CAP : limit) + 1;
}

int vacancy_search_sql(const struct vacancy_query *vq, bool few_live,
		       struct vacancy_search_stmt *st)
{
	buf_reserve(&st->sql, 1024);
	buf_puts(&st->sql, "SELECT v.id FROM vacancies v WHERE ");
	if (stmt_where(vq, st) != 0)
		return -1;
	buf_printf(&st->sql, " ORDER BY %s", sort_sql[vq->sort]);
	if (vq->sort == VACANCY_SORT_RELEVANCE)
		buf_puts(&st->sql, ", v.closes_at, v.id");
	if (stmt_number(st, " LIMIT ", vacancy_search_limit(vq, few_live)) != 0 ||
	    stmt_number(st, " OFFSET ", few_live ? 0 : (vq->page - 1) * VACANCY_SEARCH_PER_PAGE))
		return -1;
	return buf_failed(&st->sql) ? -1 : 0;
}

int vacancy_search_new_sql(const struct vacancy_query *vq, const char *since, const char *until,
			   struct vacancy_search_stmt *st)
{
	buf_reserve(&st->sql, 1024);
	buf_puts(&st->sql, "SELECT " VACANCY_ITEM_COLUMNS ", count(*) OVER () FROM vacancies v "
			   "JOIN schools s ON s.urn = v.school_urn WHERE ");
	if (stmt_where(vq, st) != 0)
		return -1;
	buf_puts(&st->sql, " AND v.published_at > ");
	if (stmt_param(st, since) != 0)
		return -1;
	buf_puts(&st->sql, "::timestamptz AND v.published_at <= ");
	if (stmt_param(st, until) != 0)
		return -1;
	buf_puts(&st->sql, "::timestamptz ORDER BY v.published_at DESC, v.id DESC");
	if (stmt_number(st, " LIMIT ", VACANCY_SEARCH_NEW_MAX) != 0)
		return -1;
	return buf_failed(&st->sql) ? -1 : 0;
}

int vacancy_search_feed_sql(const struct vacancy_query *vq, int limit,
			    struct vacancy_search_stmt *st)
{
	buf_puts(&st->sql, "SELECT " VACANCY_ITEM_COLUMNS " FROM vacancies v JOIN schools s ON "
			   "s.urn = v.school_urn WHERE ");
	if (stmt_where(vq, st) != 0)
		return -1;
	buf_puts(&st->sql, " ORDER BY v.published_at DESC, v.id");
	if (stmt_number(st, " LIMIT ", limit) != 0)
		return -1;
	return buf_failed(&st->sql) ? -1 : 0;
}

/* Builds the statement that counts the search's matches, up to `upto`, into st. Returns 0 or
 * -1. */
static int count_sql(const struct vacancy_query *vq, long upto, struct vacancy_search_stmt *st)
{
	buf_puts(&st->sql, "SELECT count(*) FROM (SELECT 1 FROM vacancies v WHERE ");
	if (stmt_where(vq, st) != 0 || stmt_number(st, " LIMIT ", upto) != 0)
		return -1;
	buf_puts(&st->sql, ") m");
	return buf_failed(&st->sql) ? -1 : 0;
}

int vacancy_search_stmt_inline(const struct vacancy_search_stmt *st, struct buf *out)
{
	const char *p = buf_str(&st->sql), *v;
	char *end;
	long n;

	while (*p != '\0') {
		if (*p != '$' || p[1] < '1' || p[1] > '9') {
			buf_putc(out, *p++);
			continue;
		}
		n = strtol(p + 1, &end, 10);
		if (n < 1 || n > st->nparams) {
			buf_putc(out, *p++);
			continue;
		}
		buf_putc(out, '\'');
		for (v = st->params[n - 1]; *v != '\0'; v++) {
			if (*v == '\'')
				buf_putc(out, '\'');
			buf_putc(out, *v);
		}
		buf_putc(out, '\'');
		p = end;
	}
	return buf_failed(out) ? -1 : 0;
}

void vacancy_search_stmt_free(struct vacancy_search_stmt *st)
{
	int i;

	for (i = 0; i < st->nparams; i++)
		free(st->params[i]);
	st->nparams = 0;
	buf_free(&st->sql);
}

/* Checks that res holds rows; returns it, or NULL (res cleared) with the cause in err. */
static PGresult *rows_of(PGconn *c, const char *context, PGresult *res, char *err,
			 size_t errlen)
{
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	db_error(err, errlen, context, c, res);
	PQclear(res);
	return NULL;
}

PGresult *vacancy_search_stmt_exec(PGconn *c, const char *context,
				   const struct vacancy_search_stmt *st, char *err, size_t errlen)
{
	return rows_of(c, context,
		       PQexecParams(c, buf_str(&st->sql), st->nparams, NULL,
				    (const char *const *)st->params, NULL, NULL, 0),
		       err, errlen);
}

int vacancy_search_refs_get(struct req *r, PGconn *c, struct vacancy_search_refs *refs)
{
	char err[256];

	refs->subjects = vacancy_subjects_list(c, err, sizeof err);
	refs->schools = refs->subjects != NULL ? schools_snapshot_get(req_db_cb, r, err, sizeof err)
					       : NULL;
	if (refs->schools == NULL) {
		log_errorf(__func__, "%s", err);
		return -1;
	}
	return 0;
}

void vacancy_search_refs_put(struct vacancy_search_refs *refs)
{
	if (refs->schools != NULL)
		schools_snapshot_put(refs->schools);
	refs->schools = NULL;
}

/* Appends " AND m.fJ" to b for each filter J that vq sets, but filter k: the matches of the
 * search's other filters (the columns fJ of m). */
static void others_set(const struct vacancy_query *vq, size_t k, struct buf *b)
{
	size_t j;

	for (j = 0; j < NFILTERS; j++)
		if (j != k && filter_set(vq, j))
			buf_printf(b, " AND m.f%zu", j);
}

int vacancy_search_facets_sql(const struct vacancy_query *vq, struct vacancy_search_stmt *st)
{
	const struct search_filter *f;
	size_t k, n = 0;

	buf_puts(&st->sql, "WITH m AS MATERIALIZED (SELECT v.id, v.job_roles, v.phases, "
			   "v.key_stages, v.subjects, v.contract_type, v.working_patterns, "
			   "v.ect_suitable, v.key_worker_eligible, v.visa_sponsorship");
	for (k = 0; k < NFILTERS; k++) {
		if (!filter_set(vq, k))
			continue;
		buf_puts(&st->sql, ", (");
		if (stmt_condition(vq, k, st) != 0)
			return -1;
		buf_printf(&st->sql, ") AS f%zu", k);
	}
	buf_puts(&st->sql, " FROM vacancies v WHERE ");
	if (stmt_live(vq, st) != 0)
		return -1;
	buf_puts(&st->sql, ")");
	/* A branch for each filter with values: the matches of the others, by value. */
	for (k = 0; k < NFILTERS; k++) {
		f = &search_filters[k];
		if (f->offset < 0)
			continue;
		buf_printf(&st->sql, "%s SELECT '%s'::text, %s, %s FROM m%s WHERE true",
			   n++ > 0 ? " UNION ALL" : "", f->param, f->value, f->count, f->from);
		others_set(vq, k, &st->sql);
		if (f->where != NULL)
			buf_printf(&st->sql, " AND %s", f->where);
		buf_puts(&st->sql, " GROUP BY 2");
	}
	/* One for the flags (each branch costs planning, which this statement pays on every
	 * search): a count of each in one pass over m, then a row each. */
	buf_puts(&st->sql, " UNION ALL SELECT x.p, 'true'::text, x.n FROM (SELECT");
	for (n = 0, k = 0; k < NFILTERS; k++) {
		if (search_filters[k].offset >= 0)
			continue;
		buf_printf(&st->sql, "%s count(*) FILTER (WHERE %s", n++ > 0 ? "," : "",
			   search_filters[k].where);
		others_set(vq, k, &st->sql);
		buf_printf(&st->sql, ") AS c%zu", k);
	}
	buf_puts(&st->sql, " FROM m) t CROSS JOIN LATERAL (VALUES ");
	for (n = 0, k = 0; k < NFILTERS; k++)
		if (search_filters[k].offset < 0)
			buf_printf(&st->sql, "%s('%s', t.c%zu)", n++ > 0 ? ", " : "",
				   search_filters[k].param, k);
	buf_puts(&st->sql, ") x(p, n)");
	return buf_failed(&st->sql) ? -1 : 0;
}

/* The empty facets: an object for each listed filter, 0 for each flag. NULL when out of
 * memory. */
static json_t *facets_empty(void)
{
	json_t *facets = json_object();
	size_t k;

	for (k = 0; facets != NULL && k < NFILTERS; k++) {
		if (json_object_set_new(facets, search_filters[k].param,
					search_filters[k].offset >= 0 ? json_object()
								   : json_integer(0)) != 0) {
			json_decref(facets);
			facets = NULL;
		}
	}
	return facets;
}

/* Puts the facet rows of res (parameter, value, count) into facets. Returns 0 or -1. */
static int facets_fill(json_t *facets, const PGresult *res)
{
	json_t *f, *n;
	int i;

	for (i = 0; i < PQntuples(res); i++) {
		f = json_object_get(facets, PQgetvalue(res, i, 0));
		n = json_integer(strtoll(PQgetvalue(res, i, 2), NULL, 10));
		if (f == NULL || n == NULL) {
			json_decref(n);
			return -1;
		}
		if (json_is_object(f) ? json_object_set_new(f, PQgetvalue(res, i, 1), n)
				      : json_object_set_new(facets, PQgetvalue(res, i, 0), n))
			return -1;
	}
	return 0;
}

int vacancy_search_facets(PGconn *c, const struct vacancy_query *vq, json_t **facets, char *err,
			  size_t errlen)
{
	struct vacancy_search_stmt st = { 0 };
	PGresult *res = NULL;
	bool few = false;
	int rc = -1;

	*facets = NULL;
	if (vacancy_search_few_live(c, &few, err, errlen) != 0)
		goto out;
	if (!few) {
		rc = 0;
		goto out;
	}
	if (vacancy_search_facets_sql(vq, &st) != 0) {
		snprintf(err, errlen, "vacancy_search_facets: out of memory");
		goto out;
	}
	res = vacancy_search_stmt_exec(c, "vacancy_search facets", &st, err, errlen);
	if (res == NULL)
		goto out;
	*facets = facets_empty();
	if (*facets == NULL || facets_fill(*facets, res) != 0) {
		json_decref(*facets);
		*facets = NULL;
		snprintf(err, errlen, "vacancy_search_facets: out of memory");
		goto out;
	}
	rc = 0;
out:
	PQclear(res);
	vacancy_search_stmt_free(&st);
	return rc;
}

/* Reads the one number (count(*)) of res into *n. Returns 0 or -1 with err set. */
static int number_of(PGconn *c, const char *context, PGresult *res, long long *n, char *err,
		     size_t errlen)
{
	res = rows_of(c, context, res, err, errlen);

	if (res == NULL)
		return -1;
	*n = PQntuples(res) == 1 ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
	PQclear(res);
	return 0;
}

/* The last count of live vacancies: whether few were live, and when it was counted. */
static struct {
	pthread_mutex_t lock;
	bool known, few;
	struct timespec at;   /* CLOCK_MONOTONIC */
} live = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* True when the count kept in `live` is younger than VACANCY_SEARCH_LIVE_TTL_S at now. Called
 * with live.lock held. */
static bool live_fresh(const struct timespec *now)
{
	return live.known && now->tv_sec - live.at.tv_sec < VACANCY_SEARCH_LIVE_TTL_S;
}

int vacancy_search_few_live(PGconn *c, bool *few, char *err, size_t errlen)
{
	char upto[24];
	const char *params[1] = { upto };
	struct timespec now;
	long long n;
	bool fresh;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&live.lock);
	fresh = live_fresh(&now);
	*few = live.few;
	pthread_mutex_unlock(&live.lock);
	if (fresh)
		return 0;
	snprintf(upto, sizeof upto, "%d", VACANCY_SEARCH_FEW_LIVE + 1);
	if (number_of(c, "vacancy_search live",
		      db_prepared_exec(c, &live_stmt, params, NULL, NULL, 0), &n, err, errlen) != 0)
		return -1;
	*few = n <= VACANCY_SEARCH_FEW_LIVE;
	pthread_mutex_lock(&live.lock);
	live.known = true;
	live.few = *few;
	live.at = now;
	pthread_mutex_unlock(&live.lock);
	return 0;
}

/* The number of pages the matches of vq fill, counting them up to the start of vq's page:
 * for a page beyond the last. Returns it (at least 1), or 0 with err set. */
static long pages_before(PGconn *c, const struct vacancy_query *vq, char *err, size_t errlen)
{
	struct vacancy_search_stmt st = { 0 };
	long long n = 0;
	long pages = 0;

	if (count_sql(vq, (vq->page - 1) * VACANCY_SEARCH_PER_PAGE, &st) != 0)
		snprintf(err, errlen, "vacancy_search: out of memory");
	else if (number_of(c, "vacancy_search count",
			   PQexecParams(c, buf_str(&st.sql), st.nparams, NULL,
					(const char *const *)st.params, NULL, NULL, 0),
			   &n, err, errlen) == 0)
		pages = n > 0 ? (long)((n + VACANCY_SEARCH_PER_PAGE - 1) / VACANCY_SEARCH_PER_PAGE)
			      : 1;
	vacancy_search_stmt_free(&st);
	return pages;
}

int vacancy_search_any(PGconn *c, const struct vacancy_query *vq, bool *any, char *err,
		       size_t errlen)
{
	struct vacancy_search_stmt st = { 0 };
	long long n = 0;
	int rc = -1;

	if (count_sql(vq, 1, &st) != 0)
		snprintf(err, errlen, "vacancy_search_any: out of memory");
	else if (number_of(c, "vacancy_search any",
			   PQexecParams(c, buf_str(&st.sql), st.nparams, NULL,
					(const char *const *)st.params, NULL, NULL, 0),
			   &n, err, errlen) == 0)
		rc = 0;
	*any = n > 0;
	vacancy_search_stmt_free(&st);
	return rc;
}

/* The counts of one search. */
struct search_counts {
	long long total;    /* matches counted (a lower bound when !exact) */
	bool exact;
	long pages;         /* pages known to hold matches, at least 1 */
};

/* The index of the page's first id among those the search statement reads. */
static int page_first(const struct vacancy_query *vq, bool few)
{
	return few ? (int)((vq->page - 1) * VACANCY_SEARCH_PER_PAGE) : 0;
}

int vacancy_search_page_ids(const struct vacancy_query *vq, bool few_live,
			    const PGresult *found, struct buf *ids)
{
	int i, first = page_first(vq, few_live), rows = PQntuples(found);

	buf_putc(ids, '{');
	for (i = first; i < rows && i < first + VACANCY_SEARCH_PER_PAGE; i++)
		buf_printf(ids, "%s%s", i > first ? "," : "", PQgetvalue(found, i, 0));
	buf_putc(ids, '}');
	return buf_failed(ids) ? -1 : 0;
}

/* Reads the counts from the ids the search statement found (`rows` of them, read with `few`
 * live) into n. */
static void counts_of(const struct vacancy_query *vq, bool few, int rows, struct search_counts *n)
{
	long limit = vacancy_search_limit(vq, few);
	long long before = few ? 0 : (vq->page - 1) * VACANCY_SEARCH_PER_PAGE;

	/* Reaching the limit means there are more matches than limit - 1. */
	n->exact = rows < limit;
	n->total = before + (n->exact ? rows : limit - 1);
	n->pages = (long)((n->total + VACANCY_SEARCH_PER_PAGE - 1) / VACANCY_SEARCH_PER_PAGE);
	if (!n->exact && !few)
		n->pages = vq->page + 1;
	if (n->pages < 1)
		n->pages = 1;
}

/* Runs the search of vq. Returns the page's vacancies (vacancy_item_columns from column 0;
 * PQclear them) with n filled in; or NULL with *missing set to the number of pages when
 * vq->page is beyond the last (err ""), or with the cause in err. */
static PGresult *search_exec(PGconn *c, const struct vacancy_query *vq, struct search_counts *n,
			     long *missing, char *err, size_t errlen)
{
	struct vacancy_search_stmt st = { 0 };
	struct buf ids = { 0 };
	PGresult *found = NULL, *res = NULL;
	const char *params[1];
	bool few = false;
	int rows;

	*missing = 0;
	if (errlen > 0)
		err[0] = '\0';
	if (vacancy_search_few_live(c, &few, err, errlen) != 0)
		goto out;
	if (vacancy_search_sql(vq, few, &st) != 0) {
		snprintf(err, errlen, "vacancy_search: out of memory");
		goto out;
	}
	found = vacancy_search_stmt_exec(c, "vacancy_search", &st, err, errlen);
	if (found == NULL)
		goto out;
	rows = PQntuples(found);
	counts_of(vq, few, rows, n);
	if (rows <= page_first(vq, few) && vq->page > 1) {
		*missing = few ? n->pages : pages_before(c, vq, err, errlen);
		goto out;
	}
	if (vacancy_search_page_ids(vq, few, found, &ids) != 0) {
		snprintf(err, errlen, "vacancy_search: out of memory");
		goto out;
	}
	params[0] = buf_str(&ids);
	res = rows_of(c, "vacancy_search items",
		      db_prepared_exec(c, &items_stmt, params, NULL, NULL, 0), err, errlen);
out:
	PQclear(found);
	buf_free(&ids);
	vacancy_search_stmt_free(&st);
	return res;
}

int vacancy_search_json(PGconn *c, const struct vacancy_query *vq,
			const struct label_list *subjects, long *missing, long long *total,
			struct buf *out, char *err, size_t errlen)
{
	struct search_counts n;
	PGresult *res = search_exec(c, vq, &n, missing, err, errlen);
	int i, rows;

	if (res == NULL)
		return -1;
	rows = PQntuples(res);
	buf_reserve(out, 1024 + (size_t)rows * 1536);
	buf_puts(out, "{\"items\":[");
	for (i = 0; i < rows; i++) {
		if (i > 0)
			buf_putc(out, ',');
		vacancy_item_json(out, res, i, subjects);
	}
	buf_printf(out, "],\"total\":%lld,\"total_exact\":%s,\"page\":%ld,\"per_page\":%d,"
			"\"pages\":%ld", n.total, n.exact ? "true" : "false", vq->page,
		   VACANCY_SEARCH_PER_PAGE, n.pages);
	*total = n.total;
	PQclear(res);
	if (buf_failed(out)) {
		snprintf(err, errlen, "vacancy_search_json: out of memory");
		return -1;
	}
	return 0;
}

json_t *vacancy_search_run(PGconn *c, const struct vacancy_query *vq,
			   const struct label_list *subjects, vacancy_search_item_fn item,
			   long *missing, char *err, size_t errlen)
{
	struct search_counts n;
	PGresult *res = search_exec(c, vq, &n, missing, err, errlen);
	json_t *model = NULL, *items = NULL;
	int i, rows;

	if (res == NULL)
		return NULL;
	rows = PQntuples(res);
	items = json_array();
	for (i = 0; items != NULL && i < rows; i++) {
		if (json_array_append_new(items, item != NULL ? item(res, i, subjects)
							     : vacancy_item_from_row(res, i, 0,
										     subjects)) != 0) {
			json_decref(items);
			items = NULL;
		}
	}
	if (items != NULL)
		model = json_pack("{s:o, s:I, s:b, s:I, s:i, s:I}", "items", items, "total",
				  (json_int_t)n.total, "total_exact", n.exact, "page",
				  (json_int_t)vq->page, "per_page", VACANCY_SEARCH_PER_PAGE, "pages",
				  (json_int_t)n.pages);
	if (model == NULL)
		snprintf(err, errlen, "vacancy_search_run: out of memory");
	PQclear(res);
	return model;
}

json_t *vacancy_search_school(PGconn *c, long urn, char *err, size_t errlen)
{
	const struct label_list *subjects = vacancy_subjects_list(c, err, errlen);
	struct vacancy_query vq;
	json_t *result;
	char urn_text[24], url[48];
	long missing;

	if (subjects == NULL)
		return NULL;
	memset(&vq, 0, sizeof vq);
	vq.page = 1;
	vq.sort = VACANCY_SORT_CLOSING;
	snprintf(urn_text, sizeof urn_text, "%ld", urn);
	vq.schools.values[0] = urn_text;
	vq.schools.n = 1;
	result = vacancy_search_run(c, &vq, subjects, NULL, &missing, err, errlen);
	if (result == NULL)
		return NULL;
	snprintf(url, sizeof url, "/vacancies?school=%ld", urn);
	if (json_object_set_new(result, "search_url", json_string(url)) != 0) {
		snprintf(err, errlen, "vacancy_search_school: out of memory");
		json_decref(result);
		return NULL;
	}
	return result;
}
