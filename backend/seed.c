/* seed.c - the schools register loader; see seed.h. */
#include "seed.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "db.h"
#include "schools_data.h"

enum column {
	COL_URN,
	COL_NAME,
	COL_PHASE,
	COL_TYPE,
	COL_TOWN,
	COL_POSTCODE,
	COL_TRUST,
	COL_RELIGIOUS_CHARACTER,
	NCOLUMNS
};

/* Header names, in the order of the upsert's parameters $1..$8. */
static const char *const column_names[NCOLUMNS] = {
	"urn", "name", "phase", "type", "town", "postcode", "trust", "religious_character",
};

static const char upsert_sql[] =
	"INSERT INTO schools"
	" (urn, name, phase, type, town, postcode, trust, religious_character)"
	" VALUES ($1::integer, $2, $3, $4, $5, $6, $7, $8)"
	" ON CONFLICT (urn) DO UPDATE SET"
	" name = EXCLUDED.name, phase = EXCLUDED.phase, type = EXCLUDED.type,"
	" town = EXCLUDED.town, postcode = EXCLUDED.postcode, trust = EXCLUDED.trust,"
	" religious_character = EXCLUDED.religious_character"
	" WHERE (schools.name, schools.phase, schools.type, schools.town, schools.postcode,"
	" schools.trust, schools.religious_character)"
	" IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.phase, EXCLUDED.type, EXCLUDED.town,"
	" EXCLUDED.postcode, EXCLUDED.trust, EXCLUDED.religious_character)";

/* A URN seen in the file, and where, to report duplicates. */
struct seen {
	long urn;
	size_t line;
};

/* Reads the whole file at path into out. Returns 0, or -1 with err set. */
static int read_file(const char *path, struct buf *out, char *err, size_t errlen)
{
	char chunk[8192];
	FILE *f;
	size_t n;
	int rc = -1;

	f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(out, chunk, n);
	if (ferror(f))
		snprintf(err, errlen, "cannot read %s", path);
	else if (buf_failed(out))
		snprintf(err, errlen, "%s: out of memory", path);
	else
		rc = 0;
	fclose(f);
	return rc;
}

/* Maps the header record to map[column] = field index. Returns 0, or -1 with err set when a
 * column is unknown, repeated or missing. */
static int header_map(const struct csv_record *rec, const char *path, size_t line,
		      size_t map[NCOLUMNS], char *err, size_t errlen)
{
	bool found[NCOLUMNS] = {false};
	size_t i, c;

	for (i = 0; i < rec->nfields; i++) {
		for (c = 0; c < NCOLUMNS; c++)
			if (strcmp(csv_field(rec, i), column_names[c]) == 0)
				break;
		if (c == NCOLUMNS || found[c]) {
			snprintf(err, errlen, "%s:%zu: %s column \"%.40s\"", path, line,
				 c == NCOLUMNS ? "unknown" : "repeated", csv_field(rec, i));
			return -1;
		}
		found[c] = true;
		map[c] = i;
	}
	for (c = 0; c < NCOLUMNS; c++) {
		if (!found[c]) {
			snprintf(err, errlen, "%s:%zu: missing column \"%s\"", path, line,
				 column_names[c]);
			return -1;
		}
	}
	return 0;
}

/* Validates a data record and fills params (NULL for an empty field) and *urn. Returns 0, or -1
 * with err set. */
static int row_read(const struct csv_record *rec, const size_t map[NCOLUMNS], const char *path,
		    size_t line, const char *params[NCOLUMNS], long *urn, char *err,
		    size_t errlen)
{
	const char *s;
	size_t c, n;

	if (rec->nfields != NCOLUMNS) {
		snprintf(err, errlen, "%s:%zu: %zu fields, expected %d", path, line, rec->nfields,
			 NCOLUMNS);
		return -1;
	}
	for (c = 0; c < NCOLUMNS; c++) {
		s = csv_field(rec, map[c]);
		params[c] = *s != '\0' ? s : NULL;
	}
	s = csv_field(rec, map[COL_URN]);
	n = strspn(s, "0123456789");
	*urn = n > 0 && n <= 10 && s[n] == '\0' ? strtol(s, NULL, 10) : 0;
	if (*urn <= 0 || *urn > INT_MAX) {
		snprintf(err, errlen, "%s:%zu: urn \"%.40s\" is not a positive whole number", path,
			 line, s);
		return -1;
	}
	if (params[COL_NAME] == NULL) {
		snprintf(err, errlen, "%s:%zu: name is empty", path, line);
		return -1;
	}
	if (schools_phase_label(csv_field(rec, map[COL_PHASE])) == NULL) {
		snprintf(err, errlen, "%s:%zu: unknown phase \"%.40s\"", path, line,
			 csv_field(rec, map[COL_PHASE]));
		return -1;
	}
	return 0;
}

/* qsort comparator of struct seen: by URN, then by line. */
static int seen_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;

	if (x->urn != y->urn)
		return x->urn < y->urn ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Checks that no URN occurs twice in seen (n entries; sorted in place). Returns 0, or -1 with
 * err naming both lines. */
static int seen_check(struct seen *seen, size_t n, const char *path, char *err, size_t errlen)
{
	size_t i;

	if (n > 1)
		qsort(seen, n, sizeof(*seen), seen_cmp);
	for (i = 1; i < n; i++) {
		if (seen[i].urn == seen[i - 1].urn) {
			snprintf(err, errlen, "%s:%zu: urn %ld repeats line %zu", path,
				 seen[i].line, seen[i].urn, seen[i - 1].line);
			return -1;
		}
	}
	return 0;
}

/* Runs one fixed statement (no parameters) and expects PGRES_COMMAND_OK. Returns 0, or -1 with
 * err set (err may be NULL). */
static int exec_command(PGconn *c, const char *sql, char *err, size_t errlen)
{
	PGresult *res = PQexecParams(c, sql, 0, NULL, NULL, NULL, NULL, 0);
	int rc = 0;

	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_error(err, errlen, sql, c, res);
		rc = -1;
	}
	PQclear(res);
	return rc;
}

int seed_schools(PGconn *c, const char *csv_path, char *err, size_t errlen)
{
	struct buf data = {0};
	struct csv_reader r;
	struct csv_record rec = {0};
	struct seen *seen = NULL, *grown;
	const char *params[NCOLUMNS];
	size_t map[NCOLUMNS], nseen = 0, cap = 0;
	char msg[512];
	PGresult *res;
	bool in_tx = false;
	long urn;
	int rc, rows = -1;

	if (read_file(csv_path, &data, err, errlen) < 0)
		goto out;
	csv_reader_init(&r, buf_str(&data), data.len);
	rc = csv_next_record(&r, &rec);
	if (rc == 0) {
		snprintf(err, errlen, "%s: empty file", csv_path);
		goto out;
	}
	if (rc < 0)
		goto bad_csv;
	if (header_map(&rec, csv_path, r.record_line, map, err, errlen) < 0)
		goto out;
	if (exec_command(c, "BEGIN", err, errlen) < 0)
		goto out;
	in_tx = true;
	while ((rc = csv_next_record(&r, &rec)) == 1) {
		if (row_read(&rec, map, csv_path, r.record_line, params, &urn, err, errlen) < 0)
			goto out;
		if (nseen == cap) {
			cap = cap ? cap * 2 : 64;
			grown = realloc(seen, cap * sizeof(*seen));
			if (grown == NULL) {
				snprintf(err, errlen, "%s: out of memory", csv_path);
				goto out;
			}
			seen = grown;
		}
		seen[nseen].urn = urn;
		seen[nseen].line = r.record_line;
		nseen++;
		res = PQexecParams(c, upsert_sql, NCOLUMNS, NULL, params, NULL, NULL, 0);
		rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
		if (rc < 0) {
			db_error(msg, sizeof(msg), "database", c, res);
			snprintf(err, errlen, "%s:%zu: %s", csv_path, r.record_line, msg);
		}
		PQclear(res);
		if (rc < 0)
			goto out;
	}
	if (rc < 0)
		goto bad_csv;
	if (seen_check(seen, nseen, csv_path, err, errlen) < 0)
		goto out;
	in_tx = false;
	if (exec_command(c, "COMMIT", err, errlen) < 0)
		goto out;
	rows = (int)nseen;
	goto out;
bad_csv:
	snprintf(err, errlen, "%s:%zu: %s", csv_path, r.error_line, r.error);
out:
	if (in_tx)
		exec_command(c, "ROLLBACK", NULL, 0);
	free(seen);
	csv_record_free(&rec);
	buf_free(&data);
	return rows;
}
