/* search_sql.c - prints the SQL statement that /vacancies and /api/v1/vacancies run for a query
 * string, with its parameters inlined as literals, so that pgbench and EXPLAIN replay exactly
 * what the handlers send (vacancy_search_parse + vacancy_search_sql, the handlers' own code).
 * Built by tests/bench/search.sh against the portal's objects; connects with the PG*
 * environment (pg_virtualenv) to read the subject list and the schools directory, as the
 * handlers do.
 * Usage: search_sql QUERY_STRING   e.g. search_sql 'q=mathematics&phase=secondary'
 * Exit status 0, 1 on any failure (the reason on stderr). */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "http.h"
#include "schools_data.h"
#include "vacancy_search.h"
#include "vacancy_view.h"

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
	struct buf out = { 0 };
	const struct schools_snapshot *schools = NULL;
	const struct label_list *subjects;
	char err[512], problem[512] = "the query string is malformed";
	PGconn *c;
	int rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: search_sql QUERY_STRING\n");
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
	if (form_parse(argv[1], strlen(argv[1]), &query) != 0 ||
	    vacancy_search_parse(&query, subjects, schools, &vq, problem, sizeof problem) != 0) {
		fprintf(stderr, "search_sql: %s: %s\n", argv[1], problem);
		goto out;
	}
	if (vacancy_search_sql(&vq, &st) != 0 || vacancy_search_stmt_inline(&st, &out) != 0) {
		fprintf(stderr, "search_sql: out of memory\n");
		goto out;
	}
	printf("%s;\n", buf_str(&out));
	rc = 0;
out:
	buf_free(&out);
	vacancy_search_stmt_free(&st);
	kv_free(&query);
	if (schools != NULL)
		schools_snapshot_put(schools);
	schools_snapshot_clear();
	PQfinish(c);
	return rc;
}
