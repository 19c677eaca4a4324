#!/usr/bin/env bash
# What an idle Pier costs in CPU: the server JVM's CPU time (utime + stime of /proc/PID/stat, all
# its threads) over BENCH_MEASURE seconds without any request, first with 0 apps (the reference),
# then, on the same server, with BENCH_APPS apps, each deployed once with git push and running
# web=1 of a tiny node app (not autoscaled). Each measurement starts after BENCH_SETTLE seconds
# of quiet. Prints CPU % of one core, the busiest thread groups, the server's RSS and threads, and
# the CPU the app instances (the server's descendants: bwrap, node) used in the same window.
#
# Env: BENCH_APPS (50), BENCH_SETTLE (30 s), BENCH_MEASURE (60 s), BENCH_PARALLEL (3 deploys at
#      a time).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
source "$BENCH_ROOT/bench/scale-lib.sh"

APPS=${BENCH_APPS:-50}
SETTLE=${BENCH_SETTLE:-30}
MEASURE=${BENCH_MEASURE:-60}
PARALLEL=${BENCH_PARALLEL:-3}
HZ=$(getconf CLK_TCK)

need_jq
command -v node >/dev/null || die "node is needed"
start_pier
PID=$PIER_SERVER_PID

# Prints "group ticks" for the threads of process $1, grouped by name with digits and spaces
# removed (so pier-idle-07.web.1 and pier-idle-12.web.1 add up). One awk over all the threads'
# stat files, so that the snapshot is quick even with hundreds of threads.
thread_groups() {
  awk '{ l = $0; o = index(l, "("); c = 0
         for (k = length(l); k > o; k--) if (substr(l, k, 1) == ")") { c = k; break }
         name = substr(l, o + 1, c - o - 1); gsub(/[0-9 ]/, "", name)
         split(substr(l, c + 2), f, " "); a[name] += f[12] + f[13] }
       END { for (k in a) print k, a[k] }' /proc/"$1"/task/*/stat 2>/dev/null | sort || true
}

# Prints the summed CPU ticks of the pids given as arguments (those still alive).
ticks_of() {
  local p sum=0 t
  for p in "$@"; do t=$(stat_ticks "/proc/$p/stat"); sum=$((sum + ${t:-0})); done
  echo "$sum"
}

RESULTS=()
# measure LABEL: settles, then measures the server (and its descendants) for $MEASURE seconds.
measure() {
  log "$1: settling $SETTLE s, then measuring $MEASURE s of idle"
  sleep "$SETTLE"
  local kids; kids=$(descendants "$PID" | tr '\n' ' ')
  local g0 g1 j0 j1 k0 k1 t0 t1
  # shellcheck disable=SC2086
  k0=$(ticks_of $kids); g0=$(thread_groups "$PID"); j0=$(stat_ticks "/proc/$PID/stat"); t0=$(now_ms)
  sleep "$MEASURE"
  # shellcheck disable=SC2086
  j1=$(stat_ticks "/proc/$PID/stat"); t1=$(now_ms); g1=$(thread_groups "$PID"); k1=$(ticks_of $kids)
  local secs; secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1000 }')
  local rss threads procs
  rss=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$PID/status")
  threads=$(awk '/^Threads/ { print $2 }' "/proc/$PID/status")
  procs=$(echo "$kids" | wc -w)
  local host; host=$(find /proc -maxdepth 1 -name '[0-9]*' | wc -l)
  RESULTS+=("$(awk -v l="$1" -v d=$((j1 - j0)) -v k=$((k1 - k0)) -v hz="$HZ" -v s="$secs" -v rss="$rss" \
    -v th="$threads" -v p="$procs" -v h="$host" 'BEGIN {
      printf "%-28s %8.2f %9.3f %8d %8d %10d %11.2f %11d", l, d / hz / s * 100, d / hz, rss, th, p, k / hz / s * 100, h }')")
  # The busiest thread groups in the window.
  THREADS_OF["$1"]=$(join <(echo "$g0") <(echo "$g1") | awk -v hz="$HZ" '$3 > $2 { printf "%s %.2f\n", $1, ($3 - $2) / hz }' |
    sort -k2 -g -r | head -n 8 | awk '{ printf "    %-22s %6.2f CPU-s\n", $1, $2 }' |
    sed 's/pier-idle-\.we .*/& (the instances'"'"' supervisor threads, pier-APP.web.1)/')
}
declare -A THREADS_OF

measure "0 apps (reference)"

log "creating and deploying $APPS apps (web=1 of a tiny node app), $PARALLEL at a time"
write_node_app "$BENCH_TMP/base" procfile
T0=$(now_ms)
deploy_one() { # $1 = index
  local app dir
  app=$(printf 'idle-%02d' "$1"); dir="$BENCH_TMP/src/$app"
  mkdir -p "$BENCH_TMP/src" && cp -r "$BENCH_TMP/base" "$dir"
  deploy_app "$app" "$dir"
}
pids=()
for i in $(seq 1 "$APPS"); do
  deploy_one "$i" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$PARALLEL" ]; then wait "${pids[0]}" || die "a deploy failed"; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p" || die "a deploy failed"; done
for i in $(seq 1 "$APPS"); do
  wait_web "$(printf 'idle-%02d' "$i")" 1 120 || die "idle-$i is not up"
done
log "$APPS apps up after $(fmt_s $(( $(now_ms) - T0 ))) s"

measure "$APPS apps, web=1 each"

echo
echo "Pier idle CPU: server JVM utime+stime over ${MEASURE} s without requests, after ${SETTLE} s of quiet; same server"
machine_line
printf '%-28s %8s %9s %8s %8s %10s %11s %11s\n' "" "CPU %" "CPU-s" "RSS MB" "threads" "app procs" "apps CPU %" "host procs"
for r in "${RESULTS[@]}"; do echo "$r"; done
echo "(CPU % = of one core; apps CPU % = the instances' processes (bwrap, node) in the same window;"
echo " host procs = processes on this machine at the end of the window)"
printf '%s\n' "${RESULTS[@]}" | awk -v n="$APPS" '{ c[NR] = $(NF - 6) } END {
  printf "per running instance: %.2f %% of a core ((%s - %s) / %d)\n", (c[2] - c[1]) / n, c[2], c[1], n }' 
for l in "0 apps (reference)" "$APPS apps, web=1 each"; do
  echo "busiest server threads, $l:"
  echo "${THREADS_OF[$l]:-    (none)}"
done
