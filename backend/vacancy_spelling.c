/* vacancy_spelling.c - "Did you mean ...?" for a keyword search that found nothing: see
 * vacancy_spelling.h. */
#include "vacancy_spelling.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "vacancy_labels.h"

#define WORD_MAX 63        /* longer words are left as typed */
#define MIN_CORRECTED 4    /* shorter words are left as typed */

/* The vocabulary as rows (word, count): the titles of the newest $2 live vacancies (through the
 * index of live vacancies by publication), the subjects, the schools' names and towns, the
 * synonyms, and $1 (the labels of the fixed lists, as a text array). */
static const char vocabulary_sql[] =
	"WITH t(x) AS ((SELECT title FROM vacancies WHERE status = 'published' AND closes_at > "
	"now() ORDER BY published_at DESC, id LIMIT $2::integer) UNION ALL SELECT label FROM "
	"vacancy_subjects UNION ALL SELECT name || ' ' || coalesce(town, '') FROM schools UNION "
	"ALL SELECT array_to_string(names, ' ') FROM search_synonyms UNION ALL SELECT "
	"unnest($1::text[])) SELECT w, count(*) FROM t CROSS JOIN LATERAL "
	"regexp_split_to_table(lower(t.x), '[^a-z]+') w WHERE length(w) >= 3 GROUP BY w";

int vacancy_spelling_distance(const char *a, size_t alen, const char *b, size_t blen, int max)
{
	int d[WORD_MAX + 2][WORD_MAX + 2];
	int best, v;
	size_t i, j;

	if (alen > WORD_MAX || blen > WORD_MAX)
		return max + 1;
	if ((alen > blen ? alen - blen : blen - alen) > (size_t)max)
		return max + 1;
	for (i = 0; i <= alen; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= blen; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= alen; i++) {
		best = d[i][0];
		for (j = 1; j <= blen; j++) {
			v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
	}
	return d[alen][blen] > max ? max + 1 : d[alen][blen];
}

/* True for a letter a-z or A-Z. */
static bool letter(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* True for a byte that continues a word without being a letter a-z: a digit, an apostrophe,
 * a byte of a UTF-8 sequence (a word with one is left as typed). */
static bool word_byte(char ch)
{
	return letter(ch) || (ch >= '0' && ch <= '9') || ch == '\'' || (unsigned char)ch >= 0x80;
}

/* The nearest word to w (lower-case, len letters) in words, or NULL when w is one of them or
 * none is near enough. */
static const struct spelling_word *nearest(const char *w, size_t len,
					   const struct spelling_word *words, size_t n)
{
	const struct spelling_word *best = NULL;
	int max = len >= 6 ? 2 : 1, dist, best_dist = max + 1;
	size_t i;

	for (i = 0; i < n; i++) {
		if (words[i].len == len && memcmp(words[i].text, w, len) == 0)
			return NULL;
		dist = vacancy_spelling_distance(w, len, words[i].text, words[i].len, max);
		if (dist > max)
			continue;
		if (best == NULL || dist < best_dist ||
		    (dist == best_dist && words[i].count > best->count)) {
			best = &words[i];
			best_dist = dist;
		}
	}
	return best;
}

int vacancy_spelling_correct(const char *q, const struct spelling_word *words, size_t n,
			     struct buf *out)
{
	const struct spelling_word *near;
	char lower[WORD_MAX + 1];
	size_t start, end, k;
	bool plain;
	int replaced = 0;

	for (start = 0; q[start] != '\0'; start = end) {
		if (!word_byte(q[start])) {
			buf_putc(out, q[start]);
			end = start + 1;
			continue;
		}
		plain = true;
		for (end = start; word_byte(q[end]); end++)
			plain = plain && letter(q[end]);
		near = NULL;
		if (plain && end - start >= MIN_CORRECTED && end - start <= WORD_MAX &&
		    (start == 0 || q[start - 1] != '-')) {
			for (k = start; k < end; k++)
				lower[k - start] = (char)(q[k] | 0x20);
			near = nearest(lower, end - start, words, n);
		}
		if (near != NULL) {
			buf_append(out, near->text, near->len);
			replaced++;
		} else {
			buf_append(out, q + start, end - start);
		}
	}
	return replaced;
}

/* Appends the labels of list to b as elements of a text array literal ("a","b",...). */
static void labels_add(struct buf *b, const struct label_list *list)
{
	size_t i;

	for (i = 0; i < list->len; i++)
		buf_printf(b, "%s\"%s\"", b->len > 1 ? "," : "", list->items[i].label);
}

int vacancy_spelling_suggest(PGconn *c, const char *q, char **suggestion, char *err,
			     size_t errlen)
{
	static const struct label_list *const lists[] = {
		&vacancy_roles, &vacancy_phases, &vacancy_key_stages, &vacancy_contracts,
		&vacancy_working_patterns,
	};
	struct buf labels = { 0 }, out = { 0 };
	struct spelling_word *words = NULL;
	const char *vals[2];
	char limit[16];
	PGresult *res = NULL;
	size_t i, n = 0;
	int rc = -1;

	*suggestion = NULL;
	buf_putc(&labels, '{');
	for (i = 0; i < sizeof lists / sizeof lists[0]; i++)
		labels_add(&labels, lists[i]);
	buf_putc(&labels, '}');
	if (buf_failed(&labels)) {
		snprintf(err, errlen, "vacancy_spelling_suggest: out of memory");
		goto out;
	}
	snprintf(limit, sizeof limit, "%d", VACANCY_SPELLING_TITLES);
	vals[0] = buf_str(&labels);
	vals[1] = limit;
	res = PQexecParams(c, vocabulary_sql, 2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_error(err, errlen, "vacancy_spelling vocabulary", c, res);
		goto out;
	}
	words = calloc((size_t)PQntuples(res) + 1, sizeof *words);
	if (words == NULL) {
		snprintf(err, errlen, "vacancy_spelling_suggest: out of memory");
		goto out;
	}
	for (i = 0; i < (size_t)PQntuples(res); i++) {
		words[n].text = PQgetvalue(res, (int)i, 0);
		words[n].len = (size_t)PQgetlength(res, (int)i, 0);
		words[n].count = strtol(PQgetvalue(res, (int)i, 1), NULL, 10);
		n++;
	}
	if (vacancy_spelling_correct(q, words, n, &out) > 0) {
		if (buf_failed(&out)) {
			snprintf(err, errlen, "vacancy_spelling_suggest: out of memory");
			goto out;
		}
		*suggestion = strdup(buf_str(&out));
		if (*suggestion == NULL) {
			snprintf(err, errlen, "vacancy_spelling_suggest: out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	free(words);
	PQclear(res);
	buf_free(&labels);
	buf_free(&out);
	return rc;
}
