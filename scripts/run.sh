#!/usr/bin/env bash
# Sets up and runs Cashdesk. With no provider account configured it starts
# in sandbox mode: simulated providers and customers, no real money.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
npm --prefix ui run build
exec cargo run -p cashdesk --release "$@"
