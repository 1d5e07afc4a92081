/* application_documents.c - STUB: replaced by its owner in this change. */
#include "handlers.h"

int candidate_application_documents(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int candidate_application_document_upload(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int candidate_application_document_delete(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int candidate_application_document_download(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int school_application_document_download(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

#include "application_documents.h"

json_t *application_documents_list(PGconn *c, long long application_id, const char *url_base)
{
	(void)c; (void)application_id; (void)url_base;
	return json_array();
}
