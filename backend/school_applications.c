/* school_applications.c - STUB: replaced by its owner in this change. */
#include "handlers.h"

int school_vacancy_applications(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int school_vacancy_applications_csv(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int school_vacancy_applications_bulk(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

