-- 0001_schools.sql - the directory of Thurrock's state-funded schools, seeded from the public
-- register (../shared/data/thurrock_schools.csv, `portal seed`). Unknown values are NULL, never
-- empty strings. Runs inside the migration's transaction (see backend/core/migrate.c).

-- Sets updated_at on every UPDATE that changes the row; shared by later tables' triggers.
CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END
$$;

CREATE TABLE schools (
	urn integer PRIMARY KEY CHECK (urn > 0),    -- unique reference number of the register
	name text NOT NULL CHECK (name <> ''),
	phase text NOT NULL CHECK (phase IN ('nursery', 'primary', 'secondary', 'all-through',
		'post-16', 'special', 'alternative-provision')),
	type text CHECK (type <> ''),               -- e.g. "Academy converter"
	town text CHECK (town <> ''),
	postcode text CHECK (postcode ~ '^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$'),
	trust text CHECK (trust <> ''),             -- NULL: unknown or none
	religious_character text CHECK (religious_character <> ''),
	website text CHECK (website ~ '^https?://[^[:space:]]+$'),  -- rendered as a link
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE schools IS 'State-funded schools of Thurrock, seeded from the register.';

-- The directory lists by name, filtered by phase and/or town.
CREATE INDEX schools_name_idx ON schools (name, urn);
CREATE INDEX schools_phase_name_idx ON schools (phase, name);
CREATE INDEX schools_town_name_idx ON schools (town, name);

CREATE TRIGGER schools_touch BEFORE UPDATE ON schools
	FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW)
	EXECUTE FUNCTION touch_updated_at();
