/* vacancy_item_cache.c - a vacancy as one job in a list, as HTML and JSON text, kept per
 * distinct row; see vacancy_item_cache.h.
 *
 * The kept rows are a direct-mapped table: a row's slot is its vacancy's id modulo the table's
 * size; the slot keeps the whole row (its key) beside what was made of it, so a row is only
 * ever answered with its own HTML or JSON, and a vacancy's changed row replaces the old one.
 * Slots are guarded by striped mutexes; kept text is copied out under the lock, and made
 * outside it.
 */
#include "vacancy_item_cache.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "log.h"
#include "template.h"
#include "vacancy_view.h"

#define STRIPES 64

/* What is kept of a row. */
enum kind { KIND_HTML, KIND_JSON, KINDS };

/* A kept row. The key is the row: per column, 'n' for NULL, or 'v', its length (4 bytes, host
 * order) and its bytes. text[k] is NULL until kind k has been made. */
struct slot {
	char *key;
	size_t key_len;
	char *text[KINDS];
	size_t len[KINDS];
};

static struct slot slots[VACANCY_ITEM_CACHE_SLOTS];
static pthread_mutex_t locks[STRIPES];
static pthread_once_t locks_once = PTHREAD_ONCE_INIT;

static void locks_init(void)
{
	for (size_t i = 0; i < STRIPES; i++)
		pthread_mutex_init(&locks[i], NULL);
}

static pthread_mutex_t *lock_of(size_t slot)
{
	return &locks[slot % STRIPES];
}

/* The slot of row `row` of res: its vacancy's id (column 0) modulo the table's size, so that a
 * vacancy's new row replaces its old one. */
static size_t slot_of(const PGresult *res, int row)
{
	return (size_t)(strtoull(PQgetvalue(res, row, 0), NULL, 10) % VACANCY_ITEM_CACHE_SLOTS);
}

/* Appends the key of row `row` of res to b. */
static void row_key(struct buf *b, const PGresult *res, int row)
{
	uint32_t len;

	for (int c = 0; c < PQnfields(res); c++) {
		if (PQgetisnull(res, row, c)) {
			buf_putc(b, 'n');
			continue;
		}
		len = (uint32_t)PQgetlength(res, row, c);
		buf_putc(b, 'v');
		buf_append(b, (const char *)&len, sizeof len);
		buf_append(b, PQgetvalue(res, row, c), len);
	}
}

/* True when slot s keeps row `row` of res. */
static bool row_kept(const struct slot *s, const PGresult *res, int row)
{
	const char *k = s->key, *end = s->key + s->key_len;
	uint32_t len;

	if (k == NULL)
		return false;
	for (int c = 0; c < PQnfields(res); c++) {
		if (k == end)
			return false;
		if (PQgetisnull(res, row, c)) {
			if (*k++ != 'n')
				return false;
			continue;
		}
		len = (uint32_t)PQgetlength(res, row, c);
		if (*k++ != 'v' || (size_t)(end - k) < sizeof len + len ||
		    memcmp(k, &len, sizeof len) != 0 ||
		    memcmp(k + sizeof len, PQgetvalue(res, row, c), len) != 0)
			return false;
		k += sizeof len + len;
	}
	return k == end;
}

/* Empties slot s. Called with its lock held. */
static void slot_clear(struct slot *s)
{
	free(s->key);
	for (int k = 0; k < KINDS; k++)
		free(s->text[k]);
	*s = (struct slot){ 0 };
}

/* Appends what slot i keeps of kind k for row `row` of res to out. Returns true when it kept
 * it, false (out untouched) otherwise. */
static bool find(size_t i, enum kind k, const PGresult *res, int row, struct buf *out)
{
	bool hit;

	pthread_mutex_lock(lock_of(i));
	hit = slots[i].text[k] != NULL && row_kept(&slots[i], res, row);
	if (hit)
		buf_append(out, slots[i].text[k], slots[i].len[k]);
	pthread_mutex_unlock(lock_of(i));
	return hit;
}

/* Keeps text (len bytes) as kind k of row `row` of res, in slot i: beside what the slot keeps
 * of the same row, or instead of another row. Keeps nothing when out of memory. */
static void keep(size_t i, enum kind k, const PGresult *res, int row, const char *text,
		 size_t len)
{
	struct buf key = { 0 };
	char *t = malloc(len + 1);
	struct slot *s = &slots[i];

	row_key(&key, res, row);
	if (t == NULL || buf_failed(&key))
		goto out;
	memcpy(t, text, len);
	t[len] = '\0';
	pthread_mutex_lock(lock_of(i));
	if (!row_kept(s, res, row)) {
		slot_clear(s);
		s->key = key.data;
		s->key_len = key.len;
		key = (struct buf){ 0 };
	}
	free(s->text[k]);
	s->text[k] = t;
	s->len[k] = len;
	pthread_mutex_unlock(lock_of(i));
	t = NULL;
out:
	free(t);
	buf_free(&key);
}

json_t *vacancy_item_html(const PGresult *res, int row, const struct label_list *subjects)
{
	size_t i = slot_of(res, row);
	struct buf html = { 0 };
	json_t *item = NULL, *out = NULL, *text;

	pthread_once(&locks_once, locks_init);
	if (!find(i, KIND_HTML, res, row, &html)) {
		item = vacancy_item_from_row(res, row, 0, subjects);
		if (item == NULL || tpl_render(app.templates, "vacancies/item", item, &html) != 0 ||
		    buf_failed(&html)) {
			log_errorf(__func__, "cannot render template vacancies/item");
			goto out;
		}
		keep(i, KIND_HTML, res, row, html.data, html.len);
	}
	out = json_object();
	text = json_stringn_nocheck(buf_str(&html), html.len);
	if (out == NULL || text == NULL || json_object_set_new_nocheck(out, "html", text) != 0) {
		json_decref(out);
		out = NULL;
	}
out:
	json_decref(item);
	buf_free(&html);
	return out;
}

void vacancy_item_json(struct buf *b, const PGresult *res, int row,
		       const struct label_list *subjects)
{
	size_t i = slot_of(res, row), start = b->len;

	pthread_once(&locks_once, locks_init);
	if (find(i, KIND_JSON, res, row, b))
		return;
	vacancy_item_write(b, res, row, 0, subjects);
	if (!buf_failed(b))
		keep(i, KIND_JSON, res, row, b->data + start, b->len - start);
}

void vacancy_item_cache_clear(void)
{
	pthread_once(&locks_once, locks_init);
	for (size_t i = 0; i < VACANCY_ITEM_CACHE_SLOTS; i++) {
		pthread_mutex_lock(lock_of(i));
		slot_clear(&slots[i]);
		pthread_mutex_unlock(lock_of(i));
	}
}
