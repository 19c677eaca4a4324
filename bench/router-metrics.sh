#!/usr/bin/env bash
# Router throughput with request metrics on next to metrics off (PIER_REQUEST_METRICS=0).
#
# Two Piers run side by side, one with metrics on and one with them off, each serving the same
# node app with web=1. After a JIT warm-up, wrk drives them in short back-to-back pairs of rounds
# (on then off, off then on, ...). Load from other processes on a shared machine changes over tens
# of seconds, so it falls on both rounds of a pair alike: the cost is the median over the pairs of
# on/off, with its interquartile range as the noise. Also printed per round: the server's CPU time
# per request (utime+stime over the round / requests served), and that of its access-log thread,
# where the metrics are recorded (the event loops do no metrics work).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
need_wrk
ROUNDS=${BENCH_ROUNDS:-30}
DURATION=${BENCH_DURATION:-2}
CONNS=${BENCH_CONNECTIONS:-32}
APP=bench-metrics
CLK_TCK=$(getconf CLK_TCK)

declare -A PID PORT RPS CPU ACC P50 P99 TICKS REQS ATICKS CPU_ALL ACC_ALL THIS
RPS_RATIOS=""; CPU_RATIOS=""

start_mode() { # $1 = on|off
  local mode=$1 src="$BENCH_TMP/src-$1"
  export PIER_REQUEST_METRICS=$([ "$mode" = on ] && echo 1 || echo 0)
  export HOME="$BENCH_TMP/home-$mode" PIER_BENCH_DATA="$BENCH_TMP/data-$mode"
  mkdir -p "$HOME" "$src"
  start_pier
  echo '{ "name": "m", "version": "1.0.0", "private": true, "scripts": { "start": "node server.js" } }' >"$src/package.json"
  echo "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT);" >"$src/server.js"
  (cd "$src" && git init -q -b main && git add -A && git commit -qm app &&
    "$PIER" apps:create "$APP" >/dev/null && git push -q pier main 2>/dev/null)
  wait_instances_up "$APP" 1
  PID[$mode]=$PIER_SERVER_PID
  PORT[$mode]=$ROUTER_PORT
  BENCH_SERVER_PIDS+=("$PIER_SERVER_PID") # stopped by bench_cleanup
  PIER_SERVER_PID=""
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# CPU ticks of the thread of process $1 named $2 (as /proc shows it: cut at 15 characters).
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    if [ "$(cat "$t/comm" 2>/dev/null)" = "$2" ]; then awk '{ print $14 + $15 }' "$t/stat"; return; fi
  done
  echo 0
}
# The router hands every finished request to this thread, which records metrics (when on) and
# writes the access line; the event loops themselves do no metrics work.
ACCESS_THREAD=pier-router-acc

run_wrk() { # $1 = mode, $2 = seconds; prints "requests req/s p50 p99"
  wrk -t2 -c"$CONNS" -d"$2s" --latency -H "Host: $APP.localhost" "http://127.0.0.1:${PORT[$1]}/" |
    awk '/requests in/ { n = $1 } /Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
      END { print n, rps, p50, p99 }'
}

# Prints "group ticks" for the threads of process $1, grouped by name with digits removed.
thread_groups() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s %s\n' "$(tr -d '0-9 ' <"$t/comm" 2>/dev/null)" "$(awk '{ print $14 + $15 }' "$t/stat" 2>/dev/null)"
  done | awk '{ a[$1] += $2 } END { for (k in a) print k, a[k] }'
}

# Prints the quartile q (0.25, 0.5, 0.75) of the numbers given after it.
quartile() {
  local q=$1; shift
  printf '%s\n' "$@" | sort -g | awk -v q="$q" '{ a[NR] = $1 } END { p = 1 + (NR - 1) * q; i = int(p)
    print (i < NR) ? a[i] + (p - i) * (a[i + 1] - a[i]) : a[i] }'
}

# Prints the median of the numbers given as arguments.
median() {
  printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

start_mode on
start_mode off
# The JIT keeps compiling (mostly Lucene's flush and merge code, which runs once a second) for
# about a minute of load: until then requests/s climbs from ~5k to ~25k. Measure after that.
WARMUP=${BENCH_WARMUP:-60}
for mode in on off; do
  log "warming up metrics $mode for ${WARMUP}s (JIT)"
  run_wrk "$mode" "$WARMUP" >/dev/null
done

for mode in on off; do thread_groups "${PID[$mode]}" >"$BENCH_TMP/threads0-$mode"; done
printf '%-6s %-8s %10s %9s %9s %12s %14s\n' round metrics req/s p50 p99 "CPU us/req" "access us/req" >&2
for round in $(seq 1 "$ROUNDS"); do
  order="on off"; [ $((round % 2)) -eq 0 ] && order="off on"
  for mode in $order; do
    c0=$(cpu_ticks "${PID[$mode]}"); a0=$(thread_ticks "${PID[$mode]}" "$ACCESS_THREAD")
    read -r n rps p50 p99 <<<"$(run_wrk "$mode" "$DURATION")"
    c1=$(cpu_ticks "${PID[$mode]}"); a1=$(thread_ticks "${PID[$mode]}" "$ACCESS_THREAD")
    cpu=$(awk -v d=$((c1 - c0)) -v n="$n" -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", d / hz * 1e6 / n }')
    acc=$(awk -v d=$((a1 - a0)) -v n="$n" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", d / hz * 1e6 / n }')
    TICKS[$mode]=$(( ${TICKS[$mode]:-0} + c1 - c0 )); ATICKS[$mode]=$(( ${ATICKS[$mode]:-0} + a1 - a0 ))
    REQS[$mode]=$(( ${REQS[$mode]:-0} + n ))
    RPS[$mode]+="$rps "; CPU[$mode]+="$cpu "; ACC[$mode]+="$acc "; P50[$mode]+="${p50%ms} "; P99[$mode]+="${p99%ms} "
    THIS[$mode]="$rps $cpu"
    printf '%-6s %-8s %10s %9s %9s %12s %14s\n' "$round" "$mode" "$rps" "$p50" "$p99" "$cpu" "$acc" >&2
  done
  read -r on_rps on_cpu <<<"${THIS[on]}"; read -r off_rps off_cpu <<<"${THIS[off]}"
  RPS_RATIOS+="$(awk -v a="$on_rps" -v b="$off_rps" 'BEGIN { print a / b }') "
  CPU_RATIOS+="$(awk -v a="$on_cpu" -v b="$off_cpu" 'BEGIN { print a / b }') "
done

log "server CPU seconds by thread group over the rounds (on, off):"
for mode in on off; do thread_groups "${PID[$mode]}" >"$BENCH_TMP/threads1-$mode"; done
awk -v hz="$CLK_TCK" 'FILENAME ~ /threads0-on/ { b0[$1] = $2 } FILENAME ~ /threads1-on/ { on[$1] = $2 - b0[$1]; k[$1] }
  FILENAME ~ /threads0-off/ { c0[$1] = $2 } FILENAME ~ /threads1-off/ { off[$1] = $2 - c0[$1]; k[$1] }
  END { for (g in k) if (on[g] + off[g] > 0) printf "    %-20s %7.2f %7.2f\n", g, on[g] / hz, off[g] / hz }' \
  "$BENCH_TMP/threads0-on" "$BENCH_TMP/threads1-on" "$BENCH_TMP/threads0-off" "$BENCH_TMP/threads1-off" | sort -k2 -rn >&2

echo
machine_line
echo "wrk -t2 -c$CONNS, $ROUNDS alternating rounds of ${DURATION}s per mode, node app answering ok, web=1"
per_req() { awk -v t="$1" -v n="$2" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }'; }
printf '%-8s %12s %8s %8s %12s %15s\n' "metrics" "req/s" "p50 ms" "p99 ms" "CPU us/req" "access us/req"
for mode in on off; do
  CPU_ALL[$mode]=$(per_req "${TICKS[$mode]}" "${REQS[$mode]}")
  ACC_ALL[$mode]=$(per_req "${ATICKS[$mode]}" "${REQS[$mode]}")
  # shellcheck disable=SC2086
  printf '%-8s %12s %8s %8s %12s %15s\n' "$mode" "$(median ${RPS[$mode]})" "$(median ${P50[$mode]})" \
    "$(median ${P99[$mode]})" "${CPU_ALL[$mode]}" "${ACC_ALL[$mode]}"
done
echo "(req/s and latencies: medians over the rounds; CPU: the server process's CPU time over all"
echo " rounds / requests served; access: the same for its access-log thread alone)"
# shellcheck disable=SC2086
awk -v m="$(quartile 0.5 $RPS_RATIOS)" -v lo="$(quartile 0.25 $RPS_RATIOS)" -v hi="$(quartile 0.75 $RPS_RATIOS)" \
  -v cm="$(quartile 0.5 $CPU_RATIOS)" -v clo="$(quartile 0.25 $CPU_RATIOS)" -v chi="$(quartile 0.75 $CPU_RATIOS)" \
  -v aon="${ACC_ALL[on]}" -v aoff="${ACC_ALL[off]}" -v coff="${CPU_ALL[off]}" -v n="$ROUNDS" 'BEGIN {
    printf "metrics cost in requests/s: %.1f%% (median of %d paired rounds; quartiles %.1f%% to %.1f%%)\n",
      (1 - m) * 100, n, (1 - hi) * 100, (1 - lo) * 100
    printf "metrics cost in server CPU per request: %+.1f%% (quartiles %+.1f%% to %+.1f%%)\n",
      (cm - 1) * 100, (clo - 1) * 100, (chi - 1) * 100
    printf "access-log thread (records the metrics): %.2f us per request more with metrics on = %.1f%% of the server CPU per request\n",
      aon - aoff, (aon - aoff) / coff * 100 }'
