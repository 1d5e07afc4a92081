/* vacancy_form.h - a vacancy as the school's form sees it: a C struct holding every field as
 * typed (so an invalid form is shown again with what was typed), read and checked one step at
 * a time from a request (vacancy_form.c), loaded from and saved to the database
 * (vacancy_form_store.c).
 *
 * The form is split into steps (job, details, dates, about, contact, documents). Each step is
 * read and validated on its own (GOV.UK messages into the fields.h error model) and saved on
 * its own; nothing is saved when a step has errors. Saving a step of a live vacancy (scheduled
 * or published) also records a vacancy_edits row (fields changed, before, after, actor) in
 * the same transaction.
 */
#ifndef PORTAL_VACANCY_FORM_H
#define PORTAL_VACANCY_FORM_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "http.h"
#include "vacancy_labels.h"

enum vacancy_step {
	VSTEP_JOB,       /* title, roles, phases, key stages, subjects, suitable for ECTs */
	VSTEP_DETAILS,   /* contract, working pattern, hours/FTE, pay, salary, actual salary, start,
			  * key worker, visa sponsorship */
	VSTEP_DATES,     /* publish date, closing date and time */
	VSTEP_ABOUT,     /* description, about the school, what the school offers */
	VSTEP_CONTACT,   /* contact email and phone, school visits, schools covered */
	VSTEP_DOCUMENTS, /* a pointer to the summary page's documents section: nothing to save */
	VSTEP_COUNT
};

/* The name of each step (?step=) and its heading. */
struct vacancy_step_info {
	const char *name;
	const char *title;
};
extern const struct vacancy_step_info vacancy_steps[VSTEP_COUNT];

/* The step called name, or -1 when there is none (also for NULL). */
int vacancy_step_find(const char *name);

/* Limits, in characters (the database's CHECK constraints say the same). */
#define VF_TITLE_MAX 150
#define VF_SHORT_MAX 100        /* fixed-term length, start term, actual salary */
#define VF_PAY_TEXT_MAX 200
#define VF_PHONE_MAX 40
#define VF_DESCRIPTION_MAX 20000
#define VF_ABOUT_MAX 10000      /* about the school, what the school offers */
#define VF_REASON_MAX 1000      /* reasons for extending or ending */
#define VF_VISITS_MAX 1000      /* how to arrange a visit to the school */
#define VF_MAX_SUBJECTS 40
#define VF_MAX_SCHOOLS 64

/* A GOV.UK date input as typed: day, month, year. */
struct vf_date {
	char day[16];
	char month[16];
	char year[16];
};

/* The closing times offered: value "HH:MM" (Europe/London) and label. */
extern const struct label_list vacancy_closing_times;

struct vacancy_form {
	long long id;                         /* 0 until created */
	long school_urn;                      /* the posting school */
	char school_name[256];
	char status[16];                      /* "" until created */
	/* As loaded, for people and for the summary's actions. */
	bool closes_future;                   /* closes_at > now() */
	bool publish_future;                  /* publish_at > now() */
	char closes_label[64];                /* "24 November 2026, 9:00am", "" when unset */
	char publish_label[64];               /* "24 November 2026" */
	char start_label[64];
	char updated_label[64];
	/* job */
	char title[4 * VF_TITLE_MAX + 1];
	unsigned roles;                       /* bit i: vacancy_roles.items[i] chosen */
	unsigned phases;                      /* vacancy_phases */
	unsigned key_stages;                  /* vacancy_key_stages */
	char subjects[VF_MAX_SUBJECTS][48];   /* values of vacancy_subjects */
	size_t nsubjects;
	bool ect_suitable;
	/* details */
	char contract[16];                    /* vacancy_contracts value or "" */
	char fixed_term_length[4 * VF_SHORT_MAX + 1];
	unsigned patterns;                    /* vacancy_working_patterns */
	char hours[16];                       /* hours per week, "" when none */
	char fte[16];
	char pay_scale[16];                   /* vacancy_pay_scales value or "" */
	char pay_text[4 * VF_PAY_TEXT_MAX + 1];
	char actual_salary[4 * VF_SHORT_MAX + 1]; /* pro rata, as written; "" when not said */
	char salary_min[24];                  /* whole pounds as typed; digits once valid */
	char salary_max[24];
	char start_type[8];                   /* vacancy_start_types value or "" */
	struct vf_date start;
	char start_term[4 * VF_SHORT_MAX + 1];
	bool key_worker;
	bool visa_sponsorship;                /* a Skilled Worker visa can be sponsored */
	/* dates */
	struct vf_date publish;               /* all empty: no publish date */
	struct vf_date closes;
	char closes_time[8];                  /* "HH:MM" or "" */
	/* about: owned, never NULL after vacancy_form_load or vacancy_form_read of the step */
	char *description;
	char *about_school;
	char *school_offers;
	/* contact; school_visits owned like the about step's texts ("": visits go unmentioned) */
	char contact_email[256];
	char contact_phone[4 * VF_PHONE_MAX + 1];
	char *school_visits;
	long schools[VF_MAX_SCHOOLS];         /* schools covered, the posting school included */
	size_t nschools;
};

/* What reading or showing a step needs from the database. */
struct vacancy_refs {
	char now[17];          /* "YYYY-MM-DD HH:MM", Europe/London */
	PGresult *subjects;    /* value, label (vacancy_subjects by position) */
	PGresult *schools;     /* urn, name: the schools the vacancy may cover (the posting
				* school and those of its trust the user belongs to), by name;
				* NULL when not asked for */
};

/* Loads the current time, the subject list and, when school_urn > 0, the schools a vacancy of
 * that school may cover for the request's user (scoped with TENANCY_SQL). Returns 0, or -1
 * (logged); free with vacancy_refs_free either way. */
int vacancy_refs_load(PGconn *c, const struct req *r, long school_urn, struct vacancy_refs *refs);
void vacancy_refs_free(struct vacancy_refs *refs);

/* The index of value in list (its bit in the form's bit sets), or -1 when it is not one of
 * the list's values (also for NULL). */
int vacancy_label_index(const struct label_list *list, const char *value);

/* Label of subject value in refs, or NULL. */
const char *vacancy_subject_label(const struct vacancy_refs *refs, const char *value);

/* Frees what f owns (the long texts) and zeroes it. */
void vacancy_form_free(struct vacancy_form *f);

/* Loads vacancy id into f (zeroed first). Returns 1 when found, 0 when there is no such
 * vacancy, -1 on a database error (logged). Free f with vacancy_form_free after 1. */
int vacancy_form_load(PGconn *c, long long id, struct vacancy_form *f);

/* Reads the fields of `step` from the request's form into f (the others are left alone) and
 * checks them, adding a message per wrong field to errs (form_error). refs from
 * vacancy_refs_load (with the posting school for VSTEP_CONTACT). Returns 0 (errs may then hold
 * errors), or -1 when out of memory. */
int vacancy_form_read(const struct req *r, enum vacancy_step step,
		      const struct vacancy_refs *refs, struct vacancy_form *f, json_t *errs);

/* True when a step of a vacancy in `status` may be changed: not when closed, and the dates of
 * a published vacancy only through extend. */
bool vacancy_step_editable(const char *status, enum vacancy_step step);

/* What vacancy_form_save did (a database error is -1). */
enum vacancy_save_result {
	VS_SAVED = 0,
	VS_NOT_FOUND = 1,      /* the vacancy was deleted meanwhile */
	VS_NOT_EDITABLE = 2,   /* its status no longer allows this step (vacancy_step_editable) */
};

/* Saves the fields of `step` of f to vacancy f->id in one transaction, the row locked; for a
 * live vacancy also the vacancy_edits row (by actor_id) when something changed. Returns a
 * vacancy_save_result, or -1 (logged). */
int vacancy_form_save(PGconn *c, const struct vacancy_form *f, enum vacancy_step step,
		      long long actor_id);

/* Creates a draft of school f->school_urn with the job step's fields of f, covering that
 * school, contact email contact_email (may be NULL), created by actor_id, and its 'create'
 * status event, in one transaction. What the school says of itself comes from its profile
 * (schools.about: school_profile.c) for "about the school" and, for the rest (what it offers,
 * its telephone number, how to arrange a visit) and when the profile says nothing, from its
 * newest vacancy that says something about the school (none: left empty), so that a school
 * writes it once. Returns the new id, or -1 (logged). */
long long vacancy_form_create(PGconn *c, const struct vacancy_form *f, long long actor_id,
			      const char *contact_email);

/* Copies vacancy id into a new draft of the same school: every field, the schools covered and
 * the documents (under new keys), but no dates (publish, closing, start) and no status;
 * records its 'create' event (detail copied_from). One transaction. Returns the new id, 0 when
 * there is no such vacancy, -1 (logged). */
long long vacancy_copy(PGconn *c, long long id, long long actor_id);

/* Adds to `list` (an array) one {field, row, step, message} per required field f lacks for
 * publishing (schedule: also for scheduling): field is the id of the form input, row the id
 * of its summary row, step the step's name. now from vacancy_refs. Returns the number added,
 * or -1 when out of memory. */
int vacancy_form_missing(const struct vacancy_form *f, const char *now, bool schedule,
			 json_t *list);

/* Reads a GOV.UK date input named `name` (fields name-day, name-month, name-year) into d and
 * checks it. Returns NULL when it is a real date (written as "YYYY-MM-DD" into iso, 11 bytes)
 * or when all three are empty (iso ""), else the message to show, naming the date `what`
 * ("Closing date") - the message is written into msg (msglen bytes). */
const char *vacancy_date_read(const struct req *r, const char *name, const char *what,
			      struct vf_date *d, char iso[11], char *msg, size_t msglen);

/* Writes d as "YYYY-MM-DD" into iso when it is a real date (years 2000 to 2099). Returns 0,
 * or -1 (iso ""). */
int vacancy_date_iso(const struct vf_date *d, char iso[11]);

/* The id of the input to link an error of date input `name` to: the first empty part, else
 * the day, written into out. */
void vacancy_date_field(const struct vf_date *d, const char *name, char *out, size_t outlen);

/* Reads a multi-line text field (reasons): trimmed, CR LF made LF, at most max_chars
 * characters. Returns a new string (the caller frees it), NULL when out of memory; *too_long
 * is set when it has more than max_chars characters. */
char *vacancy_text_read(const struct req *r, const char *name, size_t max_chars, bool *too_long);

#endif
