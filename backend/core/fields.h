/* fields.h - reading form fields into C values, and the GOV.UK error model of every form.
 * The error model every form template reads (partials/error_summary.mustache):
 *   errors      [{field, message}, ...]  the error summary, in page order; field is the id of
 *                                        the input the message links to
 *   has_errors  true when errors is not empty (the summary and the "Error: " title prefix)
 *   error       {field: message}         the message shown beside each field
 */
#ifndef PORTAL_FIELDS_H
#define PORTAL_FIELDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "http.h"

#define FIELD_NAME_MAX 200      /* bytes; users.name allows 200 characters */
#define FIELD_EMAIL_MAX 254

/* Adds a message for field (the id of its input) to model: appends {field, message} to errors,
 * sets has_errors and, unless the field has one already, error.<field>. Returns 0 or -1. */
int form_error(json_t *model, const char *field, const char *message);

/* True when form_error() was called on model. */
bool form_has_errors(const json_t *model);

/* The days in month m (1 to 12) of year y, leap years counted. */
int field_month_days(int y, int m);

/* Copies form field `name` without leading and trailing white space into out (outlen bytes;
 * "" when absent). Returns its length, or -1 when it does not fit (out is then ""). */
int form_text(const struct req *r, const char *name, char *out, size_t outlen);

/* Reads form field `name` as an email address into out (FIELD_EMAIL_MAX + 1 bytes) and
 * checks it. Returns NULL when it is a plausible address, else the message to show:
 * `empty_message` when the field is blank, else the GOV.UK "correct format" message. */
const char *form_email(const struct req *r, const char *name, char *out,
		       const char *empty_message);

/* Reads a full name (trimmed, 1 to FIELD_NAME_MAX bytes, no control characters) into out
 * (FIELD_NAME_MAX + 1 bytes). Returns NULL when acceptable, else the message to show. */
const char *form_name(const struct req *r, const char *name, char *out);

#endif
