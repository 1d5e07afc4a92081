/* school_application.c - STUB: replaced by its owner in this change. */
#include "handlers.h"

int school_application_show(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int school_application_note(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int school_application_status(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int school_application_interview(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

