#!/usr/bin/env bash
# Installs the Debian packages the portal needs and that are missing: directly as root, through
# sudo otherwise, or prints the exact command to run and fails. Usage: deps.sh build|run|test|bench
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=(build-essential pkg-config libssl-dev libpq-dev libjansson-dev libargon2-dev
	libcurl4-openssl-dev libcmark-dev zlib1g-dev dpkg-dev openssl ca-certificates)
run=(postgresql postgresql-common john-data)
test=(check libsubunit-dev postgresql postgresql-common chromium python3-aiosmtpd libxml2-utils
	docker-compose clang libclang-rt-dev testssl.sh sqlmap)
bench=(wrk curl python3)

case "${1:-build}" in
build) want=("${build[@]}") ;;
run) want=("${build[@]}" "${run[@]}") ;;
test) want=("${build[@]}" "${run[@]}" "${test[@]}") ;;
bench) want=("${build[@]}" "${run[@]}" "${test[@]}" "${bench[@]}") ;;
*) echo "usage: deps.sh build|run|test|bench" >&2; exit 2 ;;
esac
# Node.js and npm build the front end; any working installation will do.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	want+=(nodejs npm)
fi

missing=()
for p in "${want[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

need_src=0
if ! grep -rqsE '^[[:space:]]*(Types:.*deb-src|deb-src[[:space:]])' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	need_src=1
fi

if [ ${#missing[@]} -eq 0 ] && [ $need_src -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo=(sudo -n)
else
	echo "Missing Debian packages: ${missing[*]}" >&2
	[ $need_src -eq 1 ] && echo "and no deb-src entry: run   sudo bash $here/deb-src.sh" >&2
	echo "Run:   sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi

if [ $need_src -eq 1 ]; then
	"${sudo[@]}" bash "$here/deb-src.sh"
fi
echo "deps.sh: installing ${missing[*]:-(deb-src index only)}"
"${sudo[@]}" apt-get update -q
if [ ${#missing[@]} -gt 0 ]; then
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
