/* application_documents.c - a candidate's CV and covering letter; see application_documents.h.
 *
 * Who may touch a document is decided by the application it belongs to:
 * application_for_candidate (the candidate's own) or application_for_school (the vacancy's
 * school staff, never a draft). A document is then looked up by its id AND that application's
 * id, so the id of a document of another application is "not found" whatever application the
 * URL names.
 *
 * An upload is checked in this order: the application is the candidate's (else 404), the kind
 * is cv or cover_letter (else 400: the form sends it), the application is a draft, and the file
 * passes upload_check (chosen, not empty, at most 5 MB, a PDF or a DOCX by its bytes). The
 * client's file name is only ever shown, after filetype_display_name(); the file is stored in
 * the database under a random key. Downloads go out through upload_send.
 * A new file of a kind replaces the old one in the same transaction.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "application_documents.h"
#include "applications.h"
#include "auth.h"
#include "db.h"
#include "fields.h"
#include "filetype.h"
#include "handlers.h"
#include "log.h"
#include "multipart.h"
#include "upload.h"

/* Why an upload or a deletion is refused atop the page; the file's own checks (upload_check)
 * are shown beside the kind's file input. */
static const char msg_submitted[] =
	"You cannot change the documents of an application you have submitted";

/* The kinds of document, in page order. */
static const struct doc_kind {
	const char *kind;
	const char *label;    /* as a heading */
	const char *noun;     /* in a sentence */
} kinds[] = {
	{ "cv", "CV", "CV" },
	{ "cover_letter", "Covering letter", "covering letter" },
};

#define NKINDS (sizeof kinds / sizeof kinds[0])

/* The kind called name, or NULL. */
static const struct doc_kind *kind_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < NKINDS; i++)
		if (strcmp(kinds[i].kind, name) == 0)
			return &kinds[i];
	return NULL;
}

json_t *application_documents_list(PGconn *c, long long application_id, const char *url_base)
{
	char id[24], label[32], url[192];
	const char *vals[1] = { id };
	const struct doc_kind *k;
	json_t *list = NULL;
	PGresult *res;
	int i;

	snprintf(id, sizeof id, "%lld", application_id);
	res = PQexecParams(c, "SELECT id, kind, filename, size, content_type FROM "
			      "application_documents WHERE application_id = $1::bigint "
			      "ORDER BY kind <> 'cv', id", 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	list = json_array();
	for (i = 0; list != NULL && i < PQntuples(res); i++) {
		k = kind_find(PQgetvalue(res, i, 1));
		filetype_size_label(strtoll(PQgetvalue(res, i, 3), NULL, 10), label, sizeof label);
		snprintf(url, sizeof url, "%s/%s", url_base, PQgetvalue(res, i, 0));
		if (json_array_append_new(
			    list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
					    (json_int_t)strtoll(PQgetvalue(res, i, 0), NULL, 10),
					    "kind", PQgetvalue(res, i, 1), "kind_label",
					    k != NULL ? k->label : "Document", "filename",
					    PQgetvalue(res, i, 2), "size_label", label, "type_label",
					    strcmp(PQgetvalue(res, i, 4), "application/pdf") == 0
						    ? "PDF" : "Word document",
					    "url", url)) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
out:
	PQclear(res);
	return list;
}

/* ---- the section page ------------------------------------------------------------------- */

/* The page's forms: a new array of {kind, label, noun, field ("document-cv"), document (the
 * one of that kind in docs, if any), kind_error (message, for kind bad only)}; the message
 * also goes into model's error summary, linked to the field. NULL when out of memory. */
static json_t *kinds_model(const json_t *docs, const struct doc_kind *bad, const char *message,
			   json_t *model)
{
	char field[48];
	json_t *list = json_array(), *item, *d;
	size_t i, j;

	for (i = 0; list != NULL && i < NKINDS; i++) {
		snprintf(field, sizeof field, "document-%s", kinds[i].kind);
		item = json_pack("{s:s, s:s, s:s, s:s}", "kind", kinds[i].kind, "label",
				 kinds[i].label, "noun", kinds[i].noun, "field", field);
		if (json_array_append_new(list, item) != 0)
			goto fail;
		json_array_foreach(docs, j, d)
			if (json_equal(json_object_get(d, "kind"), json_object_get(item, "kind")) &&
			    json_object_set(item, "document", d) != 0)
				goto fail;
		if (bad == &kinds[i] &&
		    (json_object_set_new(item, "kind_error", json_string(message)) != 0 ||
		     form_error(model, field, message) != 0))
			goto fail;
	}
	return list;
fail:
	json_decref(list);
	return NULL;
}

/* Renders the documents page of a (the candidate's) with status. When message is not NULL the
 * page shows it: beside the file input of kind bad (the error summary links to
 * #document-<kind>), or atop the page when bad is NULL (#documents). A notice follows
 * ?document=added|deleted. Returns the status sent. */
static int documents_page(struct req *r, PGconn *c, const struct application *a, int status,
			  const struct doc_kind *bad, const char *message)
{
	const char *done = kv_get(&r->query, "document");
	char back[64], upload[96];
	json_t *model = json_object(), *docs;

	snprintf(back, sizeof back, "/account/applications/%lld", a->id);
	snprintf(upload, sizeof upload, "%s/documents", back);
	docs = application_documents_list(c, a->id, upload);
	if (docs == NULL) {
		status = http_send_error(r, 503, NULL);
		goto out;
	}
	if (model == NULL ||
	    json_object_set_new(model, "kinds", kinds_model(docs, bad, message, model)) != 0 ||
	    json_object_set(model, "application", a->model) != 0 ||
	    json_object_set_new(model, "can_edit",
				json_boolean(strcmp(a->status, "draft") == 0)) != 0 ||
	    json_object_set_new(model, "upload_url", json_string(upload)) != 0 ||
	    json_object_set_new(model, "back_url", json_string(back)) != 0 ||
	    (bad == NULL && message != NULL &&
	     (json_object_set_new(model, "page_error", json_string(message)) != 0 ||
	      form_error(model, "documents", message) != 0)) ||
	    (done != NULL && (strcmp(done, "added") == 0 || strcmp(done, "deleted") == 0) &&
	     json_object_set_new(model, "notice",
				 json_string(done[0] == 'a' ? "Document uploaded"
							    : "Document deleted")) != 0)) {
		status = http_send_error(r, 500, NULL);
		goto out;
	}
	status = view_render(r, status, "account/application_documents", model);
out:
	json_decref(docs);
	json_decref(model);
	return status;
}

/* GET /account/applications/{id}/documents: what is attached, and an upload form per kind. */
int candidate_application_documents(struct req *r)
{
	struct application a;
	PGconn *c = req_db(r);
	int status;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = application_for_candidate(r, c, &a);
	if (status < 0)
		return -status;
	status = documents_page(r, c, &a, 200, NULL, NULL);
	application_free(&a);
	return status;
}

/* ---- upload and delete ------------------------------------------------------------------ */

/* What a refused or done change comes to. */
enum doc_change {
	DOC_DONE = 0,
	DOC_NOT_DRAFT = 1,   /* the application is no longer a draft: nothing changed */
	DOC_NOT_FOUND = 2,   /* the application has no such document */
};

/* Runs sql (n parameters vals, lens, formats: see PQexecParams; bytea parameters in binary)
 * inside a transaction of its own after locking application app_id, only while it is a draft.
 * Returns DOC_DONE, DOC_NOT_DRAFT, DOC_NOT_FOUND when the statement changed no row, or -1 on a
 * database error (logged). Rolled back unless DOC_DONE. */
static int draft_change(PGconn *c, const char *app_id, const char *sql, int n,
			const char *const *vals, const int *lens, const int *formats)
{
	const char *id[1] = { app_id };
	PGresult *res;
	int rc = -1;

	if (db_tx(c, "BEGIN") != 0)
		return -1;
	res = PQexecParams(c, "SELECT status = 'draft' FROM applications WHERE id = $1::bigint "
			      "FOR UPDATE", 1, NULL, id, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	if (PQntuples(res) != 1 || PQgetvalue(res, 0, 0)[0] != 't') {
		rc = DOC_NOT_DRAFT;
		goto out;
	}
	PQclear(res);
	res = PQexecParams(c, sql, n, NULL, vals, lens, formats, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	rc = strcmp(PQcmdTuples(res), "0") == 0 ? DOC_NOT_FOUND : DOC_DONE;
	if (rc == DOC_DONE && db_tx(c, "COMMIT") != 0)
		rc = -1;
out:
	if (rc != DOC_DONE)
		db_tx(c, "ROLLBACK");
	PQclear(res);
	return rc;
}

/* Stores file f of checked type t as the document of kind k of application id, replacing the
 * one of that kind (one statement, in draft_change's transaction). Returns DOC_DONE,
 * DOC_NOT_DRAFT or -1 (logged). */
static int document_store(PGconn *c, long long id, const struct doc_kind *k,
			  const struct multipart_file *f, enum filetype t)
{
	char app[24], key[TOKEN_LEN + 1], name[FILETYPE_NAME_BYTES], size[24];
	const char *vals[7] = { app, k->kind, key, name, filetype_mime(t), size, f->data };
	const int lens[7] = { 0, 0, 0, 0, 0, 0, (int)f->len };
	const int formats[7] = { 0, 0, 0, 0, 0, 0, 1 };

	snprintf(app, sizeof app, "%lld", id);
	snprintf(size, sizeof size, "%zu", f->len);
	filetype_display_name(f->filename, t, name);
	if (auth_random_token(key) != 0)
		return -1;
	/* The upsert replaces the earlier file of the kind (UNIQUE (application_id, kind)) in
	 * one statement: the row keeps its id, with a new key and the new file. */
	return draft_change(c, app,
			    "INSERT INTO application_documents (application_id, kind, key, filename, "
			    "content_type, size, data) VALUES ($1::bigint, $2, $3, $4, $5, "
			    "$6::integer, $7::bytea) ON CONFLICT (application_id, kind) DO UPDATE SET "
			    "key = EXCLUDED.key, filename = EXCLUDED.filename, content_type = "
			    "EXCLUDED.content_type, size = EXCLUDED.size, data = EXCLUDED.data, "
			    "created_at = now()", 7, vals, lens, formats);
}

/* POST /account/applications/{id}/documents: stores the file of field "document" as the
 * document of kind "kind" (cv, cover_letter), replacing the one of that kind; then 303 to the
 * page. Refused: the page again, 422, the reason beside the kind's file input. */
int candidate_application_document_upload(struct req *r)
{
	const struct multipart_file *file = multipart_file_get(r->files, r->nfiles, "document");
	const struct doc_kind *k = kind_find(kv_get(&r->form, "kind"));
	struct upload_result check;
	const char *refusal;
	struct application a;
	char path[96];
	PGconn *c = req_db(r);
	int status;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = application_for_candidate(r, c, &a);
	if (status < 0)
		return -status;
	if (k == NULL) {
		status = http_send_error(r, 400, "Say whether the file is a CV or a covering letter.");
		goto out;
	}
	refusal = strcmp(a.status, "draft") != 0
			  ? msg_submitted
			  : upload_check(r, file, APPLICATION_DOCUMENT_MAX_BYTES, &check);
	if (refusal == NULL) {
		switch (document_store(c, a.id, k, file, check.type)) {
		case DOC_DONE:
			break;
		case DOC_NOT_DRAFT:
			refusal = msg_submitted;
			break;
		default:
			status = http_send_error(r, 503, NULL);
			goto out;
		}
	}
	if (refusal != NULL) {
		status = documents_page(r, c, &a, 422, refusal == msg_submitted ? NULL : k, refusal);
		goto out;
	}
	snprintf(path, sizeof path, "/account/applications/%lld/documents?document=added", a.id);
	status = http_redirect(r, path);
out:
	application_free(&a);
	return status;
}

/* POST /account/applications/{id}/documents/{doc}/delete: deletes document doc (an id) of the
 * candidate's draft; then 303 to the page. Another application's document: 404. */
int candidate_application_document_delete(struct req *r)
{
	long long doc = r->nparams > 1 ? http_id_parse(r->params[1]) : 0;
	char app[24], doc_s[24], path[96];
	const char *vals[2] = { app, doc_s };
	struct application a;
	PGconn *c = req_db(r);
	int status;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = application_for_candidate(r, c, &a);
	if (status < 0)
		return -status;
	snprintf(app, sizeof app, "%lld", a.id);
	snprintf(doc_s, sizeof doc_s, "%lld", doc);
	switch (doc <= 0 ? DOC_NOT_FOUND
			 : draft_change(c, app, "DELETE FROM application_documents WHERE "
						"application_id = $1::bigint AND id = $2::bigint",
					2, vals, NULL, NULL)) {
	case DOC_DONE:
		snprintf(path, sizeof path, "/account/applications/%lld/documents?document=deleted",
			 a.id);
		status = http_redirect(r, path);
		break;
	case DOC_NOT_DRAFT:
		status = documents_page(r, c, &a, 422, NULL, msg_submitted);
		break;
	case DOC_NOT_FOUND:
		status = http_send_error(r, 404, NULL);
		break;
	default:
		status = http_send_error(r, 503, NULL);
	}
	application_free(&a);
	return status;
}

/* ---- downloads -------------------------------------------------------------------------- */

/* Sends document doc (a path segment: its id) of application app_id through upload_send, with
 * no-store; 404 when the application has no such document. Returns the status sent. */
static int document_send(struct req *r, PGconn *c, long long app_id, const char *doc)
{
	long long id = http_id_parse(doc);
	char app[24], doc_s[24];
	const char *vals[2] = { app, doc_s };
	PGresult *res = NULL;
	int status = 404;

	if (id <= 0)
		goto out;
	snprintf(app, sizeof app, "%lld", app_id);
	snprintf(doc_s, sizeof doc_s, "%lld", id);
	/* Binary results: the text columns arrive as their bytes, the data without hex encoding. */
	res = PQexecParams(c, "SELECT filename, content_type, data FROM application_documents "
			      "WHERE application_id = $1::bigint AND id = $2::bigint",
			   2, NULL, vals, NULL, NULL, 1);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		status = 503;
		goto out;
	}
	if (PQntuples(res) != 1)
		goto out;
	status = upload_send(r, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
			     (size_t)PQgetlength(res, 0, 2), "no-store");
out:
	PQclear(res);
	return r->status != 0 ? status : http_send_error(r, status, NULL);
}

/* Loads the application of the path for its candidate or, when school, for the staff of its
 * vacancy's school (SCHOOL_VIEWER; never a draft), then sends its document {doc}. Returns the
 * status sent. */
static int document_download(struct req *r, bool school)
{
	struct application a;
	PGconn *c = req_db(r);
	int status;

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = school ? application_for_school(r, c, SCHOOL_VIEWER, &a, NULL)
			: application_for_candidate(r, c, &a);
	if (status < 0)
		return -status;
	status = document_send(r, c, a.id, r->params[1]);
	application_free(&a);
	return status;
}

/* GET /account/applications/{id}/documents/{doc}: the candidate's own document. */
int candidate_application_document_download(struct req *r)
{
	return document_download(r, false);
}

/* GET /school/applications/{id}/documents/{doc}: a document of a submitted application, for
 * the staff of its vacancy's school. */
int school_application_document_download(struct req *r)
{
	return document_download(r, true);
}
