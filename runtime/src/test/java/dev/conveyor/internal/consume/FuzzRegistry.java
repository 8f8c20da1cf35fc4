package dev.conveyor.internal.consume;

import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import io.apicurio.registry.resolver.DefaultSchemaResolver;
import io.apicurio.registry.resolver.ParsedSchemaImpl;
import io.apicurio.registry.resolver.SchemaLookupResult;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * The schema registry as the decoder fuzz test sees it, in memory: Apicurio's resolver answering the
 * content ids below without a network round trip, so every fuzzed value is decoded by the real
 * deserializer in microseconds. An id it does not know fails as an unknown id does. Apicurio creates
 * it from its class name ({@code apicurio.registry.schema-resolver}).
 */
public final class FuzzRegistry extends DefaultSchemaResolver<Schema, Object> {

    /** The current schemas. */
    public static final int TASK = 1;
    public static final int RESULT = 2;
    public static final int DEAD_LETTER = 3;
    /** A writer of tasks with the first fields only: the reader fills in the defaults of the others. */
    public static final int OLD_TASK = 4;
    /** A writer of tasks whose payload may be null, which the reader's string refuses when it is. */
    public static final int NULLABLE_PAYLOAD_TASK = 5;

    private static final Map<Long, SchemaLookupResult<Schema>> SCHEMAS = Map.of(
            (long) TASK, lookup(TASK, TaskRequest.getClassSchema()),
            (long) RESULT, lookup(RESULT, TaskResult.getClassSchema()),
            (long) DEAD_LETTER, lookup(DEAD_LETTER, DeadLetter.getClassSchema()),
            (long) OLD_TASK, lookup(OLD_TASK, task("""
                    {"name": "id", "type": "string"}, {"name": "type", "type": "string"}, {"name": "key", "type": "string"},
                    {"name": "submittedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}}""")),
            (long) NULLABLE_PAYLOAD_TASK, lookup(NULLABLE_PAYLOAD_TASK, task("""
                    {"name": "id", "type": "string"}, {"name": "type", "type": "string"}, {"name": "key", "type": "string"},
                    {"name": "payload", "type": ["null", "string"]},
                    {"name": "submittedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                    {"name": "attempt", "type": "int"}, {"name": "headers", "type": {"type": "map", "values": "string"}}""")));

    public FuzzRegistry() {
        super();
    }

    @Override
    protected SchemaLookupResult<Schema> resolveSchemaByContentId(long contentId) {
        SchemaLookupResult<Schema> known = SCHEMAS.get(contentId);
        if (known == null) {
            throw new IllegalStateException("the registry has no content with id " + contentId);
        }
        return known;
    }

    public static Schema schema(int contentId) {
        return SCHEMAS.get((long) contentId).getParsedSchema().getParsedSchema();
    }

    private static SchemaLookupResult<Schema> lookup(long contentId, Schema schema) {
        return SchemaLookupResult.<Schema>builder().contentId(contentId)
                .parsedSchema(new ParsedSchemaImpl<Schema>().setParsedSchema(schema).setRawSchema(schema.toString().getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    /** Another writer's schema of {@code dev.conveyor.schema.TaskRequest}, with these fields. */
    private static Schema task(String fields) {
        return new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"TaskRequest\", \"namespace\": \"dev.conveyor.schema\","
                + " \"fields\": [" + fields + "]}");
    }
}
