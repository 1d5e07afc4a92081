# shellcheck shell=bash disable=SC2154 # tmp and wrk_opts are the caller's
# lib.sh - shell helpers of the benchmarks (sourced, not run): failing, free ports, waiting for a
# server, measuring a URL with wrk and a SQL file with pgbench. Expects bash with `set -euo
# pipefail` and LC_ALL=C (decimal points), and `tmp` to name the caller's scratch directory.

# Prints the message and exits 1 (the caller's EXIT trap stops what it started).
bench_fail() {
	echo "bench: $*" >&2
	exit 1
}

# Prints a free TCP port on 127.0.0.1.
bench_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits up to 10 s until URL answers 200; fails naming LOG when the server PID died or never
# answered. Usage: bench_wait_ready URL PID LOG
bench_wait_ready() {
	local url=$1 pid=$2 log=$3 i
	for i in $(seq 1 100); do
		if curl -ksf -o /dev/null --max-time 2 "$url"; then
			return
		fi
		kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; bench_fail "server for $url exited"; }
		[ "$i" -lt 100 ] || { cat "$log" >&2; bench_fail "no answer from $url"; }
		sleep 0.1
	done
}

# Runs wrk against URL: a warm-up of WARMUP, then DURATION with --latency, both with the options
# in the array wrk_opts. Prints "requests/s p99_ms errors" (errors: non-2xx/3xx answers and
# socket errors). Usage: bench_wrk URL WARMUP DURATION
bench_wrk() {
	local url=$1 warmup=$2 duration=$3 out=$tmp/wrk.txt
	wrk "${wrk_opts[@]}" -d"$warmup" "$url" >/dev/null
	wrk "${wrk_opts[@]}" -d"$duration" --latency "$url" >"$out"
	awk '
		/^Requests\/sec:/ { rps = $2 }
		/^ *99%/ {
			v = $2
			if (v ~ /us$/) p99 = v / 1000
			else if (v ~ /ms$/) p99 = v + 0
			else if (v ~ /m$/) p99 = v * 60000
			else p99 = v * 1000
		}
		/Non-2xx or 3xx responses:/ { err += $NF }
		/Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
		END { printf "%s %s %d\n", rps == "" ? 0 : rps, p99 == "" ? 0 : p99, err }
	' "$out"
}

# Runs pgbench with the script FILE (-n: no vacuum of its own tables) for SECONDS with CLIENTS
# clients on 2 threads (1 for one client) against the PG* database. Prints "tps latency_avg_ms
# failed" from pgbench's report. Usage: bench_pgbench FILE CLIENTS SECONDS
bench_pgbench() {
	local file=$1 clients=$2 seconds=$3 jobs=2 out=$tmp/pgbench.txt
	[ "$clients" -gt 1 ] || jobs=1
	pgbench -n -f "$file" -c "$clients" -j "$jobs" -T "$seconds" >"$out" 2>&1 ||
		{ cat "$out" >&2; bench_fail "pgbench failed on $file"; }
	awk '
		/^tps = / { tps = $3 }
		/^latency average = / { lat = $4 }
		/^number of failed transactions: / { failed = $5 }
		END { printf "%s %s %d\n", tps == "" ? 0 : tps, lat == "" ? 0 : lat, failed }
	' "$out"
}
