/* test_multipart.c - multipart/form-data parsing (core/multipart.c): the well-formed shapes
 * browsers and curl send, and the malformed, oversized and hostile ones, which must be refused
 * whole. Ends with a mutation fuzz loop (run it under SANITIZE=1). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "multipart.h"

#define CT "multipart/form-data; boundary=XyZ"

static struct kvlist fields;
static struct multipart_file *files;
static size_t nfiles;

static void teardown(void)
{
	kv_free(&fields);
	multipart_files_free(files, nfiles);
	files = NULL;
	nfiles = 0;
}

/* Parses body[0..len) with content type ct into the globals (cleared first). */
static int parse_n(const char *ct, const char *body, size_t len)
{
	teardown();
	return multipart_parse(body, len, ct, &fields, &files, &nfiles);
}

static int parse(const char *ct, const char *body)
{
	return parse_n(ct, body, strlen(body));
}

/* A well-formed body of one text field and one file, as a browser sends it. */
static const char normal[] =
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"csrf_token\"\r\n"
	"\r\n"
	"tok123\r\n"
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"document\"; filename=\"cv.pdf\"\r\n"
	"Content-Type: application/pdf\r\n"
	"\r\n"
	"%PDF-1.4 data\r\nwith lines\r\n"
	"--XyZ--\r\n";

START_TEST(normal_body)
{
	ck_assert_int_eq(parse(CT, normal), 0);
	ck_assert_uint_eq(fields.len, 1);
	ck_assert_str_eq(kv_get(&fields, "csrf_token"), "tok123");
	ck_assert_uint_eq(nfiles, 1);
	ck_assert_str_eq(files[0].name, "document");
	ck_assert_str_eq(files[0].filename, "cv.pdf");
	ck_assert_str_eq(files[0].content_type, "application/pdf");
	ck_assert_uint_eq(files[0].len, strlen("%PDF-1.4 data\r\nwith lines"));
	ck_assert(memcmp(files[0].data, "%PDF-1.4 data\r\nwith lines", files[0].len) == 0);
	ck_assert_ptr_eq(multipart_file_get(files, nfiles, "document"), &files[0]);
	ck_assert_ptr_null(multipart_file_get(files, nfiles, "other"));
}
END_TEST

START_TEST(content_type_forms)
{
	ck_assert(multipart_is("multipart/form-data; boundary=a"));
	ck_assert(multipart_is("Multipart/Form-Data;boundary=a"));
	ck_assert(multipart_is("multipart/form-data"));
	ck_assert(!multipart_is("multipart/form-datax; boundary=a"));
	ck_assert(!multipart_is("multipart/mixed; boundary=a"));
	ck_assert(!multipart_is("application/x-www-form-urlencoded"));
	ck_assert(!multipart_is(NULL));

	ck_assert_int_eq(parse("multipart/form-data; boundary=\"XyZ\"", normal), 0);
	ck_assert_int_eq(parse("MULTIPART/FORM-DATA; charset=utf-8; BOUNDARY=XyZ", normal), 0);
	ck_assert_int_eq(parse("multipart/form-data ; boundary = XyZ ", normal), 0);
	ck_assert_uint_eq(nfiles, 1);
}
END_TEST

START_TEST(quoted_boundary_with_specials)
{
	static const char body[] =
		"--a b:c?=(x)\r\n"
		"Content-Disposition: form-data; name=\"f\"\r\n\r\nv\r\n"
		"--a b:c?=(x)--";

	ck_assert_int_eq(parse("multipart/form-data; boundary=\"a b:c?=(x)\"", body), 0);
	ck_assert_str_eq(kv_get(&fields, "f"), "v");
}
END_TEST

START_TEST(bad_content_types)
{
	static const char *const bad[] = {
		NULL,
		"text/plain; boundary=XyZ",
		"multipart/form-data",
		"multipart/form-data; boundary=",
		"multipart/form-data; boundary=\"\"",
		"multipart/form-data; boundary=\"XyZ",
		"multipart/form-data; boundary=XyZ; boundary=XyZ",
		"multipart/form-data; boundary=\"trailing \"",
		"multipart/form-data; boundary=\"bad\\\"quote\"",
		"multipart/form-data; boundary=\"semi;colon\"",
		"multipart/form-data; boundary=XyZ garbage",
		"multipart/form-data; =XyZ",
		"multipart/form-data; boundary",
		"multipart/form-data boundary=XyZ",
		"multipart/form-data; boundary=01234567890123456789012345678901234567890123456789"
		"012345678901234567890",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(parse(bad[i], normal) == -1, "accepted %s", bad[i] ? bad[i] : "NULL");
	ck_assert_uint_eq(fields.len, 0);
	ck_assert_ptr_null(files);
	ck_assert_uint_eq(nfiles, 0);
}
END_TEST

START_TEST(longest_boundary)
{
	char ct[160], body[400];
	const char *b = "0123456789012345678901234567890123456789012345678901234567890123456789";

	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", b);
	snprintf(body, sizeof body,
		 "--%s\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--%s--", b, b);
	ck_assert_uint_eq(strlen(b), 70);
	ck_assert_int_eq(parse(ct, body), 0);
	ck_assert_str_eq(kv_get(&fields, "a"), "1");
}
END_TEST

START_TEST(crlf_variations)
{
	/* Transport padding after a delimiter, and no CRLF after the close delimiter. */
	ck_assert_int_eq(parse(CT, "--XyZ \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
				   "1\r\n--XyZ--"), 0);
	ck_assert_str_eq(kv_get(&fields, "a"), "1");
	/* Bare LF line ends are not multipart. */
	ck_assert_int_eq(parse(CT, "--XyZ\nContent-Disposition: form-data; name=\"a\"\n\n1\n--XyZ--\n"),
			 -1);
	/* A bare CR inside a header line. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data;\r name=\"a\"\r\n\r\n"
				   "1\r\n--XyZ--"), -1);
	/* LF-only blank line after the headers. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\n"
				   "1\r\n--XyZ--"), -1);
	/* Header folding (obsolete line folding) is refused. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\n"
				   "1\r\n--XyZ--"), -1);
	/* An empty value, and a value that is only CRLF. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
				   "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n"
				   "\r\n\r\n--XyZ--"), 0);
	ck_assert_str_eq(kv_get(&fields, "a"), "");
	ck_assert_str_eq(kv_get(&fields, "b"), "\r\n");
}
END_TEST

START_TEST(boundary_lookalikes_are_content)
{
	static const char body[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n\r\n"
		"a\r\n--XyZa\r\n--XyZ-x\r\n--Xy\r\n--XyZ\tjunk\r\nend\r\n"
		"--XyZ--";
	static const char want[] = "a\r\n--XyZa\r\n--XyZ-x\r\n--Xy\r\n--XyZ\tjunk\r\nend";

	ck_assert_int_eq(parse(CT, body), 0);
	ck_assert_uint_eq(nfiles, 1);
	ck_assert_uint_eq(files[0].len, sizeof want - 1);
	ck_assert(memcmp(files[0].data, want, files[0].len) == 0);
}
END_TEST

START_TEST(missing_or_truncated_final_boundary)
{
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"),
			 -1);
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
				   "--XyZ"), -1);
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
				   "--XyZ-"), -1);
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n"), -1);
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\""), -1);
	ck_assert_int_eq(parse(CT, "--XyZ"), -1);
	ck_assert_int_eq(parse(CT, ""), -1);
	ck_assert_int_eq(parse(CT, "no boundary at all"), -1);
	/* A part that ends at the close delimiter of another boundary. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
				   "--Other--"), -1);
	ck_assert_uint_eq(fields.len, 0);
	/* Only a close delimiter: no parts, well-formed. */
	ck_assert_int_eq(parse(CT, "--XyZ--\r\n"), 0);
	ck_assert_uint_eq(fields.len + nfiles, 0);
}
END_TEST

START_TEST(preamble_and_epilogue_are_ignored)
{
	static const char body[] =
		"This is the preamble. --XyZ is mentioned here\r\nand ignored.\r\n"
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
		"--XyZ--\r\nThis is the epilogue.\r\n--XyZ\r\nContent-Disposition: form-data; "
		"name=\"b\"\r\n\r\n2\r\n--XyZ--\r\n";

	ck_assert_int_eq(parse(CT, body), 0);
	ck_assert_uint_eq(fields.len, 1);
	ck_assert_str_eq(kv_get(&fields, "a"), "1");
	ck_assert_ptr_null(kv_get(&fields, "b"));
}
END_TEST

START_TEST(huge_headers_are_refused)
{
	struct buf b = { 0 };
	size_t i;

	buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: ");
	for (i = 0; i < MULTIPART_MAX_HEADER_BYTES; i++)
		buf_putc(&b, 'p');
	buf_puts(&b, "\r\n\r\n1\r\n--XyZ--");
	ck_assert_int_eq(parse_n(CT, b.data, b.len), -1);

	/* Just under the limit is fine. */
	buf_reset(&b);
	buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: ");
	for (i = 0; i < MULTIPART_MAX_HEADER_BYTES - 60; i++)
		buf_putc(&b, 'p');
	buf_puts(&b, "\r\n\r\n1\r\n--XyZ--");
	ck_assert_int_eq(parse_n(CT, b.data, b.len), 0);

	/* Too many header lines. */
	buf_reset(&b);
	buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n");
	for (i = 0; i < MULTIPART_MAX_HEADERS; i++)
		buf_puts(&b, "X-A: b\r\n");
	buf_puts(&b, "\r\n1\r\n--XyZ--");
	ck_assert_int_eq(parse_n(CT, b.data, b.len), -1);
	buf_free(&b);
}
END_TEST

START_TEST(part_count_limit)
{
	struct buf b = { 0 };
	int i;

	for (i = 0; i < MULTIPART_MAX_PARTS; i++)
		buf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nv\r\n", i);
	buf_puts(&b, "--XyZ--");
	ck_assert_int_eq(parse_n(CT, b.data, b.len), 0);
	ck_assert_uint_eq(fields.len, MULTIPART_MAX_PARTS);

	buf_reset(&b);
	for (i = 0; i <= MULTIPART_MAX_PARTS; i++)
		buf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nv\r\n", i);
	buf_puts(&b, "--XyZ--");
	ck_assert_int_eq(parse_n(CT, b.data, b.len), -1);
	ck_assert_uint_eq(fields.len, 0);
	buf_free(&b);
}
END_TEST

START_TEST(filenames_are_kept_verbatim)
{
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"document\"; "
				   "filename=\"../../etc/passwd\"\r\n\r\nroot:x:0:0\r\n--XyZ--"), 0);
	ck_assert_str_eq(files[0].filename, "../../etc/passwd");
	ck_assert_str_eq(files[0].content_type, "");

	/* Browsers percent-encode CR, LF and quotes in names; old clients escape quotes. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"d\"; "
				   "filename=\"a%0D%0Ab%22.pdf\"\r\n\r\nx\r\n--XyZ--"), 0);
	ck_assert_str_eq(files[0].filename, "a%0D%0Ab%22.pdf");
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"d\"; "
				   "filename=\"say \\\"hi\\\".pdf\"\r\n\r\nx\r\n--XyZ--"), 0);
	ck_assert_str_eq(files[0].filename, "say \"hi\".pdf");
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"d\"; "
				   "filename=\"C:\\Users\\me\\cv.pdf\"\r\n\r\nx\r\n--XyZ--"), 0);
	ck_assert_str_eq(files[0].filename, "C:\\Users\\me\\cv.pdf");
	/* Unquoted token filename. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=d; "
				   "filename=cv.pdf\r\n\r\nx\r\n--XyZ--"), 0);
	ck_assert_str_eq(files[0].filename, "cv.pdf");
}
END_TEST

START_TEST(unicode_filenames)
{
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"d\"; "
				   "filename=\"Lehrer \xc3\xa9t\xc3\xa9 \xe6\x95\x99\xe5\xb8\xab "
				   "\xf0\x9f\x8d\x8e.pdf\"\r\n\r\nx\r\n--XyZ--"), 0);
	ck_assert_str_eq(files[0].filename,
			 "Lehrer \xc3\xa9t\xc3\xa9 \xe6\x95\x99\xe5\xb8\xab \xf0\x9f\x8d\x8e.pdf");
	/* filename* (RFC 5987) is ignored, as RFC 7578 section 4.2 says senders must not use it. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"d\"; "
				   "filename=\"plain.pdf\"; filename*=UTF-8''%E2%82%AC.pdf\r\n\r\n"
				   "x\r\n--XyZ--"), 0);
	ck_assert_str_eq(files[0].filename, "plain.pdf");
	/* Not UTF-8: Latin-1, an overlong slash, a surrogate. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"d\"; "
				   "filename=\"caf\xe9.pdf\"\r\n\r\nx\r\n--XyZ--"), -1);
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"d\"; "
				   "filename=\"..\xc0\xaf.pdf\"\r\n\r\nx\r\n--XyZ--"), -1);
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"d\"; "
				   "filename=\"\xed\xa0\x80.pdf\"\r\n\r\nx\r\n--XyZ--"), -1);
}
END_TEST

START_TEST(nul_and_control_bytes)
{
	static const char nul_filename[] =
		"--XyZ\r\nContent-Disposition: form-data; name=\"d\"; filename=\"a\0.php\"\r\n\r\n"
		"x\r\n--XyZ--";
	static const char nul_name[] =
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\0b\"\r\n\r\nx\r\n--XyZ--";
	static const char nul_value[] =
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\0y\r\n--XyZ--";
	static const char nul_file[] =
		"--XyZ\r\nContent-Disposition: form-data; name=\"d\"; filename=\"b.bin\"\r\n\r\n"
		"x\0y\r\n--XyZ--";
	static const char crlf_filename[] =
		"--XyZ\r\nContent-Disposition: form-data; name=\"d\"; filename=\"a\r\n"
		"X-Injected: 1.pdf\"\r\n\r\nx\r\n--XyZ--";
	static const char tab_ok[] =
		"--XyZ\r\nContent-Disposition:\tform-data;\tname=\"a\"\r\n\r\nx\r\n--XyZ--";
	static const char esc_filename[] =
		"--XyZ\r\nContent-Disposition: form-data; name=\"d\"; filename=\"a\x1b[2J.pdf\"\r\n"
		"\r\nx\r\n--XyZ--";

	ck_assert_int_eq(parse_n(CT, nul_filename, sizeof nul_filename - 1), -1);
	ck_assert_int_eq(parse_n(CT, nul_name, sizeof nul_name - 1), -1);
	ck_assert_int_eq(parse_n(CT, nul_value, sizeof nul_value - 1), -1);
	ck_assert_int_eq(parse_n(CT, crlf_filename, sizeof crlf_filename - 1), -1);
	ck_assert_int_eq(parse_n(CT, esc_filename, sizeof esc_filename - 1), -1);
	ck_assert_int_eq(parse_n(CT, tab_ok, sizeof tab_ok - 1), 0);
	/* File contents are binary. */
	ck_assert_int_eq(parse_n(CT, nul_file, sizeof nul_file - 1), 0);
	ck_assert_uint_eq(files[0].len, 3);
	ck_assert(memcmp(files[0].data, "x\0y", 3) == 0);
	/* A text field must be UTF-8. */
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
				   "\xff\xfe\r\n--XyZ--"), -1);
}
END_TEST

START_TEST(empty_file)
{
	ck_assert_int_eq(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"document\"; "
				   "filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n"
				   "\r\n--XyZ--\r\n"), 0);
	ck_assert_uint_eq(nfiles, 1);
	ck_assert_str_eq(files[0].filename, "");
	ck_assert_uint_eq(files[0].len, 0);
	ck_assert_str_eq(files[0].content_type, "application/octet-stream");
}
END_TEST

START_TEST(disposition_rules)
{
	static const char *const bad[] = {
		/* no Content-Disposition */
		"--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--",
		/* no headers at all */
		"--XyZ\r\n\r\nx\r\n--XyZ--",
		/* not form-data */
		"--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--",
		/* no name, empty name */
		"--XyZ\r\nContent-Disposition: form-data; filename=\"a.pdf\"\r\n\r\nx\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--XyZ--",
		/* name or filename twice, two dispositions, two content types */
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"; name=\"b\"\r\n\r\nx\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"; filename=\"x\"; filename=\"y\"\r\n"
		"\r\nx\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Disposition: form-data; "
		"name=\"b\"\r\n\r\nx\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"; filename=\"x\"\r\nContent-Type: a/b"
		"\r\nContent-Type: c/d\r\n\r\nx\r\n--XyZ--",
		/* malformed parameters */
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name\r\n\r\nx\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data name=\"a\"\r\n\r\nx\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\" junk\r\n\r\nx\r\n--XyZ--",
		/* a header line without a colon, or without a name */
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nno colon\r\n\r\nx\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n: v\r\n\r\nx\r\n--XyZ--",
		/* encodings we do not decode */
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Transfer-Encoding: base64"
		"\r\n\r\neA==\r\n--XyZ--",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(parse(CT, bad[i]) == -1, "accepted case %zu", i);
	ck_assert_int_eq(parse(CT, "--XyZ\r\ncontent-disposition: FORM-DATA; NAME=\"a\"\r\n"
				   "Content-Transfer-Encoding: binary\r\nX-Other: ignored\r\n\r\n"
				   "x\r\n--XyZ--"), 0);
	ck_assert_str_eq(kv_get(&fields, "a"), "x");
}
END_TEST

START_TEST(failure_leaves_fields_unchanged)
{
	static const char body[] =
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
		"--XyZ\r\nContent-Disposition: form-data; name=\"d\"; filename=\"f\"\r\n\r\n2\r\n"
		"--XyZ\r\nbroken\r\n\r\n3\r\n--XyZ--";

	teardown();
	ck_assert_int_eq(kv_add(&fields, "kept", 4, "yes", 3), 0);
	ck_assert_int_eq(multipart_parse(body, sizeof body - 1, CT, &fields, &files, &nfiles), -1);
	ck_assert_uint_eq(fields.len, 1);
	ck_assert_str_eq(kv_get(&fields, "kept"), "yes");
	ck_assert_ptr_null(files);
	ck_assert_uint_eq(nfiles, 0);
}
END_TEST

START_TEST(fields_only_and_files_only)
{
	teardown();
	ck_assert_int_eq(multipart_parse(normal, sizeof normal - 1, CT, &fields, NULL, NULL), 0);
	ck_assert_uint_eq(fields.len, 1);
	ck_assert_int_eq(multipart_parse(normal, sizeof normal - 1, CT, NULL, &files, &nfiles), 0);
	ck_assert_uint_eq(nfiles, 1);
	ck_assert_uint_eq(fields.len, 1);
}
END_TEST

START_TEST(large_binary_file)
{
	size_t n = 10u << 20, i;
	struct buf b = { 0 };
	char *data = malloc(n);
	uint32_t x = 12345;

	ck_assert_ptr_nonnull(data);
	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (char)(x >> 24);
	}
	buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"document\"; filename=\"big\"\r\n"
		     "\r\n");
	buf_append(&b, data, n);
	buf_puts(&b, "\r\n--XyZ--\r\n");
	ck_assert(!buf_failed(&b));
	ck_assert_int_eq(parse_n(CT, b.data, b.len), 0);
	ck_assert_uint_eq(files[0].len, n);
	ck_assert(memcmp(files[0].data, data, n) == 0);
	free(data);
	buf_free(&b);
}
END_TEST

/* Mutations of a valid body (random bytes, truncations, delimiter-like tokens written over it)
 * must come back 0 or -1, never crash or read out of bounds: each input is copied into an
 * allocation of exactly its size, so AddressSanitizer (SANITIZE=1) sees any overread. */
START_TEST(fuzz_mutations)
{
	static const struct {
		const char *s;
		size_t n;
	} tokens[] = { { "\r\n", 2 }, { "\r\n--XyZ", 7 }, { "--XyZ--", 7 }, { "\"", 1 },
		       { ";", 1 }, { "=", 1 }, { ":", 1 }, { "\\", 1 }, { "\0", 1 },
		       { "\r\n\r\n", 4 } };
	char work[sizeof normal], *exact;
	size_t len, i, k, t, m;
	uint32_t x = 2024;
	int round, rc;

	for (round = 0; round < 20000; round++) {
		memcpy(work, normal, sizeof normal - 1);
		len = sizeof normal - 1;
		for (k = 0; k <= (size_t)(round % 4); k++) {
			x = x * 1664525u + 1013904223u;
			i = (x >> 8) % len;
			t = (x >> 20) % (sizeof tokens / sizeof tokens[0]);
			switch ((x >> 4) % 3) {
			case 0:
				work[i] = (char)(x >> 24);
				break;
			case 1:
				len = i + 1;
				break;
			default:
				m = tokens[t].n < len - i ? tokens[t].n : len - i;
				memcpy(work + i, tokens[t].s, m);
				break;
			}
		}
		exact = malloc(len);
		ck_assert_ptr_nonnull(exact);
		memcpy(exact, work, len);
		rc = parse_n(CT, exact, len);
		ck_assert(rc == 0 || rc == -1);
		for (i = 0; rc == 0 && i < nfiles; i++)
			ck_assert(files[i].data >= exact && files[i].data + files[i].len <= exact + len);
		teardown();
		free(exact);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("multipart");
	TCase *tc = tcase_create("multipart");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, normal_body);
	tcase_add_test(tc, content_type_forms);
	tcase_add_test(tc, quoted_boundary_with_specials);
	tcase_add_test(tc, bad_content_types);
	tcase_add_test(tc, longest_boundary);
	tcase_add_test(tc, crlf_variations);
	tcase_add_test(tc, boundary_lookalikes_are_content);
	tcase_add_test(tc, missing_or_truncated_final_boundary);
	tcase_add_test(tc, preamble_and_epilogue_are_ignored);
	tcase_add_test(tc, huge_headers_are_refused);
	tcase_add_test(tc, part_count_limit);
	tcase_add_test(tc, filenames_are_kept_verbatim);
	tcase_add_test(tc, unicode_filenames);
	tcase_add_test(tc, nul_and_control_bytes);
	tcase_add_test(tc, empty_file);
	tcase_add_test(tc, disposition_rules);
	tcase_add_test(tc, failure_leaves_fields_unchanged);
	tcase_add_test(tc, fields_only_and_files_only);
	tcase_add_test(tc, large_binary_file);
	tcase_add_test(tc, fuzz_mutations);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
