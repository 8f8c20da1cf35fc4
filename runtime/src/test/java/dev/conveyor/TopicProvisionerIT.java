package dev.conveyor;

import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.TopicConfig;
import dev.conveyor.kafka.TopicDescriptor;
import dev.conveyor.kafka.TopicProvisioner;
import dev.conveyor.kafka.Topics;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.schema.TaskRequest;
import dev.conveyor.stack.LocalStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Topic creation against the real broker. */
class TopicProvisionerIT {

    private static final int PARTITIONS = 12;

    @Test
    void anIdempotentProducerSendingTheMomentTopicsAreCreatedHasEveryRecordAcknowledgedAtOnce() throws Exception {
        LocalStack stack = LocalStack.shared();
        try (KafkaClients clients = KafkaClients.connect(new ClusterConfig(stack.bootstrapServers(), stack.registryUrl()))) {
            TopicProvisioner provisioner = new TopicProvisioner(clients.admin(), new TopicConfig(PARTITIONS, PARTITIONS, 1, (short) 1, true));
            for (int round = 0; round < 3; round++) {
                // given topics the provisioner has just created
                String run = UUID.randomUUID().toString().substring(0, 8);
                List<TopicDescriptor<?>> topics = IntStream.range(0, 4)
                        .<TopicDescriptor<?>>mapToObj(i -> new TopicDescriptor<>(Topics.RETRY_PREFIX + "race-" + run + "-" + i, TaskRequest.class, Map.of()))
                        .toList();
                provisioner.ensure(topics);

                // when an idempotent producer at once keeps several requests in flight to every partition
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                        ProducerConfig.LINGER_MS_CONFIG, 0,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000), new StringSerializer(), new StringSerializer())) {
                    for (int n = 0; n < 20; n++) {
                        for (TopicDescriptor<?> topic : topics) {
                            for (int p = 0; p < PARTITIONS; p++) {
                                sends.add(producer.send(new ProducerRecord<>(topic.name(), p, "k", "record " + n)));
                            }
                        }
                    }

                    // then every record is acknowledged well within the delivery timeout: none is stuck
                    // retrying a request the broker refused before it led the new partition (KAFKA-15591)
                    for (Future<RecordMetadata> send : sends) {
                        assertThat(send.get(15, TimeUnit.SECONDS).hasOffset()).isTrue();
                    }
                }
            }
        }
    }
}
