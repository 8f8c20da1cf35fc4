package dev.conveyor.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The build's guard on schema evolution: every schema in {@code src/main/avro} must stay BACKWARD
 * compatible with its last released version in {@code released/} (a reader with the new schema reads
 * what the old one wrote), the rule the registry enforces on every subject. A change that breaks it
 * fails the build here, before any deployed consumer sees a record it cannot read. Releasing a schema
 * means copying it to {@code released/}.
 */
class SchemaEvolutionTest {

    static final Path RELEASED = Path.of("released");
    /** The compiled schemas, by file name: what this build writes. */
    static final Map<String, Schema> CURRENT = Map.of(
            "TaskRequest.avsc", TaskRequest.getClassSchema(),
            "TaskResult.avsc", TaskResult.getClassSchema(),
            "DeadLetter.avsc", DeadLetter.getClassSchema(),
            "TaskEvent.avsc", TaskEvent.getClassSchema(),
            "IdempotencyClaim.avsc", IdempotencyClaim.getClassSchema(),
            "TaskStatusView.avsc", TaskStatusView.getClassSchema(),
            "TaskTypeStats.avsc", TaskTypeStats.getClassSchema());

    @Test
    void givenEachReleasedSchemaThenTheCurrentOneReadsWhatItWrote() throws IOException {
        Map<String, Schema> released = released();

        assertThat(released.keySet()).as("every schema has a released version").containsExactlyInAnyOrderElementsOf(CURRENT.keySet());
        CURRENT.forEach((file, current) -> {
            SchemaCompatibility.SchemaPairCompatibility backward =
                    SchemaCompatibility.checkReaderWriterCompatibility(current, released.get(file));
            assertThat(backward.getType()).as(file + " is BACKWARD compatible with released/" + file + ": " + backward.getDescription())
                    .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        });
    }

    @Test
    void givenARecordWrittenWithTheCurrentSchemaThenAConsumerBuiltWithTheReleasedOneReadsIt() throws IOException {
        // given a task and its result as this build writes them
        Instant at = Instant.parse("2026-06-01T12:00:00Z");
        TaskRequest task = TaskRequest.newBuilder().setId("t-1").setType("email.send").setKey("user-42").setPayload("{\"to\":\"a@b\"}")
                .setSubmittedAt(at).setAttempt(2).setMaxAttempts(5).setCallbackUrl("https://example.com/hook")
                .setHeaders(Map.of("tenant", "acme")).setIdempotencyKey("k-1").build();
        TaskResult result = TaskResult.newBuilder().setTaskId("t-1").setType("email.send").setKey("user-42").setStatus(TaskStatus.FAILED)
                .setAttempts(2).setError("boom").setReason("RETRIES_EXHAUSTED").setSubmittedAt(at).setStartedAt(at).setCompletedAt(at)
                .setHeaders(Map.of()).build();
        Map<String, Schema> released = released();

        // when a consumer whose schema is the released one reads them
        GenericRecord oldTask = readWithOld(task, released.get("TaskRequest.avsc"));
        GenericRecord oldResult = readWithOld(result, released.get("TaskResult.avsc"));

        // then every field it knows has the value written
        for (Schema.Field field : released.get("TaskRequest.avsc").getFields()) {
            assertThat(String.valueOf(oldTask.get(field.name()))).as(field.name()).isEqualTo(String.valueOf(asWritten(task, field.name())));
        }
        assertThat(oldResult.get("status").toString()).isEqualTo("FAILED");
        assertThat(oldResult.get("taskId").toString()).isEqualTo("t-1");
    }

    private static Object asWritten(TaskRequest task, String field) {
        Object value = task.get(field);
        return value instanceof Instant instant ? instant.toEpochMilli() : value;
    }

    private static GenericRecord readWithOld(SpecificRecord record, Schema old) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(record.getSchema(), old)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    }

    /** The released schemas, parsed in one parser: TaskRequest first, since DeadLetter refers to it. */
    static Map<String, Schema> released() throws IOException {
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> schemas = new LinkedHashMap<>();
        List<Path> files;
        try (var listing = Files.list(RELEASED)) {
            files = listing.filter(p -> p.toString().endsWith(".avsc"))
                    .sorted((a, b) -> a.endsWith("TaskRequest.avsc") ? -1 : b.endsWith("TaskRequest.avsc") ? 1 : a.compareTo(b)).toList();
        }
        for (Path file : files) {
            schemas.put(file.getFileName().toString(), parser.parse(Files.readString(file)));
        }
        return schemas;
    }
}
