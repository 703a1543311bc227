#!/usr/bin/env bash
# Writes a private D-Bus session configuration into folder $1 and prints
# its path, for `dbus-run-session --config-file`. It is the standard
# session bus, except that the keyring D-Bus starts on demand comes up
# unlocked with the test password, and keyring prompts fail at once:
# gnome-keyring 42 aborts when a client killed -9 vanishes mid-call (an
# upstream bug the crash tests trigger), and the stock service would then
# start a *locked* keyring whose unlock prompt waits forever for a person.
set -euo pipefail
dir=$1
mkdir -p "$dir/services"
cat >"$dir/keyring.sh" <<'SH'
#!/bin/sh
printf 'cashdesk-test' | exec /usr/bin/gnome-keyring-daemon --replace --foreground --unlock --components=secrets
SH
chmod +x "$dir/keyring.sh"
for name in org.freedesktop.secrets org.gnome.keyring; do
  printf '[D-BUS Service]\nName=%s\nExec=%s/keyring.sh\n' "$name" "$dir" >"$dir/services/$name.service"
done
for name in org.gnome.keyring.SystemPrompter org.gnome.keyring.PrivatePrompter; do
  printf '[D-BUS Service]\nName=%s\nExec=/bin/false\n' "$name" >"$dir/services/$name.service"
done
cat >"$dir/session.conf" <<XML
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <!-- Listed first: these win over the system's files of the same name. -->
  <servicedir>$dir/services</servicedir>
  <standard_session_servicedirs/>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
XML
echo "$dir/session.conf"
