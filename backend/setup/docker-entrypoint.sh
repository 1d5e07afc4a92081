#!/bin/sh
# The container's entry point: with no arguments migrates, seeds and serves (run from /app, the
# image's copy of the repository layout); with arguments runs the portal CLI with them, e.g.
# `docker-compose run --rm portal user add ...`.
set -eu

cd /app
if [ $# -gt 0 ]; then
	exec build/portal "$@"
fi
build/portal migrate
build/portal seed
exec build/portal serve
