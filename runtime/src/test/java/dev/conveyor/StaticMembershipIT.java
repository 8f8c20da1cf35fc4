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

/** Two live instances under one INSTANCE_ID: the newer takes over, the older stops instead of fighting for the name. */
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

    private static TaskConsumer<TaskRequest> consumer(String group, String instanceId) {
        ConsumerSettings settings = new ConsumerSettings(OrderingMode.KEY, Map.of(), 8, 64, 32, Duration.ofMillis(100), Duration.ofSeconds(5),
                DeliveryGuarantee.AT_LEAST_ONCE, instanceId);
        return new TaskConsumer<>(group, Topics.TASKS, settings, RetryTiers.forTasks(RetrySettings.defaults()), clients,
                record -> RecordOutcome.skip(), clients.meters(), Clock.systemUTC()).start();
    }
}
