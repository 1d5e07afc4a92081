/* csv_write.c - CSV cells for downloads; see csv_write.h. */
#include "csv_write.h"

#include <string.h>

void csv_write_cell(struct buf *b, const char *s, bool last)
{
	buf_putc(b, '"');
	if (s != NULL && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
		buf_putc(b, '\'');
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
	buf_puts(b, last ? "\r\n" : ",");
}
