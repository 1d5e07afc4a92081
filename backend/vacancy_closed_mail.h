/* vacancy_closed_mail.h - when a vacancy closes on its closing date (the periodic job), its
 * school's hiring managers are told: how many applications came in, and a link to the
 * listing's page, where they read them, say whether the post was filled (the "outcome" event:
 * vacancy_lifecycle.h) or copy the listing to advertise the job again. A vacancy ended early
 * sends nothing: a hiring manager ended it and answered there.
 */
#ifndef PORTAL_VACANCY_CLOSED_MAIL_H
#define PORTAL_VACANCY_CLOSED_MAIL_H

#include <libpq-fe.h>

/* Queues email/vacancy_closed to every hiring manager of closed vacancy id's posting school
 * whose account is enabled (HIRING_MANAGER_EMAILS_SQL), in the caller's transaction (the one
 * that closed it). Returns the number of messages queued (0 when the school has no hiring
 * manager), or -1 (logged). */
int vacancy_closed_mail(PGconn *c, long long id);

#endif
