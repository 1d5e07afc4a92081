/* test_authz.c - who may do what (issue 3): visitors are sent to sign in, candidates and school
 * staff calling HR routes get 403, HR cannot make anyone an administrator or touch an
 * administrator, nobody changes their own role, a role or school change ends the person's
 * sessions, school staff see only their own schools (another school's staff list is 404), and
 * an invitation from HR lets a new member of staff choose a password and sign in. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define PW "Tilbury-docks-1886"
#define PW2 "Grays-beach-at-dusk"
#define MAIL_WAIT_MS 15000

/* The role of user id. Caller frees. */
static char *role_of(long long id)
{
	char *v = it_psql_id("SELECT role FROM users WHERE id = $1", id);

	ck_assert_msg(v != NULL, "no user %lld", id);
	return v;
}

/* Fails unless user id has role want. */
static void expect_role(long long id, const char *want, const char *what)
{
	char *v = role_of(id);

	ck_assert_msg(strcmp(v, want) == 0, "%s: user %lld is %s, want %s", what, id, v, want);
	free(v);
}

/* path with %XX decoded into out. */
static void url_decode(const char *s, char *out, size_t outlen)
{
	size_t o = 0;

	for (; *s != '\0' && o + 1 < outlen; s++) {
		if (s[0] == '%' && s[1] != '\0' && s[2] != '\0') {
			char hex[3] = { s[1], s[2], '\0' };

			out[o++] = (char)strtol(hex, NULL, 16);
			s += 2;
		} else {
			out[o++] = *s == '+' ? ' ' : *s;
		}
	}
	out[o] = '\0';
}

/* POST form (token added) to path with c and expect status want. */
static void expect_post(struct it_client *c, const char *path, const char *form, long want,
			const char *who)
{
	struct it_resp r;

	it_client_post(c, path, form, &r);
	ck_assert_msg(r.status == want, "%s: POST %s: status %ld, want %ld; body %.300s", who,
		      path, r.status, want, r.body);
	it_resp_free(&r);
}

static const char *const hr_pages[] = { "/hr/users", "/hr/audit", "/hr/outbox",
					"/hr/users?role=admin", NULL };

/* --- visitors ------------------------------------------------------------------------------ */

START_TEST(visitor_sent_to_sign_in)
{
	static const char *const paths[] = { "/account", "/hr/users", "/hr/audit", "/hr/outbox",
					     "/school/staff", "/hr/users?role=hr&sort=email", NULL };
	struct it_client v = { 0 };
	struct it_resp r;
	char next[256], email[128], path[96];
	const char *loc, *q;
	long long id;

	for (size_t i = 0; paths[i] != NULL; i++) {
		it_client_get(&v, paths[i], &r);
		it_expect_redirect(&r, "/account/login?next=", paths[i]);
		loc = it_location(&r);
		q = strstr(loc, "next=") + 5;
		url_decode(q, next, sizeof next);
		ck_assert_msg(strcmp(next, paths[i]) == 0, "%s: next=%s", paths[i], next);
		it_resp_free(&r);
	}

	/* A visitor's POST to an HR action (with a visitor CSRF token) changes nothing. */
	it_unique_email(email, sizeof email, "victim");
	id = it_user_add(email, "Vic Victim", "candidate", PW, 1);
	it_client_get(&v, "/account/login", &r);
	it_resp_free(&r);
	snprintf(path, sizeof path, "/hr/users/%lld/role", id);
	it_client_post(&v, path, "role=admin", &r);
	ck_assert_msg(r.status == 401 || r.status == 403 || r.status == 303,
		      "a visitor's POST %s: status %ld", path, r.status);
	it_resp_free(&r);
	expect_role(id, "candidate", "after a visitor's role change");
}
END_TEST

START_TEST(register_cannot_choose_role)
{
	struct it_client v = { 0 };
	struct it_resp r;
	char email[128], *form, *id;
	const char *vals[1] = { email };

	it_unique_email(email, sizeof email, "climber");
	free(it_psql("DELETE FROM rate_limits WHERE key LIKE 'register:addr:%'"));
	it_client_get(&v, "/account/register", &r);
	it_resp_free(&r);
	form = it_form("name", "Cliff Climber", "email", email, "password", PW, "role", "admin",
		       "verified_at", "2020-01-01", (char *)NULL);
	it_client_post(&v, "/account/register", form, &r);
	free(form);
	it_expect_status(&r, 200, "registering with role=admin in the form");
	it_resp_free(&r);
	id = it_psql_params("SELECT role || '/' || (verified_at IS NULL) FROM users WHERE "
			    "lower(email) = $1", 1, vals);
	ck_assert_msg(id != NULL && strcmp(id, "candidate/true") == 0,
		      "a registration chose its own role or verification: %s", id ? id : "(none)");
	free(id);
}
END_TEST

/* --- role escalation ----------------------------------------------------------------------- */

/* c (a non-HR user with id self) tries every HR page and action. */
static void try_hr_routes(struct it_client *c, long long self, const char *who)
{
	char path[96], victim[128], invitee[128], *form;
	const char *vals[1] = { invitee };
	long long other;
	char *n;

	for (size_t i = 0; hr_pages[i] != NULL; i++)
		it_expect_get(c, hr_pages[i], 403, who);
	snprintf(path, sizeof path, "/hr/users/%lld/role", self);
	expect_post(c, path, "role=admin", 403, who);
	expect_post(c, path, "role=hr", 403, who);

	it_unique_email(victim, sizeof victim, "victim");
	other = it_user_add(victim, "Val Victim", "candidate", PW2, 1);
	snprintf(path, sizeof path, "/hr/users/%lld/role", other);
	expect_post(c, path, "role=hr", 403, who);
	snprintf(path, sizeof path, "/hr/users/%lld/disable", other);
	expect_post(c, path, "", 403, who);
	snprintf(path, sizeof path, "/hr/users/%lld/schools", other);
	expect_post(c, path, "school=100000&school_role=hiring_manager", 403, who);

	it_unique_email(invitee, sizeof invitee, "invitee");
	form = it_form("name", "Ian Invitee", "email", invitee, "role", "admin", (char *)NULL);
	expect_post(c, "/hr/users/invite", form, 403, who);
	free(form);
	n = it_psql_params("SELECT count(*) FROM users WHERE lower(email) = $1", 1, vals);
	ck_assert_msg(strcmp(n, "0") == 0, "%s: an invitation went through", who);
	free(n);
	ck_assert_msg(it_still_signed_in(c), "%s: signed out by the attempts", who);
	expect_role(other, "candidate", who);
	n = it_psql_id("SELECT (disabled_at IS NULL)::text FROM users WHERE id = $1", other);
	ck_assert_msg(strcmp(n, "true") == 0, "%s disabled another user", who);
	free(n);
}

START_TEST(candidate_cannot_use_hr_routes)
{
	struct it_client c = { 0 };
	char email[128];
	long long id = it_user_signed_in(&c, "candidate", "Cal Candidate", PW, email);

	try_hr_routes(&c, id, "a candidate");
	it_expect_get(&c, "/school/staff", 403, "a candidate");
	expect_role(id, "candidate", "a candidate after escalation attempts");
}
END_TEST

START_TEST(staff_cannot_use_hr_routes)
{
	struct it_client c = { 0 };
	char email[128];
	long long id = it_user_signed_in(&c, "school_staff", "Stan Staff", PW, email);

	it_membership_add(id, it_school(0), "hiring_manager");
	try_hr_routes(&c, id, "school staff");
	expect_role(id, "school_staff", "school staff after escalation attempts");
}
END_TEST

START_TEST(hr_cannot_grant_admin)
{
	struct it_client h = { 0 };
	char email[128], target[128], admin[128], invitee[128], path[96], *form, *n;
	const char *vals[1] = { invitee };
	long long tid, aid;

	it_user_signed_in(&h, "hr", "Hattie HR", PW, email);
	it_unique_email(target, sizeof target, "target");
	it_unique_email(admin, sizeof admin, "admin");
	tid = it_user_add(target, "Tom Target", "school_staff", PW2, 1);
	aid = it_user_add(admin, "Ada Admin", "admin", PW2, 1);

	snprintf(path, sizeof path, "/hr/users/%lld/role", tid);
	expect_post(&h, path, "role=admin", 403, "HR making someone admin");
	expect_role(tid, "school_staff", "HR making someone admin");
	expect_post(&h, path, "role=hr", 303, "HR making school staff HR");
	expect_role(tid, "hr", "HR making school staff HR");

	snprintf(path, sizeof path, "/hr/users/%lld/role", aid);
	expect_post(&h, path, "role=candidate", 403, "HR demoting an administrator");
	expect_role(aid, "admin", "HR demoting an administrator");
	snprintf(path, sizeof path, "/hr/users/%lld/disable", aid);
	expect_post(&h, path, "", 403, "HR disabling an administrator");
	n = it_psql_id("SELECT (disabled_at IS NULL)::text FROM users WHERE id = $1", aid);
	ck_assert_msg(strcmp(n, "true") == 0, "HR disabled an administrator");
	free(n);

	it_unique_email(invitee, sizeof invitee, "invadmin");
	form = it_form("name", "Ivan Admin", "email", invitee, "role", "admin", (char *)NULL);
	expect_post(&h, "/hr/users/invite", form, 422, "HR inviting an administrator");
	free(form);
	n = it_psql_params("SELECT count(*) FROM users WHERE lower(email) = $1", 1, vals);
	ck_assert_msg(strcmp(n, "0") == 0, "HR invited an administrator");
	free(n);
}
END_TEST

START_TEST(nobody_changes_own_role)
{
	struct it_client h = { 0 }, a = { 0 };
	char hr[128], admin[128], path[96];
	long long hid, aid;

	hid = it_user_signed_in(&h, "hr", "Hugo HR", PW, hr);
	aid = it_user_signed_in(&a, "admin", "Alma Admin", PW, admin);
	snprintf(path, sizeof path, "/hr/users/%lld/role", hid);
	expect_post(&h, path, "role=admin", 403, "HR making themselves admin");
	expect_post(&h, path, "role=candidate", 403, "HR changing their own role");
	expect_role(hid, "hr", "HR after changing their own role");
	snprintf(path, sizeof path, "/hr/users/%lld/disable", hid);
	expect_post(&h, path, "", 403, "HR disabling themselves");
	snprintf(path, sizeof path, "/hr/users/%lld/role", aid);
	expect_post(&a, path, "role=hr", 403, "an admin changing their own role");
	expect_role(aid, "admin", "an admin after changing their own role");
	ck_assert_msg(it_still_signed_in(&h) && it_still_signed_in(&a), "signed out by a refusal");
}
END_TEST

START_TEST(admin_grants_admin)
{
	struct it_client a = { 0 };
	char admin[128], target[128], path[96];
	long long tid;

	it_user_signed_in(&a, "admin", "Abel Admin", PW, admin);
	it_unique_email(target, sizeof target, "promoted");
	tid = it_user_add(target, "Pam Promoted", "hr", PW2, 1);
	snprintf(path, sizeof path, "/hr/users/%lld/role", tid);
	expect_post(&a, path, "role=admin", 303, "an admin making HR an admin");
	expect_role(tid, "admin", "an admin making HR an admin");
	it_expect_get(&a, "/hr/users", 200, "an admin");
	it_expect_get(&a, "/hr/audit", 200, "an admin");
	it_expect_get(&a, "/hr/outbox", 200, "an admin");
}
END_TEST

START_TEST(role_change_ends_sessions)
{
	struct it_client h = { 0 }, s = { 0 };
	char hr[128], staff[128], path[96], *form;
	long long sid;
	char urn[24];

	it_user_signed_in(&h, "hr", "Harriet HR", PW, hr);
	sid = it_user_signed_in(&s, "school_staff", "Sid Staff", PW, staff);
	it_membership_add(sid, it_school(0), "viewer");
	ck_assert_msg(it_still_signed_in(&s), "staff not signed in");
	snprintf(path, sizeof path, "/hr/users/%lld/role", sid);
	expect_post(&h, path, "role=hr", 303, "HR changing a role");
	ck_assert_msg(!it_still_signed_in(&s), "the session survived a change of role");
	expect_role(sid, "hr", "after the change");

	/* Back to school staff, then a new school: each change of privilege ends the sessions. */
	expect_post(&h, path, "role=school_staff", 303, "HR changing the role back");
	it_membership_add(sid, it_school(0), "viewer");
	it_login(&s, staff, PW);
	snprintf(path, sizeof path, "/hr/users/%lld/schools", sid);
	snprintf(urn, sizeof urn, "%ld", it_school(1));
	form = it_form("school", urn, "school_role", "viewer", (char *)NULL);
	expect_post(&h, path, form, 303, "HR adding a school");
	free(form);
	ck_assert_msg(!it_still_signed_in(&s), "the session survived a new school membership");
}
END_TEST

/* --- tenancy: school staff see their own schools only -------------------------------------- */

START_TEST(cross_school_staff_list)
{
	struct it_client a = { 0 }, b = { 0 };
	char ea[128], eb[128], path[96];
	long urn_a = it_school(2), urn_b = it_school(3);
	long long ida, idb;
	struct it_resp r;

	ida = it_user_signed_in(&a, "school_staff", "Annie Alpha", PW, ea);
	idb = it_user_signed_in(&b, "school_staff", "Bertie Beta", PW, eb);
	it_membership_add(ida, urn_a, "hiring_manager");
	it_membership_add(idb, urn_b, "hiring_manager");

	snprintf(path, sizeof path, "/school/staff?school=%ld", urn_a);
	it_client_get(&a, path, &r);
	it_expect_status(&r, 200, "staff of A on A's staff list");
	ck_assert_msg(strstr(r.body, "Annie Alpha") != NULL, "A's list does not show A's staff");
	ck_assert_msg(strstr(r.body, "Bertie Beta") == NULL, "A's list shows B's staff");
	it_resp_free(&r);

	it_client_get(&a, "/school/staff", &r);
	it_expect_status(&r, 200, "staff of A on /school/staff");
	ck_assert_msg(strstr(r.body, "Bertie Beta") == NULL, "A's default list shows B's staff");
	it_resp_free(&r);

	snprintf(path, sizeof path, "/school/staff?school=%ld", urn_b);
	it_client_get(&a, path, &r);
	it_expect_status(&r, 404, "staff of A asking for B's staff list");
	ck_assert_msg(strstr(r.body, "Bertie Beta") == NULL, "the 404 shows B's staff");
	it_resp_free(&r);

	it_expect_get(&a, "/school/staff?school=999999999", 404, "staff of A, an unknown school");
	snprintf(path, sizeof path, "/school/staff?school=%ld", urn_a);
	it_expect_get(&b, path, 404, "staff of B asking for A's staff list");
}
END_TEST

START_TEST(invitation_sets_password)
{
	struct it_client h = { 0 }, n = { 0 }, again = { 0 };
	char hr[128], invitee[128], urn[24], path[96], *form, *msg, *link;
	const char *vals[1] = { invitee };
	struct it_resp r;
	long long hid, iid;
	char *v;

	hid = it_user_signed_in(&h, "hr", "Helen HR", PW, hr);
	it_unique_email(invitee, sizeof invitee, "newstaff");
	snprintf(urn, sizeof urn, "%ld", it_school(4));
	form = it_form("name", "Nina Newstaff", "email", invitee, "role", "school_staff", "school",
		       urn, "school_role", "viewer", (char *)NULL);
	it_client_post(&h, "/hr/users/invite", form, &r);
	free(form);
	it_expect_redirect(&r, "/hr/users", "HR invites school staff");
	it_resp_free(&r);
	msg = it_mail_wait(invitee, "/account/password/reset?token=", MAIL_WAIT_MS);
	link = it_mail_link(msg, "/account/password/reset?token=");
	free(msg);
	v = it_psql_params("SELECT u.role || '/' || (u.password_hash IS NULL) || '/' || m.role || "
			   "'/' || m.school_urn FROM users u JOIN school_memberships m ON m.user_id = "
			   "u.id WHERE lower(u.email) = $1", 1, vals);
	ck_assert_msg(v != NULL, "the invitation created no member of staff");
	snprintf(path, sizeof path, "school_staff/true/viewer/%s", urn);
	ck_assert_msg(strcmp(v, path) == 0, "invited user: %s, want %s", v, path);
	free(v);
	v = it_psql_params("SELECT id FROM users WHERE lower(email) = $1", 1, vals);
	iid = atoll(v);
	free(v);

	/* Invited again by address: HR is told to send the invitation again instead; sent
	 * again, it holds a new link and the first no longer works. */
	form = it_form("name", "Nina Newstaff", "email", invitee, "role", "school_staff", "school",
		       urn, "school_role", "viewer", (char *)NULL);
	it_client_post(&h, "/hr/users/invite", form, &r);
	free(form);
	it_expect_errors(&r, "invite-email", "inviting an invited address again");
	ck_assert_msg(strstr(r.body, "select Send invitation again") != NULL,
		      "inviting an invited address does not say how to invite them again");
	it_resp_free(&r);
	form = it_form("q", invitee, (char *)NULL);
	snprintf(path, sizeof path, "/hr/users?%s", form);
	free(form);
	it_client_get(&h, path, &r);
	snprintf(path, sizeof path, "action=\"/hr/users/%lld/reinvite\"", iid);
	ck_assert_msg(strstr(r.body, path) != NULL, "/hr/users offers no new invitation");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/hr/users/%lld/reinvite", iid);
	it_client_post(&h, path, "", &r);
	it_expect_redirect(&r, "/hr/users", "sending the invitation again");
	it_resp_free(&r);
	msg = it_mail_wait(invitee, "/account/password/reset?token=", MAIL_WAIT_MS);
	v = it_mail_link(msg, "/account/password/reset?token=");
	free(msg);
	ck_assert_msg(strcmp(v, link) != 0, "the new invitation has the old link");
	it_client_get(&n, link, &r);
	ck_assert_msg(r.status >= 400 && r.status < 500, "the first invitation's link works "
		      "after a new one was sent: %ld", r.status);
	it_resp_free(&r);
	free(link);
	link = v;

	it_client_get(&n, link, &r);
	it_expect_status(&r, 200, "following the invitation link");
	it_resp_free(&r);
	form = it_form("token", strstr(link, "token=") + 6, "password", PW2, (char *)NULL);
	it_client_post(&n, "/account/password/reset", form, &r);
	free(form);
	it_expect_redirect(&r, "/school", "choosing a password from the invitation");
	ck_assert_str_eq(it_location(&r), "/school");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/school/staff?school=%s", urn);
	it_expect_get(&n, path, 200, "the new member of staff");
	snprintf(path, sizeof path, "/school/staff?school=%ld", it_school(5));
	it_expect_get(&n, path, 404, "the new member of staff, another school");
	v = it_psql_id("SELECT (verified_at IS NOT NULL)::text FROM users WHERE id = $1", iid);
	ck_assert_msg(strcmp(v, "true") == 0, "the invitation did not verify the address");
	free(v);

	it_client_get(&again, link, &r);
	ck_assert_msg(r.status >= 400 && r.status < 500, "the invitation link worked twice: %ld",
		      r.status);
	it_resp_free(&r);
	it_login(&again, invitee, PW2);
	/* Accepted: no invitation can be sent again. */
	snprintf(path, sizeof path, "/hr/users/%lld/reinvite", iid);
	it_client_post(&h, path, "", &r);
	it_expect_status(&r, 409, "sending the invitation again after it was accepted");
	it_resp_free(&r);
	v = it_psql_id("SELECT count(*) FROM audit_log WHERE action IN ('user.invite', "
		       "'membership.add', 'user.reinvite') AND actor_id = $1", hid);
	ck_assert_msg(atol(v) == 3, "audit entries for the invitation: %s, want 3", v);
	free(v);
	free(link);
}
END_TEST

START_TEST(memberships_grant_and_revoke)
{
	struct it_client h = { 0 }, s = { 0 };
	char hr[128], staff[128], path[96], page[96], urn[24], *form, *v;
	long urn_a = it_school(6), urn_b = it_school(7);
	long long hid, sid;

	hid = it_user_signed_in(&h, "hr", "Hank HR", PW, hr);
	sid = it_user_signed_in(&s, "school_staff", "Mo Member", PW, staff);
	it_membership_add(sid, urn_a, "viewer");
	snprintf(page, sizeof page, "/school/staff?school=%ld", urn_b);
	it_expect_get(&s, page, 404, "before being given school B");

	snprintf(path, sizeof path, "/hr/users/%lld/schools", sid);
	snprintf(urn, sizeof urn, "%ld", urn_b);
	form = it_form("school", urn, "school_role", "hiring_manager", (char *)NULL);
	expect_post(&h, path, form, 303, "HR gives school B");
	free(form);
	it_login(&s, staff, PW);
	it_expect_get(&s, page, 200, "after being given school B");
	/* Each school's Remove button and the row's fields name the user, for a screen reader
	 * listing buttons (inside the memberships, {{name}} would be the school's). */
	{
		struct it_resp r;
		const char *p;
		int removes = 0;

		it_client_get(&h, "/hr/users?q=Mo+Member", &r);
		it_expect_status(&r, 200, "the users list");
		for (p = r.body; (p = strstr(p, " from Mo Member</span></button>")) != NULL; p++)
			removes++;
		ck_assert_msg(removes == 2, "%d Remove buttons name Mo Member, want 2", removes);
		ck_assert_ptr_nonnull(strstr(r.body, "Add or change a school<span "
					       "class=\"govuk-visually-hidden\"> for Mo Member"));
		ck_assert_ptr_nonnull(strstr(r.body, "What Mo Member can do at the school"));
		it_resp_free(&r);
	}

	snprintf(path, sizeof path, "/hr/users/%lld/schools/%ld/remove", sid, urn_b);
	expect_post(&h, path, "", 303, "HR takes school B away");
	it_expect_get(&s, page, 404, "after school B was taken away");
	/* Done twice (a second click, another HR officer): the list again, saying so beside
	 * the user's row; no school chosen: the same. Nothing changes. */
	{
		struct it_resp r;
		char row[64];

		snprintf(row, sizeof row, "href=\"#user-%lld\">", sid);
		it_client_post(&h, path, "return_to=%2Fhr%2Fusers%3Fq%3DMo", &r);
		it_expect_status(&r, 409, "taking school B away again");
		ck_assert_msg(strstr(r.body, row) != NULL &&
			      strstr(r.body, "They do not have that school") != NULL &&
			      strstr(r.body, "value=\"Mo\"") != NULL,
			      "a refused action does not go back to the list (its search kept) "
			      "with the reason beside the user");
		it_resp_free(&r);
		snprintf(path, sizeof path, "/hr/users/%lld/schools", sid);
		it_client_post(&h, path, "school=&school_role=viewer", &r);
		it_expect_status(&r, 400, "saving a school without choosing one");
		ck_assert_msg(strstr(r.body, row) != NULL &&
			      strstr(r.body, "Choose a school from the list.") != NULL,
			      "no school chosen: not said on the list");
		it_resp_free(&r);
	}
	v = it_psql_id("SELECT count(*) FROM audit_log WHERE action IN ('membership.add', "
		       "'membership.remove') AND actor_id = $1", hid);
	ck_assert_msg(atol(v) == 2, "membership audit entries: %s, want 2", v);
	free(v);
}
END_TEST

static Suite *authz_suite(void)
{
	Suite *s = suite_create("authz");
	TCase *tc;

	tc = it_tcase("visitors", 60, it_fixture_server_mail);
	tcase_add_test(tc, visitor_sent_to_sign_in);
	tcase_add_test(tc, register_cannot_choose_role);
	suite_add_tcase(s, tc);

	tc = it_tcase("escalation", 60, it_fixture_server_mail);
	tcase_add_test(tc, candidate_cannot_use_hr_routes);
	tcase_add_test(tc, staff_cannot_use_hr_routes);
	tcase_add_test(tc, hr_cannot_grant_admin);
	tcase_add_test(tc, nobody_changes_own_role);
	tcase_add_test(tc, admin_grants_admin);
	tcase_add_test(tc, role_change_ends_sessions);
	suite_add_tcase(s, tc);

	tc = it_tcase("tenancy", 60, it_fixture_server_mail);
	tcase_add_test(tc, cross_school_staff_list);
	tcase_add_test(tc, invitation_sets_password);
	tcase_add_test(tc, memberships_grant_and_revoke);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(authz_suite());
}
