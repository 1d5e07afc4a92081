/* test_mail_compose.c - unit tests of how the email sender composes a message
 * (mail_compose in backend/core/mail.c): a message without attachments is the single
 * text/plain part it always was; with attachments it is multipart/mixed, the text first and
 * each attachment base64-encoded under a boundary the body does not hold; attachments with a
 * name, type or size that could break the headers are refused; a message someone subscribed
 * to carries the one-click List-Unsubscribe pair (RFC 8058), and a URL that could break the
 * header is refused; mail_from_address. */
#include <check.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "mail.h"

#define FROM "Teaching in Thurrock <no-reply@thurrock.example.test>"
#define ICS "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
#define ICS_TYPE "text/calendar; method=REQUEST; charset=UTF-8"

/* A message to ada@example.org made on 2026-03-27 14:30:00 UTC with attachments a (may be
 * NULL). */
static struct mail_message message(const char *body, const json_t *a)
{
	struct mail_message m = {
		.id = "42",
		.to = "ada@example.org",
		.subject = "Interview: Class teacher",
		.body = body,
		.created = 1774621800,
		.attachments = a,
	};
	return m;
}

/* Composes m; fails the test unless it succeeds. Returns the text (caller frees). */
static char *compose_ok(const struct mail_message *m)
{
	struct buf b = { 0 };
	const char *why = NULL;
	char *out;

	ck_assert_msg(mail_compose(&b, m, FROM, &why) == 0, "refused: %s", why ? why : "");
	out = strdup(buf_str(&b));
	buf_free(&b);
	return out;
}

/* The text with the Message-ID's random part replaced by "X" (it differs on every call). */
static void blank_message_id(char *s)
{
	char *p = strstr(s, "Message-ID: <42."), *at;

	ck_assert_ptr_nonnull(p);
	p += 16;
	at = strchr(p, '@');
	ck_assert_ptr_nonnull(at);
	memset(p, 'X', (size_t)(at - p));
}

START_TEST(test_single_part_unchanged)
{
	json_t *none = json_array();
	struct mail_message m = message("Dear Ada,\nSee you soon.\n", NULL);
	char *a, *b;

	a = compose_ok(&m);
	m.attachments = none;
	b = compose_ok(&m);
	blank_message_id(a);
	blank_message_id(b);
	ck_assert_str_eq(a, "From: Teaching in Thurrock <no-reply@thurrock.example.test>\r\n"
			    "To: ada@example.org\r\n"
			    "Subject: Interview: Class teacher\r\n"
			    "Date: Fri, 27 Mar 2026 14:30:00 +0000\r\n"
			    "Message-ID: <42.XXXXXXXXXXXXXXXX@localhost>\r\n"
			    "MIME-Version: 1.0\r\n"
			    "Content-Type: text/plain; charset=utf-8\r\n"
			    "Auto-Submitted: auto-generated\r\n"
			    "Content-Transfer-Encoding: 7bit\r\n\r\n"
			    "Dear Ada,\r\nSee you soon.\r\n");
	/* An empty array is no attachment at all: the same message. */
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	json_decref(none);
}
END_TEST

/* Decodes base64 lines (CRLF-separated) from s up to the line that starts with "--". Returns
 * the bytes (caller frees), NUL-terminated. */
static char *base64_part(const char *s)
{
	struct buf in = { 0 };
	unsigned char *out;
	int n;

	while (*s != '\0' && strncmp(s, "--", 2) != 0) {
		size_t len = strcspn(s, "\r\n");

		buf_append(&in, s, len);
		s += len;
		s += strspn(s, "\r\n");
	}
	out = calloc(1, in.len + 4);
	ck_assert_ptr_nonnull(out);
	n = EVP_DecodeBlock(out, (const unsigned char *)buf_str(&in), (int)in.len);
	ck_assert_int_ge(n, 0);
	/* EVP_DecodeBlock counts padding as zero bytes. */
	while (n > 0 && out[n - 1] == '\0')
		n--;
	out[n] = '\0';
	buf_free(&in);
	return (char *)out;
}

START_TEST(test_multipart)
{
	json_t *att = json_pack("[{s:s, s:s, s:s}]", "filename", "invite.ics", "content_type",
				ICS_TYPE, "content", ICS);
	struct mail_message m = message("Dear Ada,\n\nYou are invited.\n", att);
	char *s = compose_ok(&m), *boundary, *p, *end, *ics, delim[512];
	const char *line;

	ck_assert_ptr_nonnull(strstr(s, "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; "
					"boundary=\"=_portal_"));
	ck_assert_ptr_nonnull(strstr(s, "\r\nAuto-Submitted: auto-generated\r\n\r\n"));
	ck_assert_ptr_null(strstr(s, "Content-Type: text/plain; charset=utf-8\r\nAuto-Submitted"));
	p = strstr(s, "boundary=\"") + 10;
	end = strchr(p, '"');
	boundary = strndup(p, (size_t)(end - p));
	ck_assert_int_eq((int)strlen(boundary), 9 + 24);
	/* The text part first, then the attachment, then the closing delimiter. */
	snprintf(delim, sizeof delim, "\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\n"
		 "Content-Transfer-Encoding: 7bit\r\n\r\nDear Ada,\r\n\r\nYou are invited.\r\n",
		 boundary);
	ck_assert_msg(strstr(s, delim) != NULL, "no text part in: %s", s);
	snprintf(delim, sizeof delim, "\r\n--%s\r\nContent-Type: " ICS_TYPE "; name=\"invite.ics\"\r\n"
		 "Content-Disposition: attachment; filename=\"invite.ics\"\r\n"
		 "Content-Transfer-Encoding: base64\r\n\r\n", boundary);
	line = strstr(s, delim);
	ck_assert_msg(line != NULL, "no calendar part in: %s", s);
	ck_assert(strstr(s, "Dear Ada") < line);
	ics = base64_part(line + strlen(delim));
	ck_assert_str_eq(ics, ICS);
	snprintf(delim, sizeof delim, "\r\n--%s--\r\n", boundary);
	ck_assert_msg(strlen(s) > strlen(delim) && strcmp(s + strlen(s) - strlen(delim), delim) == 0,
		      "no closing delimiter: %s", s);
	free(ics);
	free(boundary);
	free(s);
	json_decref(att);
}
END_TEST

/* A non-ASCII body goes quoted-printable in its part; a long attachment in 64-character
 * lines. */
START_TEST(test_multipart_encodings)
{
	struct buf big = { 0 };
	json_t *att;
	struct mail_message m;
	char *s, *p;

	for (int i = 0; i < 100; i++)
		buf_puts(&big, "DESCRIPTION:caf\xc3\xa9\r\n");
	att = json_pack("[{s:s, s:s, s:s}, {s:s, s:s, s:s}]", "filename", "a.ics", "content_type",
			ICS_TYPE, "content", big.data, "filename", "b.txt", "content_type",
			"text/plain; charset=UTF-8", "content", "second");
	m = message("Caf\xc3\xa9 at 10:00\n", att);
	s = compose_ok(&m);
	ck_assert_ptr_nonnull(strstr(s, "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
					"Caf=C3=A9 at 10:00\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "name=\"a.ics\""));
	ck_assert_ptr_nonnull(strstr(s, "filename=\"b.txt\""));
	for (p = s; *p != '\0';) {
		size_t n = strcspn(p, "\r\n");

		ck_assert_msg(n <= 998, "a line of %zu bytes", n);
		p += n;
		ck_assert_msg(*p == '\0' || strncmp(p, "\r\n", 2) == 0, "a bare line end");
		p += *p != '\0' ? 2 : 0;
	}
	free(s);
	json_decref(att);
	buf_free(&big);
}
END_TEST

/* Fails unless an attachment {filename, type, content} is refused. */
static void expect_refused(const char *filename, const char *type, const char *content)
{
	json_t *att = json_pack("[{s:s?, s:s?, s:s?}]", "filename", filename, "content_type", type,
				"content", content);
	struct mail_message m = message("Hello\n", att);
	struct buf b = { 0 };
	const char *why = NULL;

	ck_assert_int_eq(mail_compose(&b, &m, FROM, &why), -1);
	ck_assert_msg(why != NULL && strncmp(why, "refused", 7) == 0, "why: %s", why ? why : "");
	buf_free(&b);
	json_decref(att);
}

START_TEST(test_refused_attachments)
{
	char *huge = malloc(MAIL_ATTACHMENT_MAX + 2);
	json_t *many = json_array();
	struct mail_message m;
	struct buf b = { 0 };
	const char *why = NULL;

	ck_assert_ptr_nonnull(huge);
	memset(huge, 'a', MAIL_ATTACHMENT_MAX + 1);
	huge[MAIL_ATTACHMENT_MAX + 1] = '\0';
	expect_refused("invite.ics\r\nBcc: evil@example.org", ICS_TYPE, ICS);
	expect_refused("in\"vite.ics", ICS_TYPE, ICS);
	expect_refused("../invite.ics", ICS_TYPE, ICS);
	expect_refused(".ics", ICS_TYPE, ICS);
	expect_refused("", ICS_TYPE, ICS);
	expect_refused(NULL, ICS_TYPE, ICS);
	expect_refused("invite.ics", "text/calendar\r\nBcc: evil@example.org", ICS);
	expect_refused("invite.ics", "text/calendar; name=\"x\"", ICS);
	expect_refused("invite.ics", "calendar", ICS);
	expect_refused("invite.ics", NULL, ICS);
	expect_refused("invite.ics", ICS_TYPE, NULL);
	expect_refused("invite.ics", ICS_TYPE, huge);
	for (int i = 0; i <= MAIL_ATTACHMENTS_MAX; i++)
		json_array_append_new(many, json_pack("{s:s, s:s, s:s}", "filename", "a.ics",
						      "content_type", ICS_TYPE, "content", ICS));
	m = message("Hello\n", many);
	ck_assert_int_eq(mail_compose(&b, &m, FROM, &why), -1);
	ck_assert_str_eq(why, "refused: an attachment's name, type or size is refused");
	json_decref(many);
	buf_free(&b);
	free(huge);
}
END_TEST

START_TEST(test_list_unsubscribe)
{
	static const char *const bad[] = {
		"https://portal.example.test/job-alerts/manage?token=a b",
		"https://portal.example.test/x>, <mailto:someone@example.org",
		"https://portal.example.test/x\r\nBcc: someone@example.org",
		"javascript:alert(1)",
		"mailto:someone@example.org",
		"https://portal.example.test/\"",
		"https://portal.example.test/caf\xc3\xa9",
	};
	struct mail_message m = message("Dear Ada,\nNew jobs.\n", NULL);
	struct buf b = { 0 };
	const char *why = NULL;
	char *a, *plain, url[1000];
	size_t i;

	plain = compose_ok(&m);
	ck_assert_ptr_null(strstr(plain, "List-Unsubscribe"));
	m.list_unsubscribe = "https://portal.example.test/job-alerts/manage?token=abc_DEF-123";
	a = compose_ok(&m);
	ck_assert_msg(strstr(a, "\r\nList-Unsubscribe: "
				"<https://portal.example.test/job-alerts/manage?token=abc_DEF-123>\r\n"
				"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
				"MIME-Version: 1.0\r\n") != NULL,
		      "no List-Unsubscribe pair before MIME-Version:\n%s", a);
	/* The rest of the message is as without it. */
	ck_assert_ptr_nonnull(strstr(a, strstr(plain, "MIME-Version")));
	free(a);
	free(plain);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		m.list_unsubscribe = bad[i];
		ck_assert_msg(mail_compose(&b, &m, FROM, &why) == -1, "accepted %s", bad[i]);
		ck_assert_msg(strncmp(why, "refused", 7) == 0, "%s: %s", bad[i], why);
		buf_free(&b);
		b = (struct buf){ 0 };
	}
	/* At most MAIL_UNSUBSCRIBE_MAX bytes. */
	memset(url, 'a', sizeof url);
	memcpy(url, "https://x/", 10);
	url[MAIL_UNSUBSCRIBE_MAX] = '\0';
	m.list_unsubscribe = url;
	free(compose_ok(&m));
	url[MAIL_UNSUBSCRIBE_MAX] = 'a';
	url[MAIL_UNSUBSCRIBE_MAX + 1] = '\0';
	ck_assert_int_eq(mail_compose(&b, &m, FROM, &why), -1);
	buf_free(&b);
}
END_TEST

START_TEST(test_from_address)
{
	char out[256];

	snprintf(app.cfg.mail_from, sizeof app.cfg.mail_from, "%s", FROM);
	ck_assert_int_eq(mail_from_address(out, sizeof out), 0);
	ck_assert_str_eq(out, "no-reply@thurrock.example.test");
	snprintf(app.cfg.mail_from, sizeof app.cfg.mail_from, "jobs@thurrock.example.test");
	ck_assert_int_eq(mail_from_address(out, sizeof out), 0);
	ck_assert_str_eq(out, "jobs@thurrock.example.test");
	ck_assert_int_eq(mail_from_address(out, 8), -1);
	snprintf(app.cfg.mail_from, sizeof app.cfg.mail_from, "Name <not an address>");
	ck_assert_int_eq(mail_from_address(out, sizeof out), -1);
}
END_TEST

static Suite *mail_suite(void)
{
	Suite *s = suite_create("mail_compose");
	TCase *tc = tcase_create("compose");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_single_part_unchanged);
	tcase_add_test(tc, test_multipart);
	tcase_add_test(tc, test_multipart_encodings);
	tcase_add_test(tc, test_refused_attachments);
	tcase_add_test(tc, test_list_unsubscribe);
	tcase_add_test(tc, test_from_address);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(mail_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
