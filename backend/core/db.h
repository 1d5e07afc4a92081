/* db.h - a bounded pool of libpq connections, migrations and the seed loader.
 *
 * The pool holds at most `size` connections, opened lazily. db_acquire() waits up to wait_ms for
 * a free one and returns NULL when none comes (the caller answers 503 with Retry-After). Before a
 * connection is handed out it is checked: a connection broken by a server restart is reset
 * (PQreset) and its prepared statements forgotten; one left in a failed or open transaction is
 * rolled back. Thread-safe (mutex + condition variable).
 */
#ifndef PORTAL_DB_H
#define PORTAL_DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

struct db_stats {
	unsigned in_use;          /* connections handed out now */
	unsigned open;            /* connections open now */
	unsigned size;            /* the pool's bound */
	unsigned long long waits; /* acquisitions that had to wait */
	unsigned long long timeouts; /* acquisitions that gave up (-> 503) */
	unsigned long long resets;   /* broken connections reset */
	unsigned long long failures; /* acquisitions that failed to connect (server unreachable) */
};

/* Sets up the pool. conninfo is a libpq URL or key=value string. Returns 0, -1 on bad args or
 * out of memory. Does not connect. */
int db_pool_init(const char *conninfo, unsigned size);
/* Waits for in-use connections to come back (up to wait_ms), then closes all. */
void db_pool_close(int wait_ms);
/* Borrows a healthy connection, or NULL after wait_ms (or when the server is unreachable). */
PGconn *db_acquire(int wait_ms);
/* Returns a connection to the pool. A NULL conn is ignored. */
void db_release(PGconn *conn);
void db_stats_get(struct db_stats *out);

/* Opens one connection outside the pool (for the command-line tools). NULL and a message in err
 * (one line, no password) on failure. */
PGconn *db_connect(const char *conninfo, char *err, size_t errlen);

/* Writes "context: message" into err (one line) for a failed command: the result's error
 * message when res has one, else the connection's, else the unexpected result status. res and
 * conn may be NULL; err may be NULL (nothing written). */
void db_error(char *err, size_t errlen, const char *context, const PGconn *conn,
	      const PGresult *res);

/* Applies every sql/migrations/NNNN_name.sql file (sorted by name) not yet recorded in
 * schema_migrations, each in its own transaction. Prints one line per applied migration to
 * stdout when verbose. Returns 0, or -1 with a message in err. Idempotent. */
int db_migrate(PGconn *conn, const char *dir, bool verbose, char *err, size_t errlen);
/* Number of migration files in dir not yet applied (0 = up to date), or -1 with err set. */
int db_migrations_pending(PGconn *conn, const char *dir, char *err, size_t errlen);

/* Timestamps as SQL, the one way every page and email shows them: ISO 8601 in UTC for machines;
 * for people in Europe/London, times as GOV.UK writes them (govuk_time, migration 0020: "9am",
 * "5:30pm", "midday"): the time alone, the day and the time ("24 November 2026, 9am"; SQL_WHEN_AT:
 * "24 November 2026 at 9am") or the day alone ("24 November 2026"). x is an SQL expression of
 * type timestamptz; each is NULL when x is. */
#define SQL_ISO(x) "to_char((" x ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define SQL_TIME(x) "govuk_time(" x ")"
#define SQL_DAY(x) "to_char((" x ") AT TIME ZONE 'Europe/London', 'FMDD FMMonth YYYY')"
#define SQL_WHEN(x) "(" SQL_DAY(x) " || ', ' || " SQL_TIME(x) ")"
#define SQL_WHEN_AT(x) "(" SQL_DAY(x) " || ' at ' || " SQL_TIME(x) ")"

/* A numeric macro as SQL text: "interval '" SQL_INT(HOURS) " hours'". */
#define SQL_INT_(x) #x
#define SQL_INT(x) SQL_INT_(x)

/* Runs a transaction command ("BEGIN", "COMMIT", "ROLLBACK"). Returns 0 or -1 (logged). */
int db_tx(PGconn *c, const char *cmd);

/* What one unit of a periodic round did (db_each_tx). */
enum db_unit {
	DB_UNIT_FAILED = -1, /* an error (logged): rolled back, and the round stops */
	DB_UNIT_NONE = 0,    /* nothing is due (or all of it is locked by another instance) */
	DB_UNIT_DONE = 1,    /* one unit of work done: committed */
};

/* Runs unit(c, arg) in a transaction of its own, again and again: committed after each
 * DB_UNIT_DONE, rolled back and stopped at DB_UNIT_NONE or DB_UNIT_FAILED, at most max units.
 * For the periodic job's rounds, each unit picking its work with FOR UPDATE SKIP LOCKED so
 * that several instances share it. Returns the number of units committed, or -1 when a unit,
 * BEGIN or COMMIT failed (logged; the units committed before stay). */
int db_each_tx(PGconn *c, int (*unit)(PGconn *c, void *arg), void *arg, int max);

#endif
