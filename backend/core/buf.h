/* buf.h - a growable byte buffer, always NUL-terminated.
 *
 * The one way this project builds strings of unknown length (HTML, JSON, log lines, SQL
 * parameters). A zeroed struct buf is an empty buffer. On allocation failure the buffer is
 * marked failed: further appends are ignored and buf_failed() reports it, so a caller can
 * append many times and check once. The caller owns data and frees it with buf_free().
 */
#ifndef PORTAL_BUF_H
#define PORTAL_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct buf {
	char *data;   /* NUL-terminated when len > 0 or after any append; may be NULL when empty */
	size_t len;   /* bytes used, not counting the terminating NUL */
	size_t cap;   /* bytes allocated */
	bool failed;  /* an allocation failed; contents are incomplete */
};

/* Makes room for n more bytes without appending (to avoid repeated growth). */
void buf_reserve(struct buf *b, size_t n);

/* buf_append when the bytes do not fit (or the buffer failed): grows, then appends. */
void buf_append_grow(struct buf *b, const char *s, size_t n);

/* Appends n bytes. Inline: pages are written a few bytes at a time, and the common case (the
 * bytes fit) is a copy. */
static inline void buf_append(struct buf *b, const char *s, size_t n)
{
	if (n < b->cap - b->len && !b->failed) {
		if (n > 0)
			memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len] = '\0';
		return;
	}
	buf_append_grow(b, s, n);
}

static inline void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

static inline void buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Appends s with & < > " ' replaced by HTML entities. */
void buf_html_escape(struct buf *b, const char *s, size_t n);
/* Appends s as the inside of a JSON string (quotes not added). */
void buf_json_escape(struct buf *b, const char *s, size_t n);
/* Returns a C string view ("" when empty). Never NULL. */
const char *buf_str(const struct buf *b);
bool buf_failed(const struct buf *b);
void buf_reset(struct buf *b);      /* len = 0, keeps the allocation */
void buf_free(struct buf *b);       /* frees and zeroes */

#endif
