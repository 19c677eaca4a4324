#!/usr/bin/env bash
# Add-on data stores (#11): for each kind (postgres, redis, memcached, rabbitmq) the time to create
# an add-on and to start its server, and the server's idle memory; for PostgreSQL also pg_dump and
# pg_restore times for a database filled to ADDONS_FILL_MB (default 100; 1024 for the 1 GB figure).
# Runs the real servers from Debian's packages as their own uids (root only). Prints a table.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
source "$ROOT/bin/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "bench/addons.sh runs add-on servers as their own uids: run it as root" >&2; exit 1; }
pier_datastores_install
pier_find_jdk
cd "$ROOT"
JAVA_HOME="$PIER_JAVA_HOME" mvn -q -B -pl pier-datastores -am install -DskipTests >&2
JAVA_HOME="$PIER_JAVA_HOME" mvn -q -B -pl pier-datastores test-compile dependency:build-classpath \
  -Dmdep.outputFile="$ROOT/pier-datastores/target/bench.cp" -Dmdep.includeScope=test >&2
exec "$PIER_JAVA_HOME/bin/java" \
  -cp "pier-datastores/target/classes:pier-datastores/target/test-classes:$(cat pier-datastores/target/bench.cp)" \
  dev.pier.datastores.AddonsBench "${ADDONS_FILL_MB:-100}"
