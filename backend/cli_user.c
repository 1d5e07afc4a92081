/* cli_user.c - `portal user add`: validates the options, then creates the user, its school
 * membership, an invitation token (when no password is given) and the audit entry in ONE
 * transaction. An operator vouches for the address, so it counts as verified. */
#include <errno.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "cli_user.h"
#include "db.h"
#include "mail.h"
#include "password.h"

#define INVITATION_TTL (7 * 24 * 3600)
#define NAME_MAX_CHARS 200

static const char usage[] =
	"Usage: portal user add --email EMAIL --role ROLE [--name NAME]\n"
	"                       [--school URN [--school-role hiring_manager|viewer]]\n"
	"                       [--password-file FILE]\n"
	"\n"
	"Creates an account whose email address counts as verified.\n"
	"\n"
	"  --email EMAIL         the sign-in address (unique, whatever its case)\n"
	"  --role ROLE           candidate, school_staff, hr or admin\n"
	"  --name NAME           the person's name (default: the part of EMAIL before @)\n"
	"  --school URN          school_staff only, and required for it: the school they serve\n"
	"  --school-role ROLE    hiring_manager (default) or viewer\n"
	"  --password-file FILE  set the password to the first line of FILE; without it, a\n"
	"                        one-time link to set one (valid 7 days) is printed\n";

struct user_add {
	const char *email;
	const char *role;
	const char *name;
	const char *school;
	const char *school_role;
	const char *password_file;
	char default_name[256];
};

/* Prints "portal: user add: <msg>" and the usage hint. Returns 2, the usage exit status. */
static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "portal: user add: %s%s\n(see `portal user add --help`)\n", msg,
		arg != NULL ? arg : "");
	return 2;
}

/* True when s is well-formed UTF-8 of 1..max_chars code points with no control characters. */
static bool text_valid(const char *s, size_t max_chars)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0, len, k;
	unsigned cp;

	while (*p != '\0') {
		if (*p < 0x80) {
			len = 1;
			cp = *p;
		} else if ((*p & 0xE0) == 0xC0) {
			len = 2;
			cp = *p & 0x1F;
		} else if ((*p & 0xF0) == 0xE0) {
			len = 3;
			cp = *p & 0x0F;
		} else if ((*p & 0xF8) == 0xF0) {
			len = 4;
			cp = *p & 0x07;
		} else {
			return false;
		}
		for (k = 1; k < len; k++) {
			if ((p[k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (p[k] & 0x3F);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp < 0x20 || cp == 0x7F ||
		    (cp >= 0x80 && cp < 0xA0))
			return false;
		p += len;
		chars++;
	}
	return chars > 0 && chars <= max_chars;
}

/* Parses argv (the words after "add") into o. Returns 0, 1 when --help was asked (usage
 * printed), or 2 after printing a usage error. */
static int parse_options(int argc, char **argv, struct user_add *o)
{
	static const char *const names[] = { "--email", "--role", "--name", "--school",
					     "--school-role", "--password-file" };
	const char **slots[] = { &o->email, &o->role, &o->name, &o->school, &o->school_role,
				 &o->password_file };
	enum role role;
	size_t k;
	int i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 1;
		}
		for (k = 0; k < sizeof names / sizeof names[0]; k++)
			if (strcmp(argv[i], names[k]) == 0)
				break;
		if (k == sizeof names / sizeof names[0])
			return usage_error("unknown option ", argv[i]);
		if (i + 1 >= argc)
			return usage_error("missing value for ", argv[i]);
		if (*slots[k] != NULL)
			return usage_error("option given twice: ", argv[i]);
		*slots[k] = argv[++i];
	}
	if (o->email == NULL || o->role == NULL)
		return usage_error("--email and --role are required", NULL);
	if (!mail_address_ok(o->email))
		return usage_error("--email: not an email address: ", o->email);
	if (role_parse(o->role, &role) != 0)
		return usage_error("--role: expected candidate, school_staff, hr or admin, not ",
				   o->role);
	if (role == ROLE_SCHOOL_STAFF && o->school == NULL)
		return usage_error("--role school_staff needs --school URN", NULL);
	if (role != ROLE_SCHOOL_STAFF && o->school != NULL)
		return usage_error("--school is only for --role school_staff", NULL);
	if (o->school_role != NULL && o->school == NULL)
		return usage_error("--school-role needs --school", NULL);
	if (o->school != NULL &&
	    (o->school[0] < '1' || o->school[0] > '9' || strlen(o->school) > 9 ||
	     strspn(o->school, "0123456789") != strlen(o->school)))
		return usage_error("--school: not a URN: ", o->school);
	if (o->school != NULL && o->school_role == NULL)
		o->school_role = "hiring_manager";
	if (o->school_role != NULL && strcmp(o->school_role, "hiring_manager") != 0 &&
	    strcmp(o->school_role, "viewer") != 0)
		return usage_error("--school-role: expected hiring_manager or viewer, not ",
				   o->school_role);
	if (o->name == NULL) {
		snprintf(o->default_name, sizeof o->default_name, "%.*s",
			 (int)(strchr(o->email, '@') - o->email), o->email);
		o->name = o->default_name;
	}
	if (!text_valid(o->name, NAME_MAX_CHARS))
		return usage_error("--name: 1 to 200 characters of text, no control characters",
				   NULL);
	return 0;
}

/* Reads the first line of o->password_file (without its line ending), checks it against the
 * policy for this email and name with the common_passwords list loaded, and hashes it into
 * hash. Returns 0, or 1 after printing why not. */
static int password_from_file(const struct user_add *o, char hash[PASSWORD_HASH_MAX])
{
	const char *problem;
	char *line = NULL, err[1024];
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int rc = 1;

	f = fopen(o->password_file, "r");
	if (f == NULL) {
		fprintf(stderr, "portal: user add: %s: %s\n", o->password_file, strerror(errno));
		return 1;
	}
	n = getline(&line, &cap, f);
	if (n < 0 && ferror(f)) {
		fprintf(stderr, "portal: user add: %s: read error\n", o->password_file);
		goto out;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (password_list_load(app.cfg.common_passwords, err, sizeof err) != 0) {
		fprintf(stderr, "portal: common_passwords: %s\n", err);
		goto out;
	}
	problem = password_policy(n > 0 ? line : "", o->email, o->name);
	password_list_free();
	if (problem != NULL) {
		fprintf(stderr, "portal: user add: %s: %s\n", o->password_file, problem);
		goto out;
	}
	if (password_hash(line, hash) != PASSWORD_OK) {
		fprintf(stderr, "portal: user add: could not hash the password\n");
		goto out;
	}
	rc = 0;
out:
	if (line != NULL)
		explicit_bzero(line, cap);
	free(line);
	fclose(f);
	return rc;
}

/* Runs one parameterised command that must succeed; on failure prints it (context: message)
 * and returns NULL. The caller clears the result. */
static PGresult *run(PGconn *c, const char *context, const char *sql, int n,
		     const char *const *vals)
{
	char err[512];
	PGresult *res = PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	db_error(err, sizeof err, context, c, res);
	fprintf(stderr, "portal: user add: %s\n", err);
	PQclear(res);
	return NULL;
}

/* The audit entry's detail: role, membership and whether a password was set. NULL when out of
 * memory. The caller owns the result. */
static json_t *invite_detail(const struct user_add *o, bool with_password)
{
	json_t *d = json_pack("{s:s, s:b}", "role", o->role, "password_set", with_password);

	if (d != NULL && o->school != NULL &&
	    (json_object_set_new(d, "school_urn", json_integer(strtol(o->school, NULL, 10))) != 0 ||
	     json_object_set_new(d, "school_role", json_string(o->school_role)) != 0)) {
		json_decref(d);
		return NULL;
	}
	return d;
}

/* Inserts the user (and membership, token, audit entry) in one transaction on c. hash is the
 * password's PHC string or NULL; then the invitation token is written into token. Returns 0
 * (*uid set), or 1 after printing why not (nothing changed). */
static int insert_user(PGconn *c, const struct user_add *o, const char *hash,
		       char token[TOKEN_LEN + 1], long long *uid)
{
	const char *vals[4], *state;
	char id[24], err[512];
	PGresult *res = NULL;
	json_t *detail = NULL;
	int rc = 1;

	res = run(c, "begin", "BEGIN", 0, NULL);
	if (res == NULL)
		return 1;
	PQclear(res);
	if (o->school != NULL) {
		vals[0] = o->school;
		res = run(c, "school", "SELECT 1 FROM schools WHERE urn = $1::integer", 1, vals);
		if (res == NULL)
			goto out;
		if (PQntuples(res) == 0) {
			fprintf(stderr, "portal: user add: there is no school with URN %s (is the "
					"database seeded? `portal seed`)\n", o->school);
			goto out;
		}
		PQclear(res);
	}
	vals[0] = o->email;
	vals[1] = o->name;
	vals[2] = o->role;
	vals[3] = hash;
	res = PQexecParams(c, "INSERT INTO users (email, name, role, password_hash, verified_at) "
			      "VALUES ($1, $2, $3, $4, now()) RETURNING id", 4, NULL, vals, NULL,
			   NULL, 0);
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (state != NULL && strcmp(state, "23505") == 0) {
		fprintf(stderr, "portal: user add: an account with the email address %s already "
				"exists\n", o->email);
		goto out;
	}
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_error(err, sizeof err, "insert user", c, res);
		fprintf(stderr, "portal: user add: %s\n", err);
		goto out;
	}
	*uid = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	res = NULL;
	snprintf(id, sizeof id, "%lld", *uid);
	if (o->school != NULL) {
		vals[0] = id;
		vals[1] = o->school;
		vals[2] = o->school_role;
		res = run(c, "insert membership", "INSERT INTO school_memberships (user_id, "
				  "school_urn, role) VALUES ($1, $2, $3)", 3, vals);
		if (res == NULL)
			goto out;
		PQclear(res);
		res = NULL;
	}
	if (hash == NULL && token_issue(c, *uid, "invitation", INVITATION_TTL, NULL, token) != 0) {
		fprintf(stderr, "portal: user add: could not issue the invitation token\n");
		goto out;
	}
	detail = invite_detail(o, hash != NULL);
	if (detail == NULL) {
		fprintf(stderr, "portal: user add: out of memory\n");
		goto out;
	}
	if (audit(c, NULL, "user.invite", "cli", "user", id, detail) != 0) {
		fprintf(stderr, "portal: user add: could not write the audit log\n");
		goto out;
	}
	res = run(c, "commit", "COMMIT", 0, NULL);
	if (res == NULL)
		goto out;
	rc = 0;
out:
	PQclear(res);
	json_decref(detail);
	if (rc != 0)
		PQclear(PQexec(c, "ROLLBACK"));
	return rc;
}

/* Opens the database named by the configuration. Prints why and returns NULL on failure. */
static PGconn *connect_db(void)
{
	char conninfo[CONFIG_PATH_MAX + 64], err[512];
	PGconn *c;

	if (config_conninfo(&app.cfg, conninfo, sizeof conninfo) != 0) {
		fprintf(stderr, "portal: database_url: too long\n");
		return NULL;
	}
	c = db_connect(conninfo, err, sizeof err);
	if (c == NULL)
		fprintf(stderr, "portal: database: %s\n", err);
	return c;
}

int cli_user(int argc, char **argv)
{
	struct user_add o = { 0 };
	char hash[PASSWORD_HASH_MAX] = "", token[TOKEN_LEN + 1] = "";
	size_t base_len = strlen(app.cfg.base_url);
	long long uid = 0;
	PGconn *c = NULL;
	int rc;

	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 1 || strcmp(argv[0], "add") != 0)
		return usage_error("expected `portal user add ...`", NULL);
	rc = parse_options(argc - 1, argv + 1, &o);
	if (rc != 0)
		return rc == 1 ? 0 : rc;
	if (o.password_file != NULL && password_from_file(&o, hash) != 0)
		return 1;
	c = connect_db();
	if (c == NULL) {
		rc = 1;
		goto out;
	}
	rc = insert_user(c, &o, o.password_file != NULL ? hash : NULL, token, &uid);
	if (rc != 0)
		goto out;
	printf("user add: created %s %s (id %lld)\n", o.role, o.email, uid);
	while (base_len > 0 && app.cfg.base_url[base_len - 1] == '/')
		base_len--;
	if (o.password_file != NULL)
		printf("user add: password set from %s\n", o.password_file);
	else
		printf("user add: one-time link to set the password (valid 7 days):\n"
		       "%.*s/account/password/reset?token=%s\n", (int)base_len, app.cfg.base_url,
		       token);
out:
	explicit_bzero(token, sizeof token);
	PQfinish(c);
	return rc;
}
