#!/usr/bin/env bash
# What a disk quota adds to an instance start/stop: times making and giving back a loop disk
# (sparse ext4 image: mkfs.ext4 + mount; umount + delete). Root only. Usage:
#   bench/disk-start.sh [ROUNDS=30] [MB=1024] [DIR=/tmp (put it on the data disk's filesystem)]
set -euo pipefail
cd "$(dirname "$0")/.."
java_home="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -d pier-sandbox/target/classes ] || mvn -B -ntp -q -pl pier-sandbox -am compile
slf4j=$(ls ~/.m2/repository/org/slf4j/slf4j-api/2.0.20/slf4j-api-2.0.20.jar)
exec "$java_home/bin/java" -cp "pier-sandbox/target/classes:$slf4j" bench/DiskStart.java "$@"
