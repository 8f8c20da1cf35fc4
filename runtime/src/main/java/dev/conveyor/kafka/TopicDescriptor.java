package dev.conveyor.kafka;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * A Conveyor topic: its name, the Avro record every value on it carries, and the topic-level
 * configuration it is created with. Partition counts come from {@link TopicConfig}.
 */
public record TopicDescriptor<V extends SpecificRecord>(String name, Class<V> valueType, Map<String, String> configs) {

    public TopicDescriptor {
        if (name == null || !name.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("invalid topic name: " + name);
        }
        configs = Map.copyOf(configs);
    }

    /** The registry subject (artifact id) of the value schema: Confluent's TopicNameStrategy. */
    public String valueSubject() {
        return name + "-value";
    }
}
