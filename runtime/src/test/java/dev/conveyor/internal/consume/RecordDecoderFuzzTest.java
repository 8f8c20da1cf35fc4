package dev.conveyor.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.conveyor.RecordOutcome;
import dev.conveyor.internal.route.OutcomeRouter;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.TaskRecords;
import dev.conveyor.retry.DeadLetterReason;
import dev.conveyor.retry.RetrySettings;
import dev.conveyor.retry.RetryTiers;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Record values from a coverage-guided fuzzer (Jazzer), decoded as the processor decodes {@code tasks}
 * and the notifier {@code tasks.results}: through Apicurio's deserializer, Conveyor's datum provider and
 * decoding limits, and {@link TaskRecords}, with a registry that knows the current and the released
 * schemas ({@link FuzzRegistry}). Whatever the bytes, a value is a record that passes {@link TaskRecords},
 * or an {@link UndecodableRecordException} with a reason and a message whose dead letter the router can
 * build and Avro can encode; no other exception or error (an {@link OutOfMemoryError}, a
 * {@link StackOverflowError}). {@code ./mvnw test} replays the inputs under
 * {@code src/test/resources/dev/conveyor/internal/consume/RecordDecoderFuzzTestInputs}; {@code JAZZER_FUZZ=1}
 * searches for new ones (README, Hostile input).
 */
class RecordDecoderFuzzTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final RecordDecoder<TaskRequest> TASKS = new RecordDecoder<>("fuzz", deserializer(), TaskRequest.class, CLOCK);
    static final RecordDecoder<TaskResult> RESULTS = new RecordDecoder<>("fuzz", deserializer(), TaskResult.class, CLOCK);
    static final OutcomeRouter ROUTER = new OutcomeRouter(RetryTiers.forTasks(RetrySettings.defaults()), new SimpleMeterRegistry(), CLOCK);

    @FuzzTest(maxDuration = "5m")
    void everyTaskValueIsATaskOrADeadLetterWithAReason(byte[] value) {
        decodeOrDeadLetter(TASKS, "tasks", value);
    }

    @FuzzTest(maxDuration = "5m")
    void everyResultValueIsAResultOrADeadLetterWithAReason(byte[] value) {
        decodeOrDeadLetter(RESULTS, "tasks.results", value);
    }

    private static <V> void decodeOrDeadLetter(RecordDecoder<V> decoder, String topic, byte[] value) {
        // given a record as the consumer fetches it
        ConsumerRecord<String, byte[]> raw = new ConsumerRecord<>(topic, 0, 42L, "key", value);

        // when
        ConsumerRecord<String, V> decoded;
        try {
            decoded = decoder.decode(raw);
        } catch (UndecodableRecordException poisonPill) {
            // then a dead letter with its reason, its bytes and what the decoder said
            assertThat(poisonPill.reason()).isIn(DeadLetterReason.UNDECODABLE, DeadLetterReason.INVALID_RECORD);
            assertThat(poisonPill.getMessage()).isNotBlank();
            written(ROUTER.writeUndecodable(raw, poisonPill.reason(), poisonPill, RecordDecoderFuzzTest::encode));
            return;
        }

        // then a record no later step refuses: valid, and routable to a dead letter should its handler give up
        Object record = decoded.value();
        assertThat(record instanceof TaskRequest task ? TaskRecords.problemWith(task, NOW)
                : TaskRecords.problemWith((TaskResult) record, NOW)).isNull();
        written(ROUTER.write(decoded, new RecordOutcome.GiveUp(DeadLetterReason.NON_RETRYABLE, "fuzzed", null, null),
                RecordDecoderFuzzTest::encode));
    }

    private static void written(java.util.concurrent.CompletionStage<?> stage) {
        assertThat(stage.toCompletableFuture()).isCompleted();
        stage.toCompletableFuture().join();
    }

    /** What the producer's serializer does with a record, short of the registry: Avro-encode its value. */
    private static CompletableFuture<Object> encode(ProducerRecord<String, SpecificRecord> record) {
        SpecificRecord value = record.value();
        try {
            new SpecificDatumWriter<SpecificRecord>(value.getSchema()).write(value,
                    EncoderFactory.get().directBinaryEncoder(OutputStream.nullOutputStream(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return CompletableFuture.completedFuture(null);
    }

    private static <V> Deserializer<V> deserializer() {
        Map<String, Object> config = new java.util.HashMap<>(
                dev.conveyor.internal.serde.AvroSerdes.config(new ClusterConfig("127.0.0.1:9092", "http://127.0.0.1:9")));
        config.put("apicurio.registry.schema-resolver", FuzzRegistry.class.getName());
        AvroKafkaDeserializer<V> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(config, false);
        return deserializer;
    }
}
