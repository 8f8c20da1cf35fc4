package dev.conveyor.inspect;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One partition as a consumer group sees it at the snapshot's time.
 *
 * @param topic           the topic
 * @param partition       the partition
 * @param endOffset       the offset the next record will get (read committed: open transactions not included)
 * @param committedOffset the group's committed offset; empty when the group has committed none, and then it
 *                        starts from the log start ({@code auto.offset.reset=earliest})
 * @param lag             records written and not yet committed by the group (records waiting); transaction
 *                        markers past the last record do not count
 * @param oldestWrittenAt when the first unprocessed record was written; empty when none waits or it was not
 *                        read in time
 * @param nextDue         in a delay tier, when the first unprocessed record is due (its retry header); empty
 *                        outside the tiers and when none waits
 * @param queueLatency    how long the first unprocessed record has waited to be processed: since it was
 *                        written, or in a delay tier since it became due (zero before). Zero when none waits,
 *                        empty when records wait but the first was not read in time
 * @param memberId        the member the partition is assigned to; empty when none is
 */
public record PartitionSnapshot(String topic, int partition, long endOffset, OptionalLong committedOffset, long lag,
                                Optional<Instant> oldestWrittenAt, Optional<Instant> nextDue, Optional<Duration> queueLatency,
                                Optional<String> memberId) {

    public PartitionSnapshot {
        Objects.requireNonNull(topic, "topic");
        if (lag < 0) {
            throw new IllegalArgumentException("lag must not be negative, was " + lag);
        }
    }
}
