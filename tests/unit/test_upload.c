/* test_upload.c - the one check of uploaded documents (core/upload.c): each refusal in its
 * order with its GOV.UK message (no file, an empty file, over the limit, not a PDF or DOCX by
 * its bytes, logged with the request id), and each acceptance (a PDF, one of exactly the limit,
 * a DOCX written by Python's zipfile) with its detected type. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "upload.h"

#define MIB ((size_t)1 << 20)

static const char pdf[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n";

static struct req r = { .id = "0123456789abcdef0123456789abcdef" };

/* A multipart file of field "document" named filename holding data[0..len). */
static struct multipart_file file(const char *filename, const char *data, size_t len)
{
	static char name[] = "document", type[] = "application/pdf";
	struct multipart_file f = { name, (char *)filename, type, data, len };

	return f;
}

/* Asserts that f is refused with refusal and message (which out->message must contain). */
static void refused(const struct multipart_file *f, size_t max, enum upload_refusal refusal,
		    const char *message)
{
	struct upload_result out;
	const char *got = upload_check(&r, f, max, &out);

	ck_assert_ptr_eq(got, out.message);
	ck_assert_int_eq(out.refusal, refusal);
	ck_assert_int_eq(out.type, FILETYPE_NONE);
	ck_assert_str_eq(out.message, message);
}

/* Asserts that f is accepted as type t. */
static void accepted(const struct multipart_file *f, size_t max, enum filetype t)
{
	struct upload_result out;

	ck_assert_ptr_null(upload_check(&r, f, max, &out));
	ck_assert_int_eq(out.refusal, UPLOAD_OK);
	ck_assert_int_eq(out.type, t);
	ck_assert_str_eq(out.message, "");
}

START_TEST(no_file_chosen)
{
	struct multipart_file f = file("", "", 0);

	refused(NULL, 5 * MIB, UPLOAD_MISSING, "Select a PDF or Word document to upload");
	/* A browser sends filename="" and no bytes when no file was chosen. */
	refused(&f, 5 * MIB, UPLOAD_MISSING, "Select a PDF or Word document to upload");
}
END_TEST

START_TEST(empty_file)
{
	struct multipart_file f = file("cv.pdf", "", 0);

	refused(&f, 5 * MIB, UPLOAD_EMPTY, "The selected file is empty");
}
END_TEST

/* The limit's size check runs before the content check, and the message names the limit. */
START_TEST(over_the_limit)
{
	char *big = malloc(10 * MIB + 1);
	struct multipart_file f;

	ck_assert_ptr_nonnull(big);
	memcpy(big, pdf, sizeof pdf - 1);
	memset(big + sizeof pdf - 1, ' ', 10 * MIB + 1 - (sizeof pdf - 1));
	f = file("cv.pdf", big, 5 * MIB + 1);
	refused(&f, 5 * MIB, UPLOAD_TOO_LARGE, "The selected file must be smaller than 5MB");
	f.len = 10 * MIB + 1;
	refused(&f, 10 * MIB, UPLOAD_TOO_LARGE, "The selected file must be smaller than 10MB");
	free(big);
}
END_TEST

/* Judged by the bytes, never by the name or the claimed type; the reason goes to the log with
 * the request id. */
START_TEST(not_a_pdf_or_docx)
{
	static const char html[] = "<!DOCTYPE html><script>alert(1)</script>\n%%EOF\n";
	char log[4096];
	struct multipart_file f = file("cv.pdf", html, sizeof html - 1);
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	size_t n;

	ck_assert_ptr_nonnull(tmp);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(dup2(fileno(tmp), STDERR_FILENO), 0);
	refused(&f, 5 * MIB, UPLOAD_WRONG_TYPE,
		"The selected file must be a PDF or Word document (DOCX)");
	ck_assert_int_ge(dup2(saved, STDERR_FILENO), 0);
	close(saved);
	rewind(tmp);
	n = fread(log, 1, sizeof log - 1, tmp);
	log[n] = '\0';
	fclose(tmp);
	ck_assert_msg(strstr(log, "\"upload refused\"") != NULL && strstr(log, r.id) != NULL &&
			      strstr(log, "not a PDF") != NULL,
		      "log: %s", log);
}
END_TEST

START_TEST(pdf_accepted)
{
	char *exact = malloc(MIB);
	struct multipart_file f = file("../cv.exe", pdf, sizeof pdf - 1);

	accepted(&f, 5 * MIB, FILETYPE_PDF);
	/* Exactly the limit is allowed. */
	ck_assert_ptr_nonnull(exact);
	memset(exact, ' ', MIB);
	memcpy(exact, pdf, sizeof pdf - 1 - 6);
	memcpy(exact + MIB - 6, "%%EOF\n", 6);
	f = file("cv.pdf", exact, MIB);
	accepted(&f, MIB, FILETYPE_PDF);
	free(exact);
}
END_TEST

/* A DOCX from an independent writer (Python's zipfile), read from the script's output. */
START_TEST(docx_accepted)
{
	static const char script[] =
		"import io, sys, zipfile\n"
		"b = io.BytesIO()\n"
		"z = zipfile.ZipFile(b, \"w\", zipfile.ZIP_DEFLATED)\n"
		"z.writestr(\"[Content_Types].xml\", '<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
		"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd."
		"openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>')\n"
		"z.writestr(\"word/document.xml\", '<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/"
		"main\"><w:body/></w:document>')\n"
		"z.close()\n"
		"sys.stdout.buffer.write(b.getvalue())\n";
	struct buf docx = { 0 };
	struct multipart_file f;
	char chunk[4096];
	size_t n;
	FILE *p;

	ck_assert_int_eq(setenv("UPLOAD_DOCX_PY", script, 1), 0);
	p = popen("/usr/bin/python3 -c \"$UPLOAD_DOCX_PY\"", "r");
	ck_assert_ptr_nonnull(p);
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_append(&docx, chunk, n);
	ck_assert_int_eq(pclose(p), 0);
	ck_assert(!buf_failed(&docx));
	f = file("letter.docx", docx.data, docx.len);
	accepted(&f, 5 * MIB, FILETYPE_DOCX);
	buf_free(&docx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("upload");
	TCase *tc = tcase_create("upload_check");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, no_file_chosen);
	tcase_add_test(tc, empty_file);
	tcase_add_test(tc, over_the_limit);
	tcase_add_test(tc, not_a_pdf_or_docx);
	tcase_add_test(tc, pdf_accepted);
	tcase_add_test(tc, docx_accepted);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
