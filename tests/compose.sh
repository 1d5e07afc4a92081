#!/usr/bin/env bash
# tests/compose.sh (make test): the container deployment stays valid, without a Docker engine.
#  - `docker-compose config` (Debian's docker-compose, which only reads the file) parses and
#    resolves docker-compose.yml;
#  - the portal service (and the Dockerfile's ENV) set only variables the portal reads:
#    DATABASE_URL, or PORTAL_<KEY> for a key of backend/core/config.c (a renamed setting would
#    otherwise be ignored in containers without a word);
#  - the database service and the portal's dependency on its health check are there.
# Exit status 0 when all holds, 1 with a line saying what does not.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
	echo "compose: $*" >&2
	exit 1
}

resolved=$(docker-compose -f docker-compose.yml config 2>&1) ||
	fail "docker-compose.yml is not valid: $resolved"
# Debian's python3-yaml comes with docker-compose; /usr/bin/python3 is Debian's own Python.
vars=$(/usr/bin/python3 -c '
import sys, yaml
doc = yaml.safe_load(sys.stdin)
portal = doc["services"]["portal"]
assert "db" in doc["services"], "no db service"
assert portal["depends_on"]["db"]["condition"] == "service_healthy", "portal does not wait for db"
assert "healthcheck" in doc["services"]["db"], "db has no health check"
env = portal.get("environment", {})
print("\n".join(env if isinstance(env, dict) else [e.split("=", 1)[0] for e in env]))
' <<<"$resolved" 2>&1) || fail "docker-compose.yml: ${vars##*$'\n'}"

# The Dockerfile's PORTAL_ variables (its ENV lines and their continuations).
vars="$vars $(grep -oE '^(ENV[[:space:]]+|[[:space:]]+)PORTAL_[A-Z_]+=' Dockerfile | grep -oE 'PORTAL_[A-Z_]+')"
n=0
for var in $vars; do
	n=$((n + 1))
	[ "$var" = DATABASE_URL ] && continue
	key=$(tr '[:upper:]' '[:lower:]' <<<"${var#PORTAL_}")
	[[ $var == PORTAL_* ]] && grep -q "{ \"$key\"," backend/core/config.c ||
		fail "$var is set for the portal, which does not read it"
done
[ "$n" -gt 0 ] || fail "the portal service sets no variables"
echo "compose: docker-compose.yml is valid; the $n variables it and the Dockerfile set are settings"
