package dev.conveyor.producer.status;

import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskEventKind;
import java.util.Comparator;

/**
 * Where an event sits in its task's history: run, then attempt, then the rank of its kind within the
 * attempt. Events of one task may arrive out of order or twice (a redone attempt writes its events
 * again), so the view applies a transition only at or past the last applied position and never goes
 * back. Task events and delivery events have separate rank scales: deliveries follow the task's
 * terminal event and are ordered per channel.
 */
record EventPosition(long run, int attempt, int rank) implements Comparable<EventPosition> {

    private static final Comparator<EventPosition> ORDER = Comparator.comparingLong(EventPosition::run)
            .thenComparingInt(EventPosition::attempt).thenComparingInt(EventPosition::rank);

    static EventPosition of(TaskEvent event) {
        return new EventPosition(event.getRun(), event.getAttempt(), rank(event.getKind()));
    }

    static int rank(TaskEventKind kind) {
        return switch (kind) {
            case QUEUED, REPLAYED -> 0;
            case STARTED, DELIVERY_RETRY_SCHEDULED -> 1;
            case RETRY_SCHEDULED, DELIVERED, DELIVERY_FAILED -> 2;
            case DEAD_LETTERED -> 3;
            case SUCCEEDED, FAILED, CANCELLED, DUPLICATE_SKIPPED -> 4;
        };
    }

    static boolean isDelivery(TaskEventKind kind) {
        return kind == TaskEventKind.DELIVERED || kind == TaskEventKind.DELIVERY_RETRY_SCHEDULED || kind == TaskEventKind.DELIVERY_FAILED;
    }

    boolean atOrAfter(EventPosition other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(EventPosition other) {
        return ORDER.compare(this, other);
    }
}
