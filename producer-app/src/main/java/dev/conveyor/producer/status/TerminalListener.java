package dev.conveyor.producer.status;

import dev.conveyor.schema.TaskStatusView;

/** Told by the stream thread when the view applies a terminal transition: what long-polling requests wait for. */
@FunctionalInterface
public interface TerminalListener {

    TerminalListener NONE = (taskId, status) -> { };

    /** Must not block: it runs on the stream thread, between records. */
    void terminal(String taskId, TaskStatusView status);
}
