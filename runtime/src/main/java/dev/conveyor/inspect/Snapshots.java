package dev.conveyor.inspect;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/** Assembles a {@link GroupSnapshot} from what Kafka said; pure, so every rule is tested without a broker. */
final class Snapshots {

    private Snapshots() {
    }

    /**
     * @param ends        end offsets of every partition inspected
     * @param starts      log start offsets, at least of the partitions without a usable committed offset
     * @param committed   the group's committed offsets (partitions without one are absent)
     * @param unprocessed what was found at each partition's first unprocessed offset (absent: not read in time)
     */
    static GroupSnapshot assemble(String group, Instant at, List<GroupMember> members, Map<TopicPartition, Long> ends,
                                  Map<TopicPartition, Long> starts, Map<TopicPartition, Long> committed,
                                  Map<TopicPartition, Unprocessed> unprocessed) {
        Map<TopicPartition, String> owners = new HashMap<>();
        members.forEach(m -> m.assignment().forEach(tp -> owners.put(tp, m.memberId())));
        List<PartitionSnapshot> partitions = new ArrayList<>(ends.size());
        ends.forEach((tp, end) -> {
            Long commit = committed.get(tp);
            Unprocessed found = unprocessed.get(tp);
            long lag = found instanceof Unprocessed.Nothing ? 0 : Math.max(0, end - position(tp, starts, committed));
            Optional<Unprocessed.First> first = lag > 0 && found instanceof Unprocessed.First f ? Optional.of(f) : Optional.empty();
            Optional<Duration> latency = lag == 0 ? Optional.of(Duration.ZERO) : first.map(f -> waited(f, at));
            partitions.add(new PartitionSnapshot(tp.topic(), tp.partition(), end,
                    commit == null ? OptionalLong.empty() : OptionalLong.of(commit), lag, first.map(Unprocessed.First::writtenAt),
                    first.flatMap(Unprocessed.First::due), latency, Optional.ofNullable(owners.get(tp))));
        });
        return new GroupSnapshot(group, at, members, partitions);
    }

    /**
     * Where the group resumes: its committed offset, or the log start when it has none or retention
     * deleted the records it points at (the consumer then resets to the earliest, as Conveyor's do).
     */
    static long position(TopicPartition tp, Map<TopicPartition, Long> starts, Map<TopicPartition, Long> committed) {
        long start = starts.getOrDefault(tp, 0L);
        Long commit = committed.get(tp);
        return commit == null ? start : Math.max(commit, start);
    }

    /** A delayed record waits from its due time, any other from when it was written. */
    private static Duration waited(Unprocessed.First first, Instant at) {
        Duration waited = Duration.between(first.due().orElse(first.writtenAt()), at);
        return waited.isNegative() ? Duration.ZERO : waited;
    }
}
