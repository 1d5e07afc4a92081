/* email_preferences.c - the optional emails an account may turn off (see
 * email_preferences.h), and POST /account/emails, which saves the choice. */
#include "email_preferences.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "accounts.h"
#include "buf.h"
#include "db.h"
#include "handlers.h"
#include "log.h"

static const struct email_preference {
	const char *key;
	enum role role;      /* the accounts that get it */
	bool chosen;         /* off until turned on (users.email_opt_in) */
	const char *label;
	const char *hint;
} preferences[] = {
	{ EMAIL_APPLICATION_UPDATES, ROLE_SCHOOL_STAFF, false,
	  "When someone applies for one of your school's jobs, or withdraws their application",
	  NULL },
	{ EMAIL_APPLICATION_SUMMARY, ROLE_SCHOOL_STAFF, true,
	  "Instead of an email for each application, one each morning summing up the day before's "
	  "applications and withdrawals",
	  "Sent at 7am when there is something new. Useful for a school that gets many "
	  "applications." },
	{ EMAIL_LISTING_LIVE, ROLE_SCHOOL_STAFF, false,
	  "When a scheduled job listing goes live", NULL },
	{ EMAIL_LISTING_NO_APPLICATIONS, ROLE_SCHOOL_STAFF, false,
	  "When a job listing has had no applications 3 days before it closes",
	  "So that there is time to extend the closing date." },
	{ EMAIL_LISTING_CLOSED, ROLE_SCHOOL_STAFF, false,
	  "When a job listing closes, with how many people applied", NULL },
	{ EMAIL_SAVED_JOB_CLOSING, ROLE_CANDIDATE, false,
	  "When a job you saved closes in 2 days and you have not applied for it", NULL },
	{ EMAIL_APPLICATION_REMINDER, ROLE_CANDIDATE, false,
	  "When an application you started closes in 2 days and you have not submitted it", NULL },
};

#define NPREFERENCES (sizeof preferences / sizeof preferences[0])

/* The preference of key for role, or NULL. */
static const struct email_preference *preference_find(enum role role, const char *key)
{
	size_t i;

	for (i = 0; i < NPREFERENCES; i++)
		if (preferences[i].role == role && strcmp(preferences[i].key, key) == 0)
			return &preferences[i];
	return NULL;
}

const char *email_preference_label(const char *key, bool *chosen)
{
	size_t i;

	for (i = 0; i < NPREFERENCES; i++)
		if (strcmp(preferences[i].key, key) == 0) {
			*chosen = preferences[i].chosen;
			return preferences[i].label;
		}
	return NULL;
}

/* The keys user id has turned off and those it has turned on (the chosen ones): a new JSON
 * array [[off...], [on...]], or NULL on a database error (logged) or when out of memory. */
static json_t *choices(PGconn *c, long long id)
{
	char uid[24];
	const char *vals[1] = { uid };
	json_t *keys = NULL;
	PGresult *res;

	snprintf(uid, sizeof uid, "%lld", id);
	res = PQexecParams(c, "SELECT json_build_array(email_opt_out, email_opt_in) FROM users "
			      "WHERE id = $1", 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
		log_errorf(__func__, "%s", PQerrorMessage(c));
	else
		keys = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	if (keys != NULL && (!json_is_array(json_array_get(keys, 0)) ||
			     !json_is_array(json_array_get(keys, 1)))) {
		json_decref(keys);
		keys = NULL;
	}
	return keys;
}

/* True when the JSON array keys holds the string key. */
static bool holds(const json_t *keys, const char *key)
{
	size_t i;
	json_t *k;

	json_array_foreach(keys, i, k)
		if (strcmp(json_string_value(k) != NULL ? json_string_value(k) : "", key) == 0)
			return true;
	return false;
}

json_t *email_preferences_model(PGconn *c, const struct user *u)
{
	json_t *keys = choices(c, u->id), *list = keys != NULL ? json_array() : NULL, *item;
	const json_t *off = json_array_get(keys, 0), *on = json_array_get(keys, 1);
	char id[48];
	size_t i, n = 0;

	for (i = 0; list != NULL && i < NPREFERENCES; i++) {
		if (preferences[i].role != u->role)
			continue;
		if (n++ == 0)
			snprintf(id, sizeof id, "emails");
		else
			snprintf(id, sizeof id, "emails-%s", preferences[i].key);
		item = json_pack("{s:s, s:s, s:s?, s:s, s:b}", "value", preferences[i].key, "label",
				 preferences[i].label, "hint", preferences[i].hint, "id", id,
				 "checked",
				 preferences[i].chosen ? holds(on, preferences[i].key)
						       : !holds(off, preferences[i].key));
		if (json_array_append_new(list, item) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	json_decref(keys);
	return list;
}

/* Reads the checked boxes of field "emails" into SQL array literals: the user's keys left
 * unchecked (out) and its chosen keys checked (in). Returns 0, 1 when a value is not one of the
 * user's keys, -1 when out of memory. */
static int opt_out_read(const struct req *r, struct buf *out, struct buf *in)
{
	bool checked[NPREFERENCES] = { false };
	const struct email_preference *p;
	size_t i, n = 0;

	for (i = 0; i < r->form.len; i++) {
		if (strcmp(r->form.items[i].name, "emails") != 0)
			continue;
		p = preference_find(r->user->role, r->form.items[i].value);
		if (p == NULL)
			return 1;
		checked[p - preferences] = true;
	}
	buf_putc(out, '{');
	for (i = 0; i < NPREFERENCES; i++)
		if (preferences[i].role == r->user->role && !preferences[i].chosen && !checked[i])
			buf_printf(out, "%s%s", n++ > 0 ? "," : "", preferences[i].key);
	buf_putc(out, '}');
	buf_putc(in, '{');
	for (n = 0, i = 0; i < NPREFERENCES; i++)
		if (preferences[i].role == r->user->role && preferences[i].chosen && checked[i])
			buf_printf(in, "%s%s", n++ > 0 ? "," : "", preferences[i].key);
	buf_putc(in, '}');
	return buf_failed(out) || buf_failed(in) ? -1 : 0;
}

/* Saves the lists of keys turned off and on (array literals) and audits the change, in one
 * transaction. A daily summary turned on starts from now: the applications before were
 * emailed one by one. Returns 0 or -1 (rolled back, logged). */
static int opt_out_store(struct req *r, PGconn *c, const char *opt_out, const char *opt_in)
{
	char uid[24];
	const char *vals[3] = { uid, opt_out, opt_in };
	json_t *detail = NULL;
	PGresult *res = NULL;
	int rc = -1;

	snprintf(uid, sizeof uid, "%lld", r->user->id);
	if (db_tx(c, "BEGIN") != 0)
		return -1;
	res = PQexecParams(c, "UPDATE users SET email_opt_out = $2::text[], email_opt_in = "
			      "$3::text[], application_summary_until = CASE WHEN '"
			      EMAIL_APPLICATION_SUMMARY "' = ANY ($3::text[]) AND NOT "
			      EMAIL_CHOSEN_SQL("users", EMAIL_APPLICATION_SUMMARY) " THEN now() "
			      "ELSE application_summary_until END WHERE id = $1 RETURNING "
			      "to_json(email_opt_out), to_json(email_opt_in)", 3, NULL, vals, NULL,
			   NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	detail = json_pack("{s:o, s:o}", "turned_off", json_loads(PQgetvalue(res, 0, 0), 0, NULL),
			   "turned_on", json_loads(PQgetvalue(res, 0, 1), 0, NULL));
	if (detail == NULL ||
	    audit(c, r, "email_preferences.change", NULL, "user", uid, detail) != 0 ||
	    db_tx(c, "COMMIT") != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		db_tx(c, "ROLLBACK");
	json_decref(detail);
	PQclear(res);
	return rc;
}

/* POST /account/emails: emails (repeated: the optional emails wanted, the rest are turned
 * off); redirects to /account?done=emails, 422 for a value that is not one of the account's
 * emails (nothing changes). */
int account_emails(struct req *r)
{
	struct buf opt_out = { 0 }, opt_in = { 0 };
	PGconn *c = req_db(r);
	json_t *model = NULL;
	int status, bad;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	bad = opt_out_read(r, &opt_out, &opt_in);
	if (bad < 0) {
		status = http_send_error(r, 500, NULL);
	} else if (bad > 0) {
		model = json_object();
		status = model != NULL && form_error(model, "emails",
						     "Select the emails you want from the list") == 0
				 ? account_settings_render(r, c, 422, model)
				 : http_send_error(r, 500, NULL);
	} else {
		status = opt_out_store(r, c, buf_str(&opt_out), buf_str(&opt_in)) == 0
				 ? http_redirect(r, "/account?done=emails")
				 : http_send_error(r, 503, NULL);
	}
	json_decref(model);
	buf_free(&opt_out);
	buf_free(&opt_in);
	return status;
}
