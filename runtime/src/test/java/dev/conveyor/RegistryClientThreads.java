package dev.conveyor;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Apicurio's registry client runs on a Vert.x instance of its own, whose event-loop threads live until
 * it is closed. Compared by identity: a count also moves when an unrelated, earlier client's threads end.
 */
final class RegistryClientThreads {

    private RegistryClientThreads() {
    }

    static Set<Thread> alive() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("vert.x-eventloop-thread-"))
                .collect(Collectors.toSet());
    }

    /** The registry-client threads alive now that were not in {@code before}. */
    static Set<Thread> startedSince(Set<Thread> before) {
        Set<Thread> now = new java.util.HashSet<>(alive());
        now.removeAll(before);
        return now;
    }
}
