/* test_json_arena.c - unit tests of the per-thread jansson arena (backend/core/json_arena.c):
 * values made in a scope work and are taken back at its end, values made outside a scope are
 * still freed (LeakSanitizer reports them in the sanitizer run otherwise), large values, nested
 * scopes, and threads whose scopes overlap. */
#include <check.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_arena.h"

/* An array of n objects {"i": i, "s": "value i"}. */
static json_t *make_list(int n)
{
	json_t *list = json_array();
	char s[32];

	ck_assert_ptr_nonnull(list);
	for (int i = 0; i < n; i++) {
		snprintf(s, sizeof s, "value %d", i);
		ck_assert_int_eq(json_array_append_new(list, json_pack("{s:i, s:s}", "i", i, "s", s)),
				 0);
	}
	return list;
}

/* Checks that list is make_list(n)'s. */
static void check_list(const json_t *list, int n)
{
	char s[32];

	ck_assert_int_eq((int)json_array_size(list), n);
	for (int i = 0; i < n; i++) {
		json_t *o = json_array_get(list, (size_t)i);

		snprintf(s, sizeof s, "value %d", i);
		ck_assert_int_eq((int)json_integer_value(json_object_get(o, "i")), i);
		ck_assert_str_eq(json_string_value(json_object_get(o, "s")), s);
	}
}

static void setup(void)
{
	json_arena_install();
}

START_TEST(test_outside_a_scope_is_malloc)
{
	json_t *list = make_list(10);
	char *text = json_dumps(list, JSON_COMPACT);

	ck_assert_uint_eq(json_arena_used(), 0);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, "[{\"i\":0,\"s\":\"value 0\"},{\"i\":1,\"s\":\"value 1\"},"
			       "{\"i\":2,\"s\":\"value 2\"},{\"i\":3,\"s\":\"value 3\"},"
			       "{\"i\":4,\"s\":\"value 4\"},{\"i\":5,\"s\":\"value 5\"},"
			       "{\"i\":6,\"s\":\"value 6\"},{\"i\":7,\"s\":\"value 7\"},"
			       "{\"i\":8,\"s\":\"value 8\"},{\"i\":9,\"s\":\"value 9\"}]");
	free(text);   /* made outside a scope: plain malloc memory */
	json_decref(list);
}
END_TEST

START_TEST(test_values_in_a_scope)
{
	json_t *list;

	json_arena_begin();
	list = make_list(5000);   /* several chunks */
	ck_assert_uint_gt(json_arena_used(), 64 * 1024);
	check_list(list, 5000);
	json_decref(list);
	json_arena_end();
	ck_assert_uint_eq(json_arena_used(), 0);

	/* The next scope starts again from nothing. */
	json_arena_begin();
	ck_assert_uint_eq(json_arena_used(), 0);
	list = make_list(3);
	check_list(list, 3);
	json_decref(list);
	json_arena_end();
}
END_TEST

START_TEST(test_outside_values_used_and_freed_inside)
{
	json_t *kept = make_list(100), *model;

	json_arena_begin();
	model = json_pack("{s:O, s:s}", "kept", kept, "title", "Teacher of Mathematics");
	ck_assert_ptr_nonnull(model);
	check_list(json_object_get(model, "kept"), 100);
	json_decref(kept);    /* the last reference but the model's */
	json_decref(model);   /* frees kept and its values: malloc memory, freed by free() */
	json_arena_end();
}
END_TEST

START_TEST(test_large_value)
{
	size_t n = 300 * 1024;
	char *text = malloc(n + 1);
	json_t *s;

	ck_assert_ptr_nonnull(text);
	memset(text, 'a', n);
	text[n] = '\0';
	json_arena_begin();
	s = json_string(text);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_ge(json_arena_used(), n);
	ck_assert_uint_eq(json_string_length(s), n);
	ck_assert_int_eq(json_string_value(s)[n - 1], 'a');
	json_decref(s);
	json_arena_end();
	free(text);
}
END_TEST

START_TEST(test_nested_scopes_end_with_the_outer)
{
	json_t *outer, *inner;

	json_arena_begin();
	outer = make_list(10);
	json_arena_begin();
	inner = make_list(10);
	json_decref(inner);
	json_arena_end();
	ck_assert_uint_gt(json_arena_used(), 0);
	check_list(outer, 10);   /* still there: the scope has not ended */
	json_decref(outer);
	json_arena_end();
	ck_assert_uint_eq(json_arena_used(), 0);
	json_arena_end();        /* an end without a scope does nothing */
	ck_assert_uint_eq(json_arena_used(), 0);
}
END_TEST

/* A thread: many scopes, each building and checking its own values. */
static void *worker(void *arg)
{
	int n = *(const int *)arg;

	for (int round = 0; round < 50; round++) {
		json_t *list;

		json_arena_begin();
		list = make_list(n);
		check_list(list, n);
		json_decref(list);
		json_arena_end();
	}
	return NULL;
}

START_TEST(test_threads_have_their_own_arena)
{
	pthread_t t[4];
	int n[4] = { 100, 700, 1500, 3000 };

	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, worker, &n[i]), 0);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("json_arena");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_outside_a_scope_is_malloc);
	tcase_add_test(tc, test_values_in_a_scope);
	tcase_add_test(tc, test_outside_values_used_and_freed_inside);
	tcase_add_test(tc, test_large_value);
	tcase_add_test(tc, test_nested_scopes_end_with_the_outer);
	tcase_add_test(tc, test_threads_have_their_own_arena);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
