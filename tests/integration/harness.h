/* harness.h - the integration tests' side of the wire: a real portal over TLS, a real PostgreSQL.
 *
 * tests/run-integration.sh runs every test binary inside one pg_virtualenv (PG* variables set,
 * schema migrated and seeded) and exports:
 *   PORTAL_BIN   the portal binary (relative to the repository root, the working directory)
 *   IT_TLS_CERT  a throw-away self-signed certificate (ECDSA P-256, SAN localhost, 127.0.0.1)
 *   IT_TLS_KEY   its key
 *   IT_TMPDIR    a scratch directory for server logs
 *
 * A test file builds a Check suite, adds it_fixture_server as an unchecked fixture to each
 * TCase that needs the server, and returns it_run(suite) from main. The suite's server starts
 * once (in the runner process) and is stopped with SIGTERM at the end; a non-graceful exit
 * fails the binary. A test may start a server of its own (it_server_start with extra
 * environment): servers nest, it_server_stop returns to the previous one.
 *
 * Every helper that cannot do its job fails the current test (ck_abort_msg) unless its comment
 * says otherwise. Memory a helper returns is the caller's to free as its comment says.
 */
#ifndef PORTAL_IT_HARNESS_H
#define PORTAL_IT_HARNESS_H

#include <check.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stddef.h>

/* One HTTP response. Owned by the caller; release with it_resp_free (safe on a zeroed or
 * already freed struct). */
struct it_resp {
	long status;            /* HTTP status, 0 when no response came */
	char *body;             /* NUL-terminated body (may itself hold NULs: use len) */
	size_t len;             /* body length */
	char *headers;          /* raw header block of the final response (status line included) */
	double time_total;      /* seconds, from curl */
	long num_connects;      /* new connections this transfer opened (0 = connection reused) */
	char **hvals;           /* values returned by it_header, freed with the response */
	size_t nhvals;
};

/* --- the portal under test ---------------------------------------------------------------- */

/* Starts `$PORTAL_BIN serve` on 127.0.0.1:<free port> with the test certificate,
 * DATABASE_URL=postgresql://, PORTAL_BASE_URL and PORTAL_LOG_LEVEL=info; extra_env (NULL or a
 * NULL-terminated list of "NAME=value", or "NAME" to unset) is applied last. stdout and stderr go
 * to a fresh log file under IT_TMPDIR. Waits up to 10 s for /healthz to answer 200, else fails
 * with the log's tail. The new server becomes the current one (servers nest). */
void it_server_start(const char *const *extra_env);
/* Sends SIGTERM to the current server, waits up to 10 s (then SIGKILL), makes the previous
 * server current again. Returns the exit status (0 = graceful shutdown), 128+signal when it
 * died of a signal, -1 when no server of this process was running or it had to be killed.
 * Never fails the test itself: safe in unchecked fixtures. */
int it_server_stop(void);
/* Unchecked fixture: starts the suite's server unless it already runs. */
void it_fixture_server(void);
/* The current server's base URL ("https://127.0.0.1:PORT") and its log so far (malloc'd,
 * caller frees). */
const char *it_base_url(void);
char *it_server_log(void);
/* Runs `$PORTAL_BIN args...` (args NULL-terminated) with the same environment it_server_start
 * would give (free listen port, test certificate, DATABASE_URL=postgresql://) plus extra_env.
 * Returns its exit status, or -1 when it did not exit within timeout_ms (it is then killed).
 * *output (if output is non-NULL) receives stdout+stderr, malloc'd. */
int it_portal_run(const char *const *args, const char *const *extra_env, int timeout_ms,
		  char **output);

/* --- HTTP over TLS ------------------------------------------------------------------------- */

/* GET path on the current server through this process's shared handle (keep-alive). Fails the
 * test when no response came. Returns the status. */
long it_get(const char *path, struct it_resp *resp);
/* Any method. content_type/body may be NULL (body of len bytes, may hold NULs). extra_headers
 * is NULL or a NULL-terminated list of "Name: value". Fails the test when no response came.
 * Returns the status. */
long it_request(const char *method, const char *path, const char *content_type, const char *body,
		size_t len, const char *const *extra_headers, struct it_resp *resp);
/* A new easy handle set up like the shared one (test CA, timeouts, HTTP/1.1, path as is) for
 * tests that need special options (TLS versions). Caller curl_easy_cleanup()s it. */
CURL *it_curl_new(void);
/* One transfer on handle h (see it_request); options the caller set on h before are kept.
 * Returns curl's result (CURLE_OK when a response came); never fails the test. */
CURLcode it_perform(CURL *h, const char *method, const char *path, const char *content_type,
		    const char *body, size_t len, const char *const *extra_headers,
		    struct it_resp *resp);
/* Value of response header `name` (case-insensitive, first occurrence, trimmed) or NULL.
 * The string belongs to resp. */
const char *it_header(struct it_resp *resp, const char *name);
void it_resp_free(struct it_resp *resp);
/* Body parsed as JSON (caller json_decref()s), failing the test when it is not JSON. */
json_t *it_json(const struct it_resp *resp);
/* Copy of s with HTML character references (&amp; &lt; &gt; &quot; &#39; &#NN; &#xHH;)
 * decoded, for comparing page text with database values. Caller frees. */
char *it_html_decode(const char *s);

/* --- PostgreSQL ---------------------------------------------------------------------------- */

/* Runs sql (one or more statements) on `postgresql://` (the pg_virtualenv database). Returns
 * the first column of the first row of the last result, malloc'd, or NULL when there is none.
 * Fails the test on any error. */
char *it_psql(const char *sql);
/* Like it_psql, the first row's first column as a number. */
long it_psql_long(const char *sql);
/* Every row's first column (NULL-terminated list, *n rows); free with it_strv_free. */
char **it_psql_col(const char *sql, size_t *n);
void it_strv_free(char **v);
/* Stops / starts the pg_virtualenv cluster (pg_ctlcluster $PGVERSION regress stop|start).
 * it_pg_ensure_running never fails the test: for unchecked teardowns. */
void it_pg_stop(void);
void it_pg_start(void);
void it_pg_ensure_running(void);

/* --- running a suite ----------------------------------------------------------------------- */

/* Runs suite s (verbosity and filters from CK_* variables), then stops the suite's server
 * and checks that it shut down gracefully. Returns the process exit status for main. */
int it_run(Suite *s);

/* Milliseconds on a monotonic clock, and a sleep. */
long long it_now_ms(void);
void it_sleep_ms(int ms);

#endif
