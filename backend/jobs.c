/* jobs.c - the periodic job thread; see jobs.h. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "application_jobs.h"
#include "auth.h"
#include "application_summary.h"
#include "db.h"
#include "job_alerts.h"
#include "jobs.h"
#include "log.h"
#include "saved_jobs.h"
#include "vacancy_lifecycle.h"
#include "vacancy_reminders.h"
#include "vacancy_views.h"

#define JOBS_DB_WAIT_MS 1000     /* how long a round waits for a pooled connection */
#define JOBS_MAX_PER_KIND 1000   /* changes of one kind per round; the rest wait a round */

/* A kind of due vacancy: the query that picks (and locks) the next one, the event that moves
 * it, and the log line. */
static const struct job_kind {
	const char *event;
	const char *due_sql;
	const char *message;
} kinds[] = {
	{ "go_live",
	  "SELECT id FROM vacancies WHERE status = 'scheduled' AND publish_at <= now() "
	  "ORDER BY publish_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
	  "vacancy published on its publish date" },
	{ "close",
	  "SELECT id FROM vacancies WHERE status = 'published' AND closes_at <= now() "
	  "ORDER BY closes_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
	  "vacancy closed at its closing time" },
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool running;
	atomic_bool stopping;
} jobs = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Logs one change made by the job: {"msg": k's message, "vacancy_id": id, "event": ...}. */
static void log_change(const struct job_kind *k, long long id)
{
	const struct log_field f[] = { LOG_NUM("vacancy_id", id), LOG_STR("event", k->event) };

	log_fields(LOG_INFO, k->message, f, sizeof f / sizeof f[0]);
}

/* Moves the next due vacancy of kind arg (a struct job_kind), in the transaction db_each_tx
 * opened. Returns a db_unit: DB_UNIT_NONE when none is due (or all due ones are locked by
 * another instance). */
static int job_unit(PGconn *c, void *arg)
{
	const struct job_kind *k = arg;
	PGresult *res;
	long long id = 0;
	int rc = DB_UNIT_FAILED, tr;

	res = PQexec(c, k->due_sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	if (PQntuples(res) == 0) {
		rc = DB_UNIT_NONE;
		goto out;
	}
	id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	tr = vacancy_transition(c, id, k->event, 0, NULL, NULL);
	if (tr != VT_DONE) {
		log_errorf(__func__, "vacancy %lld: %s refused (%d)", id, k->event, tr);
		goto out;
	}
	log_change(k, id);
	rc = DB_UNIT_DONE;
out:
	PQclear(res);
	return rc;
}

int jobs_run_once(PGconn *c)
{
	bool failed = false;
	int n = 0, done;
	size_t i;

	/* A failure stops its kind for this round only: the other kind still runs. */
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		done = db_each_tx(c, job_unit, (void *)&kinds[i], JOBS_MAX_PER_KIND);
		if (done < 0)
			failed = true;
		else
			n += done;
	}
	return failed ? -1 : n;
}

/* The thread: a round (the vacancies, the applications: reminders, retention and the daily
 * summaries, job alerts, saved jobs' reminders, schools' reminders, the views counted, the
 * expired links that stop emails and kept forms), then a wait of JOBS_INTERVAL_MS that
 * jobs_stop cuts short. */
static void *jobs_main(void *arg)
{
	struct timespec until;
	PGconn *c;

	(void)arg;
	while (!atomic_load(&jobs.stopping)) {
		c = db_acquire(JOBS_DB_WAIT_MS);
		if (c != NULL) {
			jobs_run_once(c);
			application_jobs_run_once(c);
			application_summary_run_once(c);
			job_alerts_run_once(c);
			saved_jobs_remind(c);
			vacancy_reminders_run_once(c);
			vacancy_views_flush(c);
			link_tokens_expire(c);
			db_release(c);
		}
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += JOBS_INTERVAL_MS / 1000;
		until.tv_nsec += (long)(JOBS_INTERVAL_MS % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&jobs.lock);
		while (!atomic_load(&jobs.stopping) &&
		       pthread_cond_timedwait(&jobs.wake, &jobs.lock, &until) == 0)
			;
		pthread_mutex_unlock(&jobs.lock);
	}
	/* The views counted since the last round. */
	c = db_acquire(JOBS_DB_WAIT_MS);
	if (c != NULL) {
		vacancy_views_flush(c);
		db_release(c);
	}
	return NULL;
}

int jobs_start(void)
{
	pthread_condattr_t attr;
	sigset_t all, old;
	int rc;

	if (jobs.running)
		return 0;
	if (pthread_condattr_init(&attr) != 0)
		goto fail;
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	rc = pthread_cond_init(&jobs.wake, &attr);
	pthread_condattr_destroy(&attr);
	if (rc != 0)
		goto fail;
	atomic_store(&jobs.stopping, false);
	/* Every signal blocked in the thread: SIGTERM and SIGINT must reach the server's sigwait. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&jobs.thread, NULL, jobs_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_cond_destroy(&jobs.wake);
		goto fail;
	}
	jobs.running = true;
	log_event(LOG_INFO, "periodic jobs started", NULL);
	return 0;
fail:
	log_errorf(__func__, "cannot start the periodic jobs");
	return -1;
}

void jobs_stop(void)
{
	if (!jobs.running)
		return;
	pthread_mutex_lock(&jobs.lock);
	atomic_store(&jobs.stopping, true);
	pthread_cond_signal(&jobs.wake);
	pthread_mutex_unlock(&jobs.lock);
	pthread_join(jobs.thread, NULL);
	pthread_cond_destroy(&jobs.wake);
	jobs.running = false;
}
