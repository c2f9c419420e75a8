#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A first start of the desktop app as a new user meets it, driven only through the
# accessibility bus (AT-SPI): a fresh home (so the bundled example opens), a real X server
# (Xvfb), a private D-Bus session with its accessibility bus; tests/gui/atspi/press-start.py
# finds the push button named "Start", presses it, and waits for "240 delivered".
#   atspi-first-run.sh SLUICE_BINARY
set -euo pipefail
sluice=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/config" "$home/data" "$home/run"
chmod 700 "$home/run"
export HOME=$home XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_RUNTIME_DIR=$home/run
# A real platform (the tests' offscreen one has no accessibility bridge), and the bridge on
# although no screen reader announced itself on the bus.
unset QT_QPA_PLATFORM
export QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 NO_AT_BRIDGE=0
export SLUICE_ATSPI_BINARY=$sluice SLUICE_ATSPI_SCRIPT=$here/../gui/atspi/press-start.py
exec xvfb-run -a -s "-screen 0 1280x900x24" dbus-run-session -- bash -c '
  "$SLUICE_ATSPI_BINARY" > "$HOME/app.log" 2>&1 &
  app=$!
  rc=0
  /usr/bin/python3 "$SLUICE_ATSPI_SCRIPT" 240 90 || rc=$?
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  if [[ $rc != 0 ]]; then echo "--- the app printed:"; cat "$HOME/app.log"; fi
  exit $rc'
