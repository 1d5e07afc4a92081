/* crawlers.c - what search engines read: /robots.txt keeps them out of account, school and HR
 * pages, job alert links and the endless filter combinations of the searches, and names the
 * sitemap; /sitemap.xml lists the home, search and schools pages, every school, and every live
 * vacancy with the time it last changed, so that a new job is found (its page carries the
 * JobPosting data) and a closed one dropped without crawling the searches. Addresses are
 * absolute, from base_url. */
#include <libpq-fe.h>
#include <stdio.h>

#include "app.h"
#include "handlers.h"
#include "log.h"
#include "xml.h"

/* A sitemap holds at most 50,000 addresses (sitemaps.org); the pages and schools take < 100. */
#define SITEMAP_VACANCIES 49000

/* The live vacancies, newest first: id and when it last changed (W3C datetime, UTC). */
static const char sitemap_vacancies_sql[] =
	"SELECT id, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM "
	"vacancies WHERE status = 'published' AND closes_at > now() ORDER BY published_at DESC, id "
	"LIMIT $1::integer";

int robots_txt(struct req *r)
{
	struct buf out = { 0 };
	int status;

	buf_puts(&out, "# Teaching in Thurrock: the jobs and schools are listed in the sitemap.\n"
		       "User-agent: *\n"
		       "Disallow: /account/\n"
		       "Disallow: /school/\n"
		       "Disallow: /hr/\n"
		       "Disallow: /job-alerts/\n"
		       "Disallow: /api/\n"
		       "Disallow: /vacancies?\n"
		       "Disallow: /schools?\n"
		       "Disallow: /vacancies/*/apply\n"
		       "Sitemap: ");
	buf_puts(&out, app.cfg.base_url);
	buf_puts(&out, "/sitemap.xml\n");
	status = buf_failed(&out) ? http_send_error(r, 500, NULL)
				  : http_send(r, 200, "text/plain; charset=utf-8", out.data, out.len);
	buf_free(&out);
	return status;
}

/* Appends one <url> of the sitemap: base_url and path, and lastmod unless it is NULL. */
static void sitemap_url(struct buf *b, const char *path, const char *lastmod)
{
	buf_puts(b, "<url><loc>");
	xml_escape(b, app.cfg.base_url);
	xml_escape(b, path);
	buf_puts(b, "</loc>");
	if (lastmod != NULL) {
		buf_puts(b, "<lastmod>");
		xml_escape(b, lastmod);
		buf_puts(b, "</lastmod>");
	}
	buf_puts(b, "</url>\n");
}

int sitemap_xml(struct req *r)
{
	static const char *const pages[] = { "/", "/vacancies", "/schools" };
	PGresult *vacancies = NULL, *schools = NULL;
	struct buf out = { 0 };
	char limit[16], path[64];
	const char *vals[1] = { limit };
	PGconn *c = req_db(r);
	int status, i;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	snprintf(limit, sizeof limit, "%d", SITEMAP_VACANCIES);
	vacancies = PQexecParams(c, sitemap_vacancies_sql, 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(vacancies) == PGRES_TUPLES_OK)
		schools = PQexecParams(c, "SELECT urn FROM schools ORDER BY urn", 0, NULL, NULL, NULL,
				       NULL, 0);
	if (PQresultStatus(schools) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	buf_reserve(&out, 128 + 100 * (size_t)(PQntuples(vacancies) + PQntuples(schools)));
	buf_puts(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		       "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (i = 0; i < (int)(sizeof pages / sizeof pages[0]); i++)
		sitemap_url(&out, pages[i], NULL);
	for (i = 0; i < PQntuples(schools); i++) {
		snprintf(path, sizeof path, "/schools/%s", PQgetvalue(schools, i, 0));
		sitemap_url(&out, path, NULL);
	}
	for (i = 0; i < PQntuples(vacancies); i++) {
		snprintf(path, sizeof path, "/vacancies/%s", PQgetvalue(vacancies, i, 0));
		sitemap_url(&out, path, PQgetvalue(vacancies, i, 1));
	}
	buf_puts(&out, "</urlset>\n");
	status = buf_failed(&out)
			 ? http_send_error(r, 500, NULL)
			 : http_send(r, 200, "application/xml; charset=utf-8", out.data, out.len);
out:
	PQclear(vacancies);
	PQclear(schools);
	buf_free(&out);
	return status;
}
