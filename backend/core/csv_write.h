/* csv_write.h - writing CSV (RFC 4180) for spreadsheet downloads, safely.
 *
 * Every cell is quoted (quotes doubled), so commas and line breaks in data stay inside their
 * cell. A cell a spreadsheet would take for a formula - one that starts with = + - @, a tab or
 * a CR - is written with a leading single quote (OWASP's CSV injection advice), so it is shown
 * as text and never evaluated. Records end in CRLF.
 */
#ifndef PORTAL_CSV_WRITE_H
#define PORTAL_CSV_WRITE_H

#include <stdbool.h>

#include "buf.h"

/* Appends one cell (NULL: an empty one) to b, then a comma, or the record's CRLF when last. */
void csv_write_cell(struct buf *b, const char *s, bool last);

#endif
