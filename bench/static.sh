#!/usr/bin/env bash
# Static files: Pier's router serving a static release vs nginx serving the same files.
#
# Starts Pier, pushes a static site (no app instance: the router serves the files) with a 1 KB
# index.html and a 100 KB app.js (precompressed at build time to app.js.gz), then starts nginx
# (1 worker, sendfile on, gzip_static on, access log on like Pier's) on a copy of the release's
# unpacked files (same bytes, same mtimes). After a warm-up (Pier's JIT), wrk drives both in short
# back-to-back pairs of rounds per file (Pier then nginx, nginx then Pier, ...), so load from
# other processes falls on both rounds of a pair alike; the ratio Pier/nginx is the median over
# the pairs, with its quartiles as the noise. Loopback only; bounded in time (~3 min).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
need_wrk
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  log "installing nginx with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >&2 ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >&2 || die "could not install nginx"
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
ROUNDS=${BENCH_ROUNDS:-6}
DURATION=${BENCH_DURATION:-3}
CONNS=${BENCH_CONNECTIONS:-32}
WARMUP=${BENCH_WARMUP:-40}
APP=bench-static
HOST="$APP.localhost"

start_pier
SRC="$BENCH_TMP/site"
mkdir -p "$SRC"
# index.html: exactly 1024 bytes; app.js: 100 KB of varied but compressible JavaScript.
awk 'BEGIN { s = "<!doctype html><html><head><meta charset=\"utf-8\"><title>bench</title></head><body><script src=\"/app.js\"></script>"
  while (length(s) < 1024 - 15) s = s "x"; printf "%s</body></html>\n", s }' >"$SRC/index.html"
awk 'BEGIN { n = 0; for (i = 0; n < 102400; i++) {
  line = sprintf("var v%d = compute(%d, \"%x\");\n", i, i * 7919 % 10007, i * 2654435761 % 4294967296)
  if (n + length(line) > 102400) line = substr(line, 1, 102400 - n); printf "%s", line; n += length(line) } }' >"$SRC/app.js"
(cd "$SRC" && git init -q -b main && git add -A && git commit -qm site &&
  "$PIER" apps:create "$APP" >/dev/null && git push -q pier main 2>/dev/null) || die "push failed"
SITE="$BENCH_TMP/data/sites/$APP/v1"
t0=$(now_ms)
until curl -sf -o /dev/null -H "Host: $HOST" "http://127.0.0.1:$ROUTER_PORT/"; do
  [ $(( $(now_ms) - t0 )) -lt 30000 ] || die "the static site did not answer within 30 s"
  sleep 0.2
done
[ -f "$SITE/app.js.gz" ] || die "no precompressed app.js.gz in $SITE"

NGINX_ROOT="$BENCH_TMP/nginx-root"
cp -a "$SITE" "$NGINX_ROOT"
chmod -R a+rX "$NGINX_ROOT"
NGINX_PORT=$(free_port $((ROUTER_PORT + 100)))
mkdir -p "$BENCH_TMP/nginx"
cat >"$BENCH_TMP/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
user root root;
pid $BENCH_TMP/nginx/nginx.pid;
error_log $BENCH_TMP/nginx/error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log $BENCH_TMP/nginx/access.log;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  gzip_static on;
  client_body_temp_path $BENCH_TMP/nginx/body;
  proxy_temp_path $BENCH_TMP/nginx/proxy;
  fastcgi_temp_path $BENCH_TMP/nginx/fastcgi;
  uwsgi_temp_path $BENCH_TMP/nginx/uwsgi;
  scgi_temp_path $BENCH_TMP/nginx/scgi;
  server { listen 127.0.0.1:$NGINX_PORT; root $NGINX_ROOT; }
}
CONF
"$NGINX" -c "$BENCH_TMP/nginx/nginx.conf" -p "$BENCH_TMP/nginx" 2>"$BENCH_TMP/nginx/stderr" &
BENCH_BG_PIDS+=($!)
t0=$(now_ms)
until curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/"; do
  [ $(( $(now_ms) - t0 )) -lt 10000 ] || { cat "$BENCH_TMP/nginx/stderr" >&2; die "nginx did not start"; }
  sleep 0.1
done

url() { [ "$1" = pier ] && echo "http://127.0.0.1:$ROUTER_PORT$2" || echo "http://127.0.0.1:$NGINX_PORT$2"; }
for server in pier nginx; do
  enc=$(curl -s -o /dev/null -D - -H "Host: $HOST" -H 'Accept-Encoding: gzip' "$(url $server /app.js)" |
    tr -d '\r' | awk -F': ' 'tolower($1) == "content-encoding" { print $2 }')
  [ "$enc" = gzip ] || die "$server does not send app.js gzipped"
  size=$(curl -s -H "Host: $HOST" "$(url $server /index.html)" | wc -c)
  [ "$size" -eq 1024 ] || die "$server sends index.html as $size bytes"
done

run_wrk() { # $1 server, $2 path, $3 seconds: prints "req/s p50 p99" (latencies in ms)
  wrk -t2 -c"$CONNS" -d"$3s" --latency -H "Host: $HOST" -H 'Accept-Encoding: gzip' "$(url "$1" "$2")" |
    awk 'function ms(x) { if (x ~ /us$/) return x / 1000; if (x ~ /ms$/) return x + 0; return x * 1000 }
      /Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
      END { printf "%s %.3f %.3f\n", rps, p50, p99 }'
}
quartile() {
  local q=$1; shift
  printf '%s\n' "$@" | sort -g | awk -v q="$q" '{ a[NR] = $1 } END { p = 1 + (NR - 1) * q; i = int(p)
    print (i < NR) ? a[i] + (p - i) * (a[i + 1] - a[i]) : a[i] }'
}

log "warming up Pier for ${WARMUP}s (JIT), nginx for 5s"
run_wrk pier /index.html $((WARMUP / 2)) >/dev/null
run_wrk pier /app.js $((WARMUP / 2)) >/dev/null
run_wrk nginx /index.html 3 >/dev/null
run_wrk nginx /app.js 2 >/dev/null

declare -A RPS P50 P99 RATIOS
printf '%-6s %-12s %-6s %10s %9s %9s\n' round file server req/s p50 p99 >&2
for round in $(seq 1 "$ROUNDS"); do
  for path in /index.html /app.js; do
    order="pier nginx"; [ $((round % 2)) -eq 0 ] && order="nginx pier"
    declare -A THIS=()
    for server in $order; do
      read -r rps p50 p99 <<<"$(run_wrk "$server" "$path" "$DURATION")"
      RPS[$path$server]+="$rps "; P50[$path$server]+="$p50 "; P99[$path$server]+="$p99 "
      THIS[$server]=$rps
      printf '%-6s %-12s %-6s %10s %9s %9s\n' "$round" "$path" "$server" "$rps" "$p50" "$p99" >&2
    done
    RATIOS[$path]+="$(awk -v a="${THIS[pier]}" -v b="${THIS[nginx]}" 'BEGIN { print a / b }') "
  done
done

echo
machine_line
echo "wrk -t2 -c$CONNS, $ROUNDS alternating paired rounds of ${DURATION}s per file; Accept-Encoding: gzip;"
echo "nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') 1 worker, sendfile, gzip_static; Pier: router serving a static release (no instance)"
printf '%-12s %11s %11s %9s %9s %9s %9s   %s\n' file "Pier req/s" "nginx req/s" "Pier p50" "ngx p50" "Pier p99" "ngx p99" "Pier/nginx req/s (quartiles)"
for path in /index.html /app.js; do
  # shellcheck disable=SC2086
  printf '%-12s %11.0f %11.0f %9.2f %9.2f %9.2f %9.2f   %.2f (%.2f-%.2f)\n' "$path" \
    "$(quartile 0.5 ${RPS[${path}pier]})" "$(quartile 0.5 ${RPS[${path}nginx]})" \
    "$(quartile 0.5 ${P50[${path}pier]})" "$(quartile 0.5 ${P50[${path}nginx]})" \
    "$(quartile 0.5 ${P99[${path}pier]})" "$(quartile 0.5 ${P99[${path}nginx]})" \
    "$(quartile 0.5 ${RATIOS[$path]})" "$(quartile 0.25 ${RATIOS[$path]})" "$(quartile 0.75 ${RATIOS[$path]})"
done
echo "(index.html: 1024 bytes; app.js: 100 KB sent as its build-time app.js.gz; medians over the rounds;"
echo " latencies in ms)"
