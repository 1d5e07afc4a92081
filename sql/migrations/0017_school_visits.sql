-- 0017_school_visits.sql - how a candidate can arrange to visit the school before applying
-- (who to ask, when visits are offered), set on a listing's contact step and shown on the
-- listing under "Visiting the school". Empty means the listing says nothing about visits, which
-- is what existing listings said.

ALTER TABLE vacancies ADD COLUMN school_visits text NOT NULL DEFAULT ''
	CHECK (length(school_visits) <= 1000);
