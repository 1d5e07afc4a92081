/* test_config.c - configuration: defaults, file syntax, bounds, environment overrides. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static struct config c;
static char err[512];

static void clear_env(void)
{
	unsetenv("PORTAL_CONFIG");
	unsetenv("PORTAL_POOL_SIZE");
	unsetenv("PORTAL_LISTEN");
	unsetenv("DATABASE_URL");
	unsetenv("PORTAL_LOG_LEVEL");
}

START_TEST(defaults_without_file)
{
	clear_env();
	ck_assert_int_eq(config_load(&c, "/dev/null", err, sizeof err), 0);
	ck_assert_str_eq(c.listen, "127.0.0.1:8443");
	ck_assert_uint_eq(c.pool_size, 16);
	ck_assert_uint_eq(c.request_timeout_ms, 10000);
	ck_assert_str_eq(c.database_url, "");
	ck_assert_int_eq(c.log_level, LOG_INFO);
}
END_TEST

START_TEST(the_shipped_file_parses)
{
	clear_env();
	ck_assert_msg(config_load(&c, "config/portal.conf", err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(c.tls_cert, "var/tls/cert.pem");
	ck_assert_str_eq(c.templates_dir, "frontend/templates");
}
END_TEST

START_TEST(file_values_comments_and_spaces)
{
	const char text[] = "# comment\n\n  pool_size =  4  \nlisten=0.0.0.0:9443\r\n"
			    "log_level = warn\nbase_url = https://jobs.example//\n";

	ck_assert_msg(config_parse(&c, text, "t.conf", err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(c.pool_size, 4);
	ck_assert_str_eq(c.listen, "0.0.0.0:9443");
	ck_assert_int_eq(c.log_level, LOG_WARN);
	ck_assert_str_eq(c.base_url, "https://jobs.example");
}
END_TEST

START_TEST(unknown_key_names_key_and_line)
{
	ck_assert_int_eq(config_parse(&c, "pool_size = 3\nfoo = 1\n", "t.conf", err, sizeof err), -1);
	ck_assert_str_eq(err, "t.conf:2: foo: unknown key");
}
END_TEST

START_TEST(bad_values_are_refused)
{
	static const char *const bad[] = {
		"pool_size = abc", "pool_size = 0", "pool_size = -1", "pool_size = 99999999999",
		"pool_size = 4x", "threads =", "log_level = loud", "listen = host:", "listen = :0",
		"listen = 70000", "max_body_bytes = 12", "no equals sign",
		"smtp_url = http://mail.example", "mail_from = nobody",
		"base_url = jobs.example", "base_url = https://", "base_url = ftp://jobs.example",
		"base_url = https://jobs example", "base_url = https://jobs.example/<x>",
		"base_url = https://jobs.example,https://x", "base_url = https:///path",
		"trusted_proxies = load-balancer.internal", "trusted_proxies = 10.0.0.0/40",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(config_parse(&c, bad[i], "t.conf", err, sizeof err) == -1,
			      "accepted: %s", bad[i]);
	config_parse(&c, "pool_size = abc", "t.conf", err, sizeof err);
	ck_assert_msg(strstr(err, "pool_size") != NULL && strstr(err, "abc") != NULL, "%s", err);
	config_parse(&c, "trusted_proxies = 10.0.0.0/8, lb.internal", "t.conf", err, sizeof err);
	ck_assert_msg(strstr(err, "trusted_proxies") != NULL && strstr(err, "lb.internal") != NULL,
		      "%s", err);
}
END_TEST

START_TEST(environment_overrides_file)
{
	clear_env();
	setenv("PORTAL_POOL_SIZE", "7", 1);
	setenv("DATABASE_URL", "postgresql:///x", 1);
	ck_assert_msg(config_load(&c, "config/portal.conf", err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(c.pool_size, 7);
	ck_assert_str_eq(c.database_url, "postgresql:///x");
	setenv("PORTAL_POOL_SIZE", "many", 1);
	ck_assert_int_eq(config_load(&c, "config/portal.conf", err, sizeof err), -1);
	ck_assert_msg(strstr(err, "pool_size") && strstr(err, "PORTAL_POOL_SIZE"), "%s", err);
	clear_env();
}
END_TEST

START_TEST(missing_file_is_an_error)
{
	clear_env();
	ck_assert_int_eq(config_load(&c, "/nonexistent/portal.conf", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/portal.conf"));
}
END_TEST

START_TEST(conninfo_defaults_to_local_cluster)
{
	char out[2048];

	clear_env();
	config_load(&c, "/dev/null", err, sizeof err);
	ck_assert_int_eq(config_conninfo(&c, out, sizeof out), 0);
	ck_assert_ptr_nonnull(strstr(out, "/var/pg/run"));
	ck_assert_ptr_nonnull(strstr(out, "dbname=portal"));
	config_set(&c, "database_url", "postgresql://u@h/db", err, sizeof err);
	config_conninfo(&c, out, sizeof out);
	ck_assert_str_eq(out, "postgresql://u@h/db");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, defaults_without_file);
	tcase_add_test(tc, the_shipped_file_parses);
	tcase_add_test(tc, file_values_comments_and_spaces);
	tcase_add_test(tc, unknown_key_names_key_and_line);
	tcase_add_test(tc, bad_values_are_refused);
	tcase_add_test(tc, environment_overrides_file);
	tcase_add_test(tc, missing_file_is_an_error);
	tcase_add_test(tc, conninfo_defaults_to_local_cluster);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
