/* vacancies_public.c - PLACEHOLDER being written by the public-vacancies engineer; replaced before commit. */
#include "handlers.h"

int vacancies_index(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int vacancies_atom(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int vacancies_show(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int api_vacancies_index(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int api_vacancies_show(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int api_openapi(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

