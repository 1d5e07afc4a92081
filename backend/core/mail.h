/* mail.h - email: an outbox table written in the caller's transaction, and a sender thread that
 * delivers it over SMTP (libcurl) with retries and back-off.
 *
 * With smtp_url empty nothing is sent: each message stays in the outbox (shown on the HR-only
 * /hr/outbox page so links can be followed locally) and one log line says so - without the
 * body, which may hold a token.
 */
#ifndef PORTAL_MAIL_H
#define PORTAL_MAIL_H

#include <jansson.h>
#include <libpq-fe.h>

/* Renders frontend/templates/email/<name>.mustache with model (its first line is "Subject: ...",
 * then a blank line, then the plain-text body) and writes the message to the outbox on c, in the
 * caller's transaction. model gets base_url and site name added. Returns 0 or -1. */
int mail_enqueue(PGconn *c, const char *to, const char *name, json_t *model);

/* Starts the sender thread (no-op when smtp_url is empty, except logging unsent messages).
 * Returns 0 or -1. */
int mail_sender_start(void);
/* Stops it, finishing the message in progress. */
void mail_sender_stop(void);

#endif
