/* application_lifecycle.c - the application state machine; see application_lifecycle.h.
 *
 * One table says which event moves which status where, who may cause it and what it emails;
 * application_transition() reads it and does the rest the same way for every row: lock, check,
 * update, status_events, emails. The interview event also writes application_interviews (one
 * row per application: rearranging updates it, keeping its iCalendar UID and raising its
 * SEQUENCE) and attaches the invitation as invite.ics.
 *
 * Emails carry names, the job, the school, dates, the interview's arrangements and the
 * school's or candidate's message - never the statement, declarations or equal-opportunities
 * answers.
 */
#include "application_lifecycle.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applications.h"
#include "auth.h"
#include "buf.h"
#include "db.h"
#include "db_prepared.h"
#include "email_preferences.h"
#include "ics.h"
#include "log.h"
#include "mail.h"
#include "status_events.h"

/* Who may cause an event: the application's candidate, or the school's hiring managers (whom
 * the handlers check with application_for_school). */
enum who {
	BY_CANDIDATE,
	BY_SCHOOL,
};

/* What a change emails. */
enum at_mail {
	AT_MAIL_NONE,
	AT_MAIL_SUBMITTED,   /* candidate: application_submitted; managers: application_received */
	AT_MAIL_STATUS,      /* candidate: application_status */
	AT_MAIL_INTERVIEW,   /* candidate: application_interview + invite.ics */
	AT_MAIL_WITHDRAWN,   /* managers: application_withdrawn */
};

static const struct transition {
	const char *from;
	const char *event;
	const char *to;      /* "deleted": the row is deleted */
	enum who who;
	enum at_mail mail;
} transitions[] = {
	{ "draft", "submit", "submitted", BY_CANDIDATE, AT_MAIL_SUBMITTED },
	{ "draft", "delete", "deleted", BY_CANDIDATE, AT_MAIL_NONE },
	{ "submitted", "shortlist", "shortlisted", BY_SCHOOL, AT_MAIL_STATUS },
	{ "shortlisted", "interview", "interviewing", BY_SCHOOL, AT_MAIL_INTERVIEW },
	{ "interviewing", "interview", "interviewing", BY_SCHOOL, AT_MAIL_INTERVIEW },
	{ "interviewing", "offer", "offered", BY_SCHOOL, AT_MAIL_STATUS },
	{ "offered", "accept", "accepted", BY_SCHOOL, AT_MAIL_STATUS },
	{ "offered", "decline", "declined", BY_SCHOOL, AT_MAIL_STATUS },
	{ "submitted", "reject", "unsuccessful", BY_SCHOOL, AT_MAIL_STATUS },
	{ "shortlisted", "reject", "unsuccessful", BY_SCHOOL, AT_MAIL_STATUS },
	{ "interviewing", "reject", "unsuccessful", BY_SCHOOL, AT_MAIL_STATUS },
	{ "offered", "reject", "unsuccessful", BY_SCHOOL, AT_MAIL_STATUS },
	{ "submitted", "withdraw", "withdrawn", BY_CANDIDATE, AT_MAIL_WITHDRAWN },
	{ "shortlisted", "withdraw", "withdrawn", BY_CANDIDATE, AT_MAIL_WITHDRAWN },
	{ "interviewing", "withdraw", "withdrawn", BY_CANDIDATE, AT_MAIL_WITHDRAWN },
	{ "offered", "withdraw", "withdrawn", BY_CANDIDATE, AT_MAIL_WITHDRAWN },
};

#define NTRANSITIONS (sizeof transitions / sizeof transitions[0])

/* The statements of a change run on every submission and status change: prepared once per
 * connection (db_prepared.h). */

/* Locks the application (and, against a concurrent close, shares the vacancy's row) and reads
 * what a change needs, with the school's hiring managers who can sign in and want an email for
 * each application (not those who chose the daily summary instead: HIRING_MANAGERS_WHERE_SQL,
 * in the same round trip). $1 the id. */
static const struct db_stmt lock_stmt = {
	"application_lock",
	"SELECT a.status, (v.status = 'published' AND v.closes_at > now()), "
	"coalesce(a.candidate_id, 0), coalesce(u.email, ''), "
	"coalesce(a.data #>> '{personal,first_name}', ''), "
	"coalesce(a.data #>> '{personal,last_name}', ''), v.title, s.name, "
	"coalesce(u.name, ''), "
	HIRING_MANAGERS_WHERE_SQL(
		"v.school_urn", EMAIL_WANTED_SQL("hu", EMAIL_APPLICATION_UPDATES)
		" AND NOT " EMAIL_CHOSEN_SQL("hu", EMAIL_APPLICATION_SUMMARY)) " "
	"FROM applications a JOIN vacancies v ON v.id = a.vacancy_id "
	"JOIN schools s ON s.urn = v.school_urn LEFT JOIN users u ON u.id = a.candidate_id "
	"WHERE a.id = $1::bigint FOR UPDATE OF a FOR SHARE OF v",
	1,
};

enum {
	L_STATUS, L_OPEN, L_CANDIDATE, L_ACCOUNT_EMAIL, L_FIRST, L_LAST,
	L_TITLE, L_SCHOOL, L_ACCOUNT_NAME, L_MANAGERS,
};

/* Every change but delete: $1 id, $2 the new status, $3 the reason (kept for withdraw). */
static const struct db_stmt update_stmt = {
	"application_update",
	"UPDATE applications SET status = $2, "
	"status_changed_at = CASE WHEN status = $2 THEN status_changed_at ELSE now() END, "
	"submitted_at = CASE WHEN $2 = 'submitted' THEN now() ELSE submitted_at END, "
	"withdrawn_reason = CASE WHEN $2 = 'withdrawn' THEN $3 ELSE withdrawn_reason END "
	"WHERE id = $1::bigint",
	3,
};

static const struct db_stmt delete_stmt = {
	"application_delete",
	"DELETE FROM applications WHERE id = $1::bigint",
	1,
};

/* The interview: updates the application's arrangement (SEQUENCE + 1, same UID) or inserts
 * the first one (a random UID). $1 id, $2 starts_at, $3 duration_minutes, $4 place, $5 panel,
 * $6 details, $7 actor. Returns uid, sequence, start and end (Unix time), now (Unix time),
 * and the start's day, start and end times as Europe/London labels. */
static const struct db_stmt interview_stmt = {
	"application_interview",
	"WITH prev AS (SELECT id FROM application_interviews WHERE application_id = $1::bigint "
	"ORDER BY id DESC LIMIT 1), "
	"upd AS (UPDATE application_interviews i SET starts_at = $2::timestamptz, "
	"duration_minutes = $3::integer, place = $4, panel = $5, details = $6, "
	"sequence = i.sequence + 1 FROM prev WHERE i.id = prev.id "
	"RETURNING i.uid, i.sequence, i.starts_at, i.duration_minutes), "
	"ins AS (INSERT INTO application_interviews (application_id, starts_at, duration_minutes, "
	"place, panel, details, uid, created_by) SELECT $1::bigint, $2::timestamptz, "
	"$3::integer, $4, $5, $6, gen_random_uuid()::text, NULLIF($7::bigint, 0) "
	"WHERE NOT EXISTS (SELECT 1 FROM prev) "
	"RETURNING uid, sequence, starts_at, duration_minutes), "
	"x AS (SELECT * FROM upd UNION ALL SELECT * FROM ins) "
	"SELECT uid, sequence, extract(epoch FROM starts_at)::bigint, "
	"extract(epoch FROM starts_at + duration_minutes * interval '1 minute')::bigint, "
	"extract(epoch FROM now())::bigint, "
	"to_char(starts_at AT TIME ZONE 'Europe/London', 'FMDay FMDD FMMonth YYYY'), "
	SQL_TIME("starts_at") ", "
	SQL_TIME("starts_at + duration_minutes * interval '1 minute'") " FROM x",
	7,
};

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

/* Some row of the table for event, or NULL when the event is unknown. */
static const struct transition *event_find(const char *event)
{
	size_t i;

	for (i = 0; i < NTRANSITIONS; i++)
		if (strcmp(transitions[i].event, event) == 0)
			return &transitions[i];
	return NULL;
}

bool application_event_allowed(const char *from, const char *event)
{
	return from != NULL && event != NULL && transition_find(from, event) != NULL;
}

/* Runs statement s with text parameters, expecting `want`; returns the result (caller
 * PQclear()s) or NULL after logging. */
static PGresult *run(PGconn *c, const struct db_stmt *s, const char *const *vals,
		     ExecStatusType want)
{
	PGresult *res = db_prepared_exec(c, s, vals, NULL, NULL, 0);

	if (PQresultStatus(res) == want)
		return res;
	log_errorf("application_transition", "%s", PQerrorMessage(c));
	PQclear(res);
	return NULL;
}

/* ---- emails ------------------------------------------------------------------------------ */

/* What the emails of one change say: the locked row and the change. */
struct change {
	const PGresult *row;        /* the row of lock_sql */
	long long id;
	const struct transition *t;
	const char *reason;
};

/* The candidate's address: their account's, the one they proved they own (an address typed
 * into the application could be anyone's, and the portal must not mail strangers). NULL when
 * the candidate is gone (anonymised). */
static const char *candidate_address(const PGresult *row)
{
	const char *account = PQgetvalue(row, 0, L_ACCOUNT_EMAIL);

	if (strtoll(PQgetvalue(row, 0, L_CANDIDATE), NULL, 10) == 0)
		return NULL;
	return mail_address_ok(account) ? account : NULL;
}

/* The model every email of a change shares: {first_name, candidate_name, vacancy_title,
 * school_name, status, status_label, is_<status>: true, message, link}. link is the
 * candidate's page of the application (for_school false) or the school's. NULL when out of
 * memory. */
static json_t *mail_model(const struct change *ch, bool for_school)
{
	const PGresult *row = ch->row;
	const char *first = PQgetvalue(row, 0, L_FIRST), *last = PQgetvalue(row, 0, L_LAST);
	char link[64], flag[32];
	struct buf name = { 0 };
	json_t *m;

	snprintf(link, sizeof link, "%s/%lld",
		 for_school ? "/school/applications" : "/account/applications", ch->id);
	snprintf(flag, sizeof flag, "is_%s", ch->t->to);
	buf_printf(&name, "%s%s%s", first, first[0] != '\0' && last[0] != '\0' ? " " : "", last);
	if (name.len == 0)
		buf_puts(&name, PQgetvalue(row, 0, L_ACCOUNT_NAME));
	m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "first_name",
		      first[0] != '\0' ? first : buf_str(&name), "candidate_name",
		      name.len > 0 ? buf_str(&name) : "A candidate", "vacancy_title",
		      PQgetvalue(row, 0, L_TITLE), "school_name", PQgetvalue(row, 0, L_SCHOOL),
		      "status", ch->t->to, "status_label",
		      application_status_label(ch->t->to) ? application_status_label(ch->t->to)
							   : ch->t->to, flag, 1, "message",
		      ch->reason != NULL ? ch->reason : "", "link", link);
	buf_free(&name);
	return m;
}

/* Sends template `name` with the school's model of ch to every hiring manager of the
 * vacancy's school (the locked row's list). Returns 0 or -1. */
static int mail_managers(PGconn *c, const struct change *ch, const char *name)
{
	json_t *m = mail_model(ch, true);
	int rc = m != NULL ? email_optional_enqueue_each(c, PQgetvalue(ch->row, 0, L_MANAGERS),
							 EMAIL_APPLICATION_UPDATES, name, m)
			   : -1;

	json_decref(m);
	return rc < 0 ? -1 : 0;
}

/* Sends template `name` with the candidate's model of ch (plus extra's keys, borrowed, may be
 * NULL) and n attachments to the candidate, when they have an address. Returns 0 or -1. */
static int mail_candidate(PGconn *c, const struct change *ch, const char *name, json_t *extra,
			  const struct mail_attachment *a, size_t n)
{
	const char *to = candidate_address(ch->row);
	json_t *m;
	int rc = -1;

	if (to == NULL) {
		log_event(LOG_WARN, "application email not sent: the candidate has no address",
			  "template", name, NULL);
		return 0;
	}
	m = mail_model(ch, false);
	if (m != NULL && (extra == NULL || json_object_update(m, extra) == 0))
		rc = mail_enqueue_attached(c, to, name, m, a, n);
	json_decref(m);
	return rc;
}

/* The interview's arrangement: inserts or updates application_interviews from detail, adds
 * {sequence, uid} to detail, and emails the candidate the invitation with invite.ics.
 * Returns 0, or -1 (logged) on bad details or a database error. */
static int interview(PGconn *c, const struct change *ch, const char *id, long long actor_id,
		     json_t *detail)
{
	const char *starts = json_string_value(json_object_get(detail, "starts_at"));
	const char *place = json_string_value(json_object_get(detail, "place"));
	const char *panel = json_string_value(json_object_get(detail, "panel"));
	const char *details = json_string_value(json_object_get(detail, "details"));
	json_t *minutes = json_object_get(detail, "duration_minutes"), *extra = NULL;
	char dur[24], actor[24], organizer[256], summary[600];
	const char *vals[7] = { id, starts, dur, place, panel ? panel : "", details ? details : "",
				actor };
	struct ics_event e = { 0 };
	struct mail_attachment a;
	struct buf ics = { 0 }, desc = { 0 };
	PGresult *res = NULL;
	int rc = -1;

	if (starts == NULL || place == NULL || place[0] == '\0' || !json_is_integer(minutes)) {
		log_errorf(__func__, "interview needs starts_at, duration_minutes and place");
		return -1;
	}
	snprintf(dur, sizeof dur, "%lld", (long long)json_integer_value(minutes));
	snprintf(actor, sizeof actor, "%lld", actor_id);
	res = run(c, &interview_stmt, vals, PGRES_TUPLES_OK);
	if (res == NULL || PQntuples(res) != 1 || mail_from_address(organizer, sizeof organizer)) {
		log_errorf(__func__, "application %s: no interview row or no mail_from address", id);
		goto out;
	}
	snprintf(summary, sizeof summary, "Interview: %s, %s", PQgetvalue(ch->row, 0, L_TITLE),
		 PQgetvalue(ch->row, 0, L_SCHOOL));
	buf_printf(&desc, "Interview for %s at %s.", PQgetvalue(ch->row, 0, L_TITLE),
		   PQgetvalue(ch->row, 0, L_SCHOOL));
	if (panel != NULL && panel[0] != '\0')
		buf_printf(&desc, "\nInterview panel: %s", panel);
	if (details != NULL && details[0] != '\0')
		buf_printf(&desc, "\n%s", details);
	e.uid = PQgetvalue(res, 0, 0);
	e.sequence = atoi(PQgetvalue(res, 0, 1));
	e.start = (time_t)strtoll(PQgetvalue(res, 0, 2), NULL, 10);
	e.end = (time_t)strtoll(PQgetvalue(res, 0, 3), NULL, 10);
	e.stamp = (time_t)strtoll(PQgetvalue(res, 0, 4), NULL, 10);
	e.summary = summary;
	e.location = place;
	e.description = buf_str(&desc);
	e.organizer_name = PQgetvalue(ch->row, 0, L_SCHOOL);
	e.organizer_email = organizer;
	e.attendee_name = PQgetvalue(ch->row, 0, L_FIRST);
	e.attendee_email = candidate_address(ch->row);
	a.filename = "invite.ics";
	a.content_type = "text/calendar; method=REQUEST; charset=UTF-8";
	extra = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "interview_day",
			  PQgetvalue(res, 0, 5), "interview_time", PQgetvalue(res, 0, 6),
			  "interview_end", PQgetvalue(res, 0, 7), "place", place, "panel",
			  panel ? panel : "", "details", details ? details : "", "rearranged",
			  e.sequence > 0);
	if (extra == NULL || buf_failed(&desc) || ics_invitation(&ics, &e) != 0 ||
	    json_object_set_new(detail, "sequence", json_integer(e.sequence)) != 0 ||
	    json_object_set_new(detail, "uid", json_string(e.uid)) != 0) {
		log_errorf(__func__, "application %s: cannot make the invitation", id);
		goto out;
	}
	a.content = buf_str(&ics);
	rc = mail_candidate(c, ch, "application_interview", extra, &a, 1);
out:
	json_decref(extra);
	buf_free(&ics);
	buf_free(&desc);
	PQclear(res);
	return rc;
}

/* Enqueues the emails of change ch (see the table). Returns 0 or -1. */
static int send_mails(PGconn *c, const struct change *ch)
{
	switch (ch->t->mail) {
	case AT_MAIL_SUBMITTED:
		return mail_candidate(c, ch, "application_submitted", NULL, NULL, 0) ||
				       mail_managers(c, ch, "application_received")
			       ? -1
			       : 0;
	case AT_MAIL_STATUS:
		return mail_candidate(c, ch, "application_status", NULL, NULL, 0);
	case AT_MAIL_WITHDRAWN:
		return mail_managers(c, ch, "application_withdrawn");
	default:
		return 0;
	}
}

/* ---- the transition ----------------------------------------------------------------------- */

int application_transition(PGconn *c, long long id, const char *event, long long actor_id,
			   const char *reason, json_t *detail)
{
	char id_s[24];
	const char *vals[3] = { id_s, NULL, reason };
	const struct transition *t;
	struct change ch;
	PGresult *lock = NULL, *res = NULL;
	json_t *d = NULL;
	int rc = -1;

	if (event == NULL || event_find(event) == NULL ||
	    (strcmp(event, "interview") == 0 && !json_is_object(detail))) {
		log_errorf(__func__, "unknown application event %s, or no interview details",
			   event ? event : "(null)");
		return -1;
	}
	snprintf(id_s, sizeof id_s, "%lld", id);
	lock = run(c, &lock_stmt, vals, PGRES_TUPLES_OK);
	if (lock == NULL)
		goto out;
	if (PQntuples(lock) == 0) {
		rc = AT_NOT_FOUND;
		goto out;
	}
	/* A candidate's event by anyone else: as if there were no such application. */
	if (event_find(event)->who == BY_CANDIDATE &&
	    (actor_id <= 0 || strtoll(PQgetvalue(lock, 0, L_CANDIDATE), NULL, 10) != actor_id)) {
		rc = AT_NOT_FOUND;
		goto out;
	}
	t = transition_find(PQgetvalue(lock, 0, L_STATUS), event);
	if (t == NULL) {
		rc = AT_NOT_ALLOWED;
		goto out;
	}
	if (strcmp(event, "submit") == 0 && PQgetvalue(lock, 0, L_OPEN)[0] != 't') {
		rc = AT_CLOSED;
		goto out;
	}
	vals[1] = t->to;
	res = run(c, strcmp(t->to, "deleted") == 0 ? &delete_stmt : &update_stmt, vals,
		  PGRES_COMMAND_OK);
	d = detail != NULL ? json_deep_copy(detail) : json_object();
	ch = (struct change){ lock, id, t, reason };
	if (res == NULL || d == NULL ||
	    (t->mail == AT_MAIL_INTERVIEW && interview(c, &ch, id_s, actor_id, d) != 0) ||
	    send_mails(c, &ch) != 0)
		goto out;
	if (status_event_record(c, "application", id, t->from, t->to, event, actor_id, reason,
				d) != 0)
		goto out;
	rc = AT_DONE;
out:
	json_decref(d);
	PQclear(res);
	PQclear(lock);
	return rc;
}

int application_record_created(PGconn *c, long long id, long long actor_id)
{
	return status_event_record(c, "application", id, NULL, "draft", "create", actor_id, NULL,
				   NULL);
}
