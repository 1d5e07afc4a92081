/* test_seed.c - demonstration and benchmark data (issue 4, item 7), in a database of its own
 * (portal_seed_test, made here on the pg_virtualenv cluster), so that no other suite sees it:
 * `portal seed --demo` prints each demo user with a password that is theirs (it verifies
 * against the stored Argon2id hash) and new on every run, and adds vacancies across the seeded
 * schools in every status, each with its history through the lifecycle, the live ones closing
 * ahead, one covering two schools of a trust, and applications to one of them, and gives
 * their schools a profile; a second run adds no vacancies. `portal seed --vacancies N` adds N
 * live, searchable vacancies spread over the schools; a count out of range is refused and adds
 * nothing. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "password.h"

#define SEED_DB "portal_seed_test"

static const char *const seed_env[] = { "DATABASE_URL=postgresql:///" SEED_DB, NULL };

/* Runs `portal args...` on the seed database; fails unless it exits with want_ok's status
 * (0, or anything else). Returns its output (caller frees). */
static char *portal(const char *const *args, bool want_ok)
{
	char *out = NULL;
	int st = it_portal_run(args, seed_env, 120000, &out);

	ck_assert_msg(want_ok ? st == 0 : st != 0, "portal %s %s: exit status %d:\n%s", args[0],
		      args[1] ? args[1] : "", st, out);
	return out;
}

/* A new, migrated database holding the schools, and a connection to it. */
static PGconn *fresh_db(void)
{
	static const char *const migrate[] = { "migrate", NULL };
	static const char *const seed[] = { "seed", NULL };
	PGconn *c;

	it_psql("DROP DATABASE IF EXISTS " SEED_DB);
	it_psql("CREATE DATABASE " SEED_DB);
	free(portal(migrate, true));
	free(portal(seed, true));
	c = PQconnectdb("postgresql:///" SEED_DB);
	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "connect: %s", PQerrorMessage(c));
	return c;
}

/* The number sql (no parameters) answers on c. */
static long long number(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);
	long long n;

	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1,
		      "%s: %s", sql, PQerrorMessage(c));
	n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return n;
}

/* The password printed for demo user local in out, into pw (64 bytes). */
static void printed_password(const char *out, const char *local, char pw[64])
{
	char prefix[128];
	const char *p, *end;

	snprintf(prefix, sizeof prefix, "  %s@demo.teachinginthurrock.example / ", local);
	p = strstr(out, prefix);
	ck_assert_msg(p != NULL, "no password printed for %s:\n%s", local, out);
	p += strlen(prefix);
	end = strstr(p, "  (");
	ck_assert_msg(end != NULL && end - p >= 12 && end - p < 64, "odd password line for %s",
		      local);
	snprintf(pw, 64, "%.*s", (int)(end - p), p);
}

/* Whether pw is the stored password of demo user local. */
static bool password_is(PGconn *c, const char *local, const char *pw)
{
	char email[128];
	const char *vals[1] = { email };
	PGresult *res;
	bool ok;

	snprintf(email, sizeof email, "%s@demo.teachinginthurrock.example", local);
	res = PQexecParams(c, "SELECT password_hash FROM users WHERE email = $1", 1, NULL, vals,
			   NULL, NULL, 0);
	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1,
		      "no demo user %s", email);
	ok = password_verify(pw, PQgetvalue(res, 0, 0), NULL) == PASSWORD_OK;
	PQclear(res);
	return ok;
}

START_TEST(seed_demo)
{
	static const char *const demo[] = { "seed", "--demo", NULL };
	static const char *const users[] = { "hiring.harris", "hiring.ormiston", "hiring.deneholm",
					     "viewer.harris", "hr", "candidate" };
	char pw[64], again[64], *out;
	long long total, people;
	PGconn *c = fresh_db();

	out = portal(demo, true);
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
		printed_password(out, users[i], pw);
		ck_assert_msg(password_is(c, users[i], pw), "the password printed for %s is not "
			      "theirs", users[i]);
	}
	printed_password(out, "hiring.harris", pw);
	ck_assert_msg(strstr(out, "demo vacancies (") != NULL, "no count of vacancies:\n%s", out);
	free(out);

	/* Vacancies in every status, across several schools, each with its history. */
	total = number(c, "SELECT count(*) FROM vacancies");
	ck_assert_msg(total >= 30, "only %lld demo vacancies", total);
	ck_assert_int_ge(number(c, "SELECT count(*) FROM vacancies WHERE status = 'published' "
				   "AND closes_at > now() AND published_at <= now()"), 20);
	ck_assert_int_ge(number(c, "SELECT count(*) FROM vacancies WHERE status = 'scheduled' AND "
				   "publish_at > now()"), 1);
	ck_assert_int_ge(number(c, "SELECT count(*) FROM vacancies WHERE status = 'draft'"), 1);
	ck_assert_int_ge(number(c, "SELECT count(*) FROM vacancies WHERE status = 'closed'"), 1);
	ck_assert_int_ge(number(c, "SELECT count(DISTINCT school_urn) FROM vacancies"), 3);
	ck_assert_int_eq(number(c, "SELECT count(*) FROM vacancies v WHERE NOT EXISTS (SELECT 1 "
				   "FROM status_events e WHERE e.entity = 'vacancy' AND e.entity_id "
				   "= v.id AND e.event = 'create')"), 0);
	ck_assert_int_eq(number(c, "SELECT count(*) FROM vacancies v WHERE status IN "
				   "('published', 'closed') AND NOT EXISTS (SELECT 1 FROM "
				   "status_events e WHERE e.entity = 'vacancy' AND e.entity_id = v.id "
				   "AND e.event IN ('publish', 'go_live'))"), 0);
	ck_assert_int_ge(number(c, "SELECT count(*) FROM (SELECT vacancy_id FROM vacancy_schools "
				   "GROUP BY vacancy_id HAVING count(*) > 1) t"), 1);
	ck_assert_int_ge(number(c, "SELECT max(n) FROM (SELECT count(*) n FROM applications WHERE "
				   "status <> 'draft' GROUP BY vacancy_id) t"), 5);
	ck_assert_int_eq(number(c, "SELECT count(*) FROM vacancies WHERE status <> 'draft' AND "
				   "search = ''::tsvector"), 0);
	/* Each school with demo listings has a profile, which its listings say too; the others
	 * none. */
	ck_assert_int_eq(number(c, "SELECT count(*) FROM schools s WHERE (s.about <> '') <> "
				   "EXISTS (SELECT 1 FROM vacancies v WHERE v.school_urn = s.urn)"), 0);
	ck_assert_int_eq(number(c, "SELECT count(*) FROM vacancies v JOIN schools s ON s.urn = "
				   "v.school_urn WHERE v.about_school <> s.about"), 0);

	people = number(c, "SELECT count(*) FROM users");

	/* Again: new passwords, no new vacancies, no new users. */
	out = portal(demo, true);
	printed_password(out, "hiring.harris", again);
	ck_assert_msg(strstr(out, "already present") != NULL, "a second run says:\n%s", out);
	free(out);
	ck_assert_str_ne(pw, again);
	ck_assert_msg(!password_is(c, "hiring.harris", pw), "the old password still works");
	ck_assert_msg(password_is(c, "hiring.harris", again), "the new password does not work");
	ck_assert_int_eq(number(c, "SELECT count(*) FROM vacancies"), total);
	ck_assert_int_eq(number(c, "SELECT count(*) FROM users"), people);
	PQfinish(c);
}
END_TEST

START_TEST(seed_vacancies)
{
	static const char *const many[] = { "seed", "--vacancies", "250", NULL };
	static const char *const bad[][4] = {
		{ "seed", "--vacancies", "0", NULL },
		{ "seed", "--vacancies", "-5", NULL },
		{ "seed", "--vacancies", "12abc", NULL },
		{ "seed", "--vacancies", "99999999999", NULL },
		{ "seed", "--vacancies", NULL, NULL },
	};
	char *out;
	PGconn *c = fresh_db();

	out = portal(many, true);
	ck_assert_msg(strstr(out, "250 synthetic live vacancies") != NULL, "it says:\n%s", out);
	free(out);
	ck_assert_int_eq(number(c, "SELECT count(*) FROM vacancies WHERE status = 'published' "
				   "AND closes_at > now() AND published_at <= now()"), 250);
	ck_assert_int_ge(number(c, "SELECT count(DISTINCT school_urn) FROM vacancies"), 40);
	ck_assert_int_eq(number(c, "SELECT count(*) FROM vacancies v WHERE NOT EXISTS (SELECT 1 "
				   "FROM vacancy_schools s WHERE s.vacancy_id = v.id AND "
				   "s.school_urn = v.school_urn)"), 0);
	ck_assert_int_eq(number(c, "SELECT count(*) FROM vacancies WHERE title = '' OR "
				   "cardinality(job_roles) = 0 OR search = ''::tsvector"), 0);
	ck_assert_int_gt(number(c, "SELECT count(*) FROM vacancies WHERE search @@ "
				   "websearch_to_tsquery('english', 'teacher')"), 0);

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		free(portal(bad[i], false));
	ck_assert_int_eq(number(c, "SELECT count(*) FROM vacancies"), 250);
	PQfinish(c);
}
END_TEST

static Suite *seed_suite(void)
{
	Suite *s = suite_create("seed");
	TCase *tc = it_tcase("seed", 240, NULL);

	tcase_add_test(tc, seed_demo);
	tcase_add_test(tc, seed_vacancies);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(seed_suite());
}
