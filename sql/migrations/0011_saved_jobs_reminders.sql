-- 0011_saved_jobs_reminders.sql - reminding candidates of saved jobs that close soon
-- (backend/saved_jobs_reminders.c). Runs inside the migration's transaction.

-- When the candidate was reminded that this saved job closes soon (NULL: not yet): each saved
-- job is reminded of once.
ALTER TABLE saved_vacancies ADD COLUMN reminder_sent_at timestamptz;
