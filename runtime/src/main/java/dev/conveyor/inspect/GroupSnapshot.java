package dev.conveyor.inspect;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a consumer group has left to do, at one moment: its members and each partition of the topics
 * inspected ({@link PartitionSnapshot}), ordered by topic and partition. The per-topic figures are
 * what the gauges export: lag summed over partitions, queue latency the maximum.
 *
 * @param group      the consumer group
 * @param at         when the snapshot was taken (queue latencies are measured to this instant)
 * @param members    the group's members; empty when no instance runs
 * @param partitions every partition of the inspected topics
 */
public record GroupSnapshot(String group, Instant at, List<GroupMember> members, List<PartitionSnapshot> partitions) {

    public GroupSnapshot {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(at, "at");
        members = List.copyOf(members);
        partitions = partitions.stream()
                .sorted(Comparator.comparing(PartitionSnapshot::topic).thenComparingInt(PartitionSnapshot::partition)).toList();
    }

    /** The topics inspected, in order. */
    public Set<String> topics() {
        Set<String> topics = new LinkedHashSet<>();
        partitions.forEach(p -> topics.add(p.topic()));
        return topics;
    }

    public List<PartitionSnapshot> partitions(String topic) {
        return partitions.stream().filter(p -> p.topic().equals(topic)).toList();
    }

    /** Records of {@code topic} the group has not committed yet, over all partitions. */
    public long lag(String topic) {
        return partitions(topic).stream().mapToLong(PartitionSnapshot::lag).sum();
    }

    /**
     * The longest any partition's first unprocessed record of {@code topic} has waited; zero when none waits,
     * empty when records wait and none of their first records was read in time.
     */
    public Optional<Duration> queueLatency(String topic) {
        List<PartitionSnapshot> of = partitions(topic);
        Optional<Duration> longest = of.stream().flatMap(p -> p.queueLatency().stream()).max(Comparator.naturalOrder());
        boolean unknown = of.stream().anyMatch(p -> p.queueLatency().isEmpty());
        return longest.isPresent() || unknown ? longest : Optional.of(Duration.ZERO);
    }

    /** In a delay tier, when the earliest waiting record is due; empty when none waits. */
    public Optional<Instant> nextDue(String topic) {
        return partitions(topic).stream().flatMap(p -> p.nextDue().stream()).min(Comparator.naturalOrder());
    }
}
