/* handlers.h - every route handler, by module. The router table (routes.c) is the
 * one place that maps URLs to these. */
#ifndef PORTAL_HANDLERS_H
#define PORTAL_HANDLERS_H

#include "http.h"

/* pages.c */
int page_home(struct req *r);
int page_accessibility(struct req *r);
int page_privacy(struct req *r);
int page_cookies(struct req *r);

/* schools.c */
int schools_index(struct req *r);
int schools_show(struct req *r);
int api_schools_index(struct req *r);

/* ops.c */
int ops_healthz(struct req *r);
int ops_readyz(struct req *r);
int ops_metrics(struct req *r);

/* accounts.c */
int account_register_form(struct req *r);
int account_register(struct req *r);
int account_verify(struct req *r);
int account_verify_resend(struct req *r);
int account_login_form(struct req *r);
int account_login(struct req *r);
int account_logout(struct req *r);
int account_forgot_form(struct req *r);
int account_forgot(struct req *r);
int account_reset_form(struct req *r);
int account_reset(struct req *r);
int account_settings(struct req *r);
int account_change_password(struct req *r);
int account_change_email(struct req *r);
int account_emails(struct req *r);
/* email_stop.c: the link in an optional email that turns it off. GET /emails/stop?token=T:
 * what it stops, with a button; POST /emails/stop/confirm (token): stops it. POST
 * /emails/stop?token=T with List-Unsubscribe=One-Click (RFC 8058), stateless like
 * job_alert_one_click: stops it, 200 with a line of text; 400 without the one-click body. A link
 * not (or no longer) valid: 404. */
int email_stop_show(struct req *r);
int email_stop_confirm(struct req *r);
int email_stop_one_click(struct req *r);
/* kept_form_page.c: GET /account/kept-form?token=T, a form sent after its session ended, to
 * send on (404 for a link not valid, expired or another account's). */
int kept_form_show(struct req *r);
int account_confirm_email(struct req *r);
int account_end_sessions(struct req *r);
/* GET /account/keepalive[?form=/path]: 204 while signed in (the request itself refreshes the
 * session's idle timer), 401 when not, with {"form_kept": true} when the session has ended but
 * a form sent to `form` will be kept until the person signs in again (kept_form.c), false
 * otherwise. The page's script asks it while its person is typing in a form, so that writing a
 * long text does not count as being away (frontend/js/init.mjs). */
int account_keepalive(struct req *r);

/* hr_users.c */
int hr_users(struct req *r);
int hr_users_invite(struct req *r);
int hr_users_disable(struct req *r);
int hr_users_enable(struct req *r);
int hr_users_reinvite(struct req *r);
int hr_users_role(struct req *r);
int hr_users_add_school(struct req *r);
int hr_users_remove_school(struct req *r);

/* hr_audit.c */
int hr_audit(struct req *r);

/* hr_outbox.c */
int hr_outbox(struct req *r);

/* school_staff.c */
int school_staff(struct req *r);
int school_profile(struct req *r);
int school_profile_save(struct req *r);

/* school_vacancies.c, school_vacancies_edit.c, school_vacancies_summary.c,
 * school_vacancies_actions.c */
int school_dashboard(struct req *r);
int school_vacancy_new(struct req *r);
int school_vacancy_create(struct req *r);
int school_vacancy_show(struct req *r);
int school_vacancy_edit_form(struct req *r);
int school_vacancy_edit(struct req *r);
int school_vacancy_preview(struct req *r);
int school_vacancy_publish(struct req *r);
int school_vacancy_extend(struct req *r);
int school_vacancy_end(struct req *r);
int school_vacancy_outcome(struct req *r);
int school_vacancy_copy(struct req *r);
int school_vacancy_delete(struct req *r);

/* vacancy_documents.c */
int school_vacancy_document_upload(struct req *r);
int school_vacancy_document_delete(struct req *r);
int vacancy_document_download(struct req *r);

/* vacancies_public.c (search page and API), vacancies_show.c (vacancy page and API),
 * vacancies_feed.c (Atom), vacancies_openapi.c */
int vacancies_index(struct req *r);
int vacancies_atom(struct req *r);
/* crawlers.c: GET /robots.txt and GET /sitemap.xml, for search engines */
int robots_txt(struct req *r);
int sitemap_xml(struct req *r);
int vacancies_show(struct req *r);
int api_vacancies_index(struct req *r);
int api_vacancies_show(struct req *r);
int api_openapi(struct req *r);

/* job_alerts.c: job alerts (job_alerts.h) */
int job_alert_new(struct req *r);
int job_alert_create(struct req *r);
int job_alert_manage(struct req *r);
int job_alert_confirm(struct req *r);
int job_alert_unsubscribe(struct req *r);
/* POST /job-alerts/manage?token=T with List-Unsubscribe=One-Click (RFC 8058), as a mail program
 * sends it from an alert email's List-Unsubscribe header: stops the alert. Stateless (no
 * cookie, no CSRF token: the link token is the authority, as on the page the same address
 * shows on GET). 200 with a line of text; 400 without the one-click body; 404 for a link not
 * (or no longer) valid. */
int job_alert_one_click(struct req *r);
int job_alerts_account(struct req *r);
int job_alert_stop(struct req *r);
/* POST /job-alerts/frequency (token) and /account/job-alerts/{id}/frequency: daily or weekly. */
int job_alert_frequency(struct req *r);
int job_alert_account_frequency(struct req *r);

/* saved_jobs.c: a candidate's saved jobs (saved_jobs.h) */
int saved_jobs_index(struct req *r);
int saved_job_save(struct req *r);
int saved_job_remove(struct req *r);

/* candidate_profile.c */
int profile_show(struct req *r);
int profile_section_form(struct req *r);
int profile_section_save(struct req *r);
int profile_section_remove(struct req *r);

/* applications_candidate*.c */
int apply_start(struct req *r);
int apply_create(struct req *r);
int candidate_applications(struct req *r);
int candidate_application_show(struct req *r);
int candidate_application_review(struct req *r);
int candidate_application_submit(struct req *r);
int candidate_application_withdraw(struct req *r);
int candidate_application_delete(struct req *r);
int candidate_application_section_form(struct req *r);
int candidate_application_section_save(struct req *r);
int candidate_application_section_remove(struct req *r);

/* application_documents.c */
int candidate_application_documents(struct req *r);
int candidate_application_document_upload(struct req *r);
int candidate_application_document_delete(struct req *r);
int candidate_application_document_download(struct req *r);
int school_application_document_download(struct req *r);

/* account_data.c */
int account_data_export(struct req *r);
int account_delete_form(struct req *r);
int account_delete(struct req *r);

/* school_applications.c, school_application.c */
int school_vacancy_applications(struct req *r);
int school_vacancy_applications_csv(struct req *r);
int school_vacancy_applications_bulk(struct req *r);
int school_application_show(struct req *r);
int school_application_note(struct req *r);
int school_application_status(struct req *r);
int school_application_interview(struct req *r);

/* static_files.c */
int static_asset(struct req *r);

#endif
