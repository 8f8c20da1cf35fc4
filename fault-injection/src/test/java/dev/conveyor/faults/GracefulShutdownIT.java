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

    @Test
    void tenSigtermsDuringSlowTasksRerunNothingAndLogNoError() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<JavaApp> processors = new ArrayList<>(List.of(slowProcessor("s0", 0), slowProcessor("s1", 0)));
        List<String> complaints = new ArrayList<>();
        List<Integer> exitCodes = new ArrayList<>();
        try (TopicTail<TaskResult> results = new TopicTail<>(rig.clients, Topics.RESULTS, r -> r.getKey().startsWith(run))) {
            // 300 ms tasks: whenever an instance is told to stop, some are running and must finish before it leaves
            List<SubmittedTask> submitted = Submissions.submitAll(rig.tasks, SLOW_TASKS,
                    i -> TaskSubmission.of("sleep", "{\"ms\":300}").withKey(run + "-" + (i % 1_000)));
            Set<String> ids = Outcomes.ids(submitted, SubmittedTask::id);

            for (int stop = 0; stop < STOPS; stop++) {
                int threshold = SLOW_TASKS * (stop + 1) / (STOPS + 2);
                await().atMost(Duration.ofMinutes(3)).until(() -> results.size() >= threshold);
                int victim = stop % 2;
                JavaApp stopping = processors.get(victim);
                exitCodes.add(stopping.terminate(Duration.ofSeconds(60)));
                complaints.addAll(complaintsIn(stopping));
                // back at once under its name, as an orchestrator restarts a pod
                processors.set(victim, slowProcessor("s" + victim, stop + 1));
            }
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Outcomes.of(results.values()).covers(ids));
            for (JavaApp processor : processors) {
                exitCodes.add(processor.terminate(Duration.ofSeconds(60)));
                complaints.addAll(complaintsIn(processor));
            }

            Outcomes outcomes = Outcomes.of(rig.results(run));
            assertThat(exitCodes).as("exit codes after SIGTERM (128 + 15)").containsOnly(143);
            assertThat(outcomes.missing(ids)).as("lost tasks").isEmpty();
            assertThat(outcomes.resultsPerTask()).as("results per task").allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
            assertThat(complaints).as("ERROR lines and wake-ups in the stopped processors' logs").isEmpty();
        } finally {
            processors.forEach(JavaApp::close);
        }
    }

    static final int SLOW_TASKS = 3_000;
    static final int STOPS = 10;

    /** A processor that runs at most 16 tasks at once, so 300 ms tasks take the run long enough for ten stops. */
    private static JavaApp slowProcessor(String instance, int life) {
        java.util.Map<String, String> env = new java.util.HashMap<>(rig.env(instance, DeliveryGuarantee.AT_LEAST_ONCE));
        env.put(dev.conveyor.ConsumerSettings.MAX_CONCURRENCY, "16");
        return JavaApp.start("processor-" + instance + "-life-" + life, dev.conveyor.processor.ProcessorApp.class, env, rig.logs);
    }

    private static List<String> complaintsIn(JavaApp app) throws java.io.IOException {
        return java.nio.file.Files.readAllLines(app.log()).stream()
                // Conveyor's own errors and the shutdown races it must avoid; the Kafka client may still log an offset fetch
                // for partitions assigned while the member was leaving, which concerns nothing it had processed
                .filter(line -> line.contains(" ERROR dev.conveyor") || line.contains("WakeupException") || line.contains("Reconciliation failed"))
                .map(line -> app.name() + ": " + line).toList();
    }
}
