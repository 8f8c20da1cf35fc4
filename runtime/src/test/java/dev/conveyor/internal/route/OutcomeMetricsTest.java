package dev.conveyor.internal.route;

import static dev.conveyor.internal.route.OutcomeRouterTest.NOW;
import static dev.conveyor.internal.route.OutcomeRouterTest.TIERS;
import static dev.conveyor.internal.route.OutcomeRouterTest.record;
import static dev.conveyor.internal.route.OutcomeRouterTest.result;
import static dev.conveyor.internal.route.OutcomeRouterTest.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.RecordOutcome;
import dev.conveyor.metrics.MetricNames;
import dev.conveyor.retry.DeadLetterReason;
import dev.conveyor.retry.RetryTiers;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The router's own metrics: end-to-end latency of terminal results and retries per delay tier. */
class OutcomeMetricsTest {

    static final Duration SINCE_SUBMISSION = Duration.ofMillis(1_700);

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final OutcomeRouter router = new OutcomeRouter(RetryTiers.forTasks(TIERS), meters,
            Clock.fixed(NOW.plus(SINCE_SUBMISSION), ZoneOffset.UTC));

    @Test
    void givenASucceededTaskThenItsLatencyFromSubmissionIsRecordedByTypeAndOutcome() {
        // given a task submitted at NOW, finishing 1.7 s later
        TaskRequest task = task(1);

        // when its result is routed
        router.route(record("tasks", 0, 1, task, new RecordHeaders()), RecordOutcome.result(result(task)));

        // then one latency of 1.7 s, in the 2.5 s bucket and not the 1 s one
        Timer latency = latency("echo", "succeeded");
        assertThat(latency.count()).isEqualTo(1);
        assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1_700);
        assertThat(cumulativeCount(latency, 1.0)).isZero();
        assertThat(cumulativeCount(latency, 2.5)).isEqualTo(1);
    }

    @Test
    void givenTheLastAttemptFailsThenTheFailedResultsLatencyIsRecordedAndNoRetry() {
        TaskRequest last = task(3);
        RecordOutcome failure = new RecordOutcome.Failure(new IllegalStateException("boom"), 3, 3, last,
                DeadLetterReason.RETRIES_EXHAUSTED, (reason, error) -> TaskResult.newBuilder(result(last)).setStatus(TaskStatus.FAILED)
                .setReason(reason.name()).setError(error).build(), null);

        router.route(record("tasks.retry.5s", 0, 1, last, new RecordHeaders()), failure);

        assertThat(latency("echo", "failed").count()).isEqualTo(1);
        assertThat(meters.find(MetricNames.RETRIES_SCHEDULED).counters()).isEmpty();
    }

    @Test
    void givenAFailedAttemptWithAttemptsLeftThenARetryIsCountedForItsTierAndNoLatency() {
        TaskRequest first = task(1);
        TaskRequest next = TaskRequest.newBuilder(first).setAttempt(2).build();
        RecordOutcome failure = new RecordOutcome.Failure(new IllegalStateException("boom"), 1, 3, next,
                DeadLetterReason.RETRIES_EXHAUSTED, null, null);

        router.route(record("tasks", 0, 1, first, new RecordHeaders()), failure);
        router.route(record("tasks", 0, 2, first, new RecordHeaders()), failure);

        assertThat(meters.get(MetricNames.RETRIES_SCHEDULED).tag(MetricNames.TAG_TIER, "tasks.retry.1s")
                .tag(MetricNames.TAG_TYPE, "echo").counter().count()).isEqualTo(2);
        assertThat(meters.find(MetricNames.TASK_LATENCY).timers()).isEmpty();
    }

    @Test
    void givenASubmissionTimeAheadOfTheClockThenTheLatencyIsZeroNotNegative() {
        TaskRequest task = TaskRequest.newBuilder(task(1)).setSubmittedAt(NOW.plusSeconds(60)).build();
        TaskResult result = TaskResult.newBuilder(result(task)).setSubmittedAt(NOW.plusSeconds(60)).build();

        router.route(record("tasks", 0, 1, task, new RecordHeaders()), RecordOutcome.result(result));

        assertThat(latency("echo", "succeeded").totalTime(TimeUnit.MILLISECONDS)).isZero();
    }

    private Timer latency(String type, String outcome) {
        return meters.get(MetricNames.TASK_LATENCY).tag(MetricNames.TAG_TYPE, type).tag(MetricNames.TAG_OUTCOME, outcome).timer();
    }

    private static double cumulativeCount(Timer timer, double seconds) {
        return Arrays.stream(timer.takeSnapshot().histogramCounts())
                .filter(bucket -> bucket.bucket(TimeUnit.SECONDS) == seconds).mapToDouble(CountAtBucket::count).sum();
    }
}
