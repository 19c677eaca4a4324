# Helpers for the autoscaling benchmarks (cold-start.sh, autoscale.sh, reconciler-idle.sh), on
# top of lib.sh: the API read with curl (a CLI call starts a JVM, ~0.5 s, too slow to poll with),
# instance counts, node apps deployed with a real git push, medians and percentiles.
# shellcheck shell=bash

need_jq() {
  command -v jq >/dev/null 2>&1 && return 0
  log "installing jq with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >&2 || die "could not install jq"
}

# GET $API$1 with the admin token; prints the body (empty on a connection error).
api_get() { curl -s --max-time 10 -H "Authorization: Bearer $TOKEN" "$API$1" || true; }

# Prints the web instances of app $1 as "state boot_millis" lines (boot_millis "null" until ready).
web_instances() {
  api_get "/apps/$1/ps" | jq -r '.[]? | select(.type == "web") | "\(.state) \(.boot_millis)"' 2>/dev/null || true
}

# Prints how many web instances app $1 has: all of them (any state), or with $2 only those in state $2.
web_count() {
  if [ -n "${2:-}" ]; then web_instances "$1" | awk -v s="$2" '$1 == s' | wc -l
  else web_instances "$1" | wc -l; fi
}

# Waits until app $1 has exactly $2 web instances in state "up" and none in any other state;
# gives up after $3 seconds (default 60) and returns 1.
wait_web() {
  local deadline=$(( $(now_ms) + ${3:-60} * 1000 ))
  while :; do
    local all up
    all=$(web_count "$1"); up=$(web_count "$1" up)
    [ "$all" -eq "$2" ] && [ "$up" -eq "$2" ] && return 0
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# Writes a dependency-free node app into dir $1: answers "ok" after DELAY_MS (default 0: at once).
# With $2 = procfile the web process is `node server.js` (Procfile), else Pier's default for a
# package.json with a start script: `npm start`.
write_node_app() {
  mkdir -p "$1"
  cat >"$1/package.json" <<'EOF'
{ "name": "bench-app", "version": "1.0.0", "private": true, "scripts": { "start": "node server.js" } }
EOF
  cat >"$1/server.js" <<'EOF'
const http = require('http');
const delay = Number(process.env.DELAY_MS || 0);
http.createServer((req, res) => {
  const answer = () => { res.writeHead(200, { 'Content-Type': 'text/plain' }); res.end('ok'); };
  if (delay > 0) setTimeout(answer, delay); else answer();
}).listen(Number(process.env.PORT || 3000), '127.0.0.1');
EOF
  [ "${2:-}" = procfile ] && echo 'web: node server.js' >"$1/Procfile"
  (cd "$1" && git init -q -b main && git add -A && git commit -qm app)
}

# Creates app $1 from the repo in dir $2 and deploys it with git push; extra args are
# "KEY=VALUE" config vars set before the push.
deploy_app() {
  local app=$1 dir=$2; shift 2
  (cd "$dir" && "$PIER" apps:create "$app" >/dev/null) || die "apps:create $app failed"
  if [ $# -gt 0 ]; then "$PIER" config:set "$@" -a "$app" >/dev/null || die "config:set on $app failed"; fi
  (cd "$dir" && git push -q pier main >"$BENCH_TMP/push-$app.log" 2>&1) ||
    { cat "$BENCH_TMP/push-$app.log" >&2; die "git push of $app failed"; }
}

# Prints the median of the numbers given as arguments.
median() {
  printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# Prints the nearest-rank percentile $1 (0-100) of the numbers after it (p99 of 20 = the largest).
percentile() {
  local p=$1; shift
  printf '%s\n' "$@" | sort -g | awk -v p="$p" '{ a[NR] = $1 } END { r = int(p / 100 * NR + 0.999999); if (r < 1) r = 1; print a[r] }'
}

# Prints "min median p99 max" of the numbers given as arguments.
summary() { echo "$(percentile 0 "$@") $(median "$@") $(percentile 99 "$@") $(percentile 100 "$@")"; }

# CPU ticks (user + system) of process or thread stat file $1; the name in parentheses may hold
# spaces ("C2 CompilerThre"), so fields are counted after its closing parenthesis.
stat_ticks() { sed 's/.*) //' "$1" 2>/dev/null | awk '{ print $12 + $13 }'; }
