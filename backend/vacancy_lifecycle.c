/* vacancy_lifecycle.c - the vacancy state machine; see vacancy_lifecycle.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "status_events.h"
#include "vacancy_lifecycle.h"
#include "vacancy_mail.h"

/* One allowed change and the statement that makes it: $1 is the vacancy id; extend adds $2 the
 * new closing time, end adds $2 the reason and $3 filled, outcome adds $2 filled. A statement
 * that changes no row means the vacancy's dates do not allow the change (VT_NOT_READY). */
static const struct transition {
	const char *from;
	const char *event;
	const char *to;
	const char *sql;
	int (*then)(PGconn *c, long long id);   /* what else the change does (vacancy_mail.h):
						 * NULL for nothing; < 0 on an error */
} transitions[] = {
	{ "draft", "publish", "published",
	  "UPDATE vacancies SET status = 'published', published_at = now(), publish_at = now() "
	  "WHERE id = $1::bigint AND closes_at > now()", NULL },
	{ "draft", "schedule", "scheduled",
	  "UPDATE vacancies SET status = 'scheduled' WHERE id = $1::bigint AND "
	  "publish_at > now() AND closes_at > publish_at", NULL },
	{ "scheduled", "go_live", "published",
	  "UPDATE vacancies SET status = 'published', published_at = now() "
	  "WHERE id = $1::bigint AND publish_at <= now()", vacancy_live_mail },
	{ "scheduled", "publish", "published",
	  "UPDATE vacancies SET status = 'published', published_at = now(), publish_at = now() "
	  "WHERE id = $1::bigint AND closes_at > now()", NULL },
	{ "scheduled", "unschedule", "draft",
	  "UPDATE vacancies SET status = 'draft' WHERE id = $1::bigint", NULL },
	{ "scheduled", "extend", "scheduled",
	  "UPDATE vacancies SET closes_at = $2::timestamptz WHERE id = $1::bigint AND "
	  "$2::timestamptz > closes_at AND $2::timestamptz > now() AND "
	  "$2::timestamptz > publish_at", NULL },
	{ "published", "extend", "published",
	  "UPDATE vacancies SET closes_at = $2::timestamptz WHERE id = $1::bigint AND "
	  "$2::timestamptz > closes_at AND $2::timestamptz > now()", NULL },
	{ "published", "end", "closed",
	  "UPDATE vacancies SET status = 'closed', closed_at = now(), end_reason = $2, "
	  "filled = $3::boolean WHERE id = $1::bigint", vacancy_ended_mail },
	{ "published", "close", "closed",
	  "UPDATE vacancies SET status = 'closed', closed_at = now() "
	  "WHERE id = $1::bigint AND closes_at <= now()", vacancy_closed_mail },
	{ "closed", "outcome", "closed",
	  "UPDATE vacancies SET filled = $2::boolean WHERE id = $1::bigint", NULL },
	{ "draft", "delete", "deleted", "DELETE FROM vacancies WHERE id = $1::bigint", NULL },
};

#define NTRANSITIONS (sizeof transitions / sizeof transitions[0])

/* True when some row of the table has this event. */
static int event_known(const char *event)
{
	size_t i;

	for (i = 0; i < NTRANSITIONS; i++)
		if (strcmp(transitions[i].event, event) == 0)
			return 1;
	return 0;
}

/* The row for (from, event), or NULL when the change is not allowed. */
static const struct transition *transition_find(const char *from, const char *event)
{
	size_t i;

	for (i = 0; i < NTRANSITIONS; i++)
		if (strcmp(transitions[i].from, from) == 0 &&
		    strcmp(transitions[i].event, event) == 0)
			return &transitions[i];
	return NULL;
}

int vacancy_transition(PGconn *c, long long id, const char *event, long long actor_id,
		       const char *reason, json_t *detail)
{
	char id_s[24];
	const char *vals[3] = { id_s, NULL, NULL };
	const struct transition *t;
	PGresult *lock = NULL, *res = NULL;
	json_t *d = NULL;
	int nvals = 1, rc = -1;

	if (event == NULL || !event_known(event)) {
		log_errorf(__func__, "unknown vacancy event %s", event ? event : "(null)");
		return -1;
	}
	snprintf(id_s, sizeof id_s, "%lld", id);
	lock = PQexecParams(c, "SELECT status, closes_at FROM vacancies WHERE id = $1::bigint "
			       "FOR UPDATE", 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(lock) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	if (PQntuples(lock) == 0) {
		rc = VT_NOT_FOUND;
		goto out;
	}
	t = transition_find(PQgetvalue(lock, 0, 0), event);
	if (t == NULL) {
		rc = VT_NOT_ALLOWED;
		goto out;
	}
	d = detail != NULL ? json_deep_copy(detail) : json_object();
	if (d == NULL)
		goto out;
	if (strcmp(event, "extend") == 0) {
		vals[1] = json_string_value(json_object_get(d, "closes_at"));
		nvals = 2;
		if (vals[1] == NULL || reason == NULL ||
		    json_object_set_new(d, "previous_closes_at",
					PQgetisnull(lock, 0, 1)
						? json_null()
						: json_string(PQgetvalue(lock, 0, 1))) != 0) {
			log_errorf(__func__, "extend needs a closing time and a reason");
			goto out;
		}
	} else if (strcmp(event, "end") == 0) {
		if (!json_is_boolean(json_object_get(d, "filled")) || reason == NULL) {
			log_errorf(__func__, "end needs a reason and filled");
			goto out;
		}
		vals[1] = reason;
		vals[2] = json_is_true(json_object_get(d, "filled")) ? "true" : "false";
		nvals = 3;
	} else if (strcmp(event, "outcome") == 0) {
		if (!json_is_boolean(json_object_get(d, "filled"))) {
			log_errorf(__func__, "outcome needs filled");
			goto out;
		}
		vals[1] = json_is_true(json_object_get(d, "filled")) ? "true" : "false";
		nvals = 2;
	}
	res = PQexecParams(c, t->sql, nvals, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s %s: %s", event, id_s, PQerrorMessage(c));
		goto out;
	}
	if (strcmp(PQcmdTuples(res), "1") != 0) {
		rc = VT_NOT_READY;
		goto out;
	}
	if (status_event_record(c, "vacancy", id, t->from, t->to, event, actor_id, reason, d) != 0 ||
	    (t->then != NULL && t->then(c, id) < 0))
		goto out;
	rc = VT_DONE;
out:
	json_decref(d);
	PQclear(res);
	PQclear(lock);
	return rc;
}

int vacancy_record_created(PGconn *c, long long id, long long actor_id, long long copied_from)
{
	json_t *detail = NULL;
	int rc;

	if (copied_from > 0) {
		detail = json_pack("{s:I}", "copied_from", (json_int_t)copied_from);
		if (detail == NULL) {
			log_errorf(__func__, "vacancy %lld: out of memory", id);
			return -1;
		}
	}
	rc = status_event_record(c, "vacancy", id, NULL, "draft", "create", actor_id, NULL, detail);
	json_decref(detail);
	return rc;
}
