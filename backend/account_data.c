/* account_data.c - what a user may do with all their data (UK GDPR): download it (GET
 * /account/data, any signed-in user) and, for a candidate, delete the account (GET and POST
 * /account/delete).
 *
 * The export is one JSON document built by one statement: the account, the candidate profile,
 * school memberships, every application of theirs (its answers, status history, interviews,
 * their equal-opportunities answers, and the names and sizes of its documents - not their
 * bytes), their sessions (when and from where; never a token), the job alerts of their email
 * address (the search and how often; never a link) and the audit log entries by or
 * about them (of an entry by them about someone or something else, only what was done and
 * when). Never a password hash, a token, a CSRF token, a school's notes, another user's
 * address or what an entry says about someone else.
 *
 * Deletion needs the current password (throttled like a sign-in) and is one transaction:
 * drafts are deleted (application_transition "delete": their history stays), the applications
 * a school still holds are anonymised (the data replaced by the name "Deleted candidate",
 * candidate_id NULL, anonymised_at set, documents and equal-opportunities answers deleted, the
 * candidate's withdrawal reasons cleared; the status and the school's notes kept), the user is
 * told by email, the deletion audited (actor_email kept), the job alerts of the address deleted,
 * and the user row deleted (profile, sessions and tokens with it). Then the browser's session cookie is cleared.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "application_lifecycle.h"
#include "db.h"
#include "handlers.h"
#include "log.h"
#include "mail.h"

#define EXPORT_FILENAME "teaching-in-thurrock-data.json"

/* The export of user $1, as text. */
static const char export_sql[] =
	"SELECT jsonb_pretty(jsonb_build_object("
	" 'exported_at', now(),"
	" 'account', jsonb_build_object('email', u.email, 'name', u.name, 'role', u.role,"
	"  'created_at', u.created_at, 'email_verified', u.verified_at IS NOT NULL,"
	"  'verified_at', u.verified_at, 'emails_turned_off', to_jsonb(u.email_opt_out),"
	"  'emails_turned_on', to_jsonb(u.email_opt_in)),"
	" 'profile', (SELECT jsonb_build_object('data', p.data, 'completed', p.completed,"
	"  'updated_at', p.updated_at) FROM candidate_profiles p WHERE p.user_id = u.id),"
	" 'school_memberships', (SELECT coalesce(jsonb_agg(jsonb_build_object('school_urn',"
	"  m.school_urn, 'school_name', s.name, 'role', m.role, 'since', m.created_at)"
	"  ORDER BY m.school_urn), '[]') FROM school_memberships m JOIN schools s"
	"  ON s.urn = m.school_urn WHERE m.user_id = u.id),"
	" 'applications', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', a.id,"
	"  'vacancy', jsonb_build_object('id', v.id, 'title', v.title, 'school', s.name,"
	"   'closes_at', v.closes_at),"
	"  'status', a.status, 'created_at', a.created_at, 'updated_at', a.updated_at,"
	"  'submitted_at', a.submitted_at, 'status_changed_at', a.status_changed_at,"
	"  'withdrawn_reason', a.withdrawn_reason, 'reminder_sent_at', a.reminder_sent_at,"
	"  'data', a.data, 'completed_sections', a.completed,"
	"  'equal_opportunities', (SELECT to_jsonb(q) - 'application_id'"
	"   FROM application_equal_opps q WHERE q.application_id = a.id),"
	"  'documents', (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', d.kind,"
	"   'filename', d.filename, 'content_type', d.content_type, 'size_bytes', d.size,"
	"   'uploaded_at', d.created_at) ORDER BY d.kind), '[]') FROM application_documents d"
	"   WHERE d.application_id = a.id),"
	"  'interviews', (SELECT coalesce(jsonb_agg(jsonb_build_object('starts_at', i.starts_at,"
	"   'duration_minutes', i.duration_minutes, 'place', i.place, 'panel', i.panel,"
	"   'details', i.details) ORDER BY i.id), '[]') FROM application_interviews i"
	"   WHERE i.application_id = a.id),"
	"  'status_history', (SELECT coalesce(jsonb_agg(jsonb_build_object('at', e.at,"
	"   'from', e.from_status, 'to', e.to_status, 'event', e.event,"
	"   'reason', CASE WHEN e.actor_id = u.id THEN e.reason END) ORDER BY e.at, e.id), '[]')"
	"   FROM status_events e WHERE e.entity = 'application' AND e.entity_id = a.id)"
	"  ) ORDER BY a.created_at, a.id), '[]') FROM applications a"
	"  JOIN vacancies v ON v.id = a.vacancy_id JOIN schools s ON s.urn = v.school_urn"
	"  WHERE a.candidate_id = u.id),"
	" 'sessions', (SELECT coalesce(jsonb_agg(jsonb_build_object('signed_in_at', x.created_at,"
	"  'last_seen_at', x.last_seen_at, 'expires_at', x.expires_at, 'address', x.address,"
	"  'user_agent', x.user_agent) ORDER BY x.created_at), '[]') FROM sessions x"
	"  WHERE x.user_id = u.id),"
	" 'audit_log', (SELECT coalesce(jsonb_agg(jsonb_build_object('at', l.at, 'action',"
	"  l.action, 'by_you', l.actor_id IS NOT DISTINCT FROM u.id, 'about_you', l.about,"
	"  'object_type', l.object_type, 'object_id', CASE WHEN l.about THEN l.object_id END,"
	"  'address', CASE WHEN l.actor_id = u.id THEN l.address END,"
	"  'detail', CASE WHEN l.about THEN l.detail END) ORDER BY l.at, l.id), '[]')"
	"  FROM (SELECT *, coalesce(object_type = 'user' AND object_id = u.id::text, false)"
	"   AS about FROM audit_log WHERE actor_id = u.id OR (object_type = 'user' AND"
	"   object_id = u.id::text)) l),"
	" 'job_alerts', (SELECT coalesce(jsonb_agg(jsonb_build_object('search', j.search,"
	"  'frequency', j.frequency, 'asked_at', j.created_at, 'confirmed_at', j.confirmed_at)"
	"  ORDER BY j.id), '[]') FROM job_alerts j WHERE lower(j.email) = lower(u.email)),"
	" 'saved_jobs', (SELECT coalesce(jsonb_agg(jsonb_build_object('vacancy_id', sv.vacancy_id,"
	"  'title', v.title, 'saved_at', sv.saved_at) ORDER BY sv.saved_at, sv.vacancy_id), '[]')"
	"  FROM saved_vacancies sv JOIN vacancies v ON v.id = sv.vacancy_id"
	"  WHERE sv.user_id = u.id)"
	")) FROM users u WHERE u.id = $1::bigint";

/* GET /account/data: the signed-in user's data as a JSON download; audited ("export"). */
int account_data_export(struct req *r)
{
	char uid[24];
	const char *vals[1] = { uid };
	json_t *detail = NULL;
	PGresult *res = NULL;
	PGconn *c = req_db(r);
	int status = 503;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	snprintf(uid, sizeof uid, "%lld", r->user->id);
	res = PQexecParams(c, export_sql, 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	detail = json_pack("{s:s}", "what", "account_data");
	if (detail == NULL || audit(c, r, "export", NULL, "user", uid, detail) != 0)
		goto out;
	status = 500;
	if (http_add_header(r, "Content-Disposition",
			    "attachment; filename=\"" EXPORT_FILENAME "\"") != 0 ||
	    http_add_header(r, "Cache-Control", "no-store") != 0)
		goto out;
	status = http_send(r, 200, "application/json; charset=utf-8", PQgetvalue(res, 0, 0),
			   (size_t)PQgetlength(res, 0, 0));
out:
	json_decref(detail);
	PQclear(res);
	return r->status != 0 ? status : http_send_error(r, status, NULL);
}

/* ---- account deletion ------------------------------------------------------------------- */

/* Renders the confirmation page with status: what will happen, with the number of drafts that
 * will be deleted and of applications that will be anonymised, and whatever model holds
 * (errors). Returns the status sent. */
static int delete_page(struct req *r, PGconn *c, int status, json_t *model)
{
	char uid[24];
	const char *vals[1] = { uid };
	PGresult *res;

	snprintf(uid, sizeof uid, "%lld", r->user->id);
	res = PQexecParams(c, "SELECT count(*) FILTER (WHERE status = 'draft'), count(*) FILTER "
			      "(WHERE status <> 'draft') FROM applications WHERE candidate_id = $1",
			   1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		PQclear(res);
		return http_send_error(r, 503, NULL);
	}
	if (json_object_set_new(model, "drafts",
				json_integer(strtoll(PQgetvalue(res, 0, 0), NULL, 10))) != 0 ||
	    json_object_set_new(model, "submitted",
				json_integer(strtoll(PQgetvalue(res, 0, 1), NULL, 10))) != 0 ||
	    json_object_set_new(model, "email", json_string(r->user->email)) != 0)
		status = http_send_error(r, 500, NULL);
	else
		status = view_render(r, status, "account/delete", model);
	PQclear(res);
	return status;
}

/* GET /account/delete: the confirmation page (a candidate route: staff accounts are HR's). */
int account_delete_form(struct req *r)
{
	json_t *model;
	PGconn *c;
	int status;

	model = json_object();
	c = req_db(r);
	if (model == NULL || c == NULL)
		status = http_send_error(r, c == NULL ? 503 : 500, NULL);
	else
		status = delete_page(r, c, 200, model);
	json_decref(model);
	return status;
}

/* Checks password, the signed-in user's current one, throttled like a sign-in ("login" keys,
 * as the settings page does). Returns 1 when right, 0 when blank or wrong (the message for
 * field "password" is added to model), or the negative of the status already sent. */
static int delete_check_password(struct req *r, PGconn *c, const char *password, json_t *model)
{
	if (password[0] == '\0')
		return form_error(model, "password", "Enter your password") == 0
			       ? 0 : -http_send_error(r, 500, NULL);
	return account_check_password(r, c, password, "password", "Your password is incorrect",
				      model);
}

/* Deletes each draft of user uid (locked with the rest of their applications) through the
 * lifecycle, in the caller's transaction. Returns the number deleted, or -1 (logged). */
static long long drafts_delete(PGconn *c, const char *uid, long long user_id)
{
	const char *vals[1] = { uid };
	PGresult *res;
	long long n = -1;
	int i, t;

	res = PQexecParams(c, "SELECT id, status = 'draft' FROM applications WHERE candidate_id = "
			      "$1::bigint ORDER BY id FOR UPDATE", 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	n = 0;
	for (i = 0; i < PQntuples(res); i++) {
		if (PQgetvalue(res, i, 1)[0] != 't')
			continue;
		t = application_transition(c, strtoll(PQgetvalue(res, i, 0), NULL, 10), "delete",
					   user_id, NULL, NULL);
		if (t != AT_DONE) {
			log_errorf(__func__, "application %s: delete refused (%d)",
				   PQgetvalue(res, i, 0), t);
			n = -1;
			goto out;
		}
		n++;
	}
out:
	PQclear(res);
	return n;
}

/* Anonymises every application user uid still has (none is a draft any more), in the caller's
 * transaction. Returns the number anonymised, or -1 (logged). */
static long long applications_anonymise(PGconn *c, const char *uid)
{
	const char *vals[1] = { uid };
	PGresult *res;
	long long n = -1;

	res = PQexecParams(c,
			   "WITH anon AS (UPDATE applications SET data = '{\"personal\": "
			   "{\"first_name\": \"Deleted\", \"last_name\": \"candidate\"}}', "
			   "candidate_id = NULL, anonymised_at = now(), withdrawn_reason = NULL "
			   "WHERE candidate_id = $1::bigint RETURNING id), "
			   "docs AS (DELETE FROM application_documents WHERE application_id IN "
			   "(SELECT id FROM anon)), "
			   "eo AS (DELETE FROM application_equal_opps WHERE application_id IN "
			   "(SELECT id FROM anon)), "
			   "reasons AS (UPDATE status_events SET reason = NULL WHERE entity = "
			   "'application' AND entity_id IN (SELECT id FROM anon) AND actor_id = "
			   "$1::bigint) "
			   "SELECT count(*) FROM anon", 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		log_errorf(__func__, "%s", PQerrorMessage(c));
	else
		n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return n;
}

/* Deletes the signed-in user's account as the file comment says, in one transaction. Returns
 * 0, or -1 (logged, rolled back). */
static int account_erase(struct req *r, PGconn *c)
{
	char uid[24];
	const char *vals[1] = { uid };
	long long drafts, anonymised;
	json_t *detail = NULL, *mail = NULL;
	PGresult *res = NULL;
	int rc = -1;

	snprintf(uid, sizeof uid, "%lld", r->user->id);
	if (db_tx(c, "BEGIN") != 0)
		return -1;
	drafts = drafts_delete(c, uid, r->user->id);
	anonymised = drafts < 0 ? -1 : applications_anonymise(c, uid);
	if (anonymised < 0)
		goto out;
	detail = json_pack("{s:I, s:I}", "drafts_deleted", (json_int_t)drafts,
			   "applications_anonymised", (json_int_t)anonymised);
	mail = json_pack("{s:s}", "name", r->user->name);
	if (detail == NULL || mail == NULL ||
	    mail_enqueue(c, r->user->email, "account_deleted", mail) != 0 ||
	    audit(c, r, "account.delete", NULL, "user", uid, detail) != 0)
		goto out;
	res = PQexecParams(c, "WITH alerts AS (DELETE FROM job_alerts WHERE lower(email) = (SELECT "
			      "lower(email) FROM users WHERE id = $1::bigint)) DELETE FROM users WHERE "
			      "id = $1::bigint", 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	rc = db_tx(c, "COMMIT");
out:
	if (rc != 0)
		db_tx(c, "ROLLBACK");
	PQclear(res);
	json_decref(detail);
	json_decref(mail);
	return rc;
}

/* POST /account/delete: with the current password (field "password"), deletes a candidate's
 * account, signs out and shows what was done; a blank or wrong password: the page again, 422.
 * Anyone but a candidate: 404. */
int account_delete(struct req *r)
{
	const char *password = kv_get(&r->form, "password");
	char email[256];
	json_t *model;
	PGconn *c;
	int status, ok;

	model = json_object();
	c = req_db(r);
	if (model == NULL || c == NULL) {
		status = http_send_error(r, c == NULL ? 503 : 500, NULL);
		goto out;
	}
	ok = delete_check_password(r, c, password != NULL ? password : "", model);
	if (ok <= 0) {
		status = ok < 0 ? -ok : delete_page(r, c, 422, model);
		goto out;
	}
	snprintf(email, sizeof email, "%s", r->user->email);
	if (account_erase(r, c) != 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	/* The session went with the user: this forgets the cookie and the request's user. */
	session_end(r, c);
	status = json_object_set_new(model, "email", json_string(email)) == 0
			 ? view_render(r, 200, "account/deleted", model)
			 : http_send_error(r, 500, NULL);
out:
	json_decref(model);
	return status;
}
