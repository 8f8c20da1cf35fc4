package dev.conveyor.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conveyor.DeliveryGuarantee;
import dev.conveyor.kafka.Topics;
import dev.conveyor.internal.serde.AvroSerdes;
import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import dev.conveyor.stack.JavaApp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proof 3: 1% of the records on {@code tasks} cannot be decoded (garbage bytes, an unknown schema id,
 * a value written with another record's schema), interleaved with good tasks in the same partitions.
 * Every good task completes; every bad record is in {@code tasks.dlq}, byte for byte, as UNDECODABLE.
 */
class PoisonPillIT {

    static final int RECORDS = 3_000;

    @RegisterExtension
    static final Rig rig = new Rig();


    @Test
    void poisonPillsAreDeadLetteredAndEveryGoodTaskCompletes() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Serializer<Object> avro = AvroSerdes.serializer(rig.clients.cluster());
        List<JavaApp> processors = rig.processors(2, DeliveryGuarantee.AT_LEAST_ONCE);
        Map<String, byte[]> poison = new HashMap<>();
        List<String> good = new ArrayList<>();
        try (TopicTail<TaskResult> results = new TopicTail<>(rig.clients, Topics.RESULTS, r -> r.getKey().startsWith(run));
             TopicTail<DeadLetter> letters = new TopicTail<>(rig.clients, Topics.DEAD_LETTERS, l -> l.getOriginalKey() != null
                     && StandardCharsets.UTF_8.decode(l.getOriginalKey().duplicate()).toString().startsWith(run));
             KafkaProducer<String, byte[]> raw = rawProducer()) {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                // few keys, so pills and good tasks share partitions
                String key = run + "-" + i;
                int partition = i % Rig.PARTITIONS;
                byte[] value;
                if (i % 100 == 50) {
                    value = pill(i / 100 % 3, avro);
                    poison.put(key, value);
                } else {
                    TaskRequest task = TaskRequest.newBuilder().setId(UUID.randomUUID().toString()).setType("echo").setKey(key)
                            .setPayload("{}").setSubmittedAt(Instant.now()).setAttempt(1).setMaxAttempts(0).setHeaders(Map.of()).build();
                    value = avro.serialize(Topics.TASKS.name(), task);
                    good.add(task.getId());
                }
                sends.add(raw.send(new ProducerRecord<>(Topics.TASKS.name(), partition, key, value)));
            }
            for (Future<?> send : sends) {
                send.get();
            }

            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Outcomes.of(results.values()).covers(good) && letters.size() >= poison.size());

            assertThat(results.values()).filteredOn(r -> good.contains(r.getTaskId()))
                    .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(TaskStatus.SUCCEEDED));
            Map<String, DeadLetter> byKey = new HashMap<>();
            letters.values().forEach(l -> byKey.put(StandardCharsets.UTF_8.decode(l.getOriginalKey().duplicate()).toString(), l));
            assertThat(byKey).hasSize(poison.size());
            poison.forEach((key, bytes) -> {
                DeadLetter letter = byKey.get(key);
                assertThat(letter).as(key).isNotNull();
                assertThat(letter.getReason()).isEqualTo("UNDECODABLE");
                assertThat(letter.getOriginalValue()).isEqualTo(ByteBuffer.wrap(bytes));
                assertThat(letter.getError()).isNotBlank();
            });
            assertThat(processors).allSatisfy(p -> assertThat(p.isAlive()).as(p.name() + " never crash-loops").isTrue());
        } finally {
            processors.forEach(JavaApp::close);
        }
    }

    /** Three kinds of undecodable value. */
    private static byte[] pill(int kind, Serializer<Object> avro) {
        return switch (kind) {
            case 0 -> "definitely not avro".getBytes(StandardCharsets.UTF_8);
            // Confluent framing with a schema id the registry never issued
            case 1 -> ByteBuffer.allocate(9).put((byte) 0).putInt(987_654_321).put(new byte[] {2, 4, 6, 8}).array();
            // well-formed Avro, but of the TaskResult schema: it cannot be read as a TaskRequest
            default -> avro.serialize(Topics.RESULTS.name(), TaskResult.newBuilder().setTaskId("x").setType("echo").setKey("x")
                    .setStatus(TaskStatus.SUCCEEDED).setAttempts(1).setSubmittedAt(Instant.now()).setStartedAt(Instant.now())
                    .setCompletedAt(Instant.now()).setHeaders(Map.of()).build());
        };
    }

    private static KafkaProducer<String, byte[]> rawProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, rig.stack.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
