package dev.conveyor;

import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import java.util.List;
import java.util.Map;

/** Every topic Conveyor reads or writes, defined once. */
public final class Topics {

    private static final String WEEK_MS = Long.toString(7L * 24 * 3600 * 1000);
    private static final String MONTH_MS = Long.toString(30L * 24 * 3600 * 1000);

    /** Submitted tasks, keyed by the task key (or id). */
    public static final TopicDescriptor<TaskRequest> TASKS =
            new TopicDescriptor<>("tasks", TaskRequest.class, Map.of("retention.ms", WEEK_MS));

    /** One terminal result per task, keyed like the task. */
    public static final TopicDescriptor<TaskResult> RESULTS =
            new TopicDescriptor<>("tasks.results", TaskResult.class, Map.of("retention.ms", WEEK_MS));

    /** Records Conveyor gave up on, with the reason; kept longer so operators can inspect and replay them. */
    public static final TopicDescriptor<DeadLetter> DEAD_LETTERS =
            new TopicDescriptor<>("tasks.dlq", DeadLetter.class, Map.of("retention.ms", MONTH_MS));

    public static final List<TopicDescriptor<?>> ALL = List.of(TASKS, RESULTS, DEAD_LETTERS);

    /** Prefix of the delay-tier topics: a failed attempt waits in {@code tasks.retry.<delay>}. */
    public static final String RETRY_PREFIX = "tasks.retry.";

    /** The tier topic of one delay, named by its shortest exact unit: 5s, 30s, 2m, 10m, 1h, 250ms. */
    public static TopicDescriptor<TaskRequest> retryTier(java.time.Duration delay) {
        return new TopicDescriptor<>(RETRY_PREFIX + shortName(delay), TaskRequest.class, Map.of("retention.ms", WEEK_MS));
    }

    static String shortName(java.time.Duration delay) {
        long ms = delay.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }

    private Topics() {
    }
}
