-- 0002_accounts.sql - people, roles, school memberships, sessions, single-use tokens, rate
-- limits, the audit log and the email outbox (issue 3). Runs inside the migration's transaction.

CREATE TABLE users (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email text NOT NULL CHECK (email ~ '^[^[:space:]@]+@[^[:space:]@]+$' AND length(email) <= 254),
	name text NOT NULL CHECK (name <> '' AND length(name) <= 200),
	role text NOT NULL CHECK (role IN ('candidate', 'school_staff', 'hr', 'admin')),
	password_hash text CHECK (password_hash LIKE '$argon2id$%'),  -- NULL until set
	verified_at timestamptz,     -- email address confirmed (candidates must before applying)
	disabled_at timestamptz,     -- set by HR/admin: cannot sign in
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
-- One account per address, whatever its case.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_role_idx ON users (role, lower(name));
CREATE TRIGGER users_touch BEFORE UPDATE ON users
	FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION touch_updated_at();

-- School staff serve one or more schools (a trust's), each as hiring manager or viewer.
CREATE TABLE school_memberships (
	user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	school_urn integer NOT NULL REFERENCES schools ON DELETE CASCADE,
	role text NOT NULL CHECK (role IN ('hiring_manager', 'viewer')),
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, school_urn)
);
CREATE INDEX school_memberships_school_idx ON school_memberships (school_urn);

-- Server-side sessions: the cookie holds a random token, the table only its SHA-256.
CREATE TABLE sessions (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	csrf_token text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	last_seen_at timestamptz NOT NULL DEFAULT now(),
	idle_timeout interval NOT NULL,         -- 30 minutes for staff and HR, 2 hours for candidates
	expires_at timestamptz NOT NULL,        -- absolute: created_at + 12 hours
	address text,
	user_agent text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Single-use tokens sent by email: verification, password reset, invitation, email change.
CREATE TABLE user_tokens (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'invitation',
		'change_email')),
	new_email text,                         -- change_email: the address being confirmed
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	used_at timestamptz
);
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, purpose);

-- Fixed-window counters for rate limits, shared by every portal instance.
CREATE TABLE rate_limits (
	key text PRIMARY KEY,                   -- e.g. 'login:addr:192.0.2.1', 'login:email:<hash>'
	window_start timestamptz NOT NULL,
	hits integer NOT NULL,
	strikes integer NOT NULL DEFAULT 0,     -- windows exceeded in a row: growing back-off
	blocked_until timestamptz
);

-- Who did what to what, from where. Never passwords, tokens or session ids.
CREATE TABLE audit_log (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT now(),
	actor_id bigint REFERENCES users ON DELETE SET NULL,
	actor_email text,                       -- kept when the account is deleted
	action text NOT NULL,
	object_type text,
	object_id text,
	address text,
	detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC);

-- Email waiting to be sent: written in the same transaction as the action that sends it.
CREATE TABLE outbox (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	to_address text NOT NULL,
	subject text NOT NULL,
	body text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	attempts integer NOT NULL DEFAULT 0,
	next_attempt_at timestamptz NOT NULL DEFAULT now(),
	sent_at timestamptz,
	last_error text
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE sent_at IS NULL;

-- Counts one hit against key in a fixed window of window_s seconds. Returns 0 when allowed,
-- else the seconds to wait. Passing the limit blocks the key for window_s * 2^strikes seconds
-- (at most an hour), strikes counting the blocks since the key was last quiet for an hour or
-- reset, so repeated offenders wait longer each time. Atomic under concurrent callers (the
-- row lock of INSERT ... ON CONFLICT).
CREATE FUNCTION rate_limit_hit(p_key text, p_limit integer, p_window_s integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	r rate_limits%ROWTYPE;
	win interval := make_interval(secs => p_window_s);
BEGIN
	INSERT INTO rate_limits AS t (key, window_start, hits) VALUES (p_key, now(), 0)
	ON CONFLICT (key) DO UPDATE SET key = t.key
	RETURNING * INTO r;
	IF r.blocked_until IS NOT NULL AND r.blocked_until > now() THEN
		RETURN greatest(1, ceil(extract(epoch FROM r.blocked_until - now()))::integer);
	END IF;
	IF r.window_start + win <= now() THEN
		IF coalesce(r.blocked_until, r.window_start) + interval '1 hour' <= now() THEN
			r.strikes := 0;
		END IF;
		r.window_start := now();
		r.hits := 0;
	END IF;
	r.hits := r.hits + 1;
	IF r.hits > p_limit THEN
		r.blocked_until := now() + least(win * power(2, r.strikes), interval '1 hour');
		r.strikes := r.strikes + 1;
		r.window_start := now();
		r.hits := 0;
	END IF;
	UPDATE rate_limits SET window_start = r.window_start, hits = r.hits, strikes = r.strikes,
		blocked_until = r.blocked_until WHERE key = p_key;
	IF r.blocked_until IS NOT NULL AND r.blocked_until > now() THEN
		RETURN greatest(1, ceil(extract(epoch FROM r.blocked_until - now()))::integer);
	END IF;
	RETURN 0;
END
$$;
