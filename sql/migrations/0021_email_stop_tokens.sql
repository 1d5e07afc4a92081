-- 0021_email_stop_tokens.sql - every optional email (the reminders and notices an account may
-- turn off on /account) carries a link of its own that turns that email off for its account
-- without signing in, also sent as its one-click List-Unsubscribe address (RFC 8058;
-- backend/email_stop.c). Only the SHA-256 of a link's token is kept, as for job alerts' links.
-- Runs inside the migration's transaction.

CREATE TABLE email_stop_tokens (
	token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	email_key text NOT NULL CHECK (email_key = ANY (ARRAY['application_updates',
		'application_summary', 'listing_live', 'listing_no_applications', 'listing_closed',
		'saved_job_closing', 'application_reminder']::text[])),
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL
);
CREATE INDEX email_stop_tokens_user_idx ON email_stop_tokens (user_id);
CREATE INDEX email_stop_tokens_expiry_idx ON email_stop_tokens (expires_at);
