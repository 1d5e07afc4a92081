/* account_data.c - STUB: replaced by its owner in this change. */
#include "handlers.h"

int account_data_export(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int account_delete_form(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

int account_delete(struct req *r)
{
	return http_send_error(r, 501, "Not built yet.");
}

