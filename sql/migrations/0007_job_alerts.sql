-- 0007_job_alerts.sql - job alerts: anyone may ask to be emailed, daily or weekly, the new
-- jobs that match a search (backend/job_alerts.c, job_alerts_send.c). Runs inside the
-- migration's transaction.

-- One alert: an address and a search. search is the search's query string as the search page
-- writes it (vacancy_search_url without "/vacancies?", no sort or page; '' for every job).
-- An alert sends nothing until the address is confirmed through the link emailed to it;
-- unconfirmed alerts are deleted after 7 days. matched_until: the jobs published up to then
-- have been considered (an email lists those published after it); next_run_at: when the alert
-- is next due (NULL until confirmed).
CREATE TABLE job_alerts (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
	search text NOT NULL CHECK (length(search) <= 4000),
	frequency text NOT NULL CHECK (frequency IN ('daily', 'weekly')),
	created_at timestamptz NOT NULL DEFAULT now(),
	confirmed_at timestamptz,
	matched_until timestamptz,
	next_run_at timestamptz,
	CHECK ((confirmed_at IS NULL) = (next_run_at IS NULL)),
	CHECK ((confirmed_at IS NULL) = (matched_until IS NULL))
);
CREATE INDEX job_alerts_due_idx ON job_alerts (next_run_at) WHERE next_run_at IS NOT NULL;
CREATE INDEX job_alerts_email_idx ON job_alerts (lower(email));
CREATE INDEX job_alerts_unconfirmed_idx ON job_alerts (created_at) WHERE confirmed_at IS NULL;

-- The links that manage an alert (confirm it, stop it): one per email sent, kept as the
-- SHA-256 of a random token (as user_tokens), so an old email's "stop" link keeps working
-- until it expires, and a copy of the database holds no usable link.
CREATE TABLE job_alert_tokens (
	token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	alert_id bigint NOT NULL REFERENCES job_alerts ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL
);
CREATE INDEX job_alert_tokens_alert_idx ON job_alert_tokens (alert_id);
CREATE INDEX job_alert_tokens_expiry_idx ON job_alert_tokens (expires_at);
