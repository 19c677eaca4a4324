#!/usr/bin/env bash
# Router overhead: wrk against a tiny Node app directly (instance port) and through Pier's router,
# with web=1 and web=2. Prints requests/s, p50/p99 latency and the router's overhead.
#
# Env: BENCH_DURATION (default 10s), BENCH_WARMUP (3s, direct), BENCH_ROUTER_WARMUP (60s: Pier's
#      JIT keeps compiling for about a minute of load, and req/s climbs until it is done),
#      BENCH_CONNECTIONS (32), BENCH_THREADS (2),
#      PIER_BENCH_API_PORT / PIER_BENCH_ROUTER_PORT (first ports tried; 17070 / 18080).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"

DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
APP=bench-router

need_wrk
command -v node >/dev/null || die "node is needed"
start_pier

log "creating the app"
mkdir -p "$BENCH_TMP/$APP" && cd "$BENCH_TMP/$APP"
cat >package.json <<'EOF'
{ "name": "bench-router", "version": "1.0.0", "private": true, "scripts": { "start": "node server.js" } }
EOF
cat >server.js <<'EOF'
const http = require('http');
const port = Number(process.env.PORT || 3000);
http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('ok');
}).listen(port, '127.0.0.1');
EOF
git init -q -b main && git add . && git commit -qm init
"$PIER" apps:create "$APP" >/dev/null
log "deploying (git push)"
git push -q pier main >"$BENCH_TMP/push.log" 2>&1 || { cat "$BENCH_TMP/push.log" >&2; die "push failed"; }
wait_instances_up "$APP" 1

PORT1=$(instance_port "$APP" web.1)
[ -n "$PORT1" ] || die "could not find web.1's port in the app's logs"
DIRECT="http://127.0.0.1:$PORT1/"
ROUTED="http://127.0.0.1:$ROUTER_PORT/"
HOSTH="Host: $APP.localhost"
[ "$(curl -s "$DIRECT")" = ok ] || die "web.1 does not answer on port $PORT1"
[ "$(curl -s -H "$HOSTH" "$ROUTED")" = ok ] || die "the router does not serve $APP"
log "web.1 listens on 127.0.0.1:$PORT1"

# Runs wrk; prints "rps p50_ms p99_ms errors" and keeps the raw output in $BENCH_TMP/wrk-$1.txt.
run_wrk() {
  local name=$1; shift
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" >"$BENCH_TMP/wrk-$name.txt" 2>&1 ||
    { cat "$BENCH_TMP/wrk-$name.txt" >&2; die "wrk failed"; }
  awk '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /m$/)  return substr(v, 1, length(v) - 1) * 60000
      if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000
      return v
    }
    /^ *50%/ { p50 = ms($2) }
    /^ *99%/ { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { err += $NF }
    /Socket errors:/ { for (i = 4; i <= NF; i += 2) { v = $i; gsub(",", "", v); err += v } }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, err }' "$BENCH_TMP/wrk-$name.txt"
}

warmup() { wrk -t"$THREADS" -c"$CONNS" -d"${BENCH_WARMUP:-3s}" "$@" >/dev/null 2>&1 || true; }

log "warming up (${BENCH_WARMUP:-3s} direct, ${BENCH_ROUTER_WARMUP:-60s} routed, for the JIT)"
warmup "$DIRECT"
BENCH_WARMUP=${BENCH_ROUTER_WARMUP:-60s} warmup -H "$HOSTH" "$ROUTED"

# Connections that close leave TIME_WAIT sockets for 60 s, and tens of thousands of them slow
# down connect() (the router keeps instance connections open, but the Connection: close run and
# PIER_ROUTER_BACKEND_POOL=0 make many). Each measured run therefore starts after the previous
# runs' TIME_WAIT sockets are gone (at most ~65 s wait).
time_wait() { ss -Htan state time-wait | wc -l; }
drain() {
  local t0; t0=$(now_ms)
  [ "$(time_wait)" -lt 2000 ] && return 0
  log "waiting for $(time_wait) TIME_WAIT sockets to expire (at most 65 s)"
  while [ "$(time_wait)" -ge 2000 ] && [ $(( $(now_ms) - t0 )) -lt 65000 ]; do sleep 1; done
}
measure() { # name label wrk-args...: runs one measured wrk and records its row
  local name=$1 label=$2; shift 2
  [ -n "${NO_DRAIN:-}" ] || drain
  log "measuring $label ($DURATION)"
  local rps p50 p99 err
  read -r rps p50 p99 err < <(run_wrk "$name" "$@")
  eval "${name//-/_}=\"\$rps \$p50 \$p99 \$err $(time_wait)\""
}

NO_DRAIN=1 measure direct "direct to web.1, keep-alive" "$DIRECT"
measure router_1 "through the router, web=1" -H "$HOSTH" "$ROUTED"

log "scaling to web=2"
"$PIER" ps:scale web=2 -a "$APP" >/dev/null
wait_instances_up "$APP" 2
warmup -H "$HOSTH" "$ROUTED"
measure router_2 "through the router, web=2" -H "$HOSTH" "$ROUTED"
# Which instances served the requests, from the router's newest access log lines (Pier keeps
# the newest 1500 lines per app). On a 2-core machine Pier's API can hang once two instances run
# (see README, "Observations"), so this is bounded (curl -m 20) and may print n/a.
split=""
if curl -s -m 20 -o "$BENCH_TMP/logs.txt" -H "Authorization: Bearer $TOKEN" \
  "http://127.0.0.1:$API_PORT/apps/$APP/logs?lines=1500"; then
  split=$({ grep -o 'dyno=web\.[0-9]*' "$BENCH_TMP/logs.txt" || true; } | sort | uniq -c |
    awk '{ printf "%s%s %s", sep, $2, $1; sep = ", " }')
else
  log "Pier's API did not answer GET /apps/$APP/logs within 20 s"
fi
measure direct_close "direct to web.1, Connection: close" -H 'Connection: close' "$DIRECT"

overhead() { # % of throughput lost relative to $1
  awk -v base="$1" -v v="$2" 'BEGIN { if (base > 0) printf "%+.1f%%", (v - base) * 100 / base; else print "n/a" }'
}

echo
echo "Pier router benchmark: wrk -t$THREADS -c$CONNS -d$DURATION --latency, app answers \"ok\" (node http)"
machine_line
echo
fmt='%-38s %9s %8s %8s %7s %10s %10s\n'
printf "$fmt" "Target" "req/s" "p50 ms" "p99 ms" "errors" "vs direct" "TIME_WAIT"
printf "$fmt" "--------------------------------------" "---------" "--------" "--------" "-------" "----------" "----------"
row() { # label "rps p50 p99 err tw"
  local rps p50 p99 err tw; read -r rps p50 p99 err tw <<<"$2"
  printf "$fmt" "$1" "$rps" "$p50" "$p99" "$err" "$(overhead "${direct%% *}" "$rps")" "$tw"
}
row "direct web.1 (keep-alive)" "$direct"
row "router, web=1" "$router_1"
row "router, web=2" "$router_2"
row "direct web.1 (Connection: close)" "$direct_close"
echo
read -r D_RPS D_P50 _ <<<"$direct"
read -r R1_RPS R1_P50 _ <<<"$router_1"
awk -v d="$D_RPS" -v r="$R1_RPS" -v dp="$D_P50" -v rp="$R1_P50" 'BEGIN {
  printf "Router overhead (web=1 vs direct keep-alive): throughput %.1f%% lower, p50 latency +%.2f ms\n",
    (d - r) * 100 / d, rp - dp }'
echo "Instances used by the router (newest access log lines, web=2 run): ${split:-n/a}"
echo "TIME_WAIT = TIME_WAIT sockets on the machine right after the run."
