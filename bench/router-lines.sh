#!/usr/bin/env bash
# What one router access line costs the log store, before (a full-text Lucene document) and now
# (a record in the router line segments): CPU-us and bytes per line, and a request-id lookup.
# LINES=N changes the count (default 300000).
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
source "$ROOT/bin/lib.sh"
pier_find_jdk
cd "$ROOT"
JAVA_HOME="$PIER_JAVA_HOME" mvn -q -B -pl pier-logstore -am install -DskipTests >&2
JAVA_HOME="$PIER_JAVA_HOME" mvn -q -B -pl pier-logstore test-compile dependency:build-classpath \
  -Dmdep.outputFile="$ROOT/pier-logstore/target/bench.cp" -Dmdep.includeScope=test >&2
echo "Machine: $(nproc) cores, load avg $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$PIER_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseZGC -Xmx512m \
  -cp "pier-logstore/target/classes:pier-logstore/target/test-classes:$(cat pier-logstore/target/bench.cp)" \
  dev.pier.logstore.RouterLinesBench "${LINES:-300000}"
