/* log.c - JSON log lines; see log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"

static _Atomic int log_level = LOG_INFO;

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void log_set_level(enum log_level level)
{
	atomic_store(&log_level, (int)level);
}

enum log_level log_get_level(void)
{
	return (enum log_level)atomic_load(&log_level);
}

int log_level_parse(const char *s, enum log_level *out)
{
	size_t i;

	for (i = 0; i < sizeof level_names / sizeof level_names[0]; i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

/* Appends "key":"value" (JSON-escaped) to b. */
static void log_pair(struct buf *b, const char *key, const char *value)
{
	buf_puts(b, ",\"");
	buf_json_escape(b, key, strlen(key));
	if (value == NULL) {
		buf_puts(b, "\":null");
		return;
	}
	buf_puts(b, "\":\"");
	buf_json_escape(b, value, strlen(value));
	buf_putc(b, '"');
}

/* Writes the finished line in one write() so lines from threads never interleave. */
static void log_write(struct buf *b)
{
	ssize_t n;

	buf_puts(b, "}\n");
	if (buf_failed(b))
		return;
	n = write(STDERR_FILENO, b->data, b->len);
	(void)n;
}

static void log_begin(struct buf *b, enum log_level level, const char *msg)
{
	struct timespec ts;
	struct tm tm;
	char when[40];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
	buf_printf(b, "{\"time\":\"%s.%03ldZ\",\"level\":\"%s\"", when, ts.tv_nsec / 1000000,
		   level_names[level]);
	log_pair(b, "msg", msg);
}

void log_event(enum log_level level, const char *msg, ...)
{
	struct buf b = { 0 };
	const char *key, *value;
	va_list ap;

	if ((int)level < atomic_load(&log_level))
		return;
	log_begin(&b, level, msg);
	va_start(ap, msg);
	while ((key = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		log_pair(&b, key, value);
	}
	va_end(ap);
	log_write(&b);
	buf_free(&b);
}

void log_fields(enum log_level level, const char *msg, const struct log_field *f, size_t n)
{
	struct buf b = { 0 };
	size_t i;

	if ((int)level < atomic_load(&log_level))
		return;
	log_begin(&b, level, msg);
	for (i = 0; i < n; i++) {
		if (!f[i].is_num) {
			log_pair(&b, f[i].key, f[i].str);
			continue;
		}
		buf_puts(&b, ",\"");
		buf_json_escape(&b, f[i].key, strlen(f[i].key));
		buf_printf(&b, "\":%.15g", f[i].num);
	}
	log_write(&b);
	buf_free(&b);
}

void log_errorf(const char *where, const char *fmt, ...)
{
	struct buf b = { 0 }, msg = { 0 };
	va_list ap;

	if (LOG_ERROR < atomic_load(&log_level))
		return;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	log_begin(&b, LOG_ERROR, buf_str(&msg));
	log_pair(&b, "where", where);
	log_write(&b);
	buf_free(&msg);
	buf_free(&b);
}
