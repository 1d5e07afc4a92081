/* ics.c - iCalendar invitations; see ics.h. */
#include "ics.h"

#include <stdbool.h>
#include <string.h>

#include "mail.h"

#define ICS_LINE_OCTETS 75   /* RFC 5545 3.1: lines SHOULD NOT be longer, without the CRLF */

void ics_text(struct buf *out, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '\\' || ch == ';' || ch == ',') {
			buf_putc(out, '\\');
			buf_putc(out, (char)ch);
		} else if (ch == '\r' || ch == '\n') {
			if (ch == '\r' && s[1] == '\n')
				s++;
			buf_puts(out, "\\n");
		} else if (ch >= 0x20 && ch != 0x7f) {
			buf_putc(out, (char)ch);
		} else if (ch == '\t') {
			buf_putc(out, ' ');
		}
	}
}

void ics_fold(struct buf *out, const char *line, size_t n)
{
	size_t i = 0, limit = ICS_LINE_OCTETS, take;

	while (i < n) {
		take = n - i < limit ? n - i : limit;
		/* Back off to the start of a UTF-8 character: continuation bytes are 10xxxxxx. */
		while (i + take < n && take > 1 && ((unsigned char)line[i + take] & 0xc0) == 0x80)
			take--;
		buf_append(out, line + i, take);
		i += take;
		if (i < n)
			buf_puts(out, "\r\n ");
		limit = ICS_LINE_OCTETS - 1;   /* the leading space counts */
	}
	buf_puts(out, "\r\n");
}

/* Appends "name:" + s escaped as TEXT as one folded line, unless s is NULL or "" and the
 * property is optional. line is scratch space. */
static void put_text(struct buf *out, struct buf *line, const char *name, const char *s)
{
	if (s == NULL || s[0] == '\0')
		return;
	buf_reset(line);
	buf_puts(line, name);
	buf_putc(line, ':');
	ics_text(line, s);
	ics_fold(out, line->data, line->len);
}

/* Appends a parameter value (a CN) as a quoted-string: DQUOTE and control characters, which
 * a quoted-string cannot hold, are left out. */
static void put_param(struct buf *line, const char *s)
{
	buf_putc(line, '"');
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x20 && *s != 0x7f && *s != '"')
			buf_putc(line, *s);
	buf_putc(line, '"');
}

/* Appends a calendar user property: name[;CN="cn"]params:mailto:addr as one folded line. */
static void put_address(struct buf *out, struct buf *line, const char *name, const char *cn,
			const char *params, const char *addr)
{
	buf_reset(line);
	buf_puts(line, name);
	if (cn != NULL && cn[0] != '\0') {
		buf_puts(line, ";CN=");
		put_param(line, cn);
	}
	buf_puts(line, params);
	buf_printf(line, ":mailto:%s", addr);
	ics_fold(out, line->data, line->len);
}

/* Appends "name:YYYYMMDDTHHMMSSZ" for Unix time t. */
static void put_time(struct buf *out, const char *name, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	buf_printf(out, "%s:%04d%02d%02dT%02d%02d%02dZ\r\n", name, tm.tm_year + 1900,
		   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int ics_invitation(struct buf *out, const struct ics_event *e)
{
	struct buf line = { 0 };
	bool attendee = e->attendee_email != NULL && e->attendee_email[0] != '\0';
	int rc = -1;

	if (e->uid == NULL || e->uid[0] == '\0' || e->summary == NULL || e->summary[0] == '\0' ||
	    !mail_address_ok(e->organizer_email) ||
	    (attendee && !mail_address_ok(e->attendee_email)) || e->end <= e->start ||
	    e->sequence < 0)
		return -1;
	buf_puts(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:" ICS_PRODID "\r\n"
		      "CALSCALE:GREGORIAN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n");
	put_text(out, &line, "UID", e->uid);
	buf_printf(out, "SEQUENCE:%d\r\n", e->sequence);
	put_time(out, "DTSTAMP", e->stamp);
	put_time(out, "DTSTART", e->start);
	put_time(out, "DTEND", e->end);
	put_text(out, &line, "SUMMARY", e->summary);
	put_text(out, &line, "LOCATION", e->location);
	put_text(out, &line, "DESCRIPTION", e->description);
	put_address(out, &line, "ORGANIZER", e->organizer_name, "", e->organizer_email);
	if (attendee)
		put_address(out, &line, "ATTENDEE", e->attendee_name,
			    ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE",
			    e->attendee_email);
	buf_puts(out, "STATUS:CONFIRMED\r\nTRANSP:OPAQUE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
	if (!buf_failed(&line) && !buf_failed(out))
		rc = 0;
	buf_free(&line);
	return rc;
}
