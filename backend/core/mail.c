/* mail.c - the email outbox and its SMTP sender; see mail.h.
 *
 * Writing: mail_enqueue renders a template and INSERTs one outbox row on the caller's
 * connection. Sending: one thread per portal instance. Every MAIL_POLL_MS (or at once after a
 * full batch) it borrows a pooled connection and, up to MAIL_BATCH times, claims the oldest due
 * message (FOR UPDATE SKIP LOCKED), sends it over SMTP and records the outcome in the same
 * transaction. One transaction per message rather than per batch: if the database goes away
 * mid-batch, at most the one message in flight can be sent twice. When the database is down,
 * db_acquire fails and the thread simply tries again on the next tick.
 *
 * The message on the wire: RFC 5322 headers (the subject RFC 2047-encoded when not ASCII),
 * text/plain in UTF-8, 7bit when the body is ASCII with short lines, else quoted-printable.
 * A message with attachments (mail_enqueue_attached) is multipart/mixed: that text/plain part,
 * then each attachment base64-encoded under a random boundary.
 * libcurl does the SMTP dialogue and the dot-stuffing; we hand it CRLF lines.
 *
 * Secrets: bodies hold single-use tokens, so they are never logged; smtp_url may hold a
 * password, which is masked in every error we keep or log, and is never sent in clear text to
 * a host other than this machine (STARTTLS is then required).
 */
#include "mail.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "buf.h"
#include "db.h"
#include "db_prepared.h"
#include "log.h"

#define MAIL_SITE_NAME "Teaching in Thurrock"

#define MAIL_POLL_MS 1000           /* how often the sender looks for due messages */
#define MAIL_BATCH 10               /* messages per borrowed connection */
#define MAIL_DB_WAIT_MS 1000        /* how long the sender waits for a pooled connection */
#define MAIL_CONNECT_TIMEOUT_MS 10000L
#define MAIL_TRANSFER_TIMEOUT_MS 60000L
#define MAIL_STOP_GRACE_MS 5000     /* a transfer may run this long after mail_sender_stop */
#define MAIL_SUBJECT_MAX 500        /* bytes */
#define MAIL_ERROR_MAX 300          /* bytes of last_error */
#define MAIL_LOG_LOOKBACK 200       /* ids below the highest logged one that are asked again */
#define MAIL_LOG_RING 256           /* ids recently logged as kept (> MAIL_LOG_LOOKBACK) */

/* The sender thread and what it derived from smtp_url at start. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool running;
	atomic_bool stopping;
	_Atomic long long stop_at_ms;   /* monotonic ms when stop was asked */
	long use_ssl;                   /* CURLOPT_USE_SSL for smtp:// */
	char *password;                 /* smtp_url's password as written (URL-encoded), or NULL */
	char *password_plain;           /* the same, decoded, or NULL */
	char from_addr[256];            /* the address of mail_from, for MAIL FROM */
	/* Without smtp_url: which messages were already logged as kept. */
	long long logged_max;
	long long logged[MAIL_LOG_RING];
	size_t logged_next;
} sender = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Milliseconds on the monotonic clock. */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- checking and rendering --------------------------------------------------------------- */

bool mail_address_ok(const char *addr)
{
	const char *at = NULL, *p;
	size_t n;

	if (addr == NULL)
		return false;
	n = strlen(addr);
	if (n < 3 || n > 254)
		return false;
	for (p = addr; *p != '\0'; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch <= ' ' || ch >= 0x7f || strchr("\"(),:;<>[\\]", ch) != NULL)
			return false;
		if (ch == '@') {
			if (at != NULL)
				return false;
			at = p;
		}
	}
	return at != NULL && at != addr && at[1] != '\0' && at[1] != '.' && addr[n - 1] != '.';
}

/* True for a template name we accept: [a-z0-9_], 1 to 64 characters. */
static bool template_name_ok(const char *name)
{
	size_t n = name != NULL ? strlen(name) : 0;

	if (n == 0 || n > 64)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* True when s (n bytes) holds no control character (C0, DEL). */
static bool no_controls(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* base_url without trailing slashes, as a length (the string is app.cfg.base_url). */
static size_t base_url_len(void)
{
	size_t n = strlen(app.cfg.base_url);

	while (n > 0 && app.cfg.base_url[n - 1] == '/')
		n--;
	return n;
}

/* Makes m's string `key`, when it is a local path, absolute with base_url. Returns 0, or -1
 * when out of memory. */
static int absolute_link(json_t *m, const char *key)
{
	const char *link = json_string_value(json_object_get(m, key));
	struct buf abs = { 0 };
	int rc = 0;

	if (link != NULL && link[0] == '/') {
		buf_append(&abs, app.cfg.base_url, base_url_len());
		buf_puts(&abs, link);
		rc = buf_failed(&abs) || json_object_set_new(m, key, json_string(buf_str(&abs))) != 0
			     ? -1
			     : 0;
	}
	buf_free(&abs);
	return rc;
}

/* The model the template sees: a shallow copy of model plus site, with local-path links
 * (`link`, `unsubscribe`) made absolute. Returns a new reference, or NULL when out of memory
 * or model is not an object. */
static json_t *render_model(json_t *model)
{
	json_t *m = model != NULL ? json_copy(model) : json_object();

	if (m == NULL || !json_is_object(m) ||
	    json_object_set_new(m, "site", json_pack("{s:s, s:s%}", "name", MAIL_SITE_NAME,
						     "base_url", app.cfg.base_url,
						     base_url_len())) != 0 ||
	    absolute_link(m, "link") != 0 || absolute_link(m, "unsubscribe") != 0) {
		json_decref(m);
		return NULL;
	}
	return m;
}

/* True when url can go in a List-Unsubscribe header: an http(s) URL of at most
 * MAIL_UNSUBSCRIBE_MAX bytes of printable ASCII without blanks, angle brackets or commas (it
 * is written <url>, and a comma would start a second one). */
static bool unsubscribe_url_ok(const char *url)
{
	size_t n = strlen(url);

	if (n > MAIL_UNSUBSCRIBE_MAX ||
	    (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] >= 0x7f ||
		    strchr("<>,\"", url[i]) != NULL)
			return false;
	return true;
}

/* Splits rendered text into subject and body: "Subject: S\n\nBODY". Sets *subject and *slen to S
 * (trimmed) and *body to BODY (leading/trailing blank lines not removed). Returns 0, or -1 with
 * a reason in *why when the shape is wrong or S has control characters or is too long. */
static int split_message(const char *text, const char **subject, size_t *slen, const char **body,
			 const char **why)
{
	const char *nl, *s;
	size_t n;

	if (strncmp(text, "Subject:", 8) != 0) {
		*why = "the template does not start with \"Subject:\"";
		return -1;
	}
	s = text + 8;
	while (*s == ' ')
		s++;
	nl = strchr(s, '\n');
	if (nl == NULL) {
		*why = "no body after the subject";
		return -1;
	}
	n = (size_t)(nl - s);
	if (n > 0 && s[n - 1] == '\r')
		n--;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0 || n > MAIL_SUBJECT_MAX || !no_controls(s, n)) {
		*why = "the subject is empty, too long or holds a control character";
		return -1;
	}
	nl++;
	if (nl[0] == '\r')
		nl++;
	if (nl[0] != '\n' || nl[1] == '\0') {
		*why = "no blank line and body after the subject";
		return -1;
	}
	*subject = s;
	*slen = n;
	*body = nl + 1;
	return 0;
}

/* True when s (n bytes) is printable ASCII (tab allowed). */
static bool is_ascii_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch >= 0x7f || (ch < 0x20 && ch != '\t'))
			return false;
	}
	return true;
}

/* True when filename, content_type and content make an attachment we send (see struct
 * mail_attachment). */
static bool attachment_ok(const char *filename, const char *content_type, const char *content)
{
	size_t n = filename != NULL ? strlen(filename) : 0;
	size_t t = content_type != NULL ? strlen(content_type) : 0;

	return n > 0 && n <= 100 && filename[0] != '.' &&
	       strspn(filename, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
		       n &&
	       t > 0 && t <= 200 && is_ascii_text(content_type, t) &&
	       strpbrk(content_type, "\"\\\t") == NULL && strchr(content_type, '/') != NULL &&
	       content != NULL && strlen(content) <= MAIL_ATTACHMENT_MAX;
}

/* The attachments as the outbox keeps them: a new JSON array text (caller frees), or NULL with
 * *why set when one is refused or memory ran out. */
static char *attachments_json(const struct mail_attachment *a, size_t n, const char **why)
{
	json_t *list = json_array();
	char *out = NULL;
	size_t i;

	if (n > MAIL_ATTACHMENTS_MAX) {
		*why = "too many attachments";
		goto out;
	}
	for (i = 0; list != NULL && i < n; i++) {
		if (!attachment_ok(a[i].filename, a[i].content_type, a[i].content)) {
			*why = "an attachment's name, type or size is refused";
			goto out;
		}
		if (json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "filename",
							  a[i].filename, "content_type",
							  a[i].content_type, "content",
							  a[i].content)) != 0)
			break;
	}
	out = list != NULL && i == n ? json_dumps(list, JSON_COMPACT) : NULL;
	if (out == NULL)
		*why = "out of memory";
out:
	json_decref(list);
	return out;
}

/* One message into the outbox: $1 to, $2 subject, $3 body, $4 attachments (JSON), $5 the
 * List-Unsubscribe URL or NULL. Prepared (db_prepared.h): submissions and status changes each
 * write one or more. */
static const struct db_stmt enqueue_stmt = {
	"mail_enqueue",
	"INSERT INTO outbox (to_address, subject, body, attachments, list_unsubscribe) "
	"VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING id",
	5,
};

int mail_enqueue(PGconn *c, const char *to, const char *name, json_t *model)
{
	return mail_enqueue_attached(c, to, name, model, NULL, 0);
}

int mail_enqueue_attached(PGconn *c, const char *to, const char *name, json_t *model,
			  const struct mail_attachment *a, size_t n)
{
	struct buf tname = { 0 }, text = { 0 }, subject = { 0 };
	const char *subj, *body, *why = NULL, *vals[5];
	char *attachments = NULL;
	json_t *m = NULL;
	PGresult *res = NULL;
	size_t slen;
	int rc = -1;

	if (!template_name_ok(name)) {
		why = "bad template name";
		goto out;
	}
	if (!mail_address_ok(to)) {
		why = "the address is not one plain email address";
		goto out;
	}
	attachments = attachments_json(a, n, &why);
	if (attachments == NULL)
		goto out;
	m = render_model(model);
	buf_printf(&tname, MAIL_TEMPLATE_DIR "/%s", name);
	if (m == NULL || buf_failed(&tname)) {
		why = "out of memory";
		goto out;
	}
	if (app.templates == NULL || !tpl_set_has(app.templates, buf_str(&tname))) {
		why = "no such email template";
		goto out;
	}
	if (tpl_render(app.templates, buf_str(&tname), m, &text) != 0 || buf_failed(&text)) {
		why = "cannot render the template";
		goto out;
	}
	if (split_message(buf_str(&text), &subj, &slen, &body, &why) != 0)
		goto out;
	buf_append(&subject, subj, slen);
	if (buf_failed(&subject)) {
		why = "out of memory";
		goto out;
	}
	vals[4] = json_string_value(json_object_get(m, "unsubscribe"));
	if (json_object_get(m, "unsubscribe") != NULL &&
	    (vals[4] == NULL || strncmp(vals[4], app.cfg.base_url, base_url_len()) != 0 ||
	     vals[4][base_url_len()] != '/' || !unsubscribe_url_ok(vals[4]))) {
		why = "the unsubscribe link is not a local path that fits a header";
		goto out;
	}
	vals[0] = to;
	vals[1] = buf_str(&subject);
	vals[2] = body;
	vals[3] = attachments;
	res = db_prepared_exec(c, &enqueue_stmt, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "email %s: cannot write to the outbox: %s", name,
			   PQresultErrorMessage(res));
		goto out;
	}
	log_event(LOG_INFO, "email queued", "template", name, "outbox_id", PQgetvalue(res, 0, 0),
		  NULL);
	rc = 0;
out:
	if (why != NULL)
		log_event(LOG_ERROR, "email refused", "template", name, "reason", why, NULL);
	PQclear(res);
	json_decref(m);
	free(attachments);
	buf_free(&tname);
	buf_free(&text);
	buf_free(&subject);
	return rc;
}

/* ---- composing the message ---------------------------------------------------------------- */

/* Appends base64 of n bytes. */
static void put_base64(struct buf *b, const unsigned char *s, size_t n)
{
	unsigned char out[4 * 64 / 3 + 8];

	while (n > 0) {
		size_t take = n > 48 ? 48 : n;
		int len = EVP_EncodeBlock(out, s, (int)take);

		buf_append(b, (const char *)out, (size_t)len);
		s += take;
		n -= take;
	}
}

/* Appends a header value: as is when printable ASCII, else as RFC 2047 encoded words
 * (=?UTF-8?B?...?=, each at most 75 characters, never splitting a UTF-8 sequence) folded
 * onto continuation lines. */
static void put_header_text(struct buf *b, const char *s)
{
	size_t n = strlen(s), i = 0, take;

	if (is_ascii_text(s, n)) {
		buf_append(b, s, n);
		return;
	}
	while (i < n) {
		/* 45 bytes -> 60 base64 characters + 12 of framing = 72 */
		take = n - i > 45 ? 45 : n - i;
		while (i + take < n && take > 0 && ((unsigned char)s[i + take] & 0xc0) == 0x80)
			take--;
		if (take == 0)
			take = n - i > 45 ? 45 : n - i;
		if (i > 0)
			buf_puts(b, "\r\n ");
		buf_puts(b, "=?UTF-8?B?");
		put_base64(b, (const unsigned char *)s + i, take);
		buf_puts(b, "?=");
		i += take;
	}
}

/* Appends one line (without its end) quoted-printable (RFC 2045 6.7): lines of at most 76
 * characters with soft breaks, '=', non-ASCII and controls as =XX, blanks at the end encoded. */
static void put_qp_line(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0;
	char tok[3];
	size_t tl;

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		bool blank = ch == ' ' || ch == '\t';

		if ((ch >= 33 && ch <= 126 && ch != '=') || (blank && i + 1 < n)) {
			tok[0] = (char)ch;
			tl = 1;
		} else {
			tok[0] = '=';
			tok[1] = hex[ch >> 4];
			tok[2] = hex[ch & 15];
			tl = 3;
		}
		if (col + tl > 75) {
			buf_puts(b, "=\r\n");
			col = 0;
		}
		buf_append(b, tok, tl);
		col += tl;
	}
	buf_puts(b, "\r\n");
}

/* Calls fn for each line of s (ends: LF, CRLF or a lone CR), without the end. A final line
 * without an end is passed too, a final end does not start an empty line. */
static void each_line(struct buf *b, const char *s, void (*fn)(struct buf *, const char *, size_t))
{
	while (*s != '\0') {
		size_t n = strcspn(s, "\r\n");

		fn(b, s, n);
		s += n;
		if (s[0] == '\r' && s[1] == '\n')
			s += 2;
		else if (*s != '\0')
			s++;
	}
}

/* Appends a line as is, with CRLF. */
static void put_plain_line(struct buf *b, const char *s, size_t n)
{
	buf_append(b, s, n);
	buf_puts(b, "\r\n");
}

/* True when the body can go as 7bit: printable ASCII and no line longer than 998 bytes. */
static bool body_is_7bit(const char *s)
{
	size_t n;

	while (*s != '\0') {
		n = strcspn(s, "\r\n");
		if (n > 998 || !is_ascii_text(s, n))
			return false;
		s += n;
		s += strspn(s, "\r\n");
	}
	return true;
}

/* The host part of base_url (for Message-ID), into out; "localhost" when there is none or it
 * holds unexpected characters. */
static void base_url_host(char *out, size_t outlen)
{
	const char *s = strstr(app.cfg.base_url, "://"), *end;
	size_t n;

	s = s != NULL ? s + 3 : app.cfg.base_url;
	if (s[0] == '[')
		end = strchr(s, ']') != NULL ? strchr(s, ']') + 1 : s;
	else
		end = s + strcspn(s, ":/?#");
	n = (size_t)(end - s);
	if (n == 0 || n >= outlen ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-[]:") < n) {
		snprintf(out, outlen, "localhost");
		return;
	}
	memcpy(out, s, n);
	out[n] = '\0';
}

/* Appends an RFC 5322 date ("Tue, 07 Jan 2025 14:05:00 +0000") for Unix time t. */
static void put_date(struct buf *b, time_t t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&t, &tm);
	buf_printf(b, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
		   months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The address inside "Name <addr>" (or the whole string) into out. Returns 0, -1 when it does
 * not fit or is not a plain address. */
static int from_address(const char *from, char *out, size_t outlen)
{
	const char *lt = strrchr(from, '<'), *gt;
	size_t n;

	if (lt != NULL) {
		gt = strchr(lt, '>');
		if (gt == NULL)
			return -1;
		n = (size_t)(gt - lt - 1);
		lt++;
	} else {
		lt = from;
		n = strlen(from);
	}
	if (n >= outlen)
		return -1;
	memcpy(out, lt, n);
	out[n] = '\0';
	return mail_address_ok(out) ? 0 : -1;
}

int mail_from_address(char *out, size_t outlen)
{
	return from_address(app.cfg.mail_from, out, outlen);
}

/* Appends the From header's value for mail_from: as configured when it is plain ASCII without
 * specials in the name, else with the display name quoted or RFC 2047-encoded. */
static void put_from(struct buf *b, const char *from)
{
	const char *lt = strrchr(from, '<');
	size_t n;

	if (lt == NULL) {
		buf_puts(b, from);
		return;
	}
	n = (size_t)(lt - from);
	while (n > 0 && from[n - 1] == ' ')
		n--;
	if (n == 0) {
		buf_puts(b, lt);
		return;
	}
	if (!is_ascii_text(from, n)) {
		struct buf name = { 0 };

		buf_append(&name, from, n);
		put_header_text(b, buf_str(&name));
		buf_free(&name);
	} else if (strcspn(from, "()<>[]:;@\\,.\"") < n) {
		buf_putc(b, '"');
		for (size_t i = 0; i < n; i++) {
			if (from[i] == '"' || from[i] == '\\')
				buf_putc(b, '\\');
			buf_putc(b, from[i]);
		}
		buf_putc(b, '"');
	} else {
		buf_append(b, from, n);
	}
	buf_putc(b, ' ');
	buf_puts(b, lt);
}

/* Appends n bytes base64-encoded in lines of 64 characters, each ending in CRLF. */
static void put_base64_lines(struct buf *b, const char *s, size_t n)
{
	while (n > 0) {
		size_t take = n > 48 ? 48 : n;

		put_base64(b, (const unsigned char *)s, take);
		buf_puts(b, "\r\n");
		s += take;
		n -= take;
	}
}

/* Appends the text body's Content-Transfer-Encoding header, the blank line and the body: 7bit
 * when it is ASCII with short lines, else quoted-printable. */
static void put_text_body(struct buf *out, const char *body)
{
	if (body_is_7bit(body)) {
		buf_puts(out, "Content-Transfer-Encoding: 7bit\r\n\r\n");
		each_line(out, body, put_plain_line);
	} else {
		buf_puts(out, "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
		each_line(out, body, put_qp_line);
	}
}

/* True when every element of attachments (a JSON array, at most MAIL_ATTACHMENTS_MAX) is an
 * object {filename, content_type, content} we send. */
static bool attachments_ok(const json_t *attachments)
{
	const json_t *a;
	size_t i;

	if (!json_is_array(attachments) || json_array_size(attachments) > MAIL_ATTACHMENTS_MAX)
		return false;
	json_array_foreach(attachments, i, a)
		if (!attachment_ok(json_string_value(json_object_get(a, "filename")),
				   json_string_value(json_object_get(a, "content_type")),
				   json_string_value(json_object_get(a, "content"))))
			return false;
	return true;
}

/* Appends the multipart/mixed part of the message: its Content-Type header, the blank line,
 * the text/plain body and each attachment (checked by attachments_ok) base64-encoded, between
 * boundaries. Returns 0, or -1 with *why set when no random boundary could be made. */
static int put_multipart(struct buf *out, const struct mail_message *m, const char **why)
{
	unsigned char rnd[12];
	char boundary[48];
	const json_t *a;
	const char *content;
	size_t i, n;

	if (RAND_bytes(rnd, sizeof rnd) != 1) {
		*why = "no random bytes for the MIME boundary";
		return -1;
	}
	/* "=_" cannot occur in quoted-printable or base64 text; a 7bit body is checked. */
	n = (size_t)snprintf(boundary, sizeof boundary, "=_portal_");
	for (i = 0; i < sizeof rnd; i++)
		n += (size_t)snprintf(boundary + n, sizeof boundary - n, "%02x", rnd[i]);
	if (strstr(m->body, boundary) != NULL) {
		*why = "the body holds the MIME boundary";
		return -1;
	}
	buf_printf(out, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n"
			"Auto-Submitted: auto-generated\r\n\r\n"
			"This is a multi-part message in MIME format.\r\n"
			"--%s\r\nContent-Type: text/plain; charset=utf-8\r\n", boundary, boundary);
	put_text_body(out, m->body);
	json_array_foreach(m->attachments, i, a) {
		content = json_string_value(json_object_get(a, "content"));
		buf_printf(out, "--%s\r\nContent-Type: %s; name=\"%s\"\r\n"
				"Content-Disposition: attachment; filename=\"%s\"\r\n"
				"Content-Transfer-Encoding: base64\r\n\r\n", boundary,
			   json_string_value(json_object_get(a, "content_type")),
			   json_string_value(json_object_get(a, "filename")),
			   json_string_value(json_object_get(a, "filename")));
		put_base64_lines(out, content, strlen(content));
	}
	buf_printf(out, "--%s--\r\n", boundary);
	return 0;
}

int mail_compose(struct buf *out, const struct mail_message *m, const char *from,
		 const char **why)
{
	unsigned char rnd[8];
	char host[256];
	bool multipart = json_array_size(m->attachments) > 0;

	if (!mail_address_ok(m->to)) {
		*why = "refused: the address is not one plain email address";
		return -1;
	}
	if (m->subject[0] == '\0' || strlen(m->subject) > MAIL_SUBJECT_MAX ||
	    !no_controls(m->subject, strlen(m->subject))) {
		*why = "refused: the subject is empty, too long or holds a control character";
		return -1;
	}
	if (m->attachments != NULL && !attachments_ok(m->attachments)) {
		*why = "refused: an attachment's name, type or size is refused";
		return -1;
	}
	if (m->list_unsubscribe != NULL && !unsubscribe_url_ok(m->list_unsubscribe)) {
		*why = "refused: the List-Unsubscribe URL does not fit the header";
		return -1;
	}
	if (RAND_bytes(rnd, sizeof rnd) != 1) {
		*why = "no random bytes for the Message-ID";
		return -1;
	}
	base_url_host(host, sizeof host);
	buf_puts(out, "From: ");
	put_from(out, from);
	buf_printf(out, "\r\nTo: %s\r\nSubject: ", m->to);
	put_header_text(out, m->subject);
	buf_puts(out, "\r\nDate: ");
	put_date(out, (time_t)m->created);
	buf_printf(out, "\r\nMessage-ID: <%s.", m->id);
	for (size_t i = 0; i < sizeof rnd; i++)
		buf_printf(out, "%02x", rnd[i]);
	buf_printf(out, "@%s>\r\n", host);
	if (m->list_unsubscribe != NULL)
		buf_printf(out, "List-Unsubscribe: <%s>\r\n"
				"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
			   m->list_unsubscribe);
	buf_puts(out, "MIME-Version: 1.0\r\n");
	if (multipart) {
		if (put_multipart(out, m, why) != 0)
			return -1;
	} else {
		buf_puts(out, "Content-Type: text/plain; charset=utf-8\r\n"
			      "Auto-Submitted: auto-generated\r\n");
		put_text_body(out, m->body);
	}
	if (buf_failed(out)) {
		*why = "out of memory";
		return -1;
	}
	return 0;
}

/* ---- SMTP --------------------------------------------------------------------------------- */

/* What libcurl reads the message from. */
struct upload {
	const char *data;
	size_t len;
	size_t off;
};

/* CURLOPT_READFUNCTION: hands libcurl the next piece of the message. */
static size_t upload_read(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t n = u->len - u->off;

	if (n > size * nmemb)
		n = size * nmemb;
	memcpy(dst, u->data + u->off, n);
	u->off += n;
	return n;
}

/* CURLOPT_XFERINFOFUNCTION: aborts a transfer MAIL_STOP_GRACE_MS after a stop was asked. */
static int upload_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
			   curl_off_t ulnow)
{
	(void)arg;
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return atomic_load(&sender.stopping) &&
	       now_ms() - atomic_load(&sender.stop_at_ms) > MAIL_STOP_GRACE_MS;
}

/* Replaces every occurrence of secret in s (in place) with "***", or with as many '*' as secret
 * has bytes when it is shorter. */
static void mask_secret(char *s, const char *secret)
{
	size_t n = secret != NULL ? strlen(secret) : 0, stars = n < 3 ? n : 3;
	char *p = s;

	if (n == 0)
		return;
	while ((p = strstr(p, secret)) != NULL) {
		memset(p, '*', stars);
		memmove(p + stars, p + n, strlen(p + n) + 1);
		p += stars;
	}
}

/* Makes err one short line without the smtp_url password: controls become spaces. */
static void error_clean(char *err)
{
	mask_secret(err, sender.password);
	mask_secret(err, sender.password_plain);
	for (char *p = err; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	if (strlen(err) > MAIL_ERROR_MAX)
		err[MAIL_ERROR_MAX] = '\0';
}

/* Sends msg (a composed message) from envelope sender `from` to `to` over smtp_url. Returns 0,
 * or -1 with one line in err (no password). */
static int smtp_send(const struct buf *msg, const char *from, const char *to, char *err,
		     size_t errlen)
{
	char cerr[CURL_ERROR_SIZE] = "", rcpt_addr[300], from_addr[300];
	struct upload up = { msg->data, msg->len, 0 };
	struct curl_slist *rcpt = NULL;
	CURL *h = curl_easy_init();
	CURLcode cc;
	long code = 0;
	int rc = -1;

	snprintf(from_addr, sizeof from_addr, "<%s>", from);
	snprintf(rcpt_addr, sizeof rcpt_addr, "<%s>", to);
	if (h == NULL || (rcpt = curl_slist_append(NULL, rcpt_addr)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	curl_easy_setopt(h, CURLOPT_URL, app.cfg.smtp_url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_USE_SSL, sender.use_ssl);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from_addr);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg->len);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, upload_progress);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, MAIL_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, MAIL_TRANSFER_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	cc = curl_easy_perform(h);
	if (cc != CURLE_OK) {
		const char *what = cerr[0] != '\0' ? cerr : curl_easy_strerror(cc);

		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		if (code > 0)
			snprintf(err, errlen, "%s (SMTP reply %ld)", what, code);
		else
			snprintf(err, errlen, "%s", what);
		goto out;
	}
	rc = 0;
out:
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	return rc;
}

/* ---- the sender --------------------------------------------------------------------------- */

/* Runs one parameterised command; returns its result (caller PQclear()s) or NULL after logging
 * when it did not give `want`. */
static PGresult *sender_exec(PGconn *c, const char *sql, int n, const char *const *vals,
			     ExecStatusType want)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);

	if (PQresultStatus(res) == want)
		return res;
	log_errorf(__func__, "outbox: %s", res != NULL ? PQresultErrorMessage(res)
						       : PQerrorMessage(c));
	PQclear(res);
	return NULL;
}

/* Records the outcome of one attempt at message id (attempts_before attempts made earlier):
 * sent, or failed with err (a refused message is given up at once). Logs it. Returns 0 or -1
 * when the database refused. */
static int record_outcome(PGconn *c, const struct mail_message *m, int attempts_before,
			  const char *err, bool refused)
{
	bool last = refused || attempts_before + 1 >= MAIL_MAX_ATTEMPTS;
	const char *vals[3] = { m->id, err, NULL };
	char max[16];
	PGresult *res;
	int rc;

	snprintf(max, sizeof max, "%d", MAIL_MAX_ATTEMPTS);
	if (err == NULL) {
		res = sender_exec(c,
				  "UPDATE outbox SET sent_at = now(), attempts = attempts + 1, "
				  "last_error = NULL WHERE id = $1",
				  1, vals, PGRES_COMMAND_OK);
		log_event(LOG_INFO, "email sent", "outbox_id", m->id, NULL);
	} else {
		/* $3: a refused message jumps to the last attempt. The power stops at 7 (30 s x
		 * 2^7 is past the hour cap already; far larger ones overflow an interval). */
		vals[2] = refused ? max : NULL;
		res = sender_exec(c,
				  "UPDATE outbox SET "
				  "attempts = coalesce($3::integer, attempts + 1), "
				  "next_attempt_at = now() + least(interval '30 seconds' * "
				  "power(2, least(attempts, 7)), interval '1 hour'), "
				  "last_error = $2 WHERE id = $1",
				  3, vals, PGRES_COMMAND_OK);
		log_fields(LOG_WARN, "email not delivered",
			   (struct log_field[]){
				   LOG_STR("outbox_id", m->id),
				   LOG_NUM("attempt", attempts_before + 1),
				   LOG_STR("error", err),
				   LOG_STR("next", last ? "given up" : "will retry"),
			   },
			   4);
	}
	rc = res != NULL ? 0 : -1;
	PQclear(res);
	return rc;
}

/* Claims the oldest due message, sends it and records the outcome, all in one transaction.
 * Returns 1 when a message was handled, 0 when none was due, -1 on a database error. */
static int deliver_one(PGconn *c, const char *from, const char *from_addr)
{
	struct buf msg = { 0 };
	struct mail_message m;
	json_t *attachments = NULL;
	json_error_t jerr;
	PGresult *res = NULL, *claim = NULL;
	const char *why = NULL, *vals[1];
	char err[512], max[16];
	bool refused = false;
	int rc = -1, attempts;

	snprintf(max, sizeof max, "%d", MAIL_MAX_ATTEMPTS);
	vals[0] = max;
	res = sender_exec(c, "BEGIN", 0, NULL, PGRES_COMMAND_OK);
	if (res == NULL)
		goto out;
	PQclear(res);
	res = NULL;
	claim = sender_exec(c,
			    "SELECT id, to_address, subject, body, "
			    "extract(epoch FROM created_at)::bigint, attempts, attachments, "
			    "list_unsubscribe FROM outbox "
			    "WHERE sent_at IS NULL AND next_attempt_at <= now() AND attempts < $1 "
			    "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
			    1, vals, PGRES_TUPLES_OK);
	if (claim == NULL)
		goto out;
	if (PQntuples(claim) == 0) {
		rc = 0;
		goto out;
	}
	m.id = PQgetvalue(claim, 0, 0);
	m.to = PQgetvalue(claim, 0, 1);
	m.subject = PQgetvalue(claim, 0, 2);
	m.body = PQgetvalue(claim, 0, 3);
	m.created = strtoll(PQgetvalue(claim, 0, 4), NULL, 10);
	attempts = atoi(PQgetvalue(claim, 0, 5));
	attachments = json_loads(PQgetvalue(claim, 0, 6), 0, &jerr);
	m.attachments = attachments;
	m.list_unsubscribe = PQgetisnull(claim, 0, 7) ? NULL : PQgetvalue(claim, 0, 7);
	if (attachments == NULL) {
		/* jsonb is always JSON: only memory can fail here, so it is tried again. */
		snprintf(err, sizeof err, "cannot read the attachments: %s", jerr.text);
	} else if (mail_compose(&msg, &m, from, &why) != 0) {
		snprintf(err, sizeof err, "%s", why);
		refused = strncmp(why, "refused", 7) == 0;
	} else if (smtp_send(&msg, from_addr, m.to, err, sizeof err) == 0) {
		err[0] = '\0';
	}
	error_clean(err);
	if (record_outcome(c, &m, attempts, err[0] != '\0' ? err : NULL, refused) != 0)
		goto out;
	res = sender_exec(c, "COMMIT", 0, NULL, PGRES_COMMAND_OK);
	if (res == NULL)
		goto out;
	rc = 1;
out:
	PQclear(res);
	if (PQtransactionStatus(c) == PQTRANS_INTRANS || PQtransactionStatus(c) == PQTRANS_INERROR)
		PQclear(PQexec(c, "ROLLBACK"));
	PQclear(claim);
	json_decref(attachments);
	buf_free(&msg);
	return rc;
}

/* Delivers up to MAIL_BATCH due messages on one pooled connection. Returns how many were
 * handled (0 when the database could not be reached). */
static int deliver_batch(void)
{
	PGconn *c = db_acquire(MAIL_DB_WAIT_MS);
	int n = 0;

	if (c == NULL)
		return 0;
	while (n < MAIL_BATCH && !atomic_load(&sender.stopping) &&
	       deliver_one(c, app.cfg.mail_from, sender.from_addr) == 1)
		n++;
	db_release(c);
	return n;
}

/* True when message id was logged as kept (recently enough to be in the ring). */
static bool logged_recently(long long id)
{
	for (size_t i = 0; i < MAIL_LOG_RING; i++)
		if (sender.logged[i] == id)
			return true;
	return false;
}

/* Without smtp_url: logs each unsent message once (id, to, subject - never the body). Looks
 * MAIL_LOG_LOOKBACK ids back so that a transaction that committed late is not missed. Returns
 * 0. */
static int log_kept(void)
{
	const char *vals[1];
	char since[24];
	PGresult *res;
	PGconn *c;
	long long id;

	snprintf(since, sizeof since, "%lld",
		 sender.logged_max > MAIL_LOG_LOOKBACK ? sender.logged_max - MAIL_LOG_LOOKBACK : 0);
	vals[0] = since;
	c = db_acquire(MAIL_DB_WAIT_MS);
	if (c == NULL)
		return 0;
	res = sender_exec(c,
			  "SELECT id, to_address, subject FROM outbox WHERE sent_at IS NULL "
			  "AND id > $1 ORDER BY id LIMIT 500",
			  1, vals, PGRES_TUPLES_OK);
	for (int i = 0; res != NULL && i < PQntuples(res); i++) {
		id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		if (logged_recently(id))
			continue;
		log_event(LOG_INFO, "email kept in the outbox (no smtp_url)", "outbox_id",
			  PQgetvalue(res, i, 0), "to", PQgetvalue(res, i, 1), "subject",
			  PQgetvalue(res, i, 2), NULL);
		sender.logged[sender.logged_next] = id;
		sender.logged_next = (sender.logged_next + 1) % MAIL_LOG_RING;
		if (id > sender.logged_max)
			sender.logged_max = id;
	}
	PQclear(res);
	db_release(c);
	return 0;
}

/* The thread: a round of work, then a wait of MAIL_POLL_MS (none after a full batch) that a
 * stop cuts short. */
static void *sender_main(void *arg)
{
	struct timespec until;
	int n;

	(void)arg;
	while (!atomic_load(&sender.stopping)) {
		n = app.cfg.smtp_url[0] != '\0' ? deliver_batch() : log_kept();
		if (n >= MAIL_BATCH)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += MAIL_POLL_MS / 1000;
		until.tv_nsec += (long)(MAIL_POLL_MS % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&sender.lock);
		while (!atomic_load(&sender.stopping) &&
		       pthread_cond_timedwait(&sender.wake, &sender.lock, &until) == 0)
			;
		pthread_mutex_unlock(&sender.lock);
	}
	return NULL;
}

/* Checks smtp_url and derives the TLS policy and the password to mask. smtp:// to another
 * machine with a password in the URL requires STARTTLS (never a password in clear text);
 * otherwise STARTTLS is used when offered. Returns 0, or -1 (logged). */
static int sender_parse_url(void)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int rc = -1;

	if (u == NULL || curl_url_set(u, CURLUPART_URL, app.cfg.smtp_url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    (strcmp(scheme, "smtp") != 0 && strcmp(scheme, "smtps") != 0)) {
		log_event(LOG_ERROR, "smtp_url must be smtp://[user:password@]host[:port] "
				     "or smtps://...", NULL);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PASSWORD, &sender.password, 0) != CURLUE_OK)
		sender.password = NULL;
	if (curl_url_get(u, CURLUPART_PASSWORD, &sender.password_plain, CURLU_URLDECODE) !=
	    CURLUE_OK)
		sender.password_plain = NULL;
	sender.use_ssl = CURLUSESSL_TRY;
	if (strcmp(scheme, "smtp") == 0 && sender.password != NULL &&
	    strcmp(host, "localhost") != 0 && strncmp(host, "127.", 4) != 0 &&
	    strcmp(host, "[::1]") != 0)
		sender.use_ssl = CURLUSESSL_ALL;
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

/* Forgets what sender_parse_url kept. */
static void sender_forget_url(void)
{
	curl_free(sender.password);
	curl_free(sender.password_plain);
	sender.password = NULL;
	sender.password_plain = NULL;
}

int mail_sender_start(void)
{
	pthread_condattr_t attr;
	sigset_t all, old;
	int rc = -1;

	if (sender.running)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_errorf(__func__, "cannot initialise libcurl");
		return -1;
	}
	if (app.cfg.smtp_url[0] != '\0' && sender_parse_url() != 0)
		goto out;
	if (app.cfg.smtp_url[0] != '\0' &&
	    (from_address(app.cfg.mail_from, sender.from_addr, sizeof sender.from_addr) != 0 ||
	     !no_controls(app.cfg.mail_from, strlen(app.cfg.mail_from)))) {
		log_event(LOG_ERROR, "mail_from must be an address or \"Name <address>\"", NULL);
		goto out;
	}
	if (pthread_condattr_init(&attr) != 0)
		goto out;
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	rc = pthread_cond_init(&sender.wake, &attr);
	pthread_condattr_destroy(&attr);
	if (rc != 0) {
		rc = -1;
		goto out;
	}
	atomic_store(&sender.stopping, false);
	sender.logged_max = 0;
	sender.logged_next = 0;
	memset(sender.logged, 0, sizeof sender.logged);
	/* The thread starts with every signal blocked: SIGTERM and SIGINT must reach the server's
	 * sigwait, and a SIGPIPE from a closed SMTP connection must not kill the process. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&sender.thread, NULL, sender_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_cond_destroy(&sender.wake);
		rc = -1;
		goto out;
	}
	sender.running = true;
	log_event(LOG_INFO,
		  app.cfg.smtp_url[0] != '\0'
			  ? "email sender started"
			  : "email sender started without smtp_url: emails stay in the outbox",
		  NULL);
	rc = 0;
out:
	if (rc != 0) {
		log_errorf(__func__, "cannot start the email sender");
		sender_forget_url();
		curl_global_cleanup();
	}
	return rc;
}

void mail_sender_stop(void)
{
	if (!sender.running)
		return;
	pthread_mutex_lock(&sender.lock);
	atomic_store(&sender.stop_at_ms, now_ms());
	atomic_store(&sender.stopping, true);
	pthread_cond_signal(&sender.wake);
	pthread_mutex_unlock(&sender.lock);
	pthread_join(sender.thread, NULL);
	pthread_cond_destroy(&sender.wake);
	sender_forget_url();
	curl_global_cleanup();
	sender.running = false;
}
