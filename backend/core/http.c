/* http.c - answering a request: status line, security headers, body; see http.h. */
#include "http.h"

#include <civetweb.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app.h"
#include "log.h"

#define TLS_RECORD_MAX 16384 /* bytes of plaintext in one TLS record */

/* Sent on every response the portal writes (CivetWeb's own error pages get the same through its
 * additional_header option, see server.c). */
const char http_security_headers[] =
	"Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n"
	"Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; "
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
	"base-uri 'none'; object-src 'none'; frame-ancestors 'none'\r\n"
	"X-Content-Type-Options: nosniff\r\n"
	"X-Frame-Options: DENY\r\n"
	"Referrer-Policy: strict-origin-when-cross-origin\r\n"
	"Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()\r\n"
	"Cross-Origin-Opener-Policy: same-origin\r\n";

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 417: return "Expectation Failed";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Unknown";
	}
}

const char *http_date(void)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	static _Thread_local time_t written = -1;
	static _Thread_local char text[32];
	time_t now = time(NULL);
	struct tm tm;

	if (now != written && gmtime_r(&now, &tm) != NULL) {
		snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT",
			 days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
			 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
		written = now;
	}
	return text;
}

const char *http_header(const struct req *r, const char *name)
{
	return mg_get_header(r->conn, name);
}

int http_add_header(struct req *r, const char *name, const char *value)
{
	if (strpbrk(name, "\r\n:") != NULL || strpbrk(value, "\r\n") != NULL)
		return -1;
	buf_printf(&r->extra_headers, "%s: %s\r\n", name, value);
	return buf_failed(&r->extra_headers) ? -1 : 0;
}

/* Appends the handler's extra header lines to h, leaving out its Cache-Control when `drop_cache`
 * (the signed-in no-store has been written instead). */
static void http_append_headers(struct buf *h, const struct buf *extra, bool drop_cache)
{
	const char *p = buf_str(extra), *eol;

	while (*p != '\0') {
		eol = strstr(p, "\r\n");
		eol = eol != NULL ? eol + 2 : p + strlen(p);
		if (!drop_cache || strncasecmp(p, "Cache-Control:", 14) != 0)
			buf_append(h, p, (size_t)(eol - p));
		p = eol;
	}
}

int http_send(struct req *r, int status, const char *content_type, const char *body, size_t len)
{
	struct buf h = { 0 };
	bool head = strcmp(r->method, "HEAD") == 0;
	bool has_body = content_type != NULL && status != 204 && status != 304;
	size_t first = 0; /* bytes of the body written with the headers */

	buf_printf(&h, "HTTP/1.1 %d %s\r\nDate: %s\r\n", status, http_reason(status), http_date());
	buf_puts(&h, http_security_headers);
	buf_printf(&h, "X-Request-Id: %s\r\n", r->id);
	if (has_body)
		buf_printf(&h, "Content-Type: %s\r\n", content_type);
	/* A signed-in page is never stored by a cache, whatever the handler said. */
	if (r->user != NULL)
		buf_puts(&h, "Cache-Control: no-store\r\n");
	else if (strstr(buf_str(&r->extra_headers), "Cache-Control:") == NULL)
		buf_puts(&h, "Cache-Control: no-cache\r\n");
	http_append_headers(&h, &r->extra_headers, r->user != NULL);
	if (status != 204 && status != 304)
		buf_printf(&h, "Content-Length: %zu\r\n", has_body ? len : 0);
	buf_puts(&h, "\r\n");
	if (buf_failed(&h)) {
		buf_free(&h);
		mg_printf(r->conn, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
				   "Connection: close\r\n\r\n");
		r->status = 500;
		return 500;
	}
	/* On TLS each write ends a record and goes as packets of its own, so the headers share the
	 * first record with the start of the body: one write for a small response, and for a large
	 * one no more records than its bytes need, copying at most one record's worth. */
	if (has_body && !head && h.len < TLS_RECORD_MAX) {
		first = len < TLS_RECORD_MAX - h.len ? len : TLS_RECORD_MAX - h.len;
		buf_append(&h, body, first);
	}
	if (buf_failed(&h)) {
		buf_free(&h);
		mg_printf(r->conn, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
				   "Connection: close\r\n\r\n");
		r->status = 500;
		return 500;
	}
	mg_write(r->conn, h.data, h.len);
	if (first < len && has_body && !head)
		mg_write(r->conn, body + first, len - first);
	r->status = status;
	r->bytes = has_body && !head ? len : 0;
	buf_free(&h);
	return status;
}

int http_send_json(struct req *r, int status, const json_t *model)
{
	char *s = json_dumps(model, JSON_COMPACT | JSON_ENSURE_ASCII);
	int rc;

	if (s == NULL) {
		log_errorf(__func__, "cannot encode JSON");
		return http_send(r, 500, NULL, NULL, 0);
	}
	rc = http_send(r, status, "application/json", s, strlen(s));
	free(s);
	return rc;
}

int http_send_problem(struct req *r, int status, const char *title, const char *detail)
{
	json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", "about:blank", "title", title,
			      "status", status, "detail", detail ? detail : title, "instance", r->id);
	char *s;
	int rc;

	if (p == NULL)
		return http_send(r, status, NULL, NULL, 0);
	s = json_dumps(p, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(p);
	if (s == NULL)
		return http_send(r, status, NULL, NULL, 0);
	rc = http_send(r, status, "application/problem+json", s, strlen(s));
	free(s);
	return rc;
}

/* The title and standard explanation of an error status. */
static void error_text(int status, const char **title, const char **message)
{
	switch (status) {
	case 400:
		*title = "There is a problem with the request";
		*message = "The address or the form you sent could not be understood.";
		break;
	case 401:
		*title = "You need to sign in";
		*message = "Sign in to continue.";
		break;
	case 403:
		*title = "You do not have permission to see this page";
		*message = "Sign in with an account that has access, or go back to the home page.";
		break;
	case 404:
		*title = "Page not found";
		*message = "If you typed the web address, check it is correct. If you pasted the web "
			   "address, check you copied the entire address.";
		break;
	case 405:
		*title = "This action is not allowed here";
		*message = "The page does not accept this kind of request.";
		break;
	case 429:
		*title = "Too many attempts";
		*message = "You have tried too many times. Wait a few minutes and try again.";
		break;
	case 413:
		*title = "What you sent is too large";
		*message = "Send a smaller form or file.";
		break;
	case 503:
		*title = "Sorry, the service is unavailable";
		*message = "The service is very busy or being maintained. Try again in a minute.";
		break;
	default:
		*title = "Sorry, there is a problem with the service";
		*message = "Try again later.";
		break;
	}
}

/* What an error status means to a program calling the API (the problem document's detail when
 * the handler gives none; its title is the status's reason phrase, as RFC 9457 asks of
 * "about:blank"). */
static const char *api_detail(int status)
{
	switch (status) {
	case 400:
		return "The request could not be understood.";
	case 404:
		return "Nothing is published at this address: no such resource, or it is not "
		       "public (a vacancy that has closed, or is not yet published).";
	case 405:
		return "This resource does not accept this method: see the Allow header.";
	case 413:
		return "The request body is larger than this service accepts.";
	case 429:
		return "Too many requests: wait a few minutes and try again.";
	case 503:
		return "The service is busy or its database is unavailable: try again after the "
		       "time in Retry-After.";
	default:
		return "The service could not answer: try again later.";
	}
}

int http_send_error_link(struct req *r, int status, const char *detail, const char *href,
			 const char *text)
{
	const char *title, *message;
	json_t *model;
	int rc;

	error_text(status, &title, &message);
	if (detail != NULL)
		message = detail;
	if (status == 503)
		http_add_header(r, "Retry-After", "5");
	if (r->is_api || app.templates == NULL)
		return http_send_problem(r, status, http_reason(status),
					 detail != NULL ? detail : api_detail(status));
	model = json_pack("{s:i, s:s, s:s}", "status", status, "title", title, "message", message);
	if (model != NULL && href != NULL && text != NULL &&
	    json_object_set_new(model, "next", json_pack("{s:s, s:s}", "href", href, "text",
							 text)) != 0) {
		json_decref(model);
		model = NULL;
	}
	if (model == NULL)
		return http_send(r, status, NULL, NULL, 0);
	rc = view_render(r, status, "errors/error", model);
	json_decref(model);
	return rc;
}

int http_send_error(struct req *r, int status, const char *detail)
{
	return http_send_error_link(r, status, detail, NULL, NULL);
}

int http_redirect(struct req *r, const char *location)
{
	if (location[0] != '/' || location[1] == '/' || location[1] == '\\' ||
	    http_add_header(r, "Location", location) != 0)
		return http_send_error(r, 400, "The return address must be a page of this site.");
	return http_send(r, 303, NULL, NULL, 0);
}
