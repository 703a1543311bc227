#!/usr/bin/env bash
# Generates a database of 1,000,000 requests and writes the store's figures
# (queue page vs raw SQLite, approve vs bare fsync) to docs/BENCHMARKS.md.
# Usage: bash scripts/bench.sh [--rows N] [--iterations N]
set -euo pipefail
cd "$(dirname "$0")/.."
# The database goes beside the build (wherever CARGO_TARGET_DIR puts it)
# unless BENCH_DIR says otherwise.
dir="${BENCH_DIR:-${CARGO_TARGET_DIR:-target}}"
mkdir -p "$dir"
cargo run --release -p cashdesk-store --bin cashdesk-bench -- --dir "$dir" --out docs/BENCHMARKS.md "$@"
