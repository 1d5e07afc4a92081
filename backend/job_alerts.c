/* job_alerts.c - asking for a job alert, confirming and stopping it, and the list of a signed-in
 * user's alerts; see job_alerts.h. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "app.h"
#include "db.h"
#include "fields.h"
#include "handlers.h"
#include "job_alerts.h"
#include "log.h"
#include "mail.h"
#include "multipart.h"
#include "vacancy_search_links.h"
#include "vacancy_view.h"

/* An alert found by its link. */
struct alert {
	long long id;
	char email[FIELD_EMAIL_MAX + 1];
	char search[JOB_ALERT_SEARCH_MAX + 1];
	char frequency[8];
	bool confirmed;
};

int job_alert_token_issue(PGconn *c, long long alert_id, int days, char out[TOKEN_LEN + 1])
{
	char id[24], ttl[16];
	const char *vals[2] = { id, ttl };

	snprintf(id, sizeof id, "%lld", alert_id);
	snprintf(ttl, sizeof ttl, "%d", days);
	return link_token_insert(c, "INSERT INTO job_alert_tokens (token_hash, alert_id, "
				    "expires_at) VALUES ($1, $2, now() + make_interval(days => "
				    "$3::integer))",
				 2, vals, out);
}

/* Reads the search from list l (a query string or the form: sort and page are left out) into
 * vq, and its query string as an alert keeps it (job_alerts.search) into search. Returns 0, or
 * -1 with the sentence for the user in problem. Out of memory: -1 with problem "". */
static int search_read(const struct kvlist *l, const struct vacancy_search_refs *refs,
		       struct vacancy_query *vq, struct buf *search, char *problem, size_t len)
{
	problem[0] = '\0';
	if (vacancy_search_parse(l, refs->subjects, refs->schools, vq, problem, len) != 0)
		return -1;
	vq->sort = VACANCY_SORT_CLOSING;
	vq->sort_given = false;
	vq->page = 1;
	vacancy_search_alert_query(search, vq);
	if (buf_failed(search))
		return -1;
	if (search->len > JOB_ALERT_SEARCH_MAX) {
		snprintf(problem, len, "This search has too many filters for a job alert: choose "
				       "fewer and try again.");
		return -1;
	}
	return 0;
}

/* Adds what every alert page shows of the search vq: filters [{group, label}] (empty: every
 * job), search_url (the search page), search_params (hidden fields). Returns 0 or -1. */
static int search_model(json_t *model, const struct vacancy_query *vq,
			const struct vacancy_search_refs *refs)
{
	struct buf url = { 0 };
	int rc;

	vacancy_search_url(&url, vq, NULL, NULL, 1);
	rc = buf_failed(&url) ||
	     json_object_set_new(model, "filters", vacancy_search_active_filters(
						       vq, refs->subjects, refs->schools)) != 0 ||
	     json_object_set_new(model, "search_params", vacancy_search_params(vq)) != 0 ||
	     json_object_set_new(model, "search_url", json_string(buf_str(&url))) != 0
		     ? -1
		     : 0;
	buf_free(&url);
	return rc;
}

/* The form's frequency: "daily" or "weekly", else NULL. */
static const char *frequency_param(const struct req *r)
{
	const char *f = kv_get(&r->form, "frequency");

	return f != NULL && (strcmp(f, "daily") == 0 || strcmp(f, "weekly") == 0) ? f : NULL;
}

/* Adds how an alert's pages say its frequency (a stored 'daily' or 'weekly'): frequency
 * ("Daily"), every ("every day") and switch_to, the other one ("weekly"). Returns 0, or -1 when
 * out of memory. */
static int frequency_labels(json_t *model, const char *frequency)
{
	bool daily = strcmp(frequency, "daily") == 0;

	return json_object_set_new(model, "frequency", json_string(daily ? "Daily" : "Weekly")) ||
			       json_object_set_new(model, "every",
						   json_string(daily ? "every day" : "every week")) ||
			       json_object_set_new(model, "switch_to",
						   json_string(daily ? "weekly" : "daily"))
		       ? -1
		       : 0;
}

/* Sets the form's frequency radios: frequencies [{value, label, checked}]. */
static int frequency_model(json_t *model, const char *chosen)
{
	return json_object_set_new(
		model, "frequencies",
		json_pack("[{s:s, s:s, s:s, s:b}, {s:s, s:s, s:s, s:b}]", "value", "daily", "label",
			  "Daily", "hint", "Once a day, when there are new jobs", "checked",
			  strcmp(chosen, "daily") == 0, "value", "weekly", "label", "Weekly",
			  "hint", "Once a week, when there are new jobs", "checked",
			  strcmp(chosen, "weekly") == 0));
}

/* GET /job-alerts/new?<search>: the form that asks for an alert of the search. */
int job_alert_new(struct req *r)
{
	struct vacancy_search_refs refs = { 0 };
	struct vacancy_query vq;
	struct buf search = { 0 };
	char problem[512];
	json_t *model = NULL;
	PGconn *c = req_db(r);
	int status;

	if (c == NULL || vacancy_search_refs_get(r, c, &refs) != 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if (search_read(&r->query, &refs, &vq, &search, problem, sizeof problem) != 0) {
		status = http_send_error(r, problem[0] != '\0' ? 400 : 500,
					 problem[0] != '\0' ? problem : NULL);
		goto out;
	}
	model = json_pack("{s:{s:s}}", "form", "email", r->user != NULL ? r->user->email : "");
	if (model == NULL || search_model(model, &vq, &refs) != 0 ||
	    frequency_model(model, "daily") != 0) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	status = view_render(r, 200, "alerts/new", model);
out:
	json_decref(model);
	buf_free(&search);
	vacancy_search_refs_put(&refs);
	return status;
}

/* Stores a new unconfirmed alert and emails its confirmation link, in one transaction, unless
 * the address has JOB_ALERTS_PER_EMAIL alerts already or a confirmed alert of the same search
 * and frequency (then nothing is stored or sent), or an unconfirmed one (then its confirmation
 * is sent again): the page says the same either way, so it tells nobody which addresses have
 * alerts. model: the page's
 * (filters for the email). Returns 0, or -1 (rolled back). */
static int alert_store(PGconn *c, const char *email, const char *search, const char *frequency,
		       json_t *model)
{
	const char *vals[3] = { email, search, frequency };
	char token[TOKEN_LEN + 1], link[128], limit[16];
	const char *cvals[4] = { email, limit, search, frequency };
	PGresult *res = NULL;
	json_t *mail = NULL;
	long long id;
	int rc = -1;

	snprintf(limit, sizeof limit, "%d", JOB_ALERTS_PER_EMAIL);
	if (db_tx(c, "BEGIN") != 0)
		return -1;
	/* Serialises alerts of one address, so that the limit holds under concurrent requests;
	 * reads the address's alert of the same search and frequency, if any, and whether it is
	 * confirmed. */
	res = PQexecParams(c, "SELECT pg_advisory_xact_lock(hashtext('job_alert:' || lower($1))), "
			      "(SELECT count(*) FROM job_alerts WHERE lower(email) = lower($1)) >= "
			      "$2::integer, coalesce(s.id, 0), s.confirmed_at IS NOT NULL FROM "
			      "(SELECT 1) one LEFT JOIN LATERAL (SELECT id, confirmed_at FROM "
			      "job_alerts WHERE lower(email) = lower($1) AND search = $3 AND "
			      "frequency = $4 ORDER BY id LIMIT 1) s ON true",
			   4, NULL, cvals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	id = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
	/* The same search and frequency again: no second alert (its emails would come twice). A
	 * confirmed one is left as it is; an unconfirmed one gets a new confirmation email. (The
	 * same search at the other frequency is a new alert that replaces the old one when it is
	 * confirmed.) */
	if ((id == 0 && strcmp(PQgetvalue(res, 0, 1), "t") == 0) ||
	    (id > 0 && strcmp(PQgetvalue(res, 0, 3), "t") == 0)) {
		log_event(LOG_INFO, id > 0 ? "job alert not added: the address has it already"
					   : "job alert not added: its address has the most alerts "
					     "allowed", (const char *)NULL);
		rc = db_tx(c, "COMMIT");
		goto out;
	}
	PQclear(res);
	res = NULL;
	if (id == 0) {
		res = PQexecParams(c, "INSERT INTO job_alerts (email, search, frequency) VALUES "
				      "($1, $2, $3) RETURNING id", 3, NULL, vals, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			log_errorf(__func__, "%s", PQerrorMessage(c));
			goto out;
		}
		id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	}
	if (job_alert_token_issue(c, id, JOB_ALERT_CONFIRM_DAYS, token) != 0)
		goto out;
	snprintf(link, sizeof link, "/job-alerts/manage?token=%s", token);
	mail = json_pack("{s:s, s:O}", "link", link, "filters", json_object_get(model, "filters"));
	if (mail == NULL || frequency_labels(mail, frequency) != 0 ||
	    mail_enqueue(c, email, "job_alert_confirm", mail) != 0)
		goto out;
	rc = db_tx(c, "COMMIT");
out:
	if (rc != 0)
		db_tx(c, "ROLLBACK");
	OPENSSL_cleanse(token, sizeof token);
	OPENSSL_cleanse(link, sizeof link);
	json_decref(mail);
	PQclear(res);
	return rc;
}

/* POST /job-alerts: email, frequency and the search's fields. Throttled (20 an hour per
 * address, 5 per email). Shows "check your email" when the confirmation was sent. */
int job_alert_create(struct req *r)
{
	struct vacancy_search_refs refs = { 0 };
	struct vacancy_query vq;
	struct buf search = { 0 };
	char email[FIELD_EMAIL_MAX + 1], problem[512];
	const char *typed = kv_get(&r->form, "email"), *frequency = frequency_param(r);
	const char *msg;
	json_t *model = NULL;
	PGconn *c = req_db(r);
	int status;

	if (c == NULL || vacancy_search_refs_get(r, c, &refs) != 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if (search_read(&r->form, &refs, &vq, &search, problem, sizeof problem) != 0) {
		status = http_send_error(r, problem[0] != '\0' ? 400 : 500,
					 problem[0] != '\0' ? problem : NULL);
		goto out;
	}
	model = json_pack("{s:{s:s}}", "form", "email", typed != NULL ? typed : "");
	if (model == NULL || search_model(model, &vq, &refs) != 0 ||
	    frequency_model(model, frequency != NULL ? frequency : "") != 0) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	msg = form_email(r, "email", email, "Enter your email address");
	if ((msg != NULL && form_error(model, "email", msg) != 0) ||
	    (frequency == NULL &&
	     form_error(model, "frequency-daily", "Select how often you want the emails") != 0)) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	if (form_has_errors(model)) {
		status = view_render(r, 422, "alerts/new", model);
		goto out;
	}
	status = account_throttle(r, c, "job_alert", email, 20, 5, 3600);
	if (status != 0)
		goto out;
	if (alert_store(c, email, buf_str(&search), frequency, model) != 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	status = json_object_set_new(model, "email", json_string(email)) == 0
			 ? view_render(r, 200, "alerts/sent", model)
			 : http_send_error(r, 500, NULL);
out:
	json_decref(model);
	buf_free(&search);
	vacancy_search_refs_put(&refs);
	return status;
}

/* Finds the alert of a link token (unexpired). Returns 1 when found (into a), 0 when the token
 * is unknown or expired, -1 on a database error (logged). */
static int alert_by_token(PGconn *c, const char *token, struct alert *a)
{
	PGresult *res;
	int rc = link_token_find(c, "SELECT a.id, a.email, a.search, a.frequency, "
				    "a.confirmed_at IS NOT NULL FROM job_alert_tokens t JOIN "
				    "job_alerts a ON a.id = t.alert_id WHERE t.token_hash = $1 AND "
				    "t.expires_at > now()",
				 token, &res);

	if (rc == 1) {
		a->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		snprintf(a->email, sizeof a->email, "%s", PQgetvalue(res, 0, 1));
		snprintf(a->search, sizeof a->search, "%s", PQgetvalue(res, 0, 2));
		snprintf(a->frequency, sizeof a->frequency, "%s", PQgetvalue(res, 0, 3));
		a->confirmed = strcmp(PQgetvalue(res, 0, 4), "t") == 0;
	}
	PQclear(res);
	return rc;
}

/* The page for a link that is not (or no longer) valid: 404. */
static int link_invalid(struct req *r)
{
	return http_send_error(r, 404, "This job alert link has expired or is not valid. You can "
				       "ask for a new alert from any search on the Find a job page.");
}

/* Finds the alert of a link token for r. Returns 0 with *a and *c set, or the status sent: 503,
 * or 404 for a link that is not (or no longer) valid. */
static int alert_find(struct req *r, const char *token, struct alert *a, PGconn **c)
{
	int found;

	*c = req_db(r);
	if (*c == NULL)
		return http_send_error(r, 503, NULL);
	found = alert_by_token(*c, token, a);
	if (found < 0)
		return http_send_error(r, 503, NULL);
	return found == 0 ? link_invalid(r) : 0;
}

/* Adds to model what alerts/search shows of the search an alert keeps (its query string q):
 * as search_model, with search_gone when it names a school or subject no longer listed (it then
 * finds nothing). Returns 0, or -1 when out of memory. */
static int search_describe(json_t *model, const char *q, const struct vacancy_search_refs *refs)
{
	struct vacancy_query vq;
	struct kvlist l = { 0 };
	struct buf search = { 0 };
	char problem[512];
	int rc = -1;

	if (form_parse(q, strlen(q), &l) != 0)
		goto out;
	if (search_read(&l, refs, &vq, &search, problem, sizeof problem) != 0) {
		if (problem[0] == '\0' ||
		    json_object_set_new(model, "search_gone", json_true()) != 0)
			goto out;
		memset(&vq, 0, sizeof vq);
		vq.page = 1;
	}
	rc = search_model(model, &vq, refs);
out:
	kv_free(&l);
	buf_free(&search);
	return rc;
}

/* Renders alerts/<name> for alert a (found by token): the search's filters and link, the
 * address, how often (frequency_labels), whether confirmed, whether its frequency was just
 * changed, and the token for the page's forms. Pages holding a link token
 * are neither kept by caches nor indexed. Returns the status sent. */
static int alert_page(struct req *r, PGconn *c, const struct alert *a, const char *token,
		      const char *name, bool changed)
{
	struct vacancy_search_refs refs = { 0 };
	json_t *model = NULL;
	int status;

	if (http_add_header(r, "Cache-Control", "no-store") != 0 ||
	    http_add_header(r, "X-Robots-Tag", "noindex") != 0) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	if (vacancy_search_refs_get(r, c, &refs) != 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	model = json_pack("{s:s, s:b, s:b, s:s}", "email", a->email, "confirmed", a->confirmed,
			  "changed", changed, "token", token != NULL ? token : "");
	if (model == NULL || frequency_labels(model, a->frequency) != 0 ||
	    search_describe(model, a->search, &refs) != 0) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	status = view_render(r, 200, name, model);
out:
	json_decref(model);
	vacancy_search_refs_put(&refs);
	return status;
}

/* GET /job-alerts/manage?token=T: the alert, with a button to confirm it (not yet confirmed)
 * or to stop it. */
int job_alert_manage(struct req *r)
{
	const char *token = kv_get(&r->query, "token");
	struct alert a;
	PGconn *c;
	int status = alert_find(r, token, &a, &c);

	if (status != 0)
		return status;
	return alert_page(r, c, &a, token, "alerts/manage", false);
}

/* Runs sql with the alert's id as $1 in the caller's transaction. Returns 0 or -1 (logged). */
static int alert_exec(PGconn *c, const char *sql, long long id)
{
	char sid[24];
	const char *vals[1] = { sid };
	PGresult *res;
	int rc = 0;

	snprintf(sid, sizeof sid, "%lld", id);
	res = PQexecParams(c, sql, 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		rc = -1;
	}
	PQclear(res);
	return rc;
}

/* POST /job-alerts/confirm (token): starts the alert; an older alert of the same address and
 * search is replaced by it. Looking for jobs starts now. */
int job_alert_confirm(struct req *r)
{
	const char *token = kv_get(&r->form, "token");
	struct alert a;
	PGconn *c;
	int status = alert_find(r, token, &a, &c);

	if (status != 0)
		return status;
	if (!a.confirmed &&
	    (db_tx(c, "BEGIN") != 0 ||
	     alert_exec(c, "UPDATE job_alerts SET confirmed_at = now(), matched_until = now(), "
			   "next_run_at = now() + " JOB_ALERT_PERIOD_SQL("frequency") " WHERE id = $1 "
			   "AND confirmed_at IS NULL",
			a.id) != 0 ||
	     alert_exec(c, "DELETE FROM job_alerts o USING job_alerts n WHERE n.id = $1 AND "
			   "o.id <> n.id AND lower(o.email) = lower(n.email) AND o.search = "
			   "n.search AND o.confirmed_at IS NOT NULL", a.id) != 0 ||
	     db_tx(c, "COMMIT") != 0)) {
		db_tx(c, "ROLLBACK");
		return http_send_error(r, 503, NULL);
	}
	a.confirmed = true;
	return alert_page(r, c, &a, NULL, "alerts/confirmed", false);
}

/* POST /job-alerts/unsubscribe (token): deletes the alert and its links. */
int job_alert_unsubscribe(struct req *r)
{
	const char *token = kv_get(&r->form, "token");
	struct alert a;
	PGconn *c;
	int status = alert_find(r, token, &a, &c);

	if (status != 0)
		return status;
	if (alert_exec(c, "DELETE FROM job_alerts WHERE id = $1", a.id) != 0)
		return http_send_error(r, 503, NULL);
	return alert_page(r, c, &a, NULL, "alerts/stopped", false);
}

/* SQL: alert j is one of user $1's - an alert of the address the account has confirmed - or,
 * with $1 NULL, anyone's (for whoever holds a link of it). */
#define ALERT_OF_USER_SQL                                                                      \
	"($1::bigint IS NULL OR EXISTS (SELECT 1 FROM users u WHERE u.id = $1::bigint AND "    \
	"u.verified_at IS NOT NULL AND lower(u.email) = lower(j.email)))"

/* Sets alert $2's frequency to $3 ('daily' or 'weekly'), when ALERT_OF_USER_SQL. A confirmed
 * alert is next due a day or a week after it last looked, so no job is skipped or sent twice:
 * changed from weekly to daily after three days, it is due at once with those three days'
 * jobs. */
static const char frequency_sql[] =
	"UPDATE job_alerts j SET frequency = $3, next_run_at = j.matched_until + "
	JOB_ALERT_PERIOD_SQL("$3") " WHERE j.id = $2::bigint AND " ALERT_OF_USER_SQL;

/* Deletes alert $2 (and its links), when ALERT_OF_USER_SQL. */
static const char stop_sql[] =
	"DELETE FROM job_alerts j WHERE j.id = $2::bigint AND " ALERT_OF_USER_SQL;

/* Runs sql - frequency_sql or stop_sql - on alert id for user_id (0: whoever holds its link),
 * with value as $3 unless it is NULL. Returns the number of alerts changed (0 or 1), or -1
 * (logged). */
static int alert_change(PGconn *c, const char *sql, long long user_id, long long id,
			const char *value)
{
	char uid[24], aid[24];
	const char *vals[3] = { user_id != 0 ? uid : NULL, aid, value };
	PGresult *res;
	int n = -1;

	snprintf(uid, sizeof uid, "%lld", user_id);
	snprintf(aid, sizeof aid, "%lld", id);
	res = PQexecParams(c, sql, value != NULL ? 3 : 2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_COMMAND_OK)
		n = atoi(PQcmdTuples(res));
	else
		log_errorf(__func__, "%s", PQerrorMessage(c));
	PQclear(res);
	return n;
}

/* The answer to a frequency that is neither daily nor weekly (only a changed form sends one). */
static int frequency_refused(struct req *r)
{
	return http_send_error(r, 400, "Choose how often to get the job alert: daily or weekly.");
}

/* POST /job-alerts/frequency (token, frequency): the alert's emails daily or weekly from now
 * on; its page again, saying so. */
int job_alert_frequency(struct req *r)
{
	const char *token = kv_get(&r->form, "token"), *frequency = frequency_param(r);
	struct alert a;
	PGconn *c;
	int status, n;

	if (frequency == NULL)
		return frequency_refused(r);
	status = alert_find(r, token, &a, &c);
	if (status != 0)
		return status;
	n = alert_change(c, frequency_sql, 0, a.id, frequency);
	if (n <= 0)
		return n < 0 ? http_send_error(r, 503, NULL) : link_invalid(r);
	snprintf(a.frequency, sizeof a.frequency, "%s", frequency);
	return alert_page(r, c, &a, token, "alerts/manage", true);
}

int job_alert_one_click(struct req *r)
{
	static const char done[] = "Your job alert is stopped. You will get no more emails from it.\n";
	struct alert a;
	PGconn *c;
	int status;

	if (!form_one_click_unsubscribe(r))
		return http_send_error(r, 400, "This address stops a job alert when a mail program "
					       "sends List-Unsubscribe=One-Click. To stop it yourself, "
					       "open the link in the email.");
	status = alert_find(r, kv_get(&r->query, "token"), &a, &c);
	if (status != 0)
		return status;
	if (alert_exec(c, "DELETE FROM job_alerts WHERE id = $1", a.id) != 0)
		return http_send_error(r, 503, NULL);
	log_event(LOG_INFO, "job alert stopped by one-click unsubscribe", NULL);
	return http_send(r, 200, "text/plain; charset=utf-8", done, sizeof done - 1);
}

/* The alerts of a signed-in user ($1), as the account's page lists them: only those of the
 * address the account has confirmed, since alerts belong to an address, not an account. */
static const char account_alerts_sql[] =
	"SELECT j.id, j.search, j.frequency, j.confirmed_at IS NOT NULL FROM job_alerts j WHERE "
	"$1::bigint IS NOT NULL AND " ALERT_OF_USER_SQL " ORDER BY j.created_at, j.id LIMIT 100";

/* Adds row i of account_alerts_sql's result to list: {id, number (i + 1), confirmed}, its
 * frequency_labels and what alerts/search shows of its search (search_gone when it names a
 * school or subject no longer listed). Returns 0, or -1 when out of memory. */
static int account_alert_add(json_t *list, const PGresult *res, int i,
			     const struct vacancy_search_refs *refs)
{
	json_t *item;
	int rc;

	item = json_pack("{s:s, s:i, s:b}", "id", PQgetvalue(res, i, 0), "number", i + 1,
			 "confirmed", strcmp(PQgetvalue(res, i, 3), "t") == 0);
	rc = item == NULL || frequency_labels(item, PQgetvalue(res, i, 2)) != 0 ||
			     search_describe(item, PQgetvalue(res, i, 1), refs) != 0 ||
			     json_array_append(list, item) != 0
		     ? -1
		     : 0;
	json_decref(item);
	return rc;
}

/* GET /account/job-alerts: the signed-in user's job alerts, each with a button to stop it. */
int job_alerts_account(struct req *r)
{
	struct vacancy_search_refs refs = { 0 };
	char uid[24];
	const char *vals[1] = { uid };
	json_t *model = NULL, *list = NULL;
	PGresult *res = NULL;
	PGconn *c = req_db(r);
	int i, status = 503;

	if (c == NULL || vacancy_search_refs_get(r, c, &refs) != 0)
		goto out;
	snprintf(uid, sizeof uid, "%lld", r->user->id);
	res = PQexecParams(c, account_alerts_sql, 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	status = 500;
	list = json_array();
	for (i = 0; list != NULL && i < PQntuples(res); i++)
		if (account_alert_add(list, res, i, &refs) != 0)
			goto out;
	model = json_pack("{s:O, s:b, s:b}", "alerts", list, "stopped",
			  kv_get(&r->query, "stopped") != NULL, "changed",
			  kv_get(&r->query, "changed") != NULL);
	if (model != NULL)
		status = view_render(r, 200, "alerts/account", model);
out:
	json_decref(list);
	json_decref(model);
	PQclear(res);
	vacancy_search_refs_put(&refs);
	return r->status != 0 ? status : http_send_error(r, status, NULL);
}

/* Runs sql (alert_change) with value on the alert of the {id} segment for the signed-in user,
 * then back to the list at `done`; someone else's alert, or a malformed id, is 404. */
static int account_alert_change(struct req *r, const char *sql, const char *value,
				const char *done)
{
	long long id = http_id_parse(r->params[0]);
	PGconn *c;
	int n;

	if (id == 0)
		return http_send_error(r, 404, NULL);
	c = req_db(r);
	if (c == NULL)
		return http_send_error(r, 503, NULL);
	n = alert_change(c, sql, r->user->id, id, value);
	if (n < 0)
		return http_send_error(r, 503, NULL);
	return n == 0 ? http_send_error(r, 404, NULL) : http_redirect(r, done);
}

/* POST /account/job-alerts/{id}/stop: deletes one alert of the signed-in user's confirmed
 * address (404 for anyone else's), then back to the list. */
int job_alert_stop(struct req *r)
{
	return account_alert_change(r, stop_sql, NULL, "/account/job-alerts?stopped=1");
}

/* POST /account/job-alerts/{id}/frequency (frequency): as job_alert_frequency for one alert of
 * the signed-in user's confirmed address (404 for anyone else's), then back to the list. */
int job_alert_account_frequency(struct req *r)
{
	const char *frequency = frequency_param(r);

	if (http_id_parse(r->params[0]) == 0)
		return http_send_error(r, 404, NULL);
	if (frequency == NULL)
		return frequency_refused(r);
	return account_alert_change(r, frequency_sql, frequency, "/account/job-alerts?changed=1");
}
