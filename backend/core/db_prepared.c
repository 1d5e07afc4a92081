/* db_prepared.c - statements prepared once per connection; see db_prepared.h.
 *
 * Each connection that has run a statement through here carries an event procedure whose
 * instance data is the set of statements prepared on it (pointers to the static struct
 * db_stmt: a handful per connection, searched in order). libpq calls the procedure when it
 * resets the connection (the server session is new: the set is emptied) and when it frees it
 * (the set is freed).
 */
#include "db_prepared.h"

#include <libpq-events.h>
#include <stdbool.h>
#include <stdlib.h>

/* The statements prepared on one connection. */
struct prepared_set {
	const struct db_stmt **stmts;
	size_t n, cap;
};

/* libpq event procedure: empties the set at a reset, frees it with the connection. Returns 1
 * (libpq's "success") for every event. */
static int prepared_event(PGEventId id, void *info, void *pass)
{
	struct prepared_set *set;

	(void)pass;
	if (id == PGEVT_CONNRESET) {
		set = PQinstanceData(((PGEventConnReset *)info)->conn, prepared_event);
		if (set != NULL)
			set->n = 0;
	} else if (id == PGEVT_CONNDESTROY) {
		set = PQinstanceData(((PGEventConnDestroy *)info)->conn, prepared_event);
		if (set != NULL) {
			free(set->stmts);
			free(set);
		}
	}
	return 1;
}

/* The set of connection c, registering the event procedure the first time. NULL when out of
 * memory (the caller then runs statements unprepared). */
static struct prepared_set *set_of(PGconn *c)
{
	struct prepared_set *set = PQinstanceData(c, prepared_event);

	if (set != NULL)
		return set;
	set = calloc(1, sizeof *set);
	if (set == NULL)
		return NULL;
	if (!PQregisterEventProc(c, prepared_event, "db_prepared", NULL) ||
	    !PQsetInstanceData(c, prepared_event, set)) {
		free(set);
		return NULL;
	}
	return set;
}

/* True when s is in set. */
static bool set_has(const struct prepared_set *set, const struct db_stmt *s)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->stmts[i] == s)
			return true;
	return false;
}

/* Makes room for one more statement in set. Returns 0, or -1 when out of memory. */
static int set_reserve(struct prepared_set *set)
{
	const struct db_stmt **grown;
	size_t cap = set->cap > 0 ? set->cap * 2 : 16;

	if (set->n < set->cap)
		return 0;
	grown = realloc(set->stmts, cap * sizeof *grown);
	if (grown == NULL)
		return -1;
	set->stmts = grown;
	set->cap = cap;
	return 0;
}

PGresult *db_prepared_exec(PGconn *c, const struct db_stmt *s, const char *const *vals,
			   const int *lens, const int *fmts, int resfmt)
{
	struct prepared_set *set = set_of(c);
	bool known = set != NULL && set_has(set, s);
	PGresult *res;

	if (!known && (set == NULL || set_reserve(set) != 0))
		return PQexecParams(c, s->sql, s->nparams, NULL, vals, lens, fmts, resfmt);
	if (!known) {
		res = PQprepare(c, s->name, s->sql, s->nparams, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			return res;
		PQclear(res);
		set->stmts[set->n++] = s;
	}
	return PQexecPrepared(c, s->name, s->nparams, vals, lens, fmts, resfmt);
}
