#!/usr/bin/env bash
# tests/e2e/run.sh - the browser tests: the real portal over TLS, against a throwaway PostgreSQL
# (pg_virtualenv), driven by headless Chromium from Debian through playwright-core, with axe-core
# for accessibility. Called by `make e2e` from the repository root with PORTAL_BIN set to the
# portal binary. Exits with the status of the tests.
set -euo pipefail

cd "$(dirname "$0")/../.."
: "${PORTAL_BIN:?set PORTAL_BIN to the portal binary, e.g. PORTAL_BIN=build/portal}"

if [ "${1:-}" != "--inside" ]; then
	# playwright-core and axe-core are devDependencies of frontend/, installed by `make assets`;
	# install them here only when that has not happened (or the lock file changed since).
	if [ ! -d frontend/node_modules/playwright-core ] || [ ! -d frontend/node_modules/axe-core ] ||
		[ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
		(cd frontend && npm ci --no-audit --no-fund)
	fi
	# -t keeps the cluster in a temporary directory, apart from any other test run's.
	exec pg_virtualenv -t bash "$0" --inside
fi

tmp=$(mktemp -d)
server_pid=
sink_pid=
cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	if [ -n "$sink_pid" ]; then
		kill "$sink_pid" 2>/dev/null || true
		wait "$sink_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null

# pg_virtualenv sets PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE; an empty URL lets libpq
# take them from there.
export DATABASE_URL=postgresql://
"$PORTAL_BIN" migrate
"$PORTAL_BIN" seed

free_port() {
	node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close() })"
}

# Email goes to a real SMTP sink (Debian's python3-aiosmtpd): each message becomes
# $mail_dir/<n>.eml, which the tests read (tests/e2e/mail.mjs).
mail_dir=$tmp/mail
mkdir -p "$mail_dir"
smtp_port=$(free_port)
/usr/bin/python3 tests/smtp_sink.py --port "$smtp_port" --dir "$mail_dir" >"$tmp/smtp.log" 2>&1 &
sink_pid=$!
for _ in $(seq 100); do
	if (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null; then
		break
	fi
	if ! kill -0 "$sink_pid" 2>/dev/null; then
		break
	fi
	sleep 0.1
done
if ! (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null; then
	echo "e2e: the SMTP sink did not start; its log:" >&2
	cat "$tmp/smtp.log" >&2
	exit 1
fi

port=$(free_port)
base_url="https://127.0.0.1:$port"
PORTAL_LISTEN="127.0.0.1:$port" PORTAL_TLS_CERT="$tmp/cert.pem" PORTAL_TLS_KEY="$tmp/key.pem" \
	PORTAL_BASE_URL="$base_url" PORTAL_SMTP_URL="smtp://127.0.0.1:$smtp_port" \
	"$PORTAL_BIN" serve >"$tmp/server.log" 2>&1 &
server_pid=$!

if ! E2E_BASE_URL="$base_url" E2E_SERVER_PID="$server_pid" node tests/e2e/wait-ready.mjs; then
	echo "e2e: the portal did not become healthy; its log:" >&2
	tail -n 50 "$tmp/server.log" >&2
	exit 1
fi

status=0
E2E_BASE_URL="$base_url" E2E_MAIL_DIR="$mail_dir" node --test tests/e2e/ || status=$?
if [ "$status" -ne 0 ]; then
	echo "e2e: tests failed; the last lines of the portal's log:" >&2
	tail -n 50 "$tmp/server.log" >&2
fi
exit "$status"
