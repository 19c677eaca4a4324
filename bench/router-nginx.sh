#!/usr/bin/env bash
# Pier's router vs nginx as a reverse proxy in front of the same tiny Node app, side by side:
# direct to the instance, nginx (1 worker, keep-alive upstream, no access log), and Pier's router
# with its normal settings (access lines stored and searchable, request metrics on). Plain HTTP
# and TLS (Pier's --router-tls-port vs nginx terminating TLS with the same certificate), with 1
# and then 2 instances. After a warm-up, each phase runs paired rounds (the order alternates,
# so load from other processes falls on both sides alike) and prints medians of req/s, p99 and
# CPU-microseconds per request (utime+stime from /proc of Pier's JVM and of the nginx worker over
# each measured window), and the ratios Pier/nginx.
#
# Env: BENCH_ROUNDS (3), BENCH_DURATION (8, seconds per measured run), BENCH_CONNECTIONS (64),
#      BENCH_THREADS (2), BENCH_ROUTER_WARMUP (45, seconds of load on Pier before measuring, for
#      the JIT), BENCH_PHASES ("plain1 tls1 plain2 tls2"), PIER_ROUTER_BALANCER (Pier's default
#      least-in-flight; round-robin to compare). Default run: about 6 minutes.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"

ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-8}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_ROUTER_WARMUP:-45}
PHASES=${BENCH_PHASES:-plain1 tls1 plain2 tls2}
APP=bench-proxy
HOST="$APP.localhost"
TICK=$(getconf CLK_TCK)

need_wrk
command -v node >/dev/null || die "node is needed"
command -v openssl >/dev/null || die "openssl is needed"
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  log "installing nginx with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >&2 ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >&2 || die "could not install nginx"
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

PIER_ROUTER_TLS_PORT=$(free_port 18443)
export PIER_ROUTER_TLS_PORT
start_pier

log "creating and deploying the app"
mkdir -p "$BENCH_TMP/$APP" && cd "$BENCH_TMP/$APP"
cat >package.json <<'JSON'
{ "name": "bench-proxy", "version": "1.0.0", "private": true, "scripts": { "start": "node server.js" } }
JSON
cat >server.js <<'JS'
const http = require('http');
http.createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/plain' }); res.end('ok'); })
  .listen(Number(process.env.PORT || 3000), '127.0.0.1');
JS
git init -q -b main && git add . && git commit -qm init
"$PIER" apps:create "$APP" >/dev/null
git push -q pier main >"$BENCH_TMP/push.log" 2>&1 || { cat "$BENCH_TMP/push.log" >&2; die "push failed"; }
wait_instances_up "$APP" 1

# One certificate for both: Pier serves it as the app's own (certs:add) for SNI $HOST, nginx
# from the files.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$HOST" \
  -addext "subjectAltName=DNS:$HOST" -keyout "$BENCH_TMP/key.pem" -out "$BENCH_TMP/cert.pem" 2>/dev/null
"$PIER" certs:add "$BENCH_TMP/cert.pem" "$BENCH_TMP/key.pem" -a "$APP" >/dev/null || die "certs:add failed"

NGINX_PORT=$(free_port 19080)
NGINX_TLS_PORT=$(free_port $((NGINX_PORT + 1)))
mkdir -p "$BENCH_TMP/nginx"
nginx_conf() { # ports of the instances
  local servers="" p
  for p in "$@"; do servers+="    server 127.0.0.1:$p;"$'\n'; done
  cat >"$BENCH_TMP/nginx/nginx.conf" <<CONF
worker_processes 1;
# Pier's network guard keeps other users off instance ports: the worker must run as root, as Pier.
user root;
daemon off;
pid $BENCH_TMP/nginx/nginx.pid;
error_log $BENCH_TMP/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $BENCH_TMP/nginx/body;
  proxy_temp_path $BENCH_TMP/nginx/proxy;
  fastcgi_temp_path $BENCH_TMP/nginx/fastcgi;
  uwsgi_temp_path $BENCH_TMP/nginx/uwsgi;
  scgi_temp_path $BENCH_TMP/nginx/scgi;
  keepalive_requests 1000000;
  upstream app {
$servers    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    listen 127.0.0.1:$NGINX_TLS_PORT ssl;
    ssl_certificate $BENCH_TMP/cert.pem;
    ssl_certificate_key $BENCH_TMP/key.pem;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
    }
  }
}
CONF
}
ports_up() { # the ports of web.1..web.$1
  local i out=""
  for i in $(seq 1 "$1"); do out+="$(instance_port "$APP" "web.$i") "; done
  echo "$out"
}
start_nginx() {
  nginx_conf "$@"
  "$NGINX" -c "$BENCH_TMP/nginx/nginx.conf" -p "$BENCH_TMP/nginx" 2>"$BENCH_TMP/nginx/stderr" &
  NGINX_PID=$!
  BENCH_BG_PIDS+=("$NGINX_PID")
  local t0; t0=$(now_ms)
  until curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/"; do
    [ $(( $(now_ms) - t0 )) -lt 10000 ] || { cat "$BENCH_TMP/nginx/stderr" >&2; die "nginx did not start"; }
    sleep 0.1
  done
}
stop_nginx() {
  kill "$NGINX_PID" 2>/dev/null || true
  wait "$NGINX_PID" 2>/dev/null || true
}
nginx_worker() { pgrep -P "$NGINX_PID" | head -n 1; }

# CPU ticks (utime+stime) of process $1, all threads.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

url() { # server, tls?
  case "$1" in
    direct) echo "http://127.0.0.1:$DIRECT_PORT/" ;;
    nginx) [ "$2" = 1 ] && echo "https://127.0.0.1:$NGINX_TLS_PORT/" || echo "http://127.0.0.1:$NGINX_PORT/" ;;
    pier) [ "$2" = 1 ] && echo "https://127.0.0.1:$PIER_ROUTER_TLS_PORT/" || echo "http://127.0.0.1:$ROUTER_PORT/" ;;
  esac
}
pid_of() { case "$1" in pier) echo "$PIER_SERVER_PID" ;; nginx) nginx_worker ;; *) echo "" ;; esac; }

# Runs wrk against server $1 (tls $2) for $3 s; prints "req/s p99_ms cpu_us_per_request".
run_wrk() {
  local server=$1 tls=$2 secs=$3 pid t0 t1 out
  pid=$(pid_of "$server")
  [ -n "$pid" ] && t0=$(ticks "$pid")
  # TLS runs connect to 127.0.0.1, which is also wrk's SNI name: Pier answers with its default
  # certificate (EC P-256 from its CA), nginx with the app's (EC P-256): the same handshake work.
  local target; target=$(url "$server" "$tls")
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"${secs}s" --latency -H "Host: $HOST" "$target" 2>&1) ||
    { echo "$out" >&2; die "wrk failed"; }
  [ -n "$pid" ] && t1=$(ticks "$pid")
  echo "$out" | awk -v dt="$(( ${t1:-0} - ${t0:-0} ))" -v tick="$TICK" -v pid="$pid" '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000
      return v }
    / requests in / { n = $1 }
    /^ *99%/ { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { err += $NF }
    END {
      if (err > 0) printf "warning: %d non-2xx responses\n", err > "/dev/stderr"
      cpu = (pid == "" || n == 0) ? "-" : sprintf("%.1f", dt * 1e6 / tick / n)
      printf "%.0f %.2f %s\n", rps, p99, cpu }'
}
median() { printf '%s\n' "$@" | grep -v '^-$' | sort -g | awk '{ a[NR] = $1 } END {
  if (NR == 0) { print "-"; exit } print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

RESULTS=()
phase() { # name instances tls
  local name=$1 n=$2 tls=$3 servers round s
  servers="nginx pier"; [ "$tls" = 0 ] && servers="direct nginx pier"
  declare -A RPS=() P99=() CPU=()
  local ratios="" p99ratios=""
  for round in $(seq 1 "$ROUNDS"); do
    local order=$servers
    [ $((round % 2)) -eq 0 ] && order=$(echo "$servers" | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }')
    declare -A THIS=() THIS99=()
    for s in $order; do
      local rps p99 cpu
      read -r rps p99 cpu <<<"$(run_wrk "$s" "$tls" "$DURATION")"
      RPS[$s]+="$rps "; P99[$s]+="$p99 "; CPU[$s]+="$cpu "
      THIS[$s]=$rps; THIS99[$s]=$p99
      printf '  %-7s round %d %-6s %8s req/s  p99 %7s ms  %6s CPU-us/req\n' "$name" "$round" "$s" "$rps" "$p99" "$cpu" >&2
    done
    ratios+="$(awk -v a="${THIS[pier]}" -v b="${THIS[nginx]}" 'BEGIN { printf "%.3f", a / b }') "
    p99ratios+="$(awk -v a="${THIS99[pier]}" -v b="${THIS99[nginx]}" 'BEGIN { printf "%.3f", (b > 0) ? a / b : 0 }') "
  done
  RESULTS+=("$(printf '%-7s %9s %8s %9s %8s %8s %9s %8s %8s %10s %10s' "$name" \
    "$(median ${RPS[direct]:--})" "$(median ${P99[direct]:--})" \
    "$(median ${RPS[nginx]})" "$(median ${P99[nginx]})" "$(median ${CPU[nginx]})" \
    "$(median ${RPS[pier]})" "$(median ${P99[pier]})" "$(median ${CPU[pier]})" \
    "$(median $ratios)" "$(median $p99ratios)")")
}

warm() { # instances
  log "warming up: direct 3 s, nginx 5 s (plain and TLS), Pier ${WARMUP} s (plain and TLS)"
  run_wrk direct 0 3 >/dev/null
  run_wrk nginx 0 3 >/dev/null; run_wrk nginx 1 2 >/dev/null
  run_wrk pier 0 $((WARMUP * 2 / 3)) >/dev/null; run_wrk pier 1 $((WARMUP / 3 + 1)) >/dev/null
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
INSTANCES=1
read -r DIRECT_PORT <<<"$(ports_up 1)"
[ "$(curl -s "http://127.0.0.1:$DIRECT_PORT/")" = ok ] || die "web.1 does not answer"
start_nginx $(ports_up 1)
[ "$(curl -s -H "Host: $HOST" "http://127.0.0.1:$ROUTER_PORT/")" = ok ] || die "Pier's router does not serve $APP"
[ "$(curl -s -H "Host: $HOST" "http://127.0.0.1:$NGINX_PORT/")" = ok ] || die "nginx does not serve $APP"
[ "$(curl -sk --resolve "$HOST:$PIER_ROUTER_TLS_PORT:127.0.0.1" "https://$HOST:$PIER_ROUTER_TLS_PORT/")" = ok ] ||
  die "Pier's TLS port does not serve $APP"
[ "$(curl -sk --resolve "$HOST:$NGINX_TLS_PORT:127.0.0.1" "https://$HOST:$NGINX_TLS_PORT/")" = ok ] ||
  die "nginx's TLS port does not serve $APP"
warm
for p in $PHASES; do
  n=${p: -1}
  if [ "$n" != "$INSTANCES" ]; then
    log "scaling to web=$n"
    "$PIER" ps:scale web="$n" -a "$APP" >/dev/null
    wait_instances_up "$APP" "$n"
    stop_nginx
    start_nginx $(ports_up "$n")
    INSTANCES=$n
    run_wrk pier 0 10 >/dev/null; run_wrk nginx 0 3 >/dev/null
  fi
  log "phase $p: $ROUNDS paired rounds of ${DURATION}s"
  case "$p" in plain*) phase "$p" "$n" 0 ;; tls*) phase "$p" "$n" 1 ;; esac
done

echo
machine_line
echo "Load average before the run: $LOAD_BEFORE (other processes on the machine skew the figures)"
echo "wrk -t$THREADS -c$CONNS --latency, ${ROUNDS} paired rounds of ${DURATION}s per phase, medians; app answers \"ok\" (node http)."
echo "nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///'): 1 worker, keep-alive upstream (64), no access log. Pier: default settings"
echo "(router access lines stored and searchable, request metrics on, balancer ${PIER_ROUTER_BALANCER:-least-in-flight})."
echo "CPU-us/req: utime+stime per request of Pier's whole JVM vs the nginx worker over the measured window."
echo "direct is web.1 alone (plain HTTP); p99 ratio = Pier p99 / nginx p99 (<= 1 meets the aim)."
echo
printf '%-7s %9s %8s %9s %8s %8s %9s %8s %8s %10s %10s\n' phase "direct/s" "dir p99" "nginx/s" "ngx p99" "ngx CPU" \
  "Pier/s" "Pier p99" "Pier CPU" "rps P/n" "p99 P/n"
for r in "${RESULTS[@]}"; do echo "$r"; done
echo
echo "Aim (#12): rps Pier/nginx >= 1.2 and p99 Pier/nginx <= 1.0 in every phase."
