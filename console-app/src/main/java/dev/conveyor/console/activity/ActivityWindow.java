package dev.conveyor.console.activity;

import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What the overview shows: per minute and task type, tasks submitted ({@code QUEUED}), succeeded,
 * failed, retried ({@code RETRY_SCHEDULED}) and dead-lettered, from {@code tasks.events}; and the
 * end-to-end latency (submission to result) from {@code tasks.results}. Keeps the last {@code window}
 * of minutes. A redone attempt under at-least-once may repeat an event, so counts are at least the
 * true ones. Pure; the caller synchronises.
 */
public final class ActivityWindow {

    /** What is counted, in the order of {@link MinuteCounts#counts()}. */
    public enum Count { SUBMITTED, SUCCEEDED, FAILED, RETRIED, DEAD_LETTERED }

    /** One minute of one type: {@code counts[i]} for {@code Count.values()[i]}. */
    public record MinuteCounts(Instant minute, String type, long[] counts) {
    }

    /** @param p50Millis end-to-end latency median over the window; {@code p99Millis} its 99th percentile */
    public record Snapshot(Instant from, Instant to, List<MinuteCounts> minutes, long p50Millis, long p99Millis, long results) {
    }

    private static final long MINUTE_MS = 60_000;
    private final Duration window;
    private final NavigableMap<Long, Map<String, long[]>> counts = new TreeMap<>();
    private final NavigableMap<Long, LatencyHistogram> latencies = new TreeMap<>();

    public ActivityWindow(Duration window) {
        this.window = window;
    }

    /** Drops minutes before the window, so memory stays bounded even when no one asks for a snapshot. */
    private void prune(long minute) {
        long first = minute - window.toMinutes();
        if (!counts.isEmpty() && counts.firstKey() < first) {
            counts.headMap(first, false).clear();
        }
        if (!latencies.isEmpty() && latencies.firstKey() < first) {
            latencies.headMap(first, false).clear();
        }
    }

    public void event(TaskEvent event) {
        Count count = switch (event.getKind()) {
            case QUEUED -> Count.SUBMITTED;
            case SUCCEEDED -> Count.SUCCEEDED;
            case FAILED -> Count.FAILED;
            case RETRY_SCHEDULED -> Count.RETRIED;
            case DEAD_LETTERED -> Count.DEAD_LETTERED;
            default -> null;
        };
        if (count != null) {
            long minute = event.getAt().toEpochMilli() / MINUTE_MS;
            if (counts.isEmpty() || minute > counts.lastKey()) {
                prune(minute);
            }
            counts.computeIfAbsent(minute, m -> new TreeMap<>())
                    .computeIfAbsent(event.getType(), t -> new long[Count.values().length])[count.ordinal()]++;
        }
    }

    public void result(TaskResult result) {
        long latency = Math.max(0, result.getCompletedAt().toEpochMilli() - result.getSubmittedAt().toEpochMilli());
        long minute = result.getCompletedAt().toEpochMilli() / MINUTE_MS;
        if (latencies.isEmpty() || minute > latencies.lastKey()) {
            prune(minute);
        }
        latencies.computeIfAbsent(minute, m -> new LatencyHistogram()).add(latency);
    }

    public Snapshot snapshot(Instant now) {
        long first = (now.toEpochMilli() - window.toMillis()) / MINUTE_MS + 1;
        counts.headMap(first, false).clear();
        latencies.headMap(first, false).clear();
        List<MinuteCounts> minutes = new ArrayList<>();
        counts.forEach((minute, byType) -> byType.forEach((type, c) ->
                minutes.add(new MinuteCounts(Instant.ofEpochMilli(minute * MINUTE_MS), type, c.clone()))));
        LatencyHistogram all = new LatencyHistogram();
        latencies.values().forEach(all::addAll);
        return new Snapshot(Instant.ofEpochMilli(first * MINUTE_MS), now, minutes, all.quantile(0.5), all.quantile(0.99), all.count());
    }
}
