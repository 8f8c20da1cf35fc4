package dev.conveyor;

import java.util.Locale;

/** Which records of a partition may run concurrently. */
public enum OrderingMode {
    /** Same key in submission order; different keys concurrently, even inside one partition. */
    KEY,
    /** Strict partition order: one record of a partition at a time. */
    PARTITION,
    /** No ordering: any record may run at any time. */
    UNORDERED;

    public static OrderingMode parse(String key, String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, "'" + value + "' is not one of key, partition, unordered");
        }
    }
}
