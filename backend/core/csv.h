/* csv.h - an RFC 4180 CSV reader over a buffer in memory.
 *
 * Fields are separated by commas, records by CRLF or LF. A field may be quoted with double
 * quotes, inside which commas, line breaks and doubled quotes ("" = one ") are data. The last
 * record may lack a line break. Empty lines are skipped (a record of one empty field is written
 * as ""). A UTF-8 byte order mark at the very start is skipped. Strict about the rest: a quote
 * inside an unquoted field, text after a closing quote, an unterminated quoted field, a bare CR
 * outside quotes and a NUL byte are errors.
 *
 * Usage:
 *	struct csv_reader r;
 *	struct csv_record rec = {0};
 *	csv_reader_init(&r, data, len);
 *	while ((rc = csv_next_record(&r, &rec)) == 1)
 *		use csv_field(&rec, i) for i < rec.nfields, r.record_line;
 *	if (rc < 0) report r.error at line r.error_line;
 *	csv_record_free(&rec);
 */
#ifndef PORTAL_CSV_H
#define PORTAL_CSV_H

#include <stddef.h>

#include "buf.h"

struct csv_reader {
	const char *p;           /* next byte to read */
	const char *end;         /* one past the last byte */
	size_t line;             /* line number (from 1) of the byte at p */
	size_t record_line;      /* line on which the record last returned starts */
	size_t error_line;       /* after an error: the line it concerns */
	const char *error;       /* after an error: a static message, else NULL */
};

/* One record: the fields back to back in text, each NUL-terminated. A zeroed struct is an empty
 * record; csv_next_record() reuses its memory, csv_record_free() releases it. */
struct csv_record {
	struct buf text;
	size_t *offsets;         /* start of field i in text.data */
	size_t nfields;
	size_t cap;              /* entries allocated in offsets */
};

/* Starts reading len bytes at data. The reader keeps pointers into data, which the caller keeps
 * alive (and unchanged) while reading. */
void csv_reader_init(struct csv_reader *r, const char *data, size_t len);

/* Reads the next record into rec (its previous contents are replaced). Returns 1 with a record,
 * 0 at the end of the input, -1 on malformed input or out of memory (r->error, r->error_line).
 * After -1 the reader stays at the error: calling again returns -1 again. */
int csv_next_record(struct csv_reader *r, struct csv_record *rec);

/* Field i (i < rec->nfields) as a NUL-terminated string owned by rec, valid until the next
 * csv_next_record() or csv_record_free() on rec. */
const char *csv_field(const struct csv_record *rec, size_t i);

/* Frees rec's memory and zeroes it. */
void csv_record_free(struct csv_record *rec);

#endif
