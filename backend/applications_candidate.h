/* applications_candidate.h - what the candidate's application pages share.
 *
 * applications_candidate_apply.c   /vacancies/{id}/apply: the start page, creating the draft
 * applications_candidate.c         /account/applications (the list), one application (the task
 *                                  list of a draft, the read-only view of a submitted one),
 *                                  withdraw, delete a draft, and these helpers
 * applications_candidate_sections.c  /account/applications/{id}/{section}: the section pages
 *                                  through the section engine, with the application's store
 * applications_candidate_submit.c  /account/applications/{id}/review and .../submit
 *
 * Access: every page loads the application with application_for_candidate (another
 * candidate's, or an unknown id: 404). A draft is changed only while its vacancy is open.
 */
#ifndef PORTAL_APPLICATIONS_CANDIDATE_H
#define PORTAL_APPLICATIONS_CANDIDATE_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

#include "applications.h"
#include "http.h"

/* The request's database connection into *c (req_db), application_for_candidate, then the
 * application's equal opportunities answers (table application_equal_opps) merged into
 * a->data under "equal_opps", as the candidate's own pages show them. Returns 0 with a loaded
 * (free with application_free); otherwise it has answered (404, 503) and returns the status
 * sent, negated. */
int candidate_application_open(struct req *r, PGconn **c, struct application *a);

/* Adds to model what the check-your-answers page and the read-only views show of a (partial
 * account/application_answers): answers (every section of the application, section_display's
 * object plus, when change_links, change_url "/account/applications/ID/<name>"), documents
 * (application_documents_list), has_documents, documents_url and change (change_links).
 * Returns 0, or -1 on a database error or out of memory (logged). */
int candidate_answers_model(PGconn *c, const struct application *a, bool change_links,
			    json_t *model);

/* Runs application_transition(c, a->id, event, actor, reason, NULL) in a transaction of its
 * own: committed when AT_DONE (and only then reported AT_DONE), rolled back otherwise.
 * Returns the application_transition_result, or -1 (a database error, or the COMMIT failed:
 * nothing happened). */
int candidate_transition(PGconn *c, long long id, const char *event, long long actor,
			 const char *reason);

#endif
