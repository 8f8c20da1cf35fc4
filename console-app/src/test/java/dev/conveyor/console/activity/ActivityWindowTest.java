package dev.conveyor.console.activity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskEventKind;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActivityWindowTest {

    static final Instant NOW = Instant.parse("2026-12-06T10:30:20Z");

    @Test
    void givenEventsOfTwoTypesWhenSnapshotThenCountsAreByMinuteTypeAndKind() {
        // given
        ActivityWindow window = new ActivityWindow(Duration.ofHours(1));
        window.event(event("echo", TaskEventKind.QUEUED, NOW.minusSeconds(5)));
        window.event(event("echo", TaskEventKind.QUEUED, NOW.minusSeconds(10)));
        window.event(event("echo", TaskEventKind.SUCCEEDED, NOW.minusSeconds(4)));
        window.event(event("fail", TaskEventKind.RETRY_SCHEDULED, NOW.minusSeconds(70)));
        window.event(event("fail", TaskEventKind.DEAD_LETTERED, NOW.minusSeconds(70)));
        window.event(event("echo", TaskEventKind.STARTED, NOW.minusSeconds(5)));

        // when
        ActivityWindow.Snapshot snapshot = window.snapshot(NOW);

        // then
        assertThat(snapshot.minutes()).hasSize(2);
        ActivityWindow.MinuteCounts echo = snapshot.minutes().stream().filter(m -> m.type().equals("echo")).findFirst().orElseThrow();
        assertThat(echo.minute()).isEqualTo(Instant.parse("2026-12-06T10:30:00Z"));
        assertThat(echo.counts()).containsExactly(2, 1, 0, 0, 0);
        ActivityWindow.MinuteCounts fail = snapshot.minutes().stream().filter(m -> m.type().equals("fail")).findFirst().orElseThrow();
        assertThat(fail.minute()).isEqualTo(Instant.parse("2026-12-06T10:29:00Z"));
        assertThat(fail.counts()).containsExactly(0, 0, 0, 1, 1);
    }

    @Test
    void givenMinutesOlderThanTheWindowWhenSnapshotThenTheyAreDropped() {
        // given
        ActivityWindow window = new ActivityWindow(Duration.ofMinutes(10));
        window.event(event("echo", TaskEventKind.QUEUED, NOW.minus(Duration.ofMinutes(11))));
        window.result(result(NOW.minus(Duration.ofMinutes(11)), Duration.ofSeconds(30)));
        window.event(event("echo", TaskEventKind.QUEUED, NOW.minus(Duration.ofMinutes(9))));

        // when
        ActivityWindow.Snapshot snapshot = window.snapshot(NOW);

        // then
        assertThat(snapshot.minutes()).hasSize(1);
        assertThat(snapshot.results()).isZero();
        assertThat(snapshot.from()).isEqualTo(Instant.parse("2026-12-06T10:21:00Z"));
    }

    @Test
    void givenResultsWhenSnapshotThenLatencyQuantilesAreWithinTenPercentAbove() {
        // given 99 results of 100 ms and one of 10 s
        ActivityWindow window = new ActivityWindow(Duration.ofHours(1));
        for (int i = 0; i < 99; i++) {
            window.result(result(NOW.minusSeconds(1), Duration.ofMillis(100)));
        }
        window.result(result(NOW.minusSeconds(1), Duration.ofSeconds(10)));

        // when
        ActivityWindow.Snapshot snapshot = window.snapshot(NOW);

        // then
        assertThat(snapshot.results()).isEqualTo(100);
        assertThat(snapshot.p50Millis()).isBetween(100L, 110L);
        assertThat(snapshot.p99Millis()).isBetween(100L, 110L);
        assertThat(new ActivityWindow(Duration.ofHours(1)).snapshot(NOW).p99Millis()).isZero();
    }

    @Test
    void givenOneSlowResultInAHundredWhenP99ThenItIsTheSlowOneOnlyAboveRank99() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 0; i < 98; i++) {
            histogram.add(5);
        }
        histogram.add(2_000);
        histogram.add(2_000);
        assertThat(histogram.quantile(0.99)).isBetween(2_000L, 2_200L);
        assertThat(histogram.quantile(0.5)).isBetween(5L, 6L);
        assertThat(LatencyHistogram.upperBound(LatencyHistogram.bucket(Duration.ofDays(2).toMillis())))
                .isGreaterThanOrEqualTo(Duration.ofDays(1).toMillis());
    }

    static TaskEvent event(String type, TaskEventKind kind, Instant at) {
        return TaskEvent.newBuilder().setTaskId("t").setType(type).setKind(kind).setAttempt(1).setAt(at).setRun(0).build();
    }

    static TaskResult result(Instant completedAt, Duration latency) {
        return TaskResult.newBuilder().setTaskId("t").setType("echo").setKey("k").setStatus(TaskStatus.SUCCEEDED).setAttempts(1)
                .setSubmittedAt(completedAt.minus(latency)).setStartedAt(completedAt).setCompletedAt(completedAt).setHeaders(Map.of()).build();
    }
}
