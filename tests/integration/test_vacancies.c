/* test_vacancies.c - the school side of vacancies (issue 4): a hiring manager creates a draft
 * and fills each step of the form (invalid input: 422 with an error summary, nothing saved),
 * previews, publishes (then the vacancy is in search, the API and the feed) or schedules it
 * (then it is not, until the periodic job publishes it), the job closes expired vacancies,
 * extends (reason and a later date required; a closed vacancy cannot be extended), ends early
 * (reason and filled; candidates with a draft are told), copies and deletes drafts; every
 * transition writes a status_events row (the job's with no actor), invalid transitions are
 * refused, edits to a live vacancy are recorded in vacancy_edits. A new draft starts with what
 * its school said of itself last. When a vacancy closes on its date the school's hiring
 * managers are emailed; they say (and may correct) whether the post was filled. People's views
 * of a live vacancy's page are counted for the school (robots, staff, previews and a reader's
 * second reading at once not); a
 * listing without applications shortly before it closes is reminded about once.
 * Tenancy: another school's staff get 404 for every school URL of a vacancy; a viewer of the
 * school cannot change anything. The dashboard counts each tab.
 *
 * This file uses the schools 20 to 29 (in URN order). */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "jobs.h"
#include "vacancy_reminders.h"

#define PW "Orsett-heath-1931-walk"
#define JOB_WAIT_MS 25000   /* the job runs every 15 s */

/* A new school_staff user with membership `role` (hiring_manager|viewer) of school urn,
 * signed in on c. Returns the id. */
static long long staff(struct it_client *c, long urn, const char *role, const char *name)
{
	char email[128];
	long long id;

	it_unique_email(email, sizeof email, "staff");
	id = it_user_add(email, name, "school_staff", PW, 1);
	it_membership_add(id, urn, role);
	it_login(c, email, PW);
	return id;
}

/* Fails unless vacancy id has status want. */
static void expect_vstatus(long long id, const char *want, const char *what)
{
	char *v = it_psql_id("SELECT status FROM vacancies WHERE id = $1", id);

	ck_assert_msg(v != NULL && strcmp(v, want) == 0, "%s: vacancy %lld is %s, want %s", what,
		      id, v ? v : "(gone)", want);
	free(v);
}

/* A fingerprint of every column of vacancy id (and its schools): equal before and after
 * means nothing was saved. Caller frees. */
static char *snapshot(long long id)
{
	char *v = it_psql_id("SELECT md5((to_jsonb(v) - 'search')::text || coalesce((SELECT "
			     "string_agg(school_urn::text, ',' ORDER BY school_urn) FROM "
			     "vacancy_schools WHERE vacancy_id = v.id), '')) FROM vacancies v "
			     "WHERE id = $1", id);

	ck_assert_msg(v != NULL, "no vacancy %lld", id);
	return v;
}

/* Number of status_events rows of vacancy id. */
static long long nevents(long long id)
{
	return it_psql_id_long("SELECT count(*) FROM status_events WHERE entity = 'vacancy' AND "
			       "entity_id = $1", id);
}

/* Fails unless the latest status_events row of vacancy id is `event` from `from` (NULL: none)
 * to `to` by actor (0: no actor, the periodic job) with reason (NULL: none). */
static void expect_event(long long id, const char *event, const char *from, const char *to,
			 long long actor, const char *reason, const char *what)
{
	char want[512], *got;

	got = it_psql_id("SELECT event || '|' || coalesce(from_status, '-') || '|' || to_status || "
			 "'|' || coalesce(actor_id::text, 'job') || '|' || coalesce(reason, '-') "
			 "FROM status_events WHERE entity = 'vacancy' AND entity_id = $1 ORDER BY "
			 "at DESC, id DESC LIMIT 1", id);
	if (actor > 0)
		snprintf(want, sizeof want, "%s|%s|%s|%lld|%s", event, from ? from : "-", to, actor,
			 reason ? reason : "-");
	else
		snprintf(want, sizeof want, "%s|%s|%s|job|%s", event, from ? from : "-", to,
			 reason ? reason : "-");
	ck_assert_msg(got != NULL && strcmp(got, want) == 0,
		      "%s: latest status event of vacancy %lld is %s, want %s", what, id,
		      got ? got : "(none)", want);
	free(got);
}

/* The vacancy id in a location "/school/vacancies/ID..." (0 when there is none). */
static long long id_in(const char *loc)
{
	const char *p = loc != NULL ? strstr(loc, "/school/vacancies/") : NULL;

	return p != NULL ? strtoll(p + 18, NULL, 10) : 0;
}

/* POSTs form (token added) to path with c; returns the response in r. */
static long post(struct it_client *c, const char *path, const char *form, struct it_resp *r)
{
	return it_client_post(c, path, form, r);
}

/* Action path "/school/vacancies/ID/what" into out (96 bytes). */
static const char *vpath(char *out, long long id, const char *what)
{
	snprintf(out, 96, "/school/vacancies/%lld%s%s", id, what[0] != '\0' ? "/" : "", what);
	return out;
}

/* Creates a draft through POST /school/vacancies/new (job step) at school urn with title.
 * Returns its id. */
static long long create_draft(struct it_client *c, long urn, const char *title)
{
	char urn_s[24], *form;
	struct it_resp r;
	long long id;

	snprintf(urn_s, sizeof urn_s, "%ld", urn);
	it_client_get(c, "/school/vacancies/new", &r);
	it_expect_status(&r, 200, "GET /school/vacancies/new");
	it_resp_free(&r);
	form = it_form("school", urn_s, "title", title, "role", "teacher", "role",
		       "head_of_department", "phase", "secondary", "key_stage", "ks3", "key_stage",
		       "ks4", "subject", "mathematics", "ect_suitable", "true", (char *)NULL);
	post(c, "/school/vacancies/new", form, &r);
	free(form);
	it_expect_redirect(&r, "/school/vacancies/", "creating a draft");
	id = id_in(it_location(&r));
	ck_assert_msg(id > 0, "no vacancy id in %s", it_location(&r));
	ck_assert_msg(strstr(it_location(&r), "/edit?step=details") != NULL,
		      "after creating, redirect to %s, want the details step", it_location(&r));
	it_resp_free(&r);
	return id;
}

/* POSTs step `step` of vacancy id with the url-encoded fields (without step and token) and
 * expects a 303 (saved). */
static void save_step(struct it_client *c, long long id, const char *step, const char *fields)
{
	char path[96], what[128];
	struct buf b = { 0 };
	struct it_resp r;

	buf_printf(&b, "step=%s&%s", step, fields);
	ck_assert_msg(!buf_failed(&b), "out of memory");
	post(c, vpath(path, id, "edit"), buf_str(&b), &r);
	snprintf(what, sizeof what, "saving step %s of vacancy %lld", step, id);
	it_expect_redirect(&r, "/school/vacancies/", what);
	it_resp_free(&r);
	buf_free(&b);
}

/* Url-encoded fields of the dates step: closing in close_days at 12:00, publish in
 * publish_days (< 0: no publish date). Caller frees. */
static char *dates_form(int close_days, int publish_days)
{
	char cd[8], cm[8], cy[8], pd[8] = "", pm[8] = "", py[8] = "";

	it_date_in(close_days, cd, cm, cy);
	if (publish_days >= 0)
		it_date_in(publish_days, pd, pm, py);
	return it_form("publish_date-day", pd, "publish_date-month", pm, "publish_date-year", py,
		       "closes_date-day", cd, "closes_date-month", cm, "closes_date-year", cy,
		       "closes_time", "12:00", (char *)NULL);
}

/* Fills every step of draft id but the dates (details, about, contact). word goes into the
 * description. */
static void fill_steps(struct it_client *c, long long id, const char *word)
{
	char *form;

	save_step(c, id, "details", "contract=permanent&working_pattern=full_time&pay_scale=mps&"
		  "pay_text=Main+pay+range&salary_min=31650&salary_max=43607&"
		  "actual_salary=%C2%A331%2C650+to+%C2%A343%2C607&start_type=asap");
	form = it_form("description", word, "about_school", "A *friendly* school.",
		       "school_offers", "Support and training.", (char *)NULL);
	save_step(c, id, "about", form);
	free(form);
	save_step(c, id, "contact", "contact_email=recruitment%40example.org&"
		  "contact_phone=01375+652652&school_visits=Visits+on+Tuesdays%3A+call+us");
}

/* A complete draft of school urn made through the forms: every step filled, closing in 30
 * days (publish date in publish_days, < 0 for none). Returns its id. */
static long long complete_draft(struct it_client *c, long urn, const char *title,
				const char *word, int publish_days)
{
	long long id = create_draft(c, urn, title);
	char *form;

	fill_steps(c, id, word);
	form = dates_form(30, publish_days);
	save_step(c, id, "dates", form);
	free(form);
	return id;
}

/* GET path (no cookies) and true when its body contains needle. */
static bool public_has(const char *path, const char *needle, long *status)
{
	struct it_resp r;
	bool has;

	it_get(path, &r);
	*status = r.status;
	has = r.body != NULL && strstr(r.body, needle) != NULL;
	it_resp_free(&r);
	return has;
}

/* How a vacancy shows in public: live (found everywhere), hidden (a draft or scheduled: found
 * nowhere, its page 404) or closed (found nowhere, its page says it is closed). */
enum vis { LIVE, HIDDEN, CLOSED };

/* Fails unless the public page of vacancy id says it is closed, asks not to be indexed,
 * carries no JobPosting data and links to the live jobs like it and its school's. */
static void expect_closed_page(long long id, const char *what)
{
	struct it_resp r;
	char p[64];

	snprintf(p, sizeof p, "/vacancies/%lld", id);
	it_get(p, &r);
	ck_assert_msg(r.status == 200 || r.status == 410, "%s: GET %s: status %ld", what, p,
		      r.status);
	ck_assert_msg(strcasestr(r.body, "closed") != NULL, "%s: %s does not say it is closed",
		      what, p);
	ck_assert_msg(it_noindex(&r), "%s: %s may be indexed (no X-Robots-Tag or robots meta with "
		      "noindex)", what, p);
	ck_assert_msg(strstr(r.body, "application/ld+json") == NULL,
		      "%s: %s still carries JobPosting data", what, p);
	ck_assert_msg(strstr(r.body, "Share this job") == NULL, "%s: %s offers to share a closed "
		      "job", what, p);
	/* Every vacancy here is a teacher's job: it links to live ones like it, and its school's. */
	ck_assert_msg(strstr(r.body, "href=\"/vacancies?role=teacher") != NULL &&
		      strstr(r.body, "href=\"/vacancies?school=") != NULL,
		      "%s: %s does not link to live jobs like it and its school's", what, p);
	it_resp_free(&r);
}

/* Fails unless vacancy id (whose description holds word) shows in public as `how`: in (LIVE)
 * or not in /vacancies?q=word, /api/v1/vacancies?q=word and /vacancies.atom; its page and API
 * item 200 (LIVE), 404 (HIDDEN), or a closed page and no API item (CLOSED). */
static void expect_public(long long id, const char *word, enum vis how, const char *what)
{
	char path[128], link[64];
	bool visible = how == LIVE, has;
	struct it_resp r;
	json_t *j, *it;
	size_t i;
	long st;

	snprintf(link, sizeof link, "/vacancies/%lld\"", id);
	snprintf(path, sizeof path, "/vacancies?q=%s", word);
	has = public_has(path, link, &st);
	ck_assert_msg(st == 200, "%s: GET %s: status %ld", what, path, st);
	ck_assert_msg(has == visible, "%s: vacancy %lld %s in %s", what, id,
		      visible ? "missing" : "shown", path);

	snprintf(path, sizeof path, "/api/v1/vacancies?q=%s", word);
	it_get(path, &r);
	ck_assert_msg(r.status == 200, "%s: GET %s: status %ld", what, path, r.status);
	j = it_json(&r);
	has = false;
	json_array_foreach(json_object_get(j, "items"), i, it)
		has |= json_integer_value(json_object_get(it, "id")) == id;
	ck_assert_msg(has == visible, "%s: vacancy %lld %s in %s: %.400s", what, id,
		      visible ? "missing" : "shown", path, r.body);
	json_decref(j);
	it_resp_free(&r);

	snprintf(link, sizeof link, "/vacancies/%lld<", id);
	has = public_has("/vacancies.atom", link, &st);
	if (!has) {
		snprintf(link, sizeof link, "/vacancies/%lld\"", id);
		has = public_has("/vacancies.atom", link, &st);
	}
	ck_assert_msg(st == 200, "%s: GET /vacancies.atom: status %ld", what, st);
	ck_assert_msg(has == visible, "%s: vacancy %lld %s in /vacancies.atom", what, id,
		      visible ? "missing" : "shown");

	snprintf(path, sizeof path, "/api/v1/vacancies/%lld", id);
	public_has(path, "", &st);
	ck_assert_msg(st == (visible ? 200 : 404), "%s: GET %s: status %ld, want %d", what, path,
		      st, visible ? 200 : 404);
	if (how == CLOSED) {
		expect_closed_page(id, what);
		return;
	}
	snprintf(path, sizeof path, "/vacancies/%lld", id);
	has = public_has(path, "href=\"/vacancies?role=teacher", &st);
	ck_assert_msg(st == (visible ? 200 : 404), "%s: GET %s: status %ld, want %d", what, path,
		      st, visible ? 200 : 404);
	/* A live teacher's job (as every one here) links to more like it and to its school's. */
	ck_assert_msg(!visible || (has && public_has(path, "href=\"/vacancies?school=", &st)),
		      "%s: %s does not link to more jobs like it and its school's", what, path);
}

/* Polls until vacancy id has status want (true) or timeout_ms passed (false). */
static bool wait_status(long long id, const char *want, int timeout_ms)
{
	long long until = it_now_ms() + timeout_ms;
	char *v;
	bool ok;

	for (;;) {
		v = it_psql_id("SELECT status FROM vacancies WHERE id = $1", id);
		ok = v != NULL && strcmp(v, want) == 0;
		free(v);
		if (ok || it_now_ms() >= until)
			return ok;
		it_sleep_ms(250);
	}
}

/* --- drafts and the steps of the form ------------------------------------------------------ */

/* POSTs form to vacancy id's edit page with c; fails unless it is refused with an error on
 * field (what: the case, for messages) and the vacancy is unchanged. */
static void expect_refused(struct it_client *c, long long id, const char *form,
			   const char *field, const char *what)
{
	char path[96], *before = snapshot(id), *after;
	struct it_resp r;

	post(c, vpath(path, id, "edit"), form, &r);
	it_expect_errors(&r, field, what);
	it_resp_free(&r);
	after = snapshot(id);
	ck_assert_msg(strcmp(before, after) == 0, "%s: the vacancy changed", what);
	free(before);
	free(after);
}

START_TEST(create_draft_validates)
{
	struct it_client c = { 0 };
	char urn_s[24], *form, *title;
	long urn = it_school(20);
	long long uid, id;
	struct it_resp r;

	uid = staff(&c, urn, "hiring_manager", "Hana Hiring");
	snprintf(urn_s, sizeof urn_s, "%ld", urn);
	it_client_get(&c, "/school/vacancies/new", &r);
	it_expect_status(&r, 200, "GET /school/vacancies/new");
	it_resp_free(&r);

	/* No title, an unknown role, no phase: 422, values kept, nothing created. */
	form = it_form("school", urn_s, "title", "", "role", "wizard", "subject", "mathematics",
		       (char *)NULL);
	post(&c, "/school/vacancies/new", form, &r);
	free(form);
	it_expect_errors(&r, "title", "creating a draft without a title");
	ck_assert_msg(strstr(r.body, "href=\"#role\"") != NULL, "no error for the unknown role");
	ck_assert_msg(strstr(r.body, "href=\"#phase\"") != NULL, "no error for the missing phase");
	it_resp_free(&r);

	/* A title of 151 characters, kept in the form. */
	title = malloc(152);
	ck_assert_ptr_nonnull(title);
	memset(title, 'a', 151);
	title[151] = '\0';
	form = it_form("school", urn_s, "title", title, "role", "teacher", "phase", "primary",
		       (char *)NULL);
	post(&c, "/school/vacancies/new", form, &r);
	free(form);
	it_expect_errors(&r, "title", "creating a draft with a 151-character title");
	it_resp_free(&r);
	free(title);

	/* Another school's URN: refused, not created there. */
	snprintf(urn_s, sizeof urn_s, "%ld", it_school(21));
	form = it_form("school", urn_s, "title", "Teacher of English", "role", "teacher", "phase",
		       "secondary", (char *)NULL);
	post(&c, "/school/vacancies/new", form, &r);
	free(form);
	ck_assert_msg(r.status == 422 || r.status == 404 || r.status == 403,
		      "creating a draft at a school of someone else: status %ld", r.status);
	it_resp_free(&r);
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM vacancies WHERE created_by = $1",
				      uid) == 0, "an invalid form created a vacancy");

	/* Then a valid one: a draft, its 'create' event by the user. */
	id = create_draft(&c, urn, "Teacher of Mathematics");
	expect_vstatus(id, "draft", "a new draft");
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM vacancies WHERE created_by = $1",
				      uid) == 1, "the draft was not created by the user");
	ck_assert_msg(it_psql_id_long("SELECT school_urn FROM vacancies WHERE id = $1", id) == urn,
		      "the draft is not at the chosen school");
	expect_event(id, "create", NULL, "draft", uid, NULL, "creating a draft");
	form = it_psql_id("SELECT title || '|' || array_to_string(job_roles, ',') || '|' || "
			  "array_to_string(phases, ',') || '|' || array_to_string(subjects, ',') "
			  "|| '|' || ect_suitable FROM vacancies WHERE id = $1", id);
	ck_assert_msg(strcmp(form, "Teacher of Mathematics|teacher,head_of_department|secondary|"
			     "mathematics|true") == 0, "saved job step: %s", form);
	free(form);
}
END_TEST

START_TEST(new_draft_starts_with_what_the_school_said)
{
	struct it_client c = { 0 };
	struct it_resp r;
	char word[IT_WORD_LEN], about[96], offers[96], path[96], *v;
	long urn = it_school(21);
	long long id;

	staff(&c, urn, "hiring_manager", "Nia Newdraft");
	it_unique_word(word);
	snprintf(about, sizeof about, "A happy school by the river %s", word);
	snprintf(offers, sizeof offers, "Free parking %s", word);
	/* The school's newest listing that says something about it, an older one, and a newer
	 * one of another school: only the first is used. */
	it_vacancy_add(urn, "closed", "about_school", "An older text", "created_at",
		       "=now() - interval '1 day'", (char *)NULL);
	it_vacancy_add(urn, "closed", "about_school", about, "school_offers", offers,
		       "contact_phone", "01375 111222", "school_visits", "Visit on Fridays",
		       (char *)NULL);
	it_vacancy_add(it_school(22), "draft", "about_school", "Another school's text",
		       "created_at", "=now() + interval '1 minute'", (char *)NULL);

	id = create_draft(&c, urn, "Teacher of Art");
	v = it_psql_id("SELECT about_school || '|' || school_offers || '|' || "
		       "coalesce(contact_phone, '-') || '|' || school_visits FROM vacancies WHERE "
		       "id = $1", id);
	ck_assert_msg(strstr(v, about) == v && strstr(v, offers) != NULL &&
		      strstr(v, "|01375 111222|Visit on Fridays") != NULL,
		      "a new draft does not start with what the school said last: %s", v);
	free(v);
	snprintf(path, sizeof path, "/school/vacancies/%lld/edit?step=about", id);
	it_client_get(&c, path, &r);
	it_expect_status(&r, 200, "the about step of a new draft");
	ck_assert_msg(strstr(r.body, about) != NULL, "the about step does not show the text");
	it_resp_free(&r);
	/* The draft's own answer is kept, and starts the next one. */
	v = it_form("description", "Art for all", "about_school", "Rewritten about us", "school_offers",
		    "", (char *)NULL);
	save_step(&c, id, "about", v);
	free(v);
	id = create_draft(&c, urn, "Teacher of Art and Design");
	v = it_psql_id("SELECT about_school || '|' || school_offers FROM vacancies WHERE id = $1",
		       id);
	ck_assert_str_eq(v, "Rewritten about us|");
	free(v);
	/* Once the school has a profile, "about the school" starts with the profile's text. */
	snprintf(path, sizeof path, "%ld", urn);
	v = it_form("school", path, "about", "Our profile's words", "website", "", (char *)NULL);
	post(&c, "/school/profile", v, &r);
	free(v);
	it_expect_redirect(&r, "/school/profile?school=", "saving the school's profile");
	it_resp_free(&r);
	id = create_draft(&c, urn, "Teacher of Textiles");
	v = it_psql_id("SELECT about_school || '|' || school_offers FROM vacancies WHERE id = $1",
		       id);
	ck_assert_str_eq(v, "Our profile's words|");
	free(v);
}
END_TEST

START_TEST(each_step_validates_and_saves)
{
	struct it_client c = { 0 };
	struct it_resp r;
	char path[96], want[192], word[IT_WORD_LEN], *form, *v, *longtext;
	long urn = it_school(20);
	long long id;

	staff(&c, urn, "hiring_manager", "Stefan Steps");
	it_unique_word(word);
	id = create_draft(&c, urn, "Teacher of Science");
	vpath(path, id, "edit");

	/* Every step's form is there. */
	{
		static const char *const steps[] = { "job", "details", "dates", "about", "contact",
						     "documents", NULL };
		char p[128];

		for (size_t i = 0; steps[i] != NULL; i++) {
			snprintf(p, sizeof p, "/school/vacancies/%lld/edit?step=%s", id, steps[i]);
			it_client_get(&c, p, &r);
			it_expect_status(&r, 200, p);
			it_resp_free(&r);
		}
		snprintf(p, sizeof p, "/school/vacancies/%lld/edit?step=bogus", id);
		it_client_get(&c, p, &r);
		ck_assert_msg(r.status == 400 || r.status == 404, "GET %s: status %ld", p, r.status);
		it_resp_free(&r);
	}

	/* Each invalid step: 422 with an error summary, nothing saved. */
	static const struct {
		const char *fields;
		const char *field;
		const char *what;
	} bad[] = {
		{ "step=job&title=&role=teacher&phase=secondary", "title", "job: no title" },
		{ "step=job&title=Teacher&role=teacher&phase=nursery", "phase", "job: unknown phase" },
		{ "step=job&title=Teacher&role=teacher&phase=secondary&subject=alchemy", "subject",
		  "job: unknown subject" },
		{ "step=details&working_pattern=full_time&pay_scale=mps&start_type=asap", "contract",
		  "details: no contract" },
		{ "step=details&contract=permanent&working_pattern=full_time&pay_scale=mps&"
		  "start_type=asap&salary_min=50000&salary_max=30000", "salary_max",
		  "details: salary range the wrong way round" },
		{ "step=details&contract=permanent&working_pattern=full_time&pay_scale=mps&"
		  "start_type=asap&salary_min=lots", "salary_min", "details: salary not a number" },
		{ "step=details&contract=permanent&working_pattern=full_time&pay_scale=mps&"
		  "start_type=date&start_date-day=31&start_date-month=2&start_date-year=2030",
		  "start_date-day", "details: 31 February" },
		{ "step=dates&closes_date-day=1&closes_date-month=1&closes_date-year=2020&"
		  "closes_time=12:00", "closes_date-day", "dates: closing date in the past" },
		{ "step=dates&closes_date-day=&closes_date-month=&closes_date-year=&closes_time=12:00",
		  "closes_date-day", "dates: no closing date" },
		{ "step=dates&closes_date-day=10&closes_date-month=&closes_date-year=2030&"
		  "closes_time=12:00", "closes_date-month", "dates: closing date without a month" },
		{ "step=dates&closes_date-day=10&closes_date-month=10&closes_date-year=2030&"
		  "closes_time=25:00", "closes_time", "dates: unknown closing time" },
		{ "step=about&description=", "description", "about: no description" },
		{ "step=contact&contact_email=not-an-address", "contact_email",
		  "contact: email address without @" },
		{ "step=contact&contact_email=a%40example.org&contact_phone=call+me+maybe",
		  "contact_phone", "contact: telephone number with letters" },
		{ "step=contact&contact_email=a%40example.org&schools=999999999", "schools",
		  "contact: a school that is not a school of the trust" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_refused(&c, id, bad[i].fields, bad[i].field, bad[i].what);

	/* Texts over their limits: refused, the typed text kept. A description over 20,000
	 * characters, an actual salary over 100, school visits over 1,000. */
	longtext = malloc(20002);
	ck_assert_ptr_nonnull(longtext);
	memset(longtext, 'x', 20001);
	longtext[20001] = '\0';
	form = it_form("step", "about", "description", longtext, (char *)NULL);
	expect_refused(&c, id, form, "description", "about: a description of 20,001 characters");
	free(form);
	longtext[101] = '\0';
	form = it_form("step", "details", "contract", "permanent", "working_pattern", "full_time",
		       "pay_scale", "mps", "start_type", "asap", "actual_salary", longtext,
		       (char *)NULL);
	expect_refused(&c, id, form, "actual_salary",
		       "details: an actual salary of 101 characters");
	free(form);
	memset(longtext, 'x', 1001);
	longtext[1001] = '\0';
	form = it_form("step", "contact", "contact_email", "a@example.org", "school_visits",
		       longtext, (char *)NULL);
	expect_refused(&c, id, form, "school_visits", "contact: school visits of 1,001 characters");
	free(form);
	free(longtext);

	/* A job step error keeps what was typed. */
	post(&c, path, "step=job&title=Teacher+of+Chemistry&role=teacher", &r);
	it_expect_errors(&r, "phase", "job: no phase");
	v = it_input_value(r.body, "title");
	ck_assert_msg(v != NULL && strcmp(v, "Teacher of Chemistry") == 0,
		      "the title typed was not kept: %s", v ? v : "(no input)");
	free(v);
	it_resp_free(&r);

	/* A subject sent twice is kept once (the search counts each subject of a job once). */
	post(&c, path, "step=job&title=Teacher+of+Science&role=teacher&phase=secondary&"
	     "subject=physics&subject=chemistry&subject=physics", &r);
	it_expect_redirect(&r, "/school/vacancies/", "a job step with a subject twice");
	it_resp_free(&r);
	v = it_psql_id("SELECT array_to_string(subjects, ',') FROM vacancies WHERE id = $1", id);
	ck_assert_msg(v != NULL && strcmp(v, "physics,chemistry") == 0, "subjects saved: %s",
		      v ? v : "(none)");
	free(v);

	/* Valid steps are saved, one at a time, each going on to the next. */
	fill_steps(&c, id, word);
	form = dates_form(40, -1);
	save_step(&c, id, "dates", form);
	free(form);
	v = it_psql_id("SELECT contract_type || '|' || salary_min || '|' || salary_max || '|' || "
		       "actual_salary || '|' || description || '|' || contact_email || '|' || "
		       "contact_phone || '|' || school_visits || '|' || to_char(closes_at AT TIME "
		       "ZONE 'Europe/London', 'HH24:MI') || '|' || ((closes_at AT TIME ZONE "
		       "'Europe/London')::date - (now() AT TIME ZONE 'Europe/London')::date) FROM "
		       "vacancies WHERE id = $1", id);
	snprintf(want, sizeof want, "permanent|31650|43607|\u00a331,650 to \u00a343,607|%s|"
		 "recruitment@example.org|01375 652652|Visits on Tuesdays: call us|12:00|40", word);
	ck_assert_msg(v != NULL && strcmp(v, want) == 0, "saved steps: %s, want %s", v ? v : "",
		      want);
	free(v);
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM vacancy_edits WHERE vacancy_id = $1",
				      id) == 0,
		      "edits of a draft were recorded as edits of a live vacancy");
	expect_vstatus(id, "draft", "after saving every step");

	/* Nobody starts before the listing closes: a start date on or before the closing date
	 * is refused beside it, and so is a closing date moved past the start date. */
	{
		char d[8], m[8], y[8], *details;
		struct buf b = { 0 };

		it_date_in(40, d, m, y);
		details = it_form("step", "details", "contract", "permanent", "working_pattern",
				  "full_time", "pay_scale", "mps", "start_type", "date",
				  "start_date-day", d, "start_date-month", m, "start_date-year", y,
				  (char *)NULL);
		expect_refused(&c, id, details, "start_date-day",
			       "details: starting on closing day");
		free(details);
		it_date_in(60, d, m, y);
		details = it_form("contract", "permanent", "working_pattern", "full_time",
				  "pay_scale", "mps", "start_type", "date", "start_date-day", d,
				  "start_date-month", m, "start_date-year", y, (char *)NULL);
		save_step(&c, id, "details", details);
		free(details);
		form = dates_form(61, -1);
		buf_printf(&b, "step=dates&%s", form);
		ck_assert_msg(!buf_failed(&b), "out of memory");
		expect_refused(&c, id, buf_str(&b), "closes_date-day",
			       "dates: closing after the start date");
		buf_free(&b);
		free(form);
	}
}
END_TEST

/* --- publishing ---------------------------------------------------------------------------- */

/* True when the string member key of object o is want. */
static bool member_is(const json_t *o, const char *key, const char *want)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v != NULL && strcmp(v, want) == 0;
}

/* What live vacancy id of school urn, filled by fill_steps (its description `word`), says
 * beyond its details: its actual salary on its page, in search results and in the API; how to
 * arrange a visit; and the school's commitment to safeguarding (on every listing: Keeping
 * children safe in education asks schools to say it in their adverts). */
static void expect_listing_extras(long long id, long urn, const char *word)
{
	static const char salary[] = "\u00a331,650 to \u00a343,607";
	char page[64], search[96], want[64], *name;
	const char *at;
	struct it_resp r;
	json_t *j;
	long st;

	snprintf(page, sizeof page, "/vacancies/%lld", id);
	snprintf(search, sizeof search, "/vacancies?q=%s", word);
	snprintf(want, sizeof want, "%s</dd>", salary);
	ck_assert_msg(public_has(page, ">Actual salary</dt>", &st) && public_has(page, want, &st) &&
		      public_has(search, ">Actual salary</dt>", &st) &&
		      public_has(search, want, &st),
		      "the actual salary is not on the listing and in search results");
	ck_assert_msg(public_has(page, ">Visiting the school</h2>", &st) &&
		      public_has(page, "<p>Visits on Tuesdays: call us</p>", &st),
		      "the listing does not say how to arrange a visit");
	snprintf(want, sizeof want, "%ld", urn);
	name = it_psql_params("SELECT replace(replace(name, '&', '&amp;'), '''', '&#39;') FROM "
			      "schools WHERE urn = $1::int", 1, (const char *const[]){ want });
	it_get(page, &r);
	it_expect_status(&r, 200, page);
	at = strstr(r.body, ">Commitment to safeguarding</h2>");
	ck_assert_msg(at != NULL && strstr(at, name) != NULL &&
		      strstr(at, " is committed to safeguarding") != NULL &&
		      strstr(at, "Keeping children safe in education</a>") != NULL &&
		      strstr(at, "Disclosure and Barring Service (DBS) check") != NULL &&
		      strstr(at, "exempt from the Rehabilitation of Offenders Act") != NULL,
		      "the listing has no commitment to safeguarding by %s", name);
	it_resp_free(&r);
	free(name);
	snprintf(page, sizeof page, "/api/v1/vacancies/%lld", id);
	it_get(page, &r);
	it_expect_status(&r, 200, page);
	j = it_json(&r);
	ck_assert_msg(member_is(j, "school_visits", "Visits on Tuesdays: call us") &&
		      member_is(j, "actual_salary", salary),
		      "the API's school_visits or actual_salary: %.300s", r.body);
	json_decref(j);
	it_resp_free(&r);
}

START_TEST(publish_now)
{
	struct it_client c = { 0 };
	struct it_resp r;
	char word[IT_WORD_LEN], path[96], *v;
	long urn = it_school(21);
	long long uid, id, n;
	bool preview_noindex;

	uid = staff(&c, urn, "hiring_manager", "Priya Publisher");
	it_unique_word(word);
	id = complete_draft(&c, urn, "Teacher of Geography", word, -1);
	expect_public(id, word, HIDDEN, "a complete draft");

	/* The summary and the preview (the public page's template, marked as a preview). */
	it_client_get(&c, vpath(path, id, ""), &r);
	it_expect_status(&r, 200, "the draft's summary");
	ck_assert_msg(strstr(r.body, "Teacher of Geography") != NULL, "the summary has no title");
	it_resp_free(&r);
	it_client_get(&c, vpath(path, id, "preview"), &r);
	it_expect_status(&r, 200, "the draft's preview");
	ck_assert_msg(strstr(r.body, "Teacher of Geography") != NULL, "the preview has no title");
	preview_noindex = it_noindex(&r);
	ck_assert_msg(strstr(r.body, "application/ld+json") == NULL,
		      "the preview of a draft carries JobPosting structured data");
	it_resp_free(&r);

	n = nevents(id);
	post(&c, vpath(path, id, "publish"), "action=now", &r);
	it_expect_redirect(&r, vpath(path, id, ""), "publishing now");
	it_resp_free(&r);
	expect_vstatus(id, "published", "after publishing");
	ck_assert_msg(nevents(id) == n + 1, "publishing wrote %lld status events, want 1",
		      nevents(id) - n);
	expect_event(id, "publish", "draft", "published", uid, NULL, "publishing");
	v = it_psql_id("SELECT (published_at IS NOT NULL AND published_at <= now())::text FROM "
		       "vacancies WHERE id = $1", id);
	ck_assert_msg(strcmp(v, "true") == 0, "published_at not set on publishing");
	free(v);
	expect_public(id, word, LIVE, "a published vacancy");

	expect_listing_extras(id, urn, word);

	/* Publishing again is refused: it is live already. */
	n = nevents(id);
	post(&c, vpath(path, id, "publish"), "action=now", &r);
	it_expect_status(&r, 409, "publishing a live vacancy");
	it_resp_free(&r);
	ck_assert_msg(nevents(id) == n, "a refused publish wrote a status event");
	ck_assert_msg(preview_noindex, "the preview of a draft may be indexed (no X-Robots-Tag or "
		      "robots meta with noindex)");
}
END_TEST

START_TEST(publish_needs_closing_date)
{
	struct it_client c = { 0 };
	struct it_resp r;
	char word[IT_WORD_LEN], path[96], *before, *after;
	long urn = it_school(21);
	long long id, n;

	staff(&c, urn, "hiring_manager", "Nell Nodate");
	it_unique_word(word);
	id = create_draft(&c, urn, "Teacher of History");
	fill_steps(&c, id, word);
	n = nevents(id);
	before = snapshot(id);
	post(&c, vpath(path, id, "publish"), "action=now", &r);
	it_expect_errors(&r, NULL, "publishing a draft without a closing date");
	it_resp_free(&r);
	after = snapshot(id);
	ck_assert_msg(strcmp(before, after) == 0, "the refused publish changed the vacancy");
	expect_vstatus(id, "draft", "after publishing without a closing date");
	ck_assert_msg(nevents(id) == n, "a refused publish wrote a status event");

	/* Nor can it be scheduled; and a closing date that has passed is refused at publishing. */
	post(&c, path, "action=schedule", &r);
	ck_assert_msg(r.status == 422, "scheduling without dates: status %ld, want 422", r.status);
	it_resp_free(&r);
	it_psql_id_exec("UPDATE vacancies SET closes_at = now() - interval '1 day' WHERE id = $1",
			id);
	post(&c, vpath(path, id, "publish"), "action=now", &r);
	ck_assert_msg(r.status == 422, "publishing with a past closing date: status %ld, want 422",
		      r.status);
	it_resp_free(&r);
	expect_vstatus(id, "draft", "after publishing with a past closing date");
	expect_public(id, word, HIDDEN, "a draft that could not be published");
	free(before);
	free(after);
}
END_TEST

START_TEST(schedule_and_unschedule)
{
	struct it_client c = { 0 };
	struct it_resp r;
	char word[IT_WORD_LEN], path[96], *v;
	long urn = it_school(22);
	long long uid, id;

	uid = staff(&c, urn, "hiring_manager", "Sam Scheduler");
	it_unique_word(word);
	id = complete_draft(&c, urn, "Teacher of Music", word, 3);
	post(&c, vpath(path, id, "publish"), "action=schedule", &r);
	it_expect_redirect(&r, vpath(path, id, ""), "scheduling");
	it_resp_free(&r);
	expect_vstatus(id, "scheduled", "after scheduling");
	expect_event(id, "schedule", "draft", "scheduled", uid, NULL, "scheduling");
	v = it_psql_id("SELECT ((publish_at AT TIME ZONE 'Europe/London')::date - (now() AT TIME "
		       "ZONE 'Europe/London')::date)::text FROM vacancies WHERE id = $1", id);
	ck_assert_msg(v != NULL && strcmp(v, "3") == 0, "publish_at is %s days ahead, want 3",
		      v ? v : "(null)");
	free(v);
	expect_public(id, word, HIDDEN, "a scheduled vacancy");

	/* Scheduling it again is refused; returning it to draft is not. */
	post(&c, vpath(path, id, "publish"), "action=schedule", &r);
	it_expect_status(&r, 409, "scheduling a scheduled vacancy");
	it_resp_free(&r);
	post(&c, path, "action=unschedule", &r);
	it_expect_redirect(&r, vpath(path, id, ""), "returning to draft");
	it_resp_free(&r);
	expect_vstatus(id, "draft", "after returning to draft");
	expect_event(id, "unschedule", "scheduled", "draft", uid, NULL, "returning to draft");
	expect_public(id, word, HIDDEN, "a vacancy returned to draft");

	/* A publish date in the past is refused at the dates step. */
	{
		char *form = dates_form(30, -1), *bad;
		char d[8], m[8], y[8];

		it_date_in(-2, d, m, y);
		bad = malloc(strlen(form) + 128);
		ck_assert_ptr_nonnull(bad);
		snprintf(bad, strlen(form) + 128, "step=dates&%s", strstr(form, "closes_date"));
		snprintf(bad + strlen(bad), 128, "&publish_date-day=%s&publish_date-month=%s&"
			 "publish_date-year=%s", d, m, y);
		post(&c, vpath(path, id, "edit"), bad, &r);
		it_expect_errors(&r, "publish_date-day", "a publish date in the past");
		it_resp_free(&r);
		free(bad);
		free(form);
	}

	/* Scheduled again, then published at once from its page. */
	post(&c, vpath(path, id, "publish"), "action=schedule", &r);
	it_expect_redirect(&r, vpath(path, id, ""), "scheduling again");
	it_resp_free(&r);
	it_client_get(&c, vpath(path, id, ""), &r);
	ck_assert_msg(strstr(r.body, "value=\"now\"") != NULL,
		      "a scheduled listing's page offers no Publish now");
	it_resp_free(&r);
	post(&c, vpath(path, id, "publish"), "action=now", &r);
	it_expect_redirect(&r, vpath(path, id, ""), "publishing a scheduled vacancy now");
	it_resp_free(&r);
	expect_vstatus(id, "published", "after publishing a scheduled vacancy now");
	expect_event(id, "publish", "scheduled", "published", uid, NULL, "publishing it now");
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM vacancies WHERE id = $1 AND "
					 "published_at > now() - interval '1 minute' AND "
					 "publish_at <= now()", id), 1);
	expect_public(id, word, LIVE, "a scheduled vacancy published now");
}
END_TEST

START_TEST(job_publishes_and_closes_on_time)
{
	struct it_client c = { 0 };
	struct it_resp r;
	char word[IT_WORD_LEN], word2[IT_WORD_LEN], path[96];
	long urn = it_school(22);
	long long sid, pid;
	bool live, closed;

	staff(&c, urn, "hiring_manager", "Jo Jobwatcher");
	it_unique_word(word);
	it_unique_word(word2);

	/* A scheduled vacancy whose publish time has come, and a live one whose closing time has
	 * passed: the periodic job moves both, with no actor. */
	sid = complete_draft(&c, urn, "Teacher of Drama", word, 2);
	post(&c, vpath(path, sid, "publish"), "action=schedule", &r);
	it_expect_redirect(&r, vpath(path, sid, ""), "scheduling");
	it_resp_free(&r);
	pid = complete_draft(&c, urn, "Teacher of Physics", word2, -1);
	post(&c, vpath(path, pid, "publish"), "action=now", &r);
	it_expect_redirect(&r, vpath(path, pid, ""), "publishing");
	it_resp_free(&r);
	expect_public(pid, word2, LIVE, "published, before its closing time");

	it_psql_id_exec("UPDATE vacancies SET publish_at = now() - interval '1 minute' "
			"WHERE id = $1", sid);
	it_psql_id_exec("UPDATE vacancies SET closes_at = now() - interval '1 minute' "
			"WHERE id = $1", pid);
	/* Past its closing time it is gone from search at once, before the job closes it. */
	expect_public(pid, word2, CLOSED, "published, past its closing time");

	live = wait_status(sid, "published", JOB_WAIT_MS);
	closed = wait_status(pid, "closed", JOB_WAIT_MS);
	ck_assert_msg(live, "the periodic job did not publish a scheduled vacancy within %d ms of "
		      "its publish time", JOB_WAIT_MS);
	ck_assert_msg(closed, "the periodic job did not close a vacancy within %d ms of its "
		      "closing time", JOB_WAIT_MS);
	expect_event(sid, "go_live", "scheduled", "published", 0, NULL, "the job publishing");
	expect_event(pid, "close", "published", "closed", 0, NULL, "the job closing");
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM status_events WHERE entity = 'vacancy' "
				      "AND entity_id = $1 AND event = 'go_live'", sid) == 1,
		      "the job published the vacancy more than once");
	ck_assert_msg(it_psql_id_long("SELECT (closed_at IS NOT NULL)::int FROM vacancies "
				      "WHERE id = $1", pid) == 1, "closed_at not set by the job");
	expect_public(sid, word, LIVE, "published by the job");
	expect_public(pid, word2, CLOSED, "closed by the job");
}
END_TEST

/* A new school_staff user called name with membership `role` of school urn, not signed in;
 * address into email (128 bytes). Returns the id. */
static long long member(char email[128], long urn, const char *role, const char *name)
{
	long long id = it_user_signed_in(NULL, "school_staff", name, PW, email);

	it_membership_add(id, urn, role);
	return id;
}

/* Messages in the outbox to `to` whose subject holds needle. */
static long long mails_about(const char *to, const char *needle)
{
	const char *vals[2] = { to, needle };
	char *v = it_psql_params("SELECT count(*) FROM outbox WHERE lower(to_address) = lower($1) "
				 "AND strpos(subject, $2) > 0", 2, vals);
	long long n = v != NULL ? strtoll(v, NULL, 10) : 0;

	free(v);
	return n;
}

/* The body of the newest message to `to` whose subject holds needle (caller frees). */
static char *mail_about(const char *to, const char *needle)
{
	const char *vals[2] = { to, needle };
	char *v = it_psql_params("SELECT body FROM outbox WHERE lower(to_address) = lower($1) AND "
				 "strpos(subject, $2) > 0 ORDER BY id DESC LIMIT 1", 2, vals);

	ck_assert_msg(v != NULL, "no email to %s about %s", to, needle);
	return v;
}

START_TEST(going_live_tells_the_school)
{
	struct it_client c = { 0 };
	struct it_resp r;
	char word[IT_WORD_LEN], t1[96], t2[96], path[96], want[128], *body;
	char mgr[128], viewer[128], quiet[128];
	long urn = it_school(23);
	long long due, now_id;
	PGconn *pg;

	it_unique_word(word);
	snprintf(t1, sizeof t1, "Teacher of Dance %s", word);
	snprintf(t2, sizeof t2, "Teacher of Latin %s", word);
	member(mgr, urn, "hiring_manager", "Lee Live");
	member(viewer, urn, "viewer", "Val Viewer");
	it_psql_id_exec("UPDATE users SET email_opt_out = '{listing_live}' WHERE id = $1",
			member(quiet, urn, "hiring_manager", "Quincy Quiet"));
	it_login(&c, mgr, PW);

	/* A scheduled listing whose publish time has come; another published by hand. */
	due = it_vacancy_add(urn, "scheduled", "title", t1, "publish_at",
			     "=now() - interval '1 minute'", (char *)NULL);
	now_id = complete_draft(&c, urn, t2, word, -1);
	post(&c, vpath(path, now_id, "publish"), "action=now", &r);
	it_expect_redirect(&r, vpath(path, now_id, ""), "publishing now");
	it_resp_free(&r);

	pg = it_jobs_connect();
	ck_assert_msg(jobs_run_once(pg) >= 0, "the periodic job failed");
	it_jobs_disconnect(pg);
	ck_assert_msg(wait_status(due, "published", JOB_WAIT_MS), "the job did not publish it");

	/* The hiring managers who want it are told once, with the page to share and the
	 * listing's own; viewers and those who turned it off are not; publishing by hand sends
	 * nothing (the person is on the page). */
	ck_assert_int_eq(mails_about(mgr, t1), 1);
	ck_assert_int_eq(mails_about(quiet, t1), 0);
	ck_assert_int_eq(mails_about(viewer, t1), 0);
	ck_assert_int_eq(mails_about(mgr, t2), 0);
	body = mail_about(mgr, t1);
	ck_assert_msg(strstr(body, "went live as scheduled") != NULL, "the email says:\n%s", body);
	snprintf(want, sizeof want, "/vacancies/%lld\n", due);
	ck_assert_msg(strstr(body, want) != NULL, "the email lacks the job's page:\n%s", body);
	snprintf(want, sizeof want, "/school/vacancies/%lld\n", due);
	ck_assert_msg(strstr(body, want) != NULL, "the email lacks the listing's page:\n%s", body);
	ck_assert_msg(strstr(body, "/account") != NULL, "the email lacks the settings link:\n%s",
		      body);
	free(body);
}
END_TEST

START_TEST(closing_tells_the_school)
{
	struct it_client c = { 0 };
	struct it_resp r;
	char word[IT_WORD_LEN], t1[96], t2[96], t3[96], path[96], want[128], *body;
	char mgr[128], viewer[128], off[128], other[128], cand[128], quiet[128];
	long urn = it_school(26);
	long long uid, many, none, ended, cid;
	PGconn *pg;

	it_unique_word(word);
	snprintf(t1, sizeof t1, "Teacher of Music %s", word);
	snprintf(t2, sizeof t2, "Cover supervisor %s", word);
	snprintf(t3, sizeof t3, "Librarian %s", word);
	uid = member(mgr, urn, "hiring_manager", "Cora Closer");
	member(viewer, urn, "viewer", "Vic Viewer");
	it_psql_id_exec("UPDATE users SET disabled_at = now() WHERE id = $1",
			member(off, urn, "hiring_manager", "Dee Disabled"));
	member(other, it_school(27), "hiring_manager", "Oli Other");
	it_psql_id_exec("UPDATE users SET email_opt_out = '{listing_closed}' WHERE id = $1",
			member(quiet, urn, "hiring_manager", "Quinn Quiet"));
	it_login(&c, mgr, PW);

	/* Two live listings past their closing time: one with two applications (and a draft,
	 * which is the candidate's own), one with none; a third ended early by hand. */
	many = it_vacancy_add(urn, "published", "title", t1, "closes_at",
			      "=now() - interval '1 minute'", (char *)NULL);
	none = it_vacancy_add(urn, "published", "title", t2, "closes_at",
			      "=now() - interval '1 minute'", (char *)NULL);
	for (int i = 0; i < 3; i++) {
		cid = it_user_signed_in(NULL, "candidate", "Ada Applicant", PW, cand);
		it_application_add(many, cid, i < 2 ? "submitted" : "draft", "Applicant", cand);
	}
	ended = it_vacancy_add(urn, "published", "title", t3, (char *)NULL);
	post(&c, vpath(path, ended, "end"), "end_reason=Appointed+internally&end_filled=yes", &r);
	it_expect_redirect(&r, vpath(path, ended, ""), "ending early");
	it_resp_free(&r);

	pg = it_jobs_connect();
	ck_assert_msg(jobs_run_once(pg) >= 0, "the periodic job failed");
	it_jobs_disconnect(pg);
	/* The server's own job may have taken one first: wait for its commit. */
	ck_assert_msg(wait_status(many, "closed", JOB_WAIT_MS) &&
		      wait_status(none, "closed", JOB_WAIT_MS), "the job did not close them");
	expect_event(many, "close", "published", "closed", 0, NULL, "the job closing");

	/* Each enabled hiring manager of the school gets one email per listing that closed on
	 * its date; viewers, disabled accounts, those who turned these emails off and other
	 * schools' staff none; ending early none. */
	ck_assert_int_eq(mails_about(mgr, t1), 1);
	ck_assert_int_eq(mails_about(mgr, t2), 1);
	ck_assert_int_eq(mails_about(mgr, t3), 0);
	ck_assert_int_eq(mails_about(viewer, word), 0);
	ck_assert_int_eq(mails_about(off, word), 0);
	ck_assert_int_eq(mails_about(quiet, word), 0);
	ck_assert_int_eq(mails_about(other, word), 0);

	body = mail_about(mgr, t1);
	snprintf(want, sizeof want, "/school/vacancies/%lld\n", many);
	ck_assert_msg(strstr(body, "You received 2 applications.") != NULL &&
		      strstr(body, want) != NULL && strstr(body, "whether the post was filled"),
		      "the email about a listing with applications says:\n%s", body);
	free(body);
	body = mail_about(mgr, t2);
	ck_assert_msg(strstr(body, "No one applied.") != NULL &&
		      strstr(body, "copy it into a new draft") != NULL,
		      "the email about a listing without applications says:\n%s", body);
	free(body);

	/* Its page and the dashboard ask whether the post was filled. */
	it_client_get(&c, vpath(path, many, ""), &r);
	it_expect_status(&r, 200, "the closed listing's page");
	ck_assert_msg(strstr(r.body, "href=\"#outcome\"") != NULL &&
		      strstr(r.body, "name=\"outcome_filled\"") != NULL,
		      "the closed listing's page does not ask whether the post was filled");
	it_resp_free(&r);
	it_client_get(&c, "/school?tab=closed", &r);
	it_expect_status(&r, 200, "the closed tab");
	snprintf(want, sizeof want, "/school/vacancies/%lld#outcome", many);
	ck_assert_msg(strstr(r.body, want) != NULL, "the closed tab does not ask about %s", t1);
	it_resp_free(&r);
	(void)uid;
}
END_TEST

START_TEST(outcome_after_closing)
{
	struct it_client c = { 0 };
	struct it_resp r;
	char path[96], want[96], *before, *after, *v;
	long urn = it_school(27);
	long long uid, id, live, draft, n;

	uid = staff(&c, urn, "hiring_manager", "Olu Outcome");
	id = it_vacancy_add(urn, "closed", "title", "Teacher of Latin", (char *)NULL);
	vpath(path, id, "outcome");

	/* No answer, or one that is neither yes nor no: 422 beside the question, nothing kept. */
	static const char *const bad[] = { "", "outcome_filled=", "outcome_filled=maybe" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		before = snapshot(id);
		n = nevents(id);
		post(&c, path, bad[i], &r);
		it_expect_errors(&r, "outcome_filled", bad[i]);
		ck_assert_msg(strstr(r.body, "Select yes if the post was filled") != NULL,
			      "no message beside the question");
		it_resp_free(&r);
		after = snapshot(id);
		ck_assert_msg(strcmp(before, after) == 0 && nevents(id) == n,
			      "a refused answer (%s) changed the vacancy", bad[i]);
		free(before);
		free(after);
	}

	/* Not filled: kept, recorded as an event by the hiring manager, shown. */
	post(&c, path, "outcome_filled=no", &r);
	it_expect_redirect(&r, vpath(want, id, ""), "answering not filled");
	it_resp_free(&r);
	expect_event(id, "outcome", "closed", "closed", uid, NULL, "answering not filled");
	v = it_psql_id("SELECT coalesce(filled::text, 'null') || '|' || status FROM vacancies "
		       "WHERE id = $1", id);
	ck_assert_str_eq(v, "false|closed");
	free(v);
	it_client_get(&c, vpath(want, id, ""), &r);
	ck_assert_msg(strstr(r.body, "The post was not filled.") != NULL &&
		      strstr(r.body, "Said whether the post was filled") != NULL &&
		      strstr(r.body, "href=\"#outcome\"") == NULL,
		      "the page does not show the answer in its status and history");
	/* Its closing date is past, as it should be: nothing "needs attention". */
	ck_assert_msg(strstr(r.body, "Needs attention") == NULL,
		      "a closed listing's page flags its closing date");
	it_resp_free(&r);
	it_client_get(&c, "/school?tab=closed", &r);
	ck_assert_msg(strstr(r.body, "Post not filled") != NULL, "the closed tab lacks the answer");
	it_resp_free(&r);

	/* Corrected later: filled. */
	post(&c, path, "outcome_filled=yes", &r);
	it_expect_redirect(&r, vpath(want, id, ""), "correcting the answer");
	it_resp_free(&r);
	v = it_psql_id("SELECT filled::text || '|' || (SELECT string_agg(detail->>'filled', ',' "
		       "ORDER BY id) FROM status_events WHERE entity = 'vacancy' AND entity_id = "
		       "$1 AND event = 'outcome') FROM vacancies WHERE id = $1", id);
	ck_assert_str_eq(v, "true|false,true");
	free(v);

	/* Only once closed: a live listing or a draft is refused (409), unchanged. */
	live = it_vacancy_add(urn, "published", (char *)NULL);
	draft = it_vacancy_add(urn, "draft", (char *)NULL);
	const long long open[2] = { live, draft };
	for (size_t k = 0; k < 2; k++) {
		before = snapshot(open[k]);
		post(&c, vpath(path, open[k], "outcome"), "outcome_filled=yes", &r);
		it_expect_status(&r, 409, "answering for a listing that has not closed");
		it_resp_free(&r);
		after = snapshot(open[k]);
		ck_assert_msg(strcmp(before, after) == 0, "answering changed an open listing");
		free(before);
		free(after);
	}
}
END_TEST

START_TEST(views_counted_for_the_school)
{
	static const char *const browser[] = {
		"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
		NULL
	};
	static const char *const other_browser[] = {
		"User-Agent: Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
		"(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
		NULL
	};
	static const char *const robot[] = {
		"User-Agent: Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		NULL
	};
	struct it_client c = { 0 }, cand = { 0 };
	struct it_resp r;
	char path[96];
	long urn = it_school(28);
	long long id, draft, views = -1, until;

	staff(&c, urn, "hiring_manager", "Vi Viewcount");
	it_user_signed_in(&cand, "candidate", "Cam Candidate", PW, NULL);
	id = it_vacancy_add(urn, "published", (char *)NULL);
	draft = it_vacancy_add(urn, "draft", (char *)NULL);
	snprintf(path, sizeof path, "/vacancies/%lld", id);

	/* Counted: two visitors' and a candidate's readings. Not counted: the first visitor's
	 * second reading at once, a search engine's, a client without a User-Agent, the school's
	 * own hiring manager, the school's preview. */
	for (int i = 0; i < 3; i++) {
		it_request("GET", path, NULL, NULL, 0, i == 1 ? other_browser : browser, &r);
		it_expect_status(&r, 200, "a visitor reading a live vacancy");
		it_resp_free(&r);
	}
	it_client_request(&cand, "GET", path, NULL, browser, &r);
	it_expect_status(&r, 200, "a candidate reading a live vacancy");
	it_resp_free(&r);
	it_request("GET", path, NULL, NULL, 0, robot, &r);
	it_resp_free(&r);
	it_get(path, &r);
	it_resp_free(&r);
	it_client_request(&c, "GET", path, NULL, browser, &r);
	it_expect_status(&r, 200, "the hiring manager reading the public page");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/school/vacancies/%lld/preview", id);
	it_client_request(&c, "GET", path, NULL, browser, &r);
	it_resp_free(&r);
	snprintf(path, sizeof path, "/vacancies/%lld", draft);
	it_request("GET", path, NULL, NULL, 0, browser, &r);
	it_expect_status(&r, 404, "a draft in public");
	it_resp_free(&r);

	/* The periodic job adds them to today's row. */
	until = it_now_ms() + JOB_WAIT_MS;
	while (it_now_ms() < until) {
		views = it_psql_id_long("SELECT coalesce(sum(views), 0) FROM vacancy_views WHERE "
					"vacancy_id = $1", id);
		if (views >= 3)
			break;
		it_sleep_ms(250);
	}
	ck_assert_msg(views == 3, "vacancy_views holds %lld views, want 3", views);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM vacancy_views WHERE vacancy_id = $1 "
					 "AND day = (now() AT TIME ZONE 'Europe/London')::date", id),
			 1);
	ck_assert_int_eq(it_psql_id_long("SELECT count(*) FROM vacancy_views WHERE vacancy_id = "
					 "$1", draft), 0);

	/* The school sees them on the listing's page, with its saves and applications. */
	it_client_get(&c, vpath(path, id, ""), &r);
	it_expect_status(&r, 200, "the listing's page");
	ck_assert_msg(strstr(r.body, "Views of the job page</dt>") != NULL &&
		      strstr(r.body, "<dd class=\"govuk-summary-list__value\">3</dd>") != NULL,
		      "the listing's page does not show 3 views");
	it_resp_free(&r);
	it_client_get(&c, vpath(path, draft, ""), &r);
	ck_assert_msg(strstr(r.body, "Views of the job page") == NULL,
		      "a draft's page shows views");
	it_resp_free(&r);
}
END_TEST

START_TEST(no_applications_reminder)
{
	char word[IT_WORD_LEN], title[4][96], mgr[128], quiet[128], want[128], *body;
	static const char *const closes[4] = { "2 days", "2 days", "5 days", "2 days" };
	static const char *const published[4] = { "10 days", "10 days", "10 days", "1 day" };
	long urn = it_school(29);
	long long id[4], until;
	PGconn *pg;

	it_unique_word(word);
	member(mgr, urn, "hiring_manager", "Rhea Reminded");
	/* A hiring manager who turned these reminders off on /account gets none. */
	it_psql_id_exec("UPDATE users SET email_opt_out = '{listing_no_applications}' WHERE "
			"id = $1", member(quiet, urn, "hiring_manager", "Quinn Quiet"));
	/* Due: 0, live for 10 days, closing in 2, no application. Not due: 1 has an application;
	 * 2 closes in 5 days; 3 went live yesterday. */
	for (int i = 0; i < 4; i++) {
		char c_at[64], p_at[64];

		snprintf(title[i], sizeof title[i], "Teacher of Dance %d %s", i, word);
		snprintf(c_at, sizeof c_at, "=now() + interval '%s'", closes[i]);
		snprintf(p_at, sizeof p_at, "=now() - interval '%s'", published[i]);
		id[i] = it_vacancy_add(urn, "published", "title", title[i], "closes_at", c_at,
				       "published_at", p_at, "publish_at", p_at, "updated_at", p_at,
				       (char *)NULL);
	}
	it_application_add(id[1], it_user_signed_in(NULL, "candidate", "Ann Applied", PW, want),
			   "submitted", "Applied", want);
	it_psql_id_exec("INSERT INTO vacancy_views (vacancy_id, day, views) VALUES ($1, "
			"current_date, 5)", id[0]);

	for (int round = 0; round < 2; round++) {
		pg = it_jobs_connect();
		ck_assert_msg(vacancy_reminders_run_once(pg) >= 0, "the reminders failed");
		it_jobs_disconnect(pg);
		until = it_now_ms() + JOB_WAIT_MS;   /* the server's own job may have sent it */
		while (mails_about(mgr, title[0]) < 1 && it_now_ms() < until)
			it_sleep_ms(250);
		ck_assert_int_eq(mails_about(mgr, title[0]), 1);   /* once, in either round */
	}
	for (int i = 1; i < 4; i++)
		ck_assert_msg(mails_about(mgr, title[i]) == 0, "reminded about %s", title[i]);
	ck_assert_int_eq(mails_about(quiet, word), 0);
	body = mail_about(mgr, title[0]);
	snprintf(want, sizeof want, "/school/vacancies/%lld#extend", id[0]);
	ck_assert_msg(strstr(body, "no one has applied yet") != NULL &&
		      strstr(body, "viewed 5 times") != NULL && strstr(body, want) != NULL,
		      "the reminder says:\n%s", body);
	free(body);
	/* It changed nothing of the vacancy. */
	ck_assert_int_eq(it_psql_id_long("SELECT (updated_at < now() - interval '9 days')::int "
					 "FROM vacancies WHERE id = $1", id[0]), 1);
}
END_TEST

/* --- extend, end, copy, delete ------------------------------------------------------------- */

/* Url-encoded extend form: the new closing date in days from today, at 17:00, with reason.
 * Caller frees. */
static char *extend_form(int days, const char *reason)
{
	char d[8], m[8], y[8];

	it_date_in(days, d, m, y);
	return it_form("extend_date-day", d, "extend_date-month", m, "extend_date-year", y,
		       "extend_time", "17:00", "extend_reason", reason, (char *)NULL);
}

/* Ends the transaction of connection arg (holding a vacancy's row lock) 1.5 s from now. */
static void *commit_later(void *arg)
{
	it_sleep_ms(1500);
	PQclear(PQexec(arg, "COMMIT"));
	return NULL;
}

/* Publish clicked twice (two requests that both read the draft before either published it):
 * one publication, and both answered "published" - not a 409 saying it is a draft. A row lock
 * held meanwhile makes both requests read the draft, then wait in the transition. */
START_TEST(double_publish)
{
	enum { N = 3 };
	struct it_client c = { 0 };
	struct it_resp resp[N];
	char path[96], cookie[768], id_text[24], *form;
	const char *hdrs[2] = { cookie, NULL }, *vals[1] = { id_text };
	long urn = it_school(23);
	long long id, n;
	PGconn *lock = it_jobs_connect();
	pthread_t t;
	int len;

	staff(&c, urn, "hiring_manager", "Dora Doubleclick");
	id = it_vacancy_add(urn, "draft", (char *)NULL);
	snprintf(id_text, sizeof id_text, "%lld", id);
	n = nevents(id);
	len = snprintf(cookie, sizeof cookie, "Cookie: ");
	for (size_t i = 0; i < c.ncookies; i++)
		len += snprintf(cookie + len, sizeof cookie - (size_t)len, "%s%s=%s",
				i > 0 ? "; " : "", c.cookies[i].name, c.cookies[i].value);
	ck_assert_msg((size_t)len < sizeof cookie, "cookies too long");
	it_client_get(&c, vpath(path, id, ""), &resp[0]);
	it_resp_free(&resp[0]);
	form = it_form("action", "now", "csrf_token", c.csrf, (char *)NULL);

	PQclear(PQexec(lock, "BEGIN"));
	PQclear(PQexecParams(lock, "SELECT 1 FROM vacancies WHERE id = $1::bigint FOR UPDATE", 1,
			     NULL, vals, NULL, NULL, 0));
	ck_assert_int_eq(pthread_create(&t, NULL, commit_later, lock), 0);
	it_post_at_once(vpath(path, id, "publish"), form, hdrs, N, resp);
	pthread_join(t, NULL);
	for (int i = 0; i < N; i++) {
		it_expect_redirect(&resp[i], vpath(path, id, ""), "a double-clicked publish");
		it_resp_free(&resp[i]);
	}
	ck_assert_msg(nevents(id) == n + 1, "%lld status events, want 1", nevents(id) - n);
	expect_vstatus(id, "published", "after a double-clicked publish");
	it_jobs_disconnect(lock);
	free(form);
}
END_TEST

START_TEST(extend_closing_date)
{
	struct it_client c = { 0 };
	struct it_resp r;
	char path[96], *form, *before, *after, *v;
	long urn = it_school(23);
	long long uid, id, closed, sched, n;

	uid = staff(&c, urn, "hiring_manager", "Ezra Extender");
	id = it_vacancy_add(urn, "published", "closes_at", "=now() + interval '10 days'",
			    (char *)NULL);
	vpath(path, id, "extend");

	/* No reason; an earlier date; a date in the past; no date: 422, nothing changed. */
	static const struct {
		int days;
		const char *reason;
		const char *field;
		const char *what;
	} bad[] = {
		{ 20, "", "extend_reason", "extending without a reason" },
		{ 5, "More time to apply", "extend_date-day", "extending to an earlier date" },
		{ -3, "More time to apply", "extend_date-day", "extending into the past" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		form = extend_form(bad[i].days, bad[i].reason);
		before = snapshot(id);
		n = nevents(id);
		post(&c, path, form, &r);
		it_expect_errors(&r, bad[i].field, bad[i].what);
		it_resp_free(&r);
		after = snapshot(id);
		ck_assert_msg(strcmp(before, after) == 0, "%s changed the vacancy", bad[i].what);
		ck_assert_msg(nevents(id) == n, "%s wrote a status event", bad[i].what);
		free(before);
		free(after);
		free(form);
	}
	post(&c, path, "extend_date-day=&extend_date-month=&extend_date-year=&extend_time=17:00&"
	     "extend_reason=More+time", &r);
	it_expect_errors(&r, "extend_date-day", "extending without a date");
	it_resp_free(&r);

	/* A later date with a reason: the new closing time, recorded with the old one. */
	form = extend_form(25, "Half term fell in the middle");
	post(&c, path, form, &r);
	free(form);
	it_expect_redirect(&r, vpath(path, id, ""), "extending");
	it_resp_free(&r);
	expect_vstatus(id, "published", "after extending");
	expect_event(id, "extend", "published", "published", uid, "Half term fell in the middle",
		     "extending");
	v = it_psql_id("SELECT ((closes_at AT TIME ZONE 'Europe/London')::date - (now() AT TIME "
		       "ZONE 'Europe/London')::date) || '|' || to_char(closes_at AT TIME ZONE "
		       "'Europe/London', 'HH24:MI') FROM vacancies WHERE id = $1", id);
	ck_assert_msg(strcmp(v, "25|17:00") == 0, "after extending, closes in %s, want 25|17:00", v);
	free(v);
	v = it_psql_id("SELECT (detail ? 'previous_closes_at')::text FROM status_events WHERE "
		       "entity = 'vacancy' AND entity_id = $1 AND event = 'extend'", id);
	ck_assert_msg(v != NULL && strcmp(v, "true") == 0,
		      "the extend event does not record the previous closing time");
	free(v);

	/* A closed vacancy cannot be extended. */
	closed = it_vacancy_add(urn, "closed", (char *)NULL);
	form = extend_form(40, "Try again");
	before = snapshot(closed);
	n = nevents(closed);
	post(&c, vpath(path, closed, "extend"), form, &r);
	it_expect_status(&r, 409, "extending a closed vacancy");
	it_resp_free(&r);
	after = snapshot(closed);
	ck_assert_msg(strcmp(before, after) == 0, "extending a closed vacancy changed it");
	ck_assert_msg(nevents(closed) == n, "a refused extension wrote a status event");
	expect_vstatus(closed, "closed", "after extending a closed vacancy");
	free(before);
	free(after);

	/* Nor can a draft (its dates step changes it); a scheduled vacancy can. */
	id = it_vacancy_add(urn, "draft", (char *)NULL);
	post(&c, vpath(path, id, "extend"), form, &r);
	it_expect_status(&r, 409, "extending a draft");
	it_resp_free(&r);
	sched = it_vacancy_add(urn, "scheduled", (char *)NULL);
	post(&c, vpath(path, sched, "extend"), form, &r);
	it_expect_redirect(&r, vpath(path, sched, ""), "extending a scheduled vacancy");
	it_resp_free(&r);
	expect_event(sched, "extend", "scheduled", "scheduled", uid, "Try again",
		     "extending a scheduled vacancy");
	free(form);
}
END_TEST

START_TEST(end_early)
{
	struct it_client c = { 0 };
	struct it_resp r;
	char word[IT_WORD_LEN], path[96], drafter[128], applied[128], off[128], *before, *after;
	char *v;
	long urn = it_school(23);
	long long uid, id, draft, n;

	uid = staff(&c, urn, "hiring_manager", "Eda Ender");
	it_unique_word(word);
	id = it_vacancy_add(urn, "published", "description", word, "published_at", "=now()",
			    "closes_at", "=now() + interval '20 days'", (char *)NULL);
	expect_public(id, word, LIVE, "a live vacancy");
	/* A candidate halfway through an application, and one who has applied. */
	it_application_add(id, it_user_signed_in(NULL, "candidate", "Dot Drafter", PW, drafter),
			   "draft", "Drafter", drafter);
	it_application_add(id, it_user_signed_in(NULL, "candidate", "Sam Submitted", PW, applied),
			   "submitted", "Submitted", applied);
	/* And one halfway through whose account has been disabled. */
	n = it_user_signed_in(NULL, "candidate", "Dee Disabled", PW, off);
	it_application_add(id, n, "draft", "Disabled", off);
	it_psql_id_exec("UPDATE users SET disabled_at = now() WHERE id = $1", n);
	vpath(path, id, "end");

	before = snapshot(id);
	n = nevents(id);
	post(&c, path, "end_reason=&end_filled=yes", &r);
	it_expect_errors(&r, "end_reason", "ending without a reason");
	it_resp_free(&r);
	post(&c, path, "end_reason=Appointed+internally", &r);
	it_expect_errors(&r, "end_filled", "ending without saying whether the post was filled");
	it_resp_free(&r);
	after = snapshot(id);
	ck_assert_msg(strcmp(before, after) == 0, "a refused ending changed the vacancy");
	ck_assert_msg(nevents(id) == n, "a refused ending wrote a status event");
	free(before);
	free(after);

	post(&c, path, "end_reason=Appointed+internally&end_filled=yes", &r);
	it_expect_redirect(&r, vpath(path, id, ""), "ending early");
	it_resp_free(&r);
	expect_vstatus(id, "closed", "after ending early");
	expect_event(id, "end", "published", "closed", uid, "Appointed internally", "ending early");
	v = it_psql_id("SELECT filled || '|' || end_reason || '|' || (closed_at IS NOT NULL) FROM "
		       "vacancies WHERE id = $1", id);
	ck_assert_msg(strcmp(v, "true|Appointed internally|true") == 0, "after ending: %s", v);
	free(v);
	v = it_psql_id("SELECT detail->>'filled' FROM status_events WHERE entity = 'vacancy' AND "
		       "entity_id = $1 AND event = 'end'", id);
	ck_assert_msg(v != NULL && strcmp(v, "true") == 0, "the end event's detail.filled: %s",
		      v ? v : "(none)");
	free(v);

	/* Gone from search, the API and the feed; its page says it is closed and not indexed. */
	expect_public(id, word, CLOSED, "an ended vacancy");
	/* Where its closing date showed, the day it was ended shows: not the day it would have
	 * closed, on its page (and its description), the closed tab and the applicant's list. */
	v = it_psql_id("SELECT to_char(closes_at AT TIME ZONE 'Europe/London', 'FMDD FMMonth "
		       "YYYY') || '|' || to_char(closed_at AT TIME ZONE 'Europe/London', "
		       "'FMDD FMMonth YYYY') FROM vacancies WHERE id = $1", id);
	*strchr(v, '|') = '\0';
	{
		struct it_client a = { 0 };
		const char *ended_day = v + strlen(v) + 1;

		it_login(&a, applied, PW);
		for (int k = 0; k < 3; k++) {
			struct it_client *who = k == 2 ? &a : &c;
			char page[96];

			if (k == 0)
				snprintf(page, sizeof page, "/vacancies/%lld", id);
			else
				snprintf(page, sizeof page, "%s", k == 1 ? "/school?tab=closed"
									 : "/account/applications");
			it_client_get(who, page, &r);
			it_expect_status(&r, 200, page);
			ck_assert_msg(strstr(r.body, v) == NULL &&
					      strstr(r.body, ended_day) != NULL,
				      "%s shows the ended listing's closing day %s, not %s", page,
				      v, ended_day);
			it_resp_free(&r);
		}
	}
	free(v);
	/* The draft's candidate is told it can no longer be submitted; the school answers the
	 * one who applied itself. */
	ck_assert_int_eq(mails_about(drafter, "is no longer taking applications"), 1);
	ck_assert_int_eq(mails_about(applied, "is no longer taking applications"), 0);
	ck_assert_int_eq(mails_about(off, "is no longer taking applications"), 0);
	v = mail_about(drafter, "is no longer taking applications");
	ck_assert_msg(strstr(v, "Dear Ada,") != NULL && strstr(v, "/account/applications/") != NULL,
		      "the email to the draft's candidate says:\n%s", v);
	free(v);

	/* Ending it again, or ending a draft: refused. */
	post(&c, vpath(path, id, "end"), "end_reason=Again&end_filled=no", &r);
	it_expect_status(&r, 409, "ending a closed vacancy");
	it_resp_free(&r);
	draft = it_vacancy_add(urn, "draft", (char *)NULL);
	post(&c, vpath(path, draft, "end"), "end_reason=No&end_filled=no", &r);
	it_expect_status(&r, 409, "ending a draft");
	it_resp_free(&r);
	expect_vstatus(draft, "draft", "a draft after ending it");
}
END_TEST

START_TEST(copy_into_new_draft)
{
	struct it_client c = { 0 };
	struct it_resp r;
	char path[96], word[IT_WORD_LEN], *a, *b;
	long urn = it_school(24);
	long long uid, id, copy;

	uid = staff(&c, urn, "hiring_manager", "Cora Copier");
	it_unique_word(word);
	id = it_vacancy_add(urn, "closed", "title", "Teacher of French", "job_roles",
			    "{teacher,head_of_department}", "phases", "{secondary}", "subjects",
			    "{french,spanish}", "key_stages", "{ks3,ks4}", "contract_type",
			    "fixed_term", "fixed_term_length", "One year", "working_patterns",
			    "{part_time}", "hours_per_week", "22.5", "salary_min", "30000",
			    "salary_max", "40000", "actual_salary", "About \u00a318,000",
			    "ect_suitable", "true", "key_worker_eligible",
			    "true", "visa_sponsorship", "true", "description", word,
			    "about_school", "About us",
			    "school_offers", "Free parking", "contact_phone", "01375 000000",
			    "school_visits", "Visits welcome", (char *)NULL);
	post(&c, vpath(path, id, "copy"), "", &r);
	it_expect_redirect(&r, "/school/vacancies/", "copying");
	copy = id_in(it_location(&r));
	it_resp_free(&r);
	ck_assert_msg(copy > 0 && copy != id, "copying gave no new vacancy");
	expect_vstatus(copy, "draft", "the copy");
	expect_vstatus(id, "closed", "the original after copying");

	static const char fields_sql[] =
		"SELECT concat_ws('|', school_urn, title, job_roles, phases, subjects, key_stages, "
		"contract_type, fixed_term_length, working_patterns, hours_per_week, salary_min, "
		"salary_max, actual_salary, ect_suitable, key_worker_eligible, visa_sponsorship, "
		"description, about_school, school_offers, contact_email, contact_phone, "
		"school_visits) FROM vacancies WHERE id = $1";
	a = it_psql_id(fields_sql, id);
	b = it_psql_id(fields_sql, copy);
	ck_assert_msg(a != NULL && b != NULL && strcmp(a, b) == 0,
		      "the copy's fields differ:\n  original %s\n  copy     %s", a, b);
	free(a);
	free(b);
	a = it_psql_id("SELECT concat_ws('|', publish_at, published_at, closes_at, closed_at, "
		       "end_reason, filled) FROM vacancies WHERE id = $1", copy);
	ck_assert_msg(a != NULL && strcmp(a, "") == 0, "the copy kept dates or an ending: %s", a);
	free(a);
	expect_event(copy, "create", NULL, "draft", uid, NULL, "copying");
	a = it_psql_id("SELECT detail->>'copied_from' FROM status_events WHERE entity = 'vacancy' "
		       "AND entity_id = $1 AND event = 'create'", copy);
	ck_assert_msg(a != NULL && strtoll(a, NULL, 10) == id,
		      "the copy's create event does not say where it came from: %s", a ? a : "");
	free(a);
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM vacancy_schools WHERE vacancy_id = $1",
				      copy) == it_psql_id_long("SELECT count(*) FROM "
							       "vacancy_schools WHERE "
							       "vacancy_id = $1", id),
		      "the copy does not cover the same schools");
}
END_TEST

START_TEST(delete_drafts_only)
{
	struct it_client c = { 0 };
	struct it_resp r;
	char path[96], *v;
	long urn = it_school(24);
	long long uid, id, live, n;

	uid = staff(&c, urn, "hiring_manager", "Dev Deleter");
	id = create_draft(&c, urn, "Teacher of Art");

	/* First a confirmation page; nothing deleted. */
	post(&c, vpath(path, id, "delete"), "", &r);
	it_expect_status(&r, 200, "deleting without confirming");
	it_resp_free(&r);
	expect_vstatus(id, "draft", "before confirming");
	post(&c, path, "confirm=yes", &r);
	it_expect_redirect(&r, "/school", "deleting a draft");
	it_resp_free(&r);
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM vacancies WHERE id = $1", id) == 0,
		      "the draft is still there");
	v = it_psql_id("SELECT event || '|' || from_status || '|' || to_status || '|' || actor_id "
		       "FROM status_events WHERE entity = 'vacancy' AND entity_id = $1 ORDER BY id "
		       "DESC LIMIT 1", id);
	snprintf(path, sizeof path, "delete|draft|deleted|%lld", uid);
	ck_assert_msg(v != NULL && strcmp(v, path) == 0, "the deletion's status event: %s, want %s",
		      v ? v : "(none)", path);
	free(v);
	it_client_get(&c, vpath(path, id, ""), &r);
	it_expect_status(&r, 404, "the deleted draft's summary");
	it_resp_free(&r);

	/* A live vacancy cannot be deleted. */
	live = it_vacancy_add(urn, "published", (char *)NULL);
	n = nevents(live);
	post(&c, vpath(path, live, "delete"), "confirm=yes", &r);
	it_expect_status(&r, 409, "deleting a live vacancy");
	it_resp_free(&r);
	expect_vstatus(live, "published", "after deleting a live vacancy");
	ck_assert_msg(nevents(live) == n, "a refused deletion wrote a status event");
}
END_TEST

START_TEST(invalid_transitions_refused)
{
	struct it_client c = { 0 };
	struct it_resp r;
	char path[96], *before, *after;
	long urn = it_school(25);
	long long closed, live, draft, sched, n;

	staff(&c, urn, "hiring_manager", "Ivan Invalid");
	closed = it_vacancy_add(urn, "closed", (char *)NULL);
	live = it_vacancy_add(urn, "published", (char *)NULL);
	draft = it_vacancy_add(urn, "draft", "closes_at", "=now() + interval '9 days'",
			       (char *)NULL);
	sched = it_vacancy_add(urn, "scheduled", (char *)NULL);

	static const struct {
		int which;   /* 0 closed, 1 live, 2 draft, 3 scheduled */
		const char *action;
		const char *form;
		const char *what;
	} bad[] = {
		{ 0, "publish", "action=now", "publishing a closed vacancy" },
		{ 0, "publish", "action=schedule", "scheduling a closed vacancy" },
		{ 0, "publish", "action=unschedule", "unscheduling a closed vacancy" },
		{ 0, "end", "end_reason=x&end_filled=no", "ending a closed vacancy" },
		{ 0, "delete", "confirm=yes", "deleting a closed vacancy" },
		{ 1, "publish", "action=schedule", "scheduling a live vacancy" },
		{ 1, "publish", "action=unschedule", "unscheduling a live vacancy" },
		{ 2, "publish", "action=unschedule", "unscheduling a draft" },
		{ 2, "end", "end_reason=x&end_filled=no", "ending a draft" },
		{ 3, "end", "end_reason=x&end_filled=no", "ending a scheduled vacancy" },
		{ 3, "delete", "confirm=yes", "deleting a scheduled vacancy" },
	};
	const long long ids[4] = { closed, live, draft, sched };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		long long id = ids[bad[i].which];

		before = snapshot(id);
		n = nevents(id);
		post(&c, vpath(path, id, bad[i].action), bad[i].form, &r);
		ck_assert_msg(r.status == 409, "%s: status %ld, want 409; body %.300s", bad[i].what,
			      r.status, r.body);
		it_resp_free(&r);
		after = snapshot(id);
		ck_assert_msg(strcmp(before, after) == 0, "%s changed the vacancy", bad[i].what);
		ck_assert_msg(nevents(id) == n, "%s wrote a status event", bad[i].what);
		free(before);
		free(after);
	}
	post(&c, vpath(path, draft, "publish"), "action=launch", &r);
	ck_assert_msg(r.status == 400 || r.status == 422, "an unknown publish action: status %ld",
		      r.status);
	it_resp_free(&r);

	/* A closed vacancy's form cannot be changed either. */
	before = snapshot(closed);
	post(&c, vpath(path, closed, "edit"), "step=job&title=Reopened&role=teacher&phase=primary",
	     &r);
	it_expect_status(&r, 409, "editing a closed vacancy");
	it_resp_free(&r);
	after = snapshot(closed);
	ck_assert_msg(strcmp(before, after) == 0, "editing a closed vacancy changed it");
	free(before);
	free(after);
}
END_TEST

START_TEST(live_edits_recorded)
{
	struct it_client c = { 0 };
	struct it_resp r;
	char path[96], *v;
	long urn = it_school(25), status;
	long long uid, id, draft;

	uid = staff(&c, urn, "hiring_manager", "Edith Editor");
	id = it_vacancy_add(urn, "published", "description", "The old words.", (char *)NULL);
	post(&c, vpath(path, id, "edit"), "step=about&description=The+new+words.&about_school=&"
	     "school_offers=", &r);
	it_expect_redirect(&r, "/school/vacancies/", "editing a live vacancy");
	it_resp_free(&r);
	v = it_psql_id("SELECT description FROM vacancies WHERE id = $1", id);
	ck_assert_msg(strcmp(v, "The new words.") == 0, "the edit was not saved: %s", v);
	free(v);
	v = it_psql_id("SELECT actor_id || '|' || ('description' = ANY (fields)) || '|' || "
		       "(before->>'description') || '|' || (after->>'description') FROM "
		       "vacancy_edits WHERE vacancy_id = $1 ORDER BY id DESC LIMIT 1", id);
	snprintf(path, sizeof path, "%lld|true|The old words.|The new words.", uid);
	ck_assert_msg(v != NULL && strcmp(v, path) == 0, "the recorded edit: %s, want %s",
		      v ? v : "(none)", path);
	free(v);
	expect_vstatus(id, "published", "after a live edit");

	/* Visa sponsorship, on the details step: ticked, recorded and shown; unticked again. */
	post(&c, vpath(path, id, "edit"), "step=details&contract=permanent&working_pattern="
	     "full_time&pay_scale=mps&start_type=asap&visa_sponsorship=yes", &r);
	it_expect_redirect(&r, "/school/vacancies/", "offering visa sponsorship");
	it_resp_free(&r);
	v = it_psql_id("SELECT v.visa_sponsorship || '|' || (SELECT "
		       "(e.before->>'visa_sponsorship') || '>' || (e.after->>'visa_sponsorship') "
		       "FROM vacancy_edits e WHERE "
		       "e.vacancy_id = v.id AND 'visa_sponsorship' = ANY (e.fields) ORDER BY e.id "
		       "DESC LIMIT 1) FROM vacancies v WHERE v.id = $1", id);
	ck_assert_msg(v != NULL && strcmp(v, "true|false>true") == 0,
		      "ticking visa sponsorship: %s, want true|false>true", v ? v : "(none)");
	free(v);
	it_client_get(&c, vpath(path, id, ""), &r);
	it_expect_status(&r, 200, "the listing's page after offering sponsorship");
	ck_assert_msg(strstr(r.body, "A Skilled Worker visa can be sponsored") != NULL &&
		      strstr(r.body, "visa sponsorship") != NULL,
		      "the listing's page does not show the sponsorship or its edit");
	it_resp_free(&r);
	snprintf(path, sizeof path, "/vacancies/%lld", id);
	ck_assert_msg(public_has(path, "A Skilled Worker visa can be sponsored", &status),
		      "the public page does not say a visa can be sponsored (status %ld)", status);
	post(&c, vpath(path, id, "edit"), "step=details&contract=permanent&working_pattern="
	     "full_time&pay_scale=mps&start_type=asap", &r);
	it_expect_redirect(&r, "/school/vacancies/", "withdrawing visa sponsorship");
	it_resp_free(&r);
	ck_assert_msg(it_psql_id_long("SELECT visa_sponsorship::int FROM vacancies WHERE id = $1",
				      id) == 0, "unticking visa sponsorship did not save");

	/* The dates of a live vacancy change only through extend. */
	{
		char *form = dates_form(60, -1), *body = malloc(strlen(form) + 16);

		ck_assert_ptr_nonnull(body);
		sprintf(body, "step=dates&%s", form);
		post(&c, vpath(path, id, "edit"), body, &r);
		it_expect_status(&r, 409, "changing a live vacancy's dates through the form");
		it_resp_free(&r);
		free(body);
		free(form);
	}

	/* Saving a draft records no edit. */
	draft = it_vacancy_add(urn, "draft", (char *)NULL);
	post(&c, vpath(path, draft, "edit"), "step=about&description=Draft+words", &r);
	it_expect_redirect(&r, "/school/vacancies/", "editing a draft");
	it_resp_free(&r);
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM vacancy_edits WHERE vacancy_id = $1",
				      draft) == 0, "an edit of a draft was recorded");
}
END_TEST

/* --- tenancy ------------------------------------------------------------------------------- */

START_TEST(other_school_gets_404)
{
	struct it_client a = { 0 }, b = { 0 };
	struct it_resp r;
	char path[128], *before, *after;
	long urn_a = it_school(26), urn_b = it_school(27);
	long long draft, live;

	staff(&a, urn_a, "hiring_manager", "Ada Alpha");
	staff(&b, urn_b, "hiring_manager", "Ben Beta");
	draft = create_draft(&a, urn_a, "Secret draft of Alpha school");
	live = it_vacancy_add(urn_a, "published", (char *)NULL);

	static const char *const gets[] = { "", "/edit", "/edit?step=dates", "/edit?step=about",
					    "/preview", NULL };
	static const struct {
		const char *action;
		const char *form;
	} posts[] = {
		{ "/edit", "step=job&title=Hijacked&role=teacher&phase=primary" },
		{ "/publish", "action=now" },
		{ "/publish", "action=schedule" },
		{ "/extend", "extend_date-day=1&extend_date-month=1&extend_date-year=2099&"
			     "extend_time=12:00&extend_reason=x" },
		{ "/end", "end_reason=x&end_filled=no" },
		{ "/outcome", "outcome_filled=yes" },
		{ "/copy", "" },
		{ "/delete", "confirm=yes" },
		{ "/documents/1/delete", "" },
	};
	const long long ids[2] = { draft, live };
	for (size_t k = 0; k < 2; k++) {
		before = snapshot(ids[k]);
		for (size_t i = 0; gets[i] != NULL; i++) {
			snprintf(path, sizeof path, "/school/vacancies/%lld%s", ids[k], gets[i]);
			it_client_get(&b, path, &r);
			it_expect_status(&r, 404, path);
			ck_assert_msg(strstr(r.body, "Secret draft") == NULL,
				      "the 404 of %s shows the draft", path);
			it_resp_free(&r);
		}
		for (size_t i = 0; i < sizeof posts / sizeof posts[0]; i++) {
			snprintf(path, sizeof path, "/school/vacancies/%lld%s", ids[k],
				 posts[i].action);
			post(&b, path, posts[i].form, &r);
			it_expect_status(&r, 404, path);
			it_resp_free(&r);
		}
		after = snapshot(ids[k]);
		ck_assert_msg(strcmp(before, after) == 0, "another school's staff changed vacancy "
			      "%lld", ids[k]);
		free(before);
		free(after);
	}
	expect_vstatus(draft, "draft", "after another school's attempts");
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM vacancies WHERE school_urn = $1 AND "
				      "title = 'Hijacked'", urn_b) == 0, "a copy or edit landed");

	/* Not in B's dashboard, in A's. */
	it_client_get(&b, "/school?tab=draft", &r);
	it_expect_status(&r, 200, "B's dashboard");
	ck_assert_msg(strstr(r.body, "Secret draft of Alpha school") == NULL,
		      "B's dashboard lists A's draft");
	it_resp_free(&r);
	it_client_get(&a, "/school?tab=draft", &r);
	it_expect_status(&r, 200, "A's dashboard");
	ck_assert_msg(strstr(r.body, "Secret draft of Alpha school") != NULL,
		      "A's dashboard does not list A's draft");
	it_resp_free(&r);

	/* An unknown id and a malformed one: 404 too. */
	it_client_get(&a, "/school/vacancies/999999999999", &r);
	it_expect_status(&r, 404, "an unknown vacancy");
	it_resp_free(&r);
	it_client_get(&a, "/school/vacancies/12abc", &r);
	it_expect_status(&r, 404, "a malformed vacancy id");
	it_resp_free(&r);
}
END_TEST

START_TEST(viewer_cannot_change)
{
	struct it_client v = { 0 };
	struct it_resp r;
	char path[128], *before, *after;
	long urn = it_school(28);
	long long uid, draft, live;

	uid = staff(&v, urn, "viewer", "Vera Viewer");
	draft = it_vacancy_add(urn, "draft", "title", "Draft for viewing", (char *)NULL);
	live = it_vacancy_add(urn, "published", (char *)NULL);

	it_client_get(&v, vpath(path, draft, ""), &r);
	it_expect_status(&r, 200, "a viewer reading a draft's summary");
	ck_assert_msg(strstr(r.body, "Draft for viewing") != NULL, "the summary has no title");
	it_resp_free(&r);
	it_client_get(&v, "/school", &r);
	it_expect_status(&r, 200, "a viewer's dashboard");
	it_resp_free(&r);

	it_client_get(&v, "/school/vacancies/new", &r);
	it_expect_status(&r, 403, "a viewer asking for the new vacancy form");
	it_resp_free(&r);
	post(&v, "/school/vacancies/new", "title=Viewer+post&role=teacher&phase=primary", &r);
	ck_assert_msg(r.status == 403 || r.status == 422, "a viewer creating a vacancy: status %ld",
		      r.status);
	it_resp_free(&r);
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM vacancies WHERE created_by = $1",
				      uid) == 0, "a viewer created a vacancy");

	static const struct {
		const char *action;
		const char *form;
	} posts[] = {
		{ "edit", "step=job&title=Changed&role=teacher&phase=primary" },
		{ "publish", "action=now" },
		{ "extend", "extend_date-day=1&extend_date-month=1&extend_date-year=2099&"
			    "extend_time=12:00&extend_reason=x" },
		{ "end", "end_reason=x&end_filled=no" },
		{ "outcome", "outcome_filled=yes" },
		{ "copy", "" },
		{ "delete", "confirm=yes" },
	};
	const long long ids[2] = { draft, live };
	for (size_t k = 0; k < 2; k++) {
		before = snapshot(ids[k]);
		it_client_get(&v, vpath(path, ids[k], "edit"), &r);
		it_expect_status(&r, 403, "a viewer asking for the edit form");
		it_resp_free(&r);
		for (size_t i = 0; i < sizeof posts / sizeof posts[0]; i++) {
			post(&v, vpath(path, ids[k], posts[i].action), posts[i].form, &r);
			it_expect_status(&r, 403, path);
			it_resp_free(&r);
		}
		after = snapshot(ids[k]);
		ck_assert_msg(strcmp(before, after) == 0, "a viewer changed vacancy %lld", ids[k]);
		free(before);
		free(after);
	}
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM vacancies WHERE created_by = $1",
				      uid) == 0, "a viewer's copy was made");
	ck_assert_msg(it_psql_id_long("SELECT count(*) FROM status_events WHERE actor_id = $1",
				      uid) == 0, "a viewer's action wrote a status event");
}
END_TEST

START_TEST(visitors_and_candidates_kept_out)
{
	struct it_client v = { 0 }, cand = { 0 };
	struct it_resp r;
	char email[128], path[96];
	long long id = it_vacancy_add(it_school(29), "draft", (char *)NULL);

	it_client_get(&v, vpath(path, id, ""), &r);
	it_expect_redirect(&r, "/account/login?next=", "a visitor asking for a draft's summary");
	it_resp_free(&r);
	it_client_get(&v, "/school", &r);
	it_expect_redirect(&r, "/account/login?next=", "a visitor asking for the dashboard");
	it_resp_free(&r);
	it_unique_email(email, sizeof email, "cand");
	it_user_add(email, "Cass Candidate", "candidate", PW, 1);
	it_login(&cand, email, PW);
	it_client_get(&cand, vpath(path, id, ""), &r);
	it_expect_status(&r, 403, "a candidate asking for a draft's summary");
	it_resp_free(&r);
	post(&cand, vpath(path, id, "publish"), "action=now", &r);
	it_expect_status(&r, 403, "a candidate publishing");
	it_resp_free(&r);
	expect_vstatus(id, "draft", "after a candidate's attempt");
}
END_TEST

/* --- the dashboard ------------------------------------------------------------------------- */

/* The number shown right after label in html, as "Label (N)" or "Label <...>N<" within 200
 * bytes, or -1. */
static long tab_count(const char *html, const char *label)
{
	const char *p = html;

	while ((p = strstr(p, label)) != NULL) {
		const char *q = p + strlen(label);

		for (int i = 0; i < 200 && *q != '\0'; i++, q++) {
			if (*q >= '0' && *q <= '9' && (q[-1] == '(' || q[-1] == '>' || q[-1] == ' '))
				return strtol(q, NULL, 10);
			if (*q >= 'a' && *q <= 'z' && q[-1] == ' ')
				break;
		}
		p++;
	}
	return -1;
}

/* The views the dashboard page body shows for the listing titled title: the number in its
 * Views cell, or -1 when the cell shows none. */
static long views_shown(const char *body, const char *title)
{
	const char *p = strstr(body, title);

	p = p != NULL ? strstr(p, "data-label=\"Views\">") : NULL;
	ck_assert_msg(p != NULL, "no Views cell for %s", title);
	p += strlen("data-label=\"Views\">");
	while (*p == ' ' || *p == '\n')
		p++;
	return *p >= '0' && *p <= '9' ? strtol(p, NULL, 10) : -1;
}

START_TEST(dashboard_tabs_and_counts)
{
	struct it_client c = { 0 };
	struct it_resp r;
	char urn_s[24], path[96];
	long urn = it_school(29);
	long long ids[4], me;
	const char *vals[1] = { urn_s };
	static const struct {
		const char *tab;
		const char *label;
		const char *status;
		const char *title;
	} tabs[] = {
		{ "live", "Live", "published", "Dashboard live one" },
		{ "scheduled", "Scheduled", "scheduled", "Dashboard scheduled one" },
		{ "draft", "Draft", "draft", "Dashboard draft one" },
		{ "closed", "Closed", "closed", "Dashboard closed one" },
	};

	me = staff(&c, urn, "hiring_manager", "Dana Dashboard");
	snprintf(urn_s, sizeof urn_s, "%ld", urn);
	for (size_t i = 0; i < 4; i++)
		ids[i] = it_vacancy_add(urn, tabs[i].status, "title", tabs[i].title, (char *)NULL);
	it_vacancy_add(it_school(28), "draft", "title", "Dashboard other school", (char *)NULL);
	/* The live one was read 30 times yesterday and 7 today; the closed one 5 times. */
	snprintf(path, sizeof path, "%lld", ids[0]);
	free(it_psql_params("INSERT INTO vacancy_views (vacancy_id, day, views) VALUES ($1, "
			    "current_date - 1, 30), ($1, current_date, 7)", 1,
			    (const char *const[]){ path }));
	snprintf(path, sizeof path, "%lld", ids[3]);
	free(it_psql_params("INSERT INTO vacancy_views (vacancy_id, day, views) VALUES ($1, "
			    "current_date - 9, 5)", 1, (const char *const[]){ path }));

	for (size_t i = 0; i < 4; i++) {
		char sql[160], *want;
		long shown;

		snprintf(path, sizeof path, "/school?tab=%s", tabs[i].tab);
		it_client_get(&c, path, &r);
		it_expect_status(&r, 200, path);
		for (size_t k = 0; k < 4; k++)
			ck_assert_msg((strstr(r.body, tabs[k].title) != NULL) == (k == i),
				      "%s %s \"%s\"", path, k == i ? "does not list" : "lists",
				      tabs[k].title);
		ck_assert_msg(strstr(r.body, "Dashboard other school") == NULL,
			      "%s lists another school's vacancy", path);
		for (size_t k = 0; k < 4; k++) {
			snprintf(sql, sizeof sql, "SELECT count(*) FROM vacancies WHERE school_urn = "
				 "$1 AND status = '%s'", tabs[k].status);
			want = it_psql_params(sql, 1, vals);
			shown = tab_count(r.body, tabs[k].label);
			ck_assert_msg(shown == atol(want), "%s: the %s tab counts %ld, want %s", path,
				      tabs[k].label, shown, want);
			free(want);
		}
		if (i == 0)
			ck_assert_msg(strstr(r.body, "0") != NULL, "no count of applications");
		ck_assert_int_eq(views_shown(r.body, tabs[i].title),
				 i == 0 ? 37 : i == 3 ? 5 : -1);
		it_resp_free(&r);
	}
	/* A job of a trust's school that covers this school too is among this school's. */
	{
		char covering[24], one[96];
		long other = it_school(28);

		it_membership_add(me, other, "hiring_manager");
		snprintf(covering, sizeof covering, "{%ld,%ld}", other, urn);
		it_vacancy_add(other, "published", "title", "Dashboard trust-wide one", "+schools",
			       covering, (char *)NULL);
		snprintf(one, sizeof one, "/school?school=%ld", urn);
		it_client_get(&c, one, &r);
		it_expect_status(&r, 200, one);
		ck_assert_msg(strstr(r.body, "Dashboard trust-wide one") != NULL,
			      "%s misses the other school's job that covers it", one);
		ck_assert_int_eq(tab_count(r.body, "Live"),
				 it_psql_id_long("SELECT count(*) + 1 FROM vacancies WHERE "
						 "school_urn = $1 AND status = 'published'", urn));
		it_resp_free(&r);
	}
	it_client_get(&c, "/school?tab=bogus", &r);
	ck_assert_msg(r.status == 400 || r.status == 200, "an unknown tab: status %ld", r.status);
	it_resp_free(&r);
	it_client_get(&c, "/school?page=abc", &r);
	ck_assert_msg(r.status == 400 || r.status == 200, "page=abc: status %ld", r.status);
	it_resp_free(&r);
}
END_TEST

static Suite *vacancies_suite(void)
{
	Suite *s = suite_create("vacancies");
	TCase *tc;

	tc = it_tcase("drafts", 60, it_fixture_server);
	tcase_add_test(tc, create_draft_validates);
	tcase_add_test(tc, each_step_validates_and_saves);
	tcase_add_test(tc, new_draft_starts_with_what_the_school_said);
	suite_add_tcase(s, tc);

	tc = it_tcase("publishing", 90, it_fixture_server);
	tcase_add_test(tc, publish_now);
	tcase_add_test(tc, publish_needs_closing_date);
	tcase_add_test(tc, schedule_and_unschedule);
	tcase_add_test(tc, job_publishes_and_closes_on_time);
	suite_add_tcase(s, tc);

	tc = it_tcase("lifecycle", 60, it_fixture_server);
	tcase_add_test(tc, double_publish);
	tcase_add_test(tc, extend_closing_date);
	tcase_add_test(tc, end_early);
	tcase_add_test(tc, going_live_tells_the_school);
	tcase_add_test(tc, closing_tells_the_school);
	tcase_add_test(tc, outcome_after_closing);
	tcase_add_test(tc, views_counted_for_the_school);
	tcase_add_test(tc, no_applications_reminder);
	tcase_add_test(tc, copy_into_new_draft);
	tcase_add_test(tc, delete_drafts_only);
	tcase_add_test(tc, invalid_transitions_refused);
	tcase_add_test(tc, live_edits_recorded);
	suite_add_tcase(s, tc);

	tc = it_tcase("tenancy", 60, it_fixture_server);
	tcase_add_test(tc, other_school_gets_404);
	tcase_add_test(tc, viewer_cannot_change);
	tcase_add_test(tc, visitors_and_candidates_kept_out);
	tcase_add_test(tc, dashboard_tabs_and_counts);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return it_run(vacancies_suite());
}
