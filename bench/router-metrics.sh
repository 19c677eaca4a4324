#!/usr/bin/env bash
# Router throughput with request metrics on next to metrics off (PIER_REQUEST_METRICS=0), same
# app, same wrk settings, each on a fresh Pier. Prints req/s and p50/p99 for both and the cost.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
need_wrk
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-32}
APP=bench-metrics

deploy_app() {
  local src="$BENCH_TMP/src-$1"
  mkdir -p "$src"
  echo '{ "name": "m", "version": "1.0.0", "private": true, "scripts": { "start": "node server.js" } }' >"$src/package.json"
  echo "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT);" >"$src/server.js"
  (cd "$src" && git init -q -b main && git add -A && git commit -qm app &&
    "$PIER" apps:create "$APP" >/dev/null && git push -q pier main 2>/dev/null)
  wait_instances_up "$APP" 1
}

stop_pier() {
  kill -TERM "$PIER_SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$PIER_SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  PIER_SERVER_PID=""
  rm -rf "$BENCH_TMP/data" "$BENCH_TMP"/src-*
}

measure() { # prints "req/s p50 p99"
  wrk -t2 -c"$CONNS" -d3s -H "Host: $APP.localhost" "http://127.0.0.1:$ROUTER_PORT/" >/dev/null
  wrk -t2 -c"$CONNS" -d"$DURATION" --latency -H "Host: $APP.localhost" "http://127.0.0.1:$ROUTER_PORT/" |
    awk '/Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } END { print rps, p50, p99 }'
}

declare -A RESULT
for mode in on off; do
  export PIER_REQUEST_METRICS=$([ "$mode" = on ] && echo 1 || echo 0)
  start_pier
  deploy_app "$mode"
  RESULT[$mode]=$(measure)
  log "metrics $mode: ${RESULT[$mode]}"
  stop_pier
done

echo
machine_line
echo "wrk -t2 -c$CONNS -d$DURATION through the router, node app answering ok, web=1"
printf '%-12s %10s %9s %9s\n' "metrics" "req/s" "p50" "p99"
for mode in on off; do
  read -r rps p50 p99 <<<"${RESULT[$mode]}"
  printf '%-12s %10s %9s %9s\n' "$mode" "$rps" "$p50" "$p99"
done
read -r on_rps _ <<<"${RESULT[on]}"
read -r off_rps _ <<<"${RESULT[off]}"
awk -v on="$on_rps" -v off="$off_rps" 'BEGIN { printf "metrics cost: %.1f%% of the router'"'"'s requests/s\n", (off - on) / off * 100 }'
