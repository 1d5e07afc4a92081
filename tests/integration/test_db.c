/* test_db.c - the database layer against the pg_virtualenv PostgreSQL: the connection pool
 * (bounds, waits, rollback of abandoned transactions, recovery from terminated backends and a
 * server restart), migrations (fresh database, two migrators at once, failures roll back), the
 * schools seed loader (idempotent, bad rows rejected with their line), the schools data
 * functions and the periodic rounds' units of work (db_each_tx). Runs in-process (no portal server); run-integration.sh has migrated and seeded the
 * default database, and every test leaves it as it found it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "db.h"
#include "harness.h"
#include "schools_data.h"
#include "seed.h"

#define MIGRATIONS_DIR "sql/migrations"
#define SCHOOLS_CSV "../shared/data/thurrock_schools.csv"
#define SCRATCH_DB "it_db_scratch"
#define SCRATCH_URL "postgresql:///" SCRATCH_DB

/* A one-off connection to conninfo, failing the test when it cannot be made. */
static PGconn *connect_or_fail(const char *conninfo)
{
	char err[512];
	PGconn *c = db_connect(conninfo, err, sizeof err);

	ck_assert_msg(c != NULL, "db_connect: %s", err);
	return c;
}

/* First column of the first row of sql on c (malloc'd), failing the test on an error. */
static char *query_value(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);
	char *v;

	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(c));
	ck_assert_int_ge(PQntuples(res), 1);
	v = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	ck_assert_ptr_nonnull(v);
	return v;
}

/* True when sql runs on c without error. */
static int exec_ok(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);
	int ok = PQresultStatus(res) == PGRES_TUPLES_OK || PQresultStatus(res) == PGRES_COMMAND_OK;

	PQclear(res);
	return ok;
}

/* Number of migration files in the repository: all of them are pending in the fresh scratch
 * database. */
static int migration_files(void)
{
	char err[256];
	PGconn *c = connect_or_fail(SCRATCH_URL);
	int n = db_migrations_pending(c, MIGRATIONS_DIR, err, sizeof err);

	PQfinish(c);
	ck_assert_msg(n > 0, "db_migrations_pending: %d %s", n, err);
	return n;
}

/* Writes text to IT_TMPDIR/<name> and returns the path (static buffer). */
static const char *tmp_file(const char *name, const char *text)
{
	static char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", getenv("IT_TMPDIR"), name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* --- fixtures: a scratch database for the migration tests -------------------------------- */

static void scratch_db_create(void)
{
	PGconn *c = connect_or_fail("postgresql://");

	ck_assert(exec_ok(c, "SET client_min_messages = warning"));
	ck_assert(exec_ok(c, "DROP DATABASE IF EXISTS " SCRATCH_DB " WITH (FORCE)"));
	ck_assert(exec_ok(c, "CREATE DATABASE " SCRATCH_DB));
	PQfinish(c);
}

static void scratch_db_drop(void)
{
	char err[256];
	PGconn *c = db_connect("postgresql://", err, sizeof err);

	if (c != NULL)
		exec_ok(c, "DROP DATABASE IF EXISTS " SCRATCH_DB " WITH (FORCE)");
	PQfinish(c);
}

/* --- migrations ---------------------------------------------------------------------------- */

START_TEST(migrate_fresh_database_then_idempotent)
{
	char err[512], *v;
	PGconn *c;
	int files = migration_files();

	c = connect_or_fail(SCRATCH_URL);
	ck_assert_msg(db_migrate(c, MIGRATIONS_DIR, false, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(db_migrations_pending(c, MIGRATIONS_DIR, err, sizeof err), 0);
	ck_assert_msg(db_migrate(c, MIGRATIONS_DIR, false, err, sizeof err) == 0, "%s", err);
	v = query_value(c, "SELECT count(*) FROM schema_migrations");
	ck_assert_int_eq(atoi(v), files);
	free(v);
	v = query_value(c, "SELECT min(version) FROM schema_migrations");
	ck_assert_str_eq(v, "0001_schools");
	free(v);
	ck_assert_int_eq(PQtransactionStatus(c), PQTRANS_IDLE);
	PQfinish(c);
}
END_TEST

START_TEST(migrate_two_at_once)
{
	char err[512], *v;
	pid_t pids[2];
	PGconn *c;
	int i, st, files = migration_files();

	for (i = 0; i < 2; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			PGconn *mc = db_connect(SCRATCH_URL, err, sizeof err);
			int rc = mc != NULL ? db_migrate(mc, MIGRATIONS_DIR, false, err, sizeof err)
					    : -1;

			if (rc != 0)
				fprintf(stderr, "migrator %d: %s\n", i, err);
			PQfinish(mc);
			_exit(rc == 0 ? 0 : 1);
		}
	}
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(waitpid(pids[i], &st, 0), pids[i]);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "migrator %d failed", i);
	}
	c = connect_or_fail(SCRATCH_URL);
	v = query_value(c, "SELECT count(*) FROM schema_migrations");
	ck_assert_int_eq(atoi(v), files);
	free(v);
	PQfinish(c);
}
END_TEST

START_TEST(migrate_failure_rolls_back)
{
	char dir[4096], err[512], *v;
	PGconn *c;

	snprintf(dir, sizeof dir, "%s/migrations-bad", getenv("IT_TMPDIR"));
	mkdir(dir, 0700);
	tmp_file("migrations-bad/0001_ok.sql", "CREATE TABLE it_ok (id int);\n");
	tmp_file("migrations-bad/0002_bad.sql",
		 "CREATE TABLE it_half (id int);\nINSERT INTO it_half VALUES (1);\nSELEC oops;\n");
	c = connect_or_fail(SCRATCH_URL);
	ck_assert_int_eq(db_migrations_pending(c, dir, err, sizeof err), 2);
	ck_assert_int_eq(db_migrate(c, dir, false, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "0002_bad.sql") != NULL && strstr(err, "SELEC") != NULL &&
			      strchr(err, '\n') == NULL,
		      "message: %s", err);
	ck_assert_int_eq(PQtransactionStatus(c), PQTRANS_IDLE);
	ck_assert_int_eq(db_migrations_pending(c, dir, err, sizeof err), 1);
	v = query_value(c, "SELECT to_regclass('it_ok') IS NOT NULL AND"
			   " to_regclass('it_half') IS NULL");
	ck_assert_str_eq(v, "t");
	free(v);

	/* a migration may not end the transaction it runs in */
	tmp_file("migrations-bad/0002_bad.sql", "CREATE TABLE it_half (id int);\nCOMMIT;\n");
	ck_assert_int_eq(db_migrate(c, dir, false, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "must not end the transaction") != NULL, "message: %s", err);

	/* a misnamed .sql file is refused before anything runs */
	tmp_file("migrations-bad/2_misnamed.sql", "SELECT 1;\n");
	ck_assert_int_eq(db_migrate(c, dir, false, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "2_misnamed.sql") != NULL, "message: %s", err);
	ck_assert_int_eq(db_migrate(c, "/nonexistent", false, err, sizeof err), -1);
	PQfinish(c);
}
END_TEST

/* --- seed ---------------------------------------------------------------------------------- */

START_TEST(seed_is_idempotent)
{
	char err[512], *before, *after, *v;
	PGconn *c = connect_or_fail("postgresql://");
	int n;

	before = query_value(c, "SELECT count(*) || '/' || max(updated_at) FROM schools");
	n = seed_schools(c, SCHOOLS_CSV, err, sizeof err);
	ck_assert_msg(n == 56, "seed_schools: %d %s", n, err);
	after = query_value(c, "SELECT count(*) || '/' || max(updated_at) FROM schools");
	/* same rows, and none rewritten */
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	/* unknown values are NULL, never empty strings */
	v = query_value(c, "SELECT count(*) FROM schools WHERE trust = '' OR type = ''"
			   " OR religious_character = ''");
	ck_assert_str_eq(v, "0");
	free(v);
	v = query_value(c, "SELECT count(*) FROM schools WHERE trust IS NULL");
	ck_assert_int_gt(atoi(v), 0);
	free(v);
	v = query_value(c, "SELECT name FROM schools WHERE urn = 137456");
	ck_assert_str_eq(v, "St Clere's School");
	free(v);

	/* a changed row is put back and its updated_at moves */
	ck_assert(exec_ok(c, "UPDATE schools SET name = 'Renamed' WHERE urn = 139605"));
	before = query_value(c, "SELECT updated_at FROM schools WHERE urn = 139605");
	ck_assert_int_eq(seed_schools(c, SCHOOLS_CSV, err, sizeof err), 56);
	v = query_value(c, "SELECT name FROM schools WHERE urn = 139605");
	ck_assert_str_eq(v, "Abbots Hall Primary School");
	free(v);
	after = query_value(c, "SELECT updated_at FROM schools WHERE urn = 139605");
	ck_assert_str_ne(before, after);
	free(before);
	free(after);
	PQfinish(c);
}
END_TEST

START_TEST(seed_rejects_bad_rows)
{
	static const char header[] =
		"urn,name,phase,type,town,postcode,trust,religious_character\n";
	static const struct {
		const char *body;
		const char *expect;
	} cases[] = {
		{ "1,A,primary,,,,,\n2,B,infant,,,,,\n", ":3: unknown phase \"infant\"" },
		{ "1,A,primary,,,,,\nx2,B,primary,,,,,\n", ":3: urn \"x2\"" },
		{ "0,A,primary,,,,,\n", ":2: urn \"0\"" },
		{ "99999999999,A,primary,,,,,\n", ":2: urn" },
		{ "1,A,primary,,,,\n", ":2: 7 fields, expected 8" },
		{ "1,,primary,,,,,\n", ":2: name is empty" },
		{ "1,A,primary,,,,,\n\n1,B,primary,,,,,\n", ":4: urn 1 repeats line 2" },
		{ "1,\"A,primary,,,,,\n", ":2: quoted field not closed" },
		{ "1,A,primary,,,not a postcode,,\n", ":2: database: ERROR" },
	};
	char err[512], *v;
	struct buf text = { 0 };
	PGconn *c = connect_or_fail("postgresql://");
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&text);
		buf_puts(&text, header);
		buf_puts(&text, cases[i].body);
		ck_assert_int_eq(seed_schools(c, tmp_file("bad.csv", buf_str(&text)), err,
					      sizeof err), -1);
		ck_assert_msg(strstr(err, cases[i].expect) != NULL, "case %zu: %s", i, err);
		ck_assert_int_eq(PQtransactionStatus(c), PQTRANS_IDLE);
	}
	ck_assert_int_eq(seed_schools(c, tmp_file("bad.csv", "urn,name,phase\n"), err, sizeof err),
			 -1);
	ck_assert_msg(strstr(err, ":1: missing column \"type\"") != NULL, "%s", err);
	ck_assert_int_eq(seed_schools(c, tmp_file("bad.csv", "urn,name,phase,type,town,postcode,"
							 "trust,religious_character,x\n"),
				      err, sizeof err),
			 -1);
	ck_assert_msg(strstr(err, ":1: unknown column \"x\"") != NULL, "%s", err);
	ck_assert_int_eq(seed_schools(c, "/nonexistent.csv", err, sizeof err), -1);
	/* nothing of the bad files reached the table */
	v = query_value(c, "SELECT count(*) FROM schools WHERE urn < 100");
	ck_assert_str_eq(v, "0");
	free(v);
	buf_free(&text);
	PQfinish(c);
}
END_TEST

/* --- schools data -------------------------------------------------------------------------- */

START_TEST(schools_data_models)
{
	char err[512], *v;
	PGconn *c = connect_or_fail("postgresql://");
	json_t *list, *s, *facets, *f;
	struct buf names = { 0 };
	size_t i, sum = 0;
	int found;

	list = schools_list(c, NULL, NULL, err, sizeof err);
	ck_assert_msg(list != NULL, "%s", err);
	v = query_value(c, "SELECT count(*) FROM schools");
	ck_assert_int_eq(json_array_size(list), (size_t)atoi(v));
	free(v);
	/* ordered by name as the database collates */
	v = query_value(c, "SELECT string_agg(name, '|' ORDER BY name, urn) FROM schools");
	json_array_foreach(list, i, s) {
		buf_puts(&names, i > 0 ? "|" : "");
		buf_puts(&names, json_string_value(json_object_get(s, "name")));
	}
	ck_assert_str_eq(buf_str(&names), v);
	free(v);
	buf_free(&names);
	s = json_array_get(list, 0);
	ck_assert(json_is_integer(json_object_get(s, "urn")));
	ck_assert(json_is_null(json_object_get(s, "website")));
	ck_assert_ptr_nonnull(json_object_get(s, "trust"));
	json_decref(list);

	list = schools_list(c, "special", "", err, sizeof err);
	ck_assert_int_eq(json_array_size(list), 3);
	json_array_foreach(list, i, s)
		ck_assert_str_eq(json_string_value(json_object_get(s, "phase_label")), "Special");
	json_decref(list);
	list = schools_list(c, "primary", "Tilbury", err, sizeof err);
	ck_assert_int_eq(json_array_size(list), 3);
	json_decref(list);
	list = schools_list(c, "x' OR '1'='1", NULL, err, sizeof err);
	ck_assert_int_eq(json_array_size(list), 0);
	json_decref(list);

	s = schools_get(c, 140861, &found, err, sizeof err);
	ck_assert_int_eq(found, 1);
	ck_assert_str_eq(json_string_value(json_object_get(s, "name")),
			 "Olive AP Academy - Thurrock");
	ck_assert_str_eq(json_string_value(json_object_get(s, "phase_label")),
			 "Alternative provision");
	ck_assert_str_eq(json_string_value(json_object_get(s, "url")), "/schools/140861");
	ck_assert(json_is_null(json_object_get(s, "religious_character")));
	json_decref(s);
	ck_assert_ptr_null(schools_get(c, 1, &found, err, sizeof err));
	ck_assert(found == 0 && err[0] == '\0');
	ck_assert_ptr_null(schools_get(c, 99999999999L, &found, err, sizeof err));
	ck_assert(found == 0 && err[0] == '\0');

	facets = schools_facets(c, err, sizeof err);
	ck_assert_msg(facets != NULL, "%s", err);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
				 json_object_get(facets, "phases"), 0), "value")),
			 "primary");
	json_array_foreach(json_object_get(facets, "phases"), i, f)
		sum += (size_t)json_integer_value(json_object_get(f, "count"));
	ck_assert_int_eq(sum, 56);
	sum = 0;
	json_array_foreach(json_object_get(facets, "towns"), i, f)
		sum += (size_t)json_integer_value(json_object_get(f, "count"));
	ck_assert_int_eq(sum, 56);
	json_decref(facets);

	/* failures come back as NULL with a message */
	ck_assert(exec_ok(c, "BEGIN"));
	ck_assert(!exec_ok(c, "SELECT 1/0"));
	ck_assert_ptr_null(schools_list(c, NULL, NULL, err, sizeof err));
	ck_assert_msg(strstr(err, "schools_list") != NULL, "%s", err);
	ck_assert_ptr_null(schools_get(c, 140861, &found, err, sizeof err));
	ck_assert(found == 0 && err[0] != '\0');
	ck_assert_ptr_null(schools_facets(c, err, sizeof err));
	PQfinish(c);
}
END_TEST

/* --- the pool ------------------------------------------------------------------------------ */

START_TEST(pool_bounds_and_rollback)
{
	struct db_stats st;
	PGconn *a, *b;
	long long t0;
	char *v;

	ck_assert_int_eq(db_pool_init("postgresql://", 2), 0);
	ck_assert_int_eq(db_pool_init("postgresql://", 2), -1);
	a = db_acquire(1000);
	b = db_acquire(1000);
	ck_assert(a != NULL && b != NULL && a != b);
	t0 = it_now_ms();
	ck_assert_ptr_null(db_acquire(200));
	ck_assert_int_ge(it_now_ms() - t0, 190);
	db_stats_get(&st);
	ck_assert(st.in_use == 2 && st.open == 2 && st.size == 2 && st.timeouts == 1);

	/* a: failed transaction; b: open transaction holding a lock */
	ck_assert(exec_ok(a, "BEGIN"));
	ck_assert(!exec_ok(a, "SELECT 1/0"));
	ck_assert(exec_ok(b, "BEGIN"));
	ck_assert(exec_ok(b, "LOCK TABLE schools IN ACCESS EXCLUSIVE MODE"));
	db_release(a);
	db_release(b);
	v = it_psql("SELECT count(*) FROM pg_locks WHERE relation = 'schools'::regclass");
	ck_assert_str_eq(v, "0");
	free(v);
	a = db_acquire(1000);
	b = db_acquire(1000);
	ck_assert(a != NULL && b != NULL);
	ck_assert(PQtransactionStatus(a) == PQTRANS_IDLE && PQtransactionStatus(b) == PQTRANS_IDLE);
	v = query_value(a, "SHOW application_name");
	ck_assert_str_eq(v, "portal");
	free(v);
	db_release(a);
	db_release(b);
	db_release(NULL);
	db_stats_get(&st);
	ck_assert(st.in_use == 0 && st.open == 2);
	db_pool_close(1000);
	db_stats_get(&st);
	ck_assert(st.open == 0 && st.size == 0);
}
END_TEST

START_TEST(pool_survives_terminated_backends)
{
	struct db_stats st;
	PGconn *a, *b;
	char *v;

	ck_assert_int_eq(db_pool_init("postgresql://", 2), 0);
	a = db_acquire(1000);
	b = db_acquire(1000);
	ck_assert(a != NULL && b != NULL);
	db_release(a);
	db_release(b);
	v = it_psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
		    " WHERE application_name = 'portal' AND pid <> pg_backend_pid()");
	ck_assert_str_eq(v, "2");
	free(v);
	it_sleep_ms(100);
	/* no error reaches the caller: the dead sessions are noticed and reset on acquire */
	a = db_acquire(1000);
	b = db_acquire(1000);
	ck_assert(a != NULL && b != NULL);
	ck_assert(exec_ok(a, "SELECT 1") && exec_ok(b, "SELECT 1"));
	db_release(a);
	db_release(b);
	db_stats_get(&st);
	ck_assert_int_eq(st.resets, 2);
	db_pool_close(1000);
}
END_TEST

START_TEST(pool_rides_out_a_restart)
{
	struct db_stats st;
	long long t0;
	PGconn *a;

	ck_assert_int_eq(db_pool_init("postgresql://", 2), 0);
	a = db_acquire(1000);
	ck_assert_ptr_nonnull(a);
	db_release(a);
	it_pg_stop();
	/* server down: NULL quickly, not after a hang */
	t0 = it_now_ms();
	ck_assert_ptr_null(db_acquire(500));
	ck_assert_ptr_null(db_acquire(500));
	ck_assert_int_lt(it_now_ms() - t0, 5000);
	db_stats_get(&st);
	ck_assert_int_ge(st.failures, 2);
	ck_assert_int_eq(st.in_use, 0);
	it_pg_start();
	a = db_acquire(1000);
	ck_assert_ptr_nonnull(a);
	ck_assert(exec_ok(a, "SELECT count(*) FROM schools"));
	db_release(a);
	db_pool_close(1000);
}
END_TEST

START_TEST(pool_close_waits_for_borrowers)
{
	PGconn *a;

	ck_assert_int_eq(db_pool_init("postgresql://", 1), 0);
	a = db_acquire(1000);
	ck_assert_ptr_nonnull(a);
	db_pool_close(50);                       /* gives up: a is still out */
	ck_assert_ptr_null(db_acquire(10));      /* closing: no new borrowers */
	ck_assert_int_eq(db_pool_init("postgresql://", 1), -1);
	db_release(a);                           /* the last one back tears the pool down */
	ck_assert_int_eq(db_pool_init("postgresql://", 1), 0);
	a = db_acquire(1000);
	ck_assert(a != NULL && exec_ok(a, "SELECT 1"));
	db_release(a);
	db_pool_close(1000);
}
END_TEST

START_TEST(connect_errors_are_one_line_without_password)
{
	char err[512];

	ck_assert_ptr_null(db_connect("postgresql://it_nobody:Secret-Pw-42@localhost/postgres",
				      err, sizeof err));
	ck_assert_msg(strstr(err, "Secret-Pw-42") == NULL && strchr(err, '\n') == NULL, "%s",
		      err);
	ck_assert_ptr_null(db_connect("postgresql://u:Secret-Pw-42@h:notaport/db?x=1", err,
				      sizeof err));
	ck_assert_msg(strstr(err, "Secret-Pw-42") == NULL, "%s", err);
	ck_assert_ptr_null(db_connect("host=/nonexistent password=Secret-Pw-42", err, sizeof err));
	ck_assert_msg(strstr(err, "Secret-Pw-42") == NULL && strchr(err, '\n') == NULL, "%s",
		      err);
}
END_TEST

/* --- units of a periodic round (db_each_tx) ---------------------------------------------- */

/* A unit that moves one row of it_each_tx from 'due' to 'done' (DB_UNIT_DONE), or says none
 * is due; with *fail_at == the row's n it first marks the row 'half' and then fails, so that
 * the rollback shows. */
static int move_one(PGconn *c, void *arg)
{
	const int *fail_at = arg;
	PGresult *res = PQexec(c, "SELECT n FROM it_each_tx WHERE state = 'due' ORDER BY n LIMIT 1 "
				  "FOR UPDATE SKIP LOCKED");
	int rc = DB_UNIT_FAILED, n;
	char sql[128];

	ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
	if (PQntuples(res) == 0) {
		rc = DB_UNIT_NONE;
		goto out;
	}
	n = atoi(PQgetvalue(res, 0, 0));
	snprintf(sql, sizeof sql, "UPDATE it_each_tx SET state = '%s' WHERE n = %d",
		 n == *fail_at ? "half" : "done", n);
	PQclear(res);
	res = PQexec(c, sql);
	ck_assert_int_eq(PQresultStatus(res), PGRES_COMMAND_OK);
	if (n != *fail_at)
		rc = DB_UNIT_DONE;
out:
	PQclear(res);
	return rc;
}

START_TEST(each_tx_commits_each_unit)
{
	PGconn *c = connect_or_fail("postgresql://");
	char *v;
	int fail_at = 0;

	free(query_value(c, "CREATE TABLE IF NOT EXISTS it_each_tx (n int PRIMARY KEY, state text); "
			    "TRUNCATE it_each_tx; INSERT INTO it_each_tx SELECT g, 'due' FROM "
			    "generate_series(1, 5) g; SELECT 1"));
	/* At most max units a call; each committed (another connection sees it at once). */
	ck_assert_int_eq(db_each_tx(c, move_one, &fail_at, 2), 2);
	v = it_psql("SELECT string_agg(state, ',' ORDER BY n) FROM it_each_tx");
	ck_assert_str_eq(v, "done,done,due,due,due");
	free(v);
	/* A unit that fails: rolled back (no 'half'), -1, the units before it stay done. */
	fail_at = 4;
	ck_assert_int_eq(db_each_tx(c, move_one, &fail_at, 10), -1);
	v = it_psql("SELECT string_agg(state, ',' ORDER BY n) FROM it_each_tx");
	ck_assert_str_eq(v, "done,done,done,due,due");
	free(v);
	ck_assert_int_eq(PQtransactionStatus(c), PQTRANS_IDLE);
	/* Until none is due: the rest, and then 0. */
	fail_at = 0;
	ck_assert_int_eq(db_each_tx(c, move_one, &fail_at, 10), 2);
	ck_assert_int_eq(db_each_tx(c, move_one, &fail_at, 10), 0);
	ck_assert_int_eq(PQtransactionStatus(c), PQTRANS_IDLE);
	free(query_value(c, "DROP TABLE it_each_tx; SELECT 1"));
	PQfinish(c);
}
END_TEST

static Suite *db_suite(void)
{
	Suite *s = suite_create("db");
	TCase *tc;

	tc = tcase_create("migrations");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, scratch_db_create, scratch_db_drop);
	tcase_add_test(tc, migrate_fresh_database_then_idempotent);
	tcase_add_test(tc, migrate_two_at_once);
	tcase_add_test(tc, migrate_failure_rolls_back);
	suite_add_tcase(s, tc);

	tc = tcase_create("seed");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, seed_is_idempotent);
	tcase_add_test(tc, seed_rejects_bad_rows);
	suite_add_tcase(s, tc);

	tc = tcase_create("schools_data");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, schools_data_models);
	suite_add_tcase(s, tc);

	tc = tcase_create("pool");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, pool_bounds_and_rollback);
	tcase_add_test(tc, pool_survives_terminated_backends);
	tcase_add_test(tc, pool_close_waits_for_borrowers);
	tcase_add_test(tc, connect_errors_are_one_line_without_password);
	tcase_add_test(tc, each_tx_commits_each_unit);
	suite_add_tcase(s, tc);

	/* last, alone: it stops the server; the teardown starts it again even after a failure */
	tc = tcase_create("restart");
	tcase_set_timeout(tc, 90);
	tcase_add_unchecked_fixture(tc, NULL, it_pg_ensure_running);
	tcase_add_test(tc, pool_rides_out_a_restart);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(db_suite());
}
