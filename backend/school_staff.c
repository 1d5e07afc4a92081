/* school_staff.c - PLACEHOLDER being written by the HR-pages engineer; replaced before commit. */
#include "handlers.h"

int school_staff(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

