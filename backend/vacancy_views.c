/* vacancy_views.c - counting the views of vacancy pages; see vacancy_views.h. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "buf.h"
#include "log.h"
#include "vacancy_views.h"

/* An open-addressing table of (vacancy id, views) keyed by id; id 0 marks a free slot. */
static struct {
	pthread_mutex_t lock;
	long long ids[VACANCY_VIEWS_SLOTS];
	long long ns[VACANCY_VIEWS_SLOTS];
	size_t used;
} views = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Words that robots put in their User-Agent (and people's browsers do not). */
static const char *const robot_words[] = { "bot", "crawl", "spider", "slurp", "preview",
					    "curl", "wget", "python" };

bool vacancy_views_is_robot(const char *user_agent)
{
	size_t i;

	if (user_agent == NULL || user_agent[0] == '\0')
		return true;
	for (i = 0; i < sizeof robot_words / sizeof robot_words[0]; i++)
		if (strcasestr(user_agent, robot_words[i]) != NULL)
			return true;
	return false;
}

/* The readings remembered: a keyed hash of (vacancy, reader) and when, by the hash's place.
 * The key is made once, at the first reading. */
static struct {
	pthread_mutex_t lock;
	uint64_t tags[VACANCY_VIEWS_RECENT];   /* 0: free */
	time_t at[VACANCY_VIEWS_RECENT];
} recent = { .lock = PTHREAD_MUTEX_INITIALIZER };
static unsigned char recent_key[32];
static bool recent_keyed;
static pthread_once_t recent_once = PTHREAD_ONCE_INIT;

static void recent_key_make(void)
{
	recent_keyed = RAND_bytes(recent_key, sizeof recent_key) == 1;
}

bool vacancy_views_repeat(long long id, const char *reader, time_t now)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	struct buf b = { 0 };
	bool repeat = false, hashed;
	uint64_t tag, place;

	pthread_once(&recent_once, recent_key_make);
	buf_append(&b, (const char *)recent_key, sizeof recent_key);
	buf_printf(&b, "%lld\n%s", id, reader != NULL ? reader : "");
	hashed = recent_keyed && !buf_failed(&b) &&
		 SHA256((const unsigned char *)b.data, b.len, md) != NULL;
	if (b.data != NULL)
		OPENSSL_cleanse(b.data, b.len);
	buf_free(&b);
	if (!hashed)
		return false;   /* counted: a view is not lost for want of a key */
	memcpy(&tag, md, sizeof tag);
	memcpy(&place, md + sizeof tag, sizeof place);
	tag |= 1;
	place %= VACANCY_VIEWS_RECENT;
	pthread_mutex_lock(&recent.lock);
	if (recent.tags[place] == tag && now - recent.at[place] < VACANCY_VIEWS_REPEAT_S) {
		repeat = true;
	} else {
		recent.tags[place] = tag;
		recent.at[place] = now;
	}
	pthread_mutex_unlock(&recent.lock);
	return repeat;
}

/* The first slot of id (a multiplicative hash: ids are consecutive integers). */
static size_t slot_of(long long id)
{
	return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ULL) >> 32) % VACANCY_VIEWS_SLOTS;
}

bool vacancy_views_add(long long id, long long n)
{
	size_t i, probe;
	bool counted = false;

	if (id <= 0 || n <= 0)
		return false;
	pthread_mutex_lock(&views.lock);
	for (probe = 0, i = slot_of(id); probe < VACANCY_VIEWS_SLOTS;
	     probe++, i = (i + 1) % VACANCY_VIEWS_SLOTS) {
		if (views.ids[i] == id) {
			views.ns[i] += n;
			counted = true;
			break;
		}
		if (views.ids[i] == 0) {
			/* Keep one slot free, so that a search for an absent id always ends. */
			if (views.used + 1 < VACANCY_VIEWS_SLOTS) {
				views.ids[i] = id;
				views.ns[i] = n;
				views.used++;
				counted = true;
			}
			break;
		}
	}
	pthread_mutex_unlock(&views.lock);
	return counted;
}

size_t vacancy_views_take(long long *ids, long long *ns, size_t max)
{
	size_t i, n = 0;

	pthread_mutex_lock(&views.lock);
	for (i = 0; i < VACANCY_VIEWS_SLOTS; i++) {
		if (views.ids[i] != 0 && n < max) {
			ids[n] = views.ids[i];
			ns[n] = views.ns[i];
			n++;
		}
		views.ids[i] = 0;
		views.ns[i] = 0;
	}
	views.used = 0;
	pthread_mutex_unlock(&views.lock);
	return n;
}

/* Appends the numbers as a PostgreSQL array literal "{1,2,3}" to b. */
static void array_literal(struct buf *b, const long long *v, size_t n)
{
	size_t i;

	buf_puts(b, "{");
	for (i = 0; i < n; i++)
		buf_printf(b, "%s%lld", i > 0 ? "," : "", v[i]);
	buf_puts(b, "}");
}

int vacancy_views_flush(PGconn *c)
{
	static long long ids[VACANCY_VIEWS_SLOTS], ns[VACANCY_VIEWS_SLOTS];
	static pthread_mutex_t flushing = PTHREAD_MUTEX_INITIALIZER;
	struct buf a = { 0 }, b = { 0 };
	const char *vals[2];
	PGresult *res = NULL;
	size_t n, i;
	int rc = -1;

	/* One flush at a time: ids and ns are shared (32 KiB each, off the thread's stack). */
	pthread_mutex_lock(&flushing);
	n = vacancy_views_take(ids, ns, VACANCY_VIEWS_SLOTS);
	if (n == 0) {
		rc = 0;
		goto out;
	}
	array_literal(&a, ids, n);
	array_literal(&b, ns, n);
	if (buf_failed(&a) || buf_failed(&b)) {
		log_errorf(__func__, "out of memory");
		goto out;
	}
	vals[0] = buf_str(&a);
	vals[1] = buf_str(&b);
	res = PQexecParams(c, "INSERT INTO vacancy_views (vacancy_id, day, views) SELECT v.id, "
			      "(now() AT TIME ZONE 'Europe/London')::date, u.n FROM unnest($1::bigint[], "
			      "$2::bigint[]) u(id, n) JOIN vacancies v ON v.id = u.id ON CONFLICT "
			      "(vacancy_id, day) DO UPDATE SET views = vacancy_views.views + "
			      "EXCLUDED.views", 2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	rc = atoi(PQcmdTuples(res));
out:
	if (rc < 0)
		for (i = 0; i < n; i++)
			vacancy_views_add(ids[i], ns[i]);
	pthread_mutex_unlock(&flushing);
	PQclear(res);
	buf_free(&a);
	buf_free(&b);
	return rc;
}
