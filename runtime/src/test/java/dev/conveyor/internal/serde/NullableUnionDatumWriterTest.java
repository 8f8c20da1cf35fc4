package dev.conveyor.internal.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class NullableUnionDatumWriterTest {

    static final Instant AT = Instant.ofEpochMilli(1_700_000_000_000L);

    @Test
    void givenOptionalFieldsBothSetAndUnsetThenTheBytesAreThoseOfAvrosOwnWriter() throws IOException {
        // given a request with a logical-type optional field set and a result with some optional fields unset
        TaskRequest request = WholeRecordDatumWriterTest.task("{}");
        request.setRunAt(AT.plusSeconds(60));
        request.setTimeoutMs(1_500L);
        request.setCallbackUrl(null);
        TaskResult result = TaskResult.newBuilder().setTaskId("t-1").setType("echo").setKey("k").setStatus(TaskStatus.FAILED)
                .setAttempts(3).setOutput(null).setError("java.io.IOException: down").setReason("RETRIES_EXHAUSTED")
                .setSubmittedAt(AT).setStartedAt(AT).setCompletedAt(AT).setCallbackUrl("http://example.com/hook")
                .setHeaders(Map.of("tenant", "acme")).build();

        // when / then
        assertThat(encode(new NullableUnionDatumWriter<>(TaskRequest.getClassSchema()), request))
                .isEqualTo(encode(new SpecificDatumWriter<>(TaskRequest.getClassSchema()), request));
        assertThat(encode(new NullableUnionDatumWriter<>(TaskResult.getClassSchema()), result))
                .isEqualTo(encode(new SpecificDatumWriter<>(TaskResult.getClassSchema()), result));
    }

    @Test
    void givenAUnionWithoutNullThenAvroChoosesTheBranch() throws IOException {
        // given a field that is a string or a long
        Schema schema = SchemaBuilder.record("Either").fields()
                .name("value").type().unionOf().stringType().and().longType().endUnion().noDefault()
                .endRecord();
        GenericRecord text = new GenericData.Record(schema);
        text.put("value", "seven");
        GenericRecord number = new GenericData.Record(schema);
        number.put("value", 7L);

        // when / then each value is written with its own branch, as Avro's generic writer does
        for (GenericRecord record : java.util.List.of(text, number)) {
            assertThat(encode(new NullableUnionDatumWriter<>(schema), record))
                    .isEqualTo(encode(new GenericDatumWriter<>(schema), record));
        }
    }

    static <T> byte[] encode(DatumWriter<T> writer, T datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer.write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
