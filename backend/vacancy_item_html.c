/* vacancy_item_html.c - a vacancy as one job in a list, in HTML, kept per distinct row; see
 * vacancy_item_html.h.
 *
 * The kept rows are a direct-mapped table: a row's slot is its vacancy's id modulo the table's
 * size; the slot keeps the whole row (its key) beside the HTML, so a row is only ever answered
 * with its own HTML, and a vacancy's changed row replaces the old one. Slots are guarded by striped mutexes; the HTML is copied
 * out under the lock, and rendered outside it.
 */
#include "vacancy_item_html.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "buf.h"
#include "log.h"
#include "template.h"
#include "vacancy_view.h"

#define STRIPES 64

/* A kept row. The key is the row: per column, 'n' for NULL, or 'v', its length (4 bytes, host
 * order) and its bytes. */
struct slot {
	char *key;
	size_t key_len;
	char *html;
	size_t html_len;
};

static struct slot slots[VACANCY_ITEM_HTML_SLOTS];
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
	return (size_t)(strtoull(PQgetvalue(res, row, 0), NULL, 10) % VACANCY_ITEM_HTML_SLOTS);
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

/* Keeps html (len bytes) as the HTML of the row whose key is in key, in slot i. */
static void keep(size_t i, const struct buf *key, const char *html, size_t len)
{
	char *k = malloc(key->len + 1), *h = malloc(len + 1);

	if (k != NULL && h != NULL) {
		memcpy(k, key->data, key->len);
		memcpy(h, html, len);
		h[len] = '\0';
		pthread_mutex_lock(lock_of(i));
		free(slots[i].key);
		free(slots[i].html);
		slots[i] = (struct slot){ k, key->len, h, len };
		pthread_mutex_unlock(lock_of(i));
		k = h = NULL;
	}
	free(k);
	free(h);
}

/* {"html": text}, taking a copy of text. NULL when out of memory. */
static json_t *html_object(const char *text, size_t len)
{
	json_t *o = json_object(), *s = json_stringn_nocheck(text, len);

	if (o == NULL || s == NULL || json_object_set_new_nocheck(o, "html", s) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *vacancy_item_html(const PGresult *res, int row, const struct label_list *subjects)
{
	size_t i = slot_of(res, row);
	struct buf key = { 0 }, html = { 0 };
	json_t *item, *out = NULL;
	bool hit;

	pthread_once(&locks_once, locks_init);
	pthread_mutex_lock(lock_of(i));
	hit = row_kept(&slots[i], res, row);
	if (hit)
		out = html_object(slots[i].html, slots[i].html_len);
	pthread_mutex_unlock(lock_of(i));
	if (hit)
		return out;

	item = vacancy_item_from_row(res, row, 0, subjects);
	if (item == NULL || tpl_render(app.templates, "vacancies/item", item, &html) != 0 ||
	    buf_failed(&html)) {
		log_errorf(__func__, "cannot render template vacancies/item");
		goto out;
	}
	out = html_object(html.data, html.len);
	row_key(&key, res, row);
	if (!buf_failed(&key))
		keep(i, &key, html.data, html.len);
out:
	json_decref(item);
	buf_free(&key);
	buf_free(&html);
	return out;
}

void vacancy_item_html_clear(void)
{
	pthread_once(&locks_once, locks_init);
	for (size_t i = 0; i < VACANCY_ITEM_HTML_SLOTS; i++) {
		pthread_mutex_lock(lock_of(i));
		free(slots[i].key);
		free(slots[i].html);
		slots[i] = (struct slot){ 0 };
		pthread_mutex_unlock(lock_of(i));
	}
}
