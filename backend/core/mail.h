/* mail.h - email: an outbox table written in the caller's transaction, and a sender thread that
 * delivers it over SMTP (libcurl) with retries and back-off.
 *
 * Messages are plain text, rendered from frontend/templates/email/<name>.mustache: the first
 * line is "Subject: ...", then a blank line, then the body. Templates use {{{x}}} (no HTML
 * escaping: this is not HTML) and links are written {{{link}}} (see mail_enqueue).
 *
 * Delivery: every portal instance runs a sender. Each message is claimed with SELECT ... FOR
 * UPDATE SKIP LOCKED and marked sent in the same transaction, so however many instances run,
 * a message goes out once (a crash between the SMTP server's "250 OK" and the commit can send
 * it again: at-least-once, never lost). A failed attempt is retried after 30 s, 1 min, 2 min,
 * ... at most an hour apart, MAIL_MAX_ATTEMPTS times in all; then the message stays in the
 * outbox with its last error, for HR to see on /hr/outbox.
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

/* Delivery attempts before a message is given up (it stays in the outbox with last_error). */
#define MAIL_MAX_ATTEMPTS 10

/* True when addr is one plausible address we can send to: printable ASCII without spaces,
 * quotes, brackets, commas or semicolons, one '@' with something on both sides, at most 254
 * bytes. (So it cannot smuggle a second recipient or a header.) */
bool mail_address_ok(const char *addr);

/* Renders email/<name> with a shallow copy of model (NULL for none) to which it adds
 * site = {name, base_url}; a string `link` that is a local path ("/account/verify?token=T") is
 * made absolute with base_url first, so callers pass paths and templates write {{{link}}}.
 * Checks the result (a "Subject: " line without control characters, a blank line, a body) and
 * the address (mail_address_ok), then INSERTs the message into outbox on c, inside the caller's
 * transaction: it is sent only if the caller commits. Never logs the body.
 * Returns 0, or -1 (logged) when the address or rendered message is refused, the template is
 * unknown, memory ran out or the INSERT failed. The caller keeps its reference to model. */
int mail_enqueue(PGconn *c, const char *to, const char *name, json_t *model);

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
