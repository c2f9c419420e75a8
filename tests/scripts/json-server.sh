#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# json-server (typicode's fake REST API, from the npm registry) for the third-party API test
# (CTest fixture "jsonserver").
#
#   json-server.sh install DIR   install json-server@0.17.4 into DIR (DIR/node_modules), unless
#                                DIR/node_modules/.bin/json-server is already there. Quiet on
#                                success; needs npm (Debian: apt-get install nodejs npm) and the
#                                npm registry the first time.
set -euo pipefail

readonly PACKAGE=json-server@0.17.4

die() {
    echo "json-server.sh: $*" >&2
    exit 1
}

usage() {
    echo "usage: json-server.sh install DIR" >&2
    exit 2
}

install_into() {
    local dir=$1 log
    [[ -e $dir/node_modules/.bin/json-server ]] && return 0
    command -v npm >/dev/null 2>&1 \
        || die "npm is not installed, so $PACKAGE cannot be installed; install Node.js and npm (Debian: apt-get install nodejs npm)"
    command -v node >/dev/null 2>&1 \
        || die "node is not installed; install Node.js (Debian: apt-get install nodejs)"
    mkdir -p -- "$dir"
    log=$(mktemp)
    # npm prints progress and notices even when all goes well: keep them for a failure.
    if ! npm install --prefix "$dir" --no-audit --no-fund --no-save "$PACKAGE" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f -- "$log"
        die "npm install $PACKAGE into $dir failed (is the npm registry reachable?)"
    fi
    rm -f -- "$log"
    [[ -e $dir/node_modules/.bin/json-server ]] \
        || die "npm install $PACKAGE succeeded but $dir/node_modules/.bin/json-server is missing"
}

[[ $# -eq 2 ]] || usage
case $1 in
install) install_into "$(realpath -m -- "$2")" ;;
*) usage ;;
esac
