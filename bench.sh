#!/usr/bin/env bash
# Conveyor's benchmarks (see BENCHMARKS.md). Needs only a JDK 21+; starts its own broker and registry.
#   ./bench.sh [--quick] [--tasks N] [--only a,b] [--out DIR]   end to end against the raw Kafka ceiling
#   ./bench.sh jmh [JMH options]                                 JMH microbenchmarks of the hot path
#   ./bench.sh status [--rate N] [--seconds S] [--waits N]       the status view: lookups with wrk, long-poll wake-ups
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
. .mvn/jdk.sh
pick_jdk
echo "building Conveyor ..."
./mvnw -q -B install -DskipTests > target-bench-build.log 2>&1 || { tail -50 target-bench-build.log; exit 1; }
rm -f target-bench-build.log
CP="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
if [ "${1:-}" = jmh ]; then
  shift
  exec "$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main "$@"
fi
if [ "${1:-}" = status ]; then
  shift
  command -v wrk > /dev/null || { echo "the status benchmark drives wrk: apt-get install wrk"; exit 1; }
  exec "$JAVA_HOME/bin/java" -XX:+UseZGC -Xms2g -Xmx2g -cp "$CP" dev.conveyor.bench.StatusBench "$@"
fi
# a fixed heap written in full at start: a heap that grows pays first-touch page faults while it is measured
exec "$JAVA_HOME/bin/java" -XX:+UseZGC -Xms4g -Xmx4g -XX:+AlwaysPreTouch -cp "$CP" dev.conveyor.bench.Benchmark "$@"
