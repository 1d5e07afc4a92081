/* seed_demo.h - demonstration and benchmark data (`portal seed --demo`, `portal seed
 * --vacancies N`). Both need the schools seeded first (seed_schools). */
#ifndef PORTAL_SEED_DEMO_H
#define PORTAL_SEED_DEMO_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdio.h>

/* Adds demonstration data for local use, in one transaction:
 *  - users, all under the domain SEED_DEMO_DOMAIN: hiring managers of a few schools (one of two
 *    schools of one trust), a viewer, an HR officer and a candidate. Each run gives each of them
 *    a new random password (they are upserted by email, never duplicated) and prints
 *    "email / password  (who)" lines to out: local demo data only;
 *  - about 40 vacancies across the seeded schools with realistic Markdown descriptions, phases
 *    matching their schools, pay, subjects and flags: most live (closing dates ahead), some
 *    drafts, scheduled and closed, one covering several schools of a trust, each with its
 *    history through the lifecycle (vacancy_transition). Added once: when a demo user already
 *    created vacancies, none are added.

 *  - the demo candidate's profile (every section complete; kept once they edit it) and, when
 *    it has none yet, eight applications at every stage to the first live demo vacancy of
 *    Harris Academy Chafford Hundred, from applicant accounts that cannot sign in
 *    (seed_demo_applications).
 * Returns 0, or -1 with a one-line message in err (nothing changed). */
int seed_demo(PGconn *c, FILE *out, char *err, size_t errlen);

/* The demo applications part of seed_demo, in the caller's transaction. Returns 0, or -1 with
 * a one-line message in err. */
int seed_demo_applications(PGconn *c, long long candidate_id, char *err, size_t errlen);

#define SEED_DEMO_DOMAIN "demo.teachinginthurrock.example"

/* Adds n (1 to SEED_VACANCIES_MAX) synthetic live vacancies for benchmarks with one INSERT ...
 * SELECT over generate_series: titles, roles, subjects, phases (the school's), pay, contracts,
 * working patterns, flags and closing dates varied by position, spread over every seeded
 * school, each with its vacancy_schools row; then ANALYZE. They have no history
 * (status_events). Returns 0, or -1 with a one-line message in err (nothing changed). */
int seed_vacancies(PGconn *c, long n, char *err, size_t errlen);

#define SEED_VACANCIES_MAX 10000000L

#endif
