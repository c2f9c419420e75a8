#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates docs/images/main-window.png: the desktop app in a real X server (Xvfb), with
# fresh settings, after a run of the bundled example into the built-in demo API's flaky
# endpoint (30 % of requests fail with 503, one retry each), so the picture shows delivered
# and failed items and the failures grouped by cause. Captured with ImageMagick. Needs a
# built sluice (scripts/run-example.sh --no-gui builds it) and `scripts/install-deps.sh run`
# (xvfb, xauth, imagemagick). Port 8765 must be free (the built-in API takes it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sluice=${SLUICE:-build/src/app/sluice}
out=${1:-docs/images/main-window.png}
[[ -x "$sluice" ]] || { echo "screenshot.sh: build sluice first ($sluice)" >&2; exit 2; }
if (exec 3<>/dev/tcp/127.0.0.1/8765) 2>/dev/null; then
  echo "screenshot.sh: port 8765 is in use; stop what listens there first" >&2
  exit 2
fi
mkdir -p "$(dirname "$out")"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export XDG_CONFIG_HOME=$scratch/config XDG_DATA_HOME=$scratch/data
cp resources/example/sensors.db "$scratch/"
sed -e 's#http://127.0.0.1:8765/sensors/_doc#http://127.0.0.1:8765/flaky/30/sensors/_doc#' \
    -e 's#"maxRetries": 3#"maxRetries": 1#' \
    resources/example/sensors-to-demo-api.json >"$scratch/sensors-flaky.json"
grep -q flaky/30 "$scratch/sensors-flaky.json" || { echo "screenshot.sh: example changed" >&2; exit 2; }
xvfb-run -a -s "-screen 0 1100x760x24" sh -c "
  '$sluice' --start '$scratch/sensors-flaky.json' & app=\$!
  sleep 6
  import -window root '$out'
  kill \$app; wait \$app 2>/dev/null || true"
echo "screenshot.sh: wrote $out ($(identify -format '%wx%h' "$out"))" >&2
