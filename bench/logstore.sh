#!/usr/bin/env bash
# Log store: ingestion rate (lines/s, append -> searchable) and search latency over 1,000,000
# stored lines, using the real LogStore (Lucene) on a temp dir. Prints a table.
# LINES=N changes the size (default 1000000).
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
source "$ROOT/bin/lib.sh"
pier_find_jdk
cd "$ROOT"
JAVA_HOME="$PIER_JAVA_HOME" mvn -q -B -pl pier-logstore -am install -DskipTests >&2
JAVA_HOME="$PIER_JAVA_HOME" mvn -q -B -pl pier-logstore test-compile dependency:build-classpath \
  -Dmdep.outputFile="$ROOT/pier-logstore/target/bench.cp" -Dmdep.includeScope=test >&2
exec "$PIER_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "pier-logstore/target/classes:pier-logstore/target/test-classes:$(cat pier-logstore/target/bench.cp)" \
  dev.pier.logstore.LogStoreBench "${LINES:-1000000}"
