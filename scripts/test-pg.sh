#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: a new cluster (initdb) in a temp
# folder, on a random loopback port, never the system's own cluster.
#   scripts/test-pg.sh start   prints `export CASHDESK_TEST_PG=… CASHDESK_TEST_PG_DIR=…`
#   scripts/test-pg.sh stop DIR
# As root the server runs as the `postgres` user (initdb refuses root).
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed: run scripts/deps.sh" >&2
  exit 1
fi
as=()
[ "$(id -u)" = 0 ] && as=(runuser -u postgres --)

case "${1:-start}" in
start)
  dir=$(mktemp -d -t cashdesk-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  "${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U cashdesk -E UTF8 --no-sync >"$dir/initdb.log"
  # A port nobody holds: try a few at random (pg_ctl -w fails on a taken one).
  for _ in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    if "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400" start >/dev/null; then
      echo "export CASHDESK_TEST_PG=postgres://cashdesk@127.0.0.1:$port/postgres CASHDESK_TEST_PG_DIR=$dir"
      exit 0
    fi
  done
  cat "$dir/server.log" >&2
  exit 1
  ;;
stop)
  dir=${2:?which cluster folder}
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
esac
