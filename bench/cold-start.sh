#!/usr/bin/env bash
# Cold start after scale to zero: how long the first request to an app at zero instances takes
# through the router, from sending it to the full answer (Pier holds it, wakes the app, starts an
# instance and forwards the request once the instance accepts connections).
#
# Three apps, all a dependency-free node server (http.createServer answering "ok" at once), all
# autoscaled with --min 0 --max 1 --idle 1s:
#   node       web: node server.js (Procfile), no size set: no CPU cap (memory 512 MB)
#   node-half  the same at standard-1x (a cgroup CPU quota of 0.5 CPU): what the quota costs a start
#   npm        Pier's default web process for a package.json with a start script: npm start
# Each round, for each app in turn: wait until it is at zero instances, time one GET through the
# router with curl (time_total: send to full answer), read the new instance's boot_millis
# (process start to ready, from GET /apps/APP/ps), time one warm GET after it.
# Reference in the same round: `node server.js` and `npm start` started bare (no Pier, no
# sandbox, no CPU quota), spawn to the first answered request (bench/BareStart.java), so that
# other load on the machine hits Pier and the reference alike.
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
VARIANTS=(node node-half npm)
declare -A APP=([node]=bench-cold-node [node-half]=bench-cold-half [npm]=bench-cold-npm)
declare -A LABEL=([node]="node server.js (Procfile), default size: no CPU cap" \
  [node-half]="node server.js (Procfile), standard-1x: 0.5 CPU quota" \
  [npm]="npm start (Pier's default command), default size")
write_node_app "$BENCH_TMP/app-node" procfile
write_node_app "$BENCH_TMP/app-npm"
for v in "${VARIANTS[@]}"; do
  dir="$BENCH_TMP/app-node"; [ "$v" = npm ] && dir="$BENCH_TMP/app-npm"
  log "deploying ${APP[$v]} (${LABEL[$v]})"
  deploy_app "${APP[$v]}" "$dir"
  wait_web "${APP[$v]}" 1 || die "${APP[$v]} did not come up"
  if [ "$v" = node-half ]; then
    "$PIER" ps:type web=standard-1x -a "${APP[$v]}" >/dev/null
    wait_web "${APP[$v]}" 1 || die "${APP[$v]} did not come back at its new size"
  fi
  cpus=$(api_get "/apps/${APP[$v]}/ps" | jq -r '[.[] | select(.type == "web")][0].cpus')
  log "${APP[$v]}: its web instance has a CPU cap of $cpus (null: none)"
  "$PIER" autoscale:enable web --min 0 --max 1 --idle "$IDLE" --stable-window 6s -a "${APP[$v]}" >/dev/null
done

# Times one GET through the router; prints "status ms".
timed_get() {
  curl -s -o /dev/null --max-time 60 -w '%{http_code} %{time_total}\n' -H "Host: $1.localhost" \
    "http://127.0.0.1:$ROUTER_PORT/" | awk '{ printf "%s %.1f\n", $1, $2 * 1000 }'
}

BARE_PORT=$(free_port 19090)
# One bare start of command $2.. in dir $1 (no Pier); prints its ms.
bare() { "$JAVA" -cp "$BENCH_TMP/classes" BareStart 1 "$BARE_PORT" "$1" "${@:2}"; }

declare -A FIRST BOOT WARM
for v in "${VARIANTS[@]}"; do FIRST[$v]=""; BOOT[$v]=""; WARM[$v]=""; done
BARE_NODE=""; BARE_NPM=""; WAITS=""
FAILED=0
log "$WARMUP warm-up rounds, then $ROUNDS measured rounds; in each every app waits for zero, then one cold GET"
for round in $(seq 1 $((WARMUP + ROUNDS))); do
  for v in "${VARIANTS[@]}"; do
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
    FIRST[$v]+=" $ms"; WARM[$v]+=" $warm"; WAITS+=" $waited"
    [ -n "$boot" ] && BOOT[$v]+=" $boot"
  done
  # The reference in the same round, so that other load on the machine hits it alike.
  bn=$(bare "$BENCH_TMP/app-node" node server.js)
  bm=$(bare "$BENCH_TMP/app-npm" npm start)
  [ "$round" -le "$WARMUP" ] && continue
  BARE_NODE+=" $bn"; BARE_NPM+=" $bm"
  log "round $((round - WARMUP))/$ROUNDS: $(for v in "${VARIANTS[@]}"; do printf '%s %s ms, ' "$v" "${FIRST[$v]##* }"; done)bare node $bn ms, bare npm $bm ms"
done

row() { # label numbers...
  # shellcheck disable=SC2046
  printf '%-52s %7s %7s %7s %7s\n' "$1" $(summary "${@:2}" | awk '{ for (i = 1; i <= 4; i++) printf "%.0f ", $i }')
}

echo
echo "Pier cold start: first response after scale to zero, $ROUNDS rounds ($WARMUP warm-up), idle grace $IDLE"
machine_line
printf '%-52s %7s %7s %7s %7s\n' "ms" "min" "median" "p99" "max"
for v in "${VARIANTS[@]}"; do
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
echo "waiting for an app to be at zero took $(median $WAITS) ms (median; the apps take turns)"
[ "$FAILED" -eq 0 ] || echo "FAILED first requests (not 200): $FAILED"
# shellcheck disable=SC2086
m=$(median ${FIRST[node]})
awk -v m="$m" -v aim="$AIM_MS" 'BEGIN { printf "aim (issue #9): first response <= %d ms; node server.js (default size) median %.0f ms: %s\n",
  aim, m, (m <= aim) ? "met" : sprintf("not met (%.2fx the aim)", m / aim) }'
