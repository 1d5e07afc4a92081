/* test_applications_data.c - an application's documents, the periodic jobs on applications,
 * and a candidate's own data (issue 5):
 *  - a candidate attaches a CV and a covering letter (PDF or DOCX, the harness's),
 *    replaces and deletes them while the application is a draft, and not after submitting;
 *  - upload attacks: HTML or SVG renamed .pdf, an empty file, no file, a 6 MB file are refused
 *    (422, the message beside the field, nothing stored); a 50 MB body gets 413; "../", control
 *    characters and a NUL in file names never reach the stored name;
 *  - downloads are attachments with nosniff, a sandbox CSP and no-store; another candidate,
 *    another school, a school for a draft, and a document id under another application get 404;
 *    the vacancy's school staff may download once submitted;
 *  - the reminder of a draft closing within 48 hours is sent once (not to a disabled account or
 *    one that turned it off); retention deletes what is due (with documents, notes,
 *    interviews, equal-opportunities answers; status_events stay) and keeps the rest - both
 *    through application_jobs_run_once, called here directly;
 *  - account deletion deletes drafts, anonymises submitted applications, emails the user, and
 *    the user cannot sign in afterwards; the data export holds the user's data, no hashes or
 *    tokens, and nobody else's.
 *
 * This file uses the schools 40 to 47 (in URN order). */
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "application_jobs.h"
#include "harness.h"

#define PW "Stanford-le-hope-1892-quay"

/* Uploads data (len bytes) as filename (n bytes) of kind to application id with client c.
 * Returns the status; the response in r. */
static long upload_named(struct it_client *c, long long id, const char *kind, const char *filename,
			 size_t n, const void *data, size_t len, struct it_resp *r)
{
	char path[96];
	size_t blen;
	char *body = it_multipart(c->csrf, kind, filename, n, "application/pdf", data, len, &blen);

	snprintf(path, sizeof path, "/account/applications/%lld/documents", id);
	it_client_send(c, "POST", path, IT_MULTIPART_TYPE, body, blen, NULL, r);
	free(body);
	return r->status;
}

static long upload(struct it_client *c, long long id, const char *kind, const char *filename,
		   const void *data, size_t len, struct it_resp *r)
{
	return upload_named(c, id, kind, filename, strlen(filename), data, len, r);
}

/* --- people, vacancies, applications ------------------------------------------------------- */

/* A new verified candidate, signed in on c when c is not NULL; the address into email (128
 * bytes). Returns the id. */
static long long candidate(struct it_client *c, char *email)
{
	return it_user_signed_in(c, "candidate", "Ada Candidate", PW, email);
}

/* A new school_staff user with membership role of school urn, signed in on c. Returns the
 * id. */
static long long staff(struct it_client *c, long urn, const char *role)
{
	char email[128];
	long long id;

	it_unique_email(email, sizeof email, "staff");
	id = it_user_add(email, "Sam Staff", "school_staff", PW, 1);
	it_membership_add(id, urn, role);
	it_login(c, email, PW);
	return id;
}

static long ndocs(long long app)
{
	return (long)it_psql_id_long("SELECT count(*) FROM application_documents WHERE "
				     "application_id = $1", app);
}

/* The id of application app's document of kind (0 when none). */
static long long doc_id(long long app, const char *kind)
{
	char s[24];
	const char *vals[2] = { s, kind };
	char *v;
	long long n;

	snprintf(s, sizeof s, "%lld", app);
	v = it_psql_params("SELECT id FROM application_documents WHERE application_id = $1 AND "
			   "kind = $2", 2, vals);
	n = v != NULL ? strtoll(v, NULL, 10) : 0;
	free(v);
	return n;
}

/* Marks application id submitted (an hour ago), as the lifecycle would. */
static void submit(long long id)
{
	it_psql_id_exec("UPDATE applications SET status = 'submitted', submitted_at = now() - "
			"interval '1 hour' WHERE id = $1", id);
}

/* Fails unless r refused: a 422 error page (it_expect_errors) whose summary links to #field,
 * that element on the page, and the page says needle. */
static void expect_refused(struct it_resp *r, const char *field, const char *needle,
			   const char *what)
{
	char id[96], *text;

	it_expect_errors(r, field, what);
	snprintf(id, sizeof id, "id=\"%s\"", field);
	ck_assert_msg(strstr(r->body, id) != NULL, "%s: no element #%s", what, field);
	text = it_html_decode(r->body);
	ck_assert_msg(strcasestr(text, needle) != NULL, "%s: the page does not say \"%s\"", what,
		      needle);
	free(text);
}

/* --- documents ----------------------------------------------------------------------------- */

START_TEST(documents_attach_replace_delete)
{
	struct it_client c = { 0 };
	char email[128], path[160], *v, *key, *word;
	long long me, vac, app, cv, letter;
	size_t wlen;
	struct it_resp r;

	me = candidate(&c, email);
	vac = it_vacancy_add(it_school(40), "published", (char *)NULL);
	app = it_application_add(vac, me, "draft", "Lovelace", email);
	word = it_docx(NULL, NULL, NULL, 0, false, &wlen);

	snprintf(path, sizeof path, "/account/applications/%lld/documents", app);
	it_client_get(&c, path, &r);
	it_expect_status(&r, 200, "the documents page");
	ck_assert_msg(strstr(r.body, "id=\"document-cv\"") != NULL &&
		      strstr(r.body, "id=\"document-cover_letter\"") != NULL &&
		      strstr(r.body, "enctype=\"multipart/form-data\"") != NULL,
		      "the page has no upload form for each kind");
	ck_assert_msg(strstr(r.body, "href=\"/account/applications/") != NULL,
		      "no link back to the application");
	it_resp_free(&r);

	/* A PDF CV, a DOCX covering letter. */
	upload(&c, app, "cv", "My CV.pdf", IT_PDF, sizeof IT_PDF - 1, &r);
	it_expect_status(&r, 303, "uploading a PDF CV");
	ck_assert_msg(it_location(&r) != NULL && strncmp(it_location(&r), path, strlen(path)) == 0,
		      "after uploading, redirect to %s", it_location(&r));
	it_resp_free(&r);
	upload(&c, app, "cover_letter", "letter.docx", word, wlen, &r);
	it_expect_status(&r, 303, "uploading a DOCX covering letter");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(app), 2);
	v = it_psql_id("SELECT string_agg(kind || '|' || filename || '|' || content_type || '|' || "
		       "size, ',' ORDER BY kind) FROM application_documents WHERE "
		       "application_id = $1", app);
	snprintf(path, sizeof path, "cover_letter|letter.docx|" IT_DOCX_TYPE "|%zu,cv|My CV.pdf|"
		 "application/pdf|%zu", wlen, sizeof IT_PDF - 1);
	ck_assert_msg(strcmp(v, path) == 0, "stored %s, want %s", v, path);
	free(v);
	v = it_psql_id("SELECT min(length(key)) || '|' || count(DISTINCT key) FROM "
		       "application_documents WHERE application_id = $1", app);
	ck_assert_msg(strcmp(v, "43|2") == 0, "the keys are not random tokens: %s", v);
	free(v);

	/* The page lists both, with download links that work. */
	snprintf(path, sizeof path, "/account/applications/%lld/documents?document=added", app);
	it_client_get(&c, path, &r);
	it_expect_status(&r, 200, "the documents page with two documents");
	ck_assert_msg(strstr(r.body, "My CV.pdf") != NULL && strstr(r.body, "letter.docx") != NULL,
		      "the page does not list the documents");
	ck_assert_msg(strstr(r.body, "Document uploaded") != NULL, "no notice after uploading");
	it_resp_free(&r);
	cv = doc_id(app, "cv");
	letter = doc_id(app, "cover_letter");
	snprintf(path, sizeof path, "/account/applications/%lld/documents/%lld", app, cv);
	it_client_get(&c, path, &r);
	it_expect_download(&r, "application/pdf", "no-store", IT_PDF, sizeof IT_PDF - 1,
			   "the candidate's CV");
	ck_assert_msg(it_header_has(&r, "Content-Disposition", "My CV.pdf") ||
		      it_header_has(&r, "Content-Disposition", "My%20CV.pdf"),
		      "the download is not named after the file");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/account/applications/%lld/documents/%lld", app, letter);
	it_client_get(&c, path, &r);
	it_expect_download(&r, IT_DOCX_TYPE, "no-store", word, wlen,
			   "the candidate's covering letter");
	it_resp_free(&r);

	/* A new CV replaces the old one: still one of each kind, a new key. */
	key = it_psql_id("SELECT key FROM application_documents WHERE application_id = $1 "
			 "AND kind = 'cv'", app);
	upload(&c, app, "cv", "New CV.docx", word, wlen, &r);
	it_expect_status(&r, 303, "replacing the CV");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(app), 2);
	v = it_psql_id("SELECT filename || '|' || content_type || '|' || key FROM "
		       "application_documents WHERE application_id = $1 AND kind = 'cv'", app);
	ck_assert_msg(strncmp(v, "New CV.docx|" IT_DOCX_TYPE "|",
			      strlen("New CV.docx|" IT_DOCX_TYPE "|")) == 0 &&
		      strstr(v, key) == NULL, "after replacing: %s (old key %s)", v, key);
	free(v);
	free(key);

	/* An unknown kind is refused. */
	upload(&c, app, "passport", "p.pdf", IT_PDF, sizeof IT_PDF - 1, &r);
	it_expect_status(&r, 400, "an unknown kind");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(app), 2);

	/* Delete the covering letter; a second time it is gone. */
	snprintf(path, sizeof path, "/account/applications/%lld/documents/%lld/delete", app, letter);
	it_client_post(&c, path, "", &r);
	it_expect_status(&r, 303, "deleting the covering letter");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(app), 1);
	it_client_post(&c, path, "", &r);
	it_expect_status(&r, 404, "deleting it again");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/account/applications/%lld/documents/%lld", app, letter);
	it_expect_get(&c, path, 404, "downloading a deleted document");

	/* Without the CSRF token: refused, nothing deleted. */
	cv = doc_id(app, "cv");
	snprintf(path, sizeof path, "/account/applications/%lld/documents/%lld/delete", app, cv);
	it_client_request(&c, "POST", path, "", NULL, &r);
	it_expect_status(&r, 403, "deleting without the CSRF token");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(app), 1);

	/* Once submitted, the documents cannot change: 422, nothing changed; still downloadable. */
	submit(app);
	upload(&c, app, "cover_letter", "late.pdf", IT_PDF, sizeof IT_PDF - 1, &r);
	expect_refused(&r, "documents", "cannot change the documents", "uploading after submitting");
	it_resp_free(&r);
	it_client_post(&c, path, "", &r);
	expect_refused(&r, "documents", "cannot change the documents", "deleting after submitting");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(app), 1);
	snprintf(path, sizeof path, "/account/applications/%lld/documents", app);
	it_client_get(&c, path, &r);
	it_expect_status(&r, 200, "the documents page of a submitted application");
	ck_assert_msg(strstr(r.body, "type=\"file\"") == NULL, "a submitted application offers "
		      "an upload");
	ck_assert_msg(strstr(r.body, "New CV.docx") != NULL, "the submitted CV is not listed");
	it_resp_free(&r);
	free(word);
}
END_TEST

START_TEST(upload_attacks)
{
	struct it_client c = { 0 };
	char email[128], *v, *big, path[96];
	long long me, app;
	size_t huge = 50u << 20, six = 6u << 20;
	struct it_resp r;
	static const char html[] = "<!DOCTYPE html><html><body><script>alert(document.cookie)"
				   "</script></body></html>\n";
	static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\">"
				  "<script>alert(1)</script></svg>\n";

	me = candidate(&c, email);
	app = it_application_add(it_vacancy_add(it_school(41), "published", (char *)NULL), me,
				 "draft", "Lovelace", email);

	upload(&c, app, "cv", "cv.pdf", html, sizeof html - 1, &r);
	expect_refused(&r, "document-cv", "must be a PDF or Word document", "HTML renamed .pdf");
	ck_assert_msg(strstr(r.body, "id=\"document-cv-error\"") != NULL,
		      "HTML renamed .pdf: no message beside the CV field");
	it_resp_free(&r);
	upload(&c, app, "cover_letter", "letter.pdf", svg, sizeof svg - 1, &r);
	expect_refused(&r, "document-cover_letter", "must be a PDF or Word document",
		       "SVG renamed .pdf");
	it_resp_free(&r);
	upload(&c, app, "cv", "empty.pdf", "", 0, &r);
	expect_refused(&r, "document-cv", "is empty", "an empty file");
	it_resp_free(&r);
	upload(&c, app, "cv", "", "", 0, &r);
	expect_refused(&r, "document-cv", "Select a PDF or Word document", "no file chosen");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(app), 0);

	/* 6 MB: under the body limit, over the 5 MB document limit. */
	big = malloc(huge);
	ck_assert_ptr_nonnull(big);
	memset(big, ' ', huge);
	memcpy(big, "%PDF-1.4\n", 9);
	memcpy(big + six - 6, "%%EOF\n", 6);
	upload(&c, app, "cv", "big.pdf", big, six, &r);
	expect_refused(&r, "document-cv", "smaller than 5MB", "a 6 MB file");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(app), 0);

	/* 50 MB: 413, nothing stored, the server still answers. */
	memcpy(big + huge - 6, "%%EOF\n", 6);
	upload(&c, app, "cv", "huge.pdf", big, huge, &r);
	it_expect_status(&r, 413, "a 50 MB upload");
	it_resp_free(&r);
	free(big);
	ck_assert_int_eq(ndocs(app), 0);
	it_expect_get(&c, "/healthz", 200, "after a 413");

	/* File names: paths and control characters never reach the stored name. */
	upload(&c, app, "cv", "../../etc/passwd", IT_PDF, sizeof IT_PDF - 1, &r);
	it_expect_status(&r, 303, "a path as file name");
	it_resp_free(&r);
	v = it_psql_id("SELECT filename FROM application_documents WHERE application_id = $1", app);
	ck_assert_msg(strcmp(v, "passwd.pdf") == 0, "\"../../etc/passwd\" stored as \"%s\"", v);
	free(v);
	/* Control characters: raw C0 ones make the part malformed (400, nothing stored); C1 and
	 * bidirectional controls, valid UTF-8, are stored without them. */
	upload(&c, app, "cover_letter", "cv\x01\x1b[31m\x7f.pdf", IT_PDF, sizeof IT_PDF - 1, &r);
	ck_assert_msg(r.status == 400, "raw control characters in the file name: status %ld",
		      r.status);
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(app), 1);
	upload(&c, app, "cv", "cv\xc2\x85\xe2\x80\xae" "fdp.exe.pdf", IT_PDF, sizeof IT_PDF - 1,
	       &r);
	it_expect_status(&r, 303, "C1 and bidirectional controls in the file name");
	it_resp_free(&r);
	v = it_psql_id("SELECT filename FROM application_documents WHERE application_id = $1", app);
	ck_assert_msg(strcmp(v, "cvfdp.exe.pdf") == 0, "stored as \"%s\"", v);
	free(v);
	/* A NUL in the part's headers is malformed: the upload is refused whole. */
	upload_named(&c, app, "cover_letter", "evil\0.html.pdf", 14, IT_PDF, sizeof IT_PDF - 1, &r);
	ck_assert_msg(r.status == 400, "a NUL in the file name: status %ld", r.status);
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(app), 1);
	/* A name that is markup is shown escaped. */
	upload(&c, app, "cover_letter", "<img src=x onerror=alert(1)>.pdf", IT_PDF,
	       sizeof IT_PDF - 1, &r);
	it_expect_status(&r, 303, "markup as file name");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/account/applications/%lld/documents", app);
	it_client_get(&c, path, &r);
	it_expect_status(&r, 200, "the page with odd names");
	ck_assert_msg(strstr(r.body, "<img src=x") == NULL, "a file name is shown as markup");
	it_resp_free(&r);
}
END_TEST

START_TEST(documents_access)
{
	struct it_client a = { 0 }, b = { 0 }, viewer = { 0 }, other_school = { 0 };
	char email_a[128], email_b[128], path[192];
	long urn = it_school(42), urn_b = it_school(43);
	long long cand_a, cand_b, vac, vac2, app, app2, app_b, doc;
	struct it_resp r;

	cand_a = candidate(&a, email_a);
	cand_b = candidate(&b, email_b);
	staff(&viewer, urn, "viewer");
	staff(&other_school, urn_b, "hiring_manager");
	vac = it_vacancy_add(urn, "published", (char *)NULL);
	vac2 = it_vacancy_add(urn, "published", (char *)NULL);
	app = it_application_add(vac, cand_a, "draft", "Lovelace", email_a);
	app2 = it_application_add(vac2, cand_a, "draft", "Lovelace", email_a);
	app_b = it_application_add(vac, cand_b, "draft", "Babbage", email_b);
	upload(&a, app, "cv", "cv.pdf", IT_PDF, sizeof IT_PDF - 1, &r);
	it_expect_status(&r, 303, "uploading");
	it_resp_free(&r);
	doc = doc_id(app, "cv");

	/* Another candidate: 404 for the page, upload, delete and download. */
	snprintf(path, sizeof path, "/account/applications/%lld/documents", app);
	it_expect_get(&b, path, 404, "another candidate's documents page");
	upload(&b, app, "cv", "mine.pdf", IT_PDF, sizeof IT_PDF - 1, &r);
	it_expect_status(&r, 404, "uploading to another candidate's application");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/account/applications/%lld/documents/%lld/delete", app, doc);
	it_client_post(&b, path, "", &r);
	it_expect_status(&r, 404, "deleting another candidate's document");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/account/applications/%lld/documents/%lld", app, doc);
	it_expect_get(&b, path, 404, "downloading another candidate's document");
	/* ...nor through their own application's id. */
	snprintf(path, sizeof path, "/account/applications/%lld/documents/%lld", app_b, doc);
	it_expect_get(&b, path, 404, "another's document under one's own application");
	snprintf(path, sizeof path, "/account/applications/%lld/documents/%lld/delete", app_b, doc);
	it_client_post(&b, path, "", &r);
	it_expect_status(&r, 404, "deleting another's document under one's own application");
	it_resp_free(&r);
	/* The owner, under another of their applications: 404 too. */
	snprintf(path, sizeof path, "/account/applications/%lld/documents/%lld", app2, doc);
	it_expect_get(&a, path, 404, "a document under another application of the same candidate");
	snprintf(path, sizeof path, "/account/applications/%lld/documents/x1", app);
	it_expect_get(&a, path, 404, "a malformed document id");
	ck_assert_int_eq(ndocs(app), 1);
	ck_assert_int_eq(ndocs(app_b), 0);

	/* The school: not while it is a draft. */
	snprintf(path, sizeof path, "/school/applications/%lld/documents/%lld", app, doc);
	it_expect_get(&viewer, path, 404, "the school downloading a draft's document");
	submit(app);
	submit(app2);
	it_client_get(&viewer, path, &r);
	it_expect_download(&r, "application/pdf", "no-store", IT_PDF, sizeof IT_PDF - 1,
			   "a viewer of the school");
	it_resp_free(&r);
	it_expect_get(&other_school, path, 404, "another school downloading");
	snprintf(path, sizeof path, "/school/applications/%lld/documents/%lld", app2, doc);
	it_expect_get(&viewer, path, 404, "the school: a document under another application");
	snprintf(path, sizeof path, "/school/applications/%lld/documents/%lld", app, doc);
	it_client_get(&b, path, &r);
	ck_assert_msg(r.status == 403 || r.status == 404, "a candidate on the school download: %ld",
		      r.status);
	it_resp_free(&r);
}
END_TEST

/* --- the periodic jobs --------------------------------------------------------------------- */

/* Reminder emails in the outbox to address. */
static long reminders_to(const char *address)
{
	const char *vals[1] = { address };
	char *v = it_psql_params("SELECT count(*) FROM outbox WHERE to_address = $1 AND subject = "
				 "'Your job application closes in less than 2 days'", 1, vals);
	long n = strtol(v, NULL, 10);

	free(v);
	return n;
}

START_TEST(reminder_sent_once)
{
	char email[128], other[128], personal[128], third[128], quiet[128], off[128], link[96];
	char *body;
	const char *vals[1] = { email };
	long long me, soon, later, app, app_later, app_personal, app_submitted, me2, app_quiet;
	long long app_off, id;
	long urn = it_school(44);
	PGconn *c = it_jobs_connect();

	me = candidate(NULL, email);
	me2 = candidate(NULL, other);
	it_unique_email(personal, sizeof personal, "personal");
	soon = it_vacancy_add(urn, "published", "closes_at", "=now() + interval '20 hours'",
			      (char *)NULL);
	later = it_vacancy_add(urn, "published", "closes_at", "=now() + interval '5 days'",
			       (char *)NULL);
	/* Drafts to a vacancy closing within 48 hours: reminded, at the account's address (never
	 * at one typed into the application). */
	app = it_application_add(soon, me, "draft", "Lovelace", "");
	app_personal = it_application_add(soon, me2, "draft", "Babbage", personal);
	/* Not due: closing later, or already submitted. */
	app_later = it_application_add(later, me, "draft", "Lovelace", email);
	app_submitted = it_application_add(soon, candidate(NULL, third), "submitted", "Hopper",
					   third);
	/* Nor to an account that turned the reminder off on /account, or that is disabled (it
	 * could not sign in to finish the draft). */
	id = candidate(NULL, quiet);
	it_psql_id_exec("UPDATE users SET email_opt_out = '{application_reminder}' WHERE id = $1",
			id);
	app_quiet = it_application_add(soon, id, "draft", "Quiet", quiet);
	id = candidate(NULL, off);
	it_psql_id_exec("UPDATE users SET disabled_at = now() WHERE id = $1", id);
	app_off = it_application_add(soon, id, "draft", "Off", off);

	ck_assert_msg(application_jobs_run_once(c) >= 0, "the job failed");
	ck_assert_msg(application_jobs_run_once(c) >= 0, "the job failed the second time");
	ck_assert_int_eq(reminders_to(email), 1);
	ck_assert_int_eq(reminders_to(personal), 0);
	ck_assert_int_eq(reminders_to(other), 1);
	ck_assert_int_eq(reminders_to(third), 0);
	ck_assert_int_eq(reminders_to(quiet), 0);
	ck_assert_int_eq(reminders_to(off), 0);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM applications WHERE id = $1 AND "
					 "reminder_sent_at IS NULL", app_quiet), 1);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM applications WHERE id = $1 AND "
					 "reminder_sent_at IS NULL", app_off), 1);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM applications WHERE id = $1 AND "
					 "reminder_sent_at IS NOT NULL", app), 1);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM applications WHERE id = $1 AND "
					 "reminder_sent_at IS NOT NULL", app_personal), 1);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM applications WHERE id = $1 AND "
					 "reminder_sent_at IS NULL", app_later), 1);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM applications WHERE id = $1 AND "
					 "reminder_sent_at IS NULL", app_submitted), 1);
	body = it_psql_params("SELECT body FROM outbox WHERE to_address = $1 AND subject LIKE "
			      "'Your job application closes%'", 1, vals);
	snprintf(link, sizeof link, "/account/applications/%lld", app);
	ck_assert_msg(strstr(body, link) != NULL && strstr(body, "Class teacher") != NULL,
		      "the reminder lacks the link or the vacancy: %s", body);
	free(body);
	it_jobs_disconnect(c);
}
END_TEST

/* A vacancy of urn closed `days` days ago (closed_at; closes_at a day before). With
 * closed_at_null, closed_at is NULL and closes_at `days` days ago. Returns the id. */
static long long closed_vacancy(long urn, int days, bool closed_at_null)
{
	char closes[96], closed[96];

	snprintf(closes, sizeof closes, "=now() - interval '%d days'", days + (closed_at_null ? 0 : 1));
	snprintf(closed, sizeof closed, "=now() - interval '%d days'", days);
	return it_vacancy_add(urn, "closed", "closes_at", closes, "closed_at",
			      closed_at_null ? NULL : closed, (char *)NULL);
}

/* Gives application id a document, a note, an interview, equal-opportunities answers and a
 * status_events row. */
static void application_extras(long long id)
{
	it_psql_id_exec("INSERT INTO application_documents (application_id, key, kind, filename, "
			"content_type, size, data) VALUES ($1, md5(random()::text) || 'k', 'cv', "
			"'cv.pdf', 'application/pdf', 3, '\\x414243')", id);
	it_psql_id_exec("INSERT INTO application_notes (application_id, body) VALUES "
			"($1, 'Strong')", id);
	it_psql_id_exec("INSERT INTO application_interviews (application_id, starts_at, place, "
			"uid) VALUES ($1, now(), 'Room 1', md5(random()::text))", id);
	it_psql_id_exec("INSERT INTO application_equal_opps VALUES ($1, 'no', '30_39', 'female', "
			"'no', 'heterosexual', 'white', 'none')", id);
	it_psql_id_exec("INSERT INTO status_events (entity, entity_id, from_status, to_status, "
			"event) VALUES ('application', $1, 'draft', 'submitted', 'submit')", id);
}

/* Whether application id still exists. */
static bool exists(long long id)
{
	return it_psql_id_long("SELECT count(*) FROM applications WHERE id = $1", id) == 1;
}

START_TEST(retention_deletes_what_is_due)
{
	long urn = it_school(45);
	long long old, recent, ancient, open_ended, gone[5], kept[3];
	long long c1, c2, c3, c4;
	char e[128];
	PGconn *c = it_jobs_connect();

	ck_assert_int_eq(app.cfg.retention_unsuccessful_days, 365);
	ck_assert_int_eq(app.cfg.retention_accepted_days, 2191);
	c1 = candidate(NULL, e);
	c2 = candidate(NULL, e);
	c3 = candidate(NULL, e);
	c4 = candidate(NULL, e);
	old = closed_vacancy(urn, 366, false);
	recent = closed_vacancy(urn, 300, false);
	ancient = closed_vacancy(urn, 2200, false);
	open_ended = closed_vacancy(urn, 400, true);

	gone[0] = it_application_add(old, c1, "draft", "One", "one@example.org");
	gone[1] = it_application_add(old, c2, "submitted", "Two", "two@example.org");
	gone[2] = it_application_add(old, c3, "unsuccessful", "Three", "three@example.org");
	gone[3] = it_application_add(ancient, c1, "accepted", "One", "one@example.org");
	gone[4] = it_application_add(open_ended, c1, "withdrawn", "One", "one@example.org");
	kept[0] = it_application_add(old, c4, "accepted", "Four", "four@example.org");
	kept[1] = it_application_add(recent, c1, "unsuccessful", "One", "one@example.org");
	kept[2] = it_application_add(recent, c2, "draft", "Two", "two@example.org");
	application_extras(gone[1]);
	application_extras(kept[0]);

	ck_assert_msg(application_jobs_run_once(c) >= 0, "the job failed");
	for (int i = 0; i < 5; i++)
		ck_assert_msg(!exists(gone[i]), "application %d (%lld) was kept", i, gone[i]);
	for (int i = 0; i < 3; i++)
		ck_assert_msg(exists(kept[i]), "application %d (%lld) was deleted", i, kept[i]);
	/* What belonged to a deleted one went with it; its history stays. */
	ck_assert_int_eq(it_psql_id_long("SELECT (SELECT count(*) FROM application_documents WHERE "
					 "application_id = $1) + (SELECT count(*) FROM "
					 "application_notes WHERE application_id = $1) + (SELECT "
					 "count(*) FROM application_interviews WHERE "
					 "application_id = $1) + (SELECT count(*) FROM "
					 "application_equal_opps WHERE application_id = $1)",
					 gone[1]), 0);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM status_events WHERE entity = "
					 "'application' AND entity_id = $1", gone[1]), 1);
	ck_assert_int_eq(it_psql_id_long("SELECT (SELECT count(*) FROM application_documents WHERE "
					 "application_id = $1) + (SELECT count(*) FROM "
					 "application_notes WHERE application_id = $1) + (SELECT "
					 "count(*) FROM application_interviews WHERE "
					 "application_id = $1) + (SELECT count(*) FROM "
					 "application_equal_opps WHERE application_id = $1)",
					 kept[0]), 4);
	/* A second run finds nothing more. */
	ck_assert_int_eq(application_jobs_run_once(c), 0);
	ck_assert_msg(exists(kept[0]) && exists(kept[1]) && exists(kept[2]), "a second run deleted "
		      "more");
	it_jobs_disconnect(c);
}
END_TEST

/* --- the user's own data ------------------------------------------------------------------- */

START_TEST(account_deletion)
{
	struct it_client c = { 0 }, again = { 0 };
	char email[128], *v, *form;
	long long me, vac, vac2, draft, sent, events_before;
	long urn = it_school(46);
	const char *vals[1] = { email };
	struct it_resp r;

	me = candidate(&c, email);
	vac = it_vacancy_add(urn, "published", (char *)NULL);
	vac2 = it_vacancy_add(urn, "published", (char *)NULL);
	draft = it_application_add(vac, me, "draft", "Lovelace", email);
	sent = it_application_add(vac2, me, "draft", "Lovelace", email);
	upload(&c, sent, "cv", "cv.pdf", IT_PDF, sizeof IT_PDF - 1, &r);
	it_expect_status(&r, 303, "uploading");
	it_resp_free(&r);
	submit(sent);
	it_psql_id_exec("INSERT INTO application_equal_opps VALUES ($1, 'no', '30_39', 'female', "
			"'no', 'heterosexual', 'white', 'none')", sent);
	it_psql_id_exec("INSERT INTO application_notes (application_id, body) VALUES "
			"($1, 'Strong')", sent);
	it_psql_id_exec("INSERT INTO candidate_profiles (user_id, data) VALUES ($1, "
			"'{\"personal\": {\"first_name\": \"Ada\"}}')", me);
	events_before = it_psql_id_long("SELECT count(*) FROM status_events WHERE entity = "
					"'application' AND entity_id = $1", sent);
	free(it_psql_params("INSERT INTO job_alerts (email, search, frequency) VALUES ($1, "
			    "'q=maths', 'daily')", 1, vals));
	it_psql_id_exec("INSERT INTO saved_vacancies (user_id, vacancy_id) SELECT $1, id FROM "
			"vacancies WHERE id IN (SELECT vacancy_id FROM applications WHERE "
			"candidate_id = $1)", me);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM saved_vacancies WHERE user_id = $1",
					 me), 2);

	/* The confirmation page says what will happen. */
	it_client_get(&c, "/account/delete", &r);
	it_expect_status(&r, 200, "the confirmation page");
	ck_assert_msg(strstr(r.body, "id=\"password\"") != NULL, "no password field");
	ck_assert_msg(strstr(r.body, "draft applications are deleted (1 now)") != NULL &&
		      strstr(r.body, "submitted (1 now)") != NULL, "the counts are not shown");
	it_resp_free(&r);
	/* The settings page links to it and to the export. */
	it_client_get(&c, "/account", &r);
	ck_assert_msg(strstr(r.body, "href=\"/account/delete\"") != NULL &&
		      strstr(r.body, "href=\"/account/data\"") != NULL &&
		      strstr(r.body, "href=\"/account/applications\"") != NULL &&
		      strstr(r.body, "href=\"/account/profile\"") != NULL,
		      "the settings page lacks the links");
	it_resp_free(&r);

	/* A blank or wrong password: 422 beside the field, nothing deleted. */
	it_client_post(&c, "/account/delete", "password=", &r);
	expect_refused(&r, "password", "Enter your password", "a blank password");
	it_resp_free(&r);
	it_client_post(&c, "/account/delete", "password=not-my-password-at-all", &r);
	expect_refused(&r, "password", "incorrect", "a wrong password");
	it_resp_free(&r);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM users WHERE id = $1", me), 1);
	ck_assert_msg(exists(draft), "a wrong password deleted the draft");

	form = it_form("password", PW, (char *)NULL);
	it_client_post(&c, "/account/delete", form, &r);
	free(form);
	it_expect_status(&r, 200, "deleting the account");
	ck_assert_msg(strstr(r.body, "Your account has been deleted") != NULL, "no confirmation");
	v = (char *)it_set_cookie(&r, "__Host-session");
	ck_assert_msg(v != NULL && strstr(v, "Max-Age=0") != NULL, "the session cookie is not "
		      "cleared: %s", v ? v : "(none)");
	it_resp_free(&r);

	/* The user, profile and draft are gone; the submitted application is anonymised. */
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM users WHERE id = $1", me), 0);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM candidate_profiles WHERE "
					 "user_id = $1", me), 0);
	v = it_psql_params("SELECT count(*) FROM job_alerts WHERE email = $1", 1, vals);
	ck_assert_msg(strcmp(v, "0") == 0, "the address's job alerts were kept");
	free(v);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM saved_vacancies WHERE user_id = $1",
					 me), 0);
	ck_assert_msg(!exists(draft), "the draft was kept");
	ck_assert_msg(exists(sent), "the submitted application was deleted");
	v = it_psql_id("SELECT status || '|' || (candidate_id IS NULL) || '|' || (anonymised_at IS "
		       "NOT NULL) || '|' || data::text FROM applications WHERE id = $1", sent);
	ck_assert_msg(strncmp(v, "submitted|true|true|", 20) == 0, "after deletion: %s", v);
	ck_assert_msg(strstr(v, "Lovelace") == NULL && strstr(v, email) == NULL &&
		      strstr(v, "High Street") == NULL && strstr(v, "Rita") == NULL &&
		      strstr(v, "teaching mathematics") == NULL,
		      "personal data left in the anonymised application: %s", v);
	free(v);
	ck_assert_int_eq(ndocs(sent), 0);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM application_equal_opps WHERE "
					 "application_id = $1", sent), 0);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM application_notes WHERE "
					 "application_id = $1", sent), 1);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM status_events WHERE entity = "
					 "'application' AND entity_id = $1", sent), events_before);
	/* The school's page still finds it, as a deleted candidate. */
	v = it_psql_params("SELECT count(*) FROM outbox WHERE to_address = $1 AND subject = "
			   "'Your Teaching in Thurrock account has been deleted'", 1, vals);
	ck_assert_msg(strcmp(v, "1") == 0, "account_deleted emails: %s", v);
	free(v);
	v = it_psql_params("SELECT count(*) FROM audit_log WHERE action = 'account.delete' AND "
			   "actor_email = $1 AND actor_id IS NULL", 1, vals);
	ck_assert_msg(strcmp(v, "1") == 0, "account.delete audit entries: %s", v);
	free(v);

	/* Candidate routes are for candidates alone: an admin is refused (403) the deletion, the
	 * profile and applying, and stays. */
	{
		struct it_client admin = { 0 };
		char admin_email[128];
		long long admin_id;

		it_unique_email(admin_email, sizeof admin_email, "admin");
		admin_id = it_user_add(admin_email, "Ann Admin", "admin", PW, 1);
		it_login(&admin, admin_email, PW);
		it_expect_get(&admin, "/account/delete", 403, "an admin's account deletion page");
		it_expect_get(&admin, "/account/profile", 403, "an admin's profile");
		it_expect_get(&admin, "/account/applications", 403, "an admin's applications");
		form = it_form("password", PW, (char *)NULL);
		it_client_post(&admin, "/account/delete", form, &r);
		free(form);
		it_expect_status(&r, 403, "an admin deleting their account");
		it_resp_free(&r);
		ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM users WHERE id = $1",
						 admin_id), 1);
	}

	/* The old cookie is useless and the user cannot sign in. */
	it_expect_get(&c, "/account", 303, "the deleted user's old session");
	it_client_get(&again, "/account/login", &r);
	it_resp_free(&r);
	form = it_form("email", email, "password", PW, "csrf_token", again.csrf, (char *)NULL);
	it_client_request(&again, "POST", "/account/login", form, NULL, &r);
	free(form);
	ck_assert_msg(r.status != 303 && it_client_cookie(&again, "__Host-session") == NULL,
		      "the deleted user signed in: status %ld", r.status);
	it_resp_free(&r);
}
END_TEST

START_TEST(data_export)
{
	struct it_client c = { 0 }, other = { 0 }, staff_c = { 0 };
	char email[128], other_email[128], disposition[96];
	const char *session, *cd;
	long long me, you, vac, app, app_other, staff_id;
	long urn = it_school(47);
	json_t *doc, *apps, *a;
	struct it_resp r;

	me = candidate(&c, email);
	you = candidate(&other, other_email);
	vac = it_vacancy_add(urn, "published", (char *)NULL);
	app = it_application_add(vac, me, "draft", "Lovelace", email);
	app_other = it_application_add(vac, you, "submitted", "Zzyzxotherperson", other_email);
	upload(&c, app, "cv", "Ada CV.pdf", IT_PDF, sizeof IT_PDF - 1, &r);
	it_expect_status(&r, 303, "uploading");
	it_resp_free(&r);
	submit(app);
	it_psql_id_exec("INSERT INTO application_equal_opps VALUES ($1, 'no', '30_39', 'female', "
			"'no', 'heterosexual', 'white', 'none')", app);
	it_psql_id_exec("INSERT INTO application_equal_opps VALUES ($1, 'yes', '50_59', 'male', "
			"'no', 'bisexual', 'asian', 'sikh')", app_other);
	it_psql_id_exec("INSERT INTO status_events (entity, entity_id, from_status, to_status, "
			"event) VALUES ('application', $1, 'draft', 'submitted', 'submit')", app);
	it_psql_id_exec("INSERT INTO application_notes (application_id, body) VALUES ($1, "
			"'Qqxnotesecret')", app);
	it_psql_id_exec("INSERT INTO candidate_profiles (user_id, data) VALUES ($1, "
			"'{\"personal\": {\"first_name\": \"Ada\", \"town\": "
			"\"Qqxprofiletown\"}}')", me);

	{
		const char *av[2] = { email, other_email };

		/* Job alerts of the address (in other letter case too), and someone else's. */
		free(it_psql_params("INSERT INTO job_alerts (email, search, frequency) VALUES "
				    "(upper($1), 'q=qqxalertsearch', 'weekly'), ($2, "
				    "'q=qqxotheralert', 'daily')", 2, av));
	}
	/* A saved job (saved as the vacancy page does), and someone else's. */
	{
		char path[64];

		it_psql_id_exec("UPDATE vacancies SET title = 'Qqxsavedjob teacher' WHERE id = $1",
				vac);
		snprintf(path, sizeof path, "/vacancies/%lld", vac);
		it_expect_get(&c, path, 200, "the vacancy page");
		snprintf(path, sizeof path, "/vacancies/%lld/save", vac);
		it_client_post(&c, path, "", &r);
		it_expect_redirect(&r, "/vacancies/", "saving the job");
		it_resp_free(&r);
		it_psql_id_exec("INSERT INTO saved_vacancies (user_id, vacancy_id) SELECT $1, "
				"vacancy_id FROM applications WHERE candidate_id = $1", you);
	}
	it_client_post(&c, "/account/emails", "emails=application_reminder", &r);
	it_expect_redirect(&r, "/account?done=emails", "turning a reminder off");
	it_resp_free(&r);
	it_client_get(&c, "/account/data", &r);
	it_expect_status(&r, 200, "the export");
	cd = it_header(&r, "Content-Disposition");
	snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"",
		 "teaching-in-thurrock-data.json");
	ck_assert_msg(cd != NULL && strcmp(cd, disposition) == 0, "Content-Disposition %s",
		      cd ? cd : "(none)");
	ck_assert_msg(it_header_has(&r, "Cache-Control", "no-store"), "the export may be cached");
	ck_assert_msg(it_header_has(&r, "Content-Type", "application/json"), "not JSON");
	doc = it_json(&r);

	/* Theirs: the account, profile, application with its documents' names and sizes, equal
	 * opportunities, status history, sessions and audit entries. */
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "account"),
							   "email")), email);
	ck_assert_msg(strstr(r.body, "Qqxprofiletown") != NULL, "the profile is missing");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(doc,
		"account"), "emails_turned_off"), 0)), "saved_job_closing");
	ck_assert_msg(json_is_array(json_object_get(json_object_get(doc, "account"),
						    "emails_turned_on")),
		      "the export does not say which emails the account turned on");
	apps = json_object_get(doc, "applications");
	ck_assert_int_eq(json_array_size(apps), 1);
	a = json_array_get(apps, 0);
	ck_assert_int_eq(json_integer_value(json_object_get(a, "id")), app);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(a, "data"),
				"personal"), "last_name")), "Lovelace");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
				json_object_get(a, "documents"), 0), "filename")), "Ada CV.pdf");
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(
				json_object_get(a, "documents"), 0), "size_bytes")),
			 (json_int_t)(sizeof IT_PDF - 1));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(a,
				"equal_opportunities"), "age_band")), "30_39");
	ck_assert_int_eq(json_array_size(json_object_get(a, "status_history")), 1);
	ck_assert_msg(json_array_size(json_object_get(doc, "sessions")) >= 1, "no sessions");
	ck_assert_msg(json_array_size(json_object_get(doc, "audit_log")) >= 1, "no audit entries");
	ck_assert_int_eq(json_array_size(json_object_get(doc, "job_alerts")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
				json_object_get(doc, "job_alerts"), 0), "search")), "q=qqxalertsearch");
	ck_assert_msg(strstr(r.body, "qqxotheralert") == NULL, "someone else's alert is exported");
	ck_assert_int_eq(json_array_size(json_object_get(doc, "saved_jobs")), 1);
	a = json_array_get(json_object_get(doc, "saved_jobs"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(a, "vacancy_id")), vac);
	ck_assert_str_eq(json_string_value(json_object_get(a, "title")), "Qqxsavedjob teacher");
	ck_assert_msg(json_is_string(json_object_get(a, "saved_at")), "no saved_at");

	/* Never hashes, tokens, the document's bytes, the school's notes, or anyone else's. */
	session = it_client_cookie(&c, "__Host-session");
	ck_assert_msg(session != NULL && strstr(r.body, session) == NULL, "the session token");
	ck_assert_msg(strstr(r.body, c.csrf) == NULL, "the CSRF token is in the export");
	ck_assert_msg(strstr(r.body, "$argon2") == NULL && strstr(r.body, "password_hash") == NULL,
		      "a password hash is in the export");
	ck_assert_msg(strstr(r.body, "token_hash") == NULL && strstr(r.body, "csrf") == NULL,
		      "a token is in the export");
	ck_assert_msg(strstr(r.body, "%PDF") == NULL && strstr(r.body, "JVBER") == NULL &&
		      strstr(r.body, "\\\\x2550") == NULL, "the document's bytes are in the export");
	ck_assert_msg(strstr(r.body, "Qqxnotesecret") == NULL, "the school's note is in the export");
	ck_assert_msg(strstr(r.body, "Zzyzxotherperson") == NULL &&
		      strstr(r.body, other_email) == NULL && strstr(r.body, "bisexual") == NULL,
		      "another candidate's data is in the export");
	json_decref(doc);
	it_resp_free(&r);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM audit_log WHERE action = 'export' "
					 "AND actor_id = $1 AND detail->>'what' = 'account_data'",
					 me), 1);

	/* Staff may export theirs too: no applications there, and of what they did to others
	 * only what and when. */
	staff_id = staff(&staff_c, urn, "viewer");
	it_psql_id_exec("INSERT INTO audit_log (actor_id, action, object_type, object_id, address, "
			"detail) SELECT $1, 'user.qqxaction', 'user', '999999', '192.0.2.7', "
			"'{\"email\": \"qqxinvitee@example.org\"}'", staff_id);
	it_client_get(&staff_c, "/account/data", &r);
	it_expect_status(&r, 200, "a staff member's export");
	doc = it_json(&r);
	ck_assert_int_eq(json_array_size(json_object_get(doc, "applications")), 0);
	ck_assert_int_eq(json_array_size(json_object_get(doc, "school_memberships")), 1);
	ck_assert_msg(strstr(r.body, "Lovelace") == NULL, "a candidate's data in staff's export");
	ck_assert_msg(strstr(r.body, "user.qqxaction") != NULL, "an entry by them is missing");
	ck_assert_msg(strstr(r.body, "qqxinvitee") == NULL && strstr(r.body, "999999") == NULL,
		      "what an entry says about someone else is in the export");
	json_decref(doc);
	it_resp_free(&r);
	/* A visitor: not signed in. */
	{
		struct it_client visitor = { 0 };

		it_client_get(&visitor, "/account/data", &r);
		ck_assert_msg(r.status == 303 || r.status == 401, "a visitor's export: %ld", r.status);
		it_resp_free(&r);
	}
}
END_TEST

static Suite *applications_data_suite(void)
{
	Suite *s = suite_create("applications_data");
	TCase *tc;

	tc = it_tcase("documents", 90, it_fixture_server);
	tcase_add_test(tc, documents_attach_replace_delete);
	tcase_add_test(tc, upload_attacks);
	tcase_add_test(tc, documents_access);
	suite_add_tcase(s, tc);

	tc = it_tcase("jobs", 60, it_fixture_server);
	tcase_add_test(tc, reminder_sent_once);
	tcase_add_test(tc, retention_deletes_what_is_due);
	suite_add_tcase(s, tc);

	tc = it_tcase("own_data", 60, it_fixture_server);
	tcase_add_test(tc, account_deletion);
	tcase_add_test(tc, data_export);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(applications_data_suite());
}
