#!/usr/bin/env bash
# Failed requests while the autoscaler adds and removes instances. A node app answering after
# 250 ms autoscales with --min 0 --max 4 --target-concurrency 2 --stable-window 6s --idle 2s; keep-
# alive clients (bench/LoadClient.java, GET / through the router in a loop) load it in phases:
#
#   settle     light load (1 client) until exactly 1 instance runs (first round: after the deploy;
#              later rounds: after the wake burst)
#   ramp up    heavy load (8 clients, ~8 requests in flight = 4 instances at the target of 2)
#              until 4 instances are up
#   hold       heavy load for BENCH_HOLD seconds at 4 instances
#   ramp down  light load again until 1 instance is left
#   to zero    no load until the app is at 0 instances (after the idle grace)
#   wake       a burst of BENCH_BURST concurrent single requests (curl) at 0 instances: Pier holds
#              them through the cold start
#
# Prints per phase: requests, failures (connection errors or 5xx; 0 is the aim), web instances
# up before -> after (and the fewest/most seen while it ran), how long the phase took and when
# its target instance count was reached (polled every ~0.2 s through the API).
#
# Env: BENCH_ROUNDS (3), BENCH_HOLD (15 s), BENCH_HEAVY (8 clients), BENCH_LIGHT (1),
#      BENCH_BURST (16), BENCH_DELAY_MS (250), BENCH_PHASE_TIMEOUT (90 s a phase at most).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
source "$BENCH_ROOT/bench/scale-lib.sh"

ROUNDS=${BENCH_ROUNDS:-3}
HOLD=${BENCH_HOLD:-15}
HEAVY=${BENCH_HEAVY:-8}
LIGHT=${BENCH_LIGHT:-1}
BURST=${BENCH_BURST:-16}
DELAY_MS=${BENCH_DELAY_MS:-250}
TIMEOUT=${BENCH_PHASE_TIMEOUT:-90}
MAX=4
APP=bench-scale

need_jq
command -v node >/dev/null || die "node is needed"
JAVA="$(source "$BENCH_ROOT/bin/lib.sh"; pier_find_jdk; echo "$PIER_JAVA_HOME/bin/java")"
mkdir -p "$BENCH_TMP/classes"
"${JAVA%/java}/javac" -d "$BENCH_TMP/classes" "$BENCH_ROOT/bench/LoadClient.java"

start_pier
write_node_app "$BENCH_TMP/app" procfile
log "deploying $APP (answers after $DELAY_MS ms)"
deploy_app "$APP" "$BENCH_TMP/app" "DELAY_MS=$DELAY_MS"
wait_web "$APP" 1 || die "$APP did not come up"
"$PIER" autoscale:enable web --min 0 --max "$MAX" --target-concurrency 2 --stable-window 6s --idle 2s \
  -a "$APP" >/dev/null

LOAD_PID=""
LOAD_OUT=""
# Starts $1 keep-alive clients (none for 0).
load_on() {
  LOAD_PID=""
  [ "$1" -gt 0 ] || return 0
  LOAD_OUT="$BENCH_TMP/load-$(now_ms)"
  "$JAVA" -cp "$BENCH_TMP/classes" LoadClient "$ROUTER_PORT" "$APP.localhost" "$1" "$LOAD_OUT.stop" 600 >"$LOAD_OUT" &
  LOAD_PID=$!
  BENCH_BG_PIDS+=("$LOAD_PID")
}
# Stops the clients; sets LOAD_REQ and LOAD_FAIL (0 when none ran).
load_off() {
  LOAD_REQ=0; LOAD_FAIL=0
  [ -n "$LOAD_PID" ] || return 0
  touch "$LOAD_OUT.stop"
  wait "$LOAD_PID" || true
  LOAD_PID=""
  read -r LOAD_REQ LOAD_FAIL _ <"$LOAD_OUT" || true
}

# Fires $BURST concurrent single GETs; prints "requests failures slowest_ms".
burst() {
  local i pids=() dir="$BENCH_TMP/burst-$(now_ms)"
  mkdir -p "$dir"
  for i in $(seq 1 "$BURST"); do
    curl -s -o /dev/null --max-time 60 -w '%{http_code} %{time_total}\n' -H "Host: $APP.localhost" \
      "http://127.0.0.1:$ROUTER_PORT/" >"$dir/$i" 2>/dev/null &
    pids+=($!)
  done
  wait "${pids[@]}" || true
  cat "$dir"/* | awk -v n="$BURST" '{ if ($1 != 200) f++; if ($2 > s) s = $2; c++ }
    END { printf "%d %d %.0f\n", n, f + (n - c), s * 1000 }'
}

ROWS=()
TOTAL_REQ=0
TOTAL_FAIL=0
# phase NAME CLIENTS TARGET MIN_SECONDS: runs CLIENTS clients until the app has exactly TARGET web
# instances, all up ("-": no target), and at least MIN_SECONDS have passed. The "reached" column
# is when the target was reached for the last time (it held from then to the end of the phase).
phase() {
  local name=$1 clients=$2 target=$3 min_s=$4
  local before t0 lo hi up all reached="" note=""
  before=$(web_count "$APP" up)
  lo=$before; hi=$before
  t0=$(now_ms)
  load_on "$clients"
  while :; do
    up=$(web_count "$APP" up); all=$(web_count "$APP")
    [ "$up" -lt "$lo" ] && lo=$up
    [ "$up" -gt "$hi" ] && hi=$up
    local el=$(( $(now_ms) - t0 ))
    # reached = since when the target has held (it must still hold when the phase ends).
    if [ "$target" = - ] || { [ "$up" -eq "$target" ] && [ "$all" -eq "$target" ]; }; then
      [ -n "$reached" ] || reached=$el
    else
      reached=""
    fi
    [ -n "$reached" ] && [ "$el" -ge $((min_s * 1000)) ] && break
    if [ "$el" -ge $((TIMEOUT * 1000)) ]; then note="  (not reached in ${TIMEOUT} s: $up up of $all)"; break; fi
    sleep 0.2
  done
  local took=$(( $(now_ms) - t0 ))
  load_off
  local after; after=$(web_count "$APP" up)
  [ "$target" != - ] || reached=""
  record "$name" "$clients clients" "$LOAD_REQ" "$LOAD_FAIL" "$before" "$after" "$lo" "$hi" "$took" "$reached" "$note"
}

# record NAME LOAD REQUESTS FAILURES BEFORE AFTER LO HI TOOK_MS REACHED_MS NOTE
record() {
  TOTAL_REQ=$((TOTAL_REQ + $3)); TOTAL_FAIL=$((TOTAL_FAIL + $4))
  local reached=-
  [ -n "${10}" ] && reached="$(fmt_s "${10}") s"
  ROWS+=("$(printf '%-3s %-10s %-11s %9s %8s %9s %9s %8s s %10s%s' "$ROUND" "$1" "$2" "$3" "$4" "$5 -> $6" "$7-$8" \
    "$(fmt_s "$9")" "$reached" "${11}")")
  log "round $ROUND $1: $3 requests, $4 failed, instances $5 -> $6, $(fmt_s "$9") s"
}

ROUND=0
log "warm-up: $LIGHT client(s) for 10 s"
load_on "$LIGHT"; sleep 10; load_off

for ROUND in $(seq 1 "$ROUNDS"); do
  phase "settle" "$LIGHT" 1 3
  phase "ramp up" "$HEAVY" "$MAX" 2
  phase "hold" "$HEAVY" - "$HOLD"
  phase "ramp down" "$LIGHT" 1 0
  phase "to zero" 0 0 0
  before=$(web_count "$APP" up)
  t0=$(now_ms)
  read -r requests failures slowest < <(burst)
  took=$(( $(now_ms) - t0 ))
  record "wake" "$BURST burst" "$requests" "$failures" "$before" "$(web_count "$APP" up)" "$before" \
    "$(web_count "$APP" up)" "$took" "" "  (slowest answer $slowest ms)"
done

echo
echo "Pier autoscaling under load: node app answering after $DELAY_MS ms, autoscale web --min 0 --max $MAX"
echo "--target-concurrency 2 --stable-window 6s --idle 2s; keep-alive clients through the router"
machine_line
printf '%-3s %-10s %-11s %9s %8s %9s %9s %10s %10s\n' "rnd" "phase" "load" "requests" "failed" "up b->a" "up range" "took" "reached"
for r in "${ROWS[@]}"; do echo "$r"; done
echo "total: $TOTAL_REQ requests, $TOTAL_FAIL failed"
"$PIER" logs -n 2000 -a "$APP" 2>/dev/null | grep -c 'Autoscaler: web of' |
  awk '{ print "autoscaler decisions in the app log: " $1 }' || true
