package dev.conveyor.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conveyor.DeliveryGuarantee;
import dev.conveyor.retry.RetryHeaders;
import dev.conveyor.kafka.TopicDescriptor;
import dev.conveyor.kafka.Topics;
import dev.conveyor.producer.SubmittedTask;
import dev.conveyor.producer.TaskSubmission;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import dev.conveyor.stack.JavaApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proof 4: a handler that fails k = 2 times then succeeds. Each task succeeds on attempt 3, never
 * before its last hop's due time nor before the sum of the tier delays (1 s + 2 s); how late the
 * attempts start after their due time is measured and written to {@code target/fault-reports}.
 */
class RetryLatenessIT {

    static final int TASKS = 300;
    static final int FAILURES = 2;

    @RegisterExtension
    static final Rig rig = new Rig();


    @Test
    void aTaskFailingKTimesSucceedsOnAttemptKPlusOneAndNeverEarly() throws IOException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<JavaApp> processors = rig.processors(1, DeliveryGuarantee.AT_LEAST_ONCE);
        TopicDescriptor<TaskRequest> lastTier = Topics.retryTier(Duration.ofSeconds(2));
        try (TopicTail<TaskResult> results = new TopicTail<>(rig.clients, Topics.RESULTS, r -> r.getKey().startsWith(run));
             TopicTail<TaskRequest> hops = new TopicTail<>(rig.clients, lastTier, t -> t.getKey().startsWith(run))) {
            Set<String> ids = Outcomes.ids(Submissions.submitAll(rig.tasks, TASKS,
                    i -> TaskSubmission.of("fail", "{\"failAttempts\":" + FAILURES + "}").withKey(run + "-" + i)), SubmittedTask::id);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Outcomes.of(results.values()).covers(ids));

            Map<String, Instant> dueOfLastHop = new HashMap<>();
            hops.records().forEach(seen -> dueOfLastHop.put(seen.value().getId(),
                    Instant.parse(new String(seen.raw().headers().lastHeader(RetryHeaders.DUE).value(), StandardCharsets.UTF_8))));
            Histogram lateness = new Histogram(3);
            for (TaskResult result : results.values()) {
                assertThat(result.getStatus()).isEqualTo(TaskStatus.SUCCEEDED);
                assertThat(result.getAttempts()).isEqualTo(FAILURES + 1);
                Instant due = dueOfLastHop.get(result.getTaskId());
                assertThat(due).as("last hop of " + result.getTaskId()).isNotNull();
                // a result's times are kept to the millisecond (Avro timestamp-millis), the due header to the nanosecond
                assertThat(result.getStartedAt()).as("never early").isAfterOrEqualTo(due.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
                assertThat(Duration.between(result.getSubmittedAt(), result.getStartedAt()))
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
                lateness.recordValue(Duration.between(due, result.getStartedAt()).toMillis());
            }
            String report = String.format("retry lateness over %d tasks (k=%d, tiers %s, one processor): p50 %d ms, p99 %d ms, max %d ms%n",
                    TASKS, FAILURES, Rig.TIERS, lateness.getValueAtPercentile(50), lateness.getValueAtPercentile(99),
                    lateness.getMaxValue());
            System.out.print(report);
            Path out = Path.of("target", "fault-reports", "retry-lateness.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        } finally {
            processors.forEach(JavaApp::close);
        }
    }
}
