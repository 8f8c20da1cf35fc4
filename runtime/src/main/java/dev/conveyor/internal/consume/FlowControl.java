package dev.conveyor.internal.consume;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides which partitions to pause: all of them while the instance has too much in flight,
 * one partition while it has too much in flight, and any partition told to back off until a time.
 * Pausing resumes only below a low watermark (half the limit), so the consumer does not flap.
 * Records that wait on something other than the instance's threads do not count towards the low
 * watermark: those waiting for an earlier record of their key, and those whose handler has
 * returned and whose outputs wait for Kafka's acknowledgement. Behind slow tasks they can be more
 * than half the limit, and counting them would keep the instance paused with nothing it could run
 * (every running handler asleep, the rest waiting for their keys or for acknowledgements), or a
 * partition from taking other keys' records behind one slow key until it ended. The limits themselves
 * still count every record, so memory stays bounded.
 * Pure: the poll loop applies the decision, which also makes pausing survive rebalances.
 */
final class FlowControl {

    private final int maxInFlight;
    private final int maxPerPartition;
    private final Map<TopicPartition, Instant> backoffUntil = new HashMap<>();
    private final Set<TopicPartition> fullPartitions = new HashSet<>();
    private boolean instanceFull;

    FlowControl(int maxInFlight, int maxPerPartition) {
        this.maxInFlight = maxInFlight;
        this.maxPerPartition = maxPerPartition;
    }

    /** In-flight records of the instance at which a full instance resumes. */
    int instanceLowWatermark() {
        return maxInFlight / 2;
    }

    /**
     * Whether a full instance may fetch again: below its limit, with little left for its threads to do.
     *
     * @param waiting records of {@code inFlight} waiting for their key or for Kafka's acknowledgement
     */
    boolean canResumeInstance(int inFlight, int waiting) {
        return inFlight < maxInFlight && inFlight - waiting <= instanceLowWatermark();
    }

    boolean instanceFull() {
        return instanceFull;
    }

    /** In-flight records of a partition at which the full partition resumes. */
    int partitionLowWatermark() {
        return maxPerPartition / 2;
    }

    /**
     * Whether a full partition may fetch again: below its limit, with little left for the threads to do.
     *
     * @param waiting records of {@code inFlight} waiting for their key or for Kafka's acknowledgement
     */
    boolean canResumePartition(int inFlight, int waiting) {
        return inFlight < maxPerPartition && inFlight - waiting <= partitionLowWatermark();
    }

    /** Whether the partition is paused for being full, as of the last {@link #pausedAmong}. */
    boolean partitionFull(TopicPartition partition) {
        return fullPartitions.contains(partition);
    }

    /** When the earliest backoff ends, if any partition is backing off. */
    Optional<Instant> nextBackoffEnd() {
        return backoffUntil.values().stream().min(Instant::compareTo);
    }

    void backOff(TopicPartition partition, Instant until) {
        backoffUntil.merge(partition, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> {
            backoffUntil.remove(p);
            fullPartitions.remove(p);
        });
    }

    /**
     * @param waiting   records of {@code inFlight} that need none of the instance's threads now: not started
     *                  because an earlier record of their key has not finished, or handled and waiting for
     *                  Kafka to acknowledge their outputs; pausing longer would not let them finish sooner
     * @param waitingOf the same, of one partition
     */
    Set<TopicPartition> pausedAmong(Collection<TopicPartition> assigned, int inFlight, int waiting,
                                    ToIntFunction<TopicPartition> inFlightOf, ToIntFunction<TopicPartition> waitingOf, Instant now) {
        if (inFlight >= maxInFlight) {
            instanceFull = true;
        } else if (canResumeInstance(inFlight, waiting)) {
            instanceFull = false;
        }
        backoffUntil.values().removeIf(until -> !until.isAfter(now));
        Set<TopicPartition> paused = new HashSet<>();
        for (TopicPartition partition : assigned) {
            int partitionInFlight = inFlightOf.applyAsInt(partition);
            if (partitionInFlight >= maxPerPartition) {
                fullPartitions.add(partition);
            } else if (canResumePartition(partitionInFlight, waitingOf.applyAsInt(partition))) {
                fullPartitions.remove(partition);
            }
            if (instanceFull || fullPartitions.contains(partition) || backoffUntil.containsKey(partition)) {
                paused.add(partition);
            }
        }
        return paused;
    }
}
