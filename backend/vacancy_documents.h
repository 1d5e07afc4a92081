/* vacancy_documents.h - a vacancy's supporting documents (PDF or DOCX, checked by content, at
 * most VACANCY_DOCUMENT_MAX_BYTES each and VACANCY_DOCUMENTS_MAX per vacancy), kept in the
 * vacancy_documents table under a random key.
 *
 * Handlers (vacancy_documents.c, declared in handlers.h):
 *   POST /school/vacancies/{id}/documents              upload (multipart field "document")
 *   POST /school/vacancies/{id}/documents/{doc}/delete delete
 *   GET  /vacancies/{id}/documents/{key}               download
 * Upload and delete are for hiring managers of the vacancy's school (school_vacancy_load: another
 * school or an unknown id 404, a viewer 403) while the vacancy is not closed. Done, they answer
 * 303 to /school/vacancies/{id}?document=added|deleted#documents; refused (no file, empty, over
 * 10 MB, not a PDF or DOCX, 10 already, closed), they render the summary page again
 * (school_vacancy_summary) with status 422 and the message, nothing changed.
 */
#ifndef PORTAL_VACANCY_DOCUMENTS_H
#define PORTAL_VACANCY_DOCUMENTS_H

#include <jansson.h>
#include <libpq-fe.h>

#include "http.h"

#define VACANCY_DOCUMENTS_MAX 10
#define VACANCY_DOCUMENT_MAX_BYTES 10485760  /* 10 MB */

/* The documents of vacancy_id, oldest first, as a new array of
 * {id, key, filename, size, size_label ("240 KB"), type_label ("PDF", "Word document"),
 *  url (the download path), delete_url (the school-side delete action)}.
 * Says nothing about who may see them: callers decide. NULL on a database error (logged) or
 * out of memory. */
json_t *vacancy_documents_list(PGconn *c, long long vacancy_id);

/* Adds to model what the documents section of the school-side summary page reads
 * (frontend/templates/school/vacancy_documents.mustache):
 *   documents, has_documents    vacancy_documents_list()
 *   documents_full              true when no more may be added
 *   document_limit              VACANCY_DOCUMENTS_MAX
 *   upload_url                  the upload action
 *   document_notice             "Document uploaded" / "Document deleted" after ?document=
 * A refused upload or delete adds the rest itself (through school_vacancy_summary's extra):
 * document_error (beside the file input) or documents_error (atop the section, when the input
 * is not shown: closed or full), document_errors, has_document_errors, and the page's error
 * model (form_error, field "document" or "documents"). can_edit (a hiring manager, vacancy not
 * closed) is the caller's to set; csrf_token comes from view_render.
 * Returns 0, or -1 on a database error or out of memory. */
int vacancy_documents_model(PGconn *c, const struct req *r, long long vacancy_id, json_t *model);

#endif
