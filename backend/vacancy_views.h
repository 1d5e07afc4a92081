/* vacancy_views.h - how often people read each live vacancy's page, for its school.
 *
 * The public page of a live vacancy (vacancies_show.c) counts one view when a person reads it:
 * a visitor or a candidate - not the school's staff, HR or admin, who check listings rather
 * than read them - whose User-Agent does not call itself a robot (vacancy_views_is_robot).
 * A reader who reads the same page again within VACANCY_VIEWS_REPEAT_S counts once
 * (vacancy_views_repeat: a reader is a signed-in account, else an address and a browser).
 * Views are counted in memory, at most VACANCY_VIEWS_SLOTS distinct vacancies between two
 * flushes (a view of one more is not counted), and added to table vacancy_views (per vacancy
 * and day, Europe/London) by the periodic job at every round (jobs.h) and when the server
 * stops: a crash loses at most one round's views; several instances each add their own. Only
 * numbers are stored: no one's identity, address or cookie. To tell a repeat, a keyed SHA-256
 * of vacancy and reader (the key random, made at start, never stored) is held in memory for
 * VACANCY_VIEWS_REPEAT_S, in VACANCY_VIEWS_RECENT places (a new reader takes an old one's).
 */
#ifndef PORTAL_VACANCY_VIEWS_H
#define PORTAL_VACANCY_VIEWS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define VACANCY_VIEWS_SLOTS 4096
#define VACANCY_VIEWS_REPEAT_S 1800      /* seconds in which a reader's readings count once */
#define VACANCY_VIEWS_RECENT 16384       /* readings remembered for that */

/* True when user_agent is missing or names a robot: it contains "bot", "crawl", "spider",
 * "slurp", "preview" (link previews), "curl", "wget" or "python" (in any case). */
bool vacancy_views_is_robot(const char *user_agent);

/* True when `reader` (an account, or an address and browser: any string) read vacancy id's page
 * less than VACANCY_VIEWS_REPEAT_S before now, as far as the readings remembered tell; else
 * remembers this reading at now. Thread-safe. */
bool vacancy_views_repeat(long long id, const char *reader, time_t now);

/* Counts n views of vacancy id (id > 0, n > 0). Thread-safe. Returns false when the view was
 * not counted: VACANCY_VIEWS_SLOTS other vacancies wait for the next flush already. */
bool vacancy_views_add(long long id, long long n);

/* Takes every count kept (forgetting them): ids[i] seen ns[i] times, at most max of them.
 * Returns how many. Thread-safe. For the flush and for tests. */
size_t vacancy_views_take(long long *ids, long long *ns, size_t max);

/* Adds the counts kept to vacancy_views on c (one statement, today's row of each vacancy;
 * vacancies deleted meanwhile are skipped). On a database error the counts are kept for the
 * next flush. Returns the number of vacancies written, or -1 (logged). */
int vacancy_views_flush(PGconn *c);

#endif
