#!/usr/bin/env bash
# Push-to-serve latency: wall time from the start of `git push pier main` until the router first
# answers 200 with the new code, for an express-generator app. The first push has a cold npm cache;
# then the app is changed and pushed again BENCH_WARM_PUSHES times (warm cache).
#
# Env: BENCH_WARM_PUSHES (default 3), PIER_BENCH_API_PORT / PIER_BENCH_ROUTER_PORT (first ports
#      tried; 17070 / 18080), PIER_BENCH_NO_BUILD=1 (use the jars already built, see README).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"

WARM=${BENCH_WARM_PUSHES:-3}
APP=bench-hello
POLL_TIMEOUT_MS=300000

command -v npx >/dev/null || die "npx (node + npm) is needed"
start_pier

log "generating the app (npx express-generator --view=ejs)"
cd "$BENCH_TMP"
npx --yes express-generator --view=ejs hello >"$BENCH_TMP/generator.log" 2>&1 ||
  { cat "$BENCH_TMP/generator.log" >&2; die "express-generator failed"; }
cd hello
printf 'node_modules\n' >.gitignore
git init -q -b main && git add . && git commit -qm "express-generator app"
"$PIER" apps:create "$APP" >/dev/null

URL="http://127.0.0.1:$ROUTER_PORT/"
HOSTH="Host: $APP.localhost"

# Pushes and polls the router (every ~50 ms) until it answers 200 with a body containing $2.
# Sets PUSH_MS (git push duration), SERVE_MS (push start -> first good 200), and the build phases
# seen in the remote: lines: DEPS_MS (installing dependencies) and LAUNCH_MS ("Launching..." ->
# end of git push), and BAD / DOWN_MS: polls that got no 200 and the window they span.
timed_push() {
  local label=$1 marker=$2 log="$BENCH_TMP/push-$1.log"
  local t0 t_push_end="" t_200="" t_bad="" status body
  BAD=0 BAD_CODES=""
  t0=$(now_ms)
  { git push pier main 2>&1 | stdbuf -oL tr '\r' '\n' | while IFS= read -r line; do
      printf '%s %s\n' "$(now_ms)" "$line"; done >"$log"; echo "${PIPESTATUS[0]}" >"$log.rc"; } &
  local push_pid=$!
  BENCH_BG_PIDS+=("$push_pid")
  while :; do
    if [ -z "$t_push_end" ] && ! kill -0 "$push_pid" 2>/dev/null; then
      t_push_end=$(now_ms)
      [ "$(cat "$log.rc" 2>/dev/null)" = 0 ] || { cut -d' ' -f2- "$log" >&2; die "git push failed ($label)"; }
    fi
    if [ -z "$t_200" ]; then
      body=$(curl -s -m 2 -w '\n%{http_code}' -H "$HOSTH" "$URL" 2>/dev/null || true)
      status=${body##*$'\n'}
      if [ "$status" = 200 ] && [[ $body == *"$marker"* ]]; then t_200=$(now_ms)
      elif [ "$status" != 200 ]; then BAD=$((BAD + 1)); [ -n "$t_bad" ] || t_bad=$(now_ms)
        [[ " $BAD_CODES " == *" $status "* ]] || BAD_CODES="$BAD_CODES $status"; fi
    fi
    [ -n "$t_push_end" ] && [ -n "$t_200" ] && break
    [ $(( $(now_ms) - t0 )) -lt $POLL_TIMEOUT_MS ] || die "$label: no 200 with '$marker' within $((POLL_TIMEOUT_MS / 1000)) s"
    sleep 0.05
  done
  wait "$push_pid" 2>/dev/null || true
  PUSH_MS=$((t_push_end - t0))
  SERVE_MS=$((t_200 - t0))
  # Unavailability: from the first failed poll (not 200) to the first 200 with the new code.
  DOWN_MS=$([ -n "$t_bad" ] && echo $((t_200 - t_bad)) || echo 0)
  local t_deps t_types t_launch
  t_deps=$(awk '/Installing dependencies/ { print $1; exit }' "$log")
  t_types=$(awk '/Discovering process types/ { print $1; exit }' "$log")
  t_launch=$(awk '/Launching/ { print $1; exit }' "$log")
  DEPS_MS=$([ -n "$t_deps" ] && [ -n "$t_types" ] && echo $((t_types - t_deps)) || echo "?")
  LAUNCH_MS=$([ -n "$t_launch" ] && echo $((t_push_end - t_launch)) || echo "?")
  log "$label: git push $(fmt_s "$PUSH_MS") s, first 200 after $(fmt_s "$SERVE_MS") s"
}

ROWS=()
FMT='%-12s %9s %11s %12s %9s   %-s'
add_row() { # label show-downtime
  local down="-"
  [ "$2" = yes ] && down="$(fmt_s "$DOWN_MS") ($BAD)" && [ -n "$BAD_CODES" ] && down="$down:${BAD_CODES// /,}"
  down=${down/:,/: }
  ROWS+=("$(printf "$FMT" "$1" "$(fmt_s "$SERVE_MS")" "$(fmt_s "$PUSH_MS")" \
    "$([ "$DEPS_MS" = "?" ] && echo "?" || fmt_s "$DEPS_MS")" \
    "$([ "$LAUNCH_MS" = "?" ] && echo "?" || fmt_s "$LAUNCH_MS")" "$down")"); }

log "push 1 (cold npm cache)"
timed_push cold "<title>Express</title>"
add_row "cold" no

SERVES=() PUSHES=()
for i in $(seq 1 "$WARM"); do
  sed -i "s/title: '[^']*'/title: 'Express build $i'/" routes/index.js
  git commit -qam "change $i"
  log "push $((i + 1)) (warm cache)"
  timed_push "warm$i" "Express build $i"
  add_row "warm $i" yes
  SERVES+=("$SERVE_MS") PUSHES+=("$PUSH_MS")
done

read -r SMIN SMED < <(min_median "${SERVES[@]}")
read -r PMIN PMED < <(min_median "${PUSHES[@]}")

echo
echo "Pier push-to-serve benchmark: express-generator app (ejs, no lockfile: npm install)"
machine_line
echo
printf "$FMT\n" "Push" "to 200 s" "git push s" "npm inst s" "launch s" "down s (failed polls: status)"
printf "$FMT\n" "------------" "---------" "-----------" "------------" "---------" "-----------------------------"
printf '%s\n' "${ROWS[@]}"
printf "$FMT\n" "warm min" "$(fmt_s "$SMIN")" "$(fmt_s "$PMIN")" "" "" ""
printf "$FMT\n" "warm median" "$(fmt_s "$SMED")" "$(fmt_s "$PMED")" "" "" ""
echo
echo "to 200 s     = from the start of git push until the router first answers 200 with the new code"
echo "git push s   = how long git push itself ran (it returns once the new web instance accepts connections)"
echo "npm inst s   = the build's \"Installing dependencies\" step (npm install), from the remote: lines"
echo "launch s     = from \"Launching...\" until git push returned (release, stop old + start new instance)"
echo "down s       = window in which the router answered an error instead of 200 (old or new code),"
echo "               measured by polling every ~50 ms, with the number of polls that got no 200 and their statuses"
