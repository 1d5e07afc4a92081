#!/usr/bin/env bash
# What `make run` does once the portal is built: starts the local PostgreSQL under var/pg unless
# DATABASE_URL is set, makes a self-signed certificate under var/tls unless PORTAL_TLS_CERT is set,
# migrates, seeds and serves in the foreground. Usage: run.sh PORTAL_BIN
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: run.sh PORTAL_BIN" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
portal=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$repo"

if [ -z "${DATABASE_URL:-}" ]; then
	bash "$here/localdb.sh" start
fi
note=""
if [ -z "${PORTAL_TLS_CERT:-}" ]; then
	bash "$here/tls.sh" var/tls/cert.pem var/tls/key.pem
	note=" (self-signed certificate var/tls/cert.pem: your browser warns once; accept it for localhost)"
fi

"$portal" migrate
"$portal" seed

# The port the portal listens on: PORTAL_LISTEN, else `listen` in the config file, else 8443.
conf=${PORTAL_CONFIG:-config/portal.conf}
listen=${PORTAL_LISTEN:-}
if [ -z "$listen" ] && [ -f "$conf" ]; then
	listen=$(sed -n 's/^[[:space:]]*listen[[:space:]]*=[[:space:]]*\([^[:space:]#]*\).*/\1/p' "$conf" | tail -n 1)
fi
listen=${listen:-8443}
echo "Serving https://localhost:${listen##*:}/$note - Ctrl-C stops it."
# Locally no email is sent: HR reads them, and follows their links, at /hr/outbox.
export PORTAL_OUTBOX_BODIES=${PORTAL_OUTBOX_BODIES:-1}
exec "$portal" serve
