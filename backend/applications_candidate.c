/* applications_candidate.c - STUB: replaced by its owner in this change. */
#include "handlers.h"

int apply_start(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int apply_create(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int candidate_applications(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int candidate_application_show(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int candidate_application_review(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int candidate_application_submit(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int candidate_application_withdraw(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int candidate_application_delete(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int candidate_application_section_form(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int candidate_application_section_save(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int candidate_application_section_remove(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

