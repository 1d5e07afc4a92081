#!/usr/bin/env bash
# Applications benchmark (`make bench`): submitting applications through the portal against
# PostgreSQL running the same statements, and the school's list of a vacancy's applications, on
# a throw-away database (pg_virtualenv with fsync on, synchronous_commit on) on loopback.
#
#  1. migrate, seed the schools and three live vacancies (`portal seed --vacancies 3`), a hiring
#     manager of their schools, and DRAFTS candidates, each with a signed-in session and a
#     complete draft application to the first vacancy;
#  2. submit: `wrk -t2 -c32` over TLS with keep-alive (tests/bench/applications.lua), each
#     request POSTing /account/applications/{id}/submit for a different draft as its own
#     candidate - one transaction each: lock, update, the candidate's and the manager's emails
#     into the outbox, a status_events row - 2 s warm-up and 10 s measured; against
#     `pgbench -n -c 32 -j 2 -T 10` running those statements (the lock query with the
#     managers' addresses, the UPDATE, two outbox INSERTs, the status_events INSERT) in one
#     transaction each. Target: the portal's submissions/s at least 0.7 of pgbench's
#     transactions/s. (pgbench sends them in its default simple protocol, parsed and planned
#     every time, where the portal runs most of them as prepared statements; the portal also
#     runs the session lookup and the application's load, which pgbench leaves out);
#  3. the school's list: 500 submitted applications (with their equal-opportunities answers)
#     to the third vacancy, the hiring manager's GET /school/vacancies/{id}/applications with
#     `wrk -t1 -c2` (a page's own latency, not a queue behind 32 connections), 2 s warm-up and
#     10 s measured. Target: p99 under 20 ms.
# The portal gets a pool of 32 database connections, as pgbench has 32 clients.
# Exit status 0 when every target is met, 1 when one is missed or something fails. About a
# minute. Stops everything it started (also on Ctrl-C).
# Usage: tests/bench/applications.sh PORTAL_BIN (a normal build, not SANITIZE=1)
set -euo pipefail
shopt -s inherit_errexit
export LC_ALL=C

root=$(cd "$(dirname "$0")/../.." && pwd)
drafts=40000        # portal submissions available: far more than 12 s can use
sql_pool=20000      # drafts pgbench cycles through (its statements cost the same either way)
listed=500
threads=32
min_ratio=0.7
max_p99=20

if [ -z "${APPLICATIONS_BENCH_INNER:-}" ]; then
	if [ $# -ne 1 ]; then
		echo "usage: tests/bench/applications.sh PORTAL_BIN" >&2
		exit 2
	fi
	for tool in wrk pgbench psql pg_virtualenv openssl curl python3; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "bench: $tool is missing" >&2
			exit 1
		fi
	done
	portal=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
	# The inner run writes "missed" here when a target is missed and exits 0, so that
	# pg_virtualenv prints the server log only when something actually failed.
	APPLICATIONS_BENCH_RESULT=$(mktemp -t portal-applications-bench.XXXXXX)
	trap 'rm -f "$APPLICATIONS_BENCH_RESULT"' EXIT
	export APPLICATIONS_BENCH_INNER=1 APPLICATIONS_BENCH_RESULT
	# pg_virtualenv turns fsync off; commits here must reach the disk, as in production.
	pg_virtualenv -o fsync=on -t bash "$root/tests/bench/applications.sh" "$portal"
	if grep -q missed "$APPLICATIONS_BENCH_RESULT"; then
		exit 1
	fi
	exit 0
fi

portal=$1
cd "$root"
tmp=$(mktemp -d -t portal-applications-bench.XXXXXX)
server=""

# Stops the portal if it runs and removes the scratch files.
cleanup() {
	if [ -n "$server" ]; then
		kill "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck source=tests/bench/lib.sh
. "$root/tests/bench/lib.sh"

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

for cmd in migrate seed; do
	"$portal" "$cmd" >>"$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log" >&2; bench_fail "portal $cmd failed"; }
done
"$portal" seed --vacancies 3 >>"$tmp/setup.log" 2>&1 ||
	{ cat "$tmp/setup.log" >&2; bench_fail "portal seed --vacancies 3 failed"; }
[ "$(value "SHOW fsync")" = on ] || bench_fail "fsync is off"
[ "$(value "SHOW synchronous_commit")" = on ] || bench_fail "synchronous_commit is off"

echo "bench: seeding $drafts candidates with a draft each, $sql_pool for pgbench, $listed submitted applications"
# bench_people: candidate n (1..drafts+sql_pool), their user, their draft; the portal submits
# drafts 1..drafts to the first vacancy, pgbench the rest (second vacancy), and candidates
# 1..listed also have a submitted application to the third.
sql -v drafts="$drafts" -v total="$((drafts + sql_pool))" -v listed="$listed" <<'EOF'
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
-- padded with zeros to 43 characters.
INSERT INTO sessions (token_hash, user_id, csrf_token, idle_timeout, expires_at)
	SELECT sha256(convert_to('bench' || lpad(n::text, 38, '0'), 'UTF8')), user_id,
		'csrf' || lpad(n::text, 39, '0'), interval '2 hours', now() + interval '12 hours'
	FROM bench_people WHERE n <= :drafts;

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
CREATE SEQUENCE bench_sql_seq;
VACUUM ANALYZE;
EOF

v_portal=$(value "SELECT id FROM bench_vacancies WHERE name = 'portal'")
v_list=$(value "SELECT id FROM bench_vacancies WHERE name = 'list'")
psql -X -q -A -t -F ' ' -c "SELECT application_id, 'bench' || lpad(n::text, 38, '0'),
	'csrf' || lpad(n::text, 39, '0') FROM bench_people WHERE n <= $drafts ORDER BY n" \
	>"$tmp/drafts.txt"

# The statements of one submission's transaction (application_lifecycle.c: lock_stmt, which
# also reads the hiring managers' addresses, update_stmt, the outbox INSERTs of mail_enqueue for
# the candidate and the manager, the status_events INSERT), on drafts of the second vacancy
# taken in turn.
cat >"$tmp/submit.sql" <<EOF
SELECT p.application_id AS id, p.user_id AS actor FROM bench_people p
	WHERE p.n = (SELECT $drafts + 1 + nextval('bench_sql_seq') % $sql_pool) \gset
BEGIN;
SELECT a.status, (v.status = 'published' AND v.closes_at > now()), coalesce(a.candidate_id, 0),
	coalesce(u.email, ''), coalesce(a.data #>> '{personal,first_name}', ''), coalesce(a.data #>> '{personal,last_name}', ''),
	v.title, s.name, coalesce(u.name, ''), (SELECT coalesce(json_agg(mu.email ORDER BY mu.id), '[]')
		FROM school_memberships m JOIN users mu ON mu.id = m.user_id
		WHERE m.school_urn = v.school_urn AND m.role = 'hiring_manager' AND mu.disabled_at IS NULL)
	FROM applications a JOIN vacancies v ON v.id = a.vacancy_id JOIN schools s ON s.urn = v.school_urn
	LEFT JOIN users u ON u.id = a.candidate_id WHERE a.id = :id FOR UPDATE OF a FOR SHARE OF v;
UPDATE applications SET status = 'submitted',
	status_changed_at = CASE WHEN status = 'submitted' THEN status_changed_at ELSE now() END,
	submitted_at = now(), withdrawn_reason = withdrawn_reason WHERE id = :id;
INSERT INTO outbox (to_address, subject, body, attachments)
	VALUES ('bench-candidate@example.org', 'Your application has been sent', repeat('x', 900), '[]');
INSERT INTO outbox (to_address, subject, body, attachments)
	VALUES ('bench-manager@example.org', 'New application', repeat('x', 700), '[]');
INSERT INTO status_events (entity, entity_id, from_status, to_status, event, actor_id, reason, detail)
	VALUES ('application', :id, 'draft', 'submitted', 'submit', :actor, NULL, '{}');
COMMIT;
EOF

bash "$root/backend/setup/tls.sh" "$tmp/cert.pem" "$tmp/key.pem" >/dev/null
port=$(bench_free_port)
base=https://127.0.0.1:$port
PORTAL_LISTEN=127.0.0.1:$port PORTAL_BASE_URL=$base PORTAL_TLS_CERT=$tmp/cert.pem \
	PORTAL_TLS_KEY=$tmp/key.pem PORTAL_THREADS=$threads PORTAL_POOL_SIZE=$threads \
	PORTAL_LOG_LEVEL=warn "$portal" serve >"$tmp/portal.log" 2>&1 &
server=$!
bench_wait_ready "$base/healthz" "$server" "$tmp/portal.log"
manager_cookie="Cookie: __Host-session=$(printf 'benchmanager%031d' 0)"
list_path=/school/vacancies/$v_list/applications
status=$(curl -ks -o /dev/null -w '%{http_code}' -H "$manager_cookie" "$base$list_path")
[ "$status" = 200 ] || bench_fail "$list_path answered $status"

echo "bench: submit: wrk -t2 -c32 -d10s --latency over TLS and pgbench -c 32 -j 2 -T 10; list: wrk -t1 -c2; on loopback, fsync and synchronous_commit on, $(nproc) CPUs shared by all"
m=$(bench_pgbench "$tmp/submit.sql" 32 10)
read -r sql_tps _ sql_failed <<<"$m"
[ "$sql_failed" -eq 0 ] || bench_fail "pgbench: $sql_failed failed transactions"

export BENCH_DRAFTS=$tmp/drafts.txt BENCH_OFFSET=$tmp/offset.txt BENCH_THREADS=2
wrk_opts=(-t2 -c32 -s "$root/tests/bench/applications.lua")
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
if [ "$failed" -ne 0 ]; then
	echo "bench: $failed of 2 application targets missed"
	echo missed >"$APPLICATIONS_BENCH_RESULT"
	exit 0
fi
echo "bench: every application target met"
