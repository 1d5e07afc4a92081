/* migrate.c - schema migrations: db_migrate() and db_migrations_pending(); see db.h.
 *
 * A migration is a file NNNN_name.sql (four digits, then letters, digits, '_' or '-') in the
 * migrations directory; its version is the file name without ".sql" (e.g. "0001_schools"), and
 * files apply in name order. schema_migrations records the applied versions.
 *
 * Each file runs in its own transaction together with the row that records it, after taking a
 * transaction-level advisory lock and re-checking the record under it: two `portal migrate` (or
 * two instances starting at once) serialise, and the second skips what the first applied. The
 * file body is sent with PQexec because it holds several statements - the one place we send SQL
 * text without parameters, and that text is ours, never user input. A migration therefore must
 * not contain BEGIN/COMMIT nor statements that cannot run in a transaction (CREATE INDEX
 * CONCURRENTLY). One that ends the transaction is reported as an error (what ran before its
 * COMMIT then stays committed but unrecorded: fix the file and migrate again).
 */
#include "db.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* pg_advisory_xact_lock key shared by every portal instance: 883 is Thurrock's LA code. */
#define MIGRATE_LOCK_SQL "SELECT pg_advisory_xact_lock(8830001)"

/* File names found in a migrations directory, sorted. */
struct migration_list {
	char **names;
	size_t len;
	size_t cap;
};

/* Frees the names and zeroes l. */
static void migration_list_free(struct migration_list *l)
{
	size_t i;

	for (i = 0; i < l->len; i++)
		free(l->names[i]);
	free(l->names);
	l->names = NULL;
	l->len = l->cap = 0;
}

/* True when name looks like NNNN_name.sql. */
static bool migration_name_ok(const char *name)
{
	size_t n = strlen(name), i;

	if (n < 10 || strcmp(name + n - 4, ".sql") != 0 || name[4] != '_')
		return false;
	for (i = 0; i < 4; i++)
		if (!isdigit((unsigned char)name[i]))
			return false;
	for (i = 5; i < n - 4; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' && name[i] != '-')
			return false;
	return true;
}

/* qsort comparator of two char * by strcmp. */
static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the *.sql files of dir into l, sorted by name. Returns 0, or -1 with err set when dir
 * cannot be read, a .sql file is misnamed, or memory runs out. The caller frees l. */
static int migration_list_read(const char *dir, struct migration_list *l, char *err,
			       size_t errlen)
{
	DIR *d;
	struct dirent *e;
	char **p;
	size_t n;
	int rc = -1;

	d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errlen, "cannot read migrations directory %s: %s", dir,
			 strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (n < 4 || strcmp(e->d_name + n - 4, ".sql") != 0)
			continue;
		if (!migration_name_ok(e->d_name)) {
			snprintf(err, errlen, "%s/%s: a migration is named NNNN_name.sql", dir,
				 e->d_name);
			goto out;
		}
		if (l->len == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 16;
			p = realloc(l->names, l->cap * sizeof(*p));
			if (p == NULL)
				goto oom;
			l->names = p;
		}
		l->names[l->len] = strdup(e->d_name);
		if (l->names[l->len] == NULL)
			goto oom;
		l->len++;
	}
	if (l->len > 0)
		qsort(l->names, l->len, sizeof(*l->names), name_cmp);
	rc = 0;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
out:
	closedir(d);
	return rc;
}

/* Reads the file dir/name into out (NUL-terminated). Returns 0, or -1 with err set when it
 * cannot be read, holds a NUL byte, or memory runs out. */
static int file_read(const char *dir, const char *name, struct buf *out, char *err,
		     size_t errlen)
{
	struct buf path = {0};
	char chunk[8192];
	FILE *f = NULL;
	size_t n;
	int rc = -1;

	buf_printf(&path, "%s/%s", dir, name);
	if (buf_failed(&path)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	f = fopen(buf_str(&path), "rb");
	if (f == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", buf_str(&path), strerror(errno));
		goto out;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(out, chunk, n);
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read %s", buf_str(&path));
		goto out;
	}
	if (buf_failed(out)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (strlen(buf_str(out)) != out->len) {
		snprintf(err, errlen, "%s: NUL byte in the file", buf_str(&path));
		goto out;
	}
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	buf_free(&path);
	return rc;
}

/* Runs sql (one fixed statement of ours, no parameters) and expects status want. Returns 0, or
 * -1 with "context: message" in err (err may be NULL). */
static int exec_expect(PGconn *c, const char *sql, ExecStatusType want, const char *context,
		       char *err, size_t errlen)
{
	PGresult *res = PQexecParams(c, sql, 0, NULL, NULL, NULL, NULL, 0);
	int rc = 0;

	if (PQresultStatus(res) != want) {
		db_error(err, errlen, context, c, res);
		rc = -1;
	}
	PQclear(res);
	return rc;
}

/* Creates schema_migrations when missing, under the migration lock. Returns 0, or -1 with err
 * set. */
static int migrations_table_ensure(PGconn *c, char *err, size_t errlen)
{
	if (exec_expect(c, "BEGIN", PGRES_COMMAND_OK, "begin", err, errlen) < 0)
		return -1;
	if (exec_expect(c, MIGRATE_LOCK_SQL, PGRES_TUPLES_OK, "migration lock", err, errlen) < 0 ||
	    exec_expect(c, "SET LOCAL client_min_messages = warning", PGRES_COMMAND_OK,
			"schema_migrations", err, errlen) < 0 ||
	    exec_expect(c,
			"CREATE TABLE IF NOT EXISTS schema_migrations ("
			" version text PRIMARY KEY,"
			" applied_at timestamptz NOT NULL DEFAULT now())",
			PGRES_COMMAND_OK, "schema_migrations", err, errlen) < 0 ||
	    exec_expect(c, "COMMIT", PGRES_COMMAND_OK, "commit", err, errlen) < 0) {
		exec_expect(c, "ROLLBACK", PGRES_COMMAND_OK, "rollback", NULL, 0);
		return -1;
	}
	return 0;
}

/* Applies migration `name` (file dir/name) unless already recorded: one transaction holding
 * the migration lock, the file's statements and the record. Sets *applied when it ran the file.
 * Returns 0, or -1 with err set (the transaction rolled back). */
static int migration_apply(PGconn *c, const char *dir, const char *name, bool *applied,
			   char *err, size_t errlen)
{
	const char *params[1];
	struct buf body = {0}, version = {0};
	PGresult *res = NULL;
	ExecStatusType st;
	bool in_tx = false;
	int rc = -1;

	*applied = false;
	buf_append(&version, name, strlen(name) - 4);
	if (buf_failed(&version)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	params[0] = buf_str(&version);
	if (file_read(dir, name, &body, err, errlen) < 0)
		goto out;
	if (exec_expect(c, "BEGIN", PGRES_COMMAND_OK, "begin", err, errlen) < 0)
		goto out;
	in_tx = true;
	if (exec_expect(c, MIGRATE_LOCK_SQL, PGRES_TUPLES_OK, "migration lock", err, errlen) < 0)
		goto out;
	res = PQexecParams(c, "SELECT 1 FROM schema_migrations WHERE version = $1", 1, NULL,
			   params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_error(err, errlen, "schema_migrations", c, res);
		goto out;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		res = PQexec(c, buf_str(&body));
		st = PQresultStatus(res);
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
			db_error(err, errlen, name, c, res);
			goto out;
		}
		if (PQtransactionStatus(c) != PQTRANS_INTRANS) {
			snprintf(err, errlen, "%s: a migration must not end the transaction", name);
			goto out;
		}
		PQclear(res);
		res = PQexecParams(c, "INSERT INTO schema_migrations (version) VALUES ($1)", 1,
				   NULL, params, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			db_error(err, errlen, "schema_migrations", c, res);
			goto out;
		}
		*applied = true;
	}
	in_tx = false;
	if (exec_expect(c, "COMMIT", PGRES_COMMAND_OK, name, err, errlen) < 0) {
		*applied = false;
		goto out;
	}
	rc = 0;
out:
	/* not when a bad migration already ended the transaction itself */
	if (in_tx && PQtransactionStatus(c) != PQTRANS_IDLE)
		exec_expect(c, "ROLLBACK", PGRES_COMMAND_OK, "rollback", NULL, 0);
	PQclear(res);
	buf_free(&body);
	buf_free(&version);
	return rc;
}

int db_migrate(PGconn *conn, const char *dir, bool verbose, char *err, size_t errlen)
{
	struct migration_list l = {0};
	bool applied;
	size_t i;
	int rc = -1;

	if (migration_list_read(dir, &l, err, errlen) < 0)
		goto out;
	if (migrations_table_ensure(conn, err, errlen) < 0)
		goto out;
	for (i = 0; i < l.len; i++) {
		if (migration_apply(conn, dir, l.names[i], &applied, err, errlen) < 0)
			goto out;
		if (applied && verbose)
			printf("applied %.*s\n", (int)(strlen(l.names[i]) - 4), l.names[i]);
	}
	if (verbose)
		fflush(stdout);
	rc = 0;
out:
	migration_list_free(&l);
	return rc;
}

int db_migrations_pending(PGconn *conn, const char *dir, char *err, size_t errlen)
{
	struct migration_list l = {0};
	PGresult *res = NULL;
	size_t i, len;
	int j, pending = 0, rc = -1;
	bool found;

	if (migration_list_read(dir, &l, err, errlen) < 0)
		goto out;
	/* a fresh database has no schema_migrations: then every file is pending */
	res = PQexecParams(conn, "SELECT to_regclass('schema_migrations') IS NOT NULL", 0, NULL,
			   NULL, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		db_error(err, errlen, "schema_migrations", conn, res);
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		rc = (int)l.len;
		goto out;
	}
	PQclear(res);
	res = PQexecParams(conn, "SELECT version FROM schema_migrations", 0, NULL, NULL, NULL,
			   NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_error(err, errlen, "schema_migrations", conn, res);
		goto out;
	}
	for (i = 0; i < l.len; i++) {
		len = strlen(l.names[i]) - 4;
		found = false;
		for (j = 0; j < PQntuples(res) && !found; j++)
			found = strncmp(PQgetvalue(res, j, 0), l.names[i], len) == 0 &&
				PQgetvalue(res, j, 0)[len] == '\0';
		if (!found)
			pending++;
	}
	rc = pending;
out:
	PQclear(res);
	migration_list_free(&l);
	return rc;
}
