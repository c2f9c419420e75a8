#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# pouchdb-server (a CouchDB-compatible HTTP server on Node.js, from the npm registry) for the
# CouchDB bulk test (CTest fixture "pouchdb").
#
#   pouchdb-server.sh install DIR   install pouchdb-server@4.2.0 into DIR (DIR/node_modules),
#                                   unless it is already there. Quiet on success; needs npm
#                                   (Debian: apt-get install nodejs npm) and the npm registry
#                                   the first time.
#
# The test starts it itself, in memory, on 127.0.0.1 and a free port:
#   node DIR/node_modules/pouchdb-server/bin/pouchdb-server --in-memory --host 127.0.0.1 \
#        --port PORT --no-stdout-logs --no-color --config CONFIG.json
# (it writes CONFIG.json and log.txt in its working folder).
#
# Why these options: pouchdb-server's on-disk back ends need native modules, pulled in by two
# optional dependencies: leveldown (prebuilt for common platforms, else compiled by its install
# script) and sqlite3 (whose install script downloads a binary from the internet and falls back
# to compiling with node-gyp, which downloads Node's headers: neither is reachable from CI).
# --omit=optional leaves both out, --ignore-scripts makes sure no install script runs at all
# (npm 11 runs none it was not told to allow; Debian 12's npm 9 runs them all), and the server
# runs --in-memory on pouchdb-adapter-memory (memdown, plain JavaScript). That is 264 packages,
# 30 MB, installed in about 17 s from an empty npm cache (with the optional ones: 354 packages,
# 61 MB, 64 s, and an install that depends on the internet).
#
# The version is exact so that the test's expectations hold: pouchdb-server 4.2.0 (with
# express-pouchdb 4.2.0, also exact) answers _bulk_docs with the docs its validate_doc_update
# functions reject first, out of the docs' order; the test relies on BulkCodec coping with that.
set -euo pipefail

readonly PACKAGE=pouchdb-server@4.2.0
readonly ENTRY=node_modules/pouchdb-server/bin/pouchdb-server

die() {
    echo "pouchdb-server.sh: $*" >&2
    exit 1
}

usage() {
    echo "usage: pouchdb-server.sh install DIR" >&2
    exit 2
}

install_into() {
    local dir=$1 log
    [[ -e $dir/$ENTRY ]] && return 0
    command -v npm >/dev/null 2>&1 \
        || die "npm is not installed, so $PACKAGE cannot be installed; install Node.js and npm (Debian: apt-get install nodejs npm)"
    command -v node >/dev/null 2>&1 \
        || die "node is not installed; install Node.js (Debian: apt-get install nodejs)"
    mkdir -p -- "$dir"
    log=$(mktemp)
    # npm prints progress and notices even when all goes well: keep them for a failure.
    if ! npm install --prefix "$dir" --no-audit --no-fund --no-save --omit=optional \
        --ignore-scripts "$PACKAGE" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f -- "$log"
        die "npm install $PACKAGE into $dir failed (is the npm registry reachable?)"
    fi
    rm -f -- "$log"
    [[ -e $dir/$ENTRY ]] || die "npm install $PACKAGE succeeded but $dir/$ENTRY is missing"
}

[[ $# -eq 2 ]] || usage
case $1 in
install) install_into "$(realpath -m -- "$2")" ;;
*) usage ;;
esac
