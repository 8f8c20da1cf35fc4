package dev.conveyor.producer.status;

import dev.conveyor.schema.StatusTimelineEntry;
import dev.conveyor.schema.TaskEvent;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A task's latest events, in the order they happened rather than arrived: by run, then task events
 * before deliveries, then attempt, rank, channel and time. A repeat of an event (same kind, run,
 * attempt and channel) is kept once, and only the latest {@link #LIMIT} entries are kept.
 */
final class Timeline {

    static final int LIMIT = 50;

    private static final Comparator<StatusTimelineEntry> ORDER = Comparator.comparingLong(StatusTimelineEntry::getRun)
            .thenComparingInt(Timeline::phase)
            .thenComparingInt(StatusTimelineEntry::getAttempt)
            .thenComparingInt(e -> EventPosition.rank(dev.conveyor.schema.TaskEventKind.valueOf(e.getKind())))
            .thenComparing(StatusTimelineEntry::getChannel, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(StatusTimelineEntry::getAt);

    private Timeline() {
    }

    /** Adds the event unless it is a repeat; false when the timeline is unchanged. */
    static boolean add(List<StatusTimelineEntry> timeline, TaskEvent event) {
        StatusTimelineEntry entry = entry(event);
        int at = timeline.size();
        for (int i = timeline.size() - 1; i >= 0; i--) {
            StatusTimelineEntry existing = timeline.get(i);
            if (sameEvent(existing, entry)) {
                return false;
            }
            if (ORDER.compare(existing, entry) > 0) {
                at = i;
            }
        }
        if (timeline.size() >= LIMIT && at == 0) {
            // older than everything a full timeline keeps
            return false;
        }
        timeline.add(at, entry);
        if (timeline.size() > LIMIT) {
            timeline.remove(0);
        }
        return true;
    }

    private static boolean sameEvent(StatusTimelineEntry a, StatusTimelineEntry b) {
        return a.getKind().equals(b.getKind()) && a.getRun() == b.getRun() && a.getAttempt() == b.getAttempt()
                && Objects.equals(a.getChannel(), b.getChannel());
    }

    private static int phase(StatusTimelineEntry entry) {
        return EventPosition.isDelivery(dev.conveyor.schema.TaskEventKind.valueOf(entry.getKind())) ? 1 : 0;
    }

    private static StatusTimelineEntry entry(TaskEvent event) {
        return StatusTimelineEntry.newBuilder()
                .setKind(event.getKind().name())
                .setRun(event.getRun())
                .setAttempt(event.getAttempt())
                .setAt(event.getAt())
                .setInstance(event.getInstance())
                .setError(TextLimits.text(event.getError()))
                .setReason(event.getReason())
                .setDueAt(event.getDueAt())
                .setTier(event.getTier())
                .setChannel(event.getChannel())
                .setDetail(TextLimits.text(event.getDetail()))
                .build();
    }
}
