# Shared helpers for the Pier benchmarks: a throw-away Pier server, timing and formatting.
# Source it from a bench script; it sets a trap that stops the server and removes temp dirs.
# shellcheck shell=bash

BENCH_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# bin/pier rebuilds Pier whenever a source file is newer than the build. The benchmarks let it do
# that once, before starting the server, then run the built jars through bench/pier-prebuilt so
# that no rebuild happens in the middle of a measurement (or under the running server).
# PIER_BENCH_NO_BUILD=1 skips that first build too (e.g. while the tree is half-edited).
PIER="$BENCH_ROOT/bench/pier-prebuilt"

# Everything the benchmark creates lives here; HOME points here so ~/.netrc, ~/.npm and git
# config of the real user are neither read nor changed. Pier's build sandbox runs as a per-app
# uid that must be able to traverse the path to the data dir, hence o+x (mktemp makes it 0700).
BENCH_TMP="$(mktemp -d /tmp/pier-bench.XXXXXX)"
chmod 711 "$BENCH_TMP"
export HOME="$BENCH_TMP"
export GIT_TERMINAL_PROMPT=0
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@localhost
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

PIER_SERVER_PID=""
BENCH_BG_PIDS=()

# Prints the pids of all descendants of pid $1.
descendants() {
  local p
  for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do echo "$p"; descendants "$p"; done
}

# Pier does not always stop its instances when it exits (see README, Observations): kill the
# sandboxes (bwrap) whose command line names this run's temp dir, and everything below them.
kill_leftover_instances() {
  local p pids=()
  for p in $(pgrep -f "$BENCH_TMP/" 2>/dev/null); do
    [ "$p" = $$ ] && continue
    tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -q '^/usr/bin/bwrap ' || continue
    pids+=("$p" $(descendants "$p"))
  done
  [ ${#pids[@]} -eq 0 ] && return 0
  printf ' !  %s processes of app instances were still running after Pier exited; killing them\n' \
    "${#pids[@]}" >&2
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

# Stops a Pier server: SIGTERM, which stops its instances (grace shortened by
# PIER_STOP_GRACE_SECONDS in start_pier), then SIGKILL after 10 s.
stop_server() {
  kill -0 "$1" 2>/dev/null || return 0
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}

# Pier servers a script runs besides $PIER_SERVER_PID (see router-metrics.sh).
BENCH_SERVER_PIDS=()

bench_cleanup() {
  local pid
  for pid in "${BENCH_BG_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${BENCH_SERVER_PIDS[@]}" $PIER_SERVER_PID; do stop_server "$pid"; done
  kill_leftover_instances
  rm -rf "$BENCH_TMP"
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '==> %s\n' "$*" >&2; }
die() { printf ' !  %s\n' "$*" >&2; exit 1; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Prints seconds with 2 decimals for a duration in ms.
fmt_s() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }

port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# Prints the first free TCP port at or after $1.
free_port() {
  local p=$1
  while ! port_free "$p"; do p=$((p + 1)); done
  echo "$p"
}

need_wrk() {
  command -v wrk >/dev/null 2>&1 && return 0
  log "installing wrk with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2 || die "could not install wrk"
}

# Starts a fresh Pier on loopback with a temp data dir; sets API_PORT, ROUTER_PORT, TOKEN, API.
# Also logs the CLI in (writes $HOME/.netrc so git push authenticates).
start_pier() {
  API_PORT=$(free_port "${PIER_BENCH_API_PORT:-17070}")
  ROUTER_PORT=$(free_port "${PIER_BENCH_ROUTER_PORT:-18080}")
  [ "$API_PORT" != "$ROUTER_PORT" ] || ROUTER_PORT=$(free_port $((ROUTER_PORT + 1)))
  TOKEN="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  API="http://localhost:$API_PORT"
  if [ -z "${PIER_BENCH_NO_BUILD:-}" ]; then
    "$BENCH_ROOT/bin/pier" --version >/dev/null || die "bin/pier could not build Pier (try PIER_BENCH_NO_BUILD=1)"
  fi
  # PIER_BENCH_DATA lets a script run two servers side by side (each with its own data dir).
  local data=${PIER_BENCH_DATA:-$BENCH_TMP/data}
  log "starting Pier (API :$API_PORT, router :$ROUTER_PORT, data $data)"
  # Node.js apps use the host's node (as in earlier runs) unless PIER_NODE_DOWNLOADS=1: figures
  # stay comparable and no run depends on the npm registry.
  PIER_ADMIN_TOKEN="$TOKEN" PIER_STOP_GRACE_SECONDS=3 PIER_NODE_DOWNLOADS="${PIER_NODE_DOWNLOADS:-0}" \
    "$PIER" server --data "$data" --api-port "$API_PORT" \
    --router-port "$ROUTER_PORT" --bind 127.0.0.1 >"$data.log" 2>&1 &
  PIER_SERVER_PID=$!
  disown "$PIER_SERVER_PID" 2>/dev/null || true # no "Killed" job message if it needs SIGKILL
  local t0; t0=$(now_ms)
  until curl -s -o /dev/null "http://127.0.0.1:$API_PORT/" 2>/dev/null; do
    kill -0 "$PIER_SERVER_PID" 2>/dev/null || { cat "$data.log" >&2; die "Pier exited"; }
    [ $(( $(now_ms) - t0 )) -lt 60000 ] || die "Pier did not start within 60 s"
    sleep 0.1
  done
  log "Pier up after $(fmt_s $(( $(now_ms) - t0 ))) s"
  "$PIER" login --api "$API" --token "$TOKEN" >/dev/null
}

# Prints the host port of instance $2 (e.g. web.1) of app $1, from its newest
# "pier[web.1]: port N accepting connections" log line.
instance_port() {
  "$PIER" logs -a "$1" -n 1000 2>/dev/null |
    sed -n "s/.*pier\[$2\]: port \([0-9]*\) accepting connections.*/\1/p" | tail -n 1
}

# Waits until app $1 has $2 instances in state "up".
wait_instances_up() {
  local t0; t0=$(now_ms)
  while :; do
    local up
    up=$("$PIER" ps -a "$1" --json 2>/dev/null | grep -c '"state" : "up"' || true)
    [ "$up" -ge "$2" ] && return 0
    [ $(( $(now_ms) - t0 )) -lt 60000 ] || die "$1: $2 instances not up within 60 s"
    sleep 0.2
  done
}

# Prints "min median" (ms) of the numbers given as arguments.
min_median() {
  printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END {
    m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%d %d\n", a[1], m }'
}

machine_line() {
  printf 'Machine: %s cores, %s, load avg %s; date %s\n' "$(nproc)" \
    "$(uname -sr)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u '+%Y-%m-%d %H:%M UTC')"
}
