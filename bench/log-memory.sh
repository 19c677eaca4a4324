#!/usr/bin/env bash
# Platform memory while log lines pile up: an app prints LINES lines per round through its
# stdout (the real path: instance pipe -> log bus -> durable store); after each round the
# server's resident memory and the log store's size on disk are printed. Bounded memory means
# RSS levels off while the store keeps growing on disk.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
ROUNDS=${ROUNDS:-4}
PER_REQUEST=20000
REQUESTS=${REQUESTS:-25}   # 25 x 20 000 = 500 000 lines per round

start_pier
APP=bench-logs
SRC="$BENCH_TMP/src"
mkdir -p "$SRC"
echo '{ "name": "l", "version": "1.0.0", "private": true, "scripts": { "start": "node server.js" } }' >"$SRC/package.json"
cat >"$SRC/server.js" <<JS
require('http').createServer((q, s) => {
  for (let i = 0; i < $PER_REQUEST; i++) console.log('GET /items/' + i + ' took ' + (i % 97) + 'ms user=' + (i * 7919 % 100003));
  s.end('ok');
}).listen(process.env.PORT);
JS
(cd "$SRC" && git init -q -b main && git add -A && git commit -qm app &&
  "$PIER" apps:create "$APP" >/dev/null && git push -q pier main 2>/dev/null)
wait_instances_up "$APP" 1

rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$PIER_SERVER_PID/status"; }
store_mb() { du -sm "$BENCH_TMP/data/logs" | cut -f1; }

printf '%-8s %12s %14s %16s\n' "round" "lines sent" "server RSS MB" "log store MB"
printf '%-8s %12s %14s %16s\n' "start" 0 "$(rss_mb)" "$(store_mb)"
sent=0
for round in $(seq 1 "$ROUNDS"); do
  for _ in $(seq 1 "$REQUESTS"); do
    curl -s -o /dev/null -H "Host: $APP.localhost" "http://127.0.0.1:$ROUTER_PORT/"
  done
  sent=$((sent + REQUESTS * PER_REQUEST))
  sleep 6   # let the store commit (every 5 s)
  printf '%-8s %12s %14s %16s\n' "$round" "$sent" "$(rss_mb)" "$(store_mb)"
done
echo
machine_line
"$PIER" logs -a "$APP" -n 5 | grep -i "dropped\|not stored" || echo "(no drop reports in the last lines)"
