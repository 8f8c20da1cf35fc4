package dev.conveyor;

import dev.conveyor.kafka.TaskHeaders;
import java.time.Duration;

/**
 * How an app's {@link TaskConsumer} runs.
 *
 * @param ordering                {@code ORDERING}: key (default), partition or unordered
 * @param orderingByType          {@code ORDERING_BY_TYPE}: modes for some task types, e.g. {@code report.render=partition,ping=unordered};
 *                                read from each record's {@link TaskHeaders#TYPE} header, other types use {@code ordering}
 * @param maxConcurrency          {@code MAX_CONCURRENCY}: handlers running at once in this instance, each on a virtual thread
 * @param maxInFlight             {@code MAX_IN_FLIGHT}: records taken from Kafka and not yet finished (waiting for their
 *                                key or a handler, running, or waiting for Kafka to acknowledge their outputs) before
 *                                every partition is paused; bounds memory, however large the backlog
 * @param maxInFlightPerPartition {@code MAX_IN_FLIGHT_PER_PARTITION}: records of one partition in flight before it is paused
 * @param commitInterval          {@code COMMIT_INTERVAL}: how often completed offsets are committed
 * @param drainTimeout            {@code DRAIN_TIMEOUT}: how long shutdown waits for in-flight records
 * @param guarantee               {@code DELIVERY_GUARANTEE}: at-least-once (default) or exactly-once
 * @param instanceId              {@code INSTANCE_ID}: this instance's stable name (e.g. the pod name); under
 *                                exactly-once a restarted instance with the same name aborts its
 *                                predecessor's open transaction at once instead of after its timeout
 */
public record ConsumerSettings(OrderingMode ordering, java.util.Map<String, OrderingMode> orderingByType, int maxConcurrency, int maxInFlight, int maxInFlightPerPartition,
                               Duration commitInterval, Duration drainTimeout, DeliveryGuarantee guarantee,
                               String instanceId) {

    public static final String ORDERING = "ORDERING";
    public static final String ORDERING_BY_TYPE = "ORDERING_BY_TYPE";
    public static final String MAX_CONCURRENCY = "MAX_CONCURRENCY";
    public static final String MAX_IN_FLIGHT = "MAX_IN_FLIGHT";
    public static final String MAX_IN_FLIGHT_PER_PARTITION = "MAX_IN_FLIGHT_PER_PARTITION";
    public static final String COMMIT_INTERVAL = "COMMIT_INTERVAL";
    public static final String DRAIN_TIMEOUT = "DRAIN_TIMEOUT";
    public static final String DELIVERY_GUARANTEE = "DELIVERY_GUARANTEE";
    public static final String INSTANCE_ID = "INSTANCE_ID";
    public static final OrderingMode DEFAULT_ORDERING = OrderingMode.KEY;
    /** Sized for I/O-bound handlers on virtual threads. */
    public static final int DEFAULT_MAX_CONCURRENCY = 256;
    /**
     * Room for the running handlers and for the records behind them: a finished record keeps its
     * place until Kafka acknowledged its outputs (a few milliseconds, thousands of records at full
     * speed), and a record waits while an earlier one of its key runs. Neither holds a handler slot, so
     * this limit is larger than {@link #DEFAULT_MAX_CONCURRENCY}: were they one limit, records waiting on
     * Kafka would idle the handlers.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT = 2048;
    /**
     * An eighth of {@link #DEFAULT_MAX_IN_FLIGHT}: a partition with a backlog (an instance catching up after
     * a restart) cannot fill the instance alone, so every partition it owns keeps moving; at half, two
     * partitions' buffered records took every resume and a third went unread for seconds.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_PARTITION = 256;
    /**
     * What a crash redoes is what finished since the last commit (plus what was running): a tenth of a
     * second of work, for ten small asynchronous commits a second per instance.
     */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);
    /** Under exactly-once, outputs become visible only when their transaction commits: commit often. */
    public static final Duration DEFAULT_TRANSACTION_INTERVAL = Duration.ofMillis(100);
    public static final DeliveryGuarantee DEFAULT_GUARANTEE = DeliveryGuarantee.AT_LEAST_ONCE;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    public ConsumerSettings {
        if (ordering == null) {
            throw new ConfigException(ORDERING, "must be set");
        }
        if (orderingByType == null) {
            throw new ConfigException(ORDERING_BY_TYPE, "must be set (empty for none)");
        }
        orderingByType = java.util.Map.copyOf(orderingByType);
        if (maxConcurrency < 1) {
            throw new ConfigException(MAX_CONCURRENCY, "must be at least 1, was " + maxConcurrency);
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
        if (guarantee == null) {
            throw new ConfigException(DELIVERY_GUARANTEE, "must be set");
        }
        if (instanceId == null || !instanceId.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new ConfigException(INSTANCE_ID, "must be 1 to 100 letters, digits, '.', '_' or '-', was '" + instanceId + "'");
        }
    }

    public static ConsumerSettings defaults() {
        return new ConsumerSettings(DEFAULT_ORDERING, java.util.Map.of(), DEFAULT_MAX_CONCURRENCY, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_IN_FLIGHT_PER_PARTITION,
                DEFAULT_COMMIT_INTERVAL, DEFAULT_DRAIN_TIMEOUT, DEFAULT_GUARANTEE, randomInstanceId());
    }

    /** A fresh name per process: fine for at-least-once and for tests; give exactly-once instances stable names. */
    public static String randomInstanceId() {
        return java.util.UUID.randomUUID().toString();
    }

    public static ConsumerSettings load(Env env) {
        return load(env, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_IN_FLIGHT_PER_PARTITION);
    }

    /** As {@link #load(Env)}, for an app whose in-flight defaults differ from a processor's. */
    public static ConsumerSettings load(Env env, int defaultMaxInFlight, int defaultMaxInFlightPerPartition) {
        DeliveryGuarantee guarantee = env.find(DELIVERY_GUARANTEE).map(v -> DeliveryGuarantee.parse(DELIVERY_GUARANTEE, v))
                .orElse(DEFAULT_GUARANTEE);
        return new ConsumerSettings(
                env.find(ORDERING).map(v -> OrderingMode.parse(ORDERING, v)).orElse(DEFAULT_ORDERING),
                env.find(ORDERING_BY_TYPE).map(ConsumerSettings::parseOrderingByType).orElse(java.util.Map.of()),
                env.integer(MAX_CONCURRENCY, DEFAULT_MAX_CONCURRENCY),
                env.integer(MAX_IN_FLIGHT, defaultMaxInFlight),
                env.integer(MAX_IN_FLIGHT_PER_PARTITION, defaultMaxInFlightPerPartition),
                env.duration(COMMIT_INTERVAL, guarantee == DeliveryGuarantee.EXACTLY_ONCE
                        ? DEFAULT_TRANSACTION_INTERVAL : DEFAULT_COMMIT_INTERVAL),
                env.duration(DRAIN_TIMEOUT, DEFAULT_DRAIN_TIMEOUT),
                guarantee,
                env.find(INSTANCE_ID).orElseGet(ConsumerSettings::randomInstanceId));
    }

    /** The mode for a record of {@code type} (null when the record names none). */
    public OrderingMode orderingOf(String type) {
        return type == null ? ordering : orderingByType.getOrDefault(type, ordering);
    }

    static java.util.Map<String, OrderingMode> parseOrderingByType(String value) {
        java.util.Map<String, OrderingMode> modes = new java.util.HashMap<>();
        for (String entry : value.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals <= 0 || equals == entry.length() - 1) {
                throw new ConfigException(ORDERING_BY_TYPE, "'" + entry.trim() + "' is not type=mode (e.g. report.render=partition)");
            }
            String type = entry.substring(0, equals).trim();
            if (modes.put(type, OrderingMode.parse(ORDERING_BY_TYPE, entry.substring(equals + 1))) != null) {
                throw new ConfigException(ORDERING_BY_TYPE, "type '" + type + "' is listed twice");
            }
        }
        return modes;
    }
}
