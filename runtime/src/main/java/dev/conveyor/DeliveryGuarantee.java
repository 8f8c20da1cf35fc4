package dev.conveyor;

import java.util.Locale;

/** How a {@link TaskConsumer} ties what it writes to the offsets it commits. */
public enum DeliveryGuarantee {
    /**
     * Outputs are acknowledged before the input's offset is committed: a crash redoes work after the
     * last commit, so a reader may see an output twice but never misses one.
     */
    AT_LEAST_ONCE,
    /**
     * Outputs and offsets commit in one Kafka transaction per commit interval: a {@code read_committed}
     * reader sees each input's outputs exactly once, even when an instance is killed mid-batch.
     */
    EXACTLY_ONCE;

    public static DeliveryGuarantee parse(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "at-least-once" -> AT_LEAST_ONCE;
            case "exactly-once" -> EXACTLY_ONCE;
            default -> throw new ConfigException(key, "'" + value + "' is not one of at-least-once, exactly-once");
        };
    }
}
