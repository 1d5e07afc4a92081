/* test_vacancy_views.c - unit tests of the view counter of vacancy pages
 * (backend/vacancy_views.c): which User-Agents are robots; a reader's readings of a page
 * within half an hour are one; counts added per vacancy and taken (and forgotten) at once; a
 * full table refuses a new vacancy but still counts the ones it holds; counts from several
 * threads at once all arrive. (Its flush into PostgreSQL is tested
 * in tests/integration/test_vacancies.c.) */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>

#include "vacancy_views.h"

static long long ids[VACANCY_VIEWS_SLOTS], ns[VACANCY_VIEWS_SLOTS];

/* The count of id in the first n taken (0 when absent). */
static long long taken(size_t n, long long id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return ns[i];
	return 0;
}

START_TEST(test_robots)
{
	static const char *const robots[] = {
		NULL, "", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		"Mozilla/5.0 (compatible; bingbot/2.0)", "facebookexternalhit/1.1 Preview",
		"Slackbot-LinkExpanding 1.0", "curl/7.88.1", "Wget/1.21.3", "python-requests/2.31",
		"Mozilla/5.0 (compatible; Yahoo! Slurp)", "AhrefsBot", "Some Spider", "CCBot crawler",
	};
	static const char *const people[] = {
		"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
		"(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
		"Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
	};

	for (size_t i = 0; i < sizeof robots / sizeof robots[0]; i++)
		ck_assert_msg(vacancy_views_is_robot(robots[i]), "%s is a robot",
			      robots[i] ? robots[i] : "(none)");
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
		ck_assert_msg(!vacancy_views_is_robot(people[i]), "%s is a person", people[i]);
}
END_TEST

START_TEST(test_repeat)
{
	const time_t t0 = 1700000000;

	/* The same reader of the same page: once within the half hour, again after it. */
	ck_assert(!vacancy_views_repeat(7, "address 192.0.2.1 browser Firefox", t0));
	ck_assert(vacancy_views_repeat(7, "address 192.0.2.1 browser Firefox", t0 + 60));
	ck_assert(vacancy_views_repeat(7, "address 192.0.2.1 browser Firefox",
				       t0 + VACANCY_VIEWS_REPEAT_S - 1));
	ck_assert(!vacancy_views_repeat(7, "address 192.0.2.1 browser Firefox",
					t0 + VACANCY_VIEWS_REPEAT_S));
	ck_assert(vacancy_views_repeat(7, "address 192.0.2.1 browser Firefox",
				       t0 + VACANCY_VIEWS_REPEAT_S + 1));
	/* Another reader, or another page, is not a repeat. */
	ck_assert(!vacancy_views_repeat(7, "address 192.0.2.1 browser Safari", t0 + 60));
	ck_assert(!vacancy_views_repeat(7, "address 192.0.2.2 browser Firefox", t0 + 60));
	ck_assert(!vacancy_views_repeat(8, "address 192.0.2.1 browser Firefox", t0 + 60));
	ck_assert(!vacancy_views_repeat(7, "account 42", t0));
	ck_assert(vacancy_views_repeat(7, "account 42", t0 + 1));
	ck_assert(!vacancy_views_repeat(7, NULL, t0));
	ck_assert(vacancy_views_repeat(7, NULL, t0 + 1));
}
END_TEST

START_TEST(test_add_and_take)
{
	size_t n;

	vacancy_views_take(ids, ns, VACANCY_VIEWS_SLOTS);
	ck_assert(vacancy_views_add(7, 1));
	ck_assert(vacancy_views_add(7, 2));
	ck_assert(vacancy_views_add(123456789012LL, 1));
	ck_assert(!vacancy_views_add(0, 1));
	ck_assert(!vacancy_views_add(-3, 1));
	ck_assert(!vacancy_views_add(8, 0));
	n = vacancy_views_take(ids, ns, VACANCY_VIEWS_SLOTS);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(taken(n, 7), 3);
	ck_assert_int_eq(taken(n, 123456789012LL), 1);
	/* Taken means forgotten. */
	ck_assert_uint_eq(vacancy_views_take(ids, ns, VACANCY_VIEWS_SLOTS), 0);
}
END_TEST

START_TEST(test_full_table)
{
	size_t n;
	long long id;

	vacancy_views_take(ids, ns, VACANCY_VIEWS_SLOTS);
	/* One slot stays free: SLOTS - 1 vacancies fit. */
	for (id = 1; id < VACANCY_VIEWS_SLOTS; id++)
		ck_assert_msg(vacancy_views_add(id, 1), "vacancy %lld not counted", id);
	ck_assert_msg(!vacancy_views_add(id, 1), "a full table counted one more vacancy");
	ck_assert_msg(vacancy_views_add(5, 4), "a full table does not count a vacancy it holds");
	n = vacancy_views_take(ids, ns, VACANCY_VIEWS_SLOTS);
	ck_assert_uint_eq(n, VACANCY_VIEWS_SLOTS - 1);
	ck_assert_int_eq(taken(n, 5), 5);
	ck_assert_int_eq(taken(n, VACANCY_VIEWS_SLOTS), 0);
	/* Emptied: new vacancies fit again. */
	ck_assert(vacancy_views_add(VACANCY_VIEWS_SLOTS, 1));
	ck_assert_uint_eq(vacancy_views_take(ids, ns, VACANCY_VIEWS_SLOTS), 1);
}
END_TEST

#define THREADS 4
#define PER_THREAD 20000

static void *count_many(void *arg)
{
	(void)arg;
	for (int i = 0; i < PER_THREAD; i++)
		vacancy_views_add(1 + i % 50, 1);
	return NULL;
}

START_TEST(test_threads)
{
	pthread_t t[THREADS];
	long long total = 0;
	size_t n;

	vacancy_views_take(ids, ns, VACANCY_VIEWS_SLOTS);
	for (int i = 0; i < THREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, count_many, NULL), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	n = vacancy_views_take(ids, ns, VACANCY_VIEWS_SLOTS);
	ck_assert_uint_eq(n, 50);
	for (size_t i = 0; i < n; i++)
		total += ns[i];
	ck_assert_int_eq(total, (long long)THREADS * PER_THREAD);
}
END_TEST

static Suite *views_suite(void)
{
	Suite *s = suite_create("vacancy_views");
	TCase *tc = tcase_create("vacancy_views");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_robots);
	tcase_add_test(tc, test_repeat);
	tcase_add_test(tc, test_add_and_take);
	tcase_add_test(tc, test_full_table);
	tcase_add_test(tc, test_threads);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(views_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
