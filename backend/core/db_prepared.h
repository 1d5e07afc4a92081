/* db_prepared.h - statements parsed and planned once per connection instead of on every run.
 *
 * A hot path's statement (one that runs on every request, e.g. a submission's lock and update)
 * is a static struct db_stmt. db_prepared_exec() prepares it on a connection the first time
 * that connection runs it (PQprepare: one extra round trip, once) and from then on runs it
 * with PQexecPrepared, so PostgreSQL skips parsing and planning - most of a small statement's
 * cost. What each connection has prepared is kept with the connection itself (libpq instance
 * data of an event procedure) and forgotten when libpq resets the connection (PQreset: a new
 * server session, e.g. after a restart) or frees it; the pool needs to know nothing.
 *
 * Prepared statements outlive transactions (a ROLLBACK keeps them). PostgreSQL may run one
 * with a generic plan after five runs, so prepare only statements whose best plan does not
 * depend on the parameters' values (lookups by key, INSERTs, UPDATEs by id). Thread-safety is
 * the connection's: one thread at a time, as the pool hands them out.
 */
#ifndef PORTAL_DB_PREPARED_H
#define PORTAL_DB_PREPARED_H

#include <libpq-fe.h>

/* One statement. name must be unique in the program (the module's prefix and what it does:
 * "application_lock"); the struct must live as long as the process (static const). */
struct db_stmt {
	const char *name;
	const char *sql;
	int nparams;
};

/* Runs s on c with s->nparams parameters, as PQexecParams would (vals, lens and fmts as
 * there: lens/fmts may be NULL for text; resfmt 0 text, 1 binary), preparing it first when c
 * has not. Returns the result (the caller PQclear()s it; check its status as after
 * PQexecParams: a failed PQprepare's result is returned the same way, and the statement is
 * then prepared again next time). When memory runs out for the bookkeeping the statement runs
 * unprepared. */
PGresult *db_prepared_exec(PGconn *c, const struct db_stmt *s, const char *const *vals,
			   const int *lens, const int *fmts, int resfmt);

#endif
