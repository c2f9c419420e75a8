#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A throwaway nginx for the HTTP/2 tests (CTest fixture "nginx"): Qt HttpServer 6.4 speaks only
# HTTP/1.1, so the protocol Sluice negotiates is tested against a real HTTP/2 server.
#
#   nginx-h2.sh start DIR   run nginx on 127.0.0.1 on four free ports, each answering any POST
#                           or PUT with 201 {"result":"created"}:
#                             H2_PORT     https, HTTP/2 offered by ALPN (and HTTP/1.1)
#                             TLS11_PORT  https, HTTP/1.1 only
#                             H2C_PORT    cleartext HTTP/2 with prior knowledge only (h2c)
#                             HTTP_PORT   cleartext HTTP/1.1
#                           with the test certificate of tests/data/tls (trust ca.pem). Writes
#                           DIR/ports.env (the four ports) and logs every request to
#                           DIR/access.log as "connection protocol status request_length".
#   nginx-h2.sh stop DIR    stop it and remove its files.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tls=$here/../data/tls

die() {
    echo "nginx-h2.sh: $*" >&2
    exit 1
}

free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

stop() {
    local dir=$1
    if [[ -f $dir/nginx.pid ]]; then
        local pid
        pid=$(cat "$dir/nginx.pid")
        kill -QUIT "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf -- "$dir"
}

start() {
    local dir=$1
    command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] \
        || die "nginx is not installed (Debian: apt-get install nginx; scripts/install-deps.sh test)"
    [[ -f $tls/server.pem && -f $tls/server.key ]] || die "test certificate missing in $tls"
    stop "$dir"
    mkdir -p "$dir/logs" "$dir/tmp"
    local h2 tls11 h2c http
    h2=$(free_port); tls11=$(free_port); h2c=$(free_port); http=$(free_port)
    cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
daemon on;
events { worker_connections 1024; }
http {
    log_format sluice '\$connection \$server_protocol \$status \$request_length';
    access_log $dir/access.log sluice;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    keepalive_requests 1000000;
    client_max_body_size 64m;
    ssl_certificate $tls/server.pem;
    ssl_certificate_key $tls/server.key;
    server {
        listen 127.0.0.1:$h2 ssl http2;
        location / { default_type application/json; return 201 '{"result":"created"}'; }
    }
    server {
        listen 127.0.0.1:$tls11 ssl;
        location / { default_type application/json; return 201 '{"result":"created"}'; }
    }
    server {
        listen 127.0.0.1:$h2c http2;
        location / { default_type application/json; return 201 '{"result":"created"}'; }
    }
    server {
        listen 127.0.0.1:$http;
        location / { default_type application/json; return 201 '{"result":"created"}'; }
    }
}
EOF
    local nginx
    nginx=$(command -v nginx || echo /usr/sbin/nginx)
    "$nginx" -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" \
        || die "nginx did not start: $(cat "$dir/logs/error.log" 2>/dev/null)"
    for port in $h2 $tls11 $h2c $http; do
        for _ in $(seq 50); do
            (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
            sleep 0.1
        done
    done
    printf 'H2_PORT=%s\nTLS11_PORT=%s\nH2C_PORT=%s\nHTTP_PORT=%s\n' "$h2" "$tls11" "$h2c" "$http" \
        >"$dir/ports.env"
}

[[ $# -eq 2 ]] || { echo "usage: nginx-h2.sh start|stop DIR" >&2; exit 2; }
case "$1" in
    start) start "$2" ;;
    stop) stop "$2" ;;
    *) echo "usage: nginx-h2.sh start|stop DIR" >&2; exit 2 ;;
esac
