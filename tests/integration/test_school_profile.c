/* test_school_profile.c - a school's profile (/school/profile), against the real server and
 * PostgreSQL:
 *  - the dashboard asks a hiring manager for the profile of a school that has none;
 *  - a hiring manager of one school gets its form straight away (and a link to it on the
 *    school's public page, which a viewer does not get), one of two schools a choice;
 *    saving stores what the school says (Markdown) and its website ("https://" added when typed
 *    without), audited, and comes back with a banner; the school's public page shows the text
 *    as HTML (typed HTML removed) and links the website;
 *  - a website that is not an http(s) address with a host name (javascript:, no dot, spaces),
 *    or an about text over 10,000 characters, is a 422 beside the field and changes nothing;
 *  - a viewer of the school gets 403, another school's hiring manager 404, a candidate 403, a
 *    visitor the sign-in page; none of them changes anything; an administrator gets 404 for a
 *    school that does not exist;
 *  - the council's HR keeps any school's profile: every school to choose from (linked from HR's
 *    navigation and from the school's public page), the form without the school staff's
 *    navigation, saved and audited as theirs.
 * That a new listing starts with the profile: test_vacancies.c (new_draft_starts_with_...).
 *
 * This file uses the schools 38 and 39 (in URN order). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define PASSWORD "a long enough passphrase 4 profiles"

/* "/school/profile?school=URN" into out (64 bytes). */
static const char *profile_path(char *out, long urn)
{
	snprintf(out, 64, "/school/profile?school=%ld", urn);
	return out;
}

/* The school's about text and website, "about|website" (caller frees). */
static char *stored(long urn)
{
	return it_psql_id("SELECT about || '|' || coalesce(website, '-') FROM schools WHERE "
			  "urn = $1", urn);
}

/* POSTs the profile form of urn with about and website on c; fills r. */
static void save(struct it_client *c, long urn, const char *about, const char *website,
		 struct it_resp *r)
{
	char u[24], *form;

	snprintf(u, sizeof u, "%ld", urn);
	form = it_form("school", u, "about", about, "website", website, (char *)NULL);
	it_client_post(c, "/school/profile", form, r);
	free(form);
}

START_TEST(hiring_manager_keeps_the_profile)
{
	struct it_client c = { 0 }, two = { 0 }, visitor = { 0 };
	struct it_resp r;
	char path[64], want[128], *v;
	long urn = it_school(38), other = it_school(39);
	long long me, audits;

	me = it_user_signed_in(&c, "school_staff", "Pat Profile", PASSWORD, NULL);
	it_membership_add(me, urn, "hiring_manager");
	/* The dashboard asks for a profile while the school has none. */
	it_client_get(&c, "/school", &r);
	it_expect_status(&r, 200, "the dashboard");
	ck_assert_msg(strstr(r.body, profile_path(path, urn)) != NULL,
		      "the dashboard does not ask for the school's profile");
	it_resp_free(&r);
	/* One school: its form at once. */
	it_client_get(&c, "/school/profile", &r);
	it_expect_status(&r, 200, "the profile of a manager's one school");
	snprintf(want, sizeof want, "name=\"school\" value=\"%ld\"", urn);
	ck_assert_msg(strstr(r.body, want) != NULL, "the form is not for school %ld", urn);
	it_resp_free(&r);

	audits = it_psql_id_long("SELECT count(*) FROM audit_log WHERE action = "
				 "'school.profile_update' AND object_id = $1::text", urn);
	save(&c, urn, "We are a **happy** school.\r\n\r\n<script>alert(1)</script>\r\n\r\n- Small "
		      "classes", "www.example-school.sch.uk/about?x=1", &r);
	snprintf(want, sizeof want, "/school/profile?school=%ld&done=1", urn);
	it_expect_redirect(&r, want, "saving the profile");
	it_resp_free(&r);
	v = stored(urn);
	ck_assert_str_eq(v, "We are a **happy** school.\n\n<script>alert(1)</script>\n\n- Small "
			    "classes|https://www.example-school.sch.uk/about?x=1");
	free(v);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM audit_log WHERE action = "
					 "'school.profile_update' AND object_id = $1::text", urn),
			 audits + 1);
	it_client_get(&c, "/school", &r);
	it_expect_status(&r, 200, "the dashboard");
	ck_assert_msg(strstr(r.body, profile_path(path, urn)) == NULL,
		      "the dashboard still asks for the profile");
	it_resp_free(&r);
	it_client_get(&c, want, &r);
	it_expect_status(&r, 200, "the form after saving");
	ck_assert_msg(strstr(r.body, "Your school&#39;s profile has been saved") != NULL ||
		      strstr(r.body, "Your school's profile has been saved") != NULL,
		      "no banner after saving");
	it_resp_free(&r);

	/* Its hiring manager is offered the form on the school's public page. */
	snprintf(path, sizeof path, "/schools/%ld", urn);
	it_client_get(&c, path, &r);
	ck_assert_msg(strstr(r.body, "Change this school's profile</a>") != NULL,
		      "the hiring manager is not offered the form on %s", path);
	it_resp_free(&r);

	/* The public page shows it, safely, with the website. */
	it_client_get(&visitor, path, &r);
	it_expect_status(&r, 200, "the school's page");
	ck_assert_msg(strstr(r.body, "<strong>happy</strong>") != NULL &&
		      strstr(r.body, "<li>Small classes</li>") != NULL,
		      "the school's page does not show the profile");
	ck_assert_msg(strstr(r.body, "<script>alert(1)") == NULL, "typed HTML reached the page");
	ck_assert_msg(strstr(r.body, "href=\"https://www.example-school.sch.uk/about?x=1\"") !=
			      NULL, "the school's page does not link the website");
	it_resp_free(&r);

	/* An address with its scheme keeps it (in lower case); blank clears the website. */
	save(&c, urn, "Words", "HTTP://Example.org", &r);
	it_resp_free(&r);
	v = stored(urn);
	ck_assert_str_eq(v, "Words|http://Example.org");
	free(v);
	save(&c, urn, "", "", &r);
	it_resp_free(&r);
	v = stored(urn);
	ck_assert_str_eq(v, "|-");
	free(v);

	/* Two schools: a choice of both. */
	me = it_user_signed_in(&two, "school_staff", "Tam Two", PASSWORD, NULL);
	it_membership_add(me, urn, "hiring_manager");
	it_membership_add(me, other, "hiring_manager");
	it_client_get(&two, "/school/profile", &r);
	it_expect_status(&r, 200, "the choice of schools");
	ck_assert_msg(strstr(r.body, profile_path(path, urn)) != NULL &&
		      strstr(r.body, profile_path(path, other)) != NULL,
		      "the choice does not list both schools");
	it_resp_free(&r);
}
END_TEST

START_TEST(bad_input_changes_nothing)
{
	static const char *const bad_websites[] = {
		"javascript:alert(1)", "ftp://example.org", "https://localhost", "not a website",
		"https://exa mple.org", "https://example.org/<script>", ".example.org",
		"https://example..org",
	};
	struct it_client c = { 0 };
	struct it_resp r;
	char *before, *after, *longtext;
	long urn = it_school(39);
	long long me;

	me = it_user_signed_in(&c, "school_staff", "Bo Bad", PASSWORD, NULL);
	it_membership_add(me, urn, "hiring_manager");
	save(&c, urn, "Kept", "https://kept.example.org", &r);
	it_resp_free(&r);
	before = stored(urn);
	for (size_t i = 0; i < sizeof bad_websites / sizeof bad_websites[0]; i++) {
		save(&c, urn, "Changed", bad_websites[i], &r);
		it_expect_errors(&r, "website", bad_websites[i]);
		ck_assert_msg(strstr(r.body, "Enter the website address in the correct format") !=
				      NULL, "%s: the message is missing", bad_websites[i]);
		ck_assert_msg(strstr(r.body, ">Changed</textarea>") != NULL,
			      "%s: the typed text is lost", bad_websites[i]);
		it_resp_free(&r);
	}
	longtext = malloc(10002);
	ck_assert_ptr_nonnull(longtext);
	memset(longtext, 'a', 10001);
	longtext[10001] = '\0';
	save(&c, urn, longtext, "", &r);
	it_expect_errors(&r, "about", "an about text of 10,001 characters");
	ck_assert_msg(strstr(r.body, "About the school must be 10,000 characters or fewer") != NULL,
		      "the length message is missing");
	it_resp_free(&r);
	free(longtext);
	after = stored(urn);
	ck_assert_str_eq(after, before);
	free(before);
	free(after);
}
END_TEST

START_TEST(only_its_hiring_managers)
{
	struct it_client viewer = { 0 }, other = { 0 }, cand = { 0 }, visitor = { 0 }, admin = { 0 };
	struct it_resp r;
	char path[64], *before, *after;
	long urn = it_school(38);
	long long id;

	before = stored(urn);
	id = it_user_signed_in(&viewer, "school_staff", "Vi Viewer", PASSWORD, NULL);
	it_membership_add(id, urn, "viewer");
	id = it_user_signed_in(&other, "school_staff", "Oz Other", PASSWORD, NULL);
	it_membership_add(id, it_school(39), "hiring_manager");
	it_user_signed_in(&cand, "candidate", "Cy Candidate", PASSWORD, NULL);

	it_expect_get(&viewer, profile_path(path, urn), 403, "a viewer's form");
	snprintf(path, sizeof path, "/schools/%ld", urn);
	it_client_get(&viewer, path, &r);
	ck_assert_msg(strstr(r.body, "Change this school") == NULL, "a viewer is offered the form");
	it_resp_free(&r);
	save(&viewer, urn, "By a viewer", "", &r);
	it_expect_status(&r, 403, "a viewer saving");
	it_resp_free(&r);
	it_client_get(&viewer, "/school/profile", &r);
	it_expect_status(&r, 200, "a viewer's choice");
	ck_assert_msg(strstr(r.body, "Only a school&#39;s hiring managers") != NULL ||
		      strstr(r.body, "Only a school's hiring managers") != NULL,
		      "a viewer is not told who can change a profile");
	it_resp_free(&r);

	it_expect_get(&other, profile_path(path, urn), 404, "another school's manager's form");
	save(&other, urn, "By another school", "", &r);
	it_expect_status(&r, 404, "another school's manager saving");
	it_resp_free(&r);
	it_expect_get(&other, "/school/profile?school=abc", 404, "a malformed school");
	it_expect_get(&other, "/school/profile?school=999999999", 404, "an unknown school");

	it_expect_get(&cand, profile_path(path, urn), 403, "a candidate's form");
	save(&cand, urn, "By a candidate", "", &r);
	it_expect_status(&r, 403, "a candidate saving");
	it_resp_free(&r);

	it_client_get(&visitor, profile_path(path, urn), &r);
	it_expect_redirect(&r, "/account/login", "a visitor's form");
	it_resp_free(&r);

	/* An administrator may keep any school's profile, but not one of a school that is not. */
	it_user_signed_in(&admin, "admin", "Al Admin", PASSWORD, NULL);
	it_expect_get(&admin, "/school/profile?school=999999999", 404, "an unknown school's form");
	save(&admin, 999999999, "Nowhere", "", &r);
	it_expect_status(&r, 404, "saving an unknown school's profile");
	it_resp_free(&r);

	after = stored(urn);
	ck_assert_str_eq(after, before);
	free(before);
	free(after);
}
END_TEST

START_TEST(hr_keeps_any_school)
{
	struct it_client hr = { 0 };
	struct it_resp r;
	char path[64], want[128], *v;
	long urn = it_school(39);
	long long me, schools;

	me = it_user_signed_in(&hr, "hr", "Hana Council", PASSWORD, NULL);
	it_client_get(&hr, "/hr/users", &r);
	ck_assert_msg(strstr(r.body, "href=\"/school/profile\">School profiles</a>") != NULL,
		      "HR's navigation does not lead to the school profiles");
	it_resp_free(&r);
	it_client_get(&hr, "/school/profile", &r);
	it_expect_status(&r, 200, "HR's choice of school");
	schools = it_psql_long("SELECT count(*) FROM schools");
	for (long long n = 0; n < schools; n++) {
		snprintf(want, sizeof want, "href=\"/school/profile?school=%ld\"",
			 it_school((int)n));
		ck_assert_msg(strstr(r.body, want) != NULL, "school %lld is not offered", n);
	}
	it_resp_free(&r);

	it_client_get(&hr, profile_path(path, urn), &r);
	it_expect_status(&r, 200, "HR's form of a school");
	ck_assert_msg(strstr(r.body, "href=\"/school/staff\"") == NULL &&
		      strstr(r.body, "the school's page</a>") != NULL,
		      "HR is shown the school staff's page: %.3000s", r.body);
	it_resp_free(&r);
	save(&hr, urn, "Kept by the **council**.", "https://council-kept.example.sch.uk", &r);
	snprintf(want, sizeof want, "/school/profile?school=%ld&done=1", urn);
	it_expect_redirect(&r, want, "HR saving a profile");
	it_resp_free(&r);
	v = stored(urn);
	ck_assert_str_eq(v, "Kept by the **council**.|https://council-kept.example.sch.uk");
	free(v);
	v = it_psql_id("SELECT count(*) FROM audit_log WHERE action = 'school.profile_update' AND "
		       "actor_id = $1", me);
	ck_assert_str_eq(v, "1");
	free(v);
	it_client_get(&hr, want, &r);
	ck_assert_msg(strstr(r.body, "The school's profile has been saved") != NULL,
		      "no banner after saving");
	it_resp_free(&r);
	/* The school's public page offers HR the form; a visitor, nothing. */
	snprintf(want, sizeof want, "href=\"%s\">Change this school's profile</a>",
		 profile_path(path, urn));
	snprintf(path, sizeof path, "/schools/%ld", urn);
	it_client_get(&hr, path, &r);
	ck_assert_msg(strstr(r.body, want) != NULL, "HR is not offered the form on %s", path);
	it_resp_free(&r);
	it_get(path, &r);
	ck_assert_msg(strstr(r.body, "Change this school") == NULL, "a visitor is offered it");
	it_resp_free(&r);
}
END_TEST

static Suite *school_profile_suite(void)
{
	Suite *s = suite_create("school_profile");
	TCase *tc = it_tcase("school_profile", 60, it_fixture_server);

	tcase_add_test(tc, hiring_manager_keeps_the_profile);
	tcase_add_test(tc, bad_input_changes_nothing);
	tcase_add_test(tc, only_its_hiring_managers);
	tcase_add_test(tc, hr_keeps_any_school);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(school_profile_suite());
}
