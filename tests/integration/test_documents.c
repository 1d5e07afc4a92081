/* test_documents.c - a vacancy's supporting documents (issue 4, security.md's upload and
 * download cases): PDF and DOCX (the harness's, made byte by byte) are accepted; HTML or SVG
 * renamed .pdf, a GIF/PDF polyglot, PHP, a DOCX with a DOCTYPE (external entities), a zip
 * bomb, an empty file and an 11 MB file are refused with a clear message and nothing stored; a
 * body over max_upload_bytes gets 413; path-like, CRLF, quoted and non-ASCII file names are
 * stored and shown sanitised and give a safe Content-Disposition; downloads are attachments
 * with nosniff, a sandbox CSP and no-store (private once live); a draft's documents are not
 * public; another school's staff get 404 for upload, delete and download; a viewer cannot
 * upload; the upload needs the CSRF token; at most 10 documents.
 *
 * This file uses the schools 30 to 34 (in URN order). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness.h"

#define PW "Grays-thurrock-riverside-9"

/* --- files made for the tests -------------------------------------------------------------- */

static const char document_xxe[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "
	"\"file:///etc/passwd\">]>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/"
	"wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body>"
	"</w:document>";

/* --- uploads -------------------------------------------------------------------------------- */

/* Uploads data as filename (type claimed) to vacancy id with client c (its CSRF token).
 * Returns the status; the response in r. */
static long upload(struct it_client *c, long long id, const char *filename, const char *type,
		   const void *data, size_t len, struct it_resp *r)
{
	char path[96];
	size_t n;
	char *body = it_multipart(c->csrf, NULL, filename, strlen(filename), type, data, len, &n);

	snprintf(path, sizeof path, "/school/vacancies/%lld/documents", id);
	it_client_send(c, "POST", path, IT_MULTIPART_TYPE, body, n, NULL, r);
	free(body);
	return r->status;
}

/* --- people and vacancies -------------------------------------------------------------------- */

/* A new school_staff user with membership `role` of school urn, signed in on c, with a CSRF
 * token from the school dashboard. Returns the id. */
static long long staff(struct it_client *c, long urn, const char *role)
{
	char email[128];
	struct it_resp r;
	long long id;

	it_unique_email(email, sizeof email, "docs");
	id = it_user_add(email, "Doc Staff", "school_staff", PW, 1);
	it_membership_add(id, urn, role);
	it_login(c, email, PW);
	it_client_get(c, "/school", &r);
	it_resp_free(&r);
	return id;
}

/* Number of documents of vacancy id. */
static long ndocs(long long id)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM vacancy_documents WHERE vacancy_id = %lld",
		 id);
	return it_psql_long(sql);
}

/* A column of the newest document of vacancy id (caller frees). */
static char *doc_col(long long id, const char *col)
{
	char sql[192], *v;

	snprintf(sql, sizeof sql, "SELECT %s FROM vacancy_documents WHERE vacancy_id = %lld ORDER "
		 "BY id DESC LIMIT 1", col, id);
	v = it_psql(sql);
	ck_assert_msg(v != NULL, "vacancy %lld has no documents", id);
	return v;
}

/* The download path of the newest document of vacancy id into out (160 bytes). */
static const char *doc_url(long long id, char *out)
{
	char *key = doc_col(id, "key");

	snprintf(out, 160, "/vacancies/%lld/documents/%s", id, key);
	free(key);
	return out;
}

/* Fails unless r refused an upload: a 422 error page (it_expect_errors) that says needle and
 * whose summary links to the file input (#document), or to the documents section
 * (#documents) when no file may be added; the element linked to is on the page. */
static void expect_refused(struct it_resp *r, const char *needle, const char *what)
{
	const char *link;
	char id[64], *text;

	it_expect_errors(r, NULL, what);
	link = strstr(strstr(r->body, "govuk-error-summary"), "href=\"#");
	ck_assert_msg(link != NULL, "%s: the error summary has no link", what);
	snprintf(id, sizeof id, "id=\"%.*s\"", (int)strcspn(link + 7, "\""), link + 7);
	ck_assert_msg(strcmp(id, "id=\"document\"") == 0 || strcmp(id, "id=\"documents\"") == 0,
		      "%s: the error summary links to %s, not the file input or documents", what,
		      id);
	ck_assert_msg(strstr(r->body, id) != NULL, "%s: the error summary links to a missing %s",
		      what, id);
	text = it_html_decode(r->body);
	ck_assert_msg(strcasestr(text, needle) != NULL, "%s: the page does not say \"%s\"", what,
		      needle);
	free(text);
}

/* --- tests ----------------------------------------------------------------------------------- */

START_TEST(pdf_and_docx_accepted)
{
	struct it_client c = { 0 }, visitor = { 0 }, other = { 0 };
	long urn = it_school(30);
	long long id;
	char url[160], *v, *word;
	size_t wlen;
	struct it_resp r;

	staff(&c, urn, "hiring_manager");
	staff(&other, it_school(31), "hiring_manager");
	id = it_vacancy_add(urn, "draft", (char *)NULL);

	upload(&c, id, "Job description.pdf", "application/pdf", IT_PDF, sizeof IT_PDF - 1, &r);
	it_expect_status(&r, 303, "uploading a PDF");
	ck_assert_msg(it_location(&r) != NULL &&
		      strncmp(it_location(&r), "/school/vacancies/", 18) == 0,
		      "after uploading, redirect to %s", it_location(&r));
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(id), 1);
	v = doc_col(id, "filename || '|' || content_type || '|' || size");
	snprintf(url, sizeof url, "Job description.pdf|application/pdf|%zu", sizeof IT_PDF - 1);
	ck_assert_msg(strcmp(v, url) == 0, "stored: %s, want %s", v, url);
	free(v);

	/* The school sees it on the summary page; its staff may download the draft's document. */
	snprintf(url, sizeof url, "/school/vacancies/%lld", id);
	it_client_get(&c, url, &r);
	it_expect_status(&r, 200, "the summary");
	ck_assert_msg(strstr(r.body, "Job description.pdf") != NULL, "the summary does not list "
		      "the document");
	it_resp_free(&r);
	doc_url(id, url);
	it_client_get(&c, url, &r);
	it_expect_download(&r, "application/pdf", "no-store", IT_PDF, sizeof IT_PDF - 1,
			   "staff downloading a draft's PDF");
	it_resp_free(&r);

	/* Not the public, nor another school, while it is a draft. */
	it_client_get(&visitor, url, &r);
	it_expect_status(&r, 404, "a visitor downloading a draft's document");
	it_resp_free(&r);
	it_client_get(&other, url, &r);
	it_expect_status(&r, 404, "another school downloading a draft's document");
	it_resp_free(&r);

	/* A DOCX, built here. */
	word = it_docx(NULL, NULL, NULL, 0, false, &wlen);
	upload(&c, id, "Person specification.docx", "application/octet-stream", word, wlen, &r);
	it_expect_status(&r, 303, "uploading a DOCX");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(id), 2);
	v = doc_col(id, "filename || '|' || content_type");
	ck_assert_msg(strcmp(v, "Person specification.docx|" IT_DOCX_TYPE) == 0, "stored: %s", v);
	free(v);

	/* Once live, anyone may download them, as attachments. */
	snprintf(url, sizeof url, "UPDATE vacancies SET status = 'published', publish_at = now(), "
		 "published_at = now(), closes_at = now() + interval '20 days' WHERE id = %lld", id);
	free(it_psql(url));
	doc_url(id, url);
	it_client_get(&visitor, url, &r);
	it_expect_download(&r, IT_DOCX_TYPE, "private", word, wlen,
			   "a visitor downloading a live vacancy's DOCX");
	ck_assert_msg(it_header_has(&r, "Content-Disposition", "Person specification.docx") ||
		      it_header_has(&r, "Content-Disposition", "Person%20specification.docx"),
		      "the download is not named after the file");
	it_resp_free(&r);
	free(word);

	/* The public page lists them. */
	snprintf(url, sizeof url, "/vacancies/%lld", id);
	it_client_get(&visitor, url, &r);
	it_expect_status(&r, 200, "the public page");
	ck_assert_msg(strstr(r.body, "Job description.pdf") != NULL &&
		      strstr(r.body, "Person specification.docx") != NULL,
		      "the public page does not list the documents");
	it_resp_free(&r);

	/* Unknown keys, keys under another vacancy, malformed keys: 404. */
	doc_url(id, url);
	{
		char bad[200];
		long long other_id = it_vacancy_add(urn, "published", (char *)NULL);

		snprintf(bad, sizeof bad, "/vacancies/%lld/documents/%s", other_id, strrchr(url, '/') + 1);
		it_client_get(&visitor, bad, &r);
		it_expect_status(&r, 404, "a document's key under another vacancy");
		it_resp_free(&r);
		snprintf(bad, sizeof bad, "/vacancies/%lld/documents/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
			 id);
		it_client_get(&visitor, bad, &r);
		it_expect_status(&r, 404, "an unknown key");
		it_resp_free(&r);
		snprintf(bad, sizeof bad, "/vacancies/%lld/documents/..%%2F..%%2Fetc%%2Fpasswd", id);
		it_client_get(&visitor, bad, &r);
		it_expect_status(&r, 404, "a path as key");
		it_resp_free(&r);
	}
}
END_TEST

START_TEST(disguised_files_refused)
{
	struct it_client c = { 0 };
	long urn = it_school(30);
	long long id;
	char *word, *xxe, *bomb, *zeros, *macro;
	size_t wlen, xlen, blen, mlen;
	struct it_resp r;
	static const char html[] = "<!DOCTYPE html><html><body><script>alert(document.cookie)"
				   "</script></body></html>\n";
	static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)"
				  "</script></svg>\n";
	static const char gifpdf[] = "GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00"
				     "!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01"
				     "\x00\x00\x02\x02\x44\x01\x00;\n%PDF-1.4\n1 0 obj<<>>endobj\n"
				     "trailer<<>>\n%%EOF\n";
	static const char pdfhtml[] = "%PDF-1.4\n<html><body><script>alert(1)</script></body>"
				      "</html>\n%%EOF\n";
	static const char php[] = "<?php system($_GET['c']); ?>\n";

	staff(&c, urn, "hiring_manager");
	id = it_vacancy_add(urn, "draft", (char *)NULL);
	zeros = calloc(1, 2u << 20);
	ck_assert_ptr_nonnull(zeros);
	xxe = it_docx(document_xxe, NULL, NULL, 0, false, &xlen);
	bomb = it_docx(NULL, "word/media/padding.bin", zeros, 2u << 20, true, &blen);
	macro = it_docx(NULL, "word/vbaProject.bin", "macro", 5, false, &mlen);
	word = it_docx(NULL, NULL, NULL, 0, false, &wlen);

	const struct {
		const char *name;
		const char *type;
		const char *data;
		size_t len;
		const char *what;
	} bad[] = {
		{ "cv.pdf", "application/pdf", html, sizeof html - 1, "HTML renamed .pdf" },
		{ "cv.pdf", "application/pdf", svg, sizeof svg - 1, "SVG renamed .pdf" },
		{ "cv.pdf", "application/pdf", gifpdf, sizeof gifpdf - 1, "a GIF/PDF polyglot" },
		{ "cv.pdf", "application/pdf", pdfhtml, sizeof pdfhtml - 1, "a PDF/HTML polyglot" },
		{ "shell.php.pdf", "application/pdf", php, sizeof php - 1, "PHP named x.php.pdf" },
		{ "shell.php", "application/x-php", php, sizeof php - 1, "a .php file" },
		{ "cv.docx", IT_DOCX_TYPE, xxe, xlen, "a DOCX with external entities" },
		{ "cv.docx", IT_DOCX_TYPE, bomb, blen, "a zip bomb DOCX" },
		{ "cv.docx", IT_DOCX_TYPE, macro, mlen, "a DOCX with macros" },
		{ "cv.docx", IT_DOCX_TYPE, word, wlen / 2, "a truncated DOCX" },
		{ "cv.pdf", "application/pdf", IT_PDF, 9, "a PDF without its end" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		upload(&c, id, bad[i].name, bad[i].type, bad[i].data, bad[i].len, &r);
		expect_refused(&r, "must be a PDF or Word document", bad[i].what);
		it_resp_free(&r);
		ck_assert_msg(ndocs(id) == 0, "%s was stored", bad[i].what);
	}

	/* No file chosen, an empty file. */
	upload(&c, id, "", "application/octet-stream", "", 0, &r);
	expect_refused(&r, "Select a PDF or Word document", "no file chosen");
	it_resp_free(&r);
	upload(&c, id, "empty.pdf", "application/pdf", "", 0, &r);
	expect_refused(&r, "empty", "an empty file");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(id), 0);

	/* A real PDF named .php is fine: stored as a PDF, named .pdf. */
	upload(&c, id, "shell.php", "application/x-php", IT_PDF, sizeof IT_PDF - 1, &r);
	it_expect_status(&r, 303, "a PDF named shell.php");
	it_resp_free(&r);
	{
		char *v = doc_col(id, "filename || '|' || content_type");

		ck_assert_msg(strcmp(v, "shell.php.pdf|application/pdf") == 0, "stored as %s", v);
		free(v);
	}
	free(zeros);
	free(xxe);
	free(bomb);
	free(macro);
	free(word);
}
END_TEST

START_TEST(size_limits)
{
	struct it_client c = { 0 };
	long urn = it_school(31);
	long long id;
	size_t big = 11000000, huge = 12u << 20;
	char *data;
	struct it_resp r;

	staff(&c, urn, "hiring_manager");
	id = it_vacancy_add(urn, "draft", (char *)NULL);

	/* 11 MB: under the body limit (11 MiB), over the file limit (10 MB): a clear message. */
	data = malloc(huge);
	ck_assert_ptr_nonnull(data);
	memset(data, ' ', huge);
	memcpy(data, "%PDF-1.4\n", 9);
	memcpy(data + big - 6, "%%EOF\n", 6);
	upload(&c, id, "big.pdf", "application/pdf", data, big, &r);
	expect_refused(&r, "10MB", "an 11 MB file");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(id), 0);

	/* 10 MB exactly is allowed. */
	memcpy(data + 10485760 - 6, "%%EOF\n", 6);
	upload(&c, id, "ten.pdf", "application/pdf", data, 10485760, &r);
	it_expect_status(&r, 303, "a 10 MB file");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(id), 1);

	/* A body over max_upload_bytes: 413, nothing stored, the server still answers. */
	memcpy(data + huge - 6, "%%EOF\n", 6);
	upload(&c, id, "huge.pdf", "application/pdf", data, huge, &r);
	it_expect_status(&r, 413, "a 12 MiB upload");
	/* Said to the person still signed in, with what to do. */
	ck_assert_msg(strstr(r.body, "too large to upload") != NULL &&
		      strstr(r.body, "up to 10 MB") != NULL && strstr(r.body, "Sign out") != NULL,
		      "the 413 page of an upload does not say what to do to a signed-in person");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(id), 1);
	free(data);
	it_get("/healthz", &r);
	it_expect_status(&r, 200, "after a 413");
	it_resp_free(&r);
}
END_TEST

START_TEST(small_upload_limit_413)
{
	static const char *const env[] = { "PORTAL_MAX_UPLOAD_BYTES=65536", NULL };
	struct it_client c = { 0 };
	long urn = it_school(31);
	long long id;
	char *data = malloc(100000);
	struct it_resp r;

	ck_assert_ptr_nonnull(data);
	memset(data, ' ', 100000);
	memcpy(data, "%PDF-1.4\n", 9);
	memcpy(data + 100000 - 6, "%%EOF\n", 6);
	it_server_start(env);
	staff(&c, urn, "hiring_manager");
	id = it_vacancy_add(urn, "draft", (char *)NULL);
	upload(&c, id, "big.pdf", "application/pdf", data, 100000, &r);
	it_expect_status(&r, 413, "a 100 kB upload over a 64 KiB max_upload_bytes");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(id), 0);
	upload(&c, id, "small.pdf", "application/pdf", IT_PDF, sizeof IT_PDF - 1, &r);
	it_expect_status(&r, 303, "a small upload under a 64 KiB max_upload_bytes");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(id), 1);
	ck_assert_int_eq(it_server_stop(), 0);
	free(data);
}
END_TEST

START_TEST(file_names_harmless)
{
	struct it_client c = { 0 }, visitor = { 0 };
	long urn = it_school(32);
	long long id;
	char url[160], page[96], *v, *text;
	struct it_resp r;
	const char *cd;
	const struct {
		const char *sent;     /* between the quotes of filename="..." */
		const char *stored;
	} names[] = {
		{ "../../etc/passwd", "passwd.pdf" },
		{ "..\\..\\windows\\win.ini", "win.ini.pdf" },
		{ "/var/www/../../shadow.pdf", "shadow.pdf" },
		{ "report%0D%0ASet-Cookie: evil=1.pdf", NULL },
		{ "a%22; filename=evil.html", NULL },
		{ "<script>alert(1)<%2Fscript>.pdf", NULL },
		{ "cv\xe2\x80\xae" "fdp.exe", NULL },
		{ "Stellenbeschreibung f\xc3\xbcr Lehrkr\xc3\xa4" "fte.pdf",
		  "Stellenbeschreibung f\xc3\xbcr Lehrkr\xc3\xa4" "fte.pdf" },
		{ "\t ...pdf", NULL },
	};

	staff(&c, urn, "hiring_manager");
	id = it_vacancy_add(urn, "published", (char *)NULL);
	snprintf(page, sizeof page, "/school/vacancies/%lld", id);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		upload(&c, id, names[i].sent, "application/pdf", IT_PDF, sizeof IT_PDF - 1, &r);
		ck_assert_msg(r.status == 303, "uploading as \"%s\": status %ld; %.300s",
			      names[i].sent, r.status, r.body);
		it_resp_free(&r);
		v = doc_col(id, "filename");
		if (names[i].stored != NULL)
			ck_assert_msg(strcmp(v, names[i].stored) == 0, "\"%s\" stored as \"%s\", want "
				      "\"%s\"", names[i].sent, v, names[i].stored);
		ck_assert_msg(strchr(v, '/') == NULL && strchr(v, '\\') == NULL &&
			      strchr(v, '\r') == NULL && strchr(v, '\n') == NULL &&
			      strchr(v, '"') == NULL && strstr(v, "..") != v &&
			      strstr(v, "\xe2\x80\xae") == NULL, "\"%s\" stored as \"%s\"",
			      names[i].sent, v);
		ck_assert_msg(strlen(v) > 4 && strcmp(v + strlen(v) - 4, ".pdf") == 0,
			      "\"%s\" stored as \"%s\", not ending .pdf", names[i].sent, v);
		free(v);

		doc_url(id, url);
		it_client_get(&visitor, url, &r);
		it_expect_download(&r, "application/pdf", "private", IT_PDF, sizeof IT_PDF - 1,
				   names[i].sent);
		ck_assert_msg(!it_header_has(&r, "Set-Cookie", "evil"),
			      "%s: a header was smuggled in through the file name", names[i].sent);
		cd = it_header(&r, "Content-Disposition");
		{
			/* The plain filename= is one quoted string of printable ASCII. */
			const char *f = strstr(cd, "filename=\"");

			ck_assert_msg(f != NULL, "no filename= in %s", cd);
			for (f += 10; *f != '"' && *f != '\0'; f++)
				ck_assert_msg(*f >= 0x20 && *f < 0x7f && *f != '\\',
					      "a raw byte 0x%02x in Content-Disposition %s",
					      (unsigned char)*f, cd);
			ck_assert_msg(*f == '"', "an unterminated filename in %s", cd);
		}
		it_resp_free(&r);
	}
	/* A non-ASCII name is given to browsers in full (RFC 8187). */
	{
		char sql[200];

		snprintf(sql, sizeof sql, "SELECT key FROM vacancy_documents WHERE vacancy_id = %lld "
			 "AND filename LIKE 'Stellen%%'", id);
		v = it_psql(sql);
		snprintf(url, sizeof url, "/vacancies/%lld/documents/%s", id, v);
		free(v);
		it_client_get(&visitor, url, &r);
		ck_assert_msg(it_header_has(&r, "Content-Disposition",
					    "filename*=UTF-8''Stellenbeschreibung%20f%C3%BCr"),
			      "no RFC 8187 filename* for a non-ASCII name: %s",
			      it_header(&r, "Content-Disposition"));
		it_resp_free(&r);
	}

	/* The names are shown escaped, never as markup. */
	it_client_get(&c, page, &r);
	it_expect_status(&r, 200, "the summary with odd file names");
	ck_assert_msg(strstr(r.body, "<script>alert(1)") == NULL, "a file name is shown as markup");
	text = it_html_decode(r.body);
	ck_assert_msg(strstr(text, "passwd.pdf") != NULL, "the summary does not show passwd.pdf");
	ck_assert_msg(strstr(text, "../") == NULL || strstr(text, "../../etc") == NULL,
		      "the summary shows a path");
	free(text);
	it_resp_free(&r);
	snprintf(page, sizeof page, "/vacancies/%lld", id);
	it_get(page, &r);
	it_expect_status(&r, 200, "the public page with odd file names");
	ck_assert_msg(strstr(r.body, "<script>alert(1)") == NULL, "a file name is markup in public");
	it_resp_free(&r);

	/* A raw CR LF or NUL in the part's headers is malformed: refused whole, nothing stored. */
	{
		long before = ndocs(id);
		static const char *const raw[] = { "a\r\nSet-Cookie: evil=1.pdf", NULL };

		upload(&c, id, raw[0], "application/pdf", IT_PDF, sizeof IT_PDF - 1, &r);
		ck_assert_msg(r.status == 400 || r.status == 303, "a raw CR LF in the file name: "
			      "status %ld", r.status);
		ck_assert_msg(!it_header_has(&r, "Set-Cookie", "evil"), "a header was smuggled in");
		it_resp_free(&r);
		if (ndocs(id) > before) {
			v = doc_col(id, "filename");
			ck_assert_msg(strchr(v, '\r') == NULL && strchr(v, '\n') == NULL,
				      "stored with a line break: %s", v);
			free(v);
		}
	}
}
END_TEST

START_TEST(tenancy_and_roles)
{
	struct it_client a = { 0 }, b = { 0 }, viewer = { 0 }, visitor = { 0 };
	long urn_a = it_school(33), urn_b = it_school(34);
	long long draft, docid;
	char url[160], path[160];
	struct it_resp r;
	size_t n;
	char *body;

	staff(&a, urn_a, "hiring_manager");
	staff(&b, urn_b, "hiring_manager");
	staff(&viewer, urn_a, "viewer");
	draft = it_vacancy_add(urn_a, "draft", (char *)NULL);
	upload(&a, draft, "Secret.pdf", "application/pdf", IT_PDF, sizeof IT_PDF - 1, &r);
	it_expect_status(&r, 303, "uploading to one's own draft");
	it_resp_free(&r);
	doc_url(draft, url);
	body = doc_col(draft, "id");
	docid = strtoll(body, NULL, 10);
	free(body);

	/* Another school's hiring manager: 404 for upload, delete and download. */
	upload(&b, draft, "Intruder.pdf", "application/pdf", IT_PDF, sizeof IT_PDF - 1, &r);
	it_expect_status(&r, 404, "another school uploading");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/school/vacancies/%lld/documents/%lld/delete", draft, docid);
	it_client_post(&b, path, "", &r);
	it_expect_status(&r, 404, "another school deleting");
	it_resp_free(&r);
	it_client_get(&b, url, &r);
	it_expect_status(&r, 404, "another school downloading a draft's document");
	it_resp_free(&r);
	it_client_get(&visitor, url, &r);
	it_expect_status(&r, 404, "a visitor downloading a draft's document");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(draft), 1);

	/* A viewer of the school may read but not change. */
	it_client_get(&viewer, url, &r);
	it_expect_status(&r, 200, "a viewer downloading the school's draft document");
	it_resp_free(&r);
	upload(&viewer, draft, "Viewer.pdf", "application/pdf", IT_PDF, sizeof IT_PDF - 1, &r);
	it_expect_status(&r, 403, "a viewer uploading");
	it_resp_free(&r);
	it_client_post(&viewer, path, "", &r);
	it_expect_status(&r, 403, "a viewer deleting");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(draft), 1);

	/* Without the CSRF token, or with another session's: refused, nothing stored. */
	body = it_multipart(NULL, NULL, "NoToken.pdf", strlen("NoToken.pdf"), "application/pdf",
			    IT_PDF, sizeof IT_PDF - 1, &n);
	snprintf(path, sizeof path, "/school/vacancies/%lld/documents", draft);
	it_client_send(&a, "POST", path, IT_MULTIPART_TYPE, body, n, NULL, &r);
	it_expect_status(&r, 403, "an upload without the CSRF token");
	it_resp_free(&r);
	free(body);
	body = it_multipart(b.csrf, NULL, "WrongToken.pdf", strlen("WrongToken.pdf"),
			    "application/pdf", IT_PDF, sizeof IT_PDF - 1, &n);
	it_client_send(&a, "POST", path, IT_MULTIPART_TYPE, body, n, NULL, &r);
	it_expect_status(&r, 403, "an upload with another session's CSRF token");
	it_resp_free(&r);
	free(body);
	ck_assert_int_eq(ndocs(draft), 1);

	/* Malformed multipart bodies: 400, nothing stored. */
	{
		static const char *const broken[] = {
			"--" IT_BOUNDARY "\r\nContent-Disposition: form-data; name=\"document\"; "
			"filename=\"a.pdf\"\r\n\r\n%PDF-1.4\n%%EOF\n",
			"no boundary at all",
			"--" IT_BOUNDARY "\r\nContent-Disposition: form-data; name=\"document\"; "
			"filename=\"a\0.pdf\"\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--" IT_BOUNDARY "--\r\n",
			NULL,
		};
		static const size_t lens[] = { 0, 0, 120 };

		for (size_t i = 0; broken[i] != NULL; i++) {
			size_t len = lens[i] ? lens[i] : strlen(broken[i]);

			it_client_send(&a, "POST", path, IT_MULTIPART_TYPE, broken[i], len, NULL,
				       &r);
			ck_assert_msg(r.status == 400 || r.status == 403, "malformed body %zu: status "
				      "%ld", i, r.status);
			it_resp_free(&r);
		}
		ck_assert_int_eq(ndocs(draft), 1);
	}

	/* The owner deletes it. */
	snprintf(path, sizeof path, "/school/vacancies/%lld/documents/%lld/delete", draft, docid);
	it_client_post(&a, path, "", &r);
	it_expect_status(&r, 303, "deleting one's own document");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(draft), 0);
	it_client_get(&a, url, &r);
	it_expect_status(&r, 404, "a deleted document");
	it_resp_free(&r);
}
END_TEST

START_TEST(live_and_closed_vacancies)
{
	struct it_client c = { 0 };
	long urn = it_school(34);
	long long live, closed;
	char sql[160], *v;
	struct it_resp r;
	long long uid;

	uid = staff(&c, urn, "hiring_manager");
	live = it_vacancy_add(urn, "published", (char *)NULL);
	closed = it_vacancy_add(urn, "closed", (char *)NULL);

	/* Changing a live vacancy's documents is recorded as an edit. */
	upload(&c, live, "Added later.pdf", "application/pdf", IT_PDF, sizeof IT_PDF - 1, &r);
	it_expect_status(&r, 303, "uploading to a live vacancy");
	it_resp_free(&r);
	snprintf(sql, sizeof sql, "SELECT actor_id || '|' || ('documents' = ANY (fields)) FROM "
		 "vacancy_edits WHERE vacancy_id = %lld ORDER BY id DESC LIMIT 1", live);
	v = it_psql(sql);
	snprintf(sql, sizeof sql, "%lld|true", uid);
	ck_assert_msg(v != NULL && strcmp(v, sql) == 0, "the upload to a live vacancy was not "
		      "recorded as an edit: %s", v ? v : "(none)");
	free(v);

	/* A closed vacancy's documents cannot change. */
	upload(&c, closed, "Too late.pdf", "application/pdf", IT_PDF, sizeof IT_PDF - 1, &r);
	ck_assert_msg(r.status == 422 || r.status == 409, "uploading to a closed vacancy: status "
		      "%ld", r.status);
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(closed), 0);

	/* At most 10 documents. */
	for (int i = ndocs(live); i < 10; i++) {
		upload(&c, live, "More.pdf", "application/pdf", IT_PDF, sizeof IT_PDF - 1, &r);
		it_expect_status(&r, 303, "uploading up to 10 documents");
		it_resp_free(&r);
	}
	upload(&c, live, "Eleventh.pdf", "application/pdf", IT_PDF, sizeof IT_PDF - 1, &r);
	expect_refused(&r, "up to 10", "an eleventh document");
	it_resp_free(&r);
	ck_assert_int_eq(ndocs(live), 10);
}
END_TEST

static Suite *documents_suite(void)
{
	Suite *s = suite_create("documents");
	TCase *tc;

	tc = it_tcase("types", 60, it_fixture_server);
	tcase_add_test(tc, pdf_and_docx_accepted);
	tcase_add_test(tc, disguised_files_refused);
	suite_add_tcase(s, tc);

	tc = it_tcase("sizes", 90, it_fixture_server);
	tcase_add_test(tc, size_limits);
	tcase_add_test(tc, small_upload_limit_413);
	suite_add_tcase(s, tc);

	tc = it_tcase("names", 60, it_fixture_server);
	tcase_add_test(tc, file_names_harmless);
	suite_add_tcase(s, tc);

	tc = it_tcase("access", 60, it_fixture_server);
	tcase_add_test(tc, tenancy_and_roles);
	tcase_add_test(tc, live_and_closed_vacancies);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(documents_suite());
}
