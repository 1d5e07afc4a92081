/* schools_data.c - the schools module's queries and models; see schools_data.h. */
#include "schools_data.h"

#include <pthread.h>
#include <time.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

struct phase {
	const char *value;
	const char *label;
};

/* The phases the schools table allows (its CHECK constraint), in educational order. */
static const struct phase phases[] = {
	{ "nursery", "Nursery" },
	{ "primary", "Primary" },
	{ "secondary", "Secondary" },
	{ "all-through", "All-through" },
	{ "post-16", "Post-16" },
	{ "special", "Special" },
	{ "alternative-provision", "Alternative provision" },
};

#define SCHOOL_COLUMNS \
	"urn, name, phase, type, town, postcode, trust, religious_character, website"

/* Keys of the text columns 1.. of SCHOOL_COLUMNS (column 0 is urn). */
static const char *const school_text_keys[] = {
	"name", "phase", "type", "town", "postcode", "trust", "religious_character", "website",
};

const char *schools_phase_label(const char *phase)
{
	size_t i;

	if (phase == NULL)
		return NULL;
	for (i = 0; i < sizeof(phases) / sizeof(phases[0]); i++)
		if (strcmp(phases[i].value, phase) == 0)
			return phases[i].label;
	return NULL;
}

/* Sets o[key] = v, taking v's reference (also on failure). Clears *ok when v is NULL (an
 * earlier allocation failed) or the set fails. */
static void set_new(json_t *o, const char *key, json_t *v, bool *ok)
{
	if (json_object_set_new(o, key, v) != 0)
		*ok = false;
}

/* The text of column col of row as a JSON string, or JSON null for SQL NULL. NULL when out of
 * memory or the text is not UTF-8. */
static json_t *text_or_null(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return json_null();
	return json_stringn(PQgetvalue(res, row, col), (size_t)PQgetlength(res, row, col));
}

/* The school model of row `row` of a result with SCHOOL_COLUMNS. Returns a new object, or NULL
 * when out of memory (or on text that is not UTF-8). */
static json_t *school_from_row(const PGresult *res, int row)
{
	json_t *o = json_object();
	const char *label;
	char url[32];
	long urn;
	bool ok = o != NULL;
	int col;

	if (!ok)
		return NULL;
	urn = strtol(PQgetvalue(res, row, 0), NULL, 10);
	set_new(o, "urn", json_integer(urn), &ok);
	for (col = 1; col <= (int)(sizeof(school_text_keys) / sizeof(school_text_keys[0])); col++)
		set_new(o, school_text_keys[col - 1], text_or_null(res, row, col), &ok);
	label = schools_phase_label(PQgetvalue(res, row, 2));
	set_new(o, "phase_label", label != NULL ? json_string(label) : json_null(), &ok);
	snprintf(url, sizeof(url), "/schools/%ld", urn);
	set_new(o, "url", json_string(url), &ok);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *schools_list(PGconn *c, const char *phase, const char *town, char *err, size_t errlen)
{
	const char *params[2];
	PGresult *res;
	json_t *list = NULL, *school;
	int i;

	params[0] = phase != NULL && *phase != '\0' ? phase : NULL;
	params[1] = town != NULL && *town != '\0' ? town : NULL;
	res = PQexecParams(c,
			   "SELECT " SCHOOL_COLUMNS " FROM schools"
			   " WHERE ($1::text IS NULL OR phase = $1)"
			   " AND ($2::text IS NULL OR town = $2)"
			   " ORDER BY name, urn",
			   2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_error(err, errlen, "schools_list", c, res);
		goto out;
	}
	list = json_array();
	if (list == NULL)
		goto oom;
	for (i = 0; i < PQntuples(res); i++) {
		school = school_from_row(res, i);
		if (json_array_append_new(list, school) != 0)
			goto oom;
	}
	goto out;
oom:
	snprintf(err, errlen, "schools_list: out of memory");
	json_decref(list);
	list = NULL;
out:
	PQclear(res);
	return list;
}

json_t *schools_get(PGconn *c, long urn, int *found, char *err, size_t errlen)
{
	const char *params[1];
	char urn_text[24];
	PGresult *res = NULL;
	json_t *school = NULL;

	*found = 0;
	if (errlen > 0)
		err[0] = '\0';
	if (urn <= 0 || urn > INT_MAX)
		return NULL;
	snprintf(urn_text, sizeof(urn_text), "%ld", urn);
	params[0] = urn_text;
	res = PQexecParams(c, "SELECT " SCHOOL_COLUMNS ", about FROM schools WHERE urn = "
			   "$1::integer", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_error(err, errlen, "schools_get", c, res);
		goto out;
	}
	if (PQntuples(res) == 0)
		goto out;
	school = school_from_row(res, 0);
	if (school != NULL && json_object_set_new(school, "about",
						  text_or_null(res, 0, PQnfields(res) - 1)) != 0) {
		json_decref(school);
		school = NULL;
	}
	if (school == NULL)
		snprintf(err, errlen, "schools_get: out of memory");
	else
		*found = 1;
out:
	PQclear(res);
	return school;
}

/* Appends {"value": value, ["label": label,] "count": count} to array a. Clears *ok on
 * failure. */
static void facet_append(json_t *a, const char *value, const char *label, const char *count,
			 bool *ok)
{
	json_t *o = json_object();

	if (o == NULL || json_array_append_new(a, o) != 0) {
		*ok = false;
		return;
	}
	set_new(o, "value", json_string(value), ok);
	if (label != NULL)
		set_new(o, "label", json_string(label), ok);
	set_new(o, "count", json_integer(strtoll(count, NULL, 10)), ok);
}

json_t *schools_facets(PGconn *c, char *err, size_t errlen)
{
	PGresult *res;
	json_t *facets = NULL, *phase_list, *town_list;
	bool ok;
	size_t p;
	int i;

	/* rows (kind, value, count): phases first ("phase" < "town"), towns alphabetically */
	res = PQexecParams(c,
			   "SELECT 'phase' AS kind, phase AS value, count(*) FROM schools"
			   " GROUP BY phase"
			   " UNION ALL"
			   " SELECT 'town', town, count(*) FROM schools WHERE town IS NOT NULL"
			   " GROUP BY town"
			   " ORDER BY 1, 2",
			   0, NULL, NULL, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_error(err, errlen, "schools_facets", c, res);
		goto out;
	}
	phase_list = json_array();
	town_list = json_array();
	facets = json_object();
	ok = facets != NULL;
	set_new(facets, "phases", phase_list, &ok);
	set_new(facets, "towns", town_list, &ok);
	for (p = 0; ok && p < sizeof(phases) / sizeof(phases[0]); p++)
		for (i = 0; i < PQntuples(res); i++)
			if (strcmp(PQgetvalue(res, i, 0), "phase") == 0 &&
			    strcmp(PQgetvalue(res, i, 1), phases[p].value) == 0)
				facet_append(phase_list, phases[p].value, phases[p].label,
					     PQgetvalue(res, i, 2), &ok);
	for (i = 0; ok && i < PQntuples(res); i++)
		if (strcmp(PQgetvalue(res, i, 0), "town") == 0)
			facet_append(town_list, PQgetvalue(res, i, 1), NULL,
				     PQgetvalue(res, i, 2), &ok);
	if (!ok) {
		snprintf(err, errlen, "schools_facets: out of memory");
		json_decref(facets);
		facets = NULL;
	}
out:
	PQclear(res);
	return facets;
}

static struct {
	pthread_mutex_t lock;
	struct schools_snapshot *current;
	struct timespec loaded;
	bool loading;            /* one thread is reloading; the others keep the old snapshot */
} snapshot = { .lock = PTHREAD_MUTEX_INITIALIZER };

void schools_snapshot_put(const struct schools_snapshot *snap)
{
	struct schools_snapshot *s = (struct schools_snapshot *)snap;
	size_t i;

	if (s == NULL || __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	for (i = 0; s->json != NULL && i < s->n; i++)
		free(s->json[i]);
	for (i = 0; i < s->npages; i++) {
		free(s->pages[i].key);
		free(s->pages[i].html);
	}
	pthread_mutex_destroy(&s->pages_lock);
	free(s->json);
	free(s->json_len);
	json_decref(s->all);
	json_decref(s->facets);
	free(s);
}

/* Reads a new snapshot from the database. NULL with err set on failure. */
static struct schools_snapshot *snapshot_load(PGconn *c, char *err, size_t errlen)
{
	struct schools_snapshot *s = calloc(1, sizeof *s);
	json_t *v;
	size_t i;

	if (s == NULL)
		goto oom;
	s->refs = 1;
	pthread_mutex_init(&s->pages_lock, NULL);
	s->all = schools_list(c, NULL, NULL, err, errlen);
	if (s->all == NULL)
		goto fail;
	s->facets = schools_facets(c, err, errlen);
	if (s->facets == NULL)
		goto fail;
	s->n = json_array_size(s->all);
	s->json = calloc(s->n ? s->n : 1, sizeof *s->json);
	s->json_len = calloc(s->n ? s->n : 1, sizeof *s->json_len);
	if (s->json == NULL || s->json_len == NULL)
		goto oom;
	json_array_foreach(s->all, i, v) {
		s->json[i] = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII);
		if (s->json[i] == NULL)
			goto oom;
		s->json_len[i] = strlen(s->json[i]);
	}
	return s;
oom:
	snprintf(err, errlen, "schools_snapshot: out of memory");
fail:
	schools_snapshot_put(s);
	return NULL;
}

const struct schools_snapshot *schools_snapshot_get(PGconn *(*connect)(void *ctx), void *ctx,
						    char *err, size_t errlen)
{
	struct schools_snapshot *fresh = NULL, *old = NULL, *out = NULL;
	struct timespec now;
	PGconn *c;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&snapshot.lock);
	/* Fresh, or stale while another thread reloads it: serve what we have. Only one thread
	 * at a time goes to the database, so an expiry under load is one query, not a stampede. */
	if (snapshot.current != NULL &&
	    (now.tv_sec - snapshot.loaded.tv_sec < SCHOOLS_SNAPSHOT_TTL_S || snapshot.loading)) {
		out = snapshot.current;
		__atomic_add_fetch(&out->refs, 1, __ATOMIC_ACQ_REL);
		pthread_mutex_unlock(&snapshot.lock);
		return out;
	}
	snapshot.loading = true;
	pthread_mutex_unlock(&snapshot.lock);
	/* Load outside the lock: a slow database must not stall readers of the old snapshot. */
	c = connect(ctx);
	if (c == NULL)
		snprintf(err, errlen, "schools_snapshot: no database connection");
	else
		fresh = snapshot_load(c, err, errlen);
	pthread_mutex_lock(&snapshot.lock);
	snapshot.loading = false;
	/* On failure stop serving data older than the TTL: the database is unreachable. */
	old = snapshot.current;
	snapshot.current = fresh;
	snapshot.loaded = now;
	if (fresh != NULL) {
		out = fresh;
		__atomic_add_fetch(&out->refs, 1, __ATOMIC_ACQ_REL);
	}
	pthread_mutex_unlock(&snapshot.lock);
	schools_snapshot_put(old);
	return out;
}

void schools_snapshot_clear(void)
{
	struct schools_snapshot *old;

	pthread_mutex_lock(&snapshot.lock);
	old = snapshot.current;
	snapshot.current = NULL;
	pthread_mutex_unlock(&snapshot.lock);
	schools_snapshot_put(old);
}

const struct schools_page *schools_page_find(const struct schools_snapshot *snap, const char *key)
{
	struct schools_snapshot *s = (struct schools_snapshot *)snap;
	const struct schools_page *found = NULL;
	size_t i;

	pthread_mutex_lock(&s->pages_lock);
	for (i = 0; i < s->npages && found == NULL; i++)
		if (strcmp(s->pages[i].key, key) == 0)
			found = &s->pages[i];
	pthread_mutex_unlock(&s->pages_lock);
	return found;
}

void schools_page_keep(const struct schools_snapshot *snap, const char *key, const char *html,
		       size_t len)
{
	struct schools_snapshot *s = (struct schools_snapshot *)snap;
	char *k = NULL, *h = NULL;
	size_t i;

	pthread_mutex_lock(&s->pages_lock);
	for (i = 0; i < s->npages; i++)
		if (strcmp(s->pages[i].key, key) == 0)
			goto out;
	if (s->npages == SCHOOLS_PAGES_MAX)
		goto out;
	k = strdup(key);
	h = malloc(len + 1);
	if (k == NULL || h == NULL)
		goto out;
	memcpy(h, html, len);
	h[len] = '\0';
	s->pages[s->npages].key = k;
	s->pages[s->npages].html = h;
	s->pages[s->npages].len = len;
	s->npages++;
	k = h = NULL;
out:
	pthread_mutex_unlock(&s->pages_lock);
	free(k);
	free(h);
}
