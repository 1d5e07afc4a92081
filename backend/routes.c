/* routes.c - the one table of routes: every URL of the portal, its method, handler and the role
 * it requires. Metrics label each request with the route's name. */
#include "handlers.h"
#include "router.h"

const struct route routes[] = {
	{ "GET", "/", page_home, ROLE_PUBLIC, "home", 0 },
	{ "GET", "/schools", schools_index, ROLE_PUBLIC, "schools_index", 0 },
	{ "GET", "/schools/{urn}", schools_show, ROLE_PUBLIC, "schools_show", 0 },
	{ "GET", "/accessibility", page_accessibility, ROLE_PUBLIC, "accessibility", 0 },
	{ "GET", "/privacy", page_privacy, ROLE_PUBLIC, "privacy", 0 },
	{ "GET", "/cookies", page_cookies, ROLE_PUBLIC, "cookies", 0 },
	{ "GET", "/api/v1/schools", api_schools_index, ROLE_STATELESS, "api_schools_index", 0 },
	{ "GET", "/healthz", ops_healthz, ROLE_STATELESS, "healthz", 0 },
	{ "GET", "/readyz", ops_readyz, ROLE_STATELESS, "readyz", 0 },
	{ "GET", "/metrics", ops_metrics, ROLE_STATELESS, "metrics", 0 },
	{ "GET", "/assets/{path...}", static_asset, ROLE_STATELESS, "assets", 0 },

	/* accounts.c: registration, verification, sign in and out, passwords, settings */
	{ "GET", "/account/register", account_register_form, ROLE_PUBLIC, "account_register_form", 0 },
	{ "POST", "/account/register", account_register, ROLE_PUBLIC, "account_register", 0 },
	{ "GET", "/account/verify", account_verify, ROLE_PUBLIC, "account_verify", 0 },
	{ "POST", "/account/verify/resend", account_verify_resend, ROLE_ANY, "account_verify_resend", 0 },
	{ "GET", "/account/login", account_login_form, ROLE_PUBLIC, "account_login_form", 0 },
	{ "POST", "/account/login", account_login, ROLE_PUBLIC, "account_login", 0 },
	{ "POST", "/account/logout", account_logout, ROLE_ANY, "account_logout", 0 },
	{ "GET", "/account/password/forgot", account_forgot_form, ROLE_PUBLIC, "account_forgot_form", 0 },
	{ "POST", "/account/password/forgot", account_forgot, ROLE_PUBLIC, "account_forgot", 0 },
	{ "GET", "/account/password/reset", account_reset_form, ROLE_PUBLIC, "account_reset_form", 0 },
	{ "POST", "/account/password/reset", account_reset, ROLE_PUBLIC, "account_reset", 0 },
	{ "GET", "/account", account_settings, ROLE_ANY, "account_settings", 0 },
	{ "POST", "/account/password", account_change_password, ROLE_ANY, "account_change_password", 0 },
	{ "POST", "/account/email", account_change_email, ROLE_ANY, "account_change_email", 0 },
	{ "GET", "/account/email/confirm", account_confirm_email, ROLE_PUBLIC, "account_confirm_email", 0 },
	{ "POST", "/account/sessions/end", account_end_sessions, ROLE_ANY, "account_end_sessions", 0 },

	/* hr_users.c, hr_audit.c, hr_outbox.c, school_staff.c: administration */
	{ "GET", "/hr/users", hr_users, ROLE_HR, "hr_users", 0 },
	{ "POST", "/hr/users/invite", hr_users_invite, ROLE_HR, "hr_users_invite", 0 },
	{ "POST", "/hr/users/{id}/disable", hr_users_disable, ROLE_HR, "hr_users_disable", 0 },
	{ "POST", "/hr/users/{id}/enable", hr_users_enable, ROLE_HR, "hr_users_enable", 0 },
	{ "POST", "/hr/users/{id}/role", hr_users_role, ROLE_HR, "hr_users_role", 0 },
	{ "POST", "/hr/users/{id}/schools", hr_users_add_school, ROLE_HR, "hr_users_add_school", 0 },
	{ "POST", "/hr/users/{id}/schools/{urn}/remove", hr_users_remove_school, ROLE_HR,
	  "hr_users_remove_school", 0 },
	{ "GET", "/hr/audit", hr_audit, ROLE_HR, "hr_audit", 0 },
	{ "GET", "/hr/outbox", hr_outbox, ROLE_HR, "hr_outbox", 0 },
	{ "GET", "/school/staff", school_staff, ROLE_SCHOOL_STAFF, "school_staff", 0 },

	/* school_vacancies*.c: a school's vacancies and their lifecycle */
	{ "GET", "/school", school_dashboard, ROLE_SCHOOL_STAFF, "school_dashboard", 0 },
	{ "GET", "/school/vacancies/new", school_vacancy_new, ROLE_SCHOOL_STAFF, "school_vacancy_new", 0 },
	{ "POST", "/school/vacancies/new", school_vacancy_create, ROLE_SCHOOL_STAFF,
	  "school_vacancy_create", 0 },
	{ "GET", "/school/vacancies/{id}", school_vacancy_show, ROLE_SCHOOL_STAFF,
	  "school_vacancy_show", 0 },
	{ "GET", "/school/vacancies/{id}/edit", school_vacancy_edit_form, ROLE_SCHOOL_STAFF,
	  "school_vacancy_edit_form", 0 },
	{ "POST", "/school/vacancies/{id}/edit", school_vacancy_edit, ROLE_SCHOOL_STAFF,
	  "school_vacancy_edit", 0 },
	{ "GET", "/school/vacancies/{id}/preview", school_vacancy_preview, ROLE_SCHOOL_STAFF,
	  "school_vacancy_preview", 0 },
	{ "POST", "/school/vacancies/{id}/publish", school_vacancy_publish, ROLE_SCHOOL_STAFF,
	  "school_vacancy_publish", 0 },
	{ "POST", "/school/vacancies/{id}/extend", school_vacancy_extend, ROLE_SCHOOL_STAFF,
	  "school_vacancy_extend", 0 },
	{ "POST", "/school/vacancies/{id}/end", school_vacancy_end, ROLE_SCHOOL_STAFF,
	  "school_vacancy_end", 0 },
	{ "POST", "/school/vacancies/{id}/copy", school_vacancy_copy, ROLE_SCHOOL_STAFF,
	  "school_vacancy_copy", 0 },
	{ "POST", "/school/vacancies/{id}/delete", school_vacancy_delete, ROLE_SCHOOL_STAFF,
	  "school_vacancy_delete", 0 },

	/* vacancy_documents.c: supporting documents */
	{ "POST", "/school/vacancies/{id}/documents", school_vacancy_document_upload,
	  ROLE_SCHOOL_STAFF, "school_vacancy_document_upload", 1 },
	{ "POST", "/school/vacancies/{id}/documents/{doc}/delete", school_vacancy_document_delete,
	  ROLE_SCHOOL_STAFF, "school_vacancy_document_delete", 0 },
	{ "GET", "/vacancies/{id}/documents/{key}", vacancy_document_download, ROLE_PUBLIC,
	  "vacancy_document_download", 0 },

	/* vacancies_public.c, vacancies_show.c, vacancies_feed.c, vacancies_openapi.c: search, the
	 * vacancy page, feed and API */
	{ "GET", "/vacancies", vacancies_index, ROLE_PUBLIC, "vacancies_index", 0 },
	{ "GET", "/vacancies.atom", vacancies_atom, ROLE_STATELESS, "vacancies_atom", 0 },
	{ "GET", "/vacancies/{id}", vacancies_show, ROLE_PUBLIC, "vacancies_show", 0 },
	{ "GET", "/api/v1/vacancies", api_vacancies_index, ROLE_STATELESS, "api_vacancies_index", 0 },
	{ "GET", "/api/v1/vacancies/{id}", api_vacancies_show, ROLE_STATELESS, "api_vacancies_show", 0 },
	{ "GET", "/api/v1/openapi.json", api_openapi, ROLE_STATELESS, "api_openapi", 0 },

	/* job_alerts.c: emails of the new jobs of a search */
	{ "GET", "/job-alerts/new", job_alert_new, ROLE_PUBLIC, "job_alert_new", 0 },
	{ "POST", "/job-alerts", job_alert_create, ROLE_PUBLIC, "job_alert_create", 0 },
	{ "GET", "/job-alerts/manage", job_alert_manage, ROLE_PUBLIC, "job_alert_manage", 0 },
	{ "POST", "/job-alerts/manage", job_alert_one_click, ROLE_STATELESS, "job_alert_one_click",
	  0 },
	{ "POST", "/job-alerts/confirm", job_alert_confirm, ROLE_PUBLIC, "job_alert_confirm", 0 },
	{ "POST", "/job-alerts/unsubscribe", job_alert_unsubscribe, ROLE_PUBLIC,
	  "job_alert_unsubscribe", 0 },
	{ "POST", "/job-alerts/frequency", job_alert_frequency, ROLE_PUBLIC, "job_alert_frequency",
	  0 },
	{ "GET", "/account/job-alerts", job_alerts_account, ROLE_ANY, "job_alerts_account", 0 },
	{ "POST", "/account/job-alerts/{id}/stop", job_alert_stop, ROLE_ANY, "job_alert_stop",
	  0 },
	{ "POST", "/account/job-alerts/{id}/frequency", job_alert_account_frequency, ROLE_ANY,
	  "job_alert_account_frequency", 0 },

	/* saved_jobs.c: a candidate's saved jobs */
	{ "GET", "/account/saved-jobs", saved_jobs_index, ROLE_CANDIDATE, "saved_jobs_index", 0 },
	{ "POST", "/vacancies/{id}/save", saved_job_save, ROLE_CANDIDATE, "saved_job_save", 0 },
	{ "POST", "/vacancies/{id}/unsave", saved_job_remove, ROLE_CANDIDATE, "saved_job_remove",
	  0 },

	/* candidate_profile.c: the candidate's profile, copied into each new application */
	{ "GET", "/account/profile", profile_show, ROLE_CANDIDATE, "profile_show", 0 },
	{ "GET", "/account/profile/{section}", profile_section_form, ROLE_CANDIDATE,
	  "profile_section_form", 0 },
	{ "POST", "/account/profile/{section}", profile_section_save, ROLE_CANDIDATE,
	  "profile_section_save", 0 },
	{ "POST", "/account/profile/{section}/remove", profile_section_remove, ROLE_CANDIDATE,
	  "profile_section_remove", 0 },

	/* applications_candidate*.c: applying, the candidate's applications */
	{ "GET", "/vacancies/{id}/apply", apply_start, ROLE_CANDIDATE, "apply_start", 0 },
	{ "POST", "/vacancies/{id}/apply", apply_create, ROLE_CANDIDATE, "apply_create", 0 },
	{ "GET", "/account/applications", candidate_applications, ROLE_CANDIDATE,
	  "candidate_applications", 0 },
	{ "GET", "/account/applications/{id}", candidate_application_show, ROLE_CANDIDATE,
	  "candidate_application_show", 0 },
	{ "GET", "/account/applications/{id}/review", candidate_application_review, ROLE_CANDIDATE,
	  "candidate_application_review", 0 },
	{ "POST", "/account/applications/{id}/submit", candidate_application_submit, ROLE_CANDIDATE,
	  "candidate_application_submit", 0 },
	{ "POST", "/account/applications/{id}/withdraw", candidate_application_withdraw,
	  ROLE_CANDIDATE, "candidate_application_withdraw", 0 },
	{ "POST", "/account/applications/{id}/delete", candidate_application_delete, ROLE_CANDIDATE,
	  "candidate_application_delete", 0 },

	/* application_documents.c: CV and covering letter */
	{ "GET", "/account/applications/{id}/documents", candidate_application_documents,
	  ROLE_CANDIDATE, "candidate_application_documents", 0 },
	{ "POST", "/account/applications/{id}/documents", candidate_application_document_upload,
	  ROLE_CANDIDATE, "candidate_application_document_upload", 1 },
	{ "POST", "/account/applications/{id}/documents/{doc}/delete",
	  candidate_application_document_delete, ROLE_CANDIDATE,
	  "candidate_application_document_delete", 0 },
	{ "GET", "/account/applications/{id}/documents/{doc}",
	  candidate_application_document_download, ROLE_CANDIDATE,
	  "candidate_application_document_download", 0 },
	{ "GET", "/school/applications/{id}/documents/{doc}", school_application_document_download,
	  ROLE_SCHOOL_STAFF, "school_application_document_download", 0 },

	/* applications_candidate*.c: the sections of an application (after the fixed paths above) */
	{ "GET", "/account/applications/{id}/{section}", candidate_application_section_form,
	  ROLE_CANDIDATE, "candidate_application_section_form", 0 },
	{ "POST", "/account/applications/{id}/{section}", candidate_application_section_save,
	  ROLE_CANDIDATE, "candidate_application_section_save", 0 },
	{ "POST", "/account/applications/{id}/{section}/remove",
	  candidate_application_section_remove, ROLE_CANDIDATE,
	  "candidate_application_section_remove", 0 },

	/* account_data.c: a user's data export and account deletion */
	{ "GET", "/account/data", account_data_export, ROLE_ANY, "account_data_export", 0 },
	{ "GET", "/account/delete", account_delete_form, ROLE_CANDIDATE, "account_delete_form", 0 },
	{ "POST", "/account/delete", account_delete, ROLE_CANDIDATE, "account_delete", 0 },

	/* school_applications.c (lists, bulk, export), school_application.c (one application) */
	{ "GET", "/school/vacancies/{id}/applications", school_vacancy_applications,
	  ROLE_SCHOOL_STAFF, "school_vacancy_applications", 0 },
	{ "GET", "/school/vacancies/{id}/applications.csv", school_vacancy_applications_csv,
	  ROLE_SCHOOL_STAFF, "school_vacancy_applications_csv", 0 },
	{ "POST", "/school/vacancies/{id}/applications/bulk", school_vacancy_applications_bulk,
	  ROLE_SCHOOL_STAFF, "school_vacancy_applications_bulk", 0 },
	{ "GET", "/school/applications/{id}", school_application_show, ROLE_SCHOOL_STAFF,
	  "school_application_show", 0 },
	{ "POST", "/school/applications/{id}/notes", school_application_note, ROLE_SCHOOL_STAFF,
	  "school_application_note", 0 },
	{ "POST", "/school/applications/{id}/status", school_application_status, ROLE_SCHOOL_STAFF,
	  "school_application_status", 0 },
	{ "POST", "/school/applications/{id}/interview", school_application_interview,
	  ROLE_SCHOOL_STAFF, "school_application_interview", 0 },
};

const size_t routes_len = sizeof routes / sizeof routes[0];
