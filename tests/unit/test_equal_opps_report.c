/* test_equal_opps_report.c - unit tests of what a school may see of one equal-opportunities
 * question's totals (equal_opps_suppress, backend/equal_opps_report.c): known cases, then every
 * set of up to 5 answers given by 1 to 7 candidates each, against the rules that keep a
 * candidate's answer from being read or worked out (no count under 3 on its own, "other
 * answers" of at least 3 and of two answers or more, never a single row). The page and the
 * totals counted at closing: tests/integration/test_applications_school.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "equal_opps_report.h"

static const char *const names[] = { "A", "B", "C", "D", "E" };

/* Fills v with counts c (n of them) named A, B, ... in that order. */
static void fill(struct equal_opps_count *v, const long long *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i] = (struct equal_opps_count){ names[i], c[i] };
}

START_TEST(test_cases)
{
	struct equal_opps_count v[5];
	long long other;

	/* two answers of 3 or more: both shown, most first */
	fill(v, (long long[]){ 3, 4 }, 2);
	ck_assert_int_eq(equal_opps_suppress(v, 2, &other), 2);
	ck_assert_int_eq(other, 0);
	ck_assert_str_eq(v[0].label, "B");
	ck_assert_int_eq(v[0].count, 4);
	/* 6 and 1: the 1 alone would be read from the total; with the 6 there is one row */
	fill(v, (long long[]){ 6, 1 }, 2);
	ck_assert_int_eq(equal_opps_suppress(v, 2, &other), -1);
	/* everyone gave the same answer */
	fill(v, (long long[]){ 5 }, 1);
	ck_assert_int_eq(equal_opps_suppress(v, 1, &other), -1);
	/* 3, 3 and 1: the least common 3 (by label on a tie) joins the 1 */
	fill(v, (long long[]){ 3, 3, 1 }, 3);
	ck_assert_int_eq(equal_opps_suppress(v, 3, &other), 1);
	ck_assert_str_eq(v[0].label, "A");
	ck_assert_int_eq(other, 4);
	/* 5, 2 and 2: two answers of 2 together */
	fill(v, (long long[]){ 2, 5, 2 }, 3);
	ck_assert_int_eq(equal_opps_suppress(v, 3, &other), 1);
	ck_assert_str_eq(v[0].label, "B");
	ck_assert_int_eq(other, 4);
	/* only small answers: one row of everything */
	fill(v, (long long[]){ 2, 2, 2 }, 3);
	ck_assert_int_eq(equal_opps_suppress(v, 3, &other), -1);
	/* nothing */
	ck_assert_int_eq(equal_opps_suppress(v, 0, &other), -1);
	ck_assert_int_eq(other, 0);
}
END_TEST

/* Every n answers (1 to 5) with counts 1 to 7 each, against the rules. */
START_TEST(test_every_small_set)
{
	enum { MAXN = 5, MAXC = 7 };
	struct equal_opps_count v[MAXN];
	long long c[MAXN], other, sum, small;
	size_t n, i;
	long shown;
	int checked = 0;

	for (n = 1; n <= MAXN; n++) {
		for (i = 0; i < n; i++)
			c[i] = 1;
		for (;;) {
			fill(v, c, n);
			shown = equal_opps_suppress(v, n, &other);
			sum = small = 0;
			for (i = 0; i < n; i++) {
				sum += c[i];
				small += c[i] < EQUAL_OPPS_CELL_MIN;
			}
			if (shown >= 0) {
				long long seen = other;

				for (i = 0; i < (size_t)shown; i++) {
					ck_assert_int_ge(v[i].count, EQUAL_OPPS_CELL_MIN);
					ck_assert(i == 0 || v[i - 1].count >= v[i].count);
					seen += v[i].count;
				}
				ck_assert_int_eq(seen, sum);
				ck_assert_int_ge((long)(shown + (other > 0)), 2);
				ck_assert(other == 0 || (other >= EQUAL_OPPS_CELL_MIN &&
							 n - (size_t)shown >= 2));
			} else {
				/* withheld only when showing something would break a rule: a
				 * single answer, or small answers that no 3 could hide among */
				ck_assert(n == 1 || small > 0);
			}
			/* no small answer was ever shown on its own */
			ck_assert(shown < 0 || (size_t)shown <= n - small);
			checked++;
			for (i = 0; i < n && ++c[i] > MAXC; i++)
				c[i] = 1;
			if (i == n)
				break;
		}
	}
	ck_assert_int_gt(checked, 16000);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("equal_opps_report");
	TCase *tc = tcase_create("suppress");

	tcase_add_test(tc, test_cases);
	tcase_add_test(tc, test_every_small_set);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(report_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
