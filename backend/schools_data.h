/* schools_data.h - the schools module's data functions: SQL in, jansson models out.
 *
 * A school model is an object
 *   {"urn": 139605, "name": "...", "phase": "primary", "phase_label": "Primary",
 *    "type": "...", "town": "...", "postcode": "...", "trust": "...",
 *    "religious_character": "...", "website": "https://...", "url": "/schools/139605"}
 * Every key is always present; a value the register does not know is JSON null (so templates
 * test it with a section and the API has a stable shape). urn is a JSON integer.
 *
 * Each function runs exactly one query (parameterised) on the caller's connection, which it
 * does not release. The caller owns (json_decref) what is returned. On failure they return NULL
 * and write "function: cause" (one line, for the log, not for users) into err.
 */
#ifndef PORTAL_SCHOOLS_DATA_H
#define PORTAL_SCHOOLS_DATA_H

#include <jansson.h>
#include <pthread.h>
#include <libpq-fe.h>
#include <stddef.h>

/* The display label of a phase value ("alternative-provision" -> "Alternative provision"), or
 * NULL when phase is not one of the phases the schools table allows. Use it to validate a
 * ?phase= filter. */
const char *schools_phase_label(const char *phase);

/* All schools ordered by name (then URN), optionally only those of one phase and/or one town
 * (exact match). phase/town NULL or "" = no filter; an unknown phase matches nothing. Returns
 * a new array of school models (maybe empty), or NULL on failure. */
json_t *schools_list(PGconn *c, const char *phase, const char *town, char *err, size_t errlen);

/* The school with this URN, with "about" (what its profile says of it, Markdown: the directory
 * and the API leave it out). Returns a new school model and sets *found = 1; or NULL with
 * *found = 0 and err = "" when there is no such school (also for urn <= 0 or out of range); or
 * NULL with *found = 0 and err set on failure. */
json_t *schools_get(PGconn *c, long urn, int *found, char *err, size_t errlen);

/* Counts for the filter form, over all schools:
 *   {"phases": [{"value": "primary", "label": "Primary", "count": 39}, ...],
 *    "towns":  [{"value": "Grays", "count": 24}, ...]}
 * phases in educational order (nursery, primary, secondary, ...), only phases that occur;
 * towns alphabetically, schools without a town not counted. Returns a new object, or NULL on
 * failure. */
json_t *schools_facets(PGconn *c, char *err, size_t errlen);

/* The whole directory as a shared, read-only snapshot, reloaded from the database when older
 * than SCHOOLS_SNAPSHOT_TTL_S seconds (one thread reloads while the others keep using the old
 * one), so the pages and the API cost no query in between; a seed shows within that time on
 * every instance. Nothing in it may be modified: other threads read the same objects. */
#define SCHOOLS_SNAPSHOT_TTL_S 5
#define SCHOOLS_PAGES_MAX 128

struct schools_snapshot {
	json_t *all;        /* every school model, by name */
	json_t *facets;     /* as schools_facets() */
	char **json;        /* json[i]: school i of all, serialised for the API */
	size_t *json_len;
	size_t n;
	int refs;           /* atomic; use schools_snapshot_get/put */
	/* HTML rendered from this snapshot that holds nothing personal, by key: /schools pages for
	 * visitors who are not signed in ("schools|phase|town"), and the job search's filter forms
	 * ("vacancies/filters /vacancies?..."); append-only, freed with the snapshot. */
	pthread_mutex_t pages_lock;
	struct schools_page {
		char *key;
		char *html;
		size_t len;
	} pages[SCHOOLS_PAGES_MAX];
	size_t npages;
};

/* The page rendered for key from this snapshot, or NULL (then render it and keep it with
 * schools_page_keep). The result lives as long as the caller's reference to snap. */
const struct schools_page *schools_page_find(const struct schools_snapshot *snap, const char *key);
/* Keeps a copy of html as the page for key, when there is room. */
void schools_page_keep(const struct schools_snapshot *snap, const char *key, const char *html,
		       size_t len);

/* A reference to the current snapshot, loading it through connect(ctx) (asked for only then;
 * NULL means no connection could be had) when it is missing or old. NULL with err set when the
 * database cannot be read and there is no fresh snapshot. Release with schools_snapshot_put. */
const struct schools_snapshot *schools_snapshot_get(PGconn *(*connect)(void *ctx), void *ctx,
						    char *err, size_t errlen);
void schools_snapshot_put(const struct schools_snapshot *snap);

/* Renders template `name` with model and sends it (200); when key is not empty (a visitor's
 * page, nothing personal in it) keeps the HTML with snap for the next visitor. Defined in
 * schools.c. Returns the status sent. */
struct req;
int render_kept(struct req *r, const struct schools_snapshot *snap, const char *key,
		const char *name, json_t *model);

/* Drops the current snapshot (at shutdown). */
void schools_snapshot_clear(void);

#endif
