#!/usr/bin/env bash
# Fetches CivetWeb's Debian source package into DIR (once) so the build can compile it with
# OpenSSL 3 support. Usage: civetweb.sh DIR   -> DIR/src/civetweb.c, DIR/include/civetweb.h
set -euo pipefail

dir=$1
if [ -f "$dir/src/civetweb.c" ]; then
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get source -q civetweb >/dev/null 2>"$tmp.err") || {
	cat "$tmp.err" >&2
	rm -f "$tmp.err"
	echo "civetweb.sh: 'apt-get source civetweb' failed; is a deb-src entry enabled and 'apt-get update' run?" >&2
	exit 1
}
rm -f "$tmp.err"
src=$(find "$tmp" -maxdepth 1 -type d -name 'civetweb-*' | head -n 1)
mkdir -p "$(dirname "$dir")"
rm -rf "$dir"
mv "$src" "$dir"
echo "civetweb.sh: CivetWeb $(basename "$src") source in $dir"
