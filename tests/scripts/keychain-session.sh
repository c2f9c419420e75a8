#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a test program against a real OS keychain of its own (the CTest test tst_keychain).
#
#   keychain-session.sh PROGRAM [ARGS...]
#
# Starts a private D-Bus session (dbus-run-session) and in it gnome-keyring-daemon's Secret
# Service, with its keyrings in a new folder under /tmp (XDG_DATA_HOME), never the user's:
# `--unlock` reads the password from stdin and creates the login keyring unlocked when there
# is none. Then runs PROGRAM with SLUICE_KEYCHAIN=ready, and removes the folder.
# Without dbus-run-session or gnome-keyring-daemon it runs PROGRAM with SLUICE_KEYCHAIN=absent
# (the test then skips, except under CI, where it fails).
set -euo pipefail

[[ $# -ge 1 ]] || { echo "usage: keychain-session.sh PROGRAM [ARGS...]" >&2; exit 2; }

if ! command -v dbus-run-session >/dev/null 2>&1 \
    || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
    echo "keychain-session.sh: dbus-run-session or gnome-keyring-daemon missing" \
        "(Debian: dbus-daemon gnome-keyring)" >&2
    SLUICE_KEYCHAIN=absent exec "$@"
fi

home=$(mktemp -d /tmp/sluice-keychain.XXXXXX)
cleanup() { rm -rf -- "$home"; }
trap cleanup EXIT
trap 'cleanup; exit 143' TERM
trap 'cleanup; exit 130' INT
mkdir -m 700 "$home/runtime"

# Inside the session: start the keyring, then the program. The daemon forks and exits when
# the session's bus goes away.
inner='
set -euo pipefail
printf %s "sluice-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
export SLUICE_KEYCHAIN=ready
"$@"
'
# dbus-daemon warns "Failed to set fd limit" where it may not raise it: harmless noise.
XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/runtime" \
    dbus-run-session -- bash -c "$inner" keychain-session "$@" \
    2> >(grep -v 'Failed to set fd limit' >&2)
