#!/usr/bin/env bash
# Applications benchmark (`make bench`): submitting applications through the portal against
# PostgreSQL running the very statements the portal runs for it, and the school's list of a
# vacancy's applications, on a throw-away database (pg_virtualenv with fsync on,
# synchronous_commit on) on loopback.
#
#  1. migrate, seed the schools and three live vacancies (`portal seed --vacancies 3`), a hiring
#     manager of their schools, and DRAFTS + SQL_POOL candidates, each with a complete draft
#     application: the portal's to the first vacancy, each signed in; pgbench's to the second,
#     its 32 clients each signed in as one of them. Every session was seen a moment ago, as a
#     candidate's who has just read the review page (so that the session lookup writes nothing
#     on either side: core/session.c writes last_seen_at at most once a minute);
#  2. submit: one draft submitted through the portal (curl: 303, submitted, two emails queued)
#     gives pgbench the emails' text; then `pgbench -M prepared -n -c 32 -j 2 -T 10` running,
#     per transaction, every statement the portal runs for POST /account/applications/{id}/submit
#     in its order and transactions, each prepared as the portal prepares it (core/db_prepared.c):
#     the session lookup (core/session.c: every signed-in request), the application's load
#     (applications.c), then one transaction - the lock, which also reads the hiring managers'
#     addresses, the UPDATE, the candidate's and the manager's emails into the outbox
#     (core/mail.c), the status_events row (status_events.c) - see submit.sql below; against
#     `wrk -t2 -c32` over TLS with keep-alive (tests/bench/applications.lua), each request
#     POSTing .../submit for a different draft as its own candidate, 2 s warm-up and 10 s
#     measured. Target: the portal's submissions/s at least 0.7 of pgbench's transactions/s;
#  3. the school's list: 500 submitted applications (with their equal-opportunities answers)
#     to the third vacancy, the hiring manager's GET /school/vacancies/{id}/applications with
#     `wrk -t1 -c2` (a page's own latency, not a queue behind 32 connections), 2 s warm-up and
#     10 s measured. Target: p99 under 20 ms.
# The portal gets 32 threads and a pool of 32 database connections, as pgbench has 32 clients.
# Exit status 0 when every target is met, 1 when one is missed or something fails. About a
# minute. Stops everything it started (also on Ctrl-C).
# Usage: tests/bench/applications.sh PORTAL_BIN (a normal build, not SANITIZE=1)
set -euo pipefail
shopt -s inherit_errexit
export LC_ALL=C

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/bench/lib.sh
. "$root/tests/bench/lib.sh"
# Drafts: more than 12 s of wrk and 10 s of pgbench submit here (about 17,000 and 20,000; a run
# that submits every one fails, asking for more); 60,000 in all, as before, so that the tables
# stay within pg_virtualenv's 128 MB of shared_buffers (the applications about 95 MB).
drafts=30000        # the portal's (the first is curl's)
sql_pool=30000      # pgbench's
listed=500
clients=32          # wrk's connections, pgbench's clients, the portal's threads and pool
min_ratio=0.7
max_p99=20

# pg_virtualenv turns fsync off; commits here must reach the disk, as in production.
bench_virtualenv "$root/tests/bench/applications.sh" "-o fsync=on" \
	"wrk pgbench psql openssl curl python3" "$@"
portal=$1
cd "$root"
bench_scratch portal-applications-bench

# pg_virtualenv sets PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE: an empty URL uses them.
export DATABASE_URL=postgresql://
export PGOPTIONS="-c synchronous_commit=on"

# Runs SQL from standard input, stopping at the first error.
sql() {
	psql -X -q -v ON_ERROR_STOP=1 "$@" >>"$tmp/setup.log" 2>&1 ||
		{ cat "$tmp/setup.log" >&2; bench_fail "SQL failed"; }
}

# Prints the one value of a query.
value() {
	psql -X -q -A -t -c "$1"
}

bench_portal migrate
bench_portal seed
bench_portal seed --vacancies 3
[ "$(value "SHOW fsync")" = on ] || bench_fail "fsync is off"
[ "$(value "SHOW synchronous_commit")" = on ] || bench_fail "synchronous_commit is off"

echo "bench: seeding $drafts candidates with a draft each, $sql_pool for pgbench, $listed submitted applications"
# bench_people: candidate n (1..drafts+sql_pool), their user, their draft; the portal submits
# drafts 1..drafts to the first vacancy, pgbench the rest (second vacancy), and candidates
# 1..listed also have a submitted application to the third.
sql -v drafts="$drafts" -v total="$((drafts + sql_pool))" -v listed="$listed" \
	-v clients="$clients" <<'EOF'
SELECT id AS v_portal FROM vacancies WHERE status = 'published' ORDER BY id LIMIT 1 \gset
SELECT id AS v_sql FROM vacancies WHERE status = 'published' ORDER BY id OFFSET 1 LIMIT 1 \gset
SELECT id AS v_list FROM vacancies WHERE status = 'published' ORDER BY id OFFSET 2 LIMIT 1 \gset
UPDATE vacancies SET closes_at = now() + interval '30 days'
	WHERE id IN (:v_portal, :v_sql, :v_list);
CREATE TABLE bench_vacancies (name text PRIMARY KEY, id bigint NOT NULL);
INSERT INTO bench_vacancies VALUES ('portal', :v_portal), ('sql', :v_sql), ('list', :v_list);

-- The hiring manager of the three vacancies' schools, signed in (cookie token
-- "benchmanager" padded with zeros to 43 characters).
INSERT INTO users (email, name, role, verified_at)
	VALUES ('bench-manager@example.org', 'Bench Manager', 'school_staff', now())
	RETURNING id AS manager \gset
INSERT INTO school_memberships (user_id, school_urn, role)
	SELECT DISTINCT :manager, school_urn, 'hiring_manager' FROM vacancies
	WHERE id IN (:v_portal, :v_sql, :v_list);
INSERT INTO sessions (token_hash, user_id, csrf_token, idle_timeout, expires_at)
	VALUES (sha256(convert_to(rpad('benchmanager', 43, '0'), 'UTF8')), :manager,
		rpad('csrfmanager', 43, '0'), interval '30 minutes', now() + interval '12 hours');

CREATE TABLE bench_people (n integer PRIMARY KEY, user_id bigint NOT NULL,
	application_id bigint);
WITH u AS (INSERT INTO users (email, name, role, verified_at)
	SELECT 'bench-' || i || '@example.org', 'Bench Candidate ' || i, 'candidate', now()
	FROM generate_series(1, :total) i RETURNING id, email)
INSERT INTO bench_people (n, user_id)
	SELECT split_part(substr(email, 7), '@', 1)::integer, id FROM u;

-- Complete answers in every section, as a candidate who filled in the whole form has.
\set answers '{"personal": {"first_name": "Ada", "last_name": "Candidate", "previous_names": "", "address_line1": "1 High Street", "address_line2": "", "town": "Grays", "postcode": "RM17 6XX", "phone": "07700 900123", "email": "", "ni_number": "", "right_to_work": "yes"}, "professional": {"qts": "yes", "qts_expected": "", "trn": "1234567", "induction": "passed"}, "qualifications": [{"level": "degree", "subject": "Mathematics", "grade": "2:1", "institution": "University of Essex", "year": "2015"}], "training": [], "employment": [{"employer": "Gable Hall School", "role": "Teacher of mathematics", "start": "2015-09", "end": "", "current": true, "duties": "Teaching KS3 and KS4 mathematics.", "reason_for_leaving": ""}], "employment_gaps": {}, "statement": {"statement": "I have taught mathematics for ten years and would love to join your school."}, "referees": [{"name": "Rita Referee", "job_title": "Headteacher", "organisation": "Gable Hall School", "relationship": "Line manager", "email": "rita@example.org", "phone": "", "current_employer": "yes", "contact_before": false}, {"name": "Sam Second", "job_title": "Head of department", "organisation": "Ockendon Academy", "relationship": "Former colleague", "email": "sam@example.org", "phone": "", "current_employer": "no", "contact_before": true}], "religion": {"following_religion": "no", "faith": "", "place_of_worship": "", "religious_referee": "", "ethos": "I support the ethos of the school."}, "support": {"needs_support": "no", "support_details": ""}, "declarations": {"close_relationships": "no", "close_relationships_details": "", "criminal_record": "no", "criminal_record_details": "", "right_to_work_confirmed": true, "accurate": true}}'
\set sections '{personal,professional,qualifications,training,employment,statement,referees,religion,support,declarations,equal_opps}'
WITH a AS (INSERT INTO applications (vacancy_id, candidate_id, data, completed)
	SELECT CASE WHEN p.n <= :drafts THEN :v_portal ELSE :v_sql END, p.user_id,
		jsonb_set(:'answers'::jsonb, '{personal,email}', to_jsonb(u.email)), :'sections'
	FROM bench_people p JOIN users u ON u.id = p.user_id ORDER BY p.n
	RETURNING id, candidate_id)
UPDATE bench_people p SET application_id = a.id FROM a WHERE a.candidate_id = p.user_id;
INSERT INTO status_events (entity, entity_id, to_status, event, actor_id)
	SELECT 'application', application_id, 'draft', 'create', user_id FROM bench_people;

-- The portal's candidates are signed in: cookie token "bench<n>", CSRF token "csrf<n>", both
-- padded with zeros to 43 characters; so are pgbench's first clients' candidates (one session
-- per client, token "pgbench<n>"). Each was seen a moment ago, as a candidate's who has just
-- read the review page: last_seen_at ten minutes ahead, so that none falls due (a minute old)
-- before the benchmark ends and the lookup writes nothing on either side.
INSERT INTO sessions (token_hash, user_id, csrf_token, idle_timeout, expires_at, last_seen_at)
	SELECT sha256(convert_to(CASE WHEN n <= :drafts THEN 'bench' ELSE 'pgbench' END
			|| lpad(n::text, 38, '0'), 'UTF8')), user_id,
		'csrf' || lpad(n::text, 39, '0'), interval '2 hours', now() + interval '12 hours',
		now() + interval '10 minutes'
	FROM bench_people WHERE n <= :drafts + :clients;

-- The school's list: submitted applications of candidates 1..listed to the third vacancy,
-- each with its equal-opportunities answers (every submitted application has them), varied so
-- that the totals have many answers to count.
WITH a AS (INSERT INTO applications (vacancy_id, candidate_id, status, data, completed,
		submitted_at, status_changed_at)
	SELECT :v_list, p.user_id, 'submitted',
		jsonb_set(:'answers'::jsonb, '{personal,last_name}', to_jsonb('Candidate ' || p.n)),
		:'sections', now() - p.n * interval '1 minute', now() - p.n * interval '1 minute'
	FROM bench_people p WHERE p.n <= :listed RETURNING id, candidate_id),
e AS (INSERT INTO application_equal_opps (application_id, disability, age_band, sex,
		gender_identity, sexual_orientation, ethnicity, religion)
	SELECT id, (ARRAY['yes', 'no', 'prefer_not_to_say'])[1 + id % 3],
		(ARRAY['under_25', '25_29', '30_39', '40_49', '50_59', '60_plus',
			'prefer_not_to_say'])[1 + id / 3 % 7],
		(ARRAY['female', 'male', 'prefer_not_to_say'])[1 + id / 5 % 3],
		(ARRAY['yes', 'no', 'prefer_not_to_say'])[1 + id / 7 % 3],
		(ARRAY['heterosexual', 'gay_lesbian', 'bisexual', 'other',
			'prefer_not_to_say'])[1 + id / 11 % 5],
		(ARRAY['asian', 'black', 'mixed', 'white', 'other', 'prefer_not_to_say'])[1 + id / 13 % 6],
		(ARRAY['none', 'buddhist', 'christian', 'hindu', 'jewish', 'muslim', 'sikh', 'other',
			'prefer_not_to_say'])[1 + id / 17 % 9]
	FROM a)
INSERT INTO status_events (entity, entity_id, from_status, to_status, event, actor_id)
	SELECT 'application', id, 'draft', 'submitted', 'submit', candidate_id FROM a;
VACUUM ANALYZE;
EOF

v_portal=$(value "SELECT id FROM bench_vacancies WHERE name = 'portal'")
v_sql=$(value "SELECT id FROM bench_vacancies WHERE name = 'sql'")
v_list=$(value "SELECT id FROM bench_vacancies WHERE name = 'list'")
# pgbench's draft j (0..sql_pool-1) is application first_id + j.
first_id=$(value "SELECT application_id FROM bench_people WHERE n = $drafts + 1")
consecutive=$(value "SELECT bool_and(application_id = $first_id + n - $drafts - 1)
	FROM bench_people WHERE n > $drafts")
[ "$consecutive" = t ] || bench_fail "pgbench's drafts do not have consecutive ids"
# Every submission emails the candidate and each hiring manager of the school: the bench
# manager, the only one of both vacancies' schools (pgbench writes one manager's email).
managers=$(value "SELECT string_agg(DISTINCT (SELECT count(*) FROM school_memberships m
	JOIN users u ON u.id = m.user_id WHERE m.school_urn = v.school_urn
	AND m.role = 'hiring_manager' AND u.disabled_at IS NULL)::text, ' ')
	FROM vacancies v WHERE v.id IN ($v_portal, $v_sql)")
[ "$managers" = 1 ] || bench_fail "the vacancies' schools have $managers hiring managers, not 1"
# Candidate 1's draft is curl's; the others' are wrk's.
psql -X -q -A -t -F ' ' -c "SELECT application_id, 'bench' || lpad(n::text, 38, '0'),
	'csrf' || lpad(n::text, 39, '0') FROM bench_people WHERE n <= $drafts ORDER BY n" \
	>"$tmp/drafts.txt"
read -r probe_id probe_token probe_csrf <"$tmp/drafts.txt"
sed -i 1d "$tmp/drafts.txt"

bench_serve "$clients" PORTAL_POOL_SIZE="$clients"
manager_cookie="Cookie: __Host-session=$(printf 'benchmanager%031d' 0)"
list_path=/school/vacancies/$v_list/applications
status=$(curl -ks -o /dev/null -w '%{http_code}' -H "$manager_cookie" "$base$list_path")
[ "$status" = 200 ] || bench_fail "$list_path answered $status"

# One submission through the portal: it must work, and its two emails are what pgbench
# writes into the outbox (the candidate's first, then the manager's).
mail_before=$(value "SELECT coalesce(max(id), 0) FROM outbox")
status=$(curl -ks -o /dev/null -w '%{http_code}' -H "Cookie: __Host-session=$probe_token" \
	--data "csrf_token=$probe_csrf" "$base/account/applications/$probe_id/submit")
[ "$status" = 303 ] || bench_fail "POST /account/applications/$probe_id/submit answered $status"
[ "$(value "SELECT status FROM applications WHERE id = $probe_id")" = submitted ] ||
	bench_fail "application $probe_id was not submitted"
read -r -a mails <<<"$(value "SELECT string_agg(id::text, ' ' ORDER BY id) FROM outbox
	WHERE id > $mail_before")"
[ "${#mails[@]}" -eq 2 ] || bench_fail "the submission queued ${#mails[@]} emails, not 2"

# submit.sql: what the portal runs for one submission, statement for statement, with pgbench's
# variables where it binds parameters (:name; the same text, e.g. 'submitted', where it binds
# a constant). Each client's first transaction first reads its session token and the emails'
# text and constants into variables (\gset); every transaction then takes the next of its own
# drafts (client c: drafts c, c + 32, ...: no two transactions lock the same row, as no two
# wrk requests do) and runs:
#  - session_load (core/session.c), its row into s_* variables (s_user_id: the actor);
#  - application_load (applications.c: SQL_WHEN/DAY/ISO of core/db.h). Its to_char formats
#    hold ":MI" and ":SS", which pgbench -M prepared would take for variables (and fail): they
#    are written 'HH24' || chr(58) || 'MI' and so on, which PostgreSQL folds into the very
#    same constant when it plans the statement - the statement's work is the same;
#  - BEGIN, application_lock, application_update, mail_enqueue twice (core/mail.c),
#    status_event_insert (status_events.c), COMMIT (application_lifecycle.c,
#    candidate_transition). The portal binds NULL as the reason: pgbench cannot bind a NULL,
#    so it is written NULL. BEGIN and COMMIT run prepared too, where the portal sends them as
#    simple queries: the same commands, no planning either way.
# Keep it in step with those files.
day="'FMDD FMMonth YYYY'"
iso="'YYYY-MM-DD\"T\"HH24' || chr(58) || 'MI' || chr(58) || 'SS\"Z\"'"
cat >"$tmp/submit.sql" <<EOF
\if :k = 0
SELECT s.token_hash, c.to_address AS candidate_to, c.subject AS candidate_subject,
	c.body AS candidate_body, m.to_address AS manager_to, m.subject AS manager_subject,
	m.body AS manager_body, c.attachments, 'application' AS entity, 'draft' AS from_status,
	'submitted' AS to_status, 'submit' AS event, '{}' AS detail
	FROM sessions s, outbox c, outbox m
	WHERE s.user_id = (SELECT user_id FROM bench_people WHERE n = $drafts + 1 + :client_id)
	AND c.id = ${mails[0]} AND m.id = ${mails[1]} \gset
\endif
\set id $first_id + (:client_id + $clients * :k) % $sql_pool
\set k :k + 1
WITH s AS (SELECT s.id, s.csrf_token, u.id AS user_id, u.email, u.name, u.role,
	u.verified_at IS NOT NULL AS verified,
	s.last_seen_at < now() - interval '1 minute' AS due
	FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = :token_hash
	AND u.disabled_at IS NULL AND s.expires_at > now()
	AND s.last_seen_at + s.idle_timeout > now()),
seen AS (UPDATE sessions x SET last_seen_at = now() FROM s WHERE x.id = s.id AND s.due)
SELECT id, csrf_token, user_id, email, name, role, verified FROM s \gset s_
SELECT a.id, a.vacancy_id, coalesce(a.candidate_id, 0), a.status, v.status, v.school_urn,
	s.religious_character, (v.status = 'published' AND v.closes_at > now()),
	a.data, to_json(a.completed), v.title, s.name,
	to_char((v.closes_at) AT TIME ZONE 'UTC', $iso),
	(to_char((v.closes_at) AT TIME ZONE 'Europe/London', $day) || ', ' ||
		govuk_time(v.closes_at)),
	to_char((a.created_at) AT TIME ZONE 'Europe/London', $day),
	(to_char((a.updated_at) AT TIME ZONE 'Europe/London', $day) || ', ' ||
		govuk_time(a.updated_at)),
	coalesce(to_char((a.submitted_at) AT TIME ZONE 'UTC', $iso), ''),
	coalesce((to_char((a.submitted_at) AT TIME ZONE 'Europe/London', $day) || ', ' ||
		govuk_time(a.submitted_at)), ''),
	(to_char((a.status_changed_at) AT TIME ZONE 'Europe/London', $day) || ', ' ||
		govuk_time(a.status_changed_at)),
	coalesce(a.withdrawn_reason, ''), a.anonymised_at IS NOT NULL,
	trim(coalesce(a.data #>> '{personal,first_name}', '') || ' ' ||
	coalesce(a.data #>> '{personal,last_name}', ''))
	FROM applications a JOIN vacancies v ON v.id = a.vacancy_id
	JOIN schools s ON s.urn = v.school_urn WHERE a.id = :id::bigint;
BEGIN;
SELECT a.status, (v.status = 'published' AND v.closes_at > now()),
	coalesce(a.candidate_id, 0), coalesce(u.email, ''),
	coalesce(a.data #>> '{personal,first_name}', ''),
	coalesce(a.data #>> '{personal,last_name}', ''), v.title, s.name,
	coalesce(u.name, ''), (SELECT coalesce(json_agg(mu.email ORDER BY mu.id), '[]')
	FROM school_memberships m JOIN users mu ON mu.id = m.user_id
	WHERE m.school_urn = v.school_urn AND m.role = 'hiring_manager'
	AND mu.disabled_at IS NULL)
	FROM applications a JOIN vacancies v ON v.id = a.vacancy_id
	JOIN schools s ON s.urn = v.school_urn LEFT JOIN users u ON u.id = a.candidate_id
	WHERE a.id = :id::bigint FOR UPDATE OF a FOR SHARE OF v;
UPDATE applications SET status = :to_status,
	status_changed_at = CASE WHEN status = :to_status THEN status_changed_at ELSE now() END,
	submitted_at = CASE WHEN :to_status = 'submitted' THEN now() ELSE submitted_at END,
	withdrawn_reason = CASE WHEN :to_status = 'withdrawn' THEN NULL ELSE withdrawn_reason END
	WHERE id = :id::bigint;
INSERT INTO outbox (to_address, subject, body, attachments)
	VALUES (:candidate_to, :candidate_subject, :candidate_body, :attachments::jsonb) RETURNING id;
INSERT INTO outbox (to_address, subject, body, attachments)
	VALUES (:manager_to, :manager_subject, :manager_body, :attachments::jsonb) RETURNING id;
INSERT INTO status_events (entity, entity_id, from_status, to_status, event, actor_id,
	reason, detail) VALUES (:entity, :id::bigint, :from_status, :to_status, :event,
	NULLIF(:s_user_id::bigint, 0), NULL, :detail::jsonb);
COMMIT;
EOF

echo "bench: submit: pgbench -M prepared -c $clients -j 2 -T 10, wrk -t2 -c$clients -d10s" \
	"--latency over TLS; list: wrk -t1 -c2; on loopback, fsync and synchronous_commit on," \
	"$(nproc) CPUs shared by all"
m=$(bench_pgbench "$tmp/submit.sql" "$clients" 10 -M prepared -D k=0)
read -r sql_tps _ sql_failed <<<"$m"
[ "$sql_failed" -eq 0 ] || bench_fail "pgbench: $sql_failed failed transactions"
left=$(value "SELECT count(*) FROM applications WHERE vacancy_id = $v_sql AND status = 'draft'")
[ "$left" -gt 0 ] || bench_fail "pgbench submitted every draft of its own: raise sql_pool in $0"

export BENCH_DRAFTS=$tmp/drafts.txt BENCH_OFFSET=$tmp/offset.txt BENCH_THREADS=2
wrk_opts=(-t2 -c"$clients" -s "$root/tests/bench/applications.lua")
m=$(bench_wrk "$base/" 2s 10s) || bench_fail "wrk failed against the submissions"
read -r rps submit_p99 submit_errors <<<"$m"
left=$(value "SELECT count(*) FROM applications WHERE vacancy_id = $v_portal AND status = 'draft'")
[ "$left" -gt 0 ] || bench_fail "every draft was submitted: raise drafts in $0"
submitted=$(value "SELECT count(*) FROM applications WHERE vacancy_id = $v_portal AND status = 'submitted'")

wrk_opts=(-t1 -c2 -H "$manager_cookie")
m=$(bench_wrk "$base$list_path" 2s 10s) || bench_fail "wrk failed against $list_path"
read -r list_rps list_p99 list_errors <<<"$m"

failed=0
ratio=$(awk -v a="$rps" -v b="$sql_tps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
result=ok
if [ "$submit_errors" -ne 0 ]; then
	result="errors ($submit_errors)"
elif ! awk -v r="$ratio" -v m="$min_ratio" 'BEGIN { exit !(r >= m) }'; then
	result="below target"
fi
[ "$result" = ok ] || failed=$((failed + 1))
printf '%-44s %11s %8s %10s %7s  %-14s %s\n' what "per second" "p99 ms" "SQL tx/s" "x SQL" target result
printf '%-44s %11.0f %8.2f %10.0f %7s  %-14s %s\n' "submit (POST .../submit, $submitted in all)" \
	"$rps" "$submit_p99" "$sql_tps" "$ratio" ">= $min_ratio" "$result"
result=ok
if [ "$list_errors" -ne 0 ]; then
	result="errors ($list_errors)"
elif ! awk -v p="$list_p99" -v mp="$max_p99" 'BEGIN { exit !(p < mp) }'; then
	result="below target"
fi
[ "$result" = ok ] || failed=$((failed + 1))
printf '%-44s %11.0f %8.2f %10s %7s  %-14s %s\n' "school list ($listed applications)" \
	"$list_rps" "$list_p99" "" "" "p99 < $max_p99 ms" "$result"

echo
[ "$failed" -eq 0 ] || bench_missed "$failed of 2 application targets missed"
echo "bench: every application target met"
