/* hr_users.c - PLACEHOLDER being written by the HR-pages engineer; replaced before commit. */
#include "handlers.h"

int hr_users(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int hr_users_invite(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int hr_users_disable(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int hr_users_enable(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int hr_users_role(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int hr_users_add_school(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int hr_users_remove_school(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

