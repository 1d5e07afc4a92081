-- 0012_vacancy_reminders.sql - reminders about a live vacancy sent to its school
-- (backend/vacancy_reminders.c). Runs inside the migration's transaction.

-- That reminder `kind` about vacancy_id was sent (at sent_at): each is sent once. A table of
-- its own, so that sending one changes nothing of the vacancy (its updated_at included).
CREATE TABLE vacancy_reminders (
	vacancy_id bigint NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
	kind text NOT NULL CHECK (kind IN ('no_applications')),
	sent_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (vacancy_id, kind)
);
