/* vacancy_mail.h - the emails a vacancy's start and end send, queued by the lifecycle
 * (vacancy_lifecycle.c) in the transaction that makes the change:
 *
 * go_live (a scheduled listing, on its publish date, the periodic job) the school's hiring
 *        managers are told it is live, with the public page to share and the listing's own:
 *        email/vacancy_live. (Publishing now needs no email: the person is on the page.)
 * close  (on its closing date, the periodic job) the school's hiring managers are told how many
 *        applications came in, with a link to the listing's page, where they read them, say
 *        whether the post was filled (the "outcome" event) or copy the listing to advertise the
 *        job again: email/vacancy_closed.
 * end    (ended early by a hiring manager, who answered there) each candidate with a draft
 *        application is told that it can no longer be submitted: email/application_vacancy_ended.
 *        Submitted applications stay with the school, which tells their candidates its decision.
 */
#ifndef PORTAL_VACANCY_MAIL_H
#define PORTAL_VACANCY_MAIL_H

#include <libpq-fe.h>

/* Queues email/vacancy_live to every hiring manager of live vacancy id's posting school whose
 * account is enabled and wants it (HIRING_MANAGERS_SQL), in the caller's transaction.
 * Returns the number of messages queued, or -1 (logged). */
int vacancy_live_mail(PGconn *c, long long id);

/* Queues email/vacancy_closed to every hiring manager of closed vacancy id's posting school
 * whose account is enabled (HIRING_MANAGERS_SQL), in the caller's transaction. Returns
 * the number of messages queued (0 when the school has no hiring manager), or -1 (logged). */
int vacancy_closed_mail(PGconn *c, long long id);

/* Queues email/application_vacancy_ended to the account address of every candidate (account
 * enabled) with a draft application for closed vacancy id, in the caller's transaction. Returns the number of
 * messages queued, or -1 (logged). */
int vacancy_ended_mail(PGconn *c, long long id);

#endif
