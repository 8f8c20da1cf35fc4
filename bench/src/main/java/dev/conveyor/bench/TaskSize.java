package dev.conveyor.bench;

import dev.conveyor.kafka.ClusterConfig;

/** The size on the wire of a benchmark task, so the raw ceiling moves records of the same size. */
final class TaskSize {

    private TaskSize() {
    }

    static int serializedBytes(ClusterConfig cluster) {
        // a key of the benchmark's typical length ("k-1234"), a send time of today's magnitude
        try (ConveyorRecords records = new ConveyorRecords(cluster)) {
            return records.source(1_234, System.nanoTime()).length;
        }
    }
}
