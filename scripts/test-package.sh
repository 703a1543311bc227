#!/usr/bin/env bash
# Checks the packages scripts/package.sh built, without installing them:
# their metadata and contents, then each unpacked (dpkg -x) into a fresh
# temporary folder, where the files must be and the server must answer.
# The AppImage is unpacked by its own runtime (--appimage-extract).
# Usage: bash scripts/test-package.sh [DESKTOP_DEB SERVER_DEB APPIMAGE]
#   (default: this version's packages in ${CARGO_TARGET_DIR:-target}/packages/)
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
step() { printf '\n==> %s\n' "$*"; }

version=$(awk '/^\[/ { in_pkg = ($0 == "[workspace.package]") }
  in_pkg && /^version *=/ { gsub(/^version *= *"|".*$/, ""); print; exit }' Cargo.toml)
arch=$(dpkg --print-architecture)

if [ $# -eq 3 ]; then
  desktop_deb=$1 server_deb=$2 appimage=$3
elif [ $# -eq 0 ]; then
  dir=${CARGO_TARGET_DIR:-target}/packages
  server_deb=$dir/cashdesk-server_${version}_${arch}.deb
  appimage=$(ls "$dir"/*_"${version}"_*.AppImage 2>/dev/null | head -n1 || true)
  # The desktop package is named by Tauri (productName): whichever other
  # package of this version and architecture is there.
  desktop_deb=
  for f in "$dir"/*_"${version}_${arch}".deb; do
    if [ -e "$f" ] && [ "$f" != "$server_deb" ]; then desktop_deb=$f; fi
  done
else
  echo "usage: $0 [DESKTOP_DEB SERVER_DEB APPIMAGE]" >&2; exit 2
fi
[ -f "${desktop_deb:-}" ] || fail "no desktop .deb (run scripts/package.sh)"
[ -f "$server_deb" ] || fail "no $server_deb (run scripts/package.sh)"
[ -f "${appimage:-}" ] || fail "no desktop AppImage (run scripts/package.sh)"
appimage=$(realpath -- "$appimage")

tmp=$(mktemp -d -t cashdesk-test-package.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# Unpacks $1 into $tmp/$2 (files and control files) after printing what it
# declares and holds.
unpack() {
  dpkg-deb --info "$1"
  dpkg-deb --contents "$1"
  dpkg -x "$1" "$tmp/$2"
  dpkg-deb --control "$1" "$tmp/$2.control"
  for s in preinst postinst prerm postrm; do
    if [ -f "$tmp/$2.control/$s" ]; then
      sh -n "$tmp/$2.control/$s" || fail "$2: $s is not valid sh"
    fi
  done
}

# Every shared library an executable needs is found on this machine (the
# packages' Depends name them; deps.sh installed them here).
libs_found() {
  if ldd "$1" 2>&1 | grep -q 'not found'; then
    ldd "$1" >&2
    fail "$1: missing shared libraries"
  fi
  ok "$(basename "$1"): shared libraries found"
}

# --- The desktop app -----------------------------------------------------------
step "desktop: $desktop_deb"
unpack "$desktop_deb" desktop
d=$tmp/desktop
# Tauri installs the main binary as usr/bin/<name> (the crate's name,
# `cashdesk`, unless mainBinaryName says otherwise): take the one there.
exe=$(find "$d/usr/bin" -maxdepth 1 -type f -perm -u+x 2>/dev/null | head -n1)
[ -n "$exe" ] || fail "desktop: no executable in usr/bin"
ok "desktop: executable usr/bin/$(basename "$exe")"
libs_found "$exe"

desktop_file=$(find "$d/usr/share/applications" -maxdepth 1 -name '*.desktop' 2>/dev/null | head -n1)
[ -n "$desktop_file" ] || fail "desktop: no .desktop file in usr/share/applications"
grep -q "^Exec=$(basename "$exe")\b" "$desktop_file" ||
  fail "desktop: $(basename "$desktop_file") does not start $(basename "$exe")"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$desktop_file" || fail "desktop: $(basename "$desktop_file") is not valid"
fi
ok "desktop: $(basename "$desktop_file")"

icons=$(find "$d/usr/share/icons" -type f -name '*.png' 2>/dev/null | wc -l)
[ "$icons" -gt 0 ] || fail "desktop: no icons under usr/share/icons"
ok "desktop: $icons icons"

dpkg-deb -f "$desktop_deb" Depends | grep -q 'libwebkit2gtk-4.1' ||
  fail "desktop: Depends does not name WebKitGTK 4.1"
ok "desktop: depends on WebKitGTK"

# Starting the app from the packages under Xvfb and seeing the queue is
# the WebDriver test's job (tests/e2e/package.rs).

# --- The desktop AppImage --------------------------------------------------------
step "desktop: $appimage"
[ -x "$appimage" ] || fail "AppImage: not executable"
# A type 2 AppImage: an ELF runtime with the magic bytes AI 02 at offset 8,
# the squashfs image after it.
[ "$(od -An -tx1 -j8 -N3 "$appimage" | tr -d ' ')" = 414902 ] || fail "AppImage: no type 2 magic"
offset=$("$appimage" --appimage-offset) || fail "AppImage: its runtime does not answer --appimage-offset"
ok "AppImage: type 2, image at byte $offset"
(cd "$tmp" && "$appimage" --appimage-extract >/dev/null) || fail "AppImage: does not unpack"
a=$tmp/squashfs-root
[ -x "$a/AppRun" ] || fail "AppImage: no AppRun"
[ -x "$a/usr/bin/cashdesk" ] || fail "AppImage: no usr/bin/cashdesk"
grep -q '^Exec=cashdesk\b' "$a"/*.desktop || fail "AppImage: no .desktop starting cashdesk"
for p in WebKitWebProcess WebKitNetworkProcess; do
  [ -n "$(find "$a/usr/lib" -name "$p" -type f)" ] || fail "AppImage: WebKit's $p not bundled"
done
[ -n "$(find "$a/usr/lib" -name 'libwebkit2gtk-4.1.so*')" ] || fail "AppImage: WebKitGTK not bundled"
ok "AppImage: AppRun, usr/bin/cashdesk, .desktop, WebKitGTK and its helper processes"

# --- The desk server -------------------------------------------------------------
step "server: $server_deb"
unpack "$server_deb" server
s=$tmp/server
[ -x "$s/usr/bin/cashdesk-server" ] || fail "server: usr/bin/cashdesk-server missing or not executable"
ok "server: usr/bin/cashdesk-server"
libs_found "$s/usr/bin/cashdesk-server"

unit=$s/lib/systemd/system/cashdesk-server.service
[ -f "$unit" ] || fail "server: lib/systemd/system/cashdesk-server.service missing"
if command -v systemd-analyze >/dev/null; then
  # verify wants ExecStart's binary where the unit says: a copy pointing
  # into the unpacked tree, under the same name.
  mkdir -p "$tmp/unit"
  sed "s|^ExecStart=/usr/bin/|ExecStart=$s/usr/bin/|" "$unit" >"$tmp/unit/cashdesk-server.service"
  verify=$(systemd-analyze verify "$tmp/unit/cashdesk-server.service" 2>&1) ||
    { echo "$verify" >&2; fail "server: the unit does not verify"; }
  # It only warns about unknown keys and bad values ("file:line: ..."):
  # those fail here too.
  if echo "$verify" | grep 'cashdesk-server\.service:[0-9]'; then
    fail "server: the unit has the warnings above"
  fi
  ok "server: unit verifies"
else
  echo "skip: no systemd-analyze, unit not verified"
fi

[ -f "$s/etc/cashdesk/server.env" ] || fail "server: etc/cashdesk/server.env missing"
grep -qx /etc/cashdesk/server.env "$tmp/server.control/conffiles" ||
  fail "server: /etc/cashdesk/server.env is not a conffile"
# Every line is a comment or blank: the defaults apply until the admin
# sets something.
if grep -v '^[[:space:]]*\(#.*\)\?$' "$s/etc/cashdesk/server.env"; then
  fail "server: server.env sets the lines above"
fi
ok "server: etc/cashdesk/server.env, a conffile, all commented"

# The binary runs: makes its certificate in an empty data folder and prints
# the fingerprint, twice the same (made once, then reused). env -i: none of
# the caller's CASHDESK_* settings.
data=$tmp/data
run_fp() { env -i PATH=/usr/bin:/bin CASHDESK_DATA_DIR="$data" "$s/usr/bin/cashdesk-server" fingerprint; }
fp=$(run_fp) || fail "server: fingerprint failed"
echo "$fp" | grep -q '^SHA256:' || fail "server: fingerprint printed: $fp"
[ "$(run_fp)" = "$fp" ] || fail "server: the fingerprint changed on a second run"
[ -f "$data/tls/team-desk.key" ] || fail "server: no certificate key in the data folder"
ok "server: fingerprint $fp"

step "packages check out"
