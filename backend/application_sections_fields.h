/* application_sections_fields.h - the field table behind application_sections.h: every
 * question of every section, declared once (name, label, hint, kind, limits, options,
 * conditions), and the one reader and checker that the pages, section_check and
 * section_display are driven by. Private to application_sections*.c (and their unit test).
 *
 * Two shapes of a section's answers:
 *   typed  a JSON object of strings, one per input as the form names it (a month field
 *          `start` is two inputs, "start-month" and "start-year"; a ticked checkbox is "yes"),
 *          exactly as typed: what a refused form shows again;
 *   value  the stored shape of application_sections.h: strings ("" when blank; months
 *          "YYYY-MM", postcodes and NI numbers normalised) and booleans for checkboxes.
 * fields_parse() turns typed into value, checking every field; a value is checked by parsing
 * it again (fields_typed_from_value), so the form and section_check can never disagree.
 *
 * Implementations: application_sections.c (the tables), application_sections_check.c (the
 * reader and checks, employment gaps), application_sections_page.c (the pages).
 */
#ifndef PORTAL_APPLICATION_SECTIONS_FIELDS_H
#define PORTAL_APPLICATION_SECTIONS_FIELDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "application_sections.h"
#include "http.h"
#include "vacancy_labels.h"

#define SECTION_MAX_ITEMS 20        /* items in one list section */
#define FIELD_TEXT_MAX 200          /* characters of a one-line answer, unless the table says */
#define FIELD_TEXTAREA_MAX 2000     /* characters of a longer answer (duties, explanations) */
#define STATEMENT_MAX_CHARS 15000
#define FIELD_YEAR_MIN 1950
#define FIELD_YEARS_AHEAD 5         /* FIELD_AHEAD: a qualification still in progress */

enum field_kind {
	FIELD_TEXT,
	FIELD_TEXTAREA,
	FIELD_EMAIL,
	FIELD_PHONE,        /* digits, spaces, + ( ) -; 10 to 15 digits */
	FIELD_POSTCODE,     /* UK; stored upper case with one space */
	FIELD_NI,           /* QQ123456C; stored upper case without spaces */
	FIELD_TRN,          /* 7 digits */
	FIELD_YEAR,         /* YYYY, FIELD_YEAR_MIN to this year */
	FIELD_MONTH,        /* inputs <name>-month and <name>-year; stored "YYYY-MM" */
	FIELD_RADIO,
	FIELD_SELECT,
	FIELD_CHECKBOX,     /* one box (its text: options->items[0].label); stored as a boolean */
};

/* Flags of a field. */
#define FIELD_NOT_FUTURE 1u   /* a month not after this month */
#define FIELD_AHEAD 2u        /* a year or month up to FIELD_YEARS_AHEAD years ahead */
#define FIELD_MUST_TICK 4u    /* a checkbox that must be ticked for the section to be complete */
#define FIELD_NOT_PAST 8u     /* a month not before this month (something still expected) */

struct field_def {
	const char *name;          /* the JSON key and the input's name and id */
	const char *label;         /* the label or legend; also names the field in messages */
	const char *hint;          /* NULL: none (limits are added to it by the page) */
	enum field_kind kind;
	bool required;             /* needed for the section to be complete (when `when` holds) */
	const char *missing;       /* the message when required and blank (or not from the list) */
	size_t max_chars;          /* 0: the kind's default */
	unsigned max_words;        /* 0: no word limit */
	const struct label_list *options; /* radio and select: the choices; checkbox: its text */
	const char *when;          /* asked only when the field of this name ... */
	const char *when_value;    /* ... has this value ("" : blank or unticked); else blank */
	const char *after;         /* a month: the month field it may not precede */
	unsigned flags;            /* FIELD_NOT_FUTURE, FIELD_AHEAD, FIELD_MUST_TICK, FIELD_NOT_PAST */
	const char *autocomplete;  /* HTML autocomplete token, NULL: none */
};

/* The questions of one section (of one item, for a list section) and how its page talks. */
struct section_fields {
	const char *section;       /* the section_def name */
	const struct field_def *fields;
	size_t len;
	const char *intro;         /* a paragraph under the page heading, NULL: none */
	/* list sections only */
	const char *noun;          /* "Qualification" (capitalised: "Qualification 2: ...") */
	const char *plural;        /* "qualifications" */
	const char *add_heading;   /* "Add a qualification" */
	const char *heading_a;     /* an item's heading: these two fields' display text */
	const char *heading_b;
	size_t min_items;
	const char *min_message;   /* when there are fewer than min_items */
};

/* The questions of section `name`, or NULL. */
const struct section_fields *section_fields_find(const char *name);

/* The field `name` of sf, or NULL. */
const struct field_def *section_field(const struct section_fields *sf, const char *name);

/* The text of key name in obj (typed or value): the string, "yes"/"" for a boolean, "" when
 * absent. Borrowed from obj. */
const char *field_text(const json_t *obj, const char *name);

/* True when f is asked given the other answers obj (typed or value): it has no condition, or
 * the condition's field has the value it names. */
bool field_applies(const struct field_def *f, const json_t *obj);

/* The id of the input an error of f links to: f->name, or "<name>-month" for a month. */
void field_error_id(const struct field_def *f, char *out, size_t outlen);

/* The typed answers of sf from the request's form (each trimmed, CR LF made LF). A new
 * object, NULL when out of memory. */
json_t *fields_typed_from_form(const struct req *r, const struct section_fields *sf);

/* The typed answers of sf that would give value (an object; NULL or not an object: all
 * blank). A new object, NULL when out of memory. */
json_t *fields_typed_from_value(const struct section_fields *sf, const json_t *value);

/* Reads typed into value (an object; the fields of sf are set in it, normalised) and checks
 * each field: formats and lengths always; when required, also that required fields (whose
 * condition holds) are given and that must-tick boxes are ticked. A field whose condition
 * does not hold is stored blank. Messages go to errs with form_error, linking to the input
 * ids of the form. Returns the number of messages added, or -1 when out of memory. */
int fields_parse(const struct section_fields *sf, const json_t *typed, bool required,
		 json_t *value, json_t *errs);

/* Month indexes: year * 12 + month - 1. */
/* The index of "YYYY-MM", or -1 when it is not one. */
int month_index(const char *s);
/* The index of this month (local time). */
int month_now(void);
/* "March 2021" for index m, into out. */
void month_label(int m, char *out, size_t outlen);
/* "2021-03" for index m, into out. */
void month_iso(int m, char *out, size_t outlen);

/* employment_gaps() as of month `now` (an index). */
json_t *employment_gaps_at(const json_t *data, int now);

/* The display text of f's answer in value ("Not given" for a blank): an option's label,
 * "Yes"/"No", "March 2021", the NI number spaced. Returns a pointer to the text: into value,
 * the table, or buf (buflen bytes). */
const char *field_display(const struct field_def *f, const json_t *value, char *buf,
			  size_t buflen);

/* Writes n with thousands separators ("15,000") into out. */
void number_label(size_t n, char *out, size_t outlen);

#endif
