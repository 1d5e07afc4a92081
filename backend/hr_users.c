/* hr_users.c - user management for HR and admin: the user list (search, role and status
 * filters, sort, pages), the invitation form, and the actions on one user (disable, enable,
 * change role, add or remove a school).
 *
 * The pipeline has checked the route's role (hr; admin passes) and the CSRF token before any
 * handler here runs. The rules about whom an HR user may act on (not themselves, not an
 * administrator) are checked here, inside the transaction that makes the change, with the
 * target's row locked, so two HR users acting at once cannot slip past them. Every change is
 * audited in the same transaction; every action answers 303 back to the list it came from.
 */
#include <openssl/crypto.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "auth.h"
#include "db.h"
#include "handlers.h"
#include "pagination.h"
#include "log.h"
#include "mail.h"

#define USERS_PAGE_SIZE 50
#define USERS_MAX_PAGE 1000000L
#define SEARCH_MAX_CHARS 200
#define NAME_MAX_CHARS 200
#define INVITE_TTL_SECONDS (7 * 24 * 3600)

/* The status shown and filtered on: disabled before anything else, then invited (no password
 * set yet), unverified (email address not confirmed), else active. */
#define USER_STATUS_SQL                                                                        \
	"CASE WHEN u.disabled_at IS NOT NULL THEN 'disabled' WHEN u.password_hash IS NULL "   \
	"AND u.role <> 'candidate' THEN 'invited' WHEN u.verified_at IS NULL THEN 'unverified' " \
	"ELSE 'active' END"

/* A value a form or filter may take, its label, and (statuses) the tag class that shows it. */
struct choice {
	const char *value;
	const char *label;
	const char *extra;
};

#define NCHOICES(a) (sizeof(a) / sizeof((a)[0]))

static const struct choice roles[] = {
	{ "candidate", "Candidate", NULL },
	{ "school_staff", "School staff", NULL },
	{ "hr", "HR", NULL },
	{ "admin", "Administrator", NULL },
};

static const struct choice statuses[] = {
	{ "active", "Active", "govuk-tag--green" },
	{ "invited", "Invited", "govuk-tag--teal" },
	{ "unverified", "Unverified", "govuk-tag--yellow" },
	{ "disabled", "Disabled", "govuk-tag--red" },
};

static const struct choice school_roles[] = {
	{ "hiring_manager", "Hiring manager", NULL },
	{ "viewer", "Viewer", NULL },
};

/* ?sort= values, their labels, and the ORDER BY each stands for: the only text ever placed in
 * ORDER BY. The first is the default. */
static const struct choice sorts[] = {
	{ "name", "Name", "lower(u.name), u.id" },
	{ "email", "Email address", "lower(u.email), u.id" },
	{ "created", "Newest first", "u.created_at DESC, u.id DESC" },
};

/* The banner shown after an action (?done=...). */
static const struct choice banners[] = {
	{ "disabled", "The account has been disabled and the user has been signed out.", NULL },
	{ "enabled", "The account has been enabled.", NULL },
	{ "role", "The role has been changed, and any schools they had were taken away. The user "
		  "must sign in again.", NULL },
	{ "school_added", "The school has been added. The user must sign in again.", NULL },
	{ "school_removed", "The school has been removed.", NULL },
	{ "reinvited", "A new invitation has been sent. The link in the earlier one no longer "
		       "works.", NULL },
};

/* The choice whose value is `value`, or NULL (also for a NULL value). */
static const struct choice *choice_find(const struct choice *c, size_t n, const char *value)
{
	size_t i;

	for (i = 0; value != NULL && i < n; i++)
		if (strcmp(c[i].value, value) == 0)
			return &c[i];
	return NULL;
}

/* Label of `value` in c, or value itself when unknown. */
static const char *choice_label(const struct choice *c, size_t n, const char *value)
{
	const struct choice *ch = choice_find(c, n, value);

	return ch != NULL ? ch->label : value;
}

/* Appends {value, label, selected} to list for choice ch. Returns 0 or -1. */
static int choice_add(json_t *list, const struct choice *ch, const char *selected)
{
	return json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", ch->value,
						     "label", ch->label, "selected",
						     selected != NULL &&
							     strcmp(selected, ch->value) == 0));
}

/* A new array of {value, label, selected} for every choice of c. NULL when out of memory. */
static json_t *choices_json(const struct choice *c, size_t n, const char *selected)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; list != NULL && i < n; i++) {
		if (choice_add(list, &c[i], selected) != 0) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

/* True when the request's user may give someone `role`: only an administrator grants admin. */
static bool may_grant(const struct req *r, const char *role)
{
	return r->user->role == ROLE_ADMIN || strcmp(role, "admin") != 0;
}

/* The roles the request's user may give, as {value, label, selected}; invite leaves out the
 * candidate role (candidates register themselves). NULL when out of memory. */
static json_t *grantable_roles(const struct req *r, const char *selected, bool invite)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; list != NULL && i < NCHOICES(roles); i++) {
		if (!may_grant(r, roles[i].value) ||
		    (invite && strcmp(roles[i].value, "candidate") == 0))
			continue;
		if (choice_add(list, &roles[i], selected) != 0) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

/* Number of characters (not bytes) of a UTF-8 string (the form parser has checked it). */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* Runs a parameterised statement with text parameters. Returns its result when the status is
 * `want`, else NULL (logged). The caller PQclears the result. */
static PGresult *run(PGconn *c, ExecStatusType want, const char *sql, int n,
		     const char *const *vals)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);

	if (PQresultStatus(res) == want)
		return res;
	log_errorf(__func__, "%s", PQerrorMessage(c));
	PQclear(res);
	return NULL;
}

/* Runs a statement that returns no rows. Returns 0, or -1 (logged). */
static int run_cmd(PGconn *c, const char *sql, int n, const char *const *vals)
{
	PGresult *res = run(c, PGRES_COMMAND_OK, sql, n, vals);

	PQclear(res);
	return res != NULL ? 0 : -1;
}

/* ---- the list ------------------------------------------------------------------------- */

/* The list's filters, sort and page, as read from a query string (pointers into it). */
struct users_query {
	const char *q;                  /* "" for no search */
	const struct choice *role;      /* NULL for every role */
	const struct choice *status;    /* NULL for every status */
	const struct choice *sort;
	long page;                      /* from 1 */
};

/* The value of `name` in l: NULL when absent or empty, and *dup set when it is given twice. */
static const char *query_value(const struct kvlist *l, const char *name, bool *dup)
{
	const char *v = kv_get(l, name);

	if (kv_count(l, name) > 1)
		*dup = true;
	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* Reads the list's parameters from l. Returns 0, or -1 with *problem set to what is wrong (a
 * sentence for the 400 page). */
static int users_query_parse(const struct kvlist *l, struct users_query *uq, const char **problem)
{
	bool dup = false;
	const char *q = query_value(l, "q", &dup), *role = query_value(l, "role", &dup);
	const char *status = query_value(l, "status", &dup), *sort = query_value(l, "sort", &dup);
	const char *page = query_value(l, "page", &dup);

	uq->q = q != NULL ? q : "";
	uq->role = choice_find(roles, NCHOICES(roles), role);
	uq->status = choice_find(statuses, NCHOICES(statuses), status);
	uq->sort = sort != NULL ? choice_find(sorts, NCHOICES(sorts), sort) : &sorts[0];
	uq->page = page != NULL ? (long)http_id_parse(page) : 1;
	if (dup)
		*problem = "Give each of search, role, status, sort and page at most once.";
	else if (utf8_chars(uq->q) > SEARCH_MAX_CHARS)
		*problem = "The search must be 200 characters or fewer.";
	else if (role != NULL && uq->role == NULL)
		*problem = "There is no such role. Choose candidate, school staff, HR or "
			   "administrator.";
	else if (status != NULL && uq->status == NULL)
		*problem = "There is no such status. Choose active, invited, unverified or "
			   "disabled.";
	else if (uq->sort == NULL)
		*problem = "The list can be sorted by name, email or created (newest first) only.";
	else if (uq->page < 1 || uq->page > USERS_MAX_PAGE)
		*problem = "The page number must be a whole number from 1 to 1000000.";
	else
		return 0;
	return -1;
}

/* Appends "?name=value" or "&name=value" to the address in b. */
static void query_add(struct buf *b, const char *name, const char *value)
{
	buf_putc(b, strchr(buf_str(b), '?') != NULL ? '&' : '?');
	buf_puts(b, name);
	buf_putc(b, '=');
	url_encode(b, value);
}

/* Appends /hr/users with uq's filters and sort (only those that differ from the defaults) and,
 * when page > 1, the page. */
static void users_url(struct buf *b, const struct users_query *uq, long page)
{
	char n[24];

	buf_puts(b, "/hr/users");
	if (uq->q[0] != '\0')
		query_add(b, "q", uq->q);
	if (uq->role != NULL)
		query_add(b, "role", uq->role->value);
	if (uq->status != NULL)
		query_add(b, "status", uq->status->value);
	if (uq->sort != &sorts[0])
		query_add(b, "sort", uq->sort->value);
	if (page > 1) {
		snprintf(n, sizeof n, "%ld", page);
		query_add(b, "page", n);
	}
}

/* Sets obj[key] to the address of the list at `page`. Returns 0 or -1. */
static int set_url(json_t *obj, const char *key, const struct users_query *uq, long page)
{
	struct buf b = { 0 };
	int rc;

	users_url(&b, uq, page);
	rc = buf_failed(&b) ? -1 : json_object_set_new(obj, key, json_string(buf_str(&b)));
	buf_free(&b);
	return rc;
}

/* page_url_fn for the user list's pages (pagination.h). */
static void users_page_url(struct buf *b, long page, const void *uq)
{
	users_url(b, uq, page);
}

/* The list's filter conditions: $1 search, $2 role, $3 status ("" = any). */
static const char users_where[] =
	" WHERE ($1 = '' OR strpos(lower(u.name), lower($1)) > 0"
	" OR strpos(lower(u.email), lower($1)) > 0)"
	" AND ($2 = '' OR u.role = $2)"
	" AND ($3 = '' OR " USER_STATUS_SQL " = $3)";

/* One row of the list as the template shows it, with what the request's user may do to it.
 * Columns: id, name, email, role, status, created, memberships (JSON). NULL when out of memory
 * or the memberships cannot be read. */
static json_t *user_row(const struct req *r, const PGresult *res, int i)
{
	long long id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
	const char *role = PQgetvalue(res, i, 3), *status = PQgetvalue(res, i, 4);
	const struct choice *st = choice_find(statuses, NCHOICES(statuses), status);
	bool self = id == r->user->id, disabled = strcmp(status, "disabled") == 0;
	bool manage = may_grant(r, role) && !self;
	json_t *schools, *s;
	const char *label;
	size_t k;

	schools = json_loads(PQgetvalue(res, i, 6), 0, NULL);
	json_array_foreach(schools, k, s) {
		label = choice_label(school_roles, NCHOICES(school_roles),
				     json_string_value(json_object_get(s, "role")));
		if (json_object_set_new(s, "role_label", json_string(label)) != 0)
			break;
	}
	/* user_name too: inside memberships, {{name}} is the school's */
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, "
			 "s:b, s:b, s:o, s:o}",
			 "id", (json_int_t)id, "name", PQgetvalue(res, i, 1),
			 "user_name", PQgetvalue(res, i, 1),
			 "email", PQgetvalue(res, i, 2), "role", role,
			 "role_label", choice_label(roles, NCHOICES(roles), role),
			 "status_label", st != NULL ? st->label : status,
			 "status_class", st != NULL ? st->extra : "",
			 "created", PQgetvalue(res, i, 5),
			 "is_self", self, "is_staff", strcmp(role, "school_staff") == 0,
			 "can_disable", manage && !disabled, "can_enable", manage && disabled,
			 "can_reinvite", manage && strcmp(status, "invited") == 0 &&
				 strcmp(role, "candidate") != 0,
			 "can_change_role", manage, "has_memberships", json_array_size(schools) > 0,
			 "role_options", grantable_roles(r, role, false),
			 "memberships", schools);
}

/* Counts the users matching uq, moves uq->page back to the last page when beyond it, and adds
 * users (one page), total, total_one, page, pages and the pagination addresses to model.
 * Returns 0, or -1 (logged) on a database error or when out of memory. */
static int users_load(struct req *r, PGconn *c, struct users_query *uq, json_t *model)
{
	char offset[24], limit[24];
	const char *vals[5] = { uq->q, uq->role ? uq->role->value : "",
				uq->status ? uq->status->value : "", limit, offset };
	struct buf sql = { 0 };
	PGresult *res = NULL;
	json_t *list = NULL;
	long long total;
	long pages;
	int i, rc = -1;

	buf_puts(&sql, "SELECT count(*) FROM users u");
	buf_puts(&sql, users_where);
	if (buf_failed(&sql) || (res = run(c, PGRES_TUPLES_OK, buf_str(&sql), 3, vals)) == NULL)
		goto out;
	total = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	res = NULL;
	pages = total > 0 ? (long)((total + USERS_PAGE_SIZE - 1) / USERS_PAGE_SIZE) : 1;
	if (uq->page > pages)
		uq->page = pages;
	snprintf(limit, sizeof limit, "%d", USERS_PAGE_SIZE);
	snprintf(offset, sizeof offset, "%ld", (uq->page - 1) * USERS_PAGE_SIZE);

	buf_reset(&sql);
	buf_puts(&sql, "SELECT u.id, u.name, u.email, u.role, " USER_STATUS_SQL ", "
		       "to_char(u.created_at AT TIME ZONE 'Europe/London', 'FMDD Mon YYYY'), "
		       "coalesce((SELECT json_agg(json_build_object('urn', s.urn, 'name', s.name, "
		       "'role', m.role) ORDER BY s.name, s.urn) FROM school_memberships m "
		       "JOIN schools s ON s.urn = m.school_urn WHERE m.user_id = u.id), '[]') "
		       "FROM users u");
	buf_puts(&sql, users_where);
	buf_printf(&sql, " ORDER BY %s LIMIT $4::integer OFFSET $5::bigint", uq->sort->extra);
	if (buf_failed(&sql) || (res = run(c, PGRES_TUPLES_OK, buf_str(&sql), 5, vals)) == NULL)
		goto out;
	list = json_array();
	for (i = 0; list != NULL && i < PQntuples(res); i++)
		if (json_array_append_new(list, user_row(r, res, i)) != 0)
			goto out;
	if (list == NULL || json_object_set(model, "users", list) != 0 ||
	    json_object_set_new(model, "total", json_integer(total)) != 0 ||
	    json_object_set_new(model, "total_one", json_boolean(total == 1)) != 0 ||
	    json_object_set_new(model, "page", json_integer(uq->page)) != 0 ||
	    json_object_set_new(model, "first",
				json_integer((uq->page - 1) * USERS_PAGE_SIZE + 1)) != 0 ||
	    json_object_set_new(model, "last",
				json_integer((uq->page - 1) * USERS_PAGE_SIZE +
					     PQntuples(res))) != 0 ||
	    json_object_set_new(model, "pages", json_integer(pages)) != 0 ||
	    json_object_set_new(model, "paged", json_boolean(pages > 1)) != 0 ||
	    (pages > 1 &&
	     json_object_set_new(model, "pagination", pagination_model(uq->page, pages, users_page_url, uq)) != 0) ||
	    set_url(model, "return_to", uq, uq->page) != 0)
		goto out;
	rc = 0;
out:
	buf_free(&sql);
	PQclear(res);
	json_decref(list);
	return rc;
}

/* A new array of every school as {urn, name, selected} (selected: urn equals `selected`), by
 * name. NULL on a database error (logged) or when out of memory. */
static json_t *schools_options(PGconn *c, long long selected)
{
	PGresult *res = run(c, PGRES_TUPLES_OK, "SELECT urn, name FROM schools ORDER BY name, urn",
			    0, NULL);
	json_t *list = res != NULL ? json_array() : NULL;
	long long urn;
	int i;

	for (i = 0; list != NULL && i < PQntuples(res); i++) {
		urn = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		if (json_array_append_new(list, json_pack("{s:I, s:s, s:b}", "urn", (json_int_t)urn,
							  "name", PQgetvalue(res, i, 1),
							  "selected", urn == selected)) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	PQclear(res);
	return list;
}

/* The invitation form as sent (trimmed), or blank. */
struct invite {
	char name[4 * NAME_MAX_CHARS + 4];
	char email[256];
	const char *role;        /* as sent; NULL when absent */
	long long urn;           /* 0 when none or not a number */
	const char *school;      /* as sent */
	const char *school_role; /* as sent */
	char school_name[256];   /* the chosen school's name, once checked */
};

/* Renders the user list for uq with the invitation form (inv NULL: a blank form), its error
 * model (form_error() in accounts.h; NULL: none) and the banner asked for by the query string,
 * with HTTP status `status`. Returns the status sent. */
static int users_page(struct req *r, PGconn *c, struct users_query *uq, const struct invite *inv,
		      json_t *errors, int status)
{
	const char *done = kv_get(&r->query, "done");
	const struct choice *banner = choice_find(banners, NCHOICES(banners), done);
	json_t *model = NULL, *form = NULL, *schools = NULL;
	int rc;

	schools = schools_options(c, inv != NULL ? inv->urn : 0);
	model = json_object();
	if (schools == NULL || model == NULL || users_load(r, c, uq, model) != 0) {
		rc = http_send_error(r, 503, NULL);
		goto out;
	}
	form = json_pack("{s:s, s:s}", "name", inv != NULL ? inv->name : "",
			 "email", inv != NULL ? inv->email : "");
	if (form == NULL ||
	    json_object_set(model, "invite", form) != 0 ||
	    json_object_set_new(model, "invite_roles",
				grantable_roles(r, inv != NULL ? inv->role : "school_staff",
						true)) != 0 ||
	    json_object_set_new(model, "school_roles",
				choices_json(school_roles, NCHOICES(school_roles),
					     inv != NULL ? inv->school_role : NULL)) != 0 ||
	    json_object_set(model, "school_options", schools) != 0 ||
	    json_object_set_new(model, "q", json_string(uq->q)) != 0 ||
	    json_object_set_new(model, "role_filters",
				choices_json(roles, NCHOICES(roles),
					     uq->role ? uq->role->value : NULL)) != 0 ||
	    json_object_set_new(model, "status_filters",
				choices_json(statuses, NCHOICES(statuses),
					     uq->status ? uq->status->value : NULL)) != 0 ||
	    json_object_set_new(model, "sort_options",
				choices_json(sorts, NCHOICES(sorts), uq->sort->value)) != 0 ||
	    json_object_set_new(model, "filtered",
				json_boolean(uq->q[0] != '\0' || uq->role != NULL ||
					     uq->status != NULL)) != 0 ||
	    (errors != NULL && json_object_update(model, errors) != 0) ||
	    (kv_get(&r->query, "invited") != NULL &&
	     json_object_set_new(model, "invited", json_true()) != 0) ||
	    (banner != NULL &&
	     json_object_set_new(model, "banner", json_string(banner->label)) != 0)) {
		rc = http_send_error(r, 500, NULL);
		goto out;
	}
	rc = view_render(r, status, "hr/users", model);
out:
	json_decref(schools);
	json_decref(form);
	json_decref(model);
	return rc;
}

/* GET /hr/users: the list (?q, role, status, sort, page; 400 for a bad value) and the
 * invitation form. */
int hr_users(struct req *r)
{
	struct users_query uq;
	const char *problem;
	PGconn *c;

	if (users_query_parse(&r->query, &uq, &problem) != 0)
		return http_send_error(r, 400, problem);
	c = req_db(r);
	if (c == NULL)
		return http_send_error(r, 503, NULL);
	return users_page(r, c, &uq, NULL, NULL, 200);
}

/* ---- back to the list ----------------------------------------------------------------- */

/* Reads the list the form came from into uq: its return_to field when that is the list
 * (/hr/users, with a query string that parses as the list's), else the plain list. uq points
 * into q (free it after). Anything else in return_to (another path, another site) is
 * ignored. */
static void return_query(struct req *r, struct kvlist *q, struct users_query *uq)
{
	const char *rt = kv_get(&r->form, "return_to"), *problem;

	*uq = (struct users_query){ .q = "", .sort = &sorts[0], .page = 1 };
	if (rt != NULL && strncmp(rt, "/hr/users?", 10) == 0 &&
	    form_parse(rt + 10, strlen(rt + 10), q) == 0 &&
	    users_query_parse(q, uq, &problem) != 0)
		*uq = (struct users_query){ .q = "", .sort = &sorts[0], .page = 1 };
}

/* Answers 303 to the list the form came from: its return_to field when that is the list
 * (/hr/users, with a query string that parses as the list's), else the plain list; plus
 * done=<done> for the banner. Anything else in return_to (another path, another site) is
 * ignored, so it cannot redirect elsewhere. Returns the status sent. */
static int users_redirect(struct req *r, const char *done)
{
	struct users_query uq;
	struct kvlist q = { 0 };
	struct buf b = { 0 };
	int rc;

	return_query(r, &q, &uq);
	users_url(&b, &uq, uq.page);
	query_add(&b, "done", done);
	rc = buf_failed(&b) ? http_send_error(r, 500, NULL) : http_redirect(r, buf_str(&b));
	buf_free(&b);
	kv_free(&q);
	return rc;
}

/* ---- invitations ---------------------------------------------------------------------- */

/* True when s holds a control character (line breaks, tabs, DEL). */
static bool has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* Reads and checks the invitation form into inv, adding a message per wrong field to the
 * error model errs (form_error). Returns 0 (the form may have errors), or -1 on a database
 * error or when out of memory. */
static int invite_read(struct req *r, PGconn *c, struct invite *inv, json_t *errs)
{
	int name_len = form_text(r, "name", inv->name, sizeof inv->name);
	const char *email_problem = form_email(r, "email", inv->email, "Enter an email address");
	const struct choice *role;
	const char *vals[1];
	char urn[24];
	PGresult *res;
	int rc = 0;

	inv->role = kv_get(&r->form, "role");
	inv->school = kv_get(&r->form, "school");
	inv->school_role = kv_get(&r->form, "school_role");
	inv->urn = http_id_parse(inv->school);
	role = choice_find(roles, NCHOICES(roles), inv->role);

	if (name_len < 0 || utf8_chars(inv->name) > NAME_MAX_CHARS)
		rc |= form_error(errs, "invite-name", "Full name must be 200 characters or fewer");
	else if (name_len == 0)
		rc |= form_error(errs, "invite-name", "Enter the user's full name");
	else if (has_control(inv->name))
		rc |= form_error(errs, "invite-name",
				 "Full name must not include line breaks or tabs");
	if (email_problem != NULL) {
		rc |= form_error(errs, "invite-email", email_problem);
	} else {
		vals[0] = inv->email;
		res = run(c, PGRES_TUPLES_OK,
			  "SELECT password_hash IS NULL AND role <> 'candidate' FROM users "
			  "WHERE lower(email) = lower($1)", 1, vals);
		if (res == NULL)
			return -1;
		if (PQntuples(res) > 0)
			rc |= form_error(errs, "invite-email",
					 PQgetvalue(res, 0, 0)[0] == 't'
						 ? "This person has been invited already. To send "
						   "the invitation again, find them in the list "
						   "and select Send invitation again"
						 : "A user with this email address already exists");
		PQclear(res);
	}
	if (role == NULL || strcmp(role->value, "candidate") == 0)
		rc |= form_error(errs, "invite-role", "Select a role");
	else if (!may_grant(r, role->value))
		rc |= form_error(errs, "invite-role",
				 "Only an administrator can invite an administrator");
	if (role != NULL && strcmp(role->value, "school_staff") == 0) {
		snprintf(urn, sizeof urn, "%lld", inv->urn);
		vals[0] = urn;
		res = run(c, PGRES_TUPLES_OK, "SELECT name FROM schools WHERE urn = $1::bigint", 1,
			  vals);
		if (res == NULL)
			return -1;
		if (PQntuples(res) == 1)
			snprintf(inv->school_name, sizeof inv->school_name, "%s",
				 PQgetvalue(res, 0, 0));
		else
			rc |= form_error(errs, "invite-school", "Select the school they work at");
		PQclear(res);
		if (choice_find(school_roles, NCHOICES(school_roles), inv->school_role) == NULL)
			rc |= form_error(errs, "invite-school-role",
					 "Select what they can do at the school");
	}
	return rc != 0 ? -1 : 0;
}

/* Issues user uid an invitation token (revoking any earlier one) and queues the invitation
 * email to email, from the request's user, in the caller's transaction: role is the user's
 * role, schools the names of their schools ("" for none). Returns 0 or -1. */
static int invitation_send(struct req *r, PGconn *c, long long uid, const char *email,
			   const char *name, const char *role, const char *schools)
{
	char token[TOKEN_LEN + 1] = "";
	struct buf link = { 0 };
	json_t *mail = NULL;
	int rc = -1;

	if (token_issue(c, uid, "invitation", INVITE_TTL_SECONDS, NULL, token) != 0)
		goto out;
	buf_puts(&link, "/account/password/reset?token=");
	buf_puts(&link, token);
	mail = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", name, "inviter_name",
			 r->user->name, "role_label", choice_label(roles, NCHOICES(roles), role),
			 "school_names", schools, "link", buf_str(&link));
	if (buf_failed(&link) || mail == NULL || mail_enqueue(c, email, "invitation", mail) != 0)
		goto out;
	rc = 0;
out:
	if (link.data != NULL)
		OPENSSL_cleanse(link.data, link.len);
	OPENSSL_cleanse(token, sizeof token);
	buf_free(&link);
	json_decref(mail);
	return rc;
}

/* Creates the invited user (no password, not verified), their school membership (school
 * staff), an invitation token and the invitation email, and audits user.invite (and
 * membership.add): all in one transaction. inv has been checked by invite_read. Returns 0, 1
 * when the email address is taken (a race with another invitation or registration), or -1
 * (logged). */
static int invite_create(struct req *r, PGconn *c, const struct invite *inv)
{
	bool staff = strcmp(inv->role, "school_staff") == 0;
	char uid[24], urn[24];
	const char *vals[3], *state;
	json_t *detail = NULL;
	PGresult *res = NULL;
	bool open = false;
	int rc = -1;

	if (db_tx(c, "BEGIN") != 0)
		goto out;
	open = true;
	vals[0] = inv->email;
	vals[1] = inv->name;
	vals[2] = inv->role;
	res = PQexecParams(c, "INSERT INTO users (email, name, role) VALUES ($1, $2, $3) "
			      "RETURNING id", 3, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (state != NULL && strcmp(state, "23505") == 0)
			rc = 1;
		else
			log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	snprintf(uid, sizeof uid, "%s", PQgetvalue(res, 0, 0));
	snprintf(urn, sizeof urn, "%lld", inv->urn);
	if (staff) {
		vals[0] = uid;
		vals[1] = urn;
		vals[2] = inv->school_role;
		if (run_cmd(c, "INSERT INTO school_memberships (user_id, school_urn, role) "
			       "VALUES ($1, $2, $3)", 3, vals) != 0)
			goto out;
	}
	if (invitation_send(r, c, strtoll(uid, NULL, 10), inv->email, inv->name, inv->role,
			    staff ? inv->school_name : "") != 0)
		goto out;
	detail = json_pack("{s:s, s:s}", "email", inv->email, "role", inv->role);
	if (detail == NULL || audit(c, r, "user.invite", NULL, "user", uid, detail) != 0)
		goto out;
	json_decref(detail);
	detail = NULL;
	if (staff) {
		detail = json_pack("{s:I, s:s, s:s}", "school", (json_int_t)inv->urn, "school_name",
				   inv->school_name, "role", inv->school_role);
		if (detail == NULL || audit(c, r, "membership.add", NULL, "user", uid, detail) != 0)
			goto out;
	}
	open = false;
	if (db_tx(c, "COMMIT") != 0)
		goto out;
	rc = 0;
out:
	if (open)
		db_tx(c, "ROLLBACK");
	json_decref(detail);
	PQclear(res);
	return rc;
}

/* POST /hr/users/invite: 303 to /hr/users?invited=1, or the list again with the form's errors
 * (422). */
int hr_users_invite(struct req *r)
{
	struct users_query uq = { .q = "", .sort = &sorts[0], .page = 1 };
	struct invite inv = { 0 };
	json_t *errs = json_object();
	PGconn *c = req_db(r);
	int rc, status;

	if (c == NULL || errs == NULL || invite_read(r, c, &inv, errs) != 0) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if (!form_has_errors(errs)) {
		rc = invite_create(r, c, &inv);
		if (rc == 0) {
			status = http_redirect(r, "/hr/users?invited=1");
			goto out;
		}
		if (rc < 0 || form_error(errs, "invite-email",
					 "A user with this email address already exists") != 0) {
			status = http_send_error(r, 503, NULL);
			goto out;
		}
	}
	status = users_page(r, c, &uq, &inv, errs, 422);
out:
	json_decref(errs);
	return status;
}

/* ---- actions on one user -------------------------------------------------------------- */

/* The user an action is about, read with its row locked. */
struct target {
	long long id;
	char id_s[24];
	char name[4 * NAME_MAX_CHARS + 4];
	char email[256];
	char role[16];
	bool disabled;
};

/* What an action decided: refused (status and message for the error page) or done (the banner
 * to show on the list). */
struct outcome {
	int status;
	const char *message;
	const char *done;
};

/* Refuses the action with status and message. Returns 0 (the action itself did not fail). */
static int refuse(struct outcome *o, int status, const char *message)
{
	o->status = status;
	o->message = message;
	return 0;
}

/* Applies an action to t inside the caller's transaction, or refuses it through o. Returns 0,
 * or -1 on a database error (logged). */
typedef int (*user_action_fn)(struct req *r, PGconn *c, const struct target *t,
			      struct outcome *o);

/* Reads user t->id with its row locked. Returns 1 when found, 0 when there is no such user, -1
 * on a database error. */
static int target_lock(PGconn *c, struct target *t)
{
	const char *vals[1] = { t->id_s };
	PGresult *res = run(c, PGRES_TUPLES_OK,
			    "SELECT name, email, role, disabled_at IS NOT NULL FROM users "
			    "WHERE id = $1::bigint FOR UPDATE", 1, vals);
	int rc;

	if (res == NULL)
		return -1;
	rc = PQntuples(res) == 1;
	if (rc) {
		snprintf(t->name, sizeof t->name, "%s", PQgetvalue(res, 0, 0));
		snprintf(t->email, sizeof t->email, "%s", PQgetvalue(res, 0, 1));
		snprintf(t->role, sizeof t->role, "%s", PQgetvalue(res, 0, 2));
		t->disabled = PQgetvalue(res, 0, 3)[0] == 't';
	}
	PQclear(res);
	return rc;
}

/* The list the form came from again, with status and message in its error summary, linked to
 * the user's row (user-<id>): an action refused changes nothing and leaves HR where they were.
 * Returns the status sent. */
static int refused_page(struct req *r, PGconn *c, long long id, int status, const char *message)
{
	struct users_query uq;
	struct kvlist q = { 0 };
	json_t *errs = json_object();
	char row[32];
	int rc;

	snprintf(row, sizeof row, "user-%lld", id);
	return_query(r, &q, &uq);
	if (errs == NULL || form_error(errs, row, message) != 0)
		rc = http_send_error(r, 500, NULL);
	else
		rc = users_page(r, c, &uq, NULL, errs, status);
	json_decref(errs);
	kv_free(&q);
	return rc;
}

/* Runs fn on the user named by the path's {id} in one transaction: 404 for an unknown user, the
 * action's refusal as an error page (nothing changed), else commit and 303 back to the list.
 * Returns the status sent. */
static int user_action(struct req *r, user_action_fn fn)
{
	struct target t = { .id = http_id_parse(r->params[0]) };
	struct outcome o = { 0 };
	PGconn *c;
	bool open = false;
	int err = 0, found;

	if (t.id <= 0)
		return http_send_error(r, 404, NULL);
	c = req_db(r);
	if (c == NULL)
		return http_send_error(r, 503, NULL);
	snprintf(t.id_s, sizeof t.id_s, "%lld", t.id);
	err = 503;
	if (db_tx(c, "BEGIN") != 0)
		goto out;
	open = true;
	found = target_lock(c, &t);
	if (found <= 0) {
		err = found == 0 ? 404 : 503;
		goto out;
	}
	if (fn(r, c, &t, &o) != 0)
		goto out;
	if (o.status != 0) {
		err = o.status;
		goto out;
	}
	open = false;
	if (db_tx(c, "COMMIT") != 0)
		goto out;
	err = 0;
out:
	if (open)
		db_tx(c, "ROLLBACK");
	if (err != 0 && err == o.status && o.message != NULL)
		return refused_page(r, c, t.id, o.status, o.message);
	if (err != 0)
		return http_send_error(r, err, NULL);
	return users_redirect(r, o.done);
}

/* True when the request's user may act on t's account at all: not their own, and an
 * administrator's only when they are one. On false, o says why. */
static bool may_manage(const struct req *r, const struct target *t, struct outcome *o,
		       const char *self_message, const char *admin_message)
{
	if (t->id == r->user->id)
		refuse(o, 403, self_message);
	else if (strcmp(t->role, "admin") == 0 && r->user->role != ROLE_ADMIN)
		refuse(o, 403, admin_message);
	return o->status == 0;
}

/* Disables t: no sign-in, every session ended, an email to say so. */
static int act_disable(struct req *r, PGconn *c, const struct target *t, struct outcome *o)
{
	const char *vals[1] = { t->id_s };
	json_t *mail = NULL;
	int rc = -1;

	o->done = "disabled";
	if (!may_manage(r, t, o, "You cannot disable your own account.",
			"Only an administrator can disable an administrator's account."))
		return 0;
	if (t->disabled)
		return 0;
	if (run_cmd(c, "UPDATE users SET disabled_at = now() WHERE id = $1::bigint", 1,
		    vals) != 0 ||
	    session_end_all(c, t->id, 0) < 0)
		goto out;
	mail = json_pack("{s:s}", "name", t->name);
	if (mail == NULL || mail_enqueue(c, t->email, "account_disabled", mail) != 0)
		goto out;
	rc = audit(c, r, "user.disable", NULL, "user", t->id_s, NULL);
out:
	json_decref(mail);
	return rc;
}

/* Sends invited user t (no password chosen yet) a new invitation: a new link, the earlier
 * one revoked. */
static int act_reinvite(struct req *r, PGconn *c, const struct target *t, struct outcome *o)
{
	const char *vals[1] = { t->id_s };
	PGresult *res;
	int rc = -1;

	o->done = "reinvited";
	if (!may_manage(r, t, o, "You cannot invite yourself.",
			"Only an administrator can invite an administrator."))
		return 0;
	if (t->disabled)
		return refuse(o, 409, "The account is disabled. Enable it first, then send the "
				      "invitation again.");
	res = run(c, PGRES_TUPLES_OK,
		  "SELECT u.password_hash IS NULL, coalesce((SELECT string_agg(s.name, ', ' "
		  "ORDER BY s.name) FROM school_memberships m JOIN schools s ON s.urn = "
		  "m.school_urn WHERE m.user_id = u.id), '') FROM users u WHERE u.id = $1::bigint",
		  1, vals);
	if (res == NULL)
		return -1;
	if (strcmp(t->role, "candidate") == 0 || PQgetvalue(res, 0, 0)[0] != 't')
		rc = refuse(o, 409, "They have already accepted the invitation and chosen a "
				    "password. If they have forgotten it, they can reset it from "
				    "the sign-in page.");
	else if (invitation_send(r, c, t->id, t->email, t->name, t->role,
				 PQgetvalue(res, 0, 1)) == 0)
		rc = audit(c, r, "user.reinvite", NULL, "user", t->id_s, NULL);
	PQclear(res);
	return rc;
}

/* POST /hr/users/{id}/reinvite */
int hr_users_reinvite(struct req *r)
{
	return user_action(r, act_reinvite);
}

/* Enables t again. */
static int act_enable(struct req *r, PGconn *c, const struct target *t, struct outcome *o)
{
	const char *vals[1] = { t->id_s };

	o->done = "enabled";
	if (!may_manage(r, t, o, "You cannot enable your own account.",
			"Only an administrator can enable an administrator's account."))
		return 0;
	if (!t->disabled)
		return 0;
	if (run_cmd(c, "UPDATE users SET disabled_at = NULL WHERE id = $1::bigint", 1, vals) != 0)
		return -1;
	return audit(c, r, "user.enable", NULL, "user", t->id_s, NULL);
}

/* Changes t's role to the form's `role`. Leaving school staff ends their school memberships;
 * any change ends their sessions (a new session id at the next sign-in). */
static int act_role(struct req *r, PGconn *c, const struct target *t, struct outcome *o)
{
	const struct choice *to = choice_find(roles, NCHOICES(roles), kv_get(&r->form, "role"));
	const char *vals[2] = { t->id_s, to != NULL ? to->value : "" };
	PGresult *res = NULL;
	json_t *detail = NULL;
	long long urn;
	int i, rc = -1;

	o->done = "role";
	if (to == NULL)
		return refuse(o, 400, "Choose a role from the list.");
	if (!may_manage(r, t, o, "You cannot change your own role.",
			"Only an administrator can change an administrator's role."))
		return 0;
	if (!may_grant(r, to->value))
		return refuse(o, 403, "Only an administrator can make someone an administrator.");
	if (strcmp(to->value, t->role) == 0)
		return 0;
	if (run_cmd(c, "UPDATE users SET role = $2 WHERE id = $1::bigint", 2, vals) != 0)
		goto out;
	res = run(c, PGRES_TUPLES_OK, "DELETE FROM school_memberships m USING schools s WHERE "
				      "m.user_id = $1::bigint AND s.urn = m.school_urn "
				      "RETURNING m.school_urn, s.name, m.role", 1, vals);
	if (res == NULL)
		goto out;
	for (i = 0; i < PQntuples(res); i++) {
		urn = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		detail = json_pack("{s:I, s:s, s:s, s:s}", "school", (json_int_t)urn,
				   "school_name", PQgetvalue(res, i, 1),
				   "role", PQgetvalue(res, i, 2), "reason", "role change");
		if (detail == NULL || audit(c, r, "membership.remove", NULL, "user", t->id_s,
					    detail) != 0)
			goto out;
		json_decref(detail);
		detail = NULL;
	}
	if (session_end_all(c, t->id, 0) < 0)
		goto out;
	detail = json_pack("{s:s, s:s}", "from", t->role, "to", to->value);
	if (detail == NULL || audit(c, r, "user.role_change", NULL, "user", t->id_s, detail) != 0)
		goto out;
	rc = 0;
out:
	PQclear(res);
	json_decref(detail);
	return rc;
}

/* Gives school staff t the form's school with the form's membership role (or changes the role
 * at a school they already have), and ends their sessions: more access, a new session. */
static int act_add_school(struct req *r, PGconn *c, const struct target *t, struct outcome *o)
{
	long long urn = http_id_parse(kv_get(&r->form, "school"));
	const struct choice *role = choice_find(school_roles, NCHOICES(school_roles),
						kv_get(&r->form, "school_role"));
	char urn_s[24];
	const char *vals[3] = { t->id_s, urn_s, role != NULL ? role->value : "" };
	PGresult *res = NULL;
	json_t *detail = NULL;
	int rc = -1;

	o->done = "school_added";
	if (strcmp(t->role, "school_staff") != 0)
		return refuse(o, 400, "Only school staff belong to schools. Change the user's "
				      "role to school staff first.");
	if (role == NULL)
		return refuse(o, 400, "Choose hiring manager or viewer.");
	snprintf(urn_s, sizeof urn_s, "%lld", urn);
	res = run(c, PGRES_TUPLES_OK, "SELECT s.name, m.role FROM schools s LEFT JOIN "
				      "school_memberships m ON m.school_urn = s.urn AND "
				      "m.user_id = $1::bigint WHERE s.urn = $2::bigint", 2, vals);
	if (res == NULL)
		goto out;
	if (PQntuples(res) != 1) {
		rc = refuse(o, 400, "Choose a school from the list.");
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 1), role->value) == 0) {
		rc = 0;
		goto out;
	}
	detail = json_pack("{s:I, s:s, s:s}", "school", (json_int_t)urn, "school_name",
			   PQgetvalue(res, 0, 0), "role", role->value);
	if (detail == NULL ||
	    (!PQgetisnull(res, 0, 1) &&
	     json_object_set_new(detail, "from", json_string(PQgetvalue(res, 0, 1))) != 0))
		goto out;
	if (run_cmd(c, "INSERT INTO school_memberships (user_id, school_urn, role) VALUES "
		       "($1::bigint, $2::integer, $3) ON CONFLICT (user_id, school_urn) DO UPDATE "
		       "SET role = EXCLUDED.role", 3, vals) != 0 ||
	    session_end_all(c, t->id, 0) < 0 ||
	    audit(c, r, "membership.add", NULL, "user", t->id_s, detail) != 0)
		goto out;
	rc = 0;
out:
	PQclear(res);
	json_decref(detail);
	return rc;
}

/* Takes the school {urn} of the path away from t (404 when they do not have it). */
static int act_remove_school(struct req *r, PGconn *c, const struct target *t, struct outcome *o)
{
	long long urn = http_id_parse(r->params[1]);
	char urn_s[24];
	const char *vals[2] = { t->id_s, urn_s };
	PGresult *res;
	json_t *detail = NULL;
	int rc = -1;

	o->done = "school_removed";
	if (urn <= 0)
		return refuse(o, 404, NULL);
	snprintf(urn_s, sizeof urn_s, "%lld", urn);
	res = run(c, PGRES_TUPLES_OK, "DELETE FROM school_memberships m USING schools s WHERE "
				      "m.user_id = $1::bigint AND m.school_urn = $2::bigint AND "
				      "s.urn = m.school_urn RETURNING s.name, m.role", 2, vals);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		rc = refuse(o, 409,
			    "They do not have that school (any more): nothing was changed.");
		goto out;
	}
	detail = json_pack("{s:I, s:s, s:s}", "school", (json_int_t)urn, "school_name",
			   PQgetvalue(res, 0, 0), "role", PQgetvalue(res, 0, 1));
	rc = detail != NULL ? audit(c, r, "membership.remove", NULL, "user", t->id_s, detail) : -1;
out:
	PQclear(res);
	json_decref(detail);
	return rc;
}

/* POST /hr/users/{id}/disable, /enable, /role, /schools, /schools/{urn}/remove: see the act_
 * functions above; 303 back to the list. */
int hr_users_disable(struct req *r)
{
	return user_action(r, act_disable);
}

int hr_users_enable(struct req *r)
{
	return user_action(r, act_enable);
}

int hr_users_role(struct req *r)
{
	return user_action(r, act_role);
}

int hr_users_add_school(struct req *r)
{
	return user_action(r, act_add_school);
}

int hr_users_remove_school(struct req *r)
{
	return user_action(r, act_remove_school);
}
