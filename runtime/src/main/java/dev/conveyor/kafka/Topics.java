package dev.conveyor.kafka;

import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.IdempotencyClaim;
import dev.conveyor.schema.TaskEvent;
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

    /**
     * Claims of idempotency keys, keyed by the key, written in the same transaction as their task.
     * Kept a week: longer than any {@code IDEMPOTENCY_RETENTION} may be.
     */
    public static final TopicDescriptor<IdempotencyClaim> IDEMPOTENCY =
            new TopicDescriptor<>("tasks.idempotency", IdempotencyClaim.class, Map.of("retention.ms", WEEK_MS, "cleanup.policy", "delete"));

    /**
     * Lifecycle events, keyed by task id: what the status view folds. Kept a week, as long as the view's
     * default {@code STATUS_RETENTION}, so a view rebuilt from scratch sees every task it still reports.
     */
    public static final TopicDescriptor<TaskEvent> EVENTS =
            new TopicDescriptor<>("tasks.events", TaskEvent.class, Map.of("retention.ms", WEEK_MS, "cleanup.policy", "delete"));

    public static final List<TopicDescriptor<?>> ALL = List.of(TASKS, RESULTS, DEAD_LETTERS, IDEMPOTENCY, EVENTS);

    /** Prefix of the delay-tier topics: a failed attempt waits in {@code tasks.retry.<delay>}. */
    public static final String RETRY_PREFIX = "tasks.retry.";

    /** The tier topic of one delay, named by its shortest exact unit: 5s, 30s, 2m, 10m, 1h, 250ms. */
    public static TopicDescriptor<TaskRequest> retryTier(java.time.Duration delay) {
        return new TopicDescriptor<>(RETRY_PREFIX + shortName(delay), TaskRequest.class, Map.of("retention.ms", WEEK_MS));
    }

    /** Prefix of the notifier's delay tiers: a failed delivery waits in {@code tasks.results.retry.<delay>}. */
    public static final String RESULT_RETRY_PREFIX = "tasks.results.retry.";

    /** The notifier's tier topic of one delay: a result whose delivery failed, waiting for its next attempt. */
    public static TopicDescriptor<TaskResult> resultRetryTier(java.time.Duration delay) {
        return new TopicDescriptor<>(RESULT_RETRY_PREFIX + shortName(delay), TaskResult.class, Map.of("retention.ms", WEEK_MS));
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
