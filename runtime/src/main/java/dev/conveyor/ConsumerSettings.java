package dev.conveyor;

import java.time.Duration;

/**
 * How an app's {@link TaskConsumer} runs.
 *
 * @param ordering                {@code ORDERING}: key (default), partition or unordered
 * @param maxInFlight             {@code MAX_IN_FLIGHT}: records being processed at once by this instance
 * @param maxInFlightPerPartition {@code MAX_IN_FLIGHT_PER_PARTITION}: records of one partition in flight before it is paused
 * @param commitInterval          {@code COMMIT_INTERVAL}: how often completed offsets are committed
 * @param drainTimeout            {@code DRAIN_TIMEOUT}: how long shutdown waits for in-flight records
 */
public record ConsumerSettings(OrderingMode ordering, int maxInFlight, int maxInFlightPerPartition,
                               Duration commitInterval, Duration drainTimeout) {

    public static final String ORDERING = "ORDERING";
    public static final String MAX_IN_FLIGHT = "MAX_IN_FLIGHT";
    public static final String MAX_IN_FLIGHT_PER_PARTITION = "MAX_IN_FLIGHT_PER_PARTITION";
    public static final String COMMIT_INTERVAL = "COMMIT_INTERVAL";
    public static final String DRAIN_TIMEOUT = "DRAIN_TIMEOUT";
    public static final OrderingMode DEFAULT_ORDERING = OrderingMode.KEY;
    /** Sized for I/O-bound handlers on virtual threads. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_PARTITION = 128;
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    public ConsumerSettings {
        if (ordering == null) {
            throw new ConfigException(ORDERING, "must be set");
        }
        if (maxInFlight < 1) {
            throw new ConfigException(MAX_IN_FLIGHT, "must be at least 1, was " + maxInFlight);
        }
        if (maxInFlightPerPartition < 1) {
            throw new ConfigException(MAX_IN_FLIGHT_PER_PARTITION, "must be at least 1, was " + maxInFlightPerPartition);
        }
        if (commitInterval == null || commitInterval.isNegative() || commitInterval.isZero()) {
            throw new ConfigException(COMMIT_INTERVAL, "must be positive");
        }
        if (drainTimeout == null || drainTimeout.isNegative()) {
            throw new ConfigException(DRAIN_TIMEOUT, "must not be negative");
        }
    }

    public static ConsumerSettings defaults() {
        return new ConsumerSettings(DEFAULT_ORDERING, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_IN_FLIGHT_PER_PARTITION,
                DEFAULT_COMMIT_INTERVAL, DEFAULT_DRAIN_TIMEOUT);
    }

    public static ConsumerSettings load(Env env) {
        return new ConsumerSettings(
                env.find(ORDERING).map(v -> OrderingMode.parse(ORDERING, v)).orElse(DEFAULT_ORDERING),
                env.integer(MAX_IN_FLIGHT, DEFAULT_MAX_IN_FLIGHT),
                env.integer(MAX_IN_FLIGHT_PER_PARTITION, DEFAULT_MAX_IN_FLIGHT_PER_PARTITION),
                env.duration(COMMIT_INTERVAL, DEFAULT_COMMIT_INTERVAL),
                env.duration(DRAIN_TIMEOUT, DEFAULT_DRAIN_TIMEOUT));
    }
}
