/* application_sections.h - the one definition of what a candidate profile and an application
 * hold, and the one way their sections are edited, checked and shown.
 *
 * A profile (candidate_profiles.data) and an application (applications.data) are JSON objects
 * keyed by section name. Every value is a JSON string ("" when blank) except checkboxes, which
 * are JSON booleans; months are "YYYY-MM", years "YYYY". The sections, in task-list order:
 *
 *   personal       object  first_name*, last_name*, previous_names, address_line1*,
 *                          address_line2, town*, postcode* (UK format, stored upper case with one
 *                          space), phone* (UK or +international), email*, ni_number (optional,
 *                          "QQ 12 34 56 C" format, stored without spaces), right_to_work* (yes|no)
 *   professional   object  qts* (yes|no|on_track), qts_expected (month; required when on_track),
 *                          trn (7 digits, optional), induction* (passed|in_progress|not_started|
 *                          not_applicable)
 *   qualifications array   of {level* (gcse|a_level|btec|degree|pgce|masters|doctorate|other),
 *                          subject*, grade, institution*, year* (year)}; at least one
 *   training       array   of {course*, provider*, year}; may be empty
 *   employment     array   of {employer*, role*, start* (month), end (month; required unless
 *                          current), current (bool), duties*, reason_for_leaving (required
 *                          unless current)}
 *   employment_gaps object {"<from>_<to>": explanation}: the explanation of each gap over three
 *                          months (see employment_gaps); part of the employment section
 *   statement      object  statement* (at most STATEMENT_MAX_WORDS words)   [application only]
 *   referees       array   of {name*, job_title*, organisation*, relationship*, email*, phone,
 *                          current_employer* (yes|no: current or most recent employer),
 *                          contact_before (bool: ask me before contacting)}; at least two, one
 *                          of them current_employer yes
 *   religion       object  following_religion* (yes|no), faith (required when yes),
 *                          place_of_worship, religious_referee, ethos*   [application only, and
 *                          only when the vacancy's school has a religious character]
 *   support        object  needs_support* (yes|no), support_details (required when yes)
 *                          [application only]
 *   declarations   object  close_relationships* (yes|no), close_relationships_details (required
 *                          when yes), criminal_record* (yes|no), criminal_record_details
 *                          (required when yes), right_to_work_confirmed* (bool, must be true),
 *                          accurate* (bool, must be true)   [application only]
 *   equal_opps     object  disability, age_band, sex, gender_identity, sexual_orientation,
 *                          ethnicity, religion, each required, each with prefer_not_to_say; the
 *                          values of table application_equal_opps   [application only; kept in
 *                          that table, never in applications.data: the store's save puts it
 *                          there]
 * (* required for the section to be complete.)
 *
 * The profile has personal .. employment and referees; an application has all of them
 * (religion only when the school has a religious character). A section is "completed" when the
 * candidate saved it with "Save and continue"/"mark as complete" and it passed section_check;
 * "Save and come back later" keeps what was typed (lengths and formats still checked) without
 * the mark.
 *
 * Pages: a section's page is <base_url>/<section name> (GET shows it, POST saves it) and, for
 * list sections, POST <base_url>/<section>/remove removes item `item` (items are numbered
 * from 1 in ?item=N and item=N). A list section's page
 * lists its items (with Change and Remove) and a form for a new one (or item ?item=N to
 * change); saving an item does not complete the section: a second form on the page ("I have
 * added all my ...", form field complete=yes) does. Employment's page also asks for an
 * explanation of every gap. The pages are rendered by section_page_* below, for the profile and
 * for an application alike, through a section_store.
 */
#ifndef PORTAL_APPLICATION_SECTIONS_H
#define PORTAL_APPLICATION_SECTIONS_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "http.h"

#define STATEMENT_MAX_WORDS 1500
#define GAP_MONTHS 3          /* a gap longer than this must be explained */

enum section_kind {
	SECTION_OBJECT,
	SECTION_LIST,
};

enum section_scope {
	SECTION_PROFILE = 1,       /* in the profile (and copied into every application) */
	SECTION_APPLICATION = 2,   /* in an application */
};

struct section_def {
	const char *name;          /* "personal", ... (the JSON key and the URL segment) */
	const char *title;         /* "Personal details" */
	enum section_kind kind;
	unsigned scope;            /* SECTION_PROFILE | SECTION_APPLICATION bits */
	bool religious_only;       /* only for a school with a religious character */
};

/* Every section, in task-list order (the table above). */
extern const struct section_def section_defs[];
extern const size_t section_defs_len;

/* The section called name, or NULL. */
const struct section_def *section_find(const char *name);

/* The sections of an application to a school with (religious) or without a religious
 * character, or of a profile (profile true), as a new array of
 * {name, title, url (base_url + "/" + name), completed (bool), status_label ("Completed" /
 * "In progress" / "Not started"), status_class (govuk-tag modifier)}, for a task list. data and
 * completed are the document and its array of completed section names. NULL when out of
 * memory. */
json_t *sections_task_list(bool profile, bool religious, const char *base_url, const json_t *data,
			   const json_t *completed);

/* True when every section the application needs (religious: see above) is in completed (an
 * array of names). When not, and missing is not NULL, appends the titles of the missing ones to
 * the array missing. */
bool sections_all_complete(bool religious, const json_t *completed, json_t *missing);

/* Checks section s of data as a whole, as "mark as complete" does (required fields, formats,
 * conditional fields, at least one qualification, two referees one of them current_employer,
 * every employment gap explained, statement length). Messages go to model with form_error
 * (model may be NULL: only the verdict). Returns true when complete. */
bool section_check(const struct section_def *s, const json_t *data, json_t *model);

/* The gaps over GAP_MONTHS months in data's employment history, oldest first, from the latest
 * qualification's year (taken as ending in August of that year) through each job to today when
 * there is no current job: a new array of {key ("YYYY-MM_YYYY-MM": the first and last month
 * not covered; "YYYY-MM_now" for the gap that runs to today, so that its explanation keeps
 * its key as the months pass), from, to (months), label ("September 2019 to February 2020",
 * "June 2024 to now"), months, explanation (data.employment_gaps[key] or "")}. NULL when out
 * of memory. */
json_t *employment_gaps(const json_t *data);

/* For pages that show an application or profile read-only (check your answers, the school's
 * view, the data export's readable form): section s of data as a new object {name, title,
 * rows: [{label, value}] (object sections), items: [{heading, rows}] (list sections), gaps:
 * [{label, explanation}] (employment), empty (bool)} - and is_list, has_gaps, rows' lines
 * (the value split at line breaks) and items' n, for the partial account/section_display.
 * Values are display text ("Yes", "March 2021", option labels, "Not given"); never HTML. NULL
 * when out of memory. */
json_t *section_display(const struct section_def *s, const json_t *data);

/* Where a section page reads and writes its document: the profile, or one application. */
struct section_store {
	const char *base_url;     /* "/account/profile" or "/account/applications/17" */
	const char *back_url;     /* the task list / overview, after a completed section */
	const char *caption;      /* above the heading: "Your profile", "Maths teacher - Gable Hall" */
	bool religious;           /* the application's school has a religious character */
	json_t *data;             /* the document as loaded (borrowed; equal_opps merged in) */
	json_t *completed;        /* array of completed section names (borrowed) */
	/* Stores value under key (a section name, or "employment_gaps") and, when complete is 1
	 * or 0, marks section `key` completed or not (-1: leaves the mark). Runs one statement or
	 * transaction of its own. Returns 0, or -1 (logged: the page answers 500). */
	int (*save)(void *ctx, PGconn *c, const char *key, const json_t *value, int complete);
	void *ctx;
};

/* GET <base_url>/<section>: the section's form (list sections: the items, then the item form,
 * prefilled from ?item=N when given), in template account/section.mustache. Answers 404 for a
 * section not in this store's scope. Returns the status sent. */
int section_page_get(struct req *r, PGconn *c, const struct section_def *s,
		     struct section_store *st);

/* POST <base_url>/<section>: saves what was typed. Form fields: the section's fields (ids and
 * names as the template writes them), action=save (check, save, mark complete, 303 to
 * back_url), action=later (save without the mark, 303 to back_url); for list sections item=N
 * (change item N) or none (add one; 303 back to the section page), complete=yes (check the
 * whole list, mark complete, 303 to back_url), and gap_<key> explanations on employment.
 * Refused input renders the page again with status 422 and the GOV.UK error model; nothing is
 * saved. Returns the status sent. */
int section_page_post(struct req *r, PGconn *c, const struct section_def *s,
		      struct section_store *st);

/* POST <base_url>/<section>/remove: removes item `item` of a list section (the section is no
 * longer marked complete), 303 back to the section page. Returns the status sent. */
int section_page_remove(struct req *r, PGconn *c, const struct section_def *s,
			struct section_store *st);

#endif
