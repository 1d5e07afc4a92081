#!/usr/bin/env bash
# Runs Check test binaries one after another from the repository root, shows their output and
# ends with one summary line "N passed, M failed" counting Check tests (a binary that crashes
# before printing its Check summary, or exits non-zero although its tests passed, counts as one
# failure). Exit status 1 when anything failed. Also used by run-integration.sh.
# Usage: tests/run-unit.sh BIN...
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bins=()
for b in "$@"; do
	case $b in
	/*) bins+=("$b") ;;
	*) bins+=("$PWD/$b") ;;
	esac
done
cd "$root" || exit 1

out=$(mktemp -t portal-check.XXXXXX) || exit 1
trap 'rm -f "$out"' EXIT

passed=0
failed=0
for bin in "${bins[@]}"; do
	name=${bin#"$root"/}
	echo "== $name"
	"$bin" 2>&1 | tee "$out"
	status=${PIPESTATUS[0]}
	summary=$(grep -E '^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$out" | tail -n 1)
	if [ -z "$summary" ]; then
		echo "!! $name: no Check summary (exit status $status)"
		failed=$((failed + 1))
		continue
	fi
	read -r checks failures errors < <(sed -E 's/^[0-9]+%: Checks: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+).*/\1 \2 \3/' <<<"$summary")
	passed=$((passed + checks - failures - errors))
	failed=$((failed + failures + errors))
	if [ "$status" -ne 0 ] && [ $((failures + errors)) -eq 0 ]; then
		echo "!! $name: exit status $status although its tests passed"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
