package dev.conveyor.producer.status;

import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskEventKind;
import java.time.Instant;

/** Task events as the pipeline's apps write them, for the status view's tests. */
final class Events {

    static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

    private Events() {
    }

    /** An event of run 0 of task {@code id}, type {@code echo}, {@code second} seconds after {@link #T0}. */
    static TaskEvent.Builder event(String id, TaskEventKind kind, int attempt, int second) {
        return event(id, kind, attempt, T0.plusSeconds(second));
    }

    static TaskEvent.Builder event(String id, TaskEventKind kind, int attempt, Instant at) {
        return TaskEvent.newBuilder().setTaskId(id).setType("echo").setKey("k-" + id).setKind(kind).setAttempt(attempt).setAt(at);
    }

    static TaskEvent delivery(String id, TaskEventKind kind, String channel, int attempt, int second) {
        return event(id, kind, attempt, second).setChannel(channel).build();
    }
}
