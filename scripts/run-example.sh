#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds Sluice, starts the local demo API and runs the
# bundled example (SQLite sensors database -> demo API), then opens the desktop app.
#   scripts/run-example.sh            headless run of the example, then the desktop app
#   scripts/run-example.sh --no-gui   only the headless run
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

gui=1
for arg in "$@"; do
  case "$arg" in
    --no-gui) gui=0 ;;
    *) echo "run-example.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

scripts/install-deps.sh run
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target sluice
sluice=build/src/app/sluice

port=8765
"$sluice" demo-api --port "$port" &
api_pid=$!
trap 'kill "$api_pid" 2>/dev/null || true; wait "$api_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

echo "== sluice run resources/example/sensors-to-demo-api.json" >&2
"$sluice" run resources/example/sensors-to-demo-api.json --failed build/example-failed.ndjson || true

if [[ $gui == 1 ]]; then
  if [[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
    echo "run-example.sh: no display; starting the desktop app under xvfb-run is pointless here." >&2
    echo "                run it on a desktop: $sluice" >&2
  else
    echo "== starting the desktop app (the demo API keeps running until you close it)" >&2
    "$sluice"
  fi
fi
