/* application_documents.h - a candidate's CV and covering letter for one application (PDF or
 * DOCX, checked by content with filetype_detect, at most APPLICATION_DOCUMENT_MAX_BYTES, one of
 * each kind), kept in application_documents under a random key.
 *
 * Handlers (application_documents.c, declared in handlers.h):
 *   GET  /account/applications/{id}/documents             the section page: what is attached,
 *                                                         an upload form per kind
 *   POST /account/applications/{id}/documents             upload (multipart: field "document",
 *                                                         field "kind" = cv | cover_letter);
 *                                                         replaces an earlier file of that kind
 *   POST /account/applications/{id}/documents/{doc}/delete
 *   GET  /account/applications/{id}/documents/{doc}       download (the candidate's own)
 *   GET  /school/applications/{id}/documents/{doc}        download (the vacancy's school staff)
 * Upload and delete only while the application is a draft. Every download answers with
 * Content-Disposition: attachment, X-Content-Type-Options: nosniff, Content-Security-Policy:
 * sandbox and Cache-Control: no-store; anyone else - another candidate, another school, a
 * document of another application - gets 404.
 */
#ifndef PORTAL_APPLICATION_DOCUMENTS_H
#define PORTAL_APPLICATION_DOCUMENTS_H

#include <jansson.h>
#include <libpq-fe.h>

#define APPLICATION_DOCUMENT_MAX_BYTES 5242880  /* 5 MB */

/* The documents of application_id as a new array of {id, kind ("cv", "cover_letter"),
 * kind_label ("CV", "Covering letter"), filename, size_label ("240 KB"), type_label ("PDF",
 * "Word document"), url (url_base + "/" + id: "/account/applications/17/documents" or
 * "/school/applications/17/documents")}, CV first. NULL on a database error (logged) or out of
 * memory. Says nothing about who may see them: callers decide. */
json_t *application_documents_list(PGconn *c, long long application_id, const char *url_base);

#endif
