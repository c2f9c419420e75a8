#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark (not a test): peak RSS and throughput of `sluice run` for growing row counts,
# against the fast nginx sink of ../shared/bench, to show that memory stays flat.
# Optionally runs the Python aiohttp reference recipe on the same data and sink, in the
# same run, and prints Sluice's throughput as a ratio of it.
#
#   tests/bench/bench-memory.sh [--sluice PATH] [--rows "100000 1000000"] [--concurrency 64]
#                               [--delay-ms 0] [--baseline] [--port 28180]
# Needs: nginx + libnginx-mod-http-echo, python3, /usr/bin/time (scripts/install-deps.sh bench).
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
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sluice) sluice=$2; shift 2 ;;
    --rows) rows_list=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --delay-ms) delay=$2; shift 2 ;;
    --baseline) baseline=1; shift ;;
    --port) port=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "bench-memory: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -x "$sluice" ]] || { echo "bench-memory: $sluice not built (cmake --build build)" >&2; exit 2; }
[[ -f "$shared/sink/nginx-sink.sh" ]] || { echo "bench-memory: $shared/sink/nginx-sink.sh not found (set SLUICE_SHARED_BENCH)" >&2; exit 2; }

work=$root/build/bench
mkdir -p "$work"
sink_pid=""
cleanup() { [[ -n "$sink_pid" ]] && kill "$sink_pid" 2>/dev/null && wait "$sink_pid" 2>/dev/null; true; }
trap cleanup EXIT

"$shared/sink/nginx-sink.sh" --port "$port" --delay-ms "$delay" --no-log >"$work/sink.log" 2>&1 &
sink_pid=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

printf '%-8s %-10s %9s %9s %12s %10s %9s\n' rows client items seconds items/s peak_rss_MB cpu_s
for rows in $rows_list; do
  db=$work/sensors-$rows.db
  if [[ ! -f "$db" ]]; then
    /usr/bin/python3 "$shared/gen_dataset.py" "$rows" --out "$db" 2>/dev/null
  fi
  transfer=$work/bench-$rows.json
  sed -e "s|@DB@|$db|" -e "s|@URL@|http://127.0.0.1:$port/sensors/_doc|" \
      -e "s|@CONCURRENCY@|$concurrency|" "$here/bench-transfer.json.in" >"$transfer"
  out=$(/usr/bin/time -f 'TIME %M %e %U %S' "$sluice" run "$transfer" --quiet 2>&1 >"$work/run-$rows.out") || true
  summary=$(cat "$work/run-$rows.out")
  read -r _ rss_kb wall user sys <<<"$(grep '^TIME' <<<"$out")"
  delivered=$(sed -n 's/^delivered \([0-9]*\),.*/\1/p' <<<"$summary")
  rate=$(awk -v n="$delivered" -v s="$wall" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
  printf '%-8s %-10s %9s %9s %12s %10.1f %9.2f\n' "$rows" sluice "$delivered" "$wall" "$rate" \
    "$(awk -v k="$rss_kb" 'BEGIN { print k / 1024 }')" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
  if [[ $baseline == 1 ]]; then
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
echo "(sink: nginx, delay ${delay} ms; sluice concurrency $concurrency; peak_rss = max resident set size of the whole process)"
