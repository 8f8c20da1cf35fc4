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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Proof 2: the broker is restarted while processors work through a backlog: every accepted task gets its result. */
class BrokerRestartIT {

    static final int BEFORE = 4_000;
    static final int AFTER = 1_000;

    @RegisterExtension
    static final Rig rig = new Rig();


    @Test
    void aBrokerRestartMidRunLosesNothing() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<JavaApp> processors = rig.processors(2, DeliveryGuarantee.AT_LEAST_ONCE);
        Set<String> ids = new HashSet<>();
        try (TopicTail<TaskResult> results = new TopicTail<>(rig.clients, Topics.RESULTS, r -> r.getKey().startsWith(run))) {
            ids.addAll(Outcomes.ids(Submissions.submitAll(rig.tasks, BEFORE,
                    i -> TaskSubmission.of("sleep", "{\"ms\":5}").withKey(run + "-" + i)), SubmittedTask::id));
            await().atMost(Duration.ofMinutes(2)).until(() -> results.size() >= BEFORE / 5);

            rig.stack.broker().restart();
            ids.addAll(Outcomes.ids(Submissions.submitAll(rig.tasks, AFTER,
                    i -> TaskSubmission.of("echo", "{}").withKey(run + "-after-" + i)), SubmittedTask::id));

            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Outcomes.of(results.values()).covers(ids));
            assertThat(processors).allSatisfy(p -> assertThat(p.isAlive()).as(p.name()).isTrue());
        } finally {
            processors.forEach(JavaApp::close);
        }
        Outcomes outcomes = Outcomes.of(rig.results(run));
        assertThat(outcomes.missing(ids)).as("accepted tasks without a result").isEmpty();
        System.out.printf("broker restart: %d tasks, %d duplicate results%n", BEFORE + AFTER, outcomes.duplicates());
    }
}
