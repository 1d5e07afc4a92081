/* test_csv.c - unit tests of the CSV reader (backend/core/csv.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

/* Reads all of input (len bytes) and writes the records as "f1|f2\n" lines into out, or
 * "ERROR <line>: <message>\n" after a failure. Returns what the last csv_next_record returned. */
static int read_all(const char *input, size_t len, struct buf *out)
{
	struct csv_reader r;
	struct csv_record rec = {0};
	size_t i;
	int rc;

	csv_reader_init(&r, input, len);
	while ((rc = csv_next_record(&r, &rec)) == 1) {
		buf_printf(out, "%zu:", r.record_line);
		for (i = 0; i < rec.nfields; i++)
			buf_printf(out, "%s[%s]", i ? "|" : "", csv_field(&rec, i));
		buf_putc(out, '\n');
	}
	if (rc < 0)
		buf_printf(out, "ERROR %zu: %s\n", r.error_line, r.error);
	csv_record_free(&rec);
	return rc;
}

/* Checks that input parses to expect (see read_all) with final return value rc. */
static void check_csv(const char *input, int rc, const char *expect)
{
	struct buf out = {0};
	int got = read_all(input, strlen(input), &out);

	ck_assert_str_eq(buf_str(&out), expect);
	ck_assert_int_eq(got, rc);
	buf_free(&out);
}

START_TEST(test_plain)
{
	check_csv("urn,name\n1,Abbots Hall\n2,Belmont\n", 0,
		  "1:[urn]|[name]\n2:[1]|[Abbots Hall]\n3:[2]|[Belmont]\n");
}
END_TEST

START_TEST(test_no_trailing_newline)
{
	check_csv("a,b\n1,2", 0, "1:[a]|[b]\n2:[1]|[2]\n");
}
END_TEST

START_TEST(test_crlf)
{
	check_csv("a,b\r\n1,2\r\n", 0, "1:[a]|[b]\n2:[1]|[2]\n");
}
END_TEST

START_TEST(test_empty_fields)
{
	check_csv(",\n1,,3\n,,\nx,", 0, "1:[]|[]\n2:[1]|[]|[3]\n3:[]|[]|[]\n4:[x]|[]\n");
}
END_TEST

START_TEST(test_quoted)
{
	check_csv("\"a,b\",\"\",c\n", 0, "1:[a,b]|[]|[c]\n");
}
END_TEST

START_TEST(test_escaped_quotes)
{
	check_csv("\"St Clere\"\"s\",\"\"\"x\"\"\"\n", 0, "1:[St Clere\"s]|[\"x\"]\n");
}
END_TEST

START_TEST(test_newline_in_quotes)
{
	/* line numbers count the line breaks inside quoted fields */
	check_csv("\"one\ntwo\",\"a\r\nb\"\nnext\n", 0, "1:[one\ntwo]|[a\r\nb]\n4:[next]\n");
}
END_TEST

START_TEST(test_empty_input)
{
	check_csv("", 0, "");
	check_csv("\n\r\n\n", 0, "");
}
END_TEST

START_TEST(test_blank_lines_skipped)
{
	check_csv("a\n\n\nb\n\n", 0, "1:[a]\n4:[b]\n");
	check_csv("\"\"\n", 0, "1:[]\n");
}
END_TEST

START_TEST(test_bom)
{
	check_csv("\xEF\xBB\xBFurn,name\n", 0, "1:[urn]|[name]\n");
}
END_TEST

START_TEST(test_unterminated_quote)
{
	check_csv("a\n\"open,\nstill open\n", -1, "1:[a]\nERROR 2: quoted field not closed\n");
}
END_TEST

START_TEST(test_text_after_quote)
{
	check_csv("a\n\"x\"y,z\n", -1, "1:[a]\nERROR 2: text after a closing quote\n");
}
END_TEST

START_TEST(test_quote_in_unquoted)
{
	check_csv("ab\"c\n", -1, "ERROR 1: quote inside an unquoted field\n");
}
END_TEST

START_TEST(test_bare_cr)
{
	check_csv("a\rb\n", -1, "ERROR 1: carriage return outside quotes\n");
	check_csv("a,b\r", -1, "ERROR 1: carriage return outside quotes\n");
}
END_TEST

START_TEST(test_nul_byte)
{
	struct buf out = {0};

	ck_assert_int_eq(read_all("a\nb\0c\n", 6, &out), -1);
	ck_assert_str_eq(buf_str(&out), "1:[a]\nERROR 2: NUL byte in the data\n");
	buf_reset(&out);
	ck_assert_int_eq(read_all("\"b\0\"\n", 5, &out), -1);
	ck_assert_str_eq(buf_str(&out), "ERROR 1: NUL byte in the data\n");
	buf_free(&out);
}
END_TEST

START_TEST(test_error_sticks)
{
	struct csv_reader r;
	struct csv_record rec = {0};
	const char *in = "x\"\nok\n";

	csv_reader_init(&r, in, strlen(in));
	ck_assert_int_eq(csv_next_record(&r, &rec), -1);
	ck_assert_int_eq(csv_next_record(&r, &rec), -1);
	csv_record_free(&rec);
}
END_TEST

START_TEST(test_many_fields)
{
	struct buf in = {0}, expect = {0};
	int i;

	/* more fields than the first allocation of offsets */
	buf_puts(&expect, "1:");
	for (i = 0; i < 100; i++) {
		buf_printf(&in, "%s%d", i ? "," : "", i);
		buf_printf(&expect, "%s[%d]", i ? "|" : "", i);
	}
	buf_putc(&expect, '\n');
	check_csv(buf_str(&in), 0, buf_str(&expect));
	buf_free(&in);
	buf_free(&expect);
}
END_TEST

START_TEST(test_schools_file)
{
	/* the real seed file, when the shared data is beside the repository */
	FILE *f = fopen("../shared/data/thurrock_schools.csv", "rb");
	struct csv_reader r;
	struct csv_record rec = {0};
	struct buf data = {0};
	char chunk[4096];
	size_t n;
	int rc, rows = 0;

	if (f == NULL)
		return;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&data, chunk, n);
	fclose(f);
	ck_assert(!buf_failed(&data));
	csv_reader_init(&r, buf_str(&data), data.len);
	while ((rc = csv_next_record(&r, &rec)) == 1) {
		ck_assert_uint_eq(rec.nfields, 8);
		rows++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_gt(rows, 1);
	csv_record_free(&rec);
	buf_free(&data);
}
END_TEST

static Suite *csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("reader");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_no_trailing_newline);
	tcase_add_test(tc, test_crlf);
	tcase_add_test(tc, test_empty_fields);
	tcase_add_test(tc, test_quoted);
	tcase_add_test(tc, test_escaped_quotes);
	tcase_add_test(tc, test_newline_in_quotes);
	tcase_add_test(tc, test_empty_input);
	tcase_add_test(tc, test_blank_lines_skipped);
	tcase_add_test(tc, test_bom);
	tcase_add_test(tc, test_unterminated_quote);
	tcase_add_test(tc, test_text_after_quote);
	tcase_add_test(tc, test_quote_in_unquoted);
	tcase_add_test(tc, test_bare_cr);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_error_sticks);
	tcase_add_test(tc, test_many_fields);
	tcase_add_test(tc, test_schools_file);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(csv_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
