#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates docs/images/main-window.png: the desktop app in a real X server (Xvfb), with
# fresh settings so the bundled example opens, after a run of it into the built-in demo API,
# captured with ImageMagick. Needs a built sluice (scripts/run-example.sh --no-gui builds it)
# and `scripts/install-deps.sh run` (xvfb, xauth, imagemagick).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sluice=${SLUICE:-build/src/app/sluice}
out=${1:-docs/images/main-window.png}
[[ -x "$sluice" ]] || { echo "screenshot.sh: build sluice first ($sluice)" >&2; exit 2; }
mkdir -p "$(dirname "$out")"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export XDG_CONFIG_HOME=$scratch/config XDG_DATA_HOME=$scratch/data
xvfb-run -a -s "-screen 0 1100x760x24" sh -c "
  '$sluice' --start & app=\$!
  sleep 5
  import -window root '$out'
  kill \$app; wait \$app 2>/dev/null || true"
echo "screenshot.sh: wrote $out ($(identify -format '%wx%h' "$out"))" >&2
