-- 0016_listing_live_email.sql - a new optional email for school staff: when a scheduled job
-- listing goes live (backend/vacancy_mail.c), which an account may turn off on /account like
-- the others (0013).

ALTER TABLE users DROP CONSTRAINT users_email_opt_out_check,
	ADD CONSTRAINT users_email_opt_out_check CHECK (email_opt_out <@ ARRAY['application_updates',
		'listing_live', 'listing_no_applications', 'listing_closed', 'saved_job_closing',
		'application_reminder']::text[]);
