/* vacancy_documents.c - PLACEHOLDER being written by the documents engineer; replaced before commit. */
#include "handlers.h"

int school_vacancy_document_upload(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int school_vacancy_document_delete(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int vacancy_document_download(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

