package dev.conveyor.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conveyor.DeliveryGuarantee;
import dev.conveyor.auth.AuthSettings;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.Topics;
import dev.conveyor.producer.ProducerApp;
import dev.conveyor.producer.status.StatusViewSettings;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.stack.JavaApp;
import dev.conveyor.stack.KafkaBroker;
import dev.conveyor.stack.LocalStack;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proof: on three brokers (every topic on three replicas, {@code min.insync.replicas=2}), the broker leading
 * the most partitions of tasks and tasks.results is killed with SIGKILL while tasks stream in over HTTP, and
 * started again once the others have taken over its partitions. Every task the gateway accepted has exactly
 * one result for a read_committed reader under exactly-once, at least one under at-least-once; what the
 * gateway refused during the election, and the longest stretch without a new result, are reported.
 */
class LeaderFailoverIT {

    static final int TASKS = 5_000;
    static final int PER_SECOND = 200;
    static final List<String> BUSY_TOPICS = List.of(Topics.TASKS.name(), Topics.RESULTS.name());

    @RegisterExtension
    static final Rig rig = Rig.on(LocalStack.startThreeBrokers());

    static KafkaClients gatewayClients;
    static ProducerApp gateway;

    @BeforeAll
    static void startGateway() {
        Map<String, String> env = new HashMap<>(rig.env("failover-gateway", DeliveryGuarantee.AT_LEAST_ONCE));
        env.put("HTTP_PORT", "0");
        // submissions and their results are the subject here, not authentication or the status view
        env.put(AuthSettings.AUTH, AuthSettings.NO_AUTH);
        env.put(StatusViewSettings.STATUS_VIEW, "false");
        gatewayClients = KafkaClients.connect(new ClusterConfig(rig.stack.bootstrapServers(), rig.stack.registryUrl()));
        gateway = ProducerApp.build(ProducerApp.load(env), gatewayClients);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
        gatewayClients.close();
    }

    @Test
    void exactlyOnceShowsOneResultPerAcceptedTaskThroughALeaderKill() {
        Run run = failoverRun(DeliveryGuarantee.EXACTLY_ONCE);

        assertThat(run.outcomes.missing(run.accepted)).as("accepted tasks without a result").isEmpty();
        assertThat(run.outcomes.resultsPerTask()).as("results per task").allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
    }

    @Test
    void atLeastOnceLosesNoAcceptedTaskThroughALeaderKill() {
        Run run = failoverRun(DeliveryGuarantee.AT_LEAST_ONCE);

        assertThat(run.outcomes.missing(run.accepted)).as("accepted tasks without a result").isEmpty();
    }

    record Run(Set<String> accepted, Outcomes outcomes) {
    }

    private static Run failoverRun(DeliveryGuarantee guarantee) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<JavaApp> processors = rig.processors(2, guarantee);
        try (TopicTail<TaskResult> results = new TopicTail<>(rig.clients, Topics.RESULTS, r -> r.getKey().startsWith(run));
             PacedSubmissions submissions = new PacedSubmissions(gateway.url(), run, TASKS, PER_SECOND)) {
            // kill while work is flowing, not before it started or after it ended
            await().atMost(Duration.ofMinutes(1)).until(() -> results.size() >= TASKS / 4);
            Leaders before = Leaders.of(rig.clients.admin(), BUSY_TOPICS);
            KafkaBroker victim = rig.stack.kafka().node(before.busiest()).orElseThrow();
            Instant killed = Instant.now();
            victim.kill();

            // back once the others lead everything it led: the election is what the pipeline waits for
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> {
                Leaders now = Leaders.of(rig.clients.admin(), BUSY_TOPICS);
                return now.ledBy(victim.nodeId()) == 0 && now.total() == before.total();
            });
            Duration election = Duration.between(killed, Instant.now());
            victim.relaunch();
            Duration down = Duration.between(killed, Instant.now());

            await().atMost(Duration.ofMinutes(2)).until(() -> submissions.done().isDone());
            Set<String> accepted = submissions.accepted();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Outcomes.of(results.values()).covers(accepted));
            Duration drained = Duration.between(killed, Instant.now());
            ResultGaps stall = ResultGaps.around(killed, results.records().stream().map(seen -> seen.raw().timestamp()).toList());

            // stop them (SIGTERM) so every straggler is committed, then judge the whole topic, not a live view
            processors.forEach(JavaApp::close);
            Outcomes outcomes = Outcomes.of(rig.results(run));
            System.out.printf("leader failover, %s: killed node %d (leading %d of %d partitions of %s); new leaders after %d ms,"
                            + " back after %d ms, every accepted task's result after %d ms; %d tasks posted at %d/s, %d accepted, %d refused %s; %d duplicate results;"
                            + " longest stretch without a new result %d ms, from %d ms after the kill%n",
                    guarantee, victim.nodeId(), before.ledBy(victim.nodeId()), before.total(), BUSY_TOPICS, election.toMillis(),
                    down.toMillis(), drained.toMillis(), TASKS, PER_SECOND, accepted.size(), submissions.refusedTotal(), submissions.refused(),
                    outcomes.duplicates(), stall.longest().toMillis(), stall.startAfter(killed).toMillis());
            System.out.println("broker memory: " + BrokerMemory.of(rig.stack.kafka().brokers()));
            return new Run(accepted, outcomes);
        } finally {
            processors.forEach(JavaApp::close);
        }
    }
}
