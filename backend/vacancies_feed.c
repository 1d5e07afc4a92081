/* vacancies_feed.c - /vacancies.atom: an Atom 1.0 feed (RFC 4287) of the 50 newest live
 * vacancies, or of the 50 newest that match a search: the job search's parameters
 * (vacancy_search.h; sort and page are not used), each search its own feed. Ids are tag URIs
 * (RFC 4151) on the host of base_url, so they stay the same when the feed is read through
 * another address; links are absolute, from base_url. Every text is XML escaped, and
 * characters XML 1.0 cannot carry (C0 controls but tab and line ends) are left out. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "db.h"
#include "handlers.h"
#include "log.h"
#include "schools_data.h"
#include "vacancy_search.h"
#include "vacancy_search_links.h"
#include "vacancy_view.h"
#include "xml.h"

#define FEED_ENTRIES 50
#define TAG_DATE "2025"   /* the date part of the tag URIs: never change it */

/* Writes the host of base_url (no scheme, port or path) into host. */
static void base_host(char *host, size_t len)
{
	const char *s = strstr(app.cfg.base_url, "://");
	size_t n;

	s = s != NULL ? s + 3 : app.cfg.base_url;
	n = strcspn(s, ":/");
	snprintf(host, len, "%.*s", (int)n, s);
}

/* The value of a string member, or "". */
static const char *str_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/* Appends the entry of item to b; its summary says the school, the roles, the pay, the actual
 * salary (when said) and the closing date. */
static void feed_entry(struct buf *b, const json_t *item, const char *host)
{
	const json_t *school = json_object_get(item, "school");
	const char *town = str_of(school, "town"), *pay = str_of(item, "pay_label");
	const char *actual = str_of(item, "actual_salary");
	struct buf summary = { 0 };

	buf_printf(b, "<entry>\n<id>tag:%s,%s:vacancy:%lld</id>\n", host, TAG_DATE,
		   (long long)json_integer_value(json_object_get(item, "id")));
	xml_element(b, "title", str_of(item, "title"));
	buf_puts(b, "<link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_escape(b, app.cfg.base_url);
	xml_escape(b, str_of(item, "url"));
	buf_puts(b, "\"/>\n");
	xml_element(b, "published", str_of(item, "published_at"));
	xml_element(b, "updated", str_of(item, "updated_at"));
	buf_puts(b, "<author>");
	xml_element(b, "name", str_of(school, "name"));
	buf_puts(b, "</author>\n");
	buf_printf(&summary, "%s%s%s. %s. ", str_of(school, "name"), town[0] ? ", " : "", town,
		   str_of(item, "roles_label"));
	if (pay[0] != '\0')
		buf_printf(&summary, "%s. ", pay);
	if (actual[0] != '\0')
		buf_printf(&summary, "Actual salary: %s. ", actual);
	buf_printf(&summary, "Closing date: %s.", str_of(item, "closes_at_label"));
	xml_element(b, "summary", buf_str(&summary));
	buf_puts(b, "</entry>\n");
	if (buf_failed(&summary))
		b->failed = true;
	buf_free(&summary);
}

/* Appends the feed's title for search vq (qs: its query string, "" for every job) to b:
 * "... new jobs in Thurrock schools", or "... new jobs: Search words: maths; Phase: Secondary". */
static void feed_title(struct buf *b, const struct vacancy_query *vq, const char *qs,
		       const struct vacancy_search_refs *refs)
{
	json_t *active, *f;
	size_t i;

	buf_puts(b, "Teaching in Thurrock: new jobs");
	if (qs[0] == '\0') {
		buf_puts(b, " in Thurrock schools");
		return;
	}
	active = vacancy_search_active_filters(vq, refs->subjects, refs->schools);
	if (active == NULL) {
		b->failed = true;
		return;
	}
	json_array_foreach(active, i, f)
		buf_printf(b, "%s%s: %s", i == 0 ? ": " : "; ", str_of(f, "group"),
			   str_of(f, "label"));
	json_decref(active);
}

/* Writes the feed of items (vacancy items, newest first) for the search whose query string is
 * qs ("" for every job) and whose title is title into out. */
static void feed_write(struct buf *out, const json_t *items, const char *qs, const char *title)
{
	char host[256], now[32];
	const char *updated;
	const json_t *item;
	time_t t = time(NULL);
	struct tm tm;
	size_t i;

	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* The feed changed last when its newest-changed entry did (ISO strings sort as times). */
	updated = json_array_size(items) > 0 ? "" : now;
	json_array_foreach(items, i, item)
		if (strcmp(str_of(item, "updated_at"), updated) > 0)
			updated = str_of(item, "updated_at");
	base_host(host, sizeof host);
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
	/* One id per search: the tag of every job, with the search's query string after "?". */
	buf_printf(out, "<id>tag:%s,%s:vacancies", host, TAG_DATE);
	if (qs[0] != '\0') {
		buf_putc(out, '?');
		xml_escape(out, qs);
	}
	buf_puts(out, "</id>\n");
	xml_element(out, "title", title);
	buf_puts(out, "<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	xml_escape(out, app.cfg.base_url);
	buf_puts(out, "/vacancies.atom");
	if (qs[0] != '\0') {
		buf_putc(out, '?');
		xml_escape(out, qs);
	}
	buf_puts(out, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_escape(out, app.cfg.base_url);
	buf_puts(out, "/vacancies?");
	if (qs[0] != '\0') {
		xml_escape(out, qs);
		buf_puts(out, "&amp;");
	}
	buf_puts(out, "sort=newest\"/>\n");
	xml_element(out, "updated", updated);
	buf_puts(out, "<author><name>Thurrock Council</name></author>\n");
	json_array_foreach(items, i, item)
		feed_entry(out, item, host);
	buf_puts(out, "</feed>\n");
}

int vacancies_atom(struct req *r)
{
	struct vacancy_search_refs refs = { 0 };
	struct vacancy_search_stmt st = { 0 };
	struct vacancy_query vq;
	struct buf qs = { 0 }, title = { 0 }, out = { 0 };
	PGresult *res = NULL;
	json_t *items = json_array(), *item;
	char err[256], problem[512];
	size_t i;
	int status;
	PGconn *c;

	c = req_db(r);
	if (c == NULL || items == NULL || vacancy_search_refs_get(r, c, &refs) != 0) {
		status = http_send_error(r, items == NULL ? 500 : 503, NULL);
		goto done;
	}
	if (vacancy_search_parse(&r->query, refs.subjects, refs.schools, &vq, problem,
				 sizeof problem) != 0) {
		status = http_send_error(r, 400, problem);
		goto done;
	}
	vacancy_search_alert_query(&qs, &vq);
	feed_title(&title, &vq, buf_str(&qs), &refs);
	if (buf_failed(&qs) || buf_failed(&title) ||
	    vacancy_search_feed_sql(&vq, FEED_ENTRIES, &st) != 0) {
		status = http_send_error(r, 500, NULL);
		goto done;
	}
	res = vacancy_search_stmt_exec(c, "vacancies_atom", &st, err, sizeof err);
	if (res == NULL) {
		log_errorf(__func__, "%s", err);
		status = http_send_error(r, 503, NULL);
		goto done;
	}
	for (i = 0; i < (size_t)PQntuples(res); i++) {
		item = vacancy_item_from_row(res, (int)i, 0, refs.subjects);
		if (item == NULL || json_array_append_new(items, item) != 0) {
			status = http_send_error(r, 500, NULL);
			goto done;
		}
	}
	buf_reserve(&out, 64 * 1024);
	feed_write(&out, items, buf_str(&qs), buf_str(&title));
	status = buf_failed(&out) ? http_send_error(r, 500, NULL)
				  : http_send(r, 200, "application/atom+xml", out.data, out.len);
done:
	vacancy_search_refs_put(&refs);
	vacancy_search_stmt_free(&st);
	PQclear(res);
	json_decref(items);
	buf_free(&qs);
	buf_free(&title);
	buf_free(&out);
	return status;
}
