/* server.c - CivetWeb set-up and the request pipeline; see server.h. */
#include "server.h"

#include <civetweb.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "auth.h"
#include "db.h"
#include "forwarded.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "multipart.h"
#include "router.h"

extern const char http_security_headers[];

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Fills id with 32 hex characters, unique and unpredictable enough to name a request in logs: a
 * per-thread random key (from OpenSSL, once) mixed with a per-thread counter by splitmix64. */
static void request_id(char id[33])
{
	static const char hex[] = "0123456789abcdef";
	static _Thread_local uint64_t key[2], counter;
	static _Thread_local int seeded;
	uint64_t v[2], z;
	size_t i, k;

	if (!seeded) {
		if (RAND_bytes((unsigned char *)key, sizeof key) != 1)
			key[0] = (uint64_t)(uintptr_t)&counter ^ (uint64_t)time(NULL);
		seeded = 1;
	}
	counter++;
	for (k = 0; k < 2; k++) {
		z = key[k] + counter * 0x9E3779B97F4A7C15ULL;
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
		z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
		v[k] = z ^ (z >> 31);
	}
	for (i = 0; i < 32; i++)
		id[i] = hex[(v[i / 16] >> (4 * (i % 16))) & 15];
	id[32] = '\0';
}

/* True when where the request ends is ambiguous: Content-Length given more than once, or with
 * Transfer-Encoding. CivetWeb reads the first length; a proxy in front that read another would
 * take the rest for a request of its own (request smuggling; RFC 9112 6.3 says reject). */
static bool framing_ambiguous(const struct mg_request_info *ri)
{
	int i, lengths = 0, encodings = 0;

	for (i = 0; i < ri->num_headers; i++) {
		lengths += strcasecmp(ri->http_headers[i].name, "Content-Length") == 0;
		encodings += strcasecmp(ri->http_headers[i].name, "Transfer-Encoding") == 0;
	}
	return lengths > 1 || (lengths > 0 && encodings > 0);
}

/* Why a request whose length is ambiguous is refused (CivetWeb's own 400 says it). */
static const char framing_refused[] =
	"The request gives its length more than once (Content-Length twice, or with "
	"Transfer-Encoding).";

/* Reads the request body into r (a malloc'd, NUL-terminated copy). Returns 0, 413 when it is
 * larger than max bytes, 400 when it cannot be read. */
static int read_body(struct req *r, const struct mg_request_info *ri, size_t max)
{
	size_t len = 0;
	const char *te = mg_get_header(r->conn, "Transfer-Encoding");
	char *body;
	int n;

	if (ri->content_length <= 0 && te == NULL)
		return 0;
	if (ri->content_length > (long long)max)
		return 413;
	body = malloc(max + 2);
	if (body == NULL)
		return 500;
	while (len <= max && (n = mg_read(r->conn, body + len, max + 1 - len)) > 0)
		len += (size_t)n;
	if (len > max) {
		free(body);
		return 413;
	}
	if (ri->content_length > 0 && (long long)len != ri->content_length) {
		free(body);
		return 400;
	}
	body[len] = '\0';
	r->body = body;
	r->body_len = len;
	return 0;
}

PGconn *req_db(struct req *r)
{
	if (r->db == NULL)
		r->db = db_acquire((int)app.cfg.pool_wait_ms);
	return r->db;
}

PGconn *req_db_cb(void *r)
{
	return req_db(r);
}

/* True when the request's body is an url-encoded form. */
static int is_urlencoded(const struct req *r)
{
	const char *ct = mg_get_header(r->conn, "Content-Type");

	return ct != NULL && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0;
}

/* Writes the access log line for a finished request. The query string is never logged: it may
 * carry tokens. */
static void access_log(const struct req *r, double seconds)
{
	const struct log_field f[] = {
		LOG_STR("request_id", r->id),
		LOG_STR("method", r->method),
		LOG_STR("path", r->path),
		LOG_STR("route", r->route ? r->route->name : NULL),
		LOG_NUM("status", r->status),
		LOG_NUM("bytes", r->bytes),
		LOG_NUM("duration_ms", (double)(long long)(seconds * 1e6) / 1000.0),
	};

	log_fields(LOG_INFO, "request", f, sizeof f / sizeof f[0]);
}

/* True for methods that change state: they need a CSRF token. */
static bool is_unsafe(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	       strcmp(method, "OPTIONS") != 0;
}

/* For an url-encoded form sent after its session ended to a route that keeps forms: keeps it
 * (kept_form_keep) and sends the browser to sign in, then on to the kept form. Returns the
 * status sent, or 0 when the form is not kept. */
static int keep_form(struct req *r)
{
	char token[TOKEN_LEN + 1];
	struct buf login = { 0 };
	int kept, status;

	if (!(r->route->flags & ROUTE_KEEPS_FORM) || strcmp(r->method, "POST") != 0 ||
	    !is_urlencoded(r))
		return 0;
	kept = kept_form_keep(r, token);
	if (kept <= 0)
		return kept < 0 ? http_send_error(r, 503, NULL) : 0;
	buf_printf(&login, "/account/login?kept=1&next=%%2Faccount%%2Fkept-form%%3Ftoken%%3D%s",
		   token);
	status = buf_failed(&login) ? http_send_error(r, 500, NULL)
				    : http_redirect(r, buf_str(&login));
	OPENSSL_cleanse(token, sizeof token);
	if (login.data != NULL)
		OPENSSL_cleanse(login.data, login.len);
	buf_free(&login);
	return status;
}

/* Who is asking, and may they: loads the session, enforces the route's role and the CSRF check.
 * Returns 0 when the handler may run, else the status already sent. */
static int authorise(struct req *r)
{
	struct buf login = { 0 };
	int status;

	if (r->route->role == ROLE_STATELESS)
		return 0;
	if (session_load(r) != 0)
		return http_send_error(r, 503, NULL);
	if (r->route->role != ROLE_PUBLIC && r->user == NULL) {
		if (r->lapsed_user_id > 0 && !r->is_api && (status = keep_form(r)) != 0)
			return status;
		if (r->is_api || strcmp(r->method, "GET") != 0) {
			http_add_header(r, "WWW-Authenticate", "Cookie realm=\"portal\"");
			return http_send_error(r, 401, "Sign in to continue.");
		}
		buf_puts(&login, "/account/login?next=");
		url_encode(&login, r->path);
		if (r->raw_query != NULL) {
			buf_puts(&login, "%3F");
			url_encode(&login, r->raw_query);
		}
		status = buf_failed(&login) ? http_send_error(r, 500, NULL)
					    : http_redirect(r, buf_str(&login));
		buf_free(&login);
		return status;
	}
	if (r->user != NULL && !role_allows(r->user->role, r->route->role))
		return http_send_error(r, 403, NULL);
	if (is_unsafe(r->method) && csrf_verify(r) != 0)
		return http_send_error(r, 403, "The form has expired or did not come from this "
					       "service. Go back, reload the page and try again.");
	return 0;
}

/* Answers a request whose route was matched (m): 404, 405 with Allow, or authorise and run the
 * handler. Returns the status sent. */
static int dispatch(struct req *r, enum route_match m, const char *allow)
{
	int status;

	if (m == ROUTE_NOT_FOUND)
		return http_send_error(r, 404, NULL);
	if (m == ROUTE_BAD_METHOD) {
		http_add_header(r, "Allow", allow);
		return http_send_error(r, 405, NULL);
	}
	status = authorise(r);
	if (status != 0)
		return status;
	/* The read-only public API (stateless GETs under /api/) is open to every origin: "*" and
	 * never credentials. Nothing else gets CORS headers. */
	if (r->is_api && r->route->role == ROLE_STATELESS &&
	    http_add_header(r, "Access-Control-Allow-Origin", "*") != 0)
		return http_send_error(r, 500, NULL);
	status = r->route->handler(r);
	if (r->status == 0) {
		log_errorf(__func__, "handler for %s sent no response", r->route->name);
		status = http_send_error(r, 500, NULL);
	}
	return status;
}

/* The 413 page of an upload route (a body over max_upload_bytes). */
static const char upload_too_large[] =
	"The file you chose is too large to upload. Use your browser's Back button and choose a "
	"smaller file: a job's supporting document can be up to 10 MB, a CV or covering letter up "
	"to 5 MB. A scanned document is often smaller saved again at a lower resolution.";

/* The client's address (forwarded.h): the connecting one, or, from a trusted proxy, what its
 * X-Forwarded-For headers say; written to out (FORWARDED_ADDRESS_MAX bytes). */
static const char *client_address(const struct mg_request_info *ri, char *out, size_t outlen)
{
	const char *xff[16];
	size_t n = 0, k = sizeof xff / sizeof xff[0];

	/* the last ones: a proxy adds its line after whatever the client sent */
	for (int i = ri->num_headers; i-- > 0 && k > 0;)
		if (strcasecmp(ri->http_headers[i].name, "X-Forwarded-For") == 0)
			xff[--k] = ri->http_headers[i].value;
	n = sizeof xff / sizeof xff[0] - k;
	return forwarded_client(app.cfg.trusted_proxies, ri->remote_addr, xff + k, n, out, outlen);
}

/* CivetWeb's begin_request callback: every request of the portal passes here. */
static int on_request(struct mg_connection *conn)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	struct req r = { 0 };
	char allow[64], address[FORWARDED_ADDRESS_MAX], *scratch;
	enum route_match m;
	double seconds;
	int rc;
	bool upload;

	r.conn = conn;
	r.started = now_seconds();
	r.method = ri->request_method;
	r.path = ri->local_uri != NULL ? ri->local_uri : "/";
	r.raw_query = ri->query_string;
	r.is_api = strncmp(r.path, "/api/", 5) == 0;
	r.address = client_address(ri, address, sizeof address);
	request_id(r.id);

	/* Route first (nothing is sent yet): the route decides how large a body may be. */
	scratch = malloc(strlen(r.path) + 1);
	if (scratch == NULL) {
		mg_printf(conn, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
				"Connection: close\r\n\r\n");
		return 503;
	}
	m = router_match(routes, routes_len, r.method, r.path, &r.route, r.params, &r.nparams,
			 scratch, allow, sizeof allow);
	upload = m == ROUTE_FOUND && (r.route->flags & ROUTE_UPLOAD);
	if (framing_ambiguous(ri)) {
		/* Answered by CivetWeb itself (on_http_error declines it): the one answer after
		 * which it closes the connection, so that nothing after the first length is read
		 * as another request. */
		mg_send_http_error(conn, 400, "%s", framing_refused);
		r.status = 400;
	} else if ((rc = read_body(&r, ri, upload ? app.cfg.max_upload_bytes
						 : app.cfg.max_body_bytes)) != 0) {
		if (rc == 413)
			http_add_header(&r, "Connection", "close");
		/* A file too large for even the upload limit: the page says so to the person
		 * still signed in (their session shown, not "Sign in"), and how to go on. */
		if (rc == 413 && upload)
			(void)session_load(&r);
		http_send_error(&r, rc, rc != 413 ? NULL
					: upload ? upload_too_large
						 : "The request body is larger than this service "
						   "accepts.");
	} else if (r.raw_query != NULL &&
		   form_parse(r.raw_query, strlen(r.raw_query), &r.query) != 0) {
		http_send_error(&r, 400, "The query string of the address is malformed.");
	} else if (r.body != NULL && is_urlencoded(&r) &&
		   form_parse(r.body, r.body_len, &r.form) != 0) {
		/* Includes a NUL byte, raw or %00 (CVE-2025-9648): refused before anything else. */
		http_send_error(&r, 400, "The form could not be read: it holds a malformed value.");
	} else if (r.body != NULL && upload &&
		   multipart_is(mg_get_header(conn, "Content-Type")) &&
		   multipart_parse(r.body, r.body_len, mg_get_header(conn, "Content-Type"), &r.form,
				   &r.files, &r.nfiles) != 0) {
		http_send_error(&r, 400, "The upload could not be read: it is malformed.");
	} else {
		dispatch(&r, m, allow);
	}

	seconds = now_seconds() - r.started;
	metrics_observe(r.route != NULL ? (size_t)(r.route - routes) : routes_len, r.status, seconds);
	access_log(&r, seconds);
	db_release(r.db);
	free(r.user);
	kv_free(&r.query);
	kv_free(&r.form);
	multipart_files_free(r.files, r.nfiles);
	free((void *)r.body);
	free(scratch);
	buf_free(&r.extra_headers);
	return r.status != 0 ? r.status : 500;
}

/* CivetWeb's own error responses (malformed request line, header too large, timeouts). */
static int on_http_error(struct mg_connection *conn, int status, const char *msg)
{
	const char *reason = http_reason(status);

	if (msg != NULL && strcmp(msg, framing_refused) == 0)
		return 1;   /* CivetWeb answers, and closes the connection */

	mg_printf(conn,
		  "HTTP/1.1 %d %s\r\nDate: %s\r\n%sContent-Type: text/plain; charset=utf-8\r\n"
		  "Content-Length: %zu\r\nConnection: close\r\n\r\n%s\n",
		  status, reason, http_date(), http_security_headers, strlen(reason) + 1, reason);
	return 0;
}

static int on_log_message(const struct mg_connection *conn, const char *message)
{
	(void)conn;
	log_event(LOG_WARN, "civetweb", "detail", message, NULL);
	return 1;
}

/* Sets up TLS ourselves: certificate chain and key from the configuration, TLS 1.2 and 1.3
 * only, ECDHE key exchange with AEAD ciphers only. Returns 1 (done) or -1. */
static int on_init_ssl(void *ssl_ctx, void *user_data)
{
	SSL_CTX *ctx = ssl_ctx;

	(void)user_data;
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_cipher_list(ctx, "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL") != 1 ||
	    SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
					  "TLS_CHACHA20_POLY1305_SHA256") != 1 ||
	    SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384") != 1) {
		log_errorf(__func__, "cannot set TLS protocol or ciphers");
		return -1;
	}
	if (SSL_CTX_use_certificate_chain_file(ctx, app.cfg.tls_cert) != 1) {
		log_errorf(__func__, "tls_cert: cannot use %s", app.cfg.tls_cert);
		return -1;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, app.cfg.tls_key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		log_errorf(__func__, "tls_key: cannot use %s with the certificate", app.cfg.tls_key);
		return -1;
	}
	SSL_CTX_set_session_id_context(ctx, (const unsigned char *)"portal", 6);
	return 1;
}

/* The listening_ports value: "host:port" + "s" for TLS. */
static void listen_option(char *out, size_t outlen)
{
	snprintf(out, outlen, "%ss", app.cfg.listen);
}

static struct {
	struct mg_context *ctx;
	sigset_t stop_signals;
	sigset_t old_mask;
} running;

int server_start(char *err, size_t errlen)
{
	struct mg_callbacks cb = { 0 };
	char ports[160], threads[16], timeout[16];
	const char *options[] = {
		"listening_ports", ports,
		"num_threads", threads,
		"request_timeout_ms", timeout,
		"keep_alive_timeout_ms", "5000",
		"enable_keep_alive", "yes",
		"tcp_nodelay", "1",
		"ssl_protocol_version", "4",
		"ssl_cipher_list", "ECDHE+AESGCM:ECDHE+CHACHA20",
		"access_control_allow_origin", "",
		"access_control_allow_methods", "",
		"access_control_allow_headers", "",
		"max_request_size", "16384",
		"additional_header", http_security_headers,   /* on CivetWeb's own answers */
		"decode_url", "yes",
		"listen_backlog", "512",
		"connection_queue", "256",
		NULL, NULL,
	};

	if (access(app.cfg.tls_cert, R_OK) != 0) {
		snprintf(err, errlen, "tls_cert: cannot read %s (run `make run` to create a "
				      "self-signed one, or set PORTAL_TLS_CERT)", app.cfg.tls_cert);
		return -1;
	}
	if (access(app.cfg.tls_key, R_OK) != 0) {
		snprintf(err, errlen, "tls_key: cannot read %s", app.cfg.tls_key);
		return -1;
	}
	listen_option(ports, sizeof ports);
	snprintf(threads, sizeof threads, "%u", app.cfg.threads);
	snprintf(timeout, sizeof timeout, "%u", app.cfg.request_timeout_ms);

	cb.begin_request = on_request;
	cb.http_error = on_http_error;
	cb.log_message = on_log_message;
	cb.init_ssl = on_init_ssl;

	/* Block the stop signals in every thread (CivetWeb's threads inherit the mask) and wait
	 * for them in server_wait with sigwait, so shutdown begins the moment one arrives. */
	sigemptyset(&running.stop_signals);
	sigaddset(&running.stop_signals, SIGINT);
	sigaddset(&running.stop_signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &running.stop_signals, &running.old_mask);
	signal(SIGPIPE, SIG_IGN);

	mg_init_library(MG_FEATURES_TLS);
	running.ctx = mg_start(&cb, NULL, options);
	if (running.ctx == NULL) {
		snprintf(err, errlen, "listen: cannot serve HTTPS on %s (address in use, or the "
				      "certificate or key is unusable: see the log line above)",
			 app.cfg.listen);
		mg_exit_library();
		pthread_sigmask(SIG_SETMASK, &running.old_mask, NULL);
		return -1;
	}
	log_event(LOG_INFO, "listening", "listen", app.cfg.listen, "base_url", app.cfg.base_url,
		  NULL);
	return 0;
}

void server_wait(void)
{
	int sig;

	sigwait(&running.stop_signals, &sig);
	log_event(LOG_INFO, "stopping: finishing requests in flight", NULL);
	mg_stop(running.ctx);
	running.ctx = NULL;
	mg_exit_library();
	pthread_sigmask(SIG_SETMASK, &running.old_mask, NULL);
}
