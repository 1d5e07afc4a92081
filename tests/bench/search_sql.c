/* search_sql.c - prints the SQL statements that /vacancies and /api/v1/vacancies run for a query
 * string, one per line with their parameters inlined as literals, so that pgbench and EXPLAIN
 * replay exactly what the handlers send (vacancy_search_parse, vacancy_search_live_sql,
 * vacancy_search_sql and vacancy_search_items_sql: the handlers' own code). It runs the first
 * two itself to learn what the handler would pass to the next: whether few vacancies are live,
 * and the ids of the page.
 *
 * With --pgbench it prints a pgbench script (for -M simple -D k=0) that runs what the portal
 * runs for each search: the second and the third (the first, the count of live vacancies, runs
 * once every VACANCY_SEARCH_LIVE_TTL_S seconds, not for each search); the third prepared once
 * per connection (PREPARE in the client's first transaction, then EXECUTE: core/db_prepared.c
 * does the same with the protocol's Parse), the second parsed and planned on every run
 * (PQexecParams with an unnamed statement).
 *
 * With --facets it prints the statement of the filter counts instead (vacancy_search_facets_sql:
 * run with few live vacancies only, parsed and planned on every search), for pgbench and
 * EXPLAIN alike.
 *
 * Built by tests/bench/search.sh against the portal's objects; connects with the PG*
 * environment (pg_virtualenv) to read the subject list and the schools directory, as the
 * handlers do.
 * Usage: search_sql [--pgbench|--facets] QUERY_STRING   e.g. search_sql 'q=mathematics&phase=secondary'
 * Exit status 0, 1 on any failure (the reason on stderr). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "http.h"
#include "schools_data.h"
#include "vacancy_search.h"
#include "vacancy_view.h"

/* Runs sql (parameters inlined); returns its rows or NULL (the reason on stderr). */
static PGresult *run(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);

	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	fprintf(stderr, "search_sql: %s", PQerrorMessage(c));
	PQclear(res);
	return NULL;
}

/* Prints sql (one parameter, $1 = param) with param inlined as a literal; for pgbench, the
 * EXECUTE of the statement prepared as `name` instead. Returns 0 or -1 when out of memory. */
static int print_with(const char *sql, const char *param, const char *name, bool pgbench)
{
	struct vacancy_search_stmt st = { 0 };
	struct buf out = { 0 };
	int rc = -1;

	if (pgbench) {
		printf("EXECUTE %s('%s');\n", name, param);
		return 0;
	}
	buf_puts(&st.sql, sql);
	st.params[0] = strdup(param);
	if (st.params[0] != NULL) {
		st.nparams = 1;
		if (!buf_failed(&st.sql) && vacancy_search_stmt_inline(&st, &out) == 0) {
			printf("%s;\n", buf_str(&out));
			rc = 0;
		}
	}
	buf_free(&out);
	vacancy_search_stmt_free(&st);
	return rc;
}

/* schools_snapshot_get's connection callback: the one connection of this program. */
static PGconn *own_connection(void *ctx)
{
	return ctx;
}

int main(int argc, char **argv)
{
	struct kvlist query = { 0 };
	struct vacancy_query vq;
	struct vacancy_search_stmt st = { 0 };
	struct buf out = { 0 }, ids = { 0 };
	PGresult *res = NULL;
	char upto[24];
	bool few;
	const struct schools_snapshot *schools = NULL;
	const struct label_list *subjects;
	char err[512], problem[512] = "the query string is malformed";
	PGconn *c;
	int rc = 1;

	bool pgbench = argc == 3 && strcmp(argv[1], "--pgbench") == 0;
	bool facets = argc == 3 && strcmp(argv[1], "--facets") == 0;
	const char *qs = argv[argc - 1];

	if (argc != 2 && !pgbench && !facets) {
		fprintf(stderr, "usage: search_sql [--pgbench|--facets] QUERY_STRING\n");
		return 2;
	}
	c = db_connect("postgresql://", err, sizeof err);
	if (c == NULL) {
		fprintf(stderr, "search_sql: %s\n", err);
		return 1;
	}
	subjects = vacancy_subjects_list(c, err, sizeof err);
	if (subjects != NULL)
		schools = schools_snapshot_get(own_connection, c, err, sizeof err);
	if (subjects == NULL || schools == NULL) {
		fprintf(stderr, "search_sql: %s\n", err);
		goto out;
	}
	if (form_parse(qs, strlen(qs), &query) != 0 ||
	    vacancy_search_parse(&query, subjects, schools, &vq, problem, sizeof problem) != 0) {
		fprintf(stderr, "search_sql: %s: %s\n", qs, problem);
		goto out;
	}
	if (facets) {
		if (vacancy_search_facets_sql(&vq, &st) != 0 ||
		    vacancy_search_stmt_inline(&st, &out) != 0) {
			fprintf(stderr, "search_sql: out of memory\n");
			goto out;
		}
		printf("%s;\n", buf_str(&out));
		rc = 0;
		goto out;
	}
	if (vacancy_search_few_live(c, &few, err, sizeof err) != 0) {
		fprintf(stderr, "search_sql: %s\n", err);
		goto out;
	}
	if (pgbench)
		printf("\\if :k = 0\nPREPARE vacancy_search_items AS %s;\n\\endif\n"
		       "\\set k :k + 1\n", vacancy_search_items_sql);
	snprintf(upto, sizeof upto, "%d", VACANCY_SEARCH_FEW_LIVE + 1);
	if ((!pgbench &&
	     print_with(vacancy_search_live_sql, upto, "vacancy_search_live", false) != 0) ||
	    vacancy_search_sql(&vq, few, &st) != 0 || vacancy_search_stmt_inline(&st, &out) != 0) {
		fprintf(stderr, "search_sql: out of memory\n");
		goto out;
	}
	printf("%s;\n", buf_str(&out));
	res = run(c, buf_str(&out));
	if (res == NULL)
		goto out;
	if (vacancy_search_page_ids(&vq, few, res, &ids) != 0 ||
	    print_with(vacancy_search_items_sql, buf_str(&ids), "vacancy_search_items",
		       pgbench) != 0) {
		fprintf(stderr, "search_sql: out of memory\n");
		goto out;
	}
	rc = 0;
out:
	PQclear(res);
	buf_free(&out);
	buf_free(&ids);
	vacancy_search_stmt_free(&st);
	kv_free(&query);
	if (schools != NULL)
		schools_snapshot_put(schools);
	schools_snapshot_clear();
	PQfinish(c);
	return rc;
}
