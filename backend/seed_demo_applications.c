/* seed_demo_applications.c - the demo candidate's profile and a handful of applications to a
 * demo vacancy, so that every school and candidate page has something to show; see
 * seed_demo.h. The data follows the shape documented in application_sections.h. */
#include "seed_demo.h"

#include <stdio.h>

#include "db.h"

/* $1 the candidate's user id. The demo candidate's profile, every profile section complete;
 * an existing profile is left as the candidate edited it. */
static const char profile_sql[] =
	"INSERT INTO candidate_profiles (user_id, data, completed) VALUES ($1::bigint, "
	"jsonb_build_object("
	"'personal', jsonb_build_object('first_name', 'Alex', 'last_name', 'Morgan', "
	"'previous_names', '', 'address_line1', '14 Orsett Road', 'address_line2', '', 'town', "
	"'Grays', 'postcode', 'RM17 5DS', 'phone', '07700 900456', 'email', "
	"(SELECT email FROM users WHERE id = $1::bigint), 'ni_number', '', 'right_to_work', 'yes'), "
	"'professional', jsonb_build_object('qts', 'yes', 'qts_expected', '', 'trn', '1234567', "
	"'induction', 'passed'), "
	"'qualifications', jsonb_build_array("
	"jsonb_build_object('level', 'degree', 'subject', 'Mathematics', 'grade', '2:1', "
	"'institution', 'University of Essex', 'year', '2016'), "
	"jsonb_build_object('level', 'pgce', 'subject', 'Secondary mathematics', 'grade', 'Pass', "
	"'institution', 'Anglia Ruskin University', 'year', '2017')), "
	"'training', jsonb_build_array(jsonb_build_object('course', 'Mastery in mathematics', "
	"'provider', 'Thames Gateway Maths Hub', 'year', '2022')), "
	"'employment', jsonb_build_array(jsonb_build_object('employer', 'Ockendon Academy', "
	"'role', 'Teacher of mathematics', 'start', '2017-09', 'end', '', 'current', true, "
	"'duties', 'Teaching mathematics from Year 7 to Year 11; Year 9 tutor.', "
	"'reason_for_leaving', '')), "
	"'employment_gaps', '{}'::jsonb, "
	"'referees', jsonb_build_array("
	"jsonb_build_object('name', 'Grace Adeyemi', 'job_title', 'Head of mathematics', "
	"'organisation', 'Ockendon Academy', 'relationship', 'Line manager', 'email', "
	"'grace.adeyemi@example.org', 'phone', '', 'current_employer', 'yes', 'contact_before', "
	"false), "
	"jsonb_build_object('name', 'Martin Cole', 'job_title', 'PGCE tutor', 'organisation', "
	"'Anglia Ruskin University', 'relationship', 'Training tutor', 'email', "
	"'martin.cole@example.org', 'phone', '', 'current_employer', 'no', 'contact_before', "
	"true))), "
	"'{personal,professional,qualifications,training,employment,referees}') "
	"ON CONFLICT (user_id) DO NOTHING";

/* $1 the demo domain. Eight applicants (accounts without a password: they cannot sign in) and
 * their applications to the demo's first live vacancy of Harris Academy Chafford Hundred, at
 * every stage, each with its history and equal-opportunities answers (enough for the totals).
 * Does nothing when that vacancy already has applications. */
static const char applications_sql[] =
	"WITH first AS (SELECT id FROM vacancies WHERE school_urn = 137549 AND status = "
	"'published' ORDER BY id LIMIT 1), "
	"v AS (SELECT id FROM first WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE "
	"a.vacancy_id = first.id)), "
	"p(n, first, last, town, status) AS (VALUES "
	"(1, 'Jordan', 'Ellis', 'Grays', 'submitted'), (2, 'Priya', 'Nair', 'Tilbury', "
	"'submitted'), (3, 'Sam', 'Okoro', 'Stanford-le-Hope', 'shortlisted'), (4, 'Hannah', "
	"'Brooks', 'Purfleet', 'interviewing'), (5, 'Tomasz', 'Nowak', 'South Ockendon', "
	"'offered'), (6, 'Chloe', 'Fraser', 'Corringham', 'unsuccessful'), (7, 'Imran', 'Qureshi', "
	"'Grays', 'withdrawn'), (8, 'Laura', 'Bennett', 'Chafford Hundred', 'submitted')), "
	"u AS (INSERT INTO users (email, name, role, verified_at) SELECT 'applicant' || p.n || "
	"'@' || $1, p.first || ' ' || p.last, 'candidate', now() FROM p ON CONFLICT "
	"((lower(email))) DO UPDATE SET name = EXCLUDED.name RETURNING id, email), "
	"a AS (INSERT INTO applications (vacancy_id, candidate_id, status, data, completed, "
	"submitted_at, status_changed_at, withdrawn_reason) SELECT v.id, u.id, p.status, "
	"jsonb_build_object("
	"'personal', jsonb_build_object('first_name', p.first, 'last_name', p.last, "
	"'previous_names', '', 'address_line1', p.n || ' Station Road', 'address_line2', '', "
	"'town', p.town, 'postcode', 'RM17 6' || chr(64 + p.n) || 'B', 'phone', '07700 90010' || "
	"p.n, 'email', u.email, 'ni_number', '', 'right_to_work', 'yes'), "
	"'professional', jsonb_build_object('qts', CASE WHEN p.n % 4 = 0 THEN 'on_track' ELSE "
	"'yes' END, 'qts_expected', CASE WHEN p.n % 4 = 0 THEN '2027-07' ELSE '' END, 'trn', "
	"(2000000 + p.n * 1111)::text, 'induction', CASE WHEN p.n % 4 = 0 THEN 'not_started' ELSE "
	"'passed' END), "
	"'qualifications', jsonb_build_array(jsonb_build_object('level', 'degree', 'subject', "
	"(ARRAY['Mathematics', 'Physics', 'Economics', 'Mathematics and statistics'])[1 + p.n % 4], "
	"'grade', (ARRAY['First', '2:1', '2:2'])[1 + p.n % 3], 'institution', "
	"(ARRAY['University of Kent', 'University of Essex', 'Queen Mary University of London'])"
	"[1 + p.n % 3], 'year', (2010 + p.n)::text)), "
	"'training', '[]'::jsonb, "
	"'employment', jsonb_build_array(jsonb_build_object('employer', (ARRAY['Gable Hall "
	"School', 'William Edwards School', 'The Gateway Academy', 'Hassenbrook Academy'])"
	"[1 + p.n % 4], 'role', 'Teacher of mathematics', 'start', (2011 + p.n)::text || '-09', "
	"'end', '', 'current', true, 'duties', 'Teaching mathematics across Key Stages 3 and 4.', "
	"'reason_for_leaving', '')), "
	"'employment_gaps', '{}'::jsonb, "
	"'statement', jsonb_build_object('statement', 'I would love to join your mathematics "
	"department. I plan lessons that build fluency and reasoning, and I run a weekly "
	"problem-solving club.'), "
	"'referees', jsonb_build_array(jsonb_build_object('name', 'Dana Whitfield', 'job_title', "
	"'Headteacher', 'organisation', 'Current school', 'relationship', 'Headteacher', 'email', "
	"'dana.whitfield@example.org', 'phone', '', 'current_employer', 'yes', 'contact_before', "
	"true), jsonb_build_object('name', 'Oliver Grant', 'job_title', 'Head of department', "
	"'organisation', 'Previous school', 'relationship', 'Former line manager', 'email', "
	"'oliver.grant@example.org', 'phone', '', 'current_employer', 'no', 'contact_before', "
	"false)), "
	"'support', jsonb_build_object('needs_support', 'no', 'support_details', ''), "
	"'declarations', jsonb_build_object('close_relationships', 'no', "
	"'close_relationships_details', '', 'criminal_record', 'no', 'criminal_record_details', "
	"'', 'right_to_work_confirmed', true, 'accurate', true)), "
	"'{personal,professional,qualifications,training,employment,statement,referees,support,"
	"declarations,equal_opps}', now() - make_interval(days => 10 - p.n), now() - "
	"make_interval(days => 5 - p.n / 2), CASE WHEN p.status = 'withdrawn' THEN 'I have "
	"accepted another post.' END "
	"FROM v, p JOIN u ON u.email = 'applicant' || p.n || '@' || $1 RETURNING id, status, "
	"candidate_id, submitted_at, status_changed_at), "
	"e AS (INSERT INTO application_equal_opps (application_id, disability, age_band, sex, "
	"gender_identity, sexual_orientation, ethnicity, religion) SELECT a.id, "
	"(ARRAY['no', 'no', 'yes', 'prefer_not_to_say'])[1 + a.id % 4], (ARRAY['25_29', '30_39', "
	"'40_49', 'under_25'])[1 + a.id % 4], (ARRAY['female', 'male', 'female', "
	"'prefer_not_to_say'])[1 + a.id % 4], 'yes', (ARRAY['heterosexual', 'heterosexual', "
	"'prefer_not_to_say', 'bisexual'])[1 + a.id % 4], (ARRAY['white', 'asian', 'black', "
	"'mixed'])[1 + a.id % 4], (ARRAY['none', 'christian', 'muslim', 'prefer_not_to_say'])"
	"[1 + a.id % 4] FROM a) "
	"INSERT INTO status_events (entity, entity_id, from_status, to_status, event, actor_id, "
	"at) SELECT 'application', a.id, NULL, 'draft', 'create', a.candidate_id, "
	"a.submitted_at - interval '2 days' FROM a UNION ALL SELECT 'application', a.id, "
	"'draft', 'submitted', 'submit', a.candidate_id, a.submitted_at FROM a UNION ALL SELECT "
	"'application', a.id, 'submitted', a.status, CASE a.status WHEN 'shortlisted' THEN "
	"'shortlist' WHEN 'interviewing' THEN 'interview' WHEN 'offered' THEN 'offer' WHEN "
	"'unsuccessful' THEN 'reject' ELSE 'withdraw' END, CASE WHEN a.status = 'withdrawn' THEN "
	"a.candidate_id END, a.status_changed_at FROM a WHERE a.status <> 'submitted'";

int seed_demo_applications(PGconn *c, long long candidate_id, char *err, size_t errlen)
{
	char id[24];
	const char *pvals[1] = { id }, *avals[1] = { SEED_DEMO_DOMAIN };
	PGresult *res;
	int rc = -1;

	snprintf(id, sizeof id, "%lld", candidate_id);
	res = PQexecParams(c, profile_sql, 1, NULL, pvals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_error(err, errlen, "demo profile", c, res);
		goto out;
	}
	PQclear(res);
	res = PQexecParams(c, applications_sql, 1, NULL, avals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_error(err, errlen, "demo applications", c, res);
		goto out;
	}
	rc = 0;
out:
	PQclear(res);
	return rc;
}
