/* log.h - JSON log lines on standard error, one per event.
 *
 * Every value is JSON-escaped, so CR/LF in user input can never forge a line. Callers must not
 * pass passwords, tokens or session ids. Thread-safe (each line is written with one write()).
 */
#ifndef PORTAL_LOG_H
#define PORTAL_LOG_H

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

/* Formats msg and logs it at ERROR with "where" naming the caller (use __func__). */
void log_errorf(const char *where, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
