/* seed_demo.c - demonstration users and vacancies, and synthetic vacancies for benchmarks; see
 * seed_demo.h. */
#include "seed_demo.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "db.h"
#include "password.h"
#include "vacancy_lifecycle.h"

#define DEMO_PASSWORD_CHARS 20

/* ---- demo users -------------------------------------------------------------------------- */

static const struct demo_user {
	const char *local;       /* email local part; the domain is SEED_DEMO_DOMAIN */
	const char *name;
	const char *role;        /* users.role */
	const char *schools;     /* integer[] literal of their schools, or NULL */
	const char *membership;  /* school_memberships.role, or NULL */
	const char *who;         /* printed beside the credentials */
} demo_users[] = {
	{ "hiring.harris", "Priya Shah", "school_staff", "{137549,138349}", "hiring_manager",
	  "hiring manager: Harris Academy Chafford Hundred and Harris Primary Academy Chafford "
	  "Hundred (one trust)" },
	{ "hiring.ormiston", "Tom Reid", "school_staff", "{135960}", "hiring_manager",
	  "hiring manager: Ormiston Park Academy" },
	{ "hiring.deneholm", "Sarah Okafor", "school_staff", "{141897}", "hiring_manager",
	  "hiring manager: Deneholm Primary School" },
	{ "viewer.harris", "Daniel Hughes", "school_staff", "{137549}", "viewer",
	  "viewer: Harris Academy Chafford Hundred" },
	{ "hr", "Helen Carter", "hr", NULL, NULL, "HR officer, Thurrock Council" },
	{ "candidate", "Alex Morgan", "candidate", NULL, NULL, "candidate" },
};

#define NUSERS (sizeof demo_users / sizeof demo_users[0])
#define HR_USER 4
#define CANDIDATE_USER 5

/* ---- demo jobs: what is advertised -------------------------------------------------------- */

static const struct demo_job {
	const char *title;
	const char *roles;        /* text[] literals */
	const char *key_stages;
	const char *subjects;
	const char *contract;     /* contract_type */
	const char *fixed_term;   /* fixed_term_length, or NULL */
	const char *patterns;     /* text[] literal */
	const char *hours;        /* hours_per_week, or NULL */
	const char *fte;          /* or NULL */
	const char *pay_scale;
	const char *pay_text;
	const char *salary_min;   /* or NULL */
	const char *salary_max;
	const char *start;        /* start_type: asap, date, term */
	bool ect;
	bool key_worker;
	const char *description;  /* Markdown */
} demo_jobs[] = {
	/* 0 */
	{ "Teacher of Mathematics", "{teacher}", "{ks3,ks4}", "{mathematics}", "permanent", NULL,
	  "{full_time}", NULL, NULL, "mps", "Fringe Area; UPS for an experienced teacher",
	  "32916", "51048", "term",
	  true, true,
	  "We are looking for an enthusiastic **teacher of mathematics** to join a strong, "
	  "supportive department that gets excellent results at GCSE.\n\n"
	  "## The role\n\n"
	  "- Teach mathematics across Key Stages 3 and 4, to groups of all abilities\n"
	  "- Plan lessons with the department's shared schemes of work and assessments\n"
	  "- Help run our maths clubs and the UK Mathematics Trust challenges\n\n"
	  "## About you\n\n"
	  "You will have qualified teacher status (QTS), or be about to gain it, and a real "
	  "enthusiasm for mathematics. We welcome applications from early career teachers: you "
	  "will have a reduced timetable, a trained mentor and a full two-year induction.\n\n"
	  "Visits to the school are warmly welcomed: contact us to arrange one." },
	/* 1 */
	{ "Teacher of English", "{teacher}", "{ks3,ks4,ks5}", "{english}", "permanent", NULL,
	  "{full_time}", NULL, NULL, "mps", "Fringe Area; UPS for an experienced teacher",
	  "32916", "51048", "term",
	  true, false,
	  "Our English department is looking for a teacher who loves reading and wants to pass "
	  "that love on.\n\n"
	  "## What you will do\n\n"
	  "- Teach English language and literature from Year 7 to Year 11, with the chance to "
	  "teach A level\n"
	  "- Contribute to the reading programme and the school library's events\n"
	  "- Work with a team that shares planning and resources\n\n"
	  "## What we are looking for\n\n"
	  "- Qualified teacher status (QTS), or due to be awarded it by the start date\n"
	  "- Strong subject knowledge and high expectations of every pupil\n\n"
	  "Early career teachers are very welcome to apply." },
	/* 2 */
	{ "Teacher of Science (Physics specialism)", "{teacher}", "{ks3,ks4}",
	  "{science,physics}", "permanent", NULL, "{full_time}", NULL, NULL, "mps",
	  "Fringe Area, with a recruitment allowance for physics specialists; UPS for an "
	  "experienced teacher",
	  "32916", "51048", "asap", false, true,
	  "We want a **physics specialist** to teach science across Key Stages 3 and 4 and "
	  "physics to GCSE.\n\n"
	  "Our labs were refurbished last year and the department has two full-time "
	  "technicians.\n\n"
	  "## You will\n\n"
	  "1. Teach combined science and separate physics\n"
	  "2. Lead practical work safely and imaginatively\n"
	  "3. Support our STEM club and the annual science fair\n\n"
	  "This post is eligible for the key worker housing scheme." },
	/* 3 */
	{ "Head of Mathematics", "{head_of_department}", "{ks3,ks4,ks5}", "{mathematics}",
	  "permanent", NULL, "{full_time}", NULL, NULL, "ups", "TLR 1b", "47472",
	  "56812", "term", false, true,
	  "We are looking for an inspiring **Head of Mathematics** to lead a department of nine "
	  "teachers.\n\n"
	  "## The role\n\n"
	  "- Lead the curriculum, assessment and teaching of mathematics from Year 7 to Year 13\n"
	  "- Line manage the department's teachers and support their development\n"
	  "- Analyse results and plan for the progress of every group of pupils\n\n"
	  "## About you\n\n"
	  "You will be an excellent classroom teacher with experience of leading others, and "
	  "you will share our belief that every pupil can succeed in mathematics." },
	/* 4 */
	{ "Class Teacher (Year 4)", "{teacher}", "{ks2}", "{}", "permanent", NULL, "{full_time}",
	  NULL, NULL, "mps", "Fringe Area", "32916", "45352", "term", true, false,
	  "We are looking for a caring and creative **class teacher** to join our Key Stage 2 "
	  "team.\n\n"
	  "Our children are curious, kind and keen to learn. You will teach a class with a "
	  "full-time teaching assistant and plan with a year group partner.\n\n"
	  "## We can offer you\n\n"
	  "- A supportive senior leadership team who protect your planning time\n"
	  "- A well-resourced curriculum, with phonics and maths mastery training\n"
	  "- A full induction programme for early career teachers\n\n"
	  "We would love you to visit us before you apply." },
	/* 5 */
	{ "EYFS Class Teacher (Reception)", "{teacher}", "{eyfs}", "{}", "parental_cover", NULL,
	  "{full_time}", NULL, NULL, "mps", "Fringe Area", "32916", "45352", "date", true,
	  false,
	  "We need an experienced or newly qualified **Reception teacher** to cover maternity "
	  "leave for a year.\n\n"
	  "Our Early Years unit has two Reception classes, a large outdoor area and a strong "
	  "team of early years practitioners.\n\n"
	  "## You will\n\n"
	  "- Plan and teach the Early Years Foundation Stage curriculum\n"
	  "- Build warm relationships with families from the first day\n"
	  "- Use observation and assessment to plan each child's next steps" },
	/* 6 */
	{ "SENCo", "{senco}", "{ks1,ks2}", "{}", "permanent", NULL, "{full_time}", NULL, NULL,
	  "ups", "SEN allowance and TLR 2a", "47472", "55000", "term", false, true,
	  "We are looking for a **special educational needs coordinator (SENCo)** who will "
	  "make sure every child with special educational needs gets the support they need.\n\n"
	  "## Responsibilities\n\n"
	  "- Coordinate provision for pupils with SEND and keep the SEND register\n"
	  "- Write and review education, health and care plans with families and agencies\n"
	  "- Train and support teachers and teaching assistants\n\n"
	  "You will hold the National Award for SEN Coordination, or be willing to work towards "
	  "it." },
	/* 7 */
	{ "Teaching Assistant (SEND)", "{teaching_assistant}", "{}", "{}", "fixed_term",
	  "12 months, with a view to a permanent post", "{part_time,term_time}", "27.5", NULL,
	  "support", "Grade 4, points 7 to 10, pro rata, term time only", "24404", "25584",
	  "asap", false, false,
	  "We are looking for a patient and positive **teaching assistant** to support pupils "
	  "with special educational needs in class and in small groups.\n\n"
	  "## Hours\n\n"
	  "27.5 hours a week, Monday to Friday, 8:45am to 3:15pm, term time only.\n\n"
	  "## You will\n\n"
	  "- Support one-to-one and small-group work planned by the class teacher\n"
	  "- Help pupils to take part fully in lessons and at play times\n"
	  "- Keep clear notes of each pupil's progress\n\n"
	  "Experience with children is helpful but not essential: full training is given." },
	/* 8 */
	{ "Higher Level Teaching Assistant", "{hlta}", "{ks1,ks2}", "{}", "permanent", NULL,
	  "{full_time,term_time}", NULL, NULL, "support", "Grade 6, term time only", "27269",
	  "29439", "asap", false, false,
	  "We are looking for an experienced **HLTA** to teach planned lessons during teachers' "
	  "planning, preparation and assessment time and to lead interventions.\n\n"
	  "## About you\n\n"
	  "- HLTA status, or working towards it\n"
	  "- Good English and mathematics (at least GCSE grade 4 or C)\n"
	  "- Confident managing a whole class" },
	/* 9 */
	{ "Cover Supervisor", "{cover_supervisor}", "{ks3,ks4}", "{}", "permanent", NULL,
	  "{full_time,term_time}", NULL, NULL, "support", "Grade 5, term time only", "25584",
	  "27269", "asap", false, false,
	  "We are looking for a calm and confident **cover supervisor** to supervise classes "
	  "when teachers are absent.\n\n"
	  "You will deliver work set by teachers, keep good order and make sure pupils stay on "
	  "task. Full training and support are given. This is a good first step towards a career "
	  "in teaching." },
	/* 10 */
	{ "Head of Year 9", "{head_of_year}", "{ks3}", "{}", "permanent", NULL, "{full_time}",
	  NULL, NULL, "mps", "TLR 2b; UPS for an experienced teacher", "32916", "51048", "term",
	  false, false,
	  "We are looking for a **Head of Year** to lead the pastoral care, attendance and "
	  "achievement of Year 9.\n\n"
	  "## The role\n\n"
	  "- Lead a team of form tutors\n"
	  "- Work closely with families and the safeguarding team\n"
	  "- Track progress and plan support for pupils who need it\n\n"
	  "You will also teach your own subject for part of the week." },
	/* 11 */
	{ "Deputy Headteacher", "{deputy_head}", "{eyfs,ks1,ks2}", "{}", "permanent", NULL,
	  "{full_time}", NULL, NULL, "leadership", "Leadership scale L10 to L14", "64262",
	  "70853", "term", false, true,
	  "Our governors are looking for an ambitious **deputy headteacher** to work alongside "
	  "the headteacher in leading our school.\n\n"
	  "## You will\n\n"
	  "- Lead on teaching and learning across the school\n"
	  "- Be a designated safeguarding lead\n"
	  "- Teach for part of the week and lead by example\n\n"
	  "We welcome visits: please contact the school office to arrange one." },
	/* 12 */
	{ "Teacher of Computing", "{teacher}", "{ks3,ks4}", "{computing}", "permanent", NULL,
	  "{full_time}", NULL, NULL, "mps", "Fringe Area; UPS for an experienced teacher",
	  "32916", "51048", "term",
	  true, true,
	  "Join our growing computing department and teach computer science and digital skills "
	  "to GCSE.\n\n"
	  "- Modern computer suites and a coding club\n"
	  "- GCSE computer science results well above the national average\n"
	  "- Early career teachers welcome" },
	/* 13 */
	{ "Teacher of Physical Education", "{teacher}", "{ks3,ks4}", "{physical_education}",
	  "permanent", NULL, "{full_time}", NULL, NULL, "mps",
	  "Fringe Area; UPS for an experienced teacher",
	  "32916", "51048", "term", true, false,
	  "We are looking for a **PE teacher** to join a busy department with excellent "
	  "facilities, including a sports hall, a 3G pitch and a fitness suite.\n\n"
	  "You will teach core PE and GCSE PE and run extra-curricular clubs and fixtures." },
	/* 14 */
	{ "Teacher of Religious Education (part time)", "{teacher}", "{ks3,ks4}",
	  "{religious_education}", "permanent", NULL, "{part_time}", NULL, "0.6", "mps",
	  "Fringe Area, pro rata (0.6 FTE); UPS for an experienced teacher", "32916", "51048",
	  "term", true, false,
	  "We are looking for a part-time **teacher of religious education** (0.6 full-time "
	  "equivalent, three days a week).\n\n"
	  "You will teach RE to Key Stages 3 and 4, including GCSE religious studies." },
	/* 15 */
	{ "Class Teacher (Key Stage 3, complex needs)", "{teacher}", "{ks3,ks4}", "{}",
	  "permanent", NULL, "{full_time}", NULL, NULL, "mps",
	  "Fringe Area, plus SEN allowance; UPS for an experienced teacher", "32916", "51048",
	  "term", true, true,
	  "We are a special school for pupils with complex learning needs, and we are looking "
	  "for a **class teacher** for a group of eight pupils in Key Stage 3.\n\n"
	  "## You will\n\n"
	  "- Plan personalised learning with a team of three teaching assistants\n"
	  "- Work with therapists, families and other professionals\n"
	  "- Use communication approaches such as Makaton and PECS (training given)\n\n"
	  "Experience of special educational needs is welcome but not essential." },
	/* 16 */
	{ "Learning Mentor", "{other_support}", "{ks3,ks4}", "{}", "permanent", NULL,
	  "{full_time,term_time}", NULL, NULL, "support", "Grade 5, term time only", "25584",
	  "27269", "asap", false, false,
	  "We are looking for a **learning mentor** to help young people who have found "
	  "mainstream school difficult to re-engage with learning.\n\n"
	  "You will work one to one and in small groups on attendance, behaviour and wellbeing, "
	  "and build strong links with families." },
	/* 17 */
	{ "Assistant Headteacher (Teaching and Learning)", "{assistant_head}", "{ks3,ks4,ks5}",
	  "{}", "permanent", NULL, "{full_time}", NULL, NULL, "leadership",
	  "Leadership scale L5 to L9", "57055", "62888", "term", false, true,
	  "We are looking for an **assistant headteacher** to lead teaching and learning across "
	  "the school.\n\n"
	  "## You will\n\n"
	  "- Lead our programme of professional development\n"
	  "- Coach teachers, including early career teachers and their mentors\n"
	  "- Teach a reduced timetable in your own subject" },
};

#define NJOBS (sizeof demo_jobs / sizeof demo_jobs[0])

/* ---- demo vacancies: which school advertises which job, and where it is in its life ------ */

enum demo_status { DEMO_LIVE, DEMO_DRAFT, DEMO_SCHEDULED, DEMO_CLOSED };

static const struct demo_vacancy {
	long urn;
	int job;                /* index into demo_jobs */
	const char *title;      /* instead of the job's, or NULL */
	enum demo_status status;
	int days_a;             /* live/closed: went live this many days ago; scheduled: goes
				 * live in this many days */
	int days_b;             /* closes this many days after today (scheduled: after going
				 * live) */
	const char *also;       /* integer[] literal of other schools it covers, or NULL */
	int user;               /* demo user who created it (index into demo_users) */
} demo_vacancies[] = {
	{ 137549, 0, NULL, DEMO_LIVE, 5, 21, NULL, 0 },
	{ 137549, 1, NULL, DEMO_LIVE, 2, 14, NULL, 0 },
	{ 137549, 10, NULL, DEMO_SCHEDULED, 4, 21, NULL, 0 },
	{ 137549, 9, NULL, DEMO_DRAFT, 0, 30, NULL, 0 },
	{ 137549, 2, NULL, DEMO_CLOSED, 30, 10, NULL, 0 },
	{ 137549, 6, "Trust SENCo (Harris Chafford Hundred schools)", DEMO_LIVE, 8, 25, "{138349}",
	  0 },
	{ 138349, 4, "Class Teacher (Year 3)", DEMO_LIVE, 3, 18, NULL, 0 },
	{ 138349, 7, NULL, DEMO_DRAFT, 0, 30, NULL, 0 },
	{ 135960, 12, NULL, DEMO_LIVE, 1, 28, NULL, 1 },
	{ 135960, 3, NULL, DEMO_LIVE, 6, 20, NULL, 1 },
	{ 135960, 13, NULL, DEMO_SCHEDULED, 7, 25, NULL, 1 },
	{ 135960, 9, NULL, DEMO_DRAFT, 0, 30, NULL, 1 },
	{ 135960, 14, NULL, DEMO_CLOSED, 25, 5, NULL, 1 },
	{ 141897, 5, NULL, DEMO_LIVE, 4, 12, NULL, 2 },
	{ 141897, 8, NULL, DEMO_LIVE, 9, 10, NULL, 2 },
	{ 141897, 11, NULL, DEMO_SCHEDULED, 3, 30, NULL, 2 },
	{ 141897, 4, "Class Teacher (Year 2)", DEMO_DRAFT, 0, 30, NULL, 2 },
	{ 115239, 1, NULL, DEMO_LIVE, 10, 9, NULL, HR_USER },
	{ 147537, 0, NULL, DEMO_LIVE, 2, 30, NULL, HR_USER },
	{ 144750, 2, "Teacher of Science", DEMO_LIVE, 5, 16, NULL, HR_USER },
	{ 151441, 12, NULL, DEMO_LIVE, 7, 22, NULL, HR_USER },
	{ 151442, 9, NULL, DEMO_LIVE, 3, 11, NULL, HR_USER },
	{ 147847, 10, "Head of Year 7", DEMO_LIVE, 12, 8, NULL, HR_USER },
	{ 137456, 0, "Teacher of Maths", DEMO_LIVE, 1, 35, NULL, HR_USER },
	{ 147853, 17, NULL, DEMO_LIVE, 6, 27, NULL, HR_USER },
	{ 133114, 13, NULL, DEMO_LIVE, 4, 19, NULL, HR_USER },
	{ 139578, 1, "Teacher of English (Key Stages 3 and 4)", DEMO_LIVE, 8, 6, NULL, HR_USER },
	{ 137214, 3, NULL, DEMO_LIVE, 2, 24, NULL, HR_USER },
	{ 138736, 15, NULL, DEMO_LIVE, 5, 21, NULL, HR_USER },
	{ 144234, 7, NULL, DEMO_LIVE, 3, 14, NULL, HR_USER },
	{ 140861, 16, NULL, DEMO_LIVE, 6, 17, NULL, HR_USER },
	{ 141877, 4, "Class Teacher (Year 6)", DEMO_LIVE, 2, 20, NULL, HR_USER },
	{ 139605, 6, NULL, DEMO_LIVE, 9, 13, NULL, HR_USER },
	{ 139576, 5, NULL, DEMO_LIVE, 4, 26, NULL, HR_USER },
	{ 147215, 7, NULL, DEMO_LIVE, 1, 15, NULL, HR_USER },
	{ 140832, 4, "Class Teacher (Year 1)", DEMO_LIVE, 7, 23, NULL, HR_USER },
	{ 139106, 8, NULL, DEMO_LIVE, 3, 9, NULL, HR_USER },
	{ 139380, 11, NULL, DEMO_LIVE, 10, 31, NULL, HR_USER },
	{ 144587, 4, "Class Teacher (Year 5)", DEMO_CLOSED, 20, 10, NULL, HR_USER },
	{ 138962, 4, "Class Teacher (Year 4, job share)", DEMO_DRAFT, 0, 30, NULL, HR_USER },
};

#define NVACANCIES (sizeof demo_vacancies / sizeof demo_vacancies[0])

/* What every school says it offers (Markdown); the key worker line is added when eligible. */
static const char school_offers[] =
	"- A supportive, friendly team and a well-planned induction\n"
	"- Professional development every half term, and funded qualifications\n"
	"- The Teachers' Pension Scheme or the Local Government Pension Scheme\n"
	"- An employee assistance programme and a cycle to work scheme\n"
	"- Good transport links: Grays and Stanford-le-Hope stations, and the A13";

static const char key_worker_offer[] =
	"\n- Eligibility for Thurrock's key worker housing scheme";

/* ---- SQL ------------------------------------------------------------------------------------ */

/* $1 email, $2 name, $3 role, $4 password hash. Returns the id. */
static const char user_upsert_sql[] =
	"INSERT INTO users (email, name, role, password_hash, verified_at) VALUES ($1, $2, $3, $4, "
	"now()) ON CONFLICT ((lower(email))) DO UPDATE SET name = EXCLUDED.name, role = "
	"EXCLUDED.role, password_hash = EXCLUDED.password_hash, disabled_at = NULL, verified_at = "
	"coalesce(users.verified_at, now()) RETURNING id";

/* $1 user id, $2 integer[] of schools, $3 membership role. */
static const char membership_sql[] =
	"INSERT INTO school_memberships (user_id, school_urn, role) SELECT $1::bigint, s.urn, $3 "
	"FROM schools s WHERE s.urn = ANY ($2::integer[]) ON CONFLICT (user_id, school_urn) DO "
	"UPDATE SET role = EXCLUDED.role";

/* What school s says about itself, in its profile and its demo listings. */
#define DEMO_ABOUT_SQL                                                                         \
	"format(E'%s is a %s school in %s%s.\\n\\nWe are a friendly and ambitious school at "    \
	"the heart of our community. Our pupils are polite, curious and proud of their school, "  \
	"and our staff are a strong, supportive team who care about every child.', s.name, "      \
	"replace(s.phase, '-', ' '), coalesce(s.town, 'Thurrock'), CASE WHEN s.trust IS NOT "     \
	"NULL THEN ', part of ' || s.trust ELSE '' END)"

/* The profile of each school with demo listings (made by the demo's users) that has none
 * yet. */
static const char profiles_sql[] =
	"UPDATE schools s SET about = " DEMO_ABOUT_SQL ", profile_updated_at = now() WHERE "
	"s.about = '' AND EXISTS (SELECT 1 FROM vacancies v JOIN users u ON u.id = v.created_by "
	"WHERE v.school_urn = s.urn AND lower(u.email) LIKE '%@" SEED_DEMO_DOMAIN "')";

/* $1 school, $2 creator, $3 title, $4 roles, $5 other schools, $6 key stages, $7 subjects,
 * $8 contract, $9 fixed term, $10 patterns, $11 hours, $12 fte, $13 pay scale, $14 pay text,
 * $15 salary min, $16 salary max, $17 start type, $18 start term, $19 ECT, $20 key worker,
 * $21 days until it goes live (scheduled) or NULL, $22 days until it closes, $23 description,
 * $24 what the school offers. The phases are the schools'. Jobs in the subjects the Home Office
 * lists as shortage occupations for teachers (mathematics, physics, chemistry, computing,
 * languages) can be sponsored for a Skilled Worker visa. Two schools in three offer visits. A
 * part-time or term-time job says its actual salary (the range pro rata: FTE, or hours out of
 * 37, and 84% of the year for term time). */
static const char vacancy_insert_sql[] =
	"INSERT INTO vacancies (school_urn, created_by, title, job_roles, phases, key_stages, "
	"subjects, contract_type, fixed_term_length, working_patterns, hours_per_week, fte, "
	"pay_scale, pay_text, salary_min, salary_max, start_type, start_date, start_term, "
	"ect_suitable, key_worker_eligible, visa_sponsorship, publish_at, closes_at, description, "
	"about_school, school_offers, contact_email, contact_phone, school_visits, actual_salary) "
	"SELECT s.urn, $2::bigint, $3, $4::text[], (SELECT array_agg(DISTINCT CASE x.phase WHEN "
	"'nursery' THEN 'primary' ELSE x.phase END) FROM schools x WHERE x.urn = s.urn OR x.urn = "
	"ANY ($5::integer[])), $6::text[], $7::text[], $8, $9, $10::text[], $11::numeric, "
	"$12::numeric, $13, $14, $15::integer, $16::integer, $17, CASE WHEN $17 = 'date' THEN "
	"current_date + 42 END, CASE WHEN $17 = 'term' THEN $18 END, $19::boolean, $20::boolean, "
	"$7::text[] && '{mathematics,physics,chemistry,computing,french,spanish}'::text[], "
	"date_trunc('day', now()) + make_interval(days => $21::integer) + interval '8 hours', "
	"date_trunc('day', now()) + make_interval(days => coalesce($21::integer, 0) + "
	"$22::integer) + interval '12 hours', $23, "
	DEMO_ABOUT_SQL ", $24, format('recruitment.%s@schools.thurrock.example', s.urn), "
	"'01375 ' || lpad((s.urn % 1000000)::text, 6, '0'), CASE WHEN s.urn % 3 <> 0 THEN "
	"format('You are welcome to visit us before you apply, to see the school at work and "
	"meet the team. Visits are usually after school on Tuesdays and Thursdays: to arrange "
	"one, email recruitment.%s@schools.thurrock.example.', s.urn) ELSE '' END, "
	"CASE WHEN $10::text[] && '{part_time,term_time}' AND $15::integer IS NOT NULL THEN "
	"(SELECT format('£%s to £%s', to_char(round($15::integer * p.f), 'FM999,999'), "
	"to_char(round(coalesce($16::integer, $15::integer) * p.f), 'FM999,999')) FROM (SELECT "
	"coalesce($12::numeric, $11::numeric / 37, 1) * CASE WHEN 'term_time' = ANY ($10::text[]) "
	"THEN 0.84 ELSE 1 END AS f) p) END "
	"FROM schools s WHERE s.urn = $1::integer RETURNING id";

/* $1 vacancy, $2 school, $3 integer[] of other schools. */
static const char vacancy_schools_sql[] =
	"INSERT INTO vacancy_schools (vacancy_id, school_urn) SELECT $1::bigint, urn FROM schools "
	"WHERE urn = $2::integer OR urn = ANY ($3::integer[])";

/* Moves a new vacancy's creation and publication $2 days (+3 for creation) into the past. */
static const char backdate_vacancy_sql[] =
	"UPDATE vacancies SET created_at = now() - make_interval(days => $2::integer + 3), "
	"published_at = now() - make_interval(days => $2::integer), publish_at = now() - "
	"make_interval(days => $2::integer) WHERE id = $1::bigint";
static const char backdate_events_sql[] =
	"UPDATE status_events SET at = now() - make_interval(days => $2::integer + CASE event WHEN "
	"'create' THEN 3 ELSE 0 END) WHERE entity = 'vacancy' AND entity_id = $1::bigint";

/* ---- helpers -------------------------------------------------------------------------------- */

/* Runs sql with n text parameters, expecting `want`. Returns the result (caller clears) or
 * NULL with err set. */
static PGresult *run(PGconn *c, const char *what, const char *sql, int n, const char *const *vals,
		     ExecStatusType want, char *err, size_t errlen)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);

	if (PQresultStatus(res) != want) {
		db_error(err, errlen, what, c, res);
		PQclear(res);
		return NULL;
	}
	return res;
}

/* Runs a statement that returns nothing. Returns 0 or -1 with err set. */
static int run_cmd(PGconn *c, const char *what, const char *sql, int n, const char *const *vals,
		   char *err, size_t errlen)
{
	PGresult *res = run(c, what, sql, n, vals, PGRES_COMMAND_OK, err, errlen);

	PQclear(res);
	return res != NULL ? 0 : -1;
}

/* Creates or updates demo user u with a new random password (written into password, of
 * DEMO_PASSWORD_CHARS + 1 bytes) and their memberships. Sets *id. Returns 0 or -1. */
static int user_upsert(PGconn *c, const struct demo_user *u, char *password, long long *id,
		       char *err, size_t errlen)
{
	char token[TOKEN_LEN + 1], hash[PASSWORD_HASH_MAX], email[128], id_s[24];
	const char *vals[4] = { email, u->name, u->role, hash };
	const char *mvals[3] = { id_s, u->schools, u->membership };
	PGresult *res;
	int rc = -1;

	snprintf(email, sizeof email, "%s@%s", u->local, SEED_DEMO_DOMAIN);
	if (auth_random_token(token) != 0) {
		snprintf(err, errlen, "%s: cannot make a random password", email);
		return -1;
	}
	snprintf(password, DEMO_PASSWORD_CHARS + 1, "%.*s", DEMO_PASSWORD_CHARS, token);
	if (password_hash(password, hash) != PASSWORD_OK) {
		snprintf(err, errlen, "%s: cannot hash the password", email);
		goto out;
	}
	res = run(c, email, user_upsert_sql, 4, vals, PGRES_TUPLES_OK, err, errlen);
	if (res == NULL)
		goto out;
	*id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	snprintf(id_s, sizeof id_s, "%lld", *id);
	if (u->schools != NULL &&
	    run_cmd(c, email, membership_sql, 3, mvals, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	explicit_bzero(token, sizeof token);
	return rc;
}

/* True (1) when a demo user already created vacancies, 0 when not, -1 with err set. */
static int demo_vacancies_present(PGconn *c, char *err, size_t errlen)
{
	const char *vals[1] = { "%@" SEED_DEMO_DOMAIN };
	PGresult *res = run(c, "demo vacancies", "SELECT EXISTS (SELECT 1 FROM vacancies v JOIN "
			    "users u ON u.id = v.created_by WHERE lower(u.email) LIKE $1)", 1,
			    vals, PGRES_TUPLES_OK, err, errlen);
	int rc;

	if (res == NULL)
		return -1;
	rc = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return rc;
}

/* Checks that every school the demo names is in the schools table. Returns 0 or -1. */
static int demo_schools_check(PGconn *c, char *err, size_t errlen)
{
	char urn[24];
	const char *vals[1] = { urn };
	PGresult *res;
	size_t i;

	for (i = 0; i < NVACANCIES; i++) {
		snprintf(urn, sizeof urn, "%ld", demo_vacancies[i].urn);
		res = run(c, "schools", "SELECT 1 FROM schools WHERE urn = $1::integer", 1, vals,
			  PGRES_TUPLES_OK, err, errlen);
		if (res == NULL)
			return -1;
		if (PQntuples(res) != 1) {
			snprintf(err, errlen, "school %s is not in the schools table: run `portal "
					      "seed` with the Thurrock schools first", urn);
			PQclear(res);
			return -1;
		}
		PQclear(res);
	}
	return 0;
}

/* Moves vacancy id's creation and publication `days` days into the past. Returns 0 or -1. */
static int backdate(PGconn *c, const char *id, int days, char *err, size_t errlen)
{
	char d[16];
	const char *vals[2] = { id, d };

	snprintf(d, sizeof d, "%d", days);
	return run_cmd(c, "backdate", backdate_vacancy_sql, 2, vals, err, errlen) != 0 ||
			       run_cmd(c, "backdate", backdate_events_sql, 2, vals, err, errlen) != 0
		       ? -1
		       : 0;
}

/* Applies event to vacancy id through the lifecycle. Returns 0 or -1 with err set. */
static int transition(PGconn *c, long long id, const char *event, long long actor,
		      const char *reason, json_t *detail, char *err, size_t errlen)
{
	int rc = vacancy_transition(c, id, event, actor, reason, detail);

	if (rc != VT_DONE)
		snprintf(err, errlen, "vacancy %lld: %s: %s", id, event,
			 rc < 0 ? "database error (see the log)" : "not allowed now");
	return rc == VT_DONE ? 0 : -1;
}

/* Adds demo vacancy v, created by actor, through its lifecycle. start_term is the term a
 * "term" start names. Returns 0 or -1. */
static int vacancy_add(PGconn *c, const struct demo_vacancy *v, long long actor,
		       const char *start_term, char *err, size_t errlen)
{
	const struct demo_job *j = &demo_jobs[v->job];
	char urn[24], actor_s[24], live_in[16], closes[16], id_s[24];
	struct buf offers = { 0 };
	const char *vals[24], *svals[3] = { id_s, urn, v->also ? v->also : "{}" };
	json_t *detail = NULL;
	PGresult *res;
	long long id;
	int rc = -1;

	snprintf(urn, sizeof urn, "%ld", v->urn);
	snprintf(actor_s, sizeof actor_s, "%lld", actor);
	snprintf(live_in, sizeof live_in, "%d", v->days_a);
	snprintf(closes, sizeof closes, "%d", v->days_b);
	buf_puts(&offers, school_offers);
	if (j->key_worker)
		buf_puts(&offers, key_worker_offer);
	if (buf_failed(&offers)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	vals[0] = urn;
	vals[1] = actor_s;
	vals[2] = v->title ? v->title : j->title;
	vals[3] = j->roles;
	vals[4] = v->also ? v->also : "{}";
	vals[5] = j->key_stages;
	vals[6] = j->subjects;
	vals[7] = j->contract;
	vals[8] = j->fixed_term;
	vals[9] = j->patterns;
	vals[10] = j->hours;
	vals[11] = j->fte;
	vals[12] = j->pay_scale;
	vals[13] = j->pay_text;
	vals[14] = j->salary_min;
	vals[15] = j->salary_max;
	vals[16] = j->start;
	vals[17] = start_term;
	vals[18] = j->ect ? "true" : "false";
	vals[19] = j->key_worker ? "true" : "false";
	vals[20] = v->status == DEMO_SCHEDULED ? live_in : NULL;
	vals[21] = closes;
	vals[22] = j->description;
	vals[23] = buf_str(&offers);
	res = run(c, vals[2], vacancy_insert_sql, 24, vals, PGRES_TUPLES_OK, err, errlen);
	if (res == NULL)
		goto out;
	id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	snprintf(id_s, sizeof id_s, "%lld", id);
	PQclear(res);
	if (run_cmd(c, "vacancy schools", vacancy_schools_sql, 3, svals, err, errlen) != 0)
		goto out;
	if (vacancy_record_created(c, id, actor, 0) != 0) {
		snprintf(err, errlen, "vacancy %lld: cannot record its creation", id);
		goto out;
	}
	switch (v->status) {
	case DEMO_DRAFT:
		break;
	case DEMO_SCHEDULED:
		if (transition(c, id, "schedule", actor, NULL, NULL, err, errlen) != 0)
			goto out;
		break;
	case DEMO_LIVE:
	case DEMO_CLOSED:
		if (transition(c, id, "publish", actor, NULL, NULL, err, errlen) != 0 ||
		    backdate(c, id_s, v->days_a, err, errlen) != 0)
			goto out;
		if (v->status == DEMO_LIVE)
			break;
		detail = json_pack("{s:b}", "filled", 1);
		if (detail == NULL ||
		    transition(c, id, "end", actor, "The post has been filled.", detail, err,
			       errlen) != 0)
			goto out;
		break;
	}
	rc = 0;
out:
	json_decref(detail);
	buf_free(&offers);
	return rc;
}

/* "September 2027": the next September that is at least six months away. */
static void next_september(char *out, size_t outlen)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	snprintf(out, outlen, "September %d", tm.tm_year + 1900 + (tm.tm_mon >= 2 ? 1 : 0));
}

int seed_demo(PGconn *c, FILE *out, char *err, size_t errlen)
{
	char passwords[NUSERS][DEMO_PASSWORD_CHARS + 1], term[32];
	long long ids[NUSERS];
	size_t i, counts[4] = { 0 };
	bool open = false;
	int present, rc = -1;

	if (demo_schools_check(c, err, errlen) != 0 ||
	    run_cmd(c, "BEGIN", "BEGIN", 0, NULL, err, errlen) != 0)
		goto out;
	open = true;
	for (i = 0; i < NUSERS; i++)
		if (user_upsert(c, &demo_users[i], passwords[i], &ids[i], err, errlen) != 0)
			goto out;
	present = demo_vacancies_present(c, err, errlen);
	if (present < 0)
		goto out;
	next_september(term, sizeof term);
	for (i = 0; !present && i < NVACANCIES; i++) {
		if (vacancy_add(c, &demo_vacancies[i], ids[demo_vacancies[i].user], term, err,
				errlen) != 0)
			goto out;
		counts[demo_vacancies[i].status]++;
	}
	if ((!present && run_cmd(c, "school profiles", profiles_sql, 0, NULL, err, errlen) != 0) ||
	    seed_demo_applications(c, ids[CANDIDATE_USER], err, errlen) != 0)
		goto out;
	open = false;
	if (run_cmd(c, "COMMIT", "COMMIT", 0, NULL, err, errlen) != 0)
		goto out;
	fprintf(out, "seed: demo users (local demonstration data: new passwords on every run)\n");
	for (i = 0; i < NUSERS; i++)
		fprintf(out, "  %s@%s / %s  (%s)\n", demo_users[i].local, SEED_DEMO_DOMAIN,
			passwords[i], demo_users[i].who);
	if (present)
		fprintf(out, "seed: demo vacancies already present, none added\n");
	else
		fprintf(out, "seed: %zu demo vacancies (%zu live, %zu scheduled, %zu drafts, "
			     "%zu closed)\n", NVACANCIES, counts[DEMO_LIVE],
			counts[DEMO_SCHEDULED], counts[DEMO_DRAFT], counts[DEMO_CLOSED]);
	rc = 0;
out:
	if (open)
		run_cmd(c, "ROLLBACK", "ROLLBACK", 0, NULL, NULL, 0);
	explicit_bzero(passwords, sizeof passwords);
	return rc;
}

/* ---- synthetic vacancies for benchmarks ---------------------------------------------------- */

/* $1 how many. Each row i takes a school by position (its phase decides the kind of jobs), a
 * job kind k and a subject, and from them title, roles, pay and the rest. */
static const char synthetic_sql[] =
	"WITH s AS (SELECT array_agg(urn ORDER BY urn) AS urns, array_agg(CASE phase WHEN "
	"'nursery' THEN 'primary' ELSE phase END ORDER BY urn) AS phases, array_agg(name ORDER BY "
	"urn) AS names, array_agg(coalesce(town, 'Thurrock') ORDER BY urn) AS towns, "
	"count(*)::integer AS n FROM schools), "
	"sub AS (SELECT array_agg(value ORDER BY position) AS vals, array_agg(label ORDER BY "
	"position) AS labels, count(*)::integer AS n FROM vacancy_subjects WHERE value <> "
	"'other'), "
	"g AS (SELECT i, s.urns[1 + i % s.n] AS urn, s.phases[1 + i % s.n] AS phase, "
	"s.names[1 + i % s.n] AS school, s.towns[1 + i % s.n] AS town, ((i / s.n) % 10)::integer "
	"AS k, sub.vals[1 + (i / 7) % sub.n] AS subject, sub.labels[1 + (i / 7) % sub.n] AS "
	"subject_label FROM generate_series(1, $1::bigint) i, s, sub), "
	"j AS (SELECT g.*, g.phase = 'primary' AS pri, CASE WHEN g.phase = 'primary' THEN "
	"(ARRAY['teacher', 'teacher', 'teacher', 'teacher', 'teaching_assistant', 'hlta', 'senco', "
	"'deputy_head', 'teacher', 'teaching_assistant'])[1 + g.k] ELSE (ARRAY['teacher', "
	"'teacher', 'teacher', 'teacher', 'teacher', 'head_of_department', 'teaching_assistant', "
	"'cover_supervisor', 'head_of_year', 'teacher'])[1 + g.k] END AS role, "
	"g.phase <> 'primary' AND g.k IN (0, 1, 2, 3, 4, 5, 9) AS with_subject FROM g), "
	"t AS (SELECT j.*, replace(replace(CASE WHEN j.pri THEN (ARRAY['Class Teacher (Year #)', "
	"'Class Teacher (Year #)', 'Class Teacher (Year #)', 'EYFS Class Teacher', "
	"'Teaching Assistant', 'Higher Level Teaching Assistant', 'SENCo', 'Deputy Headteacher', "
	"'Class Teacher (Year #)', 'Teaching Assistant (SEND)'])[1 + j.k] ELSE (ARRAY["
	"'Teacher of %', 'Teacher of %', 'Teacher of %', 'Teacher of %', 'Teacher of %', "
	"'Head of %', 'Teaching Assistant', 'Cover Supervisor', 'Head of Year #', "
	"'Second in % Department'])[1 + j.k] END, '%', j.subject_label), '#', CASE WHEN j.pri "
	"THEN (1 + j.i % 6)::text ELSE (7 + j.i % 5)::text END) AS title, CASE j.role WHEN "
	"'teacher' THEN CASE WHEN j.i % 4 = 0 THEN 'ups' ELSE 'mps' END WHEN 'head_of_department' "
	"THEN 'ups' WHEN 'head_of_year' THEN 'ups' WHEN 'senco' THEN 'ups' WHEN 'deputy_head' THEN "
	"'leadership' ELSE 'support' END AS pay, (ARRAY['permanent', 'permanent', 'permanent', "
	"'fixed_term', 'parental_cover'])[1 + j.i % 5] AS contract, (ARRAY['asap', 'term', 'term', "
	"'date'])[1 + j.i % 4] AS start, now() - make_interval(mins => ((j.i * 37) % 43200)::integer) "
	"AS live_at FROM j) "
	"INSERT INTO vacancies (school_urn, status, title, job_roles, phases, key_stages, "
	"subjects, contract_type, fixed_term_length, working_patterns, pay_scale, pay_text, "
	"salary_min, salary_max, start_type, start_date, start_term, ect_suitable, "
	"key_worker_eligible, visa_sponsorship, publish_at, published_at, closes_at, description, "
	"about_school, school_offers, contact_email, created_at) "
	"SELECT t.urn, 'published', t.title, ARRAY[t.role], ARRAY[t.phase], CASE WHEN t.pri THEN "
	"CASE WHEN t.k = 3 THEN '{eyfs}' ELSE '{ks1,ks2}' END WHEN t.i % 3 = 0 THEN "
	"'{ks3,ks4,ks5}' ELSE '{ks3,ks4}' END::text[], CASE WHEN t.with_subject THEN "
	"ARRAY[t.subject] ELSE '{}' END, t.contract, CASE WHEN t.contract = 'fixed_term' THEN "
	"'12 months' END, CASE WHEN t.pay = 'support' THEN CASE WHEN t.i % 2 = 0 THEN "
	"'{full_time,term_time}' ELSE '{part_time,term_time}' END ELSE (ARRAY['{full_time}', "
	"'{full_time}', '{full_time}', '{part_time}', '{full_time,job_share}'])[1 + (t.i / 3) % 5] "
	"END::text[], t.pay, CASE t.pay WHEN 'mps' THEN 'MPS, Fringe Area' WHEN 'ups' THEN "
	"'UPS, Fringe Area' WHEN 'leadership' THEN 'Leadership scale' ELSE 'Support staff grade, "
	"pro rata' END, CASE t.pay WHEN 'mps' THEN 32916 WHEN 'ups' THEN 47472 WHEN 'leadership' "
	"THEN 57055 ELSE 24404 END, CASE t.pay WHEN 'mps' THEN 45352 WHEN 'ups' THEN 51048 WHEN "
	"'leadership' THEN 70853 ELSE 27269 END, t.start, CASE WHEN t.start = 'date' THEN "
	"current_date + (14 + t.i % 60)::integer END, CASE WHEN t.start = 'term' THEN "
	"'September ' || extract(year FROM now() + interval '10 months')::integer END, t.role = "
	"'teacher' AND t.i % 3 = 0, t.i % 4 = 0, t.role = 'teacher' AND t.i % 10 = 0, t.live_at, "
	"t.live_at, date_trunc('day', now()) + "
	"make_interval(days => (1 + t.i % 60)::integer, hours => (9 + t.i % 8)::integer), "
	"format(E'We are looking for a %s to join %s in %s.\\n\\n## The role\\n\\n- %s\\n- Plan "
	"and work with a supportive, experienced team\\n- Take part in our programme of "
	"professional development\\n\\nWe welcome visits before you apply.', lower(t.title), "
	"t.school, t.town, CASE WHEN t.with_subject THEN format('Teach %s to classes of all "
	"abilities, following the department''s schemes of work', lower(t.subject_label)) WHEN "
	"t.role = 'teacher' THEN 'Teach your own class and plan with your year group partner' "
	"ELSE 'Support pupils'' learning in class and in small groups' END), format('%s is a %s "
	"school in %s.', t.school, replace(t.phase, '-', ' '), t.town), '- A supportive team\\n- "
	"Professional development\\n- Pension scheme', format('recruitment.%s@schools.thurrock."
	"example', t.urn), t.live_at - interval '2 days' FROM t";

int seed_vacancies(PGconn *c, long n, char *err, size_t errlen)
{
	char n_s[24], first[24];
	const char *vals[1] = { n_s }, *fvals[1] = { first };
	PGresult *res;
	bool open = false;
	int rc = -1;

	if (n < 1 || n > SEED_VACANCIES_MAX) {
		snprintf(err, errlen, "the number of vacancies must be 1 to %ld", SEED_VACANCIES_MAX);
		return -1;
	}
	snprintf(n_s, sizeof n_s, "%ld", n);
	if (run_cmd(c, "BEGIN", "BEGIN", 0, NULL, err, errlen) != 0)
		goto out;
	open = true;
	res = run(c, "vacancies", "SELECT coalesce(max(id), 0) + 1 FROM vacancies", 0, NULL,
		  PGRES_TUPLES_OK, err, errlen);
	if (res == NULL)
		goto out;
	snprintf(first, sizeof first, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (run_cmd(c, "synthetic vacancies", "SET LOCAL synchronous_commit = off", 0, NULL, err,
		    errlen) != 0 ||
	    run_cmd(c, "synthetic vacancies", synthetic_sql, 1, vals, err, errlen) != 0 ||
	    run_cmd(c, "synthetic vacancy schools", "INSERT INTO vacancy_schools (vacancy_id, "
		    "school_urn) SELECT id, school_urn FROM vacancies WHERE id >= $1::bigint", 1,
		    fvals, err, errlen) != 0)
		goto out;
	open = false;
	if (run_cmd(c, "COMMIT", "COMMIT", 0, NULL, err, errlen) != 0 ||
	    run_cmd(c, "ANALYZE", "ANALYZE vacancies, vacancy_schools", 0, NULL, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	if (open)
		run_cmd(c, "ROLLBACK", "ROLLBACK", 0, NULL, NULL, 0);
	return rc;
}
