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
 * Proof 3: 1% of the records on {@code tasks} are poison, interleaved with good tasks in the same
 * partitions: garbage bytes, an unknown schema id, a value written with another record's schema, the
 * task schema's id with broken Avro, the task schema's id with an all-zero body (which decodes, into no
 * task), and a length that claims far more bytes than the record holds. Every good task completes;
 * every bad record is in {@code tasks.dlq}, byte for byte, as UNDECODABLE (or INVALID_RECORD for the one
 * that decodes), and nothing else is written for it: no result.
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
        try (TopicTail<TaskResult> results = new TopicTail<>(rig.clients, Topics.RESULTS,
                r -> r.getKey().startsWith(run) || r.getTaskId().isEmpty() || r.getKey().isEmpty());
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
                    value = pill(i / 100 % PILL_KINDS, avro);
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
                assertThat(letter.getReason()).as(key).isEqualTo(isAllZeroTask(bytes) ? "INVALID_RECORD" : "UNDECODABLE");
                assertThat(letter.getOriginalValue()).isEqualTo(ByteBuffer.wrap(bytes));
                assertThat(letter.getError()).isNotBlank();
            });
            assertThat(results.values()).as("results of anything but the good tasks").allSatisfy(r -> assertThat(good).contains(r.getTaskId()));
            assertThat(processors).allSatisfy(p -> assertThat(p.isAlive()).as(p.name() + " never crash-loops").isTrue());
        } finally {
            processors.forEach(JavaApp::close);
        }
    }

    static final int PILL_KINDS = 6;

    /** The kinds of poison. */
    private static byte[] pill(int kind, Serializer<Object> avro) {
        byte[] goodTask = avro.serialize(Topics.TASKS.name(), TaskRequest.newBuilder().setId(UUID.randomUUID().toString()).setType("echo")
                .setKey("k").setPayload("{}").setSubmittedAt(Instant.now()).setAttempt(1).setMaxAttempts(0).setHeaders(Map.of()).build());
        return switch (kind) {
            // the task schema's id, then Avro cut short
            case 3 -> java.util.Arrays.copyOf(goodTask, goodTask.length / 2);
            // the task schema's id, then zeros: empty strings, zero numbers, 1970 times; it decodes
            case 4 -> allZeroTask(goodTask);
            // the task schema's id, then a string length of a gigabyte in a record of a few bytes
            case 5 -> ByteBuffer.allocate(11).put(goodTask, 0, 5).put(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 1})
                    .array();
            case 0 -> "definitely not avro".getBytes(StandardCharsets.UTF_8);
            // Confluent framing with a schema id the registry never issued
            case 1 -> ByteBuffer.allocate(9).put((byte) 0).putInt(987_654_321).put(new byte[] {2, 4, 6, 8}).array();
            // well-formed Avro, but of the TaskResult schema: it cannot be read as a TaskRequest
            default -> avro.serialize(Topics.RESULTS.name(), TaskResult.newBuilder().setTaskId("x").setType("echo").setKey("x")
                    .setStatus(TaskStatus.SUCCEEDED).setAttempts(1).setSubmittedAt(Instant.now()).setStartedAt(Instant.now())
                    .setCompletedAt(Instant.now()).setHeaders(Map.of()).build());
        };
    }

    private static byte[] allZeroTask(byte[] goodTask) {
        byte[] zeros = new byte[64];
        System.arraycopy(goodTask, 0, zeros, 0, 5);
        return zeros;
    }

    private static boolean isAllZeroTask(byte[] pill) {
        if (pill.length != 64 || pill[0] != 0) {
            return false;
        }
        for (int i = 5; i < pill.length; i++) {
            if (pill[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static KafkaProducer<String, byte[]> rawProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, rig.stack.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
