/* hr_outbox.c - PLACEHOLDER being written by the email engineer; replaced before commit. */
#include "handlers.h"

int hr_outbox(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

