-- 0022_kept_forms.sql - a form sent after its session ended (30 minutes without a request for
-- staff) is kept rather than lost: the url-encoded fields as sent (without the CSRF token),
-- for the account of the ended session only, until it signs in again and sends them on from
-- /account/kept-form (backend/core/kept_form.c, backend/kept_form_page.c). Kept for 2 hours;
-- only the SHA-256 of the link's token is stored. Runs inside the migration's transaction.

CREATE TABLE kept_forms (
	token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	path text NOT NULL CHECK (path LIKE '/%' AND length(path) <= 200),
	fields text NOT NULL CHECK (length(fields) <= 524288),
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL
);
CREATE INDEX kept_forms_user_idx ON kept_forms (user_id, created_at);
CREATE INDEX kept_forms_expiry_idx ON kept_forms (expires_at);
