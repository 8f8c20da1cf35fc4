package dev.conveyor.internal.consume;

import dev.conveyor.kafka.TaskRecords;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import java.time.Clock;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a fetched record's bytes into its value. A record no attempt could ever decode, or one that
 * decodes into no valid task or result, is an {@link UndecodableRecordException}; an unreachable
 * registry is thrown as it is, so the attempt fails and is tried again instead of dead-lettering a good
 * record.
 */
final class RecordDecoder<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecordDecoder.class);

    private final String name;
    private final Deserializer<V> deserializer;
    private final Class<V> valueType;
    private final Clock clock;

    RecordDecoder(String name, Deserializer<V> deserializer, Class<V> valueType, Clock clock) {
        this.name = name;
        this.deserializer = deserializer;
        this.valueType = valueType;
        this.clock = clock;
    }

    ConsumerRecord<String, V> decode(ConsumerRecord<String, byte[]> raw) {
        V value = value(raw);
        String problem = problemWith(value);
        if (problem != null) {
            throw UndecodableRecordException.invalid(raw.value(), problem);
        }
        return new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), raw.timestamp(), raw.timestampType(),
                raw.serializedKeySize(), raw.serializedValueSize(), raw.key(), value, raw.headers(), raw.leaderEpoch());
    }

    private V value(ConsumerRecord<String, byte[]> raw) {
        if (raw.value() == null) {
            throw new UndecodableRecordException(null, null);
        }
        try {
            // the schema id is in the value (Confluent wire format), so the headers are not read: scanning
            // them for Apicurio's encoding header decodes every header key to a String, per record
            Object any = deserializer.deserialize(raw.topic(), raw.value());
            if (!valueType.isInstance(any)) {
                // well-formed, but written with another record's schema: it would fail in every attempt
                throw new IllegalArgumentException("written with the schema of " + describe(any)
                        + ", which cannot be read as " + valueType.getName());
            }
            return valueType.cast(any);
        } catch (RuntimeException e) {
            if (TransientFailures.isTransient(e)) {
                LOG.warn("{}: cannot decode {}-{}@{} yet (schema registry unreachable: {}); retrying", name, raw.topic(),
                        raw.partition(), raw.offset(), e.getMessage());
                throw e;
            }
            throw new UndecodableRecordException(raw.value(), e);
        }
    }

    /** Tasks and results are checked ({@link TaskRecords}); other records are taken as they decode. */
    private String problemWith(V value) {
        if (value instanceof TaskRequest task) {
            return TaskRecords.problemWith(task, clock.instant());
        }
        return value instanceof TaskResult result ? TaskRecords.problemWith(result, clock.instant()) : null;
    }

    private static String describe(Object decoded) {
        if (decoded instanceof GenericContainer container) {
            return container.getSchema().getFullName();
        }
        return decoded == null ? "nothing" : decoded.getClass().getName();
    }

    /** The deserializer holds a registry client with threads of its own. */
    @Override
    public void close() {
        try {
            deserializer.close();
        } catch (RuntimeException e) {
            LOG.warn("{}: closing the value deserializer failed", name, e);
        }
    }
}
