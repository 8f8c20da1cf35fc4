package dev.conveyor.bench;

import dev.conveyor.ClusterConfig;
import dev.conveyor.Topics;
import dev.conveyor.internal.serde.AvroSerdes;
import dev.conveyor.schema.TaskRequest;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serializer;

/** The size on the wire of a benchmark task, so the raw ceiling moves records of the same size. */
final class TaskSize {

    private TaskSize() {
    }

    static int serializedBytes(ClusterConfig cluster) {
        TaskRequest task = TaskRequest.newBuilder().setId(UUID.randomUUID().toString()).setType(BenchHandler.TYPE).setKey("k-1234")
                .setPayload("{}").setSubmittedAt(Instant.now()).setAttempt(1).setMaxAttempts(0)
                .setHeaders(Map.of(LatencyChannel.T0, Long.toString(System.nanoTime()))).build();
        try (Serializer<TaskRequest> serializer = AvroSerdes.serializer(cluster)) {
            return serializer.serialize(Topics.TASKS.name(), task).length;
        }
    }
}
