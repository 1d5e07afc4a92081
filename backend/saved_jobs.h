/* saved_jobs.h - a candidate's saved jobs (saved_jobs.c; handlers in handlers.h). */
#ifndef PORTAL_SAVED_JOBS_H
#define PORTAL_SAVED_JOBS_H

#include <libpq-fe.h>
#include <stdbool.h>

/* The most jobs one candidate's list holds. */
#define SAVED_JOBS_MAX 200

/* Sets *saved to whether user_id has saved vacancy_id. Returns 0, or -1 (logged). */
int saved_job_state(PGconn *c, long long user_id, long long vacancy_id, bool *saved);

#endif
