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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proof 1: 20,000 tasks flow through three processor JVMs while processors are killed with SIGKILL
 * and restarted, again and again. Every task reaches a result; at-least-once redoes at most the work
 * after a killed instance's last commit; exactly-once shows a read_committed reader one result per task.
 */
class ProcessorCrashIT {

    static final int TASKS = 20_000;
    static final int KILLS = 4;

    @RegisterExtension
    static final Rig rig = new Rig();


    @Test
    void atLeastOnceLosesNothingWhenProcessorsAreKilled() {
        Run run = crashRun(DeliveryGuarantee.AT_LEAST_ONCE);

        assertThat(run.outcomes.missing(run.ids)).as("tasks without a result").isEmpty();
        // each kill redoes at most what the killed instance had in flight plus what it finished since its
        // last commit: one commit interval (and the commit's own round trip) at the fastest rate seen
        long finishedPerCommitInterval = (long) Math.ceil(run.peakPerSecond() * Rig.COMMIT_INTERVAL.toMillis() / 1000.0 * 2);
        long bound = (long) KILLS * (Rig.MAX_IN_FLIGHT + finishedPerCommitInterval);
        System.out.printf("at-least-once: %d tasks, %d kills, %d duplicate results (bound %d), %.0f tasks/s on average, %d in the busiest second%n",
                TASKS, KILLS, run.outcomes.duplicates(), bound, run.tasksPerSecond(), run.peakPerSecond());
        assertThat(run.outcomes.duplicates()).isLessThanOrEqualTo(bound);
    }

    @Test
    void exactlyOnceShowsOneResultPerTaskWhenProcessorsAreKilled() {
        Run run = crashRun(DeliveryGuarantee.EXACTLY_ONCE);

        System.out.printf("exactly-once: %d tasks, %d kills, %d duplicate results, %.0f tasks/s%n",
                TASKS, KILLS, run.outcomes.duplicates(), run.tasksPerSecond());
        assertThat(run.outcomes.missing(run.ids)).as("tasks without a result").isEmpty();
        assertThat(run.outcomes.resultsPerTask()).as("results per task").allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
    }

    record Run(Set<String> ids, Outcomes outcomes, Duration took, long peakPerSecond) {
        double tasksPerSecond() {
            return ids.size() * 1000.0 / Math.max(1, took.toMillis());
        }
    }

    /** Results completed in the busiest wall-clock second of the run. */
    private static long peakPerSecond(List<TaskResult> results) {
        return results.stream().collect(java.util.stream.Collectors.groupingBy(r -> r.getCompletedAt().getEpochSecond(),
                java.util.stream.Collectors.counting())).values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static Run crashRun(DeliveryGuarantee guarantee) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<JavaApp> processors = new ArrayList<>(rig.processors(3, guarantee));
        try (TopicTail<TaskResult> results = new TopicTail<>(rig.clients, Topics.RESULTS, r -> r.getKey().startsWith(run))) {
            Instant started = Instant.now();
            List<SubmittedTask> submitted = Submissions.submitAll(rig.tasks, TASKS,
                    i -> TaskSubmission.of("echo", "{\"i\":" + i + "}").withKey(run + "-" + (i % 2_000)));
            Set<String> ids = Outcomes.ids(submitted, SubmittedTask::id);
            for (int kill = 0; kill < KILLS; kill++) {
                int victim = kill % processors.size();
                int threshold = TASKS * (kill + 1) / (KILLS + 2);
                // kill while work is flowing, not before it started or after it ended
                await().atMost(Duration.ofMinutes(3)).until(() -> results.size() >= threshold);
                processors.get(victim).kill();
                processors.set(victim, rig.processor("p" + victim, guarantee));
            }
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Outcomes.of(results.values()).covers(ids));
            Duration took = Duration.between(started, Instant.now());
            // stop them (SIGTERM) so every straggler is committed, then judge the whole topic, not a live view
            processors.forEach(JavaApp::close);
            List<TaskResult> all = rig.results(run);
            return new Run(ids, Outcomes.of(all), took, peakPerSecond(all));
        } finally {
            processors.forEach(JavaApp::close);
        }
    }
}
