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
#include <libpq-fe.h>
#include <stdbool.h>
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
/* POSTs form (url-encoded) to path n times at once, each on a new connection of its own with
 * extra_headers (NULL or NULL-terminated; no cookies but those), for races: resp[i] receives
 * the i-th response (caller it_resp_free()s each). Fails the test when one got no response. */
void it_post_at_once(const char *path, const char *form, const char *const *extra_headers,
		     size_t n, struct it_resp *resp);
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
/* it_psql_params with $1 = id: the first value (caller frees; NULL when none). */
char *it_psql_id(const char *sql, long long id);
/* Like it_psql_id, as a number (0 when NULL). */
long long it_psql_id_long(const char *sql, long long id);
/* Runs sql (an UPDATE, a DELETE...) with $1 = id for its effect. */
void it_psql_id_exec(const char *sql, long long id);
/* Messages queued for address `to` (ignoring case) in the outbox table, sent or not. */
long long it_outbox_count(const char *to);
/* Loads the configuration and the templates into this process's app as `portal serve` does and
 * connects to the test database, so that a periodic job's function (application_jobs_run_once,
 * job_alerts_run_once) can run here as the server's thread runs it. Fails the test when it
 * cannot. Returns the connection; end with it_jobs_disconnect. */
PGconn *it_jobs_connect(void);
void it_jobs_disconnect(PGconn *c);
/* Runs sql (a command: "BEGIN", an UPDATE ...) on c, failing the test unless it succeeds. */
void it_exec_ok(PGconn *c, const char *sql);
/* Today + days in Europe/London as the day, month and year strings of a GOV.UK date input
 * (each of d, m, y 8 bytes). */
void it_date_in(int days, char *d, char *m, char *y);
/* Stops / starts the pg_virtualenv cluster (pg_ctlcluster $PGVERSION regress stop|start).
 * it_pg_ensure_running never fails the test: for unchecked teardowns. */
void it_pg_stop(void);
void it_pg_start(void);
void it_pg_ensure_running(void);

/* --- browser-like clients: cookies and CSRF tokens ------------------------------------------ */

#define IT_CLIENT_COOKIES 8

/* A client that keeps the cookies the portal sets (and sends them back, as a browser does on
 * this https origin) and the csrf_token of the last page that held a form. Zero it to start
 * (struct it_client c = { 0 }); it holds no resources. */
struct it_client {
	struct {
		char name[64];
		char value[256];
	} cookies[IT_CLIENT_COOKIES];
	size_t ncookies;
	char csrf[128];         /* "" until a page with a csrf_token field was fetched */
};

/* Sends a request with c's cookies (plus extra_headers, NULL or NULL-terminated). form, when
 * non-NULL, is an url-encoded body sent as application/x-www-form-urlencoded, as is - no
 * token added. Then stores the response's Set-Cookie headers in c (an empty value or
 * Max-Age=0 deletes) and, when the body holds a csrf_token field, its value. Fails the test
 * when no response came. Returns the status. */
long it_client_request(struct it_client *c, const char *method, const char *path,
		       const char *form, const char *const *extra_headers, struct it_resp *resp);
/* Like it_client_request with any body: content_type (NULL for none) and body of len bytes
 * (may hold NULs), e.g. a multipart/form-data upload. */
long it_client_send(struct it_client *c, const char *method, const char *path,
		    const char *content_type, const char *body, size_t len,
		    const char *const *extra_headers, struct it_resp *resp);
/* GET path with c's cookies. */
long it_client_get(struct it_client *c, const char *path, struct it_resp *resp);
/* POSTs form (url-encoded, may be "" or NULL) with csrf_token=<c->csrf> appended. */
long it_client_post(struct it_client *c, const char *path, const char *form,
		    struct it_resp *resp);
/* Value of cookie name in c, or NULL. The string belongs to c. */
const char *it_client_cookie(const struct it_client *c, const char *name);
/* Sets cookie name to value in c (value NULL removes it), as an attacker or a stale browser
 * might. */
void it_client_set_cookie(struct it_client *c, const char *name, const char *value);
/* The path a redirect points to: Location with this server's base URL removed, or the
 * Location as is when it is on another origin; NULL when there is none. Belongs to resp. */
const char *it_location(struct it_resp *resp);

/* The whole Set-Cookie header value that sets cookie `name` ("name=value; Path=/; ..."), or
 * NULL. The string belongs to resp. */
const char *it_set_cookie(struct it_resp *resp, const char *name);
/* An url-encoded form from name/value pairs ending with a NULL name:
 * it_form("email", e, "password", p, (char *)NULL). A NULL value is sent as "". Caller frees. */
char *it_form(const char *name, ...) __attribute__((sentinel));
/* value="..." of the first input with name="name" in html, HTML-decoded, or NULL when there is
 * none. Caller frees. */
char *it_input_value(const char *html, const char *name);

/* --- checks of a response ------------------------------------------------------------------- */

/* Fails unless resp has status want, showing the start of the body. */
#define it_expect_status(resp, want, what)                                                        \
	ck_assert_msg((resp)->status == (want), "%s: status %ld, want %d; body: %.800s", (what),  \
		      (resp)->status, (int)(want), (resp)->body)
/* Fails unless resp is a 303 whose location (it_location) starts with prefix. */
void it_expect_redirect(struct it_resp *resp, const char *prefix, const char *what);
/* Fails unless resp is a 422 page with a GOV.UK error summary and a title starting "Error: ",
 * and, unless field is NULL, the summary links to #field. */
void it_expect_errors(struct it_resp *resp, const char *field, const char *what);
/* GETs path with c and fails unless the status is want. */
void it_expect_get(struct it_client *c, const char *path, long want, const char *what);
/* True when some header `name` of resp (case-insensitive, any occurrence) has a value
 * containing needle. */
bool it_header_has(const struct it_resp *resp, const char *name, const char *needle);
/* Fails the test unless resp's body is well-formed XML by xmllint (Debian's libxml2-utils, a
 * test package); what names it in the message. */
void it_expect_xml(const struct it_resp *resp, const char *what);
/* True when resp asks robots not to index it: X-Robots-Tag or <meta name="robots"> noindex. */
bool it_noindex(struct it_resp *resp);
/* Fails unless resp is a safe download of want (len bytes): 200, Content-Disposition
 * attachment, X-Content-Type-Options nosniff, Content-Security-Policy sandbox, a
 * Cache-Control containing cache ("no-store" for anything private), Content-Type exactly
 * type, and the body the same bytes. */
void it_expect_download(struct it_resp *resp, const char *type, const char *cache,
			const void *want, size_t len, const char *what);

/* --- files to upload ----------------------------------------------------------------------- */

/* A minimal PDF the portal's content checks accept: a string literal, sizeof IT_PDF - 1 bytes. */
#define IT_PDF                                                                                    \
	"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"                            \
	"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"                                   \
	"trailer << /Root 1 0 R >>\n%%EOF\n"
/* The Content-Type of a Word document, as the portal stores and serves it. */
#define IT_DOCX_TYPE "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
/* The boundary of it_multipart's bodies, and their Content-Type. */
#define IT_BOUNDARY "----portal-test-boundary-7MA4YWxkTrZu0gW"
#define IT_MULTIPART_TYPE "multipart/form-data; boundary=" IT_BOUNDARY

/* A minimal Word document, a ZIP made byte by byte: [Content_Types].xml (stored), _rels/.rels
 * and word/document.xml (deflated) holding document_xml (NULL: one paragraph of text), plus
 * one more entry `extra` (NULL: none) of extra_len bytes, deflated when deflate_extra.
 * Returns the bytes (*len of them); caller frees. */
char *it_docx(const char *document_xml, const char *extra, const void *extra_data,
	      size_t extra_len, bool deflate_extra, size_t *len);
/* A multipart/form-data body (boundary IT_BOUNDARY) as a browser sends an upload form: the
 * field csrf_token (unless csrf is NULL), the field kind (unless kind is NULL), then the file
 * part "document" with filename (name_len raw bytes, put between the quotes as they are),
 * claiming type, holding data (len bytes). Returns the body (*outlen bytes, then a NUL);
 * caller frees. */
char *it_multipart(const char *csrf, const char *kind, const char *filename, size_t name_len,
		   const char *type, const void *data, size_t len, size_t *outlen);

/* --- email through a real SMTP sink (tests/smtp_sink.py) ----------------------------------- */

/* Starts the SMTP sink (once per runner process) on a free port, writing messages under
 * IT_TMPDIR, and returns "PORTAL_SMTP_URL=smtp://127.0.0.1:PORT" for a server's environment.
 * Stopped by it_run (or it_mail_sink_stop). */
const char *it_mail_sink_start(void);
void it_mail_sink_stop(void);
/* Unchecked fixture: starts the sink and the suite's server with PORTAL_SMTP_URL pointing at
 * it, unless a server already runs. */
void it_fixture_server_mail(void);
/* Waits up to timeout_ms for a message to `to` (ignoring case) whose text contains needle
 * (NULL: any) that this test has not taken yet, the oldest first. Returns the message: its
 * headers, a blank line and the body decoded from quoted-printable when so encoded (caller
 * frees). Fails the test at the time-out. */
char *it_mail_wait(const char *to, const char *needle, int timeout_ms);
/* Messages received for `to` so far (taken or not). */
size_t it_mail_count(const char *to);
/* The local link in msg that starts with prefix (e.g. "/account/verify?token="), through
 * the end of the token that follows. Fails the test when there is none. Caller frees. */
char *it_mail_link(const char *msg, const char *prefix);

/* --- accounts ------------------------------------------------------------------------------ */

/* A fresh address "<tag>-<pid>-<n>@example.org", unique in this test run (lower case). */
void it_unique_email(char *out, size_t outlen, const char *tag);
#define IT_WORD_LEN 14
/* A made-up word unique in this test run ("zq" and 11 more consonants): full-text search
 * indexes it as it is (no vowels, so no stemming), so searching for it finds exactly the
 * vacancies a test made with it. */
void it_unique_word(char out[IT_WORD_LEN]);
/* The URN of the n-th seeded school (from 0) in URN order. Each test file uses schools of its
 * own (its header comment says which), so that files running at once do not meet. */
long it_school(int n);
/* Inserts a user straight into the database: role candidate|school_staff|hr|admin, the
 * password (hashed with the portal's own Argon2id code; NULL for none) and a verified email
 * address when verified. Returns the id. */
long long it_user_add(const char *email, const char *name, const char *role,
		      const char *password, int verified);
/* A new verified user of role called name with password, at a fresh address
 * (it_unique_email tagged with the role; into email, 128 bytes, unless email is NULL), signed
 * in on c (it_login) unless c is NULL. Returns the id. */
long long it_user_signed_in(struct it_client *c, const char *role, const char *name,
			    const char *password, char *email);
/* Adds a school membership (role hiring_manager or viewer). */
void it_membership_add(long long user_id, long urn, const char *role);
/* Inserts a vacancy of school urn straight into the database, complete enough for any status:
 * title "Class teacher", role teacher, phase primary, permanent, full time, MPS, closing in 30
 * days (an hour ago when closed), published two days ago when published or closed, publish_at
 * in 7 days when scheduled; it covers school urn. Column/value pairs follow, ending with a NULL
 * column: each sets (or overrides) a column of vacancies. A value is sent as a parameter
 * (arrays as "{a,b}", NULL for SQL NULL) unless it starts with '=': then the rest is an SQL
 * expression ("=now() + interval '1 day'"). The pseudo-column "+schools" ("{urn,urn}") adds
 * schools covered. Returns the id. */
long long it_vacancy_add(long urn, const char *status, ...) __attribute__((sentinel));
/* Inserts an application of candidate_id to vacancy_id straight into the database, with status
 * (draft, submitted, shortlisted, ...; submitted_at an hour ago unless draft) and complete,
 * realistic data in every section (personal: first_name "Ada", last_name `last_name`, email
 * `email`, phone, address; professional, one qualification, one job, statement, two referees
 * (the first the current employer), support, declarations), every section marked completed.
 * Returns the id. */
long long it_application_add(long long vacancy_id, long long candidate_id, const char *status,
			     const char *last_name, const char *email);
/* Fails unless application id has status want; "(gone)" stands for no such application (one
 * deleted). */
void it_expect_application_status(long long id, const char *want, const char *what);
/* Signs c in through the real form (GET /account/login for the visitor's CSRF token, POST
 * email and password) and follows the redirect, so c holds the session cookie and the
 * session's CSRF token. Clears the address's login counter first, as every test signs in from
 * 127.0.0.1. Fails the test unless the portal answers 303 with a new __Host-session. */
void it_login(struct it_client *c, const char *email, const char *password);
/* True when c is still signed in: GET /account answers 200. */
bool it_still_signed_in(struct it_client *c);
/* Forgets the counters of the address for action ("login", "register", "reset"...): every test
 * comes from 127.0.0.1. */
void it_clear_address_limit(const char *action);
/* Like it_psql with parameters $1..$n (vals may hold NULLs). */
char *it_psql_params(const char *sql, int n, const char *const *vals);

/* --- running a suite ----------------------------------------------------------------------- */

/* Runs suite s (verbosity and filters from CK_* variables), then stops the suite's server
 * and checks that it shut down gracefully. Returns the process exit status for main. */
int it_run(Suite *s);
/* A TCase with a timeout in seconds, sharing the suite's server: fixture (it_fixture_server,
 * or it_fixture_server_mail for a server that sends mail to the sink) added unchecked; NULL
 * for a TCase that needs no server. */
TCase *it_tcase(const char *name, int timeout, void (*fixture)(void));

/* Milliseconds on a monotonic clock, and a sleep. */
long long it_now_ms(void);
void it_sleep_ms(int ms);

#endif
