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

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/bench/lib.sh
source "$root/tests/bench/lib.sh"
threads=32 # the portal's default `threads`; the hello server gets the same
warmup=2s
duration=10s
wrk_opts=(-t2 -c32)

bench_virtualenv "$root/tests/bench/run.sh" "" "wrk openssl curl python3 cc" "$@"
portal=$1
cd "$root"
bench_scratch portal-bench

# pg_virtualenv sets PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE: an empty URL uses them.
export DATABASE_URL=postgresql://
bench_portal migrate
bench_portal seed

bench_hello "$threads"

bench_serve "$threads"

echo "bench: wrk ${wrk_opts[*]} -d$duration --latency over TLS on loopback, $threads server threads, $(nproc) CPUs shared by wrk and the server"
m=$(bench_wrk "$hello_url" "$warmup" "$duration") || bench_fail "wrk failed against the hello server"
read -r hello_rps hello_p99 hello_err <<<"$m"
[ "$hello_err" -eq 0 ] || bench_fail "the hello server answered $hello_err requests with errors"

printf '%-18s %12s %9s %9s  %-26s %s\n' path requests/s "p99 ms" "x hello" target result
printf '%-18s %12.0f %9.2f %9s  %-26s %s\n' "hello /" "$hello_rps" "$hello_p99" 1.00 "(ceiling)" ""

failed=0
# One row: PATH MIN_RATIO MAX_P99_MS (empty: no latency target).
row() {
	local path=$1 min_ratio=$2 max_p99=$3 m rps p99 err ratio target result
	m=$(bench_wrk "$base$path" "$warmup" "$duration") || bench_fail "wrk failed against $path"
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

[ "$failed" -eq 0 ] || bench_missed "$failed of 3 paths missed their target"
echo "bench: every target met"
