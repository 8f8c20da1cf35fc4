package dev.conveyor.producer.status;

import dev.conveyor.kafka.AvroSerde;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskStatusView;
import dev.conveyor.schema.TaskTypeStats;
import org.apache.kafka.common.serialization.Serde;

/** The values the status view reads and keeps: events from their topic, and the two stores' values. */
public record StatusSerdes(Serde<TaskEvent> events, Serde<TaskStatusView> statuses, Serde<TaskTypeStats> stats) {

    /**
     * Through the registry, like every other Conveyor value: the stores' changelogs are Avro in
     * Confluent wire format under their own {@code <changelog>-value} subjects.
     */
    public static StatusSerdes registry(ClusterConfig cluster) {
        return new StatusSerdes(AvroSerde.of(cluster), AvroSerde.of(cluster), AvroSerde.of(cluster));
    }
}
