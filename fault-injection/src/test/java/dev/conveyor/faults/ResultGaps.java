package dev.conveyor.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The longest stretch without a new result around a fault, from the results' own timestamps: how long the
 * pipeline stood still, whatever a client or an election took to notice.
 */
record ResultGaps(Instant from, Duration longest) {

    /** The longest gap between consecutive timestamps that ends after {@code fault}, or none when no result followed it. */
    static ResultGaps around(Instant fault, Collection<Long> timestampsMillis) {
        return around(fault, timestampsMillis, Duration.ofMillis(Long.MAX_VALUE - fault.toEpochMilli()));
    }

    /**
     * As {@link #around(Instant, Collection)}, among the gaps that begin no later than {@code within} after the
     * fault: a later gap belongs to the next fault.
     */
    static ResultGaps around(Instant fault, Collection<Long> timestampsMillis, Duration within) {
        List<Long> sorted = timestampsMillis.stream().sorted().toList();
        long lastStart = fault.toEpochMilli() + within.toMillis();
        Instant from = fault;
        Duration longest = Duration.ZERO;
        for (int i = 1; i < sorted.size(); i++) {
            long start = sorted.get(i - 1);
            long end = sorted.get(i);
            if (end > fault.toEpochMilli() && start <= lastStart && end - start > longest.toMillis()) {
                longest = Duration.ofMillis(end - start);
                from = Instant.ofEpochMilli(start);
            }
        }
        return new ResultGaps(from, longest);
    }

    /** Where the gap began, relative to the fault (negative: before it). */
    Duration startAfter(Instant fault) {
        return Duration.between(fault, from);
    }
}
