package dev.conveyor.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class FlowControlTest {

    static final TopicPartition P0 = new TopicPartition("tasks", 0);
    static final TopicPartition P1 = new TopicPartition("tasks", 1);
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    final FlowControl flow = new FlowControl(100, 40);

    @Test
    void givenTheInstanceIsFullThenEverythingPausesUntilBelowHalf() {
        assertThat(flow.pausedAmong(List.of(P0, P1), 100, 0, p -> 0, p -> 0, NOW)).containsExactlyInAnyOrder(P0, P1);
        assertThat(flow.pausedAmong(List.of(P0, P1), 51, 0, p -> 0, p -> 0, NOW)).containsExactlyInAnyOrder(P0, P1);
        assertThat(flow.pausedAmong(List.of(P0, P1), 50, 0, p -> 0, p -> 0, NOW)).isEmpty();
    }

    @Test
    void givenOnePartitionIsFullThenOnlyItPauses() {
        Map<TopicPartition, Integer> inFlight = Map.of(P0, 40, P1, 3);

        assertThat(flow.pausedAmong(List.of(P0, P1), 43, 0, inFlight::get, p -> 0, NOW)).containsExactly(P0);
        assertThat(flow.pausedAmong(List.of(P0, P1), 30, 0, Map.of(P0, 27, P1, 3)::get, p -> 0, NOW)).containsExactly(P0);
        assertThat(flow.pausedAmong(List.of(P0, P1), 23, 0, Map.of(P0, 20, P1, 3)::get, p -> 0, NOW)).isEmpty();
    }

    @Test
    void givenABackoffThenThePartitionPausesUntilItsTime() {
        flow.backOff(P1, NOW.plusSeconds(2));

        assertThat(flow.pausedAmong(List.of(P0, P1), 0, 0, p -> 0, p -> 0, NOW.plusSeconds(1))).containsExactly(P1);
        assertThat(flow.pausedAmong(List.of(P0, P1), 0, 0, p -> 0, p -> 0, NOW.plusSeconds(2))).isEmpty();
    }

    @Test
    void givenARevokedPartitionThenItsBackoffIsForgotten() {
        flow.backOff(P1, NOW.plusSeconds(60));
        flow.forget(List.of(P1));

        assertThat(flow.pausedAmong(List.of(P0, P1), 0, 0, p -> 0, p -> 0, NOW)).isEmpty();
    }

    @Test
    void givenAFullInstanceMostlyWaitingForItsKeysThenItResumesOnceWhatCouldRunIsBelowHalf() {
        // given a full instance
        assertThat(flow.pausedAmong(List.of(P0, P1), 100, 0, p -> 0, p -> 0, NOW)).containsExactlyInAnyOrder(P0, P1);

        // when 30 records finished, and 60 of the 70 left wait for an earlier record of their key
        // then it resumes: only 10 could run, and waiting longer would not let the 60 start
        assertThat(flow.pausedAmong(List.of(P0, P1), 70, 60, p -> 0, p -> 0, NOW)).isEmpty();
    }

    @Test
    void givenAFullInstanceWithMoreThanHalfStillAbleToRunThenItStaysPaused() {
        assertThat(flow.pausedAmong(List.of(P0, P1), 100, 0, p -> 0, p -> 0, NOW)).containsExactlyInAnyOrder(P0, P1);

        // 70 in flight, 19 waiting for their key: 51 could still run
        assertThat(flow.pausedAmong(List.of(P0, P1), 70, 19, p -> 0, p -> 0, NOW)).containsExactlyInAnyOrder(P0, P1);
    }

    @Test
    void givenEveryRecordWaitingForItsKeyThenTheLimitStillHolds() {
        // a full instance whose records all wait behind one key: memory is bounded by the limit, not by what can run
        assertThat(flow.pausedAmong(List.of(P0, P1), 100, 100, p -> 0, p -> 0, NOW)).containsExactlyInAnyOrder(P0, P1);
        assertThat(flow.canResumeInstance(100, 100)).isFalse();
        assertThat(flow.canResumeInstance(99, 99)).isTrue();
    }

    @Test
    void givenAFullPartitionMostlyWaitingForItsKeysThenItResumesOnceWhatCouldRunIsBelowHalf() {
        // given partition 0 full (limit 40)
        assertThat(flow.pausedAmong(List.of(P0, P1), 45, 0, Map.of(P0, 42, P1, 3)::get, p -> 0, NOW)).containsExactly(P0);
        assertThat(flow.partitionFull(P0)).isTrue();

        // when 15 of its records finished, and 17 of the 27 left wait for an earlier record of their key
        Map<TopicPartition, Integer> waiting = Map.of(P0, 17, P1, 0);

        // then it resumes: only 10 could run, and pausing longer would not let the 17 start
        assertThat(flow.pausedAmong(List.of(P0, P1), 30, 17, Map.of(P0, 27, P1, 3)::get, waiting::get, NOW)).isEmpty();
        assertThat(flow.partitionFull(P0)).isFalse();
    }

    @Test
    void givenAFullPartitionWithMoreThanHalfStillAbleToRunOrAtItsLimitThenItStaysPaused() {
        assertThat(flow.pausedAmong(List.of(P0, P1), 45, 0, Map.of(P0, 42, P1, 3)::get, p -> 0, NOW)).containsExactly(P0);

        // 30 in flight, 9 waiting: 21 could still run
        assertThat(flow.pausedAmong(List.of(P0, P1), 33, 9, Map.of(P0, 30, P1, 3)::get, Map.of(P0, 9, P1, 0)::get, NOW))
                .containsExactly(P0);
        // all 40 waiting behind one key: the limit still bounds memory
        assertThat(flow.pausedAmong(List.of(P0, P1), 43, 40, Map.of(P0, 40, P1, 3)::get, Map.of(P0, 40, P1, 0)::get, NOW))
                .containsExactly(P0);
        assertThat(flow.canResumePartition(39, 39)).isTrue();
    }
}
