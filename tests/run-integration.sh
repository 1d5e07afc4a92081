#!/usr/bin/env bash
# Runs the integration test binaries against a real portal over TLS and a real PostgreSQL:
# everything inside ONE throw-away pg_virtualenv cluster (a temporary directory even as root, so
# existing clusters and parallel runs are left alone). Makes one self-signed certificate, migrates
# and seeds the database once, then runs every binary through run-unit.sh (summary line
# "N passed, M failed", exit status 1 on any failure).
# Usage: PORTAL_BIN=build/portal tests/run-integration.sh BIN...
# The harness (tests/integration/harness.c) reads PORTAL_BIN, IT_TLS_CERT, IT_TLS_KEY, IT_TMPDIR.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
: "${PORTAL_BIN:?set PORTAL_BIN to the portal binary, e.g. PORTAL_BIN=build/portal}"

if [ -z "${IT_IN_PGVIRTUALENV:-}" ]; then
	for tool in pg_virtualenv pg_ctlcluster openssl; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "run-integration.sh: $tool is missing (make build/.deps-test installs it)" >&2
			exit 1
		fi
	done
	case $PORTAL_BIN in
	/*) ;;
	*) PORTAL_BIN=$PWD/$PORTAL_BIN ;;
	esac
	bins=()
	for b in "$@"; do
		case $b in
		/*) bins+=("$b") ;;
		*) bins+=("$PWD/$b") ;;
		esac
	done
	IT_OUTPUT=$(mktemp -t portal-it-output.XXXXXX)
	trap 'rm -f "$IT_OUTPUT"' EXIT
	export PORTAL_BIN IT_OUTPUT IT_IN_PGVIRTUALENV=1
	status=0
	pg_virtualenv -t bash "$root/tests/run-integration.sh" "${bins[@]}" || status=$?
	# pg_virtualenv talks after the tests (dropping the cluster, the server log on failure):
	# repeat the summary so that it is the last line.
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$IT_OUTPUT" | tail -n 1 || true)
	if [ -z "$summary" ]; then
		summary="0 passed, 1 failed"
		[ "$status" -ne 0 ] || status=1
	fi
	echo "$summary"
	exit "$status"
fi

cd "$root"
IT_TMPDIR=$(mktemp -d -t portal-it.XXXXXX)
trap 'rm -rf "$IT_TMPDIR"' EXIT
IT_TLS_CERT=$IT_TMPDIR/cert.pem
IT_TLS_KEY=$IT_TMPDIR/key.pem
if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	-keyout "$IT_TLS_KEY" -out "$IT_TLS_CERT" >"$IT_TMPDIR/openssl.log" 2>&1; then
	cat "$IT_TMPDIR/openssl.log" >&2
	echo "run-integration.sh: cannot make the test certificate" >&2
	exit 1
fi
export IT_TMPDIR IT_TLS_CERT IT_TLS_KEY

for cmd in migrate seed; do
	if ! DATABASE_URL=postgresql:// "$PORTAL_BIN" "$cmd"; then
		echo "run-integration.sh: portal $cmd failed" >&2
		exit 1
	fi
done

# Test cases set their own timeouts; this is the fallback for any that does not.
export CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-30}
bash "$root/tests/run-unit.sh" "$@" 2>&1 | tee "$IT_OUTPUT"
exit "${PIPESTATUS[0]}"
