-- 0005_applications.sql - candidate profiles, applications to vacancies, their documents,
-- notes, interviews and equal-opportunities answers (issue 5). Runs inside the migration's
-- transaction. The sections of a profile and an application are JSON documents whose shape is
-- defined in one place: backend/application_sections.h.

-- A candidate's profile, kept between applications and copied into each new one: the profile
-- sections of application_sections.h ({"personal": {...}, "qualifications": [...], ...}).
CREATE TABLE candidate_profiles (
	user_id bigint PRIMARY KEY REFERENCES users ON DELETE CASCADE,
	data jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(data) = 'object'),
	completed text[] NOT NULL DEFAULT '{}',   -- profile sections marked complete
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER candidate_profiles_touch BEFORE UPDATE ON candidate_profiles
	FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION touch_updated_at();

-- One application per candidate per vacancy. Its status changes only through
-- application_transition() (backend/application_lifecycle.h), which writes status_events
-- (entity 'application'). candidate_id is NULL once the candidate deleted their account: the
-- application is then anonymised (anonymised_at), never silently kept with their data.
CREATE TABLE applications (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	vacancy_id bigint NOT NULL REFERENCES vacancies ON DELETE CASCADE,
	candidate_id bigint REFERENCES users ON DELETE SET NULL,
	status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'shortlisted',
		'interviewing', 'offered', 'accepted', 'declined', 'unsuccessful', 'withdrawn')),
	data jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(data) = 'object'),
	completed text[] NOT NULL DEFAULT '{}',   -- application sections marked complete
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	submitted_at timestamptz,
	status_changed_at timestamptz NOT NULL DEFAULT now(),
	withdrawn_reason text CHECK (length(withdrawn_reason) <= 1000),
	reminder_sent_at timestamptz,             -- "your draft closes soon" sent
	anonymised_at timestamptz,
	CHECK (status = 'draft' OR submitted_at IS NOT NULL),
	CHECK (candidate_id IS NOT NULL OR anonymised_at IS NOT NULL)
);
CREATE UNIQUE INDEX applications_one_per_vacancy ON applications (vacancy_id, candidate_id);
CREATE INDEX applications_vacancy_status_idx ON applications (vacancy_id, status, submitted_at, id);
CREATE INDEX applications_candidate_idx ON applications (candidate_id, updated_at);
CREATE TRIGGER applications_touch BEFORE UPDATE ON applications
	FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION touch_updated_at();

-- Equal-opportunities monitoring answers: apart from the application so that no query for a
-- school page or export can pick them up by accident. Shown to schools only as totals for a
-- vacancy with 5 or more applications. NULL: not answered yet (a draft saved for later); a
-- submitted application has every answer ("prefer not to say" is one).
CREATE TABLE application_equal_opps (
	application_id bigint PRIMARY KEY REFERENCES applications ON DELETE CASCADE,
	disability text CHECK (disability IN ('yes', 'no', 'prefer_not_to_say')),
	age_band text CHECK (age_band IN ('under_25', '25_29', '30_39', '40_49', '50_59',
		'60_plus', 'prefer_not_to_say')),
	sex text CHECK (sex IN ('female', 'male', 'prefer_not_to_say')),
	gender_identity text CHECK (gender_identity IN ('yes', 'no', 'prefer_not_to_say')),
	sexual_orientation text CHECK (sexual_orientation IN ('heterosexual', 'gay_lesbian',
		'bisexual', 'other', 'prefer_not_to_say')),
	ethnicity text CHECK (ethnicity IN ('asian', 'black', 'mixed', 'white', 'other',
		'prefer_not_to_say')),
	religion text CHECK (religion IN ('none', 'buddhist', 'christian', 'hindu', 'jewish',
		'muslim', 'sikh', 'other', 'prefer_not_to_say')),
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- A CV or covering letter (PDF or DOCX by content, at most 5 MB), kept in the database under a
-- random key; downloadable only by the candidate and the vacancy's school staff.
CREATE TABLE application_documents (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id bigint NOT NULL REFERENCES applications ON DELETE CASCADE,
	key text NOT NULL UNIQUE,
	kind text NOT NULL CHECK (kind IN ('cv', 'cover_letter')),
	filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
	content_type text NOT NULL CHECK (content_type IN ('application/pdf',
		'application/vnd.openxmlformats-officedocument.wordprocessingml.document')),
	size integer NOT NULL CHECK (size > 0 AND size <= 5242880),
	data bytea NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (application_id, kind)
);

-- The school's notes on an application (never shown to the candidate).
CREATE TABLE application_notes (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id bigint NOT NULL REFERENCES applications ON DELETE CASCADE,
	author_id bigint REFERENCES users ON DELETE SET NULL,
	body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_notes_application_idx ON application_notes (application_id, created_at);

-- Interview invitations: the latest row is the current arrangement.
CREATE TABLE application_interviews (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id bigint NOT NULL REFERENCES applications ON DELETE CASCADE,
	starts_at timestamptz NOT NULL,
	duration_minutes integer NOT NULL DEFAULT 60 CHECK (duration_minutes BETWEEN 5 AND 600),
	place text NOT NULL CHECK (length(place) BETWEEN 1 AND 500),
	panel text NOT NULL DEFAULT '' CHECK (length(panel) <= 1000),
	details text NOT NULL DEFAULT '' CHECK (length(details) <= 2000),
	uid text NOT NULL UNIQUE,                 -- iCalendar UID: the same event when rearranged
	sequence integer NOT NULL DEFAULT 0,      -- iCalendar SEQUENCE
	created_by bigint REFERENCES users ON DELETE SET NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_interviews_application_idx ON application_interviews (application_id, id);

-- Email attachments (an interview's .ics): [{"filename", "content_type", "content"}], content
-- as text (iCalendar is text).
ALTER TABLE outbox ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]'
	CHECK (jsonb_typeof(attachments) = 'array');
