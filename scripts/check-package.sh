#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian package in a configured build folder and checks it as a user would meet it:
#   scripts/check-package.sh [BUILD]     (default: build; scripts/test.sh runs it in CI)
# - lintian finds no error or warning in it;
# - desktop-file-validate and appstreamcli accept its desktop entry and metainfo;
# - it holds everything packaging/CMakeLists.txt installs, the versions of the package, the
#   metainfo's newest release and the changelog agree, the man page renders without warnings,
#   and the man page and bash completion know every command and option `sluice --help` lists;
# - unpacked into a scratch root (dpkg-deb -x), its `sluice --version` answers, and its
#   `sluice run` moves the bundled example into its own `sluice demo-api` on a free port.
# BUILD is one with the desktop app (SLUICE_GUI, the default): the package of a build without
# it has no desktop entry, metainfo or icons, and fails the contents check.
# Needs: scripts/install-deps.sh test (lintian, desktop-file-utils, appstream, bash-completion,
# dpkg-dev, file, librsvg2-bin).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=${1:-build}
started=$SECONDS
fail() {
  echo "check-package: $*" >&2
  exit 1
}
[[ -f $build/CPackConfig.cmake ]] || fail "$build is not a configured build folder (cmake -S . -B $build)"

echo "== package ($build)" >&2
cmake --build "$build" --target package -j"$(nproc)" >/dev/null
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
deb=$build/sluice_${version}_$(dpkg --print-architecture).deb
[[ -f $deb ]] || fail "cpack made no $deb"
echo "$deb: $(du -h "$deb" | cut -f1); $(dpkg-deb -f "$deb" Depends)" >&2

scratch=$(mktemp -d)
api_pid=""
cleanup() {
  if [[ -n $api_pid ]]; then
    kill "$api_pid" 2>/dev/null || true
    wait "$api_pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
root=$scratch/root
dpkg-deb -x "$deb" "$root"
sluice=$root/usr/bin/sluice
id=$(sed -n 's/^set(SLUICE_APP_ID \(.*\))$/\1/p' CMakeLists.txt)
[[ -n $id ]] || fail "no SLUICE_APP_ID in CMakeLists.txt"

echo "== lintian" >&2
# Errors and warnings fail; info tags are shown. No tag is suppressed.
lintian --fail-on error,warning --display-info "$deb" || fail "lintian found problems (above)"

echo "== contents" >&2
expected=(usr/bin/sluice usr/share/man/man1/sluice.1.gz
          usr/share/bash-completion/completions/sluice
          usr/share/doc/sluice/copyright usr/share/doc/sluice/changelog.gz
          usr/share/doc/sluice/examples/sensors.db
          usr/share/doc/sluice/examples/sensors-to-demo-api.json
          "usr/share/applications/$id.desktop" "usr/share/metainfo/$id.metainfo.xml"
          "usr/share/icons/hicolor/scalable/apps/$id.svg")
for size in 16 24 32 48 64 128 256; do
  expected+=("usr/share/icons/hicolor/${size}x$size/apps/$id.png")
done
for path in "${expected[@]}"; do
  [[ -f $root/$path ]] || fail "the package has no /$path"
done
for size in 16 48 256; do
  png=$root/usr/share/icons/hicolor/${size}x$size/apps/$id.png
  file -b "$png" | grep -q "PNG image data, $size x $size," || fail "$png is not a $size px PNG"
done

echo "== desktop-file-validate, appstreamcli" >&2
desktop-file-validate "$root/usr/share/applications/$id.desktop"
# --strict: warnings and info fail too (pedantic hints do not); --no-net: offline.
appstreamcli validate --no-net --strict "$root/usr/share/metainfo/$id.metainfo.xml"
appstreamcli validate-tree --no-net "$root"

echo "== versions" >&2
release=$(grep -o '<release version="[^"]*"' "$root/usr/share/metainfo/$id.metainfo.xml" \
          | head -n 1 | cut -d'"' -f2)
changelog=$(zcat "$root/usr/share/doc/sluice/changelog.gz" | head -n 1 | sed 's/^sluice (\([^)]*\)).*/\1/')
[[ $release == "$version" ]] \
  || fail "the metainfo's newest release is $release, the package is $version (packaging/sluice.metainfo.xml.in)"
[[ $changelog == "$version" ]] \
  || fail "the changelog's newest entry is $changelog, the package is $version (packaging/changelog)"
[[ $("$sluice" --version) == "sluice $version" ]] || fail "sluice --version says: $("$sluice" --version)"

echo "== man page, bash completion" >&2
man_page=$root/usr/share/man/man1/sluice.1.gz
man_warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$man_page" 2>&1 >/dev/null)
[[ -z $man_warnings ]] || fail "the man page has problems: $man_warnings"
man_text=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$man_page" 2>/dev/null)
# complete WORDS...: what the installed completion offers for the last word.
complete_words() {
  bash -c 'source /usr/share/bash-completion/bash_completion
           source "$1"; shift
           COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
           _sluice; printf "%s\n" "${COMPREPLY[@]}"' \
    complete "$root/usr/share/bash-completion/completions/sluice" sluice "$@"
}
# The commands `sluice --help` lists, and each one's options from its own --help.
mapfile -t commands < <("$sluice" --help | grep -oE '^ *(Usage:)? +sluice [a-z][a-z-]+' | awk '{print $NF}')
[[ ${#commands[@]} -ge 3 ]] || fail "found no commands in sluice --help"
offered=$(complete_words "")
for command in "${commands[@]}"; do
  grep -qx -- "$command" <<<"$offered" || fail "bash completion does not offer the command $command"
  grep -qE -- "^ +(sluice )?$command( |$)" <<<"$man_text" || fail "the man page does not describe sluice $command"
  # (--help-all is Qt's own: --help with Qt's generic options, which sluice does not take.)
  options=$("$sluice" "$command" --help | grep -oE '^ +(-[a-zA-Z], )?--?[a-zA-Z][a-zA-Z-]*' \
            | grep -oE -- '--?[a-zA-Z][a-zA-Z-]*$' | grep -vx -- --help-all || true)
  offered_options=$(complete_words "$command" -)
  for option in $options; do
    grep -qx -- "$option" <<<"$offered_options" \
      || fail "bash completion does not offer $option for sluice $command"
    grep -qE -- "(^|[ ,])$option([ ,=]|$)" <<<"$man_text" \
      || fail "the man page does not describe $option of sluice $command"
  done
done
grep -qx -- --start <<<"$(complete_words -)" || fail "bash completion does not offer --start"

echo "== the example, run from the package" >&2
# The demo API on a free port (it prints the one it got), and a copy of the example that
# sends there; everything the run writes stays in the scratch folder.
export XDG_DATA_HOME=$scratch/data XDG_CONFIG_HOME=$scratch/config
coproc api { exec "$sluice" demo-api --port 0 2>/dev/null; }
api_pid=$api_PID
IFS= read -r -t 10 banner <&"${api[0]}" || fail "sluice demo-api did not start"
port=$(sed -n 's|^Sluice demo API listening on http://127\.0\.0\.1:\([0-9]*\)/$|\1|p' <<<"$banner")
[[ -n $port ]] || fail "sluice demo-api said: $banner"
mkdir "$scratch/example"
cp "$root/usr/share/doc/sluice/examples/sensors.db" "$scratch/example/"
sed "s|127\.0\.0\.1:8765|127.0.0.1:$port|" \
  "$root/usr/share/doc/sluice/examples/sensors-to-demo-api.json" >"$scratch/example/example.json"
summary=$("$sluice" run "$scratch/example/example.json" --quiet) \
  || fail "sluice run of the example failed: $summary"
[[ $summary == "delivered 240, failed 0, invalid 0 in "* ]] || fail "sluice run said: $summary"
kill -TERM "$api_pid"
IFS= read -r -t 10 stopped <&"${api[0]}" || true
wait "$api_pid" || fail "sluice demo-api ended with an error"
api_pid=""
[[ $stopped == *"documents: sensors=240" ]] || fail "the demo API holds: $stopped"
echo "$summary; $stopped" >&2

echo "check-package: $deb is fine ($((SECONDS - started)) s)" >&2
