#!/usr/bin/env bash
# Runs the whole Conveyor pipeline locally: a real Kafka broker and Apicurio Registry (fetched as Maven
# artifacts), an SMTP server, the three apps and a demo workload with live progress, until Ctrl-C.
# The gateway authenticates: the run makes an API key for itself and prints it with an example curl.
#   ./run-local.sh [--tasks N] [--exit-after-summary]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
. .mvn/jdk.sh
pick_jdk
echo "building Conveyor (first run fetches dependencies; later runs take seconds) ..."
./mvnw -q -B install -DskipTests -Denforcer.skip=false > target-build.log 2>&1 || { tail -50 target-build.log; exit 1; }
rm -f target-build.log
# shellcheck disable=SC2046
exec "$JAVA_HOME/bin/java" -XX:+UseZGC -Xmx2g $(quiet_jvm_options) \
  -cp "launcher/target/classes:$(cat launcher/target/runtime-classpath.txt)" \
  dev.conveyor.launcher.LocalPipeline "$@"
