/* ops.c - operations endpoints: liveness, readiness (the database answers) and metrics. */
#include <libpq-fe.h>

#include "app.h"
#include "handlers.h"
#include "log.h"
#include "metrics.h"

int ops_healthz(struct req *r)
{
	static const char ok[] = "ok\n";

	http_add_header(r, "Cache-Control", "no-store");
	return http_send(r, 200, "text/plain; charset=utf-8", ok, sizeof ok - 1);
}

int ops_readyz(struct req *r)
{
	static const char ready[] = "ready\n", down[] = "database unavailable\n";
	PGconn *c = req_db(r);
	PGresult *res = NULL;
	int ok;

	http_add_header(r, "Cache-Control", "no-store");
	if (c != NULL)
		res = PQexecParams(c, "SELECT 1", 0, NULL, NULL, NULL, NULL, 0);
	ok = res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok && c != NULL)
		log_errorf(__func__, "database check failed: %s", PQerrorMessage(c));
	PQclear(res);
	if (!ok) {
		http_add_header(r, "Retry-After", "5");
		return http_send(r, 503, "text/plain; charset=utf-8", down, sizeof down - 1);
	}
	return http_send(r, 200, "text/plain; charset=utf-8", ready, sizeof ready - 1);
}

/* GET /metrics: for this machine or the holder of metrics_token (metrics.h), else 404. */
int ops_metrics(struct req *r)
{
	struct buf out = { 0 };
	int status;

	if (!metrics_allowed(r->address, http_header(r, "Authorization"), app.cfg.metrics_token))
		return http_send_error(r, 404, NULL);
	metrics_render(&out);
	if (buf_failed(&out)) {
		buf_free(&out);
		return http_send_error(r, 500, NULL);
	}
	http_add_header(r, "Cache-Control", "no-store");
	status = http_send(r, 200, "text/plain; version=0.0.4; charset=utf-8", out.data, out.len);
	buf_free(&out);
	return status;
}
