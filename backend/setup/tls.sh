#!/usr/bin/env bash
# Makes a self-signed certificate for local use when CERT is missing: ECDSA P-256, valid 825
# days, for localhost, 127.0.0.1 and ::1. Reuses KEY when it exists, otherwise writes a new one
# (mode 0600). Does nothing when both exist. Usage: tls.sh CERT KEY
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: tls.sh CERT KEY" >&2
	exit 2
fi
cert=$1
key=$2

if [ -f "$cert" ] && [ -f "$key" ]; then
	exit 0
fi
if [ -f "$cert" ]; then
	echo "tls.sh: $cert exists but its key $key does not; remove $cert to make a new pair" >&2
	exit 1
fi

mkdir -p "$(dirname "$cert")" "$(dirname "$key")"
umask 077
tmp=$(mktemp -d "$(dirname "$cert")/.tls.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ -f "$key" ]; then
	keyopt=(-key "$key")
else
	keyopt=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout "$tmp/key.pem")
fi
openssl req -x509 -nodes -days 825 -sha256 "${keyopt[@]}" -out "$tmp/cert.pem" \
	-subj "/CN=localhost" \
	-addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
	-addext "basicConstraints=critical,CA:FALSE" \
	-addext "keyUsage=critical,digitalSignature" \
	-addext "extendedKeyUsage=serverAuth" 2>"$tmp/err" || {
	cat "$tmp/err" >&2
	echo "tls.sh: openssl could not make the certificate" >&2
	exit 1
}
chmod 0644 "$tmp/cert.pem"
if [ ! -f "$key" ]; then
	chmod 0600 "$tmp/key.pem"
	mv "$tmp/key.pem" "$key"
fi
mv "$tmp/cert.pem" "$cert"
echo "tls.sh: made a self-signed certificate for localhost in $cert (key $key)"
