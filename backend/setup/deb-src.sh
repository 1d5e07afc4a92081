#!/usr/bin/env bash
# Enables Debian source packages (deb-src) by deriving them from the machine's existing Debian
# entries: the same URIs, suites, components and keyring, with Types: deb-src. No package host is
# written here; everything is read from /etc/apt. Prints what it did; exits 0 when deb-src was
# already available.
set -euo pipefail

out=/etc/apt/sources.list.d/portal-deb-src.sources

has_deb_src() {
	grep -rqsE '^[[:space:]]*(Types:.*deb-src|deb-src[[:space:]])' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}

if has_deb_src; then
	exit 0
fi

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# deb822 files: copy every stanza whose Types includes "deb" and whose keyring is Debian's own.
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	awk -v RS= -v ORS='\n\n' '
		/(^|\n)Types:[^\n]*deb/ && /debian-archive-keyring|\/debian/ {
			gsub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src")
			sub(/^\n/, "")
			print
		}' "$f" >>"$tmp"
done

# One-line format: every "deb URI suite components" line pointing at a Debian archive.
if [ -f /etc/apt/sources.list ]; then
	awk '$1 == "deb" && $0 ~ /\/debian/ {
		sub(/^deb[[:space:]]/, "deb-src ")
		print
	}' /etc/apt/sources.list | while read -r line; do
		set -- $line
		# deb-src [options] URI suite components...
		if [ "${2#[}" != "$2" ]; then shift 2; else shift 1; fi
		uri=$1; suite=$2; shift 2
		printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: %s\n\n' "$uri" "$suite" "$*"
	done >>"$tmp"
fi

if [ ! -s "$tmp" ]; then
	echo "deb-src.sh: no Debian entry found in /etc/apt to derive deb-src from" >&2
	exit 1
fi
install -m 0644 "$tmp" "$out"
echo "deb-src.sh: wrote $out from the machine's Debian entries"
