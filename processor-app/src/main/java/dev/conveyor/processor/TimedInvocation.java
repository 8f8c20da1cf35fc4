package dev.conveyor.processor;

import dev.conveyor.TaskContext;
import dev.conveyor.TaskHandler;
import java.time.Duration;

/**
 * Runs one handler attempt on the calling (virtual) thread and has the watchdog interrupt it when it
 * overruns its timeout. A handler that ignores the interrupt keeps its thread, slot and key until it
 * returns; its outcome is then the timeout, and the task is never run twice at once.
 */
final class TimedInvocation {

    /** The attempt ran past its timeout; counts as a retryable failure. */
    static final class TaskTimeoutException extends Exception {
        TaskTimeoutException(String message) {
            super(message);
        }
    }

    private final AttemptWatchdog watchdog;

    TimedInvocation(AttemptWatchdog watchdog) {
        this.watchdog = watchdog;
    }

    String call(TaskHandler handler, TaskContext task, Duration timeout) throws Exception {
        AttemptWatchdog.Attempt attempt = watchdog.start(timeout);
        String output;
        try {
            output = handler.handle(task);
        } catch (Throwable e) {
            if (!attempt.finish()) {
                throw timedOut(task, timeout, e);
            }
            throw e;
        }
        if (!attempt.finish()) {
            throw timedOut(task, timeout, null);
        }
        return output;
    }

    private static TaskTimeoutException timedOut(TaskContext task, Duration timeout, Throwable cause) {
        TaskTimeoutException e = new TaskTimeoutException("attempt " + task.attempt() + " of " + task.type()
                + " ran past its " + timeout + " timeout");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
