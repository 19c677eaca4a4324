# Shared by bin/pier, bin/pier-up and bin/pier-test: find a JDK >= 21 and build Pier when needed.
# shellcheck shell=bash

PIER_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
PIER_LIB="${PIER_LIB:-$PIER_ROOT/pier-dist/target/lib}"

pier_java_version() { # prints the major version of the java binary $1
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1
}

pier_find_jdk() { # sets PIER_JAVA_HOME to a JDK >= 21 or fails with a message
  local candidates=() c v
  [ -n "${PIER_JAVA_HOME:-}" ] && candidates+=("$PIER_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64)
  for c in /usr/lib/jvm/*; do candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(pier_java_version "$c/bin/java")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then
      PIER_JAVA_HOME="$c"
      export PIER_JAVA_HOME
      return 0
    fi
  done
  echo " !     Pier needs a JDK 21 or newer (with javac). None found in \$JAVA_HOME or /usr/lib/jvm." >&2
  echo "       Install one (e.g. apt-get install -y openjdk-21-jdk-headless, or Temurin 25) or set PIER_JAVA_HOME." >&2
  return 1
}

pier_apt_install() { # installs missing Debian packages given as "command:package" pairs
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd="${pair%%:*}"; pkg="${pair##*:}"
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "-----> Installing ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 || {
        echo " !     apt-get install ${missing[*]} failed" >&2; return 1; }
  else
    echo " !     Missing: ${missing[*]}. Install them (as root: apt-get install -y ${missing[*]})." >&2
    return 1
  fi
}

pier_needs_build() { # true when the classpath is missing or older than any source file
  [ -d "$PIER_LIB" ] || return 0
  [ -n "$(find "$PIER_ROOT" -path "$PIER_ROOT/pier-*/src/main/*" -newer "$PIER_LIB" -type f -print -quit 2>/dev/null)" ] && return 0
  [ -n "$(find "$PIER_ROOT" -maxdepth 2 -name pom.xml -newer "$PIER_LIB" -print -quit 2>/dev/null)" ] && return 0
  return 1
}

pier_build() {
  echo "-----> Building Pier (first run or sources changed)..." >&2
  (cd "$PIER_ROOT" && JAVA_HOME="$PIER_JAVA_HOME" mvn -q -B -DskipTests package -pl pier-dist -am >&2) || {
    echo " !     Build failed: run 'JAVA_HOME=$PIER_JAVA_HOME mvn -DskipTests package' in $PIER_ROOT to see why." >&2
    return 1; }
  touch "$PIER_LIB"
}

# Add-on data stores (#11): PostgreSQL 15, Redis, memcached (with SASL's saslpasswd2) and
# RabbitMQ from Debian. Pier runs one server per add-on itself (its own port, uid and cgroup), so
# the system-wide services these packages start on their default ports are stopped and disabled.
pier_datastores_install() {
  pier_apt_install /usr/lib/postgresql/15/bin/postgres:postgresql-15 /usr/bin/pg_dump:postgresql-client-15 \
    redis-server:redis-server memcached:memcached saslpasswd2:sasl2-bin \
    /usr/lib/rabbitmq/bin/rabbitmq-server:rabbitmq-server || return 1
  local svc
  for svc in postgresql redis-server memcached rabbitmq-server; do
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      systemctl is-enabled --quiet "$svc" 2>/dev/null && systemctl disable --now --quiet "$svc" >/dev/null 2>&1 || true
    elif [ -x "/etc/init.d/$svc" ] && [ "$(id -u)" -eq 0 ]; then
      "/etc/init.d/$svc" status >/dev/null 2>&1 && "/etc/init.d/$svc" stop >/dev/null 2>&1 || true
    fi
  done
  return 0
}
