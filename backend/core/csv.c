/* csv.c - RFC 4180 CSV reader; see csv.h. */
#include "csv.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void csv_reader_init(struct csv_reader *r, const char *data, size_t len)
{
	r->p = data;
	r->end = data + len;
	r->line = 1;
	r->record_line = 0;
	r->error_line = 0;
	r->error = NULL;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		r->p += 3;
}

/* Records the error msg at line and returns -1. */
static int csv_fail(struct csv_reader *r, const char *msg, size_t line)
{
	r->error = msg;
	r->error_line = line;
	return -1;
}

/* Starts a new field in rec: remembers where it begins in text. Returns 0, -1 when out of
 * memory. */
static int record_start_field(struct csv_record *rec)
{
	size_t *p, cap;

	if (rec->nfields == rec->cap) {
		cap = rec->cap ? rec->cap * 2 : 16;
		if (cap > SIZE_MAX / sizeof(*p))
			return -1;
		p = realloc(rec->offsets, cap * sizeof(*p));
		if (p == NULL)
			return -1;
		rec->offsets = p;
		rec->cap = cap;
	}
	rec->offsets[rec->nfields++] = rec->text.len;
	return 0;
}

/* Reads an unquoted field's bytes at r->p into rec->text, up to a comma, a line break or the
 * end. Returns 0, -1 on a quote, a bare CR or a NUL byte inside it. */
static int read_unquoted(struct csv_reader *r, struct csv_record *rec)
{
	const char *s = r->p;

	while (r->p < r->end && *r->p != ',' && *r->p != '\n') {
		if (*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n')
			break;
		if (*r->p == '"')
			return csv_fail(r, "quote inside an unquoted field", r->line);
		if (*r->p == '\r')
			return csv_fail(r, "carriage return outside quotes", r->line);
		if (*r->p == '\0')
			return csv_fail(r, "NUL byte in the data", r->line);
		r->p++;
	}
	buf_append(&rec->text, s, (size_t)(r->p - s));
	return 0;
}

/* Reads a quoted field at r->p (on its opening quote) into rec->text, undoubling quotes.
 * Leaves r->p after the closing quote. Returns 0, -1 when the field never closes or holds a NUL
 * byte. */
static int read_quoted(struct csv_reader *r, struct csv_record *rec)
{
	size_t start_line = r->line;
	const char *s;

	r->p++;
	for (;;) {
		s = r->p;
		while (r->p < r->end && *r->p != '"' && *r->p != '\0') {
			if (*r->p == '\n')
				r->line++;
			r->p++;
		}
		buf_append(&rec->text, s, (size_t)(r->p - s));
		if (r->p == r->end)
			return csv_fail(r, "quoted field not closed", start_line);
		if (*r->p == '\0')
			return csv_fail(r, "NUL byte in the data", r->line);
		if (r->p + 1 < r->end && r->p[1] == '"') {
			buf_putc(&rec->text, '"');
			r->p += 2;
			continue;
		}
		r->p++;
		return 0;
	}
}

/* Skips empty lines (LF or CRLF alone) at r->p. */
static void skip_empty_lines(struct csv_reader *r)
{
	while (r->p < r->end) {
		if (*r->p == '\n')
			r->p++;
		else if (*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n')
			r->p += 2;
		else
			return;
		r->line++;
	}
}

int csv_next_record(struct csv_reader *r, struct csv_record *rec)
{
	bool quoted;

	if (r->error != NULL)
		return -1;
	rec->nfields = 0;
	buf_reset(&rec->text);
	skip_empty_lines(r);
	if (r->p >= r->end)
		return 0;
	r->record_line = r->line;
	for (;;) {
		if (record_start_field(rec) < 0)
			return csv_fail(r, "out of memory", r->line);
		quoted = *r->p == '"';
		if (quoted ? read_quoted(r, rec) < 0 : read_unquoted(r, rec) < 0)
			return -1;
		buf_putc(&rec->text, '\0');
		if (buf_failed(&rec->text))
			return csv_fail(r, "out of memory", r->line);
		if (r->p == r->end)
			return 1;
		if (*r->p == ',') {
			r->p++;
			if (r->p == r->end) {
				/* "a," ends with an empty last field */
				if (record_start_field(rec) < 0)
					return csv_fail(r, "out of memory", r->line);
				buf_putc(&rec->text, '\0');
				if (buf_failed(&rec->text))
					return csv_fail(r, "out of memory", r->line);
				return 1;
			}
			continue;
		}
		if (*r->p == '\n') {
			r->p++;
			r->line++;
			return 1;
		}
		if (*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n') {
			r->p += 2;
			r->line++;
			return 1;
		}
		/* only a quoted field can stop on anything else */
		return csv_fail(r, "text after a closing quote", r->line);
	}
}

const char *csv_field(const struct csv_record *rec, size_t i)
{
	return rec->text.data + rec->offsets[i];
}

void csv_record_free(struct csv_record *rec)
{
	buf_free(&rec->text);
	free(rec->offsets);
	rec->offsets = NULL;
	rec->nfields = rec->cap = 0;
}
