package dev.conveyor.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class SnapshotsTest {

    static final Instant AT = Instant.parse("2026-06-01T12:00:00Z");
    static final TopicPartition TASKS_0 = new TopicPartition("tasks", 0);
    static final TopicPartition TASKS_1 = new TopicPartition("tasks", 1);
    static final TopicPartition TIER_0 = new TopicPartition("tasks.retry.5s", 0);

    @Test
    void givenCommittedOffsetsBehindTheEndThenLagIsTheirDifferenceSummedAndQueueLatencyTheOldestWait() {
        // given two partitions with 5 and 3 records waiting, written 40 s and 7 s ago
        Map<TopicPartition, Long> ends = Map.of(TASKS_0, 105L, TASKS_1, 53L);
        Map<TopicPartition, Long> committed = Map.of(TASKS_0, 100L, TASKS_1, 50L);
        Map<TopicPartition, Unprocessed> first = Map.of(
                TASKS_0, new Unprocessed.First(AT.minusSeconds(40), Optional.empty()),
                TASKS_1, new Unprocessed.First(AT.minusSeconds(7), Optional.empty()));

        // when
        GroupSnapshot snapshot = Snapshots.assemble("g", AT, List.of(), ends, Map.of(), committed, first);

        // then
        assertThat(snapshot.lag("tasks")).isEqualTo(8);
        assertThat(snapshot.queueLatency("tasks")).contains(Duration.ofSeconds(40));
        assertThat(snapshot.partitions("tasks")).extracting(PartitionSnapshot::committedOffset)
                .containsExactly(OptionalLong.of(100), OptionalLong.of(50));
        assertThat(snapshot.partitions("tasks").get(0).oldestWrittenAt()).contains(AT.minusSeconds(40));
    }

    @Test
    void givenACaughtUpGroupThenNoLagAndNoLatency() {
        GroupSnapshot snapshot = Snapshots.assemble("g", AT, List.of(), Map.of(TASKS_0, 100L), Map.of(), Map.of(TASKS_0, 100L), Map.of());

        assertThat(snapshot.lag("tasks")).isZero();
        assertThat(snapshot.queueLatency("tasks")).contains(Duration.ZERO);
        assertThat(snapshot.partitions().getFirst().oldestWrittenAt()).isEmpty();
    }

    @Test
    void givenNoCommittedOffsetThenTheGroupStartsFromTheLogStart() {
        GroupSnapshot snapshot = Snapshots.assemble("g", AT, List.of(), Map.of(TASKS_0, 100L), Map.of(TASKS_0, 90L), Map.of(), Map.of());

        assertThat(snapshot.lag("tasks")).isEqualTo(10);
        assertThat(snapshot.partitions().getFirst().committedOffset()).isEmpty();
    }

    @Test
    void givenACommittedOffsetBelowTheLogStartThenTheDeletedRecordsDoNotCount() {
        GroupSnapshot snapshot = Snapshots.assemble("g", AT, List.of(), Map.of(TASKS_0, 100L), Map.of(TASKS_0, 90L),
                Map.of(TASKS_0, 20L), Map.of());

        assertThat(snapshot.lag("tasks")).isEqualTo(10);
    }

    @Test
    void givenOnlyATransactionMarkerAfterTheCommittedOffsetThenNothingWaits() {
        GroupSnapshot snapshot = Snapshots.assemble("g", AT, List.of(), Map.of(TASKS_0, 101L), Map.of(), Map.of(TASKS_0, 100L),
                Map.of(TASKS_0, new Unprocessed.Nothing()));

        assertThat(snapshot.lag("tasks")).isZero();
        assertThat(snapshot.queueLatency("tasks")).contains(Duration.ZERO);
    }

    @Test
    void givenRecordsWaitingWhoseFirstWasNotReadThenTheQueueLatencyIsUnknown() {
        GroupSnapshot snapshot = Snapshots.assemble("g", AT, List.of(), Map.of(TASKS_0, 105L), Map.of(), Map.of(TASKS_0, 100L), Map.of());

        assertThat(snapshot.lag("tasks")).isEqualTo(5);
        assertThat(snapshot.queueLatency("tasks")).isEmpty();
    }

    @Test
    void givenARetryNotDueYetThenItWaitsWithoutLatencyAndSaysWhenItIsDue() {
        // given a retry written 3 s ago, due in 2 s
        Map<TopicPartition, Unprocessed> first = Map.of(TIER_0, new Unprocessed.First(AT.minusSeconds(3), Optional.of(AT.plusSeconds(2))));

        GroupSnapshot snapshot = Snapshots.assemble("g", AT, List.of(), Map.of(TIER_0, 11L), Map.of(), Map.of(TIER_0, 10L), first);

        assertThat(snapshot.lag("tasks.retry.5s")).isOne();
        assertThat(snapshot.nextDue("tasks.retry.5s")).contains(AT.plusSeconds(2));
        assertThat(snapshot.queueLatency("tasks.retry.5s")).contains(Duration.ZERO);
    }

    @Test
    void givenARetryPastItsDueTimeThenItsLatencyCountsFromTheDueTime() {
        Map<TopicPartition, Unprocessed> first = Map.of(TIER_0, new Unprocessed.First(AT.minusSeconds(30), Optional.of(AT.minusSeconds(4))));

        GroupSnapshot snapshot = Snapshots.assemble("g", AT, List.of(), Map.of(TIER_0, 11L), Map.of(), Map.of(TIER_0, 10L), first);

        assertThat(snapshot.queueLatency("tasks.retry.5s")).contains(Duration.ofSeconds(4));
    }

    @Test
    void givenMembersThenEachPartitionNamesTheMemberItIsAssignedTo() {
        GroupMember one = new GroupMember("m-1", "processor-1", java.util.Optional.of("processor-1"), "/10.0.0.1", List.of(TASKS_0));

        GroupSnapshot snapshot = Snapshots.assemble("g", AT, List.of(one), Map.of(TASKS_0, 1L, TASKS_1, 1L), Map.of(),
                Map.of(TASKS_0, 1L, TASKS_1, 1L), Map.of());

        assertThat(snapshot.members()).containsExactly(one);
        assertThat(snapshot.partitions()).extracting(PartitionSnapshot::memberId).containsExactly(Optional.of("m-1"), Optional.empty());
    }
}
