#!/usr/bin/env bash
# Runs inside xvfb-run + dbus-run-session on scripts/test-bus.sh's bus (see scripts/test.sh): a throwaway
# keyring and notification daemon, and temp XDG folders so no test touches
# the user's own data or keychain.
set -euo pipefail
tmp=$(mktemp -d -t cashdesk-test.XXXXXX)
export XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache XDG_RUNTIME_DIR=$tmp/run
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# Anything D-Bus starts on demand uses the temp folders too, never ~/.
dbus-update-activation-environment XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_RUNTIME_DIR
eval "$(printf 'cashdesk-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
# If gnome-keyring dies (it aborts when a client killed -9 vanishes in the
# middle of a call), D-Bus starts it again unlocked on the next call: see
# scripts/test-bus.sh, whose bus configuration this session runs on.
dunst >"$tmp/dunst.log" 2>&1 &
dunst_pid=$!
# The store's PostgreSQL engine is tested on a cluster of its own (a temp
# folder, a random port), stopped and removed when the session ends.
pg=$(cd "$(dirname "$0")" && pwd)/test-pg.sh
eval "$(bash "$pg" start)"
trap 'kill $dunst_pid 2>/dev/null || true; bash "$pg" stop "$CASHDESK_TEST_PG_DIR"' EXIT
for _ in $(seq 50); do
  dbus-send --session --dest=org.freedesktop.DBus --print-reply /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.Notifications 2>/dev/null | grep -q 'boolean true' && break
  sleep 0.1
done
# `--run CMD…` runs CMD in this session instead (the app benchmarks).
if [ "${1:-}" = "--run" ]; then
  shift
  "$@"
else
  cargo test --workspace --no-fail-fast "$@"
fi
