#!/usr/bin/env bash
# The local PostgreSQL cluster that `make run` uses when no DATABASE_URL is given: data in
# <repo>/var/pg/data, unix socket only (no TCP) in <repo>/var/pg/run, log in <repo>/var/pg/log,
# superuser and owner of database `portal` is the role `portal`, local connections trusted (the
# socket directory is private to the cluster's user; root may connect too).
# Runs as the invoking user; as root it runs PostgreSQL as the owner of var/pg/data (the
# `postgres` system user for a new cluster), since PostgreSQL refuses to run as root.
# Usage: localdb.sh start|stop|status|url
#   start   initialise on first use, start when not running, wait until ready (idempotent)
#   stop    stop when running
#   status  print the state; exit 0 when running, 3 when not
#   url     print the libpq conninfo the portal uses by default
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
pg=$repo/var/pg
data=$pg/data
run=$pg/run
logdir=$pg/log
conninfo="host=$run dbname=portal user=portal"

usage() {
	echo "usage: localdb.sh start|stop|status|url" >&2
	exit 2
}

# Prints the bin directory of the newest installed PostgreSQL server.
find_bindir() {
	local d best=""
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] || continue
		if [ -z "$best" ] || [ "$(basename "$(dirname "$d")")" -gt "$(basename "$(dirname "$best")")" ]; then
			best=$d
		fi
	done
	if [ -z "$best" ]; then
		echo "localdb.sh: no PostgreSQL server found under /usr/lib/postgresql (install the 'postgresql' package)" >&2
		exit 1
	fi
	echo "$best"
}

# Decides which user runs the cluster: the invoking user, or as root the owner of an existing
# data directory, else `postgres`. Sets `owner` and the command prefix `as_owner`.
pick_owner() {
	if [ "$(id -u)" -ne 0 ]; then
		owner=$(id -un)
		as_owner=()
		if [ -d "$data" ] && [ ! -O "$data" ]; then
			echo "localdb.sh: $data belongs to $(stat -c %U "$data"), not to $owner; run as that user or root" >&2
			exit 1
		fi
		return
	fi
	owner=postgres
	if [ -d "$data" ]; then
		owner=$(stat -c %U "$data")
	fi
	if [ "$owner" = root ]; then
		echo "localdb.sh: $data is owned by root; PostgreSQL cannot run as root (chown -R postgres: $pg)" >&2
		exit 1
	fi
	if ! id "$owner" >/dev/null 2>&1; then
		echo "localdb.sh: no system user '$owner' to run PostgreSQL as (install the 'postgresql' package)" >&2
		exit 1
	fi
	as_owner=(runuser -u "$owner" --)
}

# Runs a command as the cluster's user.
own() {
	"${as_owner[@]}" "$@"
}

# Creates var/pg and the cluster in it. Prints nothing; initdb's output goes to the log.
init_cluster() {
	mkdir -p "$data" "$run" "$logdir"
	if [ "$(id -u)" -eq 0 ]; then
		chown -R "$owner:" "$pg"
		if ! own test -w "$data"; then
			echo "localdb.sh: user $owner cannot reach $data (a parent directory is closed to it); set DATABASE_URL instead" >&2
			exit 1
		fi
	fi
	chmod 0700 "$data" "$run"
	own "$bindir/initdb" -D "$data" -U portal --auth-local=trust --auth-host=scram-sha-256 \
		-E UTF8 --locale=C.UTF-8 2>&1 | own tee -a "$logdir/initdb.log" >/dev/null || {
		echo "localdb.sh: initdb failed, see $logdir/initdb.log" >&2
		exit 1
	}
	echo "include_if_exists = 'portal-local.conf'" | own tee -a "$data/postgresql.conf" >/dev/null
}

# Writes the settings that depend on where the repository is, so a moved checkout still works.
write_local_conf() {
	local quoted=${run//\'/\'\'}
	printf "%s\n" "# Written by backend/setup/localdb.sh on every start." \
		"listen_addresses = ''" \
		"unix_socket_directories = '$quoted'" \
		"unix_socket_permissions = 0700" |
		own tee "$data/portal-local.conf" >/dev/null
}

# Exits 0 when the cluster's postmaster is running.
is_running() {
	[ -f "$data/PG_VERSION" ] && own "$bindir/pg_ctl" status -D "$data" >/dev/null 2>&1
}

# Creates database `portal` when it does not exist yet.
ensure_database() {
	local have
	have=$(own "$bindir/psql" -h "$run" -U portal -d postgres -XtAq \
		-c "SELECT 1 FROM pg_database WHERE datname = 'portal'")
	if [ "$have" != 1 ]; then
		own "$bindir/createdb" -h "$run" -U portal -O portal -E UTF8 portal
	fi
}

cmd_start() {
	local did=started
	# The socket path must fit in sun_path (107 bytes).
	if [ $((${#run} + 13)) -gt 107 ]; then
		echo "localdb.sh: socket path $run/.s.PGSQL.5432 is too long for a unix socket; set DATABASE_URL instead" >&2
		exit 1
	fi
	if [ ! -f "$data/PG_VERSION" ]; then
		init_cluster
		did="initialised and started"
	fi
	if is_running; then
		did="already running"
	else
		write_local_conf
		# 9<&-: the server must not inherit (and so hold) the lock.
		own "$bindir/pg_ctl" start -D "$data" -w -t 60 -l "$logdir/postgresql.log" >/dev/null 9<&- || {
			echo "localdb.sh: PostgreSQL did not start, see $logdir/postgresql.log" >&2
			exit 1
		}
	fi
	local i
	for i in $(seq 1 60); do
		if "$bindir/pg_isready" -q -h "$run" -d postgres -U portal; then
			break
		fi
		if [ "$i" -eq 60 ]; then
			echo "localdb.sh: PostgreSQL is not accepting connections, see $logdir/postgresql.log" >&2
			exit 1
		fi
		sleep 0.5
	done
	ensure_database
	echo "localdb.sh: PostgreSQL $(basename "$(dirname "$bindir")") $did ($conninfo)"
}

cmd_stop() {
	if ! is_running; then
		echo "localdb.sh: PostgreSQL is not running"
		return
	fi
	own "$bindir/pg_ctl" stop -D "$data" -m fast -w >/dev/null
	echo "localdb.sh: PostgreSQL stopped"
}

cmd_status() {
	if [ ! -f "$data/PG_VERSION" ]; then
		echo "localdb.sh: no cluster yet in $data"
		exit 3
	fi
	if is_running; then
		echo "localdb.sh: running as $owner, pid $(head -n 1 "$data/postmaster.pid") ($conninfo)"
	else
		echo "localdb.sh: stopped (data in $data)"
		exit 3
	fi
}

[ $# -eq 1 ] || usage
case $1 in
url)
	echo "$conninfo"
	exit 0
	;;
start | stop | status) ;;
*) usage ;;
esac

bindir=$(find_bindir)
pick_owner
# One start/stop at a time per checkout.
if [ "$1" = start ]; then
	mkdir -p "$pg"
fi
if [ -d "$pg" ]; then
	exec 9<"$pg"
	flock 9
fi
"cmd_$1"
