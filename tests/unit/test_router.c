/* test_router.c - route matching: literals, placeholders, rest-of-path, 404 vs 405 + Allow,
 * HEAD on GET routes; and the real route table's invariants. */
#include <check.h>
#include <string.h>

#include "router.h"

static int h(struct req *r)
{
	(void)r;
	return 200;
}

static const struct route t[] = {
	{ "GET", "/", h, ROLE_PUBLIC, "home", 0 },
	{ "GET", "/schools", h, ROLE_PUBLIC, "schools", 0 },
	{ "GET", "/schools/{urn}", h, ROLE_PUBLIC, "school", 0 },
	{ "POST", "/schools/{urn}", h, ROLE_HR, "school_edit", 0 },
	{ "GET", "/schools/{urn}/staff/{id}", h, ROLE_SCHOOL_STAFF, "staff", 0 },
	{ "GET", "/assets/{path...}", h, ROLE_PUBLIC, "assets", 0 },
};

static const struct route *found;
static const char *params[REQ_MAX_PARAMS];
static size_t np;
static char scratch[256], allow[64];

static enum route_match m(const char *method, const char *path)
{
	return router_match(t, sizeof t / sizeof t[0], method, path, &found, params, &np, scratch,
			    allow, sizeof allow);
}

START_TEST(literals)
{
	ck_assert_int_eq(m("GET", "/"), ROUTE_FOUND);
	ck_assert_str_eq(found->name, "home");
	ck_assert_int_eq(m("GET", "/schools"), ROUTE_FOUND);
	ck_assert_str_eq(found->name, "schools");
	ck_assert_uint_eq(np, 0);
	ck_assert_int_eq(m("GET", "/schools/"), ROUTE_NOT_FOUND);
	ck_assert_int_eq(m("GET", "/schoolsx"), ROUTE_NOT_FOUND);
	ck_assert_int_eq(m("GET", ""), ROUTE_NOT_FOUND);
}
END_TEST

START_TEST(placeholders)
{
	ck_assert_int_eq(m("GET", "/schools/139605"), ROUTE_FOUND);
	ck_assert_str_eq(found->name, "school");
	ck_assert_uint_eq(np, 1);
	ck_assert_str_eq(params[0], "139605");
	ck_assert_int_eq(m("GET", "/schools/1/staff/42"), ROUTE_FOUND);
	ck_assert_uint_eq(np, 2);
	ck_assert_str_eq(params[0], "1");
	ck_assert_str_eq(params[1], "42");
	ck_assert_int_eq(m("GET", "/schools/1/staff/"), ROUTE_NOT_FOUND);
	ck_assert_int_eq(m("GET", "/schools/1/2"), ROUTE_NOT_FOUND);
}
END_TEST

START_TEST(rest_of_path)
{
	ck_assert_int_eq(m("GET", "/assets/images/favicon.svg"), ROUTE_FOUND);
	ck_assert_str_eq(params[0], "images/favicon.svg");
	ck_assert_int_eq(m("GET", "/assets/"), ROUTE_NOT_FOUND);
}
END_TEST

START_TEST(wrong_method_lists_allowed)
{
	ck_assert_int_eq(m("DELETE", "/schools/5"), ROUTE_BAD_METHOD);
	ck_assert_str_eq(allow, "GET, HEAD, POST");
	ck_assert_int_eq(m("POST", "/schools"), ROUTE_BAD_METHOD);
	ck_assert_str_eq(allow, "GET, HEAD");
	ck_assert_int_eq(m("POST", "/nowhere"), ROUTE_NOT_FOUND);
}
END_TEST

START_TEST(head_uses_get_routes)
{
	ck_assert_int_eq(m("HEAD", "/schools"), ROUTE_FOUND);
	ck_assert_str_eq(found->name, "schools");
}
END_TEST

START_TEST(real_table_is_well_formed)
{
	size_t i, j;

	ck_assert_uint_gt(routes_len, 0);
	for (i = 0; i < routes_len; i++) {
		ck_assert_ptr_nonnull(routes[i].handler);
		ck_assert_msg(routes[i].pattern[0] == '/', "%s", routes[i].pattern);
		for (j = i + 1; j < routes_len; j++)
			ck_assert_msg(strcmp(routes[i].name, routes[j].name) != 0 &&
					      !(strcmp(routes[i].method, routes[j].method) == 0 &&
						strcmp(routes[i].pattern, routes[j].pattern) == 0),
				      "duplicate route %s", routes[i].name);
		/* Stateless routes skip the session and so the CSRF check: only GETs, and the
		 * one-click unsubscribes, which a mail program POSTs to a link token. */
		ck_assert_msg(routes[i].role != ROLE_STATELESS || strcmp(routes[i].method, "GET") == 0 ||
				      strcmp(routes[i].name, "job_alert_one_click") == 0 ||
				      strcmp(routes[i].name, "email_stop_one_click") == 0,
			      "%s %s changes state without a CSRF check", routes[i].method,
			      routes[i].pattern);
		/* The council's pages are HR's; a school's pages are its staff's, but for its
		 * profile, which HR may keep too. */
		if (strncmp(routes[i].pattern, "/hr/", 4) == 0)
			ck_assert_msg(routes[i].role == ROLE_HR, "%s %s is not HR's", routes[i].method,
				      routes[i].pattern);
		if (strcmp(routes[i].pattern, "/school") == 0 ||
		    strncmp(routes[i].pattern, "/school/", 8) == 0)
			ck_assert_msg(routes[i].role == ROLE_SCHOOL_STAFF ||
					      (routes[i].role == ROLE_SCHOOL_OR_HR &&
					       strcmp(routes[i].pattern, "/school/profile") == 0),
				      "%s %s is not school staff's",
				      routes[i].method, routes[i].pattern);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("router");
	TCase *tc = tcase_create("router");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, literals);
	tcase_add_test(tc, placeholders);
	tcase_add_test(tc, rest_of_path);
	tcase_add_test(tc, wrong_method_lists_allowed);
	tcase_add_test(tc, head_uses_get_routes);
	tcase_add_test(tc, real_table_is_well_formed);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
