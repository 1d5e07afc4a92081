/* accounts.c - PLACEHOLDER being written by the accounts-pages engineer; replaced before commit. */
#include "handlers.h"

int account_register_form(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int account_register(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int account_verify(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int account_verify_resend(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int account_login_form(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int account_login(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int account_logout(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int account_forgot_form(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int account_forgot(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int account_reset_form(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int account_reset(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int account_settings(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int account_change_password(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int account_change_email(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int account_confirm_email(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int account_end_sessions(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

