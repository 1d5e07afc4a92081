/* application_sections.c - the sections of a profile and an application and their questions
 * (the one table), the task list, and the read-only display of a section; see
 * application_sections.h and application_sections_fields.h. Reading and checking answers:
 * application_sections_check.c; the pages: application_sections_page.c. */
#include <stdio.h>
#include <string.h>

#include "application_sections.h"
#include "application_sections_fields.h"

const struct section_def section_defs[] = {
	{ "personal", "Personal details", SECTION_OBJECT, SECTION_PROFILE | SECTION_APPLICATION,
	  false },
	{ "professional", "Professional status", SECTION_OBJECT,
	  SECTION_PROFILE | SECTION_APPLICATION, false },
	{ "qualifications", "Qualifications", SECTION_LIST, SECTION_PROFILE | SECTION_APPLICATION,
	  false },
	{ "training", "Training and development", SECTION_LIST,
	  SECTION_PROFILE | SECTION_APPLICATION, false },
	{ "employment", "Employment history", SECTION_LIST, SECTION_PROFILE | SECTION_APPLICATION,
	  false },
	{ "statement", "Personal statement", SECTION_OBJECT, SECTION_APPLICATION, false },
	{ "referees", "Referees", SECTION_LIST, SECTION_PROFILE | SECTION_APPLICATION, false },
	{ "religion", "Religion and the school's ethos", SECTION_OBJECT, SECTION_APPLICATION, true },
	{ "support", "Support at interview", SECTION_OBJECT, SECTION_APPLICATION, false },
	{ "declarations", "Declarations", SECTION_OBJECT, SECTION_APPLICATION, false },
	{ "equal_opps", "Equal opportunities monitoring", SECTION_OBJECT, SECTION_APPLICATION,
	  false },
};
const size_t section_defs_len = sizeof section_defs / sizeof section_defs[0];

/* ---- the choices ------------------------------------------------------------------------ */

#define LIST(var, field, items) \
	static const struct label_list var = { field, items, sizeof items / sizeof items[0] }

static const struct label yes_no_items[] = { { "yes", "Yes" }, { "no", "No" } };
LIST(yes_no, "yes_no", yes_no_items);

static const struct label qts_items[] = {
	{ "yes", "Yes" },
	{ "no", "No" },
	{ "on_track", "No, but I am on track to get it" },
};
LIST(qts_options, "qts", qts_items);

static const struct label induction_items[] = {
	{ "passed", "Passed" },
	{ "in_progress", "In progress" },
	{ "not_started", "Not started" },
	{ "not_applicable", "Not applicable" },
};
LIST(induction_options, "induction", induction_items);

static const struct label level_items[] = {
	{ "gcse", "GCSE" },
	{ "a_level", "A level" },
	{ "btec", "BTEC" },
	{ "degree", "Undergraduate degree" },
	{ "pgce", "PGCE" },
	{ "masters", "Master's degree" },
	{ "doctorate", "Doctorate" },
	{ "other", "Other qualification" },
};
LIST(level_options, "level", level_items);

static const struct label current_items[] = { { "yes", "I currently work here" } };
LIST(current_box, "current", current_items);

static const struct label contact_items[] = { { "yes", "Ask me before contacting this referee" } };
LIST(contact_box, "contact_before", contact_items);

static const struct label rtw_items[] = {
	{ "yes", "I confirm that what I said about my right to work in the UK is true" },
};
LIST(rtw_box, "right_to_work_confirmed", rtw_items);

static const struct label accurate_items[] = {
	{ "yes", "I confirm that the information in this application is true and complete" },
};
LIST(accurate_box, "accurate", accurate_items);

static const struct label disability_items[] = {
	{ "yes", "Yes" }, { "no", "No" }, { "prefer_not_to_say", "Prefer not to say" },
};
LIST(disability_options, "disability", disability_items);

static const struct label age_items[] = {
	{ "under_25", "Under 25" }, { "25_29", "25 to 29" },	 { "30_39", "30 to 39" },
	{ "40_49", "40 to 49" },    { "50_59", "50 to 59" },	 { "60_plus", "60 or over" },
	{ "prefer_not_to_say", "Prefer not to say" },
};
LIST(age_options, "age_band", age_items);

static const struct label sex_items[] = {
	{ "female", "Female" }, { "male", "Male" }, { "prefer_not_to_say", "Prefer not to say" },
};
LIST(sex_options, "sex", sex_items);

static const struct label orientation_items[] = {
	{ "heterosexual", "Heterosexual or straight" },
	{ "gay_lesbian", "Gay or lesbian" },
	{ "bisexual", "Bisexual" },
	{ "other", "Other sexual orientation" },
	{ "prefer_not_to_say", "Prefer not to say" },
};
LIST(orientation_options, "sexual_orientation", orientation_items);

static const struct label ethnicity_items[] = {
	{ "asian", "Asian or Asian British" },
	{ "black", "Black, Black British, Caribbean or African" },
	{ "mixed", "Mixed or multiple ethnic groups" },
	{ "white", "White" },
	{ "other", "Other ethnic group" },
	{ "prefer_not_to_say", "Prefer not to say" },
};
LIST(ethnicity_options, "ethnicity", ethnicity_items);

static const struct label religion_items[] = {
	{ "none", "No religion" }, { "buddhist", "Buddhist" }, { "christian", "Christian" },
	{ "hindu", "Hindu" },	   { "jewish", "Jewish" },     { "muslim", "Muslim" },
	{ "sikh", "Sikh" },	   { "other", "Any other religion" },
	{ "prefer_not_to_say", "Prefer not to say" },
};
LIST(religion_options, "religion", religion_items);

/* ---- the questions ---------------------------------------------------------------------- */

static const struct field_def personal_fields[] = {
	{ .name = "first_name", .label = "First name", .kind = FIELD_TEXT, .required = true,
	  .missing = "Enter your first name", .autocomplete = "given-name" },
	{ .name = "last_name", .label = "Last name", .kind = FIELD_TEXT, .required = true,
	  .missing = "Enter your last name", .autocomplete = "family-name" },
	{ .name = "previous_names", .label = "Previous names",
	  .hint = "Any other names you have been known by, for example a name before marriage.",
	  .kind = FIELD_TEXT },
	{ .name = "address_line1", .label = "Address line 1", .kind = FIELD_TEXT,
	  .required = true, .missing = "Enter the first line of your address",
	  .autocomplete = "address-line1" },
	{ .name = "address_line2", .label = "Address line 2", .kind = FIELD_TEXT,
	  .autocomplete = "address-line2" },
	{ .name = "town", .label = "Town or city", .kind = FIELD_TEXT, .required = true,
	  .missing = "Enter your town or city", .autocomplete = "address-level2" },
	{ .name = "postcode", .label = "Postcode", .kind = FIELD_POSTCODE, .required = true,
	  .hint = "A UK postcode, or BFPO and its number. If you live outside the UK, leave this "
		  "blank and enter your country.",
	  .missing = "Enter your postcode, or your country if you live outside the UK",
	  .when = "country", .when_value = "", .autocomplete = "postal-code" },
	{ .name = "country", .label = "Country, if you live outside the UK",
	  .hint = "Leave this blank if you live in the UK. Outside the UK, write your postal code "
		  "with your town or city.",
	  .kind = FIELD_TEXT, .max_chars = 100, .autocomplete = "country-name" },
	{ .name = "phone", .label = "Telephone number",
	  .hint = "For international numbers include the country code, for example +33.",
	  .kind = FIELD_PHONE, .required = true, .missing = "Enter your telephone number",
	  .autocomplete = "tel" },
	{ .name = "email", .label = "Email address", .kind = FIELD_EMAIL, .required = true,
	  .missing = "Enter your email address", .autocomplete = "email" },
	{ .name = "ni_number", .label = "National Insurance number",
	  .hint = "It's on your National Insurance card, payslip or P60. For example, "
		  "'QQ 12 34 56 C'.",
	  .kind = FIELD_NI },
	{ .name = "right_to_work", .label = "Do you have the right to work in the UK?",
	  .hint = "Answer no if you would need a visa to take the job. Its listing says whether "
		  "the school can sponsor a Skilled Worker visa.",
	  .kind = FIELD_RADIO, .required = true, .options = &yes_no,
	  .missing = "Select whether you have the right to work in the UK" },
};

static const struct field_def professional_fields[] = {
	{ .name = "qts", .label = "Do you have qualified teacher status (QTS)?",
	  .kind = FIELD_RADIO, .required = true, .options = &qts_options,
	  .missing = "Select whether you have qualified teacher status" },
	{ .name = "qts_expected", .label = "When do you expect to get QTS?",
	  .hint = "For example, 7 2026", .kind = FIELD_MONTH, .required = true,
	  .missing = "Enter the month and year you expect to get QTS", .when = "qts",
	  .when_value = "on_track", .flags = FIELD_AHEAD | FIELD_NOT_PAST },
	{ .name = "trn", .label = "Teacher reference number (TRN)",
	  .hint = "7 digits, for example 1234567. You have one if you have QTS or are training "
		  "to teach.",
	  .kind = FIELD_TRN },
	{ .name = "induction", .label = "What is your induction status?",
	  .hint = "Induction is the statutory period for early career teachers (ECTs).",
	  .kind = FIELD_RADIO, .required = true, .options = &induction_options,
	  .missing = "Select your induction status" },
};

static const struct field_def qualification_fields[] = {
	{ .name = "level", .label = "Type of qualification", .kind = FIELD_SELECT,
	  .required = true, .options = &level_options,
	  .missing = "Select the type of qualification" },
	{ .name = "subject", .label = "Subject", .kind = FIELD_TEXT, .required = true,
	  .missing = "Enter the subject" },
	{ .name = "grade", .label = "Grade", .hint = "For example, A*, 7, 2:1 or Merit.",
	  .kind = FIELD_TEXT },
	{ .name = "institution", .label = "School, college or university", .kind = FIELD_TEXT,
	  .required = true, .missing = "Enter the school, college or university" },
	{ .name = "year", .label = "Year awarded",
	  .hint = "Or the year you expect it, if you are still studying. For example, 2019.",
	  .kind = FIELD_YEAR, .required = true, .missing = "Enter the year awarded",
	  .flags = FIELD_AHEAD },
};

static const struct field_def training_fields[] = {
	{ .name = "course", .label = "Course or training", .kind = FIELD_TEXT, .required = true,
	  .missing = "Enter the name of the course or training" },
	{ .name = "provider", .label = "Provider", .kind = FIELD_TEXT, .required = true,
	  .missing = "Enter who provided the course or training" },
	{ .name = "year", .label = "Year completed", .hint = "For example, 2023.",
	  .kind = FIELD_YEAR },
};

static const struct field_def employment_fields[] = {
	{ .name = "employer", .label = "Employer", .kind = FIELD_TEXT, .required = true,
	  .missing = "Enter the name of the employer", .autocomplete = "organization" },
	{ .name = "role", .label = "Job title", .kind = FIELD_TEXT, .required = true,
	  .missing = "Enter your job title", .autocomplete = "organization-title" },
	{ .name = "start", .label = "Start date", .hint = "For example, 9 2019",
	  .kind = FIELD_MONTH, .required = true, .missing = "Enter the month and year you started",
	  .flags = FIELD_NOT_FUTURE },
	{ .name = "current", .label = "Current job", .kind = FIELD_CHECKBOX,
	  .options = &current_box },
	{ .name = "end", .label = "End date",
	  .hint = "Leave this blank if you still work here. For example, 7 2022",
	  .kind = FIELD_MONTH, .required = true,
	  .missing = "Enter the month and year you left, or select that you currently work here",
	  .when = "current", .when_value = "", .after = "start", .flags = FIELD_NOT_FUTURE },
	{ .name = "duties", .label = "Main duties", .kind = FIELD_TEXTAREA, .required = true,
	  .missing = "Enter your main duties" },
	{ .name = "reason_for_leaving", .label = "Reason for leaving",
	  .hint = "Leave this blank if you still work here.", .kind = FIELD_TEXTAREA,
	  .required = true, .missing = "Enter your reason for leaving", .when = "current",
	  .when_value = "" },
};

static const struct field_def statement_fields[] = {
	{ .name = "statement", .label = "Your personal statement",
	  .hint = "Say why you are applying for this job and how your skills and experience "
		  "match the person specification.",
	  .kind = FIELD_TEXTAREA, .required = true, .missing = "Enter your personal statement",
	  .max_chars = STATEMENT_MAX_CHARS, .max_words = STATEMENT_MAX_WORDS },
};

static const struct field_def referee_fields[] = {
	{ .name = "name", .label = "Full name", .kind = FIELD_TEXT, .required = true,
	  .missing = "Enter the referee's full name" },
	{ .name = "job_title", .label = "Job title", .kind = FIELD_TEXT, .required = true,
	  .missing = "Enter the referee's job title" },
	{ .name = "organisation", .label = "Organisation", .kind = FIELD_TEXT, .required = true,
	  .missing = "Enter the referee's organisation" },
	{ .name = "relationship", .label = "How do you know them?",
	  .hint = "For example, line manager or head of department.", .kind = FIELD_TEXT,
	  .required = true, .missing = "Enter how you know the referee" },
	{ .name = "email", .label = "Email address", .kind = FIELD_EMAIL, .required = true,
	  .missing = "Enter the referee's email address" },
	{ .name = "phone", .label = "Telephone number", .kind = FIELD_PHONE },
	{ .name = "current_employer",
	  .label = "Is this referee from your current or most recent employer?",
	  .kind = FIELD_RADIO, .required = true, .options = &yes_no,
	  .missing = "Select whether this referee is from your current or most recent employer" },
	{ .name = "contact_before", .label = "Ask before contacting this referee",
	  .kind = FIELD_CHECKBOX, .options = &contact_box },
};

static const struct field_def religion_fields[] = {
	{ .name = "following_religion", .label = "Are you following a religion or belief?",
	  .kind = FIELD_RADIO, .required = true, .options = &yes_no,
	  .missing = "Select whether you are following a religion or belief" },
	{ .name = "faith", .label = "Your religion or belief", .kind = FIELD_TEXT,
	  .required = true, .missing = "Enter your religion or belief",
	  .when = "following_religion", .when_value = "yes" },
	{ .name = "place_of_worship", .label = "Place of worship you attend",
	  .kind = FIELD_TEXT, .when = "following_religion", .when_value = "yes" },
	{ .name = "religious_referee", .label = "Religious referee",
	  .hint = "For example, a minister or faith leader who knows you: their name and how to "
		  "contact them.",
	  .kind = FIELD_TEXT, .when = "following_religion", .when_value = "yes" },
	{ .name = "ethos", .label = "How would you support the school's religious ethos?",
	  .kind = FIELD_TEXTAREA, .required = true,
	  .missing = "Say how you would support the school's religious ethos" },
};

static const struct field_def support_fields[] = {
	{ .name = "needs_support", .label = "Do you need any support or adjustments at interview?",
	  .hint = "For example, step-free access or extra time for a task.", .kind = FIELD_RADIO,
	  .required = true, .options = &yes_no,
	  .missing = "Select whether you need support at interview" },
	{ .name = "support_details", .label = "What support do you need?",
	  .kind = FIELD_TEXTAREA, .required = true, .missing = "Say what support you need",
	  .when = "needs_support", .when_value = "yes" },
};

static const struct field_def declaration_fields[] = {
	{ .name = "close_relationships",
	  .label = "Do you have a close relationship with anyone who works at or governs the "
		   "school?",
	  .hint = "For example, a partner, relative or close friend.", .kind = FIELD_RADIO,
	  .required = true, .options = &yes_no,
	  .missing = "Select whether you have a close relationship with anyone at the school" },
	{ .name = "close_relationships_details", .label = "Give their name and your relationship",
	  .kind = FIELD_TEXTAREA, .required = true,
	  .missing = "Give the name of the person and your relationship with them",
	  .when = "close_relationships", .when_value = "yes" },
	{ .name = "criminal_record",
	  .label = "Do you have any convictions, cautions, reprimands or final warnings that are "
		   "not protected?",
	  .hint = "Protected (filtered) convictions and cautions, as defined by the "
		  "Rehabilitation of Offenders Act 1974 (Exceptions) Order 1975, do not need to be "
		  "declared. The DBS filtering rules on GOV.UK explain which are protected.",
	  .kind = FIELD_RADIO, .required = true, .options = &yes_no,
	  .missing = "Select whether you have any convictions, cautions, reprimands or final "
		     "warnings that are not protected" },
	{ .name = "criminal_record_details", .label = "Give details",
	  .kind = FIELD_TEXTAREA, .required = true,
	  .missing = "Give details of the convictions, cautions, reprimands or final warnings",
	  .when = "criminal_record", .when_value = "yes" },
	{ .name = "right_to_work_confirmed", .label = "Right to work in the UK",
	  .kind = FIELD_CHECKBOX, .required = true, .options = &rtw_box,
	  .missing = "Confirm that what you said about your right to work in the UK is true",
	  .flags = FIELD_MUST_TICK },
	{ .name = "accurate", .label = "Declaration", .kind = FIELD_CHECKBOX, .required = true,
	  .options = &accurate_box,
	  .missing = "Confirm that the information in this application is true and complete",
	  .flags = FIELD_MUST_TICK },
};

static const struct field_def equal_opps_fields[] = {
	{ .name = "disability", .label = "Do you consider yourself to have a disability?",
	  .kind = FIELD_RADIO, .required = true, .options = &disability_options,
	  .missing = "Select whether you consider yourself to have a disability, or prefer not "
		     "to say" },
	{ .name = "age_band", .label = "What is your age?", .kind = FIELD_RADIO,
	  .required = true, .options = &age_options,
	  .missing = "Select your age, or prefer not to say" },
	{ .name = "sex", .label = "What is your sex?", .kind = FIELD_RADIO, .required = true,
	  .options = &sex_options, .missing = "Select your sex, or prefer not to say" },
	{ .name = "gender_identity",
	  .label = "Is the gender you identify with the same as your sex registered at birth?",
	  .kind = FIELD_RADIO, .required = true, .options = &disability_options,
	  .missing = "Select whether your gender is the same as your sex registered at birth, or "
		     "prefer not to say" },
	{ .name = "sexual_orientation", .label = "What is your sexual orientation?",
	  .kind = FIELD_RADIO, .required = true, .options = &orientation_options,
	  .missing = "Select your sexual orientation, or prefer not to say" },
	{ .name = "ethnicity", .label = "What is your ethnic group?", .kind = FIELD_RADIO,
	  .required = true, .options = &ethnicity_options,
	  .missing = "Select your ethnic group, or prefer not to say" },
	{ .name = "religion", .label = "What is your religion?", .kind = FIELD_RADIO,
	  .required = true, .options = &religion_options,
	  .missing = "Select your religion, or prefer not to say" },
};

#define FIELDS(a) .fields = a, .len = sizeof a / sizeof a[0]

static const struct section_fields tables[] = {
	{ .section = "personal", FIELDS(personal_fields),
	  .intro = "Schools use these details to contact you about your application." },
	{ .section = "professional", FIELDS(professional_fields) },
	{ .section = "qualifications", FIELDS(qualification_fields),
	  .intro = "Add your qualifications, from GCSEs (or equivalent) to degrees and teacher "
		   "training.",
	  .noun = "Qualification", .plural = "qualifications",
	  .add_heading = "Add a qualification", .heading_a = "level", .heading_b = "subject",
	  .min_items = 1, .min_message = "Add at least one qualification" },
	{ .section = "training", FIELDS(training_fields),
	  .intro = "Add any training and continuing professional development (CPD) you want "
		   "schools to know about. You can leave this section empty.",
	  .noun = "Course", .plural = "courses", .add_heading = "Add a course or training",
	  .heading_a = "course", .heading_b = "provider" },
	{ .section = "employment", FIELDS(employment_fields),
	  .intro = "Add every job you have had since you left school, college or university, "
		   "your current or most recent job included. Explain any gap of more than three "
		   "months.",
	  .noun = "Job", .plural = "jobs", .add_heading = "Add a job", .heading_a = "role",
	  .heading_b = "employer", .min_items = 1, .min_message = "Add at least one job" },
	{ .section = "statement", FIELDS(statement_fields) },
	{ .section = "referees", FIELDS(referee_fields),
	  .intro = "Give two referees. One must be from your current or most recent employer. "
		   "Schools usually contact referees only for shortlisted candidates.",
	  .noun = "Referee", .plural = "referees", .add_heading = "Add a referee",
	  .heading_a = "name", .heading_b = "organisation", .min_items = 2,
	  .min_message = "Add at least two referees" },
	{ .section = "religion", FIELDS(religion_fields),
	  .intro = "This school has a religious character, so it may ask about your religion or "
		   "belief and how you would support its ethos." },
	{ .section = "support", FIELDS(support_fields),
	  .intro = "Tell the school about any support you need to attend an interview. This does "
		   "not affect how your application is assessed." },
	{ .section = "declarations", FIELDS(declaration_fields),
	  .intro = "Schools must ask these questions to keep children safe. Answering yes does "
		   "not necessarily stop you from working with children." },
	{ .section = "equal_opps", FIELDS(equal_opps_fields),
	  .intro = "These questions help Thurrock Council check that its schools recruit fairly. "
		   "Your answers are kept apart from your application: the school never sees "
		   "them, only totals for all the applications to a job." },
};

const struct section_def *section_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < section_defs_len; i++)
		if (strcmp(section_defs[i].name, name) == 0)
			return &section_defs[i];
	return NULL;
}

const struct section_fields *section_fields_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < sizeof tables / sizeof tables[0]; i++)
		if (strcmp(tables[i].section, name) == 0)
			return &tables[i];
	return NULL;
}

const struct field_def *section_field(const struct section_fields *sf, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < sf->len; i++)
		if (strcmp(sf->fields[i].name, name) == 0)
			return &sf->fields[i];
	return NULL;
}

/* ---- the task list ---------------------------------------------------------------------- */

/* True when section s belongs in a profile (profile) or in an application to a school with
 * or without a religious character. */
static bool section_in(const struct section_def *s, bool profile, bool religious)
{
	if (profile)
		return s->scope & SECTION_PROFILE;
	return (s->scope & SECTION_APPLICATION) && (!s->religious_only || religious);
}

/* True when the JSON array of strings list holds name. */
static bool has_name(const json_t *list, const char *name)
{
	size_t i;

	for (i = 0; i < json_array_size(list); i++)
		if (json_is_string(json_array_get(list, i)) &&
		    strcmp(json_string_value(json_array_get(list, i)), name) == 0)
			return true;
	return false;
}

/* True when v holds an answer: a non-empty string, a true boolean, a non-empty array or an
 * object holding an answer. */
static bool has_answer(const json_t *v)
{
	const char *key;
	json_t *x;

	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_true(v))
		return true;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	json_object_foreach((json_t *)v, key, x)
		if (has_answer(x))
			return true;
	return false;
}

json_t *sections_task_list(bool profile, bool religious, const char *base_url, const json_t *data,
			   const json_t *completed)
{
	json_t *out = json_array(), *task;
	const struct section_def *s;
	char url[256];
	bool done, started;
	size_t i;

	for (i = 0; out != NULL && i < section_defs_len; i++) {
		s = &section_defs[i];
		if (!section_in(s, profile, religious))
			continue;
		done = has_name(completed, s->name);
		started = has_answer(json_object_get(data, s->name));
		snprintf(url, sizeof url, "%s/%s", base_url, s->name);
		task = json_pack("{s:s, s:s, s:s, s:b, s:s, s:s}", "name", s->name, "title", s->title,
				 "url", url, "completed", done, "status_label",
				 done ? "Completed" : started ? "In progress" : "Not started",
				 "status_class",
				 done ? "" : started ? "govuk-tag--light-blue" : "govuk-tag--blue");
		if (json_array_append_new(out, task) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

bool sections_all_complete(bool religious, const json_t *completed, json_t *missing)
{
	bool all = true;
	size_t i;

	for (i = 0; i < section_defs_len; i++) {
		if (!section_in(&section_defs[i], false, religious) ||
		    has_name(completed, section_defs[i].name))
			continue;
		all = false;
		if (missing != NULL)
			json_array_append_new(missing, json_string(section_defs[i].title));
	}
	return all;
}

/* ---- the read-only display -------------------------------------------------------------- */

/* The rows [{label, value, lines}] of the answers value of sf (lines: value split at line
 * breaks, for multi-line answers). NULL when out of memory. */
static json_t *display_rows(const struct section_fields *sf, const json_t *value)
{
	json_t *rows = json_array(), *lines;
	const char *text, *p, *nl;
	char buf[64];
	size_t i;

	for (i = 0; rows != NULL && i < sf->len; i++) {
		if (!field_applies(&sf->fields[i], value))
			continue;
		text = field_display(&sf->fields[i], value, buf, sizeof buf);
		lines = json_array();
		for (p = text; lines != NULL && *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
			nl = strchr(p, '\n');
			if (nl == NULL)
				nl = p + strlen(p);
			if (nl > p && json_array_append_new(lines,
							    json_stringn(p, (size_t)(nl - p))) != 0) {
				json_decref(lines);
				lines = NULL;
			}
		}
		if (lines == NULL ||
		    json_array_append_new(rows, json_pack("{s:s, s:s, s:o}", "label",
							  sf->fields[i].label, "value", text,
							  "lines", lines)) != 0) {
			json_decref(rows);
			rows = NULL;
		}
	}
	return rows;
}

/* The heading of item n (from 1) of list section sf: its two heading fields' display text,
 * or "<Noun> <n>" when both are blank. Into out. */
static void item_heading(const struct section_fields *sf, const json_t *item, size_t n,
			 char *out, size_t outlen)
{
	const struct field_def *a = section_field(sf, sf->heading_a);
	const struct field_def *b = section_field(sf, sf->heading_b);
	char abuf[64], bbuf[64];
	bool has_a = a != NULL && field_text(item, a->name)[0] != '\0';
	bool has_b = b != NULL && field_text(item, b->name)[0] != '\0';

	if (has_a && has_b)
		snprintf(out, outlen, "%s, %s", field_display(a, item, abuf, sizeof abuf),
			 field_display(b, item, bbuf, sizeof bbuf));
	else if (has_a || has_b)
		snprintf(out, outlen, "%s", has_a ? field_display(a, item, abuf, sizeof abuf)
						  : field_display(b, item, bbuf, sizeof bbuf));
	else
		snprintf(out, outlen, "%s %zu", sf->noun, n);
}

/* Adds the items [{heading, rows}] of list section sf in data to out. Returns 0 or -1. */
static int display_items(const struct section_fields *sf, const json_t *list, json_t *out)
{
	json_t *items = json_array(), *item, *rows;
	char heading[512];
	size_t i;

	if (json_object_set_new(out, "items", items) != 0)
		return -1;
	json_array_foreach(list, i, item) {
		rows = display_rows(sf, item);
		item_heading(sf, item, i + 1, heading, sizeof heading);
		if (rows == NULL ||
		    json_array_append_new(items, json_pack("{s:s, s:I, s:o}", "heading", heading,
							   "n", (json_int_t)(i + 1), "rows",
							   rows)) != 0)
			return -1;
	}
	return 0;
}

/* Sets out's gaps [{label, explanation}] (from data) and has_gaps. Returns 0 or -1. */
static int display_gaps(const json_t *data, json_t *out)
{
	json_t *gaps = employment_gaps(data), *list = json_array(), *g;
	const char *explanation;
	size_t i;
	int rc = -1;

	if (gaps == NULL || list == NULL || json_object_set(out, "gaps", list) != 0 ||
	    json_object_set_new(out, "has_gaps", json_boolean(json_array_size(gaps) > 0)) != 0)
		goto out;
	json_array_foreach(gaps, i, g) {
		explanation = json_string_value(json_object_get(g, "explanation"));
		if (json_array_append_new(list, json_pack("{s:O, s:s}", "label",
							  json_object_get(g, "label"),
							  "explanation",
							  explanation != NULL && explanation[0] != '\0'
								  ? explanation
								  : "Not given")) != 0)
			goto out;
	}
	rc = 0;
out:
	json_decref(gaps);
	json_decref(list);
	return rc;
}

json_t *section_display(const struct section_def *s, const json_t *data)
{
	const struct section_fields *sf = section_fields_find(s->name);
	json_t *v = json_object_get(data, s->name), *out, *rows;
	int rc;

	out = json_pack("{s:s, s:s, s:b, s:b, s:b, s:[], s:[], s:[]}", "name", s->name, "title",
			s->title, "empty", !has_answer(v), "is_list", s->kind == SECTION_LIST,
			"has_gaps", false, "rows", "items", "gaps");
	if (out == NULL || sf == NULL)
		return out;
	if (s->kind == SECTION_LIST) {
		rc = display_items(sf, v, out);
		if (rc == 0 && strcmp(s->name, "employment") == 0)
			rc = display_gaps(data, out);
	} else {
		rows = display_rows(sf, json_is_object(v) ? v : NULL);
		rc = rows == NULL ? -1 : json_object_set_new(out, "rows", rows);
	}
	if (rc != 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}
