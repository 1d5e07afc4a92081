/* test_form.c - query string and url-encoded form parsing, including the NUL cases of
 * CVE-2025-9648 that must never reach CivetWeb's form parser. */
#include <check.h>
#include <string.h>

#include "http.h"

static struct kvlist l;

static void teardown(void)
{
	kv_free(&l);
}

static int parse(const char *s)
{
	kv_free(&l);
	return form_parse(s, strlen(s), &l);
}

START_TEST(pairs_and_decoding)
{
	ck_assert_int_eq(parse("q=maths+teacher&phase=primary&x=%C3%A9t%C3%A9&empty=&flag"), 0);
	ck_assert_uint_eq(l.len, 5);
	ck_assert_str_eq(kv_get(&l, "q"), "maths teacher");
	ck_assert_str_eq(kv_get(&l, "phase"), "primary");
	ck_assert_str_eq(kv_get(&l, "x"), "\xc3\xa9t\xc3\xa9");
	ck_assert_str_eq(kv_get(&l, "empty"), "");
	ck_assert_str_eq(kv_get(&l, "flag"), "");
	ck_assert_ptr_null(kv_get(&l, "missing"));
}
END_TEST

START_TEST(repeated_names_keep_every_value)
{
	ck_assert_int_eq(parse("role=teacher&role=senco&&role=ta"), 0);
	ck_assert_uint_eq(kv_count(&l, "role"), 3);
	ck_assert_str_eq(l.items[2].value, "ta");
}
END_TEST

START_TEST(equals_in_value_and_encoded_ampersand)
{
	ck_assert_int_eq(parse("a=b=c&d=%26%3D"), 0);
	ck_assert_str_eq(kv_get(&l, "a"), "b=c");
	ck_assert_str_eq(kv_get(&l, "d"), "&=");
}
END_TEST

START_TEST(empty_input)
{
	ck_assert_int_eq(parse(""), 0);
	ck_assert_uint_eq(l.len, 0);
}
END_TEST

START_TEST(nul_bytes_are_refused)
{
	static const char raw[] = "a=b\0c&d=e";

	ck_assert_int_eq(parse("a=%00"), -1);
	ck_assert_int_eq(parse("a%00=b"), -1);
	ck_assert_int_eq(parse("name=x&comment=abc%00def"), -1);
	kv_free(&l);
	ck_assert_int_eq(form_parse(raw, sizeof raw - 1, &l), -1);
}
END_TEST

START_TEST(malformed_escapes_and_utf8_are_refused)
{
	static const char *const bad[] = {
		"a=%zz", "a=%4", "a=%", "a=%G1", "=value", "a=%C3", "a=%C0%AF", "a=%ED%A0%80",
		"a=%F5%80%80%80", "a=%FF",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(parse(bad[i]) == -1, "accepted %s", bad[i]);
}
END_TEST

START_TEST(large_form)
{
	static char big[200001];
	size_t i;

	for (i = 0; i + 4 <= sizeof big - 1; i += 4)
		memcpy(big + i, "a=b&", 4);
	big[i] = '\0';
	ck_assert_int_eq(parse(big), 0);
	ck_assert_uint_eq(l.len, i / 4);
}
END_TEST

START_TEST(ids_from_paths)
{
	ck_assert_int_eq(http_id_parse("1"), 1);
	ck_assert_int_eq(http_id_parse("0042"), 0); /* one address per id */
	ck_assert_int_eq(http_id_parse("01"), 0);
	ck_assert_int_eq(http_id_parse("10"), 10);
	ck_assert_int_eq(http_id_parse("999999999999999999"), 999999999999999999LL);
	ck_assert_int_eq(http_id_parse("1000000000000000000"), 0); /* 19 digits */
	ck_assert_int_eq(http_id_parse("0"), 0);
	ck_assert_int_eq(http_id_parse(""), 0);
	ck_assert_int_eq(http_id_parse(NULL), 0);
	ck_assert_int_eq(http_id_parse("-5"), 0);
	ck_assert_int_eq(http_id_parse("+5"), 0);
	ck_assert_int_eq(http_id_parse(" 5"), 0);
	ck_assert_int_eq(http_id_parse("5 "), 0);
	ck_assert_int_eq(http_id_parse("5x"), 0);
	ck_assert_int_eq(http_id_parse("0x10"), 0);
	ck_assert_int_eq(http_id_parse("１"), 0); /* a full-width digit */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("form");
	TCase *tc = tcase_create("form");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, pairs_and_decoding);
	tcase_add_test(tc, repeated_names_keep_every_value);
	tcase_add_test(tc, equals_in_value_and_encoded_ampersand);
	tcase_add_test(tc, empty_input);
	tcase_add_test(tc, nul_bytes_are_refused);
	tcase_add_test(tc, malformed_escapes_and_utf8_are_refused);
	tcase_add_test(tc, large_form);
	tcase_add_test(tc, ids_from_paths);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
