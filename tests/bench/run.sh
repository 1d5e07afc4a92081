#!/usr/bin/env bash
# Throughput benchmark (`make bench`): the portal against a bare CivetWeb "hello" server built
# with the same TLS and connection settings (tests/bench/hello.c), both on loopback, both with a
# throw-away certificate, the portal on a throw-away PostgreSQL (pg_virtualenv) that is migrated
# and seeded. Each path gets a 2 s warm-up, then `wrk -t2 -c32 -d10s --latency` over HTTPS.
# Prints requests/s, p99 latency and the ratio to the hello ceiling per path, against targets:
#   /healthz                    >= 0.90 of hello
#   /schools, /api/v1/schools   >= 0.50 of hello and p99 < 10 ms
# Exit status 0 when every target is met, 1 when one is missed or a server or request fails.
# Stops everything it started. Usage: tests/bench/run.sh PORTAL_BIN
set -euo pipefail
export LC_ALL=C
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"

root=$(cd "$(dirname "$0")/../.." && pwd)
threads=32 # the portal's default `threads`; the hello server gets the same
warmup=2s
duration=10s
wrk_opts=(-t2 -c32)

if [ -z "${BENCH_IN_PGVIRTUALENV:-}" ]; then
	if [ $# -ne 1 ]; then
		echo "usage: tests/bench/run.sh PORTAL_BIN" >&2
		exit 2
	fi
	for tool in wrk pg_virtualenv openssl curl python3 cc; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "bench: $tool is missing" >&2
			exit 1
		fi
	done
	portal=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
	# The inner run writes "missed" here when a target is missed and exits 0, so that
	# pg_virtualenv prints the server log only when something actually failed.
	BENCH_RESULT=$(mktemp -t portal-bench-result.XXXXXX)
	trap 'rm -f "$BENCH_RESULT"' EXIT
	export BENCH_IN_PGVIRTUALENV=1 BENCH_RESULT
	pg_virtualenv -t bash "$root/tests/bench/run.sh" "$portal"
	if grep -q missed "$BENCH_RESULT"; then
		exit 1
	fi
	exit 0
fi

portal=$1
cd "$root"
tmp=$(mktemp -d -t portal-bench.XXXXXX)
pids=()

# Stops the servers this script started and removes its files.
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The hello server, linked with the same CivetWeb object as the portal.
objdir=$(dirname "$portal")
[ -f "$objdir/civetweb.o" ] || bench_fail "$objdir/civetweb.o is missing (run make first)"
cc -std=c17 -Wall -Wextra -Werror -O2 -D_GNU_SOURCE -I"$root/build/vendor/civetweb/include" \
	-o "$tmp/hello" "$root/tests/bench/hello.c" "$objdir/civetweb.o" -lssl -lcrypto -lpthread -ldl ||
	bench_fail "cannot build tests/bench/hello.c"

bash "$root/backend/setup/tls.sh" "$tmp/cert.pem" "$tmp/key.pem" >/dev/null
cat "$tmp/key.pem" "$tmp/cert.pem" >"$tmp/hello.pem"

# pg_virtualenv sets PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE: an empty URL uses them.
export DATABASE_URL=postgresql://
for cmd in migrate seed; do
	"$portal" "$cmd" >>"$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log" >&2; bench_fail "portal $cmd failed"; }
done

hport=$(bench_free_port)
"$tmp/hello" "$hport" "$tmp/hello.pem" "$threads" >"$tmp/hello.log" 2>&1 &
pids+=($!)
bench_wait_ready "https://127.0.0.1:$hport/" "$!" "$tmp/hello.log"

pport=$(bench_free_port)
PORTAL_LISTEN=127.0.0.1:$pport PORTAL_BASE_URL=https://127.0.0.1:$pport \
	PORTAL_TLS_CERT=$tmp/cert.pem PORTAL_TLS_KEY=$tmp/key.pem \
	PORTAL_THREADS=$threads PORTAL_LOG_LEVEL=warn "$portal" serve >"$tmp/portal.log" 2>&1 &
pids+=($!)
bench_wait_ready "https://127.0.0.1:$pport/healthz" "$!" "$tmp/portal.log"

echo "bench: wrk ${wrk_opts[*]} -d$duration --latency over TLS on loopback, $threads server threads, $(nproc) CPUs shared by wrk and the server"
m=$(bench_wrk "https://127.0.0.1:$hport/" "$warmup" "$duration") || bench_fail "wrk failed against the hello server"
read -r hello_rps hello_p99 hello_err <<<"$m"
[ "$hello_err" -eq 0 ] || bench_fail "the hello server answered $hello_err requests with errors"

printf '%-18s %12s %9s %9s  %-26s %s\n' path requests/s "p99 ms" "x hello" target result
printf '%-18s %12.0f %9.2f %9s  %-26s %s\n' "hello /" "$hello_rps" "$hello_p99" 1.00 "(ceiling)" ""

failed=0
# One row: PATH MIN_RATIO MAX_P99_MS (empty: no latency target).
row() {
	local path=$1 min_ratio=$2 max_p99=$3 m rps p99 err ratio target result
	m=$(bench_wrk "https://127.0.0.1:$pport$path" "$warmup" "$duration") || bench_fail "wrk failed against $path"
	read -r rps p99 err <<<"$m"
	ratio=$(awk -v a="$rps" -v b="$hello_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	target=">= $min_ratio"
	[ -z "$max_p99" ] || target="$target, p99 < $max_p99 ms"
	result=ok
	if [ "$err" -ne 0 ]; then
		result="errors ($err)"
	elif ! awk -v r="$ratio" -v m="$min_ratio" -v p="$p99" -v mp="$max_p99" \
		'BEGIN { exit !(r >= m && (mp == "" || p < mp)) }'; then
		result="below target"
	fi
	[ "$result" = ok ] || failed=$((failed + 1))
	printf '%-18s %12.0f %9.2f %9s  %-26s %s\n' "$path" "$rps" "$p99" "$ratio" "$target" "$result"
}
row /healthz 0.90 ""
row /schools 0.50 10
row /api/v1/schools 0.50 10

if [ "$failed" -ne 0 ]; then
	echo "bench: $failed of 3 paths missed their target"
	echo missed >"$BENCH_RESULT"
	exit 0
fi
echo "bench: every target met"
