/* mail.h - email: an outbox table written in the caller's transaction, and a sender thread that
 * delivers it over SMTP (libcurl) with retries and back-off.
 *
 * Messages are plain text, rendered from frontend/templates/email/<name>.mustache: the first
 * line is "Subject: ...", then a blank line, then the body. Templates use {{{x}}} (no HTML
 * escaping: this is not HTML) and links are written {{{link}}} (see mail_enqueue). A message
 * may carry text attachments (an interview's .ics: mail_enqueue_attached); it then goes out
 * as multipart/mixed.
 *
 * Delivery: every portal instance runs a sender. Each message is claimed with SELECT ... FOR
 * UPDATE SKIP LOCKED and marked sent in the same transaction, so however many instances run,
 * a message goes out once (a crash between the SMTP server's "250 OK" and the commit can send
 * it again: at-least-once, never lost). A failed attempt is retried after 30 s, 1 min, 2 min,
 * ... at most an hour apart, MAIL_MAX_ATTEMPTS times in all (about three days: an SMTP relay
 * down over a long weekend loses nothing); then the message stays in the outbox with its last
 * error, for HR to see on /hr/outbox.
 *
 * With smtp_url empty nothing is sent: each message stays in the outbox (shown on the HR-only
 * /hr/outbox page so links can be followed locally) and one log line per message says so -
 * without the body, which may hold a token.
 */
#ifndef PORTAL_MAIL_H
#define PORTAL_MAIL_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* The directory of the templates directory that holds emails, which are plain text (their
 * whitespace is kept: tpl_set_load_dir). */
#define MAIL_TEMPLATE_DIR "email"

/* Delivery attempts before a message is given up (it stays in the outbox with last_error):
 * 7 in the first hour, then hourly, 80 in all: about 74 hours. */
#define MAIL_MAX_ATTEMPTS 80

/* True when addr is one plausible address we can send to: printable ASCII without spaces,
 * quotes, brackets, commas or semicolons, one '@' with something on both sides, at most 254
 * bytes. (So it cannot smuggle a second recipient or a header.) */
bool mail_address_ok(const char *addr);

/* Bytes of a List-Unsubscribe URL at most (the outbox column's limit). */
#define MAIL_UNSUBSCRIBE_MAX 900

/* Renders email/<name> with a shallow copy of model (NULL for none) to which it adds
 * site = {name, base_url}; a string `link` that is a local path ("/account/verify?token=T") is
 * made absolute with base_url first, so callers pass paths and templates write {{{link}}}.
 * A message someone subscribed to (a job alert, an optional email) also has a string
 * `unsubscribe`: a local path, made absolute likewise, that stops the subscription when POSTed
 * "List-Unsubscribe=One-Click"
 * (RFC 8058) and shows a page where it can be stopped on GET; the message then goes out with
 * List-Unsubscribe and List-Unsubscribe-Post headers. A message is refused when `unsubscribe`
 * is not such a path (or longer than MAIL_UNSUBSCRIBE_MAX with base_url).
 * Checks the result (a "Subject: " line without control characters, a blank line, a body) and
 * the address (mail_address_ok), then INSERTs the message into outbox on c, inside the caller's
 * transaction: it is sent only if the caller commits. Never logs the body.
 * Returns 0, or -1 (logged) when the address or rendered message is refused, the template is
 * unknown, memory ran out or the INSERT failed. The caller keeps its reference to model. */
int mail_enqueue(PGconn *c, const char *to, const char *name, json_t *model);

/* A file attached to a message: text content (an interview's .ics), sent base64-encoded in a
 * multipart/mixed message after the text/plain body. */
struct mail_attachment {
	const char *filename;      /* 1 to 100 of [A-Za-z0-9._-], not starting with '.' */
	const char *content_type;  /* e.g. "text/calendar; method=REQUEST; charset=UTF-8":
				    * printable ASCII without quotes or backslashes */
	const char *content;       /* the file's text (UTF-8), at most MAIL_ATTACHMENT_MAX */
};

#define MAIL_ATTACHMENTS_MAX 4
#define MAIL_ATTACHMENT_MAX 65536   /* bytes of content */

/* mail_enqueue with n attachments (a: n of them, borrowed; n may be 0, then the message is
 * exactly what mail_enqueue writes). The attachments are checked (see struct mail_attachment;
 * at most MAIL_ATTACHMENTS_MAX) and kept in outbox.attachments as
 * [{"filename", "content_type", "content"}]. Returns 0, or -1 (logged) as mail_enqueue, or when
 * an attachment is refused. */
int mail_enqueue_attached(PGconn *c, const char *to, const char *name, json_t *model,
			  const struct mail_attachment *a, size_t n);

/* The address of the configured sender (app.cfg.mail_from: "address" or "Name <address>")
 * into out (outlen bytes), e.g. for an iCalendar ORGANIZER. Returns 0, or -1 when mail_from
 * holds no plain address or it does not fit. */
int mail_from_address(char *out, size_t outlen);

/* One message as the sender composes it (the fields of an outbox row). attachments is the
 * row's JSON array (borrowed; NULL or [] for none). */
struct mail_message {
	const char *id;                 /* the outbox id, for the Message-ID */
	const char *to;
	const char *subject;
	const char *body;
	long long created;              /* Unix time, for the Date header */
	const json_t *attachments;
	const char *list_unsubscribe;   /* an http(s) URL, or NULL: List-Unsubscribe and
					 * List-Unsubscribe-Post: List-Unsubscribe=One-Click */
};

/* Composes message m from `from` (mail_from) into out as it goes on the wire: RFC 5322
 * headers (with the one-click List-Unsubscribe pair when m has a URL for it), then text/plain
 * - or, with attachments, multipart/mixed with the text/plain body first and each attachment
 * base64-encoded - with CRLF line ends. Returns 0, or -1 with a reason in *why (starting
 * "refused" when the message can never be sent: a bad address, subject, attachment or
 * List-Unsubscribe URL). Used by the sender; public for the unit tests. */
int mail_compose(struct buf *out, const struct mail_message *m, const char *from,
		 const char **why);

/* Starts the sender thread (uses app.cfg - smtp_url, mail_from, base_url - and the database
 * pool: call after db_pool_init). With smtp_url empty the thread only logs each new unsent
 * message once. Returns 0, or -1 (logged) when the thread cannot be started, smtp_url is not an
 * smtp:// or smtps:// URL, or mail_from is not "address" or "Name <address>". */
int mail_sender_start(void);
/* Stops the sender and waits for it (call before db_pool_close). A transfer in progress may
 * finish for up to 5 s, then it is cut off and counted as a failed attempt. Safe to call when
 * the sender was never started. */
void mail_sender_stop(void);

#endif
