#!/usr/bin/env bash
# Runs each libFuzzer binary a fixed number of times (FUZZ_RUNS, default 200000; not a time
# limit) from its seed inputs in tests/fuzz/corpus/<name>/ and the inputs earlier runs found
# (build/fuzz/corpus/<name>/, kept between runs, never committed). A crash, a leak, undefined
# behaviour, a broken property (abort), an input taking over 10 s or 2 GB fails the run; the
# input is saved as build/fuzz/crash-<name>-* and the command to replay it is printed.
# Usage: tests/fuzz/run.sh BIN...
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${FUZZ_RUNS:-200000}
failed=()
for bin in "$@"; do
	name=$(basename "$bin")
	name=${name#fuzz_}
	seeds=$root/tests/fuzz/corpus/$name
	found=$root/build/fuzz/corpus/$name
	log=$root/build/fuzz/$name.log
	mkdir -p "$found"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
		"$bin" -runs="$runs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$root/build/fuzz/crash-$name-" "$found" "$seeds" >"$log" 2>&1
	status=$?
	stats=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 | tr -s ' ')
	if [ $status -eq 0 ] && [ -n "$stats" ]; then
		echo "fuzz $name: ok ($runs runs; ${stats#*DONE })"
	else
		echo "fuzz $name: FAILED (exit $status)"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written|^0x|#[0-9]+ 0x' "$log" |
			head -n 40
		artifact=$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -n 1)
		[ -n "$artifact" ] && echo "replay: $bin ${artifact#Test unit written to }"
		failed+=("$name")
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: ${#failed[@]} failed: ${failed[*]}"
	exit 1
fi
echo "fuzz: $# parsers, no failure"
