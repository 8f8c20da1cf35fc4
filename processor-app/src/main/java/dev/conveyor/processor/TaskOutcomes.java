package dev.conveyor.processor;

import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import java.time.Instant;

/** Builds the one terminal {@link TaskResult} of a task. */
final class TaskOutcomes {

    private TaskOutcomes() {
    }

    static TaskResult succeeded(TaskRequest task, String output, Instant startedAt, Instant completedAt) {
        return base(task, TaskStatus.SUCCEEDED, startedAt, completedAt).setOutput(output).build();
    }

    static TaskResult failed(TaskRequest task, String reason, String error, Instant startedAt, Instant completedAt) {
        return base(task, TaskStatus.FAILED, startedAt, completedAt).setReason(reason).setError(error).build();
    }

    static TaskResult cancelled(TaskRequest task, String reason, Instant startedAt, Instant completedAt) {
        return base(task, TaskStatus.CANCELLED, startedAt, completedAt).setError(reason).setReason("CANCELLED").build();
    }

    private static TaskResult.Builder base(TaskRequest task, TaskStatus status, Instant startedAt, Instant completedAt) {
        return TaskResult.newBuilder()
                .setTaskId(task.getId())
                .setType(task.getType())
                .setKey(task.getKey())
                .setStatus(status)
                .setAttempts(task.getAttempt())
                .setOutput(null)
                .setError(null)
                .setReason(null)
                .setSubmittedAt(task.getSubmittedAt())
                .setStartedAt(startedAt)
                .setCompletedAt(completedAt)
                .setCallbackUrl(task.getCallbackUrl())
                .setHeaders(task.getHeaders());
    }
}
