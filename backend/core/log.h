/* log.h - JSON log lines on standard error, one per event.
 *
 * Every value is JSON-escaped, so CR/LF in user input can never forge a line. Callers must not
 * pass passwords, tokens or session ids. Thread-safe (each line is written with one write()).
 */
#ifndef PORTAL_LOG_H
#define PORTAL_LOG_H

#include <stddef.h>

enum log_level {
	LOG_DEBUG,
	LOG_INFO,
	LOG_WARN,
	LOG_ERROR,
};

void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Parses "debug" | "info" | "warn" | "error". Returns 0 or -1. */
int log_level_parse(const char *s, enum log_level *out);

/* Writes {"time":...,"level":...,"msg":msg, key: value...}. The variadic part is pairs of
 * const char * (key, value) terminated by NULL; a NULL value is written as null. */
void log_event(enum log_level level, const char *msg, ...);

/* A typed value for log_fields(): a string (JSON-escaped) or a number. */
struct log_field {
	const char *key;
	const char *str;  /* used when !is_num; NULL is written as null */
	double num;
	int is_num;
};

#define LOG_STR(k, v) { (k), (v), 0, 0 }
#define LOG_NUM(k, v) { (k), NULL, (double)(v), 1 }

/* Writes {"time":...,"level":...,"msg":msg, fields...}: numbers as JSON numbers. */
void log_fields(enum log_level level, const char *msg, const struct log_field *f, size_t n);

/* Formats msg and logs it at ERROR with "where" naming the caller (use __func__). */
void log_errorf(const char *where, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
