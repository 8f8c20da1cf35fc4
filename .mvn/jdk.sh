# Sourced by ./mvnw and ./run-local.sh: selects a JDK 21+ into JAVA_HOME (the default java may be older).
java_major() { "$1" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print v[1]; exit}'; }

pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then return; fi
  if command -v java >/dev/null && [ "$(java_major "$(command -v java)")" -ge 21 ]; then
    JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"; export JAVA_HOME; return
  fi
  for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    if [ -x "$candidate/bin/javac" ] && [ "$(java_major "$candidate/bin/java")" -ge 21 ]; then
      JAVA_HOME="$candidate"; export JAVA_HOME; return
    fi
  done
  echo "Conveyor needs a JDK 21 or newer; set JAVA_HOME to one." >&2
  exit 1
}

# JVM options that keep the apps' logs free of the JDK's warnings about what their libraries do (Netty's
# sun.misc.Unsafe memory access, lz4's native library), each only where the JDK knows it (an unknown
# option stops the JVM): native access since 22, the Unsafe switch since 23.
quiet_jvm_options() {
  local major; major="$(java_major "$JAVA_HOME/bin/java")"
  local options=""
  if [ "$major" -ge 22 ]; then options="--enable-native-access=ALL-UNNAMED"; fi
  if [ "$major" -ge 23 ]; then options="$options --sun-misc-unsafe-memory-access=allow"; fi
  echo "$options"
}
