/* applications.h - loading an application for the candidate who owns it or for the staff of
 * its vacancy's school, and what every application page shares.
 *
 * Access: a candidate sees only their own applications; school staff see the applications to
 * their schools' vacancies (tenancy_school on the vacancy's posting school, SCHOOL_VIEWER to
 * read, SCHOOL_HIRING_MANAGER to change; HR and admin every school) and never a draft. Anything
 * else - another candidate's, another school's, a draft for a school, an unknown id - is "not
 * found" (404), whatever the URL.
 *
 * Implementations: applications.c (this), application_lifecycle.c (status changes),
 * application_sections.c (the sections), applications_candidate*.c (the candidate's pages),
 * school_applications*.c (the school's pages), application_documents.c (CV and covering
 * letter), application_jobs.c (reminders and retention), account_data.c (export, deletion).
 */
#ifndef PORTAL_APPLICATIONS_H
#define PORTAL_APPLICATIONS_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

#include "auth.h"
#include "http.h"

/* One application as loaded. Strings are "" when NULL in the database. */
struct application {
	long long id;
	long long vacancy_id;
	long long candidate_id;      /* 0 once anonymised */
	char status[16];             /* "draft", "submitted", ... */
	char vacancy_status[16];     /* the vacancy's: "published", "closed", ... */
	long school_urn;             /* the vacancy's posting school */
	bool religious;              /* that school has a religious character */
	bool vacancy_open;           /* published and closes_at in the future: may still submit */
	json_t *data;                /* applications.data (owned) */
	json_t *completed;           /* array of completed section names (owned) */
	json_t *model;               /* owned: {id, status, status_label, status_class,
				      *  vacancy_id, vacancy_title, vacancy_url, school_urn,
				      *  school_name, closes_at (ISO), closes_label ("24 November
				      *  2026, 12:00pm"), created_label, updated_label, submitted_at
				      *  (ISO or ""), submitted_label, status_changed_label,
				      *  withdrawn_reason, anonymised (bool), candidate_name
				      *  (personal first + last name, or "Deleted candidate")} */
};

/* Loads application id into a (zeroed first). Returns 1 when found, 0 when not, -1 on a
 * database error (logged). Free with application_free. */
int application_load(PGconn *c, long long id, struct application *a);
void application_free(struct application *a);

/* The application named by the path's first parameter, for the signed-in candidate who owns
 * it. Returns 0 with a loaded; otherwise it has answered (404, or 503) and returns the status
 * sent, negated. */
int application_for_candidate(struct req *r, PGconn *c, struct application *a);

/* The application named by the path's first parameter, for school staff of its vacancy's
 * school at level need (SCHOOL_VIEWER to read, SCHOOL_HIRING_MANAGER to change; a viewer asking
 * to change gets 403). Drafts are not found. *can_manage (may be NULL) says whether the user
 * may change it. Returns 0 with a loaded; otherwise it has answered and returns the status
 * sent, negated. */
int application_for_school(struct req *r, PGconn *c, enum school_access need,
			   struct application *a, bool *can_manage);

/* True when a schools.religious_character value means a religious character (not NULL, not
 * "Does not apply", not "None"). */
bool school_is_religious(const char *religious_character);

/* The label of an application status ("Shortlisted"), or NULL for an unknown one. */
const char *application_status_label(const char *status);

/* Adds {status, status_label, status_class (govuk-tag modifier)} to obj. Returns 0 or -1. */
int application_status_tag(json_t *obj, const char *status);

#endif
