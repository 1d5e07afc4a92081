/* ratelimit.c - fixed-window counters in PostgreSQL with growing back-off; see auth.h. */
#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "log.h"

/* The counting and back-off live in the SQL function rate_limit_hit (0002_accounts.sql), one
 * atomic call per hit. */
int ratelimit_hit(PGconn *c, const char *key, int limit, int window_s, int *retry_after)
{
	char lim[16], win[16];
	const char *vals[3] = { key, lim, win };
	PGresult *res;
	int rc = -1;

	snprintf(lim, sizeof lim, "%d", limit);
	snprintf(win, sizeof win, "%d", window_s);
	res = PQexecParams(c, "SELECT rate_limit_hit($1, $2, $3)", 3, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	*retry_after = atoi(PQgetvalue(res, 0, 0));
	rc = *retry_after == 0 ? 1 : 0;
out:
	PQclear(res);
	return rc;
}

int ratelimit_reset(PGconn *c, const char *key)
{
	const char *vals[1] = { key };
	PGresult *res = PQexecParams(c, "DELETE FROM rate_limits WHERE key = $1", 1, NULL, vals,
				     NULL, NULL, 0);
	int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;

	PQclear(res);
	return rc;
}

int ratelimit_refuse(struct req *r, int retry_after)
{
	char secs[16], when[96];
	json_t *model;
	int minutes = (retry_after + 59) / 60, status;

	snprintf(secs, sizeof secs, "%d", retry_after);
	http_add_header(r, "Retry-After", secs);
	if (retry_after < 60)
		snprintf(when, sizeof when, "in %d second%s", retry_after, retry_after == 1 ? "" : "s");
	else
		snprintf(when, sizeof when, "in %d minute%s", minutes, minutes == 1 ? "" : "s");
	if (r->is_api) {
		snprintf(when, sizeof when, "Too many requests: try again in %d second%s.",
			 retry_after, retry_after == 1 ? "" : "s");
		return http_send_problem(r, 429, http_reason(429), when);
	}
	model = json_pack("{s:i, s:s, s:s, s:i}", "status", 429, "title",
			  "Too many attempts", "message", "", "retry_after", retry_after);
	if (model == NULL)
		return http_send(r, 429, NULL, NULL, 0);
	json_object_set_new(model, "message",
			    json_sprintf("You have tried too many times. For your security, try "
					 "again %s.", when));
	status = view_render(r, 429, "errors/error", model);
	json_decref(model);
	return status;
}
