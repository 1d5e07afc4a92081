/* vacancy_form_store.c - loading the school's vacancy form from the database and saving it
 * one step at a time (with the edit record of a live vacancy), creating a draft, copying a
 * vacancy; the reference data the form needs. See vacancy_form.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "db.h"
#include "log.h"
#include "vacancy_form.h"
#include "vacancy_lifecycle.h"

/* What a live vacancy's edit record compares, before and after a step is saved: the row as
 * JSON without the columns no form changes, plus the schools covered. */
#define SNAPSHOT_SQL                                                                           \
	"((to_jsonb(v) - ARRAY['search', 'created_at', 'updated_at', 'created_by', 'status', "  \
	"'published_at', 'closed_at', 'end_reason', 'filled']) || jsonb_build_object('schools', " \
	"(SELECT coalesce(jsonb_agg(vs.school_urn ORDER BY vs.school_urn), '[]'::jsonb) FROM "  \
	"vacancy_schools vs WHERE vs.vacancy_id = v.id)))"

/* Copies s into out (outlen bytes), truncated; "" for NULL. */
static void copy(char *out, size_t outlen, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n >= outlen)
		n = outlen - 1;
	if (n > 0)
		memcpy(out, s, n);
	out[n] = '\0';
}

/* The bit set over list of the comma-separated values csv (unknown ones ignored). */
static unsigned mask_parse(const struct label_list *list, const char *csv)
{
	char one[64];
	unsigned mask = 0;
	size_t n;
	int k;

	while (*csv != '\0') {
		n = strcspn(csv, ",");
		if (n < sizeof one) {
			memcpy(one, csv, n);
			one[n] = '\0';
			k = vacancy_label_index(list, one);
			if (k >= 0)
				mask |= 1u << k;
		}
		csv += n;
		if (*csv == ',')
			csv++;
	}
	return mask;
}

/* Appends the PostgreSQL array literal of list's values in mask: {"a","b"}. The values are
 * the list's own, so they need no escaping. */
static void mask_array(struct buf *b, const struct label_list *list, unsigned mask)
{
	size_t i;
	bool first = true;

	buf_putc(b, '{');
	for (i = 0; i < list->len; i++) {
		if (!(mask & (1u << i)))
			continue;
		buf_printf(b, "%s\"%s\"", first ? "" : ",", list->items[i].value);
		first = false;
	}
	buf_putc(b, '}');
}

/* ---- reference data --------------------------------------------------------------------- */

/* Runs a query with text parameters; NULL (logged) unless it returns rows. */
static PGresult *query(PGconn *c, const char *sql, int n, const char *const *vals)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);

	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	log_errorf("vacancy_form", "%s", PQerrorMessage(c));
	PQclear(res);
	return NULL;
}

/* Runs a command with text parameters. Returns its result when it succeeded, else NULL
 * (logged). */
static PGresult *command(PGconn *c, const char *sql, int n, const char *const *vals)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);

	if (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	log_errorf("vacancy_form", "%s", PQerrorMessage(c));
	PQclear(res);
	return NULL;
}

int vacancy_refs_load(PGconn *c, const struct req *r, long school_urn, struct vacancy_refs *refs)
{
	char uid[24], urn[24];
	const char *vals[3] = { uid, NULL, urn };
	PGresult *now;

	memset(refs, 0, sizeof *refs);
	now = query(c, "SELECT to_char(now() AT TIME ZONE 'Europe/London', "
		       "'YYYY-MM-DD HH24:MI')", 0, NULL);
	if (now == NULL)
		return -1;
	copy(refs->now, sizeof refs->now, PQgetvalue(now, 0, 0));
	PQclear(now);
	refs->subjects = query(c, "SELECT value, label FROM vacancy_subjects "
				  "ORDER BY position, value", 0, NULL);
	if (refs->subjects == NULL)
		return -1;
	if (school_urn <= 0)
		return 0;
	tenancy_params(r, uid, &vals[1]);
	snprintf(urn, sizeof urn, "%ld", school_urn);
	refs->schools = query(c, "SELECT s.urn, s.name FROM schools s JOIN schools p ON "
				 "p.urn = $3::integer WHERE s.urn = p.urn OR (s.trust = p.trust AND "
				 TENANCY_SQL("s.urn", "1", "2") ") ORDER BY s.urn <> p.urn, s.name, "
				 "s.urn", 3, vals);
	return refs->schools != NULL ? 0 : -1;
}

void vacancy_refs_free(struct vacancy_refs *refs)
{
	PQclear(refs->subjects);
	PQclear(refs->schools);
	memset(refs, 0, sizeof *refs);
}

/* ---- loading ---------------------------------------------------------------------------- */

void vacancy_form_free(struct vacancy_form *f)
{
	free(f->description);
	free(f->about_school);
	free(f->school_offers);
	free(f->school_visits);
	memset(f, 0, sizeof *f);
}

/* Splits "D|M|Y" (or "D|M|Y|HH:MM") into d (and time, 8 bytes, when not NULL). */
static void date_split(const char *s, struct vf_date *d, char *time)
{
	char *parts[4] = { d->day, d->month, d->year, time };
	size_t sizes[4] = { sizeof d->day, sizeof d->month, sizeof d->year, 8 };
	size_t i, n;

	for (i = 0; i < 4 && parts[i] != NULL; i++) {
		n = strcspn(s, "|");
		if (n >= sizes[i])
			n = sizes[i] - 1;
		memcpy(parts[i], s, n);
		parts[i][n] = '\0';
		s += strcspn(s, "|");
		if (*s == '|')
			s++;
	}
}

/* Removes trailing zeros of a decimal ("30.0" -> "30", "0.600" -> "0.6"). */
static void trim_zeros(char *s)
{
	size_t n = strlen(s);

	if (strchr(s, '.') == NULL)
		return;
	while (n > 0 && s[n - 1] == '0')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '.')
		s[--n] = '\0';
}

/* The columns vacancy_form_load reads, in order. */
static const char load_sql[] =
	"SELECT v.school_urn, s.name, v.status, v.title, array_to_string(v.job_roles, ','), "
	"array_to_string(v.phases, ','), array_to_string(v.key_stages, ','), "
	"array_to_string(v.subjects, ','), v.ect_suitable, coalesce(v.contract_type, ''), "
	"coalesce(v.fixed_term_length, ''), array_to_string(v.working_patterns, ','), "
	"coalesce(v.hours_per_week::text, ''), coalesce(v.fte::text, ''), "
	"coalesce(v.pay_scale, ''), coalesce(v.pay_text, ''), coalesce(v.salary_min::text, ''), "
	"coalesce(v.salary_max::text, ''), coalesce(v.start_type, ''), "
	"coalesce(to_char(v.start_date, 'FMDD|FMMM|YYYY'), ''), coalesce(v.start_term, ''), "
	"v.key_worker_eligible, "
	"coalesce(to_char(v.publish_at AT TIME ZONE 'Europe/London', 'FMDD|FMMM|YYYY'), ''), "
	"coalesce(to_char(v.closes_at AT TIME ZONE 'Europe/London', 'FMDD|FMMM|YYYY|HH24:MI'), ''), "
	"v.description, v.about_school, v.school_offers, coalesce(v.contact_email, ''), "
	"coalesce(v.contact_phone, ''), (SELECT coalesce(string_agg(vs.school_urn::text, ',' "
	"ORDER BY vs.school_urn = v.school_urn DESC, vs.school_urn), '') FROM vacancy_schools vs "
	"WHERE vs.vacancy_id = v.id), "
	"coalesce(" SQL_WHEN("v.closes_at") ", ''), "
	"coalesce(to_char(v.publish_at AT TIME ZONE 'Europe/London', 'FMDD FMMonth YYYY'), ''), "
	"coalesce(to_char(v.start_date, 'FMDD FMMonth YYYY'), ''), "
	"coalesce(v.closes_at > now(), false), coalesce(v.publish_at > now(), false), "
	SQL_WHEN("v.updated_at") ", "
	"v.visa_sponsorship, v.school_visits, coalesce(v.actual_salary, '') "
	"FROM vacancies v JOIN schools s ON s.urn = v.school_urn WHERE v.id = $1::bigint";

/* Fills f's strings from row 0 of res (load_sql). Returns 0, -1 when out of memory. */
static int load_row(const PGresult *res, struct vacancy_form *f)
{
	const char *schools;
	char *end;
	size_t i;

	f->school_urn = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	copy(f->school_name, sizeof f->school_name, PQgetvalue(res, 0, 1));
	copy(f->status, sizeof f->status, PQgetvalue(res, 0, 2));
	copy(f->title, sizeof f->title, PQgetvalue(res, 0, 3));
	f->roles = mask_parse(&vacancy_roles, PQgetvalue(res, 0, 4));
	f->phases = mask_parse(&vacancy_phases, PQgetvalue(res, 0, 5));
	f->key_stages = mask_parse(&vacancy_key_stages, PQgetvalue(res, 0, 6));
	for (const char *s = PQgetvalue(res, 0, 7); *s != '\0' && f->nsubjects < VF_MAX_SUBJECTS;) {
		i = strcspn(s, ",");
		if (i < sizeof f->subjects[0]) {
			memcpy(f->subjects[f->nsubjects], s, i);
			f->subjects[f->nsubjects++][i] = '\0';
		}
		s += i;
		if (*s == ',')
			s++;
	}
	f->ect_suitable = PQgetvalue(res, 0, 8)[0] == 't';
	copy(f->contract, sizeof f->contract, PQgetvalue(res, 0, 9));
	copy(f->fixed_term_length, sizeof f->fixed_term_length, PQgetvalue(res, 0, 10));
	f->patterns = mask_parse(&vacancy_working_patterns, PQgetvalue(res, 0, 11));
	copy(f->hours, sizeof f->hours, PQgetvalue(res, 0, 12));
	trim_zeros(f->hours);
	copy(f->fte, sizeof f->fte, PQgetvalue(res, 0, 13));
	trim_zeros(f->fte);
	copy(f->pay_scale, sizeof f->pay_scale, PQgetvalue(res, 0, 14));
	copy(f->pay_text, sizeof f->pay_text, PQgetvalue(res, 0, 15));
	copy(f->salary_min, sizeof f->salary_min, PQgetvalue(res, 0, 16));
	copy(f->salary_max, sizeof f->salary_max, PQgetvalue(res, 0, 17));
	copy(f->start_type, sizeof f->start_type, PQgetvalue(res, 0, 18));
	date_split(PQgetvalue(res, 0, 19), &f->start, NULL);
	copy(f->start_term, sizeof f->start_term, PQgetvalue(res, 0, 20));
	f->key_worker = PQgetvalue(res, 0, 21)[0] == 't';
	date_split(PQgetvalue(res, 0, 22), &f->publish, NULL);
	date_split(PQgetvalue(res, 0, 23), &f->closes, f->closes_time);
	f->description = strdup(PQgetvalue(res, 0, 24));
	f->about_school = strdup(PQgetvalue(res, 0, 25));
	f->school_offers = strdup(PQgetvalue(res, 0, 26));
	copy(f->contact_email, sizeof f->contact_email, PQgetvalue(res, 0, 27));
	copy(f->contact_phone, sizeof f->contact_phone, PQgetvalue(res, 0, 28));
	for (schools = PQgetvalue(res, 0, 29); *schools != '\0' && f->nschools < VF_MAX_SCHOOLS;) {
		f->schools[f->nschools++] = strtol(schools, &end, 10);
		schools = *end == ',' ? end + 1 : end;
	}
	copy(f->closes_label, sizeof f->closes_label, PQgetvalue(res, 0, 30));
	copy(f->publish_label, sizeof f->publish_label, PQgetvalue(res, 0, 31));
	copy(f->start_label, sizeof f->start_label, PQgetvalue(res, 0, 32));
	f->closes_future = PQgetvalue(res, 0, 33)[0] == 't';
	f->publish_future = PQgetvalue(res, 0, 34)[0] == 't';
	copy(f->updated_label, sizeof f->updated_label, PQgetvalue(res, 0, 35));
	f->visa_sponsorship = PQgetvalue(res, 0, 36)[0] == 't';
	f->school_visits = strdup(PQgetvalue(res, 0, 37));
	copy(f->actual_salary, sizeof f->actual_salary, PQgetvalue(res, 0, 38));
	if (f->description == NULL || f->about_school == NULL || f->school_offers == NULL ||
	    f->school_visits == NULL)
		return -1;
	return 0;
}

int vacancy_form_load(PGconn *c, long long id, struct vacancy_form *f)
{
	char id_s[24];
	const char *vals[1] = { id_s };
	PGresult *res;
	int rc;

	memset(f, 0, sizeof *f);
	snprintf(id_s, sizeof id_s, "%lld", id);
	res = query(c, load_sql, 1, vals);
	if (res == NULL)
		return -1;
	rc = PQntuples(res) == 1;
	if (rc) {
		f->id = id;
		if (load_row(res, f) != 0) {
			log_errorf(__func__, "out of memory");
			vacancy_form_free(f);
			rc = -1;
		}
	}
	PQclear(res);
	return rc;
}

/* ---- saving ----------------------------------------------------------------------------- */

/* Parameters of a step's UPDATE: text values (NULL = SQL NULL) and the buffers they point into. */
struct params {
	const char *v[16];
	int n;
	struct buf arrays[4];
	char id[24];
	char date[3][8];
	char iso[11];
};

/* Appends value (NULL for SQL NULL; "" also becomes NULL when empty_null) to p. */
static void param(struct params *p, const char *value, bool empty_null)
{
	p->v[p->n++] = value != NULL && (value[0] != '\0' || !empty_null) ? value : NULL;
}

/* Appends array k of p, made from mask over list. */
static void param_mask(struct params *p, int k, const struct label_list *list, unsigned mask)
{
	mask_array(&p->arrays[k], list, mask);
	p->v[p->n++] = buf_str(&p->arrays[k]);
}

/* Appends array k of p with f's subjects. */
static void param_subjects(struct params *p, int k, const struct vacancy_form *f)
{
	size_t i;

	buf_putc(&p->arrays[k], '{');
	for (i = 0; i < f->nsubjects; i++)
		buf_printf(&p->arrays[k], "%s\"%s\"", i > 0 ? "," : "", f->subjects[i]);
	buf_putc(&p->arrays[k], '}');
	p->v[p->n++] = buf_str(&p->arrays[k]);
}

/* The job step's columns as parameters $2..$7 of job_sql (p->v[0] is the id). */
static void params_job(struct params *p, const struct vacancy_form *f)
{
	param(p, f->title, false);
	param_mask(p, 0, &vacancy_roles, f->roles);
	param_mask(p, 1, &vacancy_phases, f->phases);
	param_mask(p, 2, &vacancy_key_stages, f->key_stages);
	param_subjects(p, 3, f);
	param(p, f->ect_suitable ? "true" : "false", false);
}

static const char job_sql[] =
	"UPDATE vacancies SET title = $2, job_roles = $3::text[], phases = $4::text[], "
	"key_stages = $5::text[], subjects = $6::text[], ect_suitable = $7::boolean "
	"WHERE id = $1::bigint";

static const char details_sql[] =
	"UPDATE vacancies SET contract_type = $2, fixed_term_length = $3, "
	"working_patterns = $4::text[], hours_per_week = $5::numeric, fte = $6::numeric, "
	"pay_scale = $7, pay_text = $8, salary_min = $9::integer, salary_max = $10::integer, "
	"start_type = $11, start_date = $12::date, start_term = $13, "
	"key_worker_eligible = $14::boolean, visa_sponsorship = $15::boolean, "
	"actual_salary = $16 WHERE id = $1::bigint";

static const char dates_sql[] =
	"UPDATE vacancies SET publish_at = make_timestamptz($2::integer, $3::integer, "
	"$4::integer, 0, 0, 0, 'Europe/London'), closes_at = make_timestamptz($5::integer, "
	"$6::integer, $7::integer, split_part($8, ':', 1)::integer, split_part($8, ':', 2)::integer, "
	"0, 'Europe/London') WHERE id = $1::bigint";

static const char about_sql[] =
	"UPDATE vacancies SET description = $2, about_school = $3, school_offers = $4 "
	"WHERE id = $1::bigint";

static const char contact_sql[] =
	"UPDATE vacancies SET contact_email = $2, contact_phone = $3, school_visits = $4 "
	"WHERE id = $1::bigint";

/* Fills p for the step's statement (p->v[0] already the id). Returns the statement, or NULL
 * for a step that saves nothing. */
static const char *step_params(struct params *p, const struct vacancy_form *f,
			       enum vacancy_step step)
{
	switch (step) {
	case VSTEP_JOB:
		params_job(p, f);
		return job_sql;
	case VSTEP_DETAILS:
		param(p, f->contract, true);
		param(p, f->fixed_term_length, true);
		param_mask(p, 0, &vacancy_working_patterns, f->patterns);
		param(p, f->hours, true);
		param(p, f->fte, true);
		param(p, f->pay_scale, true);
		param(p, f->pay_text, true);
		param(p, f->salary_min, true);
		param(p, f->salary_max, true);
		param(p, f->start_type, true);
		param(p, vacancy_date_iso(&f->start, p->iso) == 0 ? p->iso : NULL, true);
		param(p, f->start_term, true);
		param(p, f->key_worker ? "true" : "false", false);
		param(p, f->visa_sponsorship ? "true" : "false", false);
		param(p, f->actual_salary, true);
		return details_sql;
	case VSTEP_DATES:
		if (vacancy_date_iso(&f->publish, p->iso) == 0) {
			snprintf(p->date[0], sizeof p->date[0], "%.4s", p->iso);
			snprintf(p->date[1], sizeof p->date[1], "%.2s", p->iso + 5);
			snprintf(p->date[2], sizeof p->date[2], "%.2s", p->iso + 8);
			param(p, p->date[0], false);
			param(p, p->date[1], false);
			param(p, p->date[2], false);
		} else {
			param(p, NULL, false);
			param(p, NULL, false);
			param(p, NULL, false);
		}
		param(p, f->closes.year, false);
		param(p, f->closes.month, false);
		param(p, f->closes.day, false);
		param(p, f->closes_time, false);
		return dates_sql;
	case VSTEP_ABOUT:
		param(p, f->description, false);
		param(p, f->about_school, false);
		param(p, f->school_offers, false);
		return about_sql;
	case VSTEP_CONTACT:
		param(p, f->contact_email, false);
		param(p, f->contact_phone, true);
		param(p, f->school_visits != NULL ? f->school_visits : "", false);
		return contact_sql;
	default:
		return NULL;
	}
}

/* Frees p's buffers. */
static void params_free(struct params *p)
{
	size_t i;

	for (i = 0; i < sizeof p->arrays / sizeof p->arrays[0]; i++)
		buf_free(&p->arrays[i]);
}

/* True when one of p's arrays could not be built. */
static bool params_failed(const struct params *p)
{
	size_t i;

	for (i = 0; i < sizeof p->arrays / sizeof p->arrays[0]; i++)
		if (buf_failed(&p->arrays[i]))
			return true;
	return false;
}

/* Replaces the schools covered by vacancy id_s with f's. Returns 0 or -1. */
static int save_schools(PGconn *c, const char *id_s, const struct vacancy_form *f)
{
	char urns[VF_MAX_SCHOOLS * 12 + 4];
	const char *vals[2] = { id_s, urns };
	PGresult *res;
	size_t i, n = 0;

	n += (size_t)snprintf(urns, sizeof urns, "{");
	for (i = 0; i < f->nschools; i++)
		n += (size_t)snprintf(urns + n, sizeof urns - n, "%s%ld", i > 0 ? "," : "",
				      f->schools[i]);
	snprintf(urns + n, sizeof urns - n, "}");
	res = command(c, "DELETE FROM vacancy_schools WHERE vacancy_id = $1::bigint AND "
			 "school_urn <> ALL ($2::integer[])", 2, vals);
	if (res == NULL)
		return -1;
	PQclear(res);
	res = command(c, "INSERT INTO vacancy_schools (vacancy_id, school_urn) SELECT "
			 "$1::bigint, unnest($2::integer[]) ON CONFLICT DO NOTHING", 2, vals);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* Records what the last statements changed in a live vacancy: fields, before (from the
 * snapshot `before`, JSON text) and after, when anything changed. Returns 0 or -1. */
static int record_edit(PGconn *c, const char *id_s, long long actor_id, const char *before)
{
	char actor[24];
	const char *vals[3] = { id_s, actor, before };
	PGresult *res;

	snprintf(actor, sizeof actor, "%lld", actor_id);
	res = command(c, "INSERT INTO vacancy_edits (vacancy_id, actor_id, fields, before, after) "
			 "SELECT $1::bigint, NULLIF($2::bigint, 0), array_agg(o.key ORDER BY "
			 "o.key), jsonb_object_agg(o.key, o.value), jsonb_object_agg(o.key, "
			 "n.value) FROM jsonb_each($3::jsonb) o JOIN jsonb_each((SELECT "
			 SNAPSHOT_SQL " FROM vacancies v WHERE v.id = $1::bigint)) n ON "
			 "n.key = o.key WHERE o.value IS DISTINCT FROM n.value HAVING count(*) > 0",
		      3, vals);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int vacancy_form_save(PGconn *c, const struct vacancy_form *f, enum vacancy_step step,
		      long long actor_id)
{
	struct params p = { 0 };
	PGresult *lock = NULL, *res = NULL;
	const char *sql, *status;
	bool open = false, live;
	int rc = -1;

	snprintf(p.id, sizeof p.id, "%lld", f->id);
	p.v[p.n++] = p.id;
	sql = step_params(&p, f, step);
	if (sql == NULL)
		return VS_SAVED;
	if (params_failed(&p))
		goto out;
	if (db_tx(c, "BEGIN") != 0)
		goto out;
	open = true;
	lock = query(c, "SELECT v.status, " SNAPSHOT_SQL " FROM vacancies v "
			"WHERE v.id = $1::bigint FOR UPDATE", 1, p.v);
	if (lock == NULL)
		goto out;
	if (PQntuples(lock) == 0) {
		rc = VS_NOT_FOUND;
		goto out;
	}
	status = PQgetvalue(lock, 0, 0);
	if (!vacancy_step_editable(status, step)) {
		rc = VS_NOT_EDITABLE;
		goto out;
	}
	live = strcmp(status, "published") == 0 || strcmp(status, "scheduled") == 0;
	res = command(c, sql, p.n, p.v);
	if (res == NULL)
		goto out;
	if (step == VSTEP_CONTACT && save_schools(c, p.id, f) != 0)
		goto out;
	if (live && record_edit(c, p.id, actor_id, PQgetvalue(lock, 0, 1)) != 0)
		goto out;
	open = false;
	if (db_tx(c, "COMMIT") != 0)
		goto out;
	rc = VS_SAVED;
out:
	if (open)
		db_tx(c, "ROLLBACK");
	PQclear(lock);
	PQclear(res);
	params_free(&p);
	return rc;
}

long long vacancy_form_create(PGconn *c, const struct vacancy_form *f, long long actor_id,
			      const char *contact_email)
{
	struct params p = { 0 };
	char urn[24], actor[24], id_s[24];
	const char *school_vals[2] = { id_s, urn };
	PGresult *res = NULL;
	long long id = -1;
	bool open = false;

	snprintf(urn, sizeof urn, "%ld", f->school_urn);
	snprintf(actor, sizeof actor, "%lld", actor_id);
	param(&p, urn, false);
	param(&p, actor, false);
	param(&p, contact_email, true);
	params_job(&p, f);
	if (params_failed(&p) || db_tx(c, "BEGIN") != 0)
		goto out;
	open = true;
	res = query(c, "INSERT INTO vacancies (school_urn, created_by, contact_email, title, "
		       "job_roles, phases, key_stages, subjects, ect_suitable, about_school, "
		       "school_offers, contact_phone, school_visits) SELECT $1::integer, "
		       "NULLIF($2::bigint, 0), $3, $4, $5::text[], $6::text[], $7::text[], "
		       "$8::text[], $9::boolean, "
		       "coalesce(nullif(sc.about, ''), l.about_school, ''), "
		       "coalesce(l.school_offers, ''), l.contact_phone, "
		       "coalesce(l.school_visits, '') FROM (SELECT 1) one "
		       "LEFT JOIN schools sc ON sc.urn = $1::integer LEFT JOIN LATERAL (SELECT "
		       "about_school, school_offers, contact_phone, school_visits FROM vacancies "
		       "WHERE school_urn = $1::integer AND (about_school <> '' OR school_offers <> "
		       "'' OR school_visits <> '') ORDER BY created_at DESC, id DESC LIMIT 1) l ON "
		       "true RETURNING id",
		       p.n, p.v);
	if (res == NULL)
		goto out;
	copy(id_s, sizeof id_s, PQgetvalue(res, 0, 0));
	PQclear(res);
	res = command(c, "INSERT INTO vacancy_schools (vacancy_id, school_urn) VALUES "
			 "($1::bigint, $2::integer)", 2, school_vals);
	if (res == NULL || vacancy_record_created(c, strtoll(id_s, NULL, 10), actor_id, 0) != 0)
		goto out;
	open = false;
	if (db_tx(c, "COMMIT") != 0)
		goto out;
	id = strtoll(id_s, NULL, 10);
out:
	if (open)
		db_tx(c, "ROLLBACK");
	PQclear(res);
	params_free(&p);
	return id;
}

/* Copies the documents of vacancy from_s to vacancy to_s, each under a new random key (the
 * data is copied inside the database), created by actor_s. Returns 0 or -1. */
static int copy_documents(PGconn *c, const char *from_s, const char *to_s, const char *actor_s)
{
	char key[TOKEN_LEN + 1];
	const char *vals[4] = { NULL, to_s, key, actor_s };
	PGresult *docs, *res;
	int i, rc = 0;

	vals[0] = from_s;
	docs = query(c, "SELECT id FROM vacancy_documents WHERE vacancy_id = $1::bigint "
			"ORDER BY id", 1, vals);
	if (docs == NULL)
		return -1;
	for (i = 0; rc == 0 && i < PQntuples(docs); i++) {
		vals[0] = PQgetvalue(docs, i, 0);
		rc = auth_random_token(key);
		res = rc == 0 ? command(c, "INSERT INTO vacancy_documents (vacancy_id, key, "
					   "filename, content_type, size, data, created_by) SELECT "
					   "$2::bigint, $3, filename, content_type, size, data, "
					   "NULLIF($4::bigint, 0) FROM vacancy_documents WHERE id = "
					   "$1::bigint", 4, vals)
			      : NULL;
		if (res == NULL)
			rc = -1;
		PQclear(res);
	}
	PQclear(docs);
	return rc;
}

long long vacancy_copy(PGconn *c, long long id, long long actor_id)
{
	char from[24], actor[24], new_id[24];
	const char *vals[2] = { from, actor }, *school_vals[2] = { from, new_id };
	PGresult *res = NULL;
	long long copied = -1;
	bool open = false;

	snprintf(from, sizeof from, "%lld", id);
	snprintf(actor, sizeof actor, "%lld", actor_id);
	if (db_tx(c, "BEGIN") != 0)
		goto out;
	open = true;
	res = query(c, "INSERT INTO vacancies (school_urn, created_by, title, job_roles, phases, "
		       "key_stages, subjects, contract_type, fixed_term_length, working_patterns, "
		       "hours_per_week, fte, pay_scale, pay_text, salary_min, salary_max, "
		       "actual_salary, start_type, start_term, ect_suitable, key_worker_eligible, "
		       "visa_sponsorship, description, about_school, school_offers, contact_email, "
		       "contact_phone, school_visits) SELECT school_urn, NULLIF($2::bigint, 0), "
		       "title, job_roles, phases, key_stages, subjects, contract_type, "
		       "fixed_term_length, working_patterns, hours_per_week, fte, pay_scale, "
		       "pay_text, salary_min, salary_max, actual_salary, start_type, start_term, "
		       "ect_suitable, key_worker_eligible, visa_sponsorship, description, "
		       "about_school, school_offers, contact_email, contact_phone, school_visits "
		       "FROM vacancies WHERE id = $1::bigint RETURNING id", 2, vals);
	if (res == NULL)
		goto out;
	if (PQntuples(res) == 0) {
		copied = 0;
		goto out;
	}
	copy(new_id, sizeof new_id, PQgetvalue(res, 0, 0));
	PQclear(res);
	res = command(c, "INSERT INTO vacancy_schools (vacancy_id, school_urn) SELECT "
			 "$2::bigint, school_urn FROM vacancy_schools WHERE vacancy_id = "
			 "$1::bigint", 2, school_vals);
	if (res == NULL || copy_documents(c, from, new_id, actor) != 0 ||
	    vacancy_record_created(c, strtoll(new_id, NULL, 10), actor_id, id) != 0)
		goto out;
	open = false;
	if (db_tx(c, "COMMIT") != 0)
		goto out;
	copied = strtoll(new_id, NULL, 10);
out:
	if (open)
		db_tx(c, "ROLLBACK");
	PQclear(res);
	return copied;
}
