#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A throwaway PostgreSQL cluster for the tests (CTest fixture "postgres").
#
#   pg-cluster.sh start DIR   create a fresh cluster in a new folder under /tmp, listening only on
#                             127.0.0.1 on a free port, with database sluice_test; writes
#                             DIR/conninfo.env (PGHOST, PGPORT, PGUSER, PGDATABASE) and records the
#                             /tmp folder in DIR/cluster.path. A cluster already recorded in DIR is
#                             stopped and removed first, so start always gives a clean cluster.
#   pg-cluster.sh stop DIR    stop the cluster recorded in DIR and remove its /tmp folder.
#
# The server runs in time zone America/New_York, so tests can tell the server's zone from the
# client's. Every role connects without a password (trust), except the role sluice_pwtest, which
# must give its password over TCP (scram-sha-256): tests create it to get a real
# "password authentication failed" error.
set -euo pipefail

readonly PASSWORD_ROLE=sluice_pwtest
readonly TMP_PREFIX=/tmp/sluice-pg.

die() {
    echo "pg-cluster.sh: $*" >&2
    exit 1
}

usage() {
    echo "usage: pg-cluster.sh start|stop DIR" >&2
    exit 2
}

# The PostgreSQL server programs: pg_config's bindir when it has them, else the newest
# /usr/lib/postgresql/*/bin (Debian puts initdb and pg_ctl there, not on PATH).
find_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1; then
        dir=$(pg_config --bindir 2>/dev/null || true)
        if [[ -n $dir && -x $dir/initdb && -x $dir/pg_ctl && -x $dir/postgres ]]; then
            echo "$dir"
            return 0
        fi
    fi
    while IFS= read -r dir; do
        if [[ -x $dir/initdb && -x $dir/pg_ctl && -x $dir/postgres ]]; then
            echo "$dir"
            return 0
        fi
    done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r)
    return 1
}

# initdb and postgres refuse to run as root: run the server programs as the postgres user then.
as_server_user() {
    if [[ $(id -u) -eq 0 ]]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

# Stops and removes the cluster recorded in $1/cluster.path, if any.
stop_cluster() {
    local dir=$1 tmp
    [[ -f $dir/cluster.path ]] || return 0
    tmp=$(<"$dir/cluster.path")
    # Never remove anything this script did not create.
    [[ $tmp == "$TMP_PREFIX"* && $tmp != *..* ]] || die "refusing to remove unexpected folder '$tmp'"
    if [[ -d $tmp/data ]]; then
        local bindir
        bindir=$(find_bindir) || die "PostgreSQL server programs not found"
        as_server_user "$bindir/pg_ctl" -D "$tmp/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    fi
    rm -rf -- "$tmp"
    rm -f -- "$dir/cluster.path" "$dir/conninfo.env"
}

start_cluster() {
    local dir=$1 bindir tmp port started=0 attempt
    bindir=$(find_bindir) \
        || die "PostgreSQL is not installed (no initdb/pg_ctl from pg_config --bindir or in /usr/lib/postgresql/*/bin); install postgresql, e.g. apt-get install postgresql"
    if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
        die "running as root, but there is no postgres user to run the server as"
    fi

    mkdir -p -- "$dir"
    stop_cluster "$dir"

    tmp=$(mktemp -d "${TMP_PREFIX}XXXXXX")
    echo "$tmp" >"$dir/cluster.path"
    chmod 700 "$tmp"
    mkdir "$tmp/sock"
    if [[ $(id -u) -eq 0 ]]; then
        chown -R postgres:postgres "$tmp"
    fi

    as_server_user "$bindir/initdb" -D "$tmp/data" -U postgres -A trust -E UTF8 \
        --locale=C.UTF-8 --no-sync >"$tmp/initdb.log" 2>&1 \
        || { cat "$tmp/initdb.log" >&2; die "initdb failed"; }

    as_server_user tee -a "$tmp/data/postgresql.conf" >/dev/null <<EOF

# pg-cluster.sh: throwaway test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$tmp/sock'
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'America/New_York'
log_timezone = 'America/New_York'
EOF
    # First match wins: the password role authenticates, everyone else is trusted.
    as_server_user tee "$tmp/data/pg_hba.conf" >/dev/null <<EOF
# TYPE  DATABASE  USER             ADDRESS        METHOD
local   all       all                             trust
host    all       $PASSWORD_ROLE   127.0.0.1/32   scram-sha-256
host    all       all              127.0.0.1/32   trust
EOF

    # A random high port may be taken: try a few until the server comes up.
    for attempt in 1 2 3 4 5 6 7 8; do
        port=$((20000 + RANDOM % 40000))
        if as_server_user "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/postgres.log" -w -t 60 \
            -o "-p $port" start >/dev/null 2>&1; then
            started=1
            break
        fi
        echo "pg-cluster.sh: port $port did not work (attempt $attempt), trying another" >&2
    done
    if [[ $started -ne 1 ]]; then
        tail -n 20 "$tmp/postgres.log" >&2 || true
        die "could not start PostgreSQL (see $tmp/postgres.log)"
    fi

    PGCONNECT_TIMEOUT=10 "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" \
        -U postgres -d postgres -c "CREATE DATABASE sluice_test" \
        || die "could not create database sluice_test"

    # Written last and atomically: a conninfo.env that exists belongs to a running cluster.
    cat >"$dir/conninfo.env.tmp" <<EOF
PGHOST=127.0.0.1
PGPORT=$port
PGUSER=postgres
PGDATABASE=sluice_test
EOF
    mv -f -- "$dir/conninfo.env.tmp" "$dir/conninfo.env"
    echo "pg-cluster.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (folder $tmp)"
}

[[ $# -eq 2 ]] || usage
target=$(realpath -m -- "$2")
case $1 in
start) start_cluster "$target" ;;
stop)
    stop_cluster "$target"
    echo "pg-cluster.sh: stopped"
    ;;
*) usage ;;
esac
