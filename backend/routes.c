/* routes.c - the one table of routes: every URL of the portal, its method, handler and the role
 * it requires. Metrics label each request with the route's name. */
#include "handlers.h"
#include "router.h"

const struct route routes[] = {
	{ "GET", "/", page_home, ROLE_PUBLIC, "home" },
	{ "GET", "/schools", schools_index, ROLE_PUBLIC, "schools_index" },
	{ "GET", "/schools/{urn}", schools_show, ROLE_PUBLIC, "schools_show" },
	{ "GET", "/accessibility", page_accessibility, ROLE_PUBLIC, "accessibility" },
	{ "GET", "/privacy", page_privacy, ROLE_PUBLIC, "privacy" },
	{ "GET", "/cookies", page_cookies, ROLE_PUBLIC, "cookies" },
	{ "GET", "/api/v1/schools", api_schools_index, ROLE_STATELESS, "api_schools_index" },
	{ "GET", "/healthz", ops_healthz, ROLE_STATELESS, "healthz" },
	{ "GET", "/readyz", ops_readyz, ROLE_STATELESS, "readyz" },
	{ "GET", "/metrics", ops_metrics, ROLE_STATELESS, "metrics" },
	{ "GET", "/assets/{path...}", static_asset, ROLE_STATELESS, "assets" },

	/* accounts.c: registration, verification, sign in and out, passwords, settings */
	{ "GET", "/account/register", account_register_form, ROLE_PUBLIC, "account_register_form" },
	{ "POST", "/account/register", account_register, ROLE_PUBLIC, "account_register" },
	{ "GET", "/account/verify", account_verify, ROLE_PUBLIC, "account_verify" },
	{ "POST", "/account/verify/resend", account_verify_resend, ROLE_ANY, "account_verify_resend" },
	{ "GET", "/account/login", account_login_form, ROLE_PUBLIC, "account_login_form" },
	{ "POST", "/account/login", account_login, ROLE_PUBLIC, "account_login" },
	{ "POST", "/account/logout", account_logout, ROLE_ANY, "account_logout" },
	{ "GET", "/account/password/forgot", account_forgot_form, ROLE_PUBLIC, "account_forgot_form" },
	{ "POST", "/account/password/forgot", account_forgot, ROLE_PUBLIC, "account_forgot" },
	{ "GET", "/account/password/reset", account_reset_form, ROLE_PUBLIC, "account_reset_form" },
	{ "POST", "/account/password/reset", account_reset, ROLE_PUBLIC, "account_reset" },
	{ "GET", "/account", account_settings, ROLE_ANY, "account_settings" },
	{ "POST", "/account/password", account_change_password, ROLE_ANY, "account_change_password" },
	{ "POST", "/account/email", account_change_email, ROLE_ANY, "account_change_email" },
	{ "GET", "/account/email/confirm", account_confirm_email, ROLE_PUBLIC, "account_confirm_email" },
	{ "POST", "/account/sessions/end", account_end_sessions, ROLE_ANY, "account_end_sessions" },

	/* hr_users.c, hr_audit.c, hr_outbox.c, school_staff.c: administration */
	{ "GET", "/hr/users", hr_users, ROLE_HR, "hr_users" },
	{ "POST", "/hr/users/invite", hr_users_invite, ROLE_HR, "hr_users_invite" },
	{ "POST", "/hr/users/{id}/disable", hr_users_disable, ROLE_HR, "hr_users_disable" },
	{ "POST", "/hr/users/{id}/enable", hr_users_enable, ROLE_HR, "hr_users_enable" },
	{ "POST", "/hr/users/{id}/role", hr_users_role, ROLE_HR, "hr_users_role" },
	{ "POST", "/hr/users/{id}/schools", hr_users_add_school, ROLE_HR, "hr_users_add_school" },
	{ "POST", "/hr/users/{id}/schools/{urn}/remove", hr_users_remove_school, ROLE_HR,
	  "hr_users_remove_school" },
	{ "GET", "/hr/audit", hr_audit, ROLE_HR, "hr_audit" },
	{ "GET", "/hr/outbox", hr_outbox, ROLE_HR, "hr_outbox" },
	{ "GET", "/school/staff", school_staff, ROLE_SCHOOL_STAFF, "school_staff" },
};

const size_t routes_len = sizeof routes / sizeof routes[0];
