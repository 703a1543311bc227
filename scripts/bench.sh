#!/usr/bin/env bash
# Writes docs/BENCHMARKS.md: the store's figures at 1,000,000 requests (queue
# pages vs raw SQLite, approve vs bare fsync, export), then the app's (a
# provider webhook to its desktop notification; start, memory and idle CPU
# against an empty Tauri 2 app built the same way), in a private X and
# D-Bus session with a notification daemon, as the tests run.
# Last, the team desk under load (desktops on two servers, one PostgreSQL);
# scripts/bench-team.sh runs that part alone.
# Usage: bash scripts/bench.sh [--rows N] [--iterations N]
# (APP_ROWS, APP_RUNS, APP_IDLE_SECS tune the app part; TEAM_CLIENTS,
# TEAM_SECS the team desk's.)
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
# The database goes beside the build unless BENCH_DIR says otherwise.
dir="${BENCH_DIR:-$target}"
mkdir -p "$dir"
cargo run --release -p cashdesk-store --bin cashdesk-bench -- --dir "$dir" --out docs/BENCHMARKS.md "$@"

npm --prefix ui run build
cargo build --release -p cashdesk -p cashdesk-empty-shell
cargo build --release -p cashdesk-sandbox --bin cashdesk-notify-bench --bin cashdesk-team-bench
cargo build --release -p cashdesk-tests --example app-bench
bus=$(mktemp -d -t cashdesk-bus.XXXXXX)
trap 'rm -rf "$bus"' EXIT
xvfb-run -a -s "-screen 0 1280x800x24" \
  dbus-run-session --config-file="$(bash scripts/test-bus.sh "$bus")" -- \
  bash scripts/test-session.sh --run bash -c '
    set -e
    "$0/release/cashdesk-notify-bench" --append docs/BENCHMARKS.md
    "$0/release/examples/app-bench" --bin-dir "$0/release" --append docs/BENCHMARKS.md \
      --rows "${APP_ROWS:-1000000}" --runs "${APP_RUNS:-5}" --idle-secs "${APP_IDLE_SECS:-60}"
    "$0/release/cashdesk-team-bench" --append docs/BENCHMARKS.md \
      --clients "${TEAM_CLIENTS:-50}" --secs "${TEAM_SECS:-30}"
  ' "$target"
