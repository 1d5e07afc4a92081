-- 0014_school_profiles.sql - a school's profile, kept by its hiring managers at /school/profile
-- (backend/school_profile.c): what the school says about itself, shown on its page and copied
-- into each new job listing. Its website (schools.website, 0001) is kept there too. The
-- register's columns stay the seed's (backend/seed.c never writes these).

ALTER TABLE schools
	ADD COLUMN about text NOT NULL DEFAULT '' CHECK (char_length(about) <= 10000),
	ADD COLUMN profile_updated_at timestamptz;
