package dev.conveyor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.Topics;
import dev.conveyor.retry.RetrySettings;
import dev.conveyor.retry.RetryTiers;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.stack.LocalStack;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Static membership on the real broker: two live instances under one INSTANCE_ID (the newer takes over, the
 * older stops instead of fighting for the name), and an instance that stops for good (it leaves at once).
 */
class StaticMembershipIT {

    static LocalStack stack;
    static KafkaClients clients;

    @BeforeAll
    static void start() {
        stack = LocalStack.shared();
        clients = KafkaClients.connect(new ClusterConfig(stack.bootstrapServers(), stack.registryUrl()));
        new dev.conveyor.kafka.TopicProvisioner(clients.admin(), new dev.conveyor.kafka.TopicConfig(2, 2, 1, (short) 1, true))
                .ensure(Topics.ALL);
    }

    @AfterAll
    static void stop() {
        clients.close();
    }

    @Test
    void givenALiveInstanceWhenAnotherStartsUnderItsNameThenTheNewerOwnsThePartitionsAndTheOlderStops() {
        // given a running member named "worker-7"
        String group = "static-" + UUID.randomUUID().toString().substring(0, 8);
        try (TaskConsumer<TaskRequest> older = consumer(group, "worker-7")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !older.assignment().isEmpty());

            // when a second instance starts under the same name
            try (TaskConsumer<TaskRequest> newer = consumer(group, "worker-7")) {

                // then the newer gets the partitions and the older stops, and does not take the name back
                await().atMost(Duration.ofSeconds(60)).until(() -> !newer.assignment().isEmpty() && !older.isRunning());
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                        .until(() -> newer.isRunning() && newer.assignment().containsAll(
                                List.of(new org.apache.kafka.common.TopicPartition(Topics.TASKS.name(), 0))));
            }
        }
    }

    @Test
    void givenTwoMembersWhenOneStopsGracefullyThenItLeavesTheGroupAndTheOtherOwnsEveryPartitionAtOnce() throws Exception {
        // given two members sharing the partitions
        String group = "static-" + UUID.randomUUID().toString().substring(0, 8);
        try (TaskConsumer<TaskRequest> staying = consumer(group, "worker-1")) {
            TaskConsumer<TaskRequest> leaving = consumer(group, "worker-2");
            await().atMost(Duration.ofSeconds(60)).until(() -> !staying.assignment().isEmpty() && !leaving.assignment().isEmpty());

            // when one stops, as on SIGTERM, and does not come back
            leaving.close();

            // then it is no longer a member (a static member that only left for a while would stay registered
            // until its session times out) and the other owns every partition, long before the 10 s session timeout
            var members = clients.admin().describeConsumerGroups(List.of(group)).all().get().get(group).members();
            assertThat(members).extracting(member -> member.groupInstanceId().orElse("")).containsExactly("worker-1");
            await().atMost(Duration.ofSeconds(5)).until(() -> staying.assignment().containsAll(List.of(
                    new org.apache.kafka.common.TopicPartition(Topics.TASKS.name(), 0), new org.apache.kafka.common.TopicPartition(Topics.TASKS.name(), 1))));
        }
    }

    private static TaskConsumer<TaskRequest> consumer(String group, String instanceId) {
        ConsumerSettings settings = new ConsumerSettings(OrderingMode.KEY, Map.of(), 8, 64, 32, Duration.ofMillis(100), Duration.ofSeconds(5),
                DeliveryGuarantee.AT_LEAST_ONCE, instanceId);
        return new TaskConsumer<>(group, Topics.TASKS, settings, RetryTiers.forTasks(RetrySettings.defaults()), clients,
                record -> RecordOutcome.skip(), clients.meters(), Clock.systemUTC()).start();
    }
}
