/* vacancy_documents.c - upload, delete and download of a vacancy's supporting documents; see
 * vacancy_documents.h.
 *
 * An upload is checked in this order: the vacancy exists and the user is a hiring manager of its
 * school (else 404), it is not closed, the file passes upload_check (chosen, not empty, at most
 * 10 MB, a PDF or a DOCX by its bytes), and the vacancy has room. The client's file name is only
 * ever shown, after filetype_display_name(); the file is stored in the database under a random
 * key that names it in download URLs.
 * Downloads go out through upload_send (an attachment, nosniff, a sandbox CSP): public while
 * the vacancy is live (published, closing date ahead), else only for the school's staff (and
 * HR), 404 for everyone else.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "fields.h"
#include "filetype.h"
#include "handlers.h"
#include "log.h"
#include "multipart.h"
#include "school_vacancies.h"
#include "upload.h"
#include "vacancy_documents.h"

/* Why an upload or a deletion is refused atop the documents section; the file's own checks
 * (upload_check) are shown beside the file input. */
static const char msg_limit[] = "You can add up to 10 documents. Delete one to add another";
static const char msg_closed[] = "The documents of a closed vacancy cannot be changed";

/* The vacancy as the upload and delete actions need it. */
struct vacancy_ref {
	long long id;
	char id_s[24];
	char status[16];
	long count;           /* documents it has */
	char *before;         /* JSON array of their file names (malloc'd), for vacancy_edits */
};

/* True when key has the shape of auth_random_token(): TOKEN_LEN base64url characters. */
static bool key_ok(const char *key)
{
	size_t n = strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

	return n == TOKEN_LEN && key[n] == '\0';
}

json_t *vacancy_documents_list(PGconn *c, long long vacancy_id)
{
	char id[24], label[32], url[128], del[128];
	const char *vals[1] = { id };
	json_t *list = NULL;
	PGresult *res;
	long long size;
	int i;

	snprintf(id, sizeof id, "%lld", vacancy_id);
	res = PQexecParams(c, "SELECT id, key, filename, size, content_type FROM vacancy_documents "
			      "WHERE vacancy_id = $1::bigint ORDER BY id", 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	list = json_array();
	for (i = 0; list != NULL && i < PQntuples(res); i++) {
		size = strtoll(PQgetvalue(res, i, 3), NULL, 10);
		filetype_size_label(size, label, sizeof label);
		snprintf(url, sizeof url, "/vacancies/%lld/documents/%s", vacancy_id,
			 PQgetvalue(res, i, 1));
		snprintf(del, sizeof del, "/school/vacancies/%lld/documents/%s/delete", vacancy_id,
			 PQgetvalue(res, i, 0));
		if (json_array_append_new(
			    list, json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "id",
					    (json_int_t)strtoll(PQgetvalue(res, i, 0), NULL, 10),
					    "key", PQgetvalue(res, i, 1), "filename",
					    PQgetvalue(res, i, 2), "size", (json_int_t)size,
					    "size_label", label, "type_label",
					    strcmp(PQgetvalue(res, i, 4), "application/pdf") == 0
						    ? "PDF" : "Word document",
					    "url", url, "delete_url", del)) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
out:
	PQclear(res);
	return list;
}

int vacancy_documents_model(PGconn *c, const struct req *r, long long vacancy_id, json_t *model)
{
	const char *done = kv_get(&r->query, "document");
	json_t *list = vacancy_documents_list(c, vacancy_id);
	char upload[96];
	size_t n;

	if (list == NULL)
		return -1;
	n = json_array_size(list);
	snprintf(upload, sizeof upload, "/school/vacancies/%lld/documents", vacancy_id);
	if (json_object_set_new(model, "documents", list) != 0 ||
	    json_object_set_new(model, "has_documents", json_boolean(n > 0)) != 0 ||
	    json_object_set_new(model, "documents_full",
				json_boolean(n >= VACANCY_DOCUMENTS_MAX)) != 0 ||
	    json_object_set_new(model, "document_limit", json_integer(VACANCY_DOCUMENTS_MAX)) != 0 ||
	    json_object_set_new(model, "upload_url", json_string(upload)) != 0)
		return -1;
	if (done != NULL && (strcmp(done, "added") == 0 || strcmp(done, "deleted") == 0) &&
	    json_object_set_new(model, "document_notice",
				json_string(done[0] == 'a' ? "Document uploaded"
							   : "Document deleted")) != 0)
		return -1;
	return 0;
}

/* 303 to the vacancy's summary page with ?document=done (the notice). */
static int summary_redirect(struct req *r, long long id, const char *done)
{
	char path[128];

	snprintf(path, sizeof path, "/school/vacancies/%lld?document=%s#documents", id, done);
	return http_redirect(r, path);
}

/* Answers a refused upload or delete: the summary page of f again (which shows the documents
 * through vacancy_documents_model), with status 422, the message in the error summary and
 * beside the file input (document_error), or atop the documents section when the input is not
 * shown, the vacancy being closed or full (documents_error). Nothing was changed. Returns the
 * status sent. */
static int summary_refuse(struct req *r, PGconn *c, struct vacancy_form *f, bool can_manage,
			  const char *message)
{
	bool section = message == msg_closed || message == msg_limit;
	const char *field = section ? "documents" : "document";
	json_t *extra = json_object();
	int status;

	if (extra == NULL ||
	    json_object_set_new(extra, section ? "documents_error" : "document_error",
				json_string(message)) != 0 ||
	    json_object_set_new(extra, "document_errors",
				json_pack("[{s:s, s:s}]", "field", field, "message", message)) != 0 ||
	    json_object_set_new(extra, "has_document_errors", json_true()) != 0 ||
	    form_error(extra, field, message) != 0)
		status = http_send_error(r, 503, NULL);
	else
		status = school_vacancy_summary(r, c, f, can_manage, extra, 422);
	json_decref(extra);
	return status;
}

/* Locks vacancy v->id (inside the caller's transaction) and reads its status and its
 * documents' count and names into v. Returns 1 when found, 0 when not, -1 on a database error
 * (logged). */
static int vacancy_lock(PGconn *c, struct vacancy_ref *v)
{
	const char *vals[1] = { v->id_s };
	PGresult *res;
	int rc = -1;

	snprintf(v->id_s, sizeof v->id_s, "%lld", v->id);
	res = PQexecParams(c, "SELECT v.status, (SELECT count(*) FROM vacancy_documents d WHERE "
			      "d.vacancy_id = v.id), (SELECT coalesce(jsonb_agg(d.filename ORDER BY "
			      "d.id), '[]')::text FROM vacancy_documents d WHERE d.vacancy_id = "
			      "v.id) FROM vacancies v WHERE v.id = $1::bigint FOR UPDATE OF v",
			   1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	rc = PQntuples(res) == 1;
	if (rc == 1) {
		snprintf(v->status, sizeof v->status, "%s", PQgetvalue(res, 0, 0));
		v->count = strtol(PQgetvalue(res, 0, 1), NULL, 10);
		v->before = strdup(PQgetvalue(res, 0, 2));
		if (v->before == NULL)
			rc = -1;
	}
out:
	PQclear(res);
	return rc;
}

/* Records a change of a live (scheduled or published) vacancy's documents in vacancy_edits:
 * before is v->before, after is read now. Drafts are not recorded. Returns 0 or -1. */
static int edit_record(PGconn *c, const struct req *r, const struct vacancy_ref *v)
{
	char actor[24];
	const char *vals[3] = { v->id_s, actor, v->before };
	PGresult *res;
	int rc = 0;

	if (strcmp(v->status, "published") != 0 && strcmp(v->status, "scheduled") != 0)
		return 0;
	snprintf(actor, sizeof actor, "%lld", r->user->id);
	res = PQexecParams(c, "INSERT INTO vacancy_edits (vacancy_id, actor_id, fields, before, "
			      "after) SELECT $1::bigint, $2::bigint, '{documents}', "
			      "jsonb_build_object('documents', $3::jsonb), "
			      "jsonb_build_object('documents', coalesce(jsonb_agg(d.filename ORDER "
			      "BY d.id), '[]')) FROM vacancy_documents d WHERE d.vacancy_id = "
			      "$1::bigint", 3, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		rc = -1;
	}
	PQclear(res);
	return rc;
}

/* Stores file f of type t for v (locked) and records the edit. Returns 0 or -1. */
static int document_insert(PGconn *c, const struct req *r, const struct vacancy_ref *v,
			   const struct multipart_file *f, enum filetype t)
{
	char key[TOKEN_LEN + 1], name[FILETYPE_NAME_BYTES], size[24], actor[24];
	const char *vals[7] = { v->id_s, key, name, filetype_mime(t), size, f->data, actor };
	const Oid types[7] = { 0, 0, 0, 0, 0, 17 /* bytea */, 0 };
	const int lens[7] = { 0, 0, 0, 0, 0, (int)f->len, 0 };
	const int formats[7] = { 0, 0, 0, 0, 0, 1, 0 };
	PGresult *res;
	int rc = -1;

	if (auth_random_token(key) != 0)
		return -1;
	filetype_display_name(f->filename, t, name);
	snprintf(size, sizeof size, "%zu", f->len);
	snprintf(actor, sizeof actor, "%lld", r->user->id);
	res = PQexecParams(c, "INSERT INTO vacancy_documents (vacancy_id, key, filename, "
			      "content_type, size, data, created_by) VALUES ($1::bigint, $2, $3, "
			      "$4, $5::integer, $6, $7::bigint)", 7, types, vals, lens, formats, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		log_errorf(__func__, "%s", PQerrorMessage(c));
	else
		rc = edit_record(c, r, v);
	PQclear(res);
	return rc;
}

/* POST /school/vacancies/{id}/documents: stores the file of field "document". */
int school_vacancy_document_upload(struct req *r)
{
	const struct multipart_file *file = multipart_file_get(r->files, r->nfiles, "document");
	struct vacancy_ref v = { 0 };
	struct vacancy_form f;
	struct upload_result check;
	const char *refusal;
	bool can_manage = false, open = false;
	int status, found;
	PGconn *c = req_db(r);

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = school_vacancy_load(r, c, SCHOOL_HIRING_MANAGER, &f, &can_manage);
	if (status < 0)
		return -status;
	/* Cheap checks and the content check first, outside the transaction... */
	refusal = strcmp(f.status, "closed") == 0
			  ? msg_closed
			  : upload_check(r, file, VACANCY_DOCUMENT_MAX_BYTES, &check);
	status = 503;
	if (refusal != NULL || db_tx(c, "BEGIN") != 0)
		goto out;
	open = true;
	/* ...then, under the vacancy's lock, what may have changed meanwhile. */
	v.id = f.id;
	found = vacancy_lock(c, &v);
	if (found <= 0) {
		status = found == 0 ? 404 : 503;
		goto out;
	}
	if (strcmp(v.status, "closed") == 0)
		refusal = msg_closed;
	else if (v.count >= VACANCY_DOCUMENTS_MAX)
		refusal = msg_limit;
	else if (document_insert(c, r, &v, file, check.type) != 0)
		goto out;
	if (refusal != NULL)
		goto out;
	open = false;
	if (db_tx(c, "COMMIT") == 0)
		status = 0;
out:
	if (open)
		db_tx(c, "ROLLBACK");
	free(v.before);
	if (refusal != NULL)
		status = summary_refuse(r, c, &f, can_manage, refusal);
	else if (status != 0)
		status = http_send_error(r, status, NULL);
	else
		status = summary_redirect(r, f.id, "added");
	vacancy_form_free(&f);
	return status;
}

/* POST /school/vacancies/{id}/documents/{doc}/delete: deletes document doc of the vacancy. */
int school_vacancy_document_delete(struct req *r)
{
	struct vacancy_ref v = { 0 };
	struct vacancy_form f;
	long long doc = r->nparams > 1 ? http_id_parse(r->params[1]) : 0;
	char doc_s[24];
	const char *vals[2] = { v.id_s, doc_s }, *refusal = NULL;
	PGresult *res = NULL;
	bool can_manage = false, open = false;
	int status, found;
	PGconn *c = req_db(r);

	if (c == NULL)
		return http_send_error(r, 503, NULL);
	status = school_vacancy_load(r, c, SCHOOL_HIRING_MANAGER, &f, &can_manage);
	if (status < 0)
		return -status;
	snprintf(doc_s, sizeof doc_s, "%lld", doc);
	v.id = f.id;
	status = doc <= 0 ? 404 : 503;
	if (doc <= 0 || db_tx(c, "BEGIN") != 0)
		goto out;
	open = true;
	found = vacancy_lock(c, &v);
	if (found <= 0) {
		status = found == 0 ? 404 : 503;
		goto out;
	}
	if (strcmp(v.status, "closed") == 0) {
		refusal = msg_closed;
		goto out;
	}
	res = PQexecParams(c, "DELETE FROM vacancy_documents WHERE vacancy_id = $1::bigint AND "
			      "id = $2::bigint", 2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	if (strcmp(PQcmdTuples(res), "1") != 0) {
		status = 404;
		goto out;
	}
	if (edit_record(c, r, &v) != 0)
		goto out;
	open = false;
	if (db_tx(c, "COMMIT") == 0)
		status = 0;
out:
	PQclear(res);
	if (open)
		db_tx(c, "ROLLBACK");
	free(v.before);
	if (refusal != NULL)
		status = summary_refuse(r, c, &f, can_manage, refusal);
	else if (status != 0)
		status = http_send_error(r, status, NULL);
	else
		status = summary_redirect(r, f.id, "deleted");
	vacancy_form_free(&f);
	return status;
}

/* GET /vacancies/{id}/documents/{key}: the document as an attachment, for whoever may see it. */
int vacancy_document_download(struct req *r)
{
	long long id = http_id_parse(r->params[0]);
	const char *key = r->params[1];
	char id_s[24];
	const char *vals[2] = { id_s, key };
	PGresult *res = NULL;
	bool live;
	int status = 503, t;
	PGconn *c;

	if (id <= 0 || !key_ok(key))
		return http_send_error(r, 404, NULL);
	c = req_db(r);
	if (c == NULL)
		return http_send_error(r, 503, NULL);
	snprintf(id_s, sizeof id_s, "%lld", id);
	/* Binary results: the text columns arrive as their bytes, the data without hex encoding. */
	res = PQexecParams(c, "SELECT v.school_urn::text, (v.status = 'published' AND v.closes_at "
			      "> now())::text, d.filename, d.content_type, d.data FROM "
			      "vacancy_documents d JOIN vacancies v ON v.id = d.vacancy_id WHERE "
			      "d.vacancy_id = $1::bigint AND d.key = $2", 2, NULL, vals, NULL, NULL, 1);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_errorf(__func__, "%s", PQerrorMessage(c));
		goto out;
	}
	status = 404;
	if (PQntuples(res) != 1)
		goto out;
	live = strcmp(PQgetvalue(res, 0, 1), "true") == 0;
	if (!live) {
		t = tenancy_school(r, c, strtol(PQgetvalue(res, 0, 0), NULL, 10), SCHOOL_VIEWER);
		if (t != 0) {
			status = t == 404 ? 404 : 503;
			goto out;
		}
	}
	status = upload_send(r, PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 4),
			     (size_t)PQgetlength(res, 0, 4),
			     live ? "private, max-age=300" : "no-store");
out:
	PQclear(res);
	return r->status != 0 ? status : http_send_error(r, status, NULL);
}
