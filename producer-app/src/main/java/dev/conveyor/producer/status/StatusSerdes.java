package dev.conveyor.producer.status;

import dev.conveyor.internal.serde.AvroSerdes;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskStatusView;
import dev.conveyor.schema.TaskTypeStats;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The values the status view reads and keeps: events from their topic, and the two stores' values. */
public record StatusSerdes(Serde<TaskEvent> events, Serde<TaskStatusView> statuses, Serde<TaskTypeStats> stats) {

    /**
     * Through the registry, like every other Conveyor value: the stores' changelogs are Avro in
     * Confluent wire format under their own {@code <changelog>-value} subjects.
     */
    public static StatusSerdes registry(ClusterConfig cluster) {
        return new StatusSerdes(avro(cluster), avro(cluster), avro(cluster));
    }

    private static <V> Serde<V> avro(ClusterConfig cluster) {
        return Serdes.serdeFrom(AvroSerdes.serializer(cluster), AvroSerdes.deserializer(cluster));
    }
}
