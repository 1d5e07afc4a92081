/* fields.c - form fields and the error model; see fields.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "mail.h"

int form_error(json_t *model, const char *field, const char *message)
{
	json_t *errors = json_object_get(model, "errors");
	json_t *byfield = json_object_get(model, "error");

	if (errors == NULL) {
		errors = json_array();
		if (json_object_set_new(model, "errors", errors) != 0)
			return -1;
	}
	if (byfield == NULL) {
		byfield = json_object();
		if (json_object_set_new(model, "error", byfield) != 0)
			return -1;
	}
	if (json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "message",
						    message)) != 0 ||
	    json_object_set_new(model, "has_errors", json_true()) != 0)
		return -1;
	if (json_object_get(byfield, field) == NULL &&
	    json_object_set_new(byfield, field, json_string(message)) != 0)
		return -1;
	return 0;
}

bool form_has_errors(const json_t *model)
{
	return json_array_size(json_object_get(model, "errors")) > 0;
}

int field_month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

int form_text(const struct req *r, const char *name, char *out, size_t outlen)
{
	const char *v = kv_get(&r->form, name), *end;
	size_t n;

	out[0] = '\0';
	if (v == NULL)
		return 0;
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	end = v + strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		end--;
	n = (size_t)(end - v);
	if (n >= outlen)
		return -1;
	memcpy(out, v, n);
	out[n] = '\0';
	return (int)n;
}

const char *form_email(const struct req *r, const char *name, char *out,
		       const char *empty_message)
{
	int n = form_text(r, name, out, FIELD_EMAIL_MAX + 1);

	if (n == 0)
		return empty_message;
	if (n < 0 || !mail_address_ok(out))
		return "Enter an email address in the correct format, like name@example.com";
	return NULL;
}

const char *form_name(const struct req *r, const char *name, char *out)
{
	int n = form_text(r, name, out, FIELD_NAME_MAX + 1);
	const unsigned char *p;

	if (n == 0)
		return "Enter your full name";
	if (n < 0)
		return "Full name must be 200 characters or fewer";
	for (p = (const unsigned char *)out; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "Full name must not include line breaks or tabs";
	return NULL;
}
