#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages Sluice needs that are missing, and nothing else.
#   scripts/install-deps.sh build   compiler, CMake, Qt 6 and the SQL drivers (and the MariaDB
#                                   client headers: the streaming MySQL/MariaDB reader)
#   scripts/install-deps.sh test    build + PostgreSQL and MariaDB servers, PostgreSQL's ODBC
#                                   driver, clang-format, fonts, clang and libclang-rt-14-dev
#                                   (libFuzzer: tests/scripts/fuzz.sh), lld
#   scripts/install-deps.sh run     build + fonts and an X server helper for the desktop app
#   scripts/install-deps.sh bench   build + nginx, wrk, h2load, Python aiohttp (the baselines)
# qt6-translations-l10n: Qt's own translations (qtbase_de.qm: the German standard buttons).
# Several sets may be given. Uses apt-get as root, sudo otherwise.
set -euo pipefail

build=(g++ cmake ninja-build pkg-config
       qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
       qt6-translations-l10n
       libqt6sql6-sqlite libqt6sql6-psql libqt6sql6-mysql libqt6sql6-odbc libmariadb-dev
       qt6-httpserver-dev qt6-websockets-dev libxkbcommon-dev libsqlite3-dev qtkeychain-qt6-dev)
# gnome-keyring and dbus-daemon: the keychain test (tests/scripts/keychain-session.sh);
# clang and its runtime: the libFuzzer targets (tests/scripts/fuzz.sh); lld: the linker the
# test builds use (scripts/test.sh); odbc-postgresql (psqlODBC, registered as "PostgreSQL
# Unicode" in /etc/odbcinst.ini): QODBC against the test cluster (tst_rowsource_odbc);
# unixodbc: isql, to try an ODBC connection string by hand. xvfb, at-spi2-core and pyatspi:
# the first-run test through the accessibility bus (tests/scripts/atspi-first-run.sh). The app itself needs neither:
# libqt6sql6-odbc brings the ODBC driver manager, and the ODBC driver is the database's.
test_extra=(postgresql mariadb-server nginx clang-format fonts-dejavu-core sqlite3 python3 nodejs
            npm gnome-keyring dbus-daemon libsecret-1-0 clang libclang-rt-14-dev lld
            odbc-postgresql unixodbc xvfb xauth at-spi2-core python3-pyatspi gir1.2-atspi-2.0)
# The keychain needs a Secret Service (gnome-keyring or KWallet) at run time.
run_extra=(fonts-dejavu-core xvfb xauth imagemagick sqlite3 gnome-keyring libsecret-1-0)
bench_extra=(postgresql mariadb-server nginx libnginx-mod-http-echo wrk nghttp2-client python3 python3-aiohttp python3-requests
             sqlite3 time)

want=()
[[ $# -gt 0 ]] || set -- build
for set_name in "$@"; do
  case "$set_name" in
    build) want+=("${build[@]}") ;;
    test) want+=("${build[@]}" "${test_extra[@]}") ;;
    run) want+=("${build[@]}" "${run_extra[@]}") ;;
    bench) want+=("${build[@]}" "${bench_extra[@]}") ;;
    *) echo "install-deps: unknown set '$set_name' (build, test, run, bench)" >&2; exit 2 ;;
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
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
