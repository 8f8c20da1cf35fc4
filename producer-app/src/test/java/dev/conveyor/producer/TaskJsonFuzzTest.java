package dev.conveyor.producer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.conveyor.events.TaskEvents;
import dev.conveyor.kafka.TaskRecords;
import dev.conveyor.retry.RetrySettings;
import dev.conveyor.schema.TaskRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Request bodies of {@code POST /tasks}, from a coverage-guided fuzzer (Jazzer): whatever the bytes,
 * the gateway's parser and the task contract either accept a task that the processor accepts in turn
 * ({@link TaskRecords}), or refuse it with the 4xx the gateway answers: {@link InvalidTaskException}
 * (400, naming the field) or {@link PayloadTooLargeException} (413). Any other exception would be a
 * 500, and fails the test. {@code ./mvnw test} replays the inputs under
 * {@code src/test/resources/dev/conveyor/producer/TaskJsonFuzzTestInputs}; {@code JAZZER_FUZZ=1} searches for new
 * ones (README, Hostile input).
 */
class TaskJsonFuzzTest {

    static final int MAX_PAYLOAD_BYTES = 4096;
    // Kafka acknowledges at once; the record the client wrote is read back from the mock, and Avro-encoded
    // as the registry's serializer would, which a value out of the schema's range fails
    static final MockProducer<String, TaskRequest> KAFKA = new MockProducer<>(true, null, new StringSerializer(), TaskJsonFuzzTest::avro);
    static final TaskClient CLIENT = new TaskClient(KAFKA, MAX_PAYLOAD_BYTES, Clock.systemUTC(), new SimpleMeterRegistry(),
            RetrySettings.defaults(), TaskEvents.off());

    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"\"type\":", "\"key\":", "\"payload\":", "\"callbackUrl\":", "\"headers\":", "\"maxAttempts\":",
            "\"timeout\":", "\"delay\":", "\"runAt\":", "\"idempotencyKey\":", "\"echo\"", "\"email.send\"", "conveyor.submitter",
            "https://", "http://[::ffff:127.0.0.1]/", "ms\"", "s\"", "h\"", "d\"", "\"PT", "H\"", "\"2026-12-24T18:00:00Z\"",
            "99999999999999999999", "-1", "1e400", "null", "true"})
    void everyBodyIsATaskTheProcessorAcceptsOrA4xx(byte[] body) {
        // given the body of a request, as the gateway reads it
        TaskSubmission submission;
        try {
            submission = TaskJson.parse(body, "fuzz");
        } catch (InvalidTaskException refused) {
            // then a 400 whose detail names the field (which may be "": a body can name a field so)
            assertThat(refused.field()).isNotNull();
            assertThat(refused.getMessage()).startsWith(refused.field() + ": ");
            return;
        }

        // when the gateway hands it to Kafka
        TaskRequest written;
        try {
            written = submit(submission);
        } catch (PayloadTooLargeException refused) {
            // then a 413
            return;
        }

        // then the task written is one the processor runs, not one it dead-letters as INVALID_RECORD
        assertThat(TaskRecords.problemWith(written, Instant.now())).isNull();
        assertThat(written.getType()).isEqualTo(submission.type());
        assertThat(written.getHeaders()).containsEntry(TaskEvents.SUBMITTER, "fuzz");
    }

    private static TaskRequest submit(TaskSubmission submission) {
        // an idempotency key only adds a claim written in the task's transaction (a real broker's work);
        // the task record is the same, and is what is checked here
        // acknowledged, or failed as the gateway's 503 would say: a task it accepted could not be written
        CLIENT.submitAsync(submission.withIdempotencyKey(null)).join();
        List<ProducerRecord<String, TaskRequest>> sent = KAFKA.history();
        KAFKA.clear();
        assertThat(sent).hasSize(1);
        return sent.get(0).value();
    }

    private static byte[] avro(String topic, TaskRequest task) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<TaskRequest>(TaskRequest.class).write(task, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
