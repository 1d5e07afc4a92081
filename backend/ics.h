/* ics.h - iCalendar (RFC 5545) invitations: one VEVENT in a VCALENDAR with METHOD:REQUEST
 * (RFC 5546), as attached to an interview invitation (application_lifecycle.c) so that the
 * candidate's calendar can add it and, when it is rearranged (same UID, higher SEQUENCE),
 * update it.
 *
 * The text written: CRLF line endings, every content line folded at 75 octets (a CRLF and a
 * space; a UTF-8 character is never split), TEXT values escaped (backslash, semicolon, comma;
 * a line break becomes \n; other control characters are dropped), times in UTC ("...Z").
 */
#ifndef PORTAL_ICS_H
#define PORTAL_ICS_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

#define ICS_PRODID "-//Thurrock Council//Teaching in Thurrock//EN"

/* One event. Strings are borrowed UTF-8; NULL and "" leave an optional property out. */
struct ics_event {
	const char *uid;             /* required: the same for every version of the event */
	int sequence;                /* 0 for the first invitation, + 1 per rearrangement */
	time_t stamp;                /* DTSTAMP: when this version was made */
	time_t start;                /* DTSTART */
	time_t end;                  /* DTEND, after start */
	const char *summary;         /* required */
	const char *location;
	const char *description;
	const char *organizer_name;  /* CN of the organiser (optional) */
	const char *organizer_email; /* required: ORGANIZER mailto: address */
	const char *attendee_name;   /* CN of the attendee (optional) */
	const char *attendee_email;  /* ATTENDEE mailto: address (optional) */
};

/* Appends the VCALENDAR of event e to out. Returns 0, or -1 when a required field is missing,
 * an address is not one plain address (mail_address_ok), end is not after start, or memory
 * ran out (out may then hold part of it). */
int ics_invitation(struct buf *out, const struct ics_event *e);

/* Appends s escaped as an iCalendar TEXT value (not folded). */
void ics_text(struct buf *out, const char *s);

/* Appends the content line of n bytes (without its end) folded at 75 octets, and a CRLF. */
void ics_fold(struct buf *out, const char *line, size_t n);

#endif
