package dev.conveyor.producer.status;

import java.time.Duration;

/**
 * How the view forgets: statuses not updated within {@code retention} are deleted, looking at no more
 * than {@code batch} statuses per partition every {@code sweepEvery} of wall-clock time.
 */
public record RetentionPolicy(Duration retention, Duration sweepEvery, int batch) {

    public static final Duration DEFAULT_SWEEP_EVERY = Duration.ofSeconds(10);
    public static final int DEFAULT_BATCH = 1_000;

    public RetentionPolicy {
        if (retention.isNegative() || retention.isZero() || sweepEvery.isNegative() || sweepEvery.isZero() || batch < 1) {
            throw new IllegalArgumentException("retention and sweep interval must be positive and the batch at least 1");
        }
    }

    public static RetentionPolicy of(Duration retention) {
        return new RetentionPolicy(retention, DEFAULT_SWEEP_EVERY, DEFAULT_BATCH);
    }
}
