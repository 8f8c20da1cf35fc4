package dev.conveyor.internal.consume;

import java.time.Duration;

/**
 * How long a record waits before it is tried again in place after a try that threw or whose outputs
 * could not be written (the registry or the broker unreachable): 200 ms, doubling, at most 30 s. This
 * is not an app's retry, which is an outcome routed to a delay tier; a record tried in place holds its
 * offset, so it is never skipped. Pure.
 */
final class RedoBackoff {

    static final Duration FIRST = Duration.ofMillis(200);
    static final Duration MAX = Duration.ofSeconds(30);

    private RedoBackoff() {
    }

    static Duration after(Duration previous) {
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(MAX) > 0 ? MAX : doubled;
    }
}
