#!/usr/bin/env bash
# The team desk under load, alone: N desktop clients on two desk servers
# sharing one PostgreSQL (a throwaway cluster started here and removed
# after), deciding for a set time; its section of docs/BENCHMARKS.md is
# replaced. scripts/bench.sh runs it too, after the other figures.
# Usage: bash scripts/bench-team.sh [--clients N] [--secs S]
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --release -p cashdesk-sandbox --bin cashdesk-team-bench
eval "$(bash scripts/test-pg.sh start)"
trap 'bash scripts/test-pg.sh stop "$CASHDESK_TEST_PG_DIR"' EXIT
"$target/release/cashdesk-team-bench" --append docs/BENCHMARKS.md "$@"
