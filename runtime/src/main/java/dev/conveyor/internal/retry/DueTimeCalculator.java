package dev.conveyor.internal.retry;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * When a retried attempt may run: the time it entered its tier plus the tier delay plus random
 * jitter (never less than the delay, so never early). Pure; the randomness is injected.
 */
public final class DueTimeCalculator {

    private final double jitter;
    private final DoubleSupplier random;

    /** @param random uniform values in [0, 1) */
    public DueTimeCalculator(double jitter, DoubleSupplier random) {
        this.jitter = jitter;
        this.random = random;
    }

    public Instant dueAt(Instant enteredTier, Duration delay) {
        long extraMs = (long) (delay.toMillis() * jitter * random.getAsDouble());
        return enteredTier.plus(delay).plusMillis(extraMs);
    }
}
