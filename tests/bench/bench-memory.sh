#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark (not a test): peak RSS and throughput of `sluice run` for growing row counts,
# against the fast nginx sink of ../shared/bench, to show that memory stays flat.
# With --source mariadb the rows come from a throwaway MariaDB server
# (tests/scripts/mariadb-server.sh) instead of SQLite, and the peak RSS of the largest run is
# checked against the smallest: at most 1.3 times (Qt's QMYSQL alone would buffer it all).
# Optionally runs the Python aiohttp reference recipe on the same data and sink, in the
# same run, and prints Sluice's throughput as a ratio of it.
#
#   tests/bench/bench-memory.sh [--sluice PATH] [--rows "100000 1000000"] [--concurrency 64]
#                               [--delay-ms 0] [--baseline] [--port 28180]
#                               [--source sqlite|mariadb]
# Needs: nginx + libnginx-mod-http-echo, python3, /usr/bin/time, mariadb-server
# (scripts/install-deps.sh bench).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=${SLUICE_SHARED_BENCH:-$root/../shared/bench}

sluice=$root/build/src/app/sluice
rows_list="100000 1000000"
concurrency=64
delay=0
baseline=0
port=28180
source=sqlite
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sluice) sluice=$2; shift 2 ;;
    --rows) rows_list=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --delay-ms) delay=$2; shift 2 ;;
    --baseline) baseline=1; shift ;;
    --port) port=$2; shift 2 ;;
    --source) source=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench-memory: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -x "$sluice" ]] || { echo "bench-memory: $sluice not built (cmake --build build)" >&2; exit 2; }
[[ -f "$shared/sink/nginx-sink.sh" ]] || { echo "bench-memory: $shared/sink/nginx-sink.sh not found (set SLUICE_SHARED_BENCH)" >&2; exit 2; }

work=$root/build/bench
mkdir -p "$work"
sink_pid=""
mariadb_dir=""
# Each step on its own: under set -e a failing step (wait reports the sink's SIGTERM)
# would end the trap before the MariaDB server is stopped.
cleanup() {
  if [[ -n "$sink_pid" ]]; then
    kill "$sink_pid" 2>/dev/null || true
    wait "$sink_pid" 2>/dev/null || true
  fi
  if [[ -n "$mariadb_dir" ]]; then
    "$root/tests/scripts/mariadb-server.sh" stop "$mariadb_dir" >/dev/null || true
  fi
}
trap cleanup EXIT

case "$source" in
  sqlite) ;;
  mariadb)
    mariadb_dir=$work/mariadb
    "$root/tests/scripts/mariadb-server.sh" start "$mariadb_dir" >&2
    # shellcheck disable=SC1091
    . "$mariadb_dir/conninfo.env"
    my() { mariadb --no-defaults -h "$MYSQL_HOST" -P "$MYSQL_PORT" -u "$MYSQL_USER" "$MYSQL_DATABASE" "$@"; }
    ;;
  *) echo "bench-memory: unknown source $source (sqlite, mariadb)" >&2; exit 2 ;;
esac

"$shared/sink/nginx-sink.sh" --port "$port" --delay-ms "$delay" --no-log >"$work/sink.log" 2>&1 &
sink_pid=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

printf '%-8s %-10s %9s %9s %12s %10s %9s\n' rows client items seconds items/s peak_rss_MB cpu_s
declare -A peak_kb=()
for rows in $rows_list; do
  transfer=$work/bench-$source-$rows.json
  if [[ $source == mariadb ]]; then
    # The sensors data set of gen_dataset.py in kind (not in values), made by the server.
    my -e "CREATE TABLE sensors_$rows (id INT PRIMARY KEY, name VARCHAR(20), site VARCHAR(20),
             latitude DOUBLE, longitude DOUBLE, measured_at DATETIME(6), value DECIMAL(10,3),
             unit VARCHAR(10));
           INSERT INTO sensors_$rows SELECT seq, CONCAT('sensor-', LPAD(seq % 5000 + 1, 5, '0')),
             ELT(seq % 8 + 1, 'keyworth', 'edinburgh', 'wallingford', 'cardiff', 'belfast',
                 'aberdeen', 'plymouth', 'norwich'),
             IF(seq % 50 = 0, NULL, 52 + (seq % 1000) / 997), IF(seq % 50 = 0, NULL, -1 - (seq % 733) / 731),
             TIMESTAMP('2024-01-01') + INTERVAL seq * 15 SECOND + INTERVAL seq % 999983 MICROSECOND,
             IF(seq % 33 = 0, NULL, (seq % 20011) / 7.0), IF(seq % 100 = 0, NULL, 'degC')
           FROM seq_1_to_$rows"
    sed -e "s|@PORT@|$MYSQL_PORT|" -e "s|@TABLE@|sensors_$rows|" \
        -e "s|@URL@|http://127.0.0.1:$port/sensors/_doc|" \
        -e "s|@CONCURRENCY@|$concurrency|" "$here/bench-transfer-mariadb.json.in" >"$transfer"
  else
    db=$work/sensors-$rows.db
    if [[ ! -f "$db" ]]; then
      /usr/bin/python3 "$shared/gen_dataset.py" "$rows" --out "$db" 2>/dev/null
    fi
    sed -e "s|@DB@|$db|" -e "s|@URL@|http://127.0.0.1:$port/sensors/_doc|" \
        -e "s|@CONCURRENCY@|$concurrency|" "$here/bench-transfer.json.in" >"$transfer"
  fi
  out=$(/usr/bin/time -f 'TIME %M %e %U %S' "$sluice" run "$transfer" --quiet 2>&1 >"$work/run-$rows.out") || true
  summary=$(cat "$work/run-$rows.out")
  read -r _ rss_kb wall user sys <<<"$(grep '^TIME' <<<"$out")"
  peak_kb[$rows]=$rss_kb
  delivered=$(sed -n 's/^delivered \([0-9]*\),.*/\1/p' <<<"$summary")
  rate=$(awk -v n="$delivered" -v s="$wall" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
  printf '%-8s %-10s %9s %9s %12s %10.1f %9.2f\n' "$rows" sluice "$delivered" "$wall" "$rate" \
    "$(awk -v k="$rss_kb" 'BEGIN { print k / 1024 }')" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
  if [[ $baseline == 1 && $source == sqlite ]]; then
    res=$( (cd "$shared" && /usr/bin/time -f 'TIME %M %e %U %S' /usr/bin/python3 baseline_aiohttp.py \
           --db "$db" --url "http://127.0.0.1:$port/" ) 2>&1 ) || true
    read -r _ rss_kb wall user sys <<<"$(grep '^TIME' <<<"$res")"
    items=$(sed -n 's/^RESULT .*items=\([0-9]*\) .*/\1/p' <<<"$res")
    brate=$(awk -v n="$items" -v s="$wall" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
    printf '%-8s %-10s %9s %9s %12s %10.1f %9.2f\n' "$rows" aiohttp "$items" "$wall" "$brate" \
      "$(awk -v k="$rss_kb" 'BEGIN { print k / 1024 }')" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
    awk -v a="$rate" -v b="$brate" 'BEGIN { if (b > 0) printf "         sluice / aiohttp throughput: %.2fx\n", a / b }'
  fi
done
echo "(source: $source; sink: nginx, delay ${delay} ms; sluice concurrency $concurrency; peak_rss = max resident set size of the whole process)"
if [[ $source == mariadb ]]; then
  read -r -a counts <<<"$rows_list"
  small=${counts[0]} large=${counts[-1]}
  ratio=$(awk -v a="${peak_kb[$large]}" -v b="${peak_kb[$small]}" 'BEGIN { printf "%.2f", a / b }')
  echo "peak RSS $large rows / $small rows: ${ratio}x (must be at most 1.3x)"
  awk -v r="$ratio" 'BEGIN { exit !(r <= 1.3) }' || { echo "bench-memory: memory grows with the row count" >&2; exit 1; }
fi
