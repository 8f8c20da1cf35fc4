package dev.conveyor.internal.consume;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** The {@link PartitionOffsets} of every partition this instance owns. */
final class OffsetLedger {

    private final Map<TopicPartition, PartitionOffsets> partitions = new ConcurrentHashMap<>();
    /** The metadata each committed offset carries: a {@link dev.conveyor.inspect.CommitNote}, set before each commit. */
    private volatile java.util.function.Function<TopicPartition, String> notes = partition -> "";

    void note(java.util.function.Function<TopicPartition, String> notes) {
        this.notes = notes;
    }

    /** Records that {@code offset} is being worked on; returns the tracker the completion must report to. */
    PartitionOffsets begin(TopicPartition partition, long offset) {
        PartitionOffsets offsets = partitions.computeIfAbsent(partition, p -> new PartitionOffsets());
        offsets.begin(offset);
        return offsets;
    }

    int inFlight(TopicPartition partition) {
        PartitionOffsets offsets = partitions.get(partition);
        return offsets == null ? 0 : offsets.inFlight();
    }

    int waiting(TopicPartition partition) {
        PartitionOffsets offsets = partitions.get(partition);
        return offsets == null ? 0 : offsets.waiting();
    }

    /** Tells each owned partition's tracker whether flow control now holds it paused for being full. */
    void markFull(java.util.function.Predicate<TopicPartition> full) {
        partitions.forEach((partition, offsets) -> offsets.markFull(full.test(partition)));
    }

    boolean owns(TopicPartition partition, PartitionOffsets tracker) {
        return partitions.get(partition) == tracker;
    }

    Map<TopicPartition, OffsetAndMetadata> committable() {
        return committable(partitions.keySet());
    }

    Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
        for (TopicPartition partition : which) {
            PartitionOffsets offsets = partitions.get(partition);
            if (offsets != null) {
                OptionalLong next = offsets.committable();
                if (next.isPresent()) {
                    result.put(partition, new OffsetAndMetadata(next.getAsLong(), notes.apply(partition)));
                }
            }
        }
        return result;
    }

    /** The committable offsets of {@code which} with, in offset order, the outputs that must commit with them. */
    Batch takeBatch(Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(which);
        java.util.List<org.apache.kafka.clients.producer.ProducerRecord<String, org.apache.avro.specific.SpecificRecord>> outputs =
                new java.util.ArrayList<>();
        offsets.forEach((partition, offset) -> outputs.addAll(partitions.get(partition).takeOutputsBelow(offset.offset())));
        return new Batch(offsets, outputs);
    }

    record Batch(Map<TopicPartition, OffsetAndMetadata> offsets,
                 java.util.List<org.apache.kafka.clients.producer.ProducerRecord<String, org.apache.avro.specific.SpecificRecord>> outputs) {
    }

    Collection<TopicPartition> partitions() {
        return java.util.List.copyOf(partitions.keySet());
    }

    void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            PartitionOffsets tracker = partitions.get(partition);
            if (tracker != null) {
                tracker.markCommitted(offset.offset());
            }
        });
    }

    /** Forgets partitions that were revoked or lost; late completions for them are ignored. */
    void forget(Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }
}
