/* test_db_prepared.c - statements prepared once per pooled connection (db_prepared.h) against
 * the pg_virtualenv PostgreSQL: prepared on first use and reused, kept across ROLLBACK, not
 * recorded when preparing fails (bad SQL, an aborted transaction), prepared again on a
 * connection the pool had to reset (terminated backend), binary parameters. Runs in-process
 * (no portal server) on a pool of one connection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_prepared.h"
#include "harness.h"

static const struct db_stmt echo_stmt = {
	"it_prepared_echo",
	"SELECT $1::text || '!'",
	1,
};

static const struct db_stmt broken_stmt = {
	"it_prepared_broken",
	"SELECT no_such_column FROM schools WHERE urn = $1::integer",
	1,
};

static const struct db_stmt hash_stmt = {
	"it_prepared_hash",
	"SELECT encode($1::bytea, 'hex')",
	1,
};

/* Runs echo_stmt with v on c; fails the test unless it answers v + "!". */
static void expect_echo(PGconn *c, const char *v)
{
	const char *vals[1] = { v };
	PGresult *res = db_prepared_exec(c, &echo_stmt, vals, NULL, NULL, 0);
	char want[64];

	snprintf(want, sizeof want, "%s!", v);
	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "echo: %s", PQerrorMessage(c));
	ck_assert_str_eq(PQgetvalue(res, 0, 0), want);
	PQclear(res);
}

/* How many statements named name the session of c has prepared. */
static long prepared_count(PGconn *c, const char *name)
{
	const char *vals[1] = { name };
	PGresult *res = PQexecParams(c, "SELECT count(*) FROM pg_prepared_statements WHERE name = $1",
				     1, NULL, vals, NULL, NULL, 0);
	long n;

	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "%s", PQerrorMessage(c));
	n = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return n;
}

/* Runs a transaction command on c, failing the test when it fails. */
static void tx(PGconn *c, const char *cmd)
{
	ck_assert_msg(db_tx(c, cmd) == 0, "%s failed", cmd);
}

START_TEST(prepared_once_and_reused)
{
	PGconn *c;

	ck_assert_int_eq(db_pool_init("postgresql://", 1), 0);
	c = db_acquire(1000);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(prepared_count(c, echo_stmt.name), 0);
	expect_echo(c, "one");
	ck_assert_int_eq(prepared_count(c, echo_stmt.name), 1);
	expect_echo(c, "two");
	db_release(c);
	/* the same connection comes back with its statement */
	c = db_acquire(1000);
	ck_assert_int_eq(prepared_count(c, echo_stmt.name), 1);
	expect_echo(c, "three");
	db_release(c);
	db_pool_close(1000);
}
END_TEST

START_TEST(kept_across_rollback)
{
	PGconn *c;

	ck_assert_int_eq(db_pool_init("postgresql://", 1), 0);
	c = db_acquire(1000);
	ck_assert_ptr_nonnull(c);
	tx(c, "BEGIN");
	expect_echo(c, "in a transaction");
	tx(c, "ROLLBACK");
	ck_assert_int_eq(prepared_count(c, echo_stmt.name), 1);
	expect_echo(c, "after the rollback");
	db_release(c);
	db_pool_close(1000);
}
END_TEST

START_TEST(failed_prepare_is_not_recorded)
{
	const char *vals[1] = { "1" };
	PGresult *res;
	PGconn *c;

	ck_assert_int_eq(db_pool_init("postgresql://", 1), 0);
	c = db_acquire(1000);
	ck_assert_ptr_nonnull(c);
	/* bad SQL: the error comes back as the result, every time */
	res = db_prepared_exec(c, &broken_stmt, vals, NULL, NULL, 0);
	ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
	PQclear(res);
	res = db_prepared_exec(c, &broken_stmt, vals, NULL, NULL, 0);
	ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
	ck_assert_msg(strstr(PQresultErrorMessage(res), "no_such_column") != NULL, "%s",
		      PQresultErrorMessage(res));
	PQclear(res);
	/* first use inside an aborted transaction fails, and the statement is prepared on the
	 * next use */
	tx(c, "BEGIN");
	res = PQexec(c, "SELECT 1/0");
	PQclear(res);
	res = db_prepared_exec(c, &echo_stmt, vals, NULL, NULL, 0);
	ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
	PQclear(res);
	tx(c, "ROLLBACK");
	ck_assert_int_eq(prepared_count(c, echo_stmt.name), 0);
	expect_echo(c, "prepared now");
	ck_assert_int_eq(prepared_count(c, echo_stmt.name), 1);
	db_release(c);
	db_pool_close(1000);
}
END_TEST

START_TEST(prepared_again_after_a_reset)
{
	struct db_stats st;
	PGconn *c;
	char *v;

	ck_assert_int_eq(db_pool_init("postgresql://", 1), 0);
	c = db_acquire(1000);
	ck_assert_ptr_nonnull(c);
	expect_echo(c, "before");
	db_release(c);
	v = it_psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
		    " WHERE application_name = 'portal' AND pid <> pg_backend_pid()");
	ck_assert_str_eq(v, "1");
	free(v);
	it_sleep_ms(100);
	/* the pool resets the connection (a new server session, without the statement): it is
	 * prepared again instead of failing with "prepared statement does not exist" */
	c = db_acquire(1000);
	ck_assert_ptr_nonnull(c);
	db_stats_get(&st);
	ck_assert_int_eq(st.resets, 1);
	expect_echo(c, "after");
	ck_assert_int_eq(prepared_count(c, echo_stmt.name), 1);
	db_release(c);
	db_pool_close(1000);
}
END_TEST

START_TEST(binary_parameters)
{
	const unsigned char raw[4] = { 0x00, 0xff, 0x10, 0x7f };
	const char *vals[1] = { (const char *)raw };
	int lens[1] = { 4 }, fmts[1] = { 1 };
	PGresult *res;
	PGconn *c;
	int i;

	ck_assert_int_eq(db_pool_init("postgresql://", 1), 0);
	c = db_acquire(1000);
	ck_assert_ptr_nonnull(c);
	for (i = 0; i < 2; i++) {
		res = db_prepared_exec(c, &hash_stmt, vals, lens, fmts, 0);
		ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "%s", PQerrorMessage(c));
		ck_assert_str_eq(PQgetvalue(res, 0, 0), "00ff107f");
		PQclear(res);
	}
	db_release(c);
	db_pool_close(1000);
}
END_TEST

static Suite *db_prepared_suite(void)
{
	Suite *s = suite_create("db_prepared");
	TCase *tc = tcase_create("prepared");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, prepared_once_and_reused);
	tcase_add_test(tc, kept_across_rollback);
	tcase_add_test(tc, failed_prepare_is_not_recorded);
	tcase_add_test(tc, prepared_again_after_a_reset);
	tcase_add_test(tc, binary_parameters);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(db_prepared_suite());
}
