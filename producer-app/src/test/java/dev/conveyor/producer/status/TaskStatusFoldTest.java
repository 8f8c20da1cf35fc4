package dev.conveyor.producer.status;

import static dev.conveyor.producer.status.Events.T0;
import static dev.conveyor.producer.status.Events.delivery;
import static dev.conveyor.producer.status.Events.event;
import static dev.conveyor.schema.TaskEventKind.CANCELLED;
import static dev.conveyor.schema.TaskEventKind.DEAD_LETTERED;
import static dev.conveyor.schema.TaskEventKind.DELIVERED;
import static dev.conveyor.schema.TaskEventKind.DELIVERY_FAILED;
import static dev.conveyor.schema.TaskEventKind.DELIVERY_RETRY_SCHEDULED;
import static dev.conveyor.schema.TaskEventKind.DUPLICATE_SKIPPED;
import static dev.conveyor.schema.TaskEventKind.FAILED;
import static dev.conveyor.schema.TaskEventKind.QUEUED;
import static dev.conveyor.schema.TaskEventKind.REPLAYED;
import static dev.conveyor.schema.TaskEventKind.RETRY_SCHEDULED;
import static dev.conveyor.schema.TaskEventKind.STARTED;
import static dev.conveyor.schema.TaskEventKind.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.schema.StatusTimelineEntry;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskStatusView;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskStatusFoldTest {

    static final String ID = "0190f1c2-0000-7000-8000-000000000001";

    @Test
    void givenATaskThatSucceedsOnItsSecondAttemptThenEachTransitionIsRecorded() {
        // given its events in order
        List<TaskEvent> events = List.of(
                event(ID, QUEUED, 0, 0).setInstance("gw-1").build(),
                event(ID, STARTED, 1, 1).setInstance("proc-1").build(),
                event(ID, RETRY_SCHEDULED, 1, 2).setError("java.io.IOException: down").setDueAt(T0.plusSeconds(7))
                        .setTier("tasks.retry.5s").build(),
                event(ID, STARTED, 2, 7).setInstance("proc-2").build(),
                event(ID, SUCCEEDED, 2, 8).setOutput("{\"ok\":true}").setInstance("proc-2").build());

        // when folded, checking the state after each
        TaskStatusView status = null;
        List<String> states = new java.util.ArrayList<>();
        for (TaskEvent event : events) {
            status = TaskStatusFold.apply(status, event);
            states.add(status.getState());
        }

        // then
        assertThat(states).containsExactly("QUEUED", "RUNNING", "RETRYING", "RUNNING", "SUCCEEDED");
        assertThat(status.getTaskId()).isEqualTo(ID);
        assertThat(status.getKey()).isEqualTo("k-" + ID);
        assertThat(status.getAttempts()).isEqualTo(2);
        assertThat(status.getQueuedAt()).isEqualTo(T0);
        assertThat(status.getStartedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(status.getLastStartedAt()).isEqualTo(T0.plusSeconds(7));
        assertThat(status.getNextAttemptAt()).isNull();
        assertThat(status.getFinishedAt()).isEqualTo(T0.plusSeconds(8));
        assertThat(status.getUpdatedAt()).isEqualTo(T0.plusSeconds(8));
        assertThat(status.getLastError()).isEqualTo("java.io.IOException: down");
        assertThat(status.getInstance()).isEqualTo("proc-2");
        assertThat(status.getResultSummary().getStatus()).isEqualTo("SUCCEEDED");
        assertThat(status.getResultSummary().getOutput()).isEqualTo("{\"ok\":true}");
        assertThat(kinds(status)).containsExactly("QUEUED", "STARTED", "RETRY_SCHEDULED", "STARTED", "SUCCEEDED");
        assertThat(status.getTimeline().get(2).getTier()).isEqualTo("tasks.retry.5s");
    }

    @Test
    void givenARetryScheduledThenTheNextAttemptTimeIsKnownUntilItStarts() {
        // given
        TaskStatusView retrying = fold(event(ID, QUEUED, 0, 0).build(), event(ID, STARTED, 1, 1).build(),
                event(ID, RETRY_SCHEDULED, 1, 2).setDueAt(T0.plusSeconds(30)).build());

        // then
        assertThat(retrying.getState()).isEqualTo("RETRYING");
        assertThat(retrying.getNextAttemptAt()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void givenEventsOutOfOrderThenTheStateNeverGoesBackAndLateFactsAreFilledIn() {
        // given STARTED before QUEUED, and SUCCEEDED before the STARTED of its attempt
        TaskStatusView status = fold(
                event(ID, STARTED, 1, 1).build(),
                event(ID, QUEUED, 0, 0).setDueAt(T0.plusSeconds(1)).build(),
                event(ID, SUCCEEDED, 2, 9).build(),
                event(ID, STARTED, 2, 8).build(),
                event(ID, RETRY_SCHEDULED, 1, 2).build());

        // then the state is the latest position's, and the late QUEUED still gave its times
        assertThat(status.getState()).isEqualTo("SUCCEEDED");
        assertThat(status.getQueuedAt()).isEqualTo(T0);
        assertThat(status.getRunAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(status.getStartedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(status.getAttempts()).isEqualTo(2);
        // and the timeline is in the order things happened, not arrived
        assertThat(kinds(status)).containsExactly("QUEUED", "STARTED", "RETRY_SCHEDULED", "STARTED", "SUCCEEDED");
    }

    @Test
    void givenARepeatedEventThenTheSameStatusComesBackAndTheTimelineHasItOnce() {
        // given
        TaskStatusView running = fold(event(ID, QUEUED, 0, 0).build(), event(ID, STARTED, 1, 1).build());

        // when the same event arrives again
        TaskStatusView again = TaskStatusFold.apply(running, event(ID, STARTED, 1, 1).build());

        // then nothing changed, and the caller can tell without comparing
        assertThat(again).isSameAs(running);
        assertThat(kinds(again)).containsExactly("QUEUED", "STARTED");
    }

    @Test
    void givenARedoneAttemptThenItsSecondStartMovesOnlyTheLastStartTime() {
        // given an attempt redone after a crash: STARTED written twice, later the second time
        TaskStatusView status = fold(event(ID, QUEUED, 0, 0).build(), event(ID, STARTED, 1, 1).build(),
                event(ID, STARTED, 1, 5).setInstance("proc-2").build());

        // then
        assertThat(status.getStartedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(status.getLastStartedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(status.getInstance()).isEqualTo("proc-2");
        assertThat(kinds(status)).containsExactly("QUEUED", "STARTED");
    }

    @Test
    void givenTheInputIsNeverModified() {
        // given
        TaskStatusView queued = fold(event(ID, QUEUED, 0, 0).build());
        TaskStatusView copy = TaskStatusView.newBuilder(queued).build();

        // when
        TaskStatusFold.apply(queued, event(ID, STARTED, 1, 1).build());

        // then
        assertThat(queued).isEqualTo(copy);
    }

    @Test
    void givenExhaustedRetriesThenFailedFollowsTheDeadLetterAndKeepsItsReference() {
        // given
        TaskStatusView deadLettered = fold(event(ID, QUEUED, 0, 0).build(), event(ID, STARTED, 1, 1).build(),
                event(ID, DEAD_LETTERED, 1, 2).setReason("RETRIES_EXHAUSTED").setError("boom")
                        .setDeadLetterPartition(2).setDeadLetterOffset(41L).build());

        // when
        TaskStatusView failed = TaskStatusFold.apply(deadLettered,
                event(ID, FAILED, 1, 3).setReason("RETRIES_EXHAUSTED").setError("boom").build());

        // then
        assertThat(deadLettered.getState()).isEqualTo("DEAD_LETTERED");
        assertThat(deadLettered.getResultSummary()).isNull();
        assertThat(failed.getState()).isEqualTo("FAILED");
        assertThat(failed.getResultSummary().getStatus()).isEqualTo("FAILED");
        assertThat(failed.getReason()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(failed.getLastError()).isEqualTo("boom");
        assertThat(failed.getDeadLetter().getPartition()).isEqualTo(2);
        assertThat(failed.getDeadLetter().getOffset()).isEqualTo(41L);
        assertThat(failed.getFinishedAt()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void givenFailedBeforeItsDeadLetterThenTheStateStaysFailedWithTheReference() {
        // when
        TaskStatusView status = fold(event(ID, STARTED, 1, 1).build(), event(ID, FAILED, 1, 3).setReason("NON_RETRYABLE").build(),
                event(ID, DEAD_LETTERED, 1, 2).setReason("NON_RETRYABLE").setDeadLetterPartition(0).setDeadLetterOffset(7L).build());

        // then
        assertThat(status.getState()).isEqualTo("FAILED");
        assertThat(status.getDeadLetter().getOffset()).isEqualTo(7L);
    }

    @Test
    void givenCancelledOrDuplicateThenTheyAreTerminal() {
        // when
        TaskStatusView cancelled = fold(event(ID, STARTED, 1, 1).build(), event(ID, CANCELLED, 1, 2).setReason("user").build());
        TaskStatusView duplicate = fold(event(ID, QUEUED, 0, 0).build(), event(ID, DUPLICATE_SKIPPED, 1, 1).build());

        // then
        assertThat(cancelled.getState()).isEqualTo("CANCELLED");
        assertThat(cancelled.getResultSummary().getStatus()).isEqualTo("CANCELLED");
        assertThat(TaskState.terminal(cancelled.getState())).isTrue();
        assertThat(duplicate.getState()).isEqualTo("DUPLICATE");
        assertThat(duplicate.getResultSummary()).isNull();
        assertThat(TaskState.terminal(duplicate.getState())).isTrue();
        assertThat(TaskState.terminal("DEAD_LETTERED")).isFalse();
    }

    @Test
    void givenAReplayThenTheNewRunStartsOverAtQueuedAndProceeds() {
        // given a task dead-lettered in run 0
        TaskStatusView failed = fold(event(ID, QUEUED, 0, 0).build(), event(ID, STARTED, 1, 1).build(),
                event(ID, DEAD_LETTERED, 1, 2).setReason("NON_RETRYABLE").setDeadLetterPartition(1).setDeadLetterOffset(9L).build(),
                event(ID, FAILED, 1, 3).setReason("NON_RETRYABLE").setError("bad").build(),
                delivery(ID, DELIVERED, "webhook", 1, 4));
        long run = T0.plusSeconds(100).toEpochMilli();

        // when it is replayed
        TaskStatusView replayed = TaskStatusFold.apply(failed, event(ID, REPLAYED, 0, 100).setRun(run)
                .setDeadLetterPartition(1).setDeadLetterOffset(9L).build());
        TaskStatusView running = TaskStatusFold.apply(replayed, event(ID, STARTED, 1, 101).setRun(run).build());
        TaskStatusView late = TaskStatusFold.apply(running, event(ID, RETRY_SCHEDULED, 1, 2).build());
        TaskStatusView succeeded = TaskStatusFold.apply(late, event(ID, SUCCEEDED, 1, 102).setRun(run).build());

        // then the new run starts over, a late event of the old run changes nothing, and the new run proceeds
        assertThat(replayed.getState()).isEqualTo("QUEUED");
        assertThat(replayed.getRun()).isEqualTo(run);
        assertThat(replayed.getAttempts()).isZero();
        assertThat(replayed.getResultSummary()).isNull();
        assertThat(replayed.getReason()).isNull();
        assertThat(replayed.getFinishedAt()).isNull();
        assertThat(replayed.getDeliveries()).isEmpty();
        assertThat(replayed.getDeadLetter().getOffset()).isEqualTo(9L);
        assertThat(replayed.getQueuedAt()).isEqualTo(T0.plusSeconds(100));
        assertThat(running.getState()).isEqualTo("RUNNING");
        assertThat(late.getState()).isEqualTo("RUNNING");
        assertThat(succeeded.getState()).isEqualTo("SUCCEEDED");
        assertThat(succeeded.getAttempts()).isEqualTo(1);
        assertThat(kinds(succeeded)).containsExactly("QUEUED", "STARTED", "RETRY_SCHEDULED", "DEAD_LETTERED", "FAILED", "DELIVERED",
                "REPLAYED", "STARTED", "SUCCEEDED");
    }

    @Test
    void givenTheNewRunsFirstStartBeforeItsReplayEventThenTheRunStillStartsOver() {
        // given
        TaskStatusView failed = fold(event(ID, STARTED, 1, 1).build(), event(ID, FAILED, 1, 2).setReason("TIMEOUT").build());
        long run = T0.plusSeconds(50).toEpochMilli();

        // when
        TaskStatusView status = fold(failed, event(ID, STARTED, 1, 51).setRun(run).build(), event(ID, REPLAYED, 0, 50).setRun(run).build());

        // then
        assertThat(status.getState()).isEqualTo("RUNNING");
        assertThat(status.getReason()).isNull();
        assertThat(status.getQueuedAt()).isEqualTo(T0.plusSeconds(50));
    }

    @Test
    void givenDeliveriesThenEachChannelKeepsItsLatestWithoutChangingTheTaskState() {
        // given a succeeded task
        TaskStatusView succeeded = fold(event(ID, STARTED, 1, 1).build(), event(ID, SUCCEEDED, 1, 2).build());

        // when its deliveries arrive, one channel's retry after its delivery
        TaskStatusView status = fold(succeeded,
                delivery(ID, DELIVERY_RETRY_SCHEDULED, "webhook", 1, 3),
                event(ID, DELIVERY_FAILED, 5, 20).setChannel("log").setError("disk full").build(),
                delivery(ID, DELIVERED, "webhook", 2, 9),
                delivery(ID, DELIVERY_RETRY_SCHEDULED, "webhook", 1, 3),
                delivery(ID, DELIVERY_RETRY_SCHEDULED, "webhook", 2, 8));

        // then
        assertThat(status.getState()).isEqualTo("SUCCEEDED");
        assertThat(status.getDeliveries()).containsOnlyKeys("webhook", "log");
        assertThat(status.getDeliveries().get("webhook").getState()).isEqualTo("DELIVERED");
        assertThat(status.getDeliveries().get("webhook").getAttempt()).isEqualTo(2);
        assertThat(status.getDeliveries().get("webhook").getAt()).isEqualTo(T0.plusSeconds(9));
        assertThat(status.getDeliveries().get("log").getState()).isEqualTo("FAILED");
        assertThat(status.getDeliveries().get("log").getError()).isEqualTo("disk full");
        // task events first, then deliveries by attempt and rank
        assertThat(status.getTimeline()).extracting(e -> e.getKind() + "/" + e.getChannel() + "/" + e.getAttempt()).containsExactly(
                "STARTED/null/1", "SUCCEEDED/null/1", "DELIVERY_RETRY_SCHEDULED/webhook/1", "DELIVERY_RETRY_SCHEDULED/webhook/2",
                "DELIVERED/webhook/2", "DELIVERY_FAILED/log/5");
    }

    @Test
    void givenADeliveryBeforeAnyTaskEventThenTheTaskWaitsForItsOwnEvents() {
        // when
        TaskStatusView first = fold(delivery(ID, DELIVERED, "log", 1, 5));
        TaskStatusView then = TaskStatusFold.apply(first, event(ID, SUCCEEDED, 1, 4).build());

        // then
        assertThat(first.getState()).isEqualTo("QUEUED");
        assertThat(first.getDeliveries().get("log").getState()).isEqualTo("DELIVERED");
        assertThat(then.getState()).isEqualTo("SUCCEEDED");
        assertThat(then.getUpdatedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void givenMoreEventsThanTheLimitThenTheTimelineKeepsTheLatest() {
        // given a task retried 40 times
        TaskStatusView status = fold(event(ID, QUEUED, 0, 0).build());
        for (int attempt = 1; attempt <= 40; attempt++) {
            status = fold(status, event(ID, STARTED, attempt, attempt * 10).build(),
                    event(ID, RETRY_SCHEDULED, attempt, attempt * 10 + 1).build());
        }

        // when an event older than everything kept arrives
        TaskStatusView same = TaskStatusFold.apply(status, event(ID, STARTED, 1, 10).build());

        // then
        assertThat(status.getTimeline()).hasSize(Timeline.LIMIT);
        assertThat(status.getTimeline().getLast().getAttempt()).isEqualTo(40);
        assertThat(status.getTimeline().getFirst().getAttempt()).isEqualTo(16);
        assertThat(status.getAttempts()).isEqualTo(40);
        assertThat(same).isSameAs(status);
    }

    @Test
    void givenAnOutputOverTheLimitThenItIsCutOnACharacterAndMarkedTruncated() {
        // given an output of 3-byte characters, 9 KiB long
        String output = "€".repeat(3 * 1024);

        // when
        TaskStatusView status = fold(event(ID, SUCCEEDED, 1, 1).setOutput(output).build());

        // then
        String kept = status.getResultSummary().getOutput();
        assertThat(kept.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(TextLimits.OUTPUT_BYTES);
        assertThat(kept).isEqualTo("€".repeat(TextLimits.OUTPUT_BYTES / 3));
        assertThat(status.getResultSummary().getOutputTruncated()).isTrue();
        assertThat(fold(event(ID, SUCCEEDED, 1, 1).setOutput("x").setOutputTruncated(true).build()).getResultSummary()
                .getOutputTruncated()).isTrue();
    }

    @Test
    void givenALongErrorThenStatusAndTimelineKeepItsStart() {
        // when
        TaskStatusView status = fold(event(ID, RETRY_SCHEDULED, 1, 1).setError("e".repeat(10_000)).build());

        // then
        assertThat(status.getLastError()).hasSize(TextLimits.TEXT_CHARS);
        assertThat(status.getTimeline().getFirst().getError()).hasSize(TextLimits.TEXT_CHARS);
    }

    static TaskStatusView fold(TaskEvent... events) {
        return fold(null, events);
    }

    static TaskStatusView fold(TaskStatusView status, TaskEvent... events) {
        for (TaskEvent event : events) {
            status = TaskStatusFold.apply(status, event);
        }
        return status;
    }

    static List<String> kinds(TaskStatusView status) {
        return status.getTimeline().stream().map(StatusTimelineEntry::getKind).toList();
    }

    @Test
    void givenTheSubmitterOnlyOnALateEventThenTheStatusNamesItAndLaterEventsWithoutItKeepIt() {
        // given a STARTED without a submitter (an event of an app that does not know it), then the gateway's QUEUED with it
        TaskStatusView started = TaskStatusFold.apply(null, event(ID, STARTED, 1, 1).build());
        TaskStatusView queued = TaskStatusFold.apply(started, event(ID, QUEUED, 0, 0).setSubmitter("billing").build());

        // when a later event comes without one
        TaskStatusView succeeded = TaskStatusFold.apply(queued, event(ID, SUCCEEDED, 1, 2).build());

        // then
        assertThat(started.getSubmitter()).isNull();
        assertThat(queued.getSubmitter()).isEqualTo("billing");
        assertThat(succeeded.getSubmitter()).isEqualTo("billing");
        assertThat(StatusJson.status(succeeded)).contains("\"submitter\":\"billing\"");
    }
}
