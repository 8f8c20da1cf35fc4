package dev.conveyor.producer.status;

import dev.conveyor.schema.StatusDeadLetter;
import dev.conveyor.schema.StatusResult;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskEventKind;
import dev.conveyor.schema.TaskStatusView;
import java.time.Instant;

/**
 * Folds a task event into its task's state: a transition at or past the last applied position
 * moves the state; an earlier one only fills in facts of the same run the status lacks (a QUEUED
 * arriving after STARTED still gives the queue time), so the state never goes back.
 */
final class TaskTransitions {

    private TaskTransitions() {
    }

    static void apply(TaskStatusView status, TaskEvent event) {
        if (status.getKey() == null) {
            status.setKey(event.getKey());
        }
        EventPosition position = EventPosition.of(event);
        if (position.atOrAfter(new EventPosition(status.getRun(), status.getAttempt(), status.getRank()))) {
            transition(status, event, position);
        } else if (event.getRun() == status.getRun()) {
            fillIn(status, event);
        }
    }

    private static void transition(TaskStatusView status, TaskEvent event, EventPosition position) {
        if (event.getRun() > status.getRun()) {
            startRun(status, event.getRun());
        }
        TaskEventKind kind = event.getKind();
        status.setState(TaskState.after(kind).name());
        status.setAttempt(event.getAttempt());
        status.setRank(position.rank());
        status.setAttempts(Math.max(status.getAttempts(), event.getAttempt()));
        if (kind != TaskEventKind.QUEUED && kind != TaskEventKind.REPLAYED && event.getInstance() != null) {
            status.setInstance(event.getInstance());
        }
        switch (kind) {
            case QUEUED -> {
                status.setQueuedAt(event.getAt());
                status.setRunAt(event.getDueAt());
            }
            case REPLAYED -> {
                status.setQueuedAt(event.getAt());
                if (event.getDeadLetterPartition() != null) {
                    status.setDeadLetter(deadLetter(event));
                }
            }
            case STARTED -> {
                status.setStartedAt(earliest(status.getStartedAt(), event.getAt()));
                status.setLastStartedAt(event.getAt());
                status.setNextAttemptAt(null);
            }
            case RETRY_SCHEDULED -> {
                status.setNextAttemptAt(event.getDueAt());
                keepError(status, event);
            }
            case DEAD_LETTERED -> {
                status.setDeadLetter(deadLetter(event));
                finish(status, event, null);
            }
            case SUCCEEDED -> finish(status, event, new StatusResult("SUCCEEDED", TextLimits.output(event.getOutput()),
                    event.getOutputTruncated() || !TextLimits.outputFits(event.getOutput())));
            case FAILED -> finish(status, event, new StatusResult("FAILED", null, false));
            case CANCELLED -> finish(status, event, new StatusResult("CANCELLED", null, false));
            case DUPLICATE_SKIPPED -> finish(status, event, null);
            default -> throw new IllegalArgumentException(kind + " is not a task event");
        }
    }

    /** A later run (a replay) starts over at QUEUED; the last dead letter stays referenced. */
    private static void startRun(TaskStatusView status, long run) {
        status.setRun(run);
        status.setAttempts(0);
        status.setQueuedAt(null);
        status.setRunAt(null);
        status.setStartedAt(null);
        status.setLastStartedAt(null);
        status.setNextAttemptAt(null);
        status.setFinishedAt(null);
        status.setLastError(null);
        status.setReason(null);
        status.setInstance(null);
        status.setResultSummary(null);
        status.getDeliveries().values().removeIf(delivery -> delivery.getRun() < run);
    }

    private static void finish(TaskStatusView status, TaskEvent event, StatusResult result) {
        status.setFinishedAt(event.getAt());
        status.setNextAttemptAt(null);
        if (event.getReason() != null) {
            status.setReason(event.getReason());
        }
        keepError(status, event);
        if (result != null) {
            status.setResultSummary(result);
        }
    }

    private static void fillIn(TaskStatusView status, TaskEvent event) {
        switch (event.getKind()) {
            case QUEUED, REPLAYED -> {
                if (status.getQueuedAt() == null) {
                    status.setQueuedAt(event.getAt());
                }
                if (status.getRunAt() == null && event.getKind() == TaskEventKind.QUEUED) {
                    status.setRunAt(event.getDueAt());
                }
            }
            case STARTED -> status.setStartedAt(earliest(status.getStartedAt(), event.getAt()));
            case DEAD_LETTERED -> {
                // FAILED overtook its dead letter: the reference is still the task's
                if (status.getDeadLetter() == null) {
                    status.setDeadLetter(deadLetter(event));
                }
                if (status.getReason() == null) {
                    status.setReason(event.getReason());
                }
            }
            default -> {
                // a stale event of this run adds nothing the later state lacks
            }
        }
    }

    private static void keepError(TaskStatusView status, TaskEvent event) {
        if (event.getError() != null) {
            status.setLastError(TextLimits.text(event.getError()));
        }
    }

    private static StatusDeadLetter deadLetter(TaskEvent event) {
        return new StatusDeadLetter(event.getDeadLetterPartition(), event.getDeadLetterOffset());
    }

    private static Instant earliest(Instant known, Instant at) {
        return known == null || at.isBefore(known) ? at : known;
    }
}
