#!/usr/bin/env bash
# Zero-downtime rollouts under load: a deploy, a config change, a rollback, a migration and a
# rolling restart, each while 16 keep-alive clients hammer the app through the router.
# Prints, per operation: how long it took, requests and failed requests (connection errors or
# router 5xx) during it, and when the last response from the old version came relative to the
# end of the command (negative: traffic had fully moved before the command returned).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"

CLIENTS=${CLIENTS:-16}
JAVA="$(source "$BENCH_ROOT/bin/lib.sh"; pier_find_jdk; echo "$PIER_JAVA_HOME/bin/java")"
"$JAVA" -version >/dev/null 2>&1 || die "no JDK"
mkdir -p "$BENCH_TMP/lc"
"${JAVA%/java}/javac" -d "$BENCH_TMP/lc" "$BENCH_ROOT/bench/LoadClient.java"

start_pier
APP=bench-rollout
SRC="$BENCH_TMP/src"
mkdir -p "$SRC"
write_app() { # $1 = version
  cat >"$SRC/package.json" <<JSON
{ "name": "bench-rollout", "version": "1.0.0", "private": true, "scripts": { "start": "node server.js" } }
JSON
  cat >"$SRC/server.js" <<JS
require('http').createServer((req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ code: $1, release: process.env.PIER_RELEASE, greeting: process.env.GREETING || 'hello' }));
}).listen(process.env.PORT);
JS
}
write_app 1
(cd "$SRC" && git init -q -b main && git add -A && git commit -qm v1)
(cd "$SRC" && "$PIER" apps:create "$APP" >/dev/null && git push -q pier main 2>/dev/null)
"$PIER" ps:scale web=2 -a "$APP" >/dev/null
wait_instances_up "$APP" 2

RESULTS=()
# measure NAME EXPECTED_NEW_VERSION COMMAND...
measure() {
  local name=$1 new=$2; shift 2
  local stop="$BENCH_TMP/stop-$name" out="$BENCH_TMP/load-$name"
  "$JAVA" -cp "$BENCH_TMP/lc" LoadClient "$ROUTER_PORT" "$APP.localhost" "$CLIENTS" "$stop" 300 >"$out" &
  local load=$!
  BENCH_BG_PIDS+=("$load")
  sleep 1
  local t0 t1
  t0=$(now_ms)
  "$@" >"$BENCH_TMP/op-$name.log" 2>&1 || { cat "$BENCH_TMP/op-$name.log" >&2; die "$name failed"; }
  t1=$(now_ms)
  sleep 2
  touch "$stop"
  wait "$load"
  # summary: requests failed vN:first:last:count ...
  read -r requests failed rest <"$out"
  local last_old=0 first_new=0 seen=""
  for entry in $rest; do
    IFS=: read -r v first last count <<<"$entry"
    seen="$seen $v=$count"
    if [ "$v" = "$new" ]; then first_new=$first; elif [ "$last" -gt "$last_old" ]; then last_old=$last; fi
  done
  local moved="n/a"
  [ "$last_old" -gt 0 ] && moved="$(fmt_s $((last_old - t1))) s"
  RESULTS+=("$(printf '%-16s %8s s %9s %7s %14s  %s' "$name" "$(fmt_s $((t1 - t0)))" "$requests" "$failed" "$moved" "$seen")")
}

write_app 2
(cd "$SRC" && git commit -qam v2)
measure "deploy (push)" v2 bash -c "cd '$SRC' && git push pier main"
measure "config:set" v3 "$PIER" config:set GREETING=hi -a "$APP"
measure "rollback v2" v4 "$PIER" rollback v2 -a "$APP"
write_app 3
(cd "$SRC" && git commit -qam v3 && git push -q -o no-promote pier main 2>/dev/null)
measure "traffic:migrate" v5 "$PIER" traffic:migrate v5 -a "$APP"
measure "ps:restart" v5 "$PIER" ps:restart -a "$APP"

echo
machine_line
echo "Load: $CLIENTS keep-alive clients through the router during each operation; app web=2."
echo "Last old = when the last response from an old version arrived, relative to the command's end."
printf '%-16s %10s %9s %7s %14s  %s\n' "operation" "duration" "requests" "failed" "last old" "responses by version"
for r in "${RESULTS[@]}"; do echo "$r"; done
