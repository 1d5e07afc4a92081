/* kept_form_page.c - GET /account/kept-form?token=T: a form its account sent after its session
 * ended, kept (kept_form.c: the sign-in page leads here), with a button that sends it on, as it
 * was sent, to where it was going - with this session's CSRF token. Nothing is saved until the
 * person presses it; the kept form is deleted when it expires (KEPT_FORM_HOURS). */
#include <jansson.h>
#include <openssl/crypto.h>
#include <string.h>

#include "accounts.h"
#include "auth.h"
#include "db.h"
#include "handlers.h"
#include "markdown.h"

/* Appends to texts {html} of value when it is text someone typed (it has a blank: not a
 * choice's code or a number), rendered as the pages render what schools and candidates write
 * (markdown.h). Returns 0, or -1 when out of memory. */
static int text_add(json_t *texts, const char *value)
{
	struct buf html = { 0 };
	int rc;

	if (strchr(value, ' ') == NULL)
		return 0;
	rc = markdown_html(value, &html) != 0 ||
			     json_array_append_new(texts, json_pack("{s:s}", "html",
								    buf_str(&html))) != 0
		     ? -1
		     : 0;
	buf_free(&html);
	return rc;
}

/* The model of a kept form: {action, fields: [{name, value}], texts: [{html}] (what was typed,
 * to read before sending it), has_texts, back (where not sending it leads)}. NULL when out of
 * memory or the fields do not read. */
static json_t *kept_model(const char *path, const char *fields, const char *back)
{
	struct kvlist l = { 0 };
	json_t *model = NULL, *list = json_array(), *texts = json_array();
	size_t i;

	if (list == NULL || texts == NULL || form_parse(fields, strlen(fields), &l) != 0)
		goto out;
	for (i = 0; i < l.len; i++)
		if (json_array_append_new(list, json_pack("{s:s, s:s}", "name", l.items[i].name,
							  "value", l.items[i].value)) != 0 ||
		    text_add(texts, l.items[i].value) != 0)
			goto out;
	model = json_pack("{s:s, s:O, s:O, s:b, s:s}", "action", path, "fields", list, "texts",
			  texts, "has_texts", json_array_size(texts) > 0, "back", back);
out:
	for (i = 0; i < l.len; i++)
		OPENSSL_cleanse(l.items[i].value, strlen(l.items[i].value));
	kv_free(&l);
	json_decref(list);
	json_decref(texts);
	return model;
}

int kept_form_show(struct req *r)
{
	PGconn *c = req_db(r);
	PGresult *res = NULL;
	json_t *model = NULL;
	int found, status;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	found = kept_form_find(c, kv_get(&r->query, "token"), r->user->id, &res);
	if (found <= 0)
		return found < 0 ? http_send_error(r, 503, NULL)
				 : http_send_error(r, 404,
						   "What you sent has been deleted: it is kept for "
						   SQL_INT(KEPT_FORM_HOURS) " hours only, for the "
						   "account that sent it.");
	model = kept_model(PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
			   account_home(r->user->role));
	PQclear(res);
	if (model == NULL || http_add_header(r, "Cache-Control", "no-store") != 0)
		status = http_send_error(r, 500, NULL);
	else
		status = view_render(r, 200, "account/kept_form", model);
	json_decref(model);
	return status;
}
