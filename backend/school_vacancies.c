/* school_vacancies.c - PLACEHOLDER being written by the school-vacancies engineer; replaced before commit. */
#include "handlers.h"

int school_dashboard(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int school_vacancy_new(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int school_vacancy_create(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int school_vacancy_show(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int school_vacancy_edit_form(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int school_vacancy_edit(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int school_vacancy_preview(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int school_vacancy_publish(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int school_vacancy_extend(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int school_vacancy_end(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int school_vacancy_copy(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

int school_vacancy_delete(struct req *r)
{
	return http_send_error(r, 404, NULL);
}

