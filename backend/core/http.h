/* http.h - the request context handed to every handler, and the one way to answer.
 *
 * A handler is `int handler(struct req *r)`: it reads r (path parameters, query, form), does its
 * work and answers with exactly one of the http_send_* / view_* calls, whose return value (the
 * status sent) it returns. Every answer goes out through http_send(), which adds the security
 * headers, the request id and keep-alive framing, and records status and bytes for the access log
 * and metrics. Memory: everything a handler gets from r is owned by the request and freed after
 * the handler returns.
 */
#ifndef PORTAL_HTTP_H
#define PORTAL_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct mg_connection;
struct route;
struct user;
struct multipart_file;

/* One decoded name=value pair of a query string or url-encoded form. */
struct kv {
	char *name;
	char *value;
};

struct kvlist {
	struct kv *items;
	size_t len;
	size_t cap;
};

#define REQ_MAX_PARAMS 4

struct req {
	struct mg_connection *conn;
	const char *method;          /* "GET", ... */
	const char *path;            /* decoded path, no query string */
	const char *raw_query;       /* undecoded, may be NULL */
	char id[33];                 /* request id: 32 hex characters */
	const struct route *route;   /* the matched route, NULL for 404/405 */
	const char *params[REQ_MAX_PARAMS]; /* {name} segments of the route pattern, in order */
	size_t nparams;
	struct kvlist query;         /* decoded query string */
	struct kvlist form;          /* decoded url-encoded body (POST/PUT/PATCH/DELETE) */
	const char *body;            /* the raw body (NUL-terminated copy), NULL when none */
	struct multipart_file *files; /* files of a multipart/form-data body (see multipart.h) */
	size_t nfiles;
	size_t body_len;
	double started;              /* monotonic seconds at arrival */
	struct pg_conn *db;          /* borrowed by req_db(), returned when the request ends */
	const char *address;         /* the client's IP address */
	struct user *user;           /* the signed-in user, NULL for a visitor (see auth.h) */
	long long session_id;        /* 0 when not signed in */
	long long lapsed_user_id;    /* the account of the ended session of the cookie, else 0 */
	char csrf[48];               /* CSRF token for forms, "" until csrf_token() */
	bool cookie_sent;            /* a Set-Cookie for the CSRF cookie was added */
	int status;                  /* status sent, 0 until sent */
	size_t bytes;                /* body bytes sent */
	bool is_api;                 /* path under /api/: errors answer as JSON problems */
	struct buf extra_headers;    /* "Name: value\r\n" lines a handler adds before sending */
};

/* First value of `name` in a list, or NULL. */
const char *kv_get(const struct kvlist *l, const char *name);
/* Number of values of `name` (a parameter may repeat). */
size_t kv_count(const struct kvlist *l, const char *name);
/* Appends a copy of name/value. 0, or -1 when out of memory. */
int kv_add(struct kvlist *l, const char *name, size_t nlen, const char *value, size_t vlen);
void kv_free(struct kvlist *l);

/* Parses an application/x-www-form-urlencoded string (query string or body) of n bytes into l.
 * Returns 0, or -1 when the input is malformed: a bad %-escape, a NUL byte (raw or %00), or
 * invalid UTF-8 after decoding. Never calls into CivetWeb's form parser (CVE-2025-9648). */
int form_parse(const char *s, size_t n, struct kvlist *l);

/* True when r's body is the one-click unsubscribe of RFC 8058 (a mail program POSTs it to a
 * List-Unsubscribe address): the field List-Unsubscribe = One-Click, url-encoded (in r->form)
 * or as multipart/form-data. */
bool form_one_click_unsubscribe(const struct req *r);

/* A positive id from a path segment or form field: 1 to 18 ASCII digits, nothing else (no sign,
 * no blanks, no leading zero: /vacancies/01 is not a second address of /vacancies/1). Returns
 * it, or 0 when s is NULL or anything else. */
long long http_id_parse(const char *s);

/* Appends s percent-encoded for a query string value (unreserved characters kept). */
void url_encode(struct buf *b, const char *s);

/* Adds a response header line for the next send ("Name: value"); CR/LF in value are refused. */
int http_add_header(struct req *r, const char *name, const char *value);

/* Sends a complete response. content_type NULL means no body. Returns status. */
int http_send(struct req *r, int status, const char *content_type, const char *body, size_t len);
/* Sends model as JSON (compact). Returns status. */
int http_send_json(struct req *r, int status, const json_t *model);
/* Sends an RFC 9457 problem document (application/problem+json). Returns status. */
int http_send_problem(struct req *r, int status, const char *title, const char *detail);
/* Answers an error: a problem document on the API, else the HTML error page. `detail` is shown
 * to the user (NULL for the standard text). Returns status. */
int http_send_error(struct req *r, int status, const char *detail);
/* http_send_error with the way on for a person on the HTML page: a link to href (a local path)
 * saying text, before the page's standard links. The API's problem document is the same. */
int http_send_error_link(struct req *r, int status, const char *detail, const char *href,
			 const char *text);
/* 303 See Other to a local path. */
int http_redirect(struct req *r, const char *location);

/* Renders frontend template `name` inside the site layout with `model` and sends it as HTML.
 * Adds the common model keys (see view.c). Takes a reference to nothing: the caller still owns
 * model. Returns status, or answers 500 when rendering fails. */
int view_render(struct req *r, int status, const char *name, json_t *model);

/* The request's database connection: borrowed from the pool on first use (waiting up to
 * pool_wait_ms) and returned when the request ends. NULL when none could be had: answer 503. */
struct pg_conn *req_db(struct req *r);
/* req_db for callbacks that take the request as a void * context. */
struct pg_conn *req_db_cb(void *r);

/* Value of request header `name` (case-insensitive), or NULL. */
const char *http_header(const struct req *r, const char *name);

/* Renders like view_render into out (appending) without sending. Returns 0, or -1 (logged). */
int view_render_buf(struct req *r, const char *name, json_t *model, struct buf *out);

/* Reason phrase for a status ("Not Found"). */
const char *http_reason(int status);

/* The time now as an HTTP date (RFC 9110 IMF-fixdate, "Wed, 25 Nov 2026 16:20:00 GMT"), for
 * the Date header every response carries; the calling thread's own copy, valid until its next
 * call. */
const char *http_date(void);

#endif
