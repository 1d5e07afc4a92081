/* candidate_profile.c - STUB: replaced by its owner in this change. */
#include "handlers.h"

int profile_show(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int profile_section_form(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int profile_section_save(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int profile_section_remove(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

