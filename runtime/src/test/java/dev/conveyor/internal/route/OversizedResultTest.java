package dev.conveyor.internal.route;

import static dev.conveyor.internal.route.OutcomeRouterTest.NOW;
import static dev.conveyor.internal.route.OutcomeRouterTest.TIERS;
import static dev.conveyor.internal.route.OutcomeRouterTest.record;
import static dev.conveyor.internal.route.OutcomeRouterTest.result;
import static dev.conveyor.internal.route.OutcomeRouterTest.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.RecordOutcome;
import dev.conveyor.events.EventSettings;
import dev.conveyor.events.TaskEvents;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.retry.RetryTiers;
import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskEventKind;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

/** A handler output too large for a Kafka record fails its task instead of being sent (and refused, and redone, for ever). */
class OversizedResultTest {

    final OutcomeRouter router = new OutcomeRouter(RetryTiers.forTasks(TIERS), new SimpleMeterRegistry(), Clock.fixed(NOW, ZoneOffset.UTC),
            new TaskEvents(EventSettings.defaults(), "test", Clock.fixed(NOW, ZoneOffset.UTC)));

    @Test
    void givenAnOutputOfTwoMebibytesThenTheTaskIsDeadLetteredAndFailsWithoutItsOutput() {
        // given a handler's result whose output is twice what a record may hold
        ConsumerRecord<String, ?> input = record("tasks", 1, 7, task(1), new RecordHeaders());
        TaskResult huge = TaskResult.newBuilder(result(task(1))).setOutput("\"" + "x".repeat(2 * 1024 * 1024) + "\"").build();

        // when
        List<ProducerRecord<String, SpecificRecord>> out = router.route(input, RecordOutcome.result(huge));

        // then the letter first, then the FAILED result, each with its event, and nothing of the output
        assertThat(out).extracting(ProducerRecord::topic).containsExactly("tasks.dlq", "tasks.events", "tasks.results", "tasks.events");
        DeadLetter letter = (DeadLetter) out.get(0).value();
        assertThat(letter.getReason()).isEqualTo("OUTPUT_TOO_LARGE");
        assertThat(letter.getRequest().getId()).isEqualTo("t-1");
        assertThat(letter.getError()).contains("more than the 1048576 bytes a record may have (max.request.size)")
                .contains("output of 2097154 bytes is dropped");
        TaskResult failed = (TaskResult) out.get(2).value();
        assertThat(failed.getStatus()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.getReason()).isEqualTo("OUTPUT_TOO_LARGE");
        assertThat(failed.getOutput()).isNull();
        assertThat(failed.getError()).isEqualTo(letter.getError());
        assertThat(((TaskEvent) out.get(1).value()).getKind()).isEqualTo(TaskEventKind.DEAD_LETTERED);
        assertThat(((TaskEvent) out.get(3).value()).getKind()).isEqualTo(TaskEventKind.FAILED);
        assertThat(new RecordSizeLimit(KafkaClients.MAX_REQUEST_BYTES).oversize(out.get(2))).as("the failed result fits").isEqualTo(-1);
    }

    @Test
    void givenAnOutputJustUnderTheLimitThenItIsTheSucceededResult() {
        // given an output that leaves the result a few hundred bytes below 1 MiB
        ConsumerRecord<String, ?> input = record("tasks", 1, 7, task(1), new RecordHeaders());
        TaskResult large = TaskResult.newBuilder(result(task(1))).setOutput("\"" + "é".repeat(523_000) + "\"").build();

        // when
        List<ProducerRecord<String, SpecificRecord>> out = router.route(input, RecordOutcome.result(large));

        // then
        assertThat(out).extracting(ProducerRecord::topic).containsExactly("tasks.results", "tasks.events");
        assertThat(((TaskResult) out.get(0).value()).getStatus()).isEqualTo(TaskStatus.SUCCEEDED);
    }

    @Test
    void givenRecordsAroundTheLimitThenTheSizeIsWhatTheProducerComputesBeforeSending() throws Exception {
        for (int chars : new int[] {0, 1, 100, 300_000, 1_048_000, 1_048_400, 2_000_000}) {
            // given a result with headers, as the router writes one
            TaskResult value = TaskResult.newBuilder(result(task(1))).setOutput("ü".repeat(chars / 2))
                    .setHeaders(Map.of("tenant", "acme")).build();
            RecordHeaders headers = new RecordHeaders();
            headers.add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));
            ProducerRecord<String, SpecificRecord> record = new ProducerRecord<>("tasks.results", null, "user-1", value, headers);

            // when Kafka's producer measures it (its value: 5 bytes of wire format, then Avro)
            int kafka = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.LZ4,
                    ByteBuffer.wrap("user-1".getBytes(StandardCharsets.UTF_8)), ByteBuffer.wrap(wireFormat(value)), headers.toArray());

            // then the limit agrees to the byte (a Kafka upgrade that changes its measure fails here)
            RecordSizeLimit limit = new RecordSizeLimit(kafka);
            assertThat(limit.oversize(record)).as("%d chars", chars).isEqualTo(-1);
            assertThat(new RecordSizeLimit(kafka - 1).oversize(record)).as("%d chars", chars).isEqualTo(kafka);
            assertThat(RecordSizeLimit.upperBound(value)).isGreaterThanOrEqualTo(RecordSizeLimit.avroBytes(value));
        }
    }

    private static byte[] wireFormat(SpecificRecord value) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, 0, 0, 0, 42});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(value.getSchema()).write(value, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
