#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark (not a test): the whole comparison in one run, on the same sinks. For each sink
# protocol and delay (one fresh nginx sink of ../shared/bench each): wrk's ceiling (h2load's for
# h2/h2c), the sequential and aiohttp references of the shared harness, bare_qnam (the least
# QNAM code) and `sluice run`, at each connection count. Then each bulk mode from a 1M-row
# SQLite source (batch 1000; elasticsearch-bulk and couchdb-bulk against bulk-sink.py, the
# others against nginx) and Sluice's peak RSS for 100k and 1M rows. Prints per row: items,
# seconds, items/s, CPU per item (user+sys of the client process by /usr/bin/time / items),
# peak RSS and the ratios, as a markdown table; writes results.tsv and results.md to $OUT.
#
#   tests/bench/bench-targets.sh        (or `cmake --build build --target bench-targets`)
#   PROTOCOLS=http DELAYS=0 CONNS=16 CLIENTS="bare sluice" MODES= ROWS= tests/bench/bench-targets.sh
#
# Knobs (environment variables, defaults in brackets):
#   PROTOCOLS ["http https h2 h2c"]  sink protocols (nginx-sink.sh --protocol)
#   DELAYS ["0 20"]                  sink delays in ms
#   CONNS ["16 100"]                 connections (HTTP/1.1) or streams (HTTP/2) in flight
#   CLIENTS ["wrk sequential aiohttp bare sluice"]  rows per protocol and delay; wrk, sequential
#                                    and aiohttp run on http and https only (h2/h2c: h2load
#                                    for wrk; their ratios use the https/http references)
#   BARE_THREADS ["0 2"]             bare_qnam --threads values (the first is the yardstick)
#   MODES ["elasticsearch-bulk couchdb-bulk json-array ndjson"]  bulk rows ("": none)
#   BULK_ROWS [1000000] BULK_BATCH [1000] BULK_CONNS [16]
#   ROWS ["100000 1000000"]          peak-RSS rows of Sluice (item mode, http, delay 0)
#   JOURNALS ["on off"]              each Sluice row with its run journal (the default: a
#                                    journal file in $OUT's logs) and/or without (--no-journal,
#                                    labelled "(no journal)"); ×no-journal compares the two
#   PAIRS [1]                        each Sluice row PAIRS times, its JOURNALS values interleaved
#                                    (the order flipped every other pair); the table keeps the
#                                    median run of each, and the per-pair ×no-journal ratios and
#                                    their median are printed (one run on a busy two-core machine
#                                    varies by ±10 %, a median of pairs much less); pairs.tsv
#                                    in $OUT holds every run
#   RSS_CONNS [16]
#   ITEMS_0 [30000]                  items per sluice/bare/aiohttp run at delay 0
#   ITEMS_PER_CONN [400]             at a delay > 0: items = this x connections (aiohttp: x 100)
#   SEQ_ITEMS_0 [2000] SEQ_ITEMS_DELAYED [200]   sequential reference items
#   WRK_SECS [5]
#   SLUICE [build/src/app/sluice] BARE_QNAM [build/tests/bench/bare_qnam]
#   SLUICE_SHARED_BENCH [../shared/bench]  the shared harness (sinks, baselines, gen_dataset.py)
#   OUT [build/bench/targets] DATA [build/bench]   results / generated databases
#   PORT [28280]                     nginx sink port (bulk-sink: PORT+1)
#   IDLE_MIN [85] IDLE_WAIT [60]     wait up to IDLE_WAIT s for >= IDLE_MIN % idle CPU before a run
#   OTHER_MAX [15] RETRIES [1]       a run during which other processes used more than OTHER_MAX %
#                                    of a core is repeated up to RETRIES times (least disturbed kept)
#   RUN_TIMEOUT [900]                seconds, any one client run
# Checks: every run exits 0 and answers every item (Sluice: "delivered N, failed 0"); the sink
# counted exactly the requests sent (bulk: ceil(items/batch); wrk/h2load: at most one extra per
# connection or stream), all 2xx, over the expected protocol; bulk-sink counted every item.
# Exit 1 if any check failed. Needs scripts/install-deps.sh bench (nghttp2-client for h2load).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=${SLUICE_SHARED_BENCH:-$root/../shared/bench}

PROTOCOLS=${PROTOCOLS-http https h2 h2c}
DELAYS=${DELAYS-0 20}
CONNS=${CONNS-16 100}
CLIENTS=" ${CLIENTS-wrk sequential aiohttp bare sluice} "
BARE_THREADS=${BARE_THREADS-0 2}
MODES=${MODES-elasticsearch-bulk couchdb-bulk json-array ndjson}
BULK_ROWS=${BULK_ROWS:-1000000}
BULK_BATCH=${BULK_BATCH:-1000}
BULK_CONNS=${BULK_CONNS:-16}
ROWS=${ROWS-100000 1000000}
JOURNALS=${JOURNALS-on off}
PAIRS=${PAIRS:-1}
RSS_CONNS=${RSS_CONNS:-16}
ITEMS_0=${ITEMS_0:-30000}
ITEMS_PER_CONN=${ITEMS_PER_CONN:-400}
SEQ_ITEMS_0=${SEQ_ITEMS_0:-2000}
SEQ_ITEMS_DELAYED=${SEQ_ITEMS_DELAYED:-200}
WRK_SECS=${WRK_SECS:-5}
SLUICE=${SLUICE:-$root/build/src/app/sluice}
BARE_QNAM=${BARE_QNAM:-$root/build/tests/bench/bare_qnam}
OUT=${OUT:-$root/build/bench/targets}
DATA=${DATA:-$root/build/bench}
PORT=${PORT:-28280}
BULK_PORT=$((PORT + 1))
IDLE_MIN=${IDLE_MIN:-85}
IDLE_WAIT=${IDLE_WAIT:-60}
OTHER_MAX=${OTHER_MAX:-15}
RETRIES=${RETRIES:-1}
RUN_TIMEOUT=${RUN_TIMEOUT:-900}
PY=/usr/bin/python3

die() { echo "bench-targets: $*" >&2; exit 2; }
have_client() { [[ "$CLIENTS" == *" $1 "* ]]; }

[[ -f "$shared/sink/nginx-sink.sh" ]] || die "$shared/sink/nginx-sink.sh not found (set SLUICE_SHARED_BENCH)"
for cmd in nginx "$PY" /usr/bin/time timeout awk; do
  command -v "$cmd" >/dev/null || die "$cmd not found (scripts/install-deps.sh bench)"
done
if have_client sluice || [[ -n "$MODES$ROWS" ]]; then
  [[ -x "$SLUICE" ]] || die "$SLUICE not built (cmake --build build --target sluice; or SLUICE=)"
fi
if have_client bare; then
  [[ -x "$BARE_QNAM" ]] || die "$BARE_QNAM not built (cmake --build build --target bare_qnam)"
fi
have_client wrk && ! command -v wrk >/dev/null && die "wrk not found (scripts/install-deps.sh bench)"
H2LOAD=$(command -v h2load || true)

mkdir -p "$OUT" "$DATA"
RESULTS=$OUT/results.tsv
LOGS=$OUT/logs
rm -rf "$LOGS"
mkdir -p "$LOGS"
: >"$OUT/pairs.tsv"
printf 'group\tclient\tprotocol\tdelay_ms\tconns\titems\tseconds\titems_per_s\tcpu_s\tcpu_us_per_item\tpeak_rss_mb\tsink_requests\tclient_pct\tsink_pct\tidle_pct\tother_pct\tcheck\n' >"$RESULTS"

# --- processes: every one we start is stopped by its PID -------------------------------------
SINK_PID=""
SINK_KIND=""
SINK_PORT=""
CLIENT_PID=""
stop_sink() {
  [[ -n "$SINK_PID" ]] || return 0
  kill -TERM "$SINK_PID" 2>/dev/null
  wait "$SINK_PID" 2>/dev/null
  SINK_PID=""
}
cleanup() {
  [[ -n "$CLIENT_PID" ]] && kill -TERM "$CLIENT_PID" 2>/dev/null && wait "$CLIENT_PID" 2>/dev/null
  stop_sink
  true
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_sink() {  # kind(nginx|bulk) protocol delay
  local kind=$1 protocol=$2 delay=$3 port=$PORT
  [[ $kind == bulk ]] && port=$BULK_PORT
  port_open "$port" && die "port $port is already in use (set PORT)"
  if [[ $kind == nginx ]]; then
    "$shared/sink/nginx-sink.sh" --port "$port" --delay-ms "$delay" --protocol "$protocol" \
      >"$LOGS/sink-$protocol-$delay.out" 2>"$LOGS/sink-$protocol-$delay.err" &
  else
    "$PY" "$here/bulk-sink.py" --port "$port" --delay-ms "$delay" \
      >"$LOGS/bulk-sink.out" 2>"$LOGS/bulk-sink.err" &
  fi
  SINK_PID=$!
  SINK_KIND=$kind
  SINK_PORT=$port
  for _ in $(seq 100); do port_open "$port" && return 0; sleep 0.1; done
  die "the $kind sink did not start on port $port (see $LOGS)"
}
ca_file() { echo "$shared/run/nginx-$PORT/tls/ca.pem"; }

# Cumulative counters of the running sink as "requests ok2xx http2 items bad".
sink_counts() {
  local json
  if [[ $SINK_KIND == nginx ]]; then
    json=$("$shared/sink/nginx-sink.sh" --stats --port "$SINK_PORT")
  else
    json=$(exec 3<>"/dev/tcp/127.0.0.1/$SINK_PORT" &&
      printf 'GET /__stats HTTP/1.0\r\nHost: x\r\n\r\n' >&3 && sed '1,/^\r$/d' <&3)
  fi
  "$PY" -c 'import json, sys
d = json.loads(sys.argv[1])
ok = sum(v for k, v in d.get("status", {}).items() if k.startswith("2"))
print(d["requests"], ok, d.get("protocols", {}).get("HTTP/2.0", 0), d.get("items", 0), d.get("bad", 0))' "$json"
}

# CPU ticks (user+sys) of the sink: nginx's master and workers, or the Python sink.
CLK_TCK=$(getconf CLK_TCK)
sink_ticks() {
  local pids=$SINK_PID
  if [[ $SINK_KIND == nginx ]]; then
    local master
    master=$(cat "$shared/run/nginx-$SINK_PORT/nginx.pid" 2>/dev/null)
    [[ -n "$master" ]] && pids="$master $(ps -o pid= --ppid "$master")"
  fi
  local total=0 p
  for p in $pids; do
    [[ -r /proc/$p/stat ]] || continue
    total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat")))
  done
  echo "$total"
}
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }
cpu_idle_pct() {  # idle % of all CPUs over 1 s
  local a b
  a=$(head -1 /proc/stat); sleep 1; b=$(head -1 /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { n = split(a, x, " "); split(b, y, " "); t = 0
    for (i = 2; i <= n; i++) t += y[i] - x[i]
    printf "%.0f", (t > 0 ? 100 * ((y[5] - x[5]) + (y[6] - x[6])) / t : 0) }'
}
IDLE=0
wait_idle() {
  local deadline=$((SECONDS + IDLE_WAIT))
  IDLE=$(cpu_idle_pct)
  while ((IDLE < IDLE_MIN && SECONDS < deadline)); do
    echo "  (cpu idle ${IDLE}% < ${IDLE_MIN}%: another load is running; waiting)" >&2
    sleep 2
    IDLE=$(cpu_idle_pct)
  done
}

# --- one measured client run ----------------------------------------------------------------
# run_client LOG cmd...: waits for an idle CPU, runs cmd under /usr/bin/time and timeout, and
# sets RC WALL CPU RSS_MB CLIENT_PCT SINK_PCT OTHER_PCT D_REQ D_OK D_H2 D_ITEMS D_BAD (sink deltas).
run_client() {
  local log=$1; shift
  wait_idle
  local t0 b0 s0 t1 b1 s1 counts0 counts1
  counts0=$(sink_counts)
  s0=$(sink_ticks); b0=$(busy_ticks); t0=$(date +%s.%N)
  # timeout outermost: it signals its whole process group, so stopping it stops the client.
  timeout --signal=TERM --kill-after=5 "$RUN_TIMEOUT" \
    /usr/bin/time -o "$log.time" -f '%e %U %S %M' "$@" >"$log" 2>"$log.err" &
  CLIENT_PID=$!
  wait "$CLIENT_PID"
  RC=$?
  CLIENT_PID=""
  t1=$(date +%s.%N); b1=$(busy_ticks); s1=$(sink_ticks)
  counts1=$(sink_counts)
  local user sys rss
  # (the last line: time puts "Command exited with non-zero status N" before it)
  read -r WALL user sys rss <<<"$(tail -1 "$log.time" 2>/dev/null)"
  WALL=${WALL:-0}
  CPU=$(awk -v u="${user:-0}" -v s="${sys:-0}" 'BEGIN { printf "%.2f", u + s }')
  RSS_MB=$(awk -v k="${rss:-0}" 'BEGIN { printf "%.1f", k / 1024 }')
  read -r CLIENT_PCT SINK_PCT OTHER_PCT <<<"$(awk -v t="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
    -v cpu="$CPU" -v s="$((s1 - s0))" -v b="$((b1 - b0))" -v hz="$CLK_TCK" 'BEGIN {
      if (t <= 0) t = 1e-9
      o = b / hz - cpu - s / hz; if (o < 0) o = 0
      printf "%.0f %.0f %.0f", 100 * cpu / t, 100 * s / hz / t, 100 * o / t }')"
  read -r D_REQ D_OK D_H2 D_ITEMS D_BAD <<<"$(awk -v a="$counts0" -v b="$counts1" 'BEGIN {
      split(a, x, " "); split(b, y, " ")
      printf "%d %d %d %d %d", y[1] - x[1], y[2] - x[2], y[3] - x[3], y[4] - x[4], y[5] - x[5] }')"
}

# row GROUP CLIENT PROTOCOL DELAY CONNS ITEMS CHECK: appends the last run's figures.
LAST_ROW=""
row() {
  local items=$6
  local rate per
  rate=$(awk -v n="$items" -v s="$WALL" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }')
  per=$(awk -v n="$items" -v c="$CPU" 'BEGIN { printf "%.1f", (n > 0 ? 1e6 * c / n : 0) }')
  LAST_ROW=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' \
    "$1" "$2" "$3" "$4" "$5" "$items" "$WALL" "$rate" "$CPU" "$per" "$RSS_MB" "$D_REQ" \
    "$CLIENT_PCT" "$SINK_PCT" "$IDLE" "$OTHER_PCT" "$7")
}
FAILED=0
# measure FUNC ARGS...: runs FUNC (which calls run_client and row) again while disturbed, and
# appends the least disturbed row to $RESULTS (or to the file $MEASURE_TO when set).
measure() {
  local best="" best_other=999999 attempt
  for ((attempt = 0; attempt <= RETRIES; attempt++)); do
    "$@"
    if ((OTHER_PCT < best_other)); then best=$LAST_ROW; best_other=$OTHER_PCT; fi
    ((best_other <= OTHER_MAX)) && break
    ((attempt < RETRIES)) && echo "  (disturbed: other processes used ${OTHER_PCT}% of a core; repeating)" >&2
  done
  echo "$best" >>"${MEASURE_TO:-$RESULTS}"
  local check; check=$(cut -f17 <<<"$best")
  [[ $check == ok* ]] || FAILED=1
  printf '  %s\n' "$(cut -f2-8,10,11,16,17 <<<"$best" | tr '\t' ' ')" >&2
}

# --- data ---------------------------------------------------------------------------------
db_for() {  # rows -> path of a sensors db with that many rows (made once, kept in $DATA)
  local db=$DATA/sensors-$1.db
  if [[ ! -f $db ]]; then
    "$PY" "$shared/gen_dataset.py" "$1" --out "$db" >/dev/null 2>&1 || die "gen_dataset.py $1 failed"
  fi
  echo "$db"
}
max_conns=0
for c in $CONNS; do ((c > max_conns)) && max_conns=$c; done
need=$ITEMS_0
((ITEMS_PER_CONN * max_conns > need)) && need=$((ITEMS_PER_CONN * max_conns))
((ITEMS_PER_CONN * 100 > need)) && need=$((ITEMS_PER_CONN * 100))
item_rows=100000
((need > item_rows)) && item_rows=$need
ITEM_DB=$(db_for "$item_rows")
printf '%s\n' "$("$PY" -c 'import json; print(json.dumps({"id": 1, "name": "sensor-00002", "site": "wallingford", "latitude": 51.627377, "longitude": -1.136093, "measured_at": "2024-01-01T00:00:16Z", "value": -0.139, "unit": "m/s", "metadata": {"source": "sensors.db", "transferred_at": "2026-11-24T18:39:34.820057"}}))')" >"$OUT/item.json"

# transfer_file OUT DB URL CONNS LIMIT PROTOCOL MODE: the bench template plus the fields the
# run needs (only those, so a binary that predates the others still runs the http rows).
transfer_file() {
  sed -e "s|@DB@|$2|" -e "s|@URL@|$3|" -e "s|@CONCURRENCY@|$4|" "$here/bench-transfer.json.in" |
    "$PY" -c 'import json, sys
t = json.load(sys.stdin)
limit, protocol, mode, ca, batch = sys.argv[1:6]
if limit != "0":
    t["query"]["sql"] += " LIMIT " + limit
target = t["target"]
if protocol in ("https", "h2"):
    target["caFile"] = ca
if protocol == "h2c":
    target["http2"] = "prior-knowledge"
if mode != "item":
    target["mode"] = mode
    target["batchSize"] = int(batch)
    target.pop("headers", None)  # the mode picks its Content-Type
json.dump(t, sys.stdout, indent=2)' "$5" "$6" "$7" "$(ca_file)" "$BULK_BATCH" >"$1"
}

scheme_of() { [[ $1 == https || $1 == h2 ]] && echo https || echo http; }

# --- rows ---------------------------------------------------------------------------------
run_wrk() {  # protocol delay conns
  local p=$1 d=$2 c=$3 log=$LOGS/wrk-$1-$2-c$3.log url
  url="$(scheme_of "$p")://127.0.0.1:$PORT/sensors/_doc"
  run_client "$log" wrk -t1 -c"$c" -d"${WRK_SECS}s" --timeout 10s -s "$shared/wrk/post.lua" "$url"
  local line req errs check=ok
  line=$(grep '^WRK_RESULT' "$log")
  req=$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$line")
  errs=$(sed -n 's/.*errors_status=\([0-9]*\).*/\1/p' <<<"$line")
  if [[ -z "$req" || $RC -ne 0 ]]; then check="FAILED(rc=$RC)"
  elif ((D_REQ < req || D_REQ - req > c || D_OK != D_REQ)) || [[ $errs != 0 ]]; then
    check="MISMATCH(sink $D_REQ, 2xx $D_OK)"
  fi
  row ceiling "wrk -t1 -c$c" "$p" "$d" "$c" "${req:-0}" "$check"
}

run_h2load() {  # protocol delay conns: one connection, conns streams, as one QNAM would
  local p=$1 d=$2 c=$3 log=$LOGS/h2load-$1-$2-c$3.log url
  url="$(scheme_of "$p")://127.0.0.1:$PORT/sensors/_doc"
  run_client "$log" "$H2LOAD" -t1 -c1 -m"$c" -D "$WRK_SECS" -d "$OUT/item.json" \
    -H 'Content-Type: application/json' "$url"
  local finished succeeded check=ok
  finished=$(sed -n 's/^requests: .* \([0-9]*\) done.*/\1/p' "$log")
  succeeded=$(sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p' "$log")
  if [[ -z "$finished" || $RC -ne 0 ]]; then check="FAILED(rc=$RC)"
  elif [[ $succeeded != "$finished" ]] || ((D_REQ < finished || D_REQ - finished > c || D_H2 != D_REQ)); then
    check="MISMATCH(done $finished ok $succeeded, sink $D_REQ h2 $D_H2)"
  fi
  row ceiling "h2load -c1 -m$c" "$p" "$d" "$c" "${finished:-0}" "$check"
}

run_reference() {  # method protocol delay items
  local method=$1 p=$2 d=$3 n=$4 log=$LOGS/$1-$2-$3.log script=baseline_aiohttp.py
  [[ $method == sequential ]] && script=baseline_sequential.py
  SSL_CERT_FILE=$(ca_file) REQUESTS_CA_BUNDLE=$(ca_file) \
    run_client "$log" "$PY" "$shared/$script" --db "$ITEM_DB" --limit "$n" \
    --url "$(scheme_of "$p")://127.0.0.1:$PORT/"
  local items check=ok
  items=$(sed -n 's/^RESULT .* items=\([0-9]*\) .*/\1/p' "$log")
  if [[ $RC -ne 0 || "$items" != "$n" ]]; then
    check="FAILED(rc=$RC: $(tail -1 "$log.err" | cut -c1-80))"
    items=0
  elif ((D_REQ != n || D_OK != n)); then check="MISMATCH(sink $D_REQ, 2xx $D_OK)"
  fi
  local conns=100
  [[ $method == sequential ]] && conns=1
  row reference "$method" "$p" "$d" "$conns" "$items" "$check"
}

expect_h2() { [[ $1 == h2 || $1 == h2c ]]; }
protocol_check() {  # protocol: "" or a complaint that the sink saw the other HTTP version
  if expect_h2 "$1"; then ((D_H2 == D_REQ)) || echo "not HTTP/2: $D_H2 of $D_REQ"
  else ((D_H2 == 0)) || echo "HTTP/2 on $1: $D_H2"
  fi
}

run_bare() {  # protocol delay conns threads items
  local p=$1 d=$2 c=$3 t=$4 n=$5 log=$LOGS/bare-$1-$2-c$3-t$4.log http2=off extra=()
  case $p in
    h2) http2=auto ;;
    h2c) http2=prior-knowledge ;;
  esac
  [[ $p == https || $p == h2 ]] && extra=(--ca "$(ca_file)")
  run_client "$log" "$BARE_QNAM" --url "$(scheme_of "$p")://127.0.0.1:$PORT/sensors/_doc" \
    --requests "$n" --concurrency "$c" --threads "$t" --http2 "$http2" "${extra[@]}"
  local check=ok bad sent=$n
  bad=$(protocol_check "$p")
  if [[ $RC -ne 0 ]] || ! grep -q '^RESULT' "$log"; then
    check="FAILED(rc=$RC: $(grep -m1 -v '^bare_qnam: .* failed; the first' "$log.err" | cut -c1-80))"
    sent=0
  elif ((D_REQ != n || D_OK != n)); then check="MISMATCH(sink $D_REQ, 2xx $D_OK)"
  elif [[ -n $bad ]]; then check="MISMATCH($bad)"
  fi
  row item "bare-qnam -t$t" "$p" "$d" "$c" "$sent" "$check"
}

# run_sluice GROUP LABEL PROTOCOL DELAY CONNS ITEMS MODE DB URL
run_sluice() {
  local group=$1 label=$2 p=$3 d=$4 c=$5 n=$6 mode=$7 db=$8 url=$9
  local name=sluice-$mode-$p-$d-c$c-$n-journal-${JOURNAL_MODE:-on}
  local log=$LOGS/$name.log transfer=$LOGS/$name.json limit=$n journal=()
  [[ $n == "$(sqlite_rows "$db")" ]] && limit=0
  transfer_file "$transfer" "$db" "$url" "$c" "$limit" "$p" "$mode"
  if [[ ${JOURNAL_MODE:-on} == off ]]; then
    journal=(--no-journal)
    label="$label (no journal)"
  else
    rm -f "$LOGS/$name.sluicerun"*
    journal=(--journal "$LOGS/$name.sluicerun")
  fi
  run_client "$log" "$SLUICE" run "$transfer" --quiet "${journal[@]}"
  [[ ${JOURNAL_MODE:-on} == on ]] && rm -f "$LOGS/$name.sluicerun"*
  local delivered failed check=ok expected=$n bad=""
  delivered=$(sed -n 's/^delivered \([0-9]*\),.*/\1/p' "$log")
  failed=$(sed -n 's/^delivered [0-9]*, failed \([0-9]*\),.*/\1/p' "$log")
  [[ $mode != item ]] && expected=$(((n + BULK_BATCH - 1) / BULK_BATCH))
  [[ $group != bulk ]] && bad=$(protocol_check "$p")
  if [[ -z "$delivered" ]]; then
    check="FAILED(rc=$RC: $(grep -m1 -v '^$' "$log.err" | sed "s|^sluice run: $transfer: ||" | cut -c1-100))"
    delivered=0
  elif [[ $delivered != "$n" || $failed != 0 || $RC -ne 0 ]]; then
    check="FAILED(delivered $delivered, failed $failed, rc=$RC)"
  elif ((D_REQ != expected || D_OK != expected)); then
    check="MISMATCH(sink $D_REQ requests, 2xx $D_OK, expected $expected)"
  elif [[ $SINK_KIND == bulk ]] && ((D_ITEMS != n || D_BAD != 0)); then
    check="MISMATCH(sink items $D_ITEMS, bad $D_BAD)"
  elif [[ -n $bad ]]; then check="MISMATCH($bad)"
  fi
  row "$group" "$label" "$p" "$d" "$c" "$delivered" "$check"
}
# Each Sluice row once per JOURNALS value, or PAIRS times interleaved: then $RESULTS gets the
# run with the median items/s of each JOURNALS value.
measure_sluice() {
  local j i order pair runs=$LOGS/runs.tsv
  if ((PAIRS <= 1)); then
    for j in $JOURNALS; do JOURNAL_MODE=$j measure run_sluice "$@"; done
    return
  fi
  : >"$runs"
  for ((i = 0; i < PAIRS; i++)); do
    order=$JOURNALS
    ((i % 2)) && order=$(printf '%s\n' $JOURNALS | tac)
    for j in $order; do
      pair=$LOGS/run.tsv
      : >"$pair"
      JOURNAL_MODE=$j MEASURE_TO=$pair measure run_sluice "$@"
      printf '%s\t%s\n' "$(cat "$pair")" "$i" >>"$runs"  # the pair's number as an 18th field
    done
  done
  cat "$runs" >>"$OUT/pairs.tsv"
  "$PY" - "$runs" "$RESULTS" <<'PY'
import csv, statistics, sys
runs = list(csv.reader(open(sys.argv[1]), delimiter="\t"))
by_client = {}
for r in runs:
    by_client.setdefault(r[1], []).append(r)
with open(sys.argv[2], "a") as out:
    for rs in by_client.values():
        rs.sort(key=lambda r: float(r[7]))
        out.write("\t".join(rs[(len(rs) - 1) // 2][:17]) + "\n")  # the lower median: a real run
plain = {r[17]: float(r[7]) for r in runs if r[1].endswith("(no journal)")}
ratios = [float(r[7]) / plain[r[17]] for r in runs
          if not r[1].endswith("(no journal)") and plain.get(r[17])]
if ratios:
    cpu = {journal: statistics.median(float(r[9]) for r in runs
                                      if r[1].endswith("(no journal)") != journal)
           for journal in (True, False)}
    print(f"  ×no-journal, {runs[0][1].removesuffix(' (no journal)')} {runs[0][2]}, "
          f"{len(ratios)} pairs: " + " ".join(f"{x:.2f}" for x in ratios)
          + f"; median {statistics.median(ratios):.3f}; CPU µs/item, median: "
          f"{cpu[True]:.1f} with the journal, {cpu[False]:.1f} without", file=sys.stderr)
PY
}
sqlite_rows() { "$PY" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from sensors").fetchone()[0])' "$1"; }

# --- the run --------------------------------------------------------------------------------
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null)"
  echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo) x $(nproc); loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "sluice: $SLUICE; bare_qnam: $BARE_QNAM"
} | tee "$OUT/machine.txt" >&2

for d in $DELAYS; do
  if [[ $d == 0 ]]; then items_for() { echo "$ITEMS_0"; }; seq_n=$SEQ_ITEMS_0
  else items_for() { echo $((ITEMS_PER_CONN * $1)); }; seq_n=$SEQ_ITEMS_DELAYED; fi
  for p in $PROTOCOLS; do
    echo "== sink nginx --protocol $p --delay-ms $d" >&2
    start_sink nginx "$p" "$d"
    if have_client wrk; then
      for c in $CONNS; do
        if [[ $p == http || $p == https ]]; then measure run_wrk "$p" "$d" "$c"
        elif [[ -n $H2LOAD ]]; then measure run_h2load "$p" "$d" "$c"
        else echo "  (no h2load: apt-get install nghttp2-client for the $p ceiling)" >&2; fi
      done
    fi
    if [[ $p == http || $p == https ]]; then
      have_client sequential && measure run_reference sequential "$p" "$d" "$seq_n"
      have_client aiohttp && measure run_reference aiohttp "$p" "$d" "$(items_for 100)"
    fi
    for c in $CONNS; do
      if have_client bare; then
        for t in $BARE_THREADS; do measure run_bare "$p" "$d" "$c" "$t" "$(items_for "$c")"; done
      fi
      if have_client sluice; then
        measure_sluice item sluice "$p" "$d" "$c" "$(items_for "$c")" item "$ITEM_DB" \
          "$(scheme_of "$p")://127.0.0.1:$PORT/sensors/_doc"
      fi
    done
    stop_sink
  done
done

if [[ -n "$MODES$ROWS" ]]; then
  echo "== sink nginx --protocol http --delay-ms 0 (bulk modes, peak RSS)" >&2
  start_sink nginx http 0
  for mode in $MODES; do
    [[ $mode == elasticsearch-bulk || $mode == couchdb-bulk ]] && continue
    measure_sluice bulk "sluice $mode" http 0 "$BULK_CONNS" "$BULK_ROWS" "$mode" \
      "$(db_for "$BULK_ROWS")" "http://127.0.0.1:$PORT/sensors/_doc"
  done
  for rows in $ROWS; do
    measure_sluice rss "sluice" http 0 "$RSS_CONNS" "$rows" item "$(db_for "$rows")" \
      "http://127.0.0.1:$PORT/sensors/_doc"
  done
  stop_sink
  for mode in $MODES; do
    case $mode in
      elasticsearch-bulk) path=sensors/_bulk ;;
      couchdb-bulk) path=sensors/_bulk_docs ;;
      *) continue ;;
    esac
    echo "== bulk-sink.py for $mode" >&2
    start_sink bulk http 0
    measure_sluice bulk "sluice $mode" http 0 "$BULK_CONNS" "$BULK_ROWS" "$mode" \
      "$(db_for "$BULK_ROWS")" "http://127.0.0.1:$BULK_PORT/$path"
    stop_sink
  done
fi

# --- the table: ratios to the references of the same protocol family and delay ------------
"$PY" - "$RESULTS" "$OUT/results.md" "${BARE_THREADS%% *}" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
yard = "bare-qnam -t" + sys.argv[3]
base = {"h2": "https", "h2c": "http"}
def num(r, k):
    try: return float(r[k])
    except (TypeError, ValueError): return None
def find(pred):
    return next((r for r in rows if pred(r)), None)
def ratio(a, b, digits=2):
    return f"{a / b:.{digits}f}" if a and b else "-"
out = ["| group | client | protocol | delay ms | conns | items | seconds | items/s | CPU µs/item | peak RSS MB "
       "| ×recipe | ×wrk | ×sequential | CPU ×bare | ×no-journal | client% | sink% | other% | check |",
       "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
for r in rows:
    p, d, c = r["protocol"], r["delay_ms"], r["conns"]
    fam = base.get(p, p)
    rate, cpu = num(r, "items_per_s"), num(r, "cpu_us_per_item")
    rec = seq = ceil = bare = plain = None
    if r["client"].startswith("sluice") and not r["client"].endswith("(no journal)"):
        plain = find(lambda x: x["client"] == r["client"] + " (no journal)" and x["group"] == r["group"]
                     and x["protocol"] == p and x["delay_ms"] == d and x["conns"] == c and x["items"] == r["items"])
    if r["group"] in ("item", "bulk", "rss"):
        rec = find(lambda x: x["client"] == "aiohttp" and x["protocol"] == fam and x["delay_ms"] == d)
        seq = find(lambda x: x["client"] == "sequential" and x["protocol"] == fam and x["delay_ms"] == d)
        ceil = find(lambda x: x["group"] == "ceiling" and x["protocol"] == p and x["delay_ms"] == d and x["conns"] == c)
        if r["client"] != yard:
            bare = find(lambda x: x["client"] == yard and x["protocol"] == p and x["delay_ms"] == d and x["conns"] == c)
    out.append("| " + " | ".join([
        r["group"], r["client"], p, d, c, f"{int(r['items']):,}", r["seconds"], f"{rate:,.0f}" if rate else "-",
        r["cpu_us_per_item"], r["peak_rss_mb"],
        ratio(rate, rec and num(rec, "items_per_s")), ratio(rate, ceil and num(ceil, "items_per_s"), 3),
        ratio(rate, seq and num(seq, "items_per_s"), 1), ratio(cpu, bare and num(bare, "cpu_us_per_item")),
        ratio(rate, plain and num(plain, "items_per_s")), r["client_pct"], r["sink_pct"], r["other_pct"], r["check"]]) + " |")
text = "\n".join(out) + "\n"
open(sys.argv[2], "w").write(text)
print(text)
EOF
cat <<EOF
(items/s: items over the client process's wall time, start-up included; CPU µs/item: user+sys
 of the client process / items; ×recipe: items/s over the aiohttp recipe's at the same delay
 (h2 vs https, h2c vs http; the recipe always uses 100 connections); ×wrk: over wrk's (h2load
 -c1 -mN for h2/h2c) at the same connections; CPU ×bare: CPU per item over $([[ -n ${BARE_THREADS%% *} ]] && echo "bare-qnam -t${BARE_THREADS%% *}")'s
 at the same protocol, delay and connections (bulk: per item vs per request); client%/sink%:
 CPU in % of one core over the run; other%: CPU of everything else on the machine;
 ×no-journal: items/s with the run journal over items/s of the same run with --no-journal.)
results: $RESULTS, $OUT/results.md; logs: $LOGS
EOF
exit "$FAILED"
