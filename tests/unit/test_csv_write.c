/* test_csv_write.c - unit tests of the CSV cell writer (backend/core/csv_write.c): quoting,
 * formula neutralising (= + - @ tab CR), and that the CSV reader reads back what it wrote. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "csv_write.h"

/* The record of cells (n of them) as written. Caller frees. */
static char *record(const char *const *cells, size_t n)
{
	struct buf b = { 0 };
	char *out;

	for (size_t i = 0; i < n; i++)
		csv_write_cell(&b, cells[i], i + 1 == n);
	ck_assert(!buf_failed(&b));
	out = strdup(buf_str(&b));
	buf_free(&b);
	return out;
}

START_TEST(test_quoting)
{
	const char *cells[] = { "plain", "a,b", "say \"hi\"", "two\nlines", NULL, "" };
	char *s = record(cells, 6);

	ck_assert_str_eq(s, "\"plain\",\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"\",\"\"\r\n");
	free(s);
}
END_TEST

START_TEST(test_formulas_neutralised)
{
	const char *cells[] = { "=HYPERLINK(\"http://x\")", "+44 7700 900123", "-1", "@SUM(A1)",
				"\tx", "\rx", "a=1", "caf\xc3\xa9" };
	char *s = record(cells, 8);

	ck_assert_str_eq(s, "\"'=HYPERLINK(\"\"http://x\"\")\",\"'+44 7700 900123\",\"'-1\","
			    "\"'@SUM(A1)\",\"'\tx\",\"'\rx\",\"a=1\",\"caf\xc3\xa9\"\r\n");
	free(s);
}
END_TEST

START_TEST(test_reads_back)
{
	const char *cells[] = { "id", "a \"quoted\", text\r\nover lines", "=1+1" };
	struct csv_reader r;
	struct csv_record rec = { 0 };
	char *s = record(cells, 3);

	csv_reader_init(&r, s, strlen(s));
	ck_assert_int_eq(csv_next_record(&r, &rec), 1);
	ck_assert_int_eq((int)rec.nfields, 3);
	ck_assert_str_eq(csv_field(&rec, 0), "id");
	ck_assert_str_eq(csv_field(&rec, 1), "a \"quoted\", text\r\nover lines");
	ck_assert_str_eq(csv_field(&rec, 2), "'=1+1");
	ck_assert_int_eq(csv_next_record(&r, &rec), 0);
	csv_record_free(&rec);
	free(s);
}
END_TEST

static Suite *csv_write_suite(void)
{
	Suite *s = suite_create("csv_write");
	TCase *tc = tcase_create("writer");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_quoting);
	tcase_add_test(tc, test_formulas_neutralised);
	tcase_add_test(tc, test_reads_back);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(csv_write_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
