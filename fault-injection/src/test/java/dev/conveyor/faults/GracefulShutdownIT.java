package dev.conveyor.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conveyor.DeliveryGuarantee;
import dev.conveyor.kafka.Topics;
import dev.conveyor.producer.SubmittedTask;
import dev.conveyor.producer.TaskSubmission;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.stack.JavaApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proof 6: processors stopped with SIGTERM while tasks are running (and new ones joining, so
 * partitions move between live members): every task runs exactly once, because a stopping or
 * revoked member lets its in-flight work finish and commits it before the partition moves.
 */
class GracefulShutdownIT {

    static final int TASKS = 6_000;

    @RegisterExtension
    static final Rig rig = new Rig();


    @Test
    void sigtermUnderLoadLosesNoTaskAndRunsNoneTwice() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<JavaApp> processors = new ArrayList<>(rig.processors(3, DeliveryGuarantee.AT_LEAST_ONCE));
        List<Integer> exitCodes = new ArrayList<>();
        try (TopicTail<TaskResult> results = new TopicTail<>(rig.clients, Topics.RESULTS, r -> r.getKey().startsWith(run))) {
            // 20 ms of blocking work each, so every instance has tasks in flight when it is told to stop
            List<SubmittedTask> submitted = Submissions.submitAll(rig.tasks, TASKS,
                    i -> TaskSubmission.of("sleep", "{\"ms\":20}").withKey(run + "-" + (i % 500)));
            Set<String> ids = Outcomes.ids(submitted, SubmittedTask::id);

            for (int step = 0; step < 3; step++) {
                int threshold = TASKS * (step + 1) / 4;
                await().atMost(Duration.ofMinutes(3)).until(() -> results.size() >= threshold);
                JavaApp stopping = processors.remove(0);
                exitCodes.add(stopping.terminate(Duration.ofSeconds(60)));
                // a newcomer takes partitions from the survivors: their revocation must not re-run work either
                processors.add(rig.processor("g" + step, DeliveryGuarantee.AT_LEAST_ONCE));
            }
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Outcomes.of(results.values()).covers(ids));
            processors.forEach(JavaApp::close);

            Outcomes outcomes = Outcomes.of(rig.results(run));
            assertThat(exitCodes).as("exit codes after SIGTERM (128 + 15)").containsOnly(143);
            assertThat(outcomes.missing(ids)).as("lost tasks").isEmpty();
            assertThat(outcomes.resultsPerTask()).as("results per task").allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
        } finally {
            processors.forEach(JavaApp::close);
        }
    }
}
