/* db.c - the connection pool and one-off connections; see db.h. Migrations are in migrate.c.
 *
 * Health checks. A connection is checked when it is handed out, never while it sits idle:
 *  - PQstatus not CONNECTION_OK, or a transaction status of ACTIVE/UNKNOWN: PQreset.
 *  - inside a transaction (INTRANS/INERROR): ROLLBACK (db_release already tries this, so that an
 *    abandoned transaction does not hold its locks while the connection waits in the pool).
 *  - A connection whose server went away (restart, pg_terminate_backend) still says
 *    CONNECTION_OK until it is used. Asking the server costs a round trip, so we ask (an empty
 *    query) only when there is reason to doubt: the connection sat idle for more than
 *    DB_IDLE_CHECK_MS, the last command on it failed (PQerrorMessage non-empty at release), or its
 *    socket became readable while idle. An idle session receives nothing unless the server is
 *    closing it (restart, termination: FATAL message, then EOF), so a zero-timeout poll() - one
 *    system call, no round trip - catches those even on a busy pool. A busy pool therefore pays
 *    no round trips for checks, and the request after a server restart gets a fresh connection
 *    instead of an error. (A silently dead network path is only caught by the idle check or the
 *    failed query, after which the connection is checked on its next acquire.)
 *  - When the reset fails (server down), db_acquire returns NULL at once: connecting is bounded
 *    by connect_timeout (DB_CONNECT_TIMEOUT unless the conninfo or PGCONNECT_TIMEOUT sets it).
 * Connecting, checking and resetting happen outside the pool's mutex, on a slot marked in use, so
 * a slow server never blocks other threads' acquire/release.
 *
 * Logging: a failed connect or reset is logged (at most once per DB_LOG_EVERY_S, so an outage
 * under load does not flood the log); notices and warnings the server sends to pooled
 * connections (e.g. "terminating connection due to administrator command") go to the log
 * instead of raw stderr. One-off connections (db_connect) keep libpq's default.
 */
#include "db.h"

#include <assert.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "log.h"

#define DB_IDLE_CHECK_MS 1000
#define DB_LOG_EVERY_S 5
#define DB_CONNECT_TIMEOUT "4"
#define DB_APP_NAME "portal"

/* Connection parameters as PQconnectdbParams wants them: NULL-terminated arrays. */
struct conn_params {
	char **keys;
	char **vals;
	const char *password;   /* points into vals, or NULL: masked out of error messages */
};

struct slot {
	PGconn *conn;               /* NULL until connected, and after a failed reset */
	bool in_use;
	bool suspect;               /* the last command failed: ask the server before reuse */
	struct timespec idle_since; /* CLOCK_MONOTONIC, when last released */
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;        /* signalled when a slot is freed, and at close */
	bool ready;                 /* initialised and not yet torn down */
	bool closing;               /* db_pool_close called: no new acquisitions */
	bool orphaned;              /* db_pool_close gave up waiting: the last release tears down */
	struct conn_params params;
	struct slot *slots;
	unsigned size, in_use, open;
	unsigned long long waits, timeouts, resets, failures;
	struct timespec failure_logged;  /* when a connect failure was last logged */
	unsigned long long failures_logged; /* pool.failures at that time */
} pool = { .lock = PTHREAD_MUTEX_INITIALIZER };

static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

/* Makes pool.cond wait on CLOCK_MONOTONIC, once per process. It is never destroyed, so a thread
 * still waking from it after db_pool_close is safe. */
static void pool_cond_init(void)
{
	pthread_condattr_t attr;

	if (pthread_condattr_init(&attr) != 0 ||
	    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&pool.cond, &attr) != 0)
		abort();
	pthread_condattr_destroy(&attr);
}

/* Milliseconds from a to b (CLOCK_MONOTONIC values). */
static long long ms_between(const struct timespec *a, const struct timespec *b)
{
	return (long long)(b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

/* Sets *t to wait_ms (negative = 0) from now on CLOCK_MONOTONIC. */
static void deadline_after(struct timespec *t, int wait_ms)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	if (wait_ms <= 0)
		return;
	t->tv_sec += wait_ms / 1000;
	t->tv_nsec += (long)(wait_ms % 1000) * 1000000;
	if (t->tv_nsec >= 1000000000) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000;
	}
}

/* --- messages ----------------------------------------------------------------------------- */

/* Writes "prefix: msg" into err (errlen bytes) as one line: line breaks and tabs become spaces,
 * runs of spaces one space, trailing space dropped, and every occurrence of secret (when
 * non-empty) replaced by "***". err may be NULL. */
static void msg_oneline(char *err, size_t errlen, const char *prefix, const char *msg,
			const char *secret)
{
	struct buf b = {0};
	size_t slen = secret != NULL ? strlen(secret) : 0;
	const char *p;

	if (err == NULL || errlen == 0)
		return;
	buf_puts(&b, prefix);
	buf_puts(&b, ": ");
	for (p = msg; *p != '\0'; p++) {
		if (slen > 0 && strncmp(p, secret, slen) == 0) {
			buf_puts(&b, "***");
			p += slen - 1;
		} else if (*p == '\n' || *p == '\r' || *p == '\t' || *p == ' ') {
			if (b.len > 0 && b.data[b.len - 1] != ' ')
				buf_putc(&b, ' ');
		} else {
			buf_putc(&b, *p);
		}
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	snprintf(err, errlen, "%s", buf_failed(&b) ? "out of memory" : buf_str(&b));
	buf_free(&b);
}

void db_error(char *err, size_t errlen, const char *context, const PGconn *conn,
	      const PGresult *res)
{
	const char *msg = res != NULL ? PQresultErrorMessage(res) : "";
	char status[64];

	if (*msg == '\0' && conn != NULL)
		msg = PQerrorMessage(conn);
	if (*msg == '\0' && res != NULL) {
		snprintf(status, sizeof(status), "unexpected result %s",
			 PQresStatus(PQresultStatus(res)));
		msg = status;
	}
	msg_oneline(err, errlen, context, *msg != '\0' ? msg : "unknown error", NULL);
}

/* --- connection parameters ---------------------------------------------------------------- */

/* Frees p's strings and arrays and zeroes it (safe on a zeroed or half-built p). */
static void conn_params_free(struct conn_params *p)
{
	size_t i;

	for (i = 0; p->keys != NULL && p->keys[i] != NULL; i++)
		free(p->keys[i]);
	for (i = 0; p->vals != NULL && p->vals[i] != NULL; i++)
		free(p->vals[i]);
	free(p->keys);
	free(p->vals);
	p->keys = p->vals = NULL;
	p->password = NULL;
}

/* Appends key=val to p (arrays sized by the caller). Returns 0, -1 when out of memory. */
static int conn_params_add(struct conn_params *p, size_t *n, const char *key, const char *val)
{
	p->keys[*n] = strdup(key);
	p->vals[*n] = strdup(val);
	if (p->keys[*n] == NULL || p->vals[*n] == NULL) {
		/* keep the arrays NULL-terminated at the first gap for conn_params_free */
		free(p->keys[*n]);
		free(p->vals[*n]);
		p->keys[*n] = p->vals[*n] = NULL;
		return -1;
	}
	(*n)++;
	return 0;
}

/* Parses conninfo (libpq URL or key=value string) into p, adding what the portal wants when the
 * conninfo (or libpq's environment variable) does not say otherwise: connect_timeout,
 * fallback_application_name and client_encoding=UTF8. Unset parameters are left to libpq's
 * environment (PGHOST, ...) and defaults. Returns 0, or -1 when conninfo does not parse or
 * memory runs out (p is then empty). The libpq parse message is not kept: it may quote the
 * conninfo, password included. */
static int conn_params_build(const char *conninfo, struct conn_params *p)
{
	PQconninfoOption *opts, *o;
	char *perr = NULL;
	bool has_timeout = getenv("PGCONNECT_TIMEOUT") != NULL;
	bool has_options = false;
	bool has_encoding = getenv("PGCLIENTENCODING") != NULL;
	size_t count = 0, n = 0;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	opts = PQconninfoParse(conninfo, &perr);
	if (opts == NULL)
		goto out;
	for (o = opts; o->keyword != NULL; o++)
		count++;
	/* every option, plus four additions, plus the terminating NULL */
	p->keys = calloc(count + 5, sizeof(*p->keys));
	p->vals = calloc(count + 5, sizeof(*p->vals));
	if (p->keys == NULL || p->vals == NULL)
		goto out;
	for (o = opts; o->keyword != NULL; o++) {
		if (o->val == NULL)
			continue;
		if (conn_params_add(p, &n, o->keyword, o->val) < 0)
			goto out;
		if (strcmp(o->keyword, "connect_timeout") == 0)
			has_timeout = true;
		else if (strcmp(o->keyword, "client_encoding") == 0)
			has_encoding = true;
		else if (strcmp(o->keyword, "options") == 0)
			has_options = true;
		else if (strcmp(o->keyword, "password") == 0)
			p->password = p->vals[n - 1];
	}
	if (!has_timeout && conn_params_add(p, &n, "connect_timeout", DB_CONNECT_TIMEOUT) < 0)
		goto out;
	if (!has_encoding && conn_params_add(p, &n, "client_encoding", "UTF8") < 0)
		goto out;
	/* Server notices (e.g. a search of stop words only) are not worth a log line each. */
	if (!has_options && getenv("PGOPTIONS") == NULL &&
	    conn_params_add(p, &n, "options", "-c client_min_messages=warning") < 0)
		goto out;
	if (conn_params_add(p, &n, "fallback_application_name", DB_APP_NAME) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		conn_params_free(p);
	PQconninfoFree(opts);
	PQfreemem(perr);
	return rc;
}

/* libpq notice processor of pooled connections: logs the notice (one line) at WARN. */
static void pool_notice(void *arg, const char *message)
{
	char line[512];

	(void)arg;
	msg_oneline(line, sizeof(line), "database notice", message, NULL);
	log_event(LOG_WARN, line, NULL);
}

/* Opens a connection with p. Returns it (CONNECTION_OK), or NULL with a one-line message in err
 * (password masked). */
static PGconn *conn_open(const struct conn_params *p, char *err, size_t errlen)
{
	PGconn *c;

	c = PQconnectdbParams((const char *const *)p->keys, (const char *const *)p->vals, 0);
	if (c == NULL) {
		msg_oneline(err, errlen, "database connection failed", "out of memory", NULL);
		return NULL;
	}
	if (PQstatus(c) != CONNECTION_OK) {
		msg_oneline(err, errlen, "database connection failed", PQerrorMessage(c),
			    p->password);
		PQfinish(c);
		return NULL;
	}
	return c;
}

PGconn *db_connect(const char *conninfo, char *err, size_t errlen)
{
	struct conn_params p;
	PGconn *c;

	if (conninfo == NULL || conn_params_build(conninfo, &p) < 0) {
		msg_oneline(err, errlen, "database connection failed",
			    "the connection string is not a valid libpq URL or key=value string",
			    NULL);
		return NULL;
	}
	c = conn_open(&p, err, errlen);
	conn_params_free(&p);
	return c;
}

/* --- the pool ----------------------------------------------------------------------------- */

int db_pool_init(const char *conninfo, unsigned size)
{
	struct slot *slots = NULL;
	struct conn_params p = {0};
	int rc = -1;

	pthread_once(&pool_once, pool_cond_init);
	if (conninfo == NULL || size == 0)
		return -1;
	slots = calloc(size, sizeof(*slots));
	if (slots == NULL || conn_params_build(conninfo, &p) < 0)
		goto out;
	pthread_mutex_lock(&pool.lock);
	if (!pool.ready) {
		pool.ready = true;
		pool.params = p;
		pool.slots = slots;
		pool.size = size;
		pool.in_use = pool.open = 0;
		pool.waits = pool.timeouts = pool.resets = pool.failures = 0;
		pool.failures_logged = 0;
		memset(&pool.failure_logged, 0, sizeof(pool.failure_logged));
		slots = NULL;
		memset(&p, 0, sizeof(p));
		rc = 0;
	}
	pthread_mutex_unlock(&pool.lock);
out:
	free(slots);
	conn_params_free(&p);
	return rc;
}

/* Frees everything once the pool is closing and no connection is out. Called with the lock. */
static void pool_teardown_locked(void)
{
	unsigned i;

	for (i = 0; i < pool.size; i++)
		PQfinish(pool.slots[i].conn);
	free(pool.slots);
	pool.slots = NULL;
	conn_params_free(&pool.params);
	pool.size = pool.open = 0;
	pool.ready = pool.closing = pool.orphaned = false;
}

/* Marks s free. When the pool is closing, closes its connection too, and tears the pool down
 * after the last one when db_pool_close has given up waiting. Wakes waiters. Called with the
 * lock. */
static void slot_free_locked(struct slot *s)
{
	s->in_use = false;
	pool.in_use--;
	clock_gettime(CLOCK_MONOTONIC, &s->idle_since);
	if (!pool.closing) {
		pthread_cond_signal(&pool.cond);
		return;
	}
	if (s->conn != NULL) {
		PQfinish(s->conn);
		s->conn = NULL;
		pool.open--;
	}
	if (pool.orphaned && pool.in_use == 0)
		pool_teardown_locked();
	pthread_cond_broadcast(&pool.cond);
}

void db_pool_close(int wait_ms)
{
	struct timespec deadline;
	unsigned i;

	deadline_after(&deadline, wait_ms);
	pthread_mutex_lock(&pool.lock);
	if (!pool.ready || pool.closing)
		goto out;
	pool.closing = true;
	pthread_cond_broadcast(&pool.cond);
	while (pool.in_use > 0 &&
	       pthread_cond_timedwait(&pool.cond, &pool.lock, &deadline) != ETIMEDOUT)
		;
	if (pool.in_use == 0) {
		pool_teardown_locked();
		goto out;
	}
	/* close the idle ones now; db_release closes the rest and tears down after the last */
	pool.orphaned = true;
	for (i = 0; i < pool.size; i++) {
		if (!pool.slots[i].in_use && pool.slots[i].conn != NULL) {
			PQfinish(pool.slots[i].conn);
			pool.slots[i].conn = NULL;
			pool.open--;
		}
	}
out:
	pthread_mutex_unlock(&pool.lock);
}

/* Picks a free slot: the most recently released open connection (its cache is warm and it
 * needs no liveness check), else an unconnected slot, else NULL. Called with the lock. */
static struct slot *slot_pick_locked(void)
{
	struct slot *best = NULL, *empty = NULL, *s;
	unsigned i;

	for (i = 0; i < pool.size; i++) {
		s = &pool.slots[i];
		if (s->in_use)
			continue;
		if (s->conn == NULL) {
			if (empty == NULL)
				empty = s;
		} else if (best == NULL || ms_between(&best->idle_since, &s->idle_since) > 0) {
			best = s;
		}
	}
	return best != NULL ? best : empty;
}

/* True when the server sent something to an idle connection (it only does so when closing the
 * session) or its socket is unusable. One poll(), no round trip. */
static bool conn_has_input(PGconn *c)
{
	struct pollfd pfd = { .fd = PQsocket(c), .events = POLLIN };

	if (pfd.fd < 0)
		return true;
	return poll(&pfd, 1, 0) != 0;
}

/* True when a command run on c left it healthy: status OK and outside a transaction. */
static bool conn_exec_ok(PGconn *c, const char *sql, ExecStatusType want)
{
	PGresult *res = PQexec(c, sql);
	bool ok = PQresultStatus(res) == want;

	PQclear(res);
	return ok && PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) == PQTRANS_IDLE;
}

/* Makes the connection in *conn ready to hand out (see the top of this file): connects when
 * *conn is NULL, else checks it (always the cheap local checks; a round trip when check is set)
 * and resets it when broken. Sets *reset when PQreset was called. Returns 0; or -1 with *conn
 * NULL (closed) and a message in err when the server cannot be reached. Runs without the lock:
 * the slot is ours. */
static int conn_prepare(const struct conn_params *p, PGconn **conn, bool check, bool *reset,
			char *err, size_t errlen)
{
	PGconn *c = *conn;
	bool healthy;

	*reset = false;
	if (c == NULL) {
		*conn = conn_open(p, err, errlen);
		if (*conn == NULL)
			return -1;
		/* kept across PQreset, which reuses the PGconn */
		PQsetNoticeProcessor(*conn, pool_notice, NULL);
		return 0;
	}
	healthy = PQstatus(c) == CONNECTION_OK;
	if (healthy) {
		switch (PQtransactionStatus(c)) {
		case PQTRANS_IDLE:
			if (check || conn_has_input(c))
				healthy = conn_exec_ok(c, "", PGRES_EMPTY_QUERY);
			break;
		case PQTRANS_INTRANS:
		case PQTRANS_INERROR:
			healthy = conn_exec_ok(c, "ROLLBACK", PGRES_COMMAND_OK);
			break;
		default:
			/* ACTIVE (a query still running) or UNKNOWN: the session is unusable */
			healthy = false;
			break;
		}
	}
	if (healthy)
		return 0;
	*reset = true;
	PQreset(c);
	if (PQstatus(c) == CONNECTION_OK)
		return 0;
	msg_oneline(err, errlen, "database connection failed", PQerrorMessage(c), p->password);
	PQfinish(c);
	*conn = NULL;
	return -1;
}

PGconn *db_acquire(int wait_ms)
{
	struct timespec now, deadline;
	struct slot *s = NULL;
	PGconn *conn = NULL;
	bool waited = false, check, reset, was_open;
	char err[512];
	bool log_failure = false;
	unsigned long long failed_since_log = 0;
	int rc = 0;

	deadline_after(&deadline, wait_ms);
	pthread_mutex_lock(&pool.lock);
	for (;;) {
		if (!pool.ready || pool.closing)
			goto out;
		s = slot_pick_locked();
		if (s != NULL)
			break;
		if (rc == ETIMEDOUT) {
			pool.timeouts++;
			goto out;
		}
		if (!waited) {
			waited = true;
			pool.waits++;
		}
		rc = pthread_cond_timedwait(&pool.cond, &pool.lock, &deadline);
	}
	s->in_use = true;
	pool.in_use++;
	/* the slot keeps no pointer while we work on it: a connection freed by a failed reset
	 * could otherwise share its address with a new one that another thread releases */
	conn = s->conn;
	s->conn = NULL;
	was_open = conn != NULL;
	clock_gettime(CLOCK_MONOTONIC, &now);
	check = s->suspect || ms_between(&s->idle_since, &now) > DB_IDLE_CHECK_MS;
	pthread_mutex_unlock(&pool.lock);

	rc = conn_prepare(&pool.params, &conn, check, &reset, err, sizeof(err));

	pthread_mutex_lock(&pool.lock);
	s->conn = conn;
	s->suspect = false;
	if (reset)
		pool.resets++;
	if (was_open && conn == NULL)
		pool.open--;
	else if (!was_open && conn != NULL)
		pool.open++;
	if (rc < 0) {
		pool.failures++;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (pool.failures_logged == 0 ||
		    ms_between(&pool.failure_logged, &now) >= DB_LOG_EVERY_S * 1000) {
			log_failure = true;
			failed_since_log = pool.failures - pool.failures_logged;
			pool.failure_logged = now;
			pool.failures_logged = pool.failures;
		}
	}
	if (rc < 0 || pool.closing) {
		/* the slot is free again: another waiter may try to connect */
		slot_free_locked(s);
		conn = NULL;
	}
out:
	pthread_mutex_unlock(&pool.lock);
	if (log_failure)
		log_errorf(__func__, "%s (%llu failed connection attempts since the last report)",
			   err, failed_since_log);
	return conn;
}

void db_release(PGconn *conn)
{
	struct slot *s = NULL;
	PGTransactionStatusType ts;
	bool suspect;
	unsigned i;

	if (conn == NULL)
		return;
	/* read before ROLLBACK, which clears the error of the caller's last command */
	ts = PQtransactionStatus(conn);
	suspect = PQstatus(conn) != CONNECTION_OK || *PQerrorMessage(conn) != '\0' ||
		  ts != PQTRANS_IDLE;
	if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR)
		PQclear(PQexec(conn, "ROLLBACK"));

	pthread_mutex_lock(&pool.lock);
	for (i = 0; i < pool.size; i++) {
		if (pool.slots[i].conn == conn && pool.slots[i].in_use) {
			s = &pool.slots[i];
			break;
		}
	}
	assert(s != NULL && "db_release of a connection not from db_acquire");
	if (s != NULL) {
		s->suspect = suspect;
		slot_free_locked(s);
	}
	pthread_mutex_unlock(&pool.lock);
}

void db_stats_get(struct db_stats *out)
{
	pthread_mutex_lock(&pool.lock);
	out->in_use = pool.in_use;
	out->open = pool.open;
	out->size = pool.size;
	out->waits = pool.waits;
	out->timeouts = pool.timeouts;
	out->resets = pool.resets;
	out->failures = pool.failures;
	pthread_mutex_unlock(&pool.lock);
}

int db_tx(PGconn *c, const char *cmd)
{
	PGresult *res = PQexec(c, cmd);
	int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;

	if (rc != 0)
		log_errorf(__func__, "%s: %s", cmd, PQerrorMessage(c));
	PQclear(res);
	return rc;
}

int db_each_tx(PGconn *c, int (*unit)(PGconn *c, void *arg), void *arg, int max)
{
	int n = 0, rc;

	while (n < max) {
		if (db_tx(c, "BEGIN") != 0)
			return -1;
		rc = unit(c, arg);
		if (rc != DB_UNIT_DONE) {
			db_tx(c, "ROLLBACK");
			return rc == DB_UNIT_NONE ? n : -1;
		}
		if (db_tx(c, "COMMIT") != 0)
			return -1;
		n++;
	}
	return n;
}
