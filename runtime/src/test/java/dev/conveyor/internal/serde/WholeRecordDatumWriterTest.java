package dev.conveyor.internal.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.schema.TaskRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class WholeRecordDatumWriterTest {

    @Test
    void givenARecordThenItsBytesAreThoseOfAvrosOwnWriter() throws IOException {
        // given
        TaskRequest task = task("{\"to\":\"a@example.com\"}");

        // when / then
        assertThat(throughWholeRecordWriter(task)).isEqualTo(throughAvro(task));
    }

    @Test
    void givenARecordLargerThanTheBufferThenItsBytesAreStillThoseOfAvrosOwnWriter() throws IOException {
        // given a payload several times the writer's buffer
        TaskRequest task = task("x".repeat(5_000));

        // when
        byte[] written = throughWholeRecordWriter(task);

        // then
        assertThat(written).hasSizeGreaterThan(5_000).isEqualTo(throughAvro(task));
    }

    @Test
    void givenAJsonEncoderThenTheRecordIsWrittenAsJson() throws IOException {
        // given
        TaskRequest task = task("{}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonEncoder json = EncoderFactory.get().jsonEncoder(TaskRequest.getClassSchema(), out);

        // when
        new WholeRecordDatumWriter<>(new SpecificDatumWriter<TaskRequest>(TaskRequest.getClassSchema())).write(task, json);
        json.flush();

        // then
        assertThat(out.toString()).contains("\"id\":\"t-1\"");
    }

    static byte[] throughWholeRecordWriter(TaskRequest task) throws IOException {
        return encode(new WholeRecordDatumWriter<>(new SpecificDatumWriter<>(TaskRequest.getClassSchema())), task);
    }

    static byte[] throughAvro(TaskRequest task) throws IOException {
        return encode(new SpecificDatumWriter<>(TaskRequest.getClassSchema()), task);
    }

    // Apicurio's serializer writes through an unbuffered encoder on a ByteArrayOutputStream
    static byte[] encode(DatumWriter<TaskRequest> writer, TaskRequest task) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer.write(task, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    static TaskRequest task(String payload) {
        return TaskRequest.newBuilder().setId("t-1").setType("email.send").setKey("customer-7").setPayload(payload)
                .setSubmittedAt(Instant.ofEpochMilli(1_700_000_000_000L)).setAttempt(1).setMaxAttempts(5)
                .setHeaders(Map.of("tenant", "acme", "trace", "abc")).build();
    }
}
