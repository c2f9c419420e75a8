#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages Sluice needs that are missing, and nothing else.
#   scripts/install-deps.sh build   compiler, CMake, Qt 6 (with Qt Charts) and the SQL drivers
#                                   (and the MariaDB client headers: the streaming MySQL/MariaDB
#                                   reader)
#   scripts/install-deps.sh package build + what `cmake --build build --target package` needs
#                                   (dpkg-dev, file, librsvg2-bin)
#   scripts/install-deps.sh test    build + package + PostgreSQL and MariaDB servers,
#                                   PostgreSQL's ODBC driver, clang-format, fonts, clang and
#                                   libclang-rt-14-dev (libFuzzer: tests/scripts/fuzz.sh), lld,
#                                   and the package checkers (scripts/check-package.sh)
#   scripts/install-deps.sh run     build + fonts and an X server helper for the desktop app
#   scripts/install-deps.sh bench   build + nginx, wrk, h2load, Python aiohttp (the baselines)
# qt6-translations-l10n: Qt's own translations (qtbase_de.qm: the German standard buttons).
# Several sets may be given. Uses apt-get as root, sudo otherwise. When another apt or dpkg
# run holds its lock, waits for it (SLUICE_APT_LOCK_WAIT seconds at most, default 600).
set -euo pipefail

build=(g++ cmake ninja-build pkg-config
       qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
       qt6-translations-l10n
       libqt6sql6-sqlite libqt6sql6-psql libqt6sql6-mysql libqt6sql6-odbc libmariadb-dev
       qt6-httpserver-dev qt6-websockets-dev libxkbcommon-dev libsqlite3-dev qtkeychain-qt6-dev
       qt6-charts-dev libqt6opengl6-dev)
# qt6-charts-dev: the run step's live charts; its CMake package needs Qt6OpenGL's, which
# libqt6opengl6-dev holds (qt6-base-dev only recommends it).
# gnome-keyring and dbus-daemon: the keychain test (tests/scripts/keychain-session.sh);
# clang and its runtime: the libFuzzer targets (tests/scripts/fuzz.sh); lld: the linker the
# test builds use (scripts/test.sh); odbc-postgresql (psqlODBC, registered as "PostgreSQL
# Unicode" in /etc/odbcinst.ini): QODBC against the test cluster (tst_rowsource_odbc);
# unixodbc: isql, to try an ODBC connection string by hand. xvfb, at-spi2-core and pyatspi:
# the first-run test through the accessibility bus (tests/scripts/atspi-first-run.sh). The app itself needs neither:
# libqt6sql6-odbc brings the ODBC driver manager, and the ODBC driver is the database's.
# lintian, desktop-file-utils, appstream and bash-completion: the package's checks
# (scripts/check-package.sh).
test_extra=(postgresql mariadb-server nginx clang-format fonts-dejavu-core sqlite3 python3 nodejs
            npm gnome-keyring dbus-daemon libsecret-1-0 clang libclang-rt-14-dev lld
            odbc-postgresql unixodbc lintian desktop-file-utils appstream bash-completion
            xvfb xauth at-spi2-core python3-pyatspi gir1.2-atspi-2.0)
# The Debian package (packaging/CMakeLists.txt): dpkg-shlibdeps finds its dependencies and
# CPack asks `file` which files are executables; rsvg-convert renders the PNG icons.
package_extra=(dpkg-dev file librsvg2-bin)
# The keychain needs a Secret Service (gnome-keyring or KWallet) at run time.
run_extra=(fonts-dejavu-core xvfb xauth imagemagick sqlite3 gnome-keyring libsecret-1-0)
bench_extra=(postgresql mariadb-server nginx libnginx-mod-http-echo wrk nghttp2-client python3 python3-aiohttp python3-requests
             sqlite3 time)

want=()
[[ $# -gt 0 ]] || set -- build
for set_name in "$@"; do
  case "$set_name" in
    build) want+=("${build[@]}") ;;
    package) want+=("${build[@]}" "${package_extra[@]}") ;;
    test) want+=("${build[@]}" "${package_extra[@]}" "${test_extra[@]}") ;;
    run) want+=("${build[@]}" "${run_extra[@]}") ;;
    bench) want+=("${build[@]}" "${bench_extra[@]}") ;;
    *) echo "install-deps: unknown set '$set_name' (build, package, test, run, bench)" >&2; exit 2 ;;
  esac
done

# A tool that is already on PATH from elsewhere counts as installed: NodeSource's nodejs
# bundles npm and conflicts with Debian's npm package.
provided_by_command() {
  case "$1" in
    nodejs) command -v node >/dev/null ;;
    npm) command -v npm >/dev/null ;;
    *) return 1 ;;
  esac
}

missing=()
for pkg in $(printf '%s\n' "${want[@]}" | sort -u); do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || provided_by_command "$pkg" || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: everything needed is installed" >&2
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null; then
  as_root=(sudo)
else
  echo "install-deps: these packages are missing and I am not root (and there is no sudo):" >&2
  echo "  ${missing[*]}" >&2
  exit 1
fi

# apt_get ARGS...: apt-get ARGS, waiting while another apt or dpkg run (unattended-upgrades,
# a second terminal, another session's install-deps) holds a lock it needs. apt-get waits for
# dpkg's lock itself (DPkg::Lock::Timeout) but fails at once on the package lists' lock
# (apt-get update) and the download folder's: those it is run again for, every 5 s.
lock_wait=${SLUICE_APT_LOCK_WAIT:-600}
if [[ ! $lock_wait =~ ^[0-9]+$ ]]; then
  echo "install-deps: SLUICE_APT_LOCK_WAIT must be a number of seconds, not '$lock_wait'" >&2
  exit 2
fi
apt_get() {
  local deadline=$((SECONDS + lock_wait)) log status
  log=$(mktemp)
  while true; do
    status=0
    # apt's stderr to the terminal and to $log (stdout as it is).
    { "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=$((deadline > SECONDS ? deadline - SECONDS : 0)) \
        "$@" 2>&1 1>&3 | tee "$log" >&2; } 3>&1 || status=$?
    if [[ $status -ne 0 ]] && grep -q 'Could not get lock' "$log" && [[ $SECONDS -lt $deadline ]]; then
      echo "install-deps: another apt or dpkg run holds its lock; waiting for it" \
           "($((deadline - SECONDS)) s at most)" >&2
      sleep 5
      continue
    fi
    rm -f "$log"
    return "$status"
  done
}

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt_get update -q
apt_get install -y -q --no-install-recommends "${missing[@]}"
