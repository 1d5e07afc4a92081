/* hr_outbox.c - /hr/outbox: the email outbox for HR (the route table requires the role), newest
 * first, OUTBOX_PAGE_SIZE a page (?page=N); ?to= keeps the emails whose address contains it
 * ("did her invitation go out?").
 *
 * Each message shows its address, subject, when it was written and whether it went out (sent,
 * waiting, retrying with the last error, given up). The text of the messages is shown only when
 * this instance has no smtp_url and outbox_bodies is set (`make run` sets it): then nothing is
 * sent and the page is how a person running the portal locally reads the emails and follows
 * their links. Otherwise the text stays hidden, because it holds single-use links to other
 * people's accounts (an HR user could reset an admin's password and read the link here): a
 * live instance that lost its smtp_url must not start showing them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "handlers.h"
#include "log.h"
#include "mail.h"
#include "pagination.h"

#define OUTBOX_PAGE_SIZE 50
#define OUTBOX_PAGE_MAX 1000000

/* GOV.UK date style in the council's time zone: "7 January 2025 at 2:05pm". */
/* The emails whose address contains $4 ("" for every email), case aside. */
#define OUTBOX_TO "($4 = '' OR strpos(lower(to_address), lower($4)) > 0)"
#define OUTBOX_WHEN(col) SQL_WHEN_AT(col)
#define OUTBOX_ISO(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* Reads ?page: absent means 1; otherwise one value, digits only, 1..OUTBOX_PAGE_MAX. Returns 0
 * with *page set, or answers 400 and returns its status. */
static int outbox_page_param(struct req *r, long *page)
{
	const char *v = kv_get(&r->query, "page");
	char *end;

	*page = 1;
	if (v == NULL)
		return 0;
	errno = 0;
	*page = strtol(v, &end, 10);
	if (kv_count(&r->query, "page") > 1 || v[0] < '0' || v[0] > '9' || *end != '\0' ||
	    errno != 0 || *page < 1 || *page > OUTBOX_PAGE_MAX)
		return http_send_error(r, 400, "The page number must be a whole number from 1.");
	return 0;
}

/* True when line is a link to this portal: base_url, then '/', then no blanks. */
static bool portal_link(const char *line, size_t n)
{
	size_t blen = strlen(app.cfg.base_url);

	while (blen > 0 && app.cfg.base_url[blen - 1] == '/')
		blen--;
	if (blen == 0 || n <= blen || strncmp(line, app.cfg.base_url, blen) != 0 ||
	    line[blen] != '/')
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)line[i] <= ' ')
			return false;
	return true;
}

/* Moves the lines gathered so far into paras as one paragraph and empties *lines. Returns 0,
 * or -1 when out of memory. */
static int paragraph_end(json_t *paras, json_t **lines)
{
	int rc = 0;

	if (*lines != NULL)
		rc = json_array_append_new(paras, json_pack("{s:O}", "lines", *lines));
	json_decref(*lines);
	*lines = NULL;
	return rc;
}

/* The body as paragraphs of lines for the template: [{lines: [{text, first, href?}]}], a
 * paragraph ending at a blank line; a line that is a link to this portal gets href. Returns a
 * new reference, or NULL when out of memory. */
static json_t *body_paragraphs(const char *body)
{
	json_t *paras = json_array(), *lines = NULL, *line = NULL;
	const char *s = body;
	size_t n;

	if (paras == NULL)
		return NULL;
	for (;;) {
		n = strcspn(s, "\n");
		while (n > 0 && s[n - 1] == '\r')
			n--;
		if (n == 0) {
			if (paragraph_end(paras, &lines) != 0)
				goto fail;
		} else {
			if (lines == NULL && (lines = json_array()) == NULL)
				goto fail;
			line = json_pack("{s:s%, s:b}", "text", s, n, "first",
					 json_array_size(lines) == 0);
			if (line == NULL)
				goto fail;
			if (portal_link(s, n) &&
			    json_object_set_new(line, "href", json_stringn(s, n)) != 0)
				goto fail;
			if (json_array_append(lines, line) != 0)
				goto fail;
			json_decref(line);
			line = NULL;
		}
		s += strcspn(s, "\n");
		if (*s == '\0')
			break;
		s++;
	}
	if (paragraph_end(paras, &lines) != 0)
		goto fail;
	return paras;
fail:
	json_decref(line);
	json_decref(lines);
	json_decref(paras);
	return NULL;
}

/* Sets the status keys of one message: status (tag text), tag (GOV.UK tag modifier class),
 * status_detail. Returns 0, or -1 when out of memory. */
static int message_status(json_t *m, const PGresult *res, int i, int attempts)
{
	char detail[160];
	const char *status, *tag;

	detail[0] = '\0';
	if (!PQgetisnull(res, i, 6)) {
		status = "Sent";
		tag = "govuk-tag--green";
		snprintf(detail, sizeof detail, "%s", PQgetvalue(res, i, 6));
	} else if (attempts >= MAIL_MAX_ATTEMPTS) {
		status = "Not sent";
		tag = "govuk-tag--red";
		snprintf(detail, sizeof detail, "Given up after %d attempts", attempts);
	} else if (app.cfg.smtp_url[0] == '\0') {
		status = "Not sent";
		tag = "govuk-tag--grey";
		snprintf(detail, sizeof detail, "No SMTP server is configured");
	} else if (attempts > 0) {
		status = "Retrying";
		tag = "govuk-tag--yellow";
		snprintf(detail, sizeof detail, "Next attempt %s", PQgetvalue(res, i, 10));
	} else {
		status = "Waiting";
		tag = "";
	}
	return json_object_set_new(m, "status", json_string(status)) ||
	       json_object_set_new(m, "tag", json_string(tag)) ||
	       json_object_set_new(m, "status_detail", json_string(detail));
}

/* The model of row i of the page query. show_body adds has_body and the text as paragraphs.
 * Returns a new reference, or NULL when out of memory. */
static json_t *message_model(const PGresult *res, int i, bool show_body)
{
	int attempts = atoi(PQgetvalue(res, i, 8));
	json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s?}", "id", PQgetvalue(res, i, 0),
			      "to", PQgetvalue(res, i, 1), "subject", PQgetvalue(res, i, 2),
			      "created", PQgetvalue(res, i, 4), "created_iso",
			      PQgetvalue(res, i, 5), "attempts", attempts, "last_error",
			      PQgetisnull(res, i, 9) ? NULL : PQgetvalue(res, i, 9));

	if (m == NULL || message_status(m, res, i, attempts) != 0 ||
	    json_object_set_new(m, "has_body", json_boolean(show_body)) != 0 ||
	    (show_body &&
	     json_object_set_new(m, "paragraphs", body_paragraphs(PQgetvalue(res, i, 3))) != 0)) {
		json_decref(m);
		return NULL;
	}
	return m;
}

/* The address of page `page` of the outbox for the search `to` ("" for every email) into b:
 * page_url_fn (pagination.h). */
static void outbox_url(struct buf *b, long page, const void *to)
{
	const char *t = to;

	buf_printf(b, "/hr/outbox?page=%ld", page);
	if (t[0] != '\0') {
		buf_puts(b, "&to=");
		url_encode(b, t);
	}
}

int hr_outbox(struct req *r)
{
	PGconn *c;
	PGresult *res = NULL;
	json_t *model = NULL, *messages = NULL, *m, *pages_model = NULL;
	const bool show_body = app.cfg.smtp_url[0] == '\0' && app.cfg.outbox_bodies == 1;
	const char *to = kv_get(&r->query, "to");
	char offset[24], limit[24];
	const char *vals[4] = { offset, show_body ? "true" : "false", limit, NULL };
	long page, total = 0, pages, first;
	int status, i;

	status = outbox_page_param(r, &page);
	if (status != 0)
		return status;
	if (to == NULL)
		to = "";
	if (kv_count(&r->query, "to") > 1 || strlen(to) > 254)
		return http_send_error(r, 400, "Search for one email address of at most 254 "
					       "characters.");
	vals[3] = to;
	c = req_db(r);
	if (c == NULL)
		return http_send_error(r, 503, NULL);
	snprintf(offset, sizeof offset, "%ld", (page - 1) * OUTBOX_PAGE_SIZE);
	snprintf(limit, sizeof limit, "%d", OUTBOX_PAGE_SIZE);
	res = PQexecParams(c,
			   "SELECT id, to_address, subject, CASE WHEN $2::boolean THEN body END, "
			   OUTBOX_WHEN("created_at") ", " OUTBOX_ISO("created_at") ", "
			   OUTBOX_WHEN("sent_at") ", " OUTBOX_ISO("sent_at") ", attempts, "
			   "last_error, " OUTBOX_WHEN("next_attempt_at") ", "
			   "(SELECT count(*) FROM outbox WHERE " OUTBOX_TO ") "
			   "FROM outbox WHERE " OUTBOX_TO " ORDER BY id DESC LIMIT $3 OFFSET $1",
			   4, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQresultErrorMessage(res));
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if (PQntuples(res) == 0 && page > 1) {
		status = http_send_error(r, 404, "There is no such page of the outbox.");
		goto out;
	}
	if (PQntuples(res) > 0)
		total = strtol(PQgetvalue(res, 0, 11), NULL, 10);
	messages = json_array();
	if (messages == NULL)
		goto oom;
	for (i = 0; i < PQntuples(res); i++) {
		m = message_model(res, i, show_body);
		if (m == NULL || json_array_append_new(messages, m) != 0)
			goto oom;
	}
	pages = (total + OUTBOX_PAGE_SIZE - 1) / OUTBOX_PAGE_SIZE;
	if (pages > 1 && (pages_model = pagination_model(page, pages, outbox_url, to)) == NULL)
		goto oom;
	first = (page - 1) * OUTBOX_PAGE_SIZE;
	model = json_pack("{s:O, s:I, s:I, s:I, s:I, s:I, s:b, s:b, s:b, s:O?, s:s}", "messages",
			  messages, "total", (json_int_t)total, "page", (json_int_t)page, "pages",
			  (json_int_t)pages, "first", (json_int_t)(first + 1), "last",
			  (json_int_t)(first + PQntuples(res)), "show_bodies", show_body, "no_smtp",
			  app.cfg.smtp_url[0] == '\0', "paged", pages > 1, "pagination",
			  pages_model, "to", to);
	if (model == NULL)
		goto oom;
	status = view_render(r, 200, "hr/outbox", model);
	goto out;
oom:
	status = http_send_error(r, 500, NULL);
out:
	PQclear(res);
	json_decref(messages);
	json_decref(pages_model);
	json_decref(model);
	return status;
}
