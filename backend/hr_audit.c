/* hr_audit.c - PLACEHOLDER being written by the HR-pages engineer; replaced before commit. */
#include "handlers.h"

int hr_audit(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

