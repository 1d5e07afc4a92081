# shellcheck shell=bash disable=SC2154 # root, portal and wrk_opts are the caller's
# lib.sh - shell helpers of the benchmarks (sourced, not run): running a benchmark inside a
# throw-away PostgreSQL cluster, its scratch directory and the servers it starts, failing,
# running and serving the portal, free ports, waiting for a server, measuring a URL with wrk and
# a SQL file with pgbench. Expects bash with `set -euo pipefail` and LC_ALL=C (decimal points),
# `root` to name the repository and, in the inner run, `portal` the portal binary.

# Outside pg_virtualenv (BENCH_INNER unset): checks that ARG is one portal binary and that
# every TOOL is installed, runs SCRIPT again with the portal's absolute path inside a
# throw-away PostgreSQL cluster (`pg_virtualenv PG_OPTIONS -t`, PG_OPTIONS split on spaces,
# may be empty) and exits: 0 when the inner run met every target, 1 when it missed one
# (bench_missed) or failed, 2 on a usage error. Inside (the inner run): returns at once.
# Usage: bench_virtualenv SCRIPT PG_OPTIONS "TOOL..." "$@"
bench_virtualenv() {
	local script=$1 options tools tool abs
	read -r -a options <<<"$2"
	read -r -a tools <<<"$3"
	shift 3
	[ -z "${BENCH_INNER:-}" ] || return 0
	if [ $# -ne 1 ]; then
		echo "usage: ${script#"$root"/} PORTAL_BIN" >&2
		exit 2
	fi
	for tool in pg_virtualenv "${tools[@]}"; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "bench: $tool is missing" >&2
			exit 1
		fi
	done
	abs=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
	# The inner run writes "missed" here when a target is missed and exits 0, so that
	# pg_virtualenv prints the server log only when something actually failed.
	BENCH_RESULT=$(mktemp -t portal-bench-result.XXXXXX)
	trap 'rm -f "$BENCH_RESULT"' EXIT
	export BENCH_INNER=1 BENCH_RESULT
	pg_virtualenv "${options[@]}" -t bash "$script" "$abs"
	if grep -q missed "$BENCH_RESULT"; then
		exit 1
	fi
	exit 0
}

# In the inner run: makes the scratch directory `tmp` (NAME.XXXXXX in TMPDIR or /tmp) and sets
# the traps that stop the servers listed in the array bench_pids (bench_serve adds the portal;
# a caller adds the PID of each other server it starts in the background) and remove tmp when
# the script ends, also on Ctrl-C or TERM. Usage: bench_scratch NAME
bench_scratch() {
	tmp=$(mktemp -d -t "$1.XXXXXX")
	bench_pids=()
	trap bench_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# The EXIT trap of bench_scratch: stops the servers in bench_pids, removes tmp.
bench_cleanup() {
	local p
	for p in "${bench_pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${bench_pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}

# Stops server PID (from bench_pids) and takes it off the list. Usage: bench_stop PID
bench_stop() {
	local p kept=()
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	for p in "${bench_pids[@]}"; do
		[ "$p" = "$1" ] || kept+=("$p")
	done
	bench_pids=("${kept[@]}")
}

# Ends the inner run after a missed target: prints "bench: MESSAGE", records the miss for
# bench_virtualenv (which then exits 1) and exits 0. Usage: bench_missed MESSAGE
bench_missed() {
	echo "bench: $*"
	echo missed >"$BENCH_RESULT"
	exit 0
}

# Prints the message and exits 1 (the caller's EXIT trap stops what it started).
bench_fail() {
	echo "bench: $*" >&2
	exit 1
}

# Prints a free TCP port on 127.0.0.1.
bench_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Runs `portal ARG...` (migrate, seed, ...) with its output in tmp/setup.log; fails showing
# that log when it fails. Usage: bench_portal ARG...
bench_portal() {
	"$portal" "$@" >>"$tmp/setup.log" 2>&1 ||
		{ cat "$tmp/setup.log" >&2; bench_fail "portal $* failed"; }
}

# Makes the throw-away TLS certificate tmp/cert.pem and its key tmp/key.pem, unless made.
bench_certificate() {
	[ -f "$tmp/cert.pem" ] ||
		bash "$root/backend/setup/tls.sh" "$tmp/cert.pem" "$tmp/key.pem" >/dev/null
}

# Starts `portal serve` over TLS (bench_certificate) on a free port of 127.0.0.1 with THREADS
# threads, no access log (PORTAL_LOG_LEVEL=warn) and the extra settings NAME=VALUE, its output
# in tmp/portal.log, and waits until it answers. Sets base (its https:// URL) and server (its
# PID, also added to bench_pids). Usage: bench_serve THREADS [NAME=VALUE...]
bench_serve() {
	local threads=$1 port
	shift
	bench_certificate
	port=$(bench_free_port)
	base=https://127.0.0.1:$port
	env "$@" PORTAL_LISTEN="127.0.0.1:$port" PORTAL_BASE_URL="$base" \
		PORTAL_TLS_CERT="$tmp/cert.pem" PORTAL_TLS_KEY="$tmp/key.pem" PORTAL_THREADS="$threads" \
		PORTAL_LOG_LEVEL=warn "$portal" serve >"$tmp/portal.log" 2>&1 &
	server=$!
	bench_pids+=("$server")
	bench_wait_ready "$base/healthz" "$server" "$tmp/portal.log"
}

# Builds tests/bench/hello.c (a bare CivetWeb server linked with the portal's own civetweb.o,
# started with the portal's TLS and connection settings) and starts it on a free port of
# 127.0.0.1 with THREADS threads and the throw-away certificate; waits until it answers. Sets
# hello_url and hello_pid (also added to bench_pids). Usage: bench_hello THREADS
bench_hello() {
	local threads=$1 objdir port
	objdir=$(dirname "$portal")
	[ -f "$objdir/civetweb.o" ] || bench_fail "$objdir/civetweb.o is missing (run make first)"
	cc -std=c17 -Wall -Wextra -Werror -O2 -D_GNU_SOURCE \
		-I"$root/build/vendor/civetweb/include" -o "$tmp/hello" "$root/tests/bench/hello.c" \
		"$objdir/civetweb.o" -lssl -lcrypto -lpthread -ldl ||
		bench_fail "cannot build tests/bench/hello.c"
	bench_certificate
	cat "$tmp/key.pem" "$tmp/cert.pem" >"$tmp/hello.pem"
	port=$(bench_free_port)
	hello_url=https://127.0.0.1:$port/
	"$tmp/hello" "$port" "$tmp/hello.pem" "$threads" >"$tmp/hello.log" 2>&1 &
	hello_pid=$!
	bench_pids+=("$hello_pid")
	bench_wait_ready "$hello_url" "$hello_pid" "$tmp/hello.log"
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
# clients on 2 threads (1 for one client) against the PG* database, with the further pgbench
# options OPTION (e.g. -M prepared). Prints "tps latency_avg_ms failed" from pgbench's report.
# Usage: bench_pgbench FILE CLIENTS SECONDS [OPTION...]
bench_pgbench() {
	local file=$1 clients=$2 seconds=$3 jobs=2 out=$tmp/pgbench.txt
	shift 3
	[ "$clients" -gt 1 ] || jobs=1
	pgbench -n "$@" -f "$file" -c "$clients" -j "$jobs" -T "$seconds" >"$out" 2>&1 ||
		{ cat "$out" >&2; bench_fail "pgbench failed on $file"; }
	awk '
		/^tps = / { tps = $3 }
		/^latency average = / { lat = $4 }
		/^number of failed transactions: / { failed = $5 }
		END { printf "%s %s %d\n", tps == "" ? 0 : tps, lat == "" ? 0 : lat, failed }
	' "$out"
}
