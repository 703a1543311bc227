#!/usr/bin/env bash
# Sets up and runs every Cashdesk test: formatting, lints, type drift, UI
# unit tests, and the Rust suites against real parts (SQLite files, the
# Secret Service, a notification daemon, the app window over WebDriver,
# simulators on loopback). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
command -v tauri-driver >/dev/null || cargo install tauri-driver@2.1.0 --locked

step() { printf '\n==> %s\n' "$*"; }

step "format"
cargo fmt --all -- --check

step "UI: types, unit tests, build"
npm --prefix ui run check
npm --prefix ui test
npm --prefix ui run build

step "lints"
cargo clippy --workspace --all-targets -- -D warnings

step "build the app and every test target"
# One build with the same feature set `cargo test --workspace` uses, so the
# test run reuses these artifacts instead of compiling the graph again.
cargo build --workspace --all-targets

step "packages: the desktop .deb and AppImage, the server .deb (debug builds), unpacked and checked"
bash scripts/package.sh --debug
bash scripts/test-package.sh
# The e2e suite starts the desktop app from these packages (tests/e2e/package.rs).
CASHDESK_E2E_DEB=$(realpath "${CARGO_TARGET_DIR:-target}"/packages/Cashdesk_*.deb)
CASHDESK_E2E_APPIMAGE=$(realpath "${CARGO_TARGET_DIR:-target}"/packages/Cashdesk_*.AppImage)
export CASHDESK_E2E_DEB CASHDESK_E2E_APPIMAGE

step "Rust tests (Xvfb + private D-Bus session with keychain and notification daemon)"
bus=$(mktemp -d -t cashdesk-bus.XXXXXX)
trap 'rm -rf "$bus"' EXIT
xvfb-run -a -s "-screen 0 1280x800x24" \
  dbus-run-session --config-file="$(bash scripts/test-bus.sh "$bus")" -- bash scripts/test-session.sh "$@"

step "types shared with the UI are up to date"
if [ -n "$(git status --porcelain -- ui/src/lib/bindings)" ]; then
  git status --porcelain -- ui/src/lib/bindings
  echo "ui/src/lib/bindings differs from the Rust types: commit the regenerated files" >&2
  exit 1
fi
echo "bindings match"
