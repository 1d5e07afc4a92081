-- 0003_vacancies.sql - vacancies, their schools and documents, status history, recorded edits
-- and full-text search (issue 4). Runs inside the migration's transaction.

-- Every status change of every state machine (vacancies now; applications, ECT pool, School
-- Direct and key worker later): written by the one transition function of each machine, in the
-- same transaction as the change.
CREATE TABLE status_events (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	entity text NOT NULL,                   -- 'vacancy', ...
	entity_id bigint NOT NULL,
	from_status text,                       -- NULL when the entity is created
	to_status text NOT NULL,
	event text NOT NULL,                    -- 'create', 'publish', 'schedule', 'go_live', ...
	actor_id bigint REFERENCES users ON DELETE SET NULL,  -- NULL: the periodic job
	reason text,
	detail jsonb NOT NULL DEFAULT '{}',
	at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX status_events_entity_idx ON status_events (entity, entity_id, at);

CREATE TABLE vacancies (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	school_urn integer NOT NULL REFERENCES schools,     -- the school that posts it
	status text NOT NULL DEFAULT 'draft'
		CHECK (status IN ('draft', 'scheduled', 'published', 'closed')),
	title text NOT NULL DEFAULT '' CHECK (length(title) <= 150),
	job_roles text[] NOT NULL DEFAULT '{}' CHECK (job_roles <@ ARRAY['teacher',
		'head_of_department', 'head_of_year', 'assistant_head', 'deputy_head', 'headteacher',
		'senco', 'teaching_assistant', 'hlta', 'cover_supervisor', 'other_support']),
	phases text[] NOT NULL DEFAULT '{}' CHECK (phases <@ ARRAY['primary', 'secondary',
		'all-through', 'special', 'alternative-provision', 'post-16']),
	key_stages text[] NOT NULL DEFAULT '{}' CHECK (key_stages <@ ARRAY['eyfs', 'ks1', 'ks2',
		'ks3', 'ks4', 'ks5']),
	subjects text[] NOT NULL DEFAULT '{}',  -- values from vacancy_subjects
	contract_type text CHECK (contract_type IN ('permanent', 'fixed_term', 'parental_cover')),
	fixed_term_length text CHECK (length(fixed_term_length) <= 100),
	working_patterns text[] NOT NULL DEFAULT '{}' CHECK (working_patterns <@ ARRAY['full_time',
		'part_time', 'job_share', 'term_time']),
	hours_per_week numeric(4, 1) CHECK (hours_per_week > 0 AND hours_per_week <= 60),
	fte numeric(4, 3) CHECK (fte > 0 AND fte <= 1),
	pay_scale text CHECK (pay_scale IN ('mps', 'ups', 'leadership', 'support', 'other')),
	pay_text text CHECK (length(pay_text) <= 200),
	salary_min integer CHECK (salary_min >= 0),
	salary_max integer CHECK (salary_max >= 0),
	start_type text CHECK (start_type IN ('date', 'asap', 'term')),
	start_date date,
	start_term text CHECK (length(start_term) <= 100),
	ect_suitable boolean NOT NULL DEFAULT false,
	key_worker_eligible boolean NOT NULL DEFAULT false,
	publish_at timestamptz,                 -- scheduled: when it goes live
	published_at timestamptz,               -- when it went live
	closes_at timestamptz,                  -- closing date and time
	closed_at timestamptz,
	end_reason text CHECK (length(end_reason) <= 1000),
	filled boolean,                         -- ended early: was the post filled?
	description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
	about_school text NOT NULL DEFAULT '' CHECK (length(about_school) <= 10000),
	school_offers text NOT NULL DEFAULT '' CHECK (length(school_offers) <= 10000),
	contact_email text CHECK (length(contact_email) <= 254),
	contact_phone text CHECK (length(contact_phone) <= 40),
	created_by bigint REFERENCES users ON DELETE SET NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	search tsvector NOT NULL DEFAULT ''::tsvector,
	CHECK (salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max),
	CHECK (status = 'draft' OR (title <> '' AND closes_at IS NOT NULL AND cardinality(job_roles) > 0)),
	CHECK (status <> 'scheduled' OR publish_at IS NOT NULL)
);
CREATE TRIGGER vacancies_touch BEFORE UPDATE ON vacancies
	FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION touch_updated_at();

-- The schools a vacancy covers (one, or several of one trust); the posting school is one of them.
CREATE TABLE vacancy_schools (
	vacancy_id bigint NOT NULL REFERENCES vacancies ON DELETE CASCADE,
	school_urn integer NOT NULL REFERENCES schools,
	PRIMARY KEY (vacancy_id, school_urn)
);
CREATE INDEX vacancy_schools_school_idx ON vacancy_schools (school_urn, vacancy_id);

-- The fixed list of subjects (secondary and post-16).
CREATE TABLE vacancy_subjects (
	value text PRIMARY KEY,
	label text NOT NULL,
	position integer NOT NULL
);
INSERT INTO vacancy_subjects (value, label, position) VALUES
	('art', 'Art and design', 1), ('biology', 'Biology', 2), ('business', 'Business studies', 3),
	('chemistry', 'Chemistry', 4), ('citizenship', 'Citizenship', 5),
	('classics', 'Classics', 6), ('computing', 'Computing', 7),
	('design_technology', 'Design and technology', 8), ('drama', 'Drama', 9),
	('economics', 'Economics', 10), ('english', 'English', 11),
	('food', 'Food technology', 12), ('french', 'French', 13), ('geography', 'Geography', 14),
	('german', 'German', 15), ('health_social_care', 'Health and social care', 16),
	('history', 'History', 17), ('law', 'Law', 18), ('mathematics', 'Mathematics', 19),
	('media', 'Media studies', 20), ('music', 'Music', 21),
	('physical_education', 'Physical education', 22), ('physics', 'Physics', 23),
	('psychology', 'Psychology', 24), ('religious_education', 'Religious education', 25),
	('science', 'Science', 26), ('sociology', 'Sociology', 27), ('spanish', 'Spanish', 28),
	('pshe', 'PSHE', 29), ('other', 'Other', 30);

CREATE FUNCTION vacancy_subjects_valid(s text[]) RETURNS boolean LANGUAGE sql STABLE AS
	$$ SELECT coalesce(bool_and(v IN (SELECT value FROM vacancy_subjects)), true) FROM unnest(s) v $$;
ALTER TABLE vacancies ADD CONSTRAINT vacancies_subjects_known CHECK (vacancy_subjects_valid(subjects));

-- Edits made to a live (published or scheduled) vacancy: who changed which fields, when.
CREATE TABLE vacancy_edits (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	vacancy_id bigint NOT NULL REFERENCES vacancies ON DELETE CASCADE,
	actor_id bigint REFERENCES users ON DELETE SET NULL,
	fields text[] NOT NULL,
	before jsonb NOT NULL,
	after jsonb NOT NULL,
	at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vacancy_edits_vacancy_idx ON vacancy_edits (vacancy_id, at);

-- Supporting documents (PDF or DOCX, checked by content), kept in the database under a random key.
CREATE TABLE vacancy_documents (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	vacancy_id bigint NOT NULL REFERENCES vacancies ON DELETE CASCADE,
	key text NOT NULL UNIQUE,               -- random, used in download URLs
	filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
	content_type text NOT NULL CHECK (content_type IN ('application/pdf',
		'application/vnd.openxmlformats-officedocument.wordprocessingml.document')),
	size integer NOT NULL CHECK (size > 0 AND size <= 10485760),
	data bytea NOT NULL,
	created_by bigint REFERENCES users ON DELETE SET NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vacancy_documents_vacancy_idx ON vacancy_documents (vacancy_id);

-- Full-text search: title and subjects weigh most (A), roles and school next (B), the rest (C).
CREATE FUNCTION vacancy_search_vector(v vacancies) RETURNS tsvector LANGUAGE sql STABLE AS $$
	SELECT setweight(to_tsvector('english', v.title), 'A') ||
	       setweight(to_tsvector('english', coalesce((SELECT string_agg(s.label, ' ')
			FROM vacancy_subjects s WHERE s.value = ANY (v.subjects)), '')), 'A') ||
	       setweight(to_tsvector('english', replace(array_to_string(v.job_roles, ' '), '_', ' ') ||
			' ' || coalesce((SELECT string_agg(sc.name || ' ' || coalesce(sc.town, ''), ' ')
			FROM schools sc WHERE sc.urn = v.school_urn), '')), 'B') ||
	       setweight(to_tsvector('english', v.description || ' ' || v.about_school || ' ' ||
			v.school_offers || ' ' || coalesce(v.pay_text, '')), 'C')
$$;

CREATE FUNCTION vacancies_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.search := vacancy_search_vector(NEW);
	RETURN NEW;
END
$$;
CREATE TRIGGER vacancies_search BEFORE INSERT OR UPDATE ON vacancies
	FOR EACH ROW EXECUTE FUNCTION vacancies_search_update();

CREATE INDEX vacancies_search_idx ON vacancies USING gin (search);
-- What public search reads: live vacancies by closing time (the default sort) and by newest.
CREATE INDEX vacancies_live_closes_idx ON vacancies (closes_at, id) WHERE status = 'published';
CREATE INDEX vacancies_live_newest_idx ON vacancies (published_at DESC, id) WHERE status = 'published';
CREATE INDEX vacancies_school_status_idx ON vacancies (school_urn, status);
CREATE INDEX vacancies_due_idx ON vacancies (publish_at) WHERE status = 'scheduled';
CREATE INDEX vacancies_roles_idx ON vacancies USING gin (job_roles);
CREATE INDEX vacancies_phases_idx ON vacancies USING gin (phases);
CREATE INDEX vacancies_subjects_idx ON vacancies USING gin (subjects);

-- Search synonyms, applied to the parsed query with ts_rewrite: each term also matches its
-- expansion (both as tsquery in the 'english' configuration).
CREATE TABLE search_synonyms (
	term tsquery NOT NULL,
	expansion tsquery NOT NULL
);
INSERT INTO search_synonyms (term, expansion) VALUES
	(to_tsquery('english', 'maths'), to_tsquery('english', 'maths | mathematics')),
	(to_tsquery('english', 'math'), to_tsquery('english', 'math | mathematics')),
	(to_tsquery('english', 'pe'), to_tsquery('english', 'pe | physical <-> education')),
	(to_tsquery('english', 'ta'), to_tsquery('english', 'ta | teaching <-> assistant')),
	(to_tsquery('english', 'senco'), to_tsquery('english', 'senco | special <-> educational <-> needs')),
	(to_tsquery('english', 're'), to_tsquery('english', 're | religious <-> education')),
	(to_tsquery('english', 'dt'), to_tsquery('english', 'dt | design <-> technology')),
	(to_tsquery('english', 'ict'), to_tsquery('english', 'ict | computing')),
	(to_tsquery('english', 'hlta'), to_tsquery('english', 'hlta | higher <-> level <-> teaching <-> assistant')),
	(to_tsquery('english', 'ect'), to_tsquery('english', 'ect | early <-> career <-> teacher | nqt'));
