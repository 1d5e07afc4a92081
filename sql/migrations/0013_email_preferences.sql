-- 0013_email_preferences.sql - the optional emails an account has turned off on /account
-- (backend/email_preferences.c). Runs inside the migration's transaction.

-- The keys of the optional emails this account does not want (empty: it gets them all). Emails
-- about the account's security and a candidate's applications are not optional.
ALTER TABLE users ADD COLUMN email_opt_out text[] NOT NULL DEFAULT '{}'
	CHECK (email_opt_out <@ ARRAY['application_updates', 'listing_no_applications',
		'listing_closed', 'saved_job_closing', 'application_reminder']::text[]);
