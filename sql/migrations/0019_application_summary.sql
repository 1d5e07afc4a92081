-- 0019_application_summary.sql - a hiring manager of a busy school may ask for one email each
-- morning summing up the day before's applications and withdrawals instead of an email for
-- each (backend/application_summary.c). Unlike the emails of email_opt_out (on until turned
-- off), such a choice is off until turned on: email_opt_in holds the keys an account turned
-- on. application_summary_until is the end of the time the last summary covered (or when the
-- summary was turned on): the next one starts there.

ALTER TABLE users ADD COLUMN email_opt_in text[] NOT NULL DEFAULT '{}'
		CHECK (email_opt_in <@ ARRAY['application_summary']::text[]),
	ADD COLUMN application_summary_until timestamptz;
