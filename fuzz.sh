#!/usr/bin/env bash
# Coverage-guided fuzzing of Conveyor's hostile-input boundaries with Jazzer (README, Hostile input).
#   ./fuzz.sh parser  [duration]   POST /tasks bodies: TaskJson and the task contract (module producer-app)
#   ./fuzz.sh tasks   [duration]   record values on tasks, as the processor decodes them (module runtime)
#   ./fuzz.sh results [duration]   record values on tasks.results, as the notifier decodes them (module runtime)
# The duration defaults to 5m (Jazzer's form: 30s, 10m, 1h). One target per run: Jazzer fuzzes one
# @FuzzTest per JVM. Inputs that fail are written as crash-<sha1> next to the committed inputs, under
# src/test/resources/.../<FuzzTestClass>Inputs/<method>/, where ./mvnw test replays them from then on;
# inputs that reached new code are kept in <module>/.cifuzz-corpus (not committed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
. .mvn/jdk.sh
pick_jdk
target="${1:-}"
duration="${2:-5m}"
case "$target" in
  parser)  module=producer-app; test='TaskJsonFuzzTest'
           instrument='dev.conveyor.**,com.fasterxml.jackson.**' ;;
  tasks)   module=runtime; test='RecordDecoderFuzzTest#everyTaskValueIsATaskOrADeadLetterWithAReason'
           instrument='dev.conveyor.**,org.apache.avro.**,io.apicurio.**' ;;
  results) module=runtime; test='RecordDecoderFuzzTest#everyResultValueIsAResultOrADeadLetterWithAReason'
           instrument='dev.conveyor.**,org.apache.avro.**,io.apicurio.**' ;;
  *) sed -n '2,5p' "$0"; exit 2 ;;
esac
echo "building Conveyor ..."
./mvnw -q -B install -DskipTests > target-fuzz-build.log 2>&1 || { tail -50 target-fuzz-build.log; exit 1; }
rm -f target-fuzz-build.log
# hooks on (./mvnw test runs without them), every finding reported rather than the first, coverage
# measured in Conveyor and in the parser it relies on (Jackson; Avro and Apicurio's deserializer)
JAZZER_FUZZ=1 exec ./mvnw -B -o test -pl "$module" -Dtest="$test" -Djazzer.hooks=true -Djazzer.keep_going=0 \
    -Djazzer.max_duration="$duration" -Djazzer.instrument="$instrument"
