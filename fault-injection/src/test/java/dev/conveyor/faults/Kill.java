package dev.conveyor.faults;

import java.util.Set;

/** One SIGKILL of an app restarted at once under its name: when, how long until it was healthy, and what it owned. */
record Kill(String victim, long killedAtMs, long healthyAfterMs, Set<Integer> partitions) {
}
