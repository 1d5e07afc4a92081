-- 0010_vacancy_views.sql - how many times people read each live vacancy's page, per day
-- (backend/vacancy_views.c), for its school. Runs inside the migration's transaction.

-- Views of vacancy_id's public page on `day` (Europe/London), added by each portal instance's
-- periodic job from its own in-memory counts. Only numbers: no one's identity or address.
CREATE TABLE vacancy_views (
	vacancy_id bigint NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
	day date NOT NULL,
	views bigint NOT NULL CHECK (views >= 0),
	PRIMARY KEY (vacancy_id, day)
);
