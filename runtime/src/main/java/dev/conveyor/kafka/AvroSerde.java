package dev.conveyor.kafka;

import dev.conveyor.internal.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Conveyor's value serde for code that builds its own Kafka clients (Kafka Streams): Avro in Confluent
 * wire format through the registry, with the cluster's registry security, exactly as
 * {@link KafkaClients} writes and reads every topic.
 */
public final class AvroSerde {

    private AvroSerde() {
    }

    public static <V> Serde<V> of(ClusterConfig cluster) {
        return Serdes.serdeFrom(AvroSerdes.serializer(cluster), AvroSerdes.deserializer(cluster));
    }
}
