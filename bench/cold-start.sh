#!/usr/bin/env bash
# Cold start after scale to zero: how long the first request to an app at zero instances takes
# through the router, from sending it to the full answer (Pier holds it, wakes the app, starts an
# instance and forwards the request once the instance accepts connections).
#
# Two dependency-free node apps (http.createServer answering "ok" at once) autoscale with
# --min 0 --idle 1s: one runs `node server.js` (Procfile), the other Pier's default for a
# package.json with a start script, `npm start`. Each round waits until an app is at zero
# instances, then times one GET with curl (time_total), reads the new instance's boot_millis
# (process start to ready, from `GET /apps/APP/ps`) and times one warm GET after it. The two apps
# take turns, so other load on the machine hits both alike.
# Reference in the same run: the same commands started bare (no Pier, no sandbox), spawn to first
# answered request (bench/BareStart.java).
#
# Env: BENCH_ROUNDS (20), BENCH_WARMUP_ROUNDS (3, not counted), BENCH_IDLE (1s: idle grace),
#      PIER_BENCH_API_PORT / PIER_BENCH_ROUTER_PORT (first ports tried; 17070 / 18080).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
source "$BENCH_ROOT/bench/scale-lib.sh"

ROUNDS=${BENCH_ROUNDS:-20}
WARMUP=${BENCH_WARMUP_ROUNDS:-3}
IDLE=${BENCH_IDLE:-1s}
AIM_MS=300

need_jq
command -v node >/dev/null || die "node is needed"
JAVA="$(source "$BENCH_ROOT/bin/lib.sh"; pier_find_jdk; echo "$PIER_JAVA_HOME/bin/java")"
mkdir -p "$BENCH_TMP/classes"
"${JAVA%/java}/javac" -d "$BENCH_TMP/classes" "$BENCH_ROOT/bench/BareStart.java"

start_pier
declare -A DIR=([node]="$BENCH_TMP/app-node" [npm]="$BENCH_TMP/app-npm")
declare -A APP=([node]=bench-cold-node [npm]=bench-cold-npm)
declare -A LABEL=([node]="web: node server.js (Procfile)" [npm]="web: npm start (Pier's default)")
write_node_app "${DIR[node]}" procfile
write_node_app "${DIR[npm]}"
for v in node npm; do
  log "deploying ${APP[$v]} (${LABEL[$v]})"
  deploy_app "${APP[$v]}" "${DIR[$v]}"
  wait_web "${APP[$v]}" 1 || die "${APP[$v]} did not come up"
  "$PIER" autoscale:enable web --min 0 --max 1 --idle "$IDLE" --stable-window 6s -a "${APP[$v]}" >/dev/null
done

# Times one GET through the router; prints "status ms".
timed_get() {
  curl -s -o /dev/null --max-time 60 -w '%{http_code} %{time_total}\n' -H "Host: $1.localhost" \
    "http://127.0.0.1:$ROUTER_PORT/" | awk '{ printf "%s %.1f\n", $1, $2 * 1000 }'
}

declare -A FIRST BOOT WARM WAIT
for v in node npm; do FIRST[$v]=""; BOOT[$v]=""; WARM[$v]=""; WAIT[$v]=""; done
FAILED=0
log "$WARMUP warm-up rounds, then $ROUNDS measured rounds (each waits for both apps to be at zero)"
for round in $(seq 1 $((WARMUP + ROUNDS))); do
  for v in node npm; do
    app=${APP[$v]}
    t0=$(now_ms)
    wait_web "$app" 0 60 || die "$app did not scale to zero within 60 s"
    waited=$(( $(now_ms) - t0 ))
    read -r status ms < <(timed_get "$app")
    read -r _ warm < <(timed_get "$app")
    boot=$(web_instances "$app" | awk '$1 == "up" && $2 != "null" { print $2; exit }')
    if [ "$status" != 200 ]; then
      FAILED=$((FAILED + 1))
      log "round $round $v: status $status after $ms ms"
      continue
    fi
    [ "$round" -le "$WARMUP" ] && continue
    FIRST[$v]+=" $ms"; WARM[$v]+=" $warm"; WAIT[$v]+=" $waited"
    [ -n "$boot" ] && BOOT[$v]+=" $boot"
  done
  [ "$round" -le "$WARMUP" ] || printf '\r    round %d/%d: node %s ms, npm %s ms   ' "$((round - WARMUP))" "$ROUNDS" \
    "${FIRST[node]##* }" "${FIRST[npm]##* }" >&2
done
echo >&2

log "reference: the same commands started bare, 2 + $ROUNDS rounds each"
BARE_PORT=$(free_port 19090)
bare() { "$JAVA" -cp "$BENCH_TMP/classes" BareStart "$((ROUNDS + 2))" "$BARE_PORT" "$1" "${@:2}" | cut -d' ' -f3-; }
BARE_NODE=$(bare "${DIR[node]}" node server.js)
BARE_NPM=$(bare "${DIR[npm]}" npm start)

row() { # label numbers...
  # shellcheck disable=SC2046
  printf '%-52s %7s %7s %7s %7s\n' "$1" $(summary "${@:2}" | awk '{ for (i = 1; i <= 4; i++) printf "%.0f ", $i }')
}

echo
echo "Pier cold start: first response after scale to zero, $ROUNDS rounds ($WARMUP warm-up), idle grace $IDLE"
machine_line
printf '%-52s %7s %7s %7s %7s\n' "ms" "min" "median" "p99" "max"
for v in node npm; do
  echo "${LABEL[$v]}:"
  # shellcheck disable=SC2086
  row "  first response through the router (curl)" ${FIRST[$v]}
  # shellcheck disable=SC2086
  [ -n "${BOOT[$v]}" ] && row "  instance boot_millis (process start -> ready)" ${BOOT[$v]}
  # shellcheck disable=SC2086
  row "  next request, warm" ${WARM[$v]}
done
echo "reference, no Pier (spawn -> first answered request):"
# shellcheck disable=SC2086
row "  node server.js" $BARE_NODE
# shellcheck disable=SC2086
row "  npm start" $BARE_NPM
# shellcheck disable=SC2086
echo "waiting for zero took $(median ${WAIT[node]}) ms (median; idle grace $IDLE, then the stop)"
[ "$FAILED" -eq 0 ] || echo "FAILED first requests (not 200): $FAILED"
# shellcheck disable=SC2086
m=$(median ${FIRST[node]})
awk -v m="$m" -v aim="$AIM_MS" 'BEGIN { printf "aim (issue #9): first response <= %d ms; node server.js median %.0f ms: %s\n",
  aim, m, (m <= aim) ? "met" : sprintf("not met (%.1fx)", m / aim) }'
