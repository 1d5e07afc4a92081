-- 0008_saved_jobs.sql - a candidate's saved jobs: live vacancies kept on a list to come back to
-- (backend/saved_jobs.c). Runs inside the migration's transaction.

-- One saved job. A job can be saved only while it is live; it stays on the list when it
-- closes (shown as closed) until the candidate removes it. Deleting the account deletes the
-- list; a vacancy is never deleted once published, so its saves are never orphaned.
CREATE TABLE saved_vacancies (
	user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	vacancy_id bigint NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
	saved_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, vacancy_id)
);
CREATE INDEX saved_vacancies_vacancy_idx ON saved_vacancies (vacancy_id);
