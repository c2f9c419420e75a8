#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A throwaway MariaDB server for the tests (CTest fixture "mariadb") and the benchmark.
#
#   mariadb-server.sh start DIR   create a fresh data folder under /tmp (mariadb-install-db),
#                                 run mariadbd on 127.0.0.1 on a free port (no system service,
#                                 no option files), create database sluice_test and the user
#                                 sluice@127.0.0.1 without a password, allowed everything;
#                                 write DIR/conninfo.env (MYSQL_HOST, MYSQL_PORT, MYSQL_USER,
#                                 MYSQL_DATABASE, MYSQL_SOCKET) and record the /tmp folder in
#                                 DIR/server.path. A server already recorded in DIR is stopped
#                                 and removed first, so start always gives a clean server.
#   mariadb-server.sh stop DIR    stop the server recorded in DIR and remove its /tmp folder.
#
# The server runs with time_zone '-05:00', so tests can tell the server's zone from the
# client's. mariadbd refuses to run as root: as root the server runs as the mysql user.
set -euo pipefail

readonly TMP_PREFIX=/tmp/sluice-mariadb.

die() {
    echo "mariadb-server.sh: $*" >&2
    exit 1
}

usage() {
    echo "usage: mariadb-server.sh start|stop DIR" >&2
    exit 2
}

find_program() {
    local name
    for name in "$@"; do
        if command -v "$name" >/dev/null 2>&1; then
            command -v "$name"
            return 0
        fi
        if [[ -x /usr/sbin/$name ]]; then
            echo "/usr/sbin/$name"
            return 0
        fi
    done
    return 1
}

free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Stops and removes the server recorded in $1/server.path, if any.
stop_server() {
    local dir=$1 tmp pid
    [[ -f $dir/server.path ]] || return 0
    tmp=$(<"$dir/server.path")
    # Never remove anything this script did not create.
    [[ $tmp == "$TMP_PREFIX"* && $tmp != *..* ]] || die "refusing to remove unexpected folder '$tmp'"
    if [[ -f $tmp/mariadbd.pid ]]; then
        pid=$(<"$tmp/mariadbd.pid")
        if [[ $pid =~ ^[0-9]+$ ]] && kill -TERM "$pid" 2>/dev/null; then
            for _ in $(seq 300); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -rf -- "$tmp"
    rm -f -- "$dir/server.path" "$dir/conninfo.env"
}

start_server() {
    local dir=$1 server install client tmp port started=0 attempt user_opt=()
    server=$(find_program mariadbd mysqld) \
        || die "MariaDB is not installed (no mariadbd); install mariadb-server, e.g. scripts/install-deps.sh test"
    install=$(find_program mariadb-install-db mysql_install_db) \
        || die "mariadb-install-db not found; install mariadb-server"
    client=$(find_program mariadb mysql) || die "the mariadb client is not installed"
    if [[ $(id -u) -eq 0 ]]; then
        id mysql >/dev/null 2>&1 || die "running as root, but there is no mysql user to run the server as"
        user_opt=(--user=mysql)
    fi

    mkdir -p -- "$dir"
    stop_server "$dir"

    tmp=$(mktemp -d "${TMP_PREFIX}XXXXXX")
    echo "$tmp" >"$dir/server.path"
    chmod 755 "$tmp"
    [[ $(id -u) -ne 0 ]] || chown mysql:mysql "$tmp"

    "$install" --no-defaults "${user_opt[@]}" --datadir="$tmp/data" --skip-test-db \
        --auth-root-authentication-method=normal >"$tmp/install.log" 2>&1 \
        || { cat "$tmp/install.log" >&2; die "mariadb-install-db failed"; }

    # A free port may be taken by someone else before the server binds it: try a few.
    for attempt in 1 2 3 4 5 6; do
        port=$(free_port)
        "$server" --no-defaults "${user_opt[@]}" --datadir="$tmp/data" --socket="$tmp/mariadbd.sock" \
            --port="$port" --bind-address=127.0.0.1 --pid-file="$tmp/mariadbd.pid" \
            --log-error="$tmp/error.log" --skip-name-resolve --default-time-zone=-05:00 \
            --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
            --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --innodb-buffer-pool-size=128M \
            --skip-log-bin >/dev/null 2>&1 &
        for _ in $(seq 300); do
            if "$client" --no-defaults --socket="$tmp/mariadbd.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1; then
                started=1
                break
            fi
            kill -0 $! 2>/dev/null || break
            sleep 0.1
        done
        [[ $started -eq 1 ]] && break
        kill -TERM $! 2>/dev/null || true
        wait $! 2>/dev/null || true
        echo "mariadb-server.sh: port $port did not work (attempt $attempt), trying another" >&2
    done
    if [[ $started -ne 1 ]]; then
        tail -n 20 "$tmp/error.log" >&2 || true
        die "could not start MariaDB (see $tmp/error.log)"
    fi

    "$client" --no-defaults --socket="$tmp/mariadbd.sock" -uroot <<'EOF' || die "could not create database sluice_test"
CREATE DATABASE sluice_test CHARACTER SET utf8mb4;
CREATE USER 'sluice'@'127.0.0.1';
GRANT ALL ON *.* TO 'sluice'@'127.0.0.1';
EOF

    # Written last and atomically: a conninfo.env that exists belongs to a running server.
    cat >"$dir/conninfo.env.tmp" <<EOF
MYSQL_HOST=127.0.0.1
MYSQL_PORT=$port
MYSQL_USER=sluice
MYSQL_DATABASE=sluice_test
MYSQL_SOCKET=$tmp/mariadbd.sock
EOF
    mv -f -- "$dir/conninfo.env.tmp" "$dir/conninfo.env"
    echo "mariadb-server.sh: $("$server" --version | awk '{print $3}') on 127.0.0.1:$port (folder $tmp)"
}

[[ $# -eq 2 ]] || usage
target=$(realpath -m -- "$2")
case $1 in
start) start_server "$target" ;;
stop)
    stop_server "$target"
    echo "mariadb-server.sh: stopped"
    ;;
*) usage ;;
esac
