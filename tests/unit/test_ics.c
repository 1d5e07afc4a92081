/* test_ics.c - unit tests of the iCalendar writer (backend/ics.c): TEXT escaping, folding at
 * 75 octets without splitting a UTF-8 character, CRLF line ends, and the fields of an
 * invitation (METHOD:REQUEST, PRODID, UID, SEQUENCE, DTSTAMP/DTSTART/DTEND in UTC, SUMMARY,
 * LOCATION, DESCRIPTION, ORGANIZER, ATTENDEE), and what it refuses. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ics.h"

/* 2026-03-27 14:30:00 UTC and an hour later; the stamp a day before. */
#define T_START ((time_t)1774621800)
#define T_END (T_START + 3600)
#define T_STAMP (T_START - 86400)

/* An event with every field set. */
static struct ics_event sample(void)
{
	struct ics_event e = {
		.uid = "0f1c2d3e-aaaa-bbbb-cccc-123456789abc",
		.sequence = 2,
		.stamp = T_STAMP,
		.start = T_START,
		.end = T_END,
		.summary = "Interview: Class teacher, Gable Hall School",
		.location = "Room 4, Gable Hall School; Corringham, SS17 0JH",
		.description = "Panel: Ms A, Mr B\nBring your ID.",
		.organizer_name = "Teaching in Thurrock",
		.organizer_email = "no-reply@thurrock.example.test",
		.attendee_name = "Ada \"The\" Lovelace",
		.attendee_email = "ada@example.org",
	};
	return e;
}

/* Escapes s into a new string the test frees. */
static char *text(const char *s)
{
	struct buf b = { 0 };
	char *out;

	ics_text(&b, s);
	ck_assert(!buf_failed(&b));
	out = strdup(buf_str(&b));
	buf_free(&b);
	return out;
}

START_TEST(test_text_escaping)
{
	char *s;

	s = text("a\\b;c,d");
	ck_assert_str_eq(s, "a\\\\b\\;c\\,d");
	free(s);
	s = text("one\ntwo\r\nthree\rfour");
	ck_assert_str_eq(s, "one\\ntwo\\nthree\\nfour");
	free(s);
	/* Colons and quotes need no escape in TEXT; control characters are dropped, a tab is a
	 * space. */
	s = text("a:b \"c\"\x01\x7f\td");
	ck_assert_str_eq(s, "a:b \"c\" d");
	free(s);
	s = text("caf\xc3\xa9 \xe2\x82\xac");
	ck_assert_str_eq(s, "caf\xc3\xa9 \xe2\x82\xac");
	free(s);
	s = text("");
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

/* Checks that folded (the output of ics_fold) is lines of at most 75 octets ending in CRLF,
 * continuation lines starting with one space, no line starting with a UTF-8 continuation byte
 * (after the space), and that unfolding gives back want. */
static void check_folded(const char *folded, const char *want)
{
	struct buf un = { 0 };
	const char *p = folded, *crlf;
	int first = 1;

	while (*p != '\0') {
		crlf = strstr(p, "\r\n");
		ck_assert_msg(crlf != NULL, "a line without CRLF: %s", p);
		ck_assert_msg(crlf - p <= 75, "a line of %td octets", crlf - p);
		ck_assert_msg(memchr(p, '\n', (size_t)(crlf - p)) == NULL, "a bare LF");
		if (!first) {
			ck_assert_msg(p[0] == ' ', "a continuation line without its space");
			p++;
		}
		ck_assert_msg(((unsigned char)p[0] & 0xc0) != 0x80 || p == crlf,
			      "a line starts inside a UTF-8 character");
		buf_append(&un, p, (size_t)(crlf - p));
		p = crlf + 2;
		first = 0;
	}
	ck_assert_str_eq(buf_str(&un), want);
	buf_free(&un);
}

START_TEST(test_fold_ascii)
{
	struct buf b = { 0 };
	char line[301];

	memset(line, 'x', 300);
	line[300] = '\0';
	memcpy(line, "DESCRIPTION:", 12);
	ics_fold(&b, line, 300);
	check_folded(buf_str(&b), line);
	/* 75 + (74 * 3) = 297: the fifth line holds the last 3 octets. */
	ck_assert_int_eq((int)b.len, 300 + 4 * 3 + 2);
	buf_reset(&b);
	ics_fold(&b, line, 75);
	ck_assert_int_eq((int)b.len, 77);
	buf_free(&b);
}
END_TEST

START_TEST(test_fold_utf8)
{
	struct buf b = { 0 }, in = { 0 };
	int offset;

	/* Shift a run of 2-, 3- and 4-byte characters across the fold points. */
	for (offset = 0; offset < 5; offset++) {
		buf_reset(&in);
		buf_reset(&b);
		buf_puts(&in, "SUMMARY:");
		for (int i = 0; i < offset; i++)
			buf_putc(&in, 'a');
		for (int i = 0; i < 40; i++)
			buf_puts(&in, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
		ics_fold(&b, in.data, in.len);
		ck_assert(!buf_failed(&b));
		check_folded(buf_str(&b), buf_str(&in));
	}
	buf_free(&b);
	buf_free(&in);
}
END_TEST

START_TEST(test_fold_short)
{
	struct buf b = { 0 };

	ics_fold(&b, "VERSION:2.0", 11);
	ck_assert_str_eq(buf_str(&b), "VERSION:2.0\r\n");
	buf_free(&b);
}
END_TEST

/* The unfolded form of an iCalendar text (continuation lines joined). Caller frees. */
static char *unfold(const char *s)
{
	struct buf b = { 0 };
	char *out;

	for (; *s != '\0'; s++) {
		if (s[0] == '\r' && s[1] == '\n' && s[2] == ' ') {
			s += 2;
			continue;
		}
		buf_putc(&b, *s);
	}
	out = strdup(buf_str(&b));
	buf_free(&b);
	return out;
}

START_TEST(test_invitation_fields)
{
	struct ics_event e = sample();
	struct buf b = { 0 };
	char *u;
	const char *p;

	ck_assert_int_eq(ics_invitation(&b, &e), 0);
	/* Every line ends in CRLF and none is longer than 75 octets. */
	for (p = b.data; *p != '\0';) {
		const char *crlf = strstr(p, "\r\n");

		ck_assert_ptr_nonnull(crlf);
		ck_assert_int_le(crlf - p, 75);
		ck_assert_ptr_null(memchr(p, '\n', (size_t)(crlf - p)));
		p = crlf + 2;
	}
	u = unfold(b.data);
	ck_assert_msg(strncmp(u, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:" ICS_PRODID "\r\n", 58) == 0,
		      "%s", u);
	ck_assert_ptr_nonnull(strstr(u, "\r\nMETHOD:REQUEST\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nBEGIN:VEVENT\r\nUID:0f1c2d3e-aaaa-bbbb-cccc-123456789abc\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nSEQUENCE:2\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nDTSTAMP:20260326T143000Z\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nDTSTART:20260327T143000Z\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nDTEND:20260327T153000Z\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nSUMMARY:Interview: Class teacher\\, Gable Hall School\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nLOCATION:Room 4\\, Gable Hall School\\; Corringham\\, "
					"SS17 0JH\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nDESCRIPTION:Panel: Ms A\\, Mr B\\nBring your ID.\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nORGANIZER;CN=\"Teaching in Thurrock\":mailto:"
					"no-reply@thurrock.example.test\r\n"));
	/* The quotes of the attendee's name cannot be in a quoted parameter: dropped. */
	ck_assert_ptr_nonnull(strstr(u, "\r\nATTENDEE;CN=\"Ada The Lovelace\";ROLE=REQ-PARTICIPANT;"
					"PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:ada@example.org\r\n"));
	ck_assert_msg(strstr(u, "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n") != NULL &&
		      strcmp(u + strlen(u) - 15, "END:VCALENDAR\r\n") == 0, "%s", u);
	free(u);
	buf_free(&b);
}
END_TEST

START_TEST(test_invitation_optional)
{
	struct ics_event e = sample();
	struct buf b = { 0 };

	e.location = NULL;
	e.description = "";
	e.attendee_email = NULL;
	e.organizer_name = NULL;
	e.sequence = 0;
	ck_assert_int_eq(ics_invitation(&b, &e), 0);
	ck_assert_ptr_null(strstr(b.data, "LOCATION"));
	ck_assert_ptr_null(strstr(b.data, "DESCRIPTION"));
	ck_assert_ptr_null(strstr(b.data, "ATTENDEE"));
	ck_assert_ptr_nonnull(strstr(b.data, "\r\nSEQUENCE:0\r\n"));
	ck_assert_ptr_nonnull(strstr(b.data, "\r\nORGANIZER:mailto:no-reply@thurrock.example.test\r\n"));
	buf_free(&b);
}
END_TEST

START_TEST(test_invitation_long_text_folded)
{
	struct ics_event e = sample();
	struct buf b = { 0 }, want = { 0 };
	char *u;

	for (int i = 0; i < 60; i++)
		buf_puts(&want, "Caf\xc3\xa9 \xe2\x82\xac, ");
	e.description = want.data;
	ck_assert_int_eq(ics_invitation(&b, &e), 0);
	u = unfold(b.data);
	buf_reset(&want);
	buf_puts(&want, "\r\nDESCRIPTION:");
	for (int i = 0; i < 60; i++)
		buf_puts(&want, "Caf\xc3\xa9 \xe2\x82\xac\\, ");
	buf_puts(&want, "\r\n");
	ck_assert_ptr_nonnull(strstr(u, want.data));
	free(u);
	buf_free(&b);
	buf_free(&want);
}
END_TEST

START_TEST(test_invitation_refused)
{
	struct ics_event e;
	struct buf b = { 0 };

	e = sample();
	e.uid = "";
	ck_assert_int_eq(ics_invitation(&b, &e), -1);
	e = sample();
	e.summary = NULL;
	ck_assert_int_eq(ics_invitation(&b, &e), -1);
	e = sample();
	e.organizer_email = "no-reply@x\r\nATTENDEE:mailto:evil@example.org";
	ck_assert_int_eq(ics_invitation(&b, &e), -1);
	e = sample();
	e.attendee_email = "a@b;RSVP=TRUE";
	ck_assert_int_eq(ics_invitation(&b, &e), -1);
	e = sample();
	e.end = e.start;
	ck_assert_int_eq(ics_invitation(&b, &e), -1);
	ck_assert_int_eq((int)b.len, 0);
	buf_free(&b);
}
END_TEST

/* Text fields cannot add a property: a line break in any of them stays inside its value. */
START_TEST(test_invitation_injection)
{
	struct ics_event e = sample();
	struct buf b = { 0 };
	char *u;

	e.summary = "x\r\nATTENDEE:mailto:evil@example.org";
	e.location = "y\nEND:VEVENT";
	e.uid = "u\r\nMETHOD:CANCEL";
	ck_assert_int_eq(ics_invitation(&b, &e), 0);
	u = unfold(b.data);
	ck_assert_ptr_null(strstr(u, "\r\nATTENDEE:mailto:evil"));
	ck_assert_ptr_null(strstr(u, "\r\nMETHOD:CANCEL"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nSUMMARY:x\\nATTENDEE:mailto:evil@example.org\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nLOCATION:y\\nEND:VEVENT\r\n"));
	free(u);
	buf_free(&b);
}
END_TEST

static Suite *ics_suite(void)
{
	Suite *s = suite_create("ics");
	TCase *tc = tcase_create("ics");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_text_escaping);
	tcase_add_test(tc, test_fold_ascii);
	tcase_add_test(tc, test_fold_utf8);
	tcase_add_test(tc, test_fold_short);
	tcase_add_test(tc, test_invitation_fields);
	tcase_add_test(tc, test_invitation_optional);
	tcase_add_test(tc, test_invitation_long_text_folded);
	tcase_add_test(tc, test_invitation_refused);
	tcase_add_test(tc, test_invitation_injection);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ics_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
