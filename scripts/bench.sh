#!/usr/bin/env bash
# Generates a database of 1,000,000 requests and writes the store's figures
# (queue page vs raw SQLite, approve vs bare fsync) to docs/BENCHMARKS.md.
# Usage: bash scripts/bench.sh [--rows N] [--iterations N]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -p cashdesk-store --bin cashdesk-bench -- --dir "${BENCH_DIR:-target}" --out docs/BENCHMARKS.md "$@"
