package dev.conveyor.internal.route;

import dev.conveyor.metrics.MetersByTwoTags;
import dev.conveyor.metrics.MetricNames;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Records {@link MetricNames#TASK_LATENCY}: from a task's submission to its terminal result, by type and
 * outcome. Fixed buckets from milliseconds (a no-op task) to an hour (a task through every default retry
 * tier) keep the series per type few; the default percentile histogram would stop at 30 s.
 */
final class TaskLatency {

    static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1)};

    /** The outcome tag of each status, by ordinal, so recording builds no string. */
    private static final String[] OUTCOMES = outcomes();

    private final MetersByTwoTags<Timer> timers;
    private final Clock clock;

    TaskLatency(MeterRegistry meters, Clock clock) {
        this.clock = clock;
        this.timers = new MetersByTwoTags<>((type, outcome) -> Timer.builder(MetricNames.TASK_LATENCY)
                .tag(MetricNames.TAG_TYPE, type).tag(MetricNames.TAG_OUTCOME, outcome)
                .serviceLevelObjectives(BUCKETS).register(meters));
    }

    /** Records the time from {@code result}'s submission until now; a submission time ahead of this clock counts as none. */
    void record(TaskResult result) {
        long millis = Math.max(0, clock.millis() - result.getSubmittedAt().toEpochMilli());
        timers.get(result.getType(), OUTCOMES[result.getStatus().ordinal()]).record(millis, TimeUnit.MILLISECONDS);
    }

    private static String[] outcomes() {
        TaskStatus[] statuses = TaskStatus.values();
        String[] outcomes = new String[statuses.length];
        for (TaskStatus status : statuses) {
            outcomes[status.ordinal()] = status.name().toLowerCase(Locale.ROOT);
        }
        return outcomes;
    }
}
