/* kept_form.c - a form sent after its session ended is kept, not lost; see auth.h. Staff
 * sessions end after 30 minutes without a request, and a job description can take longer to
 * write: with JavaScript the page keeps the session alive, without it the form used to be
 * refused. The pipeline (server.c) keeps such a POST (migration 0022) and sends the browser to
 * sign in, then to /account/kept-form, which shows the kept fields and sends them on. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "db.h"
#include "log.h"

/* Bytes of a kept form's fields at most (the column's limit). */
#define KEPT_FORM_MAX 524288

/* Kept forms an account may have at once: the oldest go first. */
#define KEPT_FORMS_PER_USER 20

/* The fields of r's form but its CSRF token, url-encoded, into b. */
static void fields_encode(const struct req *r, struct buf *b)
{
	size_t i;

	for (i = 0; i < r->form.len; i++) {
		if (strcmp(r->form.items[i].name, "csrf_token") == 0)
			continue;
		if (b->len > 0)
			buf_putc(b, '&');
		url_encode(b, r->form.items[i].name);
		buf_putc(b, '=');
		url_encode(b, r->form.items[i].value);
	}
}

int kept_form_keep(struct req *r, char token[TOKEN_LEN + 1])
{
	char uid[24];
	const char *vals[4] = { uid, r->path, NULL, SQL_INT(KEPT_FORM_HOURS) };
	struct buf fields = { 0 };
	PGconn *c = req_db(r);
	PGresult *res = NULL;
	int rc = 0;

	if (r->lapsed_user_id <= 0 || c == NULL || !origin_same_site(r) || strlen(r->path) > 200)
		return 0;
	fields_encode(r, &fields);
	if (buf_failed(&fields) || fields.len > KEPT_FORM_MAX)
		goto out;
	snprintf(uid, sizeof uid, "%lld", r->lapsed_user_id);
	vals[2] = buf_str(&fields);
	rc = -1;
	res = PQexecParams(c, "DELETE FROM kept_forms WHERE user_id = $1::bigint AND "
			      "token_hash NOT IN (SELECT token_hash FROM kept_forms WHERE "
			      "user_id = $1::bigint ORDER BY created_at DESC LIMIT "
			      SQL_INT(KEPT_FORMS_PER_USER) " - 1)",
			   1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	if (link_token_insert(c, "INSERT INTO kept_forms (token_hash, user_id, path, fields, "
				 "expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(hours "
				 "=> $5::integer))",
			      4, vals, token) != 0)
		goto out;
	log_event(LOG_INFO, "form kept after its session ended", "path", r->path, NULL);
	rc = 1;
out:
	PQclear(res);
	OPENSSL_cleanse(fields.data, fields.cap);
	buf_free(&fields);
	return rc;
}

int kept_form_find(PGconn *c, const char *token, long long user_id, PGresult **res)
{
	int rc = link_token_find(c, "SELECT path, fields, user_id FROM kept_forms WHERE "
				    "token_hash = $1 AND expires_at > now()",
				 token, res);

	if (rc == 1 && strtoll(PQgetvalue(*res, 0, 2), NULL, 10) != user_id) {
		PQclear(*res);
		*res = NULL;
		rc = 0;
	}
	return rc;
}
