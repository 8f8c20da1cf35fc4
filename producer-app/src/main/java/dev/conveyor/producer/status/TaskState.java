package dev.conveyor.producer.status;

import dev.conveyor.schema.TaskEventKind;

/**
 * Where a task is. A run moves QUEUED → RUNNING → (RETRYING → RUNNING)* → one of the end states;
 * SUCCEEDED, FAILED, CANCELLED and DUPLICATE are terminal (a replay starts a new run at QUEUED).
 * DEAD_LETTERED is where a task rests when its letter has no FAILED result after it.
 */
public enum TaskState {
    QUEUED, RUNNING, RETRYING, SUCCEEDED, FAILED, CANCELLED, DEAD_LETTERED, DUPLICATE;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == DUPLICATE;
    }

    public static boolean terminal(String state) {
        return state != null && valueOf(state).terminal();
    }

    /** The state a task event moves its task to; delivery events move none. */
    static TaskState after(TaskEventKind kind) {
        return switch (kind) {
            case QUEUED, REPLAYED -> QUEUED;
            case STARTED -> RUNNING;
            case RETRY_SCHEDULED -> RETRYING;
            case DEAD_LETTERED -> DEAD_LETTERED;
            case SUCCEEDED -> SUCCEEDED;
            case FAILED -> FAILED;
            case CANCELLED -> CANCELLED;
            case DUPLICATE_SKIPPED -> DUPLICATE;
            case DELIVERED, DELIVERY_RETRY_SCHEDULED, DELIVERY_FAILED ->
                    throw new IllegalArgumentException(kind + " changes no task state");
        };
    }
}
