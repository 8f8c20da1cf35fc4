package dev.conveyor.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Each key's rate of tasks, as a token bucket per key id: a key earns its rate of tasks per second and
 * saves up at most one second's worth (at least one task). A request is admitted when the bucket holds
 * its tasks (or, for a batch larger than one second's worth, when the bucket is full); it then takes
 * them all, so a large batch leaves the bucket in debt, paid off by the wait that follows. Over time no key submits
 * faster than its rate. The buckets are this instance's: N gateway instances admit up to N times a
 * key's rate.
 */
public final class RateLimiter {

    private static final double NANOS_PER_SECOND = 1e9;

    private final Clock clock;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(Clock clock) {
        this.clock = clock;
    }

    /**
     * Takes {@code tasks} from the key's bucket; empty when admitted, else how long until the same
     * request would be. A key without a rate is always admitted.
     */
    public Optional<Duration> tryAcquire(ApiKey key, int tasks) {
        if (!key.limited()) {
            return Optional.empty();
        }
        // a reloaded key with another rate starts a new bucket
        Bucket bucket = buckets.compute(key.id(), (id, current) -> current != null && current.rate == key.tasksPerSecond()
                ? current : new Bucket(key.tasksPerSecond(), clock.instant()));
        return bucket.take(tasks, clock.instant());
    }

    /**
     * A token bucket kept as the time its debt is paid off (the generic cell rate algorithm), in whole
     * nanoseconds, so that tasks admitted at exactly the rate are never refused by a rounding error.
     */
    private static final class Bucket {

        final double rate;
        /** The time one task earns. */
        private final long interval;
        /** How far ahead of now the debt may run before a request is refused: one second's worth, at least one task's. */
        private final long burst;
        private Instant paidOffAt;

        Bucket(double rate, Instant now) {
            this.rate = rate;
            this.interval = Math.round(NANOS_PER_SECOND / rate);
            this.burst = Math.max(interval, (long) NANOS_PER_SECOND);
            this.paidOffAt = now;
        }

        synchronized Optional<Duration> take(int tasks, Instant now) {
            long debt = Math.max(0, Duration.between(now, paidOffAt).toNanos());
            long cost = tasks * interval;
            long over = debt + Math.min(cost, burst) - burst;
            if (over > 0) {
                return Optional.of(Duration.ofNanos(over));
            }
            paidOffAt = now.plusNanos(debt + cost);
            return Optional.empty();
        }
    }
}
