#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds Sluice, runs the bundled example headless (SQLite
# sensors database -> `sluice demo-api`), then opens the desktop app on the example.
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

kill "$api_pid" 2>/dev/null || true
wait "$api_pid" 2>/dev/null || true

if [[ $gui == 1 ]]; then
  if [[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
    echo "run-example.sh: no display here; on a desktop, run: $sluice" >&2
  else
    # The app runs its own demo API; on first start it opens the example pointed at it
    # (File > Open Example later). Press F5 to run it.
    echo "== starting the desktop app" >&2
    "$sluice"
  fi
fi
